# Copyright (c) 2026, gz_innovation developers

from gz_innovation.utils import AppDocument

# For license information, please see license.txt


class LegacyImport(AppDocument):
	"""One run of the legacy importer (gz_innovation.legacy.imports); the files stay attached."""

	def validate(self):
		if self.is_new():
			self.status = self.status or "Pending"
