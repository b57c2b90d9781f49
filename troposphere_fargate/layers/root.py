"""The root layer, ``root.yaml``: the entry point for console launch, ``aws cloudformation
deploy`` and Service Catalog. It nests other layers' templates as stacks.

Everything here is derived from the child templates, so a parameter added to a child cannot go
missing from the root. Each :class:`Child` says how it is nested:

- its ``wires``: child parameters fed by an earlier child's outputs (``GetAtt``); the tables
  below are the one place that says which (:data:`WIRING` for the shipped root);
- the parameters the root takes for it (``takes``; default: all the others, less
  ``keeps_defaults``), each declared on the root with the child's type, default, constraints,
  description and console label (and, with a ``prefix``, named ``<prefix><name>``), and passed
  through;
- the rest it leaves at the child's defaults (they must have one);
- the child's rules become the root's (renamed with the prefix), so a bad value is refused
  before any nested stack is created; a rule about parameters the root leaves at their defaults
  is decided here, and must hold for them (or not apply to them);
- every unconditional child output is surfaced and exported as ``<stack name>-<output>``.

Nested ``TemplateURL``s come from ``TemplateBucketName`` and ``TemplateKeyPrefix``:
``https://<bucket>.s3.<region>.<url suffix>/<prefix><version>/<file>``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from troposphere import Equals, GetAtt, If, Join, Parameter, Ref, Sub, Template, cloudformation

from ..cfn.evaluate import RuleError, check_rules
from ..cfn.limits import DESCRIPTION_BYTES
from ..cfn.yaml import template_problem
from ..errors import ConfigError, expect, expect_templates, expect_version, suggest_fields
from ..errors import field_error as _fail
from . import network, service
from .blocks import add_exported_output, add_parameter, stamped_otherwise
from .config import ProductConfig
from .environment import names as environment
from .exposure import EXPOSE_NONE

LAYER = "root"
FILENAME = "root.yaml"

# --- Parameters -------------------------------------------------------------------------------
TEMPLATE_BUCKET_NAME = "TemplateBucketName"
TEMPLATE_KEY_PREFIX = "TemplateKeyPrefix"
TEMPLATE_BUCKET_PER_REGION = "TemplateBucketPerRegion"
# Condition: the nested templates are in <TemplateBucketName>-<region> (one bucket per region).
BUCKET_PER_REGION = "BucketPerRegion"

# No dots: CloudFormation fetches nested templates over HTTPS from
# <bucket>.s3.<region>.amazonaws.com, and a dotted bucket name breaks that certificate match.
BUCKET_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"
# A bucket made under a name: S3 also refuses the prefixes xn--, sthree- and amzn-s3-demo- and
# the suffixes -s3alias, --ol-s3 and --x-s3, reserved for access points and directory buckets
# (S3 User Guide, general purpose bucket naming rules). cfn-lint and the emulator take them.
NEW_BUCKET_NAME_PATTERN = (
    r"^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(?:-s3alias|--ol-s3|--x-s3)$)"
    r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"
)
KEY_PREFIX_PATTERN = r"^([0-9A-Za-z!_.*'()-]+/)*$"
DEFAULT_KEY_PREFIX = "troposphere-fargate/"

# --- Resources --------------------------------------------------------------------------------
NETWORK_STACK = "NetworkStack"
SERVICE_STACK = "ServiceStack"
ENVIRONMENT_STACK = "EnvironmentStack"
# The rule of a root that takes an existing VPC's id and subnets: the subnets are the VPC's.
SUBNETS_IN_THE_VPC = "SubnetsAreInTheVpc"
# A wire from the root itself: the child's parameter takes the root's parameter of the wire's
# name, which the root declares once for every child wired to it (an existing VPC's ids).
ROOT = ""


def service_stack(logical_name: str) -> str:
    """The nested stack of an environment's service: ``WebServiceStack`` for ``web``."""
    return f"{logical_name}ServiceStack"


GROUP_TEMPLATES = "Template location (where troposphere-fargate publish put the templates)"

# CloudFormation's quotas per template ("CloudFormation quotas", User Guide).
MAX_PARAMETERS = 200
MAX_OUTPUTS = 200

# --- Wiring: child parameter <- output of another child (same names) --------------------------
# The shipped root: the service on the network.
WIRING: dict[str, str] = {
    service.VPC_ID: network.OUTPUT_VPC_ID,
    service.PUBLIC_SUBNET_IDS: network.OUTPUT_PUBLIC_SUBNET_IDS,
    service.PRIVATE_SUBNET_IDS: network.OUTPUT_PRIVATE_SUBNET_IDS,
}
# An environment build: the environment on the network; each service on the network's private
# subnets and on the environment's outputs of the same names.
ENVIRONMENT_WIRING: dict[str, str] = {
    environment.VPC_ID: network.OUTPUT_VPC_ID,
    environment.PUBLIC_SUBNET_IDS: network.OUTPUT_PUBLIC_SUBNET_IDS,
}
MEMBER_WIRING: dict[str, str] = {
    service.VPC_ID: network.OUTPUT_VPC_ID,
    service.PRIVATE_SUBNET_IDS: network.OUTPUT_PRIVATE_SUBNET_IDS,
}
# Every environment output a joining service takes, by the same name.
MEMBER_ENVIRONMENT_WIRING: dict[str, str] = {name: name for name in environment.JOIN_OUTPUTS}

Wire = tuple[str, str, str]  # child parameter, the stack (logical ID) it comes from, its output
# A logical ID, a parameter, rule or output name: CloudFormation takes letters and digits only
# ("Template format error: Resource name my-topic is non alphanumeric.").
_LOGICAL_ID = re.compile(r"[A-Za-z0-9]{1,255}")
_LOGICAL_ID_WHY = "must be letters and digits only, as CloudFormation's logical IDs are"
# A published file's path under the version's prefix, the end of its TemplateURL (no space,
# no empty or dot-led segment, a template's extension in any case).
_FILENAME = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*\.(?:yaml|yml|json|template)",
    re.IGNORECASE,
)
_FILENAME_WHY = (
    "must be a template file's path (letters, digits and ._-, folders with /, ending in .yaml, "
    ".yml, .json or .template): it ends the nested stack's TemplateURL"
)
# (ROOT: the root's own parameter of that name)


@suggest_fields
@dataclass(frozen=True)
class Child:
    """A layer the root nests, and how.

    Attributes:
        logical_id: its stack's logical ID in the root.
        layer: its layer name (the key of its template in the dict of templates).
        filename: its published file.
        wires: the parameters fed by earlier children's outputs (those the child declares:
            a service of an environment takes only the outputs its exposure uses).
        takes: the parameters the root takes for it; None: every one not wired.
        keeps_defaults: parameters the root never takes, whatever ``takes`` says.
        prefix: the root's names for its parameters, rules and outputs start with it.
        label: how the console names it before its parameter labels and groups (with a prefix).
        after: the stacks (logical IDs of other children) it is created after, beyond those
            whose outputs it takes.
    """

    logical_id: str
    layer: str
    filename: str
    wires: tuple[Wire, ...] = ()
    takes: frozenset[str] | None = None
    keeps_defaults: frozenset[str] = frozenset()
    prefix: str = ""
    label: str = ""
    after: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A set where a frozenset goes, a list where a tuple goes: taken as such (both built a
        # root before these checks), the dataclass staying hashable.
        for name, kind, made in (
            ("takes", set, frozenset),
            ("keeps_defaults", set, frozenset),
            ("wires", list, tuple),
            ("after", list, tuple),
        ):
            value = getattr(self, name)
            if isinstance(value, kind):
                object.__setattr__(self, name, made(value))
        if isinstance(self.wires, tuple):
            wires = tuple(tuple(w) if isinstance(w, list) else w for w in self.wires)
            object.__setattr__(self, "wires", wires)
        # Checked here, not where the root is built: a prefix=3 was "unsupported operand
        # type(s) for +", a filename of None a TemplateURL ending in /None.
        for name in ("logical_id", "layer", "filename", "prefix", "label"):
            expect(getattr(self, name), str, f"Child.{name}")
        if not _LOGICAL_ID.fullmatch(self.logical_id):
            raise _fail("Child", "logical_id", self.logical_id, _LOGICAL_ID_WHY)
        if self.prefix and not _LOGICAL_ID.fullmatch(self.prefix):
            raise _fail("Child", "prefix", self.prefix, _LOGICAL_ID_WHY + " (or empty)")
        if not self.layer:
            raise _fail("Child", "layer", self.layer, "must name the child's layer")
        if not _FILENAME.fullmatch(self.filename):
            raise _fail("Child", "filename", self.filename, _FILENAME_WHY)
        if not isinstance(self.wires, tuple) or not all(
            isinstance(wire, tuple) and len(wire) == 3 and all(isinstance(w, str) for w in wire)
            for wire in self.wires
        ):
            raise _fail(
                "Child",
                "wires",
                self.wires,
                "must be a tuple of (parameter, source stack, output) triples of strings, as "
                "wires(table, source) makes",
            )
        for name in ("takes", "keeps_defaults"):
            names = getattr(self, name)
            if name == "takes" and names is None:
                continue
            if not isinstance(names, frozenset) or not all(isinstance(n, str) for n in names):
                hint = f": frozenset({{{names!r}}}) is one" if isinstance(names, str) else ""
                raise _fail("Child", name, names, f"must be a frozenset of parameter names{hint}")
        if not isinstance(self.after, tuple) or not all(isinstance(a, str) for a in self.after):
            raise _fail("Child", "after", self.after, "must be a tuple of stacks' logical IDs")

    def wired(self, declared: Mapping[str, Any]) -> tuple[Wire, ...]:
        """The wires of the parameters the child declares."""
        return tuple(wire for wire in self.wires if wire[0] in declared)

    def taken(self, declared: Mapping[str, Any]) -> list[str]:
        """The child's parameters the root takes, in the child's order."""
        wired = {parameter for parameter, _, _ in self.wired(declared)}
        return [
            name
            for name in declared
            if name not in wired
            and name not in self.keeps_defaults
            and (self.takes is None or name in self.takes)
        ]


def wires(table: Mapping[str, str], source: str) -> tuple[Wire, ...]:
    """The wires of ``table`` (parameter -> output of the stack ``source``)."""
    return tuple((parameter, source, output) for parameter, output in table.items())


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


# What a builder of templates from others asks to be given.
RENDERED = "pass what render_templates() returns"


def not_rendered(
    where: str, missing: Sequence[str], held: Iterable[str], how: str = RENDERED
) -> WiringError:
    """The error of a builder (``root_template(children)``) given templates that lack the
    ``missing`` layers it builds from: what it holds, and ``how`` to give them."""
    holds = ", ".join(sorted(held)) or "none"
    return WiringError(
        f"{where}: no rendered {' or '.join(missing)} template (it holds {holds}): {how}"
    )


class QuotaError(WiringError):
    """The root would declare more of a ``section`` (``Outputs``, ``Parameters``) than
    CloudFormation takes per template: too many services for one root."""

    def __init__(self, section: str, message: str) -> None:
        super().__init__(message)
        self.section = section


def version_in_url(version: str) -> str:
    """A release name as a segment of a template's URL: its ``+`` (semantic versioning's build
    metadata, ``1.0.0+shop``) percent-encoded, ``%2B``. S3 reads a ``+`` in a URL's path as a
    space ("Plus (+)" is among the characters that "will likely need to be URL encoded", Amazon
    S3 User Guide, object key naming guidelines), so the nested stacks of such a version would
    not be found; the other characters a release name takes need no encoding."""
    return version.replace("+", "%2B")


def template_url(version: str, filename: str) -> Sub:
    """Where a published child template lives, for the region the stack is created in."""
    bucket, prefix = TEMPLATE_BUCKET_NAME, TEMPLATE_KEY_PREFIX
    return Sub(
        f"https://${{{bucket}}}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{prefix}}}"
        f"{version_in_url(version)}/{filename}"
    )


def regional_template_url(version: str, filename: str) -> Sub:
    """Where a published template lives in ``<TemplateBucketName>-<region>`` of the stack's
    region (the buckets ``publish --bucket NAME-{region} --regions`` fills)."""
    bucket, prefix = TEMPLATE_BUCKET_NAME, TEMPLATE_KEY_PREFIX
    return Sub(
        f"https://${{{bucket}}}-${{AWS::Region}}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}/"
        f"${{{prefix}}}{version_in_url(version)}/{filename}"
    )


def nested_template_url(version: str, filename: str) -> If:
    """Where the root's nested template lives: in ``TemplateBucketName`` of the stack's region,
    or, with ``TemplateBucketPerRegion``, in ``<TemplateBucketName>-<region>`` (which a
    self-managed StackSet of the root across regions needs: its instances all get the same
    parameter values; ``stackset.yaml`` deploys ``instance.yaml``, which nests nothing)."""
    return If(
        BUCKET_PER_REGION,
        regional_template_url(version, filename),
        template_url(version, filename),
    )


def add_bucket_per_region_parameter(template: Template) -> None:
    """``TemplateBucketPerRegion`` and its condition ``BucketPerRegion``."""
    add_parameter(
        template,
        TEMPLATE_BUCKET_PER_REGION,
        group=GROUP_TEMPLATES,
        label="One template bucket per region",
        description=(
            "true: the templates are in <TemplateBucketName>-<region> of each region "
            "(troposphere-fargate publish --bucket NAME-{region} --regions), as a StackSet of "
            "root.yaml across regions needs; false: in TemplateBucketName itself."
        ),
        Type="String",
        Default="false",
        AllowedValues=["true", "false"],
        ConstraintDescription="must be true or false",
    )
    template.add_condition(BUCKET_PER_REGION, Equals(Ref(TEMPLATE_BUCKET_PER_REGION), "true"))


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


SHIPPED_DESCRIPTION = (
    "Fargate service without public IPs, in a new VPC: nests the network and service "
    "templates and wires the network's outputs into the service"
)


def nesting_description(nested: Sequence[Child]) -> str:
    """A root's description that names what it nests: ``Nests network.yaml, environment.yaml and
    service-web.yaml, each created after the stacks whose outputs it takes``; the count alone
    when the names would pass CloudFormation's 1,024 bytes."""
    files = [child.filename for child in nested if isinstance(child, Child)]
    named = ", ".join(files[:-1]) + (" and " if len(files) > 1 else "") + "".join(files[-1:])
    said = f"Nests {named}, each created after the stacks whose outputs it takes"
    if len(said.encode()) <= DESCRIPTION_BYTES:
        return said
    return f"Nests {len(files)} templates, each created after the stacks whose outputs it takes"


def _described(description: str | None, nested: Sequence[Child] | None) -> str:
    """``root_template``'s description, checked: the default, or one CloudFormation takes."""
    if description is None:
        # The shipped root's says "the network and service templates": a root of an
        # environment's children (a library's own nesting) said so too.
        description = SHIPPED_DESCRIPTION if nested is None else nesting_description(nested)
    expect(description, str, "root_template(description)")
    if not description.strip():
        # What the console, Service Catalog and `aws cloudformation describe-stacks` show of
        # the stack: a root built without one (render_templates stamps one in) had none.
        raise ConfigError(
            f"root_template(description): {description!r} is empty: say what the stack "
            "deploys, or leave it out for the shipped root's"
        )
    size = len(description.encode())
    if size > DESCRIPTION_BYTES:
        # cfn-lint counts characters (E1003), CloudFormation bytes: refused here, at the call.
        raise ConfigError(
            f"root_template(description): {size} bytes (UTF-8); CloudFormation takes "
            f"{DESCRIPTION_BYTES} at most: {description[:40]!r}..."
        )
    return description


def expect_nested(nested: object, where: str) -> tuple[Child, ...]:
    """``nested`` as a tuple of :class:`Child`, checked: any sequence of them but a string (a
    generator, a mapping, one ``Child`` alone are refused with a ``TypeError`` naming
    ``where``), not empty, each logical ID once (a :class:`WiringError`)."""
    if isinstance(nested, Child):
        raise TypeError(f"{where} takes a sequence of Child, not one Child: ({nested!r},)")
    if not isinstance(nested, Sequence) or isinstance(nested, str | bytes):
        got = "None" if nested is None else type(nested).__name__
        raise TypeError(f"{where} takes a sequence of Child (a list or a tuple), not {got}")
    children = tuple(nested)
    for child in children:
        expect(child, Child, f"{where} item")
    if not children:
        raise WiringError(f"{where}: no children to nest: name one Child or more")
    ids = [child.logical_id for child in children]
    twice = sorted({logical_id for logical_id in ids if ids.count(logical_id) > 1})
    if twice:  # a KeyError from the table of what the root takes for each
        raise WiringError(f"two nested stacks are both {', '.join(twice)}: give each its own ID")
    return children


def root_template(
    children: Mapping[str, Mapping[str, Any]],
    version: str,
    nested: Sequence[Child] | None = None,
    description: str | None = None,
) -> Template:
    """Build the root layer from the rendered child templates (layer name -> template dict).

    ``version`` is the version folder the nested templates are published under; ``nested`` the
    layers to nest, in creation order (default: those the layer registry nests);
    ``description`` the root's, not empty (default: the shipped root's, or with ``nested``
    given, one that names the files it nests). Raises :class:`WiringError` when the children
    cannot be combined.
    """
    expect_templates(children, "root_template(children)")
    expect_shapes(children, "root_template(children)")
    expect_version(version, "root_template(version)")
    if nested is not None:
        nested = expect_nested(nested, "root_template(nested)")
    description = _described(description, nested)
    nested_default = nested is None
    if nested is None:
        from . import nested_children  # the registry imports this module

        nested = nested_children()
    missing = [child.layer for child in nested if child.layer not in children]
    if missing:
        members = [name for name in children if name.startswith(f"{service.LAYER}-")]
        how = (
            # The templates of a config with services: the default nests the shipped layers.
            "nest the config's own layers: nested=[layer.nested_as for layer in "
            "layers_for(config) if layer.nested_as]"
            if nested_default and members
            else RENDERED
        )
        raise not_rendered("root_template(children)", missing, children, how)
    others = stamped_otherwise({child.layer: children[child.layer] for child in nested}, version)
    if others:
        raise WiringError(
            f"root_template(version): {version!r}, but the templates it nests are stamped for "
            f"another version: {', '.join(others)}; the root would nest them under "
            f".../{version}/: render them for it (render_templates(config, version={version!r}))"
        )
    check_wiring(children, nested)
    t = Template(Description=description)
    add_template_location_parameters(t, version)
    add_bucket_per_region_parameter(t)
    _declare_shared_parameters(t, children, nested)
    taken_for = {c.logical_id: c.taken(children[c.layer].get("Parameters", {})) for c in nested}
    exported = [
        (child, name, output)
        for child in nested
        for name, output in sorted(children[child.layer].get("Outputs", {}).items())
        if "Condition" not in output
    ]
    # troposphere stops at the 201st parameter or output with a bare ValueError: count first.
    planned = len(t.parameters) + sum(map(len, taken_for.values()))
    _check_quotas(planned, len(exported), len(nested))

    stacks: dict[str, cloudformation.Stack] = {}
    for child in nested:
        template = children[child.layer]
        declared = template.get("Parameters", {})
        taken = taken_for[child.logical_id]
        copy_parameters(t, child, template, taken)
        copy_rules(t, child, template, taken)
        passed: dict[str, Any] = {
            name: pass_through(child.prefix + name, declared[name]) for name in taken
        }
        for parameter, source, output in child.wired(declared):
            passed[parameter] = (
                pass_through(output, declared[parameter])
                if source == ROOT
                else GetAtt(stacks[source], f"Outputs.{output}")
            )
        ordered = {"DependsOn": list(child.after)} if child.after else {}
        stacks[child.logical_id] = t.add_resource(
            cloudformation.Stack(
                child.logical_id,
                **ordered,
                # Deleting the root deletes the nested stacks (their own Retain policies keep
                # the logs). No update replaces a nested stack (AWS::CloudFormation::Stack has
                # no create-only property); what deletes one is removing or renaming it in the
                # template, which `diff` calls destructive. Retain on replacement is only the
                # safe answer should that ever change.
                DeletionPolicy="Delete",
                UpdateReplacePolicy="Retain",
                TemplateURL=nested_template_url(version, child.filename),
                Parameters=dict(sorted(passed.items())),
            )
        )
    for child, name, output in exported:
        add_exported_output(
            t,
            child.prefix + name,
            GetAtt(stacks[child.logical_id], f"Outputs.{name}"),
            _labelled(child, output.get("Description", name)),
        )
    return t


def _declare_shared_parameters(
    t: Template, children: Mapping[str, Mapping[str, Any]], nested: Sequence[Child]
) -> None:
    """The root's own parameters its children are wired to (ROOT), each declared once, as the
    first child that takes it declares it (label, group, constraints); without a prefix. With
    a VPC's id and subnets among them (an existing VPC), a rule that the subnets are the
    VPC's."""
    declared: set[str] = set()
    for child in nested:
        template = children[child.layer]
        for parameter, source, output in child.wired(template.get("Parameters", {})):
            if source != ROOT or output in declared:
                continue
            declared.add(output)
            shared = dataclasses.replace(child, prefix="", label="")
            copy_parameters(t, shared, template, [parameter])
    subnets = [name for name, p in t.parameters.items() if p.Type == "List<AWS::EC2::Subnet::Id>"]
    if service.VPC_ID in declared and subnets:
        # CloudFormation checks it before creating anything (Rules, Fn::ValueOfAll over every
        # subnet parameter, "All subnets must be in the VPC", CloudFormation User Guide):
        # without it, subnets of another VPC fail late, at the load balancer or the service.
        t.add_rule(
            SUBNETS_IN_THE_VPC,
            {
                "Assertions": [
                    {
                        "Assert": {
                            "Fn::EachMemberEquals": [
                                {"Fn::ValueOfAll": ["AWS::EC2::Subnet::Id", "VpcId"]},
                                Ref(service.VPC_ID),
                            ]
                        },
                        "AssertDescription": (
                            f"The subnets ({', '.join(subnets)}) must be subnets of the VPC "
                            f"{service.VPC_ID} names."
                        ),
                    }
                ]
            },
        )


def _labelled(child: Child, text: str) -> str:
    return f"{child.label}: {text}" if child.label else text


def pass_through(name: str, declaration: Mapping[str, Any]) -> Any:
    """The value a root parameter passes to its nested stack. A list parameter is joined back
    into its comma-separated string: a nested stack's Parameters take strings only, and
    CloudFormation refuses a CommaDelimitedList passed with a bare Ref (AWS::CloudFormation::Stack,
    Parameters: "you can't pass values that are of type CommaDelimitedList to nested stacks")."""
    parameter_type = str(declaration.get("Type", "String"))
    if parameter_type == "CommaDelimitedList" or parameter_type.startswith("List<"):
        return Join(",", Ref(name))
    return Ref(name)


def expect_shapes(templates: Mapping[str, Mapping[str, Any]], where: str) -> None:
    """A :class:`WiringError` naming the first template (by layer) of another shape than
    CloudFormation takes, such as a ``Parameters`` section that is a list: the wiring reads
    each child's sections, and such a child was an ``AttributeError`` deep inside it."""
    for layer, template in templates.items():
        problem = template_problem(template)
        if problem is not None:
            raise WiringError(f"{where}[{layer!r}]: not a CloudFormation template: {problem}")


def check_wiring(children: Mapping[str, Mapping[str, Any]], nested: Sequence[Child]) -> None:
    """A :class:`WiringError` for children that cannot be nested as ``nested`` says: a
    parameter its ``takes`` or ``keeps_defaults`` names and the template does not declare,
    wires to nothing or to a stack created later, to a conditional output, a parameter without
    a default left neither taken nor wired, a name two children both declare, an ``after``
    naming no other stack. ``instance_template`` merges by the same children, and checks
    them so too."""
    created: dict[str, str] = {}  # logical ID -> layer, of the stacks before each child
    # A root parameter (ROOT) -> the first layer wired to it, and its declaration there.
    shared: dict[str, tuple[str, Mapping[str, Any]]] = {}
    seen: dict[str, dict[str, str]] = {"Parameters": {}, "Rules": {}, "Outputs": {}}
    for child in nested:
        template = children[child.layer]
        declared = template.get("Parameters", {})
        unknown = sorted((child.takes or frozenset()) - set(declared))
        unknown += sorted(child.keeps_defaults - set(declared))
        if unknown:  # passed over: a misspelt name left its parameter taken (or not)
            raise WiringError(
                f"the {child.layer} template declares no parameter {', '.join(unknown)} "
                "(named in its Child's takes or keeps_defaults)"
            )
        if child.wires and not child.wired(declared):
            raise WiringError(f"the {child.layer} template has none of the parameters to wire")
        for parameter, source, output in child.wired(declared):
            if source == ROOT:
                _check_shared(shared, child, parameter, output, declared[parameter])
                continue
            if source not in created:
                raise WiringError(
                    f"the {child.layer} template's {parameter} is wired to {source}, which is "
                    "not a stack the root creates before it (nested lists them in creation order)"
                )
            outputs = children[created[source]].get("Outputs", {})
            if output not in outputs or "Condition" in outputs[output]:
                raise WiringError(
                    f"the {created[source]} template has no unconditional output {output}"
                )
        taken = set(child.taken(declared))
        for name, declaration in declared.items():
            wired = any(parameter == name for parameter, _, _ in child.wired(declared))
            if not wired and name not in taken and "Default" not in declaration:
                raise WiringError(
                    f"the root neither takes nor wires the {child.layer} template's parameter "
                    f"{name}, which has no default"
                )
        names = {
            "Parameters": [child.prefix + name for name in taken],
            "Rules": [child.prefix + name for name in template.get("Rules", {})],
            "Outputs": [child.prefix + name for name in template.get("Outputs", {})],
        }
        for kind, found in names.items():
            for name in found:
                if name in seen[kind]:
                    raise WiringError(
                        f"{kind[:-1].lower()} {name} is declared by both the "
                        f"{seen[kind][name]} and the {child.layer} templates"
                    )
                seen[kind][name] = child.layer
        created[child.logical_id] = child.layer
    stacks = {child.logical_id for child in nested}
    for child in nested:
        for other in child.after:
            if other not in stacks or other == child.logical_id:
                raise WiringError(
                    f"the {child.layer} stack is to be created after {other}, which is not "
                    "another stack the root nests"
                )


def _check_shared(
    shared: dict[str, tuple[str, Mapping[str, Any]]],
    child: Child,
    parameter: str,
    name: str,
    declaration: Mapping[str, Any],
) -> None:
    """A root parameter wired to several children is one value, declared as the first child
    declares it: each must take its type, and allow and default to the same (a value the
    root's declaration takes and another child's refuses would fail that nested stack, after
    the others were created; another default would change that child's value)."""
    layer, first = shared.setdefault(name, (child.layer, declaration))
    kind, first_kind = declaration.get("Type", "String"), first.get("Type", "String")
    if first_kind != kind:
        raise WiringError(
            f"the root's parameter {name} is a {first_kind} for the {layer} template and the "
            f"{child.layer} template's {parameter}, wired to it, is a {kind}"
        )
    differ = [
        key
        for key in _PARAMETER_KEYS
        if key not in ("Description", "Type") and first.get(key) != declaration.get(key)
    ]
    if differ:
        raise WiringError(
            f"the root's parameter {name} takes its declaration from the {layer} template, "
            f"and the {child.layer} template's {parameter}, wired to it, has another "
            f"{' and '.join(differ)}: declare them alike"
        )


# The unconditional outputs of each template a root of services nests, which it re-exports all:
# the network's VPC id and CIDR and its two lists of subnets, and the subnets of the two
# Availability Zones every stack has (a third's are conditional); the environment's five, and
# seven more with a load balancer (environment.outputs); a service's four, and its ServiceUrl
# when it listens (service.outputs). test_root holds these to the rendered roots.
_NETWORK_OUTPUTS = 4 + 2 * 2
_ENVIRONMENT_OUTPUTS = 5
_LOAD_BALANCER_OUTPUTS = 7
_SERVICE_OUTPUTS = 4


def planned_outputs(config: ProductConfig) -> int:
    """How many outputs the root of ``config``'s services would have (0 without services: the
    shipped root's are not counted here), worked out from the config without rendering, so that
    :class:`~troposphere_fargate.layers.config.ProductConfig` refuses more than CloudFormation
    takes when it is made, not when the root is built (:class:`QuotaError`)."""
    if not config.services:
        return 0
    network_outputs = 0 if config.network.existing_vpc else _NETWORK_OUTPUTS
    balancer = _LOAD_BALANCER_OUTPUTS if config.has_public_service else 0
    members = sum(_SERVICE_OUTPUTS + (member.expose != EXPOSE_NONE) for member in config.services)
    return network_outputs + _ENVIRONMENT_OUTPUTS + balancer + members


def _check_quotas(parameters: int, outputs: int, stacks: int) -> None:
    for kind, count, quota in (
        ("parameters", parameters, MAX_PARAMETERS),
        ("outputs", outputs, MAX_OUTPUTS),
    ):
        if count > quota:
            raise QuotaError(
                kind.capitalize(),
                f"the root would have {count} {kind} for its {stacks} nested stacks; "
                f"CloudFormation takes {quota} at most: split the services between "
                "environments (a spec each)",
            )


def copy_parameters(
    t: Template, child: Child, template: Mapping[str, Any], taken: Sequence[str]
) -> None:
    """Declare the child's parameters the root takes, with the child's console label and
    group (both after the child's label, with a prefix)."""
    labels, group_of = _console_names(template)
    declared = template.get("Parameters", {})
    for name in taken:
        spec = {key: declared[name][key] for key in _PARAMETER_KEYS if key in declared[name]}
        description = spec.pop("Description", None)
        if not isinstance(description, str) or not description.strip():
            # The root explains each parameter it takes in the console: a child's own
            # template without one was a KeyError here.
            raise WiringError(
                f"the {child.layer} template's parameter {name} has no Description: the root "
                "shows each parameter it takes with its description; give it one"
            )
        # Parameter(...) validates the declaration as troposphere would for a hand-written one.
        Parameter(child.prefix + name, Description=description, **spec)
        add_parameter(
            t,
            child.prefix + name,
            group=_labelled(child, group_of.get(name, child.filename)),
            label=_labelled(child, labels.get(name, name)),
            description=description,
            **spec,
        )


def _console_names(template: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """A template's console label of each parameter, and its group's label
    (``AWS::CloudFormation::Interface``), for those it names: a child of one's own without
    them (the metadata is optional) takes its parameters' names, in a group named after its
    file."""
    metadata = template.get("Metadata")
    interface = (
        metadata.get("AWS::CloudFormation::Interface") if isinstance(metadata, dict) else None
    )
    if not isinstance(interface, dict):
        return {}, {}
    labels = {
        str(name): label["default"]
        for name, label in (interface.get("ParameterLabels") or {}).items()
        if isinstance(label, dict) and isinstance(label.get("default"), str)
    }
    group_of = {
        str(name): group["Label"]["default"]
        for group in interface.get("ParameterGroups") or []
        if isinstance(group, dict)
        and isinstance(group.get("Label"), dict)
        and isinstance(group["Label"].get("default"), str)
        for name in group.get("Parameters") or []
    }
    return labels, group_of


def _refs(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    if isinstance(node, dict):
        if set(node) == {"Ref"}:
            return {node["Ref"]}
        return set().union(*(_refs(value) for value in node.values())) if node else set()
    return set()


def _renamed(node: Any, names: Mapping[str, str]) -> Any:
    """A rule with its parameter references renamed (and their names in its messages)."""
    if isinstance(node, list):
        return [_renamed(item, names) for item in node]
    if isinstance(node, dict):
        if set(node) == {"Ref"} and node["Ref"] in names:
            return {"Ref": names[node["Ref"]]}
        return {key: _renamed(value, names) for key, value in node.items()}
    if isinstance(node, str) and names:
        words = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
        return words.sub(lambda match: names[match.group(1)], node)
    return node


def copy_rules(
    t: Template, child: Child, template: Mapping[str, Any], taken: Sequence[str]
) -> None:
    """The child's rules on the root, about the root's parameters of the child's. A rule about
    parameters the root leaves at their defaults only is decided here: it must hold for the
    defaults. One whose condition only such parameters decide, and which does not apply to
    them, is left out too."""
    declared = template.get("Parameters", {})
    defaults = {
        name: str(spec["Default"])
        for name, spec in declared.items()
        if name not in taken and "Default" in spec
    }
    renames = {name: child.prefix + name for name in taken if child.prefix}
    for name, rule in sorted(template.get("Rules", {}).items()):
        referred = _refs(rule)
        if referred <= set(taken):
            t.add_rule(child.prefix + name, _renamed(rule, renames))
            continue
        decided = _refs(rule.get("RuleCondition", {})) <= set(defaults) and (
            "RuleCondition" in rule or referred <= set(defaults)
        )
        if not decided:
            raise WiringError(
                f"rule {name} of the {child.layer} template is about parameters the root both "
                "takes and leaves at their defaults"
            )
        try:
            check_rules({"Parameters": declared, "Rules": {name: rule}}, defaults)
        except RuleError as error:
            raise WiringError(f"the defaults the root leaves break {error}") from None
        except ValueError:  # the condition needs a parameter the root takes
            raise WiringError(
                f"rule {name} of the {child.layer} template depends on parameters the root takes"
            ) from None
