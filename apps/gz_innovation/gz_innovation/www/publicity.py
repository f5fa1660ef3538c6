# 认定公示: the proposed lists under 公示 and those ended, without personal data. Logged-in users object
# to an entry under their real name while the list is open (recognition/publicity.py).
from frappe import _

from gz_innovation.portal import context as portal
from gz_innovation.recognition import publicity

no_cache = 1
sitemap = 1


def get_context(context):
	lists = publicity.public_lists()
	portal.guest_page(context, _("Recognition Publicity"), "publicity")
	context.lists = lists
	context.min_reason = publicity.MIN_REASON_CHARACTERS
