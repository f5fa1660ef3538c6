# 个人控制台 → 账户中心 → 账户认证 → 企业认证 (manual §2.1.3): the six-step certification form.
import frappe
from frappe import _

from gz_innovation import prepare
from gz_innovation.enterprise import form
from gz_innovation.enterprise.certification import describe_fields, form_choices
from gz_innovation.portal import console

no_cache = 1

# The first and the last step (manual §2.1.3); the steps between are Enterprise's tabs, with their
# labels as titles and their descriptions as notes (enterprise/form.py): Customize Form changes them.
NAME_STEP = (
	"Enterprise name",
	"Enter the enterprise's name: the system checks whether it is certified already. If it is not, enter its unified social credit code and click Next to fill in the certification; you become its enterprise admin. If it is, you can only apply to join it as its staff.",
)
WAITING_STEP = (
	"Waiting for review",
	"After submission the certification is under review (审核中); once the regulator approves it, you can fill in the cultivation application.",
)


FORM_SECONDS = 300  # a region or a business type changed in Desk reaches the form within this time


def get_context(context):
	console.require_login("/certify")
	context.gz_form = described_form(frappe.local.lang)
	console.page(context, "certify", _("Enterprise Certification"), "certify", data=context.gz_form)


def described_form(lang: str) -> dict:
	"""The steps with their fields and the choices (cities, counties, business types) in the request's
	language `lang`: the same for every user, so made once per language for a few minutes (Redis,
	one worker builds it: prepare.shared) rather than on every view. A change of Enterprise's
	metadata drops it at once (form.forget_described)."""
	return prepare.shared(f"{form.CACHE_KEY}{lang}", _describe, expires_in_sec=FORM_SECONDS)


def _describe() -> dict:
	steps = [_step(1, *NAME_STEP, describe_fields(form.NAME_FIELDS))]
	for number, tab in enumerate(form.tabs(), start=2):
		groups = {}
		for section in tab["sections"]:
			if section["fields"] and (section["label"] or section["note"]):
				groups[section["fields"][0].fieldname] = (section["label"], section["note"])
		fieldnames = [df.fieldname for section in tab["sections"] for df in section["fields"]]
		fields = describe_fields([f for f in fieldnames if f != form.LICENCE_FIELD], groups=groups)
		steps.append(_step(number, tab["label"], tab["note"], fields, skippable=form.is_skippable(number)))
		steps[-1]["licence"] = form.LICENCE_FIELD in fieldnames
	steps.append(_step(len(steps) + 1, *WAITING_STEP, []))
	return {"steps": steps, **form_choices()}


def _step(number: int, title: str | None, note: str | None, fields: list, skippable: bool = False) -> dict:
	return {
		"number": number,
		"title": _(title) if title else _("Step {0}").format(number),
		"note": _(note) if note else "",
		"fields": fields,
		"skippable": skippable,
	}
