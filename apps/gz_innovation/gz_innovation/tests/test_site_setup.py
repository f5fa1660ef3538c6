"""The foundation: the app is installed on a Chinese site and guests get the portal in Chinese."""

import re

import frappe
from frappe.tests.test_api import FrappeAPITestCase
from frappe.tests.utils import FrappeTestCase


class TestSiteDefaults(FrappeTestCase):
	def test_app_is_installed(self):
		self.assertIn("gz_innovation", frappe.get_installed_apps())

	def test_site_language_is_chinese(self):
		self.assertEqual(frappe.conf.lang, "zh")
		self.assertEqual(frappe.db.get_single_value("System Settings", "language"), "zh")
		self.assertEqual(frappe.db.get_default("lang"), "zh")

	def test_site_time_zone_is_shanghai(self):
		self.assertEqual(frappe.db.get_single_value("System Settings", "time_zone"), "Asia/Shanghai")
		# Desk shows times in the user's zone: Administrator's must not be Frappe's default Kolkata.
		self.assertEqual(frappe.db.get_value("User", "Administrator", "time_zone"), "Asia/Shanghai")

	def test_setup_wizard_is_not_pending(self):
		self.assertEqual(frappe.db.get_single_value("System Settings", "setup_complete"), 1)
		self.assertEqual(frappe.db.get_default("desktop:home_page"), "workspace")

	def test_login_by_email_link_is_closed(self):
		self.assertEqual(frappe.db.get_single_value("System Settings", "login_with_email_link"), 0)

	def test_frappe_email_signup_is_disabled(self):
		# Registration needs a mobile number and an SMS code; Frappe's e-mail sign-up would bypass both.
		self.assertEqual(frappe.db.get_single_value("Website Settings", "disable_signup"), 1)


class TestLoginPage(FrappeAPITestCase):
	def get_login_page(self, accept_language: str) -> str:
		response = self.get("/login", headers={"Accept-Language": accept_language})
		self.assertEqual(response.status_code, 200)
		return response.get_data(as_text=True)

	def test_login_page_is_chinese_for_an_english_browser(self):
		html = self.get_login_page("en-US,en;q=0.9")
		self.assertEqual(first_match(r'<html lang="(.*?)"', html), "zh")
		self.assertEqual(first_match(r"<button[^>]*gz-submit[^>]*>\s*(.*?)\s*<", html), "立即登录")
		self.assertNotIn("Login to", html)

	def test_login_page_shows_the_platform_name_in_chinese(self):
		html = self.get_login_page("zh-CN,zh;q=0.9")
		self.assertEqual(first_match(r"<title>(.*?)</title>", html), "登录")
		self.assertEqual(
			first_match(r"<h3>(登录.*?)</h3>", html), "登录贵州省工业和信息化领域科技创新服务平台"
		)


def first_match(pattern: str, html: str) -> str | None:
	match = re.search(pattern, html, re.S)
	return match.group(1).strip() if match else None
