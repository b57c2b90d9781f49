"""VPC endpoint service names, per partition: the one table every endpoint the templates create
takes its name from, and the check that holds every written template to it.

An endpoint's service name is ``<prefix>.<region>.<service>``. The prefix is ``com.amazonaws``
almost everywhere, but not for every service in the China regions: there ``ecr.api`` and
``ecr.dkr`` (and ``sts``, ``monitoring``, ``xray``, ``sqs`` and S3's *interface* endpoint) are
``cn.com.amazonaws.<region>.<service>``, while ``logs``, ``ssm``, ``ssmmessages``,
``secretsmanager``, ``kms``, ``sns``, ``ecs*``, ``elasticloadbalancing`` and the S3 and DynamoDB
*gateway* endpoints keep ``com.amazonaws``. Sources: AWS CDK's ``VPC_ENDPOINT_SERVICE_EXCEPTIONS``
(``aws-ec2/lib/vpc-endpoint.ts``, the same for cn-north-1 and cn-northwest-1), the
``describe-vpc-endpoint-services`` output quoted in aws/aws-cdk#25329 and the CloudFormation
failure in aws/aws-cdk#9864 ("The Vpc Endpoint Service 'com.amazonaws.cn-north-1.ecr.dkr' does
not exist"). GovCloud has no exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from troposphere import If, Sub

DEFAULT_PREFIX = "com.amazonaws"
CHINA_PREFIX = "cn.com.amazonaws"

INTERFACE = "Interface"
GATEWAY = "Gateway"

# The partitions whose regions the templates claim, with the regions the check evaluates each
# endpoint name for (every region of a partition that has an exception; one otherwise).
PARTITION_REGIONS: dict[str, tuple[str, ...]] = {
    "aws": ("us-east-1",),
    "aws-cn": ("cn-north-1", "cn-northwest-1"),
    "aws-us-gov": ("us-gov-west-1", "us-gov-east-1"),
}


@dataclass(frozen=True)
class EndpointService:
    """One AWS service reachable through a VPC endpoint of one kind."""

    name: str  # "ecr.api": the part of the service name after the region
    kind: str = INTERFACE
    prefixes: Mapping[str, str] = field(default_factory=dict)  # partition -> prefix, if not default

    def prefix(self, partition: str) -> str:
        return self.prefixes.get(partition, DEFAULT_PREFIX)

    def service_name(self, partition: str, region: str) -> str:
        """The endpoint service name in ``region`` of ``partition``."""
        return f"{self.prefix(partition)}.{region}.{self.name}"


_CHINA = {"aws-cn": CHINA_PREFIX}

# Interface endpoints a private Fargate task may need, and the gateway endpoints.
INTERFACE_SERVICES: dict[str, EndpointService] = {
    service.name: service
    for service in (
        EndpointService("ecr.api", prefixes=_CHINA),
        EndpointService("ecr.dkr", prefixes=_CHINA),
        EndpointService("logs"),
        EndpointService("secretsmanager"),
        EndpointService("ssm"),
        EndpointService("ssmmessages"),
        EndpointService("kms"),
        EndpointService("sts", prefixes=_CHINA),
        EndpointService("monitoring", prefixes=_CHINA),
        EndpointService("xray", prefixes=_CHINA),
        EndpointService("elasticloadbalancing"),
        EndpointService("sqs", prefixes=_CHINA),
        EndpointService("sns"),
        EndpointService("ecs"),
        EndpointService("ecs-agent"),
        EndpointService("ecs-telemetry"),
    )
}
S3_GATEWAY = EndpointService("s3", kind=GATEWAY)
# Free, like S3's: DynamoDB from a private subnet without NAT (or without its data charge).
DYNAMODB_GATEWAY = EndpointService("dynamodb", kind=GATEWAY)
GATEWAY_SERVICES: dict[str, EndpointService] = {
    service.name: service for service in (S3_GATEWAY, DYNAMODB_GATEWAY)
}


def lookup(name: str, kind: str) -> EndpointService:
    table = INTERFACE_SERVICES if kind == INTERFACE else GATEWAY_SERVICES
    if name not in table:
        raise KeyError(f"{kind.lower()} endpoint service {name!r} is not in the endpoint table")
    return table[name]


def service_name_expression(service: EndpointService, china_condition: str) -> Any:
    """The ``ServiceName`` of an endpoint for ``service``, for any partition: an ``Fn::If`` on
    ``china_condition`` (true in the aws-cn partition) where China's prefix differs."""
    default = Sub(f"{DEFAULT_PREFIX}.${{AWS::Region}}.{service.name}")
    china = service.prefix("aws-cn")
    if china == DEFAULT_PREFIX:
        return default
    return If(china_condition, Sub(f"{china}.${{AWS::Region}}.{service.name}"), default)


def _substitute(text: str, pseudo: Mapping[str, str]) -> str:
    for name, value in pseudo.items():
        text = text.replace(f"${{{name}}}", value)
    if "${" in text:
        raise ValueError(f"cannot evaluate {text!r} offline")
    return text


def _evaluate(expression: Any, evaluator: Any, pseudo: Mapping[str, str]) -> str:
    if isinstance(expression, str):
        return expression
    if isinstance(expression, dict) and len(expression) == 1:
        ((function, argument),) = expression.items()
        if function == "Fn::If":
            name, then, otherwise = argument
            chosen = then if evaluator.condition(name) else otherwise
            return _evaluate(chosen, evaluator, pseudo)
        if function == "Fn::Sub" and isinstance(argument, str):
            return _substitute(argument, pseudo)
    raise ValueError(f"cannot evaluate the endpoint service name {expression!r} offline")


def check_template(template: Mapping[str, Any]) -> list[str]:
    """Every ``AWS::EC2::VPCEndpoint`` of ``template`` whose ``ServiceName`` is not the one the
    table gives, in any region of the claimed partitions (conditions evaluated there, parameters
    at their defaults). Returns one line per problem."""
    defaults = {
        name: str(spec["Default"])
        for name, spec in template.get("Parameters", {}).items()
        if "Default" in spec
    }
    problems = []
    for logical_id, resource in sorted(template.get("Resources", {}).items()):
        if resource.get("Type") == "AWS::EC2::VPCEndpoint":
            problems += _endpoint_problems(template, logical_id, resource, defaults)
    return problems


def _endpoint_problems(
    template: Mapping[str, Any],
    logical_id: str,
    resource: Mapping[str, Any],
    defaults: Mapping[str, str],
) -> list[str]:
    from ..cfn.evaluate import _Evaluator

    properties = resource.get("Properties", {})
    kind = properties.get("VpcEndpointType", GATEWAY)
    problems = []
    for partition, regions in PARTITION_REGIONS.items():
        for region in regions:
            pseudo = {"AWS::Partition": partition, "AWS::Region": region}
            evaluator = _Evaluator(template, defaults, pseudo)
            try:
                name = _evaluate(properties.get("ServiceName"), evaluator, pseudo)
                suffix = name.split(f".{region}.", 1)[-1]
                expected = lookup(suffix, kind).service_name(partition, region)
            except (ValueError, KeyError) as exc:
                return [f"{logical_id}: {exc.args[0]}"]  # the same in every region
            if name != expected:
                problems.append(f"{logical_id}: {name} in {region}, expected {expected}")
    return problems
