"""The tasks' IAM roles, written with awacs: the execution role ECS uses to pull the images (from
the one repository ``ContainerImage`` names, and each sidecar's own), to write the containers' logs
and to read exactly the application's secrets, and the environment file and secret the console
parameters name (inline policies ``ReadEnvironmentFile`` and ``ReadSecretArn``, each only when
given); and the task role the application runs as (the managed policies and statements the
application gives, in the inline policy ``Application``, the managed policies of
``TaskRoleManagedPolicyArns``, and ECS Exec's, in the inline policy ``EcsExec``, when
``EnableExecuteCommand`` is true)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from awacs import ecr as awacs_ecr
from awacs import kms as awacs_kms
from awacs import logs as awacs_logs
from awacs import s3 as awacs_s3
from awacs import secretsmanager, ssm, ssmmessages
from awacs.aws import (
    Action,
    Allow,
    Condition,
    ConditionElement,
    Deny,
    PolicyDocument,
    Statement,
)
from troposphere import GetAtt, If, Join, NoValue, Ref, Select, Split, Sub, Template, iam, logs

from ..application import Application, PolicyStatement, TaskRole, cfn_string
from ..blocks import inline_policy, service_trust
from .names import (
    APPLICATION_POLICY,
    CONTAINER_IMAGE,
    ENVIRONMENT_FILE_ARN,
    ENVIRONMENT_FILE_POLICY,
    EXECUTE_COMMAND_ENABLED,
    EXECUTE_COMMAND_POLICY,
    EXECUTION_ROLE,
    HAS_ENVIRONMENT_FILE,
    HAS_SECRET,
    HAS_TASK_ROLE_MANAGED_POLICIES,
    IS_CHINA,
    SECRET_ARN_PARAMETER,
    SECRET_ARN_POLICY,
    TASK_ROLE,
    TASK_ROLE_MANAGED_POLICY_ARNS,
)

# ECS Exec needs these session-channel actions; they accept no resource narrower than "*".
_EXECUTE_COMMAND_ACTIONS = [
    ssmmessages.CreateControlChannel,
    ssmmessages.CreateDataChannel,
    ssmmessages.OpenControlChannel,
    ssmmessages.OpenDataChannel,
]


# Statement IDs of the execution role's grants for the application's secrets.
READ_SECRETS_SID = "ReadTheServiceSecrets"
READ_PARAMETERS_SID = "ReadTheServiceParameters"
DECRYPT_SECRETS_SID = "DecryptTheServiceSecrets"
# ... and for the environment file and the secret the console parameters name.
READ_ENVIRONMENT_FILE_SID = "ReadTheEnvironmentFile"
LOCATE_ENVIRONMENT_FILE_BUCKET_SID = "LocateTheEnvironmentFileBucket"
READ_SECRET_ARN_SID = "ReadTheSecretArnSecret"


@dataclass(frozen=True)
class Roles:
    execution: iam.Role  # ECS's, to start the task
    task: iam.Role  # the application's


def add_roles(t: Template, log_group: logs.LogGroup, application: Application) -> Roles:
    return Roles(
        execution=t.add_resource(_execution_role(log_group, application)),
        task=t.add_resource(_task_role(log_group, application.task_role)),
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


def _execution_role(log_group: logs.LogGroup, application: Application) -> iam.Role:
    # Each sidecar's repository, once; the application's own is computed from ContainerImage.
    sidecar_repositories = [
        cfn_string(arn)
        for arn in sorted({sidecar.repository_arn for sidecar in application.sidecars})
    ]
    return iam.Role(
        EXECUTION_ROLE,
        AssumeRolePolicyDocument=_ecs_tasks_trust(),
        Policies=[
            inline_policy(
                "PullImageAndWriteLogs",
                [
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
                        Resource=[image_repository_arn(), *sidecar_repositories],
                    ),
                    Statement(
                        Sid="WriteContainerLogs",
                        Effect=Allow,
                        Action=[awacs_logs.CreateLogStream, awacs_logs.PutLogEvents],
                        Resource=[GetAtt(log_group, "Arn")],
                    ),
                    *_secret_statements(application),
                ],
            ),
            If(HAS_ENVIRONMENT_FILE, _environment_file_policy(), NoValue),
            If(HAS_SECRET, _secret_arn_policy(), NoValue),
        ],
    )


def environment_file_bucket_arn() -> Any:
    """ARN of the bucket that holds EnvironmentFileArn: ``arn:<partition>:s3:::<bucket>``, the
    part of the object's ARN before the first "/"."""
    return Select(0, Split("/", Ref(ENVIRONMENT_FILE_ARN)))


def _environment_file_policy() -> iam.Policy:
    # What ECS needs to fetch an environment file, as its developer guide lists it ("Specifying
    # environment variables", Required IAM permissions): s3:GetObject on the file and
    # s3:GetBucketLocation on its bucket. Exactly these two resources.
    return inline_policy(
        ENVIRONMENT_FILE_POLICY,
        [
            Statement(
                Sid=READ_ENVIRONMENT_FILE_SID,
                Effect=Allow,
                Action=[awacs_s3.GetObject],
                Resource=[Ref(ENVIRONMENT_FILE_ARN)],
            ),
            Statement(
                Sid=LOCATE_ENVIRONMENT_FILE_BUCKET_SID,
                Effect=Allow,
                Action=[awacs_s3.GetBucketLocation],
                Resource=[environment_file_bucket_arn()],
            ),
        ],
    )


def _secret_arn_policy() -> iam.Policy:
    return inline_policy(
        SECRET_ARN_POLICY,
        [
            Statement(
                Sid=READ_SECRET_ARN_SID,
                Effect=Allow,
                Action=[secretsmanager.GetSecretValue],
                Resource=[Ref(SECRET_ARN_PARAMETER)],
            )
        ],
    )


def _secret_statements(application: Application) -> list[Statement]:
    """What ECS needs to hand the container its secrets: exactly the secrets and parameters
    named, and the key they are encrypted with when one is named; nothing when there are none."""
    secrets = [
        cfn_string(arn)
        for arn in sorted({s.resource_arn for s in application.all_secrets if not s.is_parameter})
    ]
    parameters = [
        cfn_string(arn)
        for arn in sorted({s.resource_arn for s in application.all_secrets if s.is_parameter})
    ]
    statements = []
    if secrets:
        statements.append(
            Statement(
                Sid=READ_SECRETS_SID,
                Effect=Allow,
                Action=[secretsmanager.GetSecretValue],
                # The secret itself: IAM matches the secret's ARN, not a JSON key or version.
                Resource=secrets,
            )
        )
    if parameters:
        statements.append(
            Statement(
                Sid=READ_PARAMETERS_SID,
                Effect=Allow,
                Action=[ssm.GetParameters],
                Resource=parameters,
            )
        )
    if application.all_secrets and application.secrets_kms_keys:
        statements.append(
            Statement(
                Sid=DECRYPT_SECRETS_SID,
                Effect=Allow,
                Action=[awacs_kms.Decrypt],
                Resource=[cfn_string(key) for key in application.secrets_kms_keys],
            )
        )
    return statements


def _execute_command_policy(log_group: logs.LogGroup) -> iam.Policy:
    return inline_policy(
        EXECUTE_COMMAND_POLICY,
        [
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
    )


class _Operator(ConditionElement):
    """An awacs condition element for any of IAM's operators (awacs has a class per operator;
    the statement names its operator as text)."""

    condition = ""

    def __init__(self, operator: str, keys: dict[str, Any]) -> None:
        super().__init__(keys)
        self.condition = operator


def _condition(statement: PolicyStatement) -> Condition:
    """IAM's ``Condition`` of a statement: each operator once, in the order first given, with
    its keys in order, each key's values a list."""
    operators: dict[str, dict[str, Any]] = {}
    for condition in statement.conditions:
        values = [cfn_string(value) for value in condition.values]
        operators.setdefault(condition.operator, {})[condition.key] = values
    return Condition([_Operator(operator, keys) for operator, keys in operators.items()])


def _application_statement(index: int, statement: PolicyStatement) -> Statement:
    written = Statement(
        Sid=f"{APPLICATION_POLICY}{index}",
        Effect=Allow if statement.effect == "Allow" else Deny,
        # awacs Actions, as everywhere else: "sqs:SendMessage" -> Action("sqs", "SendMessage").
        Action=[Action(*action.split(":", 1)) for action in statement.actions],
        Resource=[cfn_string(resource) for resource in statement.resources],
    )
    if statement.conditions:
        written.Condition = _condition(statement)
    return written


def _task_role(log_group: logs.LogGroup, task_role: TaskRole) -> iam.Role:
    # The application's own role: exactly the managed policies and statements it gives, nothing
    # by default. ECS Exec's are inline, so tasks never start before they are attached.
    execute_command = _execute_command_policy(log_group)
    policies: Any = If(EXECUTE_COMMAND_ENABLED, [execute_command], NoValue)
    if task_role.statements:
        application = inline_policy(
            APPLICATION_POLICY,
            [
                _application_statement(index, statement)
                for index, statement in enumerate(task_role.statements, start=1)
            ],
        )
        # The application's policy stands outside the condition: the policy gates (checkov)
        # cannot judge statements inside an Fn::If, and passed "iam:*" on "*" unseen.
        policies = [application, If(EXECUTE_COMMAND_ENABLED, execute_command, NoValue)]
    role = iam.Role(TASK_ROLE, AssumeRolePolicyDocument=_ecs_tasks_trust(), Policies=policies)
    role.ManagedPolicyArns = _managed_policy_arns(task_role)
    return role


def _managed_policy_arns(task_role: TaskRole) -> Any:
    """The application's managed policies, and TaskRoleManagedPolicyArns' when given."""
    given = Ref(TASK_ROLE_MANAGED_POLICY_ARNS)
    own = [cfn_string(arn) for arn in task_role.managed_policies]
    if not own:
        return If(HAS_TASK_ROLE_MANAGED_POLICIES, given, NoValue)
    # One list of both: the parameter's members joined, then the application's, split again.
    both = Split(",", Join(",", [Join(",", given), *own]))
    return If(HAS_TASK_ROLE_MANAGED_POLICIES, both, own)
