"""The clients of the fault test (tests/load/fault.sh): enterprise admins who save their draft again and
again (as the portal's autosave does) and then submit it, while the database goes away for a few
seconds. They do what the portal's scripts do: a 503 is waited out (Retry-After) and sent again.

Every answer is recorded: an acknowledged save or submit, a 503 (it must be Chinese and carry
Retry-After) or anything else (a failure). Writes the record as JSON for the verification.

    python fault_client.py --url http://127.0.0.1:8021 --site gz-test.localhost \\
        --accounts accounts.json --seconds 25 --out results.json
"""

import argparse
import json
import re
import threading
import time

import requests

API = "/api/method/gz_innovation."
CJK = re.compile(r"[\u4e00-\u9fff]")


class Admin(threading.Thread):
	def __init__(self, url: str, site: str, account: dict, password: str, seconds: float):
		super().__init__(daemon=True)
		self.url, self.account, self.password, self.seconds = url, account, password, seconds
		self.http = requests.Session()
		self.http.headers.update({"Host": site, "Accept": "application/json", "Accept-Language": "zh-CN"})
		self.csrf = ""
		self.answers = []  # (what, status, ok)
		self.acknowledged_saves = []
		self.sent_saves = []
		self.draft = None
		self.submitted = False
		self.problems = []

	def call(self, method: str, args: dict, what: str, until: float):
		"""POST as the portal does; a 503 is waited out and sent again until `until`."""
		while True:
			try:
				response = self.http.post(
					self.url + API + method,
					json=args,
					headers={"X-Frappe-CSRF-Token": self.csrf},
					timeout=30,
				)
			except requests.RequestException as e:
				self.answers.append((what, 0, False))
				self.problems.append(f"{what}: no answer ({e.__class__.__name__})")
				return None
			if response.status_code == 200:
				self.answers.append((what, 200, True))
				return response.json().get("message")
			if response.status_code == 503:
				self.answers.append((what, 503, True))
				if not CJK.search(response.text):
					self.problems.append(f"{what}: a 503 without a Chinese message: {response.text[:120]}")
				retry = response.headers.get("Retry-After")
				if not retry:
					self.problems.append(f"{what}: a 503 without Retry-After")
				if time.monotonic() > until:
					return None
				time.sleep(min(float(retry or 1), 5))
				continue
			self.answers.append((what, response.status_code, False))
			self.problems.append(f"{what}: HTTP {response.status_code} {response.text[:160]}")
			return None

	def run(self):
		deadline = time.monotonic() + self.seconds
		token = self.call("accounts.api.get_captcha", {}, "captcha", deadline)["token"]
		answer = self.call("accounts.api.test_captcha_answer", {"token": token}, "captcha answer", deadline)
		login = self.call(
			"accounts.api.login",
			{
				"identifier": self.account["username"],
				"password": self.password,
				"captcha_token": token,
				"captcha_answer": answer,
			},
			"login",
			deadline,
		)
		self.csrf = login["csrf_token"]
		form = self.call(
			"cultivation.api.open_submission",
			{"cultivation_type": self.account["cultivation_type"], "batch": self.account["batch"]},
			"open draft",
			deadline,
		)
		self.draft = form["name"]
		values = dict(self.account["values"])
		modified = form.get("modified")
		count = 0
		while time.monotonic() < deadline:
			count += 1
			values["revenue"] = 1000 + count
			self.sent_saves.append(values["revenue"])
			saved = self.call(
				"cultivation.api.save_submission",
				{"name": self.draft, "values": values},
				"暂存",
				deadline + 30,
			)
			if saved:
				self.acknowledged_saves.append(values["revenue"])
				modified = saved.get("modified", modified)
			time.sleep(0.3)
		submitted = self.call(
			"cultivation.api.submit_submission",
			{"name": self.draft, "values": {**values, "commitment": 1}},
			"提交申请",
			time.monotonic() + 60,
		)
		self.submitted = bool(submitted)


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", required=True)
	parser.add_argument("--site", required=True)
	parser.add_argument("--accounts", required=True)
	parser.add_argument("--seconds", type=float, default=25)
	parser.add_argument("--out", required=True)
	args = parser.parse_args()
	state = json.load(open(args.accounts))
	admins = [
		Admin(
			args.url,
			args.site,
			{**account, "batch": state["batch"], "cultivation_type": state["cultivation_type"], "values": state["values"]},
			state["password"],
			args.seconds,
		)
		for account in state["admins"]
	]
	for admin in admins:
		admin.start()
	for admin in admins:
		admin.join(args.seconds + 180)
	results = [
		{
			"user": admin.account["user"],
			"draft": admin.draft,
			"acknowledged_saves": admin.acknowledged_saves,
			"sent_saves": admin.sent_saves,
			"submitted": admin.submitted,
			"answers": admin.answers,
			"problems": admin.problems,
		}
		for admin in admins
	]
	json.dump(results, open(args.out, "w"), ensure_ascii=False)


if __name__ == "__main__":
	main()
