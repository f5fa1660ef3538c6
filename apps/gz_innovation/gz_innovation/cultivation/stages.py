"""The review stages of a submission in time: when it was submitted, since when it is in its current
state, which deadline it is due at (its stage's: a batch date or a number of days; a draft: the
batch's closing), and how long each stage took.

The stages are records administrators keep in Desk (GZ Review Stage: 区县初审, 市州初审, 省厅审核, ...),
ordered, each with its reviewer role, scope, deadline and reminders; the Workflow "Cultivation Review"
is made from them (cultivation/route.py). A submission waits in 已提交 for the first stage's 受理.
This module is the one place that reads them.

Stage times and the stage's deadline are set by the server on every status change (doc_events in
hooks.py), never by a client; a batch whose deadlines change passes them on to its submissions. A
batch's deadlines are checked when the batch is saved.
"""

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, now_datetime

from gz_innovation import prepare
from gz_innovation.cultivation import application, states
from gz_innovation.utils import refuse_client_changes, server_set

SUBMITTED = "已提交"
STAGE_DOCTYPE = "GZ Review Stage"
CACHE_KEY = "gz_review_stages"
SCOPE_KEYS = {"区县": "county", "市州": "city", "省": "province"}


def all_stages() -> dict[str, dict]:
	"""{key: stage} in review order. A stage: key (county / city / province by its scope, numbered
	when a scope has several), name (its Workflow state), states (the first stage also holds 已提交,
	waiting for its 受理), role, scope, deadline_field, deadline_days, remind, label (as reviewers
	read it), enterprise_label and enterprise_todo (as the enterprise reads them), pass_action,
	return_action, programmes (those it reviews; empty: all). Read once per change (Redis), dropped when a stage is saved or deleted."""
	return {stage["key"]: stage for stage in prepare.shared(CACHE_KEY, _load)}


def _load() -> list[dict]:
	if not frappe.db.table_exists(STAGE_DOCTYPE):
		return []
	rows = frappe.get_all(
		STAGE_DOCTYPE,
		fields=[
			"name",
			"sequence",
			"reviewer_role",
			"scope_level",
			"pass_action",
			"return_action",
			"deadline_field",
			"deadline_days",
			"remind_reviewers",
			"enterprise_label",
			"enterprise_todo",
			"programmes",
		],
		order_by="sequence asc, creation asc",
	)
	loaded, seen = [], {}
	for index, row in enumerate(rows):
		base = SCOPE_KEYS.get(row.scope_level, "stage")
		seen[base] = seen.get(base, 0) + 1
		loaded.append(
			{
				"key": base if seen[base] == 1 else f"{base}_{seen[base]}",
				"name": row.name,
				"states": (SUBMITTED, row.name) if index == 0 else (row.name,),
				"role": row.reviewer_role,
				"scope": row.scope_level,
				"deadline_field": row.deadline_field or None,
				"deadline_days": row.deadline_days or 0,
				"remind": bool(row.remind_reviewers),
				"label": row.name,
				"enterprise_label": row.enterprise_label or row.name,
				"enterprise_todo": row.enterprise_todo or "",
				"pass_action": row.pass_action,
				"return_action": row.return_action or states.RETURNED,
				"programmes": programmes_of(row.programmes),
			}
		)
	return loaded


def programmes_of(text: str | None) -> tuple:
	"""The programmes a stage reviews (one per line); empty: every programme."""
	return tuple(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def reviews(stage: dict, cultivation_type: str | None) -> bool:
	return not stage["programmes"] or cultivation_type in stage["programmes"]


def route_of(cultivation_type: str | None) -> list[dict]:
	"""The stages a programme's submissions pass through, in order."""
	return [stage for stage in all_stages().values() if reviews(stage, cultivation_type)]


def forget() -> None:
	frappe.cache.delete_value(CACHE_KEY)


def review_states() -> tuple:
	"""已提交 and every stage's state: the submission is with the reviewers."""
	return tuple(state for stage in all_stages().values() for state in stage["states"])


def first_stage() -> dict | None:
	return next(iter(all_stages().values()), None)


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
		server_set(doc, stage_entered_at=now, stage_deadline=deadline_of(doc.batch, doc.status, now))
		if doc.status == SUBMITTED:
			server_set(doc, submitted_at=now)
	application.refresh_code(doc)


def stage_of(status: str | None) -> str | None:
	return next((key for key, stage in all_stages().items() if status in stage["states"]), None)


def deadline_field_of(status: str | None) -> str | None:
	"""The batch's field holding the deadline of the stage a status is in (a draft: the batch's
	closing time); None for a stage whose deadline is a number of days."""
	if status == states.DRAFT:
		return "closes_at"
	stage = stage_of(status)
	return all_stages()[stage]["deadline_field"] if stage else None


def deadline_of(batch: str | None, status: str | None, entered_at=None):
	"""The deadline of a submission entering `status` now (or at `entered_at`): its stage's batch date,
	or the stage's days after it entered."""
	field = deadline_field_of(status)
	if batch and field:
		return frappe.db.get_value("Cultivation Batch", batch, field)
	stage = stage_of(status)
	days = all_stages()[stage]["deadline_days"] if stage else 0
	return add_days(entered_at or now_datetime(), days) if days else None


def pass_on_deadlines(batch) -> None:
	"""Cultivation Batch (on_update): changed deadlines reach the submissions in those stages."""
	by_field = {"closes_at": (states.DRAFT,)}
	for stage in all_stages().values():
		if stage["deadline_field"]:
			by_field.setdefault(stage["deadline_field"], ())
			by_field[stage["deadline_field"]] += stage["states"]
	for field, statuses in by_field.items():
		if batch.has_value_changed(field):
			frappe.db.set_value(
				"Cultivation Submission",
				{"batch": batch.name, "status": ["in", statuses]},
				"stage_deadline",
				batch.get(field),
				update_modified=False,
			)


def validate_batch_deadlines(doc) -> None:
	"""Cultivation Batch: a stage deadline cannot lie before the batch opens, nor before the deadline
	of a stage before it."""
	opens_at = get_datetime(doc.opens_at) if doc.opens_at else None
	meta = frappe.get_meta("Cultivation Batch")
	previous = None
	for stage in all_stages().values():
		field = stage["deadline_field"]
		value = get_datetime(doc.get(field)) if field and doc.get(field) else None
		if value is None:
			continue
		if opens_at and value < opens_at:
			frappe.throw(
				_("{0} cannot be before the batch opens ({1})").format(
					_(meta.get_label(field)), opens_at.strftime("%Y-%m-%d %H:%M")
				),
				DeadlineError,
				title=_("Review Deadlines"),
			)
		if previous and value < previous[1]:
			frappe.throw(
				_("{0} cannot be before {1}").format(
					_(meta.get_label(field)), _(meta.get_label(previous[0]))
				),
				DeadlineError,
				title=_("Review Deadlines"),
			)
		previous = (field, value)


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

	The first stage runs from 已提交 until the submission leaves 已提交 and its state; each other stage
	from its state until it leaves it. A return and resubmission starts a new cycle: only the last
	counts."""
	last_submit = max((i for i, (state, _at) in enumerate(steps) if state == SUBMITTED), default=None)
	if last_submit is None:
		return {}
	cycle = steps[last_submit:]
	spans = {}
	for key, stage in all_stages().items():
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
