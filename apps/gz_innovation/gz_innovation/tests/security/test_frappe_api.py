"""Frappe's REST and RPC on this site with the app installed, for the clients that may use them: Desk
users in a browser (the session cookie and its CSRF token) and programs with an API key (no cookie, no
token needed). Frappe's own tests of read-only mode and of its WSGI application run here too.

Frappe's own TestResourceAPI and TestMethodAPI are not run: they write with the session cookie and no
CSRF token, which is exactly what the boundary refuses (boundary/requests.py); the tests below do the
same work the way a browser or an API client does."""

import json
import secrets

import frappe
from frappe.tests.test_api import TestReadOnlyMode, TestWSGIApp
from frappe.tests.utils import FrappeTestCase

from gz_innovation.tests.security.http import HttpBrowser, server_is_up


class TestFrappesRestForItsClients(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not server_is_up():
			raise AssertionError("the test site's web server does not answer (run scripts/test.sh)")
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"api-{secrets.token_hex(4)}@example.com",
				"first_name": "接口",
				"user_type": "System User",
				"send_welcome_email": 0,
				"roles": [{"role": "System Manager"}],
			}
		).insert(ignore_permissions=True)
		cls.user = user.name
		cls.api_key = frappe.generate_hash(length=15)
		cls.api_secret = frappe.generate_hash(length=15)
		user.api_key = cls.api_key
		user.api_secret = cls.api_secret
		user.new_password = "Api@" + secrets.token_hex(6)
		cls.password = user.new_password
		user.save(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the server's requests read it

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete("ToDo", {"description": ["like", "API test %"]})
		frappe.db.delete("Note", {"title": ["like", "API test %"]})
		frappe.delete_doc("User", cls.user, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def api_client(self) -> HttpBrowser:
		client = HttpBrowser()
		client.session.headers["Authorization"] = f"token {self.api_key}:{self.api_secret}"
		return client

	def test_an_api_key_creates_reads_updates_and_deletes_without_a_token(self):
		client = self.api_client()
		title = "API test " + secrets.token_hex(4)
		created = client.post("/api/resource/Note", {"title": title, "content": "创建"}, token=False)
		self.assertEqual(created.status, 200, created)
		name = created.json["data"]["name"]
		self.assertEqual(client.get(f"/api/resource/Note/{name}").json["data"]["content"], "创建")
		updated = client.request("PUT", f"/api/resource/Note/{name}", json={"content": "修改"}, token=False)
		self.assertEqual(updated.status, 200, updated)
		self.assertEqual(frappe.db.get_value("Note", name, "content"), "修改")
		v2 = client.request("PATCH", f"/api/v2/document/Note/{name}", json={"content": "v2"}, token=False)
		self.assertEqual(v2.status, 200, v2)
		self.assertEqual(frappe.db.get_value("Note", name, "content"), "v2")
		deleted = client.request("DELETE", f"/api/resource/Note/{name}", token=False)
		self.assertEqual(deleted.status, 202, deleted)
		self.assertFalse(frappe.db.exists("Note", name))

	def test_an_api_key_calls_methods_by_get_and_post(self):
		client = self.api_client()
		self.assertEqual(client.get("/api/method/frappe.auth.get_logged_user").json["message"], self.user)
		self.assertEqual(client.get("/api/v2/method/frappe.auth.get_logged_user").json["data"], self.user)
		reply = client.post(
			"/api/method/frappe.client.set_value",
			{"doctype": "User", "name": self.user, "fieldname": "bio", "value": "API test"},
			token=False,
		)
		self.assertEqual(reply.status, 200, reply)

	def test_an_api_keys_get_reads_and_never_writes(self):
		client = self.api_client()
		reply = client.get(
			"/api/method/frappe.client.set_value",
			{"doctype": "User", "name": self.user, "fieldname": "bio", "value": "API test by GET"},
		)
		self.assertIn(reply.status, (403, 417), reply)
		self.assertNotEqual(frappe.db.get_value("User", self.user, "bio"), "API test by GET")

	def test_a_desk_browser_writes_with_its_sessions_token_and_not_without(self):
		browser = HttpBrowser().login(self.user, self.password)
		without = browser.post("/api/resource/ToDo", {"description": "API test forged"}, token=False)
		self.assertEqual(without.status, 400, without)
		self.assertFalse(frappe.db.exists("ToDo", {"description": "API test forged"}))
		created = browser.post("/api/resource/ToDo", {"description": "API test desk"})
		self.assertEqual(created.status, 200, created)
		name = created.json["data"]["name"]
		by_get = browser.get(
			"/api/method/frappe.client.set_value",
			{"doctype": "ToDo", "name": name, "fieldname": "description", "value": "API test by GET"},
		)
		self.assertIn(by_get.status, (403, 417), by_get)
		self.assertEqual(frappe.db.get_value("ToDo", name, "description"), "API test desk")
		listed = browser.get("/api/resource/ToDo", {"filters": json.dumps([["name", "=", name]])})
		self.assertEqual([row["name"] for row in listed.json["data"]], [name])
