"""The portal's own settings (Desk → GZ Portal Settings): the platform's name, logo and colours, the
technical support contacts (manual §4.1), the downloads and the browser note (manual §1.3). Read on
every page from Frappe's document cache (dropped by Frappe when the record is saved)."""

import json
import os
import re
from functools import lru_cache

import frappe
from frappe import _

from gz_innovation.portal import attachments

SETTINGS = "GZ Portal Settings"
DEFAULT_LOGO = "/assets/gz_innovation/images/gz-logo.svg"
GUIDE_PAGE = "/user-manual"  # the guide kept in these settings (www/user-manual.html)
DEFAULT_COMMITMENT = "/api/method/gz_innovation.cultivation.commitment.template"  # Word, from Desk's text
GUIDE_FILE = os.path.join(os.path.dirname(__file__), "user_guide.html")
DEFAULT_COLORS = {"primary_color": "#0b5cad", "accent_color": "#e8711c"}
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$|^#[0-9a-fA-F]{3}$")
IMAGE_FIELDS = ("logo", "support_qr")
DOCUMENT_FIELDS = ("user_manual", "commitment_template")


def get() -> frappe._dict:
	"""The settings with their defaults filled in (a site without a saved record gets the defaults).
	Read on every portal page: the record from Frappe's document cache, the fields and their defaults
	from the DocType's file (not its meta, which costs more to load than the record)."""
	doc = frappe.get_cached_doc(SETTINGS)
	values = frappe._dict()
	for fieldname, default in shipped_fields().items():
		value = doc.get(fieldname)
		values[fieldname] = default if value in (None, "") and default else value
	for fieldname, default in DEFAULT_COLORS.items():
		if not COLOR.match(values.get(fieldname) or ""):
			values[fieldname] = default  # it is written into the page's style: never anything else
	values.logo = values.logo or DEFAULT_LOGO
	# A file an administrator uploaded is downloaded; else the guide and the Word document are opened.
	values.user_manual_is_file = bool(values.user_manual)
	values.user_manual = values.user_manual or GUIDE_PAGE
	values.commitment_template = values.commitment_template or DEFAULT_COMMITMENT
	return values


def ensure_defaults() -> None:
	"""The platform's own user guide, written while the settings have none (an administrator's text is
	kept). Runs after install and every migrate."""
	if frappe.db.get_single_value(SETTINGS, "user_guide"):
		return
	with open(GUIDE_FILE, encoding="utf-8") as f:
		frappe.db.set_single_value(SETTINGS, "user_guide", f.read())


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


@lru_cache(maxsize=1)
def shipped_fields() -> dict[str, str | None]:
	"""The settings' data fields and their defaults, as the app ships them."""
	path = os.path.join(os.path.dirname(__file__), "doctype", "gz_portal_settings", "gz_portal_settings.json")
	with open(path, encoding="utf-8") as f:
		fields = json.load(f)["fields"]
	return {df["fieldname"]: df.get("default") for df in fields if df["fieldtype"] not in NO_VALUE}


NO_VALUE = ("Section Break", "Column Break", "Tab Break", "HTML", "Heading", "Button")
