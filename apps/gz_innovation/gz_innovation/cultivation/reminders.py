"""Daily reminders (scheduler_events in hooks.py; Desk → Cultivation Reminder Settings):

- reviewers of a stage (GZ Review Stage: its role, of the item's county or city for a 区县 / 市州
  stage, all for a 省 stage) hear which items of a batch fall due at their stage deadline within N
  days and which are overdue,
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
from gz_innovation.enterprise.permissions import REVIEW_CITY_FIELD, REVIEW_COUNTY_FIELD

SETTINGS = "Cultivation Reminder Settings"
REVIEW_PURPOSE = "review_deadline_reminder"
DRAFT_PURPOSE = "draft_deadline_reminder"
REVIEW_KIND, DRAFT_KIND = "审核到期", "草稿未提交"


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
	"""One reminder per reviewer, batch and stage (those of GZ Review Stage that remind): the items
	in the reviewer's scope due within N days and those overdue, each by its own stage deadline (a
	batch date, or days after it entered the stage: `stage_deadline`)."""
	horizon = add_days(now, cint(settings.due_within_days))
	sent = 0
	for stage in stages.all_stages().values():
		if not stage["remind"]:
			continue
		items = frappe.get_all(
			"Cultivation Submission",
			filters={"status": ["in", stage["states"]], "stage_deadline": ["<=", horizon]},
			fields=["name", "batch", "city", "county", "stage_deadline"],
		)
		by_batch = defaultdict(list)
		for item in items:
			by_batch[item.batch].append(item)
		reviewers = reviewers_of(stage) if items else {}
		for batch, rows in by_batch.items():
			for reviewer, scope in reviewers.items():
				mine = [item for item in rows if scope is None or item.get(scope[0]) in scope[1]]
				if not mine:
					continue
				overdue = [item for item in mine if get_datetime(item.stage_deadline) < now]
				deadline = min(get_datetime(item.stage_deadline) for item in mine)
				params = {
					"stage": stage["label"],
					"batch": batch,
					"due": len(mine) - len(overdue),
					"overdue": len(overdue),
					"days": cint(settings.due_within_days),
					"deadline": deadline.strftime("%Y-%m-%d %H:%M"),
				}
				sent += deliver(
					settings,
					reviewer,
					REVIEW_KIND,
					batch,
					stage["label"],
					REVIEW_PURPOSE,
					params,
					settings.reviewer_subject,
					settings.reviewer_message,
					desk_link="/app/cultivation-submission?batch=" + quote(batch),  # at most 140 characters
				)
	return sent


# The User field that places a reviewer of each scope (区县 / 市州); 省: the whole province.
SCOPE_FIELDS = {"区县": ("county", REVIEW_COUNTY_FIELD), "市州": ("city", REVIEW_CITY_FIELD)}


def reviewers_of(stage: dict) -> dict[str, tuple | None]:
	"""{user: (the submission's field, the values they review) or None for all} of the enabled
	accounts holding the stage's role; a 区县 / 市州 reviewer without a county / city reviews all."""
	users = frappe.get_all(
		"Has Role",
		filters={"role": stage["role"], "parenttype": "User"},
		pluck="parent",
	)
	if not users:
		return {}
	item_field, user_field = SCOPE_FIELDS.get(stage["scope"], (None, None))
	rows = frappe.get_all(
		"User",
		filters={"name": ["in", users], "enabled": 1},
		fields=["name", *((user_field,) if user_field else ())],
	)
	return {
		row.name: ((item_field, {row.get(user_field)}) if user_field and row.get(user_field) else None)
		for row in rows
	}


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


def deliver(
	settings,
	user,
	kind,
	batch,
	stage,
	purpose,
	params,
	subject,
	message,
	desk_link=None,
	document_type="Cultivation Submission",
) -> int:
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
				"document_type": document_type,
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
