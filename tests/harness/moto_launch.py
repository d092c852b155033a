"""moto_server with two fixes of moto 5.2 bugs that the deploy tests meet; nothing else changes.

1. A template's AWS::ElasticLoadBalancingV2::LoadBalancer `Type` is ignored, so every load balancer is an
   application one and a `network` load balancer's TCP listener is refused ("Listener protocol 'TCP'
   must be one of 'HTTP, HTTPS'"). AWS honours the property; this passes it through.
2. ExecuteChangeSet applies the resources but never recomputes the stack's Outputs: a stack created by a
   change set has none, and an update keeps the old ones. AWS recomputes them, as moto's UpdateStack does.
3. Deleting a stack neither detaches an AWS::EC2::VPCGatewayAttachment's internet gateway nor deletes an
   AWS::EC2::RouteTable, so the VPC cannot be deleted (DependencyViolation). AWS deletes all three.
4. AWS::CloudWatch::Alarm is not a CloudFormation type moto knows (it skips the resource); AWS creates the
   alarm as PutMetricAlarm would. And Fn::GetAtt of a load balancer's LoadBalancerFullName and of a target
   group's TargetGroupFullName give nothing; AWS gives "net/<name>/<id>" and "targetgroup/<name>/<id>", the
   values of CloudWatch's LoadBalancer and TargetGroup dimensions.
5. AWS::ApiGateway::Account is skipped too; AWS sets the region's CloudWatch Logs role (GetAccount's
   cloudwatchRoleArn) to its CloudWatchRoleArn, and leaves the setting as it is when the resource is deleted.
"""
import os
import sys

# Run as a script, this file's directory comes first on sys.path, and its moto.py would shadow the package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

from moto.cloudformation import models as cloudformation
from moto.cloudwatch.models import cloudwatch_backends
from moto.core.common_models import CloudFormationModel
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

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
