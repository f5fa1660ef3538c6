"""需更新完善: the admin of an imported enterprise reviews and completes its data (manual §1.7)
before any new submission. The form is prefilled with the imported values; a 统一社会信用代码 that
failed the check must be corrected here, and the corrected code passes the same check as a new
certification."""

import frappe
from frappe import _
from frappe.model.rename_doc import rename_doc

from gz_innovation.enterprise import form
from gz_innovation.enterprise.uscc import normalize as normalize_uscc
from gz_innovation.enterprise.validation import fail, validate_county_in_city, validate_uscc, validate_value
from gz_innovation.portal import depends
from gz_innovation.utils import server_set

PATH = "/enterprise-update"


def fields() -> tuple:
	"""The certification's steps 1 to 3 as the metadata lays them out (name, information, legal
	person), without the licence: the previous platform's licence files were not exported, the admin
	may add one later."""
	return tuple(f for step in (1, 2, 3) for f in form.step_fields(step) if f != form.LICENCE_FIELD)


def required(doc_or_values) -> tuple:
	meta = frappe.get_meta(form.DOCTYPE)
	return tuple(f for f in fields() if depends.is_required(meta.get_field(f), doc_or_values))


class CompletionError(frappe.ValidationError):
	http_status_code = 417


def enterprise_to_complete(user: str | None = None) -> str | None:
	"""The enterprise this user administers and must complete (需更新完善), else None."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return None
	return frappe.db.get_value("Enterprise", {"enterprise_admin": user, "needs_update": 1})


def current_form() -> dict:
	enterprise = _own_enterprise()
	doc = frappe.get_doc("Enterprise", enterprise)
	values = {fieldname: doc.get(fieldname) for fieldname in fields()}
	values.update({"name": doc.name, "uscc_flagged": doc.uscc_flagged})
	return values


def complete(values: dict) -> str:
	"""Validate and save the reviewed data; clears 需更新完善. Returns the enterprise's name."""
	enterprise = _own_enterprise()
	values = values or {}
	unknown = set(values) - set(fields())
	if unknown:
		frappe.throw(
			_("These fields cannot be changed here: {0}").format(", ".join(sorted(unknown))), CompletionError
		)
	doc = frappe.get_doc("Enterprise", enterprise)
	new_uscc = normalize_uscc(values.pop("uscc", None) or doc.uscc)
	if new_uscc != doc.uscc or doc.uscc_flagged:
		validate_uscc(new_uscc)
		other = frappe.db.get_value("Enterprise", new_uscc, "name") if new_uscc != doc.name else None
		if other:
			fail("uscc", _("another enterprise already has this code"))
	for fieldname, value in values.items():
		validate_value(fieldname, value)
		doc.set(fieldname, value if value != "" else None)
	for fieldname in required(doc):
		if fieldname != "uscc" and not doc.get(fieldname):
			fail(fieldname, _("required"))
	validate_county_in_city(doc)
	server_set(doc, needs_update=0, uscc_flagged=0)
	doc.flags.ignore_permissions = True
	doc.save()
	doc.add_comment("Info", _("The enterprise admin reviewed and completed the imported data (需更新完善)"))
	if new_uscc != doc.name:
		# The record is named by its code: renaming carries every link (members, submissions).
		rename_doc("Enterprise", doc.name, new_uscc, force=True, ignore_permissions=True, show_alert=False)
		frappe.db.set_value("Enterprise", new_uscc, "uscc", new_uscc, update_modified=False)
		enterprise = new_uscc
	return enterprise


def _own_enterprise() -> str:
	enterprise = enterprise_to_complete()
	if not enterprise:
		frappe.throw(_("There is no enterprise data for you to complete"), frappe.PermissionError)
	return enterprise


def login_redirect(user: str) -> str | None:
	"""Hook `gz_login_redirect`: after login a legacy admin first reviews the imported data."""
	return PATH if enterprise_to_complete(user) else None
