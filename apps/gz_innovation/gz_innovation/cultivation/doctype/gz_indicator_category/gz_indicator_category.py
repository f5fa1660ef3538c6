# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from frappe.model.document import Document

from gz_innovation.cultivation import categories


class GZIndicatorCategory(Document):
	def validate(self):
		categories.validate_category(self)

	def on_trash(self):
		categories.refuse_deleting_a_chosen_category(self)
