"""Scoring as data: the published formula at and around b and f, industry factors, the gate with
its reasons, the scheme refused when it would score wrongly, its version, and the experts' aggregation."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.recognition import scoring
from gz_innovation.recognition.setup import REFERENCE_SCHEME
from gz_innovation.recognition.tests.utils import create_industry, scheme_doc


class TestFormula(FrappeTestCase):
	def test_points_at_and_around_the_basic_and_full_requirements(self):
		w, b, f = 20, 4, 12
		expected = {
			-3: 0,  # nothing (or a negative figure) earns nothing
			0: 0,
			1: 0.6 * 20 * 1 / 4,  # 3.0: 0.6·w·x/b below b
			3.99: 0.6 * 20 * 3.99 / 4,
			4: 12,  # exactly 0.6·w at b
			4.01: 12 + 8 * 0.01 / 8,  # the straight line starts at b
			8: 16,  # half-way from b to f: 0.6·w + 0.4·w/2
			11.99: 12 + 8 * 7.99 / 8,
			12: 20,  # w at f
			50: 20,  # never more than w
		}
		for x, points in expected.items():
			self.assertAlmostEqual(scoring.indicator_points(x, w, b, f), points, places=9, msg=f"x = {x}")
		self.assertEqual(scoring.indicator_points(None, w, b, f), 0)

	def test_the_line_is_continuous_at_b_and_f(self):
		w, b, f = 15, 300, 1000
		for at in (b, f):
			below = scoring.indicator_points(at - 1e-9, w, b, f)
			above = scoring.indicator_points(at + 1e-9, w, b, f)
			self.assertAlmostEqual(below, above, places=6)

	def test_aggregation_rules(self):
		panel = [60, 70, 90, 100]
		self.assertAlmostEqual(scoring.aggregate(panel, scoring.MEAN), 80)
		self.assertAlmostEqual(scoring.aggregate(panel, scoring.TRIMMED_MEAN), 80)  # (70 + 90) / 2
		self.assertAlmostEqual(scoring.aggregate([50, 80, 81, 82, 99], scoring.TRIMMED_MEAN), 81)
		self.assertAlmostEqual(scoring.aggregate(panel, scoring.MEDIAN), 80)
		self.assertAlmostEqual(scoring.aggregate([10, 70, 71], scoring.MEDIAN), 70)
		self.assertAlmostEqual(scoring.aggregate([10, 70, 71], scoring.MEAN), 50.333333333, places=6)
		# Two experts: nothing to trim; an expert who has not scored is not counted as 0.
		self.assertAlmostEqual(scoring.aggregate([60, 80], scoring.TRIMMED_MEAN), 70)
		self.assertAlmostEqual(scoring.aggregate([60, None, 80], scoring.MEAN), 70)
		self.assertIsNone(scoring.aggregate([], scoring.MEDIAN))


class TestScheme(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()  # nothing a test made outlives it

	def test_declared_figures_scored_with_the_industry_factor(self):
		industry = create_industry()
		doc = scheme_doc(industry_factors=[{"industry": industry, "factor": 1.5}])
		doc.insert()
		scheme = scoring.get_scheme(doc.name)
		values = {"rd_expenditure": 400, "revenue": 10000, "invention_patents": 6}

		plain = scoring.score(scheme, values)
		ratio, patents, position = plain.lines
		self.assertAlmostEqual(ratio.value, 4)
		self.assertAlmostEqual(ratio.points, 24 + 16 * 1 / 3)  # 4 % is a third of the way from 3 to 6
		self.assertAlmostEqual(patents.points, 24 + 16 * 4 / 8)
		self.assertEqual(position.points, 0)
		self.assertAlmostEqual(plain.self_score, (29.333333333 + 32) / 80 * 100, places=5)
		self.assertIsNone(plain.total)  # the experts have not scored 行业地位 yet

		factored = scoring.score(scheme, values, industry=industry)
		self.assertEqual(factored.lines[0].factor, 1.5)
		self.assertAlmostEqual(factored.lines[0].points, 40)  # 4 % × 1.5 = 6 %: full marks
		self.assertIn("1.5", factored.lines[0].note)
		self.assertAlmostEqual(factored.lines[1].points, patents.points)  # no factor on patents

		complete = scoring.score(scheme, values, industry=industry, qualitative={"行业地位": 15})
		self.assertAlmostEqual(complete.total, (40 + 32 + 15) / 100 * 100)

	def test_what_would_raise_the_score(self):
		doc = scheme_doc()
		doc.insert()
		scheme = scoring.get_scheme(doc.name)
		result = scoring.score(scheme, {"rd_expenditure": 200, "revenue": 10000, "invention_patents": 10})
		ratio, patents = result.lines[:2]
		self.assertIn("3.00%", ratio.raise_by)  # 2 % now: reaching b (3 %) gives 0.6·w
		self.assertIn("24", ratio.raise_by)
		self.assertEqual(patents.raise_by, "")  # full marks already

	def test_gate_refuses_below_and_says_what_would_raise(self):
		doc = scheme_doc(gate=65)
		doc.insert()
		scheme = scoring.get_scheme(doc.name)
		low = scoring.score(scheme, {"rd_expenditure": 100, "revenue": 10000, "invention_patents": 1})
		self.assertFalse(low.passes_gate)
		reasons = scoring.gate_reasons(low)
		self.assertIn("65", reasons[0])
		self.assertTrue(any("研发经费占比" in r for r in reasons[1:]))
		self.assertTrue(any("发明专利" in r for r in reasons[1:]))
		with self.assertRaises(scoring.ScoringError):
			scoring.check_gate(low)

		high = scoring.score(scheme, {"rd_expenditure": 600, "revenue": 10000, "invention_patents": 4})
		self.assertTrue(high.passes_gate)  # 40 + 24 + 40·0.4·2/8 = 68 of 80: 85
		scoring.check_gate(high)

	def test_missing_and_uncomputable_figures_earn_nothing_and_say_why(self):
		doc = scheme_doc()
		doc.insert()
		scheme = scoring.get_scheme(doc.name)
		result = scoring.score(scheme, {"rd_expenditure": 100, "revenue": 0})
		self.assertEqual(result.lines[0].points, 0)
		self.assertIsNone(result.lines[0].value)
		self.assertTrue(result.lines[0].note)  # cannot be calculated while revenue is 0
		self.assertIsNone(result.lines[1].value)  # patents not filled
		self.assertTrue(result.lines[1].note)

	def test_a_scheme_that_would_score_wrongly_is_refused_naming_the_row(self):
		bad_rows = {
			"full not above basic": {"basic_requirement": 6, "full_requirement": 6},
			"weight of 0": {"weight": 0},
			"basic of 0": {"basic_requirement": 0},
			"unknown field": {"expression": "no_such_field * 2"},
			"broken formula": {"expression": "rd_expenditure / "},
			"dangerous formula": {"expression": "__import__('os').system('id')"},
			"attribute walk": {"expression": "revenue.__class__"},
			"no formula": {"expression": ""},
			"weight not a number": {"weight": "nan"},
			"full requirement infinite": {"full_requirement": "inf"},
		}
		for case, change in bad_rows.items():
			doc = scheme_doc()
			doc.indicators[1].update(change)
			with self.assertRaises(frappe.ValidationError, msg=case) as caught:
				doc.insert()
			self.assertIn("发明专利", str(caught.exception), case)
			self.assertFalse(frappe.db.exists("GZ Scoring Scheme", doc.scheme_name), case)

		for case, change in {
			"gate above the full score": {"gate": 120},
			"full score of 0": {"scale": 0},
			"qualitative only": {
				"indicators": [{"label": "行业地位", "kind": scoring.QUALITATIVE, "weight": 20}]
			},
		}.items():
			with self.assertRaises(scoring.ScoringError, msg=case):
				scheme_doc(**change).insert()

	def test_version_rises_only_when_the_score_would_change(self):
		doc = scheme_doc()
		doc.insert()
		self.assertEqual(doc.version, 1)
		doc.source_note = "仅修改说明"
		doc.indicators[0].source = "出处"
		doc.save()
		self.assertEqual(doc.version, 1)
		doc.indicators[1].full_requirement = 12
		doc.save()
		self.assertEqual(doc.version, 2)
		doc.gate = 70
		doc.save()
		self.assertEqual(doc.version, 3)

	def test_one_enabled_scheme_per_programme_and_batch(self):
		scored = set(
			frappe.get_all(
				"GZ Scoring Scheme",
				filters={"enabled": 1, "batch": ("is", "not set")},
				pluck="cultivation_type",
			)
		)  # the reference scheme scores the recognition programme
		programme = next(p for p in frappe.get_all("Cultivation Type", pluck="name") if p not in scored)
		first = scheme_doc(cultivation_type=programme)
		first.insert()
		self.assertEqual(scoring.scheme_for(programme, "任何批次"), first.name)
		with self.assertRaises(scoring.ScoringError):
			scheme_doc(cultivation_type=programme).insert()
		second = scheme_doc(cultivation_type=programme, enabled=0)
		second.insert()  # a disabled one may wait beside it

	def test_the_reference_scheme_is_installed_and_scores(self):
		scheme = scoring.get_scheme(REFERENCE_SCHEME)
		self.assertEqual(scheme.scale, 100)
		self.assertEqual(scheme.gate, 65)
		self.assertAlmostEqual(scheme.weight, 100)
		doc = frappe.get_doc("GZ Scoring Scheme", REFERENCE_SCHEME)
		self.assertTrue(all(row.source for row in doc.indicators))  # every default cites its source
		self.assertIn("贵州未公布", doc.source_note)
		result = scoring.score(
			scheme,
			{
				"rd_expenditure": 1000,
				"revenue": 10000,
				"rd_equipment_value": 1000,
				"invention_patents": 10,
				"software_copyrights": 10,
			},
		)
		self.assertAlmostEqual(result.self_score, 100)
