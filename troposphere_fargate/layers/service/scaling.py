"""Autoscaling: the service's desired count, between ``MinCapacity`` and ``MaxCapacity``,
tracks the average CPU utilization ``CpuTargetUtilization``."""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Ref, Sub, Template, applicationautoscaling, ecs

from .names import (
    CLUSTER_NAME,
    CPU_SCALING_POLICY,
    CPU_TARGET_UTILIZATION,
    MAX_CAPACITY,
    MIN_CAPACITY,
    SCALABLE_TARGET,
)
from .placement import Placement, pick


@dataclass(frozen=True)
class Scaling:
    target: applicationautoscaling.ScalableTarget
    cpu_policy: applicationautoscaling.ScalingPolicy


def add_autoscaling(
    t: Template, placement: Placement, cluster: ecs.Cluster | None, service: ecs.Service
) -> Scaling:
    """Scaling of ``service``, in its own cluster or the environment's (``ClusterName``)."""
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
        )
    )
    cpu_policy = t.add_resource(
        applicationautoscaling.ScalingPolicy(
            CPU_SCALING_POLICY,
            PolicyName=Sub("${AWS::StackName}-cpu"),
            PolicyType="TargetTrackingScaling",
            ScalingTargetId=Ref(target),
            TargetTrackingScalingPolicyConfiguration=(
                applicationautoscaling.TargetTrackingScalingPolicyConfiguration(
                    PredefinedMetricSpecification=applicationautoscaling.PredefinedMetricSpecification(
                        PredefinedMetricType="ECSServiceAverageCPUUtilization"
                    ),
                    TargetValue=Ref(CPU_TARGET_UTILIZATION),
                    ScaleInCooldown=120,
                    ScaleOutCooldown=60,
                )
            ),
        )
    )
    return Scaling(target=target, cpu_policy=cpu_policy)
