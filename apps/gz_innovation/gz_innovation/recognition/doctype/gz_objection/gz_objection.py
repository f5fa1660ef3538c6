# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import frappe

from gz_innovation.recognition import publicity
from gz_innovation.utils import AppDocument


class GZObjection(AppDocument):
	def validate(self):
		publicity.validate_objection(self)

	def on_trash(self):
		publicity.fail(frappe._("An objection is kept: it cannot be deleted"), title=frappe._("Objection"))
