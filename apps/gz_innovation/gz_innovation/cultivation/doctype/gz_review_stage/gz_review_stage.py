# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from gz_innovation.cultivation import route
from gz_innovation.utils import AppDocument


class GZReviewStage(AppDocument):
	"""A stage of the cultivation review (区县初审, 市州初审, 省厅审核, ...): the one configuration the
	Workflow and the code read (cultivation/route.py, cultivation/stages.py)."""

	def validate(self):
		route.validate_stage(self)

	def on_update(self):
		route.on_change(self)

	def on_trash(self):
		route.refuse_removal_while_used(self)

	def after_delete(self):
		route.on_change(self)
