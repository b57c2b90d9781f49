"""The environment layer's parameters, one function per console group, its conditions, and the
rules that refuse a domain without its hosted zone, HTTPS only without a certificate (and, in a
spec build whose services route host names, a domain other than the one the hosts are
under)."""

from __future__ import annotations

from collections.abc import Sequence

from troposphere import And, Condition, Equals, Not, Or, Parameter, Ref, Template

from ..blocks import add_parameter, add_retention_parameter, add_switch_parameter, is_true
from ..config import (
    DOMAIN_NAME_MAX,
    DOMAIN_NAME_PATTERN,
    HOSTED_ZONE_ID_PATTERN,
    LOG_RETENTION_DAYS,
    EnvironmentConfig,
)
from ..service.names import NO_STRICT_TRANSPORT_SECURITY
from ..service.parameters import (
    CERTIFICATE_CONSTRAINT,
    CERTIFICATE_PATTERN,
    NOT_GIVEN,
    add_allowed_ingress_parameter,
    add_strict_transport_security_parameter,
    add_web_acl_parameter,
)
from .names import (
    CERTIFICATE_ARN,
    CREATES_CERTIFICATE,
    DELETION_PROTECTION,
    DOMAIN_NAME,
    DOMAIN_NEEDS_HOSTED_ZONE,
    DOMAIN_OF_THE_HOSTS,
    GROUP_DOMAIN,
    GROUP_LOAD_BALANCER,
    GROUP_NETWORK,
    GROUP_PRIVATE_NETWORK,
    HAS_CERTIFICATE_ARN,
    HAS_DOMAIN,
    HAS_HTTPS,
    HAS_STRICT_TRANSPORT_SECURITY,
    HAS_WEB_ACL,
    HOSTED_ZONE_ID,
    HTTP_PORT_OPEN,
    HTTPS_ONLY,
    HTTPS_ONLY_NEEDS_A_CERTIFICATE,
    LOG_RETENTION_DAYS_PARAMETER,
    PUBLIC_SUBNET_IDS,
    STRICT_TRANSPORT_SECURITY_MAX_AGE,
    STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS,
    VPC_ID,
    WEB_ACL_ARN,
)

_SUBNET_ID_PATTERN = r"^subnet-[0-9a-f]+$"


def add_parameters(
    t: Template, config: EnvironmentConfig, public: bool = True, wildcard: bool = True
) -> tuple[Parameter, ...]:
    """Every parameter, group by group in the console's order; without ``public`` services,
    the VPC only (there is no load balancer). ``wildcard``: the certificate names
    ``*.<domain>`` (services join with hosts not known here), else the hosts routed."""
    if not public:
        return add_network_parameters(t, public=False)
    return (
        *add_network_parameters(t),
        *add_domain_parameters(t, config, wildcard),
        *add_load_balancer_parameters(t, config),
    )


def add_network_parameters(t: Template, public: bool = True) -> tuple[Parameter, ...]:
    vpc = add_parameter(
        t,
        VPC_ID,
        group=GROUP_NETWORK if public else GROUP_PRIVATE_NETWORK,
        label="VPC",
        description=(
            "VPC of the environment: the network stack's VpcId output, or an existing VPC. Its "
            "services run in its private subnets."
        ),
        Type="AWS::EC2::VPC::Id",
        AllowedPattern=r"^vpc-[0-9a-f]+$",
        ConstraintDescription="must be the ID of a VPC (vpc-...)",
    )
    if not public:
        return (vpc,)
    subnets = add_parameter(
        t,
        PUBLIC_SUBNET_IDS,
        group=GROUP_NETWORK,
        label="Public subnets (load balancer)",
        description=(
            "Subnets with a route to an internet gateway, one per Availability Zone (two at "
            "least), for the shared internet-facing load balancer."
        ),
        Type="List<AWS::EC2::Subnet::Id>",
        AllowedPattern=_SUBNET_ID_PATTERN,
        ConstraintDescription="must be subnet IDs (subnet-...)",
    )
    return vpc, subnets


def add_domain_parameters(
    t: Template, config: EnvironmentConfig, wildcard: bool = True
) -> tuple[Parameter, ...]:
    domain = add_parameter(
        t,
        DOMAIN_NAME,
        group=GROUP_DOMAIN,
        label="Domain name (optional)",
        description=(
            "The domain the environment serves, such as shop.example.com. With HostedZoneId the "
            "stack makes an ACM certificate for it and "
            f"{'*.<domain>' if wildcard else 'each host the services route under it'}, "
            "validated through DNS in "
            "that zone (unless CertificateArn is given), serves HTTPS with it, and points the "
            "domain at the load balancer with an alias record. Empty: no domain. A certificate "
            "takes a name of 64 characters at most: for a longer one, give CertificateArn."
        ),
        Type="String",
        Default=config.default_domain_name,
        AllowedPattern=rf"^$|^{DOMAIN_NAME_PATTERN}$",
        MaxLength=DOMAIN_NAME_MAX,
        ConstraintDescription=(
            "must be empty or a lower-case domain name such as shop.example.com, of "
            f"{DOMAIN_NAME_MAX} characters at most"
        ),
    )
    zone = add_parameter(
        t,
        HOSTED_ZONE_ID,
        group=GROUP_DOMAIN,
        label="Route 53 hosted zone ID",
        description=(
            "The public hosted zone of DomainName in this account (Z...): the certificate's "
            "validation records and the alias records go there. Empty without a domain."
        ),
        Type="String",
        Default=config.default_hosted_zone_id,
        AllowedPattern=rf"^$|^{HOSTED_ZONE_ID_PATTERN}$",
        ConstraintDescription=(
            "must be empty or a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ "
            "(without /hostedzone/)"
        ),
    )
    certificate = add_parameter(
        t,
        CERTIFICATE_ARN,
        group=GROUP_DOMAIN,
        label="ACM certificate ARN (optional)",
        description=(
            "A certificate of your own for HTTPS on port 443 (port 80 then redirects to it, "
            "or is closed with HttpsOnly), "
            f"with the TLS 1.3 policy {config.tls_policy}. Empty: the stack makes one when "
            "DomainName is given, and serves plain HTTP on port 80 otherwise."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=CERTIFICATE_PATTERN,
        ConstraintDescription=CERTIFICATE_CONSTRAINT,
    )
    return domain, zone, certificate


def add_load_balancer_parameters(t: Template, config: EnvironmentConfig) -> tuple[Parameter, ...]:
    clients = add_allowed_ingress_parameter(t, config.default_allowed_ingress_cidr)
    web_acl = add_web_acl_parameter(
        t,
        GROUP_LOAD_BALANCER,
        config.default_web_acl_arn,
        "A regional AWS WAF web ACL to associate with the load balancer, such as "
        "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/<id>. Empty: none.",
    )
    deletion_protection = add_switch_parameter(
        t,
        DELETION_PROTECTION,
        group=GROUP_LOAD_BALANCER,
        label="Load balancer deletion protection",
        description=(
            "true keeps the shared load balancer from being deleted, by anyone or by a stack "
            "deletion, until this is set to false."
        ),
        default=config.default_deletion_protection,
    )
    https_only = add_switch_parameter(
        t,
        HTTPS_ONLY,
        group=GROUP_LOAD_BALANCER,
        label="HTTPS only (close port 80)",
        description=(
            "With a certificate (DomainName or CertificateArn): true closes port 80, so the "
            "load balancer listens on 443 only (Security Hub ELB.18) and http:// addresses get "
            "no answer; false keeps port 80 answering with a redirect to HTTPS. true needs a "
            "certificate."
        ),
        default=config.default_https_only,
    )
    hsts = add_strict_transport_security_parameter(
        t,
        GROUP_LOAD_BALANCER,
        "With a certificate (DomainName or CertificateArn): seconds browsers keep to HTTPS for "
        "a host of the environment once told (the HTTPS listener adds "
        "Strict-Transport-Security: max-age=<seconds> to every response, replacing a "
        "service's own). 0, the default: no header. Browsers remember it for that long: keep "
        "it short (300) until HTTPS is there to stay; 31536000 is a year.",
    )
    log_retention = add_retention_parameter(
        t,
        LOG_RETENTION_DAYS_PARAMETER,
        group=GROUP_LOAD_BALANCER,
        label="Access log retention (days)",
        description=(
            "Days to keep the load balancer's access logs (S3). The bucket is kept when the "
            "stack is deleted."
        ),
        default=config.default_log_retention_days,
        choices=LOG_RETENTION_DAYS,
    )
    return clients, web_acl, deletion_protection, https_only, hsts, log_retention


def _given(parameter: str) -> Not:
    return Not(Equals(Ref(parameter), NOT_GIVEN))


def add_conditions(t: Template) -> tuple[str, ...]:
    """Add every condition; return their names."""
    return (
        t.add_condition(HAS_DOMAIN, _given(DOMAIN_NAME)),
        t.add_condition(HAS_CERTIFICATE_ARN, _given(CERTIFICATE_ARN)),
        t.add_condition(
            CREATES_CERTIFICATE, And(Condition(HAS_DOMAIN), Not(Condition(HAS_CERTIFICATE_ARN)))
        ),
        t.add_condition(HAS_HTTPS, Or(Condition(HAS_DOMAIN), Condition(HAS_CERTIFICATE_ARN))),
        t.add_condition(HTTP_PORT_OPEN, Or(Not(Condition(HAS_HTTPS)), Not(is_true(HTTPS_ONLY)))),
        t.add_condition(HAS_WEB_ACL, _given(WEB_ACL_ARN)),
        t.add_condition(
            HAS_STRICT_TRANSPORT_SECURITY,
            And(
                Condition(HAS_HTTPS),
                Not(Equals(Ref(STRICT_TRANSPORT_SECURITY_MAX_AGE), NO_STRICT_TRANSPORT_SECURITY)),
            ),
        ),
    )


def add_rules(t: Template, config: EnvironmentConfig, hosts: Sequence[str]) -> tuple[str, ...]:
    """A domain needs its hosted zone (and a zone its domain). With ``hosts`` (the host names a
    spec's services route under its domain), the domain must stay the spec's: their listener
    rules and alias records are made for it."""
    no_domain = Equals(Ref(DOMAIN_NAME), NOT_GIVEN)
    no_zone = Equals(Ref(HOSTED_ZONE_ID), NOT_GIVEN)
    t.add_rule(
        DOMAIN_NEEDS_HOSTED_ZONE,
        {
            "Assertions": [
                {
                    "Assert": Or(And(no_domain, no_zone), And(Not(no_domain), Not(no_zone))),
                    "AssertDescription": (
                        "DomainName and HostedZoneId go together: give the domain and the ID of "
                        "its Route 53 hosted zone, or leave both empty."
                    ),
                }
            ]
        },
    )
    t.add_rule(
        HTTPS_ONLY_NEEDS_A_CERTIFICATE,
        {
            "RuleCondition": is_true(HTTPS_ONLY),
            "Assertions": [
                {
                    "Assert": Not(And(no_domain, Equals(Ref(CERTIFICATE_ARN), NOT_GIVEN))),
                    "AssertDescription": (
                        "HttpsOnly true closes port 80 and leaves HTTPS on 443, which needs a "
                        "certificate: give DomainName (and HostedZoneId) or CertificateArn, or "
                        "set HttpsOnly to false."
                    ),
                }
            ],
        },
    )
    t.add_rule(
        STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS,
        {
            "RuleCondition": Not(
                Equals(Ref(STRICT_TRANSPORT_SECURITY_MAX_AGE), NO_STRICT_TRANSPORT_SECURITY)
            ),
            "Assertions": [
                {
                    "Assert": Not(And(no_domain, Equals(Ref(CERTIFICATE_ARN), NOT_GIVEN))),
                    "AssertDescription": (
                        "StrictTransportSecurityMaxAge is sent by the HTTPS listener, which "
                        "needs a certificate: give DomainName (and HostedZoneId) or "
                        "CertificateArn, or set it to 0."
                    ),
                }
            ],
        },
    )
    if not hosts:
        return (
            DOMAIN_NEEDS_HOSTED_ZONE,
            HTTPS_ONLY_NEEDS_A_CERTIFICATE,
            STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS,
        )
    t.add_rule(
        DOMAIN_OF_THE_HOSTS,
        {
            "Assertions": [
                {
                    "Assert": Equals(Ref(DOMAIN_NAME), config.default_domain_name),
                    "AssertDescription": (
                        f"The services route {', '.join(hosts)} under "
                        f"{config.default_domain_name}: DomainName must stay "
                        f"{config.default_domain_name} (change the spec's domain and build "
                        "again to move them)."
                    ),
                }
            ]
        },
    )
    return (
        DOMAIN_NEEDS_HOSTED_ZONE,
        HTTPS_ONLY_NEEDS_A_CERTIFICATE,
        STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS,
        DOMAIN_OF_THE_HOSTS,
    )
