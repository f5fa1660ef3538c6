"""The lists the enterprise forms offer that administrators keep in Desk: 所属行业 (GZ Industry) and the
业务类型 of 数字工信 authorisation in 企业认证 step 5 (GZ Business Type). Set-up writes the defaults
into an empty list once; after that the list is the administrators' (a deleted default stays deleted).

The portal offers the enabled entries in their display order; a value an enterprise chose earlier
stays on its record when it is disabled, and must be chosen again from the list when edited."""

import frappe

INDUSTRY = "GZ Industry"
BUSINESS_TYPE = "GZ Business Type"
# GB/T 4754-2017 国民经济行业分类: the divisions (大类) of sections (门类) A–R, by section; S (public
# administration) and T (international organisations) are not enterprises.
DEFAULT_INDUSTRIES = {
	"农、林、牧、渔业": ("农业", "林业", "畜牧业", "渔业", "农、林、牧、渔专业及辅助性活动"),
	"采矿业": (
		"煤炭开采和洗选业",
		"石油和天然气开采业",
		"黑色金属矿采选业",
		"有色金属矿采选业",
		"非金属矿采选业",
		"开采专业及辅助性活动",
		"其他采矿业",
	),
	"制造业": (
		"农副食品加工业",
		"食品制造业",
		"酒、饮料和精制茶制造业",
		"烟草制品业",
		"纺织业",
		"纺织服装、服饰业",
		"皮革、毛皮、羽毛及其制品和制鞋业",
		"木材加工和木、竹、藤、棕、草制品业",
		"家具制造业",
		"造纸和纸制品业",
		"印刷和记录媒介复制业",
		"文教、工美、体育和娱乐用品制造业",
		"石油、煤炭及其他燃料加工业",
		"化学原料和化学制品制造业",
		"医药制造业",
		"化学纤维制造业",
		"橡胶和塑料制品业",
		"非金属矿物制品业",
		"黑色金属冶炼和压延加工业",
		"有色金属冶炼和压延加工业",
		"金属制品业",
		"通用设备制造业",
		"专用设备制造业",
		"汽车制造业",
		"铁路、船舶、航空航天和其他运输设备制造业",
		"电气机械和器材制造业",
		"计算机、通信和其他电子设备制造业",
		"仪器仪表制造业",
		"其他制造业",
		"废弃资源综合利用业",
		"金属制品、机械和设备修理业",
	),
	"电力、热力、燃气及水生产和供应业": ("电力、热力生产和供应业", "燃气生产和供应业", "水的生产和供应业"),
	"建筑业": ("房屋建筑业", "土木工程建筑业", "建筑安装业", "建筑装饰、装修和其他建筑业"),
	"批发和零售业": ("批发业", "零售业"),
	"交通运输、仓储和邮政业": (
		"铁路运输业",
		"道路运输业",
		"水上运输业",
		"航空运输业",
		"管道运输业",
		"多式联运和运输代理业",
		"装卸搬运和仓储业",
		"邮政业",
	),
	"住宿和餐饮业": ("住宿业", "餐饮业"),
	"信息传输、软件和信息技术服务业": (
		"电信、广播电视和卫星传输服务",
		"互联网和相关服务",
		"软件和信息技术服务业",
	),
	"金融业": ("货币金融服务", "资本市场服务", "保险业", "其他金融业"),
	"房地产业": ("房地产业",),
	"租赁和商务服务业": ("租赁业", "商务服务业"),
	"科学研究和技术服务业": ("研究和试验发展", "专业技术服务业", "科技推广和应用服务业"),
	"水利、环境和公共设施管理业": ("水利管理业", "生态保护和环境治理业", "公共设施管理业", "土地管理业"),
	"居民服务、修理和其他服务业": ("居民服务业", "机动车、电子产品和日用产品修理业", "其他服务业"),
	"教育": ("教育",),
	"卫生和社会工作": ("卫生", "社会工作"),
	"文化、体育和娱乐业": ("新闻和出版业", "广播、电视、电影和录音制作业", "文化艺术业", "体育", "娱乐业"),
}
# The manual's step 5 (业务类型: 科技创新服务平台, and others "根据实际业务").
DEFAULT_BUSINESS_TYPES = ("科技创新服务平台", "工业互联网平台", "中小企业公共服务", "其他")
LISTS = {
	INDUSTRY: (
		"industry_name",
		[
			{"industry_name": name, "industry_section": section}
			for section, names in DEFAULT_INDUSTRIES.items()
			for name in names
		],
	),
	BUSINESS_TYPE: ("business_type_name", [{"business_type_name": name} for name in DEFAULT_BUSINESS_TYPES]),
}
KEY = "gz_enterprise_choices"
# Fields of the enterprise forms (Enterprise and a submission's copy of it) whose value is chosen from
# a Desk list.
FIELD_LISTS = {"industry": INDUSTRY}


def industries() -> list[str]:
	return [row["name"] for row in enabled(INDUSTRY)]


def business_types() -> list[str]:
	return [row["name"] for row in enabled(BUSINESS_TYPE)]


def options_for(fieldname: str) -> list[str] | None:
	"""The choices of a field kept in a Desk list, or None for other fields."""
	doctype = FIELD_LISTS.get(fieldname)
	return [row["name"] for row in enabled(doctype)] if doctype else None


def groups_for(fieldname: str) -> list[dict] | None:
	"""The choices of a listed field in their groups ({label, options}: 门类 and its 大类), or None
	when the list has no groups."""
	doctype = FIELD_LISTS.get(fieldname)
	if not doctype or doctype != INDUSTRY:
		return None
	groups: dict[str, list[str]] = {}
	for row in enabled(doctype):
		groups.setdefault(row.get("group") or "", []).append(row["name"])
	return [{"label": label, "options": options} for label, options in groups.items()]


def enabled(doctype: str) -> list[dict]:
	"""The enabled entries of `doctype` in display order, with their group (Redis; dropped when an
	entry changes)."""
	key = f"{KEY}:{doctype}"
	rows = frappe.cache.get_value(key)
	if rows is None:
		group = ["industry_section as `group`"] if doctype == INDUSTRY else []
		rows = frappe.get_all(
			doctype,
			filters={"enabled": 1},
			fields=["name", *group],
			order_by="display_order asc, creation asc",
		)
		rows = [dict(row) for row in rows]
		frappe.cache.set_value(key, rows)
	return rows


def forget() -> None:
	"""An entry changed in Desk: the lists and the forms that show them are made again."""
	frappe.cache.delete_keys(KEY)
	frappe.cache.delete_keys("gz_certify_form")


def ensure_defaults() -> None:
	"""The default entries, into a list that has none (after install and every migrate)."""
	for doctype, (_field, defaults) in LISTS.items():
		if frappe.db.count(doctype):
			continue
		for number, values in enumerate(defaults, start=1):
			frappe.get_doc({"doctype": doctype, **values, "enabled": 1, "display_order": number * 10}).insert(
				ignore_permissions=True
			)
	forget()
