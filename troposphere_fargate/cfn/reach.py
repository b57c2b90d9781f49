"""Which AWS API endpoints a service's tasks call, read from a template's resources: its task
role's allowed actions and the secrets its execution role reads. Without a NAT gateway a task
reaches an AWS API only through a VPC endpoint for it; a call to any other times out (AWS
PrivateLink guide, "Access AWS services through AWS PrivateLink"; Amazon ECS Developer Guide,
"Amazon ECS interface VPC endpoints": tasks in private subnets without NAT need the endpoints of
the services they call). The dry run and the pictures use it; the spec's checks use
:func:`endpoint_for` too.

Image pulls (``ecr.api``, ``ecr.dkr`` and S3's gateway for the layers) and logs are not read
from here: the network template creates those endpoints whenever it creates any.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# An action's IAM service prefix -> the endpoint it calls, where the two differ; otherwise the
# endpoint is named as the prefix (sqs, dynamodb, secretsmanager, ...).
ENDPOINT_OF_PREFIX = {"cloudwatch": "monitoring", "ecr": "ecr.api"}
# Actions that make no call to an AWS API endpoint: a permission checked where the resource is
# (a database token signed in the task, an NFS mount, a connection to a cluster in the VPC),
# handing a role to a service, or an action on every service. RDS, ElastiCache and MSK take a
# token the task signs itself (SigV4, no call); Neptune checks each signed request at the
# cluster's endpoint; EFS is mounted through its mount target (tests/cfn/test_reach.py cites
# each guide).
NO_ENDPOINT_NEEDED = frozenset(
    {
        "*",
        "iam:passrole",
        "rds-db:connect",
        "elasticache:connect",
        "elasticfilesystem:clientmount",
        "elasticfilesystem:clientwrite",
        "elasticfilesystem:clientrootaccess",
    }
)
NO_ENDPOINT_NEEDED_SERVICES = frozenset({"kafka-cluster", "neptune-db"})
# The endpoints that are gateways, not interfaces, and every endpoint the network template can
# make (layers/endpoints.py's GATEWAY_SERVICES and INTERFACE_SERVICES: a test keeps them the
# same). Another service a task calls is reached through a NAT gateway only.
GATEWAY_ENDPOINTS = frozenset({"s3", "dynamodb"})
KNOWN_ENDPOINTS = GATEWAY_ENDPOINTS | frozenset(
    {
        "ecr.api",
        "ecr.dkr",
        "logs",
        "secretsmanager",
        "ssm",
        "ssmmessages",
        "kms",
        "sts",
        "monitoring",
        "xray",
        "elasticloadbalancing",
        "sqs",
        "sns",
        "ecs",
        "ecs-agent",
        "ecs-telemetry",
    }
)
# The execution role's actions the ECS agent calls for a task from its subnets: the secrets'
# (Secrets Manager or SSM decrypts them with their KMS key itself, so kms is not called).
_EXECUTION_CALLS = frozenset({"secretsmanager", "ssm"})


def endpoint_for(action: str) -> str | None:
    """The endpoint ``service:Action`` calls (``sqs:SendMessage`` -> ``sqs``), or None for an
    action that calls none."""
    prefix = action.partition(":")[0].lower()
    if action.lower() in NO_ENDPOINT_NEEDED or prefix in NO_ENDPOINT_NEEDED_SERVICES:
        return None
    return ENDPOINT_OF_PREFIX.get(prefix, prefix)


def role_of(arn: Any) -> str | None:
    """The role a task definition's ``TaskRoleArn`` or ``ExecutionRoleArn`` names by
    ``Fn::GetAtt`` (either form), or None."""
    if isinstance(arn, Mapping) and "Fn::GetAtt" in arn:
        target = arn["Fn::GetAtt"]
        first = target[0] if isinstance(target, list) and target else str(target).split(".")[0]
        return str(first)
    return None


def allowed_actions(resources: Mapping[str, Any], role: str) -> list[str]:
    """The actions the Allow statements of ``role`` name: its inline policies and the
    ``AWS::IAM::Policy`` resources attached to it (managed policies are not in the template)."""
    documents = [
        policy.get("PolicyDocument") or {}
        for policy in (resources.get(role) or {}).get("Properties", {}).get("Policies") or []
    ]
    documents += [
        body.get("Properties", {}).get("PolicyDocument") or {}
        for body in resources.values()
        if body.get("Type") == "AWS::IAM::Policy"
        and any(
            isinstance(r, Mapping) and r.get("Ref") == role
            for r in body.get("Properties", {}).get("Roles") or []
        )
    ]
    found = []
    for document in documents:
        for statement in document.get("Statement") or []:
            if statement.get("Effect") != "Allow":
                continue
            actions = statement.get("Action") or []
            found += [
                a for a in (actions if isinstance(actions, list) else [actions]) if ":" in str(a)
            ]
    return [str(action) for action in found]


def task_roles(resources: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The task roles and the execution roles the task definitions among ``resources`` use."""
    task: set[str] = set()
    execution: set[str] = set()
    for body in resources.values():
        if body.get("Type") != "AWS::ECS::TaskDefinition":
            continue
        properties = body.get("Properties", {})
        for found, key in ((task, "TaskRoleArn"), (execution, "ExecutionRoleArn")):
            role = role_of(properties.get(key))
            if role is not None:
                found.add(role)
    return task, execution


def endpoints_called(resources: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each endpoint the tasks of the task definitions among ``resources`` (one stack's, names
    as that stack has them) call, with what calls it: ``task role`` for its allowed actions,
    ``secrets`` for the secrets the execution role reads."""
    task, execution = task_roles(resources)
    called: dict[str, list[str]] = {}
    for roles, why, keep in (
        (task, "task role", None),
        (execution, "secrets", _EXECUTION_CALLS),
    ):
        for role in sorted(roles):
            for action in allowed_actions(resources, role):
                endpoint = endpoint_for(action)
                prefix = action.partition(":")[0].lower()
                if endpoint is None or (keep is not None and prefix not in keep):
                    continue
                reasons = called.setdefault(endpoint, [])
                if why not in reasons:
                    reasons.append(why)
    return dict(sorted(called.items()))
