"""Sites installed before the accounts module get its lock-out defaults once."""

from gz_innovation.accounts.setup import set_lockout_defaults


def execute():
	set_lockout_defaults()
