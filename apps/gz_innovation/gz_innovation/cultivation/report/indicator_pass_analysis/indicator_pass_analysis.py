"""指标达标分析: per rule of a rule set, how many submitted applications pass and fail, and how the
declared values are spread (min, quartiles, median, max), so administrators see what a threshold
change would do. A trial threshold for one rule shows the passes and the overall result with it.

Values are evaluated with the rule set's current version (cultivation/evaluation.py, the one
evaluation of the app); only the applications the user may read are counted."""

import dataclasses
import statistics

import frappe
from frappe import _
from frappe.utils import cint, flt

from gz_innovation.cultivation import evaluation

DRAFT = "草稿"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	columns = get_columns()
	if not filters.get("rule_set"):
		return columns, [], _("Choose a rule set.")
	rule_set = evaluation.get_rule_set(filters.rule_set)
	applications = frappe.get_list(
		"Cultivation Submission",
		filters={"rule_set": filters.rule_set, "status": ["!=", DRAFT]},
		fields=["name", *sorted(rule_set.fields)],
		limit_page_length=0,
	)
	if not applications:
		return columns, [], _("No submitted applications are judged by {0} yet.").format(filters.rule_set)
	trial_seq = cint(filters.get("trial_rule"))
	trial_set = with_trial(rule_set, trial_seq, filters.get("trial_threshold"))
	data = [rule_row(rule, applications, trial_set, trial_seq) for rule in rule_set.rules]
	now_overall = sum(
		1 for a in applications if evaluation.evaluate(rule_set, a).overall == evaluation.OVERALL_SATISFIED
	)
	summary = [
		{"label": _("Applications Counted"), "value": len(applications), "datatype": "Int"},
		{
			"label": evaluation.OVERALL_SATISFIED,
			"value": now_overall,
			"datatype": "Int",
			"indicator": "Green",
		},
	]
	if trial_set is not rule_set:
		trial_overall = sum(
			1
			for a in applications
			if evaluation.evaluate(trial_set, a).overall == evaluation.OVERALL_SATISFIED
		)
		summary.append(
			{
				"label": _("With the trial threshold"),
				"value": trial_overall,
				"datatype": "Int",
				"indicator": "Blue",
			}
		)
	return columns, data, None, None, summary


class TrialError(frappe.ValidationError):
	http_status_code = 417


def with_trial(rule_set, seq: int, threshold):
	"""The rule set with rule `seq`'s threshold replaced, or the rule set itself."""
	if not seq or str(threshold or "").strip() == "":
		return rule_set
	try:
		value = float(str(threshold).strip())
	except ValueError:
		frappe.throw(_("{0}: enter a number").format(_("Trial: threshold")), TrialError)
	if seq not in {r.seq for r in rule_set.rules}:
		frappe.throw(_("{0}: no rule with this number").format(_("Trial: rule number (序号)")), TrialError)
	rules = [dataclasses.replace(r, threshold=value) if r.seq == seq else r for r in rule_set.rules]
	return dataclasses.replace(rule_set, rules=rules)


def rule_row(rule, applications, trial_set, trial_seq: int) -> dict:
	results = [evaluation.evaluate_rule(rule, a).result for a in applications]
	# The spread of the applications the rule applies to (its condition holds).
	values = sorted(v for v in (evaluation.rule_value(rule, a) for a in applications) if v is not None)
	passed = results.count(evaluation.SATISFIED)
	failed = results.count(evaluation.NOT_SATISFIED)
	row = {
		"seq": rule.seq,
		"label": rule.label,
		"condition": evaluation.format_threshold(rule),
		"evaluated": passed + failed,
		"passed": passed,
		"failed": failed,
		"not_applicable": results.count(evaluation.NOT_APPLICABLE),
		"pass_share": flt(passed * 100 / (passed + failed), 1) if passed + failed else None,
		"unit": rule.unit,
	}
	if values:
		quartiles = (
			statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
		)
		row.update(
			{
				"minimum": values[0],
				"lower_quartile": quartiles[0],
				"median": statistics.median(values),
				"upper_quartile": quartiles[2],
				"maximum": values[-1],
			}
		)
	if trial_seq == rule.seq and trial_set is not None:
		trial_rule = next(r for r in trial_set.rules if r.seq == rule.seq)
		row["trial_condition"] = evaluation.format_threshold(trial_rule)
		row["trial_passed"] = sum(
			1 for a in applications if evaluation.evaluate_rule(trial_rule, a).result == evaluation.SATISFIED
		)
	return row


def get_columns() -> list[dict]:
	number = {"fieldtype": "Float", "precision": 2, "width": 100}
	return [
		{"fieldname": "seq", "label": "序号", "fieldtype": "Int", "width": 60},
		{"fieldname": "label", "label": "限定性指标", "fieldtype": "Data", "width": 220},
		{"fieldname": "condition", "label": _("Pass Condition"), "fieldtype": "Data", "width": 110},
		{"fieldname": "evaluated", "label": _("Evaluated"), "fieldtype": "Int", "width": 80},
		{"fieldname": "passed", "label": evaluation.SATISFIED, "fieldtype": "Int", "width": 70},
		{"fieldname": "failed", "label": evaluation.NOT_SATISFIED, "fieldtype": "Int", "width": 70},
		{"fieldname": "not_applicable", "label": evaluation.NOT_APPLICABLE, "fieldtype": "Int", "width": 70},
		{
			"fieldname": "pass_share",
			"label": _("Pass Share (%)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 100,
		},
		{"fieldname": "minimum", "label": _("Minimum"), **number},
		{"fieldname": "lower_quartile", "label": _("Lower Quartile"), **number},
		{"fieldname": "median", "label": _("Median"), **number},
		{"fieldname": "upper_quartile", "label": _("Upper Quartile"), **number},
		{"fieldname": "maximum", "label": _("Maximum"), **number},
		{"fieldname": "unit", "label": _("Unit"), "fieldtype": "Data", "width": 70},
		{"fieldname": "trial_condition", "label": _("Trial Condition"), "fieldtype": "Data", "width": 110},
		{"fieldname": "trial_passed", "label": _("Would Pass"), "fieldtype": "Int", "width": 90},
	]
