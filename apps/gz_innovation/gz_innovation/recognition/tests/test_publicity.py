"""认定公示 and 异议: the list is public for 5 to 10 days without personal data and frozen once it
started; logged-in users object under their real name, with facts and reasons, while it is open; the
objector's identity reaches administrators only; each objection is closed with a recorded resolution.
Over HTTP where the user meets it."""

import secrets

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	delete_enterprises,
)
from gz_innovation.recognition import publicity
from gz_innovation.tests.security.client import Visitor
from gz_innovation.utils import ServerFieldError

WORLD: dict = {}


def ip() -> str:
	"""An address of its own: the objection method's rate limit counts per address."""
	return "10.51." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(2))


REASONS = "该企业申报的研发投入与其年度审计报告不符，请予核查。"


def new_publicity(starts_on=None, days=7, published=1, **values):
	doc = frappe.get_doc(
		{
			"doctype": "GZ Publicity",
			"title": "测试拟认定名单公示",
			"published": published,
			"starts_on": starts_on or nowdate(),
			"days": days,
			"note": "异议请实名提出，受理部门：省工业和信息化厅",
			"entries": [
				{
					"enterprise": WORLD["listed"],
					"platform_name": "测试企业省级企业技术中心",
					"cultivation_type": "企业技术中心",
				}
			],
			**values,
		}
	)
	doc.insert()
	return doc


def setUpModule():
	frappe.set_user("Administrator")
	WORLD["listed"] = create_certified_enterprise()
	WORLD["other"] = create_certified_enterprise()
	WORLD["objector"] = create_user()
	WORLD["reviewer"] = create_regulator()
	WORLD["open"] = new_publicity().name
	WORLD["ended"] = new_publicity(starts_on=add_days(nowdate(), -20)).name
	WORLD["future"] = new_publicity(starts_on=add_days(nowdate(), 3)).name
	frappe.db.commit()  # nosemgrep: HTTP requests read it


def tearDownModule():
	frappe.set_user("Administrator")
	names = [WORLD["open"], WORLD["ended"], WORLD["future"]]
	for name in frappe.get_all("GZ Objection", filters={"publicity": ["in", names]}, pluck="name"):
		for file in frappe.get_all(
			"File", filters={"attached_to_doctype": "GZ Objection", "attached_to_name": name}, pluck="name"
		):
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)
		frappe.db.delete("GZ Objection", name)
	for name in names:
		frappe.db.delete("GZ Publicity Entry", {"parent": name})
		frappe.db.delete("GZ Publicity", name)
	delete_enterprises([WORLD["listed"], WORLD["other"]])
	delete_users([WORLD["objector"], WORLD["reviewer"]])
	frappe.db.commit()  # nosemgrep


def objections() -> int:
	return frappe.db.count("GZ Objection", {"publicity": WORLD["open"]})


class TestPublicity(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # what a test made goes before the next HTTP request commits it

	def test_five_to_ten_days_and_the_last_day(self):
		for days in (4, 11):
			with self.assertRaises(publicity.PublicityError, msg=days):
				new_publicity(days=days)
		doc = new_publicity(days=5, starts_on="2026-12-01")
		self.assertEqual(str(doc.ends_on), "2026-12-05")

	def test_an_enterprise_is_listed_once(self):
		with self.assertRaises(publicity.PublicityError):
			new_publicity(
				entries=[
					{"enterprise": WORLD["listed"], "platform_name": "甲"},
					{"enterprise": WORLD["listed"], "platform_name": "乙"},
				]
			)

	def test_a_list_under_publicity_no_longer_changes(self):
		doc = frappe.get_doc("GZ Publicity", WORLD["open"])
		doc.append("entries", {"enterprise": WORLD["other"], "platform_name": "后补平台"})
		with self.assertRaises(publicity.PublicityError):
			doc.save()
		doc = frappe.get_doc("GZ Publicity", WORLD["open"])
		doc.days = 10
		with self.assertRaises(publicity.PublicityError):
			doc.save()
		future = frappe.get_doc("GZ Publicity", WORLD["future"])
		future.append("entries", {"enterprise": WORLD["other"], "platform_name": "后补平台"})
		future.save()  # not started yet: still the department's draft
		frappe.db.rollback()

	def test_the_public_page_shows_the_open_and_ended_lists_without_personal_data(self):
		guest = Visitor(ip=ip())
		page = guest.get("/publicity")
		self.assertEqual(page.status, 200)
		self.assertIn("测试企业省级企业技术中心", page.text)
		self.assertIn(frappe.db.get_value("Enterprise", WORLD["listed"], "enterprise_name"), page.text)
		self.assertIn("接受异议", page.text)  # the open one
		self.assertIn("已结束", page.text)  # the ended one
		self.assertIn("/login?redirect-to=/publicity", page.text)  # guests log in to object
		self.assertNotIn(WORLD["future"], page.text)  # not begun: not shown
		for private in frappe.db.get_value(
			"Enterprise", WORLD["listed"], ["legal_person_name", "legal_person_mobile", "contact_phone"]
		):
			if private:
				self.assertNotIn(private, page.text)
		visitor = Visitor(ip=ip()).login(WORLD["objector"])
		self.assertIn('class="gz-objection"', visitor.get("/publicity").text)


class TestObjections(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # what a test made goes before the next HTTP request commits it

	def object(self, visitor, **values):
		return visitor.method(
			"gz_innovation.recognition.publicity.submit_objection",
			**{"publicity": WORLD["open"], "enterprise": WORLD["listed"], "reasons": REASONS, **values},
		)

	def test_anonymous_empty_or_misdirected_objections_are_refused(self):
		before = objections()
		guest = self.object(Visitor(ip=ip()))
		self.assertIn(guest.status, (401, 403), guest)
		visitor = Visitor(ip=ip()).login(WORLD["objector"])
		for case, values in {
			"empty": {"reasons": "   "},
			"too short": {"reasons": "不符合"},
			"not on the list": {"enterprise": WORLD["other"]},
			"ended": {"publicity": WORLD["ended"]},
			"not begun": {"publicity": WORLD["future"]},
		}.items():
			response = self.object(visitor, **values)
			self.assertEqual(response.status, 417, f"{case}: {response}")
			self.assertFalse(response.has_traceback, case)
		self.assertEqual(objections(), before)
		# Around the portal: Frappe's own doors refuse it too (the attack matrix tries them all).
		rest = visitor.post(
			"/api/resource/GZ%20Objection",
			{"publicity": WORLD["open"], "enterprise": WORLD["listed"], "reasons": REASONS},
		)
		self.assertIn(rest.status, (403, 417), rest)
		self.assertEqual(objections(), before)

	def test_a_real_name_objection_reaches_administrators_only_and_is_resolved_on_record(self):
		visitor = Visitor(ip=ip()).login(WORLD["objector"])
		response = self.object(visitor, reasons="  " + REASONS + "  ")
		self.assertEqual(response.status, 200, response)
		name = response.json["message"]["name"]
		doc = frappe.get_doc("GZ Objection", name)
		self.assertEqual(doc.objector, WORLD["objector"])
		self.assertEqual(doc.objector_mobile, frappe.db.get_value("User", WORLD["objector"], "mobile_no"))
		self.assertEqual(doc.reasons, REASONS)
		self.assertEqual(doc.status, publicity.PENDING)

		# A reviewer of the department does not learn who objected, by any door.
		reviewer = Visitor(ip=ip()).login(WORLD["reviewer"])
		for response in (
			reviewer.get(f"/api/resource/GZ%20Objection/{name}"),
			reviewer.get("/api/method/frappe.desk.form.load.getdoc", doctype="GZ Objection", name=name),
			reviewer.method("frappe.desk.reportview.get", doctype="GZ Objection", fields=["objector_name"]),
		):
			self.assertIn(response.status, (403, 404), response)
			self.assertNotIn(doc.objector_name, response.text)

		# Closing needs what was verified and decided; then it stays closed.
		doc.status = publicity.CLOSED
		with self.assertRaises(publicity.PublicityError):
			doc.save()
		doc = frappe.get_doc("GZ Objection", name)
		doc.status = publicity.IN_PROGRESS
		doc.save()
		doc.status = publicity.CLOSED
		doc.resolution = "经核查审计报告，企业申报数据属实，异议不成立。"
		doc.save()
		self.assertEqual(doc.resolved_by, "Administrator")
		self.assertTrue(doc.resolved_at)
		doc.status = publicity.IN_PROGRESS
		with self.assertRaises(publicity.PublicityError):
			doc.save()
		doc = frappe.get_doc("GZ Objection", name)
		doc.reasons = "改写的异议"
		with self.assertRaises(publicity.PublicityError):
			doc.save()
		doc = frappe.get_doc("GZ Objection", name)
		doc.objector = "Administrator"
		with self.assertRaises(ServerFieldError):
			doc.save()
		frappe.db.rollback()

	def test_an_objection_may_bring_a_supporting_file_seen_by_administrators_only(self):
		import io

		from gz_innovation.tests.pdfs import valid_pdf

		visitor = Visitor(ip=ip()).login(WORLD["objector"])
		path = "/api/method/gz_innovation.recognition.publicity.submit_objection"
		form = {"publicity": WORLD["open"], "enterprise": WORLD["listed"], "reasons": REASONS}
		before = objections()
		for file_name, content in (
			("审计报告.pdf", b"<html>not a pdf</html>"),
			("脚本.html", b"<script></script>"),
		):
			refused = visitor.request(
				"POST", path, data={**form, "attachment": (io.BytesIO(content), file_name)}
			)
			self.assertEqual(refused.status, 417, refused)
			self.assertIn("佐证材料", refused.message)
		self.assertEqual(objections(), before)  # nothing saved of a refused objection
		sent = visitor.request(
			"POST", path, data={**form, "attachment": (io.BytesIO(valid_pdf("审计报告")), "审计报告.pdf")}
		)
		self.assertEqual(sent.status, 200, sent)
		name = sent.json["message"]["name"]
		url = frappe.db.get_value("GZ Objection", name, "attachment")
		self.assertTrue(url.startswith("/private/files/"))
		self.assertTrue(
			frappe.db.get_value("File", {"file_url": url, "attached_to_name": name}, "is_private")
		)
		self.assertIn(visitor.get(url).status, (403, 404))  # the objector's file reaches administrators only
		reviewer = Visitor(ip=ip()).login(WORLD["reviewer"])
		self.assertIn(reviewer.get(url).status, (403, 404))
