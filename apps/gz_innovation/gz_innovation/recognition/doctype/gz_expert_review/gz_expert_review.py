# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe

from gz_innovation.recognition import review
from gz_innovation.utils import AppDocument


class GZExpertReview(AppDocument):
	def validate(self):
		review.validate(self)

	def on_update(self):
		review.on_update(self)

	def on_trash(self):
		review.fail(frappe._("A review is kept: it cannot be deleted"))

	@frappe.whitelist()
	def submit_scores(self):
		"""提交评分: the review becomes final."""
		self.check_permission("write")
		self.flags.submitting = True
		self.save()
