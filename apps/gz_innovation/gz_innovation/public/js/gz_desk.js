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
