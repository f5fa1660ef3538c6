"""Idempotent set-up of the enterprise module: roles, regions, the certification Workflow and
the SMS templates of its notifications. Records are only created when missing, so an
administrator's later changes (e.g. to the Workflow in Desk) are kept."""

import json
from pathlib import Path

import frappe
from frappe import _
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from gz_innovation.accounts.registration import PERSONAL_USER_ROLE
from gz_innovation.accounts.setup import ensure_role, ensure_sms_templates
from gz_innovation.enterprise import choices
from gz_innovation.enterprise.permissions import REVIEW_CITY_FIELD, REVIEW_COUNTY_FIELD
from gz_innovation.enterprise.roles import (
	ADMIN_ROLE,
	ASSIGNABLE_ROLES,
	REGULATOR_ROLE,
	REVIEWER_ROLES,
	STAFF_ROLE,
)

WORKFLOW = "Enterprise Certification"
# (state, style)
STATES = [
	("草稿", ""),
	("审核中", "Primary"),
	("退回修改", "Warning"),
	("已认证", "Success"),
	("驳回", "Danger"),
]
# (state, action, next state, role)
TRANSITIONS = [
	("草稿", "提交审核", "审核中", PERSONAL_USER_ROLE),
	("退回修改", "重新提交", "审核中", PERSONAL_USER_ROLE),
	("审核中", "通过", "已认证", REGULATOR_ROLE),
	("审核中", "退回修改", "退回修改", REGULATOR_ROLE),
	("审核中", "驳回", "驳回", REGULATOR_ROLE),
	("驳回", "重新申请", "草稿", PERSONAL_USER_ROLE),
]


def setup_enterprise(language: str) -> None:
	for role in (ADMIN_ROLE, STAFF_ROLE, *ASSIGNABLE_ROLES):
		ensure_role(role)
	for role in REVIEWER_ROLES:
		ensure_role(role, desk_access=1)
	ensure_regions()
	choices.ensure_defaults()
	ensure_workflow()
	create_custom_fields(
		{
			"User": [
				{
					"fieldname": REVIEW_CITY_FIELD,
					"fieldtype": "Link",
					"options": "GZ Region",
					"label": "Review City",
					"insert_after": "gz_must_change_password",
					"description": "For 市州 reviewers: they review only the enterprises of this city. Empty: the whole province.",
				},
				{
					"fieldname": REVIEW_COUNTY_FIELD,
					"fieldtype": "Link",
					"options": "GZ Region",
					"label": "Review County",
					"insert_after": REVIEW_CITY_FIELD,
					"description": "For 区县 reviewers: they review only the enterprises of this county.",
				},
			]
		},
		update=True,
	)
	ensure_sms_templates(
		{
			"certification_approved": (
				_(
					"Your enterprise {enterprise} is certified; you are now its enterprise admin.",
					lang=language,
				),
				"enterprise",
			),
			"certification_returned": (
				_(
					"The certification of {enterprise} was returned for revision: {reason}. Please log in, correct and resubmit.",
					lang=language,
				),
				"enterprise,reason",
			),
			"certification_rejected": (
				_("The certification of {enterprise} was rejected: {reason}.", lang=language),
				"enterprise,reason",
			),
			"join_approved": (
				_("Your request to join {enterprise} was approved.", lang=language),
				"enterprise",
			),
			"join_rejected": (
				_("Your request to join {enterprise} was rejected: {reason}.", lang=language),
				"enterprise,reason",
			),
		}
	)


def ensure_regions() -> None:
	regions = json.loads((Path(__file__).parent / "regions.json").read_text(encoding="utf-8"))
	for city, counties in regions.items():
		if not frappe.db.exists("GZ Region", city):
			frappe.get_doc({"doctype": "GZ Region", "region_name": city, "region_type": "City"}).insert(
				ignore_permissions=True
			)
		for county in counties:
			if not frappe.db.exists("GZ Region", county):
				frappe.get_doc(
					{
						"doctype": "GZ Region",
						"region_name": county,
						"region_type": "County",
						"parent_region": city,
					}
				).insert(ignore_permissions=True)


def ensure_workflow() -> None:
	ensure_workflow_records(
		WORKFLOW,
		"Enterprise",
		"certification_status",
		STATES,
		{
			"草稿": PERSONAL_USER_ROLE,
			"审核中": REGULATOR_ROLE,
			"退回修改": PERSONAL_USER_ROLE,
			"已认证": REGULATOR_ROLE,
			"驳回": REGULATOR_ROLE,
		},
		TRANSITIONS,
	)


def ensure_workflow_records(name, doctype, state_field, states, edit_roles, transitions) -> None:
	"""Create a Workflow (and its states and actions) unless it exists: later edits in Desk are kept."""
	for state, style in states:
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in {t[1] for t in transitions}:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	if frappe.db.exists("Workflow", name):
		return
	frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": name,
			"document_type": doctype,
			"workflow_state_field": state_field,
			"is_active": 1,
			"send_email_alert": 0,
			"override_status": 1,
			"states": [
				{"state": state, "doc_status": "0", "allow_edit": edit_roles[state]}
				for state, _style in states
			],
			"transitions": [
				{
					"state": state,
					"action": action,
					"next_state": next_state,
					"allowed": role,
					"allow_self_approval": 1,
				}
				for state, action, next_state, role in transitions
			],
		}
	).insert(ignore_permissions=True)
