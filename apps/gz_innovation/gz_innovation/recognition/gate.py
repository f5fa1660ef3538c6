"""The self-score of an application whose programme and batch have a scoring scheme: shown live
beside the form while the enterprise fills it, and a gate at submission (Jiangsu: ≥ 65 to submit).

Cultivation calls these through the app's named hooks (hooks.py: gz_precheck_extras,
gz_submission_checks), so it never imports recognition."""

import frappe

from gz_innovation.cultivation import submission
from gz_innovation.recognition import scoring


def self_score(cultivation_type: str, batch: str, values: dict, enterprise: str) -> dict | None:
	"""What the figures score under the programme's scheme, line by line, with what would raise it;
	None when no scheme scores the programme in this batch."""
	name = scoring.scheme_for(cultivation_type, batch)
	if not name:
		return None
	scheme = scoring.get_scheme(name)
	meta = frappe.get_meta("Cultivation Submission")
	read = {f for indicator in scheme.indicators for f in indicator.fields}
	parsed = {
		fieldname: submission.parse_value(meta.get_field(fieldname), value)
		for fieldname, value in (values or {}).items()
		if fieldname in read
	}
	result = scoring.score(scheme, parsed, frappe.db.get_value("Enterprise", enterprise, "industry"))
	return {**result.as_dict(), "reasons": scoring.gate_reasons(result)}


def precheck_extras(cultivation_type: str, batch: str, values: dict, enterprise: str) -> dict:
	"""gz_precheck_extras: the self-score beside the live pre-check (`enterprise`: the caller's, whose
	admin the pre-check has checked)."""
	return {"self_score": self_score(cultivation_type, batch, values, enterprise)}


def check_submission(doc) -> None:
	"""gz_submission_checks: below the gate, submitting is refused with the reasons."""
	name = scoring.scheme_for(doc.cultivation_type, doc.batch)
	if not name:
		return
	industry = frappe.db.get_value("Enterprise", doc.enterprise, "industry")
	scoring.check_gate(scoring.score(scoring.get_scheme(name), submission.as_entered(doc), industry))
