"""`scripts/demo.sh`: moto_server as AWS, a fake Benchling, a customer's world, the real service.

Shows what the service resolved, then sends it a signed `v2.entry.created` webhook and prints the job
it put in its work queue.
"""
import json
import os
import sys

from .fake_benchling import FakeBenchling
from .moto import MotoServer
from .service import Service, base_env
from .world import World, work_queue_name

EVENT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "benchling-events", "entry-created.json")


def main() -> int:
    with MotoServer() as moto, FakeBenchling() as fake:
        stack_arn, secret = World(moto).default(fake)
        print(f"moto_server (AWS)   {moto.url}")
        print(f"fake Benchling      {fake.url}")
        print(f"QuiltStackARN       {stack_arn}")
        print(f"BenchlingSecret     {secret}\n")
        env = base_env(moto.url, QuiltStackARN=stack_arn, BenchlingSecret=secret)
        with Service(env) as svc:
            svc.wait_ready()
            for path in ("/health", "/health/ready", "/config"):
                status, body, _ = svc.get(path)
                print(f"GET {path} -> {status}\n{json.dumps(body, indent=2)}\n")

            with open(EVENT, "rb") as f:
                event = f.read()
            status, body, _ = svc.request("POST", "/event", body=event, headers=fake.sign(event))
            print(f"POST /event (signed v2.entry.created) -> {status}\n{json.dumps(body, indent=2)}\n")

            sqs = moto.client("sqs")
            url = sqs.get_queue_url(QueueName=work_queue_name(stack_arn, secret))["QueueUrl"]
            got = sqs.receive_message(QueueUrl=url, AttributeNames=["All"]).get("Messages", [])
            for m in got:
                job = json.loads(m["Body"])
                job["envelope"] = json.loads(job["envelope"])
                print(f"work queue job (group {m['Attributes']['MessageGroupId']}):\n{json.dumps(job, indent=2)}")
            if not got:
                print("work queue: empty (unexpected)")
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
