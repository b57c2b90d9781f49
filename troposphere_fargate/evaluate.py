"""What a template deploys for given parameter values, worked out offline.

CloudFormation checks parameter values against their constraints, then the template's
``Rules``, then evaluates ``Conditions`` and creates only the resources (and outputs) whose
condition holds, with every ``Fn::If`` resolved. This module does the same on a template dict,
so tests (and anything that explains a template, such as a diagram) can ask "with
``NatGateways=Single`` and three AZs, which resources exist and where do the routes point?"
without an AWS account.

It implements the condition and rule functions CloudFormation allows there; other intrinsics
(``Ref`` to a resource, ``Fn::GetAtt``, ``Fn::Sub``...) are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_NO_VALUE = {"Ref": "AWS::NoValue"}
_LIST_TYPE = re.compile(r"^(List<.*>|CommaDelimitedList)$")


class ParameterError(ValueError):
    """A parameter value CloudFormation would reject before creating anything."""


class RuleError(ValueError):
    """A template ``Rules`` assertion fails for the given parameter values."""


def parameter_values(template: Mapping[str, Any], given: Mapping[str, str]) -> dict[str, str]:
    """Every parameter's value, defaults filled in, checked against the template's constraints.

    Raises :class:`ParameterError` naming the parameter (and its ``ConstraintDescription``) for an
    unknown parameter, a missing value, or a value outside ``AllowedValues``, ``AllowedPattern``,
    ``MinLength``/``MaxLength`` or ``MinValue``/``MaxValue``.
    """
    declared: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {})
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter(s): {', '.join(unknown)}")
    values: dict[str, str] = {}
    for name, spec in declared.items():
        if name in given:
            value = str(given[name])
        elif "Default" in spec:
            value = str(spec["Default"])
        else:
            raise ParameterError(f"parameter {name} needs a value (it has no default)")
        _check_constraints(name, spec, value)
        values[name] = value
    return values


def _check_constraints(name: str, spec: Mapping[str, Any], value: str) -> None:
    def reject(why: str) -> ParameterError:
        hint = spec.get("ConstraintDescription")
        return ParameterError(f"parameter {name}={value!r} {why}" + (f": {hint}" if hint else ""))

    is_list = bool(_LIST_TYPE.match(str(spec.get("Type", "String"))))
    members = value.split(",") if is_list and value else [value]
    for member in members:
        allowed = spec.get("AllowedValues")
        if allowed is not None and member not in [str(a) for a in allowed]:
            raise reject("is not one of the allowed values")
        pattern = spec.get("AllowedPattern")
        if pattern is not None and not re.fullmatch(pattern, member):
            raise reject(f"does not match the pattern {pattern}")
    if "MinLength" in spec and len(value) < int(spec["MinLength"]):
        raise reject(f"is shorter than {spec['MinLength']} characters")
    if "MaxLength" in spec and len(value) > int(spec["MaxLength"]):
        raise reject(f"is longer than {spec['MaxLength']} characters")
    if spec.get("Type") == "Number":
        try:
            number = float(value)
        except ValueError:
            raise reject("is not a number") from None
        if "MinValue" in spec and number < float(spec["MinValue"]):
            raise reject(f"is below the minimum {spec['MinValue']}")
        if "MaxValue" in spec and number > float(spec["MaxValue"]):
            raise reject(f"is above the maximum {spec['MaxValue']}")


class _Evaluator:
    def __init__(self, template: Mapping[str, Any], values: Mapping[str, str]) -> None:
        self.template = template
        self.values = values
        self.conditions: dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self.conditions:
            definitions = self.template.get("Conditions", {})
            if name not in definitions:
                raise KeyError(f"condition {name} is not defined")
            self.conditions[name] = bool(self.value(definitions[name]))
        return self.conditions[name]

    def value(self, expr: Any) -> Any:
        """Evaluate a condition or rule expression."""
        if isinstance(expr, list):
            return [self.value(item) for item in expr]
        if not isinstance(expr, dict) or len(expr) != 1:
            return expr
        ((fn, arg),) = expr.items()
        if fn == "Ref":
            if arg in self.values:
                return self.values[arg]
            return expr  # a pseudo parameter or a resource: unknown offline
        if fn == "Condition":
            return self.condition(arg)
        if fn == "Fn::Equals":
            left, right = (self.value(a) for a in arg)
            return str(left) == str(right)
        if fn == "Fn::Not":
            return not self.value(arg[0])
        if fn == "Fn::And":
            return all(self.value(a) for a in arg)
        if fn == "Fn::Or":
            return any(self.value(a) for a in arg)
        if fn == "Fn::If":
            name, then, otherwise = arg
            return self.value(then if self.condition(name) else otherwise)
        if fn == "Fn::Contains":
            members, item = (self.value(a) for a in arg)
            return item in members
        if fn == "Fn::EachMemberEquals":
            members, item = (self.value(a) for a in arg)
            return all(m == item for m in members)
        if fn == "Fn::EachMemberIn":
            members, allowed = (self.value(a) for a in arg)
            return all(m in allowed for m in members)
        return expr


def check_rules(template: Mapping[str, Any], values: Mapping[str, str]) -> None:
    """Raise :class:`RuleError` with the ``AssertDescription`` of the first failing assertion."""
    evaluator = _Evaluator(template, values)
    for name, rule in sorted(template.get("Rules", {}).items()):
        if "RuleCondition" in rule and not evaluator.value(rule["RuleCondition"]):
            continue
        for assertion in rule.get("Assertions", []):
            if not evaluator.value(assertion["Assert"]):
                raise RuleError(f"rule {name}: {assertion.get('AssertDescription', 'failed')}")


def resolve(node: Any, evaluator: _Evaluator) -> Any:
    """Resolve ``Fn::If`` and drop ``AWS::NoValue`` throughout a template fragment."""
    if isinstance(node, list):
        return [r for r in (resolve(item, evaluator) for item in node) if r != _NO_VALUE]
    if isinstance(node, dict):
        if len(node) == 1 and "Fn::If" in node:
            name, then, otherwise = node["Fn::If"]
            return resolve(then if evaluator.condition(name) else otherwise, evaluator)
        resolved = {key: resolve(item, evaluator) for key, item in node.items()}
        return {key: item for key, item in resolved.items() if item != _NO_VALUE}
    return node


@dataclass(frozen=True)
class Deployment:
    """What a stack holds for one set of parameter values."""

    parameters: dict[str, str]
    conditions: dict[str, bool]
    resources: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """The resources of one type (``AWS::EC2::Subnet``), by logical ID."""
        return {k: v for k, v in self.resources.items() if v.get("Type") == resource_type}


def deployed(
    template: Mapping[str, Any], parameters: Mapping[str, str] | None = None
) -> Deployment:
    """The stack CloudFormation would create from ``template`` with ``parameters``.

    Parameters not given take their defaults. Parameter constraints and rules are checked first
    (raising :class:`ParameterError` or :class:`RuleError`: CloudFormation would refuse the
    stack); then every resource and output whose condition is false is left out and every
    ``Fn::If`` resolved.
    """
    values = parameter_values(template, parameters or {})
    check_rules(template, values)
    evaluator = _Evaluator(template, values)
    conditions = {name: evaluator.condition(name) for name in template.get("Conditions", {})}
    sections: dict[str, dict[str, dict[str, Any]]] = {}
    for section in ("Resources", "Outputs"):
        kept = {}
        for name, body in template.get(section, {}).items():
            condition = body.get("Condition")
            if condition is None or evaluator.condition(condition):
                body = {key: item for key, item in body.items() if key != "Condition"}
                kept[name] = resolve(body, evaluator)
        sections[section] = kept
    return Deployment(values, conditions, sections["Resources"], sections["Outputs"])
