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


def test_templates_linted_together_keep_their_own_answers_about_their_conditions(tmp_path):
    """The answers are remembered per template: two templates whose conditions have the same
    names but compare another value (b.yaml), or another parameter (c.yaml), each get the
    cfn-lint command's findings when one process lints them one after the other."""
    text = CONDITIONAL.read_text()
    paths = [tmp_path / name for name in ("a.yaml", "b.yaml", "c.yaml")]
    paths[0].write_text(text)
    paths[1].write_text(
        text.replace('IsBig: !Equals [!Ref Port, "70000"]', 'IsBig: !Equals [!Ref Port, "80"]')
    )
    paths[2].write_text(
        text.replace("!Ref Port", "!Ref Size").replace(
            "Parameters:\n  Port:", "Parameters:\n  Size:"
        )
    )
    expected = command_findings(*paths)
    assert [(name, rule) for name, _, _, rule, _ in expected] == [
        ("a.yaml", "W1030"),
        ("a.yaml", "W1028"),
        ("b.yaml", "W1030"),
        ("b.yaml", "W1028"),
        ("c.yaml", "W1030"),
        ("c.yaml", "W1028"),
    ]
    found = lint_templates({p.name: p.read_text() for p in paths}, jobs=1)
    assert sorted((f.filename, f.line, f.column, f.rule, f.message) for f in found) == expected


def test_regions_given_override_those_the_template_names():
    def portfolio(regions: list[str]) -> str:
        return (
            f"Metadata:\n  cfn-lint:\n    config:\n      regions: {regions}\n"
            "Resources:\n  P:\n    Type: AWS::ServiceCatalog::Portfolio\n"
            "    Properties: {DisplayName: p, ProviderName: p}\n"
        )

    # Service Catalog is in eu-west-1, not in mx-central-1 (E3006).
    (finding,) = lint_templates({"t.yaml": portfolio(["eu-west-1"])}, regions=["mx-central-1"])
    assert finding.rule == "E3006" and "'mx-central-1'" in finding.message
    assert lint_templates({"t.yaml": portfolio(["mx-central-1"])}, regions=["eu-west-1"]) == []


def test_lint_leaves_the_garbage_collector_as_it_found_it():
    """Paused while cfn-lint runs, on again after (a library user's process would otherwise
    never collect a cycle again), and left off where the caller had turned it off."""
    import gc

    text = (SHIPPED / "bucket.yaml").read_text()
    assert gc.isenabled()
    lint_templates({"bucket.yaml": text}, jobs=1)
    assert gc.isenabled()
    gc.disable()
    try:
        lint_templates({"bucket.yaml": text}, jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_jobs_is_a_whole_number_of_processes_at_least_one():
    # Refused before cfn-lint loads: 0 linted with every CPU, True with one.
    with pytest.raises(ValueError, match=r"a number of processes, at least 1, not 0"):
        lint_templates({"a.yaml": "x"}, jobs=0)
    with pytest.raises(TypeError, match=r"takes a whole number, or None, not True"):
        lint_templates({"a.yaml": "x"}, jobs=True)


def test_a_template_that_is_not_yaml_is_a_finding_not_a_pass():
    (finding,) = lint_templates({"bad.yaml": "Resources: [\n"}, jobs=1)
    assert (finding.filename, finding.rule) == ("bad.yaml", "E0000"), finding
