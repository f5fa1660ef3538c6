"""Idempotent set-up of the cultivation module: types, the 2024 batch with its rule sets (from
shared docs/policy.md, each rule citing its source), the review Workflow and SMS template."""

import frappe
from frappe import _

from gz_innovation.accounts.setup import ensure_role, ensure_sms_templates
from gz_innovation.enterprise.roles import (
	ADMIN_ROLE,
	CITY_REVIEWER_ROLE,
	PROVINCE_REVIEWER_ROLE,
	REGULATOR_ROLE,
)
from gz_innovation.enterprise.setup import ensure_workflow_records

TYPES = ("工业设计中心", "技术创新示范企业", "企业技术中心")
BATCH_2024 = "2024年度省级技术创新平台培育"
WORKFLOW = "Cultivation Review"

SCALE = "国家统计局：规模以上工业企业为年主营业务收入2000万元及以上的工业企业 [OFF]"
RD_RATIO = "企业技术中心、技术创新示范企业认定条件：研发经费支出占营业收入比例不低于3% (工信部联科〔2010〕540号等) [SEC]"
PATENT = "北京市企业技术中心门槛：知识产权不少于10项且至少1项发明专利 [OFF/SEC]; 贵州标准未公开，替代值"
EQUIPMENT = "云南省企业技术中心：研发仪器设备原值不低于500万元 [OFF/SEC]; 贵州标准未公开，替代值"
DESIGN_IP = (
	"国家级工业设计中心 (工信部政法〔2023〕93号)：专利和著作权年均15项以上 [SEC]; 贵州标准未公开，替代值"
)

# label, expression, operator, threshold, unit, decimals, source
RD_RULE = ("企业研发经费支出", "round(rd_expenditure / revenue * 100)", ">=", 3, "%", 2, RD_RATIO)
RULE_SETS = {
	"企业技术中心": [
		("发明专利", "invention_patents", ">=", 1, "件", 0, PATENT),
		RD_RULE,
		("规模以上企业(营业收入2000万以上)", "revenue", ">=", 2000, "万元", 1, SCALE),
		("研发原值", "rd_equipment_value", ">=", 500, "万元", 0, EQUIPMENT),
	],
	"技术创新示范企业": [
		("规模以上企业(营业收入2000万以上)", "revenue", ">=", 2000, "万元", 1, SCALE),
		RD_RULE,
		("发明专利", "invention_patents", ">=", 1, "件", 0, PATENT),
	],
	"工业设计中心": [
		("专利和软件著作权", "invention_patents + software_copyrights", ">=", 15, "件", 0, DESIGN_IP),
		("规模以上企业(营业收入2000万以上)", "revenue", ">=", 2000, "万元", 1, SCALE),
	],
}

STATES = [
	("草稿", ""),
	("已提交", "Primary"),
	("市州初审", "Primary"),
	("省厅审核", "Primary"),
	("培育中", "Success"),
	("培育完成", "Success"),
	("退回修改", "Warning"),
]
TRANSITIONS = [
	("草稿", "提交申请", "已提交", ADMIN_ROLE),
	("退回修改", "重新提交", "已提交", ADMIN_ROLE),
	("已提交", "受理", "市州初审", CITY_REVIEWER_ROLE),
	("已提交", "退回修改", "退回修改", CITY_REVIEWER_ROLE),
	("市州初审", "初审通过", "省厅审核", CITY_REVIEWER_ROLE),
	("市州初审", "退回修改", "退回修改", CITY_REVIEWER_ROLE),
	("省厅审核", "审核通过", "培育中", PROVINCE_REVIEWER_ROLE),
	("省厅审核", "退回修改", "退回修改", PROVINCE_REVIEWER_ROLE),
	("培育中", "培育完成", "培育完成", PROVINCE_REVIEWER_ROLE),
]


def setup_cultivation(language: str) -> None:
	ensure_role("GZ Cultivation Viewer")
	for name in TYPES:
		if not frappe.db.exists("Cultivation Type", name):
			frappe.get_doc({"doctype": "Cultivation Type", "type_name": name, "enabled": 1}).insert(
				ignore_permissions=True
			)
	ensure_batch(BATCH_2024, 2024, "2024-03-01 00:00:00", "2024-04-30 23:59:59")
	for cultivation_type, rules in RULE_SETS.items():
		ensure_rule_set(cultivation_type, BATCH_2024, rules)
	edit = {state: REGULATOR_ROLE for state, _style in STATES}
	edit.update(
		{
			"草稿": ADMIN_ROLE,
			"退回修改": ADMIN_ROLE,
			"已提交": CITY_REVIEWER_ROLE,
			"市州初审": CITY_REVIEWER_ROLE,
			"省厅审核": PROVINCE_REVIEWER_ROLE,
			"培育中": PROVINCE_REVIEWER_ROLE,
		}
	)
	ensure_workflow_records(WORKFLOW, "Cultivation Submission", "status", STATES, edit, TRANSITIONS)
	ensure_sms_templates(
		{
			"cultivation_status": (
				_("Your {type} submission is now {status}. {reason}", lang=language),
				"type,status,reason",
			)
		}
	)


def ensure_batch(name: str, year: int, opens_at: str, closes_at: str, types=TYPES) -> None:
	if frappe.db.exists("Cultivation Batch", name):
		return
	frappe.get_doc(
		{
			"doctype": "Cultivation Batch",
			"batch_name": name,
			"year": year,
			"opens_at": opens_at,
			"closes_at": closes_at,
			"types": [{"cultivation_type": t} for t in types],
		}
	).insert(ignore_permissions=True)


def ensure_rule_set(cultivation_type: str, batch: str, rules) -> str:
	existing = frappe.db.get_value(
		"Cultivation Rule Set", {"cultivation_type": cultivation_type, "batch": batch}
	)
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Cultivation Rule Set",
			"cultivation_type": cultivation_type,
			"batch": batch,
			"is_stand_in": 1,
			"rules": [
				{
					"label": label,
					"expression": expression,
					"operator": op,
					"threshold": threshold,
					"unit": unit,
					"decimals": decimals,
					"rule_group": "A",
					"source": source,
				}
				for label, expression, op, threshold, unit, decimals, source in rules
			],
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name
