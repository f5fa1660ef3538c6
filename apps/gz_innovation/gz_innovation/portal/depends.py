"""`depends_on` and `mandatory_depends_on` of the fields the portal's forms show, read the way Desk
reads them, without running code: a fieldname, `eval:doc.x`, `eval:!doc.x`, comparisons of a field
with a literal (`==`, `!=`, `===`, `!==`, `>`, `>=`, `<`, `<=`), joined with `&&`, `||` and brackets.

`parse` turns such a condition into a small tree (JSON) that the portal's script evaluates as the
user types (public/js/portal/helpers.js `gz.depends`) and `holds` evaluates on the server, so a
field hidden by its condition is not required there either. Anything else (function calls,
attribute chains, arithmetic) is refused when the field is saved in Desk (`check_field`, doc_events
of Custom Field, Property Setter and DocType), with a Chinese message naming the field."""

import ast
import re

import frappe
from frappe import _

# The DocTypes whose fields the portal renders from their metadata.
PORTAL_DOCTYPES = ("Enterprise", "Cultivation Submission")
CONDITION_PROPERTIES = ("depends_on", "mandatory_depends_on")
COMPARE = {
	ast.Eq: "==",
	ast.NotEq: "!=",
	ast.Gt: ">",
	ast.GtE: ">=",
	ast.Lt: "<",
	ast.LtE: "<=",
}


class ConditionError(frappe.ValidationError):
	http_status_code = 417


def parse(condition: str | None) -> dict | None:
	"""The tree of a condition (None: no condition); raises ConditionError for one the portal cannot
	evaluate."""
	text = (condition or "").strip()
	if not text:
		return None
	if text.startswith("eval:"):
		text = text[5:].strip()
		python = re.sub(r"\bdoc\.", "", text)
		python = python.replace("===", "==").replace("!==", "!=").replace("&&", " and ").replace("||", " or ")
		python = re.sub(r"!(?!=)", " not ", python)
	elif re.fullmatch(r"[a-z_][a-z0-9_]*", text):
		python = text
	else:
		raise ConditionError(text)
	try:
		tree = ast.parse(python.strip(), mode="eval").body
	except SyntaxError:
		raise ConditionError(text) from None
	return _node(tree, text)


def _node(node, text: str) -> dict:
	if isinstance(node, ast.BoolOp):
		return {
			"op": "and" if isinstance(node.op, ast.And) else "or",
			"args": [_node(v, text) for v in node.values],
		}
	if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
		return {"op": "not", "args": [_node(node.operand, text)]}
	if isinstance(node, ast.Name):
		return {"op": "set", "field": node.id}
	if (
		isinstance(node, ast.Compare)
		and len(node.ops) == 1
		and type(node.ops[0]) in COMPARE
		and isinstance(node.left, ast.Name)
		and isinstance(node.comparators[0], ast.Constant)
		and isinstance(node.comparators[0].value, str | int | float)
	):
		return {"op": COMPARE[type(node.ops[0])], "field": node.left.id, "value": node.comparators[0].value}
	raise ConditionError(text)


def holds(tree: dict | None, values) -> bool:
	"""Whether a parsed condition holds for a document (or a dict) of values; no condition holds."""
	if tree is None:
		return True
	op = tree["op"]
	if op == "and":
		return all(holds(t, values) for t in tree["args"])
	if op == "or":
		return any(holds(t, values) for t in tree["args"])
	if op == "not":
		return not holds(tree["args"][0], values)
	value = values.get(tree["field"])
	if op == "set":
		return bool(value) and value not in ("0", [])
	wanted = tree["value"]
	if isinstance(wanted, int | float) and not isinstance(value, int | float):
		try:
			value = float(value)
		except (TypeError, ValueError):
			return op == "!="
	elif isinstance(wanted, str):
		value = "" if value is None else str(value)
	return {
		"==": value == wanted,
		"!=": value != wanted,
		">": value > wanted,
		">=": value >= wanted,
		"<": value < wanted,
		"<=": value <= wanted,
	}[op]


def parsed_or_none(condition: str | None) -> dict | None:
	"""For rendering: a condition saved before this check (or by code) that cannot be parsed shows the
	field always, rather than failing the page."""
	try:
		return parse(condition)
	except ConditionError:
		return None


def is_required(df, values) -> bool:
	"""A field is required on this document: Mandatory (`reqd`), or Mandatory Depends On that holds;
	never while its own depends_on hides it."""
	if not holds(parsed_or_none(df.depends_on), values):
		return False
	return bool(df.reqd) or (
		bool(df.mandatory_depends_on) and holds(parsed_or_none(df.mandatory_depends_on), values)
	)


def check_condition(condition: str | None, label: str, prop: str) -> None:
	try:
		parse(condition)
	except ConditionError:
		frappe.throw(
			_(
				"{0}: the condition {1} cannot be used on the portal. Use a fieldname, or eval: with doc.fieldname compared to a value, joined by && or ||."
			).format(f"{label}（{prop}）", condition),
			ConditionError,
			title=_("Invalid condition"),
		)


def check_custom_field(doc, method=None) -> None:
	"""Custom Field (validate): the conditions of a field the portal renders."""
	if doc.dt in PORTAL_DOCTYPES:
		for prop in CONDITION_PROPERTIES:
			check_condition(doc.get(prop), _(doc.label or doc.fieldname), prop)


def check_property_setter(doc, method=None) -> None:
	"""Property Setter (validate), as Customize Form saves them."""
	if doc.doc_type in PORTAL_DOCTYPES and doc.property in CONDITION_PROPERTIES and doc.field_name:
		label = frappe.get_meta(doc.doc_type).get_label(doc.field_name)
		check_condition(doc.value, _(label), doc.property)


def check_doctype(doc, method=None) -> None:
	"""DocType (validate): a developer's change to the portal's DocTypes."""
	if doc.name in PORTAL_DOCTYPES:
		for df in doc.fields:
			for prop in CONDITION_PROPERTIES:
				check_condition(df.get(prop), _(df.label or df.fieldname), prop)


# The open drafts of each portal DocType: what a removed field would take from enterprises.
OPEN_DRAFTS = {
	"Enterprise": ("certification_status", ("草稿", "退回修改")),
	"Cultivation Submission": ("status", ("草稿", "退回修改")),
}


def warn_removal(doc, method=None) -> None:
	"""Custom Field (on_trash): removing a field that open drafts have filled takes their values; the
	administrator is told how many."""
	if doc.dt not in OPEN_DRAFTS or not frappe.db.has_column(doc.dt, doc.fieldname):
		return
	status_field, statuses = OPEN_DRAFTS[doc.dt]
	count = frappe.db.count(doc.dt, {status_field: ["in", statuses], doc.fieldname: ["is", "set"]})
	if count:
		frappe.msgprint(
			_("{0} open drafts have a value in {1}; it is removed with the field.").format(
				count, _(doc.label or doc.fieldname)
			),
			title=_("Field removed"),
			indicator="orange",
		)
