"""The network layer, ``network.yaml``: a VPC whose private subnets reach out only through NAT
gateways or VPC endpoints.

Resources: the VPC, one public and one private subnet per Availability Zone (AZs picked with
``Fn::GetAZs``), an internet gateway and the public route table, one private route table per AZ,
NAT gateways with Elastic IPs (one per AZ, a single one, or none), optional VPC endpoints (S3
gateway, interface endpoints behind their own security group) and VPC flow logs to a retained
CloudWatch log group through a least-privilege role.

Parameters: ``VpcCidr``, ``NumberOfAzs``, ``PublicSubnet<N>Cidr``, ``PrivateSubnet<N>Cidr``,
``NatGateways``, ``VpcEndpoints``, ``FlowLogRetentionDays``. A rule rejects ``NatGateways=None``
without endpoints.

Outputs (exported as ``<stack name>-<output>``): ``VpcId``, ``VpcCidr``, ``PublicSubnetIds``,
``PrivateSubnetIds`` (comma-joined, in AZ order) and ``PublicSubnet<N>Id`` /
``PrivateSubnet<N>Id``.

Every name defined in this module's constants is public API: users pass the parameters, read
the outputs, and CloudFormation replaces a resource whose logical ID changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awacs import logs as awacs_logs
from awacs import sts
from awacs.aws import (
    Allow,
    ArnLike,
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
    Ref,
    Select,
    Sub,
    Template,
    ec2,
    iam,
    logs,
)

from .config import LOG_RETENTION_DAYS, NAT_GATEWAY_MODES, NetworkConfig
from .parts import (
    CIDR_CONSTRAINT,
    CIDR_PATTERN,
    add_exported_output,
    add_parameter,
    name_tag,
)

LAYER = "network"
FILENAME = "network.yaml"

# --- Parameters -------------------------------------------------------------------------------
VPC_CIDR = "VpcCidr"
NUMBER_OF_AZS = "NumberOfAzs"
NAT_GATEWAYS = "NatGateways"
VPC_ENDPOINTS = "VpcEndpoints"
FLOW_LOG_RETENTION_DAYS = "FlowLogRetentionDays"


def public_subnet_cidr(az: int) -> str:
    return f"PublicSubnet{az}Cidr"


def private_subnet_cidr(az: int) -> str:
    return f"PrivateSubnet{az}Cidr"


# --- Conditions -------------------------------------------------------------------------------
HAS_NAT_GATEWAYS = "HasNatGateways"
NAT_PER_AZ = "NatGatewayPerAz"
VPC_ENDPOINTS_ENABLED = "VpcEndpointsEnabled"


def az_enabled(az: int) -> str:
    """Condition that AZ number ``az`` (3 and up) is in use."""
    return f"Az{az}Enabled"


def nat_gateway_enabled(az: int) -> str:
    return f"NatGateway{az}Enabled"


def private_default_route_enabled(az: int) -> str:
    return f"PrivateDefaultRoute{az}Enabled"


# --- Rules ------------------------------------------------------------------------------------
RULE_NO_NAT_NEEDS_ENDPOINTS = "NoNatGatewaysRequireVpcEndpoints"

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


def interface_endpoint(service: str) -> str:
    """``ecr.api`` -> ``EcrApiEndpoint``."""
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

# The interface endpoints' security group needs no egress. A group without egress rules gets an
# allow-all rule, so, like CDK's "allowAllOutbound: false", we put a rule that matches no traffic.
_NO_EGRESS = ec2.SecurityGroupRule(
    CidrIp="255.255.255.255/32",
    Description="Disallow all traffic",
    FromPort=252,
    IpProtocol="icmp",
    ToPort=86,
)


def network_template(config: NetworkConfig | None = None) -> Template:
    """Build the network layer. Pure: the same config always gives the same template."""
    config = config or NetworkConfig()
    azs = range(1, config.max_azs + 1)
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
            "RuleCondition": Equals(Ref(NAT_GATEWAYS), "None"),
            "Assertions": [
                {
                    "Assert": Equals(Ref(VPC_ENDPOINTS), "true"),
                    "AssertDescription": (
                        "NatGateways is None, so the private subnets have no route to the "
                        "internet and tasks could not pull their container image. Set "
                        "VpcEndpoints to true (private access to ECR, S3 and CloudWatch Logs), "
                        "or choose PerAz or Single NAT gateways."
                    ),
                }
            ],
        },
    )

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
            DependsOn=attachment.title,
            RouteTableId=Ref(public_routes),
            DestinationCidrBlock="0.0.0.0/0",
            GatewayId=Ref(igw),
        )
    )

    for az in azs:
        _add_availability_zone(t, az)

    if config.interface_endpoints:
        _add_vpc_endpoints(t, config)
    _add_flow_logs(t)
    _add_outputs(t, config)
    return t


def _add_parameters(t: Template, config: NetworkConfig) -> None:
    add_parameter(
        t,
        VPC_CIDR,
        group=GROUP_ADDRESSING,
        label="VPC CIDR block",
        description=(
            "IPv4 address range of the VPC (/16 to /28). Every subnet CIDR below must lie "
            "inside it."
        ),
        Type="String",
        Default=config.vpc_cidr,
        AllowedPattern=CIDR_PATTERN,
        ConstraintDescription=CIDR_CONSTRAINT,
    )
    add_parameter(
        t,
        NUMBER_OF_AZS,
        group=GROUP_ADDRESSING,
        label="Number of Availability Zones",
        description=(
            "How many Availability Zones to spread the subnets over. The first N zones of the "
            "region are used. Subnet CIDRs of unused zones are ignored."
        ),
        Type="String",
        Default=str(config.default_azs),
        AllowedValues=[str(n) for n in range(2, config.max_azs + 1)],
        ConstraintDescription=f"must be a number of Availability Zones from 2 to {config.max_azs}",
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
    add_parameter(
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
        Type="String",
        Default=config.default_nat_gateways,
        AllowedValues=list(NAT_GATEWAY_MODES),
        ConstraintDescription="must be PerAz, Single or None",
    )
    add_parameter(
        t,
        VPC_ENDPOINTS,
        group=GROUP_EGRESS,
        label="VPC endpoints",
        description=(
            "true: create an S3 gateway endpoint and interface endpoints ("
            + ", ".join(config.interface_endpoints)
            + ") so tasks reach those services without leaving the AWS network. Interface "
            "endpoints are billed per hour and AZ."
        ),
        Type="String",
        Default="true" if config.default_vpc_endpoints else "false",
        AllowedValues=["true", "false"],
        ConstraintDescription="must be true or false",
    )
    add_parameter(
        t,
        FLOW_LOG_RETENTION_DAYS,
        group=GROUP_LOGGING,
        label="Flow log retention (days)",
        description=(
            "Days to keep VPC flow logs in CloudWatch Logs. The log group is kept when the "
            "stack is deleted."
        ),
        Type="Number",
        Default=str(config.default_flow_log_retention_days),
        AllowedValues=[str(days) for days in LOG_RETENTION_DAYS],
        ConstraintDescription="must be a retention period CloudWatch Logs accepts",
    )


def _add_conditions(t: Template, config: NetworkConfig) -> None:
    t.add_condition(HAS_NAT_GATEWAYS, Not(Equals(Ref(NAT_GATEWAYS), "None")))
    t.add_condition(NAT_PER_AZ, Equals(Ref(NAT_GATEWAYS), "PerAz"))
    t.add_condition(VPC_ENDPOINTS_ENABLED, Equals(Ref(VPC_ENDPOINTS), "true"))
    for az in range(3, config.max_azs + 1):
        counts = [Equals(Ref(NUMBER_OF_AZS), str(n)) for n in range(az, config.max_azs + 1)]
        t.add_condition(az_enabled(az), counts[0] if len(counts) == 1 else Or(*counts))
    for az in range(1, config.max_azs + 1):
        # NAT gateway 1 serves every AZ in Single mode; the others exist only in PerAz mode.
        nat_mode = HAS_NAT_GATEWAYS if az == 1 else NAT_PER_AZ
        t.add_condition(nat_gateway_enabled(az), _and_az(az, nat_mode))
        t.add_condition(private_default_route_enabled(az), _and_az(az, HAS_NAT_GATEWAYS))


def _and_az(az: int, condition: str) -> Any:
    """``condition``, and also that AZ ``az`` is in use when it is an optional one."""
    if az <= 2:
        return Condition(condition)
    return And(Condition(condition), Condition(az_enabled(az)))


def _az_condition(az: int) -> str | None:
    """Condition of the resources of AZ ``az``: None for the two AZs every stack has."""
    return az_enabled(az) if az > 2 else None


def _when(condition: str | None) -> dict[str, str]:
    """Keyword arguments that make a resource conditional, or nothing."""
    return {} if condition is None else {"Condition": condition}


def _add_availability_zone(t: Template, az: int) -> None:
    """One AZ's column: public and private subnet, private route table, NAT gateway and route."""
    in_az = _when(_az_condition(az))
    availability_zone = Select(az - 1, GetAZs(""))

    public = t.add_resource(
        ec2.Subnet(
            public_subnet(az),
            VpcId=Ref(VPC),
            AvailabilityZone=availability_zone,
            CidrBlock=Ref(public_subnet_cidr(az)),
            MapPublicIpOnLaunch=False,
            Tags=name_tag(f"public-{az}"),
            **in_az,
        )
    )
    t.add_resource(
        ec2.SubnetRouteTableAssociation(
            public_subnet_route_table_association(az),
            SubnetId=Ref(public),
            RouteTableId=Ref(PUBLIC_ROUTE_TABLE),
            **in_az,
        )
    )
    private = t.add_resource(
        ec2.Subnet(
            private_subnet(az),
            VpcId=Ref(VPC),
            AvailabilityZone=availability_zone,
            CidrBlock=Ref(private_subnet_cidr(az)),
            MapPublicIpOnLaunch=False,
            Tags=name_tag(f"private-{az}"),
            **in_az,
        )
    )
    routes = t.add_resource(
        ec2.RouteTable(
            private_route_table(az), VpcId=Ref(VPC), Tags=name_tag(f"private-{az}"), **in_az
        )
    )
    t.add_resource(
        ec2.SubnetRouteTableAssociation(
            private_subnet_route_table_association(az),
            SubnetId=Ref(private),
            RouteTableId=Ref(routes),
            **in_az,
        )
    )

    eip = t.add_resource(
        ec2.EIP(
            nat_gateway_eip(az),
            Condition=nat_gateway_enabled(az),
            DependsOn=INTERNET_GATEWAY_ATTACHMENT,
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
        target = If(NAT_PER_AZ, Ref(nat_gateway(az)), target)
    t.add_resource(
        ec2.Route(
            private_default_route(az),
            Condition=private_default_route_enabled(az),
            RouteTableId=Ref(routes),
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


def _add_vpc_endpoints(t: Template, config: NetworkConfig) -> None:
    t.add_resource(
        ec2.VPCEndpoint(
            S3_GATEWAY_ENDPOINT,
            Condition=VPC_ENDPOINTS_ENABLED,
            VpcId=Ref(VPC),
            VpcEndpointType="Gateway",
            ServiceName=Sub("com.amazonaws.${AWS::Region}.s3"),
            RouteTableIds=_per_az(config, private_route_table),
        )
    )
    security_group = t.add_resource(
        ec2.SecurityGroup(
            VPC_ENDPOINT_SECURITY_GROUP,
            Condition=VPC_ENDPOINTS_ENABLED,
            GroupDescription="Interface VPC endpoints: HTTPS from inside the VPC only",
            VpcId=Ref(VPC),
            SecurityGroupIngress=[
                ec2.SecurityGroupRule(
                    CidrIp=GetAtt(VPC, "CidrBlock"),
                    Description="HTTPS from the VPC",
                    FromPort=443,
                    IpProtocol="tcp",
                    ToPort=443,
                )
            ],
            SecurityGroupEgress=[_NO_EGRESS],
            Tags=name_tag("vpc-endpoints"),
        )
    )
    for service in config.interface_endpoints:
        t.add_resource(
            ec2.VPCEndpoint(
                interface_endpoint(service),
                Condition=VPC_ENDPOINTS_ENABLED,
                VpcId=Ref(VPC),
                VpcEndpointType="Interface",
                ServiceName=Sub(f"com.amazonaws.${{AWS::Region}}.{service}"),
                PrivateDnsEnabled=True,
                SubnetIds=_per_az(config, private_subnet),
                SecurityGroupIds=[Ref(security_group)],
            )
        )


def _add_flow_logs(t: Template) -> None:
    group = t.add_resource(
        logs.LogGroup(
            FLOW_LOG_GROUP,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            RetentionInDays=Ref(FLOW_LOG_RETENTION_DAYS),
        )
    )
    role = t.add_resource(
        iam.Role(
            FLOW_LOG_ROLE,
            AssumeRolePolicyDocument=PolicyDocument(
                Version="2012-10-17",
                Statement=[
                    Statement(
                        Effect=Allow,
                        Principal=Principal("Service", "vpc-flow-logs.amazonaws.com"),
                        Action=[sts.AssumeRole],
                        # Confused-deputy protection: only flow logs of this account and region.
                        Condition=PolicyCondition(
                            [
                                StringEquals("aws:SourceAccount", AccountId),
                                ArnLike(
                                    "aws:SourceArn",
                                    Sub(
                                        "arn:${AWS::Partition}:ec2:${AWS::Region}:"
                                        "${AWS::AccountId}:vpc-flow-log/*"
                                    ),
                                ),
                            ]
                        ),
                    )
                ],
            ),
            Policies=[
                iam.Policy(
                    PolicyName="WriteFlowLogs",
                    PolicyDocument=PolicyDocument(
                        Version="2012-10-17",
                        Statement=[
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
                    ),
                )
            ],
        )
    )
    t.add_resource(
        ec2.FlowLog(
            FLOW_LOG,
            ResourceId=Ref(VPC),
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="cloud-watch-logs",
            LogGroupName=Ref(group),
            DeliverLogsPermissionArn=GetAtt(role, "Arn"),
            Tags=name_tag("flow-log"),
        )
    )


def _add_outputs(t: Template, config: NetworkConfig) -> None:
    add_exported_output(t, OUTPUT_VPC_ID, Ref(VPC), "ID of the VPC")
    add_exported_output(t, OUTPUT_VPC_CIDR, GetAtt(VPC, "CidrBlock"), "CIDR block of the VPC")
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
