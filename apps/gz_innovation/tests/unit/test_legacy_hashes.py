"""Legacy password hashes: every supported scheme accepts its password and nothing else."""

import hashlib

import pytest
from passlib.hash import bcrypt, django_pbkdf2_sha256, pbkdf2_sha256, sha512_crypt

from gz_innovation.legacy import hashes

PASSWORD = "Gz@2019old"


def md5(text: str) -> str:
	return hashlib.md5(text.encode()).hexdigest()


def sha1(text: str) -> str:
	return hashlib.sha1(text.encode()).hexdigest()


def werkzeug(password: str, salt: str = "Xy12abCD", rounds: int = 260000) -> str:
	digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), rounds).hex()
	return f"pbkdf2:sha256:{rounds}${salt}${digest}"


CASES = [
	# (hash, scheme given in the export, salt, scheme recognised)
	(bcrypt.using(rounds=4, ident="2b").hash(PASSWORD), "", None, "bcrypt"),
	(bcrypt.using(rounds=4, ident="2y").hash(PASSWORD), "bcrypt", None, "bcrypt"),
	(pbkdf2_sha256.using(rounds=1000).hash(PASSWORD), "", None, "pbkdf2_sha256"),
	(django_pbkdf2_sha256.using(rounds=1000).hash(PASSWORD), "pbkdf2_sha256", None, "django_pbkdf2_sha256"),
	(werkzeug(PASSWORD), "", None, "werkzeug_pbkdf2"),
	(sha512_crypt.using(rounds=1000).hash(PASSWORD), "", None, "sha512_crypt"),
	(md5(PASSWORD), "", None, "md5"),
	(md5(PASSWORD).upper(), "md5", None, "md5"),
	(sha1(PASSWORD), "", None, "sha1"),
	(md5("s4lt" + PASSWORD), "md5(salt+password)", "s4lt", "md5(salt+password)"),
	(md5(PASSWORD + "s4lt"), "md5(password+salt)", "s4lt", "md5(password+salt)"),
	(sha1("s4lt" + PASSWORD), "sha1(salt+password)", "s4lt", "sha1(salt+password)"),
	(sha1(PASSWORD + "s4lt"), "SHA1(password + salt)", "s4lt", "sha1(password+salt)"),
	(md5(md5(PASSWORD) + "a1b2c3"), "discuz", "a1b2c3", "md5(md5(password)+salt)"),
]


@pytest.mark.parametrize(("stored", "scheme", "salt", "kind"), CASES)
def test_each_scheme_accepts_its_password_only(stored, scheme, salt, kind):
	assert hashes.identify(stored, scheme, salt) == kind
	assert hashes.verify(PASSWORD, stored, scheme, salt)
	assert not hashes.verify(PASSWORD + "x", stored, scheme, salt)
	assert not hashes.verify(PASSWORD.lower(), stored, scheme, salt)
	assert not hashes.verify("", stored, scheme, salt)


@pytest.mark.parametrize(("stored", "scheme", "salt", "kind"), CASES)
def test_the_recognised_scheme_is_what_the_import_stores_and_login_reads(stored, scheme, salt, kind):
	# The importer stores identify()'s answer; the login verifies with it.
	assert hashes.canonical_scheme(kind) == kind
	assert hashes.identify(stored, kind, salt) == kind
	assert hashes.verify(PASSWORD, stored, kind, salt)


def test_salted_digest_needs_the_right_salt_and_position():
	stored = md5("s4lt" + PASSWORD)
	assert not hashes.verify(PASSWORD, stored, "md5(salt+password)", "other")
	assert not hashes.verify(PASSWORD, stored, "md5(password+salt)", "s4lt")
	# A bare md5 check of a salted digest must fail, not match by accident.
	assert not hashes.verify(PASSWORD, stored, "md5", None)


@pytest.mark.parametrize(
	("stored", "scheme", "salt"),
	[
		("", "", None),
		("not-a-hash", "", None),
		(md5(PASSWORD), "", "s4lt"),  # salt but no scheme: the position is unknown
		(md5(PASSWORD), "md5(salt+password)", None),  # salted scheme without salt
		(sha1(PASSWORD), "md5", None),  # a sha1 digest declared as md5
		(PASSWORD, "plaintext", None),  # plaintext "hashes" are refused
		(md5(PASSWORD), "rot13", None),
		("$2b$04$short", "bcrypt", None),
	],
)
def test_malformed_or_unsupported_hashes_never_match(stored, scheme, salt):
	with pytest.raises(hashes.UnknownScheme):
		hashes.identify(stored, scheme, salt)
	assert not hashes.verify(PASSWORD, stored, scheme, salt)


def test_unicode_passwords_are_hashed_as_utf8():
	chinese = "贵州工业云2019"
	assert hashes.verify(chinese, md5(chinese))
	assert hashes.verify(chinese, bcrypt.using(rounds=4).hash(chinese))
