"""个人控制台: one layout on every logged-in page — the navigation with what the user may use (and why
not the rest), the enterprise and the role in the header, clickable breadcrumbs, 退出登录."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, create_staff, delete_enterprises
from gz_innovation.tests.security.client import Visitor

CONSOLE_PAGES = ("/personal-console", "/account-center", "/certify", "/change-password", "/cultivation")


def nav_item(html: str, key: str) -> str | None:
	match = re.search(rf'<li class="gz-nav-item[^"]*" data-key="{key}">(.*?)</li>', html, re.S)
	return match.group(1) if match else None


class TestConsole(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.personal = create_user()
		cls.admin = create_user()
		cls.enterprise = create_certified_enterprise(cls.admin)
		cls.staff = create_staff(cls.enterprise)
		frappe.db.commit()  # nosemgrep

	@classmethod
	def tearDownClass(cls):
		delete_enterprises([cls.enterprise])
		delete_users([cls.personal, cls.admin, cls.staff])
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def pages(self, user: str, ip: str) -> dict[str, str]:
		visitor = Visitor(ip=ip).login(user)
		found = {}
		for path in CONSOLE_PAGES:
			response = visitor.get(path)
			self.assertEqual(response.status, 200, f"{path}: {response}")
			found[path] = response.text
		return found

	def test_a_personal_user_is_told_to_certify_first(self):
		for path, html in self.pages(self.personal, "10.40.0.1").items():
			self.assertIn('class="gz-nav"', html, path)
			self.assertIn("个人用户", html, path)
			center = nav_item(html, "cultivation")
			self.assertNotIn("<a ", center, path)  # not a link
			self.assertIn("请先完成企业认证", center, path)
			self.assertIsNone(nav_item(html, "members"), path)  # admins only: hidden
			# 退出登录: a POST with the session's CSRF token, never a link.
			self.assertIn(
				'<form class="gz-logout-form" method="post" action="/api/method/web_logout">', html, path
			)
			token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
			self.assertTrue(token, path)
			self.assertIn(f'frappe.csrf_token = "{token.group(1)}"', html, path)

	def test_an_admin_sees_the_enterprise_the_role_and_every_item(self):
		name = frappe.db.get_value("Enterprise", self.enterprise, "enterprise_name")
		for path, html in self.pages(self.admin, "10.40.0.2").items():
			self.assertIn(f'<span class="gz-who-enterprise">{name}</span>', html, path)
			self.assertIn('<span class="gz-who-role">企业管理员</span>', html, path)
			self.assertIn('href="/cultivation"', nav_item(html, "cultivation"), path)
			self.assertIn('href="/members"', nav_item(html, "members"), path)
		# Breadcrumbs: every step but the current one is a link.
		crumbs = re.search(
			r'<ol class="gz-crumbs".*?</ol>', self.pages(self.admin, "10.40.0.3")["/cultivation"], re.S
		).group(0)
		links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs)
		self.assertEqual(
			links,
			[
				("/personal-console", "控制台"),
				("/personal-console#digital", "数字工信中心"),
				("/personal-console#innovation", "科技创新平台"),
			],
		)
		self.assertIn('aria-current="page">创新平台管理中心</span>', crumbs)

	def test_staff_see_their_enterprise_but_not_the_admins_items(self):
		for path, html in self.pages(self.staff, "10.40.0.4").items():
			self.assertIn('<span class="gz-who-role">企业员工</span>', html, path)
			self.assertIsNone(nav_item(html, "members"), path)
		response = Visitor(ip="10.40.0.5").login(self.staff).get("/members")
		self.assertIn(response.status, (301, 302))
		self.assertEqual(response.raw.headers["Location"].rsplit("/", 1)[-1], "account-center")

	def test_guests_are_sent_to_log_in(self):
		for path in CONSOLE_PAGES:
			response = Visitor(ip="10.40.0.6").get(path)
			self.assertIn(response.status, (301, 302), path)
			self.assertIn("/login", response.raw.headers["Location"], path)
