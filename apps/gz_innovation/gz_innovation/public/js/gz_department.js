// Desk helpers of the department (loaded on every Desk page, hooks.py app_include_js): the reports'
// defaults and export button, the reviewers' lists (columns sized by their fields, times, the stage
// deadline, an export button) and the workspace's widgets from Desk's boot.
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

// --- Export where a reviewer looks: a button beside the report or list, for who may export --------

// A report's own export (Frappe's dialog, under "…" otherwise).
gz_department.export_button = (report) => {
	if (!frappe.model.can_export(report.report_doc?.ref_doctype)) return;
	report.page.add_inner_button(__("Export"), () => report.export_report());
};

// A list's rows as they are filtered and sorted, in Excel, with the list's columns (Frappe's export
// of its report view, frappe.desk.reportview.export_query, which checks the export permission).
gz_department.list_export_button = (listview) => {
	const doctype = listview.doctype;
	if (!frappe.model.can_export(doctype)) return;
	listview.page.add_inner_button(__("Export"), () => {
		const dialog = frappe.report_utils.get_export_dialog(__(doctype), [], () => {
			const fields = listview.columns
				.filter((col) => col.df?.fieldname)
				.map((col) => `\`tab${doctype}\`.\`${col.df.fieldname}\``);
			open_url_post(frappe.request.url, {
				cmd: "frappe.desk.reportview.export_query",
				doctype,
				title: __(doctype),
				file_format_type: "Excel",
				fields: [`\`tab${doctype}\`.\`name\``, ...fields],
				filters: listview.get_filters_for_args(),
				order_by: listview.sort_selector?.get_sql_string(),
				translate_values: 1,
			});
			dialog.hide();
		});
		// The list's rows, in Excel: the CSV settings preview a report's rows, not a list's.
		dialog.set_df_property("file_format", "options", ["Excel"]);
		dialog.show();
	});
};

// --- The reviewers' lists ------------------------------------------------------------------------

// Times in the system's time zone (Asia/Shanghai), whatever the browser's.
const system_now = () => moment(frappe.datetime.system_datetime());

gz_department.short_time = (value) =>
	value ? `<span title="${frappe.datetime.str_to_user(value)}">${moment(value).format("MM-DD HH:mm")}</span>` : "";

// How long ago: 刚刚, N 分钟前, N 小时前, N 天前.
gz_department.time_since = (value) => {
	if (!value) return "";
	const minutes = Math.max(system_now().diff(moment(value), "minutes"), 0);
	let text;
	if (minutes < 1) text = __("just now");
	else if (minutes < 60) text = __("{0} minutes ago", [minutes]);
	else if (minutes < 24 * 60) text = __("{0} hours ago", [Math.floor(minutes / 60)]);
	else text = __("{0} days ago", [Math.floor(minutes / (24 * 60))]);
	return `<span title="${frappe.datetime.str_to_user(value)}">${text}</span>`;
};

// A stage's deadline; once it has passed, its day and 已超期 (the server clears it when the stage
// ends). The full time is in the tooltip.
gz_department.deadline = (value) => {
	if (!value) return "";
	const at = moment(value);
	const title = frappe.datetime.str_to_user(value);
	if (at.isBefore(system_now())) {
		return `<span class="gz-deadline gz-past" title="${title}"><span class="gz-deadline-day">${at.format("MM-DD")}</span><span class="indicator-pill red no-indicator-dot gz-overdue">${__("Overdue")}</span></span>`;
	}
	return `<span class="gz-deadline" title="${title}">${at.format("MM-DD")}<span class="gz-deadline-time"> ${at.format("HH:mm")}</span></span>`;
};

// Columns sized by their fields' "Columns" (Customize Form; Frappe's list gives every column the same
// width): the list's settings opt in with `gz_fit_columns`, and name the columns a phone shows too
// (`gz_phone_columns`; Frappe shows only the title and the status there).
gz_department.fit_columns = (listview) => {
	const settings = listview.settings;
	const page = `gz-list-${frappe.scrub(listview.doctype)}`;
	listview.$page.addClass(`gz-fitted-list ${page}`);
	const width = (col) => {
		const df = col.type === "Status" ? frappe.meta.get_docfield(listview.doctype, "status") : col.df;
		return col.type === "Tag" ? 0 : df?.columns || (col.type === "Subject" ? 3 : 2);
	};
	const rules = listview.columns.map((col, i) => {
		const cells = [".list-row-head .list-header-subject", ".list-row .level-left"]
			.map((row) => `.${page} ${row} > .list-row-col:nth-child(${i + 1})`)
			.join(", ");
		const phone = (settings.gz_phone_columns || []).includes(col.df?.fieldname)
			? `@media (max-width: 767px) { ${cells} { display: flex !important; flex: 0 0 auto; } }`
			: "";
		return `${cells} { flex: ${width(col)} 1 0; } ${phone}`;
	});
	let style = document.getElementById(`${page}-columns`);
	if (!style) {
		style = document.createElement("style");
		style.id = `${page}-columns`;
		document.head.appendChild(style);
	}
	style.textContent = rules.join("\n");
};

// The list's sidebar (筛选, 标签) is Frappe's per-user choice (列表 → … → 切换边栏, kept in the
// browser): a reviewer who never chose starts without it, so the columns have the page's width.
gz_department.sidebar_off_by_default = (listview) => {
	if (localStorage.show_sidebar === undefined) {
		localStorage.show_sidebar = "false";
		listview.show_or_hide_sidebar();
	}
};

// --- The workspace: its number cards and charts from Desk's boot -----------------------------------
// Frappe's number card and chart widgets fetch their document (frappe.model.with_doc) before they
// ask for their figure, one request each, ahead of the figures. Desk's boot carries the documents of
// the department's workspace (cultivation/department.py boot_widgets); they are put where with_doc
// looks: the document, and the sign that it was loaded, which is given once, to a widget on a
// workspace (a form opened later loads the document with its history, as Frappe does). The chart
// sources' scripts are run as Frappe runs them after fetching them.
gz_department.prefill_widgets = (widgets) => {
	for (const [source, script] of Object.entries(widgets.chart_sources || {})) {
		if (!frappe.dashboards?.chart_sources?.[source]) frappe.dom.eval(script);
	}
	for (const doc of widgets.docs || []) {
		if (locals[doc.doctype]?.[doc.name]) continue;
		frappe.model.add_to_locals(doc);
		const docinfo = (frappe.model.docinfo[doc.doctype] ||= {});
		Object.defineProperty(docinfo, doc.name, {
			configurable: true,
			enumerable: false,
			get() {
				if (frappe.get_route()[0] !== "Workspaces") return undefined;
				delete docinfo[doc.name];
				return { doctype: doc.doctype, name: doc.name };
			},
			set(value) {
				Object.defineProperty(docinfo, doc.name, { value, writable: true, configurable: true, enumerable: true });
			},
		});
	}
};

$(document).on("startup", () => {
	if (frappe.boot.gz_workspace_widgets) gz_department.prefill_widgets(frappe.boot.gz_workspace_widgets);
});
