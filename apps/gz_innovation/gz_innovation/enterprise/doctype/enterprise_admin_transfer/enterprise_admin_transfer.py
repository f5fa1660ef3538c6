# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.enterprise import membership
from gz_innovation.utils import AppDocument


class EnterpriseAdminTransfer(AppDocument):
	def validate(self):
		membership.validate_admin_transfer(self)

	def on_update(self):
		membership.on_admin_transfer_update(self)
