# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe
from frappe.model.naming import set_new_name

from gz_innovation.cultivation import review, submission
from gz_innovation.utils import AppDocument


class CultivationSubmission(AppDocument):
	def validate(self):
		submission.validate(self)
		review.validate_review(self)

	def on_update(self):
		review.on_status_change(self)

	def update_child_table(self, fieldname, df=None):
		"""The evaluation table is rewritten on every submit: its new rows go in one INSERT instead
		of one per rule (Frappe's default), the rest is Frappe's own sync."""
		new_rows = [row for row in self.get(fieldname) if row.is_new()] if fieldname == "evaluation" else []
		if not new_rows:
			return super().update_child_table(fieldname, df)
		for row in new_rows:
			if not row.name:
				set_new_name(row)
		kept = [row for row in self.get(fieldname) if not row.is_new()]
		before = self.get_doc_before_save()
		if kept or (before and before.get(fieldname)):
			# Rows stored before go (Frappe's delete of the rows not kept), the kept ones are updated.
			self.set(fieldname, kept)
			super().update_child_table(fieldname, df)
		# A first submit has no rows stored: no delete, whose gap locks made concurrent submits
		# deadlock on deadline day.
		values = [row.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True) for row in new_rows]
		columns = list(values[0])
		frappe.db.bulk_insert(row.doctype, columns, [tuple(v.get(c) for c in columns) for v in values])
		for row in new_rows:
			row.set("__islocal", None)
		self.set(fieldname, sorted(kept + new_rows, key=lambda row: row.idx))


def on_doctype_update():
	# One live submission per enterprise, type and batch.
	frappe.db.add_unique(
		"Cultivation Submission", ["enterprise", "cultivation_type", "batch"], "unique_live_submission"
	)
