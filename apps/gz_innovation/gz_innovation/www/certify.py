# 账户中心 → 账户认证 → 企业认证 (manual §2.1.3): the six-step certification form.
import frappe
from frappe import _

from gz_innovation.enterprise.certification import (
	SKIPPABLE_STEPS,
	STEP_FIELDS,
	describe_fields,
	form_choices,
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
	steps = [
		{
			"number": number,
			"title": _(title),
			"fields": describe_fields(STEP_FIELDS.get(number, ())),
			"skippable": number in SKIPPABLE_STEPS,
		}
		for number, title in STEP_TITLES.items()
	]
	context.gz_form = {"steps": steps, **form_choices()}
	context.show_sidebar = False
