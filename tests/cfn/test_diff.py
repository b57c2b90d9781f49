"""``troposphere-fargate diff``: each finding type on small hand-made template pairs, the
command, the public-API pin and the release gate."""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from tests.support import SERVICE_REQUIRED
from troposphere_fargate import __version__, cli
from troposphere_fargate.cfn.diff import (
    BREAKING,
    DESTRUCTIVE,
    SAFE,
    STACK_SET_TYPE,
    DiffError,
    Finding,
    diff,
    diff_stacks,
    diff_template,
    load_side,
    nested_parameters,
    unexplained,
)

REPO = Path(__file__).resolve().parents[2]

BASE: dict[str, Any] = {
    "Parameters": {
        "VpcCidr": {"Type": "String", "Default": "10.0.0.0/16", "AllowedPattern": "^.*$"},
        "Mode": {"Type": "String", "Default": "a", "AllowedValues": ["a", "b"]},
        "Count": {"Type": "Number", "Default": "2", "MinValue": 1, "MaxValue": 9},
    },
    "Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Subnet": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {
                "VpcId": {"Ref": "Vpc"},
                "CidrBlock": "10.0.0.0/24",
                "Tags": [{"Key": "Name", "Value": "a"}],
            },
        },
        "Route": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": "rtb-1"}},
        "Logs": {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {"RetentionInDays": 365},
        },
    },
    "Outputs": {
        "VpcId": {
            "Value": {"Ref": "Vpc"},
            "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-VpcId"}},
        },
        "Plain": {"Value": "x"},
    },
}


def changed(edit) -> list[Finding]:
    new = copy.deepcopy(BASE)
    edit(new)
    return diff_template("t.yaml", BASE, new)


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_identical_templates_have_no_findings():
    assert diff_template("t.yaml", BASE, copy.deepcopy(BASE)) == []


def test_a_subnet_cidr_change_replaces_the_subnet():
    def edit(t):
        t["Resources"]["Subnet"]["Properties"]["CidrBlock"] = "10.0.1.0/24"

    finding = only(changed(edit))
    assert finding.severity == DESTRUCTIVE
    assert finding.subject == "resource Subnet"
    assert "CidrBlock replaces" in finding.change


def test_a_cidr_that_depends_on_parameters_may_replace():
    def edit(t):
        t["Resources"]["Subnet"]["Properties"]["CidrBlock"] = {"Ref": "VpcCidr"}

    finding = only(changed(edit))
    assert finding.severity == DESTRUCTIVE
    assert "CidrBlock may replace" in finding.change


def test_a_resource_that_may_be_replaced_is_not_also_said_updated_in_place():
    """A replaced resource is new through and through: its other changes are no update."""

    def edit(t):
        t["Resources"]["Subnet"]["Properties"]["CidrBlock"] = {"Ref": "VpcCidr"}
        t["Resources"]["Subnet"]["Properties"]["Tags"] = [{"Key": "Name", "Value": "b"}]

    finding = only(changed(edit))
    assert finding.change.startswith("CidrBlock may replace (AWS::EC2::Subnet)")
    assert "updated in place" not in finding.change


def test_a_tags_change_is_safe():
    def edit(t):
        t["Resources"]["Subnet"]["Properties"]["Tags"] = [{"Key": "Name", "Value": "b"}]

    finding = only(changed(edit))
    assert finding.severity == SAFE
    assert finding.change == "Tags updated in place"


def test_a_rename_is_said_only_when_one_new_parameter_can_be_the_old_one():
    """A newcomer's trial: a service renamed (worker -> jobs) while another was added (admin)
    gave "WorkerContainerImage renamed to AdminContainerImage": the first new parameter of the
    same type and default. With two such, neither is guessed; both are named."""
    image = {"Type": "String", "Description": "image"}

    def rename_and_add(t):
        t["Parameters"].pop("Mode")
        t["Parameters"]["WorkerImage"] = dict(image)
        old = copy.deepcopy(t)
        t["Parameters"]["JobsImage"] = t["Parameters"].pop("WorkerImage")
        t["Parameters"]["AdminImage"] = dict(image)
        return old

    new = copy.deepcopy(BASE)
    old = rename_and_add(new)
    findings = {f.subject: (f.severity, f.change) for f in diff_template("t.yaml", old, new)}
    assert findings == {
        "parameter WorkerImage": (
            BREAKING,
            "removed: stacks that pass it fail to update (renamed to one of AdminImage, "
            "JobsImage?)",
        ),
        "parameter AdminImage": (
            BREAKING,
            "added without a default: the update that adds it must supply it",
        ),
        "parameter JobsImage": (
            BREAKING,
            "added without a default: the update that adds it must supply it",
        ),
    }
    # The rename alone is a guess too (a service replaced by another looks the same), and the
    # new parameter is listed as what the update must supply.
    del new["Parameters"]["AdminImage"]
    changes = {f.subject: f.change for f in diff_template("t.yaml", old, new)}
    assert changes == {
        "parameter WorkerImage": "removed: stacks that pass it fail to update (renamed to "
        "JobsImage?)",
        "parameter JobsImage": "added without a default: the update that adds it must supply it",
    }


def test_two_removed_parameters_alike_one_added_are_not_paired_with_it():
    old = copy.deepcopy(BASE)
    old["Parameters"]["A"] = {"Type": "String"}
    old["Parameters"]["B"] = {"Type": "String"}
    new = copy.deepcopy(BASE)
    new["Parameters"]["C"] = {"Type": "String"}
    changes = {f.subject: f.change for f in diff_template("t.yaml", old, new)}
    assert changes["parameter A"] == ("removed: stacks that pass it fail to update (renamed to C?)")
    assert changes["parameter B"] == changes["parameter A"]
    assert changes["parameter C"].startswith("added without a default")


def test_a_renamed_logical_id_is_a_delete_and_a_create():
    def edit(t):
        t["Resources"]["MainVpc"] = t["Resources"].pop("Vpc")

    finding = only(changed(edit))
    assert finding.severity == DESTRUCTIVE
    assert finding.subject == "resource Vpc"
    assert "renamed to MainVpc" in finding.change and "deletes the old resource" in finding.change


def test_removing_a_stateful_resource_is_destructive_and_a_stateless_one_safe():
    def remove_vpc(t):
        t["Resources"].pop("Vpc")
        t["Resources"].pop("Subnet")
        t["Outputs"].pop("VpcId")

    findings = {f.subject: f.severity for f in changed(remove_vpc)}
    assert findings["resource Vpc"] == DESTRUCTIVE
    findings = {f.subject: f.severity for f in changed(lambda t: t["Resources"].pop("Route"))}
    assert findings == {"resource Route": SAFE}


def test_removing_a_retained_resource_keeps_it_outside_the_stack():
    finding = only(changed(lambda t: t["Resources"].pop("Logs")))
    assert finding.severity == BREAKING
    assert "kept (DeletionPolicy Retain)" in finding.change


def test_renaming_a_retained_resource_says_the_old_one_stays_and_a_new_one_is_created():
    finding = only(
        changed(lambda t: t["Resources"].__setitem__("Logs2", t["Resources"].pop("Logs")))
    )
    assert (finding.subject, finding.severity) == ("resource Logs", BREAKING)
    assert finding.change == (
        "removed (AWS::Logs::LogGroup) but kept (DeletionPolicy Retain): it stays in the "
        "account, outside the stack; the stack creates Logs2 anew"
    )


def test_replacing_a_retained_resource_says_the_old_one_is_kept():
    """ "Use the UpdateReplacePolicy attribute to retain or, in some cases, backup the existing
    physical instance of a resource when it's replaced during a stack update operation"
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html).
    A replaced log group or bucket of ours keeps its data: diff said only "replaces"."""

    def renamed(t):
        t["Resources"]["Logs"]["Properties"]["LogGroupName"] = "new-name"

    finding = only([f for f in changed(renamed) if f.subject == "resource Logs"])
    assert finding.severity == DESTRUCTIVE
    assert finding.change == (
        "LogGroupName replaces (AWS::Logs::LogGroup); the old one is kept (UpdateReplacePolicy "
        "Retain): it stays in the account, outside the stack"
    )

    # The subnet is replaced, and the retained log group with it (its name is the subnet ID).
    old = copy.deepcopy(BASE)
    old["Resources"]["Logs"]["Properties"]["LogGroupName"] = {"Fn::GetAtt": ["Subnet", "Id"]}
    new = copy.deepcopy(old)
    new["Resources"]["Subnet"]["Properties"]["CidrBlock"] = "10.0.1.0/24"
    knock_on = only([f for f in diff_template("t.yaml", old, new) if f.subject == "resource Logs"])
    assert knock_on.change.endswith(
        "; the old one is kept (UpdateReplacePolicy Retain): it stays in the account, outside "
        "the stack"
    )
    # Without the policy nothing is said to be kept.
    del (
        old["Resources"]["Logs"]["UpdateReplacePolicy"],
        new["Resources"]["Logs"]["UpdateReplacePolicy"],
    )
    plain = only([f for f in diff_template("t.yaml", old, new) if f.subject == "resource Logs"])
    assert "kept" not in plain.change
    # The policy changed by the same update, either way: which template's CloudFormation
    # applies is not documented (a review), so the old one is not said to be kept; the change
    # of policy is a finding of its own.
    for was, now in (("Retain", "Delete"), ("Delete", "Retain")):
        old["Resources"]["Logs"]["UpdateReplacePolicy"] = was
        new["Resources"]["Logs"]["UpdateReplacePolicy"] = now
        findings = diff_template("t.yaml", old, new)
        (logs,) = [f for f in findings if f.subject == "resource Logs" and "Policy" not in f.change]
        assert "replaced" in logs.change
        assert "kept" not in logs.change
        assert any(f"UpdateReplacePolicy {was} -> {now}" in f.change for f in findings)


def test_replacing_a_resource_replaces_what_refers_to_it_in_a_create_only_property():
    def edit(t):
        t["Resources"]["Vpc"]["Properties"]["CidrBlock"] = "10.1.0.0/16"

    findings = {f.subject: f for f in changed(edit)}
    assert findings["resource Vpc"].severity == DESTRUCTIVE
    assert findings["resource Subnet"].severity == DESTRUCTIVE
    assert "refers to Vpc, which is replaced" in findings["resource Subnet"].change


def test_a_service_found_replaced_later_is_not_also_updated_in_place():
    """A resource the knock-on pass finds certainly replaced is new through and through. An ECS
    service's in-place line ends with its deployment, not with "updated in place", so it was
    kept beside "replaced too" (a review)."""

    def template(cidr: str, revision: str) -> dict[str, Any]:
        return {
            "Resources": {
                "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": cidr}},
                "Service": {
                    "Type": "AWS::ECS::Service",
                    "Properties": {"Cluster": {"Ref": "Vpc"}, "TaskDefinition": revision},
                },
            }
        }

    findings = diff_template(
        "t.yaml", template("10.0.0.0/16", "a:1"), template("10.1.0.0/16", "a:2")
    )
    service = [f.change for f in findings if f.subject == "resource Service"]
    assert service == [
        "replaced too: its Cluster (no update changes it in place) refers to Vpc, which is replaced"
    ]
    # Only maybe replaced, it may well be updated in place: both are said.
    maybe = template("10.0.0.0/16", "a:2")
    maybe["Parameters"] = {"Cidr": {"Type": "String", "Default": "10.0.0.0/16"}}
    maybe["Resources"]["Vpc"]["Properties"]["CidrBlock"] = {"Ref": "Cidr"}
    findings = diff_template("t.yaml", template("10.0.0.0/16", "a:1"), maybe)
    assert [f.change for f in findings if f.subject == "resource Service"] == [
        "may be replaced too: its Cluster (no update changes it in place) refers to Vpc, which "
        "may be replaced",
        "TaskDefinition updated in place; the service starts a deployment: new tasks take over "
        "from the running ones",
    ]


def one_resource(kind: str, **properties: Any) -> dict[str, Any]:
    return {"Resources": {"R": {"Type": kind, "Properties": properties}}}


def test_a_record_whose_name_changes_is_replaced_and_its_old_name_goes():
    """A Route 53 record's Name: "Update requires: Replacement" (CloudFormation Template
    Reference, AWS::Route53::RecordSet); the schema cfn-lint ships does not list it as
    create-only, but as part of the record's primary identifier, which no update changes in
    place. diff said "updated in place" and safe (an audit); CloudFormation makes the new
    record and deletes the old one, so what resolved the old name breaks."""
    record = {
        "HostedZoneId": "Z1",
        "Type": "A",
        "AliasTarget": {"DNSName": "lb", "HostedZoneId": "Z2"},
    }
    old = one_resource("AWS::Route53::RecordSet", Name="shop.example.com", **record)
    new = one_resource("AWS::Route53::RecordSet", Name="api.example.com", **record)
    finding = only(diff_template("t.yaml", old, new))
    assert finding.severity == BREAKING
    assert finding.change.startswith("Name replaces (AWS::Route53::RecordSet): the old record is")
    # Deleted: the name it answers goes too.
    (removed,) = diff_template("t.yaml", old, {"Resources": {}})
    assert removed.severity == BREAKING and "the name it answers stops resolving" in removed.change


@pytest.mark.parametrize(
    ("kind", "prop", "before", "after", "severity"),
    [
        # "Update requires: Replacement" in the Template Reference, not create-only in the
        # schema (an audit of every property the templates set): diff said "updated in place".
        ("AWS::EC2::EIP", "Domain", "vpc", "standard", DESTRUCTIVE),
        ("AWS::CertificateManager::Certificate", "ValidationMethod", "DNS", "EMAIL", SAFE),
    ],
)
def test_a_property_the_reference_says_replaces_is_a_replacement(
    kind, prop, before, after, severity
):
    finding = only(
        diff_template(
            "t.yaml", one_resource(kind, **{prop: before}), one_resource(kind, **{prop: after})
        )
    )
    assert finding.severity == severity
    assert finding.change.startswith(f"{prop} replaces ({kind})"), finding.change


RULE = {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIp": "10.0.0.0/16"}
SOME_INTERRUPTION = (
    "with some interruption (Template Reference: Some interruptions): CloudFormation removes a "
    "changed rule before it adds the new one, and the traffic the rule allows is dropped in "
    "between"
)


@pytest.mark.parametrize("prop", ["SecurityGroupIngress", "SecurityGroupEgress"])
def test_a_security_groups_rules_are_updated_in_place_with_some_interruption(prop):
    """A security group's SecurityGroupIngress and SecurityGroupEgress: "Update requires: Some
    interruptions", and "If you modify a rule, CloudFormation removes the existing rule and then
    adds a new rule. There is a brief period when neither the original rule or the new rule
    exists, so the corresponding traffic is dropped" (CloudFormation Template Reference,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html).
    The schema cannot tell this from "No interruption": diff said "updated in place" (an audit
    of every property the templates set). Safe still: the update succeeds, nothing is replaced."""
    kind = "AWS::EC2::SecurityGroup"
    old = one_resource(kind, GroupDescription="g", **{prop: [RULE]})
    new = one_resource(kind, GroupDescription="g", **{prop: [{**RULE, "FromPort": 9090}]})
    finding = only(diff_template("t.yaml", old, new))
    assert finding.severity == SAFE
    assert finding.change == f"{prop} updated in place, {SOME_INTERRUPTION}"


def test_only_the_properties_that_interrupt_are_said_to():
    kind = "AWS::EC2::SecurityGroup"
    old = one_resource(kind, GroupDescription="g", SecurityGroupIngress=[RULE], Tags=[])
    new = one_resource(
        kind, GroupDescription="g", SecurityGroupIngress=[], Tags=[{"Key": "a", "Value": "b"}]
    )
    finding = only(diff_template("t.yaml", old, new))
    assert finding.change == (
        f"SecurityGroupIngress, Tags updated in place; SecurityGroupIngress {SOME_INTERRUPTION}"
    )
    # Tags alone: no interruption (Template Reference: "Update requires: No interruption").
    tagged = copy.deepcopy(old)
    tagged["Resources"]["R"]["Properties"]["Tags"] = [{"Key": "a", "Value": "b"}]
    assert only(diff_template("t.yaml", old, tagged)).change == "Tags updated in place"


def test_a_rule_that_gets_a_replaced_groups_id_is_updated_with_some_interruption():
    """A rule that names a replaced security group gets the new group's ID: the rule changes, so
    the group that holds it is interrupted as for any rule change (Template Reference, above)."""

    def template(description: str) -> dict[str, Any]:
        source = {**RULE, "SourceSecurityGroupId": {"Ref": "Source"}}
        del source["CidrIp"]
        return {
            "Resources": {
                "Source": {
                    "Type": "AWS::EC2::SecurityGroup",
                    "Properties": {"GroupDescription": description},
                },
                "Target": {
                    "Type": "AWS::EC2::SecurityGroup",
                    "Properties": {"GroupDescription": "t", "SecurityGroupIngress": [source]},
                },
            }
        }

    findings = {f.subject: f for f in diff_template("t.yaml", template("a"), template("b"))}
    assert "GroupDescription replaces" in findings["resource Source"].change
    assert findings["resource Target"].severity == SAFE
    assert findings["resource Target"].change == (
        "updated in place: it refers to Source, which is replaced; SecurityGroupIngress "
        + SOME_INTERRUPTION
    )


def test_a_running_services_new_port_interrupts_its_task_security_group():
    """The shipped service: a new ContainerPort changes the rule that lets the load balancer in
    to the tasks."""
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), changes={"ContainerPort": "9090"}
    )
    group = [f for f in findings if f.subject == "resource TaskSecurityGroup"]
    assert [(f.severity, f.change) for f in group] == [
        (SAFE, f"SecurityGroupIngress updated in place, {SOME_INTERRUPTION}")
    ]


def test_a_conditionally_create_only_property_may_replace():
    """The schema's conditionalCreateOnlyProperties (an ECS service's LaunchType, which the
    resource schema lists there: some changes of it replace the service) were not read: "updated
    in place"."""
    old = one_resource("AWS::ECS::Service", LaunchType="FARGATE")
    new = one_resource("AWS::ECS::Service", LaunchType="EC2")
    finding = only(diff_template("t.yaml", old, new))
    assert finding.severity == DESTRUCTIVE
    assert finding.change == (
        "LaunchType may replace (some changes of it replace) (AWS::ECS::Service)"
    )


RECORD = {
    "Type": "AWS::Route53::RecordSet",
    "Properties": {
        "HostedZoneId": "Z1",
        "Name": "shop.example.com",
        "Type": "A",
        "AliasTarget": {"DNSName": "lb", "HostedZoneId": "Z2"},
    },
}


def test_what_makes_a_record_new_breaks_its_name():
    """A review: only a record's own replacement was breaking. Replaced because its Name refers
    to a replaced resource, or created or deleted by a changed condition, a record's name goes
    too; the knock-on names the property. Turned into another type, it fails the update."""
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a"}}
    record = copy.deepcopy(RECORD)
    record["Properties"]["Name"] = {"Fn::Sub": "${Bucket}.example.com"}
    old = {"Resources": {"Bucket": bucket, "Record": record}}
    new = copy.deepcopy(old)
    new["Resources"]["Bucket"]["Properties"]["BucketName"] = "b"
    findings = {f.subject: f for f in diff_template("t.yaml", old, new)}
    assert findings["resource Record"].severity == BREAKING
    assert findings["resource Record"].change == (
        "replaced too: its Name (no update changes it in place) refers to Bucket, which is replaced"
    )
    conditional = {
        "Conditions": {"On": {"Fn::Equals": ["a", "a"]}},
        "Resources": {"R": {**RECORD, "Condition": "On"}},
    }
    changed_condition = copy.deepcopy(conditional)
    changed_condition["Conditions"]["On"] = {"Fn::Equals": ["a", "b"]}
    finding = only(diff_template("t.yaml", conditional, changed_condition))
    assert finding.severity == BREAKING and "may be deleted or created" in finding.change
    other = {"Resources": {"R": {"Type": "AWS::SNS::Topic"}}}
    for before, after in ((RECORD, other["Resources"]["R"]), (other["Resources"]["R"], RECORD)):
        finding = only(
            diff_template("t.yaml", {"Resources": {"R": before}}, {"Resources": {"R": after}})
        )
        # CloudFormation refuses the new type (test_a_resource_whose_type_changes_fails_the_update).
        assert finding.severity == BREAKING, finding
        assert finding.change.startswith("the update fails: type "), finding


def test_a_record_made_again_under_its_own_name_fails_the_update():
    """CloudFormation creates the new record before it deletes the old one, and Route 53
    refuses a second record of a name and type ("Tried to create resource record set ... but it
    already exists", aws/aws-cdk#12564): a renamed logical ID, or a zone given by ID instead of
    by name, fails the update (a review: diff said the name stops resolving)."""
    clash = "Route 53 refuses a second record of the same name and type in a zone"
    renamed = diff_template(
        "t.yaml", {"Resources": {"Www": RECORD}}, {"Resources": {"WwwRecord": RECORD}}
    )
    assert [f.severity for f in renamed] == [BREAKING] and clash in renamed[0].change
    by_name = copy.deepcopy(RECORD)
    del by_name["Properties"]["HostedZoneId"]
    by_name["Properties"]["HostedZoneName"] = "example.com."
    finding = only(
        diff_template("t.yaml", {"Resources": {"R": by_name}}, {"Resources": {"R": RECORD}})
    )
    assert finding.severity == BREAKING and clash in finding.change
    assert "stops resolving" not in finding.change


def test_a_new_default_feeding_a_conditionally_create_only_property_may_replace(capsys):
    """A review: the knock-on pass walked the create-only properties alone. Which changes of a
    conditional one replace, the schema does not say, so no value settles it: the command's
    note asking for values does not count it."""

    def service(default: str) -> dict[str, Any]:
        return {
            "Parameters": {"LT": {"Type": "String", "Default": default}},
            "Resources": {
                "Svc": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": {"Ref": "LT"}}}
            },
        }

    findings = {f.subject: f for f in diff_template("t.yaml", service("FARGATE"), service("EC2"))}
    assert findings["resource Svc"].severity == DESTRUCTIVE
    assert findings["resource Svc"].change == (
        "may replace: its LaunchType (no update changes it in place) uses LT, whose default "
        "changed (stacks that kept the default)"
    )
    literal = {
        "Resources": {"Svc": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "FARGATE"}}}
    }
    other = copy.deepcopy(literal)
    other["Resources"]["Svc"]["Properties"]["LaunchType"] = "EC2"
    assert "some changes of it replace" in only(diff_template("t.yaml", literal, other)).change


def test_a_read_only_identifier_is_no_property_to_compare():
    """A resource's primary identifier counts when a template can write it (a record's Name);
    a read-only one (a VPC's VpcId) is the resource's own, never a property of the template."""
    from troposphere_fargate.cfn.diff import _create_only

    assert ("Name",) in _create_only("AWS::Route53::RecordSet")
    assert ("VpcId",) not in _create_only("AWS::EC2::VPC")


def test_a_new_default_feeding_a_create_only_property_may_replace():
    base = copy.deepcopy(BASE)
    base["Resources"]["Subnet"]["Properties"]["CidrBlock"] = {"Ref": "VpcCidr"}
    new = copy.deepcopy(base)
    new["Parameters"]["VpcCidr"]["Default"] = "10.9.0.0/16"
    findings = {f.subject: f for f in diff_template("t.yaml", base, new)}
    assert findings["parameter VpcCidr"].severity == BREAKING
    assert findings["resource Subnet"].severity == DESTRUCTIVE
    assert "may replace" in findings["resource Subnet"].change


def test_a_sub_s_own_variable_named_like_a_parameter_is_not_that_parameter():
    """``${VpcCidr}`` in a ``Fn::Sub`` that defines ``VpcCidr`` itself is the Sub's value, not
    the parameter's: the parameter's new default replaces nothing (it said "may replace")."""
    base = copy.deepcopy(BASE)
    own = {"Fn::Sub": ["${VpcCidr}", {"VpcCidr": "10.0.0.0/24"}]}
    base["Resources"]["Subnet"]["Properties"]["CidrBlock"] = own
    new = copy.deepcopy(base)
    new["Parameters"]["VpcCidr"]["Default"] = "10.9.0.0/16"
    findings = {f.subject: f for f in diff_template("t.yaml", base, new)}
    assert "resource Subnet" not in findings
    assert set(findings) == {"parameter VpcCidr"}


def test_a_number_and_its_text_are_one_value():
    """CloudFormation passes a Number parameter's value as text ("the parameter value becomes
    a string", AWS CloudFormation User Guide, Parameters) and takes 8080 and "8080" as one
    value: a port moving between a literal and a parameter of that value replaces nothing
    (sparkleformation/sfn#134, a Redis port from a parameter: "no such replacement occurs")."""
    group = {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 8080}}
    literal = {"Resources": {"Group": group}}
    quoted = copy.deepcopy(literal)
    quoted["Resources"]["Group"]["Properties"]["Port"] = "8080"
    assert diff_template("t.yaml", literal, quoted) == []
    parameter = copy.deepcopy(literal)
    parameter["Parameters"] = {"Port": {"Type": "Number", "Default": 8080}}
    parameter["Resources"]["Group"]["Properties"]["Port"] = {"Ref": "Port"}
    side = {"t.yaml": literal}
    assert diff_stacks(side, {"t.yaml": parameter}, {}, {"Port": "8080"}) == [
        Finding("t.yaml", SAFE, "parameter Port", "added, with a default")
    ]
    # Another port is another target group.
    assert diff_stacks(side, {"t.yaml": parameter}, {}, {"Port": "8081"})[0] == Finding(
        "t.yaml",
        DESTRUCTIVE,
        "resource Group",
        "Port replaces (AWS::ElasticLoadBalancingV2::TargetGroup)",
    )
    # 0.4.0's health check parameters default to 0.3.0's numbers: the stack's target group
    # does not change (it was "HealthCheckIntervalSeconds, ... updated in place").
    shipped = [load_side(v, REPO / "templates") for v in ("0.3.0", "0.4.0")]
    findings = diff_stacks(*shipped, {"DesiredCount": "2"})
    assert [f.subject for f in findings if f.template == "service.yaml"] == [
        "output DashboardUrl",
        "resource Dashboard",
        "resource ErrorRateAlarm",
        "resource Service",
        "resource UnhealthyTargetsAlarm",
    ]


def test_removing_a_private_subnets_default_route_is_breaking():
    """NatGateways=None removes each private route table's route to the NAT gateway: the tasks
    then reach only the VPC and its endpoints (it was called safe)."""
    table = {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": "vpc-1"}}
    route = {
        "Type": "AWS::EC2::Route",
        "Properties": {
            "RouteTableId": {"Ref": "Table"},
            "DestinationCidrBlock": "0.0.0.0/0",
            "NatGatewayId": "nat-1",
        },
    }
    old = {"Resources": {"Table": table, "Route": route}}
    finding = only(diff_template("n.yaml", old, {"Resources": {"Table": table}}))
    assert finding.severity == BREAKING
    assert finding.change == (
        "removed (AWS::EC2::Route): deleted on update; its route table keeps no route to the "
        "internet: what runs in its subnets reaches only the VPC and its endpoints, and calls "
        "to anything else time out"
    )
    # One address family's default route gone while the other's stays: said of that family.
    v6 = copy.deepcopy(route)
    v6["Properties"] = {"RouteTableId": {"Ref": "Table"}, "DestinationIpv6CidrBlock": "::/0"}
    both = {"Resources": {"Table": table, "Route": route, "Route6": v6}}
    (v4_gone,) = diff_template("n.yaml", both, {"Resources": {"Table": table, "Route6": v6}})
    assert v4_gone.severity == BREAKING
    assert v4_gone.change.endswith(
        "; its route table keeps no IPv4 route to the internet (its IPv6 route stays): IPv4 "
        "calls from its subnets to anything but the VPC and its endpoints time out"
    )
    # The table goes too, or another route takes the destination: nothing is cut off.
    assert {f.severity for f in diff_template("n.yaml", old, {"Resources": {}})} == {SAFE}
    moved = {"Resources": {"Table": table, "Other": route}}
    assert {f.severity for f in diff_template("n.yaml", old, moved)} == {SAFE}


def test_parameters_and_conditions_take_a_number_and_its_text_as_one_value():
    """A review: a default of 2 against one of "2" was breaking (exit 1), and a condition
    comparing 1 with "1" "changed"."""
    old = copy.deepcopy(BASE)
    old["Conditions"] = {"One": {"Fn::Equals": [1, "1"]}}
    new = copy.deepcopy(old)
    new["Parameters"]["Count"]["Default"] = 2  # "2" in BASE
    new["Parameters"]["Count"]["MaxValue"] = "9"
    new["Conditions"]["One"] = {"Fn::Equals": ["1", "1"]}
    assert diff_template("t.yaml", old, new) == []


def test_a_kept_default_with_colons_is_quoted_whole():
    """A review: an image default's colon cut the hint short (``--set Image=repo``)."""
    old = {
        "Parameters": {"Image": {"Type": "String", "Default": "repo:1"}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    new = copy.deepcopy(old)
    new["Parameters"]["Image"]["Default"] = "repo:2"
    (kept,) = diff_stacks({"t.yaml": old}, {"t.yaml": new}, {"Image": "repo:1"})
    assert kept.change == (
        "default 'repo:1' -> 'repo:2': the stack keeps 'repo:1' (aws cloudformation deploy and "
        "the console keep a value not given; an UpdateStack call that neither gives one nor "
        "sets UsePreviousValue takes 'repo:2'); --set Image=repo:2 takes the new default"
    )


def test_a_tightened_constraint_the_stack_s_value_meets_is_safe_for_that_stack():
    """A matrix audit: ``diff 0.3.0 0.4.0 --parameters ... HealthCheckPath=/health`` said
    "breaking: AllowedPattern changed: values accepted before may be refused" and "MaxLength
    lowered to 1024", and exited 1, though the new template had been resolved with that very
    value, which its constraints accept (a value they refuse stops the comparison)."""
    old = {
        "Parameters": {"Path": {"Type": "String", "Default": "/", "AllowedPattern": "^/.*$"}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    new = copy.deepcopy(old)
    new["Parameters"]["Path"].update({"AllowedPattern": "^/[a-z]*$", "MaxLength": 16})
    pattern = "AllowedPattern changed: values accepted before may be refused"
    # As templates: any running value may be refused.
    template = {f.change: f.severity for f in diff_template("t.yaml", old, new)}
    assert template == {pattern: BREAKING, "MaxLength lowered to 16": BREAKING}
    # As the stack with /health: accepted.
    met = diff_stacks({"t.yaml": old}, {"t.yaml": new}, {"Path": "/health"})
    assert {f.severity for f in met} == {SAFE}
    assert f"{pattern}; the stack keeps '/health', which the new template accepts" in {
        f.change for f in met
    }
    # The value the update sets is the one checked.
    (set_first, _) = diff_stacks(
        {"t.yaml": old}, {"t.yaml": new}, {"Path": "/a b"}, {"Path": "/ok"}
    )
    assert set_first.severity == SAFE and set_first.change.endswith(
        "the update sets '/ok', which the new template accepts"
    )
    # A value the new constraint refuses is refused, not passed.
    with pytest.raises(DiffError, match=r"Path=./a b. does not match"):
        diff_stacks({"t.yaml": old}, {"t.yaml": new}, {"Path": "/a b"})


def test_a_tightened_constraint_stays_breaking_for_a_value_not_given():
    """A default stands in for a value not given, but a running stack may hold another one,
    which the new constraint may refuse: ``diff 0.3.0 0.4.0 --region eu-west-1`` (or ``--set``
    of another parameter) called HealthCheckPath's new pattern "safe: the stack keeps '/'",
    a value nobody gave, and exited 0."""
    old = {
        "Parameters": {
            "Path": {"Type": "String", "Default": "/", "AllowedPattern": "^/.*$"},
            "Name": {"Type": "String", "Default": "a"},
        },
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    new = copy.deepcopy(old)
    new["Parameters"]["Path"]["AllowedPattern"] = "^/[a-z]*$"
    pattern = "AllowedPattern changed: values accepted before may be refused"
    for running, changes in (({}, {}), ({"Name": "b"}, {}), ({}, {"Name": "c"})):
        found = diff_stacks({"t.yaml": old}, {"t.yaml": new}, running, changes, "eu-west-1")
        assert [(f.severity, f.change) for f in found] == [(BREAKING, pattern)], (running, changes)
    # Given, even as the default's value: the stack's, and checked.
    (given,) = diff_stacks({"t.yaml": old}, {"t.yaml": new}, {"Path": "/"})
    assert given.severity == SAFE


def test_a_changed_condition_may_delete_the_resources_it_guards():
    base = copy.deepcopy(BASE)
    base["Conditions"] = {"Keep": {"Fn::Equals": [{"Ref": "Mode"}, "a"]}}
    base["Resources"]["Vpc"]["Condition"] = "Keep"
    new = copy.deepcopy(base)
    new["Conditions"]["Keep"] = {"Fn::Equals": [{"Ref": "Mode"}, "b"]}
    findings = {f.subject: f for f in diff_template("t.yaml", base, new)}
    assert findings["resource Vpc"].severity == DESTRUCTIVE
    assert "condition Keep changed" in findings["resource Vpc"].change


def test_a_resource_given_a_condition_may_be_deleted_as_its_data_says():
    def edit(t):
        t["Resources"]["Vpc"]["Condition"] = "Keep"

    finding = only(changed(edit))
    assert (finding.subject, finding.severity) == ("resource Vpc", DESTRUCTIVE)
    assert finding.change == "condition None -> Keep: may be deleted or created on update"
    # A stateless one holds nothing to lose.
    route = only(changed(lambda t: t["Resources"]["Route"].__setitem__("Condition", "Keep")))
    assert (route.severity, route.change) == (
        SAFE,
        "condition None -> Keep: may be deleted or created on update",
    )


def _catalog(actions: Any, constrained: bool = True) -> dict[str, Any]:
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {},
            "Policies": [
                {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": actions}]}}
            ],
        },
    }
    resources: dict[str, Any] = {"LaunchRole": role}
    if constrained:
        resources["Constraint"] = {
            "Type": "AWS::ServiceCatalog::LaunchRoleConstraint",
            "Properties": {"RoleArn": {"Fn::GetAtt": ["LaunchRole", "Arn"]}},
        }
    return {"Resources": resources}


def test_a_launch_role_s_new_or_lost_actions_say_which_to_update_first():
    """Service Catalog assumes the launch role "when an end user launches, updates, or
    terminates a product" (AWS Service Catalog Administrator Guide, Launch constraints): a
    product updated to a version needing an action the deployed role lacks fails, so the
    catalog stack goes first; an action lost may be needed by a product left behind."""
    old = _catalog(["s3:GetObject"])
    gained = only(diff_template("c.yaml", old, _catalog(["s3:GetObject", "lambda:GetFunction"])))
    assert gained.severity == SAFE
    assert gained.change == (
        "Policies updated in place; it is a launch role and gains 1 action (lambda:GetFunction): "
        "update this stack before any provisioned product moves to the new version (Service "
        "Catalog runs a product's update with the deployed role: without them it fails and "
        "rolls back)"
    )
    lost = only(diff_template("c.yaml", old, _catalog(["s3:GetObjectTagging"])))
    assert "gains 1 action (s3:GetObjectTagging)" in lost.change
    assert lost.change.endswith(
        "; loses 1 action (s3:GetObject): a provisioned product left on an older version may "
        "need them to update or terminate"
    )
    # A wildcard narrowed loses what it covered and gains nothing; case is no change (IAM
    # action names are case-insensitive); a Deny added grants nothing; tags are no policy.
    narrowed = only(diff_template("c.yaml", _catalog(["s3:*"]), _catalog(["s3:GetObject"])))
    assert "gains" not in narrowed.change and "loses 1 action (s3:*)" in narrowed.change
    cased = only(diff_template("c.yaml", old, _catalog(["S3:GetObject"])))
    assert cased.change.endswith(
        "it is a launch role and its statements change (resources or conditions): if they "
        "grant more, update this stack before any provisioned product moves to the new version"
    )
    denied = _catalog(["s3:GetObject"])
    denied["Resources"]["LaunchRole"]["Properties"]["Policies"][0]["PolicyDocument"][
        "Statement"
    ].append({"Effect": "Deny", "Action": ["s3:DeleteBucket"]})
    assert "gains" not in only(diff_template("c.yaml", old, denied)).change
    # An action under an Fn::If, as an item or around the whole list, is one the role may
    # grant: it was not collected, and the change was told as "its statements change".
    for conditional in (
        ["s3:GetObject", {"Fn::If": ["Extra", "lambda:GetFunction", {"Ref": "AWS::NoValue"}]}],
        {"Fn::If": ["Extra", ["s3:GetObject", "lambda:GetFunction"], ["s3:GetObject"]]},
    ):
        change = only(diff_template("c.yaml", old, _catalog(conditional))).change
        assert "it is a launch role and gains 1 action (lambda:GetFunction): " in change
    tagged = _catalog(["s3:GetObject"])
    tagged["Resources"]["LaunchRole"]["Properties"]["Tags"] = [{"Key": "a", "Value": "b"}]
    assert only(diff_template("c.yaml", old, tagged)).change == "Tags updated in place"
    # The same change to a role no launch constraint names: no order to keep.
    plain = only(diff_template("c.yaml", _catalog(["a:B"], False), _catalog(["a:B", "a:C"], False)))
    assert plain.change == "Policies updated in place"
    # The shipped catalog of 0.4.0 gains what the new templates need.
    (launch,) = [
        f
        for f in diff(
            load_side("0.3.0", REPO / "templates"), load_side("0.4.0", REPO / "templates")
        )
        if f.subject == "resource LaunchRole"
    ]
    # 58 since the read handlers' actions (tests/layers/test_root.py): 39 before.
    assert "it is a launch role and gains 58 actions (cloudformation:CancelUpdateStack" in (
        launch.change
    )


def test_a_launch_role_s_managed_policies_and_many_actions_are_told_and_only_its_own():
    old = _catalog(["s3:GetObject"])
    managed = copy.deepcopy(old)
    managed["Resources"]["LaunchRole"]["Properties"]["ManagedPolicyArns"] = ["arn:aws:iam::a"]
    assert only(diff_template("c.yaml", old, managed)).change == (
        "ManagedPolicyArns updated in place; it is a launch role and its managed policies change: "
        "if they grant more, update this stack before any provisioned product moves to the new "
        "version"
    )
    three = only(diff_template("c.yaml", old, _catalog(["s3:GetObject", "a:A", "a:B", "a:C"])))
    assert "it is a launch role and gains 3 actions (a:A, a:B, a:C): update" in three.change
    four = _catalog(["s3:GetObject", "a:D", "a:C", "a:B", "a:A"])
    assert "gains 4 actions (a:A, a:B, a:C and 1 more): update" in (
        only(diff_template("c.yaml", old, four)).change
    )
    # A launch constraint naming another role: no order to keep for this one.
    for side in (old, four):
        side["Resources"]["Other"] = {"Type": "AWS::IAM::Role", "Properties": {}}
        side["Resources"]["Constraint"]["Properties"]["RoleArn"] = {"Fn::GetAtt": ["Other", "Arn"]}
    assert only(diff_template("c.yaml", old, four)).change == "Policies updated in place"


def test_adding_a_resource_is_safe():
    def edit(t):
        t["Resources"]["Igw"] = {"Type": "AWS::EC2::InternetGateway"}

    assert only(changed(edit)).severity == SAFE


RESTRICTION = {
    "Type": "Custom::DefaultSecurityGroupRestriction",
    "Properties": {
        "ServiceToken": "arn:fn",
        "GroupId": {"Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"]},
    },
}


def test_emptying_a_running_vpcs_default_security_group_is_breaking():
    """The function refuses a group a network interface uses, and CloudFormation then rolls the
    update back: whatever the user put in that group decides whether the update goes through."""

    def edit(t):
        t["Resources"]["DefaultSecurityGroupRestriction"] = copy.deepcopy(RESTRICTION)

    finding = only(changed(edit))
    assert finding.severity == BREAKING
    assert "the update fails (changing nothing) if a network interface is in that group" in (
        finding.change
    )
    assert "RestrictDefaultSecurityGroup=false" in finding.change


def test_emptying_the_default_security_group_of_a_new_vpc_is_safe():
    new = copy.deepcopy(BASE)
    new["Resources"]["Vpc2"] = {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.1.0.0/16"}}
    restriction = copy.deepcopy(RESTRICTION)
    restriction["Properties"]["GroupId"] = {"Fn::GetAtt": ["Vpc2", "DefaultSecurityGroup"]}
    new["Resources"]["DefaultSecurityGroupRestriction"] = restriction
    findings = diff_template("t.yaml", BASE, new)
    assert {f.severity for f in findings} == {SAFE}


def test_removing_the_restriction_from_a_vpc_that_stays_says_the_group_opens_again():
    """RestrictDefaultSecurityGroup true -> false: the custom resource's Delete gives the group
    EC2's two rules back (default_sg_handler restores them); nothing breaks, but the user is
    told, as Security Hub EC2.2 stops being met."""
    old = copy.deepcopy(BASE)
    old["Resources"]["DefaultSecurityGroupRestriction"] = copy.deepcopy(RESTRICTION)
    finding = only(diff_template("t.yaml", old, copy.deepcopy(BASE)))
    assert finding.severity == SAFE
    assert finding.change.startswith("removed (Custom::DefaultSecurityGroupRestriction)")
    assert "gives the VPC's default security group back the two rules" in finding.change
    assert "EC2.2 is no longer met" in finding.change

    # With its VPC gone too, there is no group left to open: no such note.
    without_vpc = copy.deepcopy(BASE)
    del without_vpc["Resources"]["Vpc"]
    findings = diff_template("t.yaml", old, without_vpc)
    notes = [f for f in findings if f.subject == "resource DefaultSecurityGroupRestriction"]
    assert notes and "two rules" not in only(notes).change


def test_dropping_retain_is_destructive_and_adding_it_safe():
    def weaken(t):
        t["Resources"]["Logs"]["DeletionPolicy"] = "Delete"

    finding = only(changed(weaken))
    assert finding.severity == DESTRUCTIVE
    assert finding.change.startswith("DeletionPolicy Retain -> Delete")

    def strengthen(t):
        t["Resources"]["Route"]["UpdateReplacePolicy"] = "Retain"

    assert only(changed(strengthen)).severity == SAFE


def test_dropping_retain_from_a_stateless_resource_is_said_but_safe():
    """A route deleted without Retain loses no data: the policy change is told, not flagged."""
    old = copy.deepcopy(BASE)
    old["Resources"]["Route"]["DeletionPolicy"] = "Retain"
    finding = only(diff_template("t.yaml", old, copy.deepcopy(BASE)))
    assert (finding.subject, finding.severity) == ("resource Route", SAFE)
    assert finding.change == "DeletionPolicy Retain -> Delete: no longer kept when deleted"


# "The default policy is Snapshot for AWS::RDS::DBCluster resources and for
# AWS::RDS::DBInstance resources that don't specify the DBClusterIdentifier property", and
# "RetainExceptOnCreate behaves like Retain for stack operations, except for the stack
# operation that initially created the resource" (DeletionPolicy attribute, User Guide,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
DATABASE = {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres"}}
CLUSTERED = {
    "Type": "AWS::RDS::DBInstance",
    "Properties": {"Engine": "aurora-postgresql", "DBClusterIdentifier": "c"},
}


def _db_diff(old: Mapping[str, Any], new: Mapping[str, Any] | None) -> Any:
    resources = {"Topic": {"Type": "AWS::SNS::Topic"}}
    before = {"Resources": {**resources, "Db": old}}
    after = {"Resources": {**resources, **({"Db": new} if new is not None else {})}}
    return only(diff_template("t.yaml", before, after))


@pytest.mark.parametrize(
    ("old", "new", "severity", "says"),
    [
        # An explicit Snapshot where it is the default changes nothing.
        (DATABASE, {**DATABASE, "DeletionPolicy": "Snapshot"}, None, None),
        # Giving the default up is losing the snapshot: it was "Delete -> Snapshot", safe.
        (
            DATABASE,
            {**DATABASE, "DeletionPolicy": "Delete"},
            DESTRUCTIVE,
            "DeletionPolicy Snapshot -> Delete: no longer snapshotted when deleted",
        ),
        # An instance of a cluster has no snapshot of its own: Delete is its default.
        (CLUSTERED, {**CLUSTERED, "DeletionPolicy": "Delete"}, None, None),
        (
            {**DATABASE, "DeletionPolicy": "RetainExceptOnCreate"},
            {**DATABASE, "DeletionPolicy": "Delete"},
            DESTRUCTIVE,
            "DeletionPolicy RetainExceptOnCreate -> Delete: no longer kept when deleted",
        ),
        (
            {**DATABASE, "DeletionPolicy": "Retain"},
            {**DATABASE, "DeletionPolicy": "RetainExceptOnCreate"},
            SAFE,
            "DeletionPolicy Retain -> RetainExceptOnCreate",
        ),
    ],
)
def test_a_deletion_policy_is_compared_with_its_default_filled_in(old, new, severity, says):
    if severity is None:
        resources = {"Db": old}
        assert diff_template("t.yaml", {"Resources": resources}, {"Resources": {"Db": new}}) == []
        return
    finding = _db_diff(old, new)
    assert (finding.severity, finding.change[: len(says)]) == (severity, says)


def test_a_removed_database_says_it_is_snapshotted_or_kept_as_its_policy_says():
    assert _db_diff(DATABASE, None).change.startswith(
        "removed (AWS::RDS::DBInstance): deleted on update, after a snapshot (DeletionPolicy "
        "Snapshot, its default)"
    )
    kept = _db_diff({**DATABASE, "DeletionPolicy": "RetainExceptOnCreate"}, None)
    assert kept.severity == BREAKING
    assert "kept (DeletionPolicy RetainExceptOnCreate)" in kept.change


@pytest.mark.parametrize(
    ("edit", "subject", "words"),
    [
        (lambda t: t["Parameters"].pop("Mode"), "parameter Mode", "removed"),
        (
            lambda t: t["Parameters"].__setitem__("Image", {"Type": "String"}),
            "parameter Image",
            "added without a default",
        ),
        (
            lambda t: t["Parameters"]["Mode"].__setitem__("Default", "b"),
            "parameter Mode",
            "default 'a' -> 'b'",
        ),
        (
            lambda t: t["Parameters"]["Mode"].__setitem__("AllowedValues", ["a"]),
            "parameter Mode",
            "AllowedValues no longer allow b",
        ),
        (
            lambda t: t["Parameters"]["VpcCidr"].__setitem__("AllowedPattern", "^10\\..*$"),
            "parameter VpcCidr",
            "AllowedPattern changed",
        ),
        (
            lambda t: t["Parameters"]["Count"].__setitem__("MinValue", 2),
            "parameter Count",
            "MinValue raised to 2",
        ),
        (
            lambda t: t["Parameters"]["Count"].__setitem__("Type", "String"),
            "parameter Count",
            "type Number -> String",
        ),
    ],
)
def test_parameter_changes_that_break_stacks(edit, subject, words):
    finding = only(changed(edit))
    assert finding.severity == BREAKING
    assert finding.subject == subject
    assert words in finding.change


def test_a_new_parameter_with_a_default_is_safe():
    finding = only(
        changed(lambda t: t["Parameters"].__setitem__("X", {"Type": "String", "Default": ""}))
    )
    assert finding.severity == SAFE


def test_a_loosened_constraint_is_safe():
    assert changed(lambda t: t["Parameters"]["Count"].__setitem__("MaxValue", 99)) == []


def test_a_removed_export_is_breaking():
    finding = only(changed(lambda t: t["Outputs"].pop("VpcId")))
    assert finding.severity == BREAKING
    assert "Fn::ImportValue" in finding.change


def test_a_renamed_export_is_breaking():
    def edit(t):
        t["Outputs"]["VpcId"]["Export"]["Name"] = {"Fn::Sub": "${AWS::StackName}-Vpc"}

    finding = only(changed(edit))
    assert finding.severity == BREAKING and "export" in finding.change


def test_exporting_an_output_is_safe_and_changing_an_exported_value_breaking():
    finding = only(changed(lambda t: t["Outputs"]["Plain"].__setitem__("Export", {"Name": "x"})))
    assert finding.severity == SAFE
    finding = only(changed(lambda t: t["Outputs"]["VpcId"].__setitem__("Value", "vpc-1")))
    assert finding.severity == BREAKING and "imports it" in finding.change


def test_a_removed_plain_output_is_breaking_and_an_added_one_safe():
    assert only(changed(lambda t: t["Outputs"].pop("Plain"))).severity == BREAKING
    assert only(changed(lambda t: t["Outputs"].__setitem__("New", {"Value": "y"}))).severity == SAFE


def test_a_removed_template_is_destructive():
    (finding,) = diff({"a.yaml": BASE, "b.yaml": BASE}, {"a.yaml": BASE})
    assert finding.severity == DESTRUCTIVE and finding.subject == "template b.yaml"


# --- The command --------------------------------------------------------------------------


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    from troposphere_fargate.cfn.yaml import to_yaml

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "t.yaml").write_text(to_yaml(BASE))
    edited = copy.deepcopy(BASE)
    edited["Resources"]["Subnet"]["Properties"]["CidrBlock"] = "10.0.9.0/24"
    edited["Resources"]["Subnet"]["Properties"]["Tags"] = []
    edited["Resources"]["Logs"]["Properties"]["RetentionInDays"] = 731
    (new / "t.yaml").write_text(to_yaml(edited))
    return old, new


def test_command_reports_a_table_and_fails_on_destructive_findings(sides, capsys):
    old, new = sides
    assert cli.main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "t.yaml"
    assert "destructive  resource Subnet: CidrBlock replaces (AWS::EC2::Subnet)" in out
    assert "safe         resource Logs: RetentionInDays updated in place" in out
    # The subnet is replaced: its new tags come with the new one, not as an update in place.
    assert "resource Subnet: Tags updated in place" not in out


def test_command_allows_what_it_is_told_to(sides):
    old, new = sides
    assert cli.main(["diff", str(old), str(new), "--allow", "destructive,breaking"]) == 0
    assert cli.main(["diff", str(old), str(new), "--allow", "breaking"]) == 1


def test_command_writes_json(sides, capsys):
    old, new = sides
    cli.main(["diff", str(old), str(new), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    assert {f["severity"] for f in findings} == {"destructive", "safe"}
    assert set(findings[0]) == {"template", "severity", "subject", "change"}


def test_command_refuses_unknown_sides_and_severities(sides, capsys):
    old, _ = sides
    assert cli.main(["diff", str(old), "9.9.9"]) == 1
    assert "9.9.9: no such template, folder or version under " in capsys.readouterr().err
    assert cli.main(["diff", str(old), str(old), "--allow", "safe"]) == 1
    assert "--allow takes destructive and breaking" in capsys.readouterr().err


def test_a_version_compared_with_itself_has_no_findings():
    side = load_side(__version__, REPO / "templates")
    assert diff(side, side) == []


# --- Release gate -------------------------------------------------------------------------


def versions() -> list[str]:
    def key(name: str) -> tuple[int, ...]:
        return tuple(int(part) for part in name.split("."))

    folders = [p.name for p in (REPO / "templates").iterdir() if p.is_dir()]
    return sorted((name for name in folders if not name.startswith(".")), key=key)


def test_upgrading_from_the_previous_version_is_safe_or_in_the_changelog():
    shipped = versions()
    assert shipped[-1] == __version__
    changelog = (REPO / "CHANGELOG.md").read_text()
    assert f"## {__version__}" in changelog
    if len(shipped) < 2:
        return  # the first version: nothing to upgrade from
    findings = diff(
        load_side(shipped[-2], REPO / "templates"), load_side(shipped[-1], REPO / "templates")
    )
    assert unexplained(findings, changelog, __version__) == []


def test_the_gate_wants_each_destructive_or_breaking_change_named():
    findings = [
        Finding("network.yaml", DESTRUCTIVE, "resource Vpc", "CidrBlock replaces"),
        Finding("network.yaml", BREAKING, "parameter Mode", "removed"),
        Finding("network.yaml", SAFE, "resource Route", "added"),
    ]
    changelog = (
        "# Changes\n\n## 0.2.0\n\n- `Vpc` is replaced: new CIDR. `VpcCidr` and Mode changed.\n"
        "\n## 0.1.0\n\n- `Mode`\n"
    )
    # Names count only whole and in backticks, in the version's own entry.
    assert unexplained(findings, changelog, "0.2.0") == [findings[1]]
    assert unexplained(findings, changelog, "0.3.0") == findings[:2]


def test_the_gate_reads_names_after_a_span_of_double_backticks():
    # Markdown closes a code span with a run of as many backticks as opened it: pairing single
    # backticks across the entry read `` `x` `` as two spans and shifted every pair after it,
    # so `Mode` below went unseen (an audit had to put its entry above such a span).
    findings = [Finding("network.yaml", BREAKING, "parameter Mode", "removed")]
    changelog = "## 0.2.0\n\n- A path such as `` `/a` `` is refused.\n- `Mode` is removed.\n"
    assert unexplained(findings, changelog, "0.2.0") == []
    assert unexplained(findings, "## 0.2.0\n\n- `` Mode `` only.\n", "0.2.0") == []


def test_the_gate_on_two_shipped_versions(tmp_path):
    from troposphere_fargate.cfn.yaml import to_yaml

    for version, cidr in (("0.1.0", "10.0.0.0/24"), ("0.2.0", "10.0.9.0/24")):
        template = copy.deepcopy(BASE)
        template["Resources"]["Subnet"]["Properties"]["CidrBlock"] = cidr
        (tmp_path / version).mkdir()
        (tmp_path / version / "t.yaml").write_text(to_yaml(template))
    findings = diff(load_side("0.1.0", tmp_path), load_side("0.2.0", tmp_path))
    assert [f.subject for f in unexplained(findings, "## 0.2.0\n", "0.2.0")] == ["resource Subnet"]
    assert unexplained(findings, "## 0.2.0\n- `Subnet` moves to a new range\n", "0.2.0") == []


# --- Running stacks: parameter values decide -----------------------------------------------


def shipped(version: str) -> dict[str, dict[str, Any]]:
    return load_side(version, REPO / "templates")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"MemoryTargetUtilization": "80"}, {"resource MemoryScalingPolicy": "added"}),
        ({"RequestsPerTarget": "500"}, {"resource RequestScalingPolicy": "added"}),
        ({"CpuTargetUtilization": "0"}, {"resource CpuScalingPolicy": "removed"}),
        (
            {"AlarmTopicArn": "arn:aws:sns:us-east-1:123456789012:ops"},
            {
                "resource ErrorRateAlarm": "AlarmActions, OKActions updated in place",
                "resource UnhealthyTargetsAlarm": "AlarmActions, OKActions updated in place",
            },
        ),
        (
            {"HealthCheckIntervalSeconds": "30", "HealthCheckTimeoutSeconds": "10"},
            {
                "resource TargetGroup": (
                    "HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds updated in place"
                )
            },
        ),
        ({"DesiredCount": "0"}, {"resource Service": "DesiredCount updated in place"}),
    ],
    ids=["memory", "requests", "no-cpu", "alarm-topic", "health-check", "desired-count"],
)
def test_operating_changes_to_a_running_service_replace_nothing(changes, expected):
    """Scaling, alarms and health checks change in place or add and remove their own
    resources: the load balancer, target group, service and tasks stay."""
    findings = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        running={"DesiredCount": "2"},  # a stack created before 0.4.0 kept its old default
        changes=changes,
    )
    service = {f.subject: f.change for f in findings if f.template == "service.yaml"}
    assert {subject: change.split(" (")[0] for subject, change in service.items()} == expected
    assert all(f.severity == SAFE for f in findings)


def test_moving_a_running_service_to_canary_adds_its_plumbing_and_replaces_nothing():
    """Strategy, BakeTimeInMinutes, CanaryConfiguration and the load balancer entry's
    AdvancedConfiguration change "No interruption" (AWS::ECS::Service DeploymentConfiguration
    and AdvancedConfiguration, CloudFormation Template Reference): the service is updated in
    place; what a canary needs is added beside it, and removed again on the way back."""
    findings = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        running={"DesiredCount": "2"},
        changes={"DeploymentStrategy": "CANARY"},
    )
    service = {f.subject: f.change.split(" (")[0] for f in findings if f.template == "service.yaml"}
    assert service["resource Service"] == (
        "DeploymentConfiguration, LoadBalancers updated in place; the service starts a "
        "deployment: new tasks take over from the running ones"
    )
    added = {subject for subject, change in service.items() if change == "added"}
    assert added == {
        "resource AlternateTargetGroup",
        "resource AlternateUnhealthyTargetsAlarm",
        "resource AlternateErrorRateAlarm",
        "resource DeploymentRole",
        "resource ProductionListenerRule",
    }
    assert all(f.severity == SAFE for f in findings)
    assert not [f for f in findings if "replace" in f.change.lower()]


CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"


@pytest.mark.parametrize("strategy", ["CANARY", "LINEAR", "BLUE_GREEN"])
def test_changing_a_traffic_shifting_services_production_rule_resets_its_weights(strategy):
    """ECS sets the production rule's weights in each canary, linear or blue/green deployment;
    a stack update of the rule sets them back to the template's 100 / 0 (aws/aws-cdk#36649,
    aws/containers-roadmap#2853) while the new revision may serve from AlternateTargetGroup.
    A certificate moves the rule to the HTTPS listener: diff said "safe"."""
    running = {"DesiredCount": "2", "DeploymentStrategy": strategy}
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), running, {"CertificateArn": CERTIFICATE}
    )
    (reset,) = [f for f in findings if "weights" in f.change]
    assert reset.subject == "resource ProductionListenerRule" and reset.severity == BREAKING
    assert reset.change.startswith("resets the weights ECS set in the last canary")
    assert "Move the service to ROLLING with one update first" in reset.change
    rolling = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        {"DesiredCount": "2"},
        {"CertificateArn": CERTIFICATE},
    )
    assert not [f for f in rolling if "weights" in f.change]
    unchanged = diff_stacks(shipped(__version__), shipped(__version__), running, {})
    assert not [f for f in unchanged if "weights" in f.change]


@pytest.mark.parametrize("strategy", ["CANARY", "LINEAR", "BLUE_GREEN"])
def test_changing_a_network_load_balancers_production_listener_resets_its_weights(strategy):
    """On a network load balancer the listener itself is the production "rule" ECS shifts
    ("Must be RuleArn for ALB or ListenerArn for NLB", ECS Developer Guide,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting-blue-green.html),
    and it forwards by weight to both target groups: a new certificate updates it, and the
    update sets the weights back to the template's 100 / 0 as for a rule (aws/aws-cdk#36649).
    diff looked at listener rules alone."""
    running = {
        "DesiredCount": "2",
        "DeploymentStrategy": strategy,
        "LoadBalancerType": "network",
        "CertificateArn": CERTIFICATE,
    }
    other = CERTIFICATE.replace("0a1b2c3d", "9f8e7d6c")
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), running, {"CertificateArn": other}
    )
    (reset,) = [f for f in findings if "weights" in f.change]
    assert reset.subject == "resource HttpsListener" and reset.severity == BREAKING
    assert reset.change.startswith("resets the weights ECS set in the last canary")
    rolling = {**running, "DeploymentStrategy": "ROLLING"}
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), rolling, {"CertificateArn": other}
    )
    assert not [f for f in findings if "weights" in f.change]


@pytest.mark.parametrize("strategy", ["CANARY", "LINEAR", "BLUE_GREEN"])
def test_back_to_rolling_an_application_load_balancers_production_rule_risks_the_traffic(
    strategy,
):
    """The move back to ROLLING deletes ProductionListenerRule, and CloudFormation deletes a
    removed resource last, in the stack state UPDATE_COMPLETE_CLEANUP_IN_PROGRESS
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-describing-stacks.html):
    it "executes removal of resources in a 'final' pass after any new or updated resources
    have been updated" (architect/deploy#398). Until then the rule forwards by the weights ECS
    set, which may send every request to AlternateTargetGroup ("observed live: green=100/blue=0
    after the initial deployment", go-to-k/cdk-real-drift#1730), while the rolling deployment
    registers the new tasks in TargetGroup alone and stops the ones there; ECS keeps the
    existing load balancer configuration and changes how new deployments are handled (the
    note of https://docs.aws.amazon.com/AmazonECS/latest/developerguide/update-bluegreen-to-rolling.html,
    read in its Chinese edition: "保持现有的负载均衡器配置,但更改新部署的处理方式").
    On a network load balancer the same move was already breaking ("may stop forwarding by
    weight"); here diff said the rule's removal was safe. A test listener's rule, removed too,
    carries no production traffic."""
    running = {
        "DesiredCount": "2",
        "DeploymentStrategy": strategy,
        "CertificateArn": CERTIFICATE,
        "TestListenerPort": "8443",
    }
    back_to_rolling = {"DeploymentStrategy": "ROLLING", "TestListenerPort": "0"}
    findings = diff_stacks(shipped(__version__), shipped(__version__), running, back_to_rolling)
    (back,) = [f for f in findings if "weight" in f.change]
    assert back.subject == "resource ProductionListenerRule" and back.severity == BREAKING
    assert back.change.startswith("removed while it forwards by weight")
    assert "until CloudFormation deletes it" in back.change
    # The other moves keep the rule, or have none.
    for old, new in ((strategy, "CANARY"), ("ROLLING", strategy)):
        findings = diff_stacks(
            shipped(__version__),
            shipped(__version__),
            {**running, "DeploymentStrategy": old, "TestListenerPort": "0"},
            {"DeploymentStrategy": new},
        )
        assert not [f for f in findings if "weight" in f.change]
    # A network load balancer's production listener stays, and is told once.
    network = {**running, "LoadBalancerType": "network", "TestListenerPort": "0"}
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), network, {"DeploymentStrategy": "ROLLING"}
    )
    (back,) = [f for f in findings if "weight" in f.change]
    assert back.subject == "resource HttpsListener"
    assert back.change.startswith("may stop forwarding by weight")


def weighted_forward() -> dict[str, Any]:
    """A listener rule's forward action by weight, all to target group a (a new one each call:
    the tests change theirs)."""
    return {
        "Type": "forward",
        "ForwardConfig": {
            "TargetGroups": [
                {"TargetGroupArn": "a", "Weight": 100},
                {"TargetGroupArn": "b", "Weight": 0},
            ]
        },
    }


def test_a_weighted_rule_removed_with_its_service_is_no_finding():
    """A rule ECS shifted, removed together with the service (or never the production rule of
    one) leaves no traffic behind it: no weights finding."""
    forward = weighted_forward()
    rule = {
        "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
        "Properties": {"ListenerArn": "l", "Priority": 1, "Actions": [forward]},
    }
    service = {
        "Type": "AWS::ECS::Service",
        "Properties": {
            "LoadBalancers": [
                {
                    "TargetGroupArn": "a",
                    "AdvancedConfiguration": {"ProductionListenerRule": {"Ref": "Rule"}},
                }
            ]
        },
    }
    old = {"Resources": {"Rule": rule, "Service": service}}
    assert not [f for f in diff_template("t.yaml", old, {"Resources": {}}) if "weight" in f.change]
    kept = {"Resources": {"Service": copy.deepcopy(service)}}
    del kept["Resources"]["Service"]["Properties"]["LoadBalancers"][0]["AdvancedConfiguration"]
    (back,) = [f for f in diff_template("t.yaml", old, kept) if "weight" in f.change]
    assert back.subject == "resource Rule" and back.severity == BREAKING
    other = {"Resources": {"Rule": rule, "Service": kept["Resources"]["Service"]}}
    assert not [f for f in diff_template("t.yaml", other, kept) if "weight" in f.change]


@pytest.mark.parametrize("strategy", ["CANARY", "BLUE_GREEN"])
def test_a_certificate_given_to_a_network_load_balancer_moves_its_weights_to_a_new_listener(
    strategy,
):
    """On a network load balancer the production "rule" is the listener: a certificate given
    swaps HttpListener (port 80) for HttpsListener (443), which starts at the template's 100 /
    0 while the service may serve from AlternateTargetGroup. diff compared the weights of
    resources on both sides only, and said nothing of it (a review); an application load
    balancer's ProductionListenerRule, moved to the new listener, already "resets the
    weights"."""
    running = {"DesiredCount": "2", "DeploymentStrategy": strategy, "LoadBalancerType": "network"}
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), running, {"CertificateArn": CERTIFICATE}
    )
    (moved,) = [f for f in findings if "weight" in f.change]
    assert moved.subject == "resource HttpsListener" and moved.severity == BREAKING
    assert moved.change.startswith("takes over from HttpListener forwarding by weight")
    rolling = {**running, "DeploymentStrategy": "ROLLING"}
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), rolling, {"CertificateArn": CERTIFICATE}
    )
    assert not [f for f in findings if "weight" in f.change]


@pytest.mark.parametrize("given", [True, False])
def test_a_rule_moved_to_another_listener_is_replaced_and_the_service_follows_it(given):
    """A certificate given (or taken away) moves an application load balancer's
    ProductionListenerRule from HttpListener to HttpsListener (or back). ``ListenerArn`` is
    create-only ("Update requires: Replacement", AWS::ElasticLoadBalancingV2::ListenerRule,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listenerrule.html),
    and two listeners never have one ARN: the rule is replaced for certain. diff said "may
    replace" (two Refs, either of which could be anything), so it did not follow the new rule's
    ARN into the Service (its blue/green ProductionListenerRule): the deployment the update
    starts went unsaid."""
    running = {"DesiredCount": "2", "DeploymentStrategy": "CANARY"}
    before, after = (
        (running, {"CertificateArn": CERTIFICATE})
        if given
        else (
            {**running, "CertificateArn": CERTIFICATE},
            {"CertificateArn": ""},
        )
    )
    findings = diff_stacks(shipped(__version__), shipped(__version__), before, after)
    changes = {f.subject: f.change for f in findings if "ListenerArn" in f.change}
    assert changes == {
        "resource ProductionListenerRule": "ListenerArn replaces "
        "(AWS::ElasticLoadBalancingV2::ListenerRule)"
    }
    (service,) = [f for f in findings if f.subject == "resource Service"]
    assert service.change == (
        "updated in place: it refers to ProductionListenerRule, which is replaced; the service "
        "starts a deployment: new tasks take over from the running ones"
    )


def test_a_create_only_attribute_of_another_resource_may_still_be_the_same():
    """Two subnets' ``Fn::GetAtt ... VpcId`` are one VPC: a create-only property that moves
    from one to the other may keep its value, unlike a ``Ref`` of another resource."""
    subnets = {
        name: {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-1", "CidrBlock": cidr}}
        for name, cidr in (("A", "10.0.0.0/24"), ("B", "10.0.1.0/24"))
    }

    def group(vpc: object) -> dict[str, object]:
        return {
            "Resources": {
                **subnets,
                "Group": {
                    "Type": "AWS::EC2::SecurityGroup",
                    "Properties": {"GroupDescription": "g", "VpcId": vpc},
                },
            }
        }

    (attribute,) = diff_template(
        "t.yaml", group({"Fn::GetAtt": ["A", "VpcId"]}), group({"Fn::GetAtt": ["B", "VpcId"]})
    )
    assert attribute.change == "VpcId may replace (AWS::EC2::SecurityGroup)"
    (ref,) = diff_template("t.yaml", group({"Ref": "A"}), group({"Ref": "B"}))
    assert ref.change == "VpcId replaces (AWS::EC2::SecurityGroup)"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # A branch the condition may not take (a review: "replaces" for a stack whose
        # condition keeps the other branch, where --set showed no difference).
        (
            {"Fn::If": ["C", {"Ref": "A"}, {"Ref": "X"}]},
            {"Fn::If": ["C", {"Ref": "B"}, {"Ref": "X"}]},
        ),
        (
            {"Fn::Select": [0, [{"Ref": "X"}, {"Ref": "A"}]]},
            {"Fn::Select": [0, [{"Ref": "X"}, {"Ref": "B"}]]},
        ),
        # Two record sets' Ref is each its record's name: an A and an AAAA record share it
        # ("Ref returns the domain name of the record", AWS::Route53::RecordSet, Return
        # values, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordset.html).
        ({"Ref": "RecordA"}, {"Ref": "RecordB"}),
        # Resources of two types may share a Ref: a secret's ARN is its target attachment's.
        ({"Ref": "A"}, {"Ref": "RecordA"}),
    ],
    ids=["if", "select", "record-sets", "two-types"],
)
def test_a_ref_of_another_resource_replaces_only_where_it_certainly_differs(before, after):
    resources = {
        "A": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24"},
        },
        "B": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"},
        },
        "X": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"},
        },
        **{
            name: {
                "Type": "AWS::Route53::RecordSet",
                "Properties": {"Name": "a.example.com", "Type": kind, "HostedZoneId": "Z1"},
            }
            for name, kind in (("RecordA", "A"), ("RecordB", "AAAA"))
        },
    }

    def group(vpc: object) -> dict[str, object]:
        resource = {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {"GroupDescription": "g", "VpcId": vpc},
        }
        return {
            "Conditions": {"C": {"Fn::Equals": ["a", "b"]}},
            "Resources": {**resources, "Group": resource},
        }

    (finding,) = diff_template("t.yaml", group(before), group(after))
    assert finding.change == "VpcId may replace (AWS::EC2::SecurityGroup)"


def test_a_template_diff_says_a_weighted_rule_may_reset_when_a_condition_decides():
    rule = {
        "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
        "Properties": {
            "Priority": 10,
            "Actions": [weighted_forward()],
        },
    }
    old = {"Resources": {"Rule": rule}}
    new = copy.deepcopy(old)
    new["Resources"]["Rule"]["Properties"]["Priority"] = 20
    (reset,) = [f for f in diff_template("t.yaml", old, new) if "weights" in f.change]
    assert reset.change.startswith("resets the weights")
    old["Resources"]["Rule"]["Condition"] = new["Resources"]["Rule"]["Condition"] = "Shifts"
    (reset,) = [f for f in diff_template("t.yaml", old, new) if "weights" in f.change]
    assert reset.change.startswith("may reset the weights")
    single = copy.deepcopy(old)
    single["Resources"]["Rule"]["Properties"]["Actions"] = [
        {"Type": "forward", "TargetGroupArn": "a"}
    ]
    moved = copy.deepcopy(single)
    moved["Resources"]["Rule"]["Properties"]["Priority"] = 20
    assert not [f for f in diff_template("t.yaml", single, moved) if "weights" in f.change]
    # The move back to ROLLING (the README's advice before such a change) is not told to move
    # back to ROLLING first: it is told what it risks.
    (back,) = [f for f in diff_template("t.yaml", old, single) if "weight" in f.change]
    assert back.severity == BREAKING
    assert back.change.startswith("may stop forwarding by weight")
    assert "Move the service to ROLLING" not in back.change
    # A change only inside a function may reset them, not certainly.
    inside = copy.deepcopy(old)
    del inside["Resources"]["Rule"]["Condition"]
    changed = copy.deepcopy(inside)
    inside["Resources"]["Rule"]["Properties"]["Priority"] = {"Ref": "Priority"}
    changed["Resources"]["Rule"]["Properties"]["Priority"] = {"Ref": "OtherPriority"}
    (maybe,) = [f for f in diff_template("t.yaml", inside, changed) if "weights" in f.change]
    assert maybe.change.startswith("may reset the weights")


def test_a_weighted_rule_after_another_action_or_maybe_replaced_with_its_listener_resets():
    """A rule that authenticates, then forwards by weight, forwards by weight all the same; one
    unchanged whose listener may be replaced may be replaced with it, and its weights reset."""
    forward = weighted_forward()
    rule = {
        "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
        "Properties": {
            "Priority": 10,
            "ListenerArn": {"Ref": "Listener"},
            "Actions": [{"Type": "authenticate-oidc", "Order": 1}, forward],
        },
    }
    listener = {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {"LoadBalancerArn": "arn:lb", "Port": 80, "Protocol": "HTTP"},
    }
    old = {"Resources": {"Rule": rule, "Listener": listener}}

    def reset(new: dict[str, Any]) -> str:
        (finding,) = [f for f in diff_template("t.yaml", old, new) if "weights" in f.change]
        assert (finding.subject, finding.severity) == ("resource Rule", BREAKING)
        return finding.change

    moved = copy.deepcopy(old)
    moved["Resources"]["Rule"]["Properties"]["Priority"] = 20
    assert reset(moved).startswith("resets the weights ECS set in the last canary")
    maybe = copy.deepcopy(old)
    maybe["Resources"]["Listener"]["Properties"]["LoadBalancerArn"] = {"Ref": "Balancer"}
    assert reset(maybe).startswith("may reset the weights ECS set in the last canary")
    # Unchanged, it forwards to a target group replaced: the update gives it the new one's ARN.
    forward["ForwardConfig"]["TargetGroups"][0]["TargetGroupArn"] = {"Ref": "Blue"}
    old["Resources"]["Blue"] = {
        "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
        "Properties": {"Port": 80, "Protocol": "HTTP", "VpcId": "vpc-1"},
    }
    replaced = copy.deepcopy(old)
    replaced["Resources"]["Blue"]["Properties"]["Port"] = 8080
    assert reset(replaced).startswith("resets the weights ECS set in the last canary")
    # Given another target group, one that stays: it certainly forwards elsewhere. With its
    # target groups the only key of ForwardConfig too: a mapping of one key that holds a
    # function was read as a function itself, and this said "may reset".
    old["Resources"]["Green"] = old["Resources"]["Blue"]
    for stickiness in (None, {"Enabled": False}):
        if stickiness:
            forward["ForwardConfig"]["TargetGroupStickinessConfig"] = stickiness
        other = copy.deepcopy(old)
        other["Resources"]["Rule"]["Properties"]["Actions"][1]["ForwardConfig"]["TargetGroups"][0][
            "TargetGroupArn"
        ] = {"Ref": "Green"}
        assert reset(other).startswith("resets the weights ECS set in the last canary")


def test_a_production_rule_named_under_a_condition_is_still_one_when_removed():
    """A service's production rule given under an Fn::If (around its AdvancedConfiguration, or
    the whole load balancer entry) is its production rule in that branch: removed on the move
    back to ROLLING, it may hold the traffic on the other target group."""
    forward = weighted_forward()
    rule = {
        "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
        "Properties": {"Priority": 10, "ListenerArn": "arn:l", "Actions": [forward]},
    }
    advanced = {"ProductionListenerRule": {"Ref": "Rule"}, "AlternateTargetGroupArn": "b"}
    entry = {"TargetGroupArn": "a", "ContainerName": "c", "ContainerPort": 80}
    shifting = {**entry, "AdvancedConfiguration": {"Fn::If": ["Shifts", advanced, "x"]}}
    rolling = {"Resources": {"Service": {"Type": "AWS::ECS::Service", "Properties": {}}}}
    rolling["Resources"]["Service"]["Properties"]["LoadBalancers"] = [entry]
    for balancers in (
        [shifting],
        [{"Fn::If": ["Shifts", {**entry, "AdvancedConfiguration": advanced}, entry]}],
    ):
        old = copy.deepcopy(rolling)
        old["Resources"]["Rule"] = rule
        old["Resources"]["Service"]["Properties"]["LoadBalancers"] = balancers
        findings = [f for f in diff_template("t.yaml", old, rolling) if "weight" in f.change]
        assert [(f.subject, f.severity) for f in findings] == [("resource Rule", BREAKING)]
        assert findings[0].change.startswith("removed while it forwards by weight: if the last")
    # One that forwards to a single target group holds no weights ECS set.
    single = copy.deepcopy(old)
    single["Resources"]["Rule"]["Properties"]["Actions"] = [
        {"Type": "forward", "TargetGroupArn": "a"}
    ]
    assert not [f for f in diff_template("t.yaml", single, rolling) if "weight" in f.change]


def internal_service(port: str) -> dict[str, Any]:
    """A service called through Service Connect at ``orders:<ContainerPort>``."""
    return {
        "Parameters": {"ContainerPort": {"Type": "Number", "Default": port}},
        "Resources": {
            "Service": {
                "Type": "AWS::ECS::Service",
                "Properties": {
                    "ServiceConnectConfiguration": {
                        "Enabled": True,
                        "Services": [
                            {
                                "PortName": "app",
                                "DiscoveryName": "orders",
                                "ClientAliases": [
                                    {"DnsName": "orders", "Port": {"Ref": "ContainerPort"}}
                                ],
                            }
                        ],
                    }
                },
            }
        },
        "Outputs": {
            "ServiceUrl": {
                "Value": {"Fn::Sub": ["http://${Name}:${ContainerPort}", {"Name": "orders"}]},
                "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-ServiceUrl"}},
            }
        },
    }


def test_an_endpoint_changed_under_a_condition_or_with_a_replaced_service_is_told_so():
    """Under an Fn::If, which branch a stack takes is its values': the endpoint may change. A
    service replaced is no endpoint moved: its update fails, as the replacement says."""

    def branched(dns: str) -> dict[str, Any]:
        template = internal_service("80")
        properties = template["Resources"]["Service"]["Properties"]
        one = copy.deepcopy(properties["ServiceConnectConfiguration"])
        one["Services"][0]["ClientAliases"][0]["DnsName"] = dns
        other = copy.deepcopy(one)
        other["Services"][0]["ClientAliases"][0]["DnsName"] = f"{dns}-b"
        properties["ServiceConnectConfiguration"] = {"Fn::If": ["One", one, other]}
        return template

    (endpoint,) = [
        f
        for f in diff_template("t.yaml", branched("orders"), branched("sales"))
        if "called" in f.change
    ]
    assert (endpoint.severity, endpoint.change[:60]) == (
        BREAKING,
        "the Service Connect endpoint it is called by may change: the",
    )
    old, new = internal_service("80"), internal_service("80")
    old["Resources"]["Service"]["Properties"]["ServiceName"] = "a"
    new["Resources"]["Service"]["Properties"]["ServiceName"] = "b"
    new["Resources"]["Service"]["Properties"]["ServiceConnectConfiguration"]["Services"][0][
        "DiscoveryName"
    ] = "sales"
    changes = sorted(f.change[:40] for f in diff_template("t.yaml", old, new))
    assert changes == [
        "ServiceName replaces (AWS::ECS::Service)",
        "the update fails: the new service is cre",
    ]
    # A default changed that the endpoint does not use moves nothing.
    old, new = internal_service("80"), internal_service("80")
    old["Parameters"]["Other"] = {"Type": "String", "Default": "a"}
    new["Parameters"]["Other"] = {"Type": "String", "Default": "b"}
    assert [f.subject for f in diff_template("t.yaml", old, new)] == ["parameter Other"]


def test_a_new_port_of_an_internal_service_breaks_its_callers_until_they_deploy():
    """ "Existing tasks can't resolve and connect to the new endpoint. Only new tasks ... that
    start running after this deployment can" (Amazon ECS Developer Guide, Service Connect
    components); the exported URL changes too. Both said "safe"."""
    old, new = {"s.yaml": internal_service("7000")}, {"s.yaml": internal_service("7001")}
    running = diff_stacks(old, old, changes={"ContainerPort": "7001"})
    for findings, how in ((diff(old, new), "may change"), (running, "changes")):
        found = {f.subject: f for f in findings if f.severity == BREAKING}
        assert found["resource Service"].change.startswith(
            f"the Service Connect endpoint it is called by {how}"
        )
        assert "deploy them again after this update" in found["resource Service"].change
        assert found["output ServiceUrl"].change.startswith(f"exported value {how}")
    same = {"s.yaml": internal_service("7000")}
    assert diff(old, same) == [] and diff_stacks(old, same) == []


def test_a_service_connect_endpoint_removed_breaks_its_callers():
    """Service Connect's services are "names and aliases (also known as endpoints) that are used
    by other Amazon ECS services to connect to this service" (ECS API Reference,
    ServiceConnectConfiguration). A public service's ``connect: true`` turned off, or an
    internal service made public, removes the endpoint its callers use: both said "safe" (a
    day-2 trial)."""
    routed = 'expose: public, routing: {path: "/api/*", priority: 10}'
    for before, after in (
        (f"{{port: 9000, {routed}, connect: true}}", f"{{port: 9000, {routed}}}"),
        ("{port: 9000, expose: internal}", f"{{port: 9000, {routed}}}"),
    ):
        old, new = _environment(before), _environment(after)
        for findings in (diff(old, new), diff_stacks(old, new, ROOT_VALUES, region="eu-west-1")):
            (removed,) = [
                f for f in findings if f.template == "service-api.yaml" and "endpoint" in f.change
            ]
            assert removed.subject == "resource Service" and removed.severity == BREAKING
            assert removed.change.startswith(
                "the Service Connect endpoint it is called by is removed"
            )
        # Turned on: nobody could call it before, nothing breaks.
        assert not [f for f in diff(new, old) if "Service Connect endpoint" in f.change]
    # Made public, its URL is the load balancer's: http://api:9000 changes for certain (it said
    # "may change": the new URL's host is an output of the environment's stack).
    for findings in (diff(old, new), diff_stacks(old, new, ROOT_VALUES, region="eu-west-1")):
        urls = {f.template: f.change for f in findings if f.subject.endswith("ServiceUrl")}
        assert urls["service-api.yaml"].startswith("exported value changes:")
        assert urls["root.yaml"].startswith("exported value changes (")


def test_changing_the_load_balancer_type_replaces_it_and_says_the_protected_one_stays():
    # Type is create-only ("Update requires: Replacement", AWS::ElasticLoadBalancingV2::
    # LoadBalancer). When CloudFormation cannot delete the old resource it "removes the old
    # resource from the stack and continues updating the stack" and ends UPDATE_COMPLETE
    # (CloudFormation User Guide, troubleshooting, "Resource removed from stack but not
    # deleted"): with deletion protection on, the old load balancer keeps running and billing.
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), changes={"LoadBalancerType": "network"}
    )
    (balancer,) = [
        f for f in findings if f.subject == "resource LoadBalancer" and "Type" in f.change
    ]
    assert balancer.template == "service.yaml" and balancer.severity == DESTRUCTIVE
    assert balancer.change.startswith("Type replaces")
    assert "has deletion protection on" in balancer.change
    assert "leaves it running and billing" in balancer.change
    assert "DeletionProtection=false first" in balancer.change
    protection_off = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        running={"DeletionProtection": "false"},
        changes={"LoadBalancerType": "network"},
    )
    (balancer,) = [
        f for f in protection_off if f.subject == "resource LoadBalancer" and "Type" in f.change
    ]
    assert "deletion protection" not in balancer.change


def test_a_template_diff_says_a_parameter_decides_the_protection():
    def edit(t):
        t["Resources"]["Balancer"] = {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {
                "Type": "network",
                "LoadBalancerAttributes": [
                    {"Key": "deletion_protection.enabled", "Value": {"Ref": "Mode"}}
                ],
            },
        }

    old = copy.deepcopy(BASE)
    edit(old)
    new = copy.deepcopy(old)
    new["Resources"]["Balancer"]["Properties"]["Type"] = "application"
    (finding,) = diff_template("t.yaml", old, new)
    assert "may have (a parameter decides) deletion protection on" in finding.change


def test_a_default_0_1_0_stack_upgrades_without_replacing_anything():
    """0.2.0 changes every subnet's AvailabilityZone expression and the ECR endpoints' names,
    so the template diff says "may replace"; for a stack that left AvailabilityZones empty in a
    commercial region both resolve to what 0.1.0 had, and the update replaces nothing."""
    findings = diff_stacks(shipped("0.1.0"), shipped("0.2.0"))
    assert [f for f in findings if f.severity != SAFE] == []
    assert "resource S3GatewayEndpoint: added (AWS::EC2::VPCEndpoint)" in [
        f"{f.subject}: {f.change}" for f in findings
    ]
    for region in ("us-gov-west-1", "eu-west-1"):
        running = {"NatGateways": "None", "VpcEndpoints": "true"}
        assert [
            f
            for f in diff_stacks(shipped("0.1.0"), shipped("0.2.0"), running, region=region)
            if f.severity != SAFE
        ] == []


def test_in_china_the_ecr_endpoints_get_their_right_names():
    running = {"NatGateways": "None", "VpcEndpoints": "true"}
    findings = diff_stacks(shipped("0.1.0"), shipped("0.2.0"), running, region="cn-north-1")
    replaced = sorted(f.subject for f in findings if "ServiceName replaces" in f.change)
    assert replaced == ["resource EcrApiEndpoint", "resource EcrDkrEndpoint"]


def test_what_only_may_be_replaced_makes_its_dependants_only_possibly_replaced():
    findings = diff(shipped("0.1.0"), shipped("0.2.0"))
    changes = {f.subject: f.change for f in findings if f.template == "network.yaml"}
    assert changes["resource PublicSubnet1"].startswith("AvailabilityZone may replace")
    assert changes["resource NatGateway1"] == (
        "may be replaced too: its SubnetId (no update changes it in place) refers to "
        "PublicSubnet1, which may be replaced"
    )


def test_pinning_zones_on_a_running_stack_is_reported_as_replacing_its_subnets():
    findings = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        changes={"AvailabilityZones": "us-east-1b,us-east-1a"},
    )
    # Whether the region's first zones are those pinned depends on the account: "may".
    subnets = {f"resource {tier}Subnet{az}" for tier in ("Public", "Private") for az in (1, 2)}
    assert {f.subject for f in findings if "AvailabilityZone may replace" in f.change} == subnets
    repinned = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        running={"AvailabilityZones": "us-east-1a,us-east-1b"},
        changes={"AvailabilityZones": "us-east-1b,us-east-1a"},
    )
    assert {f.subject for f in repinned if "AvailabilityZone replaces" in f.change} == subnets


def test_command_compares_running_stacks(capsys):
    assert cli.main(["diff", __version__, __version__, "--set", "LoadBalancerType=network"]) == 1
    out = capsys.readouterr().out
    assert "destructive  resource LoadBalancer: Type replaces" in out
    assert (
        cli.main(["diff", __version__, __version__, "--set", "CapacityProvider=FARGATE_SPOT"]) == 0
    )
    out = capsys.readouterr().out
    in_place = (
        "resource Service: CapacityProviderStrategy, ForceNewDeployment updated in place; the "
        "service starts a deployment: new tasks take over from the running ones"
    )
    assert f"  safe         {in_place}\n" in out
    assert "replace" not in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--set", "LoadBalancerType"], "'LoadBalancerType' is not KEY=VALUE"),
        (["--set", "Nope=1"], "no template declares the parameter(s) Nope"),
        (
            ["--parameters", "NatGateway=Single"],
            "no template declares the parameter(s) NatGateway (did you mean NatGateways?)",
        ),
        (
            ["--set", "LoadBalancerType=gateway"],
            "LoadBalancerType='gateway' is not one of the allowed",
        ),
    ],
)
def test_command_refuses_bad_parameter_values_in_one_line(arguments, message, capsys):
    assert cli.main(["diff", __version__, __version__, *arguments]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_certain_cause_makes_a_possible_replacement_certain():
    def edit(t):
        t["Resources"]["Vpc"]["Properties"]["CidrBlock"] = "10.1.0.0/16"  # certain
        t["Resources"]["Subnet"]["Properties"]["AvailabilityZone"] = {"Ref": "Mode"}  # may

    findings = {(f.subject, f.change) for f in changed(edit)}
    assert (
        "resource Subnet",
        "replaced too: its VpcId (no update changes it in place) refers to Vpc, which is replaced",
    ) in findings
    assert ("resource Subnet", "AvailabilityZone may replace (AWS::EC2::Subnet)") in findings


def test_what_refers_to_a_replaced_resource_is_updated_and_a_service_redeploys():
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), changes={"LoadBalancerType": "network"}
    )
    changes = {f.subject: f.change for f in findings if f.template == "service.yaml"}
    assert changes["resource Service"] == (
        "updated in place: it refers to TargetGroup, which is replaced; the service starts a "
        "deployment: new tasks take over from the running ones"
    )
    assert "LoadBalancerAttributes updated in place" not in str(findings)  # it is new anyway


# --- Nested stacks: what their parent passes, and what it does not ------------------------------


def _environment(api: str) -> dict[str, dict[str, Any]]:
    from troposphere_fargate.release.build import render_templates
    from troposphere_fargate.release.spec import parse_spec

    spec = (
        'services:\n  web: {expose: public, routing: {path: "/*", priority: 100}}\n'
        f"  api: {api}\n"
    )
    return {f"{n}.yaml": t for n, t in render_templates(parse_spec(spec)).items()}


ROOT_VALUES = {
    "WebContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1",
    "ApiContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1",
    "TemplateBucketName": "my-templates",
}


def test_values_a_template_rule_refuses_fail_the_running_stacks_diff():
    # A user trial: --set NatGateways=None VpcEndpoints=false was eight "destructive" findings,
    # and a CANARY strategy on a service of several rules "safe", though CloudFormation refuses
    # both before changing anything (the rules NoNatGatewaysRequireVpcEndpoints and
    # SeveralListenerRulesNeedRollingDeployments, which validate does check).
    network = {"network.yaml": shipped(__version__)["network.yaml"]}
    with pytest.raises(
        DiffError,
        match=r"^network\.yaml: CloudFormation would refuse these values: rule "
        r"NoNatGatewaysRequireVpcEndpoints: NatGateways is None",
    ):
        diff_stacks(network, network, changes={"NatGateways": "None", "VpcEndpoints": "false"})
    assert diff_stacks(network, network, changes={"NatGateways": "Single"}) != []  # allowed


def test_a_nested_stack_takes_its_templates_new_default_for_what_its_parent_does_not_pass():
    # The root passes a service stack its image and the environment's outputs, not its port:
    # the nested stack takes ContainerPort's default on every update, so a new default is a
    # new port, and the target group (Port: create-only) is replaced. The running-stack diff
    # kept the old value and found nothing but a "breaking" parameter default.
    old = _environment('{port: 9000, expose: public, routing: {path: "/api/*", priority: 10}}')
    new = _environment('{port: 9100, expose: public, routing: {path: "/api/*", priority: 10}}')
    assert nested_parameters(new)["service-api.yaml"] >= {"ContainerImage", "VpcId"}
    assert "ContainerPort" not in nested_parameters(new)["service-api.yaml"]
    replaced = Finding(
        "service-api.yaml",
        DESTRUCTIVE,
        "resource TargetGroup",
        "Port replaces (AWS::ElasticLoadBalancingV2::TargetGroup)",
    )
    # A nested template's parameters are no interface of the running stacks: the parent, in
    # the same update, passes what the new one takes.
    findings = diff_stacks(old, new, ROOT_VALUES, region="eu-west-1")
    assert replaced in findings
    assert not [f for f in findings if f.subject.startswith("parameter ")]
    # The template diff too (a user trial: it said "breaking parameter ContainerPort: default
    # ... stacks that relied on the old default" and "may replace"), for certain.
    findings = [f for f in diff(old, new) if f.template == "service-api.yaml"]
    assert replaced in findings
    assert not [f for f in findings if f.subject.startswith("parameter ")]
    assert not [f for f in findings if "may replace" in f.change]


def test_a_parameter_a_nested_template_drops_is_not_breaking_when_its_parent_drops_it_too():
    old = _environment('{port: 9000, expose: public, routing: {path: "/api/*", priority: 10}}')
    new = _environment("{port: 9000, expose: internal}")
    findings = diff_stacks(old, new, ROOT_VALUES, region="eu-west-1")
    assert not [f for f in findings if f.subject.startswith("parameter ")]
    assert any(f.subject == "resource TargetGroup" and f.severity == DESTRUCTIVE for f in findings)
    # The template diff too: service-api.yaml is built for the root, which passes what it takes.
    assert not [f for f in diff(old, new) if f.subject.startswith("parameter ")]


def test_a_value_for_what_the_root_does_not_pass_is_refused_in_a_folder_with_a_root():
    # Expose is a parameter of service.yaml that the shipped root leaves at its default: a
    # value for it describes a service.yaml stack of its own, which a folder diff would have
    # compared as the root's nested stack, ignoring the value and finding nothing.
    shipped = load_side(__version__, REPO / "templates")
    with pytest.raises(DiffError) as refused:
        diff_stacks(shipped, shipped, {"Expose": "internal"}, {"Expose": "none"})
    assert str(refused.value) == (
        "Expose is a parameter of service.yaml, which the root nests without passing it: a "
        "nested stack takes its default. To compare a stack of service.yaml launched on its "
        "own, diff the two files (service.yaml of each side)"
    )
    # The two files alone: a stack of its own, compared with those values.
    alone = {"service.yaml": shipped["service.yaml"]}
    diff_stacks(alone, alone, {}, {"LoadBalancerType": "network"})


ROUTED = 'expose: public, routing: {path: "/api/*", priority: 10}'


@pytest.mark.parametrize(
    ("deployment", "expected"),
    [
        ("", None),
        (", deployment: {strategy: ROLLING}", None),
        (", deployment: {strategy: CANARY}", "resets the weights"),
        (", deployment: {strategy: BLUE_GREEN}", "resets the weights"),
    ],
)
def test_a_template_diff_of_an_environment_knows_the_strategy_its_root_never_passes(
    deployment, expected
):
    # The root of an environment passes a service stack its image and the environment's
    # outputs, never DeploymentStrategy: the nested stack always runs the template's default.
    # A routine routing edit of a ROLLING service was "breaking" (its rule "may reset the
    # weights" of a canary it can never run), which failed CI on every such edit.
    old = _environment(f"{{{ROUTED}{deployment}}}")
    new = _environment(f"{{{ROUTED.replace('/api/*', '/v2/*')}{deployment}}}")
    assert "DeploymentStrategy" not in nested_parameters(new)["service-api.yaml"]
    findings = [f for f in diff(old, new) if f.template == "service-api.yaml"]
    assert (
        Finding("service-api.yaml", SAFE, "resource ListenerRule", "Conditions updated in place")
        in findings
    )
    weights = [f for f in findings if "weights" in f.change]
    if expected is None:
        assert not weights
    else:
        (reset,) = weights
        assert reset.severity == BREAKING and reset.change.startswith(expected)
    # The same files compared on their own may be stacks launched with any strategy.
    alone = diff({"s.yaml": old["service-api.yaml"]}, {"s.yaml": new["service-api.yaml"]})
    (maybe,) = [f for f in alone if "weights" in f.change]
    assert maybe.change.startswith("may reset the weights")


@pytest.mark.parametrize("rule", ["ProductionListenerRule", "ListenerRule"])
def test_a_template_diff_of_the_shipped_templates_decides_nothing_in_them(rule):
    # The shipped root passes DeploymentStrategy through, and leaves the parameters that join
    # an environment empty; but service.yaml is launched on its own too, to join one (the
    # ListenerRule of PublicInEnvironment): a folder diff of the shipped versions, which the
    # release gate runs, must keep what such a stack may do.
    shipped = load_side(__version__, REPO / "templates")
    new = copy.deepcopy(shipped)
    new["service.yaml"]["Resources"][rule]["Properties"]["Priority"] = 7
    (maybe,) = [f for f in diff(shipped, new) if "weights" in f.change]
    assert maybe.template == "service.yaml" and maybe.change.startswith("may reset the weights")
    assert (f"resource {rule}", "Priority updated in place") in [
        (f.subject, f.change) for f in diff(shipped, new)
    ]


def test_a_template_diff_decides_a_nested_resources_condition_only_where_both_sides_know_it():
    def side(condition: dict[str, Any], passed: dict[str, Any]) -> dict[str, dict[str, Any]]:
        child = {
            "Parameters": {
                "Mode": {"Type": "String", "Default": "a"},
                "Other": {"Type": "String", "Default": "x"},
            },
            "Conditions": {"On": condition},
            "Resources": {
                "Bucket": {"Type": "AWS::S3::Bucket", "Condition": "On"},
                "Queue": {
                    "Type": "AWS::SQS::Queue",
                    "Properties": {"DelaySeconds": {"Fn::If": ["On", 5, {"Ref": "AWS::NoValue"}]}},
                },
            },
        }
        root = {
            "Resources": {
                "Child": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": "https://b/child.yaml", "Parameters": passed},
                }
            }
        }
        return {"root.yaml": root, "child.yaml": child}

    mode_is_b = {"Fn::Equals": [{"Ref": "Mode"}, "b"]}
    other_is_y = {"Fn::Equals": [{"Ref": "Other"}, "y"]}
    # Mode is never passed: On is false on both sides, so no bucket and no delay either side;
    # the condition's new definition changes nothing.
    findings = diff(side(mode_is_b, {}), side({"Fn::And": [mode_is_b, other_is_y]}, {"Other": "y"}))
    assert [f for f in findings if f.template == "child.yaml"] == []
    # The parent passes Mode now: On is decided before, not after. The delay may be set; the
    # bucket keeps its condition on both sides (it was not created, and may be): neither
    # "added" nor "removed", which would be certain.
    findings = diff(side(mode_is_b, {}), side(mode_is_b, {"Mode": "b"}))
    assert (
        Finding("child.yaml", SAFE, "resource Queue", "DelaySeconds updated in place") in findings
    )
    assert not [f for f in findings if f.subject == "resource Bucket"]
    # A delay of 6 where On is false changes nothing in the root's stack; in a stack of the
    # template launched on its own, Mode may be b.
    six = side(mode_is_b, {})
    six["child.yaml"]["Resources"]["Queue"]["Properties"]["DelaySeconds"]["Fn::If"][1] = 6
    assert [f for f in diff(side(mode_is_b, {}), six) if f.template == "child.yaml"] == []
    alone = diff({"c.yaml": side(mode_is_b, {})["child.yaml"]}, {"c.yaml": six["child.yaml"]})
    assert alone == [Finding("c.yaml", SAFE, "resource Queue", "DelaySeconds updated in place")]


def test_a_nested_template_is_known_by_its_whole_file_name():
    # A service named "network" is service-network.yaml, not network.yaml.
    side = _environment("{expose: none}")
    named = {
        name.replace("service-api", "service-network"): template
        for name, template in _environment("{expose: none}").items()
    }
    root = json.loads(
        json.dumps(named["root.yaml"]).replace("service-api.yaml", "service-network.yaml")
    )
    named["root.yaml"] = root
    passed = nested_parameters(named)
    assert passed["network.yaml"] == nested_parameters(side)["network.yaml"]
    assert "ContainerImage" not in passed["network.yaml"]
    assert "ContainerImage" in passed["service-network.yaml"]


def test_a_new_parameter_a_parent_passes_is_safe_in_a_template_diff():
    # A first public service gives the environment its load balancer, and PublicSubnetIds,
    # which the new root passes from the network stack: nothing for the user to supply.
    private = _environment_of("services:\n  api: {expose: internal}\n  jobs: {expose: none}\n")
    public = _environment_of(
        "services:\n  api: {expose: internal}\n  jobs: {expose: none}\n"
        '  web: {expose: public, routing: {path: "/*", priority: 1}}\n'
    )
    findings = diff(private, public)
    assert (
        Finding(
            "environment.yaml",
            SAFE,
            "parameter PublicSubnetIds",
            "added without a default; its parent passes it",
        )
        in findings
    )


def _environment_of(spec: str) -> dict[str, dict[str, Any]]:
    from troposphere_fargate.release.build import render_templates
    from troposphere_fargate.release.spec import parse_spec

    return {f"{n}.yaml": t for n, t in render_templates(parse_spec(spec)).items()}


# --- Certain or possible --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "certain"),
    [
        ("a", "b", True),
        ({"Ref": "A"}, {"Ref": "B"}, False),
        ({"Ref": "A"}, "a", False),
        (
            [{"Image": {"Ref": "Image"}, "Cpu": 256}],
            [{"Image": {"Ref": "Image"}, "Cpu": 512}],
            True,
        ),
        ({"Key": "a", "Extra": {"Ref": "AWS::NoValue"}}, {"Key": "a"}, False),
        ({"Key": "a", "Extra": "b"}, {"Key": "a"}, True),
        (["a", "b"], ["a"], True),
        (["a", {"Fn::If": ["C", "b", {"Ref": "AWS::NoValue"}]}], ["a"], False),
        # A reference to a resource or a parameter is always something: one more is certain.
        ([{"Ref": "SubnetA"}], [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}], True),
        ({"Key": "a"}, {"Key": "a", "Extra": {"Ref": "Extra"}}, True),
        ({"Fn::If": ["C", "a", "b"]}, {"Fn::If": ["C", "a", "c"]}, False),
        # A text's known ends (a day-2 trial: an internal service's URL made public said "may
        # change"): http://api:9000 can never end in /api/, whatever the variable is.
        ("http://api:9000", {"Fn::Sub": "${Url}/api/"}, True),
        ({"Fn::Sub": "arn:aws:s3:::${B}"}, {"Fn::Sub": "arn:aws:sqs:${B}"}, True),
        ({"Fn::Sub": ["http://${Name}:${Port}", {"Name": "api"}]}, "http://web:80", True),
        ({"Fn::Sub": "http://${Host}/"}, "http://api/", False),
        ({"Fn::Sub": "a${X}b"}, {"Fn::Sub": "a${Y}b"}, False),
        ({"Fn::Sub": "${X}"}, "anything", False),
        ({"Fn::Sub": "<Url, maybe new>/api/"}, "<Url>/api/", False),
        ({"Fn::Sub": "<Url, maybe new>/api/"}, "http://api:9000", True),
        ({"Fn::Sub": "${!Literal}"}, "${Literal}", False),
        # A placeholder stands for a value known once deployed, in a string too (a review).
        ("<EnvironmentUrl>", {"Fn::Sub": "http://${Balancer.DNSName}"}, False),
        ("<Url>/api/", {"Fn::Sub": "http://${X}/api/"}, False),
        ("<Url>", "<Url, new>", True),
        (
            {"Fn::Sub": "<Url>/api/${AWS::Region}"},
            {"Fn::Sub": "<Url, new>/api/${AWS::Region}"},
            True,
        ),
        # A text, a list and a map are never one another, whatever a map's keys may become.
        ("a", {"Key": "a"}, True),
        ({"A": {"Ref": "AWS::NoValue"}, "B": {"Ref": "AWS::NoValue"}}, [], True),
    ],
    ids=[
        "literals",
        "refs",
        "ref-and-literal",
        "a-literal-beside-a-ref",
        "a-key-a-function-may-remove",
        "a-literal-key-removed",
        "a-list-shorter",
        "a-list-an-if-may-shorten",
        "one-more-reference",
        "a-key-with-a-reference-added",
        "two-ifs",
        "a-text-that-cannot-end-so",
        "a-text-that-cannot-start-so",
        "a-sub-s-literal-variable-filled-in",
        "a-text-that-may-be-the-sub",
        "two-subs-of-the-same-ends",
        "a-sub-of-a-variable-alone",
        "a-placeholder-that-may-be-new",
        "a-placeholder-that-may-be-new-but-not-that",
        "an-escaped-variable",
        "a-placeholder-against-a-sub",
        "a-placeholder-beside-text-against-a-sub",
        "a-placeholder-and-its-new-value",
        "a-placeholder-and-its-new-value-in-a-sub",
        "a-text-and-a-map",
        "a-map-that-may-be-empty-and-a-list",
    ],
)
def test_a_change_is_certain_only_where_it_is_outside_every_function(before, after, certain):
    """A task definition that refers to its log group changed its command for certain: the
    difference is in a literal, whatever the reference resolves to."""
    from troposphere_fargate.cfn.diff import _certainly_differs

    assert _certainly_differs(before, after) is certain
    template = copy.deepcopy(BASE)
    template["Resources"]["Task"] = {
        "Type": "AWS::ECS::TaskDefinition",
        "Properties": {"ContainerDefinitions": before},
    }
    renewed = copy.deepcopy(template)
    renewed["Resources"]["Task"]["Properties"]["ContainerDefinitions"] = after
    how = "replaces" if certain else "may replace"
    assert Finding(
        "t.yaml", SAFE, "resource Task", f"ContainerDefinitions {how} (AWS::ECS::TaskDefinition)"
    ) in diff_template("t.yaml", template, renewed)


# --- Running stacks: one nested stack's outputs change another --------------------------------

NEW_ADDRESSES = {
    "VpcCidr": "10.1.0.0/16",
    "PublicSubnet1Cidr": "10.1.0.0/22",
    "PublicSubnet2Cidr": "10.1.4.0/22",
    "PublicSubnet3Cidr": "10.1.8.0/22",
    "PrivateSubnet1Cidr": "10.1.32.0/19",
    "PrivateSubnet2Cidr": "10.1.64.0/19",
    "PrivateSubnet3Cidr": "10.1.96.0/19",
}
ROOT_RUNNING = {
    "TemplateBucketName": "my-templates",
    "ContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1",
}


def test_a_new_vpc_under_a_running_service_is_followed_into_the_service_stack():
    """The root passes the network stack's VpcId and subnets to the service stack
    (``Fn::GetAtt NetworkStack.Outputs.VpcId``). A new VPC CIDR replaces the VPC, so the
    service stack gets a new VpcId: its target group and security groups are replaced, and its
    load balancer cannot follow (a load balancer cannot change VPC: its subnets and security
    groups must be in its own; hashicorp/terraform-provider-aws#1023). The diff compared the
    text ``Fn::GetAtt ...``, unchanged, and said nothing about the service stack."""
    findings = diff_stacks(
        shipped(__version__), shipped(__version__), ROOT_RUNNING, NEW_ADDRESSES, "eu-west-1"
    )
    service = {(f.severity, f.subject, f.change) for f in findings if f.template == "service.yaml"}
    for replaced in ("TargetGroup", "TaskSecurityGroup", "LoadBalancerSecurityGroup"):
        assert any(
            s == DESTRUCTIVE and subject == f"resource {replaced}" and "VpcId replaces" in c
            for s, subject, c in service
        ), replaced
    assert any(
        s == BREAKING
        and subject == "resource LoadBalancer"
        and c.startswith("the update fails: a load balancer cannot move to another VPC")
        for s, subject, c in service
    )
    assert (
        SAFE,
        "parameter VpcId",
        "gets a new value from NetworkStack: output VpcId of network.yaml changes "
        "(Vpc is replaced)",
    ) in service
    # The root's own exports of those values change too: another stack importing them blocks
    # the update ("You can't modify or remove an output value that is referenced by another
    # stack", Fn::ImportValue, CloudFormation User Guide).
    root = {f.subject: f for f in findings if f.template == "root.yaml"}
    assert root["output VpcId"].severity == BREAKING
    assert root["output VpcId"].change.startswith(
        "exported value changes (NetworkStack's VpcId: Vpc is replaced)"
    )
    assert root["output TaskSecurityGroupId"].severity == BREAKING


def test_a_value_that_only_the_stack_knows_is_not_followed_when_nothing_replaces_it():
    findings = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        ROOT_RUNNING,
        {"NatGateways": "Single"},
        "eu-west-1",
    )
    assert not [f for f in findings if f.template == "service.yaml"]
    assert not [f for f in findings if f.severity == BREAKING]


def test_an_exported_output_of_a_replaced_resource_breaks_importers():
    """The exported value is the same text (``Ref Vpc``) but a new VPC's ID."""

    def edit(t):
        t["Resources"]["Vpc"]["Properties"]["CidrBlock"] = "10.1.0.0/16"

    finding = next(f for f in changed(edit) if f.subject == "output VpcId")
    assert finding.severity == BREAKING
    assert finding.change == (
        "exported value changes (Vpc is replaced): CloudFormation refuses the update while "
        "another stack imports it"
    )
    assert not [f for f in changed(edit) if f.subject == "output Plain"]  # not exported


def test_without_values_the_templates_diff_follows_nested_outputs_too():
    """``diff OLD NEW`` without ``--parameters`` compares the templates as they are, and follows
    the network stack's outputs into the service stack as running stacks are followed: a VPC
    under a new logical ID is a new VPC, so the service's VpcId is new (its output names
    another resource). Before, only the network's own findings were listed."""
    old = shipped(__version__)
    new = copy.deepcopy(old)
    text = json.dumps(new["network.yaml"])
    for was, now in (('"Ref": "Vpc"}', '"Ref": "MainVpc"}'), ('["Vpc", ', '["MainVpc", ')):
        assert was in text
        text = text.replace(was, now)
    network = json.loads(text)
    network["Resources"]["MainVpc"] = network["Resources"].pop("Vpc")
    new["network.yaml"] = network
    findings = diff(old, new)
    service = {f.subject: f for f in findings if f.template == "service.yaml"}
    assert service["parameter VpcId"].change == (
        "gets a new value from NetworkStack: output VpcId of network.yaml changes (it names "
        "MainVpc instead of Vpc)"
    )
    for replaced in ("TargetGroup", "TaskSecurityGroup", "LoadBalancerSecurityGroup"):
        assert service[f"resource {replaced}"].change.startswith("VpcId replaces"), replaced
    assert any(
        f.subject == "resource LoadBalancer"
        and f.change.startswith("the update fails: a load balancer cannot move to another VPC")
        for f in findings
    )
    root = {f.subject: f for f in findings if f.template == "root.yaml"}
    assert root["output VpcId"].change.startswith(
        "exported value changes (NetworkStack's VpcId: it names MainVpc instead of Vpc)"
    )
    # Nothing changed, nothing followed: the placeholders are the same on both sides.
    assert diff(old, shipped(__version__)) == []


def test_an_exported_value_that_differs_only_inside_a_function_may_change():
    """A subnet list joined from one subnet fewer differs inside ``Fn::Join`` and ``Fn::If``: a
    stack running with the zones the new template keeps exports the same list. It said
    "changes", while the root that re-exports it said "may change"."""

    def edit(t):
        t["Outputs"]["VpcId"]["Value"] = {"Fn::If": ["Other", {"Ref": "Vpc"}, "vpc-1"]}

    finding = only(changed(edit))
    assert finding.severity == BREAKING
    assert finding.change == (
        "exported value may change (it differs inside a function): CloudFormation refuses the "
        "update while another stack imports it"
    )


# --- Updates CloudFormation starts and the service refuses ----------------------------------


def _subnet_moved(cidr: str) -> list[Finding]:
    old = copy.deepcopy(BASE)
    old["Resources"]["Subnet"]["Properties"]["AvailabilityZone"] = "eu-west-1a"
    new = copy.deepcopy(old)
    new["Resources"]["Subnet"]["Properties"]["AvailabilityZone"] = "eu-west-1b"
    new["Resources"]["Subnet"]["Properties"]["CidrBlock"] = cidr
    return [f for f in diff_template("t.yaml", old, new) if f.severity == BREAKING]


def test_a_subnet_moved_to_another_zone_with_its_cidr_block_fails_the_update():
    """CloudFormation creates the replacement subnet before deleting the old one, and EC2
    refuses a second subnet with the same block: "CIDR Block must change if Availability Zone
    is changed and VPC ID is not changed" (docker-archive/for-aws#17,
    buildkite/elastic-ci-stack-for-aws#319)."""
    finding = only(_subnet_moved("10.0.0.0/24"))
    assert finding.subject == "resource Subnet"
    assert finding.change.startswith("the update fails: CloudFormation creates the new subnet")
    assert _subnet_moved("10.0.1.0/24") == []  # a new block with the zone: it works
    # A zone a parameter gives may be another: the update fails if it is.
    before = copy.deepcopy(BASE)
    before["Resources"]["Subnet"]["Properties"]["AvailabilityZone"] = "eu-west-1a"
    after = copy.deepcopy(before)
    after["Resources"]["Subnet"]["Properties"]["AvailabilityZone"] = {"Ref": "Zone"}
    maybe = only([f for f in diff_template("t.yaml", before, after) if f.severity == BREAKING])
    assert maybe.change.startswith(
        "the update fails if the zone changes: CloudFormation creates the new subnet"
    )
    # A block a function gives, unchanged in the text, is the same block only if what it reads
    # (a parameter's value, the VPC's block) is: the templates alone do not say the update
    # fails. Against a running stack its value is known (the test below).
    block = {"Fn::Select": [0, {"Fn::Cidr": [{"Ref": "VpcCidr"}, 4, 8]}]}
    before["Resources"]["Subnet"]["Properties"]["CidrBlock"] = block
    moved = copy.deepcopy(before)
    moved["Resources"]["Subnet"]["Properties"]["AvailabilityZone"] = "eu-west-1b"
    assert "resource Subnet" not in _fails(diff_template("t.yaml", before, moved))


def test_a_running_network_moved_to_other_zones_keeps_its_blocks_and_fails():
    findings = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        {"AvailabilityZones": "eu-west-1a,eu-west-1b"},
        {"AvailabilityZones": "eu-west-1b,eu-west-1c"},
        "eu-west-1",
    )
    failing = {f.subject for f in findings if f.change.startswith("the update fails")}
    subnets = {f"resource {tier}Subnet{az}" for tier in ("Public", "Private") for az in (1, 2)}
    # The NAT gateways move with their public subnets, each keeping its Elastic IP address.
    assert failing == subnets | {"resource NatGateway1", "resource NatGateway2"}


def _fails(findings: list[Finding]) -> dict[str, str]:
    return {f.subject: f.change for f in findings if f.change.startswith("the update fails")}


def test_a_resource_whose_type_changes_fails_the_update():
    """CloudFormation refuses an update that changes the type under a logical ID: "Update of
    resource type is not permitted. The new template modifies resource type of the following
    resources: [IncomingEmailLambdaDLQ]" (aws/aws-sam-cli#6786, AWS::SNS::Topic ->
    AWS::SQS::Queue; also panther-labs/panther#1895, aws-quickstart/quickstart-amazon-eks#361);
    of a custom resource, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cfn-customresource.html:
    "You cannot change the type during an update". diff said "replaced", and safe between two
    stateless types (a launch configuration turned launch template in
    aws-cloudformation-templates' ECS cluster)."""

    def edit(t):
        t["Resources"]["Route"]["Type"] = "AWS::EC2::TransitGatewayRoute"

    finding = only(changed(edit))
    assert finding.severity == BREAKING
    assert finding.change.startswith(
        "the update fails: type AWS::EC2::Route -> AWS::EC2::TransitGatewayRoute"
    )
    assert "another logical ID" in finding.change


def test_what_follows_a_resource_whose_type_changes_is_told_as_certain():
    """The way around a new type is another logical ID: a new resource, for certain. What
    takes its ID in a create-only property is replaced with it, and an export of it changes."""

    def edit(t):
        t["Resources"]["Vpc"]["Type"] = "AWS::EC2::TransitGateway"

    findings = {f.subject: f for f in changed(edit)}
    assert findings["resource Vpc"].change.startswith("the update fails: type AWS::EC2::VPC")
    assert (findings["resource Subnet"].severity, findings["resource Subnet"].change) == (
        DESTRUCTIVE,
        "replaced too: its VpcId (no update changes it in place) refers to Vpc, which is replaced",
    )
    assert findings["output VpcId"].change.startswith("exported value changes (Vpc is replaced)")


def _custom(token: Any) -> dict[str, Any]:
    return {
        "Resources": {
            "Handler": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Code": {"ZipFile": "x"}, "Role": "arn", "Runtime": "python3.12"},
            },
            "Other": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Code": {"ZipFile": "x"}, "Role": "arn", "Runtime": "python3.12"},
            },
            "Tagging": {"Type": "Custom::Tagging", "Properties": {"ServiceToken": token}},
        }
    }


def test_a_custom_resource_given_another_service_token_fails_the_update():
    """https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cfn-customresource.html,
    ServiceToken: "Updates are not supported"; CloudFormation fails the update with "Modifying
    service token is not allowed" (aws/aws-cdk#30261, whose way around is another logical ID;
    aws-solutions/aws-waf-security-automations#114). diff said "ServiceToken may replace" or
    "replaced too", safe (aws-cloudformation-templates' SapPrivateLinkNoHostedZone.yaml, whose
    function was replaced)."""
    token = {"Fn::GetAtt": ["Handler", "Arn"]}
    literal = diff_template("t.yaml", _custom("arn:aws:lambda:a"), _custom("arn:aws:lambda:b"))
    assert _fails(literal)["resource Tagging"].startswith(
        "the update fails: CloudFormation does not replace a custom resource for a new "
        'ServiceToken ("Modifying service token is not allowed")'
    )
    # Another function's ARN is another token, as certainly as another literal is.
    moved = diff_template("t.yaml", _custom(token), _custom({"Fn::GetAtt": ["Other", "Arn"]}))
    assert _fails(moved) == _fails(literal)
    # A token that may stay the same (an attribute two functions may share) may fail.
    shared = diff_template(
        "t.yaml",
        _custom({"Fn::GetAtt": ["Handler", "SnapStartResponse.ApplyOn"]}),
        _custom({"Fn::GetAtt": ["Other", "SnapStartResponse.ApplyOn"]}),
    )
    assert _fails(shared)["resource Tagging"].startswith(
        "the update fails if its ServiceToken changes: CloudFormation does not replace a "
        'custom resource for a new ServiceToken ("Modifying service token is not allowed")'
    )
    # The function replaced (a new name): its ARN, the token, is new.
    new = _custom(token)
    new["Resources"]["Handler"]["Properties"]["FunctionName"] = "renamed"
    assert _fails(diff_template("t.yaml", _custom(token), new)) == {
        "resource Tagging": _fails(literal)["resource Tagging"]
    }
    # Updated in place, the function keeps its ARN: nothing fails.
    code = _custom(token)
    code["Resources"]["Handler"]["Properties"]["Code"] = {"ZipFile": "y"}
    assert _fails(diff_template("t.yaml", _custom(token), code)) == {}


def _target_group(name: Any, port: str) -> dict[str, Any]:
    return {
        "Parameters": {
            "Name": {"Type": "String", "Default": "web"},
            "Port": {"Type": "Number", "Default": "80"},
        },
        "Resources": {
            "TargetGroup": {
                "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
                "Properties": {"Name": name, "Port": port, "Protocol": "HTTP", "VpcId": "vpc-1"},
            }
        },
    }


def test_a_resource_replaced_with_its_custom_name_fails_the_update():
    """https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html:
    "You can't perform an update that causes a custom-named resource to be replaced. If you
    must replace the resource, specify a new name"; the update fails with "CloudFormation
    cannot update a stack when a custom-named resource requires replacing"
    (https://repost.aws/knowledge-center/cloudformation-custom-name). diff said "Port replaces"
    of named target groups (aws-samples/container-patterns, nathanpeck's Fargate templates)
    and nothing of the failure."""
    old = _target_group("web", "80")
    failing = _fails(diff_template("t.yaml", old, _target_group("web", "8080")))
    assert failing["resource TargetGroup"].startswith(
        "the update fails: CloudFormation does not replace a resource with a custom name (Name)"
    )
    # A new name with the replacement, or no name: CloudFormation creates the new one.
    assert _fails(diff_template("t.yaml", old, _target_group("api", "8080"))) == {}
    generated = _target_group("web", "80")
    del generated["Resources"]["TargetGroup"]["Properties"]["Name"]
    unnamed = copy.deepcopy(generated)
    unnamed["Resources"]["TargetGroup"]["Properties"]["Port"] = "8080"
    assert _fails(diff_template("t.yaml", generated, unnamed)) == {}
    # A parameter's name: the same unless its value changes, a new default changes it.
    by_parameter = _target_group({"Ref": "Name"}, "80")
    new = _target_group({"Ref": "Name"}, {"Ref": "Port"})
    assert _fails(diff_template("t.yaml", by_parameter, new))["resource TargetGroup"].startswith(
        "the update fails if it is replaced with its name"
    )
    new["Parameters"]["Name"]["Default"] = "api"
    assert _fails(diff_template("t.yaml", by_parameter, new)) == {}


def test_a_network_load_balancer_cannot_swap_a_subnet_in_one_update():
    """ "Subnet changes within the same Availability Zone must be independent actions. You
    first complete removing the existing subnet, and then you can add the new subnet"
    (Elastic Load Balancing, Network Load Balancers, "Update the Availability Zones"). An
    Application Load Balancer takes new subnets in place."""

    def failing(load_balancer: str) -> set[str]:
        running = {**ROOT_RUNNING, "LoadBalancerType": load_balancer}
        findings = diff_stacks(
            shipped(__version__),
            shipped(__version__),
            running,
            {"PublicSubnet1Cidr": "10.0.12.0/22"},
            "eu-west-1",
        )
        return {
            f"{f.template} {f.subject}" for f in findings if f.change.startswith("the update fails")
        }

    # The first NAT gateway moves to the new subnet with its Elastic IP address, whatever the
    # load balancer (see test_a_nat_gateway_replaced_with_its_elastic_ip_fails_the_update).
    nat = "network.yaml resource NatGateway1"
    assert failing("network") == {"service.yaml resource LoadBalancer", nat}
    assert failing("application") == {nat}


def test_a_nat_gateway_replaced_with_its_elastic_ip_fails_the_update():
    """A new public subnet replaces the NAT gateway in it, whose Elastic IP stays. CloudFormation
    "usually creates the replacement resource first, changes references from other dependent
    resources to point to the replacement resource, and then deletes the old resource"
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html),
    and the NAT gateway schema asks for no other order (no replacementStrategy). The new NAT
    gateway asks for the address the old one holds: "If the Elastic IP address is associated
    with another resource, you must first disassociate it" (CreateNatGateway AllocationId,
    https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-create-nat-gateway-request/allocation-id.html),
    and "You cannot disassociate your primary EIP" (DisassociateNatGatewayAddress,
    https://docs.aws.amazon.com/goto/SdkForKotlin/ec2-2016-11-15/DisassociateNatGatewayAddress).
    Seen as Resource.AlreadyAssociated (pulumi/pulumi-aws#1483, "by design")."""
    change = {"PublicSubnet1Cidr": "10.0.12.0/22"}

    def failing(running: dict[str, str]) -> list[Finding]:
        findings = diff_stacks(
            shipped(__version__), shipped(__version__), running, change, "eu-west-1"
        )
        return [f for f in findings if f.change.startswith("the update fails")]

    finding = only(failing(ROOT_RUNNING))
    assert (finding.template, finding.severity, finding.subject) == (
        "network.yaml",
        BREAKING,
        "resource NatGateway1",
    )
    assert "gives it the Elastic IP address the old one still holds" in finding.change
    assert "The NAT gateway must go first, in an update of its own" in finding.change
    # No NAT gateway in that subnet: nothing holds an address.
    assert failing({**ROOT_RUNNING, "NatGateways": "None", "VpcEndpoints": "true"}) == []
    single = diff_stacks(
        shipped(__version__),
        shipped(__version__),
        {**ROOT_RUNNING, "NatGateways": "Single"},
        {"PublicSubnet2Cidr": "10.0.12.0/22"},
        "eu-west-1",
    )  # one NAT gateway, in the first zone: the second public subnet holds none
    assert not [f for f in single if f.change.startswith("the update fails")]


def _nat(allocation: Any) -> dict[str, Any]:
    template = copy.deepcopy(BASE)
    template["Resources"]["Eip"] = {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}}
    template["Resources"]["Nat"] = {
        "Type": "AWS::EC2::NatGateway",
        "Properties": {"SubnetId": {"Ref": "Subnet"}, "AllocationId": allocation},
    }
    return template


def test_a_nat_gateway_replaced_with_a_new_elastic_ip_or_none_takes_no_address_held():
    eip = {"Fn::GetAtt": ["Eip", "AllocationId"]}
    old = _nat(eip)
    moved = copy.deepcopy(old)
    moved["Resources"]["Subnet"]["Properties"]["CidrBlock"] = "10.0.1.0/24"

    def failing(new: dict[str, Any]) -> list[str]:
        findings = diff_template("t.yaml", old, new)
        return [f.change for f in findings if f.change.startswith("the update fails")]

    assert [c[:60] for c in failing(moved)] == [
        "the update fails: CloudFormation creates the new NAT gateway"
    ]
    renewed = copy.deepcopy(moved)  # a new address with it: a new EIP resource
    renewed["Resources"]["Eip"]["Properties"]["NetworkBorderGroup"] = "eu-west-1"
    assert failing(renewed) == []
    other = copy.deepcopy(moved)  # another allocation given
    other["Resources"]["Nat"]["Properties"]["AllocationId"] = "eipalloc-0123456789abcdef0"
    assert failing(other) == []
    private = copy.deepcopy(moved)  # a private NAT gateway has no Elastic IP
    del private["Resources"]["Nat"]["Properties"]["AllocationId"]
    del old["Resources"]["Nat"]["Properties"]["AllocationId"]
    assert failing(private) == []


STACK_SET_RUNNING = {
    "ContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1",
    "TemplateBucketName": "my-templates",
    "OrganizationalUnitIds": "ou-ab12-cdef3456,ou-ab12-cdef3457",
    "DeploymentRegions": "eu-west-1,us-east-1",
}


@pytest.mark.parametrize(
    ("change", "deleted"),
    [
        ({"DeploymentRegions": "eu-west-1"}, "ou-ab12-cdef3456 in us-east-1, ou-ab12-cdef3457 in"),
        ({"OrganizationalUnitIds": "ou-ab12-cdef3457"}, "ou-ab12-cdef3456 in eu-west-1, ou-ab"),
        ({"DeploymentRegions": "eu-west-1,ap-southeast-2"}, "ou-ab12-cdef3456 in us-east-1, ou"),
    ],
)
def test_a_stack_set_that_no_longer_names_a_region_or_unit_deletes_its_stacks(change, deleted):
    """The StackSet resource's update handler deletes the stack instances its new
    StackInstancesGroup no longer names before anything else ("deleteStackInstances(...,
    placeHolder.getDeleteStackInstances(), ...)", UpdateHandler.java of
    aws-cloudformation/aws-cloudformation-resource-providers-cloudformation, whose
    DeleteStackInstancesRequest sets no RetainStacks), and DeleteStackInstances deletes the
    stacks unless RetainStacks, which "Removes the stack instances from the specified stack set,
    but doesn't delete the stacks" (DeleteStackInstancesRequest,
    https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudformation/aws.sdk.kotlin.services.cloudformation.model/-delete-stack-instances-request/index.html).
    The Template Reference says only "Update requires: No interruption" of Regions and
    DeploymentTargets, and diff called the update safe."""
    stack_set = REPO / "templates" / __version__ / "stackset.yaml"
    sides = load_side(str(stack_set), REPO / "templates")
    findings = diff_stacks(sides, sides, STACK_SET_RUNNING, change, "eu-west-1")
    finding = only([f for f in findings if f.subject == "resource StackSet"])
    assert finding.severity == DESTRUCTIVE
    assert finding.change.startswith(
        f"StackInstancesGroup updated in place; it deletes the stack instances of {deleted}"
    )
    assert finding.change.endswith(
        ": the stack of each account there is deleted, with all it holds but what it retains"
    )


def _stack_set(groups: Any) -> dict[str, Any]:
    properties = {"PermissionModel": "SERVICE_MANAGED", "StackInstancesGroup": groups}
    return {"Resources": {"StackSet": {"Type": STACK_SET_TYPE, "Properties": properties}}}


def _group(regions: list[Any], **targets: Any) -> list[dict[str, Any]]:
    return [{"DeploymentTargets": targets, "Regions": regions}]


def test_a_stack_set_whose_targets_a_function_or_filter_decides_may_delete_its_stacks():
    """Which stack instances go is known only of plain lists of units, accounts and regions:
    an account filter, an Fn::If around the groups or a Ref among the regions leave it open,
    and the update may delete stacks all the same."""
    old = _stack_set(_group(["eu-west-1", "us-east-1"], OrganizationalUnitIds=["ou-1"]))
    certain = _stack_set(_group(["eu-west-1"], OrganizationalUnitIds=["ou-1"]))
    assert only(diff_template("s.yaml", old, certain)).change == (
        "StackInstancesGroup updated in place; it deletes the stack instances of ou-1 in "
        "us-east-1: the stack of each account there is deleted, with all it holds but what it "
        "retains"
    )
    open_ended = [
        _stack_set(
            _group(
                ["eu-west-1"],
                OrganizationalUnitIds=["ou-1"],
                Accounts=["111111111111"],
                AccountFilterType="INTERSECTION",
            )
        ),
        _stack_set({"Fn::If": ["One", _group(["eu-west-1"], OrganizationalUnitIds=["ou-1"]), []]}),
        _stack_set(_group(["eu-west-1", {"Ref": "Other"}], OrganizationalUnitIds=["ou-1"])),
    ]
    for new in open_ended:
        finding = only(diff_template("s.yaml", old, new))
        assert finding.severity == DESTRUCTIVE, new
        assert finding.change == (
            "StackInstancesGroup updated in place; it may delete stack instances (a target or "
            "region it no longer names): their stacks are deleted, with all they hold but what "
            "they retain"
        ), new


def test_a_stack_set_that_only_adds_regions_and_units_deletes_nothing():
    stack_set = REPO / "templates" / __version__ / "stackset.yaml"
    sides = load_side(str(stack_set), REPO / "templates")
    more = {
        "DeploymentRegions": "eu-west-1,us-east-1,ap-southeast-2",
        "OrganizationalUnitIds": "ou-ab12-cdef3456,ou-ab12-cdef3457,ou-ab12-cdef3458",
    }
    findings = diff_stacks(sides, sides, STACK_SET_RUNNING, more, "eu-west-1")
    assert [(f.severity, f.change) for f in findings] == [
        (SAFE, "StackInstancesGroup updated in place")
    ]


def test_a_stack_set_whose_targets_differ_inside_a_function_may_delete_stacks():
    def stack_set(regions: Any) -> dict[str, Any]:
        group = {"DeploymentTargets": {"OrganizationalUnitIds": ["ou-1"]}, "Regions": regions}
        properties = {"PermissionModel": "SERVICE_MANAGED", "StackInstancesGroup": [group]}
        return {
            "Resources": {
                "Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": properties}
            }
        }

    old = stack_set({"Ref": "Regions"})
    new = stack_set({"Fn::If": ["Both", ["eu-west-1", "us-east-1"], ["eu-west-1"]]})
    finding = only(diff_template("t.yaml", old, new))
    assert finding.severity == DESTRUCTIVE
    assert "it may delete stack instances" in finding.change
    same = stack_set(["eu-west-1"])
    assert only(diff_template("t.yaml", same, stack_set(["eu-west-1", "us-east-1"]))).severity == (
        SAFE
    )


# The shipped service.yaml as an internal service of an environment, named api.
INTERNAL_IN_ENVIRONMENT = {
    **SERVICE_REQUIRED,
    "ClusterName": "env-cluster",
    "EnvironmentSecurityGroupId": "sg-0123456789abcdef0",
    "NamespaceArn": "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abc",
    "Expose": "internal",
    "ServiceConnectName": "api",
}


def _shipped_service_side():
    """This version's shipped service.yaml, read as a side of diff_stacks."""
    return load_side(str(REPO / "templates" / __version__ / "service.yaml"), REPO / "templates")


def test_replacing_a_service_with_service_connect_fails_the_update():
    """The replacement is created while the old service still holds its Service Connect
    name: "CreateService error: SC service is already used by <namespace>", "when there's any
    update that needs to replace the ECS service" (aws/copilot-cli#4337, #5431)."""
    sides = _shipped_service_side()
    findings = diff_stacks(
        sides, sides, INTERNAL_IN_ENVIRONMENT, {"ClusterName": "env-cluster-2"}, "eu-west-1"
    )
    failing = [f for f in findings if f.change.startswith("the update fails")]
    assert [(f.severity, f.subject) for f in failing] == [(BREAKING, "resource Service")]
    assert "SC service is already used" in failing[0].change
    # Another cluster replaces the service for certain: the update fails, not "if it is".
    assert failing[0].change.startswith("the update fails: the new service is created")
    # One line per resource replaced through what it refers to, not "may be" and then "is".
    policies = [f for f in findings if f.subject == "resource CpuScalingPolicy"]
    assert [f.change for f in policies] == [
        "replaced too: its ScalingTargetId (no update changes it in place) refers to "
        "ScalableTarget, which is replaced"
    ]


@pytest.mark.parametrize(
    "kind",
    [
        "AWS::CloudFormation::StackSet",
        "AWS::ServiceDiscovery::HttpNamespace",
    ],
)
def test_removing_what_carries_other_stacks_or_names_is_destructive(kind):
    """A StackSet deletes its stack instances with it; a namespace, its services' Service
    Connect names."""
    old = {"Resources": {"It": {"Type": kind, "Properties": {}}}}
    finding = only(diff_template("t.yaml", old, {"Resources": {}}))
    assert finding.severity == DESTRUCTIVE


@pytest.mark.parametrize(
    ("kind", "properties", "edit"),
    [
        ("AWS::DynamoDB::Table", {"TableName": "orders"}, {"TableName": "orders2"}),
        ("AWS::RDS::DBInstance", {"DBName": "app"}, {"DBName": "app2"}),
        ("AWS::SQS::Queue", {"QueueName": "jobs"}, {"QueueName": "jobs2"}),
        ("AWS::Kinesis::Stream", {"Name": "events"}, {"Name": "events2"}),
    ],
)
def test_deleting_or_replacing_a_template_of_one_s_own_data_is_destructive(kind, properties, edit):
    """A user's audit: diff of a template of one's own graded a DynamoDB table, a database, a
    queue and a volume deleted or replaced "safe" and exited 0 (only our templates' stateful
    types were known). "If a resource has no DeletionPolicy attribute, AWS CloudFormation
    deletes the resource by default. Note that this capability also applies to update
    operations that lead to resources being removed."
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html);
    "Delete: CloudFormation deletes the resource and all its content". The types are cfn-lint's
    stateful ones (I3011, StatefulResources.json)."""
    old = {"Resources": {"It": {"Type": kind, "Properties": properties}}}
    assert only(diff_template("t.yaml", old, {"Resources": {}})).severity == DESTRUCTIVE
    new = {"Resources": {"It": {"Type": kind, "Properties": edit}}}
    replaced = only(diff_template("t.yaml", old, new))
    assert "replaces" in replaced.change
    assert replaced.severity == DESTRUCTIVE


def test_a_certificate_is_no_stateful_resource():
    # A certificate was "destructive" for being validated again: a DNS-validated one is
    # requested and validated in minutes, and nothing holds data in it; its ARN, where another
    # stack imports it, is an exported output's finding.
    old = {"Resources": {"It": {"Type": "AWS::CertificateManager::Certificate"}}}
    assert only(diff_template("t.yaml", old, {"Resources": {}})).severity == SAFE


# --- What a review found: no cry of wolf -------------------------------------------------------


def test_an_output_renamed_under_the_same_value_only_may_replace():
    """The placeholder was built from the output's name, so a renamed output (the same
    ``Ref Vpc``) looked like a new VPC: three certain replacements and a failed update."""
    renamed = shipped(__version__)
    network = copy.deepcopy(renamed["network.yaml"])
    network["Outputs"]["TheVpcId"] = network["Outputs"].pop("VpcId")
    root = json.loads(
        json.dumps(renamed["root.yaml"]).replace(
            '"NetworkStack", "Outputs.VpcId"', '"NetworkStack", "Outputs.TheVpcId"'
        )
    )
    renamed = {**renamed, "network.yaml": network, "root.yaml": root}
    findings = diff_stacks(shipped(__version__), renamed, ROOT_RUNNING, {}, "eu-west-1")
    service = [f for f in findings if f.template == "service.yaml"]
    assert {f.change for f in service if f.subject == "resource TargetGroup"} == {
        "VpcId may replace (AWS::ElasticLoadBalancingV2::TargetGroup)"
    }
    assert not [f for f in findings if f.change.startswith("the update fails")]


def test_an_output_that_names_another_resource_is_followed_into_the_services():
    """A certificate turns the environment's listener from HttpListener to HttpsListener: its
    ListenerArn output names another resource, so each service's listener rule (ListenerArn:
    create-only) is replaced."""
    spec = (
        'services:\n  web: {expose: public, routing: {path: "/*", priority: 100}}\n'
        '  api: {expose: public, routing: {path: "/api/*", priority: 10}}\n'
    )
    sides = _environment_of(spec)
    certificate = (
        "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
    )
    findings = diff_stacks(sides, sides, ROOT_VALUES, {"CertificateArn": certificate}, "eu-west-1")
    for service in ("service-web.yaml", "service-api.yaml"):
        assert (
            Finding(
                service,
                SAFE,
                "resource ListenerRule",
                "ListenerArn replaces (AWS::ElasticLoadBalancingV2::ListenerRule)",
            )
            in findings
        )
    root = {f.subject: f.change for f in findings if f.template == "root.yaml"}
    assert root["output ListenerArn"].startswith(
        "exported value changes (EnvironmentStack's ListenerArn: it names HttpsListener instead "
        "of HttpListener)"
    )


def test_a_network_load_balancer_given_one_more_subnet_is_no_swap():
    service = _shipped_service_side()
    running = {
        "ContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1",
        "VpcId": "vpc-0123456789abcdef0",
        "PrivateSubnetIds": "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
        "PublicSubnetIds": "subnet-0123456789abcdef2,subnet-0123456789abcdef3",
        "LoadBalancerType": "network",
    }
    more = {"PublicSubnetIds": running["PublicSubnetIds"] + ",subnet-0123456789abcdef4"}
    findings = diff_stacks(service, service, running, more, "eu-west-1")
    assert not [f for f in findings if f.change.startswith("the update fails")]
    fewer = {"PublicSubnetIds": "subnet-0123456789abcdef2,subnet-0123456789abcdef4"}
    swapped = diff_stacks(service, service, running, fewer, "eu-west-1")
    assert [f.subject for f in swapped if f.change.startswith("the update fails")] == [
        "resource LoadBalancer"
    ]


def test_a_subnet_that_moves_to_another_vpc_may_keep_its_block():
    old = copy.deepcopy(BASE)
    old["Resources"]["Subnet"]["Properties"].update(
        VpcId="vpc-aaaaaaaa", AvailabilityZone="eu-west-1a"
    )
    new = copy.deepcopy(old)
    new["Resources"]["Subnet"]["Properties"].update(
        VpcId="vpc-bbbbbbbb", AvailabilityZone="eu-west-1b"
    )
    assert not [f for f in diff_template("t.yaml", old, new) if f.severity == BREAKING]


def test_a_service_connect_configuration_under_a_condition_is_not_said_to_fail():
    """A template diff cannot tell which stacks use Service Connect: only a stack's diff
    says so (0.3.0 to 0.4.0 got a doubly conditional "fails if it is replaced")."""
    findings = diff(shipped("0.3.0"), shipped(__version__))
    assert not [f for f in findings if "Service Connect" in f.change]


def test_a_root_parameter_passed_under_another_name_reaches_its_service():
    """The root passes ``ContainerImage: !Ref WebContainerImage``: a new image was "Parameters
    updated in place" on the nested stack and nothing in the service."""
    spec = (
        'services:\n  web: {expose: public, routing: {path: "/*", priority: 100}}\n'
        '  api: {expose: public, routing: {path: "/api/*", priority: 10}}\n'
    )
    sides = _environment_of(spec)
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2"
    findings = diff_stacks(sides, sides, ROOT_VALUES, {"WebContainerImage": image}, "eu-west-1")
    assert (
        Finding(
            "service-web.yaml",
            SAFE,
            "resource TaskDefinition",
            "ContainerDefinitions replaces (AWS::ECS::TaskDefinition)",
        )
        in findings
    )
    assert not [f for f in findings if f.template == "service-api.yaml"]


def test_a_new_tag_of_the_same_repository_leaves_the_execution_role_as_it_is():
    """The execution role may pull from the image's repository, an ARN cut from the image with
    Fn::Split and Fn::Select: a new tag compared as a change "inside a function" and listed the
    role as updated. Only another repository changes it."""
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
    running = {"ContainerImage": image, "DesiredCount": "2"}
    side = shipped(__version__)

    def changed_subjects(new_image: str) -> set[str]:
        findings = diff_stacks(side, side, running, {"ContainerImage": new_image}, "us-east-1")
        return {f.subject for f in findings if f.template == "service.yaml"}

    assert "resource TaskExecutionRole" not in changed_subjects(image.replace(":1", ":2"))
    assert "resource TaskDefinition" in changed_subjects(image.replace(":1", ":2"))
    assert "resource TaskExecutionRole" in changed_subjects(image.replace("web:1", "api:1"))


def nesting(default: str) -> dict[str, dict[str, Any]]:
    """A root that passes P to a.yaml, and a.yaml's output X (from P) to b.yaml."""
    stack = {"Type": "AWS::CloudFormation::Stack"}
    url = "https://b.s3.amazonaws.com/v/{}"
    return {
        "root.yaml": {
            "Parameters": {"P": {"Type": "String", "Default": "p"}},
            "Resources": {
                "A": {
                    **stack,
                    "Properties": {
                        "TemplateURL": url.format("a.yaml"),
                        "Parameters": {"P": {"Ref": "P"}},
                    },
                },
                "B": {
                    **stack,
                    "Properties": {
                        "TemplateURL": url.format("b.yaml"),
                        "Parameters": {"X": {"Fn::GetAtt": ["A", "Outputs.X"]}},
                    },
                },
            },
            "Outputs": {
                "X": {"Value": {"Fn::GetAtt": ["A", "Outputs.X"]}, "Export": {"Name": "x"}}
            },
        },
        "a.yaml": {
            "Parameters": {"P": {"Type": "String", "Default": default}},
            "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"X": {"Value": {"Fn::Sub": "${P}-x"}}},
        },
        "b.yaml": {
            "Parameters": {"X": {"Type": "String"}},
            "Resources": {
                "T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "X"}}}
            },
        },
    }


def test_a_default_the_parent_overrides_is_not_passed_on_to_the_siblings():
    """a.yaml's default for P changes, but the root passes P: the nested stack's X does not
    change, so neither b.yaml nor the root's export of X does (the running-stack diff said
    nothing; the template diff said b's topic may be replaced and the export may change)."""
    # a.yaml is built for its root (a spec's service-<name>.yaml is): its parameters are no
    # interface of the running stacks, and what its default does, the root overrides.
    assert diff(nesting("p"), nesting("q")) == []
    assert diff_stacks(nesting("p"), nesting("q")) == []
    # The same file on its own is a stack of it alone, whose default changes.
    (alone,) = diff({"a.yaml": nesting("p")["a.yaml"]}, {"a.yaml": nesting("q")["a.yaml"]})
    assert alone.subject == "parameter P" and alone.severity == BREAKING


def test_an_endpoint_under_a_condition_may_move():
    """The shipped service.yaml has its Service Connect configuration inside an Fn::If
    (internal services only): the walk goes into both branches."""

    def conditional(port: str) -> dict[str, Any]:
        template = internal_service(port)
        properties = template["Resources"]["Service"]["Properties"]
        properties["ServiceConnectConfiguration"] = {
            "Fn::If": [
                "Internal",
                properties["ServiceConnectConfiguration"],
                {"Ref": "AWS::NoValue"},
            ]
        }
        return template

    found = [
        f
        for f in diff({"s.yaml": conditional("7000")}, {"s.yaml": conditional("7001")})
        if f.subject == "resource Service"
    ]
    assert [f.change.split(":")[0] for f in found] == [
        "the Service Connect endpoint it is called by may change (ContainerPort's default changed)"
    ]


def test_a_malformed_sub_in_a_nested_template_is_compared_as_it_is():
    """A Fn::Sub without its text went through the placing of sibling outputs (IndexError)."""
    old = nesting("p")
    old["b.yaml"]["Resources"]["T"]["Properties"]["TopicName"] = {"Fn::Sub": []}
    assert diff(old, copy.deepcopy(old)) == []


# --- Listener rule priorities: one number, one rule, at every moment of the update ----------


def _routed(**services: str) -> dict[str, dict[str, Any]]:
    """An environment of public services, each ``name="<path> <priority>"``."""
    lines = [
        f"  {name}: {{expose: public, routing: {{path: {rule.split()[0]}, "
        f"priority: {rule.split()[1]}}}}}\n"
        for name, rule in services.items()
    ]
    return _environment_of("services:\n" + "".join(lines))


def _priority_findings(findings: list[Finding]) -> dict[str, str]:
    """The PriorityInUse findings, by template and resource (``service-web.yaml ListenerRule``
    for a service, the logical ID alone in a single template)."""
    return {
        f"{f.template} {f.subject.removeprefix('resource ')}".removeprefix("t.yaml "): f.change
        for f in findings
        if "PriorityInUse" in f.change
    }


def test_two_services_that_swap_priorities_fail_the_update_whatever_the_order():
    # The load balancer refuses a priority another rule holds (PriorityInUse: copilot-cli#4532,
    # pulumi-aws#175); each service's stack updates its own rule, so one of the two always
    # asks for a number the other still holds. diff said "safe": Priority updated in place.
    old = _routed(web="/web/* 100", api="/api/* 10")
    new = _routed(web="/web/* 10", api="/api/* 100")
    found = _priority_findings(diff(old, new))
    assert set(found) == {"service-web.yaml ListenerRule", "service-api.yaml ListenerRule"}
    assert found["service-api.yaml ListenerRule"].startswith(
        "the update fails: it takes priority 100 from service-web.yaml's ListenerRule, which "
        "takes another rule's number in the same update"
    )
    assert all(f.severity == BREAKING for f in diff(old, new) if "PriorityInUse" in f.change)
    # The stacks' diff, with values, finds the same.
    values = {**ROOT_VALUES, "ApiContainerImage": ROOT_VALUES["WebContainerImage"]}
    resolved = _priority_findings(diff_stacks(old, new, values, region="eu-west-1"))
    assert resolved == found
    # The README's way, three updates: one rule to a free number, the other to the number
    # freed, then the first to the number the second gave up. Two would race in the second.
    steps = [
        old,
        _routed(web="/web/* 50", api="/api/* 10"),
        _routed(web="/web/* 50", api="/api/* 100"),
        new,
    ]
    for before, after in itertools.pairwise(steps):
        assert _priority_findings(diff(before, after)) == {}
    raced = _priority_findings(diff(steps[1], new))
    assert list(raced) == ["service-web.yaml ListenerRule"]


def test_a_number_another_service_gives_up_may_be_refused_when_their_stacks_update_side_by_side():
    old = _routed(web="/web/* 100", api="/api/* 10")
    new = _routed(web="/web/* 10", api="/api/* 20")
    found = _priority_findings(diff(old, new))
    assert list(found) == ["service-web.yaml ListenerRule"]
    assert found["service-web.yaml ListenerRule"].startswith(
        "the update fails if it is updated before service-api.yaml's ListenerRule gives up "
        "priority 10 (the two update side by side)"
    )


@pytest.mark.parametrize(
    "new",
    [
        {"api": "/api/* 100"},  # web is deleted, api takes its number
        {"shop": "/web/* 100", "api": "/api/* 10"},  # web renamed: a new rule, the old deleted
    ],
)
def test_a_number_a_deleted_rule_held_is_free_only_after_the_updates_cleanup(new):
    # CloudFormation deletes what the update removes in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
    # after every resource is created or updated (AWS CloudFormation User Guide, "Monitor the
    # progress of a stack update"): the rule still holds its number when the other asks.
    old = _routed(web="/web/* 100", api="/api/* 10")
    (change,) = _priority_findings(diff(old, _routed(**new))).values()
    assert change.startswith(
        "the update fails: it takes priority 100 from service-web.yaml's ListenerRule, which "
        "CloudFormation deletes only in the update's cleanup"
    )


def _two_rules(priorities: tuple[int, int], ordered: bool = False) -> dict[str, Any]:
    """Rules First and Second of ``priorities`` (``_listener_rules``); ``ordered``: Second
    waits for First (``DependsOn``)."""
    template = _listener_rules(dict(zip(("First", "Second"), priorities, strict=True)))
    if ordered:
        template["Resources"]["Second"]["DependsOn"] = "First"
    return template


def test_a_rule_updated_after_the_one_that_gives_its_number_up_takes_it():
    old = {"t.yaml": _two_rules((10, 20))}
    # Second waits for First (DependsOn): First moves to 30 first, then Second takes 10.
    assert _priority_findings(diff(old, {"t.yaml": _two_rules((30, 10), ordered=True)})) == {}
    raced = _priority_findings(diff(old, {"t.yaml": _two_rules((30, 10))}))
    assert list(raced) == ["Second"]
    assert raced["Second"].startswith("the update fails if it is updated before First gives up")
    # A swap fails in any order.
    swapped = _priority_findings(diff(old, {"t.yaml": _two_rules((20, 10), ordered=True)}))
    assert sorted(swapped) == ["First", "Second"]
    assert all("takes another rule's number" in change for change in swapped.values())
    # Another listener's numbers are its own.
    other = _two_rules((10, 20))
    other["Resources"]["Other"] = {"Type": "AWS::ElasticLoadBalancingV2::Listener"}
    moved = copy.deepcopy(other)
    moved["Resources"]["Second"]["Properties"]["ListenerArn"] = {"Ref": "Other"}
    moved["Resources"]["Second"]["Properties"]["Priority"] = 10
    assert _priority_findings(diff({"t.yaml": other}, {"t.yaml": moved})) == {}


def _nesting(child: dict[str, Any], *passed: Any) -> dict[str, dict[str, Any]]:
    """A root that nests ``child.yaml`` once per ``passed`` (its stack's Parameters)."""
    stacks = {
        f"Child{i}": {
            "Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": "https://b/child.yaml", "Parameters": parameters},
        }
        for i, parameters in enumerate(passed)
    }
    return {"root.yaml": {"Resources": stacks}, "child.yaml": child}


def _child(delay: int, default: Any = "a") -> dict[str, Any]:
    return {
        "Parameters": {"Mode": {"Type": "String", "Default": default}},
        "Conditions": {"IsB": {"Fn::Equals": [{"Ref": "Mode"}, "b"]}},
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "Condition": "IsB"},
            "Topic": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"DisplayName": {"Fn::If": ["IsB", str(delay), "x"]}},
            },
        },
    }


def test_what_any_parent_passes_is_not_decided():
    # Nested twice, Mode passed by one stack only: both stacks are this template, so Mode may
    # be b. The last parent's list used to win, so the order of the stacks decided.
    for passed in ([{"Mode": "b"}, {}], [{}, {"Mode": "b"}]):
        findings = diff(_nesting(_child(1), *passed), _nesting(_child(2), *passed))
        assert [(f.subject, f.change) for f in findings] == [
            ("resource Topic", "DisplayName updated in place")
        ]
    # Parameters chosen by a function: any of them may be passed.
    chosen = {"Fn::If": ["Cond", {"Mode": "b"}, {}]}
    findings = diff(_nesting(_child(1), chosen), _nesting(_child(2), chosen))
    assert [f.subject for f in findings] == ["resource Topic"]
    # Passed by none: Mode is a, always; the change is behind a false condition.
    assert diff(_nesting(_child(1), {}), _nesting(_child(2), {})) == []


def test_a_boolean_default_is_the_text_cloudformation_compares():
    # YAML's `Default: true` is "true" to CloudFormation (the template is JSON to it), not
    # Python's "True": a condition on "true" holds.
    def child(delay: int) -> dict[str, Any]:
        template = _child(delay, default=True)
        template["Conditions"]["IsB"] = {"Fn::Equals": [{"Ref": "Mode"}, "true"]}
        return template

    findings = diff(_nesting(child(1), {}), _nesting(child(2), {}))
    assert [(f.subject, f.change) for f in findings] == [
        ("resource Topic", "DisplayName updated in place")
    ]


def _listener_rules(
    priorities: dict[str, Any],
    load_balancer: str = "arn:lb",
    conditions: Mapping[str, str] = MappingProxyType({}),
) -> dict[str, Any]:
    rules = {
        name: {
            "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
            "Properties": {
                "ListenerArn": {"Ref": "Listener"},
                "Priority": priority,
                "Actions": [{"Type": "forward", "TargetGroupArn": "tg"}],
                "Conditions": [{"Field": "path-pattern", "Values": [f"/{name}/*"]}],
            },
            **({"Condition": conditions[name]} if name in conditions else {}),
        }
        for name, priority in priorities.items()
    }
    listener = {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {"LoadBalancerArn": load_balancer},
    }
    return {"Resources": {"Listener": listener, **rules}}


def test_rules_naming_their_listener_by_its_listener_arn_attribute_are_on_that_listener():
    """``!GetAtt Listener.ListenerArn`` is the listener's ``Ref`` (Template Reference,
    AWS::ElasticLoadBalancingV2::Listener, Return values): a swap of two such rules' numbers
    fails as it does with ``Ref``; diff took their listener for unknown and said nothing."""
    for spelling in ("Listener.ListenerArn", ["Listener", "ListenerArn"]):
        old, new = _two_rules((10, 20)), _two_rules((20, 10), ordered=True)
        for template in (old, new):
            for rule in ("First", "Second"):
                template["Resources"][rule]["Properties"]["ListenerArn"] = {"Fn::GetAtt": spelling}
        swapped = _priority_findings(diff({"t.yaml": old}, {"t.yaml": new}))
        assert sorted(swapped) == ["First", "Second"]
    # A custom resource's attribute of that name may be any listener's.
    old, new = _two_rules((10, 20)), _two_rules((20, 10), ordered=True)
    for template in (old, new):
        template["Resources"]["Listener"]["Type"] = "Custom::ListenerLookup"
        template["Resources"]["Second"]["Properties"]["ListenerArn"] = {
            "Fn::GetAtt": "Listener.ListenerArn"
        }
    assert _priority_findings(diff({"t.yaml": old}, {"t.yaml": new})) == {}
    # Another attribute is not the listener's ARN: nothing is known of it.
    old, new = _two_rules((10, 20)), _two_rules((20, 10), ordered=True)
    for template in (old, new):
        for rule in ("First", "Second"):
            template["Resources"][rule]["Properties"]["ListenerArn"] = {
                "Fn::GetAtt": "Listener.Other"
            }
    assert _priority_findings(diff({"t.yaml": old}, {"t.yaml": new})) == {}


def test_rules_on_a_replaced_listener_take_any_number():
    # A new load balancer replaces the listener, and the rules with it: on the new listener
    # no number is held.
    old = {"t.yaml": _listener_rules({"A": 10, "B": 20})}
    new = {"t.yaml": _listener_rules({"A": 20, "B": 10}, load_balancer="arn:lb2")}
    assert _priority_findings(diff(old, new)) == {}


def test_a_rule_that_may_not_exist_or_may_keep_its_number_may_fail_the_update():
    old = {"t.yaml": _listener_rules({"A": 10, "B": 20}, conditions={"A": "IsB"})}
    new = {"t.yaml": _listener_rules({"B": 10})}
    assert _priority_findings(diff(old, new))["B"].startswith(
        "the update may fail: it takes priority 10 from A, which CloudFormation deletes only "
        "in the update's cleanup"
    )
    old = {"t.yaml": _listener_rules({"A": 10, "B": 20})}
    for priority in ({"Fn::If": ["Moves", 30, 10]}, "²"):
        new = {"t.yaml": _listener_rules({"A": priority, "B": 10})}
        assert _priority_findings(diff(old, new))["B"].startswith(
            "the update may fail: it takes priority 10 from A, which may keep it (a parameter "
            "decides its new listener or priority)"
        )


def test_a_renamed_service_on_a_new_listener_takes_any_number():
    # A certificate moves every rule to the HTTPS listener: the renamed service's rule is new
    # there, and the old one's number on the HTTP listener is no matter.
    old = _routed(web="/web/* 100", api="/api/* 10")
    new = _routed(www="/web/* 100", api="/api/* 10")
    image = ROOT_VALUES["WebContainerImage"]
    values = {**ROOT_VALUES, "ApiContainerImage": image}
    certificate = (
        "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-1234567890ab"
    )
    changes = {"WwwContainerImage": image, "CertificateArn": certificate}
    assert _priority_findings(diff_stacks(old, new, values, changes, "eu-west-1")) == {}
    # Without the certificate the new rule asks the HTTP listener for web's number.
    (change,) = _priority_findings(
        diff_stacks(old, new, values, {"WwwContainerImage": image}, "eu-west-1")
    ).values()
    assert change.startswith("the update fails: it takes priority 100 from service-web.yaml's")


def test_the_standalone_templates_are_the_shipped_products():
    from troposphere_fargate.cfn.diff import STANDALONE_TEMPLATES

    assert {
        p.name for p in (REPO / "templates" / __version__).glob("*.yaml")
    } == STANDALONE_TEMPLATES


def test_a_new_parameter_the_update_gives_is_safe():
    # A user trial: adding a service with its image given (--set) was still "breaking: the
    # update that adds it must supply it".
    old = _routed(web="/web/* 100")
    new = _routed(web="/web/* 100", api="/api/* 10")
    image = ROOT_VALUES["WebContainerImage"]
    running = {k: v for k, v in ROOT_VALUES.items() if k != "ApiContainerImage"}  # not yet
    found = {
        f.subject: (f.severity, f.change)
        for f in diff_stacks(old, new, running, {"ApiContainerImage": image}, "eu-west-1")
        if f.template == "root.yaml"
    }
    assert found["parameter ApiContainerImage"] == (
        SAFE,
        "added without a default; the update gives it",
    )
    without = {
        f.subject: f.severity
        for f in diff_stacks(old, new, running, {}, "eu-west-1")
        if f.template == "root.yaml"
    }
    assert without["parameter ApiContainerImage"] == BREAKING
    # Given as a running value, it was ignored: the stacks cannot have one (a user meant --set).
    with pytest.raises(DiffError) as refused:
        diff_stacks(old, new, ROOT_VALUES, {}, "eu-west-1")
    assert str(refused.value) == (
        "the running stacks' values (--parameters) name ApiContainerImage, which only the new "
        "templates declare: the stacks have no value for it; give the update's value instead "
        f"(--set ApiContainerImage={ROOT_VALUES['ApiContainerImage']}), or leave it out for "
        "its default"
    )
    # Given with --set too: only --parameters is wrong. A value with a space comes quoted.
    with pytest.raises(DiffError, match=r"leave it out of --parameters: the update gives it"):
        diff_stacks(old, new, ROOT_VALUES, {"ApiContainerImage": image}, "eu-west-1")
    with pytest.raises(DiffError, match=r"\(--set 'ApiContainerImage=a b'\)"):
        diff_stacks(old, new, {**running, "ApiContainerImage": "a b"}, {}, "eu-west-1")


def test_a_template_diff_of_a_move_to_a_canary_breaks_nothing():
    old = _environment('{port: 9000, expose: public, routing: {path: "/api/*", priority: 10}}')
    # Moving to a canary adds its second target group and rules, and breaks nothing.
    canary = _environment(
        '{port: 9000, expose: public, routing: {path: "/api/*", priority: 10}, '
        "deployment: {strategy: CANARY}}"
    )
    moved = [f for f in diff(old, canary) if f.template == "service-api.yaml"]
    assert not [f for f in moved if f.severity != SAFE]
    assert (
        "resource AlternateTargetGroup",
        "added (AWS::ElasticLoadBalancingV2::TargetGroup)",
    ) in [(f.subject, f.change) for f in moved]


def test_a_new_host_requests_a_new_certificate_which_is_no_destruction():
    # A user trial: adding a routed host was "destructive resource Certificate: ... replaces",
    # which scared a team off a routine change. A DNS-validated certificate in the stack's
    # hosted zone is requested, validated and swapped in before the old one is deleted: the
    # DomainValidationOption's HostedZoneId "causes ACM to add your CNAME to the domain record"
    # (CloudFormation Template Reference, AWS::CertificateManager::Certificate
    # DomainValidationOption), and on replacement CloudFormation "usually creates the
    # replacement resource first, changes references from other dependent resources to point to
    # the replacement resource, and then deletes the old resource" (CloudFormation User Guide,
    # "Understand update behaviors of stack resources").
    domain = "domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\n"
    old = _environment_of(
        domain + 'services:\n  web: {expose: public, routing: {path: "/*", priority: 1}}\n'
    )
    new = _environment_of(
        domain + 'services:\n  web: {expose: public, routing: {path: "/*", priority: 1, '
        "host: [shop.example.com, www.shop.example.com]}}\n"
    )
    (certificate,) = [f for f in diff(old, new) if f.subject == "resource Certificate"]
    assert certificate.severity == SAFE
    assert certificate.change.endswith(
        "CloudFormation requests a new certificate, waits until it is validated (CloudFormation "
        "writes its DNS records in the hosted zone: minutes), moves what uses it, then deletes "
        "the old one"
    )


def test_a_folder_diff_keeps_what_fails_the_update_of_a_template_built_for_its_root():
    # A review: dropping every parameter finding of such a template hid a new required
    # parameter the root does not pass (the nested stack's update fails without it).
    old = _nesting(_child(1), {})
    new = copy.deepcopy(old)
    new["child.yaml"]["Parameters"]["NewRequired"] = {"Type": "String"}
    (finding,) = diff(old, new)
    assert (finding.severity, finding.subject) == (BREAKING, "parameter NewRequired")
    # Not "the update that adds it must supply it": a user cannot supply a nested parameter.
    assert finding.change == "it has no default and the root does not pass it: the update fails"
    # A new default of a parameter never passed is the stack's new value: its effect is what
    # is listed, not the default.
    changed = copy.deepcopy(old)
    changed["child.yaml"]["Parameters"]["Mode"]["Default"] = "b"
    assert [f.subject for f in diff(old, changed)] == ["resource Queue", "resource Topic"]
    # A tighter pattern on a parameter the root passes may refuse the root's value.
    passing = _nesting(_child(1), {"Mode": "b"})
    tighter = copy.deepcopy(passing)
    tighter["child.yaml"]["Parameters"]["Mode"]["AllowedPattern"] = "^a$"
    (finding,) = diff(passing, tighter)
    assert (finding.severity, finding.subject) == (BREAKING, "parameter Mode")


def test_a_filled_in_default_is_the_text_cloudformation_compares():
    # Port 8080 before, Port: !Ref ContainerPort with default '8080' after: the same port.
    def child(port: Any) -> dict[str, Any]:
        return {
            "Parameters": {"ContainerPort": {"Type": "Number", "Default": "8080"}},
            "Resources": {
                "TargetGroup": {
                    "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
                    "Properties": {"Port": port, "Protocol": "HTTP"},
                }
            },
        }

    assert diff(_nesting(child(8080), {}), _nesting(child({"Ref": "ContainerPort"}), {})) == []


def test_a_select_in_a_branch_that_may_never_run_is_left_as_it_is():
    # A review: an Fn::Select past the end of a defaulted list, in a branch an undecided
    # condition guards, stopped the whole diff.
    def child(public: bool) -> dict[str, Any]:
        return {
            "Parameters": {
                "Zones": {"Type": "CommaDelimitedList", "Default": ""},
                "Pinned": {"Type": "String", "Default": "false"},
            },
            "Conditions": {"IsPinned": {"Fn::Equals": [{"Ref": "Pinned"}, "true"]}},
            "Resources": {
                "Subnet": {
                    "Type": "AWS::EC2::Subnet",
                    "Properties": {
                        "VpcId": "vpc-1",
                        "CidrBlock": "10.0.0.0/24",
                        "MapPublicIpOnLaunch": public,
                        "AvailabilityZone": {
                            "Fn::If": [
                                "IsPinned",
                                {"Fn::Select": [0, {"Ref": "Zones"}]},
                                {"Ref": "AWS::NoValue"},
                            ]
                        },
                    },
                }
            },
        }

    (finding,) = diff(
        _nesting(child(False), {"Pinned": "x"}), _nesting(child(True), {"Pinned": "x"})
    )
    assert finding.change == "MapPublicIpOnLaunch updated in place"


def test_a_parent_passing_one_parameter_from_a_ref_passes_that_one_only():
    # {Mode: !Ref Mode} was taken for Parameters chosen by a function: every parameter passed.
    root = _nesting(_child(1), {"Mode": {"Ref": "Mode"}})
    root["child.yaml"]["Parameters"]["Other"] = {"Type": "String", "Default": "x"}
    assert nested_parameters(root)["child.yaml"] == {"Mode"}


def test_a_second_review_of_a_folder_diff_for_a_templates_root():
    # An Fn::Select past the end of a defaulted list outside any Fn::If fails the stack: said,
    # not called safe (only a branch that may never run is left as it is).
    def listed(display: Any) -> dict[str, Any]:
        return {
            "Parameters": {"Zones": {"Type": "CommaDelimitedList", "Default": ""}},
            "Resources": {
                "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": display}}
            },
        }

    with pytest.raises(DiffError, match=r"resource Topic: Fn::Select picks item 1"):
        diff(_nesting(listed("x"), {}), _nesting(listed({"Fn::Select": [0, {"Ref": "Zones"}]}), {}))

    # A required parameter renamed, which the root passes under neither name: the update fails.
    def required(name: str) -> dict[str, Any]:
        template = _child(1)
        template["Parameters"][name] = {"Type": "String"}
        return template

    findings = diff(_nesting(required("Old"), {}), _nesting(required("New"), {}))
    assert [(f.severity, f.subject) for f in findings if f.subject.startswith("parameter")] == [
        (BREAKING, "parameter New")
    ]
    (new_one,) = [f for f in findings if f.subject == "parameter New"]
    assert new_one.change == "it has no default and the root does not pass it: the update fails"
    # A constraint the default meets, on a parameter the root no longer passes: nothing; a type
    # or allowed values the default does not meet: the update fails.
    meets = _child(1)
    meets["Parameters"]["Mode"]["AllowedValues"] = ["a", "b"]
    assert diff(_nesting(_child(1), {"Mode": "b"}), _nesting(meets, {})) != []
    assert not [
        f
        for f in diff(_nesting(_child(1), {"Mode": "b"}), _nesting(meets, {}))
        if f.subject.startswith("parameter")
    ]
    refuses = _child(1)
    refuses["Parameters"]["Mode"]["AllowedValues"] = ["b"]
    (refused,) = [
        f
        for f in diff(_nesting(_child(1), {}), _nesting(refuses, {}))
        if f.subject.startswith("parameter")
    ]
    assert (refused.severity, refused.subject) == (BREAKING, "parameter Mode")
    assert refused.change.startswith("its default is refused: ")
    assert refused.change.endswith(": the update fails")

    # 1 and 1.0 are one number.
    def weighted(weight: Any) -> dict[str, Any]:
        template = _child(1)
        template["Resources"]["Topic"]["Properties"]["DisplayName"] = weight
        return template

    assert diff(_nesting(weighted(1), {}), _nesting(weighted(1.0), {})) == []


LISTENERS = {
    "Balancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {}},
    "HttpListener": {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {"LoadBalancerArn": {"Ref": "Balancer"}, "Port": 80, "Protocol": "HTTP"},
    },
    "HttpsListener": {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {"LoadBalancerArn": {"Ref": "Balancer"}, "Port": 443, "Protocol": "HTTPS"},
    },
}


def test_closing_a_port_of_a_load_balancer_that_stays_is_breaking():
    """HttpsOnly=true, or a certificate removed: a listener goes while its load balancer stays,
    and whoever uses that port (http:// links, https:// bookmarks) gets no answer."""
    old = {"Resources": copy.deepcopy(LISTENERS)}
    new = copy.deepcopy(old)
    del new["Resources"]["HttpListener"]
    finding = only(diff_template("t.yaml", old, new))
    assert finding.severity == BREAKING
    assert finding.subject == "resource HttpListener"
    assert finding.change.endswith(
        "; port 80 of its load balancer stops answering: clients, links and bookmarks that use "
        "it get no answer"
    )

    # Another listener taking the same port of the same load balancer keeps it answering.
    moved = copy.deepcopy(new)
    moved["Resources"]["PlainListener"] = copy.deepcopy(LISTENERS["HttpListener"])
    moved["Resources"]["PlainListener"]["Properties"]["Protocol"] = "TCP"
    findings = diff_template("t.yaml", old, moved)
    assert {f.severity for f in findings} == {SAFE}

    # With the load balancer gone too, its removal says it all: no note on the listeners.
    gone = {"Resources": {}}
    notes = [f for f in diff_template("t.yaml", old, gone) if "Listener" in f.subject]
    assert len(notes) == 2 and not any("stops answering" in f.change for f in notes)


def test_a_template_diff_whose_findings_say_may_points_to_the_parameters(capsys):
    """`diff 0.3.0 0.4.0` alone reports the load balancer "may be deleted" (behind conditions a
    running stack's values decide): a newcomer read it as "the upgrade deletes it". The note
    says how to get a definite answer; with the values, it is not needed."""
    assert cli.main(["diff", "0.3.0", "0.4.0"]) == 1
    captured = capsys.readouterr()
    assert "may be deleted or created on update" in captured.out
    (note,) = captured.err.splitlines()
    assert re.fullmatch(
        r"troposphere-fargate: \d+ of these destructive or breaking findings say \"may\": "
        r"whether they happen depends on the parameter values of your stacks; give them "
        r"\(--parameters KEY=VALUE \.\.\., and --region\) for a definite answer",
        note,
    )
    values = [
        "TemplateBucketName=my-templates",
        "ContainerImage=" + SERVICE_REQUIRED["ContainerImage"],
    ]
    cli.main(["diff", "0.3.0", "0.4.0", "--parameters", *values])
    assert capsys.readouterr().err == ""
    # Allowed findings need no note.
    assert cli.main(["diff", "0.3.0", "0.4.0", "--allow", "destructive,breaking"]) == 0
    assert capsys.readouterr().err == ""


def test_a_changed_default_is_safe_for_a_stack_that_keeps_its_value():
    """A trial: ``diff 0.3.0 0.4.0 --parameters ... DesiredCount=2`` still called DesiredCount's
    new default breaking, while the comparison itself keeps a value the update does not set
    (as aws cloudformation deploy and the console do); only --allow breaking passed it."""
    new = copy.deepcopy(BASE)
    new["Parameters"]["Mode"]["Default"] = "b"
    old_side, new_side = {"t.yaml": BASE}, {"t.yaml": new}
    # Without the stack's values, the template's finding stands.
    assert [f.severity for f in diff_template("t.yaml", BASE, new)] == [BREAKING]
    (kept,) = diff_stacks(old_side, new_side, running={"Mode": "a"})
    assert (kept.severity, kept.subject) == (SAFE, "parameter Mode")
    assert kept.change == (
        "default 'a' -> 'b': the stack keeps 'a' (aws cloudformation deploy and the console "
        "keep a value not given; an UpdateStack call that neither gives one nor sets "
        "UsePreviousValue takes 'b'); --set Mode=b takes the new default"
    )
    (changed,) = [
        f
        for f in diff_stacks(old_side, new_side, running={"Mode": "a"}, changes={"Mode": "b"})
        if f.subject == "parameter Mode"
    ]
    assert changed.severity == SAFE and "the update sets 'b'" in changed.change


# --- The zones Fn::GetAZs gives: --zones ------------------------------------------------------


PIN = "AvailabilityZones=eu-west-1a,eu-west-1c"


def test_zones_say_which_subnets_move_when_zones_are_pinned(capsys):
    """A running stack's subnets took their zones from Fn::GetAZs, which only the account can
    answer: given them (--zones), pinning says exactly which subnets move (it was "may
    replace" for every subnet, and the README promised better)."""
    side = load_side(__version__, REPO / "templates")
    zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    pinned = {"AvailabilityZones": ",".join(zones)}
    same = diff_stacks(side, side, {}, pinned, "eu-west-1", zones)
    assert {f.template for f in same} == {"root.yaml", "stackset.yaml"}
    moved = diff_stacks(
        side, side, {}, {"AvailabilityZones": "eu-west-1a,eu-west-1c"}, "eu-west-1", zones
    )
    replaced = {
        f.subject for f in moved if f.change == "AvailabilityZone replaces (AWS::EC2::Subnet)"
    }
    assert replaced == {"resource PublicSubnet2", "resource PrivateSubnet2"}
    assert not any(" may " in f" {f.change} " for f in moved if f.template == "network.yaml")
    # Without them, each subnet may move, and the command says what to give.
    assert cli.main(["diff", __version__, __version__, "--region", "eu-west-1", "--set", PIN]) == 1
    assert "give --zones (your running subnets' zones, the first subnet's first)" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("zones", "message"),
    [
        ("eu-west-1a,us-east-1b", "--zones: us-east-1b is a zone of us-east-1, not of eu-west-1"),
        ("eu-west-1a,eu-west-1a", "--zones: eu-west-1a is named twice"),
        ("eu-west-1a,subnet-1", "--zones: 'subnet-1' is no Availability Zone name"),
        (",", "--zones names no zone"),
        ("eu-west-1a", "(--zones: give as many zones as the templates pick, in the order"),
        ("euw1-az1,euw1-az2", "--zones: euw1-az1 is an Availability Zone ID: give zone names"),
    ],
)
def test_zones_that_cannot_be_the_stack_s_are_refused(capsys, zones, message):
    argv = ["diff", __version__, __version__, "--region", "eu-west-1", "--zones", zones]
    assert cli.main([*argv, "--set", PIN]) == 1
    assert message in capsys.readouterr().err


def test_two_different_templates_compared_file_with_file_are_said_to_be(tmp_path, capsys):
    """``diff network.yaml service.yaml`` compared two layers under the second's name without a
    word (a fourth trial)."""
    shipped = REPO / "templates" / __version__
    argv = ["diff", str(shipped / "network.yaml"), str(shipped / "service.yaml")]
    assert cli.main(argv) == 1
    assert capsys.readouterr().err.startswith(
        "troposphere-fargate: network.yaml is the network layer and service.yaml the service "
        "layer: two different templates, so every resource reads as removed or added\n"
    )
    # Without the layers' metadata: no resource in common says it.
    (tmp_path / "a.yaml").write_text("Resources: {A: {Type: AWS::SNS::Topic}}\n")
    (tmp_path / "b.yaml").write_text("Resources: {B: {Type: AWS::SNS::Topic}}\n")
    cli.main(["diff", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")])
    assert "a.yaml and b.yaml have no resource in common" in capsys.readouterr().err
    # Malformed metadata is compared, not a traceback.
    (tmp_path / "c.yaml").write_text("Metadata: [1]\nResources: {A: {Type: AWS::SNS::Topic}}\n")
    (tmp_path / "d.yaml").write_text(
        "Metadata: {TroposphereFargate: x}\nResources: {A: {Type: AWS::SNS::Topic}}\n"
    )
    assert cli.main(["diff", str(tmp_path / "c.yaml"), str(tmp_path / "d.yaml")]) == 0
    assert capsys.readouterr().err == ""
    # Two versions of one template: nothing to say of them.
    older = REPO / "templates" / "0.3.0" / "network.yaml"
    cli.main(["diff", str(older), str(shipped / "network.yaml"), "--allow", "destructive,breaking"])
    assert capsys.readouterr().err == ""


def test_two_roots_compared_file_with_file_bring_the_templates_they_nest(tmp_path, capsys):
    """A root's stack is the root and its nested stacks. ``diff a/root.yaml b/root.yaml``, the
    README's command for a spec's running stacks, compared the roots alone and said "no
    differences" of a new port for web, which replaces web's target group (a day-2 trial)."""
    from troposphere_fargate.release.build import generate, write_version
    from troposphere_fargate.release.spec import parse_spec

    spec = (
        'services:\n  web: {port: 8080, expose: public, routing: {path: "/*", priority: 100}}\n'
        "  api: {port: 9000, expose: internal}\n"
    )
    old = write_version(tmp_path / "a", generate(parse_spec(spec)))
    new = write_version(tmp_path / "b", generate(parse_spec(spec.replace("8080", "8081"))))
    argv = ["diff", str(old / "root.yaml"), str(new / "root.yaml"), "--format", "json"]
    assert cli.main(argv) == 1
    findings = json.loads(capsys.readouterr().out)
    assert {
        "template": "service-web.yaml",
        "subject": "resource TargetGroup",
        "severity": DESTRUCTIVE,
    }.items() <= next(f for f in findings if f["subject"] == "resource TargetGroup").items()
    # The same findings as the folder diff's, of the templates the roots nest.
    assert cli.main(["diff", str(old), str(new), "--format", "json"]) == 1
    assert findings == json.loads(capsys.readouterr().out)
    # A root copied alone: what it nests is not there, and said so; the roots are compared.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "root.yaml").write_bytes((old / "root.yaml").read_bytes())
    # It never passes: what changed in the templates left out is not known (a review).
    assert cli.main(["diff", str(alone / "root.yaml"), str(new / "root.yaml")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "no differences\n"
    assert captured.err.splitlines() == [
        f"troposphere-fargate: not compared: {name}, which {alone / 'root.yaml'} nests, is not "
        "beside it"
        for name in ("environment.yaml", "network.yaml", "service-api.yaml", "service-web.yaml")
    ] + [
        "troposphere-fargate: the comparison is incomplete: exit 1 until every template it nests "
        "is beside it"
    ]
    # A nested stack whose TemplateURL names no file is said so too.
    root_text = (old / "root.yaml").read_text()
    unnamed = tmp_path / "unnamed"
    unnamed.mkdir()
    (unnamed / "root.yaml").write_text(
        root_text.replace("/network.yaml", "/network.yaml?versionId=3")
    )
    assert "?versionId=3" in (unnamed / "root.yaml").read_text()
    assert cli.main(["diff", str(old / "root.yaml"), str(unnamed / "root.yaml")]) == 1
    assert (
        f"not compared: the template of NetworkStack, which {unnamed / 'root.yaml'} nests: its "
        "TemplateURL names no file" in capsys.readouterr().err
    )
    # A template that nests nothing is still compared alone (a service launched on its own).
    only = cli.main(["diff", str(old / "service-web.yaml"), str(new / "service-web.yaml")])
    assert only == 1
    assert {f.template for f in diff(*load_sides_of(old, new, "service-web.yaml"))} == {
        "service-web.yaml"
    }


def load_sides_of(old: Path, new: Path, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from troposphere_fargate.cfn.diff import load_sides

    before, after, notes = load_sides(str(old / name), str(new / name), REPO / "templates")
    assert notes == []
    return before, after


def test_an_ecs_service_update_that_replaces_its_tasks_says_so():
    """ECS API Reference, UpdateService: with a new task definition "Amazon ECS spawns a task
    with the new version of the task definition and then stops an old task";
    forceNewDeployment triggers a deployment too. 0.1.0 -> 0.2.0 said "ForceNewDeployment
    updated in place" while the changelog warned of a rolling deployment (a fourth trial). The
    desired count is no new task definition: no deployment is said."""
    service = {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": "a:1"}}
    old = {"Resources": {"Service": service}}
    new = copy.deepcopy(old)
    new["Resources"]["Service"]["Properties"]["TaskDefinition"] = "a:2"
    assert only(diff_template("s.yaml", old, new)).change == (
        "TaskDefinition updated in place; the service starts a deployment: new tasks take over "
        "from the running ones"
    )
    new = copy.deepcopy(old)
    new["Resources"]["Service"]["Properties"]["DesiredCount"] = 3
    assert only(diff_template("s.yaml", old, new)).change == "DesiredCount updated in place"


@pytest.mark.parametrize(
    ("key", "value", "deploys"),
    [
        ("CapacityProviderStrategy", [{"CapacityProvider": "FARGATE_SPOT"}], True),
        ("ForceNewDeployment", {"EnableForceNewDeployment": True}, True),
        ("LoadBalancers", [{"TargetGroupArn": "arn:tg", "ContainerPort": 80}], True),
        ("NetworkConfiguration", {"AwsvpcConfiguration": {"Subnets": ["subnet-1"]}}, True),
        ("PlatformVersion", "1.4.0", True),
        ("ServiceConnectConfiguration", {"Enabled": True}, True),
        ("ServiceRegistries", [{"RegistryArn": "arn:r"}], True),
        ("VolumeConfigurations", [{"Name": "v"}], True),
        ("DeploymentConfiguration", {"MaximumPercent": 150}, False),
        ("PlacementStrategies", [{"Type": "random"}], False),
        ("Tags", [{"Key": "a", "Value": "b"}], False),
    ],
)
def test_each_ecs_service_property_a_task_is_launched_with_starts_a_deployment(
    key: str, value: Any, deploys: bool
):
    """What a task is launched with (its definition, network, load balancers, registries,
    Service Connect, capacity providers, platform version, volumes) or a forced deployment
    starts new tasks; the deployment configuration, placement and tags change no running task."""
    old = {"Resources": {"Service": {"Type": "AWS::ECS::Service", "Properties": {}}}}
    new = copy.deepcopy(old)
    new["Resources"]["Service"]["Properties"][key] = value
    finding = only(diff_template("s.yaml", old, new))
    assert finding.severity == SAFE
    assert finding.change == f"{key} updated in place" + (
        "; the service starts a deployment: new tasks take over from the running ones"
        if deploys
        else ""
    )


def test_a_network_change_of_another_service_type_starts_no_ecs_deployment():
    old = {"Resources": {"App": {"Type": "AWS::AppRunner::Service", "Properties": {}}}}
    new = copy.deepcopy(old)
    new["Resources"]["App"]["Properties"]["NetworkConfiguration"] = {"IpAddressType": "IPV4"}
    assert only(diff_template("s.yaml", old, new)).change == "NetworkConfiguration updated in place"


def test_an_exported_list_that_held_a_deleted_subnet_certainly_changes(tmp_path):
    """A fourth trial: a running 3-AZ stack updated to a 2-AZ build was told its exported
    subnet lists "may change"; the third subnet, which the list held, is deleted. Without the
    running values the list holds it only under a condition: "may" stays."""
    from troposphere_fargate import NetworkConfig, ProductConfig, generate, write_version

    write_version(tmp_path, generate(ProductConfig(network=NetworkConfig(max_azs=2)), "two"), "two")
    old = load_side(__version__, REPO / "templates")
    new = load_side(str(tmp_path / "two"), tmp_path)
    running = diff_stacks(old, new, {"NumberOfAzs": "3"})
    network = {f.subject: f.change for f in running if f.template == "network.yaml"}
    assert network["output PrivateSubnetIds"].startswith(
        "exported value changes (PrivateSubnet3 is deleted)"
    )
    templates = {f.subject: f.change for f in diff(old, new) if f.template == "network.yaml"}
    assert templates["output PrivateSubnetIds"].startswith("exported value may change")


def test_an_output_followed_into_another_stack_is_compared_as_text():
    """A nested stack's output moving from the literal 8080 to a parameter of 8080 is the same
    value for the stacks it is passed to: it said the sibling's topic was replaced and the
    root's export broke (the text comparison was made for one template's findings only, not
    for the outputs followed into others)."""
    old = nesting("8080")
    old["root.yaml"]["Parameters"]["P"]["Default"] = "8080"
    new = copy.deepcopy(old)
    old["a.yaml"]["Outputs"]["X"]["Value"] = 8080
    new["a.yaml"]["Outputs"]["X"]["Value"] = {"Ref": "P"}
    assert diff_stacks(old, new, {}, {}) == []


# "appProtocol is immutable in a Service Connect service. Updating this field requires a service
# deletion and redeployment" (ECS API Reference, PortMapping:
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html).
APP_PROTOCOL_FAILS = "the update fails: the AppProtocol of the port mapping Service Connect"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("{port: 9000, expose: internal}", "{port: 9000, expose: internal, app_protocol: http}"),
        ("{port: 9000, expose: internal, app_protocol: http}", "{port: 9000, expose: internal}"),
        (
            "{port: 9000, expose: internal, app_protocol: http}",
            "{port: 9000, expose: internal, app_protocol: grpc}",
        ),
        (
            '{port: 9000, expose: public, routing: {path: "/api/*", priority: 10}, connect: true}',
            '{port: 9000, expose: public, routing: {path: "/api/*", priority: 10}, connect: true, '
            "app_protocol: http2}",
        ),
    ],
    ids=["added", "removed", "changed", "connect"],
)
def test_a_new_app_protocol_of_a_service_connect_service_fails_the_update(before, after):
    old, new = _environment(before), _environment(after)
    for findings in (diff(old, new), diff_stacks(old, new, ROOT_VALUES, region="eu-west-1")):
        (failing,) = [f for f in findings if "AppProtocol" in f.change]
        assert failing.template == "service-api.yaml" and failing.subject == "resource Service"
        assert failing.severity == BREAKING
        assert failing.change.startswith(APP_PROTOCOL_FAILS)
        assert "appProtocol is immutable in a Service Connect service" in failing.change
    # The same protocol, or a service Service Connect does not serve: nothing to say.
    assert not [f for f in diff(new, new) if "AppProtocol" in f.change]


def _served(app: dict[str, Any], admin: dict[str, Any]) -> dict[str, Any]:
    """A service Service Connect serves by its task definition's port "app" (not "admin")."""
    template = internal_service("80")
    template["Resources"]["Service"]["Properties"]["TaskDefinition"] = {"Ref": "Task"}
    ports = [
        {"Name": "app", "ContainerPort": 80, **app},
        {"Name": "admin", "ContainerPort": 81, **admin},
    ]
    container = {"Name": "c", "Image": "i", "PortMappings": ports}
    template["Resources"]["Task"] = {
        "Type": "AWS::ECS::TaskDefinition",
        "Properties": {"ContainerDefinitions": [container]},
    }
    return template


def test_the_protocol_of_the_served_port_fails_the_update_and_another_port_s_does_not():
    old = _served({"Protocol": "tcp"}, {"AppProtocol": "http"})
    udp = _served({"Protocol": "udp"}, {"AppProtocol": "http"})
    (failing,) = [f for f in diff_template("t.yaml", old, udp) if f.change.startswith("the update")]
    assert (failing.subject, failing.severity) == ("resource Service", BREAKING)
    assert failing.change.startswith(
        "the update fails: the Protocol of the port mapping Service Connect serves it by changes"
    )
    grpc = _served({"Protocol": "tcp"}, {"AppProtocol": "grpc"})
    assert not [f for f in diff_template("t.yaml", old, grpc) if "the update fails" in f.change]
    # A port's name under an Fn::If is its name in that branch.
    for side in (old, udp):
        ports = side["Resources"]["Task"]["Properties"]["ContainerDefinitions"][0]["PortMappings"]
        ports[0]["Name"] = {"Fn::If": ["Named", "app", "other"]}
    assert [f.subject for f in diff_template("t.yaml", old, udp) if "update fails" in f.change] == [
        "resource Service"
    ]
    # Under a function, whether it changes is the stack's values' to say (diff_stacks).
    given = _served({"AppProtocol": {"Ref": "Protocol"}}, {})
    other = _served({"AppProtocol": {"Ref": "OtherProtocol"}}, {})
    assert not [f for f in diff_template("t.yaml", given, other) if "update fails" in f.change]
    # A service replaced is created with its new protocol: what fails is its name.
    renamed = copy.deepcopy(udp)
    old["Resources"]["Service"]["Properties"]["ServiceName"] = "a"
    renamed["Resources"]["Service"]["Properties"]["ServiceName"] = "b"
    (failing,) = [f for f in diff_template("t.yaml", old, renamed) if "update fails" in f.change]
    assert failing.change.startswith("the update fails: the new service is created while the old")


def test_the_shipped_service_fails_only_when_a_running_internal_service_changes_protocol():
    """ServiceConnectAppProtocol is empty by default: 0.3.0 to this version changes no
    service's protocol. Given on a running internal service, it does, and ECS refuses it."""
    assert not [
        f for f in diff(shipped("0.3.0"), shipped(__version__)) if "AppProtocol" in f.change
    ]
    sides = _shipped_service_side()
    changed = diff_stacks(
        sides, sides, INTERNAL_IN_ENVIRONMENT, {"ServiceConnectAppProtocol": "grpc"}, "eu-west-1"
    )
    assert [(f.severity, f.subject) for f in changed if "AppProtocol" in f.change] == [
        (BREAKING, "resource Service")
    ]
    # What to do names a way the shipped template has (no parameter removes its Service: a
    # review found "remove the service in an update of its own" said of it).
    (failing,) = [f for f in changed if "AppProtocol" in f.change]
    assert failing.change.endswith(
        "Remove the service first (a spec's: leave it out of one update; a stack of the "
        "shipped service.yaml: delete the stack), then create it again with the new protocol"
    )
    grpc = {**INTERNAL_IN_ENVIRONMENT, "ServiceConnectAppProtocol": "grpc"}
    kept = diff_stacks(sides, sides, grpc, {}, "eu-west-1")
    assert not [f for f in kept if "AppProtocol" in f.change]


# Runs the CLI in a fresh interpreter and says what it printed and whether cfn-lint was loaded.
_IMPORTS_CFNLINT = """
import contextlib, io, json, sys
from troposphere_fargate import cli
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = cli.main(sys.argv[1:])
print(json.dumps({"code": code, "out": out.getvalue(), "cfnlint": "cfnlint" in sys.modules}))
"""


def _diff_in_a_fresh_process(*args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS_CFNLINT, "diff", *args, "--format", "json"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    )
    ran: dict[str, Any] = json.loads(result.stdout)
    return ran


def _edited_copy(folder: Path, edits: Mapping[str, tuple[str, str]]) -> Path:
    """This version's templates copied into ``folder``, each edit (file: old text, new text)
    made where the old text is, once."""
    folder.mkdir()
    for path in (REPO / "templates" / __version__).iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name in edits:
            before, after = edits[path.name]
            assert text.count(before) == 1, (path.name, before)
            text = text.replace(before, after)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def test_a_diff_that_changes_no_resource_property_does_not_load_cfn_lint(tmp_path):
    """``diff 0.4.0 0.4.0`` took ~1 s, 0.9 s of it importing cfn-lint (and sympy) for the
    resource schemas the knock-on pass asked of every resource, though nothing was replaced and
    no default had changed. Identical templates, and templates whose parameters, outputs and
    metadata alone differ, are compared without them, to the same findings."""
    identical = _diff_in_a_fresh_process(__version__, __version__)
    assert identical == {"code": 0, "out": "[]\n", "cfnlint": False}
    values = [
        "TemplateBucketName=my-templates",
        f"ContainerImage={SERVICE_REQUIRED['ContainerImage']}",
    ]
    as_stacks = _diff_in_a_fresh_process(__version__, __version__, "--parameters", *values)
    assert as_stacks == {"code": 0, "out": "[]\n", "cfnlint": False}
    # A parameter's description, an output's, a console label; a parameter added.
    edits = {
        "service.yaml": (
            "Description: IPv4 range allowed to reach the load balancer; 0.0.0.0/0 is everyone.",
            "Description: who may reach the load balancer",
        ),
        "environment.yaml": ("Name of the ECS cluster the services run in", "the cluster"),
        "network.yaml": ("\nParameters:\n", "\nParameters:\n  Unused:\n    Type: String\n"),
    }
    described = _diff_in_a_fresh_process(__version__, str(_edited_copy(tmp_path / "d", edits)))
    assert described["cfnlint"] is False
    assert json.loads(described["out"]) == [
        {
            "template": "network.yaml",
            "severity": BREAKING,
            "subject": "parameter Unused",
            "change": "added without a default: the update that adds it must supply it",
        }
    ]
    # A property changed: whether that replaces the resource, the schemas say.
    retention = ("RetentionInDays: !Ref LogRetentionDays", "RetentionInDays: 365")
    changed = _edited_copy(tmp_path / "p", {"service.yaml": retention})
    assert _diff_in_a_fresh_process(__version__, str(changed))["cfnlint"] is True


def test_a_weaker_policy_says_which_event_it_governs():
    """The DeletionPolicy governs a resource the stack deletes, the UpdateReplacePolicy the old
    one an update replaces ("UpdateReplacePolicy differs from the DeletionPolicy attribute in
    that it only applies to resources replaced during stack updates", User Guide): both said
    "when deleted or replaced"."""
    kept = {**DATABASE, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    findings = diff_template(
        "t.yaml",
        {"Resources": {"Db": kept}},
        {"Resources": {"Db": {**DATABASE, "DeletionPolicy": "Retain"}}},
    )
    assert [f.change for f in findings] == [
        "UpdateReplacePolicy Retain -> Delete: no longer kept when replaced"
    ]
    findings = diff_template(
        "t.yaml",
        {"Resources": {"Db": kept}},
        {"Resources": {"Db": {**DATABASE, "UpdateReplacePolicy": "Retain"}}},
    )
    assert [f.change for f in findings] == [
        "DeletionPolicy Retain -> Snapshot: no longer kept when deleted"
    ]


def _respelled(node: Any) -> Any:
    """``node`` with every ``Fn::GetAtt [Name, Attribute]`` of two strings written
    ``Name.Attribute``, the dotted text CloudFormation takes in the long form too ("``{"Fn::GetAtt":
    "IamRole.Arn"}`` is valid", https://github.com/cdklabs/decdk/issues/211; cfn-lint reads it,
    https://github.com/aws-cloudformation/cfn-lint/pull/372)."""
    if isinstance(node, list):
        return [_respelled(item) for item in node]
    if not isinstance(node, dict):
        return node
    target = node.get("Fn::GetAtt") if len(node) == 1 else None
    if isinstance(target, list) and all(isinstance(part, str) for part in target):
        return {"Fn::GetAtt": ".".join(target)}
    return {key: _respelled(item) for key, item in node.items()}


def test_a_get_att_respelled_is_no_change():
    """``Fn::GetAtt: Bucket.Arn`` and ``Fn::GetAtt: [Bucket, Arn]`` are one value: writing every
    ``Fn::GetAtt`` of the shipped templates the other way (the root's ``NetworkStack.Outputs.VpcId``
    included) changes nothing. Before, each was a difference inside a function: "VpcId may
    replace" a security group, an exported output "may change"."""
    old = shipped(__version__)
    new = _respelled(old)
    assert json.dumps(new).count('"Fn::GetAtt": "') > 50  # the spelling did change (88 places)
    assert '"Fn::GetAtt": "NetworkStack.Outputs.' in json.dumps(new["root.yaml"])
    assert diff(old, new) == []
    assert diff(new, old) == []


def test_a_dotted_get_att_that_names_another_resource_is_a_certain_change():
    """An exported output whose ``Fn::GetAtt: Bucket.Arn`` becomes ``Other.Arn`` names another
    resource, as ``[Bucket, Arn]`` -> ``[Other, Arn]`` does: a certain change, not "may"."""

    def template(target: Any) -> dict[str, Any]:
        return {
            "Resources": {
                "Bucket": {"Type": "AWS::S3::Bucket"},
                "Other": {"Type": "AWS::S3::Bucket"},
            },
            "Outputs": {"Arn": {"Value": {"Fn::GetAtt": target}, "Export": {"Name": "x-arn"}}},
        }

    for was, now in (("Bucket.Arn", "Other.Arn"), (["Bucket", "Arn"], "Other.Arn")):
        finding = only(diff_template("t.yaml", template(was), template(now)))
        assert finding.severity == BREAKING
        assert finding.change.startswith(
            "exported value changes (it names Other instead of Bucket)"
        ), finding.change


def _exported(resources: dict[str, str], value: Any) -> dict[str, Any]:
    """A template of ``resources`` (logical ID -> type) exporting ``value``."""
    return {
        "Resources": {name: {"Type": kind} for name, kind in resources.items()},
        "Outputs": {"Out": {"Value": value, "Export": {"Name": "x-out"}}},
    }


def test_an_output_naming_another_resource_changes_only_when_their_values_cannot_be_one():
    """Another resource's ``Ref`` or ARN (or its own generated ID, its schema's primary
    identifier) is another value, also inside an ``Fn::Sub`` otherwise the same but for
    values no update changes; another resource's
    attribute that two resources can share is not (every application load balancer of a
    region has one ``CanonicalHostedZoneID``: "use the value that corresponds with the region
    that you created your load balancer in", the Elastic Load Balancing endpoints table of the
    AWS General Reference, https://docs.aws.amazon.com/general/latest/gr/elb.html, as
    https://repost.aws/questions/QUxBm_VpvST7a_2mTd8aNKZA quotes it; a secret's ARN is also
    its target attachment's Ref; a custom resource's values are what its function returns;
    two Macie sessions are one account's, "AWS account ID of customer", its schema's
    AwsAccountId; an SSM service setting's ARN is that of the setting it updates, SSM API
    Reference, UpdateServiceSetting). diff called those certain changes of an exported
    output, and a ``${Bucket.Arn}/*`` -> ``${Other.Arn}/*`` only a possible one."""
    buckets = {"Bucket": "AWS::S3::Bucket", "Other": "AWS::S3::Bucket"}
    balancers = {
        "Public": "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "Internal": "AWS::ElasticLoadBalancingV2::LoadBalancer",
    }
    groups = {"Tasks": "AWS::EC2::SecurityGroup", "Balancer": "AWS::EC2::SecurityGroup"}
    secret = {
        "Secret": "AWS::SecretsManager::Secret",
        "Attachment": "AWS::SecretsManager::SecretTargetAttachment",
    }
    listeners = dict.fromkeys(("Http", "Https"), "AWS::ElasticLoadBalancingV2::Listener")
    services = dict.fromkeys(("Web", "Api"), "AWS::ECS::Service")
    lookups = dict.fromkeys(("LookupA", "LookupB"), "Custom::Lookup")
    macie = dict.fromkeys("AB", "AWS::Macie::Session")
    settings = dict.fromkeys("AB", "AWS::SSM::ServiceSetting")
    certain = "exported value changes (it names {} instead of {}): CloudFormation refuses"
    cases = [
        (buckets, {"Fn::Sub": "${Bucket.Arn}/*"}, {"Fn::Sub": "${Other.Arn}/*"}, "Other"),
        (
            buckets,
            {"Fn::Sub": "${Bucket}"},
            {"Fn::Sub": ["${B}", {"B": {"Ref": "Other"}}]},
            "Other",
        ),
        (
            groups,
            {"Fn::GetAtt": "Tasks.GroupId"},
            {"Fn::GetAtt": ["Balancer", "GroupId"]},
            "Balancer",
        ),
        (
            balancers,
            {"Fn::GetAtt": "Public.LoadBalancerArn"},
            {"Fn::GetAtt": "Internal.LoadBalancerArn"},
            "Internal",
        ),
        (
            balancers,
            {"Fn::GetAtt": "Public.CanonicalHostedZoneID"},
            {"Fn::GetAtt": "Internal.CanonicalHostedZoneID"},
            None,
        ),
        (
            balancers,
            {"Fn::GetAtt": "Public.DNSName"},
            {"Fn::GetAtt": "Internal.LoadBalancerArn"},
            None,
        ),
        (secret, {"Ref": "Secret"}, {"Ref": "Attachment"}, None),
        # Two variables changed: "${A}${B}" and "${C}${D}" can be one text.
        (buckets, {"Fn::Sub": "${Bucket}${Other}"}, {"Fn::Sub": "${Other}${Bucket}"}, None),
        (buckets, {"Fn::Sub": "${Bucket.Arn}/*"}, {"Fn::Sub": "${Other.Arn}/a/*"}, None),
        # Another variable the update may change moves where the changed one ends: "logs" +
        # "-eu-x" and "logs-eu" + "-x" are one text.
        (buckets, {"Fn::Sub": "${Bucket}-${Suffix}"}, {"Fn::Sub": "${Other}-${Suffix}"}, None),
        (
            buckets,
            {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"},
            {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Other}/*"},
            "Other",
        ),
        # A Ref and the same resource's ARN attribute name the resource alike.
        (listeners, {"Ref": "Http"}, {"Fn::GetAtt": "Https.ListenerArn"}, "Https"),
        (services, {"Fn::GetAtt": "Web.ServiceArn"}, {"Fn::GetAtt": "Api.ServiceArn"}, "Api"),
        (services, {"Fn::GetAtt": "Web.Name"}, {"Fn::GetAtt": "Api.Name"}, None),
        # A custom resource's Ref and attributes are what its function returns.
        (lookups, {"Fn::GetAtt": "LookupA.Arn"}, {"Fn::GetAtt": "LookupB.Arn"}, None),
        (lookups, {"Ref": "LookupA"}, {"Ref": "LookupB"}, None),
        # Settings of the account: every one of a type has the account's identifier.
        (macie, {"Fn::GetAtt": "A.AwsAccountId"}, {"Fn::GetAtt": "B.AwsAccountId"}, None),
        (macie, {"Ref": "A"}, {"Ref": "B"}, None),
        (settings, {"Fn::GetAtt": "A.Arn"}, {"Fn::GetAtt": "B.Arn"}, None),
        # An attribute given by a function may be any of them.
        (
            buckets,
            {"Fn::GetAtt": ["Bucket", {"Ref": "Attribute"}]},
            {"Fn::GetAtt": ["Other", {"Ref": "Attribute"}]},
            None,
        ),
    ]
    for resources, was, now, named in cases:
        finding = only(
            diff_template("t.yaml", _exported(resources, was), _exported(resources, now))
        )
        assert finding.severity == BREAKING
        if named:
            was_name = next(name for name in resources if name != named)
            assert finding.change.startswith(certain.format(named, was_name)), (was, finding)
        else:
            assert finding.change.startswith("exported value may change"), (was, finding)


def test_a_create_only_property_naming_another_resources_arn_replaces():
    """A listener rule's ``ListenerArn`` (create-only) moved from one listener's
    ``ListenerArn`` attribute to another's is a certain replacement, as ``Ref`` already was;
    to an attribute two resources may share, a possible one."""

    def rule(listener: Any) -> dict[str, Any]:
        kind = "AWS::ElasticLoadBalancingV2::Listener"
        properties = {"ListenerArn": listener, "Priority": 1, "Actions": [], "Conditions": []}
        return {
            "Resources": {
                "Http": {"Type": kind},
                "Https": {"Type": kind},
                "Rule": {
                    "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
                    "Properties": properties,
                },
            }
        }

    def change(was: Any, now: Any) -> str:
        return only(diff_template("t.yaml", rule(was), rule(now))).change

    assert "ListenerArn replaces" in change(
        {"Fn::GetAtt": "Http.ListenerArn"}, {"Fn::GetAtt": ["Https", "ListenerArn"]}
    )
    assert "ListenerArn replaces" in change({"Ref": "Http"}, {"Ref": "Https"})
    assert "ListenerArn may replace" in change(
        {"Fn::GetAtt": "Http.ListenerArn"}, {"Fn::GetAtt": "Http.ListenerArns"}
    )
    assert "ListenerArn may replace" in change(
        {"Fn::GetAtt": ["Http", {"Ref": "Attribute"}]},
        {"Fn::GetAtt": ["Https", {"Ref": "Attribute"}]},
    )


def test_a_dotted_get_att_of_a_nested_output_is_followed():
    """The root passes a nested stack's output written ``NetworkStack.Outputs.VpcId`` as it
    passes ``[NetworkStack, Outputs.VpcId]``: a VPC under a new logical ID reaches the service's
    VpcId either way (the findings of the test above it, with the root respelled)."""
    old = shipped(__version__)
    new = copy.deepcopy(old)
    text = json.dumps(new["network.yaml"])
    for was, now in (('"Ref": "Vpc"}', '"Ref": "MainVpc"}'), ('["Vpc", ', '["MainVpc", ')):
        text = text.replace(was, now)
    new["network.yaml"] = json.loads(text)
    new["network.yaml"]["Resources"]["MainVpc"] = new["network.yaml"]["Resources"].pop("Vpc")
    listed = diff(old, new)
    old["root.yaml"], new["root.yaml"] = _respelled(old["root.yaml"]), _respelled(new["root.yaml"])
    dotted = diff(old, new)
    assert dotted == listed
    assert any(
        f.template == "service.yaml"
        and f.subject == "parameter VpcId"
        and "it names MainVpc instead of Vpc" in f.change
        for f in dotted
    )


def test_a_parameter_given_allowed_values_or_a_higher_min_length_is_breaking():
    """A running stack's value may be none of the new AllowedValues, or shorter than the new
    MinLength; a pattern removed refuses nothing accepted before."""
    old = {
        "Parameters": {
            "Name": {"Type": "String", "Default": "a", "AllowedPattern": "^.*$", "MinLength": 1}
        },
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }

    def findings(**edit: Any) -> list[tuple[str, str]]:
        new = copy.deepcopy(old)
        for key, value in edit.items():
            if value is None:
                del new["Parameters"]["Name"][key]
            else:
                new["Parameters"]["Name"][key] = value
        return [(f.severity, f.change) for f in diff_template("t.yaml", old, new)]

    assert findings(AllowedValues=["a", "b"]) == [(BREAKING, "AllowedValues added")]
    assert findings(MinLength=3) == [(BREAKING, "MinLength raised to 3")]
    assert findings(AllowedPattern=None) == []


def test_a_resource_renamed_is_told_only_when_one_old_and_one_new_are_alike():
    """Two removed resources alike the one added (or one removed alike two added) cannot say
    which became which: each is removed and added, none "renamed to"."""
    topic = {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x"}}
    two_into_one = diff_template(
        "t.yaml", {"Resources": {"A": topic, "B": topic}}, {"Resources": {"C": topic}}
    )
    assert [(f.subject, f.change) for f in two_into_one] == [
        ("resource A", "removed (AWS::SNS::Topic): deleted on update"),
        ("resource B", "removed (AWS::SNS::Topic): deleted on update"),
        ("resource C", "added (AWS::SNS::Topic)"),
    ]
    one_into_two = diff_template(
        "t.yaml", {"Resources": {"A": topic}}, {"Resources": {"C": topic, "D": topic}}
    )
    assert [(f.subject, f.change) for f in one_into_two] == [
        ("resource A", "removed (AWS::SNS::Topic): deleted on update"),
        ("resource C", "added (AWS::SNS::Topic)"),
        ("resource D", "added (AWS::SNS::Topic)"),
    ]


def test_a_custom_name_under_a_condition_or_an_ecs_service_name_fails_a_replacement():
    """A name in an Fn::If may be no name (AWS::NoValue): the replacement fails only "if it is
    replaced with its name". An ECS service's ServiceName is a custom name too
    (aws/aws-cdk#4347)."""

    def target_group(port: str) -> dict[str, Any]:
        template = _target_group({"Fn::If": ["Named", "web", {"Ref": "AWS::NoValue"}]}, port)
        template["Conditions"] = {"Named": {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}}
        return template

    conditional = diff_template("t.yaml", target_group("80"), target_group("8080"))
    assert _fails(conditional)["resource TargetGroup"].startswith(
        "the update fails if it is replaced with its name: CloudFormation does not replace a "
        "resource with a custom name (Name)"
    )
    old, new = _ecs_service("a", ServiceName="api"), _ecs_service("b", ServiceName="api")
    assert _fails(diff_template("t.yaml", old, new))["resource Service"].startswith(
        "the update fails: CloudFormation does not replace a resource with a custom name "
        "(ServiceName)"
    )


def _ecs_service(cluster: Any, **properties: Any) -> dict[str, Any]:
    return {
        "Parameters": {"Cluster": {"Type": "String", "Default": "a"}},
        "Resources": {
            "Service": {
                "Type": "AWS::ECS::Service",
                "Properties": {"Cluster": cluster, "TaskDefinition": "td", **properties},
            }
        },
    }


def test_a_service_with_service_connect_that_may_be_replaced_may_fail_the_update():
    """A cluster given by a parameter may be another: the service may be replaced, and its
    replacement then fails on the Service Connect name the old one holds."""
    connect = {"Enabled": True, "Namespace": "ns", "Services": [{"PortName": "http"}]}
    old = _ecs_service("a", ServiceConnectConfiguration=connect)
    new = _ecs_service({"Ref": "Cluster"}, ServiceConnectConfiguration=connect)
    assert _fails(diff_template("t.yaml", old, new))["resource Service"].startswith(
        "the update fails if it is replaced: the new service is created while the old one still "
        'holds its Service Connect name ("SC service is already used")'
    )


def _nat_gateway(subnet: Any, allocation: Any, domain: Any = "vpc") -> dict[str, Any]:
    return {
        "Parameters": {
            "Subnet": {"Type": "String", "Default": "subnet-1"},
            "Domain": {"Type": "String", "Default": "vpc"},
        },
        "Resources": {
            "Eip": {"Type": "AWS::EC2::EIP", "Properties": {"Domain": domain}},
            "Nat": {
                "Type": "AWS::EC2::NatGateway",
                "Properties": {"SubnetId": subnet, "AllocationId": allocation},
            },
        },
    }


def test_a_nat_gateway_that_may_be_replaced_or_whose_address_may_be_may_fail():
    """A NAT gateway that only may be replaced may fail on the address it holds; one replaced
    for certain with an Elastic IP that only may be replaced may still ask for the held
    address: only a certain new address is no clash."""
    fixed = diff_template(
        "t.yaml",
        _nat_gateway("subnet-1", "eipalloc-1"),
        _nat_gateway({"Ref": "Subnet"}, "eipalloc-1"),
    )
    assert _fails(fixed)["resource Nat"].startswith(
        "the update fails if it is replaced: CloudFormation creates the new NAT gateway"
    )
    eip = {"Fn::GetAtt": ["Eip", "AllocationId"]}
    old = _nat_gateway("subnet-1", eip)
    maybe_new = _nat_gateway("subnet-2", eip, {"Ref": "Domain"})
    assert _fails(diff_template("t.yaml", old, maybe_new))["resource Nat"].startswith(
        "the update fails: CloudFormation creates the new NAT gateway"
    )
    assert _fails(diff_template("t.yaml", old, _nat_gateway("subnet-2", eip, "standard"))) == {}


def test_a_removed_parameter_is_not_guessed_renamed_to_one_of_another_default():
    """A rename keeps the parameter's type and default: a new parameter of the same type but
    another default is not named as what the old one may have become."""
    old = {"Parameters": {"Worker": {"Type": "String", "Default": "a"}}, "Resources": {}}
    new = {"Parameters": {"Jobs": {"Type": "String", "Default": "b"}}, "Resources": {}}
    changes = {f.subject: f.change for f in diff_template("t.yaml", old, new)}
    assert changes == {
        "parameter Worker": "removed: stacks that pass it fail to update",
        "parameter Jobs": "added, with a default",
    }


def test_an_output_given_a_condition_is_breaking():
    """An output under a condition may no longer be there for what reads it."""
    old = {
        "Conditions": {"On": {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"Topic": {"Value": {"Ref": "T"}}},
    }
    new = copy.deepcopy(old)
    new["Outputs"]["Topic"]["Condition"] = "On"
    findings = [(f.severity, f.subject, f.change) for f in diff_template("t.yaml", old, new)]
    assert findings == [(BREAKING, "output Topic", "condition changed")]


def test_an_exported_sub_of_a_deleted_resource_certainly_changes():
    """An Fn::Sub's ``${A}`` holds A as surely as a Ref does: A deleted, the value changes."""

    def template(topics: str, value: Any) -> dict[str, Any]:
        return {
            "Resources": {topic: {"Type": "AWS::SNS::Topic"} for topic in topics},
            "Outputs": {"Out": {"Value": value, "Export": {"Name": "out"}}},
        }

    old = template("AB", {"Fn::Sub": "${A}-x"})
    new = template("B", {"Fn::Join": ["", [{"Ref": "B"}, "-x"]]})
    output = only([f for f in diff_template("t.yaml", old, new) if f.subject == "output Out"])
    assert (output.severity, output.change) == (
        BREAKING,
        "exported value changes (A is deleted): CloudFormation refuses the update while another "
        "stack imports it",
    )


def test_an_output_of_a_resource_whose_id_a_new_parameter_takes_may_change():
    """A resource deleted and a parameter of the same logical ID added: the output's Ref reads
    the parameter now, whose value may be another (the mutation run's nd1 found the output
    said nothing of it)."""
    output = {"Out": {"Value": {"Ref": "Topic"}, "Export": {"Name": "out"}}}
    old = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": output}
    new = {
        "Parameters": {"Topic": {"Type": "String", "Default": "arn:aws:sns:eu-west-1:1:t"}},
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
        "Outputs": output,
    }
    (found,) = [f for f in diff_template("t.yaml", old, new) if f.subject == "output Out"]
    assert found.change.startswith(
        "exported value may change (Topic is a parameter now, no longer a resource)"
    ), found.change


def _switched(default: str) -> dict[str, Any]:
    """A target group whose create-only Protocol an Fn::If chooses, by a condition (through
    another) on a parameter, and a resource that exists only under such a condition."""
    return {
        "Parameters": {
            "LoadBalancerType": {"Type": "String", "Default": default},
            "NumberOfAzs": {"Type": "String", "Default": "3" if default == "application" else "2"},
        },
        "Conditions": {
            "IsApplication": {"Fn::Equals": [{"Ref": "LoadBalancerType"}, "application"]},
            "IsHttp": {"Condition": "IsApplication"},
            "HasThreeAzs": {"Fn::Equals": [{"Ref": "NumberOfAzs"}, "3"]},
        },
        "Resources": {
            "TargetGroup": {
                "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
                "Properties": {
                    "Port": 80,
                    "Protocol": {"Fn::If": ["IsHttp", "HTTP", "TCP"]},
                    "VpcId": "vpc-1",
                },
            },
            "ThirdSubnet": {
                "Type": "AWS::EC2::Subnet",
                "Condition": "HasThreeAzs",
                "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"},
            },
        },
    }


def test_a_create_only_property_an_fn_if_switches_on_a_changed_default_may_replace():
    """A review: a spec build with ``load_balancer: network`` against ``application`` said the
    load balancer may be replaced (its Type refers to LoadBalancerType) but nothing of its
    target group, whose create-only Protocol is ``!If [IsApplicationLoadBalancer, HTTP, TCP]``:
    the property names no parameter, its condition does. Nor of the third subnet's resources
    when NumberOfAzs' default went from 3 to 2."""
    findings = {
        f.subject: (f.severity, f.change)
        for f in diff_template("t.yaml", _switched("application"), _switched("network"))
    }
    assert findings["resource TargetGroup"] == (
        DESTRUCTIVE,
        "may replace: its Protocol (no update changes it in place) uses LoadBalancerType, whose "
        "default changed (stacks that kept the default)",
    )
    assert findings["resource ThirdSubnet"][1] == (
        "its condition HasThreeAzs uses NumberOfAzs, whose default changed: may be deleted or "
        "created on update (stacks that kept the default)"
    )
    # The same defaults on both sides: nothing to say of either.
    same = diff_template("t.yaml", _switched("network"), _switched("network"))
    assert [f for f in same if f.subject.startswith("resource")] == []


def test_a_root_that_passes_a_changed_default_keeps_the_nested_may_replace():
    """The same through a root, which passes its own LoadBalancerType (whose default changed
    too) to the nested service: the target group's Protocol may be replaced. Leaving out the
    defaults a parent passes (a review's suggestion) lost this finding and the load
    balancer's: the root's value is its new default."""
    from troposphere_fargate import ProductConfig, ServiceConfig
    from troposphere_fargate.layers import layers_for
    from troposphere_fargate.release.build import render_templates

    def side(kind: str) -> dict[str, Any]:
        config = ProductConfig(service=ServiceConfig(default_load_balancer_type=kind))
        built = render_templates(config)
        return {layer.filename: built[layer.name] for layer in layers_for(config)}

    found = {
        (f.template, f.subject): f.change
        for f in diff(side("application"), side("network"))
        if f.severity == DESTRUCTIVE
    }
    assert found[("service.yaml", "resource TargetGroup")].startswith(
        "may replace: its Protocol (no update changes it in place) uses LoadBalancerType"
    )
    assert ("service.yaml", "resource LoadBalancer") in found


# diff of the shipped StackSet's stack with its values (--parameters), in eu-west-1.
_STACKSET = str(REPO / "templates" / __version__ / "stackset.yaml")
STACKSET_DIFF = [
    "diff",
    _STACKSET,
    _STACKSET,
    "--region",
    "eu-west-1",
    "--parameters",
    "OrganizationalUnitIds=ou-ab12-cdef3456",
    "DeploymentRegions=eu-west-1",
    "TemplateBucketName=my-templates-eu-west-1",
    "ContainerImage=123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2",
]


def test_a_stackset_update_is_followed_into_the_stacks_it_updates(capsys):
    """A user's review: diff of stackset.yaml with --set NatGateways=Single said only
    "StackSet: Parameters updated in place" (safe, exit 0), while each account's stack loses a
    NAT gateway and its Elastic IP: a StackSet's update updates its stack instances with the
    values it passes ("use UpdateStackSet to update all stack instances with the updated
    template and parameter value specified in the StackSet", CloudFormation API Reference,
    UpdateStackInstances), so diff follows its TemplateURL to the template beside it, as it
    follows a nested stack's."""
    assert cli.main([*STACKSET_DIFF, "--set", "NatGateways=Single"]) == 1
    assert capsys.readouterr().out == (
        "instance.yaml\n"
        "  destructive  resource NatGateway2: removed (AWS::EC2::NatGateway): deleted on update\n"
        "  destructive  resource NatGateway2Eip: removed (AWS::EC2::EIP): deleted on update\n"
        "  safe         resource PrivateDefaultRoute2: NatGatewayId updated in place\n"
        "stackset.yaml\n"
        "  safe         resource StackSet: Parameters updated in place\n"
    )


def test_a_value_a_stackset_passes_as_written_is_what_its_stacks_get(capsys):
    """A review: stackset.yaml passes WebAclArn '' to every account; --set WebAclArn=... was
    taken for instance.yaml by its name, and diff said each stack gains a web ACL."""
    acl = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/" + "a" * 36
    assert cli.main([*STACKSET_DIFF, "--set", f"WebAclArn={acl}"]) == 0
    assert capsys.readouterr().out == "no differences\n"


SET_OF_MEMBERS = """Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: s
      PermissionModel: SELF_MANAGED
      TemplateURL: https://b.s3.eu-west-1.amazonaws.com/member.yaml
      Parameters:
        - {ParameterKey: Size, ParameterValue: "2"}
      StackInstancesGroup:
        - DeploymentTargets: {Accounts: ["111122223333"]}
          Regions: [eu-west-1]
          ParameterOverrides:
            - {ParameterKey: QueueName, ParameterValue: orders}
"""
MEMBER = """Parameters:
  QueueName: {Type: String}
  Size: {Type: String}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: !Ref QueueName}
"""


def test_a_parameter_a_stackset_overrides_per_account_is_passed(tmp_path):
    """A review: QueueName, given to the stacks through StackInstancesGroup's
    ParameterOverrides, was "breaking: the root does not pass it"; a StackSet whose template is
    inline (TemplateBody) was "not compared: its TemplateURL names no file"."""
    from troposphere_fargate.cfn.diff import load_sides

    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "set.yaml").write_text(SET_OF_MEMBERS)
        (tmp_path / side / "member.yaml").write_text(MEMBER)
    old, new, notes = load_sides(str(tmp_path / "a"), str(tmp_path / "b"), tmp_path)
    assert notes == [] and diff(old, new) == []
    inline = {
        "Resources": {
            "Set": {
                "Type": "AWS::CloudFormation::StackSet",
                "Properties": {"StackSetName": "s", "TemplateBody": "Resources: {}"},
            }
        }
    }
    (tmp_path / "inline.yaml").write_text(json.dumps(inline))
    old, new, notes = load_sides(
        str(tmp_path / "inline.yaml"), str(tmp_path / "inline.yaml"), tmp_path
    )
    assert notes == []
