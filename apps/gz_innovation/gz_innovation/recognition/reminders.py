"""Reminders to drawn experts (scheduler_events in hooks.py, daily with the cultivation reminders):
an expert whose reviews are not submitted hears how many fall due by their draw's review deadline
within the days of Cultivation Reminder Settings, and how many are overdue, by SMS, e-mail and a
Desk notification, at most once a day (Cultivation Reminder Log, shared with cultivation's)."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, now_datetime

from gz_innovation.cultivation import reminders
from gz_innovation.recognition import review

KIND = "专家评审到期"
PURPOSE = "expert_review_reminder"
STAGE = "专家评审"
SUBJECT = "Expert review reminder: {due} due, {overdue} overdue"
TEXT = "You have {due} expert reviews due by {deadline} and {overdue} overdue. Please log in to declare your interests and score them."


def send_expert_reminders() -> int:
	"""The scheduler job; returns how many experts were reminded."""
	settings = frappe.get_single(reminders.SETTINGS)
	if not cint(settings.enabled):
		return 0
	sent = remind_experts(settings, now_datetime())
	frappe.db.commit()  # nosemgrep: a scheduler job keeps what it sent
	return sent


def remind_experts(settings, now) -> int:
	horizon = add_days(now, cint(settings.due_within_days))
	rows = frappe.db.sql(
		"""select r.expert_user, d.review_deadline
		from `tabGZ Expert Review` r join `tabGZ Expert Draw` d on d.name = r.draw
		where r.status in %(open)s and r.expert_user is not null and r.expert_user != ''
			and d.review_deadline is not null and d.review_deadline <= %(horizon)s""",
		{"open": (review.PENDING, review.REVIEWING), "horizon": horizon},
		as_dict=True,
	)
	by_expert = defaultdict(list)
	for row in rows:
		by_expert[row.expert_user].append(get_datetime(row.review_deadline))
	sent = 0
	for user, deadlines in by_expert.items():
		overdue = sum(1 for deadline in deadlines if deadline < now)
		params = {
			"due": len(deadlines) - overdue,
			"overdue": overdue,
			"deadline": min(deadlines).strftime("%Y-%m-%d %H:%M"),
		}
		sent += reminders.deliver(
			settings,
			user,
			KIND,
			None,
			STAGE,
			PURPOSE,
			params,
			_(SUBJECT),
			_(TEXT),
			desk_link="/app/gz-expert-review",
			document_type="GZ Expert Review",
		)
	return sent
