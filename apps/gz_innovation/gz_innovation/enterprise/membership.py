"""Members of an enterprise (manual §1.6): one admin, staff who joined or were added by the admin.

Membership is a User Permission on Enterprise (Frappe's own tenant filter); the roles say what a
member may do. The rules hold on every path:
- a member is a portal user of one enterprise only (`require_may_join`, also on the User Permission);
- join requests are decided by the enterprise's admin (Enterprise Join Request's controller);
- admin transfers name a member of the enterprise and are decided by a reviewer in scope (Enterprise
  Admin Transfer's controller);
- the portal functions further down check that the caller is the enterprise's admin.
"""

import frappe
from frappe import _
from frappe.permissions import add_user_permission

from gz_innovation.accounts.password import set_default_password, validate_password_rule
from gz_innovation.accounts.registration import (
	create_portal_user,
	validate_mobile_is_free,
	validate_username_is_free,
)
from gz_innovation.enterprise import notifications
from gz_innovation.enterprise.idcard import mask_mobile
from gz_innovation.enterprise.permissions import member_enterprises
from gz_innovation.enterprise.roles import ADMIN_ROLE, ASSIGNABLE_ROLES, STAFF_ROLE
from gz_innovation.utils import (
	is_desk_user,
	is_platform_admin,
	refuse_client_changes,
	server_set,
	throw_for_field,
)

PENDING, APPROVED, REFUSED = "待审核", "已通过", "已拒绝"
TRANSFER_PENDING, TRANSFER_APPROVED, TRANSFER_REJECTED = "审核中", "已通过", "驳回"


class MembershipError(frappe.ValidationError):
	http_status_code = 417


def enterprise_of(user: str) -> str | None:
	names = member_enterprises(user)
	return names[0] if names else None


def is_admin_of(enterprise: str, user: str | None = None) -> bool:
	admin = frappe.db.get_value("Enterprise", enterprise, "enterprise_admin")
	return bool(admin) and admin == (user or frappe.session.user)


def admin_of_code(identifier: str) -> str | None:
	"""Hook `gz_login_identifier`: a certified enterprise's 统一社会信用代码 logs its admin in."""
	from gz_innovation.enterprise.uscc import LENGTH, normalize

	code = normalize(identifier)
	if len(code) != LENGTH:
		return None
	return frappe.db.get_value(
		"Enterprise", {"uscc": code, "certification_status": "已认证"}, "enterprise_admin"
	)


def require_admin(enterprise: str) -> None:
	if not is_admin_of(enterprise):
		frappe.throw(_("Only the enterprise admin can do this"), frappe.PermissionError)


def require_may_join(user: str, enterprise: str | None = None) -> None:
	"""A member of an enterprise is an enabled portal user (never a Desk user) of no other enterprise."""
	if is_desk_user(user):
		frappe.throw(_("Desk users cannot be members of an enterprise"), MembershipError)
	other = [name for name in member_enterprises(user) if name != enterprise]
	if other:
		frappe.throw(
			_("{0} already belongs to an enterprise; leave it first").format(
				frappe.db.get_value("User", user, "full_name") or user
			),
			MembershipError,
		)


def validate_user_permission(doc, method=None) -> None:
	"""User Permission.validate hook: membership (a User Permission on Enterprise) by any path."""
	if doc.allow == "Enterprise" and doc.is_new():
		require_may_join(doc.user, doc.for_value)


def add_member(enterprise: str, user: str, role: str) -> None:
	if not frappe.db.exists(
		"User Permission", {"user": user, "allow": "Enterprise", "for_value": enterprise}
	):
		add_user_permission("Enterprise", enterprise, user, ignore_permissions=True, is_default=1)
	doc = frappe.get_doc("User", user)
	doc.flags.ignore_permissions = True
	doc.add_roles(role)


def make_admin(enterprise_doc, user: str) -> None:
	"""On certification the applicant becomes the enterprise's single admin."""
	add_member(enterprise_doc.name, user, ADMIN_ROLE)
	enterprise_doc.db_set("enterprise_admin", user, update_modified=False)


def member_users(enterprise: str) -> list[str]:
	return frappe.get_all(
		"User Permission",
		filters={"allow": "Enterprise", "for_value": enterprise},
		pluck="user",
		ignore_permissions=True,
	)


# --- Enterprise Join Request (its controller calls these) ----------------------------------------


def validate_join_request(request) -> None:
	before = request.get_doc_before_save()
	if before is None:
		refuse_client_changes(request, ("status", "decided_by", "reject_reason"))
		if request.user != frappe.session.user and not is_platform_admin():
			frappe.throw(_("A join request is made by the person who wants to join"), frappe.PermissionError)
		if frappe.db.get_value("Enterprise", request.enterprise, "certification_status") != "已认证":
			frappe.throw(_("Only certified enterprises can be joined"), MembershipError)
		if enterprise_of(request.user):
			frappe.throw(_("You already belong to an enterprise"), MembershipError)
		require_may_join(request.user)
		return
	refuse_client_changes(request, ("enterprise", "user", "decided_by"))
	if not request.has_value_changed("status") and not request.has_value_changed("reject_reason"):
		return
	if before.status != PENDING:
		frappe.throw(_("This request has already been decided"), MembershipError)
	if not (is_admin_of(request.enterprise) or is_platform_admin()):
		frappe.throw(_("Only the enterprise admin can do this"), frappe.PermissionError)
	if request.status == REFUSED and not (request.reject_reason or "").strip():
		throw_for_field("reject_reason", _("Reject reason: please tell the requester why"), MembershipError)
	if request.status == APPROVED:
		require_may_join(request.user, request.enterprise)
	server_set(request, decided_by=frappe.session.user)


def on_join_request_update(request) -> None:
	if not request.has_value_changed("status") or request.status not in (APPROVED, REFUSED):
		return
	if request.status == APPROVED:
		add_member(request.enterprise, request.user, STAFF_ROLE)
	notifications.join_request_result(request, request.status == APPROVED)


# --- Enterprise Admin Transfer (its controller calls these) ---------------------------------------


def validate_admin_transfer(transfer) -> None:
	from gz_innovation.enterprise.roles import REVIEWER_ROLES

	before = transfer.get_doc_before_save()
	if before is None:
		refuse_client_changes(transfer, ("from_user", "status", "review_comment"))
		if not is_admin_of(transfer.enterprise):
			frappe.throw(_("Only the enterprise admin can do this"), frappe.PermissionError)
		server_set(transfer, from_user=frappe.session.user)
		require_transfer_target(transfer)
		if frappe.db.exists(
			"Enterprise Admin Transfer", {"enterprise": transfer.enterprise, "status": TRANSFER_PENDING}
		):
			frappe.throw(_("A transfer of the admin role is already waiting for review"), MembershipError)
		return
	refuse_client_changes(transfer, ("enterprise", "from_user", "to_user"))
	if not (transfer.has_value_changed("status") or transfer.has_value_changed("review_comment")):
		return
	if not (set(REVIEWER_ROLES) & set(frappe.get_roles()) or is_platform_admin()):
		frappe.throw(_("Only reviewers decide a transfer of the admin role"), frappe.PermissionError)
	if transfer.has_value_changed("status"):
		if before.status != TRANSFER_PENDING:
			frappe.throw(_("This request has already been decided"), MembershipError)
		if transfer.status == TRANSFER_REJECTED and not (transfer.review_comment or "").strip():
			frappe.throw(_("Please enter the reason in Review Comment"), MembershipError)
		if transfer.status == TRANSFER_APPROVED:
			if not is_admin_of(transfer.enterprise, transfer.from_user):
				frappe.throw(_("The requester is no longer the enterprise admin"), MembershipError)
			require_transfer_target(transfer)


def require_transfer_target(transfer) -> None:
	"""The new admin is an enabled member of the enterprise other than its admin."""
	if transfer.to_user not in member_users(transfer.enterprise) or transfer.to_user == transfer.from_user:
		frappe.throw(_("The new admin must be a member of the enterprise"), MembershipError)
	if not frappe.db.get_value("User", transfer.to_user, "enabled"):
		frappe.throw(_("The new admin's account is disabled"), MembershipError)
	require_may_join(transfer.to_user, transfer.enterprise)


def on_admin_transfer_update(transfer) -> None:
	"""Approved by the regulator: the new admin replaces the old one."""
	if not transfer.has_value_changed("status") or transfer.status != TRANSFER_APPROVED:
		return
	enterprise = frappe.get_doc("Enterprise", transfer.enterprise)
	old = frappe.get_doc("User", transfer.from_user)
	old.flags.ignore_permissions = True
	old.remove_roles(ADMIN_ROLE)
	old.add_roles(STAFF_ROLE)
	make_admin(enterprise, transfer.to_user)


# --- the portal: the admin's members page -----------------------------------------------------------


def members(enterprise: str) -> list[dict]:
	require_admin(enterprise)
	admin = frappe.db.get_value("Enterprise", enterprise, "enterprise_admin")
	rows = frappe.get_all(
		"User",
		filters={"name": ["in", member_users(enterprise) or [""]]},
		fields=["name", "full_name", "username", "mobile_no", "enabled"],
		ignore_permissions=True,
	)
	for row in rows:
		roles = set(frappe.get_roles(row.name))
		row.mobile_no = mask_mobile(row.mobile_no)
		row.is_admin = row.name == admin
		row.roles = sorted(roles & set(ASSIGNABLE_ROLES))
	return sorted(rows, key=lambda r: (not r.is_admin, r.full_name or ""))


def request_join(enterprise: str) -> str:
	user = frappe.session.user
	if frappe.db.exists(
		"Enterprise Join Request", {"user": user, "enterprise": enterprise, "status": PENDING}
	):
		frappe.throw(_("Your request to join is waiting for the enterprise admin"), MembershipError)
	request = frappe.get_doc({"doctype": "Enterprise Join Request", "enterprise": enterprise, "user": user})
	request.insert(ignore_permissions=True)  # the request's own rules decide
	return request.name


def join_requests(enterprise: str) -> list[dict]:
	require_admin(enterprise)
	rows = frappe.get_all(
		"Enterprise Join Request",
		filters={"enterprise": enterprise, "status": PENDING},
		fields=["name", "user", "creation"],
		ignore_permissions=True,
	)
	for row in rows:
		row.full_name, mobile = frappe.db.get_value("User", row.user, ["full_name", "mobile_no"])
		row.mobile_no = mask_mobile(mobile)
	return rows


def decide_join(request_name: str, approve: bool, reason: str | None = None) -> None:
	request = frappe.get_doc("Enterprise Join Request", request_name)
	require_admin(request.enterprise)
	request.status = APPROVED if approve else REFUSED
	request.reject_reason = None if approve else (reason or "").strip()
	request.save(ignore_permissions=True)  # the request's own rules decide


def add_staff(enterprise: str, mobile: str, username: str, full_name: str, default_password: str) -> str:
	"""A staff account with a default password that must be changed at first login."""
	require_admin(enterprise)
	mobile, username, full_name = (mobile or "").strip(), (username or "").strip(), (full_name or "").strip()
	validate_mobile_is_free(mobile)
	validate_username_is_free(username)
	if not full_name:
		from gz_innovation.accounts.messages import raise_problem

		raise_problem("full_name_missing")
	validate_password_rule(default_password)
	user = create_portal_user(mobile, username, full_name)
	add_member(enterprise, user, STAFF_ROLE)
	set_default_password(user, default_password)
	return user


def require_staff_of(enterprise: str, user: str) -> None:
	if user not in member_users(enterprise):
		frappe.throw(_("This account is not a member of your enterprise"), frappe.PermissionError)
	if user == frappe.session.user:
		frappe.throw(_("The enterprise admin cannot do this to their own account"), MembershipError)


def reset_staff_password(enterprise: str, user: str, default_password: str) -> None:
	require_admin(enterprise)
	require_staff_of(enterprise, user)
	validate_password_rule(default_password)
	set_default_password(user, default_password)


def set_staff_enabled(enterprise: str, user: str, enabled: bool) -> None:
	require_admin(enterprise)
	require_staff_of(enterprise, user)
	frappe.db.set_value("User", user, "enabled", 1 if enabled else 0)
	if not enabled:
		from frappe.sessions import clear_sessions

		clear_sessions(user, force=True)


def set_staff_roles(enterprise: str, user: str, roles: list[str]) -> None:
	require_admin(enterprise)
	require_staff_of(enterprise, user)
	unknown = set(roles) - set(ASSIGNABLE_ROLES)
	if unknown:
		frappe.throw(
			_("These roles cannot be given by an enterprise admin: {0}").format(", ".join(sorted(unknown))),
			MembershipError,
		)
	doc = frappe.get_doc("User", user)
	doc.flags.ignore_permissions = True
	doc.remove_roles(*[r for r in ASSIGNABLE_ROLES if r not in roles])
	doc.add_roles(*roles)


def request_admin_transfer(enterprise: str, to_user: str) -> str:
	"""Handing the admin role to another member is a request the regulator approves in Desk."""
	require_admin(enterprise)
	require_staff_of(enterprise, to_user)
	request = frappe.get_doc(
		{"doctype": "Enterprise Admin Transfer", "enterprise": enterprise, "to_user": to_user}
	)
	request.insert(ignore_permissions=True)  # the transfer's own rules decide
	return request.name
