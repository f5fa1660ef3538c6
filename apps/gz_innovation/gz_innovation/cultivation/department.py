"""Set-up of the department side in Desk (idempotent; setup/install.py calls `setup_department` after
every install and migrate): reviewers and platform administrators land on the workspace
科技创新平台培育, Frappe's own workspaces are offered to System Managers only, the reviewers' lists show
enough columns, the reminders have their texts. `boot_widgets` gives Desk's boot what the workspace's
number cards and charts need to ask for their figures at once."""

import frappe
from frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source import get_config
from frappe.permissions import get_doctypes_with_read

from gz_innovation.accounts.setup import ensure_sms_templates
from gz_innovation.cultivation import reminders, route
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
	offer_frappe_workspaces_to_system_managers()
	route.sync_queues()  # a work queue per review stage (the workspace's file knows the manual's two)


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


def offer_frappe_workspaces_to_system_managers() -> None:
	"""Frappe's own workspaces (用户, 网站, 工具, 集成, 构建) are for System Managers: each public one
	that names no role gets that role, as an administrator would give it in Desk (Workspace → Roles).
	Reviewers then see the department's workspace only. A workspace given roles of the administrator's
	choice keeps them; to offer one to reviewers, add their role to it."""
	frappe_modules = frappe.get_all("Module Def", filters={"app_name": "frappe"}, pluck="name")
	with_roles = set(frappe.get_all("Has Role", filters={"parenttype": "Workspace"}, pluck="parent"))
	for name in frappe.get_all(
		"Workspace", filters={"public": 1, "module": ["in", frappe_modules]}, pluck="name"
	):
		if name in with_roles:
			continue
		workspace = frappe.get_doc("Workspace", name)
		# The row alone: saving a standard workspace would export it into Frappe's folder in developer
		# mode, and Frappe's migrate only rewrites it from its file when Frappe ships a newer one.
		workspace.append("roles", {"role": "System Manager"}).db_insert()
		frappe.clear_document_cache("Workspace", name)


def boot_widgets(bootinfo) -> None:
	"""Desk's boot (hook `extend_bootinfo`, every Desk load): the number cards and charts of the
	department's workspace that the user may read, and the scripts of its chart sources. Frappe's
	widgets fetch each of these documents (and a chart its source's script) before asking for their
	figure: nine requests ahead of the figures on a reviewer's landing. gz_department.js puts them
	where those widgets look first, so the figures are asked for at once."""
	if frappe.session.user == "Guest" or not frappe.db.exists("Workspace", WORKSPACE):
		return
	workspace = frappe.get_cached_doc("Workspace", WORKSPACE)
	roles = set(frappe.get_roles())
	if {row.role for row in workspace.roles}.isdisjoint(roles) and "System Manager" not in roles:
		return
	readable = set(get_doctypes_with_read())
	docs, sources = [], {}
	# Frappe's own rule for these documents (number_card.has_permission, dashboard_chart.has_permission)
	# in its simple case, once for all; anything else is left to Frappe's widgets to fetch.
	for row in workspace.number_cards:
		card = frappe.get_cached_doc("Number Card", row.number_card_name)
		if card.type != "Report" and card.document_type in readable:
			docs.append(card.as_dict())
	for row in workspace.charts:
		chart = frappe.get_cached_doc("Dashboard Chart", row.chart_name)
		if chart.chart_type == "Report" or chart.roles or chart.document_type not in readable:
			continue
		docs.append(chart.as_dict())
		if chart.chart_type == "Custom" and chart.source:
			sources[chart.source] = get_config(chart.source)
	bootinfo.gz_workspace_widgets = {"docs": docs, "chart_sources": sources}
