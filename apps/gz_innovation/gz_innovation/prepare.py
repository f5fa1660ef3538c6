"""Nothing cold on the hot path (issue 23): what the first requests into a batch would otherwise
compute is computed before they come, and once.

On the morning a batch opens, fifty enterprises arrive within seconds. Whatever a request computes
on first use (a module imported, a rule set compiled, the batch list read, a form described) was
computed by every worker at once, in the users' requests. Three parts:

- `preload()`: the gunicorn master (`--preload`, gz_innovation.wsgi) imports the modules the
  portal's requests reach only lazily (the app's, and the Frappe modules they import on first use)
  before it forks, so no worker imports or compiles them inside a user's request; a recycled worker
  inherits them too.
- `shared(key, build)`: a site cache (Redis) that is empty (cleared, or never built) is built by one
  process under a short Redis lock while the others wait for its result: no stampede, however many
  workers ask at once. Each build is counted (`builds(key)`).
- `prepare()`: a background job builds the caches of every batch that is open or still to open (the
  batch list with the types it offers, each rule set compiled, the programmes, the review stages, the
  certification form, the portal DocTypes' metadata) when a batch, a rule set or a programme is saved,
  after every migrate and hourly, so that the first enterprise finds them ready.
"""

import importlib
import secrets
import time
from functools import partial

import frappe
from frappe.utils import get_datetime, now_datetime

LOCK_SECONDS = 30  # a builder that died frees the key after this
WAIT_SECONDS = 10  # a waiter builds the value itself after this (the builder is stuck)
POLL_SECONDS = 0.02
JOB_ID = "gz_prepare"
BUILDS_KEY = "gz_cache_builds:"  # + key: how many times `shared` built it

# Modules the portal's requests import only when first used (cultivation, certification, accounts),
# and the Frappe modules those requests reach lazily: the Workflow's bookkeeping on a draft's insert
# and submit, the e-mail template it loads, the form utilities, the PDF of the 申报书. Measured with
# the profile of the first open_submission in a fresh worker (docs/load.md).
APP_PACKAGES = (
	"gz_innovation.accounts",
	"gz_innovation.boundary",
	"gz_innovation.cultivation",
	"gz_innovation.enterprise",
	"gz_innovation.portal",
	"gz_innovation.recognition",
	"gz_innovation.www",
)
FRAPPE_MODULES = (
	"frappe.desk.form.utils",
	"frappe.desk.form.load",
	"frappe.email.doctype.email_template.email_template",
	"frappe.model.workflow",
	"frappe.workflow.doctype.workflow_action.workflow_action",
	"frappe.workflow.doctype.workflow.workflow",
	"frappe.core.doctype.version.version",
	"frappe.core.doctype.comment.comment",
	"frappe.core.doctype.user.user",
	"frappe.core.doctype.file.file",
	"frappe.utils.verified_command",
	"frappe.utils.safe_exec",
	"RestrictedPython",
)
# Objects each process makes once on first use: made in the master, inherited by every worker.
PRELOAD_CALLS = ("gz_innovation.accounts.captcha.image_maker",)  # the captcha's fonts
# DocTypes whose metadata every portal request reads (Redis; dropped by any DocType change).
PORTAL_DOCTYPES = (
	"Cultivation Submission",
	"Cultivation Evaluation Row",
	"Cultivation Batch",
	"Cultivation Type",
	"Cultivation Rule Set",
	"Enterprise",
	"User",
	"Workflow Action",
	"Version",
	"Comment",
)
WORKFLOW_DOCTYPES = ("Workflow", "Workflow Action Master", "Workflow State", "Role", "Has Role")


# --- the gunicorn master ---------------------------------------------------------------------------


def preload() -> list[str]:
	"""Import every module of APP_PACKAGES (tests and patches aside) and FRAPPE_MODULES, and make the
	objects of PRELOAD_CALLS; returns those that could not be. Never raises: a module the installed Frappe does not have is skipped
	(the first request then imports what it needs, as before)."""
	import pkgutil

	failed = []
	names = list(FRAPPE_MODULES)
	for package in APP_PACKAGES:
		try:
			root = importlib.import_module(package)
		except Exception:
			failed.append(package)
			continue
		for info in pkgutil.walk_packages(root.__path__, package + "."):
			if ".tests" in info.name or ".patches" in info.name or info.name.endswith(".test_utils"):
				continue
			names.append(info.name)
	for name in names:
		try:
			importlib.import_module(name)
		except Exception:
			failed.append(name)
	for dotted in PRELOAD_CALLS:
		try:
			module, _dot, attribute = dotted.rpartition(".")
			getattr(importlib.import_module(module), attribute)()
		except Exception:
			failed.append(dotted)
	return failed


# --- one build per empty cache ---------------------------------------------------------------------


def shared(key: str, build, expires_in_sec: int | None = None):
	"""The site cache `key` (Redis), built by `build()` when empty by one process while the others
	wait for its result; `build` must not return None."""
	value = _read(key)
	if value is not None:
		return value
	lock = frappe.cache.make_key(f"gz_building:{key}")
	token = secrets.token_hex(8)
	give_up = time.monotonic() + WAIT_SECONDS
	while True:
		if frappe.cache.set(lock, token, ex=LOCK_SECONDS, nx=True):
			try:
				value = _read(key)  # built between our read and our lock
				if value is None:
					value = build()
					frappe.cache.set_value(key, value, expires_in_sec=expires_in_sec)
					frappe.cache.incr(frappe.cache.make_key(BUILDS_KEY + key))
				return value
			finally:
				if frappe.cache.get(lock) == token.encode():  # not another builder's, after ours expired
					frappe.cache.delete(lock)
		time.sleep(POLL_SECONDS)
		value = _read(key)
		if value is not None:
			return value
		if time.monotonic() > give_up:
			return build()  # the builder is stuck: answer rather than wait on


def forget(key: str) -> None:
	"""Drop the site cache `key` now, and again once the transaction commits or rolls back, so that no
	request keeps a value built from rows of a transaction that was never committed."""
	drop = partial(frappe.cache.delete_value, key)
	drop()
	frappe.db.after_commit.add(drop)
	frappe.db.after_rollback.add(drop)


def _read(key: str):
	"""The value from the request's own copy, else from Redis (kept for the rest of the request, as
	Frappe's get_value does). A miss is not kept: Frappe's get_value would keep it, even with
	`expires`, once the key was read without, and a waiter would never see the builder's value."""
	local = frappe.local.cache
	full = frappe.cache.make_key(key)
	if local.get(full) is not None:
		return local[full]
	value = frappe.cache.get_value(key, expires=True)
	if value is not None:
		local[full] = value
	return value


def builds(key: str) -> int:
	"""How many times `shared` built `key` since the counter was reset (tests, the benchmark)."""
	return int(frappe.cache.get(frappe.cache.make_key(BUILDS_KEY + key)) or 0)


def reset_builds(key: str) -> None:
	frappe.cache.delete(frappe.cache.make_key(BUILDS_KEY + key))


# --- prepared in the background --------------------------------------------------------------------


def enqueue(doc=None, method=None) -> None:
	"""After a batch, a rule set or a programme is saved (doc_events): the job is enqueued once the
	transaction commits. A transaction that saved a batch with its three rule sets asks four times;
	Frappe's deduplication, at commit, keeps one job in the queue."""
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch:
		return  # after_migrate prepares once at the end
	frappe.db.after_commit.add(_enqueue_now)


def _enqueue_now() -> None:
	frappe.enqueue("gz_innovation.prepare.prepare", queue="short", job_id=JOB_ID, deduplicate=True)


def prepare() -> dict:
	"""Build what the first requests into the open and coming batches read; returns what was built
	(for the log and the tests)."""
	from frappe.model.workflow import get_workflow, get_workflow_name
	from frappe.translate import print_language

	from gz_innovation.cultivation import batches, evaluation, stages, submission
	from gz_innovation.www.certify import described_form

	metas = load_metas(PORTAL_DOCTYPES)
	workflow = get_workflow_name("Cultivation Submission")
	if workflow:
		get_workflow("Cultivation Submission")  # the Workflow document, its states and transitions
	now = now_datetime()
	live = [b for b in batches.all_batches() if not b["closes_at"] or get_datetime(b["closes_at"]) >= now]
	types = sorted({t for b in live for t in b["types"]})
	for cultivation_type in types:
		submission.programme(cultivation_type)
	rule_sets = frappe.get_all(
		"Cultivation Rule Set", filters={"batch": ["in", [b["name"] for b in live] or [""]]}, pluck="name"
	)
	for name in rule_sets:
		evaluation.get_rule_set(name)
	stages.all_stages()
	language = frappe.db.get_default("lang") or frappe.local.lang
	with print_language(language):  # the form in the site's language, as the portal shows it
		described_form(language)
	return {
		"batches": [b["name"] for b in live],
		"types": types,
		"rule_sets": rule_sets,
		"metas": len(metas),
		"workflow": workflow,
	}


def load_metas(doctypes) -> set[str]:
	"""The metadata of `doctypes`, of their child tables and of the DocTypes their links name (a
	draft's insert validates every link), and the Workflow's own DocTypes (Redis; a DocType change or
	a cleared cache drops them all)."""
	loaded, todo = set(), [*doctypes, *WORKFLOW_DOCTYPES]
	while todo:
		doctype = todo.pop()
		if not doctype or doctype in loaded or not frappe.db.exists("DocType", doctype):
			continue
		loaded.add(doctype)
		meta = frappe.get_meta(doctype)
		todo += [df.options for df in meta.get_table_fields()]
		if doctype in doctypes:
			todo += [df.options for df in meta.get_link_fields()]
	return loaded
