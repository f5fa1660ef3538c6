app_name = "gz_innovation"
app_title = "GZ Innovation"
app_publisher = "gz_innovation developers"
app_description = "贵州省技术创新平台培育 — Guizhou technology-innovation platform cultivation"
app_email = "dev@gz-innovation.invalid"
app_license = "mit"

export_python_type_annotations = True

# Every change this app makes to Frappe's behaviour is listed, with why and what retires it, in
# overrides/__init__.py (REGISTRY); tests/test_overrides.py checks that list against this file and
# against the installed Frappe.

# --- Set-up --------------------------------------------------------------------------------------------
# Site defaults (language, time zone, enabled languages) come from the site configuration templates
# under the repository's sites/ and are applied on install, migrate and before tests.
after_install = "gz_innovation.setup.install.after_install"
after_migrate = "gz_innovation.setup.install.after_migrate"
before_tests = "gz_innovation.setup.install.before_tests"

# --- The boundary: every request (boundary/) --------------------------------------------------------------
# Frappe's patches of overrides/ are in place before any request or job; the client's address counts
# from a trusted proxy only (boundary/address.py).
before_request = [
	"gz_innovation.overrides.apply",
	"gz_innovation.boundary.address.set_request_ip",
]
before_job = ["gz_innovation.overrides.apply"]
# Once Frappe knows who asks: CSRF for every session, no write without POST, portal users reach an
# allow-list, a default password is changed first (boundary/requests.py).
auth_hooks = ["gz_innovation.boundary.requests.guard"]
# Answers: no traceback but to System Managers; downloads and exports, by whatever path, audited once
# sent (audit/downloads.py).
after_request = [
	"gz_innovation.boundary.requests.answer_in_chinese",
	"gz_innovation.audit.downloads.record_download",
]

# --- Permissions: one criterion for documents and lists (enterprise/permissions.py) ----------------
has_permission = {
	"Enterprise": "gz_innovation.enterprise.permissions.enterprise_has_permission",
	"Cultivation Submission": "gz_innovation.enterprise.permissions.linked_has_permission",
	"Enterprise Join Request": "gz_innovation.enterprise.permissions.linked_has_permission",
	"Enterprise Admin Transfer": "gz_innovation.enterprise.permissions.linked_has_permission",
	"Legacy Indicator Record": "gz_innovation.enterprise.permissions.linked_has_permission",
	"File": "gz_innovation.enterprise.files.file_has_permission",
	"GZ Expert Review": "gz_innovation.recognition.review.has_permission",
}
permission_query_conditions = {
	"Enterprise": "gz_innovation.enterprise.permissions.enterprise_query_conditions",
	"Enterprise Join Request": "gz_innovation.enterprise.permissions.join_request_query_conditions",
	"Enterprise Admin Transfer": "gz_innovation.enterprise.permissions.admin_transfer_query_conditions",
	"Cultivation Submission": "gz_innovation.enterprise.permissions.submission_query_conditions",
	"Legacy Indicator Record": "gz_innovation.enterprise.permissions.legacy_figures_query_conditions",
	"GZ Business Authorization": "gz_innovation.enterprise.permissions.business_authorization_query_conditions",
	"Cultivation Evaluation Row": "gz_innovation.enterprise.permissions.evaluation_row_query_conditions",
	"Cultivation Report Section": "gz_innovation.enterprise.permissions.report_section_query_conditions",
	"Cultivation Evidence": "gz_innovation.enterprise.permissions.evidence_query_conditions",
	"File": "gz_innovation.enterprise.permissions.file_query_conditions",
	# Frappe's own conditions of these two hold too (the hooks of all apps are combined with "and").
	"Workflow Action": "gz_innovation.enterprise.permissions.workflow_action_query_conditions",
	"User": "gz_innovation.enterprise.permissions.user_query_conditions",
	"GZ Expert Review": "gz_innovation.recognition.review.query_conditions",
	"GZ Expert Review Line": "gz_innovation.recognition.review.line_query_conditions",
}

# --- Frappe's classes and methods the app answers (overrides/) ------------------------------------------
override_doctype_class = {
	"File": "gz_innovation.overrides.file.GZFile",
	"System Settings": "gz_innovation.overrides.system_settings.GZSystemSettings",
}
override_whitelisted_methods = {
	"frappe.core.doctype.user.user.reset_password": "gz_innovation.overrides.methods.reset_password",
	"frappe.core.doctype.user.user.update_password": "gz_innovation.overrides.methods.update_password",
	"frappe.client.get_count": "gz_innovation.overrides.methods.get_count",
	"frappe.utils.pdf.is_wkhtmltopdf_valid": "gz_innovation.overrides.methods.is_wkhtmltopdf_valid",
}

# --- Document events --------------------------------------------------------------------------------------
_forget_guest_pages = "gz_innovation.portal.cache.forget_guest_pages"
_forget_forms = "gz_innovation.enterprise.form.forget_described"
_prepare = "gz_innovation.prepare.enqueue"
doc_events = {
	# Every record of the app: plain text on every path (boundary/plain_text.py), and the audit trail
	# of the document types audit/trail.py watches (who, when, what, from where).
	"*": {
		"validate": "gz_innovation.boundary.plain_text.validate",
		"after_insert": "gz_innovation.audit.trail.on_insert",
		"on_update": "gz_innovation.audit.trail.on_update",
		"on_trash": "gz_innovation.audit.trail.on_trash",
	},
	# Frappe's DocTypes, held to the app's rules (listed in overrides/__init__.py).
	"User": {
		"before_validate": "gz_innovation.accounts.password.validate_user_password",
		"validate": [
			"gz_innovation.accounts.users.validate_user",
			"gz_innovation.boundary.plain_text.validate_user",
		],
		"before_save": "gz_innovation.cultivation.department.set_default_workspace",
		"before_rename": "gz_innovation.accounts.users.refuse_rename",
	},
	"User Permission": {"validate": "gz_innovation.enterprise.membership.validate_user_permission"},
	"Version": {"before_insert": "gz_innovation.enterprise.personal_data.mask_version"},
	"Comment": {"validate": "gz_innovation.accounts.timeline.validate_comment"},
	"ToDo": {"validate": "gz_innovation.accounts.timeline.validate_todo"},
	"Document Follow": {"validate": "gz_innovation.accounts.timeline.validate_document_follow"},
	"File": {"validate": "gz_innovation.portal.notices.validate_file"},
	# The portal's forms are drawn from metadata: a condition they cannot evaluate is refused, and a
	# change reaches the portal at once (enterprise/form.py, portal/depends.py).
	"Custom Field": {
		"validate": "gz_innovation.portal.depends.check_custom_field",
		"on_update": _forget_forms,
		"on_trash": [_forget_forms, "gz_innovation.portal.depends.warn_removal"],
	},
	"Property Setter": {
		"validate": "gz_innovation.portal.depends.check_property_setter",
		"on_update": _forget_forms,
		"on_trash": _forget_forms,
	},
	"DocType": {"validate": "gz_innovation.portal.depends.check_doctype", "on_update": _forget_forms},
	# The review route is made from the review stages (cultivation/route.py): an edit of the Workflow
	# in Desk keeps every stage reachable and with a way back to the enterprise.
	"Workflow": {"validate": "gz_innovation.cultivation.route.validate_workflow"},
	# The app's records whose changes the guest pages show (the home, the notices); and what the first
	# requests into a batch read, prepared in the background before they come (prepare.py).
	"Cultivation Batch": {
		"on_update": [_forget_guest_pages, _prepare],
		"on_trash": [_forget_guest_pages, _prepare],
	},
	"Cultivation Rule Set": {
		"on_update": [_forget_guest_pages, _prepare],
		"on_trash": [_forget_guest_pages, _prepare],
	},
	"Cultivation Type": {"on_update": _prepare},
	# Server-set times of the review queues and the 申报书's verification code.
	"Cultivation Submission": {
		"validate": "gz_innovation.cultivation.stages.validate",
		"before_save": "gz_innovation.cultivation.stages.before_save",
	},
	"Enterprise": {
		"validate": "gz_innovation.enterprise.queue.validate",
		"before_save": "gz_innovation.enterprise.queue.before_save",
	},
}
ignore_links_on_delete = ["GZ Audit Log"]

# --- Hooks of the app's own (a lower module asks the modules above it, never importing them) ---------
# Accounts: who an identifier is, another way a password may match, what to do when a password is
# set, where to send a user after login.
gz_login_identifier = ["gz_innovation.enterprise.membership.admin_of_code"]
gz_password_fallback = ["gz_innovation.legacy.passwords.check_and_upgrade"]
gz_on_password_set = ["gz_innovation.legacy.passwords.drop_hash_of"]
gz_login_redirect = ["gz_innovation.legacy.completion.login_redirect"]
# Cultivation: an enterprise's first draft prefilled (legacy: the previous platform's last figures).
gz_first_draft_prefill = ["gz_innovation.legacy.figures.latest_figures"]
# Cultivation: the live pre-check's additions (recognition: the self-score under the programme's
# scoring scheme) and the checks of a submission on any path (recognition: the scheme's gate).
gz_precheck_extras = ["gz_innovation.recognition.gate.precheck_extras"]
gz_submission_checks = ["gz_innovation.recognition.gate.check_submission"]
# 创新平台管理中心's additions (recognition: the enterprise's certificates of recognition).
gz_center_extras = ["gz_innovation.recognition.certificates.center_extras"]
# 申报详情's additions (recognition: the released review results, declared beside verified).
gz_detail_extras = ["gz_innovation.recognition.review.detail_extras"]
# The recognised enterprise's members read their certificate (its PDF is rendered by the print view).
has_website_permission = {"GZ Recognition": "gz_innovation.recognition.certificates.has_website_permission"}
# User fields only System Managers change (accounts/users.py), added by the modules that own them.
gz_protected_user_fields = ["gz_review_city", "gz_review_county"]

# --- Desk ------------------------------------------------------------------------------------------------
# Desk writes the app's text and Attach values as text, review forms lock what enterprises declared, the
# activity shows real changes (gz_desk.js); the department's Desk pages (gz_department.js, gz_desk.css).
app_include_js = ["/assets/gz_innovation/js/gz_desk.js", "/assets/gz_innovation/js/gz_department.js"]
app_include_css = ["/assets/gz_innovation/css/gz_desk.css"]
# Desk's boot carries the department workspace's number cards and charts (cultivation/department.py) and
# the states a reviewer's action needs a reason for (cultivation/review.py).
extend_bootinfo = [
	"gz_innovation.cultivation.department.boot_widgets",
	"gz_innovation.cultivation.review.boot_reason_states",
]
# The 申报书 button on a submission.
doctype_js = {"Cultivation Submission": "public/js/cultivation_submission_desk.js"}
# The 申报书 print format reads its extra content (indicator units, 审核流程, verification QR code).
jinja = {
	"methods": [
		"gz_innovation.cultivation.application.print_context",
		"gz_innovation.recognition.certificates.certificate_context",
	]
}
# Daily (08:30 Beijing time): deadline reminders to reviewers and to enterprise admins with drafts.
scheduler_events = {
	"cron": {
		"30 8 * * *": [
			"gz_innovation.cultivation.reminders.send_daily_reminders",
			"gz_innovation.recognition.reminders.send_expert_reminders",
		]
	},
	"hourly": ["gz_innovation.prepare.prepare"],  # what a cleared cache dropped, ready again
}

# --- Portal: the platform home, the console layout, the portal bundle (portal/) ---------------------
# `/` is the platform home; guests get it (and /notices) from a cache dropped when what it shows changes.
home_page = "home"
page_renderer = ["gz_innovation.portal.cache.PortalPage"]
update_website_context = [
	"gz_innovation.setup.website.translate_page_title",
	"gz_innovation.accounts.password.redirect_to_password_change",
]
website_route_rules = [
	# The public check of a 申报书's verification code.
	{"from_route": "/verify/<code>", "to_route": "verify"},
	{"from_route": "/notices/<name>", "to_route": "notice"},
]

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
