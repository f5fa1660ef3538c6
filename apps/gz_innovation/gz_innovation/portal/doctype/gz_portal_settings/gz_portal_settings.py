# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.portal import cache, settings
from gz_innovation.utils import AppDocument


class GZPortalSettings(AppDocument):
	def validate(self):
		settings.validate(self)

	def on_update(self):
		cache.forget_guest_pages()
