"""The alarms that decide a rollback, handed to the service's deployments, and sent to
``AlarmTopicArn`` when one is given.

With load balancer traffic (a target group), two alarms watch the service's targets:

- ``UnhealthyTargetsAlarm``: a task the load balancer finds unhealthy, minute after minute;
- ``ErrorRateAlarm`` (behind an application load balancer): the share of requests the tasks
  answer with a 5xx, in percent, above ``ErrorRateAlarmPercent``.

ECS watches them during a deployment and its bake time, and "If the alarms are in the ALARM
state, Amazon ECS ... rolls back the deployment to the previous completed deployment"
(DeploymentAlarms, Amazon ECS API Reference); the circuit breaker stays on beside them, for
tasks that never start. A service without a load balancer (internal or worker) keeps the
circuit breaker alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from troposphere import (
    GetAtt,
    If,
    NoValue,
    Ref,
    Sub,
    Template,
    cloudwatch,
)
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import suppress
from .load_balancer import load_balancer_full_name
from .names import (
    ALARM_TOPIC_ARN,
    ERROR_RATE_ALARM,
    ERROR_RATE_ALARM_PERCENT,
    HAS_ALARM_TOPIC,
    HAS_ERROR_RATE_ALARM,
    IS_APPLICATION,
    UNHEALTHY_TARGETS_ALARM,
)
from .placement import Placement, pick, when

PERIOD_SECONDS = 60
# Minutes in a row before an alarm fires: long enough to ignore one slow health check, short
# enough to stop a canary or a rolling deployment early.
EVALUATION_PERIODS = 3

# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
ALARM_ACTION_SUPPRESSIONS = {
    "cloudwatch_alarm_action_check": (
        "ECS reads the alarm's state itself during deployments (DeploymentAlarms) and rolls "
        "back; AlarmTopicArn, when given, adds the SNS notification, behind an Fn::If guard "
        "cannot evaluate"
    ),
}


@dataclass(frozen=True)
class Alarms:
    unhealthy_targets: cloudwatch.Alarm
    error_rate: cloudwatch.Alarm

    def names(self) -> list[Any]:
        """The alarm names a deployment watches (the error rate's only where it exists)."""
        condition = getattr(self.error_rate, "Condition", None)
        error_rate = Ref(self.error_rate)
        return [
            Ref(self.unhealthy_targets),
            If(condition, error_rate, NoValue) if condition else error_rate,
        ]


def _actions() -> dict[str, Any]:
    topic = If(HAS_ALARM_TOPIC, [Ref(ALARM_TOPIC_ARN)], NoValue)
    return {"AlarmActions": topic, "OKActions": topic}


def add_alarms(
    t: Template,
    placement: Placement,
    load_balancer: elb.LoadBalancer | None,
    target_group: elb.TargetGroup,
) -> Alarms:
    """The two alarms on the service's target group (the error rate's only behind an
    application load balancer: ``HasErrorRateAlarm`` in the shipped template)."""
    dimensions = [
        cloudwatch.MetricDimension(
            Name="LoadBalancer", Value=load_balancer_full_name(placement, load_balancer)
        ),
        cloudwatch.MetricDimension(
            Name="TargetGroup", Value=GetAtt(target_group, "TargetGroupFullName")
        ),
    ]
    namespace = pick(
        placement.standalone,
        If(IS_APPLICATION, "AWS/ApplicationELB", "AWS/NetworkELB"),
        "AWS/ApplicationELB",
    )
    unhealthy = t.add_resource(
        cloudwatch.Alarm(
            UNHEALTHY_TARGETS_ALARM,
            **when(placement.target_group),
            AlarmDescription=Sub(
                "${AWS::StackName}: a task of the service failed its load balancer health "
                f"checks for {EVALUATION_PERIODS} minutes in a row; a deployment rolls back"
            ),
            Namespace=namespace,
            MetricName="UnHealthyHostCount",
            Dimensions=dimensions,
            Statistic="Maximum",
            Period=PERIOD_SECONDS,
            EvaluationPeriods=EVALUATION_PERIODS,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            TreatMissingData="notBreaching",
            **_actions(),
        )
    )
    metric = cloudwatch.Metric
    error_rate = cloudwatch.Alarm(
        ERROR_RATE_ALARM,
        AlarmDescription=Sub(
            "${AWS::StackName}: more than ${ErrorRateAlarmPercent} % of the requests the tasks "
            f"answered were 5xx for {EVALUATION_PERIODS} minutes in a row; a deployment rolls "
            "back"
        ),
        Metrics=[
            cloudwatch.MetricDataQuery(
                Id=name,
                ReturnData=False,
                MetricStat=cloudwatch.MetricStat(
                    Metric=metric(
                        Namespace="AWS/ApplicationELB",
                        MetricName=metric_name,
                        Dimensions=dimensions,
                    ),
                    Period=PERIOD_SECONDS,
                    Stat="Sum",
                ),
            )
            for name, metric_name in (
                ("errors", "HTTPCode_Target_5XX_Count"),
                ("requests", "RequestCount"),
            )
        ]
        + [
            cloudwatch.MetricDataQuery(
                Id="rate",
                Label="5xx answers of the tasks (%)",
                Expression="100 * FILL(errors, 0) / FILL(requests, 1)",
                ReturnData=True,
            )
        ],
        EvaluationPeriods=EVALUATION_PERIODS,
        Threshold=Ref(ERROR_RATE_ALARM_PERCENT),
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching",
        **_actions(),
    )
    if isinstance(placement.target_group, str):  # the shipped template decides at deploy time
        error_rate.Condition = HAS_ERROR_RATE_ALARM
    t.add_resource(error_rate)
    return Alarms(
        unhealthy_targets=suppress(unhealthy, guard=ALARM_ACTION_SUPPRESSIONS),
        error_rate=suppress(error_rate, guard=ALARM_ACTION_SUPPRESSIONS),
    )
