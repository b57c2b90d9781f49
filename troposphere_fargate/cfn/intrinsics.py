"""The intrinsic functions of a template's resources and outputs, held to the shapes their
CloudFormation references declare, before and after the dry run evaluates them.

:mod:`troposphere_fargate.cfn.evaluate` computes what it can (``Ref`` to a parameter,
``Fn::Join``, ``Fn::Select``, ``Fn::Split``, ``Fn::Sub``; the dry run ``Fn::FindInMap``) and
leaves the rest as written. A function called the wrong way (``Fn::Select`` of one argument,
``Fn::If`` of two) is refused by CloudFormation with the template, before anything is created
(:func:`shape_problems`); one whose arguments are all known but that CloudFormation cannot
compute (``Fn::Join`` of a list holding a list, a mapping key that is not there) fails the stack
(:func:`value_problems`). Each problem is one line naming the function and where it stands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import close_match

# An Fn::Sub string's ${...}: a name, or ${!Literal}, its text.
SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def sub_name(inside: str) -> str | None:
    """The name a ``${...}`` of an ``Fn::Sub`` string refers to (what is between the braces),
    spaces around it dropped as CloudFormation drops them (``${ AWS::Region}``: "this works
    perfectly fine ... (and always works in CloudFormation)", cfn-lint issue #236, whose
    maintainers then read such names stripped); None for a ``${!Literal}``, and for a ``!``
    after spaces, whose text CloudFormation makes is not documented."""
    name = inside.strip()
    return name if name and not name.startswith("!") else None


def sub_names(text: str) -> set[str]:
    """The names the ``${...}`` of an ``Fn::Sub`` string refer to (:func:`sub_name`)."""
    return {n for n in (sub_name(inside) for inside in SUB_VARIABLE.findall(text)) if n}


def get_att(value: Any) -> tuple[str, Any] | None:
    """The logical ID and attribute an ``Fn::GetAtt`` names, in either spelling of its
    argument: ``[LogicalId, Attribute]``, or ``LogicalId.Attribute`` split at the first dot
    (``Stack.Outputs.Name`` is ``Stack`` and ``Outputs.Name``). The dotted text is the short
    form's, and CloudFormation takes it in the long form too, JSON included ("Fn::GetAtt can be
    passed a string argument not only in YAML, but in JSON CloudFormation templates as well",
    aws/aws-cdk pull request #10546; cdklabs/decdk issue #211; cfn-lint pull request #372). The
    attribute may be a function (a ``Ref``). None for a value that is not one ``Fn::GetAtt``
    alone, or whose argument has another shape."""
    if not isinstance(value, Mapping) or len(value) != 1 or "Fn::GetAtt" not in value:
        return None
    argument = value["Fn::GetAtt"]
    if isinstance(argument, str):
        argument = argument.split(".", 1)
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
        return argument[0], argument[1]
    return None


# Every function CloudFormation takes in a template (its "Intrinsic function reference"): those
# of resources and outputs, the condition and rule functions, and those of the
# AWS::LanguageExtensions transform. Fn::GetStackOutput "returns the value of an output from
# another stack" (Template Reference, Fn::GetStackOutput), as Fn::ImportValue does.
FUNCTIONS = frozenset(
    {
        "Fn::And",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::Contains",
        "Fn::EachMemberEquals",
        "Fn::EachMemberIn",
        "Fn::Equals",
        "Fn::FindInMap",
        "Fn::ForEach",
        "Fn::GetAZs",
        "Fn::GetAtt",
        "Fn::GetStackOutput",
        "Fn::If",
        "Fn::ImportValue",
        "Fn::Join",
        "Fn::Length",
        "Fn::Not",
        "Fn::Or",
        "Fn::RefAll",
        "Fn::Select",
        "Fn::Split",
        "Fn::Sub",
        "Fn::ToJsonString",
        "Fn::Transform",
        "Fn::ValueOf",
        "Fn::ValueOfAll",
    }
)
# "You must use the AWS::LanguageExtensions transform to use the Fn::Length intrinsic function"
# (Template Reference, Fn::Length; Fn::ToJsonString alike): the dry run reads templates without
# a Transform only.
_TRANSFORM_ONLY = frozenset({"Fn::Length", "Fn::ToJsonString"})
_NEEDS_TRANSFORM = "needs the template's Transform: AWS::LanguageExtensions"

# The list each function takes: its length, and what each argument is, as its reference declares
# it ({ "Fn::Join" : [ "delimiter", [ comma-delimited list of values ] ] }, and "For the Fn::Join
# delimiter, you cannot use any functions. You must specify a string value.").
_TEXT, _LIST, _ANY, _INDEX, _NAME = "a string", "a list", "a value", "an index", "a name"
_SOURCE = "a string or a function"
_LISTS = {
    "Fn::Cidr": ("an IP block, a count and a number of subnet bits", (_ANY, _ANY, _ANY)),
    "Fn::FindInMap": ("a map's name, a top-level key and a second-level key", (_ANY,) * 3),
    "Fn::GetAtt": ("a resource's logical ID and an attribute", (_NAME, _ANY)),
    "Fn::If": (
        "a condition's name, the value if true and the value if false",
        (_NAME,) + (_ANY,) * 2,
    ),
    "Fn::Join": ("a delimiter and a list of values", (_TEXT, _LIST)),
    "Fn::Select": ("an index and a list", (_INDEX, _LIST)),
    "Fn::Split": ("a delimiter and a string", (_TEXT, _SOURCE)),
}


def described(value: Any) -> str:
    """What a value is, in a message: ``a string ('x')``, ``a list of 2``, ``a mapping``..."""
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return f"{kinds.get(type(value), type(value).__name__)} ({value!r})"


def as_text(value: Any) -> Any:
    """A literal as CloudFormation compares, joins and looks it up: text (the template is JSON
    to it, so a YAML ``true`` is ``true``, not Python's ``True``); a list or a mapping as it
    is. An ``Fn::FindInMap`` argument written unquoted (``!FindInMap [Accounts, 123456789012,
    Env]``, which YAML 1.1 reads as a number) so finds its key, a mapping's keys being strings
    (CloudFormation refuses any other: "map keys must be strings; received numeric
    [123456789012] instead", aws-cloudformation/cfn-lint#292)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _is_function(node: Any) -> bool:
    return isinstance(node, dict) and len(node) == 1 and _function_name(next(iter(node)))


def _function_name(key: Any) -> bool:
    return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))


def _calls(node: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """Every function call under ``node`` as (where, name, argument), outermost first."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _calls(item, f"{path}[{index}]")
    elif isinstance(node, dict):
        if _is_function(node):
            ((name, argument),) = node.items()
            yield path, name, argument
            yield from _calls(argument, path)
            return
        for key, value in node.items():
            yield from _calls(value, f"{path}.{key}" if path else str(key))


def _any_problem(node: Any, problem: Callable[[str, Any], str | None]) -> bool:
    """Whether a call under ``node`` has a ``problem``: :func:`_calls`' walk without the paths,
    which a template with none (the common case) does not pay for."""
    if isinstance(node, list):
        for item in node:
            if _any_problem(item, problem):
                return True
    elif isinstance(node, dict):
        if len(node) == 1:
            ((name, argument),) = node.items()
            if _function_name(name):
                return problem(name, argument) is not None or _any_problem(argument, problem)
        for value in node.values():
            if _any_problem(value, problem):
                return True
    return False


def _problems(node: Any, owner: str, problem: Callable[[str, Any], str | None]) -> list[str]:
    """``owner, path: problem`` for each call under ``node`` that has a ``problem``."""
    if not _any_problem(node, problem):
        return []
    found = []
    for path, name, argument in _calls(node, ""):
        said = problem(name, argument)
        if said:
            found.append(f"{owner}{', ' + path if path else ''}: {said}")
    return found


def _sections(template: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Each resource and output of ``template`` with what names it in a message."""
    for section, what in (("Resources", "resource"), ("Outputs", "output")):
        entries = template.get(section)
        for name, body in (entries if isinstance(entries, Mapping) else {}).items():
            yield f"{what} {name}", body


def shape_problems(template: Mapping[str, Any]) -> list[str]:
    """Each function call in the resources and outputs of ``template`` whose arguments are not
    of the shape its CloudFormation reference declares (a list of how many, a string where no
    function may stand), and each ``Fn::`` name CloudFormation has no function of: one line
    each, naming the function and the resource or output (and the property) it is in."""
    problems = []
    for owner, body in _sections(template):
        problems += _problems(body, owner, _shape_problem)
    return problems


def _shape_problem(name: str, argument: Any) -> str | None:
    if name not in FUNCTIONS and name != "Ref":
        close = close_match(name, sorted(FUNCTIONS))
        return f"{name} is no CloudFormation function" + (
            f" (did you mean {close}?)" if close else ""
        )
    if name in _TRANSFORM_ONLY:
        return f"{name} {_NEEDS_TRANSFORM}: CloudFormation refuses it otherwise"
    if name == "Ref":
        return None if isinstance(argument, str) else f"Ref takes a name, not {described(argument)}"
    if name == "Fn::Sub":
        return _sub_problem(argument)
    if name in ("Fn::Base64", "Fn::GetAZs", "Fn::ImportValue"):
        if isinstance(argument, str) or _is_function(argument):
            return None
        return f"{name} takes a string (or a function that gives one), not {described(argument)}"
    if name == "Fn::GetStackOutput":
        # { "Fn::GetStackOutput": { "StackName": ..., "OutputName": ..., "Region": ...,
        # "RoleArn": ... } }, StackName and OutputName required (Template Reference).
        wanted = "a mapping with a StackName and an OutputName"
        if not isinstance(argument, dict):
            return f"Fn::GetStackOutput takes {wanted}, not {described(argument)}"
        missing = [key for key in ("StackName", "OutputName") if key not in argument]
        return f"Fn::GetStackOutput takes {wanted}: it has no {missing[0]}" if missing else None
    if name == "Fn::GetAtt" and isinstance(argument, str):
        if "." in argument.strip("."):
            return None
        return f"Fn::GetAtt takes LogicalId.Attribute, not {argument!r}"
    if name == "Fn::FindInMap" and isinstance(argument, list) and len(argument) == 4:
        return f"Fn::FindInMap's fourth value (a DefaultValue) {_NEEDS_TRANSFORM}"
    if name not in _LISTS:
        return None  # the condition and rule functions: evaluate.py checks them where they are
    what, kinds = _LISTS[name]
    if not isinstance(argument, list) or len(argument) != len(kinds):
        return f"{name} takes a list of {len(kinds)} values ({what}), not {described(argument)}"
    for position, (kind, value) in enumerate(zip(kinds, argument, strict=True), start=1):
        wrong = _argument_problem(kind, value)
        if wrong:
            return f"{name}'s value {position} is {wrong}"
    return None


def _argument_problem(kind: str, value: Any) -> str | None:
    """What is wrong with one argument of a function, or None."""
    if kind == _TEXT and not isinstance(value, str):
        return f"{described(value)}, not a string (no function may stand there)"
    if kind == _NAME and not isinstance(value, str):
        return f"{described(value)}, not a name"
    if kind == _LIST and not (isinstance(value, list) or _is_function(value)):
        return f"{described(value)}, not a list (or a function that gives one)"
    if kind == _SOURCE and not (isinstance(value, str) or _is_function(value)):
        return f"{described(value)}, not a string (or a function that gives one)"
    if kind == _INDEX and not _is_function(value) and select_index(value) is None:
        return f"{described(value)}, not an index from 0 (a whole number)"
    return None


def select_index(value: Any) -> int | None:
    """An ``Fn::Select`` index as CloudFormation reads it ("The index of the object to
    retrieve. This must be a value from zero to N-1"; its examples write "1" and 0), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
        return int(value)
    return None


def _sub_problem(argument: Any) -> str | None:
    """{ "Fn::Sub" : String } or { "Fn::Sub" : [ String, { Var1Name: Var1Value, ... } ] }; "For
    the String parameter, you cannot use any functions. You must specify a string value."""
    if isinstance(argument, str):
        return None
    if (
        isinstance(argument, list)
        and len(argument) == 2
        and isinstance(argument[0], str)
        and isinstance(argument[1], dict)
    ):
        return None
    shown = (
        f"[{', '.join(described(item) for item in argument)}]"
        if isinstance(argument, list)
        else described(argument)
    )
    return f"Fn::Sub takes a string, or a list of a string and a mapping of variables, not {shown}"


def value_problems(
    node: Any, owner: str, mappings: Mapping[str, Any], lists: frozenset[str]
) -> list[str]:
    """Each function call left in ``node`` (a resource or an output as the dry run resolved it:
    every parameter's value in place, every mapping looked up that could be) whose arguments
    are all known, but whose value CloudFormation cannot make: the stack would fail there. One
    line each, starting with ``owner`` (``resource Bucket``). ``lists``: the template's list
    parameters, which an ``Fn::Sub`` cannot substitute."""
    return _problems(
        node, owner, lambda name, argument: _value_problem(name, argument, mappings, lists)
    )


def _value_problem(
    name: str, argument: Any, mappings: Mapping[str, Any], lists: frozenset[str]
) -> str | None:
    if name == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
        members = argument[1]
        inner = (
            [m for m in members if m is None or isinstance(m, list)]
            if isinstance(members, list)
            else []
        )
        if inner:
            return (
                f"Fn::Join joins strings, and its list holds {described(inner[0])}: CloudFormation "
                "fails the stack (a list parameter's Ref is the whole list: join it alone, or "
                "pick an item with Fn::Select)"
            )
    if name == "Fn::Select" and isinstance(argument, list) and len(argument) == 2:
        index, items = argument
        if isinstance(items, list) and not isinstance(index, dict) and select_index(index) is None:
            return f"Fn::Select's index is {described(index)}, not a whole number from 0"
    if name == "Fn::Cidr" and isinstance(argument, list) and len(argument) == 3:
        # "count: The number of CIDRs to generate. Valid range is between 1 and 256."
        count = select_index(argument[1])
        if count is not None and not 1 <= count <= 256:
            return f"Fn::Cidr's count is {count}: CloudFormation takes 1 to 256"
    keys = (
        [as_text(key) for key in argument]
        if name == "Fn::FindInMap" and isinstance(argument, list)
        else []
    )
    if len(keys) == 3 and all(isinstance(key, str) for key in keys):
        level = mappings.get(keys[0])
        level = level.get(keys[1]) if isinstance(level, Mapping) else None
        if not isinstance(level, Mapping) or keys[2] not in level:
            return f"Unable to get mapping for {'::'.join(keys)}"  # CloudFormation's words
    if name == "Fn::Sub":
        text, variables = (argument, {}) if isinstance(argument, str) else [*argument, {}][:2]
        if not isinstance(text, str) or not isinstance(variables, dict):
            return None
        named = sub_names(text)
        listed = sorted(
            n
            for n in named
            if (isinstance(variables.get(n), list) or (n in lists and n not in variables))
        )
        if listed:
            return (
                f"Fn::Sub substitutes strings, and ${{{listed[0]}}} is a list: CloudFormation "
                "fails the stack (join it first with Fn::Join, or pick an item with Fn::Select)"
            )
    return None


# --- Reading properties of any shape ------------------------------------------------------------
# What the commands read of a template's properties may be of another shape than the resource's
# schema (a NetworkConfiguration given as text): cfn-lint and CloudFormation refuse it, and a
# summary reads it as nothing (it was an AttributeError traceback from validate and cost).


def get_in(value: Any, key: str, default: Any = None) -> Any:
    """``value[key]`` of a mapping (``default`` when it has no such key), else ``default``."""
    return value.get(key, default) if isinstance(value, Mapping) else default


def as_mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a mapping; an empty one for anything else."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list; an empty one for anything else."""
    return value if isinstance(value, list) else []
