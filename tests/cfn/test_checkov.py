"""checkov's JSON report read into violations (``report_violations``), from reports written here
in the form checkov 3.3.30 prints them: fast, no checkov run (tests/policy/test_policy.py runs
the real one on real templates)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from troposphere_fargate.cfn.checkov import NO_COMMENT, report_violations


def _finished(report: Any, stderr: str = "", returncode: int = 0) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess(["checkov"], returncode, json.dumps(report), stderr)


def _record(copy: Path, check_id: str, comment: Any = None) -> dict[str, Any]:
    """One of checkov's failed or skipped checks on the resource ``Bucket`` of ``copy``."""
    result: dict[str, Any] = {"result": "FAILED" if comment is None else "SKIPPED"}
    if comment is not None:
        result["suppress_comment"] = comment
    return {
        "check_id": check_id,
        "check_name": f"the words of {check_id}",
        "check_result": result,
        "resource": "AWS::S3::Bucket.Bucket",
        "file_abs_path": str(copy),
        "file_line_range": [2, 4],
    }


@pytest.mark.parametrize("comment", [NO_COMMENT, "", "  ", 5])
def test_a_checkov_skip_without_a_comment_is_a_failure(tmp_path, comment):
    """checkov fills in a skip's missing comment with its own words, which are no reason: such a
    skip counted as suppressed, "because: No comment provided". The comment is optional to
    checkov: https://www.checkov.io/2.Basics/Suppressing%20and%20Skipping%20Policies.html
    "<suppression_comment> is an optional suppression reason to be included in the output.",
    and for a resource's Metadata.checkov.skip entry without one it reports
    https://github.com/bridgecrewio/checkov/blob/main/checkov/cloudformation/context_parser.py
    ``skip_comment = skip.get("comment", "No comment provided")`` (checkov 3.3.30, the pinned
    one, measured: a template skipping CKV_AWS_18 so reports it skipped with that comment)."""
    copy = tmp_path / "000.yaml"
    original = Path("bucket.yaml")
    report = {
        "check_type": "cloudformation",
        "results": {
            "failed_checks": [],
            "skipped_checks": [
                _record(copy, "CKV_AWS_18", comment),
                _record(copy, "CKV_AWS_21", "versions are kept elsewhere"),
            ],
        },
    }
    found = report_violations(_finished(report), {copy.resolve(): original})
    assert [(v.template, v.rule, v.resource, v.suppressed_because) for v in found] == [
        ("bucket.yaml", "CKV_AWS_18", "Bucket", None),
        ("bucket.yaml", "CKV_AWS_21", "Bucket", "versions are kept elsewhere"),
    ]


def test_a_template_checkov_cannot_parse_is_an_error_naming_it_not_its_copy(tmp_path):
    """checkov lists a file it cannot parse under parsing_errors and checks nothing in it: a
    gate never passes a file it did not check."""
    copy = tmp_path / "000.yaml"
    report = {"results": {"failed_checks": [], "skipped_checks": [], "parsing_errors": [str(copy)]}}
    with pytest.raises(RuntimeError, match=r"^checkov could not parse bucket\.yaml$"):
        report_violations(_finished(report), {copy.resolve(): Path("bucket.yaml")})


def test_checkov_s_reports_of_several_frameworks_read_as_one(tmp_path):
    copy = tmp_path / "000.yaml"
    reports = [
        {"results": {"failed_checks": [_record(copy, "CKV_AWS_18")]}},
        {"results": {"failed_checks": [_record(copy, "CKV_AWS_21")], "skipped_checks": []}},
    ]
    found = report_violations(_finished(reports), {copy.resolve(): Path("bucket.yaml")})
    assert [(v.rule, v.resource, v.line, v.suppressed) for v in found] == [
        ("CKV_AWS_18", "Bucket", 2, False),
        ("CKV_AWS_21", "Bucket", 2, False),
    ]


def test_a_checkov_that_prints_no_report_is_an_error_saying_why(tmp_path):
    said = "Traceback (most recent call last):\n  ...\nModuleNotFoundError: No module named 'x'\n"
    with pytest.raises(RuntimeError, match=r"^checkov failed: ModuleNotFoundError: No module"):
        report_violations(subprocess.CompletedProcess(["checkov"], 1, "", said), {})
    with pytest.raises(RuntimeError, match=r"^checkov failed: exit code -9$"):
        report_violations(subprocess.CompletedProcess(["checkov"], -9, "", ""), {})


def test_no_templates_run_no_checkov(tmp_path):
    from troposphere_fargate.cfn.checkov import run_checkov

    assert run_checkov([], tmp_path / "no-checkov") == []
