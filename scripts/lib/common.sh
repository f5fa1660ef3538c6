# Shared helpers for scripts/run.sh and scripts/test.sh. Sourced, never run.
# shellcheck shell=bash

set -euo pipefail

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
APP_NAME=gz_innovation
APP_SRC="$PROJECT_ROOT/apps/$APP_NAME"

if [[ $EUID -eq 0 ]]; then
	BENCH_USER=${BENCH_USER:-frappe}
else
	BENCH_USER=${BENCH_USER:-$(id -un)}
fi
BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6 || true)
BENCH_HOME=${BENCH_HOME:-/home/$BENCH_USER}
BENCH_DIR=${BENCH_DIR:-$BENCH_HOME/frappe-bench}
# Where the bench command-line tool lives (a venv of its own, kept apart from the bench's env).
BENCH_CLI_VENV=${BENCH_CLI_VENV:-$BENCH_HOME/.bench-cli}
BENCH_BIN="$BENCH_CLI_VENV/bin/bench"
PYTHON_BIN=${PYTHON_BIN:-/usr/bin/python3.11}

FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
FRAPPE_REPO_URL=${FRAPPE_REPO_URL:-https://github.com/frappe/frappe}
# Local Frappe checkout (passed to bench's --frappe-path); empty means the official source.
FRAPPE_PATH=${FRAPPE_PATH:-}

SITE_NAME=${SITE_NAME:-gz-innovation.localhost}
TEST_SITE=${TEST_SITE:-gz-test.localhost}
WEB_PORT=${WEB_PORT:-8000}
TEST_WEB_PORT=${TEST_WEB_PORT:-8010}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin}

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
# Secrets of this machine live outside the repository.
STATE_DIR="$BENCH_HOME/.gz_innovation"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m!!\033[0m %s\n' "$*" >&2; }
die() {
	printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2
	exit 1
}

is_root() { [[ $EUID -eq 0 ]]; }

# Run a command with its output in the set-up log; show the log's end when it fails.
SETUP_LOG=${SETUP_LOG:-/tmp/gz_innovation-setup-$(basename "$BENCH_DIR").log} # one per bench
quietly() {
	if ! "$@" >>"$SETUP_LOG" 2>&1; then
		tail -n 40 "$SETUP_LOG" | tr '\r' '\n' | tail -n 40 >&2
		die "failed: $* (full log: $SETUP_LOG)"
	fi
}

# Run a command as the bench user, in the bench directory when it exists.
as_bench() {
	local dir=$BENCH_HOME
	[[ -d $BENCH_DIR ]] && dir=$BENCH_DIR
	if is_root; then
		runuser -u "$BENCH_USER" -- env -C "$dir" HOME="$BENCH_HOME" PATH="$BENCH_CLI_VENV/bin:$BENCH_HOME/.local/bin:/usr/local/bin:/usr/bin:/bin" \
			${CI:+CI="$CI"} "$@"
	else
		(cd "$dir" && PATH="$BENCH_CLI_VENV/bin:$PATH" "$@")
	fi
}

bench() { as_bench "$BENCH_BIN" "$@"; }

db_root_password() {
	if [[ -n ${DB_ROOT_PASSWORD:-} ]]; then
		echo "$DB_ROOT_PASSWORD"
	elif [[ -r $STATE_DIR/db_root_password ]]; then
		cat "$STATE_DIR/db_root_password"
	else
		die "MariaDB root password unknown: set DB_ROOT_PASSWORD (or run scripts/run.sh as root once)."
	fi
}

# --- system packages -------------------------------------------------------------------------

apt_install() {
	local missing=()
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	is_root || die "missing Debian packages: ${missing[*]} — install them (as root: apt-get install ${missing[*]}) and run again."
	log "installing Debian packages: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_system_packages() {
	apt_install mariadb-server mariadb-client redis-server git curl rsync pkg-config \
		libmariadb-dev python3.11 python3.11-venv python3.11-dev build-essential \
		fonts-noto-cjk cron wkhtmltopdf poppler-utils
	if ! command -v node >/dev/null; then
		apt_install nodejs npm
	fi
	if ! command -v yarn >/dev/null; then
		is_root || die "yarn is missing — install it (npm install -g yarn) and run again."
		log "installing yarn from the npm registry"
		npm install -g --silent yarn >/dev/null
	fi
}

ensure_bench_user() {
	if ! id "$BENCH_USER" >/dev/null 2>&1; then
		is_root || die "user $BENCH_USER does not exist"
		log "creating the non-root bench user $BENCH_USER"
		useradd --create-home --shell /bin/bash "$BENCH_USER"
		BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
	fi
	# nginx/browsers and other users read assets through the home directory.
	chmod 755 "$BENCH_HOME"
	if is_root; then
		install -d -o "$BENCH_USER" -g "$BENCH_USER" -m 700 "$STATE_DIR"
	else
		install -d -m 700 "$STATE_DIR"
	fi
}

ensure_bench_cli() {
	if [[ ! -x $BENCH_BIN ]]; then
		log "installing the bench CLI (frappe-bench from PyPI) into $BENCH_CLI_VENV"
		as_bench "$PYTHON_BIN" -m venv "$BENCH_CLI_VENV"
		as_bench "$BENCH_CLI_VENV/bin/pip" install -q --upgrade pip
		as_bench "$BENCH_CLI_VENV/bin/pip" install -q "frappe-bench>=5.22,<6"
	fi
}

# --- MariaDB -------------------------------------------------------------------------------------

MARIADB_CNF=/etc/mysql/mariadb.conf.d/99-gz-innovation.cnf

configure_mariadb() {
	is_root || return 0
	local want
	want=$(cat "$PROJECT_ROOT/scripts/lib/mariadb.cnf")
	if [[ ! -f $MARIADB_CNF ]] || [[ "$(cat "$MARIADB_CNF")" != "$want" ]]; then
		log "configuring MariaDB for Frappe (utf8mb4 / utf8mb4_unicode_ci)"
		printf '%s\n' "$want" >"$MARIADB_CNF"
		if mariadb_running; then
			stop_mariadb
		fi
	fi
}

mariadb_running() { mariadb-admin ping --silent >/dev/null 2>&1 || mysqladmin ping -h "$DB_HOST" -P "$DB_PORT" --silent >/dev/null 2>&1; }

stop_mariadb() {
	mariadb-admin shutdown >/dev/null 2>&1 || true
	for _ in $(seq 1 30); do mariadb_running || return 0; sleep 1; done
}

start_mariadb() {
	mariadb_running && return 0
	is_root || die "MariaDB is not running on $DB_HOST:$DB_PORT and this user cannot start it."
	log "starting MariaDB"
	install -d -o mysql -g mysql /run/mysqld
	if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
		systemctl start mariadb
	else
		(setsid mysqld_safe >/dev/null 2>&1 &)
	fi
	for _ in $(seq 1 60); do
		mariadb_running && return 0
		sleep 1
	done
	die "MariaDB did not start; see /var/log/mysql/ or journalctl -u mariadb"
}

# root gets a password login over TCP (bench new-site needs it) and keeps its socket login.
ensure_db_root_password() {
	is_root || return 0
	local pw
	if [[ -n ${DB_ROOT_PASSWORD:-} ]]; then
		pw=$DB_ROOT_PASSWORD
	elif [[ -s $STATE_DIR/db_root_password ]]; then
		pw=$(cat "$STATE_DIR/db_root_password")
	else
		pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
	fi
	if ! mariadb -uroot -p"$pw" -h "$DB_HOST" -P "$DB_PORT" -e "select 1" >/dev/null 2>&1; then
		log "setting the MariaDB root password (stored in $STATE_DIR/db_root_password)"
		mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('$pw') OR unix_socket; FLUSH PRIVILEGES;" ||
			die "cannot set the MariaDB root password: log in as root over the socket failed; set DB_ROOT_PASSWORD to the current one"
	fi
	printf '%s' "$pw" >"$STATE_DIR/db_root_password"
	chown "$BENCH_USER:" "$STATE_DIR/db_root_password"
	chmod 600 "$STATE_DIR/db_root_password"
}

# --- Redis (the bench's own instances, from its config/redis_*.conf) ---------------------------

redis_port() { grep -E '^port ' "$BENCH_DIR/config/$1.conf" | awk '{print $2}'; }

start_bench_redis() {
	local name port
	for name in redis_cache redis_queue; do
		[[ -f $BENCH_DIR/config/$name.conf ]] || continue
		port=$(redis_port "$name")
		if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
			log "starting $name on port $port"
			as_bench setsid redis-server "$BENCH_DIR/config/$name.conf" --daemonize yes \
				--logfile "$BENCH_DIR/logs/$name.log" --pidfile "$BENCH_DIR/config/pids/$name.pid" >/dev/null
			for _ in $(seq 1 20); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
		fi
	done
}

stop_bench_redis() {
	local name pid
	for name in redis_cache redis_queue; do
		pid=$(cat "$BENCH_DIR/config/pids/$name.pid" 2>/dev/null) || continue
		[[ -n $pid ]] && kill "$pid" 2>/dev/null && log "stopped $name"
	done
	return 0
}

# hand_over_fixtures NAME: copy the repository's fixtures/NAME where the bench user can read it (the
# checkout may be private to the invoking user); prints the copy's path.
# Each bench gets its own copy, so several benches of one user do not overwrite each other's.
hand_over_fixtures() {
	local dest=$BENCH_DIR/.gz_fixtures/$1
	rm -rf "$dest"
	mkdir -p "$(dirname "$dest")"
	cp -r "$PROJECT_ROOT/fixtures/$1" "$dest"
	is_root && chown -R "$BENCH_USER:" "$BENCH_DIR/.gz_fixtures"
	echo "$dest"
}

# bench_pids PATTERN: the bench user's processes matching PATTERN that run in this bench (one user
# may own several benches; their processes are told apart by their working directory).
bench_pids() {
	local pid
	for pid in $(pgrep -u "$BENCH_USER" -f "$1" || true); do
		local cwd
		cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || continue
		[[ $cwd == "$BENCH_DIR" || $cwd == "$BENCH_DIR"/* ]] && echo "$pid"
	done
	return 0
}

# --- the app -------------------------------------------------------------------------------------

# Point the bench's apps/gz_innovation at the checkout being run, so a fresh clone tests its own code.
link_app() {
	local target=$BENCH_DIR/apps/$APP_NAME
	if as_bench test -r "$APP_SRC/pyproject.toml"; then
		if [[ "$(readlink "$target" 2>/dev/null)" != "$APP_SRC" ]]; then
			log "linking apps/$APP_NAME -> $APP_SRC"
			rm -rf "$target"
			as_bench ln -s "$APP_SRC" "$target"
		fi
	else
		# The checkout is not readable by the bench user (e.g. under /root): sync a copy instead.
		log "syncing $APP_SRC into apps/$APP_NAME (the bench user cannot read the checkout in place)"
		[[ -L $target ]] && rm -f "$target"
		rsync -a --delete --exclude '__pycache__' --exclude '*.egg-info' "$APP_SRC/" "$target/"
		is_root && chown -R "$BENCH_USER:" "$target"
	fi
	# Public files are served through sites/assets/<app>: point it at the app being run.
	local assets=$BENCH_DIR/sites/assets
	if [[ -d $assets && "$(readlink "$assets/$APP_NAME" 2>/dev/null)" != "$target/$APP_NAME/public" ]]; then
		as_bench ln -sfn "$target/$APP_NAME/public" "$assets/$APP_NAME"
	fi
	if ! grep -qx "$APP_NAME" "$BENCH_DIR/sites/apps.txt" 2>/dev/null; then
		as_bench sed -i -e '$a\' "$BENCH_DIR/sites/apps.txt" # bench writes it without a final newline
		echo "$APP_NAME" | as_bench tee -a "$BENCH_DIR/sites/apps.txt" >/dev/null
	fi
	# (Re)install the app's Python package when its dependency list changed.
	local stamp=$BENCH_DIR/.gz_app_deps.sha
	local sum
	sum=$(sha256sum "$APP_SRC/pyproject.toml" | cut -d' ' -f1)
	if [[ ! -f $stamp ]] || [[ "$(cat "$stamp")" != "$sum" ]] || ! as_bench env/bin/python -c "import $APP_NAME" 2>/dev/null; then
		log "installing the app's Python package and dependencies"
		as_bench env UV_CACHE_DIR="$BENCH_HOME/.cache/uv" "$BENCH_CLI_VENV/bin/uv" pip install -q --python env/bin/python -e "apps/$APP_NAME[dev]"
		echo "$sum" | as_bench tee "$stamp" >/dev/null
	fi
	# The editable install must import the app through the bench's apps/ folder, as bench's own
	# installs do: pip records the symlink's target, which would keep an old checkout in use.
	local pth
	pth=$(as_bench env/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/$APP_NAME.pth
	if [[ "$(cat "$pth" 2>/dev/null)" != "$target" ]]; then
		echo "$target" | as_bench tee "$pth" >/dev/null
	fi
}

# Every bundle of the app that the bench's assets.json names is on disk (another bench building the
# same checkout replaces them with its own).
served_bundles_exist() {
	local url
	for url in $(grep -o "\"/assets/$APP_NAME/dist/[^\"]*\"" "$BENCH_DIR/sites/assets/assets.json" | tr -d '"'); do
		[[ -f $BENCH_DIR/sites$url ]] || return 1
	done
}

# The app's asset bundles (public/*.bundle.js and .css: the portal's script and stylesheet), built
# by `bench build` into the app's public/dist when its public files changed since the last build.
build_assets() {
	local stamp=$BENCH_DIR/sites/assets/.gz_built
	local dist=$APP_SRC/$APP_NAME/public/dist
	local sum
	sum=$(find "$APP_SRC/$APP_NAME/public" -type f -not -path "$dist/*" -print0 2>/dev/null | sort -z | xargs -0 cat 2>/dev/null | sha256sum | cut -d' ' -f1)
	sum="$APP_SRC:$sum" # another checkout (a fresh clone) has no build of its own yet
	# The build the bench serves: the app as linked (or copied) into the bench.
	local served=$BENCH_DIR/apps/$APP_NAME/$APP_NAME/public/dist
	if [[ -f $BENCH_DIR/sites/assets/assets.json && -f $stamp && "$(cat "$stamp")" == "$sum" ]] &&
		grep -q '"gz_portal.bundle.js"' "$BENCH_DIR/sites/assets/assets.json" &&
		compgen -G "$served/js/gz_portal.bundle.*.js" >/dev/null && served_bundles_exist; then
		return 0
	fi
	if [[ ! -f $BENCH_DIR/sites/assets/frappe/dist/js/frappe-web.bundle.js && ! -f $BENCH_DIR/sites/assets/assets.json ]]; then
		log "building Frappe's assets (once)"
		quietly bench build --app frappe
	fi
	# bench build writes into the app's public/dist, as the bench user: a checkout owned by root
	# (read in place through the apps/ link) gets that one folder for it.
	mkdir -p "$dist"
	is_root && chown "$BENCH_USER:" "$dist"
	log "building $APP_NAME's assets"
	quietly bench build --app "$APP_NAME"
	echo "$sum" | as_bench tee "$stamp" >/dev/null
}

# The app's zh catalog is compiled before install and migrate, which store some texts as data.
compile_translations() {
	quietly bench compile-po-to-mo --app "$APP_NAME" --force
}

site_exists() { [[ -f $BENCH_DIR/sites/$1/site_config.json ]]; }

app_installed_on() {
	bench --site "$1" list-apps 2>/dev/null | grep -q "^$APP_NAME"
}

# Apply the committed site configuration templates (sites/*.json) to the bench and a site.
apply_site_config() {
	local site=$1
	# Run as the invoking user: the bench user may not be able to read the checkout.
	"$PYTHON_BIN" "$PROJECT_ROOT/scripts/lib/apply_config.py" "$PROJECT_ROOT/sites" "$BENCH_DIR/sites" "$site"
	if is_root; then
		chown "$BENCH_USER:" "$BENCH_DIR/sites/common_site_config.json"
		[[ -f $BENCH_DIR/sites/$site/site_config.json ]] && chown "$BENCH_USER:" "$BENCH_DIR/sites/$site/site_config.json"
	fi
}

create_site() {
	local site=$1
	if site_exists "$site"; then
		return 0
	fi
	log "creating site $site"
	quietly bench new-site "$site" --db-root-username root --db-root-password "$(db_root_password)" \
		--db-host "$DB_HOST" --db-port "$DB_PORT" --admin-password "$ADMIN_PASSWORD" \
		--mariadb-user-host-login-scope='%'
}

install_app_on() {
	local site=$1
	apply_site_config "$site"
	if ! app_installed_on "$site"; then
		log "installing $APP_NAME on $site"
		quietly bench --site "$site" install-app "$APP_NAME"
	else
		log "migrating $site"
		quietly bench --site "$site" migrate
	fi
}

# load_demo_data SITE: the demo data sets of the repository's fixtures/ into SITE, as a newcomer gets
# them (scripts/run.sh; the test command's fresh-site stage does the same). The bench user may not be
# able to read the checkout in place, so they are handed over through the bench's state directory.
# A record the rules refuse stops the load with the file, the record and the rule named.
load_demo_data() {
	local site=$1 dest
	dest=$(hand_over_fixtures demo)
	log "loading demo data into $site"
	# The records of the *.json files, then submissions across states and cities that go the real way
	# (submit, review steps), for the department's workspace, charts and reports.
	quietly bench --site "$site" gz-load-demo "$dest"
	# The sample export of the previous platform: its users log in with their old passwords.
	if [[ "$(bench --site "$site" execute gz_innovation.setup.demo.legacy_sample_imported 2>/dev/null | tail -n 1)" != "true" ]]; then
		dest=$(hand_over_fixtures legacy)
		log "importing the sample legacy export into $site"
		quietly bench --site "$site" gz-import-legacy "$dest"
	fi
}
