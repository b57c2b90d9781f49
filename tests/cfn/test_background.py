"""Commands run in the background (``check``'s gates side by side)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from troposphere_fargate.cfn import guard as policy
from troposphere_fargate.cfn.background import Background
from troposphere_fargate.release import checks
from troposphere_fargate.release.checks import CHECKOV, CONTROL_TOWER, OWN_RULES, check_templates


def test_a_command_with_a_large_report_finishes_before_anyone_reads_it():
    """Output goes to files: through a pipe nobody reads yet, the command would stop at 64 KB
    and wait, and ``check``'s gates would run one after the other after all."""
    with Background([sys.executable, "-c", "print('x' * 300_000)"]) as running:
        deadline = time.monotonic() + 30
        while running._process is not None and running._process.poll() is None:
            assert time.monotonic() < deadline, "the command waited for a reader"
            time.sleep(0.05)
        result = running.wait()
    assert result.returncode == 0 and len(result.stdout) == 300_001 and result.stderr == ""


def test_a_command_nobody_waits_for_is_stopped():
    with Background([sys.executable, "-c", "import time; time.sleep(60)"]) as running:
        process = running._process
    assert process is not None and process.returncode is not None  # killed and reaped
    with pytest.raises(RuntimeError, match="stopped or waited for already"):
        running.wait()


# Each fake gate says it is running, then waits for the others: run one after the other, the
# first would wait in vain and fail.
_RENDEZVOUS = """
import json, pathlib, sys, time
here = pathlib.Path({folder!r})
(here / {me!r}).touch()  # markers in a folder of their own, not beside the fakes
deadline = time.monotonic() + 30
while not all((here / other).exists() for other in {others!r}):
    if time.monotonic() > deadline:
        sys.exit("{me} ran alone: the gates did not run side by side")
    time.sleep(0.05)
"""
_GUARD = """
data = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--data"]
for name in data:
    print(json.dumps({"name": name, "status": "PASS", "not_compliant": []}))
"""
_CHECKOV = """
print(json.dumps({"results": {"failed_checks": [], "skipped_checks": []}}))
"""


def _fake(path: Path, me: str, others: list[str], body: str) -> Path:
    markers = path.parent.parent / "running"
    markers.mkdir(exist_ok=True)
    code = _RENDEZVOUS.format(folder=str(markers), me=me, others=others) + body
    path.write_text(f"#!{sys.executable}\n{code}")
    path.chmod(0o755)
    return path


@pytest.mark.lint
def test_check_runs_its_gates_side_by_side(tmp_path, monkeypatch):
    tools = tmp_path / "tools"
    tools.mkdir()
    guard = _fake(tools / "cfn-guard", "guard", ["checkov"], _GUARD)
    checkov = _fake(tools / "checkov", "checkov", ["guard"], _CHECKOV)
    rules = tmp_path / "control-tower"
    rules.mkdir()
    (rules / "ct.guard").write_text("rule any { Resources exists }\n")  # a shape that runs
    monkeypatch.setenv("CFN_GUARD", str(guard))
    monkeypatch.setenv("CONTROL_TOWER_GUARD_RULES", str(rules))
    monkeypatch.setenv("CHECKOV", str(checkov))
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    # Each resource's line is read once for both cfn-guard runs (0.4 s each on the shipped
    # templates, after the gates).
    read: list[Path] = []
    resource_lines = policy.resource_lines

    def counted(path: Path) -> dict[str, int]:
        read.append(path)
        return resource_lines(path)

    monkeypatch.setattr(checks, "resource_lines", counted)
    monkeypatch.setattr(policy, "resource_lines", counted)
    report = check_templates([template], fetch=False)
    assert report.lint == []
    assert report.violations == {CONTROL_TOWER: [], OWN_RULES: [], CHECKOV: []}
    assert read == [template]
