"""troposphere_fargate: CloudFormation templates for a Fargate service without a public IP.

Each layer is a pure function from a frozen config to a ``troposphere.Template``; compose your
own templates from them, or build the whole product::

    from pathlib import Path

    from troposphere_fargate import NetworkConfig, ProductConfig, build_templates

    folder = build_templates(ProductConfig(network=NetworkConfig(max_azs=2)), Path("out"))

The names below are the public API, pinned by ``tests/test_public_api.py``: the configs (and the
routing of a service of an environment), every layer builder, the registry of layers (and
``Child``, how the root nests one) and the layers a config builds, the application a service
carries and the spec file that describes it, the build (render, check, lint, write), the YAML
writer and reader, cfn-lint, the offline evaluator of what a template deploys, and the dry run of a
launch with its fixed cost; and the ``Literal`` types of the configs' fields that take one of a few
words (``NatGateways``, ``Exposure``...), for code that holds such a value before it builds a
config.
"""

__version__ = "0.4.0"

from typing import TYPE_CHECKING, Any

from .cfn.evaluate import Deployment, ParameterError, RuleError, deployed
from .cfn.yaml import TemplateFileError, YamlTypeError, from_yaml, read_template, to_yaml
from .errors import ConfigWarning
from .layers import LAYERS, Layer, layers_for
from .layers.application import (
    Application,
    EgressProtocol,
    EgressRule,
    HealthCheck,
    PolicyCondition,
    PolicyEffect,
    PolicyStatement,
    Secret,
    Sidecar,
    TaskRole,
)
from .layers.catalog import catalog_template
from .layers.config import (
    CapacityProvider,
    ConfigError,
    CpuArchitecture,
    EnvironmentConfig,
    LoadBalancerType,
    NatGateways,
    NetworkConfig,
    ProductConfig,
    S3EndpointAccess,
    ServiceConfig,
)
from .layers.deployment import DeploymentSettings, DeploymentStrategy
from .layers.environment import environment_template
from .layers.exposure import AppProtocol, Exposure, Routing
from .layers.health import TargetHealth
from .layers.instance import instance_template
from .layers.network import network_template
from .layers.queue_scaling import QueueScaling
from .layers.root import Child, WiringError, root_template
from .layers.schedules import ScheduledScaling
from .layers.service import service_template
from .layers.stackset import stackset_template
from .layers.template_bucket import template_bucket_template
from .release.build import (
    BuildError,
    LintFailed,
    TemplateChecksFailed,
    TemplateProblem,
    build_templates,
    generate,
    render_templates,
    write_version,
)

if TYPE_CHECKING:
    from .cfn.cost import Estimate, estimate
    from .cfn.dry_run import (
        DryRunFailed,
        Footprint,
        PlannedStack,
        describe,
        dry_run,
        footprint,
    )
    from .cfn.lint import Finding, LintError, lint_templates
    from .release.spec import SpecError, load_spec, parse_spec

# Imported on first use, so that generating templates does not pay for the dry run, the cost
# table, cfn-lint's wrapper or the spec reader (about 30 ms of a 0.3 s cold generation).
_LAZY = {
    "Estimate": "cfn.cost",
    "estimate": "cfn.cost",
    "DryRunFailed": "cfn.dry_run",
    "Footprint": "cfn.dry_run",
    "PlannedStack": "cfn.dry_run",
    "describe": "cfn.dry_run",
    "dry_run": "cfn.dry_run",
    "footprint": "cfn.dry_run",
    "Finding": "cfn.lint",
    "LintError": "cfn.lint",
    "lint_templates": "cfn.lint",
    "SpecError": "release.spec",
    "load_spec": "release.spec",
    "parse_spec": "release.spec",
}


# Defined for the interpreter only: a type checker that saw a module-level __getattr__ would
# take every name, misspelt ones included, as Any (mypy --strict passed
# `from troposphere_fargate import build_template`); the lazy names are imported above for it.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        if name in _LAZY:
            from importlib import import_module

            value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
            globals()[name] = value
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "LAYERS",
    "AppProtocol",
    "Application",
    "BuildError",
    "CapacityProvider",
    "Child",
    "ConfigError",
    "ConfigWarning",
    "CpuArchitecture",
    "Deployment",
    "DeploymentSettings",
    "DeploymentStrategy",
    "DryRunFailed",
    "EgressProtocol",
    "EgressRule",
    "EnvironmentConfig",
    "Estimate",
    "Exposure",
    "Finding",
    "Footprint",
    "HealthCheck",
    "Layer",
    "LintError",
    "LintFailed",
    "LoadBalancerType",
    "NatGateways",
    "NetworkConfig",
    "ParameterError",
    "PlannedStack",
    "PolicyCondition",
    "PolicyEffect",
    "PolicyStatement",
    "ProductConfig",
    "QueueScaling",
    "Routing",
    "RuleError",
    "S3EndpointAccess",
    "ScheduledScaling",
    "Secret",
    "ServiceConfig",
    "Sidecar",
    "SpecError",
    "TargetHealth",
    "TaskRole",
    "TemplateChecksFailed",
    "TemplateFileError",
    "TemplateProblem",
    "WiringError",
    "YamlTypeError",
    "__version__",
    "build_templates",
    "catalog_template",
    "deployed",
    "describe",
    "dry_run",
    "environment_template",
    "estimate",
    "footprint",
    "from_yaml",
    "generate",
    "instance_template",
    "layers_for",
    "lint_templates",
    "load_spec",
    "network_template",
    "parse_spec",
    "read_template",
    "render_templates",
    "root_template",
    "service_template",
    "stackset_template",
    "template_bucket_template",
    "to_yaml",
    "write_version",
]
