"""Import the previous platform's export (manual §1.7, 针对老用户): users keep their username and
password, their enterprises arrive certified (科技创新企业) and flagged 需更新完善.

One module for the bench command and the Desk's Legacy Import: `import_export(tables)`.

- An enterprise, its users, admin link and figures are one unit: written inside a savepoint and
  rolled back whole on any error, so no partial enterprise is ever left.
- Idempotent: users are matched by username, enterprises by 统一社会信用代码. A second run of the same
  export changes nothing; a corrected export updates only records nobody has touched since
  (an enterprise whose admin has completed its data keeps the admin's values; a password already
  moved to the new system is never replaced by a legacy hash again).
- Every row skipped, and every value dropped, is reported with the reason.

Users are written with the lean inserts Frappe's own bulk paths use (db_insert), not User.insert():
that would throttle after 60 users an hour, and enqueue a contact and a gravatar lookup per user.
The checks User.validate makes that matter here (unique username, e-mail shape) are made below.
"""

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.model.naming import set_new_name
from frappe.utils import cint, flt, getdate, now_datetime, validate_email_address
from frappe.utils.password import decrypt, encrypt

from gz_innovation.accounts.registration import PERSONAL_USER_ROLE, PLACEHOLDER_EMAIL_DOMAIN
from gz_innovation.accounts.rules import MOBILE_PATTERN
from gz_innovation.cultivation.fields import is_yes_no
from gz_innovation.enterprise import choices
from gz_innovation.enterprise.certification import CERTIFIED
from gz_innovation.enterprise.roles import ADMIN_ROLE, STAFF_ROLE
from gz_innovation.enterprise.uscc import find_problem
from gz_innovation.enterprise.uscc import normalize as normalize_uscc
from gz_innovation.enterprise.validation import (
	EnterpriseInputError,
	validate_county_in_city,
	validate_value,
)
from gz_innovation.legacy import hashes
from gz_innovation.legacy.export import ENTERPRISES, INDICATORS, USERS, Table

LEGACY_BUSINESS_TYPE = "科技创新服务平台"
# The enterprise columns of the previous platform's export (fixed by that export, not by our form).
ENTERPRISE_FIELDS = (
	"enterprise_name",
	"industry",
	"ownership_type",
	"registration_date",
	"registered_capital",
	"annual_revenue",
	"rd_expenditure",
	"city",
	"county",
	"address",
	"contact_person",
	"contact_phone",
	"contact_email",
	"introduction",
	"main_products",
)
COMMIT_EVERY = 200  # units per transaction
MAX_USERNAME = 140

SKIPPED = "skipped"
IMPORTED_WITH_CHANGES = "imported, value dropped"
FLAGGED = "imported, flagged"
KEPT = "kept"
ACTIONS = {
	SKIPPED: "跳过",
	IMPORTED_WITH_CHANGES: "已导入，部分值未导入",
	FLAGGED: "已导入，已标记待更正",
	KEPT: "保留新系统数据",
}


@dataclass
class Issue:
	file_name: str
	line: int
	record: str
	action: str
	reason: str


@dataclass
class Result:
	counts: dict = field(
		default_factory=lambda: dict.fromkeys(
			(
				"users_created",
				"users_updated",
				"users_unchanged",
				"enterprises_created",
				"enterprises_updated",
				"enterprises_unchanged",
				"figures_imported",
			),
			0,
		)
	)
	issues: list[Issue] = field(default_factory=list)

	@property
	def rows_skipped(self) -> int:
		return len({(i.file_name, i.line) for i in self.issues if i.action == SKIPPED})

	@property
	def rows_with_warnings(self) -> int:
		return len({(i.file_name, i.line) for i in self.issues if i.action != SKIPPED})

	def report_csv(self, title: str = "") -> str:
		out = io.StringIO()
		writer = csv.writer(out)
		if title:
			writer.writerow([title])
		writer.writerow(["文件", "行号", "记录", "处理", "原因"])
		for i in self.issues:
			writer.writerow([i.file_name, i.line or "", i.record, ACTIONS.get(i.action, i.action), i.reason])
		return "\ufeff" + out.getvalue()  # BOM: Excel on Chinese Windows opens it as UTF-8


@dataclass
class UserRow:
	line: int
	username: str
	full_name: str
	mobile: str | None
	email: str | None
	enabled: int
	legacy_id: str | None
	scheme: str
	password_hash: str
	salt: str
	enterprise_uscc: str | None


@dataclass
class Unit:
	"""One enterprise with its users and figures, or one user without an enterprise."""

	uscc: str | None = None
	line: int = 0
	values: dict = field(default_factory=dict)
	flagged: bool = False
	admin: str | None = None  # username
	users: list[UserRow] = field(default_factory=list)
	figures: list[tuple[int, int, dict]] = field(default_factory=list)  # (line, year, values)


class Importer:
	def __init__(
		self,
		tables: dict[str, Table],
		progress: Callable[[int, int], None] | None = None,
		import_name: str | None = None,
	):
		self.tables = tables
		self.progress = progress or (lambda done, total: None)
		self.import_name = import_name
		self.result = Result()
		self._pending = defaultdict(list)  # doctype -> rows waiting for the unit's INSERTs
		self._pending_secrets = []
		self.now = now_datetime()
		self.admin_of: dict[str, str] = {}  # admin username (lower case) -> uscc
		self.skipped_enterprises: dict[str, int] = {}  # uscc -> line
		self._load_existing()

	# --- reporting ---------------------------------------------------------------------------

	def issue(self, kind: str, line: int, record: str, action: str, reason: str) -> None:
		file_name = self.tables[kind].file_name if kind in self.tables else kind
		self.result.issues.append(Issue(file_name, line, record, action, reason))

	# --- what the site already holds -------------------------------------------------------

	def _load_existing(self) -> None:
		"""What the site holds, read once: per-row queries would make a large import crawl."""
		users = frappe.get_all("User", fields=["name", "username", "mobile_no", "first_name", "enabled"])
		self.users = {u.name: u for u in users}
		self.user_by_username = {(u.username or "").lower(): u.name for u in users if u.username}
		self.user_by_mobile = {u.mobile_no: u.name for u in users if u.mobile_no}
		self.user_names = {u.name.lower() for u in users}
		self.legacy_by_user = {
			a.user: a
			for a in frappe.get_all(
				"Legacy Account",
				fields=["name", "user", "enterprise", "password_scheme", "password_upgraded_on"],
			)
		}
		self.enterprises = {
			e.name: e
			for e in frappe.get_all(
				"Enterprise",
				fields=["name", "is_legacy", "needs_update", "enterprise_admin", *ENTERPRISE_FIELDS],
			)
		}
		self.memberships = set(
			frappe.get_all(
				"User Permission", filters={"allow": "Enterprise"}, fields=["user", "for_value"], as_list=True
			)
		)
		self.roles = defaultdict(set)
		for user, role in frappe.get_all(
			"Has Role", filters={"parenttype": "User"}, fields=["parent", "role"], as_list=True
		):
			self.roles[user].add(role)
		self.stored_secrets = defaultdict(dict)  # Legacy Account -> {fieldname: encrypted value}
		for name, fieldname, value in frappe.db.sql(
			"select name, fieldname, password from `__Auth` where doctype = 'Legacy Account'"
		):
			self.stored_secrets[name][fieldname] = value
		self.figures = {
			(r.enterprise, r.year): r
			for r in frappe.get_all(
				"Legacy Indicator Record", fields=["name", "enterprise", "year", "figures"]
			)
		}
		self.time_zone = frappe.db.get_single_value("System Settings", "time_zone") or "Asia/Shanghai"
		from gz_innovation.cultivation.submission import figure_fields

		meta = frappe.get_meta("Cultivation Submission")
		self.figure_fields = {f: meta.get_field(f) for f in figure_fields()}

	# --- reading and checking rows ------------------------------------------------------------

	def run(self) -> Result:
		units, personal = self.plan()
		total = sum(len(u.users) + 1 + len(u.figures) for u in units) + len(personal) or 1
		done = 0
		for number, unit in enumerate(units + personal, start=1):
			self.write_unit(unit)
			done += len(unit.users) + len(unit.figures) + (1 if unit.uscc else 0)
			if number % COMMIT_EVERY == 0:
				frappe.db.commit()
				self.progress(done, total)
		frappe.db.commit()
		self.progress(total, total)
		frappe.cache.delete_value("user_permissions")
		return self.result

	def plan(self) -> tuple[list[Unit], list[Unit]]:
		for kind, table in self.tables.items():
			for line, note in table.notes:
				self.issue(kind, line, "", IMPORTED_WITH_CHANGES, note)
			for line in sorted(table.bad_lines):
				self.issue(kind, line, "", SKIPPED, _("The line is neither UTF-8 nor GBK text"))
		users = self.read_users()
		units = self.read_enterprises(users)
		by_uscc = {u.uscc: u for u in units}
		enterprises_file = self.tables[ENTERPRISES].file_name if ENTERPRISES in self.tables else None
		for issue in self.result.issues:
			if (
				issue.file_name == enterprises_file
				and issue.action == SKIPPED
				and issue.record not in by_uscc
			):
				self.skipped_enterprises.setdefault(issue.record, issue.line)
		self.read_figures(units)
		by_uscc = {u.uscc: u for u in units}
		personal = []
		for row in users.values():
			if row.username.lower() in self.admin_of:
				continue
			if row.enterprise_uscc in self.skipped_enterprises:
				self.issue(
					USERS,
					row.line,
					row.username,
					SKIPPED,
					_(
						"enterprise_uscc: the enterprise (line {0} of the enterprises file) was skipped"
					).format(self.skipped_enterprises[row.enterprise_uscc]),
				)
				continue
			unit = by_uscc.get(row.enterprise_uscc) if row.enterprise_uscc else None
			if unit is not None:
				unit.users.append(row)
				continue
			if row.enterprise_uscc and row.enterprise_uscc in self.enterprises:
				# Staff of an enterprise imported earlier.
				unit = Unit(uscc=row.enterprise_uscc, line=0, values=None)
				unit.users.append(row)
				personal.append(unit)
				continue
			if row.enterprise_uscc:
				self.issue(
					USERS,
					row.line,
					row.username,
					IMPORTED_WITH_CHANGES,
					_("Enterprise {0} is not in the export: imported as a personal user").format(
						row.enterprise_uscc
					),
				)
			personal.append(Unit(users=[row]))
		return units, personal

	def read_users(self) -> dict[str, UserRow]:
		table = self.tables.get(USERS)
		rows: dict[str, UserRow] = {}
		if not table:
			return rows
		seen_mobiles: dict[str, str] = {}
		for line, raw in table.rows:
			username = raw.get("username", "")
			record = username or _("line {0}").format(line)
			if not username:
				self.issue(USERS, line, record, SKIPPED, _("username: empty"))
				continue
			if len(username) > MAX_USERNAME or re.search(r"\s", username):
				self.issue(USERS, line, record, SKIPPED, _("username: contains spaces or is too long"))
				continue
			key = username.lower()
			if key in rows:
				self.issue(
					USERS,
					line,
					record,
					SKIPPED,
					_("username: the same as line {0} (usernames are unique, case does not count)").format(
						rows[key].line
					),
				)
				continue
			existing = self.user_by_username.get(key)
			if existing and existing not in self.legacy_by_user:
				self.issue(
					USERS, line, record, SKIPPED, _("username: already used by an account of the new system")
				)
				continue
			scheme, password_hash, salt = (
				raw.get("password_scheme", ""),
				raw.get("password_hash", ""),
				raw.get("password_salt", ""),
			)
			if password_hash:
				try:
					scheme = hashes.identify(password_hash, scheme, salt or None)
				except hashes.UnknownScheme:
					self.issue(
						USERS,
						line,
						record,
						SKIPPED,
						_(
							"password_hash: the hash scheme is not recognised ({0}); set password_scheme"
						).format(raw.get("password_scheme") or _("none given")),
					)
					continue
			else:
				self.issue(
					USERS,
					line,
					record,
					IMPORTED_WITH_CHANGES,
					_("password_hash: empty; the user sets a password with an SMS code (忘记密码)"),
				)
			mobile = self.clean_mobile(raw.get("mobile", ""), line, record, existing, seen_mobiles)
			email = (raw.get("email") or "").strip().lower() or None
			if email and not validate_email_address(email):
				self.issue(
					USERS, line, record, IMPORTED_WITH_CHANGES, _("email: not a valid address, not imported")
				)
				email = None
			full_name = raw.get("full_name") or ""
			if not full_name:
				self.issue(
					USERS, line, record, IMPORTED_WITH_CHANGES, _("full_name: empty, the username is shown")
				)
				full_name = username
			enabled = (raw.get("enabled") or "1").strip().lower() not in (
				"0",
				"false",
				"否",
				"禁用",
				"停用",
				"no",
			)
			uscc = normalize_uscc(raw.get("enterprise_uscc") or "") or None
			rows[key] = UserRow(
				line=line,
				username=username,
				full_name=full_name[:140],
				mobile=mobile,
				email=email,
				enabled=int(enabled),
				legacy_id=raw.get("legacy_id") or None,
				scheme=scheme if password_hash else "",
				password_hash=password_hash,
				salt=salt,
				enterprise_uscc=uscc,
			)
			if mobile:
				seen_mobiles[mobile] = username
		return rows

	def clean_mobile(self, mobile, line, record, existing_user, seen) -> str | None:
		mobile = re.sub(r"[\s-]", "", mobile or "")
		mobile = re.sub(r"^(\+?86)(?=1\d{10}$)", "", mobile)
		if not mobile:
			return None
		if not MOBILE_PATTERN.match(mobile):
			self.issue(
				USERS,
				line,
				record,
				IMPORTED_WITH_CHANGES,
				_("mobile: {0} is not a mobile number, not imported").format(mobile),
			)
			return None
		owner = self.user_by_mobile.get(mobile)
		if (owner and owner != existing_user) or mobile in seen:
			self.issue(
				USERS,
				line,
				record,
				IMPORTED_WITH_CHANGES,
				_("mobile: {0} already belongs to another account, not imported").format(mobile),
			)
			return None
		return mobile

	def read_enterprises(self, users: dict[str, UserRow]) -> list[Unit]:
		table = self.tables.get(ENTERPRISES)
		units: dict[str, Unit] = {}
		if not table:
			return []
		for line, raw in table.rows:
			uscc = normalize_uscc(raw.get("uscc") or "")
			record = uscc or raw.get("enterprise_name") or _("line {0}").format(line)
			if not uscc:
				self.issue(ENTERPRISES, line, record, SKIPPED, _("uscc: empty"))
				continue
			if len(uscc) > 30:
				self.issue(ENTERPRISES, line, record, SKIPPED, _("uscc: too long to be a code"))
				continue
			if uscc in units:
				self.issue(
					ENTERPRISES,
					line,
					record,
					SKIPPED,
					_("uscc: the same as line {0}").format(units[uscc].line),
				)
				continue
			if not raw.get("enterprise_name"):
				self.issue(ENTERPRISES, line, record, SKIPPED, _("enterprise_name: empty"))
				continue
			existing = self.enterprises.get(uscc)
			if existing and not existing.is_legacy:
				self.issue(
					ENTERPRISES,
					line,
					record,
					SKIPPED,
					_(
						"uscc: the enterprise has applied or been certified in the new system; not overwritten"
					),
				)
				continue
			admin = (raw.get("admin_username") or "").lower()
			if admin not in users and not self._existing_legacy_user(admin):
				self.issue(
					ENTERPRISES,
					line,
					record,
					SKIPPED,
					_("admin_username: {0} is not among the imported users (missing or skipped)").format(
						raw.get("admin_username") or _("empty")
					),
				)
				continue
			if admin in self.admin_of:
				self.issue(
					ENTERPRISES,
					line,
					record,
					SKIPPED,
					_("admin_username: {0} is already the admin of {1}").format(admin, self.admin_of[admin]),
				)
				continue
			unit = Unit(uscc=uscc, line=line)
			unit.values = self.clean_enterprise_values(raw, line, record)
			if find_problem(uscc):
				unit.flagged = True
				self.issue(
					ENTERPRISES,
					line,
					record,
					FLAGGED,
					_(
						"uscc: fails the GB 32100-2015 check; imported and flagged for the enterprise to correct"
					),
				)
			unit.admin = admin
			if admin in users:
				unit.users.append(users[admin])
			self.admin_of[admin] = uscc
			units[uscc] = unit
		return list(units.values())

	def _existing_legacy_user(self, username_lower: str) -> str | None:
		user = self.user_by_username.get(username_lower)
		return user if user in self.legacy_by_user else None

	def clean_enterprise_values(self, raw: dict, line: int, record: str) -> dict:
		values = {}
		for fieldname in ENTERPRISE_FIELDS:
			value = raw.get(fieldname)
			if value in (None, ""):
				continue
			value = self.coerce_enterprise_value(fieldname, value)
			if fieldname in choices.FIELD_LISTS:
				# The previous platform's own words (所属行业) are kept as they were; the admin chooses
				# from the list when completing the data (需更新完善).
				values[fieldname] = value
				continue
			try:
				validate_value(fieldname, value)
			except EnterpriseInputError as e:
				frappe.clear_messages()
				self.issue(ENTERPRISES, line, record, IMPORTED_WITH_CHANGES, _("{0}; not imported").format(e))
				continue
			values[fieldname] = value
		try:
			validate_county_in_city(frappe._dict(values))
		except EnterpriseInputError as e:
			frappe.clear_messages()
			self.issue(ENTERPRISES, line, record, IMPORTED_WITH_CHANGES, _("{0}; not imported").format(e))
			values.pop("county")
		return values

	def coerce_enterprise_value(self, fieldname: str, value: str):
		df = frappe.get_meta("Enterprise").get_field(fieldname)
		if df.fieldtype == "Float":
			return value.replace(",", "").replace("万元", "").strip()
		if df.fieldtype == "Date":
			try:
				return str(getdate(value.replace("/", "-").split(" ")[0]))
			except Exception:
				return value
		if df.fieldtype == "Select":
			options = (df.options or "").split("\n")
			if value not in options and value + "企业" in options:
				return value + "企业"  # the previous platform wrote 民营 for 民营企业
		if fieldname == "contact_phone":
			return re.sub(r"\s", "", value)
		return value

	def read_figures(self, units: list[Unit]) -> None:
		table = self.tables.get(INDICATORS)
		if not table:
			return
		by_uscc = {u.uscc: u for u in units}
		known = set(self.figure_fields)
		unknown = [c for c in table.columns if c not in known and c not in ("uscc", "year")]
		if unknown:
			self.issue(
				INDICATORS,
				0,
				"",
				IMPORTED_WITH_CHANGES,
				_("These columns are not indicator fields and were ignored: {0}").format(", ".join(unknown)),
			)
		seen = {}
		for line, raw in table.rows:
			uscc = normalize_uscc(raw.get("uscc") or "")
			year = cint(raw.get("year"))
			record = f"{uscc} {raw.get('year') or ''}".strip()
			if not 1990 <= year <= 2100:
				self.issue(INDICATORS, line, record, SKIPPED, _("year: not a year"))
				continue
			unit = by_uscc.get(uscc)
			if unit is None and uscc in self.enterprises and self.enterprises[uscc].is_legacy:
				unit = Unit(uscc=uscc, values=None)
				by_uscc[uscc] = unit
				units.append(unit)
			if unit is None:
				self.issue(INDICATORS, line, record, SKIPPED, _("uscc: the enterprise is not imported"))
				continue
			if (uscc, year) in seen:
				self.issue(
					INDICATORS,
					line,
					record,
					SKIPPED,
					_("the same enterprise and year as line {0}").format(seen[uscc, year]),
				)
				continue
			seen[uscc, year] = line
			unit.figures.append((line, year, self.clean_figures(raw, line, record)))

	def clean_figures(self, raw: dict, line: int, record: str) -> dict:
		from gz_innovation.utils import MAX_AMOUNT, MAX_COUNT

		values = {}
		for fieldname, df in self.figure_fields.items():
			value = (raw.get(fieldname) or "").replace(",", "").strip()
			if value == "":
				continue
			label = _(df.label)
			if df.fieldtype == "Check" or is_yes_no(df):  # stored as 1/0, read as 是/否 by the form
				lowered = value.lower()
				if lowered in ("1", "是", "yes", "true", "y"):
					values[fieldname] = 1
				elif lowered in ("0", "否", "no", "false", "n"):
					values[fieldname] = 0
				else:
					self.issue(
						INDICATORS,
						line,
						record,
						IMPORTED_WITH_CHANGES,
						_("{0}: {1} is not 是/否; not imported").format(label, value),
					)
				continue
			try:
				number = float(value)
			except ValueError:
				self.issue(
					INDICATORS,
					line,
					record,
					IMPORTED_WITH_CHANGES,
					_("{0}: {1} is not a number; not imported").format(label, value),
				)
				continue
			limit = MAX_COUNT if df.fieldtype == "Int" else MAX_AMOUNT
			if number < 0 or number > limit or number != number:
				self.issue(
					INDICATORS,
					line,
					record,
					IMPORTED_WITH_CHANGES,
					_("{0}: {1} is out of range; not imported").format(label, value),
				)
				continue
			if df.fieldtype == "Int" and number != int(number):
				self.issue(
					INDICATORS,
					line,
					record,
					IMPORTED_WITH_CHANGES,
					_("{0}: {1} is not a whole number; not imported").format(label, value),
				)
				continue
			values[fieldname] = int(number) if df.fieldtype == "Int" else flt(number)
		return values

	# --- writing ------------------------------------------------------------------------------

	def write_unit(self, unit: Unit) -> None:
		savepoint = "gz_legacy_unit"
		frappe.db.savepoint(savepoint)
		counts_before = dict(self.result.counts)
		issues_before = len(self.result.issues)
		try:
			# Users first: a new enterprise is written with its admin (rows are inserted at flush).
			for row in unit.users:
				role = (
					ADMIN_ROLE
					if unit.values is not None and row.username.lower() == unit.admin
					else STAFF_ROLE
				)
				self.write_user(row, unit.uscc, role if unit.uscc else None)
			if unit.uscc and unit.values is not None:
				self.write_enterprise(unit)
			if unit.uscc and unit.admin and unit.values is not None:
				self.link_admin(unit)
			for _line, year, values in unit.figures:
				self.write_figures(unit.uscc, year, values)
			self.flush()
		except Exception as e:
			self._pending = defaultdict(list)
			self._pending_secrets = []
			frappe.db.rollback(save_point=savepoint)
			frappe.clear_messages()
			self.result.counts = counts_before
			del self.result.issues[issues_before:]
			reason = _("not imported, nothing of it was kept: {0}").format(
				frappe.utils.strip_html(str(e)) or type(e).__name__
			)
			if unit.uscc and unit.values is not None:
				self.issue(ENTERPRISES, unit.line, unit.uscc, SKIPPED, reason)
			for row in unit.users:
				self.issue(USERS, row.line, row.username, SKIPPED, reason)
			for line, year, _values in unit.figures:
				self.issue(INDICATORS, line, f"{unit.uscc} {year}", SKIPPED, reason)
			# Lookups filled during the failed unit must not point at rolled-back rows.
			self._load_existing()

	def write_enterprise(self, unit: Unit) -> None:
		existing = self.enterprises.get(unit.uscc)
		if existing is None:
			doc = frappe.new_doc("Enterprise")
			doc.update(unit.values)
			doc.update(
				{
					"uscc": unit.uscc,
					"certification_status": CERTIFIED,
					"certification_step": 6,
					"needs_update": 1,
					"uscc_flagged": int(unit.flagged),
					"is_legacy": 1,
				}
			)
			doc.append(
				"business_authorizations",
				{
					"business_type": LEGACY_BUSINESS_TYPE,
					"details": _("Imported from the previous 科技创新服务平台"),
				},
			)
			doc.enterprise_admin = doc.applicant = self.user_by_username.get(unit.admin or "")
			doc.name = unit.uscc
			self._db_insert(doc)
			self.enterprises[unit.uscc] = frappe._dict(
				unit.values,
				name=unit.uscc,
				is_legacy=1,
				needs_update=1,
				enterprise_admin=doc.enterprise_admin,
			)
			self.result.counts["enterprises_created"] += 1
			return
		changed = {k: v for k, v in unit.values.items() if not _same(existing.get(k), v)}
		if not changed:
			self.result.counts["enterprises_unchanged"] += 1
			return
		if not existing.needs_update:
			self.issue(
				ENTERPRISES,
				unit.line,
				unit.uscc,
				KEPT,
				_(
					"the enterprise has completed its data in the new system; the export's values were not applied"
				),
			)
			self.result.counts["enterprises_unchanged"] += 1
			return
		frappe.db.set_value("Enterprise", unit.uscc, changed)
		existing.update(changed)
		self.result.counts["enterprises_updated"] += 1

	def write_user(self, row: UserRow, enterprise: str | None, role: str | None) -> None:
		user = self.user_by_username.get(row.username.lower())
		if user is None:
			user = self.insert_user(row, role, enterprise)
			self.result.counts["users_created"] += 1
		else:
			self.update_user(user, row, role)
		if enterprise:
			self.add_membership(user, enterprise, role)

	def insert_user(self, row: UserRow, role: str | None, enterprise: str | None) -> str:
		email = row.email if row.email and row.email not in self.user_names else None
		if row.email and not email:
			self.issue(
				USERS,
				row.line,
				row.username,
				IMPORTED_WITH_CHANGES,
				_("email: already used by another account, not imported"),
			)
		if not email:
			email = placeholder_email(row)
		doc = frappe.new_doc("User")
		doc.update(
			{
				"email": email,
				"first_name": row.full_name,
				"full_name": row.full_name,
				"username": row.username,
				"mobile_no": row.mobile,
				"enabled": row.enabled,
				"user_type": "Website User",
				"send_welcome_email": 0,
				"language": frappe.conf.get("lang") or "zh",
				"time_zone": self.time_zone,
			}
		)
		doc.name = email
		for r in filter(None, (PERSONAL_USER_ROLE, role)):
			doc.append("roles", {"role": r})
		doc.set_social_login_userid("frappe", frappe.generate_hash(length=39))
		self._db_insert(doc)
		# What User.on_update would add: the user may read and edit their own User record.
		share = frappe.new_doc("DocShare")
		share.update(
			{"user": email, "share_doctype": "User", "share_name": email, "read": 1, "write": 1, "share": 1}
		)
		self._db_insert(share)
		account = frappe.new_doc("Legacy Account")
		account.update(
			{
				"user": email,
				"legacy_username": row.username,
				"legacy_id": row.legacy_id,
				"enterprise": enterprise,
				"password_scheme": row.scheme,
				"imported_on": self.now,
				"last_import": self.import_name,
			}
		)
		account.name = email
		self._db_insert(account)
		self._store_hash(email, row)
		self.user_by_username[row.username.lower()] = email
		self.user_names.add(email)
		if row.mobile:
			self.user_by_mobile[row.mobile] = email
		self.legacy_by_user[email] = frappe._dict(
			name=email,
			user=email,
			enterprise=enterprise,
			password_scheme=row.scheme,
			password_upgraded_on=None,
		)
		self.users[email] = frappe._dict(
			name=email, first_name=row.full_name, mobile_no=row.mobile, enabled=row.enabled
		)
		self.roles[email] = {r.role for r in doc.roles}
		return email

	def update_user(self, user: str, row: UserRow, role: str | None) -> None:
		current = self.users[user]
		wanted = {"first_name": row.full_name, "enabled": row.enabled}
		if row.mobile:
			wanted["mobile_no"] = row.mobile
		changed = {k: v for k, v in wanted.items() if not _same(current.get(k), v)}
		if "first_name" in changed:
			changed["full_name"] = row.full_name
		account = self.legacy_by_user[user]
		hash_changed = False
		if not account.password_upgraded_on and row.password_hash:
			secrets = self.stored_secrets.get(account.name, {})
			stored = _decrypt(secrets.get("password_hash"))
			stored_salt = _decrypt(secrets.get("password_salt")) or ""
			hash_changed = (stored, stored_salt, account.password_scheme) != (
				row.password_hash,
				row.salt,
				row.scheme,
			)
		roles_missing = [r for r in filter(None, (PERSONAL_USER_ROLE, role)) if r not in self.roles[user]]
		if not (changed or hash_changed or roles_missing):
			self.result.counts["users_unchanged"] += 1
			return
		if changed:
			frappe.db.set_value("User", user, changed)
			current.update(changed)
		if hash_changed:
			frappe.db.set_value(
				"Legacy Account",
				account.name,
				{"password_scheme": row.scheme, "last_import": self.import_name},
			)
			self._store_hash(account.name, row)
		if roles_missing:
			doc = frappe.get_doc("User", user)
			doc.flags.ignore_permissions = True
			doc.add_roles(*roles_missing)
			self.roles[user].update(roles_missing)
		frappe.clear_cache(user=user)
		self.result.counts["users_updated"] += 1

	def _store_hash(self, account: str, row: UserRow) -> None:
		if not row.password_hash:
			return
		self._queue_secret(account, "password_hash", row.password_hash)
		if row.salt:
			self._queue_secret(account, "password_salt", row.salt)
		elif "password_salt" in self.stored_secrets.get(account, {}):
			frappe.db.delete(
				"__Auth", {"doctype": "Legacy Account", "name": account, "fieldname": "password_salt"}
			)

	def add_membership(self, user: str, enterprise: str, role: str | None) -> None:
		if (user, enterprise) in self.memberships:
			return
		permission = frappe.new_doc("User Permission")
		permission.update(
			{
				"user": user,
				"allow": "Enterprise",
				"for_value": enterprise,
				"is_default": 1,
				"apply_to_all_doctypes": 1,
			}
		)
		self._db_insert(permission)
		self.memberships.add((user, enterprise))
		account = self.legacy_by_user.get(user)
		if account and account.enterprise != enterprise:
			frappe.db.set_value(
				"Legacy Account", account.name, "enterprise", enterprise, update_modified=False
			)
			account.enterprise = enterprise

	def link_admin(self, unit: Unit) -> None:
		admin = self.user_by_username[unit.admin]
		if not any(row.username.lower() == unit.admin for row in unit.users):
			# The admin came with an earlier export: link them here too.
			self.add_membership(admin, unit.uscc, ADMIN_ROLE)
			frappe.get_doc("User", admin).add_roles(ADMIN_ROLE)
		if not self.enterprises[unit.uscc].enterprise_admin:
			frappe.db.set_value(
				"Enterprise",
				unit.uscc,
				{"enterprise_admin": admin, "applicant": admin},
				update_modified=False,
			)
			self.enterprises[unit.uscc].enterprise_admin = admin

	def write_figures(self, enterprise: str, year: int, values: dict) -> None:
		existing = self.figures.get((enterprise, year))
		if existing:
			if frappe.parse_json(existing.figures or "{}") == values:
				return
			frappe.db.set_value(
				"Legacy Indicator Record",
				existing.name,
				{"figures": frappe.as_json(values), "imported_on": self.now, "last_import": self.import_name},
			)
			existing.figures = frappe.as_json(values)
		else:
			doc = frappe.new_doc("Legacy Indicator Record")
			doc.update(
				{
					"enterprise": enterprise,
					"year": year,
					"figures": frappe.as_json(values),
					"imported_on": self.now,
					"last_import": self.import_name,
				}
			)
			doc.name = f"{enterprise}-{year}"
			self._db_insert(doc)
			self.figures[enterprise, year] = frappe._dict(name=doc.name, figures=doc.figures)
		self.result.counts["figures_imported"] += 1

	def _db_insert(self, doc) -> None:
		"""Queue the document and its child rows; `flush` writes a unit's rows with one INSERT per table."""
		doc.set_user_and_timestamp()
		doc.set_parent_in_children()
		for d in (doc, *doc.get_all_children()):
			if not d.name:
				set_new_name(d)
			self._pending[d.doctype].append(d.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True))

	def _queue_secret(self, account: str, fieldname: str, value: str) -> None:
		self._pending_secrets.append(("Legacy Account", account, fieldname, encrypt(value)))

	def flush(self) -> None:
		for doctype, rows in self._pending.items():
			fields = list(rows[0])
			frappe.db.bulk_insert(doctype, fields, [tuple(row.get(f) for f in fields) for row in rows])
		if self._pending_secrets:
			frappe.db.sql(
				"insert into `__Auth` (doctype, name, fieldname, `password`, encrypted) values "
				+ ", ".join(["(%s, %s, %s, %s, 1)"] * len(self._pending_secrets))
				+ " on duplicate key update `password` = values(`password`), encrypted = 1",
				[value for row in self._pending_secrets for value in row],
			)
		self._pending = defaultdict(list)
		self._pending_secrets = []


def _same(current, wanted) -> bool:
	if isinstance(wanted, int | float) or isinstance(current, int | float):
		return flt(current) == flt(wanted)
	return str(current or "") == str(wanted or "")


def _decrypt(value: str | None) -> str | None:
	return decrypt(value) if value else None


def placeholder_email(row: UserRow) -> str:
	if row.mobile:
		return f"{row.mobile}@{PLACEHOLDER_EMAIL_DOMAIN}"
	digest = hashlib.sha1(row.username.lower().encode()).hexdigest()[:16]
	return f"legacy-{digest}@{PLACEHOLDER_EMAIL_DOMAIN}"


def import_export(tables: dict[str, Table], progress=None, import_name: str | None = None) -> Result:
	"""Import the tables read by `legacy.export.read`; returns the counts and the issues."""
	return Importer(tables, progress=progress, import_name=import_name).run()
