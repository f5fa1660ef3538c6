"""Scoring as data (认定评价): a GZ Scoring Scheme lists indicators, each with a weight w, a basic
requirement b and a full requirement f, the experts' qualitative items, industry factors, a full
score and a submission gate. Administrators keep schemes in Desk like rule sets: versioned, and
test-run when saved.

The formula is the one published by 烟台市创新平台申报与评价系统 (etoyz/ytfgw,
2023/service/submit_data.php): w at or above f; 0.6·w·x/b up to b; a straight line from 0.6·w at b
to w at f; 0 for nothing. Declared figures and the experts' verified figures are scored alike."""

import json
import math
import statistics
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import flt

from gz_innovation import prepare
from gz_innovation.cultivation import evaluation
from gz_innovation.cultivation import fields as form_fields

QUANTITATIVE = "定量"
QUALITATIVE = "定性"
BASIC_SHARE = 0.6  # of w, earned at the basic requirement b

MEAN = "平均值"
TRIMMED_MEAN = "去掉最高分和最低分后平均"
MEDIAN = "中位数"

SCHEME_FIELDS = ("scale", "gate")
INDICATOR_FIELDS = (
	"label",
	"kind",
	"expression",
	"weight",
	"basic_requirement",
	"full_requirement",
	"apply_industry_factor",
)


class ScoringError(frappe.ValidationError):
	http_status_code = 417


@dataclass
class Indicator:
	seq: int
	label: str
	kind: str
	weight: float
	basic: float = 0.0
	full: float = 0.0
	unit: str = ""
	decimals: int = 2
	apply_factor: bool = False
	expression: str = ""
	code: object = None  # compiled formula; None when the expression is a field's name
	fields: tuple = ()
	yes_no: tuple = ()


@dataclass
class Scheme:
	name: str
	version: int
	scale: float
	gate: float
	aggregation: str
	indicators: list
	factors: dict  # industry -> factor

	@property
	def weight(self) -> float:
		return sum(i.weight for i in self.indicators)

	@property
	def quantitative_weight(self) -> float:
		return sum(i.weight for i in self.indicators if i.kind == QUANTITATIVE)


@dataclass
class Line:
	"""One indicator of a score, as the enterprise and the experts see it."""

	seq: int
	label: str
	kind: str
	weight: float
	value: float | None = None  # the figure (declared or verified), None when not filled
	factor: float = 1.0
	points: float = 0.0
	note: str = ""
	raise_by: str = ""  # what would raise the points


@dataclass
class Score:
	scheme: str
	version: int
	scale: float
	gate: float
	lines: list = field(default_factory=list)
	self_score: float = 0.0  # quantitative indicators, on the full score
	total: float | None = None  # every indicator, once the qualitative ones are scored

	@property
	def passes_gate(self) -> bool:
		return not self.gate or round(self.self_score, 2) >= self.gate

	def as_dict(self) -> dict:
		return {
			"scheme": self.scheme,
			"version": self.version,
			"scale": self.scale,
			"gate": self.gate,
			"self_score": round(self.self_score, 2),
			"total": None if self.total is None else round(self.total, 2),
			"passes_gate": self.passes_gate,
			"lines": [{**line.__dict__, "points": round(line.points, 2)} for line in self.lines],
		}


def indicator_points(x: float | None, weight: float, basic: float, full: float) -> float:
	"""The published formula: w if x ≥ f; 0.6·w·x/b if 0 < x ≤ b; 0.6·w + 0.4·w·(x − b)/(f − b) between
	b and f; 0 for nothing."""
	if x is None or x <= 0:
		return 0.0
	if x >= full:
		return weight
	if x <= basic:
		return BASIC_SHARE * weight * x / basic
	return BASIC_SHARE * weight + (1 - BASIC_SHARE) * weight * (x - basic) / (full - basic)


def aggregate(scores: list, rule: str) -> float | None:
	"""The panel's score from each expert's: mean, mean without the highest and the lowest (from three
	experts on), or median."""
	scores = [flt(s) for s in scores if s is not None]
	if not scores:
		return None
	if rule == MEDIAN:
		return float(statistics.median(scores))
	if rule == TRIMMED_MEAN and len(scores) >= 3:
		scores = sorted(scores)[1:-1]
	return sum(scores) / len(scores)


# --- compiling a scheme ----------------------------------------------------------------------------


def row_where(row) -> str:
	return _("Indicators, row {0} ({1})").format(row.idx, row.label or "-")


def fail(message: str) -> None:
	frappe.throw(message, ScoringError, title=_("Scoring Scheme"))


def compile_scheme(doc) -> Scheme:
	"""Compile a GZ Scoring Scheme document; refuses, naming the row and the field, what would score
	wrongly: a formula that fails, f not above b, a weight of 0, a factor for an industry twice."""
	check_numbers(doc)
	if flt(doc.scale) <= 0:
		fail(_("{0} must be greater than 0").format(_("Full Score")))
	if not 0 <= flt(doc.gate) <= flt(doc.scale):
		fail(_("{0} must lie between 0 and the full score {1}").format(_("Submission Gate"), flt(doc.scale)))
	known = form_fields.formula_fields()
	yes_no = {name for name, df in known.items() if form_fields.is_yes_no(df)}
	indicators, labels = [], set()
	for row in doc.get("indicators") or []:
		where = row_where(row)
		label = (row.label or "").strip()
		if label in labels:
			fail(_("{0}: the indicator is listed twice").format(where))
		labels.add(label)
		if flt(row.weight) <= 0:
			fail(_("{0}: {1} must be greater than 0").format(where, _("Weight (w)")))
		indicator = Indicator(
			seq=row.idx,
			label=label,
			kind=row.kind or QUANTITATIVE,
			weight=flt(row.weight),
			unit=row.unit or "",
			decimals=int(row.decimals if row.decimals is not None else 2),
		)
		if indicator.kind == QUANTITATIVE:
			compile_quantitative(row, indicator, known, yes_no, where)
		indicators.append(indicator)
	if not any(i.kind == QUANTITATIVE for i in indicators):
		fail(_("{0}: at least one quantitative indicator is needed").format(_("Indicators")))
	factors = {}
	for row in doc.get("industry_factors") or []:
		where = _("Industry Factors, row {0} ({1})").format(row.idx, row.industry or "-")
		if row.industry in factors:
			fail(_("{0}: the industry is listed twice").format(where))
		if flt(row.factor) <= 0:
			fail(_("{0}: {1} must be greater than 0").format(where, _("Industry Factor")))
		factors[row.industry] = flt(row.factor)
	scheme = Scheme(
		doc.name,
		int(doc.version or 0),
		flt(doc.scale),
		flt(doc.gate),
		doc.aggregation or MEAN,
		indicators,
		factors,
	)
	try_scheme(scheme)
	return scheme


def check_numbers(doc) -> None:
	"""Every number of the scheme is a number ("nan" and "inf" parse as floats)."""
	rows = [(None, doc, ("scale", "gate"))]
	rows += [
		(row_where(row), row, ("weight", "basic_requirement", "full_requirement"))
		for row in doc.get("indicators") or []
	]
	rows += [
		(_("Industry Factors, row {0} ({1})").format(row.idx, row.industry or "-"), row, ("factor",))
		for row in doc.get("industry_factors") or []
	]
	for where, record, fieldnames in rows:
		for fieldname in fieldnames:
			if not math.isfinite(flt(record.get(fieldname))):
				label = _(record.meta.get_label(fieldname))
				fail(
					_("{0}: {1} must be a number").format(where, label)
					if where
					else _("{0} must be a number").format(label)
				)


def compile_quantitative(row, indicator: Indicator, known: dict, yes_no: set, where: str) -> None:
	basic, full = flt(row.basic_requirement), flt(row.full_requirement)
	if basic <= 0:
		fail(_("{0}: {1} must be greater than 0").format(where, _("Basic Requirement (b)")))
	if full <= basic:
		fail(
			_("{0}: {1} must be greater than {2}").format(
				where, _("Full Requirement (f)"), _("Basic Requirement (b)")
			)
		)
	expression = (row.expression or "").strip()
	if not expression:
		fail(_("{0}: {1} is required for a quantitative indicator").format(where, _("Formula")))
	try:
		if evaluation.FIELD_NAME.match(expression):
			code, names = None, (expression,)
		else:
			code = evaluation.compile_formula(expression)
			names = tuple(
				n for n in code.co_names if n not in evaluation.FORMULA_HELPERS and not n.startswith("_")
			)
	except Exception as e:
		fail(_("{0}: the formula is not valid: {1}").format(where, e))
	unknown = [n for n in names if n not in known]
	if unknown:
		fail(_("{0}: unknown field {1}").format(where, ", ".join(unknown)))
	indicator.basic, indicator.full = basic, full
	indicator.apply_factor = bool(row.apply_industry_factor)
	indicator.expression, indicator.code, indicator.fields = expression, code, names
	indicator.yes_no = tuple(n for n in names if n in yes_no)


def try_scheme(scheme: Scheme) -> None:
	"""Test-run every formula on sample values, so a broken one is refused when saved."""
	for indicator in scheme.indicators:
		if indicator.code is None:
			continue
		try:
			float(evaluation.run_formula(indicator.code, {name: 1 for name in indicator.fields}))
		except Exception as e:
			fail(
				_("Indicators, row {0} ({1}): the formula fails: {2}").format(
					indicator.seq, indicator.label, e
				)
			)


NUMERIC_FIELDS = ("weight", "basic_requirement", "full_requirement", "apply_industry_factor")


def normal(fieldname: str, value):
	return flt(value, 6) if fieldname in NUMERIC_FIELDS else (value or "").strip()


def signature(doc) -> str:
	"""What a score depends on: a change raises the version."""
	return json.dumps(
		{
			"scheme": [flt(doc.get(f), 6) for f in SCHEME_FIELDS],
			"indicators": [
				[normal(f, row.get(f)) for f in INDICATOR_FIELDS] for row in doc.get("indicators") or []
			],
			"factors": sorted(
				[row.industry, flt(row.factor, 6)] for row in doc.get("industry_factors") or []
			),
		},
		ensure_ascii=False,
	)


_compiled: dict[tuple, Scheme] = {}


def get_scheme(name: str) -> Scheme:
	"""The compiled scheme, kept per process until the scheme changes (its modified time)."""
	doc = frappe.get_cached_doc("GZ Scoring Scheme", name)
	key = (frappe.local.site, name, str(doc.modified))
	if key not in _compiled:
		if len(_compiled) > 64:
			_compiled.clear()  # old versions of schemes, kept no longer
		_compiled[key] = compile_scheme(doc)
	return _compiled[key]


SCHEMES_KEY = "gz_scoring_schemes"


def scheme_for(cultivation_type: str, batch: str | None = None) -> str | None:
	"""The enabled scheme of a programme: the batch's own, else the programme's for every batch."""
	schemes = enabled_schemes()
	return (batch and schemes.get(f"{cultivation_type}|{batch}")) or schemes.get(f"{cultivation_type}|")


def enabled_schemes() -> dict[str, str]:
	"""Every enabled scheme by "programme|batch" ("programme|" for the programme's other batches). Read
	on every pre-check and submission, changed a few times a year: one cached map per site (Redis),
	dropped when a scheme is saved or deleted (GZ Scoring Scheme's controller)."""
	return prepare.shared(SCHEMES_KEY, _load_schemes)


def _load_schemes() -> dict[str, str]:
	return {
		f"{row.cultivation_type}|{row.batch or ''}": row.name
		for row in frappe.get_all(
			"GZ Scoring Scheme",
			filters={"enabled": 1, "cultivation_type": ("is", "set")},
			fields=["name", "cultivation_type", "batch"],
			order_by="modified asc",  # one per programme and batch (validated); the newest if ever two
		)
	}


def forget_schemes() -> None:
	prepare.forget(SCHEMES_KEY)


# --- scoring ---------------------------------------------------------------------------------------


def figure(indicator: Indicator, values: dict) -> tuple[float | None, str]:
	"""The indicator's figure from the form's values, or None with the reason."""
	inputs = {}
	for name in indicator.fields:
		value = values.get(name)
		if name in indicator.yes_no:
			value = form_fields.yes_no_number(value)
		if value in (None, ""):
			return None, _("Fill in {0}").format(evaluation.short_label(name))
		inputs[name] = value
	try:
		value = (
			inputs[indicator.expression]
			if indicator.code is None
			else evaluation.run_formula(indicator.code, inputs)
		)
		return float(value), ""
	except ZeroDivisionError:
		zero = [n for n in indicator.fields if not inputs.get(n)]
		return None, _("Cannot be calculated while {0} is 0").format(
			", ".join(evaluation.field_label(n) for n in zero)
		)
	except (TypeError, ValueError):
		return None, _("Cannot be calculated from these values")


def number(value: float) -> str:
	"""A score as people write it: 65, 24.5, 12.33 (not 65.0)."""
	return f"{round(value, 2):g}"


def shown(indicator: Indicator, value: float) -> str:
	return f"{value:.{indicator.decimals}f}{indicator.unit}"


def what_raises(indicator: Indicator, x: float | None, factor: float) -> str:
	"""The next step up: reaching b, then f (in the figure as declared, before the factor)."""
	if x is not None and x >= indicator.full:
		return ""
	target, gain = (
		(indicator.basic, BASIC_SHARE * indicator.weight)
		if x is None or x < indicator.basic
		else (indicator.full, indicator.weight)
	)
	points = indicator_points(x, indicator.weight, indicator.basic, indicator.full)
	return _("{0} at {1} gives {2} points (+{3})").format(
		indicator.label,
		shown(indicator, target / factor),
		number(gain),
		number(gain - points),
	)


def score(
	scheme: Scheme, values: dict, industry: str | None = None, qualitative: dict | None = None
) -> Score:
	"""Score a form's figures (declared or verified). `qualitative`: the experts' points per
	qualitative indicator label, once scored. The self-score counts the quantitative indicators on the
	full score; the total counts all, when every qualitative one has its points."""
	factor_of_industry = scheme.factors.get(industry or "", 1.0)
	result = Score(scheme.name, scheme.version, scheme.scale, scheme.gate)
	earned = quantitative = 0.0
	complete = True
	for indicator in scheme.indicators:
		line = Line(indicator.seq, indicator.label, indicator.kind, indicator.weight)
		if indicator.kind == QUALITATIVE:
			points = (qualitative or {}).get(indicator.label)
			if points is None:
				complete = False
				line.note = _("Scored by the experts")
			else:
				line.points = min(max(flt(points), 0.0), indicator.weight)
				earned += line.points
			result.lines.append(line)
			continue
		x, note = figure(indicator, values)
		line.factor = factor_of_industry if indicator.apply_factor else 1.0
		adjusted = None if x is None else x * line.factor
		line.value = x
		line.points = indicator_points(adjusted, indicator.weight, indicator.basic, indicator.full)
		line.note = note or (
			_("{0} × industry factor {1} = {2}").format(
				shown(indicator, x), line.factor, shown(indicator, adjusted)
			)
			if line.factor != 1.0
			else shown(indicator, x)
		)
		line.raise_by = what_raises(indicator, adjusted, line.factor)
		quantitative += line.points
		earned += line.points
		result.lines.append(line)
	if scheme.quantitative_weight:
		result.self_score = quantitative / scheme.quantitative_weight * scheme.scale
	if complete and scheme.weight:
		result.total = earned / scheme.weight * scheme.scale
	return result


def gate_reasons(result: Score) -> list[str]:
	"""Why an application below the gate cannot be submitted, and what would raise it (the largest
	gains first)."""
	if result.passes_gate:
		return []
	reasons = [
		_("The self-score is {0}, below the gate of {1} (full score {2})").format(
			number(result.self_score), number(result.gate), number(result.scale)
		)
	]
	steps = sorted(
		(line for line in result.lines if line.kind == QUANTITATIVE and line.points < line.weight),
		key=lambda line: line.points - line.weight,
	)
	reasons.extend(line.raise_by or line.note for line in steps if line.raise_by or line.note)
	return reasons


def check_gate(result: Score) -> None:
	"""Refuse a submission below the gate, with its reasons."""
	reasons = gate_reasons(result)
	if reasons:
		frappe.throw(
			"<br>".join(frappe.utils.escape_html(r) for r in reasons),
			ScoringError,
			title=_("Submission Gate"),
		)


# --- the scheme's form in Desk ---------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def trial_score(doc: str | dict) -> dict:
	"""试算: the scheme as edited (not saved) on the manual's example, with what each indicator gives
	and what would raise it; a scheme that does not compile comes back with the reason a save would
	give."""
	frappe.only_for("System Manager")
	from gz_innovation.cultivation.setup import MANUAL_EXAMPLE

	values = json.loads(doc) if isinstance(doc, str) else dict(doc)
	values["doctype"] = "GZ Scoring Scheme"
	scheme_doc = frappe.get_doc(values)
	messages = len(frappe.local.message_log)
	try:
		scheme = compile_scheme(scheme_doc)
	except frappe.ValidationError as e:
		del frappe.local.message_log[messages:]
		return {"error": str(e)}
	result = score(scheme, dict(MANUAL_EXAMPLE))
	return {"error": None, "score": result.as_dict(), "reasons": gate_reasons(result)}
