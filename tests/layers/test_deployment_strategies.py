"""Deployment strategies (ROLLING, CANARY, LINEAR, BLUE_GREEN): one behaviour per test, read from
what the template deploys for the parameter values given (``deployed``), as CloudFormation
would resolve its conditions.

The AWS behaviour these encode:
- ``AWS::ECS::Service DeploymentConfiguration``: ``Strategy``, ``BakeTimeInMinutes``,
  ``CanaryConfiguration`` (CanaryPercent 0.1-100 in tenths, default 5; CanaryBakeTimeInMinutes
  0-1440), ``LinearConfiguration`` (StepPercent 3-100 in tenths; StepBakeTimeInMinutes 0-1440)
  (Amazon ECS API Reference, CanaryConfiguration and LinearConfiguration).
- ``AdvancedConfiguration``: "ProductionListenerRule ... the production listener rule (in the
  case of an Application Load Balancer) or listener (in the case for an Network Load
  Balancer)", with the alternate target group and the role ECS calls Elastic Load Balancing with
  (Amazon ECS API Reference, AdvancedConfiguration).
- The circuit breaker and the alarms roll back both deployment types: "Both methods only support
  rolling update deployment and blue/green deployment types" (Amazon ECS Developer Guide,
  deployment failure detection).
- CloudFormation refuses a canary or linear deployment whose bake times add up to more than 33
  hours (AWS::ECS::Service CanaryConfiguration and LinearConfiguration, CloudFormation Template
  Reference).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import IN_ENVIRONMENT, PUBLIC_IN_ENVIRONMENT, SERVICE_REQUIRED, props
from troposphere_fargate import DeploymentSettings, ServiceConfig, __version__
from troposphere_fargate.cfn.evaluate import Deployment, ParameterError, RuleError, deployed
from troposphere_fargate.cfn.yaml import read_template
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.errors import ConfigError
from troposphere_fargate.layers.exposure import Routing
from troposphere_fargate.layers.service import service_template

SHIPPED = Path(__file__).resolve().parents[2] / "templates" / __version__
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
INTERNAL = {**IN_ENVIRONMENT, s.EXPOSE: "internal", s.SERVICE_CONNECT_NAME: "orders"}
SHIFTING = ("CANARY", "LINEAR", "BLUE_GREEN")
PLUMBING = {
    s.ALTERNATE_TARGET_GROUP,
    s.DEPLOYMENT_ROLE,
    s.ALTERNATE_UNHEALTHY_TARGETS_ALARM,
    s.ALTERNATE_ERROR_RATE_ALARM,
}


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**SERVICE_REQUIRED, **parameters})


def configuration(stack: Deployment) -> dict[str, Any]:
    return dict(props(stack.resources[s.SERVICE])["DeploymentConfiguration"])


def load_balancer_entry(stack: Deployment) -> dict[str, Any]:
    (entry,) = props(stack.resources[s.SERVICE])["LoadBalancers"]
    return dict(entry)


# --- Rolling, the default: nothing new ------------------------------------------------------------


def test_rolling_has_no_second_target_group_rule_or_role(service):
    stack = deploy(service)
    assert configuration(stack)["Strategy"] == {"Ref": s.DEPLOYMENT_STRATEGY}
    assert stack.parameters[s.DEPLOYMENT_STRATEGY] == "ROLLING"
    assert PLUMBING & set(stack.resources) == set()
    assert {s.PRODUCTION_LISTENER_RULE, s.TEST_LISTENER} & set(stack.resources) == set()
    assert "AdvancedConfiguration" not in load_balancer_entry(stack)
    for key in ("BakeTimeInMinutes", "CanaryConfiguration", "LinearConfiguration"):
        assert key not in configuration(stack)


# --- Each traffic-shifting strategy ---------------------------------------------------------------


@pytest.mark.parametrize("strategy", SHIFTING)
def test_a_shifting_strategy_adds_the_alternate_target_group_role_and_alarms(service, strategy):
    stack = deploy(service, **{s.DEPLOYMENT_STRATEGY: strategy})
    assert set(stack.resources) >= PLUMBING
    main, alternate = (
        props(stack.resources[n]) for n in (s.TARGET_GROUP, s.ALTERNATE_TARGET_GROUP)
    )
    # Twins: the new revision is checked exactly as the running one.
    assert {k: v for k, v in alternate.items() if k != "Tags"} == {
        k: v for k, v in main.items() if k != "Tags"
    }
    assert configuration(stack)["BakeTimeInMinutes"] == {"Ref": s.DEPLOYMENT_BAKE_TIME}


@pytest.mark.parametrize("strategy", SHIFTING)
def test_every_strategy_keeps_the_circuit_breaker_and_rolls_back_on_both_groups_alarms(
    service, strategy
):
    deployment_configuration = configuration(deploy(service, **{s.DEPLOYMENT_STRATEGY: strategy}))
    assert deployment_configuration["DeploymentCircuitBreaker"] == {
        "Enable": True,
        "Rollback": True,
    }
    assert deployment_configuration["Alarms"] == {
        "AlarmNames": [
            {"Ref": s.UNHEALTHY_TARGETS_ALARM},
            {"Ref": s.ERROR_RATE_ALARM},
            {"Ref": s.ALTERNATE_UNHEALTHY_TARGETS_ALARM},
            {"Ref": s.ALTERNATE_ERROR_RATE_ALARM},
        ],
        "Enable": True,
        "Rollback": True,
    }


def test_the_alternate_alarms_watch_the_alternate_target_group(service):
    stack = deploy(service, **{s.DEPLOYMENT_STRATEGY: "CANARY"})
    alarm = props(stack.resources[s.ALTERNATE_UNHEALTHY_TARGETS_ALARM])
    assert alarm["Dimensions"][1] == {
        "Name": "TargetGroup",
        "Value": {"Fn::GetAtt": [s.ALTERNATE_TARGET_GROUP, "TargetGroupFullName"]},
    }
    error_rate = props(stack.resources[s.ALTERNATE_ERROR_RATE_ALARM])
    dimensions = error_rate["Metrics"][0]["MetricStat"]["Metric"]["Dimensions"]
    assert dimensions[1]["Value"] == {
        "Fn::GetAtt": [s.ALTERNATE_TARGET_GROUP, "TargetGroupFullName"]
    }
    # ECS serves from the two target groups in turn: after every other deployment the
    # alternate one holds production, so its alarms must not call it "the new revision's".
    for watching in (alarm, error_rate):
        described = str(watching["AlarmDescription"])
        assert "alternate target group: ECS serves from the two in turn" in described
        assert "new revision" not in described


def test_canary_sends_its_share_then_the_rest(service):
    stack = deploy(
        service,
        **{s.DEPLOYMENT_STRATEGY: "CANARY", s.CANARY_PERCENT: "2.5", s.CANARY_BAKE_TIME: "15"},
    )
    assert configuration(stack)["Strategy"] == {"Ref": s.DEPLOYMENT_STRATEGY}
    assert configuration(stack)["CanaryConfiguration"] == {
        "CanaryPercent": {"Ref": s.CANARY_PERCENT},
        "CanaryBakeTimeInMinutes": {"Ref": s.CANARY_BAKE_TIME},
    }
    assert "LinearConfiguration" not in configuration(stack)
    assert (stack.parameters[s.CANARY_PERCENT], stack.parameters[s.CANARY_BAKE_TIME]) == (
        "2.5",
        "15",
    )


def test_linear_moves_a_step_at_a_time(service):
    stack = deploy(service, **{s.DEPLOYMENT_STRATEGY: "LINEAR", s.LINEAR_STEP_PERCENT: "20"})
    assert configuration(stack)["LinearConfiguration"] == {
        "StepPercent": {"Ref": s.LINEAR_STEP_PERCENT},
        "StepBakeTimeInMinutes": {"Ref": s.LINEAR_STEP_BAKE_TIME},
    }
    assert "CanaryConfiguration" not in configuration(stack)


def test_blue_green_has_neither_canary_nor_linear_settings(service):
    deployment_configuration = configuration(
        deploy(service, **{s.DEPLOYMENT_STRATEGY: "BLUE_GREEN"})
    )
    assert "CanaryConfiguration" not in deployment_configuration
    assert "LinearConfiguration" not in deployment_configuration


# --- The production listener rule, per load balancer ----------------------------------------------


def test_on_its_own_application_load_balancer_a_rule_on_the_serving_listener(service):
    stack = deploy(service, **{s.DEPLOYMENT_STRATEGY: "CANARY"})
    rule = props(stack.resources[s.PRODUCTION_LISTENER_RULE])
    assert rule["ListenerArn"] == {"Ref": s.HTTP_LISTENER}  # no certificate: port 80 serves
    assert rule["Priority"] == 1
    assert rule["Conditions"] == [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}
    ]
    assert rule["Actions"] == [
        {
            "Type": "forward",
            "ForwardConfig": {
                "TargetGroups": [
                    {"TargetGroupArn": {"Ref": s.TARGET_GROUP}, "Weight": 100},
                    {"TargetGroupArn": {"Ref": s.ALTERNATE_TARGET_GROUP}, "Weight": 0},
                ]
            },
        }
    ]
    advanced = load_balancer_entry(stack)["AdvancedConfiguration"]
    assert advanced == {
        "AlternateTargetGroupArn": {"Ref": s.ALTERNATE_TARGET_GROUP},
        "ProductionListenerRule": {"Ref": s.PRODUCTION_LISTENER_RULE},
        "RoleArn": {"Fn::GetAtt": [s.DEPLOYMENT_ROLE, "Arn"]},
    }


def test_with_a_certificate_the_rule_is_on_the_https_listener(service):
    stack = deploy(service, **{s.DEPLOYMENT_STRATEGY: "BLUE_GREEN", s.CERTIFICATE_ARN: CERTIFICATE})
    assert props(stack.resources[s.PRODUCTION_LISTENER_RULE])["ListenerArn"] == {
        "Ref": s.HTTPS_LISTENER
    }


def test_on_a_network_load_balancer_the_listener_itself_is_the_production_rule(service):
    stack = deploy(
        service, **{s.DEPLOYMENT_STRATEGY: "BLUE_GREEN", s.LOAD_BALANCER_TYPE: "network"}
    )
    assert s.PRODUCTION_LISTENER_RULE not in stack.resources
    advanced = load_balancer_entry(stack)["AdvancedConfiguration"]
    assert advanced["ProductionListenerRule"] == {"Ref": s.HTTP_LISTENER}
    # A network load balancer has no 5xx metric: the unhealthy targets alarms alone.
    assert s.ALTERNATE_ERROR_RATE_ALARM not in stack.resources
    assert s.ALTERNATE_UNHEALTHY_TARGETS_ALARM in stack.resources


# ECS rolls a deployment back, "Target group ... is not associated with either
# productionListenerRule or testListenerRule", unless "Both the primary target group and
# alternate target group [are] associated with either the production listener rule or the test
# listener rule" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting-blue-green.html);
# a network load balancer's listener may forward to both by weight since November 2025
# (https://aws.amazon.com/blogs/networking-and-content-delivery/network-load-balancers-now-support-weighted-target-groups/).
BOTH_GROUPS = {
    "Type": "forward",
    "ForwardConfig": {
        "TargetGroups": [
            {"TargetGroupArn": {"Ref": s.TARGET_GROUP}, "Weight": 100},
            {"TargetGroupArn": {"Ref": s.ALTERNATE_TARGET_GROUP}, "Weight": 0},
        ]
    },
}
ONE_GROUP = {"Type": "forward", "TargetGroupArn": {"Ref": s.TARGET_GROUP}}


@pytest.mark.parametrize("strategy", SHIFTING)
def test_on_a_network_load_balancer_the_production_listener_forwards_to_both_groups(
    service, strategy
):
    stack = deploy(service, **{s.DEPLOYMENT_STRATEGY: strategy, s.LOAD_BALANCER_TYPE: "network"})
    assert props(stack.resources[s.HTTP_LISTENER])["DefaultActions"] == [BOTH_GROUPS]


def test_with_a_certificate_the_network_production_listener_is_tls_and_forwards_to_both(service):
    stack = deploy(
        service,
        **{
            s.DEPLOYMENT_STRATEGY: "CANARY",
            s.LOAD_BALANCER_TYPE: "network",
            s.CERTIFICATE_ARN: CERTIFICATE,
        },
    )
    assert s.HTTP_LISTENER not in stack.resources
    assert load_balancer_entry(stack)["AdvancedConfiguration"]["ProductionListenerRule"] == {
        "Ref": s.HTTPS_LISTENER
    }
    assert props(stack.resources[s.HTTPS_LISTENER])["DefaultActions"] == [BOTH_GROUPS]


def test_on_a_network_load_balancer_under_rolling_the_listeners_forward_to_one_group(service):
    for parameters in ({}, {s.CERTIFICATE_ARN: CERTIFICATE}):
        stack = deploy(service, **parameters, **{s.LOAD_BALANCER_TYPE: "network"})
        listener = s.HTTPS_LISTENER if parameters else s.HTTP_LISTENER
        assert props(stack.resources[listener])["DefaultActions"] == [ONE_GROUP]


def test_on_an_application_load_balancer_the_rule_shifts_and_the_listeners_keep_one_group(
    service,
):
    stack = deploy(service, **{s.DEPLOYMENT_STRATEGY: "LINEAR"})
    assert props(stack.resources[s.HTTP_LISTENER])["DefaultActions"] == [ONE_GROUP]
    stack = deploy(
        service,
        **{s.DEPLOYMENT_STRATEGY: "LINEAR", s.CERTIFICATE_ARN: CERTIFICATE, s.HTTPS_ONLY: "true"},
    )
    assert props(stack.resources[s.HTTPS_LISTENER])["DefaultActions"] == [ONE_GROUP]


def test_in_an_environment_the_services_own_rule_forwards_to_both_groups(service):
    stack = deploy(service, **PUBLIC_IN_ENVIRONMENT, **{s.DEPLOYMENT_STRATEGY: "LINEAR"})
    rule = props(stack.resources[s.LISTENER_RULE])
    assert rule["Actions"][0]["ForwardConfig"]["TargetGroups"] == [
        {"TargetGroupArn": {"Ref": s.TARGET_GROUP}, "Weight": 100},
        {"TargetGroupArn": {"Ref": s.ALTERNATE_TARGET_GROUP}, "Weight": 0},
    ]
    assert load_balancer_entry(stack)["AdvancedConfiguration"]["ProductionListenerRule"] == {
        "Ref": s.LISTENER_RULE
    }
    assert s.PRODUCTION_LISTENER_RULE not in stack.resources


def test_in_an_environment_under_rolling_the_rule_forwards_to_one_group(service):
    rule = props(deploy(service, **PUBLIC_IN_ENVIRONMENT).resources[s.LISTENER_RULE])
    assert rule["Actions"] == [{"Type": "forward", "TargetGroupArn": {"Ref": s.TARGET_GROUP}}]


def test_the_role_is_ecss_and_reaches_only_this_services_groups_and_load_balancer(service):
    """The trust policy and actions of the ECS Developer Guide's "Amazon ECS infrastructure IAM
    role for load balancers" (principal ecs.amazonaws.com, no conditions) and of the AWS managed
    policy AmazonECSInfrastructureRolePolicyForLoadBalancers (Describe* on *, Register and
    DeregisterTargets, ModifyListener, ModifyRule), each narrowed to this service."""
    stack = deploy(service, **{s.DEPLOYMENT_STRATEGY: "CANARY"})
    role = props(stack.resources[s.DEPLOYMENT_ROLE])
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "ecs.amazonaws.com"}
    (policy,) = role["Policies"]
    statements = {st["Sid"]: st for st in policy["PolicyDocument"]["Statement"]}
    assert statements["RegisterTasksInTheTwoTargetGroups"]["Resource"] == [
        {"Ref": s.TARGET_GROUP},
        {"Ref": s.ALTERNATE_TARGET_GROUP},
    ]
    shift = statements["ShiftTrafficOnTheListenersAndRules"]
    assert shift["Action"] == [
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyRule",
    ]
    arn = "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:"
    own = {"FullName": {"Fn::GetAtt": [s.LOAD_BALANCER, "LoadBalancerFullName"]}}
    assert shift["Resource"] == [
        {"Fn::Sub": [arn + "listener/${FullName}/*", own]},
        {"Fn::Sub": [arn + "listener-rule/${FullName}/*", own]},
    ]
    # Only the Describe actions, which take no narrower resource, reach every resource.
    assert [sid for sid, st in statements.items() if st["Resource"] == ["*"]] == [
        "ReadTheLoadBalancer"
    ]


# --- The test listener ----------------------------------------------------------------------------


TESTED = {s.TEST_LISTENER_PORT: "8443", s.CERTIFICATE_ARN: CERTIFICATE}


def test_a_test_listener_reaches_the_new_revision_on_its_own_port(service):
    stack = deploy(service, **TESTED, **{s.DEPLOYMENT_STRATEGY: "BLUE_GREEN"})
    listener = props(stack.resources[s.TEST_LISTENER])
    assert (listener["Port"], listener["Protocol"]) == ({"Ref": s.TEST_LISTENER_PORT}, "HTTPS")
    rule = props(stack.resources[s.TEST_LISTENER_RULE])
    assert rule["ListenerArn"] == {"Ref": s.TEST_LISTENER}
    advanced = load_balancer_entry(stack)["AdvancedConfiguration"]
    assert advanced["TestListenerRule"] == {"Ref": s.TEST_LISTENER_RULE}
    ingress = props(stack.resources[s.LOAD_BALANCER_TEST_INGRESS])
    assert (ingress["FromPort"], ingress["CidrIp"]) == (
        {"Ref": s.TEST_LISTENER_PORT},
        {"Ref": s.ALLOWED_INGRESS_CIDR},
    )
    # The service waits for it as for the production listeners.
    assert props(stack.resources[s.SERVICE]) and stack.resources[s.LISTENERS_READY]["Metadata"][
        s.TEST_LISTENER
    ] == {"Ref": s.TEST_LISTENER}


def test_the_test_listener_speaks_https_with_the_certificate_and_policy(service):
    stack = deploy(service, **TESTED, **{s.DEPLOYMENT_STRATEGY: "CANARY"})
    listener = props(stack.resources[s.TEST_LISTENER])
    assert listener["Protocol"] == "HTTPS"
    assert listener["SslPolicy"] == ServiceConfig().tls_policy
    assert listener["Certificates"] == [{"CertificateArn": {"Ref": s.CERTIFICATE_ARN}}]


def test_on_a_network_load_balancer_the_test_listener_is_the_test_rule(service):
    stack = deploy(
        service, **TESTED, **{s.DEPLOYMENT_STRATEGY: "CANARY", s.LOAD_BALANCER_TYPE: "network"}
    )
    assert s.TEST_LISTENER_RULE not in stack.resources
    assert props(stack.resources[s.TEST_LISTENER])["Protocol"] == "TLS"
    advanced = load_balancer_entry(stack)["AdvancedConfiguration"]
    assert advanced["TestListenerRule"] == {"Ref": s.TEST_LISTENER}


# --- Bad combinations, refused before anything is created -----------------------------------------


@pytest.mark.parametrize("strategy", SHIFTING)
def test_a_shifting_strategy_on_an_internal_service_is_refused_by_the_rule(service, strategy):
    with pytest.raises(RuleError, match="a service of an environment that is not public has none"):
        deploy(service, **INTERNAL, **{s.DEPLOYMENT_STRATEGY: strategy})


def test_a_test_listener_under_rolling_is_refused(service):
    with pytest.raises(RuleError) as refused:
        deploy(service, **TESTED)
    assert refused.value.problems == [
        f"rule {s.TEST_LISTENER_NEEDS_TRAFFIC_SHIFTING}: TestListenerPort reaches the new "
        "revision before production traffic does, which only CANARY, LINEAR and BLUE_GREEN "
        "deployments have: leave it 0 with ROLLING."
    ]


def test_a_test_listener_without_a_certificate_is_refused(service):
    """Our own policy: a listener with a certificate speaks TLS, always; a test listener whose
    TLS depended on a condition could not say so, so it has one or does not exist. The rule
    that refuses it is named for the certificate, not for the strategy, which is right here."""
    with pytest.raises(RuleError) as refused:
        deploy(service, **{s.DEPLOYMENT_STRATEGY: "CANARY", s.TEST_LISTENER_PORT: "8443"})
    assert refused.value.problems == [
        f"rule {s.TEST_LISTENER_NEEDS_A_CERTIFICATE}: TestListenerPort serves HTTPS (TLS on a "
        "network load balancer) with the service's certificate: give CertificateArn too."
    ]
    assert s.TEST_LISTENER_NEEDS_A_CERTIFICATE == "TestListenerNeedsACertificate"


def test_a_test_listener_without_strategy_or_certificate_is_refused_by_both_rules(service):
    with pytest.raises(RuleError) as refused:
        deploy(service, **{s.TEST_LISTENER_PORT: "8443"})
    assert [problem.split(":")[0] for problem in refused.value.problems] == [
        f"rule {s.TEST_LISTENER_NEEDS_A_CERTIFICATE}",
        f"rule {s.TEST_LISTENER_NEEDS_TRAFFIC_SHIFTING}",
    ]


@pytest.mark.parametrize("layer", ["root", "stackset"])
def test_the_root_and_the_stackset_refuse_a_test_listener_without_a_certificate_so_named(
    service, layer
):
    shipped = read_template(SHIPPED / f"{layer}.yaml")
    for name in (s.TEST_LISTENER_NEEDS_A_CERTIFICATE, s.TEST_LISTENER_NEEDS_TRAFFIC_SHIFTING):
        assert shipped["Rules"][name] == service["Rules"][name], name


@pytest.mark.parametrize("port", ["80", "443"])
def test_a_test_listener_port_that_collides_with_a_listener_is_refused(service, port):
    with pytest.raises(RuleError, match="must differ from the production listeners' ports"):
        deploy(
            service,
            **{**TESTED, s.DEPLOYMENT_STRATEGY: "BLUE_GREEN", s.TEST_LISTENER_PORT: port},
        )


@pytest.mark.parametrize("port", ["22", "3389"])
def test_a_test_listener_on_the_port_of_ssh_or_rdp_is_refused(service, port):
    """A security review: the test listener opens its port to AllowedIngressCidr (0.0.0.0/0 by
    default), and AWS Security Hub fails a security group open from anywhere on 22 or 3389
    (EC2.13, EC2.14: "Security Hub controls for Amazon EC2"), whatever answers there."""
    with pytest.raises(RuleError) as refused:
        deploy(
            service, **{**TESTED, s.DEPLOYMENT_STRATEGY: "BLUE_GREEN", s.TEST_LISTENER_PORT: port}
        )
    assert refused.value.problems == [
        f"rule {s.TEST_LISTENER_PORT_IS_FREE}: TestListenerPort must not be 22 or 3389, the ports "
        "of SSH and RDP, which AWS Security Hub (EC2.13, EC2.14) and other scanners report as "
        "remote administration open to AllowedIngressCidr: choose another, such as 8443."
    ]
    # Any other port is the user's choice (8443 as the message says, or 2222).
    for other in ("8443", "2222"):
        deploy(
            service, **{**TESTED, s.DEPLOYMENT_STRATEGY: "BLUE_GREEN", s.TEST_LISTENER_PORT: other}
        )


def test_a_test_listener_in_an_environment_is_refused(service):
    with pytest.raises(RuleError, match="leave it 0 for a service of an environment"):
        deploy(
            service,
            **PUBLIC_IN_ENVIRONMENT,
            **{s.DEPLOYMENT_STRATEGY: "CANARY", s.TEST_LISTENER_PORT: "8443"},
        )


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        (s.DEPLOYMENT_STRATEGY, "SLOW"),
        (s.CANARY_PERCENT, "0"),
        (s.CANARY_PERCENT, "0.05"),
        (s.CANARY_PERCENT, "100.5"),
        (s.LINEAR_STEP_PERCENT, "2.9"),
        (s.LINEAR_STEP_PERCENT, "10.25"),
        (s.DEPLOYMENT_BAKE_TIME, "1441"),
        (s.CANARY_BAKE_TIME, "-1"),
        (s.TEST_LISTENER_PORT, "65536"),
    ],
)
def test_a_value_ecs_would_refuse_is_refused_by_the_parameters_constraint(
    service, parameter, value
):
    with pytest.raises(ParameterError, match=parameter):
        deploy(service, **{s.DEPLOYMENT_STRATEGY: "CANARY", parameter: value})


@pytest.mark.parametrize(
    ("parameter", "value"),
    [(s.CANARY_PERCENT, "0.1"), (s.CANARY_PERCENT, "100"), (s.LINEAR_STEP_PERCENT, "3")],
)
def test_the_limits_themselves_are_accepted(service, parameter, value):
    deploy(service, **{s.DEPLOYMENT_STRATEGY: "CANARY", parameter: value})


# --- The spec's and the library's config ----------------------------------------------------------


def test_a_public_service_of_an_environment_takes_a_strategy():
    config = ServiceConfig(
        expose="public",
        routing=Routing(path="/shop/*", priority=10),
        deployment=DeploymentSettings(strategy="CANARY", canary_percent=10),
    )
    template = service_template(config).to_dict()
    assert template["Parameters"][s.DEPLOYMENT_STRATEGY]["Default"] == "CANARY"
    assert template["Parameters"][s.CANARY_PERCENT]["Default"] == "10"
    assert s.TEST_LISTENER_PORT not in template["Parameters"]  # the environment's load balancer
    assert template["Conditions"][s.SHIFTS_TRAFFIC] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": s.DEPLOYMENT_STRATEGY}, "ROLLING"]}]
    }


@pytest.mark.parametrize("expose", ["internal", "none"])
def test_a_service_without_load_balancer_traffic_takes_no_deployment_settings(expose):
    with pytest.raises(ConfigError, match="has no load balancer traffic to shift"):
        ServiceConfig(expose=expose, deployment=DeploymentSettings(strategy="BLUE_GREEN"))
    template = service_template(ServiceConfig(expose=expose)).to_dict()
    assert s.DEPLOYMENT_STRATEGY not in template["Parameters"]
    assert "Strategy" not in props(template["Resources"][s.SERVICE])["DeploymentConfiguration"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"strategy": "canary"}, "must be one of ROLLING, CANARY, LINEAR, BLUE_GREEN"),
        ({"canary_percent": 0.05}, "must be 0.1-100 in steps of 0.1"),
        ({"step_percent": 2}, "must be 3-100 in steps of 0.1"),
        ({"step_percent": 12.34}, "must be 3-100 in steps of 0.1"),
        ({"bake_minutes": 1441}, "must be 0-1440 minutes"),
        ({"bake_minutes": True}, "must be a whole number of minutes"),
        # 1440 + 1440 minutes of baking: CloudFormation refuses more than 33 hours.
        (
            {"strategy": "CANARY", "bake_minutes": 1440, "canary_bake_minutes": 1440},
            "would wait 2880 minutes in all; CloudFormation refuses more than 1980",
        ),
    ],
)
def test_bad_deployment_settings_are_refused_naming_the_field(settings, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        DeploymentSettings(**settings)


def test_a_linear_deployment_may_wait_33_hours_and_not_a_minute_more():
    # 10 % steps: CloudFormation counts 9 waits between the 10 shifts (100 / 10 - 1).
    DeploymentSettings(strategy="LINEAR", bake_minutes=900, step_bake_minutes=120)  # 1980
    with pytest.raises(ConfigError, match="would wait 1981 minutes"):
        DeploymentSettings(strategy="LINEAR", bake_minutes=901, step_bake_minutes=120)
    # 11 % steps: floor(100 / 11) = 9 waits too.
    with pytest.raises(ConfigError, match="would wait 1981 minutes"):
        DeploymentSettings(
            strategy="LINEAR", bake_minutes=901, step_percent=11, step_bake_minutes=120
        )


def test_the_test_url_is_an_output_only_with_a_test_listener(service):
    assert "TestUrl" not in deploy(service, **{s.DEPLOYMENT_STRATEGY: "CANARY"}).outputs
    stack = deploy(service, **TESTED, **{s.DEPLOYMENT_STRATEGY: "CANARY"})
    assert stack.outputs[s.OUTPUT_TEST_URL]["Value"] == {
        "Fn::Sub": "https://${LoadBalancer.DNSName}:${TestListenerPort}"
    }


# --- Percentages cfn-lint misjudges ----------------------------------------------------------


@pytest.mark.lint
def test_a_percentage_in_tenths_that_cfn_lint_misjudges_builds_with_a_reasoned_suppression():
    """A spec trial (fuzzing): ``canary_percent: 0.3`` or ``step_percent: 33.3``, which ECS
    takes (tenths of a percent), stopped the build: cfn-lint's W1030 tests the default against
    the schema's ``multipleOf: 0.1`` in floats (python-jsonschema/jsonschema#810), and about a
    third of the tenths fail. Only such a default gets the suppression, with its reason; the
    suppression is needed (without it cfn-lint finds W1030) and the shipped templates have
    none."""
    import copy

    from troposphere_fargate import lint_templates, to_yaml
    from troposphere_fargate.release.build import render_templates

    odd = DeploymentSettings(strategy="CANARY", canary_percent=0.3, step_percent=33.3)
    template = service_template(ServiceConfig(deployment=odd)).to_dict()
    metadata = template["Resources"][s.SERVICE]["Metadata"]["cfn-lint"]
    assert metadata["config"] == {"ignore_checks": ["W1030"]}
    assert metadata["reasons"]["W1030"].startswith(
        "CanaryPercent 0.3 and LinearStepPercent 33.3 are in tenths of a percent"
    )
    regions = ["us-east-1"]
    assert lint_templates({s.FILENAME: to_yaml(template)}, regions=regions) == []
    bare = copy.deepcopy(template)
    del bare["Resources"][s.SERVICE]["Metadata"]
    found = lint_templates({s.FILENAME: to_yaml(bare)}, regions=regions)
    assert {f.rule for f in found} == {"W1030"} and len(found) == 2
    # Tenths cfn-lint computes exactly, and the shipped templates: no suppression at all.
    even = DeploymentSettings(strategy="CANARY", canary_percent=0.5, step_percent=25)
    plain = service_template(ServiceConfig(deployment=even)).to_dict()
    assert "Metadata" not in plain["Resources"][s.SERVICE]
    built = render_templates()
    for name, shipped in built.items():
        for resource in shipped.get("Resources", {}).values():
            assert "cfn-lint" not in (resource.get("Metadata") or {}), name
    # The suppressions reference lists it, as it lists cfn-guard's and checkov's.
    from troposphere_fargate.release.reference import suppressions_markdown

    rows = suppressions_markdown({**built, "service": template}).splitlines()
    assert [r for r in rows if "(cfn-lint)" in r] == [
        f"| service.yaml | Service | `W1030` (cfn-lint) | {metadata['reasons']['W1030']} |"
    ]
