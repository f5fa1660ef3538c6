"""Field rules of the enterprise forms: one place for the portal steps and Desk saves.

Each error names the field in Chinese: "<label>：<problem>".
"""

import re

import frappe
from frappe import _
from frappe.utils import getdate, today

from gz_innovation.accounts.rules import MOBILE_PATTERN
from gz_innovation.enterprise.idcard import is_valid_id_number
from gz_innovation.enterprise.uscc import UsccProblem, find_problem

PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_AMOUNT = 100_000_000  # 万元: one trillion yuan; anything larger is a typing error


class EnterpriseInputError(frappe.ValidationError):
	http_status_code = 417


def label(fieldname: str) -> str:
	return _(frappe.get_meta("Enterprise").get_label(fieldname))


def fail(fieldname: str, problem: str) -> None:
	if getattr(frappe.local, "response", None) is not None:
		frappe.local.response["gz_field"] = fieldname
	frappe.throw(_("{0}: {1}").format(label(fieldname), problem), EnterpriseInputError)


def validate_uscc(code: str, fieldname: str = "uscc") -> None:
	problem = find_problem(code)
	if problem is UsccProblem.LENGTH:
		fail(fieldname, _("must be 18 characters"))
	if problem is UsccProblem.CHARACTERS:
		fail(fieldname, _("only digits and upper case letters except I, O, S, V, Z"))
	if problem is UsccProblem.CHECKSUM:
		fail(fieldname, _("the check character does not match, please check the code"))


def validate_value(fieldname: str, value) -> None:
	"""The rule of one field; empty values pass (completeness is checked at submission)."""
	if value in (None, "", []):
		return
	meta = frappe.get_meta("Enterprise")
	df = meta.get_field(fieldname)
	if df.fieldtype in ("Data", "Small Text") and isinstance(value, str):
		if df.length and len(value) > df.length:
			fail(fieldname, _("at most {0} characters").format(df.length))
	if df.fieldtype == "Float":
		try:
			number = float(value)
		except (TypeError, ValueError):
			fail(fieldname, _("enter a number"))
		if number < 0:
			fail(fieldname, _("cannot be negative"))
		if number > MAX_AMOUNT:
			fail(fieldname, _("the amount is too large, the unit is 万元"))
	if df.fieldtype == "Date":
		try:
			date = getdate(value)
		except Exception:
			fail(fieldname, _("enter a valid date"))
		if date > getdate(today()):
			fail(fieldname, _("cannot be in the future"))
	if df.fieldtype == "Select" and value not in (df.options or "").split("\n"):
		fail(fieldname, _("choose one of the listed options"))
	rule = FIELD_RULES.get(fieldname)
	if rule:
		rule(fieldname, value)


def _phone(fieldname, value):
	if not PHONE_PATTERN.match(value):
		fail(fieldname, _("enter a mobile number or a landline such as 0851-12345678"))


def _mobile(fieldname, value):
	if not MOBILE_PATTERN.match(value):
		fail(fieldname, _("enter an 11-digit mainland China mobile number"))


def _email(fieldname, value):
	if not EMAIL_PATTERN.match(value):
		fail(fieldname, _("enter a valid e-mail address"))


def _id_number(fieldname, value):
	if not is_valid_id_number(value):
		fail(fieldname, _("enter a valid 18-character ID card number"))


def _city(fieldname, value):
	if frappe.db.get_value("GZ Region", value, "region_type") != "City":
		fail(fieldname, _("choose a city or prefecture of Guizhou"))


def _county(fieldname, value):
	if frappe.db.get_value("GZ Region", value, "region_type") != "County":
		fail(fieldname, _("choose a county or district"))


FIELD_RULES = {
	"uscc": lambda fieldname, value: validate_uscc(value, fieldname),
	"contact_phone": _phone,
	"contact_email": _email,
	"legal_person_mobile": _mobile,
	"authorized_person_mobile": _mobile,
	"legal_person_id_number": _id_number,
	"authorized_person_id_number": _id_number,
	"city": _city,
	"county": _county,
}


def validate_county_in_city(doc) -> None:
	if doc.county and doc.city and frappe.db.get_value("GZ Region", doc.county, "parent_region") != doc.city:
		fail("county", _("the county is not in the chosen city"))
