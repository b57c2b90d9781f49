"""The environment layer, ``environment.yaml``: what the services of one environment share. It
deploys into any VPC (the network layer's, or an existing one) and holds no service itself;
services join it one stack at a time (the shipped ``service.yaml`` with its ``ClusterName``
parameter and the others this template outputs), or all at once in a spec build's root.

Resources: an ECS cluster (Container Insights, FARGATE and FARGATE_SPOT) whose services use the
Service Connect namespace ``Namespace`` (AWS Cloud Map, HTTP: no Route 53 zone) by default; one
internet-facing application load balancer in the public subnets, with access logs in a retained,
encrypted bucket, listeners on port 80 (404 for what no service routes, or a redirect to HTTPS;
closed by ``HttpsOnly``) and, with a certificate, 443 (TLS 1.3 policy, 404 for what no service
routes); its security group, and the environment's security group every service's tasks are members
of (see :mod:`.load_balancer`); with ``DomainName`` and ``HostedZoneId``, an ACM certificate
validated through DNS in that zone (unless ``CertificateArn`` brings one) and alias records for the
domain and the hosts the spec's services route under it (:mod:`.domain`); with ``WebAclArn``, that
AWS WAF web ACL in front of the load balancer.

Parameters: ``VpcId``, ``PublicSubnetIds``, ``DomainName``, ``HostedZoneId``,
``CertificateArn``, ``AllowedIngressCidr``, ``WebAclArn``, ``DeletionProtection``,
``HttpsOnly``, ``StrictTransportSecurityMaxAge``, ``LogRetentionDays``. Rules:
``DomainNameNeedsHostedZoneId``, ``HttpsOnlyNeedsACertificate``,
``StrictTransportSecurityNeedsHttps``, and in a spec build whose services route hosts under
its domain, ``DomainNameOfTheServicesHosts``.

Outputs (exported as ``<stack name>-<output>``): ``ClusterName``, ``ListenerArn``,
``LoadBalancerSecurityGroupId``, ``EnvironmentSecurityGroupId``, ``NamespaceArn`` and
``EnvironmentUrl`` (what a service joins with), ``ClusterArn``, ``LoadBalancerArn``,
``LoadBalancerFullName``, ``LoadBalancerDnsName``, ``LoadBalancerCanonicalHostedZoneId``,
``NamespaceName``.
"""

from __future__ import annotations

from collections.abc import Sequence

from troposphere import Sub, Template, servicediscovery

from ...errors import ConfigError, expect
from ..blocks import name_tag
from ..config import EnvironmentConfig
from ..exposure import HOST_RULE, is_host_name
from ..service.access_logs import (
    add_access_logs_bucket,
    add_access_logs_bucket_policy,
    add_log_delivery_accounts,
    add_log_delivery_condition,
)
from ..service.ecs_service import add_cluster
from ..service.load_balancer import add_web_acl_association
from . import names
from .domain import add_alias_records, add_certificate, certificate_names
from .load_balancer import add_listeners, add_load_balancer, add_security_groups
from .names import FILENAME, LAYER, NAMESPACE
from .outputs import add_outputs
from .parameters import add_conditions, add_parameters, add_rules

__all__ = [
    "FILENAME",
    "LAYER",
    "certificate_names",
    "environment_template",
    "names",
    "relative_hosts",
]


def relative_hosts(
    config: EnvironmentConfig, hosts: Sequence[str] | None
) -> tuple[str, ...] | None:
    """The hosts under the environment's default domain, relative to it (``api`` for
    ``api.shop.example.com``; the domain itself is left out: it has its own record)."""
    if hosts is None:
        return None
    relative = (config.under_domain(host) for host in hosts)
    return tuple(sorted({name for name in relative if name}))


def add_namespace(t: Template) -> servicediscovery.HttpNamespace:
    """The Service Connect namespace: HTTP, so it makes no Route 53 hosted zone ("Amazon ECS
    Service Connect doesn't use or create DNS hosted zones", ECS Developer Guide)."""
    return t.add_resource(
        servicediscovery.HttpNamespace(
            NAMESPACE,
            Name=Sub("${AWS::StackName}"),
            Description=Sub("Service Connect namespace of the ${AWS::StackName} environment"),
            Tags=name_tag("namespace"),
        )
    )


def _check_hosts(hosts: Sequence[str] | None) -> None:
    """A list or tuple of host names, or None. A bare string is a sequence of characters: it
    would be read as one-letter hosts, none under the domain, and silently dropped."""
    expect(hosts, (list, tuple, type(None)), "environment_template(hosts)")
    for host in hosts or ():
        if not is_host_name(host):
            raise ConfigError(f"environment_template(hosts): {host!r} {HOST_RULE}")


def environment_template(
    config: EnvironmentConfig | None = None,
    hosts: Sequence[str] | None = None,
    public: bool = True,
) -> Template:
    """Build the environment layer. ``hosts`` are the host names the services of a spec route
    (:attr:`ProductConfig.routed_hosts`): those under the default domain get alias records and
    are the certificate's names. None (the shipped template): services join from the console
    with hosts not known here; the certificate names ``*.<domain>``. ``public=False`` (a spec
    without a public service): no load balancer, listeners, certificate or access-log bucket,
    nothing internet-facing; only the cluster, the namespace and the services' group. Pure: the
    same input always gives the same template."""
    expect(config, (EnvironmentConfig, type(None)), "environment_template(config)")
    expect(public, bool, "environment_template(public)")
    _check_hosts(hosts)
    config = config or EnvironmentConfig()
    if not public:
        if config != EnvironmentConfig() or hosts:
            raise ConfigError(
                "environment_template(public=False): an environment without a public service "
                "has no load balancer, so no use for a domain, hosts or other settings of one: "
                "give the default EnvironmentConfig and no hosts"
            )
        return _private_environment(config)
    under = relative_hosts(config, hosts)
    t = Template(
        Description=(
            "Environment for Fargate services without public IPs: one cluster, one "
            "internet-facing load balancer and one Service Connect namespace they share"
        )
    )
    add_parameters(t, config, wildcard=hosts is None)
    add_conditions(t)
    add_rules(t, config, [host for host in hosts or () if config.under_domain(host) is not None])
    add_log_delivery_accounts(t)
    add_log_delivery_condition(t)

    namespace = add_namespace(t)
    cluster = add_cluster(t, namespace=namespace)
    groups = add_security_groups(t)
    assert groups.load_balancer is not None  # public: the load balancer has its group
    bucket = add_access_logs_bucket(t)
    bucket_policy = add_access_logs_bucket_policy(t, bucket, network_load_balancer=False)
    load_balancer = add_load_balancer(t, groups.load_balancer, bucket, bucket_policy)
    add_certificate(t, under)
    listeners = add_listeners(t, config, load_balancer)
    add_alias_records(t, load_balancer, under or ())
    add_web_acl_association(t, load_balancer)
    add_outputs(
        t,
        cluster=cluster,
        namespace=namespace,
        load_balancer=load_balancer,
        listeners=listeners,
        load_balancer_group=groups.load_balancer,
        environment_group=groups.environment,
    )
    return t


def _private_environment(config: EnvironmentConfig) -> Template:
    """An environment of internal services and workers only: nothing reaches it from the
    internet, so it has no load balancer (which would answer 404 to the internet and cost an
    hour's price and public addresses for nothing)."""
    t = Template(
        Description=(
            "Environment for Fargate services without public IPs: one cluster and one Service "
            "Connect namespace they share, and no load balancer (no service is public)"
        )
    )
    add_parameters(t, config, public=False)
    namespace = add_namespace(t)
    cluster = add_cluster(t, namespace=namespace)
    groups = add_security_groups(t, public=False)
    add_outputs(
        t,
        cluster=cluster,
        namespace=namespace,
        load_balancer=None,
        listeners=None,
        load_balancer_group=None,
        environment_group=groups.environment,
    )
    return t
