"""moto_server with two fixes of moto 5.2 bugs that the deploy tests meet; nothing else changes.

1. A template's AWS::ElasticLoadBalancingV2::LoadBalancer `Type` is ignored, so every load balancer is an
   application one and a `network` load balancer's TCP listener is refused ("Listener protocol 'TCP'
   must be one of 'HTTP, HTTPS'"). AWS honours the property; this passes it through.
2. ExecuteChangeSet applies the resources but never recomputes the stack's Outputs: a stack created by a
   change set has none, and an update keeps the old ones. AWS recomputes them, as moto's UpdateStack does.
3. Deleting a stack neither detaches an AWS::EC2::VPCGatewayAttachment's internet gateway nor deletes an
   AWS::EC2::RouteTable, so the VPC cannot be deleted (DependencyViolation). AWS deletes all three.
4. A message SQS moves to a dead-letter queue (after maxReceiveCount receives) lacks the system attribute
   DeadLetterQueueSourceArn, which AWS returns on it (ReceiveMessage with MessageSystemAttributeNames All or
   DeadLetterQueueSourceArn): the ARN of the queue it was moved from. This records and returns it.
"""
import os
import sys

# Run as a script, this file's directory comes first on sys.path, and its moto.py would shadow the package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

from moto.cloudformation import models as cloudformation
from moto.ec2.models import ec2_backends
from moto.ec2.models.route_tables import RouteTable
from moto.ec2.models.vpn_gateway import VPCGatewayAttachment
from moto.elbv2 import models


def _create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    properties = cloudformation_json["Properties"]
    backend = models.elbv2_backends[account_id][region_name]
    return backend.create_load_balancer(
        resource_name,
        properties.get("SecurityGroups"),
        properties.get("Subnets"),
        scheme=properties.get("Scheme", "internet-facing"),
        loadbalancer_type=properties.get("Type"),
    )


models.FakeLoadBalancer.create_from_cloudformation_json = classmethod(_create_from_cloudformation_json)

_execute_change_set = cloudformation.CloudFormationBackend.execute_change_set


def _execute_change_set_with_outputs(self, change_set_name, stack_name=None):
    _execute_change_set(self, change_set_name, stack_name)
    change_set = self.change_sets.get(change_set_name)
    if change_set is None:
        change_set = next(cs for cs in self.change_sets.values() if cs.change_set_name == change_set_name)
    stack = self.stacks[change_set.stack_id]
    stack._parse_template()
    stack.output_map = stack._create_output_map()


cloudformation.CloudFormationBackend.execute_change_set = _execute_change_set_with_outputs


def _detach_gateway(self, account_id, region_name):
    if self.gateway_id and self.gateway_id.startswith("igw-"):
        ec2_backends[account_id][region_name].detach_internet_gateway(self.gateway_id, self.vpc_id)


VPCGatewayAttachment.delete = _detach_gateway


def _delete_route_table(self, account_id, region_name):
    ec2_backends[account_id][region_name].delete_route_table(self.id)


RouteTable.delete = _delete_route_table

from moto.sqs import models as sqs_models  # noqa: E402
from moto.sqs import responses as sqs_responses  # noqa: E402

_sqs_receive = sqs_models.SQSBackend.receive_message


def _receive_recording_dead_letter_source(self, queue_name, *args, **kwargs):
    queue = self.get_queue(queue_name)
    dlq = queue.dead_letter_queue
    before = {id(m) for m in queue._messages} if dlq is not None else set()
    result = _sqs_receive(self, queue_name, *args, **kwargs)
    if dlq is not None:
        for m in dlq._messages:  # moto moves the Message object itself
            if id(m) in before and not hasattr(m, "dead_letter_source_arn"):
                m.dead_letter_source_arn = queue.queue_arn
    return result


sqs_models.SQSBackend.receive_message = _receive_recording_dead_letter_source

_sqs_receive_response = sqs_responses.SQSResponse.receive_message


def _receive_response_with_dead_letter_source(self):
    result = _sqs_receive_response(self)
    wanted = set(self._get_param("MessageSystemAttributeNames", []) + self._get_param("AttributeNames", []))
    messages = (getattr(result, "result", None) or {}).get("Messages") if isinstance(getattr(result, "result", None), dict) else None
    if messages and wanted & {"All", "DeadLetterQueueSourceArn"}:
        queue = self.sqs_backend.get_queue(self._get_queue_name())
        arns = {m.id: m.dead_letter_source_arn for m in queue._messages if hasattr(m, "dead_letter_source_arn")}
        for msg in messages:
            if msg["MessageId"] in arns:
                msg.setdefault("Attributes", {})["DeadLetterQueueSourceArn"] = arns[msg["MessageId"]]
    return result


sqs_responses.SQSResponse.receive_message = _receive_response_with_dead_letter_source

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
