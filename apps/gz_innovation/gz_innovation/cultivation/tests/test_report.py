"""申请报告 and 证明材料 as a programme asks them (kept in Desk): the programme's sections in the draft,
evidence per figure checked by type and size on the document, the report and the evidence checked
when submitting and fixed afterwards, the evidence readable by the application's readers only.
Over HTTP where the enterprise meets it."""

import io
import secrets

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.cultivation import application, submission
from gz_innovation.cultivation import application_report as report
from gz_innovation.cultivation.setup import RULE_SETS, ensure_rule_set
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.tests.pdfs import valid_pdf
from gz_innovation.tests.security.client import Visitor

WORLD: dict = {}
UPLOAD = "/api/method/gz_innovation.cultivation.api.upload_evidence"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BASIS = "企业基本情况"
ACHIEVEMENTS = "创新成果"
FIGURES = ("revenue", "rd_expenditure", "rd_equipment_value", "invention_patents", "software_copyrights")


def setUpModule():
	frappe.set_user("Administrator")
	programme = frappe.get_doc(
		{
			"doctype": "Cultivation Type",
			"type_name": "测试申请报告类型-" + secrets.token_hex(4),
			"enabled": 1,
			"evidence_required": 1,
			"report_sections": [
				{
					"section_title": BASIS,
					"guidance": "主营业务、规模、行业地位",
					"required": 1,
					"min_characters": 20,
				},
				{"section_title": ACHIEVEMENTS, "guidance": "近三年的专利、标准与获奖", "required": 0},
			],
		}
	).insert()
	WORLD["programme"] = programme.name
	WORLD["batch"] = open_batch(days_left=30)
	ensure_rule_set(programme.name, WORLD["batch"], RULE_SETS["企业技术中心"])
	batch = frappe.get_doc("Cultivation Batch", WORLD["batch"])
	batch.append("types", {"cultivation_type": programme.name})
	batch.save()
	WORLD["admin"] = create_user()
	WORLD["enterprise"] = create_certified_enterprise(WORLD["admin"])
	WORLD["other_admin"] = create_user()
	WORLD["other"] = create_certified_enterprise(WORLD["other_admin"])
	frappe.db.commit()  # nosemgrep: HTTP requests read it


def tearDownModule():
	frappe.set_user("Administrator")
	delete_batches([WORLD["batch"]])
	frappe.delete_doc("Cultivation Type", WORLD["programme"], force=True)
	delete_enterprises([WORLD["enterprise"], WORLD["other"]])
	delete_users([WORLD["admin"], WORLD["other_admin"]])
	frappe.db.commit()  # nosemgrep


class TestReportAndEvidence(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"  # the site's language, as in a request
		frappe.set_user(WORLD["admin"])
		self.draft = submission.open_draft(WORLD["programme"], WORLD["batch"])
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep: HTTP requests read it
		self.visitor = Visitor(ip="10.61.0." + str(secrets.randbelow(200) + 1)).login(WORLD["admin"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.delete_doc("Cultivation Submission", self.draft.name, force=True)
		frappe.db.commit()  # nosemgrep

	def upload(self, fieldname: str, file_name: str, content: bytes, visitor=None):
		return (visitor or self.visitor).request(
			"POST",
			UPLOAD,
			data={"name": self.draft.name, "fieldname": fieldname, "file": (io.BytesIO(content), file_name)},
		)

	def files(self) -> int:
		return frappe.db.count(
			"File", {"attached_to_doctype": "Cultivation Submission", "attached_to_name": self.draft.name}
		)

	def test_the_draft_holds_the_programmes_sections_and_the_form_saves_them(self):
		self.assertEqual(
			[(r.section_title, r.guidance) for r in self.draft.report],
			[(BASIS, "主营业务、规模、行业地位"), (ACHIEVEMENTS, "近三年的专利、标准与获奖")],
		)
		form = self.visitor.method("gz_innovation.cultivation.api.get_submission", name=self.draft.name).json[
			"message"
		]
		self.assertEqual([s["section_title"] for s in form["report"]], [BASIS, ACHIEVEMENTS])
		self.assertTrue(form["report"][0]["required"])
		self.assertIn("invention_patents", form["evidence_fields"])
		saved = self.visitor.method(
			"gz_innovation.cultivation.api.save_submission",
			name=self.draft.name,
			values={"report": {BASIS: "本企业主营工业软件，年营业收入一亿八千万元，行业排名省内前三。"}},
			modified=form["modified"],
		)
		self.assertEqual(saved.status, 200, saved)
		self.assertIn(
			"工业软件",
			frappe.db.get_value(
				"Cultivation Report Section", {"parent": self.draft.name, "section_title": BASIS}, "content"
			),
		)
		refused = self.visitor.method(
			"gz_innovation.cultivation.api.save_submission",
			name=self.draft.name,
			values={"report": {"伪造章节": "内容"}},
			modified=saved.json["message"]["modified"],
		)
		self.assertEqual(refused.status, 417, refused)
		self.assertIn("伪造章节", refused.message)
		self.assertEqual(frappe.db.count("Cultivation Report Section", {"parent": self.draft.name}), 2)

	def test_evidence_is_checked_by_type_and_size_and_nothing_is_kept_of_a_refused_file(self):
		accepted = self.upload("invention_patents", "专利证书.pdf", valid_pdf("专利"))
		self.assertEqual(accepted.status, 200, accepted)
		(row,) = accepted.json["message"]["evidence"]["invention_patents"]
		self.assertEqual(row["file_name"], "专利证书.pdf")
		self.assertEqual(self.files(), 1)
		for file_name, content, words in (
			("setup.exe", b"MZ" + b"\x00" * 100, ".exe"),
			("假冒.pdf", b"<html><script>alert(1)</script></html>", ".pdf"),
			("大图.png", PNG + b"\x00" * (10 * 1024 * 1024), "10 MB"),
			("大文件.pdf", valid_pdf("x") + b"\x00" * (20 * 1024 * 1024), "20 MB"),
		):
			refused = self.upload("invention_patents", file_name, content)
			self.assertEqual(refused.status, 417, f"{file_name}: {refused}")
			self.assertIn(words, refused.message, file_name)
			self.assertRegex(refused.message, "[\u4e00-\u9fff]")
		self.assertEqual(self.files(), 1)
		self.assertEqual(frappe.db.count("Cultivation Evidence", {"parent": self.draft.name}), 1)
		# Not a figure of the form; another enterprise's admin; a guest: refused, nothing kept.
		self.assertEqual(self.upload("contact_email", "a.pdf", valid_pdf()).status, 417)
		other = Visitor(ip="10.61.1.1").login(WORLD["other_admin"])
		self.assertEqual(self.upload("invention_patents", "b.pdf", valid_pdf(), visitor=other).status, 403)
		self.assertIn(
			self.upload("invention_patents", "c.pdf", valid_pdf(), visitor=Visitor(ip="10.61.1.2")).status,
			(401, 403),
		)
		self.assertEqual(self.files(), 1)
		# The file is the application's: its enterprise reads it, another does not.
		url = row["url"]
		self.assertEqual(self.visitor.get(url).status, 200)
		self.assertIn(other.get(url).status, (403, 404))
		# The same bytes from another enterprise are accepted as its own evidence (Frappe stores one copy
		# of identical content; each enterprise holds its own record of it).
		frappe.set_user(WORLD["other_admin"])
		other_draft = submission.open_draft(WORLD["programme"], WORLD["batch"]).name
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		try:
			same = other.request(
				"POST",
				UPLOAD,
				data={
					"name": other_draft,
					"fieldname": "invention_patents",
					"file": (io.BytesIO(valid_pdf("专利")), "同一文件.pdf"),
				},
			)
			self.assertEqual(same.status, 200, same)
			(theirs,) = same.json["message"]["evidence"]["invention_patents"]
			self.assertEqual(theirs["file_name"], "同一文件.pdf")
			self.assertEqual(other.get(theirs["url"]).status, 200)
		finally:
			frappe.delete_doc("Cultivation Submission", other_draft, force=True)
			frappe.db.commit()  # nosemgrep

	def test_submitting_checks_the_report_and_the_evidence_then_both_are_fixed(self):
		values = {**manual_example_values(), "commitment": 1}
		frappe.set_user(WORLD["admin"])
		with self.assertRaises(report.ReportError) as caught:
			submission.submit(self.draft.name, {**values, "report": {BASIS: ""}})
		self.assertIn(BASIS, str(caught.exception))
		frappe.db.rollback()
		with self.assertRaises(report.ReportError) as caught:
			submission.submit(self.draft.name, {**values, "report": {BASIS: "太短"}})
		self.assertIn("20", str(caught.exception))
		frappe.db.rollback()
		text = "本企业主营工业软件，年营业收入一亿八千万元，研发人员一百二十人，行业排名省内前三。"
		with self.assertRaises(report.ReportError) as caught:
			submission.submit(self.draft.name, {**values, "report": {BASIS: text}})
		self.assertIn("证明材料", str(caught.exception))  # a declared figure without its evidence
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Cultivation Submission", self.draft.name, "status"), "草稿")
		frappe.set_user("Administrator")
		for fieldname in FIGURES:
			self.assertEqual(self.upload(fieldname, f"{fieldname}.pdf", valid_pdf(fieldname)).status, 200)
		frappe.set_user(WORLD["admin"])
		done = submission.submit(self.draft.name, {**values, "report": {BASIS: text}})
		self.assertEqual(done.status, "已提交")
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		code = frappe.db.get_value("Cultivation Submission", done.name, "verification_code")
		self.assertIsNotNone(application.verify(code))
		# Fixed once submitted: the enterprise's form, a new file, Desk; the code vouches for the report.
		saved = self.visitor.method(
			"gz_innovation.cultivation.api.save_submission",
			name=done.name,
			values={"report": {BASIS: text + "补充"}},
		)
		self.assertIn(saved.status, (403, 417), saved)
		self.assertEqual(self.upload("invention_patents", "late.pdf", valid_pdf("late")).status, 417)
		doc = frappe.get_doc("Cultivation Submission", done.name)
		doc.report[0].content = "审核人员改写的内容"
		with self.assertRaises(report.ReportError):
			doc.save()
		frappe.db.rollback()
		frappe.db.set_value(
			"Cultivation Report Section", {"parent": done.name, "section_title": BASIS}, "content", "改写"
		)
		self.assertIsNone(application.verify(code))
		html = frappe.get_print("Cultivation Submission", done.name, application.PRINT_FORMAT)
		self.assertIn("申请报告", html)
		self.assertIn("invention_patents.pdf", html)
