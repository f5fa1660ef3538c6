"""认定申报 as a programme: open to enterprises whose cultivation is 培育完成, and to every certified
enterprise where the batch allows direct application; refused on every path otherwise, with nothing
saved; a recognition draft starts from the 培育完成 submission's figures."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.cultivation import api, eligibility, submission
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.recognition.setup import RECOGNITION_PROGRAMME
from gz_innovation.recognition.tests.utils import complete_cultivation, recognition_batch
from gz_innovation.tests.security.client import Visitor

WORLD: dict = {}


def setUpModule():
	frappe.set_user("Administrator")
	WORLD["graduate_admin"] = create_user()
	WORLD["graduate"] = create_certified_enterprise(WORLD["graduate_admin"])
	WORLD["newcomer_admin"] = create_user()
	WORLD["newcomer"] = create_certified_enterprise(WORLD["newcomer_admin"])
	WORLD["batch"] = recognition_batch()
	WORLD["direct_batch"] = recognition_batch(direct=True)
	frappe.set_user(WORLD["graduate_admin"])
	WORLD["cultivated"] = complete_cultivation(
		WORLD["graduate"],
		WORLD["batch"],
		{**manual_example_values(), "invention_patents": 12, "commitment": 1},
	)
	frappe.set_user("Administrator")
	frappe.db.commit()  # nosemgrep: HTTP requests read it


def tearDownModule():
	frappe.set_user("Administrator")
	delete_batches([WORLD["batch"], WORLD["direct_batch"]])
	delete_enterprises([WORLD["graduate"], WORLD["newcomer"]])
	delete_users([WORLD["graduate_admin"], WORLD["newcomer_admin"]])
	frappe.db.commit()  # nosemgrep


def applications(enterprise: str) -> int:
	return frappe.db.count(
		"Cultivation Submission", {"enterprise": enterprise, "cultivation_type": RECOGNITION_PROGRAMME}
	)


class TestRecognitionApplication(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"  # the site's language, as in a request

	def tearDown(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")

	def test_without_cultivation_completed_the_application_is_refused_on_every_path(self):
		frappe.set_user(WORLD["newcomer_admin"])
		with self.assertRaises(eligibility.EligibilityError) as caught:
			submission.open_draft(RECOGNITION_PROGRAMME, WORLD["batch"])
		self.assertIn("培育完成", str(caught.exception))
		self.assertIn(RECOGNITION_PROGRAMME, str(caught.exception))
		frappe.db.rollback()
		# The center says why before anyone clicks; the graduate sees the programme open.
		center = api.get_center()
		listed = next(b for b in center["batches"] if b.name == WORLD["batch"])
		self.assertIn("培育完成", listed.closed_types[RECOGNITION_PROGRAMME])
		self.assertNotIn("企业技术中心", listed.closed_types)
		frappe.set_user(WORLD["graduate_admin"])
		listed = next(b for b in api.get_center()["batches"] if b.name == WORLD["batch"])
		self.assertEqual(listed.closed_types, {})
		frappe.set_user("Administrator")

		visitor = Visitor(ip="10.41.0.1").login(WORLD["newcomer_admin"])
		response = visitor.method(
			"gz_innovation.cultivation.api.open_submission",
			cultivation_type=RECOGNITION_PROGRAMME,
			batch=WORLD["batch"],
		)
		self.assertEqual(response.status, 417, response)
		self.assertIn("培育完成", response.message)
		document = {
			"enterprise": WORLD["newcomer"],
			"cultivation_type": RECOGNITION_PROGRAMME,
			"batch": WORLD["batch"],
		}
		for refused in (
			visitor.post("/api/resource/Cultivation Submission", document),
			visitor.post("/api/v2/document/Cultivation Submission", document),
			visitor.method("frappe.client.insert", doc={"doctype": "Cultivation Submission", **document}),
		):
			self.assertIn(refused.status, (403, 417), refused)
		self.assertEqual(applications(WORLD["newcomer"]), 0)

	def test_the_programme_flag_changed_in_desk_is_what_the_center_shows_next(self):
		# The center reads who may apply from the cached batch list; saving the programme drops it.
		def closed() -> dict:
			frappe.set_user(WORLD["newcomer_admin"])
			listed = next(b for b in api.get_center()["batches"] if b.name == WORLD["batch"])
			frappe.set_user("Administrator")
			return listed.closed_types

		self.assertIn(RECOGNITION_PROGRAMME, closed())
		programme = frappe.get_doc("Cultivation Type", RECOGNITION_PROGRAMME)
		programme.requires_cultivation = 0
		programme.save()
		try:
			self.assertEqual(closed(), {})
		finally:
			programme.reload()
			programme.requires_cultivation = 1
			programme.save()
			frappe.db.commit()  # nosemgrep: the programme as it was
		self.assertIn(RECOGNITION_PROGRAMME, closed())

	def test_a_batch_that_allows_direct_application_opens_it_to_every_certified_enterprise(self):
		frappe.set_user(WORLD["newcomer_admin"])
		draft = submission.open_draft(RECOGNITION_PROGRAMME, WORLD["direct_batch"])
		self.assertEqual(draft.status, "草稿")
		listed = next(b for b in api.get_center()["batches"] if b.name == WORLD["direct_batch"])
		self.assertEqual(listed.closed_types, {})
		self.assertEqual(listed.direct_types, [RECOGNITION_PROGRAMME])

	def test_after_cultivation_the_draft_starts_from_its_figures(self):
		frappe.set_user(WORLD["graduate_admin"])
		draft = submission.open_draft(RECOGNITION_PROGRAMME, WORLD["batch"])
		self.assertEqual(draft.invention_patents, 12)  # from the 培育完成 submission
		self.assertEqual(
			draft.enterprise_name, frappe.db.get_value("Enterprise", WORLD["graduate"], "enterprise_name")
		)
		self.assertEqual(draft.status, "草稿")
		# A cultivation programme's new draft is not filled from another submission.
		other = submission.open_draft("工业设计中心", WORLD["batch"])
		self.assertFalse(other.invention_patents)

	def test_the_batch_opens_directly_only_a_programme_it_offers_and_that_needs_cultivation(self):
		batch = frappe.get_doc("Cultivation Batch", WORLD["batch"])
		batch.append("direct_types", {"cultivation_type": "企业技术中心"})
		with self.assertRaises(eligibility.EligibilityError) as caught:
			batch.save()
		self.assertIn("允许直接申报", str(caught.exception))
		self.assertIn("已对所有已认证企业开放", str(caught.exception))
		batch.reload()
		batch.types = [row for row in batch.types if row.cultivation_type != RECOGNITION_PROGRAMME]
		batch.append("direct_types", {"cultivation_type": RECOGNITION_PROGRAMME})
		with self.assertRaises(eligibility.EligibilityError) as caught:
			batch.save()
		self.assertIn("不在本批次的申报类型中", str(caught.exception))
