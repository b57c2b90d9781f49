"""One CloudWatch dashboard per service, one link away in the ``DashboardUrl`` output: requests,
latency and 5xx answers (behind an application load balancer), healthy and unhealthy targets
(behind any load balancer), CPU and memory, the task counts and deployments (Container
Insights, which the cluster has on), and the state of the rollback alarms.

Under a traffic-shifting strategy (``ShiftsTraffic``) the target widgets read both target groups
and the alarm widget shows the alternate target group's alarms too: ECS moves the service's
tasks to the other target group at each deployment ("ECS alternates the two from one deployment
to the next", :mod:`troposphere_fargate.layers.service.deployment`), so after every other one
the production tasks are in ``AlternateTargetGroup`` and ``TargetGroup`` is idle.

The body is CloudWatch's dashboard JSON, written once here as data and filled in by ``Fn::Sub``
with the cluster, the service, the load balancer and the target group of the stack; the shipped
template picks the body that suits its placement with ``Fn::If``."""

from __future__ import annotations

import json
from typing import Any

from troposphere import (
    FindInMap,
    GetAtt,
    If,
    Partition,
    Ref,
    Sub,
    Template,
    cloudwatch,
    ecs,
)
from troposphere import elasticloadbalancingv2 as elb

from .alarms import Alarms
from .load_balancer import load_balancer_full_name
from .names import (
    ALTERNATE_TARGET_GROUP,
    CLUSTER_NAME,
    CONSOLE_HOSTS,
    DASHBOARD,
    HAS_ERROR_RATE_ALARM,
    HAS_TARGET_GROUP,
    SHIFTS_TRAFFIC,
    TARGET_GROUP,
)
from .placement import Placement

# The AWS console's host in each partition, for the dashboard's link.
CONSOLE_HOST_BY_PARTITION = {
    "aws": "console.aws.amazon.com",
    "aws-cn": "console.amazonaws.cn",
    "aws-us-gov": "console.amazonaws-us-gov.com",
}

_ECS = {"ClusterName": "${Cluster}", "ServiceName": "${Service}"}
_TARGETS = {"LoadBalancer": "${LoadBalancer}", "TargetGroup": "${TargetGroup}"}
_ALTERNATE_TARGETS = {"LoadBalancer": "${LoadBalancer}", "TargetGroup": "${AlternateTargetGroup}"}
_WIDTH = 12
_HEIGHT = 6


def _metrics(namespace: str, dimensions: dict[str, str], *series: tuple[str, str]) -> list[Any]:
    """CloudWatch's metric arrays: namespace, name, dimension pairs, then the statistic."""
    pairs = [item for name, value in dimensions.items() for item in (name, value)]
    return [[namespace, name, *pairs, {"stat": stat}] for name, stat in series]


def _target_metrics(namespace: str, alternate: bool, *series: tuple[str, str]) -> list[Any]:
    """The series of the target group, and with ``alternate`` of both target groups, each
    labelled with its group's logical ID."""
    if not alternate:
        return _metrics(namespace, _TARGETS, *series)
    return [
        [*metric[:-1], {**metric[-1], "label": f"{metric[1]} {metric[-1]['stat']}, {group}"}]
        for name, stat in series
        for group, dimensions in (
            (TARGET_GROUP, _TARGETS),
            (ALTERNATE_TARGET_GROUP, _ALTERNATE_TARGETS),
        )
        for metric in _metrics(namespace, dimensions, (name, stat))
    ]


def _widget(title: str, metrics: list[Any], index: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": (index % 2) * _WIDTH,
        "y": (index // 2) * _HEIGHT,
        "width": _WIDTH,
        "height": _HEIGHT,
        "properties": {
            "title": title,
            "region": "${AWS::Region}",
            "metrics": metrics,
            "period": 60,
            "view": "timeSeries",
            **extra,
        },
    }


def _service_widgets() -> list[Widget]:
    insights = "ECS/ContainerInsights"
    return [
        (
            "CPU and memory (% of the task size)",
            _metrics(
                "AWS/ECS", _ECS, ("CPUUtilization", "Average"), ("MemoryUtilization", "Average")
            ),
            {"yAxis": {"left": {"min": 0, "max": 100}}},
        ),
        (
            "Tasks",
            _metrics(
                insights,
                _ECS,
                ("RunningTaskCount", "Average"),
                ("DesiredTaskCount", "Average"),
                ("PendingTaskCount", "Average"),
            ),
            {},
        ),
        (
            "Deployments in progress",
            _metrics(insights, _ECS, ("DeploymentCount", "Maximum")),
            {},
        ),
    ]


Widget = tuple[str, list[Any], dict[str, Any]]  # title, metrics, more properties


def _target_widgets(namespace: str, http: bool, alternate: bool) -> list[Widget]:
    widgets: list[Widget] = [
        (
            "Targets",
            _target_metrics(
                namespace,
                alternate,
                ("HealthyHostCount", "Minimum"),
                ("UnHealthyHostCount", "Maximum"),
            ),
            {},
        )
    ]
    if http:
        widgets = [
            (
                "Requests and 5xx answers of the tasks",
                _target_metrics(
                    namespace,
                    alternate,
                    ("RequestCount", "Sum"),
                    ("HTTPCode_Target_5XX_Count", "Sum"),
                ),
                {},
            ),
            (
                "Latency (seconds)",
                _target_metrics(
                    namespace,
                    alternate,
                    ("TargetResponseTime", "p50"),
                    ("TargetResponseTime", "p99"),
                ),
                {},
            ),
            *widgets,
        ]
    return widgets


def dashboard_body(targets: str | None, alarms: int, alternate: bool = False) -> str:
    """The dashboard's JSON with ``${...}`` placeholders: the target widgets of an application
    (``"application"``) or network (``"network"``) load balancer, or none (``None``), of
    ``${TargetGroup}`` and with ``alternate`` of ``${AlternateTargetGroup}`` too; an alarm
    status widget for the first ``alarms`` alarm placeholders (``${Alarm0}``...)."""
    widgets = [
        *(
            _target_widgets(
                "AWS/ApplicationELB" if targets == "application" else "AWS/NetworkELB",
                http=targets == "application",
                alternate=alternate,
            )
            if targets
            else []
        ),
        *_service_widgets(),
    ]
    body = [
        _widget(title, metrics, index, **extra)
        for index, (title, metrics, extra) in enumerate(widgets)
    ]
    if alarms:
        body.append(
            {
                "type": "alarm",
                "x": 0,
                "y": (len(widgets) + 1) // 2 * _HEIGHT,
                "width": 2 * _WIDTH,
                "height": 3,
                "properties": {
                    "title": "Alarms that roll a deployment back",
                    "alarms": [f"${{Alarm{i}}}" for i in range(alarms)],
                },
            }
        )
    return json.dumps({"widgets": body}, sort_keys=True, separators=(",", ":"))


def _alarm_arn(alarm: Any) -> Sub:
    return Sub(
        "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${Name}",
        Name=Ref(alarm),
    )


def add_dashboard(
    t: Template,
    placement: Placement,
    *,
    cluster: ecs.Cluster | None,
    cluster_name: Any,
    service: ecs.Service,
    load_balancer: elb.LoadBalancer | None,
    target_group: elb.TargetGroup | None,
    alarms: Alarms | None,
    alternate: elb.TargetGroup | None = None,
) -> cloudwatch.Dashboard:
    """The service's dashboard (and the partition table its link needs). In the shipped
    template each body names what exists where it is chosen: without a target group the
    service is an environment's (its ClusterName); behind a network load balancer it is on its
    own (its cluster and load balancer); under ``ShiftsTraffic``, with the ``alternate`` target
    group, the body reads both target groups and shows the alternate's alarms too."""
    service_name = GetAtt(service, "Name")
    body: Any = Sub(dashboard_body(None, 0), Cluster=cluster_name, Service=service_name)
    if target_group is not None and alarms is not None:
        group = GetAtt(target_group, "TargetGroupFullName")
        second = alarms.alternate
        shifts = alternate is not None and second is not None

        def body_of(kind: str, names: dict[str, Any], watched: list[Any], more: list[Any]) -> Any:
            """The body of ``kind`` filled with ``names`` and the ``watched`` alarms, and under
            ``ShiftsTraffic`` the one that adds the alternate target group and its alarms
            ``more``."""
            one = Sub(
                dashboard_body(kind, len(watched)),
                **names,
                **{f"Alarm{i}": _alarm_arn(alarm) for i, alarm in enumerate(watched)},
            )
            if not shifts:
                return one
            both = [*watched, *more]
            two = Sub(
                dashboard_body(kind, len(both), alternate=True),
                **names,
                **{f"Alarm{i}": _alarm_arn(alarm) for i, alarm in enumerate(both)},
                AlternateTargetGroup=GetAtt(alternate, "TargetGroupFullName"),
            )
            return If(SHIFTS_TRAFFIC, two, one)

        application = body_of(
            "application",
            {
                "Cluster": cluster_name,
                "Service": service_name,
                "LoadBalancer": load_balancer_full_name(placement, load_balancer),
                "TargetGroup": group,
            },
            [alarms.unhealthy_targets, alarms.error_rate],
            [second.unhealthy_targets, second.error_rate] if second is not None else [],
        )
        body = application
        if isinstance(placement.target_group, str) and cluster is not None and load_balancer:
            network = body_of(
                "network",
                {
                    "Cluster": Ref(cluster),
                    "Service": service_name,
                    "LoadBalancer": GetAtt(load_balancer, "LoadBalancerFullName"),
                    "TargetGroup": group,
                },
                [alarms.unhealthy_targets],
                [second.unhealthy_targets] if second is not None else [],
            )
            joined = Sub(dashboard_body(None, 0), Cluster=Ref(CLUSTER_NAME), Service=service_name)
            body = If(HAS_ERROR_RATE_ALARM, application, If(HAS_TARGET_GROUP, network, joined))
    t.add_mapping(
        CONSOLE_HOSTS,
        {partition: {"Host": host} for partition, host in CONSOLE_HOST_BY_PARTITION.items()},
    )
    return t.add_resource(cloudwatch.Dashboard(DASHBOARD, DashboardBody=body))


def dashboard_url(dashboard: cloudwatch.Dashboard) -> Sub:
    """The dashboard in the console of the stack's partition."""
    return Sub(
        "https://${Host}/cloudwatch/home?region=${AWS::Region}#dashboards:name=${Dashboard}",
        Host=FindInMap(CONSOLE_HOSTS, Partition, "Host"),
        Dashboard=Ref(dashboard),
    )
