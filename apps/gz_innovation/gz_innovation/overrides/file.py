"""Frappe's File with the app's rules for files of its records (hooks.py `override_doctype_class`;
the rules themselves: enterprise/files.py)."""

import secrets

import frappe
from frappe import _
from frappe.core.doctype.file.file import File
from frappe.core.doctype.file.utils import decode_file_content

from gz_innovation.enterprise.files import FileAccessError, may_read, require_readable_url
from gz_innovation.portal.attachments import AttachmentTypeError, content_problem, extension_of
from gz_innovation.utils import is_desk_user, is_platform_admin


class GZFile(File):
	def before_insert(self):
		if not self.flags.ignore_permissions and not is_desk_user():
			# Portal users upload through the forms their files belong to (the business licence).
			frappe.throw(_("Please upload files through the form they belong to"), FileAccessError)
		if content := self.get("content"):
			# Whoever uploads, a file is what its name says (Frappe 15.9x parses every PDF and fails
			# without a word on anything else named .pdf).
			raw = decode_file_content(content) if self.get("decode") else content
			raw = raw.encode() if isinstance(raw, str) else raw
			if isinstance(raw, bytes) and (problem := content_problem(extension_of(self.file_name), raw)):
				frappe.throw(_("{0}: {1}").format(self.file_name, problem), AttachmentTypeError)
		if self.get("content") and self.is_private_upload():
			self.file_name = f"{secrets.token_hex(8)}-{self.file_name or 'file'}"
		elif self.file_url and not self.get("content"):
			# Pointing at a file already stored: checked before Frappe reads it, and again in
			# validate on the address Frappe settles on.
			self.flags.gz_points_at_stored_file = True
			require_readable_url(self.file_url)
		super().before_insert()

	def validate(self):
		repointed = not self.is_new() and self.has_value_changed("file_url")
		if repointed and not self.has_value_changed("is_private") and not is_platform_admin():
			# Frappe moves the file itself when is_private changes; nobody else repoints a record.
			frappe.throw(_("A file's address cannot be changed"), FileAccessError)
		super().validate()
		if self.flags.gz_points_at_stored_file:
			require_readable_url(self.file_url)

	def is_private_upload(self) -> bool:
		return bool(frappe.utils.cint(self.is_private) or (self.file_url or "").startswith("/private/"))

	def is_downloadable(self, *args, **kwargs):
		return super().is_downloadable(*args, **kwargs) and may_read(self) is not False

	@frappe.whitelist()
	def optimize_file(self, *args, **kwargs):
		self.check_permission("write")  # Frappe lets any reader rewrite an image file
		return super().optimize_file(*args, **kwargs)
