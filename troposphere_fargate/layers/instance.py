"""The instance layer, ``instance.yaml``: what ``root.yaml`` deploys, the network and the service,
in one template without nested stacks, for a StackSet with service-managed permissions (which
deploys no template that nests stacks: "Nested AWS::CloudFormation::Stack is not supported in
service managed AWS::CloudFormation::StackSet", the StackSet resource's handler,
aws-cloudformation/aws-cloudformation-resource-providers-cloudformation#104; "You can't
provision nested stacks, transforms, or macros with the default execution role", StackSets,
CloudFormation User Guide).

Derived from the templates the root nests, as the root is, so the two cannot drift:

- every resource, condition, mapping and output of each child, under its own logical ID (two
  children of one ID are refused);
- the parameters the root takes for each child, declared as the child declares them, in its
  console group; its rules, as the root takes them (:func:`root.copy_rules`);
- a parameter wired to an earlier child's output takes that output's value (a list parameter
  takes the list its output joins);
- a parameter the root leaves at its default is no parameter here: each ``Ref`` to it is its
  default, each condition it decides is decided (and gone, with the ``Fn::If`` branches and
  resources it rules out), so a value the root never passes cannot be given here either;
- ``NetworkReady``, a wait condition handle created after every resource of the first child
  (those under a condition through an ``Fn::If`` in its metadata, the conditional DependsOn of
  aws/serverless-application-model#653), on which every resource of the later children
  depends: as in the root, the whole network exists before the service starts (the load
  balancer needs the internet gateway attached, the tasks their NAT routes or endpoints).

Resources, parameters, rules and outputs: those of ``network.yaml`` and ``service.yaml`` as
``root.yaml`` takes them, with ``NetworkReady``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from troposphere import Template

from ..cfn.evaluate import claimed_regions
from ..cfn.intrinsics import SUB_VARIABLE, sub_name, sub_names
from ..cfn.yaml import MERGES
from ..errors import expect_templates, expect_version
from . import regions
from .blocks import STAMP_KEY, stamped_otherwise
from .root import (
    RENDERED,
    ROOT,
    Child,
    WiringError,
    check_wiring,
    copy_parameters,
    copy_rules,
    expect_nested,
    expect_shapes,
    not_rendered,
)

LAYER = "instance"
FILENAME = "instance.yaml"

# The wait condition handle every resource after the first child's waits for.
NETWORK_READY = "NetworkReady"
# Its metadata key naming the first child's conditional resources, each through Fn::If.
CREATED_AFTER = "CreatedAfter"

DESCRIPTION = (
    "Fargate service without public IPs, in a new VPC: the network and the service of root.yaml "
    "in one template without nested stacks, as a StackSet with service-managed permissions "
    "deploys it"
)

_NO_VALUE = {"Ref": "AWS::NoValue"}
_LIST_TYPE = re.compile(r"CommaDelimitedList|List<.*>")


def instance_template(
    built: Mapping[str, Mapping[str, Any]], version: str, nested: Sequence[Child] | None = None
) -> dict[str, Any]:
    """``instance.yaml`` (as a dict) from the rendered templates the root nests (layer name ->
    template dict, as :func:`~troposphere_fargate.release.build.render_templates` returns
    them); ``nested``: the children, in creation order (default: the shipped root's). Raises
    :class:`~troposphere_fargate.layers.root.WiringError` when they cannot be merged."""
    expect_templates(built, "instance_template(built)")
    expect_version(version, "instance_template(version)")
    if nested is None:
        from . import nested_children  # the registry imports this module

        nested = nested_children()
    else:
        nested = expect_nested(nested, "instance_template(nested)")
    missing = [child.layer for child in nested if child.layer not in built]
    if missing:
        raise not_rendered("instance_template(built)", missing, built, how_rendered(built))
    children = {child.layer: built[child.layer] for child in nested}
    expect_shapes(children, "instance_template(built)")
    others = stamped_otherwise(children, version)
    if others:
        raise WiringError(
            f"instance_template(version): {version!r}, but the templates it merges are stamped "
            f"for another version: {', '.join(others)}"
        )
    # What the root would refuse of these children (a misspelt name in a Child, a wire to
    # nothing or to a conditional output, an `after` of no stack) is refused here too: merged
    # without the check, a misspelt `takes` left a parameter at its default.
    check_wiring(children, nested)
    return _Merge(children, nested).template()


def how_rendered(built: Mapping[str, Any]) -> str:
    """How to give instance_template (and stackset_template) what they build from."""
    if any(name.startswith("service-") for name in built):
        # A config of several services renders a root of its own, and no instance.yaml.
        return (
            "instance.yaml and stackset.yaml are made of the shipped root's network and "
            "service (a config without services); a config with services is deployed by its "
            "root.yaml"
        )
    return RENDERED


class _Merge:
    """The children merged into one template (see the module's docstring)."""

    def __init__(self, children: Mapping[str, Mapping[str, Any]], nested: Sequence[Child]) -> None:
        self.children = children
        self.nested = nested
        self.sections: dict[str, dict[str, Any]] = {
            name: {} for name in ("Parameters", "Rules", "Mappings", "Conditions")
        }
        self.resources: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}
        self.groups: dict[str, list[str]] = {}
        self.labels: dict[str, Any] = {}
        self.owner: dict[str, str] = {}  # resource logical ID -> the layer it comes from
        self.folded_outputs: dict[str, dict[str, Any]] = {}  # layer -> its outputs, merged

    def template(self) -> dict[str, Any]:
        by_id: dict[str, Child] = {}
        for child in self.nested:
            if child.prefix:
                raise WiringError(
                    f"instance_template: the {child.layer} template is nested with the prefix "
                    f"{child.prefix!r}; merged templates keep their children's names"
                )
            self._add(child, by_id)
            by_id[child.logical_id] = child
        first = self.nested[0].layer
        self._wait_for(first)
        body: dict[str, Any] = {"Description": DESCRIPTION}
        interface = {
            "ParameterGroups": [
                {"Label": {"default": label}, "Parameters": names}
                for label, names in self.groups.items()
            ],
            "ParameterLabels": self.labels,
        }
        body["Metadata"] = {
            "AWS::CloudFormation::Interface": interface,
            # What `diff` and the build say once, for the templates merged (cfn.yaml.merged_from).
            STAMP_KEY: {MERGES: [child.filename for child in self.nested]},
        }
        # Where every child runs, it runs: cfn-lint lints it there, and stackset_template
        # refuses a StackSet of a merged template that runs in China alone (built again from
        # a config's templates, it carried no regions and was let through).
        claimed = [claimed_regions(self.children[child.layer]) for child in self.nested]
        if all(claimed):
            shared = [r for r in claimed[0] if all(r in other for other in claimed[1:])]
            if not shared:  # an empty list read as "claims none": a StackSet was let through
                raise WiringError(
                    "instance_template: the templates it merges run in no region in common ("
                    + "; ".join(
                        f"{child.layer}: {', '.join(r)}"
                        for child, r in zip(self.nested, claimed, strict=True)
                    )
                    + ")"
                )
            body["Metadata"][regions.CFN_LINT_METADATA] = {"config": {"regions": shared}}
        for name, section in self.sections.items():
            if section:
                body[name] = section
        body["Resources"] = self.resources
        if self.outputs:
            body["Outputs"] = self.outputs
        return _without_unused(body)

    def _add(self, child: Child, before: Mapping[str, Child]) -> None:
        # Read, not changed: _Fold.value builds every container it returns anew.
        template = self.children[child.layer]
        declared = template.get("Parameters", {})
        taken = child.taken(declared)
        replaced: dict[str, Any] = {}
        for parameter, source, output in child.wired(declared):
            if source == ROOT:  # an existing VPC's id, say: the root's own parameter
                raise WiringError(
                    f"instance_template: the {child.layer} template's {parameter} is wired to "
                    f"the root's own parameter {output}, which no merged template creates: "
                    "merge templates that create what the later ones take, or deploy the root"
                )
            if source not in before:
                raise WiringError(
                    f"instance_template: the {child.layer} template's {parameter} is wired to "
                    f"{source}, which is not a template merged before it"
                )
            # The source's output as merged (its own defaults folded into it), not as written:
            # one without a condition (check_wiring refuses a wire to another), so kept.
            folded = self.folded_outputs[before[source].layer][output]
            value = folded["Value"]
            replaced[parameter] = _wired_value(child, parameter, declared[parameter], value)
        known = {}
        for name, spec in declared.items():
            if name in taken or name in replaced:
                continue
            kind = str(spec.get("Type", "String"))
            value = spec.get("Default")
            if isinstance(value, int | float) and not isinstance(value, bool):
                # A Number's default as troposphere writes it (Default=345600): its text is
                # what a Ref to the parameter gives (CloudFormation passes parameters as text).
                value = str(value)
            # A list would go into lists and strings alike; an SSM parameter's value is what
            # Systems Manager holds when the stack is created, not the name its default gives.
            if not isinstance(value, str) or _LIST_TYPE.fullmatch(kind) or "SSM" in kind:
                why = "no default" if value is None else f"a default of {value!r}"
                raise WiringError(
                    f"instance_template: the {child.layer} template's {name} ({kind}, {why}) "
                    "is left at its default, which is no text to put in each Ref to it: take "
                    "it (the merged template declares it then)"
                )
            known[name] = value
        fold = _Fold(known, replaced, template.get("Conditions", {}))
        # The parameters and rules the root takes, declared as the root declares them (each
        # described, labelled and grouped, or refused), made anew: a change to the merged
        # template (a value it no longer allows) changed the network's and service's before.
        scratch = Template()
        copy_parameters(scratch, child, template, taken)
        copy_rules(scratch, child, template, taken)
        made = scratch.to_dict()
        self._put("Rules", made.get("Rules", {}), child)
        self._put("Parameters", made.get("Parameters", {}), child)
        self._interface(made)
        mappings = copy.deepcopy(template.get("Mappings", {}))  # its own, as the parameters
        self._put("Mappings", mappings, child, same_ok=True)
        self._put("Conditions", fold.conditions(), child, same_ok=True)
        resources = {}
        for name, resource in template.get("Resources", {}).items():
            kept = fold.resource(resource)
            if kept is not None:
                resources[name] = kept
        removed = set(template.get("Resources", {})) - set(resources)
        for resource in resources.values():
            _drop_depends_on(resource, removed)
        if before:
            for resource in resources.values():
                _add_depends_on(resource, NETWORK_READY)
        for resource in resources.values():
            _without_stale_skips(resource)
        self._put("Resources", resources, child)
        outputs = {}
        for name, output in template.get("Outputs", {}).items():
            kept = fold.resource(output)
            if kept is not None:
                outputs[name] = kept
        self.folded_outputs[child.layer] = outputs
        self._put("Outputs", outputs, child)

    def _put(
        self, section: str, items: Mapping[str, Any], child: Child, same_ok: bool = False
    ) -> None:
        target = (
            self.resources
            if section == "Resources"
            else self.outputs
            if section == "Outputs"
            else self.sections[section]
        )
        for name, value in items.items():
            if name in target and not (same_ok and target[name] == value):
                raise WiringError(
                    f"instance_template: {section[:-1].lower()} {name} of the {child.layer} "
                    "template is another template's too"
                )
            target[name] = value
            if section == "Resources":
                self.owner[name] = child.layer

    def _interface(self, made: Mapping[str, Any]) -> None:
        """The console groups and labels of the parameters ``copy_parameters`` declared."""
        interface = made.get("Metadata", {}).get("AWS::CloudFormation::Interface", {})
        for group in interface.get("ParameterGroups", []):
            self.groups.setdefault(group["Label"]["default"], []).extend(group["Parameters"])
        self.labels.update(interface.get("ParameterLabels", {}))

    def _wait_for(self, layer: str) -> None:
        """``NetworkReady``: created after every resource of ``layer``."""
        always = sorted(
            name
            for name, resource in self.resources.items()
            if self.owner[name] == layer and "Condition" not in resource
        )
        sometimes = {
            name: {"Fn::If": [resource["Condition"], {"Ref": name}, {"Ref": "AWS::NoValue"}]}
            for name, resource in sorted(self.resources.items())
            if self.owner[name] == layer and "Condition" in resource
        }
        handle: dict[str, Any] = {"Type": "AWS::CloudFormation::WaitConditionHandle"}
        if always:
            handle["DependsOn"] = always
        if sometimes:
            handle["Metadata"] = {CREATED_AFTER: sometimes}
        if NETWORK_READY in self.resources:
            raise WiringError(
                f"instance_template: resource {NETWORK_READY} of the {self.owner[NETWORK_READY]} "
                "template is the merged template's own"
            )
        self.resources[NETWORK_READY] = handle
        self.owner[NETWORK_READY] = layer


def _wired_value(child: Child, parameter: str, declaration: Mapping[str, Any], value: Any) -> Any:
    """What a wired parameter's ``Ref`` becomes: the output's value, or for a list parameter
    the list the output joins with commas."""
    if not _LIST_TYPE.fullmatch(str(declaration.get("Type", "String"))):
        return value
    joined = value.get("Fn::Join") if isinstance(value, dict) and len(value) == 1 else None
    if not (isinstance(joined, list) and len(joined) == 2 and joined[0] == ","):
        raise WiringError(
            f"instance_template: the {child.layer} template's list parameter {parameter} is "
            "wired to an output that is not a list joined with commas"
        )
    return joined[1]


# The condition functions, by the number of conditions or values each takes (CloudFormation
# User Guide, "Condition functions": Fn::And and Fn::Or 2 to 10).
_CONDITION_ARITY = {"Fn::Equals": (2, 2), "Fn::Not": (1, 1), "Fn::And": (2, 10), "Fn::Or": (2, 10)}


class _Fold:
    """A child's template with some parameters given (``known``: their values; ``replaced``:
    the expressions that take their place), its conditions decided where those settle them."""

    def __init__(
        self, known: Mapping[str, str], replaced: Mapping[str, Any], conditions: Mapping[str, Any]
    ) -> None:
        self.known = known
        self.replaced = replaced
        self.declared = conditions
        # Each condition: True, False, or what is left of it; a condition that is another's
        # under a new name becomes {"Condition": other}.
        self.decided: dict[str, Any] = {}
        for name in conditions:
            self._decide(name, ())

    def _decide(self, name: Any, seen: tuple[str, ...]) -> Any:
        if not isinstance(name, str) or name not in self.declared:
            # A KeyError deep inside, before: a resource given a Condition never added.
            raise WiringError(f"instance_template: condition {name!r} is not declared")
        if name not in self.decided:
            if name in seen:
                raise WiringError(f"instance_template: condition {name} refers to itself")
            self.decided[name] = self._condition(self.declared[name], (*seen, name))
        return self.decided[name]

    def _condition(self, node: Any, seen: tuple[str, ...]) -> Any:
        """True, False or the condition function left when the known values are put in."""
        if not isinstance(node, dict) or len(node) != 1:
            return self.value(node)
        [(function, argument)] = node.items()
        if function == "Condition":
            decided = self._decide(argument, seen)
            return decided if isinstance(decided, bool) else {"Condition": argument}
        arity = _CONDITION_ARITY.get(function)
        if arity is not None and not (
            isinstance(argument, list) and arity[0] <= len(argument) <= arity[1]
        ):
            raise WiringError(
                f"instance_template: {function} takes a list of {arity[0]} to {arity[1]} "
                f"items, not {argument!r}"
            )
        if function == "Fn::Equals":
            wired = sorted(_names_used(argument, set()) & set(self.replaced))
            if wired:  # conditions compare parameters, not resources
                raise WiringError(
                    f"instance_template: a condition compares {', '.join(wired)}, which another "
                    "template's output takes the place of"
                )
            left, right = (self.value(item) for item in argument)
            if isinstance(left, str) and isinstance(right, str):
                return left == right
            return {function: [left, right]}
        if function == "Fn::Not":
            inner = self._condition(argument[0], seen)
            return (not inner) if isinstance(inner, bool) else {function: [inner]}
        if function in ("Fn::And", "Fn::Or"):
            absorbing = function == "Fn::Or"  # True ends an Or, False an And
            left = []
            for item in argument:
                decided = self._condition(item, seen)
                if decided is absorbing:
                    return absorbing
                if not isinstance(decided, bool):
                    left.append(decided)
            if not left:
                return not absorbing
            if len(left) == 1:
                return left[0]
            return {function: left}
        return self.value(node)

    def conditions(self) -> dict[str, Any]:
        """The conditions still to be decided when the stack is created."""
        return {
            name: self._top(decided)
            for name, decided in self.decided.items()
            if not isinstance(decided, bool)
        }

    @staticmethod
    def _top(decided: Any) -> Any:
        # A condition that is only another condition, written as that condition twice negated:
        # a condition function, which every reader of conditions takes (a bare reference is
        # taken by CloudFormation and cfn-lint too, aws-cloudformation/cfn-lint#1245).
        if isinstance(decided, dict) and set(decided) == {"Condition"}:
            return {"Fn::Not": [{"Fn::Not": [decided]}]}
        return decided

    def resource(self, resource: Mapping[str, Any]) -> dict[str, Any] | None:
        """A resource or output with the known values put in, or None where its condition is
        decided false."""
        resource = dict(resource)
        condition = resource.get("Condition")
        if condition is not None:
            decided = self._decide(condition, ())
            if decided is False:
                return None
            if decided is True:
                del resource["Condition"]
        # An attribute (Metadata, UpdatePolicy) whose Fn::If is decided to no value is left out.
        pairs = ((key, self.value(value)) for key, value in resource.items())
        return {key: value for key, value in pairs if value != _NO_VALUE}

    def value(self, node: Any) -> Any:
        """``node`` with each known parameter's value and each replaced one's expression in
        place of its ``Ref``, and each ``Fn::If`` of a decided condition its branch. A branch
        that is ``AWS::NoValue`` leaves the list item or the property out, as CloudFormation
        would (a policy check reads the template as written: a bare ``Ref: AWS::NoValue`` in a
        list of ingress rules is a rule without a source to it)."""
        if isinstance(node, list):
            return [kept for kept in map(self.value, node) if kept != _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            [(function, argument)] = node.items()
            if function == "Ref" and isinstance(argument, str):
                if argument in self.known:
                    return self.known[argument]
                if argument in self.replaced:
                    return copy.deepcopy(self.replaced[argument])
            if function == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
                decided = self._decide(argument[0], ())
                if decided is True:
                    return self.value(argument[1])
                if decided is False:
                    return self.value(argument[2])
            if function == "Fn::Sub":
                return {function: self._sub(argument)}
            if function.startswith("Fn::") and isinstance(argument, list):
                # A function's arguments are positions, not a list to leave items out of.
                return {function: [self.value(item) for item in argument]}
        pairs = ((key, self.value(value)) for key, value in node.items())
        return {key: value for key, value in pairs if value != _NO_VALUE}

    def _sub(self, argument: Any) -> Any:
        if not (
            isinstance(argument, str)
            or (
                isinstance(argument, list)
                and len(argument) == 2
                and isinstance(argument[0], str)
                and isinstance(argument[1], Mapping)
            )
        ):
            raise WiringError(
                "instance_template: Fn::Sub takes a text, or a text and a mapping of its "
                f"variables, not {argument!r}"
            )
        text, variables = (argument, None) if isinstance(argument, str) else argument
        own = set(variables or {})
        # The names as CloudFormation reads them (``${ Kind }`` is Kind: intrinsics.sub_name).
        wired = sorted((sub_names(text) - own) & set(self.replaced))
        if wired:
            raise WiringError(
                f"instance_template: Fn::Sub {text!r} names {', '.join(wired)}, which another "
                "template's output takes the place of"
            )

        def put(found: re.Match[str]) -> str:
            name = sub_name(found.group(1))
            if name is None or name in own or name not in self.known:
                return found.group(0)
            # The value as it is, not read as Sub's text again: its own ${...} escaped (${!...}).
            return self.known[name].replace("${", "${!")

        text = SUB_VARIABLE.sub(put, text)
        if variables is None:
            return text
        return [text, {name: self.value(value) for name, value in variables.items()}]


# A checkov skip a child carries because its rules are inside Fn::If, which checkov cannot read
# ("every rule has a description"): where folding left no Fn::If in the rules, checkov reads
# them, and the skip would hide nothing (tests/policy/test_policy.py refuses such a skip).
_SKIPPED_FOR_FN_IF = {"CKV_AWS_23": ("SecurityGroupIngress", "SecurityGroupEgress")}


def _without_stale_skips(resource: dict[str, Any]) -> None:
    if resource.get("Type") != "AWS::EC2::SecurityGroup":
        return
    checkov = resource.get("Metadata", {}).get("checkov", {})
    skips = checkov.get("skip")
    if not isinstance(skips, list):
        return
    properties = resource.get("Properties", {})
    kept = [
        skip
        for skip in skips
        if skip.get("id") not in _SKIPPED_FOR_FN_IF
        or any("Fn::If" in str(properties.get(key)) for key in _SKIPPED_FOR_FN_IF[skip["id"]])
    ]
    if kept:
        checkov["skip"] = kept
        return
    del checkov["skip"]
    if not checkov:
        del resource["Metadata"]["checkov"]
    if not resource["Metadata"]:
        del resource["Metadata"]


def _drop_depends_on(resource: dict[str, Any], removed: set[str]) -> None:
    depends = resource.get("DependsOn")
    if depends is None:
        return
    kept = [
        name for name in ([depends] if isinstance(depends, str) else depends) if name not in removed
    ]
    if kept:
        resource["DependsOn"] = kept if len(kept) > 1 else kept[0]
    else:
        del resource["DependsOn"]


def _add_depends_on(resource: dict[str, Any], name: str) -> None:
    depends = resource.get("DependsOn", [])
    listed = [depends] if isinstance(depends, str) else list(depends)
    resource["DependsOn"] = sorted({*listed, name})


def _names_used(node: Any, found: set[str]) -> set[str]:
    """Every name ``node`` refers to (Ref, Fn::GetAtt, Fn::FindInMap, Condition, Fn::If,
    Fn::Sub's ${...})."""
    if isinstance(node, list):
        for item in node:
            _names_used(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("Ref", "Condition") and isinstance(value, str):
                found.add(value)
            elif key in ("Fn::FindInMap", "Fn::If") and isinstance(value, list) and value:
                if isinstance(value[0], str):
                    found.add(value[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                found.update(name.split(".")[0] for name in sub_names(text))
            _names_used(value, found)
    return found


def _without_unused(body: dict[str, Any]) -> dict[str, Any]:
    """Mappings and conditions no resource, output or condition refers to any more (their
    uses ruled out with the decided conditions), left out."""
    while True:
        used = _names_used(
            [body.get("Resources"), body.get("Outputs"), body.get("Conditions")], set()
        )
        unused = {
            section: [name for name in body.get(section, {}) if name not in used]
            for section in ("Mappings", "Conditions")
        }
        if not any(unused.values()):
            return body
        for section, names in unused.items():
            for name in names:
                del body[section][name]
            if section in body and not body[section]:
                del body[section]
