#!/usr/bin/env bash
# The project's test command: formatting, vet, staticcheck, and every test
# with the race detector. Run scripts/setup.sh once before.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
staticcheck ./...
go test -race -count=1 ./...
