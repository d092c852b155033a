#!/usr/bin/env python3
"""Writes tests/fixtures/webhooks/vectors.json: Benchling-style signed webhook deliveries and JWKS.

The signer is Python `cryptography`, independent of the C++ verifier (OpenSSL via our own code), so a
bug in one cannot cancel itself out. The keys are fresh on every run and only their public halves
are written: no private key ever reaches the repository.

Signing follows benchling-sdk's webhook_helpers.verify (runtime-spec §4.2): ECDSA P-256 / SHA-256
over the UTF-8 bytes of f"{webhook-id}.{webhook-timestamp}.{body}", DER, standard base64, in a
`webhook-signature` header of space-separated "<version>,<base64>" elements.

Usage: python3 tests/fakes/make_webhook_vectors.py [output path]
"""

import base64
import binascii
import json
import os
import sys
from datetime import datetime, timedelta, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

TIMESTAMP = "1717171717"  # every delivery is signed "now" = this; tests pass now = this + offsets
ID = "msg_2hVvMxwq8Tz1Q9yOeXkF3c"
BODY = json.dumps(
    {
        "version": "0",
        "baseURL": "https://acme.benchling.com",
        "tenantId": "ten_abc123",
        "app": {"id": "app_5tQz"},
        "appDefinition": {"id": "appdef_8YhR", "versionNumber": "1.0.0"},
        "channel": "events",
        "message": {"type": "v2.entry.created", "resourceId": "etr_XYZ", "timestamp": "2024-05-31T16:08:37Z"},
    },
    separators=(",", ":"),
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def ec_jwk(public_key, kid: str) -> dict:
    numbers = public_key.public_numbers()
    size = (public_key.curve.key_size + 7) // 8
    crv = {"secp256r1": "P-256", "secp384r1": "P-384"}[public_key.curve.name]
    return {
        "kty": "EC",
        "crv": crv,
        "kid": kid,
        "use": "sig",
        "alg": "ES256" if crv == "P-256" else "ES384",
        "x": b64url(numbers.x.to_bytes(size, "big")),
        "y": b64url(numbers.y.to_bytes(size, "big")),
    }


def rsa_jwk(public_key, kid: str) -> dict:
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
        "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64url(numbers.e.to_bytes(3, "big")),
    }


def sign(private_key, webhook_id: str, timestamp: str, body: str) -> bytes:
    content = f"{webhook_id}.{timestamp}.{body}".encode("utf-8")
    return private_key.sign(content, ec.ECDSA(hashes.SHA256()))


def sdk_outcome(headers, body: str, public_keys, now: datetime) -> str:
    """What benchling-sdk's webhook_helpers._verify does with this delivery (its steps, in its order),
    mapped to the C++ failure names. Used to label every vector with the SDK's own verdict."""
    h = {k.lower(): v for k, v in headers}  # the service lower-cases header names first
    for name, code in (("webhook-id", "missing_id"), ("webhook-timestamp", "missing_timestamp"),
                       ("webhook-signature", "missing_signature")):
        if name not in h:
            return code
    try:
        ts = datetime.fromtimestamp(float(h["webhook-timestamp"]), tz=timezone.utc)
    except Exception:
        return "invalid_timestamp"
    if ts < now - timedelta(minutes=5):
        return "too_old"
    if ts > now + timedelta(minutes=5):
        return "too_new"
    der = []
    for element in h["webhook-signature"].split(" "):
        try:
            version, sig = element.split(",")
        except ValueError:
            return "malformed_signature"
        if "der" in version:
            der.append(sig)
    if not der:
        return "no_der_signature"
    try:
        decoded = [base64.b64decode(s) for s in der]
    except binascii.Error:
        return "base64_exception"
    content = f"{h['webhook-id']}.{h['webhook-timestamp']}.{body}".encode("utf-8")
    for key in public_keys:
        for sig in decoded:
            try:
                key.verify(sig, content, ec.ECDSA(hashes.SHA256()))
                return "ok"
            except InvalidSignature:
                continue
    return "no_matching_signature"


# Where the C++ port deliberately differs from the SDK (see src/benchling/signature.hpp).
DEVIATIONS = {
    # float() takes these; we accept only plain decimals. A sender never writes them.
    "invalid_timestamp_plus_sign": "ok",
    "invalid_timestamp_leading_space": "ok",
    "invalid_timestamp_underscore": "ok",
    "invalid_timestamp_exponent": "too_old",
    "invalid_timestamp_minus_sign": "too_old",
    # b64decode raises on the garbage; we skip the element, and nothing else can match either.
    "signature_base64_garbage": "base64_exception",
}


def main() -> None:
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "fixtures", "webhooks", "vectors.json"
    )
    key1 = ec.generate_private_key(ec.SECP256R1())
    key2 = ec.generate_private_key(ec.SECP256R1())
    p384 = ec.generate_private_key(ec.SECP384R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    jwk1 = ec_jwk(key1.public_key(), "key-1")
    jwk2 = ec_jwk(key2.public_key(), "key-2")
    # y + 1 is (with overwhelming probability) not on the curve.
    y_plus_one = int.from_bytes(base64.urlsafe_b64decode(jwk1["y"] + "="), "big") + 1
    off_curve = dict(jwk1, kid="off-curve", y=b64url((y_plus_one % (1 << 256)).to_bytes(32, "big")))
    bad_b64 = dict(jwk1, kid="bad-base64url", x=jwk1["x"][:10] + "+/" + jwk1["x"][12:])
    jwks = {
        "primary": {"keys": [jwk1]},
        "rotated": {"keys": [jwk2]},
        "both_signer_second": {"keys": [jwk1, jwk2]},
        "with_rsa": {"keys": [rsa_jwk(rsa_key.public_key(), "rsa-1"), jwk1]},
        "p384_only": {"keys": [ec_jwk(p384.public_key(), "p384-1")]},
        "off_curve": {"keys": [off_curve]},
        "bad_base64url": {"keys": [bad_b64]},
    }

    deliveries = []

    def add(name, expect, headers, body=BODY, jwks_name="primary", now_offset=0, note=""):
        deliveries.append(
            {
                "name": name,
                "note": note,
                "jwks": jwks_name,
                "now_offset": now_offset,
                "headers": [[k, v] for k, v in headers],
                "body": body,
                "expect": expect,
            }
        )

    def std_headers(sig_header, webhook_id=ID, timestamp=TIMESTAMP, names=("webhook-id", "webhook-timestamp", "webhook-signature")):
        return [(names[0], webhook_id), (names[1], timestamp), (names[2], sig_header)]

    sig1 = b64(sign(key1, ID, TIMESTAMP, BODY))
    sig2 = b64(sign(key2, ID, TIMESTAMP, BODY))
    add("valid", "ok", std_headers(f"v1der,{sig1}"))
    add("tampered_body", "no_matching_signature", std_headers(f"v1der,{sig1}"), body=BODY.replace("etr_XYZ", "etr_XYW"))
    add("tampered_id", "no_matching_signature", std_headers(f"v1der,{sig1}", webhook_id=ID + "x"))
    add("tampered_timestamp", "no_matching_signature", std_headers(f"v1der,{sig1}", timestamp="1717171718"),
        note="inside the window, but not the signed value")
    add("too_old", "too_old", std_headers(f"v1der,{sig1}"), now_offset=301)
    add("too_new", "too_new", std_headers(f"v1der,{sig1}"), now_offset=-301)
    add("boundary_old_accepted", "ok", std_headers(f"v1der,{sig1}"), now_offset=300)
    add("boundary_new_accepted", "ok", std_headers(f"v1der,{sig1}"), now_offset=-300)
    frac_ts = TIMESTAMP + ".25"
    add("fractional_timestamp", "ok", std_headers(f"v1der,{b64(sign(key1, ID, frac_ts, BODY))}", timestamp=frac_ts),
        note="float(ts) semantics; the signed content keeps the header verbatim")
    # Correctly signed over the odd timestamp text, so the timestamp is the only thing wrong.
    for label, ts in [("letters", "abc"), ("nan", "nan"), ("inf", "inf"), ("exponent", "1.717e9"),
                      ("plus_sign", "+1717171717"), ("minus_sign", "-1717171717"), ("leading_space", " 1717171717"),
                      ("underscore", "1_717_171_717"), ("hex", "0x66594c05"), ("empty", ""), ("dot_only", ".")]:
        add(f"invalid_timestamp_{label}", "invalid_timestamp",
            std_headers(f"v1der,{b64(sign(key1, ID, ts, BODY))}", timestamp=ts))
    add("missing_id", "missing_id", std_headers(f"v1der,{sig1}")[1:])
    add("missing_timestamp", "missing_timestamp", [h for h in std_headers(f"v1der,{sig1}") if h[0] != "webhook-timestamp"])
    add("missing_signature", "missing_signature", std_headers(f"v1der,{sig1}")[:2])
    add("only_non_der_elements", "no_der_signature", std_headers(f"v1,{b64(os.urandom(32))} v1,{sig1}"),
        note="Standard-Webhooks v1 (HMAC) elements are ignored, even one holding a valid DER signature")
    add("version_containing_der_accepted", "ok", std_headers(f"v1bder,{sig1}"),
        note="the maintainers' check script sends v1bder: any version containing 'der' counts")
    other = b64(sign(key2, ID, TIMESTAMP, BODY))
    add("several_signatures_one_valid", "ok", std_headers(f"v1der,{other} v1,{b64(os.urandom(32))} v1der,{sig1}"))
    add("two_keys_signer_second", "ok", std_headers(f"v1der,{sig2}"), jwks_name="both_signer_second")
    add("signed_by_unknown_key", "no_matching_signature", std_headers(f"v1der,{sig2}"))
    add("header_names_any_case", "ok",
        std_headers(f"v1der,{sig1}", names=("Webhook-Id", "webhook-TIMESTAMP", "WEBHOOK-SIGNATURE")))
    spaced = '{\n  "version": "0",  "channel" : "events",\n\t"message": {"type": "v2.entry.created"}\n}\n'
    sig_spaced = b64(sign(key1, ID, TIMESTAMP, spaced))
    add("whitespace_body_as_received", "ok", std_headers(f"v1der,{sig_spaced}"), body=spaced)
    add("whitespace_body_reserialized", "no_matching_signature", std_headers(f"v1der,{sig_spaced}"),
        body=json.dumps(json.loads(spaced), separators=(",", ":")),
        note="re-serialized JSON is not what was signed")
    utf8 = '{"message":{"type":"v2.entry.updated.fields","name":"Zellkultur – Ansatz µ 3 ✓"}}'
    add("utf8_body", "ok", std_headers(f"v1der,{b64(sign(key1, ID, TIMESTAMP, utf8))}"), body=utf8)
    add("signature_base64_garbage", "no_matching_signature", std_headers("v1der,!!not*base64!!"))
    add("element_without_comma", "malformed_signature", std_headers(f"v1der,{sig1} v1der{sig1}"),
        note="the SDK unpacks every element first: one malformed element fails even beside a valid one")
    add("three_comma_element", "malformed_signature", std_headers(f"v1der,{sig1},a,b"))
    add("double_space_between_elements", "malformed_signature", std_headers(f"v1der,{sig1}  v1der,{sig1}"),
        note="split(' ') yields an empty element")
    add("empty_signature_header", "malformed_signature", std_headers(""))
    empty_id_sig = b64(sign(key1, "", TIMESTAMP, BODY))
    add("empty_id_is_present", "ok", std_headers(f"v1der,{empty_id_sig}", webhook_id=""),
        note="the SDK tests presence with `in`: an empty value is present")
    r, s = decode_dss_signature(sign(key1, ID, TIMESTAMP, BODY))
    add("raw_r_s_signature_rejected", "no_matching_signature",
        std_headers(f"v1der,{b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"),
        note="IEEE P1363 r||s is not DER")
    add("empty_der_value", "no_matching_signature", std_headers("v1der,"))

    now = datetime.fromtimestamp(int(TIMESTAMP), tz=timezone.utc)
    sdk_keys = {"primary": [key1.public_key()], "rotated": [key2.public_key()],
                "both_signer_second": [key1.public_key(), key2.public_key()]}
    for d in deliveries:
        sdk = sdk_outcome(d["headers"], d["body"], sdk_keys[d["jwks"]], now + timedelta(seconds=d["now_offset"]))
        d["sdk_outcome"] = sdk
        want = DEVIATIONS.get(d["name"], d["expect"])
        if sdk != want:
            sys.exit(f"{d['name']}: the SDK's steps give {sdk}, the vector expects {d['expect']}")

    doc = {
        "generator": "tests/fakes/make_webhook_vectors.py",
        "algorithm": "ECDSA P-256 SHA-256, DER, base64; content = id + '.' + timestamp + '.' + body",
        "timestamp": int(TIMESTAMP),
        "jwks": jwks,
        "deliveries": deliveries,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(deliveries)} deliveries to {os.path.normpath(out_path)}")


if __name__ == "__main__":
    main()
