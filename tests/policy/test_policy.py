"""Policy gates on every template we ship: AWS Control Tower's guard rules, checkov, and our
own guard rules (each tested with ``cfn-guard test``); and the ``check`` command."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import tools
from tests.support import EXPANDED, once_per_session
from troposphere_fargate import ConfigWarning, __version__, cli
from troposphere_fargate.cfn import guard as policy
from troposphere_fargate.cfn import yaml as render
from troposphere_fargate.release.checks import CheckReport

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((REPO / "templates" / __version__).glob("*.yaml"))
RULE_TESTS = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="session")
def guard() -> Path:
    """cfn-guard 3 and the Control Tower rules, as scripts/fetch_test_tools.py put them."""
    return tools.cfn_guard()


@pytest.fixture(scope="session")
def checkov() -> Path:
    """checkov in a virtual environment of its own, as scripts/fetch_test_tools.py made it."""
    return tools.checkov()


@dataclass
class ShippedCheck:
    """``troposphere-fargate check`` run once on the shipped templates, for every test that
    reads what a gate found there: each gate took 7 to 10 s of CPU a run, and these tests ran
    cfn-guard and checkov again on the same files."""

    code: int  # the command's exit code
    out: str
    err: str
    report: CheckReport  # what check_templates returned to the command
    checkov: subprocess.CompletedProcess[str]  # checkov's own run, as it finished
    copies: dict[Path, Path]  # the staged copies checkov read, mapped back to the templates


@pytest.fixture(scope="session")
def shipped_check(guard, checkov, tmp_path_factory) -> ShippedCheck:
    return once_per_session(tmp_path_factory, "shipped-check", lambda: _check_shipped(checkov))


def _check_shipped(checkov: Path) -> ShippedCheck:
    from troposphere_fargate.cfn.checkov import report_violations
    from troposphere_fargate.release import checks

    seen: dict[str, Any] = {}
    real_check = checks.check_templates

    def check_templates(*args, **kwargs):
        seen["report"] = real_check(*args, **kwargs)
        return seen["report"]

    def checkov_violations(running, copies):  # what checks.checkov_violations does
        seen["checkov"], seen["copies"] = running.wait(), dict(copies)
        return report_violations(seen["checkov"], copies)

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        patch.setenv("CHECKOV", str(checkov))
        patch.setattr(checks, "check_templates", check_templates)
        patch.setattr(checks, "checkov_violations", checkov_violations)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["check"])
    assert "report" in seen, f"check stopped before its gates ran ({code}): {err.getvalue()}"
    return ShippedCheck(
        code, out.getvalue(), err.getvalue(), seen["report"], seen["checkov"], seen["copies"]
    )


@pytest.fixture(scope="session")
def shipped_checkov(shipped_check) -> tuple[subprocess.CompletedProcess[str], dict[Path, Path]]:
    """checkov's run on the shipped templates, offline, as ``check`` ran it: what it printed,
    and the staged copies it read mapped back to the templates (see
    troposphere_fargate.cfn.guard.staged)."""
    return shipped_check.checkov, shipped_check.copies


@pytest.fixture(scope="session")
def control_tower(shipped_check) -> list[policy.Violation]:
    """The Control Tower rules' violations in the shipped templates, as ``check`` found them
    (guard_violations on its run of the rules)."""
    return shipped_check.report.violations["control-tower"]


def test_control_tower_rules_pass_except_for_justified_suppressions(control_tower):
    assert [v for v in control_tower if not v.suppressed] == []


def test_every_suppression_has_a_reason_and_is_needed(control_tower):
    declared = set()
    for path in TEMPLATES:
        for name, resource in render.from_yaml(path.read_text())["Resources"].items():
            guard = (resource.get("Metadata") or {}).get("guard")
            if guard:
                assert sorted(guard["SuppressedRules"]) == sorted(guard["Reasons"]), name
                assert all(reason.strip() for reason in guard["Reasons"].values()), name
                declared |= {(path.name, name, rule) for rule in guard["SuppressedRules"]}
    used = {(v.template, v.resource, v.rule) for v in control_tower if v.suppressed}
    assert declared == used  # a suppression nothing needs is a stale one


def test_our_rules_pass_on_every_template(guard):
    assert policy.run_guard(policy.POLICY_DIR, TEMPLATES, guard) == []


def test_each_of_our_rules_applies_to_a_shipped_template(guard):
    # A rule that only ever SKIPs on our templates checks nothing there. Standalone ingress
    # rules on task groups are the exception: our templates write task ingress inline.
    outcomes = policy.rule_outcomes(policy.POLICY_DIR, TEMPLATES, guard)
    never_applied = sorted(rule for rule, seen in outcomes.items() if "PASS" not in seen)
    assert never_applied == ["task_ingress_rules_from_security_groups_only"]
    assert not [rule for rule, seen in outcomes.items() if "FAIL" in seen]


@pytest.mark.parametrize(
    "rule_file", sorted(policy.POLICY_DIR.glob("*.guard")), ids=lambda p: p.stem
)
def test_our_rules_pass_their_own_test_cases(guard, rule_file):
    cases = RULE_TESTS / f"{rule_file.stem}_tests.yaml"
    assert cases.is_file(), f"{rule_file.name} has no test cases"
    assert policy.run_guard_tests(rule_file, cases, guard) is None


def test_a_wrong_expectation_is_reported(guard, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- name: wrong on purpose\n"
        "  input:\n"
        "    Resources: {A: {Type: AWS::EC2::Subnet, Properties: {MapPublicIpOnLaunch: true}}}\n"
        "  expectations: {rules: {subnet_no_public_ip_on_launch: PASS}}\n"
    )
    failure = policy.run_guard_tests(
        policy.POLICY_DIR / "subnet_no_public_ip_on_launch.guard", cases, guard
    )
    assert failure is not None and "wrong on purpose" in failure


def broken_copies(tmp_path: Path) -> list[Path]:
    """The shipped network and service templates with one promise each broken."""
    network = render.from_yaml((REPO / "templates" / __version__ / "network.yaml").read_text())
    network["Resources"]["PublicSubnet1"]["Properties"]["MapPublicIpOnLaunch"] = True
    service = render.from_yaml((REPO / "templates" / __version__ / "service.yaml").read_text())
    vpc = service["Resources"]["Service"]["Properties"]["NetworkConfiguration"]
    vpc["AwsvpcConfiguration"]["AssignPublicIp"] = "ENABLED"
    paths = []
    for name, template in (("network.yaml", network), ("service.yaml", service)):
        path = tmp_path / name
        path.write_text(render.to_yaml(template))
        paths.append(path)
    return paths


def test_our_rules_catch_a_broken_promise(guard, tmp_path):
    found = {
        (v.template, v.rule)
        for v in policy.run_guard(policy.POLICY_DIR, broken_copies(tmp_path), guard)
    }
    assert found == {
        ("network.yaml", "subnet_no_public_ip_on_launch"),
        ("service.yaml", "ecs_service_no_public_ip"),
    }


def test_checkov_passes_with_commented_skips_only(shipped_checkov):
    result, copies = shipped_checkov
    # every shipped template, each once (named as check names them, from the checkout)
    assert sorted(REPO / path for path in copies.values()) == TEMPLATES
    report = json.loads(result.stdout)
    summary = report["summary"]
    assert summary["failed"] == 0, [
        c["check_id"] + " " + c["resource"] for c in report["results"]["failed_checks"]
    ]
    assert summary["parsing_errors"] == 0
    assert summary["passed"] > 0
    skipped = {
        (c["check_id"], c["resource"].split(".", 1)[1]) for c in report["results"]["skipped_checks"]
    }
    for check in report["results"]["skipped_checks"]:
        assert check["check_result"].get("suppress_comment", "").strip(), check["check_id"]
    declared = set()
    for path in TEMPLATES:
        for name, resource in render.from_yaml(path.read_text())["Resources"].items():
            for skip in ((resource.get("Metadata") or {}).get("checkov") or {}).get("skip", []):
                declared.add((skip["id"], name))
    assert declared == skipped  # every skip is used: none is stale


def test_every_checkov_skip_hides_a_failure(checkov, tmp_path):
    """checkov reports a skipped check as skipped without running it (so the test above only
    proves the check applies to the resource's type). Run on copies without the skips, every
    skipped check must fail on its resource: a skip of a check that passes is stale, and would
    hide that check failing later. The environment's load balancer and HTTPS listener skipped
    CKV_AWS_91, CKV_AWS_2 and CKV_AWS_103 although, without a service's Fn::If, they pass."""
    from troposphere_fargate.cfn.checkov import run_checkov

    declared = set()
    copies = []
    for path in TEMPLATES:
        template = render.from_yaml(path.read_text())
        for name, resource in template["Resources"].items():
            metadata = resource.get("Metadata") or {}
            for skip in (metadata.pop("checkov", None) or {}).get("skip", []):
                declared.add((path.name, name, skip["id"]))
        copies.append(tmp_path / path.name)
        copies[-1].write_text(render.to_yaml(template))
    failed = {
        (v.template, v.resource, v.rule) for v in run_checkov(copies, checkov) if not v.suppressed
    }
    assert declared - failed == set()  # skipped, yet passing without the skip: stale
    assert failed - declared == set()


def test_check_command_passes_on_the_shipped_templates(shipped_check):
    assert shipped_check.code == 0, shipped_check.err
    assert sorted(REPO / path for path in shipped_check.report.paths) == TEMPLATES
    out = shipped_check.out
    assert out.splitlines()[0].split() == [
        "template",
        "cfn-lint",
        "yaml",
        "1.1",
        "control-tower",
        "own",
        "rules",
        "checkov",
        "suppressed",
    ]
    assert {line.split()[0] for line in out.splitlines()[1:-1]} == {p.name for p in TEMPLATES}
    assert out.strip().endswith("all checks passed")


PUBLIC_BUCKET = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"


SUFFIXES = (".txt", ".cfn", ".yml", ".template")


def test_every_gate_reads_a_template_whatever_its_extension(guard, checkov, tmp_path, monkeypatch):
    """cfn-guard and checkov pick files by extension: given ``bucket.txt`` as it is, cfn-guard
    reported "all checks passed" for a bucket that fails nine Control Tower rules. One check of
    the same template under each extension (one run of each tool) finds the same in every copy.
    So does a copy that starts with a UTF-8 byte-order mark: cfn-guard 3.1.1 skipped every rule
    on such a template (with an AWSTemplateFormatVersion first) and check passed it, where YAML
    parsers such as PyYAML's drop the mark (cfn-lint found what it finds without it)."""
    from troposphere_fargate.release import checks

    monkeypatch.setenv("CHECKOV", str(checkov))
    paths = [tmp_path / "bucket.yaml"] + [tmp_path / f"other{suffix}" for suffix in SUFFIXES]
    for path in paths:
        path.write_text(PUBLIC_BUCKET)
    paths.append(tmp_path / "marked.yaml")
    paths[-1].write_bytes(b'\xef\xbb\xbfAWSTemplateFormatVersion: "2010-09-09"\n')
    paths[-1].write_text(paths[-1].read_text() + PUBLIC_BUCKET)
    # JSON takes a tab before its "{" (RFC 8259, section 2): cfn-guard failed to parse it, and
    # check stopped with its message cut short. cfn-lint reads the file as YAML first, where
    # no token starts with a tab: its E0000 is a finding of its own, at line 1.
    tabbed = tmp_path / "tabbed.json"
    tabbed.write_text('\t{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}\n')
    also = tmp_path / "tabbed.template"  # JSON by its content: staged as YAML, read as YAML
    also.write_text(tabbed.read_text())
    report = checks.check_templates([*paths, tabbed, also])
    assert report.failed
    rows = {row[0]: row[1:] for row in report.rows()}
    assert all(rows[path.name] == rows["bucket.yaml"] for path in paths), rows
    columns = report.header()[1:]
    tabbed_row = dict(zip(columns, rows["tabbed.json"], strict=True))
    assert tabbed_row.pop("cfn-lint") == "1" and tabbed_row.pop("yaml 1.1") == "-"  # not YAML
    assert tabbed_row == {
        k: v for k, v in zip(columns, rows["bucket.yaml"], strict=True) if k in tabbed_row
    }
    assert rows["tabbed.template"] == rows["tabbed.json"]
    assert [(f.filename, f.line, f.rule) for f in report.lint] == [
        ("tabbed.json", 1, "E0000"),
        ("tabbed.template", 1, "E0000"),
    ]
    counts = dict(zip(report.header()[1:], rows["bucket.yaml"], strict=True))
    assert int(counts["control-tower"]) > 0 and int(counts["checkov"]) > 0


def test_check_fails_0_1_0_for_the_account_ids_cloudformation_read_as_numbers(
    guard, tmp_path, monkeypatch, capsys
):
    """0.1.0 passed every gate it had, and failed in a real account: the gates read YAML as
    PyYAML does, CloudFormation with YAML 1.1 rules (tests/cfn/test_yaml11.py). The same
    template as JSON is typed by its quotes, so that gate has nothing to say about it."""
    from troposphere_fargate.cfn import policy_tools

    monkeypatch.setattr(policy_tools, "find_checkov", lambda: None)  # not its question
    monkeypatch.chdir(REPO)
    assert cli.main(["check", "0.1.0"]) == 1
    out, err = capsys.readouterr()
    header, *rows, last = out.splitlines()
    column = header.split().index("yaml")  # "yaml 1.1" is one column of two words
    assert {row.split()[0]: row.split()[column] for row in rows} == {
        "catalog.yaml": "0",
        "network.yaml": "0",
        "root.yaml": "0",
        "service.yaml": "6",
    }
    failures = [line for line in err.splitlines() if not line.startswith("troposphere-fargate:")]
    assert [line.split(": ", 1)[0] for line in failures] == ["yaml 1.1"] * 6
    assert failures[0].startswith(
        "yaml 1.1: service.yaml:436:18: 098369216593 is the number 9.8369216593E10 to "
        "CloudFormation (YAML 1.1) but text to cfn-lint and checkov"
    )
    assert last == "FAILED"
    as_json = tmp_path / "service.json"
    as_json.write_text(
        json.dumps(render.from_yaml((REPO / "templates/0.1.0/service.yaml").read_text()))
    )
    assert cli.main(["check", str(as_json)]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:3] == ["service.json", "0", "-"]


def test_check_runs_checkov_when_it_is_there_and_says_when_it_is_not(
    guard, checkov, tmp_path, monkeypatch, capsys
):
    from troposphere_fargate.cfn import policy_tools

    # A skip without a comment is no suppression (tests/cfn/test_checkov.py): checkov reports
    # CKV_AWS_18 skipped here, with the comment "No comment provided".
    skipped = "    Metadata: {checkov: {skip: [{id: CKV_AWS_18}]}}\n"
    (tmp_path / "bucket.yaml").write_text(PUBLIC_BUCKET + skipped)
    monkeypatch.setenv("CHECKOV", str(checkov))
    assert cli.main(["check", str(tmp_path / "bucket.yaml")]) == 1
    assert (
        "checkov: bucket.yaml:2 Bucket: CKV_AWS_18 FAILED: Ensure the S3 bucket has access "
        "logging enabled"
    ) in capsys.readouterr().err.splitlines()
    monkeypatch.setattr(policy_tools, "find_checkov", lambda: None)
    assert cli.main(["check", str(tmp_path / "bucket.yaml")]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[1].split()[-2] == "-"  # the checkov column: not run
    assert "troposphere-fargate: checkov: checkov is not installed, so it did not run" in err


def test_check_reads_a_transformed_template_and_says_it_is_not_all_checked(
    guard, tmp_path, monkeypatch, capsys
):
    """AWS::Include's Fn::Transform and AWS::LanguageExtensions' Fn::ForEach under Resources:
    cfn-lint takes both, and check refused them as resources without a Type or not a mapping
    (and cfn-guard's suppressions read the loop as a resource). It reads them now, but an audit
    found it then said "all checks passed" of resources no gate saw: a loop of two bare
    buckets, which fail five Control Tower rules written out, passed every gate. A gate never
    passes what it did not check: the template is named, with where its processed form is."""
    from troposphere_fargate.cfn import policy_tools

    monkeypatch.setattr(policy_tools, "find_checkov", lambda: None)
    paths = []
    for name in ("include.yaml", "foreach.yaml"):
        paths.append(tmp_path / name)
        paths[-1].write_text(EXPANDED[name])
    assert cli.main(["check", *map(str, paths)]) == 1
    out, err = capsys.readouterr()
    assert out.strip().endswith("FAILED")
    # No gate found anything in what is written: the failure is what they could not read.
    assert "FAILED:" not in err and "cfn-lint:" not in err
    not_all = [line for line in err.splitlines() if line.startswith("not all checked: ")]
    assert not_all == [
        f"not all checked: {name}: CloudFormation runs {transforms} on it first, and not every "
        "gate reads the resources that makes (cfn-guard reads the template as written): check "
        "the processed template (aws cloudformation get-template --template-stage Processed, of "
        "a stack or change set)"
        for name, transforms in (
            ("include.yaml", "AWS::Include"),
            ("foreach.yaml", "AWS::LanguageExtensions"),
        )
    ]


def test_a_checkov_skip_counts_as_suppressed_with_its_comment(shipped_checkov):
    from troposphere_fargate.cfn.checkov import report_violations

    found = report_violations(*shipped_checkov)
    assert found and all(v.suppressed for v in found)
    declared = {
        (path.name, name, skip["id"]): skip["comment"]
        for path in TEMPLATES
        for name, resource in render.from_yaml(path.read_text())["Resources"].items()
        for skip in ((resource.get("Metadata") or {}).get("checkov") or {}).get("skip", [])
    }
    assert {(v.template, v.resource, v.rule): v.suppressed_because for v in found} == declared


SERVICE = REPO / "templates" / __version__ / "service.yaml"


def test_a_suppression_without_a_reason_does_not_count(guard, tmp_path):
    template = render.from_yaml(SERVICE.read_text())
    template["Resources"]["LoadBalancer"]["Metadata"]["guard"]["Reasons"] = {
        "elbv2_deletion_protection_enabled_check": "  "
    }
    path = tmp_path / "service.yaml"
    path.write_text(render.to_yaml(template))
    # The control's own rule file (CT.ELB.PR.5): the other 236 take 4 s a run, and what they
    # find on the shipped templates is another test's question
    # (test_control_tower_rules_pass_except_for_justified_suppressions).
    ct_elb_pr_5 = policy.find_control_tower_rules() / "elasticloadbalancing"
    ct_elb_pr_5 /= "ct-elasticloadbalancing-pr-5.guard"
    assert "rule elbv2_deletion_protection_enabled_check" in ct_elb_pr_5.read_text()
    found = policy.run_guard(ct_elb_pr_5, [path], guard)
    failed = [(v.resource, v.rule) for v in found if not v.suppressed]
    assert failed == [("LoadBalancer", "elbv2_deletion_protection_enabled_check")]
    assert [v.suppressed for v in policy.run_guard(ct_elb_pr_5, [SERVICE], guard)] == [True]


@pytest.mark.parametrize(
    "metadata",
    [
        "x",  # another tool's guard key, a string
        "[a, b]",
        "{SuppressedRules: [s3_bucket_logging_enabled_check], Reasons: [because]}",
        "{SuppressedRules: [[s3_bucket_logging_enabled_check]]}",
        "{SuppressedRules: s3_bucket_logging_enabled_check, "
        "Reasons: {s3_bucket_logging_enabled_check: because}}",
        "{SuppressedRules: [s3_bucket_logging_enabled_check], "
        "Reasons: {s3_bucket_logging_enabled_check: null}}",
    ],
)
def test_a_guard_key_of_another_shape_suppresses_nothing(guard, tmp_path, metadata):
    """Another's template may hold anything under Metadata.guard: it raised AttributeError or
    TypeError ('str' object has no attribute 'get', unhashable type: 'list'), and a null
    reason counted as the reason "None". CloudFormation reads no shape there:
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-metadata.html
    "By adding a Metadata attribute to a resource, you can add data in JSON or YAML to the
    resource declaration." and "AWS CloudFormation doesn't validate the syntax within the
    metadata attribute." """
    path = tmp_path / "bucket.yaml"
    path.write_text(
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"
        f"    Metadata:\n      guard: {metadata}\n"
    )
    found = policy.run_guard(policy.find_control_tower_rules(), [path], guard)
    assert ("Bucket", "s3_bucket_logging_enabled_check", False) in {
        (v.resource, v.rule, v.suppressed) for v in found
    }
    assert not any(v.suppressed for v in found)


@pytest.mark.parametrize("properties", ["", "    Properties: {}\n"])
def test_a_log_group_that_never_expires_is_told_why(guard, tmp_path, properties):
    """A log group without Properties (ecs-refarch and container-patterns templates declare
    one so) failed log_groups_expire with no message: cfn-guard stopped at the missing
    Properties before the check that carries it. Every property of a log group is optional,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html
    RetentionInDays: "The number of days log events are kept in CloudWatch Logs. [...]
    Required: No" (each other property: "Required: No" too)."""
    path = tmp_path / "logs.yaml"
    path.write_text(
        "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: Retain\n"
        f"    UpdateReplacePolicy: Retain\n{properties}"
    )
    found = policy.run_guard(policy.POLICY_DIR, [path], guard, suppressible=False)
    assert [(v.resource, v.rule, v.message) for v in found] == [
        ("Logs", "log_groups_expire", "A log group must set RetentionInDays.")
    ]


def test_our_own_rules_cannot_be_suppressed(guard, tmp_path):
    network, _ = broken_copies(tmp_path)
    template = render.from_yaml(network.read_text())
    template["Resources"]["PublicSubnet1"]["Metadata"] = {
        "guard": {
            "SuppressedRules": ["subnet_no_public_ip_on_launch"],
            "Reasons": {"subnet_no_public_ip_on_launch": "because I said so"},
        }
    }
    network.write_text(render.to_yaml(template))
    found = policy.run_guard(policy.POLICY_DIR, [network], guard, suppressible=False)
    assert [(v.rule, v.suppressed) for v in found] == [("subnet_no_public_ip_on_launch", False)]


def test_our_rules_read_a_short_form_get_att_as_cfn_guard_does(guard, tmp_path):
    """cfn-guard reads ``!GetAtt TaskSecurityGroup.GroupId`` as the dotted text, not as a list
    (the CloudFormation long form takes it too: "Fn::GetAtt can be passed a string argument not
    only in YAML, but in JSON CloudFormation templates as well", aws/aws-cdk pull request
    #10546): our rules that name a group or a route table by its logical ID read either
    spelling. Before, a task group opened to a CIDR by a rule written this way, and a private
    route table's default route to the internet gateway, passed `check`."""
    template = tmp_path / "mine.yaml"
    template.write_text(
        "Resources:\n"
        "  TaskIngress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n"
        "      GroupId: !GetAtt TaskSecurityGroup.GroupId\n"
        "      IpProtocol: tcp\n      FromPort: 8080\n      ToPort: 8080\n"
        "      CidrIp: 10.0.0.0/8\n"
        "  PrivateDefault:\n    Type: AWS::EC2::Route\n    Properties:\n"
        "      RouteTableId: !GetAtt PrivateRouteTable.RouteTableId\n"
        "      DestinationCidrBlock: 0.0.0.0/0\n      GatewayId: igw-0123456789abcdef0\n",
        encoding="utf-8",
    )
    found = policy.run_guard(policy.POLICY_DIR, [template], guard, suppressible=False)
    assert sorted((v.resource, v.rule) for v in found) == [
        ("PrivateDefault", "private_default_route_via_nat"),
        ("TaskIngress", "task_ingress_rules_from_security_groups_only"),
    ]


def _line_of(path: Path, resource: str) -> int:
    """The line of a resource's logical ID in a template we wrote (two spaces in)."""
    return path.read_text().splitlines().index(f"  {resource}:") + 1


def test_check_command_fails_and_names_what_broke(guard, tmp_path, capsys, monkeypatch):
    """Each failure names the resource's line and says the rule's own words: it gave the
    rule's name alone, and a Control Tower rule's name is not its control ID."""
    from troposphere_fargate.cfn import policy_tools
    from troposphere_fargate.release import checks

    monkeypatch.setattr(policy_tools, "find_checkov", lambda: None)  # not its question
    # Nor is cfn-lint's verdict (10 s of CPU on these two copies): how check tells its findings
    # is tested in tests/test_cli.py, and its lint of the shipped templates in
    # test_check_command_passes_on_the_shipped_templates.
    monkeypatch.setattr(checks, "_lint", lambda texts, beside, cache: [])
    network, service = broken_copies(tmp_path)
    assert cli.main(["check", str(network), str(service)]) == 1
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert (
        f"own rules: service.yaml:{_line_of(service, 'Service')} Service: "
        "ecs_service_no_public_ip FAILED: An ECS service on awsvpc networking must set "
        "AssignPublicIp to DISABLED: tasks live in private subnets and reach out through NAT "
        "gateways or VPC endpoints."
    ) in err
    subnet = f"network.yaml:{_line_of(network, 'PublicSubnet1')} PublicSubnet1"
    assert any(
        line.startswith(f"own rules: {subnet}: subnet_no_public_ip_on_launch FAILED: ")
        for line in err
    )
    assert any(
        line.startswith(
            f"control-tower: {subnet}: subnet_auto_assign_public_ip_disabled_check FAILED: "
            "[CT.EC2.PR.11]: "
        )
        and "[FIX]: " in line
        for line in err
    )
    assert captured.out.strip().endswith("FAILED")


def test_rules_ship_with_the_package():
    setup = (REPO / "setup.cfg").read_text()
    assert "policies/*.guard" in setup
    assert sorted(p.stem for p in policy.POLICY_DIR.glob("*.guard")) == sorted(
        p.name.removesuffix("_tests.yaml") for p in RULE_TESTS.glob("*_tests.yaml")
    )
    assert sys.version_info >= (3, 11)


def test_checkov_sees_a_spec_that_grants_the_task_role_everything(checkov, tmp_path):
    """The application's inline policy sat inside If(ExecuteCommandEnabled, ...), which
    checkov cannot judge: a spec granting iam:* and s3:* on "*" passed `check`."""
    from troposphere_fargate.cfn.checkov import run_checkov
    from troposphere_fargate.release.build import generate
    from troposphere_fargate.release.spec import parse_spec

    spec = (
        "services:\n  web:\n    port: 8080\n    task_role:\n      statements:\n"
        "        - actions: ['iam:*', 's3:*']\n          resources: ['*']\n"
    )
    with pytest.warns(ConfigWarning, match="iam_inline_policy_no_statements_with_full_access"):
        (tmp_path / "service.yaml").write_text(generate(parse_spec(spec))["service.yaml"])
    # As check runs it (test_checkov_run_as_check_runs_it_finds_what_its_script_finds).
    found = run_checkov([tmp_path / "service.yaml"], checkov)
    failed = {(v.rule, v.resource) for v in found if not v.suppressed}
    # CKV_AWS_109/110/111: permissions management, privilege escalation, write without
    # constraints, each on the task role's "*".
    assert {"CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111"} <= {check for check, _ in failed}
    assert {resource for _, resource in failed} == {"TaskRole"}


def test_control_tower_checks_each_containers_user(guard, tmp_path):
    """CT.ECS.PR.3 (``ecs_task_definition_nonroot_user_check``) wants a non-root User on every
    container: the application's always names ContainerUser, a sidecar its spec's ``user``.
    Only a sidecar without one needs the suppression; a sidecar forced to root fails."""
    from troposphere_fargate.release.build import generate
    from troposphere_fargate.release.spec import parse_spec

    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:2"
    rule = "ecs_task_definition_nonroot_user_check"
    # The control's own rule file: the other 236 take 4 s a run and say nothing of users.
    ct_ecs_pr_3 = policy.find_control_tower_rules() / "ecs" / "ct-ecs-pr-3.guard"
    assert rule in ct_ecs_pr_3.read_text()

    def violations(sidecar: str, edit=None) -> list[tuple[str, bool]]:
        spec = f"services:\n  web:\n    sidecars:\n      - {{{sidecar}}}\n"
        template = render.from_yaml(generate(parse_spec(spec))["service.yaml"])
        if edit:
            edit(template)
        path = tmp_path / "service.yaml"
        path.write_text(render.to_yaml(template))
        found = policy.run_guard(ct_ecs_pr_3, [path], guard)
        return [(v.resource, v.suppressed) for v in found if v.rule == rule]

    assert violations(f"name: agent, image: {image}") == [("TaskDefinition", True)]
    assert violations(f"name: agent, image: {image}, user: '10001'") == []

    def make_root(template):
        definitions = template["Resources"]["TaskDefinition"]["Properties"]
        definitions["ContainerDefinitions"][1]["User"] = "0:0"

    assert violations(f"name: agent, image: {image}, user: '10001'", make_root) == [
        ("TaskDefinition", False)
    ]


def test_check_passes_on_what_the_spec_examples_build(
    guard, checkov, tmp_path, capsys, monkeypatch
):
    """The gates ran on the shipped templates only: a spec's build (sidecars, a worker on a
    queue, a domain, internal services, schedules: the two examples of docs/spec.md use every
    key) is what users deploy. Each of its templates passes every gate, with reasoned
    suppressions only."""
    import warnings

    from troposphere_fargate.release.build import generate, write_version
    from troposphere_fargate.release.spec import (
        ENVIRONMENT_EXAMPLE_SPEC,
        EXAMPLE_SPEC,
        parse_spec,
    )

    monkeypatch.setenv("CHECKOV", str(checkov))
    built = {}
    for name, spec in (("one", EXAMPLE_SPEC), ("environment", ENVIRONMENT_EXAMPLE_SPEC)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConfigWarning)  # the examples show every key
            built[name] = write_version(tmp_path / name, generate(parse_spec(spec)))
    # The report names templates by file name: the environment's build, and the one service's
    # template (the rest of its build is the shipped product's, with other defaults).
    one = built["one"] / "service.yaml"
    assert cli.main(["check", str(built["environment"]), str(one)]) == 0
    out = capsys.readouterr().out
    names = {line.split()[0] for line in out.splitlines()[1:-1]}
    assert {"service.yaml", "service-web.yaml", "service-worker.yaml", "environment.yaml"} <= names
    assert out.strip().endswith("all checks passed")


def _per_rule_file_report(guard, rules, copies):
    """cfn-guard's report as ``check`` read it before ``--structured``: a document per template
    and rule file, back to back."""
    from troposphere_fargate.cfn.background import Background

    command = [str(guard), "validate", "--rules", str(rules)]
    for copy in copies:
        command += ["--data", str(copy)]
    return Background([*command, "--show-summary", "none", "--output-format", "json"])


@pytest.mark.parametrize("rules", ["control-tower", "own"])
def test_guard_reports_each_template_once_with_what_each_rule_file_found(guard, tmp_path, rules):
    """``--structured`` (cfn-guard 3, "Combined the output using `--structured` flag to a
    merged array, all the related rules will show up as children of a single parent object
    per data template passed as the input":
    https://github.com/aws-cloudformation/cloudformation-guard/pull/360) gives a document per
    template instead of one per template and rule file, in half the time for the 237 Control
    Tower rules. The same failures, messages and lines, suppressed or not, as the report per
    rule file, and the same rules passed and skipped."""
    folder = REPO / "templates" / __version__
    public = tmp_path / "public.yaml"
    public.write_text(PUBLIC_BUCKET)
    templates = [folder / "bucket.yaml", folder / "network.yaml", public]
    rule_folder = (
        policy.find_control_tower_rules() if rules == "control-tower" else policy.POLICY_DIR
    )
    with policy.staged(templates) as copies:
        with policy.start_guard(rule_folder, copies, guard) as running:
            structured = policy._documents(running, copies)
        with _per_rule_file_report(guard, rule_folder, copies) as running:
            per_rule_file = policy._documents(running, copies)
        # What guard_violations reads from each report (one run of each, not two).
        found = policy._violations(structured, copies)
        assert policy._violations(per_rule_file, copies) == found
    assert len(structured) == len(templates)  # one document each, not one per rule file
    assert any(not v.suppressed for v in found) and any(v.line for v in found)
    for document in structured:
        mine = [d for d in per_rule_file if d["name"] == document["name"]]
        for key in ("not_compliant", "compliant", "not_applicable"):
            dumped = sorted(json.dumps(item, sort_keys=True) for d in mine for item in d[key])
            assert sorted(json.dumps(item, sort_keys=True) for item in document[key]) == dumped


def test_checkov_builds_its_jsonpath_parser_tables_once(checkov, tmp_path):
    """checkov's JSONPaths (bc_jsonpath_ng) had ply build the same LALR tables for each one,
    142 times on the shipped templates (4.2 of checkov's 8.4 s). Run as ``check`` runs it, the
    tables are built once and read back from ply's own cache (``picklefile``: ply reads them
    only when the grammar's signature is the one they were built from). A stand-in for
    checkov's script, run by checkov's interpreter, parses three paths with checkov's parser
    and counts the tables ply builds."""
    from troposphere_fargate.cfn.checkov import _interpreter, start_checkov

    interpreter = _interpreter(checkov)
    assert interpreter is not None, f"{checkov} is not a Python script"
    script = tmp_path / "bin" / "checkov"
    script.parent.mkdir()
    script.write_text(
        f"#!{interpreter}\n"
        "import json, ply.yacc\n"
        "built, build = [], ply.yacc.LRGeneratedTable.__init__\n"
        "def counted(self, *args, **kwargs):\n"
        "    built.append(1)\n"
        "    build(self, *args, **kwargs)\n"
        "ply.yacc.LRGeneratedTable.__init__ = counted\n"
        "from bc_jsonpath_ng.ext import parse\n"
        "paths = ['Resources.Bucket.Properties', 'Statement[0].Resource', 'a.b[*].c']\n"
        "parsed = [str(parse(p)) for p in paths]\n"
        "print(json.dumps({'built': len(built), 'parsed': parsed}))\n"
    )
    script.chmod(0o755)
    template = tmp_path / "t.yaml"
    template.write_text(PUBLIC_BUCKET)
    with policy.staged([template]) as copies, start_checkov(copies, script) as running:
        result = running.wait()
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["built"] == 1 and len(report["parsed"]) == 3, report


def test_checkov_run_as_check_runs_it_finds_what_its_script_finds(checkov, tmp_path):
    """The same failures and skips, with their lines, names and comments, as checkov's own
    script run as it is (``check`` runs that script in checkov's interpreter, with ply's parser
    tables kept for the run: see the test above)."""
    from troposphere_fargate.cfn.background import Background
    from troposphere_fargate.cfn.checkov import _OFFLINE, report_violations, start_checkov

    public = tmp_path / "public.yaml"
    public.write_text(PUBLIC_BUCKET)
    folder = REPO / "templates" / __version__
    templates = [folder / "bucket.yaml", folder / "network.yaml", public]
    with policy.staged(templates) as copies:
        with start_checkov(copies, checkov) as running:
            assert running.command[0] != str(checkov)  # its interpreter, not the script
            found = report_violations(running.wait(), copies)
        command = [str(checkov), *running.command[running.command.index(str(checkov)) + 1 :]]
        env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
        with Background(command, env={**env, **_OFFLINE}) as running:
            assert report_violations(running.wait(), copies) == found
    assert any(not v.suppressed for v in found) and any(v.suppressed for v in found)


def test_every_control_tower_rule_file_is_one_check_can_leave_out_where_it_only_skips():
    """Each of the 237 files has the shape troposphere_fargate.cfn.guard_rules reads (else it
    would always run, and check would not be faster for it)."""
    from troposphere_fargate.cfn.guard_rules import _guarded_types, rule_files

    folder = policy.find_control_tower_rules()
    files = rule_files(folder)
    assert len(files) == 237
    assert [path.name for path in files if _guarded_types(path.read_text()) is None] == []
    ct_ecs_pr_3 = _guarded_types((folder / "ecs" / "ct-ecs-pr-3.guard").read_text())
    assert ct_ecs_pr_3 == {"AWS::ECS::TaskDefinition"}


def test_the_rule_files_check_leaves_out_find_nothing_the_others_do_not(guard, tmp_path):
    """The violations of all 237 files and of those check runs are the same, on a template
    that passes, one that fails nine rules and one whose buckets are in an Fn::ForEach loop;
    most files are left out."""
    from troposphere_fargate.cfn.guard_rules import applicable_rules, rule_files
    from troposphere_fargate.cfn.yaml import read_template

    (tmp_path / "bucket.yaml").write_text(PUBLIC_BUCKET)
    (tmp_path / "foreach.yaml").write_text(EXPANDED["foreach.yaml"])
    paths = [REPO / "templates" / __version__ / "network.yaml", *sorted(tmp_path.iterdir())]
    folder = policy.find_control_tower_rules()
    every = policy.run_guard(folder, paths, guard)
    selected = applicable_rules(rule_files(folder), [read_template(path) for path in paths])
    with policy.staged(paths) as copies, policy.start_guard(selected, copies, guard) as running:
        assert policy.guard_violations(running, copies) == every
    # cfn-guard reads the loop as written, either way: check says so (not all checked).
    assert {v.template for v in every if not v.suppressed} == {"bucket.yaml"}
    assert len(selected) < len(rule_files(folder)) / 4


def test_a_template_no_control_tower_rule_is_about_passes_that_gate_with_nothing_run(
    guard, tmp_path, monkeypatch, capsys
):
    """No rule file is about a wait condition handle: cfn-guard is not started for them (it
    refuses a run without rules), and the gate has nothing to report; the other gates run."""
    from troposphere_fargate.cfn import policy_tools
    from troposphere_fargate.cfn.guard_rules import applicable_rules, rule_files

    monkeypatch.setattr(policy_tools, "find_checkov", lambda: None)  # not its question
    handle = tmp_path / "handle.yaml"
    handle.write_text("Resources:\n  Handle:\n    Type: AWS::CloudFormation::WaitConditionHandle\n")
    assert (
        applicable_rules(
            rule_files(policy.find_control_tower_rules()), [render.from_yaml(handle.read_text())]
        )
        == []
    )
    assert cli.main(["check", str(handle)]) == 0
    _, row, last = capsys.readouterr().out.splitlines()
    assert row.split()[:5] == ["handle.yaml", "0", "0", "0", "0"]  # lint, 1.1, CT, own rules
    assert last == "all checks passed (checkov not run)"
