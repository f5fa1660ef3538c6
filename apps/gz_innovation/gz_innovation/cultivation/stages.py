"""The review stages of a submission in time: when it was submitted, since when it is in its current
state, which batch deadline it is due at (市州初审 or 省厅审核; a draft: the batch's closing), and how
long each stage took.

Stage times and the stage's deadline are set by the server on every status change (doc_events in
hooks.py), never by a client; a batch whose deadlines change passes them on to its submissions. A
batch's deadlines are checked when the batch is saved.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from gz_innovation.cultivation import application, states
from gz_innovation.utils import refuse_client_changes, server_set

SUBMITTED = "已提交"
CITY_STAGE = ("已提交", "市州初审")  # waiting for 受理, then 市州初审
PROVINCE_STAGE = ("省厅审核",)
STAGES = {
	"city": {"states": CITY_STAGE, "deadline_field": "city_review_deadline", "label": "市州初审"},
	"province": {"states": PROVINCE_STAGE, "deadline_field": "province_review_deadline", "label": "省厅审核"},
}


class DeadlineError(frappe.ValidationError):
	http_status_code = 417


# Server-owned (gz_innovation.utils): a client that sends them is refused, as for the evaluation.
SERVER_FIELDS = ("submitted_at", "stage_entered_at", "stage_deadline", "verification_code")


def validate(doc, method=None) -> None:
	"""Cultivation Submission: the queue times and the code are the server's."""
	refuse_client_changes(doc, SERVER_FIELDS)


def before_save(doc, method=None) -> None:
	"""Cultivation Submission: stage times and deadline, then the verification code that covers
	submitted_at."""
	if doc.is_new() or doc.has_value_changed("status"):
		now = now_datetime()
		server_set(doc, stage_entered_at=now, stage_deadline=deadline_of(doc.batch, doc.status))
		if doc.status == SUBMITTED:
			server_set(doc, submitted_at=now)
	application.refresh_code(doc)


def stage_of(status: str | None) -> str | None:
	return next((key for key, stage in STAGES.items() if status in stage["states"]), None)


def deadline_field_of(status: str | None) -> str | None:
	"""The batch's deadline of the stage a status is in (a draft: the batch's closing time)."""
	if status == states.DRAFT:
		return "closes_at"
	stage = stage_of(status)
	return STAGES[stage]["deadline_field"] if stage else None


def deadline_of(batch: str | None, status: str | None):
	field = deadline_field_of(status)
	return frappe.db.get_value("Cultivation Batch", batch, field) if batch and field else None


def pass_on_deadlines(batch) -> None:
	"""Cultivation Batch (on_update): changed deadlines reach the submissions in those stages."""
	for status in (states.DRAFT, *CITY_STAGE, *PROVINCE_STAGE):
		field = deadline_field_of(status)
		if batch.has_value_changed(field):
			frappe.db.set_value(
				"Cultivation Submission",
				{"batch": batch.name, "status": status},
				"stage_deadline",
				batch.get(field),
				update_modified=False,
			)


def validate_batch_deadlines(doc) -> None:
	"""Cultivation Batch: a stage deadline cannot lie before the batch opens, and the province stage
	cannot end before the city stage."""
	opens_at = get_datetime(doc.opens_at) if doc.opens_at else None
	meta = frappe.get_meta("Cultivation Batch")
	for stage in STAGES.values():
		value = doc.get(stage["deadline_field"])
		if value and opens_at and get_datetime(value) < opens_at:
			frappe.throw(
				_("{0} cannot be before the batch opens ({1})").format(
					_(meta.get_label(stage["deadline_field"])), opens_at.strftime("%Y-%m-%d %H:%M")
				),
				DeadlineError,
				title=_("Review Deadlines"),
			)
	city, province = doc.get("city_review_deadline"), doc.get("province_review_deadline")
	if city and province and get_datetime(province) < get_datetime(city):
		frappe.throw(
			_("{0} cannot be before {1}").format(
				_(meta.get_label("province_review_deadline")), _(meta.get_label("city_review_deadline"))
			),
			DeadlineError,
			title=_("Review Deadlines"),
		)


def stage_history(names: list[str]) -> dict[str, list[tuple]]:
	"""{submission: [(state, entered_at), ...]} in time order, from the Workflow comments every step
	leaves (the 审核流程 of review.history reads the same records)."""
	history: dict[str, list[tuple]] = {}
	if not names:
		return history
	for name, state, at in frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Cultivation Submission",
			"reference_name": ["in", names],
			"comment_type": "Workflow",
		},
		fields=["reference_name", "content", "creation"],
		order_by="creation asc",
		as_list=True,
	):
		history.setdefault(name, []).append((frappe.utils.strip_html(state or "").strip(), get_datetime(at)))
	return history


def stage_spans(steps: list[tuple], now) -> dict[str, dict]:
	"""For the latest submission in `steps`: per stage, when it started and ended (None: still in it).

	The city stage runs from 已提交 until the submission leaves 已提交/市州初审; the province stage from
	省厅审核 until it leaves it. A return and resubmission starts a new cycle: only the last counts."""
	last_submit = max((i for i, (state, _at) in enumerate(steps) if state == SUBMITTED), default=None)
	if last_submit is None:
		return {}
	cycle = steps[last_submit:]
	spans = {}
	for key, stage in STAGES.items():
		start = end = None
		for state, at in cycle:
			if start is None:
				if state in stage["states"]:
					start = at
			elif state not in stage["states"]:
				end = at
				break
		if start is not None:
			spans[key] = {"start": start, "end": end, "days": ((end or now) - start).total_seconds() / 86400}
	return spans
