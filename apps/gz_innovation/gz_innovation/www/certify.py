# 个人控制台 → 账户中心 → 账户认证 → 企业认证 (manual §2.1.3): the six-step certification form.
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


def get_context(context):
	console.require_login("/certify")
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
	console.page(context, "certify", _("Enterprise Certification"), "certify", data=context.gz_form)
