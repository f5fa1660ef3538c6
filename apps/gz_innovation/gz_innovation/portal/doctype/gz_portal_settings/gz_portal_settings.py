# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from frappe.model.document import Document

from gz_innovation.portal import cache, settings


class GZPortalSettings(Document):
	def validate(self):
		settings.validate(self)

	def on_update(self):
		cache.forget_guest_pages()
