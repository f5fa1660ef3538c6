"""The Frappe v15 fixes of frappe_fixes.py answer exactly as Frappe does, only without the waste.
(Their speed is measured by tests/load/deadline_day.sh, not here.)"""

import frappe
from frappe.tests.utils import FrappeTestCase
from jinja2 import DictLoader
from jinja2.sandbox import SandboxedEnvironment

from gz_innovation import frappe_fixes
from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import create_user, delete_users


class TestFrappeFixes(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe_fixes.apply()
		cls.portal_user = create_user()

	@classmethod
	def tearDownClass(cls):
		delete_users([cls.portal_user])
		frappe.set_user("Administrator")
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_the_apps_screen_lists_what_frappe_lists(self):
		for user in ("Administrator", self.portal_user, "Guest"):
			with self.subTest(user=user):
				frappe.set_user(user)
				self.assertEqual(frappe_fixes.get_apps(), frappe_fixes._frappe_get_apps())

	def test_get_apps_stays_a_whitelisted_method(self):
		import frappe.apps

		self.assertIs(frappe.apps.get_apps, frappe_fixes.get_apps)
		self.assertIn(frappe_fixes.get_apps, frappe.whitelisted)
		self.assertNotIn(frappe_fixes.get_apps, frappe.guest_methods)

	def test_pages_render_with_compiled_templates_kept(self):
		response = Browser().get("/login")
		self.assertEqual(response.status_code, 200)
		self.assertIn("frappe-web.bundle", response.get_data(as_text=True))
		self.assertTrue(frappe_fixes._bytecode_cache.code, "the templates of /login were not kept")

	def test_a_kept_template_follows_its_source(self):
		cache = frappe_fixes.ProcessBytecodeCache()
		sources = {"page.html": "<p>{{ who }}</p>"}

		def render() -> str:
			env = SandboxedEnvironment(loader=DictLoader(sources), bytecode_cache=cache)  # as per request
			return env.get_template("page.html").render(who="企业")

		self.assertEqual(render(), "<p>企业</p>")
		self.assertEqual(len(cache.code), 1)
		self.assertEqual(render(), "<p>企业</p>")  # a new environment reads the kept code
		sources["page.html"] = "<b>{{ who }}</b>"
		self.assertEqual(render(), "<b>企业</b>")  # a changed source is compiled again
