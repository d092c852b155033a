"""Quilt packages as the Quilt stack writes them to a registry bucket (quilt3's layout): a JSONL manifest
under .quilt/packages/<top hash> and a pointer .quilt/named_packages/<name>/latest holding that hash."""
import hashlib
import json


def write_package(s3, bucket, name, files, user_meta=None, entry_json=None):
    """`files`: [(logical_key, bytes)], written under `name/` and listed in the manifest. `entry_json`: a dict
    stored as `entry.json` in the package (the canvas's metadata source). Returns the manifest's hash."""
    records = []
    if entry_json is not None:
        files = list(files) + [("entry.json", json.dumps(entry_json).encode())]
    for key, data in files:
        physical = f"{name}/{key}"
        s3.put_object(Bucket=bucket, Key=physical, Body=data, ContentType="application/octet-stream")
        records.append({"logical_key": key, "physical_keys": [f"s3://{bucket}/{physical}"], "size": len(data),
                        "hash": {"type": "SHA256", "value": hashlib.sha256(data).hexdigest()}, "meta": {}})
    header = {"version": "v0", "message": "test package", "user_meta": user_meta or {}}
    manifest = "\n".join(json.dumps(r, ensure_ascii=False) for r in [header, *records]) + "\n"
    top_hash = hashlib.sha256(manifest.encode()).hexdigest()  # any 64-hex id will do for reading
    s3.put_object(Bucket=bucket, Key=f".quilt/packages/{top_hash}", Body=manifest.encode(),
                  ContentType="application/jsonl")
    s3.put_object(Bucket=bucket, Key=f".quilt/named_packages/{name}/latest", Body=top_hash.encode(),
                  ContentType="text/plain")
    return top_hash
