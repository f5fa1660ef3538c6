"""Indicator submissions (限定性指标填报, manual §3): the rules of the document and the portal's use of it.

The rules live on the document: `validate` below runs on every save of a Cultivation Submission,
whichever way it comes (the portal, Desk, REST, `frappe.client`, `apply_workflow`, Data Import):

- only the enterprise's admin creates drafts and declares values (manual §1.7), inside the batch
  window, while the submission is in the enterprise's hands (草稿 / 退回修改);
- leaving the enterprise's hands (提交申请 / 重新提交) checks the window, the commitment and the
  values, and evaluates: the evaluation rows, overall result, rule version and 企业认定状态 are set by
  the server only (`utils.server_set`), never taken from a client;
- reviewers write the review comment and move the Workflow; they do not change what was declared.

The portal functions further down only find the document, apply the form's values and save it.
"""

import json

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, now_datetime

from gz_innovation.cultivation import application_report as report
from gz_innovation.cultivation import categories, eligibility, evaluation, states
from gz_innovation.cultivation import fields as submission_fields
from gz_innovation.enterprise import validation as enterprise_validation
from gz_innovation.enterprise.membership import enterprise_of, is_admin_of
from gz_innovation.enterprise.roles import REVIEWER_ROLES
from gz_innovation.portal import depends
from gz_innovation.transactions import retry_on_deadlock
from gz_innovation.utils import (
	changed_fields,
	is_platform_admin,
	parse_number,
	refuse_client_changes,
	save_unless_changed_since,
	server_set,
	throw_for_field,
)

EDITABLE = states.EDITABLE
VIEWER_ROLE = "GZ Cultivation Viewer"  # staff who may read their enterprise's submissions
# 一、基本信息 as the manual lists it: the submission's own snapshot of the enterprise, prefilled from
# the Enterprise and changed here without changing the Enterprise (its master data changes on
# /enterprise-update or by the platform).
BASIC_FIELDS = (
	"enterprise_name",
	"industry",
	"ownership_type",
	"registration_date",
	"registered_capital",
	"annual_revenue",
	"rd_investment",
	"contact_person",
	"contact_phone",
	"contact_email",
	"address",
	"introduction",
	"main_products",
)
# Where each comes from on the Enterprise (and whose field rules apply: enterprise/validation.py).
ENTERPRISE_FIELD = {**{f: f for f in BASIC_FIELDS}, "rd_investment": "rd_expenditure"}
# Required before submitting, as the enterprise's certification requires them.
REQUIRED_BASIC = (
	"enterprise_name",
	"industry",
	"ownership_type",
	"registration_date",
	"registered_capital",
	"contact_person",
	"contact_phone",
	"address",
)
# The second 企业类型: the indicator category (cultivation/categories.py), required before submitting.
CATEGORY_FIELD = "indicator_category"
# Yearly figures of the basic information that the previous platform's figures may hold too.
YEARLY_AMOUNTS = ("annual_revenue", "rd_investment")
# Chosen when the draft is created, never changed afterwards.
IDENTITY_FIELDS = ("enterprise", "cultivation_type", "batch")
# Set by the server only: from the enterprise when the draft is created, by the evaluation at submit.
SERVER_FIELDS = (
	"rule_set",
	"rule_version",
	"overall_result",
	"recognition_status",
	"evaluation",
	"submitted_by",
	"uscc",
	"city",
	"county",
	"entered_figures",
	"submitted_form",
)
REVIEW_FIELDS = ("review_comment",)
# The numbers the enterprise has entered (JSON list of fieldnames): MariaDB stores an empty number as
# 0, so this tells a figure left empty (待填) from an entered 0. Absent on submissions made before it.
ENTERED_FIELD = "entered_figures"
NUMERIC_TYPES = submission_fields.NUMERIC_TYPES
# Custom fields (Customize Form) the form shows besides numbers and yes/no answers.
CUSTOM_FORM_TYPES = (*NUMERIC_TYPES, "Check", "Select", "Data", "Small Text")


class SubmissionError(frappe.ValidationError):
	http_status_code = 417


def is_figure(df) -> bool:
	"""A number or a yes/no answer (a Check, or a 是/否 question)."""
	return df.fieldtype in (*NUMERIC_TYPES, "Check") or submission_fields.is_yes_no(df)


def indicator_fields(cultivation_type: str | None = None) -> list[str]:
	"""The indicator fields of a programme's form (二、限定性指标), in its order: the fields its
	Cultivation Type lists (Desk), or, when it lists none, every indicator field."""
	every = all_indicator_fields()
	chosen = [row.fieldname for row in programme_fields(cultivation_type)]
	return [f for f in chosen if f in every] if chosen else every


def programme(cultivation_type: str | None):
	"""The programme (Cultivation Type) from Frappe's document cache, or None: read on every form
	request, without a query of its own (the cache is dropped when the programme is saved)."""
	if not cultivation_type:
		return None
	try:
		return frappe.get_cached_doc("Cultivation Type", cultivation_type)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return None


def programme_fields(cultivation_type: str | None) -> list:
	"""The rows of a programme's form (fieldname, group_label), as an administrator lists them."""
	doc = programme(cultivation_type)
	return list(doc.get("form_fields") or []) if doc else []


def current_form(cultivation_type: str | None) -> list[list]:
	"""The programme's indicator form now: [[fieldname, heading or None], ...]."""
	groups = {row.fieldname: row.group_label or None for row in programme_fields(cultivation_type)}
	return [[f, groups.get(f)] for f in indicator_fields(cultivation_type)]


def form_of(doc) -> list[list]:
	"""The indicator form a submission shows: while the enterprise holds it, its programme's form as
	it is now; once submitted, the form it was submitted with (fields since removed are left out)."""
	if not states.in_enterprise_hands(doc.status) and doc.get("submitted_form"):
		try:
			kept = json.loads(doc.submitted_form)
		except ValueError:
			kept = None
		if isinstance(kept, list):
			meta = frappe.get_meta("Cultivation Submission")
			return [row for row in kept if isinstance(row, list) and len(row) == 2 and meta.has_field(row[0])]
	return current_form(doc.cultivation_type)


def all_indicator_fields() -> list[str]:
	"""Every field an indicator form may show: the numbers and yes/no answers of the indicator section,
	and the custom fields added with Customize Form (numbers, yes/no, select and text), which rules
	may use."""
	meta = frappe.get_meta("Cultivation Submission")
	start = False
	fields = []
	for df in meta.fields:
		if df.fieldname == "indicators_section":
			start = True
			continue
		if df.fieldname == "commitment_section":
			break
		if start and is_figure(df):
			fields.append(df.fieldname)
	for df in meta.fields:
		if (
			df.get("is_custom_field")
			and df.fieldtype in CUSTOM_FORM_TYPES
			and not (df.read_only or df.hidden)
			and df.fieldname not in fields
			and df.fieldname not in BASIC_FIELDS
		):
			fields.append(df.fieldname)
	return fields


def figure_fields() -> list[str]:
	"""The figures of a year the previous platform's export may hold (legacy import and prefill)."""
	meta = frappe.get_meta("Cultivation Submission")
	return [f for f in all_indicator_fields() if is_figure(meta.get_field(f))] + list(YEARLY_AMOUNTS)


def declared_fields(cultivation_type: str | None = None) -> list[str]:
	"""What the enterprise declares: basic information, the category, the programme's indicators, the
	commitment."""
	return [*BASIC_FIELDS, CATEGORY_FIELD, *indicator_fields(cultivation_type), "commitment"]


# --- the document's rules -------------------------------------------------------------------------


def validate(doc) -> None:
	"""Cultivation Submission.validate: every path runs this."""
	# Required fields are the programme's form's, checked when the application is submitted and named
	# in Chinese (validate_complete); a draft may be incomplete, and a field another programme asks
	# never stops this one. (The identity fields are checked when the draft is made: validate_new.)
	doc.flags.ignore_mandatory = True
	before = doc.get_doc_before_save()
	if before is None:
		validate_new(doc)
	else:
		refuse_client_changes(doc, IDENTITY_FIELDS + SERVER_FIELDS)
	validate_declared(doc, before)
	report.validate(doc, before)
	validate_review_fields(doc)
	if before is not None and leaves_enterprise(doc, before):
		validate_and_evaluate(doc, before)


def validate_new(doc) -> None:
	"""A new draft: made by the enterprise's admin for a type offered in an open batch."""
	refuse_client_changes(doc, SERVER_FIELDS)
	require_enterprise_admin(doc.enterprise)
	status, needs_update = frappe.db.get_value(
		"Enterprise", doc.enterprise, ["certification_status", "needs_update"]
	)
	if status != "已认证":
		frappe.throw(_("Your enterprise is not certified yet"), frappe.PermissionError)
	if cint(needs_update):
		frappe.throw(_("Please review and complete your enterprise information first"), SubmissionError)
	if not frappe.db.exists(
		"Cultivation Batch Type", {"parent": doc.batch, "cultivation_type": doc.cultivation_type}
	):
		frappe.throw(_("{0} is not offered in {1}").format(doc.cultivation_type, doc.batch), SubmissionError)
	require_open(doc.batch)
	eligibility.check(doc)
	if doc.status not in (None, "", states.DRAFT):
		frappe.throw(_("A new submission starts as a draft"), SubmissionError)
	uscc, city, county = frappe.db.get_value("Enterprise", doc.enterprise, ["uscc", "city", "county"])
	server_set(
		doc,
		rule_set=rule_set_of(doc.cultivation_type, doc.batch),
		uscc=uscc,
		city=city,
		county=county,
	)


def require_enterprise_admin(enterprise: str) -> None:
	"""Only the admin of the submission's enterprise acts for it (manual §1.7)."""
	own = own_enterprise()
	if own != enterprise:
		frappe.throw(_("This submission belongs to another enterprise"), frappe.PermissionError)
	require_admin_of(enterprise)


def own_enterprise() -> str:
	"""The enterprise the current user belongs to, else a clear refusal."""
	own = enterprise_of(frappe.session.user)
	if not own:
		frappe.throw(
			_("Only an enterprise admin can submit indicators; certify your enterprise first"),
			frappe.PermissionError,
		)
	return own


def require_admin_of(enterprise: str) -> None:
	if not is_admin_of(enterprise, frappe.session.user):
		frappe.throw(
			_("Only the enterprise admin can submit indicators (manual §1.7)"), frappe.PermissionError
		)


def validate_declared(doc, before) -> None:
	"""Declared values change only in the enterprise's hands, by its admin, with valid values."""
	changed = set(changed_fields(doc, declared_fields()))  # every field any programme declares
	if changed:
		if before is not None and not states.in_enterprise_hands(before.status):
			frappe.throw(
				_("The submission is {0} and cannot be changed").format(before.status), SubmissionError
			)
		require_enterprise_admin(doc.enterprise)
		if before is not None and before.status == states.DRAFT:
			require_open(doc.batch)
	elif not (doc.flags.gz_given and (before is None or states.in_enterprise_hands(before.status))):
		return
	meta = frappe.get_meta("Cultivation Submission")
	entered = entered_figures(doc)
	# What the form sent counts too: a 0 typed into a number stored as 0 (left empty) changes nothing
	# in the row, but is now entered.
	for fieldname in changed | (doc.flags.gz_given or set()):
		df = meta.get_field(fieldname)
		value = parse_value(df, doc.get(fieldname))
		doc.set(fieldname, value)
		if df.fieldtype in NUMERIC_TYPES:
			(entered.discard if value is None else entered.add)(fieldname)
	server_set(doc, **{ENTERED_FIELD: json.dumps(sorted(entered))})


def entered_figures(doc) -> set[str]:
	"""The numbers of `doc` the enterprise has entered. A submission made before this was recorded
	counts every number it holds as entered."""
	recorded = doc.get(ENTERED_FIELD)
	if recorded:
		return set(json.loads(recorded))
	if doc.is_new():
		return set()  # a new draft: validate_declared adds what arrives
	meta = frappe.get_meta("Cultivation Submission")
	return {df.fieldname for df in meta.fields if df.fieldtype in NUMERIC_TYPES}


def as_entered(doc) -> dict:
	"""The submission's values with each number the enterprise left empty as None (not the 0 MariaDB
	stores): what the evaluation reads and the form shows."""
	values = doc.as_dict()
	entered = entered_figures(doc)
	meta = frappe.get_meta("Cultivation Submission")
	for fieldname in declared_fields():
		if meta.get_field(fieldname).fieldtype in NUMERIC_TYPES and fieldname not in entered:
			values[fieldname] = None
	return values


def parse_value(df, value):
	"""A declared value in its stored type; a bad one is refused naming its field."""
	value, problem = check_value(df, value)
	if problem:
		fail(df.fieldname, _("{0}: {1}").format(_(df.label), problem))
	return value


def check_value(df, value) -> tuple:
	"""(the value in its stored type, None) or (None, what is wrong with it): numbers through the one
	numeric check (utils.parse_number), the basic information through the enterprise's field rules."""
	if value in (None, ""):
		return None, None
	if df.fieldtype in NUMERIC_TYPES:
		return parse_number(value, whole=df.fieldtype == "Int")
	if df.fieldtype == "Check":
		return (1 if cint(value) else 0), None
	if submission_fields.is_yes_no(df):
		number = submission_fields.yes_no_number(value)
		if number is None:
			return None, _("choose 是 or 否")
		return (submission_fields.YES if number else submission_fields.NO), None
	text = str(value).strip()
	if df.length and len(text) > df.length:
		return None, _("at most {0} characters").format(df.length)
	if df.fieldtype == "Select" and text not in (df.options or "").split("\n"):
		return None, _("choose one of the listed options")
	if df.fieldname == CATEGORY_FIELD and not categories.is_offered(text):
		return None, _("{0} is not offered, please choose one of the list").format(text)
	if df.fieldname in ENTERPRISE_FIELD:
		problem = enterprise_validation.problem_of(ENTERPRISE_FIELD[df.fieldname], text)
		if problem:
			return None, problem
	return text, None


def validate_review_fields(doc) -> None:
	"""The review comment is the reviewers' (or the platform administrators')."""
	if changed_fields(doc, REVIEW_FIELDS) and not (
		set(REVIEWER_ROLES) & set(frappe.get_roles()) or is_platform_admin()
	):
		frappe.throw(_("Only reviewers write the review comment"), frappe.PermissionError)


def leaves_enterprise(doc, before) -> bool:
	return states.in_enterprise_hands(before.status) and not states.in_enterprise_hands(doc.status)


def validate_and_evaluate(doc, before) -> None:
	"""提交申请 / 重新提交 by any path: who, when, the commitment, the values, then the evaluation.
	A returned submission may be resubmitted after the batch closed: the reviewer reopened it."""
	require_enterprise_admin(doc.enterprise)
	status, needs_update = frappe.db.get_value(
		"Enterprise", doc.enterprise, ["certification_status", "needs_update"]
	)
	if status != "已认证":
		frappe.throw(_("Your enterprise is not certified yet"), frappe.PermissionError)
	if cint(needs_update):
		frappe.throw(_("Please review and complete your enterprise information first"), SubmissionError)
	if before.status == states.DRAFT:
		require_open(doc.batch)
	validate_complete(doc)
	report.check_complete(doc)
	if not cint(doc.commitment):
		fail("commitment", _("Please read and tick the authenticity commitment (《真实性承诺说明》)"))
	result = evaluation.evaluate(evaluation.get_rule_set(doc.rule_set), as_entered(doc))
	missing = list(dict.fromkeys(f for row in result.rows for f in row.missing))
	if missing:
		fail(
			missing[0],
			_("Please fill in: {0}").format("、".join(evaluation.short_label(f) for f in missing)),
		)
	broken = [row for row in result.rows if row.error == "division_by_zero"]
	if broken:
		frappe.throw(broken[0].label + "：" + broken[0].explanation, SubmissionError)
	for check in frappe.get_hooks("gz_submission_checks"):  # recognition's gate (hooks.py)
		frappe.get_attr(check)(doc)
	store_result(doc, result)
	server_set(
		doc,
		submitted_by=frappe.session.user,
		submitted_form=json.dumps(current_form(doc.cultivation_type), ensure_ascii=False),
	)


def validate_complete(doc) -> None:
	"""Before submitting: the basic information the certification requires, and a category that is
	still offered (one an administrator disabled must be chosen again)."""
	meta = frappe.get_meta("Cultivation Submission")
	for fieldname in REQUIRED_BASIC:
		if doc.get(fieldname) in (None, ""):
			fail(fieldname, _("{0}: {1}").format(_(meta.get_label(fieldname)), _("required")))
	values = as_entered(doc)
	for fieldname, _group in current_form(doc.cultivation_type):
		if depends.is_required(meta.get_field(fieldname), values) and values.get(fieldname) in (None, ""):
			fail(fieldname, _("{0}: {1}").format(_(meta.get_label(fieldname)), _("required")))
	category = doc.get(CATEGORY_FIELD)
	label = _(meta.get_label(CATEGORY_FIELD))
	if not category:
		fail(CATEGORY_FIELD, _("{0}: {1}").format(label, _("please choose one")))
	if not categories.is_offered(category):
		fail(
			CATEGORY_FIELD,
			_("{0}: {1} is no longer offered, please choose again").format(label, category),
		)


def store_result(doc, result) -> None:
	server_set(
		doc,
		evaluation=[
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
		overall_result=result.overall,
		rule_version=result.version,
		recognition_status=states.recognition_status(result.overall, doc.status),
	)


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


def fail(fieldname: str, message: str) -> None:
	throw_for_field(fieldname, message, SubmissionError)


# --- the portal: find the document, apply the form's values, save -------------------------------


def admin_enterprise() -> str:
	"""The certified enterprise whose admin is the current user, else a clear refusal."""
	enterprise = own_enterprise()
	require_admin_of(enterprise)
	return enterprise


def open_draft(cultivation_type: str, batch: str):
	"""The enterprise's live submission for this type and batch, created as a draft if none."""
	enterprise = admin_enterprise()
	name = frappe.db.get_value(
		"Cultivation Submission",
		{"enterprise": enterprise, "cultivation_type": cultivation_type, "batch": batch},
	)
	if name:
		return frappe.get_doc("Cultivation Submission", name)
	doc = frappe.get_doc(
		{
			"doctype": "Cultivation Submission",
			"enterprise": enterprise,
			"cultivation_type": cultivation_type,
			"batch": batch,
			**prefill(enterprise, cultivation_type),
		}
	)
	doc.insert(ignore_permissions=True)  # the document's own rules decide (validate above)
	return doc


def prefill(enterprise: str, cultivation_type: str | None = None) -> dict:
	"""A new draft's values: the basic information from the Enterprise (its revenue and R&D also as
	the first indicators), then, for the enterprise's first draft, what other modules add (the
	previous platform's last figures, manual §1.7), and for a recognition programme the figures of
	the enterprise's 培育完成 submission. A value the form's rules would refuse is left out for the
	enterprise to fill in, rather than blocking the form."""
	source = frappe.db.get_value("Enterprise", enterprise, list(set(ENTERPRISE_FIELD.values())), as_dict=True)
	values = {field: source.get(origin) for field, origin in ENTERPRISE_FIELD.items()}
	values.update(revenue=source.annual_revenue, rd_expenditure=source.rd_expenditure)
	if not frappe.db.exists("Cultivation Submission", {"enterprise": enterprise}):
		for method in frappe.get_hooks("gz_first_draft_prefill"):
			values.update(frappe.get_attr(method)(enterprise, figure_fields()) or {})
	for fieldname, value in eligibility.prefill(
		enterprise, cultivation_type, indicator_fields(cultivation_type)
	).items():
		if values.get(fieldname) in (None, ""):  # the Enterprise's figures are the newer
			values[fieldname] = value
	meta = frappe.get_meta("Cultivation Submission")
	kept = {}
	for fieldname, value in values.items():
		checked, problem = check_value(meta.get_field(fieldname), value)
		if checked is not None and not problem:
			kept[fieldname] = checked
	return kept


def readable_submission(name: str):
	"""申报详情: the enterprise's admin, and staff with the viewer role (as every other path says)."""
	doc = frappe.get_doc("Cultivation Submission", name)
	if not doc.has_permission("read"):
		if enterprise_of(frappe.session.user) != doc.enterprise:
			frappe.throw(_("This submission belongs to another enterprise"), frappe.PermissionError)
		frappe.throw(
			_("Your enterprise admin has not given you access to cultivation submissions"),
			frappe.PermissionError,
		)
	return doc


def apply_values(doc, values: dict) -> None:
	"""The form's values; the form changes only what the enterprise declares (with the report's
	sections under "report": {title: content})."""
	values = dict(values)
	sent_report = values.pop("report", None)
	allowed = set(declared_fields(doc.cultivation_type))  # the programme's form, not every field
	unknown = set(values) - allowed
	if unknown:
		frappe.throw(
			_("These fields cannot be changed here: {0}").format(", ".join(sorted(unknown))), SubmissionError
		)
	if values.get(CATEGORY_FIELD):
		# Frappe checks that a link exists before the document's rules run, in words of its own: the
		# form hears it in the rules' words and next to the field.
		parse_value(
			frappe.get_meta("Cultivation Submission").get_field(CATEGORY_FIELD), values[CATEGORY_FIELD]
		)
	doc.update({fieldname: (None if value == "" else value) for fieldname, value in values.items()})
	doc.flags.gz_given = set(values)  # what the form sent, changed in the row or not (validate_declared)
	if sent_report is not None:
		report.apply(doc, sent_report)


def save_draft(name: str, values: dict, modified: str | None = None):
	"""暂时保存 and the form's autosave. `modified`: the version the form holds; a save from an older
	copy (another tab saved since, or the submission was submitted) is refused, not applied."""
	doc = frappe.get_doc("Cultivation Submission", name)
	# The document says so too; here first, so another enterprise's submission tells nothing of itself.
	require_enterprise_admin(doc.enterprise)
	apply_values(doc, values or {})
	doc.flags.ignore_permissions = True  # the document's own rules decide
	save_unless_changed_since(doc, modified)
	return doc


def precheck(cultivation_type: str, batch: str, values: dict) -> dict:
	"""The live evaluation while the form is filled; saves nothing. Only the values the rules read
	are checked, so a half-typed e-mail address does not interrupt it."""
	enterprise = admin_enterprise()
	meta = frappe.get_meta("Cultivation Submission")
	rule_set = evaluation.get_rule_set(rule_set_of(cultivation_type, batch))
	read = set(declared_fields(cultivation_type)) & rule_set.fields
	parsed = {
		fieldname: parse_value(meta.get_field(fieldname), value)
		for fieldname, value in (values or {}).items()
		if fieldname in read
	}
	result = as_result(evaluation.evaluate(rule_set, parsed))
	for extra in frappe.get_hooks("gz_precheck_extras"):  # recognition's self-score (hooks.py)
		result.update(frappe.get_attr(extra)(cultivation_type, batch, values or {}, enterprise))
	return result


def as_result(result) -> dict:
	return {
		"rows": [row.__dict__ for row in result.rows],
		"overall": result.overall or evaluation.TO_FILL,
		"version": result.version,
	}


def submit(name: str, values: dict | None = None, modified: str | None = None):
	"""提交申请 / 重新提交: the form's last values, the evaluation and the Workflow step, saved once
	(and only if the form's version `modified` is the stored one)."""
	from gz_innovation.cultivation.review import apply_action

	doc = frappe.get_doc("Cultivation Submission", name)
	require_enterprise_admin(doc.enterprise)  # the document says so too; here for the clearer message
	if not states.in_enterprise_hands(doc.status):
		frappe.throw(
			_("The submission is {0} and cannot be submitted again").format(doc.status), SubmissionError
		)
	apply_values(doc, values or {})
	action = "提交申请" if doc.status == states.DRAFT else "重新提交"
	save_unless_changed_since(doc, modified, lambda: apply_action(doc, action))
	return doc


def submit_with_retry(name: str, values: dict | None = None, modified: str | None = None):
	"""submit(), done again when MariaDB picks it as a deadlock victim: on deadline day many
	enterprises submit at once, and Frappe's workflow bookkeeping can lock the same index pages."""
	return retry_on_deadlock(submit, name, values, modified)
