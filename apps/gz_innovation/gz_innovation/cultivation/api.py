"""Portal endpoints of 创新平台管理中心. The submission module checks that the caller is the
enterprise admin (manual §1.7) and that the submission is theirs."""

import json

import frappe
from frappe.utils import get_datetime, now_datetime

from gz_innovation.cultivation import application_report as report
from gz_innovation.cultivation import batches as batches_module
from gz_innovation.cultivation import categories, eligibility, fields, progress, review, submission
from gz_innovation.enterprise import choices
from gz_innovation.enterprise.membership import enterprise_of, is_admin_of
from gz_innovation.portal import depends
from gz_innovation.utils import beijing_iso

CLOSED_BATCHES_SHOWN = 3  # older closed batches live on in the records (申报记录)


def _values(values) -> dict:
	return json.loads(values or "{}") if isinstance(values, str) else (values or {})


@frappe.whitelist(methods=["GET", "POST"])
def get_center() -> dict:
	"""Open batches and their types, and the enterprise's records (申报记录) that the user may read:
	the admin and staff with the viewer role (the same rule as 申报详情, enterprise/permissions.py)."""
	enterprise = enterprise_of(frappe.session.user)
	batches = listed_batches(now_datetime())
	records = []
	if enterprise and frappe.has_permission("Cultivation Submission", "read"):
		records = frappe.get_list(
			"Cultivation Submission",
			filters={"enterprise": enterprise},
			fields=[
				"name",
				"cultivation_type",
				"batch",
				"status",
				"overall_result",
				"recognition_status",
				"modified",
				"stage_entered_at",
				"creation",
			],
			order_by="modified desc",
		)
		now = now_datetime()
		for record in records:
			record.progress = progress.next_step(record, now)
			record.read_only = read_only_for_enterprise(record.status, record.progress)
	is_admin = bool(enterprise) and is_admin_of(enterprise)
	eligibility.mark_closed(enterprise, batches)
	extras = {}
	for method in frappe.get_hooks("gz_center_extras"):  # recognition's certificates (hooks.py)
		extras.update(frappe.get_attr(method)(enterprise))
	return {"batches": batches, "records": records, "is_admin": is_admin, "enterprise": enterprise, **extras}


def listed_batches(now) -> list[dict]:
	"""The batches the center lists: open ones first, then upcoming ones, then the latest closed
	few; each with its types and its state (open / upcoming / closed) in Beijing time."""
	every = [frappe._dict(batch) for batch in batches_module.all_batches()]
	current = sorted((b for b in every if b.closes_at >= now), key=lambda b: b.opens_at)
	closed = sorted((b for b in every if b.closes_at < now), key=lambda b: b.closes_at, reverse=True)
	listed = sorted(current, key=lambda b: b.opens_at > now) + closed[:CLOSED_BATCHES_SHOWN]
	for batch in listed:  # open, upcoming, closed
		batch.state = "upcoming" if batch.opens_at > now else "closed" if batch.closes_at < now else "open"
		batch.closes_at_iso = beijing_iso(batch.closes_at)
		batch.opens_at, batch.closes_at = str(batch.opens_at)[:16], str(batch.closes_at)[:16]
	return listed


@frappe.whitelist(methods=["POST"])
def open_submission(cultivation_type: str, batch: str) -> dict:
	return as_form(submission.open_draft(cultivation_type, batch))


@frappe.whitelist(methods=["POST"])
def save_submission(name: str, values: str | dict | None = None, modified: str | None = None) -> dict:
	"""暂时保存 and the autosave; `modified`: the version the form holds (refused when out of date)."""
	return as_form(submission.save_draft(name, _values(values), modified))


@frappe.whitelist(methods=["POST"])
def precheck(cultivation_type: str, batch: str, values: str | dict | None = None) -> dict:
	return submission.precheck(cultivation_type, batch, _values(values))


@frappe.whitelist(methods=["POST"])
def submit_submission(name: str, values: str | dict | None = None, modified: str | None = None) -> dict:
	return as_form(submission.submit_with_retry(name, _values(values), modified=modified))


@frappe.whitelist(methods=["POST"])
def upload_evidence(name: str, fieldname: str) -> dict:
	"""证明材料: one file for one figure of the enterprise's draft (multipart form, field "file")."""
	doc = frappe.get_doc("Cultivation Submission", name)
	submission.require_enterprise_admin(doc.enterprise)  # another's draft: refused before reading the file
	upload = frappe.request.files.get("file") if frappe.request else None
	if not upload:
		frappe.throw(frappe._("Please choose a file"), report.ReportError)
	content = upload.stream.read(report.PDF_MAX_BYTES + 1)
	return as_form(report.attach(doc, fieldname, upload.filename or "", content))


@frappe.whitelist(methods=["POST"])
def remove_evidence(name: str, row: str) -> dict:
	doc = frappe.get_doc("Cultivation Submission", name)
	submission.require_enterprise_admin(doc.enterprise)
	return as_form(report.remove(doc, row))


@frappe.whitelist(methods=["GET", "POST"])
def get_submission(name: str) -> dict:
	"""申报详情: values, 指标评定, 审核流程. Members of the enterprise may read it."""
	doc = submission.readable_submission(name)
	form = as_form(doc)
	for method in frappe.get_hooks("gz_detail_extras"):  # recognition's review results (hooks.py)
		form.update(frappe.get_attr(method)(doc))
	return form


def as_form(doc) -> dict:
	meta = frappe.get_meta("Cultivation Submission")
	editable = doc.status in submission.EDITABLE
	form = submission.form_of(doc)  # a submitted application: the form it was submitted with
	return {
		"name": doc.name,
		"cultivation_type": doc.cultivation_type,
		"batch": doc.batch,
		"status": doc.status,
		"overall_result": doc.overall_result,
		"recognition_status": doc.recognition_status,
		"review_comment": doc.review_comment if doc.status == review.RETURNED else None,
		"commitment": doc.commitment,
		"basic": [
			describe(meta, doc, "uscc", read_only=True),
			*(
				describe(meta, doc, f, required=f in submission.REQUIRED_BASIC)
				for f in submission.BASIC_FIELDS
			),
		],
		"category": category_of(meta, doc, editable),
		"indicators": [
			{**describe(meta, doc, f, required=bool(meta.get_field(f).reqd)), "group": group}
			for f, group in form
		],
		"form_changed": editable and programme_changed_since(doc),
		"evaluation": [
			{
				"seq": r.seq,
				"label": r.label,
				"value_display": r.value_display,
				"result": r.result,
				"explanation": r.explanation,
			}
			for r in doc.evaluation
		],
		"history": review.history(doc.name),
		"editable": editable,
		**report.portal_view(doc),
		**portal_extras(doc),
	}


def programme_changed_since(doc) -> bool:
	"""A draft whose programme (its form or commitment) was changed after the draft was last saved: the
	form says so, as it now shows the programme's new form."""
	programme = submission.programme(doc.cultivation_type)
	changed = programme.modified if programme else None
	return bool(changed and doc.modified and get_datetime(changed) > get_datetime(doc.modified))


def describe(meta, doc, fieldname: str, required: bool = False, read_only: bool = False) -> dict:
	"""One field as the portal's form renders it: label and unit apart, its kind, options, value (a
	number the enterprise left empty stays empty, not the 0 MariaDB stores)."""
	df = meta.get_field(fieldname)
	label, unit = fields.label_and_unit(df)
	value = doc.get(fieldname)
	if df.fieldtype in fields.NUMERIC_TYPES and fieldname not in submission.entered_figures(doc):
		value = None
	listed = choices.options_for(fieldname)  # chosen from a list kept in Desk (所属行业)
	if listed is None:
		fieldtype, kind = df.fieldtype, fields.kind_of(df)
		listed = fields.options_of(df) if df.fieldtype == "Select" else []
	else:
		fieldtype, kind = "Select", "select"
	return {
		"fieldname": fieldname,
		"label": label,
		"description": frappe._(df.description) if df.description else None,  # its help (Customize Form)
		"unit": unit,
		"fieldtype": fieldtype,
		"kind": kind,
		"options": listed,
		"option_groups": choices.groups_for(fieldname),
		"value": str(value)[:10] if df.fieldtype == "Date" and value else value,
		"required": required,
		"required_if": depends.parsed_or_none(df.mandatory_depends_on),
		"depends_on": depends.parsed_or_none(df.depends_on),
		"read_only": read_only,
	}


def category_of(meta, doc, editable: bool) -> dict:
	"""The indicator category and the choices; a draft whose category is no longer offered is asked
	to choose again (the form shows it empty with a notice), a submitted one keeps it as it is."""
	chosen = doc.get(submission.CATEGORY_FIELD)
	offered = categories.offered()
	withdrawn = bool(chosen) and chosen not in {c.name for c in offered}
	return {
		"fieldname": submission.CATEGORY_FIELD,
		"label": frappe._(meta.get_label(submission.CATEGORY_FIELD)),
		"value": None if withdrawn and editable else chosen,
		"options": offered,
		"withdrawn": chosen if withdrawn and editable else None,
	}


def portal_extras(doc) -> dict:
	"""The version the form holds (sent back with every save), who acts next, and for a returned
	submission the reason with the fields it names (pinned on top of the form)."""
	step = progress.next_step(doc)
	returned = None
	if doc.status == review.RETURNED:
		returned = {
			"reason": (doc.review_comment or "").strip(),
			"fields": progress.concerned_fields(doc, submission.declared_fields(doc.cultivation_type)),
		}
	return {
		"modified": str(doc.modified),
		"progress": step,
		"returned": returned,
		"read_only": read_only_for_enterprise(doc.status, step),
	}


def read_only_for_enterprise(status: str, step: dict) -> bool:
	"""The enterprise can no longer change it: submitted (or further), or its batch has closed."""
	return status not in submission.EDITABLE or step["closed"]
