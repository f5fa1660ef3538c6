# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from frappe.model.document import Document

from gz_innovation.enterprise import membership


class EnterpriseJoinRequest(Document):
	def validate(self):
		membership.validate_join_request(self)

	def on_update(self):
		membership.on_join_request_update(self)
