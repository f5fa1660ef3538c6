"""Nothing cold on the hot path (issue 23, prepare.py): saving a batch or a rule set enqueues the job
that prepares what the first enterprises of the batch would otherwise compute, and after it the
first request builds nothing; a cleared cache asked by many requests at once is built once, by one
of them, while the others wait for its result. Over HTTP against the test site's server (threaded:
the requests run at the same time, as in several workers; the lock is Redis's, shared by all)."""

import threading
import time

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime
from frappe.utils.background_jobs import create_job_id, get_queue

from gz_innovation import prepare
from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.cultivation import batches, evaluation
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.tests.security.http import HttpBrowser, Reply, base_url

CENTER = "/api/method/gz_innovation.cultivation.api."
TYPE = "企业技术中心"
AT_ONCE = 8


def compiled_key(rule_set: str) -> str:
	import sys

	version, modified = frappe.db.get_value("Cultivation Rule Set", rule_set, ["version", "modified"])
	return f"gz_compiled_rules:{rule_set}:{int(version or 0)}:{get_datetime(modified)}:{sys.hexversion}"


def cached(key: str):
	return frappe.cache.get_value(key, expires=True)


class TestPreparedCaches(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.users = [create_user() for _ in range(2)]
		self.enterprises = [create_certified_enterprise(user) for user in self.users]
		self.batch = None
		frappe.db.commit()  # nosemgrep: the web server's requests read them
		self.addCleanup(self.clean)

	def clean(self):
		frappe.set_user("Administrator")
		if self.batch:
			delete_batches([self.batch])
		delete_enterprises(self.enterprises)
		delete_users(self.users)
		frappe.db.commit()  # nosemgrep

	def open_batch(self) -> str:
		self.batch = open_batch(days_open=1, days_left=10)
		frappe.db.commit()  # nosemgrep: enqueues the preparation (after commit), as a save in Desk does
		return self.batch

	def rule_set(self) -> str:
		return frappe.db.get_value("Cultivation Rule Set", {"batch": self.batch, "cultivation_type": TYPE})

	def run_preparation(self) -> None:
		"""The job the saves enqueued, run as the worker runs it; where a worker of this bench took it
		already, its result is waited for."""
		queue = get_queue("short")
		job_id = create_job_id(prepare.JOB_ID)
		self.assertLessEqual(
			queue.job_ids.count(job_id), 1, "one save enqueued the preparation more than once"
		)
		job = queue.fetch_job(job_id)
		if job and job.get_status() == "queued":
			self.assertEqual(job.kwargs["method"], "gz_innovation.prepare.prepare")
			job.delete()
			frappe.get_attr(job.kwargs["method"])()
			return
		for _ in range(150):
			if batches.find(self.batch) and cached(compiled_key(self.rule_set())):
				return
			frappe.local.cache.clear()
			time.sleep(0.1)
		self.fail("saving the batch and its rule sets enqueued no preparation, and nothing prepared them")

	def test_saving_a_batch_and_its_rule_sets_prepares_what_the_first_enterprise_reads(self):
		self.open_batch()
		rule_set = self.rule_set()
		self.assertIsNone(cached(compiled_key(rule_set)), "compiled before anything asked for it")
		self.run_preparation()

		listed = batches.find(self.batch)
		self.assertIsNotNone(listed, "the batch list does not hold the new batch")
		self.assertIn(TYPE, listed["ready_types"])
		self.assertIsNotNone(cached(compiled_key(rule_set)), "the rule set is not compiled in Redis")
		prepared = evaluation.get_rule_set(rule_set)
		self.assertEqual(prepared.name, rule_set)
		self.assertTrue(prepared.rules)

		# The first enterprise of the morning: its draft and its pre-check build nothing.
		for key in (batches.CACHE_KEY, compiled_key(rule_set)):
			prepare.reset_builds(key)
		browser = HttpBrowser().login(self.users[0])
		opened = browser.post(CENTER + "open_submission", {"cultivation_type": TYPE, "batch": self.batch})
		self.assertEqual(opened.status, 200, opened)
		checked = browser.post(
			CENTER + "precheck",
			{"cultivation_type": TYPE, "batch": self.batch, "values": manual_example_values()},
		)
		self.assertEqual(checked.status, 200, checked)
		self.assertTrue(checked.json["message"]["rows"], checked)
		self.assertEqual(prepare.builds(batches.CACHE_KEY), 0, "the batch list was built in the request")
		self.assertEqual(prepare.builds(compiled_key(rule_set)), 0, "the rules were compiled in the request")

	def test_a_cleared_cache_asked_at_once_is_built_once(self):
		self.open_batch()
		rule_set = self.rule_set()
		browsers = [HttpBrowser().login(user) for user in self.users for _ in range(AT_ONCE // 2)]
		for key in (batches.CACHE_KEY, compiled_key(rule_set)):
			frappe.cache.delete_value(key)
			prepare.reset_builds(key)

		frappe.db.commit()  # nosemgrep: the requests below run in threads of their own
		# 创新平台管理中心 (the batch list), then the live pre-check (the compiled rules), each asked
		# by every browser at the same moment.
		centers = at_once(browsers, "get_center", {})
		checks = at_once(
			browsers,
			"precheck",
			{"cultivation_type": TYPE, "batch": self.batch, "values": manual_example_values()},
		)

		for reply in centers + checks:
			self.assertEqual(reply.status, 200, reply)
		listed = {str(r.json["message"]["batches"]) for r in centers}
		evaluated = {str(r.json["message"]) for r in checks}
		self.assertEqual(len(listed), 1, "a request that waited listed other batches")
		self.assertEqual(len(evaluated), 1, "a request that waited evaluated otherwise")
		self.assertIn(self.batch, str(centers[0].json["message"]["batches"]))
		self.assertTrue(checks[0].json["message"]["rows"])
		self.assertEqual(prepare.builds(batches.CACHE_KEY), 1, "the batch list was built more than once")
		self.assertEqual(prepare.builds(compiled_key(rule_set)), 1, "the rules were compiled more than once")
		self.assertIsNotNone(cached(compiled_key(rule_set)))


def at_once(browsers: list, method: str, args: dict) -> list:
	"""Every browser posts `method` at the same moment (threads released together)."""
	start = threading.Barrier(len(browsers))
	replies = [None] * len(browsers)
	url = base_url() + CENTER + method

	def post(i: int) -> None:
		browser = browsers[i]  # its session, straight: a thread has no Frappe context of its own
		headers = {"Accept": "application/json", "X-Frappe-CSRF-Token": browser.csrf}
		start.wait()
		replies[i] = Reply(browser.session.post(url, json=args, headers=headers, timeout=60))

	threads = [threading.Thread(target=post, args=(i,)) for i in range(len(browsers))]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(60)
	frappe.db.rollback()  # read what the requests wrote
	return replies
