#!/usr/bin/env bash
# Interleaved rounds of bench/webhook_load.py for several binaries, one line per run: on a shared machine
# the speed drifts between minutes, so binaries are compared run by run, each against its own bracketing
# `openssl speed` reference, and by the median over the rounds.
# Usage: bench/webhook_ab.sh ROUNDS BINARY... (e.g. bench/webhook_ab.sh 5 /tmp/bw-old /tmp/bw-new)
# Extra load options come from WEBHOOK_LOAD_ARGS (default: 8 s, 128 connections, 90,000 deliveries, INFO).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1
shift
args=${WEBHOOK_LOAD_ARGS:---seconds 8 --connections 128 --deliveries 90000}
for round in $(seq 1 "$rounds"); do
  for binary in "$@"; do
    # shellcheck disable=SC2086
    out=$(BW_BINARY=$binary python3 bench/webhook_load.py $args 2>&1)
    ratio=$(grep -oE 'ratio: [0-9.]+' <<<"$out" | grep -oE '[0-9.]+$')
    efficiency=$(grep -oE 'efficiency.*= [0-9.]+' <<<"$out" | grep -oE '[0-9.]+$')
    cpu=$(grep -oE '= [0-9.]+ us \(one verify: [0-9.]+' <<<"$out" | grep -oE '[0-9.]+' | tr '\n' ' ')
    echo "round $round $(basename "$binary"): ratio ${ratio} %, CPU efficiency ${efficiency} %, CPU/request and verify (us): ${cpu}"
  done
done
