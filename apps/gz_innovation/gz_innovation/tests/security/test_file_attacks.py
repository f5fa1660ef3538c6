"""Attacks on private files (the business licence above all), through real HTTP requests."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise import certification, files, membership
from gz_innovation.enterprise.roles import DOCUMENT_VIEWER_ROLE
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	create_staff,
	delete_enterprises,
	new_uscc,
)
from gz_innovation.tests.pdfs import valid_pdf
from gz_innovation.tests.security.client import Visitor
from gz_innovation.tests.security.world import LEGAL_ID, LEGAL_ID_BEFORE
from gz_innovation.utils import server_set


def upload_licence_as(user: str, enterprise: str, content: bytes | None = None) -> str:
	"""The admin's licence as uploaded by that admin (the File's owner)."""
	frappe.set_user(user)
	doc = frappe.get_doc("Enterprise", enterprise)
	url = files.replace_attachment(doc, "business_licence", "licence.pdf", content or valid_pdf("licence"))
	frappe.set_user("Administrator")
	frappe.db.set_value("Enterprise", enterprise, "business_licence", url)
	frappe.db.commit()  # nosemgrep
	return url


class TestFileAttacks(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.admin, cls.admin_b = create_user(), create_user()
		cls.a = create_certified_enterprise(cls.admin, city="贵阳市", county="观山湖区")
		cls.b = create_certified_enterprise(cls.admin_b, city="遵义市", county="汇川区")
		cls.staff, cls.viewer = create_staff(cls.a), create_staff(cls.a)
		frappe.get_doc("User", cls.viewer).add_roles(DOCUMENT_VIEWER_ROLE)
		cls.city_reviewer, cls.other_city = create_regulator(city="贵阳市"), create_regulator(city="遵义市")
		cls.province = create_regulator()
		cls.licence = upload_licence_as(cls.admin, cls.a, valid_pdf("licence of A"))
		cls.licence_b = upload_licence_as(cls.admin_b, cls.b, valid_pdf("licence of B"))
		cls.people = [
			cls.admin,
			cls.admin_b,
			cls.staff,
			cls.viewer,
			cls.city_reviewer,
			cls.other_city,
			cls.province,
		]

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Enterprise", "attached_to_name": ["in", [cls.a, cls.b]]},
			pluck="name",
		):
			frappe.delete_doc("File", name, force=True, ignore_permissions=True)
		frappe.db.delete("Enterprise Admin Transfer", {"enterprise": cls.a})
		delete_enterprises([cls.a, cls.b])
		delete_users(cls.people)
		super().tearDownClass()

	def test_the_licence_url_serves_only_admin_document_staff_and_reviewers_in_scope(self):
		expected = {
			self.admin: 200,
			self.viewer: 200,
			self.city_reviewer: 200,
			self.province: 200,
			self.staff: 403,
			self.admin_b: 403,
			self.other_city: 403,
		}
		for user, status in expected.items():
			with self.subTest(user=user):
				self.assertEqual(Visitor().login(user).request("GET", self.licence).status, status)
		self.assertEqual(Visitor().request("GET", self.licence).status, 403)

	def test_uploading_a_reference_to_someone_elses_licence_steals_nothing(self):
		"""upload_file with an existing file_url would make the attacker the owner of a File record
		pointing at the licence, which Frappe then serves to its owner."""
		visitor = Visitor().login(self.other_city)  # a Desk user: upload_file is open to them
		files_before = frappe.db.count("File", {"file_url": self.licence})
		response = visitor.request(
			"POST",
			"/api/method/upload_file",
			data={"file_url": self.licence, "doctype": "User", "docname": self.other_city, "is_private": 1},
		)
		self.assertEqual(response.status, 403, response)
		self.assertEqual(frappe.db.count("File", {"file_url": self.licence}), files_before)
		self.assertEqual(visitor.request("GET", self.licence).status, 403)

	def test_the_file_record_is_not_read_through_frappe_client(self):
		name = frappe.db.get_value("File", {"file_url": self.licence}, "name")
		for user in (self.admin_b, self.staff, self.other_city):
			with self.subTest(user=user):
				response = Visitor().login(user).method("frappe.client.get", doctype="File", name=name)
				self.assertEqual(response.status, 403, response)
				self.assertNotIn(self.licence, response.text)

	def test_a_former_admin_owns_the_file_but_cannot_read_it(self):
		transfer = None
		frappe.set_user(self.admin)
		transfer = membership.request_admin_transfer(self.a, self.viewer)
		frappe.set_user(self.province)
		doc = frappe.get_doc("Enterprise Admin Transfer", transfer)
		doc.status = "已通过"
		doc.save()
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		self.addCleanup(self.restore_admin)
		former = Visitor().login(self.admin)  # still the File's owner, now staff without the role
		self.assertEqual(former.request("GET", self.licence).status, 403)
		name = frappe.db.get_value("File", {"file_url": self.licence}, "name")
		zipped = former.method("frappe.core.api.file.zip_files", files=json.dumps([name]))
		self.assertEqual(zipped.status, 403, zipped)  # Frappe's file manager is not the portal's
		self.assertEqual(
			Visitor().login(self.viewer).request("GET", self.licence).status, 200
		)  # the new admin

	def restore_admin(self):
		frappe.set_user("Administrator")
		from gz_innovation.enterprise.roles import ADMIN_ROLE, STAFF_ROLE

		frappe.get_doc("User", self.viewer).remove_roles(ADMIN_ROLE)
		frappe.get_doc("User", self.admin).add_roles(ADMIN_ROLE)
		frappe.db.set_value("Enterprise", self.a, "enterprise_admin", self.admin)
		frappe.db.commit()  # nosemgrep

	def test_private_file_names_cannot_be_guessed(self):
		applicant = create_user()
		self.addCleanup(delete_users, [applicant])
		uscc = new_uscc()
		frappe.set_user(applicant)
		name = certification.start("猜名企业", uscc)["application"]["name"]
		first = certification.attach_licence(name, "licence.pdf", valid_pdf("first"))
		second = certification.attach_licence(name, "licence.pdf", valid_pdf("second"))
		frappe.set_user("Administrator")
		self.addCleanup(certification.discard_application, name)
		for url in (first, second):
			self.assertNotIn(uscc, url)
			self.assertRegex(url, r"^/private/files/[0-9a-f]{16}-")
		self.assertNotEqual(first, second)
		self.assertFalse(frappe.db.exists("File", {"file_url": first}))  # the replaced one is gone

	def test_an_attach_field_takes_only_a_file_of_its_own_record(self):
		frappe.local.lang = "zh"
		before = frappe.db.get_value("Enterprise", self.a, "business_licence")
		for value in (
			self.licence_b,
			'<img src=x onerror="window.__gz_xss=1">',
			"/private/files/made-up.pdf",
		):
			with self.subTest(value=value):
				doc = frappe.get_doc("Enterprise", self.a)  # as Administrator: even the platform's admin
				doc.business_licence = value
				with self.assertRaises(files.FileAccessError) as raised:
					doc.save()
				self.assertEqual(str(raised.exception), "营业执照：请通过上传添加文件")
		self.assertEqual(frappe.db.get_value("Enterprise", self.a, "business_licence"), before)

	def test_versions_keep_personal_data_masked(self):
		doc = frappe.get_doc("Enterprise", self.a)
		doc.legal_person_id_number = LEGAL_ID_BEFORE
		doc.save(ignore_version=False)  # tests skip Versions unless asked
		doc.reload()
		doc.legal_person_id_number = LEGAL_ID
		doc.save(ignore_version=False)
		frappe.db.commit()  # nosemgrep
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "Enterprise", "docname": self.a}, pluck="data"
		)
		self.assertTrue(any("legal_person_id_number" in v for v in versions))
		for data in versions:
			self.assertNotIn(LEGAL_ID, data)
			self.assertNotIn(LEGAL_ID_BEFORE, data)
		staff_view = (
			Visitor()
			.login(self.staff)
			.get("/api/method/frappe.desk.form.load.getdoc", doctype="Enterprise", name=self.a)
		)
		self.assertEqual(staff_view.status, 403)  # the portal's pages show staff their enterprise
		self.assertNotIn(LEGAL_ID, staff_view.text)
		reviewer_view = (
			Visitor()
			.login(self.province)
			.get("/api/method/frappe.desk.form.load.getdoc", doctype="Enterprise", name=self.a)
		)
		history = json.dumps(reviewer_view.json["docinfo"]["versions"], ensure_ascii=False)
		self.assertIn("110105********", history)  # the Desk timeline holds the masked value
		self.assertNotIn(LEGAL_ID, history)
		self.assertNotIn(LEGAL_ID_BEFORE, history)
