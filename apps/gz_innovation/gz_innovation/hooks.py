app_name = "gz_innovation"
app_title = "GZ Innovation"
app_publisher = "gz_innovation developers"
app_description = "贵州省技术创新平台培育 — Guizhou technology-innovation platform cultivation"
app_email = "dev@gz-innovation.invalid"
app_license = "mit"

export_python_type_annotations = True

# Site defaults (language, time zone, enabled languages) come from the site configuration
# templates under the repository's sites/ and are applied on install, migrate and before tests.
after_install = "gz_innovation.setup.install.after_install"
after_migrate = "gz_innovation.setup.install.after_migrate"
before_tests = "gz_innovation.setup.install.before_tests"

# Desk renders Attach values as text, review forms lock what enterprises declared (gz_desk.js);
# the department's Desk pages (gz_department.js).
app_include_js = ["/assets/gz_innovation/js/gz_desk.js", "/assets/gz_innovation/js/gz_department.js"]

update_website_context = [
	"gz_innovation.setup.website.translate_page_title",
	"gz_innovation.accounts.password.redirect_to_password_change",
]

# Accounts: passwords are checked only behind the captcha of the app's login (Frappe's own
# /api/method/login is off, see accounts/login.py); a default password must be changed before
# anything else, by every route. Tracebacks reach System Managers only (accounts/guards.py).
before_request = [
	"gz_innovation.accounts.guards.tracebacks_for_system_managers",
	"gz_innovation.accounts.guards.refuse_writes_by_get",
	"gz_innovation.accounts.password.enforce_password_change",
]
# Isolation: one criterion for documents and lists (enterprise/permissions.py); files follow their
# record (enterprise/files.py).
has_permission = {
	"Enterprise": "gz_innovation.enterprise.permissions.enterprise_has_permission",
	"Cultivation Submission": "gz_innovation.enterprise.permissions.linked_has_permission",
	"Enterprise Join Request": "gz_innovation.enterprise.permissions.linked_has_permission",
	"Enterprise Admin Transfer": "gz_innovation.enterprise.permissions.linked_has_permission",
	"Legacy Indicator Record": "gz_innovation.enterprise.permissions.linked_has_permission",
	"File": "gz_innovation.enterprise.files.file_has_permission",
}
permission_query_conditions = {
	"Enterprise": "gz_innovation.enterprise.permissions.enterprise_query_conditions",
	"Enterprise Join Request": "gz_innovation.enterprise.permissions.join_request_query_conditions",
	"Enterprise Admin Transfer": "gz_innovation.enterprise.permissions.admin_transfer_query_conditions",
	"Cultivation Submission": "gz_innovation.enterprise.permissions.submission_query_conditions",
	"Legacy Indicator Record": "gz_innovation.enterprise.permissions.legacy_figures_query_conditions",
	"GZ Business Authorization": "gz_innovation.enterprise.permissions.business_authorization_query_conditions",
	"Cultivation Evaluation Row": "gz_innovation.enterprise.permissions.evaluation_row_query_conditions",
	"File": "gz_innovation.enterprise.permissions.file_query_conditions",
	# Frappe's own conditions of these two hold too (the hooks of all apps are combined with "and").
	"Workflow Action": "gz_innovation.enterprise.permissions.workflow_action_query_conditions",
	"User": "gz_innovation.enterprise.permissions.user_query_conditions",
}
override_doctype_class = {
	"File": "gz_innovation.enterprise.files.GZFile",
	"System Settings": "gz_innovation.accounts.system_settings.GZSystemSettings",
}

# Accounts asks the modules above it (never importing them): who an identifier is, another way a
# password may match, what to do when a password is set, where to send a user after login.
gz_login_identifier = ["gz_innovation.enterprise.membership.admin_of_code"]
gz_password_fallback = ["gz_innovation.legacy.passwords.check_and_upgrade"]
gz_on_password_set = ["gz_innovation.legacy.passwords.drop_hash_of"]
gz_login_redirect = ["gz_innovation.legacy.completion.login_redirect"]
# Cultivation asks the modules above it to prefill an enterprise's first draft (legacy: the previous
# platform's last figures), so it never imports them.
gz_first_draft_prefill = ["gz_innovation.legacy.figures.latest_figures"]
# User fields only System Managers change (accounts/users.py), added by the modules that own them.
gz_protected_user_fields = ["gz_review_city"]

doc_events = {
	"User": {
		"before_validate": "gz_innovation.accounts.password.validate_user_password",
		"validate": "gz_innovation.accounts.users.validate_user",
		"before_rename": "gz_innovation.accounts.users.refuse_rename",
	},
	"User Permission": {"validate": "gz_innovation.enterprise.membership.validate_user_permission"},
	"Version": {"before_insert": "gz_innovation.enterprise.personal_data.mask_version"},
	# 审核流程's steps and the app's records' timelines (accounts/guards.py).
	"Comment": {"validate": "gz_innovation.accounts.guards.validate_comment"},
	"ToDo": {"validate": "gz_innovation.accounts.guards.validate_todo"},
	"Document Follow": {"validate": "gz_innovation.accounts.guards.validate_document_follow"},
}
override_whitelisted_methods = {
	"frappe.core.doctype.user.user.update_password": "gz_innovation.accounts.password.guarded_update_password",
	"frappe.core.doctype.user.user.reset_password": "gz_innovation.accounts.guards.guarded_reset_password",
	"frappe.core.doctype.sms_settings.sms_settings.send_sms": "gz_innovation.accounts.sms.guarded_frappe_send_sms",
	"frappe.integrations.oauth2.get_token": "gz_innovation.accounts.guards.guarded_oauth_get_token",
	"upload_file": "gz_innovation.accounts.guards.guarded_upload_file",
	"run_doc_method": "gz_innovation.accounts.guards.guarded_run_doc_method",
	"runserverobj": "gz_innovation.accounts.guards.guarded_run_doc_method",
	"frappe.handler.run_doc_method": "gz_innovation.accounts.guards.guarded_run_doc_method",
	"frappe.handler.runserverobj": "gz_innovation.accounts.guards.guarded_run_doc_method",
	"frappe.desk.form.utils.add_comment": "gz_innovation.accounts.guards.guarded_add_comment",
	"frappe.client.get_count": "gz_innovation.accounts.guards.guarded_get_count",
	"frappe.core.api.file.zip_files": "gz_innovation.enterprise.files.zip_files",
	"frappe.core.api.file.unzip_file": "gz_innovation.enterprise.files.unzip_file",
	"frappe.handler.upload_file": "gz_innovation.accounts.guards.guarded_upload_file",
	"frappe.desk.form.document_follow.follow_document": "gz_innovation.accounts.guards.guarded_follow_document",
	"frappe.desk.like.toggle_like": "gz_innovation.accounts.guards.guarded_toggle_like",
	"frappe.client.bulk_update": "gz_innovation.accounts.guards.guarded_bulk_update",
}

# --- Department side (reviewers and platform administrators in Desk) ------------------------------
# Audit trail: every change of the document types audit/trail.py watches, and Frappe's export and PDF
# endpoints, are recorded (who, when, what, from where). Audit records survive what they refer to.
doc_events["*"] = {
	"after_insert": "gz_innovation.audit.trail.on_insert",
	"on_update": "gz_innovation.audit.trail.on_update",
	"on_trash": "gz_innovation.audit.trail.on_trash",
}
# Server-set times of the review queues and the 申报书's verification code.
doc_events["Cultivation Submission"] = {
	"validate": "gz_innovation.cultivation.stages.validate",
	"before_save": "gz_innovation.cultivation.stages.before_save",
}
doc_events["Enterprise"] = {
	"validate": "gz_innovation.enterprise.queue.validate",
	"before_save": "gz_innovation.enterprise.queue.before_save",
}
# Reviewers and platform administrators land on the workspace 科技创新平台培育 (cultivation/department.py).
doc_events["User"]["before_save"] = "gz_innovation.cultivation.department.set_default_workspace"
ignore_links_on_delete = ["GZ Audit Log"]
override_whitelisted_methods.update(
	{
		"frappe.desk.query_report.export_query": "gz_innovation.audit.downloads.export_query_report",
		"frappe.desk.reportview.export_query": "gz_innovation.audit.downloads.export_report_view",
		"frappe.core.doctype.data_export.exporter.export_data": "gz_innovation.audit.downloads.export_data",
		"frappe.utils.print_format.download_pdf": "gz_innovation.audit.downloads.download_pdf",
		"frappe.utils.print_format.download_multi_pdf": "gz_innovation.audit.downloads.download_multi_pdf",
		# Debian's wkhtmltopdf renders our print formats; see cultivation/application.py.
		"frappe.utils.pdf.is_wkhtmltopdf_valid": "gz_innovation.cultivation.application.wkhtmltopdf_works",
	}
)
# The 申报书 print format reads its extra content (indicator units, 审核流程, verification QR code).
jinja = {"methods": ["gz_innovation.cultivation.application.print_context"]}
# The public check of a 申报书's verification code.
website_route_rules = [{"from_route": "/verify/<code>", "to_route": "verify"}]
# Desk: the 申报书 button on a submission; the reports' shared helpers.
doctype_js = {"Cultivation Submission": "public/js/cultivation_submission_desk.js"}
# Daily (08:30 Beijing time): deadline reminders to reviewers and to enterprise admins with drafts.
scheduler_events = {"cron": {"30 8 * * *": ["gz_innovation.cultivation.reminders.send_daily_reminders"]}}

# Frappe clears every Redis key of a site on a full cache clear, and a full clear happens on every
# User insert or save (User.validate rewrites a system default): each registration or staff
# account would void everyone's captchas and SMS codes and reset the send limits and the login
# lock-outs. These short-lived security states survive it (patterns as for `frappe.cache.get_keys`).
persistent_cache_keys = [
	"gz_captcha:*",  # accounts/captcha.py: image captchas
	"gz_sms_*",  # accounts/codes.py: SMS codes, resend cooldowns, sends per mobile and per address
	"gz_login_ip_failures:*",  # accounts/login.py: failed logins per address
	"login_failed_count",  # Frappe's LoginAttemptTracker: failed logins per account (lock-out)
	"login_failed_time",
]

# Fixes of Frappe v15 behaviour under load (frappe_fixes.py), applied in every request and job.
before_request = ["gz_innovation.frappe_fixes.apply", *before_request]
before_job = ["gz_innovation.frappe_fixes.apply"]
# Lists never filter or sort by a field the user may not read (enterprise/personal_data.py).
before_request.append("gz_innovation.enterprise.personal_data.guard_list_queries")
before_job.append("gz_innovation.enterprise.personal_data.guard_list_queries")

# --- Portal: the platform home, the console layout, the portal bundle (portal/) ---------------------
# `/` is the platform home; guests get it (and /notices) from a cache dropped when what it shows changes.
home_page = "home"
page_renderer = ["gz_innovation.portal.cache.PortalPage"]
website_route_rules.append({"from_route": "/notices/<name>", "to_route": "notice"})
_forget_guest_pages = "gz_innovation.portal.cache.forget_guest_pages"
doc_events["Cultivation Batch"] = {"on_update": _forget_guest_pages, "on_trash": _forget_guest_pages}
# A rule set decides which types a batch offers (the center and the home list only those).
doc_events["Cultivation Rule Set"] = {
	"on_update": _forget_guest_pages,
	"on_trash": _forget_guest_pages,
}
# A file attached to a notice is of a kind guests may safely download, however it was uploaded.
doc_events["File"] = {"validate": "gz_innovation.portal.notices.validate_file"}
