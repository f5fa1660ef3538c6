"""Portal endpoints of the enterprise module. Each checks who may act in the module it calls
(applicant of the application, admin of the enterprise)."""

import json

import frappe
from frappe import _

from gz_innovation.enterprise import certification, membership
from gz_innovation.portal import attachments
from gz_innovation.transactions import retry_on_deadlock

LICENCE_TYPES = {"pdf": b"%PDF", "png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}
LICENCE_MAX_BYTES = 5 * 1024 * 1024


def _logged_in() -> str:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in"), frappe.PermissionError)
	return frappe.session.user


@frappe.whitelist(methods=["GET", "POST"])
def get_certification() -> dict:
	user = _logged_in()
	enterprise = membership.enterprise_of(user)
	if enterprise:
		doc = frappe.get_doc("Enterprise", enterprise)
		return {
			"member_of": {
				"name": doc.name,
				"enterprise_name": doc.enterprise_name,
				"status": doc.certification_status,
			}
		}
	application = certification.current_application(user)
	if application:
		return {"application": certification.as_form(application)}
	last = frappe.db.get_value(
		"Enterprise", {"applicant": user, "certification_status": "驳回"}, ["name"], order_by="modified desc"
	)
	return {"rejected": certification.as_form(frappe.get_doc("Enterprise", last)) if last else None}


@frappe.whitelist(methods=["GET", "POST"])
def check_enterprise(enterprise_name: str) -> dict:
	"""Step 1: whether an enterprise of this name is certified already (then the user may only apply
	to join it)."""
	_logged_in()
	return certification.find_certified(enterprise_name)


@frappe.whitelist(methods=["POST"])
def start_certification(enterprise_name: str, uscc: str) -> dict:
	_logged_in()
	return certification.start(enterprise_name, uscc)


@frappe.whitelist(methods=["POST"])
def save_certification_step(
	name: str,
	step: int,
	values: str | dict | None = None,
	go_to: int | None = None,
	modified: str | None = None,
) -> dict:
	_logged_in()
	if isinstance(values, str):
		values = json.loads(values or "{}")
	return certification.save_step(name, step, values or {}, go_to, modified)


@frappe.whitelist(methods=["POST"])
def submit_certification(name: str, modified: str | None = None) -> dict:
	_logged_in()
	return certification.submit(name, modified)


@frappe.whitelist(methods=["POST"])
def upload_business_licence(name: str) -> dict:
	"""The business licence scan: PDF, PNG or JPEG up to 5 MB, kept as a private file."""
	_logged_in()
	certification.get_own_application(name)  # someone else's application: refused before the upload is read
	upload = frappe.request.files.get("file") if frappe.request else None
	if not upload:
		_licence_error(_("please choose a file"))
	filename = upload.filename or ""
	extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
	content = upload.stream.read(LICENCE_MAX_BYTES + 1)
	if extension not in LICENCE_TYPES or not content.startswith(LICENCE_TYPES[extension]):
		_licence_error(_("only PDF, JPG or PNG files are accepted"))
	if len(content) > LICENCE_MAX_BYTES:
		_licence_error(_("the file is larger than 5 MB"))
	if extension == "pdf" and not attachments.readable_pdf(content):
		_licence_error(_("the PDF cannot be read, it may be damaged: please scan it again"))
	url = certification.attach_licence(name, filename, content)
	return {"business_licence": url, "modified": str(frappe.db.get_value("Enterprise", name, "modified"))}


def _licence_error(problem: str) -> None:
	from gz_innovation.enterprise.validation import fail

	fail("business_licence", problem)


@frappe.whitelist(methods=["POST"])
def request_to_join(enterprise: str) -> dict:
	_logged_in()
	return {"request": membership.request_join(enterprise)}


@frappe.whitelist(methods=["GET", "POST"])
def list_members(enterprise: str) -> dict:
	_logged_in()
	return {
		"members": membership.members(enterprise),
		"join_requests": membership.join_requests(enterprise),
		"assignable_roles": {role: _(label) for role, label in membership.ASSIGNABLE_ROLES.items()},
	}


@frappe.whitelist(methods=["POST"])
def decide_join_request(request: str, approve: int | str, reason: str | None = None) -> dict:
	_logged_in()
	membership.decide_join(request, frappe.utils.cint(approve) == 1, reason)
	return {"ok": True}


@frappe.whitelist(methods=["POST"])
def add_staff(enterprise: str, mobile: str, username: str, full_name: str, default_password: str) -> dict:
	_logged_in()
	user = retry_on_deadlock(membership.add_staff, enterprise, mobile, username, full_name, default_password)
	return {"user": user}


@frappe.whitelist(methods=["POST"])
def reset_staff_password(enterprise: str, user: str, default_password: str) -> dict:
	_logged_in()
	membership.reset_staff_password(enterprise, user, default_password)
	return {"ok": True}


@frappe.whitelist(methods=["POST"])
def set_staff_enabled(enterprise: str, user: str, enabled: int | str) -> dict:
	_logged_in()
	membership.set_staff_enabled(enterprise, user, frappe.utils.cint(enabled) == 1)
	return {"ok": True}


@frappe.whitelist(methods=["POST"])
def set_staff_roles(enterprise: str, user: str, roles: str | list) -> dict:
	_logged_in()
	if isinstance(roles, str):
		roles = json.loads(roles or "[]")
	membership.set_staff_roles(enterprise, user, roles)
	return {"ok": True}


@frappe.whitelist(methods=["POST"])
def request_admin_transfer(enterprise: str, to_user: str) -> dict:
	_logged_in()
	return {"request": membership.request_admin_transfer(enterprise, to_user)}
