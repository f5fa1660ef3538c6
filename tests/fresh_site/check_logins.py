"""The fresh-site stage's last step: every demo account that scripts/run.sh prints logs in over HTTP
through the app's own login (captcha included), lands where the login sends it, and logs out.

    python check_logins.py --url http://127.0.0.1:8040 --logins logins.json

`logins.json`: gz_innovation.setup.demo.demo_logins's answer (login, password, note, desk). The site
runs in test mode (allow_tests), which lets this script read each captcha's answer. Prints one line
per account and "N passed, N failed"; exits non-zero on any failure.
"""

import argparse
import json
import sys

import requests

API = "/api/method/gz_innovation.accounts.api."


def check(url: str, account: dict) -> str | None:
	"""Why `account` could not log in and reach its landing page, or None."""
	http = requests.Session()
	http.headers.update({"Accept": "application/json", "Accept-Language": "zh-CN"})

	def post(method: str, csrf: str = "", **data) -> requests.Response:
		return http.post(url + API + method, json=data, headers={"X-Frappe-CSRF-Token": csrf}, timeout=60)

	token = post("get_captcha").json()["message"]["token"]
	answer = post("test_captcha_answer", token=token).json()["message"]
	response = post(
		"login",
		identifier=account["login"],
		password=account["password"],
		captcha_token=token,
		captcha_answer=answer,
	)
	if response.status_code != 200:
		return f"login answered HTTP {response.status_code}: {response.text[:200]}"
	message = response.json()["message"]
	landing = message["redirect"]
	if account["desk"] and landing != "/app":
		return f"a Desk account was sent to {landing}, not /app"
	page = http.get(url + landing, headers={"Accept": "text/html"}, timeout=60)
	if page.status_code != 200 or page.url.split("?")[0].endswith("/login"):
		return f"its landing page {landing} answered HTTP {page.status_code} at {page.url}"
	def who() -> str:
		answer = http.get(url + "/api/method/frappe.auth.get_logged_user", timeout=60)
		return answer.json().get("message") if answer.status_code == 200 else "Guest"

	if who() == "Guest":
		return "the session was not kept"
	# The portal's 退出登录 (a POST form with the session's token).
	http.post(url + "/api/method/web_logout", data={"csrf_token": message["csrf_token"]}, timeout=60)
	if who() != "Guest":
		return "still logged in after 退出登录"
	return None


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", required=True)
	parser.add_argument("--logins", required=True)
	args = parser.parse_args()
	accounts = json.loads(open(args.logins, encoding="utf-8").read())
	passed = failed = 0
	if not accounts:
		print("FAILED  no demo login to check")
		failed += 1
	for account in accounts:
		try:
			problem = check(args.url, account)
		except (requests.RequestException, ValueError, KeyError) as e:
			problem = f"{e.__class__.__name__}: {e}"
		if problem:
			failed += 1
			print(f"FAILED  {account['login']} ({account['note']}): {problem}")
		else:
			passed += 1
			print(f"ok      {account['login']} logs in ({account['note']})")
	print(f"{passed} passed, {failed} failed")
	sys.exit(1 if failed else 0)


if __name__ == "__main__":
	main()
