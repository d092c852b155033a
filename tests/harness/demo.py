"""`scripts/demo.sh`: the main job end to end on an embedded default.

moto_server plays AWS (a Quilt-like stack, the Benchling secret, the user bucket, the packager and work
queues), a fake Benchling plays Benchling (JWKS, OAuth, an entry with an export ZIP). The real service
starts with only the two settings, receives a signed `v2.entry.created`, and its workers export the
entry to S3 and message the Quilt packager. Prints what it resolved, the objects and the message.
"""
import json
import sys
import time

from .fake_benchling import FakeBenchling
from .moto import MotoServer
from .service import Service, base_env
from .world import World

MEMBERS = [
    ("data/plate 1/results.csv", b"well,value\nA1,0.51\nA2,0.47\n"),
    ("images/micrograph-\u03b1.png", bytes.fromhex("89504e470d0a1a0a")),
    ("protocol.html", b"<html><body><h1>Growth curve protocol</h1></body></html>"),
]


def main() -> int:
    with MotoServer() as moto, FakeBenchling() as fake:
        stack_arn, secret = World(moto).default(fake)
        fake.add_entry("etr_demo01", display_id="EXP25000076", name="Growth curves", export_zip=MEMBERS)
        print(f"moto_server (AWS)   {moto.url}")
        print(f"fake Benchling      {fake.url}")
        print(f"QuiltStackARN       {stack_arn}")
        print(f"BenchlingSecret     {secret}\n")
        env = base_env(moto.url, QuiltStackARN=stack_arn, BenchlingSecret=secret)
        with Service(env) as svc:
            ready = svc.wait_ready()
            print(f"GET /health/ready -> {json.dumps(ready)}")
            _, config, _ = svc.get("/config")
            print(f"GET /config -> {json.dumps(config, indent=2)}\n")

            event = json.dumps({"version": "0", "baseURL": fake.url, "channel": "events",
                                "message": {"type": "v2.entry.created", "resourceId": "etr_demo01",
                                            "id": "evt_demo", "createdAt": "2026-11-26T10:00:00Z"}}).encode()
            status, body, _ = svc.request("POST", "/event", body=event, headers=fake.sign(event))
            print(f"POST /event (signed v2.entry.created) -> {status} {json.dumps(body)}\n")

            sqs = moto.client("sqs")
            url = sqs.get_queue_url(QueueName="quilt-packager")["QueueUrl"]
            deadline, messages = time.monotonic() + 60, []
            while not messages and time.monotonic() < deadline:
                messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
            if not messages:
                print("no packager message within 60 s; service log:\n" + svc.output())
                return 1
            s3 = moto.client("s3")
            print("S3 objects written:")
            for o in s3.list_objects_v2(Bucket="user-bucket", Prefix="benchling/").get("Contents", []):
                print(f"  s3://user-bucket/{o['Key']}  ({o['Size']} bytes)")
            print(f"\nQuilt packager message:\n{json.dumps(json.loads(messages[0]['Body']), indent=2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
