"""Frappe's own export and PDF endpoints, each recorded in the audit trail after it succeeded
(hooks.py `override_whitelisted_methods` points them here; the work stays Frappe's).

A report's Excel file also gets the report's Chinese name as file and sheet name: Frappe names the
sheet "Query Report" and the file after the report's (English) name. Desk's PDF of a submission's
申报书 is made the way its own button makes it (cultivation/application.py): these wrappers sit on
top of the modules, while audit/trail.py below them imports none.
"""

import io
import re

import frappe
from frappe import _
from frappe.desk import query_report, reportview
from frappe.utils import print_format

from gz_innovation.audit import trail

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@frappe.whitelist()
def export_query_report():
	"""Export of a query or script report (frappe.desk.query_report.export_query)."""
	form = frappe.local.form_dict
	report_name = form.get("report_name")
	file_format = form.get("file_format_type")
	filters = form.get("filters")
	query_report.export_query()
	response = frappe.local.response
	if response.get("type") != "binary":
		return  # nothing to export: Frappe answered with a page
	rows = None
	if file_format == "Excel":
		rows = name_workbook(_(report_name))
	trail.record(
		trail.EXPORT,
		_("Exported report {0} ({1}, {2} rows)").format(
			_(report_name), file_format, rows if rows is not None else "-"
		),
		"Report",
		report_name,
		{"filters": frappe.parse_json(filters) if filters else None, "format": file_format, "rows": rows},
	)


def name_workbook(title: str) -> int:
	"""Rename the sheet and the file of the workbook in the response; returns its data rows."""
	from openpyxl import load_workbook

	response = frappe.local.response
	workbook = load_workbook(io.BytesIO(response.filecontent))
	sheet = workbook.active
	sheet.title = SHEET_NAME_FORBIDDEN.sub(" ", title)[:31]
	out = io.BytesIO()
	workbook.save(out)
	response.filecontent = out.getvalue()
	response.filename = f"{title}.xlsx"
	return max(sheet.max_row - 1, 0)


@frappe.whitelist()
def export_report_view():
	"""Export of a list or report view (frappe.desk.reportview.export_query)."""
	form = frappe.local.form_dict
	doctype, file_format, filters = form.get("doctype"), form.get("file_format_type"), form.get("filters")
	reportview.export_query()
	if frappe.local.response.get("type") != "binary":
		return
	if file_format == "Excel":
		name_workbook(_(doctype))
	trail.record(
		trail.EXPORT,
		_("Exported the list of {0} ({1})").format(_(doctype), file_format),
		"DocType",
		doctype,
		{"filters": frappe.parse_json(filters) if filters else None, "format": file_format},
	)


@frappe.whitelist()
def export_data(**kwargs):
	"""Desk → Data Export (frappe.core.doctype.data_export.exporter.export_data)."""
	from frappe.core.doctype.data_export import exporter

	kwargs.pop("cmd", None)
	result = exporter.export_data(**kwargs)
	doctype = kwargs.get("doctype")
	trail.record(
		trail.EXPORT,
		_("Exported data of {0} ({1})").format(_(doctype or "-"), kwargs.get("file_type") or "CSV"),
		"DocType" if doctype else None,
		doctype,
		{"filters": frappe.parse_json(kwargs.get("filters")) if kwargs.get("filters") else None},
	)
	return result


@frappe.whitelist(allow_guest=True)
def download_pdf(
	doctype: str, name: str, format=None, doc=None, no_letterhead=0, language=None, letterhead=None
):
	"""Frappe's PDF of a document (Desk → Print → PDF). Guests pass only with Frappe's own check.
	A submission's 申报书 is made self-contained (cultivation/application.py), as from its own button."""
	from gz_innovation.cultivation import application

	if doctype == application.DOCTYPE and (format or application.PRINT_FORMAT) == application.PRINT_FORMAT:
		from frappe.www.printview import validate_print_permission

		validate_print_permission(frappe.get_doc(doctype, name))
		frappe.local.response.filename = f"{name}.pdf"
		frappe.local.response.filecontent = application.pdf(name)
		frappe.local.response.type = "pdf"
	else:
		print_format.download_pdf(doctype, name, format, doc, no_letterhead, language, letterhead)
	record_pdf(doctype, name, format)


@frappe.whitelist()
def download_multi_pdf(doctype, name, format=None, no_letterhead=False, letterhead=None, options=None):
	print_format.download_multi_pdf(doctype, name, format, no_letterhead, letterhead, options)
	names = frappe.parse_json(name) if isinstance(name, str) and name.startswith("[") else name
	if isinstance(doctype, str) and isinstance(names, list):
		for one in names:
			record_pdf(doctype, one, format)
	else:
		record_pdf(str(doctype)[:140], str(names)[:140], format)


def record_pdf(doctype: str, name: str, format=None) -> None:
	trail.record(
		trail.PDF,
		_("Downloaded the PDF of {0} {1} ({2})").format(_(doctype), name, format or _("Standard")),
		doctype,
		name,
	)
