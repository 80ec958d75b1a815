#!/usr/bin/env bash
# The whole test suite, as CI runs it: makes sure PostgreSQL with pgvector, Chromium,
# axe-core and nginx are there, then gofmt, go vet, golangci-lint and go test -race over
# every package. A test that needs the database fails (instead of skipping) when it is
# missing: VRAAGBAAK_REQUIRE_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v go >/dev/null || { echo "test.sh: Go is not installed (https://go.dev/dl/, 1.22 or newer; go.mod's toolchain is fetched automatically)" >&2; exit 1; }

DATABASE_URL=$(scripts/postgres.sh)
export DATABASE_URL VRAAGBAAK_REQUIRE_DB=1
# Headless Chromium and axe-core for the browser tests (installed when missing).
browser_env=$(scripts/browser.sh)
eval "$(sed 's/^/export /' <<<"$browser_env")"
export VRAAGBAAK_REQUIRE_BROWSER=1
# A real nginx for the reverse-proxy tests (installed when missing).
nginx_env=$(scripts/nginx.sh)
eval "$(sed 's/^/export /' <<<"$nginx_env")"
export VRAAGBAAK_REQUIRE_NGINX=1

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "test.sh: gofmt would change: $unformatted" >&2
	exit 1
fi
go vet ./...

# golangci-lint (.golangci.yml), pinned, built from the Go module proxy into .cache/bin
# the first time (a few minutes on 2 cores; the run itself takes seconds).
golangci_version=v2.15.0
golangci=.cache/bin/golangci-lint
if ! "$golangci" version 2>/dev/null | grep -q "version ${golangci_version#v} "; then
	echo "test.sh: go install golangci-lint $golangci_version into .cache/bin" >&2
	GOBIN="$PWD/.cache/bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$golangci_version"
fi
lint_packages=(./...)
"$golangci" run "${lint_packages[@]}"

go test -race -count=1 "$@" ./...
# The classifiers' cross-validations train five times each: too slow under -race, so
# they are skipped there and run here without it.
go test -count=1 -run 'CrossValidation' ./answer/
