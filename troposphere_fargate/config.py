"""Build-time configuration: what a template supports, not what a user picks at deploy time.

Each layer has one frozen dataclass. Defaults live in the field definitions and are the product we
ship under ``templates/``; every field is documented here once. A config is validated when it is
built, across fields, so an impossible combination fails with a message that names the field and
the value instead of producing a template that cannot deploy.

Deploy-time choices (CIDRs, NAT mode, endpoints, retention) are CloudFormation parameters; the
fields below named ``default_*`` only set those parameters' defaults.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip

NAT_GATEWAY_MODES: tuple[str, ...] = ("PerAz", "Single", "None")

# Interface endpoints a private Fargate task may need (ARCHITECTURE.md: "What gets deployed").
KNOWN_INTERFACE_ENDPOINTS: tuple[str, ...] = (
    "ecr.api",
    "ecr.dkr",
    "logs",
    "secretsmanager",
    "ssm",
    "ssmmessages",
    "kms",
    "sts",
    "monitoring",
    "xray",
    "elasticloadbalancing",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
)

SUPPORTED_AZ_COUNTS: tuple[int, ...] = (2, 3)


class ConfigError(ValueError):
    """A build-time configuration value is invalid. The message names the field and the value."""


def _fail(owner: str, name: str, value: object, why: str) -> ConfigError:
    return ConfigError(f"{owner}.{name}={value!r}: {why}")


def _network(owner: str, name: str, value: object, min_prefix: int) -> ipaddress.IPv4Network:
    if not isinstance(value, str):
        raise _fail(owner, name, value, "expected an IPv4 CIDR string such as '10.0.0.0/16'")
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise _fail(owner, name, value, f"not a valid IPv4 CIDR block ({exc})") from None
    if not min_prefix <= net.prefixlen <= 28:
        raise _fail(owner, name, value, f"prefix length must be between /{min_prefix} and /28")
    return net


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
        interface_endpoints: the interface endpoints created when ``VpcEndpoints`` is true, as
            service name suffixes (``ecr.api`` becomes ``com.amazonaws.<region>.ecr.api``). The
            S3 gateway endpoint is always created with them. Default: what a Fargate task on
            platform 1.4+ needs to pull from ECR, log and read secrets.
        default_flow_log_retention_days: default of ``FlowLogRetentionDays``. Default 365.
    """

    max_azs: int = 3
    default_azs: int = 2
    vpc_cidr: str = "10.0.0.0/16"
    public_subnet_cidrs: tuple[str, ...] = ("10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22")
    private_subnet_cidrs: tuple[str, ...] = ("10.0.32.0/19", "10.0.64.0/19", "10.0.96.0/19")
    default_nat_gateways: str = "PerAz"
    default_vpc_endpoints: bool = False
    interface_endpoints: tuple[str, ...] = field(
        default=("ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm")
    )
    default_flow_log_retention_days: int = 365

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if self.max_azs not in SUPPORTED_AZ_COUNTS or isinstance(self.max_azs, bool):
            raise _fail(owner, "max_azs", self.max_azs, "must be 2 or 3")
        if self.default_azs not in range(2, self.max_azs + 1) or isinstance(self.default_azs, bool):
            raise _fail(
                owner,
                "default_azs",
                self.default_azs,
                f"must be between 2 and max_azs ({self.max_azs})",
            )
        if self.default_nat_gateways not in NAT_GATEWAY_MODES:
            raise _fail(
                owner,
                "default_nat_gateways",
                self.default_nat_gateways,
                f"must be one of {', '.join(NAT_GATEWAY_MODES)}",
            )
        if not isinstance(self.default_vpc_endpoints, bool):
            raise _fail(
                owner, "default_vpc_endpoints", self.default_vpc_endpoints, "must be a bool"
            )
        if self.default_nat_gateways == "None" and not self.default_vpc_endpoints:
            raise _fail(
                owner,
                "default_nat_gateways",
                self.default_nat_gateways,
                "needs default_vpc_endpoints=True: without NAT gateways or endpoints the tasks "
                "cannot pull their image",
            )
        if self.default_flow_log_retention_days not in LOG_RETENTION_DAYS:
            raise _fail(
                owner,
                "default_flow_log_retention_days",
                self.default_flow_log_retention_days,
                "must be a CloudWatch Logs retention period: "
                + ", ".join(map(str, LOG_RETENTION_DAYS)),
            )
        self._validate_endpoints(owner)
        self._validate_cidrs(owner)

    def _validate_endpoints(self, owner: str) -> None:
        if not isinstance(self.interface_endpoints, tuple):
            raise _fail(owner, "interface_endpoints", self.interface_endpoints, "must be a tuple")
        if not self.interface_endpoints:
            raise _fail(
                owner,
                "interface_endpoints",
                self.interface_endpoints,
                "must name at least ecr.api and ecr.dkr",
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
        missing = [n for n in ("ecr.api", "ecr.dkr") if n not in self.interface_endpoints]
        if missing:
            raise _fail(
                owner,
                "interface_endpoints",
                self.interface_endpoints,
                f"must include {' and '.join(missing)}: without them a task in a subnet with no "
                "NAT cannot pull its image",
            )

    def _validate_cidrs(self, owner: str) -> None:
        vpc = _network(owner, "vpc_cidr", self.vpc_cidr, 16)
        seen: list[tuple[str, ipaddress.IPv4Network]] = []
        for name in ("public_subnet_cidrs", "private_subnet_cidrs"):
            cidrs = getattr(self, name)
            if not isinstance(cidrs, tuple) or len(cidrs) < self.max_azs:
                raise _fail(
                    owner, name, cidrs, f"needs a tuple of at least max_azs ({self.max_azs}) CIDRs"
                )
            for index, cidr in enumerate(cidrs[: self.max_azs]):
                label = f"{name}[{index}]"
                net = _network(owner, label, cidr, 16)
                if not net.subnet_of(vpc):
                    raise _fail(owner, label, cidr, f"is not inside vpc_cidr {self.vpc_cidr}")
                for other_label, other in seen:
                    if net.overlaps(other):
                        raise _fail(owner, label, cidr, f"overlaps {other_label} ({other})")
                seen.append((label, net))


@dataclass(frozen=True)
class ProductConfig:
    """Everything the build needs, one config per layer. ``ProductConfig()`` is what we ship."""

    network: NetworkConfig = field(default_factory=NetworkConfig)

    def __post_init__(self) -> None:
        if not isinstance(self.network, NetworkConfig):
            raise _fail(type(self).__name__, "network", self.network, "must be a NetworkConfig")
