// Desk (hooks.py: app_include_js). Frappe writes an Attach field's value into the page as HTML, in
// the form's control and in lists and reports. The app stores only file URLs there
// (enterprise/files.py refuses anything else on every path); this keeps Desk safe also for a value
// that reached the database another way (an old import, a direct database change).
(function () {
	const esc = (text) => frappe.utils.escape_html(String(text));

	function format_attachment_url(url) {
		if (!url) return "";
		const href = /^(\/|https?:)/i.test(url) ? url : "#"; // never javascript:
		return `<a href="${esc(href)}" target="_blank" rel="noopener">${esc(url)}</a>`;
	}
	frappe.form.formatters.Attach = format_attachment_url;
	frappe.form.formatters.AttachImage = format_attachment_url;

	// Text people declare is plain text (boundary/plain_text.py refuses markup on save). Frappe's
	// formatters write a text field's value into the page as HTML (read-only form fields, list and
	// report cells); for the app's records and reports the value is written as text, so a value that
	// reached the database another way stays inert too. Frappe's own records are formatted as before.
	const MARKUP = /<\s*[A-Za-z!/?]/;
	const app_modules = () => {
		const of_app = frappe.boot.module_app || {};
		return (module) => of_app[frappe.scrub(module || "")] === "gz_innovation";
	};
	const is_app_record = (df) => {
		const doctype = df && df.parent;
		if (doctype && locals.DocType && locals.DocType[doctype]) {
			return app_modules()(locals.DocType[doctype].module);
		}
		const route = frappe.get_route ? frappe.get_route() : [];
		return route[0] === "query-report" && Boolean(frappe.query_reports[route[1]]?.gz_report);
	};
	for (const type of ["Data", "Text", "SmallText"]) {
		const frappe_formatter = frappe.form.formatters[type];
		if (!frappe_formatter || frappe_formatter.gz_plain) continue;
		const plain = function (value, df, options, doc) {
			if (typeof value === "string" && MARKUP.test(value) && is_app_record(df)) {
				return esc(value);
			}
			if (type === "Data" && df && df.options === "URL" && value && !/^https?:\/\//i.test(String(value))) {
				return esc(value); // never a javascript: link
			}
			return frappe_formatter.call(this, value, df, options, doc);
		};
		plain.gz_plain = true;
		frappe.form.formatters[type] = plain;
	}

	const Attach = frappe.ui.form.ControlAttach;
	if (!Attach || Attach.prototype.gz_safe) return;
	Attach.prototype.gz_safe = true;
	// Frappe's set_input, with the value set as text instead of HTML.
	Attach.prototype.set_input = function (value, dataurl) {
		this.last_value = this.value;
		this.value = value;
		if (!this.value) {
			if (this.doc?.__islocal && this.doc.parent) {
				this.$input.prop("disabled", true);
				this.$input.attr("title", __("Save to enable file upload"));
			}
			this.$value.toggle(false);
			return;
		}
		// The value may be FILENAME,DATA_URL (a file name may hold commas too).
		const parts = this.value.match(/^([^:]+),(.+):(.+)$/);
		let filename;
		if (parts) {
			filename = parts[1];
			dataurl = parts[2] + ":" + parts[3];
		}
		const target = dataurl || this.value;
		const href = /^(\/|https?:|data:)/i.test(target) ? target : "#"; // never javascript:
		const text = filename || this.value;
		if (this.$input && this.$value) {
			this.$input.toggle(false);
			this.$value.toggle(true).find(".attached-file-link").text(text).attr("href", href);
		} else {
			this.$wrapper.html(`<div class="attached-file flex justify-between align-center">
				<div class="ellipsis"><a target="_blank" rel="noopener"></a></div></div>`);
			this.$wrapper.find("a").text(text).attr("href", href);
		}
	};
})();

// Review forms in Desk (the app's DocTypes whose form scripts call lock_declared): everything but the
// review comment is read-only for reviewers (System Managers may still correct an enterprise's data,
// as the server allows); in a state the user's roles may not edit ("Only Allow Edit For" of the
// Workflow), the whole form is. Frappe locks such a form itself, with a toast "This form is not
// editable due to a Workflow." on every opening (after every 退回修改, for the reviewer who returned
// it): for these forms Frappe's check answers "editable" and lock_declared locks it by the same rule,
// without the toast.
window.gz_review_form = {
	DOCTYPES: ["Cultivation Submission", "Enterprise"],
	frappe_is_read_only: frappe.workflow.is_read_only,
	lock_declared(frm) {
		const by_workflow = gz_review_form.frappe_is_read_only(frm.doctype, frm.docname);
		if (by_workflow) {
			frm.set_read_only();
			frm.disable_save();
		}
		const may_correct = frappe.user.has_role("System Manager") && frm.doctype === "Enterprise";
		for (const df of frm.meta.fields) {
			if (frappe.model.no_value_type.includes(df.fieldtype)) continue;
			if (by_workflow || (df.fieldname !== "review_comment" && !may_correct)) {
				frm.set_df_property(df.fieldname, "read_only", 1);
			}
		}
	},
};
// An action that leads to a state needing a reason (退回修改, 驳回: cultivation/review.py
// REASON_STATES, in Desk's boot) asks for it in a dialog of its own, required; the server writes it as
// the review comment and takes the action in one save (review.act_with_reason), where the document's
// rule that such a state needs a reason holds. Frappe's own apply of the action is then not run: the
// promise given to its before_workflow_action hook never settles, and the form is reloaded.
gz_review_form.ask_reason = function (frm) {
	const action = frm.selected_workflow_action;
	const workflow = frappe.workflow.workflows[frm.doctype];
	if (!action || !workflow) return;
	const state = frm.doc[workflow.workflow_state_field];
	const transition = (workflow.transitions || []).find((t) => t.state === state && t.action === action);
	const needs_reason = (frappe.boot.gz_reason_states || {})[frm.doctype] || [];
	if (!transition || !needs_reason.includes(transition.next_state)) return;
	frappe.dom.unfreeze();
	return new Promise(() => {
		const dialog = new frappe.ui.Dialog({
			title: __(action),
			fields: [
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Reason for {0}", [__(action)]),
					reqd: 1,
					default: frm.doc.review_comment || "",
					description: __("The applicant is told this reason by SMS and sees it on its application; name what it must revise."),
				},
			],
			primary_action_label: __(action),
			primary_action({ reason }) {
				reason = (reason || "").trim();
				if (!reason) {
					frappe.msgprint(__("Please enter the reason for {0}", [__(action)]));
					return;
				}
				dialog.get_primary_btn().prop("disabled", true);
				frappe
					.xcall("gz_innovation.cultivation.review.act_with_reason", {
						doctype: frm.doctype,
						name: frm.doc.name,
						action,
						reason,
					})
					.then(() => {
						dialog.hide();
						frappe.show_alert({ message: __("{0}: the applicant is told the reason", [__(transition.next_state)]), indicator: "orange" });
						frm.reload_doc();
					})
					.finally(() => dialog.get_primary_btn().prop("disabled", false));
			},
		});
		dialog.show();
	});
};

frappe.workflow.is_read_only = function (doctype, name) {
	if (gz_review_form.DOCTYPES.includes(doctype)) return false;
	return gz_review_form.frappe_is_read_only.apply(this, arguments);
};

// The activity (the timeline's changes, from Version records): Frappe lists a change whose old and
// new values read the same ("发明专利 从 12 改为 12": 12 saved once as a number, once as text) and
// writes an empty value as "null". A form's Versions reach it only through frappe.model.sync_docinfo
// (opening, saving, reloading); there such changes are dropped and an empty value reads （空）.
(function () {
	const frappe_sync_docinfo = frappe.model.sync_docinfo;
	if (!frappe_sync_docinfo || frappe_sync_docinfo.gz_clean) return;
	const empty = (value) => value === null || value === undefined || value === "";
	const numeric = (value) => typeof value === "number" || (typeof value === "string" && value.trim() !== "" && !isNaN(value));
	const same = (a, b) => {
		if (empty(a) || empty(b)) return empty(a) && empty(b);
		if ((typeof a === "number" || typeof b === "number") && numeric(a) && numeric(b)) return Number(a) === Number(b);
		const text = (value) => String(value).replace(/(\d\d:\d\d:\d\d)\.0+$/, "$1"); // 12:00:00.000000
		return text(a) === text(b);
	};
	const changes = (rows) =>
		(rows || [])
			.filter((change) => change[0] === "docstatus" || !same(change[1], change[2]))
			.map((change) => (change[0] === "docstatus" ? change : change.map((v, i) => (i && empty(v) ? __("(empty)") : v))));

	function clean(version) {
		let data;
		try {
			data = JSON.parse(version.data);
		} catch (e) {
			return;
		}
		if (!data || typeof data !== "object") return;
		data.changed = changes(data.changed);
		data.row_changed = (data.row_changed || [])
			.map((row) => [row[0], row[1], row[2], changes(row[3])])
			.filter((row) => row[3].length);
		version.data = JSON.stringify(data);
	}

	const sync_docinfo = function (r) {
		for (const version of r?.docinfo?.versions || []) clean(version);
		return frappe_sync_docinfo.apply(this, arguments);
	};
	sync_docinfo.gz_clean = true;
	frappe.model.sync_docinfo = sync_docinfo;
})();
