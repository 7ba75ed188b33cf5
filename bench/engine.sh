#!/usr/bin/env bash
# The engine benchmark (issue 17): on a generated consortium book (COUNCILS councils, 60
# programmes, 10 years), `accord run BOOK --no-documents` (the rules, the CSV tables, the
# councils' journals/*.csv and the manifest) against `accord validate BOOK` (reading and checking the book
# only), timed in one run, alternating, N times each. Prints min/median/max wall-clock seconds
# of each, the ratio of the medians, and the peak resident memory of each.
# Goal: run --no-documents in at most 3 times the time of validate, at 400 councils.
#
#   bench/engine.sh [COUNCILS] [N]            (default: 400 councils, 7 runs each)
#   bench/engine.sh 100                       (or 200: smaller books)
#   ACCORD=path/to/accord bench/engine.sh     (time another build, as is)
#   WORK_DIR=/somewhere bench/engine.sh       (where the book and the reports go)
#
# Needs GNU time (/usr/bin/time, Debian package `time`); it installs it with apt-get when it
# is missing and it may.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK_DIR:-${TMPDIR:-/tmp}/accord-engine-bench}"
councils="${1:-400}"
runs="${2:-7}"
case "$councils$runs" in
*[!0-9]*)
    echo "usage: bench/engine.sh [COUNCILS] [N]" >&2
    exit 2
    ;;
esac

bench=bench/engine.sh
# shellcheck source=bench/prelude.sh
source "$repo/bench/prelude.sh"
book="$("$gen" "$work" "$councils" 60 10)"
out="$work/reports-$councils"

# timed NAME COMMAND...: runs the command under GNU time (its output to files); appends
# "SECONDS KIB CPU" to $work/NAME.samples: the wall clock (to the millisecond, from `date`, as
# GNU time gives only hundredths), the peak resident memory and the CPU seconds (user + system;
# steadier than the wall clock on a machine shared with other work).
timed() {
    local name="$1"
    shift
    local start end wall kib cpu
    start=$(date +%s%N)
    /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        tail -5 "$work/$name.err" >&2
        return 1
    }
    end=$(date +%s%N)
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
    cpu=$(sed -n 's/.*\(User\|System\) time (seconds): //p' "$work/$name.time" |
        awk '{ s += $1 } END { printf "%.2f", s }')
    echo "$wall $kib $cpu" >>"$work/$name.samples"
}

rm -f "$work/validate.samples" "$work/run.samples"
# One warm-up of each (page cache, first-touch costs), not counted.
"$accord" validate "$book" >/dev/null 2>&1
"$accord" run "$book" --no-documents --out "$out" >/dev/null 2>&1
for _ in $(seq "$runs"); do
    timed validate "$accord" validate "$book"
    timed run "$accord" run "$book" --no-documents --out "$out"
done

# stats NAME: "min median max peak_MB cpu_median" of the samples.
stats() {
    local cpu
    cpu=$(awk '{ print $3 }' "$work/$1.samples" | sort -n | awk '
        { c[NR] = $1 }
        END { printf "%.2f", (NR % 2) ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2 }')
    sort -n "$work/$1.samples" | awk -v cpu="$cpu" '
        { s[NR] = $1; if ($2 > m) m = $2 }
        END {
            med = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2
            printf "%.3f %.3f %.3f %d %s\n", s[1], med, s[NR], m / 1024, cpu
        }'
}

read -r v_min v_med v_max v_mb v_cpu < <(stats validate)
read -r r_min r_med r_max r_mb r_cpu < <(stats run)
echo "book: $book ($councils councils, 60 programmes, 10 years), $runs runs each, alternating"
printf '%-26s %8s %8s %8s %8s %8s\n' command min_s median_s max_s peak_MB cpu_s
printf '%-26s %8s %8s %8s %8s %8s\n' validate "$v_min" "$v_med" "$v_max" "$v_mb" "$v_cpu"
printf '%-26s %8s %8s %8s %8s %8s\n' "run --no-documents" "$r_min" "$r_med" "$r_max" "$r_mb" "$r_cpu"
awk -v r="$r_med" -v v="$v_med" 'BEGIN {
    if (v > 0) printf "ratio of medians (run / validate): %.1f (goal: at most 3)\n", r / v
}'
echo "(wall-clock seconds; peak_MB: the highest peak resident memory of the runs; cpu_s: the" \
    "median CPU seconds, user + system; the reports folder is $out)" >&2
