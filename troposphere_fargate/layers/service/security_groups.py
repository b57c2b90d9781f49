"""Security groups: the load balancer takes its listener ports from ``AllowedIngressCidr`` and
sends only to the tasks' container port; the tasks take that port from the load balancer only
and send only HTTPS, what the application's egress rules add (inline, after the HTTPS rule),
and the one extra rule the console parameters give (``ExtraEgressPort`` to
``ExtraEgressSecurityGroupId`` or ``ExtraEgressCidr``: a resource of its own, each destination
under its condition)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from troposphere import If, NoValue, Ref, Sub, Template, ec2

from ..application import EgressRule
from ..blocks import name_tag, no_egress_rule, suppress
from ..config import TASKS_HTTPS_EGRESS
from .load_balancer import HTTP_PORT, HTTPS_PORT
from .names import (
    ALLOWED_INGRESS_CIDR,
    CONTAINER_PORT,
    ENVIRONMENT_SECURITY_GROUP_ID,
    EXTRA_EGRESS_CIDR,
    EXTRA_EGRESS_PORT,
    EXTRA_EGRESS_SECURITY_GROUP_ID,
    EXTRA_EGRESS_TO_CIDR,
    EXTRA_EGRESS_TO_SECURITY_GROUP,
    HAS_CERTIFICATE,
    HTTP_LISTENER_PORT_OPEN,
    LOAD_BALANCER_EGRESS_TO_HEALTH_CHECK,
    LOAD_BALANCER_EGRESS_TO_TASKS,
    LOAD_BALANCER_HTTP_INGRESS,
    LOAD_BALANCER_HTTPS_INGRESS,
    LOAD_BALANCER_SECURITY_GROUP,
    LOAD_BALANCER_SECURITY_GROUP_ID,
    TASK_EXTRA_EGRESS_TO_CIDR,
    TASK_EXTRA_EGRESS_TO_SECURITY_GROUP,
    TASK_SECURITY_GROUP,
    VPC_ID,
)
from .placement import Placement, Switch, exists, pick, when

# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
HTTP_INGRESS_CHECKOV = {
    "CKV_AWS_260": (
        "an internet-facing load balancer takes port 80 from AllowedIngressCidr (everyone by "
        "default) by design; with a certificate port 80 only redirects to HTTPS"
    ),
}


TASK_GROUP_CHECKOV = {
    "CKV_AWS_23": (
        "every rule has a description; the shipped template's ingress rules are each inside an "
        "Fn::If (one per placement), which checkov cannot read"
    ),
}


@dataclass(frozen=True)
class ExtraEgress:
    """The console's extra egress rule of the tasks' group: at most one exists."""

    to_security_group: ec2.SecurityGroupEgress  # only with ExtraEgressSecurityGroupId
    to_cidr: ec2.SecurityGroupEgress  # only with ExtraEgressCidr


@dataclass(frozen=True)
class LoadBalancerGroup:
    """The security group of a load balancer of the service's own, and its rules."""

    group: ec2.SecurityGroup
    http_ingress: ec2.SecurityGroupIngress  # only when port 80 is open
    https_ingress: ec2.SecurityGroupIngress  # only with a certificate


@dataclass(frozen=True)
class SecurityGroups:
    load_balancer: LoadBalancerGroup | None  # with a load balancer of its own
    tasks: ec2.SecurityGroup
    load_balancer_to_tasks: ec2.SecurityGroupEgress | None  # with a load balancer of its own
    extra_egress: ExtraEgress


def egress_rule(rule: EgressRule) -> ec2.SecurityGroupRule:
    """One inline egress rule of the tasks' group; its description names the destination
    unless the rule has its own."""
    if rule.security_group is not None:
        destination = {"DestinationSecurityGroupId": rule.security_group}
        where = f"security group {rule.security_group}"
    elif rule.prefix_list is not None:
        destination = {"DestinationPrefixListId": rule.prefix_list}
        where = f"prefix list {rule.prefix_list}"
    else:
        assert rule.cidr is not None  # EgressRule holds exactly one destination
        destination = {"CidrIp": rule.cidr}
        where = rule.cidr
    ports = str(rule.port) if rule.last_port == rule.port else f"{rule.port}-{rule.last_port}"
    return ec2.SecurityGroupRule(
        IpProtocol=rule.protocol,
        FromPort=rule.port,
        ToPort=rule.last_port,
        Description=rule.description or f"{rule.protocol.upper()} {ports} to {where}",
        **destination,
    )


def add_security_groups(
    t: Template,
    placement: Placement,
    egress: Sequence[EgressRule] = (),
    health_check_port: int | None = None,
) -> SecurityGroups:
    """The tasks' group (HTTPS out, then ``egress``, the application's rules; in from what the
    placement says, and the health check port of its own from the load balancer), and the
    group of a load balancer of its own."""
    load_balancer = _add_load_balancer_group(t, placement)
    tasks = t.add_resource(
        ec2.SecurityGroup(
            TASK_SECURITY_GROUP,
            # GroupDescription cannot change without replacing the group (and a database's
            # rule that admits it would stop matching): a service with a load balancer of its
            # own keeps the description it always had, and a service of an environment has one
            # that does not depend on how it is exposed, so changing that keeps the group.
            GroupDescription=pick(
                placement.standalone,
                "Fargate tasks: the container port from the load balancer only",
                "Fargate tasks of a service of an environment: inbound traffic as its rules say",
            ),
            VpcId=Ref(VPC_ID),
            # HTTPS first, then the application's rules in the order given.
            SecurityGroupEgress=[egress_rule(rule) for rule in (TASKS_HTTPS_EGRESS, *egress)],
            Tags=name_tag("tasks"),
        )
    )
    ingress = _task_ingress(placement, load_balancer, health_check_port)
    if ingress:
        tasks.SecurityGroupIngress = ingress
    if placement.deploy_time:
        suppress(tasks, checkov=TASK_GROUP_CHECKOV)
    to_tasks = None
    if load_balancer is not None:
        to_tasks = _add_load_balancer_to_tasks(t, placement, load_balancer.group, tasks)
        if health_check_port is not None:
            _add_load_balancer_to_health_check(
                t, placement, load_balancer.group, tasks, health_check_port
            )
    return SecurityGroups(
        load_balancer=load_balancer,
        tasks=tasks,
        load_balancer_to_tasks=to_tasks,
        extra_egress=add_extra_egress(t, tasks),
    )


def _container_port_from(
    source: object, description: str, port: object = None
) -> ec2.SecurityGroupRule:
    port = Ref(CONTAINER_PORT) if port is None else port
    return ec2.SecurityGroupRule(
        SourceSecurityGroupId=source,
        IpProtocol="tcp",
        FromPort=port,
        ToPort=port,
        Description=description,
    )


def _task_ingress(
    placement: Placement,
    load_balancer: LoadBalancerGroup | None,
    health_check_port: int | None = None,
) -> list[Any]:
    """The container port from the load balancer (its own, or the environment's), or from the
    environment's services (internal); nothing for a worker. In the shipped template one item
    per placement, each under its condition (at most one holds), so a policy reads each. A
    health check port of its own is admitted from the same load balancer."""
    if not placement.listens:
        return []
    from_load_balancer = "Container port from the load balancer"
    health: list[tuple[Switch, Any]] = []
    if health_check_port is not None:
        why = "Health check port from the load balancer"
        health = [
            (
                placement.standalone,
                _container_port_from(Ref(load_balancer.group), why, health_check_port)
                if load_balancer is not None
                else None,
            ),
            (
                placement.listener_rule,
                _container_port_from(Ref(LOAD_BALANCER_SECURITY_GROUP_ID), why, health_check_port),
            ),
        ]
    rules: list[tuple[Switch, Any]] = [
        (
            placement.standalone,
            _container_port_from(Ref(load_balancer.group), from_load_balancer)
            if load_balancer is not None
            else None,
        ),
        (
            placement.listener_rule,
            _container_port_from(Ref(LOAD_BALANCER_SECURITY_GROUP_ID), from_load_balancer),
        ),
        (
            placement.serves,
            _container_port_from(
                Ref(ENVIRONMENT_SECURITY_GROUP_ID),
                "Container port from the services of the environment",
            ),
        ),
        *health,
    ]
    return [pick(switch, rule, NoValue) for switch, rule in rules if exists(switch)]


def _add_load_balancer_group(t: Template, placement: Placement) -> LoadBalancerGroup | None:
    if not exists(placement.standalone):
        return None
    group = t.add_resource(
        ec2.SecurityGroup(
            LOAD_BALANCER_SECURITY_GROUP,
            GroupDescription="Load balancer: listener ports from the allowed clients only",
            VpcId=Ref(VPC_ID),
            SecurityGroupEgress=[no_egress_rule()],
            Tags=name_tag("load-balancer"),
            **when(placement.standalone),
        )
    )
    http_ingress = t.add_resource(
        ec2.SecurityGroupIngress(
            LOAD_BALANCER_HTTP_INGRESS,
            Condition=HTTP_LISTENER_PORT_OPEN,
            GroupId=Ref(group),
            CidrIp=Ref(ALLOWED_INGRESS_CIDR),
            IpProtocol="tcp",
            FromPort=HTTP_PORT,
            ToPort=HTTP_PORT,
            Description=If(
                HAS_CERTIFICATE,
                "HTTP from allowed clients, redirected to HTTPS",
                "HTTP/TCP from allowed clients",
            ),
        )
    )
    https_ingress = t.add_resource(
        ec2.SecurityGroupIngress(
            LOAD_BALANCER_HTTPS_INGRESS,
            Condition=HAS_CERTIFICATE,
            GroupId=Ref(group),
            CidrIp=Ref(ALLOWED_INGRESS_CIDR),
            IpProtocol="tcp",
            FromPort=HTTPS_PORT,
            ToPort=HTTPS_PORT,
            Description="HTTPS/TLS from allowed clients",
        )
    )
    return LoadBalancerGroup(
        group=group,
        http_ingress=suppress(http_ingress, checkov=HTTP_INGRESS_CHECKOV),
        https_ingress=https_ingress,
    )


def _add_load_balancer_to_tasks(
    t: Template, placement: Placement, group: ec2.SecurityGroup, tasks: ec2.SecurityGroup
) -> ec2.SecurityGroupEgress:
    # A separate resource: inline, the two groups would reference each other in a cycle.
    return t.add_resource(
        ec2.SecurityGroupEgress(
            LOAD_BALANCER_EGRESS_TO_TASKS,
            GroupId=Ref(group),
            DestinationSecurityGroupId=Ref(tasks),
            IpProtocol="tcp",
            FromPort=Ref(CONTAINER_PORT),
            ToPort=Ref(CONTAINER_PORT),
            Description="Container port of the tasks",
            **when(placement.standalone),
        )
    )


def add_extra_egress(t: Template, task_group: ec2.SecurityGroup) -> ExtraEgress:
    """TCP ExtraEgressPort from the tasks to the security group or the CIDR given. Resources of
    their own rather than inline rules: an inline rule cannot be left out by a condition."""
    common = {
        "GroupId": Ref(task_group),
        "IpProtocol": "tcp",
        "FromPort": Ref(EXTRA_EGRESS_PORT),
        "ToPort": Ref(EXTRA_EGRESS_PORT),
    }
    to_security_group = t.add_resource(
        ec2.SecurityGroupEgress(
            TASK_EXTRA_EGRESS_TO_SECURITY_GROUP,
            Condition=EXTRA_EGRESS_TO_SECURITY_GROUP,
            DestinationSecurityGroupId=Ref(EXTRA_EGRESS_SECURITY_GROUP_ID),
            Description=Sub(
                f"TCP ${{{EXTRA_EGRESS_PORT}}} to security group "
                f"${{{EXTRA_EGRESS_SECURITY_GROUP_ID}}}"
            ),
            **common,
        )
    )
    to_cidr = t.add_resource(
        ec2.SecurityGroupEgress(
            TASK_EXTRA_EGRESS_TO_CIDR,
            Condition=EXTRA_EGRESS_TO_CIDR,
            CidrIp=Ref(EXTRA_EGRESS_CIDR),
            Description=Sub(f"TCP ${{{EXTRA_EGRESS_PORT}}} to ${{{EXTRA_EGRESS_CIDR}}}"),
            **common,
        )
    )
    return ExtraEgress(to_security_group=to_security_group, to_cidr=to_cidr)


def _add_load_balancer_to_health_check(
    t: Template,
    placement: Placement,
    group: ec2.SecurityGroup,
    tasks: ec2.SecurityGroup,
    port: int,
) -> ec2.SecurityGroupEgress:
    """The load balancer of the service's own may reach the tasks' health check port too."""
    return t.add_resource(
        ec2.SecurityGroupEgress(
            LOAD_BALANCER_EGRESS_TO_HEALTH_CHECK,
            GroupId=Ref(group),
            DestinationSecurityGroupId=Ref(tasks),
            IpProtocol="tcp",
            FromPort=port,
            ToPort=port,
            Description="Health check port of the tasks",
            **when(placement.standalone),
        )
    )
