# 认定名单: the platforms recognised and valid today, without personal data (recognition/certificates.py).
# Each certificate is checked by its QR code at /verify/<code>.
from frappe import _

from gz_innovation.portal import context as portal
from gz_innovation.recognition import certificates

no_cache = 1
sitemap = 1


def get_context(context):
	rows = certificates.public_list()
	portal.guest_page(context, _("Recognised Platforms"), "recognised")
	context.rows = rows
