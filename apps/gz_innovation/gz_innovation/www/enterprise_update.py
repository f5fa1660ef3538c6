# 需更新完善 (manual §1.7): the admin of an enterprise imported from the previous platform reviews
# and completes its data, prefilled with the imported values, before any new submission.
import frappe
from frappe import _

from gz_innovation.enterprise.certification import describe_fields, form_choices
from gz_innovation.legacy import completion
from gz_innovation.portal import console

no_cache = 1


def get_context(context):
	console.require_login(completion.PATH)
	if not completion.enterprise_to_complete():
		frappe.local.flags.redirect_location = "/account-center"
		raise frappe.Redirect
	form = {
		"fields": describe_fields(completion.fields(), required=completion.required({})),
		"values": completion.current_form(),
		**form_choices(),
	}
	context.uscc_flagged = form["values"].get("uscc_flagged")
	console.page(
		context,
		"enterprise-update",
		_("Review and complete your enterprise data"),
		"enterprise-update",
		data=form,
	)
