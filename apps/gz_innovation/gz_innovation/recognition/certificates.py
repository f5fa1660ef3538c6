"""认定 and its certificate. After its 公示 an entry of the proposed list is recognised (GZ Recognition):
the publicity has ended and every objection to the enterprise is closed (已办结) with a recorded
outcome. The certificate (Print Format "认定证书") carries a verification code, a keyed hash of what it
states, as a QR code to the public check at /verify/<code>; a revoked certificate, or one changed
behind the application's back, no longer verifies as valid. The valid ones make the public list at
/recognised. A recognition is never deleted: it is revoked, with a reason.

Every rule is on the document; `issue_for_publicity` only makes one per entry of an ended list."""

import hashlib
import hmac
import json

import frappe
from frappe import _
from frappe.utils import add_days, add_years, getdate, now_datetime, nowdate

from gz_innovation.recognition import publicity
from gz_innovation.utils import changed_fields, refuse_client_changes, server_set

DOCTYPE = "GZ Recognition"
PRINT_FORMAT = "认定证书"  # a record name, shown as it is in Desk's print view
VALID, REVOKED = "有效", "已撤销"
VALID_YEARS = 3  # re-evaluated every three years (docs/recognition.md: Guizhou, Hunan)
# Taken from the publicity's entry and the Enterprise, never from a client.
SERVER_FIELDS = (
	"enterprise_name",
	"uscc",
	"city",
	"platform_name",
	"cultivation_type",
	"verification_code",
	"issued_by",
	"issued_at",
	"revoked_by",
	"revoked_at",
)
# What the certificate states, and so what its code vouches for: fixed once issued.
STATED_FIELDS = (
	"publicity",
	"enterprise",
	"enterprise_name",
	"uscc",
	"city",
	"platform_name",
	"cultivation_type",
	"recognised_on",
	"valid_until",
)


class RecognitionError(frappe.ValidationError):
	http_status_code = 417


def fail(message: str) -> None:
	frappe.throw(message, RecognitionError, title=_("Recognition"))


# --- the document ----------------------------------------------------------------------------------


def validate(doc) -> None:
	before = doc.get_doc_before_save()
	if before is None:
		validate_new(doc)
		return
	refuse_client_changes(doc, SERVER_FIELDS)
	changed = changed_fields(doc, ("publicity", "enterprise", "recognised_on", "valid_until"))
	if changed:
		fail(
			_("The certificate has been issued: {0} can no longer change").format(
				"、".join(_(doc.meta.get_label(f)) for f in changed)
			)
		)
	if before.status == REVOKED and doc.status != REVOKED:
		fail(_("A revoked recognition stays revoked"))
	if doc.status == REVOKED and before.status != REVOKED:
		if not (doc.revocation_reason or "").strip():
			fail(_("{0}: required to revoke").format(_(doc.meta.get_label("revocation_reason"))))
		server_set(doc, revoked_by=frappe.session.user, revoked_at=now_datetime())
	elif changed_fields(doc, ("revocation_reason",)) and before.status == REVOKED:
		fail(_("{0} is kept as recorded").format(_(doc.meta.get_label("revocation_reason"))))


def validate_new(doc) -> None:
	"""Recognised from an ended 公示 whose objections to the enterprise are all closed, once per
	enterprise and programme while valid."""
	refuse_client_changes(doc, SERVER_FIELDS)
	if doc.status not in (None, "", VALID):
		fail(_("A recognition starts valid"))
	listing = frappe.get_doc("GZ Publicity", doc.publicity)
	entry = next((row for row in listing.entries if row.enterprise == doc.enterprise), None)
	if entry is None:
		fail(_("{0} is not on the proposed list of {1}").format(doc.enterprise, listing.title))
	today = getdate(nowdate())
	if not listing.published or getdate(listing.ends_on) >= today:
		fail(_("Recognition follows the publicity: {0} ends on {1}").format(listing.title, listing.ends_on))
	open_objections = frappe.db.count(
		"GZ Objection",
		{"publicity": doc.publicity, "enterprise": doc.enterprise, "status": ("!=", publicity.CLOSED)},
	)
	if open_objections:
		fail(
			_("{0} has {1} objection(s) not yet closed: resolve them before recognition").format(
				entry.enterprise_name, open_objections
			)
		)
	existing = frappe.db.get_value(
		DOCTYPE,
		{"enterprise": doc.enterprise, "cultivation_type": entry.cultivation_type, "status": VALID},
		"name",
	)
	if existing:
		fail(
			_("{0} is recognised for {1} already ({2})").format(
				entry.enterprise_name, entry.cultivation_type, existing
			)
		)
	uscc = frappe.db.get_value("Enterprise", doc.enterprise, "uscc")
	server_set(
		doc,
		enterprise_name=entry.enterprise_name,
		uscc=uscc,
		city=entry.city,
		platform_name=entry.platform_name or entry.cultivation_type,
		cultivation_type=entry.cultivation_type,
		issued_by=frappe.session.user,
		issued_at=now_datetime(),
		status=VALID,
	)
	# Dates as the database keeps them, so the code computed now is the one a check recomputes.
	doc.recognised_on = getdate(doc.recognised_on or today)
	longest = add_days(add_years(doc.recognised_on, VALID_YEARS), -1)
	doc.valid_until = getdate(doc.valid_until or longest)
	recognised_label = _(doc.meta.get_label("recognised_on"))
	if not getdate(listing.ends_on) < doc.recognised_on <= today:
		fail(
			_("{0} must be after the publicity ended ({1}) and not later than today").format(
				recognised_label, listing.ends_on
			)
		)
	if not doc.recognised_on < doc.valid_until <= longest:
		fail(
			_("{0} must be after {1} and at most {2} years from it ({3})").format(
				_(doc.meta.get_label("valid_until")), recognised_label, VALID_YEARS, longest
			)
		)
	server_set(doc, verification_code=code_of(doc))


def code_of(doc) -> str:
	"""The certificate's code: a keyed hash of its number and what it states (as the 申报书's)."""
	from gz_innovation.cultivation.application import keyed_code

	return keyed_code({"name": doc.name, **{f: str(doc.get(f) or "") for f in STATED_FIELDS}})


# --- issuing from a publicity ----------------------------------------------------------------------


def issue_for_publicity(name: str) -> dict:
	"""认定 for every entry of an ended list that may be recognised; the others with the reason."""
	listing = frappe.get_doc("GZ Publicity", name)
	issued, skipped = [], []
	for row in listing.entries:
		if frappe.db.exists(DOCTYPE, {"publicity": name, "enterprise": row.enterprise}):
			continue
		doc = frappe.get_doc({"doctype": DOCTYPE, "publicity": name, "enterprise": row.enterprise})
		frappe.db.savepoint("gz_recognition")
		try:
			doc.insert()
		except RecognitionError as refused:
			frappe.db.rollback(save_point="gz_recognition")  # the certificate number it took, too
			frappe.clear_last_message()
			skipped.append({"enterprise_name": row.enterprise_name, "reason": str(refused)})
			continue
		issued.append({"name": doc.name, "enterprise_name": doc.enterprise_name})
	return {"issued": issued, "skipped": skipped}


# --- verifying, the certificate, the public list ---------------------------------------------------


def verify(code: str) -> dict | None:
	"""The public facts of the certificate with this code, or None (unknown or altered). A revoked
	certificate is found, and said to be revoked."""
	from gz_innovation.cultivation.application import holder_of

	doc = holder_of(DOCTYPE, code)
	if doc is None or not hmac.compare_digest(code_of(doc), doc.verification_code):
		return None
	return {
		"certificate_no": doc.name,
		"enterprise_name": doc.enterprise_name,
		"platform_name": doc.platform_name,
		"cultivation_type": doc.cultivation_type,
		"recognised_on": str(doc.recognised_on),
		"valid_until": str(doc.valid_until),
		"valid": doc.status == VALID and getdate(doc.valid_until) >= getdate(nowdate()),
		"status": doc.status,
	}


def certificate_context(doc) -> dict:
	"""What the certificate shows besides its fields (a Jinja method, hooks.py): the code and its QR,
	from the stored record only (a posted document verifies nothing)."""
	from gz_innovation.cultivation.application import qr_data_uri, verify_url

	stored = bool(doc.name) and bool(frappe.db.exists(DOCTYPE, doc.name))
	code = frappe.db.get_value(DOCTYPE, doc.name, "verification_code") if stored else None
	return {
		"code": code,
		"code_display": " ".join(code[i : i + 4] for i in range(0, len(code), 4)) if code else "",
		"verify_url": verify_url(code) if code else "",
		"qr": qr_data_uri(verify_url(code)) if code else "",
		"revoked": doc.status == REVOKED,
	}


def may_download(doc) -> bool:
	"""Its readers in Desk, and the members of the recognised enterprise (the portal)."""
	return frappe.has_permission(DOCTYPE, "read", doc) or has_website_permission(doc)


def has_website_permission(doc, ptype: str = "read", user: str | None = None, verbose: bool = False) -> bool:
	"""hooks.py has_website_permission: the recognised enterprise's members read its certificate (the
	print view that renders the PDF asks this of portal users)."""
	from gz_innovation.enterprise.membership import enterprise_of

	user = user or frappe.session.user
	return ptype in ("read", "print") and user != "Guest" and enterprise_of(user) == doc.enterprise


@frappe.whitelist(methods=["GET"])
def download(name: str) -> None:
	"""认定证书 as PDF."""
	from gz_innovation.cultivation.application import pdf

	doc = frappe.get_doc(DOCTYPE, name)
	if not may_download(doc):
		raise frappe.PermissionError(_("Not permitted"))
	frappe.local.response.filename = _("Certificate {0} {1}.pdf").format(doc.name, doc.enterprise_name)
	frappe.local.response.filecontent = pdf(name, DOCTYPE, PRINT_FORMAT)
	frappe.local.response.type = "pdf"


def of_enterprise(enterprise: str | None) -> list[dict]:
	"""The enterprise's recognitions (创新平台管理中心, through the hook gz_center_extras)."""
	if not enterprise:
		return []
	# frappe.db rather than frappe.get_all: asked on every visit of the center, without a list query's cost.
	return frappe.db.get_values(
		DOCTYPE,
		{"enterprise": enterprise},
		["name", "platform_name", "cultivation_type", "recognised_on", "valid_until", "status"],
		order_by="recognised_on desc",
		as_dict=True,
	)


def center_extras(enterprise: str | None) -> dict:
	return {
		"recognitions": [
			{**r, "recognised_on": str(r.recognised_on), "valid_until": str(r.valid_until)}
			for r in of_enterprise(enterprise)
		]
	}


def public_list() -> list[dict]:
	"""The valid recognitions, newest first, without personal data (the page /recognised)."""
	return frappe.get_all(
		DOCTYPE,
		filters={"status": VALID, "valid_until": (">=", nowdate())},
		fields=[
			"name",
			"enterprise_name",
			"platform_name",
			"cultivation_type",
			"city",
			"recognised_on",
			"valid_until",
		],
		order_by="recognised_on desc, name desc",
		limit=500,
	)
