"""Password hashes of the previous platform (原科技创新服务平台): recognise and verify them.

Pure Python (hashlib, hmac, passlib): no Frappe, so the unit tests check every scheme.

A legacy export carries, per user, `password_hash` and optionally `password_scheme` and
`password_salt`. Schemes:

- self-describing strings, recognised without a scheme: bcrypt (`$2a$`, `$2b$`, `$2y$`),
  PBKDF2-SHA256 in passlib (`$pbkdf2-sha256$…`), Django (`pbkdf2_sha256$…`) and Werkzeug
  (`pbkdf2:sha256:…`) form, and every other format passlib knows (`$6$…` sha512_crypt,
  `{SSHA}…`, `$P$…` phpass, …);
- bare hex digests: `md5` (32 hex) and `sha1` (40 hex), unsalted, also recognised by length;
- salted hex digests, which need the scheme spelled out because the digest alone cannot say where
  the salt went: `md5(salt+password)`, `md5(password+salt)`, `sha1(salt+password)`,
  `sha1(password+salt)`, and `md5(md5(password)+salt)` (Discuz!-style forums and many PHP systems);
- any passlib handler name as the scheme (`sha256_crypt`, `django_salted_md5`, …).
"""

import hashlib
import hmac
import logging
import re
from collections.abc import Callable

from passlib import registry as passlib_registry
from passlib.context import CryptContext

HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")
WERKZEUG_SCHEME = "werkzeug_pbkdf2"
WERKZEUG = re.compile(r"^pbkdf2:(sha256|sha1|sha512)(?::(\d+))?\$([^$]*)\$([0-9a-fA-F]+)$")

# Formats passlib recognises on sight. Unsalted hex (hex_md5, …) is left to the length check below,
# plaintext-like handlers are left out on purpose: a legacy "hash" equal to the password is refused.
_IDENTIFIABLE = [
	"bcrypt",
	"bcrypt_sha256",
	"pbkdf2_sha256",
	"pbkdf2_sha512",
	"pbkdf2_sha1",
	"django_pbkdf2_sha256",
	"django_pbkdf2_sha1",
	"django_bcrypt",
	"django_bcrypt_sha256",
	"django_salted_sha1",
	"django_salted_md5",
	"sha512_crypt",
	"sha256_crypt",
	"sha1_crypt",
	"md5_crypt",
	"apr_md5_crypt",
	"phpass",
	"ldap_salted_sha1",
	"ldap_salted_sha256",
	"ldap_salted_sha512",
	"ldap_salted_md5",
	"ldap_sha1",
	"ldap_md5",
	"ldap_pbkdf2_sha256",
	"scrypt",
	"argon2",
]
_REFUSED_HANDLERS = {"plaintext", "ldap_plaintext", "roundup_plaintext", "unix_disabled", "unix_fallback"}

_context = CryptContext(schemes=_IDENTIFIABLE)
# passlib 1.7.4 looks for bcrypt.__about__, gone since bcrypt 4.1, and logs a traceback once; the
# backend works (see the unit tests).
logging.getLogger("passlib.handlers.bcrypt").setLevel(logging.ERROR)


def _hex(algorithm: str) -> Callable[[bytes], str]:
	return lambda data: hashlib.new(algorithm, data).hexdigest()


_md5, _sha1 = _hex("md5"), _hex("sha1")

# Salted hex schemes: name -> digest(password, salt).
SALTED_HEX: dict[str, Callable[[bytes, bytes], str]] = {
	"md5(salt+password)": lambda pwd, salt: _md5(salt + pwd),
	"md5(password+salt)": lambda pwd, salt: _md5(pwd + salt),
	"sha1(salt+password)": lambda pwd, salt: _sha1(salt + pwd),
	"sha1(password+salt)": lambda pwd, salt: _sha1(pwd + salt),
	"md5(md5(password)+salt)": lambda pwd, salt: _md5(_md5(pwd).encode() + salt),
}
UNSALTED_HEX = {"md5": (_md5, HEX32), "sha1": (_sha1, HEX40)}
# Spellings found in real exports for the same schemes.
ALIASES = {
	"auto": "",
	"md5_hex": "md5",
	"hex_md5": "md5",
	"sha1_hex": "sha1",
	"hex_sha1": "sha1",
	"pbkdf2-sha256": "pbkdf2_sha256",
	"md5(salt.password)": "md5(salt+password)",
	"md5(password.salt)": "md5(password+salt)",
	"sha1(salt.password)": "sha1(salt+password)",
	"sha1(password.salt)": "sha1(password+salt)",
	"discuz": "md5(md5(password)+salt)",
}


class UnknownScheme(ValueError):
	"""The hash's scheme cannot be recognised or is not supported."""


def canonical_scheme(scheme: str | None) -> str:
	"""The scheme's canonical name ('' = recognise from the hash), or UnknownScheme."""
	key = re.sub(r"\s+", "", (scheme or "").strip().lower())
	key = ALIASES.get(key, key)
	if key in ("", "pbkdf2_sha256", "bcrypt", WERKZEUG_SCHEME) or key in SALTED_HEX or key in UNSALTED_HEX:
		return key
	if key in _REFUSED_HANDLERS or not _is_passlib_handler(key):
		raise UnknownScheme(scheme)
	return key


def _is_passlib_handler(name: str) -> bool:
	try:
		passlib_registry.get_crypt_handler(name)
		return True
	except KeyError:
		return False


def identify(password_hash: str, scheme: str | None = None, salt: str | None = None) -> str:
	"""The scheme a stored hash uses, or UnknownScheme. Checks the hash's shape, never a password."""
	scheme = canonical_scheme(scheme)
	password_hash = (password_hash or "").strip()
	if not password_hash:
		raise UnknownScheme("empty hash")
	if scheme in SALTED_HEX:
		if not salt:
			raise UnknownScheme(f"{scheme} needs a salt")
		if not (HEX32 if scheme.startswith("md5") else HEX40).match(password_hash):
			raise UnknownScheme(f"not a {scheme} digest")
		return scheme
	if salt and not scheme:
		# A salt with no scheme: the position of the salt is unknown, guessing would be unsafe.
		raise UnknownScheme("salted hash without a scheme")
	if scheme in UNSALTED_HEX:
		if not UNSALTED_HEX[scheme][1].match(password_hash):
			raise UnknownScheme(f"not a {scheme} digest")
		return scheme
	if WERKZEUG.match(password_hash) and scheme in ("", "pbkdf2_sha256", WERKZEUG_SCHEME):
		return WERKZEUG_SCHEME
	if scheme == WERKZEUG_SCHEME:
		raise UnknownScheme("not a Werkzeug pbkdf2 hash")
	if not scheme:
		if HEX32.match(password_hash):
			return "md5"
		if HEX40.match(password_hash):
			return "sha1"
	try:
		handler = _context.identify(password_hash, resolve=True)
	except ValueError:
		handler = None
	if handler is None and scheme:
		handler = passlib_registry.get_crypt_handler(scheme)
		if not handler.identify(password_hash):
			raise UnknownScheme(f"not a {scheme} hash")
	if handler is None:
		raise UnknownScheme("unrecognised hash")
	if scheme == "pbkdf2_sha256" and "pbkdf2" not in handler.name:
		raise UnknownScheme("not a PBKDF2-SHA256 hash")
	if scheme == "bcrypt" and "bcrypt" not in handler.name:
		raise UnknownScheme("not a bcrypt hash")
	parse = getattr(handler, "from_string", None)
	try:
		parse and parse(password_hash)
	except (ValueError, TypeError):
		raise UnknownScheme(f"malformed {handler.name} hash")
	return handler.name


def verify(password: str, password_hash: str, scheme: str | None = None, salt: str | None = None) -> bool:
	"""Whether the password matches the legacy hash. Unknown or malformed hashes never match."""
	if not password:
		return False
	try:
		kind = identify(password_hash, scheme, salt)
	except UnknownScheme:
		return False
	password_hash = password_hash.strip()
	pwd = password.encode("utf-8")
	if kind in SALTED_HEX:
		return hmac.compare_digest(SALTED_HEX[kind](pwd, salt.encode("utf-8")), password_hash.lower())
	if kind in UNSALTED_HEX:
		return hmac.compare_digest(UNSALTED_HEX[kind][0](pwd), password_hash.lower())
	if kind == WERKZEUG_SCHEME:
		return _verify_werkzeug(pwd, password_hash)
	try:
		return bool(passlib_registry.get_crypt_handler(kind).verify(password, password_hash))
	except (ValueError, TypeError):
		return False


def _verify_werkzeug(pwd: bytes, password_hash: str) -> bool:
	algorithm, iterations, salt, digest = WERKZEUG.match(password_hash).groups()
	# Werkzeug's default when the method omits the count (older releases: 150000 for sha256).
	rounds = int(iterations or 150000)
	computed = hashlib.pbkdf2_hmac(algorithm, pwd, salt.encode("utf-8"), rounds, len(digest) // 2)
	return hmac.compare_digest(computed.hex(), digest.lower())
