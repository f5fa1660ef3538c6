"""The first drafts into a batch nobody has opened yet, one enterprise after the other (issue 23):
what the first enterprise of the morning waits for against the tenth, and a reopen. Over HTTP,
against a running server, with the accounts deadline_data.py made; prints one JSON line. Run by
tests/load/deadline_day.sh (its `first-drafts` phase) right after the batch is opened.

    python first_draft.py URL ACCOUNTS.json BATCH [COUNT [SITE]]
    python first_draft.py --warm ROUNDS URL ACCOUNTS.json BATCH SITE [AT_ONCE]

`--warm`: a server on the morning a batch opens has served the portal for days: one enterprise opens
its draft in the earlier batch, pre-checks it and reads the center, ROUNDS times in AT_ONCE browsers at
the same time (so that every worker takes a share), before anything is timed.
"""

import json
import statistics
import sys
import time

import requests

ACCOUNTS_API = "/api/method/gz_innovation.accounts.api."
OPEN = "/api/method/gz_innovation.cultivation.api.open_submission"


def logged_in(url: str, site: str, account: dict, password: str) -> requests.Session:
	browser = requests.Session()
	browser.headers.update({"Host": site, "Accept": "application/json"})
	token = browser.post(url + ACCOUNTS_API + "get_captcha").json()["message"]["token"]
	answer = browser.post(url + ACCOUNTS_API + "test_captcha_answer", json={"token": token}).json()["message"]
	response = browser.post(
		url + ACCOUNTS_API + "login",
		json={"identifier": account["username"], "password": password, "captcha_token": token, "captcha_answer": answer},
	)
	response.raise_for_status()
	browser.headers["X-Frappe-CSRF-Token"] = response.json()["message"]["csrf_token"]
	return browser


def open_draft(url: str, browser: requests.Session, batch: str, cultivation_type: str) -> float:
	start = time.perf_counter()
	response = browser.post(url + OPEN, json={"cultivation_type": cultivation_type, "batch": batch})
	elapsed = (time.perf_counter() - start) * 1000
	response.raise_for_status()
	return elapsed


def warm(rounds: int, url: str, accounts_file: str, batch: str, site: str, at_once: int = 5) -> None:
	"""`at_once` browsers at the same time, so that every gunicorn worker takes its share (one after the
	other, the same worker may take them all)."""
	import threading

	with open(accounts_file) as f:
		accounts = json.load(f)
	api = "/api/method/gz_innovation.cultivation.api."
	args = {"cultivation_type": accounts["cultivation_type"], "batch": batch}
	browsers = [logged_in(url, site, accounts["admins"][-1], accounts["password"]) for _ in range(at_once)]
	# The draft exists before the browsers ask at once (two first opens at the same moment: one is refused).
	browsers[0].post(url + api + "open_submission", json=args).raise_for_status()

	def work(browser):
		for _ in range(rounds):
			for method, data in (
				("open_submission", args),
				("precheck", {**args, "values": accounts["values"]}),
				("get_center", {}),
			):
				browser.post(url + api + method, json=data).raise_for_status()

	threads = [threading.Thread(target=work, args=(b,)) for b in browsers]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()


def main() -> None:
	if sys.argv[1] == "--warm":
		warm(int(sys.argv[2]), *sys.argv[3:7], at_once=int(sys.argv[7]) if len(sys.argv) > 7 else 5)
		return
	url, accounts_file, batch = sys.argv[1:4]
	count = int(sys.argv[4]) if len(sys.argv) > 4 else 10
	with open(accounts_file) as f:
		accounts = json.load(f)
	site = sys.argv[5] if len(sys.argv) > 5 else accounts["site"]
	# The probe's enterprises are the last of the run's: the storm's users start from the first.
	browsers = [logged_in(url, site, a, accounts["password"]) for a in accounts["admins"][-count:]]
	times = [open_draft(url, b, batch, accounts["cultivation_type"]) for b in browsers]
	reopen = [open_draft(url, b, batch, accounts["cultivation_type"]) for b in browsers[:3]]
	print(
		json.dumps(
			{
				"first_ms": round(times[0]),
				"second_to_tenth_ms": [round(t) for t in times[1:]],
				"tenth_ms": round(times[-1]),
				"median_of_the_others_ms": round(statistics.median(times[1:])),
				"reopen_ms": [round(t) for t in reopen],
				"first_over_tenth": round(times[0] / times[-1], 2),
			}
		)
	)


if __name__ == "__main__":
	main()
