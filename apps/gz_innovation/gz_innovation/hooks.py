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

update_website_context = [
	"gz_innovation.setup.website.translate_page_title",
	"gz_innovation.accounts.password.redirect_to_password_change",
]

# Accounts: only the captcha-checked login may create a session; a default password must be
# changed before anything else; Frappe's send_sms is for System Managers only.
on_login = "gz_innovation.accounts.login.refuse_login_without_captcha"
before_request = ["gz_innovation.accounts.password.enforce_password_change"]
# Enterprise isolation: one criterion for documents and lists (enterprise/permissions.py).
has_permission = {
	"Enterprise": "gz_innovation.enterprise.permissions.enterprise_has_permission",
	"Cultivation Submission": "gz_innovation.enterprise.permissions.linked_has_permission",
}
permission_query_conditions = {
	"Enterprise": "gz_innovation.enterprise.permissions.enterprise_query_conditions",
	"Enterprise Join Request": "gz_innovation.enterprise.permissions.join_request_query_conditions",
	"Cultivation Submission": "gz_innovation.enterprise.permissions.submission_query_conditions",
}

doc_events = {
	"User": {"before_validate": "gz_innovation.accounts.password.validate_user_password"},
}
override_whitelisted_methods = {
	"frappe.core.doctype.user.user.update_password": "gz_innovation.accounts.password.guarded_update_password",
	"frappe.core.doctype.sms_settings.sms_settings.send_sms": "gz_innovation.accounts.sms.guarded_frappe_send_sms",
}

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
