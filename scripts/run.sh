#!/usr/bin/env bash
# The main job: install what is missing, create or reuse the bench and the demo site, start the
# web server, background worker and scheduler, print the URL and the demo logins.
# Idempotent: a second run changes nothing and only makes sure everything is running.
#
#   bash scripts/run.sh          production serving: gunicorn, 2 × cores + 1 workers (GUNICORN_WORKERS)
#   bash scripts/run.sh --dev    Frappe's development server (bench serve) instead of gunicorn
#   bash scripts/run.sh --stop   stop this bench's processes (web, socket.io, worker, scheduler, Redis)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$PROJECT_ROOT/scripts/lib/serve.sh"

DEV_SERVER=${GZ_DEV_SERVER:-0}
STOP=0
for arg in "$@"; do
	case $arg in
	--dev) DEV_SERVER=1 ;;
	--stop) STOP=1 ;;
	*) die "unknown option: $arg (known: --dev, --stop)" ;;
	esac
done

# One staging checkout per bench: a second bench may run another Frappe (FRAPPE_PATH).
FRAPPE_STAGING="$BENCH_HOME/.cache/gz_innovation/$(basename "$BENCH_DIR")/frappe"

# Clone Frappe from the official source (or FRAPPE_PATH) and point its two GitHub-only
# dependencies at the public registries, so bench installs only from PyPI and npm.
prepare_frappe_source() {
	local src=${FRAPPE_PATH:-$FRAPPE_REPO_URL}
	if [[ -n $FRAPPE_PATH && -d $FRAPPE_PATH ]]; then
		src=$(cd "$FRAPPE_PATH" && pwd)
	fi
	if [[ -d $FRAPPE_STAGING/.git ]] && as_bench git -C "$FRAPPE_STAGING" log -1 --format=%s | grep -q "^gz_innovation: registry sources"; then
		return 0
	fi
	# A local checkout is read as the invoking user. It is only read, so git may trust it whoever owns
	# it (git refuses a repository of another owner, "dubious ownership"; a local clone drops -c and
	# GIT_CONFIG_COUNT, so the trust comes from a global config file of its own).
	local as=as_bench trust error
	is_root && as=""
	trust=$(mktemp)
	printf '[safe]\n\tdirectory = *\n' >"$trust"
	chmod a+r "$trust"
	log "checking that Frappe ($FRAPPE_BRANCH) is reachable at $src"
	if ! error=$($as env GIT_CONFIG_GLOBAL="$trust" timeout 60 git ls-remote --exit-code --heads "$src" "$FRAPPE_BRANCH" 2>&1 >/dev/null); then
		rm -f "$trust"
		die "Frappe's source is not reachable: $src (branch $FRAPPE_BRANCH).
  git said: ${error:-no branch $FRAPPE_BRANCH there}
  Set FRAPPE_PATH to a local Frappe checkout that has branch $FRAPPE_BRANCH (a clone or a bare git directory;
  it is passed to bench init --frappe-path), or set FRAPPE_REPO_URL to a reachable mirror, then run again."
	fi
	log "cloning Frappe $FRAPPE_BRANCH from $src"
	rm -rf "$FRAPPE_STAGING"
	as_bench mkdir -p "$(dirname "$FRAPPE_STAGING")"
	$as env GIT_CONFIG_GLOBAL="$trust" git clone -q --depth 1 --branch "$FRAPPE_BRANCH" --single-branch "${src/#\//file:///}" "$FRAPPE_STAGING" 2>/dev/null ||
		$as env GIT_CONFIG_GLOBAL="$trust" git clone -q --branch "$FRAPPE_BRANCH" --single-branch "$src" "$FRAPPE_STAGING"
	rm -f "$trust"
	is_root && chown -R "$BENCH_USER:" "$FRAPPE_STAGING"
	as_bench "$PYTHON_BIN" "$PROJECT_ROOT/scripts/lib/registry_pins.py" "$FRAPPE_STAGING"
	# A checkout made by this script before already carries the pins: nothing to commit then.
	if ! as_bench git -C "$FRAPPE_STAGING" diff --quiet; then
		as_bench git -C "$FRAPPE_STAGING" -c user.name=gz_innovation -c user.email=setup@localhost \
			commit -q -am "gz_innovation: registry sources for gunicorn and air-datepicker"
	fi
}

create_bench() {
	if [[ -f $BENCH_DIR/sites/common_site_config.json && -x $BENCH_DIR/env/bin/python && -d $BENCH_DIR/apps/frappe ]]; then
		log "reusing the bench at $BENCH_DIR"
		return 0
	fi
	if [[ -e $BENCH_DIR ]]; then
		warn "$BENCH_DIR exists but is incomplete; moving it aside to $BENCH_DIR.broken-$(date +%s)"
		mv "$BENCH_DIR" "$BENCH_DIR.broken-$(date +%s)"
	fi
	prepare_frappe_source
	log "bench init $BENCH_DIR (Frappe $FRAPPE_BRANCH; this takes a while)"
	bench init --frappe-path "$FRAPPE_STAGING" --frappe-branch "$FRAPPE_BRANCH" --python "$PYTHON_BIN" \
		--no-backups --skip-assets --no-procfile "$BENCH_DIR"
}

PROCFILE_CHANGED=0

web_command() {
	if [[ $DEV_SERVER == 1 ]]; then
		echo "bench serve --port $WEB_PORT"
	else
		gunicorn_args "0.0.0.0:$WEB_PORT" "$(gunicorn_workers)"
	fi
}

write_procfile() {
	local want
	want=$(WEB=$(web_command) awk '{ sub(/@WEB@/, ENVIRON["WEB"]); print }' "$PROJECT_ROOT/scripts/lib/Procfile")
	if [[ "$(cat "$BENCH_DIR/Procfile" 2>/dev/null)" != "$want" ]]; then
		printf '%s\n' "$want" | as_bench tee "$BENCH_DIR/Procfile" >/dev/null
		PROCFILE_CHANGED=1
	fi
}

# `bench setup production` (supervisor) reads the worker count from the bench's common config.
record_worker_count() {
	local workers
	workers=$(gunicorn_workers)
	if ! grep -q "\"gunicorn_workers\": $workers\b" "$BENCH_DIR/sites/common_site_config.json"; then
		bench config set-common-config -c gunicorn_workers "$workers" >/dev/null
	fi
}

web_up() { curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$WEB_PORT/api/method/ping"; }

start_processes() {
	if [[ $PROCFILE_CHANGED == 0 ]] && web_up &&
		[[ -n "$(bench_pids "frappe.utils.bench_helper frappe worker|rq:worker|bench worker")" ]]; then
		log "web server, worker and scheduler already running"
		return 0
	fi
	# Stale processes of an earlier run (or of the other serving mode): stop them first.
	stop_processes
	start_bench_redis
	log "starting $(serving_mode), socket.io, background worker and scheduler (logs: $BENCH_DIR/logs/)"
	as_bench setsid nohup "$BENCH_BIN" start --no-prefix >"$BENCH_DIR/logs/bench-start.log" 2>&1 </dev/null &
	for _ in $(seq 1 90); do
		web_up && return 0
		sleep 1
	done
	die "the web server did not answer on port $WEB_PORT; see $BENCH_DIR/logs/bench-start.log"
}

serving_mode() {
	if [[ $DEV_SERVER == 1 ]]; then
		echo "the development server (bench serve)"
	else
		echo "gunicorn with $(gunicorn_workers) workers"
	fi
}

# This bench's honcho and what it started (honcho stops its children on TERM).
stop_processes() {
	local pids
	pids=$(bench_pids "honcho start")
	if [[ -n $pids ]]; then
		# shellcheck disable=SC2086
		kill $pids 2>/dev/null || true
		for _ in $(seq 1 30); do
			[[ -z "$(bench_pids "honcho start")" ]] && break
			sleep 1
		done
	fi
	# What outlived honcho: `bench worker` and `bench schedule` leave their Python child behind,
	# and a web server would keep the port.
	pids=$(bench_pids "gunicorn .*--bind 0.0.0.0:$WEB_PORT |bench serve --port $WEB_PORT|frappe serve --port $WEB_PORT|frappe.utils.bench_helper frappe (worker|schedule)$|bench (worker|schedule)$|node apps/frappe/socketio.js")
	# shellcheck disable=SC2086
	[[ -n $pids ]] && kill $pids 2>/dev/null || true
	return 0
}

main() {
	if [[ $STOP == 1 ]]; then
		stop_processes
		stop_bench_redis
		log "stopped the processes of $BENCH_DIR"
		return 0
	fi
	ensure_system_packages
	ensure_bench_user
	ensure_bench_cli
	configure_mariadb
	start_mariadb
	ensure_db_root_password
	create_bench
	write_procfile
	start_bench_redis
	record_worker_count
	link_app
	compile_translations
	create_site "$SITE_NAME"
	install_app_on "$SITE_NAME"
	bench use "$SITE_NAME" >/dev/null
	load_demo_data "$SITE_NAME"
	bench --site "$SITE_NAME" enable-scheduler >/dev/null
	build_assets
	start_processes
	local url="http://127.0.0.1:$WEB_PORT"
	cat <<MSG

gz_innovation is running at: $url   (also http://$SITE_NAME:$WEB_PORT), served by $(serving_mode)

Demo logins:
$(bench --site "$SITE_NAME" execute gz_innovation.setup.demo.describe_logins --args "['$BENCH_DIR/.gz_fixtures/demo']" 2>/dev/null | "$PYTHON_BIN" -c 'import json,sys; [print("  "+l) for l in json.load(sys.stdin)]')
  Administrator / $ADMIN_PASSWORD  (Desk: $url/app)

Logs: $BENCH_DIR/logs/   Stop: bash scripts/run.sh --stop
MSG
}

main "$@"
