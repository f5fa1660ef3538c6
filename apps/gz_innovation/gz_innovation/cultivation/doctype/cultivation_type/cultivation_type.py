# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from gz_innovation.cultivation import batches, programmes
from gz_innovation.utils import AppDocument


class CultivationType(AppDocument):
	"""A programme (培育类型): its form's fields and groups, and its commitment (cultivation/programmes.py)."""

	def validate(self):
		programmes.validate(self)

	def on_update(self):
		batches.on_batch_change()  # the batch list carries who may apply to each programme

	def on_trash(self):
		batches.on_batch_change()
