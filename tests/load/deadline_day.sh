#!/usr/bin/env bash
# Deadline day over HTTP (issue 14): the load benchmark. Prints figures; it is not a test.
#
# Makes its own enterprises and admins on the test site (TEST_SITE), starts the server scripts/run.sh
# starts (gunicorn with 2 × cores + 1 workers, on a port of its own: LOAD_PORT; the background worker
# and the scheduler), opens a new batch (its saves prepare the caches in the background, as in
# production), times the first drafts into it one enterprise after the other, opens another batch
# nobody has touched and storms it: the morning a batch opens (issue 23). Runs the deadline-day mix with
# Locust, prints p50/p95/p99 and errors per request type against Frappe's own endpoints asked in
# the same run, counts acknowledged against stored submits, optionally steps the user count up to
# the saturation point, writes Locust's CSV and HTML under test-output/load/ and removes what it made.
#
#   bash tests/load/deadline_day.sh [options]
#     --users N            enterprise admins at once (50)
#     --ramp S             all of them log in within S seconds (10)
#     --think MIN-MAX      seconds between a user's actions (1-3)
#     --duration S         length of the run (90)
#     --registrations N    new users registering meanwhile (20)
#     --saturation         then step the users up (--steps) until the aggregated p95 passes 1 s
#     --steps LIST         user counts of the saturation search (50,100,150,200,250,300)
#     --step-duration S    length of each step (60)
#     --kill-workers S     SIGKILL one gunicorn worker every S seconds during the run
#     --via-nginx          through nginx before two gunicorn groups (scripts/scale-out.sh)
#     --profile            profile every request (as bench serve --profile); top costs per request type
#     --floors             also ask Frappe's own way of doing the same work at the same moment (its
#                          password login, REST read and save of the draft, REST user creation)
#     --knee               then storm a new batch at 5, 10, 15, 20 logins/s (--knee-rates) with --users
#                          admins until the aggregated p95 passes 1 s: that rate is the knee
#     --knee-rates LIST    login rates of the knee search (5,10,15,20)
#     --workers N          gunicorn workers (default: 2 × cores + 1, as in production)
#     --no-background      without the background worker and the scheduler (the earlier benchmark)
#     --keep-data          do not remove the data at the end (to look at it)
#     --smoke              a few users once through their flow, then only the correctness checks (no
#                          figures): 0 errors, every acknowledged submit stored, nothing half-done;
#                          exits non-zero otherwise (the test command runs it through nginx)
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"
source "$PROJECT_ROOT/scripts/lib/serve.sh"

USERS=50
RAMP=10
THINK=1-3
DURATION=90
REGISTRATIONS=20
SATURATION=0
STEPS=50,100,150,200,250,300
STEP_DURATION=60
KILL_EVERY=0
VIA_NGINX=0
PROFILE=0
FLOORS=0
KEEP_DATA=0
SMOKE=0
KNEE=0
KNEE_RATES=5,10,15,20
BACKGROUND=1
PROBE=10 # enterprises of the first-drafts probe
WORKERS=$(gunicorn_workers)
while [[ $# -gt 0 ]]; do
	case $1 in
	--users) USERS=$2; shift ;;
	--ramp) RAMP=$2; shift ;;
	--think) THINK=$2; shift ;;
	--duration) DURATION=$2; shift ;;
	--registrations) REGISTRATIONS=$2; shift ;;
	--saturation) SATURATION=1 ;;
	--steps) STEPS=$2; shift ;;
	--step-duration) STEP_DURATION=$2; shift ;;
	--kill-workers) KILL_EVERY=$2; shift ;;
	--via-nginx) VIA_NGINX=1 ;;
	--profile) PROFILE=1 ;;
	--floors) FLOORS=1 ;;
	--workers) WORKERS=$2; shift ;;
	--keep-data) KEEP_DATA=1 ;;
	--smoke) SMOKE=1 ;;
	--knee) KNEE=1 ;;
	--knee-rates) KNEE_RATES=$2; shift ;;
	--no-background) BACKGROUND=0 ;;
	-h | --help) sed -n '2,37p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
	shift
done

STOP_TIMEOUT=10
if [[ $SMOKE == 1 ]]; then
	USERS=3 REGISTRATIONS=1 DURATION=90 RAMP=2 THINK=0.2-0.5 SATURATION=0 PROFILE=0 STOP_TIMEOUT=3 KNEE=0 PROBE=0 BACKGROUND=0
	WORKERS=${GUNICORN_WORKERS:-2}
fi
LOAD_PORT=${LOAD_PORT:-$((TEST_WEB_PORT + 5))}
OUT=${TEST_OUTPUT_DIR:-$PROJECT_ROOT/test-output}/load
LOAD_ENV=$BENCH_DIR/load-env
WORK=$BENCH_DIR/.gz_load # the bench user's copy of the scripts and the run's state
STATE=$WORK/accounts.json
WEB_NAME=gz-load-web
KILLER_PID=""
CPU_DIR=$WORK/cpu # per-request server CPU (gz_innovation.wsgi, GZ_CPU_LOG)
SCHEDULER_WAS=""

ensure_load_env() {
	local stamp=$LOAD_ENV/.requirements.sha sum
	sum=$(sha256sum "$PROJECT_ROOT/tests/load/requirements.txt" | cut -d' ' -f1)
	if [[ -x $LOAD_ENV/bin/locust && "$(cat "$stamp" 2>/dev/null)" == "$sum" ]]; then
		return 0
	fi
	log "installing Locust from PyPI into $LOAD_ENV"
	as_bench env UV_CACHE_DIR="$BENCH_HOME/.cache/uv" "$BENCH_CLI_VENV/bin/uv" venv -q --allow-existing --python "$PYTHON_BIN" "$LOAD_ENV"
	as_bench mkdir -p "$WORK"
	cp "$PROJECT_ROOT/tests/load/requirements.txt" "$WORK/requirements.txt"
	is_root && chown "$BENCH_USER:" "$WORK/requirements.txt"
	as_bench env UV_CACHE_DIR="$BENCH_HOME/.cache/uv" "$BENCH_CLI_VENV/bin/uv" pip install -q --python "$LOAD_ENV/bin/python" -r "$WORK/requirements.txt"
	echo "$sum" | as_bench tee "$stamp" >/dev/null
}

ensure_test_site() {
	if [[ $SMOKE == 1 ]] && site_exists "$TEST_SITE" && grep -q '"allow_tests": true' "$BENCH_DIR/sites/$TEST_SITE/site_config.json"; then
		return 0 # the test command has just prepared it
	fi
	if ! site_exists "$TEST_SITE" || ! app_installed_on "$TEST_SITE"; then
		log "no test site $TEST_SITE yet: creating it"
		link_app
		compile_translations
		create_site "$TEST_SITE"
		install_app_on "$TEST_SITE"
	fi
	bench --site "$TEST_SITE" set-config allow_tests true >/dev/null
}

# The bench user may not read this checkout: the scripts it runs are handed over.
hand_over_scripts() {
	as_bench mkdir -p "$WORK"
	cp "$PROJECT_ROOT/tests/load/deadline_data.py" "$WORK/"
	is_root && chown -R "$BENCH_USER:" "$WORK"
	mkdir -p "$OUT"
	is_root && chmod 777 "$OUT"
	return 0
}

data() { as_bench env/bin/python "$WORK/deadline_data.py" --site "$TEST_SITE" "$@"; }

start_web() {
	if [[ $VIA_NGINX == 1 ]]; then
		GUNICORN_WORKERS=$WORKERS bash "$PROJECT_ROOT/scripts/scale-out.sh" start
		URL=$(bash "$PROJECT_ROOT/scripts/scale-out.sh" url)
		return 0
	fi
	URL=http://127.0.0.1:$LOAD_PORT
	if [[ $PROFILE == 1 ]]; then
		# Every request profiled as `bench serve --profile` does (gz_innovation.wsgi, GZ_PROFILE_DIR).
		as_bench rm -rf "$WORK/profile"
		as_bench mkdir -p "$WORK/profile"
		export GZ_PROFILE_DIR=$WORK/profile
	fi
	as_bench rm -rf "$CPU_DIR"
	as_bench mkdir -p "$CPU_DIR"
	log "starting gunicorn ($WORKERS workers) on port $LOAD_PORT"
	GZ_CPU_LOG=$CPU_DIR start_gunicorn "$WEB_NAME" "$LOAD_PORT" "$WORKERS"
}

# The background worker and the scheduler, as scripts/run.sh runs them beside the web server
# (Procfile: `bench worker`, `bench schedule`), with the test site's scheduler on for the run.
start_background() {
	[[ $BACKGROUND == 1 ]] || return 0
	SCHEDULER_WAS=$(data scheduler --set 1 2>/dev/null | tail -n 1)
	log "starting the background worker and the scheduler"
	local kind
	for kind in worker schedule; do
		# shellcheck disable=SC2016
		(as_bench setsid sh -c 'echo $$ >"$1"; cd "$2" && shift 2 && exec "$@"' sh "$BENCH_DIR/config/pids/gz-load-$kind.pid" \
			"$BENCH_DIR/sites" "$BENCH_DIR/env/bin/python" -m frappe.utils.bench_helper frappe "$kind" \
			>>"$BENCH_DIR/logs/gz-load-$kind.log" 2>&1 </dev/null &)
	done
}

stop_background() {
	[[ $BACKGROUND == 1 ]] || return 0
	local kind pid
	for kind in worker schedule; do
		pid=$(cat "$BENCH_DIR/config/pids/gz-load-$kind.pid" 2>/dev/null) || continue
		kill "$pid" 2>/dev/null || true
		rm -f "$BENCH_DIR/config/pids/gz-load-$kind.pid"
	done
	if [[ -n $SCHEDULER_WAS && $SCHEDULER_WAS != 1 ]]; then
		data scheduler --set "$SCHEDULER_WAS" >/dev/null || true
	fi
	SCHEDULER_WAS=""
}

# open_batch: a new batch, opened now; waits (at most 60 s) for the preparation its saves enqueued.
open_batch() {
	data open-batch --state "$STATE"
	if [[ $BACKGROUND == 1 ]]; then
		data wait-prepared --state "$STATE" || warn "the batch's preparation did not finish within 60 s"
	fi
}

# first_drafts: $PROBE enterprises open their drafts in a batch nobody has opened, one after the other;
# three rounds, each into a new batch (one probe is one sample per position: noisy on 2 cores).
first_drafts() {
	[[ $PROBE -gt 0 ]] || return 0
	local round batch
	rm -f "$OUT/first-drafts.jsonl"
	for round in 1 2 3; do
		open_batch >/dev/null
		batch=$("$PYTHON_BIN" -c 'import json,sys; print(json.load(open(sys.argv[1]))["batch"])' "$STATE")
		"$LOAD_ENV/bin/python" "$PROJECT_ROOT/tests/load/first_draft.py" "$URL" "$STATE" "$batch" "$PROBE" "$TEST_SITE" \
			>>"$OUT/first-drafts.jsonl"
	done
	"$PYTHON_BIN" "$PROJECT_ROOT/tests/load/report.py" first-drafts "$OUT/first-drafts.jsonl" | tee -a "$OUT/deadline.summary.txt"
}

# A server on deadline day has been up for a while: every worker answers a few requests of each
# kind before the timing starts (not counted), so the first users do not pay for cold caches.
warm_up() {
	local i path
	[[ $SMOKE == 1 ]] && return 0 # correctness only
	for i in $(seq 1 $((3 * WORKERS))); do
		for path in /login /register /api/method/ping; do
			curl -s -o /dev/null --max-time 60 -H "Host: $TEST_SITE" "$URL$path" || true
		done
		curl -s -o /dev/null --max-time 60 -H "Host: $TEST_SITE" -X POST "$URL/api/method/gz_innovation.accounts.api.get_captcha" || true
	done
}

# ... and has served the portal: drafts, pre-checks and the center of the batch before this one.
warm_up_portal() {
	[[ $SMOKE == 1 || $PROBE == 0 ]] && return 0
	local batch
	batch=$("$PYTHON_BIN" -c 'import json,sys; print(json.load(open(sys.argv[1]))["batch"])' "$STATE")
	"$LOAD_ENV/bin/python" "$PROJECT_ROOT/tests/load/first_draft.py" --warm 4 "$URL" "$STATE" "$batch" "$TEST_SITE" "$WORKERS"
}

stop_web() {
	if [[ $VIA_NGINX == 1 ]]; then
		bash "$PROJECT_ROOT/scripts/scale-out.sh" stop
	else
		stop_gunicorn "$WEB_NAME"
	fi
}

web_workers() {
	if [[ $VIA_NGINX == 1 ]]; then
		bash "$PROJECT_ROOT/scripts/scale-out.sh" workers
	else
		gunicorn_worker_pids "$WEB_NAME"
	fi
}

start_killer() {
	[[ $KILL_EVERY -gt 0 ]] || return 0
	(
		kills=0
		while sleep "$KILL_EVERY"; do
			pid=$(web_workers | shuf -n 1)
			[[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1)) && echo "$kills" >"$OUT/workers-killed"
		done
	) &
	KILLER_PID=$!
}

stop_killer() {
	if [[ -n $KILLER_PID ]]; then
		kill "$KILLER_PID" 2>/dev/null || true
		wait "$KILLER_PID" 2>/dev/null || true
		KILLER_PID=""
	fi
}

# run_locust NAME USERS DURATION: one Locust run; its CSV, HTML and raw samples under $OUT.
run_locust() {
	local name=$1 users=$2 duration=$3
	local total=$((users + REGISTRATIONS))
	local rate
	rate=$(awk -v t="$total" -v r="$RAMP" 'BEGIN { printf "%.2f", t / r }')
	rm -f "$OUT/$name".* "$OUT/$name"_*
	GZ_LOAD_ACCOUNTS=$STATE GZ_LOAD_SITE=$TEST_SITE GZ_LOAD_RESULTS=$OUT/$name.samples.json \
		GZ_LOAD_THINK=$THINK GZ_LOAD_REGISTRATIONS=$REGISTRATIONS GZ_LOAD_FLOORS=$FLOORS GZ_LOAD_STOP_WHEN_DONE=$((SMOKE * total)) \
		"$LOAD_ENV/bin/locust" -f "$PROJECT_ROOT/tests/load/locustfile.py" --headless \
		-u "$total" -r "$rate" -t "${duration}s" --stop-timeout "$STOP_TIMEOUT" --host "$URL" \
		--csv "$OUT/$name" --html "$OUT/$name.html" --only-summary --loglevel WARNING \
		>"$OUT/$name.locust.log" 2>&1 || true # Locust exits 1 when any request failed
	[[ -f $OUT/$name.samples.json ]] || die "Locust did not run; see $OUT/$name.locust.log"
}

finish() {
	local rc=$?
	stop_killer
	stop_web
	stop_background
	if [[ $KEEP_DATA == 0 && -f $STATE ]]; then
		if ! data cleanup >"$OUT/cleanup.log" 2>&1; then
			warn "cleanup failed (see $OUT/cleanup.log): run: $0 again (it removes what earlier runs left)"
			[[ $SMOKE == 1 ]] && rc=1 # the test command's smoke run leaves nothing behind
		fi
		rm -f "$STATE"
	fi
	exit "$rc"
}

# over_a_second NAME LABEL FILE: prints a step's aggregated figures (and adds them to FILE); true when
# its aggregated p95 passed 1 s.
over_a_second() {
	local line
	line=$("$PYTHON_BIN" "$PROJECT_ROOT/tests/load/report.py" step "$OUT/$1.samples.json")
	echo "  $2: $line" | tee -a "$3"
	[[ $("$PYTHON_BIN" -c 'import json,sys; print(json.loads(sys.argv[1])["p95"])' "$line") -gt 1000 ]]
}

# The knee: the login rate at which the aggregated p95 passes 1 s. Each step storms a batch opened
# just before it with --users admins logging in at that rate.
knee_search() {
	rm -f "$OUT/knee.txt"
	echo
	echo "knee search ($USERS admins per step, each into a new batch; aggregated p95 over portal and reference requests):"
	local knee="" rate ramp
	for rate in ${KNEE_RATES//,/ }; do
		ramp=$(awk -v u="$USERS" -v r="$rate" 'BEGIN { printf "%.1f", u / r }')
		data reset --state "$STATE" >/dev/null
		open_batch >/dev/null
		RAMP=$ramp run_locust "knee-$rate" "$USERS" "$STEP_DURATION"
		if over_a_second "knee-$rate" "$rate logins/s (all $USERS within ${ramp}s)" "$OUT/knee.txt"; then
			knee=$rate
			break
		fi
	done
	if [[ -n $knee ]]; then
		echo "knee: $knee logins/s (aggregated p95 passed 1 s)" | tee -a "$OUT/knee.txt"
	else
		echo "knee: above $rate logins/s (aggregated p95 stayed under 1 s up to the last rate)" | tee -a "$OUT/knee.txt"
	fi
}

main() {
	start_mariadb
	start_bench_redis
	ensure_load_env
	ensure_test_site
	hand_over_scripts
	local max_users=$USERS
	if [[ $SATURATION == 1 ]]; then
		max_users=$(tr ',' '\n' <<<"$STEPS,$USERS" | sort -n | tail -n 1)
	fi
	trap finish EXIT
	log "making $max_users certified enterprises with their admins and an open batch on $TEST_SITE"
	data make --admins "$((max_users + PROBE))" --out "$STATE" $([[ $FLOORS == 1 ]] && echo --floors)
	start_web
	start_background
	warm_up
	# The scheduler's first pass enqueues every job that is due: the run starts once the worker is done.
	[[ $BACKGROUND == 1 && $SMOKE == 0 ]] && data wait-idle --state "$STATE"
	warm_up_portal
	rm -f "$OUT/deadline.summary.txt" "$OUT/first-drafts.json"
	first_drafts
	[[ $SMOKE == 1 ]] || open_batch # the storm goes into a batch nobody has opened yet
	if [[ $PROFILE == 1 ]]; then as_bench find "$WORK/profile" -name '*.prof' -delete; fi
	as_bench find "$CPU_DIR" -name '*.tsv' -delete 2>/dev/null || true
	local serving="$WORKERS gunicorn workers"
	[[ $BACKGROUND == 1 ]] && serving="$serving, the background worker and the scheduler"
	[[ $VIA_NGINX == 1 ]] && serving="nginx before two gunicorn groups"
	log "deadline day: $USERS admins logging in within ${RAMP}s and $REGISTRATIONS registrations, think ${THINK}s, ${DURATION}s, $serving, $URL"
	rm -f "$OUT/workers-killed"
	start_killer
	run_locust deadline "$USERS" "$DURATION"
	stop_killer
	data verify --state "$STATE" --results "$OUT/deadline.samples.json" >"$OUT/deadline.verify.json"
	if [[ $SMOKE == 1 ]]; then
		"$PYTHON_BIN" "$PROJECT_ROOT/tests/load/report.py" check "$OUT/deadline.samples.json" "$OUT/deadline.verify.json"
		return
	fi
	echo
	echo "machine load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" | tee -a "$OUT/deadline.summary.txt"
	"$PYTHON_BIN" "$PROJECT_ROOT/tests/load/report.py" summary "$OUT/deadline.samples.json" "$OUT/deadline.verify.json" |
		tee -a "$OUT/deadline.summary.txt"
	rm -rf "$OUT/cpu"
	cp -r "$CPU_DIR" "$OUT/cpu" 2>/dev/null || true
	"$PYTHON_BIN" "$PROJECT_ROOT/tests/load/report.py" cpu "$OUT/cpu" "$OUT/deadline.samples.json" |
		tee -a "$OUT/deadline.summary.txt"
	if [[ $KILL_EVERY -gt 0 ]]; then
		echo "gunicorn workers killed during the run (SIGKILL): $(cat "$OUT/workers-killed" 2>/dev/null || echo 0)" |
			tee -a "$OUT/deadline.summary.txt"
	fi
	if [[ $PROFILE == 1 ]]; then
		stop_web
		unset GZ_PROFILE_DIR
		"$PYTHON_BIN" "$PROJECT_ROOT/tests/load/report.py" profile "$WORK/profile" >"$OUT/profile.txt"
		echo "top costs per request type (profiled, so slower than the figures above): $OUT/profile.txt"
		[[ $SATURATION == 1 ]] && start_web
	fi
	if [[ $SATURATION == 1 ]]; then
		rm -f "$OUT/saturation.txt"
		echo
		echo "saturation search (aggregated p95 over portal and reference requests; ${STEP_DURATION}s per step):"
		local saturated="" users
		for users in ${STEPS//,/ }; do
			data reset --state "$STATE" >/dev/null
			run_locust "step-$users" "$users" "$STEP_DURATION"
			if over_a_second "step-$users" "$users users" "$OUT/saturation.txt"; then
				saturated=$users
				break
			fi
		done
		if [[ -n $saturated ]]; then
			echo "saturation point: $saturated users (aggregated p95 passed 1 s)" | tee -a "$OUT/saturation.txt"
		else
			echo "saturation point: above $users users (aggregated p95 stayed under 1 s up to the cap)" |
				tee -a "$OUT/saturation.txt"
		fi
	fi
	if [[ $KNEE == 1 ]]; then
		knee_search
	fi
	echo
	echo "Locust's reports: $OUT/deadline_stats.csv, $OUT/deadline.html (and step-N.* for the saturation steps)"
}

main
