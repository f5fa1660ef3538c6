"""Who acts next on a submission (申报详情 and 创新平台管理中心): who holds it now (企业 / 市州初审 /
省厅审核), since when (`stage_entered_at`, set by the server on every status change), the deadline the
enterprise must meet (the batch's closing time, while it holds a draft; the 市州初审 / 省厅审核
deadlines are the reviewers', shown to them in Desk, never to the enterprise as if it were late), and
what the enterprise must do now. A returned submission carries the reason and the
fields the reason names, so the form can pin it on top and mark them."""

import re

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from gz_innovation.cultivation import batches, evaluation, stages, states
from gz_innovation.utils import beijing_iso

# The review stages' keys come from their records (stages.all_stages: county, city, province, ...).
ENTERPRISE, CULTIVATION = "enterprise", "cultivation"


def holder_of(status: str | None) -> str | None:
	"""Who holds a submission in this status: the enterprise, a review stage (its key), the province
	during cultivation, or nobody."""
	if states.in_enterprise_hands(status):
		return ENTERPRISE
	return stages.stage_of(status) or (CULTIVATION if status == states.CULTIVATING else None)


UNIT = re.compile(r"\s*[(（][^)）]*[)）]\s*$")


def holder_label(holder: str | None) -> str:
	stage = stages.all_stages().get(holder or "")
	if stage:
		return _(stage["enterprise_label"])
	return {
		ENTERPRISE: _("Enterprise"),
		CULTIVATION: _("Province (cultivation period)"),
	}.get(holder, _("Nobody (finished)"))


def todo(status: str, closed: bool) -> str:
	"""What the enterprise must do now, in one sentence (a review stage's: as its record says)."""
	if status == states.DRAFT:
		if closed:
			return _("The batch has closed: this draft can no longer be changed or submitted.")
		return _(
			"Fill in the restrictive indicators, tick the authenticity commitment and submit before the batch closes."
		)
	if status == stages.SUBMITTED:
		first = stages.first_stage()
		if not first or first["scope"] == "市州":
			return _("Nothing for now: waiting for the city's acceptance (受理). You will be told by SMS.")
		return _("Nothing for now: waiting for acceptance (受理) by {0}. You will be told by SMS.").format(
			_(first["enterprise_label"])
		)
	stage = stages.all_stages().get(stages.stage_of(status) or "")
	if stage:
		return (
			_(stage["enterprise_todo"])
			if stage["enterprise_todo"]
			else _(
				"Nothing for now: the submission is being reviewed. You will be told by SMS if anything is needed."
			)
		)
	return {
		states.RETURNED: _("Revise what the reviewer asks for below and submit again."),
		states.CULTIVATING: _("Carry out the cultivation as the province requires."),
		states.CULTIVATED: _(
			"Cultivation is complete: you may apply for the innovation platform recognition."
		),
	}.get(status, "")


def batch_closed(batch: dict | None, now=None) -> bool:
	return bool(batch) and get_datetime(batch["closes_at"]) < (now or now_datetime())


def next_step(doc, now=None) -> dict:
	"""The who-acts-next of a submission (a document or a row with status, batch, stage_entered_at,
	creation)."""
	now = now or now_datetime()
	batch = batches.find(doc.batch)
	holder = holder_of(doc.status)
	closed = batch_closed(batch, now)
	# Only a deadline the enterprise must meet: its draft's (the batch's closing time).
	deadline_field = stages.deadline_field_of(doc.status) if holder == ENTERPRISE else None
	deadline = batch.get(deadline_field) if batch and deadline_field else None
	since = doc.get("stage_entered_at") or doc.get("creation")
	return {
		"holder": holder or "",
		"holder_label": holder_label(holder),
		"since": str(since)[:16] if since else "",
		"deadline": str(deadline)[:16] if deadline else "",
		"deadline_iso": beijing_iso(deadline) if deadline else "",
		"overdue": bool(deadline) and get_datetime(deadline) < now,
		"todo": todo(doc.status, closed),
		"closed": closed and doc.status == states.DRAFT,
		"batch_closes_at": str(batch["closes_at"])[:16] if batch else "",
	}


def concerned_fields(doc, fieldnames: list[str]) -> list[dict]:
	"""The fields a return reason names, by their label (without its unit) or by the label of a rule
	of the submission's rule set (e.g. 研发原值 → 企业技术开发费用原值)."""
	reason = (doc.get("review_comment") or "").strip()
	if not reason:
		return []
	meta = frappe.get_meta(doc.doctype)
	labels = {}
	for fieldname in fieldnames:
		df = meta.get_field(fieldname)
		labels[fieldname] = UNIT.sub("", _(df.label or "")) if df else ""
	# The longest label first, and what it matched is used up: 单位联系人电话 names the phone, not
	# also 单位联系人.
	found = {}
	rest = reason
	for fieldname, label in sorted(labels.items(), key=lambda item: -len(item[1])):
		if label and label in rest:
			found[fieldname] = label
			rest = rest.replace(label, "\0")
	found = {f: found[f] for f in fieldnames if f in found}  # in the form's order
	if doc.get("rule_set") and frappe.db.exists("Cultivation Rule Set", doc.rule_set):
		for rule in evaluation.get_rule_set(doc.rule_set).rules:
			if rule.label and rule.label in reason:
				for fieldname in rule.fields:
					if fieldname in fieldnames:
						found.setdefault(fieldname, rule.label)
	return [{"fieldname": f, "label": label} for f, label in found.items()]
