"""The account center (manual §1.5) as its user reads it."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import create_user, delete_users


class TestAccountCenter(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		self.user = create_user()
		self.addCleanup(delete_users, [self.user])

	def page(self, identifier) -> str:
		browser = Browser()
		self.assertEqual(browser.login(identifier).status_code, 200)
		response = browser.get("/account-center")
		self.assertEqual(response.status_code, 200)
		return response.get_data(as_text=True)

	def test_the_mobile_number_is_shown_masked(self):
		mobile = frappe.db.get_value("User", self.user, "mobile_no")
		html = self.page(mobile)
		self.assertIn(f"{mobile[:3]}****{mobile[-4:]}", html)
		self.assertNotIn(mobile, html)

	def test_an_account_without_a_mobile_number_says_so(self):
		# e.g. imported from the previous platform with a number that was invalid or taken
		username = frappe.db.get_value("User", self.user, "username")
		frappe.db.set_value("User", self.user, "mobile_no", None)
		frappe.db.commit()  # nosemgrep: the page is read in another transaction
		html = self.page(username)
		self.assertRegex(html, r"手机号码</th><td>\s*未绑定")
