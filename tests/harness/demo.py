"""`scripts/demo.sh`: moto_server + a customer's world + the real service, then /health and /config."""
import json
import sys

from .fake_benchling import FakeBenchling
from .moto import MotoServer
from .service import Service, base_env
from .world import World


def main() -> int:
    with MotoServer() as moto, FakeBenchling() as fake:
        stack_arn, secret = World(moto).default(fake)
        print(f"moto_server (AWS)   {moto.url}")
        print(f"QuiltStackARN       {stack_arn}")
        print(f"BenchlingSecret     {secret}\n")
        env = base_env(moto.url, QuiltStackARN=stack_arn, BenchlingSecret=secret)
        with Service(env) as svc:
            svc.wait_ready()
            for path in ("/health", "/health/ready", "/config"):
                status, body, _ = svc.get(path)
                print(f"GET {path} -> {status}\n{json.dumps(body, indent=2)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
