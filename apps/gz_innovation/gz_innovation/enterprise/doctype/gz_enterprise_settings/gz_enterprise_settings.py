# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe
from frappe import _

from gz_innovation.utils import AppDocument


class GZEnterpriseSettings(AppDocument):
	def validate(self):
		if self.draft_expiry_days < 1:
			frappe.throw(_("{0}: at least one day").format(_(self.meta.get_label("draft_expiry_days"))))
