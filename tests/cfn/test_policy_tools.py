"""Where ``check`` finds cfn-guard, the Control Tower rules and checkov, and how it fetches
cfn-guard from PyPI (the wheel ``cdklabs-cdk-validator-cfnguard``, both digests checked, no npm).
The download itself is ``pip download``, run by scripts/fetch_test_tools.py before the tests;
here the wheels are built in the test, so nothing is installed."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from troposphere_fargate.cfn import guard, policy_tools


def _tarball(*, binary_for_this_machine: bool = True) -> bytes:
    home = Path("unused")
    binary = policy_tools.guard_binary(home).relative_to(home)
    if not binary_for_this_machine:
        binary = binary.parent.parent / "another-machine" / binary.name
    rule = policy_tools.control_tower_rules(home).relative_to(home) / "ct.guard"
    files = {
        "package/package.json": json.dumps({"version": policy_tools.GUARD_DISTRIBUTION_VERSION}),
        str(binary): "#!/bin/sh\n",
        str(rule): "rule r { }\n",
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _wheel(path: Path, tarball: bytes) -> tuple[Path, str, str]:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(policy_tools.GUARD_TARBALL, tarball)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return path, digest, hashlib.sha256(tarball).hexdigest()


def test_the_wheel_is_unpacked_into_a_working_copy(tmp_path):
    wheel, wheel_sha, tar_sha = _wheel(tmp_path / "w.whl", _tarball())
    home = tmp_path / "cache" / "cfn-guard"
    binary = policy_tools.unpack_guard(wheel, home, wheel_sha256=wheel_sha, tarball_sha256=tar_sha)
    assert binary == policy_tools.guard_binary(home)
    assert binary.stat().st_mode & stat.S_IXUSR
    assert policy_tools.installed_guard(home) == binary
    assert sorted(p.name for p in home.parent.iterdir()) == ["cfn-guard"]  # no staging left


def test_a_wheel_with_another_digest_is_refused_and_the_old_copy_kept(tmp_path):
    tarball = _tarball()
    wheel, wheel_sha, tar_sha = _wheel(tmp_path / "w.whl", tarball)
    home = tmp_path / "cfn-guard"
    policy_tools.unpack_guard(wheel, home, wheel_sha256=wheel_sha, tarball_sha256=tar_sha)
    with pytest.raises(policy_tools.PolicyToolError, match=r"w\.whl: sha256 .*, expected 0+$"):
        policy_tools.unpack_guard(wheel, home, wheel_sha256="0" * 64, tarball_sha256=tar_sha)
    with pytest.raises(policy_tools.PolicyToolError, match=r"jsii\.tgz: sha256"):
        policy_tools.unpack_guard(wheel, home, wheel_sha256=wheel_sha, tarball_sha256="0" * 64)
    assert policy_tools.installed_guard(home) is not None


def test_the_pinned_wheel_is_the_pinned_npm_package():
    """The tarball inside the wheel is byte for byte `npm pack @cdklabs/cdk-validator-cfnguard`
    of the same version (measured when pinned): the digest the npm fetch used to check."""
    assert policy_tools.GUARD_TARBALL_SHA256 == (
        "660c14562d4c79d524d0623d80d494e41797acae9da23ecb10915d7f66ada80c"
    )
    assert policy_tools.GUARD_DISTRIBUTION_VERSION in policy_tools.GUARD_WHEEL
    assert policy_tools.GUARD_DISTRIBUTION_VERSION in policy_tools.GUARD_TARBALL


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """No checkout beside the package (a regular install), an empty current directory and an
    empty user cache."""
    monkeypatch.setattr(policy_tools, "_PACKAGE_CHECKOUT", tmp_path / "site-packages")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TROPOSPHERE_FARGATE_CACHE", str(tmp_path / "user-cache"))
    for name in ("CFN_GUARD", "CONTROL_TOWER_GUARD_RULES", "CHECKOV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    return tmp_path


def _install(home: Path, tmp_path: Path) -> Path:
    wheel, wheel_sha, tar_sha = _wheel(tmp_path / f"{home.parent.name}.whl", _tarball())
    return policy_tools.unpack_guard(wheel, home, wheel_sha256=wheel_sha, tarball_sha256=tar_sha)


def test_after_a_regular_install_nothing_is_found_and_the_hint_says_check_fetches(nowhere):
    assert policy_tools.find_guard() is None
    with pytest.raises(guard.PolicyToolMissing, match="`troposphere-fargate check` fetches"):
        guard.find_cfn_guard()


def test_a_copy_fetched_into_the_user_cache_is_found_from_anywhere(nowhere):
    binary = _install(nowhere / "user-cache" / "cfn-guard", nowhere)
    assert policy_tools.find_guard() == (
        binary,
        policy_tools.control_tower_rules(nowhere / "user-cache" / "cfn-guard"),
    )


def test_a_copy_fetched_into_the_checkout_is_found_from_the_checkout(nowhere):
    """The README's install is a regular one: the package does not know the checkout, so the
    checkout's .cache/ is looked for under the current directory."""
    binary = _install(nowhere / ".cache" / "cfn-guard", nowhere)
    assert guard.find_cfn_guard() == binary


def test_check_without_fetching_says_how_to_get_the_tools(nowhere, capsys):
    from troposphere_fargate import cli

    (nowhere / "t.yaml").write_text("Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    assert cli.main(["check", "--no-fetch", "t.yaml"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "not installed; run `check` without --no-fetch to fetch them from PyPI" in line


def test_checkov_is_optional_but_a_wrong_setting_is_an_error(nowhere, monkeypatch):
    assert policy_tools.find_checkov() is None
    program = nowhere / "bin" / "checkov"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    assert policy_tools.find_checkov() == program
    monkeypatch.setenv("CHECKOV", str(nowhere / "missing"))
    with pytest.raises(policy_tools.PolicyToolError, match=r"CHECKOV is set to .*not a file"):
        policy_tools.find_checkov()


def test_the_hint_s_checkov_environment_is_where_check_finds_it(nowhere):
    """After a plain pip install the hint said to run a checkout's script: it now names a
    virtual environment in the user's cache, which find_checkov looks in."""
    from troposphere_fargate.release.checks import no_checkov

    home = nowhere / "user-cache" / "checkov-venv"
    hint = no_checkov()
    assert f"`python -m venv {home} && {home}/bin/pip install checkov`" in hint
    assert policy_tools.find_checkov() is None
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "checkov").write_text("#!/bin/sh\n")
    assert policy_tools.find_checkov() == home / "bin" / "checkov"


def test_a_guard_that_skips_a_file_is_an_error_not_a_pass(tmp_path):
    """cfn-guard silently skips extensions it does not know; the copies it is given always have
    one it reads, and a file missing from its report is an error."""
    silent = tmp_path / "cfn-guard"
    silent.write_text("#!/bin/sh\nexit 0\n")
    silent.chmod(0o755)
    template = tmp_path / "t.cfn"
    template.write_text("Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    with pytest.raises(RuntimeError, match=f"cfn-guard did not check {re.escape(str(template))}$"):
        guard.run_guard(guard.POLICY_DIR, [template], silent)


def test_a_guard_setting_that_names_nothing_is_an_error_not_ignored(nowhere, monkeypatch, capsys):
    """A newcomer's trial: CFN_GUARD and CONTROL_TOWER_GUARD_RULES set to missing paths were
    passed over for the cached copy, silently; CHECKOV set so is an error."""
    from troposphere_fargate import cli

    monkeypatch.setenv("CFN_GUARD", str(nowhere / "missing"))
    monkeypatch.setenv("CONTROL_TOWER_GUARD_RULES", str(nowhere / "rules"))
    with pytest.raises(policy_tools.PolicyToolError) as wrong:
        policy_tools.find_guard()
    assert str(wrong.value) == (
        f"CFN_GUARD is set to {nowhere / 'missing'}, which is not a file; "
        f"CONTROL_TOWER_GUARD_RULES is set to {nowhere / 'rules'}, which is not a folder"
    )
    (nowhere / "t.yaml").write_text("Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    assert cli.main(["check", "t.yaml"]) == 1
    assert "CFN_GUARD is set to" in capsys.readouterr().err
    monkeypatch.delenv("CONTROL_TOWER_GUARD_RULES")
    (nowhere / "missing").write_text("")
    with pytest.raises(policy_tools.PolicyToolError, match="set both, or neither"):
        policy_tools.find_guard()


@pytest.mark.parametrize(
    ("first_line", "runs_it"),
    [
        (f"#!{sys.executable}", True),
        ("#!/usr/bin/env python3", False),  # which Python that is depends on PATH
        (f"#!{sys.executable} -E", False),  # its options would be lost
        ("#!/bin/sh", False),  # a wrapper: run as it is
        ("#!/nowhere/bin/python3", False),  # a moved virtual environment's: run as it is
        (f"{sys.executable}", False),  # no #!: not a script
        ("\x7fELF", False),  # a binary
    ],
)
def test_checkov_runs_in_its_own_python_only_when_its_script_names_it(
    tmp_path, first_line, runs_it
):
    """``check`` runs a checkov script with its parser tables kept (see
    tests/policy/test_policy.py), in the interpreter its first line names; anything else runs
    as it is."""
    from troposphere_fargate.cfn.checkov import _interpreter

    script = tmp_path / "checkov"
    script.write_text(f"{first_line}\nprint('checkov')\n")
    assert _interpreter(script) == (Path(sys.executable) if runs_it else None)
    assert _interpreter(tmp_path / "missing") is None


def _another_version(home: Path) -> None:
    (home / "package" / "package.json").write_text(json.dumps({"version": "0.0.61"}))


def _package_json_cut_short(home: Path) -> None:
    (home / "package" / "package.json").write_text('{"version": ')


def _no_rules(home: Path) -> None:
    shutil.rmtree(policy_tools.control_tower_rules(home))


def _no_binary(home: Path) -> None:
    policy_tools.guard_binary(home).unlink()


@pytest.mark.parametrize(
    "damage", [_another_version, _package_json_cut_short, _no_rules, _no_binary]
)
def test_a_copy_not_the_pinned_one_whole_is_not_installed(tmp_path, damage):
    """Such a copy is not used: fetch_guard fetches the pinned one over it."""
    home = tmp_path / "cfn-guard"
    assert policy_tools.installed_guard(home) is None  # nothing there
    _install(home, tmp_path)
    assert policy_tools.installed_guard(home) == policy_tools.guard_binary(home)
    damage(home)
    assert policy_tools.installed_guard(home) is None


def test_unpacking_again_replaces_the_old_copy_whole(tmp_path):
    home = tmp_path / "cache" / "cfn-guard"
    _install(home, tmp_path)
    (home / "left-over").write_text("from the old copy")
    binary = _install(home, tmp_path)
    assert policy_tools.installed_guard(home) == binary
    assert not (home / "left-over").exists()
    assert sorted(p.name for p in home.parent.iterdir()) == ["cfn-guard"]


def test_a_package_without_a_binary_for_this_machine_is_refused(tmp_path):
    tarball = _tarball(binary_for_this_machine=False)
    wheel, wheel_sha, tar_sha = _wheel(tmp_path / "w.whl", tarball)
    home = tmp_path / "cache" / "cfn-guard"
    with pytest.raises(policy_tools.PolicyToolError, match="has no cfn-guard binary for "):
        policy_tools.unpack_guard(wheel, home, wheel_sha256=wheel_sha, tarball_sha256=tar_sha)
    assert list(home.parent.iterdir()) == []  # nothing half unpacked left


def test_check_says_when_pip_leaves_no_wheel_to_unpack(nowhere, monkeypatch, capsys):
    """check fetches cfn-guard with ``pip download`` when no copy is found: a pip that exits 0
    without the wheel (here a fake one, nothing is downloaded) is an error naming the
    distribution, with how to install it by hand, not a traceback."""
    from troposphere_fargate import cli

    def quiet_pip(command, **kwargs):
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(policy_tools.subprocess, "run", quiet_pip)
    (nowhere / "t.yaml").write_text("Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    assert cli.main(["check", "t.yaml"]) == 1
    err = capsys.readouterr().err
    assert (
        f"could not download {policy_tools.GUARD_DISTRIBUTION}=="
        f"{policy_tools.GUARD_DISTRIBUTION_VERSION} with pip (no wheel); or install"
    ) in err
    assert policy_tools.find_guard() is None


def test_a_copy_fetched_into_the_checkout_beside_the_package_is_found(nowhere):
    """An editable install: the checkout's .cache/ beside the package, from any folder."""
    home = nowhere / "site-packages" / ".cache" / "cfn-guard"
    binary = _install(home, nowhere)
    assert policy_tools.find_guard() == (binary, policy_tools.control_tower_rules(home))


def test_a_guard_setting_of_the_wrong_kind_is_an_error(nowhere, monkeypatch):
    """CFN_GUARD names a file (the binary), CONTROL_TOWER_GUARD_RULES a folder; the other way
    round (one swapped for the other) is said, not run."""
    folder, file = nowhere / "rules", nowhere / "cfn-guard"
    folder.mkdir()
    file.write_text("")
    monkeypatch.setenv("CFN_GUARD", str(folder))
    monkeypatch.setenv("CONTROL_TOWER_GUARD_RULES", str(file))
    with pytest.raises(policy_tools.PolicyToolError) as wrong:
        policy_tools.find_guard()
    assert str(wrong.value) == (
        f"CFN_GUARD is set to {folder}, which is not a file; "
        f"CONTROL_TOWER_GUARD_RULES is set to {file}, which is not a folder"
    )
    monkeypatch.setenv("CFN_GUARD", str(file))
    monkeypatch.setenv("CONTROL_TOWER_GUARD_RULES", str(folder))
    assert policy_tools.find_guard() == (file, folder)
    monkeypatch.delenv("CONTROL_TOWER_GUARD_RULES")
    with pytest.raises(policy_tools.PolicyToolError) as one:
        policy_tools.find_guard()
    assert str(one.value) == (
        "CFN_GUARD is set without CONTROL_TOWER_GUARD_RULES: set both, or neither"
    )
    monkeypatch.setenv("CONTROL_TOWER_GUARD_RULES", str(folder))
    monkeypatch.delenv("CFN_GUARD")
    with pytest.raises(policy_tools.PolicyToolError) as other:
        policy_tools.find_guard()
    assert str(other.value) == (
        "CONTROL_TOWER_GUARD_RULES is set without CFN_GUARD: set both, or neither"
    )
