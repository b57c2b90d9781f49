"""The network layer, ``network.yaml``: a VPC whose private subnets reach out only through NAT
gateways or VPC endpoints.

Resources: the VPC, one public and one private subnet per Availability Zone (the zones given in
``AvailabilityZones``, or the region's first ones from ``Fn::GetAZs``), an internet gateway and
the public route table, one private route table per AZ, NAT gateways with Elastic IPs (one per
AZ, a single one, or none), the S3 gateway endpoint (free; it carries every ECR image layer),
optional interface endpoints behind their own security group (service names from
:mod:`troposphere_fargate.layers.endpoints`, right in every partition) and VPC flow logs to a
retained CloudWatch log group through a least-privilege role; with
``RestrictDefaultSecurityGroup`` (the default), a custom resource (a Lambda function, its role and
log group) that removes every rule of the VPC's default security group.

Parameters: ``VpcCidr``, ``NumberOfAzs``, ``AvailabilityZones``, ``PublicSubnet<N>Cidr``,
``PrivateSubnet<N>Cidr``, ``NatGateways``, ``VpcEndpoints``, ``S3EndpointAccess``,
``RestrictDefaultSecurityGroup``, ``FlowLogRetentionDays``. Rules:
``NoNatGatewaysRequireVpcEndpoints`` rejects ``NatGateways=None`` without endpoints, and
``AvailabilityZonesWithoutGaps`` an empty item in ``AvailabilityZones``.

Outputs (exported as ``<stack name>-<output>``): ``VpcId``, ``VpcCidr``, ``PublicSubnetIds``,
``PrivateSubnetIds`` (comma-joined, in AZ order) and ``PublicSubnet<N>Id`` /
``PrivateSubnet<N>Id``.

Every name defined in this module's constants is public API: users pass the parameters, read
the outputs, and CloudFormation replaces a resource whose logical ID changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awacs import ec2 as awacs_ec2
from awacs import logs as awacs_logs
from awacs import s3 as awacs_s3
from awacs.aws import (
    Action,
    Allow,
    PolicyDocument,
    Principal,
    Statement,
    StringEquals,
)
from awacs.aws import Condition as PolicyCondition
from troposphere import (
    AccountId,
    And,
    Condition,
    Equals,
    GetAtt,
    GetAZs,
    If,
    Join,
    Not,
    Or,
    Partition,
    Ref,
    Select,
    Sub,
    Template,
    awslambda,
    cloudformation,
    ec2,
    iam,
    logs,
)

from ..errors import expect
from . import endpoints
from .blocks import (
    CIDR_CONSTRAINT,
    CIDR_PATTERN,
    FALSE,
    LOG_GROUP_CHECKOV,
    LOG_GROUP_SUPPRESSIONS,
    TRUE,
    VPC_PREFIX_LENGTHS,
    add_choice_parameter,
    add_exported_output,
    add_no_gaps_rule,
    add_parameter,
    add_retention_parameter,
    add_switch_parameter,
    inline_policy,
    is_true,
    name_tag,
    no_egress_rule,
    plain_service_trust,
    service_trust,
    suppress,
)
from .config import (
    LOG_RETENTION_DAYS,
    NAT_GATEWAY_MODES,
    NAT_NONE,
    NAT_PER_AZ,
    NAT_SINGLE,
    S3_ENDPOINT_ACCESSES,
    S3_THIS_ACCOUNT,
    NetworkConfig,
)

LAYER = "network"
FILENAME = "network.yaml"

# --- Parameters -------------------------------------------------------------------------------
VPC_CIDR = "VpcCidr"
NUMBER_OF_AZS = "NumberOfAzs"
AVAILABILITY_ZONES = "AvailabilityZones"
NAT_GATEWAYS = "NatGateways"
VPC_ENDPOINTS = "VpcEndpoints"
FLOW_LOG_RETENTION_DAYS = "FlowLogRetentionDays"
S3_ENDPOINT_ACCESS = "S3EndpointAccess"
RESTRICT_DEFAULT_SECURITY_GROUP = "RestrictDefaultSecurityGroup"


def public_subnet_cidr(az: int) -> str:
    return f"PublicSubnet{az}Cidr"


def private_subnet_cidr(az: int) -> str:
    return f"PrivateSubnet{az}Cidr"


# An Availability Zone name (each member of AvailabilityZones), or nothing for automatic zones.
AZ_NAME_PATTERN = r"^$|^[a-z]{2}(-gov)?-[a-z]+-[0-9]+[a-z]$"

# --- Conditions -------------------------------------------------------------------------------
HAS_NAT_GATEWAYS = "HasNatGateways"
NAT_GATEWAY_PER_AZ = "NatGatewayPerAz"
VPC_ENDPOINTS_ENABLED = "VpcEndpointsEnabled"
AZS_PINNED = "AvailabilityZonesPinned"
IS_CHINA = "IsChinaPartition"
S3_ENDPOINT_THIS_ACCOUNT = "S3EndpointThisAccountOnly"
DEFAULT_SECURITY_GROUP_RESTRICTED = "DefaultSecurityGroupRestricted"


def az_enabled(az: int) -> str:
    """Condition that AZ number ``az`` (3 and up) is in use."""
    return f"Az{az}Enabled"


def nat_gateway_enabled(az: int) -> str:
    """Condition of AZ ``az``'s NAT gateway: NAT gateway 1 serves every AZ in Single mode, the
    others exist only in PerAz mode (and, from AZ 3 on, only when their AZ is in use)."""
    if az == 1:
        return HAS_NAT_GATEWAYS
    return NAT_GATEWAY_PER_AZ if az == 2 else f"NatGateway{az}Enabled"


def private_default_route_enabled(az: int) -> str:
    """Condition of AZ ``az``'s default route from its private subnet to a NAT gateway."""
    return HAS_NAT_GATEWAYS if az <= 2 else f"PrivateDefaultRoute{az}Enabled"


# --- Rules ------------------------------------------------------------------------------------
RULE_NO_NAT_NEEDS_ENDPOINTS = "NoNatGatewaysRequireVpcEndpoints"
RULE_ZONES_WITHOUT_GAPS = "AvailabilityZonesWithoutGaps"

# --- Resources --------------------------------------------------------------------------------
VPC = "Vpc"
INTERNET_GATEWAY = "InternetGateway"
INTERNET_GATEWAY_ATTACHMENT = "InternetGatewayAttachment"
PUBLIC_ROUTE_TABLE = "PublicRouteTable"
PUBLIC_DEFAULT_ROUTE = "PublicDefaultRoute"
S3_GATEWAY_ENDPOINT = "S3GatewayEndpoint"
VPC_ENDPOINT_SECURITY_GROUP = "VpcEndpointSecurityGroup"
FLOW_LOG_GROUP = "FlowLogGroup"
FLOW_LOG_ROLE = "FlowLogRole"
FLOW_LOG = "FlowLog"
DEFAULT_SECURITY_GROUP_RESTRICTION = "DefaultSecurityGroupRestriction"
DEFAULT_SECURITY_GROUP_FUNCTION = "DefaultSecurityGroupFunction"
DEFAULT_SECURITY_GROUP_FUNCTION_ROLE = "DefaultSecurityGroupFunctionRole"
DEFAULT_SECURITY_GROUP_FUNCTION_LOG_GROUP = "DefaultSecurityGroupFunctionLogGroup"


def public_subnet(az: int) -> str:
    return f"PublicSubnet{az}"


def public_subnet_route_table_association(az: int) -> str:
    return f"PublicSubnet{az}RouteTableAssociation"


def private_subnet(az: int) -> str:
    return f"PrivateSubnet{az}"


def private_route_table(az: int) -> str:
    return f"PrivateRouteTable{az}"


def private_subnet_route_table_association(az: int) -> str:
    return f"PrivateSubnet{az}RouteTableAssociation"


def private_default_route(az: int) -> str:
    return f"PrivateDefaultRoute{az}"


def nat_gateway(az: int) -> str:
    return f"NatGateway{az}"


def nat_gateway_eip(az: int) -> str:
    return f"NatGateway{az}Eip"


def gateway_endpoint(service: str) -> str:
    """``s3`` -> ``S3GatewayEndpoint``, ``dynamodb`` -> ``DynamodbGatewayEndpoint``."""
    endpoints.lookup(service, endpoints.GATEWAY)  # only services the endpoint table names
    return service.capitalize() + "GatewayEndpoint"


def interface_endpoint(service: str) -> str:
    """``ecr.api`` -> ``EcrApiEndpoint``."""
    endpoints.lookup(service, endpoints.INTERFACE)  # only services the endpoint table names
    words = service.replace("-", ".").split(".")
    return "".join(word.capitalize() for word in words) + "Endpoint"


# --- Outputs ----------------------------------------------------------------------------------
OUTPUT_VPC_ID = "VpcId"
OUTPUT_VPC_CIDR = "VpcCidr"
OUTPUT_PUBLIC_SUBNET_IDS = "PublicSubnetIds"
OUTPUT_PRIVATE_SUBNET_IDS = "PrivateSubnetIds"


def output_public_subnet_id(az: int) -> str:
    return f"PublicSubnet{az}Id"


def output_private_subnet_id(az: int) -> str:
    return f"PrivateSubnet{az}Id"


# --- Console groups ---------------------------------------------------------------------------
GROUP_ADDRESSING = "Network addressing"
GROUP_EGRESS = "Outbound access from the private subnets"
GROUP_LOGGING = "Logging"
GROUP_SECURITY = "Security"


def network_template(config: NetworkConfig | None = None) -> Template:
    """Build the network layer. Pure: the same config always gives the same template."""
    expect(config, (NetworkConfig, type(None)), "network_template(config)")
    config = config or NetworkConfig()
    t = Template(
        Description=(
            "VPC with public subnets for the load balancer and NAT gateways and private subnets "
            "for Fargate tasks, optional VPC endpoints, and flow logs"
        )
    )
    _add_parameters(t, config)
    _add_conditions(t, config)
    t.add_rule(
        RULE_NO_NAT_NEEDS_ENDPOINTS,
        {
            "RuleCondition": Equals(Ref(NAT_GATEWAYS), NAT_NONE),
            "Assertions": [
                {
                    "Assert": is_true(VPC_ENDPOINTS),
                    "AssertDescription": (
                        f"{NAT_GATEWAYS} is {NAT_NONE}, so the private subnets have no route to "
                        "the internet and tasks could not pull their container image. Set "
                        f"{VPC_ENDPOINTS} to {TRUE} (private access to ECR, S3 and CloudWatch "
                        f"Logs), or choose {NAT_PER_AZ} or {NAT_SINGLE} NAT gateways."
                    ),
                }
            ],
        },
    )
    add_no_gaps_rule(t, RULE_ZONES_WITHOUT_GAPS, AVAILABILITY_ZONES, "zone names")

    vpc = t.add_resource(
        ec2.VPC(
            VPC,
            CidrBlock=Ref(VPC_CIDR),
            EnableDnsHostnames=True,
            EnableDnsSupport=True,
            Tags=name_tag("vpc"),
        )
    )
    igw = t.add_resource(ec2.InternetGateway(INTERNET_GATEWAY, Tags=name_tag("igw")))
    attachment = t.add_resource(
        ec2.VPCGatewayAttachment(
            INTERNET_GATEWAY_ATTACHMENT, InternetGatewayId=Ref(igw), VpcId=Ref(vpc)
        )
    )
    public_routes = t.add_resource(
        ec2.RouteTable(PUBLIC_ROUTE_TABLE, VpcId=Ref(vpc), Tags=name_tag("public"))
    )
    t.add_resource(
        ec2.Route(
            PUBLIC_DEFAULT_ROUTE,
            # A route to a gateway that is not attached yet fails.
            DependsOn=attachment.title,
            RouteTableId=Ref(public_routes),
            DestinationCidrBlock="0.0.0.0/0",
            GatewayId=Ref(igw),
        )
    )

    for az in range(1, config.max_azs + 1):
        public = _add_subnet(t, vpc, PUBLIC, az, public_routes)
        private_routes = t.add_resource(
            ec2.RouteTable(
                private_route_table(az),
                VpcId=Ref(vpc),
                Tags=name_tag(f"private-{az}"),
                **_when(_az_condition(az)),
            )
        )
        _add_subnet(t, vpc, PRIVATE, az, private_routes)
        _add_nat_gateway(t, az, public, private_routes, attachment)

    _add_vpc_endpoints(t, config, vpc)
    _add_flow_logs(t, vpc)
    _add_default_security_group_restriction(t, vpc)
    _add_outputs(t, config, vpc)
    return t


def _add_parameters(t: Template, config: NetworkConfig) -> None:
    add_parameter(
        t,
        VPC_CIDR,
        group=GROUP_ADDRESSING,
        label="VPC CIDR block",
        description=(
            "IPv4 address range of the VPC (/{} to /{}). Every subnet CIDR below must lie "
            "inside it.".format(*VPC_PREFIX_LENGTHS)
        ),
        Type="String",
        Default=config.vpc_cidr,
        AllowedPattern=CIDR_PATTERN,
        ConstraintDescription=CIDR_CONSTRAINT,
    )
    if config.max_azs > 2:  # with two AZs at most there is nothing to choose (cfn-lint W2001)
        _add_number_of_azs(t, config)
    add_parameter(
        t,
        AVAILABILITY_ZONES,
        group=GROUP_ADDRESSING,
        label="Availability Zones (recommended: pin them)",
        description=(
            f"Zones for subnets {_subnets(config.max_azs)}, in that order, comma-separated "
            f"({','.join(f'eu-west-1{z}' for z in 'abc'[: config.max_azs])}); at least "
            f"{'NumberOfAzs' if config.max_azs > 2 else 'two'} of them, each running Fargate. "
            "Pinned zones never "
            "move; to move a subnet to another zone, change its CIDR block in the same update "
            "(a VPC cannot hold the new subnet beside the old with one block). Empty: the "
            "region's first zones from Fn::GetAZs, whose list AWS does not guarantee to keep (a "
            "changed list would fail the next update). "
            "In us-west-1, ap-northeast-1 and cn-north-1 Fargate runs in some zones only: pin "
            "those."
        ),
        Type="CommaDelimitedList",
        Default="",
        AllowedPattern=AZ_NAME_PATTERN,
        ConstraintDescription=(
            "must be empty or Availability Zone names separated by commas, such as "
            "eu-west-1a,eu-west-1b"
        ),
    )
    for kind, cidrs, name_of, role in (
        ("Public", config.public_subnet_cidrs, public_subnet_cidr, "load balancer and NAT"),
        ("Private", config.private_subnet_cidrs, private_subnet_cidr, "Fargate tasks"),
    ):
        for az in range(1, config.max_azs + 1):
            add_parameter(
                t,
                name_of(az),
                group=GROUP_ADDRESSING,
                label=f"{kind} subnet {az} CIDR block",
                description=(
                    f"IPv4 range of the {kind.lower()} subnet ({role}) in Availability Zone "
                    f"{az}. Must be inside the VPC CIDR and overlap no other subnet."
                ),
                Type="String",
                Default=cidrs[az - 1],
                AllowedPattern=CIDR_PATTERN,
                ConstraintDescription=CIDR_CONSTRAINT,
            )
    _add_egress_parameters(t, config)
    add_switch_parameter(
        t,
        RESTRICT_DEFAULT_SECURITY_GROUP,
        group=GROUP_SECURITY,
        label="Empty the default security group",
        description=(
            f"{TRUE}: a Lambda function, run once by a custom resource, removes every rule of "
            "the VPC's default security group (AWS Security Hub control EC2.2), so nothing put "
            "in it by mistake sends or receives traffic; on a running stack it refuses, and the "
            "update rolls back, when a network interface already uses that group. "
            f"{FALSE}: the group keeps the rules EC2 gives it (all traffic between its members, "
            f"all outbound); going from {TRUE} to {FALSE} puts those rules back."
        ),
        default=config.default_restrict_default_security_group,
    )
    add_retention_parameter(
        t,
        FLOW_LOG_RETENTION_DAYS,
        group=GROUP_LOGGING,
        label="Flow log retention (days)",
        description=(
            "Days to keep VPC flow logs in CloudWatch Logs. The log group is kept when the "
            "stack is deleted."
        ),
        default=config.default_flow_log_retention_days,
        choices=LOG_RETENTION_DAYS,
    )


def _add_egress_parameters(t: Template, config: NetworkConfig) -> None:
    """NatGateways, VpcEndpoints and S3EndpointAccess: how the private subnets reach out."""
    add_choice_parameter(
        t,
        NAT_GATEWAYS,
        group=GROUP_EGRESS,
        label="NAT gateways",
        description=(
            "PerAz: one NAT gateway per Availability Zone (survives the loss of a zone). "
            "Single: one NAT gateway for all zones (cheaper; a zone outage cuts outbound "
            "traffic). None: no NAT gateway and no internet route from the private subnets "
            "(requires VpcEndpoints=true)."
        ),
        choices=NAT_GATEWAY_MODES,
        default=config.default_nat_gateways,
    )
    add_switch_parameter(
        t,
        VPC_ENDPOINTS,
        group=GROUP_EGRESS,
        label="VPC endpoints",
        description=(
            f"{TRUE}: create interface endpoints ("
            + ", ".join(config.interface_endpoints)
            + ") so tasks reach those services without leaving the AWS network. Interface "
            "endpoints are billed per hour and AZ, and a few AZs do not offer every service. "
            "The S3 gateway endpoint (free; it carries the image layers) exists either way."
        ),
        default=config.default_vpc_endpoints,
    )
    add_choice_parameter(
        t,
        S3_ENDPOINT_ACCESS,
        group=GROUP_EGRESS,
        label="S3 through the gateway endpoint",
        description=(
            "AnyBucket: the private subnets reach any bucket of the region through the S3 "
            "gateway endpoint (AWS's default endpoint policy). ThisAccount: only this account's "
            "buckets, and the bucket ECR serves image layers from; a request to another "
            "account's bucket in the region is refused, even through NAT (the endpoint's route "
            "is the more specific), an environment file in such a bucket too."
        ),
        choices=S3_ENDPOINT_ACCESSES,
        default=config.default_s3_endpoint_access,
    )


def _subnets(count: int) -> str:
    """``1 and 2``, ``1, 2 and 3``."""
    numbers = [str(n) for n in range(1, count + 1)]
    return f"{', '.join(numbers[:-1])} and {numbers[-1]}"


def _add_number_of_azs(t: Template, config: NetworkConfig) -> None:
    add_parameter(
        t,
        NUMBER_OF_AZS,
        group=GROUP_ADDRESSING,
        label="Number of Availability Zones",
        description=(
            "How many Availability Zones to spread the subnets over: the first N of "
            "AvailabilityZones, or of the zones Fn::GetAZs lists for the region when that is "
            "empty. Choose 2 where the account sees only two zones (us-west-1, for example). "
            "Subnet CIDRs of unused zones are ignored."
        ),
        Type="String",
        Default=str(config.default_azs),
        AllowedValues=[str(n) for n in range(2, config.max_azs + 1)],
        ConstraintDescription=f"must be a number of Availability Zones from 2 to {config.max_azs}",
    )


def _add_conditions(t: Template, config: NetworkConfig) -> None:
    t.add_condition(HAS_NAT_GATEWAYS, Not(Equals(Ref(NAT_GATEWAYS), NAT_NONE)))
    t.add_condition(NAT_GATEWAY_PER_AZ, Equals(Ref(NAT_GATEWAYS), NAT_PER_AZ))
    t.add_condition(VPC_ENDPOINTS_ENABLED, is_true(VPC_ENDPOINTS))
    t.add_condition(AZS_PINNED, Not(Equals(Join("", Ref(AVAILABILITY_ZONES)), "")))
    t.add_condition(IS_CHINA, Equals(Partition, "aws-cn"))
    t.add_condition(S3_ENDPOINT_THIS_ACCOUNT, Equals(Ref(S3_ENDPOINT_ACCESS), S3_THIS_ACCOUNT))
    t.add_condition(DEFAULT_SECURITY_GROUP_RESTRICTED, is_true(RESTRICT_DEFAULT_SECURITY_GROUP))
    for az in range(3, config.max_azs + 1):
        counts = [Equals(Ref(NUMBER_OF_AZS), str(n)) for n in range(az, config.max_azs + 1)]
        t.add_condition(az_enabled(az), counts[0] if len(counts) == 1 else Or(*counts))
    # AZs 1 and 2 always exist: their resources use the mode conditions themselves (no alias
    # conditions, which some tools evaluate wrongly). From AZ 3 on, the AZ must be in use too.
    for az in range(3, config.max_azs + 1):
        in_use = Condition(az_enabled(az))
        t.add_condition(nat_gateway_enabled(az), And(Condition(NAT_GATEWAY_PER_AZ), in_use))
        t.add_condition(private_default_route_enabled(az), And(Condition(HAS_NAT_GATEWAYS), in_use))


def _az_condition(az: int) -> str | None:
    """Condition of the resources of AZ ``az``: None for the two AZs every stack has."""
    return az_enabled(az) if az > 2 else None


def _when(condition: str | None) -> dict[str, str]:
    """Keyword arguments that make a resource conditional, or nothing."""
    return {} if condition is None else {"Condition": condition}


@dataclass(frozen=True)
class _Tier:
    """The names of one subnet tier's resources and parameters, per AZ."""

    tag: str
    subnet: Callable[[int], str]
    association: Callable[[int], str]
    cidr: Callable[[int], str]


PUBLIC = _Tier("public", public_subnet, public_subnet_route_table_association, public_subnet_cidr)
PRIVATE = _Tier(
    "private", private_subnet, private_subnet_route_table_association, private_subnet_cidr
)


def _add_subnet(
    t: Template, vpc: ec2.VPC, tier: _Tier, az: int, route_table: ec2.RouteTable
) -> ec2.Subnet:
    """One subnet of ``tier`` in AZ ``az``, and its route table association."""
    in_az = _when(_az_condition(az))
    subnet = t.add_resource(
        ec2.Subnet(
            tier.subnet(az),
            VpcId=Ref(vpc),
            # Fn::If inside Fn::Select picks the list first, so an index past the end of the
            # list not taken is never evaluated.
            AvailabilityZone=Select(az - 1, If(AZS_PINNED, Ref(AVAILABILITY_ZONES), GetAZs(""))),
            CidrBlock=Ref(tier.cidr(az)),
            # Nothing in these subnets needs an automatic public IP: the load balancer and the
            # NAT gateways get theirs from AWS, tasks must never have one.
            MapPublicIpOnLaunch=False,
            Tags=name_tag(f"{tier.tag}-{az}"),
            **in_az,
        )
    )
    t.add_resource(
        ec2.SubnetRouteTableAssociation(
            tier.association(az),
            SubnetId=Ref(subnet),
            RouteTableId=Ref(route_table),
            **in_az,
        )
    )
    return subnet


def _add_nat_gateway(
    t: Template,
    az: int,
    public: ec2.Subnet,
    private_routes: ec2.RouteTable,
    attachment: ec2.VPCGatewayAttachment,
) -> None:
    """AZ ``az``'s NAT gateway (when its condition holds) and its private default route."""
    eip = t.add_resource(
        ec2.EIP(
            nat_gateway_eip(az),
            Condition=nat_gateway_enabled(az),
            DependsOn=attachment.title,
            Domain="vpc",
            Tags=name_tag(f"nat-{az}"),
        )
    )
    t.add_resource(
        ec2.NatGateway(
            nat_gateway(az),
            Condition=nat_gateway_enabled(az),
            AllocationId=GetAtt(eip, "AllocationId"),
            SubnetId=Ref(public),
            Tags=name_tag(f"nat-{az}"),
        )
    )
    # PerAz: every private subnet leaves through the NAT gateway of its own AZ, so losing a zone
    # does not cut the others off. Single: all leave through NAT gateway 1.
    target = Ref(nat_gateway(1))
    if az > 1:
        target = If(NAT_GATEWAY_PER_AZ, Ref(nat_gateway(az)), target)
    t.add_resource(
        ec2.Route(
            private_default_route(az),
            Condition=private_default_route_enabled(az),
            RouteTableId=Ref(private_routes),
            DestinationCidrBlock="0.0.0.0/0",
            NatGatewayId=target,
        )
    )


def _per_az(config: NetworkConfig, name_of: Callable[[int], str]) -> Any:
    """Refs to ``name_of(1), name_of(2), ...`` for the AZs in use, switching on the AZ count."""
    result: Any = [Ref(name_of(az)) for az in (1, 2)]
    for az in range(3, config.max_azs + 1):
        result = If(az_enabled(az), [Ref(name_of(n)) for n in range(1, az + 1)], result)
    return result


# The bucket ECR serves image layers from, in every partition: "arn:aws:s3:::prod-region-
# starport-layer-bucket/*" (Amazon ECR User Guide, "Minimum Amazon S3 bucket permissions for
# Amazon ECR", in "Amazon ECR interface VPC endpoints (AWS PrivateLink)").
ECR_LAYER_BUCKET_OBJECTS = "arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*"


def s3_endpoint_policy() -> Any:
    """The S3 gateway endpoint's policy for ``S3EndpointAccess``. ``AnyBucket`` is AWS's default
    endpoint policy, written out ("By default, a VPC endpoint allows full access to the service":
    AWS PrivateLink Guide, endpoint policies) so that moving back from ``ThisAccount`` sets it
    again rather than leaving the property out. ``ThisAccount`` lets through the requests to the
    account's own buckets (``s3:ResourceAccount``, "the resource owner AWS account ID", Amazon
    S3 condition keys) and ECR's image layer reads."""
    any_bucket = PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(Effect=Allow, Principal=Principal("*"), Action=[Action("*")], Resource=["*"])
        ],
    )
    this_account = PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="BucketsOfThisAccount",
                Effect=Allow,
                Principal=Principal("*"),
                Action=[Action("s3", "*")],
                Resource=["*"],
                Condition=PolicyCondition(StringEquals("s3:ResourceAccount", AccountId)),
            ),
            Statement(
                Sid="EcrImageLayers",
                Effect=Allow,
                Principal=Principal("*"),
                Action=[awacs_s3.GetObject],
                Resource=[Sub(ECR_LAYER_BUCKET_OBJECTS)],
            ),
        ],
    )
    return If(S3_ENDPOINT_THIS_ACCOUNT, this_account, any_bucket)


def _add_vpc_endpoints(t: Template, config: NetworkConfig, vpc: ec2.VPC) -> None:
    # Always, whatever VpcEndpoints says: a gateway endpoint costs nothing, and image layers
    # pulled through a NAT gateway instead pay its data processing charge per GB
    # (aws/copilot-cli#5167: 122 GB of NAT traffic in a day from ECR pulls).
    for service in config.gateway_endpoints:
        policy = {"PolicyDocument": s3_endpoint_policy()} if service == "s3" else {}
        t.add_resource(
            ec2.VPCEndpoint(
                gateway_endpoint(service),
                VpcId=Ref(vpc),
                VpcEndpointType=endpoints.GATEWAY,
                ServiceName=endpoints.service_name_expression(
                    endpoints.lookup(service, endpoints.GATEWAY), IS_CHINA
                ),
                RouteTableIds=_per_az(config, private_route_table),
                **policy,
            )
        )
    security_group = t.add_resource(
        ec2.SecurityGroup(
            VPC_ENDPOINT_SECURITY_GROUP,
            Condition=VPC_ENDPOINTS_ENABLED,
            GroupDescription="Interface VPC endpoints: HTTPS from inside the VPC only",
            VpcId=Ref(vpc),
            SecurityGroupIngress=[
                ec2.SecurityGroupRule(
                    CidrIp=GetAtt(vpc, "CidrBlock"),
                    Description="HTTPS from the VPC",
                    FromPort=443,
                    IpProtocol="tcp",
                    ToPort=443,
                )
            ],
            SecurityGroupEgress=[no_egress_rule()],
            Tags=name_tag("vpc-endpoints"),
        )
    )
    for service in config.interface_endpoints:
        t.add_resource(
            ec2.VPCEndpoint(
                interface_endpoint(service),
                Condition=VPC_ENDPOINTS_ENABLED,
                VpcId=Ref(vpc),
                VpcEndpointType=endpoints.INTERFACE,
                ServiceName=endpoints.service_name_expression(
                    endpoints.lookup(service, endpoints.INTERFACE), IS_CHINA
                ),
                PrivateDnsEnabled=True,
                SubnetIds=_per_az(config, private_subnet),
                SecurityGroupIds=[Ref(security_group)],
            )
        )


def _add_flow_logs(t: Template, vpc: ec2.VPC) -> None:
    group = t.add_resource(
        suppress(
            logs.LogGroup(
                FLOW_LOG_GROUP,
                DeletionPolicy="Retain",
                UpdateReplacePolicy="Retain",
                RetentionInDays=Ref(FLOW_LOG_RETENTION_DAYS),
            ),
            guard=LOG_GROUP_SUPPRESSIONS,
            checkov=LOG_GROUP_CHECKOV,
        )
    )
    role = t.add_resource(
        iam.Role(
            FLOW_LOG_ROLE,
            AssumeRolePolicyDocument=service_trust(
                "vpc-flow-logs.amazonaws.com",
                "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*",
            ),
            Policies=[
                inline_policy(
                    "WriteFlowLogs",
                    [
                        Statement(
                            Effect=Allow,
                            Action=[
                                awacs_logs.CreateLogStream,
                                awacs_logs.PutLogEvents,
                                awacs_logs.DescribeLogStreams,
                            ],
                            # The Arn attribute ends in ":*", which covers the group's streams.
                            Resource=[GetAtt(group, "Arn")],
                        )
                    ],
                )
            ],
        )
    )
    t.add_resource(
        ec2.FlowLog(
            FLOW_LOG,
            ResourceId=Ref(vpc),
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="cloud-watch-logs",
            LogGroupName=Ref(group),
            DeliverLogsPermissionArn=GetAtt(role, "Arn"),
            Tags=name_tag("flow-log"),
        )
    )


# The function's code: a module of this package, shipped as its text (CloudFormation writes an
# inline ZipFile to index.py). Python 3.13: AWS deprecates it on the same day as 3.14 (30 June
# 2029, Lambda Developer Guide, "Building Lambda functions with Python"), and it has been in
# every region a year longer. From that date cfn-lint's rule W2531 fails the build.
DEFAULT_SECURITY_GROUP_RUNTIME = "python3.13"
_HANDLER_SOURCE = Path(__file__).with_name("default_sg_handler.py")
# Why the function is not in the VPC (cfn-guard's and checkov's rules ask that it be).
_OUTSIDE_THE_VPC = (
    "the function calls the EC2 API only, once; inside the VPC it would need the NAT gateways "
    "or an EC2 endpoint the VPC may not have"
)


class _DefaultSecurityGroupRestriction(cloudformation.CustomResource):  # type: ignore[misc]
    """The custom resource, under a type of its own (``Custom::``) that says what it does in the
    console's resource list; its one property beside the reserved ones is ``GroupId``."""

    resource_type = "Custom::DefaultSecurityGroupRestriction"


def _add_default_security_group_restriction(t: Template, vpc: ec2.VPC) -> None:
    """The custom resource that empties the VPC's default security group, its function, the
    function's role (exactly that group's rules, and the reads that name no resource) and
    its retained log group. The function runs outside the VPC: it calls the EC2 API only."""
    restricted = {"Condition": DEFAULT_SECURITY_GROUP_RESTRICTED}
    log_group = t.add_resource(
        suppress(
            logs.LogGroup(
                DEFAULT_SECURITY_GROUP_FUNCTION_LOG_GROUP,
                DeletionPolicy="Retain",
                UpdateReplacePolicy="Retain",
                RetentionInDays=365,
                **restricted,
            ),
            guard={
                "cloudwatch_log_group_encrypted_check": LOG_GROUP_SUPPRESSIONS[
                    "cloudwatch_log_group_encrypted_check"
                ]
            },
            checkov=LOG_GROUP_CHECKOV,
        )
    )
    default_group = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/"
    role = t.add_resource(
        iam.Role(
            DEFAULT_SECURITY_GROUP_FUNCTION_ROLE,
            # Lambda's execution role trusts the service alone, as AWS's examples do; who may
            # hand the role to a function is iam:PassRole's to decide.
            AssumeRolePolicyDocument=plain_service_trust("lambda.amazonaws.com"),
            Policies=[
                inline_policy(
                    "EmptyTheDefaultSecurityGroup",
                    [
                        Statement(
                            Effect=Allow,
                            Action=[
                                awacs_ec2.RevokeSecurityGroupIngress,
                                awacs_ec2.RevokeSecurityGroupEgress,
                                awacs_ec2.AuthorizeSecurityGroupIngress,
                                awacs_ec2.AuthorizeSecurityGroupEgress,
                            ],
                            # The group's ID as a Sub variable, not ${Vpc.DefaultSecurityGroup}
                            # in the text: cfn-lint expands an attribute in the text with every
                            # region and partition (1.5 s of lint for this one ARN; 0.02 s so).
                            Resource=[
                                Sub(
                                    default_group + "${Group}",
                                    Group=GetAtt(vpc, "DefaultSecurityGroup"),
                                )
                            ],
                        ),
                        # Describe* actions take no resource ARN (Service Authorization
                        # Reference, Amazon EC2): "*" is the only resource they accept.
                        Statement(
                            Effect=Allow,
                            Action=[
                                awacs_ec2.DescribeSecurityGroups,
                                awacs_ec2.DescribeSecurityGroupRules,
                                awacs_ec2.DescribeNetworkInterfaces,
                            ],
                            Resource=["*"],
                        ),
                        Statement(
                            Effect=Allow,
                            Action=[awacs_logs.CreateLogStream, awacs_logs.PutLogEvents],
                            Resource=[GetAtt(log_group, "Arn")],
                        ),
                    ],
                )
            ],
            **restricted,
        )
    )
    function = t.add_resource(
        suppress(
            awslambda.Function(
                DEFAULT_SECURITY_GROUP_FUNCTION,
                Description="Empties the VPC's default security group (custom resource)",
                Runtime=DEFAULT_SECURITY_GROUP_RUNTIME,
                Handler="index.handler",
                Code=awslambda.Code(ZipFile=_HANDLER_SOURCE.read_text(encoding="utf-8")),
                Role=GetAtt(role, "Arn"),
                Timeout=60,
                MemorySize=128,
                LoggingConfig=awslambda.LoggingConfig(LogGroup=Ref(log_group)),
                **restricted,
            ),
            guard={"lambda_inside_vpc_check": _OUTSIDE_THE_VPC},
            checkov={
                "CKV_AWS_115": (
                    "reserved concurrency takes from the account's unreserved pool, which a new "
                    "account may not be allowed to lower; CloudFormation calls it once per change"
                ),
                "CKV_AWS_116": (
                    "CloudFormation waits for the function's answer and fails the stack without "
                    "it; a dead-letter queue would hold a request nobody reads"
                ),
                "CKV_AWS_117": _OUTSIDE_THE_VPC,
            },
        )
    )
    t.add_resource(
        _DefaultSecurityGroupRestriction(
            DEFAULT_SECURITY_GROUP_RESTRICTION,
            ServiceToken=GetAtt(function, "Arn"),
            # An answer that never comes fails the stack in 5 minutes, not CloudFormation's hour.
            ServiceTimeout=300,
            GroupId=GetAtt(vpc, "DefaultSecurityGroup"),
            **restricted,
        )
    )


def _add_outputs(t: Template, config: NetworkConfig, vpc: ec2.VPC) -> None:
    add_exported_output(t, OUTPUT_VPC_ID, Ref(vpc), "ID of the VPC")
    add_exported_output(t, OUTPUT_VPC_CIDR, GetAtt(vpc, "CidrBlock"), "CIDR block of the VPC")
    add_exported_output(
        t,
        OUTPUT_PUBLIC_SUBNET_IDS,
        Join(",", _per_az(config, public_subnet)),
        "Comma-separated IDs of the public subnets, in Availability Zone order",
    )
    add_exported_output(
        t,
        OUTPUT_PRIVATE_SUBNET_IDS,
        Join(",", _per_az(config, private_subnet)),
        "Comma-separated IDs of the private subnets, in Availability Zone order",
    )
    for az in range(1, config.max_azs + 1):
        add_exported_output(
            t,
            output_public_subnet_id(az),
            Ref(public_subnet(az)),
            f"ID of the public subnet in Availability Zone {az}",
            condition=_az_condition(az),
        )
        add_exported_output(
            t,
            output_private_subnet_id(az),
            Ref(private_subnet(az)),
            f"ID of the private subnet in Availability Zone {az}",
            condition=_az_condition(az),
        )
