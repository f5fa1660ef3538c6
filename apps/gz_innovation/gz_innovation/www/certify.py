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

# Each step's title and the manual's note for it (manual §2.1.3).
STEPS = {
	1: (
		"Enterprise name",
		"Enter the enterprise's name: the system checks whether it is certified already. If it is not, enter its unified social credit code and click Next to fill in the certification; you become its enterprise admin. If it is, you can only apply to join it as its staff.",
	),
	2: (
		"Enterprise information",
		"Save draft keeps what you filled in: the form has many fields, and when you come back it shows them again. The certification is submitted at step 5, and the result is sent by SMS and e-mail.",
	),
	3: (
		"Legal person",
		"This module is filled in as your business needs it; if you do not need it certified, you can skip this step.",
	),
	4: (
		"Authoriser information",
		"This module is filled in as your business needs it; if you do not need it certified, you can skip this step.",
	),
	5: (
		"数字工信 authorisation",
		"For 是否需要认证数字工信企业 choose Yes, tick 科技创新服务平台 under 业务类型 and fill in its details. You may tick other business functions as your business needs. Save draft keeps what you filled in.",
	),
	6: (
		"Waiting for review",
		"After submission the certification is under review (审核中); once the regulator approves it, you can fill in the cultivation application.",
	),
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
				"note": _(note),
				"fields": describe_fields(STEP_FIELDS.get(number, ())),
				"skippable": number in SKIPPABLE_STEPS,
			}
			for number, (title, note) in STEPS.items()
		]
		form = {"steps": steps, **form_choices()}
		frappe.cache.set_value(key, form, expires_in_sec=FORM_SECONDS)
	return form
