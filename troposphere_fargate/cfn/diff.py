"""Upgrade safety, offline: what updating a stack from one set of templates to another would
replace, delete or break.

For each template present on either side it compares resources, parameters, outputs and
deletion policies, and grades every finding:

- ``destructive``: a stateful or identity-bearing resource (VPC, subnet, NAT gateway and its
  Elastic IP, load balancer, target group, log group, bucket, cluster, service...) would be
  replaced or deleted, or lose its ``Retain`` policy;
- ``breaking``: something users or other stacks depend on changes: a parameter removed, renamed,
  retyped, tightened or given another default, a new parameter without default, an output or
  export removed or renamed;
- ``safe``: everything else (additions, in-place updates, changes to stateless resources).

Whether a property change replaces a resource comes from the CloudFormation resource provider
schemas that cfn-lint ships (``createOnlyProperties``). When the two values differ only inside an
intrinsic function whose outcome depends on parameters, the finding says "may replace"; a
difference outside every function (a literal beside a ``Ref``) "replaces".
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import expect, expect_template, possessive
from .evaluate import default_text, literals, referred
from .evaluate import pseudo_for_region as pseudo_for_region  # moved to evaluate; importable here
from .intrinsics import SUB_VARIABLE, get_att, sub_name
from .limits import branches
from .yaml import (
    PROCESSED_TEMPLATE,
    TemplateFileError,
    expanded_by,
    merged_from,
    missing_path,
    read_template,
    read_templates,
    template_problem,
)

DESTRUCTIVE = "destructive"
BREAKING = "breaking"
SAFE = "safe"
SEVERITIES = (DESTRUCTIVE, BREAKING, SAFE)

# Resources that hold data or an identity others depend on (addresses, names, DNS, ARNs):
# replacing or deleting one costs more than the time to create it again. A StackSet takes its
# stack instances with it; a namespace, the services' Service Connect names. An ACM certificate
# is not one: a new name for the domain requests a new certificate, validated through DNS in the
# stack's hosted zone before the listeners move to it (its ARN, where exported, is an output's
# finding).
STATEFUL_TYPES = frozenset(
    {
        "AWS::CloudFormation::Stack",
        "AWS::CloudFormation::StackSet",
        "AWS::EC2::EIP",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::NatGateway",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::Subnet",
        "AWS::EC2::VPC",
        "AWS::EC2::VPCEndpoint",
        "AWS::ECS::Cluster",
        "AWS::ECS::Service",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::IAM::Role",
        "AWS::Logs::LogGroup",
        "AWS::S3::Bucket",
        "AWS::ServiceCatalog::CloudFormationProduct",
        "AWS::ServiceCatalog::Portfolio",
        "AWS::ServiceDiscovery::HttpNamespace",
    }
)

# Resources that are a name clients resolve: replacing or deleting one takes the old name away
# (a Route 53 record: CloudFormation makes the new record, then deletes the old one).
NAME_TYPES = frozenset({"AWS::Route53::RecordSet"})


def _same_record(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether two Route 53 records answer the same name and type (and set identifier)."""
    keys = ("Name", "Type", "SetIdentifier")
    old_properties, new_properties = old.get("Properties") or {}, new.get("Properties") or {}
    return all(old_properties.get(key) == new_properties.get(key) for key in keys)


# A record replaced by one of the same name and type: CloudFormation creates the new record
# before it deletes the old one, and Route 53 refuses a second record of a name and type in a
# zone ("Tried to create resource record set ... but it already exists", aws/aws-cdk#12564).
_RECORD_CLASH = (
    ": CloudFormation creates the new record before deleting the old one, and Route 53 "
    "refuses a second record of the same name and type in a zone: in the same hosted zone the "
    "update fails"
)


def _record_replaced(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """What replacing a Route 53 record does."""
    return _RECORD_CLASH if _same_record(old, new) else ": the old record is deleted"


@functools.cache
def _stateful_types() -> frozenset[str]:
    """:data:`STATEFUL_TYPES` and the types cfn-lint holds stateful (its I3011 rule's
    ``StatefulResources.json``: databases, tables, queues, volumes, file systems, keys,
    secrets, streams...), which a template of one's own holds where ours hold none: deleting
    or replacing one deletes its data with it. The file is read where cfn-lint is installed,
    without importing it (a diff that replaces nothing does not load cfn-lint)."""
    found = importlib.util.find_spec("cfnlint")
    if found is None or not found.submodule_search_locations:
        return STATEFUL_TYPES
    folder = Path(next(iter(found.submodule_search_locations)))
    listed = json.loads(
        (folder / "data" / "AdditionalSpecs" / "StatefulResources.json").read_text("utf-8")
    )
    return STATEFUL_TYPES | frozenset(listed["ResourceTypes"])


def _loss(resource_type: object) -> str:
    """The severity of replacing or deleting a resource of ``resource_type``."""
    if resource_type in _stateful_types():
        return DESTRUCTIVE
    return BREAKING if resource_type in NAME_TYPES else SAFE


# The shipped product's templates: each is launched on its own too (service.yaml joins an
# environment from the console), so a folder diff decides nothing in them from what a root does
# not pass. A spec's service-<name>.yaml is built for its root alone.
STANDALONE_TEMPLATES = frozenset(
    {
        "bucket.yaml",
        "catalog.yaml",
        "environment.yaml",
        "instance.yaml",
        "network.yaml",
        "root.yaml",
        "service.yaml",
        "stackset.yaml",
    }
)

_TIGHTER_IF_HIGHER = ("MinValue", "MinLength")
_TIGHTER_IF_LOWER = ("MaxValue", "MaxLength")


@dataclass(frozen=True, order=True)
class Finding:
    template: str
    severity: str
    subject: str  # "resource Vpc", "parameter VpcCidr", "output VpcId", "template root.yaml"
    change: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


class DiffError(ValueError):
    """A side of the comparison cannot be read."""


TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")


def template_files(folder: Path) -> list[Path]:
    """The templates in ``folder`` (not in its folders), by their extension (``manifest.json``
    aside), sorted: every such entry that is not a folder, so that a symbolic link that leads
    nowhere or a FIFO is read, and refused by name, rather than passed over in silence."""
    return [
        p
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in TEMPLATE_SUFFIXES and p.name != "manifest.json" and not p.is_dir()
    ]


def folders_inside(names: Sequence[str], templates_root: Path) -> list[Path]:
    """The folders inside the folders ``names`` stand for (paths, or versions under
    ``templates_root``) that hold templates, or are named like one (``network.yaml/``). A
    folder's templates are its own files only, so ``check`` and ``diff`` do not look at these,
    and say so rather than pass them in silence."""
    return [
        inner
        for folder in _named_folders(names, templates_root)
        for inner in sorted(p for p in folder.iterdir() if p.is_dir())
        if inner.suffix.lower() in TEMPLATE_SUFFIXES
        or any(p.is_file() and p.suffix.lower() in TEMPLATE_SUFFIXES for p in inner.rglob("*"))
    ]


def files_inside(names: Sequence[str], templates_root: Path) -> list[Path]:
    """The files in the folders ``names`` stand for (as :func:`folders_inside` reads them)
    that are not templates by their extension (``bad.cfn``, ``notes.txt``): ``check`` and
    ``diff`` read a folder's ``*.yaml``, ``*.yml``, ``*.json`` and ``*.template`` files only,
    and name the others rather than pass them in silence (a failing ``bad.cfn`` beside a
    passing ``ok.yaml`` was "all checks passed"). Hidden files and a build's
    ``manifest.json`` are not named."""
    return [
        p
        for folder in _named_folders(names, templates_root)
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() not in TEMPLATE_SUFFIXES
    ]


def _named_folders(names: Sequence[str], templates_root: Path) -> Iterator[Path]:
    """The folder each of ``names`` stands for (a path, or a version under
    ``templates_root``; a build's output folder stands for its one version folder), for those
    that are folders."""
    for name in names:
        path = Path(name)
        folder = _build_folder(path if path.is_dir() else templates_root / name)
        if not path.is_file() and folder.is_dir():
            yield folder


def file_given_for_versions(templates_root: Path) -> str | None:
    """The line ``check``, ``diff`` and ``publish`` say of a file given as ``--templates``
    (the folder of version folders); None for anything else."""
    if templates_root.is_file():
        return f"--templates {templates_root} is a file: give the folder of versions"
    return None


def not_there(name: str, templates_root: Path) -> str:
    """The line that says ``name`` (a template file, a folder, or a version under
    ``templates_root``) names nothing there. A path (with a slash in it, or a template's
    extension) is a file that does not exist, not a version: ``/tmp/x/missing.yaml`` was "no
    such template, folder or version under templates/"."""
    template = name.lower().endswith(TEMPLATE_SUFFIXES)
    if name == "-":  # standard input, as other tools read it: not a version
        return missing_path(name)
    if not (template or "/" in name or os.sep in name):
        return f"{name}: no such template, folder or version under {templates_root}/"
    return missing_path(name, or_folder=not template)


def load_side(side: str, templates_root: Path) -> dict[str, dict[str, Any]]:
    """Templates by file name, from one file, a folder or a version under ``templates_root``.

    A file that is not a template stops everything with a
    :class:`~troposphere_fargate.cfn.yaml.TemplateFileError` naming it (and the line, where the
    parser knows it): a comparison that silently skipped a file would claim it unchanged.
    """
    path = Path(side)
    if path.is_file():
        return {path.name: read_template(path)}
    folder = side_folder(side, templates_root)
    if not folder.is_dir():
        raise DiffError(
            f"{side} is neither a template, a folder nor a version under {templates_root}/"
        )
    files = template_files(folder)
    if not files:
        inside = version_folders(folder)
        hint = f"; its version folders: {', '.join(inside)}" if inside else ""
        raise DiffError(f"{folder} holds no templates (*{', *'.join(TEMPLATE_SUFFIXES)}){hint}")
    return {p.name: template for p, template in read_templates(files).items()}


def version_folders(folder: Path) -> list[str]:
    """The names of the version folders in ``folder`` (each holds a ``manifest.json``)."""
    return sorted(p.name for p in folder.iterdir() if (p / "manifest.json").is_file())


def _templates_in(folder: Path) -> bool:
    return bool(template_files(folder))


def side_folder(side: str, templates_root: Path) -> Path:
    """The folder :func:`load_side` reads the templates of ``side`` from: the folder it names,
    or the version under ``templates_root``, or the one version folder inside either."""
    path = Path(side)
    return _build_folder(path if path.is_dir() else templates_root / side)


def _build_folder(folder: Path) -> Path:
    """``folder``, or the one version folder inside it when it holds no templates itself:
    ``build --output b1`` writes ``b1/0.4.0/``, and ``diff b1 b2`` compares those."""
    if not folder.is_dir() or _templates_in(folder):
        return folder
    versions = [folder / name for name in version_folders(folder)]
    return versions[0] if len(versions) == 1 else folder


def _nested_beside(
    path: Path, template: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str], list[str]]:
    """The templates the template in file ``path`` nests (an ``AWS::CloudFormation::Stack``
    whose ``TemplateURL`` ends with their file name), and theirs in turn, read from beside it;
    the names of those it nests that are not there; and the nested stacks whose TemplateURL
    names no file (a ``Ref``, a query string after the name)."""
    found: dict[str, Any] = {}
    missing: list[str] = []
    unnamed: list[str] = []
    todo = [template]
    while todo:
        for logical_id, names in _nested_names(todo.pop()):
            if not names:
                unnamed.append(logical_id)
            for name in sorted(names):
                if name in found or name in missing or name == path.name:
                    continue
                if (path.parent / name).is_file():
                    found[name] = read_template(path.parent / name)
                    todo.append(found[name])
                else:
                    missing.append(name)
    return found, missing, unnamed


def _nested_names(template: Mapping[str, Any]) -> Iterator[tuple[str, set[str]]]:
    """Each nested stack of ``template`` (an ``AWS::CloudFormation::Stack``) with the file
    names its ``TemplateURL`` may end with: none when it names no file (a ``Ref``, a query
    string after the name)."""
    resources = template.get("Resources")
    for logical_id, resource in resources.items() if isinstance(resources, Mapping) else ():
        segments = _template_url_ends(resource)
        if segments is not None:
            yield logical_id, {n for n in segments if n.lower().endswith(TEMPLATE_SUFFIXES)}


def _unread(side: str, templates: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The notes on what the templates of the folder or version ``side`` nest that is not among
    them (a nested template that is not there, a ``TemplateURL`` that names no file): a folder
    of a root alone was "no differences", where the same two roots compared file with file
    were incomplete."""
    notes = []
    for name, template in sorted(templates.items()):
        for logical_id, names in _nested_names(template):
            if not names:
                notes.append(
                    f"not compared: the template of {logical_id}, which {name} in {side} nests: "
                    "its TemplateURL names no file"
                )
            notes += [
                f"not compared: {n}, which {name} in {side} nests, is not in {side}"
                for n in sorted(names - set(templates))
            ]
    return notes


def _both(read: Callable[[Any], Any], old: Any, new: Any) -> tuple[Any, Any]:
    """``read`` of each side; when either or both are no template, one
    :class:`~troposphere_fargate.cfn.yaml.TemplateFileError` with a line for every such file
    (each once; it named only the first side's)."""
    results, problems = [], []
    for side in (old, new):
        try:
            results.append(read(side))
        except TemplateFileError as exc:
            problems += str(exc).splitlines()
    if problems:
        raise TemplateFileError("\n".join(dict.fromkeys(problems)))
    return results[0], results[1]


def load_sides(
    old: str, new: str, templates_root: Path
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], list[str]]:
    """Both sides of a comparison: two files (compared with each other whatever their names),
    or two folders or versions (their templates paired by file name); and notes on what is not
    compared.

    A file's stack is the template and the stacks it nests: two roots are compared with the
    templates each nests, read from beside it (as a folder diff pairs them). A nested template
    missing beside either root is left out of both sides, with a note."""
    # A typo is named before any comparison of kinds; a typo on each side, both.
    missing = [
        not_there(side, templates_root)
        for side in dict.fromkeys((old, new))
        if not (Path(side).exists() or (templates_root / side).is_dir())
    ]
    if missing:
        raise DiffError("\n".join(missing))
    files = [Path(side).is_file() for side in (old, new)]
    if files[0] != files[1]:
        raise DiffError(
            "compare a template with a template, or a folder or version with a folder or "
            f"version: {old if files[0] else new} is a file, the other is not"
        )
    before, after = _both(lambda side: load_side(side, templates_root), old, new)
    _refuse_transforms(before, after)
    if not files[0]:  # a folder's root nests what is in the folder, or it is not compared
        unread = [
            n for side, loaded in ((old, before), (new, after)) for n in _unread(side, loaded)
        ]
        return before, after, unread
    (name,) = after
    before = {name: next(iter(before.values()))}
    # The templates each root nests, read from beside it: every broken one named at once.
    found = _both(
        lambda side: _nested_beside(Path(side[0]), side[1][name]), (old, before), (new, after)
    )
    absent = {
        n: side for side, (_, missing, _) in zip((old, new), found, strict=True) for n in missing
    }
    for loaded, (nested, _, _) in zip((before, after), found, strict=True):
        loaded.update((n, t) for n, t in nested.items() if n not in absent and n != name)
    notes = [
        f"not compared: {n}, which {side} nests, is not beside it"
        for n, side in sorted(absent.items())
    ] + [
        f"not compared: the template of {stack}, which {side} nests: its TemplateURL names no file"
        for side, (_, _, unnamed) in zip((old, new), found, strict=True)
        for stack in unnamed
    ]
    return before, after, notes


def _refuse_transforms(*sides: Mapping[str, Mapping[str, Any]]) -> None:
    """A :class:`DiffError` naming each template CloudFormation transforms before it deploys
    it: what replaces what is a question of the processed template (a ``Fn::ForEach`` loop's
    resources exist only once it is expanded), which only CloudFormation makes."""
    found = {
        name: transforms
        for side in sides
        for name, template in side.items()
        if (transforms := expanded_by(template))
    }
    if found:
        raise DiffError(
            "\n".join(
                f"{name}: CloudFormation runs {', '.join(transforms)} on it before it deploys it, "
                "and diff compares templates as deployed: compare the processed templates "
                f"({PROCESSED_TEMPLATE})"
                for name, transforms in sorted(found.items())
            )
        )


def unrelated(old_name: str, old: Mapping[str, Any], new_name: str, new: Mapping[str, Any]) -> str:
    """Why two templates compared file with file look like two different templates (their
    layers differ, or they share no resource), or ``""``: ``diff network.yaml service.yaml``
    compared them under the second's name without a word."""

    def layer(template: Mapping[str, Any]) -> Any:
        metadata = template.get("Metadata")
        ours = metadata.get("TroposphereFargate") if isinstance(metadata, Mapping) else None
        return ours.get("Layer") if isinstance(ours, Mapping) else None

    layers = [layer(old), layer(new)]
    if all(isinstance(layer, str) for layer in layers) and layers[0] != layers[1]:
        return (
            f"{old_name} is the {layers[0]} layer and {new_name} the {layers[1]} layer: two "
            "different templates, so every resource reads as removed or added"
        )
    before, after = old.get("Resources"), new.get("Resources")
    if not (isinstance(before, Mapping) and isinstance(after, Mapping) and before and after):
        return ""
    if not set(before) & set(after):
        return (
            f"{old_name} and {new_name} have no resource in common: every resource reads as "
            "removed or added (are they two versions of one template?)"
        )
    return ""


def _has_intrinsic(value: Any) -> bool:
    if isinstance(value, dict):
        return any(k == "Ref" or k.startswith("Fn::") for k in value) or any(
            _has_intrinsic(v) for v in value.values()
        )
    if isinstance(value, list):
        return any(_has_intrinsic(v) for v in value)
    return False


# Properties the CloudFormation Template Reference says "Update requires: Replacement" of,
# which the resource provider schema cfn-lint ships does not list as create-only (an audit of
# every property the templates set, against the Template Reference: 2023 and current pages).
DOCUMENTED_REPLACEMENT: dict[str, tuple[tuple[str, ...], ...]] = {
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-certificatemanager-certificate.html
    "AWS::CertificateManager::Certificate": (("ValidationMethod",),),
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-eip.html
    "AWS::EC2::EIP": (("Domain",),),
}


# Properties the CloudFormation Template Reference says "Update requires: Some interruptions" of:
# CloudFormation updates the resource in place, and it is interrupted while it does (an audit of
# every property the templates set, against the Template Reference: 2023 and current pages; the
# schemas do not tell this apart from "No interruption"). Each with what the interruption is.
_RULE_GAP = (
    "CloudFormation removes a changed rule before it adds the new one, and the traffic the rule "
    "allows is dropped in between"
)
SOME_INTERRUPTIONS: dict[str, dict[str, str]] = {
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
    # SecurityGroupEgress and SecurityGroupIngress: "Update requires: Some interruptions"; and
    # "If you modify a rule, CloudFormation removes the existing rule and then adds a new rule.
    # There is a brief period when neither the original rule or the new rule exists, so the
    # corresponding traffic is dropped."
    "AWS::EC2::SecurityGroup": {
        "SecurityGroupEgress": _RULE_GAP,
        "SecurityGroupIngress": _RULE_GAP,
    },
}


_SOME_INTERRUPTION = "with some interruption (Template Reference: Some interruptions)"


def _interrupted(resource_type: str, keys: Iterable[str]) -> tuple[list[str], str]:
    """Those of ``keys`` whose in-place update interrupts the resource, and how
    (:data:`SOME_INTERRUPTIONS`)."""
    table = SOME_INTERRUPTIONS.get(resource_type, {})
    interrupted = sorted(key for key in set(keys) if key in table)
    how = "; ".join(dict.fromkeys(table[key] for key in interrupted))
    return interrupted, f"{_SOME_INTERRUPTION}: {how}"


def _interruption(resource_type: str, keys: Iterable[str]) -> str:
    """ "<keys> with some interruption (...): <how>" for those of ``keys`` an in-place update
    interrupts; "" for none."""
    interrupted, how = _interrupted(resource_type, keys)
    return f"{', '.join(interrupted)} {how}" if interrupted else ""


def _in_place(resource_type: str, keys: Sequence[str]) -> str:
    """The finding on properties updated in place, naming those the update interrupts."""
    interrupted, how = _interrupted(resource_type, keys)
    if not interrupted:
        return f"{', '.join(keys)} updated in place"
    if len(interrupted) == len(keys):  # each of them interrupts
        return f"{', '.join(keys)} updated in place, {how}"
    return f"{', '.join(keys)} updated in place; {', '.join(interrupted)} {how}"


def _schema(resource_type: str) -> Mapping[str, Any]:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    try:
        schema: Mapping[str, Any] = PROVIDER_SCHEMA_MANAGER.get_resource_schema(
            "us-east-1", resource_type
        ).schema
    except Exception:  # an unknown type: nothing can be said, so nothing is claimed
        return {}
    return schema


def _paths(pointers: Any) -> set[tuple[str, ...]]:
    return {
        tuple(pointer.split("/")[2:])
        for pointer in pointers or []
        if isinstance(pointer, str) and pointer.startswith("/properties/")
    }


@functools.cache
def _create_only(resource_type: str) -> tuple[tuple[str, ...], ...]:
    """Property paths of a type that cannot change without replacement (asked once per type:
    the knock-on pass asks again for every resource on every round): the schema's create-only
    properties; the writable ones of its primary identifier, which no update changes in place
    (a Route 53 record's Name, Type and SetIdentifier: its name changed, diff said "updated in
    place", and CloudFormation replaces the record, the old name gone); and
    :data:`DOCUMENTED_REPLACEMENT`."""
    schema = _schema(resource_type)
    read_only = _paths(schema.get("readOnlyProperties"))
    paths = _paths(schema.get("createOnlyProperties"))
    paths |= _paths(schema.get("primaryIdentifier")) - read_only
    paths |= set(DOCUMENTED_REPLACEMENT.get(resource_type, ()))
    return tuple(sorted(paths))


# A conditional create-only property's finding: which changes of it replace, the schema does not
# say, so no parameter value settles it (the Template Reference does, property by property).
SOME_CHANGES = "some changes of it replace"


@functools.cache
def _conditionally_create_only(resource_type: str) -> tuple[tuple[str, ...], ...]:
    """Property paths whose change replaces the resource for some values only (the schema's
    ``conditionalCreateOnlyProperties``: an ECS service's LaunchType, a VPC's InstanceTenancy)."""
    paths = _paths(_schema(resource_type).get("conditionalCreateOnlyProperties"))
    return tuple(sorted(paths - set(_create_only(resource_type))))


def _get(properties: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = properties
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _is_function(value: Any) -> bool:
    """Whether ``value`` is an intrinsic function (``Ref``, ``Fn::...``): a mapping of one such
    key. A mapping of one property that holds a function (``{"TargetGroups": [...]}``) is not
    one: it was read as one, and its other parts as unknown."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key,) = value
    return key == "Ref" or str(key).startswith("Fn::")


def _may_vanish(value: Any) -> bool:
    """Whether a value may resolve to nothing, removing its key or list item: an ``Fn::If``
    (either branch may be ``AWS::NoValue``) or ``AWS::NoValue`` itself. A ``Ref`` to a
    resource or a parameter is always something."""
    return _is_function(value) and ("Fn::If" in value or value == {"Ref": "AWS::NoValue"})


def _certainly_differs(before: Any, after: Any) -> bool:
    """Whether two values differ whatever their functions resolve to: they differ somewhere
    outside a function (a literal, a key, a list's length). Two values that differ only in a
    function (a ``Ref``, an ``Fn::If``, which may also remove a key or an item) only may; but
    a text whose ends are known differs for certain from one that cannot have those ends
    (``http://api:9000`` from an ``Fn::Sub`` of ``${EnvironmentUrl}/api/``)."""
    if before == after:
        return False
    ends, other_ends = _text_bounds(before), _text_bounds(after)
    # Two strings compare as they are (a placeholder is told apart from a new one on purpose);
    # a Sub on either side compares by the ends its text certainly has.
    subs = isinstance(before, dict) or isinstance(after, dict)
    if subs and ends is not None and other_ends is not None:
        if _NEW.sub(r"<\1>", json.dumps(after)) == json.dumps(before):
            return True  # the same, but for values certainly new (<Url, new> where <Url> was)
        (start, end, known), (other_start, other_end, other_known) = ends, other_ends
        if known and other_known:
            return start != other_start
        return not (
            (start.startswith(other_start) or other_start.startswith(start))
            and (end.endswith(other_end) or other_end.endswith(end))
        )
    if _is_function(before) or _is_function(after):
        return False
    if isinstance(before, dict) and isinstance(after, dict):
        for key in set(before) | set(after):
            if key not in before or key not in after:
                if not _may_vanish(before.get(key, after.get(key))):
                    return True
            elif _certainly_differs(before[key], after[key]):
                return True
        return False
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return not any(map(_may_vanish, before + after))
        return any(_certainly_differs(b, a) for b, a in zip(before, after, strict=True))
    return True


# What a text leaves unknown: an Fn::Sub's variables, and the placeholders diff_stacks puts
# for a nested stack's parameter passed from another's output (<Name>, <Name, new>, <Name,
# maybe new>), which stand for values known once deployed.
_VARIABLE = re.compile(r"\$\{[^}]*\}|<[A-Za-z0-9]+(?:, (?:maybe )?new)?>")
_NEW = re.compile(r"<([A-Za-z0-9]+), new>")


def _text_bounds(value: Any) -> tuple[str, str, bool] | None:
    """What a text certainly starts and ends with, and whether that is all of it: a string is
    known but for its placeholders; an ``Fn::Sub`` is known before its first variable and after
    its last (variables its map gives as strings filled in; a placeholder is a variable too).
    None for any other value, or a ``Sub`` that escapes a variable (``${!Literal}``)."""
    if isinstance(value, str):
        parts = _VARIABLE.split(value.replace("${", "\0"))  # a string's ${ is text
        parts = [part.replace("\0", "${") for part in parts]
        return parts[0], parts[-1], len(parts) == 1
    sub = _sub_text(value)
    if sub is None:
        return None
    text, variables = sub
    for name, given in variables.items():
        if isinstance(given, str):
            text = text.replace(f"${{{name}}}", given)
    parts = _VARIABLE.split(text)
    return parts[0], parts[-1], len(parts) == 1


def _sub_text(value: Any) -> tuple[str, Mapping[str, Any]] | None:
    """An ``Fn::Sub``'s text and its own variables (none when it has no map), when ``value``
    is one ``Fn::Sub`` whose text is a string that escapes no variable (``${!Literal}``);
    None otherwise."""
    if not (isinstance(value, dict) and list(value) == ["Fn::Sub"]):
        return None
    sub = value["Fn::Sub"]
    if isinstance(sub, list) and len(sub) == 2 and isinstance(sub[1], dict):
        text, variables = sub
    else:
        text, variables = sub, {}
    if not isinstance(text, str) or "${!" in text:
        return None
    return text, variables


def _replacements(
    resource_type: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    resources: Mapping[str, Any],
) -> list[str]:
    """Property paths whose change replaces the resource, each marked certain or conditional:
    certain when the values differ outside any function, or name two different ``resources``
    (``ListenerArn``: ``Ref HttpsListener`` -> ``Ref HttpListener``; see
    :func:`_two_resources`)."""
    found = []
    for path in _create_only(resource_type):
        before, after = _get(old, path), _get(new, path)
        if before != after:
            certain = _certainly_differs(before, after) or _names_another(before, after, resources)
            how = "replaces" if certain else "may replace"
            found.append(f"{'.'.join(path)} {how}")
    for path in _conditionally_create_only(resource_type):
        if _get(old, path) != _get(new, path):
            found.append(f"{'.'.join(path)} may replace ({SOME_CHANGES})")
    return sorted(found)


DELETION_PROTECTION_ATTRIBUTE = "deletion_protection.enabled"


def _kept_on_replacement(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """Where the old resource goes when it is replaced: with ``UpdateReplacePolicy: Retain``
    CloudFormation keeps it, outside the stack, and what it holds with it. Said only when both
    templates say Retain: which one CloudFormation applies when the same update changes the
    policy is not documented (a review), and _policy_findings reports that change itself."""
    if before.get("UpdateReplacePolicy") != "Retain" or after.get("UpdateReplacePolicy") != (
        "Retain"
    ):
        return ""
    return (
        "; the old one is kept (UpdateReplacePolicy Retain): it stays in the account, outside "
        "the stack"
    )


def _replacement_note(resource: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """What a replacement of ``resource`` (by ``after``) does, where the type says more than
    "replaces"."""
    if resource.get("Type") == "AWS::CertificateManager::Certificate":
        properties = resource.get("Properties") or {}
        options = properties.get("DomainValidationOptions")
        in_zone = isinstance(options, list) and any(
            isinstance(option, Mapping) and "HostedZoneId" in option for option in options
        )
        how = (
            "(CloudFormation writes its DNS records in the hosted zone: minutes)"
            if properties.get("ValidationMethod") == "DNS" and in_zone
            else "(by DNS records or emails someone must answer, or the update waits)"
        )
        return (
            f": CloudFormation requests a new certificate, waits until it is validated {how}, "
            "moves what uses it, then deletes the old one"
        )
    return _left_running(resource) + _kept_on_replacement(resource, after)


def _left_running(resource: Mapping[str, Any]) -> str:
    """What happens to a load balancer with deletion protection that an update replaces or
    deletes: CloudFormation tries to delete the old one three times, then "removes the old
    resource from the stack and continues updating the stack" (CloudFormation User Guide,
    troubleshooting: "Resource removed from stack but not deleted"). The stack ends
    UPDATE_COMPLETE; the old load balancer keeps running, and billing, outside it."""
    if resource.get("Type") != "AWS::ElasticLoadBalancingV2::LoadBalancer":
        return ""
    attributes = resource.get("Properties", {}).get("LoadBalancerAttributes", [])
    values = [
        item.get("Value")
        for item in (attributes if isinstance(attributes, list) else [])
        if isinstance(item, dict) and item.get("Key") == DELETION_PROTECTION_ATTRIBUTE
    ]
    if not isinstance(attributes, list):  # an Fn::If between lists: look inside
        text = json.dumps(attributes)
        values = [{"Fn::If": "?"}] if DELETION_PROTECTION_ATTRIBUTE in text else []
    if not values or values[0] in ("false", False):
        return ""
    how = "has" if values[0] in ("true", True) else "may have (a parameter decides)"
    return (
        f"; the old load balancer {how} deletion protection on: CloudFormation cannot delete "
        "it, leaves it running and billing outside the stack, and still reports "
        "UPDATE_COMPLETE. Update with DeletionProtection=false first"
    )


def _reopened(
    resource: Mapping[str, Any], old_resources: Mapping[str, Any], new_resources: Mapping[str, Any]
) -> str:
    """What removing the default security group's restriction from a VPC that stays does: its
    Delete gives the group back the two rules EC2 creates it with (layers/default_sg_handler.py),
    so whatever is put in that group later is open to the rest of the group and to the
    internet's replies again."""
    from .dry_run import DEFAULT_SECURITY_GROUP_RESTRICTION_TYPE

    if resource.get("Type") != DEFAULT_SECURITY_GROUP_RESTRICTION_TYPE:
        return ""
    # CloudFormation deletes the resource before its function, which answers the Delete.
    group = referred(resource.get("Properties", {}).get("GroupId"))
    if any(name not in new_resources for name in group & set(old_resources)):
        return ""  # the VPC goes too
    return (
        "; its Delete gives the VPC's default security group back the two rules EC2 creates it "
        "with (all traffic out, and in from the group itself): Security Hub's EC2.2 is no "
        "longer met"
    )


LISTENER_TYPE = "AWS::ElasticLoadBalancingV2::Listener"


def _kept_elsewhere(
    resource: Mapping[str, Any],
    parent_key: str,
    wanted: Mapping[str, Any],
    old_resources: Mapping[str, Any],
    new_resources: Mapping[str, Any],
) -> bool | None:
    """For a removed resource under a parent (a listener's load balancer, a route's table):
    ``None`` when the parent goes too (or is none of the stack's), else whether a resource of
    its type under the same parent has the ``wanted`` properties (``None``: absent) in the new
    template (a listener of the same port, a route to the same destination)."""
    parent = referred(resource.get("Properties", {}).get(parent_key))
    if not parent or any(name not in new_resources for name in parent & set(old_resources)):
        return None
    for other in new_resources.values():
        theirs = other.get("Properties", {})
        if (
            other.get("Type") == resource.get("Type")
            and referred(theirs.get(parent_key)) == parent
            and all(theirs.get(key) == value for key, value in wanted.items())
        ):
            return True
    return False


# The keys of a route's destination, and the default route of each address family.
_DESTINATIONS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock")
_DEFAULT_ROUTES = {"DestinationCidrBlock": "0.0.0.0/0", "DestinationIpv6CidrBlock": "::/0"}


def _default_route(key: str) -> dict[str, str | None]:
    """A route's destination properties when it is the default route of ``key``'s family."""
    return {**dict.fromkeys(_DESTINATIONS), key: _DEFAULT_ROUTES[key]}


def _no_way_out(
    resource: Mapping[str, Any], old_resources: Mapping[str, Any], new_resources: Mapping[str, Any]
) -> str:
    """What removing a route table's default route does when the table stays and no other
    route of the new template takes its destination: its subnets' tasks lose the way to the
    internet over that address family (``NatGateways=None``), and their calls to anything but
    the VPC's endpoints time out."""
    if resource.get("Type") != "AWS::EC2::Route":
        return ""
    properties = resource.get("Properties", {})
    destination = {key: properties.get(key) for key in _DESTINATIONS}
    key = next((k for k in _DESTINATIONS if destination == _default_route(k)), None)
    if key is None:
        return ""
    cut = _kept_elsewhere(resource, "RouteTableId", destination, old_resources, new_resources)
    if cut is not False:  # the table goes too, or another route takes the destination
        return ""
    other = next(k for k in _DESTINATIONS if k != key)
    family, other_family = ("IPv4", "IPv6") if key == "DestinationCidrBlock" else ("IPv6", "IPv4")
    if _kept_elsewhere(
        resource, "RouteTableId", _default_route(other), old_resources, new_resources
    ):
        return (
            f"; its route table keeps no {family} route to the internet (its {other_family} "
            f"route stays): {family} calls from its subnets to anything but the VPC and its "
            "endpoints time out"
        )
    return (
        "; its route table keeps no route to the internet: what runs in its subnets reaches only "
        "the VPC and its endpoints, and calls to anything else time out"
    )


def _closed_port(
    resource: Mapping[str, Any], old_resources: Mapping[str, Any], new_resources: Mapping[str, Any]
) -> str:
    """What removing a listener from a load balancer that stays (replaced or not) does: its port
    stops answering (the clients, links and bookmarks that use it get no answer, not even a
    redirect), unless another listener of the new template takes the same port of the same
    load balancer."""
    if resource.get("Type") != LISTENER_TYPE:
        return ""
    port = resource.get("Properties", {}).get("Port")
    closed = _kept_elsewhere(
        resource, "LoadBalancerArn", {"Port": port}, old_resources, new_resources
    )
    if closed is not False:  # the load balancer goes too, or another listener takes the port
        return ""
    which = f"port {port}" if isinstance(port, int | str) else "its port"
    return (
        f"; {which} of its load balancer stops answering: clients, links and bookmarks that use "
        "it get no answer"
    )


def _are(names: list[str]) -> str:
    return "are" if len(names) > 1 else "is"


def _and(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]


def _knock_on_why(
    refers: Mapping[tuple[str, ...], set[str]],
    causes: list[str],
    certain: bool,
    defaults: list[str],
) -> str:
    """Why a resource is replaced, or may be, by what its properties that no update changes in
    place (``refers``: each path's names) refer to: replaced resources, changed defaults."""
    used = set(causes or defaults)
    if not used:
        return ""
    paths = sorted(".".join(path) for path, names in refers.items() if names & used)
    one = len(paths) == 1
    what = f"its {_and(paths)} (no update changes {'it' if one else 'them'} in place)"
    if causes:
        refer = "refers" if one else "refer"
        which = f"which {_are(causes)} replaced" if certain else "which may be replaced"
        prefix = "replaced too" if certain else "may be replaced too"
        return f"{prefix}: {what} {refer} to {', '.join(causes)}, {which}"
    if defaults:
        return (
            f"may replace: {what} {'uses' if one else 'use'} {', '.join(defaults)}, whose "
            "default changed (stacks that kept the default)"
        )
    return ""


def _knock_on(
    template: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    replaced: dict[str, bool],
) -> list[Finding]:
    """Replacements a change causes elsewhere: a create-only property that refers to a replaced
    resource, to a parameter whose default changed, or a resource whose condition changed.

    ``replaced`` maps each replaced resource to whether its replacement is certain; one that
    only may be replaced makes what refers to it only possibly replaced too."""
    findings: list[Finding] = []
    old_resources: Mapping[str, Any] = old.get("Resources", {})
    new_resources: Mapping[str, Any] = new.get("Resources", {})
    new_defaults = _new_defaults(old, new)
    new_conditions: Mapping[str, Any] = new.get("Conditions", {})
    # What each condition compares, through the conditions it uses: a property switched by
    # Fn::If on a condition of a changed default changes for stacks that kept it (a target
    # group's Protocol, !If [IsApplicationLoadBalancer, HTTP, TCP], when LoadBalancerType's
    # default changed), though it names no parameter itself.
    compares = _compared_by(new_conditions)

    def uses(value: Any) -> set[str]:
        return referred(value).union(
            *(compares.get(c, set()) for c in _conditions_named(value, "Fn::If"))
        )

    settled = False
    while not settled:
        settled = True
        for name in sorted(set(old_resources) & set(new_resources)):
            if replaced.get(name):
                continue  # certainly replaced already: nothing to add
            resource = new_resources[name]
            properties = resource.get("Properties", {})
            kind = resource.get("Type", "")
            if not uses(properties) & (set(replaced) | new_defaults):
                # Its properties refer to no replaced resource and no changed default, so none
                # of those no update changes in place does (each is a part of them): nothing to
                # say, and cfn-lint's schemas (0.9 s to import) are not asked. A diff of
                # identical templates loaded them for every resource.
                continue
            # What each property no update changes in place refers to; a conditional one
            # (some changes of it replace) only ever "may".
            always = {path: uses(_get(properties, path)) for path in _create_only(kind)}
            sometimes = {
                path: uses(_get(properties, path)) for path in _conditionally_create_only(kind)
            }
            refers = set().union(*always.values(), *sometimes.values())
            causes = sorted(refers & set(replaced))
            defaults = sorted(refers & new_defaults)
            certain = any(
                replaced[cause] and any(cause in names for names in always.values())
                for cause in causes
            )
            if name in replaced and not certain:
                continue  # only may be replaced, and nothing makes it certain
            why = _knock_on_why({**always, **sometimes}, causes, certain, defaults)
            if not why:
                continue
            replaced[name] = certain
            settled = False
            severity = _loss(resource.get("Type"))
            why += _left_running(old_resources[name]) + _kept_on_replacement(
                old_resources[name], new_resources.get(name, {})
            )
            # Found only "may be replaced" on an earlier round, and now certainly: one line.
            findings = [f for f in findings if f.subject != f"resource {name}"]
            findings.append(Finding(template, severity, f"resource {name}", why))
    findings += _conditioned(template, old, new, compares, new_defaults)
    # What is not replaced but points at something that is gets the new one's ID or ARN.
    for name in sorted(set(old_resources) & set(new_resources)):
        if name in replaced:
            continue
        resource = new_resources[name]
        causes = sorted(
            referred(resource.get("Properties", {})) & {r for r, sure in replaced.items() if sure}
        )
        if causes:
            # The properties that get the new IDs: an update of one may interrupt.
            properties = resource.get("Properties", {})
            keys = [key for key, value in properties.items() if referred(value) & set(causes)]
            interruption = _interruption(resource.get("Type", ""), keys)
            findings.append(
                Finding(
                    template,
                    SAFE,
                    f"resource {name}",
                    f"updated in place: it refers to {', '.join(causes)}, which {_are(causes)} "
                    "replaced"
                    + (_DEPLOYMENT if resource.get("Type") == "AWS::ECS::Service" else "")
                    + (f"; {interruption}" if interruption else ""),
                )
            )
    return findings


# What each policy keeps of a resource CloudFormation deletes in an update, least first:
# RetainExceptOnCreate "behaves like Retain for stack operations, except for the stack operation
# that initially created the resource" (DeletionPolicy attribute, User Guide).
_KEEPS = {"Delete": 0, "Snapshot": 1, "RetainExceptOnCreate": 2, "Retain": 2}
# What each policy governs: a resource the stack deletes, or one an update replaces.
_WHEN = {"DeletionPolicy": "deleted", "UpdateReplacePolicy": "replaced"}


def _deletion_policy(resource: Mapping[str, Any]) -> str:
    """A resource's DeletionPolicy, its default filled in: "The default policy is Snapshot for
    AWS::RDS::DBCluster resources and for AWS::RDS::DBInstance resources that don't specify
    the DBClusterIdentifier property" (DeletionPolicy attribute, User Guide); Delete for the
    rest (the UpdateReplacePolicy's default is Delete for all: "By default, CloudFormation then
    deletes the old resource")."""
    policy = resource.get("DeletionPolicy")
    if isinstance(policy, str):
        return policy
    kind = resource.get("Type")
    clustered = "DBClusterIdentifier" in (resource.get("Properties") or {})
    snapshots = kind == "AWS::RDS::DBCluster" or (kind == "AWS::RDS::DBInstance" and not clustered)
    return "Snapshot" if snapshots else "Delete"


def _policy_findings(
    template: str,
    subject: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    stateful: bool,
) -> list[Finding]:
    findings = []
    for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
        if policy == "DeletionPolicy":
            was, now = _deletion_policy(before), _deletion_policy(after)
        else:
            was, now = before.get(policy, "Delete"), after.get(policy, "Delete")
        if was != now:
            weaker = _KEEPS.get(str(now), 0) < _KEEPS.get(str(was), 0)
            lost = "kept" if _KEEPS.get(str(was), 0) == 2 else "snapshotted"
            findings.append(
                Finding(
                    template,
                    DESTRUCTIVE if weaker and stateful else SAFE,
                    subject,
                    f"{policy} {was} -> {now}"
                    + (f": no longer {lost} when {_WHEN[policy]}" if weaker else ""),
                )
            )
    return findings


def _removed(
    template: str,
    name: str,
    old_resources: Mapping[str, Any],
    new_resources: Mapping[str, Any],
    renamed: str | None,
) -> Finding:
    """The finding on a resource the new template no longer has (``renamed``: the logical ID
    it has there, when it only changed its name)."""
    resource = old_resources[name]
    resource_type = resource.get("Type", "?")
    policy = _deletion_policy(resource)
    if _KEEPS.get(policy) == 2:
        return Finding(
            template,
            BREAKING,
            f"resource {name}",
            f"removed ({resource_type}) but kept (DeletionPolicy {policy}): it stays in the "
            "account, outside the stack"
            + (f"; the stack creates {renamed} anew" if renamed else ""),
        )
    if renamed:
        change = (
            f"logical ID renamed to {renamed} ({resource_type}): CloudFormation deletes the old "
            "resource and creates a new one"
        )
    else:
        change = f"removed ({resource_type}): deleted on update"
    if policy == "Snapshot":
        default = "" if "DeletionPolicy" in resource else ", its default"
        change += f", after a snapshot (DeletionPolicy Snapshot{default})"
    closed = _closed_port(resource, old_resources, new_resources)
    closed += _no_way_out(resource, old_resources, new_resources)
    change += _left_running(resource) + _reopened(resource, old_resources, new_resources) + closed
    if resource_type in NAME_TYPES:
        kept = renamed and _same_record(resource, new_resources[renamed])
        change += _RECORD_CLASH if kept else ": the name it answers stops resolving"
    severity = min(_loss(resource_type), BREAKING if closed else SAFE, key=SEVERITIES.index)
    return Finding(template, severity, f"resource {name}", change)


def _type_changed(was: Any, now: Any) -> str:
    """A logical ID whose resource type changes: CloudFormation refuses the update before it
    changes anything ("Update of resource type is not permitted. The new template modifies
    resource type of the following resources: [...]": aws/aws-sam-cli#6786,
    panther-labs/panther#1895, aws-quickstart/quickstart-amazon-eks#361; of a custom resource,
    Template Reference, AWS::CloudFormation::CustomResource: "You cannot change the type during
    an update"). It replaced nothing, and diff called it "replaced" (safe between two stateless
    types)."""
    return (
        f"{_FAILS}: type {was} -> {now}: CloudFormation does not change a resource's type "
        '("Update of resource type is not permitted"). Give the new resource another logical '
        "ID: the update then creates it and deletes the old one"
    )


def _resource_findings(
    template: str, old: Mapping[str, Any], new: Mapping[str, Any], replaced: dict[str, bool]
) -> list[Finding]:
    """Findings on the resources; ``replaced`` is filled with each replaced resource and
    whether its replacement is certain."""
    findings = []
    updated: list[Finding] = []  # the "updated in place" findings, whatever they go on to say
    reasons: dict[str, list[str]] = {}
    old_resources: Mapping[str, Any] = old.get("Resources", {})
    new_resources: Mapping[str, Any] = new.get("Resources", {})
    removed = sorted(set(old_resources) - set(new_resources))
    added = sorted(set(new_resources) - set(old_resources))

    renamed = _renames(
        removed, added, lambda name, candidate: old_resources[name] == new_resources[candidate]
    )
    findings += [
        _removed(template, name, old_resources, new_resources, renamed.get(name))
        for name in removed
    ]
    for name in added:
        if name not in renamed.values():
            findings.append(_added(template, name, new_resources[name], old_resources))

    for name in sorted(set(old_resources) & set(new_resources)):
        before, after = old_resources[name], new_resources[name]
        resource_type = after.get("Type", "?")
        stateful = resource_type in _stateful_types()
        subject = f"resource {name}"
        if before.get("Type") != resource_type:
            # What the way around (another logical ID) replaces is still followed.
            replaced[name] = True
            findings.append(
                Finding(
                    template, BREAKING, subject, _type_changed(before.get("Type"), resource_type)
                )
            )
            continue
        if before.get("Condition") != after.get("Condition"):
            findings.append(
                Finding(
                    template,
                    _loss(resource_type),
                    subject,
                    f"condition {before.get('Condition')} -> {after.get('Condition')}: may be "
                    "deleted or created on update",
                )
            )
        findings.extend(_policy_findings(template, subject, before, after, stateful))
        old_properties = before.get("Properties", {})
        new_properties = after.get("Properties", {})
        if old_properties == new_properties:
            continue
        replacements = _replacements(
            resource_type, old_properties, new_properties, {**old_resources, **new_resources}
        )
        changed = sorted(
            key
            for key in set(old_properties) | set(new_properties)
            if old_properties.get(key) != new_properties.get(key)
        )
        if replacements:
            replaced[name] = any(r.endswith(" replaces") for r in replacements)
            reasons[name] = replacements
            named = resource_type in NAME_TYPES
            findings.append(
                Finding(
                    template,
                    _loss(resource_type),
                    subject,
                    f"{', '.join(replacements)} ({resource_type})"
                    + (_record_replaced(before, after) if named else "")
                    + _replacement_note(before, after),
                )
            )

        replaced_keys = {r.split(" ")[0].split(".")[0] for r in replacements}
        in_place = [key for key in changed if key not in replaced_keys]
        if in_place and not replacements:  # a replaced resource is new through and through
            order = _launch_role_order(name, before, after, new_resources, in_place)
            order += _redeploys(resource_type, in_place)
            dropped = _instances_deleted(resource_type, old_properties, new_properties)
            severity = DESTRUCTIVE if dropped else SAFE
            text = _in_place(resource_type, in_place) + order + dropped
            finding = Finding(template, severity, subject, text)
            findings.append(finding)
            updated.append(finding)
    knock_on = _knock_on(template, old, new, replaced)
    # A resource found replaced later is new through and through: no "updated in place" for it.
    certain = {f"resource {name}" for name, sure in replaced.items() if sure}
    findings = [f for f in findings if not (f.subject in certain and f in updated)]
    return (
        findings
        + knock_on
        + _failures(template, old, new, replaced, reasons)
        + _weights_reset(template, old, new, replaced)
        + _endpoints_moved(template, old, new, replaced)
        + _protocols_changed(template, old, new, replaced)
    )


# The ECS service properties whose change starts a deployment, new tasks taking over from the
# running ones as the deployment configuration says. ECS API Reference, UpdateService: with a
# new task definition "Amazon ECS spawns a task with the new version of the task definition and
# then stops an old task"; forceNewDeployment "trigger[s] a new deployment with no service
# definition changes"; new volume configurations "trigger a new deployment". The network, load
# balancers, registries, Service Connect, capacity providers and platform version are what a
# task is launched with, so this project takes a change of them to start one too; the desired
# count, deployment configuration, placement and tags change no running task.
_REDEPLOYING = frozenset(
    {
        "CapacityProviderStrategy",
        "ForceNewDeployment",
        "LoadBalancers",
        "NetworkConfiguration",
        "PlatformVersion",
        "ServiceConnectConfiguration",
        "ServiceRegistries",
        "TaskDefinition",
        "VolumeConfigurations",
    }
)


_DEPLOYMENT = "; the service starts a deployment: new tasks take over from the running ones"


def _redeploys(resource_type: str, changed: Sequence[str]) -> str:
    """For an ECS service updated in place: whether its tasks are replaced."""
    if resource_type != "AWS::ECS::Service" or not _REDEPLOYING & set(changed):
        return ""
    return _DEPLOYMENT


STACK_SET_TYPE = "AWS::CloudFormation::StackSet"
_TARGET_KEYS = frozenset({"OrganizationalUnitIds", "Accounts"})


def _stack_instances(groups: Any) -> set[tuple[str, str]] | None:
    """The (organizational unit or account, region) pairs a StackSet's ``StackInstancesGroup``
    deploys to; ``None`` when a function or a filter (``AccountFilterType``) leaves them open."""
    if not isinstance(groups, list):
        return None
    pairs: set[tuple[str, str]] = set()
    for group in groups:
        targets = group.get("DeploymentTargets") if isinstance(group, Mapping) else None
        if not isinstance(targets, Mapping) or not set(targets) <= _TARGET_KEYS:
            return None
        names = [targets.get(key, []) for key in sorted(_TARGET_KEYS)]
        lists = [*names, group.get("Regions")]
        if not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in lists):
            return None
        pairs |= {(name, region) for name in names[0] + names[1] for region in lists[-1]}
    return pairs


def _instances_deleted(
    resource_type: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> str:
    """What a StackSet updated in place deletes: the stack instances of each organizational unit
    or account and region its ``StackInstancesGroup`` no longer names. CloudFormation's StackSet
    handler deletes them before it updates the rest (DeleteStackInstances without RetainStacks),
    and with them each account's stack in that region, all it holds but what it retains."""
    key = "StackInstancesGroup"
    if resource_type != STACK_SET_TYPE or before.get(key) == after.get(key):
        return ""
    was, now = _stack_instances(before.get(key)), _stack_instances(after.get(key))
    if was is None or now is None:
        return (
            "; it may delete stack instances (a target or region it no longer names): their "
            "stacks are deleted, with all they hold but what they retain"
        )
    gone = sorted(was - now)
    if not gone:
        return ""
    where = ", ".join(f"{name} in {region}" for name, region in gone)
    return (
        f"; it deletes the stack instances of {where}: the stack of each account there is "
        "deleted, with all it holds but what it retains"
    )


def _allowed(node: Any) -> dict[str, str]:
    """The IAM actions the Allow statements of a policy document (or a list of policies) name,
    in every branch, by their lower-case name (IAM action names are case-insensitive)."""
    found: dict[str, str] = {}
    if isinstance(node, list):
        for item in node:
            found |= _allowed(item)
    elif isinstance(node, Mapping):
        if "Action" in node and "Effect" in node:
            if node.get("Effect") != "Allow":
                return found
            return {action.lower(): action for action in _action_names(node["Action"])}
        for inner in node.values():
            found |= _allowed(inner)
    return found


def _action_names(value: Any) -> Iterator[str]:
    """The action names a statement's ``Action`` may hold: a name, a list of them, and each
    side of an ``Fn::If`` around either (the names under one were not collected, and a launch
    role's actions gained under a condition went untold)."""
    for branch in branches(value):
        if isinstance(branch, str):
            yield branch
        elif isinstance(branch, list):
            for item in branch:
                yield from _action_names(item)


def _uncovered(actions: set[str], patterns: set[str]) -> set[str]:
    """The ``actions`` no pattern of ``patterns`` covers (``s3:Get*`` covers ``s3:GetObject``)."""
    import fnmatch

    return {a for a in actions if not any(fnmatch.fnmatchcase(a, p) for p in patterns)}


def _launch_role_order(
    name: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    resources: Mapping[str, Any],
    changed: Sequence[str],
) -> str:
    """For a Service Catalog launch role whose policies change: which to update first, the
    catalog stack or the provisioned products. Service Catalog assumes the launch role "when
    an end user launches, updates, or terminates a product" (AWS Service Catalog Administrator
    Guide, Launch constraints), so a product moving to a version that needs an action the
    deployed role lacks fails and rolls back, and a product left on an older version may need
    an action the new role no longer grants."""
    if not {"Policies", "ManagedPolicyArns"} & set(changed):
        return ""
    if after.get("Type") != "AWS::IAM::Role" or not any(
        body.get("Type") == "AWS::ServiceCatalog::LaunchRoleConstraint"
        and name in referred(body.get("Properties", {}))
        for body in resources.values()
    ):
        return ""
    old = _allowed(before.get("Properties", {}).get("Policies"))
    new = _allowed(after.get("Properties", {}).get("Policies"))
    gained = {new[a] for a in _uncovered(set(new), set(old))}
    lost = {old[a] for a in _uncovered(set(old), set(new))}

    def some(actions: set[str]) -> str:
        shown = sorted(actions)[:3]
        more = f" and {len(actions) - 3} more" if len(actions) > 3 else ""
        return f"{len(actions)} action{'s' if len(actions) > 1 else ''} ({', '.join(shown)}{more})"

    said = []
    if gained:
        said.append(
            f"gains {some(gained)}: update this stack before any provisioned product moves to "
            "the new version (Service Catalog runs a product's update with the deployed role: "
            "without them it fails and rolls back)"
        )
    if lost:
        said.append(
            f"loses {some(lost)}: a provisioned product left on an older version may need them "
            "to update or terminate"
        )
    if "ManagedPolicyArns" in changed:
        said.append(
            "its managed policies change: if they grant more, update this stack before any "
            "provisioned product moves to the new version"
        )
    elif not said:
        said.append(
            "its statements change (resources or conditions): if they grant more, update this "
            "stack before any provisioned product moves to the new version"
        )
    return "; it is a launch role and " + "; ".join(said)


_FAILS = "the update fails"


def _removes_a_subnet(before: Any, after: Any) -> bool:
    """Whether a load balancer's subnets lose one: a list that no longer holds one of its
    members, or a value passed from another stack that certainly changes (a subnet replaced);
    only adding one is no swap."""
    if isinstance(before, list) and isinstance(after, list):
        return bool(
            {json.dumps(s, sort_keys=True) for s in before}
            - {json.dumps(s, sort_keys=True) for s in after}
        )
    return _certainly_differs(before, after)


def _weighted(actions: Any) -> tuple[bool, bool]:
    """(may, certainly): whether a listener rule's actions forward to two target groups or more
    by weight, in some branch of their ``Fn::If``s, and outside any."""
    if isinstance(actions, list):
        found = [_weighted(action) for action in actions]
        return any(may for may, _ in found), any(sure for _, sure in found)
    if not isinstance(actions, Mapping):
        return False, False
    if set(actions) == {"Fn::If"} and isinstance(actions["Fn::If"], list):
        found = [_weighted(branch) for branch in actions["Fn::If"][1:]]
        return any(may for may, _ in found), False
    groups = (actions.get("ForwardConfig") or {}).get("TargetGroups")
    weighted = isinstance(groups, list) and len(groups) >= 2
    return weighted, weighted


# The functions that name a resource: its physical ID, or one of its attributes.
_NAMING = ("Ref", "Fn::GetAtt")


def _names_another(
    before: Any,
    after: Any,
    resources: Mapping[str, Any],
    by: tuple[str, ...] = _NAMING,
) -> bool:
    """Whether, at the same place, the two values name two different resources through the
    functions ``by`` in a way that makes them differ whatever they resolve to (``Ref
    HttpListener`` -> ``Ref HttpsListener``; see :func:`_two_resources`). Only through plain
    lists and mappings: inside another function (an ``Fn::If``, an ``Fn::Select``) the place
    may not be the one used."""
    if _two_resources(before, after, resources, by):
        return True
    if _is_function(before) or _is_function(after):
        return False
    if isinstance(before, Mapping) and isinstance(after, Mapping) and set(before) == set(after):
        return any(_names_another(before[key], after[key], resources, by) for key in before)
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return any(_names_another(b, a, resources, by) for b, a in zip(before, after, strict=True))
    return False


# The types whose Ref is not the resource's own: a record set's is the record's name, which
# an A and an AAAA record of one name share ("Ref returns the domain name of the record",
# Template Reference, AWS::Route53::RecordSet, Return values).
_SHARED_REFS = frozenset({"AWS::Route53::RecordSet"})

# The types whose every identifier two resources share: each is a setting of the account, not
# a thing created, and its ARN, its primary identifier, is the setting's (an SSM service
# setting's ARN is that of the SettingId it updates, "arn:aws:ssm:...:servicesetting/ssm/...",
# SSM API Reference, UpdateServiceSetting; a default version's ARN is "The Amazon Resource
# Name (ARN) of the type", its schema).
_SETTINGS = frozenset({"AWS::SSM::ServiceSetting", "AWS::CloudFormation::ResourceDefaultVersion"})

# The identifiers that are the account's own, which every resource of the type in one account
# has (a Macie session's AwsAccountId, an ECR registry policy's RegistryId, the account's ID).
_ACCOUNT_IDENTIFIERS = frozenset({"AccountId", "AwsAccountId", "RegistryId"})

# The pseudo parameters no update changes: a stack's own, its account's and region's.
_CONSTANT_PSEUDO = frozenset(
    {"AWS::AccountId", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName"}
    | {"AWS::URLSuffix"}
)


def _two_resources(
    before: Any, after: Any, resources: Mapping[str, Any], by: tuple[str, ...] = _NAMING
) -> tuple[str, str] | None:
    """The two resources ``before`` and ``after`` name, when the two values differ whatever
    they resolve to because of it: each names one resource of one type by a value that is
    that resource's alone (:func:`_identity`: its ``Ref``, or its ``Arn`` or generated ID),
    through the functions ``by``. Resources of two types may share a value (a secret's ARN
    is also its target attachment's Ref), and so may two resources' other attributes (two
    subnets' ``VpcId``, two load balancers' ``CanonicalHostedZoneID``). An ``Fn::Sub`` whose
    text is the same but for one such variable (``${Bucket.Arn}/*`` -> ``${Other.Arn}/*``)
    names them too, when its other variables are values no update changes (a parameter's
    new value could move where one variable's text ends). None otherwise."""
    if before == after:
        return None  # nor are the schemas read
    was_parts, now_parts = _sub_variables(before), _sub_variables(after)
    if was_parts is not None and now_parts is not None:
        if len(was_parts) != len(now_parts):
            return None
        pairs = [(b, a) for b, a in zip(was_parts, now_parts, strict=True) if b != a]
        kept = [b for b, a in zip(was_parts[1::2], now_parts[1::2], strict=True) if b == a]
        if len(pairs) != 1 or not all(_constant(value) for value in kept):
            return None
        before, after = pairs[0]
    was, now = _identity(before, resources, by), _identity(after, resources, by)
    if was is None or now is None or was == now:
        return None
    if resources[was].get("Type") != resources[now].get("Type"):
        return None
    return was, now


def _constant(value: Any) -> bool:
    """Whether a variable of an ``Fn::Sub`` is the same before and after any update: a text
    its map gives, or a pseudo parameter of :data:`_CONSTANT_PSEUDO`."""
    return isinstance(value, str) or (_is_function(value) and value.get("Ref") in _CONSTANT_PSEUDO)


def _identity(value: Any, resources: Mapping[str, Any], by: tuple[str, ...]) -> str | None:
    """The resource of ``resources`` whose own value ``value`` is, through the functions
    ``by``: its ``Ref``, or an ``Fn::GetAtt`` of one of :func:`_own_identifier`. None for
    any other value, and for a resource whose type's values two resources may share: a custom
    resource (its physical ID and attributes are whatever its function returns), a type
    cfn-lint has no schema of, :data:`_SHARED_REFS` (for its ``Ref``), :data:`_SETTINGS`,
    and a type identified by the account (:data:`_ACCOUNT_IDENTIFIERS`)."""
    name = _resource_of(value, resources, by)
    if name is None:
        return None
    kind = str(resources[name].get("Type"))
    own = _own_identifier(kind)
    if own is None:
        return None
    if "Ref" in value:
        return None if kind in _SHARED_REFS else name
    attribute = (get_att(value) or (None, None))[1]
    return name if isinstance(attribute, str) and attribute in own else None


# An identifier's other attribute names: a security group's schema names ``Id`` its primary
# identifier, and ``GroupId`` is the same value (the schema: "The group ID of the specified
# security group"; Template Reference, AWS::EC2::SecurityGroup, Return values).
_OTHER_IDENTIFIERS = {"AWS::EC2::SecurityGroup": frozenset({"GroupId"})}


@functools.cache
def _own_identifier(resource_type: str) -> frozenset[str] | None:
    """The attributes that are a resource's own: its ``Arn``, and the identifiers AWS
    generates that its schema names as its primary identifier (read-only: not a name the
    template gives), alone or, in a composite one, an ARN (an ECS service's ``ServiceArn``,
    not its ``Cluster``); and :data:`_OTHER_IDENTIFIERS`. None for a type whose values two
    resources may share (see :func:`_identity`)."""
    schema = _schema(resource_type)
    identifier = [str(p).rsplit("/", 1)[-1] for p in schema.get("primaryIdentifier", [])]
    custom = resource_type.startswith("Custom::") or (
        resource_type == "AWS::CloudFormation::CustomResource"
    )
    shared = resource_type in _SETTINGS or set(identifier) & _ACCOUNT_IDENTIFIERS
    if custom or not schema or shared:
        return None
    read_only = {str(p).rsplit("/", 1)[-1] for p in schema.get("readOnlyProperties", [])}
    generated = set(identifier) & read_only
    own = generated if len(identifier) == 1 else {n for n in generated if n.endswith("Arn")}
    own |= {"Arn"} & read_only
    return frozenset(own) | _OTHER_IDENTIFIERS.get(resource_type, frozenset())


def _sub_variables(value: Any) -> list[Any] | None:
    """An ``Fn::Sub``'s text split into its literal parts and its variables, each variable a
    ``Ref`` or an ``Fn::GetAtt`` of what it names (its own map's variables as they are given),
    when the text is a string that escapes nothing; None otherwise."""
    sub = _sub_text(value)
    if sub is None:
        return None
    text, variables = sub
    parts: list[Any] = []
    for index, piece in enumerate(SUB_VARIABLE.split(text)):
        name = sub_name(piece) if index % 2 else None
        if not index % 2:
            parts.append(piece)
        elif name is None:
            return None
        elif name in variables:
            parts.append(variables[name])
        elif "." in name:
            parts.append({"Fn::GetAtt": name})
        else:
            parts.append({"Ref": name})
    return parts


# The resources ECS shifts weights on, and the property that holds their forward: a listener
# rule's, and a network load balancer's listener, which ECS takes as the production "rule"
# ("Must be RuleArn for ALB or ListenerArn for NLB", ECS Developer Guide,
# troubleshooting-blue-green.html).
_WEIGHTED_ACTIONS = {
    "AWS::ElasticLoadBalancingV2::ListenerRule": "Actions",
    "AWS::ElasticLoadBalancingV2::Listener": "DefaultActions",
}


def _forward_weights(resource: Mapping[str, Any]) -> tuple[bool, bool]:
    """(may, certainly): whether a listener rule or listener forwards by weight (see
    :func:`_weighted`); neither for a resource of another type."""
    actions = _WEIGHTED_ACTIONS.get(str(resource.get("Type")))
    if actions is None:
        return False, False
    return _weighted(resource.get("Properties", {}).get(actions))


def _weights_reset(
    template: str, old: Mapping[str, Any], new: Mapping[str, Any], replaced: Mapping[str, bool]
) -> list[Finding]:
    """Listener rules that forward by weight (the production rule of a canary, linear or
    blue/green deployment), and listeners that do (a network load balancer's, which is its own
    production rule), that the update changes or replaces. ECS sets their weights in each
    deployment, outside the template; a stack update of the rule sets them back to the
    template's (aws/aws-cdk#36649, aws/containers-roadmap#2853), and the new revision may be
    serving from the other target group: every request can go to one with no tasks."""
    findings = []
    old_resources: Mapping[str, Any] = old.get("Resources", {})
    new_resources: Mapping[str, Any] = new.get("Resources", {})
    gone = {name for name, sure in replaced.items() if sure}
    for name in sorted(set(old_resources) & set(new_resources)):
        before, after = old_resources[name], new_resources[name]
        may, certainly = _forward_weights(before)
        was, now = before.get("Properties", {}), after.get("Properties", {})
        if not may or not (was != now or name in replaced or referred(now) & gone):
            continue
        actions = _WEIGHTED_ACTIONS[before["Type"]]
        if not _weighted(now.get(actions))[0]:
            # The move back to ROLLING, as the README says to do before such a change.
            findings.append(
                Finding(
                    template,
                    BREAKING,
                    f"resource {name}",
                    "may stop forwarding by weight: if the last canary, linear or blue/green "
                    "deployment left the traffic on the other target group, requests fail "
                    "until the rolling deployment registers tasks in the one the rule keeps "
                    "(try the move in a staging stack first)",
                )
            )
            continue
        resources = {**old_resources, **new_resources}
        certain = (
            certainly
            and "Condition" not in before
            and (
                replaced.get(name, False)
                or bool(referred(now) & gone)
                or _certainly_differs(was, now)
                or _names_another(was, now, resources)
            )
        )
        findings.append(
            Finding(
                template,
                BREAKING,
                f"resource {name}",
                f"{'resets' if certain else 'may reset'} the weights ECS set in the last canary, "
                "linear or blue/green deployment to the template's (aws/aws-cdk#36649): every "
                "request may go to a target group without tasks. Move the service to ROLLING "
                "with one update first, then make this change",
            )
        )
    return (
        findings
        + _weights_moved(template, old_resources, new_resources)
        + _weights_dropped(template, old_resources, new_resources)
    )


def _production_rules(service: Mapping[str, Any]) -> set[str]:
    """The resources an ECS service names as its production listener rule (or, on a network
    load balancer, listener): ``LoadBalancers[].AdvancedConfiguration.ProductionListenerRule``,
    in every branch of their ``Fn::If``s."""
    found: set[str] = set()
    for balancers in branches(service.get("Properties", {}).get("LoadBalancers")):
        for entry in balancers if isinstance(balancers, list) else ():
            for balancer in branches(entry):
                if not isinstance(balancer, Mapping):
                    continue
                for advanced in branches(balancer.get("AdvancedConfiguration")):
                    if isinstance(advanced, Mapping):
                        found |= referred(advanced.get("ProductionListenerRule"))
    return found


def _weights_dropped(
    template: str, old_resources: Mapping[str, Any], new_resources: Mapping[str, Any]
) -> list[Finding]:
    """The production rule, forwarding by weight, of a service the update keeps and moves back
    to ROLLING (it names no production rule any more), that the update removes: an application
    load balancer's. CloudFormation deletes it last, after the service's rolling deployment
    ("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", CloudFormation User Guide); until then it forwards
    by the weights ECS set, maybe all to the alternate target group, whose tasks the rolling
    deployment stops while it registers the new ones in the target group it keeps. A rule
    another one takes over from is :func:`_weights_moved`'s."""
    kept = [
        name
        for name, resource in old_resources.items()
        if resource.get("Type") == "AWS::ECS::Service"
        and (new_resources.get(name) or {}).get("Type") == "AWS::ECS::Service"
        and not _production_rules(new_resources[name])
    ]
    rules = set().union(*(_production_rules(old_resources[name]) for name in kept))
    return [
        Finding(
            template,
            BREAKING,
            f"resource {name}",
            "removed while it forwards by weight: if the last canary, linear or blue/green "
            "deployment left the traffic on the other target group, requests fail once the "
            "rolling deployment stops the tasks there, until CloudFormation deletes it at the "
            "end of the update (try the move in a staging stack first)",
        )
        for name in sorted(rules & set(old_resources) - set(new_resources))
        if _forward_weights(old_resources[name])[0]
    ]


def _weights_moved(
    template: str, old_resources: Mapping[str, Any], new_resources: Mapping[str, Any]
) -> list[Finding]:
    """A rule or listener forwarding by weight that the update adds while it removes another:
    on a network load balancer a certificate given swaps HttpListener for HttpsListener, the
    production "rule" ECS shifts. The new one starts at the template's weights, not at those
    ECS set on the old one."""

    def weighted(resources: Mapping[str, Any], names: Iterable[str]) -> list[str]:
        return [name for name in sorted(names) if _forward_weights(resources[name])[0]]

    gone = weighted(old_resources, set(old_resources) - set(new_resources))
    added = weighted(new_resources, set(new_resources) - set(old_resources))
    if not gone:
        return []
    return [
        Finding(
            template,
            BREAKING,
            f"resource {name}",
            f"takes over from {', '.join(gone)} forwarding by weight, at the template's weights, "
            "not those ECS set in the last canary, linear or blue/green deployment: every "
            "request may go to a target group without tasks. Move the service to ROLLING with "
            "one update first, then make this change",
        )
        for name in added
    ]


def _connect_services(properties: Mapping[str, Any]) -> list[Any]:
    """The ``Services`` (the endpoints it offers) an ECS service's Service Connect may have,
    one per branch of the ``Fn::If``s around its configuration."""
    found = []
    for configuration in branches(properties.get("ServiceConnectConfiguration")):
        if isinstance(configuration, Mapping):
            found += [s for s in branches(configuration.get("Services")) if s]
    return found


def _endpoints_moved(
    template: str, old: Mapping[str, Any], new: Mapping[str, Any], replaced: Mapping[str, bool]
) -> list[Finding]:
    """ECS services whose Service Connect endpoint (the names and ports it is called by)
    changes in place. Its callers keep the old one: "Existing tasks can't resolve and connect
    to the new endpoint. Only new tasks ... that start running after this deployment can"
    (Amazon ECS Developer Guide, Service Connect components)."""
    findings = []
    old_resources: Mapping[str, Any] = old.get("Resources", {})
    new_resources: Mapping[str, Any] = new.get("Resources", {})
    new_defaults = _new_defaults(old, new)
    for name in sorted(set(old_resources) & set(new_resources)):
        before, after = old_resources[name], new_resources[name]
        if after.get("Type") != "AWS::ECS::Service" or replaced.get(name):
            continue
        was = _connect_services(before.get("Properties", {}))
        now = _connect_services(after.get("Properties", {}))
        if was and not now:
            # "names and aliases (also known as endpoints) that are used by other Amazon ECS
            # services to connect to this service" (ECS API Reference, ServiceConnectConfiguration,
            # services): without them, whatever calls the service by its name fails.
            findings.append(
                Finding(
                    template,
                    BREAKING,
                    f"resource {name}",
                    "the Service Connect endpoint it is called by is removed: the services that "
                    "call it by its name fail to reach it; move them off it first",
                )
            )
        if not was or not now:
            continue  # an endpoint added: no one could call it before (removed: said above)
        defaults = sorted(referred(now) & new_defaults)
        if was == now and not defaults:
            continue
        single = len(was) == 1 and len(now) == 1
        how = "changes" if single and _certainly_differs(was[0], now[0]) else "may change"
        why = f" ({possessive(', '.join(defaults))} default changed)" if was == now else ""
        findings.append(
            Finding(
                template,
                BREAKING,
                f"resource {name}",
                f"the Service Connect endpoint it is called by {how}{why}: the services that "
                "call it keep the old one until their own next deployment (ECS: existing tasks "
                "cannot resolve the new endpoint); deploy them again after this update",
            )
        )
    return findings


# What ECS takes of a port mapping Service Connect serves a service by only when the service is
# created: "appProtocol is immutable in a Service Connect service. Updating this field requires a
# service deletion and redeployment" (ECS API Reference, PortMapping:
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html); the protocol
# it carries (tcp, udp) is what the proxy forwards, compared with it.
_FIXED_PORT_MAPPING_KEYS = ("AppProtocol", "Protocol")


def _members(value: Any) -> Iterator[Mapping[str, Any]]:
    """Each mapping a list may hold, in every branch of the ``Fn::If``s around it and its items."""
    for branch in branches(value):
        for item in branch if isinstance(branch, list) else []:
            yield from (member for member in branches(item) if isinstance(member, Mapping))


def _served_ports(
    service: Mapping[str, Any], resources: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """The port mappings an ECS service's Service Connect serves it by (its services'
    ``PortName``s, in every branch), in the task definitions it refers to, by port name: only
    the keys ECS fixes at creation (:data:`_FIXED_PORT_MAPPING_KEYS`)."""
    properties = service.get("Properties", {})
    names = {
        served["PortName"]
        for services in _connect_services(properties)
        for served in _members(services)
        if isinstance(served.get("PortName"), str)
    }
    found: dict[str, dict[str, Any]] = {}
    for ref in sorted(referred(properties.get("TaskDefinition"))):
        definition = resources.get(ref, {})
        if definition.get("Type") != "AWS::ECS::TaskDefinition":
            continue
        for container in _members(definition.get("Properties", {}).get("ContainerDefinitions")):
            for port in _members(container.get("PortMappings")):
                for name in branches(port.get("Name")):
                    if isinstance(name, str) and name in names:
                        found[name] = {k: port[k] for k in _FIXED_PORT_MAPPING_KEYS if k in port}
    return found


def _only(mapping: Mapping[str, Any], key: str) -> dict[str, Any]:
    return {key: mapping[key]} if key in mapping else {}


def _protocols_changed(
    template: str, old: Mapping[str, Any], new: Mapping[str, Any], replaced: Mapping[str, bool]
) -> list[Finding]:
    """ECS services kept (not replaced) whose port mapping Service Connect serves them by gets
    another application protocol (or protocol): ECS refuses the new deployment, as
    :data:`_FIXED_PORT_MAPPING_KEYS` says. Said only of a change certain to happen: a protocol
    added under an ``Fn::If`` (the shipped template's ServiceConnectAppProtocol, empty by
    default) is what a stack's diff, with its values, tells."""
    findings = []
    old_resources: Mapping[str, Any] = old.get("Resources", {})
    new_resources: Mapping[str, Any] = new.get("Resources", {})
    for name in sorted(set(old_resources) & set(new_resources)):
        before, after = old_resources[name], new_resources[name]
        if after.get("Type") != "AWS::ECS::Service" or replaced.get(name):
            continue
        was = _served_ports(before, old_resources)
        now = _served_ports(after, new_resources)
        changed = [
            key
            for key in _FIXED_PORT_MAPPING_KEYS
            if any(
                _certainly_differs(_only(was[port], key), _only(now[port], key))
                for port in sorted(set(was) & set(now))
            )
        ]
        if changed:
            findings.append(
                Finding(
                    template,
                    BREAKING,
                    f"resource {name}",
                    f"{_FAILS}: the {' and '.join(changed)} of the port mapping "
                    "Service Connect serves it by changes, which ECS takes only when a service "
                    'is created ("appProtocol is immutable in a Service Connect service. '
                    'Updating this field requires a service deletion and redeployment", ECS '
                    "API Reference, PortMapping). Remove the service first (a spec's: leave "
                    "it out of one update; a stack of the shipped service.yaml: delete the "
                    "stack), then create it again with the new protocol",
                )
            )
    return findings


def _added(
    template: str, name: str, resource: Mapping[str, Any], old_resources: Mapping[str, Any]
) -> Finding:
    """A resource the new template adds: safe, except the custom resource that empties the
    default security group of a VPC that is already running, where whatever of yours is in that
    group makes the update fail (its function refuses, and CloudFormation rolls back)."""
    from .dry_run import DEFAULT_SECURITY_GROUP_RESTRICTION_TYPE

    kind = resource.get("Type", "?")
    vpcs = referred(resource.get("Properties", {}).get("GroupId"))
    if kind == DEFAULT_SECURITY_GROUP_RESTRICTION_TYPE and vpcs & set(old_resources):
        return Finding(
            template,
            BREAKING,
            f"resource {name}",
            f"added ({kind}): the update empties the running VPC's default security group, and "
            f"{_FAILS} (changing nothing) if a network interface is in that group; give it a "
            "security group of its own first, or pass RestrictDefaultSecurityGroup=false",
        )
    return Finding(template, SAFE, f"resource {name}", f"added ({kind})")


def _failures(
    template: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    replaced: Mapping[str, bool],
    reasons: Mapping[str, list[str]],
) -> list[Finding]:
    """Changes CloudFormation accepts in a template but the service refuses during the update,
    which then fails and rolls back:

    - a subnet moved to another Availability Zone with its CIDR block kept: CloudFormation
      creates the new subnet before it deletes the old one, and EC2 refuses a second subnet
      with the same block ("CIDR Block must change if Availability Zone is changed and VPC ID
      is not changed", docker-archive/for-aws#17, buildkite/elastic-ci-stack-for-aws#319);
    - a load balancer kept while the template moves to another VPC (a security group or target
      group replaced for its ``VpcId``): a load balancer cannot change VPC, and its new subnets
      and security groups are in another one (hashicorp/terraform-provider-aws#1023);
    - a Network Load Balancer's subnets changed: a subnet swapped for another in the same
      Availability Zone takes two updates, "first complete removing the existing subnet, and
      then you can add the new subnet" (Elastic Load Balancing, Network Load Balancers,
      "Update the Availability Zones");
    - an ECS service with Service Connect replaced: the new service is created while the old
      one still holds its Service Connect name ("SC service is already used",
      aws/copilot-cli#4337, #5431);
    - a NAT gateway replaced (its subnet replaced: a new CIDR block or zone) with the Elastic IP
      address it has: CloudFormation creates the new NAT gateway before deleting the old one
      (User Guide, "Update behaviors of stack resources"), and EC2 gives a new NAT gateway no
      address another holds ("If the Elastic IP address is associated with another resource,
      you must first disassociate it", CreateNatGateway; a NAT gateway's primary address
      cannot be disassociated, DisassociateNatGatewayAddress): ``Resource.AlreadyAssociated``
      (pulumi/pulumi-aws#1483).
    """
    findings = []
    before: Mapping[str, Any] = old.get("Resources", {})
    after: Mapping[str, Any] = new.get("Resources", {})
    moved = sorted(
        name
        for name, why in reasons.items()
        if replaced.get(name) and any(r.startswith("VpcId ") for r in why)
    )
    for name in sorted(set(before) & set(after)):
        kind = after[name].get("Type")
        was = before[name].get("Properties", {})
        now = after[name].get("Properties", {})
        why = " ".join(reasons.get(name, []))
        found = ""
        if kind == "AWS::EC2::Subnet" and "AvailabilityZone" in why:
            same_block = was.get("CidrBlock") == now.get("CidrBlock")
            # EC2 refuses it only in the same VPC: a new VPC holds the new subnet on its own.
            same_vpc = was.get("VpcId") == now.get("VpcId") and not (
                referred(now.get("VpcId")) & {n for n, sure in replaced.items() if sure}
            )
            if same_block and same_vpc and not _has_intrinsic(now.get("CidrBlock")):
                found = (
                    f"{_FAILS}{'' if replaced[name] else ' if the zone changes'}: CloudFormation "
                    "creates the new subnet before deleting the old one, and a VPC holds one "
                    "subnet per CIDR block. Change CidrBlock with the zone"
                )
        elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer" and not replaced.get(name):
            if moved:
                found = (
                    f"{_FAILS}: a load balancer cannot move to another VPC, and "
                    f"{', '.join(moved)} move to another (VpcId replaces). Launch a new stack "
                    "in the new VPC, move the traffic, then delete the old one"
                )
            elif now.get("Type") == "network" and _removes_a_subnet(
                was.get("Subnets"), now.get("Subnets")
            ):
                found = (
                    f"{_FAILS} if a subnet is swapped for another in the same Availability "
                    "Zone: a Network Load Balancer takes that as two updates (remove the old "
                    "subnet, then add the new one)"
                )
        elif kind == "AWS::ECS::Service" and name in replaced:
            configuration = now.get("ServiceConnectConfiguration", {})
            # Under a condition (a template, not a stack) it is for some stacks only: not said.
            if not _is_function(configuration) and '"Services"' in json.dumps(configuration):
                found = (
                    f"{_FAILS}{'' if replaced[name] else ' if it is replaced'}: the new service "
                    'is created while the old one still holds its Service Connect name ("SC '
                    'service is already used"). The old service must go first, in an update '
                    "of its own"
                )
        elif kind == "AWS::EC2::NatGateway" and name in replaced:
            found = _address_held(name, was, now, replaced)
        if not found and name in replaced and before[name].get("Type") == kind:
            found = _token_changed(kind, replaced[name]) or _name_kept(
                kind, was, now, set(replaced) | _new_defaults(old, new), replaced[name]
            )
        if found:
            findings.append(Finding(template, BREAKING, f"resource {name}", found))
    return findings


CUSTOM_RESOURCE_TYPE = "AWS::CloudFormation::CustomResource"


def _token_changed(kind: Any, certain: bool) -> str:
    """Why a custom resource replaced (its ServiceToken, the one property of its own, changes,
    or names a replaced function) fails the update: CloudFormation does not replace it, it
    refuses the new token ("Modifying service token is not allowed": aws/aws-cdk#30261,
    aws-solutions/aws-waf-security-automations#114; Template Reference,
    AWS::CloudFormation::CustomResource, ServiceToken: "Updates are not supported"). ""
    for any other type."""
    if kind != CUSTOM_RESOURCE_TYPE and not str(kind).startswith("Custom::"):
        return ""
    return (
        f"{_FAILS}{'' if certain else ' if its ServiceToken changes'}: CloudFormation does not "
        'replace a custom resource for a new ServiceToken ("Modifying service token is not '
        'allowed"). Give the custom resource another logical ID in the same update: it is then '
        "created with the new token, and the old one deleted"
    )


# The resource types that take a custom name, and the property that gives it: the CloudFormation
# User Guide's "Name type" page ("The following resource types support custom names"), and an
# ECS service's ServiceName (aws/aws-cdk#4347: "CloudFormation cannot update a stack when a
# custom-named resource requires replacing. Rename cluster-name\app-name").
CUSTOM_NAMES: dict[str, str] = {
    "AWS::ApiGateway::ApiKey": "Name",
    "AWS::ApiGateway::Model": "Name",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::CodeDeploy::Application": "ApplicationName",
    "AWS::CodeDeploy::DeploymentConfig": "DeploymentConfigName",
    "AWS::CodeDeploy::DeploymentGroup": "DeploymentGroupName",
    "AWS::Config::ConfigRule": "ConfigRuleName",
    "AWS::Config::ConfigurationRecorder": "Name",
    "AWS::Config::DeliveryChannel": "Name",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::EC2::SecurityGroup": "GroupName",
    "AWS::ECR::Repository": "RepositoryName",
    "AWS::ECS::Cluster": "ClusterName",
    "AWS::ECS::Service": "ServiceName",
    "AWS::ElastiCache::CacheCluster": "ClusterName",
    "AWS::ElasticBeanstalk::Application": "ApplicationName",
    "AWS::ElasticBeanstalk::Environment": "EnvironmentName",
    "AWS::ElasticLoadBalancing::LoadBalancer": "LoadBalancerName",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "Name",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "Name",
    "AWS::Elasticsearch::Domain": "DomainName",
    "AWS::Events::Rule": "Name",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::RDS::DBInstance": "DBInstanceIdentifier",
    "AWS::S3::Bucket": "BucketName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::SQS::Queue": "QueueName",
}


def _name_kept(
    kind: Any,
    was: Mapping[str, Any],
    now: Mapping[str, Any],
    changing: set[str],
    certain: bool,
) -> str:
    """Why a resource replaced (``certain``: for certain) with the custom name it has fails
    the update: "You can't perform an update that causes a custom-named resource to be
    replaced. If you must replace the resource, specify a new name" (User Guide, "Name type").
    "" when the name changes with it, or may (it uses one of the ``changing`` names: a
    replaced resource, a parameter whose default changed), or it has none."""
    key = CUSTOM_NAMES.get(str(kind))
    if key is None or now.get(key) is None or was.get(key) != now[key]:
        return ""
    if referred(now[key]) & changing:
        return ""
    named = certain and not _may_vanish(now[key])  # an Fn::If may give it no name
    return (
        f"{_FAILS}{'' if named else ' if it is replaced with its name'}: CloudFormation does not "
        f"replace a resource with a custom name ({key}) unless the name changes too "
        '("CloudFormation cannot update a stack when a custom-named resource requires '
        f'replacing"). Give {key} a new value in the same update, or remove it'
    )


def _address_held(
    name: str, was: Mapping[str, Any], now: Mapping[str, Any], replaced: Mapping[str, bool]
) -> str:
    """Why a replaced NAT gateway fails the update: its replacement asks for the Elastic IP
    address the old one still holds (the same ``AllocationId``, of an address not certainly
    replaced with it); "" when it gets another one, or none (a private NAT gateway)."""
    allocation = now.get("AllocationId")
    if allocation is None or was.get("AllocationId") != allocation:
        return ""
    if referred(allocation) & {other for other, sure in replaced.items() if sure}:
        return ""  # a new address: nothing is held
    return (
        f"{_FAILS}{'' if replaced[name] else ' if it is replaced'}: CloudFormation creates the "
        "new NAT gateway before deleting the old one, and gives it the Elastic IP address the "
        "old one still holds, which EC2 refuses (Resource.AlreadyAssociated). The NAT gateway "
        "must go first, in an update of its own (its Elastic IP address with it: the new one "
        "gets another public address), then come back with the change"
    )


def _tightened(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    reasons = []
    if "AllowedValues" in new:
        dropped = [v for v in old.get("AllowedValues", []) if v not in new["AllowedValues"]]
        if "AllowedValues" not in old or dropped:
            reasons.append(
                "AllowedValues no longer allow " + ", ".join(map(str, dropped))
                if dropped
                else "AllowedValues added"
            )
    if old.get("AllowedPattern") != new.get("AllowedPattern") and "AllowedPattern" in new:
        reasons.append("AllowedPattern changed: values accepted before may be refused")
    for key in _TIGHTER_IF_HIGHER:
        if key in new and float(new[key]) > float(old.get(key, float("-inf"))):
            reasons.append(f"{key} raised to {new[key]}")
    for key in _TIGHTER_IF_LOWER:
        if key in new and float(new[key]) < float(old.get(key, float("inf"))):
            reasons.append(f"{key} lowered to {new[key]}")
    return reasons


def _renames(
    removed: list[str], added: list[str], alike: Callable[[str, str], bool]
) -> dict[str, str]:
    """Each removed name paired with the added one it became, when that is the only added name
    ``alike`` it and it is alike no other removed name (a resource's logical ID renamed, its
    body the same). A newcomer's trial: ``worker`` renamed to ``jobs`` and ``admin`` added in
    one change gave "WorkerContainerImage renamed to AdminContainerImage", the first parameter
    of the same type and default."""
    like = _candidates(removed, added, alike)
    liked = {
        candidate: [name for name in removed if candidate in like[name]] for candidate in added
    }
    renamed = {
        name: found[0]
        for name, found in like.items()
        if len(found) == 1 and len(liked[found[0]]) == 1
    }
    return renamed


def _candidates(
    removed: list[str], added: list[str], alike: Callable[[str, str], bool]
) -> dict[str, list[str]]:
    """Each removed name with every added name ``alike`` it (none: an empty list)."""
    return {name: [candidate for candidate in added if alike(name, candidate)] for name in removed}


def _one_of(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"one of {', '.join(names)}"


def _parameter_findings(
    template: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[Finding]:
    findings = []
    before: Mapping[str, Any] = old.get("Parameters", {})
    after: Mapping[str, Any] = new.get("Parameters", {})
    removed = sorted(set(before) - set(after))
    added = sorted(set(after) - set(before))
    # A rename is only ever a guess: a service renamed and a service replaced by another give
    # the same parameters (a newcomer's trial: worker removed and api added was "renamed to
    # ApiContainerImage"). Each removed parameter names every new one of its type and default;
    # the new ones are listed too: the update must supply them either way.
    guesses = _candidates(
        removed,
        added,
        lambda name, candidate: all(
            before[name].get(key) == after[candidate].get(key) for key in ("Type", "Default")
        ),
    )
    for name in removed:
        change = "removed: stacks that pass it fail to update" + (
            f" (renamed to {_one_of(guesses[name])}?)" if guesses[name] else ""
        )
        findings.append(Finding(template, BREAKING, f"parameter {name}", change))
    for name in added:
        if "Default" in after[name]:
            findings.append(Finding(template, SAFE, f"parameter {name}", "added, with a default"))
        else:
            findings.append(
                Finding(
                    template,
                    BREAKING,
                    f"parameter {name}",
                    "added without a default: the update that adds it must supply it",
                )
            )
    for name in sorted(set(before) & set(after)):
        was, now = before[name], after[name]
        subject = f"parameter {name}"
        if was.get("Type") != now.get("Type"):
            findings.append(
                Finding(template, BREAKING, subject, f"type {was.get('Type')} -> {now.get('Type')}")
            )
        for reason in _tightened(was, now):
            findings.append(Finding(template, BREAKING, subject, reason))
        if was.get("Default") != now.get("Default"):
            findings.append(
                Finding(
                    template,
                    BREAKING,
                    subject,
                    f"default {was.get('Default')!r} -> {now.get('Default')!r}: an update "
                    "that gives no value for it takes the new default (aws cloudformation "
                    "deploy and the console give the stack's current value: pass the new one "
                    "to change a running stack)",
                )
            )
    return findings


def _export_name(output: Mapping[str, Any]) -> Any:
    return (output.get("Export") or {}).get("Name")


def _output_findings(
    template: str, old: Mapping[str, Any], new: Mapping[str, Any], replaced: Mapping[str, bool]
) -> list[Finding]:
    findings = []
    before: Mapping[str, Any] = old.get("Outputs", {})
    after: Mapping[str, Any] = new.get("Outputs", {})
    changes = _changed_outputs(old, new, replaced)
    for name in sorted(set(before) - set(after)):
        exported = (
            " and its export (Fn::ImportValue users break)" if _export_name(before[name]) else ""
        )
        findings.append(Finding(template, BREAKING, f"output {name}", f"removed{exported}"))
    for name in sorted(set(after) - set(before)):
        findings.append(Finding(template, SAFE, f"output {name}", "added"))
    for name in sorted(set(before) & set(after)):
        was, now = _export_name(before[name]), _export_name(after[name])
        if was is None and now is not None:
            findings.append(Finding(template, SAFE, f"output {name}", "now exported"))
        elif was != now:
            findings.append(
                Finding(
                    template,
                    BREAKING,
                    f"output {name}",
                    f"export {json.dumps(was)} -> {json.dumps(now)}: Fn::ImportValue users break",
                )
            )
        if before[name].get("Condition") != after[name].get("Condition"):
            findings.append(Finding(template, BREAKING, f"output {name}", "condition changed"))
        change = changes.get(name)
        if was is not None and was == now and change is not None:
            how = "changes" if change.certain else "may change"
            because = "" if change.why == _VALUE_CHANGES else f" ({change.why})"
            findings.append(
                Finding(
                    template,
                    BREAKING,
                    f"output {name}",
                    f"exported value {how}{because}: CloudFormation refuses the update while "
                    "another stack imports it",
                )
            )
    return findings


@dataclass(frozen=True)
class _Change:
    """Why an output's value changes on the update, and whether it certainly does."""

    certain: bool
    why: str


_VALUE_CHANGES = "its value changes"


def _resource_of(
    value: Any, resources: Mapping[str, Any], by: tuple[str, ...] = _NAMING
) -> str | None:
    """The resource a ``Ref`` or an ``Fn::GetAtt`` (of the functions ``by``) names, when it is
    one of ``resources``."""
    if not _is_function(value):
        return None
    ((key, inner),) = value.items()
    if key not in by:
        return None
    target = inner if key == "Ref" else (get_att(value) or (None,))[0]
    return target if isinstance(target, str) and target in resources else None


def _changed_outputs(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    replaced: Mapping[str, bool],
    passed: frozenset[str] = frozenset(),
) -> dict[str, _Change]:
    """The outputs on both sides whose value changes on the update: certainly when it refers to
    a resource certainly replaced, names another resource (``Ref HttpListener`` -> ``Ref
    HttpsListener``) or differs outside any function; possibly when it differs otherwise (a
    list joined with one more subnet, say) or uses a parameter whose default changed, unless
    a parent ``passed`` it (then the default is not what the nested stack gets)."""
    gone = {name for name, sure in replaced.items() if sure}
    before: Mapping[str, Any] = old.get("Outputs", {})
    after: Mapping[str, Any] = new.get("Outputs", {})
    resources = {**old.get("Resources", {}), **new.get("Resources", {})}
    deleted = set(old.get("Resources", {})) - set(new.get("Resources", {}))
    new_defaults = _new_defaults(old, new) - passed
    found = {}
    for name in sorted(set(before) & set(after)):
        was, now = before[name].get("Value"), after[name].get("Value")
        causes = sorted(referred(now) & gone)
        # A resource the value certainly held (outside any Fn::If) that the update deletes.
        dropped = sorted((_unconditional(was) & deleted) - referred(now))
        defaults = sorted(referred(now) & new_defaults)
        # A resource deleted whose logical ID a new parameter takes: the same Ref reads that.
        taken = sorted(referred(now) & deleted & set(new.get("Parameters", {})))
        named = _two_resources(was, now, resources)
        if causes:
            found[name] = _Change(True, f"{', '.join(causes)} {_are(causes)} replaced")
        elif named:
            found[name] = _Change(True, f"it names {named[1]} instead of {named[0]}")
        elif dropped:
            found[name] = _Change(True, f"{', '.join(dropped)} {_are(dropped)} deleted")
        elif _certainly_differs(was, now):
            found[name] = _Change(True, _VALUE_CHANGES)
        elif was != now:
            found[name] = _Change(False, "it differs inside a function")
        elif taken:
            found[name] = _Change(
                False, f"{', '.join(taken)} {_are(taken)} a parameter now, no longer a resource"
            )
        elif defaults:
            found[name] = _Change(False, f"{possessive(', '.join(defaults))} default changed")
    return found


def _unconditional(value: Any) -> set[str]:
    """The names ``value`` refers to outside any ``Fn::If`` (which may not take that branch)."""
    if isinstance(value, list):
        return set().union(*(_unconditional(item) for item in value))
    if isinstance(value, Mapping):
        if set(value) == {"Fn::If"}:
            return set()
        if len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt", "Fn::Sub"):
            return referred(value)
        return set().union(*(_unconditional(item) for item in value.values()))
    return set()


def _conditioned(
    template: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    compares: Mapping[str, set[str]],
    new_defaults: set[str],
) -> list[Finding]:
    """Resources on both sides under the same condition, which changed, or which compares a
    parameter whose default changed: each may be deleted or created on update."""
    old_resources: Mapping[str, Any] = old.get("Resources", {})
    new_resources: Mapping[str, Any] = new.get("Resources", {})
    old_conditions: Mapping[str, Any] = old.get("Conditions", {})
    new_conditions: Mapping[str, Any] = new.get("Conditions", {})
    changed_conditions = {
        name
        for name in set(old_conditions) | set(new_conditions)
        if old_conditions.get(name) != new_conditions.get(name)
    }
    # A condition that uses a changed condition changes too.
    while True:
        grown = {
            name
            for name, body in new_conditions.items()
            if name not in changed_conditions
            and any(f'"Condition": "{c}"' in json.dumps(body) for c in changed_conditions)
        }
        if not grown:
            break
        changed_conditions |= grown

    findings = []
    for name in sorted(set(old_resources) & set(new_resources)):
        condition = new_resources[name].get("Condition")
        same = old_resources[name].get("Condition") == condition
        if not (condition and same):
            continue
        defaults = sorted(compares.get(condition, set()) & new_defaults)
        if condition in changed_conditions:
            why = f"its condition {condition} changed: may be deleted or created on update"
        elif defaults:  # NumberOfAzs 3 -> 2: the third subnet's resources go
            why = (
                f"its condition {condition} uses {', '.join(defaults)}, whose default changed: "
                "may be deleted or created on update (stacks that kept the default)"
            )
        else:
            continue
        findings.append(
            Finding(template, _loss(new_resources[name].get("Type")), f"resource {name}", why)
        )
    return findings


def _compared_by(conditions: Mapping[str, Any]) -> dict[str, set[str]]:
    """Each condition's parameters (and pseudo parameters), with those of the conditions it
    uses (``{"Condition": name}``), however deep."""
    direct = {name: referred(body) for name, body in conditions.items()}
    used = {name: _conditions_named(body, "Condition") for name, body in conditions.items()}
    found: dict[str, set[str]] = {}
    for name in conditions:
        seen, todo, names = {name}, [name], set(direct[name])
        while todo:
            for other in used.get(todo.pop(), set()):
                if other not in seen and other in conditions:
                    seen.add(other)
                    todo.append(other)
                    names |= direct[other]
        found[name] = names
    return found


def _conditions_named(node: Any, key: str) -> set[str]:
    """The conditions named under ``node`` by ``key``: ``Condition`` (``{"Condition": name}``,
    as a condition's body uses another) or ``Fn::If`` (the condition it chooses by)."""
    if isinstance(node, list):
        return set().union(*(_conditions_named(item, key) for item in node))
    if not isinstance(node, Mapping):
        return set()
    found: set[str] = set()
    for name, value in node.items():
        chosen = value[0] if name == "Fn::If" and isinstance(value, list) and value else value
        if name == key and isinstance(chosen, str):
            found.add(chosen)
        found |= _conditions_named(value, key)
    return found


def _new_defaults(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    """The parameters on both sides whose default changed: a stack that kept the default takes
    the new one on its next update."""
    before: Mapping[str, Any] = old.get("Parameters", {})
    after: Mapping[str, Any] = new.get("Parameters", {})
    return {
        name
        for name in set(before) & set(after)
        if before[name].get("Default") != after[name].get("Default")
    }


def _unknown(node: Any, tokens: frozenset[str]) -> Any:
    """``node`` with every string that holds one of ``tokens`` made a function (an
    ``Fn::Sub`` of itself): a value that may or may not be new is compared as "may"."""
    if isinstance(node, str):
        return {"Fn::Sub": node} if any(token in node for token in tokens) else node
    if isinstance(node, list):
        return [_unknown(item, tokens) for item in node]
    if isinstance(node, dict):
        return {key: _unknown(item, tokens) for key, item in node.items()}
    return node


def diff_template(
    name: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    replaced: dict[str, bool] | None = None,
) -> list[Finding]:
    """Findings for one template; ``replaced`` (when given) is filled with the resources an
    update replaces, each with whether that is certain."""
    for side, template in (("old", old), ("new", new)):
        _expect_template(f"diff_template({side})", name, template)
    replaced = {} if replaced is None else replaced
    return _template_findings(name, _values_as_text(old), _values_as_text(new), replaced)


def _expect_template(where: str, name: object, template: object) -> None:
    """A ``TypeError`` for a template that is no dict, a :class:`DiffError` naming the file for
    one of another shape than CloudFormation takes (a resource that is null, a ``Resources``
    section that is a list): a caller of the library gets one line, not an ``AttributeError``
    from deep inside a comparison. (The CLI reads files with :func:`read_template`, which
    refuses such a file first.)"""
    expect_template(template, f"{where}[{name!r}]")
    assert isinstance(template, Mapping)  # for the type checker: expect_template raised otherwise
    problem = template_problem(template)
    if problem is not None:
        raise DiffError(f"{where}: {name}: not a CloudFormation template: {problem}")


def _expect_sides(where: str, old: object, new: object) -> None:
    """:func:`_expect_template` of every template on both sides (file name -> template)."""
    for side, templates in (("old", old), ("new", new)):
        expect(templates, Mapping, f"{where}({side})")
        assert isinstance(templates, Mapping)  # for the type checker: expect raised otherwise
        for name, template in templates.items():
            _expect_template(f"{where}({side})", name, template)


def _template_findings(
    name: str, old: Mapping[str, Any], new: Mapping[str, Any], replaced: dict[str, bool]
) -> list[Finding]:
    """:func:`diff_template` of two templates whose values are text already
    (:func:`_values_as_text`)."""
    return sorted(
        _resource_findings(name, old, new, replaced)
        + _parameter_findings(name, old, new)
        + _output_findings(name, old, new, replaced)
    )


def diff(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> list[Finding]:
    """Findings for every template on either side (file name -> template dict).

    A nested stack's outputs that change are followed into the stacks its parent passes them
    to, as :func:`diff_stacks` follows them, with each such parameter a placeholder."""
    _expect_sides("diff", old, new)
    findings = _added_or_removed(old, new)
    stacks = _Stacks(old, new, {}, {}, None, resolve=False)
    return _said_once(sorted(findings + stacks.findings()), new)


def _added_or_removed(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> list[Finding]:
    findings = []
    for name in sorted(set(old) ^ set(new)):
        if name not in new:
            findings.append(
                Finding(name, DESTRUCTIVE, f"template {name}", "removed: its stacks cannot update")
            )
        else:
            findings.append(Finding(name, SAFE, f"template {name}", "added"))
    return findings


def _said_once(findings: list[Finding], new: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    """A change a merged template (instance.yaml) makes as one of the templates it merges makes
    it, said once, for that template: the merged template's findings are folded into one line
    that names how many, the templates that say them, and their worst severity. What it alone
    changes is said for it."""
    for merged, template in sorted(new.items()):
        sources = [name for name in merged_from(template) if name in new and name != merged]
        said: dict[tuple[str, str, str], str] = {}
        for f in findings:
            if f.template in sources:
                said.setdefault((f.severity, f.subject, f.change), f.template)
        again = [
            f
            for f in findings
            if f.template == merged
            and not f.subject.startswith("template ")
            and (f.severity, f.subject, f.change) in said
        ]
        if not again:
            continue
        worst = min(SEVERITIES.index(f.severity) for f in again)
        where = sorted({said[(f.severity, f.subject, f.change)] for f in again})
        kept = [f for f in findings if f not in again]
        these = "change" if len(again) == 1 else f"{len(again)} changes"
        kept.append(
            Finding(
                merged,
                SEVERITIES[worst],
                f"template {merged}",
                f"the same {these} as {_and(where)}, said there ({merged} merges {_and(sources)})",
            )
        )
        findings = sorted(kept)
    return findings


def _passed_by_parent(findings: list[Finding], passed: frozenset[str]) -> list[Finding]:
    """A new required parameter of a nested template that its new parent passes needs nothing
    from the user (the environment's PublicSubnetIds when a first service turns public)."""
    return [
        Finding(f.template, SAFE, f.subject, "added without a default; its parent passes it")
        if f.subject.removeprefix("parameter ") in passed
        and f.change.startswith("added without a default")
        else f
        for f in findings
    ]


def nested_parameters(side: Mapping[str, Mapping[str, Any]]) -> dict[str, frozenset[str]]:
    """The templates of ``side`` another of its templates nests (an
    ``AWS::CloudFormation::Stack`` whose ``TemplateURL`` ends with the file's name), each with
    the parameters its parent passes. A nested stack's other parameters take the template's
    defaults on every update: its parent's update is the only way to change them."""
    found: dict[str, frozenset[str]] = {}
    for template in side.values():
        for resource in template.get("Resources", {}).values():
            for name in _nested_files(resource, side):
                passed = _passed(resource)
                chosen = (
                    isinstance(passed, Mapping)
                    and len(passed) == 1
                    and (next(iter(passed)) == "Ref" or str(next(iter(passed))).startswith("Fn::"))
                )
                if not isinstance(passed, Mapping) or chosen:
                    # Parameters chosen by a function: any of them may be passed.
                    passed = side[name].get("Parameters", {})
                # Nested by several parents: passed if any of them passes it.
                found[name] = found.get(name, frozenset()) | frozenset(passed)
    return found


# What deploys another template as a stack of its own, given its values: a nested stack, and a
# StackSet, whose stacks in each account get the values it passes (stackset.yaml's
# instance.yaml: an update of the StackSet updates each of them).
_DEPLOYING_TYPES = ("AWS::CloudFormation::Stack", "AWS::CloudFormation::StackSet")


def fixed_parameters(side: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """For each template of ``side`` another nests (or a StackSet deploys), the parameters its
    parent passes a value written as it is (not a function of the parent's own), with that
    value as text. Nested by several parents that pass it alike."""
    found: dict[str, dict[str, str]] = {}
    seen: dict[str, int] = {}
    for template in side.values():
        for resource in template.get("Resources", {}).values():
            for name in _nested_files(resource, side):
                passed = _passed(resource)
                literal = {
                    key: default_text(value)
                    for key, value in (passed.items() if isinstance(passed, Mapping) else ())
                    if isinstance(value, str | int | float | bool)
                }
                seen[name] = seen.get(name, 0) + 1
                if seen[name] == 1:
                    found[name] = literal
                else:  # kept where every parent passes the same
                    found[name] = {k: v for k, v in found[name].items() if literal.get(k) == v}
    return found


def _template_url_ends(resource: Any) -> set[str] | None:
    """For an ``AWS::CloudFormation::Stack`` or ``StackSet``, the last segments of its
    ``TemplateURL``'s texts, where a template's file name is (service-network.yaml is not
    network.yaml); None for anything else."""
    if not isinstance(resource, Mapping) or resource.get("Type") not in _DEPLOYING_TYPES:
        return None
    properties = resource.get("Properties")
    url = properties.get("TemplateURL") if isinstance(properties, Mapping) else None
    if url is None and resource.get("Type") != "AWS::CloudFormation::Stack":
        return None  # a StackSet's template may be inline (TemplateBody): nothing to follow
    return {text.rsplit("/", 1)[-1] for text in literals(url)}


def _passed(resource: Mapping[str, Any]) -> Any:
    """A nested stack's ``Parameters`` (name -> value), or a StackSet's (a list of
    ``ParameterKey`` and ``ParameterValue``) as a nested stack's, each parameter its
    ``StackInstancesGroup`` overrides per account as passed by a function (its value varies);
    as written otherwise."""
    properties = resource.get("Properties", {})
    passed = properties.get("Parameters", {}) or {}
    if resource.get("Type") != "AWS::CloudFormation::StackSet":
        return passed
    groups = properties.get("StackInstancesGroup")
    overrides = [
        item
        for group in (groups if isinstance(groups, list) else [])
        if isinstance(group, Mapping) and isinstance(group.get("ParameterOverrides"), list)
        for item in group["ParameterOverrides"]
    ]
    pairs = [*(passed if isinstance(passed, list) else []), *overrides]
    if not isinstance(passed, list) or not all(
        isinstance(item, Mapping) and isinstance(item.get("ParameterKey"), str) for item in pairs
    ):
        return passed  # chosen by a function, or not a list of pairs: read as written
    found = {item["ParameterKey"]: item.get("ParameterValue") for item in passed}
    for item in overrides:
        found[item["ParameterKey"]] = {"Fn::Overridden": item.get("ParameterValue")}
    return found


def _nested_files(resource: Any, side: Mapping[str, Any]) -> set[str]:
    """The files of ``side`` a resource nests (:func:`_template_url_ends`); none for anything
    else."""
    return (_template_url_ends(resource) or set()) & set(side)


def _stacks(parent: Mapping[str, Any], side: Mapping[str, Any]) -> dict[str, str]:
    """The nested stacks of ``parent``, by logical ID, each with the file of ``side`` it
    nests."""
    found = {}
    for name, resource in parent.get("Resources", {}).items():
        files = _nested_files(resource, side)
        if files:
            found[name] = min(files)
    return found


def _output_of(value: Any) -> tuple[str, str] | None:
    """(stack, output) for ``Fn::GetAtt [Stack, Outputs.Name]`` (or ``Stack.Outputs.Name``);
    None for anything else."""
    parts = get_att(value)
    if parts is not None and str(parts[1]).startswith("Outputs."):
        return parts[0], str(parts[1]).removeprefix("Outputs.")
    return None


def _wiring(
    side: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, dict[str, tuple[str, str, str]]], dict[str, dict[str, str]]]:
    """For each nested template of ``side``, the parameters its parent passes from a sibling
    stack's output (parameter -> (sibling's logical ID, sibling's file, output)), and those it
    passes from one of its own under another name (``ContainerImage: !Ref WebContainerImage``:
    parameter -> the parent's)."""
    from_outputs: dict[str, dict[str, tuple[str, str, str]]] = {}
    renamed: dict[str, dict[str, str]] = {}
    for parent in side.values():
        declared = parent.get("Parameters", {})
        stacks = _stacks(parent, side)
        for name, file in stacks.items():
            passed = _passed(parent["Resources"][name])
            for parameter, value in passed.items() if isinstance(passed, Mapping) else ():
                source = _output_of(value)
                if source and source[0] in stacks:
                    sibling, output = source
                    from_outputs.setdefault(file, {})[parameter] = (
                        sibling,
                        stacks[sibling],
                        output,
                    )
                reference = value.get("Ref") if _is_function(value) else None
                if isinstance(reference, str) and reference in declared and reference != parameter:
                    renamed.setdefault(file, {})[parameter] = reference
    return from_outputs, renamed


def _refuse_values_no_parent_passes(
    old: Mapping[str, Mapping[str, Any]],
    new: Mapping[str, Mapping[str, Any]],
    nested_before: Mapping[str, frozenset[str]],
    nested_after: Mapping[str, frozenset[str]],
    running: Mapping[str, str],
    changes: Mapping[str, str],
) -> None:
    """A value given for a parameter that only nested templates declare, and that their parent
    does not pass, describes a stack of that template launched on its own, not the root's: in a
    folder with a root it would be ignored, so it is refused, saying how to compare such a
    stack."""
    for key in sorted(set(running) | set(changes)):
        declaring = [
            (name, nested.get(name))
            for side, nested in ((old, nested_before), (new, nested_after))
            for name, template in side.items()
            if key in template.get("Parameters", {})
        ]
        if declaring and all(passed is not None and key not in passed for _, passed in declaring):
            name = declaring[0][0]
            raise DiffError(
                f"{key} is a parameter of {name}, which the root nests without passing it: a "
                f"nested stack takes its default. To compare a stack of {name} launched on its "
                f"own, diff the two files ({name} of each side)"
            )


def diff_stacks(
    old: Mapping[str, Mapping[str, Any]],
    new: Mapping[str, Mapping[str, Any]],
    running: Mapping[str, str] | None = None,
    changes: Mapping[str, str] | None = None,
    region: str | None = None,
    zones: Sequence[str] | None = None,
) -> list[Finding]:
    """Findings for updating running stacks, not templates: each template on both sides is
    resolved (:func:`troposphere_fargate.cfn.evaluate.resolved`) with the stack's parameter values,
    so a condition, an ``Fn::If`` or a parameter decides what is replaced, as CloudFormation
    decides it.

    ``running`` holds the stack's values (default: each parameter's default), ``changes`` the
    values the update sets. A parameter the update does not set keeps its current value, as
    ``aws cloudformation deploy`` and the console keep it; one that is new takes its default.
    Both apply to every template that declares the parameter (a root and its children alike).
    ``zones``: what ``Fn::GetAZs`` of the stacks' region gives in the account, in its order
    (the zones of the running subnets, first subnet first); without it, a subnet whose zone
    comes from ``Fn::GetAZs`` "may" move.
    """
    from .evaluate import (
        pseudo_for_region,
        region_name_problem,
        region_problem,
    )

    _expect_sides("diff_stacks", old, new)
    running, changes = dict(running or {}), dict(changes or {})
    declared = {
        name for side in (old, new) for t in side.values() for name in t.get("Parameters", {})
    }
    unknown = sorted((set(running) | set(changes)) - declared)
    if unknown:
        from .evaluate import closest

        raise DiffError(
            "no template declares the parameter(s) "
            + ", ".join(f"{name}{closest(name, declared)}" for name in unknown)
        )
    # A running stack has values for its own template's parameters only: one that only the
    # new side declares comes from the update (or takes its default).
    before = {name for t in old.values() for name in t.get("Parameters", {})}
    new_only = sorted(set(running) - before)
    if new_only:
        them, their = ("it", "its") if len(new_only) == 1 else ("them", "their")
        unset = [name for name in new_only if name not in changes]
        sets = " ".join(f"--set {shlex.quote(f'{name}={running[name]}')}" for name in unset)
        instead = (
            f"give the update's value instead ({sets}), or leave {them} out for {their} default"
            if unset
            else "leave it out of --parameters: the update gives it (--set)"
        )
        raise DiffError(
            f"the running stacks' values (--parameters) name {', '.join(new_only)}, which "
            f"only the new templates declare: the stacks have no value for {them}; {instead}"
        )
    if region:
        problem = region_name_problem(region)  # said once, not per template
        if problem:
            raise DiffError(problem)
        for side in (old, new):
            for name, template in sorted(side.items()):
                problem = region_problem(template, region)
                if problem:
                    raise DiffError(f"{name}: {problem}")
    pseudo = pseudo_for_region(region) if region else None
    if zones is not None:
        old, new = (
            {name: _with_zones(t, _checked_zones(zones, region)) for name, t in side.items()}
            for side in (old, new)
        )
    stacks = _Stacks(old, new, running, changes, pseudo, resolve=True)
    try:
        return _said_once(sorted(_added_or_removed(old, new) + stacks.findings()), new)
    except DiffError as exc:
        if zones is None or "Fn::Select picks item" not in str(exc):
            raise
        raise DiffError(
            f"{exc} (--zones: give as many zones as the templates pick, in the order "
            "Fn::GetAZs returns them: the running subnets' zones first, then the next ones)"
        ) from None


def _checked_zones(zones: Sequence[str], region: str | None) -> list[str]:
    """``zones`` as given to ``--zones``: Availability Zone names of the stacks' region, each
    once."""
    from .evaluate import named_twice, zone_region

    region = region or "us-east-1"
    listed = [zone.strip() for zone in zones if zone.strip()]
    if not listed:
        raise DiffError("--zones names no zone: give the zones Fn::GetAZs returns, comma-separated")
    for zone in listed:
        if re.fullmatch(r"[a-z]{2,5}[0-9]-az[0-9]+", zone):
            raise DiffError(
                f"--zones: {zone} is an Availability Zone ID: give zone names (such as {region}a)"
            )
        of = zone_region(zone)
        if of is None:
            raise DiffError(f"--zones: {zone!r} is no Availability Zone name (such as {region}a)")
        if of != region:
            raise DiffError(
                f"--zones: {zone} is a zone of {of}, not of {region}, the stacks' region (--region)"
            )
    twice = named_twice(listed)
    if twice:
        raise DiffError(f"--zones: {', '.join(twice)} is named twice")
    return listed


def _with_zones(node: Any, zones: list[str]) -> Any:
    """``node`` with each ``Fn::GetAZs`` of the stack's own region replaced by ``zones``."""
    if isinstance(node, list):
        return [_with_zones(item, zones) for item in node]
    if not isinstance(node, Mapping):
        return node
    if set(node) == {"Fn::GetAZs"} and node["Fn::GetAZs"] in ("", {"Ref": "AWS::Region"}):
        return list(zones)
    return {key: _with_zones(value, zones) for key, value in node.items()}


@dataclass(frozen=True)
class _Compared:
    findings: list[Finding]
    outputs: dict[str, _Change]  # output -> why its value changes
    was: Mapping[str, Any]  # the old side, resolved
    now: Mapping[str, Any]  # the new side, resolved
    replaced: dict[str, bool]  # the resources the update replaces, each with whether surely


class _Stacks:
    """Running stacks of both sides' templates, each compared with its stack's values."""

    def __init__(
        self,
        old: Mapping[str, Mapping[str, Any]],
        new: Mapping[str, Mapping[str, Any]],
        running: Mapping[str, str],
        changes: Mapping[str, str],
        pseudo: Mapping[str, str] | None,
        *,
        resolve: bool,
    ) -> None:
        """``resolve``: compare the stacks ``running`` and ``changes`` describe (each template
        resolved with its values), or the templates as they are (``diff``)."""
        self.old, self.new = old, new
        self.running, self.changes, self.pseudo = running, changes, pseudo
        self.resolve = resolve
        self.nested_before, self.nested_after = nested_parameters(old), nested_parameters(new)
        self.fixed_before, self.fixed_after = fixed_parameters(old), fixed_parameters(new)
        _refuse_values_no_parent_passes(
            old, new, self.nested_before, self.nested_after, running, changes
        )
        self.wired_before, self.renamed_before = _wiring(old)
        self.wired_after, self.renamed_after = _wiring(new)
        self.stacks_after = {name: _stacks(template, new) for name, template in new.items()}
        self._done: dict[tuple[str, str], _Compared] = {}

    def findings(self) -> list[Finding]:
        """The findings of the templates on both sides.

        A parent passes one nested stack's outputs to another (the network's VpcId to the
        service), so what replaces the VPC changes the service's VpcId too. Such a value is
        known only once deployed: it is a placeholder, a new one where the output changes.
        Templates are compared again with the outputs found changed until no more change (one
        round per level)."""
        both = sorted(set(self.old) & set(self.new))
        changed: dict[str, dict[str, _Change]] = {}
        compared: dict[str, _Compared] = {}
        for _ in range(len(both) + 1):
            compared = {name: self.compare(name, changed) for name in both}
            now_changed = {name: c.outputs for name, c in compared.items() if c.outputs}
            if now_changed == changed:
                break
            changed = now_changed
        findings = []
        for name in both:
            findings.extend(compared[name].findings)
            findings.extend(_reexported(name, compared[name].now, self.stacks_after[name], changed))
        before = {n: compared[n].was if n in compared else self.old[n] for n in self.old}
        after = {n: compared[n].now if n in compared else self.new[n] for n in self.new}
        replaced = {name: compared[name].replaced for name in compared}
        rules_before = _rules(before, self.wired_before, {}, {})
        rules_after = _rules(after, self.wired_after, changed, replaced)
        return findings + _priorities_taken(rules_before, rules_after, self.new)

    def compare(self, name: str, changed: Mapping[str, Mapping[str, _Change]]) -> _Compared:
        """The template's findings when the outputs in ``changed`` (file -> output -> why)
        change under it."""
        renewed = {
            parameter: (sibling, file, output)
            for parameter, (sibling, file, output) in self.wired_after.get(name, {}).items()
            if output in changed.get(file, {})
        }
        key = (
            name,
            json.dumps(sorted((p, changed[f][o].certain) for p, (_, f, o) in renewed.items())),
        )
        if key not in self._done:
            self._done[key] = self._compare(name, renewed, changed)
        return self._done[key]

    def _values(
        self,
        name: str,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        passed: tuple[frozenset[str] | None, frozenset[str] | None],
    ) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
        """The template's values: the running stack's (``current``), those it keeps
        (``kept``, defaults included), those the update gives (``given_new``), and the update's
        changes as the template names them; ``passed``: what its parent passes it, before and
        after (None: no parent)."""
        passed_before, passed_after = passed
        # What the parent passes under another name takes the value of the parent's parameter.
        running = _aliased(self.running, self.renamed_before.get(name, {}))
        changes = _aliased(self.changes, self.renamed_after.get(name, {}))
        current = {
            key: value
            for key, value in running.items()
            if key in before and (passed_before is None or key in passed_before)
        }
        kept = {
            key: current.get(key, default_text(before[key].get("Default", "")))
            for key in before
            if key in current or "Default" in before[key]
        }
        given_new = {
            key: changes[key] if key in changes else kept[key]
            for key in after
            if (key in changes or key in kept) and (passed_after is None or key in passed_after)
        }
        # A value the parent passes as it is (stackset.yaml's WebAclArn ''): the stack gets that,
        # whatever a parameter of the same name elsewhere is given.
        current |= {k: v for k, v in self.fixed_before.get(name, {}).items() if k in before}
        given_new |= {k: v for k, v in self.fixed_after.get(name, {}).items() if k in after}
        return current, kept, given_new, changes

    def _compare(
        self,
        name: str,
        renewed: Mapping[str, tuple[str, str, str]],
        changed: Mapping[str, Mapping[str, _Change]],
    ) -> _Compared:
        from .evaluate import EvaluationError, ParameterError, resolved

        old, new = self.old[name], self.new[name]
        before: Mapping[str, Any] = old.get("Parameters", {})
        after: Mapping[str, Any] = new.get("Parameters", {})
        # A nested stack takes from its parent only what the parent passes: the rest is the
        # template's default, before and after, whatever the root's values are.
        passed_before = self.nested_before.get(name)
        passed_after = self.nested_after.get(name)
        current, kept, given_new, changes = self._values(
            name, before, after, (passed_before, passed_after)
        )
        # One placeholder per parameter, the same on both sides while the same output passes
        # it unchanged; another when the output certainly changes; when it only may change,
        # or another output passes it now, one that compares as a function ("may").
        wired_before = self.wired_before.get(name, {})
        placeholders_before = {parameter: f"<{parameter}>" for parameter in wired_before}
        placeholders_after = {}
        unknown = set()
        for parameter, wire in self.wired_after.get(name, {}).items():
            sibling, file, output = wire
            change = changed[file][output] if parameter in renewed else None
            if change is None and wired_before.get(parameter) == wire:
                placeholders_after[parameter] = f"<{parameter}>"
            elif change is not None and change.certain:
                placeholders_after[parameter] = f"<{parameter}, new>"
            else:
                placeholders_after[parameter] = f"<{parameter}, maybe new>"
                unknown.add(placeholders_after[parameter])
        if not self.resolve:
            was, now = _placed(old, placeholders_before), _placed(new, placeholders_after)
            if name not in STANDALONE_TEMPLATES:
                was, now = _decided_pair(
                    was,
                    now,
                    _defaults_kept(old, passed_before),
                    _defaults_kept(new, passed_after),
                    frozenset(placeholders_before.values()) | set(placeholders_after.values()),
                )
        else:
            try:
                was = resolved(old, current, self.pseudo, placeholders_before)
                now = resolved(new, given_new, self.pseudo, placeholders_after)
            except (ParameterError, EvaluationError) as exc:
                raise DiffError(f"{name}: {exc}") from None
            _refuse_failed_rules(name, new, given_new, self.pseudo, set(placeholders_after))
        if unknown:
            now = {**now, "Resources": _unknown(now.get("Resources", {}), frozenset(unknown))}
            now["Outputs"] = _unknown(now.get("Outputs", {}), frozenset(unknown))
        # Compared as text, the findings and the outputs followed into other stacks alike.
        was, now = _values_as_text(was), _values_as_text(now)
        replaced: dict[str, bool] = {}
        found = _template_findings(name, was, now, replaced)
        if not self.resolve:
            found = _passed_by_parent(found, passed_after or frozenset())
            if name not in STANDALONE_TEMPLATES and None not in (passed_before, passed_after):
                found = _for_its_root(name, found, new, passed_after)
        elif passed_before is not None and passed_after is not None:
            # The parent is updated in the same operation and passes what the new template
            # takes: a nested template's parameters are no interface of the running stacks.
            found = [f for f in found if not f.subject.startswith("parameter ")]
        else:
            # A new parameter without a default that the update's values give (--set).
            found = [
                Finding(f.template, SAFE, f.subject, "added without a default; the update gives it")
                if f.subject.removeprefix("parameter ") in changes
                and f.change.startswith("added without a default")
                else f
                for f in found
            ]
            # A changed default of a parameter the stack keeps: these stacks keep their value,
            # as this comparison assumes (a trial: "DesiredCount: default '2' -> '0'" stayed
            # breaking with DesiredCount=2 given, and only --allow breaking passed it).
            found = [_kept_default(f, kept, changes, was, now) for f in found]
            # A tightened constraint that a value given (--parameters, --set) meets: resolving
            # the new template checked it (0.3.0 to 0.4.0 with HealthCheckPath=/health gave
            # two breaking findings). A default stands in for a value not given, which a stack
            # may not hold: with --region alone, every stack "kept '/'".
            given = (set(current) | set(changes)) - set(placeholders_after)
            checked = {k: v for k, v in given_new.items() if k in given}
            found = [_constraint_met(f, checked, changes, old, new) for f in found]
        for parameter, (sibling, file, output) in sorted(renewed.items()):
            change = changed[file][output]
            gets = "gets" if change.certain else "may get"
            found.append(
                Finding(
                    name,
                    SAFE,
                    f"parameter {parameter}",
                    f"{gets} a new value from {sibling}: output {output} of {file} "
                    f"{'changes' if change.certain else 'may change'} ({change.why})",
                )
            )
        # What a nested stack passes on: a default its parent overrides is not its value.
        passed = frozenset(passed_before or ()) & frozenset(passed_after or ())
        return _Compared(found, _changed_outputs(was, now, replaced, passed), was, now, replaced)


def _kept_default(
    finding: Finding,
    kept: Mapping[str, str],
    changes: Mapping[str, str],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
) -> Finding:
    """A "default A -> B" finding of a stack that keeps its value of the parameter (or whose
    update sets one): safe for it, with what a raw API update would do said still. The
    defaults are read from both templates (values as text), not from the finding's words: an
    image's default has colons."""
    name = finding.subject.removeprefix("parameter ")
    if not finding.change.startswith("default ") or (name not in kept and name not in changes):
        return finding
    was, now = ((t.get("Parameters") or {}).get(name) or {} for t in (old, new))
    default = now.get("Default")
    head = f"default {was.get('Default')!r} -> {default!r}"
    value = changes.get(name, kept.get(name))
    who = "the update sets" if name in changes else "the stack keeps"
    # The new default is news to a stack that keeps its value: how to take it (0.4.0's
    # DesiredCount=0, which the changelog asks for, was not said here).
    take = (
        f"; --set {shlex.quote(f'{name}={default}')} takes the new default"
        if default is not None and name not in changes and value != default
        else ""
    )
    return Finding(
        finding.template,
        SAFE,
        finding.subject,
        f"{head}: {who} {value!r} (aws cloudformation deploy and the console keep a value not "
        "given; an UpdateStack call that neither gives one nor sets UsePreviousValue takes "
        f"{default!r}){take}",
    )


def _constraint_met(
    finding: Finding,
    checked: Mapping[str, str],
    changes: Mapping[str, str],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
) -> Finding:
    """A finding that a parameter's constraint tightened (:func:`_tightened`), for a stack
    whose value of it (``checked``: the values given for the stack or its update, with which
    the new template was resolved, each checked against its constraints) meets the new
    constraint: safe for that stack. A parameter without a value given keeps its finding."""
    name = finding.subject.removeprefix("parameter ")
    if not finding.subject.startswith("parameter ") or name not in checked:
        return finding
    was, now = ((t.get("Parameters") or {}).get(name) or {} for t in (old, new))
    if finding.change not in _tightened(was, now):
        return finding
    who = "the update sets" if name in changes else "the stack keeps"
    return Finding(
        finding.template,
        SAFE,
        finding.subject,
        f"{finding.change}; {who} {checked[name]!r}, which the new template accepts",
    )


def _defaults_kept(template: Mapping[str, Any], passed: frozenset[str] | None) -> dict[str, str]:
    """The values a nested template's parameters take whatever its parent's are: the default of
    each one its parent does not pass (none for a template no other nests)."""
    if passed is None:
        return {}
    declared: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {})
    return {
        name: default_text(spec["Default"])
        for name, spec in declared.items()
        if name not in passed and isinstance(spec, Mapping) and "Default" in spec
    }


def _for_its_root(
    template: str,
    found: list[Finding],
    new: Mapping[str, Any],
    passed_after: frozenset[str] | None,
) -> list[Finding]:
    """The parameter findings of a template built for its root alone that still matter. Its
    root is updated in the same operation and is the only one that passes it anything, so:

    - a default is no interface: one the root never passes is the stack's new value (what it
      changes is in the resources' findings), one it passes is overridden;
    - a parameter the new root does not pass takes its default: a constraint or type that the
      default meets breaks nothing, and one it does not meet, or no default, fails the update;
    - a parameter the new root passes may be refused by a new constraint or type (kept), and
      one removed fails only if the root still passes it.
    """
    from .evaluate import parameter_problems

    passing = set(passed_after or ())
    declared: Mapping[str, Mapping[str, Any]] = new.get("Parameters", {})
    kept = []
    for f in found:
        name = f.subject.removeprefix("parameter ")
        if not f.subject.startswith("parameter "):
            kept.append(f)
        elif f.change.startswith("added without"):
            # One the root does not pass is worded below: the user cannot supply it.
            if name in passing:
                kept.append(f)
        elif f.change.startswith("removed"):
            # The new name, when the root does not pass it, is judged on its default below.
            if name in passing:
                kept.append(f)
        elif not f.change.startswith("default ") and name in passing:
            kept.append(f)
    # What the new root does not pass runs on its default: it must have one its own
    # constraints take.
    said = {f.subject for f in kept}
    for name, spec in sorted(declared.items()):
        if name in passing or f"parameter {name}" in said or not isinstance(spec, Mapping):
            continue
        if "Default" not in spec:
            why = "it has no default and the root does not pass it"
        else:
            problems = parameter_problems({"Parameters": {name: spec}}, {})
            if not problems:
                continue
            why = f"its default is refused: {problems[0]}"
        kept.append(Finding(template, BREAKING, f"parameter {name}", f"{why}: {_FAILS}"))
    return kept


def _values_as_text(template: Mapping[str, Any]) -> dict[str, Any]:
    """``template`` with the numbers and booleans of its parameters, conditions, resources and
    outputs as text (a default of 2 and one of "2" are one default), and each ``Fn::GetAtt`` in
    one spelling (``Bucket.Arn`` and ``[Bucket, Arn]`` are one value: respelling it is no
    change)."""
    compared = ("Parameters", "Conditions", "Resources", "Outputs")
    return {**template, **{s: _as_text(template[s]) for s in compared if s in template}}


def _as_text(node: Any) -> Any:
    """``node`` with every number and boolean as CloudFormation's text of it."""
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, float) and node.is_integer():
        return str(int(node))
    if isinstance(node, int | float):
        return str(node)
    if isinstance(node, list):
        return [_as_text(item) for item in node]
    if isinstance(node, dict):
        parts = get_att(node)
        if parts is not None:
            return {"Fn::GetAtt": [parts[0], _as_text(parts[1])]}
        return {key: _as_text(item) for key, item in node.items()}
    return node


def _decided_pair(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    fixed_before: Mapping[str, str],
    fixed_after: Mapping[str, str],
    opaque: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both sides with what their fixed parameter values decide decided: each ``Fn::If`` on
    such a condition takes its branch, and a resource or output whose condition is decided on
    both sides (or that is on one side only) is kept without it or left out; and each ``Ref``
    to such a parameter is its value. A template diff of an environment's service then knows
    that its rule forwards to one target group when its parent never passes a
    DeploymentStrategy, though the template allows four, and that a spec's new port is a new
    target group."""
    from .evaluate import ParameterError, decided_conditions, with_decided, with_values

    decided_before = decided_conditions(old, fixed_before)
    decided_after = decided_conditions(new, fixed_after)
    sides = []
    for this, other, decided, decided_other, fixed in (
        (old, new, decided_before, decided_after, fixed_before),
        (new, old, decided_after, decided_before, fixed_after),
    ):
        result = dict(this)
        for section in ("Resources", "Outputs"):
            if section not in this:
                continue
            kept = {}
            theirs: Mapping[str, Any] = other.get(section, {})
            for name, body in this[section].items():
                condition = body.get("Condition") if isinstance(body, Mapping) else None
                counterpart = theirs.get(name)
                condition_other = (
                    counterpart.get("Condition") if isinstance(counterpart, Mapping) else None
                )
                both_known = condition in decided and (
                    counterpart is None
                    or condition_other is None
                    or condition_other in decided_other
                )
                if condition is not None and both_known:
                    if not decided[condition]:
                        continue
                    body = {key: item for key, item in body.items() if key != "Condition"}
                try:
                    kept[name] = with_values(
                        with_decided(body, decided), this, fixed, opaque, strict=False
                    )
                except ParameterError as exc:
                    raise DiffError(f"{section[:-1].lower()} {name}: {exc}") from None
            result[section] = kept
        sides.append(result)
    return sides[0], sides[1]


_RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"
_LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
_PLACEHOLDER = re.compile(r"<([A-Za-z0-9]+)>")  # a parameter whose output does not change


@dataclass(frozen=True)
class _Rule:
    listener: tuple[str, ...] | None  # the same tuple for the same listener; None: unknown
    priority: int | None  # None: unknown (a function)
    conditional: bool  # under a condition the templates do not decide: it may not exist


def _priority(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,5}", value):
        return int(value)
    return None


def _rules(
    side: Mapping[str, Mapping[str, Any]],
    wired: Mapping[str, Mapping[str, tuple[str, str, str]]],
    changed: Mapping[str, Mapping[str, _Change]],
    replaced: Mapping[str, Mapping[str, bool]],
) -> dict[tuple[str, str], _Rule]:
    """The listener rules of ``side``, by (file, logical ID), with their listener and priority
    where known. A listener is a resource of the rule's template (one the update may replace is
    a new listener), an ARN, or a sibling stack's output its parent passes (the environment's
    ``ListenerArn`` to every service) unless that output may change."""
    found = {}
    for file, template in side.items():
        resources: Mapping[str, Any] = template.get("Resources", {})
        for name, resource in resources.items():
            if not isinstance(resource, Mapping) or resource.get("Type") != _RULE:
                continue
            properties = resource.get("Properties") or {}
            listener = properties.get("ListenerArn") if isinstance(properties, Mapping) else None
            key: tuple[str, ...] | None = None
            reference = _listener_of(listener, resources)
            placed = _PLACEHOLDER.fullmatch(listener) if isinstance(listener, str) else None
            parameter = placed.group(1) if placed else reference
            if isinstance(reference, str) and reference in resources:
                new_listener = reference in replaced.get(file, {})
                key = ("new listener" if new_listener else "resource", file, reference)
            elif isinstance(parameter, str) and parameter in wired.get(file, {}):
                _, sibling_file, output = wired[file][parameter]
                if output not in changed.get(sibling_file, {}):
                    key = ("output", sibling_file, output)
            elif isinstance(listener, str) and listener.startswith("arn:"):
                key = ("arn", listener)
            priority = properties.get("Priority") if isinstance(properties, Mapping) else None
            found[(file, name)] = _Rule(key, _priority(priority), "Condition" in resource)
    return found


def _listener_of(value: Any, resources: Mapping[str, Any]) -> Any:
    """The logical ID a rule's ``ListenerArn`` names: its ``Ref``, or the ``Fn::GetAtt`` of
    ``ListenerArn`` (either spelling) of a listener of ``resources``, the same ARN (Template
    Reference, AWS::ElasticLoadBalancingV2::Listener, Return values; another type's attribute
    of that name, a custom resource's, may be another's); None for another value."""
    named = get_att(value)
    if named:
        target = resources.get(named[0]) if isinstance(named[0], str) else None
        listener = isinstance(target, Mapping) and target.get("Type") == _LISTENER
        return named[0] if listener and named[1] == "ListenerArn" else None
    return value.get("Ref") if isinstance(value, Mapping) else None


def _update_order(new: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, str], set[str]]:
    """For each resource of each template (file, logical ID), the resources of the same
    template it waits for in an update (``DependsOn``, ``Ref``, ``Fn::GetAtt``, transitively);
    for a nested template's resources also its stack's, as ``stack:<file>`` for each nested
    template its stack waits for. CloudFormation updates what does not wait side by side."""
    direct: dict[str, dict[str, set[str]]] = {}
    for file, template in new.items():
        resources: Mapping[str, Any] = template.get("Resources", {})
        graph = {}
        for name, resource in resources.items():
            if not isinstance(resource, Mapping):
                continue
            depends = resource.get("DependsOn", [])
            waits = {depends} if isinstance(depends, str) else set(depends or [])
            graph[name] = (waits | referred(resource.get("Properties", {}))) & set(resources)
        direct[file] = graph

    def closure(graph: Mapping[str, set[str]], start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(graph.get(start, ()))
        while todo:
            item = todo.pop()
            if item not in seen:
                seen.add(item)
                todo.extend(graph.get(item, ()))
        return seen

    stack_waits: dict[str, set[str]] = {}
    for parent, template in new.items():
        stacks = _stacks(template, new)
        for logical, file in stacks.items():
            earlier = closure(direct[parent], logical)
            stack_waits[file] = {f"stack:{stacks[e]}" for e in earlier if e in stacks}
    return {
        (file, name): closure(graph, name) | stack_waits.get(file, set())
        for file, graph in direct.items()
        for name in graph
    }


def _priorities_taken(
    before: Mapping[tuple[str, str], _Rule],
    after: Mapping[tuple[str, str], _Rule],
    new: Mapping[str, Mapping[str, Any]],
) -> list[Finding]:
    """Listener rules that take a priority another rule holds when the update starts. The load
    balancer refuses a priority in use (``PriorityInUse``: aws/copilot-cli#4532,
    pulumi/pulumi-aws#175). A rule deleted or replaced (a new listener) holds its number until
    the update's cleanup, when CloudFormation deletes what is gone (AWS CloudFormation User
    Guide, "Monitor the progress of a stack update": UPDATE_COMPLETE_CLEANUP_IN_PROGRESS), so
    taking it fails; a rule that moves to another number gives it up when it is updated, so
    taking it fails when the two update side by side (the environment's services do) or
    when the rules swap numbers, whatever the order. A rule under a condition the templates do
    not decide may not exist, and a rule whose listener or priority a parameter decides may
    keep its number: then the update "may" fail."""
    held = {
        (rule.listener, rule.priority): key
        for key, rule in before.items()
        if rule.listener is not None and rule.priority is not None
    }
    takes: dict[tuple[str, str], tuple[str, str]] = {}  # rule -> the rule whose number it takes
    for key, rule in after.items():
        if rule.listener is None or rule.priority is None:
            continue
        holder = held.get((rule.listener, rule.priority))
        was = before.get(key)
        if holder is None or holder == key:
            continue
        if was and (was.listener, was.priority) == (rule.listener, rule.priority):
            continue
        still = after.get(holder)
        if still and (still.listener, still.priority) == (rule.listener, rule.priority):
            continue  # two rules of one number: the load balancer refuses it at any time
        takes[key] = holder
    order = _update_order(new) if takes else {}
    findings = []
    for key, holder in sorted(takes.items()):
        rule, other = after[key], after.get(holder)
        where = holder[1] if holder[0] == key[0] else f"{possessive(holder[0])} {holder[1]}"
        number = f"priority {rule.priority}"
        sure = not (rule.conditional or before[holder].conditional)
        fails = _FAILS if sure else "the update may fail"
        if other is None or (other.listener is not None and other.listener != rule.listener):
            how = (
                "CloudFormation deletes only in the update's cleanup"
                if other is None
                else "moves to another listener and holds the number on this one until the "
                "update's cleanup (a replaced rule is deleted last)"
            )
            change = (
                f"{fails}: it takes {number} from {where}, which {how}: the load balancer "
                "refuses a priority in use (PriorityInUse). Give this rule a free number now "
                "and the one you want in the next update"
            )
        elif other.listener is None or other.priority is None:
            change = (
                f"the update may fail: it takes {number} from {where}, which may keep it (a "
                "parameter decides its new listener or priority): the load balancer refuses "
                "a priority in use (PriorityInUse)"
            )
        else:
            cycle, seen = holder, {key}
            while cycle in takes and cycle not in seen:
                seen.add(cycle)
                cycle = takes[cycle]
            waits = order.get(key, set())
            if cycle in seen:
                change = (
                    f"{fails}: it takes {number} from {where}, which takes another rule's "
                    "number in the same update: whichever is updated first is refused a "
                    "priority in use (PriorityInUse). Move one rule to a free number first, "
                    "deploy, then to the number you want"
                )
            elif holder[1] in waits if holder[0] == key[0] else f"stack:{holder[0]}" in waits:
                continue  # updated after the rule that gives the number up
            else:
                change = (
                    f"{fails} if it is updated before {where} gives up {number} (the two "
                    "update side by side): the load balancer refuses a priority in use "
                    f"(PriorityInUse). Move {where} first, deploy, then give its number to "
                    "this rule"
                )
        findings.append(Finding(key[0], BREAKING, f"resource {key[1]}", change))
    return findings


def _refuse_failed_rules(
    name: str,
    template: Mapping[str, Any],
    values: Mapping[str, str],
    pseudo: Mapping[str, str] | None,
    wired: set[str],
) -> None:
    """A DiffError naming each of the template's rules the update's values fail: CloudFormation
    refuses the update before it changes anything (the Rules section "contains rule functions
    that validate parameter values before CloudFormation creates or updates any resources",
    CloudFormation User Guide, "CloudFormation template Rules syntax"), as it refuses a value
    outside a parameter's constraints. A rule about a value another stack's
    output passes (known only once deployed) is left out."""
    from .evaluate import rule_problems

    rules = template.get("Rules", {})
    checked = {rule: body for rule, body in rules.items() if not (referred(body) & wired)}
    if not checked:
        return
    failed, _ = rule_problems({**template, "Rules": checked}, values, pseudo)
    if failed:
        raise DiffError(
            "\n".join(
                f"{name}: CloudFormation would refuse these values: {line}" for line in failed
            )
        )


def _placed(template: Mapping[str, Any], placeholders: Mapping[str, str]) -> dict[str, Any]:
    """``template`` with each ``Ref`` to a parameter of ``placeholders`` in its resources and
    outputs, and each ``${parameter}`` of an ``Fn::Sub`` there, replaced by its placeholder (as
    :func:`troposphere_fargate.cfn.evaluate.resolved` places them, deciding nothing else)."""
    if not placeholders:
        return dict(template)

    def place(node: Any) -> Any:
        if isinstance(node, list):
            return [place(item) for item in node]
        if not isinstance(node, dict):
            return node
        if set(node) == {"Ref"} and node["Ref"] in placeholders:
            return placeholders[node["Ref"]]
        if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str | list):
            inner = node["Fn::Sub"]
            text = inner if isinstance(inner, str) else inner[0] if inner else None
            variables = {} if isinstance(inner, str) or len(inner) < 2 else inner[1]
            if isinstance(text, str) and isinstance(variables, dict):

                def placed_variable(match: re.Match[str]) -> str:
                    name = sub_name(match.group(1)) or ""
                    wired = name in placeholders and name not in variables
                    return placeholders[name] if wired else match.group(0)

                text = SUB_VARIABLE.sub(placed_variable, text)
                return {"Fn::Sub": text if isinstance(inner, str) else [text, place(variables)]}
        return {key: place(value) for key, value in node.items()}

    placed = dict(template)
    for section in ("Resources", "Outputs"):
        if section in template:
            placed[section] = place(template[section])
    return placed


def _aliased(values: Mapping[str, str], renamed: Mapping[str, str]) -> dict[str, str]:
    """``values`` with each renamed parameter given its parent parameter's value."""
    found = dict(values)
    for parameter, source in renamed.items():
        if source in values:
            found[parameter] = values[source]
        else:
            found.pop(parameter, None)  # a parent's parameter of the same name is not this one
    return found


def _reexported(
    name: str,
    now: Mapping[str, Any],
    stacks: Mapping[str, str],
    changed: Mapping[str, Mapping[str, _Change]],
) -> list[Finding]:
    """A parent's exported outputs that pass on a nested stack's output that changes."""
    findings = []
    for output, body in sorted(now.get("Outputs", {}).items()):
        source = _output_of(body.get("Value"))
        if _export_name(body) is None or source is None or source[0] not in stacks:
            continue
        stack, inner = source
        change = changed.get(stacks[stack], {}).get(inner)
        if change is not None:
            findings.append(
                Finding(
                    name,
                    BREAKING,
                    f"output {output}",
                    f"exported value {'changes' if change.certain else 'may change'} "
                    f"({possessive(stack)} {inner}: {change.why}): CloudFormation refuses the "
                    "update "
                    "while another stack imports it",
                )
            )
    return findings


def blocking(findings: Iterable[Finding], allow: Iterable[str] = ()) -> list[Finding]:
    """The destructive and breaking findings not allowed by ``allow``."""
    allowed = set(allow)
    return [
        f for f in findings if f.severity in (DESTRUCTIVE, BREAKING) and f.severity not in allowed
    ]


def unexplained(findings: Iterable[Finding], changelog: str, version: str) -> list[Finding]:
    """Destructive or breaking findings that ``CHANGELOG.md``'s entry for ``version`` does not
    name: the logical ID, parameter or output, in backticks (`` `Vpc` ``)."""
    match = re.search(
        rf"^## \[?{re.escape(version)}\]?.*?$(.*?)(?=^## |\Z)", changelog, re.M | re.S
    )
    entry = match.group(1) if match else ""
    # Markdown's code spans: a run of backticks opens one and the next run of as many closes it
    # (`` `Vpc` `` holds a backtick); pairing single backticks instead lost every name after
    # a double-backtick span in the entry.
    named = {
        span.strip() for _, span in re.findall(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", entry, re.S)
    }
    return [f for f in blocking(findings) if f.subject.split()[-1] not in named]


def render_table(findings: Iterable[Finding]) -> str:
    lines = []
    current = None
    for finding in sorted(
        findings, key=lambda f: (f.template, SEVERITIES.index(f.severity), f.subject)
    ):
        if finding.template != current:
            current = finding.template
            lines.append(current)
        lines.append(f"  {finding.severity:<11}  {finding.subject}: {finding.change}")
    return "\n".join(lines) if lines else "no differences"
