#!/usr/bin/env bash
# Runs accord's fuzzers: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET ...]
#   targets: csv_book workbook ledger values (all four when none is named)
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). The first build is
# long: calamine and the other dependencies are rebuilt with coverage instrumentation.
#
# Each target starts from the seeds in corpus/TARGET (seed-* files are kept in git; what the
# fuzzer adds there is not). A crash is saved in artifacts/TARGET/ and stops that target; the
# script then exits 1. Logs go to logs/TARGET.log; the last line of each is the final
# coverage and execution count.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-600}"
shift || true
if [ $# -gt 0 ]; then targets=("$@"); else targets=(csv_book workbook ledger values); fi

# No sanitizer: accord is safe Rust, so what the fuzzers look for is panics (assertions
# included), hangs and memory blow-ups. Debug assertions turn on overflow checks.
build_flags=(--release --debug-assertions --sanitizer none)
cargo +nightly fuzz build "${build_flags[@]}"

export ACCORD_FUZZ_TMP="${ACCORD_FUZZ_TMP:-/dev/shm}"
mkdir -p logs
status=0
for target in "${targets[@]}"; do
  case "$target" in
    workbook) max_len=131072 ;;
    csv_book) max_len=32768 ;;
    ledger) max_len=16384 ;;
    *) max_len=256 ;;
  esac
  mkdir -p "corpus/$target" "artifacts/$target"
  echo "== $target: ${seconds}s"
  # -rss_limit_mb and -malloc_limit_mb hold each input to accord's promise of 2 GiB;
  # -timeout calls any single input taking over 20 s a hang.
  if ! cargo +nightly fuzz run "${build_flags[@]}" "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -max_len="$max_len" -timeout=20 \
      -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="artifacts/$target/" >"logs/$target.log" 2>&1; then
    echo "   $target FOUND A PROBLEM: see logs/$target.log and artifacts/$target/"
    status=1
  fi
  grep -E '^#[0-9]+' "logs/$target.log" | tail -1 || true
  grep -E '^stat::number_of_executed_units' "logs/$target.log" || true
done
exit "$status"
