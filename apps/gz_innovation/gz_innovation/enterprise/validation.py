"""Field rules of the enterprise forms: one place for the portal steps and Desk saves.

Each error names the field in Chinese: "<label>：<problem>".
"""

import datetime
import re

import frappe
from frappe import _
from frappe.utils import getdate, today

from gz_innovation.accounts.rules import MOBILE_PATTERN
from gz_innovation.enterprise.idcard import is_valid_id_number
from gz_innovation.enterprise.uscc import UsccProblem, find_problem
from gz_innovation.utils import parse_number

PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class EnterpriseInputError(frappe.ValidationError):
	http_status_code = 417


def label(fieldname: str) -> str:
	return _(frappe.get_meta("Enterprise").get_label(fieldname))


def fail(fieldname: str, problem: str) -> None:
	if getattr(frappe.local, "response", None) is not None:
		frappe.local.response["gz_field"] = fieldname
	frappe.throw(_("{0}: {1}").format(label(fieldname), problem), EnterpriseInputError)


def validate_uscc(code: str, fieldname: str = "uscc") -> None:
	problem = _uscc(code)
	if problem:
		fail(fieldname, problem)


def validate_value(fieldname: str, value) -> None:
	"""The rule of one field; empty values pass (completeness is checked at submission)."""
	problem = problem_of(fieldname, value)
	if problem:
		fail(fieldname, problem)


def problem_of(fieldname: str, value) -> str | None:
	"""What is wrong with a value of the Enterprise field `fieldname` (a short translated phrase), or
	None. Other records that keep a copy of the field (a submission's snapshot) use the same rules."""
	if value in (None, "", []):
		return None
	df = frappe.get_meta("Enterprise").get_field(fieldname)
	if df.fieldtype in ("Data", "Small Text", "Text") and isinstance(value, str):
		if df.length and len(value) > df.length:
			return _("at most {0} characters").format(df.length)
	if df.fieldtype in ("Float", "Currency", "Percent"):
		return parse_number(value)[1]
	if df.fieldtype == "Int":
		return parse_number(value, whole=True)[1]
	if df.fieldtype == "Check" and value not in (0, 1, "0", "1", True, False):
		return _("invalid value")
	if df.fieldtype == "Date":
		date = parse_date(value)
		if date is None:
			return _("enter a valid date")
		if date > getdate(today()):
			return _("cannot be in the future")
	if df.fieldtype == "Select" and value not in (df.options or "").split("\n"):
		return _("choose one of the listed options")
	rule = FIELD_RULES.get(fieldname)
	return rule(value) if rule else None


def parse_date(value) -> datetime.date | None:
	"""A date as the forms send it (YYYY-MM-DD), or None. Not Frappe's getdate, which reports a
	malformed date to the client itself before raising."""
	if isinstance(value, datetime.date):
		return value
	try:
		return datetime.date.fromisoformat(str(value).strip()[:10])
	except ValueError:
		return None


def _phone(value) -> str | None:
	if not PHONE_PATTERN.match(value):
		return _("enter a mobile number or a landline such as 0851-12345678")


def _mobile(value) -> str | None:
	if not MOBILE_PATTERN.match(value):
		return _("enter an 11-digit mainland China mobile number")


def _email(value) -> str | None:
	if not EMAIL_PATTERN.match(value):
		return _("enter a valid e-mail address")


def _id_number(value) -> str | None:
	if not is_valid_id_number(value):
		return _("enter a valid 18-character ID card number")


def _city(value) -> str | None:
	if frappe.db.get_value("GZ Region", value, "region_type") != "City":
		return _("choose a city or prefecture of Guizhou")


def _county(value) -> str | None:
	if frappe.db.get_value("GZ Region", value, "region_type") != "County":
		return _("choose a county or district")


def _uscc(value) -> str | None:
	problem = find_problem(value)
	if problem is UsccProblem.LENGTH:
		return _("must be 18 characters")
	if problem is UsccProblem.CHARACTERS:
		return _("only digits and upper case letters except I, O, S, V, Z")
	if problem is UsccProblem.CHECKSUM:
		return _("the check character does not match, please check the code")
	return None


def _industry(value) -> str | None:
	from gz_innovation.enterprise.choices import industries

	if value not in industries():
		return _("choose one of the listed industries")


FIELD_RULES = {
	"uscc": _uscc,
	"industry": _industry,
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
