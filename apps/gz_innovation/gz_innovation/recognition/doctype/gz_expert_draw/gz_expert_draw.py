# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe

from gz_innovation.recognition import experts, review
from gz_innovation.utils import AppDocument


class GZExpertDraw(AppDocument):
	"""Its methods act on the stored record (reloaded), never on a copy a client sends with the call
	(Frappe's run_doc_method builds the document from the client's `docs`)."""

	def validate(self):
		experts.validate_draw(self)

	def on_trash(self):
		if self.status != experts.PENDING:
			experts.fail(frappe._("A drawn record is kept: it cannot be deleted"))

	@frappe.whitelist()
	def draw(self):
		self.check_permission("write")
		self.reload()
		experts.draw(self)

	@frappe.whitelist()
	def countersign(self):
		self.check_permission("write")
		self.reload()
		experts.countersign(self)
		review.open_reviews(self)

	@frappe.whitelist()
	def reproduce(self) -> dict:
		self.check_permission("read")
		return experts.reproduce(self)

	@frappe.whitelist()
	def panel(self) -> dict:
		"""The submitted reviews of the draw's application, the panel's score and each deviation."""
		self.check_permission("read")
		return review.panel(self.reference_doctype, self.reference_name)

	@frappe.whitelist()
	def release_results(self):
		"""发布评审结果: the enterprise sees its two-column view (declared and verified)."""
		self.check_permission("write")
		self.reload()
		review.release(self)
