"""The 市州初审 and 省厅审核 stages of "Cultivation Review" move from the shared reviewer role to a
role each (GZ City Reviewer, GZ Province Reviewer). Only transitions and states that still hold the
old default are changed, so an administrator's own Workflow edits are kept. Reviewers keep their
work: those with a Review City get the city stage, the others the province stage. Safe to rerun."""

import frappe

from gz_innovation.accounts.setup import ensure_role
from gz_innovation.cultivation.setup import TRANSITIONS, WORKFLOW
from gz_innovation.enterprise.permissions import REVIEW_CITY_FIELD
from gz_innovation.enterprise.roles import (
	CITY_REVIEWER_ROLE,
	PROVINCE_REVIEWER_ROLE,
	REGULATOR_ROLE,
	REVIEWER_ROLES,
)


def execute():
	for role in REVIEWER_ROLES:
		ensure_role(role, desk_access=1)
	if frappe.db.exists("Workflow", WORKFLOW):
		split_transitions()
	for user in frappe.get_all(
		"Has Role", filters={"role": REGULATOR_ROLE, "parenttype": "User"}, pluck="parent"
	):
		if user in ("Administrator", "Guest"):
			continue
		stage = (
			CITY_REVIEWER_ROLE
			if frappe.db.get_value("User", user, REVIEW_CITY_FIELD)
			else PROVINCE_REVIEWER_ROLE
		)
		if stage not in frappe.get_roles(user):
			doc = frappe.get_doc("User", user)
			doc.flags.ignore_permissions = True
			doc.add_roles(stage)


def split_transitions() -> None:
	stage_of = {(state, action, next_state): role for state, action, next_state, role in TRANSITIONS}
	workflow = frappe.get_doc("Workflow", WORKFLOW)
	changed = False
	for row in workflow.transitions:
		role = stage_of.get((row.state, row.action, row.next_state))
		if role in (CITY_REVIEWER_ROLE, PROVINCE_REVIEWER_ROLE) and row.allowed == REGULATOR_ROLE:
			row.allowed = role
			changed = True
	if changed:
		workflow.save(ignore_permissions=True)
