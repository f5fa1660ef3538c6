"""The platform home `/` (manual §2.1): the platform's brand, 登录 and 免费注册 at the top right,
通知公告, the batch open now with its closing countdown (Beijing time), the downloads (用户操作手册,
《真实性承诺说明》), 技术支持 and the browser note of manual §1.3. Guests see it without logging in,
from a cache (portal/cache.py) that lasts until something it shows changes."""

from datetime import datetime

from frappe.utils import get_datetime, now_datetime

from gz_innovation.cultivation import batches
from gz_innovation.portal import cache, notices
from gz_innovation.utils import beijing_iso


def home_batches(now: datetime) -> dict:
	"""The batches open now (closing soonest first) and the next one to open."""
	every = batches.all_batches()
	open_now = sorted(
		(b for b in every if get_datetime(b["opens_at"]) <= now <= get_datetime(b["closes_at"])),
		key=lambda b: get_datetime(b["closes_at"]),
	)
	upcoming = sorted(
		(b for b in every if get_datetime(b["opens_at"]) > now), key=lambda b: get_datetime(b["opens_at"])
	)
	return {
		"open": [shown(b) for b in open_now],
		"upcoming": [shown(b) for b in upcoming[:1]],
	}


def shown(batch: dict) -> dict:
	return {
		"name": batch["name"],
		"types": batch["ready_types"],
		"opens_at": str(batch["opens_at"])[:16],
		"closes_at": str(batch["closes_at"])[:16],
		"closes_at_iso": beijing_iso(batch["closes_at"]),
	}


def seconds_until_change(now: datetime) -> int:
	"""How long the page stays true: until a batch opens or closes or a scheduled notice appears."""
	moments = [
		moment
		for batch in batches.all_batches()
		for moment in (get_datetime(batch["opens_at"]), get_datetime(batch["closes_at"]))
		if moment > now
	]
	if scheduled := notices.next_publication():
		moments.append(get_datetime(scheduled))
	if not moments:
		return cache.MAX_SECONDS
	return max(1, min(cache.MAX_SECONDS, int((min(moments) - now).total_seconds()) + 1))


def context(context) -> None:
	now = now_datetime()
	context.batches = home_batches(now)
	context.notices = notices.published()
	context.guest_cache_seconds = seconds_until_change(now)
