#!/usr/bin/env bash
# setup-tinygo.sh - install TinyGo v0.42.0, the compiler coop's board builds
# and scripts/tinygo-check.sh need.
#
# Where a TinyGo 0.42 is on PATH already (the release packages of
# https://tinygo.org/getting-started/install/ give one), there is nothing to do.
# On Debian bookworm (amd64), as root, TinyGo is built from its Go module (Go
# module proxy) against Debian's LLVM 19. The module zip lacks TinyGo's git
# submodules, so this script stands in for them:
#   - compiler-rt builtins: sources from Debian's llvm-toolchain-19 source package
#   - picolibc / musl / wasi-libc: Debian's prebuilt libraries, seeded into
#     TinyGo's library cache (picolibc: debug info stripped, duplicate __aeabi_mem*
#     symbols removed, since TinyGo's own compiler-rt already defines them)
#   - RP2040/RP2350 device files (device/rp): generated from the SVD files in
#     scripts/tinygo/svd with TinyGo's own tools/gen-device-svd, the same way
#     TinyGo's `make gen-device-rp` does;
#   - TinyGo's net package (submodule tinygo-org/net), which the Pico W's Wi-Fi
#     driver needs: a copy is in scripts/tinygo/_net.
# scripts/tinygo/SOURCES.txt says where each copy comes from and its licence.
#
# Usage:  scripts/setup-tinygo.sh            (PREFIX=/opt/tinygo by default)
#         PREFIX=/some/dir scripts/setup-tinygo.sh
# Then:   export TINYGOROOT=$PREFIX/tinygo PATH=$PREFIX/bin:$PATH
#
# Environment knobs:
#   PREFIX           install prefix (default /opt/tinygo)
#   SVD_DIR          folder with RP2040/RP2350 .svd files (default scripts/tinygo/svd)
#   COMPILER_RT_SRC  an extracted compiler-rt/lib/builtins folder to use instead
#                    of downloading Debian's llvm-toolchain-19 source package
#   FORCE_REBUILD=1  rebuild TinyGo even if $PREFIX/bin/tinygo is already 0.42.0
#
# Re-running is cheap (CI runs it every time): with a working 0.42.0 install it
# only checks the pieces, regenerates device files if the SVDs changed, and
# re-seeds the library cache. It ends with a one-line summary, or a FAILED line
# and a non-zero exit code.

set -Eeuo pipefail

TINYGO_VERSION=0.42.0
LLVM=19
ESPFLASHER_PIN=v0.6.0    # v0.8.1 (what v0.42.0 asks for) is refused by the proxy
WAZERO_VERSION=v1.9.0
GO_MIN_MINOR=25          # TinyGo 0.42.0's go.mod says go 1.25.0

PREFIX=${PREFIX:-/opt/tinygo}
ROOT="$PREFIX/tinygo"
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tinygo"
export DEBIAN_FRONTEND=noninteractive

t0=$SECONDS
current="start"
step() { current="$*"; echo "== [$((SECONDS - t0))s] $*"; }
die() { echo "setup-tinygo: FAILED: $*" >&2; exit 1; }
trap 'rc=$?; echo "setup-tinygo: FAILED in step \"$current\" (exit $rc at line $LINENO)" >&2; exit $rc' ERR

DEBSRC_LIST=/etc/apt/sources.list.d/setup-tinygo-debsrc.sources
TMPDIRS=()
cleanup() {
  if [ -e "$DEBSRC_LIST" ]; then rm -f "$DEBSRC_LIST"; apt-get update -qq >/dev/null 2>&1 || true; fi
  for d in "${TMPDIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT

# ---------------------------------------------------------------- preflight
step "preflight"
if ! [ -x "$PREFIX/bin/tinygo" ] && command -v tinygo >/dev/null &&
   tinygo version 2>/dev/null | grep -q "^tinygo version $TINYGO_VERSION "; then
  echo "setup-tinygo: OK: $(command -v tinygo) is TinyGo $TINYGO_VERSION already"
  exit 0
fi
[ "$(uname -m)" = x86_64 ] || die "only linux/amd64 is supported (this is $(uname -m))"
[ -r /etc/debian_version ] || die "this script expects Debian bookworm"
command -v go >/dev/null || die "Go >= 1.$GO_MIN_MINOR is required in PATH (Debian bookworm's golang-go is too old)"
go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
[ -n "$go_minor" ] && [ "$go_minor" -ge "$GO_MIN_MINOR" ] || die "Go >= 1.$GO_MIN_MINOR is required, found $(go env GOVERSION)"

SVD_DIR=${SVD_DIR:-$SCRIPT_DIR/tinygo/svd}
[ -d "$SVD_DIR" ] && SVD_DIR=$(cd "$SVD_DIR" && pwd)
if [ -f "$SVD_DIR/SHA256SUMS" ]; then
  (cd "$SVD_DIR" && sha256sum --quiet -c SHA256SUMS) || die "an SVD file in $SVD_DIR does not match its SHA256SUMS"
fi

mkdir -p "$PREFIX/bin" "$PREFIX/share"
exec 9>"$PREFIX/.setup-tinygo.lock"
flock -w 1800 9 || die "another setup-tinygo run holds $PREFIX/.setup-tinygo.lock"

# ---------------------------------------------------------------- apt packages
PKGS=(llvm-$LLVM-dev libclang-$LLVM-dev clang-$LLVM lld-$LLVM g++ ca-certificates xz-utils
      picolibc-arm-none-eabi musl-dev wasi-libc binaryen qemu-system-arm)
step "Debian packages"
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "must run as root to install: ${missing[*]}"
  echo "   installing: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
else
  echo "   all present"
fi

# ---------------------------------------------------------------- tinygo build
have_version() { [ -x "$PREFIX/bin/tinygo" ] && TINYGOROOT="$ROOT" "$PREFIX/bin/tinygo" version 2>/dev/null | grep -q "^tinygo version $TINYGO_VERSION "; }
if [ "${FORCE_REBUILD:-0}" != 1 ] && have_version && [ -d "$ROOT/src/runtime" ]; then
  step "tinygo $TINYGO_VERSION already built in $PREFIX (FORCE_REBUILD=1 to redo)"
else
  step "tinygo $TINYGO_VERSION module source (Go module proxy)"
  dl=$(cd / && GOFLAGS= go mod download -json "github.com/tinygo-org/tinygo@v$TINYGO_VERSION") ||
    die "could not download github.com/tinygo-org/tinygo@v$TINYGO_VERSION from the Go module proxy: $dl"
  mod=$(printf '%s\n' "$dl" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [ -n "$mod" ] && [ -d "$mod/src/runtime" ] || die "could not download github.com/tinygo-org/tinygo@v$TINYGO_VERSION: $dl"
  stage="$PREFIX/tinygo.staging"
  rm -rf "$stage"; cp -r "$mod" "$stage"; chmod -R u+w "$stage"
  # tinygo.org/x/espflasher v0.8.1 is not served by the proxy; v0.6.0 is, and only
  # differs here in EraseFlash() taking no progress callback.
  (cd "$stage" && go mod edit -replace "tinygo.org/x/espflasher=tinygo.org/x/espflasher@$ESPFLASHER_PIN")
  grep -q 'flasher.EraseFlash(progressFunc)' "$stage/main.go" || die "main.go no longer calls flasher.EraseFlash(progressFunc); espflasher pin needs review"
  sed -i 's/flasher\.EraseFlash(progressFunc)/flasher.EraseFlash()/' "$stage/main.go"

  step "go build tinygo (-tags llvm$LLVM); takes ~2 minutes"
  (cd "$stage" && GOFLAGS= go build -mod=mod -tags "llvm$LLVM" -o "$PREFIX/bin/tinygo.new" .)
  rm -rf "$ROOT"; mv "$stage" "$ROOT"; mv -f "$PREFIX/bin/tinygo.new" "$PREFIX/bin/tinygo"
  have_version || die "$PREFIX/bin/tinygo does not report version $TINYGO_VERSION"
fi

# ---------------------------------------------------------------- stand-ins for submodules
step "stand-ins for git submodules"
# submodule tinygo-org/net: TinyGo's net package, on its netdev interface
if ! diff -rq "$SCRIPT_DIR/tinygo/_net" "$ROOT/src/net" >/dev/null 2>&1; then
  rm -rf "$ROOT/src/net"; cp -r "$SCRIPT_DIR/tinygo/_net" "$ROOT/src/net"
fi
crt="$PREFIX/share/compiler-rt-builtins-$LLVM"
if [ ! -f "$crt/int_lib.h" ]; then
  if [ -n "${COMPILER_RT_SRC:-}" ]; then
    [ -f "$COMPILER_RT_SRC/int_lib.h" ] || die "COMPILER_RT_SRC=$COMPILER_RT_SRC is not a compiler-rt/lib/builtins folder"
    rm -rf "$crt"; cp -r "$COMPILER_RT_SRC" "$crt"
  else
    [ "$(id -u)" = 0 ] || die "must run as root to fetch Debian's llvm-toolchain-$LLVM source (or set COMPILER_RT_SRC)"
    echo "   fetching compiler-rt sources from Debian's llvm-toolchain-$LLVM source package"
    src=$(mktemp -d); TMPDIRS+=("$src")
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > "$DEBSRC_LIST"
    apt-get update -qq
    (cd "$src" && apt-get source -qq --download-only "llvm-toolchain-$LLVM" >/dev/null)
    rm -f "$DEBSRC_LIST"; apt-get update -qq || true
    orig=$(ls "$src"/llvm-toolchain-"$LLVM"_*.orig.tar.xz 2>/dev/null | head -n1)
    [ -n "$orig" ] || die "apt-get source llvm-toolchain-$LLVM gave no .orig.tar.xz"
    tar -C "$src" -xJf "$orig" --wildcards '*/compiler-rt/lib/builtins/*'
    rm -rf "$crt"; mv "$src"/llvm-toolchain-*/compiler-rt/lib/builtins "$crt"
  fi
fi
if [ ! -f "$ROOT/lib/compiler-rt-builtins/int_lib.h" ]; then
  rm -rf "$ROOT/lib/compiler-rt-builtins"; cp -r "$crt" "$ROOT/lib/compiler-rt-builtins"
fi
# picolibc: headers from Debian's picolibc-arm-none-eabi; libraries are seeded below
mkdir -p "$ROOT/lib/picolibc/newlib/libc/tinystdio"
ln -sfn /usr/lib/picolibc/arm-none-eabi/include "$ROOT/lib/picolibc/newlib/libc/include"
# musl: headers come from the seeded cache entry
mkdir -p "$ROOT/lib/musl/include" "$ROOT/lib/musl/arch/x86_64" "$ROOT/lib/musl/arch/generic"
# WASI runner for `tinygo test/run -target=$PREFIX/wasip1-wazero.json`
if [ ! -x "$PREFIX/bin/wazero" ]; then
  GOFLAGS= GOBIN="$PREFIX/bin" go install "github.com/tetratelabs/wazero/cmd/wazero@$WAZERO_VERSION"
fi
printf '{\n\t"inherits": ["wasip1"],\n\t"emulator": "wazero run -mount={tmpDir}:/tmp {}"\n}\n' > "$PREFIX/wasip1-wazero.json"

# ---------------------------------------------------------------- device/rp from SVD
step "RP2040/RP2350 device files (gen-device-svd)"
rp_in="$ROOT/lib/cmsis-svd/data/RaspberryPi"
rp_out="$ROOT/src/device/rp"
svds=()
if [ -n "$SVD_DIR" ]; then
  for f in "$SVD_DIR"/*.svd; do
    if [ -f "$f" ]; then svds+=("$f"); fi
  done
fi
if [ ${#svds[@]} -eq 0 ]; then
  echo "   WARNING: no .svd files found (looked in $SVD_DIR); pico/pico2 will not build"
else
  declare -A seen=()
  for f in "${svds[@]}"; do
    dev=$(grep -m1 -o '<name>[^<]*</name>' "$f" | sed 's/<[^>]*>//g')
    case "$dev" in RP2040|RP2350) ;; *) die "$f: device <name> is '$dev', expected RP2040 or RP2350";; esac
    [ -z "${seen[$dev]:-}" ] || die "two SVD files describe $dev: ${seen[$dev]} and $f"
    seen[$dev]=$f
    # TinyGo 0.42's machine package uses the pico-sdk 1.x names for RP2040
    # (USBCTRL_REGS); pico-sdk >= 2.0's RP2040.svd renamed that peripheral to USB.
    if [ "$dev" = RP2040 ] && ! grep -q '<name>USBCTRL_REGS</name>' "$f"; then
      die "$f looks like pico-sdk >= 2.0's RP2040.svd (no USBCTRL_REGS peripheral); TinyGo $TINYGO_VERSION needs pico-sdk 1.5.1's src/rp2040/hardware_regs/rp2040.svd"
    fi
  done
  stamp=$( (sha256sum "${svds[@]}" | awk '{print $1}'; sha256sum "$ROOT"/tools/gen-device-svd/*.go | awk '{print $1}') | sha256sum | awk '{print $1}')
  want_out=()
  for dev in "${!seen[@]}"; do want_out+=("$rp_out/${dev,,}.go" "$rp_out/${dev,,}.s"); done
  up_to_date=1
  [ "$(cat "$rp_out/.svd-stamp" 2>/dev/null)" = "$stamp" ] || up_to_date=0
  for o in "${want_out[@]}"; do [ -s "$o" ] || up_to_date=0; done
  if [ $up_to_date = 1 ]; then
    echo "   up to date (${!seen[*]})"
  else
    rm -rf "$rp_in"; mkdir -p "$rp_in"
    cp "${svds[@]}" "$rp_in/"
    rm -f "$rp_out"/rp2040.go "$rp_out"/rp2040.s "$rp_out"/rp2350.go "$rp_out"/rp2350.s
    # The same commands as TinyGo's make/gen-device.mk, target gen-device-rp:
    (
      cd "$ROOT"
      GOFLAGS= go build -mod=mod -o ./build/gen-device-svd ./tools/gen-device-svd/
      ./build/gen-device-svd -source=https://github.com/posborne/cmsis-svd/tree/master/data/RaspberryPi lib/cmsis-svd/data/RaspberryPi/ src/device/rp/ >/dev/null
      GO111MODULE=off go fmt ./src/device/rp >/dev/null
    )
    for o in "${want_out[@]}"; do [ -s "$o" ] || die "gen-device-svd did not produce $o"; done
    echo "$stamp" > "$rp_out/.svd-stamp"
    echo "   generated: $(cd "$rp_out" && ls rp2*.go rp2*.s | grep -v extra | tr '\n' ' ')"
  fi
fi

# ---------------------------------------------------------------- library cache
step "seed TinyGo library cache ($CACHE)"
seed_picolibc() { # <llvm-triple>-<cpu> <Debian picolibc multilib folder>
  local d="$CACHE/picolibc-$1" lib="/usr/lib/picolibc/arm-none-eabi/lib/$2/libc.a"
  [ -f "$lib" ] || die "missing $lib (package picolibc-arm-none-eabi)"
  mkdir -p "$d/include"; rm -f "$d/include/picolibc.h"
  cp "$lib" "$d/lib.a.tmp"
  # GCC-built objects carry .debug_frame version 1, which TinyGo's stack-size analysis rejects
  llvm-strip-$LLVM --strip-debug "$d/lib.a.tmp"
  # TinyGo's compiler-rt already defines the __aeabi_mem* helpers: drop picolibc's copies
  llvm-objcopy-$LLVM $(for s in memcpy memmove memset memclr; do for n in "" 4 8; do echo "-N __aeabi_$s$n"; done; done) "$d/lib.a.tmp"
  mv -f "$d/lib.a.tmp" "$d/lib.a"
}
seed_picolibc thumbv7m-unknown-unknown-eabi-cortex-m3       thumb/v7-m/nofp       # cortex-m-qemu
seed_picolibc thumbv6m-unknown-unknown-eabi-cortex-m0plus   thumb/v6-m/nofp       # pico (RP2040)
seed_picolibc thumbv8m.main-unknown-unknown-eabi-cortex-m33 thumb/v8-m.main/nofp  # pico2 (RP2350)
d="$CACHE/musl-x86_64-unknown-linux-musleabihf-x86-64-v3"; rm -rf "$d"; mkdir -p "$d"
cp -r /usr/include/x86_64-linux-musl "$d/include"
cp /usr/lib/x86_64-linux-musl/libc.a "$d/lib.a"; cp /usr/lib/x86_64-linux-musl/crt1.o "$d/crt1.o"
d="$CACHE/wasi-libc-wasm32-unknown-wasi-generic"; rm -rf "$d"; mkdir -p "$d"
cp -r /usr/include/wasm32-wasi "$d/include"; cp /usr/lib/wasm32-wasi/libc.a "$d/lib.a"

# ---------------------------------------------------------------- summary
targets="cortex-m-qemu host(-gc=conservative) wasip1 wasm"
[ -s "$ROOT/src/device/rp/rp2040.go" ] && targets="$targets pico" || targets="$targets [no pico: RP2040 SVD missing]"
[ -s "$ROOT/src/device/rp/rp2350.go" ] && targets="$targets pico2" || targets="$targets [no pico2: RP2350 SVD missing]"
ver=$(TINYGOROOT="$ROOT" "$PREFIX/bin/tinygo" version | sed 's/^tinygo version //')
current="summary"
echo "setup-tinygo: OK in $((SECONDS - t0))s: tinygo $ver at $PREFIX; targets: $targets; use: export TINYGOROOT=$ROOT PATH=$PREFIX/bin:\$PATH"
