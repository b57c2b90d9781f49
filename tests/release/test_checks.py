"""``check``'s gates run together (``check_templates``), with a fake cfn-guard and a fake checkov
that print reports in their tools' form (see tests/cfn/test_guard.py and test_checkov.py):
which gate ran on what, which gate takes suppressions, and what the report holds. cfn-lint
and the YAML 1.1 reading are the real ones. tests/policy/test_policy.py runs the real tools."""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

from troposphere_fargate.cfn import policy_tools
from troposphere_fargate.cfn.guard import POLICY_DIR
from troposphere_fargate.release import checks

# A cfn-guard that fails the resource Bucket of each template it is given: our own rules
# (POLICY_DIR) with own_rule, any other rules folder with ct_rule.
FAKE_GUARD = f"""#!{sys.executable}
import json, sys
args = sys.argv
rules = args[args.index("--rules") + 1]
rule = "own_rule" if rules == {str(POLICY_DIR)!r} else "ct_rule"
failure = {{"Rule": {{"name": rule, "checks": [{{"Clause": {{"Unary": {{"check": {{"UnResolved":
    {{"value": {{"traversed_to": {{"path": "/Resources/Bucket/Properties"}}}}}}}},
    "messages": {{"custom_message": rule + " says so."}}}}}}}}]}}}}
data = [args[i + 1] for i, a in enumerate(args) if a == "--data"]
print(json.dumps([{{"name": name, "metadata": {{}}, "status": "FAIL", "not_compliant": [failure],
    "not_applicable": [], "compliant": []}} for name in data]))
sys.exit(19)
"""

# A checkov that fails CKV_AWS_18 on the resource Bucket of each file it is given.
FAKE_CHECKOV = f"""#!{sys.executable}
import json, sys
args = sys.argv
files = [args[i + 1] for i, a in enumerate(args) if a == "-f"]
print(json.dumps({{"check_type": "cloudformation", "results": {{"failed_checks": [
    {{"check_id": "CKV_AWS_18", "check_name": "logging", "check_result": {{"result": "FAILED"}},
      "resource": "AWS::S3::Bucket.Bucket", "file_abs_path": f, "file_line_range": [5, 9]}}
    for f in files], "skipped_checks": [], "parsing_errors": []}}}}))
"""

# Both rules suppressed on Bucket, with a reason: only the Control Tower gate takes it.
TEMPLATE = """Parameters:
  Unused:
    Type: String
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      guard:
        SuppressedRules: [ct_rule, own_rule]
        Reasons: {ct_rule: a reason, own_rule: a reason}
    Properties:
      Tags: [{Key: Public, Value: yes}]
"""


@pytest.fixture
def fake_tools(tmp_path, monkeypatch):
    """cfn-guard, its Control Tower rules folder and checkov, faked."""
    tools = tmp_path / "tools"
    (tools / "control-tower").mkdir(parents=True)
    # A rule file of a shape check always runs (troposphere_fargate.cfn.guard_rules).
    (tools / "control-tower" / "ct.guard").write_text("rule ct_rule { Resources exists }\n")
    for name, text in (("cfn-guard", FAKE_GUARD), ("checkov", FAKE_CHECKOV)):
        (tools / name).write_text(text)
        (tools / name).chmod(0o755)
    monkeypatch.setenv("CFN_GUARD", str(tools / "cfn-guard"))
    monkeypatch.setenv("CONTROL_TOWER_GUARD_RULES", str(tools / "control-tower"))
    monkeypatch.setenv("CHECKOV", str(tools / "checkov"))
    return tools


def test_each_gate_runs_on_every_template_and_only_control_tower_takes_suppressions(
    tmp_path, fake_tools
):
    yaml_template = tmp_path / "t.yaml"
    yaml_template.write_text(TEMPLATE)
    json_template = tmp_path / "j.json"
    json_template.write_text(
        json.dumps({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}, indent=1)
    )
    report = checks.check_templates([yaml_template, json_template], fetch=False)
    found = {
        gate: [(v.template, v.rule, v.resource, v.suppressed_because) for v in violations]
        for gate, violations in report.violations.items()
    }
    assert found == {
        checks.CONTROL_TOWER: [
            ("j.json", "ct_rule", "Bucket", None),
            ("t.yaml", "ct_rule", "Bucket", "a reason"),
        ],
        checks.OWN_RULES: [
            ("j.json", "own_rule", "Bucket", None),
            ("t.yaml", "own_rule", "Bucket", None),
        ],
        checks.CHECKOV: [
            ("j.json", "CKV_AWS_18", "Bucket", None),
            ("t.yaml", "CKV_AWS_18", "Bucket", None),
        ],
    }
    assert report.not_run == {}
    # cfn-lint's W2001 (an unused parameter); the tag value yes, true to YAML 1.1; a JSON
    # template is typed by its quotes, so not read for misread scalars at all.
    assert [(f.filename, f.rule) for f in report.lint] == [("t.yaml", "W2001")]
    assert {name: [m.text for m in found] for name, found in report.misread.items()} == {
        "t.yaml": ["yes"]
    }
    assert report.transformed == {}
    assert report.failed


def test_without_checkov_its_gate_is_reported_not_run(tmp_path, fake_tools, monkeypatch):
    monkeypatch.setattr(policy_tools, "find_checkov", lambda: None)
    template = tmp_path / "t.json"
    template.write_text(json.dumps({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}))
    report = checks.check_templates([template], fetch=False)
    assert sorted(report.violations) == [checks.CONTROL_TOWER, checks.OWN_RULES]
    assert report.not_run == {checks.CHECKOV: checks.no_checkov()}
    assert report.misread == {} and report.transformed == {}


def test_a_control_tower_folder_without_rules_is_an_error_not_a_pass(tmp_path, fake_tools):
    """cfn-guard 3.1.1 given a folder without rule files reports every template as SKIP, exit
    code 0: a CONTROL_TOWER_GUARD_RULES that names the wrong folder would pass everything."""
    (fake_tools / "control-tower" / "ct.guard").unlink()
    (fake_tools / "control-tower" / "README.md").write_text("not a rule file\n")
    template = tmp_path / "t.yaml"
    template.write_text(TEMPLATE)
    with pytest.raises(policy_tools.PolicyToolError) as error:
        checks.check_templates([template], fetch=False)
    assert str(error.value) == (
        f"{fake_tools / 'control-tower'} holds no cfn-guard rule files (*.guard, *.ruleset): "
        "the Control Tower gate would check nothing"
    )


def test_a_guard_that_fails_stops_the_check_with_its_first_line(tmp_path, fake_tools):
    (fake_tools / "cfn-guard").write_text(
        f"#!{sys.executable}\nimport sys\n"
        "print('Error: the first line\\nthe second line', file=sys.stderr)\nsys.exit(5)\n"
    )
    template = tmp_path / "t.yaml"
    template.write_text(TEMPLATE)
    with pytest.raises(checks.CheckError) as error:
        checks.check_templates([template], fetch=False)
    assert str(error.value) == "cfn-guard failed (5): Error: the first line"


def test_a_folder_s_templates_are_its_files_of_a_template_extension_in_any_case(tmp_path):
    """``B.YAML`` is a template as ``a.yaml`` is (the copies the gates read are renamed, see
    guard.staged); a folder named ``old.yaml`` inside is not a file, and ``manifest.json`` is
    the release's manifest."""
    for name in ("a.yaml", "B.YAML", "c.Json", "d.template", "e.yml", "notes.txt", "manifest.json"):
        (tmp_path / name).write_text("Resources: {}\n")
    (tmp_path / "old.yaml").mkdir()
    found = checks.template_paths([str(tmp_path)], tmp_path / "templates")
    assert [p.name for p in found] == ["B.YAML", "a.yaml", "c.Json", "d.template", "e.yml"]


def test_a_name_of_neither_a_file_nor_a_folder_is_said(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(
        checks.CheckError, match=f"^{re.escape(str(fifo))}: neither a template file nor a folder$"
    ):
        checks.template_paths([str(fifo)], tmp_path / "templates")


def test_check_reuses_the_verdict_cfn_lint_gave_on_the_same_text_unless_told_not_to(
    tmp_path, fake_tools, monkeypatch
):
    """A build (lint_templates_cached, as build runs it) keeps cfn-lint's verdict on each
    template's exact text; check on the same text takes that verdict instead of linting again,
    keeps its own for the next run, and lints again when the text changed or with
    lint_cache=False. The other gates run every time (the fakes answer each run)."""
    from troposphere_fargate.cfn import lint

    monkeypatch.setenv("TROPOSPHERE_FARGATE_CACHE", str(tmp_path / "cache"))
    template = tmp_path / "t.yaml"
    template.write_text(TEMPLATE)
    built, linted = lint.lint_templates_cached({"t.yaml": TEMPLATE})
    assert [(f.filename, f.rule) for f in built] == [("t.yaml", "W2001")] and linted == ["t.yaml"]

    real = lint.lint_templates
    asked: list[list[str]] = []

    def counted(templates, *args, **kwargs):
        asked.append(sorted(templates))
        return real(templates, *args, **kwargs)

    monkeypatch.setattr(lint, "lint_templates", counted)
    monkeypatch.setattr(checks, "lint_templates", counted)
    report = checks.check_templates([template], fetch=False)
    assert report.lint == built and asked == []  # the build's verdict
    assert sorted(report.violations) == [checks.CHECKOV, checks.CONTROL_TOWER, checks.OWN_RULES]

    assert checks.check_templates([template], fetch=False, lint_cache=False).lint == built
    assert asked == [["t.yaml"]]

    template.write_text(TEMPLATE.replace("  Unused:", "  Other:"))
    (finding,) = checks.check_templates([template], fetch=False).lint
    assert (finding.rule, "Other" in finding.message) == ("W2001", True)
    assert asked == [["t.yaml"], ["t.yaml"]]
    (kept,) = checks.check_templates([template], fetch=False).lint  # kept by check itself
    assert kept == finding and len(asked) == 2


def test_check_no_lint_cache_is_passed_on(tmp_path, monkeypatch):
    from troposphere_fargate import cli

    seen: dict[str, object] = {}

    def check_templates(paths, **kwargs):
        seen.update(kwargs)
        raise checks.CheckError("stop here")

    monkeypatch.setattr(checks, "check_templates", check_templates)
    template = tmp_path / "t.yaml"
    template.write_text(TEMPLATE)
    assert cli.main(["check", str(template)]) != 0
    assert seen["lint_cache"] is True
    assert cli.main(["check", "--no-lint-cache", str(template)]) != 0
    assert seen["lint_cache"] is False


PARENT = """Resources:
  Stack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
      Parameters:
        Other: x
Outputs:
  A:
    Value: !GetAtt Stack.Outputs.Foo
  B:
    Value: !GetAtt Stack.Outputs.Bar
"""

CHILD = """Parameters:
  Name:
    Type: String
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Ref Name
Outputs:
  Foo:
    Value: !Ref Topic
"""


def test_check_lints_a_parent_with_its_local_nested_template_as_the_command_does(
    tmp_path, fake_tools, monkeypatch
):
    """cfn-lint reads a nested stack's template named by a relative TemplateURL when it is
    given the parent's file (rules E3043 and E6101 in the `cfn-lint` command): check gives it
    the file, and never keeps or takes that verdict by the parent's text alone, which does not
    say what the child holds. (Inside the current folder only: cfn-lint reads no other.)"""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TROPOSPHERE_FARGATE_CACHE", str(tmp_path / "cache"))
    parent, child = tmp_path / "parent.yaml", tmp_path / "child.yaml"
    parent.write_text(PARENT)
    child.write_text(CHILD)

    def parent_findings() -> list[tuple[int, str]]:
        report = checks.check_templates([parent, child], fetch=False)
        return [(f.line, f.rule) for f in report.lint if f.filename == "parent.yaml"]

    assert parent_findings() == [  # the `cfn-lint` command's, read
        (2, "I3011"),
        (2, "I3011"),
        (5, "W3002"),
        (6, "E3043"),  # Name is not given
        (7, "E3043"),  # Other is not the child's
        (12, "E6101"),  # the child has no output Bar
    ]
    child.write_text(
        CHILD.replace("  Name:\n", "  Other:\n").replace("!Ref Name", "!Ref Other")
        + "  Bar:\n    Value: !Ref Topic\n"
    )
    assert parent_findings() == [(2, "I3011"), (2, "I3011"), (5, "W3002")]
