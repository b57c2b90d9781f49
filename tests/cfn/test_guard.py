"""cfn-guard's report read into violations (``run_guard``, ``guard_violations``), from a fake
cfn-guard that prints what cfn-guard 3.1.1 prints (``validate --structured --show-summary none
--output-format json``, captured): fast, without the real tool, which
tests/policy/test_policy.py runs on real templates."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from troposphere_fargate.cfn import guard

# A rule about the template itself (``Description exists``), failed by a template without a
# Description: its checks name no resource.
TEMPLATE_LEVEL: dict[str, Any] = {
    "Rule": {
        "name": "template_has_description",
        "metadata": {},
        "messages": {"custom_message": None, "error_message": None},
        "checks": [
            {
                "Clause": {
                    "Unary": {
                        "check": {
                            "UnResolved": {
                                "value": {
                                    "traversed_to": {
                                        "path": "",
                                        "value": {
                                            "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}
                                        },
                                    },
                                    "remaining_query": "Description",
                                    "reason": "Could not find key Description inside struct "
                                    "at path [L:0,C:0]",
                                },
                                "comparison": ["Exists", False],
                            }
                        },
                        "context": " Description EXISTS  ",
                        "messages": {
                            "custom_message": "\n  A template must say what it is.\n  ",
                            "error_message": "Check was not compliant as property "
                            "[Description] is missing.",
                        },
                    }
                }
            }
        ],
    }
}


def _fake_guard(folder: Path, not_compliant: list[dict[str, Any]]) -> Path:
    """A cfn-guard that fails each template it is given with ``not_compliant``."""
    script = folder / "cfn-guard"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        "data = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == '--data']\n"
        f"failed = json.loads({json.dumps(json.dumps(not_compliant))})\n"
        "print(json.dumps([{'name': name, 'metadata': {}, 'status': 'FAIL',\n"
        "    'not_compliant': failed, 'not_applicable': [], 'compliant': []} for name in data]))\n"
        "sys.exit(19)\n"
    )
    script.chmod(0o755)
    return script


def test_a_rule_the_template_itself_fails_is_reported_not_dropped(tmp_path):
    """A failure whose checks name no resource is the template's (``resource == ""``, shown as
    ``(template)``): dropped, the gate would pass a template a rule failed."""
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    found = guard.run_guard(tmp_path, [template], _fake_guard(tmp_path, [TEMPLATE_LEVEL]))
    assert [(v.template, v.rule, v.resource, v.suppressed, v.line, v.message) for v in found] == [
        ("t.yaml", "template_has_description", "", False, None, "A template must say what it is.")
    ]


def test_a_cfn_guard_that_fails_is_an_error_naming_the_template_not_its_copy(tmp_path):
    """cfn-guard exits 0 (all pass) or 19 (a rule failed); anything else is cfn-guard failing,
    and what it said names the staged copy (``000.yaml``), which the user never wrote."""
    script = tmp_path / "cfn-guard"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "data = sys.argv[sys.argv.index('--data') + 1]\n"
        "print(f'Parser Error when parsing data file {data}', file=sys.stderr)\n"
        "sys.exit(5)\n"
    )
    script.chmod(0o755)
    template = tmp_path / "t.cfn"
    template.write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    try:
        guard.run_guard(tmp_path, [template], script)
    except RuntimeError as error:
        said = str(error)
    else:
        raise AssertionError("a cfn-guard that failed passed the template")
    assert said == f"cfn-guard failed (5): Parser Error when parsing data file {template}"


def test_no_templates_run_no_cfn_guard(tmp_path):
    script = _fake_guard(tmp_path, [TEMPLATE_LEVEL])
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.exit('cfn-guard ran')\n")
    assert guard.run_guard(tmp_path, [], script) == []


def test_a_resource_s_line_is_its_own_not_an_output_s_of_the_same_name(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(
        "Outputs:\n  Topic:\n    Value: !Ref Topic\n"
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
        "Parameters:\n  Topic:\n    Type: String\n"
    )
    assert guard.resource_lines(template) == {"Topic": 5}


def test_a_blank_message_of_a_rule_adds_nothing_to_its_words(tmp_path):
    """A rule's own words, whitespace made single, once each however many checks say them."""
    failure = json.loads(json.dumps(TEMPLATE_LEVEL))
    failure["Rule"]["messages"]["custom_message"] = "   "
    check = failure["Rule"]["checks"][0]
    failure["Rule"]["checks"] = [check, check]
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    (found,) = guard.run_guard(tmp_path, [template], _fake_guard(tmp_path, [failure]))
    assert found.message == "A template must say what it is."


def _resource_failure(rule: str, resource: str) -> dict[str, Any]:
    """A rule failing a resource's property, as cfn-guard reports it (the check's path)."""
    return {
        "Rule": {
            "name": rule,
            "metadata": {},
            "messages": {"custom_message": None, "error_message": None},
            "checks": [
                {
                    "Clause": {
                        "Unary": {
                            "check": {
                                "UnResolved": {
                                    "value": {
                                        "traversed_to": {
                                            "path": f"/Resources/{resource}/Properties",
                                            "value": {},
                                        },
                                        "remaining_query": "Setting",
                                        "reason": "Could not find key Setting",
                                    },
                                    "comparison": ["Exists", False],
                                }
                            },
                            "context": " Setting EXISTS  ",
                            "messages": {"custom_message": f"{rule} wants Setting."},
                        }
                    }
                }
            ],
        }
    }


def test_a_suppression_hides_the_rule_it_names_and_no_other(tmp_path):
    """A resource's suppression names a rule: the other rules it fails stay failures."""
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Metadata:\n      guard:\n"
        "        SuppressedRules: [rule_a]\n        Reasons: {rule_a: the reason}\n"
        "  Other:\n    Type: AWS::S3::Bucket\n"
    )
    failures = [
        _resource_failure("rule_a", "Bucket"),
        _resource_failure("rule_b", "Bucket"),
        _resource_failure("rule_a", "Other"),
    ]
    found = guard.run_guard(tmp_path, [template], _fake_guard(tmp_path, failures))
    assert [(v.resource, v.rule, v.suppressed_because, v.line) for v in found] == [
        ("Bucket", "rule_a", "the reason", 2),
        ("Other", "rule_a", None, 8),
        ("Bucket", "rule_b", None, 2),
    ]
    # Our own rules (suppressible=False) take no suppression at all.
    unsuppressible = guard.run_guard(
        tmp_path, [template], _fake_guard(tmp_path, failures), suppressible=False
    )
    assert [(v.resource, v.rule, v.suppressed) for v in unsuppressible] == [
        ("Bucket", "rule_a", False),
        ("Other", "rule_a", False),
        ("Bucket", "rule_b", False),
    ]


def test_templates_of_one_stem_are_each_checked(tmp_path):
    """Each template is staged as a copy of its own (``NNN.yaml``): copies named after the
    template (``a.yaml`` for both ``a.yaml`` and ``a.yml``) would overwrite each other, and the
    gate would pass the first template, never checked."""
    paths = [tmp_path / "a.yaml", tmp_path / "a.yml", tmp_path / "sub" / "a.yaml"]
    paths[-1].parent.mkdir()
    for path in paths:
        path.write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    found = guard.run_guard(tmp_path, paths, _fake_guard(tmp_path, [TEMPLATE_LEVEL]))
    assert sorted(v.template for v in found) == ["a.yaml", "a.yaml", "a.yml"]
    with guard.staged(paths) as copies:
        assert list(copies.values()) == paths
        assert [copy.read_text() for copy in copies] == [path.read_text() for path in paths]


def test_a_file_that_is_not_yaml_has_no_resource_lines(tmp_path):
    """resource_lines is for pointing at a line: a file it cannot read points nowhere, it
    does not stop the report."""
    broken = tmp_path / "t.yaml"
    broken.write_text("Resources: [\n")
    assert guard.resource_lines(broken) == {}
    undecodable = tmp_path / "u.yaml"
    undecodable.write_bytes(b"Resources:\n  \xff: x\n")
    assert guard.resource_lines(undecodable) == {}
    assert guard.resource_lines(tmp_path / "missing.yaml") == {}


@pytest.mark.parametrize("rules", ["{rule_a: true}", "rule_a"])
def test_suppressed_rules_not_written_as_a_list_suppress_nothing(tmp_path, rules):
    """Only a list of rule names suppresses (see guard._suppressions): a mapping of them, or one
    name alone, is another tool's or a mistake's shape, and the rule stays a failure."""
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Metadata:\n      guard:\n"
        f"        SuppressedRules: {rules}\n        Reasons: {{rule_a: the reason}}\n"
    )
    fake = _fake_guard(tmp_path, [_resource_failure("rule_a", "Bucket")])
    found = guard.run_guard(tmp_path, [template], fake)
    assert [(v.resource, v.rule, v.suppressed) for v in found] == [("Bucket", "rule_a", False)]
