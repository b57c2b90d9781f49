"""The template layers: pure builders, config in, ``troposphere.Template`` out, no I/O.

:data:`LAYERS` is the one list of the templates the product ships, in build order. The build
(:mod:`troposphere_fargate.release.build`), the reference docs and the root template's nested
stacks all derive theirs from it: a layer added here is built, linted, documented and, when it
is ``nested_as`` a stack, nested by the root.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from troposphere import Template

from . import catalog, network, regions, root, service
from .config import ProductConfig

# A builder gets the product config, the version being built, and the templates (as dicts) of
# the layers before it, which the root layer nests.
Builder = Callable[[ProductConfig, str, Mapping[str, dict[str, Any]]], Template]


@dataclass(frozen=True)
class Layer:
    """One template the product ships."""

    name: str  # its name in the version stamp and in the build's dict of templates
    filename: str
    builder: Builder
    # Where the template works: stamped into its cfn-lint metadata, so every lint checks them.
    regions: tuple[str, ...] = regions.CLAIMED_REGIONS
    # The logical ID of its nested stack in root.yaml, for the layers the root nests.
    nested_as: str | None = None


LAYERS: tuple[Layer, ...] = (
    Layer(
        network.LAYER,
        network.FILENAME,
        lambda config, version, built: network.network_template(config.network),
        nested_as=root.NETWORK_STACK,
    ),
    Layer(
        service.LAYER,
        service.FILENAME,
        lambda config, version, built: service.service_template(config.service),
        nested_as=root.SERVICE_STACK,
    ),
    Layer(
        root.LAYER,
        root.FILENAME,
        lambda config, version, built: root.root_template(built, version, nested_children()),
    ),
    Layer(
        catalog.LAYER,
        catalog.FILENAME,
        lambda config, version, built: catalog.catalog_template(version),
        regions.supported(excluding=regions.NO_SERVICE_CATALOG),
    ),
)


def nested_children() -> tuple[root.Child, ...]:
    """The layers the root nests, in creation order."""
    return tuple(
        root.Child(layer.nested_as, layer.name, layer.filename)
        for layer in LAYERS
        if layer.nested_as is not None
    )
