#!/usr/bin/env python3
"""Fetch the tools the tests need into .cache/ (ignored by git), pinned and verified.

    python scripts/fetch_test_tools.py [--guard] [--checkov] [--taskcat]   (default: all)

- cfn-guard 3.1.1 and AWS Control Tower's 237 proactive-control rules, from the npm package
  @cdklabs/cdk-validator-cfnguard 0.0.62 (``npm pack``; its sha256 is checked before it is
  unpacked), into .cache/cfn-guard/.
- checkov, in a virtual environment of its own (.cache/checkov-venv/): it pins an old boto3
  that must not meet this project's.
- taskcat's wheel (pure Python, its sha256 checked; its dependencies are not installed), whose
  ``taskcat/cfg/config_schema.json`` checks the project's ``.taskcat.yml``, into .cache/taskcat/.

Each part is skipped when already there, so running this again is cheap. The tests never run
this: they only look, with the ``installed_*`` functions (through tests/tools.py), and skip
without a tool (fail under CI). Graphviz's ``dot`` is a system package, not fetched here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / ".cache"

GUARD_PACKAGE = "@cdklabs/cdk-validator-cfnguard"
GUARD_PACKAGE_VERSION = "0.0.62"
GUARD_PACKAGE_SHA256 = "660c14562d4c79d524d0623d80d494e41797acae9da23ecb10915d7f66ada80c"
GUARD_HOME = CACHE / "cfn-guard"

TASKCAT_VERSION = "0.9.58"
TASKCAT_WHEEL = f"taskcat-{TASKCAT_VERSION}-py3-none-any.whl"
TASKCAT_SHA256 = "b6da1fa0e394a5cec55f119dd378666c1e0a7d5b925e5f4bbb6a154c1bbdadfe"
TASKCAT_HOME = CACHE / "taskcat"

CHECKOV_VERSION = "3.3.30"
CHECKOV_HOME = CACHE / "checkov-venv"
CHECKOV_CONSTRAINTS = Path(__file__).resolve().parent / "checkov-constraints.txt"


def guard_binary(home: Path = GUARD_HOME) -> Path:
    system = {"Linux": "ubuntu", "Darwin": "macos"}.get(platform.system(), "unknown")
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(
        platform.machine().lower(), platform.machine().lower()
    )
    return home / "package" / "bin" / system / machine / "cfn-guard"


def control_tower_rules(home: Path = GUARD_HOME) -> Path:
    return home / "package" / "rules" / "control-tower" / "cfn-guard"


def checkov_binary(home: Path = CHECKOV_HOME) -> Path:
    return home / "bin" / "checkov"


def _installed_guard_package() -> str | None:
    try:
        return str(json.loads((GUARD_HOME / "package" / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def installed_guard() -> Path | None:
    """The pinned cfn-guard binary, when it and the Control Tower rules are in .cache/."""
    binary = guard_binary()
    if (
        binary.is_file()
        and control_tower_rules().is_dir()
        and _installed_guard_package() == GUARD_PACKAGE_VERSION
    ):
        return binary
    return None


def fetch_guard() -> Path:
    installed = installed_guard()
    if installed is not None:
        return installed
    binary = guard_binary()
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch cfn-guard and the Control Tower rules")
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [npm, "pack", f"{GUARD_PACKAGE}@{GUARD_PACKAGE_VERSION}", "--silent"],
            cwd=scratch,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(scratch).glob("*.tgz")
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != GUARD_PACKAGE_SHA256:
            raise SystemExit(f"{tarball.name}: sha256 {digest}, expected {GUARD_PACKAGE_SHA256}")
        staging = Path(tempfile.mkdtemp(dir=CACHE if CACHE.is_dir() else None))
        try:
            with tarfile.open(tarball) as archive:
                # The "data" filter refuses links and paths outside the folder (Python 3.11.4+);
                # the archive's checksum was verified above in any case.
                if hasattr(tarfile, "data_filter"):
                    archive.extractall(staging, filter="data")
                else:
                    archive.extractall(staging)
            shutil.rmtree(GUARD_HOME, ignore_errors=True)
            GUARD_HOME.parent.mkdir(parents=True, exist_ok=True)
            staging.rename(GUARD_HOME)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    binary.chmod(0o755)
    return binary


def installed_taskcat() -> Path | None:
    """taskcat's pinned wheel, when it is in .cache/ with the expected sha256."""
    wheel = TASKCAT_HOME / TASKCAT_WHEEL
    if wheel.is_file() and hashlib.sha256(wheel.read_bytes()).hexdigest() == TASKCAT_SHA256:
        return wheel
    return None


def fetch_taskcat() -> Path:
    """taskcat's wheel, downloaded without its dependencies and verified."""
    installed = installed_taskcat()
    if installed is not None:
        return installed
    wheel = TASKCAT_HOME / TASKCAT_WHEEL
    TASKCAT_HOME.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=TASKCAT_HOME) as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", scratch,
             f"taskcat=={TASKCAT_VERSION}"],
            check=True,
        )  # fmt: skip
        downloaded = Path(scratch) / TASKCAT_WHEEL
        digest = hashlib.sha256(downloaded.read_bytes()).hexdigest()
        if digest != TASKCAT_SHA256:
            raise SystemExit(f"{TASKCAT_WHEEL}: sha256 {digest}, expected {TASKCAT_SHA256}")
        downloaded.replace(wheel)
    return wheel


def _installed_checkov() -> str | None:
    binary = checkov_binary()
    if not binary.is_file():
        return None
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return result.stdout.strip() or None


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
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    every = not (args.guard or args.checkov or args.taskcat)
    if args.guard or every:
        print(fetch_guard())
    if args.checkov or every:
        print(fetch_checkov())
    if args.taskcat or every:
        print(fetch_taskcat())
    return 0


if __name__ == "__main__":
    sys.exit(main())
