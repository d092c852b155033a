"""Waiting for an event (a log line, a request the fake saw, a queue state) instead of for a fixed time."""
import json
import time


def wait_for(predicate, timeout, what, context=lambda: ""):
    """The first truthy value of `predicate()`, polled every 50 ms; after `timeout` s an AssertionError naming
    `what`, followed by `context()` (e.g. the service's last output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{context()}".rstrip())


def log_lines(lines) -> list:
    """The JSON log lines among `lines` (the service's output lines), parsed; anything else skipped."""
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def proc_status(pid) -> dict:
    """VmRSS (KiB), Threads, open fds and CPU seconds (user + system) of a process, from /proc."""
    import os

    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key == "VmRSS":
                out["rss_kib"] = int(value.split()[0])
            elif key == "Threads":
                out["threads"] = int(value)
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    out["cpu_s"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return out
