"""认定评分汇总: the experts' submitted scores of the applications the user may read (the reviewer's
scope: frappe.get_list on Cultivation Submission), by application, programme (申报类型), 市州 or
expert. Experts are named to administrators only (管用分离: the pool is theirs); others may not group
by expert. The declared score beside the panel's shows what the experts' 核定 took off."""

import frappe
from frappe import _
from frappe.utils import flt

from gz_innovation.recognition import review, scoring

APPLICATION, PROGRAMME, CITY, EXPERT = "申报", "申报类型", "市州", "专家"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or APPLICATION
	if group_by == EXPERT and not review.is_admin():
		frappe.throw(_("Scores by expert are for administrators only"), frappe.PermissionError)
	conditions = {"status": ["!=", "草稿"]}
	for field in ("batch", "cultivation_type", "city"):
		if filters.get(field):
			conditions[field] = filters[field]
	applications = {
		a.name: a
		for a in frappe.get_list(
			"Cultivation Submission",
			filters=conditions,
			fields=["name", "enterprise_name", "cultivation_type", "batch", "city"],
			limit_page_length=0,
		)
	}
	reviews = frappe.get_all(
		"GZ Expert Review",
		filters={
			"reference_doctype": "Cultivation Submission",
			"reference_name": ["in", list(applications) or [""]],
			"status": review.SUBMITTED,
		},
		fields=["reference_name", "expert", "expert_name", "total", "declared_total", "scheme"],
		order_by="submitted_at asc",
	)
	scored = application_rows(applications, reviews)
	if not scored:
		return (
			columns_of(group_by),
			[],
			_("No application in your scope has submitted expert scores for these filters."),
		)
	if group_by == EXPERT:
		return columns_of(group_by), expert_rows(reviews, scored)
	if group_by in (PROGRAMME, CITY):
		key = "cultivation_type" if group_by == PROGRAMME else "city"
		return columns_of(group_by), group_rows(scored, key)
	return columns_of(group_by), scored


def application_rows(applications: dict, reviews: list) -> list[dict]:
	by_application: dict[str, list] = {}
	for r in reviews:
		by_application.setdefault(r.reference_name, []).append(r)
	rules = {
		name: rule or scoring.MEAN
		for name, rule in frappe.get_all(
			"GZ Scoring Scheme",
			filters={"name": ["in", list({r.scheme for r in reviews}) or [""]]},
			fields=["name", "aggregation"],
			as_list=True,
		)
	}
	rows = []
	for name, panel in by_application.items():
		application = applications[name]
		rule = rules.get(panel[0].scheme, scoring.MEAN)
		score = scoring.aggregate([r.total for r in panel], rule)
		declared = flt(panel[0].declared_total)
		rows.append(
			{
				"name": name,
				"enterprise_name": application.enterprise_name,
				"cultivation_type": application.cultivation_type,
				"batch": application.batch,
				"city": application.city,
				"experts": len(panel),
				"declared_total": declared,
				"panel_score": score,
				"cut": declared - flt(score),
				"rule": rule,
			}
		)
	return sorted(rows, key=lambda row: -flt(row["panel_score"]))


def group_rows(scored: list[dict], key: str) -> list[dict]:
	groups: dict[str, list] = {}
	for row in scored:
		groups.setdefault(row[key] or "-", []).append(row)
	return [
		{
			"group": group,
			"applications": len(rows),
			"average_panel": sum(flt(r["panel_score"]) for r in rows) / len(rows),
			"highest": max(flt(r["panel_score"]) for r in rows),
			"lowest": min(flt(r["panel_score"]) for r in rows),
			"average_cut": sum(flt(r["cut"]) for r in rows) / len(rows),
		}
		for group, rows in sorted(groups.items())
	]


def expert_rows(reviews: list, scored: list[dict]) -> list[dict]:
	panel = {row["name"]: flt(row["panel_score"]) for row in scored}
	experts: dict[str, list] = {}
	for r in reviews:
		experts.setdefault(r.expert, []).append(r)
	return [
		{
			"expert_name": rows[0].expert_name,
			"applications": len(rows),
			"average_total": sum(flt(r.total) for r in rows) / len(rows),
			"average_deviation": sum(flt(r.total) - panel[r.reference_name] for r in rows) / len(rows),
			"average_cut": sum(flt(r.declared_total) - flt(r.total) for r in rows) / len(rows),
		}
		for expert, rows in sorted(experts.items(), key=lambda item: item[1][0].expert_name or "")
	]


def columns_of(group_by: str) -> list[dict]:
	score = {"fieldtype": "Float", "precision": 2, "width": 110}
	if group_by == EXPERT:
		return [
			{"fieldname": "expert_name", "label": _("Expert"), "fieldtype": "Data", "width": 140},
			{
				"fieldname": "applications",
				"label": _("Applications Scored"),
				"fieldtype": "Int",
				"width": 110,
			},
			{"fieldname": "average_total", "label": _("Average Total"), **score},
			{
				"fieldname": "average_deviation",
				"label": _("Average Deviation from the Panel"),
				**score,
				"width": 160,
			},
			{"fieldname": "average_cut", "label": _("Average Cut"), **score},
		]
	if group_by in (PROGRAMME, CITY):
		return [
			{"fieldname": "group", "label": _(group_by), "fieldtype": "Data", "width": 180},
			{
				"fieldname": "applications",
				"label": _("Applications Scored"),
				"fieldtype": "Int",
				"width": 110,
			},
			{"fieldname": "average_panel", "label": _("Average Panel Score"), **score},
			{"fieldname": "highest", "label": _("Highest Panel Score"), **score},
			{"fieldname": "lowest", "label": _("Lowest Panel Score"), **score},
			{"fieldname": "average_cut", "label": _("Average Cut"), **score},
		]
	return [
		{"fieldname": "enterprise_name", "label": _("Enterprise Name"), "fieldtype": "Data", "width": 200},
		{"fieldname": "cultivation_type", "label": _("Programme"), "fieldtype": "Data", "width": 140},
		{"fieldname": "batch", "label": _("Batch"), "fieldtype": "Data", "width": 160},
		{"fieldname": "city", "label": _("City (市州)"), "fieldtype": "Data", "width": 90},
		{"fieldname": "experts", "label": _("Experts"), "fieldtype": "Int", "width": 70},
		{"fieldname": "declared_total", "label": _("Score of the Declared Figures"), **score, "width": 130},
		{"fieldname": "panel_score", "label": _("Panel Score"), **score},
		{"fieldname": "cut", "label": _("Cut by the Experts"), **score},
		{
			"fieldname": "rule",
			"label": _("Aggregation of Experts' Scores"),
			"fieldtype": "Data",
			"width": 160,
		},
	]
