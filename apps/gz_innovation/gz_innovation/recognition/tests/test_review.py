"""The experts' review: opened by a countersigned draw, declared before anything is shown, a conflict
replaced by the next reserve, figures verified (核定) with reasons for cuts, qualitative scores within
their weights, the panel aggregated and each expert's deviation; and an expert refused, over HTTP, on
every path to an application that is not theirs or that they have not declared for."""

import secrets
from urllib.parse import quote

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import update_password

from gz_innovation.accounts.tests.utils import PASSWORD, create_user, delete_users
from gz_innovation.cultivation import submission
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.recognition import experts, review, scoring
from gz_innovation.recognition.tests.utils import (
	create_administrator,
	create_expert,
	create_industry,
	delete_draws,
	expert_user,
	scheme_doc,
)
from gz_innovation.tests.security.client import Visitor

TYPE = "企业技术中心"
WORLD: dict = {}


def setUpModule():
	frappe.set_user("Administrator")
	admin = create_user()
	WORLD["enterprise"] = create_certified_enterprise(admin)
	WORLD["other_enterprise"] = create_certified_enterprise()
	WORLD["batch"] = open_batch(days_left=30)
	frappe.set_user(admin)
	draft = submission.open_draft(TYPE, WORLD["batch"])
	WORLD["application"] = submission.submit(draft.name, {**manual_example_values(), "commitment": 1}).name
	frappe.set_user("Administrator")
	WORLD["users"] = [admin]
	frappe.db.commit()  # nosemgrep: HTTP requests read it


def tearDownModule():
	frappe.set_user("Administrator")
	delete_draws(frappe.get_all("GZ Expert Draw", filters={"enterprise": WORLD["enterprise"]}, pluck="name"))
	delete_batches([WORLD["batch"]])
	delete_enterprises([WORLD["enterprise"], WORLD["other_enterprise"]])
	delete_users(WORLD["users"])
	frappe.db.commit()  # nosemgrep


class ReviewCase(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"  # the site's language, as in a request
		frappe.set_user("Administrator")
		self.industry = create_industry()
		self.scheme = scheme_doc(cultivation_type=TYPE, batch=WORLD["batch"])
		self.scheme.indicators[2].guidance = "看行业排名与市场占有率"
		self.scheme.insert()
		self.users = [expert_user() for _ in range(4)]
		WORLD["users"].extend(self.users)
		self.experts = [create_expert(self.industry) for _ in self.users]
		for expert, user in zip(self.experts, self.users, strict=True):
			frappe.db.set_value("GZ Expert", expert, "user", user)
		self.draw = frappe.get_doc(
			{
				"doctype": "GZ Expert Draw",
				"enterprise": WORLD["enterprise"],
				"reference_doctype": "Cultivation Submission",
				"reference_name": WORLD["application"],
				"strata": [{"industry": self.industry, "panel_size": 2, "reserve_size": 2}],
			}
		).insert()
		self.draw.draw()
		checker = create_administrator()
		WORLD["users"].append(checker)
		frappe.set_user(checker)
		frappe.get_doc("GZ Expert Draw", self.draw.name).countersign()
		frappe.set_user("Administrator")
		self.draw.reload()

	def tearDown(self):
		"""What a test made is gone, committed (HTTP requests commit) or not."""
		frappe.set_user("Administrator")
		frappe.db.rollback()
		delete_draws([self.draw.name])
		frappe.db.delete("GZ Scoring Scheme", self.scheme.name)
		scoring.forget_schemes()  # deleted without the controller
		frappe.db.delete("GZ Scoring Indicator", {"parent": self.scheme.name})
		for table in ("GZ Expert Industry", "GZ Expert Employer", "GZ Expert Relation"):
			frappe.db.delete(table, {"parent": ["in", self.experts]})
		frappe.db.delete("GZ Expert", {"name": ["in", self.experts]})
		frappe.db.delete("GZ Industry", self.industry)
		frappe.db.commit()  # nosemgrep

	def review_of(self, member_index: int):
		expert = self.draw.members[member_index].expert
		name = frappe.db.get_value("GZ Expert Review", {"draw": self.draw.name, "expert": expert}, "name")
		return frappe.get_doc("GZ Expert Review", name) if name else None

	def user_of(self, review_doc) -> str:
		return frappe.db.get_value("GZ Expert", review_doc.expert, "user")

	def declare(self, review_doc, declaration, note=None):
		frappe.set_user(self.user_of(review_doc))
		review_doc.declaration = declaration
		review_doc.conflict_note = note
		review_doc.save()
		frappe.set_user("Administrator")
		review_doc.reload()
		return review_doc


class TestReview(ReviewCase):
	def test_a_countersigned_draw_opens_a_review_per_drawn_expert_with_nothing_shown(self):
		reviews = frappe.get_all(
			"GZ Expert Review", filters={"draw": self.draw.name}, fields=["expert", "status"]
		)
		panel = [m.expert for m in self.draw.members if m.member_role == experts.PANEL]
		self.assertEqual(sorted(r.expert for r in reviews), sorted(panel))
		self.assertEqual({r.status for r in reviews}, {review.PENDING})
		first = self.review_of(0)
		self.assertFalse(first.lines)
		self.assertFalse(first.total or first.declared_total)

	def test_declaring_no_conflict_shows_the_figures_and_verifying_scores_them(self):
		first = self.declare(self.review_of(0), review.NO_CONFLICT)
		self.assertEqual(first.status, review.REVIEWING)
		ratio, patents, position = first.lines
		self.assertAlmostEqual(ratio.declared_value, 50 / 180 * 100)
		self.assertEqual(patents.declared_value, 12)
		self.assertEqual(patents.declared_points, 40)
		self.assertFalse(position.declared_value or position.expert_score)
		self.assertEqual(position.guidance, "看行业排名与市场占有率")
		self.assertAlmostEqual(first.declared_total, 100)

		frappe.set_user(self.user_of(first))
		first.lines[1].verified_value = 5
		with self.assertRaises(review.ReviewError) as caught:
			first.save()  # a cut without a reason
		self.assertIn("发明专利", str(caught.exception))
		first.reload()
		first.lines[1].verified_value = 5
		first.lines[1].cut_reason = "7件专利证书未提供"
		first.lines[2].expert_score = "15"
		first.save()
		first.submit_scores()
		first.reload()
		self.assertEqual(first.status, review.SUBMITTED)
		self.assertAlmostEqual(first.lines[1].points, 24 + 16 * 3 / 8)  # 5 patents: b 2, f 10
		self.assertAlmostEqual(first.total, (40 + 30 + 15) / 100 * 100)
		# Final: nothing changes after submission, by any path.
		first.lines[2].expert_score = "20"
		with self.assertRaises(frappe.PermissionError):
			first.save()

	def test_bad_scores_are_refused_naming_the_indicator(self):
		first = self.declare(self.review_of(0), review.NO_CONFLICT)
		frappe.set_user(self.user_of(first))
		for case, (row, field, value) in {
			"above the declared value": (1, "verified_value", 13),
			"not a number": (1, "verified_value", "nan"),
			"negative": (1, "verified_value", -1),
			"qualitative above its weight": (2, "expert_score", "21"),
			"qualitative below 0": (2, "expert_score", "-1"),
			"qualitative not a number": (2, "expert_score", "优秀"),
			"declared value rewritten": (1, "declared_value", 99),
			"weight rewritten": (2, "weight", 100),
		}.items():
			doc = frappe.get_doc("GZ Expert Review", first.name)
			doc.lines[row].set(field, value)
			with self.assertRaises(review.ReviewError, msg=case) as caught:
				doc.save()
			self.assertIn(doc.lines[row].indicator, str(caught.exception), case)
		doc = frappe.get_doc("GZ Expert Review", first.name)
		doc.total = 100
		with self.assertRaises(review.ReviewError):
			doc.save()
		doc = frappe.get_doc("GZ Expert Review", first.name)
		with self.assertRaises(review.ReviewError) as caught:
			doc.submit_scores()  # 行业地位 not scored
		self.assertIn("行业地位", str(caught.exception))
		frappe.set_user("Administrator")
		stored = frappe.get_doc("GZ Expert Review", first.name)
		self.assertEqual(stored.status, review.REVIEWING)
		self.assertEqual(stored.lines[1].verified_value, 12)

	def test_a_declared_conflict_hands_the_review_to_the_next_reserve(self):
		first = self.review_of(0)
		frappe.set_user(self.user_of(first))
		first.declaration = review.CONFLICT
		with self.assertRaises(review.ReviewError):
			first.save()  # a conflict without saying what it is
		frappe.set_user("Administrator")
		first = self.declare(self.review_of(0), review.CONFLICT, "配偶在该企业任职")
		self.assertEqual(first.status, review.AVOIDED)
		self.assertFalse(first.lines)
		reserve = next(m.expert for m in self.draw.members if m.member_role == experts.RESERVE)
		replacement = frappe.get_doc("GZ Expert Review", {"replaces": first.name})
		self.assertEqual(replacement.expert, reserve)
		self.assertEqual(replacement.status, review.PENDING)
		# The avoided expert can no longer change anything.
		frappe.set_user(self.user_of(first))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("GZ Expert Review", first.name).save()

	def test_the_panel_aggregates_by_the_schemes_rule_with_each_experts_deviation(self):
		totals = []
		for index, (patents, position) in enumerate(((12, 20), (2, 0))):
			doc = self.declare(self.review_of(index), review.NO_CONFLICT)
			frappe.set_user(self.user_of(doc))
			doc.lines[1].verified_value = patents
			doc.lines[1].cut_reason = "证据不足" if patents < 12 else None
			doc.lines[2].expert_score = str(position)
			doc.save()
			doc.submit_scores()
			totals.append(frappe.db.get_value("GZ Expert Review", doc.name, "total"))
		frappe.set_user("Administrator")
		self.assertEqual(totals, [100, (40 + 24 + 0) / 100 * 100])
		result = review.panel("Cultivation Submission", WORLD["application"])
		self.assertEqual(result["rule"], scoring.MEAN)
		self.assertAlmostEqual(result["score"], 82)
		self.assertEqual(sorted(round(e["deviation"], 6) for e in result["experts"]), [-18, 18])
		frappe.db.set_value("GZ Scoring Scheme", self.scheme.name, "aggregation", scoring.MEDIAN)
		self.assertAlmostEqual(review.panel("Cultivation Submission", WORLD["application"])["score"], 82)

	def test_released_results_show_the_enterprise_each_figure_declared_and_verified(self):
		enterprise_admin = WORLD["users"][0]
		path = "gz_innovation.cultivation.api.get_submission"
		first = self.declare(self.review_of(0), review.NO_CONFLICT)
		second = self.declare(self.review_of(1), review.NO_CONFLICT)
		frappe.set_user(self.user_of(first))
		first.lines[1].verified_value = 5
		first.lines[1].cut_reason = "7件专利证书未提供"
		first.lines[2].expert_score = "15"
		first.save()
		first.submit_scores()
		frappe.set_user("Administrator")
		with self.assertRaises(review.ReviewError) as caught:
			self.draw.release_results()  # the second expert has not submitted
		self.assertIn("1", str(caught.exception))
		self.assertIsNone(review.results("Cultivation Submission", WORLD["application"]))
		frappe.set_user(self.user_of(second))
		second.lines[2].expert_score = "20"
		second.save()
		second.submit_scores()
		frappe.set_user("Administrator")
		evidence = frappe.get_doc(
			{
				"doctype": "Cultivation Evidence",
				"parent": WORLD["application"],
				"parenttype": "Cultivation Submission",
				"parentfield": "evidence",
				"idx": 1,
				"fieldname": "invention_patents",
				"file_name": "专利证书.pdf",
				"file": "/private/files/patents.pdf",
			}
		)
		evidence.db_insert()  # as the enterprise attached it before submitting (cultivation's tests)
		self.addCleanup(
			lambda: (frappe.db.delete("Cultivation Evidence", evidence.name), frappe.db.commit())
		)  # nosemgrep
		frappe.db.commit()  # nosemgrep: HTTP requests read it
		visitor = Visitor(ip="10.30.0.9").login(enterprise_admin)
		before = visitor.method(path, name=WORLD["application"]).json["message"]
		self.assertIsNone(before["review_results"])  # not before the department releases them
		self.draw.release_results()
		with self.assertRaises(review.ReviewError):
			frappe.get_doc("GZ Expert Draw", self.draw.name).release_results()  # once
		frappe.db.commit()  # nosemgrep
		shown = visitor.method(path, name=WORLD["application"]).json["message"]["review_results"]
		ratio, patents, position = shown["indicators"]
		self.assertEqual(
			patents["evidence"], [{"file_name": "专利证书.pdf", "url": "/private/files/patents.pdf"}]
		)
		self.assertEqual(ratio["evidence"], [])  # its figures have no evidence attached
		self.assertEqual((patents["declared_value"], patents["declared_points"]), (12, 40))
		cut, kept = patents["experts"]
		self.assertEqual((cut["expert"], cut["verified_value"], cut["cut"]), ("专家1", 5, True))
		self.assertAlmostEqual(cut["points"], 24 + 16 * 3 / 8)
		self.assertEqual(cut["cut_reason"], "7件专利证书未提供")
		self.assertEqual(
			(kept["verified_value"], kept["points"], kept["cut"], kept["cut_reason"]), (12, 40, False, "")
		)
		self.assertEqual([e["points"] for e in position["experts"]], [15, 20])
		self.assertIsNone(position["declared_value"])
		self.assertEqual(shown["declared_total"], 100)
		self.assertAlmostEqual(shown["panel_score"], ((40 + 30 + 15) + (40 + 40 + 20)) / 2)
		names = [frappe.db.get_value("GZ Expert", r.expert, "full_name") for r in (first, second)]
		for name in names:
			self.assertNotIn(
				name, visitor.method(path, name=WORLD["application"]).text
			)  # numbered, never named

	def test_the_score_report_by_application_programme_city_and_expert_within_the_scope(self):
		from gz_innovation.enterprise.tests.utils import create_regulator
		from gz_innovation.recognition.report.recognition_scores import recognition_scores as report

		for index, (patents, position) in enumerate(((5, 15), (12, 20))):
			doc = self.declare(self.review_of(index), review.NO_CONFLICT)
			frappe.set_user(self.user_of(doc))
			doc.lines[1].verified_value = patents
			doc.lines[1].cut_reason = "证据不足" if patents < 12 else None
			doc.lines[2].expert_score = str(position)
			doc.save()
			doc.submit_scores()
		frappe.set_user("Administrator")
		filters = {"batch": WORLD["batch"]}
		_columns, (row,) = report.execute({**filters, "group_by": "申报"})[:2]
		self.assertEqual((row["name"], row["experts"], row["declared_total"]), (WORLD["application"], 2, 100))
		self.assertAlmostEqual(row["panel_score"], 92.5)
		self.assertAlmostEqual(row["cut"], 7.5)
		_columns, (city,) = report.execute({**filters, "group_by": "市州"})[:2]
		self.assertEqual((city["group"], city["applications"]), ("贵阳市", 1))
		_columns, experts_rows = report.execute({**filters, "group_by": "专家"})[:2]
		self.assertEqual(sorted(round(e["average_deviation"], 6) for e in experts_rows), [-7.5, 7.5])
		names = {frappe.db.get_value("GZ Expert", self.review_of(i).expert, "full_name") for i in (0, 1)}
		self.assertEqual({e["expert_name"] for e in experts_rows}, names)
		# A reviewer sees the applications of their scope only, and never the experts by name.
		here, elsewhere = create_regulator(city="贵阳市"), create_regulator(city="遵义市")
		WORLD["users"].extend([here, elsewhere])
		frappe.set_user(here)
		self.assertEqual(len(report.execute({**filters, "group_by": "申报"})[1]), 1)
		with self.assertRaises(frappe.PermissionError):
			report.execute({**filters, "group_by": "专家"})
		frappe.set_user(elsewhere)
		self.assertEqual(report.execute({**filters, "group_by": "申报"})[1], [])

	def test_reviews_are_opened_only_by_a_draw(self):
		user = self.users[0]
		frappe.set_user(user)
		with self.assertRaises((review.ReviewError, frappe.PermissionError)):
			frappe.get_doc(
				{
					"doctype": "GZ Expert Review",
					"expert": self.experts[0],
					"expert_user": user,
					"draw": self.draw.name,
					"enterprise": WORLD["other_enterprise"],
					"status": review.REVIEWING,
				}
			).insert()


class TestExpertsRefusedOnEveryPath(ReviewCase):
	"""Over HTTP, as the drawn expert: the application itself is never theirs; a review is theirs
	alone, and shows the figures only once they declared no conflict."""

	def test_an_expert_reaches_no_application_and_no_other_review(self):
		mine, other = self.review_of(0), self.review_of(1)
		visitor = Visitor(ip="10.30.0.1").login(self.user_of(mine))
		application = WORLD["application"]
		doors = {
			"getdoc": lambda: visitor.get(
				"/api/method/frappe.desk.form.load.getdoc", doctype="Cultivation Submission", name=application
			),
			"rest": lambda: visitor.get(f"/api/resource/Cultivation%20Submission/{quote(application)}"),
			"rest v2": lambda: visitor.get(f"/api/v2/document/Cultivation%20Submission/{quote(application)}"),
			"client.get": lambda: visitor.method(
				"frappe.client.get", doctype="Cultivation Submission", name=application
			),
			"report view": lambda: visitor.method(
				"frappe.desk.reportview.get",
				doctype="Cultivation Submission",
				fields=["name", "revenue"],
			),
			"print view": lambda: visitor.get(
				"/printview", doctype="Cultivation Submission", name=application, format="Standard"
			),
			"pdf": lambda: visitor.get(
				"/api/method/frappe.utils.print_format.download_pdf",
				doctype="Cultivation Submission",
				name=application,
			),
			"another's review": lambda: visitor.get(
				"/api/method/frappe.desk.form.load.getdoc", doctype="GZ Expert Review", name=other.name
			),
			"another's review by REST": lambda: visitor.get(
				f"/api/resource/GZ%20Expert%20Review/{other.name}"
			),
			"the draw": lambda: visitor.get(f"/api/resource/GZ%20Expert%20Draw/{self.draw.name}"),
			"the expert pool": lambda: visitor.get("/api/resource/GZ%20Expert", fields='["name","mobile"]'),
		}
		for door, call in doors.items():
			response = call()
			self.assertNotIn("50.0", response.text or "", door)  # the declared R&D spend never shows
			if door == "report view":
				self.assertNotIn(application, response.text or "", door)
			else:
				self.assertIn(response.status, (403, 404, 417), f"{door}: {response}")

		listed = visitor.get("/api/resource/GZ%20Expert%20Review", fields='["name"]').json["data"]
		self.assertEqual([row["name"] for row in listed], [mine.name])
		own = visitor.get(
			"/api/method/frappe.desk.form.load.getdoc", doctype="GZ Expert Review", name=mine.name
		)
		self.assertEqual(own.status, 200)
		self.assertEqual(own.json["docs"][0]["lines"], [])  # nothing before the declaration

		# Writing into another's review, or around the form, changes nothing.
		before = frappe.db.get_value("GZ Expert Review", other.name, ["status", "declaration"], as_dict=True)
		for response in (
			visitor.put(
				f"/api/resource/GZ%20Expert%20Review/{other.name}", {"declaration": review.NO_CONFLICT}
			),
			visitor.method(
				"frappe.client.set_value",
				doctype="GZ Expert Review",
				name=other.name,
				fieldname="declaration",
				value=review.NO_CONFLICT,
			),
			visitor.method("run_doc_method", dt="GZ Expert Review", dn=other.name, method="submit_scores"),
		):
			self.assertIn(response.status, (403, 404, 417), response)
		self.assertEqual(
			frappe.db.get_value("GZ Expert Review", other.name, ["status", "declaration"], as_dict=True),
			before,
		)

		# Declared: the figures arrive through the review, the application stays closed.
		response = visitor.put(
			f"/api/resource/GZ%20Expert%20Review/{mine.name}", {"declaration": review.NO_CONFLICT}
		)
		self.assertEqual(response.status, 200, response)
		self.assertEqual(len(response.json["data"]["lines"]), 3)
		self.assertEqual(doors["getdoc"]().status, 403)


class TestExpertReminders(ReviewCase):
	def test_experts_who_have_not_submitted_are_reminded_once_a_day(self):
		from frappe.utils import add_days, now_datetime

		from gz_innovation.recognition import reminders

		settings = frappe.get_single("Cultivation Reminder Settings")
		settings.update(
			{"enabled": 1, "send_sms": 0, "send_email": 0, "send_desk_notification": 1, "due_within_days": 3}
		)
		first, second = self.review_of(0), self.review_of(1)
		done = self.declare(first, review.NO_CONFLICT)
		frappe.set_user(self.user_of(done))
		done.lines[2].expert_score = "10"
		done.save()
		done.submit_scores()
		frappe.set_user("Administrator")

		frappe.db.set_value("GZ Expert Draw", self.draw.name, "review_deadline", add_days(now_datetime(), 10))
		self.assertEqual(reminders.remind_experts(settings, now_datetime()), 0)  # not due yet

		frappe.db.set_value("GZ Expert Draw", self.draw.name, "review_deadline", add_days(now_datetime(), 1))
		self.assertEqual(reminders.remind_experts(settings, now_datetime()), 1)
		waiting = self.user_of(second)
		log = frappe.get_last_doc("Cultivation Reminder Log", filters={"recipient": waiting})
		self.assertEqual(log.kind, reminders.KIND)
		self.assertIn("1", log.message)
		bell = frappe.get_last_doc("Notification Log", filters={"for_user": waiting})
		self.assertEqual(bell.document_type, "GZ Expert Review")
		self.assertFalse(
			frappe.db.exists(
				"Cultivation Reminder Log", {"recipient": self.user_of(done), "kind": reminders.KIND}
			)
		)
		# Once a day: the job running again sends nothing.
		self.assertEqual(reminders.remind_experts(settings, now_datetime()), 0)
