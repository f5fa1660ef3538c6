"""Page speed of the portal (issue 13): server time per portal page against Frappe's own /me page,
measured in the same run over HTTP. Prints its figures; it is not a test.

Run by tests/load/page_speed.sh (which starts gunicorn on the test site and stops it after), or on
its own, as the bench user, from the bench directory, against a running server of the test site:
    env/bin/python <copy>/page_speed.py --site gz-test.localhost --url http://127.0.0.1:8005

It makes a certified enterprise with its admin, an open batch and a published notice on the site,
logs in through the app's login (the test site's captcha helper reads the answer), then asks every
page in turn, round after round (so that a busy moment of the machine falls on every page alike),
one request at a time. Server time is the time from sending a request to its last byte over the
loopback (no network in between). Prints p50 and p95 per page, its HTML size and its p50 over /me's
p50 (target: ≤ 0.5). The data it makes is removed at the end.
"""

import argparse
import os
import statistics
import time

import frappe
import requests
from report import percentile  # tests/load/report.py, as the deadline-day figures

from gz_innovation.portal.tests.utils import GUEST_PAGES, USER_PAGES

REFERENCE = "/me"  # Frappe's own page, through Frappe's own base template
ACCOUNTS_API = "/api/method/gz_innovation.accounts.api."
TARGET = 0.5


def make_data() -> dict:
	from gz_innovation.accounts.tests.utils import PASSWORD, create_user
	from gz_innovation.enterprise.tests.utils import create_certified_enterprise
	from gz_innovation.portal.tests.utils import create_notice, portal_batch

	frappe.set_user("Administrator")
	admin = create_user()
	data = {
		"admin": admin,
		"mobile": frappe.db.get_value("User", admin, "mobile_no"),
		"password": PASSWORD,
		"enterprise": create_certified_enterprise(admin),
		"batch": portal_batch(prefix="页面速度批次-"),
		"notice": create_notice("页面速度测试公告"),
	}
	frappe.db.commit()  # nosemgrep: the server reads it
	return data


def remove_data(data: dict) -> None:
	from gz_innovation.accounts.tests.utils import delete_users
	from gz_innovation.cultivation.tests.utils import delete_batches
	from gz_innovation.enterprise.tests.utils import delete_enterprises
	from gz_innovation.portal.tests.utils import delete_notices

	frappe.set_user("Administrator")
	delete_notices([data["notice"]])
	delete_batches([data["batch"]])
	delete_enterprises([data["enterprise"]])
	delete_users([data["admin"]])
	frappe.db.commit()  # nosemgrep


def client(site: str) -> requests.Session:
	session = requests.Session()
	session.headers.update({"Host": site, "Accept-Language": "zh-CN"})
	return session


def log_in(session: requests.Session, url: str, data: dict) -> None:
	def call(method: str, **args):
		response = session.post(
			url + ACCOUNTS_API + method, json=args, headers={"Accept": "application/json"}
		)
		response.raise_for_status()
		return response.json().get("message")

	token = call("get_captcha")["token"]
	answer = call("test_captcha_answer", token=token)
	call(
		"login",
		identifier=data["mobile"],
		password=data["password"],
		captcha_token=token,
		captcha_answer=answer,
	)


def timed_get(session: requests.Session, url: str, path: str) -> tuple[float, int]:
	started = time.perf_counter()
	response = session.get(url + path, headers={"Accept": "text/html"}, allow_redirects=False)
	body = response.content  # to the last byte
	elapsed = time.perf_counter() - started
	if response.status_code != 200:
		raise SystemExit(f"{path} answered {response.status_code} {response.headers.get('Location', '')}")
	return elapsed, len(body)


def measure(site: str, url: str, data: dict, rounds: int, warmup: int) -> dict[str, dict]:
	guest, user = client(site), client(site)
	log_in(user, url, data)
	pages = [(guest, path, "guest") for path in GUEST_PAGES]
	pages += [(user, path, "user") for path in (*USER_PAGES, REFERENCE)]
	times: dict[str, list[float]] = {f"{who} {path}": [] for _, path, who in pages}
	sizes: dict[str, int] = {}
	for round_ in range(warmup + rounds):
		for session, path, who in pages:
			elapsed, size = timed_get(session, url, path)
			if round_ >= warmup:
				times[f"{who} {path}"].append(elapsed)
				sizes[f"{who} {path}"] = size
	return {
		key: {"p50": statistics.median(values), "p95": percentile(values, 0.95), "bytes": sizes[key]}
		for key, values in times.items()
	}


def report(figures: dict[str, dict], rounds: int) -> None:
	reference = figures[f"user {REFERENCE}"]["p50"]
	print(f"\nServer time per page, {rounds} requests each, one at a time (ms; ratio = p50 / p50 of /me)")
	print(f"{'page':<28}{'p50':>8}{'p95':>8}{'ratio':>8}{'HTML KB':>10}")
	worst = 0.0
	for key, figure in figures.items():
		ratio = figure["p50"] / reference
		if not key.endswith(REFERENCE):
			worst = max(worst, ratio)
		print(
			f"{key:<28}{figure['p50'] * 1000:>8.1f}{figure['p95'] * 1000:>8.1f}{ratio:>8.2f}"
			f"{figure['bytes'] / 1024:>10.1f}"
		)
	verdict = "met" if worst <= TARGET else "NOT met"
	print(f"\nslowest portal page: {worst:.2f} × /me (target ≤ {TARGET}): {verdict}")


def main():
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default="sites")
	parser.add_argument("--url", required=True, help="the server of the site, e.g. http://127.0.0.1:8005")
	parser.add_argument("--rounds", type=int, default=40, help="requests per page (40)")
	parser.add_argument("--warmup", type=int, default=3, help="rounds not counted (3)")
	args = parser.parse_args()
	os.chdir(args.sites_path)  # Frappe expects to run from the sites folder, as bench does
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	data = make_data()
	try:
		figures = measure(args.site, args.url.rstrip("/"), data, args.rounds, args.warmup)
	finally:
		remove_data(data)
		frappe.destroy()
	report(figures, args.rounds)


if __name__ == "__main__":
	main()
