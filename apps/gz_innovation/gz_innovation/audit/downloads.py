"""Downloads and exports in the audit trail, recorded from one place that sees every path: the response
(hook `after_request`). Whatever produced a file (Frappe's PDF and multi-document PDF, the report and
list exports, Data Export, the 申报书 and the commitment of the portal, a private file, a report a
background export left as a private file), a successful download writes one record per document,
after the response is complete; a refused, failed or empty download writes none.

The same place makes the files inert and honest:
- a spreadsheet cell (xlsx or csv) that would start a formula (`=`, `+`, `-`, `@`) is written as text;
- a report's Excel file gets the report's Chinese name as file and sheet name (Frappe names the sheet
  "Query Report");
- a multi-document PDF of which the user may print none is refused instead of sent empty.

A download by GET runs in a read-only transaction (boundary/requests.py): its record is the server's
own write, made in a transaction of its own (`boundary.requests.server_write`).
"""

import csv
import io
import re

import frappe
from frappe import _

from gz_innovation.audit import trail
from gz_innovation.boundary import calls
from gz_innovation.boundary.requests import server_write

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def record_download(response=None, request=None) -> None:
	"""after_request: audit a successful download; never fails the response."""
	if (
		response is None
		or getattr(frappe.local, "request", None) is None
		or not getattr(frappe.local, "db", None)
	):
		return
	try:
		if response.status_code != 200 or frappe.session.user in (None, "Guest"):
			return
		call = calls.resolve()
		if not (call.kind == "file" or is_attachment(response)):
			return
		rows = describe(call, response)
		if not rows:
			return
		with server_write():
			for row in rows:
				trail.record(*row)
			frappe.db.commit()  # nosemgrep: after the request's own commit; the record must stay
	except Exception:
		frappe.log_error(title="Download not audited")


def is_attachment(response) -> bool:
	return "filename" in (response.headers.get("Content-Disposition") or "") or response.mimetype in (
		"application/pdf",
		XLSX,
		"text/csv",
	)


def describe(call: calls.Call, response) -> list[tuple]:
	"""The audit records of this download: (action, description, doctype, name[, changes])."""
	form = frappe.local.form_dict
	name = call.name or ""
	if call.kind == "file":
		return [file_download(call.name)]
	if name == "frappe.utils.print_format.download_multi_pdf":
		return multi_pdf(form, response)
	if response.mimetype == "application/pdf":
		return [pdf_download(name, form)]
	if is_xlsx(response) or is_csv(response) or name.endswith("export_query"):
		return [export(name, form, response)]
	if name == "frappe.core.doctype.data_export.exporter.export_data":
		return [export(name, form, response)]
	filename = filename_of(response)
	return [(trail.FILE, _("Downloaded {0}").format(filename or name), None, None)]


def pdf_download(name: str, form) -> tuple:
	if name == "gz_innovation.cultivation.application.download":
		doc = frappe.db.get_value(
			"Cultivation Submission",
			form.get("name"),
			["enterprise_name", "cultivation_type", "batch"],
			as_dict=True,
		)
		return (
			trail.PDF,
			_("Downloaded the application (申报书) of {0} ({1}, {2})").format(
				doc.enterprise_name, doc.cultivation_type, doc.batch
			)
			if doc
			else _("Downloaded the application (申报书) {0}").format(form.get("name")),
			"Cultivation Submission",
			form.get("name"),
		)
	if name == "gz_innovation.recognition.certificates.download":
		return (
			trail.PDF,
			_("Downloaded the certificate of recognition {0}").format(form.get("name")),
			"GZ Recognition",
			form.get("name"),
		)
	doctype, docname = form.get("doctype"), form.get("name")
	return (
		trail.PDF,
		_("Downloaded the PDF of {0} {1} ({2})").format(
			_(doctype or "-"), docname or "-", form.get("format") or _("Standard")
		),
		doctype if isinstance(doctype, str) else None,
		docname if isinstance(docname, str) else None,
	)


def multi_pdf(form, response) -> list[tuple]:
	"""One record per document the user may print; none (and a refusal) when that is none."""
	doctype = form.get("doctype")
	names = form.get("name")
	if isinstance(names, str) and names.startswith("["):
		names = frappe.parse_json(names)
	if isinstance(doctype, str) and isinstance(names, list):
		printable = [n for n in names if isinstance(n, str) and may_print(doctype, n)]
		if not printable or pdf_pages(response) == 0:
			refuse_empty(response)
			return []
		return [
			(
				trail.PDF,
				_("Downloaded the PDF of {0} {1} ({2})").format(
					_(doctype), n, form.get("format") or _("Standard")
				),
				doctype,
				n,
			)
			for n in printable
		]
	if pdf_pages(response) == 0:
		refuse_empty(response)
		return []
	return [
		(trail.PDF, _("Downloaded a PDF of several documents ({0})").format(str(doctype)[:140]), None, None)
	]


def may_print(doctype: str, name: str) -> bool:
	try:
		return frappe.db.exists(doctype, name) and frappe.has_permission(doctype, "print", doc=name)
	except Exception:
		return False


def pdf_pages(response) -> int | None:
	try:
		from pypdf import PdfReader

		return len(PdfReader(io.BytesIO(response.get_data())).pages)
	except Exception:
		return None


def refuse_empty(response) -> None:
	"""A PDF with nothing the user may print: a 403 that says so, not an empty file."""
	import json

	message = _("None of these documents may be printed by you")
	response.status_code = 403
	response.headers.pop("Content-Disposition", None)
	response.mimetype = "application/json"
	response.set_data(
		json.dumps(
			{
				"exc_type": "PermissionError",
				"_server_messages": json.dumps([json.dumps({"message": message})]),
			}
		)
	)


def export(name: str, form, response) -> tuple:
	rows = neutralize_spreadsheet(response)
	file_format = (
		form.get("file_format_type") or form.get("file_type") or ("Excel" if rows is not None else "CSV")
	)
	filters = form.get("filters")
	try:
		filters = frappe.parse_json(filters) if filters else None
	except Exception:
		pass
	if name == "frappe.desk.query_report.export_query":
		report = form.get("report_name")
		if is_xlsx(response) and report:
			rows = name_workbook(response, _(report))
		return (
			trail.EXPORT,
			_("Exported report {0} ({1}, {2} rows)").format(
				_(report), file_format, rows if rows is not None else "-"
			),
			"Report",
			report,
			{"filters": filters, "format": file_format, "rows": rows},
		)
	doctype = form.get("doctype")
	if is_xlsx(response) and isinstance(doctype, str):
		name_workbook(response, _(doctype))
	if name == "frappe.core.doctype.data_export.exporter.export_data":
		description = _("Exported data of {0} ({1})").format(_(doctype or "-"), file_format)
	else:
		description = _("Exported the list of {0} ({1})").format(_(doctype or "-"), file_format)
	return (
		trail.EXPORT,
		description,
		"DocType" if isinstance(doctype, str) else None,
		doctype if isinstance(doctype, str) else None,
		{"filters": filters, "format": file_format},
	)


def neutralize_spreadsheet(response) -> int | None:
	"""Cells of an xlsx or csv that would start a formula become text; returns an xlsx's data rows."""
	if is_xlsx(response):
		from openpyxl import load_workbook

		workbook = load_workbook(io.BytesIO(response.get_data()))
		for sheet in workbook.worksheets:
			for row in sheet.iter_rows():
				for cell in row:
					if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
						cell.data_type = "s"  # written as a string, never evaluated
		out = io.BytesIO()
		workbook.save(out)
		response.set_data(out.getvalue())
		return max(workbook.active.max_row - 1, 0)
	if is_csv(response):
		text = response.get_data(as_text=True)
		rows = list(csv.reader(io.StringIO(text)))
		out = io.StringIO()
		writer = csv.writer(out)
		for row in rows:
			writer.writerow(
				[("'" + v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in row]
			)
		response.set_data(out.getvalue())
	return None


def name_workbook(response, title: str) -> int:
	"""The sheet and the file of the workbook in the response named `title`; returns its data rows."""
	from openpyxl import load_workbook

	workbook = load_workbook(io.BytesIO(response.get_data()))
	sheet = workbook.active
	sheet.title = SHEET_NAME_FORBIDDEN.sub(" ", title)[:31]
	out = io.BytesIO()
	workbook.save(out)
	response.set_data(out.getvalue())
	from urllib.parse import quote

	# RFC 6266: an ASCII name for old clients, the Chinese one (UTF-8) for every browser.
	response.headers["Content-Disposition"] = (
		f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(title + '.xlsx')}"
	)
	return max(sheet.max_row - 1, 0)


def file_download(path: str) -> tuple:
	"""A private file (or a backup); named by its File record when it has one."""
	from urllib.parse import unquote

	url = unquote(path or "")
	row = frappe.db.get_value(
		"File",
		{"file_url": url},
		["name", "file_name", "attached_to_doctype", "attached_to_name"],
		as_dict=True,
	)
	if not row:
		return (trail.FILE, _("Downloaded the file {0}").format(url), None, None)
	if row.attached_to_doctype and row.attached_to_name:
		return (
			trail.FILE,
			_("Downloaded the file {0} of {1} {2}").format(
				row.file_name, _(row.attached_to_doctype), row.attached_to_name
			),
			row.attached_to_doctype,
			row.attached_to_name,
		)
	return (trail.FILE, _("Downloaded the file {0}").format(row.file_name), "File", row.name)


def is_xlsx(response) -> bool:
	return response.mimetype == XLSX or filename_of(response).lower().endswith(".xlsx")


def is_csv(response) -> bool:
	return response.mimetype == "text/csv" or filename_of(response).lower().endswith(".csv")


def filename_of(response) -> str:
	disposition = response.headers.get("Content-Disposition") or ""
	match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition)
	if not match:
		return ""
	from urllib.parse import unquote

	return unquote(match.group(1))
