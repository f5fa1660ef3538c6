"""Legacy hashes of users who already have a new-system password (set by an SMS reset or in Desk
before the hash was dropped on the spot) are deleted. Safe to rerun: it only drops what is left."""

from gz_innovation.legacy.passwords import drop_replaced_hashes


def execute():
	drop_replaced_hashes()
