// Desk helpers of the department's reports (loaded on every Desk page, hooks.py app_include_js).
frappe.provide("gz_department");

// Preset a report's batch filter to the batch open now (cultivation/dashboard.py current_batch).
gz_department.default_batch = (report, fieldname = "batch") => {
	if (report.get_filter_value(fieldname)) return;
	frappe.xcall("gz_innovation.cultivation.dashboard.current_batch").then((batch) => {
		if (batch && !report.get_filter_value(fieldname)) report.set_filter_value(fieldname, batch);
	});
};

// Preset the rule set filter to the first rule set of the open batch.
gz_department.default_rule_set = (report, fieldname = "rule_set") => {
	if (report.get_filter_value(fieldname)) return;
	frappe.xcall("gz_innovation.cultivation.dashboard.current_rule_set").then((rule_set) => {
		if (rule_set && !report.get_filter_value(fieldname)) report.set_filter_value(fieldname, rule_set);
	});
};
