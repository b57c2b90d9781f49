"""Which AWS API endpoints a service's tasks call, read from a template's resources: its task
role's allowed actions and the secrets its execution role reads. Without a NAT gateway a task
reaches an AWS API only through a VPC endpoint for it; a call to any other times out (AWS
PrivateLink guide, "Access AWS services through AWS PrivateLink"; Amazon ECS Developer Guide,
"Amazon ECS interface VPC endpoints": tasks in private subnets without NAT need the endpoints of
the services they call). The dry run and the pictures use it; the spec's checks use
:func:`endpoints_for` too.

Image pulls (``ecr.api``, ``ecr.dkr`` and S3's gateway for the layers) and logs are not read
from here: the network template creates those endpoints whenever it creates any.
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from .intrinsics import get_att

# An action's IAM service prefix -> the endpoint its actions call, where the two differ (AWS
# PrivateLink guide, "AWS services that integrate with AWS PrivateLink", whose service names are
# the endpoints'); otherwise the endpoint is named as the prefix (sqs, dynamodb, secretsmanager,
# ...). tests/cfn/test_reach.py cites each.
ENDPOINT_OF_PREFIX = {
    "cloudwatch": "monitoring",
    "ecr": "ecr.api",
    "firehose": "kinesis-firehose",
    "kinesis": "kinesis-streams",
    "sagemaker": "sagemaker.api",
    "ses": "email",  # SES API v1 and v2 (email.<region>.amazonaws.com); SMTP is email-smtp
}


def _actions(names: str) -> frozenset[str]:
    """Action names as IAM compares them, case-insensitively: ``"InvokeModel Converse"``."""
    return frozenset(names.lower().split())


# The actions of a prefix that an endpoint of their own serves (a service's data plane, apart
# from its control plane), by prefix, then endpoint, named as the API reference names them.
# Another action of the prefix calls the prefix's endpoint (ENDPOINT_OF_PREFIX). Bedrock's are
# the operation lists of its API reference, one an API ("The following actions are supported
# by Agents for Amazon Bedrock: ..."), less ListTagsForResource, TagResource and UntagResource:
# every Bedrock API has them, so the action alone does not say which endpoint it calls (it is
# left to the prefix's). tests/cfn/test_reach.py cites each list.
ENDPOINT_OF_ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "appconfig": {"appconfigdata": _actions("StartConfigurationSession GetLatestConfiguration")},
    "aps": {
        "aps-workspaces": _actions("RemoteWrite QueryMetrics GetSeries GetLabels GetMetricMetadata")
    },
    "bedrock": {
        "bedrock-runtime": _actions(
            "ApplyGuardrail Converse ConverseStream CountTokens GetAsyncInvoke "
            "InvokeGuardrailChecks InvokeModel InvokeModelWithBidirectionalStream "
            "InvokeModelWithResponseStream ListAsyncInvokes StartAsyncInvoke"
        ),
        "bedrock-agent-runtime": _actions(
            "CreateInvocation CreateSession DeleteAgentMemory DeleteSession EndSession "
            "GenerateQuery GetAgentMemory GetExecutionFlowSnapshot GetFlowExecution "
            "GetInvocationStep GetSession InvokeAgent InvokeFlow InvokeInlineAgent "
            "ListFlowExecutionEvents ListFlowExecutions ListInvocations ListInvocationSteps "
            "ListSessions OptimizePrompt PutInvocationStep Rerank Retrieve RetrieveAndGenerate "
            "RetrieveAndGenerateStream StartFlowExecution StopFlowExecution UpdateSession"
        ),
        # Agents for Amazon Bedrock: agents, knowledge bases (their ingestion jobs), flows and
        # prompts, the "Agents Build-time API actions" of Bedrock's VPC endpoint page.
        "bedrock-agent": _actions(
            "AssociateAgentCollaborator AssociateAgentKnowledgeBase CreateAgent "
            "CreateAgentActionGroup CreateAgentAlias CreateDataSource CreateFlow CreateFlowAlias "
            "CreateFlowVersion CreateKnowledgeBase CreatePrompt CreatePromptVersion DeleteAgent "
            "DeleteAgentActionGroup DeleteAgentAlias DeleteAgentVersion DeleteDataSource "
            "DeleteFlow DeleteFlowAlias DeleteFlowVersion DeleteKnowledgeBase "
            "DeleteKnowledgeBaseDocuments DeletePrompt DisassociateAgentCollaborator "
            "DisassociateAgentKnowledgeBase GetAgent GetAgentActionGroup GetAgentAlias "
            "GetAgentCollaborator GetAgentKnowledgeBase GetAgentVersion GetDataSource GetFlow "
            "GetFlowAlias GetFlowVersion GetIngestionJob GetKnowledgeBase "
            "GetKnowledgeBaseDocuments GetPrompt IngestKnowledgeBaseDocuments "
            "ListAgentActionGroups ListAgentAliases ListAgentCollaborators "
            "ListAgentKnowledgeBases ListAgents ListAgentVersions ListDataSources "
            "ListFlowAliases ListFlows ListFlowVersions ListIngestionJobs "
            "ListKnowledgeBaseDocuments ListKnowledgeBases ListPrompts PrepareAgent PrepareFlow "
            "StartIngestionJob StopIngestionJob UpdateAgent UpdateAgentActionGroup "
            "UpdateAgentAlias UpdateAgentCollaborator UpdateAgentKnowledgeBase UpdateDataSource "
            "UpdateFlow UpdateFlowAlias UpdateKnowledgeBase UpdatePrompt ValidateFlowDefinition"
        ),
        # Data Automation for Amazon Bedrock (blueprints, projects) and its runtime, which
        # processes files with a project.
        "bedrock-data-automation": _actions(
            "CopyBlueprintStage CreateBlueprint CreateBlueprintVersion "
            "CreateDataAutomationProject DeleteBlueprint DeleteDataAutomationProject "
            "GetBlueprint GetBlueprintOptimizationStatus GetDataAutomationProject "
            "InvokeBlueprintOptimizationAsync ListBlueprints ListDataAutomationProjects "
            "UpdateBlueprint UpdateDataAutomationProject"
        ),
        "bedrock-data-automation-runtime": _actions(
            "GetDataAutomationStatus InvokeDataAutomation InvokeDataAutomationAsync"
        ),
    },
    "sagemaker": {
        "sagemaker.runtime": _actions(
            "InvokeEndpoint InvokeEndpointAsync InvokeEndpointWithResponseStream"
        )
    },
    # Cloud Map: discovering instances is its data plane, data-servicediscovery.
    "servicediscovery": {
        "data-servicediscovery": _actions("DiscoverInstances DiscoverInstancesRevision")
    },
    "states": {"sync-states": _actions("StartSyncExecution")},
}
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


def endpoints_for(action: str) -> tuple[str, ...]:
    """The endpoints ``service:Action`` calls: the one of an action (``sqs:SendMessage`` ->
    ``sqs``, ``bedrock:InvokeModel`` -> ``bedrock-runtime``), none for an action that calls
    none. A wildcard (``bedrock:Invoke*``) calls every endpoint of the actions it matches, and
    the prefix's own too: the tables list only the actions served elsewhere."""
    prefix, _, name = action.lower().partition(":")
    if action.lower() in NO_ENDPOINT_NEEDED or prefix in NO_ENDPOINT_NEEDED_SERVICES:
        return ()
    default = ENDPOINT_OF_PREFIX.get(prefix, prefix)
    served = ENDPOINT_OF_ACTIONS.get(prefix, {})
    if "*" not in name and "?" not in name:
        return (next((e for e, names in served.items() if name in names), default),)
    matched = [e for e, names in served.items() if any(fnmatchcase(n, name) for n in names)]
    return (default, *matched)


def role_of(arn: Any) -> str | None:
    """The role a task definition's ``TaskRoleArn`` or ``ExecutionRoleArn`` names by
    ``Fn::GetAtt`` (either form), or None."""
    parts = get_att(arn)
    return parts[0] if parts else None


def allowed_actions(resources: Mapping[str, Any], role: str) -> list[str]:
    """The actions the Allow statements of ``role`` name: its inline policies, the policies of
    the template that name it (``AWS::IAM::Policy`` and ``AWS::IAM::ManagedPolicy`` by their
    ``Roles``, ``AWS::IAM::RolePolicy`` by its ``RoleName``; by ``Ref`` or by the role's own
    ``RoleName`` written out) and the managed policies of the template its ``ManagedPolicyArns``
    name (``Ref`` or ``PolicyArn``); AWS managed policies and those of other stacks are not in
    the template."""
    properties = (resources.get(role) or {}).get("Properties", {})
    documents = [policy.get("PolicyDocument") or {} for policy in properties.get("Policies") or []]
    attached = {
        policy
        for arn in properties.get("ManagedPolicyArns") or []
        if (policy := _managed_policy_of(arn)) is not None
    }
    # A role is named by Ref (its name) or, when the template gives it one, by its RoleName.
    names: list[Any] = [{"Ref": role}]
    if isinstance(properties.get("RoleName"), str):
        names.append(properties["RoleName"])
    documents += [
        body.get("Properties", {}).get("PolicyDocument") or {}
        for name, body in resources.items()
        if _names_role(name, body, names, attached)
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


def _managed_policy_of(arn: Any) -> str | None:
    """The managed policy of the template a ``ManagedPolicyArns`` item names: ``Ref`` of an
    ``AWS::IAM::ManagedPolicy`` is its ARN, and so is its ``PolicyArn`` attribute
    (``Fn::GetAtt``, either form); None for an ARN written out."""
    if not isinstance(arn, Mapping):
        return None
    if isinstance(arn.get("Ref"), str):
        return str(arn["Ref"])
    parts = get_att(arn)
    return parts[0] if parts and parts[1] == "PolicyArn" else None


def _names_role(name: str, body: Mapping[str, Any], role: list[Any], attached: set[str]) -> bool:
    """Whether the policy resource ``name`` applies to the role named ``role`` (its ``Ref``, and
    its ``RoleName`` when the template gives one): it names the role, or it is a managed policy
    the role's ``ManagedPolicyArns`` names."""
    kind = body.get("Type")
    properties = body.get("Properties", {})
    if kind == "AWS::IAM::RolePolicy":
        return properties.get("RoleName") in role
    if kind == "AWS::IAM::ManagedPolicy" and name in attached:
        return True
    return kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy") and any(
        r in role for r in properties.get("Roles") or []
    )


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
                prefix = action.partition(":")[0].lower()
                if keep is not None and prefix not in keep:
                    continue
                for endpoint in endpoints_for(action):
                    reasons = called.setdefault(endpoint, [])
                    if why not in reasons:
                        reasons.append(why)
    return dict(sorted(called.items()))
