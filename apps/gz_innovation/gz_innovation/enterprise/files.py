"""Files of enterprises (the business licence, and any private file attached to the app's records).

By every path (the file URL, `upload_file`, `frappe.client.get`, REST):
- a private file attached to an Enterprise is readable by its admin, its staff with the document
  role, its applicant while the application is not certified, and reviewers in scope;
- a private file attached to another record of the app is readable by those who may read the record
  (its owner alone is not enough);
- only the platform's administrators change or delete such files; the app's own code does it for
  the applicant (replacing the licence);
- a new File may point at an existing private file only for a user who may read that file (Frappe
  would otherwise serve it to the owner of the new record);
- private uploads get an unguessable name;
- an Attach field holds only a file attached to that very record.
"""

import posixpath
from urllib.parse import unquote

import frappe
from frappe import _

from gz_innovation.enterprise.permissions import FULL_ACCESS, visible_scope
from gz_innovation.enterprise.roles import DOCUMENT_VIEWER_ROLE
from gz_innovation.utils import (
	changed_fields,
	is_app_doctype,
	is_platform_admin,
	throw_for_field,
)

READ_TYPES = ("read", "select", "print", "email", "export", "report")


class FileAccessError(frappe.PermissionError):
	pass


def may_read(file, user: str | None = None) -> bool | None:
	"""Whether `user` may read the private `file`; None when the app has no say (not its record)."""
	user = user or frappe.session.user
	if not file.is_private or not is_app_doctype(file.attached_to_doctype) or not file.attached_to_name:
		return None
	if is_platform_admin(user):
		return True
	if file.attached_to_doctype != "Enterprise":
		return bool(frappe.has_permission(file.attached_to_doctype, "read", file.attached_to_name, user=user))
	enterprise = frappe.db.get_value(
		"Enterprise",
		file.attached_to_name,
		["name", "city", "county", "applicant", "enterprise_admin", "certification_status"],
		as_dict=True,
	)
	if not enterprise:
		return False
	scope = visible_scope(user)
	if scope is FULL_ACCESS:
		return True
	if (enterprise.city and enterprise.city in scope["cities"]) or (
		enterprise.county and enterprise.county in scope["counties"]
	):
		return True
	if user in (enterprise.enterprise_admin,) or (
		enterprise.applicant == user and enterprise.certification_status != "已认证"
	):
		return True
	return enterprise.name in scope["enterprises"] and DOCUMENT_VIEWER_ROLE in frappe.get_roles(user)


def file_has_permission(doc, ptype=None, user=None) -> bool:
	"""has_permission hook of File (it can only deny)."""
	user = user or frappe.session.user
	if not doc.attached_to_doctype or not is_app_doctype(doc.attached_to_doctype):
		return True
	if ptype in READ_TYPES or ptype is None:
		return may_read(doc, user) is not False
	return is_platform_admin(user)


def require_readable_url(file_url: str) -> None:
	"""A new File record may point at an existing private file only for a user who may read it. The
	address must be the file's own (no "./", "//" or ".." spelling of another file's)."""
	file_url = unquote(file_url)
	if not file_url.startswith(("/private/", "/files/")):
		return
	if posixpath.normpath(file_url) != file_url or "//" in file_url:
		frappe.throw(_("Invalid file address: {0}").format(file_url), FileAccessError)
	if not file_url.startswith("/private/"):
		return
	existing = frappe.get_all("File", filters={"file_url": file_url}, fields="*")
	if existing and not any(frappe.get_doc(doctype="File", **row).is_downloadable() for row in existing):
		frappe.throw(_("You don't have permission to access this file"), FileAccessError)


def validate_attach_fields(doc) -> None:
	"""An Attach field holds only a file attached to this record (never a typed URL or markup)."""
	attach_fields = [df.fieldname for df in doc.meta.fields if df.fieldtype in ("Attach", "Attach Image")]
	for fieldname in changed_fields(doc, attach_fields):
		url = doc.get(fieldname)
		if url and not frappe.db.exists(
			"File", {"file_url": url, "attached_to_doctype": doc.doctype, "attached_to_name": doc.name}
		):
			throw_for_field(
				fieldname,
				_("{0}: upload a file for this record").format(_(doc.meta.get_label(fieldname))),
				FileAccessError,
			)


def replace_attachment(doc, fieldname: str, filename: str, content: bytes) -> str:
	"""Store `content` as the private file of `doc`'s `fieldname`; the files it held before go."""
	extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
	for old in frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": doc.doctype,
			"attached_to_name": doc.name,
			"attached_to_field": fieldname,
		},
		pluck="name",
	):
		frappe.delete_doc("File", old, ignore_permissions=True, force=True)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{frappe.scrub(fieldname)}.{extension}",
			"attached_to_doctype": doc.doctype,
			"attached_to_name": doc.name,
			"attached_to_field": fieldname,
			"is_private": 1,
			"content": content,
		}
	)
	file.flags.ignore_permissions = True
	file.insert()
	return file.file_url
