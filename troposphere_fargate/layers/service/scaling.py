"""Autoscaling: the service's task count, between ``MinCapacity`` and ``MaxCapacity``, tracks
each target that is switched on: the average CPU utilization (``CpuTargetUtilization``), the
average memory utilization (``MemoryTargetUtilization``) and, behind an application load
balancer, the requests per task (``RequestsPerTarget``); 0 switches one off. With several, the
service scales out when any asks and in only when all allow ("Application Auto Scaling scales
out when any target tracking policy is ready to scale out, but scales in only if all ... are
ready to scale in", Application Auto Scaling User Guide). A spec's schedules change the bounds
at set times (:mod:`troposphere_fargate.layers.schedules`), and a spec's queue adds target
tracking on its backlog per task (:mod:`troposphere_fargate.layers.queue_scaling`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from troposphere import (
    GetAtt,
    Join,
    Ref,
    Sub,
    Template,
    applicationautoscaling,
    ecs,
)
from troposphere import elasticloadbalancingv2 as elb

from ..queue_scaling import QueueScaling
from ..schedules import ScheduledScaling
from .ecs_service import cluster_name
from .load_balancer import load_balancer_full_name
from .names import (
    CLUSTER_NAME,
    CPU_SCALING_POLICY,
    CPU_TARGET_UTILIZATION,
    HAS_CPU_SCALING,
    HAS_MEMORY_SCALING,
    HAS_REQUEST_SCALING,
    MAX_CAPACITY,
    MEMORY_SCALING_POLICY,
    MEMORY_TARGET_UTILIZATION,
    MIN_CAPACITY,
    QUEUE_SCALING_POLICY,
    REQUEST_SCALING_POLICY,
    REQUESTS_PER_TARGET,
    SCALABLE_TARGET,
)
from .placement import Placement, pick

# Seconds after a scaling activity before the next one in the same direction.
SCALE_IN_COOLDOWN = 120
SCALE_OUT_COOLDOWN = 60


@dataclass(frozen=True)
class Scaling:
    target: applicationautoscaling.ScalableTarget
    cpu_policy: applicationautoscaling.ScalingPolicy
    memory_policy: applicationautoscaling.ScalingPolicy
    request_policy: applicationautoscaling.ScalingPolicy | None  # with a target group
    queue_policy: applicationautoscaling.ScalingPolicy | None = None  # with a queue


def _scheduled_action(schedule: ScheduledScaling) -> applicationautoscaling.ScheduledAction:
    bounds: dict[str, int] = {}
    if schedule.min_capacity is not None:
        bounds["MinCapacity"] = schedule.min_capacity
    if schedule.max_capacity is not None:
        bounds["MaxCapacity"] = schedule.max_capacity
    return applicationautoscaling.ScheduledAction(
        ScheduledActionName=schedule.name,
        Schedule=schedule.schedule,
        Timezone=schedule.timezone,
        ScalableTargetAction=applicationautoscaling.ScalableTargetAction(**bounds),
    )


def _tracking(
    t: Template,
    title: str,
    condition: str | None,
    target: applicationautoscaling.ScalableTarget,
    suffix: str,
    metric: (
        applicationautoscaling.PredefinedMetricSpecification
        | applicationautoscaling.CustomizedMetricSpecification
    ),
    value: Any,
) -> applicationautoscaling.ScalingPolicy:
    """A target tracking policy of ``target`` on ``metric``, kept near ``value``; only where
    ``condition`` holds, when one is given."""
    kind = (
        "PredefinedMetricSpecification"
        if isinstance(metric, applicationautoscaling.PredefinedMetricSpecification)
        else "CustomizedMetricSpecification"
    )
    conditional = {"Condition": condition} if condition is not None else {}
    return t.add_resource(
        applicationautoscaling.ScalingPolicy(
            title,
            PolicyName=Sub(f"${{AWS::StackName}}-{suffix}"),
            PolicyType="TargetTrackingScaling",
            ScalingTargetId=Ref(target),
            TargetTrackingScalingPolicyConfiguration=(
                applicationautoscaling.TargetTrackingScalingPolicyConfiguration(
                    TargetValue=value,
                    ScaleInCooldown=SCALE_IN_COOLDOWN,
                    ScaleOutCooldown=SCALE_OUT_COOLDOWN,
                    **{kind: metric},
                )
            ),
            **conditional,
        )
    )


def _statistic(
    name: str, label: str, metric: applicationautoscaling.TargetTrackingMetric, stat: str
) -> applicationautoscaling.TargetTrackingMetricDataQuery:
    """A metric the expression reads, by its name there (not returned itself)."""
    return applicationautoscaling.TargetTrackingMetricDataQuery(
        Id=name,
        Label=label,
        MetricStat=applicationautoscaling.TargetTrackingMetricStat(Metric=metric, Stat=stat),
        ReturnData=False,
    )


def _backlog_per_task(
    queue: QueueScaling, cluster: Any, service: ecs.Service
) -> applicationautoscaling.CustomizedMetricSpecification:
    """The queue's visible messages over the service's running tasks, as AWS's example has it
    (Application Auto Scaling User Guide, "Example: Amazon SQS queue backlog per task")."""
    metric = applicationautoscaling.TargetTrackingMetric
    dimension = applicationautoscaling.TargetTrackingMetricDimension
    return applicationautoscaling.CustomizedMetricSpecification(
        Metrics=[
            _statistic(
                "messages",
                "Messages waiting in the queue",
                metric(
                    Namespace="AWS/SQS",
                    MetricName="ApproximateNumberOfMessagesVisible",
                    Dimensions=[dimension(Name="QueueName", Value=queue.queue)],
                ),
                "Sum",
            ),
            _statistic(
                "tasks",
                "Tasks running",
                metric(
                    Namespace="ECS/ContainerInsights",
                    MetricName="RunningTaskCount",
                    Dimensions=[
                        dimension(Name="ClusterName", Value=cluster),
                        dimension(Name="ServiceName", Value=GetAtt(service, "Name")),
                    ],
                ),
                "Average",
            ),
            applicationautoscaling.TargetTrackingMetricDataQuery(
                Id="backlog",
                Label="Messages waiting per task",
                Expression="messages / tasks",
                ReturnData=True,
            ),
        ]
    )


def request_resource_label(
    placement: Placement, load_balancer: elb.LoadBalancer | None, target_group: elb.TargetGroup
) -> Any:
    """``app/<load balancer>/<id>/targetgroup/<target group>/<id>``, the label of the request
    count metric, of the service's own load balancer or the environment's."""
    return Join(
        "/",
        [
            load_balancer_full_name(placement, load_balancer),
            GetAtt(target_group, "TargetGroupFullName"),
        ],
    )


def add_autoscaling(
    t: Template,
    placement: Placement,
    cluster: ecs.Cluster | None,
    service: ecs.Service,
    schedules: tuple[ScheduledScaling, ...] = (),
    request_label: Any = None,
    queue: QueueScaling | None = None,
) -> Scaling:
    """Scaling of ``service``, in its own cluster or the environment's (``ClusterName``), with
    ``request_label`` (:func:`request_resource_label`) when it has a target group, and on
    ``queue`` when given."""
    scheduled = {"ScheduledActions": [_scheduled_action(s) for s in schedules]} if schedules else {}
    service_name = f"${{{service.title}.Name}}"
    own = Sub(f"service/${{{cluster.title}}}/{service_name}") if cluster is not None else None
    resource_id = pick(
        placement.standalone, own, Sub(f"service/${{{CLUSTER_NAME}}}/{service_name}")
    )
    target = t.add_resource(
        applicationautoscaling.ScalableTarget(
            SCALABLE_TARGET,
            ServiceNamespace="ecs",
            ScalableDimension="ecs:service:DesiredCount",
            ResourceId=resource_id,
            MinCapacity=Ref(MIN_CAPACITY),
            MaxCapacity=Ref(MAX_CAPACITY),
            **scheduled,
        )
    )
    metric = applicationautoscaling.PredefinedMetricSpecification
    cpu_policy = _tracking(
        t,
        CPU_SCALING_POLICY,
        HAS_CPU_SCALING,
        target,
        "cpu",
        metric(PredefinedMetricType="ECSServiceAverageCPUUtilization"),
        Ref(CPU_TARGET_UTILIZATION),
    )
    memory_policy = _tracking(
        t,
        MEMORY_SCALING_POLICY,
        HAS_MEMORY_SCALING,
        target,
        "memory",
        metric(PredefinedMetricType="ECSServiceAverageMemoryUtilization"),
        Ref(MEMORY_TARGET_UTILIZATION),
    )
    request_policy = None
    if request_label is not None:
        request_policy = _tracking(
            t,
            REQUEST_SCALING_POLICY,
            HAS_REQUEST_SCALING,
            target,
            "requests",
            metric(PredefinedMetricType="ALBRequestCountPerTarget", ResourceLabel=request_label),
            Ref(REQUESTS_PER_TARGET),
        )
    queue_policy = None
    if queue is not None:
        queue_policy = _tracking(
            t,
            QUEUE_SCALING_POLICY,
            None,
            target,
            "queue",
            _backlog_per_task(queue, cluster_name(placement, cluster), service),
            queue.messages_per_task,
        )
    return Scaling(
        target=target,
        cpu_policy=cpu_policy,
        memory_policy=memory_policy,
        request_policy=request_policy,
        queue_policy=queue_policy,
    )
