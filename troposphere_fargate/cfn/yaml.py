"""Deterministic YAML for CloudFormation: same template, same bytes.

Sections come in the order people read them (description, parameters, rules, conditions,
resources, outputs); every mapping below them is sorted by key. Intrinsic functions use the
short form (``!Ref``, ``!Sub``...). Long strings stay on one line, so a changed description is a
one-line diff. Every string that YAML 1.1 would read as something else is quoted, and the text is
read back to prove it (:mod:`troposphere_fargate.cfn.yaml11`).

Emitting goes through libyaml when PyYAML has it (a fraction of the cost of ``cfn_flip``, which
troposphere's ``to_yaml`` uses), else through PyYAML's Python emitter, set up to give the same
bytes.
"""

from __future__ import annotations

import datetime
import errno
import functools
import io
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from os import PathLike
from pathlib import Path
from typing import Any, NoReturn

import yaml

from ..errors import close_match, expect, expect_path, expect_template
from . import yaml11
from .intrinsics import FUNCTIONS

TEMPLATE_FORMAT_VERSION = "2010-09-09"

SECTION_ORDER = (
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
)

# Functions written in short form: "Fn::Sub" -> "!Sub"; "Ref" and "Condition" keep their name.
# Every function CloudFormation has (intrinsics.FUNCTIONS) but those written here in long form:
# Fn::ForEach (a key of its own, Fn::ForEach::Name), Fn::GetStackOutput and Fn::Transform.
_INTRINSICS = frozenset({"Ref", "Condition"}) | (
    FUNCTIONS - {"Fn::ForEach", "Fn::GetStackOutput", "Fn::Transform"}
)


_STR = yaml11.STR
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _float_text(data: float) -> str:
    """A float as PyYAML's SafeRepresenter writes it."""
    if data != data:
        return ".nan"
    if data == float("inf"):
        return ".inf"
    if data == float("-inf"):
        return "-.inf"
    text = repr(data).lower()
    if "." not in text and "e" in text:  # 1e+20 -> 1.0e+20, which YAML 1.1 reads as a float
        text = text.replace("e", ".0e", 1)
    return text


def _scalar(value: Any) -> yaml.ScalarNode:
    if isinstance(value, str):
        if "\n" in value:
            return yaml.ScalarNode(_STR, value, style="|")
        if yaml11.implicit_tag(value) != _STR:
            # CloudFormation reads plain scalars with YAML 1.1 rules, which see numbers,
            # booleans and nulls where PyYAML sees strings (098369216593 is a float there).
            return yaml.ScalarNode(_STR, value, style="'")
        return yaml.ScalarNode(_STR, value)
    if isinstance(value, bool):
        return yaml.ScalarNode(yaml11.BOOL, "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode(yaml11.INT, str(value))
    if isinstance(value, float):
        return yaml.ScalarNode(yaml11.FLOAT, _float_text(value))
    if value is None:
        return yaml.ScalarNode(yaml11.NULL, "null")
    raise yaml.representer.RepresenterError(f"cannot write {type(value).__name__}: {value!r}")


def _node(value: Any) -> yaml.Node:
    """The YAML node for a long-form template value: mappings sorted by key, single-key
    intrinsic functions in short form (``!Ref X``), every node new (no anchors, no aliases).

    This is what PyYAML's representer built, without its dispatch on every value (writing the
    seven templates: 0.05 s -> 0.03 s); tests/release/test_build.py checks the bytes against
    the committed templates, with both emitters."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key in _INTRINSICS and (key != "Condition" or isinstance(inner, str)):
                short = "!" + key.removeprefix("Fn::")
                if (
                    key == "Fn::GetAtt"
                    and isinstance(inner, list)
                    and all(isinstance(part, str) for part in inner)
                ):
                    return yaml.ScalarNode(short, ".".join(inner))
                if isinstance(inner, list | dict):
                    argument = _node(inner)
                    if not argument.tag.startswith("!"):
                        argument.tag = short
                        return argument
                    # A node has one tag: a function whose argument is a single function
                    # (Fn::Base64 of a !Sub) keeps its long form around the short one.
                    return yaml.MappingNode(_MAP, [(_scalar(key), argument)], flow_style=False)
                text = str(inner)
                # An empty tagged scalar is quoted (!GetAZs ''): bare, some YAML tools read it
                # as null.
                return yaml.ScalarNode(short, text, style="'" if text == "" else None)
        pairs = [(_scalar(key), _node(value[key])) for key in sorted(value)]
        return yaml.MappingNode(_MAP, pairs, flow_style=False)
    if isinstance(value, list):
        return yaml.SequenceNode(_SEQ, [_node(item) for item in value], flow_style=False)
    return _scalar(value)


class _PythonEmitterDumper(yaml.SafeDumper):
    """PyYAML's pure-Python emitter, made to choose scalar styles as libyaml does.

    The two emitters differ on one point that matters here: libyaml writes a tagged scalar plain
    (``!Ref Vpc``) where the Python emitter quotes it (``!Ref 'Vpc'``). With this, both give the
    same bytes, so the output does not depend on how PyYAML was built (tests check it).
    """

    def choose_scalar_style(self) -> str:
        event = self.event
        if (
            isinstance(event, yaml.ScalarEvent)
            and (event.tag or "").startswith("!")
            and not event.style
            and not event.implicit[0]
        ):
            if self.analysis is None:
                self.analysis = self.analyze_scalar(event.value)
            plain_allowed = (
                self.analysis.allow_flow_plain
                if self.flow_level
                else self.analysis.allow_block_plain
            )
            if plain_allowed and not (
                self.simple_key_context and (self.analysis.empty or self.analysis.multiline)
            ):
                return ""
        return str(super().choose_scalar_style())


_RESOLVER: Any = yaml.resolver.Resolver()  # the dumpers' (SafeDumper's, CSafeDumper's) resolver


@functools.lru_cache(maxsize=8192)
def _plain_tag(value: str) -> str:
    """The tag PyYAML's dumpers resolve ``value`` to as a plain scalar."""
    return str(_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)))


_DEFAULT_TAGS = {yaml.ScalarNode: _STR, yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}


_CDumper: Any = yaml.CSafeDumper if yaml.__with_libyaml__ else yaml.SafeDumper


class _LibyamlDumper(_CDumper):  # type: ignore[misc]
    """libyaml's ``CSafeDumper``, asked for the same tags faster. Its emitter asks the resolver
    of every scalar whether it would read back plain, and quoted, as its tag (twice per scalar,
    a Python call each): PyYAML's resolver answers from regexes on every call; this one
    remembers a plain scalar's answer and gives the others the default tag, as PyYAML does
    for a dumper without path resolvers (none is added to this one): about a fifth of the
    time libyaml takes to write the templates."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _plain_tag(value)
        return _DEFAULT_TAGS[kind]


# The writers: :func:`to_yaml` builds the nodes itself (no anchors: every node is new), and
# either emitter serializes them.
LIBYAML_DUMPER: type[Any] | None = _LibyamlDumper if yaml.__with_libyaml__ else None
PYTHON_DUMPER: type[yaml.SafeDumper] = _PythonEmitterDumper
_Dumper = LIBYAML_DUMPER or PYTHON_DUMPER


class YamlTypeError(ValueError):
    """Written YAML would not read back, under CloudFormation's YAML 1.1 rules, as meant."""


def to_yaml(
    template: Mapping[str, Any],
    dumper: type[yaml.SafeDumper] | None = None,
    *,
    verify: bool = True,
) -> str:
    """Render a template dict (``Template.to_dict()``) as deterministic short-form YAML.

    ``verify`` (the default) reads the text back with YAML 1.1 rules, as CloudFormation does,
    and raises :class:`YamlTypeError` naming every scalar that would change type (a string read
    as a number, say): the writer quotes such strings, and this proves it did, for every
    template the project writes. ``dumper``: the PyYAML dumper class that writes the text
    (default: libyaml's ``CSafeDumper``, with a faster resolver, when PyYAML has it); a
    ``TypeError`` names either argument when it is of another type.
    """
    expect_template(template, "to_yaml(template)")
    _expect_dumper(dumper)
    expect(verify, bool, "to_yaml(verify)")  # "no" is true: it would verify all the same
    unknown = set(template) - set(SECTION_ORDER)
    if unknown:
        raise ValueError(f"unknown template sections: {', '.join(sorted(unknown))}")
    try:
        root = yaml.MappingNode(
            _MAP,
            [(_scalar(key), _node(template[key])) for key in SECTION_ORDER if key in template],
            flow_style=False,
        )
    except yaml.representer.RepresenterError as refused:  # a set, a tuple, a troposphere Ref
        where = _unwritable_path({key: template[key] for key in SECTION_ORDER if key in template})
        if where is None:
            raise
        raise yaml.representer.RepresenterError(f"{refused} at {where}") from None
    stream = io.StringIO()
    writer = (dumper or _Dumper)(
        stream, default_flow_style=False, allow_unicode=True, width=4096, indent=2
    )
    try:
        writer.open()
        writer.serialize(root)
        writer.close()
    except UnicodeEncodeError:  # libyaml's writer encodes each scalar in UTF-8
        found = next(surrogates(template), None)
        if found is None:
            raise
        raise ValueError(f"the template's {found[0]} {found[1]}") from None
    finally:
        writer.dispose()
    text = stream.getvalue()
    # A null where CloudFormation refuses one ("'null' values are not allowed in templates"):
    # written, linted clean (cfn-lint does not look) and refused by read_template only when a
    # command read the file back. Looked for only where the text holds a null.
    null = _null_problem(template) if "null" in text else None
    if null is not None:
        raise ValueError(null[1])
    if verify:
        mismatches = yaml11.type_mismatches(text, template)
        if mismatches:
            raise YamlTypeError(
                "CloudFormation would read these values as another type: "
                + "; ".join(map(str, mismatches))
            )
    return text


# What to_yaml calls of its dumper: PyYAML's dumpers and libyaml's (CSafeDumper, the default)
# all have them.
_DUMPER_METHODS = ("open", "serialize", "close", "dispose")


def _expect_dumper(dumper: object) -> None:
    """A ``TypeError`` unless ``dumper`` is None or a PyYAML dumper class: ``dumper=str``
    failed deep inside (``str() takes at most 3 arguments``)."""
    methods = all(hasattr(dumper, method) for method in _DUMPER_METHODS)
    if dumper is None or (isinstance(dumper, type) and methods):
        return
    got = f"the class {dumper.__name__}" if isinstance(dumper, type) else type(dumper).__name__
    raise TypeError(
        f"to_yaml(dumper) takes a PyYAML dumper class (yaml.SafeDumper, yaml.CSafeDumper) or "
        f"None, not {got}" + (": pass its class" if methods else "")
    )


class _KeyNotText(yaml.constructor.ConstructorError):
    """A mapping key YAML reads as a number (``1``, an unquoted account ID): CloudFormation
    refuses the template ("Template format error: [/Mappings/AccountMap] map
    keys must be strings; received numeric [123456789012] instead", aws-cloudformation/
    cfn-lint#292; the same of a resource property's key, awsdocs/aws-cloudformation-user-
    guide#404), which PyYAML reads as an int and the commands looked up as nothing."""


class _AliasUsed(yaml.constructor.ConstructorError):
    """A YAML alias (``*name``, merge keys ``<<: *name`` included): CloudFormation refuses the
    template ("Template error: YAML aliases are not allowed in CloudFormation templates",
    seeebiii/aws-cloudformation-templates#1, aws/serverless-application-model#228; "CloudFormation
    won't accept templates that contain these", aws/aws-cli#3827, which made `aws cloudformation
    package` unroll them; cloudformation-coverage-roadmap#613 asks for them), which PyYAML reads
    as a copy of the anchored value."""


# The plain keys YAML 1.1 reads as numbers (their resolved tags), which CloudFormation refuses
# in so many words. Whether it refuses a key read as a boolean or a date is not documented:
# those are left as they are.
_NUMERIC_KEYS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value, refusing one met a second time: that is what an alias is (the composer,
        libyaml's too, gives an alias the anchored node itself)."""
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasUsed(
                None,
                None,
                "YAML aliases are not allowed in CloudFormation templates, as CloudFormation "
                "says: the value anchored here is used again by an alias (`aws cloudformation "
                "package` writes a copy of the template without them)",
                node.start_mark,
            )
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # 2024-13-45: a date YAML 1.1 cannot make
            raise yaml.constructor.ConstructorError(
                None, None, _unmade_value(node, exc), node.start_mark
            ) from None
        except UNMADE_BY_TAG:  # !!bool public: PyYAML's constructor fails on its own
            raise yaml.constructor.ConstructorError(
                None, None, tag_refused(node), node.start_mark
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping, refusing a key given twice: PyYAML would keep the last silently, and
        ``aws cloudformation deploy`` refuses the file ("found duplicate key",
        brentley/container-demo#11), so what a command read would not be what deploys."""
        if not isinstance(node, yaml.MappingNode):  # !!map x, !!set [1]: a traceback before
            raise yaml.constructor.ConstructorError(None, None, tag_refused(node), node.start_mark)
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:  # on another line or the same ({a: 1, a: 2})
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"found duplicate key {key_node.value!r} (first at line "
                        f"{seen[key_node.value]})",
                        key_node.start_mark,
                    )
                seen[key_node.value] = key_node.start_mark.line + 1
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _NUMERIC_KEYS:
                raise _KeyNotText(
                    None,
                    None,
                    f"map keys must be strings; received numeric [{key_node.value}] instead, as "
                    f"CloudFormation says: quote it ('{key_node.value}')",
                    key_node.start_mark,
                )
        return mapping


# What PyYAML's constructors raise for a value an explicit tag cannot make (``!!bool public``
# a KeyError, ``!!timestamp x`` an AttributeError): a traceback from every command before.
UNMADE_BY_TAG = (KeyError, AttributeError, TypeError, IndexError)
_KINDS = {
    "timestamp": "a date",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
    "map": "a mapping",
    "set": "a mapping (a set's)",
}


def shortened(text: str) -> str:
    """``text`` as an error shows a value: its first 37 characters and "..." past 40."""
    return text if len(text) <= 40 else f"{text[:37]}..."


def tag_refused(node: yaml.Node) -> str:
    """Why a value's explicit tag cannot make it (``!!bool public``, ``!!map x``)."""
    tag = node.tag.rsplit(":", 1)[-1]
    if isinstance(node, yaml.ScalarNode):
        shown = repr(shortened(str(node.value)))
    else:
        shown = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
    return f"its tag !!{tag} asks for {_KINDS.get(tag, tag)}, which {shown} is not"


def _unmade_value(node: yaml.Node, exc: Exception) -> str:
    """Why a scalar YAML 1.1 resolves to a type (a date, an integer) cannot be made into one:
    an unquoted ``2024-02-30`` in a description, or an integer of thousands of digits, was a
    traceback from every command that reads templates."""
    shown = shortened(str(node.value))
    why = str(exc).split(";")[0]  # not Python's advice on its own limits
    tag = node.tag.rsplit(":", 1)[-1]
    kind = _KINDS.get(tag, tag)
    return (
        f"YAML 1.1 takes {shown!r} for {kind}, which it cannot make ({why}): in quotes it is text"
    )


def _construct_intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    key = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if key == "Fn::GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        raise yaml.constructor.ConstructorError(None, None, f"unexpected node {node!r}")
    return {key: value}


_Loader.add_multi_constructor("!", _construct_intrinsic)


def from_yaml(text: str) -> dict[str, Any]:
    """Parse YAML written by :func:`to_yaml` back into the long-form template dict.

    Raises PyYAML's ``yaml.YAMLError`` (with the line and column) for text that is not YAML and
    ``ValueError`` for a document that is not a mapping; :func:`read_template` turns both into
    one :class:`TemplateFileError` line naming the file. ``text`` that is no ``str`` is a
    ``TypeError`` naming it (PyYAML's "a string or stream input is required" named neither the
    call nor the argument)."""
    if isinstance(text, bytes):
        raise TypeError(
            "from_yaml(text) takes str, not bytes: decode it, or read_template(path) reads the file"
        )
    expect(text, str, "from_yaml(text)")
    loaded = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    if not isinstance(loaded, dict):
        raise ValueError("not a CloudFormation template: the YAML document is not a mapping")
    return loaded


class _RefusedJson(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (``json`` would keep the last)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RefusedJson(f"found duplicate key {key!r}")
        found[key] = value
    return found


_DUPLICATE = re.compile(r"found duplicate key (.+)")


def _duplicate_key_marks(text: str, shown: str) -> tuple[tuple[int, int], int] | None:
    """Where a JSON document gives the key ``shown`` (its repr) a second time in one object:
    the line and column of the second, and the line of the first (Python's json tells no
    position to the hook that finds it). JSON is read as YAML for its nodes' marks; None
    where that reading fails."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return None
    todo: list[yaml.Node] = [root] if root is not None else []
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and repr(key.value) == shown:
                    if key.value in seen:
                        return (key.start_mark.line + 1, key.start_mark.column + 1), seen[key.value]
                    seen[key.value] = key.start_mark.line + 1
                todo.append(value)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return None


def _no_constant(name: str) -> NoReturn:
    """``NaN``, ``Infinity`` or ``-Infinity``, which Python's ``json`` reads as numbers (and
    cfn-lint as strings): JSON has no such values ("Numeric values that cannot be represented
    in the grammar below (such as Infinity and NaN) are not permitted", RFC 8259, section 6),
    and a parser held to it refuses them (Jackson, by default: its ALLOW_NON_NUMERIC_NUMBERS is
    off). validate said "CloudFormation would accept" a bucket named NaN."""
    raise _RefusedJson(f"{name} is no JSON value (JSON has no NaN or Infinity)")


def _integer(text: str) -> int:
    """A JSON integer, refusing one Python will not convert (more than 4,300 digits: its
    ``ValueError`` was a traceback)."""
    try:
        return int(text)
    except ValueError:
        raise _RefusedJson(
            f"an integer of {len(text.lstrip('-'))} digits is too long to read"
        ) from None


def _finite(text: str) -> float:
    """A JSON number, which is finite: ``1e999`` read as infinity (what :func:`_no_constant`
    refuses written out)."""
    number = float(text)
    if math.isinf(number):
        raise _RefusedJson(f"{text} is too large for a number (read as infinity)")
    return number


class TemplateFileError(ValueError):
    """A template file that cannot be read as a CloudFormation template; the message is one
    line, ``FILE:LINE:COLUMN: what is wrong`` (the line and column when the parser knows them)."""


def unacceptable_character(text: str, exc: yaml.reader.ReaderError) -> tuple[int, int, str]:
    """The line and column (from 1) in ``text`` of the character PyYAML's reader refused (a
    NUL, an escape, another control character), and what to say of it. PyYAML says where as an
    offset on a second line ("in "<unicode string>", position 67), which libyaml counts in
    UTF-8 bytes: the character is found in the text instead."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    at = found.start() if found else exc.position
    before = text[:at]
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    problem = f"unacceptable character #x{code:04x}: {exc.reason}"
    return before.count("\n") + 1, at - before.rfind("\n"), problem


# Half of a UTF-16 surrogate pair: no character, so no UTF-8 text holds one. Python makes one
# from a "\ud800" escape, or from bytes decoded with errors="surrogateescape".
SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_problem(text: str) -> str | None:
    """What to say of ``text`` when it holds a lone surrogate (see ``SURROGATE``), else None."""
    found = SURROGATE.search(text)
    if found is None:
        return None
    return (
        f"holds U+{ord(found.group()):04X}, half of a UTF-16 surrogate pair: no character, so "
        "no UTF-8 text, and no template, can hold it (write the character itself; one beyond "
        "U+FFFF, such as an emoji, is one escape of eight hex digits, \\U0001F600, not a "
        "pair of four)"
    )


def surrogates(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Each key path (dotted, lists by index) in a template, or any value of dicts, lists and
    strings, whose key or text holds a lone surrogate, with what to say of it."""
    if isinstance(value, str):
        problem = surrogate_problem(value)
        if problem:
            yield ".".join(path), problem
    elif isinstance(value, Mapping):
        for key, item in value.items():
            problem = surrogate_problem(str(key))
            if problem:
                yield ".".join((*path, str(key))), f"its key {problem}"
            yield from surrogates(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from surrogates(item, (*path, str(index)))


def _where(path: Path, line: int | None, column: int | None) -> str:
    return f"{path}:{line}:{column}" if line is not None else str(path)


def is_json(path: Path, text: str) -> bool:
    """Whether a template file is read as JSON (its extension, or its first character), not as
    YAML: a JSON template's scalars are typed by their quotes, whatever YAML 1.1 would say."""
    return path.suffix.lower() == ".json" or text.lstrip().startswith("{")


def missing_path(path: str | PathLike[str], *, or_folder: bool = False) -> str:
    """The line every command says of a path it was given that is not there: ``<path>: the
    file does not exist`` (``no such file or folder`` where a folder is taken too), and the
    first folder on the way that is missing too (``(there is no folder /tmp/x)``).
    ``validate`` and ``cost`` said the system's ``No such file or directory``, ``diff`` and
    ``check`` this."""
    if os.fspath(path) == "-":  # as other tools read it; a file named - would have been read
        return "-: standard input is not read: give the file's path"
    special = not_a_regular_file(path)  # a link that leads nowhere "exists" as no file
    if special is not None:
        return special
    folder = next((p for p in reversed(Path(path).parents) if not p.exists()), None)
    nor = f" (there is no folder {folder})" if folder is not None else ""
    return f"{path}: {'no such file or folder' if or_folder else 'the file does not exist'}{nor}"


def not_a_regular_file(path: str | PathLike[str]) -> str | None:
    """The line every command says of a template path that is no file it can read (a symbolic
    link that leads nowhere or in a loop, a FIFO, a socket, a device), or None (a regular file,
    a folder, or a path that is not there, each said elsewhere). A FIFO was read until a writer
    came, forever; a link that leads nowhere, in a folder, was passed over in silence."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"{path}: a symbolic link to {os.readlink(path)}, which does not exist"
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{path}: a symbolic link in a loop (it leads back to itself)"
        return f"{path}: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket or a device"
    return f"{path}: {kind}, not a template file"


def folder_given(
    path: str | PathLike[str], what: str = "a template file", example: str = ""
) -> str:
    """The line a command that reads one file says of a folder given instead (the system's
    ``Is a directory`` named neither what it takes nor what is in the folder): what the
    command takes (``what``), and the folder's file ``example`` when it has one."""
    such = Path(path) / example if example else None
    return f"{path}: a folder, not {what}" + (
        f": such as {such}" if such and such.is_file() else ""
    )


def read_template(path: Path | str) -> dict[str, Any]:
    """The template in the file at ``path`` (JSON or YAML, short-form intrinsics included).

    Raises :class:`TemplateFileError` for a file that is missing, unreadable, not text, not
    JSON or YAML, or whose document is not a mapping with a ``Resources`` section, or is of
    another shape than CloudFormation takes (a resource that is not a mapping or has no
    ``Type``, a ``Parameters`` section that is a list), so every command reports a bad file
    the same way, in one line.
    """
    expect_path(path, "read_template(path)", "template file")
    path = Path(path)
    special = not_a_regular_file(path)
    if special is not None:
        raise TemplateFileError(special)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateFileError(f"{path}: not a text file (it is not UTF-8)") from None
    except FileNotFoundError:
        raise TemplateFileError(missing_path(path)) from None
    except OSError as exc:  # a folder: IsADirectoryError, or PermissionError on Windows
        raise TemplateFileError(
            folder_given(path, example="root.yaml")
            if path.is_dir()
            else f"{path}: {exc.strerror or exc}"
        ) from None
    loaded: Any
    if is_json(path, text):
        try:
            loaded = json.loads(
                text,
                object_pairs_hook=_no_duplicate_keys,
                parse_constant=_no_constant,
                parse_float=_finite,
                parse_int=_integer,
            )
        except _RefusedJson as exc:
            duplicate = _DUPLICATE.fullmatch(str(exc))
            found = _duplicate_key_marks(text, duplicate.group(1)) if duplicate else None
            if found is not None:  # where it is, as a YAML template's duplicate is told
                (at_line, at_column), first = found
                raise TemplateFileError(
                    f"{_where(path, at_line, at_column)}: not valid JSON: {exc} (first at line "
                    f"{first})"
                ) from None
            raise TemplateFileError(f"{path}: not valid JSON: {exc}") from None
        except json.JSONDecodeError as exc:
            raise TemplateFileError(
                f"{_where(path, exc.lineno, exc.colno)}: not valid JSON: {exc.msg}"
            ) from None
        except RecursionError:
            raise TemplateFileError(_too_deep(path)) from None
    else:
        try:
            loaded = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
        except (_KeyNotText, _AliasUsed) as exc:
            mark = exc.problem_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
            raise TemplateFileError(
                f"{_where(path, line, column)}: not a CloudFormation template: {exc.problem}"
            ) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "cannot be parsed"
            line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
            raise TemplateFileError(
                f"{_where(path, line, column)}: not valid YAML: {problem}"
            ) from None
        except yaml.reader.ReaderError as exc:
            line, column, problem = unacceptable_character(text, exc)
            raise TemplateFileError(
                f"{_where(path, line, column)}: not valid YAML: {problem}"
            ) from None
        except yaml.YAMLError as exc:
            raise TemplateFileError(f"{path}: not valid YAML: {exc}") from None
        except RecursionError:
            raise TemplateFileError(_too_deep(path)) from None
    if _depth_over(loaded, MAX_DEPTH):
        raise TemplateFileError(_too_deep(path))
    if not isinstance(loaded, dict):
        kind = "empty" if loaded is None else f"{_a(loaded)}, not a mapping"
        raise TemplateFileError(f"{path}: not a CloudFormation template: the document is {kind}")
    resources = _resources_problem(loaded)
    if resources is not None:
        # A Resources section of another shape is named as such, where the file has it: "it
        # has no Resources section" sent the reader looking for a section that is there.
        line, column = _key_mark(text, is_json(path, text), ("Resources",))
        raise TemplateFileError(
            f"{_where(path, line, column)}: not a CloudFormation template: {resources}"
        )
    if "Resources" not in loaded:
        spec = "services" in loaded
        hint = (
            ": it looks like an application spec; `troposphere-fargate build --spec "
            f"{path} --output DIR` builds its templates"
            if spec
            else ""
        )
        raise TemplateFileError(
            f"{path}: not a CloudFormation template: it has no Resources section{hint}"
        )
    # A transformed template is refused for a null by what its transforms make of it, not as
    # written: the SAM transform takes a state machine's "ResultPath: null" and deploys it
    # (aws/serverless-application-model#1618, "works fine when I deploy it"), without the key
    # in the processed template (aws-cloudformation/cfn-lint#1657).
    nulls = None if transformed_by(loaded) else _null_problem(loaded)
    misshapen = _shape_problem(loaded) or _format_problem(loaded) or nulls
    if misshapen is not None:
        keys, problem = misshapen
        line, column = _key_mark(text, is_json(path, text), keys)
        raise TemplateFileError(
            f"{_where(path, line, column)}: not a CloudFormation template: {problem}"
        )
    return loaded


# How deep a template's values may nest: the commands that read templates walk them
# recursively (Python's limit is 1,000 frames), and 400 levels of lists were a RecursionError.
# CloudFormation documents no limit; the shipped templates nest 29 levels at most.
MAX_DEPTH = 100


def _depth_over(value: Any, limit: int) -> bool:
    """Whether ``value`` nests mappings and lists more than ``limit`` levels deep (without
    recursion, which such a value would exhaust)."""
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        node, depth = todo.pop()
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        if children and depth >= limit:
            return True
        todo.extend((child, depth + 1) for child in children)
    return False


def _too_deep(path: Path) -> str:
    return (
        f"{path}: not read: its values nest more than {MAX_DEPTH} levels deep, more than the "
        "commands read (the templates this project ships nest 29 at most)"
    )


def _resources_problem(template: Mapping[str, Any]) -> str | None:
    """What is wrong with a ``Resources`` section that is there but no mapping, or None (also
    for a template with a Transform section, whose other shapes are left to its transforms)."""
    if "Resources" in template and not isinstance(template["Resources"], dict):
        return f"its Resources section is {_a(template['Resources'])}, not a mapping"
    return None


def template_problem(template: Mapping[str, Any]) -> str | None:
    """Why ``template`` (a dict, as the library's calls take it) is not of the shape
    CloudFormation takes, in words, or None: what :func:`read_template` refuses in a file (a
    section or entry of another shape, such as a ``Resources`` section or a resource that is
    null, or a resource without a Type), for the calls that take the dict itself, so that they
    say so instead of failing deep inside. A template without a ``Resources`` section, a
    fragment of parameters and rules, passes: the calls read it as one that creates nothing
    (CloudFormation would refuse it, and :func:`read_template` does). A null inside a value
    is left to each call, which names the function it is in."""
    resources = _resources_problem(template)
    if resources is not None:
        return resources
    misshapen = _shape_problem(template)
    return None if misshapen is None else misshapen[1]


def _null_path(node: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """The path of the first null value in ``node`` (``("Resources", "T", "Properties",
    "TopicName")``), or None. Not looked into: a property's own value (a JSON property such as
    a state machine's Definition may hold a null, "CloudFormation service does not accept null
    values but it does accept JSON/YAML properties that have null values in them",
    aws-cloudformation/cfn-lint#2242, by its maintainer, while an EventPattern's null was
    refused, cloudformation-coverage-roadmap#1378: which properties take one is not
    documented) and Metadata, free-form too: a null there is left to CloudFormation."""
    if node is None:
        return path
    inside_property = len(path) >= 4 and path[0] == "Resources" and path[2] == "Properties"
    if inside_property or "Metadata" in path[:3:2]:
        return None
    items: Iterable[tuple[str | int, Any]] = ()
    if isinstance(node, Mapping):  # a UserDict template too: it bypassed the check
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    for key, value in items:
        found = _null_path(value, (*path, key))
        if found is not None:
            return found
    return None


def _unwritable_path(node: Any, path: str = "") -> str | None:
    """Where the first value YAML cannot write is (``Resources.R.Properties.A``), in the order
    the writer meets them (each mapping's keys sorted): to_yaml's "cannot write tuple" named
    neither the key nor the resource."""
    if isinstance(node, dict):
        ordered = node if not path else {key: node[key] for key in sorted(node)}
        for key, value in ordered.items():
            found = _unwritable_path(value, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
        return None
    if isinstance(node, list):
        for index, value in enumerate(node):
            found = _unwritable_path(value, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    return None if node is None or isinstance(node, str | int | float) else path


def _null_problem(template: Mapping[str, Any]) -> _Problem | None:
    """A null value anywhere (``TopicName:`` with nothing after it): CloudFormation refuses the
    template, "[/Resources/myInstance/Type/EbsOptimized] 'null' values are not allowed in
    templates" (aws-cloudformation/cfn-lint#38, by its maintainer; the same of a mapping's
    value or a DependsOn item, cloudformation-coverage-roadmap#1378), which the commands read
    as a value left out."""
    path = _null_path(template)
    if path is None:
        return None
    keys: list[str] = []
    for key in path:  # the line of the last mapping key on the way (a list's item has none)
        if not isinstance(key, str):
            break
        keys.append(key)
    where = "/".join(str(key) for key in path)
    return tuple(keys), (
        f"[/{where}] 'null' values are not allowed in templates, as CloudFormation says: give "
        "it a value, or leave the key out"
    )


# The sections CloudFormation takes as mappings, and in them the entries that are mappings
# too ("Template format error" before anything is read). The commands read them without
# looking first: a list there, or a resource without a Type, was a traceback. (Metadata is
# read where it is used: diff compares a template whose Metadata is a list. A condition's
# entry is not checked: cfn-lint takes true or false there (E8001), and validate says what
# does not evaluate to either.)
_MAPPING_SECTIONS = ("Parameters", "Rules", "Mappings", "Conditions", "Resources")
_MAPPING_ENTRIES = {"Parameters": "parameter", "Rules": "rule", "Mappings": "Mappings entry"}

# Keys in a section that name no entry of it, but a transform CloudFormation expands before it
# reads the section (AWS CloudFormation Template Reference):
# - "Fn::Transform" (the AWS::Include transform, "usable anywhere within the template except
#   the Parameters section"): the file at its Location is inserted in its place, so an entry
#   holding the key gets its content from that file too;
# - "Fn::ForEach::LoopLogicalName" (Fn::ForEach, AWS::LanguageExtensions; in Conditions,
#   Outputs and Resources): a list of an identifier, a collection and the entries it makes,
#   whose logical IDs exist only once the loop is expanded.
_LOOP = "Fn::ForEach::"
_EXPANDED_KEYS = ("Fn::Transform", _LOOP)


# Where the template CloudFormation makes of a transformed one is read.
PROCESSED_TEMPLATE = (
    "aws cloudformation get-template --template-stage Processed, of a stack or change set"
)


# The transforms whose template cannot be read as written, named in its Transform section:
# AWS::LanguageExtensions adds loops and functions (Fn::ForEach, Fn::Length, Fn::ToJsonString)
# that exist only once expanded, and AWS::Include inserts a file from S3. Another (AWS::Serverless,
# a macro of one's own) makes resources of its own types, read as written: their types are not
# checked. An Fn::Transform anywhere is a snippet its macro replaces (AWS::Include's file, or a
# macro of one's own): unreadable as written too.
_UNREADABLE_AS_WRITTEN = ("AWS::LanguageExtensions", "AWS::Include")


def _macro_name(entry: Any) -> str:
    """A transform's name, given as a string or as a mapping with ``Name`` (the form that
    takes ``Parameters``: ``Transform: {Name: AWS::Include, Parameters: {Location: ...}}``)."""
    return str(entry.get("Name", "?")) if isinstance(entry, Mapping) else str(entry)


def expanded_by(template: Mapping[str, Any]) -> list[str]:
    """The transforms CloudFormation runs on ``template`` before it reads it that leave it
    unreadable as written: AWS::LanguageExtensions or AWS::Include in its ``Transform`` section
    (a name, or a mapping with its ``Name``), and the macro of each ``Fn::Transform`` anywhere
    in it (which needs no Transform section). Empty for a template that can be read as
    written."""
    found = [n for n in _named_transforms(template) if n in _UNREADABLE_AS_WRITTEN]
    return found + [n for n in _snippet_macros(template) if n not in found]


def _named_transforms(template: Mapping[str, Any]) -> list[str]:
    """The transforms of ``template``'s ``Transform`` section, in order, once each."""
    named = template.get("Transform")
    listed = named if isinstance(named, list) else [named] if named else []
    return list(dict.fromkeys(map(_macro_name, listed)))


def transformed_by(template: Mapping[str, Any]) -> list[str]:
    """Every transform CloudFormation runs on ``template`` before it creates anything: each in
    its ``Transform`` section (AWS::Serverless-2016-10-31, AWS::LanguageExtensions, a macro of
    one's own), and the macro of each ``Fn::Transform`` anywhere in it; empty for a template
    CloudFormation deploys as written."""
    found = _named_transforms(template)
    return found + [n for n in _snippet_macros(template) if n not in found]


def _snippet_macros(node: Any) -> list[str]:
    """The macro names of every ``Fn::Transform`` in ``node``, in order, once each."""
    names: list[str] = []
    if isinstance(node, dict):
        if "Fn::Transform" in node:
            # A list of macros, each a mapping with its Name (AWS's own macro examples write
            # one so): each named, not the list's Python text.
            called = node["Fn::Transform"]
            names += [
                _macro_name(entry) for entry in (called if isinstance(called, list) else [called])
            ]
        for value in node.values():
            names += _snippet_macros(value)
    elif isinstance(node, list):
        for item in node:
            names += _snippet_macros(item)
    return list(dict.fromkeys(names))


# Where a part of a template that is not of CloudFormation's shape is (the keys leading to it)
# and what is wrong with it; None when nothing is.
_Problem = tuple[tuple[str, ...], str] | None


def _a(value: Any) -> str:
    """What ``value`` read from a template is, in a template's words ("a dict" and "a str"
    were Python's)."""
    kind = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        dict: "a mapping",
        list: "a list",
        datetime.date: "a date",
        datetime.datetime: "a timestamp",
    }
    return "nothing" if value is None else kind.get(type(value), f"a {type(value).__name__}")


def _entries(template: Mapping[str, Any], section: str) -> list[tuple[str, Any]]:
    """A section's entries by name, without the keys a transform expands."""
    return [
        (str(name), entry)
        for name, entry in template.get(section, {}).items()
        if not str(name).startswith(_EXPANDED_KEYS)
    ]


def _included(entry: Any) -> bool:
    """Whether AWS::Include gives ``entry`` its content (``Fn::Transform`` in it)."""
    return isinstance(entry, dict) and "Fn::Transform" in entry


def _shape_problem(template: Mapping[str, Any]) -> _Problem:
    """The first part of ``template`` that is not of the shape CloudFormation takes: the keys
    that lead to it and what is wrong, or None.

    None for a template with a ``Transform`` section: CloudFormation checks the template its
    transforms return, not the one written (User Guide, "template macros": a macro named in
    the Transform section is handed the whole template and may rewrite any of it;
    AWS::LanguageExtensions takes intrinsic functions where CloudFormation takes none, such
    as DeletionPolicy; AWS::Include there inserts a file at the top level). What the file
    holds need not be of the final shape, and a template refused here that CloudFormation
    takes is worse than a shape left to cfn-lint and CloudFormation."""
    if "Transform" in template:
        return None
    for section in (*_MAPPING_SECTIONS, "Outputs"):
        if section in template and not isinstance(template[section], dict):
            return (section,), f"its {section} section is {_a(template[section])}, not a mapping"
    for section in ("Conditions", "Outputs", "Resources"):
        for name in template.get(section, {}):
            if str(name).startswith(_LOOP):  # no Transform section, so no loop is expanded
                return (section, str(name)), (
                    "Fn::ForEach needs the template's Transform: AWS::LanguageExtensions: "
                    "CloudFormation refuses it otherwise"
                )
    entries = {**_MAPPING_ENTRIES, "Resources": "resource", "Outputs": "output"}
    for section, what in entries.items():
        for name, entry in _entries(template, section):
            if not isinstance(entry, dict):
                return (section, name), f"{what} {name} is {_a(entry)}, not a mapping"
    for section, check in (
        ("Resources", _resource_problem),
        ("Parameters", _parameter_problem),
        ("Outputs", _output_problem),
    ):
        for name, entry in _entries(template, section):
            found = None if _included(entry) else check(name, entry)
            if found is not None:
                return (section, name, *found[0]), found[1]
    for name, entry in _entries(template, "Parameters"):
        problem = None if _included(entry) else _parameter_type_problem(entry["Type"])
        if problem is not None:
            return ("Parameters", name, "Type"), f"parameter {name}: {problem}"
    return None


# "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the template" (User
# Guide, Resources section; the same of parameters, mappings and outputs): CloudFormation
# says "Template format error: Resource name SNS_TOPIC is non alphanumeric."
# (aws-cloudformation/cfn-lint#160).
_LOGICAL_ID = re.compile(r"[A-Za-z0-9]+")
_NAMED = {
    "Resources": "Resource",
    "Parameters": "Parameter",
    "Mappings": "Mapping",
    "Outputs": "Output",
}


def _format_problem(template: Mapping[str, Any]) -> _Problem:
    """What CloudFormation refuses as a "Template format error" in a file whose shape
    :func:`_shape_problem` took: a ``Resources`` section without a resource ("At least one
    Resources member must be defined.", JulieElkinsAWS/CFtemplates#1,
    agutoli/serverless-layers#96), or a name that is not alphanumeric. None for a template
    with a Transform section, whose transforms make its resources and names (a SAM function
    becomes three resources; ``Fn::ForEach::Topics`` is a key of its own). diff said "safe"
    of a template that empties Resources, and of a resource renamed ``my-topic``."""
    if "Transform" in template:
        return None
    if template.get("Resources") == {}:
        return ("Resources",), (
            'its Resources section is empty: CloudFormation refuses the template ("At least '
            'one Resources member must be defined.")'
        )
    for section, what in _NAMED.items():
        for name, _ in _entries(template, section):
            if not _LOGICAL_ID.fullmatch(str(name)):
                return (section, name), (
                    f'{what.lower()} {name}: CloudFormation refuses the template ("{what} name '
                    f'{name} is non alphanumeric."): a logical ID is letters and digits only'
                )
    return None


def _condition_problem(what: str, entry: Mapping[str, Any]) -> _Problem:
    """A ``Condition`` that is no condition's name: validate and diff looked it up (a list
    there was their ``TypeError: unhashable type``), and cfn-lint refuses it (E3001, E6003)."""
    if "Condition" in entry and not isinstance(entry["Condition"], str):
        return ("Condition",), (
            f"{what}: its Condition is {_a(entry['Condition'])}, not the name of a condition"
        )
    return None


def _resource_problem(name: str, resource: Mapping[str, Any]) -> _Problem:
    """What is wrong with a resource (a mapping): the keys from it to the part, and what."""
    if not isinstance(resource.get("Type"), str):
        if "Type" not in resource:
            return (), f"resource {name} has no Type (such as AWS::S3::Bucket)"
        return ("Type",), (
            f"resource {name}: its Type is {_a(resource['Type'])}, not a string such as "
            "AWS::S3::Bucket"
        )
    for key in ("Properties", "Metadata"):
        if key in resource and not isinstance(resource[key], dict):
            return (key,), f"resource {name}: its {key} is {_a(resource[key])}, not a mapping"
    depends = resource.get("DependsOn", [])
    if not isinstance(depends, str) and not (
        isinstance(depends, list) and all(isinstance(item, str) for item in depends)
    ):
        return ("DependsOn",), (
            f"resource {name}: its DependsOn is {_a(depends)}, not a name or a list of names"
        )
    return _condition_problem(f"resource {name}", resource)


def _parameter_problem(name: str, parameter: Mapping[str, Any]) -> _Problem:
    """A parameter (a mapping) without a Type, or with a Default that is no scalar or bounds
    that are no numbers; its Type is checked once every entry's shape is."""
    if "Type" not in parameter:
        return (), f"parameter {name} has no Type"
    default = parameter.get("Default")
    if isinstance(default, (dict, list)):
        # "Template format error: Every Default member must be a string." (cloudtools/
        # troposphere#808); a list's default is one text, its items separated by commas.
        # validate read a list as the Python text "['a', 'b']".
        return ("Default",), (
            f"parameter {name}: its Default is {_a(default)}, not a string: CloudFormation "
            'refuses the template ("Every Default member must be a string."); write a list\'s '
            "items as one text, separated by commas"
        )
    for key, number, what in (
        ("MinValue", _NUMBER, "a number"),
        ("MaxValue", _NUMBER, "a number"),
        ("MinLength", _COUNT, "a whole number, 0 or more"),
        ("MaxLength", _COUNT, "a whole number, 0 or more"),
    ):
        value = parameter.get(key)
        text = value if isinstance(value, str) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = repr(value) if isinstance(value, float) else str(value)
        if key in parameter and (text is None or not number.fullmatch(text)):
            # validate compared with float('abc') and int('abc'): a ValueError traceback.
            shown = str(value).lower() if isinstance(value, bool) else repr(value)
            return (key,), f"parameter {name}: its {key} is {shown}, not {what}"
    return None


_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_COUNT = re.compile(r"[0-9]+")


def _output_problem(name: str, output: Mapping[str, Any]) -> _Problem:
    """What is wrong with an output (a mapping): the keys from it to the part, and what."""
    if "Value" not in output:
        return (), f"output {name} has no Value"
    return _condition_problem(f"output {name}", output)


# The parameter types CloudFormation takes: AWS CloudFormation User Guide, "Parameters
# template section syntax" (Type: String, Number, List<Number>, CommaDelimitedList, the
# AWS-specific and the Systems Manager parameter types), as cfn-lint lists them
# (cfnlint.helpers.VALID_PARAMETER_TYPES, rule E2002). Any other type is refused with the
# template ("Template format error: Unrecognized parameter type").
_AWS_SPECIFIC_TYPES = (
    "AWS::EC2::AvailabilityZone::Name",
    "AWS::EC2::Image::Id",
    "AWS::EC2::Instance::Id",
    "AWS::EC2::KeyPair::KeyName",
    "AWS::EC2::SecurityGroup::GroupName",
    "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id",
    "AWS::EC2::VPC::Id",
    "AWS::EC2::Volume::Id",
    "AWS::Route53::HostedZone::Id",
)
PARAMETER_TYPES = frozenset(
    {
        "String",
        "Number",
        "List<Number>",
        "CommaDelimitedList",
        "AWS::SSM::Parameter::Name",
        *_AWS_SPECIFIC_TYPES,
        *(f"List<{kind}>" for kind in _AWS_SPECIFIC_TYPES if kind != "AWS::EC2::KeyPair::KeyName"),
    }
)
# CloudFormation also takes any List<...> and AWS::SSM::Parameter::Value<...> (of String,
# List<String>, CommaDelimitedList, an AWS-specific type...), checking fewer of their values
# (cfn-lint's W2002): those are never refused here.
_OPEN_PARAMETER_TYPES = ("List<", "AWS::SSM::Parameter::Value<")


def _parameter_type_problem(kind: Any) -> str | None:
    """What is wrong with a parameter's ``Type``, or None for one CloudFormation takes."""
    if not isinstance(kind, str):
        return f"its Type is {_a(kind)}, not a string such as String"
    if kind in PARAMETER_TYPES or kind.startswith(_OPEN_PARAMETER_TYPES):
        return None
    close = close_match(kind, PARAMETER_TYPES)
    hint = f" (did you mean {close}?)" if close else ""
    return (
        f"{kind} is not a parameter type{hint}: CloudFormation refuses the template "
        '("Unrecognized parameter type")'
    )


def _key_mark(text: str, json_text: bool, keys: tuple[str, ...]) -> tuple[int | None, int | None]:
    """The line and column of the last of ``keys``, followed from the document's top, or
    (None, None) when the text does not compose. Composed, not constructed: any tag reads."""
    try:
        # A tab may separate JSON's tokens, never YAML's: inside a JSON string it is \t.
        node = yaml.compose(text.replace("\t", " ") if json_text else text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None, None
    mark = None
    for key in keys:
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        found = next((pair for pair in pairs if getattr(pair[0], "value", None) == key), None)
        if found is None:
            break
        mark, node = found[0].start_mark, found[1]
    return (mark.line + 1, mark.column + 1) if mark else (None, None)


def read_templates(paths: Iterable[Path]) -> dict[Path, dict[str, Any]]:
    """:func:`read_template` for each of ``paths``; when any cannot be read, one
    :class:`TemplateFileError` with a line for every such file, not just the first."""
    templates, problems = {}, []
    for path in paths:
        try:
            templates[path] = read_template(path)
        except TemplateFileError as exc:
            problems.append(str(exc))
    if problems:
        raise TemplateFileError("\n".join(problems))
    return templates


# Metadata.TroposphereFargate.Merges of a template made of others (instance.yaml: network.yaml
# and service.yaml, without nested stacks): their files, which its folder holds too.
MERGES = "Merges"


def merged_from(template: Mapping[str, Any]) -> list[str]:
    """The files a template merges (``Metadata.TroposphereFargate.Merges``), or none: what
    they say (``diff``'s findings, the build's problems) is said once, for them."""
    metadata = template.get("Metadata")
    mark = metadata.get("TroposphereFargate") if isinstance(metadata, Mapping) else None
    files = mark.get(MERGES) if isinstance(mark, Mapping) else None
    if isinstance(files, list) and all(isinstance(name, str) for name in files):
        return list(files)
    return []
