# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from frappe.model.document import Document


class LegacyImport(Document):
	"""One run of the legacy importer (gz_innovation.legacy.imports); the files stay attached."""

	def validate(self):
		if self.is_new():
			self.status = self.status or "Pending"
