"""What runs: the log group the containers write to, the application's container definition,
and the Fargate task definition that holds it. A second container (a sidecar) gets its own
definition function here and joins the task definition's list."""

from __future__ import annotations

from collections.abc import Sequence

from troposphere import GetAtt, If, Ref, Region, Template, ecs, logs

from ..blocks import LOG_GROUP_CHECKOV, LOG_GROUP_SUPPRESSIONS, suppress
from ..config import ServiceConfig
from .names import (
    CONTAINER_IMAGE,
    CONTAINER_PORT,
    CPU_ARCHITECTURE,
    EXECUTE_COMMAND_ENABLED,
    LOG_GROUP,
    LOG_RETENTION_DAYS_PARAMETER,
    TASK_CPU,
    TASK_DEFINITION,
    TASK_MEMORY,
)
from .roles import Roles

SCRATCH_VOLUME = "tmp"

# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
TASK_DEFINITION_SUPPRESSIONS = {
    "ecs_containers_readonly_access_check": (
        "the root file system is read-only unless EnableExecuteCommand is true, because the "
        "ECS Exec agent writes to it; guard cannot evaluate the Fn::If"
    ),
    "ecs_task_definition_memory_hard_limit_check": (
        "the container's Memory is the TaskMemory parameter, a Fargate size from AllowedValues; "
        "guard cannot read parameter values"
    ),
    "ecs_task_definition_nonroot_user_check": (
        "the image sets its own USER; a fixed UID here would break images built for another"
    ),
}


def add_log_group(t: Template) -> logs.LogGroup:
    log_group = t.add_resource(
        logs.LogGroup(
            LOG_GROUP,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            RetentionInDays=Ref(LOG_RETENTION_DAYS_PARAMETER),
        )
    )
    return suppress(log_group, guard=LOG_GROUP_SUPPRESSIONS, checkov=LOG_GROUP_CHECKOV)


def container_definition(
    config: ServiceConfig, log_group: logs.LogGroup
) -> ecs.ContainerDefinition:
    """The application's container: the image on the container port, locked down, logging to
    ``log_group``. The target group registers it by ``config.container_name``."""
    return ecs.ContainerDefinition(
        Name=config.container_name,
        Image=Ref(CONTAINER_IMAGE),
        Essential=True,
        Memory=Ref(TASK_MEMORY),
        PortMappings=[ecs.PortMapping(ContainerPort=Ref(CONTAINER_PORT), Protocol="tcp")],
        # ECS Exec's agent writes to the root file system: with Exec on, it is
        # writable (Security Hub ECS.5 flags that, rightly; Exec is off by default).
        ReadonlyRootFilesystem=If(EXECUTE_COMMAND_ENABLED, False, True),
        Privileged=False,
        MountPoints=[
            ecs.MountPoint(SourceVolume=SCRATCH_VOLUME, ContainerPath="/tmp", ReadOnly=False)
        ],
        # An init process reaps zombies and forwards signals; ECS Exec wants it too.
        LinuxParameters=ecs.LinuxParameters(InitProcessEnabled=True),
        LogConfiguration=ecs.LogConfiguration(
            LogDriver="awslogs",
            Options={
                "awslogs-group": Ref(log_group),
                "awslogs-region": Region,
                "awslogs-stream-prefix": config.container_name,
            },
        ),
    )


def add_task_definition(
    t: Template, roles: Roles, containers: Sequence[ecs.ContainerDefinition]
) -> ecs.TaskDefinition:
    """A Fargate task of the chosen size and architecture, running ``containers``."""
    task_definition = t.add_resource(
        ecs.TaskDefinition(
            TASK_DEFINITION,
            RequiresCompatibilities=["FARGATE"],
            NetworkMode="awsvpc",
            Cpu=Ref(TASK_CPU),
            Memory=Ref(TASK_MEMORY),
            RuntimePlatform=ecs.RuntimePlatform(
                CpuArchitecture=Ref(CPU_ARCHITECTURE), OperatingSystemFamily="LINUX"
            ),
            ExecutionRoleArn=GetAtt(roles.execution, "Arn"),
            TaskRoleArn=GetAtt(roles.task, "Arn"),
            Volumes=[ecs.Volume(Name=SCRATCH_VOLUME)],
            ContainerDefinitions=list(containers),
        )
    )
    return suppress(task_definition, guard=TASK_DEFINITION_SUPPRESSIONS)
