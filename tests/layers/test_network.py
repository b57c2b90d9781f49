"""Network layer: one behaviour per test, on the rendered template and on what it deploys.

``deployed(template, parameters)`` evaluates the template's own parameter constraints, rules and
conditions for a set of parameter values (see troposphere_fargate.cfn.evaluate), so these tests ask
what a stack would contain, not only what the YAML says.
"""

from __future__ import annotations

import copy
import ipaddress
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support import compute, dangling_refs, props
from troposphere_fargate import __version__
from troposphere_fargate.cfn import yaml as render
from troposphere_fargate.cfn.evaluate import Deployment, ParameterError, RuleError, deployed
from troposphere_fargate.layers import endpoints
from troposphere_fargate.layers import network as n
from troposphere_fargate.layers.config import KNOWN_INTERFACE_ENDPOINTS, ConfigError, NetworkConfig
from troposphere_fargate.layers.network import network_template

REPO = Path(__file__).resolve().parents[2]
AZ_COUNTS = ("2", "3")
NAT_MODES = ("PerAz", "Single", "None")


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, parameters)


# --- VPC ----------------------------------------------------------------------------------------


def test_vpc_has_dns_support_and_hostnames_and_takes_its_cidr_from_the_parameter(network):
    vpc = network["Resources"][n.VPC]
    assert vpc["Type"] == "AWS::EC2::VPC"
    assert props(vpc)["EnableDnsSupport"] is True
    assert props(vpc)["EnableDnsHostnames"] is True
    assert props(vpc)["CidrBlock"] == {"Ref": n.VPC_CIDR}
    assert network["Parameters"][n.VPC_CIDR]["Default"] == "10.0.0.0/16"


# --- Availability Zones and subnets -------------------------------------------------------------


def test_number_of_azs_offers_two_or_three_and_defaults_to_two(network):
    parameter = network["Parameters"][n.NUMBER_OF_AZS]
    assert parameter["AllowedValues"] == ["2", "3"]
    assert parameter["Default"] == "2"


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_one_public_and_one_private_subnet_per_az(network, azs):
    subnets = deploy(network, NumberOfAzs=azs).of_type("AWS::EC2::Subnet")
    count = int(azs)
    assert sorted(subnets) == sorted(
        [n.public_subnet(az) for az in range(1, count + 1)]
        + [n.private_subnet(az) for az in range(1, count + 1)]
    )


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_subnets_of_one_tier_are_in_distinct_azs_picked_with_getazs(network, azs):
    subnets = deploy(network, NumberOfAzs=azs).of_type("AWS::EC2::Subnet")
    for name_of in (n.public_subnet, n.private_subnet):
        zones = [props(subnets[name_of(az)])["AvailabilityZone"] for az in range(1, int(azs) + 1)]
        assert zones == [{"Fn::Select": [index, {"Fn::GetAZs": ""}]} for index in range(int(azs))]


REGION_ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]  # what Fn::GetAZs returns, say


def zones(stack: Deployment, azs: int) -> dict[str, str]:
    """Each subnet's Availability Zone, computed as CloudFormation would."""
    pinned = stack.parameters.get(n.AVAILABILITY_ZONES, "")  # 0.1.0 had no such parameter
    values = {
        n.AVAILABILITY_ZONES: pinned.split(",") if pinned else [],
        "Fn::GetAZs": REGION_ZONES,
    }
    return {
        name_of(az): compute(props(stack.resources[name_of(az)])["AvailabilityZone"], values)
        for name_of in (n.public_subnet, n.private_subnet)
        for az in range(1, azs + 1)
    }


def test_availability_zones_can_be_pinned_and_are_automatic_by_default(network):
    # A typed List<AWS::EC2::AvailabilityZone::Name> would show a picker, but CloudFormation
    # accepts no empty value for AWS-specific parameter types (cfn-language-discussion#116), so
    # every stack would have to pick: a plain list keeps "automatic" the easy default.
    parameter = network["Parameters"][n.AVAILABILITY_ZONES]
    assert parameter["Type"] == "CommaDelimitedList"
    assert parameter["Default"] == ""
    for good in ("eu-west-1a", "us-gov-west-1b", "cn-northwest-1c", "ap-southeast-5a", ""):
        assert re.fullmatch(parameter["AllowedPattern"], good), good
    for bad in ("eu-west-1", "EU-WEST-1A", "use1-az1", "eu-west-1a ", "us-east-1-bos-1a"):
        assert not re.fullmatch(parameter["AllowedPattern"], bad), bad
    deploy(network, AvailabilityZones="eu-west-1b,eu-west-1a")
    with pytest.raises(ParameterError, match="AvailabilityZones"):
        deploy(network, AvailabilityZones="eu-west-1b,west")


@pytest.mark.parametrize(
    "given", [",eu-west-1a,eu-west-1b", "eu-west-1a,,eu-west-1b", "eu-west-1a,"]
)
def test_pinned_zones_with_an_empty_entry_are_refused_before_any_subnet(network, given):
    """Each item's pattern admits "" (the empty list is one empty item), so a stray comma
    passed it: a subnet's AvailabilityZone was "" and EC2 chose its zone (a review: validate
    took ",us-east-1a,us-east-1b" and two subnets could share a zone)."""
    with pytest.raises(RuleError, match="AvailabilityZones has an empty entry"):
        deploy(network, AvailabilityZones=given)


@pytest.mark.parametrize("azs", [2, 3])
def test_pinned_zones_are_used_as_given_in_order(network, azs):
    stack = deploy(
        network, NumberOfAzs=str(azs), AvailabilityZones="eu-west-1c,eu-west-1a,eu-west-1b"
    )
    expected = ["eu-west-1c", "eu-west-1a", "eu-west-1b"][:azs]
    assert list(zones(stack, azs).values()) == expected * 2  # public 1..N, then private 1..N


@pytest.mark.parametrize("azs", [2, 3])
def test_without_pinned_zones_the_regions_first_zones_are_used(network, azs):
    assert list(zones(deploy(network, NumberOfAzs=str(azs)), azs).values()) == (
        REGION_ZONES[:azs] * 2
    )


@pytest.mark.parametrize("pinned", ["", "eu-west-1c,eu-west-1b,eu-west-1a"])
def test_no_subnet_moves_when_unrelated_parameters_change(network, pinned):
    seen = set()
    for azs, nat, interfaces, days in itertools.product(
        AZ_COUNTS, NAT_MODES, ("true", "false"), ("365", "3653")
    ):
        if nat == "None" and interfaces == "false":
            continue
        stack = deploy(
            network,
            AvailabilityZones=pinned,
            NumberOfAzs=azs,
            NatGateways=nat,
            VpcEndpoints=interfaces,
            FlowLogRetentionDays=days,
        )
        placed = zones(stack, int(azs))
        # Subnets of AZs 1 and 2 exist in every stack; AZ 3's only with three zones.
        seen.add(
            tuple(
                placed[name_of(az)]
                for name_of in (n.public_subnet, n.private_subnet)
                for az in (1, 2)
            )
        )
    assert len(seen) == 1


def test_stacks_of_0_1_0_keep_every_subnet_in_its_zone_on_upgrade(network):
    """0.1.0 placed subnet N in the Nth zone of Fn::GetAZs; with AvailabilityZones left empty
    this version resolves to the very same zone, so the upgrade replaces no subnet."""
    previous = render.from_yaml((REPO / "templates" / "0.1.0" / "network.yaml").read_text())
    for azs in (2, 3):
        before = zones(deploy(previous, NumberOfAzs=str(azs)), azs)
        assert before == zones(deploy(network, NumberOfAzs=str(azs)), azs)


def test_no_availability_zone_is_hard_coded(network):
    # Zone names appear only as examples in the AvailabilityZones parameter's description.
    deployed_parts = {k: v for k, v in network.items() if k not in ("Parameters", "Metadata")}
    assert not re.search(r"\b[a-z]{2}(-gov)?-[a-z]+-\d[a-z]\b", json.dumps(deployed_parts))


def test_template_does_not_use_fn_cidr(network):
    # The deploy emulator (moto) cannot evaluate Fn::Cidr; subnet CIDRs are parameters instead.
    assert "Fn::Cidr" not in json.dumps(network)


def test_each_subnet_takes_its_cidr_from_its_own_parameter(network):
    for az in (1, 2, 3):
        resources = network["Resources"]
        assert props(resources[n.public_subnet(az)])["CidrBlock"] == {
            "Ref": n.public_subnet_cidr(az)
        }
        assert props(resources[n.private_subnet(az)])["CidrBlock"] == {
            "Ref": n.private_subnet_cidr(az)
        }


def test_default_subnet_cidrs_are_inside_the_vpc_and_do_not_overlap(network):
    parameters = network["Parameters"]
    vpc = ipaddress.ip_network(parameters[n.VPC_CIDR]["Default"])
    subnets = [
        ipaddress.ip_network(parameters[name_of(az)]["Default"])
        for name_of in (n.public_subnet_cidr, n.private_subnet_cidr)
        for az in (1, 2, 3)
    ]
    assert all(subnet.subnet_of(vpc) for subnet in subnets)
    for first, second in itertools.combinations(subnets, 2):
        assert not first.overlaps(second), (first, second)


def test_no_subnet_maps_public_ips_on_launch(network):
    subnets = {k: v for k, v in network["Resources"].items() if v["Type"] == "AWS::EC2::Subnet"}
    assert len(subnets) == 6
    assert all(props(subnet)["MapPublicIpOnLaunch"] is False for subnet in subnets.values())


# --- Internet gateway and public routing --------------------------------------------------------


def test_public_route_table_sends_the_default_route_to_the_attached_internet_gateway(network):
    resources = network["Resources"]
    attachment = props(resources[n.INTERNET_GATEWAY_ATTACHMENT])
    assert attachment == {"InternetGatewayId": {"Ref": n.INTERNET_GATEWAY}, "VpcId": {"Ref": n.VPC}}
    route = resources[n.PUBLIC_DEFAULT_ROUTE]
    assert props(route) == {
        "DestinationCidrBlock": "0.0.0.0/0",
        "GatewayId": {"Ref": n.INTERNET_GATEWAY},
        "RouteTableId": {"Ref": n.PUBLIC_ROUTE_TABLE},
    }
    # A route to a gateway that is not attached yet fails: the route waits for the attachment.
    assert route["DependsOn"] == n.INTERNET_GATEWAY_ATTACHMENT


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_every_public_subnet_uses_the_public_route_table(network, azs):
    associations = deploy(network, NumberOfAzs=azs).of_type("AWS::EC2::SubnetRouteTableAssociation")
    public = {
        props(a)["SubnetId"]["Ref"]
        for a in associations.values()
        if props(a)["RouteTableId"] == {"Ref": n.PUBLIC_ROUTE_TABLE}
    }
    assert public == {n.public_subnet(az) for az in range(1, int(azs) + 1)}


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_every_private_subnet_has_a_route_table_of_its_own(network, azs):
    stack = deploy(network, NumberOfAzs=azs)
    for az in range(1, int(azs) + 1):
        association = props(stack.resources[n.private_subnet_route_table_association(az)])
        assert association == {
            "RouteTableId": {"Ref": n.private_route_table(az)},
            "SubnetId": {"Ref": n.private_subnet(az)},
        }


# --- NAT gateways -------------------------------------------------------------------------------


def nat_routes(stack: Deployment) -> dict[str, Any]:
    """Private route table -> target of its default route."""
    routes = {}
    for route in stack.of_type("AWS::EC2::Route").values():
        table = props(route)["RouteTableId"]["Ref"]
        if table != n.PUBLIC_ROUTE_TABLE:
            assert props(route)["DestinationCidrBlock"] == "0.0.0.0/0"
            routes[table] = props(route)["NatGatewayId"]
    return routes


def test_nat_gateway_modes_default_to_per_az(network):
    parameter = network["Parameters"][n.NAT_GATEWAYS]
    assert parameter["AllowedValues"] == ["PerAz", "Single", "None"]
    assert parameter["Default"] == "PerAz"


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_per_az_puts_a_nat_gateway_in_each_public_subnet_and_routes_each_az_to_its_own(
    network, azs
):
    stack = deploy(network, NumberOfAzs=azs, NatGateways="PerAz")
    count = int(azs)
    nats = stack.of_type("AWS::EC2::NatGateway")
    assert sorted(nats) == [n.nat_gateway(az) for az in range(1, count + 1)]
    for az in range(1, count + 1):
        assert props(nats[n.nat_gateway(az)])["SubnetId"] == {"Ref": n.public_subnet(az)}
        assert props(nats[n.nat_gateway(az)])["AllocationId"] == {
            "Fn::GetAtt": [n.nat_gateway_eip(az), "AllocationId"]
        }
    assert len(stack.of_type("AWS::EC2::EIP")) == count
    assert nat_routes(stack) == {
        n.private_route_table(az): {"Ref": n.nat_gateway(az)} for az in range(1, count + 1)
    }


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_single_nat_gateway_serves_every_private_subnet(network, azs):
    stack = deploy(network, NumberOfAzs=azs, NatGateways="Single")
    nats = stack.of_type("AWS::EC2::NatGateway")
    assert list(nats) == [n.nat_gateway(1)]
    assert props(nats[n.nat_gateway(1)])["SubnetId"] == {"Ref": n.public_subnet(1)}
    assert list(stack.of_type("AWS::EC2::EIP")) == [n.nat_gateway_eip(1)]
    assert nat_routes(stack) == {
        n.private_route_table(az): {"Ref": n.nat_gateway(1)} for az in range(1, int(azs) + 1)
    }


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_no_nat_gateway_means_no_internet_route_from_private_subnets(network, azs):
    stack = deploy(network, NumberOfAzs=azs, NatGateways="None", VpcEndpoints="true")
    assert stack.of_type("AWS::EC2::NatGateway") == {}
    assert stack.of_type("AWS::EC2::EIP") == {}
    assert nat_routes(stack) == {}
    # The public route is the only default route left.
    assert list(stack.of_type("AWS::EC2::Route")) == [n.PUBLIC_DEFAULT_ROUTE]


def test_elastic_ips_wait_for_the_internet_gateway_attachment(network):
    for az in (1, 2, 3):
        eip = network["Resources"][n.nat_gateway_eip(az)]
        assert eip["DependsOn"] == n.INTERNET_GATEWAY_ATTACHMENT
        assert props(eip)["Domain"] == "vpc"


# --- The rule that keeps tasks able to pull their image -----------------------------------------


def test_rule_rejects_no_nat_gateways_without_vpc_endpoints(network):
    with pytest.raises(RuleError, match="VpcEndpoints to true"):
        deploy(network, NatGateways="None", VpcEndpoints="false")


@pytest.mark.parametrize(
    ("nat", "endpoints"),
    [("None", "true"), ("Single", "false"), ("PerAz", "false"), ("PerAz", "true")],
)
def test_rule_accepts_every_other_combination(network, nat, endpoints):
    stack = deploy(network, NatGateways=nat, VpcEndpoints=endpoints)
    assert (n.interface_endpoint("ecr.api") in stack.resources) is (endpoints == "true")


def test_rule_message_speaks_to_a_console_user(network):
    assert sorted(network["Rules"]) == [n.RULE_ZONES_WITHOUT_GAPS, n.RULE_NO_NAT_NEEDS_ENDPOINTS]
    (assertion,) = (rule := network["Rules"][n.RULE_NO_NAT_NEEDS_ENDPOINTS])["Assertions"]
    assert rule["RuleCondition"] == {"Fn::Equals": [{"Ref": n.NAT_GATEWAYS}, "None"]}
    assert assertion["Assert"] == {"Fn::Equals": [{"Ref": n.VPC_ENDPOINTS}, "true"]}
    message = assertion["AssertDescription"]
    for words in ("NatGateways", "VpcEndpoints", "pull", "PerAz or Single"):
        assert words in message


# --- VPC endpoints -----------------------------------------------------------------------------


def test_interface_endpoints_are_off_by_default(network):
    assert network["Parameters"][n.VPC_ENDPOINTS]["Default"] == "false"
    assert list(deploy(network).of_type("AWS::EC2::VPCEndpoint")) == [n.S3_GATEWAY_ENDPOINT]
    assert n.VPC_ENDPOINT_SECURITY_GROUP not in deploy(network).resources


@pytest.mark.parametrize(("nat", "endpoints"), [("PerAz", "false"), ("Single", "false")])
def test_the_free_s3_gateway_endpoint_exists_whatever_vpc_endpoints_says(network, nat, endpoints):
    # Image layers come from S3. Without a gateway endpoint, every pull through a NAT gateway
    # pays its data processing charge ($0.045/GB): aws/copilot-cli#5167 reports 122 GB of NAT
    # traffic in a day from ECR pulls. The VPC user guide's NAT gateway page recommends the
    # gateway endpoint to avoid that charge; the endpoint itself costs nothing.
    stack = deploy(network, NatGateways=nat, VpcEndpoints=endpoints)
    assert "Condition" not in network["Resources"][n.S3_GATEWAY_ENDPOINT]
    assert props(stack.resources[n.S3_GATEWAY_ENDPOINT])["VpcEndpointType"] == "Gateway"


@pytest.mark.parametrize("azs", AZ_COUNTS)
@pytest.mark.parametrize("endpoints", ["true", "false"])
def test_s3_gateway_endpoint_serves_every_private_route_table(network, azs, endpoints):
    stack = deploy(network, NumberOfAzs=azs, VpcEndpoints=endpoints)
    s3 = props(stack.resources[n.S3_GATEWAY_ENDPOINT])
    assert s3["VpcEndpointType"] == "Gateway"
    assert s3["ServiceName"] == {"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"}
    assert s3["RouteTableIds"] == [
        {"Ref": n.private_route_table(az)} for az in range(1, int(azs) + 1)
    ]


# AWS's default endpoint policy: "By default, a VPC endpoint allows full access to the service"
# (AWS PrivateLink Guide, "Control access to VPC endpoints using endpoint policies").
FULL_ACCESS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["*"], "Resource": ["*"]}],
}


def test_the_s3_gateway_endpoint_takes_any_bucket_by_default_with_the_policy_written_out(network):
    # Written out rather than left out, so that an update from ThisAccount back to AnyBucket
    # sets it again instead of removing a property.
    assert network["Parameters"][n.S3_ENDPOINT_ACCESS]["Default"] == "AnyBucket"
    stack = deploy(network)
    assert props(stack.resources[n.S3_GATEWAY_ENDPOINT])["PolicyDocument"] == FULL_ACCESS


@pytest.mark.parametrize(
    ("partition", "region"),
    [("aws", "eu-west-1"), ("aws-cn", "cn-north-1"), ("aws-us-gov", "us-gov-west-1")],
)
def test_this_account_lets_through_the_accounts_buckets_and_ecrs_image_layers_only(
    network, partition, region
):
    """ECR serves image layers from ``prod-<region>-starport-layer-bucket`` (Amazon ECR User
    Guide, "Minimum Amazon S3 bucket permissions for Amazon ECR"); every other request must be
    to a bucket the stack's account owns (``s3:ResourceAccount``, Amazon S3 condition keys)."""
    pseudo = {"AWS::Partition": partition, "AWS::Region": region, "AWS::AccountId": "111122223333"}
    stack = deployed(network, {n.S3_ENDPOINT_ACCESS: "ThisAccount"}, pseudo)
    policy = compute(props(stack.resources[n.S3_GATEWAY_ENDPOINT])["PolicyDocument"], pseudo)
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "BucketsOfThisAccount",
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:*"],
                "Resource": ["*"],
                "Condition": {"StringEquals": {"s3:ResourceAccount": "111122223333"}},
            },
            {
                "Sid": "EcrImageLayers",
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:{partition}:s3:::prod-{region}-starport-layer-bucket/*"],
            },
        ],
    }


def test_only_the_s3_endpoint_takes_the_policy():
    config = NetworkConfig(
        gateway_endpoints=("s3", "dynamodb"), default_s3_endpoint_access="ThisAccount"
    )
    template = network_template(config).to_dict()
    assert template["Parameters"][n.S3_ENDPOINT_ACCESS]["Default"] == "ThisAccount"
    assert "PolicyDocument" not in props(template["Resources"]["DynamodbGatewayEndpoint"])
    with pytest.raises(
        ConfigError,
        match=r"default_s3_endpoint_access='Mine': must be one of AnyBucket, ThisAccount",
    ):
        NetworkConfig(default_s3_endpoint_access="Mine")


def test_the_dry_run_says_what_the_s3_endpoint_lets_through():
    from troposphere_fargate.cfn.dry_run import describe, dry_run, footprint

    def endpoints_line(**values: str) -> str:
        (line,) = [
            x
            for x in describe(
                footprint(dry_run(REPO / "templates" / __version__ / "network.yaml", values))
            )
            if x.startswith("VPC endpoints")
        ]
        return line

    assert endpoints_line() == "VPC endpoints: gateway s3; interface none"
    assert endpoints_line(S3EndpointAccess="ThisAccount") == (
        "VPC endpoints: gateway s3 (this account's buckets and ECR's image layers only); "
        "interface none"
    )


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_interface_endpoints_with_private_dns_sit_in_every_private_subnet(network, azs):
    stack = deploy(network, NumberOfAzs=azs, VpcEndpoints="true")
    interfaces = {
        props(e)["ServiceName"]["Fn::Sub"].rsplit("}.", 1)[1]: props(e)
        for e in stack.of_type("AWS::EC2::VPCEndpoint").values()
        if props(e)["VpcEndpointType"] == "Interface"
    }
    # ecs-agent: "Service Connect management of the Envoy proxy uses the
    # com.amazonaws.region.ecs-agent VPC endpoint" (Amazon ECS Developer Guide, "Amazon ECS
    # interface VPC endpoints"); without it the proxy of an environment's tasks needs the public
    # ecs-sc endpoint, which a private subnet without NAT cannot reach.
    assert sorted(interfaces) == [
        "ecr.api",
        "ecr.dkr",
        "ecs-agent",
        "logs",
        "secretsmanager",
        "ssm",
    ]
    for endpoint in interfaces.values():
        assert endpoint["PrivateDnsEnabled"] is True
        assert endpoint["SubnetIds"] == [
            {"Ref": n.private_subnet(az)} for az in range(1, int(azs) + 1)
        ]
        assert endpoint["SecurityGroupIds"] == [{"Ref": n.VPC_ENDPOINT_SECURITY_GROUP}]


# In the China regions ECR's endpoints are cn.com.amazonaws.<region>.ecr.api and .ecr.dkr, while
# logs, ssm, secretsmanager and ecs-agent (and S3's gateway endpoint) keep com.amazonaws: AWS CDK's
# VPC_ENDPOINT_SERVICE_EXCEPTIONS, describe-vpc-endpoint-services in aws/aws-cdk#25329, and the
# CloudFormation error in aws/aws-cdk#9864 ("The Vpc Endpoint Service
# 'com.amazonaws.cn-north-1.ecr.dkr' does not exist"). GovCloud keeps com.amazonaws.
ENDPOINT_NAMES = {
    ("aws", "eu-west-1"): {
        "EcrApiEndpoint": "com.amazonaws.eu-west-1.ecr.api",
        "EcrDkrEndpoint": "com.amazonaws.eu-west-1.ecr.dkr",
        "LogsEndpoint": "com.amazonaws.eu-west-1.logs",
        "SecretsmanagerEndpoint": "com.amazonaws.eu-west-1.secretsmanager",
        "SsmEndpoint": "com.amazonaws.eu-west-1.ssm",
        "EcsAgentEndpoint": "com.amazonaws.eu-west-1.ecs-agent",
        "S3GatewayEndpoint": "com.amazonaws.eu-west-1.s3",
    },
    ("aws-cn", "cn-north-1"): {
        "EcrApiEndpoint": "cn.com.amazonaws.cn-north-1.ecr.api",
        "EcrDkrEndpoint": "cn.com.amazonaws.cn-north-1.ecr.dkr",
        "LogsEndpoint": "com.amazonaws.cn-north-1.logs",
        "SecretsmanagerEndpoint": "com.amazonaws.cn-north-1.secretsmanager",
        "SsmEndpoint": "com.amazonaws.cn-north-1.ssm",
        "EcsAgentEndpoint": "com.amazonaws.cn-north-1.ecs-agent",
        "S3GatewayEndpoint": "com.amazonaws.cn-north-1.s3",
    },
    ("aws-cn", "cn-northwest-1"): {
        "EcrApiEndpoint": "cn.com.amazonaws.cn-northwest-1.ecr.api",
        "EcrDkrEndpoint": "cn.com.amazonaws.cn-northwest-1.ecr.dkr",
        "LogsEndpoint": "com.amazonaws.cn-northwest-1.logs",
        "SecretsmanagerEndpoint": "com.amazonaws.cn-northwest-1.secretsmanager",
        "SsmEndpoint": "com.amazonaws.cn-northwest-1.ssm",
        "EcsAgentEndpoint": "com.amazonaws.cn-northwest-1.ecs-agent",
        "S3GatewayEndpoint": "com.amazonaws.cn-northwest-1.s3",
    },
    ("aws-us-gov", "us-gov-west-1"): {
        "EcrApiEndpoint": "com.amazonaws.us-gov-west-1.ecr.api",
        "EcrDkrEndpoint": "com.amazonaws.us-gov-west-1.ecr.dkr",
        "LogsEndpoint": "com.amazonaws.us-gov-west-1.logs",
        "SecretsmanagerEndpoint": "com.amazonaws.us-gov-west-1.secretsmanager",
        "SsmEndpoint": "com.amazonaws.us-gov-west-1.ssm",
        "EcsAgentEndpoint": "com.amazonaws.us-gov-west-1.ecs-agent",
        "S3GatewayEndpoint": "com.amazonaws.us-gov-west-1.s3",
    },
}


@pytest.mark.parametrize(("partition", "region"), sorted(ENDPOINT_NAMES))
def test_endpoint_service_names_are_right_in_each_partition(network, partition, region):
    pseudo = {"AWS::Partition": partition, "AWS::Region": region}
    stack = deployed(network, {n.VPC_ENDPOINTS: "true"}, pseudo)
    names = {
        name: compute(props(resource)["ServiceName"], {"AWS::Region": region})
        for name, resource in stack.of_type("AWS::EC2::VPCEndpoint").items()
    }
    assert names == ENDPOINT_NAMES[(partition, region)]


def test_every_interface_endpoint_the_config_offers_is_named_by_the_table():
    config = NetworkConfig(interface_endpoints=KNOWN_INTERFACE_ENDPOINTS)
    assert endpoints.check_template(network_template(config).to_dict()) == []


def test_a_dynamodb_gateway_endpoint_serves_the_private_route_tables_when_asked():
    """Free like S3's, and the only way to DynamoDB from a private subnet without NAT. Its name
    is com.amazonaws.<region>.dynamodb in China too (dynamodb is not among the services AWS
    CDK's VPC_ENDPOINT_SERVICE_EXCEPTIONS gives the cn.com.amazonaws prefix there)."""
    config = NetworkConfig(gateway_endpoints=("s3", "dynamodb"))
    template = network_template(config).to_dict()
    assert endpoints.check_template(template) == []
    for partition, region in (("aws", "eu-west-1"), ("aws-cn", "cn-north-1")):
        pseudo = {"AWS::Partition": partition, "AWS::Region": region}
        stack = deployed(template, {n.NUMBER_OF_AZS: "3"}, pseudo)
        dynamodb = props(stack.resources["DynamodbGatewayEndpoint"])
        assert compute(dynamodb["ServiceName"], {"AWS::Region": region}) == (
            f"com.amazonaws.{region}.dynamodb"
        )
        assert dynamodb["RouteTableIds"] == [{"Ref": n.private_route_table(az)} for az in (1, 2, 3)]
    assert "DynamodbGatewayEndpoint" not in network_template(NetworkConfig()).to_dict()["Resources"]


@pytest.mark.parametrize(
    ("gateways", "message"),
    [
        (("dynamodb",), "must include s3"),
        (("s3", "s3"), "has duplicates"),
        (("s3", "sqs"), "unknown service; known: s3, dynamodb"),
        (["s3"], "must be a tuple"),
    ],
)
def test_a_bad_gateway_endpoint_list_names_the_field(gateways, message):
    with pytest.raises(ConfigError, match=f"NetworkConfig.gateway_endpoints=.*{message}"):
        NetworkConfig(gateway_endpoints=gateways)


def test_the_endpoint_check_catches_a_name_that_is_wrong_in_china(network):
    broken = copy.deepcopy(network)
    ecr = broken["Resources"]["EcrDkrEndpoint"]["Properties"]
    ecr["ServiceName"] = {"Fn::Sub": "com.amazonaws.${AWS::Region}.ecr.dkr"}  # 0.1.0's name
    assert endpoints.check_template(broken) == [
        "EcrDkrEndpoint: com.amazonaws.cn-north-1.ecr.dkr in cn-north-1, expected "
        "cn.com.amazonaws.cn-north-1.ecr.dkr",
        "EcrDkrEndpoint: com.amazonaws.cn-northwest-1.ecr.dkr in cn-northwest-1, expected "
        "cn.com.amazonaws.cn-northwest-1.ecr.dkr",
    ]
    ecr["ServiceName"] = {"Fn::Sub": "com.amazonaws.${AWS::Region}.ecr.pull"}
    assert endpoints.check_template(broken) == [
        "EcrDkrEndpoint: interface endpoint service 'ecr.pull' is not in the endpoint table"
    ]


def test_an_endpoint_outside_the_table_cannot_be_configured():
    with pytest.raises(ConfigError, match="unknown service"):
        NetworkConfig(interface_endpoints=("ecr.api", "ecr.dkr", "logs", "sagemaker.api"))


def test_endpoint_security_group_admits_only_https_from_the_vpc_and_sends_nothing(network):
    group = props(network["Resources"][n.VPC_ENDPOINT_SECURITY_GROUP])
    assert group["SecurityGroupIngress"] == [
        {
            "CidrIp": {"Fn::GetAtt": [n.VPC, "CidrBlock"]},
            "Description": "HTTPS from the VPC",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    # One egress rule that matches no traffic replaces the default allow-all rule.
    assert group["SecurityGroupEgress"] == [
        {
            "CidrIp": "255.255.255.255/32",
            "Description": "Disallow all traffic",
            "FromPort": 252,
            "IpProtocol": "icmp",
            "ToPort": 86,
        }
    ]


# --- Flow logs ---------------------------------------------------------------------------------


def test_flow_log_captures_all_vpc_traffic_into_the_log_group(network):
    flow_log = props(network["Resources"][n.FLOW_LOG])
    assert flow_log["ResourceId"] == {"Ref": n.VPC}
    assert flow_log["ResourceType"] == "VPC"
    assert flow_log["TrafficType"] == "ALL"
    assert flow_log["LogDestinationType"] == "cloud-watch-logs"
    assert flow_log["LogGroupName"] == {"Ref": n.FLOW_LOG_GROUP}
    assert flow_log["DeliverLogsPermissionArn"] == {"Fn::GetAtt": [n.FLOW_LOG_ROLE, "Arn"]}


def test_flow_log_group_is_retained_and_expires_after_the_chosen_days(network):
    group = network["Resources"][n.FLOW_LOG_GROUP]
    assert group["DeletionPolicy"] == "Retain"
    assert group["UpdateReplacePolicy"] == "Retain"
    assert props(group)["RetentionInDays"] == {"Ref": n.FLOW_LOG_RETENTION_DAYS}
    parameter = network["Parameters"][n.FLOW_LOG_RETENTION_DAYS]
    assert parameter["Default"] == "365"
    assert parameter["AllowedValues"][0] == "365"  # a year at least
    assert "3653" in parameter["AllowedValues"] and "90" not in parameter["AllowedValues"]


def test_flow_log_role_can_only_be_assumed_by_this_accounts_flow_logs(network):
    trust = props(network["Resources"][n.FLOW_LOG_ROLE])["AssumeRolePolicyDocument"]
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole"]
    assert statement["Condition"]["StringEquals"] == {
        "aws:SourceAccount": {"Ref": "AWS::AccountId"}
    }
    assert statement["Condition"]["ArnLike"] == {
        "aws:SourceArn": {
            "Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*"
        }
    }


def test_flow_log_role_writes_only_to_its_log_group(network):
    (policy,) = props(network["Resources"][n.FLOW_LOG_ROLE])["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert sorted(statement["Action"]) == [
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
    ]
    assert statement["Resource"] == [{"Fn::GetAtt": [n.FLOW_LOG_GROUP, "Arn"]}]


# --- The default security group -----------------------------------------------------------------

RESTRICTION = (
    n.DEFAULT_SECURITY_GROUP_RESTRICTION,
    n.DEFAULT_SECURITY_GROUP_FUNCTION,
    n.DEFAULT_SECURITY_GROUP_FUNCTION_ROLE,
    n.DEFAULT_SECURITY_GROUP_FUNCTION_LOG_GROUP,
)


def test_the_default_security_group_is_emptied_unless_the_parameter_says_false(network):
    """AWS Security Hub control EC2.2: "VPC default security groups should not allow inbound or
    outbound traffic"; EC2 gives every VPC's default group rules that allow both."""
    parameter = network["Parameters"][n.RESTRICT_DEFAULT_SECURITY_GROUP]
    assert parameter["AllowedValues"] == ["true", "false"]
    assert parameter["Default"] == "true"
    assert deploy(network).resources.keys() >= set(RESTRICTION)
    kept = deploy(network, RestrictDefaultSecurityGroup="false").resources
    assert not kept.keys() & set(RESTRICTION)


def test_a_config_sets_the_default_and_refuses_anything_but_a_bool():
    template = network_template(NetworkConfig(default_restrict_default_security_group=False))
    parameter = template.to_dict()["Parameters"][n.RESTRICT_DEFAULT_SECURITY_GROUP]
    assert parameter["Default"] == "false"
    with pytest.raises(ConfigError, match=r"default_restrict_default_security_group.*bool"):
        NetworkConfig(default_restrict_default_security_group="false")  # type: ignore[arg-type]


def test_the_custom_resource_names_the_vpcs_default_group_and_times_out_in_minutes(network):
    restriction = network["Resources"][n.DEFAULT_SECURITY_GROUP_RESTRICTION]
    # A Custom:: type: moto and the console both read it as a custom resource of that name.
    assert restriction["Type"] == "Custom::DefaultSecurityGroupRestriction"
    assert props(restriction) == {
        "ServiceToken": {"Fn::GetAtt": [n.DEFAULT_SECURITY_GROUP_FUNCTION, "Arn"]},
        "GroupId": {"Fn::GetAtt": [n.VPC, "DefaultSecurityGroup"]},
        # "The maximum time, in seconds, that can elapse before a custom resource operation
        # times out ... The default value is 3600 seconds" (AWS::CloudFormation::CustomResource).
        "ServiceTimeout": 300,
    }


def test_the_function_ships_the_handler_module_and_runs_outside_the_vpc(network):
    function = props(network["Resources"][n.DEFAULT_SECURITY_GROUP_FUNCTION])
    source = (REPO / "troposphere_fargate" / "layers" / "default_sg_handler.py").read_text()
    assert function["Code"] == {"ZipFile": source}
    assert function["Handler"] == "index.handler"
    assert function["Runtime"] == "python3.13"
    assert function["Role"] == {"Fn::GetAtt": [n.DEFAULT_SECURITY_GROUP_FUNCTION_ROLE, "Arn"]}
    assert function["LoggingConfig"] == {
        "LogGroup": {"Ref": n.DEFAULT_SECURITY_GROUP_FUNCTION_LOG_GROUP}
    }
    # Six tries five seconds apart while IAM's change reaches EC2 fit in the timeout.
    assert function["Timeout"] == 60
    assert "VpcConfig" not in function


def test_the_functions_role_changes_the_rules_of_that_group_only(network):
    role = props(network["Resources"][n.DEFAULT_SECURITY_GROUP_FUNCTION_ROLE])
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Action"] == ["sts:AssumeRole"]
    (policy,) = role["Policies"]
    change, read, log = policy["PolicyDocument"]["Statement"]
    assert sorted(change["Action"]) == [
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
    ]
    (resource,) = change["Resource"]
    arn = compute(
        resource,
        {
            "AWS::Partition": "aws",
            "AWS::Region": "eu-west-1",
            "AWS::AccountId": "123456789012",
            "Vpc.DefaultSecurityGroup": "sg-1",
        },
    )
    assert arn == "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1"
    # The reads name no resource: EC2's Describe actions take "*" only.
    assert sorted(read["Action"]) == [
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroupRules",
        "ec2:DescribeSecurityGroups",
    ]

    assert read["Resource"] == ["*"]
    assert sorted(log["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert log["Resource"] == [{"Fn::GetAtt": [n.DEFAULT_SECURITY_GROUP_FUNCTION_LOG_GROUP, "Arn"]}]


def test_the_functions_log_group_is_retained_for_a_year(network):
    group = network["Resources"][n.DEFAULT_SECURITY_GROUP_FUNCTION_LOG_GROUP]
    assert group["DeletionPolicy"] == "Retain"
    assert group["UpdateReplacePolicy"] == "Retain"
    assert props(group)["RetentionInDays"] == 365


# --- Outputs -----------------------------------------------------------------------------------


def test_outputs_are_the_documented_set(network):
    assert sorted(network["Outputs"]) == sorted(
        ["VpcId", "VpcCidr", "PublicSubnetIds", "PrivateSubnetIds"]
        + [f"{tier}Subnet{az}Id" for tier in ("Public", "Private") for az in (1, 2, 3)]
    )


def test_every_output_is_exported_as_stack_name_dash_output_name(network):
    for name, output in network["Outputs"].items():
        assert output["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-" + name}}
        assert output["Description"]


@pytest.mark.parametrize("azs", AZ_COUNTS)
def test_subnet_id_lists_are_comma_joined_in_az_order(network, azs):
    outputs = deploy(network, NumberOfAzs=azs).outputs
    count = int(azs)
    assert outputs[n.OUTPUT_PUBLIC_SUBNET_IDS]["Value"] == {
        "Fn::Join": [",", [{"Ref": n.public_subnet(az)} for az in range(1, count + 1)]]
    }
    assert outputs[n.OUTPUT_PRIVATE_SUBNET_IDS]["Value"] == {
        "Fn::Join": [",", [{"Ref": n.private_subnet(az)} for az in range(1, count + 1)]]
    }
    # The third AZ's own outputs exist only when it is used.
    assert (n.output_private_subnet_id(3) in outputs) is (count == 3)


def test_vpc_outputs(network):
    outputs = network["Outputs"]
    assert outputs[n.OUTPUT_VPC_ID]["Value"] == {"Ref": n.VPC}
    assert outputs[n.OUTPUT_VPC_CIDR]["Value"] == {"Fn::GetAtt": [n.VPC, "CidrBlock"]}


# --- Whole-template properties over every parameter combination -------------------------------


COMBINATIONS = [
    (azs, nat, endpoints)
    for azs in AZ_COUNTS
    for nat in NAT_MODES
    for endpoints in ("true", "false")
    if not (nat == "None" and endpoints == "false")
]


@pytest.mark.parametrize(("azs", "nat", "endpoints"), COMBINATIONS)
def test_every_reference_resolves_in_every_valid_combination(network, azs, nat, endpoints):
    stack = deploy(network, NumberOfAzs=azs, NatGateways=nat, VpcEndpoints=endpoints)
    assert dangling_refs(stack) == set()


# --- Parameters in the console -----------------------------------------------------------------


def test_every_parameter_has_a_description_and_a_constraint(network):
    for name, parameter in network["Parameters"].items():
        assert parameter["Description"], name
        assert "AllowedPattern" in parameter or "AllowedValues" in parameter, name
        assert parameter["ConstraintDescription"], name


def test_every_parameter_is_labelled_and_in_exactly_one_console_group(network):
    interface = network["Metadata"]["AWS::CloudFormation::Interface"]
    grouped = [p for group in interface["ParameterGroups"] for p in group["Parameters"]]
    assert sorted(grouped) == sorted(network["Parameters"])
    assert len(grouped) == len(set(grouped))
    assert sorted(interface["ParameterLabels"]) == sorted(network["Parameters"])


CIDR_PARAMETERS = [n.VPC_CIDR] + [
    name_of(az) for name_of in (n.public_subnet_cidr, n.private_subnet_cidr) for az in (1, 2, 3)
]


@pytest.mark.parametrize("parameter", CIDR_PARAMETERS)
@pytest.mark.parametrize(
    "value", ["10.0.0.0/16", "192.168.0.0/24", "172.31.255.240/28", "100.64.0.0/17"]
)
def test_cidr_pattern_accepts(network, parameter, value):
    assert re.fullmatch(network["Parameters"][parameter]["AllowedPattern"], value)


@pytest.mark.parametrize("parameter", CIDR_PARAMETERS)
@pytest.mark.parametrize(
    "value",
    [
        "10.0.0.0/33",
        "300.1.1.1/16",
        "10.0.0.0",
        "10.0.0.0/15",  # larger than a VPC may be
        "10.0.0.0/29",  # smaller than a subnet may be
        "10.0.0/16",
        "010.0.0.0/16",
        " 10.0.0.0/16",
        "10.0.0.0/16 ",
        "",
    ],
)
def test_cidr_pattern_rejects(network, parameter, value):
    assert not re.fullmatch(network["Parameters"][parameter]["AllowedPattern"], value)


# --- Build-time configuration -------------------------------------------------------------------


def test_two_az_build_drops_the_third_az_entirely():
    template = network_template(NetworkConfig(max_azs=2)).to_dict()
    assert n.NUMBER_OF_AZS not in template["Parameters"]  # nothing to choose: no parameter
    assert n.az_enabled(3) not in template["Conditions"]
    assert n.public_subnet(3) not in template["Resources"]
    assert n.public_subnet_cidr(3) not in template["Parameters"]
    assert n.output_private_subnet_id(3) not in template["Outputs"]
    assert template["Outputs"][n.OUTPUT_PRIVATE_SUBNET_IDS]["Value"] == {
        "Fn::Join": [",", [{"Ref": n.private_subnet(1)}, {"Ref": n.private_subnet(2)}]]
    }


def test_config_sets_parameter_defaults():
    config = NetworkConfig(
        vpc_cidr="172.16.0.0/20",
        public_subnet_cidrs=("172.16.0.0/26", "172.16.0.64/26", "172.16.0.128/26"),
        private_subnet_cidrs=("172.16.4.0/22", "172.16.8.0/22", "172.16.12.0/22"),
        default_azs=3,
        default_nat_gateways="Single",
        default_vpc_endpoints=True,
        default_flow_log_retention_days=731,
    )
    parameters = network_template(config).to_dict()["Parameters"]
    assert parameters[n.VPC_CIDR]["Default"] == "172.16.0.0/20"
    assert parameters[n.public_subnet_cidr(2)]["Default"] == "172.16.0.64/26"
    assert parameters[n.private_subnet_cidr(3)]["Default"] == "172.16.12.0/22"
    assert parameters[n.NUMBER_OF_AZS]["Default"] == "3"
    assert parameters[n.NAT_GATEWAYS]["Default"] == "Single"
    assert parameters[n.VPC_ENDPOINTS]["Default"] == "true"
    assert parameters[n.FLOW_LOG_RETENTION_DAYS]["Default"] == "731"


def test_config_chooses_the_interface_endpoints():
    config = NetworkConfig(interface_endpoints=("ecr.api", "ecr.dkr", "logs", "ssmmessages"))
    resources = network_template(config).to_dict()["Resources"]
    endpoints = sorted(k for k, v in resources.items() if v["Type"] == "AWS::EC2::VPCEndpoint")
    assert endpoints == sorted(
        [
            n.S3_GATEWAY_ENDPOINT,
            "EcrApiEndpoint",
            "EcrDkrEndpoint",
            "LogsEndpoint",
            "SsmmessagesEndpoint",
        ]
    )


def test_builder_keeps_no_state_between_calls():
    # Building another config in between must not leak into the next template (a shared,
    # mutated troposphere object would).
    first = network_template(NetworkConfig()).to_dict()
    network_template(NetworkConfig(max_azs=2, interface_endpoints=("ecr.api", "ecr.dkr", "logs")))
    assert network_template(NetworkConfig()).to_dict() == first


@pytest.mark.parametrize(
    ("max_azs", "subnets", "count"), [(2, "1 and 2", "two"), (3, "1, 2 and 3", "NumberOfAzs")]
)
def test_the_zones_parameter_describes_the_subnets_the_template_has(max_azs, subnets, count):
    """A template of two zones has no third subnet and no NumberOfAzs: its description said
    both."""
    t = network_template(NetworkConfig(max_azs=max_azs)).to_dict()
    text = t["Parameters"]["AvailabilityZones"]["Description"]
    assert text.startswith(f"Zones for subnets {subnets}, in that order")
    assert f"at least {count} of them" in text
    assert ("NumberOfAzs" in t["Parameters"]) is (count == "NumberOfAzs")
    assert ("eu-west-1c" in text) is (max_azs == 3)


def test_a_spec_sets_the_s3_endpoint_access_and_refuses_another_word():
    from troposphere_fargate import parse_spec
    from troposphere_fargate.release.spec import SpecError

    services = "services: {web: {}}\n"
    config = parse_spec("network: {s3_endpoint_access: ThisAccount}\n" + services, "app.yaml")
    assert config.network.default_s3_endpoint_access == "ThisAccount"
    with pytest.raises(
        SpecError,
        match=r"app.yaml:1: network.s3_endpoint_access: 'thisaccount' "
        r"is not one of AnyBucket, ThisAccount \(did you mean ThisAccount\?\)",
    ):
        parse_spec("network: {s3_endpoint_access: thisaccount}\n" + services, "app.yaml")


def test_without_nat_a_service_calling_a_service_the_network_has_no_endpoint_for_is_warned_of():
    """A user trial: a worker scaling on an SQS queue, in a network without NAT and without the
    sqs endpoint, built, validated and was drawn without a word; its calls would time out."""
    from troposphere_fargate import parse_spec

    worker = (
        "services:\n  worker:\n    expose: none\n"
        "    queue_scaling: {queue: jobs, messages_per_task: 10}\n"
        "    task_role:\n      statements:\n"
        "        - actions: [sqs:ReceiveMessage, sqs:DeleteMessage, dynamodb:GetItem, "
        "states:StartExecution, iam:PassRole, rds-db:connect]\n"
        '          resources: ["*"]\n'
    )
    no_nat = "network: {nat_gateways: None, vpc_endpoints: true}\n"
    (warning,) = [w for w in parse_spec(no_nat + worker).warnings if "no NAT gateway" in w]
    assert warning == (
        "network.interface_endpoints: the network has no NAT gateway (nat_gateways: None), and "
        "the service worker calls dynamodb (task_role); sqs (queue_scaling, task_role); states "
        "(task_role), which it reaches only through an endpoint: add sqs to "
        "network.interface_endpoints; add dynamodb to network.gateway_endpoints; states: it has "
        "no endpoint here, give the network NAT"
    )
    # With the endpoints, or with NAT, nothing to say (states aside, it has no endpoint).
    endpoints = (
        "network: {nat_gateways: None, vpc_endpoints: true, gateway_endpoints: [s3, dynamodb],\n"
        "  interface_endpoints: [ecr.api, ecr.dkr, logs, secretsmanager, ssm, ecs-agent, sqs]}\n"
    )
    fixed = worker.replace(", states:StartExecution", "")
    assert not [w for w in parse_spec(endpoints + fixed).warnings if "no NAT gateway" in w]
    assert not [w for w in parse_spec(worker).warnings if "no NAT gateway" in w]
    # ECS Exec's session channel is ssmmessages; a warning of gateway endpoints alone is at
    # their key.
    execute = endpoints.replace(", sqs]", "]").replace("s3, dynamodb", "s3")
    shell = fixed.replace("    expose: none\n", "    expose: none\n    execute_command: true\n")
    assert [w.split(":")[0] for w in parse_spec(execute + shell).warnings if "NAT" in w] == [
        "network.interface_endpoints"
    ]
    (said,) = [w for w in parse_spec(execute + shell).warnings if "NAT" in w]
    assert "ssmmessages (execute_command)" in said
    gateway_only = endpoints.replace("s3, dynamodb", "s3")
    (said,) = [w for w in parse_spec(gateway_only + fixed).warnings if "NAT" in w]
    assert said.startswith("network.gateway_endpoints: ")


def test_without_nat_the_warning_names_the_endpoints_aws_names():
    """The review: the warning told a user to reach "kinesis", "firehose", "ses" and "bedrock"
    (for a model invocation) through endpoints of those names, which no AWS service has: their
    interface endpoints are kinesis-streams, kinesis-firehose, the SES API's email and
    bedrock-runtime (tests/cfn/test_reach.py quotes AWS's service names)."""
    from troposphere_fargate import parse_spec

    worker = (
        "network: {nat_gateways: None, vpc_endpoints: true}\n"
        "services:\n  worker:\n    expose: none\n"
        "    task_role:\n      statements:\n"
        "        - actions: [kinesis:PutRecord, firehose:PutRecord, ses:SendEmail, "
        "bedrock:InvokeModel, bedrock:Retrieve]\n"
        '          resources: ["*"]\n'
    )
    (warning,) = [w for w in parse_spec(worker).warnings if "no NAT gateway" in w]
    assert warning == (
        "network.nat_gateways: the network has no NAT gateway (nat_gateways: None), and the "
        "service worker calls bedrock-agent-runtime (task_role); bedrock-runtime (task_role); "
        "email (task_role); kinesis-firehose (task_role); kinesis-streams (task_role), which it "
        "reaches only through an endpoint: bedrock-agent-runtime, bedrock-runtime, email, "
        "kinesis-firehose, kinesis-streams: they have no endpoint here, give the network NAT"
    )


def test_secrets_and_their_kms_key_need_the_secrets_manager_endpoint_only():
    # Secrets Manager decrypts a secret with its KMS key itself: the task calls no KMS endpoint.
    from troposphere_fargate import parse_spec

    secret = (
        "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db-AbCdEf"
    )
    key = (
        "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/"
        "1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    spec = (
        "network: {nat_gateways: None, vpc_endpoints: true}\n"
        f'services:\n  web:\n    secrets: {{DB_PASSWORD: "{secret}"}}\n'
        f'    secrets_kms_key: "{key}"\n'
    )
    assert [w for w in parse_spec(spec).warnings if "NAT" in w] == []
    without = spec.replace(
        "nat_gateways: None, vpc_endpoints: true",
        "nat_gateways: None, vpc_endpoints: true, interface_endpoints: [ecr.api, ecr.dkr, logs]",
    )
    (said,) = [w for w in parse_spec(without).warnings if "NAT" in w]
    assert "calls secretsmanager (secrets)," in said and "kms" not in said
