"""The attack matrix: every attacker × every door into the data × every DocType of the app (and User,
File). Each test is one attack, named after it (test_<attacker>_<door>_<doctype>_is_refused); it
asserts the refusal (401/403/417, a Chinese message, no traceback) and that the database row, its
child rows and its files are exactly as before. getdoc, the REST list and the report view are the read
doors: the record's readers in Desk get it (getdoc: always), everyone else never sees it (portal users
are refused at these doors: they reach only the portal's methods), and ID numbers and mobiles reach
only reviewers.

Legitimate uses of the same doors through the same client succeed (TestDoorsOpenForTheirUsers), so a
refusal here is the rule at work, not a broken harness."""

import json
import re
from pathlib import Path
from urllib.parse import quote

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.tests.security import attacks
from gz_innovation.tests.security.client import CJK, Visitor
from gz_innovation.tests.security.world import (
	LEGAL_ID,
	LEGAL_ID_BEFORE,
	LEGAL_MOBILE,
	ROLES,
	World,
	count,
	snapshot,
)

DOORS = (
	"rest_post",
	"rest_put",
	"rest_delete",
	"client_insert",
	"client_save",
	"client_set_value",
	"client_delete",
	"apply_workflow",
	"run_doc_method",
	"cmd",
	"upload_file",
	"getdoc",
	"rest_list",
	"report_view",
)
READ_DOORS = ("getdoc", "rest_list", "report_view")
REFUSED = (401, 403, 404, 417)  # 404: what the request names does not exist for it (no workflow)
APP = Path(__file__).resolve().parents[2]


def app_doctypes() -> list[str]:
	"""Every DocType the app ships (read from its files, so a new one joins the matrix at once)."""
	names = []
	for path in sorted(APP.glob("*/doctype/*/*.json")):
		if path.stem == path.parent.name:
			names.append(json.loads(path.read_text(encoding="utf-8"))["name"])
	return names


DOCTYPES = [*app_doctypes(), "User", "File"]

# Who may read each target through getdoc (the rest is refused). Personal data (ID numbers, mobiles)
# reaches only the enterprise's admin and reviewers.
READERS = {
	"Enterprise": {"admin_a", "staff", "staff_viewer", "province_reviewer"},
	"Cultivation Submission": {"admin_a", "staff_viewer", "province_reviewer"},
	"Enterprise Join Request": {"province_reviewer"},
	"Enterprise Admin Transfer": {"province_reviewer"},
	"Legacy Indicator Record": {"province_reviewer"},
	"Cultivation Rule Set": {"city_reviewer_other", "province_reviewer"},
	"Cultivation Rule Set Version": {"city_reviewer_other", "province_reviewer"},
	"GZ Industry": {"city_reviewer_other", "province_reviewer"},  # the lists kept in Desk
	"GZ Business Type": {"city_reviewer_other", "province_reviewer"},
	"GZ Review Stage": {"city_reviewer_other", "province_reviewer"},  # the review route
	"GZ Scoring Scheme": {"city_reviewer_other", "province_reviewer"},  # the published formula
	# The expert pool and its draws: administrators only (管用分离: who uses experts does not keep them).
	"GZ Expert": set(),
	"GZ Expert Draw": set(),
	"GZ Expert Review": set(),  # the drawn expert's own (recognition/tests/test_review.py)
	"GZ Publicity": {"city_reviewer_other", "province_reviewer"},  # a public list
	"GZ Objection": set(),  # the objector's identity: administrators only
	"GZ Recognition": {"city_reviewer_other", "province_reviewer"},  # public facts, a public list
	"GZ Region": set(ROLES) - {"guest"},
	"Cultivation Batch": set(ROLES) - {"guest"},
	"Cultivation Type": set(ROLES) - {"guest"},
	"GZ Indicator Category": set(ROLES) - {"guest"},  # the choices of the form, with their sources
	"User": set(ROLES) - {"guest"},  # their own record
	"File": {"admin_a", "staff_viewer", "province_reviewer"},
}
# A row of a child table is read with its record.
# Portal users reach only the portal's own methods (boundary/policy.py): Frappe's read doors are
# refused to them even for the records they may read, which the portal shows them itself.
PORTAL_ROLES = {"personal_user", "staff", "staff_viewer", "admin_a", "admin_b"}
for _doctype in READERS:
	READERS[_doctype] = READERS[_doctype] - PORTAL_ROLES
for _child, _parent in {
	"GZ Business Authorization": "Enterprise",
	"Cultivation Evaluation Row": "Cultivation Submission",
	"Cultivation Batch Type": "Cultivation Batch",
	"Cultivation Batch Direct Type": "Cultivation Batch",
	"Cultivation Type Field": "Cultivation Type",
	"Cultivation Type Section": "Cultivation Type",
	"Cultivation Report Section": "Cultivation Submission",
	"Cultivation Evidence": "Cultivation Submission",
	"Cultivation Rule": "Cultivation Rule Set",
	"Cultivation Rule Group": "Cultivation Rule Set",
	"GZ Scoring Indicator": "GZ Scoring Scheme",
	"GZ Industry Factor": "GZ Scoring Scheme",
	"GZ Expert Industry": "GZ Expert",
	"GZ Expert Employer": "GZ Expert",
	"GZ Expert Relation": "GZ Expert",
	"GZ Expert Draw Stratum": "GZ Expert Draw",
	"GZ Expert Draw Member": "GZ Expert Draw",
	"GZ Expert Draw Exclusion": "GZ Expert Draw",
	"GZ Expert Review Line": "GZ Expert Review",
	"GZ Publicity Entry": "GZ Publicity",
}.items():
	READERS[_child] = READERS[_parent]
SEES_PERSONAL_DATA = {"admin_a", "province_reviewer"}

world: World | None = None
visitors: dict[str, Visitor] = {}


def setUpModule():
	global world
	world = World().build()
	for index, role in enumerate(ROLES):
		visitor = Visitor(ip=f"10.20.0.{index + 1}")
		visitors[role] = visitor if role == "guest" else visitor.login(world.user_of(role))


def tearDownModule():
	if world:
		world.destroy()


def path_of(doctype: str, name: str | None = None) -> str:
	return "/api/resource/" + quote(doctype) + (("/" + quote(str(name), safe="")) if name else "")


def admin_view(doctype: str, name: str) -> dict:
	return json.loads(frappe.as_json(frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)))


def attempt(role: str, door: str, doctype: str) -> list:
	"""Make the attack; returns the responses."""
	visitor = visitors[role]
	name, _info = world.target(doctype, role, door)
	changes = attacks.change(world, doctype, role)
	if door == "rest_post":
		return [visitor.post(path_of(doctype), attacks.new_record(world, doctype, role))]
	if door == "rest_put":
		return [visitor.put(path_of(doctype, name), changes)]
	if door == "rest_delete":
		return [visitor.delete(path_of(doctype, name))]
	if door == "client_insert":
		return [
			visitor.method(
				"frappe.client.insert", doc={"doctype": doctype, **attacks.new_record(world, doctype, role)}
			)
		]
	if door == "client_save":
		return [visitor.method("frappe.client.save", doc={**admin_view(doctype, name), **changes})]
	if door == "client_set_value":
		return [visitor.method("frappe.client.set_value", doctype=doctype, name=name, fieldname=changes)]
	if door == "client_delete":
		return [visitor.method("frappe.client.delete", doctype=doctype, name=name)]
	if door == "apply_workflow":
		workflow = frappe.db.get_value("Workflow", {"document_type": doctype, "is_active": 1})
		actions = (
			sorted({t.action for t in frappe.get_doc("Workflow", workflow).transitions})
			if workflow
			else ["通过"]
		)
		return [
			visitor.method(
				"frappe.model.workflow.apply_workflow", doc=admin_view(doctype, name), action=action
			)
			for action in actions
		]
	if door == "run_doc_method":
		return [
			visitor.method("run_doc_method", dt=doctype, dn=name, method=method, args=arguments)
			for method, arguments in attacks.whitelisted_doc_methods(doctype, name).items()
		]
	if door == "cmd":
		return [visitor.cmd("frappe.client.set_value", doctype=doctype, name=name, fieldname=changes)]
	if door == "upload_file":
		fields = {"doctype": doctype, "docname": name, "is_private": 1}
		if fieldname := attacks.first_attach_field(doctype):
			fields["fieldname"] = fieldname
		return [visitor.upload(**fields)]
	raise ValueError(door)


def state_of(doctype: str, name: str) -> dict:
	return {"record": snapshot(doctype, name), "count": count(doctype), "files": count("File")}


class TestAttackMatrix(FrappeTestCase):
	"""Test methods are added below, one per attacker × door × DocType."""

	def assertRefused(self, response, attack: str) -> None:
		self.assertIn(response.status, REFUSED, f"{attack} was not refused: {response}")
		self.assertFalse(response.has_traceback, f"{attack}: a traceback reached the client")
		if response.message:
			self.assertRegex(response.message, CJK, f"{attack}: the refusal is not in Chinese: {response}")

	def run_attack(self, role: str, door: str, doctype: str) -> None:
		if doctype not in world.targets and doctype != "User":
			self.fail(f"tests/security/world.py has no record of {doctype}: add one to the world")
		name, _info = world.target(doctype, role, door)
		attack = f"{role} {door} {doctype} {name}"
		before = state_of(doctype, name)
		for response in attempt(role, door, doctype):
			self.assertRefused(response, attack)
		self.assertEqual(state_of(doctype, name), before, f"{attack} changed the database")

	def read_attack(self, role: str, door: str, doctype: str) -> None:
		if doctype not in world.targets and doctype != "User":
			self.fail(f"tests/security/world.py has no record of {doctype}: add one to the world")
		name, info = world.target(doctype, role)
		attack = f"{role} {door} {doctype} {name}"
		reader = role in READERS.get(doctype, set())
		visitor = visitors[role]
		if door == "getdoc":
			response = visitor.get("/api/method/frappe.desk.form.load.getdoc", doctype=doctype, name=name)
			found = [d.get("name") for d in response.json.get("docs") or []]
			if reader:
				self.assertEqual(response.status, 200, f"{attack}: a reader was refused: {response}")
				self.assertEqual(found, [name], f"{attack}: the record did not come")
		else:
			parent = (
				{"parent": frappe.db.get_value(doctype, name, "parenttype")} if info.get("parent") else {}
			)
			if door == "rest_list":
				response = visitor.get(
					path_of(doctype),
					fields='["*"]',
					filters=json.dumps({"name": name}),
					limit_page_length=0,
					**parent,
				)
				found = [row.get("name") for row in response.json.get("data") or [] if isinstance(row, dict)]
			else:
				response = visitor.method(
					"frappe.desk.reportview.get",
					doctype=doctype,
					fields=["*"],
					filters={"name": name},
					page_length=500,
					**({"parent_doctype": parent["parent"]} if parent else {}),
				)
				values = response.json.get("message") or {}
				keys = values.get("keys") or [] if isinstance(values, dict) else []
				rows = values.get("values") or [] if isinstance(values, dict) else []
				found = [row[keys.index("name")] for row in rows if "name" in keys]
		if not reader:
			self.assertNotIn(name, found, f"{attack}: the record reached {role}: {response}")
			if response.status != 200:
				self.assertRefused(response, attack)
		if role not in SEES_PERSONAL_DATA:
			for secret in (LEGAL_ID, LEGAL_ID_BEFORE, LEGAL_MOBILE):
				self.assertNotIn(secret, response.text, f"{attack}: personal data reached {role}")


def _slug(text: str) -> str:
	return re.sub(r"\W+", "_", frappe.scrub(text)).strip("_")


def _add_cell(role: str, door: str, doctype: str) -> None:
	if door in READ_DOORS:
		verdict = "reads" if role in READERS.get(doctype, set()) else "is_refused"

		def test(self):
			self.read_attack(role, door, doctype)

	else:
		verdict = "is_refused"

		def test(self):
			self.run_attack(role, door, doctype)

	name = f"test_{role}_{door}_{_slug(doctype)}_{verdict}"
	test.__name__ = name
	test.__doc__ = f"{role} tries {door} on {doctype}: {verdict.replace('_', ' ')}."
	setattr(TestAttackMatrix, name, test)


for _role in ROLES:
	for _door in DOORS:
		for _doctype in DOCTYPES:
			_add_cell(_role, _door, _doctype)


class TestDoorsOpenForTheirUsers(FrappeTestCase):
	"""The same doors, through the same client, do what their users may do: so a refusal in the matrix
	is a rule at work, not a broken harness."""

	def setUp(self):
		self.manager = Visitor("10.20.1.1").login(world.users["system_manager"])
		self.region = "安全测试区" + frappe.generate_hash(length=6)
		self.addCleanup(lambda: frappe.db.delete("GZ Region", {"name": self.region}) or frappe.db.commit())

	def test_rest_and_client_doors_write_for_a_system_manager(self):
		created = self.manager.post(
			path_of("GZ Region"),
			{"region_name": self.region, "region_type": "County", "parent_region": "贵阳市"},
		)
		self.assertEqual(created.status, 200, created)
		self.assertEqual(
			self.manager.put(path_of("GZ Region", self.region), {"region_code": "520199"}).status, 200
		)
		self.assertEqual(frappe.db.get_value("GZ Region", self.region, "region_code"), "520199")
		changed = self.manager.method(
			"frappe.client.set_value",
			doctype="GZ Region",
			name=self.region,
			fieldname={"region_code": "520198"},
		)
		self.assertEqual(changed.status, 200, changed)
		by_cmd = self.manager.cmd(
			"frappe.client.set_value",
			doctype="GZ Region",
			name=self.region,
			fieldname={"region_code": "520197"},
		)
		self.assertEqual(by_cmd.status, 200, by_cmd)
		self.assertEqual(frappe.db.get_value("GZ Region", self.region, "region_code"), "520197")
		self.assertEqual(self.manager.delete(path_of("GZ Region", self.region)).status, 202)
		self.assertFalse(frappe.db.exists("GZ Region", self.region))

	def test_reviewers_move_the_workflow_of_their_stage_and_comment(self):
		name = world.second
		city = visitors_for("city_reviewer_a")
		commented = city.put(path_of("Cultivation Submission", name), {"review_comment": "材料齐全"})
		self.assertEqual(commented.status, 200, commented)
		for visitor, action, state in (
			(city, "受理", "市州初审"),
			(city, "初审通过", "省厅审核"),
			(visitors["province_reviewer"], "审核通过", "培育中"),
		):
			response = visitor.method(
				"frappe.model.workflow.apply_workflow",
				doc=admin_view("Cultivation Submission", name),
				action=action,
			)
			self.assertEqual(response.status, 200, response)
			self.assertEqual(frappe.db.get_value("Cultivation Submission", name, "status"), state)

	def test_readers_read_and_personal_data_reaches_only_reviewers_in_desk(self):
		response = visitors["province_reviewer"].get(
			"/api/method/frappe.desk.form.load.getdoc", doctype="Enterprise", name=world.a
		)
		self.assertEqual(response.status, 200, response)
		self.assertIn(LEGAL_ID, response.text)
		self.assertIn("110105********002X", response.text)  # the masked copy everyone may read
		for role in ("staff", "admin_a"):  # the portal shows them their enterprise; Desk's doors stay shut
			with self.subTest(role=role):
				response = visitors[role].get(
					"/api/method/frappe.desk.form.load.getdoc", doctype="Enterprise", name=world.a
				)
				self.assertEqual(response.status, 403, response)
				self.assertNotIn(LEGAL_ID, response.text)
				listed = visitors[role].get(path_of("Enterprise"), fields='["*"]', limit_page_length=0)
				self.assertEqual(listed.status, 403, listed)

	def test_desk_users_upload_and_the_licence_serves_its_readers(self):
		uploaded = visitors["province_reviewer"].upload(
			doctype="User", docname=world.users["province_reviewer"], is_private=1
		)
		self.assertEqual(uploaded.status, 200, uploaded)
		self.assertEqual(visitors["staff_viewer"].request("GET", world.licence).status, 200)
		self.assertEqual(visitors["staff"].request("GET", world.licence).status, 403)


def visitors_for(role: str) -> Visitor:
	"""A logged-in visitor for a role outside the attackers (the legitimate actors of the controls)."""
	if role not in visitors:
		visitors[role] = Visitor("10.20.2.1").login(world.users[role])
	return visitors[role]
