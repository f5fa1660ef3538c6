"""Deadline reminders: Frappe's scheduler runs the daily job; reviewers of a stage hear of items due
within N days or overdue (SMS through the app's provider interface, captured; e-mail in Frappe's
queue; a Desk notification), enterprise admins of unsubmitted applications 3 and 1 days before the
batch closes; once a day; switches and texts from Cultivation Reminder Settings."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import delete_users, use_capture_provider
from gz_innovation.cultivation import reminders
from gz_innovation.cultivation.tests.department import (
	GOOD,
	GUIYANG,
	ZUNYI,
	closing_in,
	days_from_now,
	delete_batches,
	enterprise_in,
	new_batch,
	step,
	submitted,
)
from gz_innovation.enterprise.tests.utils import (
	create_regulator,
	delete_enterprises,
	ensure_outgoing_email_account,
)

JOB = "gz_innovation.cultivation.reminders.send_daily_reminders"


def run_scheduled_job() -> None:
	"""The daily job as Frappe's scheduler runs it (Scheduled Job Type made from hooks.py)."""
	frappe.get_doc("Scheduled Job Type", {"method": JOB}).execute()


def sms_to(user: str, purpose: str) -> list[str]:
	mobile = frappe.db.get_value("User", user, "mobile_no")
	return frappe.get_all(
		"GZ SMS Log", filters={"mobile": mobile, "purpose": purpose}, pluck="message", order_by="creation asc"
	)


def emails_to(user: str) -> list[str]:
	"""Subject and text of each e-mail queued for the user (decoded from its MIME form)."""
	import email
	from email.header import decode_header, make_header

	address = frappe.db.get_value("User", user, "email")
	texts = []
	for name in frappe.get_all("Email Queue Recipient", filters={"recipient": address}, pluck="parent"):
		message = email.message_from_string(frappe.db.get_value("Email Queue", name, "message"))
		parts = [part.get_payload(decode=True) for part in message.walk() if not part.is_multipart()]
		texts.append(
			str(make_header(decode_header(message["Subject"])))
			+ "".join(p.decode("utf-8", "replace") for p in parts if p)
		)
	return texts


def desk_notifications(user: str) -> list[str]:
	return frappe.get_all("Notification Log", filters={"for_user": user}, pluck="subject")


class ReminderTestCase(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		use_capture_provider()
		ensure_outgoing_email_account()
		settings = frappe.get_single(reminders.SETTINGS)
		saved = settings.as_dict()
		settings.update(
			{
				"enabled": 1,
				"send_sms": 1,
				"send_email": 1,
				"send_desk_notification": 1,
				"remind_reviewers": 1,
				"due_within_days": 3,
				"remind_enterprises": 1,
				"draft_reminder_days": "3,1",
			}
		)
		settings.save(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		self.addCleanup(self.restore_settings, saved)
		self.addCleanup(frappe.set_user, "Administrator")

	@staticmethod
	def restore_settings(saved) -> None:
		settings = frappe.get_single(reminders.SETTINGS)
		settings.update(
			{key: saved.get(key) for key in ("enabled", "send_sms", "send_email", "due_within_days")}
		)
		settings.save(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep

	def make(self, city):
		enterprise, admin = enterprise_in(city)
		self.addCleanup(delete_users, [admin])
		self.addCleanup(delete_enterprises, [enterprise])
		return admin

	def reviewer(self, city=None):
		user = create_regulator(city=city)
		self.addCleanup(delete_users, [user])
		return user

	def batch(self, name):
		self.addCleanup(delete_batches, [name])
		return name


class TestReviewerReminders(ReminderTestCase):
	def test_reviewers_hear_of_items_due_soon_and_overdue(self):
		self.assertIn(JOB, frappe.get_hooks("scheduler_events")["cron"]["30 8 * * *"])
		due = self.batch(
			new_batch(
				deadlines={
					"city_review_deadline": days_from_now(2),
					"province_review_deadline": days_from_now(20),
				}
			)
		)
		late = self.batch(
			new_batch(
				opened_days_ago=10,
				deadlines={
					"city_review_deadline": days_from_now(-3),
					"province_review_deadline": days_from_now(-1),
				},
			)
		)
		guiyang, zunyi, province = self.reviewer(GUIYANG), self.reviewer(ZUNYI), self.reviewer()
		a1, a2, a3 = self.make(GUIYANG), self.make(ZUNYI), self.make(GUIYANG)
		submitted(a1, due, "企业技术中心", GOOD)
		submitted(a2, due, "企业技术中心", GOOD)
		in_province = submitted(a3, late, "企业技术中心", GOOD)
		step(in_province, "受理", guiyang)
		step(in_province, "初审通过", guiyang)

		run_scheduled_job()

		guiyang_sms = [m for m in sms_to(guiyang, reminders.REVIEW_PURPOSE) if due in m]
		self.assertEqual(len(guiyang_sms), 1)
		self.assertIn(f"【市州初审】{due}：1件将在3天内到期，0件已超期", guiyang_sms[0])
		zunyi_sms = [m for m in sms_to(zunyi, reminders.REVIEW_PURPOSE) if due in m]
		self.assertEqual(len(zunyi_sms), 1)  # 遵义市's own item only
		self.assertIn("1件将在3天内到期", zunyi_sms[0])
		province_sms = sms_to(province, reminders.REVIEW_PURPOSE)
		self.assertEqual([m for m in province_sms if due in m], [])  # nothing waits for 省厅审核 there
		late_sms = [m for m in province_sms if late in m]
		self.assertEqual(len(late_sms), 1)
		self.assertIn(f"【省厅审核】{late}：0件将在3天内到期，1件已超期", late_sms[0])
		# e-mail in Frappe's queue and a Desk notification
		self.assertTrue(
			any(due in message and "1件将在3天内到期" in message for message in emails_to(guiyang))
		)
		self.assertTrue(any(due in subject for subject in desk_notifications(guiyang)))
		self.assertEqual(len([s for s in desk_notifications(zunyi) if due in s]), 1)

		# Once a day: a second run sends nothing again.
		run_scheduled_job()
		self.assertEqual(len([m for m in sms_to(guiyang, reminders.REVIEW_PURPOSE) if due in m]), 1)
		self.assertEqual(len([s for s in desk_notifications(guiyang) if due in s]), 1)

	def test_switches_and_the_number_of_days(self):
		due = self.batch(
			new_batch(
				deadlines={
					"city_review_deadline": days_from_now(5),
					"province_review_deadline": days_from_now(20),
				}
			)
		)
		guiyang = self.reviewer(GUIYANG)
		submitted(self.make(GUIYANG), due, "企业技术中心", GOOD)
		run_scheduled_job()  # due in 5 days, N = 3: not yet
		self.assertEqual([m for m in sms_to(guiyang, reminders.REVIEW_PURPOSE) if due in m], [])
		settings = frappe.get_single(reminders.SETTINGS)
		settings.due_within_days = 7
		settings.send_sms = 0
		settings.save(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		run_scheduled_job()
		self.assertEqual([m for m in sms_to(guiyang, reminders.REVIEW_PURPOSE) if due in m], [])  # SMS off
		self.assertTrue(any(due in message and "7天内到期" in message for message in emails_to(guiyang)))
		log = frappe.get_all(
			"Cultivation Reminder Log",
			filters={"recipient": guiyang, "batch": due},
			fields=["channels", "due_count"],
		)
		self.assertEqual([(r.channels, r.due_count) for r in log], [("电子邮件, 系统内通知", 1)])

	def test_nothing_when_switched_off(self):
		due = self.batch(
			new_batch(
				deadlines={
					"city_review_deadline": days_from_now(1),
					"province_review_deadline": days_from_now(20),
				}
			)
		)
		guiyang = self.reviewer(GUIYANG)
		submitted(self.make(GUIYANG), due, "企业技术中心", GOOD)
		frappe.db.set_single_value(reminders.SETTINGS, "enabled", 0)
		frappe.db.commit()  # nosemgrep
		run_scheduled_job()
		self.assertEqual(sms_to(guiyang, reminders.REVIEW_PURPOSE), [])
		self.assertEqual(desk_notifications(guiyang), [])


class TestDraftReminders(ReminderTestCase):
	def test_admins_with_unsubmitted_applications_3_and_1_days_before_closing(self):
		in_three, in_two, in_one = (self.batch(closing_in(days)) for days in (3, 2, 1))
		a3, a2, a1, done = (self.make(GUIYANG) for _ in range(4))
		submitted(a3, in_three, "企业技术中心", GOOD, submit=False)
		submitted(a2, in_two, "企业技术中心", GOOD, submit=False)
		submitted(a1, in_one, "工业设计中心", GOOD, submit=False)
		submitted(done, in_three, "企业技术中心", GOOD)  # submitted: nothing to remind

		run_scheduled_job()

		three = [m for m in sms_to(a3, reminders.DRAFT_PURPOSE) if in_three in m]
		self.assertEqual(len(three), 1)
		self.assertIn(f"您在{in_three}的企业技术中心申报尚未提交，批次将于3天后", three[0])
		self.assertEqual(sms_to(a2, reminders.DRAFT_PURPOSE), [])  # 2 days: not a reminder day
		one = [m for m in sms_to(a1, reminders.DRAFT_PURPOSE) if in_one in m]
		self.assertEqual(len(one), 1)
		self.assertIn("工业设计中心申报尚未提交，批次将于1天后", one[0])
		self.assertEqual(sms_to(done, reminders.DRAFT_PURPOSE), [])
		run_scheduled_job()
		self.assertEqual(len([m for m in sms_to(a3, reminders.DRAFT_PURPOSE) if in_three in m]), 1)

	def test_the_days_are_checked_when_saved(self):
		settings = frappe.get_single(reminders.SETTINGS)
		settings.draft_reminder_days = "3,一"
		with self.assertRaises(reminders.ReminderSettingsError) as raised:
			settings.save(ignore_permissions=True)
		self.assertEqual(str(raised.exception), "批次截止前天数：请填写以逗号分隔的整数天数，例如 3,1")
