"""Demo data: load the JSON data sets of the repository's fixtures/demo into a site, idempotently.

Each file holds a list of documents ({"doctype": ..., ...}). A document is inserted once; a second
load finds it by its natural key and leaves it as it is, so an administrator's edits survive.
"""

import json
from pathlib import Path

import frappe
from frappe.utils.password import update_password

# How a demo document is found again on a second load.
NATURAL_KEYS = {"User": "email", "Enterprise": "uscc"}


def load_demo_data(path: str) -> list[str]:
	"""Load every *.json file under `path`, in name order. Returns the names of inserted documents."""
	inserted = []
	for file in sorted(Path(path).glob("*.json")):
		for record in json.loads(file.read_text(encoding="utf-8")):
			name = load_record(dict(record))
			if name:
				inserted.append(name)
	frappe.db.commit()  # nosemgrep: a bench command, not a request
	return inserted


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


def describe_logins(path: str) -> list[str]:
	"""The demo logins, one line each, for the set-up script to print."""
	lines = []
	for file in sorted(Path(path).glob("*.json")):
		for record in json.loads(file.read_text(encoding="utf-8")):
			if record.get("doctype") == "User" and record.get("password"):
				lines.append(
					f"{record.get('username') or record['email']} / {record['password']}"
					f"  ({record.get('demo_login_note', '')})"
				)
	if legacy_sample_imported():
		lines.append(
			"zhiyuan_admin / Zhiyuan@2019  (原科技创新服务平台老用户（fixtures/legacy），沿用原密码，"
			"登录后先更新完善企业信息)"
		)
	return lines


def legacy_sample_imported() -> bool:
	"""Whether the sample legacy export (fixtures/legacy) was imported already; run.sh imports it once."""
	return bool(frappe.db.exists("Legacy Account", {"legacy_username": "zhiyuan_admin"}))
