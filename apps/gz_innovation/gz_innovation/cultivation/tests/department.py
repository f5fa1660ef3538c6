"""Factories of the department-side tests: a batch of its own, enterprises in two cities, submissions
taken through the real submit and Workflow steps, and their step times set to known values."""

import uuid
from datetime import timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime

from gz_innovation.accounts.tests.utils import create_user
from gz_innovation.cultivation import application, submission
from gz_innovation.cultivation.setup import RULE_SETS, TYPES, ensure_batch, ensure_rule_set
from gz_innovation.enterprise.tests.utils import create_certified_enterprise

GUIYANG, ZUNYI = "贵阳市", "遵义市"
COUNTY = {GUIYANG: "观山湖区", ZUNYI: "红花岗区"}
PREFIX = "部门测试批次-"
ZEROS = {
	"indicator_category": "其他",
	"plant_varieties": 0,
	"national_crop_varieties": 0,
	"national_new_drugs": 0,
	"national_tcm_varieties": 0,
	"ic_layout_designs": 0,
	"national_level_methods": 0,
	"national_methods": 0,
	"software_copyrights": 3,
	"is_big_data_enterprise": "否",
	"cmmi_level4": "否",
}
# Meets every default rule set.
GOOD = {**ZEROS, "revenue": 5000, "rd_expenditure": 300, "rd_equipment_value": 800, "invention_patents": 20}
# 企业技术中心: fails only 规模以上企业 (revenue 180 万元); 28.00% R&D, 12 patents, equipment 600.
SMALL = {**ZEROS, "revenue": 180, "rd_expenditure": 50, "rd_equipment_value": 600, "invention_patents": 12}


def new_batch(
	days_left: float = 30, deadlines: dict | None = None, opened_days_ago: float = 5 / 86400
) -> str:
	"""A batch opened seconds ago by default (so it is the open batch of the dashboard, whatever other
	batches the site has), with the default rule sets and, optionally, stage deadlines
	{"city_review_deadline": datetime, ...}."""
	name = PREFIX + uuid.uuid4().hex[:10]
	now = now_datetime()
	opens_at = now - timedelta(days=opened_days_ago)
	ensure_batch(name, 2026, str(opens_at), str(now + timedelta(days=days_left)))
	for cultivation_type in TYPES:
		ensure_rule_set(cultivation_type, name, RULE_SETS[cultivation_type])
	if deadlines:
		doc = frappe.get_doc("Cultivation Batch", name)
		doc.update(deadlines)
		doc.save(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: HTTP requests of the tests read it
	return name


def enterprise_in(city: str) -> tuple[str, str]:
	"""A certified enterprise of `city` and its admin."""
	admin = create_user()
	return create_certified_enterprise(admin, city=city, county=COUNTY[city]), admin


def submitted(admin: str, batch: str, cultivation_type: str, values: dict, submit: bool = True) -> str:
	"""The admin's application, filled with `values` and submitted (or left a draft)."""
	frappe.set_user(admin)
	try:
		name = submission.open_draft(cultivation_type, batch).name
		submission.save_draft(name, {**values, "commitment": 1})
		if submit:
			submission.submit(name)
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()  # nosemgrep
	return name


def step(name: str, action: str, reviewer: str, comment: str | None = None) -> None:
	"""A reviewer takes a Workflow action in Desk's way (Frappe's apply_workflow)."""
	frappe.set_user(reviewer)
	try:
		doc = frappe.get_doc("Cultivation Submission", name)
		if comment:
			doc.review_comment = comment
			doc.save()
		apply_workflow(frappe.get_doc("Cultivation Submission", name), action)
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()  # nosemgrep


def set_step_times(name: str, days_ago: list[float]) -> None:
	"""Put the submission's Workflow steps (in order) at these times before now, and its submission
	and stage times with them, as if the steps had happened then."""
	now = now_datetime()
	times = [now - timedelta(days=days) for days in days_ago]
	steps = frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Cultivation Submission",
			"reference_name": name,
			"comment_type": "Workflow",
		},
		fields=["name", "content"],
		order_by="creation asc",
	)
	assert len(steps) == len(times), (len(steps), len(times))
	for row, at in zip(steps, times, strict=True):
		frappe.db.set_value("Comment", row.name, {"creation": at, "modified": at}, update_modified=False)
	submitted_at = [at for row, at in zip(steps, times, strict=True) if row.content == "已提交"][-1]
	frappe.db.set_value(
		"Cultivation Submission",
		name,
		{"submitted_at": submitted_at, "stage_entered_at": times[-1]},
		update_modified=False,
	)
	doc = frappe.get_doc("Cultivation Submission", name)
	if not application.is_draft(doc):
		doc.db_set("verification_code", application.code_of(doc), update_modified=False)
	frappe.db.commit()  # nosemgrep


def delete_batches(names) -> None:
	from gz_innovation.cultivation.tests.utils import delete_batches as delete

	delete(names)


def days_from_now(days: float):
	return now_datetime() + timedelta(days=days)


def closing_in(days: int) -> str:
	"""A batch that closes `days` calendar days from today (at 23:00), opened an hour ago."""
	name = PREFIX + uuid.uuid4().hex[:10]
	now = now_datetime()
	closes = add_days(now, days).replace(hour=23, minute=0, second=0, microsecond=0)
	ensure_batch(name, 2026, str(now - timedelta(hours=1)), str(closes))
	for cultivation_type in TYPES:
		ensure_rule_set(cultivation_type, name, RULE_SETS[cultivation_type])
	frappe.db.commit()  # nosemgrep
	return name


E2E_PREFIX = "浏览器部门测试批次-"
E2E_PASSWORD = "Review@2024e2e"


def e2e_fixture() -> dict:
	"""For the browser test of the department side (test site only): a 贵阳市 and a 省厅 reviewer, and
	an open batch with applications of 贵阳市 and 遵义市 in several states; what each reviewer should
	see in the queues."""
	from gz_innovation.cultivation.tests.utils import delete_batches as delete
	from gz_innovation.enterprise.tests.utils import create_regulator

	if not frappe.conf.get("allow_tests"):
		frappe.throw("test sites only")
	delete(frappe.get_all("Cultivation Batch", filters={"name": ["like", E2E_PREFIX + "%"]}, pluck="name"))
	name = E2E_PREFIX + uuid.uuid4().hex[:6]  # as long as a real batch's name (2024年度省级技术创新平台培育)
	now = now_datetime()
	ensure_batch(name, 2026, str(now - timedelta(minutes=30)), str(now + timedelta(days=30)))
	for cultivation_type in TYPES:
		ensure_rule_set(cultivation_type, name, RULE_SETS[cultivation_type])
	# The city stage's deadline has just passed (its applications are overdue), the province's is ahead.
	batch = frappe.get_doc("Cultivation Batch", name)
	batch.city_review_deadline = now - timedelta(minutes=10)
	batch.province_review_deadline = now + timedelta(days=5)
	batch.save(ignore_permissions=True)
	reviewers = {
		"city": e2e_reviewer("e2e_city_reviewer", GUIYANG, create_regulator),
		"province": e2e_reviewer("e2e_province_reviewer", None, create_regulator),
	}
	(e1, a1), (e2, a2), (e3, a3) = enterprise_in(GUIYANG), enterprise_in(GUIYANG), enterprise_in(ZUNYI)
	for enterprise, title in (
		(e1, "贵阳甲科技有限公司"),
		(e2, "贵阳乙科技有限公司"),
		(e3, "遵义丙科技有限公司"),
	):
		frappe.db.set_value("Enterprise", enterprise, "enterprise_name", title)
	waiting = submitted(a1, name, "企业技术中心", GOOD)
	in_city = submitted(a2, name, "企业技术中心", SMALL)
	step(in_city, "受理", reviewers["city"])
	in_province = submitted(a1, name, "技术创新示范企业", GOOD)
	step(in_province, "受理", reviewers["city"])
	step(in_province, "初审通过", reviewers["city"])
	submitted(a3, name, "企业技术中心", GOOD)
	submitted(a3, name, "工业设计中心", SMALL)
	counts = {}
	for key, user in reviewers.items():
		frappe.set_user(user)
		counts[key] = {
			status: len(frappe.get_list("Cultivation Submission", filters={"status": status}, pluck="name"))
			for status in ("已提交", "市州初审", "省厅审核", "退回修改")
		}
		frappe.set_user("Administrator")
	frappe.db.commit()  # nosemgrep: a bench command for the browser test
	return {
		"batch": name,
		"password": E2E_PASSWORD,
		"city_reviewer": frappe.db.get_value("User", reviewers["city"], "username"),
		"province_reviewer": frappe.db.get_value("User", reviewers["province"], "username"),
		"counts": counts,
		"waiting": waiting,
		"in_city": in_city,
		"in_province": in_province,
	}


def e2e_reviewer(username: str, city: str | None, create_regulator) -> str:
	"""The browser test's reviewer with this username, made once and given a known password."""
	from frappe.utils.password import update_password

	user = frappe.db.get_value("User", {"username": username}, "name")
	if not user:
		user = create_regulator(city=city)
		frappe.db.set_value("User", user, "username", username)
	update_password(user, E2E_PASSWORD)
	return user
