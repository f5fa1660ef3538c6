"""Legacy passwords at login: the previous platform's hash is checked once, then replaced.

A user imported from the previous platform has no password in Frappe's store (`__Auth`) but a
Legacy Account holding the old hash (encrypted). At the first successful login the password is
stored with Frappe's own hashing and the legacy hash is deleted. As soon as the user has a Frappe
password (first login, SMS reset, a change in Desk), the legacy hash never works again.
"""

import frappe
from frappe.query_builder import Table
from frappe.utils import now_datetime
from frappe.utils.password import get_decrypted_password, update_password

from gz_innovation.legacy import hashes

Auth = Table("__Auth")


def has_own_password(user: str) -> bool:
	return bool(
		frappe.qb.from_(Auth)
		.select(Auth.name)
		.where((Auth.doctype == "User") & (Auth.name == user) & (Auth.fieldname == "password"))
		.limit(1)
		.run()
	)


def pending_account(user: str) -> str | None:
	"""The user's Legacy Account whose hash has not been replaced yet."""
	if not user:
		return None
	return frappe.db.get_value("Legacy Account", {"user": user, "password_upgraded_on": ("is", "not set")})


def check_and_upgrade(user: str, password: str) -> bool:
	"""Whether the password matches the user's legacy hash; on a match it becomes the Frappe
	password and the legacy hash is dropped. Called only after Frappe's own check failed."""
	account = pending_account(user)
	if not account:
		return False
	if has_own_password(user):
		drop_hash(account)  # replaced already (reset by SMS, changed in Desk): it must not work
		return False
	stored = get_decrypted_password("Legacy Account", account, "password_hash", raise_exception=False)
	salt = get_decrypted_password("Legacy Account", account, "password_salt", raise_exception=False)
	scheme = frappe.db.get_value("Legacy Account", account, "password_scheme")
	if not stored or not hashes.verify(password, stored, scheme, salt):
		return False
	update_password(user, password, logout_all_sessions=False)
	drop_hash(account)
	return True


def drop_hash(account: str) -> None:
	frappe.db.delete(
		"__Auth",
		{
			"doctype": "Legacy Account",
			"name": account,
			"fieldname": ("in", ("password_hash", "password_salt")),
		},
	)
	frappe.db.set_value(
		"Legacy Account", account, "password_upgraded_on", now_datetime(), update_modified=False
	)


def drop_hash_of(user: str) -> None:
	"""The user now has a new-system password: the legacy hash goes."""
	if account := pending_account(user):
		drop_hash(account)


def drop_replaced_hashes() -> int:
	"""Drop the legacy hashes of users who have a Frappe password; returns how many (for patches)."""
	dropped = 0
	for account, user in frappe.get_all(
		"Legacy Account",
		filters={"password_upgraded_on": ("is", "not set")},
		fields=["name", "user"],
		as_list=True,
	):
		if has_own_password(user):
			drop_hash(account)
			dropped += 1
	return dropped
