"""Frappe's own doors, held to the app's rules (hooks.py: before_request, override_whitelisted_methods).

- Error responses carry a traceback for System Managers only. System Settings' "Show Full Error" is
  kept off (set-up), so errors raised before any app hook runs (Frappe's own /api/method/login) or
  for anyone else show none; `tracebacks_for_system_managers` turns it on for their requests alone.

- Frappe's password reset by e-mail link answers the same for every input and mails only accounts
  with a real address (Desk users); portal accounts reset by SMS (forgot-password).
- OAuth's password grant would check a password without the captcha: refused (authorization code
  and refresh tokens keep working for single sign-on clients).
- `upload_file` is for Desk users: portal users upload through the forms their files belong to
  (the business licence), which check type, size and the record.
"""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from gz_innovation.accounts.registration import PLACEHOLDER_EMAIL_DOMAIN
from gz_innovation.utils import is_app_doctype, is_desk_user, is_platform_admin


def tracebacks_for_system_managers() -> None:
	"""before_request hook: a System Manager's request reads "Show Full Error" as on (a copy of the
	settings for this request only); everyone else's never shows a traceback, whatever the setting."""
	if not is_platform_admin():
		frappe.local.flags.disable_traceback = True
		return
	settings = frappe._dict(frappe.get_cached_doc("System Settings").as_dict())
	settings.allow_error_traceback = 1
	frappe.local.system_settings = settings


def _password_reset_limit():
	from frappe.core.doctype.user.user import get_password_reset_limit

	return get_password_reset_limit()


# Guest: the same answer whatever is asked, rate-limited per address like Frappe's own.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=_password_reset_limit, seconds=60 * 60)
def guarded_reset_password(user: str) -> None:
	name = frappe.db.get_value(
		"User", {"name": (user or "").strip(), "enabled": 1, "user_type": "System User"}, "name"
	)
	if name and name != "Administrator" and not name.endswith("@" + PLACEHOLDER_EMAIL_DOMAIN):
		try:
			frappe.get_doc("User", name).reset_password(send_email=True)
		except frappe.ValidationError:
			# e.g. no outgoing e-mail account: logged for the administrators, the answer stays the same
			frappe.clear_messages()
			frappe.log_error(title="Password reset e-mail not sent")
	frappe.msgprint(
		_("If an account uses this address, password reset instructions have been sent to it"),
		title=_("Password Reset"),
	)


# Guest: OAuth clients authenticate themselves; only the password grant is closed here.
@frappe.whitelist(allow_guest=True)
def guarded_oauth_get_token(*args, **kwargs):
	from frappe.integrations.oauth2 import get_token

	grant = (frappe.request.form.get("grant_type") if frappe.request else None) or frappe.form_dict.get(
		"grant_type"
	)
	if grant == "password":
		frappe.local.response["http_status_code"] = 400
		frappe.local.response.update(
			{"error": "unsupported_grant_type", "error_description": _("Log in on the login page")}
		)
		return
	return get_token(*args, **kwargs)


# Guest: refused at once (guests upload nothing); Desk users get Frappe's own upload.
@frappe.whitelist(allow_guest=True)
def guarded_upload_file():
	if not is_desk_user():
		frappe.throw(_("Please upload files through the form they belong to"), frappe.PermissionError)
	from frappe.handler import upload_file

	return upload_file()


# Document's own add_comment is whitelisted: through run_doc_method anyone who reads a record could
# write comments of any type into it (a forged "Workflow" step in 审核流程). Comments come from Desk's
# comment box (below) or from the server.
@frappe.whitelist()
def guarded_run_doc_method(method, docs=None, dt=None, dn=None, arg=None, args=None):
	from frappe.handler import run_doc_method

	if method == "add_comment":
		frappe.throw(_("Comments are written in the comment box"), frappe.PermissionError)
	try:
		return run_doc_method(method, docs=docs, dt=dt, dn=dn, arg=arg, args=args)
	except TypeError as e:
		# A call without the method's arguments: tell the caller, instead of a server error.
		if "argument" not in str(e):
			raise
		frappe.throw(_("The request is missing arguments: {0}").format(method), frappe.ValidationError)


# Desk's comment box: on the app's records only Desk users comment, under their own name.
@frappe.whitelist(methods=["POST", "PUT"])
def guarded_add_comment(
	reference_doctype: str, reference_name: str, content: str, comment_email=None, comment_by=None
):
	from frappe.desk.form.utils import add_comment

	if is_app_doctype(reference_doctype) and not is_desk_user():
		frappe.throw(_("Comments are written in the comment box"), frappe.PermissionError)
	user = frappe.session.user
	return add_comment(
		reference_doctype,
		reference_name,
		content,
		user,
		frappe.db.get_value("User", user, "full_name") or user,
	)


# Frappe's get_count counts any DocType by any filter for anyone logged in (no permission check):
# here it counts what the user may list, as Desk's own list count does.
@frappe.whitelist()
def guarded_get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	from frappe.client import get_safe_filters

	if not frappe.has_permission(doctype, "read"):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	rows = frappe.get_list(
		doctype, filters=get_safe_filters(filters), fields=["count(*) as count"], order_by=None
	)
	return rows[0].count if rows else 0


# Frappe accepts GET for some methods that change data (apply_workflow, savedocs, assignments, ...)
# and checks its CSRF token on POST only: a link or an image in a page a signed-in user opens would
# make their browser act for someone else. These methods take POST only; and nothing embedded in a
# page (image, script, frame, ... as the browser tells by Sec-Fetch-Dest) calls a method at all.
WRITES = frozenset(
	{
		"frappe.model.workflow.apply_workflow",
		"frappe.model.workflow.bulk_workflow_approval",
		"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs",
		"frappe.desk.form.save.savedocs",
		"frappe.desk.form.save.cancel",
		"frappe.desk.form.utils.add_comment",
		"frappe.desk.form.utils.update_comment",
		"frappe.desk.form.linked_with.cancel_all_linked_docs",
		"frappe.desk.like.toggle_like",
		"frappe.desk.form.document_follow.follow_document",
		"frappe.desk.form.document_follow.unfollow_document",
		"frappe.desk.form.document_follow.update_follow",
		"frappe.desk.form.assign_to.add",
		"frappe.desk.form.assign_to.add_multiple",
		"frappe.desk.form.assign_to.remove",
		"frappe.desk.form.assign_to.close",
		"frappe.desk.doctype.tag.tag.add_tag",
		"frappe.desk.doctype.tag.tag.add_tags",
		"frappe.desk.doctype.tag.tag.remove_tag",
		"frappe.desk.reportview.delete_items",
		"frappe.desk.reportview.save_report",
		"frappe.desk.reportview.delete_report",
		"frappe.model.rename_doc.update_document_title",
		"frappe.model.rename_doc.rename_doc",
		"frappe.core.api.file.zip_files",
		"frappe.core.api.file.unzip_file",
		"frappe.core.api.file.create_new_folder",
		"frappe.core.api.file.move_file",
		"run_doc_method",
		"runserverobj",
		"frappe.handler.run_doc_method",
		"frappe.handler.runserverobj",
	}
)
EMBEDDED = frozenset(
	{"audio", "embed", "font", "frame", "iframe", "image", "object", "script", "style", "track", "video"}
	| {"worker", "sharedworker", "serviceworker", "manifest", "xslt"}
)


def called_method() -> str | None:
	"""The whitelisted method a request calls (/api/method/<m> or /?cmd=<m>), if any."""
	request = frappe.request
	if not request:
		return None
	if request.path.startswith("/api/method/"):
		return request.path[len("/api/method/") :].strip("/") or None
	return frappe.form_dict.get("cmd") or None


def refuse_writes_by_get() -> None:
	"""before_request hook: see WRITES above."""
	method = called_method()
	if not method:
		return
	request = frappe.request
	if request.headers.get("Sec-Fetch-Dest", "").lower() in EMBEDDED:
		frappe.throw(_("This request is not allowed from within a page"), frappe.PermissionError)
	if request.method in ("GET", "HEAD") and method in WRITES:
		frappe.throw(_("This action needs a POST request"), frappe.PermissionError)


# Frappe lets anyone follow any record for anyone: here only for oneself (who may read it is checked
# on the Document Follow itself, validate_document_follow).
@frappe.whitelist(methods=["POST"])
def guarded_follow_document(doctype: str, doc_name: str, user: str):
	from frappe.desk.form.document_follow import follow_document

	if user != frappe.session.user and not is_platform_admin():
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	return follow_document(doctype, doc_name, user)


# Frappe lets anyone like any record (a comment in its timeline): only those who read it.


@frappe.whitelist(methods=["POST"])
def guarded_toggle_like(doctype: str, name: str, add=False):
	from frappe.desk.like import toggle_like

	if not frappe.has_permission(doctype, "read", name):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	return toggle_like(doctype, name, add)


# Frappe's bulk_update returns each failure's traceback as data: only System Managers see it.
@frappe.whitelist(methods=["POST", "PUT"])
def guarded_bulk_update(docs):
	from frappe.client import bulk_update

	result = bulk_update(docs)
	if not is_platform_admin():
		for failed in result.get("failed_docs") or []:
			failed["exc"] = _("Not saved: not permitted or invalid")
	return result


def validate_comment(doc, method=None) -> None:
	"""Comment.validate (every path): on the app's records a comment is changed only by the Desk
	user who wrote it, and only a plain comment; the steps of 审核流程 (Workflow comments), likes,
	assignments and the like stay as the server wrote them."""
	if doc.is_new() or not is_app_doctype(doc.reference_doctype) or is_platform_admin():
		return
	if doc.comment_type != "Comment" or not is_desk_user() or doc.owner != frappe.session.user:
		frappe.throw(_("This comment cannot be changed"), frappe.PermissionError)


def validate_document_follow(doc, method=None) -> None:
	"""Document Follow.validate (every path: Frappe's follow_document and update_follow, REST,
	frappe.client): a follower of an app record gets its changes by mail, so only someone who reads
	the record follows it."""
	if not is_app_doctype(doc.ref_doctype) or not doc.ref_docname or is_platform_admin():
		return
	if not frappe.has_permission(doc.ref_doctype, "read", doc.ref_docname, user=doc.user):
		frappe.throw(_("Not permitted"), frappe.PermissionError)


def validate_todo(doc, method=None) -> None:
	"""ToDo.validate (every path): an assignment on an app record only by someone who reads the record,
	to someone who reads it (Frappe's ToDo lists the assignee in the record's _assign)."""
	if not is_app_doctype(doc.reference_type) or not doc.reference_name or is_platform_admin():
		return
	for user in {frappe.session.user, doc.allocated_to} - {None, ""}:
		if not frappe.has_permission(doc.reference_type, "read", doc.reference_name, user=user):
			frappe.throw(_("Not permitted"), frappe.PermissionError)
