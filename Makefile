# Two commands on a fresh Debian/Ubuntu machine:
#   make demo   set up PostgreSQL + pgvector, crawl the bundled sample sites, then chat at http://localhost:8080
#   make test   set up what the tests need, then gofmt, go vet, golangci-lint and go test -race ./...
SHELL := /bin/bash
GO ?= go
BIN := bin/vraagbaak

.PHONY: demo test build bench vet clean

build:
	$(GO) build -o $(BIN) ./cmd/vraagbaak

demo: build
	@DATABASE_URL="$$(scripts/postgres.sh)" && export DATABASE_URL && ./$(BIN) demo --serve $${VRAAGBAAK_ADDR:-localhost:8080}

test:
	scripts/test.sh

vet:
	$(GO) vet ./...

# Benchmarks: ingest throughput on a generated 2,000-page site, and the rest.
bench:
	@DATABASE_URL="$$(scripts/postgres.sh)" && export DATABASE_URL VRAAGBAAK_REQUIRE_DB=1 && \
		$(GO) test -run '^$$' -bench . -benchtime 1x ./ingest/ && \
		$(GO) test -run '^$$' -bench . ./retrieval/... ./ingest/extract/

clean:
	rm -rf bin
