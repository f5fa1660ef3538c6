# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe

from gz_innovation.recognition import publicity
from gz_innovation.utils import AppDocument


class GZPublicity(AppDocument):
	def validate(self):
		publicity.validate_publicity(self)

	@frappe.whitelist()
	def recognise(self) -> dict:
		"""认定 for the entries of an ended list: one GZ Recognition each, whose own rules decide."""
		self.check_permission("write")
		from gz_innovation.recognition import certificates

		return certificates.issue_for_publicity(self.name)
