"""Batches as 创新平台管理中心 lists them. Read on every visit of the center and changed a few
times a year, they are read once per change: one cached list per site (Redis), dropped whenever a
batch is saved or deleted (the controller's hooks), and again once that transaction commits or
rolls back, so that no request keeps rows of a transaction that was never committed. Built by one worker when empty (prepare.shared), and
in the background before the first enterprise asks (prepare.prepare)."""

import frappe

from gz_innovation import prepare

CACHE_KEY = "gz_cultivation_batches"


def all_batches() -> list[dict]:
	"""Every batch with its types (in their order): name, year, opens_at, closes_at, the review
	deadlines, types, ready_types (the types that have a rule set: the only ones offered),
	direct_types (those a batch opens to direct applicants, cultivation/eligibility.py) and
	cultivated_types (those open only after 培育完成 otherwise: the programme's flag)."""
	return prepare.shared(CACHE_KEY, _load)


def _load() -> list[dict]:
	batches = frappe.get_all(
		"Cultivation Batch",
		fields=[
			"name",
			"year",
			"opens_at",
			"closes_at",
			"city_review_deadline",
			"province_review_deadline",
		],
	)
	types = frappe.get_all(
		"Cultivation Batch Type",
		filters={"parenttype": "Cultivation Batch"},
		fields=["parent", "cultivation_type"],
		order_by="idx asc",
	)
	direct = frappe.get_all(
		"Cultivation Batch Direct Type",
		filters={"parenttype": "Cultivation Batch"},
		fields=["parent", "cultivation_type"],
	)
	ready = {
		(r.batch, r.cultivation_type)
		for r in frappe.get_all("Cultivation Rule Set", fields=["batch", "cultivation_type"])
	}
	cultivated = set(frappe.get_all("Cultivation Type", filters={"requires_cultivation": 1}, pluck="name"))
	for batch in batches:
		batch["types"] = [t.cultivation_type for t in types if t.parent == batch.name]
		batch["ready_types"] = [t for t in batch["types"] if (batch.name, t) in ready]
		batch["direct_types"] = [t.cultivation_type for t in direct if t.parent == batch.name]
		batch["cultivated_types"] = [t for t in batch["types"] if t in cultivated]
	return [dict(batch) for batch in batches]


def forget() -> None:
	frappe.cache.delete_value(CACHE_KEY)


def find(name: str) -> dict | None:
	return next((batch for batch in all_batches() if batch["name"] == name), None)


def on_batch_change(doc=None, method=None) -> None:
	"""A batch, a rule set (which decides the types offered) or a programme (who may apply) changed."""
	prepare.forget(CACHE_KEY)
