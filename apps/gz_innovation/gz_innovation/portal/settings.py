"""The portal's own settings (Desk → GZ Portal Settings): the platform's name, logo and colours, the
technical support contacts (manual §4.1), the downloads and the browser note (manual §1.3). Read on
every page from Frappe's document cache (dropped by Frappe when the record is saved)."""

import re

import frappe
from frappe import _

from gz_innovation.portal import attachments

SETTINGS = "GZ Portal Settings"
DEFAULT_LOGO = "/assets/gz_innovation/images/gz-logo.svg"
DEFAULT_MANUAL = "/assets/gz_innovation/docs/user-manual.html"
DEFAULT_COMMITMENT = "/assets/gz_innovation/docs/authenticity-commitment.html"
DEFAULT_COLORS = {"primary_color": "#0b5cad", "accent_color": "#e8711c"}
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$|^#[0-9a-fA-F]{3}$")
IMAGE_FIELDS = ("logo", "support_qr")
DOCUMENT_FIELDS = ("user_manual", "commitment_template")


def get() -> frappe._dict:
	"""The settings with their defaults filled in (a site without a saved record gets the defaults)."""
	doc = frappe.get_cached_doc(SETTINGS)
	values = frappe._dict({df.fieldname: doc.get(df.fieldname) for df in doc.meta.fields})
	for df in doc.meta.fields:
		if values.get(df.fieldname) in (None, "") and df.default:
			values[df.fieldname] = df.default
	for fieldname, default in DEFAULT_COLORS.items():
		if not COLOR.match(values.get(fieldname) or ""):
			values[fieldname] = default  # it is written into the page's style: never anything else
	values.logo = values.logo or DEFAULT_LOGO
	values.user_manual = values.user_manual or DEFAULT_MANUAL
	values.commitment_template = values.commitment_template or DEFAULT_COMMITMENT
	return values


def validate(doc) -> None:
	"""GZ Portal Settings.validate: colours are colours, files are images or documents of this record."""
	for fieldname in DEFAULT_COLORS:
		value = (doc.get(fieldname) or "").strip()
		if value and not COLOR.match(value):
			frappe.throw(
				_("{0}: enter a colour like #0b5cad").format(_(doc.meta.get_label(fieldname))),
				attachments.AttachmentTypeError,
			)
	for fieldname in IMAGE_FIELDS:
		attachments.check_url(
			doc, fieldname, doc.get(fieldname), attachments.IMAGES, _(doc.meta.get_label(fieldname))
		)
	for fieldname in DOCUMENT_FIELDS:
		attachments.check_url(
			doc, fieldname, doc.get(fieldname), attachments.DOCUMENTS, _(doc.meta.get_label(fieldname))
		)
