#!/usr/bin/env bash
# Every test, in order: lint, pure-Python unit tests, a fresh site with every demo fixture (as
# scripts/run.sh makes it), Frappe integration tests on a dedicated test site, browser end-to-end
# tests, production serving (two gunicorn groups behind nginx: one session on both, and a short load
# smoke through nginx), faults (MariaDB stopped during a short load). One summary line per stage,
# then "N passed, N failed".
# Exits non-zero on any failure. Reuses the bench at the default location (scripts/run.sh builds one).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

OUT_DIR=${TEST_OUTPUT_DIR:-$PROJECT_ROOT/test-output}
E2E_DIR=$PROJECT_ROOT/tests/e2e
TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()

# sum_of REGEX FILE: the sum of the numbers in every match of REGEX in FILE (0 when none).
sum_of() {
	{ grep -oE "$1" "$2" || true; } | { grep -oE '[0-9]+' || true; } | awk '{s += $1} END {print s + 0}'
}

# record STAGE RC PASSED FAILED: a stage whose runner failed counts at least one failure.
record() {
	local stage=$1 rc=$2 passed=${3:-0} failed=${4:-0}
	if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi
	TOTAL_PASSED=$((TOTAL_PASSED + passed))
	TOTAL_FAILED=$((TOTAL_FAILED + failed))
	local verdict=ok
	[[ $rc -ne 0 ]] && verdict=FAILED
	SUMMARY+=("$(printf '%-12s %-6s %d passed, %d failed' "$stage:" "$verdict" "$passed" "$failed")")
}

prepare() {
	mkdir -p "$OUT_DIR"
	is_root && chmod 777 "$OUT_DIR"
	if ! [[ -x $BENCH_DIR/env/bin/python && -d $BENCH_DIR/apps/frappe ]]; then
		log "no bench at $BENCH_DIR: building one with scripts/run.sh first"
		bash "$PROJECT_ROOT/scripts/run.sh"
	fi
	start_mariadb
	ensure_db_root_password
	start_bench_redis
	link_app
	compile_translations
	build_assets
	if ! site_exists "$TEST_SITE"; then
		create_site "$TEST_SITE"
	fi
	install_app_on "$TEST_SITE"
	bench --site "$TEST_SITE" set-config allow_tests true >/dev/null
	# The legacy import tests read the sample export of fixtures/legacy.
	bench --site "$TEST_SITE" set-config gz_legacy_sample_dir "$(hand_over_fixtures legacy)" >/dev/null
	trap stop_test_server EXIT
}

stage_lint() {
	local log=$OUT_DIR/lint.log rc=0
	(cd "$APP_SRC" && "$BENCH_DIR/env/bin/ruff" check . && "$BENCH_DIR/env/bin/ruff" format --check .) >"$log" 2>&1 || rc=$?
	cat "$log"
	if [[ $rc -eq 0 ]]; then record lint 0 1 0; else record lint "$rc" 0 1; fi
}

stage_unit() {
	local log=$OUT_DIR/unit.log rc=0
	(cd "$APP_SRC" && "$BENCH_DIR/env/bin/python" -m pytest -q -p no:cacheprovider tests/unit) 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	record unit "$rc" "$(sum_of '[0-9]+ passed' "$log")" "$(sum_of '[0-9]+ (failed|errors?)' "$log")"
}

stage_integration() {
	local log=$OUT_DIR/integration.log rc=0
	# The bench user writes the JUnit report where it can; it is copied next to the other logs.
	local junit=$BENCH_DIR/logs/gz-integration-junit.xml
	# Frappe's runner exits non-zero on failures only when CI is set.
	CI=${CI:-true} as_bench "$BENCH_BIN" --site "$TEST_SITE" run-tests --app "$APP_NAME" \
		--junit-xml-output "$junit" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	cp "$junit" "$OUT_DIR/integration-junit.xml" 2>/dev/null || true
	local ran failed
	ran=$(sum_of '^Ran [0-9]+ test' "$log")
	failed=$(sum_of '^FAILED \(((failures|errors)=[0-9]+(, )?)+' "$log")
	if [[ $ran -eq 0 ]]; then rc=1; fi # a run that executed no test is a failure
	record integration "$rc" $((ran - failed)) "$failed"
}

test_server_up() { curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$TEST_WEB_PORT/api/method/ping"; }
stop_test_server() { pkill -f -- "--site $TEST_SITE serve --port $TEST_WEB_PORT" 2>/dev/null || true; }

# The test site's own web server, fresh each run (an old one serves the code it started with). Frappe's
# HTTP tests (frappe.tests.test_api) call the site's URL, so the site's http_port points at it; the
# browser tests use it too.
start_test_server() {
	stop_test_server
	for _ in $(seq 1 20); do test_server_up || break; sleep 0.5; done
	bench --site "$TEST_SITE" set-config http_port "$TEST_WEB_PORT" >/dev/null
	as_bench setsid "$BENCH_BIN" --site "$TEST_SITE" serve --port "$TEST_WEB_PORT" --noreload \
		>"$OUT_DIR/test-server.log" 2>&1 </dev/null &
	for _ in $(seq 1 60); do test_server_up && break; sleep 1; done
	test_server_up || { cat "$OUT_DIR/test-server.log"; die "the test site's web server did not start on port $TEST_WEB_PORT"; }
}

stage_e2e() {
	local log=$OUT_DIR/e2e.log rc=0
	apt_install chromium
	if [[ ! -d $E2E_DIR/node_modules/playwright-core ]]; then
		(cd "$E2E_DIR" && npm ci --silent --no-audit --no-fund) >"$OUT_DIR/npm.log" 2>&1 || {
			cat "$OUT_DIR/npm.log"
			record e2e 1 0 1
			return
		}
	fi
	# Data the browser tests start from (a certified enterprise and an open batch), made fresh each run.
	# The boundary's browser test listens on a port of its own for requests that must never come.
	local fixtures listener_port=$((TEST_WEB_PORT + 10))
	fixtures=$(bench --site "$TEST_SITE" execute gz_innovation.cultivation.tests.utils.e2e_fixtures \
		--kwargs "{'listener_port': $listener_port}" 2>"$OUT_DIR/e2e-fixtures.log" | tail -n 1) || {
		cat "$OUT_DIR/e2e-fixtures.log"
		record e2e 1 0 1
		return
	}
	(cd "$E2E_DIR" && BASE_URL="http://127.0.0.1:$TEST_WEB_PORT" E2E_OUTPUT="$OUT_DIR/e2e" E2E_FIXTURES="$fixtures" \
		E2E_ADMIN_PASSWORD="$ADMIN_PASSWORD" node --test --test-reporter=spec ./*.test.mjs) 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	record e2e "$rc" "$(sum_of '^ℹ pass [0-9]+' "$log")" "$(sum_of '^ℹ fail [0-9]+' "$log")"
}

# A newcomer's first run, on a site of its own: the app installed on a throwaway site, every demo
# fixture and the legacy sample loaded exactly as scripts/run.sh loads them, each demo account that
# run.sh prints logged in over HTTP; then the site is dropped. A fixture that no longer fits the
# rules fails here, with the file, the record and the rule named.
FRESH_PREFIX=gz-fresh-
stage_fresh_site() {
	local log=$OUT_DIR/fresh-site.log rc=0
	local site="$FRESH_PREFIX$(date +%s).localhost" port=$((TEST_WEB_PORT + 30))
	drop_fresh_sites # what an interrupted run left
	(
		SETUP_LOG=$OUT_DIR/fresh-site-setup.log
		: >"$SETUP_LOG"
		create_site "$site"
		install_app_on "$site"
		bench --site "$site" set-config allow_tests true >/dev/null # the checker reads captcha answers
		load_demo_data "$site"
		bench --site "$site" execute gz_innovation.setup.demo.demo_logins \
			--args "['$BENCH_DIR/.gz_fixtures/demo']" 2>>"$SETUP_LOG" | tail -n 1 >"$OUT_DIR/fresh-site-logins.json"
		log "serving $site on port $port"
		as_bench setsid "$BENCH_BIN" --site "$site" serve --port "$port" --noreload \
			>"$OUT_DIR/fresh-site-server.log" 2>&1 </dev/null &
		for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/method/ping" && break; sleep 1; done
		log "logging in as each demo account that scripts/run.sh prints"
		"$BENCH_DIR/env/bin/python" "$PROJECT_ROOT/tests/fresh_site/check_logins.py" \
			--url "http://127.0.0.1:$port" --logins "$OUT_DIR/fresh-site-logins.json"
	) 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	drop_fresh_sites
	local passed failed
	passed=$(sum_of '^[0-9]+ passed' "$log")
	failed=$(sum_of '[0-9]+ failed' "$log")
	record "fresh site" "$rc" "$passed" "$failed"
}

drop_fresh_sites() {
	local dir site
	for dir in "$BENCH_DIR/sites/$FRESH_PREFIX"*.localhost; do
		[[ -d $dir ]] || continue
		site=$(basename "$dir")
		pkill -f -- "--site $site serve" 2>/dev/null || true
		bench drop-site "$site" --force --no-backup --db-root-username root \
			--db-root-password "$(db_root_password)" --archived-sites-path "$BENCH_DIR/archived/fresh-sites" \
			>/dev/null 2>&1 || warn "could not drop the throwaway site $site"
	done
	rm -rf "$BENCH_DIR/archived/fresh-sites"
}

stage_serving() {
	local log=$OUT_DIR/serving.log rc=0 smoke=0
	# Two gunicorn groups behind nginx: a session started on one group works on the other.
	KEEP_RUNNING=1 bash "$PROJECT_ROOT/scripts/scale-out.sh" check 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	# The load benchmark's tooling, a few users for a few seconds through nginx: correctness only.
	TEST_OUTPUT_DIR=$OUT_DIR bash "$PROJECT_ROOT/tests/load/deadline_day.sh" --smoke --via-nginx 2>&1 |
		tee -a "$log" || smoke=${PIPESTATUS[0]}
	bash "$PROJECT_ROOT/scripts/scale-out.sh" stop >/dev/null 2>&1 || true
	[[ $smoke -ne 0 ]] && rc=$smoke
	record serving "$rc" "$(sum_of '^[0-9]+ passed' "$log")" "$(sum_of '[0-9]+ failed' "$log")"
}

stage_faults() {
	local log=$OUT_DIR/faults.log rc=0
	# MariaDB stopped for a few seconds under a short load: Chinese 503s, nothing acknowledged lost.
	TEST_OUTPUT_DIR=$OUT_DIR bash "$PROJECT_ROOT/tests/load/fault.sh" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	start_mariadb # whatever happened, the database is back
	record faults "$rc" "$(sum_of '^[0-9]+ passed' "$log")" "$(sum_of '[0-9]+ failed' "$log")"
}

STAGES=(lint unit fresh-site integration e2e serving faults)
TITLES=(
	"lint (ruff)"
	"unit tests (pytest)"
	"a fresh site with every demo fixture, as scripts/run.sh makes it"
	"Frappe integration tests on $TEST_SITE"
	"browser end-to-end tests (headless chromium)"
	"production serving (gunicorn groups behind nginx, load smoke)"
	"faults (MariaDB stopped during a short load)"
)

# bash scripts/test.sh [STAGE ...]: every stage, or only those named (lint, unit, fresh-site,
# integration, e2e, serving, faults).
main() {
	local wanted=("$@") i stage
	for stage in "${wanted[@]}"; do
		[[ " ${STAGES[*]} " == *" $stage "* ]] || die "unknown stage: $stage (stages: ${STAGES[*]})"
	done
	[[ ${#wanted[@]} -eq 0 ]] && wanted=("${STAGES[@]}")
	prepare
	for i in "${!STAGES[@]}"; do
		stage=${STAGES[$i]}
		[[ " ${wanted[*]} " == *" $stage "* ]] || continue
		log "stage $((i + 1))/${#STAGES[@]}: ${TITLES[$i]}"
		case $stage in
		integration | e2e) test_server_up_for_stage ;;
		*) stop_test_server ;;
		esac
		"stage_${stage//-/_}"
	done
	stop_test_server
	echo
	printf '%s\n' "${SUMMARY[@]}"
	echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
	[[ $TOTAL_FAILED -eq 0 ]]
}

# The test site's server for the integration and browser stages: started fresh once per run.
TEST_SERVER_STARTED=0
test_server_up_for_stage() {
	if [[ $TEST_SERVER_STARTED == 0 ]] || ! test_server_up; then
		start_test_server
		TEST_SERVER_STARTED=1
	fi
}

main "$@"
