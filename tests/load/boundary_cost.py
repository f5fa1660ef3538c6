"""What the request boundary (boundary/requests.py `guard`, the client's address, the answer hooks)
costs per request: real requests through Frappe's WSGI application, in-process, each timed whole and
the boundary's share of it. Prints figures; it is not a test.

Run as the bench user from the bench directory, on the test site:

    env/bin/python <checkout>/tests/load/boundary_cost.py --site gz-test.localhost [--requests 300]
"""

import argparse
import os
import statistics
import sys
import time


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default="sites")
	parser.add_argument("--requests", type=int, default=300)
	args = parser.parse_args()
	os.chdir(args.sites_path)
	import frappe

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	if not frappe.conf.get("allow_tests"):
		sys.exit(f"{args.site} is not a test site (allow_tests)")
	from frappe.tests.test_api import make_request
	from frappe.utils import get_test_client

	import gz_innovation.audit.downloads as downloads
	import gz_innovation.boundary.address as address
	import gz_innovation.boundary.requests as boundary
	from gz_innovation.accounts.tests.utils import PASSWORD, create_user, delete_users, solved_captcha
	from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises

	spent: list[float] = []

	def timed(function):
		def run(*a, **kw):
			start = time.perf_counter()
			try:
				return function(*a, **kw)
			finally:
				spent.append(time.perf_counter() - start)

		return run

	boundary.guard = timed(boundary.guard)
	boundary.answer_in_chinese = timed(boundary.answer_in_chinese)
	address.set_request_ip = timed(address.set_request_ip)
	downloads.record_download = timed(downloads.record_download)

	frappe.set_user("Administrator")
	admin = create_user()
	enterprise = create_certified_enterprise(admin)
	frappe.db.commit()
	client = get_test_client()
	site = frappe.local.site

	def call(method, path, **kwargs):
		frappe.db.commit()
		return make_request(target=getattr(client, method), args=(path,), kwargs=kwargs, site=site)

	token, answer = solved_captcha()
	login = call(
		"post",
		"/api/method/gz_innovation.accounts.api.login",
		json={
			"identifier": frappe.db.get_value("User", admin, "mobile_no"),
			"password": PASSWORD,
			"captcha_token": token,
			"captcha_answer": answer,
		},
	)
	csrf = login.json["message"]["csrf_token"]
	cases = {
		"GET  frappe.auth.get_logged_user (read-only mode)": lambda: call(
			"get", "/api/method/frappe.auth.get_logged_user"
		),
		"POST cultivation.api.get_center (token checked)": lambda: call(
			"post",
			"/api/method/gz_innovation.cultivation.api.get_center",
			json={},
			headers={"X-Frappe-CSRF-Token": csrf},
		),
		"GET  /account-center (a page)": lambda: call("get", "/account-center"),
	}
	try:
		print(f"{args.requests} requests each, one portal user, in-process (ms)")
		print(f"{'request':52} {'whole p50':>10} {'whole p95':>10} {'boundary p50':>13} {'boundary p95':>13}")
		for name, request in cases.items():
			for _ in range(10):  # warm
				request()
			wholes, shares = [], []
			for _ in range(args.requests):
				spent.clear()
				start = time.perf_counter()
				response = request()
				wholes.append(time.perf_counter() - start)
				shares.append(sum(spent))
				assert response.status_code == 200, (name, response.status_code)
			q = lambda xs, p: sorted(xs)[int(p * (len(xs) - 1))] * 1000  # noqa: E731
			print(
				f"{name:52} {statistics.median(wholes) * 1000:10.2f} {q(wholes, 0.95):10.2f} "
				f"{statistics.median(shares) * 1000:13.3f} {q(shares, 0.95):13.3f}"
			)
	finally:
		frappe.set_user("Administrator")
		delete_enterprises([enterprise])
		delete_users([admin])
		frappe.db.commit()
		frappe.destroy()


if __name__ == "__main__":
	main()
