#!/usr/bin/env bash
# Builds the container image from the Dockerfile with podman (or docker when its daemon answers), then
# smoke-runs it the way ECS Fargate does: read-only root, tmpfs /tmp, uid 1000, only the two settings.
# The settings are deliberately bogus and the container has no network, so the service starts degraded
# (configuration unresolvable, retried with backoff) and the image's HEALTHCHECK (`benchling-webhook
# health` -> /health/live) must still pass: an AWS outage must not get healthy tasks replaced.
#
#   scripts/image.sh [--tag NAME] [--no-run] [--bootstrap]
#
#   --tag NAME    image name (default benchling-webhook:local)
#   --no-run      build only
#   --bootstrap   if the base image debian:bookworm is missing and cannot be pulled, make it locally with
#                 debootstrap (minbase, ~40 s, ~200 MB) and import it (for machines with no registry)
#
# Podman where root lacks CAP_SYS_RESOURCE or cgroups are hybrid (these sandboxes): unless CONTAINERS_CONF
# is already set, the script points it at a file selecting runc, cgroupfs and explicit ulimits.
set -euo pipefail

tag=benchling-webhook:local
run=1
bootstrap=0
while (($#)); do
  case $1 in
    --tag) tag=$2; shift 2 ;;
    --no-run) run=0; shift ;;
    --bootstrap) bootstrap=1; shift ;;
    *) echo "usage: $0 [--tag NAME] [--no-run] [--bootstrap]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
base=docker.io/library/debian:bookworm
work=$(mktemp -d)
container=""
cleanup() {
  [ -n "$container" ] && $engine rm -f "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if command -v podman >/dev/null; then
  engine=podman
  if [ -z "${CONTAINERS_CONF:-}" ] && command -v runc >/dev/null; then
    cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
EOF
    export CONTAINERS_CONF=$work/containers.conf
  fi
elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  engine=docker
else
  echo "image: neither podman nor a running docker daemon; apt-get install podman buildah runc uidmap" >&2
  exit 1
fi

# The base image: local, else pulled, else (with --bootstrap) debootstrapped from the apt mirror.
if ! $engine image inspect "$base" >/dev/null 2>&1 && ! $engine pull -q "$base" >/dev/null 2>&1; then
  if ((!bootstrap)); then
    cat >&2 <<EOF
image: $base is not available and cannot be pulled (no registry reachable?).
Re-run with --bootstrap to build it locally, which does:
  apt-get install -y debootstrap
  debootstrap --variant=minbase bookworm DIR http://deb.debian.org/debian
  tar -C DIR -c . | $engine import - $base
EOF
    exit 1
  fi
  command -v debootstrap >/dev/null || { echo "image: apt-get install -y debootstrap" >&2; exit 1; }
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "image: debootstrapping $base from $mirror" >&2
  debootstrap --variant=minbase bookworm "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/base" -c . | $engine import - "$base" >/dev/null
fi

# --format docker: the OCI image format has no HEALTHCHECK. --network=host: apt-get in the build stage.
build_args=(build --network=host -t "$tag" -f Dockerfile .)
[ "$engine" = podman ] && build_args=(build --format docker --network=host -t "$tag" -f Dockerfile .)
$engine "${build_args[@]}"

size=$($engine image inspect --format '{{.Size}}' "$tag")
awk -v s="$size" -v t="$tag" 'BEGIN { printf "image: %s is %d bytes (%.1f MiB)\n", t, s, s / 1048576 }'
((run)) || exit 0

# As ECS runs it: read-only root, writable /tmp, the two settings only; no network, so nothing leaves.
container=$($engine run -d --read-only --tmpfs /tmp:rw,mode=1777,size=64m --network=none \
  -e QuiltStackARN=arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-smoke/00000000-0000-0000-0000-000000000000 \
  -e BenchlingSecret=benchling-webhook-smoke "$tag")
for _ in $(seq 1 30); do
  if [ "$($engine inspect --format '{{.State.Running}}' "$container")" != true ]; then
    echo "image: the container exited:" >&2
    $engine logs "$container" >&2
    exit 1
  fi
  if $engine healthcheck run "$container" >/dev/null 2>&1 ||
    { [ "$engine" = docker ] &&
      [ "$(docker inspect --format '{{.State.Health.Status}}' "$container")" = healthy ]; }; then
    user=$($engine inspect --format '{{.Config.User}}' "$container")
    echo "image: healthy (read-only root, user $user); last log lines:"
    $engine logs "$container" 2>&1 | tail -3
    exit 0
  fi
  sleep 1
done
echo "image: the health check did not pass within 30 s; logs:" >&2
$engine logs "$container" >&2
exit 1
