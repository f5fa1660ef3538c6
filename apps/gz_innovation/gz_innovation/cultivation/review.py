"""Review of submissions with the Workflow "Cultivation Review" (市州初审 → 省厅审核 → 培育中 →
培育完成, 退回修改 with a reason), its notifications, and the 审核流程 history."""

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow

from gz_innovation.enterprise.notifications import notify_user

RETURNED = "退回修改"


class ReviewError(frappe.ValidationError):
	http_status_code = 417


def apply_action(doc, action: str) -> None:
	doc.flags.ignore_permissions = True
	apply_workflow(doc, action)


def validate_review(doc) -> None:
	if doc.has_value_changed("status") and doc.status == RETURNED and not (doc.review_comment or "").strip():
		frappe.throw(
			_("Please enter and save the reason in Review Comment before choosing {0}").format(RETURNED),
			ReviewError,
		)


def on_status_change(doc) -> None:
	if not doc.has_value_changed("status") or doc.is_new():
		return
	from gz_innovation.cultivation.submission import recognition_status

	doc.db_set(
		"recognition_status", recognition_status(doc.overall_result, doc.status), update_modified=False
	)
	if doc.status == RETURNED:
		doc.add_comment("Info", _("Returned for revision: {0}").format(doc.review_comment.strip()))
	admin = frappe.db.get_value("Enterprise", doc.enterprise, "enterprise_admin")
	if admin and doc.status != "已提交":
		reason = (doc.review_comment or "").strip() if doc.status == RETURNED else ""
		notify_user(
			admin,
			"cultivation_status",
			{"type": doc.cultivation_type, "status": doc.status, "reason": reason},
			_("{0} submission: {1}").format(doc.cultivation_type, doc.status),
		)


def history(name: str) -> list[dict]:
	"""Every workflow step of a submission: state, who, when, comment. A return reason is written
	just before its 退回修改 step; other notes (re-evaluations) follow the step they belong to."""
	rows = frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Cultivation Submission",
			"reference_name": name,
			"comment_type": ["in", ("Workflow", "Info")],
		},
		fields=["comment_type", "content", "owner", "creation"],
		order_by="creation asc",
	)
	return_prefix = _("Returned for revision: {0}").split("{0}")[0]
	steps, pending = [], ""
	for row in rows:
		text = frappe.utils.strip_html(row.content or "")
		if row.comment_type == "Workflow":
			who = frappe.db.get_value("User", row.owner, "full_name") or row.owner
			steps.append({"state": text, "by": who, "at": str(row.creation)[:19], "comment": pending})
			pending = ""
		elif text.startswith(return_prefix):
			pending = text
		elif steps:
			steps[-1]["comment"] = (steps[-1]["comment"] + " " + text).strip()
	return steps
