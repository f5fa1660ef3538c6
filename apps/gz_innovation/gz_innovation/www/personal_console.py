# 个人控制台 (manual §2.1.3): where the console's breadcrumbs start; says what the user should do now.
from frappe import _

from gz_innovation.enterprise.certification import IN_REVIEW
from gz_innovation.portal import console

no_cache = 1


def get_context(context):
	console.require_login(console.CONSOLE)
	state = console.page(context, "console", _("Personal Console"), "console")
	context.next_step = next_step(state)


def next_step(state) -> dict:
	if state.get("needs_update"):
		return step(
			_("Your enterprise's data came from the previous platform: review and complete it."),
			"/enterprise-update",
			_("Complete enterprise information"),
			"alert-warning",
		)
	if state.get("enterprise"):
		if state.get("is_admin"):
			return step(
				_(
					"Fill in and submit the restrictive indicators in the Innovation Platform Management Center."
				),
				"/cultivation",
				_("Innovation Platform Management Center"),
			)
		return step(
			_("You are a member of {0}. Only the enterprise admin submits indicators.").format(
				state.enterprise_name
			),
			"/cultivation",
			_("Innovation Platform Management Center"),
		)
	if state.get("application_status") == IN_REVIEW:
		return step(
			_("Your enterprise certification is under review. The result will be sent by SMS and e-mail."),
			"/certify",
			_("Account Certification"),
		)
	return step(
		_("Certify your enterprise to use the business functions."),
		"/certify",
		_("Enterprise Certification"),
		"alert-warning",
	)


def step(text: str, route: str, action: str, style: str = "alert-info") -> dict:
	return {"text": text, "route": route, "action": action, "style": style}
