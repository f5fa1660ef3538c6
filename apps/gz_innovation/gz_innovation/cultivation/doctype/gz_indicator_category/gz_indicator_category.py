# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.cultivation import categories
from gz_innovation.utils import AppDocument


class GZIndicatorCategory(AppDocument):
	def validate(self):
		categories.validate_category(self)

	def on_trash(self):
		categories.refuse_deleting_a_chosen_category(self)
