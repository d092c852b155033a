"""What an integration module starts with: moto, the fake Benchling, the buckets, optionally a Quilt stack and
images in ECR, and services on their own secrets. One set-up instead of a copy per module; each module keeps
its own globals (MOTO, FAKE, WORLD, ...) so its tests read as before."""
import json

from . import leaks
from .ecr import push_image
from .fake_benchling import FakeBenchling
from .moto import MotoServer
from .service import Service, base_env
from .world import CLIENT_SECRET, World, create_work_queue, valid_secret


class ModuleWorld:
    def __init__(self, stack_name=None, buckets=("user-bucket",), images=(), **fake_options):
        """`stack_name`: a Quilt stack to create (self.stack is its ARN); `images`: tags of the
        benchling-webhook image pushed to moto's ECR (deploy checks it is there, for linux/amd64);
        `fake_options` go to FakeBenchling (e.g. polls_before_done)."""
        self.moto = MotoServer().start()
        try:
            self.fake = FakeBenchling(**fake_options).start()
        except BaseException:
            self.moto.stop()
            raise
        self.world = World(self.moto)
        for bucket in buckets:
            self.world.create_bucket(bucket)
        self.stack = self.world.create_stack(stack_name) if stack_name else None
        self.sqs = self.moto.client("sqs")
        for tag in images:
            push_image(self.moto, "benchling-webhook", tag)
        self.services = []

    def env_for(self, stack_arn, secret_name) -> dict:
        """The service's environment in the tests: the two settings and moto's endpoint."""
        return base_env(self.moto.url, QuiltStackARN=stack_arn, BenchlingSecret=secret_name)

    def start_service(self, secret_name, args=("--workers", "2"), create_queues=None) -> Service:
        """A ready service on the stack with its own secret (keys and API at the fake Benchling) and work
        queue; `create_queues(secret_name)` makes the queues instead when given. Stopped by stop()."""
        self.world.create_secret(secret_name, valid_secret(jwks_url=self.fake.jwks_url, api_url=self.fake.url))
        if create_queues:
            create_queues(secret_name)
        else:
            create_work_queue(self.moto, self.stack, secret_name)
        svc = Service(self.env_for(self.stack, secret_name), args=list(args)).start()
        self.services.append(svc)
        svc.wait_ready()
        return svc

    def entry_event(self, entry_id, event_type="v2.entry.updated.fields") -> bytes:
        """An entry webhook as Benchling sends it to /event."""
        return json.dumps({"version": "0", "baseURL": self.fake.url, "channel": "events",
                           "message": {"type": event_type, "resourceId": entry_id, "id": "evt_" + entry_id,
                                       "createdAt": "2026-11-26T10:00:00.000000+00:00"}}).encode()

    def accept_event(self, svc, entry_id, event_type="v2.entry.updated.fields"):
        """Posts the entry event, signed by the fake Benchling, and checks it was accepted (queued)."""
        body = self.entry_event(entry_id, event_type)
        status, reply, _ = svc.request("POST", "/event", body=body, headers=self.fake.sign(body))
        assert status == 200, (status, reply)

    def stop(self, *never_seen, minimum=1):
        """Stops the services, the fake and moto, then checks that the client secret and `never_seen` (tokens
        the fake issued, download credentials) appear in nothing the binary said (at least `minimum` outputs
        recorded)."""
        try:
            for svc in self.services:
                svc.stop()
        finally:
            self.fake.stop()
            self.moto.stop()
        leaks.assert_never_seen(CLIENT_SECRET, *never_seen, minimum=minimum)
