#!/usr/bin/env bash
# Builds one libFuzzer harness of Fuzz/ (with AddressSanitizer) and runs it.
#
#   scripts/fuzz.sh <npy|npz|raw|torch|safetensors> [seconds=600] [extra libFuzzer flags...]
#
# The working corpus grows in Fuzz/corpus/<reader>/ (ignored by git), seeded from
# fixtures/fuzz/<reader>/ (committed). Crashes, timeouts and out-of-memory inputs are written to
# Fuzz/artifacts/<reader>/ (ignored); the output is also saved in Fuzz/logs/<reader>-<time>.log.
# Memory blow-ups (> 2 GiB RSS or one malloc > 2 GiB) and inputs taking > 10 s are findings.
# To replay one input: Fuzz/.build-fuzz/release/FuzzNPY path/to/input (with SWIFT_BACKTRACE=enable=no).
set -euo pipefail

usage() { echo "usage: $0 <npy|npz|raw|torch|safetensors> [seconds] [libFuzzer flags...]" >&2; exit 64; }
[ $# -ge 1 ] || usage
reader=$1
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))
case $reader in
  npy) product=FuzzNPY ;;
  npz) product=FuzzNPZ ;;
  raw) product=FuzzRaw ;;
  torch) product=FuzzTorch ;;
  safetensors) product=FuzzSafetensors ;;
  *) usage ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/Fuzz"
# `--sanitize=fuzzer` makes SwiftPM link libFuzzer's main; `-Xswiftc -sanitize=fuzzer,address`
# instruments every Swift module (BRLData, RankingLosses, ZIPFoundation too) for coverage and ASan.
# (Two `--sanitize` flags would keep only the last; `-Xswiftc` alone links no fuzzer main.)
swift build -c release --scratch-path .build-fuzz --sanitize=fuzzer \
  -Xswiftc -sanitize=fuzzer,address --product "$product"

mkdir -p "corpus/$reader" "artifacts/$reader" logs
dict=()
[ -f "dict/$reader.dict" ] && dict=(-dict="dict/$reader.dict")
log="logs/$reader-$(date +%Y%m%d-%H%M%S).log"
echo "fuzzing $reader for ${seconds}s; log: Fuzz/$log" >&2
# Swift's own backtracer would fight AddressSanitizer over the crash signals.
SWIFT_BACKTRACE=enable=no ".build-fuzz/release/$product" \
  -max_total_time="$seconds" -detect_leaks=0 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
  -timeout=10 -print_final_stats=1 -artifact_prefix="artifacts/$reader/" "${dict[@]}" "$@" \
  "corpus/$reader" "$root/fixtures/fuzz/$reader" 2>&1 | tee "$log"
exit "${PIPESTATUS[0]}"
