"""Factories of the cultivation tests."""

import uuid

import frappe
from frappe.utils import add_days, now_datetime

from gz_innovation.cultivation.setup import MANUAL_EXAMPLE, RULE_SETS, TYPES, ensure_batch, ensure_rule_set

E2E_PREFIX = "浏览器测试批次-"


def open_batch(
	days_open: int = 1, days_left: int = 1, with_rule_sets: bool = True, prefix: str = "测试批次-"
) -> str:
	"""A batch whose window is open now (Asia/Shanghai), with the default rule sets."""
	name = prefix + uuid.uuid4().hex[:10]
	ensure_batch(
		name,
		2026,
		str(add_days(now_datetime(), -days_open)),
		str(add_days(now_datetime(), days_left)),
	)
	for cultivation_type in TYPES if with_rule_sets else ():
		ensure_rule_set(cultivation_type, name, RULE_SETS[cultivation_type])
	return name


def delete_batches(names) -> None:
	"""Remove test batches with their submissions and rule sets (and the rule sets' versions)."""
	for batch in names:
		for name in frappe.get_all("Cultivation Submission", filters={"batch": batch}, pluck="name"):
			frappe.delete_doc("Cultivation Submission", name, force=True, ignore_permissions=True)
		for name in frappe.get_all("Cultivation Rule Set", filters={"batch": batch}, pluck="name"):
			frappe.db.delete("Cultivation Rule Set Version", {"rule_set": name})
			frappe.delete_doc("Cultivation Rule Set", name, force=True, ignore_permissions=True)
		frappe.delete_doc("Cultivation Batch", batch, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: the tests commit what they make


def manual_example_values() -> dict:
	"""The enterprise of the manual's screenshot (design §4; 企业类型 其他)."""
	return dict(MANUAL_EXAMPLE)


def e2e_fixtures(listener_port: int | None = None) -> dict:
	"""For the browser test (test site only): a fresh certified enterprise with its admin and an open
	batch. Returns the admin's login. `listener_port`: where the boundary's browser test counts the
	requests a page or a PDF makes to an address written in declared text."""
	if not frappe.conf.get("allow_tests"):
		frappe.throw("test sites only")
	from gz_innovation.accounts.tests.utils import PASSWORD, create_user
	from gz_innovation.enterprise.tests.utils import create_certified_enterprise

	admin = create_user()
	enterprise = create_certified_enterprise(admin)
	frappe.db.set_value(
		"Enterprise", enterprise, {"annual_revenue": 180, "rd_expenditure": 50, "contact_person": "王经理"}
	)
	# The browser tests' batch of the previous run goes; each run has one of its own.
	delete_batches(
		frappe.get_all("Cultivation Batch", filters={"name": ["like", E2E_PREFIX + "%"]}, pluck="name")
	)
	batch = open_batch(days_open=1, days_left=30, prefix=E2E_PREFIX)
	frappe.db.commit()  # nosemgrep: a bench command for the browser test
	from gz_innovation.recognition.tests.utils import recognition_e2e_fixture

	return {
		"mobile": frappe.db.get_value("User", admin, "mobile_no"),
		"password": PASSWORD,
		"enterprise": enterprise,
		"batch": batch,
		# The portal's first: it removes its previous run's batches (and their submissions), which
		# the department's fixture would otherwise have counted in its reviewers' queues.
		"portal": portal_e2e_fixture(admin),
		"legacy": legacy_e2e_fixture(),
		"security": security_e2e_fixture(listener_port),
		"department": department_e2e_fixture(),
		"form": form_e2e_fixture(),
		"rule_editor_batch": rule_editor_e2e_fixture(),
		"recognition": recognition_e2e_fixture(gate_batch=batch),
	}


def rule_editor_e2e_fixture() -> str:
	"""A batch without submissions: the rule editor's trial run shows the manual's example."""
	batch = open_batch(days_open=1, days_left=30, prefix=E2E_PREFIX + "规则编辑-")
	frappe.db.commit()  # nosemgrep: a bench command for the browser test
	return batch


# The enterprise of the manual's screenshot (§3.1.1, 一、基本信息), as its record holds it.
MANUAL_ENTERPRISE = {
	"industry": "科技推广和应用服务业",
	"ownership_type": "民营企业",
	"registration_date": "2019-07-11",
	"registered_capital": 500,
	"annual_revenue": 180,
	"rd_expenditure": 50,
	"contact_person": "陈俊",
	"contact_phone": "13984102724",
	"contact_email": "cchen@zhiyuan.com",
	"address": "贵州省贵阳市观山湖区康强中心A2",
	"introduction": "测试",
	"main_products": "测试",
}


def form_e2e_fixture() -> dict:
	"""An enterprise whose record holds the manual's 基本信息, with its admin, for the browser test of
	the whole form (an enterprise of its own, so it runs beside the other browser tests)."""
	from gz_innovation.accounts.tests.utils import PASSWORD, create_user
	from gz_innovation.enterprise.tests.utils import create_certified_enterprise

	admin = create_user()
	enterprise = create_certified_enterprise(admin)
	name = "贵州智源科技股份有限公司（测试" + enterprise[-4:] + "）"
	frappe.db.set_value("Enterprise", enterprise, {**MANUAL_ENTERPRISE, "enterprise_name": name})
	frappe.db.commit()  # nosemgrep: a bench command for the browser test
	from gz_innovation.recognition.tests.utils import recognition_e2e_fixture

	return {
		"mobile": frappe.db.get_value("User", admin, "mobile_no"),
		"password": PASSWORD,
		"enterprise": enterprise,
		"enterprise_name": name,
		"values": {**MANUAL_ENTERPRISE, "uscc": enterprise},
	}


def portal_e2e_fixture(admin: str) -> dict:
	from gz_innovation.portal.tests.utils import e2e_fixture

	return e2e_fixture(admin)


# What the boundary's browser test finds in every declared text field (as if it had reached the
# database another way: the app refuses to save markup on every path). {port}: the test's listener.
MARKUP_PAYLOADS = (
	'{{"a":"<img src=x onerror=window.__gz_xss=1>"}}',
	'<img src=x onerror="window.__gz_xss=2">',
	"<style>.gz-evaluation,.gz-overall,.gz-summary,.form-layout,.layout-main{{display:none}}</style>",
	'<img src="http://127.0.0.1:{port}/pixel.png">',
)
SHORT_PAYLOAD = "<b onmouseover=x>"  # for a short column (a phone number)
# Server-owned text fields that keep their real values (the code must verify, the state stays).
NOT_DECLARED = ("verification_code", "uscc", "workflow_state", "naming_series", "amended_from")


def security_e2e_fixture(listener_port: int | None = None) -> dict:
	"""Reviewers (a 省厅 one, and a 市州 one of 安顺市) and an enterprise of 安顺市 (a city no other
	browser test reviews, so their queues stay clean) with a submitted application, every declared text field of both holding markup, as if it had reached the database
	another way: the browser tests open them in Desk, the print view and the PDF and check that
	nothing runs, nothing is hidden and nothing is fetched."""
	from gz_innovation.accounts.tests.utils import PASSWORD, create_user
	from gz_innovation.cultivation import submission
	from gz_innovation.enterprise.tests.utils import create_certified_enterprise, create_regulator
	from gz_innovation.utils import TEXT_TYPES

	reviewer = create_regulator()
	city_reviewer = create_regulator(city="安顺市")
	admin = create_user()
	poisoned = create_certified_enterprise(admin, city="安顺市", county="西秀区")
	batch = open_batch(days_open=1, days_left=30, prefix=E2E_PREFIX + "边界-")
	frappe.set_user(admin)
	draft = submission.open_draft("企业技术中心", batch)
	application = submission.submit(draft.name, {**manual_example_values(), "commitment": 1}).name
	frappe.set_user("Administrator")
	port = listener_port or 9
	payloads = [p.format(port=port) for p in MARKUP_PAYLOADS]
	for doctype, name in (("Enterprise", poisoned), ("Cultivation Submission", application)):
		fields = [
			df
			for df in frappe.get_meta(doctype).fields
			if df.fieldtype in TEXT_TYPES and df.fieldname not in NOT_DECLARED and not df.read_only
		]
		values = {}
		for i, df in enumerate(fields):
			payload = payloads[i % len(payloads)]
			room = df.length or (140 if df.fieldtype == "Data" else 0)
			values[df.fieldname] = payload if not room or len(payload) <= room else SHORT_PAYLOAD[:room]
		frappe.db.set_value(doctype, name, values, update_modified=False)
	frappe.db.set_value("Enterprise", poisoned, "business_licence", '<img src=x onerror="window.__gz_xss=3">')
	frappe.db.commit()  # nosemgrep: a bench command for the browser test
	return {
		"reviewer": reviewer,
		"city_reviewer": city_reviewer,
		"password": PASSWORD,
		"enterprise": poisoned,
		"application": application,
		"listener_port": port,
	}


def department_e2e_fixture() -> dict:
	from gz_innovation.cultivation.tests.department import e2e_fixture

	return e2e_fixture()


def legacy_e2e_fixture() -> dict:
	"""A user of the previous platform (md5 hash) whose enterprise's code fails the check."""
	import hashlib
	import secrets

	from gz_innovation.enterprise.tests.utils import new_uscc
	from gz_innovation.legacy import export
	from gz_innovation.legacy.tests.utils import enterprises_csv, import_files, to_csv

	username = "old_" + secrets.token_hex(4)
	password = "Old@" + secrets.token_hex(3)
	valid = new_uscc()
	flagged = valid[:17] + ("0" if valid[17] != "0" else "1")  # the check character is wrong
	users = to_csv(
		["username", "full_name", "password_hash", "enterprise_uscc"],
		[[username, "老用户", hashlib.md5(password.encode()).hexdigest(), flagged]],
	)
	enterprises = enterprises_csv(
		[
			{
				"uscc": flagged,
				"enterprise_name": "贵州老用户科技有限公司",
				"admin_username": username,
				"ownership_type": "民营",  # the previous platform's spelling
				"address": "贵阳市南明区老街1号",
				"contact_person": "老联系人",
			}
		]
	)
	record = import_files(
		{export.USERS: ("users.csv", users), export.ENTERPRISES: ("enterprises.csv", enterprises)}
	)
	return {"username": username, "password": password, "uscc": flagged, "import": record.name}
