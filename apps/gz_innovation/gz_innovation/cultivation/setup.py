"""Idempotent set-up of the cultivation module: types, the 2024 batch with its rule sets (from
shared docs/policy.md, each rule citing its source), the review Workflow and SMS template."""

import frappe
from frappe import _

from gz_innovation.accounts.setup import ensure_role, ensure_sms_templates
from gz_innovation.cultivation import categories, commitment, route
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

METHODS = (
	"国家级工法/国家工法为建筑业企业技术中心评价中与标准相当的指标（国家企业技术中心评价指标）[SEC]；"
	"建筑业企业可以此代替发明专利；贵州标准未公开，替代值"
)
CLASS_ONE = (
	"{0}属于Ⅰ类知识产权（《高新技术企业认定管理工作指引》）[SEC，引OFF]；"
	"{1}企业可以此代替发明专利；贵州标准未公开，替代值"
)
BIG_DATA = (
	"“是否属于大数据企业”“是否通过CMMI 4及以上等级认定”推断为软件、大数据企业的替代路径 [INF]"
	"（docs/policy.md）；软件和信息技术服务业企业可以此代替发明专利；贵州标准未公开，替代值"
)
CATEGORY_IS = 'indicator_category == "{0}"'


def rule(label, expression, op, threshold, unit, decimals, source, group="A", condition=None) -> dict:
	return {
		"label": label,
		"expression": expression,
		"operator": op,
		"threshold": threshold,
		"unit": unit,
		"decimals": decimals,
		"rule_group": group,
		"condition": condition,
		"source": source,
	}


RD_RULE = rule("企业研发经费支出", "round(rd_expenditure / revenue * 100)", ">=", 3, "%", 2, RD_RATIO)
SCALE_RULE = rule("规模以上企业(营业收入2000万以上)", "revenue", ">=", 2000, "万元", 1, SCALE)
# Group IP (at least one applicable rule holds): 发明专利 for every enterprise, and the alternative
# paths of the categories the policy notes support, each applying only to its category.
PATENT_RULE = rule("发明专利", "invention_patents", ">=", 1, "件", 0, PATENT, group="IP")
ALTERNATIVE_PATHS = [
	rule(
		"国家级工法（含国家工法）",
		"national_level_methods + national_methods",
		">=",
		1,
		"件",
		0,
		METHODS,
		group="IP",
		condition=CATEGORY_IS.format("建筑业"),
	),
	rule(
		"国家新药或国家一级中药品种",
		"national_new_drugs + national_tcm_varieties",
		">=",
		1,
		"件",
		0,
		CLASS_ONE.format("国家新药、国家一级中药（保护）品种", "医药"),
		group="IP",
		condition=CATEGORY_IS.format("医药"),
	),
	rule(
		"植物新品种或国家农作物品种",
		"plant_varieties + national_crop_varieties",
		">=",
		1,
		"件",
		0,
		CLASS_ONE.format("植物新品种、国家（级）农作物品种", "农业、种业"),
		group="IP",
		condition=CATEGORY_IS.format("农业/种业"),
	),
	rule(
		"属于大数据企业",
		"is_big_data_enterprise",
		"is yes",
		0,
		"",
		0,
		BIG_DATA,
		group="IP",
		condition=CATEGORY_IS.format("软件和信息技术服务业"),
	),
	rule(
		"通过CMMI 4及以上等级认定",
		"cmmi_level4",
		"is yes",
		0,
		"",
		0,
		BIG_DATA,
		group="IP",
		condition=CATEGORY_IS.format("软件和信息技术服务业"),
	),
]
IP_GROUP = {"rule_group": "IP", "mode": "AT LEAST", "at_least": 1, "condition": None}
# The manual's example (企业技术中心, category 其他) comes out as the manual shows: rows 1-4, the
# alternative paths 不适用.
RULE_SETS = {
	"企业技术中心": {
		"rules": [
			PATENT_RULE,
			RD_RULE,
			SCALE_RULE,
			rule("研发原值", "rd_equipment_value", ">=", 500, "万元", 0, EQUIPMENT),
			*ALTERNATIVE_PATHS,
		],
		"groups": [IP_GROUP],
	},
	"技术创新示范企业": {
		"rules": [SCALE_RULE, RD_RULE, PATENT_RULE, *ALTERNATIVE_PATHS],
		"groups": [IP_GROUP],
	},
	"工业设计中心": {
		"rules": [
			rule("专利和软件著作权", "invention_patents + software_copyrights", ">=", 15, "件", 0, DESIGN_IP),
			SCALE_RULE,
		],
		"groups": [],
	},
}
# The enterprise of the manual's screenshot (§3.1.1, 企业类型 其他): the rule editor's trial run when a
# batch has no submissions yet, and the tests' example.
MANUAL_EXAMPLE = {
	"indicator_category": "其他",
	"invention_patents": 12,
	"rd_expenditure": 50,
	"revenue": 180,
	"rd_equipment_value": 5,
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
	categories.ensure_defaults()
	commitment.ensure_defaults()
	for name in TYPES:
		if not frappe.db.exists("Cultivation Type", name):
			frappe.get_doc({"doctype": "Cultivation Type", "type_name": name, "enabled": 1}).insert(
				ignore_permissions=True
			)
	ensure_batch(BATCH_2024, 2024, "2024-03-01 00:00:00", "2024-04-30 23:59:59")
	for cultivation_type, definition in RULE_SETS.items():
		ensure_rule_set(cultivation_type, BATCH_2024, definition)
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
	route.ensure_defaults()  # the review stages as records; the Workflow's review part follows them
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


def ensure_rule_set(cultivation_type: str, batch: str, definition: dict) -> str:
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
			"rules": [dict(r) for r in definition["rules"]],
			"groups": [dict(g) for g in definition["groups"]],
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name
