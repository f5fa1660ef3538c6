# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.cultivation import batches, eligibility, programmes, stages
from gz_innovation.utils import AppDocument


class CultivationBatch(AppDocument):
	def validate(self):
		stages.validate_batch_deadlines(self)
		programmes.check_batch_types(self)
		eligibility.check_batch(self)

	def on_update(self):
		batches.on_batch_change()
		stages.pass_on_deadlines(self)

	def on_trash(self):
		batches.on_batch_change()

	def after_rename(self, old, new, merge=False):
		batches.on_batch_change()
