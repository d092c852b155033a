"""The binary in an empty root: only what scripts/rootfs.sh puts there (the container image's whole
filesystem), run as uid 1000 on a read-only root with a writable /tmp, as ECS Fargate runs it.

The root is a directory, entered with chroot inside a private mount namespace where it is bind-mounted
read-only and /tmp is a fresh tmpfs. As root that is `unshare --mount`; as anyone else,
`unshare --user --map-root-user --mount` (then the service runs as the mapped user, not uid 1000).
Where no mount namespace can be made, the root's files lose their write bits instead (all but /tmp).
The network namespace is the host's, so moto and the fake Benchling on loopback are reachable.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import leaks, service
from harness.fake_benchling import FakeBenchling
from harness.moto import MotoServer
from harness.ports import free_port
from harness.service import Service, base_env
from harness.world import CLIENT_SECRET, World

HERE = os.path.dirname(os.path.abspath(__file__))
ROOTFS_SH = os.path.join(HERE, "..", "..", "scripts", "rootfs.sh")
IN_ROOT_BINARY = "/usr/local/bin/benchling-webhook"
MAX_ROOTFS_BYTES = 25 * 1024 * 1024  # DESIGN.md: container image <= 25 MiB
AS_ROOT = os.geteuid() == 0
APP_UID = 1000


def setUpModule():
    global WORKDIR, ROOT, WRAPPER, READ_ONLY_MOUNT
    WORKDIR = tempfile.mkdtemp(prefix="bw-image-")
    ROOT = os.path.join(WORKDIR, "rootfs")
    p = subprocess.run(["bash", ROOTFS_SH, service.BINARY, ROOT], capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        shutil.rmtree(WORKDIR, ignore_errors=True)
        raise RuntimeError(f"rootfs.sh failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    READ_ONLY_MOUNT = _can_mount_read_only()
    if not READ_ONLY_MOUNT:  # no mount namespace here: take the write bits instead (all but /tmp)
        for dirpath, dirs, files in os.walk(ROOT):
            for name in dirs + files:
                path = os.path.join(dirpath, name)
                if path != os.path.join(ROOT, "tmp") and not os.path.islink(path):
                    os.chmod(path, os.stat(path).st_mode & ~0o222)
        os.chmod(ROOT, 0o555)
    WRAPPER = _write_wrapper()


def tearDownModule():
    if not READ_ONLY_MOUNT:
        subprocess.run(["chmod", "-R", "u+w", ROOT], check=False)
    shutil.rmtree(WORKDIR, ignore_errors=True)


def _unshare() -> str:
    return "unshare --mount --propagation private " if AS_ROOT else \
        "unshare --user --map-root-user --mount --propagation private "


def _can_mount_read_only() -> bool:
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0"'
    p = subprocess.run(_unshare().split() + ["/bin/sh", "-c", script, ROOT], capture_output=True, timeout=30)
    return p.returncode == 0


def _write_wrapper() -> str:
    """A host-side launcher: `wrapper ARGS` runs `benchling-webhook ARGS` inside the read-only root.
    Each stage execs the next, so the service keeps the launcher's pid and gets its signals."""
    userspec = f"--userspec={APP_UID}:{APP_UID} " if AS_ROOT else ""
    chroot = f'exec chroot {userspec}"$0" {IN_ROOT_BINARY} "$@"'
    if READ_ONLY_MOUNT:
        chroot = ('mount --bind "$0" "$0"; mount -o remount,bind,ro "$0"; '
                  'mount -t tmpfs -o mode=1777,size=64m tmpfs "$0/tmp"; ' + chroot)
    path = os.path.join(WORKDIR, "in-root")
    with open(path, "w") as f:
        f.write("#!/bin/sh\n"
                f"exec {_unshare()}/bin/sh -ec '{chroot}' \"{ROOT}\" \"$@\"\n")
    os.chmod(path, 0o755)
    return path


def in_root(args, env=None, timeout=60):
    """Runs the binary inside the root; returns (exit code, stdout, stderr)."""
    p = subprocess.run([WRAPPER, *args], env=env or base_env(), capture_output=True, text=True, timeout=timeout)
    leaks.record(p.stdout)
    leaks.record(p.stderr)
    return p.returncode, p.stdout, p.stderr


class RootFilesystem(unittest.TestCase):
    def test_holds_no_shell_or_busybox(self):
        found = []
        for dirpath, _, files in os.walk(ROOT):
            found += [os.path.join(dirpath, f) for f in files if f in ("sh", "bash", "dash", "busybox")]
        self.assertFalse(os.path.lexists(os.path.join(ROOT, "bin", "sh")))
        self.assertEqual(found, [])

    def test_total_size_is_within_the_image_budget(self):
        total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(ROOT) for f in files
                    if not os.path.islink(os.path.join(d, f)))
        self.assertLessEqual(total, MAX_ROOTFS_BYTES,
                             f"{total / 1048576:.1f} MiB > 25 MiB; largest files:\n" + _largest_files())

    def test_has_the_binary_ca_bundle_app_user_and_sticky_tmp(self):
        self.assertTrue(os.access(os.path.join(ROOT, IN_ROOT_BINARY.lstrip("/")), os.X_OK))
        with open(os.path.join(ROOT, "etc/ssl/certs/ca-certificates.crt")) as f:
            self.assertIn("BEGIN CERTIFICATE", f.read())
        with open(os.path.join(ROOT, "etc/passwd")) as f:
            self.assertIn(f"app:x:{APP_UID}:{APP_UID}:", f.read())
        with open(os.path.join(ROOT, "etc/nsswitch.conf")) as f:
            self.assertRegex(f.read(), r"(?m)^hosts:\s+files dns$")
        self.assertEqual(os.stat(os.path.join(ROOT, "tmp")).st_mode & 0o7777, 0o1777)

    def test_version_runs_with_nothing_but_the_root(self):
        code, out, err = in_root(["--version"])
        self.assertEqual(code, 0, err)
        self.assertRegex(out.strip(), r"^benchling-webhook \d+\.\d+\.\d+")


class ServeInTheRoot(unittest.TestCase):
    """serve inside the root against moto and the fake Benchling on loopback: ready, and probed by the
    image's health check (`benchling-webhook health`), itself run inside the root."""

    @classmethod
    def setUpClass(cls):
        cls.moto = MotoServer().start()
        cls.fake = FakeBenchling().start()
        stack_arn, secret = World(cls.moto).default(cls.fake)
        env = base_env(cls.moto.url, QuiltStackARN=stack_arn, BenchlingSecret=secret)
        cls.service = Service(env)
        original, service.BINARY = service.BINARY, WRAPPER  # Service runs `BINARY serve`
        try:
            cls.service.start()
        finally:
            service.BINARY = original
        cls.ready = cls.service.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.fake.stop()
        cls.moto.stop()
        leaks.assert_never_seen(CLIENT_SECRET, minimum=3)

    def test_becomes_ready_with_stack_secret_and_keys_resolved(self):
        self.assertEqual(self.ready["status"], "ready")

    @unittest.skipUnless(AS_ROOT, "the app uid exists only when the test runs as root")
    def test_service_runs_as_uid_1000(self):
        with open(f"/proc/{self.service.proc.pid}/status") as f:
            uids = next(line for line in f if line.startswith("Uid:")).split()[1:]
        self.assertEqual(set(uids), {str(APP_UID)})

    def test_service_root_is_read_only_and_tmp_writable(self):
        if not READ_ONLY_MOUNT:  # the fallback: no write bit anywhere but /tmp
            writable = [d for d, dirs, files in os.walk(ROOT) for n in dirs + files
                        if os.stat(os.path.join(d, n)).st_mode & 0o222 and os.path.join(d, n) != ROOT + "/tmp"]
            self.assertEqual(writable, [])
            return
        mounts = {}
        with open(f"/proc/{self.service.proc.pid}/mountinfo") as f:
            for line in f:
                fields = line.split()
                mounts[fields[4]] = fields[5].split(",")  # mount point (as the process sees it), options
        self.assertIn("ro", mounts["/"])
        self.assertIn("rw", mounts["/tmp"])

    def test_health_probe_in_the_root_exits_0_for_the_live_service(self):
        url = f"http://127.0.0.1:{self.service.port}/health/live"
        code, out, err = in_root(["health", "--url", url, "--timeout", "5"])
        self.assertEqual(code, 0, out + err)
        self.assertIn("200", out)

    def test_health_probe_in_the_root_exits_1_when_nothing_listens(self):
        url = f"http://127.0.0.1:{free_port()}/health/live"
        code, out, err = in_root(["health", "--url", url, "--timeout", "2"])
        self.assertEqual(code, 1, out + err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_health_probe_exits_1_when_the_service_answers_other_than_200(self):
        url = f"http://127.0.0.1:{self.service.port}/no-such-route"
        code, out, err = in_root(["health", "--url", url, "--timeout", "5"])
        self.assertEqual(code, 1, out + err)
        self.assertIn("404", err)


def _largest_files(n=8) -> str:
    sizes = sorted(((os.path.getsize(os.path.join(d, f)), os.path.join(d, f)[len(ROOT):])
                    for d, _, files in os.walk(ROOT) for f in files), reverse=True)
    return "\n".join(f"  {s / 1048576:6.2f} MiB {p}" for s, p in sizes[:n])


if __name__ == "__main__":
    unittest.main()
