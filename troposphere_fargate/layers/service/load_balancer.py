"""The internet-facing load balancer (application or network), its target group, its listeners
(one per port) and ``ListenersReady``, the one unconditional thing the service waits for. The load
balancer and the target group are one resource each whatever the type and certificate, their
properties switched by conditions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from troposphere import (
    AWSObject,
    Equals,
    GetAtt,
    If,
    Join,
    NoValue,
    Ref,
    Select,
    Split,
    Sub,
    Template,
    cloudformation,
    ec2,
    s3,
    wafv2,
)
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import TRUE, name_tag, suppress
from ..config import ServiceConfig
from ..deployment import ROLLING
from .names import (
    CERTIFICATE_ARN,
    CONTAINER_PORT,
    DELETION_PROTECTION,
    DEPLOYMENT_STRATEGY,
    DEREGISTRATION_DELAY,
    HAS_CERTIFICATE,
    HAS_HEALTH_CHECK_TIMEOUT,
    HAS_LISTENER_RULE_HOST,
    HAS_LISTENER_RULE_PATH,
    HAS_STRICT_TRANSPORT_SECURITY,
    HAS_WEB_ACL,
    HEALTH_CHECK_INTERVAL,
    HEALTH_CHECK_PATH,
    HEALTH_CHECK_SUCCESS_CODES,
    HEALTH_CHECK_TIMEOUT,
    HEALTHY_THRESHOLD,
    HTTP_LISTENER,
    HTTP_LISTENER_PORT_OPEN,
    HTTPS_LISTENER,
    IS_APPLICATION,
    LISTENER_ARN,
    LISTENER_RULE,
    LISTENER_RULE_HOST,
    LISTENER_RULE_PATH,
    LISTENER_RULE_PRIORITY,
    LISTENERS_READY,
    LOAD_BALANCER,
    LOAD_BALANCER_TYPE,
    PUBLIC_SUBNET_IDS,
    SEVERAL_RULES_NEED_ROLLING,
    SHIFTS_TRAFFIC,
    STRICT_TRANSPORT_SECURITY_MAX_AGE,
    TARGET_GROUP,
    UNHEALTHY_THRESHOLD,
    VPC_ID,
    WEB_ACL_ARN,
    WEB_ACL_ASSOCIATION,
    listener_rule_title,
)
from .placement import Placement, exists, pick, when

HTTP_PORT = 80
HTTPS_PORT = 443
# "Informs browsers that the site should only be accessed using HTTPS" (ListenerAttribute,
# Elastic Load Balancing API Reference): an application load balancer's listener adds the
# header to every response, and replaces a target's own ("HTTP header modification for your
# Application Load Balancer", Add response headers).
STRICT_TRANSPORT_SECURITY_ATTRIBUTE = "routing.http.response.strict_transport_security.header_value"


def strict_transport_security(condition: str, max_age: str) -> Any:
    """An HTTPS listener's ``ListenerAttributes``: ``Strict-Transport-Security:
    max-age=<max_age parameter>`` under ``condition``, else none."""
    return If(
        condition,
        [
            elb.ListenerAttribute(
                Key=STRICT_TRANSPORT_SECURITY_ATTRIBUTE, Value=Sub(f"max-age=${{{max_age}}}")
            )
        ],
        NoValue,
    )


def _all_to_the_first(
    target_group: elb.TargetGroup, alternate: elb.TargetGroup
) -> elb.ForwardConfig:
    return elb.ForwardConfig(
        TargetGroups=[
            elb.TargetGroupTuple(TargetGroupArn=Ref(target_group), Weight=100),
            elb.TargetGroupTuple(TargetGroupArn=Ref(alternate), Weight=0),
        ]
    )


def weighted_forward(
    target_group: elb.TargetGroup, alternate: elb.TargetGroup
) -> elb.ListenerRuleAction:
    """Forward all traffic to ``target_group`` and none to ``alternate``: the form ECS shifts
    weights in (a traffic-shifting deployment rewrites the weights; the template only sets the
    first ones)."""
    return elb.ListenerRuleAction(
        Type="forward", ForwardConfig=_all_to_the_first(target_group, alternate)
    )


def production_forward(target_group: elb.TargetGroup, alternate: elb.TargetGroup) -> Any:
    """A production listener's forward: to ``target_group``, and on a network load balancer
    under a traffic-shifting strategy, where the listener itself is the production "rule" ECS
    shifts, to both target groups as :func:`weighted_forward` (100 and 0). ECS needs both target
    groups associated with the production or the test listener ("Target group ... is not
    associated with either productionListenerRule or testListenerRule", ECS Developer Guide,
    troubleshooting-blue-green.html), and a network load balancer's listener forwards to
    several target groups by weight since November 2025 ("Network Load Balancers now support
    Weighted Target Groups", AWS Networking & Content Delivery blog). On an application load
    balancer the listener keeps its plain forward: ``ProductionListenerRule`` on it shifts."""
    forward = elb.Action(Type="forward", TargetGroupArn=Ref(target_group))
    weighted = elb.Action(Type="forward", ForwardConfig=_all_to_the_first(target_group, alternate))
    return If(SHIFTS_TRAFFIC, If(IS_APPLICATION, forward, weighted), forward)


# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
LOAD_BALANCER_SUPPRESSIONS = {
    "elbv2_deletion_protection_enabled_check": (
        "deletion protection is the DeletionProtection parameter, true by default; guard cannot "
        "read parameter values"
    ),
}
LOAD_BALANCER_CHECKOV = {
    "CKV_AWS_91": (
        "access logs are on for both types (a network load balancer writes them for its TLS "
        "listener only, so with a certificate); checkov cannot read attributes in an Fn::If"
    ),
    "CKV_AWS_131": (
        "an application load balancer drops invalid header fields; checkov cannot read "
        "attributes in an Fn::If (a network load balancer has no such attribute)"
    ),
}
HTTP_LISTENER_CHECKOV = {
    "CKV_AWS_2": (
        "port 80 serves plain HTTP only when no certificate is given (CertificateArn empty); "
        "with one it only redirects to HTTPS"
    ),
    "CKV_AWS_103": "as CKV_AWS_2: without a certificate there is no TLS to configure",
}
HTTPS_LISTENER_CHECKOV = {
    "CKV_AWS_2": "the protocol is HTTPS (or TLS on a network load balancer), set by an Fn::If",
    "CKV_AWS_103": (
        "the policy is an ELB TLS 1.3 policy that refuses TLS 1.0 and 1.1 (TLS13-1-2-* or "
        "TLS13-1-3-*; the build refuses any other)"
    ),
}


def add_load_balancer(
    t: Template,
    placement: Placement,
    security_group: ec2.SecurityGroup,
    access_logs_bucket: s3.Bucket,
    access_logs_bucket_policy: s3.BucketPolicy,
) -> elb.LoadBalancer:
    """The service's own load balancer (only while it has one: ``placement.standalone``)."""
    common_attributes = [
        elb.LoadBalancerAttributes(
            Key="deletion_protection.enabled", Value=Ref(DELETION_PROTECTION)
        ),
        elb.LoadBalancerAttributes(Key="access_logs.s3.enabled", Value=TRUE),
        elb.LoadBalancerAttributes(Key="access_logs.s3.bucket", Value=Ref(access_logs_bucket)),
    ]
    application_attributes = [
        elb.LoadBalancerAttributes(
            Key="routing.http.drop_invalid_header_fields.enabled", Value=TRUE
        ),
        elb.LoadBalancerAttributes(Key="routing.http.desync_mitigation_mode", Value="defensive"),
    ]
    network_attributes = [
        elb.LoadBalancerAttributes(Key="load_balancing.cross_zone.enabled", Value=TRUE),
    ]
    load_balancer = t.add_resource(
        elb.LoadBalancer(
            LOAD_BALANCER,
            # The bucket must admit log delivery before the load balancer turns access logs on.
            DependsOn=[access_logs_bucket_policy.title],
            Type=Ref(LOAD_BALANCER_TYPE),
            Scheme="internet-facing",
            Subnets=Ref(PUBLIC_SUBNET_IDS),
            SecurityGroups=[Ref(security_group)],
            LoadBalancerAttributes=If(
                IS_APPLICATION,
                common_attributes + application_attributes,
                common_attributes + network_attributes,
            ),
            Tags=name_tag("load-balancer"),
            **when(placement.standalone),
        )
    )
    add_web_acl_association(t, load_balancer)
    return suppress(load_balancer, guard=LOAD_BALANCER_SUPPRESSIONS, checkov=LOAD_BALANCER_CHECKOV)


def add_web_acl_association(
    t: Template, load_balancer: elb.LoadBalancer
) -> wafv2.WebACLAssociation:
    """The web ACL ``WebAclArn`` names, in front of the load balancer, under ``HasWebAcl``: a
    service's own application load balancer, or an environment's shared one."""
    return t.add_resource(
        wafv2.WebACLAssociation(
            WEB_ACL_ASSOCIATION,
            Condition=HAS_WEB_ACL,
            ResourceArn=Ref(load_balancer),
            WebACLArn=Ref(WEB_ACL_ARN),
        )
    )


def add_target_group(
    t: Template,
    config: ServiceConfig,
    placement: Placement,
    *,
    title: str = TARGET_GROUP,
    condition: str | None = None,
) -> elb.TargetGroup:
    """The tasks' target group: of the service's own load balancer, or of the environment's
    (only with load balancer traffic: ``placement.target_group``), checking the container port
    or the health check port of its own (``config.target_health.port``). The alternate target
    group of a traffic-shifting strategy is its twin (``title``, under ``condition``)."""
    port = config.target_health.port
    checked = {"HealthCheckPort": str(port)} if port is not None else {}
    target_group = t.add_resource(
        elb.TargetGroup(
            title,
            VpcId=Ref(VPC_ID),
            TargetType="ip",
            Port=Ref(CONTAINER_PORT),
            # An environment's load balancer is an application one (the shipped template's
            # rules keep LoadBalancerType so when it joins one).
            Protocol=If(IS_APPLICATION, "HTTP", "TCP") if exists(placement.standalone) else "HTTP",
            # Both types check health over HTTP, so a task that accepts TCP but fails its
            # health endpoint is taken out of service behind an NLB too.
            HealthCheckProtocol="HTTP",
            HealthCheckPath=Ref(HEALTH_CHECK_PATH),
            HealthCheckIntervalSeconds=Ref(HEALTH_CHECK_INTERVAL),
            HealthCheckTimeoutSeconds=If(
                HAS_HEALTH_CHECK_TIMEOUT, Ref(HEALTH_CHECK_TIMEOUT), NoValue
            ),
            HealthyThresholdCount=Ref(HEALTHY_THRESHOLD),
            UnhealthyThresholdCount=Ref(UNHEALTHY_THRESHOLD),
            Matcher=elb.Matcher(HttpCode=Ref(HEALTH_CHECK_SUCCESS_CODES)),
            **checked,
            TargetGroupAttributes=[
                elb.TargetGroupAttribute(
                    Key="deregistration_delay.timeout_seconds", Value=Ref(DEREGISTRATION_DELAY)
                )
            ],
            Tags=name_tag("tasks" if title == TARGET_GROUP else "tasks-alternate"),
            **when(placement.target_group),
        )
    )
    if condition is not None:
        target_group.Condition = condition
    return target_group


def rule_condition(field: str, *values: object) -> elb.Condition:
    """A ``path-pattern`` or ``host-header`` condition: a request matches one of ``values``."""
    if field == "path-pattern":
        return elb.Condition(
            Field=field, PathPatternConfig=elb.PathPatternConfig(Values=list(values))
        )
    return elb.Condition(Field=field, HostHeaderConfig=elb.HostHeaderConfig(Values=list(values)))


def add_listener_rules(
    t: Template,
    config: ServiceConfig,
    placement: Placement,
    target_group: elb.TargetGroup,
    alternate: elb.TargetGroup,
) -> tuple[elb.ListenerRule, ...]:
    """The rules on the environment's listener that forward what matches to the target group
    (only for a public service of an environment: ``placement.listener_rule``). A spec's service
    has its routing built in, one rule or several; the shipped one takes it from its
    ListenerRule* parameters. Under a traffic-shifting strategy the first forwards to both
    target groups, all to the first, and ECS moves the weights; a service of several rules
    deploys ROLLING only (``SeveralListenerRulesNeedRollingDeployments``)."""
    if config.routing is None:
        conditions: list[object] = [
            If(has, rule_condition(field, Ref(parameter)), NoValue)
            for has, field, parameter in (
                (HAS_LISTENER_RULE_PATH, "path-pattern", LISTENER_RULE_PATH),
                (HAS_LISTENER_RULE_HOST, "host-header", LISTENER_RULE_HOST),
            )
        ]
        return (
            _listener_rule(
                t,
                LISTENER_RULE,
                Ref(LISTENER_RULE_PRIORITY),
                conditions,
                placement,
                target_group,
                alternate,
            ),
        )
    rules = config.routing_rules
    if len(rules) > 1:
        _add_several_rules_rule(t, len(rules))
    return tuple(
        _listener_rule(
            t,
            listener_rule_title(number, routing.priority),
            routing.priority,
            [
                rule_condition(field, *values)
                for field, values in (
                    ("path-pattern", routing.paths),
                    ("host-header", routing.hosts),
                )
                if values
            ],
            placement,
            target_group,
            alternate if len(rules) == 1 else None,
        )
        for number, routing in enumerate(rules)
    )


def _listener_rule(
    t: Template,
    title: str,
    priority: object,
    conditions: list[object],
    placement: Placement,
    target_group: elb.TargetGroup,
    alternate: elb.TargetGroup | None,
) -> elb.ListenerRule:
    """One rule; with an ``alternate`` target group, ready for a traffic-shifting strategy."""
    forward = elb.ListenerRuleAction(Type="forward", TargetGroupArn=Ref(target_group))
    return t.add_resource(
        elb.ListenerRule(
            title,
            ListenerArn=Ref(LISTENER_ARN),
            Priority=priority,
            Conditions=conditions,
            Actions=[
                If(SHIFTS_TRAFFIC, weighted_forward(target_group, alternate), forward)
                if alternate is not None
                else forward
            ],
            **when(placement.listener_rule),
        )
    )


def _add_several_rules_rule(t: Template, rules: int) -> str:
    """A service of several listener rules deploys ROLLING. ECS's blue/green, canary and linear
    deployments shift the weights of one production listener rule
    (``AdvancedConfiguration.ProductionListenerRule``, ``AWS::ECS::Service``) and end with the
    tasks in the other target group, so the other rules would keep forwarding to a target
    group ECS empties."""
    t.add_rule(
        SEVERAL_RULES_NEED_ROLLING,
        {
            "Assertions": [
                {
                    "Assert": Equals(Ref(DEPLOYMENT_STRATEGY), ROLLING),
                    "AssertDescription": (
                        f"This service has {rules} listener rules, and a CANARY, LINEAR or "
                        "BLUE_GREEN deployment shifts the traffic of one: deploy ROLLING."
                    ),
                }
            ]
        },
    )
    return SEVERAL_RULES_NEED_ROLLING


@dataclass(frozen=True)
class Listeners:
    http: elb.Listener  # port 80, only when HTTP_LISTENER_PORT_OPEN
    https: elb.Listener  # port 443, only with a certificate


def add_listeners(
    t: Template,
    config: ServiceConfig,
    load_balancer: elb.LoadBalancer,
    target_group: elb.TargetGroup,
    alternate: elb.TargetGroup,
) -> Listeners:
    # One listener per port, so adding or removing a certificate creates or deletes a listener
    # instead of moving one onto a port another still holds. Either may be the production
    # listener of a traffic-shifting strategy on a network load balancer (production_forward).
    forward = production_forward(target_group, alternate)
    http = t.add_resource(
        elb.Listener(
            HTTP_LISTENER,
            Condition=HTTP_LISTENER_PORT_OPEN,
            LoadBalancerArn=Ref(load_balancer),
            Port=HTTP_PORT,
            Protocol=If(IS_APPLICATION, "HTTP", "TCP"),
            DefaultActions=[
                If(
                    HAS_CERTIFICATE,
                    elb.Action(
                        Type="redirect",
                        RedirectConfig=elb.RedirectConfig(
                            Protocol="HTTPS", Port=str(HTTPS_PORT), StatusCode="HTTP_301"
                        ),
                    ),
                    forward,
                )
            ],
        )
    )
    https = t.add_resource(
        elb.Listener(
            HTTPS_LISTENER,
            Condition=HAS_CERTIFICATE,
            LoadBalancerArn=Ref(load_balancer),
            Port=HTTPS_PORT,
            Protocol=If(IS_APPLICATION, "HTTPS", "TLS"),
            Certificates=[elb.Certificate(CertificateArn=Ref(CERTIFICATE_ARN))],
            SslPolicy=config.tls_policy,
            ListenerAttributes=strict_transport_security(
                HAS_STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY_MAX_AGE
            ),
            DefaultActions=[forward],
        )
    )
    return Listeners(
        http=suppress(http, checkov=HTTP_LISTENER_CHECKOV),
        https=suppress(https, checkov=HTTPS_LISTENER_CHECKOV),
    )


def add_ready(t: Template, waited: Sequence[AWSObject]) -> cloudformation.WaitConditionHandle:
    """What the service waits for: its listeners and listener rules. DependsOn cannot name a
    conditional resource, and a strategy's reference to the environment's rule, under a
    condition, would stand in for a DependsOn on it (cfn-lint's W3005); a wait condition handle
    that refers to whichever of them exist gives the service one unconditional thing to wait
    for."""
    return t.add_resource(
        cloudformation.WaitConditionHandle(
            LISTENERS_READY,
            Metadata={item.title: _where_it_exists(item) for item in waited},
        )
    )


def _where_it_exists(item: AWSObject) -> Any:
    condition = getattr(item, "Condition", None)
    return If(condition, Ref(item), "") if condition else Ref(item)


def load_balancer_full_name(placement: Placement, load_balancer: elb.LoadBalancer | None) -> Any:
    """``app/<name>/<id>`` (``net/...``) of the service's own load balancer, or of the
    environment's, read from its listener's ARN (``arn:...:listener/app/<name>/<id>/<id>``)."""
    own = GetAtt(load_balancer, "LoadBalancerFullName") if load_balancer is not None else None
    parts = Split("/", Ref(LISTENER_ARN))
    environment = (
        Join("/", [Select(1, parts), Select(2, parts), Select(3, parts)])
        if exists(placement.listener_rule)
        else None
    )
    return pick(placement.standalone, own, environment)
