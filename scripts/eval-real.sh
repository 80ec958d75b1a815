#!/usr/bin/env bash
# Evaluates Vraagbaak on real official pages: serves the content of the shared corpus
# (../shared/corpus/raw, see its SOURCES.md) as local copies of rijksoverheid.nl and
# amsterdam.nl (`vraagbaak realsite`), crawls them into a database of their own (never
# the demo index), and runs a golden set over it with `vraagbaak eval run`.
#
# Usage: scripts/eval-real.sh [--require] [GOLDEN] [OUT]
#   GOLDEN     golden set (default eval/testdata/real_dev.jsonl)
#   OUT        directory for result.json and report.html (default /tmp/vraagbaak-eval-real)
#   --require  exit 2 when the corpus is missing (default: say so and exit 0)
# Environment:
#   VRAAGBAAK_CORPUS   corpus directory (default ../shared/corpus/raw from the repository root)
#   VRAAGBAAK_REAL_DB  database name (default vraagbaak_real)
#   VRAAGBAAK_REAL_PORT first port of the local sites (default 8093; amsterdam gets the next)
set -euo pipefail

log() { printf 'eval-real.sh: %s\n' "$*" >&2; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

require=0
if [ "${1:-}" = "--require" ]; then require=1; shift; fi
golden=${1:-eval/testdata/real_dev.jsonl}
out=${2:-/tmp/vraagbaak-eval-real}
corpus=${VRAAGBAAK_CORPUS:-$root/../shared/corpus/raw}
db=${VRAAGBAAK_REAL_DB:-vraagbaak_real}
port=${VRAAGBAAK_REAL_PORT:-8093}

if [ ! -d "$corpus/govbench-rijksoverheid-vac" ] && [ ! -d "$corpus/amsterdam-rag-belastingen" ]; then
	log "no corpus in $corpus (set VRAAGBAAK_CORPUS): nothing to evaluate"
	[ $require -eq 1 ] && exit 2
	exit 0
fi

# A database of its own, next to the one scripts/postgres.sh gives.
base=$(scripts/postgres.sh)
psql "$base" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
	psql "$base" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $db" >&2
url=$(printf '%s' "$base" | sed -E "s#^([a-z]+://[^/]*)/[^?]*#\1/$db#")
export DATABASE_URL=$url

work=$(mktemp -d)
bin=$work/vraagbaak
go build -o "$bin" ./cmd/vraagbaak
"$bin" migrate >&2

"$bin" realsite --corpus "$corpus" --port "$port" --sources "$work/sources.yaml" >"$work/realsite.out" 2>&1 &
site_pid=$!
trap 'kill $site_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
	[ -s "$work/sources.yaml" ] && break
	kill -0 $site_pid 2>/dev/null || { cat "$work/realsite.out" >&2; exit 1; }
	sleep 0.1
done
cat "$work/realsite.out" >&2
hosts=$(sed -n 's/^realsite host map: //p' "$work/realsite.out")

"$bin" ingest --sources "$work/sources.yaml" --delay 0 --per-host 4 --workers 4 >&2
"$bin" eval run --golden "$golden" --out "$out" --hosts "$hosts"
