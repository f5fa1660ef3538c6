"""Indicator submissions (限定性指标填报, manual §3): drafts, the live pre-check, submit with
evaluation, the records of an enterprise. Only the enterprise admin may submit (manual §1.7)."""

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, now_datetime

from gz_innovation.cultivation import evaluation
from gz_innovation.enterprise.membership import enterprise_of
from gz_innovation.legacy.figures import latest_figures

EDITABLE = ("草稿", "退回修改")
VIEWER_ROLE = "GZ Cultivation Viewer"  # staff who may read their enterprise's submissions
CLOSED = ("退回修改",)  # a returned submission is still the live one
BASIC_FIELDS = ("enterprise_name", "contact_person", "contact_phone", "address")
MAX_AMOUNT = 100_000_000  # 万元
MAX_COUNT = 1_000_000


class SubmissionError(frappe.ValidationError):
	http_status_code = 417


def indicator_fields() -> list[str]:
	"""The indicator fields of the form: numbers and yes/no, custom fields included."""
	meta = frappe.get_meta("Cultivation Submission")
	start = False
	fields = []
	for df in meta.fields:
		if df.fieldname == "indicators_section":
			start = True
			continue
		if df.fieldname == "commitment_section":
			break
		if start and df.fieldtype in ("Int", "Float", "Currency", "Percent", "Check"):
			fields.append(df.fieldname)
	custom = [df.fieldname for df in meta.fields if df.get("is_custom_field")]
	fields += [f for f in custom if f in evaluation.submission_fields() and f not in fields]
	return fields


def admin_enterprise() -> str:
	"""The certified enterprise whose admin is the current user, else a clear refusal."""
	user = frappe.session.user
	enterprise = enterprise_of(user)
	if not enterprise:
		raise frappe.PermissionError(
			_("Only an enterprise admin can submit indicators; certify your enterprise first")
		)
	status, admin, needs_update = frappe.db.get_value(
		"Enterprise", enterprise, ["certification_status", "enterprise_admin", "needs_update"]
	)
	if admin != user:
		raise frappe.PermissionError(_("Only the enterprise admin can submit indicators (manual §1.7)"))
	if status != "已认证":
		raise frappe.PermissionError(_("Your enterprise is not certified yet"))
	if cint(needs_update):
		frappe.throw(_("Please review and complete your enterprise information first"), SubmissionError)
	return enterprise


def batch_window(batch: str) -> tuple:
	opens_at, closes_at = frappe.db.get_value("Cultivation Batch", batch, ["opens_at", "closes_at"])
	return get_datetime(opens_at), get_datetime(closes_at)


def require_open(batch: str) -> None:
	opens_at, closes_at = batch_window(batch)
	now = now_datetime()
	if now < opens_at:
		frappe.throw(
			_("The batch opens at {0} (Beijing time)").format(opens_at.strftime("%Y-%m-%d %H:%M")),
			SubmissionError,
		)
	if now > closes_at:
		frappe.throw(
			_("The batch closed at {0} (Beijing time)").format(closes_at.strftime("%Y-%m-%d %H:%M")),
			SubmissionError,
		)


def rule_set_of(cultivation_type: str, batch: str) -> str:
	name = frappe.db.get_value("Cultivation Rule Set", {"cultivation_type": cultivation_type, "batch": batch})
	if not name:
		frappe.throw(_("No rule set for {0} in {1}").format(cultivation_type, batch), SubmissionError)
	return name


def open_draft(cultivation_type: str, batch: str):
	"""The enterprise's live submission for this type and batch, created as a draft if none."""
	enterprise = admin_enterprise()
	if not frappe.db.exists(
		"Cultivation Batch Type", {"parent": batch, "cultivation_type": cultivation_type}
	):
		frappe.throw(_("{0} is not offered in {1}").format(cultivation_type, batch), SubmissionError)
	require_open(batch)
	name = frappe.db.get_value(
		"Cultivation Submission",
		{"enterprise": enterprise, "cultivation_type": cultivation_type, "batch": batch},
	)
	if name:
		return frappe.get_doc("Cultivation Submission", name)
	source = frappe.db.get_value(
		"Enterprise",
		enterprise,
		[
			"enterprise_name",
			"uscc",
			"contact_person",
			"contact_phone",
			"city",
			"county",
			"address",
			"annual_revenue",
			"rd_expenditure",
		],
		as_dict=True,
	)
	doc = frappe.get_doc(
		{
			"doctype": "Cultivation Submission",
			"enterprise": enterprise,
			"cultivation_type": cultivation_type,
			"batch": batch,
			"rule_set": rule_set_of(cultivation_type, batch),
			"status": "草稿",
			"enterprise_name": source.enterprise_name,
			"uscc": source.uscc,
			"contact_person": source.contact_person,
			"contact_phone": source.contact_phone,
			"city": source.city,
			"county": source.county,
			"address": source.address,
			"revenue": source.annual_revenue,
			"rd_expenditure": source.rd_expenditure,
		}
	)
	if not frappe.db.exists("Cultivation Submission", {"enterprise": enterprise}):
		# An enterprise of the previous platform starts from its last figures there (manual §1.7).
		doc.update(latest_figures(enterprise, indicator_fields()))
	doc.insert(ignore_permissions=True)
	return doc


def own_submission(name: str, for_change: bool = True):
	doc = frappe.get_doc("Cultivation Submission", name)
	enterprise = admin_enterprise() if for_change else enterprise_of(frappe.session.user)
	if doc.enterprise != enterprise:
		raise frappe.PermissionError(_("This submission belongs to another enterprise"))
	if for_change:
		return doc  # admin_enterprise() has checked that the user is the admin
	is_admin = frappe.db.get_value("Enterprise", enterprise, "enterprise_admin") == frappe.session.user
	if not is_admin and VIEWER_ROLE not in frappe.get_roles():
		raise frappe.PermissionError(
			_("Your enterprise admin has not given you access to cultivation submissions")
		)
	return doc


def clean_values(values: dict) -> dict:
	"""Accept only the form's fields; numbers must be non-negative and plausible."""
	allowed = set(indicator_fields()) | set(BASIC_FIELDS) | {"commitment"}
	unknown = set(values) - allowed
	if unknown:
		frappe.throw(
			_("These fields cannot be changed here: {0}").format(", ".join(sorted(unknown))), SubmissionError
		)
	meta = frappe.get_meta("Cultivation Submission")
	cleaned = {}
	for fieldname, value in values.items():
		df = meta.get_field(fieldname)
		label = df.label  # translated only when an error is raised
		if value in (None, ""):
			cleaned[fieldname] = None
			continue
		if df.fieldtype in ("Int", "Float", "Currency", "Percent"):
			try:
				number = float(value)
			except (TypeError, ValueError):
				fail(fieldname, _("{0}: enter a number").format(_(label)))
			if number != number or number in (float("inf"), float("-inf")):
				fail(fieldname, _("{0}: enter a number").format(_(label)))
			if number < 0:
				fail(fieldname, _("{0}: cannot be negative").format(_(label)))
			if df.fieldtype == "Int":
				if number != int(number):
					fail(fieldname, _("{0}: enter a whole number").format(_(label)))
				if number > MAX_COUNT:
					fail(fieldname, _("{0}: the number is too large").format(_(label)))
				cleaned[fieldname] = int(number)
			else:
				if number > MAX_AMOUNT:
					fail(fieldname, _("{0}: the amount is too large, the unit is 万元").format(_(label)))
				cleaned[fieldname] = flt(number, 4)
		elif df.fieldtype == "Check":
			cleaned[fieldname] = 1 if cint(value) else 0
		else:
			text = str(value).strip()
			if df.length and len(text) > df.length:
				fail(fieldname, _("{0}: at most {1} characters").format(_(label), df.length))
			cleaned[fieldname] = text
	return cleaned


def fail(fieldname: str, message: str) -> None:
	if getattr(frappe.local, "response", None) is not None:
		frappe.local.response["gz_field"] = fieldname
	frappe.throw(message, SubmissionError)


def save_draft(name: str, values: dict):
	doc = own_submission(name)
	if doc.status not in EDITABLE:
		frappe.throw(_("The submission is {0} and cannot be changed").format(doc.status), SubmissionError)
	doc.update(clean_values(values or {}))
	doc.save(ignore_permissions=True)
	return doc


def precheck(cultivation_type: str, batch: str, values: dict) -> dict:
	"""The live evaluation while the form is filled; saves nothing."""
	admin_enterprise()
	rule_set = evaluation.get_rule_set(rule_set_of(cultivation_type, batch))
	result = evaluation.evaluate(rule_set, clean_values(values or {}))
	return as_result(result)


def as_result(result) -> dict:
	return {
		"rows": [row.__dict__ for row in result.rows],
		"overall": result.overall or evaluation.TO_FILL,
		"version": result.version,
	}


def submit(name: str, values: dict | None = None):
	"""提交申请: the form's last values, the evaluation and the Workflow step, saved once."""
	doc = own_submission(name)
	if doc.status not in EDITABLE:
		frappe.throw(
			_("The submission is {0} and cannot be submitted again").format(doc.status), SubmissionError
		)
	if values:
		doc.update(clean_values(values))
	require_open(doc.batch)
	if not doc.commitment:
		fail("commitment", _("Please read and tick the authenticity commitment (《真实性承诺说明》)"))
	rule_set = evaluation.get_rule_set(doc.rule_set)
	result = evaluation.evaluate(rule_set, doc.as_dict())
	missing = [row.label for row in result.rows if row.result == evaluation.TO_FILL]
	if missing:
		frappe.throw(_("Please fill in: {0}").format("、".join(missing)), SubmissionError)
	broken = [row for row in result.rows if row.error == "division_by_zero"]
	if broken:
		frappe.throw(broken[0].label + "：" + broken[0].explanation, SubmissionError)
	store_result(doc, result)
	doc.submitted_by = frappe.session.user
	from gz_innovation.cultivation.review import apply_action

	apply_action(doc, "提交申请" if doc.status == "草稿" else "重新提交")
	return doc


def submit_with_retry(name: str, values: dict | None = None, attempts: int = 3):
	"""submit(), tried again when MariaDB picks it as a deadlock victim: on deadline day many
	enterprises submit at once, and Frappe's workflow bookkeeping can lock the same index pages."""
	import random
	import time

	for attempt in range(attempts):
		try:
			return submit(name, values)
		except frappe.QueryDeadlockError:
			if attempt == attempts - 1:
				raise
			frappe.db.rollback()
			time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))


def recognition_status(overall: str | None, status: str) -> str:
	if status in ("培育中", "培育完成"):
		return status
	if overall == evaluation.OVERALL_NOT_SATISFIED:
		return evaluation.OVERALL_NOT_SATISFIED
	return "待培育"


def store_result(doc, result) -> None:
	doc.set(
		"evaluation",
		[
			{
				"seq": row.seq,
				"label": row.label,
				"value_display": row.value_display,
				"result": row.result,
				"threshold_display": row.threshold_display,
				"explanation": row.explanation,
			}
			for row in result.rows
		],
	)
	doc.overall_result = result.overall
	doc.rule_version = result.version
	doc.recognition_status = recognition_status(result.overall, doc.status)
