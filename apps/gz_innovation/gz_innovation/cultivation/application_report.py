"""申请报告 and 证明材料 of an application, as its programme asks them (Cultivation Type: Report Sections,
Evidence Required for Each Figure; records an administrator keeps in Desk).

- The report's sections are the programme's, in its order: the enterprise writes their content;
  titles and guidance come from the programme, never from a client.
- Evidence is attached per figure: PDF up to 20 MB; JPG, PNG, Word or Excel up to 10 MB, checked by
  extension and by the file's own first bytes; kept as a private file of the application, read by
  whoever may read the application.
- Both change only while the application is in the enterprise's hands, by its admin, on every
  path; submitting checks the required sections (and their length) and, where the programme says
  so, evidence for every declared figure. The rules are the document's (submission.validate)."""

import frappe
from frappe import _
from frappe.utils import cint, flt

from gz_innovation.cultivation import fields, states
from gz_innovation.portal import attachments
from gz_innovation.utils import throw_for_field

EVIDENCE_TYPES = ("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx")
PDF_MAX_BYTES = 20 * 1024 * 1024
OTHER_MAX_BYTES = 10 * 1024 * 1024
MAX_SECTION_CHARACTERS = 20000
MAX_FILES_PER_FIGURE = 10


class ReportError(frappe.ValidationError):
	http_status_code = 417


def programme_sections(cultivation_type: str | None) -> list:
	if not cultivation_type:
		return []
	return frappe.get_cached_doc("Cultivation Type", cultivation_type).get("report_sections") or []


def evidence_required(cultivation_type: str | None) -> bool:
	return bool(
		cultivation_type
		and frappe.get_cached_value("Cultivation Type", cultivation_type, "evidence_required")
	)


def fill_sections(doc) -> None:
	"""The programme's sections, in its order, keeping what the enterprise wrote under each title."""
	written = {row.section_title: row.content for row in doc.get("report") or []}
	doc.set(
		"report",
		[
			{
				"section_title": s.section_title,
				"guidance": s.guidance,
				"content": written.get(s.section_title),
			}
			for s in programme_sections(doc.cultivation_type)
		],
	)


def apply(doc, sent: dict) -> None:
	"""The portal's report: {section title: content}."""
	titles = {row.section_title: row for row in doc.get("report") or []}
	for title, content in (sent or {}).items():
		if title not in titles:
			frappe.throw(_("{0} is not a section of this application's report").format(title), ReportError)
		titles[title].content = (content or "").strip() or None


def contents(doc) -> list[tuple]:
	return [(row.section_title, (row.content or "").strip()) for row in doc.get("report") or []]


def files(doc) -> list[tuple]:
	return [(row.fieldname, row.file) for row in doc.get("evidence") or []]


def validate(doc, before) -> None:
	"""Cultivation Submission.validate (every path)."""
	in_hands = states.in_enterprise_hands(before.status if before else states.DRAFT)
	if before is not None and (contents(doc) != contents(before) or files(doc) != files(before)):
		if not in_hands:
			frappe.throw(
				_(
					"The application report and its evidence change only while the application is with the enterprise"
				),
				ReportError,
			)
		from gz_innovation.cultivation.submission import require_enterprise_admin

		require_enterprise_admin(doc.enterprise)
	if in_hands:
		expected = [(s.section_title, s.guidance) for s in programme_sections(doc.cultivation_type)]
		if [(r.section_title, r.guidance) for r in doc.get("report") or []] != expected:
			fill_sections(doc)  # the programme's titles and guidance, whatever a client sent
	for row in doc.get("report") or []:
		if len(row.content or "") > MAX_SECTION_CHARACTERS:
			throw_for_field(
				"report",
				_("{0}: at most {1} characters").format(row.section_title, MAX_SECTION_CHARACTERS),
				ReportError,
			)
	known = {row.file for row in (before.get("evidence") if before else None) or []}
	for row in doc.get("evidence") or []:
		if row.file not in known:
			check_evidence(doc, row)


def check_evidence(doc, row) -> None:
	"""A new evidence row: a figure of the form, a private file of this application, of a kind and size
	allowed."""
	from gz_innovation.cultivation import submission

	meta = frappe.get_meta("Cultivation Submission")
	require_figure(doc, row.fieldname)
	row.figure_label = fields.label_and_unit(meta.get_field(row.fieldname))[0]
	name = frappe.db.get_value(
		"File", {"file_url": row.file, "attached_to_doctype": doc.doctype, "attached_to_name": doc.name}
	)
	if not name:
		frappe.throw(
			_("{0}: upload the evidence file to this application").format(row.figure_label), ReportError
		)
	file = frappe.get_doc("File", name)
	if not file.is_private:
		frappe.throw(_("{0}: evidence is kept as a private file").format(row.figure_label), ReportError)
	content = file.get_content()
	if isinstance(content, str):
		content = content.encode()
	problem = file_problem(file.file_name, content)
	if problem:
		frappe.throw(_("{0}: {1}").format(row.figure_label, problem), ReportError)
	row.file_name, row.file_size = row.file_name or file.file_name, len(content)


def require_figure(doc, fieldname: str) -> None:
	from gz_innovation.cultivation import submission

	df = frappe.get_meta("Cultivation Submission").get_field(fieldname)
	if fieldname not in submission.declared_fields(doc.cultivation_type) or not submission.is_figure(df):
		frappe.throw(_("{0} is not a figure of this application's form").format(fieldname), ReportError)


def file_problem(file_name: str | None, content: bytes) -> str | None:
	extension = attachments.extension_of(file_name)
	if extension not in EVIDENCE_TYPES:
		return _("the file type .{0} is not allowed; use {1}").format(
			extension or "?", "、".join(e.upper() for e in EVIDENCE_TYPES)
		)
	limit = PDF_MAX_BYTES if extension == "pdf" else OTHER_MAX_BYTES
	if len(content) > limit:
		return _("the file is larger than {0} MB").format(limit // 1024 // 1024)
	if not content:
		return _("the file is empty")
	return attachments.content_problem(extension, content)


def declared(doc, fieldname: str) -> bool:
	df = doc.meta.get_field(fieldname)
	value = doc.get(fieldname)
	if fields.is_yes_no(df):
		return value == "是"
	if df.fieldtype == "Check":
		return bool(cint(value))
	return flt(value) > 0


def check_complete(doc) -> None:
	"""提交申请: the required sections written (at their length); evidence for every declared figure
	where the programme asks it."""
	for section, row in zip(programme_sections(doc.cultivation_type), doc.get("report") or [], strict=False):
		text = (row.content or "").strip()
		if section.required and not text:
			throw_for_field(
				"report", _("Application Report, {0}: required").format(section.section_title), ReportError
			)
		if text and len(text) < cint(section.min_characters):
			throw_for_field(
				"report",
				_("Application Report, {0}: write at least {1} characters ({2} now)").format(
					section.section_title, cint(section.min_characters), len(text)
				),
				ReportError,
			)
	if not evidence_required(doc.cultivation_type):
		return
	from gz_innovation.cultivation import submission

	meta = frappe.get_meta("Cultivation Submission")
	evidenced = {row.fieldname for row in doc.get("evidence") or []}
	for fieldname in submission.indicator_fields(doc.cultivation_type):
		if not submission.is_figure(meta.get_field(fieldname)) or fieldname in evidenced:
			continue
		if declared(doc, fieldname):
			throw_for_field(
				fieldname,
				_("{0}: attach the evidence of this figure").format(
					fields.label_and_unit(meta.get_field(fieldname))[0]
				),
				ReportError,
			)


# --- the portal: upload and remove evidence --------------------------------------------------------


def attach(doc, fieldname: str, file_name: str, content: bytes):
	"""Attach an evidence file to a figure (the document's rules check it when saved)."""
	# Checked before the file is stored: a refused upload leaves nothing behind.
	if not states.in_enterprise_hands(doc.status):
		frappe.throw(
			_(
				"The application report and its evidence change only while the application is with the enterprise"
			),
			ReportError,
		)
	require_figure(doc, fieldname)
	if len([r for r in doc.get("evidence") or [] if r.fieldname == fieldname]) >= MAX_FILES_PER_FIGURE:
		frappe.throw(_("At most {0} files per figure").format(MAX_FILES_PER_FIGURE), ReportError)
	problem = file_problem(file_name, content)
	if problem:
		throw_for_field(fieldname, problem, ReportError)
	saved = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": doc.doctype,
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": content,
		}
	)
	saved.flags.ignore_permissions = True  # the enterprise's admin, through this form (checked above)
	saved.insert()
	doc.append("evidence", {"fieldname": fieldname, "file": saved.file_url, "file_name": file_name[:140]})
	doc.flags.ignore_permissions = True  # the document's own rules decide
	doc.save()
	return doc


def remove(doc, row_name: str):
	row = next((r for r in doc.get("evidence") or [] if r.name == row_name), None)
	if row is None:
		frappe.throw(_("This evidence file is not part of the application"), ReportError)
	doc.remove(row)
	doc.flags.ignore_permissions = True
	doc.save()
	for name in frappe.get_all(
		"File",
		filters={"file_url": row.file, "attached_to_doctype": doc.doctype, "attached_to_name": doc.name},
		pluck="name",
	):
		frappe.delete_doc("File", name, ignore_permissions=True)
	return doc


def portal_view(doc) -> dict:
	"""What the form and 申报详情 show: the sections with their rules, evidence per figure."""
	from gz_innovation.cultivation import submission

	meta = frappe.get_meta("Cultivation Submission")
	rules = {s.section_title: s for s in programme_sections(doc.cultivation_type)}
	evidence: dict[str, list] = {}
	for row in doc.get("evidence") or []:
		evidence.setdefault(row.fieldname, []).append(
			{"name": row.name, "file_name": row.file_name, "file_size": row.file_size, "url": row.file}
		)
	return {
		"report": [
			{
				"section_title": row.section_title,
				"guidance": row.guidance or "",
				"content": row.content or "",
				"required": bool(rules.get(row.section_title) and rules[row.section_title].required),
				"min_characters": cint(rules[row.section_title].min_characters)
				if row.section_title in rules
				else 0,
			}
			for row in doc.get("report") or []
		],
		"evidence": evidence,
		"evidence_required": evidence_required(doc.cultivation_type),
		"evidence_fields": [
			f
			for f in submission.indicator_fields(doc.cultivation_type)
			if submission.is_figure(meta.get_field(f))
		],
		"evidence_types": list(EVIDENCE_TYPES),
	}
