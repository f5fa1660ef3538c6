"""The sample export (fixtures/legacy) and clean-up helpers of the legacy tests."""

import csv
import io
import os
from pathlib import Path

import frappe

from gz_innovation.legacy import export, imports

# The plain passwords behind the sample export's hashes (its users are demo accounts).
SAMPLE_PASSWORDS = {
	"zhiyuan_admin": "Zhiyuan@2019",  # md5
	"zhiyuan_yang": "yangfan123",  # sha1
	"qianxin_admin": "Qianxin#2020",  # bcrypt $2y$ (PHP)
	"qianxin_li": "liming2021",  # md5(md5(password)+salt), Discuz!-style
	"huaxin_admin": "Huaxin2018!",  # Django pbkdf2_sha256
	"huaxin_wang": "Wangli@88",  # passlib $pbkdf2-sha256$
	"miaoling_admin": "Miaoling666",  # md5(salt+password)
	"miaoling_zhao": "zhaogang2020",  # md5(password+salt)
	"guizhu_admin": "Guizhu@2017",  # sha1(salt+password)
	"guizhu_liu": "liufang0909",  # sha1(password+salt)
	"tianyan_admin": "Tianyan500m",  # passlib sha512_crypt
	"tianyan_sun": "sunyue2019",  # Werkzeug pbkdf2:sha256
	"hongfu_admin": "Hongfu@2005",  # bcrypt $2b$
	"zhangwei2018": "zhangwei2018",  # md5, a personal user without enterprise
}
SAMPLE_SCHEMES = {
	"zhiyuan_admin": "md5",
	"zhiyuan_yang": "sha1",
	"qianxin_admin": "bcrypt",
	"qianxin_li": "md5(md5(password)+salt)",
	"huaxin_admin": "django_pbkdf2_sha256",
	"huaxin_wang": "pbkdf2_sha256",
	"miaoling_admin": "md5(salt+password)",
	"miaoling_zhao": "md5(password+salt)",
	"guizhu_admin": "sha1(salt+password)",
	"guizhu_liu": "sha1(password+salt)",
	"tianyan_admin": "sha512_crypt",
	"tianyan_sun": "werkzeug_pbkdf2",
	"hongfu_admin": "bcrypt",
	"zhangwei2018": "md5",
}
# The users file columns the tests and the benchmark write.
USERS_HEADER = [
	"username",
	"full_name",
	"mobile",
	"password_hash",
	"password_scheme",
	"password_salt",
	"enterprise_uscc",
]
# A complete enterprise row of an export; rows override what they need.
ENTERPRISE_DEFAULTS = {
	"industry": "科技服务业",
	"ownership_type": "民营企业",
	"registration_date": "2015-03-01",
	"registered_capital": "300",
	"city": "贵阳市",
	"county": "南明区",
	"address": "贵阳市南明区测试路1号",
	"contact_person": "张三",
	"contact_phone": "0851-88886666",
}
ZHIYUAN = "91520000791221272L"  # the manual's example: fails the GB 32100-2015 check


def sample_dir() -> str:
	"""The sample export: handed over by scripts/test.sh, or the repository's own folder."""
	configured = frappe.conf.get("gz_legacy_sample_dir")
	if configured and os.path.isdir(configured):
		return configured
	return str(Path(__file__).resolve().parents[4] / "fixtures" / "legacy")


def sample_files() -> dict[str, tuple[str, bytes]]:
	return imports.files_from_paths([sample_dir()])


def sample_rows(kind: str) -> list[dict]:
	_name, content = sample_files()[kind]
	return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def sample_usernames() -> list[str]:
	return [row["username"] for row in sample_rows(export.USERS)]


def sample_usccs() -> list[str]:
	return [row["统一社会信用代码"] for row in sample_rows(export.ENTERPRISES)]


def to_csv(header: list[str], rows: list[list], encoding: str = "utf-8") -> bytes:
	out = io.StringIO()
	writer = csv.writer(out)
	writer.writerow(header)
	writer.writerows(rows)
	return out.getvalue().encode(encoding)


def enterprises_csv(rows: list[dict]) -> bytes:
	"""An enterprises file: each row gives uscc, enterprise_name, admin_username and any overrides."""
	header = ["uscc", "enterprise_name", "admin_username", *ENTERPRISE_DEFAULTS]
	return to_csv(header, [[{**ENTERPRISE_DEFAULTS, **row}.get(c, "") for c in header] for row in rows])


def delete_legacy_data(usernames=(), usccs=()) -> None:
	"""Remove what an import created, so every run starts from an empty site (imports commit)."""
	users = set(frappe.get_all("User", filters={"username": ("in", list(usernames) or [""])}, pluck="name"))
	users |= set(
		frappe.get_all(
			"Legacy Account", filters={"legacy_username": ("in", list(usernames) or [""])}, pluck="user"
		)
	)
	for uscc in usccs:
		for submission in frappe.get_all(
			"Cultivation Submission", filters={"enterprise": uscc}, pluck="name"
		):
			frappe.delete_doc("Cultivation Submission", submission, force=True, ignore_permissions=True)
		frappe.db.delete("Legacy Indicator Record", {"enterprise": uscc})
		frappe.db.delete("User Permission", {"allow": "Enterprise", "for_value": uscc})
		if frappe.db.exists("Enterprise", uscc):
			frappe.delete_doc("Enterprise", uscc, force=True, ignore_permissions=True)
	for user in users:
		frappe.db.delete("User Permission", {"user": user})
		frappe.db.delete("__Auth", {"doctype": "Legacy Account", "name": user})
		if frappe.db.exists("Legacy Account", user):
			frappe.delete_doc("Legacy Account", user, force=True, ignore_permissions=True)
		if frappe.db.exists("User", user):
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.cache.hdel("login_failed_count", user)
		frappe.cache.hdel("login_failed_time", user)
	frappe.db.commit()  # nosemgrep: the import under test committed its rows


def delete_sample() -> None:
	delete_legacy_data(sample_usernames(), sample_usccs())


def import_files(files: dict[str, tuple[str, bytes]]):
	"""Run an import as the Desk does (a Legacy Import record), synchronously; returns the record."""
	doc = frappe.get_doc({"doctype": "Legacy Import", "source_note": "tests"}).insert(ignore_permissions=True)
	imports.run(doc.name, files)
	return frappe.get_doc("Legacy Import", doc.name)
