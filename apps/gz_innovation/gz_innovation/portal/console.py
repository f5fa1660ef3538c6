"""个人控制台 (manual §2.1.3, §3.1): the one layout of every logged-in portal page — the left navigation
(账户中心: 账户信息, 账户认证, 修改密码; 企业成员 for admins; 数字工信中心 → 科技创新平台 → 创新平台管理中心),
the enterprise's name and the user's role in the header, clickable breadcrumbs; 退出登录 in the top bar (a POST).

An item the user may not use yet is shown without a link and says why (e.g. 请先完成企业认证); 企业成员
is only for the enterprise admin and hidden from everyone else."""

import frappe
from frappe import _

from gz_innovation.enterprise.certification import IN_REVIEW, RETURNED, current_application_summary
from gz_innovation.enterprise.membership import enterprise_of
from gz_innovation.portal import context as portal_context

CONSOLE = "/personal-console"  # not /console: the Werkzeug debugger's console in `bench serve`


class Section:
	ACCOUNT = "account"
	DIGITAL = "digital"


def require_login(path: str) -> None:
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + path
		raise frappe.Redirect


def page(context, active: str, title: str, page: str, data: dict | None = None, crumbs=None) -> dict:
	"""Set up a console page; returns the user's account state (enterprise, role) for the page's use."""
	state = account_state()
	portal_context.base(context, title, page, data)
	context.gz_layout = "console"
	context.console = {
		"state": state,
		"nav": navigation(state, active),
		"crumbs": crumbs if crumbs is not None else breadcrumbs(active),
	}
	return state


def account_state(user: str | None = None) -> frappe._dict:
	"""Who the user is on the platform: name, enterprise and role, the certification under way."""
	user = user or frappe.session.user
	state = frappe._dict(user=user, full_name=frappe.db.get_value("User", user, "full_name") or user)
	enterprise = enterprise_of(user)
	if enterprise:
		values = frappe.db.get_value(
			"Enterprise",
			enterprise,
			["enterprise_name", "certification_status", "enterprise_admin", "needs_update"],
			as_dict=True,
		)
		state.update(
			enterprise=enterprise,
			enterprise_name=values.enterprise_name,
			certification_status=values.certification_status,
			is_admin=values.enterprise_admin == user,
			needs_update=bool(values.needs_update) and values.enterprise_admin == user,
		)
		state.role = _("Enterprise admin") if state.is_admin else _("Enterprise staff")
	else:
		application = current_application_summary(user)
		if application:
			state.application_status = application.certification_status
			state.application_name = application.enterprise_name
		state.role = _("Personal user")
	state.headline = headline(state)
	return state


def headline(state) -> str:
	"""What the console's head says of the user's enterprise: its name, or the certification under
	way (审核中 while the regulator reviews it), or that there is none yet."""
	if state.get("enterprise_name"):
		return state.enterprise_name
	status = state.get("application_status")
	if status == IN_REVIEW:
		return _("{0} (certification under review)").format(state.application_name)
	if status == RETURNED:
		return _("{0} (certification returned for revision)").format(state.application_name)
	return _("No enterprise yet")


def navigation(state, active: str) -> list[dict]:
	"""The left navigation: sections of items {key, label, route, note (why not usable), active}."""

	def item(key, label, route, note=None):
		return {
			"key": key,
			"label": label,
			"route": None if note else route,
			"note": note,
			"active": key == active,
		}

	account = [
		item("account", _("Account Information"), "/account-center"),
		item("certify", _("Account Certification"), "/certify"),
		item("password", _("Change Password"), "/change-password"),
	]
	if state.needs_update:
		account.insert(
			1, item("enterprise-update", _("Complete enterprise information"), "/enterprise-update")
		)
	sections = [{"key": Section.ACCOUNT, "label": _("Account Center"), "items": account}]
	if state.get("is_admin"):
		sections.append(
			{
				"key": "members",
				"label": _("Enterprise members"),
				"items": [item("members", _("Enterprise members"), "/members")],
			}
		)
	sections.append(
		{
			"key": Section.DIGITAL,
			"label": _("Digital Industry Center"),
			"group": _("Technology Innovation Platform"),
			"items": [
				item(
					"cultivation",
					_("Innovation Platform Management Center"),
					"/cultivation",
					cultivation_note(state),
				)
			],
		}
	)
	return sections


def cultivation_note(state) -> str | None:
	"""Why 创新平台管理中心 cannot be used yet, or None."""
	if not state.get("enterprise"):
		if state.get("application_status") == IN_REVIEW:
			return _("Your enterprise certification is under review; available once it is approved")
		return _("Please complete the enterprise certification first")
	if state.get("needs_update"):
		return _("Please complete your enterprise information first")
	return None


CRUMBS = {
	"console": [],
	"account": [("account", "Account Center", "/account-center"), ("", "Account Information", None)],
	"certify": [("account", "Account Center", "/account-center"), ("", "Account Certification", None)],
	"password": [("account", "Account Center", "/account-center"), ("", "Change Password", None)],
	"members": [("account", "Account Center", "/account-center"), ("", "Enterprise members", None)],
	"enterprise-update": [
		("account", "Account Center", "/account-center"),
		("", "Complete enterprise information", None),
	],
	"cultivation": [
		("", "Digital Industry Center", CONSOLE + "#digital"),
		("", "Technology Innovation Platform", CONSOLE + "#innovation"),
		("", "Innovation Platform Management Center", "/cultivation"),
	],
}


def breadcrumbs(active: str) -> list[dict]:
	"""控制台 › … : every step but the last is a link."""
	steps = [{"label": _("Console"), "route": CONSOLE}]
	steps += [{"label": _(label), "route": route} for _key, label, route in CRUMBS.get(active, [])]
	steps[-1]["current"] = True
	return steps
