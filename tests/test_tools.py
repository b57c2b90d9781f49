"""Tests never install software: without a tool they skip and say how to get it, and under CI
(where .ci/run installs every tool) the same absence is a failure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests import tools

TESTS = Path(__file__).resolve().parent


def test_a_missing_tool_skips_with_the_command_that_fetches_it(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        tools.require_tool("cfn-guard", None, tools.fetch_command("--guard"))
    assert str(skipped.value) == (
        "cfn-guard is not installed: run `python scripts/fetch_test_tools.py --guard`"
    )


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_under_ci_a_missing_tool_is_a_failure(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="taskcat's wheel is not installed: run"):
        tools.require_tool("taskcat's wheel", None, tools.fetch_command("--taskcat"))


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_ci_set_to_something_else_still_skips(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception):
        tools.require_tool("checkov", None, tools.fetch_command("--checkov"))


def test_a_tool_that_is_there_is_returned(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert tools.require_tool("dot", "/usr/bin/dot", "apt-get install graphviz") == Path(
        "/usr/bin/dot"
    )


def test_every_fetch_option_named_in_a_skip_reason_exists():
    script = tools.FETCH_SCRIPT.read_text()
    for option in ("--guard", "--checkov", "--taskcat"):
        assert f'"{option}"' in script, option


def test_no_test_installs_software():
    """No test module calls apt-get, npm or pip, or the fetch script's fetch_* functions."""
    for path in sorted(set(TESTS.rglob("*.py")) - {Path(__file__).resolve()}):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value not in {"apt-get", "npm", "pip"}, path
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"fetch_guard", "fetch_checkov", "fetch_taskcat"}, path


def test_the_tests_keep_lint_verdicts_in_a_folder_of_their_own_run():
    """conftest.py's pytest_configure: a build or check in a test never reads or writes the
    user's ``~/.cache/troposphere-fargate`` (verdicts, or a cfn-guard fetched there), and every
    xdist worker of one run shares the same folder."""
    import os
    import tempfile

    from troposphere_fargate.cfn.lint import CACHE_ENV, default_cache_dir

    folder = default_cache_dir()
    assert folder == Path(os.environ[CACHE_ENV])
    assert folder.parent == Path(tempfile.gettempdir())
    assert folder.name.startswith("troposphere-fargate-tests-")
    assert folder.is_dir()
