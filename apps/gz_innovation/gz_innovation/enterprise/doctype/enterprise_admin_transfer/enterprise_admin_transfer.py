# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from frappe.model.document import Document

from gz_innovation.enterprise import membership


class EnterpriseAdminTransfer(Document):
	def validate(self):
		membership.validate_admin_transfer(self)

	def on_update(self):
		membership.on_admin_transfer_update(self)
