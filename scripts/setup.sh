#!/usr/bin/env bash
# Installs what the tests need besides Go: staticcheck (pinned),
# sigrok-cli (an independent check of the VCD traces), Chromium (the web
# page's end-to-end tests drive it headless) and Debian's mosquitto and
# mosquitto-clients (a real MQTT broker for the mqtt, examples and fleet
# tests, which start their own). Safe to run again.
#
# sigrok-cli is a cross-check: without it its test skips, unless
# COOP_REQUIRE_SIGROK=1 (CI sets it), which makes a failed install an
# error here and the missing tool a failure of the test. Chromium is the
# same with COOP_REQUIRE_BROWSER=1.
set -euo pipefail
STATICCHECK_VERSION=v0.8.2
# How long apt-get waits for a lock another apt or dpkg holds (unattended
# upgrades on a fresh machine, a second setup running at the same time).
APT_LOCK_WAIT=300

export PATH="$(go env GOPATH)/bin:$PATH"
if ! staticcheck -version 2>/dev/null | grep -q "${STATICCHECK_VERSION#v}"; then
	go install "honnef.co/go/tools/cmd/staticcheck@${STATICCHECK_VERSION}"
fi

# apt_get runs apt-get waiting for dpkg's lock. apt-get update also takes
# the package lists' lock, which older apt does not wait for: while the
# error is a held lock, it tries again, for up to APT_LOCK_WAIT seconds.
apt_get() {
	local deadline=$((SECONDS + APT_LOCK_WAIT)) err
	err=$(mktemp)
	while :; do
		if apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" "$@" 2>"$err"; then
			rm -f "$err"
			return 0
		fi
		if ! grep -q 'Could not get lock' "$err" || [ "$SECONDS" -ge "$deadline" ]; then
			cat "$err" >&2
			rm -f "$err"
			return 1
		fi
		sleep 5
	done
}

# missing_sigrok says why sigrok-cli is not there; where it is required,
# that is an error.
missing_sigrok() {
	if [ "${COOP_REQUIRE_SIGROK:-}" = 1 ]; then
		echo "setup: $1; COOP_REQUIRE_SIGROK=1 requires it: failing" >&2
		exit 1
	fi
	echo "setup: $1; the VCD cross-check will be skipped" >&2
}

# missing_browser says why chromium is not there; where it is required,
# that is an error.
missing_browser() {
	if [ "${COOP_REQUIRE_BROWSER:-}" = 1 ]; then
		echo "setup: $1; COOP_REQUIRE_BROWSER=1 requires it: failing" >&2
		exit 1
	fi
	echo "setup: $1; the web page's browser tests will be skipped" >&2
}

if ! command -v sigrok-cli >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		if ! { apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq sigrok-cli >/dev/null; }; then
			missing_sigrok "could not install sigrok-cli"
		fi
	else
		missing_sigrok "sigrok-cli not found and cannot be installed here (not root, or no apt-get)"
	fi
fi
if ! command -v chromium >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		if ! { apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq chromium >/dev/null; }; then
			missing_browser "could not install chromium"
		fi
	else
		missing_browser "chromium not found and cannot be installed here (not root, or no apt-get)"
	fi
fi

# missing_mosquitto says why mosquitto is not there; where it is required
# (COOP_REQUIRE_MOSQUITTO=1, CI), that is an error.
missing_mosquitto() {
	if [ "${COOP_REQUIRE_MOSQUITTO:-}" = 1 ]; then
		echo "setup: $1; COOP_REQUIRE_MOSQUITTO=1 requires it: failing" >&2
		exit 1
	fi
	echo "setup: $1; the tests against a real broker will be skipped" >&2
}

if ! command -v mosquitto_sub >/dev/null 2>&1 || ! { command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; }; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		if ! { apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq mosquitto mosquitto-clients >/dev/null; }; then
			missing_mosquitto "could not install mosquitto"
		fi
	else
		missing_mosquitto "mosquitto not found and cannot be installed here (not root, or no apt-get)"
	fi
fi
