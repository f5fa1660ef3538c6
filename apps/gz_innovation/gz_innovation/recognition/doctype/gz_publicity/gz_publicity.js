// 认定公示 in Desk: once the publicity has ended, recognise its entries (认定): each gets a certificate
// unless an objection to it is still open; the skipped ones are listed with the reason.
frappe.ui.form.on("GZ Publicity", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.published || !frm.perm[0]?.write) return;
		const ended = frappe.datetime.get_diff(frappe.datetime.get_today(), frm.doc.ends_on) > 0;
		if (!ended) return;
		frm.add_custom_button(__("Recognise"), () =>
			frappe.confirm(__("Issue the certificates of recognition for this list? Entries with open objections are skipped."), async () => {
				const { message: r } = await frm.call("recognise");
				const esc = (s) => frappe.utils.escape_html(String(s ?? ""));
				const issued = r.issued.map((i) => `<li>${esc(i.enterprise_name)}：${esc(i.name)}</li>`).join("");
				const skipped = r.skipped.map((s) => `<li>${esc(s.enterprise_name)}：${esc(s.reason)}</li>`).join("");
				frappe.msgprint({
					title: __("Recognise"),
					indicator: r.skipped.length ? "orange" : "green",
					message:
						`<p>${__("Issued: {0}", [r.issued.length])}</p><ul class="gz-issued">${issued}</ul>` +
						(r.skipped.length ? `<p>${__("Skipped: {0}", [r.skipped.length])}</p><ul class="gz-skipped">${skipped}</ul>` : ""),
				});
				frm.reload_doc();
			})
		).addClass("btn-primary");
	},
});
