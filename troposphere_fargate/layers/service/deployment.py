"""How a new revision of the service takes over: ECS's deployment strategy, and the load balancer
plumbing a traffic-shifting one needs (:mod:`troposphere_fargate.layers.deployment`).

Parameters (GROUP_DEPLOYMENT, only with load balancer traffic): ``DeploymentStrategy``,
``DeploymentBakeTimeMinutes``, ``CanaryPercent``, ``CanaryBakeTimeMinutes``,
``LinearStepPercent``, ``LinearStepBakeTimeMinutes``, and on a load balancer of its own
``TestListenerPort``.

Resources, only under ``ShiftsTraffic`` (a strategy other than ``ROLLING``, with a target group):

- ``AlternateTargetGroup``: the new revision's target group while traffic moves to it (ECS
  alternates the two from one deployment to the next).
- the production "listener rule" ECS moves the traffic on: on an application load balancer of
  its own, ``ProductionListenerRule`` (priority 1, every path, forward 100 to ``TargetGroup`` and
  0 to ``AlternateTargetGroup``) on the listener that serves (HTTPS with a certificate, else
  HTTP); on a network one, that listener itself, which then forwards to both target groups
  (``load_balancer.production_forward``); in an environment, the service's ``ListenerRule``,
  which then forwards to both target groups.
- with ``TestListenerPort``: ``TestListener`` on that port (and on an application load balancer
  its ``TestListenerRule``), which reaches the new revision before production traffic does, and
  ``LoadBalancerTestIngress`` from ``AllowedIngressCidr``.
- ``DeploymentRole``: the infrastructure role ECS moves the traffic with, allowed to register
  targets in exactly the two target groups and to change the listeners and rules of exactly this
  load balancer.

ECS owns the weights once a deployment has run ("The ECS BG controller rewrites the production
listener rule's forward action ... and re-swings the weights on every subsequent deployment",
go-to-k/cdk-real-drift#1730): a stack update that changes the rule sets them back to the
template's, which can send production traffic to a target group without tasks
(aws/aws-cdk#36649, aws/containers-roadmap#2853). So every property of the production rule is a
constant or a parameter a user has no reason to change under such a strategy, and the README says
which changes to make only under ``ROLLING``.

Rules (the shipped template): ``DeploymentStrategyNeedsLoadBalancerTraffic``,
``TestListenerNeedsATrafficShiftingStrategy``, ``TestListenerNeedsACertificate``,
``TestListenerNeedsALoadBalancerOfItsOwn``, ``TestListenerPortIsFree``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from awacs import elasticloadbalancing as awacs_elb
from awacs.aws import Allow, Statement
from troposphere import (
    And,
    Condition,
    Equals,
    GetAtt,
    If,
    Not,
    NoValue,
    Or,
    Parameter,
    Ref,
    Sub,
    Template,
    ec2,
    iam,
)
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import (
    NOT_GIVEN,
    add_choice_parameter,
    add_parameter,
    inline_policy,
    name_tag,
    plain_service_trust,
    suppress,
)
from ..config import ServiceConfig
from ..deployment import (
    CANARY,
    CANARY_PERCENT_PATTERN,
    DEPLOYMENT_STRATEGIES,
    LINEAR,
    MAX_BAKE_MINUTES,
    MIN_CANARY_PERCENT,
    MIN_STEP_PERCENT,
    ROLLING,
    STEP_PERCENT_PATTERN,
)
from ..exposure import EXPOSE_PUBLIC
from .load_balancer import (
    HTTP_PORT,
    HTTPS_PORT,
    Listeners,
    rule_condition,
    strict_transport_security,
    weighted_forward,
)
from .names import (
    ALLOWED_INGRESS_CIDR,
    CANARY_BAKE_TIME,
    CANARY_PERCENT,
    CERTIFICATE_ARN,
    CLUSTER_NAME,
    DEPLOYMENT_BAKE_TIME,
    DEPLOYMENT_ROLE,
    DEPLOYMENT_STRATEGY,
    EXPOSE,
    GROUP_DEPLOYMENT,
    HAS_ALTERNATE_ERROR_RATE_ALARM,
    HAS_CERTIFICATE,
    HAS_ERROR_RATE_ALARM,
    HAS_PRODUCTION_LISTENER_RULE,
    HAS_STRICT_TRANSPORT_SECURITY,
    HAS_TEST_LISTENER,
    HAS_TEST_LISTENER_RULE,
    IS_APPLICATION,
    IS_CANARY,
    IS_LINEAR,
    LINEAR_STEP_BAKE_TIME,
    LINEAR_STEP_PERCENT,
    LISTENER_RULE,
    LOAD_BALANCER_TEST_INGRESS,
    PRODUCTION_LISTENER_RULE,
    SHIFTS_TRAFFIC,
    STANDALONE,
    STRATEGY_NEEDS_LOAD_BALANCER_TRAFFIC,
    STRICT_TRANSPORT_SECURITY_MAX_AGE,
    TEST_LISTENER,
    TEST_LISTENER_NEEDS_A_CERTIFICATE,
    TEST_LISTENER_NEEDS_OWN_LOAD_BALANCER,
    TEST_LISTENER_NEEDS_TRAFFIC_SHIFTING,
    TEST_LISTENER_PORT,
    TEST_LISTENER_PORT_IS_FREE,
    TEST_LISTENER_RULE,
)
from .placement import Placement, exists, pick

NO_TEST_LISTENER = "0"
# SSH and RDP: a security group open on them from 0.0.0.0/0 is what AWS Security Hub's EC2.13
# and EC2.14 fail ("Security Hub controls for Amazon EC2"), whatever listens behind the port.
ADMINISTRATION_PORTS = (22, 3389)
# The production and test rules take every request of their listener, before any other rule.
_EVERY_PATH = "/*"
_FIRST = 1

TEST_LISTENER_CHECKOV = {
    "CKV_AWS_2": "the protocol is HTTPS (or TLS on a network load balancer), set by an Fn::If",
    "CKV_AWS_103": (
        "the policy is the service's TLS 1.3 one; checkov cannot read the protocol in an Fn::If"
    ),
}


def add_deployment_parameters(
    t: Template, config: ServiceConfig, placement: Placement
) -> tuple[Parameter, ...]:
    """The strategy and its timings (GROUP_DEPLOYMENT); none without load balancer traffic
    (a strategy other than rolling needs it), and the test listener's port only on a load
    balancer of its own."""
    if not exists(placement.target_group):
        return ()
    defaults = config.deployment
    strategy = add_choice_parameter(
        t,
        DEPLOYMENT_STRATEGY,
        group=GROUP_DEPLOYMENT,
        label="Deployment strategy",
        description=(
            "ROLLING replaces tasks in place. CANARY gives the new revision CanaryPercent of "
            "the traffic for CanaryBakeTimeMinutes, then all; LINEAR moves LinearStepPercent "
            "every LinearStepBakeTimeMinutes; BLUE_GREEN moves all at once. The last three "
            "keep the old revision for DeploymentBakeTimeMinutes and move the traffic back "
            "when an alarm fires. CloudFormation refuses a deployment whose bake times add up "
            "to more than 33 hours (each LINEAR step's counts)."
        ),
        choices=DEPLOYMENT_STRATEGIES,
        default=defaults.strategy,
    )
    timings = (
        strategy,
        _add_minutes(
            t,
            DEPLOYMENT_BAKE_TIME,
            "Bake time (minutes)",
            "CANARY, LINEAR, BLUE_GREEN: minutes the old revision keeps running after all "
            "traffic has moved, ready to take it back.",
            defaults.bake_minutes,
        ),
        _add_percent(
            t,
            CANARY_PERCENT,
            "Canary traffic (%)",
            "CANARY: the new revision's share of traffic while it bakes, 0.1 to 100.",
            defaults.canary_percent,
            CANARY_PERCENT_PATTERN,
            MIN_CANARY_PERCENT,
        ),
        _add_minutes(
            t,
            CANARY_BAKE_TIME,
            "Canary bake time (minutes)",
            "CANARY: minutes the canary serves its share before the rest moves.",
            defaults.canary_bake_minutes,
        ),
        _add_percent(
            t,
            LINEAR_STEP_PERCENT,
            "Linear step (%)",
            "LINEAR: the share of traffic each step moves, 3 to 100.",
            defaults.step_percent,
            STEP_PERCENT_PATTERN,
            MIN_STEP_PERCENT,
        ),
        _add_minutes(
            t,
            LINEAR_STEP_BAKE_TIME,
            "Linear step bake time (minutes)",
            "LINEAR: minutes between two steps.",
            defaults.step_bake_minutes,
        ),
    )
    if not exists(placement.standalone):
        return timings
    test_port = add_parameter(
        t,
        TEST_LISTENER_PORT,
        group=GROUP_DEPLOYMENT,
        label="Test listener port (0: none)",
        description=(
            "CANARY, LINEAR, BLUE_GREEN on a load balancer of the service's own: a port "
            "(not 80, 443, 22 or 3389) on which the new revision answers over HTTPS (TLS) with "
            "CertificateArn before it takes production traffic, open to AllowedIngressCidr. "
            "0, the default: none."
        ),
        Type="Number",
        Default=NO_TEST_LISTENER,
        MinValue=0,
        MaxValue=65535,
        ConstraintDescription="must be a port from 1 to 65535, or 0 for none",
    )
    return (*timings, test_port)


def _add_minutes(t: Template, name: str, label: str, description: str, default: int) -> Parameter:
    """A bake time: whole minutes up to a day."""
    return add_parameter(
        t,
        name,
        group=GROUP_DEPLOYMENT,
        label=label,
        description=description,
        Type="Number",
        Default=str(default),
        MinValue=0,
        MaxValue=MAX_BAKE_MINUTES,
        ConstraintDescription=f"must be a number of minutes from 0 to {MAX_BAKE_MINUTES} (a day)",
    )


def _add_percent(
    t: Template,
    name: str,
    label: str,
    description: str,
    default: float,
    pattern: str,
    low: float,
) -> Parameter:
    """A share of traffic in tenths of a percent (a patterned string: a Number parameter cannot
    say "multiples of 0.1")."""
    return add_parameter(
        t,
        name,
        group=GROUP_DEPLOYMENT,
        label=label,
        description=description,
        Type="String",
        Default=f"{default:g}",
        AllowedPattern=pattern,
        ConstraintDescription=f"must be a percentage from {low:g} to 100 in steps of 0.1",
    )


def add_deployment_conditions(t: Template, placement: Placement) -> tuple[str, ...]:
    """What the strategy switches: a second target group and what moves traffic to it."""
    if not exists(placement.target_group):
        return ()
    shifting: Any = Not(Equals(Ref(DEPLOYMENT_STRATEGY), ROLLING))
    if isinstance(placement.target_group, str):
        shifting = And(Condition(placement.target_group), shifting)
    names = [
        t.add_condition(SHIFTS_TRAFFIC, shifting),
        t.add_condition(IS_CANARY, Equals(Ref(DEPLOYMENT_STRATEGY), CANARY)),
        t.add_condition(IS_LINEAR, Equals(Ref(DEPLOYMENT_STRATEGY), LINEAR)),
    ]
    if isinstance(placement.target_group, str):  # the shipped template: its error rate alarm
        names.append(
            t.add_condition(
                HAS_ALTERNATE_ERROR_RATE_ALARM,
                And(Condition(SHIFTS_TRAFFIC), Condition(HAS_ERROR_RATE_ALARM)),
            )
        )
    if exists(placement.standalone):
        own = (
            [Condition(SHIFTS_TRAFFIC), Condition(STANDALONE)]
            if isinstance(placement.standalone, str)
            else [Condition(SHIFTS_TRAFFIC)]
        )
        names += [
            t.add_condition(HAS_PRODUCTION_LISTENER_RULE, And(*own, Condition(IS_APPLICATION))),
            t.add_condition(
                HAS_TEST_LISTENER,
                And(*own, Not(Equals(Ref(TEST_LISTENER_PORT), NO_TEST_LISTENER))),
            ),
            t.add_condition(
                HAS_TEST_LISTENER_RULE,
                And(Condition(HAS_TEST_LISTENER), Condition(IS_APPLICATION)),
            ),
        ]
    return tuple(names)


def add_deployment_rules(t: Template, placement: Placement) -> tuple[str, ...]:
    """The shipped template's rules: a traffic-shifting strategy needs load balancer traffic
    (a public service, in an environment); a test listener needs such a strategy, a load
    balancer of its own, and a port its production listeners leave free. A spec's service is
    checked when it is built (ServiceConfig refuses a strategy without a load balancer)."""
    if not placement.deploy_time:
        return ()
    rolling = Equals(Ref(DEPLOYMENT_STRATEGY), ROLLING)
    t.add_rule(
        STRATEGY_NEEDS_LOAD_BALANCER_TRAFFIC,
        {
            "RuleCondition": And(
                Not(Equals(Ref(CLUSTER_NAME), NOT_GIVEN)),
                Not(Equals(Ref(EXPOSE), EXPOSE_PUBLIC)),
            ),
            "Assertions": [
                {
                    "Assert": rolling,
                    "AssertDescription": (
                        "CANARY, LINEAR and BLUE_GREEN move load balancer traffic between two "
                        "revisions: a service of an environment that is not public has none. "
                        "Leave DeploymentStrategy ROLLING."
                    ),
                }
            ],
        },
    )
    given = Not(Equals(Ref(TEST_LISTENER_PORT), NO_TEST_LISTENER))
    t.add_rule(
        TEST_LISTENER_NEEDS_TRAFFIC_SHIFTING,
        {
            "RuleCondition": given,
            "Assertions": [
                {
                    "Assert": Not(rolling),
                    "AssertDescription": (
                        "TestListenerPort reaches the new revision before production traffic "
                        "does, which only CANARY, LINEAR and BLUE_GREEN deployments have: leave "
                        "it 0 with ROLLING."
                    ),
                },
            ],
        },
    )
    t.add_rule(
        TEST_LISTENER_NEEDS_A_CERTIFICATE,
        {
            "RuleCondition": given,
            "Assertions": [
                {
                    "Assert": Not(Equals(Ref(CERTIFICATE_ARN), NOT_GIVEN)),
                    "AssertDescription": (
                        "TestListenerPort serves HTTPS (TLS on a network load balancer) with the "
                        "service's certificate: give CertificateArn too."
                    ),
                },
            ],
        },
    )
    # Decided by ClusterName alone, which the root leaves empty (root.py keeps such rules only
    # where they can fail).
    t.add_rule(
        TEST_LISTENER_NEEDS_OWN_LOAD_BALANCER,
        {
            "RuleCondition": Not(Equals(Ref(CLUSTER_NAME), NOT_GIVEN)),
            "Assertions": [
                {
                    "Assert": Not(given),
                    "AssertDescription": (
                        "TestListenerPort opens a port on a load balancer of the service's own: "
                        "leave it 0 for a service of an environment."
                    ),
                }
            ],
        },
    )
    t.add_rule(
        TEST_LISTENER_PORT_IS_FREE,
        {
            "RuleCondition": given,
            "Assertions": [
                {
                    "Assert": Not(
                        Or(
                            Equals(Ref(TEST_LISTENER_PORT), str(HTTP_PORT)),
                            Equals(Ref(TEST_LISTENER_PORT), str(HTTPS_PORT)),
                        )
                    ),
                    "AssertDescription": (
                        f"TestListenerPort must differ from the production listeners' ports "
                        f"{HTTP_PORT} and {HTTPS_PORT}: choose another, such as 8443."
                    ),
                },
                {
                    "Assert": Not(
                        Or(*(Equals(Ref(TEST_LISTENER_PORT), str(p)) for p in ADMINISTRATION_PORTS))
                    ),
                    "AssertDescription": (
                        "TestListenerPort must not be 22 or 3389, the ports of SSH and RDP, "
                        "which AWS Security Hub (EC2.13, EC2.14) and other scanners report as "
                        "remote administration open to AllowedIngressCidr: choose another, such "
                        "as 8443."
                    ),
                },
            ],
        },
    )
    return (
        STRATEGY_NEEDS_LOAD_BALANCER_TRAFFIC,
        TEST_LISTENER_NEEDS_TRAFFIC_SHIFTING,
        TEST_LISTENER_NEEDS_A_CERTIFICATE,
        TEST_LISTENER_NEEDS_OWN_LOAD_BALANCER,
        TEST_LISTENER_PORT_IS_FREE,
    )


def deployment_configuration(placement: Placement) -> dict[str, Any]:
    """``DeploymentConfiguration``'s strategy properties (none without a target group: such a
    service always rolls)."""
    if not exists(placement.target_group):
        return {}
    return {
        "Strategy": pick(placement.target_group, Ref(DEPLOYMENT_STRATEGY), NoValue),
        "BakeTimeInMinutes": If(SHIFTS_TRAFFIC, Ref(DEPLOYMENT_BAKE_TIME), NoValue),
        "CanaryConfiguration": If(
            IS_CANARY,
            {
                "CanaryPercent": Ref(CANARY_PERCENT),
                "CanaryBakeTimeInMinutes": Ref(CANARY_BAKE_TIME),
            },
            NoValue,
        ),
        "LinearConfiguration": If(
            IS_LINEAR,
            {
                "StepPercent": Ref(LINEAR_STEP_PERCENT),
                "StepBakeTimeInMinutes": Ref(LINEAR_STEP_BAKE_TIME),
            },
            NoValue,
        ),
    }


@dataclass(frozen=True)
class TrafficShifting:
    """What a traffic-shifting strategy adds (every resource under ``ShiftsTraffic``)."""

    alternate: elb.TargetGroup
    role: iam.Role
    production: Any  # the rule's (or NLB listener's) ARN, as the service's advanced config takes it
    test: Any  # the test rule's (or listener's) ARN, or NoValue
    waited: tuple[Any, ...]  # what the service waits for (conditional resources)

    def advanced_configuration(self) -> Any:
        """The load balancer entry's ``AdvancedConfiguration``, under ``ShiftsTraffic``."""
        return If(
            SHIFTS_TRAFFIC,
            {
                "AlternateTargetGroupArn": Ref(self.alternate),
                "ProductionListenerRule": self.production,
                "RoleArn": GetAtt(self.role, "Arn"),
                "TestListenerRule": self.test,
            },
            NoValue,
        )


def add_traffic_shifting(
    t: Template,
    config: ServiceConfig,
    placement: Placement,
    *,
    target_group: elb.TargetGroup,
    alternate: elb.TargetGroup,
    listeners: Listeners | None,
    load_balancer_group: ec2.SecurityGroup | None,
    load_balancer_full_name: Any,
) -> TrafficShifting:
    """The production rule (or listener), the optional test listener and the role ECS shifts
    traffic with, for the service's own load balancer or the environment's rule."""
    environment_rule = Ref(LISTENER_RULE) if exists(placement.listener_rule) else None
    production: Any = environment_rule
    test: Any = NoValue
    if listeners is not None and load_balancer_group is not None:
        serving = If(HAS_CERTIFICATE, Ref(listeners.https), Ref(listeners.http))
        own_rule = t.add_resource(
            _first_rule(
                PRODUCTION_LISTENER_RULE,
                HAS_PRODUCTION_LISTENER_RULE,
                serving,
                target_group,
                alternate,
            )
        )
        own = If(IS_APPLICATION, Ref(own_rule), serving)
        production = pick(placement.standalone, own, environment_rule)
        own_test = _add_test_listener(t, config, listeners, load_balancer_group, target_group)
        test_rule = t.add_resource(
            _first_rule(
                TEST_LISTENER_RULE, HAS_TEST_LISTENER_RULE, Ref(own_test), target_group, alternate
            )
        )
        test = If(HAS_TEST_LISTENER, If(IS_APPLICATION, Ref(test_rule), Ref(own_test)), NoValue)
        waited: tuple[Any, ...] = (own_rule, own_test, test_rule)
    else:
        waited = ()
    role = t.add_resource(_deployment_role(target_group, alternate, load_balancer_full_name))
    return TrafficShifting(
        alternate=alternate, role=role, production=production, test=test, waited=waited
    )


def _first_rule(
    title: str,
    condition: str,
    listener: Any,
    target_group: elb.TargetGroup,
    alternate: elb.TargetGroup,
) -> elb.ListenerRule:
    """A rule before any other on ``listener``, for every path, in the weighted form ECS shifts
    (the production rule and the test rule alike)."""
    return elb.ListenerRule(
        title,
        Condition=condition,
        ListenerArn=listener,
        Priority=_FIRST,
        Conditions=[rule_condition("path-pattern", _EVERY_PATH)],
        Actions=[weighted_forward(target_group, alternate)],
    )


def _add_test_listener(
    t: Template,
    config: ServiceConfig,
    listeners: Listeners,
    load_balancer_group: ec2.SecurityGroup,
    target_group: elb.TargetGroup,
) -> elb.Listener:
    """The test listener on TestListenerPort: HTTPS (TLS on a network load balancer) with the
    service's certificate and TLS policy (the rule TestListenerNeedsACertificate
    asks for one), open to the allowed clients like the production ports."""
    t.add_resource(
        ec2.SecurityGroupIngress(
            LOAD_BALANCER_TEST_INGRESS,
            Condition=HAS_TEST_LISTENER,
            GroupId=Ref(load_balancer_group),
            CidrIp=Ref(ALLOWED_INGRESS_CIDR),
            IpProtocol="tcp",
            FromPort=Ref(TEST_LISTENER_PORT),
            ToPort=Ref(TEST_LISTENER_PORT),
            Description="Test listener: the new revision before it takes production traffic",
        )
    )
    listener = t.add_resource(
        elb.Listener(
            TEST_LISTENER,
            Condition=HAS_TEST_LISTENER,
            LoadBalancerArn=listeners.https.LoadBalancerArn,
            Port=Ref(TEST_LISTENER_PORT),
            Protocol=If(IS_APPLICATION, "HTTPS", "TLS"),
            Certificates=[elb.Certificate(CertificateArn=Ref(CERTIFICATE_ARN))],
            SslPolicy=config.tls_policy,
            ListenerAttributes=strict_transport_security(
                HAS_STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY_MAX_AGE
            ),
            DefaultActions=[elb.Action(Type="forward", TargetGroupArn=Ref(target_group))],
        )
    )
    return suppress(listener, checkov=TEST_LISTENER_CHECKOV)


def _deployment_role(
    target_group: elb.TargetGroup, alternate: elb.TargetGroup, load_balancer_full_name: Any
) -> iam.Role:
    """ECS's infrastructure role for the load balancer: the statements of the AWS managed policy
    AmazonECSInfrastructureRolePolicyForLoadBalancers, each narrowed from every load balancer of
    the account to this service's target groups and its load balancer's listeners and rules."""
    arn = "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:"
    listeners = Sub(arn + "listener/${FullName}/*", FullName=load_balancer_full_name)
    rules = Sub(arn + "listener-rule/${FullName}/*", FullName=load_balancer_full_name)
    return iam.Role(
        DEPLOYMENT_ROLE,
        Condition=SHIFTS_TRAFFIC,
        # The trust policy of the ECS Developer Guide's "Amazon ECS infrastructure IAM role for
        # load balancers": ECS assumes it for the service's deployments.
        AssumeRolePolicyDocument=plain_service_trust("ecs.amazonaws.com"),
        Policies=[
            inline_policy(
                "ShiftTraffic",
                [
                    Statement(
                        Sid="ReadTheLoadBalancer",
                        Effect=Allow,
                        Action=[
                            awacs_elb.DescribeListeners,
                            awacs_elb.DescribeRules,
                            awacs_elb.DescribeTargetGroups,
                            awacs_elb.DescribeTargetHealth,
                        ],
                        # Elastic Load Balancing's Describe actions take no narrower resource.
                        Resource=["*"],
                    ),
                    Statement(
                        Sid="RegisterTasksInTheTwoTargetGroups",
                        Effect=Allow,
                        Action=[awacs_elb.RegisterTargets, awacs_elb.DeregisterTargets],
                        Resource=[Ref(target_group), Ref(alternate)],
                    ),
                    Statement(
                        Sid="ShiftTrafficOnTheListenersAndRules",
                        Effect=Allow,
                        Action=[awacs_elb.ModifyListener, awacs_elb.ModifyRule],
                        Resource=[listeners, rules],
                    ),
                ],
            )
        ],
        Tags=name_tag("deployment"),
    )
