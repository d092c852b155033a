#!/usr/bin/env bash
# Builds the container image from the Dockerfile with podman (or docker when its daemon answers), then
# smoke-runs it the way ECS Fargate does: read-only root, tmpfs /tmp, uid 1000, only the two settings.
# The settings are deliberately bogus and the container has no network, so the service starts degraded
# (configuration unresolvable, retried with backoff) and the image's HEALTHCHECK (`benchling-webhook
# health` -> /health/live) must still pass: an AWS outage must not get healthy tasks replaced.
#
#   scripts/image.sh [--tag NAME] [--no-run] [--bootstrap] [--push REPOSITORY_URI [--push-tag TAG]]
#
#   --tag NAME    image name (default benchling-webhook:local)
#   --no-run      build only (no smoke run)
#   --push URI    then push to this ECR repository, <account>.dkr.ecr.<region>.amazonaws.com/<name>: builds
#                 for linux/amd64 (the task's platform), creates the repository if it is missing (scan on
#                 push), logs in with `aws ecr get-login-password` (the password goes through a pipe, never
#                 the command line), pushes, and prints the --image-uri to give `benchling-webhook deploy`
#   --push-tag T  the pushed tag (default: the project version and the git commit, e.g. 0.1.0-1a2b3c4)
#   --bootstrap   if the base image debian:bookworm is missing and cannot be pulled, make it locally with
#                 debootstrap (minbase, ~40 s, ~200 MB) and import it (for machines with no registry)
#
# Podman where root lacks CAP_SYS_RESOURCE or cgroups are hybrid (these sandboxes): unless CONTAINERS_CONF
# is already set, the script points it at a file selecting runc, cgroupfs and explicit ulimits.
set -euo pipefail

tag=benchling-webhook:local
run=1
bootstrap=0
push=""
push_tag=""
usage="usage: $0 [--tag NAME] [--no-run] [--bootstrap] [--push REPOSITORY_URI [--push-tag TAG]]"
while (($#)); do
  case $1 in
    --tag) tag=$2; shift 2 ;;
    --no-run) run=0; shift ;;
    --bootstrap) bootstrap=1; shift ;;
    --push) push=${2:-}; shift 2 || { echo "$usage" >&2; exit 2; } ;;
    --push-tag) push_tag=${2:-}; shift 2 || { echo "$usage" >&2; exit 2; } ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."

# Checked before the long build: an ECR repository URI without a tag.
if [ -n "$push" ]; then
  if [[ ! $push =~ ^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/([a-z0-9._/-]+)$ ]]; then
    echo "image: --push takes an ECR repository URI without a tag, e.g." \
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/benchling-webhook (got '$push')" >&2
    exit 2
  fi
  registry=${push%%/*}
  push_region=${BASH_REMATCH[2]}
  repository=${BASH_REMATCH[3]}
  command -v aws >/dev/null || { echo "image: --push needs the aws CLI (apt-get install awscli)" >&2; exit 1; }
  if [ -z "$push_tag" ]; then
    version=$(sed -n 's/^project(benchling_webhook VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
    push_tag=$version-$(git rev-parse --short=7 HEAD 2>/dev/null || echo local)
  fi
fi
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
# Pushed images run on Fargate's X86_64: say so, so a build on an ARM machine does not push arm64.
platform=()
[ -n "$push" ] && platform=(--platform linux/amd64)
build_args=(build "${platform[@]}" --network=host -t "$tag" -f Dockerfile .)
[ "$engine" = podman ] && build_args=(build "${platform[@]}" --format docker --network=host -t "$tag" -f Dockerfile .)
$engine "${build_args[@]}"

size=$($engine image inspect --format '{{.Size}}' "$tag")
awk -v s="$size" -v t="$tag" 'BEGIN { printf "image: %s is %d bytes (%.1f MiB)\n", t, s, s / 1048576 }'

push_image() {
  [ -n "$push" ] || return 0
  if ! aws ecr describe-repositories --region "$push_region" --repository-names "$repository" >/dev/null 2>&1; then
    echo "image: creating ECR repository $repository in $push_region"
    aws ecr create-repository --region "$push_region" --repository-name "$repository" \
      --image-scanning-configuration scanOnPush=true >/dev/null
  fi
  aws ecr get-login-password --region "$push_region" | $engine login --username AWS --password-stdin "$registry"
  $engine tag "$tag" "$push:$push_tag"
  $engine push "$push:$push_tag"
  echo "image: pushed $push:$push_tag"
  echo "Deploy it with: benchling-webhook deploy --image-uri $push:$push_tag"
}

if ((!run)); then
  push_image
  exit 0
fi

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
    push_image
    exit 0
  fi
  sleep 1
done
echo "image: the health check did not pass within 30 s; logs:" >&2
$engine logs "$container" >&2
exit 1
