"""The ``troposphere-fargate`` command as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import misspelt_dns_support
from troposphere_fargate import __version__, cli
from troposphere_fargate.layers import LAYERS
from troposphere_fargate.layers.root import WiringError
from troposphere_fargate.release import build
from troposphere_fargate.release.build import MANIFEST

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "troposphere_fargate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_build_writes_the_version_folder_under_output(tmp_path):
    result = run("build", "--output", str(tmp_path), "--docs", str(tmp_path / "docs"))
    assert result.returncode == 0, result.stderr
    assert "cfn-lint: 0 findings" in result.stdout
    expected = {layer.filename for layer in LAYERS} | {MANIFEST}
    assert {p.name for p in (tmp_path / __version__).iterdir()} == expected


def test_build_defaults_to_templates_in_the_current_directory(tmp_path):
    result = run("build", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / "templates" / __version__ / "network.yaml").is_file()
    assert (tmp_path / "docs" / "parameters.md").is_file()


def test_check_passes_on_the_committed_templates():
    result = run(
        "build", "--check", "--output", str(REPO / "templates"), "--docs", str(REPO / "docs")
    )
    assert result.returncode == 0, result.stderr
    assert "match the code" in result.stdout


def test_check_names_the_files_that_differ_and_writes_nothing(tmp_path):
    folder = tmp_path / __version__
    folder.mkdir()
    (folder / "network.yaml").write_text("stale")
    result = run("build", "--check", "--output", str(tmp_path), "--docs", str(REPO / "docs"))
    assert result.returncode == 1
    expected = sorted([*(layer.filename for layer in LAYERS), MANIFEST])
    assert f"differing files: {', '.join(expected)}" in result.stderr
    rebuild = f"troposphere-fargate build --output {tmp_path} --docs {REPO / 'docs'}"
    assert f"Run `{rebuild}` and commit the result." in result.stderr
    assert (folder / "network.yaml").read_text() == "stale"
    assert sorted(p.name for p in folder.iterdir()) == ["network.yaml"]


def test_check_of_a_spec_build_not_built_yet_says_so_and_how_to_build_it(tmp_path):
    spec = tmp_path / "app.yaml"
    spec.write_text("services:\n  web: {port: 8080}\n")
    result = run("build", "--check", "--spec", str(spec), "--output", str(tmp_path / "build"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'build' / __version__} is not built yet",
        f"Run `troposphere-fargate build --spec {spec} --output {tmp_path / 'build'}` and commit "
        "the result.",
    ]
    assert not (tmp_path / "build").exists()
    assert result.stdout == ""  # said before any lint (no cfn-lint summary): no lint can pass it


def test_lint_findings_fail_the_build_and_leave_previous_files_untouched(
    tmp_path, monkeypatch, capsys
):
    docs = ["--docs", str(tmp_path / "docs")]
    assert cli.main(["build", "--quiet", "--output", str(tmp_path), *docs]) == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / __version__).iterdir()}

    monkeypatch.setattr(build, "render_templates", misspelt_dns_support(build.render_templates))
    assert cli.main(["build", "--output", str(tmp_path), *docs]) == 1
    err = capsys.readouterr().err
    assert "network.yaml:" in err and "EnableDnsSuport" in err
    assert "nothing written" in err
    assert {p.name: p.read_bytes() for p in (tmp_path / __version__).iterdir()} == before
    # The findings' lines point into templates that were not written: the rendered ones are
    # left where the user can open them at those lines.
    finding = next(line for line in err.splitlines() if "EnableDnsSuport" in line)
    rendered = Path(err.split("the templates those lines are in, as rendered: ")[1].split()[0])
    line = int(finding.split(":")[1])
    assert "EnableDnsSuport" in (rendered / "network.yaml").read_text().splitlines()[line - 1]
    assert [p.name for p in rendered.iterdir()] == ["network.yaml"]
    shutil.rmtree(rendered)


def test_help_explains_every_option():
    result = run("build", "--help")
    assert result.returncode == 0
    for option in ("--output", "--check", "--quiet", "cfn-lint", "manifest.json"):
        assert option in result.stdout


def test_version_option():
    result = run("--version")
    assert result.stdout.strip() == f"troposphere-fargate {__version__}"


def test_unknown_command_is_a_usage_error():
    result = run("deploy-everything")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_unwritable_output_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("build", "--output", str(blocker / "templates"), "--docs", str(tmp_path / "d"))
    assert result.returncode == 1
    assert result.stderr.startswith("troposphere-fargate: error:")
    assert "Traceback" not in result.stderr


def test_build_script_is_a_thin_wrapper(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_templates.py"),
            "--output",
            str(tmp_path),
            "--docs",
            str(tmp_path / "docs"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / __version__ / "network.yaml").is_file()


@pytest.mark.parametrize("argv", [[], ["build", "--bogus"]])
def test_bad_arguments_exit_2(argv):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2


def _refuse_network(filename, template):
    return [build.TemplateProblem(filename, "Vpc", "why")] if filename == "network.yaml" else []


def _wiring(message):
    def render_templates(*args, **kwargs):
        raise WiringError(message)

    return render_templates


@pytest.mark.parametrize(
    ("target", "replacement", "says"),
    [
        # The shipped product's templates failing the build's own checks (no spec to name).
        ("template_problems", _refuse_network, "network.yaml: Vpc: why"),
        # Children that cannot be nested as they are.
        (
            "render_templates",
            _wiring("the service template has no output X"),
            "the service template has no output X",
        ),
        # An error without words is still an error that says something.
        ("render_templates", _wiring(""), "WiringError"),
    ],
    ids=["template-checks", "wiring", "wiring-without-words"],
)
def test_a_build_the_code_refuses_is_a_one_line_error_and_writes_nothing(
    tmp_path, monkeypatch, capsys, target, replacement, says
):
    monkeypatch.setattr(build, target, replacement)
    argv = ["build", "-q", "--output", str(tmp_path / "out"), "--docs", str(tmp_path / "docs")]
    assert cli.main(argv) == 1
    assert capsys.readouterr().err == f"troposphere-fargate: error: {says}\n"
    assert not (tmp_path / "out").exists() and not (tmp_path / "docs").exists()


def test_check_names_each_rule_failed_at_its_line_and_exits_1(tmp_path, monkeypatch, capsys):
    """How check tells what its gates found (the gates themselves, cfn-guard and checkov, are
    stood in for: their own tests are in tests/policy and tests/cfn)."""
    from troposphere_fargate.cfn.guard import Violation
    from troposphere_fargate.cfn.lint import Finding
    from troposphere_fargate.release import checks

    template = tmp_path / "t.yaml"
    template.write_text("Resources: {}\n")
    failed = Violation("t.yaml", "S3_VERSIONING", "Bucket", line=12, message="turn it on")
    kept = Violation("t.yaml", "S3_LOGGING", "Bucket", "logs go elsewhere", line=12)
    found = {"guard": [failed, kept]}
    lint = [Finding("t.yaml", 1, 1, "W1234", "a finding")]
    report = checks.CheckReport([template], lint, found, not_run={"checkov": "not installed"})
    monkeypatch.setattr(checks, "check_templates", lambda *_, **__: report)
    assert cli.main(["check", "--verbose", str(template)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[-2:] == [
        "guard: t.yaml:12 Bucket: S3_LOGGING suppressed: logs go elsewhere",
        "FAILED",
    ]
    assert err.splitlines() == [
        "cfn-lint: t.yaml:1:1: W1234 a finding",
        "guard: t.yaml:12 Bucket: S3_VERSIONING FAILED: turn it on",
        "troposphere-fargate: checkov: not installed",
    ]
    # The suppressed violation alone passes, and the line says which gate did not run.
    lint.clear()
    found["guard"].remove(failed)
    assert cli.main(["check", str(template)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "all checks passed (checkov not run)"
