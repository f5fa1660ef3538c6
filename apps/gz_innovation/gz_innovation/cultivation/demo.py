"""Demo submissions for the department side (fixtures/demo/department/submissions.json), loaded by
scripts/run.sh after the generic demo records, so the workspace, charts and reports show something.

Each submission goes the real way: the enterprise admin fills and submits it (evaluation included),
the reviewer of its stage takes each Workflow step (the demo 市州 reviewer of its city, else
Administrator; the demo 省厅 reviewer). Then its steps are moved back in time by the days the
fixture gives, so the per-day chart and the review times spread over the last weeks. A submission
already there is left alone, so a second load changes nothing.
"""

import json
from datetime import timedelta
from pathlib import Path

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime

from gz_innovation.cultivation import application, stages, submission
from gz_innovation.cultivation.stages import SUBMITTED
from gz_innovation.enterprise.permissions import REVIEW_CITY_FIELD
from gz_innovation.setup.demo import DemoDataError, refused_as

SUBMIT_ACTIONS = ("提交申请", "重新提交")
RETURN = "退回修改"


def load(path: str) -> list[str]:
	"""Load the spec file under `path` (fixtures/demo/department); returns the new submissions."""
	spec = json.loads((Path(path) / "submissions.json").read_text(encoding="utf-8"))
	batch = spec["batch"]
	if not frappe.db.exists("Cultivation Batch", batch):
		raise DemoDataError(
			f"demo data does not fit: department/submissions.json names the batch {batch}, which no demo file makes"
		)
	set_deadlines(batch, spec.get("deadline_days") or {})
	made = []
	for number, record in enumerate(spec["submissions"], start=1):
		with refused_as(
			f"department/submissions.json, submission {number} "
			f"({record.get('enterprise')} {record.get('cultivation_type')})"
		):
			name = load_submission(batch, record)
		if name:
			made.append(name)
	frappe.set_user("Administrator")
	frappe.db.commit()  # nosemgrep: a bench command, not a request
	return made


def set_deadlines(batch: str, days: dict) -> None:
	"""Stage deadlines relative to today, only where the batch has none yet."""
	doc = frappe.get_doc("Cultivation Batch", batch)
	changed = False
	for field, offset in days.items():
		if not doc.get(field):
			doc.set(
				field, add_days(now_datetime().replace(hour=18, minute=0, second=0, microsecond=0), offset)
			)
			changed = True
	if changed:
		doc.save(ignore_permissions=True)


def load_submission(batch: str, record: dict) -> str | None:
	enterprise, cultivation_type = record["enterprise"], record["cultivation_type"]
	key = {"enterprise": enterprise, "cultivation_type": cultivation_type, "batch": batch}
	if frappe.db.exists("Cultivation Submission", key):
		return None
	admin = frappe.db.get_value("Enterprise", enterprise, "enterprise_admin")
	if not admin:
		raise DemoDataError(f"the enterprise {enterprise} has no enterprise admin in the demo files")
	frappe.set_user(admin)
	name = submission.open_draft(cultivation_type, batch).name
	submission.save_draft(name, {**record["values"], "commitment": 1})
	for action, _days_ago in record["steps"]:
		take_step(name, action, admin, record.get("return_reason"))
	frappe.set_user("Administrator")
	backdate(name, [days_ago for _action, days_ago in record["steps"]])
	return name


def take_step(name: str, action: str, admin: str, reason: str | None) -> None:
	if action in SUBMIT_ACTIONS:
		frappe.set_user(admin)
		submission.submit(name)
		return
	doc = frappe.get_doc("Cultivation Submission", name)
	frappe.set_user(reviewer_for(doc))
	if action == RETURN:
		doc.review_comment = reason
		doc.save()
	apply_workflow(frappe.get_doc("Cultivation Submission", name), action)


def reviewer_for(doc) -> str:
	"""A demo reviewer of the submission's stage (of its city for a 市州 stage), else Administrator."""
	stage = stages.all_stages().get(stages.stage_of(doc.status) or "")
	if not stage:
		return "Administrator"
	users = frappe.get_all("Has Role", filters={"role": stage["role"], "parenttype": "User"}, pluck="parent")
	filters = {"name": ["in", users or [""]], "enabled": 1}
	if stage["scope"] == "市州":
		filters[REVIEW_CITY_FIELD] = doc.city
	return (frappe.get_all("User", filters=filters, pluck="name", limit=1) or ["Administrator"])[0]


def backdate(name: str, days_ago: list[int]) -> None:
	"""Move the submission's steps (Workflow comments), its times and its creation back in time."""
	now = now_datetime()
	times = [now - timedelta(days=days, hours=(7 * i) % 5) for i, days in enumerate(days_ago)]
	steps = frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Cultivation Submission",
			"reference_name": name,
			"comment_type": "Workflow",
		},
		fields=["name", "content"],
		order_by="creation asc",
	)
	for step, at in zip(steps, times, strict=False):
		frappe.db.set_value("Comment", step.name, {"creation": at, "modified": at}, update_modified=False)
	for note in frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Cultivation Submission",
			"reference_name": name,
			"comment_type": "Info",
		},
		pluck="name",
	):
		returned = [at for step, at in zip(steps, times, strict=False) if step.content == RETURN]
		if returned:
			frappe.db.set_value(
				"Comment", note, {"creation": returned[-1] - timedelta(minutes=5)}, update_modified=False
			)
	created = (times[0] if times else now - timedelta(days=2)) - timedelta(days=1)
	values = {"creation": created, "stage_entered_at": times[-1] if times else created}
	submitted = [at for step, at in zip(steps, times, strict=False) if step.content == SUBMITTED]
	if submitted:
		values["submitted_at"] = submitted[-1]
	frappe.db.set_value("Cultivation Submission", name, values, update_modified=False)
	doc = frappe.get_doc("Cultivation Submission", name)
	if not application.is_draft(doc):
		doc.db_set("verification_code", application.code_of(doc), update_modified=False)
