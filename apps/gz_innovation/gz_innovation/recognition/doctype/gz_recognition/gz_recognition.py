# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe

from gz_innovation.recognition import certificates
from gz_innovation.utils import AppDocument


class GZRecognition(AppDocument):
	def validate(self):
		certificates.validate(self)

	def on_trash(self):
		certificates.fail(frappe._("A recognition is kept: revoke it with a reason instead"))

	@frappe.whitelist()
	def revoke(self, reason: str | None = None) -> None:
		self.check_permission("write")
		self.reload()  # the stored record, not a copy sent with the call
		self.revocation_reason = reason
		self.status = certificates.REVOKED
		self.save()
