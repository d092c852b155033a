"""Everything the binary said during a test module: responses, CLI output, log lines.

The harness records it all here, so a module can assert that no secret value ever left the process."""
SEEN = []


def record(text):
    if text:
        SEEN.append(text if isinstance(text, str) else text.decode(errors="replace"))


def assert_never_seen(*secrets, minimum=10):
    assert len(SEEN) >= minimum, f"the leak check saw only {len(SEEN)} outputs: too little to mean anything"
    for secret in secrets:
        leaked = [s for s in SEEN if secret in s]
        assert not leaked, f"a secret value leaked in {len(leaked)} outputs, e.g.: {leaked[0][:300]}"
