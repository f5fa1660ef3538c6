"""Factories of the portal tests."""

import uuid

import frappe
from frappe.utils import add_days, add_to_date, now_datetime

from gz_innovation.tests.pdfs import valid_pdf

PDF = valid_pdf("a notice's attachment")
HTML = b"<html><script>window.__gz_xss=1</script></html>"
E2E_PREFIX = "门户测试批次-"

# The portal's pages, for guests and for a logged-in enterprise admin (page weight, page speed).
GUEST_PAGES = ("/", "/login", "/register", "/forgot-password", "/notices")
USER_PAGES = (
	"/personal-console",
	"/account-center",
	"/certify",
	"/change-password",
	"/members",
	"/cultivation",
)


def create_notice(title: str | None = None, files=(("培育工作通知.pdf", PDF),), **values) -> str:
	"""A published notice (publish date: a minute ago) with public attachments, as Desk makes it: the
	notice first, then its files attached to it, then the rows naming them."""
	notice = frappe.get_doc(
		{
			"doctype": "GZ Notice",
			"title": title or "关于开展省级技术创新平台培育工作的通知 " + uuid.uuid4().hex[:6],
			"publish_date": add_to_date(now_datetime(), minutes=-1),
			"content": "<p>请各企业按时填报。</p>",
			**values,
		}
	).insert(ignore_permissions=True)
	for file_name, content in files:
		url = attach(notice.name, file_name, content)
		notice.append("attachments", {"file": url, "description": file_name.rsplit(".", 1)[0]})
	if files:
		notice.save(ignore_permissions=True)
	return notice.name


def attach(notice: str, file_name: str, content: bytes, is_private: int = 0) -> str:
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": "GZ Notice",
			"attached_to_name": notice,
			"is_private": is_private,
			"content": content,
		}
	)
	file.flags.ignore_permissions = True
	file.insert()
	return file.file_url


def delete_notices(names) -> None:
	for name in names:
		if frappe.db.exists("GZ Notice", name):
			for file in frappe.get_all(
				"File", filters={"attached_to_doctype": "GZ Notice", "attached_to_name": name}, pluck="name"
			):
				frappe.delete_doc("File", file, force=True, ignore_permissions=True)
			frappe.delete_doc("GZ Notice", name, force=True, ignore_permissions=True)


def portal_batch(prefix: str = "门户批次-", ready=("企业技术中心",), days_left: int = 30) -> str:
	"""An open batch offering the three types, with a rule set for `ready` only (the others are
	本批次未开放), and review deadlines in 5 and 10 days."""
	from gz_innovation.cultivation.setup import RULE_SETS, ensure_rule_set
	from gz_innovation.cultivation.tests.utils import open_batch

	name = open_batch(days_open=1, days_left=days_left, with_rule_sets=False, prefix=prefix)
	for cultivation_type in ready:
		ensure_rule_set(cultivation_type, name, RULE_SETS[cultivation_type])
	batch = frappe.get_doc("Cultivation Batch", name)
	batch.city_review_deadline = add_days(now_datetime(), days_left + 5)
	batch.province_review_deadline = add_days(now_datetime(), days_left + 10)
	batch.save(ignore_permissions=True)
	return name


def close_batch(name: str) -> None:
	"""The batch's window ends a minute ago (as if time had passed), without its controller's checks."""
	from gz_innovation.cultivation import batches

	frappe.db.set_value(
		"Cultivation Batch",
		name,
		{"opens_at": add_days(now_datetime(), -10), "closes_at": add_days(now_datetime(), -1)},
		update_modified=False,
	)
	batches.forget()


def e2e_fixture(admin: str) -> dict:
	"""For the portal's browser test (test site only): a batch whose 企业技术中心 has a rule set (the
	others 本批次未开放), a published notice with a PDF, and for `admin` (a certified enterprise's admin)
	a draft in a batch that has since closed."""
	from gz_innovation.cultivation.tests.utils import delete_batches

	delete_batches(
		frappe.get_all("Cultivation Batch", filters={"name": ["like", E2E_PREFIX + "%"]}, pluck="name")
	)
	delete_notices(frappe.get_all("GZ Notice", filters={"title": ["like", "浏览器测试公告%"]}, pluck="name"))
	batch = portal_batch(prefix=E2E_PREFIX)
	closed = portal_batch(prefix=E2E_PREFIX + "已截止-")
	frappe.set_user(admin)
	from gz_innovation.cultivation import submission

	draft = submission.open_draft("企业技术中心", closed)
	draft.invention_patents = 3
	draft.save(ignore_permissions=True)
	frappe.set_user("Administrator")
	close_batch(closed)
	notice = create_notice("浏览器测试公告：2026年度培育工作安排", pinned=1)
	frappe.db.commit()  # nosemgrep: a bench command for the browser test
	enterprise_name = frappe.db.get_value("Enterprise", draft.enterprise, "enterprise_name")
	return {
		"batch": batch,
		"closed_batch": closed,
		"closed_draft": draft.name,
		"notice": notice,
		# A certified enterprise's name: 企业认证 step 1 offers only to join it.
		"enterprise_name": enterprise_name,
	}
