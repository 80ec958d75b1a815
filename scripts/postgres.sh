#!/usr/bin/env bash
# Makes sure a PostgreSQL (>= 15) with pgvector (>= 0.7, HNSW) is running and prints
# the DATABASE_URL to use on stdout. Everything else goes to stderr.
#
# Idempotent: when DATABASE_URL already answers and `CREATE EXTENSION vector` works
# there, it is used as it is. Otherwise the script installs PostgreSQL with the system
# package manager (Debian/Ubuntu), installs pgvector (the distribution's package where
# it exists, else built from Debian's own pgvector source package), starts a local
# cluster, creates the role and database and prints the URL.
#
# Environment:
#   DATABASE_URL       used as is when it works
#   VRAAGBAAK_PG_USER  role to create (default vraagbaak)
#   VRAAGBAAK_PG_DB    database to create (default vraagbaak)
#   VRAAGBAAK_PG_PORT  port of the local cluster (default 5432)
set -euo pipefail

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

pg_user=${VRAAGBAAK_PG_USER:-vraagbaak}
pg_db=${VRAAGBAAK_PG_DB:-vraagbaak}
pg_port=${VRAAGBAAK_PG_PORT:-5432}
pgvector_source_suite=trixie # Debian 13 ships pgvector 0.8.x as a source package

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || die "not root and sudo is missing: install PostgreSQL with pgvector yourself and set DATABASE_URL"
	sudo_cmd=(sudo)
fi
as_root() { "${sudo_cmd[@]}" "$@"; }
as_postgres() { (cd / && as_root runuser -u postgres -- "$@"); }

url_works() {
	local url=$1
	command -v psql >/dev/null || return 1
	psql "$url" -v ON_ERROR_STOP=1 -qAtc 'CREATE EXTENSION IF NOT EXISTS vector' >/dev/null 2>&1
}

if [ -n "${DATABASE_URL:-}" ] && url_works "$DATABASE_URL"; then
	log "using the existing DATABASE_URL"
	printf '%s\n' "$DATABASE_URL"
	exit 0
fi

command -v apt-get >/dev/null || die "no apt-get: this script installs on Debian/Ubuntu only; set DATABASE_URL to a PostgreSQL >= 15 with pgvector >= 0.7"

apt_updated=0
apt_install() {
	if [ $apt_updated -eq 0 ]; then
		log "apt-get update"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		apt_updated=1
	fi
	log "apt-get install $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

pg_major() {
	local v
	v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
	[ -n "$v" ] && [ -x "/usr/lib/postgresql/$v/bin/postgres" ] && printf '%s' "$v"
}

# 1. PostgreSQL server.
major=$(pg_major || true)
if [ -z "$major" ]; then
	apt_install postgresql postgresql-contrib
	major=$(pg_major || true)
	[ -n "$major" ] || die "PostgreSQL did not install"
fi
[ "$major" -ge 15 ] || die "PostgreSQL $major is too old; version 15 or newer is needed"
log "PostgreSQL $major"
ext_dir=/usr/share/postgresql/$major/extension

# 2. pgvector.
pgvector_version() {
	sed -n "s/^default_version = '\(.*\)'/\1/p" "$ext_dir/vector.control" 2>/dev/null
}
build_pgvector_from_source() {
	log "building pgvector from Debian's source package ($pgvector_source_suite)"
	apt_install "postgresql-server-dev-$major" build-essential dpkg-dev
	local list=/etc/apt/sources.list.d/vraagbaak-pgvector-src.list
	if [ ! -f "$list" ]; then
		echo "deb-src http://deb.debian.org/debian $pgvector_source_suite main" | as_root tee "$list" >/dev/null
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
	local dir
	dir=$(mktemp -d)
	(cd "$dir" && apt-get source -qq pgvector >&2) || die "apt-get source pgvector failed"
	local src
	src=$(find "$dir" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
	[ -n "$src" ] || die "pgvector source not found in $dir"
	make -C "$src" -s PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" OPTFLAGS="" >&2
	as_root make -C "$src" -s PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" install >&2
	rm -rf "$dir"
}
if [ ! -f "$ext_dir/vector.control" ]; then
	if apt-cache show "postgresql-$major-pgvector" >/dev/null 2>&1 || { as_root apt-get update -qq >&2 && apt_updated=1 && apt-cache show "postgresql-$major-pgvector" >/dev/null 2>&1; }; then
		apt_install "postgresql-$major-pgvector"
	else
		build_pgvector_from_source
	fi
fi
version=$(pgvector_version)
[ -n "$version" ] || die "pgvector is not installed in $ext_dir"
case "$version" in
0.[0-6].*) die "pgvector $version is too old; 0.7 or newer is needed" ;;
esac
log "pgvector $version"

# 3. A running cluster.
if command -v pg_lsclusters >/dev/null; then
	if ! pg_lsclusters -h 2>/dev/null | awk -v m="$major" '$1 == m' | grep -q .; then
		log "creating cluster $major/main on port $pg_port"
		as_root pg_createcluster "$major" main --port "$pg_port" >&2
	fi
	cluster_port=$(pg_lsclusters -h | awk -v m="$major" '$1 == m {print $3; exit}')
	if ! pg_lsclusters -h | awk -v m="$major" '$1 == m {print $4; exit}' | grep -q online; then
		log "starting cluster $major/main"
		as_root pg_ctlcluster "$major" main start >&2
	fi
	pg_port=$cluster_port
else
	die "pg_lsclusters is missing (postgresql-common); start PostgreSQL yourself and set DATABASE_URL"
fi
for _ in $(seq 1 50); do
	as_postgres psql -p "$pg_port" -qAtc 'SELECT 1' >/dev/null 2>&1 && break
	sleep 0.2
done
as_postgres psql -p "$pg_port" -qAtc 'SELECT 1' >/dev/null || die "PostgreSQL does not answer on port $pg_port"

# 4. Role, database and the extension (in template1 too, so that test databases have it).
psql_admin() { as_postgres env PGOPTIONS="-c client_min_messages=warning" psql -p "$pg_port" -v ON_ERROR_STOP=1 -qAt "$@" >&2; }
if [ -z "$(as_postgres psql -p "$pg_port" -qAtc "SELECT 1 FROM pg_roles WHERE rolname = '$pg_user'")" ]; then
	log "creating role $pg_user"
	psql_admin -c "CREATE ROLE \"$pg_user\" LOGIN CREATEDB PASSWORD '$pg_user'"
fi
psql_admin -d template1 -c 'CREATE EXTENSION IF NOT EXISTS vector'
if [ -z "$(as_postgres psql -p "$pg_port" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$pg_db'")" ]; then
	log "creating database $pg_db"
	psql_admin -c "CREATE DATABASE \"$pg_db\" OWNER \"$pg_user\""
fi
psql_admin -d "$pg_db" -c 'CREATE EXTENSION IF NOT EXISTS vector'

url="postgres://$pg_user:$pg_user@127.0.0.1:$pg_port/$pg_db?sslmode=disable"
url_works "$url" || die "cannot connect with $url"
log "ready"
printf '%s\n' "$url"
