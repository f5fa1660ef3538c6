"""The legacy importer on the sample export and on malformed exports (real site, real database)."""

import secrets
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import get_decrypted_password

from gz_innovation.enterprise.roles import ADMIN_ROLE, STAFF_ROLE
from gz_innovation.enterprise.tests.utils import new_uscc
from gz_innovation.legacy import export, importer
from gz_innovation.legacy.passwords import has_own_password
from gz_innovation.legacy.tests.utils import (
	SAMPLE_SCHEMES,
	USERS_HEADER,
	ZHIYUAN,
	delete_legacy_data,
	delete_sample,
	import_files,
	sample_files,
	sample_usccs,
	to_csv,
)

ENTERPRISES_HEADER = ["uscc", "enterprise_name", "admin_username", "city", "county", "registered_capital"]
MD5_OF_SECRET = "5ebe2294ecd0e0f08eab7690d2a6ee69"  # md5("secret")


def user_of(username: str) -> str | None:
	return frappe.db.get_value("User", {"username": username})


def roles_of(user: str) -> set[str]:
	return set(frappe.get_all("Has Role", filters={"parent": user, "parenttype": "User"}, pluck="role"))


def issues_by_record(doc) -> dict[str, list]:
	found = {}
	for row in doc.issues:
		found.setdefault(row.record, []).append(row)
	return found


class TestSampleImport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.local.lang = "zh"
		delete_sample()
		cls.first = import_files(sample_files())

	@classmethod
	def tearDownClass(cls):
		delete_sample()
		super().tearDownClass()

	def setUp(self):
		frappe.local.lang = "zh"

	def test_the_sample_arrives_whole(self):
		first = self.first
		self.assertEqual(first.status, "Completed")
		self.assertEqual((first.users_created, first.enterprises_created, first.figures_imported), (16, 7, 5))
		self.assertEqual(first.rows_skipped, 0)
		self.assertTrue(first.report_file)
		for uscc in sample_usccs():
			enterprise = frappe.get_doc("Enterprise", uscc)
			self.assertEqual(enterprise.certification_status, "已认证")
			self.assertEqual((enterprise.needs_update, enterprise.is_legacy), (1, 1))
			self.assertEqual(
				[r.business_type for r in enterprise.business_authorizations], ["科技创新服务平台"]
			)
			self.assertTrue(enterprise.enterprise_admin)
			self.assertIn(ADMIN_ROLE, roles_of(enterprise.enterprise_admin))

	def test_the_manuals_enterprise_keeps_its_failing_code_flagged(self):
		enterprise = frappe.get_doc("Enterprise", ZHIYUAN)
		self.assertEqual(enterprise.uscc_flagged, 1)
		self.assertEqual(enterprise.enterprise_name, "贵州智源科技股份有限公司")
		# The previous platform's spellings were mapped: 民营 -> 民营企业, a date with a time.
		self.assertEqual(enterprise.ownership_type, "民营企业")
		self.assertEqual(str(enterprise.registration_date), "2019-07-11")
		self.assertEqual((enterprise.city, enterprise.county), ("贵阳市", "观山湖区"))
		self.assertEqual(enterprise.enterprise_admin, user_of("zhiyuan_admin"))
		flagged = issues_by_record(self.first)[ZHIYUAN][0]
		self.assertEqual(flagged.action, "已导入，已标记待更正")
		self.assertIn("GB 32100-2015", flagged.reason)

	def test_staff_members_and_personal_users(self):
		staff = user_of("zhiyuan_yang")
		self.assertIn(STAFF_ROLE, roles_of(staff))
		self.assertNotIn(ADMIN_ROLE, roles_of(staff))
		self.assertTrue(
			frappe.db.exists("User Permission", {"user": staff, "allow": "Enterprise", "for_value": ZHIYUAN})
		)
		personal = user_of("zhangwei2018")
		self.assertFalse(frappe.db.exists("User Permission", {"user": personal}))
		self.assertEqual(frappe.db.get_value("User", personal, "user_type"), "Website User")
		self.assertEqual(frappe.db.get_value("User", user_of("hongfu_old"), "enabled"), 0)
		# The real e-mail address is the account's address; without one a placeholder is used.
		self.assertEqual(user_of("zhiyuan_admin"), "cchen@zhiyuan.com")
		self.assertEqual(frappe.db.get_value("User", user_of("huaxin_nopwd"), "mobile_no"), "13908510003")

	def test_hashes_are_kept_encrypted_with_their_scheme(self):
		for username, scheme in SAMPLE_SCHEMES.items():
			account = frappe.get_doc("Legacy Account", {"legacy_username": username})
			self.assertEqual(account.password_scheme, scheme, username)
			stored = get_decrypted_password("Legacy Account", account.name, "password_hash")
			self.assertTrue(stored)
			raw = frappe.db.sql(
				"select password from `__Auth` where doctype='Legacy Account' and name=%s and fieldname='password_hash'",
				account.name,
			)[0][0]
			self.assertNotEqual(raw, stored)  # encrypted at rest, never the hash itself
		# Until the first login the user has no password in Frappe's own store.
		self.assertFalse(has_own_password(user_of("zhiyuan_admin")))

	def test_figures_are_imported_by_year(self):
		figures = frappe.parse_json(
			frappe.db.get_value("Legacy Indicator Record", {"enterprise": ZHIYUAN, "year": 2023}, "figures")
		)
		self.assertEqual(figures["revenue"], 180)
		self.assertEqual(figures["invention_patents"], 12)
		self.assertEqual(figures["is_big_data_enterprise"], 0)
		qianxin = sample_usccs()[1]
		self.assertEqual(frappe.db.count("Legacy Indicator Record", {"enterprise": qianxin}), 2)

	def test_a_second_run_changes_nothing(self):
		snapshot = self.snapshot()
		second = import_files(sample_files())
		self.assertEqual((second.users_created, second.users_updated, second.users_unchanged), (0, 0, 16))
		self.assertEqual(
			(second.enterprises_created, second.enterprises_updated, second.enterprises_unchanged), (0, 0, 7)
		)
		self.assertEqual(second.figures_imported, 0)
		self.assertEqual(self.snapshot(), snapshot)

	def snapshot(self):
		usccs = sample_usccs()
		users = frappe.get_all("Legacy Account", pluck="user")
		return {
			"enterprises": frappe.get_all(
				"Enterprise", filters={"name": ("in", usccs)}, fields=["name", "modified"], order_by="name"
			),
			"users": frappe.get_all(
				"User",
				filters={"name": ("in", users)},
				fields=["name", "modified", "mobile_no"],
				order_by="name",
			),
			"permissions": frappe.db.count("User Permission", {"user": ("in", users)}),
			"roles": frappe.db.count("Has Role", {"parent": ("in", users)}),
			"figures": frappe.get_all(
				"Legacy Indicator Record", filters={"enterprise": ("in", usccs)}, fields=["name", "modified"]
			),
		}


class TestCorrectedExport(FrappeTestCase):
	"""A corrected export updates what nobody has touched since, and nothing else."""

	def setUp(self):
		frappe.local.lang = "zh"
		self.usccs = [new_uscc(), new_uscc()]
		self.usernames = ["lg_" + secrets.token_hex(4) for _ in range(2)]
		self.addCleanup(delete_legacy_data, self.usernames, self.usccs)

	def files(self, address_suffix: str, password_hash: str = MD5_OF_SECRET):
		users = [
			[u, "用户" + u, "", password_hash, "", "", uscc]
			for u, uscc in zip(self.usernames, self.usccs, strict=True)
		]
		enterprises = [
			[uscc, "更正测试企业" + uscc[-4:], u, "贵阳市", "南明区", "100"]
			for u, uscc in zip(self.usernames, self.usccs, strict=True)
		]
		for row in enterprises:
			row.append("贵阳市南明区" + address_suffix)
		return {
			export.USERS: ("users.csv", to_csv(USERS_HEADER, users)),
			export.ENTERPRISES: ("enterprises.csv", to_csv([*ENTERPRISES_HEADER, "address"], enterprises)),
		}

	def test_untouched_records_follow_the_export_completed_ones_do_not(self):
		import_files(self.files("一号"))
		completed, untouched = self.usccs
		frappe.db.set_value("Enterprise", completed, {"needs_update": 0, "address": "管理员填写的新地址"})
		frappe.db.commit()  # nosemgrep
		second = import_files(self.files("二号"))
		self.assertEqual(second.enterprises_updated, 1)
		self.assertEqual(frappe.db.get_value("Enterprise", untouched, "address"), "贵阳市南明区二号")
		self.assertEqual(frappe.db.get_value("Enterprise", completed, "address"), "管理员填写的新地址")
		kept = issues_by_record(second)[completed][0]
		self.assertEqual(kept.action, "保留新系统数据")

	def test_a_moved_password_is_never_replaced_by_a_legacy_hash(self):
		from gz_innovation.legacy import passwords

		import_files(self.files("一号"))
		user = user_of(self.usernames[0])
		self.assertTrue(passwords.check_and_upgrade(user, "secret"))
		frappe.db.commit()  # nosemgrep
		third = import_files(self.files("一号", password_hash="0" * 32))
		self.assertEqual(third.users_updated, 1)  # only the second user's hash changed
		self.assertFalse(
			get_decrypted_password("Legacy Account", user, "password_hash", raise_exception=False)
		)


class TestMalformedExports(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		self.usernames = ["lg_" + secrets.token_hex(4) for _ in range(8)]
		self.usccs = [new_uscc() for _ in range(3)]
		self.addCleanup(delete_legacy_data, self.usernames, self.usccs)

	def test_bad_rows_are_reported_and_the_rest_imported(self):
		u = self.usernames
		ok, gbk_name = u[0], u[1]
		users = [
			[ok, "王五", "139 0851 2345", MD5_OF_SECRET, "", "", self.usccs[0]],
			[gbk_name, "黔东南用户", "13908519999", MD5_OF_SECRET, "", "", ""],
			[ok.upper(), "重复用户", "", MD5_OF_SECRET, "", "", ""],  # duplicate, case does not count
			[u[2], "号码错误", "0851123", MD5_OF_SECRET, "", "", ""],  # bad phone: imported without it
			["", "无用户名", "", MD5_OF_SECRET, "", "", ""],
			[u[3], "未知散列", "", "xyz-not-a-hash", "", "", ""],
			[u[4], "缺少算法", "", MD5_OF_SECRET, "", "salt", ""],  # salted, position unknown
			[u[5], "企业被跳过", "", MD5_OF_SECRET, "", "", self.usccs[2]],
		]
		enterprises = [
			[
				self.usccs[0],
				"贵州格式测试有限公司",
				ok,
				"贵阳市",
				"观山湖区",
				"-5",
			],  # negative capital dropped
			[self.usccs[0], "重复企业", ok, "贵阳市", "", ""],
			[self.usccs[2], "管理员缺失企业", "nobody_" + u[6], "遵义市", "", ""],
		]
		files = {
			# Legacy exports made with Excel on Chinese Windows are GBK.
			export.USERS: ("users.csv", to_csv(USERS_HEADER, users, encoding="gbk")),
			export.ENTERPRISES: ("enterprises.csv", to_csv(ENTERPRISES_HEADER, enterprises)),
		}
		doc = import_files(files)
		self.assertEqual(doc.status, "Completed")
		issues = issues_by_record(doc)

		def reason(record, action="跳过"):
			rows = [r for r in issues.get(record, []) if r.action == action]
			self.assertTrue(rows, f"no {action} issue for {record}: {issues.get(record)}")
			return rows[0]

		self.assertTrue(any("GBK" in r.reason for r in doc.issues if r.line == 0))
		self.assertEqual(frappe.db.get_value("User", user_of(gbk_name), "full_name"), "黔东南用户")
		self.assertEqual(frappe.db.get_value("User", user_of(ok), "mobile_no"), "13908512345")
		self.assertIn("第 2 行", reason(ok.upper()).reason)
		self.assertEqual(reason(ok.upper()).line, 4)
		self.assertIn("手机号码", reason(u[2], "已导入，部分值未导入").reason)
		self.assertTrue(user_of(u[2]))
		self.assertFalse(frappe.db.get_value("User", user_of(u[2]), "mobile_no"))
		self.assertIn("用户名", reason("第 6 行").reason)
		self.assertIn("散列", reason(u[3]).reason)
		self.assertIn("散列", reason(u[4]).reason)
		self.assertIsNone(user_of(u[3]))
		self.assertIn("不在导入的用户中", reason(self.usccs[2]).reason)
		self.assertFalse(frappe.db.exists("Enterprise", self.usccs[2]))
		self.assertIn("被跳过", reason(u[5]).reason)
		self.assertIsNone(user_of(u[5]))
		self.assertIn("注册资本", reason(self.usccs[0], "已导入，部分值未导入").reason)
		self.assertEqual(frappe.db.get_value("Enterprise", self.usccs[0], "registered_capital"), 0)
		self.assertEqual(doc.rows_skipped, 7)
		report = frappe.get_doc("File", {"file_url": doc.report_file}).get_content()
		self.assertIn("跳过", report if isinstance(report, str) else report.decode("utf-8"))

	def test_markup_in_an_export_is_read_as_plain_text(self):
		"""The importer writes with lean inserts that skip Frappe's own sanitising: markup in an
		export would run in Desk's lists, so it is dropped when the file is read."""
		from gz_innovation.legacy import export

		content = (
			"uscc,enterprise_name,admin_username,address\n"
			'91520100MA6DEM009X,"<img src=x onerror=alert(1)>贵州测试<b>企业</b>",admin1,"<script>x()</script>观山湖区"\n'
		).encode()
		table = export.read(export.ENTERPRISES, "enterprises.csv", content)
		_line, row = table.rows[0]
		self.assertEqual(row["enterprise_name"], "贵州测试企业")
		self.assertEqual(row["address"], "x()观山湖区")
		users = export.read(
			export.USERS,
			"users.csv",
			b"username,full_name,password_hash\nu1,<i>\xe5\xbc\xa0</i>,$2b$12$<kept>verbatim\n",
		)
		self.assertEqual(users.rows[0][1]["full_name"], "张")
		self.assertEqual(users.rows[0][1]["password_hash"], "$2b$12$<kept>verbatim")

	def test_a_file_missing_a_required_column_imports_nothing(self):
		files = {
			export.USERS: ("users.csv", to_csv(["username", "full_name"], [[self.usernames[0], "甲"]])),
		}
		doc = import_files(files)
		self.assertEqual(doc.status, "Failed")
		self.assertIn("password_hash", doc.error)
		self.assertIn("缺少必需的列", doc.error)
		self.assertIsNone(user_of(self.usernames[0]))

	def test_a_line_in_no_known_encoding_is_skipped(self):
		good = self.usernames[0]
		content = to_csv(USERS_HEADER, [[good, "正常", "", MD5_OF_SECRET, "", "", ""]])
		content += b"\xff\xfe\x80bad,\x81\xff,,,,,\n"
		doc = import_files({export.USERS: ("users.csv", content)})
		self.assertTrue(user_of(good))
		bad = [r for r in doc.issues if r.line == 3]
		self.assertEqual(bad[0].action, "跳过")
		self.assertIn("UTF-8", bad[0].reason)

	def test_a_failing_enterprise_leaves_nothing_behind(self):
		admin_a, admin_b, staff_a = self.usernames[:3]
		users = [
			[admin_a, "甲", "", MD5_OF_SECRET, "", "", self.usccs[0]],
			[staff_a, "乙", "", MD5_OF_SECRET, "", "", self.usccs[0]],
			[admin_b, "丙", "", MD5_OF_SECRET, "", "", self.usccs[1]],
		]
		enterprises = [
			[self.usccs[0], "失败企业", admin_a, "贵阳市", "", ""],
			[self.usccs[1], "成功企业", admin_b, "贵阳市", "", ""],
		]
		figures = to_csv(
			["uscc", "year", "revenue"], [[self.usccs[0], "2023", "100"], [self.usccs[1], "2023", "200"]]
		)
		files = {
			export.USERS: ("users.csv", to_csv(USERS_HEADER, users)),
			export.ENTERPRISES: ("enterprises.csv", to_csv(ENTERPRISES_HEADER, enterprises)),
			export.INDICATORS: ("indicators.csv", figures),
		}
		original = importer.Importer.write_figures

		def fail_for_first(self, enterprise, year, values):
			if enterprise == self_usccs[0]:
				raise frappe.ValidationError("磁盘已满")  # a failure after the users were written
			return original(self, enterprise, year, values)

		self_usccs = self.usccs
		with patch.object(importer.Importer, "write_figures", fail_for_first):
			doc = import_files(files)
		self.assertFalse(frappe.db.exists("Enterprise", self.usccs[0]))
		self.assertIsNone(user_of(admin_a))
		self.assertIsNone(user_of(staff_a))
		self.assertFalse(frappe.db.exists("User Permission", {"for_value": self.usccs[0]}))
		self.assertTrue(frappe.db.exists("Enterprise", self.usccs[1]))
		self.assertTrue(user_of(admin_b))
		skipped = {r.record for r in doc.issues if r.action == "跳过" and "磁盘已满" in r.reason}
		self.assertEqual(skipped, {self.usccs[0], admin_a, staff_a, f"{self.usccs[0]} 2023"})
		# Run again without the failure: the enterprise arrives whole.
		again = import_files(files)
		self.assertEqual(again.enterprises_created, 1)
		self.assertEqual(
			frappe.db.get_value("Enterprise", self.usccs[0], "enterprise_admin"), user_of(admin_a)
		)


class TestBothWaysIn(FrappeTestCase):
	"""The Desk's Legacy Import (attach, 开始导入, background job) and the bench command."""

	def setUp(self):
		frappe.local.lang = "zh"
		self.usernames = ["lg_" + secrets.token_hex(4) for _ in range(2)]
		self.uscc = new_uscc()
		self.addCleanup(delete_legacy_data, self.usernames, [self.uscc])
		self.users_csv = to_csv(
			USERS_HEADER,
			[[u, "桌面导入", "", MD5_OF_SECRET, "", "", self.uscc] for u in self.usernames],
		)
		self.enterprises_csv = to_csv(
			ENTERPRISES_HEADER, [[self.uscc, "桌面导入测试企业", self.usernames[0], "贵阳市", "", ""]]
		)

	def attach(self, doc, fieldname: str, file_name: str, content: bytes) -> None:
		file_doc = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"attached_to_doctype": "Legacy Import",
				"attached_to_name": doc.name,
				"attached_to_field": fieldname,
				"is_private": 1,
				"content": content,
			}
		).insert(ignore_permissions=True)
		doc.db_set(fieldname, file_doc.file_url)

	def test_desk_start_queues_a_job_that_imports_the_attached_files(self):
		from gz_innovation.legacy import imports

		doc = frappe.get_doc({"doctype": "Legacy Import"}).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "请至少上传用户文件或企业文件"):
			imports.start(doc.name)
		self.attach(doc, "users_file", "users.csv", self.users_csv)
		self.attach(doc, "enterprises_file", "enterprises.csv", self.enterprises_csv)
		frappe.db.commit()  # nosemgrep: the files are attached in an earlier request
		self.assertEqual(imports.start(doc.name), {"status": "Queued"})
		self.assertEqual(frappe.db.get_value("Legacy Import", doc.name, "status"), "Queued")
		with self.assertRaisesRegex(frappe.ValidationError, "该导入正在进行中"):
			imports.start(doc.name)
		# The job is enqueued when the request commits; here the test runs it itself, as the
		# worker of the long queue would, and drops the request so no worker picks it up as well.
		frappe.db.rollback()
		imports.run_job(doc.name)
		doc.reload()
		self.assertEqual((doc.status, doc.users_created, doc.enterprises_created), ("Completed", 2, 1))
		self.assertEqual(
			frappe.db.get_value("Enterprise", self.uscc, "enterprise_admin"), user_of(self.usernames[0])
		)

	def test_only_system_managers_start_an_import(self):
		from gz_innovation.accounts.tests.utils import create_user, delete_users
		from gz_innovation.legacy import imports

		doc = frappe.get_doc({"doctype": "Legacy Import"}).insert()
		outsider = create_user()
		self.addCleanup(delete_users, [outsider])
		frappe.set_user(outsider)
		try:
			with self.assertRaises(frappe.PermissionError):
				imports.start(doc.name)
		finally:
			frappe.set_user("Administrator")

	def test_the_bench_command_imports_a_folder(self):
		import os
		import subprocess
		import tempfile

		with tempfile.TemporaryDirectory() as folder:
			for name, content in (("users.csv", self.users_csv), ("enterprises.csv", self.enterprises_csv)):
				with open(os.path.join(folder, name), "wb") as f:
					f.write(content)
			report = os.path.join(folder, "report.csv")
			bench = frappe.utils.get_bench_path()
			completed = subprocess.run(
				[
					os.path.join(bench, "env", "bin", "python"),
					"-m",
					"frappe.utils.bench_helper",
					"frappe",
					"--site",
					frappe.local.site,
					"gz-import-legacy",
					folder,
					"--report",
					report,
				],
				cwd=os.path.join(bench, "sites"),
				capture_output=True,
				text=True,
				timeout=300,
			)
			self.assertEqual(completed.returncode, 0, completed.stderr[-2000:])
			self.assertIn("users 2 created", completed.stdout)
			with open(report, encoding="utf-8-sig") as f:
				self.assertIn("原因", f.read())
		frappe.db.rollback()  # see what the command committed
		self.assertTrue(frappe.db.exists("Enterprise", self.uscc))
		self.assertTrue(user_of(self.usernames[1]))


class TestPatches(FrappeTestCase):
	"""The legacy data moves of patches.txt are safe to run again."""

	def setUp(self):
		frappe.local.lang = "zh"
		delete_sample()
		import_files(sample_files())
		self.addCleanup(delete_sample)

	def test_both_patches_run_twice_without_harm(self):
		from frappe.utils.password import update_password

		from gz_innovation.patches.v1_1 import drop_replaced_legacy_hashes, flag_legacy_uscc_failing_the_check

		user = user_of("guizhu_liu")
		# A password set in Desk (Frappe's own update) leaves the legacy hash behind until the patch.
		update_password(user, "Desk#Pass2026")
		frappe.db.set_value("Enterprise", ZHIYUAN, "uscc_flagged", 0)
		for _ in range(2):
			drop_replaced_legacy_hashes.execute()
			flag_legacy_uscc_failing_the_check.execute()
		self.assertFalse(
			get_decrypted_password("Legacy Account", user, "password_hash", raise_exception=False)
		)
		self.assertTrue(frappe.db.get_value("Legacy Account", user, "password_upgraded_on"))
		other = user_of("guizhu_admin")
		self.assertTrue(
			get_decrypted_password("Legacy Account", other, "password_hash", raise_exception=False)
		)
		self.assertEqual(frappe.db.get_value("Enterprise", ZHIYUAN, "uscc_flagged"), 1)
		self.assertEqual(frappe.db.get_value("Enterprise", sample_usccs()[1], "uscc_flagged"), 0)
