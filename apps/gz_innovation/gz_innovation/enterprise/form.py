"""The certification form (企业认证) as the Enterprise DocType's metadata lays it out, so that an
administrator changes it with Customize Form, without code:

- step 1 is the name check (企业名称 and 统一社会信用代码): the application is created there;
- every Tab Break of Enterprise is one step, in order, titled with the tab's label, its description
  the step's note; sections inside a tab are groups (a labelled section shows its label as a heading
  and its description as a hint);
- a step asks for the fields of its tab that a user fills: not hidden, not set by the server, of a
  kind the portal renders; a read-only custom field is shown, never taken;
- each field brings its label, description (help), options, `depends_on` and required flag
  (`reqd`, or `mandatory_depends_on` while it holds); a tab without required fields may be skipped;
- the last step is 等待审核.

Required fields are checked when the user leaves a step forwards and when the application is
submitted (certification.validate_complete, on the document); a draft may stay incomplete, so Frappe's
own mandatory check is left to these (certification.validate sets ignore_mandatory)."""

import frappe
from frappe import _

from gz_innovation.portal import depends

DOCTYPE = "Enterprise"
CACHE_KEY = "gz_certify_form:"  # + language: the described form (www/certify.py)
NAME_FIELDS = ("enterprise_name", "uscc")
LICENCE_FIELD = "business_licence"  # uploaded on its own (enterprise/api.upload_business_licence)
# Kinds of field the portal's enterprise form renders (public/js/portal/enterprise_form.js).
PORTAL_TYPES = (
	"Data",
	"Small Text",
	"Text",
	"Int",
	"Float",
	"Currency",
	"Percent",
	"Date",
	"Select",
	"Check",
	"Link",
	"Table",
	"Attach",
)
# Set by the server or by reviewers: never asked on the portal, whichever tab holds them.
NOT_ASKED = frozenset(
	(
		*NAME_FIELDS,
		"certification_status",
		"applicant",
		"enterprise_admin",
		"certification_submitted_at",
		"certification_step",
		"needs_update",
		"uscc_flagged",
		"is_legacy",
		"review_comment",
	)
)
# A Link the portal can offer: regions (cities and counties of Guizhou). The only Table: the
# 数字工信 business types.
PORTAL_LINKS = ("GZ Region",)
PORTAL_TABLES = ("GZ Business Authorization",)


def _renders(df) -> bool:
	if df.fieldtype not in PORTAL_TYPES or df.hidden or df.fieldname in NOT_ASKED:
		return False
	if df.fieldtype == "Link":
		return df.options in PORTAL_LINKS
	if df.fieldtype == "Table":
		return df.options in PORTAL_TABLES
	if df.fieldtype == "Attach":
		return df.fieldname == LICENCE_FIELD
	return not df.read_only or bool(df.get("is_custom_field"))


def tabs() -> list[dict]:
	"""The steps after step 1 as the metadata says: [{tab, label, note, sections: [{label, note,
	fields: [df]}]}]. Fields before the first tab (the name, the status, the review) are not steps."""
	result = []
	section = None
	for df in frappe.get_meta(DOCTYPE).fields:
		if df.fieldtype == "Tab Break":
			result.append({"tab": df.fieldname, "label": df.label, "note": df.description, "sections": []})
			section = None
			continue
		if not result:
			continue
		if df.fieldtype == "Section Break" or section is None:
			section = {"label": None, "note": None, "fields": []}
			if df.fieldtype == "Section Break":
				section.update(label=df.label, note=df.description)
			result[-1]["sections"].append(section)
			if df.fieldtype == "Section Break":
				continue
		if _renders(df):
			section["fields"].append(df)
	return result


def step_count() -> int:
	"""Step 1, one per tab, and 等待审核."""
	return len(tabs()) + 2


def submitted_step() -> int:
	return step_count()


def step_fields(step: int) -> tuple:
	"""The fieldnames step `step` shows (1: the name check), the licence among them."""
	if step == 1:
		return NAME_FIELDS
	steps = tabs()
	if 2 <= step < len(steps) + 2:
		return tuple(df.fieldname for s in steps[step - 2]["sections"] for df in s["fields"])
	return ()


def asked_fields(step: int) -> tuple:
	"""What the user types on step `step` (saved with the step): the licence and read-only fields are
	shown but not taken."""
	meta = frappe.get_meta(DOCTYPE)
	return tuple(f for f in step_fields(step) if f != LICENCE_FIELD and not meta.get_field(f).read_only)


def declared_fields() -> tuple:
	"""Everything the enterprise declares in the form (the code names the record: not here)."""
	declared = ["enterprise_name"]
	for step in range(2, step_count()):
		declared += asked_fields(step)
		if LICENCE_FIELD in step_fields(step):
			declared.append(LICENCE_FIELD)
	return tuple(declared)


def all_fields() -> tuple:
	return tuple(f for step in range(1, step_count()) for f in step_fields(step))


def licence_step() -> int | None:
	return next((s for s in range(2, step_count()) if LICENCE_FIELD in step_fields(s)), None)


def required_of_step(step: int, values) -> list[str]:
	meta = frappe.get_meta(DOCTYPE)
	return [f for f in step_fields(step) if depends.is_required(meta.get_field(f), values)]


def required_fields(values) -> list[str]:
	"""Every field the application requires at submission, in the form's order."""
	return [f for step in range(1, step_count()) for f in required_of_step(step, values)]


def is_skippable(step: int) -> bool:
	meta = frappe.get_meta(DOCTYPE)
	return not any(
		meta.get_field(f).reqd or meta.get_field(f).mandatory_depends_on for f in step_fields(step)
	)


def forget_described(doc=None, method=None) -> None:
	"""Custom Field, Property Setter (Customize Form) or DocType saved or deleted: the described
	certification form goes, now and once the transaction ends, so that /certify shows the change at
	once and no copy is rebuilt from metadata a rollback undoes."""
	if _concerns_enterprise(doc):
		_forget()
		if getattr(frappe.local, "db", None):
			frappe.db.after_commit.add(_forget)
			frappe.db.after_rollback.add(_forget)


def _concerns_enterprise(doc) -> bool:
	if doc is None:
		return True
	target = {"Custom Field": "dt", "Property Setter": "doc_type"}.get(doc.doctype)
	name = doc.get(target) if target else doc.name
	return name in (DOCTYPE, *PORTAL_TABLES)


def _forget() -> None:
	frappe.cache.delete_keys(CACHE_KEY)
