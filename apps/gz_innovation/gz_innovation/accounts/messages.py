"""The Chinese messages of account errors, one per problem code, each naming its field.

Source strings are English (`_()`), the Chinese lives in locale/zh.po.
"""

import frappe
from frappe import _


class AccountError(frappe.ValidationError):
	"""A user's input broke an account rule; `field` names the form field it belongs to."""

	http_status_code = 417

	def __init__(self, message: str, field: str | None = None):
		super().__init__(message)
		self.field = field


class LoginError(frappe.AuthenticationError):
	"""Login refused. One message whether or not the account exists."""


# field of the form that each problem belongs to
FIELD_OF = {
	"mobile": "mobile",
	"username": "username",
	"password": "password",
	"sms_code": "sms_code",
	"captcha": "captcha",
	"full_name": "full_name",
	"confirm": "confirm_password",
	"consent": "consent",
}


def message_for(problem: str, *args) -> str:
	messages = {
		"mobile_missing": _("Mobile number: please enter your mobile number"),
		"mobile_invalid": _("Mobile number: enter an 11-digit mainland China mobile number"),
		"mobile_taken": _("Mobile number: this number is already registered"),
		"mobile_unknown": _("Mobile number: no account uses this number"),
		"username_missing": _("Username: please enter a username"),
		"username_invalid": _(
			"Username: 2-30 characters of Chinese, upper or lower case letters, digits and underscores"
		),
		"username_is_mobile": _("Username: a mobile number cannot be used as a username"),
		"username_taken": _("Username: this username is already taken"),
		"full_name_missing": _("Name: please enter your real name"),
		"full_name_invalid": _("Name: at most 30 characters"),
		"password_missing": _("Password: please enter a password"),
		"password_length": _("Password: 8-19 characters"),
		"password_characters": _(
			"Password: only digits, lower and upper case letters and the special characters !@#$%^&*~ are allowed"
		),
		"password_classes": _(
			"Password: use at least two of digits, lower case letters, upper case letters and special characters (!@#$%^&*~)"
		),
		"password_same_as_old": _("New password: must differ from the current password"),
		"confirm_mismatch": _("Confirm password: the two passwords do not match"),
		"consent_missing": _(
			"Please read and agree to the User Registration Agreement and the Login Service Agreement"
		),
		"captcha_missing": _("Image captcha: please enter the characters in the picture"),
		"captcha_invalid": _("Image captcha: wrong or expired, please look at the new picture and try again"),
		"sms_code_missing": _("SMS code: please enter the code sent to your mobile"),
		"sms_code_invalid": _("SMS code: the code is wrong"),
		"sms_code_expired": _("SMS code: the code has expired or was not requested, please get a new one"),
		"sms_code_exhausted": _("SMS code: too many wrong attempts, please get a new code"),
		"sms_cooldown": _("SMS code: please wait {0} seconds before requesting another code"),
		"sms_mobile_daily_limit": _("SMS code: this mobile number has reached today's limit of codes"),
		"sms_ip_limit": _("SMS code: too many requests from your network, please try again later"),
	}
	return messages[problem].format(*args)


def field_of(problem: str) -> str | None:
	for prefix, field in FIELD_OF.items():
		if problem.startswith(prefix + "_"):
			return field
	return "sms_code" if problem.startswith("sms_") else None


def raise_problem(problem: str, *args) -> None:
	"""Throw the problem's message as an AccountError carrying the form field it belongs to."""
	if getattr(frappe.local, "response", None) is not None:
		frappe.local.response["gz_field"] = field_of(problem)
	frappe.throw(message_for(problem, *args), AccountError, title=_("Please check your input"))
