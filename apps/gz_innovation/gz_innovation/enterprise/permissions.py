"""Who sees which enterprise: one criterion for single documents (has_permission) and lists
(permission_query_conditions), so they cannot drift.

- System Managers and province-level regulators: every enterprise;
- regulators with a Review County (User field, 区县 reviewers): the enterprises of that county;
- regulators with a Review City (User field): the enterprises of that city;
- everyone else: the enterprise they belong to (User Permission on Enterprise) and their own
  certification application.
"""

import frappe

from gz_innovation.enterprise.roles import REGULATOR_ROLE

FULL_ACCESS = None


def member_enterprises(user: str) -> list[str]:
	# frappe.db rather than frappe.get_all: asked on every portal page, without a list query's cost.
	return frappe.db.get_values(
		"User Permission",
		{"user": user, "allow": "Enterprise"},
		"for_value",
		order_by="modified desc",
		pluck=True,
	)


REVIEW_CITY_FIELD = "gz_review_city"
REVIEW_COUNTY_FIELD = "gz_review_county"


def regulator_cities(user: str) -> list[str]:
	"""A 市州 reviewer has the city in User → Review City; province reviewers leave it empty."""
	city = frappe.db.get_value("User", user, REVIEW_CITY_FIELD)
	return [city] if city else []


def regulator_counties(user: str) -> list[str]:
	"""A 区县 reviewer has the county in User → Review County."""
	county = frappe.db.get_value("User", user, REVIEW_COUNTY_FIELD)
	return [county] if county else []


def visible_scope(user: str):
	"""FULL_ACCESS, or a dict of what the user may see: enterprises, cities, counties, applicant."""
	if user == "Administrator":
		return FULL_ACCESS
	roles = frappe.get_roles(user)
	if "System Manager" in roles:
		return FULL_ACCESS
	if REGULATOR_ROLE in roles:
		counties = regulator_counties(user)
		if counties:
			return {"cities": [], "counties": counties, "enterprises": [], "applicant": None}
		cities = regulator_cities(user)
		if cities:
			return {"cities": cities, "counties": [], "enterprises": [], "applicant": None}
		return FULL_ACCESS
	return {"cities": [], "counties": [], "enterprises": member_enterprises(user), "applicant": user}


def can_see(doc, user: str) -> bool:
	scope = visible_scope(user)
	if scope is FULL_ACCESS:
		return True
	return (
		doc.name in scope["enterprises"]
		or (scope["applicant"] and doc.applicant == scope["applicant"])
		or (doc.city in scope["cities"])
		or (doc.county in scope["counties"])
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
	if scope["counties"]:
		conditions.append(
			f"`tabEnterprise`.`county` in ({', '.join(frappe.db.escape(c) for c in scope['counties'])})"
		)
	if scope["applicant"]:
		conditions.append(f"`tabEnterprise`.`applicant` = {frappe.db.escape(scope['applicant'])}")
	return "(" + " or ".join(conditions) + ")" if conditions else "1=0"


def linked_query_conditions(doctype: str, field: str = "enterprise", city_field: str | None = None):
	"""permission_query_conditions for a doctype that links to Enterprise through `field`; the city
	is the record's own `city_field`, else the linked enterprise's."""

	def conditions(user=None) -> str:
		scope = visible_scope(user or frappe.session.user)
		if scope is FULL_ACCESS:
			return ""
		parts = []
		if scope["enterprises"]:
			names = ", ".join(frappe.db.escape(e) for e in scope["enterprises"])
			parts.append(f"`tab{doctype}`.`{field}` in ({names})")
		if scope["cities"]:
			cities = ", ".join(frappe.db.escape(c) for c in scope["cities"])
			if city_field:
				parts.append(f"`tab{doctype}`.`{city_field}` in ({cities})")
			else:
				parts.append(
					f"`tab{doctype}`.`{field}` in (select `name` from `tabEnterprise` where `city` in ({cities}))"
				)
		if scope["counties"]:
			counties = ", ".join(frappe.db.escape(c) for c in scope["counties"])
			if city_field:  # a record that keeps its city keeps its county beside it
				parts.append(f"`tab{doctype}`.`county` in ({counties})")
			else:
				parts.append(
					f"`tab{doctype}`.`{field}` in (select `name` from `tabEnterprise` where `county` in ({counties}))"
				)
		return "(" + " or ".join(parts) + ")" if parts else "1=0"

	return conditions


def linked_has_permission(doc, ptype=None, user=None) -> bool:
	"""has_permission of a document that carries an `enterprise` field (and maybe its own `city`)."""
	scope = visible_scope(user or frappe.session.user)
	if scope is FULL_ACCESS:
		return True
	if doc.enterprise in scope["enterprises"]:
		return True
	city, county = (
		(doc.get("city"), doc.get("county"))
		if doc.meta.has_field("city")
		else frappe.db.get_value("Enterprise", doc.enterprise, ["city", "county"]) or (None, None)
	)
	return bool(city and city in scope["cities"]) or bool(county and county in scope["counties"])


def submission_query_conditions(user=None) -> str:
	return linked_query_conditions("Cultivation Submission", city_field="city")(user)


def join_request_query_conditions(user=None) -> str:
	return linked_query_conditions("Enterprise Join Request")(user)


def admin_transfer_query_conditions(user=None) -> str:
	return linked_query_conditions("Enterprise Admin Transfer")(user)


def legacy_figures_query_conditions(user=None) -> str:
	return linked_query_conditions("Legacy Indicator Record")(user)


# The app's records whose visibility is scoped, with their list conditions (files and child rows
# follow them).
SCOPED_QUERY_CONDITIONS = {
	"Enterprise": enterprise_query_conditions,
	"Cultivation Submission": submission_query_conditions,
	"Enterprise Join Request": join_request_query_conditions,
	"Enterprise Admin Transfer": admin_transfer_query_conditions,
	"Legacy Indicator Record": legacy_figures_query_conditions,
}


def visible_records(doctype: str, user=None) -> str | None:
	"""SQL selecting the names of the `doctype` records the user may see; None: all of them."""
	condition = SCOPED_QUERY_CONDITIONS[doctype](user or frappe.session.user)
	return f"select `name` from `tab{doctype}` where {condition}" if condition else None


def rows_of(child: str, parent: str):
	"""permission_query_conditions of a child table: the rows of records the user may see (Frappe's
	list of a child table checks only the parent's DocType)."""

	def conditions(user=None) -> str:
		records = visible_records(parent, user)
		return f"`tab{child}`.`parent` in ({records})" if records else ""

	return conditions


business_authorization_query_conditions = rows_of("GZ Business Authorization", "Enterprise")
evaluation_row_query_conditions = rows_of("Cultivation Evaluation Row", "Cultivation Submission")
report_section_query_conditions = rows_of("Cultivation Report Section", "Cultivation Submission")
evidence_query_conditions = rows_of("Cultivation Evidence", "Cultivation Submission")


def file_query_conditions(user=None) -> str:
	"""Files attached to the app's scoped records are listed only with their records."""
	return referenced_records_in_scope("File", "attached_to_doctype", "attached_to_name", user)


def referenced_records_in_scope(doctype: str, type_field: str, name_field: str, user=None) -> str:
	"""List condition of a DocType that refers to any record (type and name fields): a row that
	refers to one of the app's scoped records is listed only with that record."""
	parts = []
	for scoped in SCOPED_QUERY_CONDITIONS:
		records = visible_records(scoped, user)
		if records:
			parts.append(
				f"(ifnull(`tab{doctype}`.`{type_field}`, '') != {frappe.db.escape(scoped)}"
				f" or `tab{doctype}`.`{name_field}` in ({records}))"
			)
	return " and ".join(parts)


def workflow_action_query_conditions(user=None) -> str:
	"""Frappe lists a Workflow Action to everyone whose role may act on it: here only those of records
	the user sees (another city's submissions stay out of a 市州 reviewer's list)."""
	return referenced_records_in_scope("Workflow Action", "reference_doctype", "reference_name", user)


def user_query_conditions(user=None) -> str:
	"""Users listed to anyone but System Managers: themselves, the Desk users (colleagues), and the
	members and applicants of the enterprises they see."""
	user = user or frappe.session.user
	enterprises = visible_records("Enterprise", user)
	if enterprises is None:
		return ""
	return (
		f"(`tabUser`.`name` = {frappe.db.escape(user)} or `tabUser`.`user_type` = 'System User'"
		" or `tabUser`.`name` in (select `user` from `tabUser Permission` where `allow` = 'Enterprise'"
		f" and `for_value` in ({enterprises}))"
		f" or `tabUser`.`name` in (select `applicant` from `tabEnterprise` where `name` in ({enterprises})))"
	)
