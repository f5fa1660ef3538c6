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

// Review forms in Desk: everything but the review comment is read-only for reviewers (System
// Managers may still correct an enterprise's data, as the server allows).
window.gz_review_form = {
	lock_declared(frm) {
		if (frappe.user.has_role("System Manager") && frm.doctype === "Enterprise") return;
		for (const df of frm.meta.fields) {
			if (df.fieldname !== "review_comment" && !frappe.model.no_value_type.includes(df.fieldtype)) {
				frm.set_df_property(df.fieldname, "read_only", 1);
			}
		}
	},
};
