"""The Rule Set form in Desk, for administrators who write rules without code: the field picker (every
field a formula or a condition may use, with its Chinese label and unit, custom fields included) and
the trial run (each rule's result on a few real submissions of the batch, or on the manual's example
when the batch has none), computed on the rule set as it is being edited and never saved."""

import json

import frappe
from frappe import _

from gz_innovation.cultivation import evaluation, fields, states

EDITOR_ROLE = "System Manager"  # platform administrators (省工信厅)
SAMPLES = 3  # submissions the trial run shows


def require_editor() -> None:
	"""Only the administrators who may change rule sets see the editor's data (submissions' values
	included)."""
	frappe.only_for(EDITOR_ROLE)


@frappe.whitelist(methods=["GET", "POST"])
def usable_fields() -> list[dict]:
	"""插入字段: what a formula (numbers, 是/否) and a condition (any declared value) may name."""
	require_editor()
	return fields.describe_usable_fields()


@frappe.whitelist(methods=["POST"])
def trial_run(doc: str | dict) -> dict:
	"""Each rule of the rule set as edited (not saved) on a few submissions of its batch and type,
	newest submitted first; on the manual's example when there are none. A rule set that does not
	compile comes back with the error, in the words a save would refuse it with."""
	require_editor()
	values = json.loads(doc) if isinstance(doc, str) else dict(doc)
	values["doctype"] = "Cultivation Rule Set"
	rule_set = frappe.get_doc(values)
	messages = len(frappe.local.message_log)
	try:
		compiled = evaluation.compile_rule_set(rule_set)
	except frappe.ValidationError as e:
		# The form shows the reason beside the rules; no dialog on top of it.
		del frappe.local.message_log[messages:]
		return {"error": str(e), "samples": [], "rules": []}
	samples = samples_of(rule_set.cultivation_type, rule_set.batch)
	results = [evaluation.evaluate(compiled, sample["values"]) for sample in samples]
	return {
		"error": None,
		"source": "batch" if samples and samples[0]["name"] else "manual",
		"samples": [
			{"name": s["name"], "title": s["title"], "overall": r.overall or evaluation.TO_FILL}
			for s, r in zip(samples, results, strict=True)
		],
		"rules": [
			{
				"seq": rule.seq,
				"label": rule.label,
				"results": [
					{
						"result": r.rows[i].result,
						"value": r.rows[i].value_display,
						"explanation": r.rows[i].explanation,
					}
					for r in results
				],
			}
			for i, rule in enumerate(compiled.rules)
		],
	}


def samples_of(cultivation_type: str | None, batch: str | None) -> list[dict]:
	"""Up to SAMPLES submissions of the batch and type (submitted ones before drafts, newest first), or
	the manual's example."""
	from gz_innovation.cultivation.setup import MANUAL_EXAMPLE

	names = []
	if cultivation_type and batch:
		names = frappe.get_all(
			"Cultivation Submission",
			filters={"cultivation_type": cultivation_type, "batch": batch},
			fields=["name", "status"],
			order_by="modified desc",
			limit=50,
		)
		names = sorted(names, key=lambda s: s.status == states.DRAFT)[:SAMPLES]
	if not names:
		return [{"name": None, "title": _("The manual's example"), "values": dict(MANUAL_EXAMPLE)}]
	samples = []
	for row in names:
		doc = frappe.get_doc("Cultivation Submission", row.name)
		samples.append(
			{
				"name": doc.name,
				"title": f"{doc.enterprise_name or doc.enterprise}（{doc.status}）",
				"values": doc.as_dict(),
			}
		)
	return samples
