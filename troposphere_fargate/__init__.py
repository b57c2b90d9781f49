"""troposphere_fargate: CloudFormation templates for a Fargate service without a public IP.

Each layer is a pure function from a frozen config to a ``troposphere.Template``; compose your
own templates from them, or build the whole product::

    from troposphere_fargate import NetworkConfig, ProductConfig, build_templates

    folder = build_templates(ProductConfig(network=NetworkConfig(max_azs=2)), Path("out"))

The names below are the public API, pinned by ``tests/test_public_api.py``: the configs, every
layer builder, the registry of layers, the build (render, check, lint, write), the YAML writer
and reader, cfn-lint, and the offline evaluator of what a template deploys.
"""

__version__ = "0.2.0"

from .cfn.evaluate import Deployment, ParameterError, RuleError, deployed
from .cfn.lint import Finding, lint_templates
from .cfn.yaml import YamlTypeError, from_yaml, to_yaml
from .layers import LAYERS, Layer
from .layers.catalog import catalog_template
from .layers.config import (
    ConfigError,
    NetworkConfig,
    ProductConfig,
    ServiceConfig,
)
from .layers.network import network_template
from .layers.root import WiringError, root_template
from .layers.service import service_template
from .release.build import (
    BuildError,
    LintFailed,
    build_templates,
    generate,
    render_templates,
    write_version,
)

__all__ = [
    "LAYERS",
    "BuildError",
    "ConfigError",
    "Deployment",
    "Finding",
    "Layer",
    "LintFailed",
    "NetworkConfig",
    "ParameterError",
    "ProductConfig",
    "RuleError",
    "ServiceConfig",
    "WiringError",
    "YamlTypeError",
    "__version__",
    "build_templates",
    "catalog_template",
    "deployed",
    "from_yaml",
    "generate",
    "lint_templates",
    "network_template",
    "render_templates",
    "root_template",
    "service_template",
    "to_yaml",
    "write_version",
]
