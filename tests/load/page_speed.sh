#!/usr/bin/env bash
# Page speed of the portal (issue 13): server time per portal page against Frappe's own /me page in
# the same run. Prints its figures; it is not a test.
#
# Starts gunicorn on the test site (TEST_SITE) on a port of its own (SPEED_PORT, default
# TEST_WEB_PORT + 9) with 2 × cores + 1 workers, runs tests/load/page_speed.py (one client,
# one request at a time, every page in turn), prints p50/p95 per page and the ratio to /me
# (target ≤ 0.5), stops gunicorn and removes the data it made.
#
#   bash tests/load/page_speed.sh [--rounds N] [--warmup N]
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"
source "$PROJECT_ROOT/scripts/lib/serve.sh"

SPEED_PORT=${SPEED_PORT:-$((TEST_WEB_PORT + 9))}
WEB_NAME=gz-page-speed
WORK=$BENCH_DIR/.gz_load # the bench user's copy of the script (it may not read this checkout)

[[ -d $BENCH_DIR ]] || die "no bench at $BENCH_DIR: run scripts/run.sh first"
site_exists "$TEST_SITE" || die "no test site $TEST_SITE: run scripts/test.sh first"
grep -q '"allow_tests": true' "$BENCH_DIR/sites/$TEST_SITE/site_config.json" ||
	die "$TEST_SITE is not in test mode (allow_tests): run scripts/test.sh first"
start_mariadb
start_bench_redis
as_bench mkdir -p "$WORK"
cp "$PROJECT_ROOT/tests/load/page_speed.py" "$PROJECT_ROOT/tests/load/report.py" "$PROJECT_ROOT/tests/load/floors.py" "$WORK/"
is_root && chown -R "$BENCH_USER:" "$WORK"

trap 'stop_gunicorn "$WEB_NAME"' EXIT
log "starting gunicorn ($(gunicorn_workers) workers) on port $SPEED_PORT"
start_gunicorn "$WEB_NAME" "$SPEED_PORT"
as_bench env/bin/python "$WORK/page_speed.py" --site "$TEST_SITE" --url "http://127.0.0.1:$SPEED_PORT" "$@"
