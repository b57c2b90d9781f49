"""Service limits cfn-lint and the emulator accept and a real account refuses
(troposphere_fargate/cfn/limits.py), each with its source in the module."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest

from troposphere_fargate.cfn import limits
from troposphere_fargate.layers.application import (
    Application,
    EgressRule,
    PolicyCondition,
    PolicyStatement,
    Secret,
    Sidecar,
    TaskRole,
)
from troposphere_fargate.layers.config import ConfigError, ProductConfig, ServiceConfig
from troposphere_fargate.release.build import BuildError, render_templates

APOSTROPHE = "To the environment's services"


def group(**properties: Any) -> dict[str, Any]:
    return {"Resources": {"Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": properties}}}


@pytest.mark.parametrize(
    "template",
    [
        group(GroupDescription=APOSTROPHE),
        group(GroupDescription="ok", SecurityGroupEgress=[{"Description": APOSTROPHE}]),
        group(GroupDescription={"Fn::Sub": "${AWS::StackName}'s tasks"}),
        group(GroupDescription={"Fn::If": ["Public", "ok", APOSTROPHE]}),
        group(GroupDescription="x" * 256),
        {
            "Resources": {
                "Rule": {
                    "Type": "AWS::EC2::SecurityGroupEgress",
                    "Properties": {"Description": "café"},
                }
            }
        },
    ],
)
def test_a_description_ec2_refuses_is_a_problem(template):
    """EC2 takes "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$*" in a rule's description
    (UserIdGroupPair, EC2 API Reference); CloudFormation reports "Invalid rule description" for
    an apostrophe (aws-cloudformation/cfn-lint#173). The environment's two egress rules had one:
    no environment stack could be created."""
    (problem,) = limits.problems(template)
    assert problem.startswith("Group: description ") or problem.startswith("Rule: description ")


def test_what_a_sub_substitutes_is_not_judged():
    assert limits.problems(group(GroupDescription={"Fn::Sub": "Tasks of ${AWS::StackName}"})) == []


def test_every_template_built_passes_the_limits():
    """The build runs the limits on each template it renders (template_problems); the environment
    is among the shipped templates since 0.4.0."""
    for template in render_templates().values():
        assert limits.problems(template) == []


def task_definition(containers: int) -> dict[str, Any]:
    return {
        "Resources": {
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "ContainerDefinitions": [{"Name": f"c{i}"} for i in range(containers)]
                    + [{"Fn::If": ["Sometimes", {"Name": "x"}, {"Ref": "AWS::NoValue"}]}]
                },
            }
        }
    }


def test_a_task_takes_ten_containers():
    """ "Containers per task definition: 10", not adjustable (ECS service quotas). A container
    that may be nothing does not count."""
    assert limits.problems(task_definition(10)) == []
    assert limits.problems(task_definition(11)) == [
        "Task: 11 containers; ECS takes 10 per task definition"
    ]


def test_an_application_takes_nine_sidecars():
    sidecar = Sidecar(name="s0", image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/s:1")
    sidecars = tuple(dataclasses.replace(sidecar, name=f"s{i}") for i in range(9))
    Application(sidecars=sidecars)
    with pytest.raises(ConfigError, match="at most 9: ECS takes 10 containers"):
        Application(sidecars=(*sidecars, dataclasses.replace(sidecar, name="s9")))


def test_a_task_definition_of_more_than_64_kib_is_refused():
    """ECS's "Task definition size limit", not adjustable: 32 KiB in the Developer Guide's
    older quota table, 64 KiB since ECS took larger ones (2022); above 64 KiB
    RegisterTaskDefinition fails either way. A spec of 1,000 environment variables built a
    103 KB task definition and passed every gate (a fuzzing trial). What a function may add is
    not counted: only a certain excess is refused."""
    value = "x" * 60
    many = tuple((f"VARIABLE_NUMBER_{i}", value) for i in range(1000))
    config = ProductConfig(service=ServiceConfig(application=Application(environment=many)))
    with pytest.raises(BuildError) as refused:
        render_templates(config)
    assert re.search(
        r"service\.yaml: TaskDefinition: a task definition of at least [0-9,]+ bytes; ECS takes "
        r"64 KiB at most",
        str(refused.value),
    ), refused.value
    # Half of them: about 50 KB, which the current limit takes.
    half = ProductConfig(service=ServiceConfig(application=Application(environment=many[:500])))
    render_templates(half)
    # Bytes of UTF-8, not of JSON's \u escapes (six for an é): 100 values of 200 é are about
    # 43 KB, and were counted as 123 KB (a review).
    accented = tuple((f"V{i}", "é" * 200) for i in range(100))
    render_templates(
        ProductConfig(service=ServiceConfig(application=Application(environment=accented)))
    )


def test_a_role_takes_10240_characters_of_inline_policy():
    """ "Role policy size cannot exceed 10,240 characters", white space not counted (IAM and AWS
    STS quotas): a spec with 150 secrets built an execution role of about 16,000."""
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/key-{}-AbCdEf"
    secrets = tuple(Secret(f"KEY_{i}", arn.format(i)) for i in range(150))
    config = ProductConfig(service=ServiceConfig(application=Application(secrets=secrets)))
    with pytest.raises(BuildError, match=r"service\.yaml: TaskExecutionRole: inline policies"):
        render_templates(config)
    few = ProductConfig(service=ServiceConfig(application=Application(secrets=secrets[:20])))
    render_templates(few)


def test_a_role_takes_twenty_managed_policies_at_most():
    """Ten by default, "up to 20" on request (IAM and AWS STS quotas): only more than 20 is
    refused, since an account may have raised its quota."""
    policy = "arn:aws:iam::123456789012:policy/p{}"
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {"ManagedPolicyArns": [policy.format(i) for i in range(21)]},
    }
    (problem,) = limits.problems({"Resources": {"Role": role}})
    assert problem.startswith("Role: 21 managed policies; IAM attaches 20 per role at most")
    role["Properties"]["ManagedPolicyArns"] = role["Properties"]["ManagedPolicyArns"][:20]
    assert limits.problems({"Resources": {"Role": role}}) == []
    # A task role is refused when it is made: a template composed from service_template never
    # went through the build's check, and cfn-lint does not count (a library trial).
    from troposphere_fargate import TaskRole

    with pytest.raises(ConfigError, match=r"^TaskRole\.managed_policies=\(.*\): 21 given; IAM "):
        TaskRole(managed_policies=tuple(policy.format(i) for i in range(21)))
    assert (
        len(TaskRole(managed_policies=tuple(policy.format(i) for i in range(20))).managed_policies)
        == 20
    )


def test_a_certificate_takes_a_hundred_names_at_most():
    certificate = {
        "Type": "AWS::CertificateManager::Certificate",
        "Properties": {"SubjectAlternativeNames": [f"h{i}.example.com" for i in range(100)]},
    }
    (problem,) = limits.problems({"Resources": {"Certificate": certificate}})
    assert problem.startswith("Certificate: 101 domain names; ACM takes 100")


def test_a_scalable_target_takes_200_scheduled_actions_at_most():
    """ "Scheduled actions per scalable target: 200", not adjustable (Quotas for Application
    Auto Scaling, https://docs.aws.amazon.com/autoscaling/application/userguide/
    application-auto-scaling-quotas.html). An action that may be nothing does not count."""
    action = {"ScheduledActionName": "a", "Schedule": "rate(1 day)"}
    actions: list[Any] = [{**action, "ScheduledActionName": f"a{i}"} for i in range(200)]
    target = {
        "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
        "Properties": {"ScheduledActions": actions},
    }
    assert limits.problems({"Resources": {"Target": target}}) == []
    actions.append({"Fn::If": ["Maybe", action, {"Ref": "AWS::NoValue"}]})
    assert limits.problems({"Resources": {"Target": target}}) == []
    actions.append(action)
    assert limits.problems({"Resources": {"Target": target}}) == [
        "Target: 201 scheduled actions; Application Auto Scaling takes 200 per scalable target"
    ]


@pytest.mark.parametrize("text", ["Bob's database", "<primary>", "café", "x" * 256])
def test_an_egress_rule_description_ec2_refuses_is_a_config_error(text):
    with pytest.raises(ConfigError, match="description"):
        EgressRule(port=5432, cidr="10.0.0.0/16", description=text)
    EgressRule(port=5432, cidr="10.0.0.0/16", description="PostgreSQL (primary) #1")


def test_an_ampersand_is_refused_only_in_a_rule_that_names_a_group_or_a_prefix_list():
    """EC2 takes "&" in a group's description and in a CIDR rule's (CreateSecurityGroup,
    IpRange), not in a rule naming a security group or a prefix list (UserIdGroupPair,
    PrefixListId)."""
    assert limits.problems(group(GroupDescription="web & api")) == []
    cidr = {"CidrIp": "10.0.0.0/8", "Description": "web & api"}
    assert limits.problems(group(GroupDescription="g", SecurityGroupEgress=[cidr])) == []
    peer = {"DestinationSecurityGroupId": "sg-1", "Description": "web & api"}
    (problem,) = limits.problems(group(GroupDescription="g", SecurityGroupEgress=[peer]))
    assert "no & in a rule that names a security group or prefix list" in problem
    EgressRule(port=443, cidr="10.0.0.0/8", description="web & api")
    with pytest.raises(ConfigError, match="description"):
        EgressRule(port=443, security_group="sg-0123456789abcdef0", description="web & api")


def test_a_policy_size_counts_each_function_at_its_smallest():
    """A role whose policy names 200 log groups with Fn::GetAtt was "at least 10,999
    characters": the function's own text counted, and it may resolve to a short ARN."""
    statement = {"Effect": "Allow", "Action": "logs:PutLogEvents"}
    resources = [{"Fn::GetAtt": [f"LogGroup{i}", "Arn"]} for i in range(200)]
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "Policies": [
                {
                    "PolicyName": "logs",
                    "PolicyDocument": {"Statement": [{**statement, "Resource": resources}]},
                }
            ]
        },
    }
    assert limits.problems({"Resources": {"Role": role}}) == []


@pytest.mark.parametrize(
    "value",
    [{"Fn::If": 5}, {"Fn::Sub": {"x": 1}}, {"Fn::Sub": []}, {"Fn::If": ["C", "a"]}],
)
def test_an_odd_value_is_no_crash(value):
    assert limits.problems(group(GroupDescription=value)) == []
    role = {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument": value}]}}
    assert limits.problems({"Resources": {"Role": role}}) == []


def test_every_template_s_problems_are_named_at_once():
    """A spec of two services, one over ECS's task definition size and one over IAM's inline
    policy size, named only the first (the build stopped at the first template it checked):
    each problem is a line and a TemplateProblem of its own."""
    from troposphere_fargate.layers.config import EnvironmentConfig
    from troposphere_fargate.layers.exposure import Routing
    from troposphere_fargate.release.build import TemplateChecksFailed, TemplateProblem

    many = tuple((f"VARIABLE_NUMBER_{i}", "x" * 60) for i in range(1000))
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/key-{}-AbCdEf"
    secrets = tuple(Secret(f"KEY_{i}", arn.format(i)) for i in range(150))
    web = ServiceConfig(
        container_name="web",
        expose="public",
        routing=Routing(priority=1, path="/*"),
        default_health_check_path="/health",
        application=Application(environment=many),
    )
    api = ServiceConfig(
        container_name="api", expose="internal", application=Application(secrets=secrets)
    )
    config = ProductConfig(environment=EnvironmentConfig(), services=(web, api))
    with pytest.raises(TemplateChecksFailed) as refused:
        render_templates(config)
    problems = refused.value.problems
    assert [(p.filename, p.resource) for p in problems] == [
        ("service-web.yaml", "TaskDefinition"),
        ("service-api.yaml", "TaskExecutionRole"),
    ]
    assert all(isinstance(p, TemplateProblem) for p in problems)
    assert str(refused.value).splitlines() == [str(p) for p in problems]
    assert str(problems[1]).startswith("service-api.yaml: TaskExecutionRole: inline policies")


def outputs(count: int) -> dict[str, Any]:
    return {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {f"Output{i}": {"Value": f"v{i}"} for i in range(count)},
    }


def test_a_root_of_too_many_services_is_named_with_the_other_templates_problems(monkeypatch):
    """troposphere refuses a 201st output with a bare ValueError, so the root counts its
    outputs first ("Understand CloudFormation quotas": 200 per template). A review: that
    refusal, a WiringError, hid what the other templates fail; it is a problem of root.yaml's
    Outputs among theirs. ProductConfig refuses such services when it is made (root.
    planned_outputs); the root's count stays, should the two ever differ."""
    from troposphere_fargate.layers import root
    from troposphere_fargate.layers.config import EnvironmentConfig
    from troposphere_fargate.layers.exposure import Routing
    from troposphere_fargate.release.build import TemplateChecksFailed

    many = tuple((f"VARIABLE_NUMBER_{i}", "x" * 60) for i in range(1000))
    services = tuple(
        ServiceConfig(
            container_name=f"s{i}",
            expose="public",
            routing=Routing(priority=i + 1, path=f"/s{i}/*"),
            default_health_check_path=f"/s{i}/health",
            application=Application(environment=many if i == 0 else ()),
        )
        for i in range(37)
    )
    with pytest.raises(ConfigError, match="would have 205 outputs"):
        ProductConfig(environment=EnvironmentConfig(), services=services)
    monkeypatch.setattr(root, "planned_outputs", lambda config: 0)
    config = ProductConfig(environment=EnvironmentConfig(), services=services)
    with pytest.raises(TemplateChecksFailed) as refused:
        render_templates(config)
    assert [(p.filename, p.resource) for p in refused.value.problems] == [
        ("service-s0.yaml", "TaskDefinition"),
        ("root.yaml", "Outputs"),
    ]
    assert refused.value.problems[1].reason.startswith(
        "the root would have 205 outputs for its 39 nested stacks; CloudFormation takes 200"
    )


def test_approaching_a_quota_is_suppressed_with_its_reason_only_above_ninety_percent():
    """cfn-lint's MaxProperties rules report "approaching the limit" above 90 % (their
    ``threshold``, ``percent > threshold``): 180 outputs of 200 is not reported, 181 is."""
    assert limits.approaching_quotas(outputs(180)) == {}
    reasons = limits.approaching_quotas(outputs(181))
    assert list(reasons) == ["I6010"]
    assert reasons["I6010"].startswith("181 outputs of the 200 CloudFormation takes per template")
    assert limits.approaching_quotas(outputs(201)) == {}  # more cannot be built at all


def test_the_stamp_keeps_a_suppression_the_template_carries():
    """A review: the stamp replaced the template's cfn-lint metadata, suppressions and their
    reasons included, with its regions and its own suppression."""
    from troposphere_fargate.release.build import stamp

    template = outputs(190)
    template["Metadata"] = {
        "cfn-lint": {"config": {"ignore_checks": ["W3005"]}, "reasons": {"W3005": "why"}}
    }
    lint = stamp(template, layer="x", version="0.4.0", regions=["eu-west-1"])["Metadata"][
        "cfn-lint"
    ]
    assert lint["config"] == {"ignore_checks": ["I6010", "W3005"], "regions": ["eu-west-1"]}
    assert set(lint["reasons"]) == {"I6010", "W3005"} and lint["reasons"]["W3005"] == "why"


@pytest.mark.lint
def test_a_template_approaching_a_quota_it_keeps_lints_clean_with_the_stamped_suppression():
    """A spec of 36 public services built a root of 200 outputs, which CloudFormation takes;
    cfn-lint's informational I6010 ("approaching the limit of 200") stopped the build. The
    stamp suppresses it in the template's metadata, with the reason beside it; without the
    suppression cfn-lint finds I6010, so it is needed."""
    import copy

    from troposphere_fargate import lint_templates, to_yaml
    from troposphere_fargate.release.build import stamp

    stamped = stamp(outputs(185), layer="root", version="0.4.0", regions=["us-east-1"])
    lint = stamped["Metadata"]["cfn-lint"]
    assert lint["config"] == {"regions": ["us-east-1"], "ignore_checks": ["I6010"]}
    assert set(lint["reasons"]) == {"I6010"}
    assert lint_templates({"root.yaml": to_yaml(stamped)}) == []
    bare = copy.deepcopy(stamped)
    del bare["Metadata"]["cfn-lint"]["config"]["ignore_checks"]
    found = lint_templates({"root.yaml": to_yaml(bare)})
    assert [f.rule for f in found] == ["I6010"]
    # The shipped templates approach no quota: none carries the suppression.
    for template in render_templates().values():
        assert "ignore_checks" not in template["Metadata"]["cfn-lint"]["config"]


def test_a_container_whose_log_stream_names_are_too_long_is_a_problem():
    """ "Log stream names can be between 1 and 512 characters long" (CloudWatch Logs API
    Reference, CreateLogStream), and the awslogs driver names a task's stream
    "prefix-name/container-name/ecs-task-id" (ECS, awslogs-stream-prefix; the task ID is 32
    characters). A service named 250 characters built, linted and deployed in the emulator
    (an audit): any template's container is checked, and the configs refuse such a name."""

    def task(name: str, prefix: Any) -> dict[str, Any]:
        container = {
            "Name": name,
            "LogConfiguration": {
                "LogDriver": "awslogs",
                "Options": {"awslogs-stream-prefix": prefix, "awslogs-group": {"Ref": "Logs"}},
            },
        }
        return {
            "Resources": {
                "Task": {
                    "Type": "AWS::ECS::TaskDefinition",
                    "Properties": {"ContainerDefinitions": [container]},
                }
            }
        }

    assert limits.problems(task("a" * 239, "a" * 239)) == []  # 239 + 1 + 239 + 1 + 32 = 512
    assert limits.problems(task("a" * 240, "a" * 239)) == [
        f"Task: container '{'a' * 37}...' (240 characters): its log streams are named 513 "
        "characters (stream prefix/container name/task ID); CloudWatch Logs takes 512 (a "
        "shorter name)"
    ]
    # A prefix a function gives is not counted.
    assert limits.problems(task("a" * 255, {"Ref": "Prefix"})) == []
    # The configs: 239 characters build, 240 are refused with the reason.
    render_templates(ProductConfig(service=ServiceConfig(container_name="a" * 239)))
    with pytest.raises(ConfigError, match=r"container_name='a{240}': must be 1-239 letters"):
        ServiceConfig(container_name="a" * 240)
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/s:1"
    with pytest.raises(ConfigError, match=r"Sidecar\.name='s{240}': must be 1-239 .*512"):
        Sidecar(name="s" * 240, image=image)


def test_a_container_in_both_branches_of_a_condition_counts():
    """An Fn::If item neither of whose branches is AWS::NoValue is certainly a container: ten
    and one such are eleven, which ECS refuses ("Containers per task definition: 10")."""
    template = task_definition(10)
    containers = template["Resources"]["Task"]["Properties"]["ContainerDefinitions"]
    containers[-1] = {"Fn::If": ["Arm", {"Name": "arm"}, {"Name": "x86"}]}
    assert limits.problems(template) == ["Task: 11 containers; ECS takes 10 per task definition"]


def role_with_policy(document: Any) -> dict[str, Any]:
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": document}]},
    }
    return {"Resources": {"Role": role}}


def buckets(count: int, prefix: str) -> dict[str, Any]:
    """A policy document naming ``count`` buckets with Fn::Sub, 60 characters of literal text
    each (its ${AWS::Partition} aside)."""
    resources = [
        {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{prefix}-{i:04}-{'b' * 37}/*"}
        for i in range(count)
    ]
    return {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}]}


def test_an_fn_sub_s_literal_text_counts_toward_a_role_s_inline_policy_size():
    """ "Role policy size cannot exceed 10,240 characters" (IAM and AWS STS quotas): an Fn::Sub
    is at least its text without what it substitutes, so 200 ARNs of about 50 characters are
    more than 10,240 whatever the partition is."""
    [problem] = limits.problems(role_with_policy(buckets(200, "logs")))
    assert problem.startswith("Role: inline policies of at least 1")
    assert problem.endswith("IAM takes 10,240 per role")
    assert limits.problems(role_with_policy(buckets(20, "logs"))) == []


def test_a_policy_too_large_in_both_branches_of_a_condition_is_refused():
    """Whichever branch an Fn::If takes, a document over 10,240 characters in both is one IAM
    refuses."""
    document = {"Fn::If": ["Wide", buckets(200, "wide"), buckets(210, "all")]}
    [problem] = limits.problems(role_with_policy(document))
    assert "inline policies of at least" in problem


# IAM and AWS STS quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
# "the total aggregate policy size (the sum size of all inline policies) per entity cannot
# exceed ... Role policy size cannot exceed 10,240 characters", and "IAM doesn't count white
# space when calculating the size of a policy against these limits".
def policy_of(characters: int, text: str = "a") -> dict[str, Any]:
    """A policy document of exactly ``characters`` characters as IAM counts them (its JSON
    without white space), its resource padded with ``text``."""
    document = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ""}]}
    bare = len(json.dumps(document, separators=(",", ":")))
    document["Statement"][0]["Resource"] = text * (characters - bare)
    return document


def role_of(*documents: Any) -> dict[str, Any]:
    policies = [{"PolicyName": f"p{i}", "PolicyDocument": d} for i, d in enumerate(documents)]
    role = {"Type": "AWS::IAM::Role", "Properties": {"Policies": policies}}
    return {"Resources": {"Role": role}}


def test_a_role_takes_inline_policies_of_exactly_10240_characters():
    """The sum of the documents, each counted on its own: they were counted as one JSON list,
    whose brackets and commas IAM never sees, so a role of exactly 10,240 was refused."""
    assert limits.problems(role_of(policy_of(10_240))) == []
    assert limits.problems(role_of(policy_of(5_120), policy_of(5_120))) == []
    assert limits.problems(role_of(policy_of(3_000), policy_of(3_000), policy_of(4_240))) == []
    [problem] = limits.problems(role_of(policy_of(10_241)))
    assert (
        problem == "Role: inline policies of at least 10,241 characters; IAM takes 10,240 per role"
    )
    [problem] = limits.problems(role_of(policy_of(5_120), policy_of(5_121)))
    assert "at least 10,241 characters" in problem


def test_white_space_in_a_policy_is_not_counted():
    """Nor a tab or a line feed inside a value, which JSON writes as the two characters \\t and
    \\n: they were counted."""
    spaced = policy_of(10_240)
    spaced["Statement"][0]["Resource"] = " \n\t".join(spaced["Statement"][0]["Resource"][:-2])
    assert limits.problems(role_of(spaced)) == []


def test_a_latin_1_character_in_a_policy_counts_as_one():
    """IAM counts characters, and takes U+0020 to U+00FF: an é is one, not the six of JSON's
    \\u00e9 escape. A policy of 10,240 characters, 9,000 of them é, was counted as 55,240."""
    assert limits.problems(role_of(policy_of(10_240, "é"))) == []
    [problem] = limits.problems(role_of(policy_of(10_241, "é")))
    assert "at least 10,241 characters" in problem


def test_the_smaller_branch_of_a_condition_is_chosen_in_the_limit_s_unit():
    """A task definition is held to 64 KiB, bytes: of two branches, the one of fewer bytes
    (2,000 é, 4,000 bytes) is the smaller, though JSON's escapes write it longer (12,000
    characters) than 5,000 ASCII letters."""

    def definition(value: Any, padding: int) -> dict[str, Any]:
        variable = {"Name": "B", "Value": value}
        container = {"Name": "app", "Command": ["p" * padding], "Environment": [variable]}
        return {"ContainerDefinitions": [container]}

    smallest = json.dumps(definition("é" * 2_000, 0), separators=(",", ":"), ensure_ascii=False)
    padding = 64 * 1024 - len(smallest.encode())
    branches = {"Fn::If": ["C", "é" * 2_000, "a" * 5_000]}
    task = {"Type": "AWS::ECS::TaskDefinition", "Properties": definition(branches, padding)}
    assert limits.problems({"Resources": {"Task": task}}) == []
    task["Properties"] = definition(branches, padding + 1)
    [problem] = limits.problems({"Resources": {"Task": task}})
    assert "a task definition of at least 65,537 bytes" in problem


@pytest.mark.parametrize("text", ["東京", "\u0100", "😀"])
def test_a_character_iam_refuses_in_a_policy_is_a_problem(text):
    """ "Policy documents can contain only the following Unicode characters: horizontal tab
    (U+0009), linefeed (U+000A), carriage return (U+000D), and characters in the range U+0020 to
    U+00FF" (IAM and AWS STS quotas, IAM name requirements,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): a task role's
    condition value of any text passed every gate and failed the stack."""
    condition = PolicyCondition("StringEquals", "aws:ResourceTag/city", (f"Paris{text}",))
    statement = PolicyStatement(("s3:GetObject",), ("arn:aws:s3:::b/*",), conditions=(condition,))
    application = Application(task_role=TaskRole(statements=(statement,)))
    with pytest.raises(BuildError, match=r"TaskRole: a policy document holds .*U\+"):
        render_templates(ProductConfig(service=ServiceConfig(application=application)))


def test_latin_1_tab_and_line_ends_are_taken_in_a_policy():
    document = {"Statement": [{"Resource": "é ÿ\t\r\n~", "Condition": {"Fn::Sub": "x${日本}"}}]}
    assert limits.problems(role_of(document)) == []
    assert limits.problems(role_of({"Fn::If": ["C", {"Sid": "ok"}, {"Sid": "東"}]})) != []


@pytest.mark.parametrize(
    ("value", "counted_as"),
    [
        ({}, {}),  # {}: two characters
        ([], []),  # []: two
        (5, 5),
        (True, True),  # true: four
        ({"Fn::If": ["C", "aaaa", "a"]}, "a"),  # the smaller branch, either side
        ({"Fn::If": ["C", "éé", "abc"]}, "éé"),  # fewer characters, though more bytes
        ({"Fn::Sub": "ab${X}c"}, "abc"),
        ({"Ref": "X"}, ""),
    ],
)
def test_a_policy_is_counted_as_its_json_without_white_space(value, counted_as):
    """IAM counts a policy's characters, white space left out (IAM and AWS STS quotas,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: "IAM doesn't
    count white space when calculating the size of a policy"): each value as compact JSON
    writes it, a function at its smallest. One character more or less than that is a role of
    10,240 refused, or one of 10,241 taken."""
    for size, problems in ((10_240, []), (10_241, ["at least 10,241 characters"])):
        document = policy_of(size)
        # ,"Condition":... written compact, taken off the padding
        pair = json.dumps({"Condition": counted_as}, separators=(",", ":"), ensure_ascii=False)
        statement = document["Statement"][0]
        statement["Resource"] = statement["Resource"][len(pair) - 1 :]
        statement["Condition"] = counted_as
        assert len(json.dumps(document, separators=(",", ":"), ensure_ascii=False)) == size
        statement["Condition"] = value
        found = limits.problems(role_of(document))
        assert [p for p in problems if any(p in line for line in found)] == problems
        assert len(found) == len(problems), found


def test_a_task_definition_s_smaller_branch_is_the_one_of_fewer_bytes_not_characters():
    """ECS's 64 KiB are bytes: of 3,000 é (6,000 bytes) and 4,000 a (4,000), the a are the
    smaller, though fewer characters are é."""
    branches = {"Fn::If": ["C", "é" * 3_000, "a" * 4_000]}

    def definition(value: Any, padding: int) -> dict[str, Any]:
        variable = {"Name": "B", "Value": value}
        container = {"Name": "app", "Command": ["p" * padding], "Environment": [variable]}
        return {"ContainerDefinitions": [container]}

    smallest = json.dumps(definition("a" * 4_000, 0), separators=(",", ":"))
    padding = 64 * 1024 + 1 - len(smallest)
    task = {"Type": "AWS::ECS::TaskDefinition", "Properties": definition(branches, padding)}
    [problem] = limits.problems({"Resources": {"Task": task}})
    assert "a task definition of at least 65,537 bytes" in problem


@pytest.mark.parametrize(
    "document",
    [
        {"Statement": [{"Effect": "Allow", "Resource": {"Fn::Sub": "arn:東-${X}"}}]},
        {"Statement": [{"Condition": {"StringEquals": {"aws:ResourceTag/東": "x"}}}]},
    ],
)
def test_a_character_iam_refuses_in_a_sub_s_text_or_a_key_is_a_problem(document):
    """IAM takes tab, line feed, carriage return and U+0020 to U+00FF in a policy (IAM and AWS
    STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html:
    "Policy documents can contain only the following Unicode characters"): in an Fn::Sub's own
    text and in a key too."""
    [problem] = limits.problems(role_of(document))
    assert "'東' (U+6771)" in problem


def test_a_character_iam_refuses_in_a_trust_policy_is_a_problem():
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.東"}}]}
    role = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust}}
    [problem] = limits.problems({"Resources": {"Role": role}})
    assert problem.startswith("Role: a policy document holds '東' (U+6771)")


def test_every_refused_character_is_named_up_to_five():
    [problem] = limits.problems(role_of({"Sid": "東京大阪名古屋"}))
    shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted("東京大阪名古屋")[:5])
    assert f"a policy document holds {shown}: IAM takes only" in problem


def test_a_function_s_arguments_are_not_held_to_iam_s_characters():
    """An Fn::Select keeps one of its items (here the second): the first is never written."""
    document = {"Statement": [{"Resource": {"Fn::Select": [1, ["東", "arn:aws:s3:::b"]]}}]}
    assert limits.problems(role_of(document)) == []


def test_an_item_that_is_no_value_is_no_container():
    """The checks count only what is certainly there (the module's rule): a list's item that
    is AWS::NoValue may be nothing, so ten containers and a NoValue are ten."""
    containers: list[Any] = [{"Name": f"c{i}", "Image": "x"} for i in range(10)]
    task = {
        "Type": "AWS::ECS::TaskDefinition",
        "Properties": {"ContainerDefinitions": [*containers, {"Ref": "AWS::NoValue"}]},
    }
    assert limits.problems({"Resources": {"Task": task}}) == []
    task["Properties"]["ContainerDefinitions"].append({"Name": "c10", "Image": "x"})
    [problem] = limits.problems({"Resources": {"Task": task}})
    assert "11 containers" in problem


def test_an_ampersand_is_refused_in_a_rule_naming_a_destination_prefix_list():
    """PrefixListId's Description: "Allowed characters are a-z, A-Z, 0-9, spaces, and
    ._-:/()#,@[]+=;{}!$*" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/
    API_PrefixListId.html): no &."""
    rule = {"DestinationPrefixListId": "pl-1", "Description": "web & api"}
    [problem] = limits.problems(group(GroupDescription="g", SecurityGroupEgress=[rule]))
    assert "no & in a rule that names a security group or prefix list" in problem


def test_an_asterisk_is_taken_in_every_description():
    """ "._-:/()#,@[]+=&;{}!$*" (CreateSecurityGroup, IpRange) and "._-:/()#,@[]+=;{}!$*"
    (UserIdGroupPair, PrefixListId): a * in both."""
    assert limits.ec2_text_problem("all *") is None
    assert limits.ec2_text_problem("all *", names_a_group=True) is None
    peer = {"DestinationSecurityGroupId": "sg-1", "Description": "all *"}
    assert limits.problems(group(GroupDescription="*", SecurityGroupEgress=[peer])) == []


def test_properties_that_are_no_mapping_are_not_read():
    """The template's shape is read_template's to refuse, not a traceback here."""
    for kind in ("AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"):
        assert limits.problems({"Resources": {"G": {"Type": kind, "Properties": [1]}}}) == []


def test_a_rolling_deployment_waits_no_bake_time():
    """BakeTimeInMinutes is "the time period when both blue and green service revisions are
    running simultaneously after the production traffic has shifted" (ECS API Reference,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html):
    a rolling deployment has none."""
    assert limits.deployment_minutes("ROLLING", 1440, 1440, 1440, 10) == 0
    assert limits.deployment_minutes("BLUE_GREEN", 1440, 1440, 1440, 10) == 1440


# --- Found by a mutation run of limits.py (mutant ids in the commit messages) -------------------


@pytest.mark.parametrize(
    "names", ["SourceSecurityGroupId", "SourceSecurityGroupName", "SourcePrefixListId"]
)
def test_an_ampersand_is_refused_in_an_ingress_rule_naming_a_source_group_or_prefix_list(names):
    """UserIdGroupPair's and PrefixListId's Description take "a-z, A-Z, 0-9, spaces, and
    ._-:/()#,@[]+=;{}!$*", no & (EC2 API Reference,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html): an ingress
    rule naming its source so, in a group's SecurityGroupIngress or a resource of its own."""
    rule = {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, names: "x-1"}
    refused = {**rule, "Description": "web & api"}
    for template in (
        group(GroupDescription="g", SecurityGroupIngress=[refused]),
        {"Resources": {"Rule": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": refused}}},
    ):
        [problem] = limits.problems(template)
        assert "no & in a rule that names a security group or prefix list" in problem
    assert limits.problems(group(GroupDescription="g", SecurityGroupIngress=[rule])) == []
    cidr = {"IpProtocol": "tcp", "CidrIp": "10.0.0.0/8", "Description": "web & api"}
    assert limits.problems(group(GroupDescription="g", SecurityGroupIngress=[cidr])) == []


def test_an_ingress_rule_s_apostrophe_is_a_problem():
    """CloudFormation reports "Invalid rule description" for an apostrophe
    (aws-cloudformation/cfn-lint#173), in an ingress rule as in an egress one."""
    rule = {"IpProtocol": "tcp", "CidrIp": "10.0.0.0/8", "Description": APOSTROPHE}
    [problem] = limits.problems(group(GroupDescription="g", SecurityGroupIngress=[rule]))
    assert problem.startswith("Group: description ")
    alone = {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": rule}
    [problem] = limits.problems({"Resources": {"Rule": alone}})
    assert problem.startswith("Rule: description ")


def test_a_description_in_an_fn_sub_of_a_list_is_judged_by_its_text():
    """Fn::Sub takes a string or [string, variables]: the text is judged either way, without
    what it substitutes."""
    text = ["${Name}'s tasks", {"Name": "shop"}]
    [problem] = limits.problems(group(GroupDescription={"Fn::Sub": text}))
    assert problem.startswith("Group: description ")
    fine = ["Tasks of ${Name}", {"Name": "it's"}]
    assert limits.problems(group(GroupDescription={"Fn::Sub": fine})) == []


def test_a_certificate_takes_exactly_a_hundred_names():
    """ACM takes up to 100 domain names a certificate once its quota is raised (10 by default,
    ACM quotas, https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html): the domain
    name and 99 alternative names are taken."""
    certificate = {
        "Type": "AWS::CertificateManager::Certificate",
        "Properties": {"SubjectAlternativeNames": [f"h{i}.example.com" for i in range(99)]},
    }
    assert limits.problems({"Resources": {"Certificate": certificate}}) == []


# "Understand CloudFormation quotas", CloudFormation User Guide
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
# "Maximum number of parameters that you can declare in your CloudFormation template": 200;
# resources: 500; outputs: 200; mappings: 200. cfn-lint's I2010, I3010, I6010 and I7010
# report a template approaching each.
@pytest.mark.parametrize(
    ("section", "quota", "rule"),
    [
        ("Parameters", 200, "I2010"),
        ("Resources", 500, "I3010"),
        ("Outputs", 200, "I6010"),
        ("Mappings", 200, "I7010"),
    ],
)
def test_each_section_s_quota_is_cloudformation_s(section, quota, rule):
    """The quota and the rule of each section, up to the quota itself: a template at it is
    taken, and reported approaching it; one more is refused before (and not suppressed)."""

    def of(count: int) -> dict[str, Any]:
        return {section: {f"Item{i}": {} for i in range(count)}}

    assert limits.approaching_quotas(of(quota * 9 // 10)) == {}
    assert list(limits.approaching_quotas(of(quota * 9 // 10 + 1))) == [rule]
    reasons = limits.approaching_quotas(of(quota))
    assert list(reasons) == [rule]
    assert reasons[rule].startswith(
        f"{quota} {section.lower()} of the {quota} CloudFormation takes per template"
    )
    assert limits.approaching_quotas(of(quota + 1)) == {}


@pytest.mark.parametrize(
    ("step_percent", "steps"),
    [(10, 9), (11, 9), (12.5, 7), (3.3, 30), (33.3, 3), (100, 0)],
)
def test_a_linear_deployment_s_steps_are_counted_as_cloudformation_counts_them(step_percent, steps):
    """ "If StepPercent evenly divides by 100: The number of deployment steps equals (100 ÷
    StepPercent) - 1. Otherwise: The number of deployment steps equals the floor of 100 ÷
    StepPercent. For example, if StepPercent is 11, the number of deployment steps is 9"
    (AWS::ECS::Service LinearConfiguration, CloudFormation Template Reference,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-linearconfiguration.html);
    StepPercent is a multiple of 0.1 (ECS API Reference, LinearConfiguration)."""
    assert limits.linear_steps(step_percent) == steps
    assert limits.deployment_minutes("LINEAR", 15, 0, 60, step_percent) == 15 + 60 * steps


def test_a_task_definition_too_large_in_one_branch_of_a_condition_is_a_problem():
    """Each branch of an Fn::If is a stack the template may make (the module's rule): eleven
    containers in one branch are refused though the other has one."""
    eleven = [{"Name": f"c{i}"} for i in range(11)]
    task = {
        "Type": "AWS::ECS::TaskDefinition",
        "Properties": {"ContainerDefinitions": {"Fn::If": ["Big", eleven, [{"Name": "one"}]]}},
    }
    assert limits.problems({"Resources": {"Task": task}}) == [
        "Task: 11 containers; ECS takes 10 per task definition"
    ]
    task["Properties"]["ContainerDefinitions"] = {"Fn::If": ["Big", [{"Name": "one"}], eleven]}
    assert len(limits.problems({"Resources": {"Task": task}})) == 1


def test_a_function_other_than_ref_counts_as_nothing_in_a_policy_s_size():
    """Only a certain excess is refused: an Fn::ImportValue may be a short ARN, so 300 of them,
    whose own text is about 13,000 characters, are no role over 10,240."""
    resources = [{"Fn::ImportValue": f"shared-bucket-arn-number-{i:04}"} for i in range(300)]
    document = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}]}
    assert len(json.dumps(document, separators=(",", ":"))) > 10_240
    assert limits.problems(role_of(document)) == []


def test_a_canary_deployment_waits_both_bake_times_and_at_most_33_hours():
    """ "CloudFormation rejects deployments when the calculated deployment time exceeds 33
    hours based on your template configuration: BakeTimeInMinutes + CanaryBakeTimeInMinutes"
    (AWS::ECS::Service CanaryConfiguration, CloudFormation Template Reference,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-canaryconfiguration.html)."""
    assert limits.deployment_minutes("CANARY", 600, 1380, 60, 10) == 1980
    assert limits.MAX_DEPLOYMENT_MINUTES == 1980
