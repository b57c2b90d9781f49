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
        ("bedrock:InvokeModel", "bedrock"),  # no endpoint in our table: named as the prefix
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
    assert reach.endpoint_for(action) == endpoint


def test_the_gateway_endpoints_are_the_endpoint_tables():
    assert set(GATEWAY_SERVICES) == reach.GATEWAY_ENDPOINTS
    assert set(GATEWAY_SERVICES) | set(INTERFACE_SERVICES) == reach.KNOWN_ENDPOINTS
    # Every special case names an endpoint the network can create.
    assert set(reach.ENDPOINT_OF_PREFIX.values()) <= set(INTERFACE_SERVICES)


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
