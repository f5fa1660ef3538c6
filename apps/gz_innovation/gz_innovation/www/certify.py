# 个人控制台 → 账户中心 → 账户认证 → 企业认证 (manual §2.1.3): the six-step certification form.
import frappe
from frappe import _

from gz_innovation.enterprise.certification import (
	SKIPPABLE_STEPS,
	STEP_FIELDS,
	describe_fields,
	form_choices,
)
from gz_innovation.portal import console

no_cache = 1

STEP_TITLES = {
	1: "Enterprise name",
	2: "Enterprise information",
	3: "Legal person",
	4: "Authorised person",
	5: "数字工信 authorisation",
	6: "Submitted",
}


FORM_SECONDS = 300  # a region or a label changed in Desk reaches the form within this time


def get_context(context):
	console.require_login("/certify")
	context.gz_form = described_form(frappe.local.lang)
	console.page(context, "certify", _("Enterprise Certification"), "certify", data=context.gz_form)


def described_form(lang: str) -> dict:
	"""The steps with their fields and the choices (cities, counties, business types): the same for
	every user, so made once per language for a few minutes (Redis) rather than on every view."""
	key = f"gz_certify_form:{lang}"
	form = frappe.cache.get_value(key, expires=True)
	if form is None:
		steps = [
			{
				"number": number,
				"title": _(title),
				"fields": describe_fields(STEP_FIELDS.get(number, ())),
				"skippable": number in SKIPPABLE_STEPS,
			}
			for number, title in STEP_TITLES.items()
		]
		form = {"steps": steps, **form_choices()}
		frappe.cache.set_value(key, form, expires_in_sec=FORM_SECONDS)
	return form
