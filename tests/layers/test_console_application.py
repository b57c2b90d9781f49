"""What a console user gives the application without a spec (the service template's group
"Application (configuration, secrets, permissions)"), read back from what the template deploys
for given parameter values: one behaviour per test. Left at their defaults, the parameters
change nothing; given, each adds exactly its part and grants exactly what it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import IMAGE, compute, props
from tests.support import SERVICE_REQUIRED as REQUIRED
from troposphere_fargate import Application, Secret, ServiceConfig, TaskRole, from_yaml
from troposphere_fargate.cfn.evaluate import (
    Deployment,
    ParameterError,
    RuleError,
    deployed,
    resolved,
)
from troposphere_fargate.layers import root
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.service import service_template
from troposphere_fargate.release.build import render_templates

REPO = Path(__file__).resolve().parents[2]
ENVIRONMENT_FILE = "arn:aws:s3:::shop-config/web/production.env"
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
TEAM_POLICY = "arn:aws:iam::123456789012:policy/team/shop-web"
S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
DATABASE_GROUP = "sg-0123456789abcdef0"
APPLICATION_PARAMETERS = [
    s.ENVIRONMENT_FILE_ARN,
    s.SECRET_ARN_PARAMETER,
    s.SECRET_VARIABLE_NAME,
    s.TASK_ROLE_MANAGED_POLICY_ARNS,
    s.EXTRA_EGRESS_PORT,
    s.EXTRA_EGRESS_SECURITY_GROUP_ID,
    s.EXTRA_EGRESS_CIDR,
]
EGRESS_RESOURCES = {s.TASK_EXTRA_EGRESS_TO_SECURITY_GROUP, s.TASK_EXTRA_EGRESS_TO_CIDR}


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**REQUIRED, **parameters})


def value(stack: Deployment, node: Any) -> Any:
    """``node`` computed for the stack's parameter values, as CloudFormation would (a list
    parameter's Ref gives its members)."""
    values: dict[str, Any] = dict(stack.parameters)
    given = values[s.TASK_ROLE_MANAGED_POLICY_ARNS]
    values[s.TASK_ROLE_MANAGED_POLICY_ARNS] = [m.strip() for m in given.split(",")] if given else []
    return compute(node, {**values, "AWS::Partition": "aws"})


def application_container(stack: Deployment) -> dict[str, Any]:
    (container,) = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    return dict(container)


def execution_policies(stack: Deployment) -> dict[str, dict[str, Any]]:
    policies = props(stack.resources[s.EXECUTION_ROLE])["Policies"]
    return {policy["PolicyName"]: policy["PolicyDocument"] for policy in policies}


def statements(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {statement["Sid"]: statement for statement in document["Statement"]}


# --- Nothing given, nothing changed ------------------------------------------------------------


@pytest.mark.parametrize("version", ["0.2.0", "0.3.0"])
def test_the_defaults_deploy_exactly_what_earlier_versions_deployed(service, version):
    previous = from_yaml((REPO / "templates" / version / s.FILENAME).read_text())
    # A stack keeps its parameter values through an update: DesiredCount's (2, the old
    # default) among them. Its new default, 0, leaves the count to autoscaling instead
    # (tests/layers/test_service.py, test_an_update_leaves_the_task_count_to_autoscaling).
    # Compared as the stacks hold them (every Ref to a parameter replaced by its value, a
    # number as CloudFormation passes a parameter: text), so a literal that became a parameter
    # with the same default (the health check's, since 0.4.0) compares equal.
    now = _as_deployed(service, **{s.DESIRED_COUNT: "2"})
    # Since 0.4.0 the wait condition handle the service waits for also names the listener rule
    # of a service in an environment: on its own, nothing (a handle's metadata, no resource).
    assert now[s.LISTENERS_READY]["Metadata"].pop(s.LISTENER_RULE) == ""
    # ... and the production rule, test listener and test rule of a canary, linear or blue/green
    # strategy: under the default ROLLING, none of them.
    for waited in (s.PRODUCTION_LISTENER_RULE, s.TEST_LISTENER, s.TEST_LISTENER_RULE):
        assert now[s.LISTENERS_READY]["Metadata"].pop(waited) == ""
    # Since 0.4.0 the deployment names its strategy: ROLLING, what ECS did without one (and
    # named, so that a stack moving back from CANARY says so instead of leaving it out).
    strategy = now[s.SERVICE]["Properties"]["DeploymentConfiguration"].pop("Strategy")
    assert strategy == "ROLLING"
    # Since 0.4.0 the tasks' group carries a checkov skip (its ingress rules are each inside an
    # Fn::If, one per placement): metadata for the policy tools, nothing ECS or EC2 receives.
    skips = service["Resources"][s.TASK_SECURITY_GROUP]["Metadata"]["checkov"]["skip"]
    assert [skip["id"] for skip in skips] == ["CKV_AWS_23"]
    # Since 0.4.0 a deployment rolls back on the two alarms it adds (tests/layers/test_alarms.py):
    # new resources and the deployment's Alarms, nothing else of what ran changes.
    assert {now.pop(s.UNHEALTHY_TARGETS_ALARM)["Type"], now.pop(s.ERROR_RATE_ALARM)["Type"]} == {
        "AWS::CloudWatch::Alarm"
    }
    assert now[s.SERVICE]["Properties"]["DeploymentConfiguration"].pop("Alarms")["Rollback"]
    # and a dashboard (tests/layers/test_dashboard.py).
    assert now.pop(s.DASHBOARD)["Type"] == "AWS::CloudWatch::Dashboard"
    assert now == _as_deployed(previous)


def _as_deployed(template: dict[str, Any], **parameters: str) -> dict[str, Any]:
    deploy(template, **parameters)  # its constraints and rules accept the values
    stack = resolved(template, {**REQUIRED, **parameters})
    return {
        name: _without_policy_tools(body)
        for name, body in _numbers_as_text(stack["Resources"]).items()
    }


def _without_policy_tools(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource as it deploys: the suppressions read by checkov and cfn-guard (their reasons
    reworded from version to version) are metadata no AWS service receives."""
    metadata = {
        key: value
        for key, value in resource.get("Metadata", {}).items()
        if key not in ("checkov", "guard")
    }
    kept = {key: value for key, value in resource.items() if key != "Metadata"}
    return {**kept, "Metadata": metadata} if metadata else kept


def _numbers_as_text(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _numbers_as_text(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_numbers_as_text(item) for item in node]
    if isinstance(node, int) and not isinstance(node, bool):
        return str(node)
    return node


def test_the_parameters_are_optional_and_each_default_means_none(service):
    defaults = {name: service["Parameters"][name]["Default"] for name in APPLICATION_PARAMETERS}
    assert defaults == {
        s.ENVIRONMENT_FILE_ARN: "",
        s.SECRET_ARN_PARAMETER: "",
        s.SECRET_VARIABLE_NAME: "APP_SECRET",  # used only with SecretArn
        s.TASK_ROLE_MANAGED_POLICY_ARNS: "",
        s.EXTRA_EGRESS_PORT: "0",
        s.EXTRA_EGRESS_SECURITY_GROUP_ID: "",
        s.EXTRA_EGRESS_CIDR: "",
    }


def test_by_default_the_container_has_no_environment_file_and_no_secret(service):
    container = application_container(deploy(service))
    assert "EnvironmentFiles" not in container
    assert "Secrets" not in container


def test_by_default_the_execution_role_has_its_one_policy_only(service):
    assert list(execution_policies(deploy(service))) == ["PullImageAndWriteLogs"]


def test_by_default_the_task_role_has_no_managed_policies(service):
    assert "ManagedPolicyArns" not in props(deploy(service).resources[s.TASK_ROLE])


def test_by_default_there_is_no_extra_egress(service):
    assert not EGRESS_RESOURCES & set(deploy(service).resources)


def test_a_secret_variable_name_without_a_secret_changes_nothing(service):
    renamed = deploy(service, SecretVariableName="DATABASE_URL").resources
    assert renamed == deploy(service).resources


# --- The console shows them together ---------------------------------------------------------


def test_they_are_one_console_group_after_the_container(service):
    interface = service["Metadata"]["AWS::CloudFormation::Interface"]
    groups = [group["Label"]["default"] for group in interface["ParameterGroups"]]
    assert groups[groups.index(s.GROUP_CONTAINER) + 1] == s.GROUP_APPLICATION
    (group,) = [
        g for g in interface["ParameterGroups"] if g["Label"]["default"] == s.GROUP_APPLICATION
    ]
    assert group["Parameters"] == APPLICATION_PARAMETERS


@pytest.mark.parametrize("name", APPLICATION_PARAMETERS)
def test_each_has_a_label_a_description_and_a_constraint(service, name):
    parameter = service["Parameters"][name]
    labels = service["Metadata"]["AWS::CloudFormation::Interface"]["ParameterLabels"]
    assert labels[name]["default"]
    assert parameter["Description"] and parameter["ConstraintDescription"]
    assert {"AllowedPattern", "MinValue"} & set(parameter)


# --- The environment file --------------------------------------------------------------------


def test_the_environment_file_is_on_the_application_container(service):
    stack = deploy(service, EnvironmentFileArn=ENVIRONMENT_FILE)
    files = value(stack, application_container(stack)["EnvironmentFiles"])
    assert files == [{"Type": "s3", "Value": ENVIRONMENT_FILE}]


@pytest.mark.parametrize(
    ("arn", "bucket"),
    [
        (ENVIRONMENT_FILE, "arn:aws:s3:::shop-config"),
        ("arn:aws-cn:s3:::cn.config-1/app.env", "arn:aws-cn:s3:::cn.config-1"),
        ("arn:aws-us-gov:s3:::gov-config/a/b/c/.env", "arn:aws-us-gov:s3:::gov-config"),
    ],
)
def test_the_execution_role_reads_exactly_the_file_and_locates_exactly_its_bucket(
    service, arn, bucket
):
    stack = deploy(service, EnvironmentFileArn=arn)
    granted = statements(execution_policies(stack)[s.ENVIRONMENT_FILE_POLICY])
    read, locate = granted["ReadTheEnvironmentFile"], granted["LocateTheEnvironmentFileBucket"]
    assert read["Action"] == ["s3:GetObject"]
    assert value(stack, read["Resource"]) == [arn]
    assert locate["Action"] == ["s3:GetBucketLocation"]
    assert value(stack, locate["Resource"]) == [bucket]


def test_an_environment_file_adds_nothing_else(service):
    stack = deploy(service, EnvironmentFileArn=ENVIRONMENT_FILE)
    assert list(execution_policies(stack)) == ["PullImageAndWriteLogs", s.ENVIRONMENT_FILE_POLICY]
    assert "Secrets" not in application_container(stack)


# --- The secret ------------------------------------------------------------------------------


def test_the_secret_is_the_containers_app_secret_variable(service):
    stack = deploy(service, SecretArn=SECRET)
    secrets = value(stack, application_container(stack)["Secrets"])
    assert secrets == [{"Name": "APP_SECRET", "ValueFrom": SECRET}]


def test_the_secret_takes_the_variable_name_given(service):
    stack = deploy(service, SecretArn=SECRET, SecretVariableName="DATABASE_URL")
    (secret,) = value(stack, application_container(stack)["Secrets"])
    assert secret["Name"] == "DATABASE_URL"


def test_the_execution_role_reads_exactly_that_secret(service):
    stack = deploy(service, SecretArn=SECRET)
    document = execution_policies(stack)[s.SECRET_ARN_POLICY]
    (read,) = document["Statement"]
    assert read["Action"] == ["secretsmanager:GetSecretValue"]
    assert value(stack, read["Resource"]) == [SECRET]
    assert list(execution_policies(stack)) == ["PullImageAndWriteLogs", s.SECRET_ARN_POLICY]


def test_the_secret_comes_after_the_specs_own():
    spec = Application(secrets=(Secret("TOKEN", SECRET.replace("db-AbCdEf", "token-XyZ123")),))
    template = service_template(ServiceConfig(application=spec)).to_dict()
    stack = deploy(template, SecretArn=SECRET)
    names = [x["Name"] for x in value(stack, application_container(stack)["Secrets"])]
    assert names == ["TOKEN", "APP_SECRET"]
    assert [x["Name"] for x in application_container(deploy(template))["Secrets"]] == ["TOKEN"]


def test_a_spec_variable_cannot_be_the_secrets_too():
    spec = Application(environment=(("LOG_LEVEL", "info"),), secrets=(Secret("TOKEN", SECRET),))
    template = service_template(ServiceConfig(application=spec)).to_dict()
    with pytest.raises(RuleError, match="other than LOG_LEVEL, TOKEN"):
        deploy(template, SecretArn=SECRET, SecretVariableName="TOKEN")
    assert deploy(template, SecretVariableName="TOKEN")  # no secret given: nothing to clash


def test_the_shipped_template_has_no_variable_name_rule(service):
    assert s.SECRET_VARIABLE_NAME_NOT_TAKEN not in service["Rules"]


# --- The task role's managed policies --------------------------------------------------------


def test_the_task_role_gets_exactly_the_managed_policies_given(service):
    stack = deploy(service, TaskRoleManagedPolicyArns=f"{TEAM_POLICY}, {S3_READ_ONLY}")
    arns = value(stack, props(stack.resources[s.TASK_ROLE])["ManagedPolicyArns"])
    assert arns == [TEAM_POLICY, S3_READ_ONLY]


def test_managed_policies_add_no_inline_policy(service):
    stack = deploy(service, TaskRoleManagedPolicyArns=TEAM_POLICY)
    assert "Policies" not in props(stack.resources[s.TASK_ROLE])
    assert list(execution_policies(stack)) == ["PullImageAndWriteLogs"]


def test_managed_policies_join_the_specs_own():
    spec = Application(task_role=TaskRole(managed_policies=(S3_READ_ONLY,)))
    template = service_template(ServiceConfig(application=spec)).to_dict()
    stack = deploy(template, TaskRoleManagedPolicyArns=TEAM_POLICY)
    arns = value(stack, props(stack.resources[s.TASK_ROLE])["ManagedPolicyArns"])
    assert arns == [TEAM_POLICY, S3_READ_ONLY]
    alone = deploy(template).resources[s.TASK_ROLE]
    assert props(alone)["ManagedPolicyArns"] == [S3_READ_ONLY]


# --- The extra egress rule -------------------------------------------------------------------


def test_extra_egress_to_a_security_group(service):
    stack = deploy(service, ExtraEgressPort="5432", ExtraEgressSecurityGroupId=DATABASE_GROUP)
    assert not {s.TASK_EXTRA_EGRESS_TO_CIDR} & set(stack.resources)
    egress = stack.resources[s.TASK_EXTRA_EGRESS_TO_SECURITY_GROUP]
    assert egress["Type"] == "AWS::EC2::SecurityGroupEgress"
    properties = props(egress)
    assert properties.pop("GroupId") == {"Ref": s.TASK_SECURITY_GROUP}
    assert value(stack, properties) == {
        "IpProtocol": "tcp",
        "FromPort": "5432",
        "ToPort": "5432",
        "DestinationSecurityGroupId": DATABASE_GROUP,
        "Description": f"TCP 5432 to security group {DATABASE_GROUP}",
    }


def test_extra_egress_to_a_cidr(service):
    stack = deploy(service, ExtraEgressPort="6379", ExtraEgressCidr="10.20.0.0/16")
    assert not {s.TASK_EXTRA_EGRESS_TO_SECURITY_GROUP} & set(stack.resources)
    egress = stack.resources[s.TASK_EXTRA_EGRESS_TO_CIDR]
    properties = props(egress)
    assert properties.pop("GroupId") == {"Ref": s.TASK_SECURITY_GROUP}
    assert value(stack, properties) == {
        "IpProtocol": "tcp",
        "FromPort": "6379",
        "ToPort": "6379",
        "CidrIp": "10.20.0.0/16",
        "Description": "TCP 6379 to 10.20.0.0/16",
    }


def test_extra_egress_leaves_the_tasks_group_as_it_was(service):
    stack = deploy(service, ExtraEgressPort="5432", ExtraEgressSecurityGroupId=DATABASE_GROUP)
    group = s.TASK_SECURITY_GROUP
    assert stack.resources[group] == deploy(service).resources[group]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        pytest.param(
            {"ExtraEgressPort": "5432"}, "ExtraEgressPort needs a destination", id="no-destination"
        ),
        pytest.param(
            {
                "ExtraEgressPort": "5432",
                "ExtraEgressSecurityGroupId": DATABASE_GROUP,
                "ExtraEgressCidr": "10.0.0.0/16",
            },
            "goes to one destination: give ExtraEgressSecurityGroupId or ExtraEgressCidr, not both",
            id="two-destinations",
        ),
        pytest.param(
            {"ExtraEgressSecurityGroupId": DATABASE_GROUP},
            "need an ExtraEgressPort",
            id="security-group-without-port",
        ),
        pytest.param(
            {"ExtraEgressCidr": "10.0.0.0/16"}, "need an ExtraEgressPort", id="cidr-without-port"
        ),
    ],
)
def test_extra_egress_needs_a_port_and_exactly_one_destination(service, given, message):
    with pytest.raises(RuleError, match=message):
        deploy(service, **given)


# --- Bad values are refused before anything is created ---------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        {s.ENVIRONMENT_FILE_ARN: ENVIRONMENT_FILE},
        {s.ENVIRONMENT_FILE_ARN: "arn:aws-cn:s3:::my.bucket/a/b/(v1)_config-prod.env"},
        {s.SECRET_ARN_PARAMETER: SECRET},
        {s.SECRET_ARN_PARAMETER: SECRET.replace("arn:aws:", "arn:aws-us-gov:")},
        {s.SECRET_VARIABLE_NAME: "_DB_URL2"},
        {s.TASK_ROLE_MANAGED_POLICY_ARNS: f"{TEAM_POLICY},{S3_READ_ONLY}"},
        {s.TASK_ROLE_MANAGED_POLICY_ARNS: "arn:aws-cn:iam::aws:policy/ReadOnlyAccess"},
        {s.EXTRA_EGRESS_PORT: "1", s.EXTRA_EGRESS_SECURITY_GROUP_ID: "sg-0123abcd"},
        {s.EXTRA_EGRESS_PORT: "65535", s.EXTRA_EGRESS_CIDR: "0.0.0.0/0"},
    ],
    ids=lambda given: "+".join(given),
)
def test_good_values_are_accepted(service, given):
    assert deploy(service, **given).parameters.items() >= given.items()


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        pytest.param(s.ENVIRONMENT_FILE_ARN, "arn:aws:s3:::shop-config/web.txt", id="not-.env"),
        pytest.param(s.ENVIRONMENT_FILE_ARN, "arn:aws:s3:::shop-config/*.env", id="wildcard"),
        pytest.param(s.ENVIRONMENT_FILE_ARN, "arn:aws:s3:::shop-config", id="a-bucket"),
        pytest.param(s.ENVIRONMENT_FILE_ARN, "s3://shop-config/web.env", id="an-s3-url"),
        pytest.param(s.ENVIRONMENT_FILE_ARN, "arn:aws:s3:::Shop_Config/web.env", id="bad-bucket"),
        pytest.param(s.SECRET_ARN_PARAMETER, f"{SECRET}:password::", id="json-key"),
        pytest.param(s.SECRET_ARN_PARAMETER, SECRET[: -len("-AbCdEf")], id="partial-arn"),
        pytest.param(
            s.SECRET_ARN_PARAMETER,
            "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db",
            id="ssm-parameter",
        ),
        pytest.param(s.SECRET_ARN_PARAMETER, "*", id="wildcard-secret"),
        pytest.param(s.SECRET_VARIABLE_NAME, "1ST", id="digit-first"),
        pytest.param(s.SECRET_VARIABLE_NAME, "APP-SECRET", id="hyphen"),
        pytest.param(s.SECRET_VARIABLE_NAME, "", id="empty-name"),
        pytest.param(
            s.TASK_ROLE_MANAGED_POLICY_ARNS, "arn:aws:iam::aws:role/admin", id="not-a-policy"
        ),
        pytest.param(
            s.TASK_ROLE_MANAGED_POLICY_ARNS, f"{TEAM_POLICY},AdministratorAccess", id="one-bad"
        ),
        pytest.param(s.TASK_ROLE_MANAGED_POLICY_ARNS, "*", id="wildcard-policy"),
        pytest.param(s.EXTRA_EGRESS_PORT, "65536", id="port-too-high"),
        pytest.param(s.EXTRA_EGRESS_PORT, "-1", id="port-negative"),
        pytest.param(s.EXTRA_EGRESS_PORT, "postgres", id="port-not-a-number"),
        pytest.param(s.EXTRA_EGRESS_SECURITY_GROUP_ID, "sg-123", id="short-group"),
        pytest.param(s.EXTRA_EGRESS_SECURITY_GROUP_ID, "vpc-0123abcd", id="not-a-group"),
        pytest.param(s.EXTRA_EGRESS_CIDR, "10.0.0.0/33", id="bad-prefix"),
        pytest.param(s.EXTRA_EGRESS_CIDR, "10.0.0.0", id="no-prefix"),
    ],
)
def test_bad_values_are_refused_with_the_parameters_constraint(service, name, bad):
    constraint = service["Parameters"][name]["ConstraintDescription"]
    with pytest.raises(ParameterError, match=f"parameter {name}=") as error:
        deploy(service, **{name: bad})
    assert str(error.value).endswith(constraint)


# --- The root passes them through ------------------------------------------------------------


@pytest.fixture(scope="module")
def built() -> dict[str, dict[str, Any]]:
    return render_templates()


def test_the_root_passes_the_managed_policies_joined(built):
    passed = props(built["root"]["Resources"][root.SERVICE_STACK])["Parameters"]
    name = s.TASK_ROLE_MANAGED_POLICY_ARNS
    assert passed[name] == {"Fn::Join": [",", {"Ref": name}]}
    for other in set(APPLICATION_PARAMETERS) - {name}:
        assert passed[other] == {"Ref": other}


def test_the_root_refuses_extra_egress_without_a_destination(built):
    required = {root.TEMPLATE_BUCKET_NAME: "team-templates", s.CONTAINER_IMAGE: IMAGE}
    with pytest.raises(RuleError, match="ExtraEgressPort needs a destination"):
        deployed(built["root"], {**required, s.EXTRA_EGRESS_PORT: "5432"})


@pytest.mark.parametrize(
    "given",
    [
        f"{TEAM_POLICY},,{S3_READ_ONLY}",
        f"{TEAM_POLICY},",
        f",{TEAM_POLICY}",
    ],
    ids=["two-commas", "trailing-comma", "leading-comma"],
)
def test_managed_policy_arns_with_an_empty_entry_are_refused_before_iam_sees_them(service, given):
    # Each member's pattern admits "" (the empty list is one empty member), so only the rule
    # stops an empty entry that IAM would refuse in the middle of the deploy.
    with pytest.raises(RuleError, match="TaskRoleManagedPolicyArns has an empty entry"):
        deploy(service, TaskRoleManagedPolicyArns=given)
