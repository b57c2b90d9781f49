"""The service layer's outputs, each exported as ``<stack name>-<output>``: where to reach the
service, and what another stack needs to find its cluster, service, tasks and logs.

The shipped template has every output whatever its placement (the root surfaces them all):
``ServiceUrl`` is the load balancer's URL on its own, the environment's URL with the rule's host
and path when public in an environment, ``http://<name>:<port>`` through Service Connect when
internal. A spec's service of an environment has the outputs its exposure gives (no
``ServiceUrl`` for a worker; the cluster and load balancer are the environment's outputs).
"""

from __future__ import annotations

from typing import Any

from troposphere import (
    GetAtt,
    If,
    Output,
    Ref,
    Select,
    Split,
    Sub,
    Template,
    cloudwatch,
    ec2,
    ecs,
    logs,
)
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import add_exported_output
from ..config import ServiceConfig
from ..exposure import path_prefix
from .dashboard import dashboard_url
from .ecs_service import service_connect_name
from .names import (
    CONTAINER_PORT,
    ENVIRONMENT_URL,
    HAS_CERTIFICATE,
    HAS_LISTENER_RULE_HOST,
    HAS_TEST_LISTENER,
    LISTENER_RULE_HOST,
    LISTENER_RULE_PATH,
    LOAD_BALANCER,
    OUTPUT_CLUSTER_NAME,
    OUTPUT_DASHBOARD_URL,
    OUTPUT_LOAD_BALANCER_DNS_NAME,
    OUTPUT_LOG_GROUP_NAME,
    OUTPUT_SERVICE_NAME,
    OUTPUT_SERVICE_URL,
    OUTPUT_TASK_SECURITY_GROUP_ID,
    OUTPUT_TEST_URL,
    TEST_LISTENER_PORT,
)
from .placement import Placement, exists, pick

# What the shipped template's URL outputs say where there is nothing of the service's own.
NO_INBOUND_TRAFFIC = "none: Expose is none, the service takes no inbound traffic"
THE_ENVIRONMENTS = "the environment's: see its LoadBalancerDnsName output"


def _environment_url(config: ServiceConfig) -> Any:
    """The environment's URL with the listener rule's host (when it has one) and where its
    path begins: https://api.shop.example.com/, https://shop.example.com/api/."""
    scheme = Select(0, Split(":", Ref(ENVIRONMENT_URL)))
    if config.routing is None:  # the shipped template: its ListenerRule* parameters
        prefix = Select(0, Split("*", Ref(LISTENER_RULE_PATH)))
        with_host = Sub(
            f"${{Scheme}}://${{{LISTENER_RULE_HOST}}}${{Prefix}}", Scheme=scheme, Prefix=prefix
        )
        without = Sub(f"${{{ENVIRONMENT_URL}}}${{Prefix}}", Prefix=prefix)
        return If(HAS_LISTENER_RULE_HOST, with_host, without)
    # With several paths or hosts, the first path and the first host without a wildcard, of
    # the first rule.
    routing = config.routing_rules[0]
    prefix_text = path_prefix(routing.paths[0]) if routing.paths else "/"
    # A wildcard is no address a browser can open, and the environment's own URL is not one the
    # rule matches (*.example.com does not match example.com): with wildcard hosts only, the
    # pattern of its addresses, such as https://<name>.example.com/.
    if routing.hosts:
        host = next((h for h in routing.hosts if "*" not in h), None)
        host = host or routing.hosts[0].replace("*", "<name>", 1)
        return Sub(f"${{Scheme}}://{host}{prefix_text}", Scheme=scheme)
    return Sub(f"${{{ENVIRONMENT_URL}}}{prefix_text}")


def service_url(
    config: ServiceConfig, placement: Placement, load_balancer: elb.LoadBalancer | None
) -> Any:
    """Where the service is reached, for the placement; None for a spec's worker."""
    if not placement.listens:
        return None
    own: Any = None
    if load_balancer is not None:
        dns_name = f"${{{load_balancer.title}.DNSName}}"
        own = If(HAS_CERTIFICATE, Sub(f"https://{dns_name}"), Sub(f"http://{dns_name}"))
    internal = Sub(f"http://${{Name}}:${{{CONTAINER_PORT}}}", Name=service_connect_name(config))
    public = _environment_url(config) if exists(placement.listener_rule) else None
    joined = pick(
        placement.listener_rule, public, pick(placement.internal, internal, NO_INBOUND_TRAFFIC)
    )
    return pick(placement.standalone, own, joined)


def add_outputs(
    t: Template,
    config: ServiceConfig,
    placement: Placement,
    *,
    load_balancer: elb.LoadBalancer | None,
    cluster_name: Any,
    service: ecs.Service,
    task_security_group: ec2.SecurityGroup,
    log_group: logs.LogGroup,
    dashboard: cloudwatch.Dashboard,
) -> tuple[Output, ...]:
    outputs = []
    url = service_url(config, placement, load_balancer)
    if url is not None:
        outputs.append(
            add_exported_output(
                t,
                OUTPUT_SERVICE_URL,
                url,
                "URL of the service (https:// with a certificate); through Service Connect, "
                "from the environment's services, when internal"
                if placement.deploy_time
                else "URL of the service"
                if exists(placement.listener_rule)
                else "URL of the service through Service Connect, from the environment's services",
            )
        )
    if placement.deploy_time:
        outputs += [
            add_exported_output(
                t,
                OUTPUT_LOAD_BALANCER_DNS_NAME,
                pick(
                    placement.standalone,
                    GetAtt(load_balancer, "DNSName") if load_balancer is not None else None,
                    THE_ENVIRONMENTS,
                ),
                "DNS name of the load balancer, for a CNAME or alias record",
            ),
            add_exported_output(t, OUTPUT_CLUSTER_NAME, cluster_name, "Name of the ECS cluster"),
        ]
    if exists(placement.standalone) and load_balancer is not None:
        outputs.append(
            add_exported_output(
                t,
                OUTPUT_TEST_URL,
                Sub(f"https://${{{LOAD_BALANCER}.DNSName}}:${{{TEST_LISTENER_PORT}}}"),
                "URL of the test listener: the new revision of a canary, linear or blue/green "
                "deployment, before it takes production traffic",
                condition=HAS_TEST_LISTENER,
            )
        )
    outputs += [
        add_exported_output(
            t, OUTPUT_SERVICE_NAME, GetAtt(service, "Name"), "Name of the ECS service"
        ),
        add_exported_output(
            t,
            OUTPUT_TASK_SECURITY_GROUP_ID,
            GetAtt(task_security_group, "GroupId"),
            "Security group of the tasks: it admits the container port from the load balancer "
            "only (internal in an environment, from the environment's services; a worker, "
            "exposed as none, nothing) and sends "
            "HTTPS, plus the extra egress given. To reach a database, allow it in the "
            "database's group (and give the database's port as extra egress)",
        ),
        add_exported_output(
            t, OUTPUT_LOG_GROUP_NAME, Ref(log_group), "CloudWatch Logs group of the container logs"
        ),
        add_exported_output(
            t,
            OUTPUT_DASHBOARD_URL,
            dashboard_url(dashboard),
            "The service's CloudWatch dashboard: requests, latency, 5xx answers, targets, CPU, "
            "memory, tasks, deployments and the rollback alarms",
        ),
    ]
    return tuple(outputs)
