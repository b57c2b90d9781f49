"""Security groups: the load balancer takes its listener ports from ``AllowedIngressCidr`` and
sends only to the tasks' container port; the tasks take that port from the load balancer only
and send only HTTPS."""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import If, Ref, Template, ec2

from ..blocks import name_tag, no_egress_rule, suppress
from .load_balancer import HTTP_PORT, HTTPS_PORT
from .names import (
    ALLOWED_INGRESS_CIDR,
    CONTAINER_PORT,
    HAS_CERTIFICATE,
    HTTP_LISTENER_PORT_OPEN,
    LOAD_BALANCER_EGRESS_TO_TASKS,
    LOAD_BALANCER_HTTP_INGRESS,
    LOAD_BALANCER_HTTPS_INGRESS,
    LOAD_BALANCER_SECURITY_GROUP,
    TASK_SECURITY_GROUP,
    VPC_ID,
)

# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
HTTP_INGRESS_CHECKOV = {
    "CKV_AWS_260": (
        "an internet-facing load balancer takes port 80 from AllowedIngressCidr (everyone by "
        "default) by design; with a certificate port 80 only redirects to HTTPS"
    ),
}


@dataclass(frozen=True)
class SecurityGroups:
    load_balancer: ec2.SecurityGroup
    http_ingress: ec2.SecurityGroupIngress  # only when port 80 is open
    https_ingress: ec2.SecurityGroupIngress  # only with a certificate
    tasks: ec2.SecurityGroup
    load_balancer_to_tasks: ec2.SecurityGroupEgress


def add_security_groups(t: Template) -> SecurityGroups:
    load_balancer_group = t.add_resource(
        ec2.SecurityGroup(
            LOAD_BALANCER_SECURITY_GROUP,
            GroupDescription="Load balancer: listener ports from the allowed clients only",
            VpcId=Ref(VPC_ID),
            SecurityGroupEgress=[no_egress_rule()],
            Tags=name_tag("load-balancer"),
        )
    )
    http_ingress = t.add_resource(
        ec2.SecurityGroupIngress(
            LOAD_BALANCER_HTTP_INGRESS,
            Condition=HTTP_LISTENER_PORT_OPEN,
            GroupId=Ref(load_balancer_group),
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
            GroupId=Ref(load_balancer_group),
            CidrIp=Ref(ALLOWED_INGRESS_CIDR),
            IpProtocol="tcp",
            FromPort=HTTPS_PORT,
            ToPort=HTTPS_PORT,
            Description="HTTPS/TLS from allowed clients",
        )
    )
    task_group = t.add_resource(
        ec2.SecurityGroup(
            TASK_SECURITY_GROUP,
            GroupDescription="Fargate tasks: the container port from the load balancer only",
            VpcId=Ref(VPC_ID),
            SecurityGroupIngress=[
                ec2.SecurityGroupRule(
                    SourceSecurityGroupId=Ref(load_balancer_group),
                    IpProtocol="tcp",
                    FromPort=Ref(CONTAINER_PORT),
                    ToPort=Ref(CONTAINER_PORT),
                    Description="Container port from the load balancer",
                )
            ],
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(
                    CidrIp="0.0.0.0/0",
                    IpProtocol="tcp",
                    FromPort=HTTPS_PORT,
                    ToPort=HTTPS_PORT,
                    Description="HTTPS to ECR, S3, CloudWatch Logs and other AWS APIs",
                )
            ],
            Tags=name_tag("tasks"),
        )
    )
    # A separate resource: inline, the two groups would reference each other in a cycle.
    egress_to_tasks = t.add_resource(
        ec2.SecurityGroupEgress(
            LOAD_BALANCER_EGRESS_TO_TASKS,
            GroupId=Ref(load_balancer_group),
            DestinationSecurityGroupId=Ref(task_group),
            IpProtocol="tcp",
            FromPort=Ref(CONTAINER_PORT),
            ToPort=Ref(CONTAINER_PORT),
            Description="Container port of the tasks",
        )
    )
    return SecurityGroups(
        load_balancer=load_balancer_group,
        http_ingress=suppress(http_ingress, checkov=HTTP_INGRESS_CHECKOV),
        https_ingress=https_ingress,
        tasks=task_group,
        load_balancer_to_tasks=egress_to_tasks,
    )
