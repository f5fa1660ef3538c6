# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from frappe.model.document import Document

from gz_innovation.cultivation import stages


class CultivationBatch(Document):
	def validate(self):
		stages.validate_batch_deadlines(self)
