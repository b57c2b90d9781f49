"""The build's in-process cfn-lint gives the same findings as the cfn-lint command, with the
build's shortcuts (satisfiability answers remembered per template, forked workers) on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from troposphere_fargate import __version__
from troposphere_fargate.cfn.lint import INCLUDE_CHECKS, lint_templates

pytestmark = pytest.mark.lint

HERE = Path(__file__).resolve().parent
# A template whose findings depend on which conditions can hold with which parameter values:
# Port resolves to 70000 only where IsBig holds (W1030 on Group, none on Other, whose Ref is in
# the branch where Port cannot be 70000), and an Fn::If branch no stack can take (W1028).
CONDITIONAL = HERE / "conditions_and_values.yaml"
SHIPPED = HERE.parents[1] / "templates" / __version__


def command_findings(*paths: Path) -> list[tuple[str, int, int, str, str]]:
    """The cfn-lint command's own findings (a separate process: none of the build's shortcuts)."""
    command = shutil.which("cfn-lint", path=str(Path(sys.executable).parent))
    assert command, "cfn-lint is installed with the package"
    checks = ",".join(INCLUDE_CHECKS)
    result = subprocess.run(
        [command, "-c", checks, "--format", "parseable", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = []
    for line in result.stdout.splitlines():
        path, line_number, column, _, _, rule, message = line.split(":", 6)
        found.append((Path(path).name, int(line_number), int(column), rule, message))
    return sorted(found)


def build_findings(*paths: Path) -> list[tuple[str, int, int, str, str]]:
    findings = lint_templates({p.name: p.read_text() for p in paths})
    return sorted((f.filename, f.line, f.column, f.rule, f.message) for f in findings)


def test_findings_that_depend_on_conditions_are_the_commands():
    expected = command_findings(CONDITIONAL)
    assert [(rule, line) for _, line, _, rule, _ in expected] == [("W1030", 6), ("W1028", 35)]
    assert "Resources/Group/Properties/Port" in expected[0][4]  # not Other's
    assert build_findings(CONDITIONAL) == expected


def test_a_shipped_template_with_conditions_is_clean_both_ways():
    assert (
        command_findings(SHIPPED / "network.yaml") == [] == build_findings(SHIPPED / "network.yaml")
    )


def test_regions_may_be_one_string_and_an_unknown_one_is_a_lint_error():
    from troposphere_fargate.cfn.lint import LintError

    text = (SHIPPED / "bucket.yaml").read_text()
    # A string was iterated character by character ("Regions ['t', 'e', ...]").
    assert lint_templates({"bucket.yaml": text}, regions="eu-west-1") == []
    with pytest.raises(LintError, match="cfn-lint knows no region mars-1"):
        lint_templates({"bucket.yaml": text}, regions=["eu-west-1", "mars-1"])
