# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.portal import cache, notices
from gz_innovation.utils import AppDocument


class GZNotice(AppDocument):
	def validate(self):
		notices.validate(self)

	def on_update(self):
		cache.forget_guest_pages()

	def on_trash(self):
		cache.forget_guest_pages()
