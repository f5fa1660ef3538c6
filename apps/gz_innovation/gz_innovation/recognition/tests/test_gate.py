"""The self-score while filling and the gate at submission: a programme whose batch has a scoring
scheme shows the enterprise its self-score beside the live pre-check, line by line with what would
raise it; below the gate, submitting is refused with the reasons by every path, and nothing is saved."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.cultivation import submission
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.recognition import scoring
from gz_innovation.recognition.tests.utils import scheme_doc
from gz_innovation.tests.security.client import Visitor

TYPE = "企业技术中心"
WORLD: dict = {}


def setUpModule():
	frappe.set_user("Administrator")
	WORLD["admin"] = create_user()
	WORLD["enterprise"] = create_certified_enterprise(WORLD["admin"])
	WORLD["batch"] = open_batch(days_left=30)
	WORLD["plain_batch"] = open_batch(days_left=30)
	scheme = scheme_doc(cultivation_type=TYPE, batch=WORLD["batch"], gate=70)
	scheme.insert()
	WORLD["scheme"] = scheme.name
	frappe.db.commit()  # nosemgrep: HTTP requests read it


def tearDownModule():
	frappe.set_user("Administrator")
	frappe.delete_doc("GZ Scoring Scheme", WORLD["scheme"], force=True)
	delete_batches([WORLD["batch"], WORLD["plain_batch"]])
	delete_enterprises([WORLD["enterprise"]])
	delete_users([WORLD["admin"]])
	frappe.db.commit()  # nosemgrep


def figures(patents: int) -> dict:
	return {**manual_example_values(), "invention_patents": patents, "commitment": 1}


class TestGate(FrappeTestCase):
	def setUp(self):
		frappe.set_user(WORLD["admin"])

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_the_self_score_beside_the_precheck(self):
		result = submission.precheck(TYPE, WORLD["batch"], figures(1))
		score = result["self_score"]
		self.assertEqual(score["scheme"], WORLD["scheme"])
		self.assertAlmostEqual(score["self_score"], (40 + 12) / 80 * 100)  # 27.8 % R&D: full; 1 patent
		self.assertFalse(score["passes_gate"])
		ratio, patents, position = score["lines"]
		self.assertEqual(ratio["points"], 40)
		self.assertEqual(patents["points"], 12)
		self.assertIn("2件", patents["raise_by"])  # reaching b (2 patents) gives 0.6·w
		self.assertEqual(position["kind"], scoring.QUALITATIVE)
		self.assertTrue(any("发明专利" in reason for reason in score["reasons"]))
		self.assertTrue(submission.precheck(TYPE, WORLD["batch"], figures(12))["self_score"]["passes_gate"])
		# A batch without a scheme: the pre-check as before, no self-score.
		self.assertIsNone(submission.precheck(TYPE, WORLD["plain_batch"], figures(1))["self_score"])

	def test_a_scheme_disabled_or_enabled_in_desk_is_what_the_next_precheck_uses(self):
		# Schemes are read from a cached map (scoring.enabled_schemes); saving one drops it.
		frappe.set_user("Administrator")
		scheme = frappe.get_doc("GZ Scoring Scheme", WORLD["scheme"])
		scheme.enabled = 0
		scheme.save()
		try:
			frappe.set_user(WORLD["admin"])
			self.assertIsNone(submission.precheck(TYPE, WORLD["batch"], figures(1))["self_score"])
		finally:
			frappe.set_user("Administrator")
			scheme.reload()
			scheme.enabled = 1
			scheme.save()
			frappe.db.commit()  # nosemgrep: the module's scheme as it was
		frappe.set_user(WORLD["admin"])
		score = submission.precheck(TYPE, WORLD["batch"], figures(1))["self_score"]
		self.assertEqual(score["scheme"], WORLD["scheme"])

	def test_below_the_gate_submitting_is_refused_and_nothing_is_saved(self):
		draft = submission.open_draft(TYPE, WORLD["batch"])
		frappe.db.commit()  # nosemgrep: the draft stays; the refused submit is rolled back
		with self.assertRaises(scoring.ScoringError) as caught:
			submission.submit(draft.name, figures(1))
		message = str(caught.exception)
		self.assertIn("65", message)  # the self-score
		self.assertIn("70", message)  # the gate
		self.assertIn("发明专利", message)  # what would raise it
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Cultivation Submission", draft.name, "status"), "草稿")
		submitted = submission.submit(draft.name, figures(12))
		self.assertEqual(submitted.status, "已提交")
		frappe.db.rollback()

	def test_the_portal_shows_it_and_refuses_over_http(self):
		visitor = Visitor(ip="10.40.0.1").login(WORLD["admin"])
		response = visitor.method(
			"gz_innovation.cultivation.api.precheck",
			cultivation_type=TYPE,
			batch=WORLD["batch"],
			values=figures(1),
		)
		self.assertEqual(response.status, 200, response)
		self.assertAlmostEqual(response.json["message"]["self_score"]["self_score"], 65)
		opened = visitor.method(
			"gz_innovation.cultivation.api.open_submission", cultivation_type=TYPE, batch=WORLD["batch"]
		)
		name = opened.json["message"]["name"]
		refused = visitor.method(
			"gz_innovation.cultivation.api.submit_submission", name=name, values=figures(1)
		)
		self.assertEqual(refused.status, 417, refused)
		self.assertIn("自评分", refused.message)
		self.assertFalse(refused.has_traceback)
		self.assertEqual(frappe.db.get_value("Cultivation Submission", name, "status"), "草稿")
		# The refused submit's figures were not half-saved either.
		self.assertFalse(frappe.db.get_value("Cultivation Submission", name, "invention_patents"))
