#!/usr/bin/env bash
# Assembles the smallest root filesystem benchling-webhook runs in: the stripped binary, the shared
# libraries the loader resolves for it (paths as ldd prints them), the CA bundle libcurl reads, users and
# groups for uid 1000, glibc's name-service configuration, and /tmp. Nothing else: no shell, no package
# manager. The Dockerfile copies the result into a FROM scratch image; tests/integration/test_image.py
# runs the binary inside it.
#
#   scripts/rootfs.sh BINARY OUTDIR      OUTDIR must be missing or empty; prints the total size
#
# DNS: glibc 2.34+ has the files and dns NSS modules inside libc.so.6 (libnss_dns.so.2 is an empty stub),
# so nsswitch.conf plus the resolv.conf and hosts that the container runtime mounts are all it needs.
set -euo pipefail

usage() { echo "usage: $0 BINARY OUTDIR" >&2; exit 2; }
(($# == 2)) || usage
binary=$1
out=$2
ca_bundle=/etc/ssl/certs/ca-certificates.crt  # libcurl's default on Debian (curl-config --ca)

[ -f "$binary" ] && [ -x "$binary" ] || { echo "rootfs: $binary is not an executable file" >&2; exit 1; }
command -v strip >/dev/null || { echo "rootfs: strip is missing: apt-get install binutils" >&2; exit 1; }
[ -f "$ca_bundle" ] || { echo "rootfs: $ca_bundle is missing: apt-get install ca-certificates" >&2; exit 1; }
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "rootfs: $out is not empty; give a new or empty directory" >&2
  exit 1
fi
mkdir -p "$out"

# Copies host file $1 (symlinks followed) to the same path under $out, keeping its mode.
copy_in() {
  mkdir -p "$out$(dirname "$1")"
  cp -L --preserve=mode "$1" "$out$1"
}

install -D -m 0755 "$binary" "$out/usr/local/bin/benchling-webhook"
strip --strip-all "$out/usr/local/bin/benchling-webhook"  # symbol tables are a fifth of a Release binary

# Every library the loader resolves, including the loader itself. A static binary needs none.
if ldd_out=$(ldd "$binary" 2>&1); then
  if grep -q 'not found' <<<"$ldd_out"; then
    echo "rootfs: $binary needs libraries that are not installed:" >&2
    grep 'not found' <<<"$ldd_out" >&2
    exit 1
  fi
  # "libx.so.1 => /path (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"; linux-vdso has no file.
  while read -r lib; do
    copy_in "$lib"
  done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$ldd_out" | sort -u)
elif ! grep -q 'not a dynamic executable' <<<"$ldd_out"; then
  echo "rootfs: ldd $binary failed: $ldd_out" >&2
  exit 1
fi

mkdir -p "$out/etc/ssl/certs"
cp -L "$ca_bundle" "$out$ca_bundle"
chmod 0644 "$out$ca_bundle"

# uid/gid 1000 is the service's user (ECS task definition and the Dockerfile's USER); root and nobody
# are there so tools that map ids to names (podman exec, ps on the host) find them.
cat >"$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/usr/sbin/nologin
app:x:1000:1000:benchling-webhook:/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$out/etc/group" <<'EOF'
root:x:0:
app:x:1000:
nogroup:x:65534:
EOF
cat >"$out/etc/nsswitch.conf" <<'EOF'
passwd: files
group:  files
hosts:  files dns
EOF
# The runtime mounts its own /etc/hosts and /etc/resolv.conf over these; outside one (chroot) localhost
# still resolves.
cat >"$out/etc/hosts" <<'EOF'
127.0.0.1 localhost
::1       localhost ip6-localhost ip6-loopback
EOF
chmod 0644 "$out"/etc/passwd "$out"/etc/group "$out"/etc/nsswitch.conf "$out"/etc/hosts

# The only writable place: the export spools its temporary files here (a tmpfs in ECS and podman).
mkdir -p "$out/tmp"
chmod 1777 "$out/tmp"

bytes=$(find "$out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
files=$(find "$out" -type f | wc -l)
awk -v b="$bytes" -v n="$files" -v d="$out" \
  'BEGIN { printf "rootfs: %d bytes (%.1f MiB) in %d files at %s\n", b, b / 1048576, n, d }'
