"""README's "First deploy in a real account", run as written: every `console` block's command against moto,
its printed lines checked against what the command prints. A README line may hold `…` for a part that
differs per run (hashes, ids); a line that is only `…` stands for any number of lines. Lines shown next to
each other must be next to each other in the output, so the walkthrough cannot drift from the tool."""
import os
import re
import shlex
import subprocess
import tempfile
import unittest

from harness import leaks, service
from harness.ecr import push_image
from harness.moto import MotoServer
from harness.service import base_env
from harness.world import World

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")
SECTION = "## First deploy in a real account"
GAP = "…"


def walkthrough_blocks():
    """[(command, [shown output lines])] of the section's console blocks, in order."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", section, flags=re.S):
        lines = body.rstrip("\n").split("\n")
        assert lines[0].startswith("$ "), lines[0]
        blocks.append((lines[0][2:], lines[1:]))
    return blocks


def pattern(shown):
    return re.compile("".join(".*?" if part == GAP else re.escape(part) for part in re.split(f"({GAP})", shown)))


def mismatch(shown, printed):
    """None when the printed lines show every line of `shown` as the README says, else what is wrong."""
    i, gap = 0, False
    for line in shown:
        if line == GAP:
            gap = True
            continue
        p = pattern(line)
        candidates = range(i, len(printed)) if gap else range(i, min(i + 1, len(printed)))
        found = next((k for k in candidates if p.fullmatch(printed[k])), None)
        if found is None:
            near = printed[i] if i < len(printed) else "<end of output>"
            return f"README line {line!r} not printed {'after' if gap else 'at'} line {i + 1} (there: {near!r})"
        i, gap = found + 1, False
    if not gap and any(line.strip() for line in printed[i:]):
        return f"printed more than the README shows, from {printed[i]!r} (end the block with {GAP} if meant)"
    return None


class Walkthrough(unittest.TestCase):
    def test_every_command_prints_what_the_readme_shows(self):
        blocks = walkthrough_blocks()
        self.assertGreaterEqual(len(blocks), 5)
        with MotoServer() as moto, tempfile.TemporaryDirectory() as cwd:
            world = World(moto)
            world.create_bucket("acme-benchling")
            arn = world.create_stack("quilt-prod")
            push_image(moto, "benchling-webhook", "0.1.0-1a2b3c4")
            with open(os.path.join(cwd, "secret.txt"), "w") as f:
                f.write("walkthrough-client-secret-7c1e\n")
            env = base_env(moto.url)
            for command, shown in blocks:
                argv = shlex.split(command.replace('"$ARN"', arn))
                self.assertEqual(argv[0], "benchling-webhook", command)
                p = subprocess.run([os.path.abspath(service.BINARY), *argv[1:]], env=env, cwd=cwd,
                                   capture_output=True, text=True, timeout=300)
                leaks.record(p.stdout + p.stderr)
                printed = (p.stdout + p.stderr).rstrip("\n").split("\n")
                problem = mismatch(shown, printed)
                self.assertIsNone(problem, f"$ {command}\n{problem}\n--- printed ---\n{p.stdout}{p.stderr}")
        leaks.assert_never_seen("walkthrough-client-secret-7c1e", minimum=len(blocks))

    def test_the_matcher_refuses_a_line_out_of_place(self):
        printed = ["a", "b 12", "c"]
        self.assertIsNone(mismatch(["a", "b …", "c"], printed))
        self.assertIsNone(mismatch(["a", GAP], printed))
        self.assertIsNotNone(mismatch(["a", "c"], printed))  # b was left out without a gap
        self.assertIsNotNone(mismatch(["b …"], printed))  # not the first line
        self.assertIsNotNone(mismatch(["a", "b …"], printed))  # c printed but not shown


if __name__ == "__main__":
    unittest.main()
