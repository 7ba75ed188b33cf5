#!/usr/bin/env bash
# The pack benchmark (issue 11): the whole `accord run` of a generated consortium book (COUNCILS
# councils, 60 programmes, 10 years), its wall time and peak memory, against copying the pack it
# wrote (`cp -a`, then `sync`) in the same run; and the same with `--no-documents`.
# Goal: at most 4 times the copy's time, and at most 500 MB.
#
#   bench/pack.sh [COUNCILS...] [WORK_DIR=...]     (default: 100 200 400)
#   ACCORD=path/to/accord bench/pack.sh 400        (time another build, as is)
#
# Needs GNU time (/usr/bin/time, Debian package `time`); it installs it with apt-get when it
# is missing and it may.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK_DIR:-${TMPDIR:-/tmp}/accord-pack-bench}"
councils=("$@")
[ ${#councils[@]} -gt 0 ] || councils=(100 200 400)

if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        echo "bench/pack.sh: needs /usr/bin/time (Debian package time)" >&2
        exit 1
    fi
fi

target="${CARGO_TARGET_DIR:-$repo/target}"
echo "building accord and the book generator (release)..." >&2
(cd "$repo" && cargo build --release --quiet --bin accord --example gen_book)
accord="${ACCORD:-$target/release/accord}"
gen="$target/release/examples/gen_book"
mkdir -p "$work"

# timed NAME COMMAND...: runs the command under GNU time; prints "SECONDS MB" (wall clock,
# peak resident memory).
timed() {
    local name="$1"
    shift
    /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        cat "$work/$name.err" >&2
        return 1
    }
    local wall kib
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$name.time" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
    kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
    echo "$wall $((kib / 1024))"
}

printf '%-8s %-14s %8s %8s %9s %8s %8s %6s %6s\n' \
    councils run files MB_out run_s peak_MB copy_s ratio goal
for c in "${councils[@]}"; do
    book="$("$gen" "$work" "$c" 60 10)"
    for mode in full no-documents; do
        out="$work/reports-$c-$mode"
        rm -rf "$out" "$out.copy"
        extra=()
        [ "$mode" = full ] || extra=(--no-documents)
        sync
        read -r run_s peak_mb < <(timed "run-$c-$mode" "$accord" run "$book" --out "$out" "${extra[@]}")
        files=$(find "$out" -type f | wc -l)
        mb_out=$(du -sm "$out" | cut -f1)
        sync
        read -r copy_s _ < <(timed "copy-$c-$mode" sh -c "cp -a '$out' '$out.copy' && sync")
        ratio=$(awk -v r="$run_s" -v c="$copy_s" 'BEGIN { if (c > 0) printf "%.1f", r / c; else print "-" }')
        goal=$(awk -v r="$run_s" -v c="$copy_s" -v m="$peak_mb" \
            'BEGIN { print ((c > 0 && r <= 4 * c && m <= 500) ? "met" : "not") }')
        printf '%-8s %-14s %8s %8s %9s %8s %8s %6s %6s\n' \
            "$c" "$mode" "$files" "$mb_out" "$run_s" "$peak_mb" "$copy_s" "$ratio" "$goal"
        rm -rf "$out.copy"
    done
done
echo "(run_s and copy_s: wall-clock seconds; peak_MB: the run's peak resident memory; the copy" \
    "is cp -a of the pack the run wrote, then sync; goal: run <= 4 x copy and <= 500 MB)" >&2
