# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from frappe.model.document import Document

from gz_innovation.cultivation import review


class CultivationSubmission(Document):
	def validate(self):
		review.validate_review(self)

	def on_update(self):
		review.on_status_change(self)


def on_doctype_update():
	import frappe

	# One live submission per enterprise, type and batch.
	frappe.db.add_unique(
		"Cultivation Submission", ["enterprise", "cultivation_type", "batch"], "unique_live_submission"
	)
