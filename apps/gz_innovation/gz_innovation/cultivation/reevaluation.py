"""Re-evaluate the open submissions of a rule set after an administrator changed it.

Runs in the background (queue "long"), in batches, with progress for Desk; every submission whose
result changed gets a comment with the old and the new result."""

import frappe
from frappe import _

from gz_innovation.cultivation import evaluation, states


def open_statuses() -> tuple:
	"""With the reviewers (已提交 and every review stage) or back with the enterprise."""
	from gz_innovation.cultivation import stages

	return (*stages.review_states(), "退回修改")


BATCH_SIZE = 500


def schedule(rule_set: str) -> None:
	frappe.enqueue(
		"gz_innovation.cultivation.reevaluation.reevaluate",
		queue="long",
		job_id=f"gz-reevaluate-{rule_set}",
		deduplicate=True,
		enqueue_after_commit=True,
		rule_set=rule_set,
	)


def reevaluate(rule_set: str) -> dict:
	compiled = evaluation.get_rule_set(rule_set)
	names = frappe.get_all(
		"Cultivation Submission",
		filters={"rule_set": rule_set, "status": ["in", open_statuses()]},
		pluck="name",
	)
	fields = sorted(compiled.fields)
	changed = 0
	for start in range(0, len(names), BATCH_SIZE):
		chunk = names[start : start + BATCH_SIZE]
		changed += reevaluate_chunk(compiled, chunk, fields)
		frappe.db.commit()  # nosemgrep: a long job keeps each finished batch
		frappe.publish_progress(
			(start + len(chunk)) * 100 / len(names),
			title=_("Re-evaluating submissions"),
			description=_("{0} of {1}").format(start + len(chunk), len(names)),
		)
	frappe.publish_realtime(
		"gz_reevaluation_done",
		{"rule_set": rule_set, "count": len(names), "changed": changed},
		after_commit=True,
	)
	return {"count": len(names), "changed": changed}


ROW_FIELDS = ("label", "value_display", "result", "threshold_display", "explanation")
# The columns of a bulk insert of evaluation rows, in order.
ROW_COLUMNS = [
	"name",
	"parent",
	"parenttype",
	"parentfield",
	"idx",
	"seq",
	*ROW_FIELDS,
	"creation",
	"modified",
	"owner",
	"modified_by",
]


def reevaluate_chunk(compiled, names: list[str], fields: list[str]) -> int:
	"""Evaluate a chunk again and write only what changed: the rows whose text changed are updated
	in place (one UPDATE for the chunk); a submission whose set of rules changed gets new rows."""
	rows = frappe.get_all(
		"Cultivation Submission",
		filters={"name": ["in", names]},
		fields=["name", "status", "overall_result", "rule_version", *fields],
	)
	stored = stored_rows(names)
	now = frappe.utils.now()
	user = frappe.session.user
	new_rows, row_updates, rewritten, comments, updates, changed = [], [], [], [], [], 0
	for row in rows:
		result = evaluation.evaluate(compiled, row)
		fresh = {r.seq: tuple(getattr(r, f) or "" for f in ROW_FIELDS) for r in result.rows}
		old = stored.get(row.name, {})
		if set(old) == set(fresh):
			row_updates += [(old[seq][0], values) for seq, values in fresh.items() if old[seq][1] != values]
		else:
			rewritten.append(row.name)
			new_rows += [
				(
					frappe.generate_hash(length=12),
					row.name,
					"Cultivation Submission",
					"evaluation",
					seq,
					seq,
					*values,
					now,
					now,
					user,
					user,
				)
				for seq, values in fresh.items()
			]
		updates.append(
			(row.name, result.overall, result.version, states.recognition_status(result.overall, row.status))
		)
		if result.overall != row.overall_result:
			changed += 1
			comments.append(
				(
					frappe.generate_hash(length=12),
					"Info",
					"Cultivation Submission",
					row.name,
					_("Rules changed (version {0} → {1}): {2} → {3}").format(
						row.rule_version, result.version, row.overall_result or "-", result.overall or "-"
					),
					now,
					now,
					user,
					user,
				)
			)
	update_results(updates)
	update_rows(row_updates, now)
	if rewritten:
		frappe.db.delete(
			"Cultivation Evaluation Row",
			{"parent": ["in", rewritten], "parenttype": "Cultivation Submission"},
		)
		frappe.db.bulk_insert("Cultivation Evaluation Row", fields=ROW_COLUMNS, values=new_rows)
	if comments:
		frappe.db.bulk_insert(
			"Comment",
			fields=[
				"name",
				"comment_type",
				"reference_doctype",
				"reference_name",
				"content",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			values=comments,
		)
	return changed


def stored_rows(names: list[str]) -> dict[str, dict]:
	"""{submission: {seq: (row name, (label, value_display, result, threshold, explanation))}}"""
	stored = {}
	for name, parent, seq, *values in frappe.db.sql(
		f"""select `name`, `parent`, `seq`, {", ".join(f"`{f}`" for f in ROW_FIELDS)}
		from `tabCultivation Evaluation Row`
		where `parenttype` = 'Cultivation Submission' and `parentfield` = 'evaluation' and `parent` in %(names)s""",
		{"names": names},
	):
		stored.setdefault(parent, {})[seq] = (name, tuple(v or "" for v in values))
	return stored


def update_rows(changes: list[tuple], now: str) -> None:
	"""One UPDATE for the evaluation rows whose text changed: (row name, values) each."""
	if not changes:
		return
	esc = frappe.db.escape
	names = ", ".join(esc(name) for name, _values in changes)
	sets = ", ".join(
		f"`{field}` = case `name` "
		+ " ".join(f"when {esc(name)} then {esc(values[i] or '')}" for name, values in changes)
		+ " end"
		for i, field in enumerate(ROW_FIELDS)
	)
	frappe.db.sql(
		f"update `tabCultivation Evaluation Row` set {sets}, `modified` = {esc(now)} where `name` in ({names})"  # nosemgrep: every value goes through frappe.db.escape
	)


def update_results(updates: list[tuple]) -> None:
	"""One UPDATE for a whole chunk: (name, overall, version, recognition status) per submission."""
	if not updates:
		return
	esc = frappe.db.escape

	def case(index: int) -> str:
		return "case `name` " + " ".join(f"when {esc(u[0])} then {esc(u[index])}" for u in updates) + " end"

	names = ", ".join(esc(u[0]) for u in updates)
	frappe.db.sql(
		f"""update `tabCultivation Submission`
		set `overall_result` = {case(1)}, `rule_version` = {case(2)}, `recognition_status` = {case(3)}
		where `name` in ({names})"""  # nosemgrep: every value goes through frappe.db.escape
	)
