# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from frappe.model.document import Document

from gz_innovation.cultivation import commitment


class GZCommitmentSettings(Document):
	def validate(self):
		commitment.validate_settings(self)
