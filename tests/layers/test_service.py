"""Service layer: one behaviour per test, for both load balancer types, with and without a
certificate. ``deployed`` evaluates the template's own constraints, rules and conditions."""

from __future__ import annotations

import ast
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

import troposphere_fargate
from tests.support import SERVICE_REQUIRED as REQUIRED
from tests.support import accepted_or_refused, compute, dangling_refs, props
from troposphere_fargate import Application, DeploymentSettings, HealthCheck, TargetHealth
from troposphere_fargate.cfn.evaluate import Deployment, ParameterError, RuleError, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.config import (
    CAPACITY_PROVIDERS,
    CPU_ARCHITECTURES,
    LOAD_BALANCER_TYPES,
    ServiceConfig,
)
from troposphere_fargate.layers.errors import ConfigError
from troposphere_fargate.layers.service import names, service_template

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
LOAD_BALANCERS = ("application", "network")
CERTIFICATES = ("", CERTIFICATE)


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**REQUIRED, **parameters})


@pytest.fixture(scope="module")
def own(service: dict[str, Any]) -> dict[str, Any]:
    """The shipped service as it deploys on its own (ClusterName empty, the default): its
    resources with every condition decided and every Fn::If taken."""
    return {**service, "Resources": deploy(service).resources}


def variants() -> list[Any]:
    return [
        pytest.param(kind, cert, id=f"{kind}-{'tls' if cert else 'plain'}")
        for kind, cert in itertools.product(LOAD_BALANCERS, CERTIFICATES)
    ]


# --- Inputs ------------------------------------------------------------------------------------


def test_network_inputs_are_typed_so_the_console_shows_pickers(service):
    parameters = service["Parameters"]
    assert parameters[s.VPC_ID]["Type"] == "AWS::EC2::VPC::Id"
    assert parameters[s.PUBLIC_SUBNET_IDS]["Type"] == "List<AWS::EC2::Subnet::Id>"
    assert parameters[s.PRIVATE_SUBNET_IDS]["Type"] == "List<AWS::EC2::Subnet::Id>"


def test_only_the_network_ids_and_the_image_need_a_value(service):
    required = sorted(k for k, v in service["Parameters"].items() if "Default" not in v)
    assert required == sorted(REQUIRED)


def test_every_parameter_has_a_description_a_constraint_a_label_and_one_group(service):
    interface = service["Metadata"]["AWS::CloudFormation::Interface"]
    grouped = [p for group in interface["ParameterGroups"] for p in group["Parameters"]]
    assert sorted(grouped) == sorted(service["Parameters"])
    assert sorted(interface["ParameterLabels"]) == sorted(service["Parameters"])
    for name, parameter in service["Parameters"].items():
        assert parameter["Description"], name
        assert parameter["ConstraintDescription"], name
        assert {"AllowedPattern", "AllowedValues", "MinValue"} & set(parameter), name


@pytest.mark.parametrize(
    "image",
    [
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:latest",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4.2",
        "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/a/b/c-d_e.f:v1_2-3.4",
        "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/web:1",
        "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:" + "a" * 64,
    ],
)
def test_container_image_accepts_private_ecr_images(service, image):
    assert re.fullmatch(service["Parameters"][s.CONTAINER_IMAGE]["AllowedPattern"], image)


# ECR takes repository names whose parts are joined by ".", "_", "__" or any run of hyphens:
# "Pattern: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*"
# (Amazon ECR API Reference, CreateRepository, repositoryName:
# https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html; botocore
# 1.44's ecr model and cfn-lint 1.58's AWS::ECR::Repository schema say the same). The pattern
# ECR documented before, "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*...", refused these.
@pytest.mark.parametrize(
    "repository", ["team--web", "team__web", "shop/api---v2", "a__b/c--d.e_f", "x-y--z"]
)
def test_container_image_accepts_every_repository_name_ecr_takes(service, repository):
    image = f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{repository}:1"
    assert re.fullmatch(service["Parameters"][s.CONTAINER_IMAGE]["AllowedPattern"], image)


@pytest.mark.parametrize(
    "repository", ["team___web", "team_-web", "team.-web", "-web", "web-", "team//web", "_web"]
)
def test_container_image_refuses_repository_names_ecr_refuses(service, repository):
    image = f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{repository}:1"
    assert not re.fullmatch(service["Parameters"][s.CONTAINER_IMAGE]["AllowedPattern"], image)


@pytest.mark.parametrize(
    "image",
    [
        "nginx:latest",
        "docker.io/library/nginx:1.27",
        "public.ecr.aws/nginx/nginx:1.27",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web",  # no tag: "latest" by accident
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/Web:1",  # ECR names are lower case
        "12345678901.dkr.ecr.eu-west-1.amazonaws.com/web:1",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:abc",
        "123456789012.dkr.ecr.eu-west-1.example.com/web:1",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:" + "t" * 129,
        " 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1",
    ],
)
def test_container_image_rejects_anything_but_a_private_ecr_image(service, image):
    assert not re.fullmatch(service["Parameters"][s.CONTAINER_IMAGE]["AllowedPattern"], image)


@pytest.mark.parametrize(
    "value",
    [
        "",
        CERTIFICATE,
        CERTIFICATE.replace("arn:aws:", "arn:aws-us-gov:").replace("eu-west-1", "us-gov-west-1"),
    ],
)
def test_certificate_accepts_empty_or_an_acm_arn(service, value):
    assert re.fullmatch(service["Parameters"][s.CERTIFICATE_ARN]["AllowedPattern"], value)


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::123456789012:server-certificate/web",
        CERTIFICATE.replace("certificate/", "cert/"),
        CERTIFICATE + " ",
        "yes",
    ],
)
def test_certificate_rejects_other_arns(service, value):
    assert not re.fullmatch(service["Parameters"][s.CERTIFICATE_ARN]["AllowedPattern"], value)


@pytest.mark.parametrize("value", ["0.0.0.0/0", "203.0.113.0/24", "198.51.100.7/32"])
def test_allowed_ingress_cidr_accepts(service, value):
    assert re.fullmatch(service["Parameters"][s.ALLOWED_INGRESS_CIDR]["AllowedPattern"], value)


@pytest.mark.parametrize("value", ["0.0.0.0", "10.0.0.0/33", "256.0.0.0/8", "any"])
def test_allowed_ingress_cidr_rejects(service, value):
    assert not re.fullmatch(service["Parameters"][s.ALLOWED_INGRESS_CIDR]["AllowedPattern"], value)


def test_bad_parameter_values_are_rejected_before_anything_is_created(service):
    with pytest.raises(ParameterError, match="ContainerImage"):
        deploy(service, ContainerImage="nginx:latest")
    with pytest.raises(ParameterError, match="ContainerPort"):
        deploy(service, ContainerPort="70000")
    with pytest.raises(ParameterError, match="LoadBalancerType"):
        deploy(service, LoadBalancerType="gateway")


# --- Fargate task sizes ------------------------------------------------------------------------

# The Amazon ECS Developer Guide's table of Fargate task CPU and memory, typed in independently of
# the code: CPU units -> (first MiB, last MiB, step).
DOCUMENTED_SIZES = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4097, 1024)),
    1024: list(range(2048, 8193, 1024)),
    2048: list(range(4096, 16385, 1024)),
    4096: list(range(8192, 30721, 1024)),
    8192: list(range(16384, 61441, 4096)),
    16384: list(range(32768, 122881, 8192)),
}
ALL_PAIRS = [
    (cpu, memory)
    for cpu in DOCUMENTED_SIZES
    for memory in sorted({m for sizes in DOCUMENTED_SIZES.values() for m in sizes})
]


@pytest.mark.parametrize(("cpu", "memory"), ALL_PAIRS)
def test_rules_accept_exactly_the_documented_fargate_task_sizes(service, cpu, memory):
    parameters = {s.TASK_CPU: str(cpu), s.TASK_MEMORY: str(memory)}
    if memory in DOCUMENTED_SIZES[cpu]:
        deploy(service, **parameters)
    else:
        with pytest.raises(RuleError, match=f"TaskCpu {cpu}"):
            deploy(service, **parameters)


def test_task_size_rule_message_says_what_to_choose(service):
    with pytest.raises(RuleError, match=r"choose 512, 1024 or 2048 MiB, or another TaskCpu"):
        deploy(service, TaskCpu="256", TaskMemory="4096")
    with pytest.raises(RuleError, match=r"choose 2048 to 8192 MiB in steps of 1024"):
        deploy(service, TaskCpu="1024", TaskMemory="512")


def test_memory_outside_every_fargate_size_is_rejected_by_its_allowed_values(service):
    with pytest.raises(ParameterError, match="TaskMemory='1000'"):
        deploy(service, TaskMemory="1000")


# --- Cluster and task definition ---------------------------------------------------------------


def test_cluster_has_container_insights_and_both_fargate_capacity_providers(service):
    cluster = props(service["Resources"][s.CLUSTER])
    assert {"Name": "containerInsights", "Value": "enabled"} in cluster["ClusterSettings"]
    assert cluster["CapacityProviders"] == ["FARGATE", "FARGATE_SPOT"]


def test_task_definition_is_a_fargate_awsvpc_task_with_the_chosen_size_and_platform(service):
    task = props(service["Resources"][s.TASK_DEFINITION])
    assert task["RequiresCompatibilities"] == ["FARGATE"]
    assert task["NetworkMode"] == "awsvpc"
    assert task["Cpu"] == {"Ref": s.TASK_CPU}
    assert task["Memory"] == {"Ref": s.TASK_MEMORY}
    assert task["RuntimePlatform"] == {
        "CpuArchitecture": {"Ref": s.CPU_ARCHITECTURE},
        "OperatingSystemFamily": "LINUX",
    }
    assert service["Parameters"][s.CPU_ARCHITECTURE]["AllowedValues"] == ["X86_64", "ARM64"]


def container(service: dict[str, Any]) -> dict[str, Any]:
    (definition,) = props(service["Resources"][s.TASK_DEFINITION])["ContainerDefinitions"]
    return definition


def test_container_runs_the_image_on_the_container_port(own):
    definition = container(own)
    assert definition["Image"] == {"Ref": s.CONTAINER_IMAGE}
    assert definition["Essential"] is True
    assert definition["PortMappings"] == [
        {"ContainerPort": {"Ref": s.CONTAINER_PORT}, "Protocol": "tcp"}
    ]


def test_container_is_locked_down_with_a_writable_tmp_only(service):
    definition = container(service)
    assert definition["Privileged"] is False
    # On its own the whole task; in an environment less the Service Connect proxy's share
    # (tests/layers/test_joining.py).
    assert definition["Memory"] == {
        "Fn::If": [
            s.JOINS_ENVIRONMENT,
            {
                "Fn::FindInMap": [
                    s.SERVICE_CONNECT_TASK_MEMORY,
                    {"Ref": s.TASK_MEMORY},
                    "Application",
                ]
            },
            {"Ref": s.TASK_MEMORY},
        ]
    }
    assert definition["MountPoints"] == [
        {"ContainerPath": "/tmp", "ReadOnly": False, "SourceVolume": s.SCRATCH_VOLUME}
    ]
    volumes = props(service["Resources"][s.TASK_DEFINITION])["Volumes"]
    assert volumes == [{"Name": s.SCRATCH_VOLUME}]


def test_container_logs_to_the_stacks_log_group(service):
    logging = container(service)["LogConfiguration"]
    assert logging["LogDriver"] == "awslogs"
    assert logging["Options"]["awslogs-group"] == {"Ref": s.LOG_GROUP}
    assert logging["Options"]["awslogs-region"] == {"Ref": "AWS::Region"}


def test_log_group_is_retained_and_expires_after_the_chosen_days(service):
    group = service["Resources"][s.LOG_GROUP]
    assert group["DeletionPolicy"] == "Retain"
    assert group["UpdateReplacePolicy"] == "Retain"
    assert props(group)["RetentionInDays"] == {"Ref": s.LOG_RETENTION_DAYS_PARAMETER}


# --- IAM ---------------------------------------------------------------------------------------


def statements(service: dict[str, Any], role: str) -> dict[str, dict[str, Any]]:
    """The statements of the role's first inline policy, the one it always has (the others
    exist only with an application parameter: tests/layers/test_console_application.py)."""
    policy = props(service["Resources"][role])["Policies"][0]
    return {st["Sid"]: st for st in policy["PolicyDocument"]["Statement"]}


def test_roles_trust_only_ecs_tasks_of_this_account(service):
    """Both roles take the confused-deputy conditions. For the task role the ECS Developer Guide
    gives them ("Amazon ECS task IAM role": aws:SourceArn arn:aws:ecs:<region>:<account>:*, a
    cluster's ARN "is not currently supported", so the wildcard). Its execution role page shows
    no condition, and a key ECS did not send would stop every task at start; the CloudFormation
    Template Reference's own Fargate execution role (AWS::ECS::Cluster, example "Create a
    cluster with the Amazon Linux 2023 ECS-Optimized-AMI", ECSTaskExecutionRole, "used within
    Fargate to allow the Fargate agent to download images, and upload logs",
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-cluster.html)
    carries exactly these two, as do AWS's container patterns (aws-samples/container-patterns,
    lint/guard/ecs-task-role.guard requires them of every role ecs-tasks assumes). An audit
    asked again; no report of them failing was found."""
    for role in (s.EXECUTION_ROLE, s.TASK_ROLE):
        (trust,) = props(service["Resources"][role])["AssumeRolePolicyDocument"]["Statement"]
        assert trust["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
        assert trust["Condition"] == {
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
            "ArnLike": {
                "aws:SourceArn": {
                    "Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*"
                }
            },
        }


def test_execution_role_uses_a_wildcard_only_for_the_ecr_token(service):
    by_sid = statements(service, s.EXECUTION_ROLE)
    wildcard = [sid for sid, st in by_sid.items() if "*" in st["Resource"]]
    assert wildcard == ["EcrAuthorizationToken"]
    assert by_sid["EcrAuthorizationToken"]["Action"] == ["ecr:GetAuthorizationToken"]


def test_execution_role_writes_logs_only_to_its_log_group(service):
    logs = statements(service, s.EXECUTION_ROLE)["WriteContainerLogs"]
    assert sorted(logs["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert logs["Resource"] == [{"Fn::GetAtt": [s.LOG_GROUP, "Arn"]}]


@pytest.mark.parametrize(
    ("image", "partition", "arn"),
    [
        (
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2",
            "aws",
            "arn:aws:ecr:eu-west-1:123456789012:repository/shop/web",
        ),
        (
            "210987654321.dkr.ecr.us-east-2.amazonaws.com/web@sha256:" + "0" * 64,
            "aws",
            "arn:aws:ecr:us-east-2:210987654321:repository/web",
        ),
        (
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/a.b/c-d:v1",
            "aws-cn",
            "arn:aws-cn:ecr:cn-north-1:123456789012:repository/a.b/c-d",
        ),
    ],
)
def test_image_pull_is_scoped_to_the_repository_named_in_the_image(service, image, partition, arn):
    pull = statements(service, s.EXECUTION_ROLE)["PullTheServiceImage"]
    assert sorted(pull["Action"]) == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ]
    (resource,) = pull["Resource"]
    values = {s.CONTAINER_IMAGE: image, "AWS::Partition": partition}
    assert compute(resource, values, {s.IS_CHINA: partition == "aws-cn"}) == arn


def test_task_role_has_no_permissions_by_default(service):
    stack = deploy(service)
    assert "Policies" not in props(stack.resources[s.TASK_ROLE])
    assert stack.of_type("AWS::IAM::Policy") == {}
    assert props(stack.resources[s.SERVICE])["EnableExecuteCommand"] is False


def test_ecs_exec_adds_the_session_channel_and_session_log_permissions_only(service):
    stack = deploy(service, EnableExecuteCommand="true")
    (policy,) = props(stack.resources[s.TASK_ROLE])["Policies"]  # inline: attached with the role
    by_sid = {st["Sid"]: st for st in policy["PolicyDocument"]["Statement"]}
    assert sorted(by_sid["EcsExecSessionChannels"]["Action"]) == [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
    ]
    assert by_sid["EcsExecSessionLogs"]["Resource"] == [{"Fn::GetAtt": [s.LOG_GROUP, "Arn"]}]
    wildcard = sorted(sid for sid, st in by_sid.items() if "*" in st["Resource"])
    assert wildcard == ["EcsExecFindLogGroup", "EcsExecSessionChannels"]
    assert props(stack.resources[s.SERVICE])["EnableExecuteCommand"] is True


@pytest.mark.parametrize(("execute", "read_only"), [("false", True), ("true", False)])
def test_root_file_system_is_read_only_unless_ecs_exec_needs_it(service, execute, read_only):
    # ECS Exec's agent cannot run on a read-only root file system.
    stack = deploy(service, EnableExecuteCommand=execute)
    (definition,) = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    assert definition["ReadonlyRootFilesystem"] is read_only


# --- The service -------------------------------------------------------------------------------


def test_service_tasks_get_no_public_ip_and_run_in_the_private_subnets(own):
    network = props(own["Resources"][s.SERVICE])["NetworkConfiguration"]
    assert network["AwsvpcConfiguration"] == {
        "AssignPublicIp": "DISABLED",
        "SecurityGroups": [{"Ref": s.TASK_SECURITY_GROUP}],
        "Subnets": {"Ref": s.PRIVATE_SUBNET_IDS},
    }


def test_service_runs_on_the_chosen_fargate_capacity_provider_on_the_latest_platform(service):
    ecs_service = props(service["Resources"][s.SERVICE])
    assert ecs_service["CapacityProviderStrategy"] == [
        {"CapacityProvider": {"Ref": s.CAPACITY_PROVIDER}, "Weight": 1}
    ]
    assert "LaunchType" not in ecs_service  # exclusive with a capacity provider strategy
    # "The LATEST Linux platform version is 1.4.0" (ECS Developer Guide, Fargate platform
    # versions, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-fargate.html),
    # which ARM64 tasks on FARGATE_SPOT need (below); no parameter or config field pins another.
    assert ecs_service["PlatformVersion"] == "LATEST"
    assert not any("Platform" in name for name in service["Parameters"])
    assert service["Parameters"][s.CAPACITY_PROVIDER]["AllowedValues"] == [
        "FARGATE",
        "FARGATE_SPOT",
    ]


# Fargate Spot runs ARM64 (Graviton) Linux tasks too, since September 2024:
# - ECS API Reference, CapacityProviderStrategyItem
#   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html,
#   and botocore's ECS model since 1.36): "FARGATE_SPOT supports Linux tasks with the X86_64
#   architecture on platform version 1.3.0 or later. FARGATE_SPOT supports Linux tasks with the
#   ARM64 architecture on platform version 1.4.0 or later."
# - AWS What's New, 2024-09-06, "Amazon ECS now supports AWS Graviton-based Spot compute with
#   AWS Fargate" (https://aws.amazon.com/about-aws/whats-new/2024/09/amazon-ecs-graviton-based-spot-compute-fargate/):
#   "configure your task definition just like you do today with cpu-architecture = ARM64 and
#   choose FARGATE_SPOT as the capacity provider" (quoted in aws/copilot-cli#5934;
#   aws/containers-roadmap#2407 is labelled Shipped).
# The ECS Developer Guide's "AWS Fargate capacity providers" page still says "Linux tasks with
# the ARM64 architecture don't support the Fargate Spot capacity provider": that bullet is
# stale (it predates the launch above), and 0.4.0's development refused the pair on its word.
# The service runs on PlatformVersion LATEST, Linux 1.4.0 (asserted above), as ARM64 needs.
@pytest.mark.parametrize("provider", ["FARGATE", "FARGATE_SPOT"])
@pytest.mark.parametrize("architecture", ["X86_64", "ARM64"])
def test_fargate_and_fargate_spot_take_either_architecture(service, provider, architecture):
    values = {s.CAPACITY_PROVIDER: provider, s.CPU_ARCHITECTURE: architecture}
    stack = deploy(service, **values)  # the template's rules take the pair
    ecs_service = props(stack.resources[s.SERVICE])
    assert ecs_service["CapacityProviderStrategy"] == [
        {"CapacityProvider": {"Ref": s.CAPACITY_PROVIDER}, "Weight": 1}
    ]
    config = ServiceConfig(
        default_capacity_provider=provider, default_cpu_architecture=architecture
    )
    parameters = service_template(config).to_dict()["Parameters"]
    assert parameters[s.CAPACITY_PROVIDER]["Default"] == provider
    assert parameters[s.CPU_ARCHITECTURE]["Default"] == architecture


@pytest.mark.parametrize(
    ("before", "after", "forced"),
    [
        ({}, {s.CAPACITY_PROVIDER: "FARGATE_SPOT"}, True),
        ({s.CAPACITY_PROVIDER: "FARGATE_SPOT"}, {s.CAPACITY_PROVIDER: "FARGATE"}, True),
        ({}, {s.DESIRED_COUNT: "3", s.TASK_CPU: "512", s.TASK_MEMORY: "1024"}, False),
    ],
)
def test_the_deployment_nonce_changes_with_the_capacity_provider_and_nothing_else(
    service, before, after, forced
):
    # ECS refuses to change a live service's capacity provider strategy without a forced new
    # deployment: "...making a change to a capacity provider strategy on a service that is
    # already using one, you must force a new deployment" (aws/aws-cdk#34631, #36563).
    # CloudFormation forces one when ForceNewDeploymentNonce changes (AWS::ECS::Service
    # ForceNewDeployment: "When you change the ForceNewDeploymentNonce value in your template, it
    # signals Amazon ECS to start a new deployment").
    def nonce(values: dict[str, str]) -> str:
        stack = deploy(service, **values)
        force = props(stack.resources[s.SERVICE])["ForceNewDeployment"]
        assert force["EnableForceNewDeployment"] is True
        return str(compute(force["ForceNewDeploymentNonce"], stack.parameters))

    assert (nonce(before) != nonce({**before, **after})) is forced


def test_service_deployments_roll_back_on_failure_and_keep_full_capacity(own):
    ecs_service = props(own["Resources"][s.SERVICE])
    assert ecs_service["DeploymentConfiguration"] == {
        "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
        "MaximumPercent": 200,
        "MinimumHealthyPercent": 100,
        # tests/layers/test_deployment_strategies.py: ROLLING by default, and nothing else
        "Strategy": {"Ref": s.DEPLOYMENT_STRATEGY},
        # tests/layers/test_alarms.py
        "Alarms": {
            "AlarmNames": [{"Ref": s.UNHEALTHY_TARGETS_ALARM}, {"Ref": s.ERROR_RATE_ALARM}],
            "Enable": True,
            "Rollback": True,
        },
    }
    assert ecs_service["HealthCheckGracePeriodSeconds"] == {"Ref": s.HEALTH_CHECK_GRACE_PERIOD}


def test_an_update_leaves_the_task_count_to_autoscaling(own):
    """Sent on every update, a DesiredCount would set the count back whenever anything of the
    service changes. Left out, "for existing services, if a desired count is not specified, it
    is omitted from the operation" (AWS::ECS::Service, DesiredCount, CloudFormation User Guide;
    aws/containers-roadmap#493, aws/aws-cdk#13130), and a new service starts with one task,
    which registering the scalable target raises into MinCapacity..MaxCapacity ("it changes the
    resource's current capacity to a value that is inside of this range", Application Auto
    Scaling API Reference, RegisterScalableTarget)."""
    assert "DesiredCount" not in props(own["Resources"][s.SERVICE])
    target = props(own["Resources"][s.SCALABLE_TARGET])
    assert (target["MinCapacity"], target["MaxCapacity"]) == (
        {"Ref": s.MIN_CAPACITY},
        {"Ref": s.MAX_CAPACITY},
    )


def test_a_desired_count_given_is_set_on_creation_and_every_update(service):
    stack = deploy(service, **{s.DESIRED_COUNT: "3"})
    assert props(stack.resources[s.SERVICE])["DesiredCount"] == {"Ref": s.DESIRED_COUNT}


def test_service_registers_its_container_with_the_target_group_after_the_listener_exists(own):
    resource = own["Resources"][s.SERVICE]
    assert props(resource)["LoadBalancers"] == [
        {
            "ContainerName": "app",
            "ContainerPort": {"Ref": s.CONTAINER_PORT},
            "TargetGroupArn": {"Ref": s.TARGET_GROUP},
        }
    ]
    assert resource["DependsOn"] == [s.LISTENERS_READY]
    assert container(own)["Name"] == "app"


@pytest.mark.parametrize(("kind", "cert"), variants())
def test_service_waits_for_every_listener_that_exists(service, kind, cert):
    stack = deploy(service, LoadBalancerType=kind, CertificateArn=cert)
    listeners = stack.of_type("AWS::ElasticLoadBalancingV2::Listener")
    waits_for = stack.resources[s.LISTENERS_READY]["Metadata"]
    assert {v["Ref"] for v in waits_for.values() if v} == set(listeners)


# --- Security groups ---------------------------------------------------------------------------


def ingress_ports(stack: Deployment) -> list[int]:
    rules = stack.of_type("AWS::EC2::SecurityGroupIngress").values()
    for rule in rules:
        assert props(rule)["GroupId"] == {"Ref": s.LOAD_BALANCER_SECURITY_GROUP}
        assert props(rule)["CidrIp"] == {"Ref": s.ALLOWED_INGRESS_CIDR}
        assert props(rule)["Description"]
    return sorted(props(rule)["FromPort"] for rule in rules)


@pytest.mark.parametrize(
    ("kind", "cert", "ports"),
    [
        ("application", "", [80]),
        ("application", CERTIFICATE, [80, 443]),  # 80 only redirects
        ("network", "", [80]),
        ("network", CERTIFICATE, [443]),
    ],
)
def test_load_balancer_admits_only_its_listener_ports_from_the_allowed_cidr(
    service, kind, cert, ports
):
    stack = deploy(service, LoadBalancerType=kind, CertificateArn=cert)
    assert ingress_ports(stack) == ports
    assert "SecurityGroupIngress" not in props(stack.resources[s.LOAD_BALANCER_SECURITY_GROUP])


def test_load_balancer_sends_only_to_the_tasks_on_the_container_port(service):
    group = props(service["Resources"][s.LOAD_BALANCER_SECURITY_GROUP])
    (placeholder,) = group["SecurityGroupEgress"]
    assert placeholder["CidrIp"] == "255.255.255.255/32"  # matches nothing
    (egress,) = [
        v
        for v in service["Resources"].values()
        if v["Type"] == "AWS::EC2::SecurityGroupEgress"
        and props(v)["GroupId"] == {"Ref": s.LOAD_BALANCER_SECURITY_GROUP}
    ]
    assert props(egress) == {
        "Description": "Container port of the tasks",
        "DestinationSecurityGroupId": {"Ref": s.TASK_SECURITY_GROUP},
        "FromPort": {"Ref": s.CONTAINER_PORT},
        "GroupId": {"Ref": s.LOAD_BALANCER_SECURITY_GROUP},
        "IpProtocol": "tcp",
        "ToPort": {"Ref": s.CONTAINER_PORT},
    }


def test_tasks_admit_only_the_load_balancer_group_on_the_container_port(own):
    group = props(own["Resources"][s.TASK_SECURITY_GROUP])
    assert group["SecurityGroupIngress"] == [
        {
            "Description": "Container port from the load balancer",
            "FromPort": {"Ref": s.CONTAINER_PORT},
            "IpProtocol": "tcp",
            "SourceSecurityGroupId": {"Ref": s.LOAD_BALANCER_SECURITY_GROUP},
            "ToPort": {"Ref": s.CONTAINER_PORT},
        }
    ]
    assert not any(
        "CidrIp" in props(rule) and props(rule)["GroupId"] == {"Ref": s.TASK_SECURITY_GROUP}
        for rule in own["Resources"].values()
        if rule["Type"] == "AWS::EC2::SecurityGroupIngress"
    )


def test_tasks_send_only_https(service):
    (egress,) = props(service["Resources"][s.TASK_SECURITY_GROUP])["SecurityGroupEgress"]
    assert (egress["IpProtocol"], egress["FromPort"], egress["ToPort"]) == ("tcp", 443, 443)
    assert egress["Description"]


# --- Load balancer -----------------------------------------------------------------------------


def attributes(stack: Deployment) -> dict[str, Any]:
    return {
        a["Key"]: a["Value"]
        for a in props(stack.resources[s.LOAD_BALANCER])["LoadBalancerAttributes"]
    }


@pytest.mark.parametrize(("kind", "cert"), variants())
def test_load_balancer_is_internet_facing_in_the_public_subnets(service, kind, cert):
    stack = deploy(service, LoadBalancerType=kind, CertificateArn=cert)
    balancer = props(stack.resources[s.LOAD_BALANCER])
    assert balancer["Type"] == {"Ref": s.LOAD_BALANCER_TYPE}
    assert balancer["Scheme"] == "internet-facing"
    assert balancer["Subnets"] == {"Ref": s.PUBLIC_SUBNET_IDS}
    assert balancer["SecurityGroups"] == [{"Ref": s.LOAD_BALANCER_SECURITY_GROUP}]
    assert attributes(stack)["deletion_protection.enabled"] == {"Ref": s.DELETION_PROTECTION}
    assert attributes(stack)["access_logs.s3.enabled"] == "true"
    assert attributes(stack)["access_logs.s3.bucket"] == {"Ref": s.ACCESS_LOGS_BUCKET}


def test_deletion_protection_is_on_by_default(service):
    assert service["Parameters"][s.DELETION_PROTECTION]["Default"] == "true"


def test_application_load_balancer_drops_invalid_headers_and_mitigates_desync(service):
    found = attributes(deploy(service, LoadBalancerType="application"))
    assert found["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert found["routing.http.desync_mitigation_mode"] in ("defensive", "strictest")


def test_network_load_balancer_gets_no_application_only_attributes(service):
    found = attributes(deploy(service, LoadBalancerType="network"))
    assert not [key for key in found if key.startswith("routing.http")]
    assert found["load_balancing.cross_zone.enabled"] == "true"


FORWARD = [{"TargetGroupArn": {"Ref": s.TARGET_GROUP}, "Type": "forward"}]
REDIRECT = [
    {
        "RedirectConfig": {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"},
        "Type": "redirect",
    }
]


@pytest.mark.parametrize(
    ("kind", "cert", "expected"),
    [
        ("application", "", {80: ("HTTP", FORWARD)}),
        ("application", CERTIFICATE, {80: ("HTTP", REDIRECT), 443: ("HTTPS", FORWARD)}),
        ("network", "", {80: ("TCP", FORWARD)}),
        ("network", CERTIFICATE, {443: ("TLS", FORWARD)}),
    ],
)
def test_listeners_serve_http_or_https_and_redirect_http_with_a_301(service, kind, cert, expected):
    stack = deploy(service, LoadBalancerType=kind, CertificateArn=cert)
    listeners = stack.of_type("AWS::ElasticLoadBalancingV2::Listener").values()
    found = {
        props(x)["Port"]: (props(x)["Protocol"], props(x)["DefaultActions"]) for x in listeners
    }
    assert found == expected
    for listener in listeners:
        assert props(listener)["LoadBalancerArn"] == {"Ref": s.LOAD_BALANCER}
        if props(listener)["Port"] == 443:
            assert props(listener)["Certificates"] == [
                {"CertificateArn": {"Ref": s.CERTIFICATE_ARN}}
            ]
            assert props(listener)["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
        else:
            assert "Certificates" not in props(listener)


def test_each_port_keeps_its_listener_when_a_certificate_is_added_or_removed(service):
    # A listener that moved from port 80 to 443 while another took port 80 would collide
    # during the update; with one logical ID per port, an update only adds or removes one.
    for kind in LOAD_BALANCERS:
        plain = deploy(service, LoadBalancerType=kind).of_type(
            "AWS::ElasticLoadBalancingV2::Listener"
        )
        secure = deploy(service, LoadBalancerType=kind, CertificateArn=CERTIFICATE).of_type(
            "AWS::ElasticLoadBalancingV2::Listener"
        )
        for name in set(plain) & set(secure):
            assert props(plain[name])["Port"] == props(secure[name])["Port"]


@pytest.mark.parametrize(("kind", "protocol"), [("application", "HTTP"), ("network", "TCP")])
def test_target_group_registers_task_ips_and_checks_the_health_path(service, kind, protocol):
    group = props(deploy(service, LoadBalancerType=kind).resources[s.TARGET_GROUP])
    assert group["TargetType"] == "ip"
    assert group["Protocol"] == protocol
    assert group["Port"] == {"Ref": s.CONTAINER_PORT}
    assert group["VpcId"] == {"Ref": s.VPC_ID}
    assert group["HealthCheckProtocol"] == "HTTP"
    assert group["HealthCheckPath"] == {"Ref": s.HEALTH_CHECK_PATH}
    assert group["Matcher"] == {"HttpCode": {"Ref": s.HEALTH_CHECK_SUCCESS_CODES}}
    assert group["HealthCheckIntervalSeconds"] == {"Ref": s.HEALTH_CHECK_INTERVAL}
    assert (group["HealthyThresholdCount"], group["UnhealthyThresholdCount"]) == (
        {"Ref": s.HEALTHY_THRESHOLD},
        {"Ref": s.UNHEALTHY_THRESHOLD},
    )
    assert "HealthCheckTimeoutSeconds" not in group  # 0, the default: ELB's for the protocol
    assert "HealthCheckPort" not in group  # the traffic port


# Before 0.4.0 these were fixed: the defaults keep them (interval 10, 2 and 3 checks, 2xx-3xx).
HEALTH_CHECK_DEFAULTS = {
    s.HEALTH_CHECK_INTERVAL: "10",
    s.HEALTH_CHECK_TIMEOUT: "0",
    s.HEALTHY_THRESHOLD: "2",
    s.UNHEALTHY_THRESHOLD: "3",
    s.HEALTH_CHECK_SUCCESS_CODES: "200-399",
}


def test_a_health_check_timeout_given_is_set(service):
    group = deploy(service, **{s.HEALTH_CHECK_TIMEOUT: "5"}).resources[s.TARGET_GROUP]
    assert props(group)["HealthCheckTimeoutSeconds"] == {"Ref": s.HEALTH_CHECK_TIMEOUT}


# ("5", "0"): ELB compares its own default timeout (5 or 6 seconds for an HTTP check) with the
# interval too, and refuses an interval of 5 without a timeout: "Health check interval must be
# greater than the timeout" (terraform-linters/tflint-ruleset-aws#404). It used to pass here.
@pytest.mark.parametrize(
    ("interval", "timeout", "ok"),
    [("10", "5", True), ("10", "6", True), ("10", "10", False), ("5", "4", True),
     ("5", "5", False), ("300", "120", True), ("30", "0", True), ("10", "0", True),
     ("5", "0", False)],
)  # fmt: skip
def test_a_timeout_not_shorter_than_the_interval_is_refused_by_a_rule(
    service, interval, timeout, ok
):
    values = {s.HEALTH_CHECK_INTERVAL: interval, s.HEALTH_CHECK_TIMEOUT: timeout}
    accepted_or_refused(
        lambda: deploy(service, **values),
        ok,
        RuleError,
        r"must be shorter than .*, or 0 .* interval of 10",
    )


@pytest.mark.parametrize("codes", ["200", "200-299", "200,204", "200-299,302,404"])
def test_success_codes_the_load_balancers_take_are_accepted(service, codes):
    deploy(service, **{s.HEALTH_CHECK_SUCCESS_CODES: codes})


@pytest.mark.parametrize("codes", ["", "100", "500", "2xx", "200-", "200;204", "200, 204"])
def test_success_codes_they_do_not_take_are_refused(service, codes):
    with pytest.raises(ParameterError, match=s.HEALTH_CHECK_SUCCESS_CODES):
        deploy(service, **{s.HEALTH_CHECK_SUCCESS_CODES: codes})


def test_success_codes_of_a_range_written_high_to_low_are_refused_by_the_dry_run(tmp_path):
    """No template rule can compare two numbers, and the shipped pattern passes 299-200:
    validate said "CloudFormation would accept these values". Elastic Load Balancing documents
    a range as low-high: "a range of values (for example, "200-299")" (Elastic Load Balancing
    API Reference, Matcher)."""
    from troposphere_fargate.cfn.dry_run import DryRunFailed, dry_run
    from troposphere_fargate.cfn.yaml import to_yaml

    path = tmp_path / "service.yaml"
    path.write_text(to_yaml(service_template().to_dict()), encoding="utf-8")
    subnets = {s.PUBLIC_SUBNET_IDS: "subnet-0a1b2c3d,subnet-1a2b3c4d"}
    subnets[s.PRIVATE_SUBNET_IDS] = "subnet-2a1b2c3d,subnet-3a2b3c4d"
    values = {**REQUIRED, **subnets, s.HEALTH_CHECK_SUCCESS_CODES: "200,299-200,400-300"}
    with pytest.raises(DryRunFailed) as refused:
        dry_run(path, values)
    assert refused.value.problems == [
        "service.yaml: parameter HealthCheckSuccessCodes: the health check's success codes "
        "299-200, 400-300 are ranges from high to low: Elastic Load Balancing takes a range "
        "low-high (200-299, 300-400)"
    ]
    dry_run(path, {**values, s.HEALTH_CHECK_SUCCESS_CODES: "200,200-299,300-300"})


def test_a_health_check_port_of_its_own_is_checked_and_admitted_from_the_load_balancer():
    config = ServiceConfig(target_health=TargetHealth(port=8081))
    stack = deploy(service_template(config).to_dict())
    assert props(stack.resources[s.TARGET_GROUP])["HealthCheckPort"] == "8081"
    ingress = props(stack.resources[s.TASK_SECURITY_GROUP])["SecurityGroupIngress"]
    assert [(rule["FromPort"], rule["SourceSecurityGroupId"]) for rule in ingress] == [
        ({"Ref": s.CONTAINER_PORT}, {"Ref": s.LOAD_BALANCER_SECURITY_GROUP}),
        (8081, {"Ref": s.LOAD_BALANCER_SECURITY_GROUP}),
    ]
    egress = props(stack.resources[s.LOAD_BALANCER_EGRESS_TO_HEALTH_CHECK])
    assert (egress["FromPort"], egress["ToPort"]) == (8081, 8081)
    assert egress["DestinationSecurityGroupId"] == {"Ref": s.TASK_SECURITY_GROUP}


def test_a_container_health_checks_start_period_lengthens_the_default_grace_period():
    check = HealthCheck(command=("CMD", "true"), start_period_seconds=120)
    config = ServiceConfig(application=Application(health_check=check))
    parameters = service_template(config).to_dict()["Parameters"]
    assert parameters[s.HEALTH_CHECK_GRACE_PERIOD]["Default"] == "120"
    shorter = ServiceConfig(
        application=Application(health_check=HealthCheck(command=("CMD", "true")))
    )
    assert shorter.health_check_grace_period_default == 60


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"target_health": TargetHealth(port=8080)}, r"target_health\.port=8080: is the container"),
        # A sidecar's port would have the load balancer check the sidecar, not the application.
        (
            {
                "application": Application(
                    sidecars=(
                        troposphere_fargate.Sidecar(
                            name="agent",
                            image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:1",
                            port=9100,
                        ),
                    )
                ),
                "target_health": TargetHealth(port=9100),
            },
            r"target_health\.port=9100: is the sidecar agent's port",
        ),
        (
            {"expose": "internal", "target_health": TargetHealth(interval_seconds=30)},
            "has no load balancer to check it",
        ),
    ],
)
def test_a_health_check_the_service_cannot_have_is_refused(fields, message):
    with pytest.raises(ConfigError, match=message):
        ServiceConfig(**fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"interval_seconds": 7}, "interval_seconds=7: must be one of 5, 10"),
        (
            {"timeout_seconds": 10},
            "timeout_seconds=10: must be one of 2, 3, 4, 5, 6 \\(shorter than interval_seconds "
            "10\\), or 0 for ELB's default \\(up to 6 seconds\\)$",
        ),
        (
            # The default timeout, which a spec's user did not write (a fuzzing trial: "must be
            # one of 2, 3, 4 ... or 0 for ELB's default" of a 0 never given).
            {"interval_seconds": 5},
            "timeout_seconds=0: ELB's default \\(up to 6 seconds\\) is not shorter than "
            "interval_seconds 5: give one of 2, 3, 4$",
        ),
        (
            # False is no default timeout (bool is an int subclass; a review).
            {"interval_seconds": 5, "timeout_seconds": False},
            "timeout_seconds=False: must be one of 2, 3, 4 \\(shorter than interval_seconds 5",
        ),
        (
            {"interval_seconds": 5, "timeout_seconds": 5},
            "timeout_seconds=5: must be one of 2, 3, 4 \\(shorter than interval_seconds 5; "
            "ELB's default, up to 6 seconds, needs a longer interval\\)$",
        ),
        ({"healthy_threshold": 1}, "healthy_threshold=1: must be 2 to 10"),
        ({"unhealthy_threshold": 11}, "unhealthy_threshold=11: must be 2 to 10"),
        ({"success_codes": "500"}, "success_codes='500'"),
        (
            # A review: the pattern passes it; ELB documents a range as low-high (Matcher).
            {"success_codes": "200,299-200"},
            "success_codes='200,299-200': 299-200 is a range from high to low: Elastic Load "
            "Balancing takes a range low-high \\(200-299\\)$",
        ),
        ({"port": 0}, "port=0: must be None or a port"),
    ],
)
def test_a_bad_target_health_names_the_field(fields, message):
    with pytest.raises(ConfigError, match=message):
        TargetHealth(**fields)


# --- Access logs bucket ------------------------------------------------------------------------


def test_access_logs_bucket_is_encrypted_private_versioned_and_retained(service):
    bucket = service["Resources"][s.ACCESS_LOGS_BUCKET]
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["UpdateReplacePolicy"] == "Retain"
    properties = props(bucket)
    (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    (lifecycle,) = properties["LifecycleConfiguration"]["Rules"]
    assert lifecycle["ExpirationInDays"] == {"Ref": s.LOG_RETENTION_DAYS_PARAMETER}


def bucket_statements(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    policy = props(service["Resources"][s.ACCESS_LOGS_BUCKET_POLICY])["PolicyDocument"]
    return {st["Sid"]: st for st in policy["Statement"]}


def test_access_logs_bucket_refuses_requests_without_tls(service):
    deny = bucket_statements(service)["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == "*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize(
    ("region", "principal"),
    [
        ("us-east-1", {"AWS": "arn:aws:iam::127311923021:root"}),
        ("eu-west-1", {"AWS": "arn:aws:iam::156460612806:root"}),
        ("ap-southeast-3", {"AWS": "arn:aws:iam::589379963580:root"}),
        ("eu-central-2", {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}),
        ("mx-central-1", {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}),
    ],
)
def test_application_load_balancer_log_delivery_principal_follows_the_region(
    service, region, principal
):
    stack = deployed(service, REQUIRED, pseudo={"AWS::Region": region})
    policy = props(stack.resources[s.ACCESS_LOGS_BUCKET_POLICY])["PolicyDocument"]
    (statement,) = [
        st for st in policy["Statement"] if st["Sid"] == "ApplicationLoadBalancerLogDelivery"
    ]
    account = service["Mappings"][s.ELB_ACCOUNTS][region]["AccountId"]
    # What is left after deployed() are the intrinsics it does not evaluate: Sub and FindInMap.
    text = json.dumps(statement["Principal"]).replace(
        json.dumps({"Fn::FindInMap": [s.ELB_ACCOUNTS, {"Ref": "AWS::Region"}, "AccountId"]}),
        json.dumps(account),
    )
    assert compute(json.loads(text), {"AWS::Partition": "aws"}) == principal
    assert statement["Action"] == ["s3:PutObject"]
    assert statement["Resource"] == [
        {"Fn::Sub": "${AccessLogsBucket.Arn}/AWSLogs/${AWS::AccountId}/*"}
    ]


def test_every_region_is_in_the_log_delivery_mapping(service):
    # CloudFormation may evaluate Fn::FindInMap in an Fn::If branch it does not take: a region
    # missing from the mapping would fail the stack there.
    from cfnlint.helpers import REGIONS

    mapping = service["Mappings"][s.ELB_ACCOUNTS]
    # Isolated and sovereign partitions (us-iso*, eu-isoe-*, eusc-*) are not supported.
    isolated = {r for r in REGIONS if r.startswith(("us-iso", "eu-isoe", "eusc-"))}
    assert sorted(set(REGIONS) - set(mapping) - isolated) == []


def test_network_load_balancer_log_delivery_is_limited_to_this_account(service):
    policy = props(service["Resources"][s.ACCESS_LOGS_BUCKET_POLICY])["PolicyDocument"]
    by_sid = {st["Sid"]: st for st in policy["Statement"]}
    write = by_sid["NetworkLoadBalancerLogDelivery"]
    assert write["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert write["Condition"]["StringEquals"] == {
        "aws:SourceAccount": {"Ref": "AWS::AccountId"},
        "s3:x-amz-acl": "bucket-owner-full-control",
    }
    assert write["Condition"]["ArnLike"] == {
        "aws:SourceArn": {
            "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"
        }
    }
    check = by_sid["NetworkLoadBalancerLogDeliveryAclCheck"]
    assert check["Action"] == ["s3:GetBucketAcl"]
    assert check["Resource"] == [{"Fn::GetAtt": [s.ACCESS_LOGS_BUCKET, "Arn"]}]


def test_access_logs_bucket_disables_acls(service):
    ownership = props(service["Resources"][s.ACCESS_LOGS_BUCKET])["OwnershipControls"]
    assert ownership == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}


def test_load_balancer_waits_for_the_bucket_policy(service):
    assert service["Resources"][s.LOAD_BALANCER]["DependsOn"] == [s.ACCESS_LOGS_BUCKET_POLICY]


# --- Autoscaling -------------------------------------------------------------------------------


def test_autoscaling_tracks_cpu_between_the_minimum_and_maximum(own):
    target = props(own["Resources"][s.SCALABLE_TARGET])
    assert target["MinCapacity"] == {"Ref": s.MIN_CAPACITY}
    assert target["MaxCapacity"] == {"Ref": s.MAX_CAPACITY}
    assert target["ScalableDimension"] == "ecs:service:DesiredCount"
    assert target["ResourceId"] == {"Fn::Sub": "service/${Cluster}/${Service.Name}"}
    policy = props(own["Resources"][s.CPU_SCALING_POLICY])
    tracking = policy["TargetTrackingScalingPolicyConfiguration"]
    assert tracking["PredefinedMetricSpecification"] == {
        "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
    }
    assert tracking["TargetValue"] == {"Ref": s.CPU_TARGET_UTILIZATION}
    assert policy["ScalingTargetId"] == {"Ref": s.SCALABLE_TARGET}


# --- Outputs -----------------------------------------------------------------------------------


def test_outputs_are_the_documented_set_and_exported(service):
    assert sorted(service["Outputs"]) == sorted(
        [
            "ServiceUrl",
            "LoadBalancerDnsName",
            "ClusterName",
            "ServiceName",
            "TaskSecurityGroupId",
            "LogGroupName",
            "DashboardUrl",
            "TestUrl",  # only with a test listener
        ]
    )
    for name, output in service["Outputs"].items():
        assert output["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-" + name}}


def test_the_task_security_group_output_says_what_the_tasks_may_send(service):
    # 0.1.0 said "allow it in a database's security group", although the tasks sent only
    # HTTPS; since 0.3.0 they also send what ExtraEgressPort gives, and the text says so.
    description = service["Outputs"][s.OUTPUT_TASK_SECURITY_GROUP_ID]["Description"]
    assert "sends HTTPS, plus the extra egress given" in description
    assert "give the database's port as extra egress" in description
    (egress,) = props(service["Resources"][s.TASK_SECURITY_GROUP])["SecurityGroupEgress"]
    assert egress["FromPort"] == egress["ToPort"] == 443


@pytest.mark.parametrize(("cert", "scheme"), [("", "http"), (CERTIFICATE, "https")])
def test_service_url_uses_https_with_a_certificate(service, cert, scheme):
    url = deploy(service, CertificateArn=cert).outputs[s.OUTPUT_SERVICE_URL]["Value"]
    assert url == {"Fn::Sub": f"{scheme}://${{LoadBalancer.DNSName}}"}


# --- Whole template ----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "cert"), variants())
@pytest.mark.parametrize("execute", ["true", "false"])
def test_every_reference_resolves_in_every_combination(service, kind, cert, execute):
    stack = deploy(
        service, LoadBalancerType=kind, CertificateArn=cert, EnableExecuteCommand=execute
    )
    assert dangling_refs(stack) == set()


def test_config_sets_defaults_and_names():
    config = ServiceConfig(
        container_name="web",
        default_container_port=3000,
        default_task_cpu=1024,
        default_task_memory=4096,
        default_desired_count=3,
        default_log_retention_days=400,
    )
    template = service_template(config).to_dict()
    parameters = template["Parameters"]
    assert parameters[s.CONTAINER_PORT]["Default"] == "3000"
    assert (parameters[s.TASK_CPU]["Default"], parameters[s.TASK_MEMORY]["Default"]) == (
        "1024",
        "4096",
    )
    assert parameters[s.DESIRED_COUNT]["Default"] == "3"
    assert parameters[s.LOG_RETENTION_DAYS_PARAMETER]["Default"] == "400"
    (definition,) = props(template["Resources"][s.TASK_DEFINITION])["ContainerDefinitions"]
    assert definition["Name"] == "web"


# Every default the console shows, as ServiceConfig() ships it.
SHIPPED_DEFAULTS = {
    s.CONTAINER_PORT: "8080",
    s.HEALTH_CHECK_PATH: "/",
    s.TASK_CPU: "256",
    s.TASK_MEMORY: "512",
    s.CPU_ARCHITECTURE: "X86_64",
    s.CAPACITY_PROVIDER: "FARGATE",
    s.DESIRED_COUNT: "0",  # autoscaling's (test_an_update_leaves_the_task_count_to_autoscaling)
    s.MIN_CAPACITY: "2",
    s.MAX_CAPACITY: "4",
    s.CPU_TARGET_UTILIZATION: "70",
    s.MEMORY_TARGET_UTILIZATION: "0",  # off
    s.REQUESTS_PER_TARGET: "0",  # off
    s.HEALTH_CHECK_GRACE_PERIOD: "60",
    **HEALTH_CHECK_DEFAULTS,
    s.LOAD_BALANCER_TYPE: "application",
    s.CERTIFICATE_ARN: "",
    s.ALLOWED_INGRESS_CIDR: "0.0.0.0/0",
    s.DELETION_PROTECTION: "true",
    s.HTTPS_ONLY: "false",
    s.WEB_ACL_ARN: "",  # none (tests/layers/test_web_acl.py)
    s.STRICT_TRANSPORT_SECURITY_MAX_AGE: "0",  # no header (test_strict_transport_security.py)
    s.DEREGISTRATION_DELAY: "30",
    s.ENABLE_EXECUTE_COMMAND: "false",
    s.LOG_RETENTION_DAYS_PARAMETER: "365",
    s.ERROR_RATE_ALARM_PERCENT: "5",
    s.DEPLOYMENT_STRATEGY: "ROLLING",
    s.DEPLOYMENT_BAKE_TIME: "10",
    s.CANARY_PERCENT: "5",  # ECS's default (CanaryConfiguration), and ECS Express Mode's
    s.CANARY_BAKE_TIME: "10",
    s.LINEAR_STEP_PERCENT: "10",
    s.LINEAR_STEP_BAKE_TIME: "6",
    s.TEST_LISTENER_PORT: "0",  # none
    s.ALARM_TOPIC_ARN: "",
    # The application's console parameters: none of each (tests/layers/test_console_application.py)
    s.ENVIRONMENT_FILE_ARN: "",
    s.SECRET_ARN_PARAMETER: "",
    s.SECRET_VARIABLE_NAME: "APP_SECRET",
    s.TASK_ROLE_MANAGED_POLICY_ARNS: "",
    s.EXTRA_EGRESS_PORT: "0",
    s.EXTRA_EGRESS_SECURITY_GROUP_ID: "",
    s.EXTRA_EGRESS_CIDR: "",
    s.CONTAINER_USER: "",  # the image's USER
    # Joining an environment: none, the service runs on its own (tests/layers/test_joining.py)
    s.CLUSTER_NAME: "",
    s.LISTENER_ARN: "",
    s.LOAD_BALANCER_SECURITY_GROUP_ID: "",
    s.ENVIRONMENT_SECURITY_GROUP_ID: "",
    s.NAMESPACE_ARN: "",
    s.ENVIRONMENT_URL: "",
    s.EXPOSE: "public",
    s.LISTENER_RULE_PRIORITY: "0",
    s.LISTENER_RULE_PATH: "",
    s.LISTENER_RULE_HOST: "",
    s.SERVICE_CONNECT_NAME: "",
    s.SERVICE_CONNECT_APP_PROTOCOL: "",  # TCP
}


def test_the_shipped_config_gives_the_documented_defaults(service):
    defaults = {k: v["Default"] for k, v in service["Parameters"].items() if "Default" in v}
    assert defaults == SHIPPED_DEFAULTS


def test_every_parameter_default_comes_from_the_config():
    config = ServiceConfig(
        default_cpu_architecture="ARM64",
        default_capacity_provider="FARGATE_SPOT",
        default_health_check_grace_period_seconds=300,
        default_load_balancer_type="network",
        default_allowed_ingress_cidr="203.0.113.0/24",
        default_deletion_protection=False,
        default_https_only=True,
        default_deregistration_delay_seconds=5,
        default_enable_execute_command=True,
        application=Application(user="1000:1000"),
        deployment=DeploymentSettings(
            strategy="BLUE_GREEN",
            bake_minutes=30,
            canary_percent=0.5,
            canary_bake_minutes=20,
            step_percent=12.5,
            step_bake_minutes=3,
        ),
    )
    parameters = service_template(config).to_dict()["Parameters"]
    defaults = {k: v["Default"] for k, v in parameters.items() if "Default" in v}
    assert defaults == {
        **SHIPPED_DEFAULTS,
        s.CPU_ARCHITECTURE: "ARM64",
        s.CAPACITY_PROVIDER: "FARGATE_SPOT",
        s.HEALTH_CHECK_GRACE_PERIOD: "300",
        s.LOAD_BALANCER_TYPE: "network",
        s.ALLOWED_INGRESS_CIDR: "203.0.113.0/24",
        s.DELETION_PROTECTION: "false",
        s.HTTPS_ONLY: "true",
        s.DEREGISTRATION_DELAY: "5",
        s.ENABLE_EXECUTE_COMMAND: "true",
        s.DEPLOYMENT_STRATEGY: "BLUE_GREEN",
        s.DEPLOYMENT_BAKE_TIME: "30",
        s.CANARY_PERCENT: "0.5",
        s.CANARY_BAKE_TIME: "20",
        s.LINEAR_STEP_PERCENT: "12.5",
        s.LINEAR_STEP_BAKE_TIME: "3",
        s.CONTAINER_USER: "1000:1000",
    }
    # Each default is one the parameter itself accepts (HttpsOnly true with a certificate).
    deploy(service_template(config).to_dict(), **{s.CERTIFICATE_ARN: CERTIFICATE})


@pytest.mark.parametrize("cidr", ["0.0.0.0/0", "10.0.0.0/8", "203.0.113.7/32"])
def test_an_ingress_cidr_the_config_accepts_the_template_accepts(cidr):
    config = ServiceConfig(default_allowed_ingress_cidr=cidr)
    pattern = service_template(config).to_dict()["Parameters"][s.ALLOWED_INGRESS_CIDR]
    assert re.fullmatch(pattern["AllowedPattern"], cidr)


def test_the_choices_are_the_configs(service):
    parameters = service["Parameters"]
    assert parameters[s.CPU_ARCHITECTURE]["AllowedValues"] == list(CPU_ARCHITECTURES)
    assert parameters[s.CAPACITY_PROVIDER]["AllowedValues"] == list(CAPACITY_PROVIDERS)
    assert parameters[s.LOAD_BALANCER_TYPE]["AllowedValues"] == list(LOAD_BALANCER_TYPES)
    assert props(service["Resources"][s.CLUSTER])["CapacityProviders"] == list(CAPACITY_PROVIDERS)


# --- The package -------------------------------------------------------------------------------


def test_every_name_in_the_names_module_is_exported_by_the_layer():
    defined = {name for name in vars(names) if not name.startswith("_")} - {"annotations"}
    assert sorted(names.__all__) == sorted(defined)
    for name in s.__all__:
        assert hasattr(s, name), name


PACKAGE = Path(troposphere_fargate.__file__).parent
MAX_FUNCTION_LINES = 120


def test_no_function_is_longer_than_a_screen_or_two():
    # STYLE.md: a function fits on a screen or two (about 120 lines at most).
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert too_long == []
