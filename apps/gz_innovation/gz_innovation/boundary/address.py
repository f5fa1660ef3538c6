"""The client's network address, which the login lock-out, the SMS and captcha limits, the rate limits
and the audit trail count by.

Frappe takes the first address of `X-Forwarded-For` whenever a request carries that header, so a
client that talks to the app server directly (gunicorn without nginx, `scripts/run.sh`) could name
any address: change it on every request and no per-address limit ever holds, and the audit trail
records the forged one. Here the header counts only for a request that comes from a trusted proxy,
the site configuration `trusted_proxies`: a list of addresses or networks (`["10.0.0.5"]` for nginx
on another machine, `[]` for none). Unset, it is the machine itself (127.0.0.1 and ::1: nginx on the
same machine, as `bench setup production` and `scripts/scale-out.sh` run it); a client that reaches
the app server over the network is never a trusted proxy. Otherwise the address of the connection
counts. In a chain `client, proxy 1, proxy 2` the right-most address that is not a trusted proxy is
the client, so an address a client writes in front of the chain is never taken.

Set in the hook `before_request`, before any method runs. Frappe's "Restrict IP" of a user is checked
again against the address found here.
"""

import ipaddress

import frappe

THIS_MACHINE = ("127.0.0.1", "::1")  # nginx on the same machine, when `trusted_proxies` is not set


def set_request_ip() -> None:
	"""before_request: `frappe.local.request_ip` from the connection, or from a trusted proxy's header."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return
	trusted = frappe.conf.get("trusted_proxies")
	address = client_address(
		request.environ.get("REMOTE_ADDR") or "127.0.0.1",
		request.headers.get("X-Forwarded-For"),
		THIS_MACHINE if trusted is None else trusted,
	)
	if address == frappe.local.request_ip:
		return
	frappe.local.request_ip = address
	if frappe.session.user not in (None, "", "Guest"):
		from frappe.auth import validate_ip_address

		validate_ip_address(frappe.session.user)


def client_address(remote: str, forwarded: str | None, trusted: list[str] | tuple[str, ...]) -> str:
	"""The client of a connection from `remote` that carries `X-Forwarded-For: forwarded`."""
	networks = _networks(trusted)
	if not forwarded or not _is_trusted(remote, networks):
		return remote
	hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
	for hop in reversed(hops):
		if not _valid(hop):
			return remote  # a chain with garbage in it names no one
		if not _is_trusted(hop, networks):
			return hop
	return hops[0] if hops else remote


def _networks(trusted) -> list:
	if isinstance(trusted, str):
		trusted = [trusted]
	networks = []
	for entry in trusted:
		try:
			networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
		except ValueError:
			continue
	return networks


def _valid(address: str) -> bool:
	try:
		ipaddress.ip_address(address)
	except ValueError:
		return False
	return True


def _is_trusted(address: str, networks: list) -> bool:
	try:
		ip = ipaddress.ip_address(address)
	except ValueError:
		return False
	return any(ip in network for network in networks)
