"""The environment layer's outputs, each exported as ``<stack name>-<output>``. The first six
are what a service needs to join the environment; the shipped ``service.yaml`` takes them as
parameters of the same names (:data:`~.names.JOIN_OUTPUTS`), and a spec build's root wires them
into its services."""

from __future__ import annotations

from troposphere import GetAtt, If, Output, Ref, Sub, Template, ec2, ecs, servicediscovery
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import add_exported_output
from .load_balancer import Listeners
from .names import (
    DOMAIN_NAME,
    HAS_DOMAIN,
    HAS_HTTPS,
    OUTPUT_CLUSTER_ARN,
    OUTPUT_CLUSTER_NAME,
    OUTPUT_ENVIRONMENT_SECURITY_GROUP_ID,
    OUTPUT_ENVIRONMENT_URL,
    OUTPUT_LISTENER_ARN,
    OUTPUT_LOAD_BALANCER_ARN,
    OUTPUT_LOAD_BALANCER_DNS_NAME,
    OUTPUT_LOAD_BALANCER_FULL_NAME,
    OUTPUT_LOAD_BALANCER_HOSTED_ZONE_ID,
    OUTPUT_LOAD_BALANCER_SECURITY_GROUP_ID,
    OUTPUT_NAMESPACE_ARN,
    OUTPUT_NAMESPACE_NAME,
)


def add_outputs(
    t: Template,
    *,
    cluster: ecs.Cluster,
    namespace: servicediscovery.HttpNamespace,
    load_balancer: elb.LoadBalancer | None,
    listeners: Listeners | None,
    load_balancer_group: ec2.SecurityGroup | None,
    environment_group: ec2.SecurityGroup,
) -> tuple[Output, ...]:
    """The outputs, in one order; the load balancer's only when the environment has one (a
    public service)."""
    Entry = tuple[str, object, str]
    joining: list[Entry] = []  # what a public service joins with, beside the others
    url: list[Entry] = []
    balancer: list[Entry] = []
    if load_balancer is not None and listeners is not None and load_balancer_group is not None:
        dns_name = f"${{{load_balancer.title}.DNSName}}"
        joining = [
            (
                OUTPUT_LISTENER_ARN,
                If(HAS_HTTPS, Ref(listeners.https), Ref(listeners.http)),
                "The listener public services add their rules to: HTTPS (443) with a "
                "certificate, HTTP (80) without. It changes when a certificate is given or "
                "removed: update the services that joined with it",
            ),
            (
                OUTPUT_LOAD_BALANCER_SECURITY_GROUP_ID,
                GetAtt(load_balancer_group, "GroupId"),
                "Security group of the load balancer: a public service admits its container "
                "port from it",
            ),
        ]
        url = [
            (
                OUTPUT_ENVIRONMENT_URL,
                If(
                    HAS_DOMAIN,
                    Sub(f"https://${{{DOMAIN_NAME}}}"),
                    If(HAS_HTTPS, Sub(f"https://{dns_name}"), Sub(f"http://{dns_name}")),
                ),
                "URL of the environment: https://<domain> with a domain, else the load "
                "balancer's DNS name",
            )
        ]
        balancer = [
            (OUTPUT_LOAD_BALANCER_ARN, Ref(load_balancer), "ARN of the shared load balancer"),
            (
                OUTPUT_LOAD_BALANCER_FULL_NAME,
                GetAtt(load_balancer, "LoadBalancerFullName"),
                "Full name of the load balancer (app/<name>/<id>), the dimension of its "
                "CloudWatch metrics",
            ),
            (
                OUTPUT_LOAD_BALANCER_DNS_NAME,
                GetAtt(load_balancer, "DNSName"),
                "DNS name of the load balancer, for a CNAME or alias record of your own",
            ),
            (
                OUTPUT_LOAD_BALANCER_HOSTED_ZONE_ID,
                GetAtt(load_balancer, "CanonicalHostedZoneID"),
                "Route 53 hosted zone of the load balancer's DNS name, for an alias record",
            ),
        ]
    reached = (
        "the load balancer reaches them and they call each other"
        if url
        else ("they call each other")
    )
    outputs: list[Entry] = [
        (OUTPUT_CLUSTER_NAME, Ref(cluster), "Name of the ECS cluster the services run in"),
        *joining,
        (
            OUTPUT_ENVIRONMENT_SECURITY_GROUP_ID,
            GetAtt(environment_group, "GroupId"),
            f"Security group every service's tasks are members of: through it {reached}",
        ),
        (
            OUTPUT_NAMESPACE_ARN,
            GetAtt(namespace, "Arn"),
            "ARN of the Service Connect namespace (AWS Cloud Map, HTTP)",
        ),
        *url,
        (OUTPUT_CLUSTER_ARN, GetAtt(cluster, "Arn"), "ARN of the cluster"),
        *balancer,
        (OUTPUT_NAMESPACE_NAME, namespace.Name, "Name of the Service Connect namespace"),
    ]
    return tuple(
        add_exported_output(t, name, value, description) for name, value, description in outputs
    )
