"""Daily reminders (scheduler_events in hooks.py; Desk → Cultivation Reminder Settings):

- reviewers of a stage (市州初审: GZ City Reviewer of the item's city; 省厅审核: GZ Province Reviewer)
  hear which items of a batch fall due at the stage's deadline within N days and which are overdue,
  by SMS, e-mail and a Desk notification;
- enterprise admins with an unsubmitted application (草稿 or 退回修改) hear it 3 days and 1 day (the
  configured days) before the batch closes, by SMS and e-mail.

SMS go through the app's one interface (accounts/sms.py, templates in GZ SMS Settings). Each
recipient gets at most one reminder per kind, batch and stage a day (Cultivation Reminder Log), so a
second run of the job on the same day sends nothing again.
"""

from collections import defaultdict
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, getdate, now_datetime

from gz_innovation.accounts import sms
from gz_innovation.accounts.registration import PLACEHOLDER_EMAIL_DOMAIN
from gz_innovation.cultivation import stages
from gz_innovation.cultivation.submission import EDITABLE
from gz_innovation.enterprise.permissions import REVIEW_CITY_FIELD
from gz_innovation.enterprise.roles import CITY_REVIEWER_ROLE, PROVINCE_REVIEWER_ROLE

SETTINGS = "Cultivation Reminder Settings"
REVIEW_PURPOSE = "review_deadline_reminder"
DRAFT_PURPOSE = "draft_deadline_reminder"
REVIEW_KIND, DRAFT_KIND = "审核到期", "草稿未提交"
STAGE_ROLES = {"city": CITY_REVIEWER_ROLE, "province": PROVINCE_REVIEWER_ROLE}


class ReminderSettingsError(frappe.ValidationError):
	http_status_code = 417


# Texts: SMS templates (GZ SMS Settings) and the defaults of the e-mail texts (Cultivation Reminder Settings).
REVIEW_TEXT = "{stage} of {batch}: {due} items are due within {days} days and {overdue} are overdue (deadline {deadline}). Please log in to review them."
REVIEW_SUBJECT = "Review reminder: {stage} of {batch}"
DRAFT_TEXT = "Your {type} application in {batch} is not submitted yet; the batch closes in {days} days ({closes_at}). Please submit it in time."
DRAFT_SUBJECT = "Reminder: submit your {type} application before {closes_at}"


def sms_templates(language: str) -> dict:
	return {
		REVIEW_PURPOSE: (_(REVIEW_TEXT, lang=language), "stage,batch,due,days,overdue,deadline"),
		DRAFT_PURPOSE: (_(DRAFT_TEXT, lang=language), "type,batch,days,closes_at"),
	}


def ensure_settings(language: str) -> None:
	"""Fill the texts of the reminder settings while they are empty (an administrator's text is kept)."""
	settings = frappe.get_single(SETTINGS)
	defaults = {
		"reviewer_subject": _(REVIEW_SUBJECT, lang=language),
		"reviewer_message": _(REVIEW_TEXT, lang=language),
		"enterprise_subject": _(DRAFT_SUBJECT, lang=language),
		"enterprise_message": _(DRAFT_TEXT, lang=language),
	}
	missing = {field: text for field, text in defaults.items() if not settings.get(field)}
	if missing or settings.get("draft_reminder_days") is None:
		settings.update(missing)
		settings.save(ignore_permissions=True)


def validate_settings(doc) -> None:
	if cint(doc.due_within_days) < 0:
		frappe.throw(
			_("{0} cannot be negative").format(_("Remind When Due Within (days)")), ReminderSettingsError
		)
	days_before_closing(doc.draft_reminder_days)


def days_before_closing(text) -> list[int]:
	"""'3,1' -> [3, 1]; a clear error naming the field otherwise."""
	days = []
	for part in (text or "").replace("，", ",").split(","):
		part = part.strip()
		if not part:
			continue
		if not part.isdigit():
			frappe.throw(
				_("{0}: enter whole numbers of days separated by commas, e.g. 3,1").format(
					_("Days Before the Batch Closes")
				),
				ReminderSettingsError,
			)
		days.append(int(part))
	return days


# --- the daily job ---------------------------------------------------------------------------------


def send_daily_reminders() -> dict:
	"""The scheduler job; returns what it sent (for tests and the log)."""
	settings = frappe.get_single(SETTINGS)
	if not cint(settings.enabled):
		return {"reviewers": 0, "enterprises": 0}
	now = now_datetime()
	sent = {
		"reviewers": remind_reviewers(settings, now) if cint(settings.remind_reviewers) else 0,
		"enterprises": remind_enterprise_admins(settings, now) if cint(settings.remind_enterprises) else 0,
	}
	frappe.db.commit()  # nosemgrep: a scheduler job keeps what it sent
	return sent


def remind_reviewers(settings, now) -> int:
	"""One reminder per reviewer, batch and stage: the items due within N days and those overdue."""
	horizon = add_days(now, cint(settings.due_within_days))
	batches = frappe.get_all(
		"Cultivation Batch", fields=["name", "city_review_deadline", "province_review_deadline"]
	)
	sent = 0
	for batch in batches:
		for key, stage in stages.STAGES.items():
			deadline = batch.get(stage["deadline_field"])
			if not deadline or get_datetime(deadline) > horizon:
				continue
			items = frappe.get_all(
				"Cultivation Submission",
				filters={"batch": batch.name, "status": ["in", stage["states"]]},
				fields=["name", "city"],
			)
			if not items:
				continue
			overdue = get_datetime(deadline) < now
			for reviewer, cities in reviewers_of(key).items():
				mine = [item for item in items if cities is None or item.city in cities]
				if not mine:
					continue
				params = {
					"stage": stage["label"],
					"batch": batch.name,
					"due": 0 if overdue else len(mine),
					"overdue": len(mine) if overdue else 0,
					"days": cint(settings.due_within_days),
					"deadline": get_datetime(deadline).strftime("%Y-%m-%d %H:%M"),
				}
				sent += deliver(
					settings,
					reviewer,
					REVIEW_KIND,
					batch.name,
					stage["label"],
					REVIEW_PURPOSE,
					params,
					settings.reviewer_subject,
					settings.reviewer_message,
					desk_link="/app/cultivation-submission?batch=" + quote(batch.name),
				)
	return sent


def reviewers_of(stage: str) -> dict[str, set | None]:
	"""{user: the cities they review (None: all)} of the enabled accounts holding the stage's role."""
	users = frappe.get_all(
		"Has Role",
		filters={"role": STAGE_ROLES[stage], "parenttype": "User"},
		pluck="parent",
	)
	if not users:
		return {}
	rows = frappe.get_all(
		"User",
		filters={"name": ["in", users], "enabled": 1},
		fields=["name", REVIEW_CITY_FIELD],
	)
	return {row.name: ({row.get(REVIEW_CITY_FIELD)} if row.get(REVIEW_CITY_FIELD) else None) for row in rows}


def remind_enterprise_admins(settings, now) -> int:
	"""The admins of enterprises with an unsubmitted application, N days before the batch closes."""
	days_list = days_before_closing(settings.draft_reminder_days)
	today = getdate(now)
	sent = 0
	for batch in frappe.get_all(
		"Cultivation Batch", filters={"closes_at": [">=", now]}, fields=["name", "closes_at"]
	):
		days = (getdate(batch.closes_at) - today).days
		if days not in days_list:
			continue
		drafts = frappe.get_all(
			"Cultivation Submission",
			filters={"batch": batch.name, "status": ["in", EDITABLE]},
			fields=["enterprise", "cultivation_type"],
		)
		by_admin = defaultdict(list)
		for draft in drafts:
			admin = frappe.db.get_value("Enterprise", draft.enterprise, "enterprise_admin")
			if admin:
				by_admin[admin].append(draft.cultivation_type)
		for admin, types in by_admin.items():
			params = {
				"type": "、".join(sorted(set(types))),
				"batch": batch.name,
				"days": days,
				"closes_at": get_datetime(batch.closes_at).strftime("%Y-%m-%d %H:%M"),
			}
			sent += deliver(
				settings,
				admin,
				DRAFT_KIND,
				batch.name,
				"",
				DRAFT_PURPOSE,
				params,
				settings.enterprise_subject,
				settings.enterprise_message,
			)
	return sent


def deliver(settings, user, kind, batch, stage, purpose, params, subject, message, desk_link=None) -> int:
	"""Send one reminder on the switched-on channels, unless the user had it today; returns 1 if sent."""
	today = getdate(now_datetime())
	if frappe.db.exists(
		"Cultivation Reminder Log",
		{"reminder_date": today, "kind": kind, "recipient": user, "batch": batch, "stage": stage},
	):
		return 0
	mobile, email = frappe.db.get_value("User", user, ["mobile_no", "email"]) or (None, None)
	text = sms.render(message or "", params)
	html = sms.render_html(message or "", params)  # e-mail and Desk notifications show HTML
	channels = []
	if cint(settings.send_sms) and mobile:
		try:
			sms.send_sms(mobile, purpose, params, request_ip=None)
			channels.append(_("SMS"))
		except frappe.ValidationError:
			frappe.clear_last_message()  # written to GZ SMS Log; the other channels still go
	if cint(settings.send_email) and email and not email.endswith(PLACEHOLDER_EMAIL_DOMAIN):
		try:
			frappe.sendmail(
				recipients=[email], subject=sms.render(subject or "", params), message=html, now=False
			)
			channels.append(_("E-mail"))
		except frappe.OutgoingEmailError:
			frappe.clear_last_message()
			frappe.log_error(title="Reminder e-mail not queued: no outgoing e-mail account")
	if cint(settings.send_desk_notification) and desk_link:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"subject": html,
				"document_type": "Cultivation Submission",
				"link": desk_link,
			}
		).insert(ignore_permissions=True)
		channels.append(_("Desk notification"))
	frappe.get_doc(
		{
			"doctype": "Cultivation Reminder Log",
			"reminder_date": today,
			"kind": kind,
			"recipient": user,
			"batch": batch,
			"stage": stage,
			"due_count": params.get("due"),
			"overdue_count": params.get("overdue"),
			"channels": ", ".join(channels),
			"message": text,
		}
	).insert(ignore_permissions=True)
	return 1
