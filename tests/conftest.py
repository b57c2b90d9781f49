"""Shared fixtures: templates rendered the way the build renders them, and the emulator.

Markers (registered in setup.cfg) for a fast loop, ``python -m pytest -m "not deploy and not
policy"``: every test in tests/deploy/ is ``deploy``, as is any other test that starts the
emulator (the ``moto`` fixture); every test in tests/policy/ is ``policy``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.aws import MotoServer
from troposphere_fargate.cfn.lint import CACHE_ENV
from troposphere_fargate.layers.config import NetworkConfig, ServiceConfig
from troposphere_fargate.layers.network import network_template
from troposphere_fargate.layers.service import service_template

TESTS = Path(__file__).resolve().parent
MARKED_FOLDERS = {"deploy", "policy"}  # every test in tests/<name>/ is marked <name>
_RUN_CACHE = pytest.StashKey[tuple[str, "str | None"]]()


def pytest_configure(config: pytest.Config) -> None:
    """One lint-verdict cache for the whole run, never the user's own: a test that builds or
    checks the shipped templates takes the verdicts another test of this run (in any xdist
    worker: they inherit the environment) already paid for. A verdict is kept per exact text,
    cfn-lint version and data, lint code and checks, so a shared one is the verdict a fresh
    lint gives. A test about the cache itself sets its own. Before, such tests read and wrote
    ``~/.cache/troposphere-fargate``: a verdict one run left there (or a cfn-guard fetched
    there) reached the next run."""
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller chose, and this environment has it
    folder = tempfile.mkdtemp(prefix="troposphere-fargate-tests-")
    config.stash[_RUN_CACHE] = (folder, os.environ.get(CACHE_ENV))
    os.environ[CACHE_ENV] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    if _RUN_CACHE not in config.stash:
        return
    folder, before = config.stash[_RUN_CACHE]
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before
    shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else ""
        if folder in MARKED_FOLDERS:
            item.add_marker(folder)
        elif "moto" in item.fixturenames:  # starts the emulator from another folder
            item.add_marker("deploy")


@pytest.fixture(scope="session")
def network() -> dict[str, Any]:
    """The shipped network template, rendered (``to_dict`` runs troposphere's validation)."""
    return network_template(NetworkConfig()).to_dict()


@pytest.fixture(scope="session")
def service() -> dict[str, Any]:
    """The shipped service template, rendered."""
    return service_template(ServiceConfig()).to_dict()


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """A moto server on 127.0.0.1 with a fresh backend for each test module."""
    with MotoServer(tmp_path_factory.mktemp("moto")) as server:
        yield server


@pytest.fixture
def aws_env(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """This process's environment pointed at the emulator (for boto3 used in-process)."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    env = moto.env()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
