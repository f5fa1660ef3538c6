"""Takeover and squatting of an enterprise's certification (a code someone else has drafted or that was
rejected): nothing of the earlier applicant reaches the next, and an abandoned draft does not block
the real company forever."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from gz_innovation.accounts.tests.utils import create_user, delete_users, use_capture_provider
from gz_innovation.enterprise import certification
from gz_innovation.enterprise.tests.utils import (
	create_regulator,
	ensure_outgoing_email_account,
	new_uscc,
	step_two_values,
)
from gz_innovation.tests.pdfs import valid_pdf
from gz_innovation.tests.security.client import Visitor

SQUATTER_ADDRESS = "贵阳市南明区占位路1号"


class TestTakeover(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"
		use_capture_provider()
		ensure_outgoing_email_account()
		self.squatter, self.owner = create_user(), create_user()
		self.uscc = new_uscc()
		self.addCleanup(delete_users, [self.squatter, self.owner])
		self.addCleanup(self.discard)
		self.addCleanup(frappe.set_user, "Administrator")
		frappe.set_user(self.squatter)
		certification.start("占位企业", self.uscc)
		certification.attach_licence(self.uscc, "licence.pdf", valid_pdf("squatter's licence"))
		certification.save_step(self.uscc, 2, step_two_values(address=SQUATTER_ADDRESS), go_to=3)
		self.squatter_licence = frappe.db.get_value("Enterprise", self.uscc, "business_licence")
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep

	def discard(self):
		frappe.set_user("Administrator")
		if frappe.db.exists("Enterprise", self.uscc):
			certification.discard_application(self.uscc)
		frappe.db.commit()  # nosemgrep

	def start_as_owner(self):
		return (
			Visitor()
			.login(self.owner)
			.method(
				"gz_innovation.enterprise.api.start_certification",
				enterprise_name="真正的企业",
				uscc=self.uscc,
			)
		)

	def test_a_fresh_draft_of_another_applicant_blocks_and_shows_nothing(self):
		response = self.start_as_owner()
		self.assertEqual(response.status, 417)
		self.assertEqual(
			response.message,
			"该企业已有认证申请正在办理中。申请超过30天未继续办理的，可重新发起申请；也可联系平台处理",
		)
		self.assertNotIn(SQUATTER_ADDRESS, response.text)
		self.assertNotIn("占位企业", response.text)
		self.assertEqual(frappe.db.get_value("Enterprise", self.uscc, "applicant"), self.squatter)

	def test_an_abandoned_draft_goes_to_the_next_applicant_without_its_data(self):
		frappe.db.set_value(
			"Enterprise", self.uscc, "modified", add_days(now_datetime(), -31), update_modified=False
		)
		frappe.db.commit()  # nosemgrep
		response = self.start_as_owner()
		self.assertEqual(response.status, 200, response)
		self.assertNotIn(SQUATTER_ADDRESS, response.text)
		application = response.json["message"]["application"]
		self.assertEqual(application["enterprise_name"], "真正的企业")
		self.assertIsNone(application["address"])
		self.assertIsNone(application["business_licence"])
		self.assertEqual(frappe.db.get_value("Enterprise", self.uscc, "applicant"), self.owner)
		# The squatter's file and history went with the draft.
		self.assertFalse(frappe.db.exists("File", {"file_url": self.squatter_licence}))
		history = frappe.get_all(
			"Version", filters={"ref_doctype": "Enterprise", "docname": self.uscc}, pluck="data"
		)
		self.assertFalse(any(SQUATTER_ADDRESS in data for data in history))
		owner = Visitor().login(self.owner)
		self.assertNotIn(
			SQUATTER_ADDRESS,
			owner.get("/api/method/frappe.desk.form.load.getdoc", doctype="Enterprise", name=self.uscc).text,
		)

	def test_a_rejected_application_goes_to_the_next_applicant_without_its_data(self):
		frappe.set_user(self.squatter)
		frappe.db.set_value("Enterprise", self.uscc, "certification_step", 5)
		certification.save_step(self.uscc, 5, {"needs_digital_certification": 0})
		certification.submit(self.uscc)
		reviewer = create_regulator()
		self.addCleanup(delete_users, [reviewer])
		frappe.set_user(reviewer)
		doc = frappe.get_doc("Enterprise", self.uscc)
		doc.review_comment = "非本企业人员"
		doc.save()
		from frappe.model.workflow import apply_workflow

		apply_workflow(doc, "驳回")
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		response = self.start_as_owner()
		self.assertEqual(response.status, 200, response)
		self.assertNotIn(SQUATTER_ADDRESS, response.text)
		self.assertNotIn("非本企业人员", response.text)
		self.assertEqual(response.json["message"]["application"]["certification_status"], "草稿")
		self.assertFalse(frappe.db.exists("File", {"file_url": self.squatter_licence}))
