"""创新平台管理中心 reads its batches from a cache; a batch changed or removed in Desk shows at once."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from gz_innovation.cultivation import api, batches
from gz_innovation.cultivation.tests.utils import delete_batches, open_batch


def listed(name: str) -> dict | None:
	return next((b for b in api.listed_batches(now_datetime()) if b.name == name), None)


class TestBatchCache(FrappeTestCase):
	def test_a_batch_saved_or_deleted_in_desk_shows_at_once(self):
		batch = open_batch(days_open=1, days_left=10)
		self.addCleanup(delete_batches, [batch])
		self.assertEqual(listed(batch).state, "open")
		self.assertIn(batch, [b["name"] for b in frappe.cache.get_value(batches.CACHE_KEY)])

		doc = frappe.get_doc("Cultivation Batch", batch)  # as Desk saves it
		doc.closes_at = add_days(now_datetime(), -1)
		doc.types = doc.types[:1]
		doc.save(ignore_permissions=True)
		self.assertEqual(listed(batch).state, "closed")
		self.assertEqual(len(listed(batch).types), 1)

		delete_batches([batch])
		self.assertIsNone(listed(batch))

	def test_a_rolled_back_batch_is_not_listed(self):
		frappe.db.commit()  # nosemgrep: start from a clean transaction
		batch = open_batch(days_open=1, days_left=10)
		self.assertIsNotNone(listed(batch))  # this transaction sees it (and may cache it)
		frappe.db.rollback()
		self.assertIsNone(listed(batch))
