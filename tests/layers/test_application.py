"""What an application brings to the service layer (``ServiceConfig.application``), read back
from the rendered template: one behaviour per test. The empty ``Application()`` of the shipped
templates changes nothing; a full one passes cfn-lint and the policy gates."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from tests import tools
from tests.support import SERVICE_REQUIRED as REQUIRED
from tests.support import compute, props
from troposphere_fargate import from_yaml, lint_templates, to_yaml
from troposphere_fargate.cfn import guard as policy
from troposphere_fargate.cfn.evaluate import Deployment, RuleError, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.application import (
    Application,
    EgressRule,
    HealthCheck,
    PolicyCondition,
    PolicyStatement,
    Secret,
    Sidecar,
    TaskRole,
)
from troposphere_fargate.layers.config import ConfigError, ServiceConfig
from troposphere_fargate.layers.service import service_template
from troposphere_fargate.layers.service.containers import SIDECAR_MEMORY_REASON

REGION_ACCOUNT = "eu-west-1:123456789012"
DATABASE_SECRET = f"arn:aws:secretsmanager:{REGION_ACCOUNT}:secret:prod/db-AbCdEf"
TOKEN_SECRET = f"arn:aws:secretsmanager:{REGION_ACCOUNT}:secret:prod/token-XyZ123"
API_KEY_PARAMETER = f"arn:aws:ssm:{REGION_ACCOUNT}:parameter/prod/api-key"
KMS_KEY = f"arn:aws:kms:{REGION_ACCOUNT}:key/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
TEAM_POLICY = "arn:aws:iam::123456789012:policy/team/shop-web"
ORDERS_QUEUE = f"arn:aws:sqs:{REGION_ACCOUNT}:orders"
UPLOADS = "arn:aws:s3:::shop-uploads/*"
ENDPOINT = "vpce-0123456789abcdef0"
DATABASE_GROUP = "sg-0123456789abcdef0"
S3_PREFIX_LIST = "pl-6da54004"
OTEL_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel/collector:0.98.0"
OTEL_REPOSITORY = f"arn:aws:ecr:{REGION_ACCOUNT}:repository/otel/collector"
PROXY_IMAGE = "210987654321.dkr.ecr.us-east-2.amazonaws.com/edge/proxy@sha256:" + "a" * 64
PROXY_REPOSITORY = "arn:aws:ecr:us-east-2:210987654321:repository/edge/proxy"

OTEL = Sidecar(
    name="otel",
    image=OTEL_IMAGE,
    essential=False,
    port=4317,
    environment=(("OTEL_RESOURCE_ATTRIBUTES", "service.name=web"), ("GOMEMLIMIT", "64MiB")),
    command=("--config", "/etc/otel/config.yaml"),
    health_check=HealthCheck(command=("CMD", "/healthcheck"), interval_seconds=10, retries=5),
)
PROXY = Sidecar(name="proxy", image=PROXY_IMAGE, essential=True)

# Every field of Application, each used.
APPLICATION = Application(
    environment=(("LOG_LEVEL", "info"), ("FEATURE_FLAGS", "checkout"), ("APP_MODE", "web")),
    secrets=(
        Secret("DATABASE_URL", f"{DATABASE_SECRET}:url::"),
        Secret("DATABASE_PASSWORD", f"{DATABASE_SECRET}:password:AWSCURRENT:"),
        Secret("TOKEN", TOKEN_SECRET),
        Secret("API_KEY", API_KEY_PARAMETER),
    ),
    secrets_kms_key=KMS_KEY,
    task_role=TaskRole(
        managed_policies=(S3_READ_ONLY, TEAM_POLICY),
        statements=(
            PolicyStatement(
                actions=("sqs:SendMessage", "sqs:GetQueueUrl"),
                resources=(ORDERS_QUEUE,),
                conditions=(
                    PolicyCondition("StringEquals", "aws:SourceVpce", (ENDPOINT,)),
                    PolicyCondition("Bool", "aws:SecureTransport", ("true",)),
                    PolicyCondition("StringEquals", "aws:ResourceAccount", ("123456789012",)),
                ),
            ),
            PolicyStatement(actions=("s3:DeleteObject",), resources=(UPLOADS,), effect="Deny"),
        ),
    ),
    egress=(
        EgressRule(port=5432, security_group=DATABASE_GROUP),
        EgressRule(port=6379, to_port=6380, cidr="10.20.0.0/16", description="Redis cluster"),
        EgressRule(port=443, prefix_list=S3_PREFIX_LIST),
        EgressRule(port=53, protocol="udp", cidr="10.0.0.2/32"),
    ),
    sidecars=(OTEL, PROXY),
    health_check=HealthCheck(
        command=("CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"),
        interval_seconds=15,
        timeout_seconds=4,
        retries=2,
        start_period_seconds=30,
    ),
    command=("serve", "--port", "8080"),
    entry_point=("/usr/bin/tini", "--", "/app/bin/web"),
    ephemeral_storage_gib=50,
    stop_timeout_seconds=90,
)


def build(application: Application) -> dict[str, Any]:
    return service_template(ServiceConfig(application=application)).to_dict()


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    """The service template of the application above, rendered."""
    return build(APPLICATION)


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**REQUIRED, **parameters})


def containers(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The containers as deployed with the parameters' defaults (no console additions)."""
    task = deploy(template).resources[s.TASK_DEFINITION]
    return {definition["Name"]: definition for definition in props(task)["ContainerDefinitions"]}


def application_container(template: dict[str, Any]) -> dict[str, Any]:
    return containers(template)[ServiceConfig().container_name]


def execution_statements(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (policy_,) = props(deploy(template).resources[s.EXECUTION_ROLE])["Policies"]
    return {st["Sid"]: st for st in policy_["PolicyDocument"]["Statement"]}


def task_policies(template: dict[str, Any], execute_command: bool) -> dict[str, Any]:
    role = deploy(template, EnableExecuteCommand=str(execute_command).lower()).resources
    return {p["PolicyName"]: p for p in props(role[s.TASK_ROLE]).get("Policies", [])}


def task_egress(template: dict[str, Any]) -> list[dict[str, Any]]:
    return props(template["Resources"][s.TASK_SECURITY_GROUP])["SecurityGroupEgress"]


# --- Nothing in, nothing changed ------------------------------------------------------------


def test_the_empty_application_changes_nothing(service):
    assert build(Application()) == service


def test_an_application_changes_only_what_it_brings(template, service):
    changed = {
        name
        for name in service["Resources"].keys() | template["Resources"].keys()
        if service["Resources"].get(name) != template["Resources"].get(name)
    }
    assert changed == {s.TASK_DEFINITION, s.EXECUTION_ROLE, s.TASK_ROLE, s.TASK_SECURITY_GROUP}


# --- The application's container ------------------------------------------------------------


def test_environment_is_on_the_application_container_sorted_by_name(template):
    assert application_container(template)["Environment"] == [
        {"Name": "APP_MODE", "Value": "web"},
        {"Name": "FEATURE_FLAGS", "Value": "checkout"},
        {"Name": "LOG_LEVEL", "Value": "info"},
    ]


def test_an_environment_value_may_name_the_stacks_region_and_account():
    """As an ARN may: ``${AWS::Region}`` is the stack's, through ``Fn::Sub``; any other
    ``${...}`` reaches the container as written. Written as text, ``${AWS::Region}`` reached the
    container as such, and cfn-lint's E1029 stopped the build (a library trial)."""
    app = Application(
        environment=(
            ("BUCKET", "assets-${AWS::AccountId}-${AWS::Region}:${HOME}"),
            ("P", "${HOME}"),
        )
    )
    template = build(app)
    variables = {v["Name"]: v["Value"] for v in application_container(template)["Environment"]}
    # ${!HOME}: CloudFormation's escape, which it turns back into ${HOME} (Fn::Sub reference).
    assert variables == {
        "BUCKET": {"Fn::Sub": "assets-${AWS::AccountId}-${AWS::Region}:${!HOME}"},
        "P": "${HOME}",
    }


@pytest.mark.lint
def test_cfn_lint_takes_an_environment_value_naming_the_stacks_region():
    template = build(Application(environment=(("R", "${AWS::Region}"), ("P", "${HOME}"))))
    assert lint_templates({s.FILENAME: to_yaml(template)}, regions=["us-east-1"]) == []


def test_an_environment_value_that_is_no_string_or_a_name_set_twice_is_said_so():
    """A library trial: ``(("PORT", 8080),)`` named neither the variable nor the int, and a name
    set twice was shown where its value belongs (``environment['A']='A'``)."""
    with pytest.raises(ConfigError) as refused:
        Application(environment=(("PORT", 8080),))  # type: ignore[arg-type]
    assert str(refused.value) == (
        "Application.environment['PORT']=8080: must be a string, not int (write '8080')"
    )
    with pytest.raises(ConfigError) as refused:
        Application(environment=(("A", "1"), ("A", "2")))
    assert str(refused.value) == "Application.environment: 'A' is set twice"
    # None is no number: no "write 'None'" (a review).
    with pytest.raises(ConfigError) as refused:
        Application(environment=(("A", None),))  # type: ignore[arg-type]
    assert str(refused.value) == "Application.environment['A']=None: must be a string, not NoneType"


@pytest.mark.parametrize(
    "name",
    [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "aws_session_token",
        "AWS_SECURITY_TOKEN",  # botocore reads it as the session token
        "AWS_SECRET_KEY",  # the Java SDK v1's
        "ECS_ENGINE_AUTH_DATA",
    ],
)
def test_an_environment_variable_that_holds_a_credential_is_refused_without_its_value(name):
    """A security review: AWS Security Hub's ECS.8 fails a task definition whose environment
    holds AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or ECS_ENGINE_AUTH_DATA ("Security Hub
    controls for Amazon ECS", ECS.8): anyone allowed ecs:DescribeTaskDefinition reads them.
    The error does not repeat the value, which may be the credential itself."""
    why = (
        "is a credential, which the task definition would show to anyone allowed "
        "ecs:DescribeTaskDefinition (AWS Security Hub ECS.8): the task role gives the container "
        "its AWS credentials (task_role); a credential of another system goes in secrets"
    )
    with pytest.raises(ConfigError) as refused:
        Application(environment=(("LOG_LEVEL", "info"), (name, "wJalrXUtnFEMI")))
    assert str(refused.value) == f"Application.environment[{name!r}]: {why}"
    with pytest.raises(ConfigError) as refused:
        dataclasses.replace(OTEL, environment=((name, "wJalrXUtnFEMI"),))
    assert str(refused.value) == f"Sidecar.environment[{name!r}]: {why}"
    # As a secret, read at start from Secrets Manager, it is not in the task definition.
    assert Application(secrets=(Secret(name, TOKEN_SECRET),)).secrets[0].name == name
    # Names that only hold such a name are other variables.
    assert Application(environment=(("AWS_ACCESS_KEY_ID_FILE", "/run/x"),)).environment


def test_an_environment_value_names_only_pseudo_parameters_a_sub_substitutes():
    """${AWS::Bogus} was taken, and stopped the build at cfn-lint's E1019 (a review)."""
    with pytest.raises(ConfigError) as refused:
        Application(environment=(("X", "${AWS::Bogus}"),))
    assert str(refused.value) == (
        "Application.environment['X']='${AWS::Bogus}': ${AWS::Bogus} is no pseudo parameter "
        "CloudFormation substitutes: ${AWS::AccountId}, ${AWS::Partition}, ${AWS::Region}, "
        "${AWS::StackId}, ${AWS::StackName}, ${AWS::URLSuffix}"
    )
    with pytest.raises(ConfigError, match=r"\(did you mean \$\{AWS::Region\}\?\)$"):
        Application(environment=(("X", "${AWS::region}"),))
    Application(environment=(("X", "${AWS::StackName}-${AWS::StackId}"),))


def test_a_template_function_or_a_variable_as_a_statement_s_resource_says_what_to_do():
    """A library trial: a GetAtt from an awacs statement was refused with its Python repr, and
    ``${JobsQueue.Arn}`` as "must be an ARN": each now says how a resource of one's own
    template is granted (README: Use it as a library)."""
    from awacs.aws import Allow, Statement
    from awacs.sqs import SendMessage
    from troposphere import GetAtt

    given = Statement(Effect=Allow, Action=[SendMessage], Resource=[GetAtt("JobsQueue", "Arn")])
    with pytest.raises(ConfigError) as refused:
        PolicyStatement.from_awacs(given)
    assert str(refused.value).startswith(
        "PolicyStatement.resources[0]={'Fn::GetAtt': ['JobsQueue', 'Arn']}: must be an ARN as "
        "text, not GetAtt: a resource of your own template is granted with a policy of your own "
        "on the task role (iam.PolicyType with Roles=[Ref(troposphere_fargate.layers.service."
        "TASK_ROLE)]"
    )
    with pytest.raises(ConfigError, match=r"\$\{JobsQueue\.Arn\}'.*a policy of your own"):
        PolicyStatement(("sqs:SendMessage",), ("${JobsQueue.Arn}",))
    # The constant it names is the task role's logical ID.
    assert s.TASK_ROLE in build(Application())["Resources"]


def test_a_public_sidecar_image_from_python_names_the_pull_through_cache_uri():
    """As a spec's does (a library trial: Python said only "must be a private ECR image")."""
    with pytest.raises(ConfigError) as refused:
        Sidecar("otel", "otel/collector:latest")
    assert str(refused.value).endswith(
        "through an ECR pull through cache rule: <account>.dkr.ecr.<region>.amazonaws.com/"
        "docker-hub/otel/collector:latest (the console's prefix), once you have pulled it "
        "yourself (the execution role may pull from the cache, not import into it)"
    )


def test_secrets_are_on_the_application_container_with_value_from_as_given(template):
    assert application_container(template)["Secrets"] == [
        {"Name": "API_KEY", "ValueFrom": API_KEY_PARAMETER},
        {"Name": "DATABASE_PASSWORD", "ValueFrom": f"{DATABASE_SECRET}:password:AWSCURRENT:"},
        {"Name": "DATABASE_URL", "ValueFrom": f"{DATABASE_SECRET}:url::"},
        {"Name": "TOKEN", "ValueFrom": TOKEN_SECRET},
    ]


def test_health_check_is_the_application_containers(template):
    assert application_container(template)["HealthCheck"] == {
        "Command": ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"],
        "Interval": 15,
        "Timeout": 4,
        "Retries": 2,
        "StartPeriod": 30,
    }


def test_command_and_entry_point_override_the_images(template):
    definition = application_container(template)
    assert definition["Command"] == ["serve", "--port", "8080"]
    assert definition["EntryPoint"] == ["/usr/bin/tini", "--", "/app/bin/web"]


def test_stop_timeout_is_the_application_containers(template):
    definitions = containers(template)
    assert definitions.pop(ServiceConfig().container_name)["StopTimeout"] == 90
    assert all("StopTimeout" not in sidecar for sidecar in definitions.values())


def test_ephemeral_storage_is_the_tasks(template, service):
    task = props(template["Resources"][s.TASK_DEFINITION])
    assert task["EphemeralStorage"] == {"SizeInGiB": 50}
    assert "EphemeralStorage" not in props(service["Resources"][s.TASK_DEFINITION])


def test_the_application_container_stays_as_shipped_apart_from_what_it_brings(template, service):
    brought = {"Environment", "Secrets", "HealthCheck", "Command", "EntryPoint", "StopTimeout"}
    (shipped,) = containers(service).values()
    definition = application_container(template)
    assert {k: v for k, v in definition.items() if k not in brought} == shipped
    assert "DependsOn" not in definition


# --- The execution role: exactly the secrets named --------------------------------------------


def test_execution_role_reads_each_secret_itself_without_json_key_or_version(template):
    read = execution_statements(template)["ReadTheServiceSecrets"]
    assert read["Action"] == ["secretsmanager:GetSecretValue"]
    assert read["Resource"] == [DATABASE_SECRET, TOKEN_SECRET]  # the database's once


def test_execution_role_reads_exactly_the_named_parameters(template):
    read = execution_statements(template)["ReadTheServiceParameters"]
    assert read["Action"] == ["ssm:GetParameters"]
    assert read["Resource"] == [API_KEY_PARAMETER]


def test_execution_role_decrypts_with_the_named_key_alone(template):
    decrypt = execution_statements(template)["DecryptTheServiceSecrets"]
    assert decrypt["Action"] == ["kms:Decrypt"]
    assert decrypt["Resource"] == [KMS_KEY]


def test_no_kms_grant_without_a_key(template):
    without_key = build(dataclasses.replace(APPLICATION, secrets_kms_key=None))
    assert "DecryptTheServiceSecrets" not in execution_statements(without_key)
    assert "ReadTheServiceSecrets" in execution_statements(without_key)


def test_a_kms_key_of_a_region_no_secret_is_in_is_refused():
    """A spec trial: a key in us-east-1 for secrets in eu-west-1 built, and the task could not
    decrypt them when it started: "You can't use a KMS key in a different Region" (AWS Secrets
    Manager User Guide, "Secret encryption and decryption"; KMS keys are regional)."""
    elsewhere = KMS_KEY.replace("eu-west-1", "us-east-1")
    with pytest.raises(ConfigError) as refused:
        dataclasses.replace(APPLICATION, secrets_kms_key=elsewhere)
    assert str(refused.value) == (
        f"Application.secrets_kms_key={elsewhere!r}: is in us-east-1, and the secrets are in "
        "eu-west-1: a secret is encrypted with a KMS key of its own region (a multi-Region "
        "key's replica there has an ARN of that region)"
    )
    # Secrets of two regions take a key of each; a key the stack substitutes is not judged.
    other_secret = Secret("OTHER", TOKEN_SECRET.replace("eu-west-1", "us-east-1"))
    dataclasses.replace(
        APPLICATION,
        secrets=(*APPLICATION.secrets, other_secret),
        secrets_kms_key=(KMS_KEY, elsewhere),
    )
    dataclasses.replace(
        APPLICATION,
        secrets_kms_key="arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/"
        "0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c",
    )
    # A secret in the stack's own region may be in any: a key of any region may be its (a
    # review: it was judged against the other secrets' regions alone).
    own = Secret("OWN", "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/x")
    dataclasses.replace(
        APPLICATION,
        secrets=(*APPLICATION.secrets, other_secret, own),
        secrets_kms_key=(KMS_KEY, elsewhere, KMS_KEY.replace("eu-west-1", "ap-south-1")),
    )


def test_secrets_encrypted_with_several_keys_are_decrypted_with_each_and_no_other():
    # Secrets of several teams, each team's encrypted with its own key: the execution role
    # injects them all when the task starts, so it decrypts with each (and no other) key.
    other = KMS_KEY.replace("0b7a5e8c", "1c8b6f9d")
    both = build(dataclasses.replace(APPLICATION, secrets_kms_key=(KMS_KEY, other)))
    decrypt = execution_statements(both)["DecryptTheServiceSecrets"]
    assert decrypt["Resource"] == [KMS_KEY, other]
    one = build(dataclasses.replace(APPLICATION, secrets_kms_key=(KMS_KEY,)))
    assert one == build(APPLICATION)  # a list of one key: what the key alone builds
    assert dataclasses.replace(APPLICATION, secrets_kms_key=(KMS_KEY, other)).arns()[-2:] == [
        KMS_KEY,
        other,
    ]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ((), r"secrets_kms_key=\(\): give one key at least, or None"),
        (
            [KMS_KEY],
            r"secrets_kms_key=\[.*\]: must be a KMS key ARN, or a tuple of them, not a list",
        ),
        ((KMS_KEY, KMS_KEY), r"secrets_kms_key\[1\]=.*: is given twice"),
        ((KMS_KEY, "alias/shop"), r"secrets_kms_key\[1\]='alias/shop': must be a KMS key ARN"),
        # An audit of the library: a key that is no string failed deep inside the hint
        # ("'NoneType' object has no attribute 'startswith'").
        ((KMS_KEY, None), r"secrets_kms_key\[1\]=None: must be a KMS key ARN, such as arn:aws"),
        ((5,), r"secrets_kms_key\[0\]=5: must be a KMS key ARN, such as arn:aws"),
    ],
)
def test_a_bad_list_of_kms_keys_names_the_key(keys, message):
    with pytest.raises(ConfigError, match=message):
        dataclasses.replace(APPLICATION, secrets_kms_key=keys)


def test_a_multi_region_key_decrypts_secrets_too():
    # A multi-Region key's ID is mrk- and 32 hex digits (AWS KMS API Reference, ReplicateKey):
    # the same key material in several regions, a reason to name several keys.
    mrk = f"arn:aws:kms:{REGION_ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab"
    both = build(dataclasses.replace(APPLICATION, secrets_kms_key=(KMS_KEY, mrk)))
    assert execution_statements(both)["DecryptTheServiceSecrets"]["Resource"] == [KMS_KEY, mrk]
    with pytest.raises(ConfigError, match="must be a KMS key ARN"):
        dataclasses.replace(APPLICATION, secrets_kms_key=mrk[:-1])  # 31 digits
    # A key ID is lower-case hex, as KMS writes it: an upper-case one is refused, saying so.
    with pytest.raises(ConfigError, match=r"must be a KMS key ARN: its key ID .* in lower case"):
        dataclasses.replace(APPLICATION, secrets_kms_key=mrk.replace("1234abcd", "1234ABCD"))


def test_a_kms_key_without_secrets_to_decrypt_is_refused():
    # It would grant nothing (no secret to decrypt): the spec most likely lost its secrets.
    with pytest.raises(ConfigError, match=r"secrets_kms_key=.*names a key but no secret uses it"):
        Application(secrets_kms_key=KMS_KEY)


# ECR's repository names join their parts by ".", "_", "__" or a run of hyphens (CreateRepository,
# repositoryName, "Pattern: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)
# [a-z0-9]+)*)*": https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html).
@pytest.mark.parametrize("repository", ["otel--collector", "otel__collector", "team/a---b"])
def test_a_sidecar_image_may_come_from_any_repository_name_ecr_takes(repository):
    image = f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{repository}:1"
    assert Sidecar("otel", image).repository_arn == (
        f"arn:aws:ecr:eu-west-1:123456789012:repository/{repository}"
    )


@pytest.mark.parametrize("repository", ["otel___collector", "otel_-collector", "otel-"])
def test_a_sidecar_image_of_a_repository_name_ecr_refuses_is_refused(repository):
    with pytest.raises(ConfigError, match="must be a private ECR image"):
        Sidecar("otel", f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{repository}:1")


def test_a_sidecar_image_in_china_has_the_china_host():
    china = "123456789012.dkr.ecr.cn-north-1.amazonaws.com/otel/collector:1"
    with pytest.raises(ConfigError, match=r"amazonaws\.com\.cn"):
        Sidecar("otel", china)
    assert Sidecar("otel", china.replace(".com/", ".com.cn/")).repository_arn == (
        "arn:aws-cn:ecr:cn-north-1:123456789012:repository/otel/collector"
    )
    # and only theirs: an image of eu-west-1 on the China host exists nowhere (its repository
    # would be an aws-cn ARN in eu-west-1).
    with pytest.raises(ConfigError, match=r"Sidecar\.image=.*: the China regions' ECR host"):
        Sidecar("otel", OTEL_IMAGE.replace(".com/", ".com.cn/"))


def test_only_the_kind_of_secret_named_is_granted():
    parameters_only = build(Application(secrets=(Secret("API_KEY", API_KEY_PARAMETER),)))
    sids = set(execution_statements(parameters_only))
    assert "ReadTheServiceParameters" in sids
    assert "ReadTheServiceSecrets" not in sids


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        # The ARN of /prod/api-key is parameter/prod/api-key: a grant on parameter//prod/api-key
        # is denied ("AccessDeniedException ... not authorized to perform: ssm:GetParameter on
        # resource: ...:parameter/x/y/z" for a policy of "...:parameter//x/y/z", aws/aws-cdk
        # #4803), and the task would stop with a ResourceInitializationError.
        ("/prod/api-key", "the ARN of /prod/api-key is ...:parameter/prod/api-key"),
        ("prod//api-key", "the ARN of /prod/api-key is ...:parameter/prod/api-key"),
        ("prod/api-key/", "the ARN of /prod/api-key is ...:parameter/prod/api-key"),
        # "Parameter Store honors IAM policies attached to Secrets Manager secrets" (Systems
        # Manager User Guide, "Referencing AWS Secrets Manager secrets from Parameter Store
        # parameters", https://docs.aws.amazon.com/systems-manager/latest/userguide/
        # integration-ps-secretsmanager.html): ECS "secretsmanager:GetSecretValue - Required ...
        # if your Systems Manager Parameter Store parameter is referencing a Secrets Manager
        # secret" (ECS Developer Guide, secrets-envvar-ssm-paramstore.html), which
        # ssm:GetParameters on the parameter alone does not give.
        ("aws/reference/secretsmanager/prod/db", "give the secret's own ARN"),
        # "A parameter name can't be prefixed with "aws" or "ssm" (case-insensitive)", and
        # "Parameter hierarchies are limited to a maximum depth of fifteen levels" (Systems
        # Manager API Reference, PutParameter): no such parameter exists to be read.
        ("SSM-testparameter", 'can\'t begin with "aws" or "ssm"'),
        ("awsTestParameter", 'can\'t begin with "aws" or "ssm"'),
        ("/".join(f"L{level}" for level in range(1, 17)), "fifteen levels at most, not 16"),
        (
            "x" * 1012,
            "fewer than 1011 characters (its ARN up to the name has 1011 at most), not 1012",
        ),
    ],
)
def test_a_parameter_arn_no_grant_could_read_is_refused(name, hint):
    value = f"arn:aws:ssm:{REGION_ACCOUNT}:parameter/{name}"
    with pytest.raises(ConfigError) as refused:
        Secret("API_KEY", value)
    assert hint in str(refused.value)


def test_a_parameter_arn_of_fifteen_levels_is_read_as_given():
    # "/Level-1/L2/L3/L4/L5/L6/L7/L8/L9/L10/L11/L12/L13/L14/parameter-name" is valid (Systems
    # Manager User Guide, "Parameter name requirements and constraints"); so are a name
    # without a hierarchy and one that has aws or ssm after its start.
    for name in (
        "Level-1/" + "/".join(f"L{n}" for n in range(2, 15)) + "/parameter-name",
        "api-key",
        "prod/aws-key",
        "x" * 1011,
    ):
        value = f"arn:aws:ssm:{REGION_ACCOUNT}:parameter/{name}"
        granted = execution_statements(build(Application(secrets=(Secret("KEY", value),))))
        assert granted["ReadTheServiceParameters"]["Resource"] == [value]


# ECS Developer Guide, "Pass Secrets Manager secrets through Amazon ECS environment variables"
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html):
# "arn:aws:secretsmanager:region:aws_account_id:secret:secret-name:json-key:version-stage:
# version-id ... These parameters are optional, but if you do not use them, you must include the
# colons"; "If a version staging label is specified, you cannot specify a version ID".
VERSION_ID = "9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE"


@pytest.mark.parametrize(
    "suffix", [":username1::", "::AWSPREVIOUS:", f":::{VERSION_ID}", f":username1::{VERSION_ID}"]
)
def test_a_secret_by_json_key_version_stage_or_version_id_is_read_as_the_guide_writes_it(suffix):
    granted = build(Application(secrets=(Secret("DB", DATABASE_SECRET + suffix),)))
    assert execution_statements(granted)["ReadTheServiceSecrets"]["Resource"] == [DATABASE_SECRET]
    (secret,) = application_container(granted)["Secrets"]
    assert secret == {"Name": "DB", "ValueFrom": DATABASE_SECRET + suffix}


@pytest.mark.parametrize(
    ("suffix", "hint"),
    [
        (f"::AWSPREVIOUS:{VERSION_ID}", "a version stage or a version ID, not both"),
        (f":username1:AWSCURRENT:{VERSION_ID}", "a version stage or a version ID, not both"),
        (":username1", "after the name come three fields"),
        (":username1:", "after the name come three fields"),
    ],
)
def test_a_secret_value_from_ecs_does_not_take_is_refused(suffix, hint):
    with pytest.raises(ConfigError) as refused:
        Secret("DB", DATABASE_SECRET + suffix)
    assert hint in str(refused.value)


# Secrets Manager "automatically adds a hyphen and six random characters after the secret name at
# the end of the ARN" (API Reference, CreateSecret, Name:
# https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html); an ARN
# without them is a partial ARN ("Finding a secret from a partial ARN",
# https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen),
# and the execution role's grant on it would not match the secret's full ARN.
@pytest.mark.parametrize("name", ["prod/db-password", "prod/db-AbCdEfG", "prod/db"])
def test_a_secret_arn_without_the_six_characters_secrets_manager_adds_is_refused(name):
    value = f"arn:aws:secretsmanager:{REGION_ACCOUNT}:secret:{name}"
    with pytest.raises(ConfigError) as refused:
        Secret("DB", value)
    assert str(refused.value).startswith(f"Secret.value_from={value!r}: must be a Secrets")
    assert "ends with - and the 6 characters Secrets Manager adds to its name" in str(refused.value)


def test_a_secret_name_given_twice_is_refused_at_its_index():
    with pytest.raises(ConfigError) as refused:
        Application(secrets=(Secret("DB", DATABASE_SECRET), Secret("DB", TOKEN_SECRET)))
    assert str(refused.value) == "Application.secrets[0].name='DB': is used twice"
    with pytest.raises(ConfigError) as refused:
        Sidecar("otel", OTEL_IMAGE, secrets=(Secret("K", TOKEN_SECRET), Secret("K", TOKEN_SECRET)))
    assert str(refused.value) == "Sidecar.secrets[0].name='K': is used twice"


def test_execution_role_uses_a_wildcard_only_for_the_ecr_token(template):
    wildcard = [sid for sid, st in execution_statements(template).items() if "*" in st["Resource"]]
    assert wildcard == ["EcrAuthorizationToken"]


# --- The task role: exactly the application's permissions ------------------------------------


def test_task_role_has_exactly_the_managed_policies(template):
    assert props(deploy(template).resources[s.TASK_ROLE])["ManagedPolicyArns"] == [
        S3_READ_ONLY,
        TEAM_POLICY,
    ]


def test_task_role_has_the_statements_in_its_application_policy(template):
    policies = task_policies(template, execute_command=False)
    assert list(policies) == [s.APPLICATION_POLICY]
    statements = policies[s.APPLICATION_POLICY]["PolicyDocument"]["Statement"]
    assert statements == [
        {
            "Sid": "Application1",
            "Effect": "Allow",
            "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"],
            "Resource": [ORDERS_QUEUE],
            # IAM's Condition: each operator once, its keys as given, each key's values a list.
            "Condition": {
                "StringEquals": {
                    "aws:SourceVpce": [ENDPOINT],
                    "aws:ResourceAccount": ["123456789012"],
                },
                "Bool": {"aws:SecureTransport": ["true"]},
            },
        },
        {
            "Sid": "Application2",
            "Effect": "Deny",
            "Action": ["s3:DeleteObject"],
            "Resource": [UPLOADS],
        },
    ]


def test_ecs_exec_keeps_its_policy_beside_the_applications(template, service):
    policies = task_policies(template, execute_command=True)
    assert list(policies) == [s.APPLICATION_POLICY, s.EXECUTE_COMMAND_POLICY]
    shipped = task_policies(service, execute_command=True)
    assert policies[s.EXECUTE_COMMAND_POLICY] == shipped[s.EXECUTE_COMMAND_POLICY]
    assert list(task_policies(template, execute_command=False)) == [s.APPLICATION_POLICY]


def test_the_applications_policy_is_outside_every_condition(template):
    """checkov cannot judge statements inside an Fn::If: a spec granting iam:* on * passed
    `check` while the application's policy sat in If(ExecuteCommandEnabled, ...)."""
    written = template["Resources"][s.TASK_ROLE]["Properties"]["Policies"]
    assert isinstance(written, list)
    assert written[0]["PolicyName"] == s.APPLICATION_POLICY
    assert written[1] == {
        "Fn::If": [s.EXECUTE_COMMAND_ENABLED, written[1]["Fn::If"][1], {"Ref": "AWS::NoValue"}]
    }


def test_managed_policies_alone_add_no_inline_policy(service):
    managed_only = build(Application(task_role=TaskRole(managed_policies=(S3_READ_ONLY,))))
    role = props(deploy(managed_only).resources[s.TASK_ROLE])
    assert role["ManagedPolicyArns"] == [S3_READ_ONLY]
    assert role == {
        **props(deploy(service).resources[s.TASK_ROLE]),
        "ManagedPolicyArns": [S3_READ_ONLY],
    }
    assert task_policies(managed_only, execute_command=False) == {}


# --- Egress beyond HTTPS ---------------------------------------------------------------------


def test_https_stays_the_first_egress_rule(template, service):
    assert task_egress(template)[0] == task_egress(service)[0]
    assert len(task_egress(template)) == 1 + len(APPLICATION.egress)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param(
            1,
            {
                "DestinationSecurityGroupId": DATABASE_GROUP,
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "Description": f"TCP 5432 to security group {DATABASE_GROUP}",
            },
            id="security-group",
        ),
        pytest.param(
            2,
            {
                "CidrIp": "10.20.0.0/16",
                "IpProtocol": "tcp",
                "FromPort": 6379,
                "ToPort": 6380,
                "Description": "Redis cluster",
            },
            id="cidr-range-with-own-description",
        ),
        pytest.param(
            3,
            {
                "DestinationPrefixListId": S3_PREFIX_LIST,
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "Description": f"TCP 443 to prefix list {S3_PREFIX_LIST}",
            },
            id="prefix-list",
        ),
        pytest.param(
            4,
            {
                "CidrIp": "10.0.0.2/32",
                "IpProtocol": "udp",
                "FromPort": 53,
                "ToPort": 53,
                "Description": "UDP 53 to 10.0.0.2/32",
            },
            id="udp-cidr",
        ),
    ],
)
def test_egress_rule_per_destination_kind(template, index, expected):
    assert task_egress(template)[index] == expected


def test_egress_is_inline_with_no_new_resource(template, service):
    assert sorted(template["Resources"]) == sorted(service["Resources"])


@pytest.mark.parametrize(
    ("egress", "message"),
    [
        pytest.param(
            (EgressRule(port=443, cidr="0.0.0.0/0", description="again"),),
            r"application\.egress\[0\]=.*the HTTPS rule the tasks always have",
            id="the-https-rule",
        ),
        pytest.param(
            (
                EgressRule(port=5432, security_group=DATABASE_GROUP),
                EgressRule(port=5432, security_group=DATABASE_GROUP, description="other"),
            ),
            r"application\.egress\[1\]=.*the same traffic as application\.egress\[0\]",
            id="twice",
        ),
    ],
)
def test_service_config_rejects_an_egress_rule_ec2_would_reject_as_a_duplicate(egress, message):
    with pytest.raises(ConfigError, match=message):
        ServiceConfig(application=Application(egress=egress))


# --- Sidecars --------------------------------------------------------------------------------


def test_each_sidecar_runs_its_image_as_given(template):
    definitions = containers(template)
    assert list(definitions) == ["app", "otel", "proxy"]
    assert (definitions["otel"]["Image"], definitions["otel"]["Essential"]) == (OTEL_IMAGE, False)
    assert (definitions["proxy"]["Image"], definitions["proxy"]["Essential"]) == (PROXY_IMAGE, True)


@pytest.mark.parametrize("name", ["otel", "proxy"])
def test_sidecars_are_locked_down(template, name):
    definition = containers(template)[name]
    assert definition["ReadonlyRootFilesystem"] is True  # whatever EnableExecuteCommand says
    assert definition["Privileged"] is False
    assert definition["LinuxParameters"] == {"InitProcessEnabled": True}


@pytest.mark.parametrize("name", ["otel", "proxy"])
def test_each_sidecar_has_its_own_scratch_volume_at_tmp(template, name):
    assert containers(template)[name]["MountPoints"] == [
        {"ContainerPath": "/tmp", "ReadOnly": False, "SourceVolume": f"{name}-tmp"}
    ]


def test_the_task_has_one_scratch_volume_per_container(template):
    volumes = props(template["Resources"][s.TASK_DEFINITION])["Volumes"]
    assert volumes == [{"Name": s.SCRATCH_VOLUME}, {"Name": "otel-tmp"}, {"Name": "proxy-tmp"}]


@pytest.mark.parametrize("name", ["otel", "proxy"])
def test_sidecars_log_to_the_stacks_log_group_under_their_name(template, name):
    assert containers(template)[name]["LogConfiguration"] == {
        "LogDriver": "awslogs",
        "Options": {
            "awslogs-group": {"Ref": s.LOG_GROUP},
            "awslogs-region": {"Ref": "AWS::Region"},
            "awslogs-stream-prefix": name,
        },
    }


def test_the_execution_role_pulls_each_sidecar_from_its_own_repository_only(template, service):
    pull = execution_statements(template)["PullTheServiceImage"]["Resource"]
    (computed,) = execution_statements(service)["PullTheServiceImage"]["Resource"]
    assert pull == [computed, OTEL_REPOSITORY, PROXY_REPOSITORY]


def test_a_sidecar_has_its_port_environment_command_and_health_check(template):
    otel = containers(template)["otel"]
    assert otel["PortMappings"] == [{"ContainerPort": 4317, "Protocol": "tcp"}]
    assert otel["Environment"] == [
        {"Name": "GOMEMLIMIT", "Value": "64MiB"},
        {"Name": "OTEL_RESOURCE_ATTRIBUTES", "Value": "service.name=web"},
    ]
    assert otel["Command"] == ["--config", "/etc/otel/config.yaml"]
    assert otel["HealthCheck"] == {
        "Command": ["CMD", "/healthcheck"],
        "Interval": 10,
        "Timeout": 5,
        "Retries": 5,
        "StartPeriod": 0,
    }


def test_a_sidecar_without_them_has_no_port_environment_command_or_health_check(template):
    proxy = containers(template)["proxy"]
    assert not {"PortMappings", "Environment", "Command", "HealthCheck"} & proxy.keys()


def test_sidecars_share_the_tasks_memory_and_the_suppression_says_why(template, service):
    definitions = containers(template)
    assert "Memory" not in definitions["otel"] and "Memory" not in definitions["proxy"]
    reasons = template["Resources"][s.TASK_DEFINITION]["Metadata"]["guard"]["Reasons"]
    shipped = service["Resources"][s.TASK_DEFINITION]["Metadata"]["guard"]["Reasons"]
    assert SIDECAR_MEMORY_REASON in reasons["ecs_task_definition_memory_hard_limit_check"]
    assert SIDECAR_MEMORY_REASON not in shipped["ecs_task_definition_memory_hard_limit_check"]


def test_container_port_may_not_be_a_sidecars_port(template):
    with pytest.raises(RuleError, match="taken by a sidecar"):
        deploy(template, ContainerPort="4317")
    assert deploy(template, ContainerPort="9090").parameters[s.CONTAINER_PORT] == "9090"


def test_no_port_rule_without_sidecar_ports(service):
    template = build(Application(sidecars=(PROXY,)))
    assert template["Rules"] == service["Rules"]


@pytest.mark.parametrize(
    ("sidecars", "message"),
    [
        pytest.param(
            (dataclasses.replace(OTEL, port=8080),),
            r"application\.sidecars\[0\]\.port=8080: is default_container_port",
            id="the-container-port",
        ),
        pytest.param(
            (OTEL, dataclasses.replace(PROXY, port=4317)),
            r"application\.sidecars\[0\]\.port=4317: another sidecar has it too",
            id="two-sidecars",
        ),
    ],
)
def test_service_config_rejects_sidecars_that_cannot_run(sidecars, message):
    with pytest.raises(ConfigError, match=message):
        ServiceConfig(application=Application(sidecars=sidecars))


def test_a_govcloud_sidecar_pulls_from_a_govcloud_repository():
    image = "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/otel/collector:1"
    assert Sidecar(name="otel", image=image).repository_arn == (
        "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/otel/collector"
    )


# A sidecar's awslogs streams are named <prefix>/<container name>/<task ID> ("Using the awslogs
# log driver", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html),
# its prefix its name, and a log stream's name is 1-512 characters (CloudWatch Logs API
# Reference, CreateLogStream, logStreamName,
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html):
# 239 + 1 + 239 + 1 + a 32-character task ID is 512.
def test_a_sidecar_name_of_239_characters_is_taken_and_one_of_240_refused():
    assert Sidecar("a" * 239, OTEL_IMAGE).name == "a" * 239
    with pytest.raises(ConfigError, match=r"Sidecar\.name='a{240}': must be 1-239 letters"):
        Sidecar("a" * 240, OTEL_IMAGE)


@pytest.mark.parametrize("name", ["-otel", "_otel", "otel.collector", ""])
def test_a_sidecar_name_is_letters_digits_hyphens_and_underscores_the_first_a_letter_or_digit(
    name,
):
    with pytest.raises(ConfigError) as refused:
        Sidecar(name, OTEL_IMAGE)
    assert str(refused.value).startswith(f"Sidecar.name={name!r}: must be 1-239 letters, digits")
    assert "the first a letter or digit" in str(refused.value)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"port": 0}, "Sidecar.port=0: must be a port from 1 to 65535"),
        ({"port": 65536}, "Sidecar.port=65536: must be a port from 1 to 65535"),
        ({"port": "4317"}, "Sidecar.port='4317': must be a port from 1 to 65535"),
        ({"essential": "yes"}, "Sidecar.essential='yes': must be true or false"),
        ({"essential": 1}, "Sidecar.essential=1: must be true or false"),
    ],
)
def test_a_sidecar_port_or_essential_of_the_wrong_kind_is_refused_naming_it(fields, message):
    with pytest.raises(ConfigError) as refused:
        Sidecar("otel", OTEL_IMAGE, **fields)
    assert str(refused.value) == message
    assert Sidecar("otel", OTEL_IMAGE, port=65535).port == 65535


def test_two_sidecars_of_one_name_are_refused():
    # ECS refuses a task definition with two containers of one name, and their log streams and
    # scratch volumes would be one.
    with pytest.raises(ConfigError) as refused:
        Application(sidecars=(OTEL, dataclasses.replace(PROXY, name="otel")))
    assert str(refused.value) == (
        "Application.sidecars=['otel', 'otel']: two sidecars have the same name"
    )


# EC2 takes "&" in a rule's description, but not in that of a rule naming a security group or a
# prefix list: "Allowed characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$*" (EC2 API
# Reference, PrefixListId and UserIdGroupPair, Description:
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html,
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html).
@pytest.mark.parametrize(
    "destination", [{"security_group": DATABASE_GROUP}, {"prefix_list": S3_PREFIX_LIST}]
)
def test_an_ampersand_in_a_rule_naming_a_group_or_a_prefix_list_is_refused(destination):
    assert EgressRule(port=443, cidr="10.0.0.0/8", description="S3 & logs").description
    with pytest.raises(ConfigError) as refused:
        EgressRule(port=443, description="S3 & logs", **destination)
    assert str(refused.value).startswith("EgressRule.description='S3 & logs': must be letters")


@pytest.mark.parametrize(
    "destinations",
    [{}, {"cidr": "10.0.0.0/8", "prefix_list": S3_PREFIX_LIST}],
    ids=["none", "two"],
)
def test_an_egress_rule_has_exactly_one_destination(destinations):
    with pytest.raises(ConfigError) as refused:
        EgressRule(port=5432, **destinations)
    assert str(refused.value) == (
        f"EgressRule.destination={sorted(destinations)!r}: give exactly one of cidr, "
        "security_group or prefix_list"
    )


def test_a_managed_policy_given_twice_is_refused():
    with pytest.raises(ConfigError) as refused:
        TaskRole(managed_policies=(S3_READ_ONLY, TEAM_POLICY, S3_READ_ONLY))
    assert str(refused.value) == (
        f"TaskRole.managed_policies={(S3_READ_ONLY, TEAM_POLICY, S3_READ_ONLY)!r}: has duplicates"
    )


# ECS's limits on a container health check (AWS::ECS::TaskDefinition HealthCheck: "You may
# specify between 5 and 300 seconds", "between 1 and 10 retries", "between 0 and 300 seconds",
# "between 2 and 60 seconds",
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-taskdefinition-healthcheck.html).
@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("interval_seconds", 5, 300),
        ("retries", 1, 10),
        ("start_period_seconds", 0, 300),
        ("timeout_seconds", 2, 60),
    ],
)
def test_a_health_check_number_one_past_either_end_of_ecs_s_range_is_refused(name, low, high):
    command = ("CMD", "/healthcheck")
    for value in (low, high):
        assert getattr(HealthCheck(command, **{name: value}), name) == value
    for value in (low - 1, high + 1):
        with pytest.raises(ConfigError) as refused:
            HealthCheck(command, **{name: value})
        assert str(refused.value) == (
            f"HealthCheck.{name}={value}: must be {low} to {high} (ECS's limits)"
        )


# --- Validators --------------------------------------------------------------------------------


@pytest.mark.lint
def test_cfn_lint_finds_nothing_informational_rules_included(template):
    assert lint_templates({s.FILENAME: to_yaml(template)}) == []


@pytest.mark.policy
def test_control_tower_and_our_rules_pass_except_for_justified_suppressions(template, tmp_path):
    from troposphere_fargate.cfn.guard_rules import applicable_rules, rule_files

    guard = tools.cfn_guard()
    path = tmp_path / s.FILENAME
    path.write_text(to_yaml(template))
    # The Control Tower rule files check runs: the others only skip on this template (the same
    # violations: test_the_rule_files_check_leaves_out_find_nothing_the_others_do_not).
    rules = applicable_rules(rule_files(policy.find_control_tower_rules()), [template])
    with policy.staged([path]) as copies, policy.start_guard(rules, copies, guard) as running:
        control_tower = policy.guard_violations(running, copies)
    assert [v for v in control_tower if not v.suppressed] == []
    assert policy.run_guard(policy.POLICY_DIR, [path], guard, suppressible=False) == []
    suppressed = {(v.resource, v.rule) for v in control_tower}
    assert (s.TASK_DEFINITION, "ecs_task_definition_memory_hard_limit_check") in suppressed


def test_the_policy_test_reads_the_template_it_writes(tmp_path: Path, template):
    # to_yaml and the guard's reader agree on the application's template (a secret's
    # ValueFrom ends in "::", which YAML must quote).
    path = tmp_path / s.FILENAME
    path.write_text(to_yaml(template))
    assert from_yaml(path.read_text()) == template


@pytest.mark.parametrize(
    ("resource", "taken"),
    [
        ("arn:aws:sqs:*:*:orders", True),  # every region and account of the partition
        ("arn:aws:sqs:eu-*:123456789012:*", True),
        ("arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/*", True),
        ("arn:aws:s3:::uploads/*", True),
        ("arn:aws:*:eu-west-1:123456789012:orders", False),  # IAM: no wildcard in the service
        ("arn:*:sqs:eu-west-1:123456789012:orders", False),  # nor in the partition
        ("arn:aws:sqs:eu-west-1:12345:orders", False),
        ("orders", False),
    ],
)
def test_a_statements_resources_take_iams_wildcards_after_the_service(resource, taken):
    # IAM matches * and ? in an ARN's region, account and resource ("arn:aws:sqs:*:*:orders");
    # such a resource was refused as "not an ARN".
    # An action of the resource's own service: one of another service's is refused (below).
    action = {"dynamodb": "dynamodb:GetItem", "s3": "s3:GetObject"}.get(
        resource.split(":")[2] if resource.count(":") > 2 else "", "sqs:SendMessage"
    )

    def statement() -> PolicyStatement:
        return PolicyStatement(actions=(action,), resources=(resource,))

    if taken:
        statement()
    else:
        with pytest.raises(ConfigError, match=r"must be an ARN \(IAM's \* and \? wildcards"):
            statement()


@pytest.mark.parametrize(
    ("actions", "resources", "says"),
    [
        # A spec trial: each built with exit 0, and the task got AccessDenied at run time.
        (
            ("s3:GetObject",),
            ("arn:aws:s3:::shop-assets",),
            "PolicyStatement.actions[0]='s3:GetObject': applies to accesspointobject or object "
            "ARNs (arn:aws:s3:::<name>/<...>, arn:aws:s3:${Region}:${Account}:accesspoint/<...>),"
            " and no resource of the statement is one: for the bucket's objects, write "
            "arn:aws:s3:::shop-assets/*",
        ),
        (
            ("s3:ListBucket",),
            ("arn:aws:s3:::shop-assets/*",),
            "for the bucket itself, write arn:aws:s3:::shop-assets",
        ),
        (
            ("s3:GetObject",),
            ("arn:aws:s3:eu-west-1:123456789012:shop-assets/*",),
            "PolicyStatement.resources[0]='arn:aws:s3:eu-west-1:123456789012:shop-assets/*': has "
            "the form of no s3 ARN: arn:aws:s3:::<name>/<...>, arn:aws:s3:::<name>,",
        ),
        (
            ("sqs:SendMessage",),
            ("arn:aws:sns:eu-west-1:123456789012:orders",),
            "applies to queue ARNs (arn:aws:sqs:${Region}:${Account}:<...>), and no resource of "
            "the statement is one",
        ),
        # Written for any stack: its variables hold colons, which split no field.
        (
            ("s3:GetObject",),
            ("arn:${AWS::Partition}:s3:::assets",),
            "write arn:${AWS::Partition}:s3:::assets/*",
        ),
        (
            ("s3:GetObject",),
            ("arn:${AWS::Partition}:s3:${AWS::Region}:${AWS::AccountId}:assets/*",),
            "has the form of no s3 ARN",
        ),
        # What may name the right resource is taken: a wildcard, a variable, both kinds.
        (("s3:GetObject", "s3:ListBucket"), ("arn:aws:s3:::a", "arn:aws:s3:::a/*"), None),
        (("s3:GetObject",), ("arn:aws:s3:::a*",), None),
        (("s3:Get*",), ("arn:aws:s3:::a",), None),
        (("s3:GetObject",), ("arn:${AWS::Partition}:s3:::a-${AWS::AccountId}/*",), None),
        (("s3:GetObject",), ("arn:aws:s3:::a/${aws:PrincipalTag/team}/*",), None),
        (("s3:ListAllMyBuckets",), ("arn:aws:s3:::a",), None),  # no resource type: not judged
        # A review: IAM's * matches colons too, and an AWS-owned resource has no account.
        (("logs:PutLogEvents",), ("arn:aws:logs:*:*:*",), None),
        (("dynamodb:GetItem",), ("arn:aws:dynamodb:eu-west-1:123456789012:*",), None),
        (("ssm:GetParameter",), ("arn:aws:ssm:eu-west-1::parameter/aws/service/ecs/*",), None),
        (("sqs:SendMessage",), ("arn:aws:sns:eu-west-1:123456789012:*",), "applies to queue"),
    ],
)
def test_a_statement_that_names_no_resource_its_actions_apply_to_is_refused(
    actions, resources, says
):
    """From cfn-lint's copy of the Service Authorization Reference: each action's resource types
    and each type's ARN formats (iam_actions.resource_problem, action_resource_problem)."""
    if says is None:
        PolicyStatement(actions=actions, resources=resources)
        return
    with pytest.raises(ConfigError) as refused:
        PolicyStatement(actions=actions, resources=resources)
    assert says in str(refused.value)


@pytest.mark.parametrize(
    ("action", "says"),
    [
        ("s3:GetObject", None),
        ("s3:getOBJECT", None),  # IAM compares action names without case
        # "The prefix and the action name are case insensitive" (IAM User Guide, Action): a
        # trial's S3:getobject was refused as no service:Action; ? is IAM's wildcard too.
        ("S3:getobject", None),
        ("s3:Get?bject", None),
        ("s3:Get*", None),
        # The suggestion in the case written (cfn-lint lists actions in lower case).
        ("s3:GetObjects", "s3 has no action GetObjects (did you mean s3:GetObject?)"),
        (
            "sqs:RecieveMessage",
            "sqs has no action RecieveMessage (did you mean sqs:ReceiveMessage?)",
        ),
        ("sqs:sendmesage", "sqs has no action sendmesage (did you mean sqs:sendmessage?)"),
        ("s3:Frob*", "Frob* matches no s3 action"),
        ("sqss:SendMessage", "sqss is not a service prefix IAM knows (did you mean sqs?)"),
    ],
)
def test_a_statements_actions_are_ones_cfn_lint_knows(action, says):
    # The build lints every template with W3037 ("Check for valid IAM Permissions"); a typo in
    # a spec's action surfaced there, at a line of a template that was never written. The same
    # list, read at the statement, refuses it at the spec's own line.
    if says is None:
        PolicyStatement(actions=(action,), resources=("*",))
    else:
        with pytest.raises(ConfigError) as refused:
            PolicyStatement(actions=("sqs:SendMessage", action), resources=("*",))
        assert f"PolicyStatement.actions[1]={action!r}: {says}" in str(refused.value)


def test_the_actions_are_the_list_cfn_lints_own_rule_checks():
    from cfnlint.rules.resources.iam.Permissions import Permissions

    from troposphere_fargate.layers.iam_actions import known_actions

    service_map = Permissions()._service_map
    assert set(known_actions()) == set(service_map)
    assert known_actions()["s3"] == {name.lower() for name in service_map["s3"]["Actions"]}


# --- One spec for every account, region and partition ------------------------------------------

OWN = "arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:%s"
PORTABLE = Application(
    secrets=(
        Secret("DB_PASSWORD", OWN % ("secretsmanager", "secret:prod/db-AbCdEf")),
        Secret("API_KEY", OWN % ("ssm", "parameter/prod/api-key")),
    ),
    secrets_kms_key=OWN % ("kms", "key/0123abcd-0123-4567-89ab-0123456789ab"),
    task_role=TaskRole(
        managed_policies=("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/shop-web",),
        statements=(
            PolicyStatement(actions=("sqs:SendMessage",), resources=(OWN % ("sqs", "orders"),)),
        ),
    ),
    sidecars=(
        Sidecar("agent", "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/agent:1.0"),
    ),
)


@pytest.mark.parametrize(
    ("region", "account", "partition", "suffix"),
    [
        ("eu-west-1", "111111111111", "aws", "amazonaws.com"),
        ("cn-north-1", "222222222222", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "333333333333", "aws-us-gov", "amazonaws.com"),
    ],
)
def test_an_application_may_name_the_stacks_own_partition_region_and_account(
    region, account, partition, suffix
):
    # A secret's, a key's, a policy's ARN or a sidecar's image tied a spec to one account and
    # region: with CloudFormation's pseudo parameters the template substitutes them per stack.
    pseudo = {"AWS::Region": region, "AWS::AccountId": account, "AWS::Partition": partition,
              "AWS::URLSuffix": suffix}  # fmt: skip
    stack = deployed(build(PORTABLE), REQUIRED, pseudo)
    definitions = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    app, agent = definitions

    def value(x: Any) -> Any:
        return compute(x, {**stack.parameters, **pseudo})

    assert [value(secret["ValueFrom"]) for secret in app["Secrets"]] == [
        f"arn:{partition}:ssm:{region}:{account}:parameter/prod/api-key",
        f"arn:{partition}:secretsmanager:{region}:{account}:secret:prod/db-AbCdEf",
    ]
    assert value(agent["Image"]) == f"{account}.dkr.ecr.{region}.{suffix}/agent:1.0"
    role = props(stack.resources[s.TASK_ROLE])
    assert [value(arn) for arn in value(role["ManagedPolicyArns"])] == [
        f"arn:{partition}:iam::{account}:policy/shop-web"
    ]
    (statement,) = value(role["Policies"])[0]["PolicyDocument"]["Statement"]
    assert [value(r) for r in statement["Resource"]] == [
        f"arn:{partition}:sqs:{region}:{account}:orders"
    ]


def test_the_stacks_own_partition_is_any_partition():
    from troposphere_fargate.layers.config import ProductConfig

    assert ProductConfig(service=ServiceConfig(application=PORTABLE)).partitions == frozenset()
    mixed = dataclasses.replace(
        PORTABLE, task_role=TaskRole(managed_policies=("arn:aws-cn:iam::aws:policy/A",))
    )
    assert ProductConfig(service=ServiceConfig(application=mixed)).partitions == {"aws-cn"}
    literal = "arn:${AWS::Partition}:sqs:eu-west-1:${AWS::AccountId}:orders"
    with pytest.raises(ConfigError, match="must be an ARN"):
        PolicyStatement(actions=("sqs:SendMessage",), resources=("arn:${AWS::Other}:sqs",))
    PolicyStatement(actions=("sqs:SendMessage",), resources=(literal,))


def test_a_sidecar_reads_its_own_secrets_and_the_execution_role_may_read_them():
    # An agent beside the application (Datadog's, say) needs its API key from a secret.
    key = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:datadog/api-key-AbCdEf"
    kms = "arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab"
    agent = Sidecar(
        "datadog",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/datadog-agent:7",
        secrets=(Secret("DD_API_KEY", key),),
    )
    # The key names a secret of a sidecar only: the application's own secrets may be none.
    template = build(Application(sidecars=(agent,), secrets_kms_key=kms))
    stack = deploy(template)
    _, sidecar = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    assert sidecar["Secrets"] == [{"Name": "DD_API_KEY", "ValueFrom": key}]
    execution = props(stack.resources[s.EXECUTION_ROLE])["Policies"][0]["PolicyDocument"]
    by_sid = {statement["Sid"]: statement for statement in execution["Statement"]}
    reads = [st for st in by_sid.values() if "secretsmanager:GetSecretValue" in st["Action"]]
    assert [st["Resource"] for st in reads] == [[key]]
    assert any(st["Resource"] == [kms] for st in by_sid.values() if "kms:Decrypt" in st["Action"])


def test_a_sidecar_secret_named_like_its_environment_variable_is_refused():
    with pytest.raises(ConfigError, match=r"Sidecar\.secrets\[0\]\.name='K': is also an env"):
        Sidecar(
            "agent",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:1",
            environment=(("K", "v"),),
            secrets=(Secret("K", "arn:aws:ssm:eu-west-1:123456789012:parameter/k"),),
        )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        # An integer is an address to IPv4Network: it was accepted, and the template failed in
        # troposphere ("CidrIp is <class 'int'>, expected <class 'str'>").
        (lambda: EgressRule(port=5432, cidr=167772160), "EgressRule.cidr=167772160: must be an"),
        # ipaddress reads an address alone as a /32, and a netmask: EC2's CidrIp is CIDR notation.
        (
            lambda: EgressRule(port=5432, cidr="10.1.2.3"),
            "EgressRule.cidr='10.1.2.3': write it as 10.1.2.3/32",
        ),
        (
            lambda: EgressRule(port=5432, cidr="10.0.0.0/255.0.0.0"),
            "EgressRule.cidr='10.0.0.0/255.0.0.0': write it as 10.0.0.0/8",
        ),
        # A regular expression given an integer raised a bare TypeError.
        (lambda: EgressRule(port=1, security_group=12345), "EgressRule.security_group=12345"),
        (lambda: EgressRule(port=1, prefix_list=12345), "EgressRule.prefix_list=12345"),
        (
            lambda: Application(
                secrets=(Secret("DB", DATABASE_SECRET),),
                secrets_kms_key=123,  # type: ignore[arg-type]
            ),
            "Application.secrets_kms_key=123: must be a KMS key ARN",
        ),
    ],
    ids=["cidr", "cidr-address-alone", "cidr-netmask", "security-group", "prefix-list", "kms-key"],
)
def test_a_value_of_the_wrong_type_is_a_config_error_naming_the_field(build, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        build()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"port": 0}, "EgressRule.port=0: must be a port from 1 to 65535"),
        ({"port": 65536}, "EgressRule.port=65536: must be a port from 1 to 65535"),
        ({"port": 443, "to_port": 65536}, "EgressRule.to_port=65536: must be a port from 1 to"),
    ],
)
def test_an_egress_port_outside_1_to_65535_is_refused(fields, message):
    """A TCP or UDP port is 16 bits (RFC 793 and RFC 768, "Destination Port: 16 bits"), and
    port 0 is reserved (IANA's Service Name and Transport Protocol Port Number Registry):
    EgressRule documents "the destination port, 1 to 65535"."""
    with pytest.raises(ConfigError, match=re.escape(message)):
        EgressRule(cidr="10.0.0.0/8", **fields)


def test_a_statement_built_with_awacs_converts_and_anything_else_in_it_is_refused():
    """The templates' own policies are awacs; so are many users'. An awacs action given where
    a string goes said only "must be a tuple of strings", with the object's repr."""
    from awacs import sqs
    from awacs.aws import (
        Action,
        Allow,
        ArnLike,
        Bool,
        Condition,
        Statement,
        StringEquals,
        StringLikeIfExists,
    )

    statement = Statement(
        Effect=Allow,
        Action=[sqs.SendMessage, Action("sqs", "GetQueueUrl")],
        Resource=[ORDERS_QUEUE],
    )
    assert PolicyStatement.from_awacs(statement) == PolicyStatement(
        actions=("sqs:SendMessage", "sqs:GetQueueUrl"), resources=(ORDERS_QUEUE,)
    )
    # Conditions convert, each element's keys in order: two elements of one operator are both
    # kept (awacs's own JSONrepr keeps the last), booleans become IAM's true and false.
    conditioned = Statement(
        Effect=Allow,
        Action=[sqs.SendMessage],
        Resource=[ORDERS_QUEUE],
        Condition=Condition(
            [
                StringEquals("aws:SourceVpce", ENDPOINT),
                Bool("aws:SecureTransport", True),
                StringEquals({"aws:ResourceAccount": ["123456789012", "210987654321"]}),
                StringLikeIfExists("aws:PrincipalTag/team", "shop-*"),
            ]
        ),
    )
    assert PolicyStatement.from_awacs(conditioned).conditions == (
        PolicyCondition("StringEquals", "aws:SourceVpce", (ENDPOINT,)),
        PolicyCondition("Bool", "aws:SecureTransport", ("true",)),
        PolicyCondition("StringEquals", "aws:ResourceAccount", ("123456789012", "210987654321")),
        PolicyCondition("StringLikeIfExists", "aws:PrincipalTag/team", ("shop-*",)),
    )
    with pytest.raises(ConfigError, match=r"Resource and Condition only, not NotAction"):
        PolicyStatement.from_awacs(
            Statement(Effect=Allow, NotAction=[sqs.SendMessage], Resource=[ORDERS_QUEUE])
        )
    from awacs import sns

    arn_valued = Statement(
        Effect=Allow,
        Action=[sqs.SendMessage],
        Resource=[ORDERS_QUEUE],
        Condition=Condition(ArnLike("aws:SourceArn", sns.ARN("orders", "eu-west-1", "1" * 12))),
    )  # an awacs ARN, as in Resource
    assert PolicyStatement.from_awacs(arn_valued).conditions == (
        PolicyCondition("ArnLike", "aws:SourceArn", ("arn:aws:sns:eu-west-1:111111111111:orders",)),
    )
    with pytest.raises(ConfigError, match=r"its values must be strings, booleans, numbers or"):
        PolicyStatement.from_awacs(
            Statement(
                Effect=Allow,
                Action=[sqs.SendMessage],
                Resource=[ORDERS_QUEUE],
                Condition=Condition(StringEquals("aws:SourceVpce", {"nested": "x"})),
            )
        )
    with pytest.raises(ConfigError, match=r"actions=\('sqs:SendMessage',\): .*from_awacs"):
        PolicyStatement(actions=(sqs.SendMessage,), resources=(ORDERS_QUEUE,))  # type: ignore[arg-type]
    from awacs import s3  # awacs ARNs convert too

    assert PolicyStatement.from_awacs(
        Statement(Effect=Allow, Action=[s3.GetObject], Resource=[s3.ARN("shop-uploads/*")])
    ) == PolicyStatement(actions=("s3:GetObject",), resources=(UPLOADS,))
    with pytest.raises(ConfigError, match="sqs has no action SendMesage"):  # checked as any other
        PolicyStatement.from_awacs(
            Statement(Effect=Allow, Action=[sqs.Action("SendMesage")], Resource=[ORDERS_QUEUE])
        )


# --- Conditions ---------------------------------------------------------------------------------
# IAM User Guide, "IAM JSON policy elements: Condition operators": the operators, IfExists on
# any but Null, what each kind compares with, and where a policy variable may stand.


@pytest.mark.parametrize(
    ("operator", "key", "values"),
    [
        ("StringLike", "s3:prefix", ("", "home/${aws:username}/")),  # "" is a prefix too
        ("StringNotEqualsIgnoreCaseIfExists", "aws:PrincipalTag/team", ("Shop",)),
        ("ForAnyValue:StringEquals", "aws:TagKeys", ("team", "env")),
        ("ForAllValues:StringLike", "aws:TagKeys", ("shop-*",)),
        ("NumericLessThanEquals", "s3:max-keys", ("10", "2.5")),
        ("DateGreaterThan", "aws:TokenIssueTime", ("2026-01-01T00:00:01Z", "1767225600")),
        ("DateLessThan", "aws:CurrentTime", ("2027-06", "2027-06-30T12:00+02:00", "2028")),
        # As leniently as IAM (moto's copy of its parser): no zone, lower case, one digit.
        ("DateLessThan", "aws:CurrentTime", ("2027-01-01T10:00:00", "2027-1-1", "2027-02-28t10z")),
        ("DateLessThan", "aws:CurrentTime", ("2028-02-29T23:59:59.123456789-05:00",)),
        ("Bool", "aws:SecureTransport", ("false",)),
        ("Bool", "aws:ViaAWSService", ("${aws:MultiFactorAuthPresent}",)),
        ("BinaryEquals", "aws:x", ("QmluYXJ5VmFsdWVJbkJhc2U2NA==",)),
        ("IpAddress", "aws:SourceIp", ("203.0.113.0/24", "2001:DB8:1234:5678::/64", "10.0.0.1")),
        ("NotIpAddressIfExists", "aws:VpcSourceIp", ("10.0.0.0/8",)),
        ("ArnLike", "aws:SourceArn", ("arn:${AWS::Partition}:sns:*:${AWS::AccountId}:orders-*",)),
        ("ArnEquals", "aws:PrincipalArn", ("arn:aws:iam::123456789012:role/${aws:username}",)),
        ("ArnLike", "aws:SourceArn", ("*", "${aws:PrincipalTag/source}")),
        ("Null", "aws:TokenIssueTime", ("true",)),
        ("StringEquals", "kms:EncryptionContext:aws:pi:service", ("rds",)),
        ("StringEquals", "kms:ViaService", ("secretsmanager.${AWS::Region}.${AWS::URLSuffix}",)),
    ],
)
def test_a_condition_takes_what_iam_takes(operator, key, values):
    assert PolicyCondition(operator, key, values).values == values


@pytest.mark.parametrize(
    ("operator", "key", "values", "message"),
    [
        ("StringEqual", "aws:x", ("a",), "operator='StringEqual': must be an IAM condition"),
        ("ForAnyValue:ArnEqual", "aws:x", ("a",), "(did you mean ForAnyValue:ArnEquals?)"),
        ("StringLikeIfExist", "aws:x", ("a",), "(did you mean StringLike"),
        ("StringEquals", "aws:x", ("vpce-1\n",), "holds a control character"),
        ("StringEquals", "aws:x\ty", ("a",), "holds a control character"),
        ("ArnEquals", "aws:SourceArn", ("orders-topic",), "must be an ARN (IAM's * and ?"),
        ("IfExists", "aws:x", ("a",), "must be an IAM condition operator"),
        ("ForSomeValues:StringEquals", "aws:x", ("a",), "must be an IAM condition operator"),
        ("NullIfExists", "aws:x", ("true",), "Null takes no IfExists"),
        ("StringEquals", "SourceVpce", ("a",), "must be a condition key, service:key"),
        ("StringEquals", "aws:x ", ("a",), "must be a condition key"),
        ("StringEquals", "aws:x", (), "values=(): must not be empty"),
        ("StringEquals", "aws:x", ["a"], "must be a tuple of strings"),
        ("NumericEquals", "s3:max-keys", ("ten",), "values[0]='ten': must be a number"),
        ("NumericEquals", "s3:max-keys", ("${aws:x}",), "must be a number"),
        ("DateLessThan", "aws:CurrentTime", ("2027-13-01",), "must be a date in ISO 8601"),
        ("DateLessThan", "aws:CurrentTime", ("2027-02-29",), "must be a date in ISO 8601"),
        ("DateLessThan", "aws:CurrentTime", ("2027-01-01T25:00Z",), "must be a date in ISO"),
        ("DateLessThan", "aws:CurrentTime", ("2027-01-01T10:61Z",), "must be a date in ISO"),
        ("DateLessThan", "aws:CurrentTime", ("99999999999999999999",), "must be a date in ISO"),
        ("DateLessThan", "aws:CurrentTime", ("2027-*",), "must be a date in ISO 8601"),
        ("Bool", "aws:SecureTransport", ("yes",), "must be true, false or an IAM policy variable"),
        (
            "Bool",
            "aws:SecureTransport",
            ("${AWS::Region}",),
            "must be true, false or an IAM policy variable",
        ),
        ("Null", "aws:TokenIssueTime", ("${aws:x}",), "must be true (the key is absent)"),
        ("BinaryEquals", "aws:x", ("not base64!",), "must be base64"),
        ("IpAddress", "aws:SourceIp", ("10.0.0.0/33",), "must be an IPv4 or IPv6 address"),
        ("IpAddress", "aws:SourceIp", ("${aws:x}",), "must be an IPv4 or IPv6 address"),
        ("IpAddress", "aws:SourceIp", ("10.0.0.0/255.0.0.0",), "must be an IPv4 or IPv6"),
        ("IpAddress", "aws:SourceIp", ("fe80::1%eth0",), "must be an IPv4 or IPv6 address"),
        ("StringLike", "s3:prefix", ("${!aws:username}",), "holds ${!...}: write an IAM"),
        ("StringEquals", "aws:ResourceTag/${aws:x}", ("a",), "key='aws:ResourceTag/${aws:x}'"),
        ("ArnLike", "aws:SourceArn", ("",), "must be an ARN"),
        (
            "ArnEquals",
            "aws:SourceArn",
            ("arn:aws:sns:cn-north-1:123456789012:t",),
            "cn-north-1 is a region of partition aws-cn",
        ),
        (
            "StringEquals",
            "aws:x",
            ("${AWS::StackName}",),
            "names ${AWS::StackName}: a condition may name the stack's own",
        ),
    ],
)
def test_a_condition_iam_would_refuse_is_a_config_error_naming_the_field(
    operator, key, values, message
):
    with pytest.raises(ConfigError, match=re.escape(message)):
        PolicyCondition(operator, key, values)


def test_one_key_twice_under_one_operator_is_refused():
    """IAM reads condition keys case-insensitively, and a JSON object keeps one of two equal
    keys: the second condition would silently replace the first."""
    first = PolicyCondition("StringEquals", "aws:SourceVpce", (ENDPOINT,))
    again = PolicyCondition("StringEquals", "aws:sourcevpce", ("vpce-1",))
    with pytest.raises(ConfigError, match=r"conditions\[1\]='StringEquals aws:sourcevpce': is "
                       r"given twice: give all its values in one condition"):  # fmt: skip
        PolicyStatement(("sqs:SendMessage",), (ORDERS_QUEUE,), conditions=(first, again))
    other_operator = PolicyCondition("StringNotEquals", "aws:SourceVpce", ("vpce-1",))
    PolicyStatement(("sqs:SendMessage",), (ORDERS_QUEUE,), conditions=(first, other_operator))
    with pytest.raises(ConfigError, match="must be a tuple of PolicyCondition"):
        PolicyStatement(("sqs:SendMessage",), (ORDERS_QUEUE,), conditions=[first])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("region", "account", "partition"),
    [("eu-west-1", "111111111111", "aws"), ("cn-north-1", "222222222222", "aws-cn")],
)
def test_policy_variables_reach_iam_as_written_beside_the_stacks_own_values(
    region, account, partition
):
    """A value naming ${AWS::Region} is an Fn::Sub, where an IAM policy variable such as
    ${aws:username} would be a variable CloudFormation cannot resolve (cfn-lint E1019; the
    stack fails): it is written ${!aws:username}, which Fn::Sub gives back as ${aws:username}
    ("To write a dollar sign and curly braces (${}) literally, add an exclamation point (!)
    after the open curly brace", Fn::Sub, CloudFormation User Guide)."""
    home = "arn:${AWS::Partition}:s3:::shop-uploads/home/${aws:username}/*"
    statement = PolicyStatement(
        actions=("s3:GetObject",),
        resources=(home,),
        conditions=(
            PolicyCondition("StringEquals", "kms:ViaService", ("s3.${AWS::Region}.amazonaws.com",)),
            PolicyCondition("StringLike", "s3:prefix", ("home/${aws:username}/",)),
        ),
    )
    template = build(Application(task_role=TaskRole(statements=(statement,))))
    written = props(template["Resources"][s.TASK_ROLE])["Policies"][0]["PolicyDocument"]
    (rendered,) = written["Statement"]
    assert rendered["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:s3:::shop-uploads/home/${!aws:username}/*"}
    ]
    assert rendered["Condition"]["StringLike"] == {"s3:prefix": ["home/${aws:username}/"]}
    pseudo = {"AWS::Region": region, "AWS::AccountId": account, "AWS::Partition": partition}
    stack = deployed(template, REQUIRED, pseudo)
    (document,) = [
        p["PolicyDocument"]
        for p in props(stack.resources[s.TASK_ROLE])["Policies"]
        if p["PolicyName"] == s.APPLICATION_POLICY
    ]
    (statement_,) = compute(document["Statement"], {**stack.parameters, **pseudo})
    assert statement_["Resource"] == [f"arn:{partition}:s3:::shop-uploads/home/${{aws:username}}/*"]
    assert statement_["Condition"] == {
        "StringEquals": {"kms:ViaService": [f"s3.{region}.amazonaws.com"]},
        "StringLike": {"s3:prefix": ["home/${aws:username}/"]},
    }


def test_an_escaped_policy_variable_is_refused_where_it_would_reach_iam_escaped():
    """In a plain string (no pseudo parameter) ${!aws:username} is no Fn::Sub escape: IAM
    would get the text ${!aws:username} and match nothing."""
    with pytest.raises(ConfigError, match=re.escape("resources[0]='arn:aws:s3:::b/${!aws:")):
        PolicyStatement(("s3:GetObject",), ("arn:aws:s3:::b/${!aws:username}/*",))


@pytest.mark.lint
def test_cfn_lint_takes_policy_variables_beside_the_stacks_own_values():
    """Unescaped, the Fn::Sub above failed the build: E1019 'aws:username' is not one of the
    template's parameters, resources or pseudo parameters."""
    statement = PolicyStatement(
        actions=("s3:GetObject",),
        resources=("arn:${AWS::Partition}:s3:::shop-uploads/home/${aws:username}/*",),
    )
    template = build(Application(task_role=TaskRole(statements=(statement,))))
    assert lint_templates({s.FILENAME: to_yaml(template)}, regions=["us-east-1"]) == []


# Which commands are warned of, and what is suggested: tests/layers/test_health_command.py.
def test_a_health_check_command_that_most_likely_fails_is_taken_with_a_warning_at_its_key():
    command = ("CMD-SHELL", "curl", "-f", "http://localhost:8080/")
    assert HealthCheck(command=command).command == command  # taken: a valid command
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/{}:1"
    fine = HealthCheck(command=("CMD", "/bin/check"))
    sidecars = (
        Sidecar(name="otel", image=image.format("otel"), health_check=fine),
        Sidecar(name="proxy", image=image.format("proxy"), health_check=HealthCheck(command)),
    )
    app = Application(sidecars=sidecars, health_check=HealthCheck(command))
    first, second = ServiceConfig(application=app).warnings
    assert first.startswith("health_check.command: CMD-SHELL runs only the string after it")
    assert second.startswith("sidecars[1].health_check.command: CMD-SHELL runs only")
    assert ServiceConfig(application=Application(health_check=fine)).warnings == ()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: Secret("DB", "arn:aws:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf"),
            "Secret.value_from='arn:aws:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf'"
            ": cn-north-1 is a region of partition aws-cn: its ARNs start arn:aws-cn:",
        ),
        (
            lambda: PolicyStatement(
                actions=("sqs:SendMessage",),
                resources=(ORDERS_QUEUE, "arn:aws-us-gov:sqs:eu-west-1:123456789012:q"),
            ),
            "PolicyStatement.resources[1]='arn:aws-us-gov:sqs:eu-west-1:123456789012:q': "
            "eu-west-1 is a region of partition aws: its ARNs start arn:aws:",
        ),
        (
            lambda: Application(
                secrets=(Secret("DB", DATABASE_SECRET),),
                secrets_kms_key=KMS_KEY.replace("eu-west-1", "us-gov-west-1"),
            ),
            "us-gov-west-1 is a region of partition aws-us-gov",
        ),
        (
            lambda: HealthCheck(command=("CMD-SHELL", " ")),
            "must start with CMD or CMD-SHELL and a command",
        ),
        # Written for the stack's region with a fixed partition: wrong in the other partitions,
        # and cfn-lint's I3042 stopped the build late, pointing at a rendered template.
        (
            lambda: Secret(
                "DB", "arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:x-AbCdEf"
            ),
            "names ${AWS::Region} with the fixed partition aws: write arn:${AWS::Partition}:",
        ),
    ],
    ids=["secret", "statement", "kms-key", "blank-health-check", "fixed-partition-own-region"],
)
def test_an_arn_whose_region_is_another_partitions_cannot_exist(build, message):
    """Each partition has its own regions (ARNs, Service Authorization Reference): such an
    ARN named nothing, and the stack failed when the task started, or never read its secret."""
    with pytest.raises(ConfigError, match=re.escape(message)):
        build()
    # The stack's own partition, a wildcard region and a known pair are all fine.
    assert Secret("DB", "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf")
    assert PolicyStatement(
        actions=("sqs:SendMessage",), resources=("arn:aws:sqs:*:123456789012:q",)
    )
    assert PolicyStatement(
        actions=("sqs:SendMessage",),
        resources=("arn:${AWS::Partition}:sqs:cn-north-1:123456789012:q",),
    )


@pytest.mark.parametrize(
    ("actions", "resources", "effect", "conditions", "warned"),
    [
        (("s3:GetObject", "dynamodb:*"), ("*",), "Allow", False, ("dynamodb:*", True)),
        (("s3:*", "sqs:*"), ("*",), "Allow", False, ("s3:*, sqs:*", True)),
        # Control Tower's rule looks at the action alone: checked with `check` on a table ARN.
        (
            ("dynamodb:*",),
            ("arn:aws:dynamodb:eu-west-1:123456789012:table/t",),
            "Allow",
            False,
            ("dynamodb:*", False),
        ),
        (("dynamodb:*",), ("*",), "Allow", True, ("dynamodb:*", True)),
        (("dynamodb:*",), ("*",), "Deny", False, None),
        (("dynamodb:GetItem",), ("*",), "Allow", False, None),
    ],
)
def test_a_statement_of_every_action_of_a_service_is_warned_of(
    actions, resources, effect, conditions, warned
):
    # A user trial: dynamodb:* on * built silently; `check` then failed it (Control Tower's
    # iam_inline_policy_no_statements_with_full_access_check, and checkov's CKV_AWS_108/109/111),
    # and the rule fails service:* on a single table too (run by hand, `check --no-fetch`).
    from troposphere_fargate import Application, PolicyCondition, PolicyStatement, TaskRole

    scoped = (PolicyCondition("StringEquals", "aws:RequestedRegion", ("eu-west-1",)),)
    statement = PolicyStatement(actions, resources, effect, scoped if conditions else ())
    service = ServiceConfig(application=Application(task_role=TaskRole(statements=(statement,))))
    if warned is None:
        assert service.warnings == ()
        return
    named, everywhere = warned
    reach = " on every resource the account can reach" if everywhere else ""
    assert service.warnings == (
        f"task_role: statement 1 allows {named}: every action of the service{reach}; "
        "troposphere-fargate check fails it (AWS Control Tower's "
        "iam_inline_policy_no_statements_with_full_access_check). Name the actions the "
        "application needs",
    )


def test_a_statements_refused_action_or_resource_is_named_with_its_index():
    # A newcomer's trial: "PolicyStatement.resources='orders'" did not say which of several.
    with pytest.raises(ConfigError) as refused:
        PolicyStatement(actions=("sqs:SendMessage", "*"), resources=("*",))
    assert str(refused.value) == (
        "PolicyStatement.actions[1]='*': must be service:Action, such as sqs:SendMessage"
    )
    with pytest.raises(ConfigError) as refused:
        PolicyStatement(actions=("sqs:SendMessage",), resources=(ORDERS_QUEUE, "orders"))
    assert str(refused.value).startswith("PolicyStatement.resources[1]='orders': must be an ARN")
