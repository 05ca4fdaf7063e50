#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a bounded time from the committed
# corpus, on the stable toolchain: the flags are the ones `cargo fuzz`
# passes (coverage instrumentation for libFuzzer), without a sanitizer.
# Usage: .ci/fuzz.sh [SECONDS_PER_TARGET]   (default 45)
# A fixed seed and a bounded number of runs per target keep CI repeatable:
# the same commit explores the same inputs (the time bound is a backstop).
# A crash stops the run with libFuzzer's report and the crashing input in
# fuzz/artifacts/<target>/; keep it under fuzz/regressions/<target>/ so
# that tests/it/fuzz_regressions.rs replays it in every `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-45}"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares"
# Debug assertions and overflow checks come from fuzz/Cargo.toml's profile.
# With an explicit --target, RUSTFLAGS reach the fuzzed code only, not the
# build scripts and proc-macros (as `cargo fuzz` does it).
host="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --quiet --bins --target "$host"
for t in rules query ingest docx; do
  # A Word document is a zip of some 60 KB; text inputs stay short.
  max_len=8192
  runs=60000
  case "$t" in
    ingest) runs=200000 ;;
    docx) max_len=131072; runs=40000 ;;
  esac
  work="$(mktemp -d)"
  mkdir -p "artifacts/$t"
  echo "== fuzz $t ($runs runs, at most ${secs}s)"
  # A copy of the seed corpus grows; the committed one stays as it is.
  cp -r "corpus/$t/." "$work/"
  if ! "target/$host/release/$t" "$work" -seed=1 -runs="$runs" -max_total_time="$secs" -max_len="$max_len" -rss_limit_mb=4096 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"$work.log" 2>&1; then
    # The panic message first (the backtrace after it can be long).
    grep -m1 -A3 "panicked at" "$work.log" || true
    tail -n 30 "$work.log"
    echo "fuzz target $t crashed; the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
  grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$work.log" || tail -n 3 "$work.log"
  rm -rf "$work" "$work.log"
done
