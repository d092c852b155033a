#!/usr/bin/env bash
# Builds the libFuzzer targets (clang++-14, ASan+UBSan) in build-fuzz/ and runs each for N seconds on a
# copy of its seed corpus (fuzz/corpus/<target>/). Fails if any target finds a crash, leak, timeout or OOM.
#
#   scripts/fuzz.sh [seconds] [target...]     e.g. scripts/fuzz.sh 3600 manifest zip_scan
#
# Environment: BW_FUZZ_BUILD_DIR (default build-fuzz), BW_FUZZ_ARTIFACTS (where reproducers are kept,
# default <build dir>/fuzz-artifacts). New corpus entries found by a run are discarded.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
build="${BW_FUZZ_BUILD_DIR:-$root/build-fuzz}"
artifacts="${BW_FUZZ_ARTIFACTS:-$build/fuzz-artifacts}"

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [seconds] [target...]" >&2
  exit 2
fi
if ! command -v clang++-14 >/dev/null; then
  echo "fuzz.sh: clang++-14 not found (scripts/setup.sh installs clang-14 and libclang-rt-14-dev)" >&2
  exit 1
fi

# Configure once with clang (the compiler of an existing build dir cannot change; the build step below
# re-runs CMake when a CMakeLists changed). The top-level CMakeLists uses ccache when it is installed.
# Shared libraries under the sanitizers: the static linking of the image build is not what is fuzzed.
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DBW_FUZZ=ON -DBW_BUILD_TESTS=OFF \
    -DBW_BUILD_BENCH=OFF -DBW_STATIC_DEPS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
else
  cmake -S "$root" -B "$build" -DBW_STATIC_DEPS=OFF >/dev/null
fi
cmake --build "$build" --target fuzz_targets

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for src in "$root"/fuzz/*_fuzz.cpp; do
    name="$(basename "$src" .cpp)"
    targets+=("${name%_fuzz}")
  done
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bw-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for t in "${targets[@]}"; do
  bin="$build/fuzz/${t}_fuzz"
  if [ ! -x "$bin" ]; then
    echo "fuzz.sh: no target '$t' ($bin)" >&2
    failed+=("$t")
    continue
  fi
  corpus="$work/corpus-$t"
  mkdir -p "$corpus"
  if [ -d "$root/fuzz/corpus/$t" ]; then cp -r "$root/fuzz/corpus/$t/." "$corpus/"; fi
  log="$work/$t.log"
  start=$(date +%s)
  if TMPDIR="$work" "$bin" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz $t: ok, ${execs:-?} executions in $(($(date +%s) - start)) s, $cov, corpus $(ls "$corpus" | wc -l) files"
  else
    echo "fuzz $t: FAILED (log tail below; reproducers in $artifacts)" >&2
    tail -n 60 "$log" >&2
    for f in $(grep -o "Test unit written to [^ ]*" "$log" | sed 's/Test unit written to //'); do
      echo "reproducer $f (hex): $(head -c 4096 "$f" | od -An -tx1 | tr -d ' \n')" >&2
    done
    failed+=("$t")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz.sh: findings or errors in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets ran ${seconds} s without a finding"
