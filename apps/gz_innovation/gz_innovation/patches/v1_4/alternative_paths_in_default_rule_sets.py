"""The default rule sets now carry the alternative paths of the indicator categories (国家级工法 for
建筑业, 国家新药 / 中药品种 for 医药, 植物新品种 / 农作物品种 for 农业/种业, 大数据企业 / CMMI 4 for
软件和信息技术服务业), each applying only to its category (cultivation/setup.py). A rule set that is
still exactly the earlier default of its type (an administrator never changed it: same rules, no
groups) gets the new default, as a new version; its open submissions are re-evaluated in the
background as after any change (applications made before categories existed are 其他, judged as
before). A rule set an administrator changed is left alone, and so is one already upgraded: a second
run changes nothing."""

import frappe
from frappe.utils import flt

from gz_innovation.cultivation.setup import RULE_SETS

RD = ("企业研发经费支出", "round(rd_expenditure / revenue * 100)", ">=", 3, "%", 2, "A")
SCALE = ("规模以上企业(营业收入2000万以上)", "revenue", ">=", 2000, "万元", 1, "A")
PATENT = ("发明专利", "invention_patents", ">=", 1, "件", 0, "A")
EARLIER_DEFAULTS = {
	"企业技术中心": [PATENT, RD, SCALE, ("研发原值", "rd_equipment_value", ">=", 500, "万元", 0, "A")],
	"技术创新示范企业": [SCALE, RD, PATENT],
}
COLUMNS = ("label", "expression", "operator", "threshold", "unit", "decimals", "rule_group")


def signature(rows) -> list[tuple]:
	return [
		tuple(flt(v, 6) if isinstance(v, int | float) else (v or "").strip() for v in row) for row in rows
	]


def execute():
	for cultivation_type, earlier in EARLIER_DEFAULTS.items():
		for name in frappe.get_all(
			"Cultivation Rule Set", filters={"cultivation_type": cultivation_type}, pluck="name"
		):
			doc = frappe.get_doc("Cultivation Rule Set", name)
			rows = [tuple(row.get(c) for c in COLUMNS) for row in doc.rules]
			untouched = signature(rows) == signature(earlier) and not doc.get("groups")
			if not untouched or any(row.get("condition") for row in doc.rules):
				continue
			sources = {row.label: row.source for row in doc.rules}
			doc.set("rules", [])
			for rule in RULE_SETS[cultivation_type]["rules"]:
				doc.append("rules", {**rule, "source": sources.get(rule["label"]) or rule["source"]})
			doc.set("groups", [dict(g) for g in RULE_SETS[cultivation_type]["groups"]])
			doc.save(ignore_permissions=True)
