"""The offline evaluator that the layer tests rely on: constraints, rules, conditions, Fn::If."""

from __future__ import annotations

from typing import Any

import pytest

from troposphere_fargate.cfn.evaluate import (
    EvaluationError,
    ParameterError,
    RuleError,
    claimed_regions,
    deployed,
    parameter_problems,
    parameter_values,
)

TEMPLATE = {
    "Parameters": {
        "Mode": {"Type": "String", "Default": "a", "AllowedValues": ["a", "b"]},
        "Name": {
            "Type": "String",
            "Default": "web",
            "AllowedPattern": "^[a-z]+$",
            "ConstraintDescription": "lower-case letters only",
            "MaxLength": 5,
        },
        "Count": {"Type": "Number", "Default": "2", "MinValue": 1, "MaxValue": 3},
        "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>", "AllowedPattern": "^subnet-[0-9]+$"},
    },
    "Rules": {
        "BNeedsThree": {
            "RuleCondition": {"Fn::Equals": [{"Ref": "Mode"}, "b"]},
            "Assertions": [
                {
                    "Assert": {"Fn::Equals": [{"Ref": "Count"}, "3"]},
                    "AssertDescription": "b needs 3",
                }
            ],
        }
    },
    "Conditions": {
        "IsB": {"Fn::Equals": [{"Ref": "Mode"}, "b"]},
        "IsNotB": {"Fn::Not": [{"Condition": "IsB"}]},
        "BigB": {"Fn::And": [{"Condition": "IsB"}, {"Fn::Equals": [{"Ref": "Count"}, "3"]}]},
    },
    "Resources": {
        "Always": {
            "Type": "T",
            "Properties": {
                "Value": {"Fn::If": ["IsB", "bee", "ay"]},
                "Maybe": {"Fn::If": ["IsB", "x", {"Ref": "AWS::NoValue"}]},
                "List": ["one", {"Fn::If": ["IsB", "two", {"Ref": "AWS::NoValue"}]}],
            },
        },
        "OnlyB": {"Type": "T", "Condition": "BigB"},
        "NotB": {"Type": "T", "Condition": "IsNotB"},
    },
    "Outputs": {"Out": {"Value": {"Ref": "OnlyB"}, "Condition": "IsB"}},
}

SUBNETS = {"Subnets": "subnet-1,subnet-2"}


def test_defaults_fill_in_missing_values():
    assert parameter_values(TEMPLATE, SUBNETS) == {
        "Mode": "a", "Name": "web", "Count": "2", "Subnets": "subnet-1,subnet-2",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"Mode": "c"}, "Mode='c' is not one of the allowed values"),
        ({"Name": "Web"}, "Name='Web' does not match .*: lower-case letters only"),
        ({"Name": "webbed"}, "Name='webbed' is longer than 5"),
        ({"Count": "4"}, "Count='4' is above the maximum 3"),
        ({"Count": "0"}, "Count='0' is below the minimum 1"),
        ({"Count": "two"}, "Count='two' is not a number"),
        ({"Subnets": "subnet-1,vpc-2"}, "Subnets='subnet-1,vpc-2' does not match"),
        ({"Colour": "red"}, "unknown parameter.*Colour"),
    ],
)
def test_values_outside_the_constraints_are_rejected(given, message):
    with pytest.raises(ParameterError, match=message):
        parameter_values(TEMPLATE, {**SUBNETS, **given})


def test_a_list_refused_by_its_pattern_names_the_item():
    """A fourth trial: ``PublicSubnetIds=subnet-xyz,subnet-0bbb2222`` "does not match its
    pattern", without saying which subnet."""
    with pytest.raises(ParameterError) as listed:
        parameter_values(TEMPLATE, {"Subnets": "subnet-1, vpc-2"})
    assert str(listed.value) == (
        "parameter Subnets='subnet-1, vpc-2' does not match ^subnet-[0-9]+$ ('vpc-2' does not)"
    )
    # A String of ids whose pattern takes each alone.
    ids = {"Parameters": {"Ids": {"Type": "String", "AllowedPattern": "^(subnet-[0-9]+,?)+$"}}}
    with pytest.raises(ParameterError) as text:
        parameter_values(ids, {"Ids": "subnet-1,vpc-2,vpc-3"})
    assert str(text.value).endswith("('vpc-2', 'vpc-3' do not)")
    # A pattern no item matches alone says nothing more.
    pair = {"Parameters": {"Pair": {"Type": "String", "AllowedPattern": "^a,b$"}}}
    with pytest.raises(ParameterError) as whole:
        parameter_values(pair, {"Pair": "a,c"})
    assert str(whole.value) == "parameter Pair='a,c' does not match ^a,b$"


def test_an_unknown_parameter_says_which_it_may_be():
    """A fourth trial: ``deployed(..., {"NatGateway": ...})`` named the key alone."""
    with pytest.raises(ParameterError) as refused:
        parameter_values(TEMPLATE, {**SUBNETS, "count": "2"})
    assert str(refused.value) == "unknown parameter(s): count (did you mean Count?)"


def test_every_refused_value_and_failing_rule_is_said_at_once():
    """``deployed`` stopped at the first refused value: fixing one showed the next (left out
    for several sessions). Now its errors carry every one, as the ``validate`` command says
    them."""
    with pytest.raises(ParameterError) as refused:
        parameter_values(TEMPLATE, {"Mode": "c", "Count": "9"})
    assert refused.value.problems == [
        "parameter Mode='c' is not one of the allowed values",
        "parameter Count='9' is above the maximum 3",
        "parameter Subnets needs a value (it has no default)",
    ]
    assert str(refused.value) == "; ".join(refused.value.problems)
    two = {
        "Parameters": {"P": {"Type": "String", "Default": "x"}},
        "Rules": {
            "A": {
                "Assertions": [
                    {
                        "Assert": {"Fn::Equals": [{"Ref": "P"}, "a"]},
                        "AssertDescription": "P must be a",
                    }
                ]
            },
            "B": {
                "Assertions": [
                    {
                        "Assert": {"Fn::Equals": [{"Ref": "P"}, "b"]},
                        "AssertDescription": "P must be b",
                    }
                ]
            },
        },
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    with pytest.raises(RuleError) as failed:
        deployed(two)
    assert failed.value.problems == ["rule A: P must be a", "rule B: P must be b"]


def test_a_parameter_without_default_needs_a_value():
    with pytest.raises(ParameterError, match="Subnets needs a value"):
        parameter_values(TEMPLATE, {})


def test_rules_apply_only_when_their_condition_holds():
    with pytest.raises(RuleError, match="BNeedsThree: b needs 3"):
        deployed(TEMPLATE, {**SUBNETS, "Mode": "b"})
    deployed(TEMPLATE, {**SUBNETS, "Mode": "b", "Count": "3"})
    deployed(TEMPLATE, {**SUBNETS, "Mode": "a", "Count": "1"})


def test_conditions_pick_resources_and_outputs():
    a = deployed(TEMPLATE, SUBNETS)
    assert sorted(a.resources) == ["Always", "NotB"]
    assert a.outputs == {}
    b = deployed(TEMPLATE, {**SUBNETS, "Mode": "b", "Count": "3"})
    assert sorted(b.resources) == ["Always", "OnlyB"]
    assert b.outputs == {"Out": {"Value": {"Ref": "OnlyB"}}}
    assert b.conditions == {"IsB": True, "IsNotB": False, "BigB": True}
    assert "Condition" not in b.resources["OnlyB"]


def test_fn_if_resolves_and_no_value_disappears():
    a = deployed(TEMPLATE, SUBNETS).resources["Always"]["Properties"]
    assert a == {"Value": "ay", "List": ["one"]}
    b = deployed(TEMPLATE, {**SUBNETS, "Mode": "b", "Count": "3"}).resources["Always"]
    assert b["Properties"] == {"Value": "bee", "Maybe": "x", "List": ["one", "two"]}


def with_condition(expression: object) -> dict:
    return {
        "Parameters": {"Mode": {"Type": "String", "Default": "a"}},
        "Conditions": {"C": expression},
        "Resources": {"R": {"Type": "T", "Condition": "C"}},
    }


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ({"Fn::Equal": [{"Ref": "Mode"}, "a"]}, "Fn::Equal cannot be used here"),
        ({"Fn::Equals": [{"Ref": "Colour"}, "a"]}, "Ref Colour names no parameter"),
        ({"Fn::Not": [{"Ref": "Mode"}]}, "Fn::Not does not evaluate to true or false"),
        ({"Condition": "Missing"}, "condition Missing is not defined"),
        ({"Fn::Contains": [["a"], {"Ref": "Mode"}]}, "Fn::Contains cannot be used here"),
        ({"Ref": "Mode"}, "condition C does not evaluate to true or false"),
        # A null (a template read from a file refuses it) is no string to join, nor "None".
        (
            {"Fn::Equals": [{"Fn::Join": ["", ["a", None]]}, "aNone"]},
            "Fn::Join joins strings, and its list holds nothing",
        ),
    ],
)
def test_conditions_cloudformation_would_reject_are_errors(expression, message):
    with pytest.raises(EvaluationError, match=message):
        deployed(with_condition(expression))


def test_rules_may_not_use_conditions():
    # CloudFormation: "functions are not supported in the Rules block: [Condition]".
    template = {
        "Parameters": {"Mode": {"Type": "String", "Default": "a"}},
        "Conditions": {"IsA": {"Fn::Equals": [{"Ref": "Mode"}, "a"]}},
        "Rules": {"R": {"Assertions": [{"Assert": {"Condition": "IsA"}}]}},
        "Resources": {},
    }
    with pytest.raises(EvaluationError, match="Condition cannot be used here"):
        deployed(template)


def test_pseudo_parameters_and_mappings_can_be_evaluated():
    template = {
        "Mappings": {"M": {"eu-west-1": {"Name": "Ireland"}}},
        "Conditions": {
            "China": {"Fn::Equals": [{"Ref": "AWS::Partition"}, "aws-cn"]},
            "Ireland": {
                "Fn::Equals": [{"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "Name"]}, "Ireland"]
            },
        },
        "Resources": {
            "InChina": {"Type": "T", "Condition": "China"},
            "InIreland": {"Type": "T", "Condition": "Ireland"},
        },
    }
    assert deployed(template, pseudo={"AWS::Region": "eu-west-1"}).conditions == {
        "China": False,
        "Ireland": True,
    }
    assert sorted(deployed(template, pseudo={"AWS::Region": "eu-west-1"}).resources) == [
        "InIreland"
    ]
    with pytest.raises(EvaluationError, match=r"^Unable to get mapping for M::us-east-1::Name$"):
        deployed(template, pseudo={"AWS::Region": "us-east-1"})


def test_a_condition_on_the_stack_id_or_its_notification_topics_is_decided_not_refused():
    """A template of one's own deciding on ``AWS::NotificationARNs`` or on a part of
    ``AWS::StackId`` was refused ("Ref AWS::NotificationARNs names no parameter"), though
    "Pseudo parameters are automatically available and don't require explicit definition in the
    Parameters section" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/
    conditions-section-structure.html). A stack's ID is "such as arn:aws:cloudformation:
    us-west-2:123456789012:stack/teststack/51af3dc0-da77-11e4-872e-1234567db123" and
    NotificationARNs "the list of [...] ARNs for the Amazon SNS topics that receive stack event
    notifications", given with ``--notification-arns`` (https://docs.aws.amazon.com/
    AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html): the dry run takes a
    stack of the given name, account and region, launched without topics, unless told."""
    from troposphere_fargate.cfn.evaluate import resolved

    template = {
        "Conditions": {
            "Notified": {
                "Fn::Not": [
                    {"Fn::Equals": [{"Fn::Join": [",", {"Ref": "AWS::NotificationARNs"}]}, ""]}
                ]
            },
            "Named": {
                "Fn::Equals": [
                    {"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]},
                    {"Ref": "AWS::StackName"},
                ]
            },
            "InChina": {
                "Fn::Equals": [
                    {"Fn::Select": [1, {"Fn::Split": [":", {"Ref": "AWS::StackId"}]}]},
                    "aws-cn",
                ]
            },
        },
        "Resources": {
            "Topic": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"TopicName": {"Fn::Sub": "${AWS::StackId}"}},
            },
            "Stack": {
                "Type": "AWS::CloudFormation::Stack",
                "Properties": {
                    "TemplateURL": "https://example.com/t.yaml",
                    "NotificationARNs": {"Ref": "AWS::NotificationARNs"},
                },
            },
        },
    }
    assert deployed(template).conditions == {"Notified": False, "Named": True, "InChina": False}
    china = {"AWS::Region": "cn-north-1", "AWS::Partition": "aws-cn"}
    topics = {"AWS::NotificationARNs": "arn:aws:sns:us-east-1:123456789012:a, arn:aws:sns:x"}
    assert deployed(template, pseudo={**china, **topics}).conditions == {
        "Notified": True,
        "Named": True,
        "InChina": True,
    }
    # A resource's Ref to them stays as it is, unless a value is given: the stand-ins are for
    # deciding conditions, not values a dry run would show as the stack's.
    resources = resolved(template, {})["Resources"]
    assert resources["Topic"]["Properties"]["TopicName"] == {"Fn::Sub": "${AWS::StackId}"}
    assert resources["Stack"]["Properties"]["NotificationARNs"] == {"Ref": "AWS::NotificationARNs"}
    given = resolved(template, {}, pseudo=topics)["Resources"]["Stack"]["Properties"]
    assert given["NotificationARNs"] == ["arn:aws:sns:us-east-1:123456789012:a", "arn:aws:sns:x"]
    # A refusal that holds only for the stand-in says so (a review: it read as a fact about
    # every launch); with topics given, the condition is decided.
    first = {
        "Conditions": {
            "First": {
                "Fn::Equals": [{"Fn::Select": [0, {"Ref": "AWS::NotificationARNs"}]}, "arn:x"]
            }
        },
        "Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "First"}},
    }
    with pytest.raises(EvaluationError) as refused:
        deployed(first)
    assert str(refused.value) == (
        "condition First: Fn::Select's index 0 is past the end of a list of 0: CloudFormation "
        "fails the stack (the dry run takes AWS::NotificationARNs as no topics)"
    )
    assert deployed(first, pseudo={"AWS::NotificationARNs": "arn:x"}).conditions == {"First": True}


def test_a_misspelt_pseudo_parameter_or_a_list_of_pairs_is_refused_naming_the_argument():
    """A platform engineer's trial: ``pseudo={"AWS::Regio": "eu-west-1"}`` was ignored and
    the stack evaluated in us-east-1, and parameters as a list of pairs failed deep inside
    (``'tuple' object has no attribute 'lower'``)."""
    with pytest.raises(ValueError) as refused:
        deployed(TEMPLATE, {"Subnets": "subnet-1"}, {"AWS::Regio": "eu-west-1"})
    assert str(refused.value) == (
        "deployed(pseudo): 'AWS::Regio' is no pseudo parameter (did you mean AWS::Region?): it "
        "takes AWS::AccountId, AWS::NotificationARNs, AWS::Partition, AWS::Region, "
        "AWS::StackId, AWS::StackName, AWS::URLSuffix"
    )
    # Case aside, as a misspelt parameter's name or type is (errors.close_match): it named none.
    with pytest.raises(
        ValueError, match=r"'aws::region' is no pseudo parameter \(did you mean AWS::Region\?\)"
    ):
        deployed(TEMPLATE, {"Subnets": "subnet-1"}, {"aws::region": "eu-west-1"})
    with pytest.raises(ValueError, match=r"^deployed\(pseudo\): AWS::Region 'eu_west_1' is not "):
        deployed(TEMPLATE, {"Subnets": "subnet-1"}, {"AWS::Region": "eu_west_1"})
    with pytest.raises(TypeError, match=r"^deployed\(pseudo\) takes a mapping of names to values"):
        deployed(TEMPLATE, {"Subnets": "subnet-1"}, {"AWS::Region": None})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"^deployed\(parameters\) takes Mapping, not list$"):
        deployed(TEMPLATE, [("Subnets", "subnet-1")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^deployed\(parameters\) takes names \(str\) as keys"):
        deployed(TEMPLATE, {1: "subnet-1"})  # type: ignore[dict-item]


def test_a_parameter_value_that_is_not_text_is_refused_as_dry_run_refuses_it():
    """An audit: ``deployed(t, {"Count": 3})`` read the int as "3" where ``dry_run`` refused
    it, and a bool as "True", which CloudFormation's "true" is not: values are text."""
    for value, kind in ((3, "int"), (True, "bool")):
        with pytest.raises(TypeError) as refused:
            deployed(TEMPLATE, {**SUBNETS, "Count": value})  # type: ignore[dict-item]
        assert str(refused.value) == (
            "deployed(parameters) takes a mapping of names to parameter values (str): 'Count' "
            f"is {kind}, write it as a string"
        )


def test_a_placeholder_stands_for_a_value_known_only_once_deployed():
    """Another stack's output that a parent passes: taken as it is (no pattern applies to
    ``<NetworkStack.Outputs.PrivateSubnetIds>``), one value even for a list parameter (its
    members are unknown), and not empty for a condition."""
    from troposphere_fargate.cfn.evaluate import resolved

    template = {
        "Parameters": {
            "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>", "AllowedPattern": "^subnet-.*$"},
            "Cluster": {"Type": "String", "Default": ""},
        },
        "Conditions": {"Joined": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Cluster"}, ""]}]}},
        "Resources": {
            "Service": {
                "Type": "AWS::ECS::Service",
                "Properties": {
                    "Subnets": {"Ref": "Subnets"},
                    "Cluster": {"Fn::If": ["Joined", {"Ref": "Cluster"}, "own"]},
                },
            }
        },
    }
    held = {"Subnets": "<Net.Outputs.PrivateSubnetIds>", "Cluster": "<Env.Outputs.ClusterName>"}
    properties = resolved(template, {}, placeholders=held)["Resources"]["Service"]["Properties"]
    assert properties == {
        "Subnets": "<Net.Outputs.PrivateSubnetIds>",
        "Cluster": "<Env.Outputs.ClusterName>",
    }
    with pytest.raises(ParameterError):  # a value given by the user is still checked
        resolved(template, {"Subnets": "<Net.Outputs.PrivateSubnetIds>"})


def test_a_sub_with_its_own_variables_takes_the_parameters_for_the_rest():
    """``!Sub [http://${Name}:${ContainerPort}, {Name: orders}]`` is the URL of an internal
    service: a running-stack diff compared its text, the same on both sides, and missed a new
    port. A variable of the Sub's own hides a parameter of the same name."""
    from troposphere_fargate.cfn.evaluate import resolved

    template = {
        "Parameters": {
            "ContainerPort": {"Type": "Number", "Default": "7000"},
            "Name": {"Type": "String", "Default": "parameter"},
        },
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            "Url": {"Value": {"Fn::Sub": ["http://${Name}:${ContainerPort}", {"Name": "orders"}]}},
            "Arn": {"Value": {"Fn::Sub": ["${Topic}:${Port}", {"Port": {"Ref": "ContainerPort"}}]}},
        },
    }
    outputs = resolved(template, {"ContainerPort": "7001"})["Outputs"]
    assert outputs["Url"]["Value"] == "http://orders:7001"
    # What is known only once deployed stays a Sub, with what is left of its variables.
    assert outputs["Arn"]["Value"] == {"Fn::Sub": "${Topic}:7001"}


def test_a_sub_whose_only_dollar_braces_are_escaped_is_their_literal_text():
    """``${!aws:username}`` is the text ``${aws:username}`` (an IAM policy variable) once
    CloudFormation substitutes the rest ("add an exclamation point (!) after the open curly
    brace", Fn::Sub); a Sub with a variable still unknown keeps its escapes."""
    from troposphere_fargate.cfn.evaluate import resolved

    template = {
        "Parameters": {
            "Bucket": {"Type": "String", "Default": "uploads"},
            "Given": {"Type": "String", "Default": "a${!b}"},
        },
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            "Home": {"Value": {"Fn::Sub": "arn:aws:s3:::${Bucket}/${!aws:username}/*"}},
            "Listed": {"Value": {"Fn::Sub": ["${Name}/${!aws:username}", {"Name": "x"}]}},
            "Later": {"Value": {"Fn::Sub": "${Topic}/${!aws:username}"}},
            # A parameter's value is substituted as it is: only the template's text unescapes.
            "Passed": {"Value": {"Fn::Sub": "x/${Given}/${!y}"}},
        },
    }
    outputs = resolved(template, {})["Outputs"]
    assert outputs["Home"]["Value"] == "arn:aws:s3:::uploads/${aws:username}/*"
    assert outputs["Listed"]["Value"] == "x/${aws:username}"
    assert outputs["Later"]["Value"] == {"Fn::Sub": "${Topic}/${!aws:username}"}
    assert outputs["Passed"]["Value"] == "x/a${!b}/${y}"


def test_a_split_of_a_value_is_computed_and_of_a_placeholder_is_not():
    """The repository ARN the execution role pulls from is cut from the image with Fn::Split;
    a value passed from another stack's output is a placeholder, whose text is no value's."""
    from troposphere_fargate.cfn.evaluate import resolved

    template = {
        "Parameters": {"Image": {"Type": "String"}, "Listener": {"Type": "String"}},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            "Repository": {"Value": {"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "Image"}]}]}},
            "Balancer": {"Value": {"Fn::Split": ["/", {"Ref": "Listener"}]}},
        },
    }
    outputs = resolved(
        template,
        {"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1"},
        placeholders={"Listener": "<Env.Outputs.ListenerArn>"},
    )["Outputs"]
    assert outputs["Repository"]["Value"] == "web:1"
    assert outputs["Balancer"]["Value"] == {"Fn::Split": ["/", "<Env.Outputs.ListenerArn>"]}


def test_a_select_whose_index_is_no_number_is_left_as_it_is():
    """A diff of such a template raised a bare ValueError from int("x")."""
    from troposphere_fargate.cfn.evaluate import resolved

    template = {
        "Parameters": {"L": {"Type": "String", "Default": "a/b"}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"O": {"Value": {"Fn::Select": ["x", {"Fn::Split": ["/", {"Ref": "L"}]}]}}},
    }
    assert resolved(template, {})["Outputs"]["O"]["Value"] == {"Fn::Select": ["x", ["a", "b"]]}


def test_decided_conditions_are_those_the_fixed_values_decide_whatever_the_others_are():
    from troposphere_fargate.cfn.evaluate import decided_conditions, with_decided

    template = {
        "Parameters": {
            "Fixed": {"Type": "String"},
            "Free": {"Type": "String"},
            "Zones": {"Type": "CommaDelimitedList"},
        },
        "Mappings": {"Sizes": {"a": {"Cpu": "256"}}},
        "Conditions": {
            "IsA": {"Fn::Equals": [{"Ref": "Fixed"}, "a"]},
            "IsFree": {"Fn::Equals": [{"Ref": "Free"}, "a"]},
            "AndFalse": {"Fn::And": [{"Condition": "IsFree"}, {"Fn::Not": [{"Condition": "IsA"}]}]},
            "AndUnknown": {"Fn::And": [{"Condition": "IsFree"}, {"Condition": "IsA"}]},
            "OrTrue": {"Fn::Or": [{"Condition": "IsFree"}, {"Condition": "IsA"}]},
            "InRegion": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
            "Mapped": {
                "Fn::Equals": [{"Fn::FindInMap": ["Sizes", {"Ref": "Fixed"}, "Cpu"]}, "256"]
            },
            "NoSuchKey": {"Fn::Equals": [{"Fn::FindInMap": ["Sizes", "b", "Cpu"]}, "256"]},
            "TwoZones": {"Fn::Equals": [{"Fn::Select": [1, {"Ref": "Zones"}]}, "b"]},
            "Itself": {"Fn::Not": [{"Condition": "Itself"}]},
            "Undefined": {"Condition": "Nowhere"},
        },
    }
    decided = decided_conditions(template, {"Fixed": "a", "Zones": "a,b"})
    # Fn::Select is not evaluated: left unknown, as anything the evaluator does not compute.
    assert decided == {"IsA": True, "AndFalse": False, "OrTrue": True, "Mapped": True}
    assert decided_conditions(template, {}) == {}
    node = {
        "Keep": {"Fn::If": ["IsFree", 1, 2]},
        "Gone": {"Fn::If": ["IsA", {"Ref": "AWS::NoValue"}, 3]},
        "List": [{"Fn::If": ["AndFalse", "x", {"Ref": "AWS::NoValue"}]}, "y"],
        "Nested": {"Fn::If": ["IsFree", {"Fn::If": ["IsA", "a", "b"]}, "c"]},
    }
    assert with_decided(node, decided) == {
        "Keep": {"Fn::If": ["IsFree", 1, 2]},
        "List": ["y"],
        "Nested": {"Fn::If": ["IsFree", "a", "c"]},
    }
    assert with_decided({"Fn::If": ["IsA", {"Ref": "AWS::NoValue"}, 1]}, decided) == {
        "Ref": "AWS::NoValue"
    }


def test_each_member_rule_functions_compare_each_member_as_a_whole():
    # "Fn::EachMemberEquals: Returns true if a specified string matches all values in a list."
    # "Fn::EachMemberIn: Returns true if each member in a list of strings matches at least one
    # value in a second list of strings." (CloudFormation Template Reference, Rule functions,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html)
    template = {
        "Parameters": {"Zones": {"Type": "CommaDelimitedList", "Default": "a,a"}},
        "Rules": {
            "Known": {
                "Assertions": [
                    {
                        "Assert": {"Fn::EachMemberIn": [{"Ref": "Zones"}, ["a", "b"]]},
                        "AssertDescription": "a or b",
                    }
                ]
            },
            "Same": {
                "Assertions": [
                    {
                        "Assert": {"Fn::EachMemberEquals": [{"Ref": "Zones"}, "ab"]},
                        "AssertDescription": "all ab",
                    }
                ]
            },
        },
    }
    # "a" is in the list ["a", "b"], and is part of "ab" without being it.
    with pytest.raises(RuleError) as refused:
        deployed(template)
    assert refused.value.problems == ["rule Same: all ab"]
    with pytest.raises(RuleError) as refused:
        deployed(template, {"Zones": "ab,ab"})
    assert refused.value.problems == ["rule Known: a or b"]
    with pytest.raises(RuleError) as refused:
        deployed(template, {"Zones": "a,ab"})
    assert refused.value.problems == ["rule Known: a or b", "rule Same: all ab"]


def test_an_or_of_conditions_the_fixed_values_all_make_false_is_decided_false():
    # "Fn::Or: Returns true if any one of the specified conditions evaluate to true, or returns
    # false if all of the conditions evaluates to false" (CloudFormation Template Reference,
    # Condition functions, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html)
    from troposphere_fargate.cfn.evaluate import decided_conditions

    template = {
        "Parameters": {"Fixed": {"Type": "String"}, "Free": {"Type": "String"}},
        "Conditions": {
            "IsA": {"Fn::Equals": [{"Ref": "Fixed"}, "a"]},
            "IsB": {"Fn::Equals": [{"Ref": "Fixed"}, "b"]},
            "AOrB": {"Fn::Or": [{"Condition": "IsA"}, {"Condition": "IsB"}]},
            "AOrFree": {"Fn::Or": [{"Condition": "IsA"}, {"Fn::Equals": [{"Ref": "Free"}, "x"]}]},
        },
    }
    # AOrFree depends on Free, which is not fixed: it stays undecided.
    assert decided_conditions(template, {"Fixed": "c"}) == {
        "IsA": False,
        "IsB": False,
        "AOrB": False,
    }


def test_a_select_past_the_end_in_a_branch_that_may_never_be_taken_is_not_refused():
    # A template diff decides only the conditions its fixed values decide (diff.py calls
    # with_values with strict=False): a branch of an undecided Fn::If may never be deployed, so
    # an Fn::Select past its list's end there is no error, unlike one that is certainly made.
    from troposphere_fargate.cfn.evaluate import with_values

    template = {"Parameters": {"Zones": {"Type": "CommaDelimitedList"}}}
    node = {
        "Fn::If": ["ThreeZones", {"Fn::Select": [2, {"Ref": "Zones"}]}, {"Ref": "AWS::NoValue"}]
    }
    assert with_values(node, template, {"Zones": "a,b"}, strict=False) == {
        "Fn::If": ["ThreeZones", {"Fn::Select": [2, ["a", "b"]]}, {"Ref": "AWS::NoValue"}]
    }
    with pytest.raises(ParameterError, match="picks item 3 of parameter Zones"):
        with_values(node, template, {"Zones": "a,b"})


def test_resolving_refuses_a_condition_cloudformation_cannot_evaluate_even_one_nothing_uses():
    # "Within each condition, you can reference another condition, a parameter value, or a
    # mapping" (CloudFormation User Guide, Conditions template section syntax,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html):
    # a resource's attribute there makes CloudFormation refuse the template.
    from troposphere_fargate.cfn.evaluate import resolved

    template = {
        "Conditions": {"Unused": {"Fn::Equals": [{"Fn::GetAtt": ["Queue", "Arn"]}, "x"]}},
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
    }
    with pytest.raises(EvaluationError, match="Fn::GetAtt cannot be used here"):
        resolved(template, {})


@pytest.mark.parametrize(
    "region, partition, suffix",
    [
        ("eu-west-1", "aws", "amazonaws.com"),
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
        ("cn-northwest-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
    ],
)
def test_a_region_s_partition_and_url_suffix_are_its_partition_s(region, partition, suffix):
    # "AWS::Partition ... For resources in other partitions, the partition is
    # aws-partitionname. For example, the partition for resources in the China (Beijing and
    # Ningxia) Region is aws-cn and the partition for resources in the AWS GovCloud (US-West)
    # region is aws-us-gov." "AWS::URLSuffix: Returns the suffix for a domain. The suffix is
    # typically amazonaws.com, but might differ by Region. For example, the suffix for the
    # China (Beijing) Region is amazonaws.com.cn." (CloudFormation User Guide, Pseudo
    # parameters reference, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html)
    from troposphere_fargate.cfn.evaluate import pseudo_for_region

    assert pseudo_for_region(region) == {
        "AWS::Region": region,
        "AWS::Partition": partition,
        "AWS::URLSuffix": suffix,
    }


# "MinLength: An integer value that determines the smallest number of characters you want to
# allow for String types" (CloudFormation User Guide, Parameters template section syntax,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
# Characters, not bytes; whether CloudFormation (Java) counts a character beyond U+FFFF as one
# code point or as Java's String.length() does, two UTF-16 units, is not documented: a value is
# refused only when both counts refuse it.
LENGTHS = {"Parameters": {"Name": {"Type": "String", "MinLength": 2, "MaxLength": 3}}}


@pytest.mark.parametrize("value", ["ab", "abc", "éé", "日本語", "😀", "😀😀", "a😀b", "  "])
def test_a_length_either_count_of_characters_takes_is_taken(value):
    """ "😀" is one code point and two UTF-16 units: MinLength 2 took it in one count and was
    refused; "😀😀" is two code points, within MaxLength 3 in that count. Multi-byte UTF-8
    (é, 日) is one character in both."""
    assert parameter_values(LENGTHS, {"Name": value}) == {"Name": value}


@pytest.mark.parametrize(
    ("value", "why"),
    [("a", "shorter than 2"), ("é", "shorter than 2"), ("abcd", "longer than 3"),
     ("😀😀😀😀", "longer than 3"), ("日本語の", "longer than 3")],
)  # fmt: skip
def test_a_length_both_counts_refuse_is_refused(value, why):
    with pytest.raises(ParameterError, match=why):
        parameter_values(LENGTHS, {"Name": value})


def test_a_parameter_value_takes_4096_bytes_of_utf_8():
    """ "Parameter value: Maximum size of a parameter value. 4,096 bytes" (Understand
    CloudFormation quotas, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
    bytes, so 2,048 é fill it and 2,049 pass it, although each is within any MaxLength of
    4,096 characters. No check counted the size at all."""
    template = {"Parameters": {"Text": {"Type": "String"}}}
    for value in ["a" * 4096, "é" * 2048, "日" * 1365 + "a"]:
        assert parameter_values(template, {"Text": value}) == {"Text": value}
        assert parameter_problems(template, {"Text": value}) == []
    for value in ["a" * 4097, "é" * 2049, "日" * 1366]:
        with pytest.raises(ParameterError, match=r"Text is 4,09[78] bytes \(UTF-8\)"):
            parameter_values(template, {"Text": value})
        [problem] = parameter_problems(template, {"Text": value})
        assert problem.endswith("CloudFormation takes a parameter value of 4,096 bytes at most")
    # A default is the template's, of which the quota says nothing.
    assert parameter_values({"Parameters": {"Text": {"Type": "String", "Default": "é" * 2049}}}, {})


def test_a_number_too_large_for_a_double_is_a_number_the_bounds_judge():
    """Java's BigDecimal reads 1e400 exactly and Double.parseDouble as infinity (Java SE
    API: "if the exact value of the string is large enough in magnitude ... the result is
    infinity"): a Number parameter of it was refused as "not a number", which neither way
    CloudFormation may read it says; its MaxValue still refuses it."""
    template = {
        "Parameters": {"Big": {"Type": "Number"}, "Bounded": {"Type": "Number", "MaxValue": 10}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    assert parameter_problems(template, {"Big": "1e400", "Bounded": "5"}) == []
    assert parameter_problems(template, {"Big": "1", "Bounded": "1e400"}) == [
        "parameter Bounded='1e400' is above the maximum 10"
    ]
    assert parameter_problems(template, {"Big": "Infinity", "Bounded": "5"}) == [
        "parameter Big='Infinity' is not a number"
    ]


def test_a_deferred_parameter_given_a_value_is_still_checked():
    # A parameter a parent passes once deployed is not asked for; one given all the same is
    # held to its type as any other.
    template = {"Parameters": {"Vpc": {"Type": "AWS::EC2::VPC::Id"}}}
    assert parameter_problems(template, {}, deferred=["Vpc"]) == []
    assert parameter_problems(template, {"Vpc": "vpc-0abc"}, deferred=["Vpc"]) == [
        "parameter Vpc='vpc-0abc' is not an AWS::EC2::VPC::Id: 'vpc-0abc' is not such an id "
        "(vpc- and 8 or 17 hexadecimal digits, such as vpc-0123456789abcdef0)"
    ]


def test_a_parameter_the_template_leaves_out_on_purpose_says_why():
    template = {
        "Metadata": {"TroposphereFargate": {"NotOffered": {"Cpu": "each account sets its own"}}},
        "Parameters": {"Name": {"Type": "String", "Default": "web"}},
    }
    assert parameter_problems(template, {"Cpu": "256"}) == [
        "unknown parameter Cpu: each account sets its own"
    ]


def test_an_unknown_parameter_lists_the_names_a_template_of_up_to_16_takes():
    names = [f"P{number:02}" for number in range(1, 18)]
    few = {"Parameters": {name: {"Type": "String", "Default": "x"} for name in names[:16]}}
    many = {"Parameters": {name: {"Type": "String", "Default": "x"} for name in names}}
    assert parameter_problems(few, {"Colour": "red"}) == [
        f"unknown parameter Colour (it takes {', '.join(names[:16])})"
    ]
    assert parameter_problems(many, {"Colour": "red"}) == ["unknown parameter Colour"]


def test_a_number_with_underscores_or_a_list_of_numbers_holding_text_is_refused():
    # "Number: An integer or float"; "List<Number>: An array of integers or floats that are
    # separated by commas. CloudFormation validates the parameter value as numbers" (User
    # Guide, Parameters template section syntax,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
    # Python's float() reads "1_0" as 10 (PEP 515); Java, as CloudFormation runs, refuses it.
    template = {"Parameters": {"Count": {"Type": "Number"}, "Sizes": {"Type": "List<Number>"}}}
    assert parameter_problems(template, {"Count": "10", "Sizes": "1, 2.5"}) == []
    assert parameter_problems(template, {"Count": "1_0", "Sizes": "1, x, 2"}) == [
        "parameter Count='1_0' is not a number",
        "parameter Sizes='1, x, 2' holds 'x', not a number",
    ]


def test_a_constraint_description_stands_for_the_pattern_in_the_message():
    # "without a constraint description, a parameter that has an allowed pattern of
    # [A-Za-z0-9]+ displays the following error message ...: Malformed input-Parameter
    # MyParameter must match pattern [A-Za-z0-9]+"; with one, the customized message (User
    # Guide, Parameters template section syntax, ConstraintDescription,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
    with pytest.raises(ParameterError) as described:
        parameter_values(TEMPLATE, {**SUBNETS, "Name": "Web"})
    assert str(described.value) == (
        "parameter Name='Web' does not match its pattern: lower-case letters only"
    )
    bare = {"Parameters": {"Name": {"Type": "String", "AllowedPattern": "^[a-z]+$"}}}
    assert parameter_problems(bare, {"Name": "Web"}) == [
        "parameter Name='Web' does not match ^[a-z]+$"
    ]


def test_a_rule_reading_the_account_says_so():
    # "Fn::ValueOf: Returns an attribute value or list of values for a specific parameter and
    # attribute" (Rule functions,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html):
    # the account's, known only when CloudFormation checks the rule.
    from troposphere_fargate.cfn.evaluate import KnownAtLaunch

    template = {
        "Parameters": {"Vpc": {"Type": "AWS::EC2::VPC::Id", "Default": "vpc-01234567"}},
        "Rules": {
            "R": {
                "Assertions": [
                    {"Assert": {"Fn::Equals": [{"Fn::ValueOf": ["Vpc", "Tags.Env"]}, "prod"]}}
                ]
            }
        },
    }
    with pytest.raises(KnownAtLaunch) as unknown:
        deployed(template)
    assert str(unknown.value) == "rule R: Fn::ValueOf reads the account's resources"


def test_a_condition_joins_with_its_delimiter_and_contains_finds_any_member():
    # "Fn::Join: Appends a set of values into a single value, separated by the specified
    # delimiter" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-join.html);
    # "Fn::Contains: Returns true if a specified string matches at least one value in a list
    # of strings" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html).
    template = {
        "Parameters": {
            "Zones": {"Type": "CommaDelimitedList", "Default": "a,b"},
            "Mode": {"Type": "String", "Default": "b"},
        },
        "Rules": {
            "Known": {
                "Assertions": [
                    {
                        "Assert": {"Fn::Contains": [["a", "b"], {"Ref": "Mode"}]},
                        "AssertDescription": "a or b",
                    }
                ]
            }
        },
        "Conditions": {"AThenB": {"Fn::Equals": [{"Fn::Join": ["-", {"Ref": "Zones"}]}, "a-b"]}},
    }
    assert deployed(template).conditions == {"AThenB": True}
    assert deployed(template, {"Zones": "b,a", "Mode": "a"}).conditions == {"AThenB": False}
    with pytest.raises(RuleError, match="rule Known: a or b"):
        deployed(template, {"Mode": "c"})


def test_deployed_refuses_a_function_called_the_wrong_way():
    # { "Fn::Select" : [ index, listOfObjects ] } (Template Reference, Fn::Select,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-select.html):
    # CloudFormation refuses the template.
    template = {"Resources": {"R": {"Type": "T", "Properties": {"P": {"Fn::Select": [0]}}}}}
    with pytest.raises(EvaluationError) as refused:
        deployed(template)
    assert str(refused.value) == (
        "resource R, Properties.P: Fn::Select takes a list of 2 values (an index and a list), "
        "not a list of 1"
    )


def test_a_negative_select_index_from_a_parameter_says_the_index():
    # "index: ... This must be a value from zero to N-1" (Template Reference, Fn::Select,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-select.html).
    from troposphere_fargate.cfn.evaluate import with_values

    template = {"Parameters": {"Index": {"Type": "String"}}}
    node = {"Fn::Select": [{"Ref": "Index"}, ["a", "b"]]}
    assert with_values(node, template, {"Index": "1"}) == "b"
    with pytest.raises(ParameterError) as refused:
        with_values(node, template, {"Index": "-1"})
    assert str(refused.value) == (
        "Fn::Select's index is -1: it must be from 0 to the list's length less 1, and "
        "CloudFormation would fail the stack here"
    )


def test_a_sub_variable_known_once_deployed_hides_the_parameter_of_its_name():
    # "Var1Name: The name of a variable that you included in the String parameter. Var1Value:
    # The value that CloudFormation substitutes for the associated variable name at runtime"
    # (Template Reference, Fn::Sub,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html):
    # the variable's value, a queue's ARN here, not the parameter Name's "web".
    from troposphere_fargate.cfn.evaluate import resolved

    sub = {"Fn::Sub": ["${Name}-x", {"Name": {"Fn::GetAtt": ["Queue", "Arn"]}}]}
    template = {
        "Parameters": {"Name": {"Type": "String", "Default": "web"}},
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": sub}},
        },
    }
    assert resolved(template, {})["Resources"]["Topic"]["Properties"]["TopicName"] == sub


def test_a_mapping_key_written_as_a_number_is_decided_before_every_value_is_known():
    # As the full evaluation does (tests/cfn/test_intrinsics.py): a mapping's keys are strings,
    # "map keys must be strings; received numeric [123456789012] instead"
    # (aws-cloudformation/cfn-lint#292), so an unquoted 123456789012 finds "123456789012".
    from troposphere_fargate.cfn.evaluate import decided_conditions

    template = {
        "Parameters": {"Free": {"Type": "String"}},
        "Mappings": {"Accounts": {"123456789012": {"Env": "prod"}}},
        "Conditions": {
            "Prod": {"Fn::Equals": [{"Fn::FindInMap": ["Accounts", 123456789012, "Env"]}, "prod"]}
        },
    }
    assert decided_conditions(template, {}) == {"Prod": True}


def test_of_type_keeps_the_resources_of_that_type():
    template = {
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Other": {"Type": "AWS::SNS::Topic"},
        }
    }
    assert sorted(deployed(template).of_type("AWS::SNS::Topic")) == ["Other", "Topic"]
    assert deployed(template).of_type("AWS::EC2::VPC") == {}


def test_the_claimed_regions_are_the_texts_of_the_cfn_lint_config_s_regions():
    """One region may be written as text (cfn-lint takes it so); what is not a region's name
    is no region; metadata of another shape claims none (not an AttributeError)."""

    def claiming(config: Any) -> dict[str, Any]:
        return {"Metadata": {"cfn-lint": config}}

    assert claimed_regions(claiming({"config": {"regions": "eu-west-1"}})) == ["eu-west-1"]
    assert claimed_regions(claiming({"config": {"regions": ["eu-west-1", 5, None]}})) == [
        "eu-west-1"
    ]
    for config in (["eu-west-1"], {"config": ["eu-west-1"]}, {"config": {"regions": 5}}):
        assert claimed_regions(claiming(config)) == []
    assert claimed_regions({"Metadata": ["cfn-lint"]}) == []
