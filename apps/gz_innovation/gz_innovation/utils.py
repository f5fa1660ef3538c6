"""Pieces every module shares (the lowest layer: it imports nothing of the app).

- `throw_for_field`: the field-error protocol of the portal forms (`gz_field` in the response names
  the form field a message belongs to).
- Server-owned fields: values only the server sets (results, statuses, flags). A document's
  controller calls `refuse_client_changes` in `validate`; server code that sets such a field says so
  with `server_set`, so every other path (Desk, REST, `frappe.client`, Data Import) is refused.
- Actors: `is_platform_admin` (Administrator, System Manager) for the few rules that let the platform's
  administrators correct data in Desk.
"""

import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime


class ServerFieldError(frappe.PermissionError):
	"""A client tried to set a field only the server sets."""


def throw_for_field(fieldname: str | None, message: str, exc=frappe.ValidationError, title=None) -> None:
	"""Refuse with `message`, telling the portal form which field it belongs to."""
	if fieldname and getattr(frappe.local, "response", None) is not None:
		frappe.local.response["gz_field"] = fieldname
	frappe.throw(message, exc, title=title)


# A reviewer's comment reaches the applicant by SMS too: a few segments, not a letter.
REVIEW_COMMENT_MAX_LENGTH = 500


def check_review_comment(doc, exc=frappe.ValidationError) -> None:
	"""Enterprise, Cultivation Submission (validate): the review comment fits an SMS or a few."""
	comment = (doc.get("review_comment") or "").strip()
	if len(comment) > REVIEW_COMMENT_MAX_LENGTH:
		label = _(doc.meta.get_label("review_comment"))
		throw_for_field(
			"review_comment",
			_("{0}: at most {1} characters").format(label, REVIEW_COMMENT_MAX_LENGTH),
			exc,
		)


BEIJING = "+08:00"  # the site's time zone (Asia/Shanghai): deadlines are given in Beijing time


def beijing_iso(value) -> str:
	"""A Beijing-time datetime as ISO 8601 with its offset, for the browser's countdowns."""
	return get_datetime(value).strftime("%Y-%m-%dT%H:%M:%S") + BEIJING


def is_app_doctype(doctype: str | None) -> bool:
	"""Whether `doctype` is one of this app's."""
	if not doctype or not frappe.db.exists("DocType", doctype):
		return False
	return frappe.get_meta(doctype).module in frappe.get_module_list("gz_innovation")


def is_desk_user(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or frappe.db.get_value("User", user, "user_type") == "System User"


def is_platform_admin(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or "System Manager" in frappe.get_roles(user)


def server_set(doc, **values) -> None:
	"""Set server-owned fields on `doc` for its next save (the only way they may change)."""
	allowed = doc.flags.get("server_set") or set()
	for fieldname, value in values.items():
		doc.set(fieldname, value)
		allowed.add(fieldname)
	doc.flags.server_set = allowed


FRACTION_TYPES = ("Float", "Currency", "Percent")


def _precision(df) -> int | None:
	"""The decimals Desk rounds a number field to before it sends it back."""
	if not df or df.fieldtype not in FRACTION_TYPES:
		return None
	from frappe.utils import cint

	return cint(df.precision) or cint(frappe.db.get_default("float_precision")) or 3


def _normal(value, fieldtype: str | None = None, precision: int | None = None):
	"""A value as stored, so that "", None and 0 of an unset check or number compare equal (numbers
	with decimals at the precision Desk sends them back with)."""
	from frappe.utils import get_datetime_str

	if value in (None, ""):
		return None
	try:
		if fieldtype in ("Check", "Int", "Float", "Currency", "Percent"):
			number = float(value)  # strict: "abc" or 1.5 in a whole-number field stays a change
			if precision is not None:
				number = round(number, precision)
			return (int(number) if number.is_integer() else number) or None
		if fieldtype == "Date":
			# Not Frappe's getdate: it reports a malformed date to the client before raising.
			return str(
				value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])
			)
		if fieldtype == "Datetime":
			return get_datetime_str(value)
	except (TypeError, ValueError):
		pass  # a malformed value: compared as text, so it counts as a change
	return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _rows(doc, fieldname: str, columns: dict) -> list[tuple]:
	return [
		tuple(_normal(row.get(c), df.fieldtype, _precision(df)) for c, df in columns.items())
		for row in doc.get(fieldname) or []
	]


def changed_fields(doc, fieldnames) -> list[str]:
	"""Which of `fieldnames` this save changes (for a new document: which differ from the default)."""
	before = doc.get_doc_before_save()
	changed = []
	for fieldname in fieldnames:
		df = doc.meta.get_field(fieldname)
		if df and df.fieldtype in frappe.model.table_fields:
			columns = {
				f.fieldname: f
				for f in frappe.get_meta(df.options).fields
				if f.fieldtype not in frappe.model.no_value_fields
			}
			old = _rows(before, fieldname, columns) if before else []
			if _rows(doc, fieldname, columns) != old:
				changed.append(fieldname)
			continue
		fieldtype, precision = (df.fieldtype if df else None), _precision(df)
		if before is None and doc.get(fieldname) in (None, ""):
			continue  # a new document leaves it unset (defaults are not applied on every path)
		old = before.get(fieldname) if before else (df.default if df else None)
		if _normal(doc.get(fieldname), fieldtype, precision) != _normal(old, fieldtype, precision):
			changed.append(fieldname)
	return changed


def changed_cells(doc, table: str, columns) -> list[tuple[int, str]]:
	"""Which (row number, column) of a child table this save changes, rows compared by position;
	None when rows were added or removed."""
	before = doc.get_doc_before_save()
	rows, old_rows = doc.get(table) or [], (before.get(table) if before else None) or []
	if len(rows) != len(old_rows):
		return None
	meta = frappe.get_meta(doc.meta.get_field(table).options)
	changed = []
	for row, old in zip(rows, old_rows, strict=True):
		for column in columns:
			df = meta.get_field(column)
			precision = _precision(df)
			if _normal(row.get(column), df.fieldtype, precision) != _normal(
				old.get(column), df.fieldtype, precision
			):
				changed.append((row.idx, column))
	return changed


def refuse_client_changes(doc, fieldnames) -> None:
	"""Refuse a save that changes a server-owned field the server did not set itself."""
	allowed = doc.flags.get("server_set") or set()
	for fieldname in changed_fields(doc, [f for f in fieldnames if f not in allowed]):
		label = _(doc.meta.get_label(fieldname))
		frappe.throw(
			_("{0} is set by the system and cannot be changed").format(label),
			ServerFieldError,
			title=_("Not permitted"),
		)


def filter_date(filters, fieldname: str, label: str, default=None) -> datetime.date | None:
	"""A report's date filter as a date, or a Chinese refusal naming the filter (not a server error)."""
	value = filters.get(fieldname) or default
	if value in (None, ""):
		return None
	try:
		return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])
	except ValueError:
		frappe.throw(_("{0}: enter a date as YYYY-MM-DD").format(_(label)), frappe.ValidationError)


# Plausible ranges of the figures enterprises declare: anything beyond is a typing error.
MAX_AMOUNT = 100_000_000  # 万元: one trillion yuan
MAX_COUNT = 1_000_000


def parse_number(
	value, whole: bool = False, maximum: float | None = None
) -> tuple[float | int | None, str | None]:
	"""A declared figure as a number, or the problem with it (a short translated phrase).
	Empty values are None with no problem: completeness is checked where it matters."""
	if value in (None, ""):
		return None, None
	if isinstance(value, bool):
		value = int(value)
	try:
		number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
	except (TypeError, ValueError):
		return None, _("enter a number")
	if number != number or number in (float("inf"), float("-inf")):
		return None, _("enter a number")
	if number < 0:
		return None, _("cannot be negative")
	if whole:
		if number != int(number):
			return None, _("enter a whole number")
		if number > (maximum or MAX_COUNT):
			return None, _("the number is too large")
		return int(number), None
	if number > (maximum or MAX_AMOUNT):
		return None, _("the amount is too large, the unit is 万元")
	return number, None


# The field types that hold plain text (boundary/plain_text.py refuses markup in them on save).
TEXT_TYPES = frozenset({"Data", "Small Text", "Text", "Long Text", "Autocomplete"})
MULTILINE_TYPES = frozenset({"Small Text", "Text", "Long Text"})


class AppDocument(Document):
	"""A record of the app. Its text fields are text wherever Frappe's server formats them
	(`get_formatted`: the Standard print format and its PDF, e-mail and notification templates),
	whatever reached the database: Frappe writes them as HTML."""

	def get_formatted(self, fieldname, *args, **kwargs):
		formatted = super().get_formatted(fieldname, *args, **kwargs)
		df = self.meta.get_field(fieldname)
		if not df or df.fieldtype not in TEXT_TYPES or not isinstance(formatted, str):
			return formatted
		from frappe.utils import escape_html

		if df.fieldtype in MULTILINE_TYPES:
			value = self.get(fieldname)
			return escape_html("" if value is None else str(value)).replace("\n", "<br>")
		return escape_html(formatted)


class RecordRow(AppDocument):
	"""A row of one of the app's child tables. It changes together with its record, whose rules then
	run; saved or deleted on its own (REST on the row, `frappe.client.save` of the row) it would skip
	them, so that is refused. Frappe saves rows with their record without calling these hooks.

	A row loaded on its own (getdoc or REST on the row) is readable by those who may read its
	record: Frappe's own check of a lone row asks only for the record's DocType, not the record."""

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if self.flags.ignore_permissions:
			return True
		if not (self.parenttype and self.parent and frappe.db.exists(self.parenttype, self.parent)):
			return False
		record = frappe.get_doc(self.parenttype, self.parent)
		return record.has_permission(permtype, debug=debug, user=user)

	def validate(self):
		self.refuse_alone()

	def on_trash(self):
		self.refuse_alone()

	def refuse_alone(self):
		frappe.throw(
			_("A row of {0} changes only together with its record").format(
				_(self.parenttype or self.doctype)
			),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def save_unless_changed_since(doc, modified: str | None, save=None) -> None:
	"""Save `doc` (by `save()`, default `doc.save()`) only if nobody saved it since the client read the
	version `modified`: Frappe's own check (Document.check_if_latest, run by every save, reads the row
	locked FOR UPDATE) compares the version the document carries with the stored one. Without
	`modified` the document carries the version just read, as before.

	A stale copy (saved in another tab or on another device since) is refused with a Chinese message
	that says when, so the later save is kept and the earlier page told (TimestampMismatchError)."""
	if modified:
		doc.modified = modified
	try:
		(save or doc.save)()
	except frappe.TimestampMismatchError:
		frappe.clear_messages()
		stored = frappe.db.get_value(doc.doctype, doc.name, "modified")
		frappe.throw(
			_(
				"This draft was saved elsewhere (another tab or device) at {0}, after this page opened it. Your changes here were not saved, so that the later save is kept: load the latest version to continue."
			).format(str(stored)[11:16] if stored else "-"),
			frappe.TimestampMismatchError,
			title=_("Saved elsewhere"),
		)
