# Production serving with gunicorn, shared by scripts/run.sh, scripts/scale-out.sh and the load
# benchmark (tests/load/deadline_day.sh). Sourced after common.sh, never run.
# shellcheck shell=bash

# 2 × cores + 1 (docs/deployment.md) sync workers per app server (GUNICORN_WORKERS overrides it).
gunicorn_workers() {
	if [[ -n ${GUNICORN_WORKERS:-} ]]; then
		echo "$GUNICORN_WORKERS"
	else
		echo $((2 * $(nproc) + 1))
	fi
}

# gunicorn_args BIND WORKERS: gunicorn's command line for the bench, run from the bench directory.
# The same settings as `bench setup production` (timeout, graceful timeout, recycling, preload);
# gz_innovation.wsgi adds the statics and the default site for a gunicorn without nginx in front.
gunicorn_args() {
	echo "env/bin/gunicorn --chdir sites --bind $1 --workers $2 --timeout 120 --graceful-timeout 30" \
		"--max-requests 5000 --max-requests-jitter 500 --preload gz_innovation.wsgi:application"
}

# start_gunicorn NAME PORT [WORKERS]: a gunicorn of this bench on 127.0.0.1:PORT, detached, its
# master's pid in config/pids/NAME.pid and its log in logs/NAME.log. Reuses a running one.
start_gunicorn() {
	local name=$1 port=$2 workers=${3:-$(gunicorn_workers)}
	local pidfile=$BENCH_DIR/config/pids/$name.pid
	if gunicorn_running "$name"; then
		return 0
	fi
	as_bench mkdir -p "$BENCH_DIR/config/pids"
	# shellcheck disable=SC2046
	as_bench env GZ_PROFILE_DIR="${GZ_PROFILE_DIR:-}" setsid $(gunicorn_args "127.0.0.1:$port" "$workers") --daemon --pid "$pidfile" \
		--error-logfile "$BENCH_DIR/logs/$name.log"
	for _ in $(seq 1 60); do
		curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$port/api/method/ping" && return 0
		sleep 1
	done
	die "gunicorn $name did not answer on port $port; see $BENCH_DIR/logs/$name.log"
}

gunicorn_master() {
	local pidfile=$BENCH_DIR/config/pids/$1.pid pid
	pid=$(cat "$pidfile" 2>/dev/null) || return 1
	# A stale pid file may name a process that is no gunicorn any more.
	[[ -n $pid && "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *gunicorn* ]] && echo "$pid"
}

gunicorn_running() { gunicorn_master "$1" >/dev/null; }

# gunicorn_worker_pids NAME: the pids of the workers of gunicorn NAME.
gunicorn_worker_pids() {
	local master
	master=$(gunicorn_master "$1") || return 0
	pgrep -P "$master" || true
}

# stop_gunicorn NAME: a graceful stop of the gunicorn this bench started under NAME.
stop_gunicorn() {
	local master
	master=$(gunicorn_master "$1") || return 0
	kill -TERM "$master" 2>/dev/null || true
	for _ in $(seq 1 40); do
		kill -0 "$master" 2>/dev/null || break
		sleep 0.5
	done
	kill -0 "$master" 2>/dev/null && kill -KILL "$master" 2>/dev/null
	rm -f "$BENCH_DIR/config/pids/$1.pid"
	return 0
}
