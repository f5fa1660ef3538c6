"""《真实性承诺说明》 (manual §3.1.1: "同意以下《真实性承诺说明》(Word文档)"): a Word document built with
python-docx and filled with the enterprise's name and 统一社会信用代码, downloadable from the 限定性指标
form; the same text on /authenticity-commitment for reading in the browser. Administrators replace the
text in Desk (GZ Commitment Settings); set-up writes the default text once."""

import io
import re

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import nowdate

from gz_innovation.cultivation import submission

SETTINGS = "GZ Commitment Settings"
PLACEHOLDERS = ("enterprise_name", "uscc", "date")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
BLANK = "＿＿＿＿＿＿＿＿＿＿＿＿"  # where a name or code goes when nobody is known
FONT = "宋体"
TEMPLATE_URL = "/api/method/gz_innovation.cultivation.commitment.template"
DEFAULT_TITLE = "真实性承诺说明"
DEFAULT_BODY = "\n".join(
	(
		"本单位{enterprise_name}（统一社会信用代码：{uscc}）郑重承诺：在“贵州工业和信息化领域科技创新服务平台”"
		"填报的省级技术创新平台培育申报材料及限定性指标数据均真实、准确、完整，不存在虚报、瞒报、伪造等情况。",
		"如有不实，本单位愿意承担由此产生的一切后果及相应法律责任，并接受主管部门依规作出的处理。",
	)
)
DEFAULT_SIGNATURE = "\n".join(
	(
		"承诺单位（盖章）：{enterprise_name}",
		"法定代表人（签字）：",
		"日期：    年    月    日",
	)
)


class CommitmentError(frappe.ValidationError):
	http_status_code = 417


def ensure_defaults() -> None:
	"""The default text, written while the settings are empty (an administrator's text is kept)."""
	settings = frappe.get_single(SETTINGS)
	if settings.title and settings.body:
		return
	settings.title = settings.title or DEFAULT_TITLE
	settings.body = settings.body or DEFAULT_BODY
	settings.signature = settings.signature or DEFAULT_SIGNATURE
	settings.save(ignore_permissions=True)


def validate_settings(doc) -> None:
	"""Only the known placeholders, so the document never shows a stray {…} to an enterprise."""
	check_placeholders(doc, ("title", "body", "signature"))


def check_placeholders(doc, fieldnames) -> None:
	for fieldname in fieldnames:
		unknown = [p for p in PLACEHOLDER.findall(doc.get(fieldname) or "") if p not in PLACEHOLDERS]
		if unknown:
			frappe.throw(
				_("{0}: {1} is not a placeholder; use {2}").format(
					_(doc.meta.get_label(fieldname)),
					"、".join("{" + p + "}" for p in unknown),
					"、".join("{" + p + "}" for p in PLACEHOLDERS),
				),
				CommitmentError,
			)


def text(
	enterprise_name: str | None = None, uscc: str | None = None, cultivation_type: str | None = None
) -> dict:
	"""The title, paragraphs and signature lines with the placeholders filled in; a programme's own
	text (Cultivation Type) where it has one."""
	settings = frappe.get_cached_doc(SETTINGS)
	body = programme_body(cultivation_type) or settings.body or DEFAULT_BODY
	values = {"enterprise_name": enterprise_name or BLANK, "uscc": uscc or BLANK, "date": nowdate()}

	def fill(line: str) -> str:
		return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), line)

	def lines(value: str | None) -> list[str]:
		return [fill(line.strip()) for line in (value or "").splitlines() if line.strip()]

	return {
		"title": fill(settings.title or DEFAULT_TITLE),
		"paragraphs": lines(body),
		"signature": lines(settings.signature),
	}


def programme_body(cultivation_type: str | None) -> str | None:
	doc = submission.programme(cultivation_type)
	return (doc.get("commitment_body") or None) if doc else None


def docx(
	enterprise_name: str | None = None, uscc: str | None = None, cultivation_type: str | None = None
) -> bytes:
	"""The Word document: the title centred, the paragraphs indented by two characters, the
	signature lines at the right, in 宋体."""
	from docx import Document
	from docx.enum.text import WD_ALIGN_PARAGRAPH
	from docx.oxml.ns import qn
	from docx.shared import Pt

	content = text(enterprise_name, uscc, cultivation_type)
	document = Document()
	normal = document.styles["Normal"]
	normal.font.name = FONT
	normal.font.size = Pt(12)
	normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
	document.core_properties.title = content["title"]
	title = document.add_paragraph()
	title.alignment = WD_ALIGN_PARAGRAPH.CENTER
	run = title.add_run(content["title"])
	run.bold = True
	run.font.size = Pt(18)
	for line in content["paragraphs"]:
		paragraph = document.add_paragraph(line)
		paragraph.paragraph_format.first_line_indent = Pt(24)
		paragraph.paragraph_format.line_spacing = 1.5
	if content["signature"]:
		document.add_paragraph()
	for line in content["signature"]:
		paragraph = document.add_paragraph(line)
		paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
	buffer = io.BytesIO()
	document.save(buffer)
	return buffer.getvalue()


@frappe.whitelist(methods=["GET"])
def download(name: str) -> None:
	"""《真实性承诺说明》.docx of a submission, filled with the name and code it declares, for whoever may
	read the submission (the enterprise's admin, its staff with the viewer role, reviewers in scope)."""
	doc = submission.readable_submission(name)
	frappe.local.response.filename = text()["title"] + ".docx"
	frappe.local.response.filecontent = docx(doc.enterprise_name, doc.uscc, doc.cultivation_type)
	frappe.local.response.type = "download"


# Guests may download it: the text is public (the same as /authenticity-commitment) and the request
# reads one cached settings record; limited per address as every guest endpoint.
@frappe.whitelist(allow_guest=True, methods=["GET"])
@rate_limit(limit=120, seconds=60)
def template() -> None:
	"""《真实性承诺说明》.docx as the home's 下载专区 offers it: blank for a guest, filled with the
	enterprise's name and code for a member of a certified enterprise."""
	name, uscc = own_enterprise()
	frappe.local.response.filename = text()["title"] + ".docx"
	frappe.local.response.filecontent = docx(name, uscc)
	frappe.local.response.type = "download"


def own_enterprise() -> tuple[str | None, str | None]:
	"""The name and code of the session user's enterprise, or (None, None)."""
	from gz_innovation.enterprise.membership import enterprise_of

	enterprise = enterprise_of(frappe.session.user) if frappe.session.user != "Guest" else None
	if not enterprise:
		return None, None
	return frappe.db.get_value("Enterprise", enterprise, ["enterprise_name", "uscc"])
