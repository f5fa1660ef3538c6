# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

import json

import frappe
from frappe.utils import flt

from gz_innovation.cultivation import batches, evaluation, programmes, reevaluation
from gz_innovation.utils import AppDocument

RULE_FIELDS = ("label", "expression", "operator", "threshold", "unit", "decimals", "rule_group", "condition")
GROUP_FIELDS = ("rule_group", "mode", "at_least", "condition")


class CultivationRuleSet(AppDocument):
	def validate(self):
		compiled = evaluation.compile_rule_set(
			self
		)  # refuses a broken formula or condition now, not at a submit
		programmes.check_rule_fields(self, compiled)
		self.set_version()

	def on_update(self):
		batches.on_batch_change()  # the types a batch offers
		if self.flags.new_version:
			self.store_version()
			if not self.flags.ignore_reevaluation:
				reevaluation.schedule(self.name)

	def on_trash(self):
		frappe.db.delete("Cultivation Rule Set Version", {"rule_set": self.name})
		batches.on_batch_change()

	def rules_signature(self) -> str:
		def normal(value):
			if isinstance(value, int | float):
				return flt(value, 6)
			return (value or "").strip() if isinstance(value, str) or value is None else value

		return json.dumps(
			{
				"rules": [[normal(row.get(f)) for f in RULE_FIELDS] for row in self.rules],
				"groups": [[normal(row.get(f)) for f in GROUP_FIELDS] for row in self.get("groups") or []],
			},
			ensure_ascii=False,
			default=str,
		)

	def set_version(self):
		self.flags.new_version = False
		before = self.get_doc_before_save()
		if self.is_new() or not before or before.rules_signature() != self.rules_signature():
			self.version = (before.version if before else 0) + 1
			self.flags.new_version = True

	def store_version(self):
		frappe.get_doc(
			{
				"doctype": "Cultivation Rule Set Version",
				"rule_set": self.name,
				"version": self.version,
				"rules_json": self.rules_signature(),
			}
		).insert(ignore_permissions=True)
