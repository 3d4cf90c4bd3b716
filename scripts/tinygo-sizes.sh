#!/usr/bin/env bash
# Builds every example for the Raspberry Pi Pico and Pico W as a user's
# program (scripts/tinygo-main.sh: main calls device.Main(App)) and prints
# a Markdown table of flash and RAM (static data; TinyGo's heap takes the
# rest of RAM) from `tinygo build -size short`. Exits 1 if any example
# fails to build. With -w it also writes the table into README.md between
# the tinygo-sizes markers. Needs TinyGo 0.42 (TINYGO, or tinygo on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
tinygo=${TINYGO:-tinygo}
write=false
[ "${1:-}" = -w ] && write=true
targets=(pico pico-w)

out=$(mktemp -d)
trap 'rm -rf "$out" .tinygo-build' EXIT
names=()
for d in examples/*/; do
	n=$(basename "$d")
	[ "$n" = internal ] && continue
	names+=("$n")
	scripts/tinygo-main.sh "$n" >/dev/null
done

# Two builds at a time: TinyGo caches packages, so after the first build
# of a target most of each build is linking.
build() { # name target
	if "$tinygo" build -target="$2" -size short -o "$out/$1.$2.elf" "./.tinygo-build/$1" >"$out/$1.$2.log" 2>&1; then
		tail -n 1 "$out/$1.$2.log" | awk '{print $5, $6}' >"$out/$1.$2.size"
	fi
}
export -f build
export tinygo out
for t in "${targets[@]}"; do
	"$tinygo" build -target="$t" -o "$out/warm.$t.elf" ./.tinygo-build/hello >/dev/null 2>&1 || true
done
for n in "${names[@]}"; do for t in "${targets[@]}"; do echo "$n $t"; done; done |
	xargs -P 2 -n 2 bash -c 'build "$0" "$1"'

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
failed=()
{
	echo "| example | pico flash KB | pico RAM KB | pico-w flash KB | pico-w RAM KB |"
	echo "|---|---:|---:|---:|---:|"
	for n in "${names[@]}"; do
		row="| \`$n\`"
		for t in "${targets[@]}"; do
			if [ -s "$out/$n.$t.size" ]; then
				read -r flash ram <"$out/$n.$t.size"
				row="$row | $(kb "$flash") | $(kb "$ram")"
			else
				row="$row | fails | fails"
				failed+=("$n ($t)")
			fi
		done
		echo "$row |"
	done
} >"$out/table.md"
cat "$out/table.md"

if [ ${#failed[@]} -gt 0 ]; then
	for f in "${failed[@]}"; do
		n=${f%% *} t=${f#*(}; t=${t%)}
		echo "tinygo-sizes: $n does not build for $t:" >&2
		sed 's/^/    /' "$out/$n.$t.log" >&2
	done
	exit 1
fi
if $write; then
	awk -v table="$out/table.md" '
		/<!-- tinygo-sizes:start -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
		/<!-- tinygo-sizes:end -->/ { skip = 0 }
		!skip { print }
	' README.md >"$out/README.md"
	grep -q '<!-- tinygo-sizes:start -->' README.md || { echo "tinygo-sizes: README.md has no tinygo-sizes markers" >&2; exit 1; }
	cp "$out/README.md" README.md
fi
