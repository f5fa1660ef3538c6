"""The data of the deadline-day benchmark (tests/load/deadline_day.sh), made and checked in-process
with the app's own factories and server code, on the test site. Run as the bench user from the
bench directory with the bench's Python:

    env/bin/python deadline_data.py --site gz-test.localhost make --admins 300 --out accounts.json
    env/bin/python deadline_data.py --site gz-test.localhost reset --state accounts.json
    env/bin/python deadline_data.py --site gz-test.localhost verify --state accounts.json --results r.json
    env/bin/python deadline_data.py --site gz-test.localhost cleanup [--state accounts.json]

`make` removes what an earlier run left, then creates certified enterprises with their admins and
an open batch with the default rule sets; `open-batch` opens a new batch
now and makes it the run's (the storm goes into a batch nobody has opened yet), `wait-prepared` waits
for the background job its saves enqueued; `reset` puts every submission of that batch back to nothing (between the steps of the
saturation search); `verify` counts what the server stored against what the clients were told;
`verify-faults` does the same for the fault test (tests/load/fault.sh); `cleanup` removes everything a run made (and what an interrupted earlier run left: every account
whose username starts with the benchmark's prefix).
"""

import argparse
import json
import os
import secrets
import sys
import time
from collections import Counter
from contextlib import contextmanager

import frappe

PREFIX = "gzload_"  # usernames of the accounts the benchmark makes (admins and registrants)
CULTIVATION_TYPE = "企业技术中心"
BATCH_PREFIX = "压测批次-"
SUBMITTED_STEP = "已提交"


def connect(site: str) -> None:
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	if not frappe.conf.get("allow_tests"):
		sys.exit(f"{site} is not a test site (allow_tests): the benchmark runs on the test site only")


@contextmanager
def one_cache_flush():
	"""Frappe's User.validate writes the system default `email_user_password` on every save, and
	writing a default clears the site's whole cache (frappe.defaults._clear_cache): per account
	made, every DocType's meta is then read again, most of the time here. The default keeps its
	value while accounts are made, so the cache is cleared once, at the end."""
	import frappe.defaults

	clear = frappe.defaults._clear_cache
	frappe.defaults._clear_cache = lambda parent: None
	try:
		yield
	finally:
		frappe.defaults._clear_cache = clear
		frappe.clear_cache()


def make(admins: int, out: str, floors: bool = False) -> None:
	from gz_innovation.accounts.tests.utils import PASSWORD, create_user, new_mobile
	from gz_innovation.cultivation.tests.utils import manual_example_values, open_batch
	from gz_innovation.enterprise.tests.utils import create_certified_enterprise

	cleanup(None)  # what an interrupted earlier run left
	if dropped := drop_queued_jobs():
		print(f"dropped {dropped} background jobs of the test site left queued by test runs")
	# The test suite's e-mails were never sent (no mail server): the scheduler would try them all, each
	# failure with its Error Log, every few minutes of the run.
	if unsent := frappe.db.count("Email Queue", {"status": "Not Sent"}):
		frappe.db.set_value("Email Queue", {"status": "Not Sent"}, "status", "Error", update_modified=False)
		print(f"set aside {unsent} e-mails of the test site that test runs left unsent (status Error, as a failed send)")
	run = PREFIX + secrets.token_hex(3) + "_"
	start = time.perf_counter()
	batch = open_batch(days_open=1, days_left=30, prefix=BATCH_PREFIX)
	# As in the tests: the contact and gravatar work of User.on_update runs inline instead of
	# queueing background jobs that would run during the timing.
	frappe.flags.in_test = True
	accounts = []
	try:
		with one_cache_flush():
			for i in range(admins):
				user = create_user(mobile=new_mobile(), username=f"{run}a{i:04d}")
				create_certified_enterprise(user)
				accounts.append({"username": frappe.db.get_value("User", user, "username"), "user": user})
		# A System Manager with an API token: Frappe's own REST reads and writes of the run (the reference
		# read, and with --floors the floors). Portal users reach only the portal's methods.
		floor_token = floor_manager(run)
		if floors:
			# Frappe's own password login, the floor of the app's captcha login, is asked in the run;
			# closed again by cleanup (and by every migrate: setup/install.py).
			frappe.db.set_single_value("System Settings", "disable_user_pass_login", 0)
	finally:
		frappe.flags.in_test = False
	frappe.db.commit()
	state = {
		"run": run,
		"registrant_prefix": run + "r",
		"batch": batch,
		"cultivation_type": CULTIVATION_TYPE,
		"password": PASSWORD,
		"floor_prefix": run + "f",
		"floor_token": floor_token,
		"values": manual_example_values(),
		"admins": accounts,
	}
	with open(out, "w") as f:
		json.dump(state, f, ensure_ascii=False)
	print(
		f"made {admins} certified enterprises with their admins and the batch {batch} in "
		f"{time.perf_counter() - start:.1f} s"
	)


def open_new_batch(state: dict, out: str) -> None:
	"""A batch opened now, as an administrator opens one on the morning of the run (with the default
	rule sets): the storm goes into it. The state's batch becomes this one; the old one stays for the
	cleanup. Its saves prepare what the first requests would otherwise compute (in a background
	job, as in production)."""
	from gz_innovation.cultivation.tests.utils import open_batch

	start = time.perf_counter()
	state["batch"] = open_batch(days_open=1, days_left=30, prefix=BATCH_PREFIX)
	frappe.db.commit()
	with open(out, "w") as f:
		json.dump(state, f, ensure_ascii=False)
	print(f"opened the batch {state['batch']} in {time.perf_counter() - start:.1f} s")


def wait_prepared(state: dict, seconds: int = 60) -> None:
	"""Until the preparation the batch's saves enqueued has run (prepare.py), or `seconds` passed."""
	from frappe.utils.background_jobs import create_job_id, get_queue

	from gz_innovation import prepare
	from gz_innovation.cultivation import batches

	job_id = create_job_id(prepare.JOB_ID)
	start = time.perf_counter()
	while time.perf_counter() - start < seconds:
		job = get_queue("short").fetch_job(job_id)
		if not job or job.get_status() not in ("queued", "started"):
			listed = frappe.cache.get_value(batches.CACHE_KEY, expires=True) or []  # read, never built here
			if any(batch["name"] == state["batch"] for batch in listed):
				print(f"prepared in {time.perf_counter() - start:.1f} s")
				wait_idle(max(seconds - (time.perf_counter() - start), 10))
				return
		time.sleep(0.2)
	sys.exit(f"the preparation of {state['batch']} did not finish within {seconds} s")


def wait_idle(seconds: float) -> None:
	"""Until the worker has no job of the test site left (the scheduler's first pass enqueues every
	job that is due), or `seconds` passed: the run starts on a worker as quiet as a production one."""
	from frappe.utils.background_jobs import get_queues

	start = time.perf_counter()
	while time.perf_counter() - start < seconds:
		waiting = [
			job
			for queue in get_queues()
			for job in queue.get_jobs()
			if (job.kwargs or {}).get("site") == frappe.local.site
		]
		if not waiting:
			return
		time.sleep(0.5)
	print(f"the worker still had jobs of the site after {seconds:.0f} s")


def scheduler(enable: str | None) -> None:
	"""Prints whether the site's scheduler was on (1 or 0), then sets it to `enable` if given: the run
	turns it on as in production, and puts it back afterwards."""
	was = frappe.db.get_single_value("System Settings", "enable_scheduler")
	if enable is not None:
		frappe.db.set_single_value("System Settings", "enable_scheduler", int(enable))
		frappe.db.commit()
	print(int(was or 0))


def drop_queued_jobs() -> int:
	"""Background jobs still queued for the test site (the test suite enqueues thousands and runs no
	worker) or for a site that no longer exists (the test command's fresh sites): the run's worker
	would spend the run on them. Other sites' jobs stay."""
	from frappe.utils.background_jobs import get_queues

	dropped = 0
	for queue in get_queues():
		for job in queue.get_jobs():
			site = (job.kwargs or {}).get("site")
			if site == frappe.local.site or (site and not os.path.isdir(site)):  # run from the sites folder
				job.delete()
				dropped += 1
	return dropped


def floor_manager(run: str) -> str:
	"""A System Manager who makes users through Frappe's own REST API in the same run (the floor of a
	registration: Frappe's own user creation); returns the API token (`key:secret`) it uses."""
	from gz_innovation.accounts.tests.utils import create_user, new_mobile

	user = frappe.get_doc("User", create_user(mobile=new_mobile(), username=f"{run}floor"))
	user.user_type = "System User"
	user.add_roles("System Manager")
	user.api_key = frappe.generate_hash(length=15)
	secret = frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save(ignore_permissions=True)
	return f"{user.api_key}:{secret}"


def submissions_of(batch: str) -> list[str]:
	return frappe.get_all("Cultivation Submission", filters={"batch": batch}, pluck="name")


def delete_submissions(names: list[str]) -> None:
	"""Submissions with what their Workflow steps wrote, in a few statements."""
	if not names:
		return
	for doctype, column in (
		("Cultivation Evaluation Row", "parent"),
		("Comment", "reference_name"),
		("Version", "docname"),
		("Workflow Action", "reference_name"),
		("Cultivation Submission", "name"),
	):
		frappe.db.delete(doctype, {column: ["in", names]})
	frappe.db.commit()


def reset(state: dict) -> None:
	names = submissions_of(state["batch"])
	delete_submissions(names)
	print(f"reset: removed {len(names)} submissions of {state['batch']}")


def verify(state: dict, results: dict) -> dict:
	"""What the server stored against what the clients were told (issue 14, bad input under load)."""
	batch = state["batch"]
	subs = frappe.get_all(
		"Cultivation Submission",
		filters={"batch": batch},
		fields=["name", "enterprise", "cultivation_type", "status", "overall_result", "rule_version"],
	)
	names = [s.name for s in subs] or [""]
	rows = Counter(
		frappe.get_all("Cultivation Evaluation Row", filters={"parent": ["in", names]}, pluck="parent")
	)
	steps = Counter(
		frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Cultivation Submission",
				"reference_name": ["in", names],
				"comment_type": "Workflow",
			},
			pluck="reference_name",
		)
	)
	per_slot = Counter((s.enterprise, s.cultivation_type) for s in subs)

	def complete(s) -> bool:  # submitted with its evaluation and exactly one Workflow step
		return (
			s.status == SUBMITTED_STEP and rows[s.name] > 0 and bool(s.overall_result) and steps[s.name] == 1
		)

	def untouched(s) -> bool:  # a draft without any trace of a submit
		return s.status == "草稿" and rows[s.name] == 0 and not s.overall_result and steps[s.name] == 0

	by_name = {s.name: s for s in subs}
	submitted = {s.name for s in subs if s.status != "草稿"}
	acknowledged = set(results.get("acknowledged") or [])

	def split(names_) -> dict:
		docs = [by_name[n] for n in set(names_) if n in by_name]
		return {
			"users": len(set(names_)),
			"submitted_complete": sum(1 for s in docs if complete(s)),
			"untouched_draft": sum(1 for s in docs if untouched(s)),
			"half_done": sum(1 for s in docs if not complete(s) and not untouched(s)),
			"more_than_one_step": sum(1 for s in docs if steps[s.name] > 1),
		}

	return {
		"submissions": len(subs),
		"acknowledged": len(acknowledged),
		"stored_submitted": len(submitted),
		"acknowledged_not_stored": len(acknowledged - submitted),
		"stored_not_acknowledged": len(submitted - acknowledged),
		"half_done": sum(1 for s in subs if not complete(s) and not untouched(s)),
		"duplicate_submissions": sum(n - 1 for n in per_slot.values() if n > 1),
		"double_click": split(results.get("double_click") or []),
		"dropped": split(results.get("dropped") or []),
		"registered": frappe.db.count("User", {"username": ["like", state["registrant_prefix"] + "%"]}),
		"registrations_acknowledged": len(results.get("registered") or []),
	}


def verify_faults(state: dict, results: list) -> dict:
	"""The fault test's clients against what the database holds: every acknowledged save stored (a
	draft holds its last acknowledged value, or one sent after it whose answer was lost), every
	acknowledged submit stored with its evaluation; and the answers: 503s only, each Chinese."""
	problems = []
	saves = submits = 0
	for client in results:
		problems += client["problems"]
		if not client["draft"]:
			problems.append(f"{client['user']}: no draft opened")
			continue
		doc = frappe.get_doc("Cultivation Submission", client["draft"])
		acknowledged = client["acknowledged_saves"]
		if acknowledged:
			saves += len(acknowledged)
			last = acknowledged[-1]
			later = client["sent_saves"][client["sent_saves"].index(last) :]
			if int(doc.revenue or 0) not in later:
				problems.append(f"{client['draft']}: holds {doc.revenue}, the last acknowledged save was {last}")
		if client["submitted"]:
			submits += 1
			if doc.status != SUBMITTED_STEP or not doc.evaluation:
				problems.append(f"{client['draft']}: acknowledged submit not stored ({doc.status})")
	answers = [answer for client in results for answer in client["answers"]]
	return {
		"requests": len(answers),
		"unavailable_503": sum(1 for _what, status, _ok in answers if status == 503),
		"errors": sum(1 for _what, _status, ok in answers if not ok),
		"acknowledged_saves": saves,
		"acknowledged_submits": submits,
		"clients": len(results),
		"problems": problems,
	}


def benchmark_users() -> list:
	"""The accounts the benchmark made. Frappe escapes a LIKE pattern's backslashes itself (an
	escaped "\\_" matches nothing), so the prefix's "_" is a wildcard there and is checked here."""
	users = frappe.get_all(
		"User", filters={"username": ["like", PREFIX + "%"]}, fields=["name", "username", "mobile_no"]
	)
	return [user for user in users if user.username.startswith(PREFIX)]


def cleanup(state: dict | None) -> None:
	"""Everything the benchmark made: its batches, enterprises, accounts (with their sessions,
	logs and captured SMS). Also what an interrupted earlier run left."""
	from gz_innovation.cultivation.tests.utils import delete_batches

	batches = frappe.get_all(
		"Cultivation Batch", filters={"name": ["like", BATCH_PREFIX + "%"]}, pluck="name"
	)
	for batch in batches:
		delete_submissions(submissions_of(batch))
	delete_batches(batches)
	users = benchmark_users()
	names = [u.name for u in users] or [""]
	enterprises = frappe.get_all("Enterprise", filters={"enterprise_admin": ["in", names]}, pluck="name")
	for name in enterprises:
		frappe.delete_doc("Enterprise", name, force=True, ignore_permissions=True)
	mobiles = [u.mobile_no for u in users if u.mobile_no] or [""]
	frappe.db.delete("GZ SMS Log", {"mobile": ["in", mobiles]})
	frappe.db.delete("Sessions", {"user": ["in", names]})
	frappe.db.delete("Activity Log", {"user": ["in", names]})
	frappe.db.commit()
	frappe.flags.in_test = True  # User.on_trash: no background jobs
	with one_cache_flush():
		for name in names:
			if name and frappe.db.exists("User", name):
				frappe.delete_doc("User", name, force=True, ignore_permissions=True)
	frappe.db.commit()
	# Registrants asked for codes that were never used: a captured message per mobile of the burst.
	frappe.db.delete("GZ SMS Log", {"mobile": ["like", "1990%"], "status": "Captured"})
	# Frappe's own password login stays off, as the app's set-up leaves it (setup/install.py).
	if not frappe.db.get_single_value("System Settings", "disable_user_pass_login"):
		frappe.db.set_single_value("System Settings", "disable_user_pass_login", 1)
	frappe.db.commit()
	frappe.clear_cache()
	if left := benchmark_users():
		sys.exit(f"cleanup left {len(left)} accounts of the benchmark (e.g. {left[0].username})")
	if batches or users:
		print(
			f"cleanup: {len(batches)} batch(es), {len(enterprises)} enterprises, {len(users)} accounts removed"
		)


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default="sites")
	sub = parser.add_subparsers(dest="command", required=True)
	p = sub.add_parser("make")
	p.add_argument("--floors", action="store_true", help="open Frappe's own password login for the run")
	p.add_argument("--admins", type=int, required=True)
	p.add_argument("--out", required=True)
	p = sub.add_parser("scheduler")
	p.add_argument("--set", choices=("0", "1"))
	for name in ("reset", "open-batch", "wait-prepared", "wait-idle", "verify", "verify-faults", "cleanup"):
		p = sub.add_parser(name)
		p.add_argument("--state", required=name != "cleanup")
		if name.startswith("verify"):
			p.add_argument("--results", required=True)
	args = parser.parse_args()
	state = None
	if getattr(args, "state", None):
		with open(os.path.abspath(args.state)) as f:
			state = json.load(f)
	out = os.path.abspath(args.out) if args.command == "make" else None
	state_path = os.path.abspath(args.state) if getattr(args, "state", None) else None
	results_path = os.path.abspath(args.results) if args.command.startswith("verify") else None
	os.chdir(args.sites_path)  # Frappe runs from the sites folder, as bench does
	connect(args.site)
	try:
		if args.command == "make":
			make(args.admins, out, floors=args.floors)
		elif args.command == "reset":
			reset(state)
		elif args.command == "open-batch":
			open_new_batch(state, state_path)
		elif args.command == "wait-prepared":
			wait_prepared(state)
		elif args.command == "wait-idle":
			wait_idle(180)
		elif args.command == "scheduler":
			scheduler(args.set)
		elif args.command.startswith("verify"):
			with open(results_path) as f:
				results = json.load(f)
			check = verify_faults if args.command == "verify-faults" else verify
			print(json.dumps(check(state, results), ensure_ascii=False))
		else:
			cleanup(state)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
