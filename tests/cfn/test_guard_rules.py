"""Which Control Tower rule files ``check`` runs (troposphere_fargate.cfn.guard_rules): a file
is left out only when its shape proves it can only skip on the templates; any other shape runs.
Read from rule text here, without cfn-guard; tests/policy/test_policy.py runs the real rules
both ways on real templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from troposphere_fargate.cfn.guard_rules import (
    _guarded_types,
    applicable_rules,
    rule_files,
    template_types,
)

# CT.ECS.PR.3's rule file as Control Tower writes it (ct-ecs-pr-3.guard, shortened): a rule for
# templates with a task definition, the same for a hook's task definition (its condition on two
# lines here, on one there), and helpers.
RULE = """\
# A comment with { a brace, and a rule x { } that is not code
let ECS_TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition"
let INPUT_DOCUMENT = this
let ROOT_USER_PATTERNS = [ 0 , "0" , "root" , /^0:.*$/ , /^root:.{0,3}$/ ]
let ecs_task_definitions = Resources.*[ Type == %ECS_TASK_DEFINITION_TYPE ]

rule ecs_task_definition_nonroot_user_check when is_cfn_template(%INPUT_DOCUMENT)
                                                 %ecs_task_definitions not empty {
    check(%ecs_task_definitions.Properties)
        <<
        [CT.ECS.PR.3]: Require a user that is not root { "User": "1000" }
        >>
}

rule ecs_task_definition_nonroot_user_check when is_cfn_hook(%INPUT_DOCUMENT,
                                                 %ECS_TASK_DEFINITION_TYPE) {
    check(%INPUT_DOCUMENT.%ECS_TASK_DEFINITION_TYPE.resourceProperties)
}

rule check(ecs_task_definition) {
    %ecs_task_definition {
        ContainerDefinitions[*] {
            User exists
            User not in %ROOT_USER_PATTERNS
        }
    }
}

rule is_cfn_template(doc) {
    %doc {
        AWSTemplateFormatVersion exists or
        Resources exists
    }
}

rule is_cfn_hook(doc, RESOURCE_TYPE) {
    %doc.%RESOURCE_TYPE.resourceProperties exists
}
"""


def test_a_control_tower_rule_file_is_about_the_type_its_rules_select():
    assert _guarded_types(RULE) == {"AWS::ECS::TaskDefinition"}


def test_a_selection_of_several_types_or_a_type_written_in_place_is_read():
    several = RULE.replace(
        "Resources.*[ Type == %ECS_TASK_DEFINITION_TYPE ]",
        "Resources[\n    Type == %ECS_TASK_DEFINITION_TYPE or\n    Type == 'AWS::ECS::Service'\n]",
    )
    assert _guarded_types(several) == {"AWS::ECS::TaskDefinition", "AWS::ECS::Service"}


SHAPES_THAT_ALWAYS_RUN = {
    "a clause outside any rule": RULE + "Resources.* { Properties exists }\n",
    "a when block outside any rule": RULE + "when Resources exists { Resources.* exists }\n",
    "a rule without when": RULE + "rule other { Resources exists }\n",
    "a rule on a condition of another kind": RULE
    + "rule other when Resources exists { Resources.* exists }\n",
    "a condition with or": RULE.replace("(%INPUT_DOCUMENT)\n", "(%INPUT_DOCUMENT) or\n"),
    "a selection by another property": RULE.replace(
        "[ Type == %ECS_TASK_DEFINITION_TYPE ]", "[ Properties.Cpu exists ]"
    ),
    "a selection that is no type": RULE.replace('"AWS::ECS::TaskDefinition"', '"TaskDefinition"'),
    "a variable bound twice": RULE + 'let ECS_TASK_DEFINITION_TYPE = "AWS::S3::Bucket"\n',
    "an input that is not the document": RULE.replace(
        "let INPUT_DOCUMENT = this", "let INPUT_DOCUMENT = Resources"
    ),
    "a hook helper of another body": RULE.replace(
        "%doc.%RESOURCE_TYPE.resourceProperties exists", "%doc exists"
    ),
    "a template helper of another body": RULE.replace("Resources exists\n", "Outputs exists\n"),
    "a helper defined twice": RULE + "rule is_cfn_hook(a, b) { %a exists }\n",
    "a helper called, defined nowhere": RULE[: RULE.index("rule is_cfn_template")],
    "brackets that do not balance": RULE + "rule check2(x) { %x {\n",
    # Found by a review, each failing a bucket with cfn-guard 3.1.1 where it only skipped:
    "a type bound again with :=": RULE + 'let ECS_TASK_DEFINITION_TYPE := "AWS::S3::Bucket"\n',
    "a rule after a let on its line": RULE + "let ZZ = 1 rule bad { Resources not exists }\n",
    "a clause after a let on its line": RULE
    + "let ZZ = [ 1 ] Resources.* { Properties not exists }\n",
    "a string over two lines": RULE
    + 'let ZZ = "abc [\ndef"\nrule bad { Resources not exists }\nlet Q = "x\n]"\n',
    "a regular expression over two lines": RULE
    + "let ZZ = [ /abc\ndef/ ] rule bad { Resources not exists } #/ ]\n",
    "a document read but never bound": RULE.replace("let INPUT_DOCUMENT = this\n", ""),
    "a closing bracket of another kind": RULE.replace("User exists\n", "User exists )\n"),
}


@pytest.mark.parametrize("text", SHAPES_THAT_ALWAYS_RUN.values(), ids=SHAPES_THAT_ALWAYS_RUN)
def test_a_file_of_another_shape_always_runs(text):
    assert _guarded_types(text) is None


def test_the_types_of_a_template_are_read_wherever_they_are_named():
    loop = {
        "Fn::ForEach::Buckets": ["Name", ["A", "B"], {"Bucket${Name}": {"Type": "AWS::S3::Bucket"}}]
    }
    hook = {"AWS::ECS::TaskDefinition": {"resourceProperties": {}}}
    plain = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}
    assert template_types([loop, hook, plain]) == {
        "AWS::S3::Bucket",
        "AWS::ECS::TaskDefinition",
        "AWS::SNS::Topic",
    }


def test_only_the_files_about_a_type_no_template_names_are_left_out(tmp_path: Path):
    (tmp_path / "ecs").mkdir()
    (tmp_path / "ecs" / "task.guard").write_text(RULE)
    (tmp_path / "s3.ruleset").write_text(
        RULE.replace("AWS::ECS::TaskDefinition", "AWS::S3::Bucket")
    )
    (tmp_path / "other.guard").write_text(SHAPES_THAT_ALWAYS_RUN["a rule without when"])
    (tmp_path / "notes.txt").write_text(RULE)  # cfn-guard reads .guard and .ruleset only
    task = {"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}}
    assert applicable_rules(rule_files(tmp_path), [task]) == [
        tmp_path / "ecs" / "task.guard",
        tmp_path / "other.guard",
    ]
    bucket = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}
    assert applicable_rules(rule_files(tmp_path), [bucket]) == [
        tmp_path / "other.guard",
        tmp_path / "s3.ruleset",
    ]
    assert applicable_rules(rule_files(tmp_path / "ecs" / "task.guard"), [bucket]) == []
    assert rule_files(tmp_path / "s3.ruleset") == [tmp_path / "s3.ruleset"]
