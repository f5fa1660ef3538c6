"""A browser over real HTTP: requests to the test site's own web server (the one `scripts/test.sh`
starts for the integration stage, at the site's `http_port`), with a cookie jar of its own, the CSRF
token a page's script would send, and the headers a browser sets (Sec-Fetch-*). What it meets is what
a browser meets: the socket's address, Frappe's routing, the app's hooks, the response as sent.

Every request runs in the server's own transaction: the test commits what it prepared before asking,
and rolls back its own snapshot after, to read what the request left."""

import json
import re

import frappe
import requests
from requests.adapters import HTTPAdapter

from gz_innovation.accounts.tests.utils import PASSWORD, solved_captcha

CSRF_IN_PAGE = re.compile(r'frappe\.csrf_token\s*=\s*"([^"]*)"')


def base_url() -> str:
	port = frappe.conf.get("http_port") or frappe.conf.get("webserver_port") or 8000
	return f"http://127.0.0.1:{port}"


def server_is_up() -> bool:
	try:
		return requests.get(base_url() + "/api/method/ping", timeout=5).ok
	except requests.RequestException:
		return False


class Reply:
	def __init__(self, raw: requests.Response):
		self.raw = raw
		self.status = raw.status_code
		self.text = raw.text
		self.content = raw.content
		self.headers = raw.headers
		try:
			self.json = raw.json()
		except ValueError:
			self.json = {}

	@property
	def message(self) -> str:
		raw = self.json.get("_server_messages") if isinstance(self.json, dict) else None
		if raw:
			return " ".join(json.loads(m).get("message", "") for m in json.loads(raw))
		errors = self.json.get("errors") if isinstance(self.json, dict) else None
		if errors:  # API v2 answers errors as a list
			return " ".join(str(e.get("message", "")) for e in errors if isinstance(e, dict))
		message = self.json.get("message") if isinstance(self.json, dict) else None
		return message if isinstance(message, str) else ""

	@property
	def has_traceback(self) -> bool:
		return "Traceback (most recent call last)" in self.text

	def __repr__(self):
		return f"<{self.status} {(self.message or self.text)[:200]!r}>"


class FromAddress(HTTPAdapter):
	"""Connections from a given local address (127.0.0.2 is this machine, but not a trusted proxy)."""

	def __init__(self, source: str, **kwargs):
		self.source = source
		super().__init__(**kwargs)

	def init_poolmanager(self, *args, **kwargs):
		kwargs["source_address"] = (self.source, 0)
		super().init_poolmanager(*args, **kwargs)


class HttpBrowser:
	def __init__(self, source: str | None = None):
		self.session = requests.Session()
		if source:
			self.session.mount("http://", FromAddress(source))
		self.session.headers.update({"Host": frappe.local.site, "Accept-Language": "zh-CN"})
		self.csrf: str | None = None
		self.user = "Guest"

	def request(self, method: str, path: str, *, token=True, headers=None, **kwargs) -> Reply:
		headers = dict(headers or {})
		if method != "GET":
			headers.setdefault("Accept", "application/json")
			if token is True and self.csrf:
				headers["X-Frappe-CSRF-Token"] = self.csrf
			elif isinstance(token, str):
				headers["X-Frappe-CSRF-Token"] = token
		frappe.db.commit()  # nosemgrep: the server's transaction must see what the test prepared
		raw = self.session.request(
			method, base_url() + path, headers=headers, timeout=60, allow_redirects=False, **kwargs
		)
		frappe.db.rollback()  # read what the request wrote, not this test's older snapshot
		return Reply(raw)

	def get(self, path: str, params: dict | None = None, **kwargs) -> Reply:
		return self.request("GET", path, params=params, **kwargs)

	def post(self, path: str, data: dict | None = None, **kwargs) -> Reply:
		return self.request("POST", path, json=data or {}, **kwargs)

	def page_token(self, path: str = "/account-center") -> str:
		"""The CSRF token a page prints for its script."""
		match = CSRF_IN_PAGE.search(self.get(path).text)
		return match.group(1) if match else ""

	def login(self, user: str, password: str = PASSWORD) -> "HttpBrowser":
		"""The app's login page's request (captcha and all); keeps the session's CSRF token."""
		identifier = frappe.db.get_value("User", user, "mobile_no") or user
		token, answer = solved_captcha()
		reply = self.post(
			"/api/method/gz_innovation.accounts.api.login",
			{
				"identifier": identifier,
				"password": password,
				"captcha_token": token,
				"captcha_answer": answer,
			},
		)
		if reply.status != 200:
			raise AssertionError(f"{user} could not log in: {reply}")
		self.csrf = reply.json["message"]["csrf_token"]
		self.user = user
		return self
