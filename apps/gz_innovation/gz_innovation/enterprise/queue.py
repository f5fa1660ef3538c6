"""The certification queue of the reviewers: when an application was submitted for review."""

from frappe.utils import now_datetime

IN_REVIEW = "审核中"


def before_save(doc, method=None) -> None:
	"""Enterprise: the time of the latest submission for review (提交审核 or 重新提交), set by the server
	(a value sent by a client is replaced by the stored one)."""
	before = doc.get_doc_before_save()
	doc.certification_submitted_at = before.get("certification_submitted_at") if before else None
	if doc.certification_status == IN_REVIEW and (
		doc.is_new() or doc.has_value_changed("certification_status")
	):
		doc.certification_submitted_at = now_datetime()
