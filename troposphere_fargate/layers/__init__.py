"""The template layers: pure builders, config in, ``troposphere.Template`` out, no I/O.

:data:`LAYERS` is the one list of the templates the product ships, in build order, and
:func:`layers_for` the list a config builds (the shipped one, or for a spec's environment of
several services: the network, the environment, one template per service and a root that nests
them). The build (:mod:`troposphere_fargate.release.build`), the reference docs and the root
template's nested stacks all derive theirs from these: a layer added here is built, linted,
documented and, when it is ``nested_as`` a stack, nested by the root.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from troposphere import Template

from ..errors import expect
from . import (
    catalog,
    environment,
    instance,
    network,
    regions,
    root,
    service,
    stackset,
    template_bucket,
)
from .config import ProductConfig, ServiceConfig
from .exposure import EXPOSE_INTERNAL, logical_name

# A builder gets the product config, the version being built, and the templates (as dicts) of
# the layers before it, which the root layer nests; it makes a troposphere Template, or a
# template dict (the instance layer merges the dicts of others).
Builder = Callable[[ProductConfig, str, Mapping[str, dict[str, Any]]], Template | dict[str, Any]]


@dataclass(frozen=True)
class Layer:
    """One template the product builds.

    Attributes:
        name: the layer's name (``network``, ``service-api``): its key in the dict of
            templates :func:`~troposphere_fargate.release.build.render_templates` returns, and
            the name its version stamp gives it (in the template's ``Description``, and as
            ``Layer`` under ``Metadata.TroposphereFargate``).
        filename: the file it is written as under ``templates/<version>/`` (``network.yaml``).
        builder: makes its template from the product config, the version being built, and the
            templates (as stamped dicts, by layer name) of the layers built before it, which
            the root nests.
        regions: the regions the template works in: written into its cfn-lint metadata, so
            that every lint checks each of them (those in the config's partitions, when its
            ARNs name one). Default: every region the product claims (commercial, China and
            GovCloud). A layer of :data:`LAYERS` none of whose regions is in the config's
            partitions is not built (:func:`layers_for`).
        nested_as: how the root nests it (:class:`~troposphere_fargate.layers.root.Child`);
            None, the default: the root does not.
    """

    name: str
    filename: str
    builder: Builder
    regions: tuple[str, ...] = regions.CLAIMED_REGIONS
    nested_as: root.Child | None = None


def nested_children(layers: Sequence[Layer] | None = None) -> tuple[root.Child, ...]:
    """The layers the root nests, in creation order (default: the shipped product's)."""
    return tuple(layer.nested_as for layer in layers or LAYERS if layer.nested_as is not None)


NETWORK = Layer(
    network.LAYER,
    network.FILENAME,
    lambda config, version, built: network.network_template(config.network),
    nested_as=root.Child(root.NETWORK_STACK, network.LAYER, network.FILENAME),
)

LAYERS: tuple[Layer, ...] = (
    NETWORK,
    Layer(
        environment.LAYER,
        environment.FILENAME,
        lambda config, version, built: environment.environment_template(config.environment),
        regions.ENVIRONMENT_REGIONS,
    ),
    Layer(
        service.LAYER,
        service.FILENAME,
        lambda config, version, built: service.service_template(config.service),
        nested_as=root.Child(
            root.SERVICE_STACK,
            service.LAYER,
            service.FILENAME,
            wires=root.wires(root.WIRING, root.NETWORK_STACK),
            # The shipped root makes a new VPC: joining an environment (in another) is for the
            # shipped service.yaml on its own, so the root leaves those parameters empty.
            keeps_defaults=frozenset(service.JOIN_PARAMETERS + service.ROUTING_PARAMETERS),
        ),
    ),
    Layer(
        root.LAYER,
        root.FILENAME,
        lambda config, version, built: root.root_template(
            built, version, nested_children(), root.SHIPPED_DESCRIPTION
        ),
    ),
    Layer(
        instance.LAYER,
        instance.FILENAME,
        lambda config, version, built: instance.instance_template(
            built, version, nested_children()
        ),
    ),
    Layer(
        catalog.LAYER,
        catalog.FILENAME,
        lambda config, version, built: catalog.catalog_template(version),
        regions.supported(excluding=regions.NO_SERVICE_CATALOG),
    ),
    Layer(
        stackset.LAYER,
        stackset.FILENAME,
        lambda config, version, built: stackset.stackset_template(built, version),
        regions.supported(excluding=regions.NO_SERVICE_MANAGED_STACKSETS),
    ),
    Layer(
        template_bucket.LAYER,
        template_bucket.FILENAME,
        lambda config, version, built: template_bucket.template_bucket_template(),
    ),
)


def _network_wires(table: Mapping[str, str], source: str) -> tuple[root.Wire, ...]:
    """The network's ids a child takes: the network stack's outputs, or, in an existing VPC
    (source ROOT), the root's parameters of the child's own names."""
    if source == root.ROOT:
        return tuple((parameter, root.ROOT, parameter) for parameter in table)
    return root.wires(table, source)


def member_layer(
    config: ServiceConfig, after: Sequence[str] = (), network_source: str = root.NETWORK_STACK
) -> Layer:
    """The template of one service of an environment, ``service-<name>.yaml``, nested as
    ``<Name>ServiceStack`` (created after the stacks ``after`` names): on the network's private
    subnets and the environment's outputs, its image (``<Name>ContainerImage``) the one
    parameter the root takes for it; the rest keep the defaults the spec gave."""
    name = f"{service.LAYER}-{config.container_name}"
    filename = f"{name}.yaml"
    word = logical_name(config.container_name)
    return Layer(
        name,
        filename,
        # It resolves the services it is created after: a later one redeploying it would do
        # so before that one's endpoint exists (a review).
        lambda product, version, built: service.service_template(
            config,
            resolves=tuple(
                other.container_name
                for other in product.services
                if root.service_stack(logical_name(other.container_name)) in after
            ),
        ),
        regions.ENVIRONMENT_REGIONS,
        nested_as=root.Child(
            root.service_stack(word),
            name,
            filename,
            wires=_network_wires(root.MEMBER_WIRING, network_source)
            + root.wires(root.MEMBER_ENVIRONMENT_WIRING, root.ENVIRONMENT_STACK),
            takes=frozenset({service.CONTAINER_IMAGE}),
            prefix=word,
            label=config.container_name,
            after=tuple(after),
        ),
    )


def _created_after(services: Sequence[ServiceConfig]) -> list[tuple[str, ...]]:
    """The stacks each service's stack waits for. A task resolves the Service Connect names of
    the internal services whose endpoints exist when it starts, and no name made later ("Only
    new tasks ... that start running after this deployment can resolve and connect to this
    endpoint"; CloudFormation "must use dependsOn", ECS Developer Guide, "Amazon ECS Service
    Connect components"). So each internal service comes after the internal ones listed before
    it; then each public one served through Service Connect too (``connect``), after every
    internal one (it likely calls them) and those listed before it; and every other service
    after all of them."""
    internal = [
        root.service_stack(logical_name(s.container_name))
        for s in sorted(
            (s for s in services if s.serves), key=lambda s: s.expose != EXPOSE_INTERNAL
        )
    ]
    waits = []
    for member in services:
        stack = root.service_stack(logical_name(member.container_name))
        waits.append(
            tuple(internal[: internal.index(stack)]) if stack in internal else tuple(internal)
        )
    return waits


ENVIRONMENT_ROOT_DESCRIPTION = (
    "Fargate services of one environment, without public IPs, in a new VPC: nests the network, "
    "the environment (cluster, shared load balancer, Service Connect) and each service"
)
PRIVATE_ENVIRONMENT_ROOT_DESCRIPTION = (
    "Fargate services of one environment, without public IPs, in a new VPC: nests the network, "
    "the environment (cluster, Service Connect; no load balancer: no service is public) and "
    "each service"
)


def _root_description(config: ProductConfig) -> str:
    described = (
        ENVIRONMENT_ROOT_DESCRIPTION
        if config.has_public_service
        else PRIVATE_ENVIRONMENT_ROOT_DESCRIPTION
    )
    if config.network.existing_vpc:
        described = described.replace(
            "in a new VPC: nests the network, ", "in a VPC of yours: nests "
        )
    return described


def layers_for(config: ProductConfig) -> tuple[Layer, ...]:
    """The templates a config builds: the shipped product's (:data:`LAYERS`) without services;
    with ``config.services``, the network, the environment, one template per service and a root
    that nests them all (no Service Catalog product: its launch role covers the shipped root).
    A template that runs in none of the regions of ``config.partitions`` is left out."""
    expect(config, ProductConfig, "layers_for(config)")
    if not config.services:
        # A template none of whose regions is in the config's partitions could run nowhere
        # (stackset.yaml in China): it is not built.
        return tuple(
            layer for layer in LAYERS if regions.in_partitions(layer.regions, config.partitions)
        )
    existing = config.network.existing_vpc
    network_source = root.ROOT if existing else root.NETWORK_STACK
    members = tuple(
        member_layer(member, after, network_source)
        for member, after in zip(config.services, _created_after(config.services), strict=True)
    )
    layers = (
        *(() if existing else (NETWORK,)),
        Layer(
            environment.LAYER,
            environment.FILENAME,
            lambda product, version, built: environment.environment_template(
                product.environment, product.routed_hosts, public=product.has_public_service
            ),
            regions.ENVIRONMENT_REGIONS,
            nested_as=root.Child(
                root.ENVIRONMENT_STACK,
                environment.LAYER,
                environment.FILENAME,
                wires=_network_wires(root.ENVIRONMENT_WIRING, network_source),
            ),
        ),
        *members,
    )
    return (
        *layers,
        Layer(
            root.LAYER,
            root.FILENAME,
            lambda product, version, built: root.root_template(
                built,
                version,
                nested_children(layers),
                _root_description(product),
            ),
            regions.ENVIRONMENT_REGIONS,
        ),
    )
