#!/usr/bin/env bash
# Installs what the tests need besides Go: staticcheck (pinned) and
# sigrok-cli (an independent check of the VCD traces). Safe to run again.
set -euo pipefail
STATICCHECK_VERSION=v0.8.2

export PATH="$(go env GOPATH)/bin:$PATH"
if ! staticcheck -version 2>/dev/null | grep -q "${STATICCHECK_VERSION#v}"; then
	go install "honnef.co/go/tools/cmd/staticcheck@${STATICCHECK_VERSION}"
fi
if ! command -v sigrok-cli >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		# Only a cross-check: the test that needs it skips without it.
		if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sigrok-cli >/dev/null; }; then
			echo "setup: could not install sigrok-cli; the VCD cross-check will be skipped" >&2
		fi
	else
		echo "setup: sigrok-cli not found and cannot be installed here; the VCD cross-check will be skipped" >&2
	fi
fi
