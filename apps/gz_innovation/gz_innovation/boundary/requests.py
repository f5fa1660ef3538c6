"""The rules every request meets, decided on the call Frappe will run (boundary/calls.py), in one
function that Frappe calls for every request once it knows who is asking (hook `auth_hooks`, after
the session cookie, API keys and OAuth tokens are read, before any method, REST call or page runs).

1. **CSRF for every session.** Frappe checks its CSRF token only for sessions that have one, and
   only Desk (`/app`) makes one: a portal session had none, so any page on any site could POST for
   it. Every session opened by the session cookie gets a token at its first request (the app's own
   login and registration give it at once, accounts/login.py), pages print it, and a POST, PUT,
   PATCH or DELETE without it is refused. Frappe itself refuses a wrong token once one exists.
   Requests that carry their credentials explicitly (API key or OAuth token in `Authorization`, a
   `sid` in the form) are not sent by a browser on its own and need none.
2. **No write without POST.** A call (a method, a document's method, REST) made by any logged-in
   user (a browser, an API key, a token) with GET or HEAD, or embedded in a page (`Sec-Fetch-Dest`
   image, script, frame, ...), runs in Frappe's read-only mode: `frappe.flags.read_only` (Frappe's own code then skips the logs
   it would write) and READ ONLY database transactions for the rest of the request, so MariaDB
   refuses every write, by whichever method, route or document it is attempted. The few Frappe
   methods whose work leaves the transaction (a background job, an SMS gateway, logging out) are
   refused on such a request (policy.WRITES_OUTSIDE_THE_DATABASE). The session cookie stays SameSite=Lax (Frappe's): a link in an
   e-mail, an SMS or another site still opens the user's pages, and a request from another site is
   a GET, which writes nothing, or a POST without the cookie.
3. **Portal users reach an allow-list** (policy.PORTAL_METHODS): a Website User's call of anything
   else is refused before it runs. Desk users keep Frappe's permissions and the documents' rules.
4. **A default password is changed first**: until then a user reaches only the change
   (policy.WHILE_PASSWORD_MUST_CHANGE; pages go to /change-password, accounts/password.py).
5. **Document methods no client calls** (policy.REFUSED_DOC_METHODS) are refused, Frappe's methods
   for System Managers only (policy.SYSTEM_MANAGER_METHODS) to anyone else, and OAuth's password
   grant, which would check a password without the login page's captcha.
6. **Tracebacks reach System Managers only.** System Settings' "Show Full Error" stays off (set-up);
   a System Manager's request reads it as on; a traceback Frappe returns as data (`bulk_update`'s
   failures) is taken out of anyone else's answer, and an error answer without a message (Frappe's
   answer to a body that is not JSON) gets one (`answer_in_chinese`, hook `after_request`).

Refusals are Chinese and name what to do; nothing the request asked for has run.
"""

from contextlib import contextmanager

import frappe
from frappe import _

from gz_innovation.boundary import calls, policy
from gz_innovation.utils import is_platform_admin

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EMBEDDED = frozenset(
	{"audio", "embed", "font", "frame", "iframe", "image", "object", "script", "style", "track", "video"}
	| {"worker", "sharedworker", "serviceworker", "manifest", "xslt", "paintworklet", "audioworklet"}
)
READ_ONLY_FLAG = "gz_read_only"


class BoundaryError(frappe.PermissionError):
	"""A request the boundary refuses (403)."""


class GrantRefused(frappe.ValidationError):
	"""OAuth's password grant (400, as OAuth answers an unsupported grant)."""

	http_status_code = 400


class StaleSessionTokenError(frappe.CSRFTokenError):
	"""A logged-in browser's write without the session's CSRF token."""


def guard() -> None:
	"""auth_hooks: the rules above, for the request Frappe is about to run."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.method == "OPTIONS":
		return
	show_tracebacks_to_system_managers()
	call = calls.resolve()
	by_cookie = is_cookie_session()
	if by_cookie:
		had_token = bool(frappe.session.data.csrf_token)
		give_csrf_token()
		if request.method in UNSAFE_METHODS and not had_token:
			frappe.flags.disable_traceback = True
			frappe.throw(
				_("The page has expired. Please reload the page and try again."), StaleSessionTokenError
			)
	if call.kind == "doc_method" and call.name in policy.REFUSED_DOC_METHODS:
		refuse(call)
	if call.name in policy.SYSTEM_MANAGER_METHODS and not is_platform_admin():
		refuse(call)
	if call.name == policy.OAUTH_TOKEN and frappe.local.form_dict.get("grant_type") == "password":
		# Answered as OAuth answers a grant it does not support.
		frappe.local.response.update(
			{"error": "unsupported_grant_type", "error_description": _("Log in on the login page")}
		)
		frappe.throw(_("Log in on the login page"), GrantRefused)
	user = frappe.session.user
	if call.kind != "page" and user not in ("Guest", "Administrator"):
		if must_change_password(user) and call.name not in policy.WHILE_PASSWORD_MUST_CHANGE:
			frappe.flags.disable_traceback = True
			frappe.throw(_("Please change your default password before you continue"), BoundaryError)
		if call.is_call and is_portal_user(user) and call.name not in policy.PORTAL_METHODS:
			refuse(call)
	logged_in = user not in (None, "", "Guest")
	if logged_in and call.is_call and (request.method not in UNSAFE_METHODS or is_embedded(request)):
		if {call.name, call.function} & policy.WRITES_OUTSIDE_THE_DATABASE:
			frappe.throw(_("This action must be submitted from its page"), BoundaryError)
		enter_read_only()


def show_tracebacks_to_system_managers() -> None:
	if not is_platform_admin():
		frappe.local.flags.disable_traceback = True
		return
	settings = frappe._dict(frappe.get_cached_doc("System Settings").as_dict())
	settings.allow_error_traceback = 1
	frappe.local.system_settings = settings


TRACEBACK = "Traceback (most recent call last)"


def generic_messages() -> dict[int, str]:
	return {
		400: _("The request could not be read: please reload the page and try again"),
		401: _("Please log in first"),
		403: _("You are not permitted to do this"),
		404: _("Not found"),
		417: _("The request could not be processed"),
		500: _("The system could not process the request; please try again later"),
	}


def answer_in_chinese(response=None, request=None) -> None:
	"""after_request: error answers say what happened in the user's language (Frappe answers some
	errors it meets before any app code, e.g. a body that is not JSON, with no message at all), and no
	answer carries a traceback to anyone but a System Manager (Frappe returns some as data:
	`bulk_update`'s failures)."""
	import json

	try:
		if response is None or response.direct_passthrough or response.mimetype != "application/json":
			return
		body = response.get_data(as_text=True)
		data = json.loads(body) if body else {}
		if not isinstance(data, dict):
			return
		changed = False
		if TRACEBACK in body and not is_platform_admin():
			hidden = _("The details of this error are shown to System Managers only")

			def scrub(value):
				if isinstance(value, str):
					return hidden if TRACEBACK in value else value
				if isinstance(value, list):
					return [scrub(v) for v in value]
				if isinstance(value, dict):
					return {k: scrub(v) for k, v in value.items()}
				return value

			data, changed = scrub(data), True
		if response.status_code >= 400 and not says_something(data):
			status = response.status_code
			message = generic_messages().get(status) or generic_messages()[500 if status >= 500 else 417]
			data["_server_messages"] = json.dumps([json.dumps({"message": message})])
			changed = True
		if changed:
			response.set_data(json.dumps(data, ensure_ascii=False))
	except Exception:
		frappe.logger("gz_innovation.boundary").warning("an error answer was not checked", exc_info=True)


def says_something(data: dict) -> bool:
	"""Whether an error answer carries a message for the user (v1 or v2 of Frappe's API)."""
	if data.get("_server_messages") or data.get("error_description"):
		return True
	if isinstance(data.get("message"), str) and data["message"].strip():
		return True
	return any(isinstance(e, dict) and e.get("message") for e in data.get("errors") or [])


def refuse(call: calls.Call) -> None:
	frappe.flags.disable_traceback = True
	frappe.throw(_("This function is not available to your account"), BoundaryError)


def is_cookie_session() -> bool:
	"""Whether the request's user comes from the session cookie a browser sends on its own: the
	session Frappe resumed is the cookie's (an API key or OAuth token replaces it, a `sid` in the
	form names another; a header Frappe does not accept changes nothing)."""
	if frappe.session.user in (None, "", "Guest") or not frappe.session.sid:
		return False
	return frappe.request.cookies.get("sid") == frappe.session.sid


def give_csrf_token() -> None:
	"""The session's CSRF token, made and stored at its first request if it has none."""
	if not frappe.session.data.csrf_token:
		frappe.sessions.get_csrf_token()


def is_embedded(request) -> bool:
	return (request.headers.get("Sec-Fetch-Dest") or "").lower() in EMBEDDED


def enter_read_only() -> None:
	"""Frappe's read-only mode for the rest of the request: every transaction READ ONLY."""
	frappe.flags.read_only = True
	frappe.local.flags[READ_ONLY_FLAG] = True
	frappe.db.rollback()  # nothing has been written yet; the next transaction begins READ ONLY


def is_read_only() -> bool:
	return bool(getattr(frappe.local, "flags", {}).get(READ_ONLY_FLAG))


@contextmanager
def server_write():
	"""A write the server makes for itself during a request that may not write (the audit record of
	a download): in a transaction of its own, committed, after which the request reads on READ ONLY.
	The request's own transaction is READ ONLY and so holds no change to lose."""
	if not is_read_only():
		yield
		return
	frappe.flags.read_only = False
	frappe.db.rollback()
	try:
		yield
		frappe.db.commit()
	except Exception:
		frappe.db.rollback()
		raise
	finally:
		frappe.flags.read_only = True
		frappe.db.rollback()


def is_portal_user(user: str) -> bool:
	return frappe.get_cached_value("User", user, "user_type") == "Website User"


def must_change_password(user: str) -> bool:
	from gz_innovation.accounts.password import must_change_password_of

	return must_change_password_of(user)
