"""Members of an enterprise (manual §1.6): one admin, staff who joined or were added by the admin.

Membership is a User Permission on Enterprise (Frappe's own tenant filter); the roles say what a
member may do. Every action here checks that the caller is the enterprise's admin.
"""

import frappe
from frappe import _
from frappe.permissions import add_user_permission

from gz_innovation.accounts.password import set_default_password, validate_password_rule
from gz_innovation.accounts.registration import (
	create_portal_user,
	validate_mobile_is_free,
	validate_username_is_free,
)
from gz_innovation.enterprise import notifications
from gz_innovation.enterprise.idcard import mask_mobile
from gz_innovation.enterprise.permissions import member_enterprises
from gz_innovation.enterprise.roles import ADMIN_ROLE, ASSIGNABLE_ROLES, STAFF_ROLE


class MembershipError(frappe.ValidationError):
	http_status_code = 417


def enterprise_of(user: str) -> str | None:
	names = member_enterprises(user)
	return names[0] if names else None


def require_admin(enterprise: str) -> None:
	admin = frappe.db.get_value("Enterprise", enterprise, "enterprise_admin")
	if not admin or admin != frappe.session.user:
		raise frappe.PermissionError(_("Only the enterprise admin can do this"))


def add_member(enterprise: str, user: str, role: str) -> None:
	if not frappe.db.exists(
		"User Permission", {"user": user, "allow": "Enterprise", "for_value": enterprise}
	):
		add_user_permission("Enterprise", enterprise, user, ignore_permissions=True, is_default=1)
	doc = frappe.get_doc("User", user)
	doc.flags.ignore_permissions = True
	doc.add_roles(role)


def make_admin(enterprise_doc, user: str) -> None:
	"""On certification the applicant becomes the enterprise's single admin."""
	add_member(enterprise_doc.name, user, ADMIN_ROLE)
	enterprise_doc.db_set("enterprise_admin", user, update_modified=False)


def members(enterprise: str) -> list[dict]:
	require_admin(enterprise)
	users = frappe.get_all(
		"User Permission",
		filters={"allow": "Enterprise", "for_value": enterprise},
		pluck="user",
		ignore_permissions=True,
	)
	admin = frappe.db.get_value("Enterprise", enterprise, "enterprise_admin")
	rows = frappe.get_all(
		"User",
		filters={"name": ["in", users or [""]]},
		fields=["name", "full_name", "username", "mobile_no", "enabled"],
		ignore_permissions=True,
	)
	for row in rows:
		roles = set(frappe.get_roles(row.name))
		row.mobile_no = mask_mobile(row.mobile_no)
		row.is_admin = row.name == admin
		row.roles = sorted(roles & set(ASSIGNABLE_ROLES))
	return sorted(rows, key=lambda r: (not r.is_admin, r.full_name or ""))


def request_join(enterprise: str) -> str:
	user = frappe.session.user
	if frappe.db.get_value("Enterprise", enterprise, "certification_status") != "已认证":
		frappe.throw(_("Only certified enterprises can be joined"), MembershipError)
	if enterprise_of(user):
		frappe.throw(_("You already belong to an enterprise"), MembershipError)
	if frappe.db.exists(
		"Enterprise Join Request", {"user": user, "enterprise": enterprise, "status": "待审核"}
	):
		frappe.throw(_("Your request to join is waiting for the enterprise admin"), MembershipError)
	request = frappe.get_doc({"doctype": "Enterprise Join Request", "enterprise": enterprise, "user": user})
	request.insert(ignore_permissions=True)
	return request.name


def join_requests(enterprise: str) -> list[dict]:
	require_admin(enterprise)
	rows = frappe.get_all(
		"Enterprise Join Request",
		filters={"enterprise": enterprise, "status": "待审核"},
		fields=["name", "user", "creation"],
		ignore_permissions=True,
	)
	for row in rows:
		row.full_name, mobile = frappe.db.get_value("User", row.user, ["full_name", "mobile_no"])
		row.mobile_no = mask_mobile(mobile)
	return rows


def decide_join(request_name: str, approve: bool, reason: str | None = None) -> None:
	request = frappe.get_doc("Enterprise Join Request", request_name)
	require_admin(request.enterprise)
	if request.status != "待审核":
		frappe.throw(_("This request has already been decided"), MembershipError)
	if not approve and not (reason or "").strip():
		frappe.local.response["gz_field"] = "reject_reason"
		frappe.throw(_("Reject reason: please tell the requester why"), MembershipError)
	if approve:
		if enterprise_of(request.user):
			frappe.throw(_("The requester already belongs to an enterprise"), MembershipError)
		add_member(request.enterprise, request.user, STAFF_ROLE)
	request.status = "已通过" if approve else "已拒绝"
	request.reject_reason = None if approve else reason.strip()
	request.decided_by = frappe.session.user
	request.save(ignore_permissions=True)
	notifications.join_request_result(request, approve)


def add_staff(enterprise: str, mobile: str, username: str, full_name: str, default_password: str) -> str:
	"""A staff account with a default password that must be changed at first login."""
	require_admin(enterprise)
	mobile, username, full_name = (mobile or "").strip(), (username or "").strip(), (full_name or "").strip()
	validate_mobile_is_free(mobile)
	validate_username_is_free(username)
	if not full_name:
		from gz_innovation.accounts.messages import raise_problem

		raise_problem("full_name_missing")
	validate_password_rule(default_password)
	user = create_portal_user(mobile, username, full_name)
	add_member(enterprise, user, STAFF_ROLE)
	set_default_password(user, default_password)
	return user


def require_staff_of(enterprise: str, user: str) -> None:
	if user not in member_enterprises_users(enterprise):
		raise frappe.PermissionError(_("This account is not a member of your enterprise"))
	if user == frappe.session.user:
		frappe.throw(_("The enterprise admin cannot do this to their own account"), MembershipError)


def member_enterprises_users(enterprise: str) -> list[str]:
	return frappe.get_all(
		"User Permission",
		filters={"allow": "Enterprise", "for_value": enterprise},
		pluck="user",
		ignore_permissions=True,
	)


def reset_staff_password(enterprise: str, user: str, default_password: str) -> None:
	require_admin(enterprise)
	require_staff_of(enterprise, user)
	validate_password_rule(default_password)
	set_default_password(user, default_password)


def set_staff_enabled(enterprise: str, user: str, enabled: bool) -> None:
	require_admin(enterprise)
	require_staff_of(enterprise, user)
	frappe.db.set_value("User", user, "enabled", 1 if enabled else 0)
	if not enabled:
		from frappe.sessions import clear_sessions

		clear_sessions(user, force=True)


def set_staff_roles(enterprise: str, user: str, roles: list[str]) -> None:
	require_admin(enterprise)
	require_staff_of(enterprise, user)
	unknown = set(roles) - set(ASSIGNABLE_ROLES)
	if unknown:
		frappe.throw(
			_("These roles cannot be given by an enterprise admin: {0}").format(", ".join(sorted(unknown))),
			MembershipError,
		)
	doc = frappe.get_doc("User", user)
	doc.flags.ignore_permissions = True
	doc.remove_roles(*[r for r in ASSIGNABLE_ROLES if r not in roles])
	doc.add_roles(*roles)


def request_admin_transfer(enterprise: str, to_user: str) -> str:
	"""Handing the admin role to another member is a request the regulator approves in Desk."""
	require_admin(enterprise)
	require_staff_of(enterprise, to_user)
	if frappe.db.exists("Enterprise Admin Transfer", {"enterprise": enterprise, "status": "审核中"}):
		frappe.throw(_("A transfer of the admin role is already waiting for review"), MembershipError)
	request = frappe.get_doc(
		{
			"doctype": "Enterprise Admin Transfer",
			"enterprise": enterprise,
			"from_user": frappe.session.user,
			"to_user": to_user,
		}
	)
	request.insert(ignore_permissions=True)
	return request.name


def complete_admin_transfer(transfer) -> None:
	"""Enterprise Admin Transfer approved by the regulator: the new admin replaces the old one."""
	enterprise = frappe.get_doc("Enterprise", transfer.enterprise)
	old = frappe.get_doc("User", transfer.from_user)
	old.flags.ignore_permissions = True
	old.remove_roles(ADMIN_ROLE)
	old.add_roles(STAFF_ROLE)
	make_admin(enterprise, transfer.to_user)
