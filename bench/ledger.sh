#!/usr/bin/env bash
# The ledger benchmark (issue 4): what a 1,000,000-line general ledger adds to `accord run`,
# against ledger-cli balancing the same lines, and accord's peak memory against the file's size.
#
#   bench/ledger.sh [LINES] [WORK_DIR]        (ACCORD=path/to/accord to time another build)
#
# Needs python3, GNU time (/usr/bin/time, Debian package `time`) and ledger-cli (Debian package
# `ledger`); it installs the last two with apt-get when they are missing and it may. Each timing
# is the best of three runs, so that a cold file cache does not count against either side.
set -euo pipefail

lines="${1:-1000000}"
work="${2:-${TMPDIR:-/tmp}/accord-ledger-bench}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need() {
    if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
        else
            echo "bench/ledger.sh: needs $1 (Debian package $2)" >&2
            exit 1
        fi
    fi
}
need /usr/bin/time time
need ledger ledger

if [ -n "${ACCORD:-}" ]; then
    accord="$ACCORD" # a build to compare, as is
else
    echo "building accord (release)..."
    (cd "$repo" && cargo build --release --quiet --bin accord)
    accord="$repo/target/release/accord"
fi

if [ "$(sed -n 's/^lines //p' "$work/expected.txt" 2>/dev/null)" != "$lines" ] ||
    [ "$repo/bench/gen_ledger.py" -nt "$work/expected.txt" ]; then
    echo "writing $lines ledger lines to $work..."
    rm -rf "$work"
    python3 "$repo/bench/gen_ledger.py" "$work" "$lines"
fi
gl_bytes=$(stat -c %s "$work/gl.csv")

# best_of3 NAME COMMAND...: "SECONDS KIB CPU" for three runs measured by GNU time: the least
# wall-clock seconds (and the CPU seconds of that run) and the most peak memory; the command's
# own output goes to $work/NAME.out.
best_of3() {
    local name="$1"
    shift
    local best="" best_cpu="" peak=0
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1 || {
            echo "bench/ledger.sh: '$*' failed:" >&2
            tail -20 "$work/$name.out" >&2
            exit 1
        }
        read -r seconds kib user system <"$work/$name.time"
        if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then
            best=$seconds
            best_cpu=$(awk "BEGIN{printf \"%.2f\", $user + $system}")
        fi
        if [ "$kib" -gt "$peak" ]; then peak=$kib; fi
    done
    echo "$best $peak $best_cpu"
}

read -r with_s with_kib with_cpu < <(best_of3 with "$accord" run "$work/book" --ledger "$work/gl.csv" --out "$work/out-with")
read -r without_s without_kib without_cpu < <(best_of3 without "$accord" run "$work/book" --out "$work/out-without")
read -r ledger_s ledger_kib ledger_cpu < <(best_of3 ledger-cli ledger -f "$work/gl.journal" bal)

added_s=$(awk "BEGIN{printf \"%.2f\", $with_s - $without_s}")
ratio=$(awk "BEGIN{d = $with_s - $without_s; if (d < 0.01) d = 0.01; printf \"%.0f\", $ledger_s / d}")
file_mb=$(awk "BEGIN{printf \"%.1f\", $gl_bytes / 1048576}")
peak_mb=$(awk "BEGIN{printf \"%.1f\", $with_kib / 1024}")
peak_ratio=$(awk "BEGIN{printf \"%.2f\", $with_kib * 1024 / $gl_bytes}")

echo
echo "ledger: $lines lines, gl.csv $file_mb MiB ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-40s %8s %10s %10s\n' "" "wall" "CPU" "peak"
printf '%-40s %8s s %8s s %6s MiB\n' "accord run BOOK --ledger gl.csv" "$with_s" "$with_cpu" "$peak_mb"
printf '%-40s %8s s %8s s %6s MiB\n' "accord run BOOK" "$without_s" "$without_cpu" "$(awk "BEGIN{printf \"%.1f\", $without_kib / 1024}")"
printf '%-40s %8s s %8s s\n' "what the ledger adds" "$added_s" "$(awk "BEGIN{printf \"%.2f\", $with_cpu - $without_cpu}")"
printf '%-40s %8s s %8s s %6s MiB\n' "ledger -f gl.journal bal (ledger-cli)" "$ledger_s" "$ledger_cpu" "$(awk "BEGIN{printf \"%.1f\", $ledger_kib / 1024}")"
echo "accord's ledger reading is ${ratio}x faster than ledger-cli (goal: at least 20x)"
echo "accord's peak memory is ${peak_ratio}x the ledger file's size (goal: under 2x)"

status=0
awk "BEGIN{exit !($ratio >= 20)}" || { echo "FAIL: less than 20x faster" >&2; status=1; }
awk "BEGIN{exit !($peak_ratio < 2)}" || { echo "FAIL: peak memory not under twice the file" >&2; status=1; }
exit $status
