"""Demo data: load the JSON data sets of the repository's fixtures/demo into a site, idempotently.

Each file holds a list of documents ({"doctype": ..., ...}). A document is inserted once; a second
load finds it by its natural key and leaves it as it is, so an administrator's edits survive.
"""

import json
from contextlib import contextmanager
from pathlib import Path

import frappe
from frappe.utils.password import update_password

# How a demo document is found again on a second load.
NATURAL_KEYS = {"User": "email", "Enterprise": "uscc", "GZ Notice": "title"}


class DemoDataError(Exception):
	"""A demo record the rules refuse: names the file, the record and the rule."""


def load_demo_data(path: str) -> list[str]:
	"""Load every *.json file under `path`, in name order. Returns the names of inserted documents.
	A record the rules refuse stops the load with the file, the record and the rule named."""
	inserted = []
	for file in sorted(Path(path).glob("*.json")):
		for number, record in enumerate(json.loads(file.read_text(encoding="utf-8")), start=1):
			with refused_as(f"{file.name}, record {number} ({describe(record)})"):
				name = load_record(dict(record))
			if name:
				inserted.append(name)
	frappe.db.commit()  # nosemgrep: a bench command, not a request
	return inserted


def describe(record: dict) -> str:
	doctype = record.get("doctype", "?")
	key = record.get(NATURAL_KEYS.get(doctype, "name")) or record.get("title") or record.get("name")
	return f"{doctype} {key}" if key else doctype


@contextmanager
def refused_as(where: str):
	"""Re-raise a refusal of the rules as DemoDataError naming `where` and the rule's message."""
	try:
		yield
	except Exception as e:
		frappe.db.rollback()
		message = frappe.utils.strip_html(str(e) or e.__class__.__name__)
		raise DemoDataError(f"demo data does not fit the rules: {where}: {message}") from e


def load_record(record: dict) -> str | None:
	doctype = record["doctype"]
	key = NATURAL_KEYS.get(doctype, "name")
	if record.get(key) and frappe.db.exists(doctype, {key: record[key]}):
		return None
	password = record.pop("password", None)
	certified_admin = record.pop("certified_admin", None)
	record.pop("demo_login_note", None)
	doc = frappe.get_doc(record)
	doc.flags.no_welcome_mail = True
	if certified_admin:
		from gz_innovation.utils import server_set

		server_set(doc, applicant=certified_admin)
		doc.owner = certified_admin
	doc.insert(ignore_permissions=True)
	if password and doctype == "User":
		update_password(doc.name, password)
	if certified_admin:
		# A demo enterprise arrives certified, as if the regulator had approved it.
		from gz_innovation.enterprise.membership import make_admin

		doc.db_set("certification_status", "已认证")
		make_admin(doc, certified_admin)
	return doc.name


def demo_logins(path: str) -> list[dict]:
	"""The demo accounts a newcomer is told about: login, password and what the account is."""
	logins = []
	for file in sorted(Path(path).glob("*.json")):
		for record in json.loads(file.read_text(encoding="utf-8")):
			if record.get("doctype") == "User" and record.get("password"):
				logins.append(
					{
						"login": record.get("username") or record["email"],
						"password": record["password"],
						"note": record.get("demo_login_note", ""),
						"desk": record.get("user_type") == "System User",
					}
				)
	if legacy_sample_imported():
		logins.append(
			{
				"login": "zhiyuan_admin",
				"password": "Zhiyuan@2019",
				"note": "原科技创新服务平台老用户（fixtures/legacy），沿用原密码，登录后先更新完善企业信息",
				"desk": False,
			}
		)
	return logins


def describe_logins(path: str) -> list[str]:
	"""The demo logins, one line each, for the set-up script to print."""
	return [f"{login['login']} / {login['password']}  ({login['note']})" for login in demo_logins(path)]


def legacy_sample_imported() -> bool:
	"""Whether the sample legacy export (fixtures/legacy) was imported already; run.sh imports it once."""
	return bool(frappe.db.exists("Legacy Account", {"legacy_username": "zhiyuan_admin"}))
