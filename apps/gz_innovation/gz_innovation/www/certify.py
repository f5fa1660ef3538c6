# 账户中心 → 账户认证 → 企业认证 (manual §2.1.3): the six-step certification form.
import frappe
from frappe import _

from gz_innovation.enterprise.certification import (
	BUSINESS_TYPES,
	REQUIRED_AT_SUBMIT,
	SKIPPABLE_STEPS,
	STEP_FIELDS,
)

no_cache = 1

STEP_TITLES = {
	1: "Enterprise name",
	2: "Enterprise information",
	3: "Legal person",
	4: "Authorised person",
	5: "数字工信 authorisation",
	6: "Submitted",
}


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/certify"
		raise frappe.Redirect
	meta = frappe.get_meta("Enterprise")
	steps = []
	for number, title in STEP_TITLES.items():
		fields = []
		for fieldname in STEP_FIELDS.get(number, ()):
			df = meta.get_field(fieldname)
			fields.append(
				{
					"fieldname": fieldname,
					"label": _(df.label),
					"fieldtype": df.fieldtype,
					"options": [o for o in (df.options or "").split("\n") if o]
					if df.fieldtype == "Select"
					else None,
					"required": fieldname in REQUIRED_AT_SUBMIT,
				}
			)
		steps.append(
			{"number": number, "title": _(title), "fields": fields, "skippable": number in SKIPPABLE_STEPS}
		)
	regions = frappe.get_all(
		"GZ Region", fields=["name", "region_type", "parent_region"], order_by="region_code asc, creation asc"
	)
	context.gz_form = {
		"steps": steps,
		"cities": [r.name for r in regions if r.region_type == "City"],
		"counties": {r.name: r.parent_region for r in regions if r.region_type == "County"},
		"business_types": list(BUSINESS_TYPES),
	}
	context.show_sidebar = False
