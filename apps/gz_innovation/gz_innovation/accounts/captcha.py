"""Image captcha: one-time, expiring, bound to a random token the page holds.

Images come from the `captcha` library (PyPI). Only a hash of the answer is kept, in Redis; checking
takes it out in one atomic step (GETDEL), so parallel requests cannot use one answer twice.
"""

import base64
import hashlib
import secrets

import frappe

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: characters people misread in a distorted picture.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 4
TTL_SECONDS = 300
_KEY = "gz_captcha:{}"


_image_maker = None


def image_maker():
	"""One ImageCaptcha per process: it loads its fonts when made, a third of a captcha's cost."""
	global _image_maker
	if _image_maker is None:
		from captcha.image import ImageCaptcha

		_image_maker = ImageCaptcha(width=140, height=50, font_sizes=(36, 40, 44))
	return _image_maker


def new_captcha() -> dict:
	"""A fresh captcha: {"token": ..., "image": "data:image/png;base64,..."}."""
	answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
	token = secrets.token_urlsafe(24)
	frappe.cache.set(_key(token), _digest(token, answer), ex=TTL_SECONDS)
	if frappe.conf.get("allow_tests"):
		# Test mode only: the browser tests read the answer through accounts.api.test_captcha_answer.
		frappe.cache.set_value(_KEY.format(token) + ":answer", answer, expires_in_sec=TTL_SECONDS)
	png = image_maker().generate(answer, format="png").getvalue()
	return {"token": token, "image": "data:image/png;base64," + base64.b64encode(png).decode()}


def check_captcha(token: str | None, answer: str | None) -> bool:
	"""True when `answer` matches the captcha of `token`. The captcha is used up either way."""
	if not token or not answer:
		return False
	expected = frappe.cache.getdel(_key(token))
	frappe.cache.delete_value(_KEY.format(token) + ":answer")
	return bool(expected) and secrets.compare_digest(
		expected.decode(), _digest(token, answer.strip().upper())
	)


def answer_in_test_mode(token: str) -> str | None:
	return frappe.cache.get_value(_KEY.format(token) + ":answer")


def _key(token: str) -> str:
	return frappe.cache.make_key(_KEY.format(token))


def _digest(token: str, answer: str) -> str:
	return hashlib.sha256(f"{token}:{answer}".encode()).hexdigest()
