#!/usr/bin/env bash
# The project's test command: installs what the tests need (scripts/setup.sh,
# quick when done before), then checks formatting, vet, staticcheck, runs
# every test with the race detector (the command's three times), and runs
# each fuzz target for a few seconds.
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
export GORACE=${GORACE:-atexit_sleep_ms=100}
# The command's tests drive terminals and pipes: they run three times, so
# that one that passes by luck is caught. Everything else runs once.
go test -race -count=1 -timeout 15m $(go list ./... | grep -v '/cmd/')
go test -race -count=3 -timeout 15m ./cmd/...

# Every fuzz target, briefly: FUZZTIME each (5s unless set), from its seed
# corpus on. A target that finds a failure fails the run, and go test
# writes the input under the package's testdata/fuzz to reproduce it.
#
# Go 1.26's fuzzing coordinator can end a run whose -fuzztime has just
# expired with "context deadline exceeded" though no input failed
# (go.dev/issue/75804, fixed in Go 1.27): a worker on a busy machine has
# not stopped yet. Such a run, with no failing input written, is run once
# more; any other failure, or that one twice, fails the run.
fuzztime=${FUZZTIME:-5s}
fuzz() { # dir target; returns 0, 1 for a failure, 2 for the deadline race
	local out
	if out=$(go test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" "$1" 2>&1); then
		echo "$out"
		return 0
	fi
	echo "$out"
	if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
		return 2
	fi
	return 1
}
for dir in $(grep -rlE --include='*_test.go' '^func Fuzz[A-Z_0-9]' . | xargs -r -n1 dirname | sort -u); do
	for target in $(go test -list '^Fuzz' "$dir" | grep '^Fuzz'); do
		echo "fuzz: $dir $target ($fuzztime)"
		status=0
		fuzz "$dir" "$target" || status=$?
		if [ "$status" = 2 ]; then
			echo "fuzz: $dir $target ended on Go's -fuzztime deadline race, no input failing: once more"
			status=0
			fuzz "$dir" "$target" || status=$?
		fi
		if [ "$status" != 0 ]; then
			echo "fuzz: $dir $target failed" >&2
			exit 1
		fi
	done
done
