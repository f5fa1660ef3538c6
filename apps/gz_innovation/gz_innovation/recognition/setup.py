"""Idempotent defaults of recognition (认定): a reference scoring scheme an administrator copies and
edits. Guizhou has published no scoring formula for its provincial platforms: the indicators follow
the national 企业技术中心 framework, the formula and the qualitative items 烟台's published system,
the gate Jiangsu's; every b, f and w is a reference value to be set by the department."""

import frappe

from gz_innovation.accounts.setup import ensure_role
from gz_innovation.recognition import review, scoring

REFERENCE_SCHEME = "企业技术中心认定评价（参考方案）"
# The recognition programme (认定申报): open to enterprises whose cultivation is 培育完成, offered in a
# batch once the administrator adds it with its rule set; the reference scheme scores it.
RECOGNITION_PROGRAMME = "省级企业技术中心认定"
RECOGNITION_DESCRIPTION = "培育完成后，相关企业可进行创新平台申报（用户手册）。批次可另行允许直接申报。"
# The 申请报告's fixed outline (docs/recognition.md: 申报材料), after the national 企业技术中心 report;
# reference sections an administrator edits.
REPORT_SECTIONS = (
	("企业基本情况", "主营业务、规模与经营状况、所属行业及行业地位。", 100),
	("技术中心建设情况", "组织体系、研发人员与研发条件、产学研合作、管理制度。", 200),
	("技术创新能力与成效", "近三年研发投入、专利与标准、新产品及其效益、获奖情况。", 200),
	("发展规划与目标", "今后三年技术中心的建设目标、重点任务与保障措施。", 100),
)
NDRC = "国家企业技术中心评价指标体系（发改委2007，附件3）；b、f、w为参考值，贵州未公布"
YANTAI = "烟台市创新平台申报与评价系统定性评价项（etoyz/ytfgw）；分值为参考值，贵州未公布"
REFERENCE_INDICATORS = (
	# label, formula, w, b, f, unit, industry factor, source
	("研发经费支出占营业收入比例", "rd_expenditure / revenue * 100", 20, 3, 6, "%", 1, NDRC),
	("研发投入支出", "rd_expenditure", 15, 300, 1000, "万元", 0, NDRC),
	("技术开发仪器设备原值", "rd_equipment_value", 15, 200, 1000, "万元", 0, NDRC),
	("发明专利", "invention_patents", 15, 3, 10, "件", 0, NDRC),
	("软件著作权", "software_copyrights", 5, 3, 10, "件", 0, NDRC),
)
SOURCE_NOTE = (
	"贵州未公布省级创新平台的评分办法。指标：国家企业技术中心评价指标体系（发改委2007，附件3）；"
	"计分公式与定性评价项：烟台市创新平台申报与评价系统；提交门槛65分：江苏2020年做法。"
	"各项权重、基本要求与满分要求均为参考值，由主管部门设定。"
)
REFERENCE_QUALITATIVE = ("行业地位", "创新资源整合", "研发开展", "创新成果", "战略规划")


def setup_recognition(language: str | None = None) -> None:
	ensure_role(review.EXPERT_ROLE, desk_access=1)  # experts review in Desk, their reviews only
	created = ensure_recognition_programme()
	ensure_reference_scheme(attach=created)


def ensure_recognition_programme() -> bool:
	"""The programme, with the report's reference sections and evidence per figure; the sections are
	also given to a programme that has none while nobody has submitted to it yet."""
	sections = [
		{"section_title": title, "guidance": guidance, "required": 1, "min_characters": length}
		for title, guidance, length in REPORT_SECTIONS
	]
	if frappe.db.exists("Cultivation Type", RECOGNITION_PROGRAMME):
		doc = frappe.get_doc("Cultivation Type", RECOGNITION_PROGRAMME)
		if not doc.report_sections and not frappe.db.exists(
			"Cultivation Submission", {"cultivation_type": RECOGNITION_PROGRAMME, "status": ("!=", "草稿")}
		):
			doc.set("report_sections", sections)
			doc.evidence_required = 1
			doc.save(ignore_permissions=True)
		return False
	frappe.get_doc(
		{
			"doctype": "Cultivation Type",
			"type_name": RECOGNITION_PROGRAMME,
			"enabled": 1,
			"requires_cultivation": 1,
			"evidence_required": 1,
			"description": RECOGNITION_DESCRIPTION,
			"report_sections": sections,
		}
	).insert(ignore_permissions=True)
	return True


def ensure_reference_scheme(attach: bool = False) -> None:
	"""The reference scheme, scoring the recognition programme when both are new (an administrator's
	choice on an existing site is kept)."""
	if frappe.db.exists("GZ Scoring Scheme", REFERENCE_SCHEME):
		if attach and not frappe.db.get_value("GZ Scoring Scheme", REFERENCE_SCHEME, "cultivation_type"):
			frappe.db.set_value(
				"GZ Scoring Scheme", REFERENCE_SCHEME, "cultivation_type", RECOGNITION_PROGRAMME
			)
			scoring.forget_schemes()  # set directly, without the controller that drops the map
		return
	doc = frappe.get_doc(
		{
			"doctype": "GZ Scoring Scheme",
			"scheme_name": REFERENCE_SCHEME,
			"enabled": 1,
			"cultivation_type": RECOGNITION_PROGRAMME,
			"scale": 100,
			"gate": 65,
			"aggregation": scoring.MEAN,
			"source_note": SOURCE_NOTE,
			"indicators": [
				{
					"label": label,
					"kind": scoring.QUANTITATIVE,
					"expression": formula,
					"weight": w,
					"basic_requirement": b,
					"full_requirement": f,
					"unit": unit,
					"decimals": 2 if unit == "%" else 0,
					"apply_industry_factor": factor,
					"source": source,
				}
				for label, formula, w, b, f, unit, factor, source in REFERENCE_INDICATORS
			]
			+ [
				{"label": label, "kind": scoring.QUALITATIVE, "weight": 6, "source": YANTAI}
				for label in REFERENCE_QUALITATIVE
			],
		}
	)
	doc.insert(ignore_permissions=True)
