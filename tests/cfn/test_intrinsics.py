"""The dry run's intrinsic functions against CloudFormation's documented semantics: what each
gives, and a template of one's own calling one the wrong way refused in one line that names the
function and where it stands (never a traceback)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from troposphere_fargate import cli
from troposphere_fargate.cfn.dry_run import DryRunFailed, dry_run
from troposphere_fargate.cfn.evaluate import EvaluationError, deployed
from troposphere_fargate.cfn.intrinsics import get_att, shape_problems
from troposphere_fargate.cfn.yaml import TemplateFileError, read_template

PARAMETERS = {
    "Name": {"Type": "String", "Default": "web"},
    "Zones": {"Type": "CommaDelimitedList", "Default": "a,b"},
    "Flag": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]},
}
MAPPINGS = {"Sizes": {"small": {"Cpu": "256"}}}


def _template(**sections: Any) -> dict[str, Any]:
    template: dict[str, Any] = {
        "Parameters": PARAMETERS,
        "Mappings": MAPPINGS,
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
    }
    for name, section in sections.items():
        template[name] = {**template.get(name, {}), **section}
    return template


def _with_name(value: Any) -> dict[str, Any]:
    """A template whose topic's name is ``value``."""
    topic = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": value}}
    return _template(Resources={"Topic": topic})


def _dry_run(tmp_path: Any, template: dict[str, Any], **given: str) -> Any:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template))
    return dry_run(path, given)


def _name(tmp_path: Any, value: Any, **given: str) -> Any:
    return _dry_run(tmp_path, _with_name(value), **given).resources["Topic"]["Properties"][
        "TopicName"
    ]


def test_a_yaml_boolean_equals_its_text_as_cloudformation_compares_them():
    # "Fn::Equals: Compares if two values are equal. Returns true if the two values are equal or
    # false if they aren't." "value: A value of any type that you want to compare." (Template
    # Reference, Condition functions,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html).
    # The template is JSON to CloudFormation, so a YAML true is true: `!Equals [!Ref Flag,
    # true]` holds for Flag=true (cfn-lint: "W8003 [True, 'true'] will always return True").
    # The evaluator compared Python's "True" with "true": false, and left the resource out.
    template = _template(
        Conditions={"On": {"Fn::Equals": [{"Ref": "Flag"}, True]}},
        Resources={"Extra": {"Type": "AWS::SNS::Topic", "Condition": "On"}},
    )
    assert deployed(template).conditions == {"On": True}
    assert "Extra" in deployed(template).resources
    assert deployed(template, {"Flag": "false"}).conditions == {"On": False}


def test_a_join_of_booleans_and_numbers_joins_their_json_text(tmp_path):
    # Fn::Join "appends a set of values into a single value" (Template Reference, Fn::Join,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-join.html):
    # of the template's JSON values, true is "true" (it was Python's "True").
    assert _name(tmp_path, {"Fn::Join": ["-", [True, 2, "x"]]}) == "true-2-x"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        # "ListOfValues: The list of values you want combined" (Fn::Join): a list parameter's
        # Ref inside that list is a list, no value to combine (cfn-lint E1020 "{'Ref':
        # 'Zones'} is not of type 'string'"). It was joined as Python's "['a', 'b']-x".
        (
            {"Fn::Join": ["-", [{"Ref": "Zones"}, "x"]]},
            "Fn::Join joins strings, and its list holds a list of 2",
        ),
        # Fn::Sub "substitutes variables in an input string"; "If you specify template
        # parameter names ... CloudFormation returns the same values as if you used the Ref
        # intrinsic function" (Template Reference, Fn::Sub,
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html):
        # a list parameter's Ref is a list, no text (cfn-lint E1019). It was "['a', 'b']".
        ({"Fn::Sub": "${Zones}"}, "Fn::Sub substitutes strings, and ${Zones} is a list"),
        (
            {"Fn::Sub": ["${Z}", {"Z": {"Ref": "Zones"}}]},
            "Fn::Sub substitutes strings, and ${Z} is a list",
        ),
        # "The intrinsic function Fn::FindInMap returns the value corresponding to keys in a
        # two-level map that is declared in the Mappings section" (Template Reference,
        # Fn::FindInMap): a key that is not there fails the stack, "Unable to get mapping for
        # ..."; the dry run took it.
        (
            {"Fn::FindInMap": ["Sizes", "large", "Cpu"]},
            "Unable to get mapping for Sizes::large::Cpu",
        ),
        (
            {"Fn::FindInMap": ["Sizes", {"Ref": "Name"}, "Cpu"]},
            "Unable to get mapping for Sizes::web::Cpu",
        ),
        # "index: The index of the object to retrieve. This must be a value from zero to N-1"
        # (Template Reference, Fn::Select): a parameter's text that is no index was left as it
        # was, and the dry run took it.
        ({"Fn::Select": [{"Ref": "Name"}, ["a"]]}, "Fn::Select's index is a string ('web')"),
        ({"Fn::Select": ["-1", ["a"]]}, "Fn::Select's value 1 is a string ('-1'), not an index"),
        ({"Fn::Join": ["-", [None, "x"]]}, "Fn::Join joins strings, and its list holds nothing"),
        # A second-level key that is not there, and a key written as a number (its text).
        (
            {"Fn::FindInMap": ["Sizes", "small", "Memory"]},
            "Unable to get mapping for Sizes::small::Memory",
        ),
        ({"Fn::FindInMap": ["Sizes", 1, "Cpu"]}, "Unable to get mapping for Sizes::1::Cpu"),
    ],
)
def test_a_function_cloudformation_cannot_compute_fails_the_dry_run(tmp_path, value, says):
    with pytest.raises(DryRunFailed) as failed:
        _name(tmp_path, value)
    assert len(failed.value.problems) == 1
    assert failed.value.problems[0].startswith(
        f"t.json: resource Topic, Properties.TopicName: {says}"
    )


@pytest.mark.parametrize(
    ("condition", "says"),
    [
        # "Fn::And ... The minimum number of conditions that you can include is 2, and the
        # maximum is 10." (Fn::Or alike; Template Reference, Condition functions): one was
        # taken as its own value, eleven as any number.
        (
            {"Fn::And": [{"Fn::Equals": ["a", "a"]}]},
            "condition C: Fn::And takes a list of 2 to 10 values, not 1",
        ),
        (
            {"Fn::Or": [{"Fn::Equals": ["a", "a"]}] * 11},
            "condition C: Fn::Or takes a list of 2 to 10 values, not 11",
        ),
        # "Fn::Not": [{condition}]: the second condition was ignored.
        (
            {"Fn::Not": [{"Fn::Equals": ["a", "a"]}, {"Fn::Equals": ["a", "b"]}]},
            "condition C: Fn::Not takes a list of 1 value, not 2",
        ),
        # "You define all conditions in the Conditions section of a template except for Fn::If
        # conditions" (User Guide, Condition functions); cfn-lint E8001 refuses one there. It
        # was evaluated.
        (
            {"Fn::If": ["D", {"Fn::Equals": ["a", "a"]}, {"Fn::Equals": ["a", "b"]}]},
            "condition C: Fn::If cannot be used here",
        ),
        # A condition whose value is its own cannot be decided: it was a RecursionError.
        ({"Condition": "C"}, "condition C depends on itself (C > C)"),
        (
            {"Fn::Not": [{"Condition": "D"}]},
            "condition C depends on itself (C > D > C)",
        ),
        # Each of these was a Python traceback (ValueError, IndexError, TypeError).
        ({"Fn::Equals": ["a"]}, "condition C: Fn::Equals takes a list of 2 values, not 1"),
        ({"Fn::Not": []}, "condition C: Fn::Not takes a list of 1 value, not 0"),
        ({"Condition": ["D"]}, "condition C: a condition is named by a string, not a list"),
        (
            {"Fn::Equals": [{"Fn::FindInMap": ["Sizes", "small"]}, "256"]},
            "condition C: Fn::FindInMap takes a list of 3 values, not 2",
        ),
        (
            {"Fn::Equals": [{"Fn::Join": [","]}, ""]},
            "condition C: Fn::Join takes a list of 2 values, not 1",
        ),
        (
            {"Fn::Equals": [{"Fn::Join": ["", [{"Ref": "Zones"}, "x"]]}, ""]},
            "condition C: Fn::Join joins strings, and its list holds a list",
        ),
    ],
)
def test_a_condition_cloudformation_refuses_is_one_line_naming_it(tmp_path, condition, says):
    conditions = {"C": condition, "D": {"Fn::Not": [{"Condition": "C"}]}}
    if condition == {"Fn::Not": [{"Condition": "D"}]}:
        conditions["D"] = {"Fn::Not": [{"Condition": "C"}]}
    else:
        conditions["D"] = {"Fn::Equals": ["a", "a"]}
    outputs = {"O": {"Value": {"Fn::If": ["C", "yes", "no"]}}}
    with pytest.raises(DryRunFailed) as failed:
        _dry_run(tmp_path, _template(Conditions=conditions, Outputs=outputs))
    assert len(failed.value.problems) == 1
    assert failed.value.problems[0].startswith(f"t.json: {says}")


@pytest.mark.parametrize(
    ("assertion", "says"),
    [
        # A rule CloudFormation refuses was said to need "values known only at launch".
        ({"Condition": "X"}, "rule R: Condition cannot be used here"),
        ({"Fn::Joins": ["", ["a"]]}, "rule R: Fn::Joins cannot be used here"),
        ({"Fn::Equals": [{"Ref": "Nope"}, "a"]}, "rule R: Ref Nope names no parameter"),
        # Each of these was a Python traceback.
        ({"Fn::Equals": ["a"]}, "rule R: Fn::Equals takes a list of 2 values, not 1"),
        ({"Fn::EachMemberIn": [["a"]]}, "rule R: Fn::EachMemberIn takes a list of 2 values, not 1"),
    ],
)
def test_a_rule_cloudformation_refuses_is_one_line_naming_it(tmp_path, assertion, says):
    rules = {"R": {"Assertions": [{"Assert": assertion, "AssertDescription": "held"}]}}
    with pytest.raises(DryRunFailed) as failed:
        _dry_run(tmp_path, _template(Rules=rules))
    assert len(failed.value.problems) == 1
    assert failed.value.problems[0].startswith(f"t.json: {says}")


@pytest.mark.parametrize(
    "assertion",
    [
        {"Fn::Contains": ["abc", "b"]},
        {"Fn::EachMemberIn": ["ab", "abc"]},
        # A list for Fn::Contains' string, and a string for Fn::EachMemberIn's second list:
        # neither was judged false ([["a"]] holds no ["a"]) nor true ("a" in the letters of "a").
        {"Fn::Contains": [["a"], ["a"]]},
        {"Fn::EachMemberIn": [["a"], "a"]},
    ],
)
def test_a_rule_function_given_other_arguments_than_its_reference_shows_is_left_unchecked(
    tmp_path, assertion
):
    """ "Fn::Contains" : [[list_of_strings], string]; "Fn::EachMemberIn" : [[strings_to_check],
    [strings_to_match]] (Template Reference, Rule functions,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html).
    A string for the list was searched as Python's substring ("b" in "abc" held); what
    CloudFormation makes of it is not documented and cfn-lint takes it, so the rule is left
    for CloudFormation: neither judged nor refused."""
    rules = {"R": {"Assertions": [{"Assert": assertion, "AssertDescription": "held"}]}}
    assert _dry_run(tmp_path, _template(Rules=rules)).unchecked_rules == ["R"]


def test_a_rule_reading_the_account_is_still_left_for_launch(tmp_path, capsys):
    # "Fn::RefAll: Returns all values for a specified parameter type" (Rule functions): the
    # account's VPC ids, known only when CloudFormation checks the rule.
    assertion = {"Fn::Contains": [{"Fn::RefAll": "AWS::EC2::VPC::Id"}, "vpc-1"]}
    rules = {"R": {"Assertions": [{"Assert": assertion}]}}
    assert _dry_run(tmp_path, _template(Rules=rules)).unchecked_rules == ["R"]
    # validate passes such a template and says which rules it left unchecked.
    (tmp_path / "t.json").write_text(json.dumps(_template(Rules=rules)))
    assert cli.main(["validate", str(tmp_path / "t.json")]) == 0
    assert capsys.readouterr().err == (
        "troposphere-fargate: rules that need values known only at launch, or a function not "
        "evaluated offline in a rule (Fn::If, Fn::Join...), not checked: t.json: R\n"
    )


@pytest.mark.parametrize(
    "assertion",
    [
        {"Fn::Equals": [{"Fn::If": ["On", "a", "b"]}, "a"]},
        {"Fn::Equals": [{"Fn::Join": ["", {"Ref": "Zones"}]}, ""]},
        {"Fn::Equals": [{"Fn::Select": [0, {"Ref": "Zones"}]}, "a"]},
        {"Fn::Equals": [{"Fn::FindInMap": ["Sizes", "small", "Cpu"]}, "256"]},
        {"Fn::Equals": [{"Fn::Sub": "${Name}"}, "web"]},
    ],
)
def test_a_rule_calling_a_function_cloudformation_has_is_left_unchecked(tmp_path, assertion):
    """Service Catalog's rule-specific functions include Fn::If ("You can use the following
    rule-specific intrinsic functions to define rule conditions and assertions: Fn::And,
    Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::Equals, Fn::If, Fn::Not, Fn::Or,
    Fn::RefAll, Fn::ValueOf, Fn::ValueOfAll",
    https://docs.aws.amazon.com/servicecatalog/latest/adminguide/reference-template_constraint_rules.html,
    quoted by https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.CfnRuleProps.html), and
    cfn-lint 1.58 takes Fn::Join, Fn::Select, Fn::FindInMap or Fn::Sub inside an assertion's
    Fn::Equals. The evaluator does not evaluate them in a rule: the rule is left for
    CloudFormation (as before 0.4.0's intrinsics check), not refused as "cannot be used here".
    A Condition stays refused (CloudFormation: "functions are not supported in the Rules
    block: [Condition]", tests/cfn/test_evaluate.py)."""
    rules = {"R": {"Assertions": [{"Assert": assertion, "AssertDescription": "held"}]}}
    conditions = {"On": {"Fn::Equals": ["a", "a"]}}
    planned = _dry_run(tmp_path, _template(Rules=rules, Conditions=conditions))
    assert planned.unchecked_rules == ["R"]


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        # "Assertions: [ { Assert: ..., AssertDescription: ... } ]" (User Guide, Rules template
        # section syntax): each was a KeyError or TypeError traceback.
        ({"Assertions": [{"AssertDescription": "d"}]}, "an assertion is a mapping with an Assert"),
        ({"Assertions": {"Assert": {"Fn::Equals": ["a", "a"]}}}, "its Assertions are a mapping"),
        ({"Assertions": ["x"]}, "an assertion is a mapping with an Assert, not a string"),
    ],
)
def test_a_misshapen_rule_is_refused_naming_it(rule, says):
    with pytest.raises(EvaluationError, match=f"^rule R: {says}"):
        deployed(_template(Rules={"R": rule}))


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (
            {"Fn::Select": [0]},
            "Fn::Select takes a list of 2 values (an index and a list), not a list of 1",
        ),
        (
            {"Fn::Select": ["x", ["a"]]},
            "Fn::Select's value 1 is a string ('x'), not an index from 0",
        ),
        ({"Fn::Select": [-1, ["a"]]}, "Fn::Select's value 1 is a number (-1), not an index from 0"),
        ({"Fn::Join": [","]}, "Fn::Join takes a list of 2 values"),
        # "For the Fn::Join delimiter, you cannot use any functions. You must specify a string
        # value." (Fn::Join; Fn::Split alike)
        ({"Fn::Join": [{"Ref": "Name"}, ["a"]]}, "Fn::Join's value 1 is a mapping, not a string"),
        ({"Fn::Split": [{"Ref": "Name"}, "a,b"]}, "Fn::Split's value 1 is a mapping, not a string"),
        ({"Fn::Split": [","]}, "Fn::Split takes a list of 2 values"),
        # { "Fn::Sub" : [ String, { Var1Name: Var1Value, ... } ] } or { "Fn::Sub" : String }
        ({"Fn::Sub": ["${Name}"]}, "Fn::Sub takes a string, or a list of a string and a mapping"),
        (
            {"Fn::Sub": ["${Name}", {}, {}]},
            "Fn::Sub takes a string, or a list of a string and a mapping",
        ),
        (
            {"Fn::Sub": [{"Ref": "Name"}, {}]},
            "Fn::Sub takes a string, or a list of a string and a mapping",
        ),
        (
            {"Fn::Sub": ["${Name}", "x"]},
            "Fn::Sub takes a string, or a list of a string and a mapping",
        ),
        ({"Fn::If": ["On", "a"]}, "Fn::If takes a list of 3 values"),
        ({"Fn::GetAtt": ["Topic"]}, "Fn::GetAtt takes a list of 2 values"),
        ({"Fn::FindInMap": ["Sizes", "small"]}, "Fn::FindInMap takes a list of 3 values"),
        # "Fn::Cidr count: The number of CIDRs to generate. Valid range is between 1 and 256."
        (
            {"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 300, 8]}]},
            "Fn::Cidr's count is 300: CloudFormation takes 1 to 256",
        ),
        (
            {"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 0, 8]}]},
            "Fn::Cidr's count is 0: CloudFormation takes 1 to 256",
        ),
        # "You must use the AWS::LanguageExtensions transform to use the Fn::Length intrinsic
        # function." (Template Reference, Fn::Length); the DefaultValue of Fn::FindInMap comes
        # with that transform too (Template Reference, Fn::FindInMap enhancements).
        ({"Fn::Length": [1, 2]}, "Fn::Length needs the template's Transform"),
        (
            {"Fn::FindInMap": ["Sizes", "large", "Cpu", {"DefaultValue": "512"}]},
            "Fn::FindInMap's fourth value (a DefaultValue) needs the template's Transform",
        ),
        (
            {"Fn::Joins": ["", ["a"]]},
            "Fn::Joins is no CloudFormation function (did you mean Fn::Join?)",
        ),
        ({"Ref": ["Name"]}, "Ref takes a name, not a list of 1"),
        ({"Ref": {"Ref": "Name"}}, "Ref takes a name, not a mapping"),
        # "You must use the AWS::LanguageExtensions transform to use the Fn::ToJsonString
        # intrinsic function" (Template Reference, Fn::ToJsonString).
        ({"Fn::ToJsonString": {"a": "b"}}, "Fn::ToJsonString needs the template's Transform"),
        # { "Fn::GetAtt" : [ "logicalNameOfResource", "attributeName" ] }; "When the
        # AWS::LanguageExtensions transform is used, you can use intrinsic functions as a
        # parameter to Fn::GetAtt" (Template Reference, Fn::GetAtt,
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html):
        # without it, a logical ID.
        ({"Fn::GetAtt": [{"Ref": "Name"}, "Arn"]}, "Fn::GetAtt's value 1 is a mapping, not a name"),
        ({"Fn::GetAtt": "Topic."}, "Fn::GetAtt takes LogicalId.Attribute, not 'Topic.'"),
        # { "Fn::If": [condition_name, value_if_true, value_if_false] } (Template Reference,
        # Condition functions)
        ({"Fn::If": [{"Ref": "Name"}, "a", "b"]}, "Fn::If's value 1 is a mapping, not a name"),
        # { "Fn::Split" : [ "delimiter", "source string" ] }; { "Fn::Join" : [ "delimiter",
        # [ comma-delimited list of values ] ] } (Template Reference, Fn::Split and Fn::Join)
        (
            {"Fn::Split": [",", ["a"]]},
            "Fn::Split's value 2 is a list of 1, not a string (or a function that gives one)",
        ),
        (
            {"Fn::Join": [",", "a"]},
            "Fn::Join's value 2 is a string ('a'), not a list (or a function that gives one)",
        ),
        ({"Fn::Join": [None, ["a"]]}, "Fn::Join's value 1 is nothing, not a string"),
        (
            {"Fn::Select": [True, ["a"]]},
            "Fn::Select's value 1 is a boolean (True), not an index from 0",
        ),
        (
            {"Fn::Select": [0, ["a"], "x"]},
            "Fn::Select takes a list of 2 values (an index and a list), not a list of 3",
        ),
        ({"Fn::FindInMap": ["a", "b", "c", "d", "e"]}, "Fn::FindInMap takes a list of 3 values"),
        # { "Fn::GetAZs" : "region" }, or { "Fn::GetAZs" : { "Ref" : "AWS::Region" } } (Template
        # Reference, Fn::GetAZs); { "Fn::Base64" : valueToEncode }, a string
        ({"Fn::GetAZs": ["a"]}, "Fn::GetAZs takes a string (or a function that gives one), not"),
        (
            {"Fn::Base64": {"Fn::Sub": "a", "b": "c"}},
            "Fn::Base64 takes a string (or a function that gives one), not a mapping",
        ),
    ],
)
def test_validate_refuses_a_function_called_the_wrong_way_in_one_line(
    tmp_path, capsys, value, says
):
    """Each of these was a Python traceback, or passed the dry run as if it were right."""
    template = _with_name(value)
    template["Conditions"] = {"On": {"Fn::Equals": ["a", "a"]}}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template))
    assert cli.main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1
    where = "Properties.TopicName[1]" if "Cidr" in says else "Properties.TopicName"
    assert lines[0].startswith(
        f"troposphere-fargate: error: t.json: resource Topic, {where}: {says}"
    )


@pytest.mark.parametrize(
    "value",
    [
        {"Fn::Base64": {"Fn::Sub": "x"}},
        {"Fn::GetAZs": {"Ref": "AWS::Region"}},
        {"Fn::GetAtt": "Topic.TopicArn"},
        {"Fn::Join": [",", {"Fn::GetAZs": ""}]},
        {"Fn::Split": [",", {"Fn::Sub": "a,b"}]},
        {"Fn::Select": [{"Ref": "Name"}, {"Fn::GetAZs": ""}]},
    ],
)
def test_a_function_given_a_function_where_its_reference_takes_one_is_of_its_shape(value):
    # The references' own examples: { "Fn::GetAZs" : { "Ref" : "AWS::Region" } }, { "Fn::Select"
    # : [ "0", { "Fn::GetAZs" : "" } ] }; Fn::Join's and Fn::Split's values "can be a function".
    assert shape_problems(_with_name(value)) == []


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        # "count: ... Valid range is between 1 and 256" (Fn::Cidr): 256 is taken.
        ({"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 256, 8]}]}, None),
        # An index known once deployed: the list's items are not judged by it.
        ({"Fn::Select": [{"Fn::ImportValue": "x"}, ["a", "b"]]}, None),
        # A variable of the Sub's own mapping hides the list parameter of its name.
        ({"Fn::Sub": ["${Zones}", {"Zones": "x"}]}, "x"),
        ({"Fn::Sub": ["${Zones}-${Topic.TopicArn}", {"Zones": {"Fn::ImportValue": "v"}}]}, None),
        # An empty Fn::Split delimiter, whose meaning the reference does not give: left for
        # CloudFormation, not computed (nor a Python traceback).
        ({"Fn::Select": [0, {"Fn::Split": ["", "ab"]}]}, None),
    ],
)
def test_a_function_cloudformation_computes_passes_the_dry_run(tmp_path, value, kept):
    assert _name(tmp_path, value) == (value if kept is None else kept)


@pytest.mark.parametrize("index", ["\u00b2", "--1"])
def test_a_select_index_that_is_no_whole_number_is_one_line_not_a_traceback(
    tmp_path, capsys, index
):
    """ "index: The index of the object to retrieve. This must be a value from zero to N-1"
    (Template Reference, Fn::Select,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-select.html).
    A parameter's "²" (a digit to Python's str.isdigit(), none to int()) or "--1" as the index
    stopped validate on a ValueError traceback."""
    template = _with_name({"Fn::Select": [{"Ref": "Name"}, ["a", "b", "c"]]})
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    assert cli.main(["validate", str(path), f"Name={index}"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines() == [
        "troposphere-fargate: error: t.json: resource Topic, Properties.TopicName: "
        f"Fn::Select's index is a string ({index!r}), not a whole number from 0"
    ]


def test_a_function_called_the_wrong_way_in_an_output_is_named_there():
    template = _template(Outputs={"O": {"Value": {"Fn::Select": [0]}}})
    assert shape_problems(template) == [
        "output O, Value: Fn::Select takes a list of 2 values (an index and a list), "
        "not a list of 1"
    ]


def test_a_stack_output_read_with_fn_getstackoutput_is_taken(tmp_path):
    # "The intrinsic function Fn::GetStackOutput returns the value of an output from another
    # stack. Unlike Fn::ImportValue, this function does not require the referenced stack to
    # explicitly export the output value"; { "Fn::GetStackOutput": { "StackName": ...,
    # "OutputName": ..., "Region": ..., "RoleArn": ... } }, StackName and OutputName
    # "Required: Yes" (Template Reference,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html).
    # cfn-lint knows it (E1033); the dry run refused it as "no CloudFormation function".
    output = {"StackName": "network", "OutputName": "VpcId", "Region": "us-west-2"}
    assert _name(tmp_path, {"Fn::GetStackOutput": output}) == {"Fn::GetStackOutput": output}
    with pytest.raises(DryRunFailed) as failed:
        _name(tmp_path, {"Fn::GetStackOutput": {"StackName": "network"}})
    assert failed.value.problems == [
        "t.json: resource Topic, Properties.TopicName: Fn::GetStackOutput takes a mapping with "
        "a StackName and an OutputName: it has no OutputName"
    ]


# cfn-lint's schema of Fn::Equals in a condition takes Ref, Fn::FindInMap, Fn::Sub, Fn::Join,
# Fn::Select and Fn::Split (cfnlint/data/schemas/other/functions/equals.json), and a condition
# of Fn::Select of an Fn::Split deploys ("The CFN template functions as expected when deployed
# to AWS", DontShaveTheYak/cloud-radar#179; "an AWS validated test", localstack/localstack#9311):
# the dry run refused each as "cannot be used here".
VERSION = {"Type": "String", "Default": "5.7.mysql_aurora.2.10.2"}
ZONES = {"Type": "CommaDelimitedList", "Default": "a,b"}
SELECTING = {
    "IsMySQL8": {
        "Fn::Equals": [
            {"Fn::Select": [0, {"Fn::Split": ["8.0.mysql_aurora", {"Ref": "Version"}]}]},
            "",
        ]
    },
    "FirstZoneIsA": {"Fn::Equals": [{"Fn::Select": ["0", {"Ref": "Zones"}]}, "a"]},
    "InEast": {"Fn::Equals": [{"Fn::Sub": "${Version}@${AWS::Region}"}, "x@us-east-1"]},
    "Named": {"Fn::Equals": [{"Fn::Sub": ["${V}-y", {"V": {"Ref": "Version"}}]}, "x-y"]},
}


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ({}, ["FirstZoneIsA"]),
        ({"Version": "8.0.mysql_aurora.3.04.0", "Zones": "b,a"}, ["IsMySQL8"]),
        ({"Version": "x"}, ["FirstZoneIsA", "InEast", "Named"]),
    ],
)
def test_a_condition_may_select_split_and_substitute(tmp_path, given, kept):
    resources = {name: {"Type": "AWS::SNS::Topic", "Condition": name} for name in SELECTING}
    template = {
        "Parameters": {"Version": VERSION, "Zones": ZONES},
        "Conditions": SELECTING,
        "Resources": resources,
    }
    assert sorted(_dry_run(tmp_path, template, **given).resources) == sorted(kept)


@pytest.mark.parametrize(
    ("condition", "says"),
    [
        (
            {"Fn::Equals": [{"Fn::Select": [2, {"Ref": "Zones"}]}, "a"]},
            "condition C: Fn::Select's index 2 is past the end of a list of 2",
        ),
        (
            {"Fn::Equals": [{"Fn::Select": [-1, {"Ref": "Zones"}]}, "a"]},
            "condition C: Fn::Select takes an index and a list, not a number (-1)",
        ),
        (
            {"Fn::Equals": [{"Fn::Split": [",", {"Ref": "Zones"}]}, "a"]},
            "condition C: Fn::Split takes a delimiter and a string, not a string (',') and a list",
        ),
        (
            {"Fn::Equals": [{"Fn::Sub": "${Topic.Arn}"}, "a"]},
            "condition C: Fn::Sub '${Topic.Arn}' names what a condition cannot know",
        ),
        (
            {"Fn::Equals": [{"Fn::Sub": ["${V}", ["V"]]}, "a"]},
            "condition C: Fn::Sub takes a string, or a string and a mapping of variables",
        ),
        # "delimiter: A string value that determines where the source string is divided"
        # (Template Reference, Fn::Split,
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-split.html):
        # where an empty one divides it is not said. It was a "ValueError: empty separator"
        # traceback out of validate.
        (
            {"Fn::Equals": [{"Fn::Select": [0, {"Fn::Split": ["", "ab"]}]}, "a"]},
            "condition C: Fn::Split's delimiter is empty: where CloudFormation divides the "
            "string then is not documented, so the dry run cannot decide this",
        ),
        # A list parameter's Ref is a list, no text to substitute (as in a resource, above):
        # it was not filled in with its comma-separated text.
        (
            {"Fn::Equals": [{"Fn::Sub": "${Zones}"}, "a,b"]},
            "condition C: Fn::Sub '${Zones}' names what a condition cannot know",
        ),
    ],
)
def test_a_condition_selecting_or_substituting_what_cannot_be_is_one_line(
    tmp_path, condition, says
):
    template = {
        "Parameters": {"Zones": ZONES},
        "Conditions": {"C": condition},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Condition": "C"}},
    }
    with pytest.raises(DryRunFailed) as failed:
        _dry_run(tmp_path, template)
    assert len(failed.value.problems) == 1
    assert failed.value.problems[0].startswith(f"t.json: {says}")


def test_a_mapping_key_read_as_a_number_is_refused_where_it_is(tmp_path, capsys):
    """CloudFormation refuses a template with a key YAML 1.1 reads as a number: "Template
    format error: [/Mappings/AccountMap] map keys must be strings; received numeric
    [123456789012] instead" (aws-cloudformation/cfn-lint#292; of a property's key too,
    awsdocs/aws-cloudformation-user-guide#404). The dry run looked the key up as text, found
    nothing and said "Unable to get mapping"; a key nothing looked up passed."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Mappings:\n  Accounts:\n    123456789012: {Env: prod}\n"
        "Resources:\n  T: {Type: AWS::SNS::Topic}\n"
    )
    assert cli.main(["validate", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"troposphere-fargate: error: {path}:3:5: not a CloudFormation template: map keys must "
        "be strings; received numeric [123456789012] instead, as CloudFormation says: quote it "
        "('123456789012')\n"
    )


def test_a_mapping_key_read_as_a_float_is_refused_too(tmp_path):
    # YAML 1.1 reads 1.5 and 1e3 as floats: numbers to CloudFormation, "map keys must be
    # strings; received numeric" (aws-cloudformation/cfn-lint#292).
    path = tmp_path / "t.yaml"
    path.write_text(
        "Mappings:\n  M:\n    1.5: {Env: prod}\nResources:\n  T: {Type: AWS::SNS::Topic}\n"
    )
    with pytest.raises(TemplateFileError, match=r":3:5: .*received numeric \[1\.5\] instead"):
        read_template(path)


def test_a_mapping_looked_up_with_a_number_written_unquoted_finds_its_key(tmp_path):
    """``!FindInMap [Accounts, 123456789012, Env]``: YAML 1.1 reads the argument as a number,
    the mapping's key is text (it must be, above), and the template is JSON to CloudFormation,
    where the lookup finds it; so do a condition and a Ref-ed key beside it."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Mappings:\n  Accounts:\n    '123456789012': {Env: prod, 'true': on}\n"
        "Conditions:\n  IsProd: !Equals [!FindInMap [Accounts, 123456789012, Env], prod]\n"
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Condition: IsProd\n"
        "    Properties: {TopicName: !FindInMap [Accounts, 123456789012, Env],"
        " DisplayName: !FindInMap [Accounts, 123456789012, true]}\n"
    )
    properties = dry_run(path, {}).resources["T"]["Properties"]
    assert properties == {"TopicName": "prod", "DisplayName": True}


def test_a_mapping_looked_up_with_a_float_finds_its_key_as_text(tmp_path):
    # The template is JSON to CloudFormation, a mapping's keys strings: 1.5 finds '1.5'.
    template = _with_name({"Fn::FindInMap": ["Versions", 1.5, "Cpu"]})
    template["Mappings"] = {**MAPPINGS, "Versions": {"1.5": {"Cpu": "512"}}}
    assert _dry_run(tmp_path, template).resources["Topic"]["Properties"]["TopicName"] == "512"


def test_a_condition_decided_before_every_value_is_known_compares_a_boolean_as_text():
    """``diff`` decides the conditions a parent's values fix (``decided_conditions``): its
    Fn::Equals of a YAML ``true`` and the text "true" compared Python's "True" and said
    false, where the full evaluation (and CloudFormation) says true."""
    from troposphere_fargate.cfn.evaluate import decided_conditions

    template = {
        "Parameters": {"Flag": {"Type": "String"}, "Other": {"Type": "String"}},
        "Conditions": {"FlagOn": {"Fn::Equals": [{"Ref": "Flag"}, True]}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
    }
    assert decided_conditions(template, {"Flag": "true"}) == {"FlagOn": True}


def test_get_att_reads_both_spellings_of_its_argument():
    """``[Name, Attribute]`` and ``Name.Attribute`` (split at the first dot: a nested stack's
    ``Outputs.Name`` is one attribute) name the same thing; a ``Ref`` as the attribute is kept;
    anything else is no ``Fn::GetAtt`` to read (diff, the dry run and the reach check all use
    this one reader)."""
    assert get_att({"Fn::GetAtt": ["Role", "Arn"]}) == ("Role", "Arn")
    assert get_att({"Fn::GetAtt": "Role.Arn"}) == ("Role", "Arn")
    assert get_att({"Fn::GetAtt": "Stack.Outputs.VpcId"}) == ("Stack", "Outputs.VpcId")
    assert get_att({"Fn::GetAtt": ["Db", {"Ref": "Attr"}]}) == ("Db", {"Ref": "Attr"})
    for other in (
        {"Fn::GetAtt": "Role"},
        {"Fn::GetAtt": ["Role"]},
        {"Fn::GetAtt": ["Role", "Arn", "x"]},
        {"Fn::GetAtt": [{"Ref": "R"}, "Arn"]},
        {"Fn::GetAtt": ["Role", "Arn"], "Ref": "x"},
        {"Ref": "Role"},
        "Role.Arn",
        None,
    ):
        assert get_att(other) is None, other
