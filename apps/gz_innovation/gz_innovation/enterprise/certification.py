"""Enterprise certification (企业认证), manual §2.1.3: six steps with drafts, regulator review.

The application is the Enterprise record itself while its certification_status is 草稿 /
审核中 / 退回修改; the regulator moves it on with the Workflow "Enterprise Certification".
"""

import frappe
from frappe import _

from gz_innovation.enterprise import notifications
from gz_innovation.enterprise.uscc import normalize as normalize_uscc
from gz_innovation.enterprise.validation import (
	EnterpriseInputError,
	fail,
	validate_county_in_city,
	validate_uscc,
	validate_value,
)

DRAFT, IN_REVIEW, RETURNED, CERTIFIED, REJECTED = "草稿", "审核中", "退回修改", "已认证", "驳回"
EDITABLE = (DRAFT, RETURNED)
SUBMITTED_STEP = 6

STEP_FIELDS = {
	1: ("enterprise_name", "uscc"),
	2: (
		"industry",
		"ownership_type",
		"registration_date",
		"registered_capital",
		"annual_revenue",
		"rd_expenditure",
		"city",
		"county",
		"address",
		"contact_person",
		"contact_phone",
		"contact_email",
		"introduction",
		"main_products",
	),
	3: ("legal_person_name", "legal_person_id_number", "legal_person_mobile"),
	4: ("authorized_person_name", "authorized_person_id_number", "authorized_person_mobile"),
	5: ("needs_digital_certification", "business_authorizations"),
}
SKIPPABLE_STEPS = (3, 4)
REQUIRED_AT_SUBMIT = (
	"enterprise_name",
	"uscc",
	"industry",
	"ownership_type",
	"registration_date",
	"registered_capital",
	"city",
	"county",
	"address",
	"contact_person",
	"contact_phone",
	"business_licence",
)
BUSINESS_TYPES = ("科技创新服务平台", "工业互联网平台", "中小企业公共服务", "其他")


class CertificationError(frappe.ValidationError):
	http_status_code = 417


def current_application(user: str | None = None):
	"""The user's application still in the applicant's hands or under review, else None."""
	user = user or frappe.session.user
	name = frappe.db.get_value(
		"Enterprise",
		{"applicant": user, "certification_status": ["in", (DRAFT, IN_REVIEW, RETURNED)]},
		"name",
		order_by="modified desc",
	)
	return frappe.get_doc("Enterprise", name) if name else None


def start(enterprise_name: str, uscc: str):
	"""Step 1. Returns {"status": "certified", "enterprise": ...} when only joining is possible,
	else the draft application (created or taken over)."""
	user = frappe.session.user
	enterprise_name = (enterprise_name or "").strip()
	uscc = normalize_uscc(uscc)
	if not enterprise_name:
		fail("enterprise_name", _("required"))
	validate_value("enterprise_name", enterprise_name)
	validate_uscc(uscc)
	existing = frappe.db.get_value(
		"Enterprise", uscc, ["name", "enterprise_name", "certification_status", "applicant"], as_dict=True
	)
	if existing and existing.certification_status == CERTIFIED:
		return {
			"status": "certified",
			"enterprise": existing.name,
			"enterprise_name": existing.enterprise_name,
		}
	mine = current_application(user)
	if mine and mine.name != uscc:
		if mine.certification_status == IN_REVIEW:
			frappe.throw(
				_("Your certification of {0} is under review").format(mine.enterprise_name),
				CertificationError,
			)
		frappe.throw(
			_(
				"You already have a certification draft for {0}: continue it or ask the platform to delete it"
			).format(mine.enterprise_name),
			CertificationError,
		)
	if existing and existing.applicant != user and existing.certification_status != REJECTED:
		frappe.throw(_("This enterprise already has a certification in progress"), CertificationError)
	if existing:
		doc = frappe.get_doc("Enterprise", existing.name)
		if doc.certification_status == IN_REVIEW:
			frappe.throw(
				_("Your certification of {0} is under review").format(doc.enterprise_name), CertificationError
			)
		if doc.certification_status == REJECTED:
			# A rejected application may be started again, by the same or another person.
			doc.certification_status, doc.applicant, doc.owner, doc.review_comment = DRAFT, user, user, None
	else:
		doc = frappe.new_doc("Enterprise")
		doc.uscc, doc.applicant, doc.certification_status = uscc, user, DRAFT
	doc.enterprise_name = enterprise_name
	doc.certification_step = max(doc.certification_step or 1, 2)
	doc.flags.ignore_permissions = True
	doc.flags.ignore_mandatory = True
	doc.save() if not doc.is_new() else doc.insert()
	return {"status": "draft", "application": as_form(doc)}


def get_own_application(name: str):
	doc = frappe.get_doc("Enterprise", name)
	if doc.applicant != frappe.session.user:
		raise frappe.PermissionError(_("This is not your application"))
	return doc


def save_step(name: str, step: int, values: dict, go_to: int | None = None):
	"""Save the values of one step (暂存 or 下一步/上一步) and remember where the user is."""
	doc = get_own_application(name)
	if doc.certification_status not in EDITABLE:
		frappe.throw(
			_("The application is {0} and cannot be changed").format(_(doc.certification_status)),
			CertificationError,
		)
	step = frappe.utils.cint(step)
	if step not in STEP_FIELDS or step == 1:
		frappe.throw(_("Unknown step"), CertificationError)
	values = values or {}
	unknown = set(values) - set(STEP_FIELDS[step])
	if unknown:
		frappe.throw(
			_("These fields do not belong to this step: {0}").format(", ".join(sorted(unknown))),
			CertificationError,
		)
	for fieldname, value in values.items():
		if fieldname == "business_authorizations":
			validate_authorizations(value)
		else:
			validate_value(fieldname, value)
	for fieldname, value in values.items():
		if fieldname == "business_authorizations":
			doc.set(
				"business_authorizations",
				[{"business_type": r.get("business_type"), "details": r.get("details")} for r in value or []],
			)
		else:
			doc.set(fieldname, value)
	validate_county_in_city(doc)
	go_to = frappe.utils.cint(go_to) or step
	if go_to not in STEP_FIELDS:
		frappe.throw(_("Unknown step"), CertificationError)
	doc.certification_step = go_to
	doc.flags.ignore_permissions = True
	doc.flags.ignore_mandatory = True
	doc.save()
	return as_form(doc)


def validate_authorizations(rows) -> None:
	if not isinstance(rows, list):
		fail("business_authorizations", _("invalid value"))
	for row in rows:
		if not isinstance(row, dict) or row.get("business_type") not in BUSINESS_TYPES:
			fail("business_authorizations", _("choose a business type from the list"))
		if len(row.get("details") or "") > 1000:
			fail("business_authorizations", _("details: at most {0} characters").format(1000))


def submit(name: str):
	"""Step 6: validate everything and hand the application to the regulator (审核中)."""
	doc = get_own_application(name)
	if doc.certification_status not in EDITABLE:
		frappe.throw(
			_("The application is {0} and cannot be changed").format(_(doc.certification_status)),
			CertificationError,
		)
	validate_complete(doc)
	action = "提交审核" if doc.certification_status == DRAFT else "重新提交"
	doc.certification_step = SUBMITTED_STEP
	doc.flags.ignore_permissions = True
	doc.save()
	apply_action(doc, action)
	return as_form(frappe.get_doc("Enterprise", name))


def validate_complete(doc) -> None:
	for fieldname in REQUIRED_AT_SUBMIT:
		if not doc.get(fieldname):
			fail(fieldname, _("required"))
	for fields in STEP_FIELDS.values():
		for fieldname in fields:
			if fieldname != "business_authorizations":
				validate_value(fieldname, doc.get(fieldname))
	validate_county_in_city(doc)
	if doc.needs_digital_certification and not doc.business_authorizations:
		fail("business_authorizations", _("choose at least one business type"))


def apply_action(doc, action: str) -> None:
	"""Move the Workflow as the applicant; Frappe checks the transition against the Workflow."""
	from frappe.model.workflow import apply_workflow

	doc.flags.ignore_permissions = True
	apply_workflow(doc, action)


def describe_fields(fieldnames, required=REQUIRED_AT_SUBMIT) -> list[dict]:
	"""What the portal's enterprise forms render for each field (gz_enterprise_form.js)."""
	meta = frappe.get_meta("Enterprise")
	fields = []
	for fieldname in fieldnames:
		df = meta.get_field(fieldname)
		fields.append(
			{
				"fieldname": fieldname,
				"label": _(df.label),
				"fieldtype": df.fieldtype,
				"options": [o for o in (df.options or "").split("\n") if o]
				if df.fieldtype == "Select"
				else None,
				"required": fieldname in required,
			}
		)
	return fields


def form_choices() -> dict:
	"""The choices the enterprise forms offer: cities, counties by city, business types."""
	regions = frappe.get_all(
		"GZ Region", fields=["name", "region_type", "parent_region"], order_by="region_code asc, creation asc"
	)
	return {
		"cities": [r.name for r in regions if r.region_type == "City"],
		"counties": {r.name: r.parent_region for r in regions if r.region_type == "County"},
		"business_types": list(BUSINESS_TYPES),
	}


def as_form(doc) -> dict:
	"""What the portal form shows: every step's values (unmasked: it is the applicant's own data)."""
	values = {fieldname: doc.get(fieldname) for fields in STEP_FIELDS.values() for fieldname in fields}
	values["business_authorizations"] = [
		{"business_type": row.business_type, "details": row.details} for row in doc.business_authorizations
	]
	values.update(
		{
			"name": doc.name,
			"certification_status": doc.certification_status,
			"certification_step": doc.certification_step,
			"review_comment": doc.review_comment
			if doc.certification_status in (RETURNED, REJECTED)
			else None,
			"business_licence": doc.business_licence,
		}
	)
	return values


# --- review, from the Enterprise controller -------------------------------------------------------


def validate_review(doc) -> None:
	"""A return or a rejection needs a reason for the applicant."""
	if doc.has_value_changed("certification_status") and doc.certification_status in (RETURNED, REJECTED):
		if not (doc.review_comment or "").strip():
			frappe.throw(
				_("Please enter and save the reason in Review Comment before choosing {0}").format(
					_(doc.certification_status)
				),
				CertificationError,
			)


def on_status_change(doc) -> None:
	if not doc.has_value_changed("certification_status"):
		return
	if doc.certification_status == CERTIFIED:
		from gz_innovation.enterprise.membership import make_admin

		make_admin(doc, doc.applicant)
	if doc.certification_status in (CERTIFIED, RETURNED, REJECTED):
		notifications.certification_result(doc)
