"""Figures of the deadline-day benchmark, from the raw samples the locustfile wrote (exact
percentiles, not Locust's rounded buckets). Python standard library only.

    python3 report.py summary RESULTS.json [VERIFY.json]   per request type: n, errors, p50/p95/p99, p95 / reference
    python3 report.py step RESULTS.json                    one line: aggregated p95 and errors (saturation search)
    python3 report.py check RESULTS.json VERIFY.json       correctness only (no timing): exit 1 on any error or lost submit
    python3 report.py profile FOLDER                        per-request profiles (GZ_PROFILE_DIR): top costs per request type
    python3 report.py cpu FOLDER RESULTS.json               server CPU ms per request type (GZ_CPU_LOG), beside Frappe's own
    python3 report.py first-drafts ROUNDS.jsonl             the first drafts into new batches: first against tenth
"""

import json
import os
import pstats
import re
import sys
from collections import defaultdict

import floors  # tests/load/floors.py

REFERENCE = "[reference] frappe.auth.get_logged_user"
PAGE_REFERENCE = "[reference] GET /me (Frappe's portal page)"
# Where Frappe itself sets the floor of a portal request: Frappe's own way of doing the same work,
# asked by the same users in the same run (--floors). Pages: Frappe's own portal page.
FLOORS = floors.OF
READ_REFERENCE = "[reference] GET /api/resource/ToDo"
# Reads of the portal: Frappe's own REST read (the ToDo list, the second reference) is their
# closest equivalent. Writes have one only with --floors (Frappe's REST save of the draft).
READS = {
	"captcha image (get_captcha)",
	"get_center",
	"get_submission (申报详情)",
	"precheck (live pre-check)",
}
WRITE_FLOOR = floors.SAVE_DRAFT
TARGET_MS = 300


def equivalent(name: str, samples: dict) -> str | None:
	"""Frappe's own closest equivalent of a portal request asked in the same run, if any: a page →
	Frappe's portal page /me; a read → Frappe's REST read; login, the draft's read and save and
	register → Frappe's own way of the same work (--floors); sending an SMS code (a write) → Frappe's
	REST save (--floors). 提交申请's equivalent is Frappe's own Workflow step of the same draft,
	measured by benchmark_cultivation.py."""
	if name.startswith("GET /"):
		candidate = PAGE_REFERENCE
	elif name in READS:
		candidate = READ_REFERENCE
	elif name == "send_sms_code":
		candidate = WRITE_FLOOR
	else:
		candidate = FLOORS.get(name)
	return candidate if candidate and samples.get(candidate) else None


SATURATION_MS = 1000


def percentile(values: list[float], q: float) -> float:
	"""Linear interpolation between closest ranks (numpy's default)."""
	if not values:
		return float("nan")
	ordered = sorted(values)
	pos = (len(ordered) - 1) * q
	low = int(pos)
	high = min(low + 1, len(ordered) - 1)
	return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def kind(name: str) -> str:
	if name.startswith("[locust]"):
		return "load tool"
	if name.startswith("[reference]"):
		return "reference"
	if name.startswith("[floor]"):
		return "floor"
	if name.startswith("[test mode]"):
		return "test helper"
	if name.endswith("(client dropped)"):
		return "dropped on purpose"
	return "portal"


def load(path: str) -> dict:
	with open(path) as f:
		return json.load(f)


def aggregated(results: dict) -> tuple[int, float, float, float, int]:
	"""Every request a user makes (portal and reference); not the test-mode helpers, not the
	submits the client dropped on purpose."""
	times, errors = [], 0
	for name, values in results["samples"].items():
		if kind(name) in ("portal", "reference", "load tool"):
			times += values
			errors += results["failures"].get(name, 0)
	return len(times), percentile(times, 0.5), percentile(times, 0.95), percentile(times, 0.99), errors


def summary(results: dict, checks: dict | None) -> None:
	samples, failures = results["samples"], results["failures"]
	reference = percentile(samples.get(REFERENCE, []), 0.95)
	order = {
		"portal": 0,
		"reference": 1,
		"floor": 2,
		"dropped on purpose": 3,
		"test helper": 4,
		"load tool": 5,
	}
	names = sorted(samples, key=lambda n: (order[kind(n)], n))
	width = max(len(n) for n in names) + 2
	print(
		f"{'request type':<{width}}{'n':>6}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/ref':>9}"
		f"{'p95/Frappe':>12}"
	)
	over, slow, beyond_equivalent, without_equivalent = [], [], [], []
	for name in names:
		values = samples[name]
		p95 = percentile(values, 0.95)
		ratio = p95 / reference if reference == reference and reference > 0 else float("nan")
		same_work = equivalent(name, samples) if kind(name) == "portal" else None
		to_same_work = p95 / percentile(samples[same_work], 0.95) if same_work else float("nan")
		print(
			f"{name:<{width}}{len(values):>6}{failures.get(name, 0):>8}{percentile(values, 0.5):>9.0f}"
			f"{p95:>9.0f}{percentile(values, 0.99):>9.0f}{ratio:>9.2f}"
			+ (f"{to_same_work:>12.2f}" if same_work else "")
		)
		if kind(name) == "portal":
			if p95 > TARGET_MS:
				over.append(f"{name} {p95:.0f} ms")
			if ratio > 2:
				slow.append(f"{name} {ratio:.1f}×")
			if same_work and to_same_work > 2:
				beyond_equivalent.append(f"{name} {to_same_work:.2f}×")
			elif not same_work and ratio > 2:
				without_equivalent.append(name)
	n, p50, p95, p99, errors = aggregated(results)
	print(f"{'aggregated (portal + reference)':<{width}}{n:>6}{errors:>8}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")
	print()
	print(f"reference p95 (Frappe's own {REFERENCE.split()[-1]}): {reference:.0f} ms")
	page_reference = percentile(samples.get(PAGE_REFERENCE, []), 0.95)
	if page_reference == page_reference:
		pages = [n for n in names if kind(n) == "portal" and n.startswith("GET /")]
		ratios = ", ".join(f"{n[4:]} {percentile(samples[n], 0.95) / page_reference:.2f}" for n in pages)
		print(
			f"page rendering floor, Frappe's own portal page /me: p95 {page_reference:.0f} ms; our pages' p95 / that: {ratios}"
		)
	floor_errors = sum(failures.get(name, 0) for name in names if kind(name) == "floor")
	print(
		f"errors: {errors}"
		+ (f" (and {floor_errors} of Frappe's own floors, listed below)" if floor_errors else "")
	)
	print(
		f"portal requests with p95 > {TARGET_MS} ms: {len(over)}" + (f" ({'; '.join(over)})" if over else "")
	)
	print(
		f"portal requests with p95 > 2 × reference p95: {len(slow)}"
		+ (f" ({'; '.join(slow)})" if slow else "")
	)
	print(
		"p95/Frappe: against Frappe's own closest equivalent in this run (pages: /me; reads: "
		"GET /api/resource/ToDo; with --floors: login, the draft's read and save, register, and "
		"send_sms_code against Frappe's REST save). Portal requests over 2× it: "
		+ (f"{len(beyond_equivalent)} ({'; '.join(beyond_equivalent)})" if beyond_equivalent else "0")
		+ (
			f"; over 2× the reference with no equivalent in this run: {', '.join(without_equivalent)}"
			if without_equivalent
			else ""
		)
	)
	if results.get("errors"):
		print("first errors:")
		for line in results["errors"][:10]:
			print("  " + line)
	if checks:
		print()
		print("submits, counted after the run (acknowledged = the client got 200):")
		print(
			f"  acknowledged {checks['acknowledged']}, stored as submitted {checks['stored_submitted']}, "
			f"acknowledged but not stored {checks['acknowledged_not_stored']} (must be 0), "
			f"stored but never acknowledged {checks['stored_not_acknowledged']} "
			"(the server finished, the client did not hear: dropped clients, killed workers)"
		)
		print(
			f"  half-done submissions {checks['half_done']} (must be 0), "
			f"duplicate submissions {checks['duplicate_submissions']} (must be 0)"
		)
		for key, label in (
			("double_click", "double-click 提交申请"),
			("dropped", "client dropped mid-submit"),
		):
			c = checks[key]
			print(
				f"  {label}: {c['users']} users → {c['submitted_complete']} submitted with evaluation and one "
				f"Workflow step, {c['untouched_draft']} untouched drafts, {c['half_done']} half-done, "
				f"{c['more_than_one_step']} with two steps"
			)
		print(
			f"  registrations: {checks['registrations_acknowledged']} acknowledged, "
			f"{checks['registered']} accounts stored"
		)


def check(results: dict, checks: dict) -> bool:
	"""What must hold whatever the load: no failed request, every acknowledged submit stored, no
	half-done or duplicate submission, every acknowledged registration stored."""
	_n, _p50, _p95, _p99, errors = aggregated(results)
	expectations = [
		("requests without errors", errors, 0),
		("acknowledged submits not stored", checks["acknowledged_not_stored"], 0),
		("half-done submissions", checks["half_done"], 0),
		("duplicate submissions", checks["duplicate_submissions"], 0),
		("submissions with two Workflow steps", checks["double_click"]["more_than_one_step"], 0),
		(
			"acknowledged registrations not stored",
			checks["registrations_acknowledged"] - checks["registered"],
			0,
		),
	]
	expectations.append(("submits acknowledged", min(checks["acknowledged"], 1), 1))
	failed = 0
	for what, got, want in expectations:
		ok = got == want
		failed += not ok
		print(f"{'ok    ' if ok else 'FAILED'}  {what}: {got}" + ("" if ok else f" (expected {want})"))
	print(f"{len(expectations) - failed} passed, {failed} failed")
	return failed == 0


def step(results: dict) -> None:
	n, p50, p95, p99, errors = aggregated(results)
	print(
		json.dumps({"requests": n, "p50": round(p50), "p95": round(p95), "p99": round(p99), "errors": errors})
	)


# --- profile ---------------------------------------------------------------------------------

PROFILE_NAME = re.compile(r"^(GET|POST|PUT|DELETE)\.(.*)\.(\d+)ms\.[\d.]+\.prof$")
# Frames every request passes through; they say nothing about what a request type costs.
WRAPPERS = (
	"werkzeug/",
	"gunicorn/",
	"gz_innovation/wsgi.py",
	"cProfile",
	"{built-in method builtins.exec}",
	"frappe/app.py",
	"frappe/api/",
	"frappe/handler.py",
	"frappe/utils/typing_validations.py",
	"frappe/rate_limiter.py",
)


def request_type(filename: str) -> str | None:
	match = PROFILE_NAME.match(filename)
	if not match:
		return None
	method, path = match.group(1), match.group(2)
	path = path.replace("api.method.", "api/method/", 1)
	for prefix in ("gz_innovation.cultivation.api.", "gz_innovation.accounts.api."):
		path = path.replace("api/method/" + prefix, "")
	return f"{method} /{path}" if not path.startswith(("api", "gz_")) else f"{method} {path}"


def where(func: tuple) -> str:
	filename, line, name = func
	for marker in ("/apps/", "/site-packages/", "/lib/python3"):
		if marker in filename:
			filename = filename.split(marker, 1)[1]
			break
	return f"{name} ({filename}:{line})" if line else name


def profile(folder: str, top: int = 30) -> None:
	"""The werkzeug profiles of one run (one file per request, GZ_PROFILE_DIR), summed per request
	type: wall time per request of the functions with the largest cumulative time."""
	files: dict[str, list[str]] = defaultdict(list)
	for name in sorted(os.listdir(folder)):
		if kind_ := request_type(name):
			files[kind_].append(os.path.join(folder, name))
	ranking = []
	for kind_, paths in files.items():
		stats = pstats.Stats(paths[0])
		for path in paths[1:]:
			stats.add(path)
		total = sum(v[2] for v in stats.stats.values())  # every function's own time: the whole
		ranking.append((total / len(paths), kind_, len(paths), stats))
	for per_request, kind_, count, stats in sorted(ranking, key=lambda r: r[0], reverse=True):
		print(f"\n== {kind_}: {count} requests, {1000 * per_request:.0f} ms profiled per request")
		rows = [
			(ct, tt, func)
			for func, (cc, nc, tt, ct, callers) in stats.stats.items()
			if not any(w in func[0] or w in func[2] for w in WRAPPERS)
		]
		print("  cumulative ms/request  (own ms/request)  function")
		for ct, tt, func in sorted(rows, key=lambda r: r[0], reverse=True)[:top]:
			print(f"  {1000 * ct / count:9.1f}  ({1000 * tt / count:7.1f})  {where(func)}")
		print("  largest own time:")
		for _ct, tt, func in sorted(rows, key=lambda r: r[1], reverse=True)[:6]:
			print(f"  {1000 * tt / count:9.1f}  {where(func)}")


# Frappe's own requests of the run, by what the server saw (method, path prefix) → the run's name.
SERVER_NAMES = (
	("POST", "/api/method/login", floors.LOGIN),
	("GET", "/api/resource/Cultivation Submission/", floors.READ_DRAFT),
	("PUT", "/api/resource/Cultivation Submission/", floors.SAVE_DRAFT),
	("POST", "/api/resource/User", floors.CREATE_USER),
	("GET", "/api/resource/ToDo", READ_REFERENCE),
	("GET", "/me", PAGE_REFERENCE),
)


def run_name(method: str, path: str, names: list[str]) -> str:
	"""The request type (as the run names it) of a request the server logged."""
	for known_method, prefix, name in SERVER_NAMES:
		if method == known_method and path.startswith(prefix):
			return name
	if path.startswith("/api/method/"):
		dotted = path.rsplit("/", 1)[-1]
		if f"[reference] {dotted}" in names:
			return f"[reference] {dotted}"
		short = dotted.rsplit(".", 1)[-1]
		candidates = [
			n for n in names if (n.split(" ")[0] == short or f"({short})" in n) and kind(n) == "portal"
		]
		if candidates:
			return min(candidates, key=len)
	page = f"{method} {path}"
	return page if page in names else f"(other) {page}"


def cpu(folder: str, results: dict) -> None:
	"""Server-side CPU milliseconds per request type (one line per request, written by
	gz_innovation.wsgi with GZ_CPU_LOG), beside Frappe's own closest equivalent of the same run."""
	samples = results["samples"]
	names = list(samples)
	cpu_ms: dict[str, list[float]] = defaultdict(list)
	wall_ms: dict[str, list[float]] = defaultdict(list)
	for filename in sorted(os.listdir(folder)):
		with open(os.path.join(folder, filename)) as f:
			for line in f:
				parts = line.rstrip("\n").split("\t")
				if len(parts) != 5:
					continue
				name = run_name(parts[0], parts[1], names)
				cpu_ms[name].append(float(parts[3]))
				wall_ms[name].append(float(parts[4]))
	if not cpu_ms:
		print("no server CPU figures (GZ_CPU_LOG wrote nothing)")
		return
	shown = sorted(
		(n for n in cpu_ms if not n.startswith("(other)")), key=lambda n: (kind(n) != "portal", n)
	)
	width = max(len(n) for n in shown) + 2
	print()
	print("server CPU per request (ms; gunicorn worker's process time for the whole request):")
	print(
		f"{'request type':<{width}}{'n':>6}{'CPU p50':>9}{'CPU p95':>9}{'wall p50':>10}"
		f"  Frappe's own closest equivalent (CPU p50, ours / its)"
	)
	for name in shown:
		values = cpu_ms[name]
		same = equivalent(name, samples) if kind(name) == "portal" else None
		beside = ""
		if same and cpu_ms.get(same):
			theirs = percentile(cpu_ms[same], 0.5)
			beside = f"  {same}: {theirs:.1f} ms, {percentile(values, 0.5) / theirs:.2f}×"
		print(
			f"{name:<{width}}{len(values):>6}{percentile(values, 0.5):>9.1f}{percentile(values, 0.95):>9.1f}"
			f"{percentile(wall_ms[name], 0.5):>10.1f}{beside}"
		)
	total = sum(sum(v) for v in cpu_ms.values())
	count = sum(len(v) for v in cpu_ms.values())
	print(f"all {count} requests: {total / 1000:.1f} CPU s in the web workers, {total / count:.1f} ms per request")


def first_drafts(path: str) -> None:
	"""The probe's rounds (first_draft.py, one JSON line per new batch): the first enterprise's draft
	against the tenth's, as medians over the rounds."""
	with open(path) as f:
		rounds = [json.loads(line) for line in f if line.strip()]
	first = [r["first_ms"] for r in rounds]
	tenth = [r["tenth_ms"] for r in rounds]
	others = [t for r in rounds for t in r["second_to_tenth_ms"]]
	print(
		f"first drafts into a new batch ({len(rounds)} batches, {len(rounds[0]['second_to_tenth_ms']) + 1} "
		f"enterprises each, one after the other): first {sorted(first)} ms, tenth {sorted(tenth)} ms; "
		f"median first {percentile(first, 0.5):.0f} ms / median tenth {percentile(tenth, 0.5):.0f} ms = "
		f"{percentile(first, 0.5) / percentile(tenth, 0.5):.2f}; median of the second to tenth "
		f"{percentile(others, 0.5):.0f} ms; reopening {percentile([t for r in rounds for t in r['reopen_ms']], 0.5):.0f} ms"
	)


if __name__ == "__main__":
	command = sys.argv[1]
	if command == "summary":
		summary(load(sys.argv[2]), load(sys.argv[3]) if len(sys.argv) > 3 else None)
	elif command == "step":
		step(load(sys.argv[2]))
	elif command == "check":
		sys.exit(0 if check(load(sys.argv[2]), load(sys.argv[3])) else 1)
	elif command == "profile":
		profile(sys.argv[2])
	elif command == "cpu":
		cpu(sys.argv[2], load(sys.argv[3]))
	elif command == "first-drafts":
		first_drafts(sys.argv[2])
	else:
		sys.exit(__doc__)
