# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe
from frappe import _

from gz_innovation.utils import AppDocument


class AuditRecordError(frappe.PermissionError):
	pass


class GZAuditLog(AppDocument):
	"""One audit record. Written by `gz_innovation.audit.trail.record` only; nobody changes or deletes
	it (no role has write or delete, and the document refuses both whoever asks)."""

	def validate(self):
		if not self.is_new():
			frappe.throw(_("Audit records cannot be changed"), AuditRecordError)

	def on_trash(self):
		frappe.throw(_("Audit records cannot be deleted"), AuditRecordError)
