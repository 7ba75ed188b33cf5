#!/usr/bin/env bash
# The ledger benchmark (issues 4 and 17), in one run, the commands taken in turn ROUNDS times
# (default 5) so that a busy machine slows them all alike:
#
#   with      accord run BOOK --ledger gl.csv --no-documents     (a 1,000,000-line ledger)
#   without   accord run BOOK --no-documents                      (the same book, no ledger)
#   only      ledger_only BOOK gl.csv    (examples/ledger_only.rs: reads the book and the ledger,
#                                         nothing else; the whole process is timed)
#   floor     csv_floor gl.csv 2         (examples/csv_floor.rs: the csv crate's byte-record
#                                         reader alone over the file, on two threads, as the
#                                         ledger reader uses two; the whole process is timed)
#   ledger    ledger -f gl.journal bal   (ledger-cli balancing the same lines)
#
# The ledger's share of a run is `with` minus `without`, round by round (so the start of a
# process is not in it, while it is in the floor's time). Printed: min, median and max of each
# (wall-clock and CPU seconds, measured around the command), the ratios of the medians, and
# the peak memory of `with` (GNU time) against the ledger file's size; then whether the goals of
# issue 17 are met (at least 50x faster than ledger-cli, at most 1.5x the floor, peak memory
# under twice the file).
#
#   bench/ledger.sh [ROUNDS] [LINES] [WORK_DIR]
#       ACCORD=path/to/accord times another build of accord (the `only` row is then left out
#       unless ACCORD_LEDGER_ONLY=path/to/ledger_only is given too; not LEDGER_ONLY,
#       which ledger-cli would read as its --only option).
#
# Needs python3, GNU time (/usr/bin/time, Debian package `time`) and ledger-cli (Debian package
# `ledger`); it installs the last two with apt-get when they are missing and it may.
set -euo pipefail

rounds="${1:-5}"
lines="${2:-1000000}"
work="${3:-${TMPDIR:-/tmp}/accord-ledger-bench}"
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

echo "building accord and the examples (release)..."
(cd "$repo" && cargo build --release --quiet --bin accord --example ledger_only --example csv_floor)
release="${CARGO_TARGET_DIR:-$repo/target}/release"
floor="$release/examples/csv_floor"
if [ -n "${ACCORD:-}" ]; then
    accord="$ACCORD" # a build to compare, as is
    only="${ACCORD_LEDGER_ONLY:-}"
else
    accord="$release/accord"
    only="$release/examples/ledger_only"
fi

if [ "$(sed -n 's/^lines //p' "$work/expected.txt" 2>/dev/null)" != "$lines" ] ||
    [ "$repo/bench/gen_ledger.py" -nt "$work/expected.txt" ]; then
    echo "writing $lines ledger lines to $work..."
    rm -rf "$work"
    python3 "$repo/bench/gen_ledger.py" "$work" "$lines"
fi
gl_bytes=$(stat -c %s "$work/gl.csv")

names=(with without)
[ -n "$only" ] && names+=(only)
names+=(floor ledger)
declare -A command_of=(
    [with]="$accord run $work/book --ledger $work/gl.csv --no-documents --out $work/out-with"
    [without]="$accord run $work/book --no-documents --out $work/out-without"
    [only]="$only $work/book $work/gl.csv"
    [floor]="$floor $work/gl.csv 2"
    [ledger]="ledger -f $work/gl.journal bal"
)

# run NAME: runs the command once under GNU time (for its peak memory) and bash's `time` (for
# the wall-clock and CPU seconds to the millisecond: GNU time prints CPU seconds to 10 ms, too
# coarse for these runs); appends its wall-clock seconds to $work/NAME.seconds, its CPU seconds
# (user + system) to $work/NAME.cpu and its peak memory (KiB) to $work/NAME.kib.
run() {
    local name="$1" status=0 wall user system TIMEFORMAT='%3R %3U %3S'
    # shellcheck disable=SC2086 # the commands are words
    { time /usr/bin/time -f "%M" -o "$work/$name.time" ${command_of[$name]} >"$work/$name.out" 2>&1 || status=$?; } 2>"$work/$name.clock"
    if [ "$status" != 0 ]; then
        echo "bench/ledger.sh: '${command_of[$name]}' failed:" >&2
        tail -20 "$work/$name.out" >&2
        exit 1
    fi
    read -r wall user system <"$work/$name.clock"
    echo "$wall" >>"$work/$name.seconds"
    awk "BEGIN{printf \"%.3f\\n\", $user + $system}" >>"$work/$name.cpu"
    tail -1 "$work/$name.time" >>"$work/$name.kib"
}

for name in "${names[@]}" share; do rm -f "$work/$name".{seconds,cpu,kib}; done
# One untimed round first, so that the files are in the page cache for every timed one.
for name in "${names[@]}"; do run "$name"; done
for name in "${names[@]}"; do rm -f "$work/$name".{seconds,cpu,kib}; done
for round in $(seq "$rounds"); do
    echo "round $round of $rounds..."
    for name in "${names[@]}"; do run "$name"; done
done
for unit in seconds cpu; do
    paste "$work/with.$unit" "$work/without.$unit" | awk '{printf "%.4f\n", $1 - $2}' >"$work/share.$unit"
done

# stats FILE: "MIN MEDIAN MAX" of the numbers in FILE.
stats() {
    sort -g "$1" | awk '{v[NR] = $1} END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f %.3f %.3f\n", v[1], m, v[NR]}'
}
median() { stats "$1" | cut -d' ' -f2; }
peak_kib() { sort -n "$1" | tail -1; }

echo
echo "ledger: $lines lines, gl.csv $(awk "BEGIN{printf \"%.1f\", $gl_bytes / 1048576}") MiB;" \
    "$rounds rounds, alternating ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-46s %22s %22s %9s\n' "" "wall s: min median max" "CPU s: min median max" "peak MiB"
row() {
    local name="$1" label="$2" lo mid hi clo cmid chi peak=""
    read -r lo mid hi < <(stats "$work/$name.seconds")
    read -r clo cmid chi < <(stats "$work/$name.cpu")
    [ -f "$work/$name.kib" ] && peak=$(awk "BEGIN{printf \"%.1f\", $(peak_kib "$work/$name.kib") / 1024}")
    printf '%-46s %6s %7s %7s  %6s %7s %7s %9s\n' "$label" "$lo" "$mid" "$hi" "$clo" "$cmid" "$chi" "$peak"
}
row with "accord run BOOK --ledger gl.csv --no-documents"
row without "accord run BOOK --no-documents"
row share "  the ledger's share (with - without)"
[ -n "$only" ] && row only "ledger_only BOOK gl.csv (whole process)"
row floor "csv_floor gl.csv 2 (the csv crate alone)"
row ledger "ledger -f gl.journal bal (ledger-cli)"

share=$(median "$work/share.seconds")
share_for_ratio=$(awk "BEGIN{print ($share < 0.001) ? 0.001 : $share}")
vs_ledger=$(awk "BEGIN{printf \"%.0f\", $(median "$work/ledger.seconds") / $share_for_ratio}")
vs_floor=$(awk "BEGIN{printf \"%.2f\", $share / $(median "$work/floor.seconds")}")
peak_ratio=$(awk "BEGIN{printf \"%.2f\", $(peak_kib "$work/with.kib") * 1024 / $gl_bytes}")
echo
echo "medians: the ledger's share is ${vs_ledger}x faster than ledger-cli (goal: at least 50x)"
echo "         and ${vs_floor}x the csv crate alone (goal: at most 1.5x); in CPU seconds" \
    "$(awk "BEGIN{printf \"%.2f\", $(median "$work/share.cpu") / $(median "$work/floor.cpu")}")x"
if [ -n "$only" ]; then
    echo "         ledger_only (whole process) is" \
        "$(awk "BEGIN{printf \"%.2f\", $(median "$work/only.seconds") / $(median "$work/floor.seconds")}")x the csv crate alone"
fi
echo "peak memory of the run with the ledger: ${peak_ratio}x the ledger file's size (goal: under 2x)"

status=0
awk "BEGIN{exit !($vs_ledger >= 50)}" || { echo "FAIL: less than 50x faster than ledger-cli" >&2; status=1; }
awk "BEGIN{exit !($vs_floor <= 1.5)}" || { echo "FAIL: more than 1.5x the csv crate alone" >&2; status=1; }
awk "BEGIN{exit !($peak_ratio < 2)}" || { echo "FAIL: peak memory not under twice the file" >&2; status=1; }
exit $status
