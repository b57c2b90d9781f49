"""stackset.yaml: the published root.yaml rolled out to organizational units and regions by a
service-managed StackSet, with the root's parameters, labels, constraints and rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import compute
from troposphere_fargate import __version__
from troposphere_fargate.cfn.evaluate import ParameterError, deployed
from troposphere_fargate.layers import root
from troposphere_fargate.layers import stackset as ss
from troposphere_fargate.layers.regions import PARTITION_REGIONS
from troposphere_fargate.release.build import render_templates

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()

VALUES = {
    ss.ORGANIZATIONAL_UNIT_IDS: "ou-ab12-cdef3456,r-ab12",
    ss.DEPLOYMENT_REGIONS: "us-east-1,eu-west-1",
    root.TEMPLATE_BUCKET_NAME: "my-templates",
    "ContainerImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
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


def test_it_takes_every_root_parameter_as_the_root_declares_it(built, template):
    declared = built[root.LAYER]["Parameters"]
    for name, spec in declared.items():
        if name == root.TEMPLATE_BUCKET_PER_REGION:
            assert name not in template["Parameters"]  # always true: one bucket per region
            continue
        if name in ss.NOT_OFFERED:
            assert name not in template["Parameters"]  # see the test of NOT_OFFERED
            continue
        taken = dict(template["Parameters"][name])
        if name == root.TEMPLATE_BUCKET_NAME:  # the base of one bucket name per region
            assert "<TemplateBucketName>-<region>" in taken.pop("Description")
            assert "<TemplateBucketName>-<region>" in taken.pop("ConstraintDescription")
            assert taken.pop("MaxLength") == ss.BASE_BUCKET_NAME_MAX
            spec = {
                key: value
                for key, value in spec.items()
                if key not in ("Description", "ConstraintDescription")
            }
        assert taken == spec, name
    root_labels = built[root.LAYER]["Metadata"]["AWS::CloudFormation::Interface"]["ParameterLabels"]
    labels = template["Metadata"]["AWS::CloudFormation::Interface"]["ParameterLabels"]
    assert all(labels[name] == root_labels[name] for name in declared if name in labels)
    # Every rule of the root's, less those about what it does not offer (decided for the value
    # it passes: no web ACL, no rule to break).
    offered = {
        name: rule
        for name, rule in built[root.LAYER]["Rules"].items()
        if not any(parameter in str(rule) for parameter in ss.NOT_OFFERED)
    }
    assert template["Rules"] == offered
    assert "WebAclNeedsAnApplicationLoadBalancer" in built[root.LAYER]["Rules"]


def test_each_instance_gets_the_values_and_reads_its_regions_bucket(built, template):
    properties = stack_set(template)
    passed = {p["ParameterKey"]: p["ParameterValue"] for p in properties["Parameters"]}
    assert set(passed) == set(built[root.LAYER]["Parameters"])
    assert passed[root.TEMPLATE_BUCKET_PER_REGION] == "true"
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
    assert (
        url
        == f"https://my-templates-eu-west-1.s3.eu-west-1.amazonaws.com/tf/{__version__}/root.yaml"
    )


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


def test_the_base_bucket_name_leaves_room_for_the_longest_region(template):
    """S3 takes bucket names of 63 characters at most, and each stack reads
    <TemplateBucketName>-<region>: a 61-character base passed and named no possible bucket."""
    longest = max(len(r) for regions in PARTITION_REGIONS.values() for r in regions)
    assert longest == 14  # ap-southeast-5, ap-northeast-3, ...
    values = {**VALUES, root.TEMPLATE_BUCKET_NAME: "b" * 48}
    deployed(template, values)
    with pytest.raises(ParameterError, match="<TemplateBucketName>-<region> is a bucket name"):
        deployed(template, {**values, root.TEMPLATE_BUCKET_NAME: "b" * 49})


def test_a_root_rule_about_what_the_stackset_fixes_is_decided_for_the_value_it_passes(built):
    """The StackSet passes TemplateBucketPerRegion=true to every stack instance; a rule of the
    root about it was decided for the root's default (false), so one that true breaks was left
    out and every instance would fail it ("rule functions that validate parameter values
    before CloudFormation creates or updates any resources", CloudFormation User Guide, Rules
    syntax,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html)."""
    per_region = {
        "Assertions": [
            {
                "Assert": {"Fn::Equals": [{"Ref": root.TEMPLATE_BUCKET_PER_REGION}, "false"]},
                "AssertDescription": "one bucket for all regions",
            }
        ]
    }
    broken = {**built[root.LAYER], "Rules": {"OneBucket": per_region}}
    with pytest.raises(root.WiringError, match="the defaults the root leaves break"):
        ss.stackset_template({root.LAYER: broken}, __version__)
    per_region["Assertions"][0]["Assert"]["Fn::Equals"][1] = "true"
    assert "OneBucket" not in ss.stackset_template({root.LAYER: broken}, __version__).rules


def test_a_root_without_a_web_acl_parameter_gets_none_passed(built):
    """The StackSet passes what it does not offer only to a root that declares it: CloudFormation
    refuses a stack given a parameter its template lacks (CreateStack's ValidationError
    "Parameters: [...] do not exist in the template"). A root of a library's own children may
    take no web ACL (mutants s03, s05 of a mutation run of stackset.py)."""
    without = {**built[root.LAYER], "Parameters": dict(built[root.LAYER]["Parameters"])}
    del without["Parameters"]["WebAclArn"]
    without["Rules"] = {
        name: rule for name, rule in without["Rules"].items() if "WebAclArn" not in str(rule)
    }
    passed = ss.stackset_template({root.LAYER: without}, __version__).to_dict()["Resources"][
        ss.STACK_SET
    ]["Properties"]["Parameters"]
    fixed = [p for p in passed if p["ParameterKey"] in ss.FIXED]
    assert fixed == [{"ParameterKey": root.TEMPLATE_BUCKET_PER_REGION, "ParameterValue": "true"}]


def test_a_root_whose_parameters_the_stackset_cannot_all_take_is_a_quota_error(built):
    """A StackSet template takes 200 parameters, as any template ("You can have a maximum of 200
    parameters in a CloudFormation template", User Guide, Parameters syntax): its own and every
    root parameter it does not fix. A root of 193 (which root_template builds) was a bare
    ValueError from troposphere at the 201st."""
    declared = dict(built[root.LAYER]["Parameters"])
    shipped = ss.stackset_template(built, __version__).parameters
    own = sum(name not in declared for name in shipped)
    assert own == 9
    taken = len(shipped) - own  # the root's, less those the StackSet fixes
    extra = {f"Extra{i}": {**declared["TemplateKeyPrefix"]} for i in range(200)}

    def with_extra(count: int) -> dict:
        parameters = {**declared, **dict(list(extra.items())[:count])}
        return {root.LAYER: {**built[root.LAYER], "Parameters": parameters}}

    room = root.MAX_PARAMETERS - own - taken
    assert len(ss.stackset_template(with_extra(room), __version__).parameters) == 200
    with pytest.raises(root.QuotaError) as refused:
        ss.stackset_template(with_extra(room + 1), __version__)
    assert refused.value.section == "Parameters"
    assert str(refused.value) == (
        f"stackset_template(built): the StackSet would have 201 parameters, {own} of its own "
        f"and {201 - own} of the root's; CloudFormation takes 200 at most: split the services "
        "between environments (a spec each)"
    )
