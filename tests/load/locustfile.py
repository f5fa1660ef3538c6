"""Deadline day over HTTP (issue 14): enterprise admins log in and submit their indicators in the
last hours of a batch, new users register meanwhile, and Frappe's own endpoints are asked in the
same run as the reference. Run by tests/load/deadline_day.sh, which makes the data, starts
gunicorn and reads the figures; not meant to be started by hand.

Environment (set by deadline_day.sh):
    GZ_LOAD_ACCOUNTS  JSON file made by deadline_data.py make: admins, password, batch, type
    GZ_LOAD_SITE      the site (sent as Host, so one gunicorn may serve several sites)
    GZ_LOAD_RESULTS   where this run writes its raw samples and its submit bookkeeping (JSON)
    GZ_LOAD_THINK     think time between a user's actions, "min-max" seconds (1-3)
    GZ_LOAD_REGISTRATIONS  how many of the users are registrants (the registration burst)
    GZ_LOAD_FLOORS    1: also ask Frappe's own floors of login, opening the draft, 暂存 and register
    GZ_LOAD_DOUBLE_CLICK / GZ_LOAD_DROP  shares of admins that double-click 提交申请 / drop mid-submit
    GZ_LOAD_STOP_WHEN_DONE  N: stop once N users went through their flow (the smoke run)
"""

import html
import json
import os
import random
import re
import secrets
import time
from collections import defaultdict

import floors  # tests/load/floors.py: the floors' request names, shared with report.py
import gevent
from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from locust.exception import StopUser

ACCOUNTS = json.load(open(os.environ["GZ_LOAD_ACCOUNTS"]))
SITE = os.environ["GZ_LOAD_SITE"]
RESULTS = os.environ["GZ_LOAD_RESULTS"]
THINK_MIN, THINK_MAX = (float(x) for x in os.environ.get("GZ_LOAD_THINK", "1-3").split("-"))
REGISTRATIONS = int(os.environ.get("GZ_LOAD_REGISTRATIONS", "0"))
# Frappe's own floors of login, opening the draft, 暂存 and register, asked at the same moment (--floors).
FLOORS = os.environ.get("GZ_LOAD_FLOORS") == "1"
DOUBLE_CLICK_SHARE = float(os.environ.get("GZ_LOAD_DOUBLE_CLICK", "0.1"))
DROP_SHARE = float(os.environ.get("GZ_LOAD_DROP", "0.1"))
# The smoke run ends as soon as every user went through its flow once (the duration is a cap).
STOP_WHEN_DONE = int(os.environ.get("GZ_LOAD_STOP_WHEN_DONE", "0"))

ACCOUNTS_API = "/api/method/gz_innovation.accounts.api."
CULTIVATION_API = "/api/method/gz_innovation.cultivation.api."
CSRF = re.compile(r'csrf_token\s*=\s*"([^"]+)"')
# Request types that exist only because the site is in test mode (reading a captcha's answer and a
# captured SMS): a real user reads them off the screen and the phone. Reported apart.
TEST_HELPER = "[test mode] "
# Frappe's own endpoints, asked by the same users in the same run: the reference.
REFERENCE = "[reference] "
SUBMISSION_RESOURCE = "/api/resource/Cultivation%20Submission/"
# The second click of a double-click is refused: already submitted, or the document changed since it
# was read (Frappe's check of the modified time), whichever the second request meets.
EXPECTED_SECOND_CLICK = ("SubmissionError", "TimestampMismatchError")

samples: dict[str, list[float]] = defaultdict(list)
finished_users = 0
failures: dict[str, int] = defaultdict(int)
book = {"acknowledged": [], "double_click": [], "dropped": [], "registered": [], "errors": []}
_next_account = iter(ACCOUNTS["admins"])


@events.request.add_listener
def _record(request_type, name, response_time, exception, **kwargs):
	samples[name].append(response_time)
	if exception:
		failures[name] += 1
		if len(book["errors"]) < 50:
			book["errors"].append(f"{name}: {str(exception)[:3000]}")


@events.user_error.add_listener
def _user_error(user_instance, exception, tb, **kwargs):
	"""A fault of this script, not of the server; counted so that it cannot go unseen."""
	failures["[locust] user errors"] += 1
	samples.setdefault("[locust] user errors", [])
	book["errors"].append(f"[locust] {type(exception).__name__}: {str(exception)[:300]}")


@events.test_stop.add_listener
def _write(**kwargs):
	with open(RESULTS, "w") as f:
		json.dump({"samples": samples, "failures": failures, **book}, f)


def flow_done(user) -> None:
	global finished_users
	finished_users += 1
	if STOP_WHEN_DONE and finished_users >= STOP_WHEN_DONE:
		gevent.spawn_later(0.1, user.environment.runner.quit)  # outside the user's own greenlet


def think():
	gevent.sleep(random.uniform(THINK_MIN, THINK_MAX))


def server_message(response) -> str:
	try:
		data = response.json()
	except ValueError:
		return response.text[:200]
	texts = []
	for raw in json.loads(data.get("_server_messages") or "[]"):
		try:
			texts.append(json.loads(raw).get("message", ""))
		except (ValueError, AttributeError):
			texts.append(str(raw))
	return " ".join(texts) or str(data.get("exc_type") or data)[:200]


def exc_type(response) -> str | None:
	try:
		return response.json().get("exc_type")
	except ValueError:
		return None


class Portal(HttpUser):
	"""What both kinds of users share: the site's Host, JSON POSTs with the page's CSRF token."""

	abstract = True
	wait_time = between(THINK_MIN, THINK_MAX)

	def on_start(self):
		self.client.headers.update({"Host": SITE, "Accept": "application/json"})
		self.csrf = ""
		# A System Manager (API token, no session): Frappe's own REST reads and writes of the run (a
		# portal user reaches only the portal's methods).
		self.floor_client = HttpSession(self.host, self.environment.events.request, user=self)
		self.floor_client.headers.update(
			{
				"Host": SITE,
				"Accept": "application/json",
				"Authorization": "token " + ACCOUNTS["floor_token"],
			}
		)

	def post(self, path: str, name: str, args: dict | None = None, **kwargs):
		headers = {"X-Frappe-CSRF-Token": self.csrf} if self.csrf else {}
		return self.client.post(path, json=args or {}, headers=headers, name=name, **kwargs)

	def call(self, path: str, name: str, args: dict | None = None, attempts: int = 3):
		"""POST until it answers 200 (a worker may be killed mid-run); returns `message`."""
		for attempt in range(attempts):
			with self.post(path, name, args, catch_response=True) as response:
				if response.status_code == 200:
					return response.json().get("message")
				response.failure(f"{response.status_code}: {server_message(response)}")
			if attempt < attempts - 1:
				think()
		raise StopUser()

	def page(self, path: str, name: str):
		with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
			if response.status_code != 200:
				# Frappe's error page carries the traceback (hidden) in <pre><code>: its last lines.
				trace = re.search(r"<pre><code>(.*?)</code></pre>", response.text or "", re.S)
				detail = html.unescape(trace.group(1)).strip()[-3000:] if trace else ""
				response.failure(f"{response.status_code} {response.headers.get('Location', '')} {detail}")
				return None
			if match := CSRF.search(response.text):
				self.csrf = match.group(1)
			return response.text

	def solved_captcha(self) -> tuple[str, str]:
		token = self.call(ACCOUNTS_API + "get_captcha", "captcha image (get_captcha)")["token"]
		answer = self.call(
			ACCOUNTS_API + "test_captcha_answer", TEST_HELPER + "captcha answer", {"token": token}
		)
		return token, answer


class EnterpriseAdmin(Portal):
	"""An enterprise admin on deadline day: captcha + login, 创新平台管理中心, open the draft, type
	with the live pre-check, 暂存, 提交申请, then keep reading 申报详情 and the center."""

	weight = 1

	def on_start(self):
		super().on_start()
		self.account = next(_next_account, None)
		self.submission = None
		if self.account is None:
			return  # more users than prepared accounts: this one stays idle
		self.mode = random.choices(
			("normal", "double_click", "dropped"),
			weights=(1 - DOUBLE_CLICK_SHARE - DROP_SHARE, DOUBLE_CLICK_SHARE, DROP_SHARE),
		)[0]
		try:
			self.deadline_day()
		except StopUser:
			self.account = None  # gave up after repeated errors (counted): stays idle, not restarted
		flow_done(self)

	def deadline_day(self):
		self.page("/login", "GET /login")
		think()
		self.log_in()
		if FLOORS:
			self.frappe_login()
		self.page("/cultivation", "GET /cultivation")
		self.reference()
		self.call(CULTIVATION_API + "get_center", "get_center")
		think()
		self.fill_in_and_submit()

	def log_in(self):
		for _ in range(3):
			token, answer = self.solved_captcha()
			with self.post(
				ACCOUNTS_API + "login",
				"login",
				{
					"identifier": self.account["username"],
					"password": ACCOUNTS["password"],
					"captcha_token": token,
					"captcha_answer": answer,
				},
				catch_response=True,
			) as response:
				if response.status_code == 200:
					# The new session's CSRF token (the next page prints it too).
					self.csrf = (response.json().get("message") or {}).get("csrf_token") or self.csrf
					return
				response.failure(f"{response.status_code}: {server_message(response)}")
			think()
		raise StopUser()

	def frappe_login(self):
		"""The floor of the login, at the same moment: Frappe's own password login (no captcha, no
		lock-out of the app) of the same account, in a browser of its own."""
		browser = HttpSession(self.host, self.environment.events.request, user=self)
		browser.headers.update({"Host": SITE, "Accept": "application/json"})
		with browser.post(
			"/api/method/login",
			data={"usr": self.account["user"], "pwd": ACCOUNTS["password"]},
			name=floors.LOGIN,
			catch_response=True,
		) as response:
			if response.status_code != 200:
				response.failure(f"{response.status_code}: {server_message(response)}")

	def fill_in_and_submit(self):
		batch, cultivation_type = ACCOUNTS["batch"], ACCOUNTS["cultivation_type"]
		form = self.call(
			CULTIVATION_API + "open_submission",
			"open_submission (open draft)",
			{"cultivation_type": cultivation_type, "batch": batch},
		)
		self.submission = form["name"]
		if FLOORS:
			self.floor("GET", floors.READ_DRAFT)
		values = ACCOUNTS["values"]
		fields = list(values)
		# Typing: the form asks for the pre-check as the fields fill in, a few times per user.
		for filled in (len(fields) // 3, 2 * len(fields) // 3, len(fields)):
			think()
			self.call(
				CULTIVATION_API + "precheck",
				"precheck (live pre-check)",
				{
					"cultivation_type": cultivation_type,
					"batch": batch,
					"values": {f: values[f] for f in fields[:filled]},
				},
			)
		think()
		self.call(
			CULTIVATION_API + "save_submission",
			"save_submission (暂存)",
			{"name": self.submission, "values": values},
		)
		if FLOORS:
			self.floor("PUT", floors.SAVE_DRAFT)
		think()
		self.submit({**values, "commitment": 1})

	def floor(self, method: str, name: str):
		"""Frappe's own REST read or save of the same draft, by the System Manager of the floor (an
		enterprise admin reaches only the portal's methods): the floor of opening the draft and of
		暂存 (a save that changes no value still validates and stores the whole document, as 暂存
		does)."""
		with self.floor_client.request(
			method,
			SUBMISSION_RESOURCE + self.submission,
			json={},
			name=name,
			catch_response=True,
		) as response:
			if response.status_code != 200:
				response.failure(f"{response.status_code}: {server_message(response)}")

	def submit(self, values):
		args = {"name": self.submission, "values": values}
		path = CULTIVATION_API + "submit_submission"
		if self.mode == "double_click":
			book["double_click"].append(self.submission)
			clicks = [
				gevent.spawn(self.submit_once, path, args, "submit_submission (double-click)") for _ in "12"
			]
			gevent.joinall(clicks)
			if any(click.value for click in clicks):
				return
		elif self.mode == "dropped":
			# The client gives up before the answer comes: the browser was closed mid-submit.
			book["dropped"].append(self.submission)
			with self.client.post(
				path,
				json=args,
				headers={"X-Frappe-CSRF-Token": self.csrf},
				name="submit_submission (client dropped)",
				timeout=random.uniform(0.005, 0.05),
				catch_response=True,
			) as response:
				response.success()  # what the server did is counted after the run
			return
		# A submit that got no answer is tried again once the page shows it still as a draft.
		for _ in range(3):
			if self.submit_once(path, args, "submit_submission (提交申请)"):
				return
			think()
			if self.read_detail()["status"] not in ("草稿", "退回修改"):
				return

	def submit_once(self, path, args, name) -> bool:
		with self.post(path, name, args, catch_response=True) as response:
			if response.status_code == 200:
				book["acknowledged"].append(self.submission)
				return True
			message = server_message(response)
			if name.endswith("(double-click)") and response.status_code == 417:
				if exc_type(response) in EXPECTED_SECOND_CLICK:
					response.success()  # the second click is refused: one submission
					return False
			response.failure(f"{response.status_code}: {message}")
			return False

	def read_detail(self) -> dict:
		return self.call(
			CULTIVATION_API + "get_submission", "get_submission (申报详情)", {"name": self.submission}
		)

	def reference(self):
		self.client.get(
			"/api/method/frappe.auth.get_logged_user", name=REFERENCE + "frappe.auth.get_logged_user"
		)
		self.floor_client.get(
			"/api/resource/ToDo?limit_page_length=20", name=REFERENCE + "GET /api/resource/ToDo"
		)

	@task(1)
	def reference_page(self):
		"""Frappe's own portal page (/me, My Account): the floor of a page's rendering."""
		if self.account is None:
			return
		self.client.get("/me", name=REFERENCE + "GET /me (Frappe's portal page)")

	@task(3)
	def keep_reading(self):
		if self.account is None:
			return
		if self.submission:
			self.read_detail()
		think()
		self.call(CULTIVATION_API + "get_center", "get_center")

	@task(1)
	def reload_center(self):
		if self.account is None:
			return
		self.page("/cultivation", "GET /cultivation")
		self.reference()


class Registrant(Portal):
	"""The registration burst: captcha, SMS code through the Capture provider, register."""

	fixed_count = REGISTRATIONS
	abstract = REGISTRATIONS == 0

	def on_start(self):
		super().on_start()
		try:
			self.register()
		except StopUser:
			pass  # the error is counted; the user is not started again
		flow_done(self)

	def register(self):
		# Registrants come from addresses of their own (the SMS limits count per address).
		self.client.headers["X-Forwarded-For"] = (
			f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
		)
		self.page("/register", "GET /register")
		think()
		mobile = "1990" + "".join(secrets.choice("0123456789") for _ in range(7))
		token, answer = self.solved_captcha()
		self.call(
			ACCOUNTS_API + "send_sms_code",
			"send_sms_code",
			{"mobile": mobile, "purpose": "register", "captcha_token": token, "captcha_answer": answer},
		)
		message = self.call(ACCOUNTS_API + "test_last_sms", TEST_HELPER + "captured SMS", {"mobile": mobile})
		code = re.search(r"\d{6}", message or "").group(0)
		think()
		username = ACCOUNTS["registrant_prefix"] + secrets.token_hex(4)
		if FLOORS:
			self.frappe_user_creation()
		self.call(
			ACCOUNTS_API + "register",
			"register",
			{
				"mobile": mobile,
				"sms_code": code,
				"username": username,
				"full_name": "压测用户",
				"password": ACCOUNTS["password"],
				"confirm_password": ACCOUNTS["password"],
				"consent": 1,
			},
			attempts=1,
		)
		book["registered"].append(username)

	def frappe_user_creation(self):
		"""The floor of a registration, at the same moment: a System Manager makes the same kind of
		account (Website User, the personal user's role, a password) through Frappe's REST API."""
		mobile = "1991" + "".join(secrets.choice("0123456789") for _ in range(7))
		with self.floor_client.post(
			"/api/resource/User",
			json={
				"email": f"{mobile}@mobile.gz-innovation.invalid",
				"first_name": "压测用户",
				"username": ACCOUNTS["floor_prefix"] + secrets.token_hex(4),
				"mobile_no": mobile,
				"user_type": "Website User",
				"send_welcome_email": 0,
				"language": "zh",
				"roles": [{"role": "GZ Personal User"}],
				"new_password": "Gz#"
				+ secrets.token_hex(8),  # passes Frappe's strength test and the app's rules
			},
			name=floors.CREATE_USER,
			catch_response=True,
		) as response:
			if response.status_code != 200:
				response.failure(f"{response.status_code}: {server_message(response)}")

	@task
	def done(self):
		"""Registered: the user reads the account center elsewhere; here it stays idle (a stopped
		Locust user would be started again and register once more)."""
		gevent.sleep(60)
