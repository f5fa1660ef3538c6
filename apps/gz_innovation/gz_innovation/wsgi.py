"""WSGI entry for gunicorn when no front web server stands before it (`scripts/run.sh`, the load
benchmark): Frappe's own application, plus what `bench serve` and nginx add in front of it.

- the bench's default site answers addresses that name no site (127.0.0.1, the machine's IP), as
  nginx does with `serve_default_site`; a request naming a site (Host or X-Frappe-Site-Name) goes
  to that site;
- `/assets` and the sites' public `/files` are served from disk, as `bench serve` does;
- while MariaDB or Redis cannot be reached, requests get a Chinese 503 with Retry-After instead of
  Frappe's bare English 500 (boundary/faults.py).

Behind nginx (`scripts/scale-out.sh`, `bench setup production`), nginx serves the statics and
names the site; gunicorn then runs `frappe.app:application` or this module alike.

With GZ_PROFILE_DIR set, every request is profiled as `bench serve --profile` does (werkzeug's
ProfilerMiddleware), one file per request in that folder (the load benchmark's --profile).

    gunicorn --chdir sites -w 5 gz_innovation.wsgi:application
"""

import json
import os

import frappe.app
from werkzeug.middleware.shared_data import SharedDataMiddleware

from gz_innovation.boundary.faults import with_fault_answers

SITES_PATH = os.path.abspath(os.environ.get("SITES_PATH", "."))
SITE_HEADER = "HTTP_X_FRAPPE_SITE_NAME"


def default_site() -> str | None:
	try:
		with open(os.path.join(SITES_PATH, "common_site_config.json")) as f:
			return json.load(f).get("default_site")
	except (OSError, ValueError):
		return None


def is_site(name: str | None) -> bool:
	return bool(name) and os.path.isfile(os.path.join(SITES_PATH, name, "site_config.json"))


def site_of(environ) -> str | None:
	"""The site a request is for: the one it names, else the bench's default site."""
	named = environ.get(SITE_HEADER) or (environ.get("HTTP_HOST") or "").split(":", 1)[0]
	return named if is_site(named) else default_site()


class SiteFiles:
	"""A site's public files (`/files/...`), from the folder of the site the request is for."""

	def __init__(self, app):
		self.app = app
		self.per_site = {}

	def __call__(self, environ, start_response):
		site = environ.get(SITE_HEADER)
		if not (environ.get("PATH_INFO") or "").startswith("/files/") or not is_site(site):
			return self.app(environ, start_response)
		if site not in self.per_site:
			files = os.path.join(SITES_PATH, site, "public", "files")
			self.per_site[site] = SharedDataMiddleware(self.app, {"/files": files})
		return self.per_site[site](environ, start_response)


def with_site(app):
	def app_with_site(environ, start_response):
		if not environ.get(SITE_HEADER):
			site = site_of(environ)
			if site:
				environ[SITE_HEADER] = site
		return app(environ, start_response)

	return app_with_site


application = with_site(
	SiteFiles(
		SharedDataMiddleware(
			with_fault_answers(frappe.app.application, SITES_PATH),
			{"/assets": os.path.join(SITES_PATH, "assets")},
		)
	)
)

if profile_dir := os.environ.get("GZ_PROFILE_DIR"):
	from werkzeug.middleware.profiler import ProfilerMiddleware

	application = ProfilerMiddleware(
		application,
		stream=None,
		profile_dir=profile_dir,
		filename_format="{method}.{path}.{elapsed:.0f}ms.{time:.6f}.prof",
	)
