"""What runs: the log group the containers write to, the application's container definition
(with what ``config.application`` brings: environment, secrets, health check, command, entry
point, stop timeout; and what the console parameters bring: the environment file
``EnvironmentFileArn`` and the secret ``SecretArn``), each sidecar's definition, and the Fargate
task definition that holds them with one scratch volume per container."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from troposphere import FindInMap, GetAtt, If, NoValue, Ref, Region, Template, ecs, logs

from ..application import Application, HealthCheck, Sidecar, cfn_string
from ..blocks import LOG_GROUP_CHECKOV, LOG_GROUP_SUPPRESSIONS, suppress
from ..config import FARGATE_TASK_SIZES, ServiceConfig
from .names import (
    CONTAINER_IMAGE,
    CONTAINER_PORT,
    CONTAINER_USER,
    CPU_ARCHITECTURE,
    ENVIRONMENT_FILE_ARN,
    EXECUTE_COMMAND_ENABLED,
    HAS_CONTAINER_USER,
    HAS_ENVIRONMENT_FILE,
    HAS_SECRET,
    HAS_SERVICE_CONNECT_APP_PROTOCOL,
    LOG_GROUP,
    LOG_RETENTION_DAYS_PARAMETER,
    SECRET_ARN_PARAMETER,
    SECRET_VARIABLE_NAME,
    SERVICE_CONNECT_APP_PROTOCOL,
    SERVICE_CONNECT_TASK_MEMORY,
    TASK_CPU,
    TASK_DEFINITION,
    TASK_MEMORY,
)
from .placement import Placement, exists, pick
from .roles import Roles

SCRATCH_VOLUME = "tmp"  # the application container's; a sidecar's is sidecar_scratch_volume()
SCRATCH_PATH = "/tmp"
# The container port's name, which an internal service's Service Connect configuration names
# (its PortName "must match the name of one of the portMappings", ServiceConnectService).
SERVICE_CONNECT_PORT_NAME = "app"
# Where the Service Connect proxy's logs go, in the service's log group.
SERVICE_CONNECT_LOG_PREFIX = "service-connect"
# The task memory the application's container leaves to the Service Connect proxy ECS adds to
# each task of an environment's service: "you must set the task memory limit to a number greater
# than the sum of the container memory limits. The additional CPU and memory in the task limits
# that aren't allocated in the container limits are used by the Service Connect proxy
# container"; "We recommend adding ... at least 64 MiB of memory to your task CPU and memory for
# the Service Connect proxy container" (Amazon ECS Developer Guide, Service Connect components).
SERVICE_CONNECT_PROXY_MEMORY = 64
_APPLICATION = "Application"  # the attribute of SERVICE_CONNECT_TASK_MEMORY's entries

# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
_MEMORY_RULE = "ecs_task_definition_memory_hard_limit_check"
TASK_DEFINITION_SUPPRESSIONS = {
    "ecs_containers_readonly_access_check": (
        "the root file system is read-only unless EnableExecuteCommand is true, because the "
        "ECS Exec agent writes to it; guard cannot evaluate the Fn::If"
    ),
    _MEMORY_RULE: (
        "the container's Memory is the TaskMemory parameter, a Fargate size from AllowedValues "
        f"(in an environment {SERVICE_CONNECT_PROXY_MEMORY} MiB less, from the "
        f"{SERVICE_CONNECT_TASK_MEMORY} mapping, for the Service Connect proxy); guard cannot "
        "read parameter values"
    ),
}
# The application's container names its User through ContainerUser (which refuses root; empty,
# the image's USER), an Fn::If that Control Tower's static non-root check takes for a user. Its
# hook, which sees the value, refuses an empty one, and so does Security Hub ECS.20: the README
# says to give ContainerUser, and tests/policy/test_hooks.py holds that list. A sidecar without
# a user of its own runs as its image's USER, which nothing here can read.
_NONROOT_RULE = "ecs_task_definition_nonroot_user_check"
SIDECAR_USER_REASON = (
    "a sidecar without a user in the spec runs as its image's USER, which a fixed UID could "
    "break and nothing here can read: give each sidecar a user to meet the check"
)
# Added to the memory rule's reason when a container (a sidecar) has no Memory: two hard limits
# would reserve more than the task has, since the application's container reserves all of it
# (in an environment, all but what the Service Connect proxy needs).
SIDECAR_MEMORY_REASON = (
    "sidecars have no Memory of their own: they share the task's TaskMemory, which Fargate "
    "enforces, and the application's container already reserves all of it (in an "
    f"environment, all but the Service Connect proxy's {SERVICE_CONNECT_PROXY_MEMORY} MiB)"
)


def sidecar_scratch_volume(sidecar: Sidecar) -> str:
    """The task volume a sidecar mounts at /tmp: its own, shared with no other container."""
    return f"{sidecar.name}-tmp"


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


def add_service_connect_memory(t: Template, placement: Placement) -> None:
    """In an environment, the mapping of each TaskMemory to the application container's hard
    limit: SERVICE_CONNECT_PROXY_MEMORY less, for the Service Connect proxy. Every Fargate size
    is a key, so a lookup never misses (CloudFormation may evaluate one in a branch of an
    Fn::If it does not take)."""
    if not exists(placement.joined):
        return
    sizes = sorted({memory for sizes in FARGATE_TASK_SIZES.values() for memory in sizes})
    t.add_mapping(
        SERVICE_CONNECT_TASK_MEMORY,
        {str(size): {_APPLICATION: size - SERVICE_CONNECT_PROXY_MEMORY} for size in sizes},
    )


def _application_memory(placement: Placement) -> Any:
    """The application container's hard limit: the whole task on its own; in an environment,
    what the Service Connect proxy leaves (:func:`add_service_connect_memory`)."""
    whole = Ref(TASK_MEMORY)
    return pick(
        placement.joined, FindInMap(SERVICE_CONNECT_TASK_MEMORY, whole, _APPLICATION), whole
    )


def container_definition(
    config: ServiceConfig, log_group: logs.LogGroup, placement: Placement
) -> ecs.ContainerDefinition:
    """The application's container: the image on the container port (none for a worker; named
    for Service Connect when internal), locked down, logging to ``log_group``. The target group
    registers it by ``config.container_name``. Its application protocol (AppProtocol) is set only
    when one is chosen: without it ECS serves TCP, as every version before 0.4.0 did."""
    definition = ecs.ContainerDefinition(
        Name=config.container_name,
        Image=Ref(CONTAINER_IMAGE),
        Essential=True,
        Memory=_application_memory(placement),
        # ECS Exec's agent writes to the root file system: with Exec on, it is
        # writable (Security Hub ECS.5 flags that, rightly; Exec is off by default).
        ReadonlyRootFilesystem=If(EXECUTE_COMMAND_ENABLED, False, True),
        Privileged=False,
        User=If(HAS_CONTAINER_USER, Ref(CONTAINER_USER), NoValue),
        MountPoints=[_scratch_mount(SCRATCH_VOLUME)],
        # An init process reaps zombies and forwards signals; ECS Exec wants it too.
        LinuxParameters=ecs.LinuxParameters(InitProcessEnabled=True),
        LogConfiguration=_awslogs(log_group, config.container_name),
    )
    if placement.listens:
        port = ecs.PortMapping(ContainerPort=Ref(CONTAINER_PORT), Protocol="tcp")
        if exists(placement.serves):
            port.Name = pick(placement.serves, SERVICE_CONNECT_PORT_NAME, NoValue)
            protocol = _app_protocol(config, placement)
            if protocol is not None:
                port.AppProtocol = protocol
        definition.PortMappings = [port]
    _apply_application(definition, config.application)
    _apply_secrets_and_environment_file(definition, config.application)
    return definition


def _app_protocol(config: ServiceConfig, placement: Placement) -> Any:
    """The application protocol Service Connect serves the port by (None: TCP): the shipped
    template's ServiceConnectAppProtocol when it serves an internal service, or the spec's."""
    if placement.deploy_time:
        return If(HAS_SERVICE_CONNECT_APP_PROTOCOL, Ref(SERVICE_CONNECT_APP_PROTOCOL), NoValue)
    return config.app_protocol


def sidecar_definition(sidecar: Sidecar, log_group: logs.LogGroup) -> ecs.ContainerDefinition:
    """A sidecar: its own image (the execution role pulls from that repository only), never
    privileged, a read-only root file system with its own scratch volume at /tmp, logging to
    ``log_group`` under its name. It shares the task's memory (see SIDECAR_MEMORY_REASON). Its
    root stays read-only with ECS Exec on too: Exec then enters the application's container only.
    """
    definition = ecs.ContainerDefinition(
        Name=sidecar.name,
        Image=cfn_string(sidecar.image),
        Essential=sidecar.essential,
        ReadonlyRootFilesystem=True,
        Privileged=False,
        MountPoints=[_scratch_mount(sidecar_scratch_volume(sidecar))],
        LinuxParameters=ecs.LinuxParameters(InitProcessEnabled=True),
        LogConfiguration=_awslogs(log_group, sidecar.name),
    )
    if sidecar.user is not None:
        definition.User = sidecar.user
    if sidecar.port is not None:
        definition.PortMappings = [ecs.PortMapping(ContainerPort=sidecar.port, Protocol="tcp")]
    if sidecar.environment:
        definition.Environment = _environment(sidecar.environment)
    if sidecar.secrets:
        definition.Secrets = [
            ecs.Secret(Name=secret.name, ValueFrom=cfn_string(secret.value_from))
            for secret in sorted(sidecar.secrets, key=lambda secret: secret.name)
        ]
    if sidecar.command:
        definition.Command = list(sidecar.command)
    if sidecar.health_check is not None:
        definition.HealthCheck = _health_check(sidecar.health_check)
    return definition


def _scratch_mount(volume: str) -> ecs.MountPoint:
    return ecs.MountPoint(SourceVolume=volume, ContainerPath=SCRATCH_PATH, ReadOnly=False)


def _awslogs(log_group: logs.LogGroup, stream_prefix: str) -> ecs.LogConfiguration:
    return ecs.LogConfiguration(
        LogDriver="awslogs",
        Options={
            "awslogs-group": Ref(log_group),
            "awslogs-region": Region,
            "awslogs-stream-prefix": stream_prefix,
        },
    )


def _environment(variables: Sequence[tuple[str, str]]) -> list[ecs.Environment]:
    # Sorted by name: the same variables always render the same task definition.
    return [
        ecs.Environment(Name=name, Value=cfn_string(value)) for name, value in sorted(variables)
    ]


def _health_check(check: HealthCheck) -> ecs.HealthCheck:
    return ecs.HealthCheck(
        Command=list(check.command),
        Interval=check.interval_seconds,
        Timeout=check.timeout_seconds,
        Retries=check.retries,
        StartPeriod=check.start_period_seconds,
    )


def _apply_application(definition: ecs.ContainerDefinition, application: Application) -> None:
    """Set what the application brings on its container; nothing when it brings nothing (the
    shipped template)."""
    if application.environment:
        definition.Environment = _environment(application.environment)
    if application.health_check is not None:
        definition.HealthCheck = _health_check(application.health_check)
    if application.command:
        definition.Command = list(application.command)
    if application.entry_point:
        definition.EntryPoint = list(application.entry_point)
    if application.stop_timeout_seconds is not None:
        definition.StopTimeout = application.stop_timeout_seconds


def _apply_secrets_and_environment_file(
    definition: ecs.ContainerDefinition, application: Application
) -> None:
    """The application's secrets, then the one a console user gives (``SecretArn``), and the
    environment file a console user gives (``EnvironmentFileArn``); the console's only when
    given, so the shipped template's container has neither by default."""
    definition.EnvironmentFiles = If(
        HAS_ENVIRONMENT_FILE,
        [ecs.EnvironmentFile(Type="s3", Value=Ref(ENVIRONMENT_FILE_ARN))],
        NoValue,
    )
    secrets: list[ecs.Secret] = [
        ecs.Secret(Name=secret.name, ValueFrom=cfn_string(secret.value_from))
        for secret in sorted(application.secrets, key=lambda secret: secret.name)
    ]
    given = ecs.Secret(Name=Ref(SECRET_VARIABLE_NAME), ValueFrom=Ref(SECRET_ARN_PARAMETER))
    otherwise: Any = secrets or NoValue
    definition.Secrets = If(HAS_SECRET, [*secrets, given], otherwise)


def add_task_definition(
    t: Template,
    roles: Roles,
    containers: Sequence[ecs.ContainerDefinition],
    ephemeral_storage_gib: int | None = None,
) -> ecs.TaskDefinition:
    """A Fargate task of the chosen size and architecture, running ``containers``, with every
    volume they mount (each container's own scratch space), and ``ephemeral_storage_gib`` of
    ephemeral storage when given (Fargate's default otherwise)."""
    volumes = [
        mount.SourceVolume
        for container in containers
        for mount in container.properties.get("MountPoints", [])
    ]
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
            Volumes=[ecs.Volume(Name=name) for name in dict.fromkeys(volumes)],
            ContainerDefinitions=list(containers),
        )
    )
    if ephemeral_storage_gib is not None:
        task_definition.EphemeralStorage = ecs.EphemeralStorage(SizeInGiB=ephemeral_storage_gib)
    suppressions = dict(TASK_DEFINITION_SUPPRESSIONS)
    if any("Memory" not in container.properties for container in containers):
        suppressions[_MEMORY_RULE] = f"{suppressions[_MEMORY_RULE]}; {SIDECAR_MEMORY_REASON}"
    if any("User" not in container.properties for container in containers):
        suppressions[_NONROOT_RULE] = SIDECAR_USER_REASON
    return suppress(task_definition, guard=suppressions)
