"""The audit trail (等保 2.0 level 3, 8.1.4.3): every reviewer and administrator action — workflow steps,
rule-set and batch edits, exports, PDF downloads, member and role changes, legacy imports, settings —
recorded as a GZ Audit Log with who, when, what and from where (the request's address).

`record()` is the one way in. Document changes arrive through the wildcard `doc_events` of hooks.py
(`on_insert`, `on_update`, `on_trash` below), which look the document type up in WATCHED; downloads
and exports arrive from the response of every request (`audit/downloads.py`, hook `after_request`).
Lower layers may call `record()`: this module imports nothing of the app.
"""

import json

import frappe
from frappe import _

# Action types (the values of GZ Audit Log's `action`).
REVIEW = "审核操作"
RULE_SET = "规则集变更"
BATCH = "批次变更"
EXPORT = "数据导出"
PDF = "PDF下载"
FILE = "文件下载"
MEMBERS = "成员与角色"
LEGACY_IMPORT = "原平台导入"
SETTINGS = "系统设置"
EXPERTS = "专家评审"
PUBLICITY = "认定公示"
RECOGNITION = "认定"

# Fields whose values never go into an audit record.
SECRET_FIELDTYPES = ("Password",)
IGNORED_FIELDS = ("modified", "modified_by", "creation", "owner", "idx", "version")


def record(
	action: str,
	description: str,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	changes=None,
	user: str | None = None,
) -> str:
	"""Insert one audit record for the current user (or `user`) and request; returns its name."""
	user = user or frappe.session.user
	doc = frappe.get_doc(
		{
			"doctype": "GZ Audit Log",
			"action": action,
			"user": user,
			"user_full_name": frappe.db.get_value("User", user, "full_name") if user else None,
			"ip_address": request_ip(),
			"source": source(),
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"description": description[:1000],
			"changes": json.dumps(changes, ensure_ascii=False, default=str, indent=1) if changes else None,
		}
	)
	doc.insert(ignore_permissions=True, ignore_links=True)
	if getattr(frappe.local, "request", None) is not None:
		# Frappe commits GET requests (downloads) only when told to; the record must stay.
		frappe.local.flags.commit = True
	return doc.name


def request_ip() -> str | None:
	if getattr(frappe.local, "request", None) is None:
		return None
	return getattr(frappe.local, "request_ip", None)


def source() -> str:
	if getattr(frappe.local, "request", None) is not None:
		return _("Web request")
	if getattr(frappe.local, "job", None):
		return _("Background job")
	return _("Server command")


# --- document changes ----------------------------------------------------------------------------


def on_insert(doc, method=None) -> None:
	handler = WATCHED.get(doc.doctype)
	if handler:
		handler(doc, "insert")


def on_update(doc, method=None) -> None:
	handler = WATCHED.get(doc.doctype)
	if handler and doc.get_doc_before_save() is not None:  # a new document was recorded on insert
		handler(doc, "update")


def on_trash(doc, method=None) -> None:
	handler = WATCHED.get(doc.doctype)
	if handler:
		handler(doc, "delete")


def changed(doc, fieldname: str) -> tuple | None:
	"""(old, new) when the field changed in this save, else None."""
	before = doc.get_doc_before_save()
	if before is None or before.get(fieldname) == doc.get(fieldname):
		return None
	return before.get(fieldname), doc.get(fieldname)


def diff(doc) -> dict | None:
	"""What a save changed: fields (label, old, new) and table rows added, removed or changed."""
	from frappe.core.doctype.version.version import get_diff

	before = doc.get_doc_before_save()
	if before is None:
		return None
	raw = get_diff(before, doc, for_child=False) or {}
	meta = frappe.get_meta(doc.doctype)
	fields = []
	for fieldname, old, new in raw.get("changed", []):
		df = meta.get_field(fieldname)
		if fieldname in IGNORED_FIELDS or (df and df.fieldtype in SECRET_FIELDTYPES):
			continue
		fields.append([_(df.label) if df else fieldname, old, new])
	tables = {}
	for kind in ("added", "removed", "row_changed"):
		for entry in raw.get(kind, []):
			df = meta.get_field(entry[0])
			label = _(df.label) if df else entry[0]
			tables.setdefault(label, {"added": 0, "removed": 0, "row_changed": 0})[kind] += 1
	if not fields and not tables:
		return None
	return {"fields": fields, "tables": tables}


def describe_diff(changes: dict | None) -> str:
	if not changes:
		return _("no field changed")
	parts = [_("{0}: {1} → {2}").format(label, show(old), show(new)) for label, old, new in changes["fields"]]
	for label, counts in changes["tables"].items():
		parts.append(
			_("{0}: {1} added, {2} removed, {3} changed").format(
				label, counts["added"], counts["removed"], counts["row_changed"]
			)
		)
	return "；".join(parts)


def show(value) -> str:
	text = "" if value is None else str(value)
	return text if len(text) <= 60 else text[:57] + "…"


def workflow_step(action: str, state_field: str, what):
	"""A handler recording the document's moves between workflow states."""

	def handler(doc, event: str) -> None:
		if event != "update":
			return
		moved = changed(doc, state_field)
		if not moved:
			return
		old, new = moved
		text = _("{0}: {1} → {2}").format(what(doc), old or "-", new)
		reason = (doc.get("review_comment") or "").strip()
		if reason and new in ("退回修改", "驳回"):
			text += " " + _("Reason: {0}").format(reason)
		record(action, text, doc.doctype, doc.name, {"from": old, "to": new})

	return handler


def edits(action: str, what):
	"""A handler recording creation, changes (with a diff) and deletion of a document."""

	def handler(doc, event: str) -> None:
		if event == "insert":
			record(action, _("Created {0}").format(what(doc)), doc.doctype, doc.name)
		elif event == "delete":
			record(action, _("Deleted {0}").format(what(doc)), doc.doctype, doc.name)
		else:
			changes = diff(doc)
			if changes:
				text = _("Changed {0}: {1}").format(what(doc), describe_diff(changes))
				record(action, text, doc.doctype, doc.name, changes)

	return handler


def user_changes(doc, event: str) -> None:
	"""Roles, enabled and review city of an account."""
	if event == "insert":
		if frappe.session.user in ("Guest", doc.name):
			return  # a registration: the person creates their own account
		roles = sorted(row.role for row in doc.roles)
		text = _("Created account {0} with roles {1}").format(doc.name, "、".join(roles) or "-")
		record(MEMBERS, text, "User", doc.name, {"roles": roles})
		return
	if event == "delete":
		record(MEMBERS, _("Deleted account {0}").format(doc.name), "User", doc.name)
		return
	before = doc.get_doc_before_save()
	old_roles = {row.role for row in before.roles}
	new_roles = {row.role for row in doc.roles}
	parts, details = [], {}
	if old_roles != new_roles:
		added, removed = sorted(new_roles - old_roles), sorted(old_roles - new_roles)
		details.update({"roles_added": added, "roles_removed": removed})
		if added:
			parts.append(_("roles added: {0}").format("、".join(added)))
		if removed:
			parts.append(_("roles removed: {0}").format("、".join(removed)))
	if moved := changed(doc, "enabled"):
		details["enabled"] = moved
		parts.append(_("enabled") if moved[1] else _("disabled"))
	if moved := changed(doc, "gz_review_city"):
		details["review_city"] = moved
		parts.append(_("Review City: {0} → {1}").format(moved[0] or "-", moved[1] or "-"))
	if moved := changed(doc, "gz_review_county"):
		details["review_county"] = moved
		parts.append(_("Review County: {0} → {1}").format(moved[0] or "-", moved[1] or "-"))
	if parts:
		record(MEMBERS, _("Account {0}: {1}").format(doc.name, "；".join(parts)), "User", doc.name, details)


def membership_changes(doc, event: str) -> None:
	"""Membership of an enterprise is a User Permission on Enterprise."""
	if doc.allow != "Enterprise" or event == "update":
		return
	text = (_("{0} joined enterprise {1}") if event == "insert" else _("{0} left enterprise {1}")).format(
		doc.user, doc.for_value
	)
	record(MEMBERS, text, "Enterprise", doc.for_value, {"user": doc.user})


def legacy_import_changes(doc, event: str) -> None:
	if event == "insert":
		record(LEGACY_IMPORT, _("Created legacy import {0}").format(doc.name), doc.doctype, doc.name)
	elif event == "update" and (moved := changed(doc, "status")) and moved[1] == "Completed":
		counts = {
			field: doc.get(field)
			for field in (
				"users_created",
				"users_updated",
				"enterprises_created",
				"enterprises_updated",
				"figures_imported",
				"rows_skipped",
			)
		}
		text = _(
			"Legacy import {0} completed: {1} users and {2} enterprises created, {3} rows skipped"
		).format(doc.name, doc.users_created or 0, doc.enterprises_created or 0, doc.rows_skipped or 0)
		record(LEGACY_IMPORT, text, doc.doctype, doc.name, counts)


def _submission(doc) -> str:
	return _("{0} ({1}, {2})").format(doc.enterprise_name or doc.enterprise, doc.cultivation_type, doc.batch)


def _certification(doc) -> str:
	return _("Certification of {0}").format(doc.enterprise_name or doc.name)


def _transfer(doc) -> str:
	return _("Transfer of the admin role of {0} from {1} to {2}").format(
		doc.enterprise, doc.from_user, doc.to_user
	)


def _join_request(doc) -> str:
	return _("Request of {0} to join {1}").format(doc.user, doc.enterprise)


def _named(label: str):
	"""The document's type and name ("培育批次 2026年度…"); a settings page by its type alone."""
	return lambda doc: _(label) if doc.name == doc.doctype else _("{0} {1}").format(_(label), doc.name)


def _permission(doc) -> str:
	return _("Permission of {0} on {1} (level {2})").format(doc.role, doc.parent, doc.permlevel)


def _request_or_workflow(action: str, what):
	"""Requests (join, admin transfer): their creation and their decision."""
	step = workflow_step(action, "status", what)

	def handler(doc, event: str) -> None:
		if event == "insert":
			record(action, _("Requested: {0}").format(what(doc)), doc.doctype, doc.name)
		else:
			step(doc, event)

	return handler


WATCHED = {
	"Cultivation Submission": workflow_step(REVIEW, "status", _submission),
	"Enterprise": workflow_step(REVIEW, "certification_status", _certification),
	"Enterprise Admin Transfer": _request_or_workflow(MEMBERS, _transfer),
	"Enterprise Join Request": _request_or_workflow(MEMBERS, _join_request),
	"Cultivation Rule Set": edits(RULE_SET, _named("Cultivation Rule Set")),
	"Cultivation Batch": edits(BATCH, _named("Cultivation Batch")),
	"Cultivation Type": edits(BATCH, _named("Cultivation Type")),
	"User": user_changes,
	"User Permission": membership_changes,
	"Custom DocPerm": edits(MEMBERS, _permission),
	"Legacy Import": legacy_import_changes,
	"GZ SMS Settings": edits(SETTINGS, _named("GZ SMS Settings")),
	"Cultivation Reminder Settings": edits(SETTINGS, _named("Cultivation Reminder Settings")),
	"Workflow": edits(SETTINGS, _named("Workflow")),
	# The low-code configuration: the review route, the portal's forms (Customize Form), the commitment.
	"GZ Review Stage": edits(SETTINGS, _named("GZ Review Stage")),
	"Custom Field": edits(SETTINGS, _named("Custom Field")),
	"Property Setter": edits(SETTINGS, _named("Property Setter")),
	"GZ Commitment Settings": edits(SETTINGS, _named("GZ Commitment Settings")),
	# Recognition: the scoring schemes, the expert pool, each draw's and each review's steps.
	"GZ Scoring Scheme": edits(RULE_SET, _named("GZ Scoring Scheme")),
	"GZ Expert": edits(EXPERTS, _named("GZ Expert")),
	"GZ Expert Draw": workflow_step(EXPERTS, "status", _named("GZ Expert Draw")),
	"GZ Expert Review": workflow_step(EXPERTS, "status", _named("GZ Expert Review")),
	"GZ Publicity": edits(PUBLICITY, _named("GZ Publicity")),
	"GZ Objection": workflow_step(PUBLICITY, "status", _named("GZ Objection")),
	"GZ Recognition": edits(RECOGNITION, _named("GZ Recognition")),
}
