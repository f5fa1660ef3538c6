"""The certification queue of the reviewers: when an application was submitted for review."""

from frappe.utils import now_datetime

from gz_innovation.utils import refuse_client_changes, server_set

IN_REVIEW = "审核中"


def validate(doc, method=None) -> None:
	"""Enterprise: the submission time is the server's (gz_innovation.utils)."""
	refuse_client_changes(doc, ("certification_submitted_at",))


def before_save(doc, method=None) -> None:
	"""Enterprise: the time of the latest submission for review (提交审核 or 重新提交)."""
	if doc.certification_status == IN_REVIEW and (
		doc.is_new() or doc.has_value_changed("certification_status")
	):
		server_set(doc, certification_submitted_at=now_datetime())
