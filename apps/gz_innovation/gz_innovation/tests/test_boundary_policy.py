"""The boundary's lists (boundary/policy.py) against the installed Frappe and the app's own code:
- every portal method named there is a whitelisted function, and every method the portal's scripts
  call is named there (a new portal method cannot be forgotten);
- every Frappe method that accepts GET and hands its work to something outside the request's
  transaction (a background job, a message, a backup) is refused on a read-only request: found by
  reading the installed Frappe's source, so a new one in a Frappe update fails here and is named;
- the boundary resolves a call the way Frappe does, whatever the spelling."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.boundary import calls, policy

APP = Path(__file__).resolve().parents[1]
LEAVES_THE_TRANSACTION = re.compile(
	r"\b(enqueue|enqueue_doc|sendmail|send_sms|make_post_request|take_backup|new_backup)\(|requests\.(post|get)\("
)
# Methods the scan finds that are harmless on a read-only request, each with why.
REVIEWED = {
	# Guests' own flows: a guest request carries no session to borrow (the boundary guards sessions).
	"frappe.email.doctype.newsletter.newsletter.subscribe": "guest form",
	"frappe.www.contact.send_message": "guest form",
	"frappe.www.login.send_login_link": "guest form (login links are off)",
	"frappe.integrations.doctype.google_calendar.google_calendar.authorize_access": "OAuth redirect, writes its token in the transaction first",
	"frappe.integrations.frappe_providers.frappecloud_billing.api": "Frappe Cloud only",
	"frappe.integrations.frappe_providers.frappecloud_billing.current_site_info": "reads",
	"frappe.integrations.frappe_providers.frappecloud_billing.verify_verification_code": "Frappe Cloud only",
	"frappe.desk.doctype.notification_log.notification_log.trigger_indicator_hide": "a realtime event only",
	"frappe.templates.includes.comments.comments.add_comment": "writes the Comment in the transaction first",
	"frappe.templates.includes.likes.likes.like": "writes in the transaction first",
}


def import_frappe() -> None:
	for module in pkgutil.walk_packages(frappe.__path__, "frappe."):
		if any(part in module.name for part in (".tests", "test_", ".patches", ".commands", "boilerplate")):
			continue
		try:
			importlib.import_module(module.name)
		except Exception:
			continue


class TestBoundaryPolicy(FrappeTestCase):
	def test_every_portal_method_is_a_whitelisted_function(self):
		from frappe.handler import get_attr

		for name in policy.PORTAL_METHODS | policy.WHILE_PASSWORD_MUST_CHANGE:
			with self.subTest(method=name):
				function = get_attr(name)
				if not name.startswith("frappe.api.v2."):  # v2's own routes answer without whitelisting
					self.assertIn(function, frappe.whitelisted)
				self.assertEqual(calls.qualified_name(function), name, "list the function's own name")

	def test_every_method_the_portals_scripts_call_is_on_the_allow_list(self):
		called = set()
		for path in (APP / "public/js/portal").glob("*.js"):
			source = path.read_text(encoding="utf-8")
			called |= set(re.findall(r'"(gz_innovation\.[a-z_.]+)"', source))
			# A module's methods called through a helper: api("save_submission", …) and
			# gz.submit(form, "login", …) join the module's prefix.
			for prefix in re.findall(r'gz\.call\("(gz_innovation\.[a-z_.]+\.)"\s*\+\s*method', source):
				names = re.findall(r'\bapi\(\s*"([a-z_]+)"', source)
				if prefix.endswith("accounts.api."):
					for script in (APP / "public/js/portal").glob("*.js"):
						names += re.findall(
							r'gz\.submit\([^,]+,\s*"([a-z_]+)"', script.read_text(encoding="utf-8")
						)
				called |= {prefix + name for name in names}
		for path in list((APP / "templates").rglob("*.html")) + list((APP / "www").glob("*.html")):
			called |= set(re.findall(r"/api/method/([a-zA-Z_.]+)", path.read_text(encoding="utf-8")))
		called.discard(None)
		from frappe.handler import get_attr

		for name in sorted(called):
			with self.subTest(method=name):
				if name.endswith(".") or ("." not in name and name not in ("logout", "web_logout")):
					continue  # a module prefix joined in the script (e.g. API + "save_submission")
				self.assertIn(calls.qualified_name(get_attr(name)), policy.PORTAL_METHODS)

	def test_every_get_method_whose_work_leaves_the_transaction_is_refused_on_a_read_only_request(self):
		import_frappe()
		found = set()
		for function in list(frappe.whitelisted):
			if "GET" not in frappe.allowed_http_methods_for_whitelisted_func.get(function, []):
				continue
			try:
				source = inspect.getsource(function)
			except (OSError, TypeError):
				continue
			name = calls.qualified_name(function)
			if name.startswith("frappe.") and LEAVES_THE_TRANSACTION.search(source):
				found.add(name)
		missing = sorted(found - policy.WRITES_OUTSIDE_THE_DATABASE - set(REVIEWED))
		self.assertEqual(
			missing, [], "refuse these on read-only requests (boundary/policy.py) or review them"
		)
		absent = sorted(
			name
			for name in policy.WRITES_OUTSIDE_THE_DATABASE
			if not _exists(name) and not name.startswith("gz_innovation.")
		)
		print(
			f"\nWrites outside the database in Frappe {frappe.__version__}: {len(found)} found; "
			f"listed but not in this Frappe: {absent or 'none'}"
		)

	def test_the_password_grant_target_exists(self):
		self.assertTrue(_exists(policy.OAUTH_TOKEN))
		for name in policy.SYSTEM_MANAGER_METHODS:
			self.assertTrue(_exists(name), name)


def _exists(dotted: str) -> bool:
	from gz_innovation import overrides

	try:
		overrides.resolve(dotted)
		return True
	except Exception:
		return False
