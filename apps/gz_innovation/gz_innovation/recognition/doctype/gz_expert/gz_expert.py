# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from gz_innovation.recognition import experts
from gz_innovation.utils import AppDocument


class GZExpert(AppDocument):
	def validate(self):
		experts.validate_expert(self)
