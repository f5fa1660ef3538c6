"""认定公示 and 异议: the proposed list is public for 5 to 10 days (page /publicity), without personal
data; during those days any logged-in user may object to an entry under their real name, with the
facts and reasons. Anonymous or empty objections are refused. The objector's identity reaches
administrators only (GZ Objection is theirs alone), and each objection is tracked to a recorded
resolution.

Every rule is on the documents (GZ Publicity, GZ Objection); the portal's method only fills in who
objects and when."""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import add_days, getdate, now_datetime, nowdate

from gz_innovation.utils import changed_fields, refuse_client_changes, server_set

MIN_DAYS, MAX_DAYS = 5, 10
MIN_REASON_CHARACTERS = 10
PENDING, IN_PROGRESS, CLOSED = "待处理", "处理中", "已办结"
# Written by the server: who objected, when, who resolved.
OBJECTION_SERVER_FIELDS = (
	"objector",
	"objector_name",
	"objector_mobile",
	"submitted_at",
	"resolved_by",
	"resolved_at",
	"attachment",
)
ATTACHMENT_TYPES = ("pdf", "jpg", "jpeg", "png")
FROZEN_WHEN_PUBLIC = ("title", "starts_on", "days", "entries", "published")


class PublicityError(frappe.ValidationError):
	http_status_code = 417


def fail(message: str, title: str | None = None) -> None:
	frappe.throw(message, PublicityError, title=title or _("Publicity"))


# --- GZ Publicity ----------------------------------------------------------------------------------


def validate_publicity(doc) -> None:
	days = int(doc.days or 0)
	if not MIN_DAYS <= days <= MAX_DAYS:
		fail(_("{0} must be from {1} to {2}").format(_("Publicity Days"), MIN_DAYS, MAX_DAYS))
	doc.ends_on = add_days(getdate(doc.starts_on), days - 1)
	seen = set()
	for row in doc.entries:
		if row.enterprise in seen:
			fail(
				_("Proposed List, row {0}: {1} is listed twice").format(
					row.idx, row.enterprise_name or row.enterprise
				)
			)
		seen.add(row.enterprise)
	before = doc.get_doc_before_save()
	if before and before.published and getdate(before.starts_on) <= getdate(nowdate()):
		changed = changed_fields(doc, FROZEN_WHEN_PUBLIC)
		if changed:
			fail(
				_(
					"The list is public since {0}: {1} can no longer change; publish a corrected list instead"
				).format(before.starts_on, "、".join(_(doc.meta.get_label(f)) for f in changed))
			)


def is_open(doc, today=None) -> bool:
	today = getdate(today or nowdate())
	return bool(doc.published) and getdate(doc.starts_on) <= today <= getdate(doc.ends_on)


def public_lists() -> list[dict]:
	"""The published lists whose 公示 has begun, the current ones first: what the public page shows
	(entries without personal data: the enterprise, the platform, the programme, the city)."""
	today = getdate(nowdate())
	names = frappe.get_all(
		"GZ Publicity",
		filters={"published": 1, "starts_on": ("<=", today)},
		pluck="name",
		order_by="ends_on desc",
		limit=20,
	)
	lists = []
	for name in names:
		doc = frappe.get_doc("GZ Publicity", name)
		lists.append(
			{
				"name": doc.name,
				"title": doc.title,
				"starts_on": str(doc.starts_on),
				"ends_on": str(doc.ends_on),
				"open": is_open(doc, today),
				"note": doc.note,
				"entries": [
					{
						"enterprise": row.enterprise,
						"enterprise_name": row.enterprise_name,
						"platform_name": row.platform_name,
						"cultivation_type": row.cultivation_type,
						"city": row.city,
					}
					for row in doc.entries
				],
			}
		)
	return sorted(lists, key=lambda p: not p["open"])


# --- GZ Objection ----------------------------------------------------------------------------------


def validate_objection(doc) -> None:
	before = doc.get_doc_before_save()
	if before is None:
		validate_new_objection(doc)
		return
	if changed_fields(doc, ("publicity", "enterprise", "reasons")):
		fail(_("An objection is kept as it was made"), title=_("Objection"))
	refuse_client_changes(doc, OBJECTION_SERVER_FIELDS)
	if doc.status == CLOSED:
		if not (doc.resolution or "").strip():
			fail(
				_("{0}: record what was verified and decided before closing the objection").format(
					_(doc.meta.get_label("resolution"))
				),
				title=_("Objection"),
			)
		if before.status != CLOSED:
			server_set(doc, resolved_by=frappe.session.user, resolved_at=now_datetime())
	elif before.status == CLOSED:
		fail(_("A closed objection stays closed"), title=_("Objection"))


def validate_new_objection(doc) -> None:
	"""Real-name, during the 公示, against an entry of the list, with facts and reasons."""
	user = frappe.session.user
	if user == "Guest" or not doc.flags.from_portal:
		fail(
			_("Objections are made under your real name: log in, then object on the publicity page"),
			title=_("Objection"),
		)
	publicity = frappe.get_doc("GZ Publicity", doc.publicity)
	if not is_open(publicity):
		fail(_("The publicity {0} is not open for objections").format(publicity.title), title=_("Objection"))
	if doc.enterprise not in {row.enterprise for row in publicity.entries}:
		fail(_("Choose an enterprise of the list"), title=_("Objection"))
	reasons = (doc.reasons or "").strip()
	if len(reasons) < MIN_REASON_CHARACTERS:
		fail(
			_("{0}: write the facts and reasons (at least {1} characters)").format(
				_(doc.meta.get_label("reasons")), MIN_REASON_CHARACTERS
			),
			title=_("Objection"),
		)
	doc.reasons = reasons
	full_name, mobile = frappe.db.get_value("User", user, ["full_name", "mobile_no"])
	server_set(
		doc,
		objector=user,
		objector_name=full_name,
		objector_mobile=mobile,
		submitted_at=now_datetime(),
		status=PENDING,
	)


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=30, seconds=3600)  # per address: a company behind one address has many users
def submit_objection(publicity: str, enterprise: str, reasons: str) -> dict:
	"""提出异议 (portal): any logged-in user, under their name; the rules are the document's. A
	supporting file may come with it (multipart field "attachment"): checked before anything is saved,
	kept as a private file of the objection (administrators only)."""
	upload = frappe.request.files.get("attachment") if frappe.request and frappe.request.files else None
	content = None
	if upload and upload.filename:
		from gz_innovation.cultivation.application_report import PDF_MAX_BYTES, file_problem

		content = upload.stream.read(PDF_MAX_BYTES + 1)
		extension = (upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "").lower()
		problem = (
			_("the file type .{0} is not allowed; use {1}").format(
				extension or "?", "、".join(e.upper() for e in ATTACHMENT_TYPES)
			)
			if extension not in ATTACHMENT_TYPES
			else file_problem(upload.filename, content)
		)
		if problem:
			fail(_("{0}: {1}").format(_("Supporting File"), problem), title=_("Objection"))
	doc = frappe.get_doc(
		{"doctype": "GZ Objection", "publicity": publicity, "enterprise": enterprise, "reasons": reasons}
	)
	doc.flags.from_portal = True
	doc.insert(ignore_permissions=True)
	if content is not None:
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": upload.filename,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
				"attached_to_field": "attachment",
				"is_private": 1,
				"content": content,
			}
		)
		file.flags.ignore_permissions = True  # the objector, through this method; administrators read it
		file.insert()
		doc.db_set("attachment", file.file_url, update_modified=False)
	return {"name": doc.name}
