"""Who sees which enterprise: one criterion for single documents (has_permission) and lists
(permission_query_conditions), so they cannot drift.

- System Managers and province-level regulators: every enterprise;
- regulators with a Review City (User field): the enterprises of that city;
- everyone else: the enterprise they belong to (User Permission on Enterprise) and their own
  certification application.
"""

import frappe

from gz_innovation.enterprise.roles import REGULATOR_ROLE

FULL_ACCESS = None


def member_enterprises(user: str) -> list[str]:
	return frappe.get_all(
		"User Permission",
		filters={"user": user, "allow": "Enterprise"},
		pluck="for_value",
		ignore_permissions=True,
	)


REVIEW_CITY_FIELD = "gz_review_city"


def regulator_cities(user: str) -> list[str]:
	"""A 市州 reviewer has the city in User → Review City; province reviewers leave it empty."""
	city = frappe.db.get_value("User", user, REVIEW_CITY_FIELD)
	return [city] if city else []


def visible_scope(user: str):
	"""FULL_ACCESS, or a dict of what the user may see: enterprises, cities, applicant."""
	if user == "Administrator":
		return FULL_ACCESS
	roles = frappe.get_roles(user)
	if "System Manager" in roles:
		return FULL_ACCESS
	if REGULATOR_ROLE in roles:
		cities = regulator_cities(user)
		return FULL_ACCESS if not cities else {"cities": cities, "enterprises": [], "applicant": None}
	return {"cities": [], "enterprises": member_enterprises(user), "applicant": user}


def can_see(doc, user: str) -> bool:
	scope = visible_scope(user)
	if scope is FULL_ACCESS:
		return True
	return (
		doc.name in scope["enterprises"]
		or (scope["applicant"] and doc.applicant == scope["applicant"])
		or (doc.city in scope["cities"])
	)


def enterprise_has_permission(doc, ptype=None, user=None) -> bool:
	return can_see(doc, user or frappe.session.user)


def enterprise_query_conditions(user=None) -> str:
	scope = visible_scope(user or frappe.session.user)
	if scope is FULL_ACCESS:
		return ""
	conditions = []
	if scope["enterprises"]:
		conditions.append(
			f"`tabEnterprise`.`name` in ({', '.join(frappe.db.escape(e) for e in scope['enterprises'])})"
		)
	if scope["cities"]:
		conditions.append(
			f"`tabEnterprise`.`city` in ({', '.join(frappe.db.escape(c) for c in scope['cities'])})"
		)
	if scope["applicant"]:
		conditions.append(f"`tabEnterprise`.`applicant` = {frappe.db.escape(scope['applicant'])}")
	return "(" + " or ".join(conditions) + ")" if conditions else "1=0"


def linked_query_conditions(doctype: str, field: str = "enterprise", city_field: str | None = None):
	"""permission_query_conditions for a doctype that links to Enterprise through `field`."""

	def conditions(user=None) -> str:
		scope = visible_scope(user or frappe.session.user)
		if scope is FULL_ACCESS:
			return ""
		parts = []
		if scope["enterprises"]:
			names = ", ".join(frappe.db.escape(e) for e in scope["enterprises"])
			parts.append(f"`tab{doctype}`.`{field}` in ({names})")
		if city_field and scope["cities"]:
			cities = ", ".join(frappe.db.escape(c) for c in scope["cities"])
			parts.append(f"`tab{doctype}`.`{city_field}` in ({cities})")
		return "(" + " or ".join(parts) + ")" if parts else "1=0"

	return conditions


def linked_has_permission(doc, ptype=None, user=None) -> bool:
	"""has_permission of a document that carries `enterprise` (and `city`) fields."""
	scope = visible_scope(user or frappe.session.user)
	if scope is FULL_ACCESS:
		return True
	return doc.enterprise in scope["enterprises"] or bool(doc.get("city") and doc.city in scope["cities"])


def submission_query_conditions(user=None) -> str:
	return linked_query_conditions("Cultivation Submission", city_field="city")(user)


def join_request_query_conditions(user=None) -> str:
	return linked_query_conditions("Enterprise Join Request")(user)


def transfer_query_conditions(user=None) -> str:
	"""Enterprise Admin Transfer: the transfers of the enterprises the user may see (a 市州 reviewer:
	their city's), the same criterion as the enterprises themselves."""
	user = user or frappe.session.user
	if visible_scope(user) is FULL_ACCESS:
		return ""
	return (
		"`tabEnterprise Admin Transfer`.`enterprise` in "
		f"(select `tabEnterprise`.`name` from `tabEnterprise` where {enterprise_query_conditions(user)})"
	)


def transfer_has_permission(doc, ptype=None, user=None) -> bool:
	enterprise = frappe.db.get_value(
		"Enterprise", doc.enterprise, ["name", "city", "applicant"], as_dict=True
	)
	return bool(enterprise) and can_see(enterprise, user or frappe.session.user)
