"""The Frappe v15 fixes of frappe_fixes.py answer exactly as Frappe does, only without the waste.
(Their speed is measured by tests/load/deadline_day.sh, not here.)"""

import frappe
import frappe.auth
from frappe.tests.utils import FrappeTestCase
from jinja2 import DictLoader

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
		# A page of Frappe's own (the portal's pages have a template of their own).
		response = Browser().get("/contact")
		self.assertEqual(response.status_code, 200)
		self.assertIn("frappe-web.bundle", response.get_data(as_text=True))
		kept = {key[1] for key in frappe_fixes._kept_code}
		self.assertIn("templates/web.html", kept, "the templates of /contact were not kept")

	def test_a_kept_template_follows_its_source(self):
		sources = {"gz-test-page.html": "<p>{{ who }}</p>"}

		def render() -> str:
			jenv = frappe_fixes.get_jenv()
			jenv.loader = DictLoader(sources)  # this request's environment, with a source of the test
			return jenv.get_template("gz-test-page.html").render(who="企业")

		try:
			self.assertEqual(render(), "<p>企业</p>")
			frappe.local.jenv = None  # the next request's environment
			self.assertEqual(render(), "<p>企业</p>")
			sources["gz-test-page.html"] = "<b>{{ who }}</b>"
			frappe.local.jenv = None
			self.assertEqual(render(), "<b>企业</b>")  # a changed source is compiled again
			self.assertEqual(sum(1 for key in frappe_fixes._kept_code if key[1] == "gz-test-page.html"), 2)
		finally:
			frappe.local.jenv = None

	def test_field_names_are_sanitised_as_frappe_does(self):
		from frappe.database.query import Engine

		engine = Engine()
		engine.is_mariadb = True
		fields = ["name", "`tabUser`.`name` as user", "COUNT(name) as n", "name /* note */", "/*!50000 x*/ y"]
		for field in fields:
			with self.subTest(field=field):
				self.assertEqual(
					frappe_fixes.sanitize_fields(engine, field),
					frappe_fixes._frappe_sanitize_fields(engine, field),
				)
		self.assertEqual(
			frappe_fixes.sanitize_fields(engine, [*fields, None]),
			frappe_fixes._frappe_sanitize_fields(engine, [*fields, None]),
		)

	def test_a_portal_login_skips_desks_boot_cache_a_desk_login_builds_it(self):
		for user, built in ((self.portal_user, False), ("Administrator", True)):
			with self.subTest(user=user):
				frappe.cache.delete_value("information_schema:counts")
				manager = frappe.auth.LoginManager.__new__(frappe.auth.LoginManager)
				manager.user = user
				manager.user_type = frappe.db.get_value("User", user, "user_type")
				manager.setup_boot_cache()
				self.assertEqual(bool(frappe.cache.get_value("information_schema:counts")), built)

	def test_routing_caches_answer_as_frappe_and_refill_after_a_clear(self):
		from frappe.website.doctype.web_form import web_form

		fresh = web_form.get_published_web_forms.__wrapped__()
		self.assertTrue(web_form.get_published_web_forms.gz_race_free)
		self.assertEqual(web_form.get_published_web_forms(), fresh)
		frappe.clear_cache(user="Administrator")  # what every User save does: routing caches go
		self.assertEqual(web_form.get_published_web_forms(), fresh)  # read again, never None
		self.assertEqual(Browser().get("/login").status_code, 200)
