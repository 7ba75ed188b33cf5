#!/usr/bin/env bash
# The engine benchmark (issue 17): on a generated consortium book (COUNCILS councils, 60
# programmes, 10 years), `accord run BOOK --no-documents` (the rules, the CSV tables, the
# councils' journals/*.csv and the manifest) against `accord validate BOOK` (reading and checking the book
# only), timed in one run, alternating, N times each. Prints min/median/max wall-clock seconds
# of each, the ratio of the medians, and the peak resident memory of each.
# Goal: run --no-documents in at most 3 times the time of validate, at 400 councils.
# Beside them, to tell accord's time from the disk's: the same run into /dev/shm (a memory file
# system), and the reports' files copied by coreutils to the same disk, flushed, and the
# previous copy removed.
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

# Two measures of the disk beside them, so that what is accord's own time can be told from
# the disk's: the same run into a memory file system (/dev/shm, where there is one), and the
# same files written by coreutils to the disk the reports go on, flushed, and the previous
# copy removed (`cp -r`, `sync -f`, `rm -rf`: the three things a run's commit waits for).
shm=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    shm="/dev/shm/accord-engine-bench-$$"
    trap 'rm -rf "$shm"' EXIT
fi
copy=(bash -c 'rm -rf "$1/copy" && cp -r "$2" "$1/copy" && sync -f "$1/copy"' copy "$work" "$out")

rm -f "$work"/{validate,run,shm,copy}.samples
# One warm-up of each (page cache, first-touch costs), not counted.
"$accord" validate "$book" >/dev/null 2>&1
"$accord" run "$book" --no-documents --out "$out" >/dev/null 2>&1
[ -z "$shm" ] || "$accord" run "$book" --no-documents --out "$shm" >/dev/null 2>&1
"${copy[@]}"
for _ in $(seq "$runs"); do
    timed validate "$accord" validate "$book"
    timed run "$accord" run "$book" --no-documents --out "$out"
    [ -z "$shm" ] || timed shm "$accord" run "$book" --no-documents --out "$shm"
    timed copy "${copy[@]}"
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
if [ -n "$shm" ]; then
    read -r s_min s_med s_max s_mb s_cpu < <(stats shm)
    printf '%-26s %8s %8s %8s %8s %8s\n' "  the same into /dev/shm" "$s_min" "$s_med" "$s_max" "$s_mb" "$s_cpu"
fi
read -r c_min c_med c_max _ c_cpu < <(stats copy)
printf '%-26s %8s %8s %8s %8s %8s\n' "  cp -r, sync -f, rm -rf" "$c_min" "$c_med" "$c_max" "-" "$c_cpu"
awk -v r="$r_med" -v v="$v_med" 'BEGIN {
    if (v > 0) printf "ratio of medians (run / validate): %.1f (goal: at most 3)\n", r / v
}'
[ -z "$shm" ] || awk -v r="$s_med" -v v="$v_med" 'BEGIN {
    if (v > 0) printf "the same into a memory file system: %.1f\n", r / v
}'
echo "(wall-clock seconds; peak_MB: the highest peak resident memory of the runs; cpu_s: the" \
    "median CPU seconds, user + system; the reports folder is $out)" >&2
