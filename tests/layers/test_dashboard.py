"""The service's CloudWatch dashboard and its link: one behaviour per test, read from what the
template deploys (``deployed``) and from the body's JSON once its ``Fn::Sub`` is filled in."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support import SERVICE_REQUIRED as REQUIRED
from tests.support import compute, props
from troposphere_fargate import ServiceConfig
from troposphere_fargate.cfn.evaluate import Deployment, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.service import service_template
from troposphere_fargate.layers.service.dashboard import CONSOLE_HOST_BY_PARTITION

ENVIRONMENT = {
    s.CLUSTER_NAME: "shop-Cluster-AbCdEf012345",
    s.ENVIRONMENT_SECURITY_GROUP_ID: "sg-0123456789abcdef0",
    s.NAMESPACE_ARN: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abcdef0123",
}


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**REQUIRED, **parameters})


def body(stack: Deployment) -> dict[str, Any]:
    """The dashboard's JSON, every ``${...}`` replaced by its name (a GetAtt by the resource)."""
    text, variables = props(stack.resources[s.DASHBOARD])["DashboardBody"]["Fn::Sub"]
    assert set(re.findall(r"\$\{([^}]+)\}", text)) - {"AWS::Region"} == set(variables)
    return dict(json.loads(text))


def titles(stack: Deployment) -> list[str]:
    return [widget["properties"]["title"] for widget in body(stack)["widgets"]]


def test_behind_an_application_load_balancer_it_shows_requests_latency_errors_and_alarms(service):
    stack = deploy(service)
    assert titles(stack) == [
        "Requests and 5xx answers of the tasks",
        "Latency (seconds)",
        "Targets",
        "CPU and memory (% of the task size)",
        "Tasks",
        "Deployments in progress",
        "Alarms that roll a deployment back",
    ]
    widgets = {w["properties"]["title"]: w["properties"] for w in body(stack)["widgets"]}
    requests = widgets["Requests and 5xx answers of the tasks"]["metrics"]
    assert [metric[:2] for metric in requests] == [
        ["AWS/ApplicationELB", "RequestCount"],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"],
    ]
    assert widgets["Deployments in progress"]["metrics"][0][:2] == [
        "ECS/ContainerInsights",
        "DeploymentCount",
    ]
    assert widgets["Alarms that roll a deployment back"]["alarms"] == ["${Alarm0}", "${Alarm1}"]


def test_the_body_names_this_stacks_cluster_service_load_balancer_and_target_group(service):
    stack = deploy(service)
    _, variables = props(stack.resources[s.DASHBOARD])["DashboardBody"]["Fn::Sub"]
    assert variables["Service"] == {"Fn::GetAtt": [s.SERVICE, "Name"]}
    assert variables["TargetGroup"] == {"Fn::GetAtt": [s.TARGET_GROUP, "TargetGroupFullName"]}
    assert variables["Alarm1"]["Fn::Sub"][1] == {"Name": {"Ref": s.ERROR_RATE_ALARM}}


def test_behind_a_network_load_balancer_it_shows_targets_not_http(service):
    stack = deploy(service, LoadBalancerType="network")
    assert titles(stack)[0] == "Targets"
    assert "Latency (seconds)" not in titles(stack)
    targets = body(stack)["widgets"][0]["properties"]["metrics"]
    assert {metric[0] for metric in targets} == {"AWS/NetworkELB"}


def test_without_a_load_balancer_it_shows_the_service_alone(service):
    stack = deploy(service, **ENVIRONMENT, Expose="none")
    assert titles(stack) == [
        "CPU and memory (% of the task size)",
        "Tasks",
        "Deployments in progress",
    ]
    _, variables = props(stack.resources[s.DASHBOARD])["DashboardBody"]["Fn::Sub"]
    assert variables["Cluster"] == {"Ref": s.CLUSTER_NAME}


def test_a_worker_of_a_spec_has_its_dashboard_too():
    template = service_template(ServiceConfig(expose="none")).to_dict()
    assert template["Resources"][s.DASHBOARD]["Type"] == "AWS::CloudWatch::Dashboard"
    assert s.OUTPUT_DASHBOARD_URL in template["Outputs"]


@pytest.mark.parametrize(
    ("partition", "host"),
    [("aws", "console.aws.amazon.com"), ("aws-cn", "console.amazonaws.cn"),
     ("aws-us-gov", "console.amazonaws-us-gov.com")],
)  # fmt: skip
def test_the_link_opens_the_dashboard_in_the_console_of_the_stacks_partition(
    service, partition, host
):
    assert CONSOLE_HOST_BY_PARTITION[partition] == host
    output = deploy(service).outputs[s.OUTPUT_DASHBOARD_URL]["Value"]
    text, variables = output["Fn::Sub"]
    mapping = service["Mappings"][s.CONSOLE_HOSTS]
    (name, key, field) = variables["Host"]["Fn::FindInMap"]
    assert (name, key, field) == (s.CONSOLE_HOSTS, {"Ref": "AWS::Partition"}, "Host")
    url = compute(
        {"Fn::Sub": [text, {"Host": mapping[partition]["Host"], "Dashboard": "shop-dash"}]},
        {"AWS::Region": "eu-west-1"},
    )
    assert url == f"https://{host}/cloudwatch/home?region=eu-west-1#dashboards:name=shop-dash"


def _target_groups(widget: dict[str, Any]) -> set[str]:
    return {metric[metric.index("TargetGroup") + 1] for metric in widget["properties"]["metrics"]}


@pytest.mark.parametrize("load_balancer", ["application", "network"])
def test_under_a_traffic_shifting_strategy_it_reads_both_target_groups(service, load_balancer):
    # ECS moves the tasks to the other target group at each deployment (the production listener
    # rule's weights "re-swing ... on every subsequent deployment",
    # https://github.com/go-to-k/cdk-real-drift/issues/1730; "Alternate target groups across
    # successive deployments", https://github.com/hashicorp/terraform-provider-aws/issues/45678):
    # after every other deployment the tasks serve from AlternateTargetGroup, and widgets of
    # TargetGroup alone show an idle target group. CloudWatch's target group metrics are per
    # TargetGroup, LoadBalancer ("Dimensions", CloudWatch metrics for your Application Load
    # Balancer, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
    stack = deploy(service, LoadBalancerType=load_balancer, DeploymentStrategy="CANARY")
    widgets = [w for w in body(stack)["widgets"] if w["type"] == "metric"]
    targets = [w for w in widgets if "TargetGroup" in w["properties"]["metrics"][0]]
    assert targets, "no widget reads the target groups"
    for widget in targets:
        assert _target_groups(widget) == {"${TargetGroup}", "${AlternateTargetGroup}"}
        labels = [metric[-1]["label"] for metric in widget["properties"]["metrics"]]
        assert len(set(labels)) == len(labels)
    _, variables = props(stack.resources[s.DASHBOARD])["DashboardBody"]["Fn::Sub"]
    assert variables["AlternateTargetGroup"] == {
        "Fn::GetAtt": [s.ALTERNATE_TARGET_GROUP, "TargetGroupFullName"]
    }
    placeholders = body(stack)["widgets"][-1]["properties"]["alarms"]
    shown = [variables[text[2:-1]]["Fn::Sub"][1]["Name"] for text in placeholders]
    expected = [s.UNHEALTHY_TARGETS_ALARM, s.ALTERNATE_UNHEALTHY_TARGETS_ALARM]
    if load_balancer == "application":
        expected = [s.UNHEALTHY_TARGETS_ALARM, s.ERROR_RATE_ALARM,
                    s.ALTERNATE_UNHEALTHY_TARGETS_ALARM, s.ALTERNATE_ERROR_RATE_ALARM]  # fmt: skip
    assert shown == [{"Ref": alarm} for alarm in expected]


def test_under_rolling_deployments_it_reads_the_one_target_group(service):
    stack = deploy(service, DeploymentStrategy="ROLLING")
    assert "AlternateTargetGroup" not in json.dumps(body(stack))
