"""Who may apply to a programme (申报条件). A recognition programme (认定, Cultivation Type
"Only Enterprises That Completed Cultivation") is open to enterprises with a cultivation submission in
培育完成; a batch may open it to every certified enterprise as well (Cultivation Batch "Direct
Application Allowed"). Both are records an administrator keeps in Desk.

The rule is the document's: a new Cultivation Submission is refused on every path (the portal, Desk,
REST) when the enterprise may not apply; 创新平台管理中心 says why before anyone clicks. A recognition
draft starts from the enterprise's latest 培育完成 submission, for the figures both forms ask."""

import frappe
from frappe import _

from gz_innovation.cultivation import states

DOCTYPE = "Cultivation Submission"
DIRECT_DOCTYPE = "Cultivation Batch Direct Type"


class EligibilityError(frappe.ValidationError):
	http_status_code = 417


def requires_cultivation(cultivation_type: str | None) -> bool:
	return bool(
		cultivation_type
		and frappe.get_cached_value("Cultivation Type", cultivation_type, "requires_cultivation")
	)


def direct_allowed(batch: str, cultivation_type: str) -> bool:
	return bool(
		frappe.db.exists(
			DIRECT_DOCTYPE,
			{"parent": batch, "parenttype": "Cultivation Batch", "cultivation_type": cultivation_type},
		)
	)


def completed_submission(enterprise: str) -> str | None:
	"""The enterprise's latest submission in 培育完成 (of a cultivation programme)."""
	return frappe.db.get_value(
		DOCTYPE, {"enterprise": enterprise, "status": states.CULTIVATED}, "name", order_by="modified desc"
	)


def refusal(enterprise: str | None, cultivation_type: str, batch: str) -> str | None:
	"""Why this enterprise may not apply to the programme in this batch, or None."""
	if not requires_cultivation(cultivation_type) or direct_allowed(batch, cultivation_type):
		return None
	if enterprise and completed_submission(enterprise):
		return None
	return not_completed()


def check(doc) -> None:
	"""Cultivation Submission, a new draft (submission.validate_new)."""
	reason = refusal(doc.enterprise, doc.cultivation_type, doc.batch)
	if reason:
		frappe.throw(
			_("{0}: {1}").format(doc.cultivation_type, reason), EligibilityError, title=_("Who May Apply")
		)


def mark_closed(enterprise: str | None, listed: list[dict]) -> None:
	"""创新平台管理中心: each listed batch's `closed_types`, the types this enterprise may not apply
	to there, with the reason. Read from the cached batch list (batches.all_batches), with at most one
	query per request: whether the enterprise completed a cultivation."""
	completed = None
	for batch in listed:
		batch["closed_types"] = {}
		ready, direct = set(batch.get("ready_types") or ()), set(batch.get("direct_types") or ())
		pending = [t for t in batch.get("cultivated_types") or () if t in ready and t not in direct]
		if not pending:
			continue
		if completed is None:
			completed = bool(enterprise and completed_submission(enterprise))
		if not completed:
			batch["closed_types"] = {t: not_completed() for t in pending}


def not_completed() -> str:
	return _(
		"only enterprises whose cultivation is {0} may apply; this batch accepts no direct applications"
	).format(_(states.CULTIVATED))


def prefill(enterprise: str, cultivation_type: str, asked: list[str]) -> dict:
	"""A recognition draft's figures from the enterprise's latest 培育完成 submission: those its form
	asks (the basic information comes from the Enterprise, as for every draft)."""
	if not requires_cultivation(cultivation_type):
		return {}
	source = completed_submission(enterprise)
	if not source:
		return {}
	values = frappe.db.get_value(DOCTYPE, source, asked, as_dict=True) or {}
	return {field: value for field, value in values.items() if value not in (None, "")}


def check_batch(batch) -> None:
	"""Cultivation Batch (validate): direct application opens a programme the batch offers and that
	otherwise needs 培育完成."""
	offered = {row.cultivation_type for row in batch.get("types") or []}
	label = _(batch.meta.get_label("direct_types"))
	for row in batch.get("direct_types") or []:
		if row.cultivation_type not in offered:
			frappe.throw(
				_("{0}: {1} is not offered in this batch").format(label, row.cultivation_type),
				EligibilityError,
				title=label,
			)
		if not requires_cultivation(row.cultivation_type):
			frappe.throw(
				_("{0}: {1} is open to every certified enterprise already").format(
					label, row.cultivation_type
				),
				EligibilityError,
				title=label,
			)
