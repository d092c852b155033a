#!/usr/bin/env bash
# The service end to end on an embedded default: moto_server as AWS, a Quilt-like stack and a
# Benchling secret, the real binary started with only the two settings. Prints what it resolved.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target benchling-webhook
BW_BINARY=build/benchling-webhook PYTHONPATH=tests python3 -m harness.demo
