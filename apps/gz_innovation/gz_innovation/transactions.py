"""Transactions under concurrency: on deadline day many requests write at once, and MariaDB may
pick one of them as a deadlock victim ("try restarting transaction"). The victim's work is rolled
back and done again, a few times, before the user sees an error."""

import random
import time

import frappe

# Three were too few: 20 registrations at once on 2 cores met three deadlocks in a row on Frappe's
# password table (__Auth's INSERT ... ON DUPLICATE KEY UPDATE), one or two per deadline-day run.
ATTEMPTS = 5


def retry_on_deadlock(fn, *args, attempts: int = ATTEMPTS, **kwargs):
	"""fn(*args, **kwargs); when MariaDB chose it as a deadlock victim, roll back and run it again
	after a short random pause (at most `attempts` runs in all)."""
	for attempt in range(attempts):
		try:
			return fn(*args, **kwargs)
		except frappe.QueryDeadlockError:
			if attempt == attempts - 1:
				raise
			frappe.db.rollback()
			frappe.local.message_log = []
			time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
