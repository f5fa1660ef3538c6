// Admin changes to review: the enterprise (subject), current and new admin, status.
frappe.listview_settings["Enterprise Admin Transfer"] = {
	hide_name_column: true,
};
