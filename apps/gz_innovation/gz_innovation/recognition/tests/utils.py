"""Factories of the recognition tests."""

import secrets

import frappe

from gz_innovation.recognition import scoring


def create_industry() -> str:
	"""An industry of its own, so a test's experts are the only ones a draw can find."""
	name = "测试行业-" + secrets.token_hex(4)
	frappe.get_doc({"doctype": "GZ Industry", "industry_name": name, "enabled": 1}).insert(
		ignore_permissions=True
	)
	return name


def create_expert(industries, employers=(), relations=(), enabled=1, name=None) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "GZ Expert",
			"full_name": name or "专家" + secrets.token_hex(2),
			"enabled": enabled,
			"industries": [
				{"industry": i} for i in ([industries] if isinstance(industries, str) else industries)
			],
			"employers": list(employers),
			"relations": list(relations),
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def scheme_doc(**overrides) -> "frappe.model.document.Document":
	"""A scheme of two quantitative indicators (one with the industry factor) and one qualitative."""
	values = {
		"doctype": "GZ Scoring Scheme",
		"scheme_name": "测试评分方案-" + secrets.token_hex(4),
		"scale": 100,
		"gate": 60,
		"aggregation": scoring.MEAN,
		"indicators": [
			{
				"label": "研发经费占比",
				"kind": scoring.QUANTITATIVE,
				"expression": "rd_expenditure / revenue * 100",
				"weight": 40,
				"basic_requirement": 3,
				"full_requirement": 6,
				"unit": "%",
				"decimals": 2,
				"apply_industry_factor": 1,
			},
			{
				"label": "发明专利",
				"kind": scoring.QUANTITATIVE,
				"expression": "invention_patents",
				"weight": 40,
				"basic_requirement": 2,
				"full_requirement": 10,
				"unit": "件",
				"decimals": 0,
			},
			{"label": "行业地位", "kind": scoring.QUALITATIVE, "weight": 20},
		],
	}
	values.update(overrides)
	return frappe.get_doc(values)
