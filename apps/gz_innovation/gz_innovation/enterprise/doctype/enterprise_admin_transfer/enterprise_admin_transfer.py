# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class EnterpriseAdminTransfer(Document):
	def validate(self):
		if (
			self.has_value_changed("status")
			and self.status == "驳回"
			and not (self.review_comment or "").strip()
		):
			frappe.throw(_("Please enter the reason in Review Comment"))

	def on_update(self):
		if self.has_value_changed("status") and self.status == "已通过":
			from gz_innovation.enterprise.membership import complete_admin_transfer

			complete_admin_transfer(self)
