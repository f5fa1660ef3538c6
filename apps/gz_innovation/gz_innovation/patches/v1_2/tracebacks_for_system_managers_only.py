"""Sites made before: "Show Full Error" goes off, System Managers get tracebacks through the app's
request hook (boundary/requests.py). Runs once; an administrator may turn the setting on again, which
then only matters for errors raised before any app hook."""

from gz_innovation.accounts.setup import hide_tracebacks


def execute():
	hide_tracebacks()
