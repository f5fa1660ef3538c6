"""Review of submissions with the Workflow "Cultivation Review" (市州初审 → 省厅审核 → 培育中 →
培育完成, 退回修改 with a reason), its notifications, and the 审核流程 history."""

import html

import frappe
from frappe import _
from frappe.model.workflow import (
	WorkflowTransitionError,
	get_transitions,
	get_workflow,
	has_approval_access,
)

from gz_innovation.cultivation import states
from gz_innovation.enterprise.notifications import notify_user
from gz_innovation.utils import check_review_comment

RETURNED = states.RETURNED


class ReviewError(frappe.ValidationError):
	http_status_code = 417


def apply_action(doc, action: str) -> None:
	"""Move the document along the Workflow with the changes it carries, in one save.

	Frappe's apply_workflow reloads the document from the database and saves it again, so a
	submit would save twice; this applies the same checks (the transition exists from the current
	state for the user's roles and its condition holds; self-approval rules) to the document as it
	is, then saves once and writes the Workflow comment the 审核流程 tab reads."""
	doc.flags.ignore_permissions = True
	workflow = get_workflow(doc.doctype)
	transition = next((t for t in get_transitions(doc, workflow) if t.action == action), None)
	if not transition:
		frappe.throw(_("Not a valid Workflow Action"), WorkflowTransitionError)
	if not has_approval_access(frappe.session.user, doc, transition):
		frappe.throw(_("Self approval is not allowed"))
	doc.set(workflow.workflow_state_field, transition.next_state)
	next_state = next(d for d in workflow.states if d.state == transition.next_state)
	if next_state.update_field:
		doc.set(next_state.update_field, next_state.update_value)
	doc.save()
	doc.add_comment("Workflow", _(next_state.state))


# The states a reviewer's action leads to that need a reason for the applicant, by DocType: the
# documents' own rules refuse them without a review comment (validate_review here and in
# enterprise/certification.py). Desk's form scripts ask for the reason in a dialog when an action
# leads there (Desk's boot carries this, `boot_reason_states`).
REASON_STATES = {
	"Cultivation Submission": (RETURNED,),
	"Enterprise": ("退回修改", "驳回"),
}


@frappe.whitelist(methods=["POST"])
def act_with_reason(doctype: str, name: str, action: str, reason: str) -> None:
	"""退回修改 (or 驳回) from Desk's dialog (gz_desk.js gz_review_form.ask_reason): the reason becomes
	the review comment and the action is taken, in one save. The reviewer must be allowed to change the
	document and to take the action from its state (apply_action); the document's rule that such a
	state needs a reason decides on the reason."""
	if doctype not in REASON_STATES:
		frappe.throw(_("Not a valid Workflow Action"), WorkflowTransitionError)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("write")
	transition = next(
		(t for t in get_transitions(doc, get_workflow(doctype)) if t.action == action),
		None,
	)
	if not transition or transition.next_state not in REASON_STATES[doctype]:
		frappe.throw(_("Not a valid Workflow Action"), WorkflowTransitionError)
	doc.review_comment = (reason or "").strip()
	apply_action(doc, action)


def boot_reason_states(bootinfo) -> None:
	"""Desk's boot (hook `extend_bootinfo`): which states need a reason (REASON_STATES), and the stages."""
	if frappe.session.user != "Guest":
		bootinfo.gz_reason_states = REASON_STATES
		# The review stages in order (GZ Review Stage), for the reports' status filters.
		from gz_innovation.cultivation import stages

		bootinfo.gz_review_stages = [stage["name"] for stage in stages.all_stages().values()]


def validate_review(doc) -> None:
	check_review_comment(doc, ReviewError)
	if doc.has_value_changed("status") and doc.status == RETURNED and not (doc.review_comment or "").strip():
		frappe.throw(
			_("Please enter and save the reason in Review Comment before choosing {0}").format(RETURNED),
			ReviewError,
		)


def on_status_change(doc) -> None:
	# A new draft (no state before this save) is nothing to report.
	if doc.get_doc_before_save() is None or not doc.has_value_changed("status"):
		return
	status = states.recognition_status(doc.overall_result, doc.status)
	if doc.recognition_status != status:
		doc.db_set("recognition_status", status, update_modified=False)
	if doc.status == RETURNED:
		doc.add_comment("Info", _("Returned for revision: {0}").format(doc.review_comment.strip()))
	admin = frappe.db.get_value("Enterprise", doc.enterprise, "enterprise_admin")
	if admin and doc.status != states.SUBMITTED:
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
		# Frappe stores a comment escaped (&lt;): the text the reviewer typed, shown as text.
		text = html.unescape(frappe.utils.strip_html(row.content or ""))
		if row.comment_type == "Workflow":
			who = frappe.db.get_value("User", row.owner, "full_name") or row.owner
			steps.append({"state": text, "by": who, "at": str(row.creation)[:19], "comment": pending})
			pending = ""
		elif text.startswith(return_prefix):
			pending = text
		elif steps:
			steps[-1]["comment"] = (steps[-1]["comment"] + " " + text).strip()
	return steps
