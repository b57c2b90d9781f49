"""stackset.yaml: the published instance.yaml (root.yaml's network and service without nested
stacks) rolled out to organizational units and regions by a service-managed StackSet, with
its parameters, labels, constraints and rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import compute
from troposphere_fargate import __version__
from troposphere_fargate.cfn.evaluate import ParameterError, deployed
from troposphere_fargate.layers import instance, root
from troposphere_fargate.layers import stackset as ss
from troposphere_fargate.release.build import render_templates

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()

VALUES = {
    ss.ORGANIZATIONAL_UNIT_IDS: "ou-ab12-cdef3456,r-ab12",
    ss.DEPLOYMENT_REGIONS: "us-east-1,eu-west-1",
    root.TEMPLATE_BUCKET_NAME: "my-templates",
    "ContainerImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
}


ROLLOUT = {
    ss.ORGANIZATIONAL_UNIT_IDS,
    ss.DEPLOYMENT_REGIONS,
    ss.AUTO_DEPLOYMENT,
    ss.RETAIN_STACKS_ON_ACCOUNT_REMOVAL,
    ss.CALL_AS,
    ss.REGION_CONCURRENCY_TYPE,
    ss.MAX_CONCURRENT_PERCENTAGE,
    ss.FAILURE_TOLERANCE_PERCENTAGE,
    ss.CONCURRENCY_MODE,
}


@pytest.fixture(scope="module")
def built() -> dict:
    return render_templates()


@pytest.fixture(scope="module")
def template(built) -> dict:
    return built[ss.LAYER]


def stack_set(template, **values) -> dict:
    return deployed(template, {**VALUES, **values}).resources[ss.STACK_SET]["Properties"]


def test_a_web_acl_is_not_offered_and_every_stack_gets_none(template):
    """A review: one WebAclArn went to every account and region of the StackSet, and AWS WAF
    associates a web ACL with resources of its own account and region only ("the web ACL must
    be in the same Region as the resource", AWS WAF Developer Guide): every other stack would
    roll back. AWS Firewall Manager's WAF policies are the organization's way."""
    assert ss.NOT_OFFERED == {"WebAclArn": ""}
    assert "WebAclArn" not in template["Parameters"]
    # Who gives one is told why, not only that it is unknown (a trial).
    from troposphere_fargate.cfn.evaluate import parameter_problems

    (problem,) = parameter_problems(template, {**VALUES, "WebAclArn": "arn:x"})
    assert problem.startswith("unknown parameter WebAclArn: the StackSet does not offer it")
    assert {"ParameterKey": "WebAclArn", "ParameterValue": ""} in stack_set(template)["Parameters"]
    # Even when a spec gives its one service a web ACL, the StackSet's stacks get none.
    from troposphere_fargate.layers.config import ProductConfig, ServiceConfig
    from troposphere_fargate.release.build import render_templates

    acl = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/" + "0" * 36
    spec = render_templates(ProductConfig(service=ServiceConfig(default_web_acl_arn=acl)))
    passed = spec[ss.LAYER]["Resources"][ss.STACK_SET]["Properties"]["Parameters"]
    assert {"ParameterKey": "WebAclArn", "ParameterValue": ""} in passed


def test_it_takes_every_instance_parameter_as_instance_yaml_declares_it(built, template):
    declared = built[instance.LAYER]["Parameters"]
    for name, spec in declared.items():
        if name in ss.NOT_OFFERED:
            assert name not in template["Parameters"]  # see the test of NOT_OFFERED
            continue
        assert template["Parameters"][name] == spec, name
    labels = template["Metadata"]["AWS::CloudFormation::Interface"]["ParameterLabels"]
    own = built[instance.LAYER]["Metadata"]["AWS::CloudFormation::Interface"]["ParameterLabels"]
    assert all(labels[name] == own[name] for name in declared if name in labels)
    # Every rule of instance.yaml's, less those about what it does not offer (decided for the
    # value it passes: no web ACL, no rule to break).
    offered = {
        name: rule
        for name, rule in built[instance.LAYER]["Rules"].items()
        if not any(parameter in str(rule) for parameter in ss.NOT_OFFERED)
    }
    assert template["Rules"] == offered
    assert "WebAclNeedsAnApplicationLoadBalancer" in built[instance.LAYER]["Rules"]


def test_its_people_give_what_the_root_takes_less_the_nesting_and_the_web_acl(built, template):
    """Moving the StackSet from root.yaml to instance.yaml changed what it deploys, not what it
    asks: the root's parameters (the template location is the StackSet's own now), less the
    bucket per region it no longer needs and what it does not offer."""
    asked = set(template["Parameters"]) - ROLLOUT
    assert asked == set(built[root.LAYER]["Parameters"]) - {
        root.TEMPLATE_BUCKET_PER_REGION,
        *ss.NOT_OFFERED,
    }
    for name in (root.TEMPLATE_BUCKET_NAME, root.TEMPLATE_KEY_PREFIX):
        assert template["Parameters"][name] == built[root.LAYER]["Parameters"][name]


def test_each_instance_gets_the_values_and_the_stackset_reads_instance_yaml(built, template):
    """The StackSet reads its template once, from the bucket of the region it is created in;
    its stacks get the template from it (not from S3), so no bucket per region is needed."""
    properties = stack_set(template)
    passed = {p["ParameterKey"]: p["ParameterValue"] for p in properties["Parameters"]}
    assert set(passed) == set(built[instance.LAYER]["Parameters"])
    assert passed["ContainerImage"] == {"Ref": "ContainerImage"}
    assert passed["AvailabilityZones"] == {"Fn::Join": [",", {"Ref": "AvailabilityZones"}]}
    url = compute(
        properties["TemplateURL"],
        {
            root.TEMPLATE_BUCKET_NAME: "my-templates",
            root.TEMPLATE_KEY_PREFIX: "tf/",
            "AWS::Region": "eu-west-1",
            "AWS::URLSuffix": "amazonaws.com",
        },
    )
    assert url == (
        f"https://my-templates.s3.eu-west-1.amazonaws.com/tf/{__version__}/instance.yaml"
    )


def test_what_the_stackset_deploys_nests_no_stack_and_uses_no_transform(built):
    """A StackSet with service-managed permissions deploys no template that nests stacks
    ("Nested AWS::CloudFormation::Stack is not supported in service managed
    AWS::CloudFormation::StackSet", the StackSet resource's handler,
    aws-cloudformation/aws-cloudformation-resource-providers-cloudformation#104) or uses a
    transform ("You can't provision nested stacks, transforms, or macros with the default
    execution role", StackSets, CloudFormation User Guide). 0.4.0's first stackset.yaml
    deployed root.yaml, and failed at create in every real account."""
    deployed_template = built[instance.LAYER]
    types = {resource["Type"] for resource in deployed_template["Resources"].values()}
    assert "AWS::CloudFormation::Stack" not in types
    assert "Transform" not in deployed_template
    nesting = {
        **deployed_template,
        "Resources": {
            **deployed_template["Resources"],
            "Inner": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x"}},
        },
    }
    with pytest.raises(root.WiringError, match=r"nests stacks \(Inner\), which a StackSet"):
        ss.stackset_template({instance.LAYER: nesting}, __version__)


def test_service_managed_to_the_units_and_regions_with_the_iam_capability(template):
    properties = stack_set(template)
    assert properties["PermissionModel"] == "SERVICE_MANAGED"
    assert properties["Capabilities"] == ["CAPABILITY_IAM"]
    (group,) = properties["StackInstancesGroup"]
    assert group["DeploymentTargets"] == {
        "OrganizationalUnitIds": {"Ref": ss.ORGANIZATIONAL_UNIT_IDS}
    }
    assert group["Regions"] == {"Ref": ss.DEPLOYMENT_REGIONS}
    assert properties["ManagedExecution"] == {"Active": True}


@pytest.mark.parametrize(
    ("auto", "retain", "expected"),
    [
        ("true", "true", {"Enabled": True, "RetainStacksOnAccountRemoval": True}),
        ("true", "false", {"Enabled": True, "RetainStacksOnAccountRemoval": False}),
        ("false", "true", {"Enabled": False}),
    ],
)
def test_accounts_that_join_get_the_stacks_and_leavers_keep_or_lose_them(
    template, auto, retain, expected
):
    found = stack_set(template, AutoDeployment=auto, RetainStacksOnAccountRemoval=retain)
    assert found["AutoDeployment"] == expected


def test_operation_preferences_are_the_parameters(template):
    preferences = stack_set(template)["OperationPreferences"]
    assert preferences == {
        "FailureTolerancePercentage": {"Ref": ss.FAILURE_TOLERANCE_PERCENTAGE},
        "MaxConcurrentPercentage": {"Ref": ss.MAX_CONCURRENT_PERCENTAGE},
        "RegionConcurrencyType": {"Ref": ss.REGION_CONCURRENCY_TYPE},
        "ConcurrencyMode": {"Ref": ss.CONCURRENCY_MODE},
    }


def test_a_quarter_of_the_accounts_at_once_means_soft_failure_tolerance(template):
    """CloudFormation's default, STRICT_FAILURE_TOLERANCE, starts "the lower of either the value
    of the MaxConcurrentCount, or the value of FailureToleranceCount +1" (CloudFormation API
    reference, StackSetOperationPreferences): with the default 0% tolerated, one account at a
    time, not the 25% the defaults promise. SOFT_FAILURE_TOLERANCE runs "at the concurrency
    level set by the MaxConcurrentCount value, or MaxConcurrentPercentage"."""
    parameters = template["Parameters"]
    assert parameters[ss.MAX_CONCURRENT_PERCENTAGE]["Default"] == "25"
    assert parameters[ss.FAILURE_TOLERANCE_PERCENTAGE]["Default"] == "0"
    assert parameters[ss.CONCURRENCY_MODE]["Default"] == "SOFT_FAILURE_TOLERANCE"
    assert "a quarter of the accounts at a time" in README


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (ss.ORGANIZATIONAL_UNIT_IDS, "o-abcdef1234"),
        (ss.ORGANIZATIONAL_UNIT_IDS, "ou-ab12-cdef3456,123456789012"),
        (ss.DEPLOYMENT_REGIONS, "eu-west-1,Europe"),
        (ss.MAX_CONCURRENT_PERCENTAGE, "0"),
        (ss.FAILURE_TOLERANCE_PERCENTAGE, "101"),
        (ss.CALL_AS, "ADMIN"),
    ],
)
def test_bad_rollout_values_are_refused_before_anything_is_created(template, name, value):
    with pytest.raises(ParameterError, match=name):
        deployed(template, {**VALUES, name: value})


def test_a_rule_about_what_the_stackset_fixes_is_decided_for_the_value_it_passes(built):
    """The StackSet passes WebAclArn="" to every stack instance: a rule about it is decided for
    that value, not left for every instance to fail ("rule functions that validate parameter
    values before CloudFormation creates or updates any resources", CloudFormation User Guide,
    Rules syntax,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html)."""
    needs_one = {
        "Assertions": [
            {
                "Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "WebAclArn"}, ""]}]},
                "AssertDescription": "a web ACL is required",
            }
        ]
    }
    broken = {**built[instance.LAYER], "Rules": {"NeedsAnAcl": needs_one}}
    with pytest.raises(root.WiringError, match="the defaults the root leaves break"):
        ss.stackset_template({instance.LAYER: broken}, __version__)
    needs_one["Assertions"][0]["Assert"] = {"Fn::Equals": [{"Ref": "WebAclArn"}, ""]}
    assert "NeedsAnAcl" not in ss.stackset_template({instance.LAYER: broken}, __version__).rules


def test_a_template_without_a_web_acl_parameter_gets_none_passed(built):
    """The StackSet passes what it does not offer only to a template that declares it:
    CloudFormation refuses a stack given a parameter its template lacks (CreateStack's
    ValidationError "Parameters: [...] do not exist in the template"). A template of a
    library's own children may take no web ACL (mutants s03, s05 of a mutation run of
    stackset.py)."""
    own = built[instance.LAYER]
    without = {**own, "Parameters": dict(own["Parameters"])}
    del without["Parameters"]["WebAclArn"]
    without["Rules"] = {
        name: rule for name, rule in without["Rules"].items() if "WebAclArn" not in str(rule)
    }
    passed = ss.stackset_template({instance.LAYER: without}, __version__).to_dict()["Resources"][
        ss.STACK_SET
    ]["Properties"]["Parameters"]
    assert [p for p in passed if p["ParameterKey"] in ss.FIXED] == []
    assert {"ParameterKey": "WebAclArn", "ParameterValue": ""} in stack_set(
        ss.stackset_template({instance.LAYER: own}, __version__).to_dict()
    )["Parameters"]


def test_a_template_whose_parameters_the_stackset_cannot_all_take_is_a_quota_error(built):
    """A StackSet template takes 200 parameters, as any template ("You can have a maximum of 200
    parameters in a CloudFormation template", User Guide, Parameters syntax): its own and every
    parameter of instance.yaml it does not fix. One too many was a bare ValueError from
    troposphere at the 201st."""
    declared = dict(built[instance.LAYER]["Parameters"])
    shipped = ss.stackset_template(built, __version__).parameters
    own = sum(name not in declared for name in shipped)
    assert own == 11  # the rollout's nine, and where instance.yaml is
    taken = len(shipped) - own  # instance.yaml's, less those the StackSet fixes
    extra = {f"Extra{i}": {**declared["ContainerPort"]} for i in range(200)}

    def with_extra(count: int) -> dict:
        parameters = {**declared, **dict(list(extra.items())[:count])}
        return {instance.LAYER: {**built[instance.LAYER], "Parameters": parameters}}

    room = root.MAX_PARAMETERS - own - taken
    assert len(ss.stackset_template(with_extra(room), __version__).parameters) == 200
    with pytest.raises(root.QuotaError) as refused:
        ss.stackset_template(with_extra(room + 1), __version__)
    assert refused.value.section == "Parameters"
    assert str(refused.value) == (
        f"stackset_template(built): the StackSet would have 201 parameters, {own} of its own "
        f"and {201 - own} of the instance template's; CloudFormation takes 200 at most"
    )


def test_a_stackset_of_an_instance_that_runs_in_china_alone_is_refused():
    """A config whose secret is of the aws-cn partition runs in China alone, where StackSets
    with service-managed permissions are not offered: render_templates leaves stackset.yaml
    out, and stackset_template built one all the same (a review of the library)."""
    from troposphere_fargate import Application, ProductConfig, Secret, ServiceConfig

    arn = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf"
    application = Application(secrets=(Secret("DB", arn),))
    built = render_templates(ProductConfig(service=ServiceConfig(application=application)))
    assert "stackset" not in built
    with pytest.raises(root.WiringError, match="runs in cn-north-1, cn-northwest-1 alone"):
        ss.stackset_template(built, __version__)
    # Merged again from the config's templates (the README's library example): the merged
    # template carries where its children run, and is refused all the same.
    built["instance"] = instance.instance_template(built, __version__)
    with pytest.raises(root.WiringError, match="runs in cn-north-1, cn-northwest-1 alone"):
        ss.stackset_template(built, __version__)
