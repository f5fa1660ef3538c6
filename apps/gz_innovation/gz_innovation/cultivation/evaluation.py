"""Evaluation of restrictive indicators (限定性指标) against a rule set: the one module that the
submit path, the live pre-check and every re-evaluation call.

Rules are data (Cultivation Rule Set): a field of Cultivation Submission or a formula over
fields, an operator, a threshold, a unit and display decimals, and a group. Every group must hold;
a group holds when ALL its rules hold or AT LEAST k of them. Formulas run through Frappe's safe
evaluation (RestrictedPython with Frappe's policy), compiled once per rule-set version.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils.safe_exec import WHITELISTED_SAFE_EVAL_GLOBALS, FrappeTransformer

SATISFIED, NOT_SATISFIED, TO_FILL = "满足", "不满足", "待填"
OVERALL_SATISFIED, OVERALL_NOT_SATISFIED = "满足限定性指标", "不满足限定性指标"

COMPARISONS = {
	">=": operator.ge,
	">": operator.gt,
	"<=": operator.le,
	"<": operator.lt,
	"=": operator.eq,
	"!=": operator.ne,
}
OPERATOR_TEXT = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "!=": "≠"}
FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
FORMULA_HELPERS = {"round": round, "abs": abs, "min": min, "max": max}


class RuleError(frappe.ValidationError):
	"""A rule that cannot be used: refused when the administrator saves the rule set."""


class EvaluationInputError(frappe.ValidationError):
	http_status_code = 417


@dataclass(frozen=True)
class Rule:
	seq: int
	label: str
	expression: str
	operator: str
	threshold: float
	unit: str
	decimals: int
	group: str
	code: object = None  # compiled formula; None for a plain field
	fields: tuple = ()


@dataclass
class RuleSet:
	name: str
	version: int
	rules: list
	groups: dict  # group -> (mode, k)
	fields: set = field(default_factory=set)


@dataclass
class Row:
	seq: int
	label: str
	value_display: str
	result: str
	threshold_display: str
	explanation: str
	error: str | None = None


@dataclass
class Evaluation:
	rows: list
	overall: str | None  # None while some value is still to fill
	rule_set: str
	version: int

	@property
	def complete(self) -> bool:
		return all(row.result != TO_FILL for row in self.rows)


def compile_formula(expression: str):
	"""Compile with Frappe's safe-eval policy; raises on anything safe_eval would refuse."""
	from frappe.utils.safe_exec import _validate_safe_eval_syntax
	from RestrictedPython import compile_restricted

	code = unicodedata.normalize("NFKC", expression)
	_validate_safe_eval_syntax(code)
	return compile_restricted(code, filename="<cultivation rule>", policy=FrappeTransformer, mode="eval")


def run_formula(code, values: dict):
	eval_globals = {"__builtins__": {}, **WHITELISTED_SAFE_EVAL_GLOBALS, **FORMULA_HELPERS}
	return eval(
		code, eval_globals, values
	)  # nosemgrep: code was compiled by compile_formula (RestrictedPython)


def submission_fields() -> set[str]:
	"""Numeric and yes/no fields of Cultivation Submission a user fills, custom fields included."""
	meta = frappe.get_meta("Cultivation Submission")
	numeric = ("Int", "Float", "Currency", "Percent", "Check")
	return {
		df.fieldname
		for df in meta.fields
		if df.fieldtype in numeric and not df.read_only and df.fieldname != "commitment"
	}


def compile_rule_set(doc) -> RuleSet:
	"""Compile a Cultivation Rule Set document; raises RuleError naming the bad row."""
	known = submission_fields()
	rules = []
	for row in doc.rules:
		expression = (row.expression or "").strip()
		try:
			if FIELD_NAME.match(expression):
				code, fields = None, (expression,)
			else:
				code = compile_formula(expression)
				fields = tuple(
					name for name in code.co_names if name not in FORMULA_HELPERS and not name.startswith("_")
				)
		except Exception as e:
			frappe.throw(
				_("Rule {0} ({1}): the formula is not valid: {2}").format(row.idx, row.label, e), RuleError
			)
		unknown = [name for name in fields if name not in known]
		if unknown:
			frappe.throw(
				_("Rule {0} ({1}): unknown field {2}").format(row.idx, row.label, ", ".join(unknown)),
				RuleError,
			)
		if row.operator not in COMPARISONS and row.operator not in ("is yes", "is no"):
			frappe.throw(_("Rule {0} ({1}): unknown operator").format(row.idx, row.label), RuleError)
		rules.append(
			Rule(
				seq=row.idx,
				label=row.label,
				expression=expression,
				operator=row.operator,
				threshold=float(row.threshold or 0),
				unit=row.unit or "",
				decimals=int(row.decimals or 0),
				group=(row.rule_group or "A").strip(),
				code=code,
				fields=fields,
			)
		)
	groups = {(g.rule_group or "").strip(): (g.mode, int(g.at_least or 0)) for g in doc.get("groups") or []}
	for group, (mode, k) in groups.items():
		size = sum(1 for rule in rules if rule.group == group)
		if mode == "AT LEAST" and not 1 <= k <= size:
			frappe.throw(_("Group {0}: at least k must be between 1 and {1}").format(group, size), RuleError)
	compiled = RuleSet(doc.name, int(doc.version or 0), rules, groups, {f for r in rules for f in r.fields})
	try_rules(compiled)
	return compiled


def try_rules(compiled: RuleSet) -> None:
	"""Test-evaluate every formula on sample values, so a broken one is refused at save time."""
	sample = {name: 1 for name in compiled.fields}
	for rule in compiled.rules:
		if rule.code is None:
			continue
		try:
			value = run_formula(rule.code, dict(sample))
			float(value)
		except Exception as e:
			frappe.throw(
				_("Rule {0} ({1}): the formula fails: {2}").format(rule.seq, rule.label, e), RuleError
			)


_compiled_cache: dict[tuple[str, str, int], RuleSet] = {}


def get_rule_set(name: str) -> RuleSet:
	"""The compiled current version of a rule set, cached per process and version. The version is
	read from Frappe's document cache, which a save of the rule set clears."""
	version = frappe.get_cached_value("Cultivation Rule Set", name, "version")
	key = (frappe.local.site, name, int(version or 0))
	if key not in _compiled_cache:
		_compiled_cache[key] = compile_rule_set(frappe.get_doc("Cultivation Rule Set", name))
	return _compiled_cache[key]


def format_value(rule: Rule, value) -> str:
	if rule.operator in ("is yes", "is no"):
		return _("Yes") if value else _("No")
	return f"{float(value):.{rule.decimals}f}{rule.unit}"


def format_threshold(rule: Rule) -> str:
	if rule.operator == "is yes":
		return _("Yes")
	if rule.operator == "is no":
		return _("No")
	return f"{OPERATOR_TEXT[rule.operator]}{rule.threshold:.{rule.decimals}f}{rule.unit}"


def evaluate_rule(rule: Rule, values: dict) -> Row:
	threshold = format_threshold(rule)
	missing = [name for name in rule.fields if values.get(name) in (None, "")]
	if missing:
		return Row(
			rule.seq, rule.label, TO_FILL, TO_FILL, threshold, _("Fill in the values to see the result")
		)
	try:
		value = (
			values[rule.expression]
			if rule.code is None
			else run_formula(rule.code, {n: values[n] for n in rule.fields})
		)
	except ZeroDivisionError:
		zero = [name for name in rule.fields if not values.get(name)]
		return Row(
			rule.seq,
			rule.label,
			_("Cannot be calculated"),
			NOT_SATISFIED,
			threshold,
			_("Cannot be calculated while {0} is 0").format(", ".join(field_label(n) for n in zero)),
			error="division_by_zero",
		)
	if rule.operator == "is yes":
		passed = bool(value)
	elif rule.operator == "is no":
		passed = not value
	else:
		passed = COMPARISONS[rule.operator](round(float(value), 10), rule.threshold)
	display = format_value(rule, value)
	if passed:
		explanation = _("Satisfied: {0} {1}").format(rule.label, threshold)
	else:
		explanation = _("To pass, {0} must be {1}; it is {2}").format(rule.label, threshold, display)
	return Row(rule.seq, rule.label, display, SATISFIED if passed else NOT_SATISFIED, threshold, explanation)


def evaluate(rule_set: RuleSet, values: dict) -> Evaluation:
	rows = [evaluate_rule(rule, values) for rule in rule_set.rules]
	if any(row.result == TO_FILL for row in rows):
		return Evaluation(rows, None, rule_set.name, rule_set.version)
	by_group: dict[str, list[bool]] = {}
	for rule, row in zip(rule_set.rules, rows, strict=True):
		by_group.setdefault(rule.group, []).append(row.result == SATISFIED)
	holds = []
	for group, results in by_group.items():
		mode, k = rule_set.groups.get(group, ("ALL", 0))
		holds.append(sum(results) >= k if mode == "AT LEAST" else all(results))
	overall = OVERALL_SATISFIED if all(holds) else OVERALL_NOT_SATISFIED
	return Evaluation(rows, overall, rule_set.name, rule_set.version)


def field_label(fieldname: str) -> str:
	return _(frappe.get_meta("Cultivation Submission").get_label(fieldname))
