"""通知公告: notices the platform's administrators publish in Desk (GZ Notice), with attachments and a
publish date, shown on the platform home and on /notices to everyone, guests included.

A notice's attachments are public files of an allowed kind (portal/attachments.py): the document
refuses any other (`validate`), and so does every File attached to a notice, however it was
uploaded (`validate_file`, a doc_event of File)."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from gz_innovation.portal import attachments

NOTICE = "GZ Notice"
HOME_COUNT = 6
PAGE_SIZE = 20


def validate(doc) -> None:
	"""GZ Notice.validate: every attachment is this notice's, public, and of an allowed kind."""
	for row in doc.attachments:
		label = _("Attachment {0}").format(row.idx)
		attachments.check_url(doc, "attachments", row.file, attachments.DOCUMENTS, label)
		if not (row.description or "").strip():
			row.description = (row.file or "").rsplit("/", 1)[-1]


def validate_file(file, method=None) -> None:
	"""File.validate: a file attached to a notice (sidebar, Attach field, REST upload) is of an
	allowed kind whatever the way it came."""
	if file.attached_to_doctype != NOTICE or file.is_folder:
		return
	if problem := attachments.file_problem(file, attachments.DOCUMENTS):
		frappe.throw(
			_("{0}: {1}").format(file.file_name or _("File"), problem), attachments.AttachmentTypeError
		)


def published(limit: int | None = HOME_COUNT, start: int = 0) -> list[dict]:
	"""Published notices whose date has come, pinned first, newest first; with their attachments."""
	rows = frappe.get_all(
		NOTICE,
		filters={"published": 1, "publish_date": ["<=", now_datetime()]},
		fields=["name", "title", "publish_date", "pinned"],
		order_by="pinned desc, publish_date desc",
		limit_start=start,
		limit_page_length=limit or 0,
	)
	files = attached(row.name for row in rows)
	for row in rows:
		row.date = str(row.publish_date)[:10]
		row.attachments = files.get(row.name, [])
	return rows


def count_published() -> int:
	return frappe.db.count(NOTICE, {"published": 1, "publish_date": ["<=", now_datetime()]})


def attached(names) -> dict[str, list[dict]]:
	names = list(names)
	if not names:
		return {}
	found: dict[str, list[dict]] = {}
	for row in frappe.get_all(
		"GZ Notice Attachment",
		filters={"parenttype": NOTICE, "parent": ["in", names]},
		fields=["parent", "file", "description"],
		order_by="idx asc",
	):
		found.setdefault(row.parent, []).append(
			{"url": row.file, "title": row.description or row.file.rsplit("/", 1)[-1]}
		)
	return found


def get_published(name: str) -> frappe._dict | None:
	"""One notice as /notices/<name> shows it, or None when it is not (yet) published."""
	row = frappe.db.get_value(
		NOTICE, name, ["name", "title", "publish_date", "published", "content"], as_dict=True
	)
	if not row or not row.published or get_datetime(row.publish_date) > now_datetime():
		return None
	row.date = str(row.publish_date)[:16]
	row.attachments = attached([row.name]).get(row.name, [])
	return row


def seconds_until_next_publication() -> int:
	from gz_innovation.portal.cache import MAX_SECONDS

	scheduled = next_publication()
	if not scheduled:
		return MAX_SECONDS
	return max(1, min(MAX_SECONDS, int((get_datetime(scheduled) - now_datetime()).total_seconds()) + 1))


def next_publication():
	"""When the next scheduled notice appears (the guests' cached home must change then)."""
	return frappe.db.get_value(
		NOTICE, {"published": 1, "publish_date": [">", now_datetime()]}, "min(publish_date)"
	)
