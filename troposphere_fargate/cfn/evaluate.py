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

import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..errors import close_match, expect_template, expect_texts
from .intrinsics import (
    FUNCTIONS,
    SUB_VARIABLE,
    as_text,
    described,
    select_index,
    shape_problems,
    sub_name,
    sub_names,
)
from .java_regex import NotReadable, python_pattern
from .yaml import template_problem

_NO_VALUE = {"Ref": "AWS::NoValue"}
_LIST_TYPE = re.compile(r"^(List<.*>|CommaDelimitedList)$")


class ParameterError(ValueError):
    """A parameter value CloudFormation would reject before creating anything. ``problems``:
    each refused value's line, when several are refused at once (the message joins them)."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems) or [message]


class RuleError(ValueError):
    """A template ``Rules`` assertion fails for the given parameter values. ``problems``: each
    failing assertion's line, when several fail (the message joins them)."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems) or [message]


def default_text(value: Any) -> str:
    """A parameter's ``Default`` as the text CloudFormation takes it for: a YAML ``true`` is
    ``true`` (the template is JSON to CloudFormation), not Python's ``True``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parameter_values(template: Mapping[str, Any], given: Mapping[str, str]) -> dict[str, str]:
    """Every parameter's value, defaults filled in, checked against the template's constraints.

    Raises :class:`ParameterError` naming the parameter (and its ``ConstraintDescription``) for an
    unknown parameter, a missing value, or a value outside ``AllowedValues``, ``AllowedPattern``,
    ``MinLength``/``MaxLength`` or ``MinValue``/``MaxValue``: every one at once (its
    ``problems``, joined by "; " in its message).
    """
    declared: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {})
    problems = []
    unknown = sorted(set(given) - set(declared))
    if unknown:
        problems.append(
            "unknown parameter(s): "
            + ", ".join(f"{name}{closest(name, declared)}" for name in unknown)
        )
    values: dict[str, str] = {}
    for name, spec in declared.items():
        value = _checked_value(name, spec, given, problems, types=False)
        if value is not None:
            values[name] = value
    if problems:
        raise ParameterError("; ".join(problems), problems)
    return values


def parameter_problems(
    template: Mapping[str, Any], given: Mapping[str, str], deferred: Iterable[str] = ()
) -> list[str]:
    """Every reason CloudFormation would refuse these parameter values before creating anything,
    one line each (an empty list when it would take them): unknown parameters, missing values,
    values outside their constraints (with the ``ConstraintDescription``), and values of the
    AWS-specific types (``AWS::EC2::VPC::Id``, ``List<AWS::EC2::Subnet::Id>``...) that are not
    ids of that kind (whether the id exists in the account only CloudFormation can tell).
    ``deferred`` parameters get their value only when the stack is created (a nested stack's
    parameter fed by another stack's output): they are not asked for."""
    declared: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {})
    # A parameter the template's generator left out on purpose says why (stackset.yaml's).
    metadata = template.get("Metadata")
    stamp = metadata.get("TroposphereFargate") or {} if isinstance(metadata, Mapping) else {}
    why: Mapping[str, Any] = stamp.get("NotOffered") or {} if isinstance(stamp, Mapping) else {}
    problems = [
        f"unknown parameter {name}: {why[name]}"
        if name in why
        else f"unknown parameter {name}{closest(name, declared)}"
        for name in sorted(set(given) - set(declared))
    ]
    later = set(deferred)
    for name, spec in declared.items():
        if name not in later or name in given:
            _checked_value(name, spec, given, problems, types=True)
    return problems


def _checked_value(
    name: str,
    spec: Mapping[str, Any],
    given: Mapping[str, str],
    problems: list[str],
    *,
    types: bool,
) -> str | None:
    """A parameter's value (given, else its default), with what is wrong with it appended to
    ``problems``: no value (then ``None``), its size, its constraints and, with ``types``, its
    AWS-specific type."""
    if name in given:
        value = str(given[name])
    elif "Default" in spec:
        value = default_text(spec["Default"])
    else:
        problems.append(f"parameter {name} needs a value (it has no default)")
        return None
    try:
        _check_size(name, value, given)
        _check_constraints(name, spec, value)
        if types:
            _check_type(name, spec, value)
    except ParameterError as exc:
        problems.append(str(exc))
    return value


# What an AWS region name looks like (eu-west-1, us-gov-east-1, cn-north-1, us-isob-east-1),
# and an Availability Zone's: its region's and a letter (eu-west-1a).
REGION_NAME = re.compile(r"[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+")
ZONE_NAME = re.compile(REGION_NAME.pattern + "[a-z]")


def zone_region(zone: str) -> str | None:
    """The region an Availability Zone name is of (eu-west-1 for eu-west-1a); ``None`` for a
    text that is no zone name."""
    return zone[:-1] if ZONE_NAME.fullmatch(zone) else None


def named_twice(items: Sequence[str]) -> list[str]:
    """The items named more than once, each once, sorted."""
    return sorted({item for item in items if items.count(item) > 1})


# What an id of each AWS-specific parameter type looks like (CloudFormation's "Supported
# AWS-specific parameter types"); it also checks that the id exists, which offline cannot be.
_ID_PATTERNS = {
    "AWS::EC2::VPC::Id": r"vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?",
    "AWS::EC2::Subnet::Id": r"subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?",
    "AWS::EC2::SecurityGroup::Id": r"sg-[0-9a-f]{8}(?:[0-9a-f]{9})?",
    "AWS::EC2::AvailabilityZone::Name": ZONE_NAME.pattern,
    "AWS::Route53::HostedZone::Id": r"Z[A-Z0-9]{1,31}",
}
# How each of those ids is written, for the message that refuses one.
_ID_FORMS = {
    "AWS::EC2::VPC::Id": "vpc- and 8 or 17 hexadecimal digits, such as vpc-0123456789abcdef0",
    "AWS::EC2::Subnet::Id": "subnet- and 8 or 17 hexadecimal digits, such as subnet-0123abcd",
    "AWS::EC2::SecurityGroup::Id": "sg- and 8 or 17 hexadecimal digits, such as sg-0123abcd",
    "AWS::EC2::AvailabilityZone::Name": "a zone name such as eu-west-1a",
    "AWS::Route53::HostedZone::Id": "Z and up to 31 capital letters and digits",
}


def closest(name: str, declared: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the declared parameter ``name`` most looks like (case
    aside: CloudFormation's names are case-sensitive), or the names declared when few."""
    names = sorted(declared)
    close = close_match(name, names)
    if close:
        return f" (did you mean {close}?)"
    if len(names) <= 16:
        return f" (it takes {', '.join(names)})" if names else " (it takes none)"
    return ""


# "Parameter value: Maximum size of a parameter value. 4,096 bytes" (Understand CloudFormation
# quotas, User Guide), so UTF-8's (an é two, a 日 three). A value given, that is: the quota says
# nothing of a Default, which the template holds.
PARAMETER_VALUE_BYTES = 4096


def _check_size(name: str, value: str, given: Mapping[str, str]) -> None:
    size = len(value.encode("utf-8", "surrogatepass"))
    if name in given and size > PARAMETER_VALUE_BYTES:
        raise ParameterError(
            f"parameter {name} is {size:,} bytes (UTF-8); CloudFormation takes a parameter "
            f"value of {PARAMETER_VALUE_BYTES:,} bytes at most"
        )


def _check_type(name: str, spec: Mapping[str, Any], value: str) -> None:
    kind = str(spec.get("Type", "String"))
    listed = re.fullmatch(r"List<(.+)>", kind)
    single = listed.group(1) if listed else kind
    if single.startswith("AWS::") and value.strip() == "":
        # "anyone using your template must specify valid values from the AWS account and
        # Region", and for the Systems Manager types "Parameter Store keys" (User Guide,
        # cloudformation-supplied-parameter-types.html): no empty one, which is why templates
        # that make an id optional take it as a String (buildkite/on-demand#2: a
        # List<AWS::EC2::Subnet::Id> "doesn't support an empty string as a value").
        raise ParameterError(
            f"parameter {name}='{value}' is not {_article(kind)} {kind}: CloudFormation takes "
            "only what exists in the account and region there, not an empty value"
        )
    pattern = _ID_PATTERNS.get(single)
    if pattern is None:
        return
    for member in [m.strip() for m in value.split(",")] if listed else [value]:
        if not re.fullmatch(pattern, member):
            raise ParameterError(
                f"parameter {name}={value!r} is not {_article(kind)} {kind}: {member!r} is not "
                f"such an id ({_ID_FORMS[single]})"
            )


def _article(kind: str) -> str:
    return "an" if kind.startswith("AWS") else "a"


def _which_items(pattern: _JavaPattern, value: str, member: bool) -> str:
    """Which item of a comma-separated value a pattern refuses, when the pattern takes items
    alone (a list of ids as a String): `` ('subnet-xyz' does not)``, or ``""``."""
    if member:
        return f" ({value!r} does not)"
    items = [item.strip() for item in value.split(",")]
    failing = [item for item in items if not pattern.fullmatch(item)]
    if len(items) < 2 or not failing or len(failing) == len(items):
        return ""
    return f" ({', '.join(map(repr, failing))} {'does' if len(failing) == 1 else 'do'} not)"


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _number(text: str) -> float | None:
    """A parameter value read as a number, or None for one that is no number. Python's
    float() reads ``1_0`` as 10 (PEP 515), which Java's Double.parseDouble and BigDecimal, the
    ways a Java service reads a number, refuse; and "NaN" compares false with every bound, so
    it passed them. What both Java readers take (spaces around for the first, any Unicode
    digit for the second) is taken: which one CloudFormation uses is not documented, and a
    check that refuses what CloudFormation takes is worse than none."""
    if "_" in text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if math.isfinite(number):
        return number
    # Digits too large for a double (1e400): both Java readers take them (BigDecimal exactly,
    # parseDouble as infinity), and the bounds still judge them; "Infinity" and "NaN" are
    # parseDouble's words alone, which the bounds could not judge.
    return number if _DECIMAL.fullmatch(text.strip()) else None


def _utf16_units(text: str) -> int:
    """The length Java's ``String.length()`` gives ``text``: its UTF-16 code units, two for a
    character beyond U+FFFF (an emoji), one for any other."""
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


class _JavaPattern(NamedTuple):
    """A parameter's AllowedPattern as written (Java's syntax) and as Python reads it alike."""

    java: str
    python: re.Pattern[str]

    def fullmatch(self, value: str) -> bool:
        return self.python.fullmatch(value) is not None


def _java_pattern(spec: Mapping[str, Any]) -> _JavaPattern | None:
    """A parameter's AllowedPattern, read as CloudFormation reads it (Java's regex syntax); None
    when it has none, or one :func:`unreadable_patterns` names: it is then not checked, as a
    check that reads a pattern otherwise than CloudFormation takes or refuses other values."""
    pattern = spec.get("AllowedPattern")
    if not isinstance(pattern, str):
        return None
    try:
        return _JavaPattern(pattern, python_pattern(pattern))
    except NotReadable:
        return None


def unreadable_patterns(template: Mapping[str, Any]) -> dict[str, str]:
    """The parameters whose AllowedPattern the dry run cannot read as CloudFormation does (it
    reads them as Java regular expressions: "All regular expressions in CloudFormation conform
    to the Java regex syntax", CloudFormation User Guide), each with why: their values are not
    checked against it. Java's POSIX classes (``\\p{Alpha}``), ``\\Q...\\E``, ``\\z`` and
    the rest are read as Java reads them; a Unicode property, a backreference, ``\\b``, set
    operations inside a class or a flag other than ``i`` are not, nor a pattern Java refuses."""
    found = {}
    for name, spec in (template.get("Parameters") or {}).items():
        pattern = spec.get("AllowedPattern") if isinstance(spec, Mapping) else None
        if pattern is None:
            continue
        if not isinstance(pattern, str):
            found[name] = f"it is not text ({pattern!r})"
            continue
        try:
            python_pattern(pattern)
        except NotReadable as exc:
            found[name] = str(exc)
    return found


def _check_constraints(name: str, spec: Mapping[str, Any], value: str) -> None:
    def reject(why: str) -> ParameterError:
        hint = spec.get("ConstraintDescription")
        return ParameterError(f"parameter {name}={value!r} {why}" + (f": {hint}" if hint else ""))

    is_list = bool(_LIST_TYPE.match(str(spec.get("Type", "String"))))
    # CloudFormation trims the spaces around each member of a list parameter.
    members = [m.strip() for m in value.split(",")] if is_list and value else [value]
    for member in members:
        allowed = spec.get("AllowedValues")
        # The template is JSON to CloudFormation: an allowed value written as a YAML or JSON
        # true (or YAML 1.1's Yes) is "true", as a Default is (default_text).
        if allowed is not None and member not in [default_text(a) for a in allowed]:
            raise reject("is not one of the allowed values")
        pattern = _java_pattern(spec)
        if pattern is not None and not pattern.fullmatch(member):
            # CloudFormation shows the ConstraintDescription instead of the pattern when the
            # template gives one; so does this message.
            hint = spec.get("ConstraintDescription")
            why = "does not match its pattern" if hint else f"does not match {pattern.java}"
            raise reject(why + _which_items(pattern, member, is_list and len(members) > 1))
    # "The smallest (largest) number of characters you want to allow for String types"
    # (User Guide, Parameters template section syntax): characters, which Java, as
    # CloudFormation runs, may count as UTF-16 units (an emoji two) or as code points (one).
    # Which is not documented: a value is refused only when both counts refuse it.
    if "MinLength" in spec and _utf16_units(value) < int(spec["MinLength"]):
        raise reject(f"is shorter than {spec['MinLength']} characters")
    if "MaxLength" in spec and len(value) > int(spec["MaxLength"]):
        raise reject(f"is longer than {spec['MaxLength']} characters")
    if spec.get("Type") == "List<Number>" and value:  # "": an empty list, as for the others
        # "An array of integers or floats ... CloudFormation validates the parameter value as
        # numbers" (User Guide, Parameters template section syntax, Supported parameter types).
        odd = [member for member in members if _number(member) is None]
        if odd:
            raise reject(f"holds {', '.join(map(repr, odd))}, not a number")
    if spec.get("Type") == "Number":
        number = _number(value)
        if number is None:
            raise reject("is not a number")
        if "MinValue" in spec and number < float(spec["MinValue"]):
            raise reject(f"is below the minimum {spec['MinValue']}")
        if "MaxValue" in spec and number > float(spec["MaxValue"]):
            raise reject(f"is above the maximum {spec['MaxValue']}")


# Values of the pseudo parameters when the caller gives none: a commercial-partition stack.
PSEUDO_PARAMETERS: dict[str, str] = {
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::Region": "us-east-1",
    "AWS::StackName": "stack",
    "AWS::URLSuffix": "amazonaws.com",
}


# Every pseudo parameter a caller may give a value (CloudFormation User Guide, Pseudo parameters
# reference; AWS::NoValue has none).
PSEUDO_PARAMETER_NAMES = (
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
)


def _launch_placeholders(stack: Mapping[str, str]) -> dict[str, str]:
    """``AWS::StackId`` and ``AWS::NotificationARNs`` of a stack launched with these pseudo
    parameter values: its ID in the User Guide's form (``arn:aws:cloudformation:us-west-2:
    123456789012:stack/teststack/51af3dc0-...``) with a UUID of zeros, and no notification
    topics (the console's and ``create-stack``'s default). A condition may compare them
    ("Pseudo parameters are automatically available", Conditions syntax), as it may the
    account ID, whose stand-in is :data:`PSEUDO_PARAMETERS`'s."""
    arn = ":".join(
        (
            "arn",
            stack["AWS::Partition"],
            "cloudformation",
            stack["AWS::Region"],
            stack["AWS::AccountId"],
            f"stack/{stack['AWS::StackName']}/00000000-0000-0000-0000-000000000000",
        )
    )
    return {"AWS::StackId": arn, "AWS::NotificationARNs": ""}


def _members(value: str) -> list[str]:
    """A list parameter's value as its list: the comma-separated members, each stripped; none
    for an empty value."""
    return [member.strip() for member in value.split(",")] if value else []


def literals(value: Any) -> Iterator[str]:
    """Every string in a template's structure (or a part of it), in order: the literals of its
    values, functions' arguments included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from literals(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from literals(inner)


def pseudo_for_region(region: str) -> dict[str, str]:
    """Pseudo parameter values of a stack in ``region``: its partition and URL suffix follow."""
    partition = (
        "aws-cn" if region.startswith("cn-") else "aws-us-gov" if "-gov-" in region else "aws"
    )
    suffix = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
    return {"AWS::Region": region, "AWS::Partition": partition, "AWS::URLSuffix": suffix}


def region_name_problem(region: str) -> str | None:
    """Why ``region`` is no region name, or None."""
    if not REGION_NAME.fullmatch(region):
        return f"{region!r} is not a region name (such as eu-west-1)"
    return None


def claimed_regions(template: Mapping[str, Any]) -> list[str]:
    """The regions ``template`` lists in its ``Metadata.cfn-lint.config.regions`` (those its
    build linted it for: ``render_templates`` stamps them, ``instance_template`` carries those
    its children share; one may be written as text), or none when it lists none."""
    metadata = template.get("Metadata")
    lint = metadata.get("cfn-lint") if isinstance(metadata, Mapping) else None
    config = lint.get("config") if isinstance(lint, Mapping) else None
    claimed = config.get("regions") if isinstance(config, Mapping) else None
    if isinstance(claimed, str):
        return [claimed]
    return [r for r in claimed if isinstance(r, str)] if isinstance(claimed, list) else []


def region_problem(template: Mapping[str, Any], region: str) -> str | None:
    """Why ``template`` cannot be evaluated as a stack in ``region``, or None.

    A name that is no region is refused, and so is a region of an isolated partition (only the
    commercial, China and GovCloud partitions' pseudo parameters are known here); so is a
    region the template does not list in its ``Metadata.cfn-lint.config.regions`` (the regions
    its build linted it for, where its region mappings have an entry), which CloudFormation
    would otherwise refuse later with "Unable to get mapping for ...". cfn-lint's
    ``ALL_REGIONS`` there lists every region.
    """
    named = region_name_problem(region)
    if named:
        return named
    if "-iso" in region:
        return f"{region} is in an isolated partition, which these templates are not made for"
    claimed = claimed_regions(template)
    if not claimed or "ALL_REGIONS" in claimed:
        return None
    if region not in claimed:
        made_for = "1 region" if len(claimed) == 1 else f"{len(claimed)} regions"
        return (
            f"the template is made for {made_for} (Metadata.cfn-lint.config.regions) and "
            f"{region} is not one of them"
        )
    return None


# The functions CloudFormation evaluates in each section (its "Condition functions" and "Rule
# functions" references). Anything else there is an error, as CloudFormation would say.
# Fn::Join is how a template asks whether a list parameter is empty (an empty list joins to "");
# CloudFormation evaluates it in conditions, and cfn-lint accepts it there, with Fn::Select,
# Fn::Split and Fn::Sub (the functions cfn-lint's schema of Fn::Equals takes, its
# data/schemas/other/functions/equals.json; Fn::Length and Fn::ToJsonString too, under
# AWS::LanguageExtensions, which the dry run reads only processed): "!Equals [!Select [0,
# !Split [...]], ...]" deploys (DontShaveTheYak/cloud-radar#179: "The CFN template functions
# as expected when deployed to AWS"; localstack/localstack#9311, "an AWS validated test").
# Fn::If is no condition of the Conditions section ("You define all conditions in the
# Conditions section of a template except for Fn::If conditions", Condition functions):
# cfn-lint refuses it there (E8001), and a condition chosen by another condition is an Fn::And
# or Fn::Or of them.
_CONDITION_FUNCTIONS = frozenset(
    {
        "Ref",
        "Condition",
        "Fn::And",
        "Fn::Equals",
        "Fn::Not",
        "Fn::Or",
        "Fn::FindInMap",
        "Fn::Join",
        "Fn::Select",
        "Fn::Split",
        "Fn::Sub",
    }
)
_RULE_FUNCTIONS = frozenset(
    {
        "Ref",
        "Fn::And",
        "Fn::Contains",
        "Fn::EachMemberEquals",
        "Fn::EachMemberIn",
        "Fn::Equals",
        "Fn::Not",
        "Fn::Or",
    }
)
# The rule functions whose values are the account's (every VPC id, a subnet's VPC, a tag): known
# only when CloudFormation checks the rule at launch.
_ACCOUNT_FUNCTIONS = frozenset({"Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll"})

# How many arguments each function takes (the fewest and the most), as its reference declares
# it: "Fn::Equals" : ["value_1", "value_2"]; "Fn::Not": [{condition}]; Fn::And and Fn::Or "The
# minimum number of conditions that you can include is 2, and the maximum is 10"; "Fn::If":
# [condition_name, value_if_true, value_if_false]; "Fn::FindInMap" : [ "MapName",
# "TopLevelKey", "SecondLevelKey"]; { "Fn::Join" : [ "delimiter", [ ... ] ] }; "Fn::Contains" :
# [[list_of_strings], string] and the other rule functions alike.
_ARGUMENTS = {
    "Fn::And": (2, 10),
    "Fn::Contains": (2, 2),
    "Fn::EachMemberEquals": (2, 2),
    "Fn::EachMemberIn": (2, 2),
    "Fn::Equals": (2, 2),
    "Fn::FindInMap": (3, 3),
    "Fn::If": (3, 3),
    "Fn::Join": (2, 2),
    "Fn::Not": (1, 1),
    "Fn::Or": (2, 10),
    "Fn::Select": (2, 2),
    "Fn::Split": (2, 2),
    "Fn::ValueOf": (2, 2),
    "Fn::ValueOfAll": (2, 2),
}


class EvaluationError(ValueError):
    """The template uses something CloudFormation could not evaluate where it stands."""


class KnownAtLaunch(EvaluationError):
    """An expression reads a value not known here: what only the account holds
    (``Fn::RefAll``, ``Fn::ValueOf``, ``Fn::ValueOfAll``, which CloudFormation looks up when it
    checks the rule), or a parameter given no value; or, in a rule, a function CloudFormation
    has that the dry run does not evaluate there (``Fn::If``, ``Fn::Join``...), or a rule
    function given arguments of another kind than its reference shows (``Fn::Contains`` of a
    string for its list): the rule is left for CloudFormation, not refused."""


class _OnStandIns(EvaluationError):
    """A refusal that rests on the dry run's stand-ins for what a launch gives (the stack's ID,
    no notification topics), and says so."""


def _count(count: int, one: str) -> str:
    return f"{count} {one}" if count == 1 else f"{count} {one}s"


def _arguments(fn: str, arg: Any, where: str) -> list[Any]:
    """``arg`` as the list of arguments ``fn`` takes, or an EvaluationError naming both."""
    fewest, most = _ARGUMENTS[fn]
    wanted = _count(fewest, "value") if fewest == most else f"{fewest} to {most} values"
    at = f"{where}: " if where else ""
    if not isinstance(arg, list):
        raise EvaluationError(f"{at}{fn} takes a list of {wanted}, not {described(arg)}")
    if not fewest <= len(arg) <= most:
        raise EvaluationError(f"{at}{fn} takes a list of {wanted}, not {len(arg)}")
    return arg


class _Evaluator:
    def __init__(
        self,
        template: Mapping[str, Any],
        values: Mapping[str, str],
        pseudo: Mapping[str, str] | None = None,
    ) -> None:
        self.template = template
        stack = {**PSEUDO_PARAMETERS, **(pseudo or {})}
        # Stand-ins for what only a launch knows, where no value is given: kept to conditions
        # and rules (resolved() leaves a resource's Ref to them as it is).
        self.placeholders = {
            name: value for name, value in _launch_placeholders(stack).items() if name not in stack
        }
        self.values = {**self.placeholders, **stack, **values}
        self.lists = {
            name
            for name, spec in template.get("Parameters", {}).items()
            if _LIST_TYPE.match(str(spec.get("Type", "String")))
        } | {"AWS::NotificationARNs"}
        self.declared = set(template.get("Parameters", {}))
        self.conditions: dict[str, bool] = {}
        self.deciding: list[str] = []  # the conditions being evaluated, outermost first

    def condition(self, name: Any, where: str = "") -> bool:
        if not isinstance(name, str):
            at = f"{where}: " if where else ""
            raise EvaluationError(f"{at}a condition is named by a string, not {described(name)}")
        if name not in self.conditions:
            definitions = self.template.get("Conditions", {})
            if name not in definitions:
                raise EvaluationError(f"condition {name} is not defined")
            if name in self.deciding:
                # Its value would be its own: CloudFormation cannot decide it.
                loop = " > ".join([*self.deciding[self.deciding.index(name) :], name])
                raise EvaluationError(
                    f"condition {name} depends on itself ({loop}): CloudFormation cannot "
                    "decide a circular condition"
                )
            self.deciding.append(name)
            try:
                where = f"condition {name}"
                value = self.value(definitions[name], _CONDITION_FUNCTIONS, where)
                self.conditions[name] = self._truth(value, where)
            except EvaluationError as error:
                assumed = self._assumed(definitions[name])
                if not assumed or isinstance(error, KnownAtLaunch | _OnStandIns):
                    raise  # named once, by the innermost condition that reads them
                # A refusal that holds only for the stand-ins says so: a launch with
                # notification topics would decide the condition.
                raise _OnStandIns(f"{error} (the dry run takes {assumed})") from None
            finally:
                self.deciding.pop()
        return self.conditions[name]

    def _assumed(self, definition: Any) -> str:
        """The stand-ins a condition's definition reads, as a refusal names them."""
        read = sorted(referred(definition) & set(self.placeholders))
        return ", ".join(
            f"{name} as no topics"
            if name == "AWS::NotificationARNs"
            else f"{name} as {self.placeholders[name]}"
            for name in read
        )

    @staticmethod
    def _truth(result: Any, where: str) -> bool:
        if not isinstance(result, bool):
            raise EvaluationError(f"{where} does not evaluate to true or false: {result!r}")
        return result

    def value(self, expr: Any, allowed: frozenset[str], where: str = "here") -> Any:
        """Evaluate an expression made of the ``allowed`` functions and literals (``where``
        it stands names it in an error: ``condition IsProd``)."""
        if isinstance(expr, list):
            return [self.value(item, allowed, where) for item in expr]
        if not isinstance(expr, dict):
            return expr
        if len(expr) != 1:
            raise EvaluationError(f"{where}: not a function call: {expr!r}")
        ((fn, arg),) = expr.items()
        if fn in _ACCOUNT_FUNCTIONS and allowed is _RULE_FUNCTIONS:
            raise KnownAtLaunch(f"{where}: {fn} reads the account's resources")
        if fn not in allowed:
            if allowed is _RULE_FUNCTIONS and fn in FUNCTIONS:
                # Service Catalog's rule functions include Fn::If, and cfn-lint takes the value
                # functions in an assertion: not evaluated here, left for CloudFormation.
                raise KnownAtLaunch(f"{where}: {fn} is not evaluated offline in a rule")
            raise EvaluationError(f"{where}: {fn} cannot be used here: {expr!r}")
        if fn == "Ref":
            if not isinstance(arg, str):
                raise EvaluationError(f"{where}: Ref takes a name, not {described(arg)}")
            if arg not in self.values:
                if arg in PSEUDO_PARAMETER_NAMES or arg in self.declared:  # no value here
                    raise KnownAtLaunch(f"{where}: Ref {arg} names no parameter")
                raise EvaluationError(f"{where}: Ref {arg} names no parameter")
            if arg in self.lists:
                return _members(self.values[arg])
            return self.values[arg]
        if fn == "Condition":
            return self.condition(arg, where)
        if fn == "Fn::Sub":
            return self._substitution(arg, allowed, where)
        args = _arguments(fn, arg, where)
        if fn == "Fn::FindInMap":
            mapping, first, second = (as_text(self.value(a, allowed, where)) for a in args)
            try:
                return self.template["Mappings"][mapping][first][second]
            except (KeyError, TypeError):
                # CloudFormation's own words for it (it names the keys as resolved).
                raise EvaluationError(
                    f"Unable to get mapping for {mapping}::{first}::{second}"
                ) from None
        return self._called(fn, [self.value(a, allowed, where) for a in args], where)

    def _substitution(self, arg: Any, allowed: frozenset[str], where: str) -> str:
        """An ``Fn::Sub`` in a condition: its text with each ``${Name}`` of a parameter, a
        pseudo parameter or its own variables filled in ("Fn::Sub: String or { "Fn::Sub" : [
        String, { Var1Name: Var1Value, ... } ] }", Template Reference); a condition has no
        resource to name."""
        if isinstance(arg, str):
            text, variables = arg, {}
        elif (
            isinstance(arg, list)
            and len(arg) == 2
            and isinstance(arg[0], str)
            and isinstance(arg[1], dict)
        ):
            text, variables = arg
        else:
            raise EvaluationError(
                f"{where}: Fn::Sub takes a string, or a string and a mapping of variables, not "
                f"{described(arg)}"
            )
        own = {name: self.value(value, allowed, where) for name, value in variables.items()}
        known = {name: self.values[name] for name in self.values if name not in self.lists}
        filled, whole = _filled(text, {**known, **own})
        if not whole:
            raise EvaluationError(
                f"{where}: Fn::Sub {text!r} names what a condition cannot know (a resource, or "
                "a list parameter)"
            )
        return filled

    def _called(self, fn: str, args: list[Any], where: str) -> Any:
        """The value of ``fn`` (of those taking a list) of the evaluated ``args``."""
        if fn == "Fn::Split":
            delimiter, source = args
            if not isinstance(delimiter, str) or not isinstance(source, str):
                raise EvaluationError(
                    f"{where}: Fn::Split takes a delimiter and a string, not "
                    f"{described(delimiter)} and {described(source)}"
                )
            if not delimiter:
                # "delimiter: A string value that determines where the source string is
                # divided" (Template Reference, Fn::Split): where an empty one divides it is
                # not documented (it was Python's "ValueError: empty separator" traceback).
                raise EvaluationError(
                    f"{where}: Fn::Split's delimiter is empty: where CloudFormation divides "
                    "the string then is not documented, so the dry run cannot decide this"
                )
            return source.split(delimiter)
        if fn == "Fn::Select":
            index, items = args
            number = select_index(index)
            if number is None or not isinstance(items, list):
                raise EvaluationError(
                    f"{where}: Fn::Select takes an index and a list, not {described(index)} "
                    f"and {described(items)}"
                )
            if number >= len(items):
                raise EvaluationError(
                    f"{where}: Fn::Select's index {number} is past the end of a list of "
                    f"{len(items)}: CloudFormation fails the stack"
                )
            return items[number]
        if fn == "Fn::Join":
            delimiter, members = args
            if not isinstance(delimiter, str) or not isinstance(members, list):
                raise EvaluationError(
                    f"{where}: Fn::Join takes a delimiter and a list of values, not "
                    f"{described(delimiter)} and {described(members)}"
                )
            return delimiter.join(_joined(members, where))
        if fn == "Fn::Equals":
            left, right = args
            return as_text(left) == as_text(right)
        if fn == "Fn::Not":
            return not self._truth(args[0], f"{where}: Fn::Not")
        if fn == "Fn::And":
            return all([self._truth(a, f"{where}: Fn::And") for a in args])
        if fn == "Fn::Or":
            return any([self._truth(a, f"{where}: Fn::Or") for a in args])
        # The rule functions: [[list_of_strings], string], and [[strings], [strings]].
        members, other = args
        if (
            not isinstance(members, list)
            or isinstance(other, dict)
            or (isinstance(other, list) != (fn == "Fn::EachMemberIn"))
        ):
            # What CloudFormation makes of other arguments (a String parameter's Ref for the
            # list) is not documented, and cfn-lint takes them: the rule is left unchecked.
            second = "a list of strings" if fn == "Fn::EachMemberIn" else "a string"
            raise KnownAtLaunch(
                f"{where}: {fn} takes a list of strings and {second}, not {described(members)} and "
                f"{described(other)}"
            )
        texts = [as_text(member) for member in members]
        if fn == "Fn::Contains":
            return as_text(other) in texts
        if fn == "Fn::EachMemberEquals":
            return all(text == as_text(other) for text in texts)
        return all(text in [as_text(item) for item in other] for text in texts)


def _joined(members: list[Any], where: str) -> list[str]:
    """The texts an Fn::Join joins: each member a text, a number or a boolean ("The list of
    values you want combined"; a list there, such as a list parameter's Ref, is refused)."""
    texts = []
    for member in members:
        if member is None or isinstance(member, list | dict):
            raise EvaluationError(
                f"{where}: Fn::Join joins strings, and its list holds {described(member)}"
            )
        texts.append(str(as_text(member)))
    return texts


def check_rules(
    template: Mapping[str, Any], values: Mapping[str, str], pseudo: Mapping[str, str] | None = None
) -> None:
    """Raise :class:`RuleError` with the ``AssertDescription`` of every failing assertion (its
    ``problems``, joined by "; " in its message); an :class:`EvaluationError` for a rule that
    cannot be evaluated (see :func:`rule_problems`, which sets those apart instead)."""
    evaluator = _Evaluator(template, values, pseudo)
    failed = []
    stored = _stored(template)
    for name, rule in sorted(template.get("Rules", {}).items()):
        if stored & referred(rule):
            raise EvaluationError(f"rule {name} reads a Systems Manager parameter's stored value")
        failed += _failed_assertions(evaluator, name, rule)
    if failed:
        raise RuleError("; ".join(failed), failed)


def _failed_assertions(evaluator: _Evaluator, name: str, rule: Mapping[str, Any]) -> list[str]:
    """``rule NAME: AssertDescription`` of each of the rule's assertions that fails, none when
    its ``RuleCondition`` is false. The rule is of the shape the Rules section syntax gives:
    "Assertions: [ { Assert: ..., AssertDescription: ... } ]" (CloudFormation User Guide,
    Rules template section syntax)."""
    where = f"rule {name}"
    if "RuleCondition" in rule:
        holds = evaluator.value(rule["RuleCondition"], _RULE_FUNCTIONS, where)
        if not evaluator._truth(holds, where):
            return []
    assertions = rule.get("Assertions", [])
    if not isinstance(assertions, list):
        raise EvaluationError(f"{where}: its Assertions are {described(assertions)}, not a list")
    failed = []
    for assertion in assertions:
        if not isinstance(assertion, Mapping) or "Assert" not in assertion:
            got = "one without" if isinstance(assertion, Mapping) else described(assertion)
            raise EvaluationError(f"{where}: an assertion is a mapping with an Assert, not {got}")
        holds = evaluator.value(assertion["Assert"], _RULE_FUNCTIONS, where)
        if not evaluator._truth(holds, where):
            failed.append(f"{where}: {assertion.get('AssertDescription', 'failed')}")
    return failed


def rule_problems(
    template: Mapping[str, Any], values: Mapping[str, str], pseudo: Mapping[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """(every failing assertion as ``rule NAME: AssertDescription``, and every rule
    CloudFormation cannot evaluate as ``rule NAME: why``; the rules that could not be evaluated
    because they need a value known only at launch), unlike :func:`check_rules`, which stops at
    the first failure."""
    evaluator = _Evaluator(template, values, pseudo)
    failed, unknown = [], []
    # A parameter of type AWS::SSM::Parameter::Value<...> is given a Parameter Store name, and
    # CloudFormation uses the value stored under it, known only when the stack is created: a
    # rule that reads one cannot be decided offline (AWS CDK's CheckBootstrapVersion was
    # judged on the name /cdk-bootstrap/.../version, as if it were the version).
    stored = _stored(template)
    for name, rule in sorted(template.get("Rules", {}).items()):
        if stored & referred(rule):
            unknown.append(name)
            continue
        try:
            failed += _failed_assertions(evaluator, name, rule)
        except KnownAtLaunch:  # the account's resources (Fn::RefAll...), or Fn::If, Fn::Join...
            unknown.append(name)
        except EvaluationError as exc:  # a rule CloudFormation refuses, as the template
            text = str(exc)
            failed.append(text if text.startswith(f"rule {name}") else f"rule {name}: {text}")
    return failed, unknown


_STORED = "AWS::SSM::Parameter::Value<"


def _stored(template: Mapping[str, Any]) -> set[str]:
    """The parameters of type AWS::SSM::Parameter::Value<...>: each given a Parameter Store
    name, whose stored value CloudFormation uses, known only when the stack is created."""
    return {
        name
        for name, spec in template.get("Parameters", {}).items()
        if isinstance(spec, Mapping) and str(spec.get("Type", "")).startswith(_STORED)
    }


def resolve(node: Any, evaluator: _Evaluator) -> Any:
    """Resolve ``Fn::If`` and drop ``AWS::NoValue`` throughout a template fragment."""
    if isinstance(node, list):
        return [r for r in (resolve(item, evaluator) for item in node) if r != _NO_VALUE]
    if isinstance(node, dict):
        if len(node) == 1 and "Fn::If" in node:
            name, then, otherwise = _arguments("Fn::If", node["Fn::If"], "")
            return resolve(then if evaluator.condition(name) else otherwise, evaluator)
        resolved = {key: resolve(item, evaluator) for key, item in node.items()}
        return {key: item for key, item in resolved.items() if item != _NO_VALUE}
    return node


@dataclass(frozen=True)
class Deployment:
    """What a stack holds for one set of parameter values (what :func:`deployed` returns).

    Attributes:
        parameters: every parameter's value as text, by name: those given, and the defaults of
            the others (``{"NumberOfAzs": "2", ...}``).
        conditions: every condition of the template, by name, decided for those values.
        resources: the resources whose condition holds, by logical ID, each as the template
            writes it less its ``Condition``, with every ``Fn::If`` resolved and every
            ``AWS::NoValue`` dropped; a ``Ref``, ``Fn::Sub`` or ``Fn::GetAtt`` stays as written.
        outputs: the outputs whose condition holds, by name, resolved as the resources are.
    """

    parameters: dict[str, str]
    conditions: dict[str, bool]
    resources: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """The resources of one type (``AWS::EC2::Subnet``), by logical ID."""
        return {k: v for k, v in self.resources.items() if v.get("Type") == resource_type}


def deployed(
    template: Mapping[str, Any],
    parameters: Mapping[str, str] | None = None,
    pseudo: Mapping[str, str] | None = None,
) -> Deployment:
    """The stack CloudFormation would create from ``template`` with ``parameters``.

    ``parameters`` maps names to values as text (``{"FlowLogRetentionDays": "7"}``), as
    CloudFormation and :func:`~troposphere_fargate.cfn.dry_run.dry_run` take them: a value of
    another type is a ``TypeError``. Parameters not given take their defaults. Parameter
    constraints and rules are checked first (raising :class:`ParameterError` or
    :class:`RuleError`, whose ``problems`` list every value or assertion refused: CloudFormation
    would refuse the stack); then every resource and output whose condition is false is left
    out and every ``Fn::If`` resolved. A function CloudFormation refuses (called with the wrong
    arguments, or where it cannot stand) raises :class:`EvaluationError` naming it and where it
    is. ``pseudo`` overrides the values of pseudo parameters
    such as ``AWS::Region`` (default: :data:`PSEUDO_PARAMETERS`).
    """
    expect_template(template, "deployed(template)")
    if parameters is not None:
        # Values are text, as CloudFormation takes them and dry_run asks: str(7) read as "7"
        # here where dry_run refused it, and str(True) as "True", which no "true" matches.
        expect_texts(parameters, "deployed(parameters)", "parameter values")
    if pseudo is not None:
        _expect_pseudo(pseudo, "deployed(pseudo)")
    problem = template_problem(template)
    if problem is not None:
        raise EvaluationError(f"deployed(template): not a CloudFormation template: {problem}")
    misshapen = shape_problems(template)
    if misshapen:
        raise EvaluationError("; ".join(misshapen))
    values = parameter_values(template, parameters or {})
    check_rules(template, values, pseudo)
    evaluator = _Evaluator(template, values, pseudo)
    conditions = {name: evaluator.condition(name) for name in template.get("Conditions", {})}
    sections = _existing(template, evaluator)
    return Deployment(values, conditions, sections["Resources"], sections["Outputs"])


def _expect_pseudo(pseudo: object, where: str) -> None:
    """Refuse a name that is no pseudo parameter (a misspelt ``AWS::Regio`` was ignored, and
    the stack evaluated in us-east-1) and a region that is no region name."""
    expect_texts(pseudo, where, "values")
    assert isinstance(pseudo, Mapping)  # for the type checker: expect_texts raised otherwise
    for name in pseudo:
        if name not in PSEUDO_PARAMETER_NAMES:
            close = close_match(name, PSEUDO_PARAMETER_NAMES)
            raise ValueError(
                f"{where}: {name!r} is no pseudo parameter"
                + (f" (did you mean {close}?)" if close else "")
                + f": it takes {', '.join(PSEUDO_PARAMETER_NAMES)}"
            )
    region = pseudo.get("AWS::Region")
    problem = None if region is None else region_name_problem(region)
    if problem:
        raise ValueError(f"{where}: AWS::Region {problem}")


def _existing(
    template: Mapping[str, Any],
    evaluator: _Evaluator,
    finish: Callable[[Any], Any] = lambda body: body,
) -> dict[str, dict[str, dict[str, Any]]]:
    """The resources and outputs whose condition holds, by section, each without its
    ``Condition``, with every ``Fn::If`` resolved and then ``finish`` applied."""
    sections: dict[str, dict[str, dict[str, Any]]] = {}
    for section in ("Resources", "Outputs"):
        kept = {}
        for name, body in template.get(section, {}).items():
            try:
                condition = body.get("Condition")
                if condition is None or evaluator.condition(condition):
                    body = {key: item for key, item in body.items() if key != "Condition"}
                    kept[name] = finish(resolve(body, evaluator))
            except EvaluationError as exc:  # say where it stands
                raise EvaluationError(f"{section[:-1].lower()} {name}: {exc}") from None
        sections[section] = kept
    return sections


def _substituted(
    node: Any,
    values: Mapping[str, Any],
    opaque: frozenset[str] = frozenset(),
    strict: bool = True,
    strict_ifs: bool = True,
) -> Any:
    """``node`` with every ``Ref`` to a name in ``values`` (and every ``${Name}`` of one in an
    ``Fn::Sub``, whose own variables come first) replaced by its value, and ``Fn::Select``,
    ``Fn::Join`` and ``Fn::Split`` of what became literals computed."""
    if isinstance(node, list):
        return [_substituted(item, values, opaque, strict, strict_ifs) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, inner),) = node.items()
        if key == "Fn::If" and isinstance(inner, list) and len(inner) == 3 and not strict_ifs:
            # A branch of an undecided condition may never be taken: what it selects is not
            # refused.
            name, then, otherwise = inner
            return {
                key: [
                    name,
                    _substituted(then, values, opaque, False),
                    _substituted(otherwise, values, opaque, False),
                ]
            }
        if key in ("Fn::Select", "Fn::Join") and isinstance(inner, list) and len(inner) == 2:
            first, second = (
                _substituted(part, values, opaque, strict, strict_ifs) for part in inner
            )
            # An index int() reads: "²" is a digit to str.isdigit() and none to int(), and
            # "--1" lost both its minus signs to lstrip.
            index = key == "Fn::Join" or re.fullmatch(r"-?\d+", str(first)) is not None
            if _literal(first) and _literal(second) and isinstance(second, list) and index:
                if key == "Fn::Join":
                    # Strings only (a YAML true is "true"): a list there (a list parameter's
                    # Ref) or a null is no string, and is left for the dry run to refuse.
                    if not isinstance(first, str) or not all(_scalar(i) for i in second):
                        return {key: [first, second]}
                    return first.join(str(as_text(item)) for item in second)
                if int(first) < 0:
                    if not strict:
                        return {key: [first, second]}
                    raise ParameterError(
                        f"Fn::Select's index is {first}: it must be from 0 to the list's length "
                        "less 1, and CloudFormation would fail the stack here"
                    )
                if not 0 <= int(first) < len(second):
                    if not strict:  # a branch that may never be taken: left as it is
                        return {key: [first, second]}
                    source = inner[1].get("Ref") if isinstance(inner[1], dict) else None
                    what = f"parameter {source}, " if isinstance(source, str) else ""
                    remedy = (
                        f" (give {source} at least {int(first) + 1} items)"
                        if isinstance(source, str)
                        else ""
                    )
                    raise ParameterError(
                        f"Fn::Select picks item {int(first) + 1} of {what}{second!r}, which has "
                        f"{len(second)}: CloudFormation would fail the stack here{remedy}"
                    )
                return second[int(first)]
            return {key: [first, second]}
        if key == "Fn::Split" and isinstance(inner, list) and len(inner) == 2:
            delimiter, text = (
                _substituted(part, values, opaque, strict, strict_ifs) for part in inner
            )
            # A placeholder stands for a value known once deployed: its text is no value's.
            decided = isinstance(text, str) and not any(token in text for token in opaque)
            if isinstance(delimiter, str) and delimiter and isinstance(text, str) and decided:
                return text.split(delimiter)
            return {key: [delimiter, text]}
        if key == "Ref" and isinstance(inner, str) and inner in values:
            return values[inner]
        if key == "Fn::Sub" and isinstance(inner, str):
            text, done = _filled(inner, values)
            return text if done else {"Fn::Sub": text}
        if (
            key == "Fn::Sub"
            and isinstance(inner, list)
            and len(inner) == 2
            and isinstance(inner[0], str)
            and isinstance(inner[1], dict)
        ):
            # The variables of its own first (they hide a parameter of the same name), then
            # the values for the rest: http://${Name}:${ContainerPort} with Name given.
            variables = {
                name: _substituted(item, values, opaque, strict, strict_ifs)
                for name, item in inner[1].items()
            }
            known = {
                **{name: value for name, value in values.items() if name not in variables},
                **{name: value for name, value in variables.items() if isinstance(value, str)},
            }
            text, done = _filled(inner[0], known)
            if done:
                return text
            named = sub_names(text)
            left = {name: value for name, value in variables.items() if name in named}
            return {"Fn::Sub": [text, left] if left else text}
    return {
        key: _substituted(item, values, opaque, strict, strict_ifs) for key, item in node.items()
    }


def _filled(text: str, values: Mapping[str, Any]) -> tuple[str, bool]:
    """``text`` (an ``Fn::Sub`` string) with each ``${Name}`` of ``values`` filled in, and
    whether no variable is left. When none is, it is the text CloudFormation makes: each
    ``${!Literal}`` of the template's own text is ``${Literal}`` (a value filled in is kept as
    it is); else the escapes stay for the Sub that is left."""
    kept: list[str] = []
    literal: list[str] = []
    left = False
    position = 0
    for match in SUB_VARIABLE.finditer(text):
        kept.append(text[position : match.start()])
        literal.append(text[position : match.start()])
        inside = match.group(1)
        name = sub_name(inside)
        if inside.startswith("!"):
            kept.append(match.group(0))
            literal.append("${" + inside[1:] + "}")
        elif name and "." not in name and _scalar(values.get(name)):
            # A list (a list parameter's) is no text: the Sub is left for the dry run to refuse.
            kept.append(str(as_text(values[name])))
            literal.append(str(as_text(values[name])))
        else:  # a resource's attribute, or a value known once deployed
            left = True
            kept.append(match.group(0))
        position = match.end()
    kept.append(text[position:])
    literal.append(text[position:])
    return ("".join(kept), False) if left else ("".join(literal), True)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float)  # bool is an int


def _literal(value: Any) -> bool:
    if isinstance(value, list):
        return all(_literal(item) for item in value)
    return not isinstance(value, dict)


def resolved(
    template: Mapping[str, Any],
    given: Mapping[str, str],
    pseudo: Mapping[str, str] | None = None,
    placeholders: Mapping[str, str] | None = None,
    deferred: Collection[str] = (),
) -> dict[str, Any]:
    """``template`` as a stack with these parameter values holds it, as a template again: the
    resources and outputs whose condition is false left out, every ``Fn::If`` decided, every
    ``Ref`` to a parameter replaced by its value (a list parameter's by its list).

    Unlike :func:`deployed` it needs no value for a required parameter that no condition uses:
    that ``Ref`` stays as it is. Given values are checked against their parameter's constraints
    (:class:`ParameterError`); a condition that needs a parameter without a value raises
    :class:`ParameterError` naming it. Two stacks resolved this way compare property by
    property, as CloudFormation compares them on an update.

    ``placeholders`` stand for values known only when the stack is deployed, such as another
    stack's outputs a parent passes (``<NetworkStack.Outputs.VpcId>``): each is taken as it is,
    unchecked, a single value even for a list parameter, and is not empty for a condition.
    ``deferred`` parameters get a value only when a parent creates the stack (a resource's
    ``Ref``, another stack's output): a condition on one is said to be undecidable here, not
    to need a value no one could give."""
    declared: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {})
    values: dict[str, str] = {}
    held = {name: value for name, value in (placeholders or {}).items() if name in declared}
    stored = _stored(template)
    for name, spec in declared.items():
        if name in held:
            values[name] = held[name]
        elif name in stored:  # its value is read from Parameter Store as the stack is made
            continue
        elif name in given:
            values[name] = str(given[name])
            _check_constraints(name, spec, values[name])
        elif "Default" in spec:
            values[name] = default_text(spec["Default"])
    evaluator = _Evaluator(template, values, pseudo)
    for name in template.get("Conditions", {}):
        try:
            evaluator.condition(name)
        except EvaluationError as exc:
            missing = re.search(r"Ref (\S+) names no parameter", str(exc))
            if missing and missing.group(1) in deferred:
                raise ParameterError(
                    f"condition {name} depends on parameter {missing.group(1)}, whose value the "
                    "parent stack passes only once it is deployed: the dry run cannot decide "
                    "which resources this stack creates (CloudFormation decides it at creation)"
                ) from None
            if missing and missing.group(1) in stored:
                # The condition compared the Parameter Store name given, not the value stored
                # under it: a NAT gateway under IsProd was left out of validate's summary.
                raise ParameterError(
                    f"condition {name} depends on parameter {missing.group(1)}, of type "
                    f"{declared[missing.group(1)].get('Type')}: CloudFormation reads the value "
                    "stored under the name given only as it creates the stack, so the dry run "
                    "cannot decide which resources this stack creates"
                ) from None
            if missing and missing.group(1) in declared:
                raise ParameterError(
                    f"parameter {missing.group(1)} needs a value: condition {name} depends on it"
                ) from None
            raise
    typed = {
        name: _members(value)
        if _LIST_TYPE.match(str(declared[name].get("Type", "String"))) and name not in held
        else value
        for name, value in values.items()
    }
    # Pseudo parameters too: both sides of a comparison get the same values for them.
    pseudo_values = {
        name: _members(value) if name in evaluator.lists else value
        for name, value in evaluator.values.items()
        if name not in values and name not in evaluator.placeholders
    }
    substitutes = {**pseudo_values, **typed}
    result = {key: value for key, value in template.items() if key != "Conditions"}
    opaque = frozenset(held.values())
    result.update(
        _existing(template, evaluator, lambda body: _substituted(body, substitutes, opaque))
    )
    return result


_UNKNOWN = object()  # a value the fixed parameters do not decide
_DROPPED = object()  # a decided Fn::If's AWS::NoValue: its key or item is left out


class _Partial:
    """Conditions evaluated with only some parameters known: each is true, false or unknown
    (``None``). ``Fn::And`` is false as soon as one of its conditions is, ``Fn::Or`` true as
    soon as one is, whatever the others are; pseudo parameters are unknown."""

    def __init__(self, template: Mapping[str, Any], fixed: Mapping[str, str]) -> None:
        self.template = template
        declared: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {})
        self.values: dict[str, Any] = {
            name: _members(value)
            if _LIST_TYPE.match(str(declared.get(name, {}).get("Type", "String")))
            else value
            for name, value in fixed.items()
        }
        self.truths: dict[str, bool | None] = {}

    def condition(self, name: Any) -> bool | None:
        if not isinstance(name, str):
            return None
        if name not in self.truths:
            self.truths[name] = None  # a condition that names itself stays unknown
            definition = self.template.get("Conditions", {}).get(name, _UNKNOWN)
            truth = self.value(definition)
            self.truths[name] = truth if isinstance(truth, bool) else None
        return self.truths[name]

    def value(self, expr: Any) -> Any:
        if expr is _UNKNOWN:
            return _UNKNOWN
        if isinstance(expr, list):
            items = [self.value(item) for item in expr]
            return _UNKNOWN if any(item is _UNKNOWN for item in items) else items
        if not isinstance(expr, dict):
            return expr
        if len(expr) != 1:
            return _UNKNOWN
        ((fn, arg),) = expr.items()
        if fn == "Ref":
            return self.values.get(arg, _UNKNOWN) if isinstance(arg, str) else _UNKNOWN
        if fn == "Condition":
            truth = self.condition(arg)
            return _UNKNOWN if truth is None else truth
        if not isinstance(arg, list):
            return _UNKNOWN
        if fn == "Fn::If" and len(arg) == 3:
            truth = self.condition(arg[0])
            return _UNKNOWN if truth is None else self.value(arg[1] if truth else arg[2])
        found = [self.value(item) for item in arg]
        if fn == "Fn::And" and any(item is False for item in found):
            return False
        if fn == "Fn::Or" and any(item is True for item in found):
            return True
        if any(item is _UNKNOWN for item in found):
            return _UNKNOWN
        if fn == "Fn::And" and all(item is True for item in found):
            return True
        if fn == "Fn::Or" and all(item is False for item in found):
            return False
        if fn == "Fn::Not" and len(found) == 1 and isinstance(found[0], bool):
            return not found[0]
        if fn == "Fn::Equals" and len(found) == 2:
            return as_text(found[0]) == as_text(found[1])
        if fn == "Fn::FindInMap" and len(found) == 3:
            first, second, third = (as_text(item) for item in found)
            try:
                return self.template["Mappings"][first][second][third]
            except (KeyError, TypeError):
                return _UNKNOWN
        return _UNKNOWN


def decided_conditions(template: Mapping[str, Any], fixed: Mapping[str, str]) -> dict[str, bool]:
    """The conditions of ``template`` that the values in ``fixed`` decide, whatever the other
    parameters are (a nested stack's parameters its parent does not pass always take their
    defaults), each with its truth. A condition that needs another value is left out."""
    partial = _Partial(template, fixed)
    found = {name: partial.condition(name) for name in template.get("Conditions", {})}
    return {name: truth for name, truth in found.items() if truth is not None}


def with_values(
    node: Any,
    template: Mapping[str, Any],
    values: Mapping[str, str],
    opaque: frozenset[str] = frozenset(),
    strict: bool = True,
) -> Any:
    """``node`` (a part of ``template``) with each ``Ref`` to a parameter of ``values`` and
    each ``${Name}`` of one in an ``Fn::Sub`` replaced by its value (a list parameter's by its
    list), and what became literals computed (``Fn::Select``, ``Fn::Join``, ``Fn::Split``), but
    for text holding one of ``opaque`` (placeholders for values known once deployed). Raises
    :class:`ParameterError` for an ``Fn::Select`` past a list's end, but in a branch of an
    ``Fn::If`` when not ``strict`` (an undecided condition's branch may never be taken): there
    it is left as it is."""
    declared: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {})
    typed: dict[str, Any] = {
        name: _members(value)
        if _LIST_TYPE.match(str(declared.get(name, {}).get("Type", "String")))
        else value
        for name, value in values.items()
    }
    return _substituted(node, typed, opaque, True, strict)


def with_decided(node: Any, conditions: Mapping[str, bool]) -> Any:
    """``node`` (a resource, an output or a part of one) with each ``Fn::If`` on a condition of
    ``conditions`` replaced by the branch it takes (its ``AWS::NoValue`` leaves the key or the
    item out), and every other ``Fn::If`` kept, with both branches decided the same way."""
    result = _decided(node, conditions)
    return _NO_VALUE if result is _DROPPED else result


def _decided(node: Any, conditions: Mapping[str, bool]) -> Any:
    if isinstance(node, list):
        return [r for r in (_decided(item, conditions) for item in node) if r is not _DROPPED]
    if not isinstance(node, dict):
        return node
    if set(node) == {"Fn::If"} and isinstance(node["Fn::If"], list) and len(node["Fn::If"]) == 3:
        name, then, otherwise = node["Fn::If"]
        if isinstance(name, str) and name in conditions:
            chosen = _decided(then if conditions[name] else otherwise, conditions)
            return _DROPPED if chosen == _NO_VALUE else chosen
        return {
            "Fn::If": [name, with_decided(then, conditions), with_decided(otherwise, conditions)]
        }
    decided = {key: _decided(item, conditions) for key, item in node.items()}
    return {key: item for key, item in decided.items() if item is not _DROPPED}


def referred(node: Any) -> set[str]:
    """The names ``Ref``, ``Fn::GetAtt`` and ``Fn::Sub`` variables refer to under ``node``
    (parameters, pseudo parameters or resources; a ``Fn::Sub``'s own variables and its
    ``${!Literal}`` text are not references)."""
    if isinstance(node, list):
        return set().union(*(referred(item) for item in node))
    if not isinstance(node, Mapping):
        return set()
    found: set[str] = set()
    for key, value in node.items():
        if key == "Ref" and isinstance(value, str):
            found.add(value)
        elif key == "Fn::GetAtt":
            first = value.split(".", 1)[0] if isinstance(value, str) else (value or [None])[0]
            found |= {first} if isinstance(first, str) else set()
        elif key == "Fn::Sub":
            listed = value if isinstance(value, list) else [value, {}]
            text, own = [*listed, None, {}][:2]  # a malformed Sub is compared as it is
            own = own if isinstance(own, Mapping) else {}
            if isinstance(text, str):
                found |= {v.split(".", 1)[0] for v in sub_names(text)} - set(own)
            found |= referred(list(own.values()))
        else:
            found |= referred(value)
    return found
