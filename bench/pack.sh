#!/usr/bin/env bash
# The pack benchmark (issue 11): the whole `accord run` of a generated consortium book (COUNCILS
# councils, 60 programmes, 10 years), its wall time and peak memory, against copying the pack it
# wrote (`cp -a`, then `sync`) in the same run; and the same with `--no-documents`.
# Goal: at most 4 times the copy's time, and at most 500 MB.
#
#   bench/pack.sh [COUNCILS...]                    (default: 100 200 400)
#   RUNS=5 bench/pack.sh 100                       (runs of each; default 3)
#   ACCORD=path/to/accord bench/pack.sh 400        (time another build, as is)
#   BEFORE=path/to/accord bench/pack.sh 100        (also time that build, in the same rounds)
#   WORK_DIR=/some/folder bench/pack.sh            (where books and packs go)
#
# Wall-clock times on a shared machine are noisy, so each figure is taken RUNS times, the pack
# and the copy alternating (pack, copy, pack, copy, ...), and the table gives the minimum,
# median and maximum of each, and the ratio of the medians. Before each timed step the folder
# the step is about to write (the previous round's pack, or copy) is removed and the disk
# flushed, so that the pack and the copy start from the same state of the file system.
#
# Needs GNU time (/usr/bin/time, Debian package `time`); it installs it with apt-get when it
# is missing and it may.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK_DIR:-${TMPDIR:-/tmp}/accord-pack-bench}"
runs="${RUNS:-3}"
councils=("$@")
[ ${#councils[@]} -gt 0 ] || councils=(100 200 400)

bench=bench/pack.sh
# shellcheck source=bench/prelude.sh
source "$repo/bench/prelude.sh"

# timed NAME COMMAND...: runs the command under GNU time; prints "SECONDS MB CPU" (wall clock,
# peak resident memory, user + system CPU seconds).
timed() {
    local name="$1"
    shift
    /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        cat "$work/$name.err" >&2
        return 1
    }
    local wall kib cpu
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$name.time" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
    kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/$name.time")
    echo "$wall $((kib / 1024)) $cpu"
}

# stats VALUES...: "MIN MEDIAN MAX" of the numbers given.
stats() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%s %.2f %s\n", v[1], m, v[NR] }'
}

# fresh FOLDER: removes FOLDER and flushes the disk, so the next step starts from the same
# state of the file system whatever the step before it left.
fresh() {
    rm -rf "$1"
    sync
}

header='%-8s %-13s %7s %7s %22s %8s %7s %20s %6s %5s\n'
printf "$header" councils run files MB_out "run_s min/med/max" peak_MB cpu_s "copy_s min/med/max" \
    ratio goal
for c in "${councils[@]}"; do
    book="$("$gen" "$work" "$c" 60 10)"
    builds=(after)
    [ -z "${BEFORE:-}" ] || builds=(before after)
    for mode in full no-documents; do
        extra=()
        [ "$mode" = full ] || extra=(--no-documents)
        out="$work/reports-$c-$mode"
        declare -A run_s=() peak=() cpu_s=()
        copy_s=()
        for round in $(seq "$runs"); do
            for build in "${builds[@]}"; do
                binary="$accord"
                [ "$build" = after ] || binary="$BEFORE"
                fresh "$out"
                timing=$(timed "run-$c-$mode-$build" "$binary" run "$book" --out "$out" "${extra[@]}")
                read -r s mb cpu <<<"$timing"
                run_s[$build]="${run_s[$build]:-} $s"
                peak[$build]="${peak[$build]:-} $mb"
                cpu_s[$build]="${cpu_s[$build]:-} $cpu"
            done
            fresh "$out.copy"
            timing=$(timed "copy-$c-$mode" sh -c "cp -a '$out' '$out.copy' && sync")
            read -r s _ _ <<<"$timing"
            copy_s+=("$s")
        done
        files=$(find "$out" -type f | wc -l)
        mb_out=$(du -sm "$out" | cut -f1)
        read -r cmin cmed cmax < <(stats "${copy_s[@]}")
        for build in "${builds[@]}"; do
            # shellcheck disable=SC2086
            read -r rmin rmed rmax < <(stats ${run_s[$build]})
            # shellcheck disable=SC2086
            read -r _ _ pmax < <(stats ${peak[$build]})
            # shellcheck disable=SC2086
            read -r _ cmed_cpu _ < <(stats ${cpu_s[$build]})
            ratio=$(awk -v r="$rmed" -v c="$cmed" 'BEGIN { if (c > 0) printf "%.1f", r / c; else print "-" }')
            goal=$(awk -v r="$rmed" -v c="$cmed" -v m="$pmax" \
                'BEGIN { print ((c > 0 && r <= 4 * c && m <= 500) ? "met" : "not") }')
            name="$mode"
            [ -z "${BEFORE:-}" ] || name="$mode/$build"
            printf "$header" "$c" "$name" "$files" "$mb_out" "$rmin/$rmed/$rmax" "$pmax" \
                "$cmed_cpu" "$cmin/$cmed/$cmax" "$ratio" "$goal"
        done
        unset run_s peak cpu_s
        fresh "$out.copy"
    done
done
echo "($runs runs each, pack and copy alternating; run_s and copy_s: wall-clock seconds," \
    "min/median/max; peak_MB: the largest peak resident memory of the runs; cpu_s: the" \
    "run's user + system CPU seconds, median (steadier than wall time when others load the" \
    "machine); the copy is" \
    "cp -a of the pack the run wrote, then sync; ratio: median run / median copy; goal:" \
    "ratio <= 4 and peak <= 500 MB)" >&2
