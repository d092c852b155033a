#!/usr/bin/env bash
# Installs everything the build, tests and demo need on Debian 12. Idempotent: a second run changes nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  clang-14 clang-format libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libcurl4-openssl-dev libpugixml-dev libcli11-dev libyaml-cpp-dev libarchive-dev libxml2-dev
  libgtest-dev libgmock-dev libbenchmark-dev wrk
  python3 python3-pip
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# moto_server (AWS at the wire) and Python cryptography (the independent webhook signer of the fake Benchling).
if ! command -v moto_server >/dev/null 2>&1; then
  python3 -m pip install --quiet 'moto[server]' || {
    echo "setup: moto_server is missing and 'pip install moto[server]' failed; install it and re-run" >&2
    exit 1
  }
fi
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install --quiet cryptography
# cfn-lint checks the generated CloudFormation template; PyYAML reads the app manifest back (tests only).
command -v cfn-lint >/dev/null 2>&1 || python3 -m pip install --quiet cfn-lint
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml
# The fake Benchling validates requests against Benchling's OpenAPI document (moto[server] brings it too).
python3 -c 'import openapi_schema_validator' 2>/dev/null || python3 -m pip install --quiet openapi-schema-validator
echo "setup: ok" >&2
