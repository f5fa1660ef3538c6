"""An HTTP visitor of the site for the security tests: its own cookie jar and network address, every
request through Frappe's WSGI application (werkzeug's test client in a thread of its own, as
Frappe's own API tests do), so each request is a real request with its own database transaction."""

import json
import re

import frappe
from frappe.tests.test_api import make_request
from frappe.utils import get_test_client

from gz_innovation.accounts.tests.utils import PASSWORD, solved_captcha
from gz_innovation.tests.pdfs import valid_pdf

CJK = re.compile(r"[\u4e00-\u9fff]")


class Response:
	def __init__(self, raw):
		self.raw = raw
		self.status = raw.status_code
		try:
			self.json = raw.json or {}
		except Exception:
			self.json = {}
		self.text = raw.get_data().decode("utf-8", "replace")  # a file may be binary

	@property
	def ok(self) -> bool:
		return 200 <= self.status < 300

	@property
	def message(self) -> str:
		"""What the user is told: the server messages, else the response's message."""
		raw = self.json.get("_server_messages")
		if raw:
			return " ".join(json.loads(m).get("message", "") for m in json.loads(raw))
		message = self.json.get("message") or self.json.get("exception") or ""
		return message if isinstance(message, str) else json.dumps(message, ensure_ascii=False)

	@property
	def has_traceback(self) -> bool:
		return "Traceback (most recent call last)" in self.text or bool(self.json.get("exc"))

	def __repr__(self):
		return f"<{self.status} {self.message[:200]!r}>"


class Visitor:
	def __init__(self, ip: str = "127.0.0.1"):
		self.client = get_test_client()
		self.ip = ip
		self.user = "Guest"
		self.csrf = None  # the session's CSRF token, sent with every write as a page's script does

	def request(self, method: str, path: str, **kwargs) -> Response:
		headers = {"Accept-Language": "zh-CN", **kwargs.pop("headers", {})}
		if "json" in kwargs or method != "GET":
			headers.setdefault("Accept", "application/json")
		if self.csrf and method != "GET":
			headers.setdefault("X-Frappe-CSRF-Token", self.csrf)
		kwargs.setdefault("environ_base", {"REMOTE_ADDR": self.ip})
		frappe.db.commit()  # nosemgrep: the request runs in its own transaction; let it see ours
		raw = make_request(
			target=getattr(self.client, method.lower()),
			args=(path,),
			kwargs={"headers": headers, **kwargs},
			site=frappe.local.site,
		)
		frappe.db.rollback()  # and read what it wrote, not a stale snapshot
		return Response(raw)

	def get(self, path: str, **params) -> Response:
		return self.request("GET", path, query_string=params or None)

	def post(self, path: str, data: dict | None = None) -> Response:
		return self.request("POST", path, json=data or {})

	def put(self, path: str, data: dict) -> Response:
		return self.request("PUT", path, json=data)

	def delete(self, path: str) -> Response:
		return self.request("DELETE", path)

	def method(self, method: str, /, **data) -> Response:
		return self.post(f"/api/method/{method}", data)

	def cmd(self, method: str, /, **data) -> Response:
		"""The old RPC door: POST / with cmd=<method> (form-encoded, as old clients send it)."""
		form = {k: (json.dumps(v) if isinstance(v, dict | list) else v) for k, v in data.items()}
		return self.request("POST", "/", data={"cmd": method, **form})

	def upload(self, **fields) -> Response:
		import io

		content = fields.pop("content", valid_pdf("upload"))
		filename = fields.pop("filename", "upload.pdf")
		return self.request(
			"POST",
			"/api/method/upload_file",
			data={**fields, "file": (io.BytesIO(content), filename)},
		)

	def login(self, user: str, password: str = PASSWORD) -> "Visitor":
		"""Log in through the app's own login (captcha and all), as a person would."""
		identifier = frappe.db.get_value("User", user, "mobile_no") or user
		token, answer = solved_captcha()
		response = self.method(
			"gz_innovation.accounts.api.login",
			identifier=identifier,
			password=password,
			captcha_token=token,
			captcha_answer=answer,
		)
		if not response.ok:
			raise AssertionError(f"{user} could not log in: {response}")
		self.user = user
		self.csrf = response.json["message"]["csrf_token"]
		return self
