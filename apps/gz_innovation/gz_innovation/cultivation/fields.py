"""The fields of Cultivation Submission as the rules, the rule editor and the forms see them: one place
that says which fields a formula may use (numbers and yes/no answers), which a condition may use (any
value the enterprise declares, text and select fields included, and the enterprise's region), how a
yes/no answer reads as a number, and each field's Chinese label and unit. Custom fields added with
Customize Form are included as soon as they exist."""

import datetime
import re

import frappe
from frappe import _

DOCTYPE = "Cultivation Submission"
YES, NO = "是", "否"
NUMERIC_TYPES = ("Int", "Float", "Currency", "Percent")
# Value fields a condition may compare besides numbers and yes/no answers.
TEXT_TYPES = ("Data", "Select", "Link", "Small Text", "Text", "Date")
# Fields of the review, the result and the record itself: no rule depends on them.
INTERNAL_FIELDS = frozenset(
	(
		"enterprise",
		"cultivation_type",
		"batch",
		"status",
		"overall_result",
		"recognition_status",
		"rule_set",
		"rule_version",
		"submitted_by",
		"submitted_at",
		"stage_entered_at",
		"verification_code",
		"review_comment",
		"commitment",
		"evaluation",
		"entered_figures",
		"submitted_form",
	)
)
UNIT = re.compile(r"^(?P<label>.*?)\s*[(（](?P<unit>[^()（）]*)[)）]\s*$")


def is_yes_no(df) -> bool:
	"""A 是/否 question: a Select whose options are exactly 否 and 是 (shown as radio buttons)."""
	if not df or df.fieldtype != "Select":
		return False
	return {o.strip() for o in (df.options or "").split("\n") if o.strip()} == {YES, NO}


def yes_no_number(value) -> int | None:
	"""A yes/no answer as a number for formulas and the 是/否 operators: 是 → 1, 否 → 0; a Check's
	1/0 as it is; None while it is not answered."""
	if value in (None, ""):
		return None
	if value in (YES, 1, "1", True):
		return 1
	if value in (NO, 0, "0", False):
		return 0
	return None


def condition_value(value):
	"""A value as a condition compares it: dates as YYYY-MM-DD text, the rest as stored."""
	if isinstance(value, datetime.datetime | datetime.date):
		return value.isoformat()[:10]
	return value


def _meta():
	return frappe.get_meta(DOCTYPE)


def formula_fields() -> dict:
	"""Numeric and yes/no fields a user fills (custom fields included): what formulas may use."""
	return {
		df.fieldname: df
		for df in _meta().fields
		if (df.fieldtype in (*NUMERIC_TYPES, "Check") or is_yes_no(df))
		and not df.read_only
		and df.fieldname not in INTERNAL_FIELDS
	}


def condition_fields() -> dict:
	"""Every value of the submission a condition may compare: the formula fields, the basic
	information, the indicator category, text and select fields (custom fields included) and the
	enterprise's region."""
	fields = formula_fields()
	for df in _meta().fields:
		if df.fieldtype in TEXT_TYPES and df.fieldname not in INTERNAL_FIELDS and not df.hidden:
			fields.setdefault(df.fieldname, df)
	return fields


def split_unit(label: str) -> tuple[str, str]:
	"""'规模以上企业营业收入 (万元)' -> ('规模以上企业营业收入', '万元')."""
	match = UNIT.match(label or "")
	return (match["label"], match["unit"]) if match else (label, "")


def label_and_unit(df) -> tuple[str, str]:
	"""A field's Chinese label and, for a number, its unit apart: ('发明专利', '件'). Other labels are
	kept whole (企业类型（指标类别） has no unit)."""
	label = _(df.label)
	return split_unit(label) if df.fieldtype in NUMERIC_TYPES else (label, "")


def label_of(fieldname: str) -> str:
	"""A field's Chinese label without its unit."""
	return label_and_unit(_meta().get_field(fieldname))[0]


def kind_of(df) -> str:
	if is_yes_no(df):
		return "yes_no"
	if df.fieldtype == "Check":
		return "check"
	if df.fieldtype in NUMERIC_TYPES:
		return "number"
	if df.fieldtype == "Select":
		return "select"
	if df.fieldtype == "Link":
		return "link"
	if df.fieldtype == "Date":
		return "date"
	return "text"


def options_of(df) -> list[str]:
	"""The values a select or link field can hold (for the rule editor and the literal check)."""
	if df.fieldtype == "Select":
		return [o for o in (df.options or "").split("\n") if o.strip()]
	if df.fieldtype == "Link" and df.options == "GZ Indicator Category":
		return frappe.get_all("GZ Indicator Category", pluck="name", order_by="sort_order asc, name asc")
	if df.fieldtype == "Link" and df.options == "GZ Region":
		return frappe.get_all("GZ Region", pluck="name", order_by="region_code asc")
	return []


def describe_usable_fields() -> list[dict]:
	"""The rule editor's field list: Chinese label, unit, kind, whether a formula may use it, options."""
	formula = formula_fields()
	described = []
	for fieldname, df in condition_fields().items():
		label, unit = label_and_unit(df)
		described.append(
			{
				"fieldname": fieldname,
				"label": label,
				"unit": unit,
				"kind": kind_of(df),
				"in_formula": fieldname in formula,
				"custom": bool(df.get("is_custom_field")),
				"options": options_of(df) if df.fieldtype in ("Select", "Link") else [],
			}
		)
	return described
