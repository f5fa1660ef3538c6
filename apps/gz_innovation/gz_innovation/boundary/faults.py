"""When the database or Redis cannot be reached, every request gets a Chinese answer with HTTP 503 and
Retry-After, never Frappe's bare English "Internal Server Error".

Frappe turns a lost database or Redis into a 500: its error page needs the database itself, so the
browser got werkzeug's English text, and an API client a traceback about pymysql. This WSGI
middleware (`gz_innovation.wsgi`, the entry of every gunicorn the app's scripts start) looks, when
Frappe answered 500, at whether the database and Redis answer a connection at all; if one of them
does not, the answer becomes a 503 that says, in Chinese, that the service is briefly unavailable
and when to try again: JSON for `/api/` and scripts (Accept: application/json), a page otherwise.
The portal's scripts retry a 503 (public/js/portal/helpers.js, autosave.js): an autosave or a
submit that was not acknowledged is sent again, one that was acknowledged is stored.

Nothing is lost: Frappe rolls back a request that failed, and a submit is acknowledged only after
its commit.
"""

import json
import socket
from urllib.parse import urlparse

RETRY_AFTER_SECONDS = 5
MESSAGE = "系统暂时无法处理请求（数据服务短暂中断），请稍候 5 秒后重试。已提交并确认成功的内容不会丢失。"
TITLE = "服务暂时不可用"
PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{seconds}"><title>{title}</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f5f7fa;color:#1f2d3d;
margin:0;padding:15vh 16px}}main{{max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px;
box-shadow:0 2px 12px rgba(0,0,0,.08)}}h1{{font-size:22px;margin:0 0 12px}}p{{line-height:1.7}}</style>
</head><body><main><h1>{title}</h1><p>{message}</p><p>本页将在 {seconds} 秒后自动刷新。</p></main></body></html>"""
PROBE_TIMEOUT = 0.5


def with_fault_answers(app, sites_path: str):
	"""Wrap a WSGI application: a 500 while the database or Redis is down becomes a Chinese 503."""

	def application(environ, start_response):
		captured = {}

		def capture(status, headers, exc_info=None):
			captured["status"], captured["headers"], captured["exc_info"] = status, headers, exc_info
			if not status.startswith("500"):
				return start_response(status, headers, exc_info)
			return lambda data: None  # a 500's body is replaced or sent below

		try:
			body = app(environ, capture)
		except Exception:
			if services_down(sites_path):
				return answer_unavailable(environ, start_response)
			raise
		status = captured.get("status", "")
		if not status.startswith("500"):
			return body
		chunks = list(body)
		if hasattr(body, "close"):
			body.close()
		if services_down(sites_path):
			return answer_unavailable(environ, start_response)
		start_response(status, captured["headers"], captured.get("exc_info"))
		return chunks

	return application


def answer_unavailable(environ, start_response):
	wants_json = environ.get("PATH_INFO", "").startswith("/api/") or "json" in environ.get("HTTP_ACCEPT", "")
	if wants_json:
		body = json.dumps(
			{
				"exc_type": "ServiceUnavailable",
				"message": MESSAGE,
				"_server_messages": json.dumps(
					[json.dumps({"message": MESSAGE, "title": TITLE}, ensure_ascii=False)], ensure_ascii=False
				),
			},
			ensure_ascii=False,
		).encode()
		content_type = "application/json; charset=utf-8"
	else:
		body = PAGE.format(title=TITLE, message=MESSAGE, seconds=RETRY_AFTER_SECONDS).encode()
		content_type = "text/html; charset=utf-8"
	start_response(
		"503 SERVICE UNAVAILABLE",
		[
			("Content-Type", content_type),
			("Content-Length", str(len(body))),
			("Retry-After", str(RETRY_AFTER_SECONDS)),
			("Cache-Control", "no-store"),
		],
	)
	return [body]


def services_down(sites_path: str) -> bool:
	"""Whether MariaDB or one of the bench's Redis servers refuses a connection now."""
	config = common_config(sites_path)
	db = (config.get("db_host") or "127.0.0.1", int(config.get("db_port") or 3306))
	addresses = [db]
	for key in ("redis_cache", "redis_queue"):
		if config.get(key):
			url = urlparse(config[key])
			addresses.append((url.hostname or "127.0.0.1", url.port or 6379))
	return any(not answers(host, port) for host, port in addresses)


def answers(host: str, port: int) -> bool:
	try:
		with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
			return True
	except OSError:
		return False


def common_config(sites_path: str) -> dict:
	import os

	try:
		with open(os.path.join(sites_path, "common_site_config.json")) as f:
			return json.load(f)
	except (OSError, ValueError):
		return {}
