"""专家评审: what a drawn expert does with one application, all of it decided on the GZ Expert Review
document, so every path (the Desk form, REST, a script) obeys the same rules.

- A countersigned draw opens one review per drawn expert (not the reserves).
- The expert first declares their interests. Until they declare "no conflict" the review holds
  nothing of the application but the applicant's name: no figures, no scores. Experts have no
  permission on the applications themselves.
- A declared conflict closes the review (已回避) and opens one for the first reserve of the draw not
  yet used, recording whom it replaces: nobody picks the replacement by hand.
- Reviewing, the expert records for each figure a verified value (核定), never above the declared
  one, with a reason when it is cut, and a score for each qualitative item within its weight. The
  points of the figures are computed by the scheme, never typed.
- Submitted, the review is final. The panel's score aggregates the experts' totals by the scheme's
  rule; each expert's deviation from it is the calibration view."""

import math

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from gz_innovation.recognition import experts, scoring
from gz_innovation.utils import changed_cells, changed_fields, server_set

PENDING = "待声明"
REVIEWING = "评审中"
SUBMITTED = "已提交"
AVOIDED = "已回避"
NO_CONFLICT = "无利益冲突"
CONFLICT = "有利益冲突"
EXPERT_ROLE = "GZ Expert"
ADMIN_ROLE = "System Manager"

# Written by the server only: an expert sending them is refused.
SERVER_FIELDS = (
	"expert",
	"expert_user",
	"draw",
	"replaces",
	"enterprise",
	"enterprise_name",
	"industry",
	"reference_doctype",
	"reference_name",
	"status",
	"declared_at",
	"scheme",
	"scheme_version",
	"declared_total",
	"total",
	"submitted_at",
)
SERVER_LINE_FIELDS = (
	"indicator",
	"kind",
	"weight",
	"unit",
	"declared_value",
	"declared_points",
	"guidance",
)


class ReviewError(frappe.ValidationError):
	http_status_code = 417


def fail(message: str, title: str | None = None) -> None:
	frappe.throw(message, ReviewError, title=title or _("Expert Review"))


# --- opening reviews -------------------------------------------------------------------------------


def scheme_of(draw) -> str | None:
	if draw.scheme:
		return draw.scheme
	if draw.reference_doctype == "Cultivation Submission" and draw.reference_name:
		programme, batch = frappe.db.get_value(
			"Cultivation Submission", draw.reference_name, ["cultivation_type", "batch"]
		) or (None, None)
		return scoring.scheme_for(programme, batch) if programme else None
	return None


def open_reviews(draw) -> list[str]:
	"""A countersigned draw: a review for each drawn expert (Administrator's act, not the user's)."""
	scheme = scheme_of(draw)
	if not (draw.reference_doctype and draw.reference_name and scheme):
		frappe.msgprint(
			_("No review was opened: the draw names no application or no scoring scheme scores it"),
			indicator="orange",
			alert=True,
		)
		return []
	return [
		new_review(draw, member.expert, scheme)
		for member in draw.members
		if member.member_role == experts.PANEL
	]


def new_review(draw, expert: str, scheme: str, replaces: str | None = None) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "GZ Expert Review",
			"expert": expert,
			"expert_user": frappe.db.get_value("GZ Expert", expert, "user"),
			"draw": draw.name,
			"replaces": replaces,
			"enterprise": draw.enterprise,
			"enterprise_name": draw.enterprise_name,
			"reference_doctype": draw.reference_doctype,
			"reference_name": draw.reference_name,
			"scheme": scheme,
			"status": PENDING,
		}
	)
	doc.flags.from_server = True
	doc.insert(ignore_permissions=True)
	return doc.name


def promote_reserve(review) -> str | None:
	"""The first reserve of the draw without a review replaces an expert who declared a conflict."""
	draw = frappe.get_doc("GZ Expert Draw", review.draw)
	used = set(frappe.get_all("GZ Expert Review", filters={"draw": draw.name}, pluck="expert"))
	for member in sorted(draw.members, key=lambda m: m.draw_order):
		if member.member_role == experts.RESERVE and member.expert not in used:
			return new_review(draw, member.expert, review.scheme, replaces=review.name)
	frappe.msgprint(
		_("{0} declared a conflict and the draw {1} has no reserve left: make a new draw").format(
			review.expert_name, draw.name
		),
		indicator="orange",
	)
	return None


# --- the expert's record of their review -----------------------------------------------------------


def is_admin(user: str | None = None) -> bool:
	return ADMIN_ROLE in frappe.get_roles(user or frappe.session.user)


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	"""A review is the expert's own; administrators read every review and change none."""
	user = user or frappe.session.user
	if is_admin(user):
		return ptype in ("read", "report", "export", "print", "email", "share")
	if not doc.expert_user or doc.expert_user != user:
		return False
	if ptype in ("read", "print"):
		return True
	return ptype == "write" and doc.status in (PENDING, REVIEWING)


def query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_admin(user):
		return ""
	return f"`tabGZ Expert Review`.`expert_user` = {frappe.db.escape(user)}"


def line_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_admin(user):
		return ""
	return (
		"`tabGZ Expert Review Line`.`parent` in (select `name` from `tabGZ Expert Review` "
		f"where `expert_user` = {frappe.db.escape(user)})"
	)


def validate(doc) -> None:
	"""GZ Expert Review (validate): the server opens it; its expert declares, verifies and scores."""
	if doc.flags.from_server:
		return
	before = doc.get_doc_before_save()
	if before is None:
		fail(_("A review is opened by a countersigned draw"))
	if frappe.session.user != doc.expert_user:
		fail(_("Only the drawn expert records this review"))
	if before.status in (SUBMITTED, AVOIDED):
		fail(_("This review is {0}: it cannot be changed").format(before.status))
	changed = changed_fields(doc, SERVER_FIELDS)
	if changed:
		fail(_("{0} is set by the system").format("、".join(_(doc.meta.get_label(f)) for f in changed)))
	if before.status == PENDING:
		declare(doc)
	else:
		if doc.declaration != before.declaration or (doc.conflict_note or "") != (before.conflict_note or ""):
			fail(_("The declaration is made once"))
		check_lines(doc, before)
		if doc.flags.submitting:
			submit(doc)


def declare(doc) -> None:
	if doc.get("lines"):
		fail(_("Declare your interests first; the figures follow"))
	if doc.declaration == CONFLICT:
		if not (doc.conflict_note or "").strip():
			fail(_("{0}: say what the conflict is").format(_(doc.meta.get_label("conflict_note"))))
		doc.status = AVOIDED
		doc.declared_at = now_datetime()
		doc.flags.promote_reserve = True
	elif doc.declaration == NO_CONFLICT:
		doc.status = REVIEWING
		doc.declared_at = now_datetime()
		fill_lines(doc)
	elif doc.declaration:
		fail(_("{0}: choose {1} or {2}").format(_("Declaration"), NO_CONFLICT, CONFLICT))


def application_values(doc) -> dict:
	return frappe.get_doc(doc.reference_doctype, doc.reference_name).as_dict()


def fill_lines(doc) -> None:
	"""The application's figures, as declared, and what they score: shown once the expert declared no
	conflict."""
	scheme = scoring.get_scheme(doc.scheme)
	guidance = {
		row.idx: row.guidance for row in frappe.get_cached_doc("GZ Scoring Scheme", doc.scheme).indicators
	}
	doc.industry = frappe.db.get_value("Enterprise", doc.enterprise, "industry")
	result = scoring.score(scheme, application_values(doc), doc.industry)
	doc.set("lines", [])
	for indicator, line in zip(scheme.indicators, result.lines, strict=True):
		quantitative = indicator.kind == scoring.QUANTITATIVE
		doc.append(
			"lines",
			{
				"indicator": indicator.label,
				"kind": indicator.kind,
				"weight": indicator.weight,
				"unit": indicator.unit,
				"declared_value": line.value if quantitative else None,
				"verified_value": line.value if quantitative else None,
				"declared_points": line.points if quantitative else None,
				"points": line.points if quantitative else None,
				"guidance": guidance.get(indicator.seq),
			},
		)
	doc.scheme_version = scheme.version
	doc.declared_total = result.self_score
	doc.total = None


def check_lines(doc, before) -> None:
	"""Verified values never above the declared ones, a reason for each cut, qualitative scores within
	their weight; the figures' points computed again from the verified values."""
	changed = changed_cells(doc, "lines", SERVER_LINE_FIELDS)
	if changed is None:
		fail(_("The indicators of a review are set by its scheme"))
	for idx, column in changed:
		row = doc.lines[idx - 1]
		fail(
			_("{0}: {1} is set by the system").format(
				_("Indicators, row {0} ({1})").format(idx, row.indicator), _(row.meta.get_label(column))
			)
		)
	scheme = scoring.get_scheme(doc.scheme)
	factor = scheme.factors.get(doc.industry or "", 1.0)
	earned, complete = 0.0, True
	for row, indicator in zip(doc.lines, scheme.indicators, strict=True):
		where = _("Indicators, row {0} ({1})").format(row.idx, row.indicator)
		if row.kind == scoring.QUANTITATIVE:
			check_verified(row, where)
			x = flt(row.verified_value)
			if indicator.apply_factor:
				x *= factor
			row.points = scoring.indicator_points(x, indicator.weight, indicator.basic, indicator.full)
		else:
			row.points = expert_score(row, where)
			complete = complete and row.points is not None
		earned += flt(row.points)
	doc.total = earned / scheme.weight * scheme.scale if complete and scheme.weight else None
	doc.flags.complete = complete


def expert_score(row, where: str) -> float | None:
	"""A qualitative item's score as the expert typed it: None until typed, a number within the weight."""
	text = (row.expert_score or "").strip()
	if not text:
		return None
	try:
		points = float(text)
	except ValueError:
		fail(_("{0}: {1} must be a number").format(where, _("Your Score")))
	if not 0 <= points <= flt(row.weight):
		fail(_("{0}: {1} must lie between 0 and {2}").format(where, _("Your Score"), flt(row.weight)))
	row.expert_score = f"{points:g}"
	return points


def check_verified(row, where: str) -> None:
	declared = row.declared_value
	if row.verified_value in (None, ""):
		fail(_("{0}: {1} is required").format(where, _("Verified Value")))
	verified = flt(row.verified_value)
	if not math.isfinite(verified):
		fail(_("{0}: {1} must be a number").format(where, _("Verified Value")))
	if verified < 0:
		fail(_("{0}: {1} cannot be negative").format(where, _("Verified Value")))
	if round(verified, 9) > round(flt(declared), 9):
		fail(
			_("{0}: {1} cannot exceed the declared value {2}").format(
				where, _("Verified Value"), flt(declared)
			)
		)
	if round(verified, 9) < round(flt(declared), 9) and not (row.cut_reason or "").strip():
		fail(
			_("{0}: the value is cut from {1} to {2}: give the reason").format(where, flt(declared), verified)
		)


def submit(doc) -> None:
	if not doc.flags.complete:
		missing = [
			row.indicator
			for row in doc.lines
			if row.kind != scoring.QUANTITATIVE and row.points in (None, "")
		]
		fail(_("Score {0} before submitting").format("、".join(missing)))
	doc.status = SUBMITTED
	doc.submitted_at = now_datetime()


def on_update(doc) -> None:
	if doc.flags.promote_reserve:
		doc.flags.promote_reserve = False
		promote_reserve(doc)


# --- the panel -------------------------------------------------------------------------------------


def panel(reference_doctype: str, reference_name: str) -> dict:
	"""The submitted reviews of an application, the panel's score by the scheme's rule and each
	expert's deviation from it (calibration)."""
	reviews = frappe.get_all(
		"GZ Expert Review",
		filters={
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"status": SUBMITTED,
		},
		fields=["name", "expert", "expert_name", "total", "scheme"],
		order_by="submitted_at asc",
	)
	if not reviews:
		return {"score": None, "rule": None, "experts": []}
	rule = frappe.db.get_value("GZ Scoring Scheme", reviews[0].scheme, "aggregation") or scoring.MEAN
	score = scoring.aggregate([r.total for r in reviews], rule)
	return {
		"score": score,
		"rule": rule,
		"experts": [{**r, "deviation": None if r.total is None else flt(r.total) - score} for r in reviews],
	}


# --- the results, released to the enterprise -------------------------------------------------------


def release(draw) -> None:
	"""发布评审结果: once every drawn expert submitted (or was replaced after declaring a conflict)."""
	if draw.status != experts.COUNTERSIGNED:
		fail(_("Results are released after the draw is countersigned and the experts have reviewed"))
	if draw.results_released_at:
		fail(_("The results of this review were released on {0}").format(draw.results_released_at))
	waiting = frappe.db.count("GZ Expert Review", {"draw": draw.name, "status": ("in", (PENDING, REVIEWING))})
	if waiting:
		fail(_("{0} expert review(s) of this draw are not submitted yet").format(waiting))
	if not frappe.db.count("GZ Expert Review", {"draw": draw.name, "status": SUBMITTED}):
		fail(_("No expert has submitted a review yet."))
	server_set(draw, results_released_at=now_datetime(), released_by=frappe.session.user)
	draw.flags.drawing = True  # the draw's record is otherwise unchanged (loaded from the database)
	draw.save()


def results(reference_doctype: str, reference_name: str) -> dict | None:
	"""The enterprise's two-column view, once released: for each indicator the declared value and its
	points, and each expert's verified value, points and reason for a cut; the declared total and the
	panel's score. Experts are numbered, never named. None before the release."""
	# frappe.db rather than frappe.get_all: asked on every 申报详情, released or not.
	draw = frappe.db.get_value(
		"GZ Expert Draw",
		{
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"results_released_at": ("is", "set"),
		},
		["name", "results_released_at"],
		order_by="results_released_at desc",
		as_dict=True,
	)
	if not draw:
		return None
	reviews = frappe.get_all(
		"GZ Expert Review",
		filters={"draw": draw.name, "status": SUBMITTED},
		fields=["name", "total", "declared_total", "scheme", "comment"],
		order_by="submitted_at asc, name asc",
	)
	if not reviews:
		return None
	lines = frappe.get_all(
		"GZ Expert Review Line",
		filters={"parenttype": "GZ Expert Review", "parent": ("in", [r.name for r in reviews])},
		fields=[
			"parent",
			"idx",
			"indicator",
			"kind",
			"weight",
			"unit",
			"declared_value",
			"declared_points",
			"verified_value",
			"expert_score",
			"points",
			"cut_reason",
		],
		order_by="idx asc",
	)
	number = {review.name: index for index, review in enumerate(reviews, start=1)}
	# The evidence the enterprise attached to the figures each indicator reads.
	scheme = scoring.get_scheme(reviews[0].scheme)
	reads = {position: indicator.fields for position, indicator in enumerate(scheme.indicators, start=1)}
	evidence: dict[str, list] = {}
	for row in frappe.get_all(
		"Cultivation Evidence",
		filters={"parenttype": reference_doctype, "parent": reference_name},
		fields=["fieldname", "file_name", "file"],
		order_by="idx asc",
	):
		evidence.setdefault(row.fieldname, []).append({"file_name": row.file_name, "url": row.file})
	indicators: dict[int, dict] = {}
	for line in sorted(lines, key=lambda l: (l.idx, number[l.parent])):
		quantitative = line.kind == scoring.QUANTITATIVE
		row = indicators.setdefault(
			line.idx,
			{
				"indicator": line.indicator,
				"kind": line.kind,
				"weight": flt(line.weight),
				"unit": line.unit or "",
				"declared_value": line.declared_value if quantitative else None,
				"declared_points": line.declared_points if quantitative else None,
				"evidence": [file for field in reads.get(line.idx, ()) for file in evidence.get(field, [])],
				"experts": [],
			},
		)
		cut = quantitative and flt(line.verified_value) < flt(line.declared_value)
		row["experts"].append(
			{
				"expert": _("Expert {0}").format(number[line.parent]),
				"verified_value": line.verified_value if quantitative else None,
				"points": flt(line.points),
				"cut": cut,
				"cut_reason": (line.cut_reason or "") if cut else "",
			}
		)
	rule = frappe.db.get_value("GZ Scoring Scheme", reviews[0].scheme, "aggregation") or scoring.MEAN
	return {
		"released_at": str(draw.results_released_at)[:16],
		"rule": rule,
		"declared_total": reviews[0].declared_total,
		"panel_score": scoring.aggregate([r.total for r in reviews], rule),
		"experts": [
			{"expert": _("Expert {0}").format(number[r.name]), "total": r.total, "comment": r.comment or ""}
			for r in reviews
		],
		"indicators": [indicators[idx] for idx in sorted(indicators)],
	}


def detail_extras(doc) -> dict:
	"""申报详情's additions (hooks.py gz_detail_extras): the released review results."""
	return {"review_results": results(doc.doctype, doc.name)}
