"""The tasks' IAM roles, written with awacs: the execution role ECS uses to pull the image (from
the one repository ``ContainerImage`` names) and to write the container's logs, and the task role
the application runs as (no permissions of its own; ECS Exec's when ``EnableExecuteCommand`` is
true)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from awacs import ecr as awacs_ecr
from awacs import logs as awacs_logs
from awacs import ssmmessages
from awacs.aws import Allow, PolicyDocument, Statement
from troposphere import GetAtt, If, NoValue, Ref, Select, Split, Sub, Template, iam, logs

from ..blocks import service_trust
from .names import (
    CONTAINER_IMAGE,
    EXECUTE_COMMAND_ENABLED,
    EXECUTE_COMMAND_POLICY,
    EXECUTION_ROLE,
    IS_CHINA,
    TASK_ROLE,
)

# ECS Exec needs these session-channel actions; they accept no resource narrower than "*".
_EXECUTE_COMMAND_ACTIONS = [
    ssmmessages.CreateControlChannel,
    ssmmessages.CreateDataChannel,
    ssmmessages.OpenControlChannel,
    ssmmessages.OpenDataChannel,
]


@dataclass(frozen=True)
class Roles:
    execution: iam.Role  # ECS's, to start the task
    task: iam.Role  # the application's


def add_roles(t: Template, log_group: logs.LogGroup) -> Roles:
    return Roles(
        execution=t.add_resource(_execution_role(log_group)),
        task=t.add_resource(_task_role(log_group)),
    )


def _ecs_tasks_trust() -> PolicyDocument:
    return service_trust(
        "ecs-tasks.amazonaws.com", "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*"
    )


def image_repository_arn() -> Any:
    """ARN of the ECR repository named in ContainerImage, in the image's account and region."""
    host_labels = Split(".", Ref(CONTAINER_IMAGE))
    # "<host>/<repository>:<tag>" or "<host>/<repository>@sha256:<digest>": the host has no ":"
    # and no "@", so the part before the first of them is "<host>/<repository>".
    name = Select(0, Split(":", Select(0, Split("@", Ref(CONTAINER_IMAGE)))))
    repository = If(
        IS_CHINA,
        Select(1, Split(".amazonaws.com.cn/", name)),
        Select(1, Split(".amazonaws.com/", name)),
    )
    return Sub(
        "arn:${AWS::Partition}:ecr:${Region}:${Account}:repository/${Repository}",
        Region=Select(3, host_labels),
        Account=Select(0, host_labels),
        Repository=repository,
    )


def _execution_role(log_group: logs.LogGroup) -> iam.Role:
    return iam.Role(
        EXECUTION_ROLE,
        AssumeRolePolicyDocument=_ecs_tasks_trust(),
        Policies=[
            iam.Policy(
                PolicyName="PullImageAndWriteLogs",
                PolicyDocument=PolicyDocument(
                    Version="2012-10-17",
                    Statement=[
                        Statement(
                            Sid="EcrAuthorizationToken",
                            Effect=Allow,
                            Action=[awacs_ecr.GetAuthorizationToken],
                            # GetAuthorizationToken accepts no resource narrower than "*".
                            Resource=["*"],
                        ),
                        Statement(
                            Sid="PullTheServiceImage",
                            Effect=Allow,
                            Action=[
                                awacs_ecr.BatchCheckLayerAvailability,
                                awacs_ecr.BatchGetImage,
                                awacs_ecr.GetDownloadUrlForLayer,
                            ],
                            Resource=[image_repository_arn()],
                        ),
                        Statement(
                            Sid="WriteContainerLogs",
                            Effect=Allow,
                            Action=[awacs_logs.CreateLogStream, awacs_logs.PutLogEvents],
                            Resource=[GetAtt(log_group, "Arn")],
                        ),
                    ],
                ),
            )
        ],
    )


def _task_role(log_group: logs.LogGroup) -> iam.Role:
    # The application's own role: no permissions until the user attaches some. ECS Exec's are
    # inline, so tasks never start before they are attached.
    execute_command = iam.Policy(
        PolicyName=EXECUTE_COMMAND_POLICY,
        PolicyDocument=PolicyDocument(
            Version="2012-10-17",
            Statement=[
                Statement(
                    Sid="EcsExecSessionChannels",
                    Effect=Allow,
                    Action=_EXECUTE_COMMAND_ACTIONS,
                    # These actions accept no resource narrower than "*".
                    Resource=["*"],
                ),
                Statement(
                    Sid="EcsExecSessionLogs",
                    Effect=Allow,
                    # Exec sessions are logged to the container's log group.
                    Action=[
                        awacs_logs.CreateLogStream,
                        awacs_logs.DescribeLogStreams,
                        awacs_logs.PutLogEvents,
                    ],
                    Resource=[GetAtt(log_group, "Arn")],
                ),
                Statement(
                    Sid="EcsExecFindLogGroup",
                    Effect=Allow,
                    Action=[awacs_logs.DescribeLogGroups],
                    # DescribeLogGroups lists; it accepts no narrower resource.
                    Resource=["*"],
                ),
            ],
        ),
    )
    return iam.Role(
        TASK_ROLE,
        AssumeRolePolicyDocument=_ecs_tasks_trust(),
        Policies=If(EXECUTE_COMMAND_ENABLED, [execute_command], NoValue),
    )
