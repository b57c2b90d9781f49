"""The service layer's outputs, each exported as ``<stack name>-<output>``: where to reach the
service, and what another stack needs to find its cluster, service, tasks and logs."""

from __future__ import annotations

from troposphere import GetAtt, If, Output, Ref, Sub, Template, ec2, ecs, logs
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import add_exported_output
from .names import (
    HAS_CERTIFICATE,
    OUTPUT_CLUSTER_NAME,
    OUTPUT_LOAD_BALANCER_DNS_NAME,
    OUTPUT_LOG_GROUP_NAME,
    OUTPUT_SERVICE_NAME,
    OUTPUT_SERVICE_URL,
    OUTPUT_TASK_SECURITY_GROUP_ID,
)


def add_outputs(
    t: Template,
    *,
    load_balancer: elb.LoadBalancer,
    cluster: ecs.Cluster,
    service: ecs.Service,
    task_security_group: ec2.SecurityGroup,
    log_group: logs.LogGroup,
) -> tuple[Output, ...]:
    dns_name = f"${{{load_balancer.title}.DNSName}}"
    return (
        add_exported_output(
            t,
            OUTPUT_SERVICE_URL,
            If(HAS_CERTIFICATE, Sub(f"https://{dns_name}"), Sub(f"http://{dns_name}")),
            "URL of the service (https:// with a certificate)",
        ),
        add_exported_output(
            t,
            OUTPUT_LOAD_BALANCER_DNS_NAME,
            GetAtt(load_balancer, "DNSName"),
            "DNS name of the load balancer, for a CNAME or alias record",
        ),
        add_exported_output(t, OUTPUT_CLUSTER_NAME, Ref(cluster), "Name of the ECS cluster"),
        add_exported_output(
            t, OUTPUT_SERVICE_NAME, GetAtt(service, "Name"), "Name of the ECS service"
        ),
        add_exported_output(
            t,
            OUTPUT_TASK_SECURITY_GROUP_ID,
            GetAtt(task_security_group, "GroupId"),
            "Security group of the tasks: it admits only the load balancer and sends HTTPS, plus "
            "the extra egress given. To reach a database, allow it in the database's group (and "
            "give the database's port as extra egress)",
        ),
        add_exported_output(
            t, OUTPUT_LOG_GROUP_NAME, Ref(log_group), "CloudWatch Logs group of the container logs"
        ),
    )
