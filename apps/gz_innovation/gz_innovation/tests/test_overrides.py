"""Every change to Frappe is in overrides.REGISTRY and holds against the installed Frappe (run on every
Frappe the test command runs on: 15.55 and 15.92 so far):
- each target exists in the installed Frappe, and each replacement accepts every argument Frappe's
  own function accepts;
- hooks.py declares no change that the registry does not list (and the registry lists none that
  hooks.py does not declare);
- a patch never raises: a target that is missing leaves Frappe's own function in place;
- the patches answer exactly as Frappe does, only without the waste. (Their speed is measured by
  tests/load/deadline_day.sh, not here.)"""

import json
import re
from pathlib import Path

import frappe
import frappe.auth
from frappe.tests.utils import FrappeTestCase
from jinja2 import DictLoader

from gz_innovation import hooks, overrides
from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.overrides import performance

APP = Path(__file__).resolve().parents[1]
FRAPPE = Path(frappe.__file__).resolve().parent


def entries(kind: str) -> list[overrides.Override]:
	return [entry for entry in overrides.REGISTRY if entry.kind == kind]


def app_doctypes() -> set[str]:
	names = set()
	for path in APP.glob("*/doctype/*/*.json"):
		if path.stem == path.parent.name:
			names.add(json.loads(path.read_text(encoding="utf-8"))["name"])
	return names


class TestRegistry(FrappeTestCase):
	"""The list of changes against the installed Frappe and against hooks.py."""

	def test_every_patch_target_exists_and_its_replacement_takes_every_argument(self):
		overrides.apply()
		for entry in entries("patch"):
			with self.subTest(target=entry.target):
				original = overrides.frappe_function(entry.target)
				installed = overrides.resolve(entry.target)
				self.assertEqual(getattr(installed, "gz_override", None), entry.target, "not installed")
				self.assertEqual(overrides.accepts_all_of(installed, original), [])
				for alias in entry.also:
					self.assertIs(overrides.resolve(alias), installed, alias)

	def test_every_overridden_method_exists_is_whitelisted_and_takes_every_argument(self):
		declared = hooks.override_whitelisted_methods
		self.assertEqual(set(declared), {entry.target for entry in entries("method")})
		for entry in entries("method"):
			with self.subTest(target=entry.target):
				frappe_method = overrides.resolve(entry.target)
				frappe_method = getattr(frappe_method, "gz_frappe", frappe_method)
				self.assertIn(frappe_method, frappe.whitelisted, "Frappe's method is not whitelisted")
				ours = overrides.resolve(declared[entry.target])
				self.assertEqual(declared[entry.target], entry.by)
				self.assertIn(ours, frappe.whitelisted)
				self.assertEqual(overrides.accepts_all_of(ours, frappe_method), [])
				# A guest method stays a guest method and a logged-in one stays logged-in.
				self.assertEqual(ours in frappe.guest_methods, frappe_method in frappe.guest_methods)

	def test_every_class_override_extends_frappes_class_and_keeps_its_methods(self):
		declared = {overrides.resolve(path) for path in hooks.override_doctype_class.values()}
		self.assertEqual(declared, {overrides.resolve(entry.by) for entry in entries("class")})
		for entry in entries("class"):
			with self.subTest(target=entry.target):
				frappe_class, ours = overrides.resolve(entry.target), overrides.resolve(entry.by)
				self.assertTrue(issubclass(ours, frappe_class))
				for name, method in vars(ours).items():
					if callable(method) and hasattr(frappe_class, name):
						self.assertEqual(
							overrides.accepts_all_of(method, getattr(frappe_class, name)), [], name
						)

	def test_hooks_on_frappes_doctypes_are_listed(self):
		ours = app_doctypes()
		listed = {entry.target for entry in entries("doctype")}
		declared = set()
		for hook in (hooks.doc_events, hooks.has_permission, hooks.permission_query_conditions):
			declared |= {doctype for doctype in hook if doctype != "*" and doctype not in ours}
		self.assertEqual(declared, listed)
		for doctype in listed:
			self.assertTrue(frappe.db.exists("DocType", doctype), doctype)

	def test_request_hooks_and_renderers_are_listed(self):
		declared = {
			*hooks.auth_hooks,
			*[h for h in hooks.before_request if h != "gz_innovation.overrides.apply"],
			*hooks.after_request,
			*hooks.page_renderer,
		}
		listed = {entry.by for entry in overrides.REGISTRY if entry.kind in ("request", "renderer")}
		self.assertEqual(declared, listed)
		for entry in entries("request") + entries("renderer"):
			with self.subTest(target=entry.target):
				self.assertTrue(callable(overrides.resolve(entry.by)))
				overrides.resolve(entry.target)  # Frappe still has what the change is about
		renderer = entries("renderer")[0]
		self.assertTrue(issubclass(overrides.resolve(renderer.by), overrides.resolve(renderer.target)))

	def test_desk_script_changes_target_what_frappes_desk_has(self):
		source = (FRAPPE / "public/js/frappe/form/formatters.js").read_text(encoding="utf-8")
		script = (APP / "public/js/gz_desk.js").read_text(encoding="utf-8")
		for formatter in set(re.findall(r"frappe\.form\.formatters\.(\w+) =", script)) | set(
			re.findall(r"for \(const type of \[([^\]]*)\]", script)[0]
			.replace('"', "")
			.replace(" ", "")
			.split(",")
		):
			with self.subTest(formatter=formatter):
				found = re.search(rf"\n\t{formatter}[:(]", source)
				self.assertTrue(found, f"Frappe's Desk has no formatter {formatter}")
		self.assertIn("module_app", (FRAPPE / "boot.py").read_text(encoding="utf-8"))

	def test_every_desk_change_targets_what_frappes_desk_has(self):
		"""Each Desk script change names the Frappe code it relies on, and that code is still there."""
		relies_on = {
			"frappe.form.formatters": ("form/formatters.js", "frappe.form.formatters = {"),
			"frappe.workflow.is_read_only": (
				"form/form.js",
				"this.read_only = frappe.workflow.is_read_only(this.doctype, this.docname);",
			),
			"frappe.model.sync_docinfo": ("model/sync.js", "frappe.model.sync_docinfo(r);"),
			"frappe.model.with_doc": ("model/model.js", "frappe.model.get_docinfo(doctype, name)"),
			"frappe.views.ListView.show_or_hide_sidebar": (
				"list/base_list.js",
				'JSON.parse(localStorage.show_sidebar || "true")',
			),
		}
		used_by = {
			"frappe.model.with_doc": [
				("widgets/number_card_widget.js", 'frappe.model.with_doc("Number Card"'),
				("widgets/chart_widget.js", 'frappe.model.with_doc("Dashboard Chart"'),
			],
			"frappe.workflow.is_read_only": [
				# 15.55: a toast on every opening; 15.9x: the form's headline
				("form/form.js", '__("This form is not editable due to a Workflow.")')
			],
			"frappe.model.sync_docinfo": [("form/footer/form_timeline.js", "this.doc_info.versions")],
		}
		desk = FRAPPE / "public/js/frappe"
		self.assertEqual(set(relies_on), {entry.target for entry in entries("desk")})
		for entry in entries("desk"):
			with self.subTest(target=entry.target):
				self.assertTrue((APP / entry.by).exists(), entry.by)
				for path, snippet in [relies_on[entry.target], *used_by.get(entry.target, [])]:
					self.assertIn(snippet, (desk / path).read_text(encoding="utf-8"), path)

	def test_a_missing_target_leaves_frappe_alone_and_never_raises(self):
		ghost = overrides.Override("patch", "frappe.utils.no_such_function_in_frappe", "test", "test", "x.y")
		saved = overrides.REGISTRY
		overrides.REGISTRY = (*saved, ghost)
		try:
			overrides.apply()  # logs, does not raise
			overrides.apply()  # and only once
			self.assertIn(ghost.target, overrides._failed)
		finally:
			overrides.REGISTRY = saved
			overrides._failed.discard(ghost.target)

	def test_patches_install_once(self):
		overrides.apply()
		first = {entry.target: overrides.resolve(entry.target) for entry in entries("patch")}
		overrides.apply()
		for target, installed in first.items():
			self.assertIs(overrides.resolve(target), installed, target)

	def test_the_count_of_changes(self):
		"""What the closing note reports: changes to Frappe's behaviour, by kind."""
		counts = {}
		for entry in overrides.REGISTRY:
			counts[entry.kind] = counts.get(entry.kind, 0) + 1
		print("\nchanges to Frappe:", len(overrides.REGISTRY), counts)
		self.assertEqual(sum(counts.values()), len({(e.kind, e.target) for e in overrides.REGISTRY}))


class TestPatchesAnswerAsFrappe(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		overrides.apply()
		cls.portal_user = create_user()

	@classmethod
	def tearDownClass(cls):
		delete_users([cls.portal_user])
		frappe.set_user("Administrator")
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_the_apps_screen_lists_what_frappe_lists(self):
		import frappe.apps

		frappes = overrides.frappe_function("frappe.apps.get_apps")
		for user in ("Administrator", self.portal_user, "Guest"):
			with self.subTest(user=user):
				frappe.set_user(user)
				self.assertEqual(frappe.apps.get_apps(), frappes())

	def test_get_apps_stays_a_whitelisted_method(self):
		import frappe.apps

		self.assertIn(frappe.apps.get_apps, frappe.whitelisted)
		self.assertNotIn(frappe.apps.get_apps, frappe.guest_methods)

	def test_pages_render_with_compiled_templates_kept(self):
		# A page of Frappe's own (the portal's pages have a template of their own).
		response = Browser().get("/contact")
		self.assertEqual(response.status_code, 200)
		self.assertIn("frappe-web.bundle", response.get_data(as_text=True))
		kept = {key[1] for key in performance.kept_code}
		self.assertIn("templates/web.html", kept, "the templates of /contact were not kept")

	def test_a_kept_template_follows_its_source_and_its_escaping(self):
		sources = {"gz-test-page.html": "<p>{{ who }}</p>"}

		def render(autoescape=False) -> str:
			jenv = frappe.utils.jinja.get_jenv()
			jenv.loader = DictLoader(sources)  # this request's environment, with a source of the test
			jenv.autoescape = autoescape
			return jenv.get_template("gz-test-page.html").render(who="<企业>")

		try:
			self.assertEqual(render(), "<p><企业></p>")
			frappe.local.jenv = None  # the next request's environment
			self.assertEqual(render(), "<p><企业></p>")
			frappe.local.jenv = None
			self.assertEqual(render(autoescape=True), "<p>&lt;企业&gt;</p>")  # compiled apart
			sources["gz-test-page.html"] = "<b>{{ who }}</b>"
			frappe.local.jenv = None
			self.assertEqual(render(), "<b><企业></b>")  # a changed source is compiled again
			self.assertEqual(sum(1 for key in performance.kept_code if key[1] == "gz-test-page.html"), 3)
		finally:
			frappe.local.jenv = None

	def test_field_names_are_sanitised_as_frappe_does(self):
		from frappe.database.query import Engine

		frappes = overrides.frappe_function("frappe.database.query.Engine.sanitize_fields")
		engine = Engine()
		engine.is_mariadb = True
		fields = ["name", "`tabUser`.`name` as user", "COUNT(name) as n", "name /* note */", "/*!50000 x*/ y"]
		for field in fields:
			with self.subTest(field=field):
				self.assertEqual(engine.sanitize_fields(field), frappes(engine, field))
		self.assertEqual(engine.sanitize_fields([*fields, None]), frappes(engine, [*fields, None]))

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
		self.assertEqual(
			web_form.get_published_web_forms.gz_override,
			"frappe.website.doctype.web_form.web_form.get_published_web_forms",
		)
		self.assertEqual(web_form.get_published_web_forms(), fresh)
		frappe.clear_cache(user="Administrator")  # what every User save does: routing caches go
		self.assertEqual(web_form.get_published_web_forms(), fresh)  # read again, never None
		self.assertEqual(Browser().get("/login").status_code, 200)


class TestPdfsFetchNothing(FrappeTestCase):
	def test_a_page_is_made_self_contained_from_disk(self):
		from gz_innovation.overrides.pdf import self_contained

		css = next(
			(FRAPPE.parent.parent.parent / "sites" / "assets" / "frappe" / "dist" / "css").glob(
				"print.bundle.*.css"
			),
			None,
		)
		page = f"""<html><head>
			<link rel="stylesheet" href="/assets/frappe/dist/css/{css.name if css else "none.css"}">
			<link rel="stylesheet" href="http://203.0.113.5/evil.css">
			<style>@import url(http://203.0.113.5/i.css); .a {{ background: url(http://203.0.113.5/b.png) }}</style>
			<script src="http://203.0.113.5/x.js"></script></head><body>
			<img src="http://203.0.113.5/pixel.png"><img src="/files/no-such-file.png">
			<img src="/assets/gz_innovation/images/gz-logo.svg"><img src="data:image/png;base64,AAAA">
			<div style="background-image:url('//203.0.113.5/c.png')">x</div>
			<a href="http://203.0.113.5/verify">link text stays</a></body></html>"""
		out = self_contained(page)
		fetched = re.findall(
			r'(?:src|href|url\()\s*=?\s*["\']?(https?:|//)', out.replace('<a href="http', "<a x")
		)
		self.assertEqual(fetched, [], out[:2000])
		self.assertNotIn("203.0.113.5/pixel", out)
		self.assertNotIn("@import", out)
		self.assertIn("data:image/svg+xml;base64,", out)  # the app's own asset, read from disk
		self.assertIn("data:image/png;base64,AAAA", out)
		self.assertIn('href="http://203.0.113.5/verify"', out)  # a link is not fetched
		if css:
			self.assertIn(".print-format", out)  # Frappe's print stylesheet, inlined

	def test_the_pdf_of_a_page_with_unreachable_addresses_is_made(self):
		from frappe.utils.pdf import get_pdf

		overrides.apply()
		pdf = get_pdf(
			'<p>申报书</p><img src="http://no-such-host.invalid/x.png"><link rel="stylesheet" href="http://no-such-host.invalid/a.css">'
		)
		self.assertTrue(pdf.startswith(b"%PDF"))
