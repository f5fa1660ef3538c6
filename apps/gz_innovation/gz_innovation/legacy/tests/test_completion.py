"""需更新完善: a legacy admin reviews and completes the imported data before any new submission."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.test_login import Browser, message_of
from gz_innovation.accounts.tests.utils import use_capture_provider
from gz_innovation.cultivation import submission
from gz_innovation.cultivation.tests.utils import delete_batches, open_batch
from gz_innovation.enterprise.tests.utils import new_uscc
from gz_innovation.legacy import completion
from gz_innovation.legacy.tests.utils import (
	SAMPLE_PASSWORDS,
	ZHIYUAN,
	delete_legacy_data,
	delete_sample,
	import_files,
	sample_files,
)

API = "/api/method/gz_innovation.legacy.api."


class TestCompletion(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		use_capture_provider()
		cls.batch = open_batch()

	@classmethod
	def tearDownClass(cls):
		delete_batches([cls.batch])
		super().tearDownClass()

	def setUp(self):
		frappe.local.lang = "zh"
		delete_sample()
		import_files(sample_files())
		self.admin = frappe.db.get_value("User", {"username": "zhiyuan_admin"})
		self.corrected = new_uscc()
		self.addCleanup(delete_legacy_data, (), [self.corrected])
		self.addCleanup(delete_sample)

	def logged_in(self) -> Browser:
		browser = Browser()
		self.assertEqual(browser.login("zhiyuan_admin", SAMPLE_PASSWORDS["zhiyuan_admin"]).status_code, 200)
		return browser

	def test_nothing_new_before_the_data_is_completed(self):
		browser = self.logged_in()
		page = browser.get("/cultivation")
		self.assertIn(page.status_code, (301, 302))
		self.assertTrue(page.headers["Location"].endswith("/enterprise-update"))
		form = browser.get("/enterprise-update")
		self.assertEqual(form.status_code, 200)
		html = form.get_data(as_text=True)
		# Prefilled with the imported values (the page's form data is JSON).
		self.assertIn('"enterprise_name":"贵州智源', html)
		self.assertIn(f'"uscc":"{ZHIYUAN}"', html)
		self.assertIn("需更新完善", html)
		self.assertIn("GB 32100-2015", html)  # the flagged code must be corrected
		frappe.set_user(self.admin)
		try:
			with self.assertRaisesRegex(frappe.ValidationError, "请先核对并完善企业信息"):
				submission.open_draft("企业技术中心", self.batch)
		finally:
			frappe.set_user("Administrator")

	def test_the_flagged_code_must_be_corrected_with_a_valid_one(self):
		browser = self.logged_in()
		form = browser.post(API + "get_enterprise_update", {}).json["message"]
		values = {k: form[k] for k in completion.fields() if form.get(k) is not None}
		rejected = browser.post(API + "complete_enterprise_update", {"values": values})
		self.assertEqual(rejected.status_code, 417)
		self.assertIn("统一社会信用代码", message_of(rejected))
		self.assertEqual(frappe.db.get_value("Enterprise", ZHIYUAN, "needs_update"), 1)
		values.update(uscc=self.corrected, contact_phone="0851-86861234")
		# The previous platform's 所属行业 (科技服务业) is not in the list kept in Desk: chosen again.
		refused = browser.post(API + "complete_enterprise_update", {"values": values})
		self.assertEqual(refused.status_code, 417)
		self.assertIn("请从列表中选择所属行业", message_of(refused))
		values.update(industry="科技推广和应用服务业")
		accepted = browser.post(API + "complete_enterprise_update", {"values": values})
		self.assertEqual(accepted.status_code, 200, message_of(accepted))
		# The admin lands in the management center, told that the data was saved.
		self.assertEqual(accepted.json["message"]["redirect"], "/cultivation?updated=1")
		landing = browser.get("/cultivation?updated=1")
		self.assertEqual(landing.status_code, 200)
		self.assertIn("企业信息已保存", landing.get_data(as_text=True))
		self.assertNotIn("企业信息已保存", browser.get("/cultivation").get_data(as_text=True))
		frappe.db.commit()  # nosemgrep: see the request's writes
		self.assertFalse(frappe.db.exists("Enterprise", ZHIYUAN))
		enterprise = frappe.get_doc("Enterprise", self.corrected)
		self.assertEqual(
			(enterprise.uscc, enterprise.needs_update, enterprise.uscc_flagged), (self.corrected, 0, 0)
		)
		self.assertEqual(enterprise.contact_phone, "0851-86861234")
		# Members follow the renamed enterprise; the new code logs the admin in.
		staff = frappe.db.get_value("User", {"username": "zhiyuan_yang"})
		self.assertTrue(frappe.db.exists("User Permission", {"user": staff, "for_value": self.corrected}))
		again = Browser().login(self.corrected, SAMPLE_PASSWORDS["zhiyuan_admin"])
		self.assertEqual(again.json["message"]["redirect"], "/account-center")

	def test_a_required_field_left_empty_is_named(self):
		browser = self.logged_in()
		form = browser.post(API + "get_enterprise_update", {}).json["message"]
		values = {k: form[k] for k in completion.fields() if form.get(k) is not None}
		values.update(uscc=self.corrected, contact_person="", industry="科技推广和应用服务业")
		response = browser.post(API + "complete_enterprise_update", {"values": values})
		self.assertEqual(response.status_code, 417)
		self.assertIn("联系人", message_of(response))
		self.assertEqual(frappe.db.get_value("Enterprise", ZHIYUAN, "needs_update"), 1)

	def test_the_first_submission_starts_from_the_last_legacy_figures(self):
		qianxin = frappe.db.get_value("Enterprise", {"enterprise_name": "贵州黔信数据科技有限公司"})
		admin = frappe.db.get_value("Enterprise", qianxin, "enterprise_admin")
		# The enterprise's record holds older amounts: the previous platform's last figures win.
		frappe.db.set_value(
			"Enterprise", qianxin, {"needs_update": 0, "annual_revenue": 100, "rd_expenditure": 10}
		)
		frappe.set_user(admin)
		try:
			draft = submission.open_draft("企业技术中心", self.batch)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(draft.software_copyrights, 46)  # 2023, not 2022
		self.assertEqual(draft.invention_patents, 9)
		self.assertEqual(draft.is_big_data_enterprise, "是")  # 是/否 columns read into the 是/否 question
		self.assertEqual(draft.cmmi_level4, "是")
		# 一、基本信息: the yearly amounts from the same figures, the rest from the enterprise's record.
		self.assertEqual((draft.annual_revenue, draft.rd_investment), (8650.5, 1120))
		self.assertEqual(draft.industry, "软件和信息技术服务业")
		self.assertEqual(draft.contact_email, "lina@qianxin-data.cn")
		self.assertEqual(str(draft.registration_date), "2016-03-18")
