"""Frappe's own API tests, run on this site with the app installed: sessions opened without the app's
captcha (login_as, API keys) work, REST and RPC behave as Frappe's own tests expect. Before, the app
refused every session it had not opened itself and most of these failed."""

# The runner collects the test cases imported here.
from frappe.tests.test_api import (
	TestMethodAPI,
	TestReadOnlyMode,
	TestResourceAPI,
	TestWSGIApp,
)
