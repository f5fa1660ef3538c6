"""认定 after 公示: recognised only from an ended list, once every objection to the enterprise is closed;
the certificate verifies by its code (and no longer once revoked or changed behind the application's
back); the enterprise downloads its own certificate, nobody else's; the public list shows the valid
ones without personal data. Over HTTP where people meet it."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_years, getdate, nowdate

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.recognition import certificates, publicity
from gz_innovation.tests.security.client import Visitor
from gz_innovation.utils import ServerFieldError

WORLD: dict = {}
PROGRAMME = "企业技术中心"


def new_publicity(starts_on, days=5):
	return frappe.get_doc(
		{
			"doctype": "GZ Publicity",
			"title": "测试认定名单公示",
			"published": 1,
			"starts_on": starts_on,
			"days": days,
			"entries": [
				{
					"enterprise": WORLD["clear"],
					"platform_name": "测试甲省级企业技术中心",
					"cultivation_type": PROGRAMME,
				},
				{
					"enterprise": WORLD["objected"],
					"platform_name": "测试乙省级企业技术中心",
					"cultivation_type": PROGRAMME,
				},
			],
		}
	).insert()


def setUpModule():
	frappe.set_user("Administrator")
	WORLD["clear_admin"] = create_user()
	WORLD["clear"] = create_certified_enterprise(WORLD["clear_admin"])
	WORLD["objected_admin"] = create_user()
	WORLD["objected"] = create_certified_enterprise(WORLD["objected_admin"])
	WORLD["ended"] = new_publicity(add_days(nowdate(), -10)).name
	WORLD["running"] = new_publicity(add_days(nowdate(), -1)).name
	objection = frappe.get_doc(
		{
			"doctype": "GZ Objection",
			"publicity": WORLD["ended"],
			"enterprise": WORLD["objected"],
			"reasons": "该企业申报的研发投入与其年度审计报告不符，请予核查。",
			"status": publicity.PENDING,
			"objector": WORLD["clear_admin"],
		}
	)
	objection.db_insert()  # made while the list was open (the objection's own rules: test_publicity)
	WORLD["objection"] = objection.name
	frappe.db.commit()  # nosemgrep: HTTP requests read it


def tearDownModule():
	frappe.set_user("Administrator")
	names = [WORLD["ended"], WORLD["running"]]
	frappe.db.delete("GZ Recognition", {"publicity": ["in", names]})
	frappe.db.delete("GZ Objection", {"publicity": ["in", names]})
	for name in names:
		frappe.db.delete("GZ Publicity Entry", {"parent": name})
		frappe.db.delete("GZ Publicity", name)
	delete_enterprises([WORLD["clear"], WORLD["objected"]])
	delete_users([WORLD["clear_admin"], WORLD["objected_admin"]])
	frappe.db.commit()  # nosemgrep


def recognitions(enterprise: str) -> list[str]:
	return frappe.get_all("GZ Recognition", filters={"enterprise": enterprise}, pluck="name")


class TestCertificates(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"  # the site's language, as in a request

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.delete("GZ Recognition", {"publicity": ["in", [WORLD["ended"], WORLD["running"]]]})
		frappe.db.set_value(
			"GZ Objection", WORLD["objection"], {"status": publicity.PENDING, "resolution": None}
		)
		frappe.db.commit()  # nosemgrep: each test starts from the same world

	def test_recognition_follows_the_publicity_and_its_objections(self):
		result = certificates.issue_for_publicity(WORLD["ended"])
		self.assertEqual(
			[i["enterprise_name"] for i in result["issued"]],
			[frappe.db.get_value("Enterprise", WORLD["clear"], "enterprise_name")],
		)
		(skipped,) = result["skipped"]
		self.assertIn("异议", skipped["reason"])  # the objection not yet closed
		self.assertEqual(recognitions(WORLD["objected"]), [])
		doc = frappe.get_doc("GZ Recognition", result["issued"][0]["name"])
		self.assertEqual(doc.platform_name, "测试甲省级企业技术中心")  # from the list, not typed
		self.assertEqual(doc.uscc, frappe.db.get_value("Enterprise", WORLD["clear"], "uscc"))
		self.assertEqual(getdate(doc.valid_until), add_days(add_years(getdate(nowdate()), 3), -1))
		# Issuing again makes nothing twice; the objection closed with its outcome, the other follows.
		self.assertEqual(certificates.issue_for_publicity(WORLD["ended"])["issued"], [])
		objection = frappe.get_doc("GZ Objection", WORLD["objection"])
		objection.status = publicity.CLOSED
		objection.resolution = "经核查，研发投入与审计报告一致，异议不成立。"
		objection.save()
		self.assertEqual(len(certificates.issue_for_publicity(WORLD["ended"])["issued"]), 1)
		# A list still under 公示 recognises nobody.
		with self.assertRaises(certificates.RecognitionError) as caught:
			frappe.get_doc(
				{"doctype": "GZ Recognition", "publicity": WORLD["running"], "enterprise": WORLD["clear"]}
			).insert()
		self.assertIn("公示", str(caught.exception))
		# An enterprise not on the list is not recognised from it.
		stranger = create_certified_enterprise()
		with self.assertRaises(certificates.RecognitionError):
			frappe.get_doc(
				{"doctype": "GZ Recognition", "publicity": WORLD["ended"], "enterprise": stranger}
			).insert()

	def test_the_certificate_verifies_until_revoked_or_altered(self):
		name = certificates.issue_for_publicity(WORLD["ended"])["issued"][0]["name"]
		doc = frappe.get_doc("GZ Recognition", name)
		checked = certificates.verify(doc.verification_code)
		self.assertTrue(checked["valid"])
		self.assertEqual(checked["platform_name"], "测试甲省级企业技术中心")
		self.assertEqual(checked["certificate_no"], name)
		frappe.db.commit()  # nosemgrep: the page reads it
		guest = Visitor(ip="10.52.0.1")
		page = guest.get(f"/verify/{doc.verification_code}")
		self.assertEqual(page.status, 200)
		self.assertIn("真实有效", page.text)
		self.assertIn("测试甲省级企业技术中心", page.text)
		# Changed behind the application's back: it no longer verifies.
		frappe.db.set_value("GZ Recognition", name, "platform_name", "篡改的平台名称")
		self.assertIsNone(certificates.verify(doc.verification_code))
		frappe.db.set_value("GZ Recognition", name, "platform_name", "测试甲省级企业技术中心")
		# What the certificate states is fixed; revoking needs a reason, then it verifies as revoked.
		doc.reload()
		doc.valid_until = "2099-12-31"
		with self.assertRaises(certificates.RecognitionError) as caught:
			doc.save()
		self.assertIn("有效期至", str(caught.exception))
		doc.reload()
		doc.platform_name = "改名"
		with self.assertRaises(ServerFieldError):
			doc.save()
		doc.reload()
		with self.assertRaises(certificates.RecognitionError) as caught:
			doc.revoke("")
		self.assertIn("撤销原因", str(caught.exception))
		doc.reload()
		doc.revoke("复核不合格")
		checked = certificates.verify(doc.verification_code)
		self.assertFalse(checked["valid"])
		self.assertEqual(checked["status"], "已撤销")
		frappe.db.commit()  # nosemgrep
		page = guest.get(f"/verify/{doc.verification_code}")
		self.assertIn("已被撤销", page.text)
		self.assertNotIn(name, guest.get("/recognised").text)
		with self.assertRaises(certificates.RecognitionError):
			frappe.delete_doc("GZ Recognition", name)

	def test_the_enterprise_downloads_its_own_certificate_and_the_public_list_shows_it(self):
		name = certificates.issue_for_publicity(WORLD["ended"])["issued"][0]["name"]
		frappe.db.commit()  # nosemgrep: HTTP requests read it
		path = "/api/method/gz_innovation.recognition.certificates.download"
		own = Visitor(ip="10.52.0.2").login(WORLD["clear_admin"])
		response = own.get(path, name=name)
		self.assertEqual(response.status, 200, response)
		self.assertTrue(response.raw.get_data().startswith(b"%PDF"))
		center = own.method("gz_innovation.cultivation.api.get_center").json["message"]
		self.assertEqual([c["name"] for c in center["recognitions"]], [name])
		other = Visitor(ip="10.52.0.3").login(WORLD["objected_admin"])
		self.assertEqual(other.get(path, name=name).status, 403)
		self.assertEqual(
			other.method("gz_innovation.cultivation.api.get_center").json["message"]["recognitions"], []
		)
		self.assertIn(Visitor(ip="10.52.0.4").get(path, name=name).status, (401, 403))
		page = Visitor(ip="10.52.0.5").get("/recognised")
		self.assertEqual(page.status, 200)
		self.assertIn(name, page.text)
		self.assertIn("测试甲省级企业技术中心", page.text)
		self.assertNotIn(
			frappe.db.get_value("Enterprise", WORLD["clear"], "uscc"), page.text
		)  # no identifiers

	def test_dates_follow_the_publicity_and_the_three_years_and_verify_as_typed(self):
		today = getdate(nowdate())
		new = lambda **dates: frappe.get_doc(  # noqa: E731
			{"doctype": "GZ Recognition", "publicity": WORLD["ended"], "enterprise": WORLD["clear"], **dates}
		)
		for dates, words in (
			({"recognised_on": add_days(today, -30)}, "公示结束日"),  # before the 公示 ended
			({"recognised_on": add_days(today, 1)}, "不晚于今天"),
			({"valid_until": "2099-12-31"}, "3年"),
		):
			with self.assertRaises(certificates.RecognitionError, msg=str(dates)) as caught:
				new(**dates).insert()
			self.assertIn(words, str(caught.exception))
		# Dates typed without leading zeros are kept as the database keeps them: the code verifies.
		until = add_days(add_years(today, 2), 0)
		doc = new(
			recognised_on=f"{today.year}-{today.month}-{today.day}",
			valid_until=f"{until.year}-{until.month}-{until.day}",
		).insert()
		self.assertTrue(certificates.verify(doc.verification_code)["valid"])
		# Each print format renders its own records only: no certificate drawn from an application.
		html = frappe.get_print("GZ Recognition", doc.name, "申报书")
		self.assertIn("此打印格式仅用于", html)
		self.assertNotIn("申报书</h2>", html)

	def test_the_certificate_pdf_carries_the_verification_qr(self):
		from gz_innovation.cultivation.application import pdf

		name = certificates.issue_for_publicity(WORLD["ended"])["issued"][0]["name"]
		doc = frappe.get_doc("GZ Recognition", name)
		html = frappe.get_print("GZ Recognition", name, certificates.PRINT_FORMAT)
		self.assertIn("data:image/png;base64,", html)
		self.assertIn(" ".join(doc.verification_code[i : i + 4] for i in range(0, 24, 4)), html)
		self.assertIn("认定证书", html)
		self.assertTrue(pdf(name, "GZ Recognition", certificates.PRINT_FORMAT).startswith(b"%PDF"))
