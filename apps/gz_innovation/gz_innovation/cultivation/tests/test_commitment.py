"""《真实性承诺说明》 as a Word document (manual §3.1.1): built with python-docx and read back with it,
filled with the enterprise's name and 统一社会信用代码, downloaded by those who may read the submission
only, its text replaced by administrators in Desk, and the same text on the HTML page."""

import io

import frappe
from docx import Document
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import PASSWORD, create_user, delete_users, use_capture_provider
from gz_innovation.cultivation import commitment, submission
from gz_innovation.cultivation.tests.utils import delete_batches, open_batch
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	create_staff,
	delete_enterprises,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(content: bytes) -> list[str]:
	"""The paragraphs of a .docx as Word shows them, read with python-docx."""
	return [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]


class TestCommitment(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		use_capture_provider()
		cls.batch = open_batch()
		cls.admin, cls.other_admin = create_user(), create_user()
		cls.enterprise = create_certified_enterprise(cls.admin)
		cls.other = create_certified_enterprise(cls.other_admin, city="遵义市", county="汇川区")
		cls.staff = create_staff(cls.enterprise)
		cls.reviewer = create_regulator(city="贵阳市")
		cls.addClassCleanup(delete_users, [cls.admin, cls.other_admin, cls.staff, cls.reviewer])
		cls.addClassCleanup(delete_enterprises, [cls.enterprise, cls.other])
		cls.addClassCleanup(delete_batches, [cls.batch])
		frappe.set_user(cls.admin)
		cls.name = submission.open_draft("企业技术中心", cls.batch).name
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep: HTTP requests of the tests read it

	def setUp(self):
		frappe.local.lang = "zh"
		frappe.set_user("Administrator")
		self.enterprise_name = frappe.db.get_value("Enterprise", self.enterprise, "enterprise_name")

	def browser(self, user: str, ip: str) -> Browser:
		browser = Browser(ip=ip)
		login = browser.login(frappe.db.get_value("User", user, "username"), PASSWORD)
		self.assertEqual(login.status_code, 200, login.data)
		return browser

	def path(self) -> str:
		return "/api/method/gz_innovation.cultivation.commitment.download?name=" + self.name

	def test_the_word_document_holds_the_enterprises_name_and_code(self):
		paragraphs = text_of(commitment.docx(self.enterprise_name, self.enterprise))
		self.assertEqual(paragraphs[0], "真实性承诺说明")
		self.assertIn(
			f"本单位{self.enterprise_name}（统一社会信用代码：{self.enterprise}）郑重承诺", paragraphs[1]
		)
		self.assertIn("如有不实，本单位愿意承担由此产生的一切后果及相应法律责任", paragraphs[2])
		self.assertEqual(
			paragraphs[3:],
			[f"承诺单位（盖章）：{self.enterprise_name}", "法定代表人（签字）：", "日期：    年    月    日"],
		)

	def test_downloaded_from_the_form_by_its_readers_only(self):
		response = self.browser(self.admin, "10.31.0.1").get(self.path())
		self.assertEqual(response.status_code, 200)
		self.assertEqual(response.headers["Content-Type"].split(";")[0], DOCX)
		self.assertIn(".docx", response.headers["Content-Disposition"])
		paragraphs = text_of(response.data)
		self.assertIn(self.enterprise_name, paragraphs[1])
		self.assertIn(self.enterprise, paragraphs[1])
		self.assertEqual(self.browser(self.reviewer, "10.31.0.2").get(self.path()).status_code, 200)
		# Another enterprise's admin, staff without the viewer role and guests are refused.
		for user, ip in ((self.other_admin, "10.31.0.3"), (self.staff, "10.31.0.4")):
			with self.subTest(user=user):
				refused = self.browser(user, ip).get(self.path())
				self.assertEqual(refused.status_code, 403)
				self.assertNotIn(b"PK", refused.data[:2])
		self.assertIn(Browser(ip="10.31.0.5").get(self.path()).status_code, (401, 403))

	def test_administrators_replace_the_text_in_desk(self):
		settings = frappe.get_single(commitment.SETTINGS)
		before = settings.as_dict()
		self.addCleanup(restore_settings, before)
		settings.title = "诚信承诺书"
		settings.body = "我单位{enterprise_name}承诺所填数据真实。\n统一社会信用代码：{uscc}"
		settings.signature = "单位（盖章）：\n日期：{date}"
		settings.save()
		paragraphs = text_of(commitment.docx(self.enterprise_name, self.enterprise))
		self.assertEqual(
			paragraphs[:3],
			[
				"诚信承诺书",
				f"我单位{self.enterprise_name}承诺所填数据真实。",
				f"统一社会信用代码：{self.enterprise}",
			],
		)
		self.assertEqual(paragraphs[3], "单位（盖章）：")
		self.assertRegex(paragraphs[4], r"^日期：\d{4}-\d{2}-\d{2}$")
		# The HTML view reads the same text, with the member's enterprise filled in.
		page = self.browser(self.admin, "10.31.0.6").get("/authenticity-commitment")
		html = page.data.decode("utf-8")
		self.assertEqual(page.status_code, 200)
		self.assertIn("诚信承诺书", html)
		self.assertIn(f"我单位{self.enterprise_name}承诺所填数据真实。", html)
		settings.body = "本单位承诺{enterprise}属实"
		with self.assertRaises(commitment.CommitmentError) as refused:
			settings.save()
		self.assertEqual(
			str(refused.exception),
			"正文：{enterprise}不是可用的占位符，请使用{enterprise_name}、{uscc}、{date}",
		)


def restore_settings(values: dict) -> None:
	settings = frappe.get_single(commitment.SETTINGS)
	settings.update({k: values.get(k) for k in ("title", "body", "signature")})
	settings.save(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep
