"""The client's address (boundary/address.py): X-Forwarded-For counts only from a trusted proxy."""

import pytest

from gz_innovation.boundary.address import client_address

NGINX = ["127.0.0.1"]


@pytest.mark.parametrize(
	"remote, forwarded, trusted, client",
	[
		# No proxy configured: the connection's address, whatever the header says.
		("198.51.100.7", "10.0.0.1", [], "198.51.100.7"),
		("127.0.0.1", "10.0.0.1", [], "127.0.0.1"),
		# A connection that is not the proxy cannot name another address.
		("198.51.100.7", "10.0.0.1", NGINX, "198.51.100.7"),
		# Through nginx: the address nginx saw.
		("127.0.0.1", "203.0.113.9", NGINX, "203.0.113.9"),
		("127.0.0.1", None, NGINX, "127.0.0.1"),
		# A client that writes its own header in front of the chain: the right-most untrusted hop.
		("127.0.0.1", "10.9.9.9, 203.0.113.9", NGINX, "203.0.113.9"),
		# Two proxies (a load balancer before nginx), networks allowed.
		("127.0.0.1", "10.9.9.9, 203.0.113.9, 172.16.0.5", ["127.0.0.1", "172.16.0.0/12"], "203.0.113.9"),
		# Garbage in the chain names no one: the connection's address.
		("127.0.0.1", "not-an-address", NGINX, "127.0.0.1"),
		("127.0.0.1", "203.0.113.9, <script>", NGINX, "127.0.0.1"),
		# IPv6
		("::1", "2001:db8::5", ["::1"], "2001:db8::5"),
		# A setting written as one string still works; a bad entry is skipped.
		("127.0.0.1", "203.0.113.9", "127.0.0.1", "203.0.113.9"),
		("127.0.0.1", "203.0.113.9", ["nonsense", "127.0.0.1"], "203.0.113.9"),
	],
)
def test_client_address(remote, forwarded, trusted, client):
	assert client_address(remote, forwarded, trusted) == client
