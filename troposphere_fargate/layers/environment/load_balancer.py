"""The shared internet-facing application load balancer, its security groups and its listeners.

Two security groups, neither of which grows with the number of services:

- the load balancer's admits its listener ports from ``AllowedIngressCidr`` and sends only to
  members of the environment's group (one rule);
- the environment's group is the membership every service's tasks hold: members may call
  members (one rule). Each service's own group then admits exactly what its exposure needs (its
  container port from the load balancer's group, or from the environment's), so what a task
  takes is the intersection: a port it opened, from a source it named.

Port 80 listens unless ``HttpsOnly`` closes it (which needs a certificate): it answers 404 to
what no service routes, or redirects to HTTPS when the environment has a certificate. Port 443
listens with a certificate and answers 404 to what no service routes. Services add their
listener rules to the ``ListenerArn`` output's listener.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import If, Ref, Template, ec2, s3
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import TRUE, name_tag, no_egress_rule, suppress
from ..config import EnvironmentConfig
from ..service.load_balancer import (
    HTTP_LISTENER_CHECKOV,
    HTTP_PORT,
    HTTPS_PORT,
    LOAD_BALANCER_SUPPRESSIONS,
    strict_transport_security,
)
from ..service.security_groups import HTTP_INGRESS_CHECKOV
from .names import (
    ALLOWED_INGRESS_CIDR,
    CERTIFICATE,
    CERTIFICATE_ARN,
    CREATES_CERTIFICATE,
    DELETION_PROTECTION,
    ENVIRONMENT_SECURITY_GROUP,
    HAS_HTTPS,
    HAS_STRICT_TRANSPORT_SECURITY,
    HTTP_LISTENER,
    HTTP_PORT_OPEN,
    HTTPS_LISTENER,
    LOAD_BALANCER,
    LOAD_BALANCER_EGRESS_TO_SERVICES,
    LOAD_BALANCER_HTTP_INGRESS,
    LOAD_BALANCER_HTTPS_INGRESS,
    LOAD_BALANCER_SECURITY_GROUP,
    PUBLIC_SUBNET_IDS,
    SERVICE_TO_SERVICE_EGRESS,
    STRICT_TRANSPORT_SECURITY_MAX_AGE,
    VPC_ID,
)

# What the listeners answer for a request no service's rule matches.
NOT_FOUND = elb.FixedResponseConfig(
    StatusCode="404", ContentType="text/plain", MessageBody="Not found"
)
# Every TCP port: the services' own groups say which port each takes.
ALL_PORTS = (0, 65535)

# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
# No checkov skip on the load balancer nor on the HTTPS listener: unlike a service's, they set
# access_logs.s3.enabled, the HTTPS protocol and the TLS policy without an Fn::If, which checkov
# reads and passes (CKV_AWS_91, CKV_AWS_2, CKV_AWS_103); a skip there would hide a regression.
ENVIRONMENT_HTTP_LISTENER_SUPPRESSIONS = {
    "alb_http_to_https_redirection_check": (
        "port 80 redirects to HTTPS whenever the environment has a certificate (DomainName or "
        "CertificateArn); without one it is the only listener and answers 404 to what no "
        "service routes; guard cannot evaluate the Fn::If"
    ),
}
ENVIRONMENT_HTTPS_LISTENER_SUPPRESSIONS = {
    "elbv2_acm_certificate_required_check": (
        "the certificate is the ACM certificate the stack makes for DomainName, or "
        "CertificateArn's; guard cannot evaluate the Fn::If between them"
    ),
}
ENVIRONMENT_HTTP_LISTENER_CHECKOV = {
    "CKV_AWS_2": (
        "port 80 answers plain HTTP only when the environment has no certificate (no "
        "DomainName, no CertificateArn); with one it only redirects to HTTPS"
    ),
    "CKV_AWS_103": HTTP_LISTENER_CHECKOV["CKV_AWS_103"],
}


# EC2 refuses an apostrophe in a rule's description (troposphere_fargate.cfn.limits.EC2_TEXT).
_TO_OTHER_SERVICES = (
    "To the other services of the environment (each admits its own container port only)"
)


@dataclass(frozen=True)
class SecurityGroups:
    load_balancer: ec2.SecurityGroup | None  # None: the environment has no load balancer
    environment: ec2.SecurityGroup  # what every service's tasks are members of


def add_security_groups(t: Template, public: bool = True) -> SecurityGroups:
    """The environment's group, and with ``public`` services the load balancer's."""
    if not public:
        environment_group = _add_environment_group(t)
        _add_egress_to_services(
            t,
            SERVICE_TO_SERVICE_EGRESS,
            environment_group,
            environment_group,
            _TO_OTHER_SERVICES,
        )
        return SecurityGroups(load_balancer=None, environment=environment_group)
    load_balancer_group = t.add_resource(
        ec2.SecurityGroup(
            LOAD_BALANCER_SECURITY_GROUP,
            GroupDescription="Shared load balancer: listener ports from the allowed clients only",
            VpcId=Ref(VPC_ID),
            SecurityGroupEgress=[no_egress_rule()],
            Tags=name_tag("load-balancer"),
        )
    )
    environment_group = _add_environment_group(t)
    http = t.add_resource(
        ec2.SecurityGroupIngress(
            LOAD_BALANCER_HTTP_INGRESS,
            Condition=HTTP_PORT_OPEN,
            GroupId=Ref(load_balancer_group),
            CidrIp=Ref(ALLOWED_INGRESS_CIDR),
            IpProtocol="tcp",
            FromPort=HTTP_PORT,
            ToPort=HTTP_PORT,
            Description=If(
                HAS_HTTPS,
                "HTTP from allowed clients, redirected to HTTPS",
                "HTTP from allowed clients",
            ),
        )
    )
    suppress(http, checkov=HTTP_INGRESS_CHECKOV)
    t.add_resource(
        ec2.SecurityGroupIngress(
            LOAD_BALANCER_HTTPS_INGRESS,
            Condition=HAS_HTTPS,
            GroupId=Ref(load_balancer_group),
            CidrIp=Ref(ALLOWED_INGRESS_CIDR),
            IpProtocol="tcp",
            FromPort=HTTPS_PORT,
            ToPort=HTTPS_PORT,
            Description="HTTPS from allowed clients",
        )
    )
    # Separate resources: inline, the groups would refer to each other (or themselves).
    for title, group, description in (
        (
            LOAD_BALANCER_EGRESS_TO_SERVICES,
            load_balancer_group,
            "To the services of the environment (each admits its own container port only)",
        ),
        (
            SERVICE_TO_SERVICE_EGRESS,
            environment_group,
            _TO_OTHER_SERVICES,
        ),
    ):
        _add_egress_to_services(t, title, group, environment_group, description)
    return SecurityGroups(load_balancer=load_balancer_group, environment=environment_group)


def _add_environment_group(t: Template) -> ec2.SecurityGroup:
    return t.add_resource(
        ec2.SecurityGroup(
            ENVIRONMENT_SECURITY_GROUP,
            GroupDescription=(
                "Tasks of the services of the environment: they call each other through it, and "
                "the own group of each service admits what it serves"
            ),
            VpcId=Ref(VPC_ID),
            SecurityGroupEgress=[no_egress_rule()],
            Tags=name_tag("services"),
        )
    )


def _add_egress_to_services(
    t: Template,
    title: str,
    group: ec2.SecurityGroup,
    environment_group: ec2.SecurityGroup,
    description: str,
) -> None:
    # Separate resources: inline, the groups would refer to each other (or themselves).
    t.add_resource(
        ec2.SecurityGroupEgress(
            title,
            GroupId=Ref(group),
            DestinationSecurityGroupId=Ref(environment_group),
            IpProtocol="tcp",
            FromPort=ALL_PORTS[0],
            ToPort=ALL_PORTS[1],
            Description=description,
        )
    )


def add_load_balancer(
    t: Template,
    security_group: ec2.SecurityGroup,
    access_logs_bucket: s3.Bucket,
    access_logs_bucket_policy: s3.BucketPolicy,
) -> elb.LoadBalancer:
    load_balancer = t.add_resource(
        elb.LoadBalancer(
            LOAD_BALANCER,
            # The bucket must admit log delivery before the load balancer turns access logs on.
            DependsOn=[access_logs_bucket_policy.title],
            Type="application",
            Scheme="internet-facing",
            Subnets=Ref(PUBLIC_SUBNET_IDS),
            SecurityGroups=[Ref(security_group)],
            LoadBalancerAttributes=[
                elb.LoadBalancerAttributes(
                    Key="deletion_protection.enabled", Value=Ref(DELETION_PROTECTION)
                ),
                elb.LoadBalancerAttributes(Key="access_logs.s3.enabled", Value=TRUE),
                elb.LoadBalancerAttributes(
                    Key="access_logs.s3.bucket", Value=Ref(access_logs_bucket)
                ),
                elb.LoadBalancerAttributes(
                    Key="routing.http.drop_invalid_header_fields.enabled", Value=TRUE
                ),
                elb.LoadBalancerAttributes(
                    Key="routing.http.desync_mitigation_mode", Value="defensive"
                ),
            ],
            Tags=name_tag("load-balancer"),
        )
    )
    return suppress(load_balancer, guard=LOAD_BALANCER_SUPPRESSIONS)


@dataclass(frozen=True)
class Listeners:
    http: elb.Listener  # port 80, unless HttpsOnly closes it (with a certificate)
    https: elb.Listener  # port 443, with a certificate


def add_listeners(
    t: Template, config: EnvironmentConfig, load_balancer: elb.LoadBalancer
) -> Listeners:
    """One listener per port, so giving or removing a certificate creates or deletes the HTTPS
    listener instead of moving one onto a port another still holds."""
    not_found = elb.Action(Type="fixed-response", FixedResponseConfig=NOT_FOUND)
    http = t.add_resource(
        elb.Listener(
            HTTP_LISTENER,
            Condition=HTTP_PORT_OPEN,
            LoadBalancerArn=Ref(load_balancer),
            Port=HTTP_PORT,
            Protocol="HTTP",
            DefaultActions=[
                If(
                    HAS_HTTPS,
                    elb.Action(
                        Type="redirect",
                        RedirectConfig=elb.RedirectConfig(
                            Protocol="HTTPS", Port=str(HTTPS_PORT), StatusCode="HTTP_301"
                        ),
                    ),
                    not_found,
                )
            ],
        )
    )
    https = t.add_resource(
        elb.Listener(
            HTTPS_LISTENER,
            Condition=HAS_HTTPS,
            LoadBalancerArn=Ref(load_balancer),
            Port=HTTPS_PORT,
            Protocol="HTTPS",
            Certificates=[
                elb.Certificate(
                    CertificateArn=If(CREATES_CERTIFICATE, Ref(CERTIFICATE), Ref(CERTIFICATE_ARN))
                )
            ],
            SslPolicy=config.tls_policy,
            ListenerAttributes=strict_transport_security(
                HAS_STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY_MAX_AGE
            ),
            DefaultActions=[not_found],
        )
    )
    return Listeners(
        http=suppress(
            http,
            guard=ENVIRONMENT_HTTP_LISTENER_SUPPRESSIONS,
            checkov=ENVIRONMENT_HTTP_LISTENER_CHECKOV,
        ),
        https=suppress(https, guard=ENVIRONMENT_HTTPS_LISTENER_SUPPRESSIONS),
    )
