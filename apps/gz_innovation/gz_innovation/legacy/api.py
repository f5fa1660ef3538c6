"""Portal endpoints of the legacy module: the admin completes the imported enterprise data."""

import frappe

from gz_innovation.legacy import completion


@frappe.whitelist(methods=["GET", "POST"])
def get_enterprise_update() -> dict:
	return completion.current_form()


@frappe.whitelist(methods=["POST"])
def complete_enterprise_update(values: dict | str) -> dict:
	completion.complete(frappe.parse_json(values) or {})
	return {"redirect": "/cultivation?updated=1"}
