"""Reading a legacy export: files, encodings, columns. No database writes here.

An export is up to three tables (CSV or JSON): enterprises, users and indicator figures. Column
names may be the field names below or the Chinese headings the previous platform used.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

import frappe
from frappe import _

ENTERPRISES, USERS, INDICATORS = "enterprises", "users", "indicators"

# kind -> {field: Chinese headings accepted for it}
COLUMNS = {
	ENTERPRISES: {
		"uscc": ("统一社会信用代码", "信用代码"),
		"enterprise_name": ("企业名称",),
		"admin_username": ("企业管理员", "管理员用户名", "主账号"),
		"industry": ("所属行业",),
		"ownership_type": ("企业类型",),
		"registration_date": ("注册时间", "成立日期"),
		"registered_capital": ("注册资本",),
		"annual_revenue": ("主营业务收入",),
		"rd_expenditure": ("研发投入",),
		"city": ("市州",),
		"county": ("区县",),
		"address": ("企业在研项目地址", "地址"),
		"contact_person": ("单位联系人",),
		"contact_phone": ("单位联系人电话", "联系电话"),
		"contact_email": ("电子邮箱",),
		"introduction": ("单位简介",),
		"main_products": ("主营产品/服务", "主营产品"),
	},
	USERS: {
		"username": ("用户名", "登录名"),
		"full_name": ("姓名",),
		"password_hash": ("密码", "密码散列"),
		"password_scheme": ("散列算法", "加密方式"),
		"password_salt": ("盐值", "盐"),
		"legacy_id": ("用户编号", "id"),
		"mobile": ("手机号码", "手机"),
		"email": ("邮箱", "电子邮箱"),
		"enterprise_uscc": ("所属企业统一社会信用代码", "统一社会信用代码"),
		"enabled": ("启用", "状态"),
	},
	# Indicator figures: the columns besides these are fields of Cultivation Submission (see importer).
	INDICATORS: {
		"uscc": ("统一社会信用代码",),
		"year": ("年度", "年份"),
	},
}
REQUIRED = {
	ENTERPRISES: ("uscc", "enterprise_name", "admin_username"),
	USERS: ("username", "full_name", "password_hash"),
	INDICATORS: ("uscc", "year"),
}
# File names the bench command recognises (without extension).
FILE_STEMS = {
	ENTERPRISES: ("enterprises", "enterprise", "企业"),
	USERS: ("users", "user", "用户"),
	INDICATORS: ("indicators", "indicator", "figures", "指标"),
}


class ExportError(Exception):
	"""The file cannot be read at all: no row of it is imported."""


@dataclass
class Table:
	kind: str
	file_name: str
	rows: list[tuple[int, dict]] = field(default_factory=list)  # (line, {column: text})
	columns: list[str] = field(default_factory=list)
	notes: list[tuple[int, str]] = field(default_factory=list)  # (line, problem) found while reading
	bad_lines: set[int] = field(default_factory=set)  # lines whose bytes no encoding explains


def kind_of(file_name: str) -> str | None:
	stem = re.split(r"[./\\]", file_name.rsplit("/", 1)[-1])[0].lower()
	for kind, stems in FILE_STEMS.items():
		if any(stem.startswith(s) for s in stems):
			return kind
	return None


def decode(content: bytes) -> tuple[str, list[tuple[int, str]], set[int]]:
	"""Text of an export file: UTF-8 (with or without BOM), else GBK/GB18030 line by line.

	Returns (text, notes, bad_lines). Legacy exports are often GBK (Excel on Chinese Windows) and
	sometimes mixed, when files were concatenated; a line that is neither is marked bad."""
	try:
		return content.decode("utf-8-sig"), [], set()
	except UnicodeDecodeError:
		pass
	lines, gbk_lines, bad_lines = [], [], set()
	for number, raw in enumerate(content.split(b"\n"), start=1):
		if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
			raw = raw[3:]
		try:
			lines.append(raw.decode("utf-8"))
			continue
		except UnicodeDecodeError:
			pass
		try:
			lines.append(raw.decode("gb18030"))
			gbk_lines.append(number)
		except UnicodeDecodeError:
			lines.append("")
			bad_lines.add(number)
	notes = []
	non_ascii = [n for n, raw in enumerate(content.split(b"\n"), start=1) if not raw.isascii()]
	if gbk_lines and len(gbk_lines) + len(bad_lines) == len(non_ascii):
		notes.append((0, _("The file is GBK/GB18030 encoded; it was read as such")))
	else:
		notes += [
			(n, _("This line is GBK encoded unlike the rest of the file; it was converted"))
			for n in gbk_lines
		]
	return "\n".join(lines), notes, bad_lines


def _header_map(kind: str, extra_columns: dict[str, str]) -> dict[str, str]:
	mapping = {}
	for fieldname, headings in COLUMNS[kind].items():
		mapping[fieldname.lower()] = fieldname
		for heading in headings:
			mapping[heading.lower()] = fieldname
	mapping.update({k.lower(): v for k, v in extra_columns.items()})
	return mapping


VERBATIM_COLUMNS = ("password_hash", "password_salt")


def read(kind: str, file_name: str, content: bytes, extra_columns: dict[str, str] | None = None) -> Table:
	"""Parse one file into rows keyed by field name; ExportError if the file is unusable."""
	table = Table(kind=kind, file_name=file_name)
	text, table.notes, table.bad_lines = decode(content)
	mapping = _header_map(kind, extra_columns or {})
	if file_name.lower().endswith(".json"):
		records = _json_records(text, kind)
	else:
		records = _csv_records(text)
	headers = None
	for line, record in records:
		if headers is None:
			headers = list(record)
			table.columns = [mapping.get(h.strip().lower(), h.strip()) for h in headers]
			missing = [c for c in REQUIRED[kind] if c not in table.columns]
			if missing:
				raise ExportError(
					_("{0}: required column missing: {1}").format(file_name, ", ".join(missing))
				)
		row = {}
		for heading, value in record.items():
			if heading is None:  # more cells than headings
				continue
			key = mapping.get(heading.strip().lower(), heading.strip())
			text = "" if value is None else str(value).strip()
			# An export holds plain text: markup is never meant and would run in Desk lists (the
			# importer writes with Frappe's lean inserts, which skip Frappe's own sanitising).
			row[key] = text if key in VERBATIM_COLUMNS else frappe.utils.strip_html(text).strip()
		table.rows.append((line, row))
	if headers is None:
		raise ExportError(_("{0}: the file has no rows").format(file_name))
	return table


def _csv_records(text: str):
	reader = csv.DictReader(io.StringIO(text, newline=""))
	try:
		for record in reader:
			if not any((v or "").strip() for k, v in record.items() if k is not None):
				continue  # blank line
			yield reader.line_num, record
	except csv.Error as e:
		raise ExportError(_("Line {0}: the CSV cannot be read ({1})").format(reader.line_num, e))


def _json_records(text: str, kind: str):
	try:
		data = json.loads(text)
	except ValueError as e:
		raise ExportError(_("The JSON cannot be read: {0}").format(e))
	if isinstance(data, dict):
		data = data.get(kind, [])
	if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
		raise ExportError(_("The JSON must be a list of records"))
	for number, record in enumerate(data, start=1):
		yield number, {k: ("" if v is None else v) for k, v in record.items()}
