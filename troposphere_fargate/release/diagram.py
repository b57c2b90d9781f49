"""Architecture pictures drawn from what the templates deploy, not from the resource graph.

:func:`picture` evaluates the generated network and service templates for a set of parameter
values (:func:`troposphere_fargate.cfn.evaluate.deployed`) and keeps what a person would draw: the
Availability Zones in use, the NAT gateways and which private subnet routes to which, the VPC
endpoints, the load balancer's type and listeners. :func:`graph` lays that out with Graphviz:
the internet and the internet gateway on top, the VPC with one column per AZ (public subnet
above private subnet), the AWS services the tasks use on the side, reached through the NAT
gateways or the endpoints. Change the templates and the picture changes with them.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz

from ..cfn import reach
from ..cfn.evaluate import (
    ParameterError,
    check_rules,
    default_text,
    deployed,
    parameter_values,
    resolved,
)
from ..layers import network as n
from ..layers import service as s
from ..layers.config import APPLICATION_LOAD_BALANCER, NetworkConfig, ProductConfig, ServiceConfig
from ..layers.environment import names as e
from ..layers.exposure import EXPOSE_INTERNAL, EXPOSE_PUBLIC
from . import build  # build.render_templates looked up at each call, as the commands do


class CannotDraw(ValueError):
    """The templates lack what every picture shows (a load balancer, an ECS service): they are
    not the network.yaml and service.yaml this tool builds. The message is one line."""


INSTALL_DOT = (
    "Graphviz's dot program is needed to draw pictures: apt-get install graphviz (Debian, "
    "Ubuntu), brew install graphviz (macOS), or see https://graphviz.org/download/"
)


@dataclass(frozen=True)
class Scenario:
    """Deploy-time choices a picture shows (the templates' parameters); by default those of the
    shipped product."""

    azs: int = NetworkConfig().default_azs
    nat: str = NetworkConfig().default_nat_gateways
    endpoints: bool = NetworkConfig().default_vpc_endpoints
    load_balancer: str = ServiceConfig().default_load_balancer_type
    https: bool = False

    @classmethod
    def defaults_of(cls, config: ProductConfig) -> Scenario:
        """The choices a launch of ``config``'s templates makes by default."""
        return cls(
            azs=config.network.default_azs,
            nat=config.network.default_nat_gateways,
            endpoints=config.network.default_vpc_endpoints,
            load_balancer=config.service.default_load_balancer_type,
        )

    @classmethod
    def defaults_of_templates(cls, templates: Mapping[str, Any]) -> Scenario:
        """The choices a launch of these network and service templates makes by default (a
        committed version's own, which may not be this code's)."""

        def default(layer: str, name: str, otherwise: str) -> str:
            spec = (templates[layer].get("Parameters") or {}).get(name) or {}
            return default_text(spec["Default"]) if "Default" in spec else otherwise

        shipped = cls()
        azs = default(n.LAYER, n.NUMBER_OF_AZS, str(shipped.azs))
        return cls(
            azs=int(azs) if azs.isdigit() else shipped.azs,
            nat=default(n.LAYER, n.NAT_GATEWAYS, shipped.nat),
            endpoints=default(n.LAYER, n.VPC_ENDPOINTS, "false") == "true",
            load_balancer=default(s.LAYER, s.LOAD_BALANCER_TYPE, shipped.load_balancer),
        )

    def network_parameters(self) -> dict[str, str]:
        return {
            n.NUMBER_OF_AZS: str(self.azs),
            n.NAT_GATEWAYS: self.nat,
            n.VPC_ENDPOINTS: "true" if self.endpoints else "false",
        }

    def service_parameters(self) -> dict[str, str]:
        return {
            s.VPC_ID: "vpc-00000000",
            s.PUBLIC_SUBNET_IDS: "subnet-00000001,subnet-00000002",
            s.PRIVATE_SUBNET_IDS: "subnet-00000003,subnet-00000004",
            s.CONTAINER_IMAGE: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
            s.LOAD_BALANCER_TYPE: self.load_balancer,
            s.CERTIFICATE_ARN: (
                "arn:aws:acm:us-east-1:123456789012:certificate/"
                "00000000-0000-0000-0000-000000000000"
                if self.https
                else ""
            ),
        }


# The ``diagram`` option that sets each template parameter a Scenario fills in: a refusal of
# the templates names their parameters, and the command says which option to change.
OPTIONS = {
    n.NUMBER_OF_AZS: "--azs",
    n.NAT_GATEWAYS: "--nat",
    n.VPC_ENDPOINTS: "--endpoints",
    s.LOAD_BALANCER_TYPE: "--lb",
    s.CERTIFICATE_ARN: "--https",
}


def options_named(message: str) -> list[str]:
    """``--nat sets NatGateways``, for each parameter ``message`` names as a word."""
    return [
        f"{option} sets {name}"
        for name, option in OPTIONS.items()
        if re.search(rf"\b{re.escape(name)}\b", message)
    ]


# What every task uses: its image from ECR (whose layers come from S3) and its logs.
_ALWAYS = ("ECR", "S3", "CloudWatch Logs")
# The names a picture gives the endpoints the tasks call (cfn.reach.endpoints_called: an
# action's service prefix, or the endpoint it calls where the two differ); another is drawn as
# it is (``sagemaker.runtime``).
_SERVICE_NAMES = {
    "bedrock": "Bedrock",
    "bedrock-agent": "Bedrock Agents",
    "bedrock-agent-runtime": "Bedrock Agents",
    "bedrock-data-automation": "Bedrock Data Automation",
    "bedrock-data-automation-runtime": "Bedrock Data Automation",
    "bedrock-runtime": "Bedrock",
    "data-servicediscovery": "Cloud Map",
    "dynamodb": "DynamoDB",
    "email": "SES",
    "ecr.api": "ECR",
    "events": "EventBridge",
    "kinesis-firehose": "Data Firehose",
    "kinesis-streams": "Kinesis Data Streams",
    "kms": "KMS",
    "logs": "CloudWatch Logs",
    "monitoring": "CloudWatch",
    "s3": "S3",
    "secretsmanager": "Secrets Manager",
    "servicediscovery": "Cloud Map",
    "sns": "SNS",
    "sqs": "SQS",
    "ssm": "SSM Parameter Store",
    "ssmmessages": "Session Manager",
    "xray": "X-Ray",
}


@dataclass
class Picture:
    """What the templates deploy for a scenario, as a person would draw it."""

    vpc_cidr: str
    azs: list[int]
    nat_gateways: list[int]  # the AZ each NAT gateway is in
    routes: dict[int, int | None]  # private subnet's AZ -> AZ of the NAT it routes to, or None
    endpoints: list[str]  # the services of every VPC endpoint, interface and gateway
    load_balancer: str
    listeners: list[str] = field(default_factory=list)  # "HTTPS :443", "HTTP :80 (301 to HTTPS)"
    container_port: str = ""
    public_ip: bool = False  # whether tasks get a public IP (AssignPublicIp)
    s3_limits: str | None = None  # what the S3 gateway endpoint lets through, when not all
    # Those of ``endpoints`` that are gateway endpoints (s3, dynamodb): routes in the private
    # route tables, not network interfaces in the subnets.
    gateways: list[str] = field(default_factory=list)
    web_acl: bool = False  # whether an AWS WAF web ACL is associated with the load balancer
    routed_elsewhere: list[int] = field(default_factory=list)  # see NetworkView
    # What the stacks create that the picture does not show as it is: each "Name (Type)" of a
    # type these templates never make (a nested stack, a resource of one's own), and each subnet,
    # NAT gateway or default route of the private subnets it cannot place (templates of one's own).
    not_drawn: list[str] = field(default_factory=list)
    # The AWS services the tasks use: ECR, S3 and CloudWatch Logs, then those their roles name.
    services: list[str] = field(default_factory=lambda: list(_ALWAYS))
    # Those of them the tasks cannot reach: no NAT gateway and no VPC endpoint (unreachable).
    unreachable: list[str] = field(default_factory=list)


def services_reached(resources: Mapping[str, Any]) -> list[str]:
    """The AWS services the tasks of a resolved stack use: ECR, S3 and CloudWatch Logs, then
    each service whose API they call (:func:`troposphere_fargate.cfn.reach.endpoints_called`:
    the task role's allowed actions, the secrets the execution role reads), by name. An action
    that calls no AWS API (``rds-db:connect``, ``iam:PassRole``) and the execution role's
    ``kms:Decrypt`` (Secrets Manager decrypts) are not drawn; managed policies are not read."""
    return _named_services(reach.endpoints_called(resources))


def _named_services(endpoints: Iterable[str]) -> list[str]:
    """ECR, S3 and CloudWatch Logs, then the services of ``endpoints``, by name."""
    named = {_SERVICE_NAMES.get(endpoint, endpoint) for endpoint in endpoints} - set(_ALWAYS)
    return [*_ALWAYS, *sorted(named, key=str.lower)]


def _rows(names: list[str], per_row: int) -> str:
    """``names``, ``per_row`` to a line."""
    return "\n".join(", ".join(names[i : i + per_row]) for i in range(0, len(names), per_row))


def _services_label(services: list[str]) -> str:
    """``AWS services`` and the services, three to a line."""
    return "AWS services\n" + _rows(services, 3)


def _az_of_ref(reference: Any, name_of: Any, azs: list[int]) -> int | None:
    for az in azs:
        if reference == {"Ref": name_of(az)}:
            return az
    return None


def _value(value: Any, parameters: Mapping[str, str]) -> str:
    """A literal, or the value of the parameter it refers to ("?" for what is known once
    deployed, such as an attribute of a resource)."""
    if isinstance(value, dict):
        return str(parameters.get(str(value.get("Ref")), "?"))
    return str(value)


@dataclass(frozen=True)
class NetworkView:
    """What the network template deploys, as a person would draw it."""

    vpc_cidr: str
    azs: list[int]
    nat_gateways: list[int]
    routes: dict[int, int | None]
    endpoints: list[str]  # the services of every VPC endpoint, interface and gateway
    # What the S3 gateway endpoint's policy lets through, when not every bucket (S3EndpointAccess)
    s3_limits: str | None = None
    # Those of ``endpoints`` that are gateway endpoints (see Picture.gateways).
    gateways: list[str] = field(default_factory=list)
    # Those of ``azs`` whose private subnet has a default route to what is not drawn (not a NAT
    # gateway of the picture): not said to have "no route to the internet".
    routed_elsewhere: list[int] = field(default_factory=list)
    not_drawn: list[str] = field(default_factory=list)  # see Picture.not_drawn
    # A VPC of the user's (NetworkConfig.existing_vpc): its subnets and routes are not drawn.
    existing: bool = False


# The network of an environment in an existing VPC: what the templates know of it.
EXISTING_NETWORK = NetworkView(
    vpc_cidr="", azs=[], nat_gateways=[], routes={}, endpoints=[], existing=True
)


def _network(scenario: Scenario, template: Mapping[str, Any]) -> NetworkView:
    network_parameters = scenario.network_parameters()
    if n.NUMBER_OF_AZS not in template["Parameters"]:  # a build with two AZs only
        if scenario.azs != 2:
            raise ParameterError(
                f"these templates offer 2 Availability Zones, not {scenario.azs}: draw them "
                "with --azs 2, or build them with a larger max_azs"
            )
        del network_parameters[n.NUMBER_OF_AZS]
    net = deployed(template, network_parameters)
    azs = sorted(
        az
        for az in range(1, 10)
        if n.private_subnet(az) in net.resources and n.public_subnet(az) in net.resources
    )
    nats = {}
    for name, resource in net.of_type("AWS::EC2::NatGateway").items():
        nats[name] = _az_of_ref(resource["Properties"].get("SubnetId"), n.public_subnet, azs)
    routes: dict[int, int | None] = dict.fromkeys(azs)
    elsewhere = []
    not_drawn = [
        f"{name} (AWS::EC2::Subnet)"
        for name in net.of_type("AWS::EC2::Subnet")
        if name not in {f(az) for az in azs for f in (n.private_subnet, n.public_subnet)}
    ] + [f"{name} (AWS::EC2::NatGateway)" for name, az in nats.items() if az is None]
    for name, resource in net.of_type("AWS::EC2::Route").items():
        properties = resource["Properties"]
        az = _az_of_ref(properties.get("RouteTableId"), n.private_route_table, azs)
        if az is None or properties.get("DestinationCidrBlock") != "0.0.0.0/0":
            continue
        target = properties.get("NatGatewayId")
        reference = str(target.get("Ref")) if isinstance(target, dict) else ""
        if nats.get(reference) is not None:
            routes[az] = nats[reference]
        else:  # to an internet gateway, a NAT gateway not drawn, a transit gateway, ...
            elsewhere.append(az)
            not_drawn.append(f"{name} (AWS::EC2::Route 0.0.0.0/0 of private subnet {az})")
    from ..cfn.dry_run import endpoint_limits, endpoint_service, is_gateway_endpoint

    every = [resource["Properties"] for resource in net.of_type("AWS::EC2::VPCEndpoint").values()]

    s3 = net.resources.get(n.S3_GATEWAY_ENDPOINT)
    return NetworkView(
        vpc_cidr=str(net.parameters[n.VPC_CIDR]),
        azs=azs,
        nat_gateways=sorted(az for az in nats.values() if az is not None),
        routes=routes,
        endpoints=sorted(endpoint_service(endpoint) for endpoint in every),
        s3_limits=endpoint_limits(s3["Properties"]) if s3 else None,
        gateways=sorted(endpoint_service(e) for e in every if is_gateway_endpoint(e)),
        routed_elsewhere=sorted(set(elsewhere)),
        not_drawn=not_drawn + _unknown(net.resources),
    )


def _s3_label(limits: str | None) -> str:
    """The S3 gateway endpoint's box, with what its policy lets through when not everything."""
    label = "S3 gateway endpoint\n(private route tables)"
    if limits:
        label += "\n" + limits.replace(" and ", "\nand ", 1)
    return label


def _interfaces(endpoints: list[str], gateways: list[str]) -> list[str]:
    """The interface endpoints: network interfaces in each private subnet (AWS PrivateLink)."""
    return [endpoint for endpoint in endpoints if endpoint not in gateways]


def _gateway_node(service: str) -> str:
    """``s3endpoint``, ``dynamodbendpoint``: a gateway endpoint's node."""
    return re.sub(r"\W", "_", service) + "endpoint"


def _gateway_nodes(parent: graphviz.Digraph, gateways: list[str], s3_limits: str | None) -> None:
    """A box per gateway endpoint, in the VPC, outside the subnets: a gateway endpoint is a
    route in the private route tables, with no network interface in a subnet."""
    for service in gateways:
        label = (
            _s3_label(s3_limits)
            if service == "s3"
            else f"{_SERVICE_NAMES.get(service, service)} gateway endpoint\n(private route tables)"
        )
        parent.node(_gateway_node(service), label, **_STYLE["endpoint"])


def _gateway_edges(dot: graphviz.Digraph, gateways: list[str]) -> None:
    for service in gateways:
        dot.edge(
            _gateway_node(service),
            "aws",
            label="S3 layers" if service == "s3" else _SERVICE_NAMES.get(service, service),
            style="dashed",
            color="#6a1b9a",
        )


def _listeners(
    listeners: Mapping[str, Any], parameters: Mapping[str, str] | None = None
) -> list[str]:
    """Each listener as "HTTPS :443", "HTTP :80 (301 to HTTPS)" or "HTTPS :443 (404 ...)",
    by port (a port or protocol given by a parameter takes its value)."""
    shown = []
    parameters = parameters or {}

    def port(resource: Mapping[str, Any]) -> tuple[bool, str]:
        text = _value(resource["Properties"].get("Port", "?"), parameters or {})
        return (not text.isdigit(), text.zfill(5))

    for resource in sorted(listeners.values(), key=port):
        properties = resource["Properties"]
        protocol = _value(properties.get("Protocol", "?"), parameters)
        text = f"{protocol} :{_value(properties.get('Port', '?'), parameters)}"
        action = (properties.get("DefaultActions") or [{}])[0]
        if action.get("Type") == "redirect":
            redirect = action.get("RedirectConfig", {})
            code = str(redirect.get("StatusCode", "")).removeprefix("HTTP_")
            text += f" ({code} to {redirect.get('Protocol', '?')})"
        elif action.get("Type") == "fixed-response":
            code = action.get("FixedResponseConfig", {}).get("StatusCode", "?")
            text += f" ({code} unless a rule matches)"
        shown.append(text)
    return shown


# The parameters of network.yaml and service.yaml a picture sets (Scenario) or reads: every
# version's (0.1.0 on). Templates without them are not this tool's: an ECS template of one's own
# (a corpus of them) was refused as "unknown parameter(s): NatGateways" of an option never
# given, or raised a traceback (KeyError: 'Parameters').
_DRAWN_PARAMETERS = {
    n.LAYER: ("network.yaml", (n.NAT_GATEWAYS, n.VPC_ENDPOINTS, n.VPC_CIDR)),
    s.LAYER: (
        "service.yaml",
        (
            s.VPC_ID,
            s.PUBLIC_SUBNET_IDS,
            s.PRIVATE_SUBNET_IDS,
            s.CONTAINER_IMAGE,
            s.LOAD_BALANCER_TYPE,
            s.CERTIFICATE_ARN,
            s.CONTAINER_PORT,
        ),
    ),
}


def _not_drawable(templates: Mapping[str, Any]) -> None:
    """Raise CannotDraw when the network or service template declares none of the parameters
    a picture sets or reads (see _DRAWN_PARAMETERS), naming them."""
    for layer, (file, names) in _DRAWN_PARAMETERS.items():
        declared = templates[layer].get("Parameters")
        missing = [name for name in names if not isinstance(declared, dict) or name not in declared]
        if missing:
            raise CannotDraw(
                f"{file} declares no parameter {', '.join(missing)}: the picture draws the "
                "network.yaml and service.yaml this tool builds (a version, or a build of your "
                "own); validate and cost tell what a template of your own deploys and costs"
            )


def picture(scenario: Scenario, templates: Mapping[str, Any] | None = None) -> Picture:
    """Evaluate the generated templates' parameters, rules and conditions for ``scenario``.
    Raises CannotDraw for templates that are not this tool's network.yaml and service.yaml."""
    templates = templates or build.render_templates()
    _not_drawable(templates)
    net = _network(scenario, templates[n.LAYER])
    svc = deployed(templates[s.LAYER], scenario.service_parameters())
    for name, kind in ((s.LOAD_BALANCER, "load balancer"), (s.SERVICE, "ECS service")):
        if name not in svc.resources:
            raise CannotDraw(
                f"service.yaml creates no {name} for these values: the picture draws the "
                f"{kind} of the service.yaml this tool builds"
            )
    return Picture(
        vpc_cidr=net.vpc_cidr,
        azs=net.azs,
        nat_gateways=net.nat_gateways,
        routes=net.routes,
        endpoints=net.endpoints,
        load_balancer=_value(svc.resources[s.LOAD_BALANCER]["Properties"]["Type"], svc.parameters),
        listeners=_listeners(svc.of_type("AWS::ElasticLoadBalancingV2::Listener"), svc.parameters),
        container_port=str(svc.parameters[s.CONTAINER_PORT]),
        public_ip=svc.resources[s.SERVICE]["Properties"]
        .get("NetworkConfiguration", {})
        .get("AwsvpcConfiguration", {})
        .get("AssignPublicIp")
        == "ENABLED",
        s3_limits=net.s3_limits,
        gateways=net.gateways,
        web_acl=s.WEB_ACL_ASSOCIATION in svc.resources,
        routed_elsewhere=net.routed_elsewhere,
        not_drawn=net.not_drawn + _unknown(svc.resources),
        **_reached([svc.resources], net),
    )


def _unknown(resources: Mapping[str, Any]) -> list[str]:
    """ "Name (Type)" of each of ``resources`` of a type the product's own network.yaml and
    service.yaml never make (a template of one's own): a nested stack, a custom resource, a
    firewall, none of which the picture knows how to draw."""
    known = _KNOWN_TYPES
    return [
        f"{name} ({body.get('Type')})"
        for name, body in resources.items()
        if body.get("Type") not in known
    ]


# The resource types of the shipped product's network.yaml and service.yaml, written out:
# rendering the product to find them took 30 ms of every build (its pictures ask) and of every
# `diagram`. tests/release/test_diagram.py holds this to the rendered templates.
_KNOWN_TYPES = frozenset(
    {
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::CloudFormation::WaitConditionHandle",
        "AWS::CloudWatch::Alarm",
        "AWS::CloudWatch::Dashboard",
        "AWS::EC2::EIP",
        "AWS::EC2::FlowLog",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::NatGateway",
        "AWS::EC2::Route",
        "AWS::EC2::RouteTable",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::Subnet",
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::VPC",
        "AWS::EC2::VPCEndpoint",
        "AWS::EC2::VPCGatewayAttachment",
        "AWS::ECS::Cluster",
        "AWS::ECS::Service",
        "AWS::ECS::TaskDefinition",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::IAM::Role",
        "AWS::Lambda::Function",
        "AWS::Logs::LogGroup",
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
        "AWS::WAFv2::WebACLAssociation",
        "Custom::DefaultSecurityGroupRestriction",
    }
)


def _reached(stacks: list[Mapping[str, Any]], network: NetworkView) -> dict[str, list[str]]:
    """``services`` and ``unreachable`` of a picture of the stacks' resources on ``network``:
    the services the tasks call (:func:`services_reached`), and, with no NAT gateway, those of
    them with no VPC endpoint in ``network``, drawn apart (a newcomer's trial: the picture drew
    SQS reached "through private link" with no sqs endpoint and no NAT gateway)."""
    called = {endpoint for resources in stacks for endpoint in reach.endpoints_called(resources)}
    # An existing VPC's routes and endpoints are its own: no call is known to be cut off.
    unknown = network.existing or network.nat_gateways
    missing = [] if unknown else [e for e in called if e not in network.endpoints]
    cut = set(_named_services(missing)) - set(_ALWAYS)
    return {
        "services": [name for name in _named_services(called) if name not in cut],
        "unreachable": sorted(cut, key=str.lower),
    }


_STYLE = {
    "internet": {"shape": "ellipse", "style": "filled", "fillcolor": "#e8f0fe"},
    "gateway": {"shape": "box", "style": "rounded,filled", "fillcolor": "#fde7c5"},
    "balancer": {"shape": "box", "style": "rounded,filled", "fillcolor": "#cde8d5"},
    "task": {"shape": "box3d", "style": "filled", "fillcolor": "#fbe3e3"},
    "endpoint": {"shape": "cds", "style": "filled", "fillcolor": "#ede7f6"},
    "aws": {"shape": "folder", "style": "filled", "fillcolor": "#eeeeee"},
}


def _web_acl_node(dot: graphviz.Digraph) -> None:
    """The web ACL the load balancer's WebAclAssociation attaches, beside it."""
    dot.node("waf", "AWS WAF web ACL", **_STYLE["aws"])
    dot.edge("waf", "lb", style="dashed", constraint="false")


def _internet_on_top(name: str, ranksep: str) -> graphviz.Digraph:
    """A picture in the house style, top to bottom, with the internet and its gateway on top."""
    dot = graphviz.Digraph(name, format="svg")
    dot.attr(rankdir="TB", fontname="Helvetica", fontsize="12", nodesep="0.4", ranksep=ranksep)
    dot.attr("node", fontname="Helvetica", fontsize="11")
    dot.attr("edge", fontname="Helvetica", fontsize="10", color="#555555")
    dot.node("internet", "Internet", **_STYLE["internet"])
    dot.node("igw", "Internet gateway", **_STYLE["gateway"])
    dot.edge("internet", "igw", dir="both")
    return dot


def graph(view: Picture) -> graphviz.Digraph:
    """Lay the picture out: internet on top, one column per AZ, AWS services on the side."""
    dot = _internet_on_top("architecture", ranksep="0.5")
    if view.web_acl:
        _web_acl_node(dot)
    kind = "Application" if view.load_balancer == APPLICATION_LOAD_BALANCER else "Network"
    lb_label = f"{kind} Load Balancer\n" + "\n".join(view.listeners)
    with dot.subgraph(name="cluster_vpc") as vpc:
        vpc.attr(
            label=f"VPC {view.vpc_cidr}", style="rounded", color="#2b6cb0", fontcolor="#2b6cb0"
        )
        vpc.node("lb", lb_label, **_STYLE["balancer"])
        for az in view.azs:
            with vpc.subgraph(name=f"cluster_az{az}") as column:
                column.attr(label=f"Availability Zone {az}", style="dashed", color="#888888")
                with column.subgraph(name=f"cluster_public{az}") as public:
                    public.attr(
                        label=f"public subnet {az}",
                        style="filled",
                        fillcolor="#f1f8e9",
                        color="#7cb342",
                    )
                    public.node(
                        f"lbnode{az}",
                        "load balancer\nnode",
                        shape="box",
                        style="rounded,dashed",
                        color="#2e7d32",
                        fontsize="9",
                    )
                    if az in view.nat_gateways:
                        public.node(
                            f"nat{az}", f"NAT gateway {az}\n+ Elastic IP", **_STYLE["gateway"]
                        )
                with column.subgraph(name=f"cluster_private{az}") as private:
                    no_route = (
                        " (no route to the internet)"
                        if view.routes.get(az) is None and az not in view.routed_elsewhere
                        else ""
                    )
                    private.attr(
                        label=f"private subnet {az}{no_route}",
                        style="filled",
                        fillcolor="#fff8e1",
                        color="#f9a825",
                    )
                    ip = "public IP" if view.public_ip else "no public IP"
                    private.node(f"task{az}", f"Fargate tasks\n{ip}", **_STYLE["task"])
                    interfaces = _interfaces(view.endpoints, view.gateways)
                    if interfaces:
                        private.node(
                            f"endpoints{az}",
                            "interface endpoints\n" + _rows(interfaces, 3),
                            **_STYLE["endpoint"],
                        )
                column.edge(f"lbnode{az}", f"task{az}", label=f":{view.container_port}")
        _gateway_nodes(vpc, view.gateways, view.s3_limits)

    dot.edge("igw", "lb")
    for az in view.azs:
        dot.edge("lb", f"lbnode{az}", arrowhead="none", style="dotted", color="#2e7d32")
        target = view.routes.get(az)
        if target is not None:
            # Outbound routes are drawn without moving the columns around.
            dot.edge(
                f"task{az}",
                f"nat{target}",
                label="0.0.0.0/0",
                color="#ef6c00",
                fontcolor="#ef6c00",
                constraint="false",
            )
    for az in view.nat_gateways:
        dot.edge(f"nat{az}", "igw", color="#ef6c00", constraint="false")

    dot.node("aws", _services_label(view.services), **_STYLE["aws"])
    _unreachable_node(dot, view.unreachable, f"task{view.azs[0]}" if view.azs else None)
    if view.nat_gateways:
        dot.edge(
            "igw",
            "aws",
            label="through NAT",
            style="dashed",
            color="#ef6c00",
            fontcolor="#ef6c00",
            constraint="false",
        )
    for az in view.azs:
        if _interfaces(view.endpoints, view.gateways):
            dot.edge(f"endpoints{az}", "aws", label="private link", style="dashed", color="#6a1b9a")
    _gateway_edges(dot, view.gateways)
    if view.not_drawn:
        dot.node(
            "not_drawn",
            "not drawn (not of the templates this tool builds):\n" + "\n".join(view.not_drawn),
            shape="note",
            style="dashed",
            fontsize="9",
        )
    return dot


# --- An environment of several services --------------------------------------------------------

# Placeholders for the IDs a stack would get from the network and environment stacks: the
# picture shows what the templates decide, and no value here decides anything.
_PLACEHOLDERS = {
    s.VPC_ID: "vpc-00000000",
    s.PUBLIC_SUBNET_IDS: "subnet-00000001,subnet-00000002",
    s.PRIVATE_SUBNET_IDS: "subnet-00000003,subnet-00000004",
    s.CONTAINER_IMAGE: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
    s.CLUSTER_NAME: "environment-cluster",
    s.LISTENER_ARN: (
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/environment/"
        "0123456789abcdef/0123456789abcdef"
    ),
    s.LOAD_BALANCER_SECURITY_GROUP_ID: "sg-00000001",
    s.ENVIRONMENT_SECURITY_GROUP_ID: "sg-00000002",
    s.NAMESPACE_ARN: (
        "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-0123456789abcdef"
    ),
    s.ENVIRONMENT_URL: "https://environment.example.com",
}


@dataclass(frozen=True)
class Member:
    """A service of the environment, as its template deploys it."""

    name: str
    exposure: str  # public, internal or none
    port: str  # the container port ("" for a worker)
    route: str = ""  # public: what its listener rule matches; internal: how others call it
    priority: int = 0  # public: its listener rule's priority
    # public: its other listener rules (a spec's service of several), each (route, priority)
    more_routes: tuple[tuple[str, int], ...] = ()
    # What moves its task count beyond CPU and memory: "scales on queue orders 100 per task",
    # "scheduled: peak, night" ("" for neither).
    scaling: str = ""
    # public with connect: how the other services call it too ("http://api:9000")
    serves: str = ""


@dataclass
class EnvironmentPicture:
    """What a spec's environment deploys: the network, the shared load balancer and each
    service with how it is reached."""

    network: NetworkView
    listeners: list[str]
    names: list[str]  # the alias records of the load balancer
    certificate: bool  # an ACM certificate the stack makes for the domain
    web_acl: bool
    members: list[Member]
    # The AWS services the tasks of every service use (see services_reached), and those they
    # cannot reach (see unreachable).
    services: list[str] = field(default_factory=lambda: list(_ALWAYS))
    unreachable: list[str] = field(default_factory=list)


def _parameters(template: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, str]:
    declared = template.get("Parameters", {})
    return {name: value for name, value in values.items() if name in declared}


def _one_of(values: list[str]) -> str:
    return values[0] if len(values) == 1 else "{" + ", ".join(values) + "}"


def _accepted(template: Mapping[str, Any], given: Mapping[str, str]) -> None:
    """Raise what :func:`deployed` raises when the template's own constraints and rules refuse
    ``given``, without deploying it (its resources come from :func:`resolved`, which keeps a
    value known only later as a placeholder): a picture of an environment deployed each
    template once more only to throw the result away."""
    check_rules(template, parameter_values(template, given))


def _member_stack(template: Mapping[str, Any]) -> dict[str, Any]:
    """A service's template resolved for the placeholders of what the environment passes."""
    given = _parameters(template, _PLACEHOLDERS)
    _accepted(template, given)
    return resolved(template, given)


def _member(name: str, stack: Mapping[str, Any]) -> Member:
    resources = stack["Resources"]
    port = str(stack["Parameters"].get(s.CONTAINER_PORT, {}).get("Default", ""))
    # The main rule first, then the others by priority.
    main = resources.get(s.LISTENER_RULE)
    others = sorted(
        (
            _route(body)
            for title, body in resources.items()
            if s.is_listener_rule_title(title) and title != s.LISTENER_RULE
        ),
        key=lambda route: route[1],
    )
    rules = ([_route(main)] if main is not None else []) + others
    connect = resources[s.SERVICE]["Properties"].get("ServiceConnectConfiguration", {})
    served = connect.get("Services", [])
    url = ""
    if served:
        alias = served[0]["ClientAliases"][0]
        url = f"http://{alias['DnsName']}:{port}"
    if rules:
        (route, priority), *more = rules
        return Member(
            name,
            EXPOSE_PUBLIC,
            port,
            route,
            priority,
            tuple(more),
            scaling=_scaling(resources),
            serves=url,
        )
    if served:
        return Member(name, EXPOSE_INTERNAL, port, url, scaling=_scaling(resources))
    return Member(name, "none", "", scaling=_scaling(resources))


def _route(rule: Mapping[str, Any]) -> tuple[str, int]:
    """What a listener rule matches, host before path (several values of one condition, any of
    which matches, drawn as {a, b}), and its priority."""
    matches = {
        condition["Field"]: _one_of(next(iter(condition.values()))["Values"])
        if "Values" not in condition
        else _one_of(condition["Values"])
        for condition in (
            {k: v for k, v in c.items() if k != "Field"} | {"Field": c["Field"]}
            for c in rule["Properties"]["Conditions"]
        )
    }
    route = " ".join(
        matches[field] for field in ("host-header", "path-pattern") if field in matches
    )
    return route, int(rule["Properties"]["Priority"])


def _scaling(resources: Mapping[str, Any]) -> str:
    """What moves a service's task count beyond CPU and memory, for its box: the queue it
    scales on and its scheduled actions."""
    from ..cfn.dry_run import tracked

    parts = [
        tracked(body.get("Properties", {}))
        for body in resources.values()
        if body.get("Type") == "AWS::ApplicationAutoScaling::ScalingPolicy"
    ]
    parts = [f"scales on {part}" for part in parts if part.startswith("queue ")]
    actions = [
        str(action.get("ScheduledActionName", "?"))
        for body in resources.values()
        if body.get("Type") == "AWS::ApplicationAutoScaling::ScalableTarget"
        for action in body.get("Properties", {}).get("ScheduledActions") or []
    ]
    if actions:
        parts.append(f"scheduled: {', '.join(actions)}")
    return "; ".join(parts)


def environment_picture(
    config: ProductConfig,
    scenario: Scenario | None = None,
    templates: Mapping[str, Any] | None = None,
) -> EnvironmentPicture:
    """Evaluate the templates a spec's environment builds (``config.services``) for the
    network choices of ``scenario`` and the spec's own defaults."""
    if not config.services:
        raise ValueError("environment_picture draws an environment: the config has no services")
    scenario = scenario or Scenario()
    templates = templates or build.render_templates(config)
    network = _network(scenario, templates[n.LAYER]) if n.LAYER in templates else EXISTING_NETWORK
    environment = templates[e.LAYER]
    given = _parameters(environment, _PLACEHOLDERS)
    _accepted(environment, given)
    stack = resolved(environment, given)
    resources = stack["Resources"]
    listeners = {
        name: body
        for name, body in resources.items()
        if body["Type"] == "AWS::ElasticLoadBalancingV2::Listener"
    }
    names = sorted(
        str(body["Properties"]["Name"])
        for body in resources.values()
        if body["Type"] == "AWS::Route53::RecordSet"
    )
    stacks = {
        member.container_name: _member_stack(templates[f"service-{member.container_name}"])
        for member in config.services
    }
    members = [_member(name, stack) for name, stack in stacks.items()]
    return EnvironmentPicture(
        network=network,
        listeners=_listeners(listeners),
        names=names,
        certificate=e.CERTIFICATE in resources,
        web_acl=e.WEB_ACL_ASSOCIATION in resources,
        members=members,
        **_reached([stack["Resources"] for stack in stacks.values()], network),
    )


def _unreachable_node(dot: graphviz.Digraph, names: list[str], source: str | None) -> None:
    """The services the tasks call and cannot reach, apart, with a red edge that says so."""
    if not names:
        return
    dot.node(
        "unreachable",
        "not reachable: no NAT gateway,\nno VPC endpoint\n" + _rows(names, 3),
        shape="folder",
        style="dashed",
        color="#c62828",
        fontcolor="#c62828",
    )
    with dot.subgraph() as row:  # beside the services the tasks do reach
        row.attr(rank="same")
        row.node("aws")
        row.node("unreachable")
    if source is not None:
        dot.edge(
            source,
            "unreachable",
            label="times out",
            style="dashed",
            color="#c62828",
            fontcolor="#c62828",
            constraint="false",
        )


def _outbound(
    dot: graphviz.Digraph,
    network: NetworkView,
    source: str,
    services: list[str],
    unreachable_services: list[str],
) -> None:
    """The private subnets' way out from ``source``: NAT gateways (routes drawn without moving
    the columns), interface endpoints and the S3 gateway endpoint, to the AWS services."""
    for az in sorted({az for az in network.routes.values() if az is not None}):
        dot.edge(
            source,
            f"nat{az}",
            label="0.0.0.0/0",
            color="#ef6c00",
            fontcolor="#ef6c00",
            constraint="false",
        )
    for az in network.nat_gateways:
        dot.edge(f"nat{az}", "igw", color="#ef6c00", constraint="false")
    dot.node("aws", _services_label(services), **_STYLE["aws"])
    _unreachable_node(dot, unreachable_services, source)
    if network.nat_gateways:
        dot.edge(
            "igw",
            "aws",
            label="through NAT",
            style="dashed",
            color="#ef6c00",
            fontcolor="#ef6c00",
            constraint="false",
        )
    if network.existing:
        dot.edge(source, "aws", label="your VPC's routes", style="dashed", constraint="false")
    if _interfaces(network.endpoints, network.gateways):
        dot.edge("endpoints", "aws", label="private link", style="dashed", color="#6a1b9a")
    _gateway_edges(dot, network.gateways)


def _outbound_label(nat_gateways: int, no_route: bool) -> str:
    if no_route:
        return "outbound: none"
    if nat_gateways > 1:
        return "outbound: through the NAT gateway of the task's AZ"
    return "outbound: through the one NAT gateway"


def environment_graph(view: EnvironmentPicture) -> graphviz.Digraph:
    """Lay an environment out: the internet, its DNS names and the shared load balancer on top,
    one public subnet per AZ, then the ECS cluster in the private subnets with each service and
    how it is reached (listener rules from the load balancer, Service Connect between services).
    """
    network = view.network
    dot = _internet_on_top("environment", ranksep="0.55")
    if view.names:
        dot.node("dns", "Route 53 alias records\n" + "\n".join(view.names), **_STYLE["aws"])
        dot.edge("dns", "lb", label="alias", style="dashed", constraint="false")
    if view.certificate:
        dot.node("certificate", "ACM certificate\n(validated through DNS)", **_STYLE["aws"])
        dot.edge("certificate", "lb", label="HTTPS", style="dashed", constraint="false")
    if view.web_acl:
        _web_acl_node(dot)
    # Without a public service the environment has no load balancer: nothing internet-facing.
    has_load_balancer = bool(view.listeners)
    lb_label = "Application Load Balancer, shared\n" + "\n".join(view.listeners)
    with dot.subgraph(name="cluster_vpc") as vpc:
        vpc.attr(
            label="VPC of yours (VpcId)" if network.existing else f"VPC {network.vpc_cidr}",
            style="rounded",
            color="#2b6cb0",
            fontcolor="#2b6cb0",
        )
        if has_load_balancer:
            vpc.node("lb", lb_label, **_STYLE["balancer"])
        if network.existing and has_load_balancer:
            vpc.node(
                "lbnodes",
                "your public subnets (PublicSubnetIds):\nload balancer nodes",
                shape="box",
                style="rounded,dashed",
                color="#2e7d32",
                fontsize="9",
            )
        for az in network.azs:
            with vpc.subgraph(name=f"cluster_public{az}") as public:
                public.attr(
                    label=f"public subnet {az}",
                    style="filled",
                    fillcolor="#f1f8e9",
                    color="#7cb342",
                )
                public.node(
                    f"lbnode{az}",
                    "load balancer\nnode" if has_load_balancer else "no load balancer",
                    shape="box",
                    style="rounded,dashed",
                    color="#2e7d32",
                    fontsize="9",
                )
                if az in network.nat_gateways:
                    public.node(f"nat{az}", f"NAT gateway {az}\n+ Elastic IP", **_STYLE["gateway"])
        zones = ", ".join(str(az) for az in network.azs)
        no_route = not network.routed_elsewhere and all(
            target is None for target in network.routes.values()
        )
        where = (
            "your private subnets (PrivateSubnetIds)"
            if network.existing
            else (f"private subnets {zones}")
        )
        with vpc.subgraph(name="cluster_private") as private:
            private.attr(
                label=(
                    f"{where}: one ECS cluster, tasks without public IPs"
                    + (", no route to the internet" if no_route and not network.existing else "")
                ),
                style="filled",
                fillcolor="#fff8e1",
                color="#f9a825",
            )
            for member in view.members:
                private.node(f"service_{member.name}", _member_label(member), **_STYLE["task"])
            private.node(
                "egress",
                "outbound: your VPC's own routes and endpoints"
                if network.existing
                else _outbound_label(len(network.nat_gateways), no_route),
                shape="box",
                style="rounded,dashed",
                color="#ef6c00",
                fontcolor="#ef6c00",
                fontsize="9",
            )
            interfaces = _interfaces(network.endpoints, network.gateways)
            if interfaces:
                private.node(
                    "endpoints",
                    "interface endpoints (each AZ)\n" + _rows(interfaces, 4),
                    **_STYLE["endpoint"],
                )
        _gateway_nodes(vpc, network.gateways, network.s3_limits)

    if has_load_balancer:
        dot.edge("igw", "lb")
    if network.existing and has_load_balancer:
        dot.edge("lb", "lbnodes", arrowhead="none", style="dotted", color="#2e7d32")
        dot.edge("lbnodes", "egress", style="invis")
    for az in network.azs:
        if has_load_balancer:
            dot.edge("lb", f"lbnode{az}", arrowhead="none", style="dotted", color="#2e7d32")
        # The public subnets above the private ones.
        dot.edge(f"lbnode{az}", "egress", style="invis")
    _member_edges(dot, view.members)
    _outbound(dot, network, "egress", view.services, view.unreachable)
    return dot


def _member_edges(dot: graphviz.Digraph, members: list[Member]) -> None:
    """Each listener rule, from the load balancer to its service, in priority order, and
    Service Connect from every other service to an internal one."""
    routes = sorted(
        (priority, route, member.name)
        for member in members
        if member.exposure == EXPOSE_PUBLIC
        for route, priority in ((member.route, member.priority), *member.more_routes)
    )
    for priority, route, name in routes:
        dot.edge(
            "lb",
            f"service_{name}",
            label=f"{route}\npriority {priority}",
            color="#2e7d32",
            fontcolor="#2e7d32",
        )
    for server in members:
        if server.exposure != EXPOSE_INTERNAL and not server.serves:
            continue
        for client in members:
            if client is not server:
                dot.edge(
                    f"service_{client.name}",
                    f"service_{server.name}",
                    label="Service Connect",
                    style="dashed",
                    color="#6a1b9a",
                    fontcolor="#6a1b9a",
                )


def _member_label(member: Member) -> str:
    if member.exposure == EXPOSE_PUBLIC:
        label = f"{member.name}\npublic, port {member.port}"
        if member.serves:
            label += f"\nand {member.serves}"
    elif member.exposure == EXPOSE_INTERNAL:
        label = f"{member.name}\ninternal: {member.route}"
    else:
        label = f"{member.name}\nno inbound traffic (worker)"
    return f"{label}\n{member.scaling}" if member.scaling else label


def node_names(dot: graphviz.Digraph) -> list[str]:
    """The names of the nodes a graph draws (for tests and for people reading the .dot)."""
    found = set(re.findall(r"^\s*(\w+) \[", "\n".join(dot.body), re.M))
    return sorted(found - {"node", "edge", "graph"})


def source_stamp(source: str) -> str:
    """The comment a rendered picture ends with: which Graphviz source it shows."""
    return f"<!-- rendered from dot source sha256:{hashlib.sha256(source.encode()).hexdigest()} -->"


def dot_available() -> bool:
    return shutil.which("dot") is not None


# The formats Graphviz's dot renders a picture to (a .dot file is the source, written as is).
RENDERED = ("svg", "png", "pdf")


def render(dot: graphviz.Digraph, output: Path) -> Path:
    """Write ``output``: .dot (the source), or .svg/.png/.pdf rendered by Graphviz's dot."""
    suffix = output.suffix.lstrip(".").lower()
    if suffix == "dot":
        _write_whole(output, dot.source.encode())
        return output
    if suffix not in RENDERED:
        raise ValueError(f"{output}: choose a .svg, .png, .pdf or .dot file")
    if not dot_available():
        raise FileNotFoundError(INSTALL_DOT)
    result = subprocess.run(
        ["dot", f"-T{suffix}"], input=dot.source.encode(), capture_output=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"dot failed: {result.stderr.decode().strip()}")
    _write_whole(output, result.stdout)
    return output


def _staging_file(target: Path) -> tuple[int, Path]:
    """A new file beside ``target`` under a name of this run's own (``.<name>.<pid>-<8 hex>.new``:
    a later build removes one whose process is gone), open for writing, created with 0666 less
    the umask as any new file (the kernel applies it: reading the umask means setting it, for
    every thread of the process)."""
    for _ in range(100):
        name = target.parent / f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}.new"
        try:
            return os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free staging name beside it", str(target))


def stage_beside(path: Path, data: bytes, *, durable: bool = False) -> tuple[Path, Path]:
    """``data`` written and flushed beside the file ``path`` names, under a name of this run's
    own: (staged, final), for the caller to rename in. A ``path`` that is a symbolic link stays
    one (the file it points to is the one replaced: a rename onto the link replaced the link
    with the file), and the file keeps its permissions (a new one gets what the umask gives; a
    fixed staging name gave a 0600 picture 0644, and two runs wrote into one file). An error
    names ``path``, not the staging file (a failed write named no file). ``durable`` flushes
    it to disk (fsync) before it is returned."""
    target = Path(os.path.realpath(path))
    try:
        handle, staging = _staging_file(target)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        os.close(handle)
        staging.write_bytes(data)
        if durable:
            flushed = os.open(staging, os.O_RDONLY)
            try:
                os.fsync(flushed)
            finally:
                os.close(flushed)
        if target.exists():
            shutil.copymode(target, staging)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    return staging, target


def _write_whole(output: Path, data: bytes) -> None:
    """Write ``data`` to ``output`` in one rename (see :func:`stage_beside`): a full disk or an
    interrupt leaves the file as it was, not cut short."""
    staging, target = stage_beside(output, data)
    try:
        os.replace(staging, target)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(output)) from None
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
