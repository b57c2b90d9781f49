"""Where the policy tools come from: cfn-guard 3 with AWS Control Tower's rules, and checkov.

cfn-guard 3 (binaries for Linux and macOS, x86_64 and arm64) and the 237 Control Tower
proactive-control rules ship inside the PyPI wheel ``cdklabs-cdk-validator-cfnguard``: its
``_jsii/`` folder holds the npm package's tarball. :func:`fetch_guard` downloads that wheel with
``pip download --no-deps`` (its declared dependencies, aws-cdk-lib and jsii, are not needed to
use the files), checks the sha256 of the wheel and of the tarball inside it, and unpacks the
tarball into a folder of its own, replaced in one rename. No Node, no npm.

Looked for, in order: ``$CFN_GUARD`` with ``$CONTROL_TOWER_GUARD_RULES``; the user's cache
(``$TROPOSPHERE_FARGATE_CACHE``, else ``~/.cache/troposphere-fargate``, its ``cfn-guard``
folder), which is where ``check`` fetches to after a plain ``pip install``; a checkout's
``.cache/cfn-guard`` (``scripts/fetch_test_tools.py``), beside this package or under the current
directory. checkov is optional: ``$CHECKOV``, a checkout's ``.cache/checkov-venv``, the
user's cache's ``checkov-venv``, or ``checkov`` on the PATH.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .lint import default_cache_dir

GUARD_DISTRIBUTION = "cdklabs-cdk-validator-cfnguard"
GUARD_DISTRIBUTION_VERSION = "0.0.62"  # cfn-guard 3.1.1, 237 Control Tower rules
GUARD_WHEEL = "cdklabs_cdk_validator_cfnguard-0.0.62-py3-none-any.whl"
GUARD_WHEEL_SHA256 = "83c9c9a086de47637611f414ca90200db97e7b8cd3c4a69475b5f81034bd4b45"
GUARD_TARBALL = "cdklabs/cdk_validator_cfnguard/_jsii/cdk-validator-cfnguard@0.0.62.jsii.tgz"
# The same bytes as `npm pack @cdklabs/cdk-validator-cfnguard@0.0.62` (measured): one package.
GUARD_TARBALL_SHA256 = "660c14562d4c79d524d0623d80d494e41797acae9da23ecb10915d7f66ada80c"
GUARD_DOWNLOAD_MB = 12

_PACKAGE_CHECKOUT = Path(__file__).resolve().parents[2]


class PolicyToolError(RuntimeError):
    """A policy tool cannot be found, fetched or verified (the message is one line)."""


def guard_binary(home: Path) -> Path:
    """The cfn-guard binary for this machine inside an unpacked package at ``home``."""
    system = {"Linux": "ubuntu", "Darwin": "macos"}.get(platform.system(), "unknown")
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(
        platform.machine().lower(), platform.machine().lower()
    )
    return home / "package" / "bin" / system / machine / "cfn-guard"


def control_tower_rules(home: Path) -> Path:
    return home / "package" / "rules" / "control-tower" / "cfn-guard"


def user_guard_home() -> Path:
    """Where ``check`` fetches cfn-guard to: the user's cache, shared by every checkout and
    installation of this package."""
    return default_cache_dir() / "cfn-guard"


def guard_homes() -> Iterator[Path]:
    """Every place a fetched cfn-guard may be, in the order they are tried."""
    yield user_guard_home()
    yield _PACKAGE_CHECKOUT / ".cache" / "cfn-guard"  # an editable install in a checkout
    yield Path.cwd() / ".cache" / "cfn-guard"  # a regular install, run from a checkout


def installed_guard(home: Path) -> Path | None:
    """The pinned cfn-guard binary at ``home``, when it and the Control Tower rules are there
    (in the pinned version); else None."""
    binary = guard_binary(home)
    try:
        package = json.loads((home / "package" / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        binary.is_file()
        and control_tower_rules(home).is_dir()
        and package.get("version") == GUARD_DISTRIBUTION_VERSION
    ):
        return binary
    return None


def find_guard() -> tuple[Path, Path] | None:
    """(cfn-guard binary, Control Tower rules folder), or None when neither the environment
    variables nor any fetched copy provide both."""
    binary, rules = os.environ.get("CFN_GUARD"), os.environ.get("CONTROL_TOWER_GUARD_RULES")
    # Set, they are the user's choice: one that names nothing is said, never replaced by a
    # copy found elsewhere (as CHECKOV is).
    wrong = [
        f"{name} is set to {value}, which is not {kind}"
        for name, value, ok, kind in (
            ("CFN_GUARD", binary, binary and Path(binary).is_file(), "a file"),
            ("CONTROL_TOWER_GUARD_RULES", rules, rules and Path(rules).is_dir(), "a folder"),
        )
        if value and not ok
    ]
    if wrong:
        raise PolicyToolError("; ".join(wrong))
    if bool(binary) != bool(rules):
        given = "CFN_GUARD" if binary else "CONTROL_TOWER_GUARD_RULES"
        other = "CONTROL_TOWER_GUARD_RULES" if binary else "CFN_GUARD"
        raise PolicyToolError(f"{given} is set without {other}: set both, or neither")
    if binary and rules:
        return Path(binary), Path(rules)
    for home in guard_homes():
        found = installed_guard(home)
        if found is not None:
            return found, control_tower_rules(home)
    return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unpack_guard(
    wheel: Path,
    home: Path,
    *,
    wheel_sha256: str = GUARD_WHEEL_SHA256,
    tarball_sha256: str = GUARD_TARBALL_SHA256,
) -> Path:
    """Verify the downloaded ``wheel`` and unpack the cfn-guard package it carries to ``home``.

    Both digests are checked before anything is unpacked; the package is unpacked beside
    ``home`` and renamed into place, so ``home`` holds either the old copy or the whole new one.
    Returns the binary for this machine.
    """
    digest = _sha256(wheel.read_bytes())
    if digest != wheel_sha256:
        raise PolicyToolError(f"{wheel.name}: sha256 {digest}, expected {wheel_sha256}")
    try:
        with zipfile.ZipFile(wheel) as archive:
            tarball = archive.read(GUARD_TARBALL)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise PolicyToolError(f"{wheel.name}: no cfn-guard package inside ({exc})") from None
    digest = _sha256(tarball)
    if digest != tarball_sha256:
        raise PolicyToolError(f"{GUARD_TARBALL}: sha256 {digest}, expected {tarball_sha256}")
    home.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{home.name}-", dir=home.parent))
    try:
        packed = staging / "package.tgz"
        packed.write_bytes(tarball)
        with tarfile.open(packed) as archive:
            # The "data" filter refuses links and paths outside the folder (Python 3.11.4+);
            # the archive's digest was verified above in any case.
            if hasattr(tarfile, "data_filter"):
                archive.extractall(staging, filter="data")
            else:  # pragma: no cover - older Python 3.11 patch releases
                archive.extractall(staging)
        packed.unlink()
        binary = guard_binary(staging)
        if not binary.is_file():
            raise PolicyToolError(
                f"{GUARD_DISTRIBUTION} {GUARD_DISTRIBUTION_VERSION} has no cfn-guard binary for "
                f"{platform.system()} {platform.machine()}"
            )
        binary.chmod(0o755)
        retired = home.with_name(f".{home.name}-retired")
        shutil.rmtree(retired, ignore_errors=True)
        if home.exists():
            home.rename(retired)
        staging.rename(home)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return guard_binary(home)


def fetch_guard(home: Path | None = None) -> Path:
    """cfn-guard and the Control Tower rules at ``home`` (default: the user's cache): already
    there, or downloaded from PyPI now (about 12 MB, both digests checked). Returns the binary."""
    home = home or user_guard_home()
    found = installed_guard(home)
    if found is not None:
        return found
    home.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".download-", dir=home.parent) as scratch:
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary", ":all:", "--dest", scratch,
            f"{GUARD_DISTRIBUTION}=={GUARD_DISTRIBUTION_VERSION}",
        ]  # fmt: skip
        result = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False
        )
        wheel = Path(scratch) / GUARD_WHEEL
        if result.returncode != 0 or not wheel.is_file():
            why = (result.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise PolicyToolError(
                f"could not download {GUARD_DISTRIBUTION}=={GUARD_DISTRIBUTION_VERSION} with "
                f"pip ({why}); {MANUAL_GUARD}"
            )
        return unpack_guard(wheel, home)


MANUAL_GUARD = (
    "or install cfn-guard 3.x yourself and set CFN_GUARD to the binary and "
    "CONTROL_TOWER_GUARD_RULES to the rules folder (rules/control-tower/cfn-guard of "
    f"{GUARD_DISTRIBUTION})"
)


def user_checkov_home() -> Path:
    """Where a user's own checkov environment is looked for after a plain ``pip install``:
    the user's cache, beside the fetched cfn-guard (``check``'s hint says how to make it)."""
    return default_cache_dir() / "checkov-venv"


def checkov_homes() -> Iterator[Path]:
    """Where checkov is looked for: a checkout's pinned one first, then the user's own."""
    yield _PACKAGE_CHECKOUT / ".cache" / "checkov-venv"
    yield Path.cwd() / ".cache" / "checkov-venv"
    yield user_checkov_home()


def find_checkov() -> Path | None:
    """checkov, when it is installed: ``$CHECKOV``, a checkout's ``.cache/checkov-venv``
    (``scripts/fetch_test_tools.py --checkov``, pinned), the user's cache's ``checkov-venv``
    (:func:`user_checkov_home`), or ``checkov`` on the PATH."""
    chosen = os.environ.get("CHECKOV")
    if chosen:
        if not Path(chosen).is_file():
            raise PolicyToolError(f"CHECKOV is set to {chosen}, which is not a file")
        return Path(chosen)
    for home in checkov_homes():
        binary = home / "bin" / "checkov"
        if binary.is_file():
            return binary
    found = shutil.which("checkov")
    return Path(found) if found else None
