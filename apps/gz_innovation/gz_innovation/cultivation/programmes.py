"""Programmes (Cultivation Type) as records an administrator keeps in Desk: which indicator fields the
portal's form shows, in which order and under which headings, and the commitment its applicants
accept. A programme offered in a batch needs a rule set for that batch (cultivation/batches.py offers
only such types); an administrator creates one in Desk, with no code and no migrate.

A programme that lists no fields shows every indicator field: the three default programmes and the
manual's example are exactly as before."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from gz_innovation.cultivation import commitment, submission


class ProgrammeError(frappe.ValidationError):
	http_status_code = 417


def validate(doc) -> None:
	"""Cultivation Type: each listed field exists on the indicator form, once; the commitment uses
	only known placeholders."""
	every = submission.all_indicator_fields()
	meta = frappe.get_meta("Cultivation Submission")
	seen = set()
	for row in doc.get("form_fields") or []:
		fieldname = (row.fieldname or "").strip()
		if fieldname not in every:
			frappe.throw(
				_("Form Fields, row {0}: {1} is not a field of the indicator form; use one of {2}").format(
					row.idx, fieldname, "、".join(every)
				),
				ProgrammeError,
				title=_("Form Fields"),
			)
		if fieldname in seen:
			frappe.throw(
				_("Form Fields, row {0}: {1} is listed twice").format(row.idx, fieldname),
				ProgrammeError,
				title=_("Form Fields"),
			)
		seen.add(fieldname)
		row.fieldname = fieldname
		row.field_label = _(meta.get_label(fieldname))
	commitment.check_placeholders(doc, ("commitment_body",))


def check_batch_types(batch) -> None:
	"""Cultivation Batch (validate): a programme is offered in a batch once it has the batch's rule set.
	A new batch has none yet (rule sets name their batch): the administrator is told which types wait
	for one. A type added to a batch that is open already must have its rule set first."""
	types = [row.cultivation_type for row in batch.get("types") or []]
	ready = set()
	if not batch.is_new():
		ready = set(
			frappe.get_all("Cultivation Rule Set", filters={"batch": batch.name}, pluck="cultivation_type")
		)
	missing = [t for t in types if t not in ready]
	if not missing:
		return
	before = batch.get_doc_before_save()
	offered_before = {row.cultivation_type for row in (before.get("types") if before else None) or []}
	added = [t for t in missing if t not in offered_before]
	now = now_datetime()
	is_open = bool(batch.opens_at and batch.closes_at) and (
		get_datetime(batch.opens_at) <= now <= get_datetime(batch.closes_at)
	)
	if before is not None and is_open and added:
		frappe.throw(
			_(
				"{0} has no rule set for this batch: create its rule set first, then offer it in the open batch"
			).format("、".join(added)),
			ProgrammeError,
			title=_("Types Offered"),
		)
	frappe.msgprint(
		_("Enterprises see {0} in this batch once it has a rule set for the batch.").format(
			"、".join(missing)
		),
		indicator="orange",
		alert=True,
	)


def check_rule_fields(rule_set, compiled) -> None:
	"""Cultivation Rule Set (validate): a rule of a programme that lists its form's fields reads only
	figures that form asks; any other would never be filled, and the rule never met."""
	if not submission.programme_fields(rule_set.cultivation_type):
		return
	asked = set(submission.declared_fields(rule_set.cultivation_type))
	meta = frappe.get_meta("Cultivation Submission")
	for rule in compiled.rules:
		outside = [name for name in rule.fields if name not in asked]
		if outside:
			frappe.throw(
				_(
					"Rule {0} ({1}): {2} is not on the form of {3}; add it to the programme's Form Fields first"
				).format(
					rule.seq,
					rule.label,
					"、".join(_(meta.get_label(name)) for name in outside),
					rule_set.cultivation_type,
				),
				ProgrammeError,
				title=_("Form Fields"),
			)
