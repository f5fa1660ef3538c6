"""Files the portal publishes to everyone (notice attachments, the logo, the QR code, the downloads):
which kinds are allowed, checked by extension and by the file's own first bytes, on the documents
that hold them and on every File attached to a notice, whichever way it was uploaded.

Anything a browser could run when it opens the file from the site (HTML, SVG, scripts, programs) is
refused: the platform serves these files to guests from its own address."""

import frappe
from frappe import _

from gz_innovation.utils import throw_for_field

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003, PowerPoint, WPS
ZIP = b"PK\x03\x04"  # docx, xlsx, pptx, zip
SIGNATURES = {
	"pdf": (b"%PDF",),
	"doc": (OLE,),
	"docx": (ZIP,),
	"xls": (OLE,),
	"xlsx": (ZIP,),
	"ppt": (OLE,),
	"pptx": (ZIP,),
	"wps": (OLE,),
	"et": (OLE,),
	"zip": (ZIP,),
	"rar": (b"Rar!\x1a\x07",),
	"jpg": (b"\xff\xd8\xff",),
	"jpeg": (b"\xff\xd8\xff",),
	"png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENTS = (
	"pdf",
	"doc",
	"docx",
	"xls",
	"xlsx",
	"ppt",
	"pptx",
	"wps",
	"et",
	"zip",
	"rar",
	"jpg",
	"jpeg",
	"png",
)
IMAGES = ("png", "jpg", "jpeg")
MAX_BYTES = 20 * 1024 * 1024


class AttachmentTypeError(frappe.ValidationError):
	http_status_code = 417


def extension_of(name: str | None) -> str:
	name = (name or "").split("?", 1)[0].rsplit("/", 1)[-1]
	return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def file_problem(file, allowed: tuple[str, ...]) -> str | None:
	"""Why `file` (a File document) may not be published, or None."""
	extension = extension_of(file.file_name or file.file_url)
	if extension not in allowed:
		return _("the file type .{0} is not allowed; use {1}").format(
			extension or "?", "、".join(e.upper() for e in allowed)
		)
	if (file.file_url or "").startswith(("http://", "https://")):
		return _("upload the file itself, not a link to another site")
	try:
		content = file.get_content()
	except (OSError, frappe.DoesNotExistError):
		return _("the file cannot be read, please upload it again")
	if isinstance(content, str):
		content = content.encode()
	if len(content or b"") > MAX_BYTES:
		return _("the file is larger than {0} MB").format(MAX_BYTES // 1024 // 1024)
	return content_problem(extension, content or b"")


def content_problem(extension: str, content: bytes) -> str | None:
	"""Why `content` is not a file of the kind its extension names, or None; kinds without a known
	signature pass. A PDF must also open: Frappe 15.9x reads every uploaded PDF and fails without a
	word on one it cannot parse."""
	if extension not in SIGNATURES:
		return None
	if not any(content.startswith(signature) for signature in SIGNATURES[extension]):
		return _("the content is not a .{0} file").format(extension)
	if extension == "pdf" and not readable_pdf(content):
		return _("the PDF cannot be read, it may be damaged: please scan it again")
	return None


def readable_pdf(content: bytes) -> bool:
	import io

	from pypdf import PdfReader

	try:
		return len(PdfReader(io.BytesIO(content)).pages) > 0
	except Exception:
		return False


def check_url(doc, fieldname: str, url: str | None, allowed: tuple[str, ...], label: str) -> None:
	"""A published file held by `doc` (in `fieldname`): attached to it, public, of an allowed kind."""
	if not url:
		return
	name = frappe.db.get_value(
		"File", {"file_url": url, "attached_to_doctype": doc.doctype, "attached_to_name": doc.name}
	)
	if not name:
		throw_for_field(fieldname, _("{0}: upload a file for this record").format(label), AttachmentTypeError)
	file = frappe.get_doc("File", name)
	if file.is_private:
		throw_for_field(
			fieldname,
			_("{0}: the file is private and guests could not download it; upload it as a public file").format(
				label
			),
			AttachmentTypeError,
		)
	if problem := file_problem(file, allowed):
		throw_for_field(fieldname, _("{0}: {1}").format(label, problem), AttachmentTypeError)
