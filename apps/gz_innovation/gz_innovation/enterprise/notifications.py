"""Messages to applicants and enterprise admins: SMS through the accounts provider interface and
e-mail through Frappe's queue, both in Chinese, naming the reason where there is one."""

import frappe
from frappe import _

from gz_innovation.accounts import sms
from gz_innovation.accounts.registration import PLACEHOLDER_EMAIL_DOMAIN

RESULT_PURPOSE = {
	"已认证": "certification_approved",
	"退回修改": "certification_returned",
	"驳回": "certification_rejected",
}


def notify_user(user: str, purpose: str, params: dict, subject: str, extra_emails=()) -> None:
	"""SMS to the user's mobile and e-mail to the user's real address (and `extra_emails`).
	A failed SMS is logged in GZ SMS Log and never blocks the business action."""
	mobile, email = frappe.db.get_value("User", user, ["mobile_no", "email"]) or (None, None)
	if mobile:
		try:
			sms.send_sms(mobile, purpose, params, request_ip=None)
		except frappe.ValidationError:
			frappe.clear_last_message()
	text = sms.render_html(sms.get_template(purpose).text, params)
	recipients = [e for e in (email, *extra_emails) if e and not e.endswith(PLACEHOLDER_EMAIL_DOMAIN)]
	if recipients:
		try:
			frappe.sendmail(recipients=recipients, subject=subject, message=text, now=False)
		except frappe.OutgoingEmailError:
			# No outgoing e-mail account yet: the SMS went out, the review must not fail.
			frappe.clear_last_message()
			frappe.log_error(title="Notification e-mail not queued: no outgoing e-mail account")


def certification_result(doc) -> None:
	purpose = RESULT_PURPOSE[doc.certification_status]
	params = {
		"enterprise": doc.enterprise_name,
		"result": _(doc.certification_status),
		"reason": (doc.review_comment or "").strip(),
	}
	subject = _("Enterprise certification of {0}: {1}").format(
		doc.enterprise_name, _(doc.certification_status)
	)
	notify_user(
		doc.applicant, purpose, params, subject, extra_emails=[doc.contact_email] if doc.contact_email else []
	)


def join_request_result(request, approved: bool) -> None:
	enterprise_name = frappe.db.get_value("Enterprise", request.enterprise, "enterprise_name")
	purpose = "join_approved" if approved else "join_rejected"
	params = {"enterprise": enterprise_name, "reason": (request.reject_reason or "").strip()}
	subject = _("Your request to join {0}").format(enterprise_name)
	notify_user(request.user, purpose, params, subject)
