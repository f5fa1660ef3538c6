"""Every change the app makes to Frappe's behaviour, in one list (REGISTRY): what it changes (the Frappe
target), how (the kind), why, and what would retire it. Everything else the app does goes through
Frappe's extension points on its own DocTypes (controllers, `has_permission`, workflows, pages).

Kinds:
- `patch`: a Frappe function replaced in place (overrides/performance.py, list_query.py), installed by
  `apply()` before every request and background job (hooks `before_request`, `before_job`);
- `method`: a whitelisted method answered by the app (`override_whitelisted_methods`, methods.py);
- `class`: a Frappe DocType's controller class extended (`override_doctype_class`);
- `doctype`: events and permission hooks on one of Frappe's DocTypes (`doc_events`, `has_permission`,
  `permission_query_conditions`);
- `request`: a rule every request meets (`auth_hooks`, `before_request`, `after_request`, the WSGI
  entry), in boundary/ and audit/;
- `desk`: Frappe's Desk script objects the app's Desk scripts change (public/js/gz_desk.js,
  gz_department.js);
- `renderer`: a page renderer for the app's portal pages (`page_renderer`).

`apply()` never raises: a target the installed Frappe does not have is logged once and Frappe's own
behaviour stays. tests/test_overrides.py checks every entry against the installed Frappe (the target
exists, a replacement accepts every argument Frappe's does) and that hooks.py declares nothing that is
not listed here.
"""

import importlib
import inspect
from dataclasses import dataclass, field

import frappe


@dataclass(frozen=True)
class Override:
	kind: str
	target: str  # Frappe's dotted name, DocType name or script object
	why: str
	retire: str  # what would make the change unnecessary
	by: str = ""  # the app's replacement: a dotted name, or a file for `desk`
	also: tuple[str, ...] = field(default_factory=tuple)  # other names Frappe binds the same function to


R = Override
REGISTRY: tuple[Override, ...] = (
	# --- patches: speed under deadline-day load (same answers, less work) --------------------------------
	R(
		"patch",
		"frappe.core.doctype.user.user.ask_pass_update",
		"Every User save rewrote a system default, which locks its row and clears every Redis key of the "
		"site: registrations serialised, deadlocked, and every worker reloaded every DocType's meta.",
		"frappe/frappe#25626 (write the default only when it changes) in the installed release.",
		"gz_innovation.overrides.performance.ask_pass_update",
	),
	R(
		"patch",
		"frappe.apps.get_apps",
		"Every page and login built the whole Desk sidebar for the apps screen, twice, and for portal users "
		"on every page (an empty result counts as a cache miss); no app here is on the apps screen.",
		"Frappe checking `add_to_apps_screen` before building the sidebar, or caching an empty sidebar.",
		"gz_innovation.overrides.performance.get_apps",
		also=("frappe.website.utils.get_apps",),
	),
	R(
		"patch",
		"frappe.utils.jinja.get_jenv",
		"Frappe makes a Jinja environment per request and so compiled every template of every page "
		"(web.html, base.html, 320 KB of icon sprites) on every view.",
		"A process-wide Jinja bytecode cache in Frappe.",
		"gz_innovation.overrides.performance.get_jenv",
		also=("frappe.get_jenv",),
	),
	R(
		"patch",
		"frappe.database.query.Engine.sanitize_fields",
		"sqlparse.format on every field name of every get_value and query-builder query: a large share of "
		"a request's time.",
		"Frappe 16, which drops Engine.sanitize_fields (the patch then stands aside by itself).",
		"gz_innovation.overrides.performance.sanitize_fields",
	),
	R(
		"patch",
		"frappe.auth.LoginManager.setup_boot_cache",
		"Every login counted the rows of every table on the database server (information_schema) for "
		"Desk's boot, portal users' too, who never open Desk.",
		"Frappe building Desk's boot caches on Desk's first load instead of at login.",
		"gz_innovation.overrides.performance.setup_boot_cache",
	),
	R(
		"patch",
		"frappe.website.doctype.web_form.web_form.get_published_web_forms",
		"Frappe's @redis_cache asks whether a key exists, then reads it; a clear_cache in between (every User "
		"save) made pages fail with 500 during a registration burst. One fix, on each routing cache.",
		"@redis_cache reading the key once (no exists-then-get).",
		"gz_innovation.overrides.performance.race_free_redis_cache",
	),
	R(
		"patch",
		"frappe.website.doctype.web_page.web_page.get_dynamic_web_pages",
		"The same race of @redis_cache (see get_published_web_forms).",
		"@redis_cache reading the key once.",
		"gz_innovation.overrides.performance.race_free_redis_cache",
	),
	R(
		"patch",
		"frappe.website.page_renderers.document_page._find_matching_document_webview",
		"The same race of @redis_cache (see get_published_web_forms).",
		"@redis_cache reading the key once.",
		"gz_innovation.overrides.performance.race_free_redis_cache",
	),
	# --- patch: PDFs fetch nothing ------------------------------------------------------------------
	R(
		"patch",
		"frappe.utils.pdf.get_pdf",
		"wkhtmltopdf fetched the page's stylesheets and images over HTTP from the site's public address: "
		"no PDF where the server cannot resolve its own host name (intranet, .localhost), and a request to "
		"any address left in the page. Every PDF's page is made self-contained from disk first.",
		"Frappe inlining its print assets (or a PDF generator that reads them locally).",
		"gz_innovation.overrides.pdf.get_pdf",
	),
	# --- patch: personal data ------------------------------------------------------------------------
	R(
		"patch",
		"frappe.model.db_query.DatabaseQuery.apply_fieldlevel_read_permissions",
		"Frappe hides fields above a user's permission level from list results but not from their "
		"filters and sort order: `legal_person_id_number like '5201%'` told an ID number guess by guess.",
		"Frappe refusing conditions on fields the user may not read (field-level permissions in filters).",
		"gz_innovation.overrides.list_query.apply_fieldlevel_read_permissions",
	),
	# --- methods -----------------------------------------------------------------------------------------
	R(
		"method",
		"frappe.core.doctype.user.user.reset_password",
		"Frappe's answer told accounts apart (501 for a Desk account without an e-mail account, 200 for an "
		"unknown address) and would mail portal accounts, which reset by SMS.",
		"Frappe answering password-reset requests the same for every address.",
		"gz_innovation.overrides.methods.reset_password",
	),
	R(
		"method",
		"frappe.core.doctype.user.user.update_password",
		"Desk's change-password dialog and reset links must follow the manual's password rule (8–19 "
		"characters, two kinds) and end the user's other sessions.",
		"A password-rule hook in Frappe (its own policy is a zxcvbn score, not the manual's rule).",
		"gz_innovation.overrides.methods.update_password",
	),
	R(
		"method",
		"frappe.client.get_count",
		"Frappe counts any DocType by any filter for any logged-in user without a permission check: a "
		"reviewer could count another city's submissions, or probe personal data by filter.",
		"frappe.client.get_count checking permissions (it does not in 15.92).",
		"gz_innovation.overrides.methods.get_count",
	),
	R(
		"method",
		"frappe.utils.pdf.is_wkhtmltopdf_valid",
		"Desk's print view warns unless wkhtmltopdf is the 'patched qt' build; Debian's 0.12 renders the "
		"申报书 (no running headers are used), so reviewers saw a false warning.",
		"A patched-qt wkhtmltopdf in Debian, or Frappe's move to another PDF generator (v16).",
		"gz_innovation.overrides.methods.is_wkhtmltopdf_valid",
	),
	# --- classes -----------------------------------------------------------------------------------------
	R(
		"class",
		"frappe.core.doctype.file.file.File",
		"Private files of the app's records: unguessable names, no repointing, download only by who may "
		"read the record (not merely the file's owner), no optimize_file by a reader.",
		"Frappe deciding a file's access by its record alone (File.has_permission trusts the owner).",
		"gz_innovation.overrides.file.GZFile",
	),
	R(
		"class",
		"frappe.core.doctype.system_settings.system_settings.SystemSettings",
		"Frappe refuses to switch its password login off unless Social Login, LDAP or e-mail links are on; "
		"the app's captcha login serves passwords, so Frappe's own must be off (and System Settings savable).",
		"A login-method hook in Frappe that counts an app's login page.",
		"gz_innovation.overrides.system_settings.GZSystemSettings",
	),
	# --- Frappe's DocTypes: events and permission hooks ----------------------------------------------------
	R(
		"doctype",
		"User",
		"The manual's password rule for passwords typed in Desk, names as plain text, fields only System "
		"Managers change (a reviewer's city), no rename, reviewers land on the department's workspace, "
		"and a user list of one's own enterprise (permission_query_conditions).",
		"None: these are the app's rules for its users.",
		"gz_innovation.accounts.users",
	),
	R(
		"doctype",
		"User Permission",
		"Membership is a User Permission on Enterprise: a portal user belongs to one enterprise only, "
		"whoever adds the permission.",
		"None: the app's membership rule.",
		"gz_innovation.enterprise.membership.validate_user_permission",
	),
	R(
		"doctype",
		"Version",
		"A record's history is read by everyone who reads the record: ID numbers and mobiles in it are "
		"masked for the app's records.",
		"Frappe applying field-level permissions to Version data.",
		"gz_innovation.enterprise.personal_data.mask_version",
	),
	R(
		"doctype",
		"Comment",
		"On the app's records a comment is written by someone who reads the record, under their own name "
		"(Frappe's add_comment takes the author from the client), and only the server writes the steps of "
		"审核流程 (Workflow comments).",
		"Frappe setting a comment's author from the session and checking the reference on every path.",
		"gz_innovation.accounts.timeline.validate_comment",
	),
	R(
		"doctype",
		"ToDo",
		"An assignment on an app record by and to users who read it (a ToDo also writes the record's "
		"_assign), on every path, REST included.",
		"Frappe checking the reference's permission for both users on every path.",
		"gz_innovation.accounts.timeline.validate_todo",
	),
	R(
		"doctype",
		"Document Follow",
		"A follower gets a record's changes by e-mail: only someone who reads the record, on every path "
		"(Desk's Follow button, update_follow, REST).",
		"Frappe checking read permission and the user in Document Follow itself.",
		"gz_innovation.accounts.timeline.validate_document_follow",
	),
	R(
		"doctype",
		"Workflow Action",
		"A reviewer's list of Workflow Actions holds only records in their scope.",
		"None: the app's review scopes.",
		"gz_innovation.enterprise.permissions.workflow_action_query_conditions",
	),
	R(
		"doctype",
		"File",
		"Files follow their record (has_permission, list conditions); a notice's attachment is of a kind "
		"guests may download, however it was uploaded.",
		"None: the app's rules for its records' files (see also the File class above).",
		"gz_innovation.enterprise.files.file_has_permission",
	),
	R(
		"doctype",
		"Custom Field",
		"The portal draws the certification and indicator forms from metadata: a field's condition "
		"(depends_on, mandatory_depends_on) on Enterprise or Cultivation Submission must be one the portal "
		"evaluates without running code, and a change drops the described forms at once.",
		"None: the app's forms follow the metadata administrators keep.",
		"gz_innovation.portal.depends.check_custom_field",
	),
	R(
		"doctype",
		"Property Setter",
		"As for Custom Field: Customize Form's changes of a condition, a label or an order reach the "
		"portal at once, and a condition the portal cannot evaluate is refused.",
		"None: the app's forms follow the metadata administrators keep.",
		"gz_innovation.portal.depends.check_property_setter",
	),
	R(
		"doctype",
		"DocType",
		"As for Custom Field, for a developer's change of Enterprise or Cultivation Submission.",
		"None: the app's forms follow the metadata administrators keep.",
		"gz_innovation.portal.depends.check_doctype",
	),
	R(
		"doctype",
		"Workflow",
		"The review route is made from the app's review stages (GZ Review Stage): an edit of the Workflow "
		"Cultivation Review in Desk must leave every stage reachable and with a way back to the enterprise.",
		"None: the app's review route.",
		"gz_innovation.cultivation.route.validate_workflow",
	),
	# --- requests --------------------------------------------------------------------------------------
	R(
		"request",
		"frappe.app.application",
		"One boundary (auth_hooks): a CSRF token for every session and no write without it; a logged-in "
		"browser's GET or embedded call runs read-only; portal users reach an allow-list; a default "
		"password is changed first; tracebacks reach System Managers only.",
		"Frappe giving every session a CSRF token and refusing writes by GET (v16 makes many methods "
		"POST-only, not all); an allow-list for Website Users in Frappe.",
		"gz_innovation.boundary.requests.guard",
	),
	R(
		"request",
		"frappe.utils.response.report_error",
		"Error answers in the user's language: a message where Frappe gives none (a body that is not "
		"JSON), and no traceback but to System Managers (bulk_update returns them as data).",
		"Frappe keeping tracebacks out of answers when Show Full Error is off, and messages on every error.",
		"gz_innovation.boundary.requests.answer_in_chinese",
	),
	R(
		"request",
		"frappe.auth.HTTPRequest.set_request_ip",
		"Frappe trusts X-Forwarded-For from anyone; the address counts only from a trusted proxy.",
		"A trusted-proxies setting in Frappe.",
		"gz_innovation.boundary.address.set_request_ip",
	),
	R(
		"request",
		"frappe.utils.response",
		"Every download and export, whatever method or file produced it, is audited once it succeeded; a "
		"multi-document PDF with no page is refused; spreadsheet cells cannot start a formula.",
		"None: the app's audit trail (等保 8.1.4.3).",
		"gz_innovation.audit.downloads.record_download",
	),
	# --- Desk and pages ------------------------------------------------------------------------------
	R(
		"desk",
		"frappe.form.formatters",
		"Frappe writes text and Attach values into Desk as HTML (read-only fields, lists, reports): for the "
		"app's records they are written as text.",
		"Frappe escaping text fields in its formatters.",
		"public/js/gz_desk.js",
	),
	R(
		"desk",
		"frappe.workflow.is_read_only",
		"A review form in a state the user's roles may not edit is read-only, and Frappe says so with an "
		"English toast on every opening (after every 退回修改 for the reviewer who returned it). For the "
		"app's review forms Frappe's check answers 'editable' and the form script locks the form by the same "
		"rule (gz_review_form.lock_declared), without the toast.",
		"Frappe leaving the toast out for forms that are read-only by their Workflow state: 15.9x shows "
		"a headline instead, so this retires once 15.55 is no longer supported.",
		"public/js/gz_desk.js",
	),
	R(
		"desk",
		"frappe.model.sync_docinfo",
		"The activity listed changes whose old and new values read the same ('发明专利 从 12 改为 12': a "
		"number saved once as text) and wrote an empty value as 'null'. Versions reach a form only here: "
		"such changes are dropped, an empty value reads （空）. The records themselves are unchanged.",
		"Frappe comparing values by their field type when it records or shows a Version, and showing empty "
		"values as empty (version_timeline_content_builder.js).",
		"public/js/gz_desk.js",
	),
	R(
		"desk",
		"frappe.model.with_doc",
		"Frappe's number card and chart widgets each fetch their document (getdoc, with its history) before "
		"asking for their figure: nine requests ahead of the figures on a reviewer's landing, whose cards "
		"read 载入中… for seconds. Desk's boot carries them (hook extend_bootinfo, cultivation/department.py) "
		"and they are put where with_doc looks, once, for a widget on a workspace.",
		"Frappe's workspace answering its widgets' documents with the page (get_desktop_page).",
		"public/js/gz_department.js",
	),
	R(
		"desk",
		"frappe.views.ListView.show_or_hide_sidebar",
		"The list sidebar is Frappe's per-user choice kept in the browser (localStorage.show_sidebar, Ctrl+K); "
		"for a user who never chose, the reviewers' list starts without it, so its columns fit 1280 px.",
		"None: a default for a preference Frappe keeps; the user's own choice is never changed.",
		"public/js/gz_department.js",
	),
	R(
		"renderer",
		"frappe.website.page_renderers.template_page.TemplatePage",
		"The portal's pages are claimed by a renderer that skips what they do not show (website settings, "
		"boot data, sidebar) and serves guests the home and notices from a cache.",
		"None: Frappe's extension point for an app's pages.",
		"gz_innovation.portal.cache.PortalPage",
	),
)


def patches() -> list[Override]:
	return [entry for entry in REGISTRY if entry.kind == "patch"]


_failed: set[str] = set()


def apply() -> None:
	"""Install every patch (before each request and background job; installing twice changes nothing).
	Never raises: a patch whose target is missing is logged once and Frappe's behaviour stays."""
	for entry in patches():
		if entry.target in _failed:
			continue
		try:
			install(entry)
		except Exception:
			_failed.add(entry.target)
			frappe.logger("gz_innovation.overrides").warning(
				f"Frappe's {entry.target} was not replaced (not found or changed); Frappe's own stays.",
				exc_info=True,
			)


def install(entry: Override) -> None:
	owner, name = locate(entry.target)
	current = getattr(owner, name)
	if getattr(current, "gz_override", None) == entry.target:
		return
	make = resolve(entry.by)
	replacement = make(current)
	replacement.gz_override = entry.target
	replacement.gz_frappe = current
	setattr(owner, name, replacement)
	for alias in entry.also:
		alias_owner, alias_name = locate(alias)
		setattr(alias_owner, alias_name, replacement)


def frappe_function(target: str):
	"""Frappe's own function behind a patched target (itself when not patched)."""
	owner, name = locate(target)
	current = getattr(owner, name)
	return getattr(current, "gz_frappe", current)


def locate(target: str):
	"""(object, attribute name) of a dotted target: a module's attribute or a class's."""
	parts = target.split(".")
	for split in range(len(parts) - 1, 0, -1):
		try:
			owner = importlib.import_module(".".join(parts[:split]))
		except ImportError:
			continue
		for part in parts[split:-1]:
			owner = getattr(owner, part)
		if not hasattr(owner, parts[-1]):
			raise AttributeError(target)
		return owner, parts[-1]
	raise ImportError(target)


def resolve(dotted: str):
	owner, name = locate(dotted)
	return getattr(owner, name)


def accepts_all_of(replacement, original) -> list[str]:
	"""The parameters of `original` that `replacement` would not accept (empty: it accepts them all)."""
	try:
		ours = inspect.signature(replacement).parameters
		theirs = inspect.signature(original).parameters
	except (TypeError, ValueError):
		return []
	kinds = {p.kind for p in ours.values()}
	missing = []
	for name, parameter in theirs.items():
		if parameter.kind == inspect.Parameter.VAR_POSITIONAL:
			if inspect.Parameter.VAR_POSITIONAL not in kinds:
				missing.append("*" + name)
		elif parameter.kind == inspect.Parameter.VAR_KEYWORD:
			if inspect.Parameter.VAR_KEYWORD not in kinds:
				missing.append("**" + name)
		elif name not in ours and inspect.Parameter.VAR_KEYWORD not in kinds:
			missing.append(name)
	return missing
