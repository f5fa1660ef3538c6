# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.enterprise import membership
from gz_innovation.utils import AppDocument


class EnterpriseJoinRequest(AppDocument):
	def validate(self):
		membership.validate_join_request(self)

	def on_update(self):
		membership.on_join_request_update(self)
