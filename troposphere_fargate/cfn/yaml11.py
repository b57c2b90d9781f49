"""YAML as CloudFormation reads it: YAML 1.1 resolution rules, the strictest of them.

CloudFormation parses templates with SnakeYAML, which resolves plain (unquoted) scalars with the
YAML 1.1 rules, not PyYAML's subset of them. The two disagree where it hurts: a plain
``098369216593`` (an Elastic Load Balancing account ID, leading zero, an 8 and a 9) is a string
to PyYAML, cfn-lint and moto, and the float ``9.8369216593E10`` to CloudFormation
(aws-cloudformation/cfn-language-discussion#31, awslabs/aws-cfn-template-flip#41, where the same
account IDs broke bucket policies). YAML 1.1 also reads ``y``/``n``/``yes``/``no``/``on``/``off``
as booleans, ``0o17``-less octal (``017``), hex (``0x1F``), binary (``0b101``) and sexagesimal
(``1:30``) numbers, ``~`` and the empty scalar as null, and dates as timestamps.

This module holds the union of those rules (the YAML 1.1 type repository, SnakeYAML's resolver
and PyYAML's), and two things built on it:

- :func:`implicit_tag`: what a plain scalar would become; the YAML writer quotes every string
  for which this is not ``str`` (:mod:`troposphere_fargate.cfn.yaml`);
- :func:`type_mismatches`: reads written YAML back with these rules and lists every scalar whose
  type is not the one the generator meant; the build refuses to write a template with any.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

STR = "tag:yaml.org,2002:str"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"

# (tag, pattern) in the order a resolver tries them. Sources: the YAML 1.1 type repository
# (yaml.org/type/{bool,int,float,null,timestamp,merge,value}.html), SnakeYAML's Resolver (whose
# float pattern also takes a bare digit run such as 098369216593, and an exponent without a
# sign), and PyYAML's resolver.
_RULES: tuple[tuple[str, str], ...] = (
    (BOOL, r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"),
    (NULL, r"~|null|Null|NULL|"),
    (
        INT,
        # As the type repository and SnakeYAML write them: a base's digits may all be "_"
        # (0x_ is an integer there, whose value no reader can construct).
        r"[-+]?0b[0-1_]+"
        r"|[-+]?0[0-7_]+"
        r"|[-+]?(?:0|[1-9][0-9_]*)"
        r"|[-+]?0x[0-9a-fA-F_]+"
        r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
    ),
    (
        FLOAT,
        # SnakeYAML: a digit run with an optional fraction and an optional exponent.
        r"[-+]?(?:\.[0-9]+|[0-9_]+(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
        # YAML 1.1 and PyYAML: a leading dot, a trailing dot, sexagesimal, infinity, NaN.
        r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
        r"|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN)",
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
        r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?",
    ),
    ("tag:yaml.org,2002:merge", r"<<"),
    ("tag:yaml.org,2002:value", r"="),
)
_COMPILED = tuple((tag, re.compile(rf"^(?:{pattern})$")) for tag, pattern in _RULES)

# Every rule above is anchored and each of its alternatives can only begin with one of these
# characters (or match the empty text): a plain scalar that begins with anything else is a string,
# without trying eleven patterns. Most of a template's scalars (names, types, ARNs) are such;
# tests/cfn/test_yaml11.py checks the set against the patterns, character by character.
FIRST_CHARACTERS = frozenset("yYnNtTfFoO~-+.0123456789_<=")


@functools.lru_cache(maxsize=8192)
def implicit_tag(text: str) -> str:
    """The type a YAML 1.1 reader gives ``text`` written as a plain scalar (``STR`` if none)."""
    if text and text[0] not in FIRST_CHARACTERS:
        return STR
    for tag, pattern in _COMPILED:
        if pattern.match(text):
            return tag
    return STR


class _Resolved:
    """A plain scalar as YAML 1.1 reads it: its tag and its text, not converted."""

    __slots__ = ("tag", "text")

    def __init__(self, tag: str, text: str) -> None:
        self.tag = tag
        self.text = text

    def __str__(self) -> str:
        return self.text


# The tag of a node that is not a plain scalar, as PyYAML's resolver gives it (no path resolvers).
_DEFAULT_TAGS = {
    yaml.ScalarNode: STR,
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}

_Base: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class Yaml11Loader(_Base):  # type: ignore[misc]
    """Composes YAML with the YAML 1.1 rules above: each plain scalar's node carries the tag
    CloudFormation's reader would give it. :func:`type_mismatches` reads those nodes as they
    are; nothing is converted, so nothing can fail to convert."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        # A plain scalar: the rules above, in order; anything else as PyYAML resolves it (a
        # quoted scalar is a string). Not implicit_tag, which the writer uses: the check must
        # not share the code it checks.
        if kind is yaml.ScalarNode and implicit[0]:
            return _read_tag(value)
        if self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))
        return _DEFAULT_TAGS[kind]  # as super() does, without its checks: once per node read


@functools.lru_cache(maxsize=8192)
def _read_tag(value: str) -> str:
    return next((tag for tag, pattern in _COMPILED if pattern.match(value)), STR)


@dataclass(frozen=True)
class Mismatch:
    """A scalar that CloudFormation would read as another type than the generator meant."""

    path: str
    meant: str
    reads_as: str

    def __str__(self) -> str:
        return f"{self.path}: meant {self.meant}, YAML 1.1 reads {self.reads_as}"


_MEANT = {str: STR, bool: BOOL, int: INT, float: FLOAT, type(None): NULL}
_NO_MAPPING = frozenset({*_MEANT, list, tuple})


def _short(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def _number(text: str, kind: type[int] | type[float]) -> int | float | None:
    """The value of a YAML 1.1 int or float (binary, octal with a bare leading 0, hex,
    sexagesimal, infinity, NaN); None for what this does not read."""
    text = text.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    try:
        if ":" in digits:  # sexagesimal: 1:30 is 90
            value: float = 0
            for part in digits.split(":"):
                value = value * 60 + kind(part)
            return sign * value
        if kind is float:
            if digits.lower() in (".inf", ".nan"):
                return sign * float(digits[1:])
            return sign * float(digits)
        if digits.startswith(("0b", "0x")):
            return sign * int(digits, 0)
        if len(digits) > 1 and digits.startswith("0"):
            return sign * int(digits, 8)
        return sign * int(digits)
    except ValueError:
        return None


def _same_scalar(meant: Any, read: Any) -> bool:
    if isinstance(read, _Resolved):
        if read.tag == BOOL and isinstance(meant, bool):
            return (read.text.lower() in ("true", "yes", "on", "y")) == meant
        if read.tag == INT and type(meant) is int:
            return _number(read.text, int) == meant
        if read.tag == FLOAT and type(meant) is float:
            number = _number(read.text, float)
            return number == meant or (number != number and meant != meant)  # NaN is NaN
        return read.tag == NULL and meant is None
    return isinstance(read, str) and isinstance(meant, str) and read == meant


def _read_scalar(node: yaml.ScalarNode) -> Any:
    """A scalar node as the comparison sees it: a string, or the tag and text of anything else."""
    return str(node.value) if node.tag == STR else _Resolved(node.tag, str(node.value))


def _intrinsic(node: yaml.Node) -> tuple[str, Any]:
    """The long form of a short-form intrinsic function (``!GetAtt A.B``), as
    :func:`troposphere_fargate.cfn.yaml.from_yaml` reads it: its key, and its argument (a
    tagged scalar is a string, whatever it looks like; a collection, the same node untagged)."""
    suffix = node.tag[1:]
    key = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        text = str(node.value)
        return key, text.split(".", 1) if key == "Fn::GetAtt" else text
    if isinstance(node, yaml.SequenceNode):
        return key, yaml.SequenceNode("tag:yaml.org,2002:seq", node.value)
    return key, yaml.MappingNode("tag:yaml.org,2002:map", node.value)


def _compare(meant: Any, read: Any, path: str, found: list[Mismatch]) -> None:
    """Compare what the generator meant with what was read back: a node, or (inside a
    short-form function) a string or a list of strings."""
    kind = type(meant)
    if kind is str and type(read) is yaml.ScalarNode and read.tag == STR and read.value == meant:
        return  # most of a template: a string read back as the same string (what the general
        # path below finds of it, without its isinstance checks of an abstract Mapping)
    # A scalar is no Mapping: isinstance(meant, Mapping) is a Python-level call (an ABC), the
    # bulk of this comparison's time when made of every value.
    mapping = kind is dict or (kind not in _NO_MAPPING and isinstance(meant, Mapping))
    if isinstance(read, yaml.Node) and read.tag.startswith("!"):
        key, argument = _intrinsic(read)
        if not mapping or set(map(str, meant)) != {key}:
            found.append(Mismatch(path, "a mapping", "another structure"))
            return
        ((meant_key, inner),) = meant.items()
        _compare(inner, argument, f"{path}.{meant_key}" if path else str(meant_key), found)
        return
    if mapping:
        if not isinstance(read, yaml.MappingNode):
            found.append(Mismatch(path, "a mapping", "another structure"))
            return
        by_text: dict[str, yaml.Node] = {}
        for key_node, value_node in read.value:
            if key_node.tag != STR:  # a key read as a number, a boolean, a null...
                where = f"{path}.{key_node.value}" if path else str(key_node.value)
                found.append(Mismatch(f"{where} (key)", "str", _short(key_node.tag)))
            by_text[str(key_node.value)] = value_node
        # The keys views first: equal, they hold the same texts, without two new sets.
        if by_text.keys() != meant.keys() and set(by_text) != set(map(str, meant)):
            found.append(Mismatch(path, "a mapping", "another structure"))
            return
        for key, value in meant.items():
            node = by_text[str(key)]
            same_text = type(node) is yaml.ScalarNode and node.tag == STR and node.value == value
            if same_text and type(value) is str:
                continue  # as at the top, without a call and the path it is given
            _compare(value, node, f"{path}.{key}" if path else str(key), found)
        return
    if kind is list or (kind not in _MEANT and isinstance(meant, list | tuple)):
        items = read.value if isinstance(read, yaml.SequenceNode) else read
        if not isinstance(items, list) or len(items) != len(meant):
            found.append(Mismatch(path, "a sequence", "another structure"))
            return
        for index, (inner, back) in enumerate(zip(meant, items, strict=True)):
            _compare(inner, back, f"{path}[{index}]", found)
        return
    if isinstance(read, yaml.ScalarNode):
        read = _read_scalar(read)
    elif isinstance(read, yaml.Node):
        found.append(Mismatch(path, _short(_MEANT.get(type(meant), STR)), "another structure"))
        return
    if not _same_scalar(meant, read):
        meant_as = _short(_MEANT.get(type(meant), STR))
        reads_as = _short(read.tag) if isinstance(read, _Resolved) else type(read).__name__
        if meant_as == reads_as:  # the same type, another value (true for a meant False)
            meant_as, reads_as = (
                f"{meant_as} {meant!r}",
                f"{reads_as} {getattr(read, 'text', read)!r}",
            )
        found.append(Mismatch(path, meant_as, reads_as))


def type_mismatches(text: str, meant: Mapping[str, Any]) -> list[Mismatch]:
    """Every scalar of ``text`` that YAML 1.1 reads as another type (or value) than ``meant``,
    the long-form template dict it was written from. The text is composed, not constructed
    (a SafeLoader's parser: no arbitrary objects), and the nodes compared as they are."""
    found: list[Mismatch] = []
    _compare(meant, yaml.compose(text, Loader=Yaml11Loader), "", found)
    return found


# --- Reading a file someone else wrote -----------------------------------------------------------

_PYYAML: Any = yaml.resolver.Resolver()
_KINDS = {BOOL: "the boolean", INT: "the integer", FLOAT: "the number"}
# Booleans to the YAML 1.1 type repository (so the writer quotes them) but text to SnakeYAML,
# whose resolver CloudFormation's readings follow (the bare digit-run float above): misreadings()
# does not fail a file for them.
_SPEC_ONLY = frozenset("yYnN")


@functools.lru_cache(maxsize=8192)
def _pyyaml_tag(value: str) -> str:
    return str(_PYYAML.resolve(yaml.ScalarNode, value, (True, False)))


def _read_back(tag: str, text: str) -> str | None:
    """The text a boolean or number written as ``text`` comes back as where a string is
    expected (a tag's value, a name, a parameter's default): ``yes`` is ``true``, ``0123`` is
    ``83``, ``1.10`` is ``1.1``. None for other types, or a number this does not read."""
    if tag == BOOL:
        return "true" if text.lower() in ("true", "yes", "on", "y") else "false"
    if tag == INT:
        number = _number(text, int)
        return None if number is None else str(number)
    if tag == FLOAT:
        number = _number(text, float)
        return None if number is None else java_double(float(number))
    return None


def java_double(number: float) -> str:
    """A float as Java's ``Double.toString`` writes it, as CloudFormation (a Java service) turns
    a YAML float into text: ``9.8369216593E10`` for ``098369216593`` (the account IDs of
    awslabs/aws-cfn-template-flip#41), a decimal with a fraction between 10^-3 and 10^7
    (``1.5``, ``100.0``), and the shortest digits that read back as the same double."""
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "-0.0" if str(number).startswith("-") else "0.0"
    sign = "-" if number < 0 else ""
    size = abs(number)
    if 1e-3 <= size < 1e7:
        shown = repr(size)  # Python writes these as a decimal with its shortest digits
        return sign + (shown if "." in shown else f"{shown}.0")
    # Python's repr has the shortest digits too; Decimal reads them without rounding.
    _, coefficient, power = Decimal(repr(size)).as_tuple()
    digits = "".join(map(str, coefficient)).rstrip("0") or "0"
    exponent = int(power) + len(coefficient) - 1
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


@dataclass(frozen=True)
class Misreading:
    """A plain scalar of a YAML template that CloudFormation reads as something other than the
    text written: a type PyYAML (so cfn-lint and checkov) does not see, or a boolean or number
    whose value, as text, is not what was written."""

    line: int
    column: int
    text: str
    reads_as: str  # "the boolean true", "the number 9.8369216593E10"
    linters_read_text: bool  # PyYAML reads the text as a string: the linters checked another value
    key: bool = False

    def __str__(self) -> str:
        found = (
            f"{self.line}:{self.column}: {'key ' if self.key else ''}{self.text} is "
            f"{self.reads_as} to CloudFormation (YAML 1.1)"
            + (" but text to cfn-lint and checkov" if self.linters_read_text else "")
        )
        if self.reads_as.startswith("the boolean"):
            meant = "true" if self.reads_as.endswith("true") else "false"
            return f"{found}: write {meant} if a boolean is meant, '{self.text}' if the text"
        return f"{found}: quote it ('{self.text}') if the text is meant"


def misreadings(text: str) -> list[Misreading]:
    """Every plain scalar (values and keys) of the YAML ``text`` that CloudFormation, reading
    with YAML 1.1 rules, takes for something other than the text written: an account ID
    ``098369216593`` (a float, to CloudFormation alone), a tag value ``YES`` (``true``), an
    octal ``0123`` (``83``), a version ``1.10`` (``1.1``), ``12345678.0`` (``1.2345678E7``, as
    Java writes it). Dates (``2010-09-09``) and nulls are left alone; so is a scalar in quotes,
    or with a local tag (``!Ref``) or ``!!str`` (``!!int 0123`` is the integer 83, and said
    so), and what only the
    YAML 1.1 type repository reads as a boolean or number (``y``, ``1.2.3``), which the writer
    quotes all the same. The text is composed, not constructed: nothing in it runs."""
    found: list[Misreading] = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(yaml.compose(text, Loader=Yaml11Loader), False)]
    while stack:
        node, key = stack.pop()
        if node is None or id(node) in seen:  # an alias: the anchor's node, read once
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [pair for k, v in reversed(node.value) for pair in ((v, False), (k, True))]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, False) for item in reversed(node.value)]
        elif not node.style and node.tag in _KINDS:  # plain: None, or '' from libyaml
            value = str(node.value)
            back = _read_back(node.tag, value)
            if back is None or value in _SPEC_ONLY:
                continue  # 1.2.3, or y: not numbers or booleans to SnakeYAML
            linters_read_text = _pyyaml_tag(value) == STR
            if linters_read_text or back != (value.lower() if node.tag == BOOL else value):
                where = node.start_mark
                found.append(
                    Misreading(
                        where.line + 1,
                        where.column + 1,
                        value,
                        f"{_KINDS[node.tag]} {back}",
                        linters_read_text,
                        key,
                    )
                )
    return sorted(found, key=lambda m: (m.line, m.column))
