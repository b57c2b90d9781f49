"""Which endpoints a service's tasks call, read from its template's roles."""

from __future__ import annotations

import pytest

from troposphere_fargate.cfn import reach
from troposphere_fargate.layers.endpoints import GATEWAY_SERVICES, INTERFACE_SERVICES


@pytest.mark.parametrize(
    ("action", "endpoint"),
    [
        ("sqs:SendMessage", "sqs"),
        ("SQS:SendMessage", "sqs"),  # IAM's prefixes are not case-sensitive
        ("ecr:BatchGetImage", "ecr.api"),
        ("cloudwatch:PutMetricData", "monitoring"),
        ("dynamodb:GetItem", "dynamodb"),
        ("states:StartExecution", "states"),  # no endpoint in our table: named as the prefix
        # Permissions checked where the resource is, with a token the task signs itself (no
        # AWS API call): RDS IAM tokens; ElastiCache's "short-lived IAM authentication token"
        # in AUTH, a presigned SigV4 request (ElastiCache guide, "Authenticating with IAM");
        # MSK's token from MSKAuthTokenProvider.generate_auth_token, sent to the brokers over
        # SASL (MSK guide, "Configure clients for IAM access control"); Neptune's SigV4-signed
        # requests to the cluster's own endpoint, which "performs the same steps" to check the
        # signature (Neptune guide, "Connecting ... using IAM authentication"); EFS's mount,
        # made with the task role by the platform through the mount target in the subnet (ECS
        # API reference, EFSAuthorizationConfig: the task role is used "when mounting").
        ("rds-db:connect", None),
        ("elasticache:Connect", None),
        ("elasticfilesystem:ClientMount", None),
        ("kafka-cluster:Connect", None),
        ("neptune-db:ReadDataViaQuery", None),
        ("iam:PassRole", None),
        ("*", None),
    ],
)
def test_an_action_calls_the_endpoint_of_its_service(action, endpoint):
    assert reach.endpoints_for(action) == ((endpoint,) if endpoint else ())


# The service names an interface endpoint is created with, as AWS lists them: "The Service name
# column contains the service name that you specify when you create the interface VPC endpoint"
# (AWS PrivateLink guide, "AWS services that integrate with AWS PrivateLink",
# https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html, which
# lists "com.amazonaws.{{region}}.execute-api", "com.amazonaws.{{region}}.appconfig",
# "com.amazonaws.{{region}}.appconfigdata"). The others, where the page could not be read to
# their line, from each service's own page:
# - kinesis-firehose: "Amazon Data Firehose com.amazonaws.region.kinesis-firehose" (AWS
#   PrivateLink guide, "Cross-region enabled AWS services",
#   https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-cross-region-privatelink-support.html);
# - kinesis-streams: "Amazon Kinesis Data Streams: `com.amazonaws.{{region}}.kinesis-streams`"
#   (AWS IoT Greengrass V2 guide, "Stream manager",
#   https://docs.aws.amazon.com/greengrass/v2/developerguide/stream-manager-component.html);
# - bedrock, bedrock-runtime, bedrock-agent, bedrock-agent-runtime: "Amazon Bedrock supports
#   making the following API calls through VPC endpoints." Its whole table, as stored:
#     Category                                     | Endpoint suffix
#     Amazon Bedrock Control Plane API actions     | bedrock
#     Amazon Bedrock Runtime API actions           | bedrock-runtime
#     Amazon Bedrock Agents Build-time API actions | bedrock-agent
#     Amazon Bedrock Agents Runtime API actions    | bedrock-agent-runtime
#   and "Create an interface endpoint for Amazon Bedrock using any of the following service
#   names: com.amazonaws.region.bedrock, ...bedrock-runtime, ...bedrock-agent,
#   ...bedrock-agent-runtime" (https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html;
#   its newest copy adds "Amazon Bedrock Mantle API actions | bedrock-mantle" after the runtime
#   row, whose actions have an IAM prefix of their own, bedrock-mantle);
# - bedrock-data-automation, bedrock-data-automation-runtime: the PrivateLink guide's list for
#   "Amazon Bedrock": "com.amazonaws.region.bedrock-data-automation ...
#   com.amazonaws.region.bedrock-data-automation-runtime" (AWS PrivateLink guide, "AWS services
#   that integrate with AWS PrivateLink", PDF edition
#   https://docs.aws.amazon.com/pdfs/vpc/latest/privatelink/privatelink.pdf);
# - data-servicediscovery: the same list for "AWS Cloud Map": "com.amazonaws.region.servicediscovery
#   ... com.amazonaws.region.data-servicediscovery" (Cloud Map guide, "Access AWS Cloud Map using
#   an interface endpoint", https://docs.aws.amazon.com/cloud-map/latest/dg/vpc-interface-endpoints.html);
# - aps-workspaces: "com.amazonaws.{{region}}.aps-workspaces ... to use the Prometheus-compatible
#   APIs" (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-and-interface-VPC.html);
# - sync-states: Step Functions' endpoints list "sync-states.us-east-2.amazonaws.com" beside
#   "states.us-east-2.amazonaws.com" (https://docs.aws.amazon.com/general/latest/gr/step-functions.html);
# - email: SES's "Service API endpoints" are "email.us-east-1.amazonaws.com"
#   (https://docs.aws.amazon.com/general/latest/gr/ses.html); the SMTP interface's endpoint is
#   email-smtp, which SDK calls do not reach (aws/aws-sdk#181: through it "the client will use
#   the default URL (email.eu-west-1.amazonaws.com)", which "will time out");
# - sagemaker.api, sagemaker.runtime: SageMaker's runtime is a host of its own,
#   "runtime.sagemaker.us-east-1.amazonaws.com" (AWS SDK for Android, AmazonSageMakerRuntime).
NAMED_BY_AWS = {
    "appconfig",
    "appconfigdata",
    "aps-workspaces",
    "bedrock",
    "bedrock-agent",
    "bedrock-agent-runtime",
    "bedrock-data-automation",
    "bedrock-data-automation-runtime",
    "bedrock-runtime",
    "data-servicediscovery",
    "email",
    "execute-api",
    "kinesis-firehose",
    "kinesis-streams",
    "sagemaker.api",
    "sagemaker.runtime",
    "sync-states",
}


@pytest.mark.parametrize(
    ("action", "endpoint"),
    [
        # A prefix whose endpoint is named otherwise: "kinesis" calls Kinesis Data Streams,
        # "firehose" Data Firehose, "ses" the SES API (v1 and v2 alike).
        ("kinesis:PutRecords", "kinesis-streams"),
        ("firehose:PutRecordBatch", "kinesis-firehose"),
        ("ses:SendEmail", "email"),
        ("ses:SendRawEmail", "email"),
        # Bedrock: bedrock-runtime "Contains data plane APIs for making inference requests";
        # bedrock-agent-runtime "Contains data plane APIs for invoking agents and flows, and
        # querying knowledge bases"; bedrock "Contains control plane APIs" (Amazon Bedrock API
        # Reference, https://docs.aws.amazon.com/bedrock/latest/APIReference/welcome.html; the
        # actions are its "actions supported by Amazon Bedrock Runtime" and "by Agents for
        # Amazon Bedrock Runtime" lists).
        ("bedrock:InvokeModel", "bedrock-runtime"),
        ("bedrock:InvokeModelWithResponseStream", "bedrock-runtime"),
        ("bedrock:ApplyGuardrail", "bedrock-runtime"),
        ("bedrock:Retrieve", "bedrock-agent-runtime"),
        ("bedrock:RetrieveAndGenerate", "bedrock-agent-runtime"),
        ("bedrock:InvokeAgent", "bedrock-agent-runtime"),
        ("bedrock:ListFoundationModels", "bedrock"),
        # bedrock-agent "Contains control plane APIs for creating and managing agents, knowledge
        # bases, prompt management, and prompt flows" (the same page); its actions are "The
        # following actions are supported by Agents for Amazon Bedrock: AssociateAgentCollaborator
        # AssociateAgentKnowledgeBase CreateAgent ... ValidateFlowDefinition"
        # (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Agents_for_Amazon_Bedrock.html).
        # A task that ingests documents into a knowledge base calls it, not bedrock.
        ("bedrock:StartIngestionJob", "bedrock-agent"),
        ("bedrock:IngestKnowledgeBaseDocuments", "bedrock-agent"),
        ("bedrock:GetIngestionJob", "bedrock-agent"),
        ("bedrock:GetAgent", "bedrock-agent"),
        ("bedrock:CreateKnowledgeBase", "bedrock-agent"),
        ("bedrock:GetPrompt", "bedrock-agent"),
        # Bedrock Data Automation: "The following actions are supported by Runtime for Amazon
        # Bedrock Data Automation: GetDataAutomationStatus InvokeDataAutomationAsync ..."
        # (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Runtime_for_Amazon_Bedrock_Data_Automation;
        # InvokeDataAutomation, "Sync API: Invoke data automation", is the runtime client's too:
        # botocore's bedrock-data-automation-runtime model), and "by Data Automation for Amazon
        # Bedrock: CreateBlueprint CreateBlueprintVersion CreateDataAutomationProject ..."
        # (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Data_Automation_for_Amazon_Bedrock.html).
        ("bedrock:InvokeDataAutomationAsync", "bedrock-data-automation-runtime"),
        ("bedrock:GetDataAutomationStatus", "bedrock-data-automation-runtime"),
        ("bedrock:InvokeDataAutomation", "bedrock-data-automation-runtime"),
        ("bedrock:CreateDataAutomationProject", "bedrock-data-automation"),
        ("bedrock:GetBlueprint", "bedrock-data-automation"),
        # Every Bedrock API tags its own resources: the action does not say which one it calls.
        ("bedrock:TagResource", "bedrock"),
        # Cloud Map: DiscoverInstances and DiscoverInstancesRevision go to the data- host
        # (botocore's servicediscovery model: "endpoint": {"hostPrefix": "data-"} on those two
        # only; test_cloud_map_discovery_is_the_operations_sdks_send_to_its_data_host); the
        # rest (RegisterInstance, ...) to servicediscovery.
        ("servicediscovery:DiscoverInstances", "data-servicediscovery"),
        ("servicediscovery:DiscoverInstancesRevision", "data-servicediscovery"),
        ("servicediscovery:RegisterInstance", "servicediscovery"),
        # AppConfig: "AppConfig Data provides the data plane APIs your application uses to
        # retrieve configuration data ... StartConfigurationSession ... GetLatestConfiguration"
        # (AWS AppConfig Data API reference); the rest is AppConfig's own API.
        ("appconfig:StartConfigurationSession", "appconfigdata"),
        ("appconfig:GetLatestConfiguration", "appconfigdata"),
        ("appconfig:GetConfigurationProfile", "appconfig"),
        # SageMaker: the runtime API's "invoke-endpoint, invoke-endpoint-async" (AWS CLI,
        # sagemaker-runtime) apart from the SageMaker API.
        ("sagemaker:InvokeEndpoint", "sagemaker.runtime"),
        ("sagemaker:InvokeEndpointAsync", "sagemaker.runtime"),
        ("sagemaker:DescribeEndpoint", "sagemaker.api"),
        # Step Functions: Synchronous Express workflows run through sync-states.
        ("states:StartSyncExecution", "sync-states"),
        ("states:StartExecution", "states"),
        # Amazon Managed Service for Prometheus: "Control plane endpoints start with aps.*, and
        # dataplane endpoints start with aps-workspaces.*" (AWS General Reference,
        # https://docs.aws.amazon.com/general/latest/gr/prometheus-service.html).
        ("aps:RemoteWrite", "aps-workspaces"),
        ("aps:QueryMetrics", "aps-workspaces"),
        ("aps:CreateWorkspace", "aps"),
        # API Gateway: invoking an API is execute-api (its endpoint's own name).
        ("execute-api:Invoke", "execute-api"),
        ("Bedrock:invokemodel", "bedrock-runtime"),  # IAM compares actions case-insensitively
    ],
)
def test_an_action_calls_the_endpoint_aws_names_for_it(action, endpoint):
    """The review: the spec's warnings and the dry run named endpoints that do not exist
    (kinesis, firehose, ses; bedrock for a model invocation, whose endpoint is bedrock-runtime)."""
    assert reach.endpoints_for(action) == (endpoint,)
    assert endpoint in NAMED_BY_AWS | {"aps", "states", "servicediscovery"}


@pytest.mark.parametrize(
    ("action", "endpoints"),
    [
        # A wildcard allows every action it matches: its endpoints, and the prefix's own (the
        # table lists only the actions served elsewhere, so a wildcard may match others).
        (
            "bedrock:*",
            (
                "bedrock",
                "bedrock-runtime",
                "bedrock-agent-runtime",
                "bedrock-agent",
                "bedrock-data-automation",
                "bedrock-data-automation-runtime",
            ),
        ),
        (
            "bedrock:Invoke*",
            (
                "bedrock",
                "bedrock-runtime",
                "bedrock-agent-runtime",
                "bedrock-data-automation",  # InvokeBlueprintOptimizationAsync
                "bedrock-data-automation-runtime",
            ),
        ),
        ("bedrock:*IngestionJob", ("bedrock", "bedrock-agent")),
        ("servicediscovery:*", ("servicediscovery", "data-servicediscovery")),
        ("bedrock:InvokeModel*", ("bedrock", "bedrock-runtime")),
        ("bedrock:Retriev?", ("bedrock", "bedrock-agent-runtime")),
        ("appconfig:*", ("appconfig", "appconfigdata")),
        ("states:StartSync*", ("states", "sync-states")),
        ("kinesis:*", ("kinesis-streams",)),
        ("sqs:*", ("sqs",)),
    ],
)
def test_a_wildcard_calls_every_endpoint_of_the_actions_it_matches(action, endpoints):
    assert reach.endpoints_for(action) == endpoints


def test_the_gateway_endpoints_are_the_endpoint_tables():
    assert set(GATEWAY_SERVICES) == reach.GATEWAY_ENDPOINTS
    assert set(GATEWAY_SERVICES) | set(INTERFACE_SERVICES) == reach.KNOWN_ENDPOINTS
    # Every special case names an endpoint the network can create, or one AWS names.
    named = set(reach.ENDPOINT_OF_PREFIX.values()) | {
        endpoint for split in reach.ENDPOINT_OF_ACTIONS.values() for endpoint in split
    }
    assert named <= set(INTERFACE_SERVICES) | NAMED_BY_AWS


def test_only_the_task_definitions_roles_are_read():
    allow = {"Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "kms:Decrypt"]}]}
    secrets = {
        "Statement": [
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue"},
            {"Effect": "Allow", "Action": ["kms:Decrypt", "ecr:BatchGetImage"]},
        ]
    }
    resources = {
        "Task": {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "TaskRoleArn": {"Fn::GetAtt": ["TaskRole", "Arn"]},
                "ExecutionRoleArn": {"Fn::GetAtt": "ExecutionRole.Arn"},
            },
        },
        "TaskRole": {"Type": "AWS::IAM::Role", "Properties": {}},
        "Attached": {
            "Type": "AWS::IAM::Policy",
            "Properties": {"Roles": [{"Ref": "TaskRole"}], "PolicyDocument": allow},
        },
        "ExecutionRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {"Policies": [{"PolicyDocument": secrets}]},
        },
        "Denied": {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "Roles": [{"Ref": "TaskRole"}],
                "PolicyDocument": {"Statement": [{"Effect": "Deny", "Action": "sns:Publish"}]},
            },
        },
        "Other": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Policies": [
                    {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "ec2:*"}]}}
                ]
            },
        },
    }
    # The task role's kms is its own call; the execution role's kms is Secrets Manager's, and
    # its ECR pulls are the network's required endpoints: neither is read from the role.
    assert reach.endpoints_called(resources) == {
        "kms": ["task role"],
        "secretsmanager": ["secrets"],
        "sqs": ["task role"],
    }
    # A wildcard's every endpoint is called.
    allow["Statement"][0]["Action"] = ["bedrock:Invoke*"]
    assert set(reach.endpoints_called(resources)) == {
        "bedrock",
        "bedrock-agent-runtime",
        "bedrock-data-automation",
        "bedrock-data-automation-runtime",
        "bedrock-runtime",
        "secretsmanager",
    }


# The SDK's service models (botocore, pinned in constraints.txt), from which the API reference's
# operation lists are generated: the client of each Bedrock endpoint and its operations.
BEDROCK_CLIENTS = (
    "bedrock",
    "bedrock-runtime",
    "bedrock-agent",
    "bedrock-agent-runtime",
    "bedrock-data-automation",
    "bedrock-data-automation-runtime",
)
# Operations of bedrock-agent and bedrock-data-automation that the API reference lists quoted
# above (and the Service Authorization Reference pinned in tests/layers/test_iam_actions.py)
# do not name yet: no IAM action is known to allow them, so none is routed.
NEWER_THAN_THE_LISTS = {
    "bedrock-agent": {
        "CreateRetrievalInstruction",
        "CreateRetrievalInstructionVersion",
        "CreateVpcConfiguration",
        "DeleteResourcePolicy",
        "DeleteRetrievalInstruction",
        "DeleteVpcConfiguration",
        "GetResourcePolicy",
        "GetRetrievalInstruction",
        "GetVpcConfiguration",
        "ListRetrievalInstructionVersions",
        "ListRetrievalInstructions",
        "ListVpcConfigurations",
        "PutResourcePolicy",
        "UpdateRetrievalInstruction",
    },
    "bedrock-agent-runtime": {
        "AgenticRetrieveStream",
        "CheckIngestedDocumentAcl",
        "GetDocumentContent",
        "GetIngestedDocumentAcl",
    },
    "bedrock-data-automation": {
        "CreateDataAutomationLibrary",
        "DeleteDataAutomationLibrary",
        "GetDataAutomationLibrary",
        "GetDataAutomationLibraryEntity",
        "GetDataAutomationLibraryIngestionJob",
        "InvokeDataAutomationLibraryIngestionJob",
        "ListDataAutomationLibraries",
        "ListDataAutomationLibraryEntities",
        "ListDataAutomationLibraryIngestionJobs",
        "UpdateDataAutomationLibrary",
    },
}


def _operations(client: str) -> set[str]:
    import botocore.session as botocore_session  # pinned (constraints.txt): never skipped

    return set(botocore_session.get_session().get_service_model(client).operation_names)


def test_each_bedrock_endpoint_serves_the_operations_of_its_api():
    """The review: bedrock:StartIngestionJob, GetAgent, InvokeDataAutomationAsync... were sent
    to bedrock. Each endpoint's list is its API's operations, all of them, less those another
    Bedrock API has too (ListTagsForResource...: left to bedrock) and NEWER_THAN_THE_LISTS."""
    operations = {client: _operations(client) for client in BEDROCK_CLIENTS}
    shared = {
        name
        for client, names in operations.items()
        for name in names
        if any(name in others for other, others in operations.items() if other != client)
    }
    split = reach.ENDPOINT_OF_ACTIONS["bedrock"]
    assert set(split) == set(BEDROCK_CLIENTS) - {"bedrock"}
    for endpoint, names in split.items():
        expected = operations[endpoint] - shared - NEWER_THAN_THE_LISTS.get(endpoint, set())
        assert names == {name.lower() for name in expected}, endpoint


def test_cloud_map_discovery_is_the_operations_sdks_send_to_its_data_host():
    """DiscoverInstances and DiscoverInstancesRevision carry the host prefix data- in Cloud
    Map's model: an SDK calls data-servicediscovery.<region>, which the servicediscovery
    endpoint does not answer."""
    import botocore.session as botocore_session  # pinned (constraints.txt): never skipped

    model = botocore_session.get_session().get_service_model("servicediscovery")
    prefixed = {
        name
        for name in model.operation_names
        if (model.operation_model(name).endpoint or {}).get("hostPrefix") == "data-"
    }
    assert {name.lower() for name in prefixed} == (
        reach.ENDPOINT_OF_ACTIONS["servicediscovery"]["data-servicediscovery"]
    )


def test_an_execution_role_s_secrets_are_read_whatever_the_case_and_each_reason_once():
    """ "The prefix and the action name are case insensitive. For example, iam:ListAccessKeys is
    the same as IAM:listaccesskeys" (IAM User Guide, "IAM JSON policy elements: Action",
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html):
    an execution role's ``SecretsManager:GetSecretValue`` is its secrets' call. Two actions of
    one endpoint, or two task definitions' roles calling it, name each reason once."""
    sends = {"Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "SQS:Receive*"]}]}
    secrets = {"Statement": [{"Effect": "Allow", "Action": "SecretsManager:GetSecretValue"}]}
    resources = {
        f"Task{n}": {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "TaskRoleArn": {"Fn::GetAtt": [f"TaskRole{n}", "Arn"]},
                "ExecutionRoleArn": {"Fn::GetAtt": [f"ExecutionRole{n}", "Arn"]},
            },
        }
        for n in (1, 2)
    }
    for n in (1, 2):
        resources[f"TaskRole{n}"] = {
            "Type": "AWS::IAM::Role",
            "Properties": {"Policies": [{"PolicyDocument": sends}]},
        }
        resources[f"ExecutionRole{n}"] = {
            "Type": "AWS::IAM::Role",
            "Properties": {"Policies": [{"PolicyDocument": secrets}]},
        }
    assert reach.endpoints_called(resources) == {
        "secretsmanager": ["secrets"],
        "sqs": ["task role"],
    }


_TASK = {
    "Type": "AWS::ECS::TaskDefinition",
    "Properties": {"TaskRoleArn": {"Fn::GetAtt": ["TaskRole", "Arn"]}},
}


def _policy(kind: str, action: str, **properties: object) -> dict[str, object]:
    """A policy resource of ``kind`` allowing ``action``, with ``properties``."""
    document = {"Statement": [{"Effect": "Allow", "Action": action}]}
    return {"Type": kind, "Properties": {"PolicyDocument": document, **properties}}


def test_the_role_s_policies_of_every_kind_in_the_template_are_read():
    """A mutation run's review: only inline policies and AWS::IAM::Policy were read, so a task
    role whose calls were in a customer managed policy of the same template was said to call
    nothing, and a service without NAT was not told of the endpoints it lacks. A managed policy
    of the template applies to a role by its ``Roles`` ("The name (friendly name, not ARN) of
    the role to attach the policy to", AWS::IAM::ManagedPolicy's registry schema, as cfn-lint
    ships it;
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html)
    or by the role's ``ManagedPolicyArns``, where its ``Ref`` is its ARN (the schema's
    "primaryIdentifier": ["/properties/PolicyArn"], which ``Ref`` returns); an
    AWS::IAM::RolePolicy by its ``RoleName`` ("The name of the role to associate the policy
    with", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-rolepolicy.html).
    A managed policy of the template that the task role does not name is not its."""

    resources = {
        "Task": _TASK,
        "TaskRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {"ManagedPolicyArns": [{"Ref": "Queues"}, "arn:aws:iam::aws:policy/X"]},
        },
        "Queues": _policy("AWS::IAM::ManagedPolicy", "sqs:SendMessage"),
        "Topics": _policy("AWS::IAM::ManagedPolicy", "sns:Publish", Roles=[{"Ref": "TaskRole"}]),
        "Tables": _policy("AWS::IAM::RolePolicy", "dynamodb:GetItem", RoleName={"Ref": "TaskRole"}),
        "Unused": _policy("AWS::IAM::ManagedPolicy", "kinesis:PutRecord"),
        "Elsewhere": _policy("AWS::IAM::RolePolicy", "kms:Decrypt", RoleName={"Ref": "Other"}),
    }
    assert reach.endpoints_called(resources) == {
        "dynamodb": ["task role"],
        "sns": ["task role"],
        "sqs": ["task role"],
    }


def test_a_role_named_by_its_role_name_or_a_policy_by_its_policy_arn_attribute_is_read():
    """A review of the change above: a policy naming the role by the ``RoleName`` the template
    gives it, or a role naming a managed policy of the template by ``Fn::GetAtt`` of its
    ``PolicyArn``, was not read. ``Roles`` and ``RoleName`` take the role's name ("The name
    (friendly name, not ARN) of the role to attach the policy to", AWS::IAM::ManagedPolicy;
    "The name of the role to associate the policy with", AWS::IAM::RolePolicy,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-rolepolicy.html),
    which is the role's ``RoleName`` when it has one; ``PolicyArn`` is a read-only property of
    AWS::IAM::ManagedPolicy (its registry schema's "readOnlyProperties", as cfn-lint ships it;
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html),
    so ``Fn::GetAtt`` returns its ARN. Another role's name, or another attribute, is not it."""

    resources = {
        "Task": _TASK,
        "TaskRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": "orders-task",
                "ManagedPolicyArns": [
                    {"Fn::GetAtt": ["Queues", "PolicyArn"]},
                    {"Fn::GetAtt": "Topics.PolicyArn"},
                    {"Fn::GetAtt": ["Streams", "PolicyId"]},
                ],
            },
        },
        "Queues": _policy("AWS::IAM::ManagedPolicy", "sqs:SendMessage"),
        "Topics": _policy("AWS::IAM::ManagedPolicy", "sns:Publish"),
        "Streams": _policy("AWS::IAM::ManagedPolicy", "kinesis:PutRecord"),
        "Tables": _policy("AWS::IAM::RolePolicy", "dynamodb:GetItem", RoleName="orders-task"),
        "Logs": _policy("AWS::IAM::Policy", "logs:PutLogEvents", Roles=["orders-task"]),
        "Keys": _policy("AWS::IAM::ManagedPolicy", "kms:Decrypt", Roles=["orders-other"]),
    }
    assert reach.endpoints_called(resources) == {
        "dynamodb": ["task role"],
        "logs": ["task role"],
        "sns": ["task role"],
        "sqs": ["task role"],
    }
