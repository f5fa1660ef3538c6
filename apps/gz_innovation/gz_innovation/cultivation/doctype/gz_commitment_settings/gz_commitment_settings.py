# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.cultivation import commitment
from gz_innovation.utils import AppDocument


class GZCommitmentSettings(AppDocument):
	def validate(self):
		commitment.validate_settings(self)
