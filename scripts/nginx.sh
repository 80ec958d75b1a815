#!/usr/bin/env bash
# Makes sure nginx is installed for the reverse-proxy tests and prints where it is, as
#
#   VRAAGBAAK_NGINX=/usr/sbin/nginx
#
# on stdout (everything else goes to stderr), so that a caller can export it:
#
#   eval "$(scripts/nginx.sh | sed 's/^/export /')"
#
# Idempotent: an nginx named by VRAAGBAAK_NGINX or found on PATH (or in /usr/sbin) is
# used as it is; otherwise Debian's `nginx-light` package is installed with apt-get (as
# root, or through sudo). The tests start their own nginx on a free loopback port; the
# package's own service is not needed and not started.
set -euo pipefail

log() { printf 'nginx.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_nginx() {
	if [ -n "${VRAAGBAAK_NGINX:-}" ]; then
		command -v "$VRAAGBAAK_NGINX" || return 1
		return 0
	fi
	command -v nginx && return 0
	[ -x /usr/sbin/nginx ] && { echo /usr/sbin/nginx; return 0; }
	return 1
}

if [ -n "${VRAAGBAAK_NGINX:-}" ] && ! find_nginx >/dev/null; then
	die "VRAAGBAAK_NGINX=$VRAAGBAAK_NGINX is not an executable"
fi
if ! nginx=$(find_nginx); then
	command -v apt-get >/dev/null || die "no apt-get: this script installs on Debian/Ubuntu only; install nginx and set VRAAGBAAK_NGINX"
	sudo_cmd=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || die "not root and sudo is missing: install nginx yourself and set VRAAGBAAK_NGINX"
		sudo_cmd=(sudo)
	fi
	log "apt-get install nginx-light"
	"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >&2 ||
		{ "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
			"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >&2; }
	nginx=$(find_nginx) || die "nginx did not install"
fi
log "nginx: $nginx ($("$nginx" -v 2>&1))"
printf 'VRAAGBAAK_NGINX=%q\n' "$nginx"
