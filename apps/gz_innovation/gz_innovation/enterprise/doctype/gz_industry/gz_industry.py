# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from gz_innovation.enterprise import choices
from gz_innovation.utils import AppDocument


class GZIndustry(AppDocument):
	def on_change(self):
		choices.forget()

	def on_trash(self):
		choices.forget()
