"""WSGI entry for gunicorn when no front web server stands before it (`scripts/run.sh`, the load
benchmark): Frappe's own application, plus what `bench serve` and nginx add in front of it.

- the bench's default site answers addresses that name no site (127.0.0.1, the machine's IP), as
  nginx does with `serve_default_site`; a request naming a site (Host or X-Frappe-Site-Name) goes
  to that site;
- `/assets` and the sites' public `/files` are served from disk, as `bench serve` does;
- the modules the portal's requests import on first use are imported once, in gunicorn's master
  (`--preload`), before it forks its workers (prepare.preload);
- while MariaDB or Redis cannot be reached, requests get a Chinese 503 with Retry-After instead of
  Frappe's bare English 500 (boundary/faults.py).

Behind nginx (`scripts/scale-out.sh`, `bench setup production`), nginx serves the statics and
names the site; gunicorn then runs `frappe.app:application` or this module alike.

With GZ_CPU_LOG set (a folder), every request's server-side CPU and wall milliseconds are appended to
a file per worker in that folder (the load benchmark's CPU per request type).

With GZ_PROFILE_DIR set, every request is profiled as `bench serve --profile` does (werkzeug's
ProfilerMiddleware), one file per request in that folder (the load benchmark's --profile).

    gunicorn --chdir sites -w 5 gz_innovation.wsgi:application
"""

import json
import os
import time

import frappe.app
from werkzeug.middleware.shared_data import SharedDataMiddleware

from gz_innovation import prepare
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

# gunicorn --preload imports this module once, in the master: what the portal's requests import on
# first use is imported here, before the fork, not in a user's request in every worker.
prepare.preload()

if profile_dir := os.environ.get("GZ_PROFILE_DIR"):
	from werkzeug.middleware.profiler import ProfilerMiddleware

	application = ProfilerMiddleware(
		application,
		stream=None,
		profile_dir=profile_dir,
		filename_format="{method}.{path}.{elapsed:.0f}ms.{time:.6f}.prof",
	)


def with_cpu_log(app, folder: str):
	"""Each request's CPU time in this worker (a sync worker serves one request at a time) and wall
	time, appended as `METHOD<TAB>path<TAB>status<TAB>cpu ms<TAB>wall ms` to <folder>/<pid>.tsv."""

	def app_with_cpu_log(environ, start_response):
		cpu, wall = time.process_time(), time.perf_counter()
		status = []

		def start(code, headers, exc_info=None):
			status.append(code.split(" ", 1)[0])
			return start_response(code, headers, exc_info)

		body = app(environ, start)
		try:
			chunks = list(body)  # the response is made while it is iterated
		finally:
			if hasattr(body, "close"):
				body.close()
		line = "\t".join(
			(
				environ.get("REQUEST_METHOD", ""),
				environ.get("PATH_INFO", ""),
				status[0] if status else "",
				f"{(time.process_time() - cpu) * 1000:.2f}",
				f"{(time.perf_counter() - wall) * 1000:.2f}",
			)
		)
		with open(os.path.join(folder, f"{os.getpid()}.tsv"), "a") as f:
			f.write(line + "\n")
		return chunks

	return app_with_cpu_log


if cpu_folder := os.environ.get("GZ_CPU_LOG"):
	application = with_cpu_log(application, cpu_folder)
