"""Every PDF is made from a self-contained page (overrides/__init__.py registers the patch of
`frappe.utils.pdf.get_pdf`, which every PDF of the site goes through: Desk's print, the multi-document
PDF, the 申报书, attachments of e-mails).

Frappe hands wkhtmltopdf a page that links its print stylesheet and images by address, which
wkhtmltopdf then fetches over HTTP from the site's public address: a server that cannot reach its own
host name (an intranet without that DNS record, a `.localhost` site) gets no PDF at all, and any
address left in the page is requested by the server. Here, before Frappe's own work, the page's
stylesheets and images of this site (`/assets/…`, `/files/…`, and private files the user may read)
are read from disk and written into the page; every other address that would be fetched is removed.
wkhtmltopdf fetches nothing, and no unreachable address can make a download fail.
"""

import base64
import mimetypes
import os
import re
from urllib.parse import unquote, urlparse

import frappe

FETCHED = ("src", "srcset", "background", "poster", "data", "xlink:href")
EMPTY = "data:,"
CSS_URL = re.compile(r"url\(\s*(['\"]?)([^)'\"]*)\1\s*\)", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import[^;]*;", re.IGNORECASE)


def get_pdf(frappe_function):
	def get_pdf(html, *args, **kwargs):
		return frappe_function(self_contained(html), *args, **kwargs)

	return get_pdf


def self_contained(html: str) -> str:
	"""`html` with its stylesheets and images of this site inlined and every other fetch removed."""
	from bs4 import BeautifulSoup

	soup = BeautifulSoup(html, "html.parser")
	for script in soup.find_all("script"):
		script.decompose()  # wkhtmltopdf runs no script (Frappe disables JavaScript); nor fetches one
	for link in soup.find_all("link"):
		css = local_text(link.get("href")) if "stylesheet" in (link.get("rel") or []) else None
		if css is None:
			link.decompose()
			continue
		style = soup.new_tag("style")
		style.string = inline_css(css)
		link.replace_with(style)
	for element in soup.find_all(True):
		for attribute in FETCHED:
			value = element.get(attribute)
			if value is None:
				continue
			# An address of this site's files, read from disk; any other becomes an empty data: address
			# (kept, not deleted: Frappe's own steps after this one read an image's src).
			element[attribute] = data_uri(str(value)) or EMPTY
		if element.get("style"):
			element["style"] = inline_css(element["style"])
	for style in soup.find_all("style"):
		# .string, not get_text(): BeautifulSoup leaves a stylesheet's text out of get_text().
		style.string = inline_css(style.string or "")
	return str(soup)


def inline_css(css: str) -> str:
	"""CSS whose url()s are data: (local files read from disk) or none; no @import."""

	def inline(match):
		uri = data_uri(match.group(2))
		return f"url({uri})" if uri else "none"

	return CSS_URL.sub(inline, CSS_IMPORT.sub("", css))


def data_uri(address: str) -> str | None:
	"""A data: address for an address of this site's files, or None (not ours, or not readable)."""
	address = address.strip()
	if address.lower().startswith("data:"):
		return address
	content = local_bytes(address)
	if content is None:
		return None
	path = urlparse(address).path
	mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
	return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def local_text(address: str | None) -> str | None:
	content = local_bytes(address or "")
	return content.decode("utf-8", "replace") if content is not None else None


def local_bytes(address: str) -> bytes | None:
	"""The bytes of an address of this site (`/assets/…`, `/files/…`, `/private/files/…` readable by
	the user) from disk; None for any other address."""
	parsed = urlparse(address)
	if parsed.scheme not in ("", "http", "https") or (parsed.netloc and not is_this_site(parsed.netloc)):
		return None
	path = unquote(parsed.path)
	if ".." in path.split("/"):
		return None
	try:
		if path.startswith("/assets/"):
			return read(os.path.join(frappe.local.sites_path, path.lstrip("/")))
		if path.startswith("/files/"):
			return read(frappe.get_site_path("public", path.lstrip("/")))
		if path.startswith("/private/files/"):
			from frappe.core.doctype.file.utils import find_file_by_url

			file = find_file_by_url(path)
			return file.get_content() if file and file.is_downloadable() else None
	except Exception:
		return None
	return None


def is_this_site(netloc: str) -> bool:
	host = netloc.split(":", 1)[0].lower()
	own = {frappe.local.site.lower(), urlparse(frappe.utils.get_url()).hostname or ""}
	request = getattr(frappe.local, "request", None)
	if request is not None:
		own.add((request.host or "").split(":", 1)[0].lower())
	return host in own


def read(path: str) -> bytes | None:
	path = os.path.realpath(path)
	return open(path, "rb").read() if os.path.isfile(path) else None
