"""Every command gives one clear line for each malformed input, naming the file (and the line
and column where the parser knows them), and exits non-zero; a gate never passes a file it did
not read. Cases from issue 16, as a new user met them."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import troposphere_fargate as tf
from tests import tools
from tests.support import EXPANDED
from troposphere_fargate import __version__, cli
from troposphere_fargate.cfn import yaml11
from troposphere_fargate.cfn.diff import folders_inside
from troposphere_fargate.cfn.lint import Finding

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "templates" / __version__

# file name -> (content, what the error line says after "FILE")
BROKEN = {
    "broken.yaml": (
        b"Resources:\n  X: [\n",
        ":3:1: not valid YAML: did not find expected node content",
    ),
    "broken.json": (
        b'{"Resources": {},}',
        ":1:18: not valid JSON: Expecting property name enclosed in double quotes",
    ),
    # PyYAML and json keep the last of a key given twice; `aws cloudformation deploy` refuses
    # the file ("found duplicate key", brentley/container-demo#11).
    "twice.yaml": (
        b"Resources:\n  T: {Type: AWS::SNS::Topic}\n  T: {Type: AWS::SQS::Queue}\n",
        ":3:3: not valid YAML: found duplicate key 'T' (first at line 2)",
    ),
    "twice-on-one-line.yaml": (
        b"Resources: {T: {Type: AWS::SNS::Topic}, T: {Type: AWS::SQS::Queue}}\n",
        ":1:41: not valid YAML: found duplicate key 'T' (first at line 1)",
    ),
    # Where the second key is, as of YAML (Python's json tells its hook no position; a review).
    "twice.json": (
        b'{"Resources": {"T": {"Type": "AWS::SNS::Topic"}, "T": {"Type": "AWS::SQS::Queue"}}}',
        ":1:50: not valid JSON: found duplicate key 'T' (first at line 1)",
    ),
    "twice-inside.json": (
        b'{\n "Resources": {\n  "T": {"Type": "AWS::SNS::Topic",\n   "Properties": {"A": {"X": 1,'
        b'\n    "X": 2}}}}}\n',
        ":5:5: not valid JSON: found duplicate key 'X' (first at line 4)",
    ),
    # Python's json reads NaN and Infinity as numbers, cfn-lint as strings; RFC 8259 (section
    # 6) permits neither, and validate said "CloudFormation would accept" a bucket named NaN.
    "nan.json": (
        b'{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": NaN}}}}',
        ": not valid JSON: NaN is no JSON value (JSON has no NaN or Infinity)",
    ),
    "infinity.json": (
        b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": '
        b"-Infinity}}}}",
        ": not valid JSON: -Infinity is no JSON value (JSON has no NaN or Infinity)",
    ),
    # PyYAML said where on a second line, as an offset: "in "<unicode string>", position 67",
    # which libyaml counts in bytes (the é before it is two).
    "control.yaml": (
        b'Resources:\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: "\xc3\xa9\x07b"}}\n',
        ":2:57: not valid YAML: unacceptable character #x0007: control characters are not allowed",
    ),
    "nul.yaml": (
        b"Resources:\n  B:\n\x00",
        ":3:1: not valid YAML: unacceptable character #x0000: control characters are not allowed",
    ),
    "overflow.json": (
        b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 1e999}}}}',
        ": not valid JSON: 1e999 is too large for a number (read as infinity)",
    ),
    "list.yaml": (
        b"- a\n",
        ": not a CloudFormation template: the document is a list, not a mapping",
    ),
    "empty.yaml": (b"", ": not a CloudFormation template: the document is empty"),
    # Python's names for what it read ("a str", "its Type is a dict") are not a template's.
    "scalar.yaml": (
        b"hello\n",
        ": not a CloudFormation template: the document is a string, not a mapping",
    ),
    "binary.yaml": (b"\xff\xfe\x00", ": not a text file (it is not UTF-8)"),
    "parameters-only.yaml": (
        b"Parameters: {}\n",
        ": not a CloudFormation template: it has no Resources section",
    ),
    # Of another shape than CloudFormation takes: validate, cost and diff printed a
    # traceback (AttributeError, TypeError, IndexError), or took a resource without a Type.
    "resource-list.yaml": (
        b"Resources:\n  B: [1]\n",
        ":2:3: not a CloudFormation template: resource B is a list, not a mapping",
    ),
    "no-type.yaml": (
        b"Resources:\n  B: {Properties: {}}\n",
        ":2:3: not a CloudFormation template: resource B has no Type (such as AWS::S3::Bucket)",
    ),
    "properties-list.yaml": (
        b"Resources:\n  B: {Type: AWS::SNS::Topic, Properties: [1]}\n",
        ":2:30: not a CloudFormation template: resource B: its Properties is a list, not a mapping",
    ),
    "parameters-list.yaml": (
        b"Parameters: [1]\nResources:\n  B: {Type: AWS::SNS::Topic}\n",
        ":1:1: not a CloudFormation template: its Parameters section is a list, not a mapping",
    ),
    "output-number.json": (
        b'{\n\t"Resources": {"B": {"Type": "AWS::SNS::Topic"}},\n\t"Outputs": {"O": 3}\n}',
        ":3:14: not a CloudFormation template: output O is a number, not a mapping",
    ),
    # A Condition that is no condition's name: validate and diff printed "TypeError:
    # unhashable type" (cfn-lint: E3001, E6003).
    "resource-condition-list.yaml": (
        b"Resources:\n  A: {Type: AWS::SNS::Topic, Condition: [C]}\n",
        ":2:30: not a CloudFormation template: resource A: its Condition is a list, not the "
        "name of a condition",
    ),
    "output-condition-mapping.yaml": (
        b"Resources:\n  A: {Type: AWS::SNS::Topic}\nOutputs:\n  O: {Value: x, Condition: {C: 1}}\n",
        ":4:17: not a CloudFormation template: output O: its Condition is a mapping, not the name "
        "of a condition",
    ),
    # CloudFormation refuses the template: "Template format error: Unrecognized parameter type"
    # (User Guide, "Parameters template section syntax", lists the types it takes). validate
    # said "parameter P needs a value (it has no default)", never that Strin is no type.
    "parameter-type.yaml": (
        b"Parameters:\n  P: {Type: Strin}\nResources:\n  B: {Type: AWS::SNS::Topic}\n",
        ":2:7: not a CloudFormation template: parameter P: Strin is not a parameter type (did you "
        'mean String?): CloudFormation refuses the template ("Unrecognized parameter type")',
    ),
    # CloudFormation refuses a null anywhere: "[/Resources/myInstance/Type/EbsOptimized] 'null'
    # values are not allowed in templates" (aws-cloudformation/cfn-lint#38, its maintainer;
    # of a mapping's value too, geseib/awsnetworkshop#10). validate took the resource.
    "null-property.yaml": (
        b"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName:\n",
        ":5:7: not a CloudFormation template: [/Resources/T/Properties/TopicName] 'null' values "
        "are not allowed in templates, as CloudFormation says: give it a value, or leave the "
        "key out",
    ),
    "null-in-mapping.json": (
        b'{"Mappings": {"M": {"eu-west-1": {"Ami": null}}},\n'
        b' "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}',
        ":1:35: not a CloudFormation template: [/Mappings/M/eu-west-1/Ami] 'null' values are not "
        "allowed in templates, as CloudFormation says: give it a value, or leave the key out",
    ),
    # "Template format error: [/Mappings/AccountMap] map keys must be strings; received
    # numeric [123456789012] instead" (aws-cloudformation/cfn-lint#292).
    "numeric-key.yaml": (
        b"Mappings:\n  Accounts:\n    123456789012: {Env: prod}\n"
        b"Resources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":3:5: not a CloudFormation template: map keys must be strings; received numeric "
        "[123456789012] instead, as CloudFormation says: quote it ('123456789012')",
    ),
    # An unquoted value YAML 1.1 resolves to a type it cannot make: every command that reads
    # templates (diff, check, diagram --from, publish's manifest) ended in a ValueError.
    "impossible-date.yaml": (
        b"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: "
        b"2024-02-30\n",
        ":5:18: not valid YAML: YAML 1.1 takes '2024-02-30' for a date, which it cannot make "
        "(day is out of range for month): in quotes it is text",
    ),
    # An explicit tag whose value PyYAML's constructor cannot make ended in its KeyError or
    # AttributeError (a mutation review found it in specs; templates too).
    "tag-bool.yaml": (
        b"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: "
        b"!!bool public\n",
        ":5:18: not valid YAML: its tag !!bool asks for a boolean, which 'public' is not",
    ),
    "tag-timestamp.yaml": (
        b"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: "
        b"!!timestamp soon\n",
        ":5:18: not valid YAML: its tag !!timestamp asks for a date, which 'soon' is not",
    ),
    "tag-set.yaml": (
        b"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: !!set [TopicName]\n",
        ":4:17: not valid YAML: its tag !!set asks for a mapping (a set's), which a list is not",
    ),
    "long-integer.yaml": (
        b"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: "
        + b"9" * 5000
        + b"\n",
        ":5:21: not valid YAML: YAML 1.1 takes '9999999999999999999999999999999999999...' for "
        "an integer, which it cannot make (Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits): in quotes it is text",
    ),
    "long-integer.json": (
        b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": '
        + b"9" * 5000
        + b"}}}}",
        ": not valid JSON: an integer of 5000 digits is too long to read",
    ),
    # 400 levels of lists were a RecursionError in diff, validate, cost and check (which
    # libyaml's own limit, 1,000, does not reach); JSON's decoder has no limit of its own.
    "deep.yaml": (
        b"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: "
        + b"[" * 400
        + b"]" * 400
        + b"\n",
        ": not read: its values nest more than 100 levels deep, more than the commands read "
        "(the templates this project ships nest 29 at most)",
    ),
    "deep.json": (
        b'{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"Tags": '
        + b"[" * 2000
        + b"]" * 2000
        + b"}}}}",
        ": not read: its values nest more than 100 levels deep, more than the commands read "
        "(the templates this project ships nest 29 at most)",
    ),
    # "Template format error: Every Default member must be a string." (cloudtools/
    # troposphere#808): validate read the list as the Python text "['a', 'b']".
    "list-default.yaml": (
        b"Parameters:\n  Zones:\n    Type: CommaDelimitedList\n    Default: [a, b]\n"
        b"Resources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":4:5: not a CloudFormation template: parameter Zones: its Default is a list, not a "
        'string: CloudFormation refuses the template ("Every Default member must be a '
        "string.\"); write a list's items as one text, separated by commas",
    ),
    # validate compared a value with float('abc') and int('1.5'): ValueError tracebacks.
    "text-bound.yaml": (
        b"Parameters:\n  P:\n    Type: Number\n    MinValue: abc\n"
        b"Resources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":4:5: not a CloudFormation template: parameter P: its MinValue is 'abc', not a number",
    ),
    "fraction-length.yaml": (
        b"Parameters:\n  P:\n    Type: String\n    MaxLength: 1.5\n"
        b"Resources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":4:5: not a CloudFormation template: parameter P: its MaxLength is 1.5, not a whole "
        "number, 0 or more",
    ),
    "app.yaml": (
        b"services:\n  web: {}\n",
        ": not a CloudFormation template: it has no Resources section: it looks like an "
        "application spec; `troposphere-fargate build --spec {path} --output DIR` builds its "
        "templates",
    ),
}


def errors(capsys) -> list[str]:
    return capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_diff_names_a_broken_file_in_a_folder_with_its_line(tmp_path, capsys, name):
    folder = tmp_path / "new"
    shutil.copytree(SHIPPED, folder)
    content, says = BROKEN[name]
    (folder / name).write_bytes(content)
    assert cli.main(["diff", str(SHIPPED), str(folder)]) == 1
    says = says.replace("{path}", str(folder / name))
    assert errors(capsys) == [f"troposphere-fargate: error: {folder / name}{says}"]


def test_diff_names_every_broken_side_at_once(tmp_path, capsys):
    """As check does: with both sides broken (one empty, one not text), diff named the first."""
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, name in ((old, "empty.yaml"), (new, "binary.yaml")):
        shutil.copytree(SHIPPED, folder)
        (folder / name).write_bytes(BROKEN[name][0])
    broken = [old / "empty.yaml", new / "binary.yaml"]
    expected = [f"troposphere-fargate: error: {path}{BROKEN[path.name][1]}" for path in broken]
    assert cli.main(["diff", *map(str, broken)]) == 1
    assert errors(capsys) == expected
    assert cli.main(["diff", str(old), str(new)]) == 1
    assert errors(capsys) == expected
    # Two roots whose nested templates beside them are broken: each named too.
    for folder in (old, new):
        (folder / "network.yaml").write_bytes(BROKEN["list.yaml"][0])
    assert cli.main(["diff", str(old / "root.yaml"), str(new / "root.yaml")]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {folder / 'network.yaml'}{BROKEN['list.yaml'][1]}"
        for folder in (old, new)
    ]


@pytest.mark.parametrize(
    "name",
    [
        "resource-list.yaml",
        "no-type.yaml",
        "properties-list.yaml",
        "parameters-list.yaml",
        "output-number.json",
        "parameter-type.yaml",
        "resource-condition-list.yaml",
        "output-condition-mapping.yaml",
    ],
)
def test_validate_and_cost_name_a_template_of_another_shape_in_one_line(tmp_path, capsys, name):
    content, says = BROKEN[name]
    (tmp_path / name).write_bytes(content)
    for command in ("validate", "cost"):
        assert cli.main([command, str(tmp_path / name)]) == 1
        assert errors(capsys) == [f"troposphere-fargate: error: {tmp_path / name}{says}"]


@pytest.mark.parametrize("name", sorted(EXPANDED))
def test_a_template_a_transform_expands_is_read_not_refused(tmp_path, name):
    from troposphere_fargate.cfn.yaml import from_yaml

    (tmp_path / name).write_text(EXPANDED[name])
    assert tf.read_template(tmp_path / name) == from_yaml(EXPANDED[name])


def test_a_null_in_a_template_a_transform_processes_is_not_refused(tmp_path, capsys):
    """A review: a SAM state machine's ``ResultPath: null`` (Step Functions' way to discard a
    state's result) was refused as "'null' values are not allowed in templates, as
    CloudFormation says". CloudFormation refuses nulls in the template it reads, which for a
    transformed one is the transform's output: "The error I get from SAR is about ResultPath
    being null, which is well documented and works fine when I deploy it"
    (https://github.com/aws/serverless-application-model/issues/1618); the processed template
    holds no ResultPath there (https://github.com/aws-cloudformation/cfn-lint/issues/1657).
    Without a transform, a property that is null is still refused."""
    machine = (
        "Resources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
        "      Definition:\n        StartAt: A\n        States:\n"
        "          A: {Type: Pass, ResultPath: null, End: true}\n"
    )
    template = tmp_path / "sam.yaml"
    template.write_text("Transform: AWS::Serverless-2016-10-31\n" + machine)
    assert cli.main(["validate", str(template)]) == 0
    capsys.readouterr()
    template.write_text(machine.replace("Definition:", "Name:\n      Definition:"))
    assert cli.main(["validate", str(template)]) == 1
    assert "[/Resources/Machine/Properties/Name] 'null' values are not allowed in templates" in (
        capsys.readouterr().err
    )


def test_a_null_inside_a_property_or_in_metadata_is_left_to_cloudformation(tmp_path, capsys):
    """Whether CloudFormation takes a null inside a property's value is not documented and
    reported both ways: "it does accept JSON/YAML properties that have null values in them"
    (aws-cloudformation/cfn-lint#2242, its maintainer: a state machine's Definition), but an
    EventPattern's null was refused (aws-cloudformation/cloudformation-coverage-roadmap#1378).
    A check that refuses what CloudFormation takes is worse than none: such a null, and one in
    free-form Metadata, are not refused; a property or an output that is null is."""
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n  Machine:\n    Type: AWS::StepFunctions::StateMachine\n"
        "    Metadata: {Note: null}\n    Properties:\n"
        "      RoleArn: arn:aws:iam::123456789012:role/r\n"
        "      Definition: {StartAt: A, States: {A: {Type: Pass, ResultPath: null, End: true}}}\n"
    )
    assert cli.main(["validate", str(template)]) == 0


# file name -> (content, what read_template says after "FILE"; a dict or None: it reads the
# file, as that dict).
READ = {
    # YAML aliases: CloudFormation refuses them ("Template error: YAML aliases are not allowed
    # in CloudFormation templates", seeebiii/aws-cloudformation-templates#1,
    # aws/serverless-application-model#228; aws/aws-cli#3827 made `aws cloudformation package`
    # unroll them). PyYAML read a copy of the anchored value; an anchor no alias uses is read.
    "alias.yaml": (
        "Resources:\n  A: &topic\n    Type: AWS::SNS::Topic\n  B: *topic\n",
        ":2:6: not a CloudFormation template: YAML aliases are not allowed in CloudFormation "
        "templates, as CloudFormation says: the value anchored here is used again by an alias "
        "(`aws cloudformation package` writes a copy of the template without them)",
    ),
    "merge-key-alias.yaml": (
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: &p\n      TopicName: x\n"
        "  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      <<: *p\n      DisplayName: y\n",
        ":5:7: not a CloudFormation template: YAML aliases are not allowed in CloudFormation "
        "templates, as CloudFormation says: the value anchored here is used again by an alias "
        "(`aws cloudformation package` writes a copy of the template without them)",
    ),
    "anchor-unused.yaml": (
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: &n x\n",
        {"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "x"}}}},
    ),
    # A resource's DependsOn: a string or "DependsOn" : [ String, ... ] (its syntax,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
    # aws-attribute-dependson.html); CloudFormation says "Template format error: DependsOn must
    # be a string or list of strings" (https://repost.aws/questions/QUrXeKqmlYSf2Q2e40xzFMVQ).
    "depends-on-a-number.yaml": (
        "Resources:\n  A: {Type: AWS::SNS::Topic}\n"
        "  T: {Type: AWS::SNS::Topic, DependsOn: [A, 1]}\n",
        ":3:30: not a CloudFormation template: resource T: its DependsOn is a list, not a name or "
        "a list of names",
    ),
    "resource-metadata-list.yaml": (
        "Resources:\n  T: {Type: AWS::SNS::Topic, Metadata: [1]}\n",
        ":2:30: not a CloudFormation template: resource T: its Metadata is a list, not a mapping",
    ),
    # A shape problem is named before a null elsewhere: the first thing to fix.
    "shape-and-null.yaml": (
        "Resources:\n  T: {Type: AWS::SNS::Topic, DependsOn: [1]}\nOutputs:\n  O: {Value: null}\n",
        ":2:30: not a CloudFormation template: resource T: its DependsOn is a list, not a name or "
        "a list of names",
    ),
    # Nulls: only a property's own value and Metadata are left to CloudFormation; a null in a
    # list, in a mapping named Metadata or Properties, in an UpdatePolicy, is refused.
    "null-in-a-condition.yaml": (
        "Conditions:\n  C: !Equals [null, a]\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":2:3: not a CloudFormation template: [/Conditions/C/Fn::Equals/0] 'null' values are not "
        "allowed in templates, as CloudFormation says: give it a value, or leave the key out",
    ),
    "null-in-a-mapping-named-properties.yaml": (
        "Mappings:\n  M:\n    Properties:\n      Ids: [a, null]\n"
        "Resources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":4:7: not a CloudFormation template: [/Mappings/M/Properties/Ids/1] 'null' values are not "
        "allowed in templates, as CloudFormation says: give it a value, or leave the key out",
    ),
    "null-in-a-mapping-named-metadata.yaml": (
        "Mappings:\n  Metadata:\n    eu-west-1: {Ami: null}\n"
        "Resources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":3:17: not a CloudFormation template: [/Mappings/Metadata/eu-west-1/Ami] 'null' values "
        "are not allowed in templates, as CloudFormation says: give it a value, or leave the key "
        "out",
    ),
    "null-in-an-update-policy.yaml": (
        "Resources:\n  T:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    UpdatePolicy:\n"
        "      AutoScalingRollingUpdate: {MaxBatchSize: null}\n",
        ":5:34: not a CloudFormation template: [/Resources/T/UpdatePolicy/AutoScalingRollingUpdate"
        "/MaxBatchSize] 'null' values are not allowed in templates, as CloudFormation says: give "
        "it a value, or leave the key out",
    ),
    # The line is that of the last key on the way that is text: never a key of the same name
    # elsewhere (M's own a, line 5, is no null).
    "null-under-a-key-read-as-a-boolean.yaml": (
        "Mappings:\n  M:\n    yes:\n      a: null\n    a: {b: c}\nResources:\n"
        "  T: {Type: AWS::SNS::Topic}\n",
        ":2:3: not a CloudFormation template: [/Mappings/M/True/a] 'null' values are not allowed "
        "in templates, as CloudFormation says: give it a value, or leave the key out",
    ),
    # Nor the key 'True' (text), beside yes (a boolean whose text is True too).
    "null-under-a-key-read-as-a-boolean-beside-its-text.yaml": (
        "Mappings:\n  M:\n    yes:\n      a: null\n    'True': {a: b}\n"
        "Resources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":2:3: not a CloudFormation template: [/Mappings/M/True/a] 'null' values are not allowed "
        "in templates, as CloudFormation says: give it a value, or leave the key out",
    ),
    "null-in-a-property-s-value.yaml": (
        "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
        "      Definition: {Comment: null, StartAt: A}\n",
        None,
    ),
    # A macro is handed the whole template and may rewrite any of it: what CloudFormation
    # refuses a null in is what the macro returns.
    "null-a-macro-gets.yaml": (
        "Transform: Expand\nMappings:\n  Sizes: {Default: {Count: null}}\n"
        "Resources:\n  T: {Type: AWS::SNS::Topic}\n",
        None,
    ),
    # JSON by its extension, whatever its case, and by a { after white space: its 1e5 is a
    # number, where YAML 1.1 reads the text 1e5.
    "empty.JSON": ("", ":1:1: not valid JSON: Expecting value"),
    "indented.template": (
        ' {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Metadata": {"N": 1e5}}}}\n',
        {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Metadata": {"N": 100000.0}}}},
    ),
    # A resource named yes (a boolean to YAML 1.1) is not found by its text: the line is that
    # of Resources, not of the resource named Properties.
    "resource-named-yes.yaml": (
        "Resources:\n  yes: {Type: AWS::SNS::Topic, Properties: [1]}\n"
        "  Properties: {Type: AWS::SNS::Topic}\n",
        ":1:1: not a CloudFormation template: resource True: its Properties is a list, not a "
        "mapping",
    ),
    # Where the parser found what it did not expect (the "}"), not where the list it was in
    # began (the "[", column 41).
    "a-list-closed-by-a-brace.yaml": (
        "Resources:\n  A: {Type: AWS::SNS::Topic}\n  T: {Type: AWS::SNS::Topic, DependsOn: [A}\n",
        ":3:43: not valid YAML: did not find expected ',' or ']'",
    ),
    # A loop in Conditions needs the transform as one in Resources does (Template Reference,
    # Fn::ForEach: in Conditions, Outputs and Resources, with AWS::LanguageExtensions).
    "condition-loop-without-its-transform.yaml": (
        "Conditions:\n  Fn::ForEach::Envs:\n    - Env\n    - [Prod, Test]\n"
        "    - Is${Env}: !Equals [!Ref Env, Prod]\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":2:3: not a CloudFormation template: Fn::ForEach needs the template's Transform: "
        "AWS::LanguageExtensions: CloudFormation refuses it otherwise",
    ),
    # A key YAML 1.1 reads as a float is numeric too.
    "numeric-key-a-float.yaml": (
        "Mappings:\n  M:\n    1.5: {A: b}\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":3:5: not a CloudFormation template: map keys must be strings; received numeric [1.5] "
        "instead, as CloudFormation says: quote it ('1.5')",
    ),
    "type-a-list.yaml": (
        "Resources:\n  T: {Type: [AWS::SNS::Topic]}\n",
        ":2:7: not a CloudFormation template: resource T: its Type is a list, not a string such "
        "as AWS::S3::Bucket",
    ),
    "parameter-type-a-boolean.yaml": (
        "Parameters:\n  P: {Type: yes}\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":2:7: not a CloudFormation template: parameter P: its Type is a boolean, not a string "
        "such as String",
    ),
    "parameter-without-a-type.yaml": (
        "Parameters:\n  P: {Default: x}\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
        ":2:3: not a CloudFormation template: parameter P has no Type",
    ),
    # "Template format error: Every Outputs member must contain a Value object"
    # (aws-samples/aws-iot-chat-example#1).
    "output-without-a-value.yaml": (
        "Resources:\n  T: {Type: AWS::SNS::Topic}\nOutputs:\n  O: {Description: x}\n",
        ":4:3: not a CloudFormation template: output O has no Value",
    ),
    "outputs-a-list.yaml": (
        "Resources:\n  T: {Type: AWS::SNS::Topic}\nOutputs: [1]\n",
        ":3:1: not a CloudFormation template: its Outputs section is a list, not a mapping",
    ),
    # A Resources section that is there but no mapping is named so, where it is: "it has no
    # Resources section" sent the reader looking for one they had written.
    "resources-list.yaml": (
        "Resources: [1]\n",
        ":1:1: not a CloudFormation template: its Resources section is a list, not a mapping",
    ),
    "resources-left-empty.yaml": (
        "Description: d\nResources:\n",
        ":2:1: not a CloudFormation template: its Resources section is nothing, not a mapping",
    ),
    "resources-list-in-a-transformed-template.json": (
        '{"Transform": "AWS::Serverless-2016-10-31",\n "Resources": []}',
        ":2:2: not a CloudFormation template: its Resources section is a list, not a mapping",
    ),
    "empty-list.yaml": (
        "[]\n",
        ": not a CloudFormation template: the document is a list, not a mapping",
    ),
    # A List<...> type of the User Guide is offered for a misspelt one.
    "parameter-type-lower-case.yaml": (
        "Parameters:\n  P: {Type: 'list<AWS::EC2::Subnet::Id>'}\nResources:\n"
        "  T: {Type: AWS::SNS::Topic}\n",
        ":2:7: not a CloudFormation template: parameter P: list<AWS::EC2::Subnet::Id> is not a "
        "parameter type (did you mean List<AWS::EC2::Subnet::Id>?): CloudFormation refuses the "
        'template ("Unrecognized parameter type")',
    ),
}


@pytest.mark.parametrize("name", sorted(READ))
def test_read_template_says_what_is_wrong_where_or_reads_the_file(tmp_path, name):
    content, says = READ[name]
    (tmp_path / name).write_text(content)
    if not isinstance(says, str):
        loaded = tf.read_template(tmp_path / name)
        assert says is None or loaded == says
        return
    with pytest.raises(tf.TemplateFileError) as refused:
        tf.read_template(tmp_path / name)
    assert str(refused.value) == f"{tmp_path / name}{says}"


def test_validate_takes_every_parameter_type_cloudformation_takes(tmp_path, capsys):
    """The types of the User Guide's "Parameters template section syntax" (String, Number,
    List<Number>, CommaDelimitedList, the AWS-specific and the Systems Manager parameter
    types, as cfn-lint lists them: cfnlint.helpers.VALID_PARAMETER_TYPES), and any other
    List<...> or AWS::SSM::Parameter::Value<...>, which CloudFormation takes too (cfn-lint
    W2002): none is refused as an unknown type."""
    from cfnlint.helpers import VALID_PARAMETER_TYPES

    from troposphere_fargate.cfn.yaml import PARAMETER_TYPES

    # cfn-lint's list too, so that a type a newer cfn-lint knows fails here, not in use.
    kinds = [
        *sorted(PARAMETER_TYPES | set(VALID_PARAMETER_TYPES)),
        "List<String>",
        "AWS::SSM::Parameter::Value<String>",
        "AWS::SSM::Parameter::Value<CommaDelimitedList>",
        "AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>",
        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
    ]
    assert {"String", "Number", "List<Number>", "AWS::EC2::VPC::Id"} <= set(kinds)
    # A value of each (an AWS-specific or Systems Manager type takes no empty one: see
    # test_validate_refuses_an_empty_value_of_an_aws_specific_type).
    examples = {
        "VPC::Id": "vpc-0123abcd",
        "Subnet::Id": "subnet-0123abcd",
        "SecurityGroup::Id": "sg-0123abcd",
        "AvailabilityZone::Name": "eu-west-1a",
        "HostedZone::Id": "Z0123",
        "AWS::": "x",
        "Number": "1",
    }

    def value(kind: str) -> str:
        return next((v for part, v in examples.items() if part in kind), "")

    parameters = "".join(
        f"  P{i}: {{Type: '{kind}', Default: '{value(kind)}'}}\n" for i, kind in enumerate(kinds)
    )
    template = tmp_path / "types.yaml"
    template.write_text(f"Parameters:\n{parameters}Resources:\n  B: {{Type: AWS::SNS::Topic}}\n")
    assert cli.main(["validate", str(template)]) == 0, capsys.readouterr().err
    assert f"(0 given, {len(kinds)} default)" in capsys.readouterr().out


def test_validate_refuses_an_empty_value_of_an_aws_specific_type(tmp_path, capsys):
    """CloudFormation takes for an AWS-specific parameter type only "valid values from the AWS
    account and Region", and for a Systems Manager type a Parameter Store key
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html;
    buildkite/on-demand#2: ``List<AWS::EC2::Subnet::Id>`` "doesn't support an empty string as
    a value"): validate passed an empty one (a default or a value given), which the launch
    refuses. A String and a CommaDelimitedList may be empty."""
    template = tmp_path / "ids.yaml"
    template.write_text(
        "Parameters:\n"
        "  Vpc: {Type: 'AWS::EC2::VPC::Id', Default: ''}\n"
        "  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n"
        "  Key: {Type: 'AWS::EC2::KeyPair::KeyName', Default: 'mine'}\n"
        "  Image: {Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/ami'}\n"
        "  Name: {Type: String, Default: ''}\n"
        "  Names: {Type: CommaDelimitedList, Default: ''}\n"
        "Resources:\n  B: {Type: AWS::SNS::Topic}\n"
    )
    assert cli.main(["validate", str(template), "Subnets= ", "Key=", "Image="]) == 1
    err = capsys.readouterr().err
    for name, kind in (
        ("Vpc", "an AWS::EC2::VPC::Id"),
        ("Subnets", "a List<AWS::EC2::Subnet::Id>"),
        ("Key", "an AWS::EC2::KeyPair::KeyName"),
        ("Image", "an AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"),
    ):
        assert f"{name}='{' ' if name == 'Subnets' else ''}' is not {kind}: CloudFormation " in err
    assert "Name=" not in err and "Names=" not in err
    assert err.count("not an empty value") == 4, err
    given = ["Vpc=vpc-0123abcd", "Subnets=subnet-0123abcd", "Key=k", "Image=/i"]
    assert cli.main(["validate", str(template), *given]) == 0, capsys.readouterr().err


def test_validate_reads_a_template_whose_metadata_is_not_a_mapping(tmp_path, capsys):
    """As diff compares it: validate and cost printed an AttributeError traceback."""
    template = tmp_path / "odd.yaml"
    template.write_text("Metadata: [1]\nResources: {A: {Type: AWS::SNS::Topic}}\n")
    for command in ("validate", "cost"):
        assert cli.main([command, str(template)]) == 0
    assert capsys.readouterr().out.startswith("odd.yaml: CloudFormation would accept")


def test_validate_and_cost_of_a_spec_say_to_build_it_first(tmp_path, capsys):
    spec = tmp_path / "app.yaml"
    spec.write_text("services:\n  web: {}\n")
    for command in ("validate", "cost"):
        assert cli.main([command, str(spec)]) == 1
        assert errors(capsys) == [
            f"troposphere-fargate: error: {spec}: not a CloudFormation template: it has no "
            f"Resources section: it looks like an application spec; `troposphere-fargate build "
            f"--spec {spec} --output DIR` builds its templates"
        ]


def test_diff_of_a_build_folder_compares_its_one_version_or_names_them(tmp_path, capsys):
    # A user trial: `build --output b1` writes b1/0.4.0/, and `diff b1 b2` was refused.
    import shutil

    for side in ("b1", "b2"):
        shutil.copytree(SHIPPED, tmp_path / side / __version__)
    assert cli.main(["diff", str(tmp_path / "b1"), str(tmp_path / "b2")]) == 0
    assert capsys.readouterr().out.strip() == "no differences"
    # Two versions in one folder: which one is meant is the user's to say.
    shutil.copytree(SHIPPED, tmp_path / "b1" / "0.3.9")
    assert cli.main(["diff", str(tmp_path / "b1"), str(tmp_path / "b2")]) == 1
    assert errors(capsys)[-1].endswith(
        "holds no templates (*.yaml, *.yml, *.json, *.template); its version folders: 0.3.9, "
        f"{__version__}"
    )


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_names_a_broken_file_before_any_gate_runs(tmp_path, capsys, name, monkeypatch):
    from troposphere_fargate.cfn import policy_tools

    # No gate may run (or be fetched) for a file that is not a template.
    monkeypatch.setattr(policy_tools, "find_guard", lambda: pytest.fail("a gate ran"))
    content, says = BROKEN[name]
    (tmp_path / name).write_bytes(content)
    assert cli.main(["check", str(tmp_path / name)]) == 1
    says = says.replace("{path}", str(tmp_path / name))
    assert errors(capsys) == [f"troposphere-fargate: error: {tmp_path / name}{says}"]


def test_a_template_whose_metadata_is_not_a_mapping_fails_the_lint_not_with_a_traceback():
    """cfn-lint reads its config in Metadata: a list there was its AttributeError, and
    ``check`` printed the traceback."""
    from troposphere_fargate.cfn.lint import lint_templates

    text = "Metadata: [1]\nResources: {A: {Type: AWS::SNS::Topic}}\n"
    (finding,) = lint_templates({"odd.yaml": text})
    assert str(finding) == (
        "odd.yaml:1:11: E0000 Metadata must be a mapping: cfn-lint cannot read the template "
        "otherwise"
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "Metadata:\n  cfn-lint: [1]\nResources: {A: {Type: AWS::SNS::Topic}}\n",
            "odd.yaml:2:13: E0000 Metadata.cfn-lint must be a mapping",
        ),
        (
            "Metadata:\n  cfn-lint:\nResources: {A: {Type: AWS::SNS::Topic}}\n",
            "odd.yaml:2:3: E0000 Metadata.cfn-lint must be a mapping",
        ),
        (
            "Resources:\n  A: {Type: AWS::SNS::Topic, Metadata: {cfn-lint: {config: [1]}}}\n",
            "odd.yaml:2:60: E0000 Resources.A.Metadata.cfn-lint.config must be a mapping",
        ),
        (
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n"
            "    Metadata: {cfn-lint: {config: {ignore_checks: 1}}}\n",
            # A number has no line and column of its own (cfn-lint's reader): its key's.
            "odd.yaml:4:36: E0000 Resources.A.Metadata.cfn-lint.config.ignore_checks must be a "
            "list",
        ),
    ],
    ids=["cfn-lint-list", "cfn-lint-null", "resource-config-list", "ignore-checks-number"],
)
def test_a_cfn_lint_config_cfn_lint_cannot_read_fails_the_lint_not_with_a_traceback(text, says):
    """cfn-lint reads Metadata.cfn-lint.config of the template and of each resource (and
    iterates a resource's ignore_checks): anything else there was its AttributeError or
    TypeError, and ``check`` printed the traceback."""
    from troposphere_fargate.cfn.lint import lint_templates

    (finding,) = lint_templates({"odd.yaml": text})
    assert str(finding) == f"{says}: cfn-lint cannot read the template otherwise"


def test_an_ignore_checks_string_is_read_as_cfn_lint_reads_it_not_refused():
    """cfn-lint iterates a resource's ignore_checks: a string reads (as its characters, which
    suppress nothing), so cfn-lint reports the resource's other findings. The check refused it
    as unreadable and dropped them (a review)."""
    from troposphere_fargate.cfn.lint import lint_templates

    text = (
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {Foo: 1}\n"
        "    Metadata: {cfn-lint: {config: {ignore_checks: E3002}}}\n"
    )
    assert [f.rule for f in lint_templates({"odd.yaml": text})] == ["E3002"]


def test_every_broken_file_gets_its_own_line(tmp_path, capsys):
    for name, (content, _) in BROKEN.items():
        (tmp_path / name).write_bytes(content)
    assert cli.main(["check", str(tmp_path)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {tmp_path / name}"
        + BROKEN[name][1].replace("{path}", str(tmp_path / name))
        for name in sorted(BROKEN)
    ]


def test_diff_compares_two_single_files_whatever_their_names(tmp_path, capsys):
    before = REPO / "templates" / "0.1.0" / "network.yaml"
    after = tmp_path / "network-next.template"
    shutil.copyfile(SHIPPED / "network.yaml", after)
    cli.main(["diff", str(before), str(after), "--format", "json"])
    out = capsys.readouterr().out
    assert '"subject": "resource EcsAgentEndpoint"' in out  # added since 0.1.0
    assert '"template": "network-next.template"' in out
    assert cli.main(["diff", str(after), str(after)]) == 0


def test_diff_says_which_folders_inside_it_did_not_compare(tmp_path, capsys):
    """A folder's templates are its own files: a service moved into sub/ was compared as
    removed, and sub/ itself not at all, without a word."""
    for side in ("old", "new"):
        (tmp_path / side / "sub").mkdir(parents=True)
        shutil.copy(SHIPPED / "bucket.yaml", tmp_path / side / "bucket.yaml")
    (tmp_path / "new" / "sub" / "network.yaml").write_text("Resources: {}\n")
    assert cli.main(["diff", str(tmp_path / "old"), str(tmp_path / "new")]) == 0
    assert errors(capsys) == [
        f"troposphere-fargate: not compared: {tmp_path / 'new' / 'sub'}/, a folder inside "
        "(name it on both sides to compare it)"
    ]


def _stop_the_gates_after(monkeypatch, names: list[str]) -> None:
    """check's gates, replaced: they see only templates named ``names``, then stop the check
    with "gates stopped here" (what a test of the notes before them needs)."""
    from troposphere_fargate.release import checks

    def gates(paths, **_):
        assert [p.name for p in paths] == names
        raise checks.CheckError("gates stopped here")

    monkeypatch.setattr(checks, "check_templates", gates)


def test_check_and_diff_name_the_files_of_a_folder_they_do_not_read(tmp_path, capsys, monkeypatch):
    """A folder's templates are its *.yaml, *.yml, *.json and *.template files: `check` of a
    folder with a failing bad.cfn beside ok.yaml said "all checks passed", and `diff` of two
    folders whose x.cfn differed said "no differences", naming neither file. Hidden files and
    a build's manifest.json are not named."""

    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        shutil.copy(SHIPPED / "bucket.yaml", tmp_path / side / "bucket.yaml")
        (tmp_path / side / "manifest.json").write_text("{}")
        (tmp_path / side / ".notes.txt").write_text("mine")
    (tmp_path / "old" / "x.cfn").write_text("Resources:\n  B: {Type: AWS::S3::Bucket}\n")
    (tmp_path / "new" / "x.cfn").write_text("Resources: {}\n")
    (tmp_path / "new" / "README").write_text("mine")
    assert cli.main(["diff", str(tmp_path / "old"), str(tmp_path / "new")]) == 0
    assert errors(capsys) == [
        f"troposphere-fargate: not compared: {tmp_path / side}, not a template's extension (name "
        "the two files to compare them)"
        for side in ("old/x.cfn", "new/README", "new/x.cfn")
    ]

    _stop_the_gates_after(monkeypatch, ["bucket.yaml"])
    assert cli.main(["check", str(tmp_path / "old")]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: not checked: {tmp_path / 'old' / 'x.cfn'}, not a template's "
        "extension (name the file to check it)",
        "troposphere-fargate: error: gates stopped here",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="makes a FIFO")
def test_a_folders_entry_that_is_no_file_is_named_not_passed_over(tmp_path, capsys, monkeypatch):
    """A symbolic link that leads nowhere or in a loop, or a FIFO, named like a template in a
    folder: `check` said "all checks passed" and `diff` "no differences" without reading it
    (a folder's templates were its regular files); read, a FIFO waited for a writer forever."""
    for side in ("old", "new"):
        shutil.copytree(SHIPPED, tmp_path / side)
    (tmp_path / "old" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "new" / "loop.yaml").symlink_to(tmp_path / "new" / "loop.yaml")
    os.mkfifo(tmp_path / "new" / "pipe.yaml")
    said = [
        f"{tmp_path / 'old' / 'gone.yaml'}: a symbolic link to {tmp_path / 'nowhere.yaml'}, "
        "which does not exist",
        f"{tmp_path / 'new' / 'loop.yaml'}: a symbolic link in a loop (it leads back to itself)",
        f"{tmp_path / 'new' / 'pipe.yaml'}: a FIFO (named pipe), not a template file",
    ]
    assert cli.main(["diff", str(tmp_path / "old"), str(tmp_path / "new")]) == 1
    assert errors(capsys) == [f"troposphere-fargate: error: {line}" for line in said]
    from troposphere_fargate.cfn import policy_tools

    monkeypatch.setattr(policy_tools, "find_guard", lambda: pytest.fail("a gate ran"))
    for side, lines in (("old", said[:1]), ("new", said[1:])):
        assert cli.main(["check", str(tmp_path / side)]) == 1
        assert errors(capsys) == [f"troposphere-fargate: error: {line}" for line in lines]
    # Each named as a file too; the link that leads nowhere is no missing file.
    for path, line in zip(("old/gone.yaml", "new/loop.yaml", "new/pipe.yaml"), said, strict=True):
        assert cli.main(["validate", str(tmp_path / path)]) == 1
        assert errors(capsys) == [f"troposphere-fargate: error: {line}"]
    assert cli.main(["diff", str(SHIPPED / "bucket.yaml"), str(tmp_path / "old/gone.yaml")]) == 1
    assert errors(capsys) == [f"troposphere-fargate: error: {said[0]}"]


def test_a_folder_of_a_root_without_what_it_nests_is_an_incomplete_comparison(tmp_path, capsys):
    """Two folders of a root alone were "no differences" with exit 0, where the same two roots
    compared file with file were "incomplete" (exit 1): what changed in the templates they
    nest is not known."""
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        shutil.copy(SHIPPED / "root.yaml", tmp_path / side / "root.yaml")
    shutil.copy(SHIPPED / "network.yaml", tmp_path / "new" / "network.yaml")
    (tmp_path / "old" / "other.yaml").write_text(
        "Parameters:\n  Url: {Type: String}\nResources:\n  Child:\n"
        "    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: !Ref Url}\n",
        encoding="utf-8",
    )
    old, new = tmp_path / "old", tmp_path / "new"
    assert cli.main(["diff", str(old), str(new)]) == 1
    assert [line for line in errors(capsys) if "not compared" in line or "incomplete" in line] == [
        f"troposphere-fargate: not compared: the template of Child, which other.yaml in {old} "
        "nests: its TemplateURL names no file",
        f"troposphere-fargate: not compared: network.yaml, which root.yaml in {old} nests, is "
        f"not in {old}",
        f"troposphere-fargate: not compared: service.yaml, which root.yaml in {old} nests, is "
        f"not in {old}",
        f"troposphere-fargate: not compared: service.yaml, which root.yaml in {new} nests, is "
        f"not in {new}",
        "troposphere-fargate: the comparison is incomplete: exit 1 until every template it nests "
        "is beside it",
    ]
    # The shipped versions hold every template their roots nest: nothing is left out.
    assert cli.main(["diff", str(SHIPPED), str(SHIPPED)]) == 0
    assert errors(capsys) == []


def test_diff_refuses_a_file_against_a_folder(capsys):
    assert cli.main(["diff", str(SHIPPED / "network.yaml"), str(SHIPPED)]) == 1
    assert errors(capsys) == [
        "troposphere-fargate: error: compare a template with a template, or a folder or version "
        f"with a folder or version: {SHIPPED / 'network.yaml'} is a file, the other is not"
    ]


def test_check_takes_a_version_and_a_folder_like_diff(monkeypatch):
    from troposphere_fargate.release.checks import template_paths

    shipped = sorted(p for p in SHIPPED.iterdir() if p.name != "manifest.json")
    assert template_paths([__version__], REPO / "templates") == shipped
    assert template_paths([str(SHIPPED)], REPO / "templates") == shipped
    monkeypatch.chdir(REPO)
    assert template_paths(["0.1.0"], Path("templates"))[0] == Path("templates/0.1.0/catalog.yaml")


def test_check_of_something_that_is_not_there_says_so(tmp_path, capsys):
    assert cli.main(["check", "9.9.9", "--templates", str(tmp_path)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: 9.9.9: no such template, folder or version under {tmp_path}/"
    ]
    (tmp_path / "empty").mkdir()
    assert cli.main(["check", str(tmp_path / "empty")]) == 1
    assert "holds no templates" in capsys.readouterr().err


def test_check_without_templates_here_says_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check"]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: no templates/{__version__}/ here to check: name the "
        "templates, folders or versions to check, or run `troposphere-fargate build` first"
    ]


def test_publish_of_a_version_build_cannot_make_says_where_it_comes_from(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert cli.main(["publish", "--bucket", "my-templates", "--version", "9.9.9"]) == 1
    (line,) = errors(capsys)
    assert line.startswith(
        "troposphere-fargate: error: no templates for version 9.9.9 in templates/"
    )
    assert f"`troposphere-fargate build` writes this package's version, {__version__}, only" in line
    assert "run `troposphere-fargate build` first" not in line


def test_publish_without_boto3_names_a_command_that_works(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 raises ImportError
    assert cli.main(["publish", "--bucket", "my-templates"]) == 1
    (line,) = errors(capsys)
    assert "pip install 'boto3>=1.34,<2'" in line
    assert "troposphere-fargate[publish]'" not in line.replace("'.[publish]'", "")
    # A newcomer's trial: in a checkout, the README's pinned install, not an unpinned editable one.
    assert "python -m pip install -c constraints.txt '.[publish]'" in line
    assert 'pip install -c constraints.txt ".[publish]"' in (REPO / "README.md").read_text()


def test_a_reader_that_leaves_early_is_not_an_error(tmp_path):
    """``troposphere-fargate diff ... | head -1``: no "Broken pipe", no traceback, exit 0, and
    the command finishes its work (a publish must not stop half-way)."""
    command = [sys.executable, "-m", "troposphere_fargate", "diff", "0.1.0", __version__]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command has printed anything
    stderr = process.stderr.read().decode()
    # diff exits 1 because 0.1.0 -> now has breaking findings, as without the pipe
    assert process.wait(timeout=60) == 1
    # Nothing but the note that the "may" findings depend on the stacks' values.
    (note,) = stderr.splitlines()
    assert note.startswith("troposphere-fargate: ") and 'findings say "may"' in note


def test_build_into_another_folder_writes_no_docs_into_the_current_directory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "troposphere_fargate", "build", "--quiet", "--output", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_build_of_a_spec_with_services_refuses_docs_it_would_not_write(tmp_path, capsys):
    """A review: ``build --spec four.yaml --output out --docs docs5`` made docs5/, wrote nothing
    in it and said nothing, where the help said the docs are written "unless given"."""
    spec = tmp_path / "app.yaml"
    spec.write_text("services:\n  web: {expose: internal}\n", encoding="utf-8")
    argv = ["build", "--spec", str(spec), "--output", str(tmp_path / "out")]
    assert cli.main([*argv, "--docs", str(tmp_path / "docs")]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: --docs {tmp_path / 'docs'}: a spec's services build an "
        "environment, for which no reference docs are written (they describe the shipped "
        "templates): leave --docs out"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.yaml"]


def test_diagram_writes_only_where_it_is_told(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as usage:
        cli.main(["diagram"])
    assert usage.value.code == 2
    assert "the following arguments are required: -o/--output" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        # "2 of 2 regions would publish (dry run)": the empty region was skipped unsaid.
        (
            ["publish", "--bucket", "b-{region}", "--regions", "us-east-1,,eu-west-1", "--dry-run"],
            "--regions 'us-east-1,,eu-west-1': item 2 of 3 is empty (a comma too many?)",
        ),
        (
            ["diff", __version__, __version__, "--allow", "destructive,breaking,"],
            "--allow 'destructive,breaking,': item 3 of 3 is empty (a comma too many?)",
        ),
        (
            ["diff", __version__, __version__, "--region", "eu-west-1", "--zones", ",eu-west-1a,"],
            "--zones ',eu-west-1a,': items 1 and 3 of 3 are empty (a comma too many?)",
        ),
    ],
    ids=["regions", "allow", "zones"],
)
def test_a_comma_list_with_an_empty_item_is_refused_not_skipped(argv, message, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert cli.main(argv) == 1
    output = capsys.readouterr()
    assert output.err.splitlines() == [f"troposphere-fargate: error: {message}"]
    assert output.out == ""


def test_diff_with_a_word_that_is_no_region_says_so_in_one_line(capsys):
    # Without --region check the stacks were never evaluated there; with it, a region the
    # templates cannot be evaluated in is one line (it was a FindInMap traceback).
    for extra in ([], ["--set", "NatGateways=Single"]):
        assert cli.main(["diff", __version__, __version__, "--region", "mars-1", *extra]) == 1
        assert errors(capsys) == [
            "troposphere-fargate: error: 'mars-1' is not a region name (such as eu-west-1)"
        ]


def test_diff_takes_its_versions_back_from_a_set_that_swallowed_them(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert cli.main(["diff", "0.3.0", "0.4.0", "--set", "NatGateways=Single"]) == 1
    expected = capsys.readouterr()
    assert "NatGateways" not in expected.err and expected.out
    for argv in (
        ["diff", "--set", "NatGateways=Single", "0.3.0", "0.4.0"],
        ["diff", "0.3.0", "--set", "NatGateways=Single", "0.4.0"],
        [
            "diff",
            "--parameters",
            "NatGateways=PerAz",
            "0.3.0",
            "--set",
            "NatGateways=Single",
            "0.4.0",
        ],
        # OLD is the first version given, whatever swallowed which (it came out swapped once)
        ["diff", "--set", "NatGateways=Single", "0.3.0", "--region", "us-east-1", "0.4.0"],
        ["diff", "0.3.0", "--format", "table", "0.4.0", "--set", "NatGateways=Single"],
        ["diff", "0.3.0", "--allow=", "0.4.0", "--set", "NatGateways=Single"],
    ):
        assert cli.main(argv) == 1, argv
        assert capsys.readouterr() == expected, argv
    with pytest.raises(SystemExit) as usage:
        cli.main(["diff", "--set", "NatGateways=Single", "0.3.0"])
    assert usage.value.code == 2
    assert errors(capsys)[-1].endswith("the following arguments are required: OLD, NEW")
    # A word too many is no KEY=VALUE pair, and said so.
    for argv in (
        ["diff", "0.3.0", "0.4.0", "--set", "NatGateways=Single", "0.2.0"],
        ["diff", "--set", "0.3.0", "0.4.0", "0.2.0"],
    ):
        assert cli.main(argv) == 1
        assert errors(capsys) == ["troposphere-fargate: error: '0.2.0' is not KEY=VALUE"]


def test_check_names_the_templates_whose_names_clash(tmp_path, capsys):
    mine = tmp_path / "my-templates"
    mine.mkdir()
    shutil.copy(SHIPPED / "network.yaml", mine / "network.yaml")
    shutil.copy(SHIPPED / "bucket.yaml", mine / "bucket.yaml")
    assert cli.main(["check", str(SHIPPED), str(mine), "--no-fetch"]) == 1
    assert errors(capsys) == [
        "troposphere-fargate: error: the report names templates by file name: check templates "
        f"with the same name one at a time (bucket.yaml is in {SHIPPED} and {mine}; "
        f"network.yaml is in {SHIPPED} and {mine})"
    ]


def test_a_file_where_a_folder_goes_is_one_line_naming_it(tmp_path, capsys):
    taken = tmp_path / "net.txt"
    taken.write_text("mine")
    for option in ("--output", "--docs"):
        assert cli.main(["build", "--quiet", option, str(taken)]) == 1
        assert errors(capsys) == [
            f"troposphere-fargate: error: {option} {taken} is a file: give a folder"
        ]
    assert taken.read_text() == "mine"


def test_an_os_error_names_the_file_without_errno(tmp_path, capsys, monkeypatch):
    import errno

    from troposphere_fargate.release import build

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out"))

    monkeypatch.setattr(build, "build_release", disk_full)
    assert cli.main(["build", "-q", "--output", str(tmp_path / "out")]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {tmp_path / 'out'}: No space left on device"
    ]


def test_a_symbolic_link_loop_is_one_line_naming_it(tmp_path, capsys):
    """validate, cost and build --output/--docs ended in pathlib's "RuntimeError: Symlink loop
    from ..." traceback (Path.resolve, Python before 3.13), where check, diff and build --spec
    said it in one line."""
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "back")
    (tmp_path / "back").symlink_to(loop)
    for command in ("validate", "cost"):
        assert cli.main([command, str(loop)]) == 1
        assert errors(capsys) == [
            f"troposphere-fargate: error: {loop}: a symbolic link in a loop (it leads back to "
            "itself)"
        ]
    for option in ("--output", "--docs"):
        assert cli.main(["build", "-q", option, str(loop)]) == 1
        assert errors(capsys) == [
            f"troposphere-fargate: error: {option} {loop}: Too many levels of symbolic links: "
            "give a folder"
        ]


def test_a_file_where_a_folder_is_needed_is_named_before_anything_runs(tmp_path, capsys):
    (tmp_path / "afile").write_text("mine")
    picture = tmp_path / "afile" / "x.dot"
    assert cli.main(["diagram", "-o", str(picture)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: -o {picture}: {tmp_path / 'afile'} is a file, not a folder"
    ]
    assert cli.main(["build", "-q", "--output", str(tmp_path / "afile" / "sub")]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: --output {tmp_path / 'afile' / 'sub'}: {tmp_path / 'afile'} "
        "is a file: give a folder"
    ]


def test_diagram_makes_the_folder_it_is_told_to_write_into(tmp_path, capsys):
    picture = tmp_path / "new" / "folder" / "architecture.dot"
    assert cli.main(["diagram", "-o", str(picture)]) == 0
    assert picture.read_text().startswith("digraph")
    # A newcomer's trial: the folders appeared without a word. The line says which it made
    # (a fourth trial: each of them, not the first alone).
    made = f"{tmp_path / 'new'} and {tmp_path / 'new' / 'folder'}"
    assert capsys.readouterr().out == f"wrote {picture} (created the folders {made})\n"
    assert cli.main(["diagram", "-o", str(picture)]) == 0
    assert capsys.readouterr().out == f"wrote {picture}\n"


def test_diagram_names_the_one_folder_it_made(tmp_path, capsys):
    picture = tmp_path / "new" / "architecture.dot"
    assert cli.main(["diagram", "-o", str(picture)]) == 0
    assert capsys.readouterr().out == f"wrote {picture} (created the folder {tmp_path / 'new'})\n"


def test_a_dot_that_fails_is_one_line_naming_its_error(tmp_path, monkeypatch, capsys):
    """Graphviz's dot that exits non-zero (a broken install, a plugin missing for -Tpng) is
    a one-line error and exit 1, not a traceback."""
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Format: \"png\" not recognized' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    picture = tmp_path / "architecture.png"
    assert cli.main(["diagram", "-o", str(picture)]) == 1
    assert errors(capsys) == [
        'troposphere-fargate: error: dot failed: Format: "png" not recognized'
    ]
    assert not picture.exists()


def test_a_dot_that_fails_leaves_no_folder_it_made(tmp_path, monkeypatch, capsys):
    """A review: `-o q1/q2/pic.svg` with a dot that fails left q1/q2 behind, unnamed."""
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    (tmp_path / "kept").mkdir()
    assert cli.main(["diagram", "-o", str(tmp_path / "kept" / "q1" / "q2" / "pic.svg")]) == 1
    assert errors(capsys) == [
        "troposphere-fargate: error: dot failed: Error: syntax error in line 1"
    ]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["bin", "dot", "kept"]


def test_diagram_into_a_link_that_leads_nowhere_says_so(tmp_path, capsys):
    """A review: it said "error: .../o5: File exists" of a link to a missing folder."""
    (tmp_path / "o5").symlink_to(tmp_path / "nowhere")
    assert cli.main(["diagram", "-o", str(tmp_path / "o5" / "sub" / "pic.dot")]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: -o {tmp_path / 'o5' / 'sub' / 'pic.dot'}: "
        f"{tmp_path / 'o5'} is a symbolic link to {tmp_path / 'nowhere'}, which does not exist"
    ]


def test_diagram_without_graphviz_leaves_a_dot_file_it_did_not_write(tmp_path, monkeypatch, capsys):
    """A review: `-o arch.svg` without dot overwrote arch.dot, a file the user never named
    (their own graph); one a picture's source wrote is written again."""
    from troposphere_fargate.release import diagram

    monkeypatch.setattr(diagram, "dot_available", lambda: False)
    mine = tmp_path / "arch.dot"
    mine.write_text("my hand-written graph\n")
    assert cli.main(["diagram", "-o", str(tmp_path / "arch.svg")]) == 1
    assert mine.read_text() == "my hand-written graph\n"
    assert errors(capsys)[-1].endswith(
        f"the source was not written: {mine} is there and is no picture's source (give -o "
        "with a .dot file of another name)"
    )
    mine.write_text("digraph architecture {\n}\n")  # an earlier run's source
    assert cli.main(["diagram", "-o", str(tmp_path / "arch.svg")]) == 1
    assert mine.read_text().startswith("digraph architecture {\n\tfontname")
    assert errors(capsys)[-1].endswith(f"wrote the source to {mine}")


def test_diagram_refuses_a_file_type_before_it_makes_a_folder(tmp_path, capsys):
    """A newcomer's trial: ``-o new/sub/x.txt`` was refused, after making new/ and new/sub/."""
    picture = tmp_path / "new" / "sub" / "x.txt"
    assert cli.main(["diagram", "-o", str(picture)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {picture}: choose a .svg, .png, .pdf or .dot file"
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["x.dot", "x.svg"])
def test_diagram_on_a_full_disk_names_the_file_and_leaves_the_old_one(
    tmp_path, capsys, monkeypatch, name
):
    """A newcomer's trial (-o a link to /dev/full): "error: No space left on device", naming
    no file, and a picture cut short where the disk filled up."""
    import errno

    if name.endswith(".svg"):
        tools.dot()
    picture = tmp_path / name
    picture.write_text("the previous picture")
    write_bytes = Path.write_bytes

    def half_then_full(self, data):
        write_bytes(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", half_then_full)
    monkeypatch.setattr(Path, "write_text", lambda self, text, *a, **k: half_then_full(self, text))
    assert cli.main(["diagram", "-o", str(picture)]) == 1
    assert errors(capsys) == [f"troposphere-fargate: error: {picture}: No space left on device"]
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert picture.read_text() == "the previous picture"


@pytest.mark.parametrize("name", ["x.dot", "x.svg"])
def test_diagram_through_a_symbolic_link_keeps_the_link(tmp_path, capsys, monkeypatch, name):
    """-o link.svg replaced the link with a file (renamed onto the link): the picture is
    renamed onto the file the link points to, with the same guarantees (a full disk or an
    interrupt leaves that file as it was, and nothing beside it)."""
    import errno

    if name.endswith(".svg"):
        tools.dot()
    (tmp_path / "pictures").mkdir()
    target = tmp_path / "pictures" / name
    target.write_text("the previous picture")
    link = tmp_path / f"link{Path(name).suffix}"
    link.symlink_to(Path("pictures") / name)  # relative, as ln -s makes them
    assert cli.main(["diagram", "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(Path("pictures") / name)
    assert "the previous picture" not in target.read_text()
    assert [p.name for p in (tmp_path / "pictures").iterdir()] == [name]
    capsys.readouterr()

    target.write_text("the previous picture")
    write_bytes = Path.write_bytes

    def half_then(error):
        def write(self, data):
            write_bytes(self, data[: len(data) // 2])
            raise error

        return write

    monkeypatch.setattr(Path, "write_bytes", half_then(OSError(errno.ENOSPC, "No space left")))
    assert cli.main(["diagram", "-o", str(link)]) == 1
    assert errors(capsys) == [f"troposphere-fargate: error: {link}: No space left"]
    monkeypatch.setattr(Path, "write_bytes", half_then(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        cli.main(["diagram", "-o", str(link)])
    assert link.is_symlink() and target.read_text() == "the previous picture"
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted([link.name, "pictures", name])


def test_diagram_keeps_the_pictures_permissions_and_a_staging_name_of_its_own(
    tmp_path, capsys, monkeypatch
):
    """The picture was written as .x.dot.new and renamed in: a 0600 picture became 0644, and
    a second run at once wrote into the first's staging file."""
    picture, other_run = tmp_path / "x.dot", tmp_path / ".x.dot.new"
    picture.write_text("the previous picture")
    picture.chmod(0o600)
    other_run.write_text("another run's picture, not renamed in yet")
    assert cli.main(["diagram", "-o", str(picture)]) == 0
    assert picture.stat().st_mode & 0o777 == 0o600
    assert "digraph" in picture.read_text()
    assert other_run.read_text() == "another run's picture, not renamed in yet"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".x.dot.new", "x.dot"]
    # A new picture gets what any new file gets, not the staging file's 0600.
    umask = os.umask(0o027)
    try:
        assert cli.main(["diagram", "-o", str(tmp_path / "new.dot")]) == 0
    finally:
        os.umask(umask)
    assert (tmp_path / "new.dot").stat().st_mode & 0o777 == 0o640


def test_check_takes_a_file_named_twice_once(tmp_path, monkeypatch):
    from troposphere_fargate.release import checks

    seen = []
    monkeypatch.setattr(
        checks, "read_templates", lambda paths: seen.extend(paths) or {p: {} for p in paths}
    )
    monkeypatch.setattr(checks.policy_tools, "find_guard", lambda: None)
    network = SHIPPED / "network.yaml"
    # Stops where the tools would be fetched: by then the paths are settled.
    with pytest.raises(checks.policy_tools.PolicyToolError):
        checks.check_templates(
            [network, REPO / "templates" / ".." / "templates" / __version__ / "network.yaml"],
            fetch=False,
        )
    assert seen == [network]


def _running_with(argument: str) -> list[int]:
    """The live processes (Linux's /proc) whose command line holds ``argument``: a build and
    the copies it forks, which keep its command line (a zombie's is empty)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        if argument.encode() in arguments:
            found.append(int(cmdline.parent.name))
    return found


def test_ctrl_c_during_a_build_is_one_line_writes_nothing_and_leaves_nothing_running(tmp_path):
    """A Ctrl-C while cfn-lint ran printed "error: Bad file descriptor" (the pipe from the
    lint was closed twice, hiding the interrupt), earlier a traceback; and the lint's copy of
    the process was left running. A Ctrl-C sent to the build alone (``kill -INT``, as a
    supervisor does, where a terminal's reaches every process of the group) stopped the copy
    that lints, but not the copies it forks: they went on linting for seconds after the build
    had said "interrupted"."""
    import signal
    import time

    from troposphere_fargate.cfn.lint import available_cpus

    output = tmp_path / "out"
    command = [sys.executable, "-m", "troposphere_fargate", "build", "--no-lint-cache", "-q"]
    with open(tmp_path / "stderr", "w") as stderr:
        process = subprocess.Popen(
            [*command, "--output", str(output)],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "TROPOSPHERE_FARGATE_CACHE": str(tmp_path / "cache")},
        )
    # Wait until cfn-lint runs in the copies of copies (the build, its copy, one of that
    # copy's): a fixed second could still be the imports on a loaded machine, where a Ctrl-C
    # is Python's own KeyboardInterrupt (a traceback, then death by SIGINT: -2).
    linux = Path("/proc/self/cmdline").exists() and available_cpus() >= 2
    deadline = time.monotonic() + 30
    while linux and len(_running_with(str(output))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    if linux:  # not a wait that timed out, taken for a lint under way
        assert len(_running_with(str(output))) >= 3
    else:
        time.sleep(1.0)  # imported, rendering or linting by then
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    assert (tmp_path / "stderr").read_text() == "troposphere-fargate: interrupted\n"
    assert not output.exists()
    if linux:  # the copies are killed as the build ends: gone within moments, not seconds
        deadline = time.monotonic() + 1.0
        while _running_with(str(output)) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _running_with(str(output)) == []


def _children_of(pid: int) -> list[int]:
    """The processes (Linux's /proc) whose parent is ``pid``, live or not yet waited for (a
    zombie): field 4 of their stat, after the name in parentheses, which may hold spaces."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
def test_an_interrupted_lint_stops_and_reaps_its_copies(tmp_path):
    """``lint_templates`` in a process that goes on after a KeyboardInterrupt (a notebook, a
    server): the copies it forked went on linting, and were never waited for."""
    import inspect
    import signal
    import time

    from troposphere_fargate.cfn.lint import available_cpus

    if available_cpus() < 2:
        pytest.skip("lints in this process: nothing forked")
    script = tmp_path / "lint.py"
    script.write_text(
        "import os, sys\nfrom pathlib import Path\n"
        + inspect.getsource(_children_of)
        + "from troposphere_fargate.cfn.lint import lint_templates\n"
        + "texts = {p.name: p.read_text() for p in Path(sys.argv[1]).glob('*.yaml')}\n"
        + "try:\n"
        + "    lint_templates(texts, jobs=2)\n"
        + "except KeyboardInterrupt:\n"
        + "    print(len(_children_of(os.getpid())), flush=True)\n"
    )
    process = subprocess.Popen(
        [sys.executable, str(script), str(SHIPPED)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while len(_children_of(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    forked = len(_children_of(process.pid))  # else the interrupt is not one of a lint's
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (forked, out) == (2, "0\n"), (process.returncode, err[-2000:])


@pytest.mark.parametrize("started", [True, False], ids=["started-linter", "lint-templates"])
def test_a_lint_copy_interrupted_before_it_answers_never_goes_on_as_its_parent(tmp_path, started):
    """A copy forked to lint, interrupted before it reached the code that answers and leaves
    (here: as it asks to die with its parent), let the KeyboardInterrupt out of the fork's
    branch and ran its parent's code on (a review: "KeyboardInterrupt caught in CHILD")."""
    from troposphere_fargate.cfn.lint import available_cpus

    if available_cpus() < 2 or not hasattr(os, "fork"):
        pytest.skip("lints in this process: nothing forked")
    script = tmp_path / "interrupted_copy.py"
    call = (
        "    with lint.StartedLinter() as linter:\n        linter.lint(texts)\n"
        if started
        else "    lint.lint_templates(texts, jobs=2)\n"
    )
    script.write_text(
        "import os\n"
        "from troposphere_fargate.cfn import lint\n"
        "def interrupted(parent):\n    raise KeyboardInterrupt\n"
        "lint._die_with_parent = interrupted\n"
        "texts = {n: 'Resources: {T: {Type: AWS::SNS::Topic}}\\n' for n in ('a.yaml', 'b.yaml')}\n"
        "try:\n" + call + "except BaseException as error:\n"
        "    print(type(error).__name__, 'in', os.getpid(), flush=True)\n"
    )
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    out, _ = process.communicate(timeout=120)
    assert out.splitlines() == [f"LintError in {process.pid}"]


ROOT_VALUES = [
    "TemplateBucketName=my-templates",
    "ContainerImage=123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello:1",
]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # NaN compares false with every bound, so it passed them: a traceback in the cost,
        # or "CloudFormation would accept" for ContainerPort.
        (
            ["DesiredCount=NaN"],
            "root.yaml: parameter DesiredCount='NaN' is not a number: must be a whole number "
            "from 0 to 1000",
        ),
        (
            ["ContainerPort=nan"],
            "root.yaml: parameter ContainerPort='nan' is not a number: must be a port number "
            "from 1 to 65535",
        ),
        # Python's float() joins digits across _: MinCapacity=1_0 was read as 10 (Java's
        # number parsers refuse it, so CloudFormation would).
        (
            ["MinCapacity=1_0", "MaxCapacity=20"],
            "root.yaml: parameter MinCapacity='1_0' is not a number: must be a whole number "
            "from 0 to 1000",
        ),
        # --region "$AWS_REGION" with the variable unset: a traceback.
        (
            ["--region", ""],
            "--region is empty: give a region name such as eu-west-1 (is the variable it comes "
            "from set?)",
        ),
        # --region "$AWS_REGION " with the variable unset: spaces alone, as empty.
        (
            ["--region", " "],
            "--region is empty: give a region name such as eu-west-1 (is the variable it comes "
            "from set?)",
        ),
        # One zone twice: the load balancer needs subnets in two zones.
        (
            ["AvailabilityZones=eu-west-1a,eu-west-1a", "--region", "eu-west-1"],
            "root.yaml: parameter AvailabilityZones: eu-west-1a is named twice: each subnet "
            "needs a zone of its own",
        ),
    ],
    ids=["nan", "nan-port", "underscore", "empty-region", "blank-region", "a-zone-twice"],
)
def test_validate_and_cost_refuse_what_would_fail_in_one_line(extra, message, capsys):
    for command in ("validate", "cost"):
        shipped = str(SHIPPED / "root.yaml")
        assert cli.main([command, shipped, *ROOT_VALUES, *extra]) == 1
        assert errors(capsys) == [f"troposphere-fargate: error: {message}"]


def test_validate_and_cost_refuse_a_template_over_cloudformations_quotas(tmp_path, capsys):
    """ "Resources: 500" declared per template and "Template body size in an Amazon S3 object:
    1 MB" (Understand CloudFormation quotas; the console uploads the template to S3): a
    template of 600 resources, or of 2 MB, was "CloudFormation would accept these values"."""
    topics = "".join(f"  T{i}: {{Type: AWS::SNS::Topic}}\n" for i in range(501))
    (tmp_path / "many.yaml").write_text("Resources:\n" + topics)
    (tmp_path / "fits.yaml").write_text("Resources:\n" + topics.split("  T500")[0])
    note = "x" * 1_000_000
    (tmp_path / "large.yaml").write_text(
        f"Metadata: {{Note: {note}}}\nResources:\n" + topics.splitlines(keepends=True)[0]
    )
    size = (tmp_path / "large.yaml").stat().st_size
    for command in ("validate", "cost"):
        assert cli.main([command, str(tmp_path / "many.yaml")]) == 1
        assert errors(capsys) == [
            "troposphere-fargate: error: many.yaml: 501 resources: CloudFormation takes at most "
            "500 in a template"
        ]
        assert cli.main([command, str(tmp_path / "large.yaml")]) == 1
        assert errors(capsys) == [
            f"troposphere-fargate: error: large.yaml: {size:,} bytes: CloudFormation takes a "
            "template of at most 1,000,000 bytes (from S3; 51,200 given in the request)"
        ]
    assert cli.main(["validate", str(tmp_path / "fits.yaml")]) == 0


def test_validate_and_cost_say_what_of_a_transformed_template_they_did_not_read(tmp_path, capsys):
    """A SAM template (or a macro of one's own) is read as written, its values checked: it was
    "CloudFormation would accept these values" and "1 resource in 1 stack", with no word that
    the function's role, log group and permissions the transform makes were neither described
    nor priced."""
    (tmp_path / "sam.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: a.b, Runtime: python3.12, InlineCode: x}\n"
    )
    for command in ("validate", "cost"):
        assert cli.main([command, str(tmp_path / "sam.yaml")]) == 0
        assert errors(capsys) == [
            "troposphere-fargate: not all read: sam.yaml (AWS::Serverless-2016-10-31): "
            "CloudFormation runs the transform first, and the dry run reads the template as "
            "written: its values are checked, what the transform makes is neither described nor "
            "priced (the template it makes: aws cloudformation get-template --template-stage "
            "Processed, of a stack or change set)"
        ]
    assert cli.main(["validate", str(SHIPPED / "bucket.yaml")]) == 0
    assert errors(capsys) == []  # a template without a transform: nothing to say
    # Nested at any depth, in a folder of its own: the note read each nested template again
    # from beside the root, and a template nested from sub/ was "the file does not exist".
    (tmp_path / "sub").mkdir()
    (tmp_path / "sam.yaml").rename(tmp_path / "sub" / "grand.yaml")
    stack = "    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: "
    (tmp_path / "root.yaml").write_text(f"Resources:\n  C:\n{stack}./sub/child.yaml\n")
    (tmp_path / "sub" / "child.yaml").write_text(
        f"Resources:\n  T: {{Type: AWS::SNS::Topic}}\n  G:\n{stack}./grand.yaml\n"
    )
    assert cli.main(["validate", str(tmp_path / "root.yaml")]) == 0
    assert errors(capsys) == [
        "troposphere-fargate: not all read: C/G (grand.yaml: AWS::Serverless-2016-10-31): "
        "CloudFormation runs the transform first, and the dry run reads the template as "
        "written: its values are checked, what the transform makes is neither described nor "
        "priced (the template it makes: aws cloudformation get-template --template-stage "
        "Processed, of a stack or change set)"
    ]


@pytest.mark.parametrize("command", ["validate", "cost"])
def test_values_without_a_template_say_the_template_is_missing(command, capsys):
    """`validate NumberOfAzs=3` said "NumberOfAzs=3: the file does not exist", taking the
    pair for the template it forgot."""
    with pytest.raises(SystemExit) as exited:
        cli.main([command, "NumberOfAzs=3", "DesiredCount=2"])
    assert exited.value.code == 2
    assert errors(capsys)[-1] == (
        f"troposphere-fargate {command}: error: the following arguments are required: TEMPLATE "
        "(or --spec FILE); NumberOfAzs=3 is no file, so a KEY=VALUE pair"
    )
    # A path (a slash, a template's extension) is a template that is not there.
    missing = "out/env=prod/root.yaml"
    assert cli.main([command, missing, "DesiredCount=2"]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {missing}: the file does not exist (there is no folder out)"
    ]


@pytest.mark.parametrize("command", [["check"], ["diff", "0.3.0", "0.4.0"]])
def test_templates_given_a_file_says_so_as_publish_does(command, tmp_path, capsys):
    """`check --templates plain.yaml` said "no plain.yaml/0.4.0/ here to check"; publish said
    it is a file."""
    (tmp_path / "plain.yaml").write_text("Resources: {T: {Type: AWS::SNS::Topic}}\n")
    given = tmp_path / "plain.yaml"
    assert cli.main([*command, "--templates", str(given)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: --templates {given} is a file: give the folder of versions"
    ]
    # Two files compared: --templates is not read, and not refused.
    assert cli.main(["diff", str(given), str(given), "--templates", str(given)]) == 0


def test_a_list_of_numbers_holds_numbers_only(tmp_path, capsys):
    """List<Number>: "An array of integers or floats that are separated by commas.
    CloudFormation validates the parameter value as numbers" (User Guide, Parameters template
    section syntax, Supported parameter types,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
    validate took any text in it."""
    template = tmp_path / "ports.yaml"
    template.write_text(
        "Parameters:\n  Ports: {Type: List<Number>, Default: ''}\n"
        "Resources:\n  T: {Type: AWS::SNS::Topic}\n"
    )
    assert cli.main(["validate", str(template)]) == 0  # "": an empty list (a review)
    assert cli.main(["validate", str(template), "Ports=80, 443,8080"]) == 0
    capsys.readouterr()
    assert cli.main(["validate", str(template), "Ports=80,http,1_0"]) == 1
    assert errors(capsys) == [
        "troposphere-fargate: error: ports.yaml: parameter Ports='80,http,1_0' holds 'http', "
        "'1_0', not a number"
    ]


def test_a_root_without_the_templates_it_nests_is_refused_not_priced_at_nothing(tmp_path, capsys):
    """Alone, root.yaml was "accepted", 2 resources in 1 stack, about $0.00 a month: what it
    nests went unchecked and uncounted."""
    shutil.copy(SHIPPED / "root.yaml", tmp_path / "root.yaml")
    assert cli.main(["cost", str(tmp_path / "root.yaml"), *ROOT_VALUES]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: root.yaml > {stack}: nests {name}, which is not beside "
        "root.yaml: keep the templates of a version together (its folder)"
        for stack, name in (("NetworkStack", "network.yaml"), ("ServiceStack", "service.yaml"))
    ]


@pytest.mark.parametrize("command", ["validate", "cost"])
def test_a_pair_longer_than_a_file_name_is_a_value_not_a_traceback(command, capsys):
    """SecretVariableName takes 255 characters: a pair of 259 was looked up as a file
    (Path.is_file raised "File name too long", errno 36, before Python 3.12), a traceback
    from argument parsing, whichever side of the template it stood."""
    pair = "SecretVariableName=" + "A" * 240
    given = {"ContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1"}
    values = [f"{k}={v}" for k, v in given.items()] + ["TemplateBucketName=my-bucket"]
    root = str(SHIPPED / "root.yaml")
    for argv in ([command, root, pair, *values], [command, pair, root, *values]):
        assert cli.main(argv) == 0, capsys.readouterr().err
        assert "Traceback" not in capsys.readouterr().err


def test_validate_counts_a_value_given_twice_once(capsys):
    shipped = str(SHIPPED / "root.yaml")
    twice = ["NatGateways=Single", "NatGateways=Single"]
    assert cli.main(["validate", shipped, *ROOT_VALUES, *twice]) == 0
    assert "(3 given, " in capsys.readouterr().out


def test_diff_names_the_side_that_does_not_exist(capsys):
    """A typo on one side was reported as "the other is a file, this one is not"."""
    network = str(SHIPPED / "network.yaml")
    for sides in (["no/such.yaml", network], [network, "no/such.yaml"]):
        assert cli.main(["diff", *sides]) == 1
        assert errors(capsys) == [
            "troposphere-fargate: error: no/such.yaml: the file does not exist (there is no "
            "folder no)"
        ]


@pytest.mark.parametrize("command", ["check", "diff"])
def test_a_path_that_does_not_exist_is_a_missing_file_not_version(tmp_path, capsys, command):
    """``check /tmp/x/missing.yaml`` said "no such template, folder or version under
    templates/": a name with a slash or a template's extension is a path, never a version.
    Every name that is not there is said at once; a bare word is still looked for as a
    version."""
    (tmp_path / "here").mkdir()
    names = [str(tmp_path / "here" / "missing.yaml"), str(tmp_path / "gone" / "root.json")]
    assert cli.main([command, *names]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {names[0]}: the file does not exist",
        f"troposphere-fargate: error: {names[1]}: the file does not exist (there is no folder "
        f"{tmp_path / 'gone'})",
    ]
    assert cli.main([command, str(tmp_path / "gone" / "build"), "9.9.9"]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {tmp_path / 'gone' / 'build'}: no such file or folder "
        f"(there is no folder {tmp_path / 'gone'})",
        "troposphere-fargate: error: 9.9.9: no such template, folder or version under templates/",
    ]


def test_diagram_without_graphviz_writes_the_source_into_the_folder_it_makes(
    tmp_path, capsys, monkeypatch
):
    """It said "newdir/sub/x.dot: No such file or directory", not that dot is missing."""
    from troposphere_fargate.release import diagram

    monkeypatch.setattr(diagram, "dot_available", lambda: False)
    picture = tmp_path / "newdir" / "sub" / "x.svg"
    assert cli.main(["diagram", "-o", str(picture)]) == 1
    assert (tmp_path / "newdir" / "sub" / "x.dot").is_file()
    assert capsys.readouterr().err.endswith(
        f"wrote the source to {tmp_path / 'newdir' / 'sub' / 'x.dot'} "
        f"(created the folders {tmp_path / 'newdir'} and {tmp_path / 'newdir' / 'sub'})\n"
    )


@pytest.mark.parametrize("command", ["validate", "cost", "diff", "check"])
def test_a_template_without_resources_is_refused_by_every_command(tmp_path, capsys, command):
    """CloudFormation: "Template format error: At least one Resources member must be defined."
    (JulieElkinsAWS/CFtemplates#1, agutoli/serverless-layers#96). validate and cost refused
    it; diff said "safe: resource T removed" of a template that empties Resources, and check
    "all checks passed"."""
    empty = tmp_path / "empty.yaml"
    empty.write_text("Resources: {}\n")
    argv = (
        [command, str(empty)]
        if command != "diff"
        else [command, str(SHIPPED / "bucket.yaml"), str(empty)]
    )
    assert cli.main(argv) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {empty}:1:1: not a CloudFormation template: its Resources "
        'section is empty: CloudFormation refuses the template ("At least one Resources member '
        'must be defined.")'
    ]


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ("resource", "Resources:\n  my-topic: {Type: AWS::SNS::Topic}\n"),
        (
            "parameter",
            "Parameters:\n  my_name: {Type: String}\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
        ),
        ("output", "Resources:\n  T: {Type: AWS::SNS::Topic}\nOutputs:\n  a.b: {Value: x}\n"),
    ],
)
def test_a_name_that_is_not_alphanumeric_is_refused_where_it_is(tmp_path, capsys, section, text):
    """ "The logical ID must be alphanumeric (A-Za-z0-9)" (User Guide, Resources section);
    CloudFormation: "Template format error: Resource name SNS_TOPIC is non alphanumeric."
    (aws-cloudformation/cfn-lint#160). diff said "safe" of a resource renamed my-topic."""
    path = tmp_path / "named.yaml"
    path.write_text(text)
    assert cli.main(["diff", str(SHIPPED / "bucket.yaml"), str(path)]) == 1
    (line,) = errors(capsys)
    name = {"resource": "my-topic", "parameter": "my_name", "output": "a.b"}[section]
    assert line.endswith(
        f"not a CloudFormation template: {section} {name}: CloudFormation refuses the template "
        f'("{section.title()} name {name} is non alphanumeric."): a logical ID is letters and '
        "digits only"
    )
    assert line.startswith(f"troposphere-fargate: error: {path}:")


def test_check_says_which_folders_inside_it_did_not_check(tmp_path, capsys, monkeypatch):
    """A folder's templates are its own files: a failing sub/inner/bad.yaml went unchecked
    under "all checks passed"."""

    (tmp_path / "gate" / "sub" / "inner").mkdir(parents=True)
    shutil.copy(SHIPPED / "bucket.yaml", tmp_path / "gate" / "bucket.yaml")
    (tmp_path / "gate" / "sub" / "inner" / "bad.yaml").write_text("Resources: {}\n")
    (tmp_path / "gate" / "notes").mkdir()  # no templates in it: nothing to say
    # ... unless it is named like one: a gate passed "all checks passed" over it
    (tmp_path / "gate" / "network.yaml").mkdir()
    assert folders_inside([str(tmp_path / "gate")], tmp_path) == [
        tmp_path / "gate" / "network.yaml",
        tmp_path / "gate" / "sub",
    ]
    (tmp_path / "gate" / "network.yaml").rmdir()

    _stop_the_gates_after(monkeypatch, ["bucket.yaml"])
    assert cli.main(["check", str(tmp_path / "gate")]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: not checked: {tmp_path / 'gate' / 'sub'}/, a folder inside (name "
        "it to check its templates)",
        "troposphere-fargate: error: gates stopped here",
    ]


def test_a_spec_whose_root_would_pass_200_outputs_gets_one_line(tmp_path, capsys):
    """troposphere stops at the 200th output with a bare ValueError (a traceback from `build
    --spec` with 40 public services); CloudFormation takes 200 outputs per template."""
    lines = ["services:"]
    for i in range(40):
        lines += [
            f"  s{i}:",
            "    expose: public",
            f"    routing: {{path: /s{i}/*, priority: {i + 1}}}",
            f"    health_check_path: /s{i}/health",  # else a warning each, before the error
        ]
    (tmp_path / "app.yaml").write_text("\n".join(lines) + "\n")
    arguments = ["build", "--spec", str(tmp_path / "app.yaml"), "--output", str(tmp_path / "out")]
    assert cli.main(arguments) == 1
    # At the spec's services (a trial: build refusals named no line of the spec), when the
    # spec is read: the config refuses them, before any template is rendered.
    assert errors(capsys) == [
        f"troposphere-fargate: error: {tmp_path / 'app.yaml'}:2: services: 40 services: the "
        "root that nests them would have 220 outputs (it re-exports each of the network's, the "
        "environment's and the services'), and CloudFormation takes 200 per template: split "
        "the services between environments (a spec each)"
    ]
    assert not (tmp_path / "out").exists()


def test_check_says_in_its_last_line_which_gate_did_not_run(tmp_path, capsys, monkeypatch):
    """A pass without checkov said "all checks passed": the note above it scrolls away."""
    from troposphere_fargate.release import checks

    template = tmp_path / "bucket.yaml"
    shutil.copy(SHIPPED / "bucket.yaml", template)

    def gates(paths, **_):
        return checks.CheckReport(
            list(paths), [], {checks.CONTROL_TOWER: []}, {checks.CHECKOV: checks.no_checkov()}
        )

    monkeypatch.setattr(checks, "check_templates", gates)
    assert cli.main(["check", str(template)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "all checks passed (checkov not run)"


@pytest.mark.parametrize(
    "build",
    [
        lambda n: tf.QueueScaling(f"orders{n}", 10),
        lambda n: tf.Routing(10, path=f"/api/*{n}"),
        lambda n: tf.Routing(10, host=f"api.example.com{n}"),
        lambda n: tf.Routing(10, path=("/api", f"/api/*{n}")),
        lambda n: tf.Routing(10, host=("a.example.com", f"api.example.com{n}")),
        lambda n: tf.ServiceConfig(container_name=f"web{n}"),
        lambda n: tf.Secret("DB", f"arn:aws:ssm:eu-west-1:123456789012:parameter/db{n}"),
        lambda n: tf.PolicyStatement(
            (f"sqs:SendMessage{n}",), ("arn:aws:sqs:eu-west-1:123456789012:q",)
        ),
        lambda n: tf.PolicyStatement(
            ("sqs:SendMessage",), (f"arn:aws:sqs:eu-west-1:123456789012:q{n}",)
        ),
        lambda n: tf.ScheduledScaling("night", f"cron(0 20 * * ? *){n}", 1),
    ],
    ids=[
        "queue",
        "path",
        "host",
        "paths",
        "hosts",
        "container",
        "secret",
        "action",
        "resource",
        "schedule",
    ],
)
def test_a_value_with_a_trailing_newline_is_refused(build):
    """A YAML block scalar (``key: |``) ends its text with a newline, which ``$`` matches
    before: such values passed every check and reached the template."""
    build("")  # the same value without it is taken
    with pytest.raises(tf.ConfigError):
        build("\n")


# --- Hints: what the value probably meant ----------------------------------------------------

KMS_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SECRETS = "    secrets: {A: arn:aws:ssm:eu-west-1:123456789012:parameter/a}\n"


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        # An unquoted wildcard host is a YAML alias.
        (
            "services:\n  web:\n    expose: public\n"
            "    routing: {host: *.shop.example.com, priority: 1}\n",
            ":4: invalid YAML: expected alphabetic or numeric character, but found "
            "'.' (while scanning an alias); quote a value that begins with *, such as "
            '"*.example.com"',
        ),
        (
            'services:\n  web:\n    schedules:\n      - {name: a, schedule: "cron(0 8 ? * * *)", '
            "min: 1, timezone: europe/paris}\n",
            ":4: services.web.schedules[0].timezone: 'europe/paris' is not UTC or an IANA zone "
            "such as Europe/Paris (did you mean Europe/Paris?)",
        ),
        (
            'services:\n  web:\n    schedules:\n      - {name: a, schedule: "cron(0 8 ? * * *)", '
            "min: 1, timezone: Europe/Pari}\n",
            ":4: services.web.schedules[0].timezone: must be UTC or an IANA zone such as "
            "Europe/Paris (did you mean Europe/Paris?)",
        ),
        (
            "services:\n  web:\n    deployment: {strategy: canary}\n",
            ":3: services.web.deployment.strategy: 'canary' is not one of ROLLING, CANARY, LINEAR, "
            "BLUE_GREEN (did you mean CANARY?)",
        ),
        # IAM names a key by its ARN only: "You cannot use a key id, alias name, or alias ARN"
        # (AWS KMS Developer Guide, "Specifying KMS keys in IAM policy statements").
        (
            f"services:\n  web:\n{SECRETS}    secrets_kms_key: alias/app\n",
            ":4: services.web.secrets_kms_key: 'alias/app' is not a KMS key ARN: an alias; give "
            "the key ARN (aws kms describe-key --key-id alias/app --query KeyMetadata.Arn): the "
            "execution role's policy can name a key by its ARN only",
        ),
        (
            f"services:\n  web:\n{SECRETS}    secrets_kms_key: {KMS_ARN.rsplit('/', 1)[1]}\n",
            ":4: services.web.secrets_kms_key: '1234abcd-12ab-34cd-56ef-1234567890ab' is not a "
            "KMS key ARN: a key ID; give the key ARN (aws kms describe-key --key-id "
            "1234abcd-12ab-34cd-56ef-1234567890ab --query KeyMetadata.Arn): the execution role's "
            "policy can name a key by its ARN only",
        ),
        (
            f"services:\n  web:\n{SECRETS}    secrets_kms_key: {KMS_ARN.upper()[:-1]}\n",
            None,  # not an ARN of kms in lower case: the example
        ),
        (
            f"services:\n  web:\n{SECRETS}    secrets_kms_key: {KMS_ARN.replace('-12ab', '')}\n",
            ":4: services.web.secrets_kms_key: "
            "'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-34cd-56ef-1234567890ab' is not a "
            "KMS key ARN: its key ID must be a UUID (1234abcd-12ab-34cd-56ef-1234567890ab) or "
            "mrk- and 32 hex digits, in lower case",
        ),
    ],
)
def test_a_spec_value_that_names_something_else_is_told_what_it_probably_meant(
    tmp_path, capsys, spec, says
):
    path = tmp_path / "app.yaml"
    path.write_text(spec)
    arguments = ["build", "--spec", str(path), "--output", str(tmp_path / "out")]
    assert cli.main(arguments) == 1
    (line,) = errors(capsys)
    if says is None:
        assert line.endswith(f"is not a KMS key ARN, such as {KMS_ARN}")
    else:
        assert line == f"troposphere-fargate: error: {path}{says}"
    assert not (tmp_path / "out").exists()


def test_the_library_gives_the_same_hints():
    from troposphere_fargate import Application, ScheduledScaling, Secret

    with pytest.raises(tf.ConfigError, match=r"\(did you mean America/New_York\?\)$"):
        ScheduledScaling("a", "cron(0 8 ? * * *)", 1, timezone="America/New York")
    with pytest.raises(tf.ConfigError, match=r"KMS key ARN: an alias; give the key ARN"):
        Application(
            secrets=(Secret("A", "arn:aws:ssm:eu-west-1:123456789012:parameter/a"),),
            secrets_kms_key="arn:aws:kms:eu-west-1:123456789012:alias/app",
        )


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("natgateways=Single", "unknown parameter natgateways (did you mean NatGateways?)"),
        (
            "Foo=1",
            "unknown parameter Foo (it takes AvailabilityZones, FlowLogRetentionDays, "
            "NatGateways, NumberOfAzs, PrivateSubnet1Cidr, PrivateSubnet2Cidr, "
            "PrivateSubnet3Cidr, PublicSubnet1Cidr, PublicSubnet2Cidr, PublicSubnet3Cidr, "
            "RestrictDefaultSecurityGroup, S3EndpointAccess, VpcCidr, VpcEndpoints)",
        ),
    ],
)
def test_validate_names_the_parameter_an_unknown_one_probably_meant(capsys, given, says):
    assert cli.main(["validate", str(SHIPPED / "network.yaml"), given]) == 1
    assert errors(capsys) == [f"troposphere-fargate: error: network.yaml: {says}"]


def test_a_name_ending_in_s_is_said_with_an_apostrophe_alone():
    from troposphere_fargate.errors import possessive

    assert (possessive("web"), possessive("tenants")) == ("web's", "tenants'")
    spec = (
        "services:\n  tenants: {expose: public, routing: {path: /*, priority: 1}}\n"
        "  api: {expose: public, routing: {path: /api/*, priority: 2}}\n"
    )
    with pytest.raises(tf.SpecError, match=r"the service tenants' rule \(priority 1\)"):
        tf.parse_spec(spec, "app.yaml")


@pytest.mark.parametrize(
    ("key", "says"),
    [
        # The key ID is fine: the account has 11 digits, the region no dashes.
        (
            KMS_ARN.replace("123456789012", "12345678901"),
            ": its partition, region or account is not valid (arn:<aws, aws-cn or "
            "aws-us-gov>:kms:<region>:<12-digit account>:key/<key ID>)",
        ),
        (
            KMS_ARN.replace("eu-west-1", "euwest1"),
            ": its partition, region or account is not valid",
        ),
        (
            "1234ABCD-12AB-34CD-56EF-1234567890AB",
            ": a key ID (in lower case); give the key ARN (aws kms describe-key --key-id "
            "1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        ("arn:${AWS::Partition}:kms:eu-west-1:123456789012:alias/app", ": an alias; give"),
    ],
)
def test_the_kms_hint_names_the_part_that_is_wrong(key, says):
    from troposphere_fargate.layers.application import kms_key_hint

    assert kms_key_hint(key).startswith(says)


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        ("GMT", " (did you mean Etc/GMT?)"),  # a zone, but not of the pattern's form
        ("Japan", ""),  # nothing close that the pattern takes
        ("europe/paris", " (did you mean Europe/Paris?)"),
    ],
)
def test_a_time_zone_hint_suggests_only_what_is_taken(zone, hint):
    from troposphere_fargate.layers.schedules import zone_hint

    assert zone_hint(zone) == hint


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db",
            ": a secret's full ARN ends with - and the 6 characters Secrets Manager adds to its "
            "name (aws secretsmanager describe-secret --secret-id prod/db --query ARN)",
        ),
        (
            "arn:aws:secretmanager:eu-west-1:123456789012:secret:db-AbCdEf",
            ": the service is secretsmanager or ssm, not 'secretmanager'",
        ),
        (
            "arn:aws:secretsmanager:eu-west-1:12345678901:secret:db-AbCdEf",
            ": the account is 12 digits, not '12345678901'",
        ),
        (
            "arn:aws:ssm:eu-west1:123456789012:parameter/x",
            ": 'eu-west1' is no region name (such as eu-west-1)",
        ),
        (
            "arn:aws:ssm:eu-west-1:123456789012:parameter:x",
            ": a parameter's ARN ends with parameter/<name>, a slash after parameter",
        ),
        ("prod/db", ""),  # not an ARN: the pattern's message says what one is
    ],
)
def test_a_secrets_arn_is_told_which_part_is_wrong(tmp_path, capsys, value, hint):
    # A user trial: five different defects, one long pattern message five times.
    path = tmp_path / "app.yaml"
    path.write_text(f'services:\n  web:\n    secrets: {{A: "{value}"}}\n')
    assert cli.main(["build", "--spec", str(path), "--output", str(tmp_path / "out")]) == 1
    (line,) = errors(capsys)
    assert line.endswith("parameter/<name>)" + hint)
    with pytest.raises(tf.ConfigError) as refused:
        tf.Secret("A", value)
    assert str(refused.value).endswith(hint or "parameter/<name>)")


def test_the_arn_hints_read_the_stacks_own_region_and_account():
    # A review: '${AWS' is no region name, said of an ARN written for every region.
    from troposphere_fargate.layers.application import kms_key_hint, secret_hint

    own = "arn:${AWS::Partition}:SERVICE:${AWS::Region}:${AWS::AccountId}:"
    assert secret_hint(own.replace("SERVICE", "secretsmanager") + "secret:prod/db").startswith(
        ": a secret's full ARN ends with - and the 6 characters"
    )
    assert kms_key_hint(own.replace("SERVICE", "kms") + "alias/app").startswith(": an alias; give")


def test_a_secret_hint_names_a_misspelt_or_untaken_pseudo_parameter():
    from troposphere_fargate.layers.application import secret_hint

    assert secret_hint("arn:aws:secretsmanager:eu-west-1:${AWS::AccountID}:secret:db-AbCdEf") == (
        ": ${AWS::AccountID} is no pseudo parameter (did you mean ${AWS::AccountId}?)"
    )
    assert secret_hint(
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:${AWS::StackName}-db"
    ) == (
        ": ${AWS::StackName} is not taken here: an ARN may name ${AWS::Partition}, "
        "${AWS::Region} and ${AWS::AccountId}"
    )
    assert "--secret-id db --query" in secret_hint(
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db:key::"
    )


def test_check_s_yaml_column_shows_a_json_template_was_not_read_so(tmp_path):
    """A JSON template is typed by its quotes: its YAML 1.1 column is "-", not a pass."""
    from troposphere_fargate.release import checks

    paths = [tmp_path / "a.json", tmp_path / "b.yaml"]
    report = checks.CheckReport(paths, [], {}, {}, {"b.yaml": []})
    assert [row[:3] for row in report.rows()] == [("a.json", "0", "-"), ("b.yaml", "0", "0")]


def test_check_s_row_counts_each_template_s_own_findings_per_gate(tmp_path):
    """A row counts its own template's findings: cfn-lint's, the misread scalars ("-" for a JSON
    template, not read so), each gate's failures (a suppressed violation is none), "-" for a gate
    that did not run, and last the suppressed violations."""
    from troposphere_fargate.cfn.guard import Violation
    from troposphere_fargate.release import checks

    paths = [tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.json"]
    misread = {"a.yaml": [], "b.yaml": yaml11.misreadings("Id: 098369216593\n")}
    control_tower = [
        Violation("a.yaml", "r1", "A"),
        Violation("a.yaml", "r2", "A", "because"),
        Violation("a.yaml", "r3", "A", "because"),
        Violation("b.yaml", "r1", "B"),
        Violation("b.yaml", "r2", "B"),
    ]
    report = checks.CheckReport(
        paths,
        [Finding("b.yaml", 3, 5, "W3005", "obsolete DependsOn")],
        {checks.CONTROL_TOWER: control_tower, checks.OWN_RULES: [Violation("c.json", "o1", "")]},
        {checks.CHECKOV: "not installed"},
        misread,
    )
    assert report.header() == (
        "template", "cfn-lint", "yaml 1.1", "control-tower", "own rules", "checkov", "suppressed"
    )  # fmt: skip
    assert report.rows() == [
        ("a.yaml", "0", "0", "1", "0", "-", "2"),
        ("b.yaml", "1", "1", "2", "0", "-", "0"),
        ("c.json", "0", "-", "0", "1", "-", "0"),
    ]


@pytest.mark.parametrize(
    ("lint", "misread", "transformed", "suppressed", "failed"),
    [
        ([], [], [], True, False),  # suppressed violations alone pass
        ([], [], [], False, True),
        ([Finding("t.yaml", 1, 1, "I3011", "x")], [], [], True, True),
        ([], yaml11.misreadings("Id: 098369216593\n"), [], True, True),
        ([], [], ["AWS::Include"], True, True),
    ],
)
def test_check_fails_on_any_gate_s_finding_and_not_on_a_suppressed_one(
    tmp_path, lint, misread, transformed, suppressed, failed
):
    from troposphere_fargate.cfn.guard import Violation
    from troposphere_fargate.release import checks

    violation = Violation("t.yaml", "r1", "Bucket", "because" if suppressed else None)
    report = checks.CheckReport(
        [tmp_path / "t.yaml"],
        lint,
        {checks.CONTROL_TOWER: [violation], checks.OWN_RULES: []},
        {},
        {"t.yaml": misread},
        {"t.yaml": transformed} if transformed else {},
    )
    assert report.failed is failed


def test_a_tab_indented_json_template_s_resources_have_lines(tmp_path):
    """cfn-guard's failures in a JSON template indented with tabs had no line (YAML, which
    reads JSON, refuses tabs as indentation)."""
    from troposphere_fargate.cfn.guard import resource_lines

    path = tmp_path / "t.json"
    path.write_text(
        '{\n\t"Resources": {\n\t\t"Bucket": {\n\t\t\t"Type": "AWS::S3::Bucket"\n\t\t}\n\t}\n}\n'
    )
    assert resource_lines(path) == {"Bucket": 3}


def test_check_of_a_folder_of_versions_names_them(capsys):
    """A newcomer's trial: `check templates/` said "holds no templates" and no more."""
    assert cli.main(["check", str(REPO / "templates")]) == 1
    (line,) = errors(capsys)
    assert line.endswith(f"; its version folders: 0.1.0, 0.2.0, 0.3.0, {__version__} (name one)")


def test_validate_takes_the_template_after_a_pair(capsys):
    """A newcomer's trial: `validate --region R K=V root.yaml` said "'root.yaml' is not
    KEY=VALUE" (argparse took the pair for the template)."""
    root = SHIPPED / "root.yaml"
    image = "ContainerImage=123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello:1"
    argv = ["validate", "--region", "eu-west-1", "TemplateBucketName=my-templates", str(root)]
    assert cli.main([*argv, image]) == 0
    assert capsys.readouterr().out.startswith(
        "root.yaml: CloudFormation would accept these values (2 given"
    )


def test_build_into_a_folder_named_as_the_version_is_refused(tmp_path, capsys):
    """A newcomer's trial: --output build/0.4.0 wrote build/0.4.0/0.4.0/."""
    out = tmp_path / "build" / __version__
    assert cli.main(["build", "--output", str(out)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: --output {out} is named like the version folder the build "
        f"writes into it ({out}/{__version__}/): give the folder above, --output {out.parent}"
    ]
    assert not out.exists()


def test_build_into_the_current_folder_named_as_the_version_is_refused(
    tmp_path, capsys, monkeypatch
):
    here = tmp_path / __version__
    here.mkdir()
    monkeypatch.chdir(here)
    assert cli.main(["build", "--output", "."]) == 1
    assert "is named like the version folder the build writes into" in errors(capsys)[0]
    assert list(here.iterdir()) == []


def test_validate_takes_a_template_whose_name_has_an_equals_sign(tmp_path, capsys):
    template = tmp_path / "a=b.yaml"
    template.write_text("Resources:\n  T: {Type: AWS::SNS::Topic}\n")
    assert cli.main(["validate", "K=V", str(template)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: {template.name}: unknown parameter K (it takes none)"
    ]


_EMPTY_FOLDER = "an empty path names no folder (give . for the current folder)"
_EMPTY_FILE = "an empty path names no file"  # . names none either: no hint of it
_EMPTY_NAME = "an empty name names no template, folder or version (give . for the current folder)"


@pytest.mark.parametrize(
    ("argv", "refused"),
    [
        (["build", "--output", ""], f"argument --output: {_EMPTY_FOLDER}"),
        (["build", "--docs", ""], f"argument --docs: {_EMPTY_FOLDER}"),
        (["build", "--spec", ""], f"argument --spec: {_EMPTY_FILE}"),
        (["check", ""], f"argument TEMPLATE: {_EMPTY_NAME}"),
        (["check", "--templates", ""], f"argument --templates: {_EMPTY_FOLDER}"),
        (["validate", ""], f"argument TEMPLATE: {_EMPTY_FILE}"),
        (["cost", "--spec", ""], f"argument --spec: {_EMPTY_FILE}"),
        (["diagram", "-o", ""], f"argument -o/--output: {_EMPTY_FILE}"),
        (["diff", "", "0.4.0"], f"argument OLD: {_EMPTY_NAME}"),
        (["diff", "--set", "NatGateways=Single", "0.4.0", ""], f"argument NEW: {_EMPTY_NAME}"),
        (["diff", "0.4.0", "0.4.0", "--templates", ""], f"argument --templates: {_EMPTY_FOLDER}"),
    ],
)
def test_an_empty_path_is_refused_not_read_as_the_current_folder(
    tmp_path, monkeypatch, capsys, argv, refused
):
    """pathlib reads "" as ".": ``build --output ""`` (``--output "$OUT"`` with the variable
    unset) wrote templates/'s version folder into the current folder, ``check ""`` and
    ``diff "" 0.4.0`` read every file there."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert errors(capsys)[-1] == f"troposphere-fargate {argv[0]}: error: {refused}"
    assert list(tmp_path.iterdir()) == []


_LOOP = (
    "Transform: AWS::LanguageExtensions\n"
    "Resources:\n"
    "  Fn::ForEach::Topics:\n"
    "    - TopicName\n"
    "    - [Success, Failure]\n"
    "    - SnsTopic${TopicName}: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref TopicName}}\n"
)
_INCLUDE = (
    "Resources:\n"
    "  Topic: {Type: AWS::SNS::Topic}\n"
    "  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/snippet.yaml}}\n"
)


# AWS::Include at the top level, in the form that takes its Location (Template Reference,
# AWS::Include transform: "Transform: Name: 'AWS::Include' Parameters: Location: ..."), and a
# snippet macro of one's own, whose output replaces the snippet.
_TOP_LEVEL_INCLUDE = (
    "Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/more.yaml}}\n"
    "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n"
)
_SNIPPET_MACRO = (
    "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
    "    Properties: {Fn::Transform: {Name: MyStringMacro, Parameters: {Value: x}}}\n"
)

# A list of macro calls, as AWS's own macro examples write them
# (aws-cloudformation/aws-cloudformation-templates, MacrosExamples/DateFunctions/
# date_example.yaml: "Fn::Transform: - Name: Date ..."): the message showed the list's Python
# text ("runs [{'Name': 'Date', 'Parameters': {...}}], [...]"), not the macro's name.
_SNIPPET_MACRO_LIST = (
    "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName:\n"
    "        Fn::Transform: [{Name: Date, Parameters: {Operation: Current}}]\n"
    "      TopicName: {Fn::Transform: [{Name: Date, Parameters: {Operation: Add}}]}\n"
)


@pytest.mark.parametrize(
    ("text", "transform"),
    [
        (_LOOP, "AWS::LanguageExtensions"),
        (_INCLUDE, "AWS::Include"),
        (_TOP_LEVEL_INCLUDE, "AWS::Include"),
        (_SNIPPET_MACRO, "MyStringMacro"),
        (_SNIPPET_MACRO_LIST, "Date"),
        # Several transforms in the Transform section (User Guide, "CloudFormation template
        # Transform section": "To declare multiple macros, use a list format"): the one that
        # leaves the template unreadable as written is named.
        (
            _LOOP.replace(
                "Transform: AWS::LanguageExtensions",
                "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]",
            ),
            "AWS::LanguageExtensions",
        ),
    ],
    ids=[
        "foreach",
        "include",
        "top-level-include",
        "snippet-macro",
        "snippet-macro-list",
        "listed-transforms",
    ],
)
def test_a_template_cloudformation_transforms_first_is_named_not_compared_as_written(
    tmp_path, capsys, text, transform
):
    """CloudFormation expands a template's transforms (Fn::ForEach of AWS::LanguageExtensions,
    Fn::Transform of AWS::Include, usable without a Transform section) before it reads it
    (User Guide, "Template macros"; Template Reference, Fn::ForEach and AWS::Include): a loop's
    resources exist only once expanded. diff printed an AttributeError traceback on a loop (a
    review), and validate counted Fn::Transform as a resource and refused the loop's
    references as unresolved."""
    template = tmp_path / "t.yaml"
    template.write_text(text)
    assert cli.main(["diff", str(template), str(template)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: t.yaml: CloudFormation runs {transform} on it before it "
        "deploys it, and diff compares templates as deployed: compare the processed templates "
        "(aws cloudformation get-template --template-stage Processed, of a stack or change set)"
    ]
    for command in ("validate", "cost"):
        assert cli.main([command, str(template)]) == 1
        assert errors(capsys) == [
            f"troposphere-fargate: error: t.yaml: CloudFormation runs {transform} on it before "
            "it checks anything, and the dry run reads templates as written: give it the "
            "processed template (aws cloudformation get-template --template-stage Processed, "
            "of a stack or change set)"
        ]


def test_a_loop_without_its_transform_is_refused_at_its_line(tmp_path, capsys):
    """Fn::ForEach needs "Transform: AWS::LanguageExtensions" (Template Reference, Fn::ForEach),
    the usual mistake with loops: without it, validate, cost and diff printed an AttributeError
    traceback (a review)."""
    template = tmp_path / "loop.yaml"
    template.write_text(_LOOP.replace("Transform: AWS::LanguageExtensions\n", ""))
    says = (
        f"troposphere-fargate: error: {template}:2:3: not a CloudFormation template: "
        "Fn::ForEach needs the template's Transform: AWS::LanguageExtensions: CloudFormation "
        "refuses it otherwise"
    )
    for command in (["validate", str(template)], ["diff", str(template), str(template)]):
        assert cli.main(command) == 1
        assert errors(capsys) == [says]


# Each command that reads a file, as given one that is not there (FILE is put in).
_READS_A_FILE = {
    "validate": ["validate", "FILE"],
    "cost": ["cost", "FILE"],
    "diff": ["diff", "FILE", str(SHIPPED / "network.yaml")],
    "check": ["check", "FILE"],
    "validate --spec": ["validate", "--spec", "FILE"],
    "cost --spec": ["cost", "--spec", "FILE"],
    "build --spec": ["build", "-q", "--spec", "FILE", "--output", "OUT"],
    "diagram --spec": ["diagram", "--spec", "FILE", "-o", "OUT/x.dot"],
}


@pytest.mark.parametrize("command", sorted(_READS_A_FILE))
def test_every_command_says_a_missing_file_in_the_same_words(tmp_path, capsys, command):
    """An audit: a missing file was "No such file or directory" in validate and cost (and
    "cannot read the spec: No such file or directory" of a --spec), "the file does not exist"
    in diff and check. One helper says it for all, with the first folder that is missing too."""
    for missing, nor in (
        (tmp_path / "missing.yaml", ""),
        (tmp_path / "gone" / "missing.yaml", f" (there is no folder {tmp_path / 'gone'})"),
        # The first folder on the way that is missing, not the last: that is the one to make.
        (tmp_path / "gone" / "deeper" / "x.yaml", f" (there is no folder {tmp_path / 'gone'})"),
    ):
        words = [
            str(missing) if w == "FILE" else w.replace("OUT", str(tmp_path / "out"))
            for w in _READS_A_FILE[command]
        ]
        assert cli.main(words) == 1
        assert errors(capsys) == [
            f"troposphere-fargate: error: {missing}: the file does not exist{nor}"
        ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", sorted(_READS_A_FILE))
def test_every_command_says_it_does_not_read_standard_input(tmp_path, capsys, monkeypatch, command):
    """A trial: ``--spec -`` (and ``validate -``), as other tools read standard input, said
    "-: the file does not exist". A file named - is read as any other."""
    monkeypatch.chdir(tmp_path)
    words = [
        w.replace("FILE", "-").replace("OUT", str(tmp_path / "out")) for w in _READS_A_FILE[command]
    ]
    assert cli.main(words) == 1
    assert errors(capsys) == [
        "troposphere-fargate: error: -: standard input is not read: give the file's path"
    ]
    assert not (tmp_path / "out").exists()


def test_diagram_from_says_it_does_not_read_standard_input(tmp_path, capsys):
    assert cli.main(["diagram", "--from", "-", "-o", str(tmp_path / "x.dot")]) == 1
    assert errors(capsys) == [
        "troposphere-fargate: error: --from -: standard input is not read: give the file's path"
    ]


def test_diagram_from_a_file_says_it_takes_a_version_or_a_folder(tmp_path, capsys, monkeypatch):
    """An audit: ``diagram --from templates/0.4.0/service.yaml`` said "no network.yaml there",
    though network.yaml is beside it: --from read the file alone, as one template."""
    monkeypatch.chdir(REPO)
    picture = tmp_path / "x.dot"
    service = f"templates/{__version__}/service.yaml"
    assert cli.main(["diagram", "--from", service, "-o", str(picture)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: --from takes a version or a folder, not a file ({service}): "
        f"--from templates/{__version__} draws the network.yaml and service.yaml beside it"
    ]
    # A file with no network.yaml and service.yaml beside it: no folder to offer.
    (tmp_path / "root.yaml").write_bytes((SHIPPED / "root.yaml").read_bytes())
    assert cli.main(["diagram", "--from", str(tmp_path / "root.yaml"), "-o", str(picture)]) == 1
    assert errors(capsys) == [
        "troposphere-fargate: error: --from takes a version or a folder, not a file "
        f"({tmp_path / 'root.yaml'})"
    ]
    assert not picture.exists()
    assert cli.main(["diagram", "--from", f"templates/{__version__}", "-o", str(picture)]) == 0


def test_diagram_from_what_is_not_there_names_what_it_takes(tmp_path, capsys, monkeypatch):
    """A newcomer's trial: ``diagram --from 0.9.9`` said "0.9.9 is neither a template, a folder
    nor a version under templates/", offering the template that --from refuses (above)."""
    monkeypatch.chdir(REPO)
    picture = tmp_path / "x.dot"
    shipped = (REPO / "templates").glob("*/manifest.json")
    versions = ", ".join(sorted(p.parent.name for p in shipped))
    for source, said in (
        ("0.9.9", f"no such folder, nor a version under templates/ (its versions: {versions})"),
        (str(tmp_path / "build"), "no such folder"),
        (
            str(tmp_path / "gone" / __version__),
            f"no such folder (there is no folder {tmp_path / 'gone'})",
        ),
    ):
        assert cli.main(["diagram", "--from", source, "-o", str(picture)]) == 1
        assert errors(capsys) == [f"troposphere-fargate: error: --from {source}: {said}"]
    assert not picture.exists()


def test_diagram_from_a_folder_whose_network_yaml_is_a_folder_says_so(tmp_path, capsys):
    """ "no network.yaml there" of a folder that holds a folder of that name left the user
    looking at ``ls`` output that lists one."""
    (tmp_path / "side" / "network.yaml").mkdir(parents=True)
    shutil.copy(SHIPPED / "service.yaml", tmp_path / "side" / "service.yaml")
    picture = tmp_path / "x.dot"
    assert cli.main(["diagram", "--from", str(tmp_path / "side"), "-o", str(picture)]) == 1
    assert errors(capsys) == [
        f"troposphere-fargate: error: --from {tmp_path / 'side'}: "
        f"{tmp_path / 'side' / 'network.yaml'} is a folder, not a template"
    ]
    assert not picture.exists()


def _help(capsys, command: str) -> str:
    """The command's --help, its words one space apart (the lines wrap at the terminal's width)."""
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_diagram_and_build_both_make_missing_folders_and_their_help_says_so(tmp_path, capsys):
    """An audit asked whether ``diagram -o /new/dir/x.svg`` should make the folders: ``build
    --output`` makes its own, with any folder above it, so diagram does as build does (and
    names them: test_diagram_makes_the_folder_it_is_told_to_write_into). Neither help said so."""
    build_help, diagram_help = (_help(capsys, command) for command in ("build", "diagram"))
    assert "made, with any folder above it, when missing" in build_help
    assert "missing folders on the way are made, as build makes its --output, and named" in (
        diagram_help
    )
    output = tmp_path / "new" / "sub"
    assert cli.main(["build", "-q", "--output", str(output), "--docs", str(tmp_path / "d")]) == 0
    assert (output / __version__ / "network.yaml").is_file()
    picture = tmp_path / "other" / "dir" / "x.dot"
    assert cli.main(["diagram", "-o", str(picture)]) == 0
    assert picture.is_file()


@pytest.mark.parametrize(
    "command", ["validate", "cost", "validate --spec", "cost --spec", "build --spec"]
)
def test_a_folder_given_for_a_file_says_what_the_command_takes(tmp_path, capsys, command):
    """A matrix audit: ``validate templates`` printed the system's "templates: Is a directory",
    which names neither what the command takes nor what is in the folder. A template folder
    with a root.yaml offers it; a spec is never offered a template."""
    words = command.split()
    spec = "--spec" in words
    what = "a spec file" if spec else "a template file"
    for folder, such in ((SHIPPED, SHIPPED / "root.yaml"), (tmp_path, None)):
        given = [*words[:1], "-q", *words[1:]] if words[0] == "build" else words
        extra = ["--output", str(tmp_path / "out")] if words[0] == "build" else []
        assert cli.main([*given, str(folder), *extra]) == 1
        offer = f": such as {such}" if such and not spec else ""
        assert errors(capsys) == [
            f"troposphere-fargate: error: {folder}: a folder, not {what}{offer}"
        ]
    assert not (tmp_path / "out").exists()


def test_no_standard_yaml_tag_on_any_kind_of_value_is_a_traceback(tmp_path):
    """A mutation review found `!!bool public` a KeyError and `!!timestamp x` an
    AttributeError, in specs and templates; a fuzz then found `!!map x` a ValueError. Every
    tag a safe loader knows, on a scalar, a list and a mapping, is read or refused in one line
    (TemplateFileError, SpecError), never a traceback."""
    import yaml

    from troposphere_fargate.cfn.yaml import TemplateFileError, read_template
    from troposphere_fargate.release.spec import SpecError, parse_spec

    tags = [t for t in yaml.SafeLoader.yaml_constructors if t and t.startswith("tag:yaml.org")]
    assert len(tags) == 12  # null, bool, int, float, binary, timestamp, omap, pairs, set, ...
    values = ["public", "", "0x", "2024-13-45", "~", ".nan", "[1]", "[[1]]", "{a: 1}", "{a: [1]}"]
    template = tmp_path / "t.yaml"
    for tag in tags:
        short = "!!" + tag.rsplit(":", 1)[1]
        for value in values:
            for text in (
                f"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {short} {value}\n",
                "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n"
                f"      TopicName: {short} {value}\n",
            ):
                template.write_text(text)
                try:
                    read_template(template)
                except TemplateFileError as refused:
                    assert "\n" not in str(refused)
            for spec in (
                f"services:\n  web:\n    port: {short} {value}\n",
                f"services:\n  web: {short} {value}\n",
                f"{short} {value}\n",
            ):
                with contextlib.suppress(SpecError):
                    parse_spec(spec, "app.yaml")
