// 指标达标分析: one rule set (of the open batch by default); a trial threshold for one rule.
frappe.query_reports["Indicator Pass Analysis"] = {
	gz_report: true, // its text cells are written as text (gz_desk.js)
	filters: [
		{ fieldname: "rule_set", label: __("Cultivation Rule Set"), fieldtype: "Link", options: "Cultivation Rule Set" },
		{ fieldname: "trial_rule", label: __("Trial: rule number (序号)"), fieldtype: "Int" },
		{ fieldname: "trial_threshold", label: __("Trial: threshold"), fieldtype: "Data" },
	],
	onload(report) {
		gz_department.default_rule_set(report);
		gz_department.export_button(report);
	},
};
