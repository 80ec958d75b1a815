#!/usr/bin/env bash
# Makes sure what the browser tests need is installed and prints where it is, as
#
#   VRAAGBAAK_CHROMIUM=/usr/bin/chromium
#   VRAAGBAAK_AXE_JS=/path/to/repo/.cache/node_modules/axe-core/axe.min.js
#
# on stdout (shell-quoted; everything else goes to stderr), so that a caller can export them:
#
#   eval "$(scripts/browser.sh | sed 's/^/export /')"
#
# Idempotent: a Chromium named by VRAAGBAAK_CHROMIUM or found on PATH (chromium,
# chromium-browser, google-chrome) is used as it is; otherwise Debian's `chromium`
# package is installed with apt-get (as root, or through sudo). axe-core (major version
# 4) is installed from npm into <repo>/.cache/node_modules unless VRAAGBAAK_AXE_JS already
# names a file or it is there already; when npm is missing, Debian's `npm` package is
# installed first, the same way as Chromium.
set -euo pipefail

log() { printf 'browser.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

repo=$(cd "$(dirname "$0")/.." && pwd)
axe_major=4

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	sudo_cmd=(sudo)
fi
as_root() {
	if [ ${#sudo_cmd[@]} -gt 0 ] && ! command -v sudo >/dev/null; then
		die "not root and sudo is missing: install $1 yourself (see the top of this script)"
	fi
	shift
	"${sudo_cmd[@]}" "$@"
}

# apt_install WHAT PACKAGE... installs Debian packages as root (WHAT names them in errors).
apt_updated=
apt_install() {
	local what=$1
	shift
	command -v apt-get >/dev/null || die "no apt-get: this script installs on Debian/Ubuntu only; install $what yourself"
	if [ -z "$apt_updated" ]; then
		log "apt-get update"
		as_root "$what" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		apt_updated=1
	fi
	log "apt-get install $*"
	as_root "$what" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

find_chromium() {
	if [ -n "${VRAAGBAAK_CHROMIUM:-}" ]; then
		[ -x "$VRAAGBAAK_CHROMIUM" ] || command -v "$VRAAGBAAK_CHROMIUM" >/dev/null || return 1
		command -v "$VRAAGBAAK_CHROMIUM"
		return 0
	fi
	local name
	for name in chromium chromium-browser google-chrome; do
		if command -v "$name" >/dev/null; then
			command -v "$name"
			return 0
		fi
	done
	return 1
}

# 1. Chromium.
if [ -n "${VRAAGBAAK_CHROMIUM:-}" ] && ! find_chromium >/dev/null; then
	die "VRAAGBAAK_CHROMIUM=$VRAAGBAAK_CHROMIUM is not an executable"
fi
if ! chromium=$(find_chromium); then
	apt_install "Chromium (and set VRAAGBAAK_CHROMIUM)" chromium fonts-liberation
	chromium=$(find_chromium) || die "Chromium did not install"
fi
log "Chromium: $chromium"

# 2. axe-core.
if [ -n "${VRAAGBAAK_AXE_JS:-}" ]; then
	[ -f "$VRAAGBAAK_AXE_JS" ] || die "VRAAGBAAK_AXE_JS=$VRAAGBAAK_AXE_JS does not exist"
	axe=$VRAAGBAAK_AXE_JS
else
	axe=$repo/.cache/node_modules/axe-core/axe.min.js
	installed=$(sed -n 's/^ *"version": *"\([0-9]*\)\..*/\1/p' "$repo/.cache/node_modules/axe-core/package.json" 2>/dev/null | head -n 1 || true)
	if [ ! -f "$axe" ] || [ "$installed" != "$axe_major" ]; then
		if ! command -v npm >/dev/null; then
			apt_install "npm (or set VRAAGBAAK_AXE_JS to axe.min.js)" npm
			command -v npm >/dev/null || die "npm did not install"
		fi
		log "npm install axe-core@$axe_major into $repo/.cache"
		mkdir -p "$repo/.cache"
		npm install --prefix "$repo/.cache" --no-audit --no-fund --loglevel=error "axe-core@$axe_major" >&2
		[ -f "$axe" ] || die "axe-core did not install: $axe is missing"
	fi
fi
log "axe-core: $axe"

# %q keeps a path with spaces in one word for eval.
printf 'VRAAGBAAK_CHROMIUM=%q\n' "$chromium"
printf 'VRAAGBAAK_AXE_JS=%q\n' "$axe"
