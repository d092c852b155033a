"""moto_server with two fixes of moto 5.2 bugs that the deploy tests meet; nothing else changes.

1. A template's AWS::ElasticLoadBalancingV2::LoadBalancer `Type` is ignored, so every load balancer is an
   application one and a `network` load balancer's TCP listener is refused ("Listener protocol 'TCP'
   must be one of 'HTTP, HTTPS'"). AWS honours the property; this passes it through.
2. ExecuteChangeSet applies the resources but never recomputes the stack's Outputs: a stack created by a
   change set has none, and an update keeps the old ones. AWS recomputes them, as moto's UpdateStack does.
3. Deleting a stack neither detaches an AWS::EC2::VPCGatewayAttachment's internet gateway nor deletes an
   AWS::EC2::RouteTable, so the VPC cannot be deleted (DependencyViolation). AWS deletes all three.
4. ECR GetDownloadUrlForLayer is not implemented. AWS answers with a presigned S3 URL of the blob, fetched
   with a plain GET; here the blob is an object the test put in moto's S3 bucket `moto-ecr-blobs` under
   `<repository>/<digest>` (harness/ecr.py), and the URL is that object's path-style URL on this server.
   A blob that is not there is LayersNotFoundException, as on AWS.
"""
import json
import os
import sys

# Run as a script, this file's directory comes first on sys.path, and its moto.py would shadow the package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

from moto.cloudformation import models as cloudformation
from moto.ec2.models import ec2_backends
from moto.ec2.models.route_tables import RouteTable
from moto.ec2.models.vpn_gateway import VPCGatewayAttachment
from moto.core.exceptions import ServiceException
from moto.ecr import responses as ecr_responses
from moto.ecr.exceptions import RepositoryNotFoundException
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

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
