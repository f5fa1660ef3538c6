"""Evaluation of restrictive indicators (限定性指标) against a rule set: the one module that the
submit path, the live pre-check, the rule editor's preview and every re-evaluation call.

Rules are data (Cultivation Rule Set): a field of Cultivation Submission or a formula over
fields, an operator, a threshold, a unit and display decimals, a group, and an optional condition
(适用条件) on the rule or on its group. A rule whose condition (or its group's) does not hold is
不适用 and does not count toward its group; a group without any applicable rule does not count.
Every group that counts must hold; a group holds when ALL its applicable rules hold or AT LEAST k
of them. At least one rule must apply.

Formulas and conditions run through Frappe's safe evaluation (RestrictedPython with Frappe's
policy), compiled once per rule-set version and test-run when the rule set is saved. A condition
may only compare fields with values (==, !=, >, >=, <, <=, `in` a literal list) joined by and / or
/ not; anything else is refused at save, naming the rule.
"""

import ast
import copyreg
import io
import marshal
import operator
import pickle
import re
import sys
import types
import unicodedata
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import get_datetime
from frappe.utils.safe_exec import WHITELISTED_SAFE_EVAL_GLOBALS, FrappeTransformer

from gz_innovation import prepare
from gz_innovation.cultivation import fields as submission_fields_module

SATISFIED, NOT_SATISFIED, TO_FILL, NOT_APPLICABLE = "满足", "不满足", "待填", "不适用"
OVERALL_SATISFIED, OVERALL_NOT_SATISFIED = "满足限定性指标", "不满足限定性指标"

COMPARISONS = {
	">=": operator.ge,
	">": operator.gt,
	"<=": operator.le,
	"<": operator.lt,
	"=": operator.eq,
	"!=": operator.ne,
}
YES_NO_OPERATORS = ("is yes", "is no")
OPERATOR_TEXT = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "!=": "≠"}
FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
FORMULA_HELPERS = {"round": round, "abs": abs, "min": min, "max": max}
# What a condition is made of (anything else is refused when the rule set is saved).
CONDITION_OPERATORS = {
	ast.Eq: "为",
	ast.NotEq: "不为",
	ast.Gt: ">",
	ast.GtE: "≥",
	ast.Lt: "<",
	ast.LtE: "≤",
	ast.In: "属于",
	ast.NotIn: "不属于",
}
# Chinese names of what a condition may not contain, for the refusal.
REFUSED_IN_CONDITIONS = {
	ast.Call: "函数调用",
	ast.Attribute: "属性访问",
	ast.Subscript: "下标",
	ast.BinOp: "算术运算",
	ast.IfExp: "条件表达式",
	ast.Lambda: "lambda",
	ast.Dict: "字典",
	ast.Set: "集合",
	ast.ListComp: "推导式",
	ast.GeneratorExp: "推导式",
	ast.NamedExpr: "赋值",
	ast.Is: "is",
	ast.IsNot: "is not",
	ast.JoinedStr: "f-string",
	ast.Name: '单独的字段名（须与值比较，例如 字段 == "值"）',
	ast.Constant: "单独的值",
}
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})


class RuleError(frappe.ValidationError):
	"""A rule that cannot be used: refused when the administrator saves the rule set."""


class EvaluationInputError(frappe.ValidationError):
	http_status_code = 417


@dataclass(frozen=True)
class Condition:
	text: str
	code: object
	fields: tuple
	description: str  # in Chinese, with the fields' labels


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
	yes_no: tuple = ()  # fields of `fields` answered 是/否 (read as 1/0)
	conditions: tuple = ()  # the group's condition, then the rule's own (Condition each)


@dataclass
class RuleSet:
	name: str
	version: int
	rules: list
	groups: dict  # group -> (mode, k)
	fields: set = field(default_factory=set)  # every field the rules and conditions read


@dataclass
class Row:
	seq: int
	label: str
	value_display: str
	result: str
	threshold_display: str
	explanation: str
	error: str | None = None
	missing: tuple = ()  # the fields still to fill for this row


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
	return set(submission_fields_module.formula_fields())


# --- conditions ------------------------------------------------------------------------------------


def normalize_condition(text: str | None) -> str:
	"""Full-width characters and Chinese quotation marks typed by administrators read as ASCII."""
	return unicodedata.normalize("NFKC", (text or "").strip()).translate(QUOTES)


def _literal(node) -> bool:
	if isinstance(node, ast.Constant):
		return isinstance(node.value, str | int | float) and not isinstance(node.value, bool)
	return (
		isinstance(node, ast.UnaryOp)
		and isinstance(node.op, ast.USub)
		and isinstance(node.operand, ast.Constant)
		and isinstance(node.operand.value, int | float)
	)


def _refuse(where: str, node) -> None:
	what = REFUSED_IN_CONDITIONS.get(type(node)) or type(node).__name__
	frappe.throw(
		_(
			"{0}: a condition may only compare fields with values (==, !=, >, >=, <, <=, in [...]) joined by and / or / not; {1} is not allowed"
		).format(where, what),
		RuleError,
	)


def check_condition_tree(node, where: str) -> None:
	"""Only comparisons, `in` a literal list or tuple, and and / or / not; refuse anything else."""
	if isinstance(node, ast.BoolOp):
		for value in node.values:
			check_condition_tree(value, where)
		return
	if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
		check_condition_tree(node.operand, where)
		return
	if not isinstance(node, ast.Compare):
		_refuse(where, node)
	operands = [node.left, *node.comparators]
	for index, op in enumerate(node.ops):
		if type(op) not in CONDITION_OPERATORS:
			_refuse(where, op)
		right = operands[index + 1]
		if isinstance(op, ast.In | ast.NotIn):
			if not isinstance(right, ast.List | ast.Tuple) or not all(_literal(e) for e in right.elts):
				frappe.throw(
					_('{0}: after in / not in comes a list of values, e.g. ["建筑业", "医药"]').format(where),
					RuleError,
				)
	for index, operand in enumerate(operands):
		after_in = index > 0 and isinstance(node.ops[index - 1], ast.In | ast.NotIn)
		if after_in:
			continue
		if not isinstance(operand, ast.Name) and not _literal(operand):
			_refuse(where, operand)


def _describe(node, labels: dict) -> str:
	"""A condition read in Chinese, fields by their labels: 企业类型（指标类别）为建筑业."""
	if isinstance(node, ast.BoolOp):
		joiner = " 且 " if isinstance(node.op, ast.And) else " 或 "
		parts = [
			f"（{_describe(v, labels)}）" if isinstance(v, ast.BoolOp) else _describe(v, labels)
			for v in node.values
		]
		return joiner.join(parts)
	if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
		return f"并非（{_describe(node.operand, labels)}）"
	if isinstance(node, ast.Compare):
		text = _describe(node.left, labels)
		for op, right in zip(node.ops, node.comparators, strict=True):
			word = CONDITION_OPERATORS[type(op)]
			text += (word if word.isalpha() else f" {word} ") + _describe(right, labels)
		return text
	if isinstance(node, ast.Name):
		return labels.get(node.id, node.id)
	if isinstance(node, ast.List | ast.Tuple):
		return "（" + "、".join(_describe(e, labels) for e in node.elts) + "）"
	return str(ast.literal_eval(node))


def _check_literals(tree, known: dict, where: str) -> None:
	"""A value compared with a select or category field must be one of its options (a typo such as
	建筑 for 建筑业 would silently never match)."""
	for node in ast.walk(tree):
		if not isinstance(node, ast.Compare):
			continue
		operands = [node.left, *node.comparators]
		names = [o.id for o in operands if isinstance(o, ast.Name) and o.id in known]
		for name in names:
			df = known[name]
			if df.fieldtype not in ("Select", "Link"):
				continue
			options = submission_fields_module.options_of(df)
			if not options:
				continue
			for operand in operands:
				values = operand.elts if isinstance(operand, ast.List | ast.Tuple) else [operand]
				for value in values:
					if isinstance(value, ast.Constant) and isinstance(value.value, str):
						if value.value not in options:
							frappe.throw(
								_("{0}: {1} is not a value of {2} (values: {3})").format(
									where,
									value.value,
									submission_fields_module.label_of(name),
									"、".join(options),
								),
								RuleError,
							)


def compile_condition(text: str | None, where: str, known: dict | None = None) -> Condition | None:
	"""A condition of a rule or a group, checked and compiled; None when there is none."""
	text = normalize_condition(text)
	if not text:
		return None
	known = known if known is not None else submission_fields_module.condition_fields()
	try:
		tree = ast.parse(text, mode="eval")
	except SyntaxError as e:
		frappe.throw(
			_("{0}: the condition is not valid: {1} (compare with ==, put text in quotes)").format(
				where, e.msg
			),
			RuleError,
		)
	check_condition_tree(tree.body, where)
	names = tuple(dict.fromkeys(n.id for n in ast.walk(tree) if isinstance(n, ast.Name)))
	unknown = [name for name in names if name not in known]
	if unknown:
		frappe.throw(
			_("{0}: the condition names an unknown field {1}").format(where, ", ".join(unknown)), RuleError
		)
	_check_literals(tree, known, where)
	try:
		code = compile_formula(text)
	except Exception as e:
		frappe.throw(_("{0}: the condition is not valid: {1}").format(where, e), RuleError)
	labels = {name: submission_fields_module.label_and_unit(known[name])[0] for name in names}
	condition = Condition(text, code, names, _describe(tree.body, labels))
	try_condition(condition, known, where)
	return condition


def sample_value(df):
	"""A typical value of a field for test runs: the condition must not fail on it."""
	kind = submission_fields_module.kind_of(df)
	if kind in ("number",):
		return 1
	if kind == "check":
		return 0
	if kind == "yes_no":
		return submission_fields_module.NO
	if kind == "date":
		return "2020-01-01"
	options = submission_fields_module.options_of(df) if kind in ("select", "link") else []
	return options[0] if options else ""


def try_condition(condition: Condition, known: dict, where: str) -> None:
	sample = {name: sample_value(known[name]) for name in condition.fields}
	try:
		run_formula(condition.code, sample)
	except Exception as e:
		frappe.throw(_("{0}: the condition fails: {1}").format(where, e), RuleError)


def rule_where(row) -> str:
	return _("Rule {0} ({1})").format(row.idx, row.label)


def group_where(group: str) -> str:
	return _("Group {0}").format(group)


# --- rule sets -------------------------------------------------------------------------------------


def compile_rule_set(doc) -> RuleSet:
	"""Compile a Cultivation Rule Set document; raises RuleError naming the bad row."""
	formula_known = submission_fields_module.formula_fields()
	condition_known = submission_fields_module.condition_fields()
	yes_no = {name for name, df in formula_known.items() if submission_fields_module.is_yes_no(df)}
	group_rows = {(g.rule_group or "").strip(): g for g in doc.get("groups") or []}
	group_conditions = {
		group: compile_condition(g.get("condition"), group_where(group), condition_known)
		for group, g in group_rows.items()
	}
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
		unknown = [name for name in fields if name not in formula_known]
		if unknown:
			frappe.throw(
				_("Rule {0} ({1}): unknown field {2}").format(row.idx, row.label, ", ".join(unknown)),
				RuleError,
			)
		if row.operator not in COMPARISONS and row.operator not in YES_NO_OPERATORS:
			frappe.throw(_("Rule {0} ({1}): unknown operator").format(row.idx, row.label), RuleError)
		group = (row.rule_group or "A").strip()
		own = compile_condition(row.get("condition"), rule_where(row), condition_known)
		rules.append(
			Rule(
				seq=row.idx,
				label=row.label,
				expression=expression,
				operator=row.operator,
				threshold=float(row.threshold or 0),
				unit=row.unit or "",
				decimals=int(row.decimals or 0),
				group=group,
				code=code,
				fields=fields,
				yes_no=tuple(name for name in fields if name in yes_no),
				conditions=tuple(c for c in (group_conditions.get(group), own) if c),
			)
		)
	groups = {group: (g.mode, int(g.at_least or 0)) for group, g in group_rows.items()}
	for group, (mode, k) in groups.items():
		size = sum(1 for rule in rules if rule.group == group)
		if mode == "AT LEAST" and not 1 <= k <= size:
			frappe.throw(_("Group {0}: at least k must be between 1 and {1}").format(group, size), RuleError)
	read = {f for r in rules for f in r.fields} | {f for r in rules for c in r.conditions for f in c.fields}
	compiled = RuleSet(doc.name, int(doc.version or 0), rules, groups, read)
	try_rules(compiled)
	return compiled


def try_rules(compiled: RuleSet) -> None:
	"""Test-evaluate every formula on sample values, so a broken one is refused at save time."""
	sample = {name: 1 for name in compiled.fields}
	for rule in compiled.rules:
		if rule.code is None:
			continue
		try:
			value = run_formula(rule.code, {name: sample[name] for name in rule.fields})
			float(value)
		except Exception as e:
			frappe.throw(
				_("Rule {0} ({1}): the formula fails: {2}").format(rule.seq, rule.label, e), RuleError
			)


_compiled_cache: dict[tuple[str, str, int, str], RuleSet] = {}
COMPILED_SECONDS = 24 * 3600  # in Redis; a process keeps what it took


def get_rule_set(name: str) -> RuleSet:
	"""The compiled current version of a rule set, cached per process and version. The version is
	read from Frappe's document cache, which a save of the rule set clears. A process that has not
	met this version yet takes it compiled from Redis: compiled once for all workers (by the
	background job a save enqueues, else by the first worker that asks; prepare.shared). The key
	holds the rule set's modified time too: a rule set removed and made again under the same name
	starts again at version 1."""
	cached = frappe.get_cached_value("Cultivation Rule Set", name, ["version", "modified"])
	version, modified = cached or (0, None)
	stamp = str(get_datetime(modified)) if modified else ""
	key = (frappe.local.site, name, int(version or 0), stamp)
	if key not in _compiled_cache:
		shared_key = f"gz_compiled_rules:{name}:{key[2]}:{stamp}:{sys.hexversion}"  # code is per Python

		def compiled() -> bytes:
			return dumps_compiled(compile_rule_set(frappe.get_doc("Cultivation Rule Set", name)))

		# Bytes this app wrote to the site's Redis, as Frappe's own cache pickles every value there.
		_compiled_cache[key] = pickle.loads(
			prepare.shared(shared_key, compiled, expires_in_sec=COMPILED_SECONDS)
		)
	return _compiled_cache[key]


def dumps_compiled(rule_set: RuleSet) -> bytes:
	"""A compiled rule set as bytes: its formulas' code objects as marshal writes them (pickle alone
	cannot), read back by pickle.loads."""
	buffer = io.BytesIO()
	pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
	pickler.dispatch_table = {**copyreg.dispatch_table, types.CodeType: _reduce_code}
	pickler.dump(rule_set)
	return buffer.getvalue()


def _reduce_code(code):
	return marshal.loads, (marshal.dumps(code),)


# --- evaluating ------------------------------------------------------------------------------------


def format_value(rule: Rule, value) -> str:
	if rule.operator in YES_NO_OPERATORS:
		return _("Yes") if value else _("No")
	return f"{float(value):.{rule.decimals}f}{rule.unit}"


def format_threshold(rule: Rule) -> str:
	if rule.operator == "is yes":
		return _("Yes")
	if rule.operator == "is no":
		return _("No")
	return f"{OPERATOR_TEXT[rule.operator]}{rule.threshold:.{rule.decimals}f}{rule.unit}"


def rule_inputs(rule: Rule, values: dict) -> dict:
	"""The values a rule's formula reads: yes/no answers as 1/0, None where nothing is filled."""
	inputs = {}
	for name in rule.fields:
		value = values.get(name)
		if name in rule.yes_no:
			value = submission_fields_module.yes_no_number(value)
		inputs[name] = None if value in (None, "") else value
	return inputs


def applies(rule: Rule, values: dict) -> tuple[bool | None, tuple, Condition | None]:
	"""Whether the rule applies: (True, (), None); (False, (), the condition that does not hold); or
	(None, the fields a condition still needs, that condition)."""
	for condition in rule.conditions:
		missing = tuple(name for name in condition.fields if values.get(name) in (None, ""))
		if missing:
			return None, missing, condition
		inputs = {name: submission_fields_module.condition_value(values[name]) for name in condition.fields}
		if not run_formula(condition.code, inputs):
			return False, (), condition
	return True, (), None


def evaluate_rule(rule: Rule, values: dict) -> Row:
	threshold = format_threshold(rule)
	applicable, needed, condition = applies(rule, values)
	if applicable is None:
		return Row(
			rule.seq,
			rule.label,
			TO_FILL,
			TO_FILL,
			threshold,
			_("Fill in {0} to know whether this indicator applies").format(
				"、".join(short_label(name) for name in needed)
			),
			missing=needed,
		)
	if applicable is False:
		return Row(
			rule.seq,
			rule.label,
			"-",
			NOT_APPLICABLE,
			threshold,
			_("Not applicable: applies only when {0}").format(condition.description),
		)
	inputs = rule_inputs(rule, values)
	missing = tuple(name for name, value in inputs.items() if value is None)
	if missing:
		return Row(
			rule.seq,
			rule.label,
			TO_FILL,
			TO_FILL,
			threshold,
			_("Fill in the values to see the result"),
			missing=missing,
		)
	try:
		value = inputs[rule.expression] if rule.code is None else run_formula(rule.code, inputs)
	except ZeroDivisionError:
		zero = [name for name in rule.fields if not inputs.get(name)]
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


def rule_value(rule: Rule, values: dict) -> float | None:
	"""The value a rule compares (a field, or its formula over fields), for reports; None when it does
	not apply, is not filled or cannot be computed."""
	if applies(rule, values)[0] is not True:
		return None
	inputs = rule_inputs(rule, values)
	if any(value is None for value in inputs.values()):
		return None
	try:
		value = inputs[rule.expression] if rule.code is None else run_formula(rule.code, inputs)
		return float(value)
	except (ZeroDivisionError, TypeError, ValueError):
		return None


def evaluate(rule_set: RuleSet, values: dict) -> Evaluation:
	rows = [evaluate_rule(rule, values) for rule in rule_set.rules]
	if any(row.result == TO_FILL for row in rows):
		return Evaluation(rows, None, rule_set.name, rule_set.version)
	by_group: dict[str, list[bool]] = {}
	for rule, row in zip(rule_set.rules, rows, strict=True):
		if row.result != NOT_APPLICABLE:
			by_group.setdefault(rule.group, []).append(row.result == SATISFIED)
	holds = []
	for group, results in by_group.items():
		mode, k = rule_set.groups.get(group, ("ALL", 0))
		holds.append(sum(results) >= k if mode == "AT LEAST" else all(results))
	# Nothing applies: nothing was shown to hold.
	overall = OVERALL_SATISFIED if holds and all(holds) else OVERALL_NOT_SATISFIED
	return Evaluation(rows, overall, rule_set.name, rule_set.version)


def field_label(fieldname: str) -> str:
	return _(frappe.get_meta("Cultivation Submission").get_label(fieldname))


def short_label(fieldname: str) -> str:
	"""A field's label without its unit: 发明专利 for 发明专利 (件)."""
	return submission_fields_module.label_of(fieldname)
