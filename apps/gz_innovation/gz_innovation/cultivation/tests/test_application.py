"""申报书: the server-set submission and stage times, the batch's stage deadlines, the PDF (its text
read with pdftotext: values, 指标评定, watermark), its download by the enterprise and by reviewers in
their scope, and the public verification page for a genuine, an altered and a draft code."""

import secrets
import subprocess
import tempfile
import unicodedata
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime

from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import PASSWORD, delete_users, use_capture_provider
from gz_innovation.audit import trail
from gz_innovation.cultivation import application
from gz_innovation.cultivation.stages import DeadlineError
from gz_innovation.cultivation.tests.department import (
	GOOD,
	GUIYANG,
	SMALL,
	ZUNYI,
	delete_batches,
	enterprise_in,
	new_batch,
	step,
	submitted,
)
from gz_innovation.enterprise.tests.utils import create_regulator, delete_enterprises
from gz_innovation.utils import ServerFieldError

CENTRE = "企业技术中心"


def pdf_text(content: bytes) -> str:
	"""The PDF's text as pdftotext reads it, in NFKC (the CJK font maps some characters to their
	Kangxi-radical forms)."""
	with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
		f.write(content)
		f.flush()
		text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True).stdout
	return unicodedata.normalize("NFKC", text.decode("utf-8"))


class ApplicationTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.local.lang = "zh"
		use_capture_provider()
		cls.batch = new_batch()
		cls.enterprise, cls.admin = enterprise_in(GUIYANG)
		cls.other_enterprise, cls.other_admin = enterprise_in(ZUNYI)
		cls.guiyang = create_regulator(city=GUIYANG)
		cls.zunyi = create_regulator(city=ZUNYI)
		cls.addClassCleanup(delete_users, [cls.admin, cls.other_admin, cls.guiyang, cls.zunyi])
		cls.addClassCleanup(delete_enterprises, [cls.enterprise, cls.other_enterprise])
		cls.addClassCleanup(delete_batches, [cls.batch])
		cls.name = submitted(cls.admin, cls.batch, CENTRE, SMALL)
		cls.draft = submitted(cls.other_admin, cls.batch, CENTRE, GOOD, submit=False)

	def setUp(self):
		frappe.local.lang = "zh"
		frappe.set_user("Administrator")

	def doc(self, name=None):
		return frappe.get_doc("Cultivation Submission", name or self.name)


class TestStageTimesAndDeadlines(ApplicationTestCase):
	def test_submission_and_stage_times_are_the_servers(self):
		doc = self.doc()
		self.assertLess(abs((now_datetime() - get_datetime(doc.submitted_at)).total_seconds()), 120)
		self.assertEqual(doc.stage_entered_at, doc.submitted_at)
		self.assertRegex(doc.verification_code, r"^[0-9A-F]{24}$")
		# A value sent by a client is refused, naming the field.
		frappe.set_user(self.guiyang)
		for field, value, label in (
			("submitted_at", "2020-01-01 00:00:00", "提交时间"),
			("stage_entered_at", "2020-01-01 00:00:00", "进入本阶段"),
			("verification_code", "0" * 24, "验证码"),
		):
			doc = self.doc()
			doc.set(field, value)
			with self.subTest(field=field), self.assertRaises(ServerFieldError) as raised:
				doc.save()
			self.assertEqual(str(raised.exception), f"{label}由系统填写，不能修改")
		frappe.set_user("Administrator")
		after = self.doc()
		self.assertNotEqual(str(after.submitted_at)[:4], "2020")
		self.assertNotEqual(after.verification_code, "0" * 24)

	def test_a_new_stage_restarts_the_stage_time_only(self):
		name = submitted(self.other_admin, self.batch, "技术创新示范企业", GOOD)
		frappe.db.set_value(
			"Cultivation Submission", name, "stage_entered_at", now_datetime() - timedelta(days=3)
		)
		before = self.doc(name)
		step(name, "受理", self.zunyi)
		after = self.doc(name)
		self.assertEqual(after.status, "市州初审")
		self.assertEqual(after.submitted_at, before.submitted_at)
		self.assertGreater(get_datetime(after.stage_entered_at), get_datetime(before.stage_entered_at))

	def test_a_deadline_before_the_batch_opens_is_refused(self):
		batch = frappe.get_doc("Cultivation Batch", self.batch)
		opens_at = get_datetime(batch.opens_at)
		batch.city_review_deadline = opens_at - timedelta(days=1)
		with self.assertRaises(DeadlineError) as raised:
			batch.save()
		self.assertEqual(
			str(raised.exception),
			"市州初审截止时间不能早于批次开放时间（{}）".format(opens_at.strftime("%Y-%m-%d %H:%M")),
		)
		batch = frappe.get_doc("Cultivation Batch", self.batch)
		batch.city_review_deadline = opens_at + timedelta(days=5)
		batch.province_review_deadline = opens_at + timedelta(days=2)
		with self.assertRaises(DeadlineError) as raised:
			batch.save()
		self.assertEqual(str(raised.exception), "省厅审核截止时间不能早于市州初审截止时间")
		self.assertIsNone(frappe.db.get_value("Cultivation Batch", self.batch, "city_review_deadline"))
		batch = frappe.get_doc("Cultivation Batch", self.batch)
		batch.city_review_deadline = opens_at + timedelta(days=5)
		batch.province_review_deadline = opens_at + timedelta(days=9)
		batch.save()
		self.assertEqual(
			get_datetime(frappe.db.get_value("Cultivation Batch", self.batch, "province_review_deadline")),
			opens_at + timedelta(days=9),
		)


class TestApplicationPDF(ApplicationTestCase):
	def test_the_pdf_of_a_submitted_application(self):
		doc = self.doc()
		text = pdf_text(application.pdf(self.name))
		for expected in (
			"省级技术创新平台培育申报书",
			doc.enterprise_name,
			doc.uscc,
			"一、基本信息",
			"二、限定性指标",
		):
			self.assertIn(expected, text)
		# 限定性指标 with their values and units
		self.assertRegex(text, r"规模以上企业营业收入\s+180\s+万元")
		self.assertRegex(text, r"企业研发投入支出\s+50\s+万元")
		self.assertRegex(text, r"发明专利\s+12\s+件")
		self.assertRegex(text, r"是否属于大数据企业\s+否")
		# 指标评定 with its explanations, and the result
		self.assertRegex(text, r"1\s+发明专利\s+12件\s+满足")
		self.assertRegex(text, r"2\s+企业研发经费支出\s+28\.00%\s+满足")
		self.assertRegex(text, r"3\s+规模以上企业\(营业收入2000万以上\)\s+180\.0万元\s+不满足")
		self.assertIn("须≥2000.0万元,当前为180.0万元", text.replace(" ", ""))
		self.assertIn("评定结果:不满足限定性指标", text.replace(" ", "").replace("：", ":"))
		# commitment, 审核流程, verification
		self.assertIn("我代表本单位承诺", text)
		self.assertIn("五、审核流程", text)
		self.assertRegex(text, r"已提交\s+测试用")  # the submitter, 测试用户
		code = doc.verification_code
		self.assertIn(" ".join(code[i : i + 4] for i in range(0, 24, 4)), text)
		self.assertIn("/verify/" + code, text)
		self.assertNotIn("草稿", text)

	def test_a_draft_has_the_watermark_and_no_code(self):
		text = pdf_text(application.pdf(self.draft))
		self.assertIn("草稿", text)
		self.assertIn("草稿:尚未提交,本件无验证码。", text.replace(" ", ""))
		self.assertNotIn("/verify/", text)
		self.assertNotIn("验证码:", text.replace(" ", ""))

	def test_the_print_carries_a_qr_code_of_the_verification_address(self):
		html = frappe.get_print("Cultivation Submission", self.name, application.PRINT_FORMAT)
		url = application.verify_url(self.doc().verification_code)
		self.assertIn(application.qr_data_uri(url), html)

	def test_download_by_the_enterprise_and_by_reviewers_in_scope(self):
		path = "/api/method/gz_innovation.cultivation.application.download?name=" + self.name
		enterprise = Browser(ip="10.9.8.7")
		enterprise.login(frappe.db.get_value("User", self.admin, "mobile_no"))
		response = enterprise.get(path)
		self.assertEqual(response.status_code, 200)
		self.assertTrue(response.data.startswith(b"%PDF"))
		self.assertIn("申报书", response.headers["Content-Disposition"].encode("latin-1").decode("utf-8"))
		reviewer = Browser(ip="10.9.8.6")
		reviewer.login(frappe.db.get_value("User", self.guiyang, "username"), PASSWORD)
		self.assertEqual(reviewer.get(path).status_code, 200)
		outsider = Browser(ip="10.9.8.5")
		outsider.login(frappe.db.get_value("User", self.zunyi, "username"), PASSWORD)
		self.assertEqual(outsider.get(path).status_code, 403)  # another city's reviewer
		self.assertEqual(Browser().get(path).status_code, 403)  # a guest
		records = frappe.get_all(
			"GZ Audit Log",
			filters={"action": trail.PDF, "reference_name": self.name},
			fields=["user", "ip_address"],
			order_by="creation asc",
		)
		self.assertEqual(
			[(r.user, r.ip_address) for r in records], [(self.admin, "10.9.8.7"), (self.guiyang, "10.9.8.6")]
		)


class TestVerificationPage(ApplicationTestCase):
	def page(self, code, ip="10.7.7.7"):
		response = Browser(ip=ip).get("/verify/" + code)
		return response.status_code, response.data.decode("utf-8")

	def test_a_genuine_code(self):
		doc = self.doc()
		status, html = self.page(doc.verification_code)
		self.assertEqual(status, 200)
		self.assertIn("经核验，该申报书真实有效", html)
		for shown in (
			doc.enterprise_name,
			CENTRE,
			self.batch,
			str(doc.submitted_at)[:19],
			"不满足限定性指标",
		):
			self.assertIn(shown, html)
		for personal in (doc.contact_person, doc.contact_phone, doc.uscc, doc.address):
			if personal:
				self.assertNotIn(personal, html)
		self.assertNotIn("无此申报书", html)

	def test_an_altered_code(self):
		code = self.doc().verification_code
		altered = code[:-1] + ("0" if code[-1] != "0" else "1")
		for candidate in (altered, code.lower()[:-2], "not-a-code"):
			status, html = self.page(candidate)
			self.assertEqual(status, 404)
			self.assertIn("无此申报书", html)
		self.assertEqual(self.page(code.lower())[0], 200)  # case does not matter

	def test_a_draft_code(self):
		draft = self.doc(self.draft)
		self.assertIsNone(draft.verification_code)
		status, html = self.page(application.code_of(draft))
		self.assertEqual(status, 404)
		self.assertIn("无此申报书", html)

	def test_an_altered_record_or_a_returned_application_no_longer_verifies(self):
		name = submitted(self.other_admin, self.batch, "工业设计中心", GOOD)
		code = self.doc(name).verification_code
		self.assertEqual(self.page(code)[0], 200)
		frappe.db.set_value("Cultivation Submission", name, "revenue", 9999)  # behind the application's back
		frappe.db.commit()  # nosemgrep
		self.assertEqual(self.page(code)[0], 404)
		frappe.db.set_value("Cultivation Submission", name, "revenue", GOOD["revenue"])
		frappe.db.commit()  # nosemgrep
		self.assertEqual(self.page(code)[0], 200)
		step(name, "退回修改", self.zunyi, comment="请核对营业收入")
		self.assertIsNone(self.doc(name).verification_code)
		self.assertEqual(self.page(code)[0], 404)

	def test_checks_are_rate_limited_per_address(self):
		ip = f"10.66.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
		frappe.cache.delete(frappe.cache.make_key(f"gz_verify:{ip}"))
		code = self.doc().verification_code
		statuses = [self.page(code, ip)[0] for _ in range(31)]
		self.assertEqual(statuses[:30], [200] * 30)
		status, html = self.page(code, ip)
		self.assertEqual(status, 429)
		self.assertIn("查询过于频繁", html)
		self.assertEqual(self.page(code, "10.66.67.1")[0], 200)  # another address is not affected


class TestPatch(ApplicationTestCase):
	def test_existing_records_get_their_times_and_codes_and_a_second_run_changes_nothing(self):
		from gz_innovation.patches.v1_3 import set_review_queue_times

		name = submitted(self.other_admin, self.batch, "技术创新示范企业", GOOD)
		expected = frappe.db.get_value(
			"Cultivation Submission", name, ["submitted_at", "verification_code"], as_dict=True
		)
		frappe.db.set_value(
			"Cultivation Submission",
			name,
			{"submitted_at": None, "stage_entered_at": None, "verification_code": None},
			update_modified=False,
		)
		set_review_queue_times.execute()
		after = frappe.db.get_value(
			"Cultivation Submission",
			name,
			["submitted_at", "stage_entered_at", "verification_code"],
			as_dict=True,
		)
		# the 已提交 step's time, within the second the comment was written
		self.assertLess(abs((after.submitted_at - expected.submitted_at).total_seconds()), 2)
		self.assertEqual(after.stage_entered_at, after.submitted_at)
		self.assertEqual(after.verification_code, application.code_of(self.doc(name)))
		set_review_queue_times.execute()
		self.assertEqual(
			frappe.db.get_value(
				"Cultivation Submission",
				name,
				["submitted_at", "stage_entered_at", "verification_code"],
				as_dict=True,
			),
			after,
		)
		self.assertIsNone(frappe.db.get_value("Cultivation Submission", self.draft, "verification_code"))
