#!/usr/bin/env bash
# The project's test command: installs what the tests need (scripts/setup.sh,
# quick when done before), then checks formatting, vet, staticcheck, and runs
# every test with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
scripts/setup.sh

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
staticcheck ./...
# The race runtime waits a second at every test binary's exit by default;
# a tenth is plenty for its reports and saves a minute over the packages.
GORACE=${GORACE:-atexit_sleep_ms=100} go test -race -count=1 -timeout 15m ./...
