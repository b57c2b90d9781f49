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

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from . import yaml11

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
_INTRINSICS = frozenset(
    {
        "Ref",
        "Condition",
        "Fn::And",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::Contains",
        "Fn::EachMemberEquals",
        "Fn::EachMemberIn",
        "Fn::Equals",
        "Fn::FindInMap",
        "Fn::GetAtt",
        "Fn::GetAZs",
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
        "Fn::ValueOf",
        "Fn::ValueOfAll",
    }
)


class _Tagged:
    """A value written with a YAML tag (``!Ref X``)."""

    __slots__ = ("tag", "value")

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    text = str(data.value)
    # An empty tagged scalar is quoted (!GetAZs ''): bare, some YAML tools read it as null.
    return dumper.represent_scalar(data.tag, text, style="'" if text == "" else None)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar(yaml11.STR, data, style="|")
    if yaml11.implicit_tag(data) != yaml11.STR:
        # CloudFormation reads plain scalars with YAML 1.1 rules, which see numbers, booleans
        # and nulls where PyYAML sees strings (098369216593 is a float there): quote them all.
        return dumper.represent_scalar(yaml11.STR, data, style="'")
    return dumper.represent_str(data)


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


def _dumper(base: type[Any]) -> type[yaml.SafeDumper]:
    class Dumper(base):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:
            # Repeated values (the same list of subnet refs) are written out, not as &anchors.
            return True

    Dumper.add_representer(_Tagged, _represent_tagged)
    Dumper.add_representer(str, _represent_str)
    return Dumper


LIBYAML_DUMPER = _dumper(yaml.CSafeDumper) if yaml.__with_libyaml__ else None
PYTHON_DUMPER = _dumper(_PythonEmitterDumper)
_Dumper = LIBYAML_DUMPER or PYTHON_DUMPER


def _short_form(value: Any) -> Any:
    """Sort mappings and turn single-key intrinsic mappings into tagged values."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key in _INTRINSICS and (key != "Condition" or isinstance(inner, str)):
                tag = "!" + key.removeprefix("Fn::")
                if (
                    key == "Fn::GetAtt"
                    and isinstance(inner, list)
                    and all(isinstance(part, str) for part in inner)
                ):
                    return _Tagged(tag, ".".join(inner))
                return _Tagged(tag, _short_form(inner))
        return {k: _short_form(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_short_form(item) for item in value]
    return value


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
    template the project writes.
    """
    unknown = set(template) - set(SECTION_ORDER)
    if unknown:
        raise ValueError(f"unknown template sections: {', '.join(sorted(unknown))}")
    ordered = {key: _short_form(template[key]) for key in SECTION_ORDER if key in template}
    text: str = yaml.dump(
        ordered,
        Dumper=dumper or _Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=4096,
        indent=2,
    )
    if verify:
        mismatches = yaml11.type_mismatches(text, template)
        if mismatches:
            raise YamlTypeError(
                "CloudFormation would read these values as another type: "
                + "; ".join(map(str, mismatches))
            )
    return text


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    pass


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
    """Parse YAML written by :func:`to_yaml` back into the long-form template dict."""
    loaded = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    if not isinstance(loaded, dict):
        raise ValueError("not a CloudFormation template: the YAML document is not a mapping")
    return loaded


class TemplateFileError(ValueError):
    """A template file that cannot be read as a CloudFormation template; the message is one
    line, ``FILE:LINE:COLUMN: what is wrong`` (the line and column when the parser knows them)."""


def _where(path: Path, line: int | None, column: int | None) -> str:
    return f"{path}:{line}:{column}" if line is not None else str(path)


def read_template(path: Path) -> dict[str, Any]:
    """The template in the file at ``path`` (JSON or YAML, short-form intrinsics included).

    Raises :class:`TemplateFileError` for a file that is missing, unreadable, not text, not
    JSON or YAML, or whose document is not a mapping with a ``Resources`` section, so every
    command reports a bad file the same way, in one line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateFileError(f"{path}: not a text file (it is not UTF-8)") from None
    except OSError as exc:
        raise TemplateFileError(f"{path}: {exc.strerror or exc}") from None
    loaded: Any
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TemplateFileError(
                f"{_where(path, exc.lineno, exc.colno)}: not valid JSON: {exc.msg}"
            ) from None
    else:
        try:
            loaded = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "cannot be parsed"
            line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
            raise TemplateFileError(
                f"{_where(path, line, column)}: not valid YAML: {problem}"
            ) from None
        except yaml.YAMLError as exc:
            raise TemplateFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(loaded, dict):
        kind = "empty" if loaded is None else f"a {type(loaded).__name__}, not a mapping"
        raise TemplateFileError(f"{path}: not a CloudFormation template: the document is {kind}")
    if not isinstance(loaded.get("Resources"), dict):
        raise TemplateFileError(
            f"{path}: not a CloudFormation template: it has no Resources section"
        )
    return loaded


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
