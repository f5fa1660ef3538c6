"""Every portal page is light: the app's own base template, no icon sprites of Frappe's, one bundle,
at most 60 KB of HTML (the base template Frappe's pages use inlines two sprites, about 320 KB)."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.cultivation.tests.utils import delete_batches
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.portal.tests.utils import (
	GUEST_PAGES,
	USER_PAGES,
	create_notice,
	delete_notices,
	portal_batch,
)
from gz_innovation.tests.security.client import Visitor

MAX_BYTES = 60 * 1024
SPRITES = ('id="frappe-symbols"', "<symbol", 'id="es-line-')


class TestPageWeight(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.admin, cls.legacy_admin = create_user(), create_user()
		cls.enterprise = create_certified_enterprise(cls.admin)
		cls.legacy = create_certified_enterprise(cls.legacy_admin)
		frappe.db.set_value("Enterprise", cls.legacy, "needs_update", 1)
		cls.batch = portal_batch()
		cls.notice = create_notice("页面大小测试公告")
		frappe.db.commit()  # nosemgrep

	@classmethod
	def tearDownClass(cls):
		delete_notices([cls.notice])
		delete_batches([cls.batch])
		delete_enterprises([cls.enterprise, cls.legacy])
		delete_users([cls.admin, cls.legacy_admin])
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def assertLight(self, path: str, response, status: int = 200) -> None:
		self.assertEqual(response.status, status, f"{path}: {response}")
		size = len(response.raw.get_data())
		self.assertLessEqual(size, MAX_BYTES, f"{path} is {size} bytes")
		for sprite in SPRITES:
			self.assertNotIn(sprite, response.text, f"{path} carries Frappe's icon sprites")
		self.assertNotIn("Built on Frappe", response.text, path)
		self.assertIn('<html lang="zh">', response.text, path)
		# One stylesheet and one script of the app's bundle; Frappe's web bundle is not loaded.
		self.assertEqual(
			len(re.findall(r"/assets/gz_innovation/dist/js/gz_portal\.bundle\.\w+\.js", response.text)),
			1,
			path,
		)
		self.assertEqual(
			len(re.findall(r"/assets/gz_innovation/dist/css/gz_portal\.bundle\.\w+\.css", response.text)),
			1,
			path,
		)
		self.assertNotIn("frappe-web.bundle", response.text, path)
		self.assertNotIn("website.bundle", response.text, path)

	def test_guest_pages(self):
		for path in (*GUEST_PAGES, f"/notices/{self.notice}"):
			self.assertLight(path, Visitor(ip="10.50.0.1").get(path))
		self.assertLight("/verify", Visitor(ip="10.50.0.1").get("/verify/0000"), status=404)

	def test_console_pages(self):
		visitor = Visitor(ip="10.50.0.2").login(self.admin)
		for path in USER_PAGES:
			self.assertLight(path, visitor.get(path))
		legacy = Visitor(ip="10.50.0.3").login(self.legacy_admin)
		self.assertLight("/enterprise-update", legacy.get("/enterprise-update"))

	def test_frappes_own_pages_keep_frappes_template(self):
		# The reference of the page-speed script (tests/load/page_speed.py): Frappe's /me is untouched.
		response = Visitor(ip="10.50.0.4").login(self.admin).get("/me")
		self.assertEqual(response.status, 200)
		self.assertIn('id="frappe-symbols"', response.text)
