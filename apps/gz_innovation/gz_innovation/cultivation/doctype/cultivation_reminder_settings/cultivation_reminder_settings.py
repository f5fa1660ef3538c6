# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.cultivation import reminders
from gz_innovation.utils import AppDocument


class CultivationReminderSettings(AppDocument):
	def validate(self):
		reminders.validate_settings(self)
