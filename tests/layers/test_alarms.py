"""The alarms that roll a deployment back: one behaviour per test, read from what the template
deploys (``deployed``). ECS watches a deployment's alarms and "If the alarms are in the ALARM
state, Amazon ECS ... rolls back the deployment" (DeploymentAlarms, Amazon ECS API Reference)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import IN_ENVIRONMENT, PUBLIC_IN_ENVIRONMENT, SERVICE_REQUIRED, compute, props
from troposphere_fargate import ServiceConfig
from troposphere_fargate.cfn.evaluate import Deployment, ParameterError, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.exposure import Routing
from troposphere_fargate.layers.service import service_template

TOPIC = "arn:aws:sns:eu-west-1:123456789012:shop-alarms"


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**SERVICE_REQUIRED, **parameters})


def deployment(stack: Deployment) -> dict[str, Any]:
    return dict(props(stack.resources[s.SERVICE])["DeploymentConfiguration"])


def test_a_deployment_rolls_back_on_both_alarms_and_the_circuit_breaker(service):
    configuration = deployment(deploy(service))
    assert configuration["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
    assert configuration["Alarms"] == {
        "AlarmNames": [{"Ref": s.UNHEALTHY_TARGETS_ALARM}, {"Ref": s.ERROR_RATE_ALARM}],
        "Enable": True,
        "Rollback": True,
    }


def test_the_unhealthy_targets_alarm_watches_the_target_group_of_the_load_balancer(service):
    alarm = props(deploy(service).resources[s.UNHEALTHY_TARGETS_ALARM])
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/ApplicationELB", "UnHealthyHostCount")
    assert alarm["Dimensions"] == [
        {
            "Name": "LoadBalancer",
            "Value": {"Fn::GetAtt": [s.LOAD_BALANCER, "LoadBalancerFullName"]},
        },
        {"Name": "TargetGroup", "Value": {"Fn::GetAtt": [s.TARGET_GROUP, "TargetGroupFullName"]}},
    ]
    assert (alarm["Statistic"], alarm["Threshold"]) == ("Maximum", 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"


def test_the_error_rate_alarm_is_the_share_of_5xx_answers_above_the_threshold(service):
    alarm = props(deploy(service).resources[s.ERROR_RATE_ALARM])
    queries = {query["Id"]: query for query in alarm["Metrics"]}
    assert queries["rate"]["Expression"] == "100 * FILL(errors, 0) / FILL(requests, 1)"
    assert queries["rate"]["ReturnData"] is True
    metrics = {
        name: queries[name]["MetricStat"]["Metric"]["MetricName"] for name in ("errors", "requests")
    }
    assert metrics == {"errors": "HTTPCode_Target_5XX_Count", "requests": "RequestCount"}
    assert alarm["Threshold"] == {"Ref": s.ERROR_RATE_ALARM_PERCENT}
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_behind_a_network_load_balancer_only_unhealthy_targets_roll_back(service):
    stack = deploy(service, LoadBalancerType="network")
    assert s.ERROR_RATE_ALARM not in stack.resources  # a network load balancer has no HTTP codes
    alarm = props(stack.resources[s.UNHEALTHY_TARGETS_ALARM])
    assert alarm["Namespace"] == "AWS/NetworkELB"
    assert deployment(stack)["Alarms"]["AlarmNames"] == [{"Ref": s.UNHEALTHY_TARGETS_ALARM}]


def test_in_an_environment_the_alarms_watch_the_environments_load_balancer(service):
    stack = deploy(service, **PUBLIC_IN_ENVIRONMENT)
    (load_balancer, _) = props(stack.resources[s.ERROR_RATE_ALARM])["Metrics"][0]["MetricStat"][
        "Metric"
    ]["Dimensions"]
    assert compute(load_balancer["Value"], stack.parameters) == "app/shop/0123456789abcdef"


def test_without_a_load_balancer_only_the_circuit_breaker_rolls_back(service):
    stack = deploy(service, **IN_ENVIRONMENT, Expose="internal", ServiceConnectName="orders")
    assert not {s.UNHEALTHY_TARGETS_ALARM, s.ERROR_RATE_ALARM} & set(stack.resources)
    assert "Alarms" not in deployment(stack)
    worker = service_template(ServiceConfig(expose="none")).to_dict()
    assert s.ALARM_TOPIC_ARN not in worker["Parameters"]
    assert "Alarms" not in props(worker["Resources"][s.SERVICE])["DeploymentConfiguration"]


def test_a_topic_given_receives_every_alarm_and_its_return_to_ok(service):
    quiet = deploy(service)
    for name in (s.UNHEALTHY_TARGETS_ALARM, s.ERROR_RATE_ALARM):
        assert "AlarmActions" not in props(quiet.resources[name])
    told = deploy(service, AlarmTopicArn=TOPIC)
    for name in (s.UNHEALTHY_TARGETS_ALARM, s.ERROR_RATE_ALARM):
        alarm = props(told.resources[name])
        assert alarm["AlarmActions"] == alarm["OKActions"] == [{"Ref": s.ALARM_TOPIC_ARN}]


@pytest.mark.parametrize(
    "topic",
    ["arn:aws:sns:eu-west-1:123456789012:shop.fifo", "shop-alarms", "arn:aws:sqs:eu-west-1:1:x"],
)
def test_a_topic_that_is_not_a_standard_sns_topic_is_refused(service, topic):
    with pytest.raises(ParameterError, match=s.ALARM_TOPIC_ARN):
        deploy(service, AlarmTopicArn=topic)


def test_a_public_spec_service_has_both_alarms_unconditionally():
    template = service_template(
        ServiceConfig(
            expose="public", routing=Routing(10, "/*"), default_error_rate_alarm_percent=2
        )
    ).to_dict()
    assert "Condition" not in template["Resources"][s.ERROR_RATE_ALARM]
    assert template["Parameters"][s.ERROR_RATE_ALARM_PERCENT]["Default"] == "2"


def test_a_spec_names_the_topic_its_services_alarms_notify(tmp_path):
    """A spec trial: the rollback alarms of an environment's services notified nobody, since
    the spec's root passes no AlarmTopicArn and the spec had no key for it. The spec's topic is
    the parameter's default, which the nested stack takes when the root passes nothing."""
    from tests.support import built
    from troposphere_fargate.cfn.dry_run import dry_run
    from troposphere_fargate.layers.config import ConfigError

    folder = built(
        tmp_path,
        "services:\n  web:\n    expose: public\n    routing: {path: /*, priority: 1}\n"
        f"    alarm_topic_arn: {TOPIC}\n",
    )
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1"
    root = dry_run(
        folder / "root.yaml",
        {"WebContainerImage": image, "TemplateBucketName": "my-templates"},
        "eu-west-1",
    )
    (service,) = [stack for stack in root.nested.values() if s.SERVICE in stack.resources]
    assert service.parameters[s.ALARM_TOPIC_ARN] == TOPIC
    alarm = props(service.resources[s.UNHEALTHY_TARGETS_ALARM])
    assert alarm["AlarmActions"] == alarm["OKActions"] == [TOPIC]
    # A service without a load balancer has no alarm to notify: the key is refused.
    with pytest.raises(ConfigError, match="default_alarm_topic_arn") as refused:
        ServiceConfig(expose="internal", default_alarm_topic_arn=TOPIC)
    assert "has no use for it (it has no load balancer)" in str(refused.value)
    with pytest.raises(ConfigError, match="a FIFO topic"):
        ServiceConfig(default_alarm_topic_arn=TOPIC + ".fifo")
