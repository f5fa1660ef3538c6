"""Enterprise certification (企业认证), manual §2.1.3: six steps with drafts, regulator review.

The application is the Enterprise record itself while its certification_status is 草稿 /
审核中 / 退回修改; the regulator moves it on with the Workflow "Enterprise Certification".

The rules live on the document (`validate` below runs on every save, whichever way it comes):
- what the enterprise declares changes only while the application is in the applicant's hands
  (草稿 / 退回修改) and by the applicant; a certified enterprise changes only through 需更新完善 by its
  admin, or by the platform's administrators in Desk; reviewers write the review comment only;
- the applicant, the enterprise admin, the flags and the certification step are set by the server;
- submitting (→ 审核中) checks completeness; approval (→ 已认证) makes the applicant the admin, if
  the applicant still belongs to no other enterprise.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, now_datetime

from gz_innovation.enterprise import choices, files, form, notifications
from gz_innovation.enterprise.roles import REVIEWER_ROLES
from gz_innovation.enterprise.uscc import normalize as normalize_uscc
from gz_innovation.enterprise.validation import (
	EnterpriseInputError,
	fail,
	validate_county_in_city,
	validate_uscc,
	validate_value,
)
from gz_innovation.portal import depends
from gz_innovation.utils import (
	changed_fields,
	check_review_comment,
	is_platform_admin,
	parse_number,
	refuse_client_changes,
	save_unless_changed_since,
	server_set,
)

DRAFT, IN_REVIEW, RETURNED, CERTIFIED, REJECTED = "草稿", "审核中", "退回修改", "已认证", "驳回"
EDITABLE = (DRAFT, RETURNED)

# The steps, their fields and what each requires come from Enterprise's metadata (enterprise/form.py).
# Set by the server only.
SERVER_FIELDS = (
	"applicant",
	"enterprise_admin",
	"needs_update",
	"uscc_flagged",
	"is_legacy",
	"certification_step",
)
REVIEW_FIELDS = ("review_comment",)
DEFAULT_DRAFT_EXPIRY_DAYS = 30


class CertificationError(frappe.ValidationError):
	http_status_code = 417


# --- the document's rules -------------------------------------------------------------------------


def validate(doc) -> None:
	"""Enterprise.validate: every path runs this."""
	before = doc.get_doc_before_save()
	# A draft may be incomplete: what is required is checked when the user leaves a step and when the
	# application is submitted, naming the field (validate_complete), not by Frappe on every save.
	doc.flags.ignore_mandatory = True
	refuse_client_changes(doc, SERVER_FIELDS if before is None else ("uscc", *SERVER_FIELDS))
	validate_declared(doc, before)
	validate_review_fields(doc)
	files.validate_attach_fields(doc)
	if entering(doc, before, IN_REVIEW):
		require_applicant(doc)
		validate_complete(doc)
		require_free_applicant(doc)
	if entering(doc, before, CERTIFIED):
		require_free_applicant(doc)
	validate_review(doc)


def entering(doc, before, status: str) -> bool:
	return doc.certification_status == status and (before is None or before.certification_status != status)


def validate_declared(doc, before) -> None:
	changed = changed_fields(doc, form.declared_fields())
	if not changed:
		return
	if not may_declare(doc, before):
		if set(REVIEWER_ROLES) & set(frappe.get_roles()):
			frappe.throw(_("Reviewers cannot change what the enterprise declared"), frappe.PermissionError)
		if before is not None and before.certification_status == CERTIFIED:
			frappe.throw(
				_("The information of a certified enterprise cannot be changed here"),
				frappe.PermissionError,
			)
		frappe.throw(_("This is not your application"), frappe.PermissionError)
	for fieldname in changed:
		if fieldname == "business_authorizations":
			validate_authorizations([row.as_dict() for row in doc.business_authorizations])
		elif fieldname != "business_licence":
			validate_value(fieldname, doc.get(fieldname))
	validate_county_in_city(doc)


def may_declare(doc, before) -> bool:
	"""Who may change the enterprise's information on this save."""
	user = frappe.session.user
	if is_platform_admin(user):
		return True  # corrections by the platform's administrators in Desk (each one in the Version log)
	status = before.certification_status if before is not None else DRAFT
	if status in EDITABLE:
		return doc.applicant == user
	# 需更新完善 (manual §1.7): the admin of an imported enterprise reviews and completes its data.
	return status == CERTIFIED and cint(before.needs_update) and doc.enterprise_admin == user


def validate_review_fields(doc) -> None:
	if changed_fields(doc, REVIEW_FIELDS) and not (
		set(REVIEWER_ROLES) & set(frappe.get_roles()) or is_platform_admin()
	):
		frappe.throw(_("Only reviewers write the review comment"), frappe.PermissionError)


def require_applicant(doc) -> None:
	if doc.applicant != frappe.session.user:
		frappe.throw(_("Only the applicant can submit the application"), frappe.PermissionError)


def require_free_applicant(doc) -> None:
	"""An enterprise's admin is a portal user who belongs to no other enterprise."""
	from gz_innovation.enterprise.membership import require_may_join

	require_may_join(doc.applicant, doc.name)


def validate_review(doc) -> None:
	"""A return or a rejection needs a reason for the applicant, one that fits an SMS or a few."""
	check_review_comment(doc, CertificationError)
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


def validate_complete(doc) -> None:
	for step in range(1, form.step_count()):
		validate_step_complete(doc, step)
	for fieldname in form.all_fields():
		if fieldname not in ("business_authorizations", form.LICENCE_FIELD):
			validate_value(fieldname, doc.get(fieldname))


def validate_step_complete(doc, step: int) -> None:
	"""What a step requires (metadata: required, or required while a condition holds), checked when the
	user leaves it forwards, so the error names the field on that step rather than at submission."""
	for fieldname in form.required_of_step(step, doc):
		if not doc.get(fieldname):
			if fieldname == "business_authorizations":
				fail(fieldname, _("choose at least one business type"))
			fail(fieldname, _("required"))
	if {"city", "county"} & set(form.step_fields(step)):
		validate_county_in_city(doc)


def validate_authorizations(rows) -> None:
	if not isinstance(rows, list):
		fail("business_authorizations", _("invalid value"))
	for row in rows:
		if not isinstance(row, dict) or row.get("business_type") not in choices.business_types():
			fail("business_authorizations", _("choose a business type from the list"))
		if len(row.get("details") or "") > 1000:
			fail("business_authorizations", _("details: at most {0} characters").format(1000))


# --- the portal: the applicant's six steps ----------------------------------------------------------


def current_application(user: str | None = None):
	"""The user's application still in the applicant's hands or under review, else None."""
	name = _of_current_application(user, "name")
	return frappe.get_doc("Enterprise", name) if name else None


def current_application_summary(user: str | None = None) -> frappe._dict | None:
	"""The enterprise name and certification status of the user's current application (see
	current_application), if any."""
	return _of_current_application(user, ["enterprise_name", "certification_status"], as_dict=True)


def _of_current_application(user: str | None, fields, as_dict: bool = False):
	return frappe.db.get_value(
		"Enterprise",
		{
			"applicant": user or frappe.session.user,
			"certification_status": ["in", (DRAFT, IN_REVIEW, RETURNED)],
		},
		fields,
		order_by="modified desc",
		as_dict=as_dict,
	)


def draft_expiry_days() -> int:
	return cint(frappe.db.get_single_value("GZ Enterprise Settings", "draft_expiry_days")) or (
		DEFAULT_DRAFT_EXPIRY_DAYS
	)


def is_abandoned(modified) -> bool:
	"""An application left in the applicant's hands longer than the expiry may be claimed by another."""
	return get_datetime(modified) < add_days(now_datetime(), -draft_expiry_days())


def find_certified(enterprise_name: str) -> dict:
	"""Step 1 (manual: "填写企业名称，系统会自动判断该企业是否已认证"): whether an enterprise of this
	name is certified already, so the user can only apply to join it. Half-width and full-width
	brackets count as the same."""
	enterprise_name = (enterprise_name or "").strip()
	if not enterprise_name:
		fail("enterprise_name", _("required"))
	validate_value("enterprise_name", enterprise_name)
	spellings = {
		enterprise_name,
		enterprise_name.replace("(", "（").replace(")", "）"),
		enterprise_name.replace("（", "(").replace("）", ")"),
	}
	found = frappe.db.get_value(
		"Enterprise",
		{"enterprise_name": ["in", list(spellings)], "certification_status": CERTIFIED},
		["name", "enterprise_name"],
		as_dict=True,
	)
	if found:
		return {"status": "certified", "enterprise": found.name, "enterprise_name": found.enterprise_name}
	return {"status": "new"}


def start(enterprise_name: str, uscc: str):
	"""Step 1. Returns {"status": "certified", "enterprise": ...} when only joining is possible,
	else the draft application (created or taken over)."""
	from gz_innovation.enterprise.membership import require_may_join

	user = frappe.session.user
	enterprise_name = (enterprise_name or "").strip()
	uscc = normalize_uscc(uscc)
	if not enterprise_name:
		fail("enterprise_name", _("required"))
	validate_value("enterprise_name", enterprise_name)
	if not uscc:
		fail("uscc", _("required"))
	validate_uscc(uscc)
	existing = frappe.db.get_value(
		"Enterprise",
		uscc,
		["name", "enterprise_name", "certification_status", "applicant", "modified"],
		as_dict=True,
	)
	if existing and existing.certification_status == CERTIFIED:
		return {
			"status": "certified",
			"enterprise": existing.name,
			"enterprise_name": existing.enterprise_name,
		}
	require_may_join(user)
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
	if existing and existing.applicant != user:
		claimable = existing.certification_status == REJECTED or (
			existing.certification_status in EDITABLE and is_abandoned(existing.modified)
		)
		if not claimable:
			frappe.throw(
				_(
					"This enterprise already has a certification in progress. An application not continued for {0} days may be started again; or contact the platform"
				).format(draft_expiry_days()),
				CertificationError,
			)
		# Another person's rejected or abandoned application: it goes with its data and history, so
		# the new applicant sees nothing of it.
		discard_application(existing.name)
		existing = None
	if existing:
		doc = frappe.get_doc("Enterprise", existing.name)
		if doc.certification_status == IN_REVIEW:
			frappe.throw(
				_("Your certification of {0} is under review").format(doc.enterprise_name), CertificationError
			)
		if doc.certification_status == REJECTED:
			doc.certification_status, doc.review_comment = DRAFT, None  # the applicant starts again
	else:
		doc = frappe.new_doc("Enterprise")
		doc.uscc, doc.certification_status = uscc, DRAFT
		server_set(doc, applicant=user)
	doc.enterprise_name = enterprise_name
	server_set(doc, certification_step=max(doc.certification_step or 1, 2))
	doc.flags.ignore_permissions = True
	doc.flags.ignore_mandatory = True
	doc.save() if not doc.is_new() else doc.insert()
	return {"status": "draft", "application": as_form(doc)}


def discard_application(name: str) -> None:
	"""Delete an application that was never certified, with its files, versions and comments."""
	if frappe.db.get_value("Enterprise", name, "certification_status") == CERTIFIED:
		frappe.throw(_("A certified enterprise cannot be discarded"), CertificationError)
	for file in frappe.get_all(
		"File", filters={"attached_to_doctype": "Enterprise", "attached_to_name": name}, pluck="name"
	):
		frappe.delete_doc("File", file, ignore_permissions=True, force=True)
	frappe.delete_doc("Enterprise", name, ignore_permissions=True, force=True, delete_permanently=True)
	for doctype in ("Version", "Comment"):
		frappe.db.delete(
			doctype,
			{
				"ref_doctype" if doctype == "Version" else "reference_doctype": "Enterprise",
				"docname" if doctype == "Version" else "reference_name": name,
			},
		)


def get_own_application(name: str):
	doc = frappe.get_doc("Enterprise", name)
	if doc.applicant != frappe.session.user:
		frappe.throw(_("This is not your application"), frappe.PermissionError)
	return doc


def save_step(name: str, step: int, values: dict, go_to: int | None = None, modified: str | None = None):
	"""Save the values of one step (暂存, autosave, 下一步/上一步) and remember where the user is.
	`modified`: the version the form holds; a save from an older copy is refused."""
	doc = get_own_application(name)
	if doc.certification_status not in EDITABLE:
		frappe.throw(
			_("The application is {0} and cannot be changed").format(_(doc.certification_status)),
			CertificationError,
		)
	step = cint(step)
	last = form.submitted_step()
	if not 1 < step < last:
		frappe.throw(_("Unknown step"), CertificationError)
	values = values or {}
	unknown = set(values) - set(form.asked_fields(step))
	if unknown:
		frappe.throw(
			_("These fields do not belong to this step: {0}").format(", ".join(sorted(unknown))),
			CertificationError,
		)
	if "business_authorizations" in values:
		validate_authorizations(values["business_authorizations"])
		values["business_authorizations"] = [
			{"business_type": r.get("business_type"), "details": r.get("details")}
			for r in values["business_authorizations"] or []
		]
	doc.update(as_typed(values))
	go_to = cint(go_to) or step
	if not 1 <= go_to < last:
		frappe.throw(_("Unknown step"), CertificationError)
	if go_to > step:
		validate_step_complete(doc, step)  # 下一步 (or a later step's tab): this step is done first
	server_set(doc, certification_step=go_to)
	doc.flags.ignore_permissions = True
	doc.flags.ignore_mandatory = True
	save_unless_changed_since(doc, modified)  # the document's own rules check each value (validate above)
	return as_form(doc)


def as_typed(values: dict) -> dict:
	"""Numbers typed in the form as numbers (a value that is not one stays as typed, for the document's
	rules to name)."""
	meta = frappe.get_meta("Enterprise")
	typed = dict(values)
	for fieldname, value in values.items():
		df = meta.get_field(fieldname)
		if df and df.fieldtype in ("Int", "Float", "Currency", "Percent") and value not in (None, ""):
			number, problem = parse_number(value, whole=df.fieldtype == "Int")
			if not problem:
				typed[fieldname] = number
		elif df and df.fieldtype in ("Int", "Float", "Currency", "Percent"):
			typed[fieldname] = None
	return typed


def submit(name: str, modified: str | None = None):
	"""Step 6: hand the application to the regulator (审核中); the document checks completeness."""
	doc = get_own_application(name)
	if doc.certification_status not in EDITABLE:
		frappe.throw(
			_("The application is {0} and cannot be changed").format(_(doc.certification_status)),
			CertificationError,
		)
	validate_complete(doc)  # before the step moves, so the form can point at the field
	action = "提交审核" if doc.certification_status == DRAFT else "重新提交"
	server_set(doc, certification_step=form.submitted_step())
	doc.flags.ignore_permissions = True
	save_unless_changed_since(doc, modified)
	apply_action(doc, action)  # Frappe's apply_workflow reloads the document and saves it again
	return as_form(frappe.get_doc("Enterprise", name))


def apply_action(doc, action: str) -> None:
	"""Move the Workflow as the applicant; Frappe checks the transition against the Workflow."""
	from frappe.model.workflow import apply_workflow

	doc.flags.ignore_permissions = True
	apply_workflow(doc, action)


def attach_licence(name: str, filename: str, content: bytes) -> str:
	"""The applicant's business licence: a private file under an unguessable name; the one before goes."""
	doc = get_own_application(name)
	if doc.certification_status not in EDITABLE:
		frappe.throw(_("The application cannot be changed now"), CertificationError)
	url = files.replace_attachment(doc, "business_licence", filename, content)
	doc.business_licence = url
	doc.flags.ignore_permissions = True
	doc.save()
	return url


def describe_fields(fieldnames, required=None, groups: dict | None = None) -> list[dict]:
	"""What the portal's enterprise forms render for each field (public/js/portal/enterprise_form.js):
	label, help, kind, options, its conditions and whether it is required (`required`: the fields
	required there; None: as the metadata says). `groups`: {fieldname: (heading, hint)} of the
	section each field opens."""
	meta = frappe.get_meta("Enterprise")
	fields = []
	for fieldname in fieldnames:
		df = meta.get_field(fieldname)
		listed = choices.options_for(fieldname)
		heading, hint = (groups or {}).get(fieldname, (None, None))
		fields.append(
			{
				"fieldname": fieldname,
				"label": _(df.label),
				"description": _(df.description) if df.description else None,
				"fieldtype": "Select" if listed is not None else df.fieldtype,
				"options": listed
				if listed is not None
				else [o for o in (df.options or "").split("\n") if o]
				if df.fieldtype == "Select"
				else None,
				"option_groups": choices.groups_for(fieldname),
				"required": bool(df.reqd) if required is None else fieldname in required,
				"required_if": depends.parsed_or_none(df.mandatory_depends_on),
				"depends_on": depends.parsed_or_none(df.depends_on),
				"read_only": bool(df.read_only),
				"group": _(heading) if heading else None,
				"group_note": _(hint) if hint else None,
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
		"business_types": choices.business_types(),
	}


def as_form(doc) -> dict:
	"""What the portal form shows: every step's values (unmasked: it is the applicant's own data)."""
	values = {fieldname: doc.get(fieldname) for fieldname in form.all_fields()}
	values["business_authorizations"] = [
		{"business_type": row.business_type, "details": row.details} for row in doc.business_authorizations
	]
	values.update(
		{
			"name": doc.name,
			"certification_status": doc.certification_status,
			# an application out of the applicant's hands is at 等待审核, however many steps there are now
			"certification_step": doc.certification_step
			if doc.certification_status in EDITABLE
			else form.submitted_step(),
			"review_comment": doc.review_comment
			if doc.certification_status in (RETURNED, REJECTED)
			else None,
			"business_licence": doc.business_licence,
			"modified": str(doc.modified),
		}
	)
	return values
