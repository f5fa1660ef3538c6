"""Indicator categories (the form's second 企业类型, GZ Indicator Category): the list administrators
keep in Desk, the defaults set-up seeds from shared docs/policy.md, and what a submission may choose.

A category an administrator disables is no longer offered: submissions that chose it keep it and stay
readable, an open draft that holds it is asked to choose again (the form shows it empty, and
提交申请 refuses it). A category that submissions chose cannot be deleted; disabling is the way.
"""

import frappe
from frappe import _

DOCTYPE = "GZ Indicator Category"
OTHER = "其他"  # the neutral choice: no industry-specific path applies

# name, order, description shown to enterprises, source (docs/policy.md)
DEFAULTS = (
	(
		OTHER,
		90,
		"不属于下列行业，按通用的限定性指标评定",
		"手册§3.1.1示例“企业类型：其他”：通用限定性指标（发明专利等Ⅰ类知识产权、研发投入、规模以上、研发原值）",
	),
	(
		"建筑业",
		10,
		"建筑施工、工程技术类企业：国家级工法可作为知识产权类指标",
		"国家级工法/国家工法为建筑业企业技术中心评价中与标准相当的指标（国家企业技术中心评价指标体系）[SEC]",
	),
	(
		"医药",
		20,
		"医药、中药企业：国家新药、国家一级中药品种可作为知识产权类指标",
		"国家新药、国家一级中药（保护）品种属于Ⅰ类知识产权（《高新技术企业认定管理工作指引》）[SEC，引OFF]",
	),
	(
		"软件和信息技术服务业",
		30,
		"软件、大数据企业：大数据企业认定或CMMI 4级及以上可作为知识产权类指标的替代",
		"软件著作权为Ⅱ类知识产权（《高新技术企业认定管理工作指引》）[SEC]；"
		"“是否属于大数据企业”“是否通过CMMI 4及以上等级认定”为软件、大数据企业的替代路径 [INF，见docs/policy.md]",
	),
	(
		"农业/种业",
		40,
		"农业、种业企业：植物新品种、国家农作物品种可作为知识产权类指标",
		"植物新品种、国家（级）农作物品种属于Ⅰ类知识产权（《高新技术企业认定管理工作指引》）[SEC，引OFF]",
	),
)


class CategoryError(frappe.ValidationError):
	http_status_code = 417


def ensure_defaults() -> None:
	"""Seed the default categories once each; an administrator's edits and removals are kept."""
	for name, order, description, source in DEFAULTS:
		if not frappe.db.exists(DOCTYPE, name):
			frappe.get_doc(
				{
					"doctype": DOCTYPE,
					"category_name": name,
					"enabled": 1,
					"sort_order": order,
					"description": description,
					"source": source,
				}
			).insert(ignore_permissions=True)


def validate_category(doc) -> None:
	doc.category_name = (doc.category_name or "").strip()
	if not doc.category_name:
		frappe.throw(_("{0}: {1}").format(_("Category Name"), _("required")), CategoryError)


def refuse_deleting_a_chosen_category(doc) -> None:
	count = frappe.db.count("Cultivation Submission", {"indicator_category": doc.name})
	if count:
		frappe.throw(
			_(
				"{0} was chosen by {1} submissions and cannot be deleted; untick Enabled instead (those submissions stay readable, open drafts are asked to choose again)"
			).format(doc.name, count),
			CategoryError,
		)


def is_offered(name: str | None) -> bool:
	"""Whether a category exists and is enabled (read from Frappe's document cache)."""
	return bool(name) and bool(frappe.get_cached_value(DOCTYPE, name, "enabled"))


def offered() -> list[dict]:
	"""The categories the form offers, in their order, with the description shown under the choice."""
	return frappe.get_all(
		DOCTYPE,
		filters={"enabled": 1},
		fields=["name", "description"],
		order_by="sort_order asc, name asc",
	)
