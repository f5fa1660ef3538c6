#!/usr/bin/env bash
# Scale-out, proven small: two app-server groups (two gunicorn instances of this bench on ports of
# their own, sharing MariaDB and Redis) behind nginx (Debian's package), on one machine.
#
#   bash scripts/scale-out.sh start    install nginx if missing, start both groups and nginx
#   bash scripts/scale-out.sh check    a session started on one group works on the other and
#                                      through nginx; logging out on one ends it on both
#   bash scripts/scale-out.sh stop     stop nginx and both groups
#   bash scripts/scale-out.sh url      nginx's address;  workers: the pids of both groups' workers
#
# Ports: nginx SCALE_PORT (TEST_WEB_PORT + 6), the groups SCALE_PORT + 1 and + 2. Each group has
# half of the machine's workers (2 × cores + 1, docs/deployment.md; GUNICORN_WORKERS sets it per
# group). The nginx instance is the bench user's own (config, pid and logs under
# $BENCH_DIR/config/gz-nginx/); the system's nginx service is not touched. `check` logs in on the
# test site (TEST_SITE, test mode: it reads the captcha's answer).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$PROJECT_ROOT/scripts/lib/serve.sh"

SCALE_PORT=${SCALE_PORT:-$((TEST_WEB_PORT + 6))}
GROUPS_=(gz-group-a gz-group-b)
NGINX_DIR=$BENCH_DIR/config/gz-nginx
NGINX_CONF=$NGINX_DIR/nginx.conf

group_port() { echo $((SCALE_PORT + 1 + $1)); }

group_workers() {
	if [[ -n ${GUNICORN_WORKERS:-} ]]; then
		echo "$GUNICORN_WORKERS"
	else
		echo $((($(GUNICORN_WORKERS="" gunicorn_workers) + 1) / 2))
	fi
}

socketio_port() {
	"$PYTHON_BIN" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("socketio_port", 9000))' \
		"$BENCH_DIR/sites/common_site_config.json"
}

write_nginx_conf() {
	local conf
	conf=$(
		cat <<CONF
# Written by scripts/scale-out.sh: nginx before two gunicorn groups of $BENCH_DIR.
worker_processes auto;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 1024; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log off;
	sendfile on;
	keepalive_timeout 65;
	client_max_body_size 50m;
	client_body_temp_path $NGINX_DIR/tmp/body;
	proxy_temp_path $NGINX_DIR/tmp/proxy;
	fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
	uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
	scgi_temp_path $NGINX_DIR/tmp/scgi;

	# Round robin, no stickiness: any request may land on either group.
	upstream gz_app_servers {
		server 127.0.0.1:$(group_port 0);
		server 127.0.0.1:$(group_port 1);
		keepalive 64;
	}
	upstream gz_socketio { server 127.0.0.1:$(socketio_port); }

	server {
		listen 127.0.0.1:$SCALE_PORT;
		server_name _;
		root $BENCH_DIR/sites;

		location /assets {
			try_files \$uri =404;
			add_header Cache-Control "max-age=31536000";
		}
		location ~ ^/files/.*$ {
			try_files /\$host/public\$uri @app;
		}
		location /socket.io {
			proxy_http_version 1.1;
			proxy_set_header Upgrade \$http_upgrade;
			proxy_set_header Connection "upgrade";
			proxy_set_header Origin \$scheme://\$http_host;
			proxy_set_header Host \$host;
			proxy_pass http://gz_socketio;
		}
		location / {
			try_files /nonexistent @app;
		}
		location @app {
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host \$host;
			# nginx sets the client address itself: a client cannot choose the one Frappe sees.
			proxy_set_header X-Forwarded-For \$remote_addr;
			proxy_set_header X-Forwarded-Proto \$scheme;
			proxy_read_timeout 120;
			proxy_redirect off;
			proxy_pass http://gz_app_servers;
		}
	}
}
CONF
	)
	as_bench mkdir -p "$NGINX_DIR/tmp"
	if [[ "$(cat "$NGINX_CONF" 2>/dev/null)" != "$conf" ]]; then
		printf '%s\n' "$conf" | as_bench tee "$NGINX_CONF" >/dev/null
	fi
}

nginx_pid() {
	local pid
	pid=$(cat "$NGINX_DIR/nginx.pid" 2>/dev/null) || return 1
	[[ -n $pid && "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *nginx* ]] && echo "$pid"
}

url() { echo "http://127.0.0.1:$SCALE_PORT"; }

start() {
	apt_install nginx
	local i
	for i in 0 1; do
		start_gunicorn "${GROUPS_[$i]}" "$(group_port "$i")" "$(group_workers)"
	done
	write_nginx_conf
	as_bench /usr/sbin/nginx -t -q -e "$NGINX_DIR/error.log" -c "$NGINX_CONF" -p "$NGINX_DIR" ||
		die "nginx refused $NGINX_CONF"
	if pid=$(nginx_pid); then
		as_bench /usr/sbin/nginx -e "$NGINX_DIR/error.log" -c "$NGINX_CONF" -p "$NGINX_DIR" -s reload
	else
		as_bench /usr/sbin/nginx -e "$NGINX_DIR/error.log" -c "$NGINX_CONF" -p "$NGINX_DIR"
	fi
	for _ in $(seq 1 20); do
		curl -fs -o /dev/null --max-time 5 "$(url)/api/method/ping" && break
		sleep 0.5
	done
	log "nginx on $(url) before two gunicorn groups on ports $(group_port 0) and $(group_port 1) ($(group_workers) workers each)"
}

stop() {
	local pid
	if pid=$(nginx_pid); then
		kill -QUIT "$pid" 2>/dev/null || true
		for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
	fi
	stop_gunicorn "${GROUPS_[0]}"
	stop_gunicorn "${GROUPS_[1]}"
}

workers() {
	gunicorn_worker_pids "${GROUPS_[0]}"
	gunicorn_worker_pids "${GROUPS_[1]}"
}

# --- check: one session, two groups ----------------------------------------------------------

CHECKS_PASSED=0
CHECKS_FAILED=0

expect() {
	local what=$1 want=$2 got=$3
	if [[ $got == "$want" ]]; then
		echo "ok      $what"
		CHECKS_PASSED=$((CHECKS_PASSED + 1))
	else
		echo "FAILED  $what: expected '$want', got '$got'"
		CHECKS_FAILED=$((CHECKS_FAILED + 1))
	fi
}

# message_of JSON: the `message` of a Frappe answer.
message_of() { "$PYTHON_BIN" -c 'import json,sys; print(json.loads(sys.stdin.read() or "{}").get("message"))'; }

# as_site BASE PATH [curl args]: a request for the test site.
as_site() {
	local base=$1 path=$2
	shift 2
	curl -s --max-time 30 -H "Host: $TEST_SITE" -H "Accept: application/json" "$@" "$base$path"
}

check() {
	if ! grep -q '"allow_tests": true' "$BENCH_DIR/sites/$TEST_SITE/site_config.json" 2>/dev/null; then
		bench --site "$TEST_SITE" set-config allow_tests true >/dev/null
	fi
	local user password jar a b
	password="Sc@$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 10)"
	user=$(bench --site "$TEST_SITE" execute gz_innovation.accounts.tests.utils.create_user \
		--kwargs "{'password': '$password'}" 2>/dev/null | tail -n 1 | tr -d '"')
	[[ -n $user ]] || die "could not create a test user on $TEST_SITE"
	jar=$(mktemp)
	a=http://127.0.0.1:$(group_port 0)
	b=http://127.0.0.1:$(group_port 1)
	local token answer
	token=$(as_site "$a" /api/method/gz_innovation.accounts.api.get_captcha -X POST | "$PYTHON_BIN" -c 'import json,sys; print(json.load(sys.stdin)["message"]["token"])')
	answer=$(as_site "$a" /api/method/gz_innovation.accounts.api.test_captcha_answer -X POST -d "token=$token" | message_of)
	local csrf
	csrf=$(as_site "$a" /api/method/gz_innovation.accounts.api.login -X POST -c "$jar" \
		--data-urlencode "identifier=$user" --data-urlencode "password=$password" \
		--data-urlencode "captcha_token=$token" --data-urlencode "captcha_answer=$answer" |
		"$PYTHON_BIN" -c 'import json,sys; print(json.load(sys.stdin)["message"]["csrf_token"])')
	expect "logged in on group A (port $(group_port 0))" "$user" \
		"$(as_site "$a" /api/method/frappe.auth.get_logged_user -b "$jar" | message_of)"
	expect "the same session on group B (port $(group_port 1))" "$user" \
		"$(as_site "$b" /api/method/frappe.auth.get_logged_user -b "$jar" | message_of)"
	local i seen=""
	for i in 1 2 3 4; do
		seen+="$(as_site "$(url)" /api/method/frappe.auth.get_logged_user -b "$jar" | message_of) "
	done
	expect "through nginx, four requests in a row (both groups)" "$user $user $user $user " "$seen"
	expect "a write without the session's CSRF token is refused on group B" "400" \
		"$(as_site "$b" /api/method/logout -X POST -b "$jar" -o /dev/null -w '%{http_code}')"
	expect "still logged in after that refused write" "$user" \
		"$(as_site "$a" /api/method/frappe.auth.get_logged_user -b "$jar" | message_of)"
	as_site "$b" /api/method/logout -X POST -b "$jar" -H "X-Frappe-CSRF-Token: $csrf" >/dev/null
	expect "logged out on group B: group A sees no session" "403" \
		"$(as_site "$a" /api/method/frappe.auth.get_logged_user -b "$jar" -o /dev/null -w '%{http_code}')"
	rm -f "$jar"
	bench --site "$TEST_SITE" execute gz_innovation.accounts.tests.utils.delete_users --args "[['$user']]" >/dev/null 2>&1 || true
	echo "$CHECKS_PASSED passed, $CHECKS_FAILED failed"
	[[ $CHECKS_FAILED -eq 0 ]]
}

case ${1:-} in
start) start ;;
stop) stop ;;
url) url ;;
workers) workers ;;
check)
	start
	rc=0
	check || rc=$?
	[[ ${KEEP_RUNNING:-0} == 1 ]] || stop
	exit "$rc"
	;;
*) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
