"""What a request will run, worked out the way Frappe works it out, before Frappe runs it.

Frappe routes a request in `frappe.app.application`: `cmd` in the form (on any path) first, then
`/api/...` through its own URL map (`frappe.api.API_URL_MAP`, v1 and v2 alike), then files, then
pages. A method name goes through `override_whitelisted_methods` (the last hook wins) and a Server
Script of type API before it becomes a function. `resolve()` follows the same steps with Frappe's
own objects, so the boundary's rules are decided on the function that will run, whatever the
spelling of the URL: `/api/method/m`, `/api/v1/method/m`, `/api/v2/method/m`,
`/api/v2/method/<doctype>/m`, `/?cmd=m` or `/any/page?cmd=m`.

A call is one of:
- `method`: a whitelisted function, named `module.qualname` of the function object (so aliases such
  as `logout` and `frappe.handler.logout` are one name);
- `doc_method`: a method of a document (`run_doc_method`, `runserverobj`, REST's
  `/api/resource/<doctype>/<name>` POST, v2's `.../method/<m>`), named by the method;
- `resource`: Frappe's REST on documents (`/api/resource`, `/api/v2/document`, `/api/v2/doctype`);
- `server_script`: a Server Script of type API;
- `unknown`: an `/api/` address or a method name that resolves to nothing (Frappe answers it);
- `file` and `page`: private files and backups, and every page (these check their own access).
"""

from dataclasses import dataclass

import frappe

DOC_METHOD_COMMANDS = frozenset(
	{"run_doc_method", "runserverobj", "frappe.handler.run_doc_method", "frappe.handler.runserverobj"}
)
# Calls: what runs code of Frappe's or the app's on the request's behalf (the rest are files and pages).
CALL_KINDS = frozenset({"method", "doc_method", "resource", "server_script", "unknown"})


@dataclass(frozen=True)
class Call:
	kind: str
	name: str | None = None  # the function's `module.qualname`, the document method's name, the endpoint
	doctype: str | None = None
	function: str | None = None  # a document method's `module.Class.method` (its controller's)

	@property
	def is_call(self) -> bool:
		return self.kind in CALL_KINDS


def resolve() -> Call:
	"""The call of the current request (cached on the request: it is asked several times)."""
	cached = getattr(frappe.local, "gz_call", None)
	if cached is None:
		try:
			cached = _resolve()
		except Exception:
			# Whatever Frappe would make of it, it is a call nobody may rely on being allowed.
			cached = Call("unknown")
		frappe.local.gz_call = cached
	return cached


def _resolve() -> Call:
	request = frappe.local.request
	form = frappe.local.form_dict
	if form.get("cmd"):
		return method_call(str(form.cmd))
	path = request.path
	if path.startswith("/api/"):
		return api_call(request)
	if path.startswith(("/private/files/", "/backups")):
		return Call("file", path)
	return Call("page", path)


def api_call(request) -> Call:
	from frappe.api import API_URL_MAP, v1, v2
	from werkzeug.exceptions import HTTPException

	try:
		endpoint, args = API_URL_MAP.bind_to_environ(request.environ).match()
	except HTTPException:
		return Call("unknown", request.path)
	if endpoint is v1.handle_rpc_call:
		return method_call(args["method"].split("/")[0])
	if endpoint is v2.handle_rpc_call:
		method = args["method"]
		if args.get("doctype"):
			from frappe.modules.utils import load_doctype_module

			method = load_doctype_module(args["doctype"]).__name__ + "." + method
		return method_call(method)
	if endpoint in (v1.execute_doc_method, v2.execute_doc_method):
		form = frappe.local.form_dict
		return document_method(args.get("method") or form.get("run_method"), args.get("doctype"))
	if getattr(endpoint, "__name__", "") == "<lambda>":  # v2's /method/run_doc_method
		return doc_method_call()
	if endpoint in (v2.login, v2.logout, v2.upload_file, frappe.ping):  # v2's own methods
		return Call("method", qualified_name(endpoint))
	return Call("resource", qualified_name(endpoint), args.get("doctype"))


def method_call(cmd: str) -> Call:
	"""A whitelisted method by the name a client gave, as `frappe.handler.execute_cmd` finds it."""
	for hook in reversed(frappe.get_hooks("override_whitelisted_methods", {}).get(cmd, [])):
		cmd = hook
		break
	from frappe.core.doctype.server_script.server_script_utils import get_server_script_map

	if get_server_script_map().get("_api", {}).get(cmd):
		return Call("server_script", cmd)
	if cmd in DOC_METHOD_COMMANDS:
		return doc_method_call()
	from frappe.handler import get_attr

	try:
		function = get_attr(cmd)
	except Exception:
		return Call("unknown", cmd)
	return Call("method", qualified_name(function))


def doc_method_call() -> Call:
	form = frappe.local.form_dict
	doctype = form.get("dt")
	if not doctype:
		docs = form.get("docs") or form.get("document")
		try:
			doctype = (frappe.parse_json(docs) or {}).get("doctype") if docs else None
		except Exception:
			doctype = None
	return document_method(form.get("method"), doctype)


def document_method(method: str | None, doctype: str | None) -> Call:
	"""A document's method, named also by its controller's `module.Class.method`."""
	function = None
	if method and doctype:
		try:
			from frappe.model.base_document import get_controller

			function = qualified_name(getattr(get_controller(doctype), method))
		except Exception:
			function = None
	return Call("doc_method", method, doctype, function)


def qualified_name(function) -> str:
	function = getattr(function, "__func__", function)
	return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}"
