"""The expert pool (专家库) and the random draw (专家抽取) with avoidance (回避).

回避 is computed before every draw, from the expert's record, never by hand:
- 任职回避: the expert works or worked for the applicant (by its USCC, else its exact name) within
  the draw's avoidance period (财库〔2016〕198号 §16: employment or directorship within 3 years);
- 声明的利害关系: a relation the expert declared with the applicant (close relatives, shares, advice).
Every avoided expert is written into the draw with the rule that avoided them.

The draw is stratified by industry: each stratum draws its experts and reserves from the enabled
experts of that industry left after avoidance; an expert drawn in one stratum is not drawn again. A
stratum with too few experts stops the draw and names itself: it never draws fewer. The seed, the
candidates of each stratum (in the order read), the avoided and the result are recorded and hashed;
`reproduce` replays the draw from the record alone, and a second administrator countersigns it."""

import hashlib
import json
import random
import secrets

import frappe
from frappe import _
from frappe.utils import add_years, getdate, now_datetime

from gz_innovation.enterprise import validation as enterprise_validation
from gz_innovation.utils import changed_fields

PENDING = "待抽取"
DRAWN = "已抽取"
COUNTERSIGNED = "已复核"
PANEL = "评审专家"
RESERVE = "备选专家"
EMPLOYMENT = "任职回避"
DECLARED = "声明的利害关系"

# What the draw writes; nobody else may (a client sending them is refused).
RESULT_FIELDS = (
	"seed",
	"drawn_by",
	"drawn_at",
	"record_hash",
	"countersigned_by",
	"countersigned_at",
	"candidates",
	"results_released_at",
	"released_by",
)
RESULT_TABLES = ("members", "exclusions")
# What a drawn record keeps as drawn.
DRAWN_FIELDS = (
	"enterprise",
	"uscc",
	"avoidance_years",
	"reference_doctype",
	"reference_name",
	"scheme",
	"status",
)


class ExpertError(frappe.ValidationError):
	http_status_code = 417


class TooFewExperts(Exception):
	def __init__(self, stratum: dict, available: int):
		super().__init__(stratum["industry"])
		self.stratum, self.available = stratum, available


def fail(message: str, title: str | None = None) -> None:
	frappe.throw(message, ExpertError, title=title or _("Expert Draw"))


# --- the expert's record ---------------------------------------------------------------------------


def validate_expert(doc) -> None:
	"""GZ Expert: a USCC that passes its checksum, dates in order, a mobile of 11 digits, each industry
	once. A wrong USCC would silently defeat avoidance."""
	label = frappe.get_meta("GZ Expert").get_label
	if doc.mobile:
		problem = enterprise_validation.problem_of("legal_person_mobile", doc.mobile)
		if problem:
			frappe.throw(_("{0}: {1}").format(_(label("mobile")), problem), ExpertError, title=_("Expert"))
	seen = set()
	for row in doc.get("industries") or []:
		if row.industry in seen:
			frappe.throw(_("Industries: {0} is listed twice").format(row.industry), ExpertError)
		seen.add(row.industry)
	for table, title in (("employers", _("Employers")), ("relations", _("Declared Relations"))):
		for row in doc.get(table) or []:
			row.uscc = (row.uscc or "").strip().upper() or None
			if row.uscc:
				problem = enterprise_validation.problem_of("uscc", row.uscc)
				if problem:
					frappe.throw(
						_("{0}, row {1}: {2}: {3}").format(
							title, row.idx, _("Unified Social Credit Code"), problem
						),
						ExpertError,
						title=_("Expert"),
					)
			if table == "employers" and row.from_date and row.to_date:
				if getdate(row.to_date) < getdate(row.from_date):
					frappe.throw(
						_("{0}, row {1}: {2} is before {3}").format(
							title, row.idx, _(label_of_row("to_date")), _(label_of_row("from_date"))
						),
						ExpertError,
						title=_("Expert"),
					)


def label_of_row(fieldname: str) -> str:
	return frappe.get_meta("GZ Expert Employer").get_label(fieldname)


# --- avoidance -------------------------------------------------------------------------------------


def same_enterprise(row, uscc: str | None, name: str | None) -> bool:
	if row.uscc and uscc:
		return row.uscc.strip().upper() == uscc.strip().upper()
	return (
		bool(name) and (row.get("employer_name") or row.get("enterprise_name") or "").strip() == name.strip()
	)


def avoidance(expert, uscc: str | None, enterprise_name: str | None, years: int, on) -> list[tuple[str, str]]:
	"""Why the expert must not review the applicant: [(rule, detail)], empty when nothing applies."""
	since = getdate(add_years(on, -int(years)))
	reasons = []
	for row in expert.get("employers") or []:
		if not same_enterprise(row, uscc, enterprise_name):
			continue
		if row.to_date and getdate(row.to_date) < since:
			continue
		period = _("{0} to {1}").format(row.from_date or "?", row.to_date or _("the present"))
		reasons.append(
			(
				EMPLOYMENT,
				_("{0} at {1}, {2}").format(row.position or _("Employed"), row.employer_name, period),
			)
		)
	for row in expert.get("relations") or []:
		if same_enterprise(row, uscc, enterprise_name):
			detail = _("{0} with {1}").format(row.relation, row.enterprise_name)
			reasons.append((DECLARED, detail + (f"（{row.note}）" if row.note else "")))
	return reasons


def experts_of(industry: str) -> list[str]:
	"""The enabled experts of an industry, in a fixed order (their names)."""
	return frappe.get_all(
		"GZ Expert",
		filters={"enabled": 1, "name": ("in", experts_in_industry(industry))},
		pluck="name",
		order_by="name asc",
	)


def experts_in_industry(industry: str) -> list[str]:
	return frappe.get_all(
		"GZ Expert Industry", filters={"industry": industry, "parenttype": "GZ Expert"}, pluck="parent"
	) or [""]


# --- the draw --------------------------------------------------------------------------------------


def pick(seed: str, strata: list[dict], candidates: dict[str, list[str]]) -> list[dict]:
	"""The draw itself, from the record alone: for each stratum in order, a sample of its candidates
	not drawn before, with a generator seeded by the record's seed. The first ones are the experts,
	the rest reserves."""
	generator = random.Random(seed)
	drawn, members = set(), []
	for stratum in strata:
		pool = [name for name in candidates[stratum["industry"]] if name not in drawn]
		wanted = stratum["panel_size"] + stratum["reserve_size"]
		if len(pool) < wanted:
			raise TooFewExperts(stratum, len(pool))
		chosen = generator.sample(pool, wanted)
		for index, name in enumerate(chosen):
			members.append(
				{
					"expert": name,
					"industry": stratum["industry"],
					"member_role": PANEL if index < stratum["panel_size"] else RESERVE,
					"draw_order": len(members) + 1,
				}
			)
		drawn.update(chosen)
	return members


def strata_of(doc) -> list[dict]:
	return [
		{
			"industry": row.industry,
			"panel_size": int(row.panel_size or 0),
			"reserve_size": int(row.reserve_size or 0),
		}
		for row in doc.strata
	]


def record_of(doc) -> dict:
	"""Everything the draw's result depends on and is: what the hash seals."""
	return {
		"draw": doc.name,
		"enterprise": doc.enterprise,
		"uscc": doc.uscc,
		"reference": [doc.reference_doctype, doc.reference_name],
		"avoidance_years": int(doc.avoidance_years or 0),
		"seed": doc.seed,
		"drawn_by": doc.drawn_by,
		"drawn_at": str(doc.drawn_at),
		"strata": strata_of(doc),
		"candidates": json.loads(doc.candidates or "{}"),
		"excluded": [[row.expert, row.rule, row.detail] for row in doc.exclusions],
		"members": [[row.expert, row.industry, row.member_role, int(row.draw_order)] for row in doc.members],
	}


def seal(doc) -> str:
	text = json.dumps(record_of(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
	return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_strata(doc) -> None:
	seen = set()
	for row in doc.strata:
		where = _("Strata, row {0} ({1})").format(row.idx, row.industry or "-")
		if row.industry in seen:
			fail(_("{0}: the industry is listed twice").format(where))
		seen.add(row.industry)
		if int(row.panel_size or 0) < 1:
			fail(_("{0}: {1} must be at least 1").format(where, _("Experts")))
		if int(row.reserve_size or 0) < 0:
			fail(_("{0}: {1} cannot be negative").format(where, _("Reserves")))
	if int(doc.avoidance_years or 0) < 0:
		fail(_("{0} cannot be negative").format(_("Avoidance Period (Years)")))


def draw(doc) -> None:
	"""Draw the experts of a pending draw, record and seal it. Stops, naming the stratum, when a
	stratum has too few eligible experts."""
	if doc.status != PENDING:
		fail(_("This draw was made on {0}; it cannot be drawn again").format(doc.drawn_at))
	validate_strata(doc)
	on = now_datetime()
	candidates, exclusions, avoided = {}, [], set()
	for row in doc.strata:
		eligible = []
		for name in experts_of(row.industry):
			reasons = avoidance(
				frappe.get_doc("GZ Expert", name), doc.uscc, doc.enterprise_name, doc.avoidance_years, on
			)
			if not reasons:
				eligible.append(name)
			elif name not in avoided:
				avoided.add(name)
				exclusions.extend(
					{"expert": name, "rule": rule, "detail": detail} for rule, detail in reasons
				)
		candidates[row.industry] = eligible
	for row in doc.strata:
		row.eligible = len(candidates[row.industry])
	doc.seed = secrets.token_hex(16)
	doc.candidates = json.dumps(candidates, ensure_ascii=False)
	try:
		members = pick(doc.seed, strata_of(doc), candidates)
	except TooFewExperts as e:
		fail(
			_(
				"Too few experts in {0}: the draw needs {1} ({2} experts and {3} reserves), {4} are eligible after avoidance and the strata before it; add experts of this industry or change the stratum"
			).format(
				e.stratum["industry"],
				e.stratum["panel_size"] + e.stratum["reserve_size"],
				e.stratum["panel_size"],
				e.stratum["reserve_size"],
				e.available,
			),
			title=_("Strata"),
		)
	doc.set("members", members)
	doc.set("exclusions", exclusions)
	doc.drawn_by = frappe.session.user
	doc.drawn_at = on
	doc.status = DRAWN
	doc.record_hash = seal(doc)
	doc.flags.drawing = True
	doc.save()


def reproduce(doc) -> dict:
	"""Replay the draw from its record: the same seed and candidates give the same experts, and the
	record still matches its hash."""
	try:
		replayed = pick(doc.seed, strata_of(doc), json.loads(doc.candidates or "{}"))
	except (TooFewExperts, KeyError):
		replayed = None
	recorded = [
		{
			"expert": r.expert,
			"industry": r.industry,
			"member_role": r.member_role,
			"draw_order": int(r.draw_order),
		}
		for r in doc.members
	]
	return {"same_result": replayed == recorded, "hash_matches": seal(doc) == doc.record_hash}


def countersign(doc) -> None:
	"""A second administrator, not the one who drew, confirms the draw after checking its record."""
	if doc.status != DRAWN:
		fail(_("Only a drawn record can be countersigned"))
	if frappe.session.user == doc.drawn_by:
		fail(_("The draw must be countersigned by another administrator than the one who drew it"))
	check = reproduce(doc)
	if not (check["same_result"] and check["hash_matches"]):
		fail(_("The record no longer matches its draw; it cannot be countersigned"))
	doc.countersigned_by = frappe.session.user
	doc.countersigned_at = now_datetime()
	doc.status = COUNTERSIGNED
	doc.flags.drawing = True
	doc.save()


def validate_draw(doc) -> None:
	"""GZ Expert Draw (validate): only the draw writes its result, and a drawn record stays as drawn."""
	validate_strata(doc)
	if doc.flags.drawing:
		return
	before = doc.get_doc_before_save()
	if before is None:
		if changed_fields(doc, (*RESULT_FIELDS, *RESULT_TABLES, "status")):
			fail(_("The result of a draw is written by the draw only"))
		doc.status = PENDING
		return
	watched = (*RESULT_FIELDS, *RESULT_TABLES, "status")
	if before.status != PENDING:
		watched += (*DRAWN_FIELDS, "strata")
	changed = changed_fields(doc, watched)
	if changed:
		fail(
			_("A drawn record cannot be changed ({0}); make a new draw with a recorded reason").format(
				"、".join(_(doc.meta.get_label(f)) for f in dict.fromkeys(changed))
			)
		)
