"""Sites made before the department side: fill the review queues' times and the 申报书 codes.

- Cultivation Submission: submitted_at (the latest 已提交 step), stage_entered_at (the latest step)
  and, for submitted ones, the verification code;
- Enterprise: certification_submitted_at (the latest 审核中 step) of applications that went through
  review (enterprises imported as certified were never submitted).

Times come from the Workflow comments every step leaves, else the record's last change. Only empty
fields are filled, so the patch is safe to run again."""

import frappe

from gz_innovation.cultivation import application
from gz_innovation.cultivation.stages import SUBMITTED


def execute():
	fill_submissions()
	fill_enterprises()


def steps_of(doctype: str, name: str) -> list[tuple[str, object]]:
	return [
		(frappe.utils.strip_html(row.content or "").strip(), row.creation)
		for row in frappe.get_all(
			"Comment",
			filters={"reference_doctype": doctype, "reference_name": name, "comment_type": "Workflow"},
			fields=["content", "creation"],
			order_by="creation asc",
		)
	]


def latest(steps, state=None):
	matching = [at for s, at in steps if state is None or s == state]
	return matching[-1] if matching else None


def fill_submissions() -> None:
	for row in frappe.get_all(
		"Cultivation Submission",
		filters=[["stage_entered_at", "is", "not set"]],
		fields=["name", "status", "modified"],
	):
		steps = steps_of("Cultivation Submission", row.name)
		values = {"stage_entered_at": latest(steps) or row.modified}
		if row.status != "草稿":
			values["submitted_at"] = latest(steps, SUBMITTED) or row.modified
		frappe.db.set_value("Cultivation Submission", row.name, values, update_modified=False)
		doc = frappe.get_doc("Cultivation Submission", row.name)
		if not application.is_draft(doc) and not doc.verification_code:
			doc.db_set("verification_code", application.code_of(doc), update_modified=False)


def fill_enterprises() -> None:
	"""Applications that went through review; enterprises imported certified were never submitted."""
	for row in frappe.get_all(
		"Enterprise",
		filters=[["certification_submitted_at", "is", "not set"], ["certification_status", "!=", "草稿"]],
		fields=["name", "modified", "certification_status"],
	):
		at = latest(steps_of("Enterprise", row.name), "审核中")
		if not at and row.certification_status == "审核中":
			at = row.modified
		if at:
			frappe.db.set_value(
				"Enterprise", row.name, "certification_submitted_at", at, update_modified=False
			)
