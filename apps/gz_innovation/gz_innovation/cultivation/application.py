"""申报书: the printable application of a submission (Print Format "申报书", through Frappe's own print
pipeline), its verification code and the public check of a code at /verify/<code>.

The verification code is a keyed hash (HMAC-SHA256 with the site's encryption key) of the submitted
content: the submission's identity, basic information, declared values and submission time. It is
set when the submission enters 已提交 and removed while it is open for changes (草稿, 退回修改), so a
returned or changed copy no longer verifies. The check recomputes the hash, so a record altered
behind the application's back no longer verifies either.
"""

import base64
import hashlib
import hmac
import io
import json
import logging
import re

import frappe
from frappe import _
from frappe.utils import cint, flt, get_url

from gz_innovation.cultivation import categories, fields, review, submission
from gz_innovation.utils import server_set

DOCTYPE = "Cultivation Submission"
PRINT_FORMAT = "申报书"  # a record name, shown as it is in Desk's print view (like the workflow states)
CODE_LENGTH = 24  # hex characters: 96 bits
CODE_PATTERN = re.compile(r"^[0-9A-F]{" + str(CODE_LENGTH) + "}$")
VERIFY_PATH = "/verify/"
IDENTITY_FIELDS = ("name", "enterprise", "cultivation_type", "batch", "city", "county", "uscc")


def submitted_content(doc) -> dict:
	"""What the code vouches for. Empty and neutral values are left out, so a field added to the form
	later does not change the code of earlier applications: 0 or 否 of a yes/no field (a 是 counts
	as the 1 of the checkbox it replaced), and 其他, the category of applications made before
	categories existed."""
	values = {}
	for fieldname in (
		*submission.BASIC_FIELDS,
		submission.CATEGORY_FIELD,
		*submission.indicator_fields(),
		"commitment",
	):
		value = doc.get(fieldname)
		df = doc.meta.get_field(fieldname)
		if fields.is_yes_no(df):
			value = fields.yes_no_number(value)
		if value in (None, "", 0, 0.0) or (
			fieldname == submission.CATEGORY_FIELD and value == categories.OTHER
		):
			continue
		values[fieldname] = (
			format(flt(value), ".4f") if isinstance(value, int | float) else str(value).strip()
		)
	content = {
		**{field: doc.get(field) or "" for field in IDENTITY_FIELDS},
		"submitted_at": str(doc.submitted_at or "")[:19],
		"values": values,
	}
	# The application report and its evidence, where the programme asks them (an application without
	# them keeps the code it had).
	report = [
		[row.section_title, (row.content or "").strip()] for row in doc.get("report") or [] if row.content
	]
	if report:
		content["report"] = report
	evidence = [[row.fieldname, row.file, row.file_size or 0] for row in doc.get("evidence") or []]
	if evidence:
		content["evidence"] = evidence
	return content


def code_of(doc) -> str:
	return keyed_code(submitted_content(doc))


def keyed_code(content: dict) -> str:
	"""The verification code of `content`: HMAC-SHA256 with the site's encryption key, 24 hex
	characters (the 申报书's and the 认定证书's)."""
	from frappe.utils.password import get_encryption_key

	payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
	digest = hmac.new(get_encryption_key().encode(), payload.encode(), hashlib.sha256).hexdigest()
	return digest[:CODE_LENGTH].upper()


def holder_of(doctype: str, code: str):
	"""The record of `doctype` that stores this well-formed code, or None (the caller recomputes it)."""
	code = (code or "").strip().upper()
	if not CODE_PATTERN.match(code):
		return None
	name = frappe.db.get_value(doctype, {"verification_code": code}, "name")
	return frappe.get_doc(doctype, name) if name else None


def is_draft(doc) -> bool:
	return doc.status in submission.EDITABLE


def refresh_code(doc) -> None:
	"""Called before every save (cultivation/stages.py): a new code on each submission."""
	if is_draft(doc):
		server_set(doc, verification_code=None)
	elif doc.status == "已提交" and (doc.has_value_changed("status") or not doc.verification_code):
		server_set(doc, verification_code=code_of(doc))


def verify(code: str) -> dict | None:
	"""The public facts of the application with this code, or None: unknown, altered or reopened."""
	doc = holder_of(DOCTYPE, code)
	if doc is None or is_draft(doc) or not hmac.compare_digest(code_of(doc), doc.verification_code):
		return None
	return {
		"enterprise_name": doc.enterprise_name,
		"cultivation_type": doc.cultivation_type,
		"batch": doc.batch,
		"submitted_at": str(doc.submitted_at)[:19],
		"overall_result": doc.overall_result,
	}


def verify_url(code: str) -> str:
	return get_url(VERIFY_PATH + code)


# --- the PDF ---------------------------------------------------------------------------------------


def pdf(name: str, doctype: str = DOCTYPE, print_format: str = PRINT_FORMAT) -> bytes:
	"""The 申报书 (or another record with its print format, such as the 认定证书) as PDF: Frappe's print
	view rendered with the print format, then Frappe's wkhtmltopdf pipeline. The print view links Desk's print stylesheet and shows its Print / Get PDF banner; the
	申报书 brings its own styles (with Frappe's inline print style), so both go. Like every PDF of the
	site, the page fetches nothing over the network (overrides/pdf.py)."""
	import cssutils
	from bs4 import BeautifulSoup
	from frappe.utils.pdf import get_pdf

	# Frappe reads the page margins with cssutils, which logs every modern CSS property it does not
	# know (var(), custom properties) as an error: noise in the worker's log, not a problem.
	cssutils.log.setLevel(logging.CRITICAL)

	soup = BeautifulSoup(frappe.get_print(doctype, name, print_format), "html.parser")
	for element in soup.select('link[rel="stylesheet"], .print-hide, .action-banner'):
		element.decompose()
	return get_pdf(str(soup))


@frappe.whitelist(methods=["GET"])
def download(name: str) -> None:
	"""申报书 as PDF, for whoever may read the submission: the enterprise (申报详情) and reviewers in
	their scope (Desk). Recorded in the audit trail once sent (audit/downloads.py)."""
	doc = frappe.get_doc(DOCTYPE, name)
	frappe.has_permission(DOCTYPE, "read", doc, throw=True)
	content = pdf(name)
	frappe.local.response.filename = _("Application {0} {1}.pdf").format(
		doc.enterprise_name or doc.enterprise, doc.cultivation_type
	)
	frappe.local.response.filecontent = content
	frappe.local.response.type = "pdf"


def print_context(doc) -> dict:
	"""What the print format shows besides the document's own fields (a Jinja method, hooks.py)."""
	meta = frappe.get_meta(DOCTYPE)
	indicators = []
	for fieldname, _group in submission.form_of(doc):  # the form it was submitted with (a draft: today's)
		df = meta.get_field(fieldname)
		label, unit = fields.label_and_unit(df)
		value = doc.get(fieldname)
		if df.fieldtype == "Check":
			shown, unit = (_("Yes") if cint(value) else _("No")), ""
		elif fields.is_yes_no(df) or df.fieldtype not in submission.NUMERIC_TYPES:
			shown, unit = (value or ""), ""
		else:
			shown = "" if value in (None, "") else plain_number(value)
		indicators.append({"label": label, "value": shown, "unit": unit})
	basic = []
	for fieldname in (*submission.BASIC_FIELDS, submission.CATEGORY_FIELD):
		df = meta.get_field(fieldname)
		label, unit = fields.label_and_unit(df)
		value = doc.get(fieldname)
		if df.fieldtype in submission.NUMERIC_TYPES and value not in (None, ""):
			shown = plain_number(value)
		else:
			shown = "" if value in (None, "") else str(value)[:10] if df.fieldtype == "Date" else value
		basic.append({"fieldname": fieldname, "label": label, "value": shown, "unit": unit if shown else ""})
	draft = is_draft(doc)
	# 审核流程 and the verification code come from the stored record, read only by its readers: a print
	# of a document posted by the client (Frappe's printview accepts one) shows neither.
	stored = (
		bool(doc.name)
		and bool(frappe.db.exists(DOCTYPE, doc.name))
		and frappe.has_permission(DOCTYPE, "read", doc=doc.name)
	)
	code = None if draft or not stored else frappe.db.get_value(DOCTYPE, doc.name, "verification_code")
	return {
		"draft": draft,
		"basic": basic,
		"indicators": indicators,
		"history": review.history(doc.name) if stored else [],
		"report": [row for row in doc.get("report") or [] if (row.content or "").strip()],
		"evidence": doc.get("evidence") or [],
		"code": code,
		"code_display": " ".join(code[i : i + 4] for i in range(0, len(code), 4)) if code else "",
		"verify_url": verify_url(code) if code else "",
		"qr": qr_data_uri(verify_url(code)) if code else "",
	}


def plain_number(value) -> str:
	number = flt(value, 4)
	return str(int(number)) if number == int(number) else f"{number:.4f}".rstrip("0").rstrip(".")


def qr_data_uri(text: str, box: int = 4, border: int = 4) -> str:
	"""A QR code as a PNG data URI (pyqrcode's matrix drawn with Pillow, both already in Frappe)."""
	import pyqrcode
	from PIL import Image

	matrix = pyqrcode.create(text, error="M").code
	size = (len(matrix) + 2 * border) * box
	image = Image.new("1", (size, size), 1)
	pixels = image.load()
	for y, row in enumerate(matrix):
		for x, dark in enumerate(row):
			if dark:
				for dy in range(box):
					for dx in range(box):
						pixels[(x + border) * box + dx, (y + border) * box + dy] = 0
	buffer = io.BytesIO()
	image.save(buffer, format="PNG")
	return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
