# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe
from frappe import _

from gz_innovation.recognition import scoring
from gz_innovation.utils import AppDocument


class GZScoringScheme(AppDocument):
	def validate(self):
		scoring.compile_scheme(self)  # refuses a broken formula, b ≥ f, a weight of 0 now, not at a score
		self.validate_one_per_batch()
		self.set_version()

	def on_update(self):
		scoring.forget_schemes()

	def on_trash(self):
		scoring.forget_schemes()

	def validate_one_per_batch(self):
		"""One enabled scheme per programme and batch (and one for the programme's other batches), so
		an application is never scored by two."""
		if not (self.enabled and self.cultivation_type):
			return
		other = frappe.db.get_value(
			"GZ Scoring Scheme",
			{
				"name": ("!=", self.name or ""),
				"enabled": 1,
				"cultivation_type": self.cultivation_type,
				"batch": self.batch or ("is", "not set"),
			},
			"name",
		)
		if other:
			frappe.throw(
				_("{0} already scores {1} in this batch; disable it first").format(
					other, self.cultivation_type
				),
				scoring.ScoringError,
				title=_("Programme"),
			)

	def set_version(self):
		before = self.get_doc_before_save()
		if self.is_new() or not before or scoring.signature(before) != scoring.signature(self):
			self.version = (before.version if before else 0) + 1
