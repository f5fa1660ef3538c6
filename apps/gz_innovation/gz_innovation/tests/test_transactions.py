"""A request MariaDB picks as a deadlock victim is rolled back and done again: nothing twice."""

import secrets

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.transactions import ATTEMPTS, retry_on_deadlock


class TestRetryOnDeadlock(FrappeTestCase):
	def setUp(self):
		self.marker = "deadlock-test-" + secrets.token_hex(4)
		self.runs = 0

	def tearDown(self):
		frappe.db.delete("ToDo", {"description": self.marker})
		frappe.db.commit()  # nosemgrep

	def write_then_fail(self, failures: int) -> str:
		self.runs += 1
		frappe.get_doc({"doctype": "ToDo", "description": self.marker}).insert(ignore_permissions=True)
		if self.runs <= failures:
			raise frappe.QueryDeadlockError(
				"Deadlock found when trying to get lock; try restarting transaction"
			)
		return "done"

	def test_a_victim_is_rolled_back_and_done_again_once(self):
		frappe.db.commit()  # nosemgrep: the retry rolls back to here
		self.assertEqual(retry_on_deadlock(self.write_then_fail, 2), "done")
		self.assertEqual(self.runs, 3)
		self.assertEqual(frappe.db.count("ToDo", {"description": self.marker}), 1)

	def test_the_error_comes_through_after_the_last_attempt(self):
		frappe.db.commit()  # nosemgrep
		with self.assertRaises(frappe.QueryDeadlockError):
			retry_on_deadlock(self.write_then_fail, ATTEMPTS + 2)
		self.assertEqual(self.runs, ATTEMPTS)
