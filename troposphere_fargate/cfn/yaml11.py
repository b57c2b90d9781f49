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
  for which this is not ``str`` (:mod:`troposphere_fargate.render`);
- :func:`type_mismatches`: reads written YAML back with these rules and lists every scalar whose
  type is not the one the generator meant; the build refuses to write a template with any.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
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
        r"[-+]?0b_*[0-1][0-1_]*"
        r"|[-+]?0_*[0-7][0-7_]*"
        r"|[-+]?(?:0|[1-9][0-9_]*)"
        r"|[-+]?0x_*[0-9a-fA-F][0-9a-fA-F_]*"
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


def implicit_tag(text: str) -> str:
    """The type a YAML 1.1 reader gives ``text`` written as a plain scalar (``STR`` if none)."""
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


_Base: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class Yaml11Loader(_Base):  # type: ignore[misc]
    """Reads YAML with the YAML 1.1 rules above; every non-string scalar stays a
    :class:`_Resolved` (nothing is converted, so nothing can fail to convert), and the short
    forms of intrinsic functions (``!Ref``) become their long form, as in
    :func:`troposphere_fargate.cfn.yaml.from_yaml`."""


Yaml11Loader.yaml_implicit_resolvers = {}
for _tag, _pattern in _COMPILED:
    Yaml11Loader.add_implicit_resolver(_tag, _pattern, None)


def _keep(loader: yaml.SafeLoader, node: yaml.Node) -> _Resolved:
    return _Resolved(node.tag, str(node.value))


for _tag, _ in _COMPILED:
    Yaml11Loader.add_constructor(_tag, _keep)


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    key = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        text = str(node.value)  # a tagged scalar is a string whatever it looks like
        return {key: text.split(".", 1) if key == "Fn::GetAtt" else text}
    if isinstance(node, yaml.SequenceNode):
        return {key: loader.construct_sequence(node, deep=True)}
    return {key: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


Yaml11Loader.add_multi_constructor("!", _intrinsic)


@dataclass(frozen=True)
class Mismatch:
    """A scalar that CloudFormation would read as another type than the generator meant."""

    path: str
    meant: str
    reads_as: str

    def __str__(self) -> str:
        return f"{self.path}: meant {self.meant}, YAML 1.1 reads {self.reads_as}"


_MEANT = {str: STR, bool: BOOL, int: INT, float: FLOAT, type(None): NULL}


def _short(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def _same_scalar(meant: Any, read: Any) -> bool:
    if isinstance(read, _Resolved):
        if read.tag == BOOL and isinstance(meant, bool):
            return (read.text.lower() in ("true", "yes", "on", "y")) == meant
        if read.tag == INT and type(meant) is int:
            return int(read.text.replace("_", ""), 0) == meant
        if read.tag == FLOAT and type(meant) is float:
            return float(read.text.replace("_", "")) == meant
        return read.tag == NULL and meant is None
    return isinstance(read, str) and isinstance(meant, str) and read == meant


def _compare(meant: Any, read: Any, path: str, found: list[Mismatch]) -> None:
    if isinstance(meant, Mapping):
        if not isinstance(read, dict) or set(map(str, read)) != set(map(str, meant)):
            found.append(Mismatch(path, "a mapping", "another structure"))
            return
        for key in read:
            if isinstance(key, _Resolved):  # a key read as a number, a boolean, a null...
                where = f"{path}.{key}" if path else str(key)
                found.append(Mismatch(f"{where} (key)", "str", _short(key.tag)))
        by_text = {str(key): value for key, value in read.items()}
        for key, value in meant.items():
            _compare(value, by_text[str(key)], f"{path}.{key}" if path else str(key), found)
        return
    if isinstance(meant, list | tuple):
        if not isinstance(read, list) or len(read) != len(meant):
            found.append(Mismatch(path, "a sequence", "another structure"))
            return
        for index, (inner, back) in enumerate(zip(meant, read, strict=True)):
            _compare(inner, back, f"{path}[{index}]", found)
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
    the long-form template dict it was written from."""
    read = yaml.load(text, Loader=Yaml11Loader)  # a SafeLoader subclass: no arbitrary objects
    found: list[Mismatch] = []
    _compare(meant, read, "", found)
    return found
