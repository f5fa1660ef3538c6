#!/usr/bin/env bash
# The fault test (the boundary issue): the database goes away for a few seconds while enterprise admins
# save and submit their drafts through the server the scripts start (gunicorn, gz_innovation.wsgi).
# Passes when every answer is a success or a Chinese 503 with Retry-After (never a bare 500, never
# English), every acknowledged save and submit is stored, and MariaDB is back. Restores MariaDB
# itself, also when interrupted. Needs root (it stops and starts MariaDB); run by scripts/test.sh.
#
#   bash tests/load/fault.sh [--admins N] [--outage S] [--seconds S]
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"
source "$PROJECT_ROOT/scripts/lib/serve.sh"

ADMINS=4
OUTAGE=6
SECONDS_OF_LOAD=20
while [[ $# -gt 0 ]]; do
	case $1 in
	--admins) ADMINS=$2; shift ;;
	--outage) OUTAGE=$2; shift ;;
	--seconds) SECONDS_OF_LOAD=$2; shift ;;
	*) die "unknown option: $1" ;;
	esac
	shift
done
is_root || die "the fault test stops and starts MariaDB: run it as root"

FAULT_PORT=${FAULT_PORT:-$((TEST_WEB_PORT + 11))}
WORK=$BENCH_DIR/.gz_fault
OUT=${TEST_OUTPUT_DIR:-$PROJECT_ROOT/test-output}
WEB_NAME=gz-fault-web

data() { as_bench env/bin/python "$WORK/deadline_data.py" --site "$TEST_SITE" "$@"; }

restore() {
	start_mariadb >/dev/null 2>&1 || true
	stop_gunicorn "$WEB_NAME"
	data cleanup --state "$WORK/accounts.json" >/dev/null 2>&1 || true
}
trap restore EXIT

as_bench mkdir -p "$WORK"
cp "$PROJECT_ROOT/tests/load/deadline_data.py" "$PROJECT_ROOT/tests/load/fault_client.py" "$WORK/"
chown -R "$BENCH_USER:" "$WORK"
mkdir -p "$OUT"

log "fault test: $ADMINS enterprise admins, MariaDB stopped for $OUTAGE s during $SECONDS_OF_LOAD s of saves"
data make --admins "$ADMINS" --out "$WORK/accounts.json" >/dev/null
start_gunicorn "$WEB_NAME" "$FAULT_PORT" 3
as_bench env/bin/python "$WORK/fault_client.py" --url "http://127.0.0.1:$FAULT_PORT" --site "$TEST_SITE" \
	--accounts "$WORK/accounts.json" --seconds "$SECONDS_OF_LOAD" --out "$WORK/results.json" &
CLIENTS=$!
sleep 6
log "stopping MariaDB"
stop_mariadb
sleep "$OUTAGE"
# What a page asks while the database is away, answered by the same server.
page_status=$(curl -s -o "$OUT/fault-page.html" -w '%{http_code}' -H "Host: $TEST_SITE" "http://127.0.0.1:$FAULT_PORT/login")
api_status=$(curl -s -o "$OUT/fault-api.json" -w '%{http_code}' -H "Host: $TEST_SITE" -X POST \
	"http://127.0.0.1:$FAULT_PORT/api/method/gz_innovation.accounts.api.get_captcha")
log "starting MariaDB again"
start_mariadb
wait "$CLIENTS"
report=$(data verify-faults --state "$WORK/accounts.json" --results "$WORK/results.json" | tail -n 1)
echo "$report" >"$OUT/fault.json"

passed=0 failed=0
check() { # check NAME CONDITION
	if eval "$2"; then passed=$((passed + 1)); echo "  ok   $1"; else failed=$((failed + 1)); echo "  FAIL $1"; fi
}
field() { "$PYTHON_BIN" -c "import json,sys; print(json.load(sys.stdin)$1)" <<<"$report"; }
echo "fault test: $(field "['requests']") requests, $(field "['unavailable_503']") answered 503 during the outage," \
	"$(field "['acknowledged_saves']") saves and $(field "['acknowledged_submits']") submits acknowledged"
check "a page while the database is away: a Chinese 503" \
	"[[ $page_status == 503 ]] && grep -q '服务暂时不可用' '$OUT/fault-page.html'"
check "an API call while the database is away: a Chinese 503" \
	"[[ $api_status == 503 ]] && grep -q '系统暂时无法处理请求' '$OUT/fault-api.json'"
check "the clients met the outage (some 503s)" "[[ $(field "['unavailable_503']") -gt 0 ]]"
check "no answer but success or a Chinese 503" "[[ $(field "['errors']") -eq 0 ]]"
check "every acknowledged save and submit stored" "[[ '$(field "['problems']")' == '[]' ]]"
check "every admin's submit acknowledged once the database was back" \
	"[[ $(field "['acknowledged_submits']") -eq $(field "['clients']") ]]"
check "MariaDB is back" "mariadb_running"
[[ $(field "['problems']") == "[]" ]] || echo "problems: $(field "['problems']")"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
