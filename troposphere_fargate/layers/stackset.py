"""The StackSet layer, ``stackset.yaml``: the published ``instance.yaml`` (what ``root.yaml``
deploys, the network and the service, in one template without nested stacks) rolled out to the
accounts of AWS Organizations organizational units, in several regions, by CloudFormation
StackSets with service-managed permissions, and to every account that joins those units later.

Not ``root.yaml``: a service-managed StackSet deploys no template that nests stacks ("Nested
AWS::CloudFormation::Stack is not supported in service managed AWS::CloudFormation::StackSet",
the StackSet resource's handler,
aws-cloudformation/aws-cloudformation-resource-providers-cloudformation#104).

Derived from ``instance.yaml``, as it is from the root's children: every parameter of it (same
type, default, constraints, description, console label and group) and its rules, passed to each
stack instance. The StackSet reads ``instance.yaml`` from ``TemplateBucketName`` in the region
it is created in (where ``publish`` put it), and hands the template to every account and region.

Resources: the StackSet. Parameters: those of ``instance.yaml`` but ``WebAclArn``; and its own,
``TemplateBucketName``, ``TemplateKeyPrefix``, ``OrganizationalUnitIds``, ``DeploymentRegions``,
``AutoDeployment``, ``RetainStacksOnAccountRemoval``, ``CallAs``, ``RegionConcurrencyType``,
``MaxConcurrentPercentage``, ``FailureTolerancePercentage``, ``ConcurrencyMode``.
Outputs: ``StackSetId``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from troposphere import Equals, If, NoValue, Ref, StackName, Template, cloudformation

from ..cfn.evaluate import claimed_regions
from ..errors import expect_templates, expect_version
from . import instance, regions, root, service
from .blocks import (
    STAMP_KEY,
    add_choice_parameter,
    add_exported_output,
    add_parameter,
    stamped_otherwise,
)

LAYER = "stackset"
FILENAME = "stackset.yaml"

# --- Parameters -------------------------------------------------------------------------------
ORGANIZATIONAL_UNIT_IDS = "OrganizationalUnitIds"
DEPLOYMENT_REGIONS = "DeploymentRegions"
AUTO_DEPLOYMENT = "AutoDeployment"
RETAIN_STACKS_ON_ACCOUNT_REMOVAL = "RetainStacksOnAccountRemoval"
CALL_AS = "CallAs"
REGION_CONCURRENCY_TYPE = "RegionConcurrencyType"
MAX_CONCURRENT_PERCENTAGE = "MaxConcurrentPercentage"
FAILURE_TOLERANCE_PERCENTAGE = "FailureTolerancePercentage"
CONCURRENCY_MODE = "ConcurrencyMode"

GROUP_ROLLOUT = "Rollout (where and how fast the StackSet deploys)"
# An organizational unit (ou-...) or the organization's root (r-...), as StackSets take them.
OU_PATTERN = r"^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$"
REGION_PATTERN = r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$"

# --- Conditions -------------------------------------------------------------------------------
AUTO_DEPLOYMENT_ON = "AutoDeploymentOn"
RETAIN_ON_REMOVAL = "RetainOnRemoval"

# --- Resources and outputs --------------------------------------------------------------------
STACK_SET = "StackSet"
OUTPUT_STACK_SET_ID = "StackSetId"


def _add_rollout_parameters(t: Template) -> None:
    def choice(name: str, label: str, description: str, default: str, *values: str) -> None:
        add_choice_parameter(
            t,
            name,
            group=GROUP_ROLLOUT,
            label=label,
            description=description,
            choices=values,
            default=default,
        )

    add_parameter(
        t,
        ORGANIZATIONAL_UNIT_IDS,
        group=GROUP_ROLLOUT,
        label="Organizational units",
        description=(
            "Organizational units (ou-...) whose accounts get the stack, comma-separated; the "
            "organization's root (r-...) for every account."
        ),
        Type="CommaDelimitedList",
        AllowedPattern=OU_PATTERN,
        ConstraintDescription=(
            "each must be an organizational unit id (ou-...-...) or a root id (r-...)"
        ),
    )
    add_parameter(
        t,
        DEPLOYMENT_REGIONS,
        group=GROUP_ROLLOUT,
        label="Regions",
        description=(
            "Regions to deploy to in each account, comma-separated, such as us-east-1,eu-west-1."
        ),
        Type="CommaDelimitedList",
        AllowedPattern=REGION_PATTERN,
        ConstraintDescription="each must be a region name, such as eu-west-1",
    )
    choice(
        AUTO_DEPLOYMENT,
        "Deploy to accounts that join the units",
        "true: an account that joins one of the organizational units gets the stacks without a "
        "ticket; false: only the accounts there now.",
        "true",
        "true",
        "false",
    )
    choice(
        RETAIN_STACKS_ON_ACCOUNT_REMOVAL,
        "Keep the stacks of an account that leaves",
        "true: an account that leaves the units keeps its stacks (no longer managed); false: "
        "they are deleted (the retained log groups and buckets stay).",
        "true",
        "true",
        "false",
    )
    choice(
        CALL_AS,
        "Called from",
        "SELF from the organization's management account; DELEGATED_ADMIN from a delegated "
        "administrator account for StackSets.",
        "SELF",
        "SELF",
        "DELEGATED_ADMIN",
    )
    choice(
        REGION_CONCURRENCY_TYPE,
        "Regions at once",
        "PARALLEL deploys to all regions at once; SEQUENTIAL one region after the other.",
        "SEQUENTIAL",
        "SEQUENTIAL",
        "PARALLEL",
    )
    # CloudFormation's own default, STRICT_FAILURE_TOLERANCE, starts at "the lower of either
    # the value of the MaxConcurrentCount, or the value of FailureToleranceCount +1" (API
    # reference, StackSetOperationPreferences): with no failure tolerated, one account at a
    # time, whatever MaxConcurrentPercentage says.
    choice(
        CONCURRENCY_MODE,
        "Concurrency when nothing fails",
        "SOFT_FAILURE_TOLERANCE deploys MaxConcurrentPercentage of the accounts at once (a "
        "bad release can fail in that many before the region stops); STRICT_FAILURE_TOLERANCE "
        "at most one more than the failures tolerated (one at a time with 0%).",
        "SOFT_FAILURE_TOLERANCE",
        "SOFT_FAILURE_TOLERANCE",
        "STRICT_FAILURE_TOLERANCE",
    )
    for name, label, description, default, low in (
        (
            MAX_CONCURRENT_PERCENTAGE,
            "Accounts at once (% per region)",
            "Percentage of the accounts deployed at once in each region.",
            "25",
            1,
        ),
        (
            FAILURE_TOLERANCE_PERCENTAGE,
            "Failures tolerated (% per region)",
            "Percentage of accounts per region whose stack may fail before the operation stops "
            "in that region.",
            "0",
            0,
        ),
    ):
        add_parameter(
            t,
            name,
            group=GROUP_ROLLOUT,
            label=label,
            description=description,
            Type="Number",
            Default=default,
            MinValue=low,
            MaxValue=100,
            ConstraintDescription=f"must be a whole number from {low} to 100",
        )


# instance.yaml's parameters the StackSet does not offer, with what it passes instead: a web ACL is
# one account's, in one region, and a StackSet deploys to many accounts (AWS WAF associates a
# web ACL with resources of its own account and region only); AWS Firewall Manager's WAF
# policies put a web ACL in front of each account's load balancers instead.
NOT_OFFERED: dict[str, str] = {service.WEB_ACL_ARN: ""}
# Why, as `validate` says it to someone who gives one (the template's metadata).
NOT_OFFERED_BECAUSE = {
    service.WEB_ACL_ARN: (
        "the StackSet does not offer it, and every stack gets none: a web ACL is one account's, "
        "in one region (AWS Firewall Manager's WAF policies put one in front of each account's "
        "load balancers)"
    ),
}


# Every parameter of instance.yaml the StackSet does not take, with the value each stack
# instance gets.
FIXED: dict[str, str] = dict(NOT_OFFERED)


def _without_offered(template: Mapping[str, Any]) -> dict[str, Any]:
    """The template as the StackSet's stacks get it: each parameter of FIXED at the value passed
    for it, so that the rules about it are decided for that value (not the template's
    default)."""
    declared = dict(template.get("Parameters", {}))
    for name, value in FIXED.items():
        if name in declared:
            declared[name] = {**declared[name], "Default": value}
    return {**template, "Parameters": declared}


def stackset_template(built: Mapping[str, Mapping[str, Any]], version: str) -> Template:
    """``stackset.yaml`` from the rendered ``instance.yaml`` (``built["instance"]``)."""
    expect_templates(built, "stackset_template(built)")
    expect_version(version, "stackset_template(version)")
    if instance.LAYER not in built:
        raise root.not_rendered(
            "stackset_template(built)", [instance.LAYER], built, instance.how_rendered(built)
        )
    root.expect_shapes({instance.LAYER: built[instance.LAYER]}, "stackset_template(built)")
    others = stamped_otherwise({instance.LAYER: built[instance.LAYER]}, version)
    if others:  # the StackSet reads .../<version>/instance.yaml
        raise root.WiringError(
            f"stackset_template(version): {version!r}, but the {instance.LAYER} template is "
            f"stamped for another version: {', '.join(others)}: render it for {version!r}"
        )
    deployed = _without_offered(built[instance.LAYER])
    claimed = claimed_regions(deployed)
    if claimed and set(claimed) <= set(regions.NO_SERVICE_MANAGED_STACKSETS):
        # render_templates leaves stackset.yaml out for such a config (layers_for); built
        # here, it was a StackSet of a partition that offers none.
        raise root.WiringError(
            f"stackset_template(built): the {instance.LAYER} template runs in "
            f"{', '.join(claimed)} alone, where StackSets with service-managed permissions are "
            "not offered: deploy its root.yaml in each account instead"
        )
    nesting = sorted(
        name
        for name, resource in deployed.get("Resources", {}).items()
        if isinstance(resource, Mapping) and resource.get("Type") == "AWS::CloudFormation::Stack"
    )
    if nesting:
        raise root.WiringError(
            f"stackset_template(built): the {instance.LAYER} template nests stacks "
            f"({', '.join(nesting)}), which a StackSet with service-managed permissions does "
            "not deploy"
        )
    t = Template(
        Description=(
            "StackSet with service-managed permissions that deploys troposphere-fargate's "
            "instance.yaml (the network and the service of root.yaml, without nested stacks) "
            "to the accounts of organizational units, in several regions, and to accounts that "
            "join them"
        )
    )
    t.set_metadata({STAMP_KEY: {"NotOffered": dict(NOT_OFFERED_BECAUSE)}})
    _add_rollout_parameters(t)
    root.add_template_location_parameters(t, version)
    declared = deployed.get("Parameters", {})
    taken = [name for name in declared if name not in FIXED]
    clash = sorted(set(taken) & set(t.parameters))
    if clash:
        raise root.WiringError(
            f"stackset_template(built): the {instance.LAYER} template declares "
            f"{', '.join(clash)}, which the StackSet declares for itself"
        )
    count = len(t.parameters) + len(taken)
    if count > root.MAX_PARAMETERS:
        # Counted before any is declared: troposphere stops at the 201st with a bare ValueError.
        raise root.QuotaError(
            "Parameters",
            f"stackset_template(built): the StackSet would have {count} parameters, "
            f"{len(t.parameters)} of its own and {len(taken)} of the {instance.LAYER} "
            f"template's; CloudFormation takes {root.MAX_PARAMETERS} at most",
        )
    as_instance = root.Child(STACK_SET, instance.LAYER, instance.FILENAME)
    root.copy_parameters(t, as_instance, deployed, taken)
    root.copy_rules(t, as_instance, deployed, taken)
    t.add_condition(AUTO_DEPLOYMENT_ON, Equals(Ref(AUTO_DEPLOYMENT), "true"))
    t.add_condition(RETAIN_ON_REMOVAL, Equals(Ref(RETAIN_STACKS_ON_ACCOUNT_REMOVAL), "true"))
    passed = {name: root.pass_through(name, declared[name]) for name in taken}
    passed |= {name: value for name, value in FIXED.items() if name in declared}
    stack_set = t.add_resource(
        cloudformation.StackSet(
            STACK_SET,
            StackSetName=StackName,
            Description=f"troposphere-fargate {version}: a Fargate service without public IPs",
            PermissionModel="SERVICE_MANAGED",
            CallAs=Ref(CALL_AS),
            AutoDeployment=cloudformation.AutoDeployment(
                Enabled=If(AUTO_DEPLOYMENT_ON, True, False),
                RetainStacksOnAccountRemoval=If(
                    AUTO_DEPLOYMENT_ON, If(RETAIN_ON_REMOVAL, True, False), NoValue
                ),
            ),
            Capabilities=["CAPABILITY_IAM"],
            ManagedExecution=cloudformation.ManagedExecution(Active=True),
            OperationPreferences=cloudformation.OperationPreferences(
                RegionConcurrencyType=Ref(REGION_CONCURRENCY_TYPE),
                MaxConcurrentPercentage=Ref(MAX_CONCURRENT_PERCENTAGE),
                FailureTolerancePercentage=Ref(FAILURE_TOLERANCE_PERCENTAGE),
                ConcurrencyMode=Ref(CONCURRENCY_MODE),
            ),
            StackInstancesGroup=[
                cloudformation.StackInstances(
                    DeploymentTargets=cloudformation.DeploymentTargets(
                        OrganizationalUnitIds=Ref(ORGANIZATIONAL_UNIT_IDS)
                    ),
                    Regions=Ref(DEPLOYMENT_REGIONS),
                )
            ],
            # Read once, where the StackSet is created: its stack instances get the template
            # from the StackSet, in every account and region.
            TemplateURL=root.template_url(version, instance.FILENAME),
            Parameters=[
                cloudformation.Parameter(ParameterKey=name, ParameterValue=value)
                for name, value in sorted(passed.items())
            ],
        )
    )
    add_exported_output(t, OUTPUT_STACK_SET_ID, Ref(stack_set), "ID of the StackSet.")
    return t
