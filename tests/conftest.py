"""Shared fixtures: templates rendered the way the build renders them."""

from __future__ import annotations

from typing import Any

import pytest

from troposphere_fargate.config import NetworkConfig, ServiceConfig
from troposphere_fargate.network import network_template
from troposphere_fargate.service import service_template


@pytest.fixture(scope="session")
def network() -> dict[str, Any]:
    """The shipped network template, rendered (``to_dict`` runs troposphere's validation)."""
    return network_template(NetworkConfig()).to_dict()


@pytest.fixture(scope="session")
def service() -> dict[str, Any]:
    """The shipped service template, rendered."""
    return service_template(ServiceConfig()).to_dict()
