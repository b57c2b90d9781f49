"""The ECS cluster (Container Insights, both Fargate capacity providers) and the ECS service that
keeps the tasks running in it: private subnets without public IPs, registered with the load
balancer's target group, rolled back by the circuit breaker when a deployment fails."""

from __future__ import annotations

from troposphere import If, Join, Ref, Template, cloudformation, ec2, ecs
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import name_tag
from ..config import CAPACITY_PROVIDERS, FARGATE, ServiceConfig
from .names import (
    CAPACITY_PROVIDER,
    CLUSTER,
    CONTAINER_PORT,
    DESIRED_COUNT,
    EXECUTE_COMMAND_ENABLED,
    FORCE_DEPLOYMENT_ON_CHANGE,
    HEALTH_CHECK_GRACE_PERIOD,
    PRIVATE_SUBNET_IDS,
    SERVICE,
)


def add_cluster(t: Template) -> ecs.Cluster:
    return t.add_resource(
        ecs.Cluster(
            CLUSTER,
            ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value="enabled")],
            CapacityProviders=list(CAPACITY_PROVIDERS),
            DefaultCapacityProviderStrategy=[
                ecs.CapacityProviderStrategyItem(CapacityProvider=FARGATE, Weight=1)
            ],
            Tags=name_tag("cluster"),
        )
    )


def add_ecs_service(
    t: Template,
    config: ServiceConfig,
    *,
    cluster: ecs.Cluster,
    task_definition: ecs.TaskDefinition,
    security_group: ec2.SecurityGroup,
    target_group: elb.TargetGroup,
    listeners_ready: cloudformation.WaitConditionHandle,
) -> ecs.Service:
    return t.add_resource(
        ecs.Service(
            SERVICE,
            # ECS attaches the target group only once a listener ties it to the load balancer.
            DependsOn=[listeners_ready.title],
            Cluster=Ref(cluster),
            TaskDefinition=Ref(task_definition),
            DesiredCount=Ref(DESIRED_COUNT),
            CapacityProviderStrategy=[
                ecs.CapacityProviderStrategyItem(CapacityProvider=Ref(CAPACITY_PROVIDER), Weight=1)
            ],
            PlatformVersion="LATEST",
            NetworkConfiguration=ecs.NetworkConfiguration(
                AwsvpcConfiguration=ecs.AwsvpcConfiguration(
                    AssignPublicIp="DISABLED",
                    Subnets=Ref(PRIVATE_SUBNET_IDS),
                    SecurityGroups=[Ref(security_group)],
                )
            ),
            LoadBalancers=[
                ecs.LoadBalancer(
                    ContainerName=config.container_name,
                    ContainerPort=Ref(CONTAINER_PORT),
                    TargetGroupArn=Ref(target_group),
                )
            ],
            HealthCheckGracePeriodSeconds=Ref(HEALTH_CHECK_GRACE_PERIOD),
            DeploymentConfiguration=ecs.DeploymentConfiguration(
                DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(Enable=True, Rollback=True),
                MinimumHealthyPercent=100,
                MaximumPercent=200,
            ),
            # ECS refuses to change a live service's capacity provider strategy without a new
            # deployment ("...you must force a new deployment", aws/aws-cdk#34631). The nonce is
            # the parameters whose change needs one: it changes exactly when they do, and a
            # changed nonce is what starts the forced deployment (AWS::ECS::Service
            # ForceNewDeployment, CloudFormation User Guide).
            ForceNewDeployment=ecs.ForceNewDeployment(
                EnableForceNewDeployment=True,
                ForceNewDeploymentNonce=Join("-", [Ref(p) for p in FORCE_DEPLOYMENT_ON_CHANGE]),
            ),
            EnableExecuteCommand=If(EXECUTE_COMMAND_ENABLED, True, False),
            EnableECSManagedTags=True,
            PropagateTags="SERVICE",
            Tags=name_tag("service"),
        )
    )
