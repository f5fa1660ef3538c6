# 《真实性承诺说明》 for reading in the browser: the text administrators keep in Desk (GZ Commitment
# Settings), with the enterprise's name and code for its members; the form offers it as Word too.
import frappe

from gz_innovation.cultivation import commitment
from gz_innovation.portal import context as portal

no_cache = 1


def get_context(context):
	# ?type=<programme>: that programme's own text, where it has one (the indicator form links it so).
	programme = frappe.form_dict.get("type")
	programme = programme if isinstance(programme, str) and len(programme) <= 140 else None
	context.commitment = commitment.text(*commitment.own_enterprise(), programme)
	context.word_url = commitment.TEMPLATE_URL
	portal.guest_page(context, context.commitment["title"], "authenticity-commitment")
