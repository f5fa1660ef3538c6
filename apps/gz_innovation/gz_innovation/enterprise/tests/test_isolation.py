"""Isolation matrix: two enterprises × {admin, staff, outsider, reviewer} × {read, write, list,
report, file}, through Frappe's Python API (what Desk uses) and through REST over HTTP."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	create_staff,
	delete_enterprises,
)
from gz_innovation.tests.pdfs import valid_pdf


def attach_private_licence(enterprise: str) -> str:
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"licence-{enterprise}.pdf",
			"attached_to_doctype": "Enterprise",
			"attached_to_name": enterprise,
			"is_private": 1,
			"content": valid_pdf("test licence"),
		}
	)
	file.insert(ignore_permissions=True)
	frappe.db.set_value("Enterprise", enterprise, "business_licence", file.file_url)
	frappe.db.commit()  # nosemgrep
	return file.file_url


class TestIsolation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.admin_a, cls.admin_b, cls.outsider = create_user(), create_user(), create_user()
		cls.a = create_certified_enterprise(cls.admin_a, city="贵阳市", county="观山湖区")
		cls.b = create_certified_enterprise(cls.admin_b, city="遵义市", county="汇川区")
		cls.staff_a = create_staff(cls.a)
		cls.reviewer = create_regulator()
		cls.city_reviewer = create_regulator(city="贵阳市")
		cls.file_b = attach_private_licence(cls.b)
		cls.users = [cls.admin_a, cls.admin_b, cls.outsider, cls.staff_a, cls.reviewer, cls.city_reviewer]

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		delete_users(cls.users)
		delete_enterprises([cls.a, cls.b])
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	# What each user may do with enterprise B (and, for members, with their own A).
	def expected(self):
		return {
			self.admin_a: {"read": False, "write": False, "list": False, "file": False},
			self.staff_a: {"read": False, "write": False, "list": False, "file": False},
			self.outsider: {"read": False, "write": False, "list": False, "file": False},
			self.reviewer: {"read": True, "write": True, "list": True, "file": True},
			self.city_reviewer: {"read": False, "write": False, "list": False, "file": False},
		}

	def test_python_api_matrix(self):
		for user, cells in self.expected().items():
			frappe.set_user(user)
			doc = frappe.get_doc("Enterprise", self.b)
			with self.subTest(user=user):
				self.assertEqual(frappe.has_permission("Enterprise", "read", doc), cells["read"], "read")
				self.assertEqual(frappe.has_permission("Enterprise", "write", doc), cells["write"], "write")
				names = frappe.get_list("Enterprise", pluck="name", limit_page_length=0)
				self.assertEqual(self.b in names, cells["list"], "list")
				from frappe.desk.reportview import get_count

				frappe.local.form_dict = frappe._dict(doctype="Enterprise", filters={"name": self.b})
				self.assertEqual(bool(get_count()), cells["list"], "report count")

	def test_members_see_only_their_own_and_change_it_only_through_review(self):
		frappe.set_user(self.admin_a)
		own = frappe.get_doc("Enterprise", self.a)
		self.assertTrue(frappe.has_permission("Enterprise", "read", own))
		self.assertFalse(frappe.has_permission("Enterprise", "write", own))
		self.assertEqual(frappe.get_list("Enterprise", pluck="name"), [self.a])
		frappe.set_user(self.staff_a)
		self.assertTrue(frappe.has_permission("Enterprise", "read", own))
		self.assertFalse(frappe.has_permission("Enterprise", "write", own))

	def test_city_reviewer_sees_only_their_city(self):
		frappe.set_user(self.city_reviewer)
		names = frappe.get_list("Enterprise", pluck="name", limit_page_length=0)
		self.assertIn(self.a, names)
		self.assertNotIn(self.b, names)

	def test_rest_matrix(self):
		for user, cells in self.expected().items():
			browser = Browser()
			self.assertEqual(
				browser.login(frappe.db.get_value("User", user, "mobile_no")).status_code, 200, user
			)
			with self.subTest(user=user):
				read = browser.get(f"/api/resource/Enterprise/{self.b}")
				self.assertEqual(read.status_code == 200, cells["read"], f"read {read.status_code}")
				listed = browser.get("/api/resource/Enterprise?limit_page_length=0")
				names = [row["name"] for row in (listed.json or {}).get("data", [])]
				self.assertEqual(self.b in names, cells["list"], "list")
				report = browser.post(
					"/api/method/frappe.desk.reportview.get",
					{
						"doctype": "Enterprise",
						"fields": ["`tabEnterprise`.`name`"],
						"start": 0,
						"page_length": 500,
					},
				)
				values = (report.json or {}).get("message") or {}
				rows = [r[0] for r in values.get("values", [])] if isinstance(values, dict) else []
				self.assertEqual(self.b in rows, cells["list"], "report")
				file = browser.get(self.file_b)
				self.assertEqual(file.status_code == 200, cells["file"], f"file {file.status_code}")
				if not cells["write"]:
					put = make_put(browser, f"/api/resource/Enterprise/{self.b}", {"address": "篡改"})
					self.assertNotEqual(put.status_code, 200, "write")
		self.assertNotEqual(frappe.db.get_value("Enterprise", self.b, "address"), "篡改")

	def test_personal_data_is_hidden_from_staff(self):
		frappe.set_user(self.staff_a)
		doc = frappe.get_doc("Enterprise", self.a)
		doc.apply_fieldlevel_read_permissions()
		self.assertIsNone(doc.get("legal_person_id_number"))
		self.assertIsNone(doc.get("legal_person_mobile"))
		self.assertEqual(doc.legal_person_id_masked, "110105********002X")
		self.assertEqual(doc.legal_person_mobile_masked, "139****5678")
		frappe.set_user(self.admin_a)
		doc = frappe.get_doc("Enterprise", self.a)
		doc.apply_fieldlevel_read_permissions()
		self.assertEqual(doc.legal_person_id_number, "11010519491231002X")


def make_put(browser, path, data):
	from frappe.tests.test_api import make_request

	return make_request(
		target=browser.client.put,
		args=(path,),
		kwargs={
			"json": data,
			"headers": {"X-Frappe-CSRF-Token": browser.csrf or ""},
			"environ_base": {"REMOTE_ADDR": browser.ip},
		},
	)
