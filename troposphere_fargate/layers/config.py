"""Build-time configuration: what a template supports, not what a user picks at deploy time.

Each layer has one frozen dataclass. Defaults live in the field definitions and are the product we
ship under ``templates/``; every field is documented here once. A config is validated when it is
built, across fields, so an impossible combination fails with a message that names the field and
the value instead of producing a template that cannot deploy.

Deploy-time choices (CIDRs, NAT mode, endpoints, retention) are CloudFormation parameters; the
fields below named ``default_*`` only set those parameters' defaults.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Final, Literal, TypeGuard

from ..cfn.limits import (
    LOAD_BALANCER_FREE_ADDRESSES,
    LOAD_BALANCER_SUBNET_PREFIX,
    SCHEDULED_ACTIONS_PER_SCALABLE_TARGET,
    SECTION_QUOTAS,
    SUBNET_RESERVED_ADDRESSES,
    usable_addresses,
)
from ..cfn.reach import endpoints_for
from ..errors import ConfigError as ConfigError
from ..errors import close_match, possessive, suggest_fields
from ..errors import field_error as _fail
from .application import (
    CONTAINER_NAME,
    CONTAINER_NAME_RULE,
    PSEUDO_PARTITION,
    Application,
    EgressRule,
    partition_of,
)
from .blocks import PREFIX_LENGTHS, VPC_PREFIX_LENGTHS
from .deployment import ROLLING, DeploymentSettings
from .endpoints import GATEWAY_SERVICES, INTERFACE_SERVICES
from .exposure import (
    APP_PROTOCOLS,
    EXPOSE_INTERNAL,
    EXPOSE_NONE,
    EXPOSE_PUBLIC,
    EXPOSURES,
    MAX_PRIORITY,
    MIN_PRIORITY,
    SERVICE_CONNECT_NAME_RULE,
    AppProtocol,
    Exposure,
    Routing,
    is_service_connect_name,
    logical_name,
)
from .health import TargetHealth
from .health_command import health_command_problem
from .queue_scaling import (
    DELETE,
    MIN_RUNNING_TASKS,
    RECEIVE,
    QueueScaling,
    names_queue_action,
)
from .regions import arn_fields, arn_region_problem
from .schedules import ScheduledScaling, has_passed, never_runs

# CloudWatch Logs accepts only these retention periods (days); the templates offer those of a year
# or more (AWS Control Tower CT.CLOUDWATCH.PR.2, Security Hub CloudWatch.16).
CLOUDWATCH_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
MINIMUM_LOG_RETENTION_DAYS = 365
LOG_RETENTION_DAYS: tuple[int, ...] = tuple(
    days for days in CLOUDWATCH_RETENTION_DAYS if days >= MINIMUM_LOG_RETENTION_DAYS
)

# Values of the network layer's NatGateways parameter. Each choice of a config is a Literal
# type too, so that a type checker catches a misspelt one before the config refuses it.
NatGateways = Literal["PerAz", "Single", "None"]
NAT_PER_AZ: Final = "PerAz"
NAT_SINGLE: Final = "Single"
NAT_NONE: Final = "None"
NAT_GATEWAY_MODES: tuple[NatGateways, ...] = (NAT_PER_AZ, NAT_SINGLE, NAT_NONE)
# What the S3 gateway endpoint lets through: any bucket (AWS's default endpoint policy), or
# the stack's own account's buckets and the bucket ECR serves image layers from.
S3EndpointAccess = Literal["AnyBucket", "ThisAccount"]
S3_ANY_BUCKET: Final = "AnyBucket"
S3_THIS_ACCOUNT: Final = "ThisAccount"
S3_ENDPOINT_ACCESSES: tuple[S3EndpointAccess, ...] = (S3_ANY_BUCKET, S3_THIS_ACCOUNT)

# Interface endpoints a private Fargate task may need (ARCHITECTURE.md: "What gets deployed"),
# named as in the endpoint table, which gives each its service name per partition.
KNOWN_INTERFACE_ENDPOINTS: tuple[str, ...] = tuple(INTERFACE_SERVICES)

# Gateway endpoints (free, in the private route tables); S3's always: image layers come
# through it.
KNOWN_GATEWAY_ENDPOINTS: tuple[str, ...] = tuple(GATEWAY_SERVICES)
REQUIRED_GATEWAY_ENDPOINTS: tuple[str, ...] = ("s3",)

# Without a NAT gateway, a task needs these to pull its image (ecr.api, ecr.dkr; layers come
# through the S3 gateway endpoint) and to ship its logs (logs).
REQUIRED_INTERFACE_ENDPOINTS: tuple[str, ...] = ("ecr.api", "ecr.dkr", "logs")

SUPPORTED_AZ_COUNTS: tuple[int, ...] = (2, 3)

# Values of the service layer's LoadBalancerType parameter.
LoadBalancerType = Literal["application", "network"]
APPLICATION_LOAD_BALANCER: Final = "application"
NETWORK_LOAD_BALANCER: Final = "network"
LOAD_BALANCER_TYPES: tuple[LoadBalancerType, ...] = (
    APPLICATION_LOAD_BALANCER,
    NETWORK_LOAD_BALANCER,
)

# Values of the service layer's CapacityProvider parameter; the cluster offers both.
CapacityProvider = Literal["FARGATE", "FARGATE_SPOT"]
FARGATE: Final = "FARGATE"
FARGATE_SPOT: Final = "FARGATE_SPOT"
CAPACITY_PROVIDERS: tuple[CapacityProvider, ...] = (FARGATE, FARGATE_SPOT)
# "When AWS needs the capacity back, your tasks are interrupted with a two-minute warning"
# (ECS Developer Guide, Fargate capacity providers).
SPOT_WARNING_SECONDS = 120

# Values of the service layer's CpuArchitecture parameter.
CpuArchitecture = Literal["X86_64", "ARM64"]
X86_64: Final = "X86_64"
ARM64: Final = "ARM64"
CPU_ARCHITECTURES: tuple[CpuArchitecture, ...] = (X86_64, ARM64)


# Tasks a service may run; the autoscaling bounds and desired count stay within it.
MAX_TASKS = 1000
# Target tracking on average CPU or memory utilization: the percentages a user may ask for (0
# turns it off).
TARGET_UTILIZATION_RANGE = (10, 90)
# Target tracking on ALBRequestCountPerTarget: requests per task a user may ask for.
MAX_REQUESTS_PER_TARGET = 100000

# What the tasks' security group always sends, whatever the application adds: HTTPS anywhere.
TASKS_HTTPS_EGRESS = EgressRule(
    port=443,
    cidr="0.0.0.0/0",
    description="HTTPS to ECR, S3, CloudWatch Logs and other AWS APIs",
)

# The largest values ECS takes for a service's health check grace period and Elastic Load
# Balancing for a target group's deregistration delay (seconds).
MAX_HEALTH_CHECK_GRACE_PERIOD_SECONDS = 2147483647
MAX_DEREGISTRATION_DELAY_SECONDS = 3600


def _is_int(value: object) -> TypeGuard[int]:
    """An int that is not a bool (True == 1 would otherwise pass for a count)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _check_retention(owner: str, name: str, value: object) -> None:
    """A log retention default must be one the templates offer: a year or more."""
    if not _is_int(value) or value not in LOG_RETENTION_DAYS:
        raise _fail(
            owner,
            name,
            value,
            "must be a CloudWatch Logs retention period of a year or more: "
            + ", ".join(map(str, LOG_RETENTION_DAYS)),
        )


def _network(
    owner: str, name: str, value: object, prefix_lengths: tuple[int, int]
) -> ipaddress.IPv4Network:
    """An IPv4 CIDR block of a prefix length in ``prefix_lengths``, written as the templates'
    patterns take it (:data:`~troposphere_fargate.layers.blocks.CIDR_PATTERN`): ipaddress also
    reads 10.0.0.0/255.0.0.0, 10.0.0.0/016 and 10.1.2.3 (a /32), which the templates do not."""
    min_prefix, max_prefix = prefix_lengths
    if not isinstance(value, str):
        raise _fail(owner, name, value, "expected an IPv4 CIDR string such as '10.0.0.0/16'")
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise _fail(owner, name, value, f"not a valid IPv4 CIDR block ({exc})") from None
    if not min_prefix <= net.prefixlen <= max_prefix:
        raise _fail(
            owner, name, value, f"prefix length must be between /{min_prefix} and /{max_prefix}"
        )
    if str(net) != value:
        raise _fail(owner, name, value, f"write it as {net}")
    return net


def _check_bool(owner: str, name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise _fail(owner, name, value, "must be a bool")


def _check_choice(owner: str, name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise _fail(owner, name, value, f"must be one of {', '.join(choices)}")


def _check_seconds(owner: str, name: str, value: object, maximum: int) -> None:
    if not _is_int(value) or not 0 <= value <= maximum:
        raise _fail(owner, name, value, f"must be a whole number of seconds from 0 to {maximum}")


def _default(declared: Any) -> Any:
    """A dataclass field's default value (its factory's, for a mutable one)."""
    return declared.default_factory() if declared.default is MISSING else declared.default


@suggest_fields
@dataclass(frozen=True)
class NetworkConfig:
    """Build-time options of the network layer (``network.yaml``).

    Attributes:
        max_azs: how many Availability Zones the template can span (2 or 3). The ``NumberOfAzs``
            parameter offers every count from 2 up to this. Default 3.
        default_azs: default of ``NumberOfAzs``. Default 2.
        vpc_cidr: default of ``VpcCidr``. Default ``10.0.0.0/16``.
        public_subnet_cidrs: defaults of ``PublicSubnet<N>Cidr``, one per AZ up to ``max_azs``.
            Default three /22 blocks at the bottom of the VPC (room for load balancer nodes and NAT
            gateways).
        private_subnet_cidrs: defaults of ``PrivateSubnet<N>Cidr``. Default three /19 blocks
            (8,187 usable addresses each: every Fargate task takes one).
        default_nat_gateways: default of ``NatGateways`` (``PerAz``, ``Single`` or ``None``).
            Default ``PerAz``.
        default_vpc_endpoints: default of ``VpcEndpoints``. Default False.
        interface_endpoints: the interface endpoints created when ``VpcEndpoints`` is true, by
            their names in
            :data:`troposphere_fargate.layers.endpoints.INTERFACE_SERVICES` (``ecr.api``
            becomes ``com.amazonaws.<region>.ecr.api``, or ``cn.com.amazonaws...`` in China).
            The free S3 gateway endpoint exists whatever ``VpcEndpoints`` says. Default: what a
            Fargate task on platform 1.4+ needs to pull from ECR, log and read secrets, and
            ``ecs-agent`` for the tasks of an environment: "Service Connect management of the
            Envoy proxy uses the com.amazonaws.region.ecs-agent VPC endpoint. When you don't use
            the VPC endpoints, Service Connect management of the Envoy proxy uses the ecs-sc
            endpoint in that Region" (Amazon ECS Developer Guide, "Amazon ECS interface VPC
            endpoints"), which a subnet without NAT cannot reach.
        gateway_endpoints: the gateway endpoints (free, always created, routed from the private
            subnets): ``s3``, required (image layers come through it), and ``dynamodb`` to
            reach DynamoDB without a NAT gateway or its data processing charge. Default
            ``("s3",)``.
        default_flow_log_retention_days: default of ``FlowLogRetentionDays``. Default 365.
        default_s3_endpoint_access: default of ``S3EndpointAccess``: ``AnyBucket`` (the S3
            gateway endpoint takes requests to any bucket, AWS's default endpoint policy) or
            ``ThisAccount`` (only to the stack's account's buckets, and ECR's image layers).
            Default ``AnyBucket``.
        default_restrict_default_security_group: default of ``RestrictDefaultSecurityGroup``:
            True empties the VPC's default security group (no rule in or out: AWS Security Hub
            control EC2.2, CIS AWS Foundations 5.4) through a custom resource and its Lambda
            function; False leaves it with the rules EC2 gives it. Default True.
        existing_vpc: True builds no network: the services of an environment run in a VPC
            that exists, whose ids the root takes as its parameters ``VpcId``,
            ``PublicSubnetIds`` (with a public service: the load balancer's) and
            ``PrivateSubnetIds`` (the tasks'), and hands to the environment and each service.
            The other options describe a network the build makes, and are refused with it.
            Default False.
    """

    max_azs: int = 3
    default_azs: int = 2
    vpc_cidr: str = "10.0.0.0/16"
    public_subnet_cidrs: tuple[str, ...] = ("10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22")
    private_subnet_cidrs: tuple[str, ...] = ("10.0.32.0/19", "10.0.64.0/19", "10.0.96.0/19")
    default_nat_gateways: NatGateways = NAT_PER_AZ
    default_vpc_endpoints: bool = False
    interface_endpoints: tuple[str, ...] = field(
        default=("ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "ecs-agent")
    )
    gateway_endpoints: tuple[str, ...] = ("s3",)
    default_flow_log_retention_days: int = 365
    default_s3_endpoint_access: S3EndpointAccess = S3_ANY_BUCKET
    default_restrict_default_security_group: bool = True
    existing_vpc: bool = False

    def __post_init__(self) -> None:
        owner = type(self).__name__
        _check_bool(owner, "existing_vpc", self.existing_vpc)
        if self.existing_vpc:
            made = [
                f.name
                for f in fields(self)
                if f.name != "existing_vpc" and getattr(self, f.name) != _default(f)
            ]
            if made:
                raise _fail(
                    owner,
                    made[0],
                    getattr(self, made[0]),
                    "describes a network the build makes, and existing_vpc makes none: leave "
                    f"{', '.join(made)} out (the existing VPC has its own)",
                )
        if not _is_int(self.max_azs) or self.max_azs not in SUPPORTED_AZ_COUNTS:
            raise _fail(owner, "max_azs", self.max_azs, "must be 2 or 3")
        fewest = min(SUPPORTED_AZ_COUNTS)
        if not _is_int(self.default_azs) or self.default_azs not in range(fewest, self.max_azs + 1):
            raise _fail(
                owner,
                "default_azs",
                self.default_azs,
                f"must be between {fewest} and max_azs ({self.max_azs})",
            )
        _check_choice(owner, "default_nat_gateways", self.default_nat_gateways, NAT_GATEWAY_MODES)
        _check_choice(
            owner,
            "default_s3_endpoint_access",
            self.default_s3_endpoint_access,
            S3_ENDPOINT_ACCESSES,
        )
        _check_bool(owner, "default_vpc_endpoints", self.default_vpc_endpoints)
        _check_bool(
            owner,
            "default_restrict_default_security_group",
            self.default_restrict_default_security_group,
        )
        if self.default_nat_gateways == NAT_NONE and not self.default_vpc_endpoints:
            raise _fail(
                owner,
                "default_nat_gateways",
                self.default_nat_gateways,
                "needs default_vpc_endpoints on: without NAT gateways or endpoints the tasks "
                "cannot pull their image",
            )
        _check_retention(
            owner, "default_flow_log_retention_days", self.default_flow_log_retention_days
        )
        self._validate_endpoints(owner)
        self._validate_gateway_endpoints(owner)
        self._validate_cidrs(owner)
        self._validate_room(owner)

    def _validate_room(self, owner: str) -> None:
        """A private subnet its interface endpoints fill: each takes an address in every
        private subnet, and with as many endpoints as the subnet has addresses no task finds
        one (with more, EC2 fails creating the endpoints). A review built 16 endpoints into
        /28 subnets (11 addresses), and validate said CloudFormation would accept them."""
        if not self.default_vpc_endpoints or self.existing_vpc:
            return
        endpoints = len(self.interface_endpoints)
        for index, cidr in enumerate(self.private_subnet_cidrs[: self.max_azs]):
            usable = usable_addresses(ipaddress.IPv4Network(cidr).prefixlen)
            if endpoints >= usable:
                raise _fail(
                    owner,
                    f"private_subnet_cidrs[{index}]",
                    cidr,
                    f"holds {usable} addresses a resource can take (AWS reserves "
                    f"{SUBNET_RESERVED_ADDRESSES}), and the {endpoints} interface endpoints "
                    "(default_vpc_endpoints) take one each in every private subnet: no task "
                    "would find one. Give the private subnets more room (a /24 holds 251), or "
                    "fewer interface_endpoints",
                )

    def _validate_endpoints(self, owner: str) -> None:
        if not isinstance(self.interface_endpoints, tuple):
            raise _fail(owner, "interface_endpoints", self.interface_endpoints, "must be a tuple")
        if not self.interface_endpoints:
            raise _fail(
                owner,
                "interface_endpoints",
                self.interface_endpoints,
                "must name at least " + ", ".join(REQUIRED_INTERFACE_ENDPOINTS),
            )
        for name in self.interface_endpoints:
            if name not in KNOWN_INTERFACE_ENDPOINTS:
                raise _fail(
                    owner,
                    "interface_endpoints",
                    name,
                    "unknown service; known: " + ", ".join(KNOWN_INTERFACE_ENDPOINTS),
                )
        if len(set(self.interface_endpoints)) != len(self.interface_endpoints):
            raise _fail(owner, "interface_endpoints", self.interface_endpoints, "has duplicates")
        missing = [n for n in REQUIRED_INTERFACE_ENDPOINTS if n not in self.interface_endpoints]
        if missing:
            raise _fail(
                owner,
                "interface_endpoints",
                self.interface_endpoints,
                f"must include {', '.join(missing)}: without them a task in a subnet with no "
                "NAT gateway cannot pull its image or write its logs",
            )

    def _validate_gateway_endpoints(self, owner: str) -> None:
        gateways = self.gateway_endpoints
        if not isinstance(gateways, tuple):
            raise _fail(owner, "gateway_endpoints", gateways, "must be a tuple")
        for name in gateways:
            if name not in KNOWN_GATEWAY_ENDPOINTS:
                raise _fail(
                    owner,
                    "gateway_endpoints",
                    name,
                    "unknown service; known: " + ", ".join(KNOWN_GATEWAY_ENDPOINTS),
                )
        if len(set(gateways)) != len(gateways):
            raise _fail(owner, "gateway_endpoints", gateways, "has duplicates")
        if not set(REQUIRED_GATEWAY_ENDPOINTS) <= set(gateways):
            raise _fail(
                owner,
                "gateway_endpoints",
                gateways,
                "must include s3: image layers come through it",
            )

    def _validate_cidrs(self, owner: str) -> None:
        vpc = _network(owner, "vpc_cidr", self.vpc_cidr, VPC_PREFIX_LENGTHS)
        seen: list[tuple[str, ipaddress.IPv4Network]] = []
        for name in ("public_subnet_cidrs", "private_subnet_cidrs"):
            cidrs = getattr(self, name)
            if not isinstance(cidrs, tuple):
                raise _fail(
                    owner, name, cidrs, f"must be a tuple of max_azs ({self.max_azs}) CIDRs"
                )
            if len(cidrs) < self.max_azs:
                raise _fail(
                    owner,
                    name,
                    cidrs,
                    f"needs one CIDR per subnet, max_azs ({self.max_azs}), not {len(cidrs)}",
                )
            if len(cidrs) > max(SUPPORTED_AZ_COUNTS):
                # More than any template has subnets: the last would be dropped unsaid.
                raise _fail(
                    owner,
                    name,
                    cidrs,
                    f"needs one CIDR per subnet: {len(cidrs)} given, and a network has "
                    f"{max(SUPPORTED_AZ_COUNTS)} subnets of each kind at most",
                )
            # One past max_azs has no subnet (the defaults hold three for either template), but
            # is still a CIDR of the VPC: what would be a typo is not silently kept.
            for index, cidr in enumerate(cidrs):
                label = f"{name}[{index}]"
                net = _network(owner, label, cidr, VPC_PREFIX_LENGTHS)
                if not net.subnet_of(vpc):
                    raise _fail(owner, label, cidr, f"is not inside vpc_cidr {self.vpc_cidr}")
                for other_label, other in seen:
                    if net.overlaps(other):
                        raise _fail(owner, label, cidr, f"overlaps {other_label} ({other})")
                seen.append((label, net))


# Fargate's valid task sizes: CPU units -> memory (MiB) it can take. From the Amazon ECS
# Developer Guide, "Task CPU and memory" (Fargate).
FARGATE_TASK_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}

# A TLS 1.3 policy that still accepts TLS 1.2 clients, with forward secrecy only.
DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
# An ELB TLS 1.3 policy's name gives the oldest TLS version it accepts after TLS13-:
# ELBSecurityPolicy-TLS13-1-0-2021-06 still takes TLS 1.0 (Elastic Load Balancing, "Security
# policies for your Application Load Balancer"). Only those of TLS 1.2 or 1.3 at least pass.
STRONG_TLS_POLICY = re.compile(r"^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$")
TLS_POLICY_RULE = (
    "must be an ELB TLS 1.3 policy that refuses TLS 1.0 and 1.1: ELBSecurityPolicy-TLS13-1-2-... "
    "or ELBSecurityPolicy-TLS13-1-3-..."
)
# Of those, the predefined policies Elastic Load Balancing documents today. A load balancer
# takes no policy of its own ("Application Load Balancers do not support custom security
# policies"), and CreateListener refuses another name (SSLPolicyNotFound): a name of the right
# shape not listed here is most likely a typo, and is warned about (ServiceConfig.warnings,
# ProductConfig.warnings). It is not refused: AWS adds policies (the post-quantum ones in
# 2025), and a closed list would refuse each until a release of this package named it. The
# 2021-06 policies, their FIPS (2023-04) twins and the hybrid post-quantum (PQ, 2025-09) ones;
# the RFC 9151 (CNSA) policies are left out: which certificates and regions they take is not
# established here.
TLS_POLICIES: tuple[str, ...] = tuple(
    f"ELBSecurityPolicy-TLS13-{name}"
    for name in (
        "1-2-Res-2021-06",
        "1-2-2021-06",
        "1-2-Ext1-2021-06",
        "1-2-Ext2-2021-06",
        "1-3-2021-06",
        "1-2-Res-PQ-2025-09",
        "1-2-PQ-2025-09",
        "1-2-Ext1-PQ-2025-09",
        "1-2-Ext2-PQ-2025-09",
        "1-3-PQ-2025-09",
        "1-2-Res-FIPS-2023-04",
        "1-2-FIPS-2023-04",
        "1-2-Ext0-FIPS-2023-04",
        "1-2-Ext1-FIPS-2023-04",
        "1-2-Ext2-FIPS-2023-04",
        "1-3-FIPS-2023-04",
        "1-2-Res-FIPS-PQ-2025-09",
        "1-2-FIPS-PQ-2025-09",
        "1-2-Ext0-FIPS-PQ-2025-09",
        "1-2-Ext1-FIPS-PQ-2025-09",
        "1-2-Ext2-FIPS-PQ-2025-09",
        "1-3-FIPS-PQ-2025-09",
    )
)


def _check_tls_policy(owner: str, policy: object) -> None:
    if not isinstance(policy, str) or not STRONG_TLS_POLICY.fullmatch(policy):
        raise _fail(owner, "tls_policy", policy, TLS_POLICY_RULE)


def tls_policy_warnings(policy: str) -> tuple[str, ...]:
    """A TLS policy of the right shape that Elastic Load Balancing does not document
    (:data:`TLS_POLICIES`): most likely a typo, which fails the listener at deploy."""
    if policy in TLS_POLICIES:
        return ()
    # Compared after the prefix every name shares, which alone would make any name close.
    prefix = "ELBSecurityPolicy-TLS13-"
    close = close_match(policy.removeprefix(prefix), (p.removeprefix(prefix) for p in TLS_POLICIES))
    hint = f" (did you mean {prefix}{close}?)" if close else ""
    return (
        f"tls_policy: {policy} is none of the TLS 1.3 policies Elastic Load Balancing "
        f"documented when this version was made{hint}; a load balancer takes only its "
        "predefined policies, and the listener fails at deploy on another name "
        f"(SSLPolicyNotFound): check it with aws elbv2 describe-ssl-policies --names {policy}",
    )


# A standard SNS topic (CloudWatch alarms do not notify FIFO topics, whose names end ".fifo").
ALARM_TOPIC_ARN_PATTERN = (
    r"arn:aws(?:-cn|-us-gov)?:sns:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:[A-Za-z0-9_-]{1,256}"
)
_ALARM_TOPIC_ARN = re.compile(rf"^{ALARM_TOPIC_ARN_PATTERN}$")

# ServiceConfig's settings of its own load balancer: in an environment, EnvironmentConfig's.
ENVIRONMENT_LOAD_BALANCER_FIELDS: tuple[str, ...] = (
    "default_load_balancer_type",
    "default_allowed_ingress_cidr",
    "default_deletion_protection",
    "tls_policy",
    "default_https_only",
    "default_web_acl_arn",
)

# The fields a service of an environment exposed "internal" or "none" has no use for: they are
# the defaults of parameters of a load balancer's target group, of its health check and of the
# 5xx alarm, which only a public service's template has. A worker (expose "none") listens on no
# port either. Set, they would change nothing, so they are refused.
LOAD_BALANCER_ONLY_FIELDS: tuple[str, ...] = (
    "default_health_check_path",
    "default_health_check_grace_period_seconds",
    "default_deregistration_delay_seconds",
    "default_error_rate_alarm_percent",
    "default_alarm_topic_arn",
)
LISTENER_ONLY_FIELDS: tuple[str, ...] = ("default_container_port",)


def fields_without_use(expose: str | None) -> dict[str, str]:
    """The ServiceConfig fields a service exposed ``expose`` has no use for, with why: a spec
    refuses their keys even at their default values (ServiceConfig can only refuse a value
    other than the default)."""
    unused: dict[str, str] = {}
    if expose is not None:
        shared = "it shares the environment's load balancer"
        unused |= {name: shared for name in ENVIRONMENT_LOAD_BALANCER_FIELDS}
    if expose in (EXPOSE_INTERNAL, EXPOSE_NONE):
        without = (
            *LOAD_BALANCER_ONLY_FIELDS,
            "default_requests_per_target",
            "target_health",
            "deployment",
        )
        unused |= {name: "it has no load balancer" for name in without}
        # ECS's grace period also covers container health checks; the template sets it for a
        # target group's only, and a container health check's start_period covers a slow start.
        unused["default_health_check_grace_period_seconds"] = (
            "its template sets a grace period only with a load balancer; a container "
            "health_check's start_period covers a slow start"
        )
    if expose == EXPOSE_NONE:
        unused |= {name: "a worker listens on no port" for name in LISTENER_ONLY_FIELDS}
    return unused


# A service of an environment names the root's parameters, rules and outputs of it
# (<Name>ContainerImage, <Name><Rule>...: 44 characters added at most today), and its file,
# service-<name>.yaml; CloudFormation takes logical IDs of 255 characters.
MAX_MEMBER_NAME = 64
# What ELB takes in a health check path: "Health check must begin with a '/' and can only
# consist of the characters: a-z, A-Z, 0-9, and @:%_+.~#?&/=" (ELB's error, quoted in
# apollographql/router#1852), and the hyphen of paths such as /health-check. A query is
# taken (?, & and =); RFC 3986's other sub-delimiters (!$'()*,;) are not, and fail the
# target group at creation. Nor is #, stricter than ELB: a fragment is no part of an HTTP
# request (RFC 9110, 4.2.4), so /health#x could only be sent as a path no server serves.
# A % starts a percent-encoding, two hex digits ("/h%zz" would reach the application as a path
# it cannot decode). The length is the parameter's MaxLength (1,024 characters, ELB's).
HEALTH_CHECK_PATH_PATTERN = r"^/(?:[A-Za-z0-9@:_+.~?&/=-]|%[0-9A-Fa-f]{2}){0,1023}$"
HEALTH_CHECK_PATH_MAX = 1024
_HEALTH_CHECK_PATH = re.compile(HEALTH_CHECK_PATH_PATTERN)
_HEALTH_CHECK_CHARACTER = re.compile(r"[A-Za-z0-9@:%_+.~?&/=-]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _percent_encoded(character: str) -> str:
    """A character as a URL writes it: its UTF-8 bytes, each %XX (é is %C3%A9)."""
    return "".join(f"%{byte:02X}" for byte in character.encode())


def _health_check_path_rule(path: object) -> str:
    """What is wrong with a health check path :data:`_HEALTH_CHECK_PATH` refuses."""
    if isinstance(path, str) and path.startswith("/"):
        if len(path) > HEALTH_CHECK_PATH_MAX:
            return f"is {len(path)} characters: a health check path takes 1,024 at most"
        bad = next((c for c in path if not _HEALTH_CHECK_CHARACTER.fullmatch(c)), "%")
        if bad == "%":  # every character is one ELB takes: a % of no two hex digits
            at = _BAD_PERCENT.search(path)
            shown = path[at.start() : at.start() + 3] if at else "%"
            return (
                f"has {shown!r}, and a % starts a percent-encoding of two hex digits (%20 for a "
                "space): write %25 for a % itself"
            )
        if bad == "#":
            return "has a fragment (# and after), which an HTTP request never carries: leave it out"
        return (
            f"has a character ELB takes in no health check path, {bad!r}: letters, digits and "
            f"-@:%_+.~?&/= only; percent-encode it ({_percent_encoded(bad)})"
        )
    return "must be a URL path starting with /"


DEFAULT_NAMES_PER_CERTIFICATE: Final = 10  # ACM's default quota (adjustable to 100)
# "Rules per Application Load Balancer (not counting default rules): 100", adjustable (Elastic
# Load Balancing, Quotas for your Application Load Balancers).
DEFAULT_RULES_PER_LOAD_BALANCER: Final = 100
# "Inbound or outbound rules per security group: 60", adjustable; a rule that names a prefix
# list counts as the list's maximum entries (Amazon VPC quotas).
DEFAULT_RULES_PER_SECURITY_GROUP: Final = 60
# "Managed policies attached to an IAM role: 10", adjustable "up to 20" (IAM and AWS STS quotas).
DEFAULT_MANAGED_POLICIES_PER_ROLE: Final = 10


def _all_of(owner: str, *checks: Callable[[str], None]) -> None:
    """Run every check; raise the one ConfigError, or one of a line per error. An exception
    other than a ConfigError after one was found is a consequence of it (a check comparing a
    value an earlier one refused) and adds nothing."""
    found: list[str] = []
    for check in checks:
        try:
            check(owner)
        except ConfigError as error:
            found.extend(line for line in str(error).splitlines() if line not in found)
        except Exception:
            if not found:
                raise
    if len(found) == 1:
        raise ConfigError(found[0])
    if found:
        raise ConfigError("\n".join(found))


def _path_matches(pattern: str, path: str) -> bool:
    """Whether a listener rule's path pattern matches ``path`` (``*``: any characters, ``?``:
    one; case sensitive, as the load balancer compares them)."""
    expression = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(expression, path, flags=re.DOTALL) is not None


def _in_codes(code: int, codes: str) -> bool:
    """Whether ``code`` is one of a target group's success codes (``200-299,302``)."""
    for part in codes.split(","):
        low, _, high = part.strip().partition("-")
        if low.isdigit() and int(low) <= code <= int(high if high.isdigit() else low):
            return True
    return False


@suggest_fields
@dataclass(frozen=True)
class ServiceConfig:
    """Build-time options of the service layer (``service.yaml``).

    Attributes:
        container_name: name of the one container in the task definition, and the name the load
            balancer's target group registers. Default ``app``.
        default_container_port: default of ``ContainerPort``. Default 8080 (an unprivileged
            port: the container needs no capability to bind it). A worker (``expose="none"``)
            listens on no port and refuses it.
        default_health_check_path: default of ``HealthCheckPath``. Default ``/``.
        default_task_cpu: default of ``TaskCpu`` (CPU units). Default 256.
        default_task_memory: default of ``TaskMemory`` (MiB); must suit ``default_task_cpu``.
            Default 512.
        default_cpu_architecture: default of ``CpuArchitecture`` (``X86_64`` or ``ARM64``).
            Default ``X86_64``: most images are built for it.
        default_capacity_provider: default of ``CapacityProvider`` (``FARGATE`` or
            ``FARGATE_SPOT``). Default ``FARGATE``: Spot tasks may be stopped at any time.
        default_desired_count: default of ``DesiredCount``. Default 0: the service's task count
            is left to autoscaling (a new service starts at ``MinCapacity``; a stack update
            keeps the count autoscaling set). 1 or more sets the count on creation and on every
            update.
        default_min_capacity, default_max_capacity: defaults of ``MinCapacity`` and
            ``MaxCapacity`` (autoscaling bounds). Default 2 and 4.
        default_cpu_target: default of ``CpuTargetUtilization`` (percent, 10-90; 0 turns CPU
            target tracking off). Default 70.
        default_memory_target: default of ``MemoryTargetUtilization`` (percent, 10-90; 0, the
            default, turns memory target tracking off).
        default_requests_per_target: default of ``RequestsPerTarget``: requests per task that
            target tracking keeps the service near, behind an application load balancer (0, the
            default: off).
        default_error_rate_alarm_percent: default of ``ErrorRateAlarmPercent``: the share of
            5xx answers (percent, 1-100) above which the error rate alarm fires and a
            deployment rolls back. Default 5.
        default_alarm_topic_arn: default of ``AlarmTopicArn``: a standard SNS topic of the
            stack's region that the rollback alarms notify. Default empty: they notify nobody.
        scaling_schedules: scheduled changes of the scaling bounds
            (:class:`~troposphere_fargate.layers.schedules.ScheduledScaling`), such as more
            tasks in office hours; 200 at most (scheduled actions per scalable target).
            Build-time only. Default none.
        queue_scaling: target tracking on an SQS queue's backlog per task, for a worker
            (:class:`~troposphere_fargate.layers.queue_scaling.QueueScaling`): beside the CPU,
            memory and request targets, any of which scales out and all of which must allow
            scaling in. Needs at least one task (``default_min_capacity`` 1 or more, no schedule
            setting the minimum to 0). Build-time only. Default none.
        default_health_check_grace_period_seconds: default of
            ``HealthCheckGracePeriodSeconds``. Default 60.
        default_load_balancer_type: default of ``LoadBalancerType`` (``application`` or
            ``network``). Default ``application``.
        default_allowed_ingress_cidr: default of ``AllowedIngressCidr``, an IPv4 CIDR block.
            Default ``0.0.0.0/0`` (everyone: the load balancer is internet-facing).
        default_deletion_protection: default of ``DeletionProtection``. Default True.
        default_https_only: default of ``HttpsOnly``: True closes port 80, so that the load
            balancer listens on 443 only (Security Hub ELB.18); it needs ``CertificateArn`` when
            deploying. Default False: port 80 redirects to HTTPS (application) with a
            certificate, and serves plain HTTP without one.
        default_web_acl_arn: default of ``WebAclArn``, a regional AWS WAF web ACL associated
            with the load balancer (an application load balancer only). Default empty: none.
        default_deregistration_delay_seconds: default of ``DeregistrationDelaySeconds``
            (0-3600). Default 30.
        default_enable_execute_command: default of ``EnableExecuteCommand`` (ECS Exec). Default
            False: with it on, the container's root file system is writable.
        default_log_retention_days: default of ``LogRetentionDays``. Default 365.
        tls_policy: the load balancer's TLS policy when a certificate is given. Default
            ``ELBSecurityPolicy-TLS13-1-2-Res-2021-06`` (TLS 1.3, and 1.2 with forward secrecy).
        application: what the application brings: environment, secrets, its task role's
            permissions, egress, sidecars, its container's health check, command and limits
            (:class:`troposphere_fargate.layers.application.Application`). Default: nothing.
        expose: ``None`` for the shipped ``service.yaml``: a load balancer of its own, or an
            environment it joins at deploy time (its ``ClusterName`` and ``Expose`` parameters).
            ``public``, ``internal`` or ``none`` for a service of an environment built from a
            spec: it always joins one, so the template holds no cluster and no load balancer
            (:mod:`troposphere_fargate.layers.exposure`). Default ``None``.
        target_health: the defaults of the target group's health check parameters, and a
            health check port of its own (:class:`~troposphere_fargate.layers.health.TargetHealth`).
            Only for a service behind a load balancer: an ``internal`` or ``none`` service
            refuses any other than the default. Default ``TargetHealth()``: a check every 10
            seconds of the container port, ELB's timeout, healthy after 2, unhealthy after 3,
            codes 200-399.
        deployment: the defaults of the deployment parameters: the strategy (rolling, canary,
            linear or blue/green) and its bake times and steps
            (:class:`~troposphere_fargate.layers.deployment.DeploymentSettings`). Only for a service
            behind a load balancer (a strategy other than rolling needs one): an ``internal`` or
            ``none`` service refuses any other than the default. Default
            ``DeploymentSettings()``: rolling.
        routing: the listener rule of a ``public`` service
            (:class:`~troposphere_fargate.layers.exposure.Routing`), or a tuple of several
            (the first is ``ListenerRule``, the others are named by their priority,
            ``ListenerRule11``), when one rule's five values cannot say what the service
            takes; required with ``expose="public"``, refused otherwise. Several rules need
            ``ROLLING`` deployments: ECS shifts the traffic of one production rule only.
        connect: True serves a ``public`` service through Service Connect as well, as its
            ``container_name``: the environment's other services call it at
            ``http://<name>:<port>``, without going out through the load balancer. An
            ``internal`` service always is; refused for the others. Default False.
        app_protocol: the application protocol Service Connect serves the service by
            (``http``, ``http2`` or ``grpc``; the port mapping's ``AppProtocol``): the proxy
            adds protocol-specific connection handling and telemetry. ``http`` breaks an
            application that speaks HTTP/2 or gRPC. ECS cannot change it on a running service
            (it must be deleted and created again), so choose it when the service is first
            deployed. Only for a service served through Service Connect (``internal``, or
            ``public`` with ``connect``); the shipped ``service.yaml`` takes it at deploy time
            (``ServiceConnectAppProtocol``). Default None: TCP.

    ``default_health_check_path``, ``default_health_check_grace_period_seconds``,
    ``default_deregistration_delay_seconds`` and ``default_error_rate_alarm_percent`` set
    parameters of a load balancer's target group and alarm: a service exposed ``internal`` or
    ``none`` has neither, and refuses them (:data:`LOAD_BALANCER_ONLY_FIELDS`).

    ``CertificateArn`` has no default here: it is empty, which means "no certificate". With
    ``expose`` set, the load balancer's settings (``default_load_balancer_type``,
    ``default_allowed_ingress_cidr``, ``default_deletion_protection``, ``tls_policy``,
    ``default_https_only``, ``default_web_acl_arn``) are the environment's
    (:class:`EnvironmentConfig`) and must keep their defaults here.
    """

    container_name: str = "app"
    default_container_port: int = 8080
    default_health_check_path: str = "/"
    default_task_cpu: int = 256
    default_task_memory: int = 512
    default_cpu_architecture: CpuArchitecture = X86_64
    default_capacity_provider: CapacityProvider = FARGATE
    default_desired_count: int = 0
    default_min_capacity: int = 2
    default_max_capacity: int = 4
    default_cpu_target: int = 70
    default_memory_target: int = 0
    default_requests_per_target: int = 0
    default_error_rate_alarm_percent: int = 5
    default_alarm_topic_arn: str = ""
    scaling_schedules: tuple[ScheduledScaling, ...] = ()
    queue_scaling: QueueScaling | None = None
    default_health_check_grace_period_seconds: int = 60
    default_load_balancer_type: LoadBalancerType = APPLICATION_LOAD_BALANCER
    default_allowed_ingress_cidr: str = "0.0.0.0/0"
    default_deletion_protection: bool = True
    default_deregistration_delay_seconds: int = 30
    default_enable_execute_command: bool = False
    default_log_retention_days: int = 365
    tls_policy: str = DEFAULT_TLS_POLICY
    application: Application = field(default_factory=Application)
    expose: Exposure | None = None
    routing: Routing | tuple[Routing, ...] | None = None
    target_health: TargetHealth = field(default_factory=TargetHealth)
    deployment: DeploymentSettings = field(default_factory=DeploymentSettings)
    default_https_only: bool = False
    default_web_acl_arn: str = ""
    connect: bool = False
    app_protocol: AppProtocol | None = None

    def __post_init__(self) -> None:
        owner = type(self).__name__
        # Every check runs, and every value refused is named at once (a ConfigError of a line
        # each): a user fixed one per run. A check that trips over a value an earlier one
        # refused (a type it cannot compare) adds nothing.
        _all_of(
            owner,
            self._validate_container,
            self._validate_exposure,
            self._validate_app_protocol,
            self._validate_application,
            self._validate_sidecars,
            self._validate_egress,
            self._validate_task_size,
            self._validate_scaling,
            self._validate_load_balancer,
            self._validate_target_health,
            self._validate_deployment,
            self._validate_operations,
        )

    def _validate_application(self, owner: str) -> None:
        if not isinstance(self.application, Application):
            raise _fail(owner, "application", self.application, "must be an Application")
        if self.container_name in self.application.container_names:
            clash = self.application.container_names.index(self.container_name)
            raise _fail(
                owner,
                f"application.sidecars[{clash}].name",
                self.container_name,
                "the service's own container has this name: every container of a task needs "
                "its own",
            )

    def _validate_operations(self, owner: str) -> None:
        _check_bool(owner, "default_enable_execute_command", self.default_enable_execute_command)
        _check_retention(owner, "default_log_retention_days", self.default_log_retention_days)

    def _validate_container(self, owner: str) -> None:
        if not isinstance(self.container_name, str) or not CONTAINER_NAME.fullmatch(
            self.container_name
        ):
            raise _fail(owner, "container_name", self.container_name, CONTAINER_NAME_RULE)
        port = self.default_container_port
        if not _is_int(port) or not 1 <= port <= 65535:
            why = "must be 1-65535" if _is_int(port) else "must be an int from 1 to 65535"
            raise _fail(owner, "default_container_port", port, why)
        path = self.default_health_check_path
        if (
            not isinstance(path, str)
            or not _HEALTH_CHECK_PATH.fullmatch(path)
            or len(path) > HEALTH_CHECK_PATH_MAX
        ):
            raise _fail(owner, "default_health_check_path", path, _health_check_path_rule(path))

    def _validate_exposure(self, owner: str) -> None:
        if self.expose is not None and self.expose not in EXPOSURES:
            raise _fail(
                owner, "expose", self.expose, f"must be None or one of {', '.join(EXPOSURES)}"
            )
        if isinstance(self.routing, tuple):
            if not self.routing:
                raise _fail(owner, "routing", self.routing, "give one rule at least")
            for index, rule in enumerate(self.routing):
                if not isinstance(rule, Routing):
                    raise _fail(owner, f"routing[{index}]", rule, "must be a Routing")
        elif self.routing is not None and not isinstance(self.routing, Routing):
            raise _fail(owner, "routing", self.routing, "must be a Routing or a tuple of them")
        if self.expose == EXPOSE_PUBLIC and self.routing is None:
            raise _fail(
                owner,
                "routing",
                self.routing,
                "a public service needs a listener rule (routing): a priority, and a path, a host "
                "or both",
            )
        if self.expose is None and self.routing is not None:
            # The likelier mistake is a forgotten expose, not a rule too many.
            raise _fail(
                owner,
                "expose",
                None,
                "a service with a listener rule (routing) is public: give expose: public",
            )
        if self.expose != EXPOSE_PUBLIC and self.routing is not None:
            raise _fail(
                owner,
                "routing",
                self.routing,
                f"only a public service has a listener rule (expose={self.expose!r})",
            )
        priorities = [rule.priority for rule in self.routing_rules]
        for index, priority in enumerate(priorities):
            if priority in priorities[:index]:
                raise _fail(
                    owner,
                    f"routing[{index}].priority",
                    priority,
                    f"the service's rule routing[{priorities.index(priority)}] has it too: "
                    "each listener rule needs a priority of its own",
                )
        _check_bool(owner, "connect", self.connect)
        if self.connect and self.expose != EXPOSE_PUBLIC:
            reason = {
                EXPOSE_INTERNAL: "an internal service is served through Service Connect always",
                EXPOSE_NONE: "a worker listens on no port",
                None: "a service of its own is in no environment",
            }[self.expose]
            raise _fail(owner, "connect", True, f"is for a public service: {reason}")
        if self.connect and self.deployment.strategy != ROLLING:
            # "must use one of" a load balancer or Service Connect for the traffic it shifts
            # (ECS Developer Guide, blue/green deployments); both on one service is unconfirmed.
            raise _fail(
                owner,
                "connect",
                True,
                f"a {self.deployment.strategy} deployment shifts traffic through the load "
                "balancer or Service Connect, not both: deploy a service with connect ROLLING",
            )
        if self.serves and not is_service_connect_name(self.container_name):
            who = "an internal service" if self.expose == EXPOSE_INTERNAL else "it (connect)"
            raise _fail(
                owner,
                "container_name",
                self.container_name,
                f"{who} is called by this name through Service Connect: it must be "
                + SERVICE_CONNECT_NAME_RULE,
            )
        if self.expose is None:
            return
        shared = ServiceConfig.__dataclass_fields__
        refused = [
            str(
                _fail(
                    owner,
                    name,
                    getattr(self, name),
                    "a service of an environment shares the environment's load balancer: "
                    + (
                        "always an application load balancer"
                        if name == "default_load_balancer_type"
                        else "set this on the environment (EnvironmentConfig; a spec's "
                        "environment: section)"
                    ),
                )
            )
            for name in ENVIRONMENT_LOAD_BALANCER_FIELDS
            if getattr(self, name) != shared[name].default
        ]
        unused = fields_without_use(self.expose)
        refused += [
            str(
                _fail(
                    owner,
                    name,
                    getattr(self, name),
                    f"a service exposed {self.expose!r} has no use for it ({why}): leave it out",
                )
            )
            for name in (*LOAD_BALANCER_ONLY_FIELDS, *LISTENER_ONLY_FIELDS)
            if (why := unused.get(name)) is not None and getattr(self, name) != shared[name].default
        ]
        if refused:
            raise ConfigError("\n".join(refused))

    def _validate_app_protocol(self, owner: str) -> None:
        protocol = self.app_protocol
        if protocol is None:
            return
        if protocol not in APP_PROTOCOLS:
            raise _fail(
                owner,
                "app_protocol",
                protocol,
                f"must be one of {', '.join(APP_PROTOCOLS)}, or left out for TCP",
            )
        if not self.serves:
            reason = {
                EXPOSE_PUBLIC: "a public service is served through Service Connect only with "
                "connect: true",
                EXPOSE_NONE: "a worker listens on no port",
                None: "a service of its own is in no environment (the shipped service.yaml takes "
                "ServiceConnectAppProtocol when it joins one)",
            }.get(self.expose, "")
            raise _fail(
                owner,
                "app_protocol",
                protocol,
                f"is for a service served through Service Connect: {reason}",
            )

    def _validate_sidecars(self, owner: str) -> None:
        # The containers of a Fargate task share one network namespace: one port, one container.
        ports = [sidecar.port for sidecar in self.application.sidecars]
        for index, sidecar in enumerate(self.application.sidecars):
            name = f"application.sidecars[{index}]"
            if (
                sidecar.port is not None
                and sidecar.port == self.default_container_port
                and self.expose != EXPOSE_NONE
            ):
                raise _fail(
                    owner,
                    f"{name}.port",
                    sidecar.port,
                    "is default_container_port: the application's container listens there",
                )
            if sidecar.port is not None and ports.count(sidecar.port) > 1:
                raise _fail(owner, f"{name}.port", sidecar.port, "another sidecar has it too")

    def _validate_egress(self, owner: str) -> None:
        # EC2 rejects the same rule twice in a group, whatever the descriptions say.
        def traffic(rule: EgressRule) -> tuple[object, ...]:
            destination = (rule.cidr, rule.security_group, rule.prefix_list)
            return (rule.protocol, rule.port, rule.last_port, *destination)

        seen = {traffic(TASKS_HTTPS_EGRESS): "the HTTPS rule the tasks always have"}
        for index, rule in enumerate(self.application.egress):
            name = f"application.egress[{index}]"
            earlier = seen.setdefault(traffic(rule), name)
            if earlier != name:
                raise _fail(
                    owner, name, rule, f"the same traffic as {earlier}; give each rule once"
                )

    def _validate_task_size(self, owner: str) -> None:
        if not _is_int(self.default_task_cpu) or self.default_task_cpu not in FARGATE_TASK_SIZES:
            raise _fail(
                owner,
                "default_task_cpu",
                self.default_task_cpu,
                "must be one of " + ", ".join(map(str, FARGATE_TASK_SIZES)),
            )
        if (
            not _is_int(self.default_task_memory)
            or self.default_task_memory not in FARGATE_TASK_SIZES[self.default_task_cpu]
        ):
            sizes = FARGATE_TASK_SIZES[self.default_task_cpu]
            raise _fail(
                owner,
                "default_task_memory",
                self.default_task_memory,
                f"Fargate takes {sizes[0]}-{sizes[-1]} MiB (in steps of "
                f"{sizes[1] - sizes[0] if len(sizes) > 1 else 0}) with "
                f"default_task_cpu={self.default_task_cpu}",
            )
        _check_choice(
            owner, "default_cpu_architecture", self.default_cpu_architecture, CPU_ARCHITECTURES
        )

    def _validate_scaling(self, owner: str) -> None:
        _check_choice(
            owner, "default_capacity_provider", self.default_capacity_provider, CAPACITY_PROVIDERS
        )
        for name in ("default_desired_count", "default_min_capacity", "default_max_capacity"):
            value = getattr(self, name)
            if not _is_int(value) or not 0 <= value <= MAX_TASKS:
                raise _fail(owner, name, value, f"must be 0-{MAX_TASKS}")
        if self.default_min_capacity > self.default_max_capacity:
            raise _fail(
                owner,
                "default_min_capacity",
                self.default_min_capacity,
                f"exceeds default_max_capacity ({self.default_max_capacity})",
            )
        low, high = self.default_min_capacity, self.default_max_capacity
        if self.default_desired_count and not low <= self.default_desired_count <= high:
            # RegisterScalableTarget "changes the resource's current capacity to a value that is
            # inside of this range": every update would set the count, then autoscaling undo it.
            raise _fail(
                owner,
                "default_desired_count",
                self.default_desired_count,
                f"is outside default_min_capacity..default_max_capacity ({low}..{high}), where "
                "autoscaling would move it at once; 0 leaves the count to autoscaling",
            )
        for name in ("default_cpu_target", "default_memory_target"):
            value = getattr(self, name)
            low, high = TARGET_UTILIZATION_RANGE
            if not _is_int(value) or not (value == 0 or low <= value <= high):
                raise _fail(owner, name, value, f"must be {low}-{high}, or 0 for off")
        requests = self.default_requests_per_target
        if not _is_int(requests) or not 0 <= requests <= MAX_REQUESTS_PER_TARGET:
            raise _fail(
                owner,
                "default_requests_per_target",
                requests,
                f"must be 0 (off) to {MAX_REQUESTS_PER_TARGET}",
            )
        if requests and (
            self.expose in (EXPOSE_INTERNAL, EXPOSE_NONE)
            or (
                self.expose is None and self.default_load_balancer_type != APPLICATION_LOAD_BALANCER
            )
        ):
            raise _fail(
                owner,
                "default_requests_per_target",
                requests,
                "scaling on requests needs an application load balancer in front of the service",
            )
        self._validate_schedules(owner)
        self._validate_queue_scaling(owner)
        self._refuse_one_sided_schedules_out_of_bounds(owner)
        rate = self.default_error_rate_alarm_percent
        if not _is_int(rate) or not 1 <= rate <= 100:
            raise _fail(owner, "default_error_rate_alarm_percent", rate, "must be 1-100")
        _check_optional_arn(
            owner,
            "default_alarm_topic_arn",
            self.default_alarm_topic_arn,
            _ALARM_TOPIC_ARN,
            "must be a standard SNS topic ARN (arn:aws:sns:<region>:<account>:<name>; not a "
            "FIFO topic, which alarms cannot notify)",
        )

    @property
    def serves(self) -> bool:
        """Whether the environment's services call it through Service Connect: an internal
        service, or a public one with ``connect``."""
        return self.expose == EXPOSE_INTERNAL or (self.expose == EXPOSE_PUBLIC and self.connect)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What is allowed but most likely a mistake, one sentence each, beginning with the
        field it is about (``build --spec`` prints them; nothing is refused). Today: a service
        scaled on a queue whose task role has no statement that lets it receive the queue's
        messages (and no managed policy that might): its tasks would start as the queue grows
        and read nothing; a public service routed by paths that do not take ``/``, whose
        health check still requests ``/``: an application that serves only under its paths
        answers 404 there, and every task is stopped as unhealthy; a one-time schedule
        (``at(...)``) whose time has passed, in its time zone, when the warning is asked for;
        an Allow of every action of a service; more managed policies or outbound rules than
        an account takes by default; a ``tls_policy`` Elastic Load Balancing does not
        document (:data:`TLS_POLICIES`); and a container health check's command, of the
        application or a sidecar, that most likely fails or tests less than it says
        (:func:`~troposphere_fargate.layers.health_command.health_command_problem`); a
        deregistration delay longer than Fargate Spot's two-minute warning."""
        return (
            self._health_check_warnings()
            + self._container_health_check_warnings()
            + self._schedule_warnings()
            + self._queue_warnings()
            + self._full_access_warnings()
            + self._quota_warnings()
            + tls_policy_warnings(self.tls_policy)
            + self._spot_drain_warnings()
        )

    def _spot_drain_warnings(self) -> tuple[str, ...]:
        """On Fargate Spot, ECS deregisters an interrupted task from its target group, then
        the task stops two minutes after the notice: a longer deregistration delay never
        drains, and the requests still open then are cut. (A service without a target group,
        internal or none, is refused any delay but the default: LOAD_BALANCER_ONLY_FIELDS.)"""
        delay = self.default_deregistration_delay_seconds
        if self.default_capacity_provider != FARGATE_SPOT or delay <= SPOT_WARNING_SECONDS:
            return ()
        return (
            f"deregistration_delay: {delay} s with FARGATE_SPOT, whose tasks "
            f"stop {SPOT_WARNING_SECONDS} s after their interruption notice, so the "
            f"connections still open then are cut: keep it at {SPOT_WARNING_SECONDS} or less",
        )

    def _quota_warnings(self) -> tuple[str, ...]:
        """More than an account takes by default, unless its quota was raised: the stack fails
        creating the role or the group (a fuzzing trial built 71 outbound rules)."""
        found = []
        policies = len(self.application.task_role.managed_policies)
        if policies > DEFAULT_MANAGED_POLICIES_PER_ROLE:
            found.append(
                f"task_role: {policies} managed policies; IAM attaches "
                f"{DEFAULT_MANAGED_POLICIES_PER_ROLE} per role unless the account's quota was "
                'raised: raise "Managed policies per role" in Service Quotas (up to 20) before '
                "deploying, or merge some into statements"
            )
        rules = 1 + len(self.application.egress)  # HTTPS out, then the application's
        if rules > DEFAULT_RULES_PER_SECURITY_GROUP:
            found.append(
                f"egress: the tasks' security group has at least {rules} outbound rules (HTTPS "
                "and these; a rule to a prefix list counts as the list's maximum entries, and "
                "the console's extra egress rule as one more); a group takes "
                f"{DEFAULT_RULES_PER_SECURITY_GROUP} unless the account's quota was raised: "
                'raise "Inbound or outbound rules per security group" in Service Quotas before '
                "deploying, or use fewer, wider rules"
            )
        return tuple(found)

    def _full_access_warnings(self) -> tuple[str, ...]:
        """An Allow statement of every action of a service (``dynamodb:*``): AWS Control
        Tower's ``iam_inline_policy_no_statements_with_full_access_check`` fails it whatever
        its resources and conditions (``check`` says so, after the build), and on ``*`` it is
        the application's whole reach of the service."""
        found = []
        for index, statement in enumerate(self.application.task_role.statements):
            broad = [action for action in statement.actions if action.endswith(":*")]
            if statement.effect != "Allow" or not broad:
                continue
            reach = " on every resource the account can reach" if "*" in statement.resources else ""
            found.append(
                f"task_role: statement {index + 1} allows {', '.join(broad)}: every action of "
                f"the service{reach}; troposphere-fargate check fails it (AWS Control Tower's "
                "iam_inline_policy_no_statements_with_full_access_check). Name the actions the "
                "application needs"
            )
        return tuple(found)

    def _schedule_warnings(self) -> tuple[str, ...]:
        """A one-time schedule whose time has passed, or a cron expression whose days of the
        month its months never have (31 February): its scheduled action never runs."""
        passed = tuple(
            f"schedules: {schedule.name} runs {schedule.schedule} ({schedule.timezone}), which "
            "has passed: it will never run. Remove it, or give it a time to come"
            for schedule in self.scaling_schedules
            if has_passed(schedule)
        )
        return passed + tuple(
            f"schedules: {schedule.name} runs {schedule.schedule}, on a day of the month its "
            "months never have: it will never run. Give it a day they have (L is the last)"
            for schedule in self.scaling_schedules
            if never_runs(schedule.schedule)
        )

    def _health_check_warnings(self) -> tuple[str, ...]:
        """The load balancer's health check goes to each task directly, not through the
        listener's rules, at ``HealthCheckPath`` (``/`` unless set). A task whose health check
        gets a code outside the success codes is unhealthy ("Health checks failed with these
        codes: [404]", Target.ResponseCodeMismatch: AWS Knowledge Center, "How do I
        troubleshoot failed health checks for Application Load Balancers?")."""
        rules, health = self.routing_rules, self.target_health
        if (
            self.expose != EXPOSE_PUBLIC
            or not rules
            or any(not rule.paths for rule in rules)
            or self.default_health_check_path != "/"
            or health.port is not None
            or _in_codes(404, health.success_codes)
            or any(_path_matches(pattern, "/") for rule in rules for pattern in rule.paths)
        ):
            return ()
        paths = ", ".join(dict.fromkeys(path for rule in rules for path in rule.paths))
        return (
            f"health_check_path: the load balancer sends the service only {paths}, but its "
            "health check requests / (health_check_path): an application that serves nothing at / "
            "answers 404 there, and every task is stopped as unhealthy. Set health_check_path "
            f"to a path the application answers with {health.success_codes}, such as its "
            "health endpoint (the check goes to the task directly: it need not be routed)",
        )

    def _container_health_check_warnings(self) -> tuple[str, ...]:
        """Each container health check's command that is most likely wrong, at its key:
        ``health_check.command``, a sidecar's ``sidecars[<index>].health_check.command``."""
        checks = [("health_check", self.application.health_check)] + [
            (f"sidecars[{index}].health_check", sidecar.health_check)
            for index, sidecar in enumerate(self.application.sidecars)
        ]
        return tuple(
            f"{key}.command: {problem.message}"
            for key, check in checks
            if check is not None and (problem := health_command_problem(check.command))
        )

    def _queue_warnings(self) -> tuple[str, ...]:
        found: list[str] = []
        queue = self.queue_scaling
        if queue is None:
            return ()
        statements = self.application.task_role.statements

        def named(action: str, effect: str) -> bool:
            return any(
                names_queue_action(action, queue.queue, st.actions, st.resources)
                for st in statements
                if st.effect == effect and (effect == "Allow" or not st.conditions)
            )

        arn = f"arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{queue.queue}"
        about = f"queue_scaling: the service scales on the queue {queue.queue}, but its task role"
        if named(RECEIVE, "Deny"):
            found.append(f"{about} denies {RECEIVE} on it: its tasks cannot read it")
            return tuple(found)
        if self.application.task_role.managed_policies:
            return ()  # a managed policy may allow it
        grant = (
            "unless the queue's own policy, or a managed policy (task_role.managed_policies, or "
            "the shipped service template's TaskRoleManagedPolicyArns), allows it"
        )
        if not named(RECEIVE, "Allow"):
            found.append(
                f"{about} has no statement allowing {RECEIVE} on it: {grant}, its tasks cannot "
                f"read it. Add a statement to the task role with {RECEIVE} and {DELETE} on {arn}"
            )
        elif not named(DELETE, "Allow"):
            found.append(
                f"{about} has no statement allowing {DELETE} on it: {grant}, its tasks cannot "
                "delete what they read, every message comes back after its visibility timeout "
                f"and the backlog never drains. Add {DELETE} on {arn}"
            )
        return tuple(found)

    def _validate_queue_scaling(self, owner: str) -> None:
        queue = self.queue_scaling
        if queue is None:
            return
        if not isinstance(queue, QueueScaling):
            raise _fail(owner, "queue_scaling", queue, "must be a QueueScaling, or None")
        # The backlog per task divides by the running tasks: with none it has no value, and
        # the policy would never start one.
        why = "scaling on a queue needs a running task (the backlog per task divides by them)"
        if self.default_min_capacity < MIN_RUNNING_TASKS:
            raise _fail(owner, "default_min_capacity", self.default_min_capacity, why)
        for index, schedule in enumerate(self.scaling_schedules):
            for bound in ("min_capacity", "max_capacity"):  # a maximum of 0 stops every task
                value = getattr(schedule, bound)
                if value is not None and value < MIN_RUNNING_TASKS:
                    raise _fail(owner, f"scaling_schedules[{index}].{bound}", value, why)

    def _refuse_one_sided_schedules_out_of_bounds(self, owner: str) -> None:
        """A schedule that sets one bound keeps the other as it is then: the template's
        (``MinCapacity``, ``MaxCapacity``) or another schedule's. "In some cases, however, you
        must include both sizes to ensure that the new minimum capacity is not greater than the
        maximum capacity, or the new maximum capacity is not less than the minimum capacity"
        (Application Auto Scaling User Guide, how scheduled scaling works). The order the
        schedules run in is the clock's, so each one-sided bound must agree with every other
        bound it may meet; the template's own bounds are held to them as parameter limits
        (:func:`~troposphere_fargate.layers.schedules.one_sided_bounds`)."""
        for index, schedule in enumerate(self.scaling_schedules):
            at = f"scaling_schedules[{index}]"
            others = [o for o in self.scaling_schedules if o is not schedule]
            if schedule.max_capacity is None:
                assert schedule.min_capacity is not None  # ScheduledScaling has one at least
                maxima = [
                    (o.max_capacity, f"the schedule {possessive(o.name)} maximum") for o in others
                ]
                for value, whose in [(self.default_max_capacity, "default_max_capacity"), *maxima]:
                    if value is not None and schedule.min_capacity > value:
                        raise _fail(
                            owner,
                            f"{at}.min_capacity",
                            schedule.min_capacity,
                            f"exceeds {whose} ({value}), which this schedule leaves in place: "
                            "give it a maximum too",
                        )
            if schedule.min_capacity is None:
                assert schedule.max_capacity is not None
                minima = [
                    (o.min_capacity, f"the schedule {possessive(o.name)} minimum") for o in others
                ]
                for value, whose in [(self.default_min_capacity, "default_min_capacity"), *minima]:
                    if value is not None and schedule.max_capacity < value:
                        raise _fail(
                            owner,
                            f"{at}.max_capacity",
                            schedule.max_capacity,
                            f"is below {whose} ({value}), which this schedule leaves in place: "
                            "give it a minimum too",
                        )

    def _validate_schedules(self, owner: str) -> None:
        schedules = self.scaling_schedules
        if not isinstance(schedules, tuple) or not all(
            isinstance(schedule, ScheduledScaling) for schedule in schedules
        ):
            raise _fail(
                owner, "scaling_schedules", schedules, "must be a tuple of ScheduledScaling"
            )
        if len(schedules) > SCHEDULED_ACTIONS_PER_SCALABLE_TARGET:
            # Each is a scheduled action of the service's one scalable target (cfn.limits).
            raise _fail(
                owner,
                "scaling_schedules",
                f"({len(schedules)} schedules)",
                f"at most {SCHEDULED_ACTIONS_PER_SCALABLE_TARGET}: Application Auto Scaling "
                f"takes {SCHEDULED_ACTIONS_PER_SCALABLE_TARGET} scheduled actions per scalable "
                "target, and no quota increase raises it",
            )
        names: set[str] = set()
        for index, schedule in enumerate(schedules):
            at = f"scaling_schedules[{index}]"
            if schedule.name in names:
                raise _fail(owner, f"{at}.name", schedule.name, "is another schedule's name too")
            names.add(schedule.name)
            for bound in ("min_capacity", "max_capacity"):
                value = getattr(schedule, bound)
                if value is not None and value > MAX_TASKS:
                    raise _fail(owner, f"{at}.{bound}", value, f"must be 0-{MAX_TASKS}")
        _check_seconds(
            owner,
            "default_health_check_grace_period_seconds",
            self.default_health_check_grace_period_seconds,
            MAX_HEALTH_CHECK_GRACE_PERIOD_SECONDS,
        )

    @property
    def health_check_grace_period_default(self) -> int:
        """``HealthCheckGracePeriodSeconds``' default: the configured one, or the container
        health check's start period when longer (the scheduler ignores failed health checks
        for the grace period, so a task still starting is not replaced)."""
        check = self.application.health_check
        start = check.start_period_seconds if check is not None else 0
        return max(self.default_health_check_grace_period_seconds, start)

    @property
    def routing_rules(self) -> tuple[Routing, ...]:
        """The listener rules of ``routing``, in their order (none without routing)."""
        if isinstance(self.routing, tuple):
            return self.routing
        return () if self.routing is None else (self.routing,)

    def _validate_deployment(self, owner: str) -> None:
        deployment = self.deployment
        if not isinstance(deployment, DeploymentSettings):
            raise _fail(owner, "deployment", deployment, "must be a DeploymentSettings")
        if self.expose in (EXPOSE_INTERNAL, EXPOSE_NONE) and deployment != DeploymentSettings():
            raise _fail(
                owner,
                "deployment",
                deployment,
                f"a service exposed {self.expose!r} has no load balancer traffic to shift: only "
                "a public service (or the shipped template) takes deployment settings",
            )
        rules = self.routing_rules
        if self.expose == EXPOSE_PUBLIC and len(rules) > 1 and deployment.strategy != ROLLING:
            raise _fail(
                owner,
                "deployment.strategy",
                deployment.strategy,
                f"a {deployment.strategy} deployment shifts the traffic of one listener rule "
                f"(ECS's production listener rule), and this service has {len(rules)}: the "
                "others would keep sending requests to the target group ECS empties. Deploy "
                "ROLLING, or give the service one rule",
            )
        if self.default_requests_per_target and deployment.strategy != ROLLING:
            raise _fail(
                owner,
                "default_requests_per_target",
                self.default_requests_per_target,
                f"scaling on requests counts one target group, and a {deployment.strategy} "
                "deployment moves the tasks to the other: it needs ROLLING deployments",
            )

    def _validate_target_health(self, owner: str) -> None:
        health = self.target_health
        if not isinstance(health, TargetHealth):
            raise _fail(owner, "target_health", health, "must be a TargetHealth")
        if self.expose in (EXPOSE_INTERNAL, EXPOSE_NONE) and health != TargetHealth():
            raise _fail(
                owner,
                "target_health",
                health,
                f"a service with expose={self.expose!r} has no load balancer to check it",
            )
        taken = {self.default_container_port: "the container port"} | {
            sidecar.port: f"the sidecar {possessive(sidecar.name)} port"
            for sidecar in self.application.sidecars
            if sidecar.port is not None
        }
        if health.port is not None and health.port in taken:
            raise _fail(
                owner,
                "target_health.port",
                health.port,
                f"is {taken[health.port]}: leave port out to check the container port",
            )

    def _validate_load_balancer(self, owner: str) -> None:
        _check_choice(
            owner,
            "default_load_balancer_type",
            self.default_load_balancer_type,
            LOAD_BALANCER_TYPES,
        )
        _network(
            owner, "default_allowed_ingress_cidr", self.default_allowed_ingress_cidr, PREFIX_LENGTHS
        )
        _check_bool(owner, "default_deletion_protection", self.default_deletion_protection)
        _check_bool(owner, "default_https_only", self.default_https_only)
        _check_web_acl(owner, self.default_web_acl_arn)
        if (
            self.default_web_acl_arn
            and self.default_load_balancer_type != APPLICATION_LOAD_BALANCER
        ):
            raise _fail(
                owner,
                "default_web_acl_arn",
                self.default_web_acl_arn,
                "AWS WAF protects application load balancers only: leave it empty with "
                f"default_load_balancer_type {self.default_load_balancer_type!r}",
            )
        _check_seconds(
            owner,
            "default_deregistration_delay_seconds",
            self.default_deregistration_delay_seconds,
            MAX_DEREGISTRATION_DELAY_SECONDS,
        )
        _check_tls_policy(owner, self.tls_policy)


# A domain the environment serves: lower-case DNS labels, at least two.
DOMAIN_NAME_PATTERN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]"
# "Each label can be up to 63 bytes long. The total length of a domain name cannot exceed 255
# bytes, including the dots" (Route 53 Developer Guide, "DNS domain name format"): 255 octets
# on the wire (RFC 1035, 2.3.4), a length octet before each label and the root's after the
# last, so 253 characters written out. The alias record of DomainName is refused beyond it.
DOMAIN_NAME_MAX = 253
# "The length of the domain name (technically, the Common Name) that you provide cannot exceed
# 64 octets (characters), including periods" (ACM API Reference, RequestCertificate).
CERTIFICATE_NAME_MAX = 64
# A Route 53 public hosted zone's ID, as CloudFormation takes it (without "/hostedzone/").
HOSTED_ZONE_ID_PATTERN = r"Z[A-Z0-9]{1,31}"
# A regional AWS WAF web ACL (scope REGIONAL: a load balancer's). Its id is a lowercase UUID (the
# EntityId pattern of AWS::WAFv2::WebACL's schema); AWS's examples' EXAMPLE11111 is a placeholder.
WEB_ACL_ARN_PATTERN = (
    r"arn:aws(?:-cn|-us-gov)?:wafv2:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:regional/webacl/"
    r"[A-Za-z0-9_-]{1,128}/[a-f0-9-]{36}"
)
_DOMAIN_NAME = re.compile(rf"^{DOMAIN_NAME_PATTERN}$")
_HOSTED_ZONE_ID = re.compile(rf"^{HOSTED_ZONE_ID_PATTERN}$")
_WEB_ACL_ARN = re.compile(rf"^{WEB_ACL_ARN_PATTERN}$")


def _host_record(relative: str) -> str:
    from .environment.names import host_record  # the environment package imports this one

    return host_record(relative)


def _check_optional_arn(
    owner: str, name: str, value: object, pattern: re.Pattern[str], rule: str
) -> None:
    """A default of an optional ARN parameter: empty, or an ARN ``pattern`` takes, whose region
    is one of its partition's (a review: ``arn:aws:sns:cn-north-1:...`` was taken, which no
    stack can use, where a secret of that ARN was refused)."""
    if not isinstance(value, str) or (value and not pattern.fullmatch(value)):
        raise _fail(owner, name, value, rule)
    problem = arn_region_problem(value) if value else None
    if problem:
        raise _fail(owner, name, value, problem)


def _check_web_acl(owner: str, acl: object) -> None:
    """``default_web_acl_arn``: empty, or a regional web ACL's ARN (a load balancer's scope)."""
    _check_optional_arn(
        owner,
        "default_web_acl_arn",
        acl,
        _WEB_ACL_ARN,
        "must be a regional AWS WAF web ACL ARN (arn:aws:wafv2:<region>:<account>:"
        "regional/webacl/<name>/<id>, its id a lowercase UUID)",
    )


@suggest_fields
@dataclass(frozen=True)
class EnvironmentConfig:
    """Build-time options of the environment layer (``environment.yaml``): the shared cluster,
    load balancer and Service Connect namespace the services of an environment join.

    Attributes:
        default_domain_name: default of ``DomainName``, the domain the environment serves, such
            as ``shop.example.com``. Default empty: no domain (the load balancer's DNS name).
        default_hosted_zone_id: default of ``HostedZoneId``, the Route 53 public hosted zone of
            that domain (``Z...``), where the certificate is validated and the alias records are
            made. Given with ``default_domain_name`` or not at all.
        default_allowed_ingress_cidr: default of ``AllowedIngressCidr``. Default ``0.0.0.0/0``.
        default_deletion_protection: default of ``DeletionProtection`` (of the load balancer).
            Default True.
        default_log_retention_days: default of ``LogRetentionDays`` (the load balancer's access
            logs). Default 365.
        default_web_acl_arn: default of ``WebAclArn``, a regional AWS WAF web ACL associated
            with the load balancer. Default empty: none.
        tls_policy: the HTTPS listener's TLS policy. Default
            ``ELBSecurityPolicy-TLS13-1-2-Res-2021-06``.
        default_https_only: default of ``HttpsOnly``: True closes port 80, so that the load
            balancer listens on 443 only (Security Hub ELB.18); it needs a certificate
            (``DomainName`` or ``CertificateArn``) when deploying. Default False: port 80
            redirects to HTTPS with a certificate, and answers 404 without one.
    """

    default_domain_name: str = ""
    default_hosted_zone_id: str = ""
    default_allowed_ingress_cidr: str = "0.0.0.0/0"
    default_deletion_protection: bool = True
    default_log_retention_days: int = 365
    default_web_acl_arn: str = ""
    tls_policy: str = DEFAULT_TLS_POLICY
    default_https_only: bool = False

    def __post_init__(self) -> None:
        owner = type(self).__name__
        domain, zone = self.default_domain_name, self.default_hosted_zone_id
        if not isinstance(domain, str) or (domain and not _DOMAIN_NAME.fullmatch(domain)):
            raise _fail(
                owner,
                "default_domain_name",
                domain,
                "must be a lower-case domain name such as shop.example.com",
            )
        if len(domain) > CERTIFICATE_NAME_MAX:
            raise _fail(
                owner,
                "default_domain_name",
                domain,
                f"is {len(domain)} characters: the certificate the stack makes for it takes "
                f"{CERTIFICATE_NAME_MAX} (ACM); leave the default empty and give DomainName "
                "with CertificateArn when deploying",
            )
        if not isinstance(zone, str) or (zone and not _HOSTED_ZONE_ID.fullmatch(zone)):
            raise _fail(
                owner,
                "default_hosted_zone_id",
                zone,
                "must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ",
            )
        if bool(domain) != bool(zone):
            name, value = (
                ("default_hosted_zone_id", zone) if domain else ("default_domain_name", domain)
            )
            raise _fail(
                owner,
                name,
                value,
                "a domain needs its hosted zone and a hosted zone its domain: give both or neither",
            )
        _network(
            owner, "default_allowed_ingress_cidr", self.default_allowed_ingress_cidr, PREFIX_LENGTHS
        )
        _check_bool(owner, "default_deletion_protection", self.default_deletion_protection)
        _check_bool(owner, "default_https_only", self.default_https_only)
        _check_retention(owner, "default_log_retention_days", self.default_log_retention_days)
        _check_web_acl(owner, self.default_web_acl_arn)
        _check_tls_policy(owner, self.tls_policy)

    def under_domain(self, host: str) -> str | None:
        """``host`` relative to the default domain (``api`` for ``api.shop.example.com``, ``""``
        for the domain itself), or None when it is not under it (or there is no domain)."""
        domain = self.default_domain_name
        if not domain:
            return None
        if host == domain:
            return ""
        return host[: -len(domain) - 1] if host.endswith("." + domain) else None


def _aws_services_called(service: ServiceConfig) -> dict[str, str]:
    """The endpoints a service's tasks call through (an action's service when no endpoint is
    known for it), each with what calls it: the queue it scales on, its secrets (Secrets
    Manager or SSM decrypts them with their KMS key itself), ECS Exec's session channel, and
    its task role's allowed actions."""
    called: dict[str, list[str]] = {}

    def add(endpoint: str, why: str) -> None:
        reasons = called.setdefault(endpoint, [])
        if why not in reasons:
            reasons.append(why)

    application = service.application
    if service.queue_scaling is not None:
        add("sqs", "queue_scaling")
    secrets = [*application.secrets, *(s for c in application.sidecars for s in c.secrets)]
    for secret in secrets:
        add("ssm" if secret.is_parameter else "secretsmanager", "secrets")
    if service.default_enable_execute_command:
        add("ssmmessages", "execute_command")
    for statement in application.task_role.statements:
        if statement.effect != "Allow":
            continue
        for action in statement.actions:
            for endpoint in endpoints_for(action):
                add(endpoint, "task_role")
    return {endpoint: ", ".join(why) for endpoint, why in called.items()}


def _reorder(first: int, then: int | None) -> str:
    """How a rule of priority ``then`` comes before one of ``first`` (``then`` None: before
    several, the first of which is ``first``), in the numbers a priority takes."""
    ways = []
    if first > MIN_PRIORITY:
        ways.append(f"give this rule a priority number below {first}")
    if then is not None and then < MAX_PRIORITY:
        # "that rule one above" reads on from the first way only (a newcomer's trial got
        # "so this service would get none: that rule one above 2").
        way = "that rule one" if ways else "give that rule a priority number"
        ways.append(f"{way} above {then}")
    return ", or ".join(ways) or "give this rule paths or hosts of its own"


def _rule_key(index: int, service: ServiceConfig, number: int) -> str:
    """The key path of rule ``number`` of ``services[index]``: ``services[1].routing[0]``, or
    ``services[1].routing`` for a routing of one rule, not a tuple."""
    at = f"[{number}]" if isinstance(service.routing, tuple) else ""
    return f"services[{index}].routing{at}"


@dataclass(frozen=True)
class _Routed:
    """One listener rule of an environment's service, at ``key`` (:func:`_rule_key`)."""

    service: int
    key: str
    name: str  # the service's
    routing: Routing
    rules: int  # how many the service has

    @property
    def where(self) -> str:
        """The key path of the rule's priority."""
        return f"{self.key}.priority"

    def whose(self, rule: _Routed, owned: bool = True) -> str:
        """This rule's owner, as ``rule`` names it: "the service api's" or "the service's own"
        (``owned``; else "api" or "this service")."""
        if self.service == rule.service:
            return "the service's own" if owned else "this service"
        return f"the service {possessive(self.name)}" if owned else self.name


@suggest_fields
@dataclass(frozen=True)
class ProductConfig:
    """Everything the build needs, one config per layer. ``ProductConfig()`` is what we ship.

    Attributes:
        network: the network layer's options (:class:`NetworkConfig`). Default
            ``NetworkConfig()``: the shipped ``network.yaml``'s.
        service: the shipped ``service.yaml``'s options (a service of its own, which can also
            join an environment at deploy time; :class:`ServiceConfig`). Default
            ``ServiceConfig()``; a config with ``services`` must leave it so.
        environment: the environment layer's options (``environment.yaml``;
            :class:`EnvironmentConfig`). Default ``EnvironmentConfig()``.
        services: the services of an environment built from a spec, each with its
            ``container_name`` (its name), ``expose`` and, when public, ``routing``. Default
            empty: the shipped product. With services, the build writes the network, the
            environment, one ``service-<name>.yaml`` per service and a root that nests them all.
    """

    network: NetworkConfig = field(default_factory=NetworkConfig)
    service: ServiceConfig = field(default_factory=ServiceConfig)
    environment: EnvironmentConfig = field(default_factory=EnvironmentConfig)
    services: tuple[ServiceConfig, ...] = ()

    def __post_init__(self) -> None:
        owner = type(self).__name__
        for name, kind in (
            ("network", NetworkConfig),
            ("service", ServiceConfig),
            ("environment", EnvironmentConfig),
        ):
            value = getattr(self, name)
            if not isinstance(value, kind):
                # Named by type: a config's repr runs to hundreds of characters.
                article = "an" if kind.__name__[0] in "AEIOU" else "a"
                got = "None" if value is None else f"a {type(value).__name__}"
                raise ConfigError(f"{owner}.{name}: must be {article} {kind.__name__}, not {got}")
        if not isinstance(self.services, tuple) or not all(
            isinstance(s, ServiceConfig) for s in self.services
        ):
            # Named by type: the repr of a list of configs runs to a thousand characters.
            kinds = (
                sorted({type(s).__name__ for s in self.services})
                if isinstance(self.services, (list, tuple))
                else []
            )
            raise ConfigError(
                f"{owner}.services: must be a tuple of ServiceConfig, not a "
                f"{type(self.services).__name__}"
                + (f" of {', '.join(kinds)}" if kinds else "")
                + (": tuple(the_list) converts it" if isinstance(self.services, list) else "")
            )
        if self.service.expose is not None:
            # A newcomer's trial: accepted here, then "the root neither takes nor wires the
            # service template's parameter ClusterName" when the templates were rendered.
            raise _fail(
                owner,
                "service.expose",
                self.service.expose,
                "is for a service of an environment, which the shipped service.yaml is not (it "
                "has a load balancer of its own, or joins an environment at deploy time): give "
                f"services=(ServiceConfig(container_name=..., expose={self.service.expose!r}, "
                "...),) instead, and an environment is built for it",
            )
        if self.network.existing_vpc and not self.services:
            # The shipped root makes its VPC; service.yaml alone takes an existing one.
            raise _fail(
                owner,
                "network.existing_vpc",
                True,
                "is for the services of an environment (a root that nests them): one service "
                "of its own deploys into an existing VPC as its service.yaml, which takes "
                "VpcId, PublicSubnetIds and PrivateSubnetIds",
            )
        if self.services and self.service != ServiceConfig():
            raise ConfigError(
                f"{owner}.service: the options of the shipped service.yaml, which a config with "
                "services does not build (it builds service-<name>.yaml per service): give each "
                "service its options in services, and leave service at its default"
            )
        self._validate_services(owner)

    def _validate_services(self, owner: str) -> None:
        """Each service of an environment says how it is reached; names, their logical IDs,
        rule priorities and what the rules match are each one service's; routed hosts are under
        the environment's domain, and their alias records' logical IDs each one host's."""
        names: dict[str, str] = {}  # logical ID -> service
        priorities: dict[int, str] = {}
        records: dict[str, str] = {}  # an alias record's logical ID -> host
        # Each service's first problem, then the rules', then the environment's: all at once.
        checks = [
            functools.partial(self._validate_member, index, names, priorities, records)
            for index in range(len(self.services))
        ]
        _all_of(
            owner,
            *checks,
            self._refuse_shadowed_rules,
            self._validate_environment_use,
            self._refuse_too_many_outputs,
        )

    def _refuse_too_many_outputs(self, owner: str) -> None:
        """The root that nests the services re-exports every output of the network, the
        environment and each service: past CloudFormation's quota per template it cannot be
        built (a config of 60 services was taken here, and refused when rendered)."""
        if any(service.expose is None for service in self.services):
            return  # refused already: how many outputs each has is not known
        from .root import planned_outputs  # the root imports this module

        outputs, quota = planned_outputs(self), SECTION_QUOTAS["Outputs"][0]
        if outputs > quota:
            # Named by their number: the repr of the services runs to thousands of characters.
            raise _fail(
                owner,
                "services",
                len(self.services),
                f"{len(self.services)} services: the root that nests them would have {outputs} "
                "outputs (it re-exports each of the network's, the environment's and the "
                f"services'), and CloudFormation takes {quota} per template: split the services "
                "between environments (a spec each)",
            )

    def _validate_member(
        self,
        index: int,
        names: dict[str, str],
        priorities: dict[int, str],
        records: dict[str, str],
        owner: str,
    ) -> None:
        """One service of an environment, against those before it."""
        service = self.services[index]
        at, name = f"services[{index}]", service.container_name
        if service.expose is None:
            raise _fail(
                owner,
                f"{at}.expose",
                service.expose,
                "a service of an environment says how it is reached: give expose (public, "
                "internal or none). A spec with several services, a domain or environment "
                "settings describes an environment",
            )
        if len(name) > MAX_MEMBER_NAME:
            raise _fail(
                owner,
                f"{at}.container_name",
                name,
                f"a service of an environment has a name of at most {MAX_MEMBER_NAME} "
                "characters: the root's names for its parameters, rules and outputs start "
                "with it, and CloudFormation takes names of 255",
            )
        word = logical_name(name)
        if not word or word in names:
            raise _fail(
                owner,
                f"{at}.container_name",
                name,
                f"its logical ID {word or '(none)'} is the service "
                f"{possessive(str(names.get(word)))} too: "
                "two names that differ only in punctuation or in the case of their first "
                "letters cannot both be used",
            )
        same = next((other for other in names.values() if other.casefold() == name.casefold()), "")
        if same:
            raise _fail(
                owner,
                f"{at}.container_name",
                name,
                f"the service {same} has this name but for its case: the build writes each "
                "service's template as service-<name>.yaml, and a file system that does not tell "
                "case apart (macOS's and Windows's by default) keeps one of the two files; DNS "
                "names, which Service Connect calls services by, do not either (RFC 4343)",
            )
        names[word] = name
        # Each rule's first problem, all at once.
        _all_of(
            owner,
            *(
                functools.partial(
                    self._validate_rule,
                    _rule_key(index, service, number),
                    name,
                    routing,
                    priorities,
                    records,
                )
                for number, routing in enumerate(service.routing_rules)
            ),
        )

    def _validate_rule(
        self,
        at: str,
        name: str,
        routing: Routing,
        priorities: dict[int, str],
        records: dict[str, str],
        owner: str,
    ) -> None:
        """One listener rule of the service ``name`` (at ``at``, its key path), against the
        rules before it."""
        environment = self.environment
        taken = priorities.get(routing.priority)
        if taken is not None:  # the service's own rules have priorities of their own already
            raise _fail(
                owner,
                f"{at}.priority",
                routing.priority,
                f"the service {taken} has it too: each listener rule needs a priority of its own",
            )
        priorities[routing.priority] = name
        if not environment.default_domain_name:
            return
        for index, host in enumerate(routing.hosts):
            # A host of a list is named by its index, so that a spec points at its line.
            where = f"{at}.host" + (f"[{index}]" if len(routing.hosts) > 1 else "")
            relative = environment.under_domain(host)
            if relative is None:
                raise _fail(
                    owner,
                    where,
                    host,
                    f"is not under the environment's domain "
                    f"{environment.default_domain_name}: its certificate and alias records "
                    "are made in that domain's hosted zone",
                )
            record = logical_name(relative)
            if relative and records.setdefault(record, host) != host:
                raise _fail(
                    owner,
                    where,
                    host,
                    f"its alias record's logical ID would be {possessive(records[record])} too "
                    f"({_host_record(relative)}: a logical ID keeps letters and digits, and "
                    "writes * as Wildcard): choose host names that differ in more than that",
                )

    def _validate_environment_use(self, owner: str) -> None:
        # A service without expose is already refused: whether one is public is not known yet.
        undecided = any(service.expose is None for service in self.services)
        if self.services and not undecided and not self.has_public_service:
            shared = EnvironmentConfig.__dataclass_fields__
            for name, spec in shared.items():
                value = getattr(self.environment, name)
                if value != spec.default:
                    raise _fail(
                        owner,
                        f"environment.{name}",
                        value,
                        "no service is public, so the environment has no load balancer, and no "
                        "use for this (the domain, the allowed clients and the listeners are the "
                        "load balancer's): leave it out, or make a service public",
                    )
        if len(self.partitions) > 1:
            named = self._partitions_named()
            which = "; ".join(f"{p}: {named[p]}" for p in sorted(self.partitions))
            raise _fail(
                owner,
                "services",
                sorted(self.partitions),
                f"the services name ARNs of several partitions ({which}): an environment runs "
                "in one",
            )

    def _refuse_shadowed_rules(self, owner: str) -> None:
        """A listener rule that a rule of lower priority covers would never get a request: the
        load balancer "evaluates rules in priority order, from the lowest value to the highest
        value" and takes the first that matches (Elastic Load Balancing, listener rules). So
        would one that several such rules cover together, the service's own included. Each
        such rule is named."""
        routed = [
            _Routed(
                index,
                _rule_key(index, service, number),
                service.container_name,
                rule,
                len(service.routing_rules),
            )
            for index, service in enumerate(self.services)
            for number, rule in enumerate(service.routing_rules)
        ]
        problems = [
            str(problem)
            for rule in routed
            if (problem := self._shadowed(owner, rule, routed)) is not None
        ]
        if problems:
            raise ConfigError("\n".join(problems))

    @staticmethod
    def _shadowed(owner: str, rule: _Routed, routed: list[_Routed]) -> ConfigError | None:
        """Why ``rule`` would get no request, or None."""
        routing = rule.routing
        # A service of one rule gets nothing; one of several has a rule that adds nothing.
        loses = "this rule would get none" if rule.rules > 1 else "this service would get none"
        earlier = sorted(
            (other for other in routed if other.routing.priority < routing.priority),
            key=lambda other: other.routing.priority,
        )
        for first in earlier:
            if first.routing.covers(routing):
                # Two rules that cover each other match the same requests: whichever comes
                # first takes them all, so no order helps.
                # The edit may have been the other rule's: both ways out are named, where the
                # numbers leave room for them.
                fix = (
                    "give them different paths or hosts"
                    if routing.covers(first.routing)
                    else _reorder(first.routing.priority, routing.priority)
                )
                if first.service == rule.service:
                    fix = "remove it, or " + fix
                return _fail(
                    owner,
                    rule.where,
                    routing.priority,
                    f"{first.whose(rule)} rule (priority {first.routing.priority}) matches "
                    f"every request this one does and is evaluated first, so {loses}: {fix}",
                )
        # Several rules together: each host and path of this rule matched by one of them.
        takers: dict[int, _Routed] = {}
        for host in routing.hosts or (None,):
            for path in routing.paths or (None,):
                taker = next((o for o in earlier if o.routing.matches_every(host, path)), None)
                if taker is None:
                    return None
                takers[taker.routing.priority] = taker
        owners: dict[str, list[str]] = {}  # each owner's rules, in priority order
        for priority, taker in sorted(takers.items()):
            owners.setdefault(taker.whose(rule, owned=False), []).append(str(priority))
        names = " and ".join(
            f"{who} (priorit{'ies' if len(numbers) > 1 else 'y'} {', '.join(numbers)})"
            for who, numbers in owners.items()
        )
        # This rule covers each of them too: no order helps.
        fix = (
            "give them different paths or hosts"
            if all(routing.covers(taker.routing) for taker in takers.values())
            else f"{_reorder(min(takers), None)}, or paths or hosts of its own"
        )
        if all(taker.service == rule.service for taker in takers.values()):
            fix = "remove it, or " + fix  # the service's own rules take its requests
        return _fail(
            owner,
            rule.where,
            routing.priority,
            f"the rules of {names} together match every request this one does and are "
            f"evaluated first, so {loses}: {fix}",
        )

    @property
    def has_public_service(self) -> bool:
        """Whether one of the environment's ``services`` is public: only then has the
        environment a load balancer (and its listeners, certificate, domain records and web
        ACL). False without ``services``: the shipped templates have no environment of theirs."""
        return any(service.expose == EXPOSE_PUBLIC for service in self.services)

    @property
    def partitions(self) -> frozenset[str]:
        """The partitions of the ARNs the services' applications name (``aws``, ``aws-cn``,
        ``aws-us-gov``): at most one, where its templates can run; none when they name no ARN,
        or only ARNs of the stack's own partition (``${AWS::Partition}``)."""
        return frozenset(self._partitions_named()) - {PSEUDO_PARTITION}  # the stack's own: any

    def _partitions_named(self) -> dict[str, str]:
        """Each partition an ARN of the config names -> the first service (or the
        environment) that names it."""
        named: dict[str, str] = {}
        if self.services and self.environment.default_web_acl_arn:
            named[partition_of(self.environment.default_web_acl_arn)] = "the environment"
        if not self.services and self.service.default_web_acl_arn:
            named[partition_of(self.service.default_web_acl_arn)] = self.service.container_name
        for service in self.services or (self.service,):
            if service.default_alarm_topic_arn:
                named.setdefault(
                    partition_of(service.default_alarm_topic_arn), service.container_name
                )
            for arn in service.application.arns():
                named.setdefault(partition_of(arn), service.container_name)
        return named

    @property
    def routed_hosts(self) -> tuple[str, ...]:
        """The host names the services' listener rules route, each once, sorted."""
        return tuple(
            sorted({host for s in self.services for rule in s.routing_rules for host in rule.hosts})
        )

    @property
    def warnings(self) -> tuple[str, ...]:
        """What is allowed but most likely a mistake, one sentence each, beginning with the key
        of the spec it is about (``build --spec`` prints them; nothing is refused): each
        service's :attr:`ServiceConfig.warnings` (``services.<name>.``), a certificate of
        more names than ACM's default quota, more listener rules than the load balancer's, and
        an environment ``tls_policy`` Elastic Load Balancing does not document."""
        found = [
            *self._certificate_warnings(),
            *self._rule_quota_warnings(),
            *self._endpoint_warnings(),
            *self._subnet_room_warnings(),
            *self._regional_default_warnings(),
            *(f"environment.{w}" for w in tls_policy_warnings(self.environment.tls_policy)),
        ]
        for service in self.services or (self.service,):
            found += [f"services.{service.container_name}.{w}" for w in service.warnings]
        return tuple(found)

    def _regional_default_warnings(self) -> tuple[str, ...]:
        """A web ACL and an alarm topic are taken of the stack's own region only (validate
        refuses others): defaults of several regions cannot all be right in one stack."""
        named = {
            key: arn
            for key, arn in (
                ("environment.web_acl_arn", self.environment.default_web_acl_arn),
                *(
                    (f"services.{s.container_name}.{field}", getattr(s, f"default_{field}"))
                    for s in self.services or (self.service,)
                    for field in ("web_acl_arn", "alarm_topic_arn")
                ),
            )
            if arn
        }
        regions = {key: arn_fields(arn)[3] for key, arn in named.items()}
        if len(set(regions.values())) < 2:
            return ()
        first, *others = sorted(regions)
        listed = ", ".join(f"{key} in {regions[key]}" for key in others)
        return (
            f"{first}: is in {regions[first]}, and {listed}: a stack takes a web ACL and an "
            "alarm topic of its own region only, so one of them fails wherever it is deployed",
        )

    def _subnet_room_warnings(self) -> tuple[str, ...]:
        """Subnets that may run out of addresses: a load balancer's below the /27 Elastic Load
        Balancing asks for, and private subnets whose interface endpoints (VpcEndpoints on by
        default) and tasks at their maximum, twice over while a deployment replaces them
        (MaximumPercent 200), spread over the default Availability Zones, need more than they
        hold. ECS cannot place a task without an address: the deployment stalls."""
        network = self.network
        if network.existing_vpc:
            return ()
        found = []
        services = self.services or (self.service,)
        # The shipped service (no services) has an internet-facing load balancer of its own.
        balanced = self.has_public_service or not self.services
        small = [
            cidr
            for cidr in network.public_subnet_cidrs[: network.max_azs]
            if ipaddress.IPv4Network(cidr).prefixlen > LOAD_BALANCER_SUBNET_PREFIX
        ]
        if balanced and small:
            nat = (
                ""
                if network.default_nat_gateways == NAT_NONE
                else ", of which a NAT gateway takes one"
            )
            found.append(
                f"network.public_subnet_cidrs: {', '.join(small)} "
                f"{'is' if len(small) == 1 else 'are'} smaller than "
                f"the /{LOAD_BALANCER_SUBNET_PREFIX} Elastic Load Balancing asks of a load "
                f"balancer's subnets, with {LOAD_BALANCER_FREE_ADDRESSES} addresses free to "
                f"scale (a /28 holds {usable_addresses(28)}{nat}): give them a "
                f"/{LOAD_BALANCER_SUBNET_PREFIX} or larger"
            )
        # Counted whatever VpcEndpoints' default: a console user may turn them on.
        endpoints = len(network.interface_endpoints)
        when = "" if network.default_vpc_endpoints else " (with VpcEndpoints on)"
        tasks = sum(service.default_max_capacity for service in services)
        per_subnet = -(-2 * tasks // network.default_azs)  # ceiling
        crowded = [
            cidr
            for cidr in network.private_subnet_cidrs[: network.max_azs]
            if endpoints + per_subnet > usable_addresses(ipaddress.IPv4Network(cidr).prefixlen)
        ]
        if crowded:
            smallest = max(ipaddress.IPv4Network(c).prefixlen for c in crowded)
            found.append(
                f"network.private_subnet_cidrs: {', '.join(crowded)} may need "
                f"{endpoints + per_subnet} addresses each, and a /{smallest} holds "
                f"{usable_addresses(smallest)}: "
                f"{endpoints} for the interface endpoints{when}, {per_subnet} for tasks (the "
                f"services' max_capacity of {tasks} in all, twice over during a deployment, "
                f"spread over {network.default_azs} Availability Zones); a task without an "
                "address is not placed: give the private subnets more room"
            )
        return tuple(found)

    def _endpoint_warnings(self) -> tuple[str, ...]:
        """Without a NAT gateway (the network's default), a task reaches an AWS service only
        through its VPC endpoint: a service that scales on a queue, reads secrets or calls an
        AWS service its network has no endpoint for would time out there."""
        network = self.network
        if network.default_nat_gateways != NAT_NONE:
            return ()
        have = set(network.interface_endpoints) | set(network.gateway_endpoints)
        found = []
        for service in self.services or (self.service,):
            missing = {
                endpoint: why
                for endpoint, why in _aws_services_called(service).items()
                if endpoint not in have
            }
            if not missing:
                continue
            calls = "; ".join(f"{e} ({missing[e]})" for e in sorted(missing))
            advice: list[tuple[str, str]] = []  # (the key it is about, what to do)
            for key, table in (
                ("interface_endpoints", INTERFACE_SERVICES),
                ("gateway_endpoints", GATEWAY_SERVICES),
            ):
                names = sorted(e for e in missing if e in table)
                if names:
                    advice.append((key, f"add {', '.join(names)} to network.{key}"))
            unknown = sorted(
                e for e in missing if e not in (*INTERFACE_SERVICES, *GATEWAY_SERVICES)
            )
            if unknown:
                these = "it has" if len(unknown) == 1 else "they have"
                advice.append(
                    (
                        "nat_gateways",
                        f"{', '.join(unknown)}: {these} no endpoint here, give the network NAT",
                    )
                )
            found.append(
                f"network.{advice[0][0]}: the network has no NAT gateway (nat_gateways: None), "
                f"and the service {service.container_name} calls {calls}, which it reaches only "
                f"through an endpoint: {'; '.join(what for _, what in advice)}"
            )
        return tuple(found)

    def _rule_quota_warnings(self) -> tuple[str, ...]:
        """More listener rules than an application load balancer takes by default: the stack
        fails on the rule past the quota (TooManyRules) unless the account's was raised."""
        rules = sum(len(service.routing_rules) for service in self.services)
        if rules <= DEFAULT_RULES_PER_LOAD_BALANCER:
            return ()
        return (
            f"services: the services have {rules} listener rules; an application load balancer "
            f"takes {DEFAULT_RULES_PER_LOAD_BALANCER} unless the account's quota was raised: "
            'raise "Rules per Application Load Balancer" in Service Quotas before deploying',
        )

    def _certificate_warnings(self) -> tuple[str, ...]:
        """ "The default quota is 10 domain names for each ACM certificate ... You can request
        up to 100 domain names" (ACM User Guide, Quotas): the build allows 100, an account that
        never asked takes 10, and the stack fails when it requests the certificate."""
        environment = self.environment
        domain = environment.default_domain_name
        if not self.has_public_service or not domain:
            return ()
        hosts = {environment.under_domain(host) for host in self.routed_hosts} - {None, ""}
        names = 1 + len(hosts)
        if names <= DEFAULT_NAMES_PER_CERTIFICATE:
            return ()
        return (
            f"domain: the certificate names {names} domain names ({domain} and the {names - 1} "
            f"hosts under it); ACM takes {DEFAULT_NAMES_PER_CERTIFICATE} per certificate unless "
            'the account\'s quota was raised: raise "Domain names per ACM certificate" in '
            "Service Quotas (up to 100) before deploying, or pass a certificate of your own as "
            "CertificateArn",
        )
