"""Sites made before: error responses stop carrying tracebacks (new sites start so). Runs once."""

from gz_innovation.accounts.setup import hide_tracebacks_by_default


def execute():
	hide_tracebacks_by_default()
