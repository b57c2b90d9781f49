"""instance.yaml: what root.yaml deploys, the network and the service, in one template without
nested stacks, for a StackSet with service-managed permissions (which deploys no template that
nests stacks: "Nested AWS::CloudFormation::Stack is not supported in service managed
AWS::CloudFormation::StackSet", aws-cloudformation/aws-cloudformation-resource-providers-
cloudformation#104)."""

from __future__ import annotations

import copy
import json

import pytest

from troposphere_fargate import ServiceConfig, __version__
from troposphere_fargate.cfn.evaluate import deployed
from troposphere_fargate.layers import instance, network, root, service
from troposphere_fargate.layers.root import Child, WiringError
from troposphere_fargate.release.build import render_templates

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"
LOCATION = {root.TEMPLATE_BUCKET_NAME, root.TEMPLATE_KEY_PREFIX, root.TEMPLATE_BUCKET_PER_REGION}
# What the root gives the service from the network (any ids: no condition compares them).
WIRED = {
    service.VPC_ID: "vpc-0a1b2c3d",
    service.PUBLIC_SUBNET_IDS: "subnet-01,subnet-02",
    service.PRIVATE_SUBNET_IDS: "subnet-11,subnet-12",
}


@pytest.fixture(scope="module")
def built() -> dict:
    return render_templates()


@pytest.fixture(scope="module")
def merged(built) -> dict:
    return built[instance.LAYER]


def test_it_asks_what_the_root_asks_less_where_the_templates_are(built, merged):
    """Derived from the same children as the root: each parameter declared as the root
    declares it (type, default, constraints, description), with its console label and group;
    the root's rules, all of them."""
    assert set(merged["Parameters"]) == set(built[root.LAYER]["Parameters"]) - LOCATION
    for name, declared in merged["Parameters"].items():
        assert declared == built[root.LAYER]["Parameters"][name], name
    assert merged["Rules"] == built[root.LAYER]["Rules"]

    def interface(template: dict) -> tuple[dict, dict]:
        metadata = template["Metadata"]["AWS::CloudFormation::Interface"]
        groups = {
            name: group["Label"]["default"]
            for group in metadata["ParameterGroups"]
            for name in group["Parameters"]
        }
        return metadata["ParameterLabels"], groups

    labels, groups = interface(merged)
    root_labels, root_groups = interface(built[root.LAYER])
    assert labels == {k: v for k, v in root_labels.items() if k not in LOCATION}
    assert groups == {k: v for k, v in root_groups.items() if k not in LOCATION}


def test_no_nested_stack_no_transform_and_no_parameter_the_root_leaves_at_its_default(merged):
    types = {resource["Type"] for resource in merged["Resources"].values()}
    assert "AWS::CloudFormation::Stack" not in types
    assert "Transform" not in merged
    text = json.dumps(merged)
    for name in (*service.JOIN_PARAMETERS, *service.ROUTING_PARAMETERS, *WIRED):
        assert json.dumps({"Ref": name}) not in text, name
        assert "${" + name + "}" not in text, name


VALUES = [
    {},
    {"NatGateways": "None", "VpcEndpoints": "true"},
    {"NumberOfAzs": "3", "NatGateways": "PerAz", "RestrictDefaultSecurityGroup": "false"},
    {"LoadBalancerType": "network", "DeploymentStrategy": "CANARY"},
    {"EnableExecuteCommand": "true", "CapacityProvider": "FARGATE_SPOT", "DesiredCount": "1"},
]


@pytest.mark.parametrize("values", VALUES, ids=lambda v: ",".join(v) or "defaults")
def test_it_makes_what_the_root_s_two_stacks_make_for_the_same_values(built, merged, values):
    """For each set of values, the resources (logical ID and type) of instance.yaml are those
    of network.yaml and of service.yaml given the network's ids, as the root's two stacks make
    them: the conditions decided by the defaults the root leaves are folded, not lost."""
    given = {"ContainerImage": IMAGE, **values}
    mine = deployed(merged, given).resources
    declared = {layer: set(built[layer]["Parameters"]) for layer in (network.LAYER, service.LAYER)}
    made = {}
    for layer in (network.LAYER, service.LAYER):
        own = {k: v for k, v in {**given, **WIRED}.items() if k in declared[layer]}
        made |= deployed(built[layer], own).resources
    assert {name: r["Type"] for name, r in mine.items() if name != instance.NETWORK_READY} == {
        name: r["Type"] for name, r in made.items()
    }


def test_the_service_waits_for_the_whole_network(built, merged):
    """As the root creates the network stack before the service's: the load balancer needs the
    internet gateway attached (not only the subnets it names), the tasks their NAT routes or
    endpoints. A resource under a condition is named through Fn::If (a DependsOn on a resource
    not created fails the template), the conditional DependsOn of
    aws/serverless-application-model#653."""
    resources = merged["Resources"]
    ready = resources[instance.NETWORK_READY]
    assert ready["Type"] == "AWS::CloudFormation::WaitConditionHandle"
    networked = set(built[network.LAYER]["Resources"])
    after = ready["Metadata"][instance.CREATED_AFTER]
    assert set(ready["DependsOn"]) | set(after) == networked
    for name in ready["DependsOn"]:
        assert "Condition" not in resources[name]
    for name, chosen in after.items():
        condition = resources[name]["Condition"]
        assert chosen == {"Fn::If": [condition, {"Ref": name}, {"Ref": "AWS::NoValue"}]}
    for name in set(resources) - networked - {instance.NETWORK_READY}:
        assert instance.NETWORK_READY in resources[name]["DependsOn"], name
    for name in networked:
        assert instance.NETWORK_READY not in str(resources[name].get("DependsOn")), name


def test_the_service_takes_the_network_s_resources_where_the_root_passed_its_outputs(merged):
    properties = merged["Resources"][service.SERVICE]["Properties"]
    subnets = properties["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"]
    assert subnets == {
        "Fn::If": [
            "Az3Enabled",
            [{"Ref": f"PrivateSubnet{i}"} for i in (1, 2, 3)],
            [{"Ref": f"PrivateSubnet{i}"} for i in (1, 2)],
        ]
    }
    group = merged["Resources"]["TaskSecurityGroup"]["Properties"]
    assert group["VpcId"] == {"Ref": "Vpc"}


def test_it_keeps_every_output_the_root_exports(built, merged):
    assert set(built[root.LAYER]["Outputs"]) <= set(merged["Outputs"])


def test_diff_and_the_build_say_its_changes_once_for_the_templates_it_merges(merged):
    from troposphere_fargate.cfn.yaml import merged_from

    assert merged_from(merged) == [network.FILENAME, service.FILENAME]


# --- What it refuses, and why -----------------------------------------------------------------


def _children(built: dict) -> tuple[dict, list[Child]]:
    from troposphere_fargate.layers import nested_children

    return copy.deepcopy({k: built[k] for k in (network.LAYER, service.LAYER)}), list(
        nested_children()
    )


def test_two_templates_with_one_logical_id_are_refused(built):
    children, nested = _children(built)
    children[service.LAYER]["Resources"]["Vpc"] = {"Type": "AWS::SNS::Topic"}
    with pytest.raises(WiringError, match="resource Vpc of the service template is another"):
        instance.instance_template(children, __version__, nested)
    # A condition both declare alike is one condition (IsChinaPartition).
    assert "IsChinaPartition" in built[network.LAYER]["Conditions"]
    assert "IsChinaPartition" in built[service.LAYER]["Conditions"]
    children, nested = _children(built)
    region = {"Ref": "AWS::Region"}
    children[service.LAYER]["Conditions"]["IsChinaPartition"] = {"Fn::Equals": [region, "x"]}
    with pytest.raises(WiringError, match="condition IsChinaPartition of the service template"):
        instance.instance_template(children, __version__, nested)


def test_a_list_wired_to_an_output_that_joins_no_list_is_refused(built):
    children, nested = _children(built)
    outputs = children[network.LAYER]["Outputs"]
    outputs[network.OUTPUT_PRIVATE_SUBNET_IDS]["Value"] = {"Ref": "PrivateSubnet1"}
    with pytest.raises(WiringError, match="list parameter PrivateSubnetIds is wired to an output"):
        instance.instance_template(children, __version__, nested)


def test_a_sub_naming_a_wired_parameter_is_refused(built):
    children, nested = _children(built)
    children[service.LAYER]["Resources"]["Topic"] = {
        "Type": "AWS::SNS::Topic",
        "Properties": {"TopicName": {"Fn::Sub": "in-${VpcId}"}},
    }
    with pytest.raises(WiringError, match=r"Fn::Sub 'in-\$\{VpcId\}' names VpcId"):
        instance.instance_template(children, __version__, nested)


def test_a_child_nested_with_a_prefix_is_refused(built):
    children, nested = _children(built)
    nested[1] = Child(
        "ServiceStack", service.LAYER, service.FILENAME, wires=nested[1].wires, prefix="Web"
    )
    with pytest.raises(WiringError, match="nested with the prefix 'Web'"):
        instance.instance_template(children, __version__, nested)


def test_a_known_value_goes_into_a_sub_and_decides_its_conditions():
    """The folding, on a template small enough to read: Kind left at its default "a"."""
    first = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}, "Outputs": {}}
    second = {
        "Parameters": {
            "Kind": {"Type": "String", "Default": "a", "Description": "k"},
            "Name": {"Type": "String", "Default": "n", "Description": "n"},
        },
        "Conditions": {
            "IsA": {"Fn::Equals": [{"Ref": "Kind"}, "a"]},
            "IsB": {"Fn::Not": [{"Condition": "IsA"}]},
            "Named": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Name"}, ""]}]},
            "AAndNamed": {"Fn::And": [{"Condition": "IsA"}, {"Condition": "Named"}]},
        },
        "Resources": {
            "OnlyB": {"Type": "AWS::SNS::Topic", "Condition": "IsB"},
            "Topic": {
                "Type": "AWS::SNS::Topic",
                "Condition": "AAndNamed",
                "DependsOn": ["OnlyB"],
                "Properties": {
                    "TopicName": {"Fn::Sub": "${Kind}-${Name}"},
                    "DisplayName": {"Fn::If": ["IsA", "yes", {"Ref": "OnlyB"}]},
                },
            },
        },
    }
    nested = [
        Child("First", "first", "first.yaml"),
        Child("Second", "second", "second.yaml", keeps_defaults=frozenset({"Kind"})),
    ]
    merged = instance.instance_template({"first": first, "second": second}, "1.0.0", nested)
    assert merged["Conditions"] == {
        "Named": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Name"}, ""]}]},
        "AAndNamed": {"Fn::Not": [{"Fn::Not": [{"Condition": "Named"}]}]},
    }
    assert "OnlyB" not in merged["Resources"]
    assert merged["Resources"]["Topic"] == {
        "Type": "AWS::SNS::Topic",
        "Condition": "AAndNamed",
        "DependsOn": [instance.NETWORK_READY],
        "Properties": {"TopicName": {"Fn::Sub": "a-${Name}"}, "DisplayName": "yes"},
    }
    assert set(merged["Parameters"]) == {"Name"}
    assert merged["Resources"][instance.NETWORK_READY]["DependsOn"] == ["Bucket"]


# --- A review's cases: each merged as the children's two stacks would deploy them ---------------

FIRST = {
    "Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}},
    "Outputs": {"BucketName": {"Value": {"Ref": "Bucket"}}},
}


def _parameter(default: str) -> dict:
    return {"Type": "String", "Default": default, "Description": "x"}


def _merged(first: dict, second: dict, *children: Child) -> dict:
    nested = list(children) or [
        Child("First", "first", "first.yaml"),
        Child("Second", "second", "second.yaml", keeps_defaults=frozenset({"Kind"})),
    ]
    return instance.instance_template({"first": first, "second": second}, "1.0.0", nested)


def test_a_default_with_sub_syntax_stays_its_own_text_in_a_sub():
    """In the child's stack, Fn::Sub puts the parameter's value in once; pasted into the Sub's
    text, "${AWS::Region}" would be read again and become the region."""
    second = {
        "Parameters": {"Kind": _parameter("${AWS::Region}-${!x}")},
        "Resources": {
            "T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${Kind}"}}}
        },
    }
    properties = _merged(FIRST, second)["Resources"]["T"]["Properties"]
    assert properties == {"TopicName": {"Fn::Sub": "${!AWS::Region}-${!!x}"}}


def test_a_sub_name_written_with_spaces_is_the_parameter_it_names():
    """CloudFormation reads ``${ Kind }`` in an Fn::Sub as Kind (cfn-lint issue #236; the
    project's reader, intrinsics.sub_name): the merge matched only ``${Kind}`` and left the
    reference to a parameter it had removed."""
    second = {
        "Parameters": {"Kind": _parameter("a")},
        "Resources": {
            "T": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"TopicName": {"Fn::Sub": "x-${ Kind }-${!Kind}-${AWS::Region}"}},
            }
        },
    }
    properties = _merged(FIRST, second)["Resources"]["T"]["Properties"]
    assert properties == {"TopicName": {"Fn::Sub": "x-a-${!Kind}-${AWS::Region}"}}


def test_a_wired_output_is_the_first_template_s_as_merged():
    """The output the service is wired to, with the first template's own defaults folded into
    it: read as written, it named a condition and a resource the merge had left out."""
    first = {
        "Parameters": {"Mode": _parameter("a")},
        "Conditions": {
            "IsA": {"Fn::Equals": [{"Ref": "Mode"}, "a"]},
            "NotA": {"Fn::Not": [{"Condition": "IsA"}]},
        },
        "Resources": {
            "A": {"Type": "AWS::SNS::Topic", "Condition": "IsA"},
            "B": {"Type": "AWS::SNS::Topic", "Condition": "NotA"},
        },
        "Outputs": {
            "Topic": {"Value": {"Fn::If": ["IsA", {"Ref": "A"}, {"Ref": "B"}]}},
            "Other": {"Value": {"Ref": "B"}, "Condition": "NotA"},
        },
    }
    second = {
        "Parameters": {"TopicArn": _parameter("")},
        "Resources": {
            "S": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "TopicArn"}}}
        },
    }
    keeps = Child("First", "first", "first.yaml", keeps_defaults=frozenset({"Mode"}))
    wired = Child("Second", "second", "second.yaml", wires=(("TopicArn", "First", "Topic"),))
    merged = _merged(first, second, keeps, wired)
    assert merged["Resources"]["S"]["Properties"] == {"DisplayName": {"Ref": "A"}}
    assert "Conditions" not in merged and "B" not in merged["Resources"]
    gone = Child("Second", "second", "second.yaml", wires=(("TopicArn", "First", "Other"),))
    with pytest.raises(WiringError, match="the first template has no unconditional output Other"):
        _merged(first, second, keeps, gone)


def test_a_condition_that_compares_a_wired_parameter_is_refused():
    """Conditions compare parameters: one that would compare a resource is refused by
    CloudFormation."""
    second = {
        "Parameters": {"TopicArn": _parameter("")},
        "Conditions": {"HasTopic": {"Fn::Not": [{"Fn::Equals": [{"Ref": "TopicArn"}, ""]}]}},
        "Resources": {"S": {"Type": "AWS::SNS::Topic", "Condition": "HasTopic"}},
    }
    wired = Child("Second", "second", "second.yaml", wires=(("TopicArn", "First", "BucketName"),))
    with pytest.raises(WiringError, match="a condition compares TopicArn"):
        _merged(FIRST, second, Child("First", "first", "first.yaml"), wired)


@pytest.mark.parametrize(
    ("declared", "says"),
    [
        (
            {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/aws/service/x"},
            r"Kind \(AWS::SSM::Parameter::Value<String>, a default of '/aws/service/x'\) is "
            "left at its default, which is no text to put in each Ref to it: take it",
        ),
        # As the root: a parameter without a default must be taken or wired.
        ({"Type": "String"}, "neither takes nor wires the second template's parameter Kind"),
        (
            {"Type": "CommaDelimitedList", "Default": "a,b"},
            r"Kind \(CommaDelimitedList, a default of 'a,b'\) is left at its default",
        ),
    ],
)
def test_a_parameter_left_at_a_default_that_is_no_text_to_put_in_is_refused(declared, says):
    """An SSM parameter's value is what Systems Manager holds when the stack is created, not
    the name its default gives; a list goes into lists and strings alike."""
    second = {
        "Parameters": {"Kind": declared},
        "Resources": {
            "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Kind"}}}
        },
    }
    with pytest.raises(WiringError, match=says):
        _merged(FIRST, second)


def test_an_attribute_decided_to_no_value_is_left_out():
    second = {
        "Parameters": {"Kind": _parameter("b")},
        "Conditions": {"IsA": {"Fn::Equals": [{"Ref": "Kind"}, "a"]}},
        "Resources": {
            "T": {
                "Type": "AWS::SNS::Topic",
                "Metadata": {"Fn::If": ["IsA", {"x": 1}, {"Ref": "AWS::NoValue"}]},
            }
        },
    }
    assert _merged(FIRST, second)["Resources"]["T"] == {
        "Type": "AWS::SNS::Topic",
        "DependsOn": [instance.NETWORK_READY],
    }


def test_a_child_resource_named_like_the_wait_handle_is_refused():
    first = {**FIRST, "Resources": {instance.NETWORK_READY: {"Type": "AWS::SNS::Topic"}}}
    with pytest.raises(WiringError, match="resource NetworkReady of the first template"):
        _merged(
            first,
            {
                "Parameters": {"Kind": _parameter("a")},
                "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
            },
        )


def _variants() -> dict[str, ServiceConfig]:
    from troposphere_fargate import Application, PolicyStatement, TaskRole
    from troposphere_fargate.layers.deployment import DeploymentSettings
    from troposphere_fargate.layers.queue_scaling import QueueScaling

    statement = PolicyStatement(
        actions=("s3:GetObject",),
        resources=("arn:${AWS::Partition}:s3:::shop-uploads/home/${aws:username}/*",),
    )
    return {
        "queue scaling": ServiceConfig(queue_scaling=QueueScaling("orders", 100)),
        "an application naming the region and a policy variable": ServiceConfig(
            application=Application(
                environment=(("R", "${AWS::Region}"), ("P", "${HOME}")),
                task_role=TaskRole(statements=(statement,)),
            )
        ),
        "a canary in tenths of a percent": ServiceConfig(
            deployment=DeploymentSettings(strategy="CANARY", canary_percent=0.3, step_percent=33.3)
        ),
    }


@pytest.mark.lint
@pytest.mark.parametrize("name", sorted(_variants()))
def test_instance_yaml_of_a_configured_service_lints_clean(name):
    """The merge of what the library's service options put in service.yaml (each linted on
    its own in its own tests): the folded conditions, the suppressions each resource carries,
    the substituted values."""
    from troposphere_fargate import ProductConfig, lint_templates, to_yaml

    merged = render_templates(ProductConfig(service=_variants()[name]))[instance.LAYER]
    regions = ["us-east-1", "cn-north-1", "us-gov-west-1"]
    assert lint_templates({instance.FILENAME: to_yaml(merged)}, regions=regions) == []


CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"


@pytest.mark.parametrize(
    "values",
    [*VALUES, {"CertificateArn": CERTIFICATE, "HttpsOnly": "true"}],
    ids=lambda v: ",".join(v) or "defaults",
)
def test_validate_says_of_it_what_it_says_of_the_root(values):
    """What the dry run finds each would deploy (NAT gateways, endpoints, listeners, routes,
    the service, its scaling and containers, the buckets, monitoring, notes, the cost's
    inputs), line for line: the root's named by their nested stack, and the root with its
    two nested stacks where instance.yaml has NetworkReady."""
    import re
    from pathlib import Path

    from troposphere_fargate import describe, dry_run, footprint

    shipped = Path(__file__).resolve().parents[2] / "templates" / __version__
    given = {"ContainerImage": IMAGE, **values}
    mine = describe(footprint(dry_run(shipped / instance.FILENAME, given, "eu-west-1")))
    root_given = {**given, root.TEMPLATE_BUCKET_NAME: "my-templates"}
    theirs = describe(footprint(dry_run(shipped / root.FILENAME, root_given, "eu-west-1")))
    unnested = [re.sub(r"\b(?:NetworkStack|ServiceStack)/", "", line) for line in theirs]
    counted = re.compile(r"(\d+) resources in (\d+) stacks?")
    assert mine[:-1] == unnested[:-1]
    ours, stacks = map(int, counted.fullmatch(mine[-1]).groups())  # type: ignore[union-attr]
    assert stacks == 1
    assert counted.fullmatch(unnested[-1]).groups() == (str(ours - 1 + 2), "3")  # type: ignore[union-attr]


# --- What a library user gives it (a review of the public API) ----------------------------------


def test_the_merged_template_shares_no_list_or_mapping_with_the_templates_it_merges():
    """Restricting an allowed value of the merged template's NatGateways removed it from the
    network's too, and from every root built after: parameters, labels, mappings and rules
    were the children's own objects."""
    built = render_templates()
    merged = instance.instance_template(built, __version__)

    def containers(node: object, found: set[int]) -> set[int]:
        if isinstance(node, dict | list):
            found.add(id(node))
            for item in node.values() if isinstance(node, dict) else node:
                containers(item, found)
        return found

    given = containers([built["network"], built["service"]], set())
    assert containers(merged, set()) & given == set()
    merged["Parameters"]["NatGateways"]["AllowedValues"].remove("None")
    assert "None" in built["network"]["Parameters"]["NatGateways"]["AllowedValues"]


def test_a_number_default_is_put_in_as_its_text():
    """troposphere writes Default=345600 as a number: the root takes it, and the merge
    refused it as "no default"."""
    second = {
        "Parameters": {"Kind": {"Type": "Number", "Default": 345600, "Description": "x"}},
        "Resources": {
            "T": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"MessageRetentionPeriod": {"Ref": "Kind"}},
            }
        },
    }
    properties = _merged(FIRST, second)["Resources"]["T"]["Properties"]
    assert properties == {"MessageRetentionPeriod": "345600"}


def test_the_children_are_checked_as_the_root_checks_them():
    """A misspelt name in a Child's takes merged with the parameter left at its default,
    where root_template refuses it; so with a Child created after no stack."""
    second = {
        "Parameters": {"Kind": _parameter("a"), "Env": _parameter("prod")},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    first = Child("First", "first", "first.yaml")
    for child, says in (
        (
            Child("Second", "second", "second.yaml", takes=frozenset({"Envv", "Kind"})),
            "the second template declares no parameter Envv",
        ),
        (
            Child("Second", "second", "second.yaml", after=("Jobs",)),
            "to be created after Jobs, which is not another stack the root nests",
        ),
    ):
        with pytest.raises(WiringError, match=says):
            _merged(FIRST, second, first, child)


def test_a_wire_to_the_root_s_own_parameter_is_refused_with_what_to_do():
    """An existing VPC's id is the root's own parameter (source ""): the merge said it was
    wired to ", which is not a template merged before it"."""
    second = {
        "Parameters": {"VpcId": {"Type": "String"}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    wired = Child("Second", "second", "second.yaml", wires=(("VpcId", "", "VpcId"),))
    with pytest.raises(WiringError, match="wired to the root's own parameter VpcId, which no"):
        _merged(FIRST, second, Child("First", "first", "first.yaml"), wired)


@pytest.mark.parametrize(
    ("resource", "says"),
    [
        (
            {"Type": "AWS::SNS::Topic", "Condition": "HasJobs"},
            "condition 'HasJobs' is not declared",
        ),
        (
            {
                "Type": "AWS::SNS::Topic",
                "Properties": {"DisplayName": {"Fn::If": ["No", "a", "b"]}},
            },
            "condition 'No' is not declared",
        ),
        (
            {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": 5}}},
            "Fn::Sub takes a text, or a text and a mapping of its variables, not 5",
        ),
    ],
)
def test_a_resource_of_a_condition_or_function_that_cannot_be_read_is_refused(resource, says):
    """A KeyError, a TypeError: a resource added to a child with a Condition never declared,
    an Fn::Sub of a number."""
    second = {"Parameters": {"Kind": _parameter("a")}, "Resources": {"T": resource}}
    with pytest.raises(WiringError, match=says):
        _merged(FIRST, second)


def test_a_condition_function_of_the_wrong_shape_is_refused():
    second = {
        "Parameters": {"Kind": _parameter("a")},
        "Conditions": {"IsA": {"Fn::Equals": [{"Ref": "Kind"}]}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "IsA"}},
    }
    with pytest.raises(WiringError, match="Fn::Equals takes a list of 2 to 2 items"):
        _merged(FIRST, second)


def test_metadata_of_another_shape_is_no_console_interface():
    """A child whose Metadata is a list was an AttributeError."""
    second = {
        "Metadata": [],
        "Parameters": {"Kind": _parameter("a")},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    assert set(_merged(FIRST, second)["Resources"]) == {"Bucket", "T", instance.NETWORK_READY}


def test_templates_of_several_services_say_instance_yaml_is_the_shipped_root_s_alone():
    """Given what render_templates returns for a config of services, the advice was to pass
    what render_templates returns."""
    from troposphere_fargate import ProductConfig, Routing, ServiceConfig, stackset_template

    shop = ProductConfig(
        services=(
            ServiceConfig(
                container_name="api", expose="public", routing=Routing(priority=10, path="/api/*")
            ),
            ServiceConfig(container_name="orders", expose="internal"),
        )
    )
    built = render_templates(shop)
    for build in (instance.instance_template, stackset_template):
        with pytest.raises(WiringError, match="a config with services is deployed by its root"):
            build(built, __version__)


@pytest.mark.parametrize(
    ("nested", "error", "says"),
    [
        ((), WiringError, r"\(nested\): no children to nest"),
        (["network", "service"], TypeError, r"\(nested\) item takes Child, not str"),
        ("network", TypeError, r"\(nested\) takes a sequence of Child \(a list or a tuple\)"),
        (b"", TypeError, r"\(nested\) takes a sequence of Child \(a list or a tuple\), not bytes"),
        (
            [root.Child("NetworkStack", "network", "network.yaml"), "service"],
            TypeError,
            r"\(nested\) item takes Child, not str",
        ),
        (
            root.Child("NetworkStack", "network", "network.yaml"),
            TypeError,
            r"\(nested\) takes a sequence of Child, not one Child",
        ),
        (
            (c for c in [root.Child("NetworkStack", "network", "network.yaml")]),
            TypeError,
            r"\(nested\) takes a sequence of Child \(a list or a tuple\), not generator",
        ),
    ],
)
def test_nested_is_checked_alike_by_the_root_and_the_merge(nested, error, says):
    """An IndexError, an AttributeError, a root of no resources: what the two builders did
    with nested=(), strings, one Child or a generator."""
    built = render_templates()
    for build in (instance.instance_template, root.root_template):
        with pytest.raises(error, match=build.__name__ + says):
            build(built, __version__, nested)


def test_nested_may_be_any_sequence_of_children():
    """Typed Sequence[Child]: a sequence of one's own was refused by root_template at run
    time (a list or a tuple only), and taken by instance_template."""
    from collections.abc import Sequence

    from troposphere_fargate.layers import nested_children

    class Plan(Sequence[Child]):
        def __init__(self, children: tuple[Child, ...]) -> None:
            self.children = children

        def __getitem__(self, index):
            return self.children[index]

        def __len__(self) -> int:
            return len(self.children)

    built = render_templates()
    plan = Plan(nested_children())
    assert root.root_template(built, __version__, plan).to_dict()["Resources"]
    assert instance.instance_template(built, __version__, plan) == instance.instance_template(
        built, __version__
    )


def test_the_parameters_it_takes_are_declared_as_the_root_declares_them():
    """A parameter without a Description was merged, and stackset_template then refused it
    naming the root; one without a console group had none here and its file's in the root."""
    second = {
        "Parameters": {"Kind": _parameter("a"), "Team": {"Type": "String"}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    children = (Child("First", "first", "first.yaml"), Child("Second", "second", "second.yaml"))
    with pytest.raises(WiringError, match="parameter Team has no Description: the root shows"):
        _merged(FIRST, second, *children)
    second["Parameters"]["Team"]["Description"] = "who owns it"
    merged = _merged(FIRST, second, *children)
    groups = merged["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"]
    assert groups == [{"Label": {"default": "second.yaml"}, "Parameters": ["Kind", "Team"]}]
    built = {"first": FIRST, "second": second}
    root_groups = root.root_template(built, "1.0.0", children).to_dict()["Metadata"][
        "AWS::CloudFormation::Interface"
    ]["ParameterGroups"]
    assert root_groups[-1] == groups[0]  # after the root's own (the template location)


def test_templates_that_run_in_no_region_in_common_are_refused():
    """Each child stamped for its own partition: the merged template claimed no region, which
    stackset_template read as claiming none at all (a review)."""

    def stamped(template: dict, claimed: list[str]) -> dict:
        return {**template, "Metadata": {"cfn-lint": {"config": {"regions": claimed}}}}

    second = {
        "Parameters": {"Kind": _parameter("a")},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    with pytest.raises(WiringError, match=r"run in no region in common \(first: eu-west-1; second"):
        _merged(stamped(FIRST, ["eu-west-1"]), stamped(second, ["cn-north-1"]))
    merged = _merged(stamped(FIRST, ["eu-west-1", "us-east-1"]), stamped(second, ["us-east-1"]))
    assert merged["Metadata"]["cfn-lint"] == {"config": {"regions": ["us-east-1"]}}


def _claiming(template: dict, regions: list[str]) -> dict:
    return {**template, "Metadata": {"cfn-lint": {"config": {"regions": regions}}}}


def test_a_template_that_claims_no_region_leaves_the_merged_template_claiming_none():
    """Of a child that lists no regions nothing is known of where it runs: the merge claims
    none (each region), not the first child's alone, and refuses nothing."""
    second = {
        "Parameters": {"Kind": _parameter("a")},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    for first, other in (
        (_claiming(FIRST, ["eu-west-1"]), second),
        (FIRST, _claiming(second, ["eu-west-1"])),
    ):
        assert "cfn-lint" not in _merged(first, other)["Metadata"]


def test_the_regions_of_three_templates_are_those_all_three_list():
    """A region two of three children list, the third not, is no region the merge runs in."""
    second = {
        "Parameters": {"Kind": _parameter("a")},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    third = {"Resources": {"U": {"Type": "AWS::SNS::Topic"}}}
    built = {
        "first": _claiming(FIRST, ["eu-west-1", "us-east-1"]),
        "second": _claiming(second, ["eu-west-1", "us-east-1"]),
        "third": _claiming(third, ["us-east-1"]),
    }
    nested = [
        Child("First", "first", "first.yaml"),
        Child("Second", "second", "second.yaml", keeps_defaults=frozenset({"Kind"})),
        Child("Third", "third", "third.yaml"),
    ]
    merged = instance.instance_template(built, "1.0.0", nested)
    assert merged["Metadata"]["cfn-lint"] == {"config": {"regions": ["us-east-1"]}}


def test_a_fractional_number_default_is_put_in_as_its_text():
    second = {
        "Parameters": {"Kind": {"Type": "Number", "Default": 2.5, "Description": "x"}},
        "Resources": {
            "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Kind"}}}
        },
    }
    assert _merged(FIRST, second)["Resources"]["T"]["Properties"] == {"DisplayName": "2.5"}


def test_a_list_wired_to_an_output_joined_with_another_delimiter_is_refused(built):
    """An output joined with ";" is no list CloudFormation would split at its commas."""
    children, nested = _children(built)
    output = children[network.LAYER]["Outputs"][network.OUTPUT_PRIVATE_SUBNET_IDS]
    output["Value"]["Fn::Join"][0] = ";"
    with pytest.raises(
        WiringError, match="is wired to an output that is not a list joined with commas"
    ):
        instance.instance_template(children, __version__, nested)


def test_an_or_of_more_than_ten_conditions_is_refused():
    """Fn::And and Fn::Or take 2 to 10 conditions (CloudFormation User Guide, "Condition
    functions")."""
    eleven = [{"Fn::Equals": [{"Ref": "Kind"}, str(n)]} for n in range(11)]
    second = {
        "Parameters": {"Kind": _parameter("a")},
        "Conditions": {"Any": {"Fn::Or": eleven}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "Any"}},
    }
    with pytest.raises(WiringError, match="Fn::Or takes a list of 2 to 10 items"):
        _merged(FIRST, second)
    second["Conditions"]["Any"]["Fn::Or"] = eleven[:10]
    assert "T" not in _merged(FIRST, second)["Resources"]  # "a" is none of 0 to 9


@pytest.mark.parametrize(
    "conditions",
    [
        {"Loop": {"Fn::Not": [{"Condition": "Loop"}]}},
        {"Loop": {"Fn::Not": [{"Condition": "Other"}]}, "Other": {"Condition": "Loop"}},
    ],
    ids=["itself", "through-another"],
)
def test_a_condition_that_refers_to_itself_is_refused(conditions):
    """Not a RecursionError."""
    second = {
        "Parameters": {"Kind": _parameter("a")},
        "Conditions": conditions,
        "Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "Loop"}},
    }
    with pytest.raises(WiringError, match="instance_template: condition Loop refers to itself"):
        _merged(FIRST, second)


def test_a_checkov_skip_for_rules_in_an_fn_if_is_kept_while_an_fn_if_is_left():
    """A security group's skip of CKV_AWS_23 (checkov cannot read a rule inside Fn::If) is
    dropped where folding decided every Fn::If of its rules, and kept where one is left (a
    parameter the merged template takes decides it)."""
    skip = {"id": "CKV_AWS_23", "comment": "the rule is in an Fn::If"}
    rule = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8"}
    second = {
        "Parameters": {"Kind": _parameter("a"), "Open": _parameter("no")},
        "Conditions": {"IsOpen": {"Fn::Equals": [{"Ref": "Open"}, "yes"]}},
        "Resources": {
            "Group": {
                "Type": "AWS::EC2::SecurityGroup",
                "Metadata": {"checkov": {"skip": [skip]}},
                "Properties": {
                    "GroupDescription": "x",
                    "SecurityGroupIngress": [{"Fn::If": ["IsOpen", rule, {"Ref": "AWS::NoValue"}]}],
                },
            }
        },
    }
    taken = _merged(FIRST, second)["Resources"]["Group"]
    assert taken["Metadata"] == {"checkov": {"skip": [skip]}}
    keeps = Child("Second", "second", "second.yaml", keeps_defaults=frozenset({"Kind", "Open"}))
    decided = _merged(FIRST, second, Child("First", "first", "first.yaml"), keeps)["Resources"]
    assert "Metadata" not in decided["Group"]
    assert decided["Group"]["Properties"]["SecurityGroupIngress"] == []
