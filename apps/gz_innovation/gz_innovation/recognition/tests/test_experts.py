"""The expert pool and the draw: avoidance (回避) by employer history and declared relations, the draw
stratified by industry and reproduced from its record, a stratum with too few experts named, a drawn
record that nobody rewrites, and the countersignature of a second administrator."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_years, getdate, nowdate

from gz_innovation.accounts.tests.utils import create_user
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises, new_uscc
from gz_innovation.recognition import experts
from gz_innovation.recognition.tests.utils import create_administrator, create_expert, create_industry

APPLICANT: dict = {}


def setUpModule():
	name = create_certified_enterprise()
	APPLICANT.update(
		frappe.db.get_value("Enterprise", name, ["name", "uscc", "enterprise_name"], as_dict=True)
	)


def tearDownModule():
	delete_enterprises([APPLICANT["name"]])


def years_ago(years: float) -> str:
	return str(getdate(add_years(nowdate(), -years)))


def new_draw(strata, years=3, **values):
	doc = frappe.get_doc(
		{
			"doctype": "GZ Expert Draw",
			"enterprise": APPLICANT["name"],
			"avoidance_years": years,
			"strata": [{"industry": i, "panel_size": p, "reserve_size": r} for i, p, r in strata],
			**values,
		}
	)
	doc.insert()
	return doc


class TestAvoidance(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # nothing a test made outlives it

	def test_avoidance_by_employer_history_and_declared_relations(self):
		industry = create_industry()
		uscc, name = APPLICANT["uscc"], APPLICANT["enterprise_name"]
		employed = lambda **dates: [{"employer_name": name, "uscc": uscc, "position": "技术总监", **dates}]  # noqa: E731
		cases = {
			"still employed": (employed(from_date=years_ago(5)), [], experts.EMPLOYMENT),
			"left two years ago": (
				employed(from_date=years_ago(8), to_date=years_ago(2)),
				[],
				experts.EMPLOYMENT,
			),
			"left four years ago": (employed(from_date=years_ago(8), to_date=years_ago(4)), [], None),
			"director, same name, no USCC": (
				[{"employer_name": name, "position": "董事"}],
				[],
				experts.EMPLOYMENT,
			),
			"another employer": ([{"employer_name": "别的公司", "uscc": new_uscc()}], [], None),
			"declared a relation": (
				[],
				[{"enterprise_name": name, "uscc": uscc, "relation": "近亲属任职"}],
				experts.DECLARED,
			),
		}
		on = frappe.utils.now_datetime()
		for case, (employers, relations, rule) in cases.items():
			expert = frappe.get_doc("GZ Expert", create_expert(industry, employers, relations))
			reasons = experts.avoidance(expert, uscc, name, 3, on)
			self.assertEqual([r for r, _detail in reasons][:1], [rule] if rule else [], case)
		# A longer avoidance period reaches the expert who left four years ago.
		expert = frappe.get_doc(
			"GZ Expert",
			create_expert(industry, employed(from_date=years_ago(8), to_date=years_ago(4))),
		)
		self.assertTrue(experts.avoidance(expert, uscc, name, 5, on))

	def test_an_expert_record_with_a_wrong_uscc_or_dates_is_refused(self):
		industry = create_industry()
		for case, values in {
			"uscc checksum": {"employers": [{"employer_name": "甲公司", "uscc": "91520100MA6DKLX0X1"}]},
			"dates reversed": {
				"employers": [{"employer_name": "甲公司", "from_date": years_ago(1), "to_date": years_ago(2)}]
			},
			"relation uscc": {
				"relations": [{"enterprise_name": "乙公司", "uscc": "123", "relation": "持股或投资"}]
			},
		}.items():
			with self.assertRaises(experts.ExpertError, msg=case):
				frappe.get_doc(
					{
						"doctype": "GZ Expert",
						"full_name": "错误专家",
						"industries": [{"industry": industry}],
						**values,
					}
				).insert()


class TestDraw(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # nothing a test made outlives it

	def pool(self, industry, size, **kwargs):
		return [create_expert(industry, **kwargs) for _ in range(size)]

	def test_the_draw_records_avoidance_and_is_reproduced_from_its_record(self):
		industry = create_industry()
		eligible = self.pool(industry, 7)
		employed = create_expert(
			industry,
			[
				{
					"employer_name": APPLICANT["enterprise_name"],
					"uscc": APPLICANT["uscc"],
					"from_date": years_ago(6),
				}
			],
		)
		related = create_expert(
			industry,
			relations=[
				{
					"enterprise_name": APPLICANT["enterprise_name"],
					"relation": "顾问或兼职",
					"note": "技术顾问",
				}
			],
		)
		disabled = create_expert(industry, enabled=0)
		draw = new_draw([(industry, 3, 2)])
		draw.draw()
		draw.reload()

		self.assertEqual(draw.status, experts.DRAWN)
		self.assertEqual(draw.drawn_by, "Administrator")
		chosen = [m.expert for m in draw.members]
		self.assertEqual(len(chosen), 5)
		self.assertEqual(len(set(chosen)), 5)
		self.assertTrue(set(chosen) <= set(eligible))
		self.assertEqual([m.member_role for m in draw.members], [experts.PANEL] * 3 + [experts.RESERVE] * 2)
		self.assertEqual(
			{(row.expert, row.rule) for row in draw.exclusions},
			{(employed, experts.EMPLOYMENT), (related, experts.DECLARED)},
		)
		self.assertIn("技术顾问", next(r.detail for r in draw.exclusions if r.expert == related))
		candidates = json.loads(draw.candidates)[industry]
		self.assertEqual(sorted(candidates), sorted(eligible))
		self.assertNotIn(disabled, candidates)
		self.assertEqual(draw.strata[0].eligible, 7)
		self.assertEqual(len(draw.record_hash), 64)

		self.assertEqual(draw.reproduce(), {"same_result": True, "hash_matches": True})
		# The same record drawn again from its seed gives the same experts in the same order; another
		# seed another panel (7 choose 5 orders: a clash is 1 in 2,520).
		again = experts.pick(draw.seed, experts.strata_of(draw), json.loads(draw.candidates))
		self.assertEqual([m["expert"] for m in again], chosen)
		other = experts.pick(draw.seed + "0", experts.strata_of(draw), json.loads(draw.candidates))
		self.assertNotEqual([m["expert"] for m in other], chosen)

		# Anyone rewriting the record in the database is found out.
		outsider = next(name for name in eligible if name not in chosen)
		frappe.db.set_value("GZ Expert Draw Member", draw.members[0].name, "expert", outsider)
		tampered = frappe.get_doc("GZ Expert Draw", draw.name)
		self.assertEqual(tampered.reproduce(), {"same_result": False, "hash_matches": False})
		frappe.db.set_value("GZ Expert Draw Member", draw.members[0].name, "expert", chosen[0])
		frappe.db.set_value("GZ Expert Draw", draw.name, "candidates", json.dumps({industry: eligible[::-1]}))
		tampered = frappe.get_doc("GZ Expert Draw", draw.name)
		self.assertFalse(tampered.reproduce()["hash_matches"])

	def test_strata_draw_by_industry_and_never_the_same_expert_twice(self):
		first, second = create_industry(), create_industry()
		both = self.pool([first, second], 2)
		only_first = self.pool(first, 2)
		only_second = self.pool(second, 3)
		draw = new_draw([(first, 2, 1), (second, 2, 0)])
		draw.draw()
		draw.reload()
		by_stratum = {}
		for member in draw.members:
			by_stratum.setdefault(member.industry, []).append(member.expert)
		self.assertEqual(len(by_stratum[first]), 3)
		self.assertEqual(len(by_stratum[second]), 2)
		self.assertTrue(set(by_stratum[first]) <= set(both + only_first))
		self.assertTrue(set(by_stratum[second]) <= set(both + only_second))
		self.assertFalse(set(by_stratum[first]) & set(by_stratum[second]))

	def test_too_few_eligible_experts_stop_the_draw_naming_the_stratum(self):
		industry = create_industry()
		self.pool(industry, 3)
		create_expert(industry, [{"employer_name": APPLICANT["enterprise_name"], "uscc": APPLICANT["uscc"]}])
		draw = new_draw([(industry, 3, 2)])
		with self.assertRaises(experts.ExpertError) as caught:
			draw.draw()
		message = str(caught.exception)
		self.assertIn(industry, message)
		self.assertIn("5", message)
		self.assertIn("3", message)
		stored = frappe.get_doc("GZ Expert Draw", draw.name)
		self.assertEqual(stored.status, experts.PENDING)
		self.assertFalse(stored.members or stored.seed or stored.record_hash)

	def test_nobody_writes_or_rewrites_a_result_by_hand(self):
		industry = create_industry()
		pool = self.pool(industry, 5)
		with self.assertRaises(experts.ExpertError):
			new_draw([(industry, 1, 0)], members=[{"expert": pool[0], "member_role": experts.PANEL}])
		with self.assertRaises(experts.ExpertError):
			new_draw([(industry, 1, 0)], status=experts.COUNTERSIGNED)

		draw = new_draw([(industry, 2, 1)])
		draw.draw()
		for change in (
			lambda d: setattr(
				d.members[0], "expert", next(e for e in pool if e not in [m.expert for m in d.members])
			),
			lambda d: d.remove(d.members[-1]),
			lambda d: setattr(d, "seed", "0" * 32),
			lambda d: setattr(d, "status", experts.PENDING),
			lambda d: setattr(d.strata[0], "panel_size", 3),
			lambda d: setattr(d, "avoidance_years", 0),
		):
			doc = frappe.get_doc("GZ Expert Draw", draw.name)
			change(doc)
			with self.assertRaises(experts.ExpertError):
				doc.save()
		with self.assertRaises(experts.ExpertError):
			frappe.get_doc("GZ Expert Draw", draw.name).draw()  # drawn once, never redrawn
		with self.assertRaises(experts.ExpertError):
			frappe.delete_doc("GZ Expert Draw", draw.name)
		self.assertEqual(frappe.get_doc("GZ Expert Draw", draw.name).reproduce()["same_result"], True)
		# The review deadline is not part of the draw: it may still move.
		doc = frappe.get_doc("GZ Expert Draw", draw.name)
		doc.review_deadline = "2026-12-31 17:00:00"
		doc.save()
		self.assertTrue(frappe.get_doc("GZ Expert Draw", draw.name).reproduce()["hash_matches"])

	def test_a_second_administrator_countersigns(self):
		industry = create_industry()
		self.pool(industry, 4)
		drawer, checker = create_administrator(), create_administrator()
		frappe.set_user(drawer)
		draw = new_draw([(industry, 2, 1)])
		draw.draw()
		with self.assertRaises(experts.ExpertError):
			frappe.get_doc("GZ Expert Draw", draw.name).countersign()
		frappe.set_user(checker)
		doc = frappe.get_doc("GZ Expert Draw", draw.name)
		doc.countersign()
		doc.reload()
		self.assertEqual(doc.status, experts.COUNTERSIGNED)
		self.assertEqual(doc.countersigned_by, checker)
		self.assertEqual(doc.reproduce(), {"same_result": True, "hash_matches": True})

	def test_reviewers_cannot_draw(self):
		user = create_user()  # committed: made before anything of this test
		industry = create_industry()
		self.pool(industry, 3)
		draw = new_draw([(industry, 1, 0)])
		frappe.set_user(user)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("GZ Expert Draw", draw.name).draw()
