"""Legacy Import runs: the Desk's 开始导入 button (a background job) and the bench command
`gz-import-legacy` both come here, and both leave a Legacy Import record with the counts, the
skipped rows and the report file."""

import os
import re

import frappe
from frappe import _
from frappe.utils import now_datetime

from gz_innovation.audit import trail
from gz_innovation.legacy import export, importer

ISSUES_SHOWN = 500  # rows of the issue table in Desk; the report file has them all
FILE_FIELDS = {
	export.ENTERPRISES: "enterprises_file",
	export.USERS: "users_file",
	export.INDICATORS: "indicators_file",
}


class LegacyImportError(frappe.ValidationError):
	http_status_code = 417


def indicator_headings() -> dict[str, str]:
	"""Chinese headings of the indicator fields (with or without the unit) -> field name."""
	from gz_innovation.cultivation.submission import figure_fields

	meta = frappe.get_meta("Cultivation Submission")
	headings = {}
	for fieldname in figure_fields():
		label = meta.get_field(fieldname).label or ""
		for text in (label, _(label)):
			headings[text] = fieldname
			headings[re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", text)] = fieldname
	return headings


def read_tables(files: dict[str, tuple[str, bytes]]) -> dict[str, export.Table]:
	"""{kind: (file name, bytes)} -> parsed tables; ExportError names the file and the problem."""
	if export.USERS not in files and export.ENTERPRISES not in files:
		raise export.ExportError(_("Give at least the users file or the enterprises file"))
	tables = {}
	for kind, (file_name, content) in files.items():
		extra = indicator_headings() if kind == export.INDICATORS else None
		tables[kind] = export.read(kind, file_name, content, extra)
	return tables


def run(import_name: str, files: dict[str, tuple[str, bytes]], progress=None) -> importer.Result | None:
	"""Import the files and record the outcome on the Legacy Import; returns the result."""
	doc = frappe.get_doc("Legacy Import", import_name)
	doc.db_set({"status": "Running", "started_on": now_datetime(), "error": None})
	frappe.db.commit()
	try:
		tables = read_tables(files)
		result = importer.import_export(tables, progress=progress, import_name=import_name)
	except export.ExportError as e:
		frappe.db.rollback()
		_fail(import_name, str(e))
		return None
	except Exception:
		frappe.db.rollback()
		_fail(
			import_name,
			_(
				"The import stopped: {0}. Enterprises imported before the error are complete; run it again to continue."
			).format(frappe.get_traceback(with_context=False).strip().splitlines()[-1]),
		)
		raise
	record(import_name, result)
	return result


def _fail(import_name: str, message: str) -> None:
	frappe.db.set_value(
		"Legacy Import", import_name, {"status": "Failed", "error": message, "finished_on": now_datetime()}
	)
	trail.record(
		trail.LEGACY_IMPORT,
		_("Legacy import {0} failed: {1}").format(import_name, message),
		"Legacy Import",
		import_name,
	)
	frappe.db.commit()


def record(import_name: str, result: importer.Result) -> None:
	doc = frappe.get_doc("Legacy Import", import_name)
	doc.update(result.counts)
	doc.rows_skipped = result.rows_skipped
	doc.rows_with_warnings = result.rows_with_warnings
	doc.set("issues", [])
	for issue in result.issues[:ISSUES_SHOWN]:
		doc.append(
			"issues",
			{
				"file_name": issue.file_name,
				"line": issue.line,
				"record": issue.record,
				"action": importer.ACTIONS.get(issue.action, issue.action),
				"reason": issue.reason,
			},
		)
	report = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{import_name}-report.csv",
			"attached_to_doctype": "Legacy Import",
			"attached_to_name": import_name,
			"attached_to_field": "report_file",
			"is_private": 1,
			"content": result.report_csv(
				_("Legacy import {0}, {1}").format(import_name, now_datetime())
			).encode("utf-8"),
		}
	)
	report.insert(ignore_permissions=True)
	doc.report_file = report.file_url
	doc.status = "Completed"
	doc.finished_on = now_datetime()
	doc.flags.ignore_permissions = True
	doc.save()
	frappe.db.commit()


# --- Desk: the 开始导入 button -----------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def start(name: str) -> dict:
	frappe.only_for("System Manager")
	doc = frappe.get_doc("Legacy Import", name)
	doc.check_permission("write")
	if doc.status in ("Queued", "Running"):
		frappe.throw(_("This import is already running"), LegacyImportError)
	if not (doc.users_file or doc.enterprises_file):
		frappe.throw(_("Attach at least the users file or the enterprises file"), LegacyImportError)
	doc.db_set({"status": "Queued", "error": None})
	trail.record(trail.LEGACY_IMPORT, _("Legacy import {0} started").format(name), "Legacy Import", name)
	frappe.enqueue(
		"gz_innovation.legacy.imports.run_job",
		queue="long",
		timeout=3600,
		import_name=name,
		enqueue_after_commit=True,
	)
	return {"status": "Queued"}


def attached_files(doc) -> dict[str, tuple[str, bytes]]:
	files = {}
	for kind, fieldname in FILE_FIELDS.items():
		url = doc.get(fieldname)
		if url:
			file_doc = frappe.get_doc("File", {"file_url": url})
			files[kind] = (file_doc.file_name, _raw(file_doc))
	return files


def _raw(file_doc) -> bytes:
	# The File's own get_content decodes text; the export's encoding is ours to detect.
	with open(file_doc.get_full_path(), "rb") as f:
		return f.read()


def run_job(import_name: str) -> None:
	doc = frappe.get_doc("Legacy Import", import_name)
	title = _("Importing legacy data")

	def progress(done: int, total: int) -> None:
		frappe.publish_progress(
			done * 100 / total,
			title=title,
			doctype="Legacy Import",
			docname=import_name,
			description=_("{0} of {1} rows").format(done, total),
		)

	run(import_name, attached_files(doc), progress=progress)
	frappe.publish_realtime("list_update", {"doctype": "Legacy Import", "name": import_name})


# --- bench command ---------------------------------------------------------------------------


def files_from_paths(paths: list[str]) -> dict[str, tuple[str, bytes]]:
	"""Files named enterprises.* / users.* / indicators.* (or 企业/用户/指标), or folders of them."""
	found = {}
	for path in paths:
		candidates = (
			[os.path.join(path, n) for n in sorted(os.listdir(path))] if os.path.isdir(path) else [path]
		)
		for candidate in candidates:
			if not candidate.lower().endswith((".csv", ".json")):
				continue
			kind = export.kind_of(candidate)
			if kind is None:
				if not os.path.isdir(path):
					raise export.ExportError(
						_(
							"{0}: cannot tell whether it holds enterprises, users or indicators; name it enterprises.csv, users.csv or indicators.csv"
						).format(candidate)
					)
				continue
			if kind in found:
				raise export.ExportError(
					_("Two {0} files: {1} and {2}").format(kind, found[kind][0], candidate)
				)
			with open(candidate, "rb") as f:
				found[kind] = (os.path.basename(candidate), f.read())
	return found


def run_from_paths(paths: list[str], progress=None) -> tuple[str, importer.Result | None]:
	files = files_from_paths(paths)
	doc = frappe.get_doc(
		{
			"doctype": "Legacy Import",
			"status": "Pending",
			"source_note": ", ".join(name for name, _content in files.values())[:140],
		}
	)
	doc.insert(ignore_permissions=True)
	frappe.db.commit()
	return doc.name, run(doc.name, files, progress=progress)
