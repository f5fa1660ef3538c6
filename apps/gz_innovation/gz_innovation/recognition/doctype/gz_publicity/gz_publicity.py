# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe

from gz_innovation.recognition import publicity
from gz_innovation.utils import AppDocument


class GZPublicity(AppDocument):
	def validate(self):
		publicity.validate_publicity(self)
