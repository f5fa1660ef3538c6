"""The records Frappe keeps beside a document (its timeline): comments, likes, assignments, followers.
On the app's records they obey the app's reading rule on every path (Frappe's methods, REST,
`frappe.client`), as document events of Frappe's DocTypes (hooks.py `doc_events`):

- a comment or a like is made by someone who reads the record, a comment by a Desk user, and always
  under the author's own name (Frappe's `add_comment` takes the author from the client); a comment is
  changed only by its author, and only a plain comment: the steps of 审核流程 (Workflow comments),
  likes, assignments and the like stay as the server wrote them;
- an assignment (ToDo, which also writes the record's `_assign`) is made by and to users who read the
  record;
- a follower (Document Follow, who gets the record's changes by e-mail) reads the record.

The platform's administrators (System Managers) are not held to these rules.
"""

import frappe
from frappe import _

from gz_innovation.utils import is_app_doctype, is_desk_user, is_platform_admin

# Comments a client makes directly (Desk's comment box, the like button); the other kinds (Workflow,
# Info, Attachment, Assigned, ...) are written by the server as the record changes.
CLIENT_COMMENT_TYPES = ("Comment", "Like")


class TimelineError(frappe.PermissionError):
	pass


def validate_comment(doc, method=None) -> None:
	"""Comment.validate."""
	if not is_app_doctype(doc.reference_doctype) or is_platform_admin():
		return
	user = frappe.session.user
	if doc.is_new():
		if doc.comment_type not in CLIENT_COMMENT_TYPES:
			return
		if doc.comment_type == "Comment" and not is_desk_user():
			frappe.throw(_("Comments are written in the comment box"), TimelineError)
		if not frappe.has_permission(doc.reference_doctype, "read", doc.reference_name):
			frappe.throw(_("Not permitted"), TimelineError)
		doc.comment_email = user
		doc.comment_by = frappe.db.get_value("User", user, "full_name") or user
		return
	if doc.comment_type != "Comment" or not is_desk_user() or doc.owner != user:
		frappe.throw(_("This comment cannot be changed"), TimelineError)


def validate_todo(doc, method=None) -> None:
	"""ToDo.validate."""
	if not is_app_doctype(doc.reference_type) or not doc.reference_name or is_platform_admin():
		return
	for user in {frappe.session.user, doc.allocated_to} - {None, ""}:
		if not frappe.has_permission(doc.reference_type, "read", doc.reference_name, user=user):
			frappe.throw(_("Not permitted"), TimelineError)


def validate_document_follow(doc, method=None) -> None:
	"""Document Follow.validate."""
	if not is_app_doctype(doc.ref_doctype) or not doc.ref_docname or is_platform_admin():
		return
	if not frappe.has_permission(doc.ref_doctype, "read", doc.ref_docname, user=doc.user):
		frappe.throw(_("Not permitted"), TimelineError)
