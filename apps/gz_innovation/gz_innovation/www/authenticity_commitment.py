# 《真实性承诺说明》 for reading in the browser: the text administrators keep in Desk (GZ Commitment
# Settings), with the enterprise's name and code for its members; the form offers it as Word too.
import frappe

from gz_innovation.cultivation import commitment
from gz_innovation.enterprise.membership import enterprise_of
from gz_innovation.portal import context as portal

no_cache = 1


def get_context(context):
	enterprise = enterprise_of(frappe.session.user) if frappe.session.user != "Guest" else None
	name, uscc = (
		frappe.db.get_value("Enterprise", enterprise, ["enterprise_name", "uscc"])
		if enterprise
		else (None, None)
	)
	context.commitment = commitment.text(name, uscc)
	portal.guest_page(context, context.commitment["title"], "authenticity-commitment")
