"""Enterprise roles were created with Desk access on sites set up before the roles were corrected:
give their holders back the portal (Website User) type."""

import frappe

from gz_innovation.enterprise.roles import ADMIN_ROLE, ASSIGNABLE_ROLES, STAFF_ROLE


def execute():
	for role in (ADMIN_ROLE, STAFF_ROLE, *ASSIGNABLE_ROLES):
		if frappe.db.exists("Role", role):
			frappe.db.set_value("Role", role, "desk_access", 0)
	users = frappe.get_all(
		"Has Role", filters={"role": ["in", (ADMIN_ROLE, STAFF_ROLE)], "parenttype": "User"}, pluck="parent"
	)
	for name in set(users):
		user = frappe.get_doc("User", name)
		user.flags.ignore_permissions = True
		user.save()
