"""The boundary's lists, in one place a reviewer reads (the rules that use them: boundary/requests.py).

Names are `module.qualname` of the function that runs (boundary/calls.py), never a URL's spelling.
"""

# Frappe's own methods a logged-in browser asks for: logging out, who is logged in, socket.io.
SESSION_METHODS = frozenset(
	{
		"frappe.handler.logout",
		"frappe.handler.web_logout",
		"frappe.api.v2.logout",
		"frappe.auth.get_logged_user",
		"frappe.ping",
		"frappe.realtime.get_user_info",
		"frappe.realtime.can_subscribe_doc",
		"frappe.realtime.can_subscribe_doctype",
	}
)

# What a portal user (Website User: personal users, enterprise admins and staff) may call. Everything
# else is refused before it runs: Frappe's REST on documents, `frappe.client`, Desk's methods,
# document methods. Pages and files answer for themselves.
PORTAL_METHODS = frozenset(
	{
		# accounts: registration, login, SMS codes, passwords
		"gz_innovation.accounts.api.get_captcha",
		"gz_innovation.accounts.api.send_sms_code",
		"gz_innovation.accounts.api.register",
		"gz_innovation.accounts.api.login",
		"gz_innovation.accounts.api.reset_password",
		"gz_innovation.accounts.api.change_password",
		"gz_innovation.accounts.api.test_captcha_answer",  # answers only on a test site (allow_tests)
		"gz_innovation.accounts.api.test_last_sms",  # answers only on a test site (allow_tests)
		# enterprise: certification, membership, staff
		"gz_innovation.enterprise.api.get_certification",
		"gz_innovation.enterprise.api.start_certification",
		"gz_innovation.enterprise.api.save_certification_step",
		"gz_innovation.enterprise.api.submit_certification",
		"gz_innovation.enterprise.api.upload_business_licence",
		"gz_innovation.enterprise.api.check_enterprise",
		"gz_innovation.enterprise.api.request_to_join",
		"gz_innovation.enterprise.api.list_members",
		"gz_innovation.enterprise.api.decide_join_request",
		"gz_innovation.enterprise.api.add_staff",
		"gz_innovation.enterprise.api.reset_staff_password",
		"gz_innovation.enterprise.api.set_staff_enabled",
		"gz_innovation.enterprise.api.set_staff_roles",
		"gz_innovation.enterprise.api.request_admin_transfer",
		# legacy: the previous platform's users complete their enterprise
		"gz_innovation.legacy.api.get_enterprise_update",
		"gz_innovation.legacy.api.complete_enterprise_update",
		# cultivation: 创新平台管理中心, 申报详情, the 申报书 and the commitment
		"gz_innovation.cultivation.api.get_center",
		"gz_innovation.cultivation.api.open_submission",
		"gz_innovation.cultivation.api.save_submission",
		"gz_innovation.cultivation.api.precheck",
		"gz_innovation.cultivation.api.submit_submission",
		"gz_innovation.cultivation.api.get_submission",
		"gz_innovation.cultivation.api.upload_evidence",
		"gz_innovation.cultivation.api.remove_evidence",
		"gz_innovation.cultivation.application.download",
		"gz_innovation.cultivation.commitment.download",
		"gz_innovation.cultivation.commitment.template",
		# recognition: a real-name objection to a list under 公示; the enterprise's 认定证书
		"gz_innovation.recognition.publicity.submit_objection",
		"gz_innovation.recognition.certificates.download",
	}
	| SESSION_METHODS
)

# What a user who must change a default password may call until it is changed (pages are sent to
# /change-password by accounts/password.py).
WHILE_PASSWORD_MUST_CHANGE = frozenset(
	{
		"gz_innovation.accounts.api.change_password",
		"frappe.core.doctype.user.user.update_password",  # Desk's own dialog (overrides/methods.py)
		"gz_innovation.overrides.methods.update_password",
	}
	| SESSION_METHODS
)

# Frappe's methods whose work leaves the request's database transaction (a background job, a message
# to a gateway, a backup, the session in Redis and its cookie) and that Frappe lets run on GET. A
# request that may not write (boundary/requests.py) cannot stop that work with a read-only transaction,
# so these are refused on it. tests/test_boundary_policy.py looks for such methods in the installed
# Frappe and fails on one that is missing here.
WRITES_OUTSIDE_THE_DATABASE = frozenset(
	{
		"frappe.handler.logout",
		"frappe.handler.web_logout",
		"frappe.api.v2.logout",
		"frappe.automation.doctype.assignment_rule.assignment_rule.bulk_apply",
		"frappe.core.doctype.recorder.recorder.add_indexes",
		"frappe.core.doctype.recorder.recorder.optimize",
		"frappe.core.doctype.scheduled_job_type.scheduled_job_type.execute_event",
		"frappe.core.doctype.sms_settings.sms_settings.send_sms",
		"frappe.core.report.database_storage_usage_by_tables.database_storage_usage_by_tables.optimize_doctype",
		"frappe.custom.doctype.customize_form.customize_form.CustomizeForm.save_customization",
		"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs",
		"frappe.desk.page.backups.backups.schedule_files_backup",
		"frappe.desk.page.setup_wizard.setup_wizard.setup_complete",
		"frappe.desk.reportview.delete_items",
		"frappe.desk.query_report.export_query",
		"frappe.desk.reportview.export_query",
		"frappe.integrations.doctype.dropbox_settings.dropbox_settings.take_backup",
		"frappe.integrations.doctype.google_drive.google_drive.take_backup",
		"frappe.integrations.doctype.s3_backup_settings.s3_backup_settings.take_backup",
		"frappe.integrations.doctype.s3_backup_settings.s3_backup_settings.take_backups_s3",
		"frappe.integrations.frappe_providers.frappecloud_billing.send_verification_code",
		"frappe.model.rename_doc.update_document_title",
		"frappe.model.rename_doc.rename_doc",
		"frappe.model.workflow.bulk_workflow_approval",
		"frappe.recorder.stop",
		"frappe.twofactor.reset_otp_secret",
		"frappe.utils.print_format.download_multi_pdf_async",
		# Frappe 15.9x
		"frappe.core.doctype.prepared_report.prepared_report.enqueue_json_to_csv_conversion",
		"frappe.core.doctype.user_invitation.user_invitation.UserInvitation.cancel_invite",
		"frappe.core.doctype.user_invitation.user_invitation.UserInvitation.expire",
	}
)

# Frappe's methods that only System Managers call: Frappe's send_sms checks no role in v15, so any Desk
# user could send messages through the configured gateway.
SYSTEM_MANAGER_METHODS = frozenset({"frappe.core.doctype.sms_settings.sms_settings.send_sms"})

# Methods of documents that no client calls: Document.add_comment would let anyone who reads a record
# write a comment of any type into its timeline (a forged step of 审核流程). Desk's comment box uses
# frappe.desk.form.utils.add_comment, and the server writes the Workflow steps itself.
REFUSED_DOC_METHODS = frozenset({"add_comment"})

# OAuth's token endpoint: its password grant would check a password without the captcha of the login
# page (authorization codes and refresh tokens keep working for single sign-on clients).
OAUTH_TOKEN = "frappe.integrations.oauth2.get_token"
