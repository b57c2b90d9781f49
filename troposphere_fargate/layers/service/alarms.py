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
    ALTERNATE_ERROR_RATE_ALARM,
    ALTERNATE_UNHEALTHY_TARGETS_ALARM,
    ERROR_RATE_ALARM,
    ERROR_RATE_ALARM_PERCENT,
    HAS_ALARM_TOPIC,
    HAS_ALTERNATE_ERROR_RATE_ALARM,
    HAS_ERROR_RATE_ALARM,
    IS_APPLICATION,
    SHIFTS_TRAFFIC,
    UNHEALTHY_TARGETS_ALARM,
)
from .placement import Placement, condition_of, pick

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
class TargetGroupAlarms:
    unhealthy_targets: cloudwatch.Alarm
    error_rate: cloudwatch.Alarm


@dataclass(frozen=True)
class Alarms:
    """The alarms on the target group, and under a traffic-shifting strategy the same two on
    the alternate target group (the new revision's half of the time)."""

    unhealthy_targets: cloudwatch.Alarm
    error_rate: cloudwatch.Alarm
    alternate: TargetGroupAlarms | None = None

    def names(self) -> list[Any]:
        """The alarm names a deployment watches, each only where it exists (the list itself
        only where the service has a target group: where the unhealthy targets alarm is)."""
        alarms = [self.error_rate]
        if self.alternate is not None:
            alarms += [self.alternate.unhealthy_targets, self.alternate.error_rate]
        return [Ref(self.unhealthy_targets), *(_where_it_exists(alarm) for alarm in alarms)]


def _where_it_exists(alarm: cloudwatch.Alarm) -> Any:
    condition = getattr(alarm, "Condition", None)
    return If(condition, Ref(alarm), NoValue) if condition else Ref(alarm)


def _actions() -> dict[str, Any]:
    topic = If(HAS_ALARM_TOPIC, [Ref(ALARM_TOPIC_ARN)], NoValue)
    return {"AlarmActions": topic, "OKActions": topic}


def add_alarms(
    t: Template,
    placement: Placement,
    load_balancer: elb.LoadBalancer | None,
    target_group: elb.TargetGroup,
    alternate: elb.TargetGroup | None = None,
) -> Alarms:
    """The two alarms on the service's target group (the error rate's only behind an
    application load balancer: ``HasErrorRateAlarm`` in the shipped template), and with an
    ``alternate`` target group (under ``ShiftsTraffic``) the same two on it."""
    error_condition = HAS_ERROR_RATE_ALARM if isinstance(placement.target_group, str) else None
    main = _add_target_group_alarms(
        t,
        placement,
        load_balancer,
        target_group,
        titles=(UNHEALTHY_TARGETS_ALARM, ERROR_RATE_ALARM),
        conditions=(condition_of(placement.target_group), error_condition),
        which="",
    )
    second = None
    if alternate is not None:
        second = _add_target_group_alarms(
            t,
            placement,
            load_balancer,
            alternate,
            titles=(ALTERNATE_UNHEALTHY_TARGETS_ALARM, ALTERNATE_ERROR_RATE_ALARM),
            conditions=(
                SHIFTS_TRAFFIC,
                HAS_ALTERNATE_ERROR_RATE_ALARM if error_condition else SHIFTS_TRAFFIC,
            ),
            # Not "the new revision's": ECS serves from the two target groups in turn, so after
            # every other deployment the alternate one holds the production tasks.
            which=" (alternate target group: ECS serves from the two in turn)",
        )
    return Alarms(
        unhealthy_targets=main.unhealthy_targets, error_rate=main.error_rate, alternate=second
    )


def _add_target_group_alarms(
    t: Template,
    placement: Placement,
    load_balancer: elb.LoadBalancer | None,
    target_group: elb.TargetGroup,
    *,
    titles: tuple[str, str],
    conditions: tuple[str | None, str | None],
    which: str,
) -> TargetGroupAlarms:
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
    unhealthy = cloudwatch.Alarm(
        titles[0],
        AlarmDescription=Sub(
            "${AWS::StackName}: a task of the service failed its load balancer health "
            f"checks for {EVALUATION_PERIODS} minutes in a row{which}; a deployment rolls back"
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
    metric = cloudwatch.Metric
    error_rate = cloudwatch.Alarm(
        titles[1],
        AlarmDescription=Sub(
            "${AWS::StackName}: more than ${ErrorRateAlarmPercent} % of the requests the tasks "
            f"answered were 5xx for {EVALUATION_PERIODS} minutes in a row{which}; a deployment "
            "rolls back"
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
    for alarm, condition in zip((unhealthy, error_rate), conditions, strict=True):
        if condition is not None:
            alarm.Condition = condition
        t.add_resource(suppress(alarm, guard=ALARM_ACTION_SUPPRESSIONS))
    return TargetGroupAlarms(unhealthy_targets=unhealthy, error_rate=error_rate)
