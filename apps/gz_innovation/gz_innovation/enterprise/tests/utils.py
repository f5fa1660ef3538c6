"""Factories of the enterprise tests."""

import secrets

import frappe

from gz_innovation.accounts.tests.utils import create_user
from gz_innovation.enterprise.membership import add_member, make_admin
from gz_innovation.enterprise.roles import (
	CITY_REVIEWER_ROLE,
	PROVINCE_REVIEWER_ROLE,
	REGULATOR_ROLE,
	STAFF_ROLE,
)
from gz_innovation.enterprise.uscc import ALPHABET, check_character
from gz_innovation.utils import server_set


def new_uscc(region: str = "520100") -> str:
	body = "91" + region + "".join(secrets.choice(ALPHABET) for _ in range(9))
	return body + check_character(body)


def step_two_values(**overrides) -> dict:
	values = {
		"industry": "专用设备制造业",
		"ownership_type": "民营企业",
		"registration_date": "2015-03-01",
		"registered_capital": 500,
		"annual_revenue": 180,
		"rd_expenditure": 50,
		"city": "贵阳市",
		"county": "观山湖区",
		"address": "贵阳市观山湖区长岭北路1号",
		"contact_person": "李四",
		"contact_phone": "0851-86888888",
		"contact_email": "contact@example.com",
		"introduction": "一家贵州企业",
		"main_products": "工业软件",
	}
	values.update(overrides)
	return values


def create_certified_enterprise(
	admin: str | None = None, city: str = "贵阳市", county: str = "观山湖区"
) -> str:
	"""A certified enterprise with an admin (committed: HTTP tests read it), made as the platform's
	administrator would (whoever the test is acting as)."""
	admin = admin or create_user()
	acting = frappe.session.user
	frappe.set_user("Administrator")
	try:
		return _create_certified_enterprise(admin, city, county)
	finally:
		frappe.set_user(acting)


def _create_certified_enterprise(admin: str, city: str, county: str) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Enterprise",
			"enterprise_name": "测试企业" + secrets.token_hex(3),
			"uscc": new_uscc(),
			**step_two_values(city=city, county=county),
			"legal_person_name": "王五",
			"legal_person_id_number": "11010519491231002X",
			"legal_person_mobile": "13912345678",
		}
	)
	server_set(doc, applicant=admin)
	doc.flags.ignore_permissions = True
	doc.insert()
	doc.db_set("certification_status", "已认证")
	make_admin(doc, admin)
	frappe.db.commit()  # nosemgrep
	return doc.name


def create_staff(enterprise: str) -> str:
	user = create_user()
	add_member(enterprise, user, STAFF_ROLE)
	frappe.db.commit()  # nosemgrep
	return user


def create_regulator(city: str | None = None, stage: str | None = None) -> str:
	"""A reviewer in Desk. With a city: a 市州 reviewer of that city (市州初审), else a 省厅 reviewer
	(省厅审核); `stage` ("city", "province", "both") overrides the stage role."""
	stage = stage or ("city" if city else "province")
	stage_roles = {
		"city": [CITY_REVIEWER_ROLE],
		"province": [PROVINCE_REVIEWER_ROLE],
		"both": [CITY_REVIEWER_ROLE, PROVINCE_REVIEWER_ROLE],
	}[stage]
	email = f"reviewer-{secrets.token_hex(4)}@example.com"
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "审核员",
			"username": "rev_" + secrets.token_hex(4),
			"mobile_no": "137" + "".join(secrets.choice("0123456789") for _ in range(8)),
			"send_welcome_email": 0,
			"roles": [{"role": role} for role in (REGULATOR_ROLE, *stage_roles)],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	from frappe.utils.password import update_password

	from gz_innovation.accounts.tests.utils import PASSWORD

	update_password(user.name, PASSWORD)
	if city:
		frappe.db.set_value("User", user.name, "gz_review_city", city)
	frappe.db.commit()  # nosemgrep
	return user.name


def ensure_outgoing_email_account() -> None:
	"""Tests read Frappe's e-mail queue; it needs a default outgoing account (nothing is sent in tests)."""
	if frappe.db.exists("Email Account", {"default_outgoing": 1}):
		return
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "gz-test-outgoing",
			"email_id": "noreply@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
			"smtp_port": 25,
			"no_smtp_authentication": 1,
		}
	)
	account.flags.ignore_validate = True
	account.insert(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep


def delete_enterprises(names) -> None:
	for name in names:
		frappe.delete_doc("Enterprise", name, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep
