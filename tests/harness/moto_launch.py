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
5. ECR GetDownloadUrlForLayer is not implemented. AWS answers with a presigned S3 URL of the blob, fetched
   with a plain GET; here the blob is an object the test put in moto's S3 bucket `moto-ecr-blobs` under
   `<repository>/<digest>` (harness/ecr.py), and the URL is that object's path-style URL on this server.
   A blob that is not there is LayersNotFoundException, as on AWS.
6. ECS runs no tasks, so a service is steady at once and the stack completes at once; on AWS the stack stays
   *_IN_PROGRESS until the service is steady, which is when deploy watches its stopped tasks. Test hook: while
   moto's S3 bucket `moto-test-hooks` holds the key `unsteady/<stack name>`, DescribeStacks shows that
   stack's *_COMPLETE status as *_IN_PROGRESS (harness/ecs_tasks.py).
7. ECS tasks: RunTask in awsvpc mode fails (NetworkInterface.private_dns_name is unset unless the VPC has
   DNS hostnames; AWS always names it) and for a Fargate task definition with memory only at task level
   (moto adds the containers' absent memory); ListTasks ignores serviceName (AWS lists the service's tasks,
   whose group is "service:<name>"); StopTask sets no stopCode, stoppedAt or container state. Fixed here;
   since moto never fails a task by itself, a test says how one stopped with RunTask tags, applied by
   StopTask: `moto:stopCode` (e.g. TaskFailedToStart, EssentialContainerExited), `moto:exitCode` and
   `moto:containerReason` (e.g. "CannotPullContainerError: ..."). Without them a container has no exit code.
8. AWS::CloudWatch::Alarm is not a CloudFormation type moto knows (it skips the resource); AWS creates the
   alarm as PutMetricAlarm would. And Fn::GetAtt of a load balancer's LoadBalancerFullName and of a target
   group's TargetGroupFullName give nothing; AWS gives "net/<name>/<id>" and "targetgroup/<name>/<id>", the
   values of CloudWatch's LoadBalancer and TargetGroup dimensions.
9. AWS::ApiGateway::Account is skipped too; AWS sets the region's CloudWatch Logs role (GetAccount's
   cloudwatchRoleArn) to its CloudWatchRoleArn, and leaves the setting as it is when the resource is deleted.
10. Each message sent to a FIFO queue makes moto build the queue's whole attribute map several times (reading
   ContentBasedDeduplication), and that map counts every message in the queue: a send costs O(queue length),
   so queuing 10,000 jobs (bench/backfill_10k.py) took hours. On AWS a send does not slow down as the queue
   grows. The same checks run here against a view of the queue whose `attributes` holds just that setting.
"""
import copy
import threading
import json
import os
import sys
from datetime import datetime, timezone

# Run as a script, this file's directory comes first on sys.path, and its moto.py would shadow the package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

from moto.cloudformation import models as cloudformation
from moto.cloudwatch.models import cloudwatch_backends
from moto.core.common_models import CloudFormationModel
from moto.ec2.models import ec2_backends
from moto.ec2.models.route_tables import RouteTable
from moto.ec2.models.vpn_gateway import VPCGatewayAttachment
from moto.core.exceptions import ServiceException
from moto.ecr import responses as ecr_responses
from moto.ecr.exceptions import RepositoryNotFoundException
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ecs.models import EC2ContainerServiceBackend
from moto.elbv2 import models
from moto.s3.models import s3_backends


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


ECR_BLOB_BUCKET = "moto-ecr-blobs"


class LayersNotFoundException(ServiceException):
    code = "LayersNotFoundException"


def _get_download_url_for_layer(self):
    repository = self._get_param("repositoryName")
    digest = self._get_param("layerDigest")
    if repository not in self.ecr_backend.repositories:
        raise RepositoryNotFoundException(repository, self._get_param("registryId") or self.current_account)
    bucket = s3_backends[self.current_account]["aws"].buckets.get(ECR_BLOB_BUCKET)
    key = f"{repository}/{digest}"
    if bucket is None or key not in bucket.keys:
        raise LayersNotFoundException("The specified layers could not be found in the repository")
    host = self.headers.get("Host")
    return json.dumps({"downloadUrl": f"http://{host}/{ECR_BLOB_BUCKET}/{key}", "layerDigest": digest})


ecr_responses.ECRResponse.get_download_url_for_layer = _get_download_url_for_layer

HOOK_BUCKET = "moto-test-hooks"
_describe_stacks = cloudformation.CloudFormationBackend.describe_stacks


def _describe_stacks_unsteady(self, name_or_stack_id):
    stacks = _describe_stacks(self, name_or_stack_id)
    bucket = s3_backends[self.account_id]["aws"].buckets.get(HOOK_BUCKET)
    if bucket is None:
        return stacks
    shown = []
    for stack in stacks:
        if f"unsteady/{stack.name}" in bucket.keys and stack.status in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            stack = copy.copy(stack)
            stack.status = stack.status.replace("_COMPLETE", "_IN_PROGRESS")
        shown.append(stack)
    return shown


cloudformation.CloudFormationBackend.describe_stacks = _describe_stacks_unsteady

NetworkInterface.private_dns_name = ""  # instances set their own when the VPC has DNS hostnames

_resource_requirements = EC2ContainerServiceBackend._calculate_task_resource_requirements


class _TaskLevelMemory:
    def __init__(self, task_definition):
        keys = ("Memory", "MemoryReservation", "memory", "memoryReservation")
        self.container_definitions = [d if any(k in d for k in keys) else {**d, "memory": 0}
                                      for d in task_definition.container_definitions]


EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(
    lambda task_definition: _resource_requirements(_TaskLevelMemory(task_definition)))

_list_tasks = EC2ContainerServiceBackend.list_tasks


def _list_tasks_of_service(self, cluster_str=None, container_instance=None, family=None, started_by=None,
                           service_name=None, desiredStatus=None):
    tasks = _list_tasks(self, cluster_str, container_instance, family, started_by, None, desiredStatus)
    if service_name:
        tasks = [t for t in tasks if t.group == f"service:{service_name}"]
    return tasks


EC2ContainerServiceBackend.list_tasks = _list_tasks_of_service

_stop_task = EC2ContainerServiceBackend.stop_task


def _stop_task_as_tagged(self, cluster_str, task_str, reason):
    task = _stop_task(self, cluster_str, task_str, reason)
    tags = {t["key"]: t["value"] for t in task.tags or []}
    task.stopped_at = datetime.now(timezone.utc)
    task.stop_code = tags.get("moto:stopCode", "UserInitiated")
    for container in task.containers:
        container.last_status = "STOPPED"
        container.exitCode = int(tags["moto:exitCode"]) if "moto:exitCode" in tags else None
        if "moto:containerReason" in tags:
            container.reason = tags["moto:containerReason"]
    return task


EC2ContainerServiceBackend.stop_task = _stop_task_as_tagged



class _CfnAlarm(CloudFormationModel):
    __module__ = "moto.cloudwatch.models"  # moto files its models by the module they live in

    def __init__(self, name):
        self.name = name

    @property
    def physical_resource_id(self):
        return self.name

    @staticmethod
    def cloudformation_name_type():
        return "AlarmName"

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudWatch::Alarm"

    @classmethod
    def has_cfn_attr(cls, attr):
        return False

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json["Properties"]
        name = p.get("AlarmName") or resource_name
        datapoints = p.get("DatapointsToAlarm")
        cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=name, namespace=p.get("Namespace"), metric_name=p.get("MetricName"),
            comparison_operator=p["ComparisonOperator"], evaluation_periods=int(p["EvaluationPeriods"]),
            period=int(p.get("Period", 60)), threshold=float(p.get("Threshold", 0)),
            statistic=p.get("Statistic"), description=p.get("AlarmDescription", ""),
            dimensions=[{"Name": d["Name"], "Value": d["Value"]} for d in p.get("Dimensions", [])],
            alarm_actions=p.get("AlarmActions", []), ok_actions=p.get("OKActions", []),
            datapoints_to_alarm=int(datapoints) if datapoints is not None else None,
            treat_missing_data=p.get("TreatMissingData"))
        return cls(name)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id,
                                        region_name):
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        cloudwatch_backends[account_id][region_name].delete_alarms([resource_name])

    def delete(self, account_id, region_name):
        cloudwatch_backends[account_id][region_name].delete_alarms([self.name])


class _CfnApiGatewayAccount(CloudFormationModel):
    __module__ = "moto.apigateway.models"

    def __init__(self, role_arn):
        self.role_arn = role_arn

    @property
    def physical_resource_id(self):
        return "api-gateway-account"

    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGateway::Account"

    @classmethod
    def has_cfn_attr(cls, attr):
        return False

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.apigateway.models import apigateway_backends

        role = cloudformation_json["Properties"]["CloudWatchRoleArn"]
        apigateway_backends[account_id][region_name].update_account(
            [{"op": "replace", "path": "/cloudwatchRoleArn", "value": role}])
        return cls(role)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id,
                                        region_name):
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass

    def delete(self, account_id, region_name):
        pass


_load_balancer_attribute = models.FakeLoadBalancer.get_cfn_attribute


def _load_balancer_full_name(self, attribute_name):
    if attribute_name == "LoadBalancerFullName":
        return self.arn.split(":loadbalancer/", 1)[1]
    return _load_balancer_attribute(self, attribute_name)


models.FakeLoadBalancer.get_cfn_attribute = _load_balancer_full_name


def _target_group_full_name(self, attribute_name):
    if attribute_name == "TargetGroupFullName":
        return self.arn.split(":", 5)[5]
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

    raise UnformattedGetAttTemplateException()


models.FakeTargetGroup.get_cfn_attribute = _target_group_full_name


class _QueueWithCheapAttributes:
    """A moto Queue whose `attributes` is only ContentBasedDeduplication; everything else is the queue's own."""

    def __init__(self, queue):
        self.__dict__["_queue"] = queue

    def __getattr__(self, name):
        return getattr(self._queue, name)

    @property
    def attributes(self):
        value = getattr(self._queue, "content_based_deduplication", False)
        return {"ContentBasedDeduplication": "true" if str(value).lower() == "true" else "false"}


_sqs_validate = sqs_models.SQSBackend._validate_message
_sqs_add_message = sqs_models.Queue.add_message


def _validate_message_cheaply(self, queue, *args, **kwargs):
    return _sqs_validate(self, _QueueWithCheapAttributes(queue), *args, **kwargs)


def _add_message_cheaply(self, message):
    return _sqs_add_message(_QueueWithCheapAttributes(self), message)


_sqs_get_queue = sqs_models.SQSBackend.get_queue
_sqs_send_message = sqs_models.SQSBackend.send_message
_sending = threading.local()  # send_message reads queue.attributes itself: it gets the view, in its thread only


def _get_queue_viewed_while_sending(self, queue_name):
    queue = _sqs_get_queue(self, queue_name)
    return _QueueWithCheapAttributes(queue) if getattr(_sending, "active", False) else queue


def _send_message_cheaply(self, *args, **kwargs):
    _sending.active = True
    try:
        return _sqs_send_message(self, *args, **kwargs)
    finally:
        _sending.active = False


sqs_models.SQSBackend._validate_message = _validate_message_cheaply
sqs_models.Queue.add_message = _add_message_cheaply
sqs_models.SQSBackend.get_queue = _get_queue_viewed_while_sending
sqs_models.SQSBackend.send_message = _send_message_cheaply

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
