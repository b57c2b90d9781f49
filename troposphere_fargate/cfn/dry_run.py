"""An offline dry run of launching a template: what CloudFormation checks before it creates
anything, then what the stack would hold.

CloudFormation refuses a stack before creating anything when a parameter is unknown, missing,
or outside its constraints, or when one of the template's ``Rules`` fails; its messages are the
template's own ``ConstraintDescription`` and ``AssertDescription``, so those are the messages
here, every one of them at once rather than one per attempt. When all pass, the stack is
worked out with :mod:`troposphere_fargate.cfn.evaluate`: conditions decided, parameters
substituted, and nested stacks whose template sits beside this one (``root.yaml`` nests
``network.yaml`` and ``service.yaml``) evaluated with the values passed to them.
"""

from __future__ import annotations

import difflib
import functools
import ipaddress
import json
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import expect, expect_path, expect_texts
from .buckets import bucket_lines
from .evaluate import (
    PSEUDO_PARAMETERS,
    REGION_NAME,
    EvaluationError,
    ParameterError,
    default_text,
    literals,
    named_twice,
    parameter_problems,
    pseudo_for_region,
    referred,
    region_problem,
    resolved,
    rule_problems,
    unreadable_patterns,
    zone_region,
)
from .intrinsics import (
    SUB_VARIABLE,
    as_list,
    as_mapping,
    as_text,
    get_att,
    get_in,
    shape_problems,
    sub_name,
    value_problems,
)
from .limits import (
    LOAD_BALANCER_FREE_ADDRESSES,
    MAX_DEPLOYMENT_MINUTES,
    SUBNET_PREFIXES,
    SUBNET_RESERVED_ADDRESSES,
    WILDCARDS_PER_RULE,
    deployment_minutes,
    reversed_ranges,
    reversed_ranges_problem,
    template_quota_problems,
    usable_addresses,
)
from .reach import GATEWAY_ENDPOINTS, KNOWN_ENDPOINTS, endpoints_called
from .weekly import NotWeekly, week_average
from .yaml import PROCESSED_TEMPLATE, expanded_by, read_template, transformed_by

NESTED_STACK = "AWS::CloudFormation::Stack"
STACK_SET = "AWS::CloudFormation::StackSet"
# network.yaml's custom resource that empties its VPC's default security group.
DEFAULT_SECURITY_GROUP_RESTRICTION_TYPE = "Custom::DefaultSecurityGroupRestriction"


class DryRunFailed(ValueError):
    """CloudFormation would refuse the stack; ``problems`` holds one line per reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PlannedStack:
    """What one stack would hold (what :func:`dry_run` returns; :func:`footprint` reads it).

    Attributes:
        template: the file name of its template (``root.yaml``).
        parameters: its parameter values as text, by name: those given (for a nested stack,
            those its parent passes as values known before anything is created), and the
            template's defaults for the others. A nested stack's parameter that another
            stack's output feeds is known only when the stacks are created: it is not here,
            and its ``Ref`` stays in ``resources`` (unless its template gives it a default,
            which then stands in for it).
        resources: its own resources by logical ID (a nested stack's are in ``nested``), as
            CloudFormation would create them: a resource whose condition is false left out,
            ``Fn::If`` decided, each ``Ref`` to a parameter or pseudo parameter (and its
            ``${Name}`` in an ``Fn::Sub``) replaced by its value, and each ``Fn::FindInMap``
            whose keys are known by the mapping's value.
        nested: its nested stacks whose template is beside this one, each as a
            :class:`PlannedStack`, by logical ID. Default: none.
        unchecked_rules: the names of the template's ``Rules`` that could not be checked
            offline (they need a value known only when the stack is created, or call a
            function the dry run does not evaluate in a rule, such as ``Fn::If``). Default:
            none.
        instances: the stack a StackSet of this template creates in each account, by
            (StackSet logical ID, region), from its template beside this one: in other
            accounts, so in none of this stack's counts. Default: none.
        region: the region given (``eu-west-1``); "" (the default) when none was given, and
            the stack was evaluated in us-east-1.
        outputs: the ``Value`` of each of its outputs, by name, resolved as ``resources`` are
            (an output whose condition is false left out): what a sibling stack that reads
            it with ``Fn::GetAtt Stack.Outputs.Name`` gets. Default: none.
        unchecked_patterns: the parameters whose ``AllowedPattern`` the dry run cannot read
            as CloudFormation does (as a Java regular expression: a Unicode property, a
            backreference, a pattern Java refuses...), each with why, by name: their values
            were not checked against it. Default: none.
        transforms: the transforms CloudFormation runs on its template before it creates
            anything that the dry run reads as written (``AWS::Serverless-2016-10-31``, a
            macro of one's own): what they make is not in ``resources``. Default: none.
    """

    template: str
    parameters: dict[str, str]
    resources: dict[str, dict[str, Any]]
    nested: dict[str, PlannedStack] = field(default_factory=dict)
    unchecked_rules: list[str] = field(default_factory=list)
    instances: dict[tuple[str, str], PlannedStack] = field(default_factory=dict)
    region: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    unchecked_patterns: dict[str, str] = field(default_factory=dict)
    transforms: tuple[str, ...] = ()

    def every_stack(self) -> dict[str, PlannedStack]:
        """This stack (by its template's name) and every nested one (by ``Stack/LogicalId``
        path)."""
        found: dict[str, PlannedStack] = {self.template: self}
        for logical_id, child in self.nested.items():
            found.update(
                {
                    logical_id if name == child.template else f"{logical_id}/{name}": stack
                    for name, stack in child.every_stack().items()
                }
            )
        return found

    def every_resource(self) -> dict[str, dict[str, Any]]:
        """Resources of this stack and every nested one, by ``Stack/LogicalId`` path."""
        found = {name: body for name, body in self.resources.items()}
        for logical_id, child in self.nested.items():
            found.update({f"{logical_id}/{k}": v for k, v in child.every_resource().items()})
        return found

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            name: body
            for name, body in self.every_resource().items()
            if body.get("Type") == resource_type
        }


def _given_values(template: Mapping[str, Any], given: Mapping[str, str]) -> dict[str, str]:
    declared: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {})
    values = {
        name: default_text(spec["Default"]) for name, spec in declared.items() if "Default" in spec
    }
    values.update({name: str(value) for name, value in given.items()})
    return values


def _nested_file(properties: Mapping[str, Any], folder: Path) -> Path | None:
    """The template beside this one that a nested stack's ``TemplateURL`` names (whether it is
    there or not); None when the URL names no template file. The URL may be a string, a
    ``Fn::Sub``, or, unresolved, an ``Fn::If`` of two (a bucket per region or one): the first
    template file name in it. Kept in the folders of its key, as in the bucket (the AWS
    reference architectures' ``.../infrastructure/vpc.yaml`` beside ``master.yaml``'s folder
    ``infrastructure``), it is the file there: the longest end of the key that is a file under
    ``folder``."""
    url = json.dumps(properties.get("TemplateURL"))
    # The extension in any case: a Child takes service.YAML, and it was passed over unchecked.
    found = re.search(r"([^\"]*/)?([^\"/]+\.(?:ya?ml|json|template))(?=\")", url, re.IGNORECASE)
    if found is None:
        return None
    parts = [part for part in (found.group(1) or "").split("/") if part]
    for start in range(len(parts)):
        tail = parts[start:]
        if any(set(part) & set("$:{}") or part in (".", "..") for part in tail):
            continue  # a host, a variable, a way out of the folder
        candidate = folder.joinpath(*tail, found.group(2))
        if candidate.is_file():
            return candidate
    return folder / found.group(2)


def _and(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _nested_owner(problem: str, template: Mapping[str, Any], folder: Path) -> str:
    """For ``unknown parameter X`` whose nested stack's template declares X: that the parameter
    is that stack's, and whether this template passes it a value or leaves the nested
    template's default (a newcomer's trial: ``MinCapacity=5`` on an environment's root said
    only "unknown parameter")."""
    unknown = re.fullmatch(r"unknown parameter (\S+)(?: \(did you mean \S+\?\))?", problem)
    if unknown is None:
        return ""
    owners = []
    for logical_id, body in sorted(template.get("Resources", {}).items()):
        if body.get("Type") != NESTED_STACK:
            continue
        child = _nested_file(body.get("Properties", {}), folder)
        if child is None or not child.is_file():
            continue
        try:
            declared = read_template(child).get("Parameters", {})
        except (OSError, ValueError):
            continue
        if unknown.group(1) in declared:
            passed = as_mapping(body.get("Properties", {}).get("Parameters"))
            how = (
                "sets" if unknown.group(1) in passed else "leaves at the nested template's default"
            )
            owners.append((f"{logical_id} ({child.name})", how))
    if not owners:
        return ""
    hows = {how for _, how in owners}
    how = hows.pop() if len(hows) == 1 else "sets for some and leaves at the default for others"
    return (
        f" (it is a parameter of {_and([name for name, _ in owners])}, which this "
        f"template {how}: change it where the templates are built, such as a spec's service "
        "keys, or launch that template on its own)"
    )


def dry_run(path: Path | str, given: Mapping[str, str], region: str | None = None) -> PlannedStack:
    """What launching the template at ``path`` with the ``given`` parameter values would do.

    Raises :class:`DryRunFailed` with every reason CloudFormation would refuse it (for a nested
    stack, the reasons its own template gives for the values passed to it, for every nested
    stack), and :class:`~troposphere_fargate.cfn.yaml.TemplateFileError` for a file that is not
    a template.
    """
    expect_path(path, "dry_run(path)", "template file")
    expect(given, Mapping, "dry_run(given)")
    expect_texts(given, "dry_run(given)", "parameter values")
    expect(region, (str, type(None)), "dry_run(region)")
    path = Path(path)
    return _dry_run(path, given, region, path.name, frozenset())


DEFAULT_REGION = PSEUDO_PARAMETERS["AWS::Region"]


def _zone_problems(template: Mapping[str, Any], given: Mapping[str, str], region: str) -> list[str]:
    """A parameter of Availability Zones (its type is AWS's Availability Zone type, or its
    name says so) naming a zone of another region than the stack's: subnets there cannot be
    created (an Availability Zone belongs to its region, and its name is the region's and a
    letter); or naming one zone twice: the subnets would share it, and a load balancer needs
    subnets in at least two zones ("At least two subnets in two different Availability Zones
    must be specified", Elastic Load Balancing's CreateLoadBalancer)."""
    declared: Mapping[str, Any] = template.get("Parameters", {})
    problems = []
    for name, value in sorted(given.items()):
        spec = declared.get(name)
        kind = str(spec.get("Type", "")) if isinstance(spec, Mapping) else ""
        if "AvailabilityZone" not in kind and "AvailabilityZone" not in name:
            continue
        zones = [item.strip() for item in value.split(",") if item.strip()]
        twice = named_twice(zones)
        if twice:
            problems.append(
                f"parameter {name}: {', '.join(twice)} is named twice: each subnet needs a zone "
                "of its own"
            )
        elsewhere = [zone for zone in zones if zone_region(zone) not in (None, region)]
        if elsewhere:
            verb = (
                "is not an Availability Zone"
                if len(elsewhere) == 1
                else "are not Availability Zones"
            )
            problems.append(
                f"parameter {name}: {', '.join(elsewhere)} {verb} of {region}, the stack's region"
            )
    return problems


_ARN_PARTITION = re.compile(r"^arn:([a-z-]+):")
_ECR_HOST = re.compile(r"^[0-9]{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/")


def _partition_problems(
    template: Mapping[str, Any], given: Mapping[str, str], region: str
) -> list[str]:
    """An ARN, or an ECR image, of another partition than the stack's region's: a stack runs in
    one partition, and cannot name (or pull from) another's ("When granting access, the hosted
    zone and the Amazon VPC must belong to the same partition"; an ARN's partition is its second
    field, AWS General Reference, Amazon Resource Names)."""
    partition = pseudo_for_region(region)["AWS::Partition"]

    def elsewhere(text: str) -> str | None:
        arn = _ARN_PARTITION.match(text)
        if arn:
            return arn.group(1) if arn.group(1) != partition else None
        image = _ECR_HOST.match(text)
        if image and REGION_NAME.fullmatch(image.group(1)):
            other = pseudo_for_region(image.group(1))["AWS::Partition"]
            return other if other != partition else None
        return None

    problems = []
    for name, value in sorted(given.items()):
        for item in (part.strip() for part in value.split(",")):
            other = elsewhere(item)
            if other:
                problems.append(
                    f"parameter {name}: {item} is in the {other} partition, and {region} is in "
                    f"{partition}: a stack names and pulls from its own partition only"
                )
    named = sorted({text for text in literals(template.get("Resources", {})) if elsewhere(text)})
    if named:
        shown = ", ".join(f"{text} ({elsewhere(text)})" for text in named[:3])
        more = f" and {len(named) - 3} more" if len(named) > 3 else ""
        problems.append(
            f"the template names {shown}{more}, of another partition than {region}'s "
            f"({partition}): build it for that partition's regions"
        )
    return problems


def _as_parameter_value(value: Any) -> str:
    """A literal as a stack receives it as a parameter value (CloudFormation's strings)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _refused_before_reading(template: Mapping[str, Any], path: Path, label: str) -> list[str]:
    """What stops the dry run before it reads ``template`` (from the file ``path``): a
    transform that leaves it unreadable as written, or more than CloudFormation's quotas take
    (a template without resources is refused as it is read)."""
    transforms = expanded_by(template)
    if transforms:
        return [
            f"{label}: CloudFormation runs {', '.join(transforms)} on it before it checks "
            "anything, and the dry run reads templates as written: give it the processed "
            f"template ({PROCESSED_TEMPLATE})"
        ]
    return [f"{label}: {p}" for p in template_quota_problems(template, path.stat().st_size)]


def _dry_run(
    path: Path,
    given: Mapping[str, str],
    region: str | None,
    label: str,
    deferred: frozenset[str],
    within: tuple[Path, ...] = (),
) -> PlannedStack:
    """:func:`dry_run` of one template; ``deferred`` parameters get their value only when the
    stack is created (a nested stack's parameters fed by other stacks' outputs); ``within``,
    the templates whose stacks this one is in (one that contains itself is refused, not
    followed forever)."""
    template = read_template(path)  # one that cannot be read (a symlink loop) is said here
    within = (*within, path.resolve())
    unread = _refused_before_reading(template, path, label)
    if unread:
        raise DryRunFailed(unread)
    unresolved = _unresolved(template) + shape_problems(template)
    if unresolved:
        raise DryRunFailed([f"{label}: {p}" for p in unresolved])
    # Without a region the stack is evaluated in the default one: held to the same checks.
    default = (
        "" if region is not None else f" (no region was given: {DEFAULT_REGION} is the default)"
    )
    stack_region = DEFAULT_REGION if region is None else region  # "" is refused, not defaulted
    problem = region_problem(template, stack_region)
    if problem:
        raise DryRunFailed([f"{label}: {problem}{default}"])
    unknown = _type_problems(template, stack_region)
    if unknown:
        raise DryRunFailed([f"{label}: {p}{default}" for p in unknown])
    pseudo = pseudo_for_region(region) if region else {}
    problems = [
        f"{label}: {p}{_nested_owner(p, template, path.parent)}"
        for p in parameter_problems(template, given, deferred)
    ]
    zones = _zone_problems(template, given, stack_region)
    zones += _partition_problems(template, given, stack_region)
    problems += [f"{label}: {p}{default}" for p in zones]
    if problems:
        raise DryRunFailed(problems)
    values = _given_values(template, given)
    failed, unchecked = rule_problems(template, values, pseudo)
    if failed:
        raise DryRunFailed([f"{label}: {p}" for p in failed])
    try:
        stack = resolved(template, values, {**PSEUDO_PARAMETERS, **pseudo}, deferred=deferred)
    except (ParameterError, EvaluationError) as exc:
        raise DryRunFailed([f"{label}: {exc}"]) from None
    resources: dict[str, dict[str, Any]] = _mapped(
        stack.get("Resources", {}), stack.get("Mappings") or {}
    )
    nested: dict[str, PlannedStack] = {}
    refused: list[str] = [f"{label}: {p}" for p in _value_problems(template, stack, resources)]
    if refused:  # what follows reads the values those functions would have made
        raise DryRunFailed(refused)
    refused += [f"{label}: {p}" for p in _capacity_problems(resources)]
    refused += [
        f"{label}: {p}{default}"
        for p in _region_problems(resources, template, values, stack_region)
    ]
    refused += [f"{label}: {p}" for p in _whole_number_problems(resources, stack_region)]
    refused += [
        f"{label}: {p}" for check in _VALUE_CHECKS for p in check(resources, template, values)
    ]
    for logical_id, body in resources.items():
        properties = body.get("Properties", {})
        child = _nested_file(properties, path.parent) if body.get("Type") == NESTED_STACK else None
        if child is None:
            continue
        if not child.is_file():
            # What it nests would go unchecked and uncounted ($0.00 a month for a root alone).
            refused.append(
                f"{label} > {logical_id}: nests {child.name}, which is not beside "
                f"{path.name}: keep the templates of a version together (its folder)"
            )
            continue
        if child.resolve() in within:
            refused.append(_contains_itself(label, logical_id, child))
            continue
        passed = as_mapping(properties.get("Parameters"))
        known = {
            name: _as_parameter_value(value)
            for name, value in passed.items()
            if isinstance(value, str | int | float)  # not another stack's output, known later
        }
        try:
            nested[logical_id] = _dry_run(
                child,
                known,
                region,
                f"{label} > {logical_id} ({child.name})",
                frozenset(passed) - set(known),
                within,
            )
        except DryRunFailed as exc:
            refused += exc.problems
    instances, problems = _instances(resources, path, label, within)
    refused += problems
    if refused:
        raise DryRunFailed(refused)
    planned = (path.name, values, resources, nested, unchecked, instances, region or "")
    return PlannedStack(
        *planned,
        _outputs(stack),
        unreadable_patterns(template),
        tuple(transformed_by(template)),
    )


def _value_problems(
    template: Mapping[str, Any], stack: Mapping[str, Any], resources: Mapping[str, Any]
) -> list[str]:
    """The functions of the resolved stack's resources and outputs whose arguments are known
    but whose value CloudFormation cannot make (:func:`~.intrinsics.value_problems`)."""
    mappings = stack.get("Mappings") or {}
    lists = frozenset(
        name
        for name, spec in (template.get("Parameters") or {}).items()
        if re.fullmatch(r"List<.+>|CommaDelimitedList", str(spec.get("Type", "")))
    )
    outputs = _mapped(stack.get("Outputs") or {}, mappings)
    problems = []
    for what, entries in (("resource", resources), ("output", outputs)):
        for name, body in entries.items():
            problems += value_problems(body, f"{what} {name}", mappings, lists)
    return problems


def _outputs(stack: Mapping[str, Any]) -> dict[str, Any]:
    """The ``Value`` of each output of a resolved template, by name (see PlannedStack)."""
    outputs = _mapped(stack.get("Outputs") or {}, stack.get("Mappings") or {})
    return {name: body.get("Value") for name, body in outputs.items() if isinstance(body, Mapping)}


def _mapped(node: Any, mappings: Mapping[str, Any]) -> Any:
    """``node`` with each ``Fn::FindInMap`` whose three keys are text replaced by the mapping's
    value, as CloudFormation looks it up, and each ``Fn::Sub`` whose variables are then all
    text filled in (the access-log bucket's policy names the region's Elastic Load Balancing
    account so: ``arn:${AWS::Partition}:iam::${ElbAccount}:root``, ``ElbAccount`` a lookup)."""
    if isinstance(node, list):
        return [_mapped(item, mappings) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: _mapped(item, mappings) for key, item in node.items()}
    keys = found.get("Fn::FindInMap")
    keys = [as_text(key) for key in keys] if isinstance(keys, list) else keys
    if len(found) == 1 and isinstance(keys, list) and [type(key) for key in keys] == [str] * 3:
        value = get_in(get_in(mappings.get(keys[0]), keys[1]), keys[2])
        if isinstance(value, str | int | float | list):
            return value
    sub = found.get("Fn::Sub")
    if len(found) != 1 or not isinstance(sub, list) or len(sub) != 2:
        return found
    text, variables = sub
    if (
        isinstance(text, str)
        and isinstance(variables, dict)
        and all(isinstance(value, str) for value in variables.values())
    ):
        filled = SUB_VARIABLE.sub(
            lambda m: str(variables.get(sub_name(m.group(1)) or "", m.group(0))), text
        )
        if not re.search(r"\$\{[^!]", filled):
            return filled
    return found


def _contains_itself(label: str, logical_id: str, child: Path) -> str:
    return (
        f"{label} > {logical_id}: {child.name} is a template this stack is already in: a "
        "stack that contains itself never finishes creating"
    )


def _regions_of(properties: Mapping[str, Any]) -> list[str]:
    """A StackSet's regions, each once, in the order its ``StackInstancesGroup`` names them."""
    groups = properties.get("StackInstancesGroup")
    return list(
        dict.fromkeys(
            str(region)
            for group in (groups if isinstance(groups, list) else [])
            if isinstance(group, Mapping) and isinstance(group.get("Regions"), list)
            for region in group["Regions"]
        )
    )


def _instances(
    resources: Mapping[str, dict[str, Any]], path: Path, label: str, within: tuple[Path, ...]
) -> tuple[dict[tuple[str, str], PlannedStack], list[str]]:
    """The stack each StackSet deploys in each of its regions (one per account there), from
    the template beside ``path`` its ``TemplateURL`` names, with the values it passes: each
    region held to that template's checks (a StackSet of eu-west-1's Availability Zones
    deployed to us-east-1 fails in us-east-1), and the problems found. A StackSet whose
    template is not beside this one (another team's, from its own bucket) is left out."""
    instances: dict[tuple[str, str], PlannedStack] = {}
    refused: list[str] = []
    for logical_id, body in resources.items():
        properties = body.get("Properties", {})
        child = _nested_file(properties, path.parent) if body.get("Type") == STACK_SET else None
        if child is None or not child.is_file():
            continue
        if child.resolve() in within:
            refused.append(_contains_itself(label, logical_id, child))
            continue
        nests = _service_managed_nesting(properties, child)
        if nests:
            refused.append(f"{label} > {logical_id}: {nests}")
            continue
        items = [i for i in properties.get("Parameters") or [] if isinstance(i, Mapping)]
        passed = {
            str(item.get("ParameterKey")): _as_parameter_value(item.get("ParameterValue"))
            for item in items
            if isinstance(item.get("ParameterValue"), str | int | float)
        }
        # A value from this stack's resources (Ref, GetAtt) is known once they exist.
        later = frozenset(str(item.get("ParameterKey")) for item in items) - set(passed)
        for region in _regions_of(properties):
            where = f"{label} > {logical_id} in {region} ({child.name})"
            try:
                instances[logical_id, region] = _dry_run(
                    child, passed, region, where, later, within
                )
            except DryRunFailed as exc:
                refused += exc.problems
    return instances, refused


def _service_managed_nesting(properties: Mapping[str, Any], child: Path) -> str | None:
    """What CloudFormation says of a StackSet with service-managed permissions whose template
    nests stacks or uses a transform (a macro), or None. StackSets' default execution role
    takes neither ("You can't provision nested stacks, transforms, or macros with the default
    execution role", CloudFormation User Guide, "Configure a custom execution role template for
    StackSets": only an organization's custom execution role template does), and the StackSet
    resource refuses nested stacks under service-managed permissions ("Nested
    AWS::CloudFormation::Stack is not supported in service managed
    AWS::CloudFormation::StackSet", its handler,
    aws-cloudformation/aws-cloudformation-resource-providers-cloudformation#104;
    cloudformation-coverage-roadmap#1797). The emulator creates it all the same."""
    if properties.get("PermissionModel") != "SERVICE_MANAGED":
        return None
    try:
        template = read_template(child)
    except (OSError, ValueError):
        return None  # the instances' own dry run names what is wrong with it
    nested = sorted(
        name
        for name, body in as_mapping(template.get("Resources")).items()
        if isinstance(body, Mapping) and body.get("Type") == NESTED_STACK
    )
    transforms = transformed_by(template)
    if not nested and not transforms:
        return None
    what = [f"nests stacks ({', '.join(nested)})"] if nested else []
    what += [f"uses {', '.join(transforms)}"] if transforms else []
    return (
        f"a StackSet with service-managed permissions cannot deploy {child.name}, which "
        f"{' and '.join(what)}: StackSets' default execution role takes neither nested stacks "
        'nor transforms, and the StackSet resource refuses nested stacks ("Nested '
        "AWS::CloudFormation::Stack is not supported in service managed "
        'AWS::CloudFormation::StackSet"); give it a template without them, or self-managed '
        "permissions"
    )


def _unresolved(template: Mapping[str, Any]) -> list[str]:
    """References (and DependsOn) to a name that is neither a parameter, a resource nor a pseudo
    parameter: CloudFormation refuses the template before anything else ("Template format
    error: Unresolved resource dependencies [...] in the Resources block of the template").
    None for a template with a ``Transform`` section: CloudFormation resolves the names of the
    template its transforms return, which has resources the one written does not (SAM's
    ``ServerlessHttpApi``, a function's ``<Function>Role``; ``Ref MyApi.Stage``)."""
    if "Transform" in template:
        return []
    known = set(template.get("Parameters") or {}) | set(template.get("Resources") or {})
    problems = []
    resources: Mapping[str, Any] = template.get("Resources") or {}
    # A module's resources are named by its logical ID and theirs, "either MyModule.MyBucket or
    # MyModuleMyBucket" (User Guide, Reference module resources in CloudFormation templates):
    # which it holds, the module's schema in the account's registry says.
    modules = tuple(
        logical_id
        for logical_id, body in resources.items()
        if isinstance(body, Mapping) and str(body.get("Type", "")).endswith("::MODULE")
    )
    waited: set[str] = set()
    for body in resources.values():
        depends = body.get("DependsOn") if isinstance(body, Mapping) else None
        listed = [depends] if isinstance(depends, str) else depends or []
        waited |= {name for name in listed if isinstance(name, str)}
    for section in ("Resources", "Outputs"):
        named = referred(template.get(section) or {}) | (
            waited if section == "Resources" else set()
        )
        names = sorted(
            name for name in named if name not in known and not name.startswith(("AWS::", *modules))
        )
        if names:
            problems.append(
                f"Template format error: Unresolved resource dependencies [{', '.join(names)}] "
                f"in the {section} block of the template"
            )
    return problems


def _schema_indexes() -> list[Path]:
    """The folders of cfn-lint's per-region type indexes: the copy it ships and the one
    ``cfn-lint --update-specs`` downloads (cfnlint.helpers.get_cache_dir's path; cfn-lint uses
    the newer, so a type either knows counts as known)."""
    import importlib.util
    import sys

    found = importlib.util.find_spec("cfnlint")
    folders = []
    if found is not None and found.origin is not None:
        folders.append(Path(found.origin).parent / "data" / "schemas" / "providers")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", os.path.expanduser("~\\AppData\\Local"))
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache"))
    folders.append(Path(base) / "aws" / "cfn-lint" / "schemas" / "providers")
    return [folder for folder in folders if folder.is_dir()]


@functools.lru_cache(maxsize=64)
def _resource_types(region: str) -> frozenset[str] | None:
    """The resource types CloudFormation has in ``region`` (``*``: in any region), from
    cfn-lint's indexes, read without loading cfn-lint; None when there is none to read."""
    names = [f"{region}.json"] if region != "*" else None
    found: set[str] = set()
    read = False
    for folder in _schema_indexes():
        for index in [folder / n for n in names] if names else sorted(folder.glob("*.json")):
            try:
                found |= set(json.loads(index.read_text(encoding="utf-8")))
                read = True
            except (OSError, ValueError):
                continue
    return frozenset(found) if read else None


def _type_problems(template: Mapping[str, Any], region: str) -> list[str]:
    """A resource type CloudFormation does not have in ``region``: it refuses the template
    before anything is created ("Template format error: Unrecognized resource types"), for a
    misspelt type and for a service the region does not offer alike. Custom and third-party
    types, and a template with a ``Transform`` (which makes its own), are not checked."""
    if "Transform" in template:
        return []
    known = _resource_types(region)
    if not known:
        return []
    problems = []
    for logical_id, body in template.get("Resources", {}).items():
        kind = body.get("Type") if isinstance(body, Mapping) else None
        if not isinstance(kind, str) or not kind.startswith("AWS::") or kind in known:
            continue
        if kind.startswith("AWS::Serverless::"):
            why = f"{kind} needs the template's Transform: AWS::Serverless-2016-10-31"
        elif kind in (_resource_types("*") or frozenset()):
            why = f"{kind} is not available in {region}"
        else:
            close = difflib.get_close_matches(kind, sorted(known), n=1)
            why = f"{kind} is no resource type" + (f" (did you mean {close[0]}?)" if close else "")
        problems.append(
            f'{logical_id}: {why}: CloudFormation refuses the template ("Unrecognized resource '
            'types")'
        )
    return problems


def _given_by(
    template: Mapping[str, Any],
    logical_id: str,
    key: str,
    values: Mapping[str, str],
    holds: Callable[[str], bool],
) -> list[str]:
    """The parameters a resource's property refers to, as the template writes it (in any
    branch), whose value ``holds``: the one that gave a refused value, not another parameter
    that happens to hold the same."""
    written = as_mapping(get_in(template.get("Resources", {}).get(logical_id), "Properties"))
    return sorted(
        name for name in referred(written.get(key)) if name in values and holds(values[name])
    )


@dataclass(frozen=True)
class _Regional:
    """A property that names a resource of the stack's own region only, and why."""

    types: tuple[str, ...]
    properties: tuple[str, ...]
    arn: re.Pattern[str]  # its region is the first group
    noun: str
    rule: str  # what AWS takes, and what to do ("{region}": the stack's)
    inside: str | None = None  # the key of each item of the list that holds the ARN

    def arns(self, properties: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        """(property, ARN) of each value it names, as resolved."""
        for key in self.properties:
            value = properties.get(key)
            for item in value if isinstance(value, list) else [value]:
                if self.inside is not None and isinstance(item, Mapping):
                    item = item.get(self.inside)
                if isinstance(item, str):
                    yield key, item


# Each a service refuses, or a resource fails to create, when given one of another region.
_REGIONAL = (
    _Regional(
        # ACM User Guide, "Supported Regions": to use a certificate with Elastic Load Balancing
        # in more than one region, "you must request or import a certificate for each region".
        (
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        ),
        ("Certificates",),
        re.compile(r"arn:aws[a-z-]*:acm:([a-z0-9-]+):[0-9]{12}:certificate/.+"),
        "certificate",
        "a load balancer takes an ACM certificate of its own region (request or import one in "
        "{region})",
        inside="CertificateArn",
    ),
    _Regional(
        # AWS WAF Developer Guide, "Associating or disassociating a web ACL with an AWS
        # resource": "the web ACL must be in the same region as your resource".
        ("AWS::WAFv2::WebACLAssociation",),
        ("WebACLArn",),
        re.compile(r"arn:aws[a-z-]*:wafv2:([a-z0-9-]+):[0-9]{12}:regional/webacl/.+"),
        "web ACL",
        "AWS WAF associates a web ACL with a load balancer of its own region only (create one "
        "in {region})",
    ),
    _Regional(
        # PutMetricAlarm refuses it: "ValidationError: Invalid region ca-central-1 specified.
        # Only us-west-2 is supported." (cds-snc/notification-terraform#128).
        ("AWS::CloudWatch::Alarm",),
        ("AlarmActions", "OKActions", "InsufficientDataActions"),
        re.compile(r"arn:aws[a-z-]*:sns:([a-z0-9-]+):[0-9]{12}:.+"),
        "topic",
        "CloudWatch alarms notify a topic of their own region only (create one in {region}; "
        "it may deliver to queues and functions of other regions)",
    ),
)


def _region_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
    region: str,
) -> list[str]:
    """A certificate, web ACL or alarm topic of another region than the stack's, each named by
    the parameter that gave it: accepted by every rule, and refused by the service when the
    resource is created (see _REGIONAL)."""
    problems = []
    for logical_id, body in resources.items():
        for kind in _REGIONAL:
            if body.get("Type") not in kind.types:
                continue
            for key, arn in kind.arns(body.get("Properties", {})):
                match = kind.arn.fullmatch(arn)
                if match is None or match.group(1) == region:
                    continue
                given = _given_by(template, logical_id, key, values, arn.__eq__)
                what = f"parameter {given[0]}" if given else f"{logical_id}'s {kind.noun}"
                problems.append(
                    f"{what}: the {kind.noun} is in {match.group(1)}, not {region}, the "
                    f"stack's region: {kind.rule.format(region=region)}"
                )
    return list(dict.fromkeys(problems))


# "The length of the domain name (technically, the Common Name) that you provide cannot exceed
# 64 octets (characters), including periods" (ACM API Reference, RequestCertificate,
# https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html). The other
# names of the certificate (SubjectAlternativeNames) take up to 253.
CERTIFICATE_NAME_MAX = 64


def _certificate_name_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
) -> list[str]:
    """A certificate the stack requests whose first name is longer than ACM takes: accepted by
    every parameter pattern and rule (the shipped environment's ``DomainName`` may be longer
    when ``CertificateArn`` brings the certificate), and refused by ACM when the stack creates
    it, after the load balancer."""
    problems = []
    for logical_id, body in resources.items():
        if body.get("Type") != "AWS::CertificateManager::Certificate":
            continue
        name = get_in(body.get("Properties"), "DomainName")
        if not isinstance(name, str) or len(name) <= CERTIFICATE_NAME_MAX:
            continue
        given = _given_by(template, logical_id, "DomainName", values, name.__eq__)
        what = f"parameter {given[0]}" if given else f"{logical_id}'s DomainName"
        problems.append(
            f"{what}: {name} is {len(name)} characters, and ACM takes a certificate's domain "
            f"name of {CERTIFICATE_NAME_MAX} at most: the stack would fail creating "
            f"{logical_id}; give CertificateArn (a certificate of your own that covers it) or a "
            "shorter domain"
        )
    return problems


# "TemplateURL ... Maximum: 1024" (AWS::CloudFormation::Stack, CloudFormation Template
# Reference; maxLength 1024 in its resource schema): the URL once its Fn::Sub is substituted,
# which a build cannot know. Characters: code points, the fewer when a URL holds a character
# beyond U+FFFF.
TEMPLATE_URL_MAX = 1024


def _template_url_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
) -> list[str]:
    """A nested stack whose resolved ``TemplateURL`` is longer than CloudFormation takes: the
    parameters that build it (a long key prefix) passed their patterns, and the nested stack
    fails when the root creates it."""
    problems = []
    for logical_id, body in resources.items():
        url = get_in(body.get("Properties"), "TemplateURL")
        if body.get("Type") != NESTED_STACK or not isinstance(url, str):
            continue
        if len(url) <= TEMPLATE_URL_MAX:
            continue
        given = _given_by(template, logical_id, "TemplateURL", values, url.__contains__)
        longest = max(given, key=lambda name: len(values[name]), default=None)
        remedy = f": give a shorter {longest}" if longest else ""
        problems.append(
            f"{logical_id}: its TemplateURL would be {len(url):,} characters, and "
            f"CloudFormation takes {TEMPLATE_URL_MAX:,} at most{remedy}"
        )
    return problems


def _condition_values(condition: Any) -> list[str]:
    """The text values of a listener rule's condition in which Elastic Load Balancing counts
    wildcards: a host-header, path-pattern, http-header or query-string condition's (its
    ``Values`` and its ``*Config``'s; a query string's keys and values), not a regular
    expression's."""
    if not isinstance(condition, Mapping):
        return []
    found: list[Any] = list(as_list(condition.get("Values")))
    for key in ("HostHeaderConfig", "PathPatternConfig", "HttpHeaderConfig"):
        config = condition.get(key)
        if isinstance(config, Mapping):
            found += as_list(config.get("Values"))
    query = condition.get("QueryStringConfig")
    if isinstance(query, Mapping):
        for pair in as_list(query.get("Values")):
            if isinstance(pair, Mapping):
                found += [pair.get("Key"), pair.get("Value")]
    return [value for value in found if isinstance(value, str)]


def _given_at(given: list[str], logical_id: str) -> str:
    """What a problem is at: the parameters that gave the values, else the resource."""
    if not given:
        return logical_id
    return f"parameter{'s' * (len(given) > 1)} {' and '.join(given)}"


def _wildcards(text: str) -> int:
    return text.count("*") + text.count("?")


def _listener_rule_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
) -> list[str]:
    """A listener rule with more wildcards than Elastic Load Balancing takes per rule, all its
    conditions together (see limits.WILDCARDS_PER_RULE): each parameter's pattern can hold its
    own value's, not the sum (the shipped service's ListenerRulePath takes five, and a
    ListenerRuleHost of *.example.com adds a sixth), so the stack would fail creating it."""
    problems = []
    for logical_id, body in resources.items():
        if body.get("Type") != "AWS::ElasticLoadBalancingV2::ListenerRule":
            continue
        conditions = get_in(body.get("Properties"), "Conditions")
        texts = [
            text
            for condition in (conditions if isinstance(conditions, list) else [])
            for text in _condition_values(condition)
        ]
        count = sum(_wildcards(text) for text in texts)
        if count <= WILDCARDS_PER_RULE:
            continue
        given = _given_by(template, logical_id, "Conditions", values, lambda v: _wildcards(v) > 0)
        shown = [text for text in texts if _wildcards(text)]
        problems.append(
            f"{_given_at(given, logical_id)}: the listener rule {logical_id} has {count} "
            f"wildcards (* and ?) in its conditions ({', '.join(shown)}); Elastic Load "
            f"Balancing takes {WILDCARDS_PER_RULE} per rule, all conditions together: the "
            f"stack would fail creating {logical_id}"
        )
    return problems


def _address_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
) -> list[str]:
    """A subnet of the template too small for what the template puts in it: an interface or
    Gateway Load Balancer endpoint takes an address in each of its subnets, a NAT gateway one
    in its own, and a load balancer needs 8 free in each of its
    (limits.LOAD_BALANCER_FREE_ADDRESSES). A review
    validated 16 interface endpoints in /28 subnets (11 addresses) as accepted; EC2 fails
    creating the endpoints past the subnet's addresses."""
    taken: dict[str, list[str]] = {}  # subnet -> what takes an address in it
    balanced: set[str] = set()
    for logical_id, body in resources.items():
        kind, properties = body.get("Type"), as_mapping(body.get("Properties"))
        if kind == "AWS::EC2::VPCEndpoint" and _takes_addresses(properties):
            named = as_list(properties.get("SubnetIds"))
        elif kind == "AWS::EC2::NatGateway":
            named = [properties.get("SubnetId")]
        elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            mapped = [get_in(m, "SubnetId") for m in as_list(properties.get("SubnetMappings"))]
            balanced |= set(_refs_named([*as_list(properties.get("Subnets")), *mapped]))
            continue
        else:
            continue
        for subnet in _refs_named(named):
            taken.setdefault(subnet, []).append(logical_id)
    problems = []
    for logical_id, body in sorted(resources.items()):
        cidr = get_in(body.get("Properties"), "CidrBlock")
        if body.get("Type") != "AWS::EC2::Subnet" or not isinstance(cidr, str):
            continue
        try:
            prefix = ipaddress.IPv4Network(cidr).prefixlen
        except ValueError:
            continue  # not a block: EC2's own error names it
        given = functools.partial(
            _given_by,
            template,
            logical_id,
            "CidrBlock",
            values,
            functools.partial(str.__eq__, cidr),
        )
        if not SUBNET_PREFIXES[0] <= prefix <= SUBNET_PREFIXES[1]:
            problems.append(
                f"{_given_at(given(), logical_id)}: the subnet {logical_id} ({cidr}) is a "
                f"/{prefix}; EC2 takes a subnet block from /{SUBNET_PREFIXES[0]} to "
                f"/{SUBNET_PREFIXES[1]}"
            )
            continue
        usable = usable_addresses(prefix)
        users = taken.get(logical_id, [])
        needed = len(users) + (LOAD_BALANCER_FREE_ADDRESSES if logical_id in balanced else 0)
        if needed <= usable:
            continue
        why = f"{len(users)} take an address each in it ({', '.join(users)})" if users else ""
        if logical_id in balanced:
            why += (" and " if why else "") + (
                f"a load balancer needs {LOAD_BALANCER_FREE_ADDRESSES} free in it (Elastic Load "
                "Balancing: each of its subnets needs at least 8 free addresses)"
            )
        problems.append(
            f"{_given_at(given(), logical_id)}: the subnet {logical_id} ({cidr}) holds {usable} "
            f"addresses (AWS reserves {SUBNET_RESERVED_ADDRESSES}), and {why}: the stack would "
            "fail creating them; give it a larger block"
        )
    return problems


def _takes_addresses(endpoint: Mapping[str, Any]) -> bool:
    """Whether a VPC endpoint takes an address in each of its subnets: an interface endpoint,
    and a Gateway Load Balancer endpoint ("For each subnet that you specify from your VPC, we
    create an endpoint network interface in the subnet and assign it a private IP address",
    AWS PrivateLink guide, for both)."""
    return endpoint.get("VpcEndpointType") in ("Interface", "GatewayLoadBalancer")


def _refs_named(values: list[Any]) -> list[str]:
    """The logical IDs the ``Ref`` values among ``values`` name (a subnet given by its ID is
    another stack's, whose block this stack does not know)."""
    return [v["Ref"] for v in values if isinstance(v, Mapping) and isinstance(v.get("Ref"), str)]


def _matcher_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
) -> list[str]:
    """A target group's success codes with a range written high to low (``299-200``): the
    shipped ``HealthCheckSuccessCodes`` pattern passes it, and no template rule can compare two
    numbers (limits.reversed_ranges)."""
    problems = []
    for logical_id, body in resources.items():
        if body.get("Type") != "AWS::ElasticLoadBalancingV2::TargetGroup":
            continue
        codes = get_in(get_in(body.get("Properties"), "Matcher"), "HttpCode")
        problem = reversed_ranges_problem(codes) if isinstance(codes, str) else None
        if problem is None:
            continue
        given = _given_by(
            template, logical_id, "Matcher", values, lambda v: bool(reversed_ranges(v))
        )
        problems.append(
            f"{_given_at(given, logical_id)}: the health check's success codes {problem}"
        )
    return problems


def _listener_certificate_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
) -> list[str]:
    """An HTTPS or TLS listener without exactly one certificate: "You must provide exactly one
    certificate if the listener protocol is HTTPS or TLS" (AWS::ElasticLoadBalancingV2::Listener,
    Certificates, Template Reference), so the stack would fail creating it. cfn-lint's E3676
    asks only that a ``Protocol`` the template writes has a ``Certificates`` key (its schema's
    "required"): not of one a parameter gives, and an empty list or two pass it. A certificate
    is its ARN ("Set CertificateArn to the certificate ARN", Elastic Load Balancing API,
    CreateListener): one without (an ``Fn::If``'s ``AWS::NoValue`` left none) or given empty
    is none."""
    problems = []
    for logical_id, body in resources.items():
        if body.get("Type") != "AWS::ElasticLoadBalancingV2::Listener":
            continue
        properties = body.get("Properties") or {}
        protocol, certificates = properties.get("Protocol"), properties.get("Certificates", [])
        if protocol not in ("HTTPS", "TLS") or not isinstance(certificates, list):
            continue  # another protocol, or a value known once the stack runs
        count = sum(
            1
            for item in certificates
            if not isinstance(item, Mapping) or item.get("CertificateArn") not in (None, "")
        )
        if count == 1:
            continue
        given = _given_by(template, logical_id, "Protocol", values, {protocol}.__contains__)
        if count == 0:  # an ARN given empty is why there is none (not why there are two)
            given += _given_by(template, logical_id, "Certificates", values, lambda v: v == "")
        more = " (more go in an AWS::ElasticLoadBalancingV2::ListenerCertificate)" * (count > 1)
        has = f"{count} certificates" if count else "no certificate"
        problems.append(
            f"{_given_at(given, logical_id)}: the {protocol} listener {logical_id} has {has}; "
            f"Elastic Load Balancing takes exactly one for an HTTPS or TLS listener{more}: the "
            f"stack would fail creating {logical_id}"
        )
    return problems


def _uses_spot(strategy: Any) -> bool:
    """Whether a capacity provider strategy places tasks on Fargate Spot: its FARGATE_SPOT item
    has a base or a weight, or is the only one (an item's weight is 0 when not given)."""
    items = (
        [item for item in strategy if isinstance(item, Mapping)]
        if isinstance(strategy, list)
        else []
    )
    spot = [item for item in items if item.get("CapacityProvider") == "FARGATE_SPOT"]
    if not spot:
        return False
    if len(items) == 1:
        return True
    return any((_number(item.get(key)) or 0) > 0 for item in spot for key in ("Base", "Weight"))


# The capacity providers of Fargate: "To use a AWS Fargate capacity provider, specify either
# the FARGATE or FARGATE_SPOT capacity providers" (ECS API Reference,
# CapacityProviderStrategyItem); any other is an Auto Scaling group's (EC2 instances), and "A
# capacity provider strategy can only contain Auto Scaling group capacity providers or Fargate
# capacity providers" (Amazon ECS Developer Guide, cluster capacity providers).
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


def _not_on_fargate(
    properties: Mapping[str, Any], placement: _Placement | None, definition: Mapping[str, Any]
) -> str:
    """What an ECS service's tasks run on when it is not Fargate (``EC2 launch type``,
    ``capacity provider my-asg``, ``bridge network mode``), else "": its ``LaunchType`` EC2 or
    EXTERNAL, a capacity provider strategy (its own or its cluster's) of providers other than
    Fargate's, or a task definition whose network mode Fargate does not run ("For Amazon ECS
    tasks on Fargate, the awsvpc network mode is required"; "If no network mode is specified,
    the default is bridge", ECS API Reference, TaskDefinition networkMode)."""
    launch = properties.get("LaunchType")
    if launch in ("EC2", "EXTERNAL"):
        return f"{launch} launch type"
    strategy = placement.strategy if placement is not None else None
    providers = [
        item.get("CapacityProvider")
        for item in (strategy if isinstance(strategy, list) else [])
        if isinstance(item, Mapping)
    ]
    if (
        launch is None
        and providers
        and all(isinstance(p, str) and p not in FARGATE_PROVIDERS for p in providers)
    ):
        return f"capacity provider {', '.join(str(p) for p in providers)}"
    if not definition:
        # A task definition the stacks do not hold (an ARN given, another stack's): its
        # network mode is not known here, and no default of it is what it has.
        return ""
    mode = definition.get("NetworkMode", "bridge")
    if isinstance(mode, str) and mode != "awsvpc":
        return f"{mode} network mode"
    return ""


CLUSTER = "AWS::ECS::Cluster"
CLUSTER_ASSOCIATIONS = "AWS::ECS::ClusterCapacityProviderAssociations"


class _Placement(NamedTuple):
    """The capacity provider strategy an ECS service's tasks are placed by, and whose it is:
    ``source`` is "" for the service's own (or none, with a ``LaunchType``), else the logical
    ID of the cluster, or of its ``ClusterCapacityProviderAssociations``, whose default
    strategy it is."""

    strategy: Any
    source: str = ""


def _own_placement(properties: Mapping[str, Any]) -> _Placement | None:
    """An ECS service's own strategy (or none, with a ``LaunchType``); None when it names
    neither, and its cluster's default strategy places its tasks."""
    strategy = properties.get("CapacityProviderStrategy")
    if strategy:
        return _Placement(strategy)
    if properties.get("LaunchType"):
        return _Placement(None)
    return None


def _named_resource(value: Any) -> str | None:
    """The logical ID a ``Ref`` or an ``Fn::GetAtt`` (either spelling) names, or None: a
    service's ``Cluster`` is the cluster's name (``Ref``) or its ``Arn``, its
    ``TaskDefinition`` the definition's ``Ref`` or ``TaskDefinitionArn`` (Template Reference,
    each type's return values)."""
    if isinstance(value, Mapping) and len(value) == 1 and isinstance(value.get("Ref"), str):
        return str(value["Ref"])
    parts = get_att(value)
    return parts[0] if parts else None


def _cluster_default(resources: Mapping[str, dict[str, Any]], cluster: str) -> _Placement:
    """The default capacity provider strategy of ``cluster``, a cluster of ``resources``: that
    of the ``ClusterCapacityProviderAssociations`` of it (which sets the cluster's, as
    PutClusterCapacityProviders does), else its own ``DefaultCapacityProviderStrategy`` (None
    when it has neither)."""
    for name, body in resources.items():
        properties = body.get("Properties") or {}
        # Its Cluster is "The name of the cluster" (the schema): a Ref.
        targets = properties.get("Cluster") == {"Ref": cluster}
        if body.get("Type") == CLUSTER_ASSOCIATIONS and targets:
            return _Placement(properties.get("DefaultCapacityProviderStrategy"), name)
    properties = resources[cluster].get("Properties") or {}
    return _Placement(properties.get("DefaultCapacityProviderStrategy"), cluster)


def _placement_in(
    resources: Mapping[str, dict[str, Any]], properties: Mapping[str, Any]
) -> _Placement | None:
    """How an ECS service of ``resources`` places its tasks: by its own strategy, or, naming
    none and no ``LaunchType``, by its cluster's default strategy ("If no
    capacityProviderStrategy or launchType is specified, the defaultCapacityProviderStrategy
    for the cluster is used", ECS CreateService) when the cluster is one of ``resources``;
    None when it is not (another stack's, or the account's default cluster: its default is
    not known here)."""
    own = _own_placement(properties)
    if own is not None:
        return own
    name = _named_resource(properties.get("Cluster"))
    if isinstance(name, str) and get_in(resources.get(name), "Type") == CLUSTER:
        return _cluster_default(resources, name)
    return None


def _windows_spot_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
) -> list[str]:
    """An ECS service that places Windows tasks on Fargate Spot: "Windows containers on Fargate
    don't support the Fargate Spot capacity provider" (Amazon ECS Developer Guide, Fargate
    capacity providers); CloudFormation takes the template, and the service cannot run. Its
    own strategy places them, or, when it names none and no ``LaunchType``, its cluster's
    default strategy, for a cluster of this stack (see _placement_in)."""
    problems = []
    for logical_id, body in resources.items():
        if body.get("Type") != "AWS::ECS::Service":
            continue
        properties = body.get("Properties") or {}
        placement = _placement_in(resources, properties)
        if placement is None or not _uses_spot(placement.strategy):
            continue
        name = _named_resource(properties.get("TaskDefinition"))
        if not isinstance(name, str) or name not in resources:
            continue  # another stack's task definition: what it runs is not known here
        definition = resources[name]
        if definition.get("Type") != "AWS::ECS::TaskDefinition":
            continue
        runtime = as_mapping(get_in(definition.get("Properties"), "RuntimePlatform"))
        family = runtime.get("OperatingSystemFamily") if isinstance(runtime, Mapping) else None
        if not isinstance(family, str) or not family.startswith("WINDOWS"):
            continue
        where, key, by, fix = logical_id, "CapacityProviderStrategy", "", "use FARGATE"
        if placement.source:
            where, key = placement.source, "DefaultCapacityProviderStrategy"
            by = (
                f" by its cluster's default capacity provider strategy ({placement.source}'s: "
                "the service names no CapacityProviderStrategy or LaunchType of its own)"
            )
            fix = f"give {logical_id} a CapacityProviderStrategy of FARGATE"
        spot = _given_by(template, where, key, values, "FARGATE_SPOT".__eq__)
        windows = _given_by(
            template,
            name,
            "RuntimePlatform",
            values,
            lambda value: value.startswith("WINDOWS"),
        )
        problems.append(
            f"{_given_at(spot + windows, logical_id)}: the service {logical_id} places its "
            f"tasks of {name} ({family}) on FARGATE_SPOT{by}, which runs Linux tasks only (ECS: "
            "Windows containers on Fargate don't support the Fargate Spot capacity provider): "
            f"the stack would fail creating {logical_id}; {fix}"
        )
    return problems


def _literal_subnets(value: Any) -> list[str] | None:
    """A list of subnet ids given as such (not the stack's own subnets, named by ``Ref``)."""
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def _balancer_subnet_list(balancer: Mapping[str, Any]) -> Any:
    """A load balancer's subnets as written: its ``Subnets``, or each of its
    ``SubnetMappings``' ``SubnetId`` ("You must specify either subnets or subnet mappings",
    CloudFormation's AWS::ElasticLoadBalancingV2::LoadBalancer; None for a mapping that is no
    mapping); None when it has neither list."""
    if "Subnets" in balancer:
        return balancer["Subnets"]
    mappings = balancer.get("SubnetMappings")
    if isinstance(mappings, list):
        return [m.get("SubnetId") if isinstance(m, Mapping) else None for m in mappings]
    return None


def _balancer_subnet_ids(balancer: Mapping[str, Any]) -> list[str] | None:
    """A load balancer's subnet ids given as such (see :func:`_literal_subnets`)."""
    return _literal_subnets(_balancer_subnet_list(balancer))


def _lists(items: list[str], value: str) -> bool:
    """Whether a list parameter's ``value`` holds exactly ``items``, in order."""
    return [part.strip() for part in value.split(",")] == items


def _subnet_problems(
    resources: Mapping[str, dict[str, Any]],
    template: Mapping[str, Any],
    values: Mapping[str, str],
) -> list[str]:
    """Load balancer subnets ELB refuses: "You can specify only one subnet per Availability
    Zone", and "[Application Load Balancers] You must specify subnets from at least two
    Availability Zones" (Elastic Load Balancing API Reference, CreateLoadBalancer, Subnets).
    Only ids given as such are judged: whether two ids are in one zone only the account knows,
    but one id twice is one zone twice."""
    problems = []
    for logical_id, body in resources.items():
        if body.get("Type") != "AWS::ElasticLoadBalancingV2::LoadBalancer":
            continue
        properties = body.get("Properties", {})
        problems += _mapping_problems(logical_id, properties)
        subnets = _balancer_subnet_ids(properties)
        if subnets is None:
            continue
        given = (
            _given_by(template, logical_id, "Subnets", values, functools.partial(_lists, subnets))
            if "Subnets" in properties
            else []
        )
        what = (
            f"parameter {given[0]}"
            if len(given) == 1
            else f"{logical_id}'s subnets"
            + (f" ({' or '.join(given)}, the same subnets)" if given else "")
        )
        twice = named_twice(subnets)
        if twice:
            problems.append(
                f"{what}: {', '.join(twice)} {'is' if len(twice) == 1 else 'are'} given twice: "
                "a load balancer takes one subnet per Availability Zone"
            )
        elif properties.get("Type", "application") == "application" and len(subnets) < 2:
            problems.append(
                f"{what}: an application load balancer needs subnets in at least two "
                f"Availability Zones ({len(subnets)} given)"
            )
    return problems


def _mapping_problems(logical_id: str, balancer: Mapping[str, Any]) -> list[str]:
    """What ELB refuses of a load balancer's subnets and subnet mappings together: "You must
    specify either subnets or subnet mappings, but not both", and "[Application Load Balancers]
    ... You can't specify Elastic IP addresses for your subnets" (CreateLoadBalancer,
    SubnetMappings, Elastic Load Balancing API Reference)."""
    mappings = balancer.get("SubnetMappings")
    if "Subnets" in balancer and mappings is not None:
        return [
            f"{logical_id}: both Subnets and SubnetMappings are given: a load balancer takes "
            "one or the other"
        ]
    allocated = isinstance(mappings, list) and any(
        isinstance(m, Mapping) and m.get("AllocationId") for m in mappings
    )
    if allocated and balancer.get("Type", "application") == "application":
        return [
            f"{logical_id}: an application load balancer takes no Elastic IP (AllocationId) in "
            "its subnet mappings; a network load balancer does"
        ]
    return []


def _capacity_problems(resources: dict[str, dict[str, Any]]) -> list[str]:
    """A scalable target whose minimum is above its maximum: no template rule can compare two
    numbers, and Application Auto Scaling refuses it when the stack creates it ("Maximum
    capacity cannot be less than minimum capacity", a ValidationException of
    RegisterScalableTarget)."""
    problems = []
    for logical_id, body in resources.items():
        if body.get("Type") != "AWS::ApplicationAutoScaling::ScalableTarget":
            continue
        properties = body.get("Properties", {})
        low, high = (_number(properties.get(k)) for k in ("MinCapacity", "MaxCapacity"))
        if low is not None and high is not None and low > high:
            problems.append(
                f"{logical_id}: MinCapacity {low:g} is above MaxCapacity {high:g}: Application "
                "Auto Scaling refuses it when the stack is created"
            )
    return problems


# A number a Number parameter takes (CloudFormation: "An integer or float") that is not written
# as a whole number: 2.5, 1e3, .5.
_NOT_WHOLE = re.compile(r"[-+]?(?:[0-9]*\.[0-9]*|[0-9.]+[eE][-+]?[0-9]+)")


# Where an ECS service's DeploymentConfiguration holds each number the deployment's length adds.
_BAKE_TIMES = (
    ("BakeTimeInMinutes",),
    ("CanaryConfiguration", "CanaryBakeTimeInMinutes"),
    ("LinearConfiguration", "StepBakeTimeInMinutes"),
    ("LinearConfiguration", "StepPercent"),
)
# What the service takes for each of them when the template leaves it out, by strategy (Amazon
# ECS API Reference: CanaryConfiguration's canaryBakeTimeInMinutes "The default value is 10",
# LinearConfiguration's stepBakeTimeInMinutes "The default value is 6" and stepPercent "The
# default value is 10.0"; CloudFormation Template Reference, AWS::ECS::Service
# DeploymentConfiguration, BakeTimeInMinutes: "For blue/green, linear, and canary deployments,
# the value is set to 15 minutes").
_TIMEOUT_MINUTES = 36 * 60  # "CloudFormation operations time out after 36 hours"
_ECS_DEFAULTS: dict[str, dict[tuple[str, ...], float]] = {
    "BLUE_GREEN": {_BAKE_TIMES[0]: 15},
    "CANARY": {_BAKE_TIMES[0]: 15, _BAKE_TIMES[1]: 10},
    "LINEAR": {_BAKE_TIMES[0]: 15, _BAKE_TIMES[2]: 6, _BAKE_TIMES[3]: 10.0},
}


def _deployment_time_problems(
    resources: Mapping[str, dict[str, Any]], template: Mapping[str, Any], values: Mapping[str, str]
) -> list[str]:
    """A canary, linear or blue/green deployment longer than CloudFormation takes: each bake
    time is within ECS's bounds (the parameters' own), but CloudFormation refuses the service
    when they add up to more than 33 hours (see limits.deployment_minutes), and a rule cannot
    add numbers."""
    problems = []
    for logical_id, body in resources.items():
        if body.get("Type") != "AWS::ECS::Service":
            continue
        config = as_mapping(get_in(body.get("Properties"), "DeploymentConfiguration"))
        found: dict[tuple[str, ...], Any] = {}
        for path in _BAKE_TIMES:
            value: Any = config
            for key in path:
                value = value.get(key) if isinstance(value, Mapping) else None
            found[path] = value
        strategy = str(config.get("Strategy") or "")
        defaults = {
            path: value
            for path, value in _ECS_DEFAULTS.get(strategy, {}).items()
            if found[path] is None
        }
        try:
            bake, canary, step, percent = (
                float(defaults.get(path, found[path] or 0)) for path in _BAKE_TIMES
            )
        except (TypeError, ValueError):  # not numbers: the schema check says so
            continue
        minutes = deployment_minutes(strategy, int(bake), int(canary), int(step), percent or 100)
        if minutes <= MAX_DEPLOYMENT_MINUTES:
            continue
        written = as_mapping(get_in(template.get("Resources", {}).get(logical_id), "Properties"))
        given = [
            name
            for path in _BAKE_TIMES
            if found[path] is not None
            for name in sorted(referred(_at(written.get("DeploymentConfiguration"), path)))
            if name in values and values[name] == _as_parameter_value(found[path])
        ]
        what = f"parameters {', '.join(dict.fromkeys(given))}" if given else logical_id
        taken = ", ".join(f"{path[-1]} {value:g}" for path, value in defaults.items())
        # Whether CloudFormation's own count takes ECS's defaults (the bake time's 15 minutes
        # are its own) is not documented ("based on your template configuration"); ECS waits
        # them, and CloudFormation's operations "time out after 36 hours" (LinearConfiguration,
        # Template Reference): past those, either way.
        either = ""
        if set(defaults) - {_BAKE_TIMES[0]}:
            either = (
                ", or gives up on it after 36 hours"
                if minutes > _TIMEOUT_MINUTES
                else ", if its count takes ECS's defaults"
            )
        problems.append(
            f"{what}: a {strategy} deployment would wait {minutes} minutes in all"
            + (f" (with the defaults for what the template leaves out: {taken})" if taken else "")
            + f"; CloudFormation refuses one longer than {MAX_DEPLOYMENT_MINUTES} minutes "
            "(33 hours) when it creates or updates the service"
            + either
            + ": shorten the bake times"
        )
    return problems


def _at(node: Any, path: tuple[str, ...]) -> Any:
    """What ``path`` holds in a property as the template writes it: through each ``Fn::If``'s
    branches (both), so that a parameter it may refer to is found."""
    if not path:
        return node
    if isinstance(node, Mapping) and "Fn::If" in node:
        branches = node["Fn::If"]
        if isinstance(branches, list) and len(branches) == 3:
            return [_at(branches[1], path), _at(branches[2], path)]
    if isinstance(node, Mapping):
        return _at(node.get(path[0]), path[1:])
    return None


def _whole_number_problems(resources: dict[str, dict[str, Any]], region: str) -> list[str]:
    """A value that is not a whole number where the resource's schema takes an integer (a
    ``Number`` parameter takes 2.5, and ``Ref`` hands it on as it is): CloudFormation checks
    each property against the resource type's schema when it creates the resource ("expected
    type: Integer"), so the stack would fail there, after the others were created. Read from
    cfn-lint's copy of the schemas, loaded only when such a value is there."""
    found = [
        (logical_id, body.get("Type", ""), path, value)
        for logical_id, body in resources.items()
        for path, value in _leaves(body.get("Properties", {}), ())
        if isinstance(value, str | float)
        and (_NOT_WHOLE.fullmatch(str(value)) or _not_finite(value))
    ]
    if not found:
        return []
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    problems = []
    for logical_id, kind, path, value in found:
        try:
            schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, kind).schema
        except Exception:  # a type cfn-lint does not know: nothing to compare with
            continue
        typed = _schema_type(schema, path)
        where = f"{logical_id}: {'.'.join(map(str, path))} is {value}"
        fails = f"and the stack would fail creating {logical_id}"
        if _not_finite(value) and (typed == "number" or (kind, path) in _SIZES):
            # A target's TargetValue, an alarm's Threshold; a task's Cpu and Memory, text in
            # the schema, a number of units or a size to ECS (it priced NaN as $nan).
            problems.append(f"{where}, which is no number: {kind} takes a number there, {fails}")
        elif typed == "integer":
            problems.append(
                f"{where}, not written as a whole number: {kind} takes an integer there, {fails}"
            )
    return problems


# Properties the schema types as text that ECS reads as a number (a size in units or MiB).
_SIZES = frozenset(("AWS::ECS::TaskDefinition", (key,)) for key in ("Cpu", "Memory"))


def _leaves(node: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], Any]]:
    """(path, value) of each scalar under ``node``."""
    if isinstance(node, Mapping):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for i, value in enumerate(node) for leaf in _leaves(value, (*path, i))]
    return [(path, node)]


def _schema_type(schema: Mapping[str, Any], path: tuple[str | int, ...]) -> Any:
    """The JSON Schema type at a property path of a resource's schema (None where the schema
    does not say, or branches)."""
    node: Mapping[str, Any] = schema
    for step in path:
        while "$ref" in node:
            node = schema["definitions"][str(node["$ref"]).rsplit("/", 1)[-1]]
        node = node.get("items", {}) if isinstance(step, int) else node.get("properties", {})
        if not isinstance(step, int):
            node = node.get(step, {})
    while "$ref" in node:
        node = schema["definitions"][str(node["$ref"]).rsplit("/", 1)[-1]]
    return node.get("type")


def _count(value: Any) -> int | None:
    return len(value) if isinstance(value, list) else None


def _balancer_subnets(balancer: Mapping[str, Any]) -> int | None:
    """How many subnets a load balancer is in; None when they are not a list here."""
    return _count(_balancer_subnet_list(balancer))


def _number(value: Any) -> float | None:
    """``value`` as a finite number, or None (not a number, or NaN or an infinity: read as a
    count, each was a ValueError or an OverflowError of int())."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # an int of 400 digits is no float
        return None
    return number if math.isfinite(number) else None


_WHOLE = re.compile(r"\s*[-+]?[0-9]+\s*")


def _not_finite(value: Any) -> bool:
    """Whether ``value`` reads as NaN or an infinity (``.nan``, ``'NaN'``, ``'Infinity'``); a
    whole number too large for a float is a whole number, not this."""
    if not isinstance(value, str | float) or (isinstance(value, str) and _WHOLE.fullmatch(value)):
        return False
    try:
        return not math.isfinite(float(value))
    except ValueError:
        return False


@dataclass(frozen=True)
class Footprint:
    """What a stack (nested ones included) runs that has a fixed price: the inputs of
    :mod:`troposphere_fargate.cfn.cost` and of the dry run's summary (:func:`describe`).

    :func:`footprint` reads it from a :class:`PlannedStack` by resource type. Its counts are
    of the stack and its nested stacks; the stacks its StackSets create in other accounts are
    in ``instances`` alone. A service is named by its ECS service's logical ID, after those of
    the nested stacks it is in (``ServiceStack/Service``); a list of services, or of anything
    a stack may hold none of, is empty when it holds none. The fields with a default are those
    a footprint made by hand (as :data:`troposphere_fargate.cfn.cost.CDK_DEFAULT`) may leave
    out.

    Attributes:
        availability_zones: the zones of the subnets the stacks create (the different
            ``AvailabilityZone`` they name; without one each, half of them: a public and a
            private one per zone); without subnets of their own, the subnets given to the first
            load balancer; None when neither says.
        nat_gateways: the NAT gateways.
        elastic_ips: the Elastic IP addresses (such as a NAT gateway's).
        gateway_endpoints: the gateway VPC endpoints by service (``s3``), sorted.
        interface_endpoints: the interface VPC endpoints, by service (``ecr.api``), each with
            the subnets it has a network interface in; None when their number is not known
            (not a list in the template).
        load_balancers: each load balancer as (type, scheme, subnets): its ``Type``
            (``application``, ``network``), ``internet-facing`` or ``internal``, and the subnets
            it is in (its ``Subnets`` or ``SubnetMappings``; when they are not a list in the
            template, ``availability_zones``).
        listeners: each listener as protocol and port, with what it does besides forwarding
            (``HTTP 80 (redirects to HTTPS)``, ``HTTPS 443``), sorted; of stacks with several
            load balancers, with the one it belongs to (``HTTPS 443 of PublicLoadBalancer``).
        tasks: each ECS service as (service, tasks, vCPU, GB, CPU architecture): the tasks
            it runs (its ``DesiredCount``; without one, autoscaling's minimum, or ECS's 1
            without autoscaling; held within the autoscaling bounds, so 0 with autoscaling is
            its minimum and 0 without runs none), each task's vCPU and
            memory in GB (1,024 CPU units a vCPU, 1,024 MiB a GB; 0 when not known, see
            ``unknown_sizes``), and its ``RuntimePlatform``'s ``CpuArchitecture``
            (``X86_64`` when it names none).
        scaling: each autoscaled service as (service, ``MinCapacity``, ``MaxCapacity``).
        container_insights: the ECS clusters with Container Insights on (enhanced observability
            included, see ``enhanced_insights``).
        alarms: the CloudWatch alarms the stacks create.
        dashboards: the CloudWatch dashboards.
        log_groups: each log group's retention in days, as text, or ``never expires``; sorted.
        resources: the resources of the stack and its nested stacks (the nested stacks
            included).
        stacks: the stack and its nested stacks.
        spot: the services whose tasks the capacity provider strategy places on Fargate Spot
            (its ``FARGATE_SPOT`` item has a base or a weight, or is its only one): their own,
            or, when they name none and no ``LaunchType``, their cluster's default strategy (a
            cluster these stacks create). Default: none.
        windows: the services whose tasks run Windows (``RuntimePlatform``'s
            ``OperatingSystemFamily`` ``WINDOWS_*``): Fargate prices their vCPU and memory
            otherwise, plus a licence fee per vCPU. Default: none.
        alarm_metrics: the metrics the alarms read (CloudWatch prices an alarm per metric: one
            on a metric math expression counts each it reads); None, the default: one per
            alarm.
        scaling_alarms: the alarms Application Auto Scaling creates for the target tracking
            policies (two each, AlarmHigh and AlarmLow), which no template lists. Default 0.
        scaling_alarm_metrics: the metrics those alarms read. Default 0.
        scaling_targets: what each service's target tracking policies follow, and to what
            value: (service, ``CPU 70 %``), (service, ``queue orders 100 per task``). Default:
            none.
        scaling_schedules: each service's scheduled actions and the bounds each sets:
            (service, ``peak (min 4)``). Default: none.
        scheduled_tasks: the tasks a service with scheduled actions runs on average over a
            week: (service, tasks). Default: none.
        unpriced_schedules: for a service whose scheduled actions are not all weekly, why not:
            (service, ``peak runs on ...``). Default: none.
        most_tasks: the most tasks each autoscaled service may run: its ``MaxCapacity``, or a
            scheduled action's higher one: (service, tasks). Default: none.
        ephemeral_storage: each service whose tasks have more ephemeral storage than the 20 GB
            included, with the GiB configured: (service, GiB); Fargate bills what is
            configured, not what is used. Default: none.
        unknown_sizes: each service's task count or size, or autoscaling bound, given as a
            value the dry run cannot know (another stack's export, an SSM parameter's value):
            (service, ``its Cpu {...}, priced as 0 vCPU``). Default: none.
        certificate_names: the domain names (and alternative names) of the ACM certificates
            the stacks request. Default: none.
        dns_records: the names of the Route 53 records, without the final dot, sorted.
            Default: none.
        limited_gateway_endpoints: the gateway endpoints whose policy lets through less than
            everything, with what it lets through: (``s3``, ``this account's buckets and ECR's
            image layers only``). Default: none.
        vpcs: the VPCs the stacks create. Default 0.
        subnets: the subnets the stacks create. Default 0.
        zones_listed: how many of the region's zones, as ``Fn::GetAZs`` lists them, the
            subnets need: the highest index a subnet's ``Fn::Select`` takes of that list, plus
            one (0 when every zone is named). Default 0.
        region: the region of the stack (``eu-west-1``), or "" when it is not known.
            Default "".
        emptied_default_security_groups: how many of their default security groups a custom
            resource empties (``network.yaml``'s ``DefaultSecurityGroupRestriction``, with its
            parameter ``RestrictDefaultSecurityGroup`` true). Default 0.
        clusters: the ECS clusters the stacks create (with Container Insights on or not).
            Default 0.
        buckets: the S3 buckets the stacks create (their storage and requests are priced by
            use). Default 0.
        web_acls: the associations of an AWS WAF web ACL with a load balancer (WAF's price is
            by use). Default 0.
        secrets: the Secrets Manager secrets the containers read, each once (each a price of
            its own and per call). Default 0.
        shared_subnets: each service whose tasks (without a public IP) run in a subnet an
            internet-facing load balancer is in too, with those subnets (given as IDs) and
            those load balancers (as ``load_balancer_names`` names them): (service, subnets,
            load balancers). One of the two is in the wrong kind of subnet. Default: none.
        container_users: who each container of each service runs as: (service, container,
            user), ``""`` for its image's USER. Default: none.
        unreachable: without a NAT gateway, each endpoint a service's tasks call that no VPC
            endpoint here serves, with what calls it: (service, endpoint, what). Those calls
            time out (see :mod:`troposphere_fargate.cfn.reach`). Given a region, another
            region's endpoints too (``ecr in us-east-1`` for an image there, a secret there).
            Empty with a NAT gateway, or when the stacks hold no VPC (a service stack alone:
            its network unknown). Default: none.
        stack_sets: each StackSet: (logical ID, the template file it deploys, to whom, its
            regions), such as (``StackSet``, ``root.yaml``, ``each account of
            ou-abcd-12345678 (and each that joins it)``, (``eu-west-1``,)); the file name is
            followed by ``(not beside this template: not checked or counted)`` when the dry run
            worked out none of its stacks. Default: none.
        instances: the footprint of the stack each StackSet creates in each account, per
            region: (StackSet logical ID, region, footprint). Not counted in the other fields:
            those stacks are in the member accounts. Default: none.
        enhanced_insights: of the clusters with Container Insights, those with enhanced
            observability (``containerInsights`` ``enhanced``): CloudWatch prices it per
            observation, not per metric. Default 0.
        template_buckets: the buckets the stack's own nested stacks (not theirs) read their
            templates from (the bucket of their ``TemplateURL``'s host), each once. Default:
            none.
        stack_set_urls: (StackSet, the URL it reads its template from when it is created or
            updated) for each StackSet whose ``TemplateURL`` resolves to text. Default: none.
        misplaced_buckets: (nested stack or StackSet, bucket, the region its name ends with,
            the region its ``TemplateURL`` reads it in) for each template bucket named for
            another region than the one it is read in. Default: none.
        catalog_products: each Service Catalog product and the template file its versions
            launch: (``Product``, ``root.yaml``); what a launch deploys and costs is that
            template's. Default: none.
        unknown_types: each resource of a type the price table neither prices nor knows to
            cost nothing by itself (:data:`KNOWN_COST_TYPES`), as (resource, type): an EC2
            instance, an EBS volume, a database of a template of one's own. Not priced, and
            named as such. Default: none.
        desired_outside_bounds: each autoscaled service whose ``DesiredCount`` is outside its
            ``MinCapacity``..``MaxCapacity``, with that count: (service, 9). The service is
            created with it, then registering its scalable target moves it into the bounds,
            to the count ``tasks`` holds. Default: none.
        bucket_settings: each S3 bucket the stacks create, by logical ID after those of the
            nested stacks it is in, with what it is (see
            :func:`troposphere_fargate.cfn.buckets.bucket_lines`): (``TemplateBucket``,
            ``named by CloudFormation, versioned, ...; read and written by this account``).
            Default: none.
        unknown_capacity: the services that name no capacity provider strategy and no
            ``LaunchType`` in a cluster these stacks do not create (another stack's, or the
            account's default cluster): that cluster's default strategy places their tasks,
            and it is not known here (they are priced at Fargate's on-demand rate). Default:
            none.
        routes: how requests reach the services, as (where they arrive, what reaches whom),
            in the order the load balancers evaluate them (each listener's rules by priority,
            lowest first, then its default action), then the names the services answer to
            through Service Connect: (``HTTPS 443, priority 10``, ``host api.example.com and
            path /v1/* to ApiServiceStack/Service (listener rule ApiServiceStack/ListenerRule)``),
            (``HTTPS 443, any other request``, ``answered 404 (EnvironmentStack/HttpsListener's
            default action)``), (``orders:7000 through Service Connect``, ``to
            OrdersServiceStack/Service``). A listener or target group of another stack is named
            by the ARN given, one known only when the stack is created as such. Default: none.
        not_fargate: each service whose tasks do not run on Fargate, with what they run on:
            (``Service``, ``EC2 launch type``), (``Service``, ``capacity provider my-asg``),
            (``Service``, ``bridge network mode``). Their ``tasks`` are not priced as Fargate's:
            the EC2 instances (or hosts) they run on are what is paid for. Default: none.
        public_ip: the services on Fargate whose tasks each get a public IPv4 address
            (``AssignPublicIp`` ``ENABLED``), billed per address and hour. Default: none.
        load_balancer_elastic_ips: how many subnet mappings of the internet-facing load
            balancers name an Elastic IP (``AllocationId``): their public IPv4 addresses are
            those Elastic IPs (counted in ``elastic_ips`` when the stacks make them), not
            addresses the load balancer gets per subnet. Default: 0.
        load_balancer_names: the load balancers of ``load_balancers``, in their order, by
            logical ID after those of the nested stacks they are in (``PublicLoadBalancer``,
            ``EnvironmentStack/LoadBalancer``); the summary names each when there are several.
            Default: none (a footprint made by hand).
        crowded_subnets: each subnet the stacks create that may run out of addresses for
            the tasks in it: (subnet, its ``CidrBlock``, the addresses it holds, how many may
            be needed, what needs them), such as (``PrivateSubnet1``, ``10.0.32.0/26``, 59,
            108, (``8 for the interface endpoints``, ``100 for Service's tasks (at most 100,
            200 % of them while a deployment replaces them, over 2 subnets)``)): each task
            takes an address of its subnet, each interface endpoint and NAT gateway one, and a
            load balancer needs 8 free. The stack is created all the same; ECS then places
            no task past the subnet's addresses. Default: none.
    """

    availability_zones: int | None
    nat_gateways: int
    elastic_ips: int
    gateway_endpoints: list[str]
    interface_endpoints: dict[str, int | None]
    load_balancers: list[tuple[str, str, int | None]]
    listeners: list[str]
    tasks: list[tuple[str, int, float, float, str]]
    scaling: list[tuple[str, int, int]]
    container_insights: int
    alarms: int
    dashboards: int
    log_groups: list[str]
    resources: int
    stacks: int
    spot: tuple[str, ...] = ()
    windows: tuple[str, ...] = ()
    alarm_metrics: int | None = None
    scaling_alarms: int = 0
    scaling_alarm_metrics: int = 0
    scaling_targets: tuple[tuple[str, str], ...] = ()
    scaling_schedules: tuple[tuple[str, str], ...] = ()
    scheduled_tasks: tuple[tuple[str, float], ...] = ()
    unpriced_schedules: tuple[tuple[str, str], ...] = ()
    most_tasks: tuple[tuple[str, int], ...] = ()
    ephemeral_storage: tuple[tuple[str, int], ...] = ()
    unknown_sizes: tuple[tuple[str, str], ...] = ()
    certificate_names: tuple[str, ...] = ()
    dns_records: tuple[str, ...] = ()
    limited_gateway_endpoints: tuple[tuple[str, str], ...] = ()
    vpcs: int = 0
    subnets: int = 0
    zones_listed: int = 0
    region: str = ""
    emptied_default_security_groups: int = 0
    clusters: int = 0
    buckets: int = 0
    web_acls: int = 0
    secrets: int = 0
    shared_subnets: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
    container_users: tuple[tuple[str, str, str], ...] = ()
    unreachable: tuple[tuple[str, str, str], ...] = ()
    stack_sets: tuple[tuple[str, str, str, tuple[str, ...]], ...] = ()
    instances: tuple[tuple[str, str, Footprint], ...] = ()
    enhanced_insights: int = 0
    template_buckets: tuple[str, ...] = ()
    misplaced_buckets: tuple[tuple[str, str, str, str], ...] = ()
    stack_set_urls: tuple[tuple[str, str], ...] = ()
    catalog_products: tuple[tuple[str, str], ...] = ()
    desired_outside_bounds: tuple[tuple[str, int], ...] = ()
    bucket_settings: tuple[tuple[str, str], ...] = ()
    unknown_types: tuple[tuple[str, str], ...] = ()
    unknown_capacity: tuple[str, ...] = ()
    routes: tuple[tuple[str, str], ...] = ()
    not_fargate: tuple[tuple[str, str], ...] = ()
    public_ip: tuple[str, ...] = ()
    load_balancer_names: tuple[str, ...] = ()
    load_balancer_elastic_ips: int = 0
    crowded_subnets: tuple[tuple[str, str, int, int, tuple[str, ...]], ...] = ()

    @property
    def in_a_vpc_it_does_not_make(self) -> bool:
        """Whether its tasks run in a VPC the stack does not make (an existing VPC's, or a
        network stack's apart): that VPC's NAT gateways and endpoints are not counted here."""
        return bool(self.tasks) and not self.vpcs

    @property
    def in_a_cluster_it_does_not_make(self) -> bool:
        """Whether its services run in a cluster the stack does not make (an environment's,
        joined by ``ClusterName``): Container Insights bills their metrics to that cluster's
        setting, which the stack cannot see."""
        return bool(self.tasks) and not self.clusters


# An application load balancer's listener attributes that add a header to every response:
# "routing.http.response.<header, in lower case with underscores>.header_value" (Elastic Load
# Balancing User Guide, "HTTP header modification for your Application Load Balancer",
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html).
_RESPONSE_HEADER = re.compile(r"routing\.http\.response\.([a-z_]+)\.header_value")


def _listener(listener: Mapping[str, Any], balancer: str | None = None) -> str:
    """``HTTPS 443``, with what it does besides forwarding: ``HTTP 80 (redirects to HTTPS)``,
    ``HTTPS 443 (sends Strict-Transport-Security: max-age=31536000)``; with the load balancer
    it belongs to when given (stacks of several, see :func:`_listener_balancers`):
    ``HTTPS 443 of PublicLoadBalancer``."""
    notes = []
    actions = listener.get("DefaultActions")
    if isinstance(actions, list) and actions and isinstance(actions[0], Mapping):
        redirect = actions[0].get("RedirectConfig")
        if actions[0].get("Type") == "redirect":
            to = redirect.get("Protocol") if isinstance(redirect, Mapping) else None
            notes.append(f"redirects to {to}" if to else "redirects")
    attributes = listener.get("ListenerAttributes")
    for attribute in attributes if isinstance(attributes, list) else []:
        if not isinstance(attribute, Mapping):
            continue  # not an attribute: the summary is no place to refuse it
        header = _RESPONSE_HEADER.fullmatch(str(attribute.get("Key", "")))
        if header and attribute.get("Value"):
            name = "-".join(word.capitalize() for word in header.group(1).split("_"))
            notes.append(f"sends {name}: {attribute['Value']}")
    about = f" ({'; '.join(notes)})" if notes else ""
    of = f" of {balancer}" if balancer else ""
    return f"{listener.get('Protocol', '?')} {listener.get('Port', '?')}{of}{about}"


def _record_names(records: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(
        sorted(str(p["Name"]).rstrip(".") for p in records if isinstance(p.get("Name"), str))
    )


def _stacks_within(stack: PlannedStack, prefix: str = "") -> list[tuple[str, PlannedStack]]:
    """The stack and each nested one, with the ``Stack/`` path its resources are named by."""
    found = [(prefix, stack)]
    for logical_id, child in stack.nested.items():
        found += _stacks_within(child, f"{prefix}{logical_id}/")
    return found


def _split(name: str) -> tuple[str, str]:
    """``ServiceStack/Service`` as its stack's prefix and logical ID: (``ServiceStack/``,
    ``Service``)."""
    prefix, _, logical_id = name.rpartition("/")
    return (f"{prefix}/" if prefix else "", logical_id)


class _Tree:
    """A planned stack and its nested ones, by the ``Stack/`` prefix their resources are named
    by, to follow a reference from one stack to another: a nested stack's parameter its parent
    fills with a sibling's output (a spec's ``ListenerArn``: ``Fn::GetAtt
    EnvironmentStack.Outputs.ListenerArn``, the environment's ``Ref HttpsListener``)."""

    def __init__(self, stack: PlannedStack) -> None:
        self.stacks = dict(_stacks_within(stack))
        self.parents = {
            f"{prefix}{logical_id}/": (prefix, logical_id)
            for prefix, within in self.stacks.items()
            for logical_id in within.nested
        }

    def body(self, name: str) -> dict[str, Any]:
        """The resource named ``Stack/LogicalId``."""
        prefix, logical_id = _split(name)
        return self.stacks[prefix].resources[logical_id]

    def resource(self, prefix: str, value: Any, depth: int = 0) -> str | None:
        """The resource of these stacks (``Stack/LogicalId``) that ``value``, in the stack of
        ``prefix``, names by ``Ref`` or ``Fn::GetAtt`` (through parameters passed and
        outputs read); None when it names none of theirs (a value given, another stack's
        export)."""
        stack = self.stacks.get(prefix)
        if stack is None or depth > 2 * len(self.stacks) or not isinstance(value, Mapping):
            return None
        followed = self._followed(prefix, value)
        if followed is not None:
            return self.resource(*followed, depth + 1)
        if len(value) == 1 and isinstance(value.get("Ref"), str):
            name = str(value["Ref"])
            return prefix + name if name in stack.resources else None
        parts = get_att(value)
        return prefix + parts[0] if parts is not None and parts[0] in stack.resources else None

    def resources(self, prefix: str, value: Any, depth: int = 0) -> list[str] | None:
        """The resources of these stacks that a list ``value``, in the stack of ``prefix``,
        names, in its order: a list of ``Ref`` (or ``Fn::GetAtt``), or their IDs joined with
        commas (``Fn::Join``, ``Fn::Split``), through parameters passed and outputs read (the
        private subnets ``network.yaml`` outputs, a service's ``PrivateSubnetIds``); None
        when any of it names none of theirs (subnet IDs given)."""
        if prefix not in self.stacks or depth > 2 * len(self.stacks):
            return None
        if isinstance(value, list):
            named = [self.resource(prefix, item) for item in value]
            return [n for n in named if n is not None] if None not in named and named else None
        if not isinstance(value, Mapping):
            return None
        followed = self._followed(prefix, value)
        if followed is not None:
            return self.resources(*followed, depth + 1)
        for function in ("Fn::Join", "Fn::Split"):
            argument = value.get(function)
            if len(value) == 1 and isinstance(argument, list) and len(argument) == 2:
                return (
                    self.resources(prefix, argument[1], depth + 1) if argument[0] == "," else None
                )
        return None

    def _followed(self, prefix: str, value: Mapping[str, Any]) -> tuple[str, Any] | None:
        """Where ``value`` in the stack of ``prefix`` leads when it reads another of these
        stacks: the stack and value its parent passes for a ``Ref`` to a parameter, or a nested
        stack's output for an ``Fn::GetAtt Stack.Outputs.Name``; None otherwise."""
        stack = self.stacks[prefix]
        name = value.get("Ref") if len(value) == 1 else None
        if isinstance(name, str):
            if name in stack.resources or prefix not in self.parents or name in stack.parameters:
                return None
            parent, logical_id = self.parents[prefix]
            nested = self.stacks[parent].resources[logical_id].get("Properties") or {}
            return parent, get_in(nested.get("Parameters"), name)
        parts = get_att(value)
        if parts is None or parts[0] not in stack.nested:
            return None
        if not str(parts[1]).startswith("Outputs."):
            return None
        child = f"{prefix}{parts[0]}/"
        return child, self.stacks[child].outputs.get(str(parts[1])[len("Outputs.") :])

    def placement(self, name: str, properties: Mapping[str, Any]) -> _Placement | None:
        """How the ECS service ``name`` places its tasks (see _placement_in), its cluster
        followed to whichever of these stacks creates it; None when none does."""
        own = _own_placement(properties)
        if own is not None:
            return own
        cluster = self.resource(_split(name)[0], properties.get("Cluster"))
        if cluster is None or self.body(cluster).get("Type") != CLUSTER:
            return None
        prefix, logical_id = _split(cluster)
        found = _cluster_default(self.stacks[prefix].resources, logical_id)
        return found._replace(source=prefix + found.source)


LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
LISTENER_RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"
LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"


def _balancer_label(tree: _Tree, prefix: str, arn: Any) -> str:
    """The load balancer a listener's ``LoadBalancerArn`` (in the stack of ``prefix``) names:
    one of these stacks' (``Stack/LogicalId``), another stack's by the name in its ARN
    (``loadbalancer/app/<name>/<id>``), else the value as given."""
    found = tree.resource(prefix, arn)
    if found is not None and tree.body(found).get("Type") == LOAD_BALANCER:
        return found
    if isinstance(arn, str) and ":loadbalancer/" in arn:
        parts = arn.rsplit(":loadbalancer/", 1)[1].split("/")
        return f"{parts[1] if len(parts) > 1 else parts[0]} (another stack's)"
    return _as_text(arn)


def _listener_balancers(tree: _Tree, every: Mapping[str, dict[str, Any]]) -> dict[str, str]:
    """Each listener of the stacks (``Stack/LogicalId``) with the load balancer it belongs to
    (its ``LoadBalancerArn``, see :func:`_balancer_label`), when the stacks have listeners of,
    or create, more than one load balancer; empty with one, whose listeners need no name.
    Copilot's environment has a public and an internal load balancer, each with an HTTP 80 and
    an HTTPS 443 listener: "HTTPS 443" alone did not say which."""
    found = {
        name: _balancer_label(tree, _split(name)[0], props.get("LoadBalancerArn"))
        for name, props in _named(every, LISTENER).items()
    }
    balancers = set(found.values()) | set(_named(every, LOAD_BALANCER))
    return found if len(balancers) > 1 else {}


# Each listener rule condition's field, as a route line names it, and its *Config key.
_CONDITION_FIELDS = {
    "host-header": ("host", "HostHeaderConfig"),
    "path-pattern": ("path", "PathPatternConfig"),
    "http-request-method": ("method", "HttpRequestMethodConfig"),
    "source-ip": ("source IP", "SourceIpConfig"),
    "http-header": ("header", "HttpHeaderConfig"),
    "query-string": ("query", "QueryStringConfig"),
}


def _as_text(value: Any) -> str:
    """A value as a line shows it: text as it is, anything else (not resolved) as JSON."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _items(value: Any) -> list[Any]:
    """A list as it is; anything else given (a value not resolved) as a list of it."""
    return value if isinstance(value, list) else [] if value is None else [value]


def _condition(condition: Any) -> str:
    """A listener rule condition in words: ``host a.example.com or b.example.com``. Its values
    are alternatives: "If you specify multiple strings, the condition is satisfied if one of
    the strings matches" (ELB's HostHeaderConditionConfig, and so the others)."""
    if not isinstance(condition, Mapping):
        return _as_text(condition)
    field_name = str(condition.get("Field", "?"))
    label, key = _CONDITION_FIELDS.get(field_name, (field_name, ""))
    config = condition.get(key) if key else None
    config = config if isinstance(config, Mapping) else {}
    found = [*_items(condition.get("Values")), *_items(config.get("Values"))]
    found += [f"regex {_as_text(value)}" for value in _items(config.get("RegexValues"))]
    words = [
        (f"{v.get('Key')}={v.get('Value')}" if v.get("Key") else str(v.get("Value")))
        if isinstance(v, Mapping) and "Value" in v  # a query string's {Key, Value}
        else _as_text(v)  # a host or path, or a function known only later (an ImportValue)
        for v in found
    ]
    if field_name == "http-header":
        label = f"header {config.get('HttpHeaderName', '?')}"
    return f"{label} {' or '.join(words) or '?'}"


def _route_action(actions: Any, target: Callable[[Any], str]) -> str:
    """What a rule's (or a listener's default) actions do to a request: ``to Service``,
    ``answered 404``, ``redirected to HTTPS``; a sign-in first is said."""
    items = [a for a in actions if isinstance(a, Mapping)] if isinstance(actions, list) else []
    if not items:
        return "?"
    last = items[-1]
    kind = last.get("Type")
    signs_in = [str(a["Type"]) for a in items[:-1] if str(a.get("Type")).startswith("auth")]
    first = f"after sign-in ({', '.join(signs_in)}), " if signs_in else ""
    if kind == "forward":
        return first + target(last)
    if kind == "fixed-response":
        answer = get_in(last.get("FixedResponseConfig"), "StatusCode", "?")
        return f"{first}answered {answer}"
    if kind == "redirect":
        to = as_mapping(last.get("RedirectConfig"))
        parts = [str(to.get(k)) for k in ("Protocol", "Host", "Port", "Path") if to.get(k)]
        shown = " ".join(p for p in parts if not p.startswith("#{"))
        return f"{first}redirected" + (f" to {shown}" if shown else "")
    return f"{first}{kind}"


class _Routing:
    """What :func:`_routes` reads: the stacks, and which ECS service each target group of
    theirs sends to (its ``LoadBalancers``' target group, or blue/green's alternate one)."""

    def __init__(self, tree: _Tree, every: Mapping[str, dict[str, Any]]) -> None:
        self.tree = tree
        self.balancers = _listener_balancers(tree, every)
        self.services: dict[str, str] = {}
        for name, props in _named(every, "AWS::ECS::Service").items():
            prefix = _split(name)[0]
            entries = props.get("LoadBalancers")
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, Mapping):
                    continue
                advanced = as_mapping(entry.get("AdvancedConfiguration"))
                for arn in (entry.get("TargetGroupArn"), advanced.get("AlternateTargetGroupArn")):
                    group = tree.resource(prefix, arn) if arn is not None else None
                    if group is not None:
                        self.services.setdefault(group, name)

    def listener(self, prefix: str, arn: Any) -> tuple[str, str]:
        """(key, words) of the listener a rule of the stack of ``prefix`` names: its
        protocol and port when these stacks create it (the key its name), else the ARN
        given, or what is known only when the stack is created. Of stacks with several load
        balancers, a listener of theirs names its load balancer: ``HTTPS 443 of Public``."""
        found = self.tree.resource(prefix, arn)
        if found is not None and self.tree.body(found).get("Type") == LISTENER:
            props = self.tree.body(found).get("Properties") or {}
            of = f" of {self.balancers[found]}" if found in self.balancers else ""
            return found, f"{props.get('Protocol', '?')} {props.get('Port', '?')}{of}"
        if isinstance(arn, str):
            return arn, f"the listener {arn} (another stack's)"
        text = _as_text(arn)
        return text, f"a listener known only when the stack is created ({text})"

    def target(self, prefix: str, action: Mapping[str, Any]) -> str:
        """``to ServiceStack/Service``, with the weights of a forward to several groups."""
        config = as_mapping(action.get("ForwardConfig"))
        groups = [
            (g.get("TargetGroupArn"), g.get("Weight"))
            for g in as_list(config.get("TargetGroups"))
            if isinstance(g, Mapping)
        ] or [(action.get("TargetGroupArn"), None)]
        whom, weights = [], []
        for arn, weight in groups:
            group = self.tree.resource(prefix, arn)
            if group is not None:
                whom.append(self.services.get(group, f"target group {group} (no ECS service)"))
            elif isinstance(arn, str):
                whom.append(f"target group {arn} (another stack's)")
            else:
                whom.append(
                    f"a target group known only when the stack is created ({_as_text(arn)})"
                )
            # Another stack's group by the name in its ARN (targetgroup/<name>/<id>), not the
            # whole ARN; a Weight is optional (0 to 999) and has no documented default.
            label = _split(group)[1] if group else _as_text(arn)
            if group is None and isinstance(arn, str) and ":targetgroup/" in arn:
                label = arn.rsplit(":targetgroup/", 1)[1].split("/")[0]
            weights.append(f"{label} {'not given' if weight is None else weight}")
        shown = f" (weights: {', '.join(weights)})" if len(groups) > 1 else ""
        return f"to {_and(list(dict.fromkeys(whom)))}{shown}"


def _routes(tree: _Tree, every: Mapping[str, dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    """How requests reach the services (see :attr:`Footprint.routes`): each listener's rules
    by priority, then its default action ("Rules are evaluated in priority order, from the
    lowest value to the highest value. The default rule is evaluated last", Elastic Load
    Balancing, listener rules), then each Service Connect name."""
    routing = _Routing(tree, every)
    rules: dict[str, list[tuple[float, str, str]]] = {}
    words: dict[str, str] = {}
    for name, props in _named(every, LISTENER_RULE).items():
        prefix = _split(name)[0]
        key, words[key] = routing.listener(prefix, props.get("ListenerArn"))
        priority = props.get("Priority")
        number = _number(priority)
        conditions = props.get("Conditions")
        matches = [_condition(c) for c in conditions] if isinstance(conditions, list) else []
        action = _route_action(props.get("Actions"), functools.partial(routing.target, prefix))
        rules.setdefault(key, []).append(
            (
                float("inf") if number is None else number,
                f"priority {_as_text(priority) if number is None else f'{number:g}'}",
                f"{' and '.join(matches) or 'every request'} {action} (listener rule {name})",
            )
        )
    listeners = _named(every, LISTENER)
    found = []
    for key in [*listeners, *(key for key in rules if key not in listeners)]:
        if key in listeners:
            words[key] = routing.listener(_split(key)[0], {"Ref": _split(key)[1]})[1]
        found += [(f"{words[key]}, {p}", what) for _, p, what in sorted(rules.get(key, []))]
        if key not in listeners:
            continue
        props = listeners[key]
        stream = props.get("Protocol") in ("TCP", "TLS", "UDP", "TCP_UDP")
        which = ("any other " if key in rules else "every ") + (
            "connection" if stream else "request"
        )
        action = _route_action(
            props.get("DefaultActions"), functools.partial(routing.target, _split(key)[0])
        )
        found.append((f"{words[key]}, {which}", f"{action} ({key}'s default action)"))
    return tuple(found) + _connect_routes(every)


def _connect_routes(every: Mapping[str, dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    """Each name and port a service answers to through Service Connect, from the namespace's
    other services: ("orders:7000 through Service Connect", "to OrdersServiceStack/Service")."""
    found = []
    for name, props in _named(every, "AWS::ECS::Service").items():
        connect = as_mapping(props.get("ServiceConnectConfiguration"))
        if not isinstance(connect, Mapping) or connect.get("Enabled") not in (True, "true"):
            continue
        for service in as_list(connect.get("Services")):
            if not isinstance(service, Mapping):
                continue
            for alias in as_list(service.get("ClientAliases")):
                if isinstance(alias, Mapping):
                    host = alias.get("DnsName") or service.get("DiscoveryName") or "?"
                    where = f"{_as_text(host)}:{_as_text(alias.get('Port', '?'))}"
                    found.append((f"{where} through Service Connect", f"to {name}"))
    return tuple(found)


def _texts(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _stack_sets(stack: PlannedStack) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """Each StackSet of the stack and its nested ones: (name, what it deploys, to whom, its
    regions)."""
    found = []
    for prefix, within in _stacks_within(stack):
        for name, body in within.resources.items():
            if body.get("Type") != STACK_SET:
                continue
            properties = body.get("Properties", {})
            groups = properties.get("StackInstancesGroup")
            targets = [
                as_mapping(g.get("DeploymentTargets"))
                for g in (groups if isinstance(groups, list) else [])
                if isinstance(g, Mapping)
            ]
            units = [u for t in targets for u in _texts(t.get("OrganizationalUnitIds"))]
            accounts = [a for t in targets for a in _texts(t.get("Accounts"))]
            joining = get_in(properties.get("AutoDeployment"), "Enabled") in (True, "true")
            them = "it" if len(units) == 1 else "them"
            whom = (
                f"each account of {_and(units)}"
                + (f" (and each that joins {them})" if joining else "")
                if units
                else f"the account{'s' if len(accounts) > 1 else ''} {_and(accounts)}"
                if accounts
                else "no account named"
            )
            child = _nested_file(properties, Path("."))
            template = child.name if child else "its template"
            if not any(key[0] == name for key in within.instances):
                template += " (not beside this template: not checked or counted)"
            found.append((prefix + name, template, whom, tuple(_regions_of(properties))))
    return tuple(found)


def _catalog_products(every: Mapping[str, dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    found = []
    for name, props in _named(every, "AWS::ServiceCatalog::CloudFormationProduct").items():
        artifacts = props.get("ProvisioningArtifactParameters")
        urls = [
            get_in(a.get("Info"), "LoadTemplateFromURL")
            for a in (artifacts if isinstance(artifacts, list) else [])
            if isinstance(a, Mapping)
        ]
        files = [f.name for url in urls if (f := _nested_file({"TemplateURL": url}, Path(".")))]
        found.append((name, _and(list(dict.fromkeys(files))) if files else "its template"))
    return tuple(found)


def _all_instances(stack: PlannedStack) -> tuple[tuple[str, str, PlannedStack], ...]:
    return tuple(
        (prefix + name, region, instance)
        for prefix, within in _stacks_within(stack)
        for (name, region), instance in within.instances.items()
    )


def _template_buckets(stack: PlannedStack) -> tuple[str, ...]:
    """The buckets whose templates this stack's nested stacks read, from each resolved
    ``TemplateURL`` (``https://<bucket>.s3.<region>.<suffix>/...``)."""
    found = []
    for body in stack.resources.values():
        url = get_in(body.get("Properties"), "TemplateURL")
        if body.get("Type") == NESTED_STACK and isinstance(url, str):
            host = _TEMPLATE_HOST.match(url)
            if host:
                found.append(host.group(1))
    return tuple(dict.fromkeys(found))


# A region's name (eu-west-1, us-gov-west-1, us-isob-east-1).
_REGION = r"[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d"
# A TemplateURL's bucket and the region its host names, if it names one (virtual-hosted style:
# https://<bucket>.s3.<region>.<suffix>/, or s3-<region>, or s3.<suffix> without one).
_TEMPLATE_HOST = re.compile(rf"https://([^/]+?)\.s3[.-](?:({_REGION})\.)?")
# The path style: https://s3.<region>.<suffix>/<bucket>/<key> (or s3-<region>).
_TEMPLATE_PATH = re.compile(rf"https://s3[.-]({_REGION})\.[^/]+/([^/]+)/")
# A bucket named for a region: its name ends with the region's.
_NAMED_FOR = re.compile(rf"-({_REGION})$")


def _template_urls(stack: PlannedStack) -> Iterator[tuple[str, str, str]]:
    """Each nested stack and StackSet of the stack and its nested ones, by its ``Stack/`` path,
    with its type and its ``TemplateURL`` where that resolves to text."""
    for prefix, within in _stacks_within(stack):
        for name, body in within.resources.items():
            url = get_in(body.get("Properties"), "TemplateURL")
            if body.get("Type") in (NESTED_STACK, STACK_SET) and isinstance(url, str):
                yield prefix + name, body["Type"], url


def _stack_set_urls(stack: PlannedStack) -> tuple[tuple[str, str], ...]:
    """Each StackSet (of the stack and its nested ones) and the URL of its template, resolved:
    where it must be published before the StackSet is created or updated."""
    return tuple((name, url) for name, kind, url in _template_urls(stack) if kind == STACK_SET)


def _bucket_read_in(url: str) -> tuple[str, str] | None:
    """The bucket a template URL reads and the region of the endpoint it reads it at, for a
    URL that names one (virtual-hosted or path style)."""
    host = _TEMPLATE_HOST.match(url)
    if host and host.group(2):
        return host.group(1), host.group(2)
    path = _TEMPLATE_PATH.match(url)
    return (path.group(2), path.group(1)) if path else None


def _misplaced_buckets(stack: PlannedStack) -> tuple[tuple[str, str, str, str], ...]:
    """Each nested stack or StackSet (of the stack and its nested ones) whose template bucket
    is named for another region than the one its ``TemplateURL`` reads it in: a bucket of
    another region is refused at a regional endpoint ("S3 error: The bucket you are attempting
    to access must be addressed using the specified endpoint", a nested stack's CREATE_FAILED
    in awslabs/aws-service-catalog-factory#167). A name is no proof of a region, so it is a
    note, not a refusal."""
    found = []
    for name, _, url in _template_urls(stack):
        read = _bucket_read_in(url)
        named = _NAMED_FOR.search(read[0]) if read else None
        if read and named and named.group(1) != read[1]:
            found.append((name, read[0], named.group(1), read[1]))
    return tuple(found)


def _unreachable(
    every: Mapping[str, dict[str, Any]], region: str = ""
) -> tuple[tuple[str, str, str], ...]:
    """(service, endpoint, what calls it) for each endpoint a service's tasks call that the
    stack's network has no VPC endpoint for, when it has no NAT gateway either (a newcomer's
    trial: ``validate NatGateways=None`` said nothing of a worker's SQS calls, which would time
    out)."""
    kinds = [body.get("Type") for body in every.values()]
    if "AWS::EC2::VPC" not in kinds or "AWS::EC2::NatGateway" in kinds:
        return ()
    endpoints = [
        body.get("Properties", {})
        for body in every.values()
        if body.get("Type") == "AWS::EC2::VPCEndpoint"
    ]
    available = {endpoint_service(properties) for properties in endpoints}
    endpoint_names = " ".join(str(properties.get("ServiceName")) for properties in endpoints)
    found = []
    for name, properties in _named(every, "AWS::ECS::Service").items():
        path = name.rpartition("/")[0]
        local = {
            full.rpartition("/")[2]: body
            for full, body in every.items()
            if full.rpartition("/")[0] == path
        }
        found += [
            (name, endpoint, " and ".join(why))
            for endpoint, why in endpoints_called(local).items()
            if endpoint not in available
        ]
        found += [
            item
            for item in _other_regions(name, _task_definition(every, name, properties), region)
            if f".{item[1].rpartition(' in ')[2]}." not in endpoint_names
        ]
    return tuple(found)


# An ECR image's registry, and a secret's ARN (Secrets Manager or SSM Parameter Store): each
# names its region.
_ECR_IMAGE = re.compile(r"[0-9]{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/")
_SECRET_ARN = re.compile(r"arn:aws[a-z-]*:(secretsmanager|ssm):([a-z0-9-]+):")


def _other_regions(
    service: str, definition: Mapping[str, Any], region: str
) -> list[tuple[str, str, str]]:
    """Without NAT, what a service's tasks fetch from another region: an image in another
    region's ECR (and its layers, in that region's S3), or a secret there. The network's VPC
    endpoints are for its own region's services; a few services, ECR and S3 among them, take
    a cross-region interface endpoint (PrivateLink guide, "Cross-region enabled AWS
    services"), which the network template does not make and which is counted as one here
    when the stack has any endpoint to that region."""
    if not region:
        return []
    found = []
    for container in as_list(definition.get("ContainerDefinitions")):
        if not isinstance(container, Mapping):
            continue
        image = _ECR_IMAGE.match(str(container.get("Image", "")))
        if image and image.group(1) != region:
            found.append((service, f"ecr in {image.group(1)}", "image"))
        for secret in as_list(container.get("Secrets")):
            arn = (
                _SECRET_ARN.match(str(secret.get("ValueFrom", "")))
                if isinstance(secret, Mapping)
                else None
            )
            if arn and arn.group(2) != region:
                found.append((service, f"{arn.group(1)} in {arn.group(2)}", "secrets"))
    return list(dict.fromkeys(found))


def _secrets(definitions: list[dict[str, Any]]) -> int:
    """The Secrets Manager secrets the task definitions' containers read, each once."""
    read = {
        json.dumps(secret.get("ValueFrom"), sort_keys=True)
        for definition in definitions
        for container in as_list(definition.get("ContainerDefinitions"))
        if isinstance(container, Mapping)
        for secret in as_list(container.get("Secrets"))
        if isinstance(secret, Mapping) and "secretsmanager" in json.dumps(secret.get("ValueFrom"))
    }
    return len(read)


def _shared_subnets(
    every: Mapping[str, dict[str, Any]],
) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(service, subnets, load balancers) for each service whose tasks are in a subnet given
    to an internet-facing load balancer too, with the load balancers of those subnets (ids
    given as such: the stack's own subnets are public or private by their names)."""
    public: dict[str, set[str]] = {}
    for balancer, properties in _named(every, LOAD_BALANCER).items():
        if properties.get("Scheme", "internet-facing") == "internet-facing":
            for subnet in _balancer_subnet_ids(properties) or []:
                public.setdefault(subnet, set()).add(balancer)
    found = []
    for name, properties in _named(every, "AWS::ECS::Service").items():
        network = as_mapping(get_in(properties.get("NetworkConfiguration"), "AwsvpcConfiguration"))
        if network.get("AssignPublicIp") == "ENABLED":
            continue  # tasks with public IPs in public subnets: a choice, not a slip
        shared = sorted(set(_literal_subnets(network.get("Subnets")) or []) & set(public))
        if shared:
            balancers = sorted(set().union(*(public[subnet] for subnet in shared)))
            found.append((name, tuple(shared), tuple(balancers)))
    return tuple(found)


# Fargate gives each task an elastic network interface "with a primary private IP address" of
# its subnet (ECS Developer Guide, "Amazon ECS task networking options for Fargate"). A
# deployment starts the new tasks before it stops the old: a rolling one up to MaximumPercent
# of the count ("The default maximumPercent value for a service using the REPLICA service
# scheduler is 200%", API DeploymentConfiguration); a blue/green one, ECS's own strategies or
# CodeDeploy's, runs "two identical production environments" side by side until it ends.
_DEFAULT_MAXIMUM_PERCENT = 200
_SIDE_BY_SIDE = frozenset({"BLUE_GREEN", "LINEAR", "CANARY"})


def _deployment_percent(properties: Mapping[str, Any]) -> int | None:
    """The most tasks an ECS service runs while a deployment replaces them, in percent of its
    count (see above); None when it is not known (a value of another stack's)."""
    deployment = as_mapping(properties.get("DeploymentConfiguration"))
    percent = _number(deployment.get("MaximumPercent", _DEFAULT_MAXIMUM_PERCENT))
    strategy = deployment.get("Strategy", "ROLLING")
    controller = get_in(properties.get("DeploymentController"), "Type", "ECS")
    if percent is None or not isinstance(strategy, str):
        return None
    if strategy in _SIDE_BY_SIDE or controller == "CODE_DEPLOY":
        percent = max(percent, 200)
    # Below 100, a deployment stops tasks before it starts others: never more than the count.
    return max(int(percent), 100)


def _task_addresses(
    every: Mapping[str, dict[str, Any]], tree: _Tree, services: _Services
) -> dict[str, list[tuple[str, int]]]:
    """What each ECS service's tasks take of the addresses of each subnet of these stacks they
    run in: (what, how many) by subnet, at the most tasks the service runs (autoscaling's
    ceiling, at least a schedule's, or its count) over its deployments' percent (see
    _deployment_percent; "rounded down to the nearest integer", ECS API Reference,
    DeploymentConfiguration), spread evenly over its subnets, as ECS spreads a service's tasks
    over Availability Zones. A service whose subnets or percent are not known here is left
    out."""
    most = dict(services.most)
    counts = {name: count for name, count, *_ in services.tasks}
    taken: dict[str, list[tuple[str, int]]] = {}
    for name, properties in _named(every, "AWS::ECS::Service").items():
        network = get_in(properties.get("NetworkConfiguration"), "AwsvpcConfiguration")
        named = tree.resources(_split(name)[0], get_in(network, "Subnets"))
        subnets = list(dict.fromkeys(named or []))  # a subnet named twice is one
        percent = _deployment_percent(properties) if subnets else None
        if percent is None:
            continue
        # An autoscaled service's most: its MaxCapacity (0 when not known here), or a
        # schedule's higher one, a floor of its most when the ceiling is another stack's.
        count, what = (most[name], "at most") if name in most else (counts[name], "the count of")
        each = _ceiling(count * percent // 100, len(subnets))
        label = (
            f"{each} for {name}'s tasks ({what} {count}, {percent} % of them while a "
            f"deployment replaces them, over {_plural(len(subnets), 'subnet')})"
        )
        for subnet in subnets:
            taken.setdefault(subnet, []).append((label, each))
    return taken


def _ceiling(dividend: int, divisor: int) -> int:
    return -(-dividend // divisor)


def _crowded_subnets(
    every: Mapping[str, dict[str, Any]], tree: _Tree, services: _Services
) -> tuple[tuple[str, str, int, int, tuple[str, ...]], ...]:
    """(subnet, its block, the addresses it holds, how many may be needed, what needs them)
    for each subnet of these stacks whose tasks at their most (see _task_addresses), with its
    endpoints (_takes_addresses) and NAT gateways (an address each) and load balancers (8 free
    each), need more addresses than it holds. The stacks are created all the same (dry_run
    refuses a subnet its endpoints, NAT gateways and load balancers alone overfill): it is the
    tasks ECS then cannot place."""
    tasks = _task_addresses(every, tree, services)
    others: dict[str, list[str]] = {}
    for name, body in every.items():
        kind, properties = body.get("Type"), as_mapping(body.get("Properties"))
        prefix = _split(name)[0]
        if kind == "AWS::EC2::VPCEndpoint" and _takes_addresses(properties):
            named = tree.resources(prefix, properties.get("SubnetIds")) or []
        elif kind == "AWS::EC2::NatGateway":
            named = [n for n in [tree.resource(prefix, properties.get("SubnetId"))] if n]
        elif kind == LOAD_BALANCER:
            named = tree.resources(prefix, _balancer_subnet_list(properties)) or []
        else:
            continue
        for subnet in named:
            others.setdefault(subnet, []).append(str(kind))
    found = []
    for subnet, takers in sorted(tasks.items()):
        cidr = get_in(tree.body(subnet).get("Properties"), "CidrBlock")
        if tree.body(subnet).get("Type") != "AWS::EC2::Subnet" or not isinstance(cidr, str):
            continue
        try:
            usable = usable_addresses(ipaddress.IPv4Network(cidr).prefixlen)
        except ValueError:
            continue  # not a block (host bits set, IPv6): left to EC2, as _address_problems does
        kinds = others.get(subnet, [])
        endpoints = kinds.count("AWS::EC2::VPCEndpoint")
        nat = kinds.count("AWS::EC2::NatGateway")
        balancers = kinds.count(LOAD_BALANCER)
        # A load balancer wants 8 free in its subnet, as _address_problems counts it.
        free = LOAD_BALANCER_FREE_ADDRESSES if balancers else 0
        needs = [
            *([f"{endpoints} for the interface endpoints"] if endpoints else []),
            *([f"{nat} for the NAT gateway{'s' * (nat != 1)}"] if nat else []),
            *([f"{free} free for the load balancer{'s' * (balancers != 1)}"] if free else []),
            *(label for label, _ in takers),
        ]
        placed = sum(count for _, count in takers)
        total = endpoints + nat + free + placed
        if placed and total > usable:  # what the tasks add: the rest is _address_problems'
            found.append((subnet, cidr, usable, total, tuple(needs)))
    return tuple(found)


def _container_users(every: Mapping[str, dict[str, Any]]) -> tuple[tuple[str, str, str], ...]:
    """(service, container, user) for each container of each service's task definition (in
    the service's stack); "" for none given: the container runs as its image's USER."""
    found = []
    for name, properties in _named(every, "AWS::ECS::Service").items():
        definition = _task_definition(every, name, properties)
        found += [
            (name, str(container.get("Name", "?")), str(container.get("User") or ""))
            for container in as_list(definition.get("ContainerDefinitions"))
            if isinstance(container, Mapping)
        ]
    return tuple(found)


def _scheduled(action: Mapping[str, Any]) -> str:
    """``peak (min 4)``, ``night (min 1, max 2)``: a scheduled action and the bounds it sets."""
    bounds = as_mapping(action.get("ScalableTargetAction"))
    set_ = [
        f"{word} {bounds[key]}"
        for word, key in (("min", "MinCapacity"), ("max", "MaxCapacity"))
        if key in bounds
    ]
    return f"{action.get('ScheduledActionName', '?')} ({', '.join(set_)})"


def endpoint_limits(endpoint: Mapping[str, Any]) -> str | None:
    """What a gateway endpoint's policy lets through, when less than everything (None: no
    policy, or AWS's default one of one statement allowing every action on everything)."""
    statements = [
        x
        for x in _items(get_in(endpoint.get("PolicyDocument"), "Statement"))
        if isinstance(x, Mapping)
    ]
    everything = all(
        x.get("Effect") == "Allow"
        and "Condition" not in x
        and x.get("Action") in ("*", ["*"])
        and x.get("Resource") in ("*", ["*"])
        for x in statements
    )
    if everything:
        return None
    owned = any(
        "s3:ResourceAccount" in get_in(x.get("Condition"), "StringEquals", {}) for x in statements
    )
    return (
        "this account's buckets and ECR's image layers only" if owned else "limited by its policy"
    )


def is_gateway_endpoint(endpoint: Mapping[str, Any]) -> bool:
    """Whether a VPC endpoint's properties make a gateway endpoint (VpcEndpointType's default)."""
    return bool(endpoint.get("VpcEndpointType", "Gateway") == "Gateway")


def endpoint_service(endpoint: Mapping[str, Any]) -> str:
    """The service of a VPC endpoint's properties: ``ecr.api``, ``s3``."""
    name = endpoint.get("ServiceName")
    text = name.get("Fn::Sub") if isinstance(name, dict) else name
    # China's endpoint services are named cn.com.amazonaws.<region>.<service> (ecr, sqs, sts,
    # ...: layers/endpoints.py's prefixes), the others com.amazonaws.<region>.<service>.
    return re.sub(r"^(?:cn\.)?com\.amazonaws\.[^.]+\.", "", str(text)) if text else "?"


def _certificate_names(certificates: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(
        name
        for props in certificates
        for name in [props.get("DomainName"), *(as_list(props.get("SubjectAlternativeNames")))]
        if isinstance(name, str)
    )


def _average(
    baseline: int | None, low: int, high: int, actions: list[Any]
) -> tuple[float | None, str]:
    """A service's tasks on average over a week, or None and why not."""
    try:
        return week_average(baseline, low, high, actions), ""
    except NotWeekly as exc:
        return None, str(exc)


def _with_insights(
    clusters: list[dict[str, Any]], values: tuple[str, ...] = ("enabled", "enhanced")
) -> int:
    """How many of ``clusters`` have Container Insights on (as one of ``values``)."""
    return sum(
        any(
            get_in(s, "Name") == "containerInsights" and get_in(s, "Value") in values
            for s in as_list(props.get("ClusterSettings"))
        )
        for props in clusters
    )


def _tracking(every: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The target tracking policies, by name. Each has two alarms: "the ARNs of the two
    CloudWatch alarms created on your behalf" (Application Auto Scaling User Guide,
    put-scaling-policy)."""
    return {
        name: props
        for name, props in _named(every, "AWS::ApplicationAutoScaling::ScalingPolicy").items()
        if props.get("PolicyType") == "TargetTrackingScaling"
    }


# A task size in vCPU or GB, as a task definition may give it: "as a string using vCPUs (for
# example, 1 vCPU or 1 vcpu)", memory "in MiB or GB" (Amazon ECS API Reference,
# RegisterTaskDefinition, cpu and memory).
_IN_UNITS = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(vcpu|gb)\s*", re.IGNORECASE)


def _task_size(value: Any, unit: str) -> float | None:
    """A task definition's ``Cpu`` (``unit`` "vcpu") or ``Memory`` ("gb") in vCPU or GB: from
    its units (1,024 a vCPU; MiB) or a string in vCPU or GB; None when it is neither (a value
    known only when the stack is created, such as an ``Fn::ImportValue``)."""
    number = _number(value)
    if number is not None:
        return number / 1024
    written = _IN_UNITS.fullmatch(value) if isinstance(value, str) else None
    if written and written.group(2).lower() == unit:
        return float(written.group(1))
    return None


def _unknown(properties: Mapping[str, Any], key: str, known: float | None, priced: str) -> str:
    """``its Cpu {"Fn::ImportValue": "shared-cpu"}, priced as 0 vCPU`` (``priced``: what was
    done instead) for a value given but not known, else ""."""
    if known is not None or properties.get(key) is None:
        return ""
    return f"its {key} {json.dumps(properties[key], sort_keys=True)}, {priced}"


# "20 GB of ephemeral storage is available for all Fargate Tasks by default—you only pay for
# any additional storage that you configure" (AWS Fargate pricing).
INCLUDED_EPHEMERAL_GIB = 20


class _Services(NamedTuple):
    """What :func:`footprint` reads from the ECS services (each a :class:`Footprint` field)."""

    tasks: list[tuple[str, int, float, float, str]]
    scaling: list[tuple[str, int, int]]
    spot: list[str]
    unknown_capacity: list[str]
    windows: list[str]
    targets: list[tuple[str, str]]
    schedules: list[tuple[str, str]]
    averages: list[tuple[str, float]]
    unpriced: list[tuple[str, str]]
    most: list[tuple[str, int]]
    storage: list[tuple[str, int]]
    unknown: list[tuple[str, str]]
    outside: list[tuple[str, int]]
    not_fargate: list[tuple[str, str]]
    public_ip: list[str]


def _services(
    every: Mapping[str, dict[str, Any]], tracking: Mapping[str, dict[str, Any]], tree: _Tree
) -> _Services:
    """What :func:`footprint` reads from each ECS service, its task definition and scalable
    target (``tracking``: the target tracking policies): its tasks, scaling, Spot, scaling
    targets and schedules, and the week's average."""
    found = _Services([], [], [], [], [], [], [], [], [], [], [], [], [], [], [])
    tasks, scaling, spot = found.tasks, found.scaling, found.spot
    targets, schedules = found.targets, found.schedules
    averages, unpriced = found.averages, found.unpriced
    for name, props in _named(every, "AWS::ECS::Service").items():
        placement = tree.placement(name, props)
        # The task definition (its own, by reference) and scalable target (the first: not matched
        # to its service) of a service are in the same stack.
        stack_path = name.rpartition("/")[0]
        definition = _task_definition(every, name, props)
        elsewhere = _not_on_fargate(props, placement, definition)
        if elsewhere:
            found.not_fargate.append((name, elsewhere))
        elif placement is None:
            found.unknown_capacity.append(name)
        elif _uses_spot(placement.strategy):
            spot.append(name)
        network = as_mapping(get_in(props.get("NetworkConfiguration"), "AwsvpcConfiguration"))
        if not elsewhere and network.get("AssignPublicIp") == "ENABLED":
            # "When using a public subnet, you can optionally assign a public IP address to the
            # task's ENI" (ECS Developer Guide, Fargate task networking): one a task.
            found.public_ip.append(name)
        target = _in_stack(every, "AWS::ApplicationAutoScaling::ScalableTarget", stack_path)
        floor, ceiling = (_number(target.get(k)) for k in ("MinCapacity", "MaxCapacity"))
        low, high = int(floor or 0), int(ceiling or 0)
        desired = _number(props.get("DesiredCount"))
        # No DesiredCount: autoscaling's minimum, or ECS's default of 1 without autoscaling.
        # A DesiredCount of 0 runs none (autoscaling's minimum raises it below, when known).
        count = int(desired) if desired is not None else (low if target else 1)
        # A desired count outside the target's bounds does not last: registering the target
        # "changes the resource's current capacity to a value that is inside of this range"
        # (Application Auto Scaling, RegisterScalableTarget), as week_average holds a scheduled
        # service's count. Each bound known holds it whatever the other is (the dry run
        # refuses a MinCapacity above MaxCapacity): DesiredCount=10 under a MaxCapacity of 4
        # runs 4 tasks, whatever MinCapacity an export gives.
        if ceiling is not None:
            count = min(count, high)
        if floor is not None:
            count = max(count, low)
        if desired and count != int(desired) and None not in (floor, ceiling):
            # Said (validate's note) when both bounds are known: the note names both.
            found.outside.append((name, int(desired)))
        cpus, gbs = (
            _task_size(definition.get("Cpu"), "vcpu"),
            _task_size(definition.get("Memory"), "gb"),
        )
        priced = f"priced as {count} task{'s' * (count != 1)}"
        found.unknown.extend(
            (name, text)
            for text in (
                _unknown(props, "DesiredCount", desired, priced),
                _unknown(target, "MinCapacity", floor, priced),
                _unknown(target, "MaxCapacity", ceiling, "so no ceiling is said"),
                _unknown(definition, "Cpu", cpus, "priced as 0 vCPU"),
                _unknown(definition, "Memory", gbs, "priced as 0 GB"),
            )
            if text
        )
        vcpu, memory = cpus or 0, gbs or 0
        runtime = as_mapping(definition.get("RuntimePlatform"))
        platform = runtime.get("CpuArchitecture", "X86_64")
        if str(runtime.get("OperatingSystemFamily", "LINUX")).startswith("WINDOWS"):
            found.windows.append(name)
        tasks.append((name, count, vcpu, memory, str(platform)))
        size = int(_number(get_in(definition.get("EphemeralStorage"), "SizeInGiB")) or 0)
        if size > INCLUDED_EPHEMERAL_GIB:
            found.storage.append((name, size))
        if target:
            scaling.append((name, low, high))
            targets += [
                (name, tracked(policy))
                for policy_name, policy in tracking.items()
                if policy_name.rpartition("/")[0] == stack_path
            ]
            actions = [a for a in as_list(target.get("ScheduledActions")) if isinstance(a, Mapping)]
            schedules += [(name, _scheduled(a)) for a in actions]
            scheduled = [
                int(_number(get_in(a.get("ScalableTargetAction"), "MaxCapacity")) or 0)
                for a in actions
            ]
            found.most.append((name, max([high, *scheduled])))
            if actions:
                # No DesiredCount: autoscaling's minimum, as each action moves it.
                average, why = _average(int(desired) if desired else None, low, high, actions)
                if average is None:
                    unpriced.append((name, why))
                else:
                    averages.append((name, average))
    return found


# The resource types a footprint prices, names as priced by use or as another stack's, or knows
# to cost nothing by themselves: every type of every template this project ships or a spec
# builds is one (a test holds them to it). A resource of any other type (an EC2 instance, an
# EBS volume, a database of a template of one's own) is named as not priced, rather than
# silently counted as free (an audit: an instance and its volume cost $0.00).
KNOWN_COST_TYPES = frozenset(
    {
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::CertificateManager::Certificate",
        "AWS::CloudFormation::Stack",
        "AWS::CloudFormation::StackSet",
        "AWS::CloudFormation::WaitConditionHandle",
        "AWS::CloudWatch::Alarm",
        "AWS::CloudWatch::Dashboard",
        "AWS::EC2::EIP",
        "AWS::EC2::FlowLog",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::NatGateway",
        "AWS::EC2::Route",
        "AWS::EC2::RouteTable",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::Subnet",
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::VPC",
        "AWS::EC2::VPCEndpoint",
        "AWS::EC2::VPCGatewayAttachment",
        "AWS::ECS::Cluster",
        "AWS::ECS::Service",
        "AWS::ECS::TaskDefinition",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::IAM::Policy",
        "AWS::IAM::Role",
        "AWS::Lambda::Function",
        "AWS::Logs::LogGroup",
        "AWS::Route53::RecordSet",
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
        "AWS::ServiceCatalog::CloudFormationProduct",
        "AWS::ServiceCatalog::LaunchRoleConstraint",
        "AWS::ServiceCatalog::LaunchTemplateConstraint",
        "AWS::ServiceCatalog::Portfolio",
        "AWS::ServiceCatalog::PortfolioPrincipalAssociation",
        "AWS::ServiceCatalog::PortfolioProductAssociation",
        "AWS::ServiceDiscovery::HttpNamespace",
        "AWS::WAFv2::WebACLAssociation",
    }
)


def _unknown_types(every: Mapping[str, dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    """The resources whose type the price table neither prices nor knows to be free, as
    (resource, type); a custom resource's Lambda function is its own resource. A VPC endpoint
    is priced as a gateway or an interface endpoint only: one of another kind
    (``GatewayLoadBalancer``, ``Resource``, ``ServiceNetwork``) is named with its kind."""
    return tuple(
        (name, str(kind))
        for name, body in every.items()
        if (kind := _cost_type(body)) not in KNOWN_COST_TYPES
        and not str(kind).startswith("Custom::")
        and kind != "AWS::CloudFormation::CustomResource"
    )


def _cost_type(body: Mapping[str, Any]) -> Any:
    """A resource's type as the price table knows it: a VPC endpoint's with its kind when that
    is neither ``Gateway`` (the default) nor ``Interface``."""
    kind = body.get("Type")
    if kind == "AWS::EC2::VPCEndpoint":
        endpoint = body.get("Properties")
        of = endpoint.get("VpcEndpointType", "Gateway") if isinstance(endpoint, Mapping) else None
        if of not in (None, "Gateway", "Interface"):
            return f"{kind} of type {of}" if isinstance(of, str) else f"{kind} of another type"
    return kind


def _zones(subnets: list[dict[str, Any]]) -> int | None:
    """The Availability Zones of ``subnets``: how many different zones they name (each
    ``AvailabilityZone`` or ``AvailabilityZoneId`` as written, ``Fn::Select`` of ``Fn::GetAZs``
    unresolved), when each names one; else half of them (a public and a private one per zone);
    None without subnets. A VPC of public subnets alone (the 2018 Fargate samples'
    ``public-vpc.yml``) was said to be in 1 zone for 2, and its load balancer priced 1 public
    address for 2."""
    if not subnets:
        return None
    zones = [subnet.get("AvailabilityZone", subnet.get("AvailabilityZoneId")) for subnet in subnets]
    if all(zone is not None for zone in zones):
        return len({json.dumps(zone, sort_keys=True) for zone in zones})
    return max(len(subnets) // 2, 1)


def footprint(stack: PlannedStack) -> Footprint:
    """The priced parts of ``stack``, read from its resources by type."""
    expect(stack, PlannedStack, "footprint(stack)")
    every = stack.every_resource()

    def typed(kind: str) -> list[dict[str, Any]]:
        return [body.get("Properties", {}) for body in every.values() if body.get("Type") == kind]

    endpoints = typed("AWS::EC2::VPCEndpoint")
    gateways = [e for e in endpoints if is_gateway_endpoint(e)]
    balancers = _named(every, LOAD_BALANCER)
    load_balancers = list(balancers.values())
    azs = _zones(typed("AWS::EC2::Subnet"))
    if azs is None and load_balancers:
        # "You can specify only one subnet per Availability Zone" (CreateLoadBalancer): each
        # load balancer is in as many zones as subnets, and the stacks in the most of them (the
        # first one's was taken, a network load balancer's one for another's three).
        given = [n for lb in load_balancers if (n := _balancer_subnets(lb)) is not None]
        azs = max(given) if given else None
    tracking = _tracking(every)
    tree = _Tree(stack)
    of_balancer = _listener_balancers(tree, every)
    services = _services(every, tracking, tree)
    insights = _with_insights(typed("AWS::ECS::Cluster"))
    return Footprint(
        availability_zones=azs,
        nat_gateways=len(typed("AWS::EC2::NatGateway")),
        elastic_ips=len(typed("AWS::EC2::EIP")),
        gateway_endpoints=sorted(endpoint_service(e) for e in gateways),
        limited_gateway_endpoints=tuple(
            sorted(
                (endpoint_service(e), x) for e in gateways if (x := endpoint_limits(e)) is not None
            )
        ),
        vpcs=len(typed("AWS::EC2::VPC")),
        subnets=len(typed("AWS::EC2::Subnet")),
        zones_listed=max(
            (_listed_zone(s.get("AvailabilityZone")) for s in typed("AWS::EC2::Subnet")), default=0
        ),
        region=stack.region,
        clusters=len(typed("AWS::ECS::Cluster")),
        buckets=len(typed("AWS::S3::Bucket")),
        bucket_settings=bucket_lines(every),
        web_acls=len(typed("AWS::WAFv2::WebACLAssociation")),
        secrets=_secrets(typed("AWS::ECS::TaskDefinition")),
        emptied_default_security_groups=len(typed(DEFAULT_SECURITY_GROUP_RESTRICTION_TYPE)),
        interface_endpoints={
            endpoint_service(e): _count(e.get("SubnetIds"))
            for e in endpoints
            if e.get("VpcEndpointType") == "Interface"
        },
        load_balancers=[
            (
                str(lb.get("Type", "application")),
                str(lb.get("Scheme", "internet-facing")),
                _balancer_subnets(lb) or azs,
            )
            for lb in load_balancers
        ],
        load_balancer_elastic_ips=sum(_balancer_elastic_ips(lb) for lb in load_balancers),
        load_balancer_names=tuple(balancers),
        listeners=sorted(
            _listener(listener, of_balancer.get(name))
            for name, listener in _named(every, LISTENER).items()
        ),
        routes=_routes(tree, every),
        tasks=services.tasks,
        container_users=_container_users(every),
        shared_subnets=_shared_subnets(every),
        crowded_subnets=_crowded_subnets(every, tree, services),
        unreachable=_unreachable(every, stack.region),
        spot=tuple(services.spot),
        unknown_capacity=tuple(services.unknown_capacity),
        not_fargate=tuple(services.not_fargate),
        public_ip=tuple(services.public_ip),
        windows=tuple(services.windows),
        scaling=services.scaling,
        container_insights=insights,
        enhanced_insights=_with_insights(typed("AWS::ECS::Cluster"), ("enhanced",)),
        alarms=len(typed("AWS::CloudWatch::Alarm")),
        alarm_metrics=sum(_alarm_metrics(alarm) for alarm in typed("AWS::CloudWatch::Alarm")),
        scaling_targets=tuple(services.targets),
        scaling_schedules=tuple(services.schedules),
        scheduled_tasks=tuple(services.averages),
        unpriced_schedules=tuple(services.unpriced),
        most_tasks=tuple(services.most),
        ephemeral_storage=tuple(services.storage),
        desired_outside_bounds=tuple(services.outside),
        unknown_sizes=tuple(services.unknown),
        certificate_names=_certificate_names(typed("AWS::CertificateManager::Certificate")),
        dns_records=_record_names(typed("AWS::Route53::RecordSet")),
        scaling_alarms=2 * len(tracking),
        scaling_alarm_metrics=2 * sum(_metrics_read(policy) for policy in tracking.values()),
        dashboards=len(typed("AWS::CloudWatch::Dashboard")),
        log_groups=sorted(
            f"{props.get('RetentionInDays', 'never expires')}"
            for props in typed("AWS::Logs::LogGroup")
        ),
        resources=len(every),
        stacks=1 + _nested_count(stack),
        stack_sets=_stack_sets(stack),
        instances=tuple((n, r, footprint(instance)) for n, r, instance in _all_instances(stack)),
        template_buckets=_template_buckets(stack),
        misplaced_buckets=_misplaced_buckets(stack),
        stack_set_urls=_stack_set_urls(stack),
        catalog_products=_catalog_products(every),
        unknown_types=_unknown_types(every),
    )


def _alarm_metrics(alarm: Mapping[str, Any]) -> int:
    """The metrics an alarm reads: one, or each ``MetricStat`` of its metric math."""
    return max(
        1, sum(1 for query in as_list(alarm.get("Metrics")) if "MetricStat" in as_mapping(query))
    )


def _balancer_elastic_ips(balancer: Mapping[str, Any]) -> int:
    """The Elastic IPs an internet-facing load balancer's subnet mappings allocate."""
    if balancer.get("Scheme", "internet-facing") != "internet-facing":
        return 0
    return sum(1 for m in as_list(balancer.get("SubnetMappings")) if get_in(m, "AllocationId"))


# The predefined metrics the service's policies track, as the summary names them.
_TRACKED = {
    "ECSServiceAverageCPUUtilization": ("CPU", " %"),
    "ECSServiceAverageMemoryUtilization": ("memory", " %"),
    "ALBRequestCountPerTarget": ("requests", " per task and minute"),
}


def tracked(policy: Mapping[str, Any]) -> str:
    """What a target tracking policy follows and its target: ``CPU 70 %``, ``queue orders
    100 per task``."""
    configuration = as_mapping(policy.get("TargetTrackingScalingPolicyConfiguration"))
    value = _number(configuration.get("TargetValue"))
    shown = f"{value:g}" if value is not None else "?"
    predefined = get_in(configuration.get("PredefinedMetricSpecification"), "PredefinedMetricType")
    if isinstance(predefined, str) and predefined in _TRACKED:
        label, unit = _TRACKED[predefined]
        return f"{label} {shown}{unit}"
    for query in as_list(get_in(configuration.get("CustomizedMetricSpecification"), "Metrics")):
        metric = as_mapping(get_in(get_in(query, "MetricStat"), "Metric"))
        if metric.get("Namespace") == "AWS/SQS":
            queues = [get_in(d, "Value") for d in as_list(metric.get("Dimensions"))]
            return f"queue {', '.join(map(str, queues))} {shown} per task"
    return f"a metric of its own {shown}"


def _metrics_read(policy: Mapping[str, Any]) -> int:
    """The metrics each alarm of a target tracking policy reads: one for a predefined or single
    custom metric, each ``MetricStat`` of a metric math expression."""
    configuration = as_mapping(policy.get("TargetTrackingScalingPolicyConfiguration"))
    custom = as_mapping(configuration.get("CustomizedMetricSpecification"))
    return max(
        1, sum(1 for query in as_list(custom.get("Metrics")) if "MetricStat" in as_mapping(query))
    )


def _named(every: Mapping[str, dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: body.get("Properties", {}) for name, body in every.items() if body.get("Type") == kind
    }


def _task_definition(
    every: Mapping[str, dict[str, Any]], service: str, properties: Mapping[str, Any]
) -> dict[str, Any]:
    """The properties of the task definition the ECS service ``service`` (of ``properties``)
    runs: the one of its stack its ``TaskDefinition`` refers to, else (an ARN, another stack's)
    the first of its stack."""
    stack_path = service.rpartition("/")[0]
    target = _named_resource(properties.get("TaskDefinition"))
    if isinstance(target, str):
        body = every.get(f"{stack_path}/{target}" if stack_path else target) or {}
        if body.get("Type") == "AWS::ECS::TaskDefinition":
            properties_of: dict[str, Any] = body.get("Properties") or {}
            return properties_of
    return _in_stack(every, "AWS::ECS::TaskDefinition", stack_path)


def _in_stack(every: Mapping[str, dict[str, Any]], kind: str, stack_path: str) -> dict[str, Any]:
    """The properties of the first resource of ``kind`` directly in the stack at ``stack_path``."""
    for name, props in _named(every, kind).items():
        if name.rpartition("/")[0] == stack_path:
            return props
    return {}


def _nested_count(stack: PlannedStack) -> int:
    return sum(1 + _nested_count(child) for child in stack.nested.values())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _unreachable_line(service: str, endpoint: str, why: str) -> str:
    """What to do about a call a service's tasks cannot make: add the endpoint when the network
    template can make it, or a NAT gateway (a review: "add the bedrock endpoint" was advice
    the network refuses)."""
    if " in " in endpoint:  # another region's service
        return (
            f"unreachable from {service}: {endpoint} (its {why}), with no NAT gateway and no "
            "VPC endpoint to that region (the network's are its own region's): those calls time "
            f"out. Use a NAT gateway, or keep the {why} in the stack's region"
        )
    start = f"unreachable from {service}: {endpoint} (its {why}), with no NAT gateway and no "
    if endpoint == "es":
        # es:ESHttp* goes to the domain's own endpoint, which a VPC domain has in its subnets
        # (OpenSearch Service guide, "Launching your domains within a VPC").
        return (
            f"{start}es VPC endpoint, unless the domain is in this VPC: calls to a public "
            "OpenSearch domain, and to its configuration API, time out. Use a NAT gateway for "
            "a public domain"
        )
    if endpoint not in KNOWN_ENDPOINTS:
        return (
            f"{start}VPC endpoint for it (the network template makes none): those calls time "
            "out. Use a NAT gateway"
        )
    kind = "gateway" if endpoint in GATEWAY_ENDPOINTS else "interface"
    return (
        f"{start}{endpoint} VPC endpoint: those calls time out. Add the endpoint to the "
        f"network's {kind} endpoints, or use a NAT gateway"
    )


def _outside_bounds_line(service: str, asked: int, count: int, bounds: tuple[int, int]) -> str:
    """What runs when a service's DesiredCount is outside its autoscaling bounds: a template
    rule cannot compare two numbers, and ServiceConfig and the spec refuse the pair, but the
    template's parameters take it (an audit: ``DesiredCount=9 MaxCapacity=4`` counted 4 tasks
    without a word)."""
    low, high = bounds
    side = f"above its MaxCapacity {high}" if asked > high else f"below its MinCapacity {low}"
    return (
        f"  note: {service} asks for {_plural(asked, 'task')} (DesiredCount), {side}: the "
        f"service is created with {asked}, then registering its scalable target sets the count "
        f"to {count}, which is what runs (and is counted here). A DesiredCount from {low} to "
        f"{high}, or 0 for autoscaling's, says what will run"
    )


def _capacity(found: Footprint, service: str) -> str:
    """What a service's tasks run on, as its summary line says it."""
    elsewhere = dict(found.not_fargate).get(service)
    if elsewhere:
        return f"{elsewhere}: not Fargate"
    if service in found.spot:
        return "Fargate Spot"
    if service in found.unknown_capacity:
        return "its cluster's default capacity provider strategy: another stack's, not known here"
    return "Fargate"


def _service_lines(found: Footprint) -> list[str]:
    """Each service's lines of the summary: its tasks and scaling, who its containers run as,
    and its notes; then each subnet its tasks may fill."""
    lines: list[str] = []
    scaling = {name: (low, high) for name, low, high in found.scaling}
    for name, count, vcpu, memory, platform in found.tasks:
        tracked = [label for service, label in found.scaling_targets if service == name]
        on = f" on {', '.join(tracked)}" if tracked else ""
        planned = [label for service, label in found.scaling_schedules if service == name]
        when = f"; scheduled: {', '.join(planned)}" if planned else ""
        scaled = (
            f", autoscaling {scaling[name][0]} to {scaling[name][1]}{on}{when}"
            if name in scaling
            else ""
        )
        lines.append(
            f"service {name}: {_plural(count, 'task')} of {vcpu:g} vCPU and {memory:g} GB "
            f"({'Windows, ' if name in found.windows else ''}{platform}, "
            f"{_capacity(found, name)}"
            f"{', a public IP each' if name in found.public_ip else ''}){scaled}"
        )
        runs_as = [
            f"{container} as {user}" if user else f"{container} as its image's USER"
            for service, container, user in found.container_users
            if service == name
        ]
        if runs_as:
            lines.append(f"containers of {name}: {', '.join(runs_as)}")
        lines += [
            _outside_bounds_line(name, asked, count, scaling[name])
            for service, asked in found.desired_outside_bounds
            if service == name and name in scaling
        ]
        lines += [
            _unreachable_line(name, endpoint, why)
            for service, endpoint, why in found.unreachable
            if service == name
        ]
        lines += [
            f"  note: {name} runs its tasks in {_and(list(subnets))}, where "
            f"{_public_balancers(found, balancers)} too: the load balancer needs public subnets, "
            "the tasks private ones (a task without a public IP in a public subnet reaches "
            "nothing outside the VPC, its image registry included, but through VPC endpoints)"
            for service, subnets, balancers in found.shared_subnets
            if service == name
        ]
    # A subnet's tasks may be several services': said once, after them.
    lines += [
        f"note: the subnet {subnet} ({cidr}) holds {usable} addresses (AWS reserves "
        f"{SUBNET_RESERVED_ADDRESSES}) and may need {needed}: {_and(list(needs))}; ECS places "
        "no task without an address, so a scale-out or deployment stalls there: give the "
        "subnet a larger block, or its services fewer tasks"
        for subnet, cidr, usable, needed, needs in found.crowded_subnets
    ]
    return lines


def _public_balancers(found: Footprint, balancers: tuple[str, ...]) -> str:
    """``the internet-facing load balancer is``, naming it (or them) when the stacks have
    several load balancers: ``the internet-facing load balancer Public is``."""
    if len(found.load_balancers) < 2 or not balancers:
        return "the internet-facing load balancer is"
    if len(balancers) == 1:
        return f"the internet-facing load balancer {balancers[0]} is"
    return f"the internet-facing load balancers {_and(list(balancers))} are"


# Regions where newer accounts may see fewer zones than the region has, two in us-west-1:
# "newer AWS accounts can be restricted in congested regions like us-west-1, sa-east-1,
# cn-north-1" (PatMyron/cloud#16); a third subnet there failed with "Fn::Select cannot select
# nonexistent value at index 2" (buildkite/elastic-ci-stack-for-aws#157).
FEW_ZONE_REGIONS = frozenset({"us-west-1", "sa-east-1", "cn-north-1"})


def _listed_zone(zone: Any) -> int:
    """How many zones of ``Fn::GetAZs``' list a subnet's ``AvailabilityZone`` needs: its
    ``Fn::Select`` index plus one, or 0 for a zone named (or of any other shape)."""
    select = get_in(zone, "Fn::Select")
    if not (
        isinstance(select, list)
        and len(select) == 2
        and get_in(select[1], "Fn::GetAZs") is not None
    ):
        return 0
    index = _number(select[0])
    return int(index) + 1 if index is not None and index >= 0 and index == int(index) else 0


def describe(found: Footprint) -> list[str]:
    """What deploys, one line per part, for a person deciding whether to launch."""
    expect(found, Footprint, "describe(found)")
    lines = []
    if found.availability_zones is not None:
        # Without a VPC or subnets of its own, the count is the load balancer's subnets given:
        # their zones are the account's to tell (a trial read it as zones checked). Of subnets
        # it creates, it is their zones (a review: "one per load balancer subnet" of a stack
        # without a load balancer).
        counted = "" if found.vpcs or found.subnets else " (one per load balancer subnet given)"
        lines.append(f"Availability Zones: {found.availability_zones}{counted}")
        if found.zones_listed > 2 and found.region in FEW_ZONE_REGIONS:
            lines.append(
                f"  note: the subnets take zone {found.zones_listed} of the zones Fn::GetAZs "
                f"lists in {found.region}, where newer accounts may see two: the stack then fails "
                '("Fn::Select cannot select nonexistent value at index '
                f'{found.zones_listed - 1}"); choose 2 zones, or pin zones your account has'
            )
    if found.nat_gateways or found.gateway_endpoints or found.interface_endpoints:
        addresses = _plural(found.elastic_ips, "Elastic IP")
        nat = (
            f"{_plural(found.nat_gateways, 'NAT gateway')} ({addresses})"
            if found.nat_gateways
            else "no NAT gateway: the private subnets have no route to the internet"
        )
        lines.append(f"NAT: {nat}")
    if found.gateway_endpoints or found.interface_endpoints:
        interface = ", ".join(found.interface_endpoints) or "none"
        per_az = set(found.interface_endpoints.values())
        where = ""
        if len(per_az) == 1 and None not in per_az:
            where = f", each in {_plural(per_az.pop() or 0, 'subnet')}"
        elif per_az:  # each its own (not "each in" the most of them), when known
            interface = ", ".join(
                name if n is None else f"{name} ({_plural(n, 'subnet')})"
                for name, n in found.interface_endpoints.items()
            )
        limited = dict(found.limited_gateway_endpoints)
        gateway = ", ".join(
            f"{name} ({limited[name]})" if name in limited else name
            for name in found.gateway_endpoints
        )
        lines.append(f"VPC endpoints: gateway {gateway or 'none'}; interface {interface}{where}")
    emptied = found.emptied_default_security_groups
    keeping = "EC2's rules ({} members talk to each other, all outbound)"
    if found.vpcs and emptied >= found.vpcs:
        lines.append("default security group: emptied (no rule in or out)")
    elif found.vpcs and emptied:  # of several VPCs, some: each says which
        others = found.vpcs - emptied
        lines.append(
            f"default security groups: {emptied} of {found.vpcs} emptied (no rule in or out), "
            f"{'the other keeps' if others == 1 else f'the other {others} keep'} "
            + keeping.format("its" if others == 1 else "their")
        )
    elif found.vpcs:
        lines.append(f"default security group: keeps {keeping.format('its')}")
    # Of several load balancers, each by name: the listeners and routes name theirs.
    names = found.load_balancer_names
    several = len(found.load_balancers) > 1 and len(names) == len(found.load_balancers)
    for index, (kind, scheme, subnets) in enumerate(found.load_balancers):
        where = f" in {_plural(subnets, 'subnet')}" if subnets else ""
        named = f" {names[index]}" if several else ""
        lines.append(f"load balancer{named}: {kind}, {scheme}{where}")
    if found.listeners:
        lines.append(f"listeners: {', '.join(found.listeners)}")
    lines += [f"route: {where}: {what}" for where, what in found.routes]
    if found.web_acls:
        lines.append(f"AWS WAF: a web ACL in front of {_plural(found.web_acls, 'load balancer')}")
    if found.certificate_names:
        lines.append(
            f"certificate: requested for {', '.join(found.certificate_names)} (ACM: the stack "
            "waits until it is validated)"
        )
    if found.dns_records:
        lines.append(f"DNS records: {', '.join(found.dns_records)} (Route 53)")
    lines += _service_lines(found)
    lines += [f"S3 bucket {name}: {about}" for name, about in found.bucket_settings]
    alarms = _plural(found.alarms, "alarm")
    if found.scaling_alarms:
        alarms += f" (and {found.scaling_alarms} that target tracking scaling creates)"
    extras = [
        alarms,
        _plural(found.dashboards, "dashboard"),
        _plural(len(found.log_groups), "log group")
        + (f" (retention in days: {', '.join(found.log_groups)})" if found.log_groups else ""),
    ]
    if found.container_insights:
        extras.append(f"Container Insights on {_plural(found.container_insights, 'cluster')}")
    urls = dict(found.stack_set_urls)
    for name, template, whom, regions in found.stack_sets:
        lines.append(
            f"StackSet {name}: {template} to {whom}, in {_and(list(regions) or ['no region'])}"
        )
        if name in urls:
            lines.append(
                f"  read from {urls[name]} when the StackSet is created or updated (publish "
                "it there first)"
            )
    lines += [
        f"Service Catalog product {name}: launches {template}, a stack of its own each time, "
        "with the values given then (not counted here: validate that template with them)"
        for name, template in found.catalog_products
    ]
    if (
        found.alarms
        or found.scaling_alarms
        or found.dashboards
        or found.log_groups
        or found.container_insights
    ):
        lines.append("monitoring: " + ", ".join(extras))  # not for a stack that has none
    lines.append(f"{_plural(found.resources, 'resource')} in {_plural(found.stacks, 'stack')}")
    lines += [
        f"note: {name} reads its template from the bucket {bucket}, named for {named}, in "
        f"{read}: S3 refuses a bucket of another region there; give the bucket in {read}"
        for name, bucket, named, read in found.misplaced_buckets
        # Without a region, a URL read in the default one may name it only for that default.
        if found.region or read != DEFAULT_REGION
    ]
    return lines + _instance_lines(found)


def _instance_lines(found: Footprint) -> list[str]:
    """Each StackSet's stack in an account, described once for the regions where it is the
    same, with where its nested templates come from (and a bucket name with a region twice in
    it: ``TemplateBucketName`` is the name without the region)."""
    lines: list[str] = []
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[str, Footprint]]] = {}
    for name, region, instance in found.instances:
        groups.setdefault((name, tuple(describe(instance))), []).append((region, instance))
    templates = {name: template for name, template, _, _ in found.stack_sets}
    for (name, described), members in groups.items():
        regions = [region for region, _ in members]
        buckets = [(region, b) for region, instance in members for b in instance.template_buckets]
        stems = {b[: -len(region) - 1] for region, b in buckets if b.endswith(f"-{region}")}
        source = ""
        if buckets and len(stems) == 1 and len(buckets) == len(members):
            source = f", templates from bucket {next(iter(stems))}-<region>"
        elif buckets:
            source = f", templates from {_and(list(dict.fromkeys(b for _, b in buckets)))}"
        lines.append(
            f"{name}'s stack in each account, in {_and(regions)} ({templates.get(name, '')}"
            f"{source}):"
        )
        lines += [f"  {line}" for line in described]
        lines += [
            f"  note: the bucket name {stem}-<region> has a region in it twice: if the buckets "
            f"are {base}-<region>, the name to give is {base}"
            for stem in sorted(stems)
            if (base := _without_region(stem))
        ]
    return lines


def _without_region(name: str) -> str:
    """A bucket name without the region it ends in (``my-templates`` for
    ``my-templates-eu-west-1``), or "" when it ends in none."""
    parts = name.split("-")
    for size in (3, 4):  # eu-west-1, us-gov-west-1
        if len(parts) > size and REGION_NAME.fullmatch("-".join(parts[-size:])):
            return "-".join(parts[:-size])
    return ""


# The checks of the resolved resources that read the template and the values given (to name
# the parameters behind a refusal), in the order their lines are printed.
_VALUE_CHECKS: tuple[
    Callable[[Mapping[str, dict[str, Any]], Mapping[str, Any], Mapping[str, str]], list[str]],
    ...,
] = (
    _deployment_time_problems,
    _subnet_problems,
    _listener_rule_problems,
    _matcher_problems,
    _address_problems,
    _listener_certificate_problems,
    _windows_spot_problems,
    _certificate_name_problems,
    _template_url_problems,
)
