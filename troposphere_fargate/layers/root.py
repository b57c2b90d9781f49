"""The root layer, ``root.yaml``: the entry point for console launch, ``aws cloudformation
deploy`` and Service Catalog. It nests ``network.yaml`` and ``service.yaml``.

Everything here is derived from the two child templates, so a parameter added to a child cannot
go missing from the root:

- every child parameter that the root does not wire itself becomes a root parameter with the
  same type, default, constraints, description and console label, and is passed through;
- the children's rules are the root's rules, so a bad value is refused before any nested stack
  is created;
- the network's ``VpcId``, ``PublicSubnetIds`` and ``PrivateSubnetIds`` outputs feed the
  service's parameters of the same names (:data:`WIRING`, the one place that says so);
- every unconditional child output is surfaced and exported as ``<stack name>-<output>``.

Nested ``TemplateURL``s come from ``TemplateBucketName`` and ``TemplateKeyPrefix``:
``https://<bucket>.s3.<region>.<url suffix>/<prefix><version>/<file>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from troposphere import GetAtt, Join, Parameter, Ref, Sub, Template, cloudformation

from . import network, service
from .blocks import add_exported_output, add_parameter

LAYER = "root"
FILENAME = "root.yaml"

# --- Parameters -------------------------------------------------------------------------------
TEMPLATE_BUCKET_NAME = "TemplateBucketName"
TEMPLATE_KEY_PREFIX = "TemplateKeyPrefix"

# No dots: CloudFormation fetches nested templates over HTTPS from
# <bucket>.s3.<region>.amazonaws.com, and a dotted bucket name breaks that certificate match.
BUCKET_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"
KEY_PREFIX_PATTERN = r"^([0-9A-Za-z!_.*'()-]+/)*$"
DEFAULT_KEY_PREFIX = "troposphere-fargate/"

# --- Resources --------------------------------------------------------------------------------
NETWORK_STACK = "NetworkStack"
SERVICE_STACK = "ServiceStack"

GROUP_TEMPLATES = "Template location (where troposphere-fargate publish put the templates)"

# Service parameter <- network output. The only wiring between the layers.
WIRING: dict[str, str] = {
    service.VPC_ID: network.OUTPUT_VPC_ID,
    service.PUBLIC_SUBNET_IDS: network.OUTPUT_PUBLIC_SUBNET_IDS,
    service.PRIVATE_SUBNET_IDS: network.OUTPUT_PRIVATE_SUBNET_IDS,
}


class Child(NamedTuple):
    """A layer the root nests: its stack's logical ID here, its layer name, its file."""

    logical_id: str
    layer: str
    filename: str


# What a parameter declaration may carry over from a child.
_PARAMETER_KEYS = (
    "AllowedPattern",
    "AllowedValues",
    "ConstraintDescription",
    "Default",
    "Description",
    "MaxLength",
    "MaxValue",
    "MinLength",
    "MinValue",
    "NoEcho",
    "Type",
)


class WiringError(ValueError):
    """The child templates cannot be nested as they are (a clash, or a wire to nothing)."""


def template_url(version: str, filename: str) -> Sub:
    """Where a published child template lives, for the region the stack is created in."""
    bucket, prefix = TEMPLATE_BUCKET_NAME, TEMPLATE_KEY_PREFIX
    return Sub(
        f"https://${{{bucket}}}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{prefix}}}"
        f"{version}/{filename}"
    )


def add_template_location_parameters(template: Template, version: str) -> None:
    """``TemplateBucketName`` and ``TemplateKeyPrefix``: where the published templates are."""
    add_parameter(
        template,
        TEMPLATE_BUCKET_NAME,
        group=GROUP_TEMPLATES,
        label="Template bucket",
        description=(
            "S3 bucket in this region holding the published templates (troposphere-fargate "
            "publish --bucket)."
        ),
        Type="String",
        AllowedPattern=BUCKET_NAME_PATTERN,
        ConstraintDescription=(
            "must be an S3 bucket name of 3-63 lower-case letters, digits and hyphens (no dots)"
        ),
    )
    add_parameter(
        template,
        TEMPLATE_KEY_PREFIX,
        group=GROUP_TEMPLATES,
        label="Template key prefix",
        description=(
            f"Key prefix of the published templates, ending in / (the {version}/ folder is "
            "under it). Empty for the bucket's root."
        ),
        Type="String",
        Default=DEFAULT_KEY_PREFIX,
        AllowedPattern=KEY_PREFIX_PATTERN,
        ConstraintDescription="must be empty or end with /, such as troposphere-fargate/",
    )


def root_template(
    children: Mapping[str, Mapping[str, Any]],
    version: str,
    nested: Sequence[Child] | None = None,
) -> Template:
    """Build the root layer from the rendered child templates (layer name -> template dict).

    ``version`` is the version folder the nested templates are published under; ``nested`` the
    layers to nest, in creation order (default: those the layer registry nests). Raises
    :class:`WiringError` when the children cannot be combined.
    """
    if nested is None:
        from . import nested_children  # the registry imports this module

        nested = nested_children()
    _check_wiring(children, nested)
    t = Template(
        Description=(
            "Fargate service without public IPs, in a new VPC: nests the network and service "
            "templates and wires the network's outputs into the service"
        )
    )
    add_template_location_parameters(t, version)

    stacks: dict[str, cloudformation.Stack] = {}
    for logical_id, layer, filename in nested:
        child = children[layer]
        _copy_parameters(t, child)
        for name, rule in sorted(child.get("Rules", {}).items()):
            t.add_rule(name, rule)
        passed: dict[str, Any] = {
            name: _pass_through(name, declaration)
            for name, declaration in child.get("Parameters", {}).items()
            if name not in WIRING
        }
        if layer == service.LAYER:
            for parameter, output in WIRING.items():
                passed[parameter] = GetAtt(stacks[NETWORK_STACK], f"Outputs.{output}")
        stacks[logical_id] = t.add_resource(
            cloudformation.Stack(
                logical_id,
                # Deleting the root deletes the nested stacks (their own Retain policies keep
                # the logs); an update that replaced one would delete the old one with its
                # resources, so replaced nested stacks are kept instead.
                DeletionPolicy="Delete",
                UpdateReplacePolicy="Retain",
                TemplateURL=template_url(version, filename),
                Parameters=dict(sorted(passed.items())),
            )
        )
    for logical_id, layer, _ in nested:
        for name, output in sorted(children[layer].get("Outputs", {}).items()):
            if "Condition" not in output:
                add_exported_output(
                    t,
                    name,
                    GetAtt(stacks[logical_id], f"Outputs.{name}"),
                    output.get("Description", name),
                )
    return t


def _pass_through(name: str, declaration: Mapping[str, Any]) -> Any:
    """The value a root parameter passes to its nested stack. A list parameter is joined back
    into its comma-separated string: a nested stack's Parameters take strings only, and
    CloudFormation refuses a CommaDelimitedList passed with a bare Ref (AWS::CloudFormation::Stack,
    Parameters: "you can't pass values that are of type CommaDelimitedList to nested stacks")."""
    parameter_type = str(declaration.get("Type", "String"))
    if parameter_type == "CommaDelimitedList" or parameter_type.startswith("List<"):
        return Join(",", Ref(name))
    return Ref(name)


def _check_wiring(children: Mapping[str, Mapping[str, Any]], nested: Sequence[Child]) -> None:
    network_outputs = children[network.LAYER].get("Outputs", {})
    service_parameters = children[service.LAYER].get("Parameters", {})
    for parameter, output in WIRING.items():
        if parameter not in service_parameters:
            raise WiringError(f"the service template has no parameter {parameter} to wire")
        if output not in network_outputs or "Condition" in network_outputs[output]:
            raise WiringError(f"the network template has no unconditional output {output}")
    for kind in ("Parameters", "Rules", "Outputs"):
        seen: dict[str, str] = {}
        for _, layer, _ in nested:
            for name in children[layer].get(kind, {}):
                if kind == "Parameters" and name in WIRING:
                    continue
                if name in seen:
                    raise WiringError(
                        f"{kind[:-1].lower()} {name} is declared by both the {seen[name]} and "
                        f"the {layer} templates"
                    )
                seen[name] = layer


def _copy_parameters(t: Template, child: Mapping[str, Any]) -> None:
    """Declare the child's parameters on the root, with the child's console label and group."""
    interface = child.get("Metadata", {}).get("AWS::CloudFormation::Interface", {})
    labels = interface.get("ParameterLabels", {})
    group_of = {
        name: group["Label"]["default"]
        for group in interface.get("ParameterGroups", [])
        for name in group["Parameters"]
    }
    for name, declaration in child.get("Parameters", {}).items():
        if name in WIRING:
            continue
        spec = {key: declaration[key] for key in _PARAMETER_KEYS if key in declaration}
        description = spec.pop("Description")
        # Parameter(...) validates the declaration as troposphere would for a hand-written one.
        Parameter(name, Description=description, **spec)
        add_parameter(
            t,
            name,
            group=group_of[name],
            label=labels[name]["default"],
            description=description,
            **spec,
        )
