"""Benchmark of the legacy importer (issue: legacy users, performance). Prints its figures.

Run on the test site, as the bench user, from the bench directory:
    env/bin/python <checkout>/tests/load/benchmark_legacy_import.py --site gz-test.localhost

Builds an export of 10,000 users (2,500 enterprises with an admin and three staff each, one
indicator row per enterprise; hashes of the common schemes, computed once and reused, since
verifying them happens at login, not at import), imports it through the same module the bench
command and the Desk use, and prints rows per second for the first import and for the second,
idempotent one. The data it makes is removed at the end.
"""

import argparse
import hashlib
import os
import time
import uuid

import frappe

from gz_innovation.enterprise.uscc import ALPHABET, check_character
from gz_innovation.legacy import export, importer, imports
from gz_innovation.legacy.tests.utils import USERS_HEADER, enterprises_csv, to_csv

STAFF_PER_ENTERPRISE = 3


def schemes() -> list[tuple[str, str, str]]:
	from passlib.hash import bcrypt, django_pbkdf2_sha256

	password = "Legacy@2019"
	return [
		(hashlib.md5(password.encode()).hexdigest(), "", ""),
		(hashlib.sha1(password.encode()).hexdigest(), "", ""),
		(
			hashlib.md5(b"s4lt" + password.encode()).hexdigest(),
			"md5(salt+password)",
			"s4lt",
		),
		(bcrypt.using(rounds=10).hash(password), "", ""),
		(django_pbkdf2_sha256.hash(password), "", ""),
	]


def build_export(users: int) -> tuple[dict, list[str], list[str]]:
	tag = uuid.uuid4().hex[:6]
	enterprises = users // (STAFF_PER_ENTERPRISE + 1)
	hashes = schemes()
	user_rows, enterprise_rows, figure_rows, usernames, usccs = [], [], [], [], []
	for e in range(enterprises):
		body = "91520100" + "".join(ALPHABET[int(c, 16)] for c in tag[:3]) + f"{e:06d}"
		uscc = body + check_character(body)
		usccs.append(uscc)
		members = [f"bm{tag}_{e}_{m}" for m in range(STAFF_PER_ENTERPRISE + 1)]
		for index, username in enumerate(members):
			password_hash, scheme, salt = hashes[(e + index) % len(hashes)]
			mobile = f"17{(e * 4 + index) % 10**9:09d}"
			user_rows.append([username, "基准用户", mobile, password_hash, scheme, salt, uscc])
			usernames.append(username)
		enterprise_rows.append(
			{"uscc": uscc, "enterprise_name": f"基准企业{tag}{e}", "admin_username": members[0]}
		)
		figure_rows.append([uscc, "2023", "5000", "300", "12", "4"])
	files = {
		export.USERS: ("users.csv", to_csv(USERS_HEADER, user_rows)),
		export.ENTERPRISES: ("enterprises.csv", enterprises_csv(enterprise_rows)),
		export.INDICATORS: (
			"indicators.csv",
			to_csv(
				[
					"uscc",
					"year",
					"revenue",
					"rd_expenditure",
					"invention_patents",
					"software_copyrights",
				],
				figure_rows,
			),
		),
	}
	return files, usernames, usccs


def timed_import(files) -> tuple[float, importer.Result]:
	start = time.perf_counter()
	tables = imports.read_tables(files)
	result = importer.import_export(tables)
	return time.perf_counter() - start, result


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default="sites")
	parser.add_argument("--users", type=int, default=10_000)
	args = parser.parse_args()
	os.chdir(args.sites_path)  # Frappe expects to run from the sites folder, as bench does
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	files, usernames, usccs = build_export(args.users)
	rows = len(usernames) + len(usccs) * 2
	try:
		first, result = timed_import(files)
		assert result.counts["users_created"] == len(usernames), result.counts
		second, again = timed_import(files)
		assert again.counts["users_unchanged"] == len(usernames), again.counts
		print(
			f"export: {len(usernames)} users, {len(usccs)} enterprises, {len(usccs)} indicator rows ({rows} rows)"
		)
		print(
			f"first import:  {first:7.1f} s  {len(usernames) / first:7.0f} users/s  {rows / first:7.0f} rows/s"
		)
		print(
			f"second import: {second:7.1f} s  {len(usernames) / second:7.0f} users/s  (idempotent: nothing changed)"
		)
		print("target: >= 100 rows/s on 2 cores (password verification happens at login, not here)")
	finally:
		remove(usccs)
		frappe.destroy()


def remove(usccs: list[str]) -> None:
	"""Delete what the benchmark imported (row deletes: thousands of delete_doc calls take minutes)."""
	users = frappe.get_all("Legacy Account", filters={"enterprise": ("in", usccs)}, pluck="user")
	for chunk in range(0, len(users), 1000):
		part = users[chunk : chunk + 1000]
		for doctype, field in (
			("Has Role", "parent"),
			("User Social Login", "parent"),
			("DocShare", "user"),
			("User Permission", "user"),
			("Legacy Account", "name"),
			("User", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", part)})
		frappe.db.delete("__Auth", {"doctype": "Legacy Account", "name": ("in", part)})
	for chunk in range(0, len(usccs), 1000):
		part = usccs[chunk : chunk + 1000]
		frappe.db.delete("Legacy Indicator Record", {"enterprise": ("in", part)})
		frappe.db.delete("GZ Business Authorization", {"parent": ("in", part)})
		frappe.db.delete("Enterprise", {"name": ("in", part)})
	frappe.db.commit()


if __name__ == "__main__":
	main()
