"""Set-up of the department side in Desk (idempotent; setup/install.py calls `setup_department` after
every install and migrate): reviewers and platform administrators land on the workspace
科技创新平台培育, their lists show enough columns, the reminders have their texts."""

import frappe

from gz_innovation.accounts.setup import ensure_sms_templates
from gz_innovation.cultivation import reminders
from gz_innovation.enterprise.roles import REGULATOR_ROLE

WORKSPACE = "Innovation Platform Cultivation"  # 科技创新平台培育 (cultivation/workspace/)
LANDING_ROLES = (REGULATOR_ROLE, "System Manager")
# Columns shown in the reviewers' lists (Frappe shows 4 to 6 on usual screens unless told).
LIST_COLUMNS = {"Cultivation Submission": 10, "Enterprise": 8, "Enterprise Admin Transfer": 6}


def setup_department(language: str) -> None:
	ensure_sms_templates(reminders.sms_templates(language))
	reminders.ensure_settings(language)
	ensure_list_settings()
	set_default_workspaces()


def set_default_workspace(doc, method=None) -> None:
	"""User (before_save): a reviewer or administrator without a default workspace gets ours."""
	if doc.get("default_workspace") or not frappe.db.exists("Workspace", WORKSPACE):
		return
	if doc.name == "Administrator" or {row.role for row in doc.roles} & set(LANDING_ROLES):
		doc.default_workspace = WORKSPACE


def set_default_workspaces() -> None:
	"""Existing reviewers and administrators without a default workspace get ours (once; a choice of
	their own is kept)."""
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	users = set(
		frappe.get_all(
			"Has Role", filters={"role": ["in", LANDING_ROLES], "parenttype": "User"}, pluck="parent"
		)
	)
	users.add("Administrator")
	for user in frappe.get_all(
		"User", filters={"name": ["in", list(users)], "default_workspace": ["is", "not set"]}, pluck="name"
	):
		frappe.db.set_value("User", user, "default_workspace", WORKSPACE, update_modified=False)


def ensure_list_settings() -> None:
	for doctype, columns in LIST_COLUMNS.items():
		if frappe.db.exists("List View Settings", doctype):
			continue
		doc = frappe.new_doc("List View Settings")
		doc.name = doctype
		doc.total_fields = str(columns)
		doc.insert(ignore_permissions=True)
