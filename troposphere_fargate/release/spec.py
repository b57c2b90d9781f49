"""The application spec file: a user's application in YAML, read into a
:class:`~troposphere_fargate.layers.config.ProductConfig`.

:data:`SPEC` is the one table of the file's keys: each :class:`Key` gives its name, the type of
its value, the config field it sets and its description. The parser (:func:`parse_spec`,
:func:`load_spec`), the JSON Schema (:func:`spec_schema`) and the reference
(:func:`spec_markdown`) are all derived from it, so they cannot disagree.

The parser reads YAML nodes, not Python values, so an error names the key path and the line of
the file (``app.yaml:12: services.web.secrets.API_KEY: ...``) and a key given twice is refused
(PyYAML alone silently keeps the last). The types module validates across fields when the
configs are built; its :class:`ConfigError` becomes a :class:`SpecError` at the key it is about,
with its reason kept.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..cfn.limits import (
    CONTAINERS_PER_TASK,
    EC2_GROUP_RULE_TEXT,
    EC2_TEXT,
    EC2_TEXT_RULE,
    MANAGED_POLICIES_PER_ROLE,
    SCHEDULED_ACTIONS_PER_SCALABLE_TARGET,
)
from ..cfn.yaml import (
    UNMADE_BY_TAG,
    folder_given,
    missing_path,
    shortened,
    surrogate_problem,
    tag_refused,
    unacceptable_character,
)
from ..errors import expect, expect_path, field_error
from ..layers.application import (
    ACTION,
    ANY_ARN,
    CONDITION_KEY,
    CONDITION_OPERATOR,
    CONTAINER_NAME,
    CREDENTIAL_VARIABLES,
    ECR_IMAGE,
    EFFECTS,
    ENVIRONMENT_NAME,
    EPHEMERAL_STORAGE_GIB,
    HEALTH_CHECK_KINDS,
    HEALTH_CHECK_LIMITS,
    KMS_KEY_ARN,
    MANAGED_POLICY_ARN,
    MAX_CONTAINER_NAME,
    NON_ROOT_USER,
    NON_ROOT_USER_MEANS,
    PARAMETER_ARN,
    PREFIX_LIST_ID,
    PROTOCOLS,
    PSEUDO_PARTITION,
    SECRET_ARN,
    SECURITY_GROUP_ID,
    STOP_TIMEOUT_SECONDS,
    Application,
    EgressRule,
    HealthCheck,
    PolicyCondition,
    PolicyStatement,
    Secret,
    Sidecar,
    TaskRole,
    condition_operator_problem,
    credential_problem,
    kms_key_hint,
    partition_of,
    pull_through_hint,
    secret_hint,
)
from ..layers.blocks import CIDR_PATTERN, INGRESS_CIDR_PATTERN, VPC_PREFIX_LENGTHS
from ..layers.config import (
    ALARM_TOPIC_ARN_PATTERN,
    CAPACITY_PROVIDERS,
    CERTIFICATE_NAME_MAX,
    CPU_ARCHITECTURES,
    DOMAIN_NAME_PATTERN,
    ENVIRONMENT_LOAD_BALANCER_FIELDS,
    FARGATE_TASK_SIZES,
    HEALTH_CHECK_PATH_MAX,
    HEALTH_CHECK_PATH_PATTERN,
    HOSTED_ZONE_ID_PATTERN,
    KNOWN_GATEWAY_ENDPOINTS,
    KNOWN_INTERFACE_ENDPOINTS,
    LOAD_BALANCER_TYPES,
    LOG_RETENTION_DAYS,
    MAX_DEREGISTRATION_DELAY_SECONDS,
    MAX_HEALTH_CHECK_GRACE_PERIOD_SECONDS,
    MAX_MEMBER_NAME,
    MAX_REQUESTS_PER_TARGET,
    MAX_TASKS,
    NAT_GATEWAY_MODES,
    NAT_NONE,
    NETWORK_LOAD_BALANCER,
    REQUIRED_GATEWAY_ENDPOINTS,
    REQUIRED_INTERFACE_ENDPOINTS,
    S3_ENDPOINT_ACCESSES,
    STRONG_TLS_POLICY,
    SUPPORTED_AZ_COUNTS,
    TARGET_UTILIZATION_RANGE,
    WEB_ACL_ARN_PATTERN,
    ConfigError,
    EnvironmentConfig,
    NetworkConfig,
    ProductConfig,
    ServiceConfig,
    fields_without_use,
)
from ..layers.deployment import (
    DEPLOYMENT_STRATEGIES,
    MAX_BAKE_MINUTES,
    MIN_CANARY_PERCENT,
    MIN_STEP_PERCENT,
    ROLLING,
    DeploymentSettings,
    in_tenths,
)
from ..layers.environment.names import CERTIFICATE
from ..layers.environment.names import LAYER as ENVIRONMENT_LAYER
from ..layers.exposure import (
    APP_PROTOCOLS,
    EXPOSE_INTERNAL,
    EXPOSE_PUBLIC,
    EXPOSURES,
    HOST_PATTERN,
    MAX_HOST,
    MAX_PATH,
    MAX_PRIORITY,
    MAX_VALUES_PER_CONDITION,
    MIN_PRIORITY,
    PATH_PATTERN,
    Routing,
)
from ..layers.health import (
    ELB_DEFAULT_TIMEOUT_CHOICE,
    HEALTH_CHECK_INTERVALS,
    HEALTH_CHECK_TIMEOUTS,
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    SUCCESS_CODES_PATTERN,
    TargetHealth,
    timeouts_for,
)
from ..layers.network import LAYER as NETWORK_LAYER
from ..layers.queue_scaling import (
    MAX_MESSAGES_PER_TASK,
    MIN_RUNNING_TASKS,
    QUEUE_NAME,
    QueueScaling,
    queue_name_hint,
)
from ..layers.root import LAYER as ROOT_LAYER
from ..layers.schedules import (
    ACTION_NAME_PATTERN,
    SCHEDULE_PATTERN,
    TIMEZONE_PATTERN,
    ScheduledScaling,
    zone_hint,
)
from ..layers.service.names import EXECUTION_ROLE, TASK_ROLE
from ..layers.service.names import LAYER as SERVICE_LAYER
from .build import TemplateChecksFailed, TemplateProblem

__all__ = [
    "ENVIRONMENT_EXAMPLE_SPEC",
    "EXAMPLE_SPEC",
    "SPEC",
    "Key",
    "SpecError",
    "load_spec",
    "parse_spec",
    "read_spec_text",
    "spec_build_error",
    "spec_docs",
    "spec_keys",
    "spec_markdown",
    "spec_schema",
]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PORT = (1, 65535)
# A statement's resource may be "*", but only written on purpose.
ANY_RESOURCE = re.compile(r"^\*$")


class SpecError(ValueError):
    """A spec file is invalid. The message is one line per problem: ``<file>:<line>: <key
    path>: <what is wrong>`` (the key path is left out for the file as a whole), in the order of
    the file. Unknown keys are reported first, all at once; then every value refused, with what
    the checks across a service's values and across services find. YAML that does not parse,
    and a key given twice, stop the reading there. :attr:`problems` gives the lines as a list,
    as :class:`~troposphere_fargate.cfn.dry_run.DryRunFailed` does."""

    @property
    def problems(self) -> list[str]:
        """One line per problem, in the order of the file."""
        return str(self).splitlines()


KeyPath = tuple[str | int, ...]


def _dotted(path: KeyPath) -> str:
    """``("services", "web", "sidecars", 0)`` -> ``services.web.sidecars[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def _what(node: Node) -> str:
    """What a node holds, for 'expected X, got Y'."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    kind = node.tag.rsplit(":", 1)[-1]
    if kind == "null":
        return "nothing (null)"
    if kind == "str":
        return f"a string ({node.value!r})"
    named = {"int": "an integer", "float": "a number", "bool": "a boolean", "timestamp": "a date"}
    return f"{named.get(kind, 'a ' + kind)} ({node.value})"


# The tags of plain scalars YAML 1.1 would turn into something else than text: their text is
# taken as written where a value is text (the construction of 2026-02-30 would fail).
_PLAIN_TEXT_TAGS = frozenset(
    f"tag:yaml.org,2002:{kind}" for kind in ("bool", "int", "float", "null", "timestamp", "str")
)


_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _joined(pair: re.Match[str]) -> str:
    return pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


@dataclass
class _Reader:
    """One spec file being read: where errors point, and every ARN seen (with its node), so a
    partition mismatch can point at the odd one out."""

    filename: str
    loader: yaml.SafeLoader
    arns: list[tuple[str, KeyPath, Node]] = field(default_factory=list)

    def error(self, node: Node, path: KeyPath, message: str) -> SpecError:
        where = f"{_dotted(path)}: " if path else ""
        text = f"{self.filename}:{node.start_mark.line + 1}: {where}{message}"
        return SpecError(text.replace("\n", " "))

    def scalar(self, node: Node, path: KeyPath) -> Any:
        """A scalar node's Python value, as PyYAML's SafeLoader reads it; None for a list or a
        mapping (the caller says what it expected)."""
        # Only the standard tags a safe loader reads: !!python/object/... is "tag:yaml.org,2002:"
        # too, and would otherwise be judged by its node's shape ("got a list").
        if node.tag not in yaml.SafeLoader.yaml_constructors:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.error(node, path, f"YAML tags such as {shown} are not supported")
        if not isinstance(node, ScalarNode):
            return None
        self._refuse_surrogates(node, path)
        try:
            return self.loader.construct_object(node)
        except yaml.MarkedYAMLError as exc:
            raise self.error(node, path, f"invalid YAML value: {exc.problem}") from None
        except (ValueError, OverflowError) as exc:  # 2026-02-30: a date YAML cannot make
            shown = shortened(node.value)
            why = str(exc).split(";")[0]  # not Python's advice on its own limits
            quote = "" if self._tagged(node) else " (in quotes it is text)"
            raise self.error(node, path, f"invalid YAML value {shown!r}: {why}{quote}") from None
        except UNMADE_BY_TAG:  # !!bool public: PyYAML's constructor fails on its own
            raise self.error(node, path, f"invalid YAML value: {tag_refused(node)}") from None

    def _refuse_surrogates(self, node: ScalarNode, path: KeyPath) -> None:
        """A "\\ud800" escape makes half of a surrogate pair, which no template can hold (the
        build failed on it with a traceback)."""
        # A pair of escapes is one character (JSON writes an emoji so: "\\ud83d\\ude00");
        # PyYAML keeps the two halves.
        node.value = _SURROGATE_PAIR.sub(_joined, node.value)
        if surrogate_problem(node.value):
            half = next(c for c in node.value if "\ud800" <= c <= "\udfff")
            raise self.error(
                node,
                path,
                f"the value holds U+{ord(half):04X}, half of a UTF-16 surrogate pair without "
                "its other half: no character (write the character itself, or both halves' "
                'escapes, as JSON writes an emoji: "\\ud83d\\ude00")',
            )

    def _tagged(self, node: ScalarNode) -> bool:
        """Whether the scalar has a tag written on it (``!!int 5``), not the one YAML reads
        from its text."""
        plain = node.style is None
        resolved = self.loader.resolve(ScalarNode, node.value, (plain, not plain))  # type: ignore[no-untyped-call]
        return bool(node.tag != resolved)

    def text(self, node: Node, path: KeyPath) -> str | None:
        """A scalar's text as written, whatever YAML would make of it (IAM's condition values
        and operators are text: Null, 2026-01-01, 010); None for nothing (null)."""
        if node.tag not in _PLAIN_TEXT_TAGS:
            self.scalar(node, path)  # refuses the tags a spec does not take
        if not isinstance(node, ScalarNode):
            return None
        self._refuse_surrogates(node, path)
        if self._tagged(node) and node.tag != "tag:yaml.org,2002:str":
            raise self.error(node, path, "takes text as written, without a YAML tag (!!int)")
        nothing = node.value in ("", "~")  # null, Null and NULL are text here
        if node.tag == "tag:yaml.org,2002:null" and node.style is None and nothing:
            return None
        return str(node.value)

    def pairs(
        self,
        node: MappingNode,
        path: KeyPath,
        as_written: bool = False,
        errors: list[str] | None = None,
    ) -> Iterator[tuple[str, Node, Node]]:
        """A mapping's (key, key node, value node), refusing keys that are not names and keys
        given twice; ``as_written`` takes each key's text as written (``Null`` is a name). With
        ``errors``, a key given twice is added to them and left out, and the keys after it are
        read on, so that what is wrong with them is named in the same run."""
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.error(
                    key_node,
                    path,
                    "YAML merge keys (<<) are not supported: give the keys where they apply "
                    "(an alias, *name, may stand for a whole value, such as an environment: "
                    "mapping)",
                )
            name = self.text(key_node, path) if as_written else self.scalar(key_node, path)
            if not isinstance(name, str):
                quote = (
                    f': write it in quotes ("{key_node.value}") so YAML reads it as a name'
                    if isinstance(key_node, ScalarNode) and key_node.value and not key_node.style
                    else ""  # a tagged one in quotes (!!int "5"): its tag is what to remove
                )  # ON: "1" in an environment, a service named 123 (a review)
                raise self.error(
                    key_node, path, f"keys must be names, got {_what(key_node)}{quote}"
                )
            if name in seen:
                first = seen[name].start_mark.line + 1
                twice = self.error(
                    key_node,
                    (*path, name),
                    f"duplicate key (first at line {first}): YAML would keep only the last",
                )
                if errors is None:
                    raise twice
                errors.append(str(twice))
                continue
            seen[name] = key_node
            yield name, key_node, value_node

    def partition_error(self, path: KeyPath, reason: str) -> SpecError | None:
        """The error for ARNs in more than one partition, at the first ARN not in the partition
        most of them are in."""
        found = [arn for arn in self.arns if arn[1][: len(path)] == path]
        if not found:
            return None
        usual = Counter(partition for partition, _, _ in found).most_common(1)[0][0]
        for partition, where, node in found:
            if partition != usual:
                return self.error(
                    node,
                    where,
                    f"is in partition {partition} while the other ARNs are in {usual}: {reason}",
                )
        return None


# --- The kinds of value ----------------------------------------------------------------------


class _Kind(ABC):
    """How one value of the spec is read and checked, described in the docs, and published in
    the JSON Schema."""

    @abstractmethod
    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> Any: ...

    @abstractmethod
    def schema(self) -> dict[str, Any]: ...

    @abstractmethod
    def describe(self, path: str) -> str: ...

    def sections(self, path: str) -> Iterator[tuple[str, _Object]]:
        """The mappings of keys within this value, by the path the docs show them at."""
        return iter(())

    def unknown_keys(self, reader: _Reader, node: Node, path: KeyPath) -> Iterator[SpecError]:
        """An error for each key within this value that the spec does not have. Only a look
        ahead, so that all of them are reported at once: anything else that is wrong (a value
        of the wrong shape, a key that is not a name) is left for :meth:`parse` to refuse."""
        return iter(())


# An integer YAML 1.1 reads otherwise than a person does: 0700 (octal: 448), 08080 (not octal:
# text), 0x1F, 0b101, 1_000, 1:30 (base 60: 90). Plain decimals, 0 and -5, do not match.
_NOT_DECIMAL = re.compile(
    r"[-+]?(?:0[0-9_]+|0[xXoObB][0-9a-fA-F_]*|[0-9][0-9_]*(?::[0-9_]+)+|[1-9][0-9]*_[0-9_]*)"
)


_VARIABLE_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")

# A kind's ``config_checks`` are JSON Schema keywords for what the config refuses of a value
# (an IPv4 CIDR block's shape, a list's length): the schema publishes them, each made of the
# constant or the pattern the config checks with, and the parse leaves them to the config,
# whose refusal says why ("write it as 10.0.0.0/16", "must include s3: image layers come
# through it") better than a kind's "is not ..." would.


@dataclass(frozen=True)
class _Int(_Kind):
    between: tuple[int, int] | None = None
    choices: tuple[int, ...] = ()
    whose: str = ""  # whose limits ``between`` are, said when a value is outside them
    off: int | None = None  # a value outside ``between`` that turns the setting off
    config_checks: Mapping[str, Any] = field(default_factory=dict)  # the config's (above _Int)

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> int:
        value = reader.scalar(node, path)
        plain = isinstance(node, ScalarNode) and node.style is None
        if plain and _NOT_DECIMAL.fullmatch(written := str(node.value)):
            read = f"reads it as {value}" if isinstance(value, int) else "reads it as text"
            raise reader.error(
                node,
                path,
                f"write {written} as a plain decimal number: YAML 1.1 {read} (a leading 0 is "
                "octal, 0x hexadecimal, and _ or : join digits)",
            )
        if not isinstance(value, int) or isinstance(value, bool):
            allowed = (
                f": one of {', '.join(map(str, self.choices))}"
                if self.choices
                else f": {self.between[0]} to {self.between[1]}"
                if self.between
                else ""
            )
            raise reader.error(node, path, f"expected an integer, got {_what(node)}{allowed}")
        if self.choices and value not in self.choices:
            raise reader.error(
                node, path, f"{value} is not one of {', '.join(map(str, self.choices))}"
            )
        if self.between and value != self.off and not self.between[0] <= value <= self.between[1]:
            low, high = self.between
            whose = f" ({self.whose} limits)" if self.whose else ""
            off = f", or {self.off} for off" if self.off is not None else ""
            raise reader.error(
                node, path, f"{value} is out of range: must be {low} to {high}{off}{whose}"
            )
        return value

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.between and self.off is not None:
            low, high = self.between
            schema["anyOf"] = [{"const": self.off}, {"minimum": low, "maximum": high}]
        elif self.between:
            schema["minimum"], schema["maximum"] = self.between
        return {**schema, **self.config_checks}

    def describe(self, path: str) -> str:
        if self.choices:
            return "integer: " + ", ".join(map(str, self.choices))
        if self.between:
            off = f", or {self.off} (off)" if self.off is not None else ""
            return f"integer, {self.between[0]} to {self.between[1]}{off}"
        return "integer"


@dataclass(frozen=True)
class _Percent(_Kind):
    """A percentage from ``low`` to 100 in tenths (ECS's canary and linear shares)."""

    low: float

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> float:
        value = reader.scalar(node, path)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise reader.error(node, path, f"expected a number, got {_what(node)}")
        if not in_tenths(value, self.low):
            raise reader.error(node, path, f"{value} must be {self.low:g} to 100 in steps of 0.1")
        return float(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "number", "minimum": self.low, "maximum": 100}

    def describe(self, path: str) -> str:
        return f"number, {self.low:g} to 100 in steps of 0.1"


@dataclass(frozen=True)
class _Bool(_Kind):
    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> bool:
        value = reader.scalar(node, path)
        if not isinstance(value, bool):
            raise reader.error(node, path, f"expected true or false, got {_what(node)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def describe(self, path: str) -> str:
        return "true or false"


def _portable(pattern: re.Pattern[str]) -> str:
    """A Python regex as JSON Schema (ECMA-262) takes it: named groups become plain groups, and
    an escaped quote a quote (ECMA-262's unicode mode, in which validators such as Ajv compile
    patterns, refuses escapes of characters that are not syntax, such as \\")."""
    plain = re.sub(r"\(\?P<\w+>", "(?:", pattern.pattern)
    return re.sub(r'(?<!\\)((?:\\\\)*)\\"', r'\1"', plain)


@dataclass(frozen=True)
class _Str(_Kind):
    patterns: tuple[re.Pattern[str], ...] = ()  # the value matches one of them
    means: str = ""  # what a match looks like, for messages and docs
    choices: tuple[str, ...] = ()
    partition: Callable[[str], str | None] | None = None  # for values that name an ARN
    hint: Callable[[str], str] | None = None  # more to say of a value that does not match
    longest: int | None = None  # characters at most, where the pattern does not say it
    config_checks: Mapping[str, Any] = field(default_factory=dict)  # the config's (above _Int)

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> str:
        value = reader.scalar(node, path)
        if not isinstance(value, str):
            hint = ""
            if isinstance(node, ScalarNode) and value is not None:
                hint = f': write it in quotes ("{node.value}") so YAML reads it as text'
                if self.choices and node.value not in self.choices:  # "no" is no choice either
                    hint = f": one of {', '.join(self.choices)}"
            raise reader.error(node, path, f"expected a string, got {_what(node)}{hint}")
        if self.choices and value not in self.choices:
            cased = [choice for choice in self.choices if choice.lower() == value.lower()]
            more = f" (did you mean {cased[0]}?)" if cased else ""
            raise reader.error(
                node, path, f"{value!r} is not one of {', '.join(self.choices)}{more}"
            )
        # The length first: a path pattern holds its own length ({0,127}), and "is not a path
        # pattern starting with /" of a 140-character path sent the user looking at its slash.
        if self.longest is not None and len(value) > self.longest:
            raise reader.error(
                node, path, f"is {len(value)} characters long: {self.longest} at most"
            )
        if self.patterns and not any(p.fullmatch(value) for p in self.patterns):
            more = self.hint(value) if self.hint else ""
            raise reader.error(node, path, f"{value!r} is not {self.means}{more}")
        partition = self.partition(value) if self.partition else None
        if partition:
            reader.arns.append((partition, path, node))
        return value

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.patterns:
            portable = [_portable(p) for p in self.patterns]
            schema["pattern"] = (
                portable[0] if len(portable) == 1 else "|".join(f"(?:{p})" for p in portable)
            )
        if self.longest is not None:
            schema["maxLength"] = self.longest
        return {**schema, **self.config_checks}

    def describe(self, path: str) -> str:
        if self.choices:
            return "string: " + ", ".join(f"`{c}`" for c in self.choices)
        return f"string: {self.means}" if self.means else "string"


_FAILED = object()  # a value whose key, item or entry was refused (its errors are kept)


def _kept(errors: list[str], parse: Callable[..., Any], *args: Any) -> Any:
    """``parse(*args)``, or :data:`_FAILED` with its error's lines added to ``errors``: a
    spec's other keys, items and services are read on, so one run names every value refused."""
    try:
        return parse(*args)
    except SpecError as exc:
        errors.extend(str(exc).splitlines())  # _refuse drops a line said twice
        return _FAILED


def _exposure_of(node: Node) -> str | None:
    """A service's ``expose`` as written, when it is one of the words (None otherwise)."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "expose" and isinstance(value, ScalarNode):
                return value.value if value.value in EXPOSURES else None
    return None


def _key_paths(errors: list[str]) -> set[str]:
    """The key paths error lines name (``services.web.cpu`` of ``app.yaml:6: services.web.cpu:
    ...``)."""
    return {line.split(": ", 2)[1] for line in errors if line.count(": ") >= 2}


def _refuse(errors: list[str]) -> None:
    """Raise one SpecError of ``errors``, a line each, in the order of their lines in the file
    (the same line in the order found)."""

    def line(text: str) -> int:
        found = re.fullmatch(r"[^\n]*?:(\d+): .*", text, re.DOTALL)
        return int(found.group(1)) if found else 0

    if errors:
        unique = list(dict.fromkeys(errors))
        raise SpecError("\n".join(sorted(unique, key=line)))


@dataclass(frozen=True)
class _List(_Kind):
    item: _Kind
    unique: bool = False  # no value twice
    unique_by: str | None = None  # items are mappings; no two with this key's value
    config_checks: Mapping[str, Any] = field(default_factory=dict)  # the config's (above _Int)

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> tuple[Any, ...]:
        reader.scalar(node, path)
        if not isinstance(node, SequenceNode):
            raise reader.error(node, path, f"expected a list, got {_what(node)}")
        errors: list[str] = []
        items = tuple(
            _kept(
                errors, lambda item=item, index=index: self.item.parse(reader, item, (*path, index))
            )
            for index, item in enumerate(node.value)
        )
        # Values given twice among the items read, in the same run as the others' problems.
        seen: dict[Any, Node] = {}
        for index, item_node in enumerate(node.value):
            if items[index] is _FAILED:
                continue
            if self.unique:
                at, where, value = item_node, (*path, index), items[index]
            elif self.unique_by:
                at = next(v for k, v in item_node.value if k.value == self.unique_by)
                where, value = (*path, index, self.unique_by), reader.scalar(at, path)
            else:
                break
            if value in seen:  # every value given twice, at once
                first = seen[value].start_mark.line + 1
                twice = f"{value!r} is given twice (first at line {first})"
                errors.append(str(reader.error(at, where, twice)))
            else:
                seen[value] = at
        _refuse(errors)
        return items

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.unique:
            schema["uniqueItems"] = True
        return {**schema, **self.config_checks}

    def describe(self, path: str) -> str:
        return f"list of {self.item.describe(path + '[]')}"

    def sections(self, path: str) -> Iterator[tuple[str, _Object]]:
        return self.item.sections(path + "[]")

    def unknown_keys(self, reader: _Reader, node: Node, path: KeyPath) -> Iterator[SpecError]:
        if isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                yield from self.item.unknown_keys(reader, item, (*path, index))


@dataclass(frozen=True)
class _OneOrMore(_Kind):
    """One value, or a list of different ones, ``most`` at most (a listener rule's paths, the
    secrets' KMS keys)."""

    item: _Str
    most: int | None = None  # None: no limit of the spec's own

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> str | tuple[str, ...]:
        if isinstance(node, MappingNode) or node.tag == "tag:yaml.org,2002:null":
            raise reader.error(
                node, path, f"expected a string or a list of strings, got {_what(node)}"
            )
        if not isinstance(node, SequenceNode):
            return self.item.parse(reader, node, path)
        values: tuple[str, ...] = _List(self.item, unique=True).parse(reader, node, path)
        if not values:
            raise reader.error(node, path, "give one value at least")
        if self.most is not None and len(values) > self.most:
            raise reader.error(node, path, f"give 1 to {self.most} values, not {len(values)}")
        return values

    def schema(self) -> dict[str, Any]:
        one = self.item.schema()
        several: dict[str, Any] = {"type": "array", "items": one, "minItems": 1}
        if self.most is not None:
            several["maxItems"] = self.most
        return {"anyOf": [one, {**several, "uniqueItems": True}]}

    def describe(self, path: str) -> str:
        count = f"1 to {self.most}" if self.most is not None else "one or more"
        return f"{self.item.describe(path)}; or a list of {count} of them"


@dataclass(frozen=True)
class _OneOrList(_Kind):
    """One mapping, or a list of one or more (a public service's listener rules)."""

    item: _Object

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> Any:
        if isinstance(node, MappingNode):
            return self.item.parse(reader, node, path)
        if not isinstance(node, SequenceNode):
            reader.scalar(node, path)
            raise reader.error(
                node, path, f"expected a mapping or a list of mappings, got {_what(node)}"
            )
        values: tuple[Any, ...] = _List(self.item).parse(reader, node, path)
        if not values:
            raise reader.error(node, path, "give one at least")
        return values

    def schema(self) -> dict[str, Any]:
        one = self.item.schema()
        return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}

    def describe(self, path: str) -> str:
        return f"{self.item.describe(path)}; or a list of them"

    def sections(self, path: str) -> Iterator[tuple[str, _Object]]:
        return self.item.sections(path)

    def unknown_keys(self, reader: _Reader, node: Node, path: KeyPath) -> Iterator[SpecError]:
        kind = _List(self.item) if isinstance(node, SequenceNode) else self.item
        return kind.unknown_keys(reader, node, path)


@dataclass(frozen=True)
class _Map(_Kind):
    """A mapping of the user's names to values (environment variables, secrets)."""

    key: _Str
    value: _Kind
    build: Callable[[str, Any], Any]  # one entry -> what the config holds for it

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> tuple[Any, ...]:
        reader.scalar(node, path)
        if not isinstance(node, MappingNode):
            raise reader.error(node, path, f"expected a mapping (name: value), got {_what(node)}")
        built = []
        errors: list[str] = []
        for name, key_node, value_node in reader.pairs(node, path, errors=errors):
            entry = _kept(errors, self._entry, reader, name, key_node, value_node, path)
            if entry is not _FAILED:
                built.append(entry)
        _refuse(errors)
        return tuple(built)

    def _entry(
        self, reader: _Reader, name: str, key_node: Node, value_node: Node, path: KeyPath
    ) -> Any:
        self.key.parse(reader, key_node, (*path, name))
        value = self.value.parse(reader, value_node, (*path, name))
        try:
            return self.build(name, value)
        except ConfigError as error:
            complaint = _complaint(error)
            at = key_node if complaint.steps[:1] == (("name", None),) else value_node
            raise reader.error(at, (*path, name), complaint.reason) from None

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "patternProperties": {_portable(self.key.patterns[0]): self.value.schema()},
            "additionalProperties": False,
        }

    def describe(self, path: str) -> str:
        return f"mapping of names ({self.key.means}) to {self.value.describe(path)}"

    def unknown_keys(self, reader: _Reader, node: Node, path: KeyPath) -> Iterator[SpecError]:
        yield from _each_value(self.value, reader, node, path)


_CONDITION_VALUE = {"type": ["string", "boolean", "number"]}


@dataclass(frozen=True)
class _Conditions(_Kind):
    """IAM's ``Condition`` as a policy writes it: operator -> condition key -> a value or a
    list of values, read into :class:`PolicyCondition` (one per operator and key)."""

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> tuple[PolicyCondition, ...]:
        reader.scalar(node, path)
        if not isinstance(node, MappingNode):
            raise reader.error(
                node, path, f"expected a mapping (operator: {{key: values}}), got {_what(node)}"
            )
        # Every operator's and every key's problem at once (the second of two was said only
        # once the first was mended); an operator refused is not read further.
        errors: list[str] = []
        found: list[PolicyCondition] = []
        for operator, operator_node, keys_node in reader.pairs(
            node, path, as_written=True, errors=errors
        ):
            read = _kept(errors, self._operator, reader, operator, operator_node, keys_node, path)
            if read is not _FAILED:
                found += read
        _refuse(errors)
        return tuple(found)

    def _operator(
        self, reader: _Reader, operator: str, operator_node: Node, keys_node: Node, path: KeyPath
    ) -> list[PolicyCondition]:
        """The conditions of one operator: each of its keys with its values."""
        where = (*path, operator)
        problem = condition_operator_problem(operator)
        if problem:
            raise reader.error(operator_node, where, problem)
        reader.scalar(keys_node, where)
        if not isinstance(keys_node, MappingNode):
            raise reader.error(
                keys_node,
                where,
                f"expected a mapping of condition keys to values, got {_what(keys_node)}",
            )
        if not keys_node.value:
            raise reader.error(keys_node, where, "needs a condition key and its values")
        errors: list[str] = []
        found: list[PolicyCondition] = []
        seen: dict[str, str] = {}
        for key, key_node, values_node in reader.pairs(
            keys_node, where, as_written=True, errors=errors
        ):
            at = (*where, key)
            if key.lower() in seen:
                again = (
                    f"is {seen[key.lower()]!r} again (IAM reads condition keys "
                    "case-insensitively): give all its values once"
                )
                errors.append(str(reader.error(key_node, at, again)))
                continue
            seen[key.lower()] = key
            read = _kept(errors, self._condition, reader, operator, key, key_node, values_node, at)
            if read is not _FAILED:
                found.append(read)
        _refuse(errors)
        return found

    @staticmethod
    def _condition(
        reader: _Reader, operator: str, key: str, key_node: Node, values_node: Node, at: KeyPath
    ) -> PolicyCondition:
        reader.text(values_node, at)  # refuses the tags a spec does not take
        listed = isinstance(values_node, SequenceNode)
        items: list[Node] = list(values_node.value) if listed else [values_node]
        if listed and not items:
            raise reader.error(values_node, at, "expected at least one value")
        base = CONDITION_OPERATOR.fullmatch(operator)
        assert base is not None  # checked by the caller
        values = []
        for index, item in enumerate(items):
            item_path = (*at, index) if listed else at
            # IAM compares text: each value is taken as written, never as YAML 1.1 reads it
            # (123456789012, true, 2026-01-01 and 010 stay what they say).
            text = reader.text(item, item_path)
            if not isinstance(item, ScalarNode) or text is None:
                raise reader.error(
                    item,
                    item_path,
                    f"expected a value (text, as IAM compares it; '' for the empty text), got "
                    f"{_what(item)}",
                )
            partition = _arn_partition(text) if base.group("operator").startswith("Arn") else None
            if partition:
                reader.arns.append((partition, item_path, item))
            values.append(text)
        try:
            return PolicyCondition(operator, key, tuple(values))
        except ConfigError as error:
            complaint = _complaint(error)
            name, step = complaint.steps[0] if complaint.steps else ("", None)
            if name == "key":
                raise reader.error(key_node, at, complaint.reason) from None
            # The value refused, as the other refusals name it (a newcomer's trial: "must be
            # true, false or ..." of aws:SecureTransport: yes did not say it read 'yes').
            got = f" (got {complaint.value})" if complaint.value else ""
            if name == "values" and step is not None and listed:
                number = int(step)
                raise reader.error(items[number], (*at, number), complaint.reason + got) from None
            raise reader.error(values_node, at, complaint.reason + got) from None

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "patternProperties": {
                _portable(CONDITION_OPERATOR): {
                    "type": "object",
                    "minProperties": 1,
                    "patternProperties": {
                        _portable(CONDITION_KEY): {
                            "anyOf": [
                                _CONDITION_VALUE,
                                {"type": "array", "minItems": 1, "items": _CONDITION_VALUE},
                            ]
                        }
                    },
                    "additionalProperties": False,
                }
            },
            "additionalProperties": False,
        }

    def describe(self, path: str) -> str:
        return (
            "mapping of IAM condition operators (StringEquals, ArnLike, IpAddress, Bool, "
            "...IfExists, ForAnyValue:...) to condition keys, each with a value or a list"
        )


# Said of every key whose ARN may name the stack's own partition, region and account.
_OWN_STACK = " ${AWS::Partition}, ${AWS::Region} and ${AWS::AccountId} name the stack's own."


@dataclass(frozen=True)
class Key:
    """One key of the spec: its name in the file, the kind of its value, the config field it
    sets (``application.<field>`` for the service's :class:`Application`), its description."""

    name: str
    kind: _Kind
    target: str
    description: str
    required: bool = False
    # The config field a key sets when it is not its target: the top-level domain's values
    # are the environment's (ProductConfig.environment), beside the environment section's.
    sets: str | None = None

    @property
    def field_name(self) -> str:
        return self.target.rsplit(".", 1)[-1]

    @property
    def config_field(self) -> str:
        """The field of its section's config class the key sets."""
        return self.sets or self.target


# A service's keys that other tools' files (compose, Copilot) hold and a spec does not, each
# with where it goes instead: the image is a parameter of the stack, given at launch (the same
# spec deploys every image); variables are the spec's own `environment`.
_IMAGE_HINT = (
    ": the image is given when the stack is launched or updated, as the parameter "
    "ContainerImage (a service of an environment: <Name>ContainerImage, such as "
    "WebContainerImage)"
)
_FILE_HINT = (
    ": a service's variables are its environment (its secrets, secrets); an S3 .env file is "
    "the shipped service.yaml's EnvironmentFileArn parameter, which a spec's services do not take"
)
_GIVEN_ELSEWHERE = {
    "image": _IMAGE_HINT,
    "container_image": _IMAGE_HINT,
    "environment_file": _FILE_HINT,
    "environment_files": _FILE_HINT,
    "env_file": _FILE_HINT,
}


def _sections_with_key(name: str) -> list[str]:
    """Where the spec has a key ``name``: each section's path as the docs write it
    (``services.<name>.sidecars[]``), or "the top level"."""
    parents = {path.rpartition(".")[0] for path, key in spec_keys() if key.name == name}
    return [f"{parent}" if parent else "the top level" for parent in sorted(parents)]


def _field_default(cls: type, target: str) -> Any:
    """The default the config class gives the field a key sets (MISSING when required)."""
    value: Any = cls
    for part in target.split("."):
        found = next(f for f in fields(value) if f.name == part)
        if found.default is not MISSING:
            value = found.default
        elif found.default_factory is not MISSING:
            value = found.default_factory()
        else:
            return MISSING
    return value


def _documented_default(key: Key, value: Any) -> Any:
    """The default the docs and the schema show for ``key``: none for a value the key itself
    refuses (target_health.timeout's 0 stands for "ELB's default", and 0 is no timeout a spec
    may give)."""
    shown = _shown_default(value)
    kind = key.kind
    if isinstance(kind, _Int) and isinstance(shown, int) and not isinstance(shown, bool):
        outside = bool(kind.choices) and shown not in kind.choices
        if kind.between is not None and shown != kind.off:
            outside = outside or not kind.between[0] <= shown <= kind.between[1]
        if outside:
            return None
    return shown


def _shown_default(value: Any) -> Any:
    """A default as JSON, or None when there is none worth showing (nothing, or an object)."""
    if isinstance(value, tuple) and value and all(isinstance(v, str | int) for v in value):
        return list(value)
    if isinstance(value, float):  # a percentage: 5.0 is shown as 5
        return int(value) if value.is_integer() else value
    return value if isinstance(value, bool | int | str) and value != "" else None


# A ConfigError says "Owner.field=value: why"; the field may be a path into the config, such as
# "secrets[1].name" or "application.sidecars[0].port".
_CONFIG_ERROR = re.compile(
    r"^\w+\.(?P<field>\w+(?:\[[^\]]*\])?(?:\.\w+(?:\[[^\]]*\])?)*)=(?P<rest>.*)$", re.S
)
_FIELD_STEP = re.compile(r"(\w+)(?:\[([^\]]*)\])?")

# One step of a field's path: its name, and the index or key within it.
_Step = tuple[str, str | None]


@dataclass(frozen=True)
class _Complaint:
    """A ConfigError taken apart."""

    steps: tuple[_Step, ...]
    value: str
    reason: str


def _complaint(error: ConfigError) -> _Complaint:
    """What a ConfigError says. The value's repr ends at the first ': ' before which it reads
    as a whole Python expression (the repr may hold ': ' itself, in a string)."""
    match = _CONFIG_ERROR.fullmatch(str(error))
    if not match:
        return _Complaint((), "", str(error))
    steps = tuple((name, index or None) for name, index in _FIELD_STEP.findall(match["field"]))
    rest, start = match["rest"], 0
    while (at := rest.find(": ", start)) >= 0:
        try:
            ast.parse(rest[:at], mode="eval")
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            start = at + 1
            continue
        return _Complaint(steps, rest[:at], rest[at + 2 :])
    return _Complaint(steps, "", rest)


def _item(node: Node, path: KeyPath, index: str) -> tuple[Node, KeyPath]:
    """The node a ConfigError's ``field[index]`` is about: a list's item, or a mapping's key."""
    try:
        wanted = ast.literal_eval(index)
    except (ValueError, SyntaxError):
        return node, path
    if isinstance(node, SequenceNode) and isinstance(wanted, int) and wanted < len(node.value):
        return node.value[wanted], (*path, wanted)
    if isinstance(node, MappingNode):
        for position, (key_node, _) in enumerate(node.value):
            if wanted in (position, key_node.value):
                return key_node, (*path, key_node.value)
    return node, path


def _descend(
    kind: _Kind | None, node: Node, path: KeyPath, index: str | None, rest: tuple[_Step, ...]
) -> tuple[Node, KeyPath]:
    """The node a ConfigError's field path points at, followed down the table's kinds: an
    item's index, then a field of it (``sidecars[0].port``), as far as the spec has them."""
    steps = ((None, index), *rest)
    service_key: Node | None = None  # a service's name is its key: container_name is there
    for name, step_index in steps:
        if name == "container_name" and service_key is not None:
            return service_key, path
        service_key = None
        if name is not None:
            if isinstance(kind, _OneOrList):  # the one mapping given, not a list of them
                kind = kind.item
            if not (isinstance(kind, _Object) and isinstance(node, MappingNode)):
                break
            key = next((k for k in kind.keys if k.field_name == name), None)
            value = next((v for k, v in node.value if key and k.value == key.name), None)
            if key is None or value is None:
                break
            kind, node, path = key.kind, value, (*path, key.name)
        if step_index is not None:
            if isinstance(kind, _Services) and isinstance(node, MappingNode):
                key_node, path = _item(node, path, step_index)
                value = next((v for k, v in node.value if k is key_node), None)
                kind, node = (kind.service, value) if value is not None else (None, key_node)
                service_key = key_node
                continue
            node, path = _item(node, path, step_index)
            kind = kind.item if isinstance(kind, _List | _OneOrList) else None
    return node, path


@dataclass(frozen=True)
class _Object(_Kind):
    """A mapping of the keys below, built into ``cls`` (or by ``build``, from the values by
    their targets)."""

    cls: type
    keys: tuple[Key, ...]
    build: Callable[[dict[str, Any]], Any] | None = None
    # JSON Schema subschemas, each a rule across its keys the config checks (memory for a cpu),
    # all of which the mapping must meet ("allOf"); the parse leaves them to the config.
    rules: tuple[dict[str, Any], ...] = ()

    def parse(
        self,
        reader: _Reader,
        node: Node,
        path: KeyPath,
        given: Mapping[str, tuple[Any, Node, KeyPath]] | None = None,
    ) -> Any:
        reader.scalar(node, path)
        if not isinstance(node, MappingNode):
            expected = "a spec is a mapping (key: value)" if not path else "expected a mapping"
            if node.tag == "tag:yaml.org,2002:null" and not any(k.required for k in self.keys):
                expected += " ({} for all defaults)"
            raise reader.error(node, path, f"{expected}, got {_what(node)}")
        by_name = {key.name: key for key in self.keys}
        values: dict[str, Any] = {}
        located: dict[str, tuple[_Kind | None, Node, KeyPath]] = {}
        errors: list[str] = []
        try:
            for name, key_node, value_node in reader.pairs(node, path, errors=errors):
                key = by_name.get(name)
                if key is None:
                    raise self._unknown(reader, key_node, (*path, name))
                value = _kept(errors, key.kind.parse, reader, value_node, (*path, name))
                if value is _FAILED:
                    continue
                values[key.target] = value
                place = (key.kind, value_node, (*path, name))
                located[key.target] = located[key.field_name] = place
                # A key that sets another's field (domain: sets the environment's) is where an
                # error about that field is, unless the other key is given too.
                located.setdefault(key.config_field, place)
        except SpecError as exc:  # an unknown key: what was refused before it is named too
            errors.extend(str(exc).splitlines())
            _refuse(errors)
        for target, (value, at, where) in (given or {}).items():
            values[target] = value
            located[target] = (None, at, where)
        # A required key whose value was refused is not missing too.
        refused = _key_paths(errors)
        missing = [
            key.name
            for key in self.keys
            if key.required
            and key.target not in values
            and not any(
                said == _dotted((*path, key.name))
                or said.startswith(
                    (f"{_dotted((*path, key.name))}.", f"{_dotted((*path, key.name))}[")
                )
                for said in refused
            )
        ]
        if missing:
            errors.append(str(reader.error(node, path, f"missing {', '.join(missing)} (required)")))
        _refuse(errors)
        try:
            return self.build(values) if self.build else self.cls(**values)
        except ConfigError as error:
            # One line per value the config refused, each at its own key.
            lines = [
                str(self._locate(reader, ConfigError(line), node, path, located))
                for line in str(error).splitlines() or [str(error)]
            ]
            _refuse(lines)
            raise  # unreachable: _refuse raised

    def _unknown(self, reader: _Reader, key_node: Node, path: KeyPath) -> SpecError:
        names = [key.name for key in self.keys]
        # Case aside: the keys are lower case, and CPU or PORT had no suggestion at all.
        close = difflib.get_close_matches(str(path[-1]).lower(), names, n=1)
        # The keys it may have only when none looks like it: a service takes 40, a line of
        # several hundred characters after the one it meant (a newcomer's trial).
        hint = f" (did you mean {close[0]}?)" if close else f"; allowed: {', '.join(names)}"
        elsewhere = _sections_with_key(str(path[-1]))
        if elsewhere and len(elsewhere) <= 2:  # a review: services.web.domain said "command?"
            hint = f": {path[-1]} is a key of {' and of '.join(elsewhere)}"
        elsewhere_hint = _GIVEN_ELSEWHERE.get(str(path[-1]).lower())
        if path[:1] == ("services",) and len(path) == 3 and elsewhere_hint:
            # A compose file's first keys: the hint was "image is a key of sidecars[]".
            hint = elsewhere_hint
        if path[:1] == ("environment",) and _VARIABLE_NAME.fullmatch(str(path[-1])):
            # The top-level section is the shared load balancer's, not variables for all.
            hint = (
                ": environment: sets the shared load balancer; environment variables are each "
                "service's own (services.<name>.environment)"
            )
        return reader.error(key_node, path, f"unknown key{hint}")

    def unknown_keys(self, reader: _Reader, node: Node, path: KeyPath) -> Iterator[SpecError]:
        if not isinstance(node, MappingNode):
            return
        by_name = {key.name: key for key in self.keys}
        unknown: set[str] = set()
        for key_node, value_node in node.value:
            name = _plain_name(key_node)
            if name is None:
                continue
            key = by_name.get(name)
            if key is None:
                if name not in unknown:  # once: the next run names it given twice
                    yield self._unknown(reader, key_node, (*path, name))
                unknown.add(name)
            else:
                yield from key.kind.unknown_keys(reader, value_node, (*path, name))

    def _locate(
        self,
        reader: _Reader,
        error: ConfigError,
        node: Node,
        path: KeyPath,
        located: Mapping[str, tuple[_Kind | None, Node, KeyPath]],
    ) -> SpecError:
        """The ConfigError raised while building, at the key it is about, in the spec's words."""
        complaint = _complaint(error)
        reason = self._in_spec_words(complaint.reason)
        if not complaint.steps:
            return reader.error(node, path, reason)
        (first, index), rest = complaint.steps[0], complaint.steps[1:]
        if first == "partition":
            return reader.partition_error(path, reason) or reader.error(node, path, reason)
        while first not in located and index is None and rest:  # application.sidecars
            (step, index), rest = rest[0], rest[1:]
            first = f"{first}.{step}"
        if first in located:
            kind, at, where = located[first]
            return reader.error(*_descend(kind, at, where, index, rest), reason)
        key = next((k for k in self.keys if first in (k.target, k.field_name)), None)
        if key is not None:  # a default the user left, at odds with what they gave
            # Not the value that stands for AWS's own default (target_health.timeout's 0): a
            # review read "timeout (default 0)", where the docs say "Left out".
            documented = _documented_default(key, _field_default(self.cls, key.config_field))
            shown = complaint.value not in (None, "None") and documented is not None
            left = f"default {complaint.value}" if shown else "not given"
            return reader.error(node, path, f"{key.name} ({left}): {reason}")
        return reader.error(node, path, f"{reason} ({first}: {complaint.value})")

    def _in_spec_words(self, reason: str) -> str:
        """A reason with the config's field names replaced by the spec's keys (and the
        timeout's 0, which a spec leaves out)."""
        reason = reason.replace(ELB_DEFAULT_TIMEOUT_CHOICE, "or left out for")
        spoken = {
            name: key.name
            for key in self.keys
            for name in (key.target, key.field_name)
            if name != key.name
        }
        if not spoken:
            return reason
        words = re.compile(
            r"\b(" + "|".join(map(re.escape, sorted(spoken, key=len)[::-1])) + r")\b"
        )
        return words.sub(lambda m: spoken[m.group(1)], reason)

    def schema(self) -> dict[str, Any]:
        properties = {}
        for key in self.keys:
            described = {**key.kind.schema(), "description": key.description}
            default = _documented_default(key, _field_default(self.cls, key.config_field))
            if default is not None:
                described["default"] = default
            properties[key.name] = described
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        required = [key.name for key in self.keys if key.required]
        if required:
            schema["required"] = required
        if self.rules:
            schema["allOf"] = list(self.rules)
        return schema

    def describe(self, path: str) -> str:
        return f"mapping: see `{path}`"

    def sections(self, path: str) -> Iterator[tuple[str, _Object]]:
        yield path, self
        for key in self.keys:
            yield from key.kind.sections(f"{path}.{key.name}" if path else key.name)


@dataclass(frozen=True)
class _Services(_Kind):
    """The services, by name; the name becomes the container's (and, for an internal service,
    the name the others call it by)."""

    name: _Str
    service: _Object

    def parse(self, reader: _Reader, node: Node, path: KeyPath) -> tuple[ServiceConfig, ...]:
        reader.scalar(node, path)
        if not isinstance(node, MappingNode):
            raise reader.error(node, path, f"expected a mapping (name: service), got {_what(node)}")
        errors: list[str] = []
        services = list(reader.pairs(node, path, errors=errors))
        if not services:
            raise reader.error(node, path, "no service: name one, such as web: {port: 8080}")
        built = []
        for name, key_node, value_node in services:
            service = _kept(errors, self._service, reader, name, key_node, value_node, path)
            if service is not _FAILED:
                built.append(service)
        _refuse(errors)
        return tuple(built)

    def _service(
        self, reader: _Reader, name: str, key_node: Node, value_node: Node, path: KeyPath
    ) -> ServiceConfig:
        where = (*path, name)
        self.name.parse(reader, key_node, where)
        try:
            service: ServiceConfig = self.service.parse(
                reader, value_node, where, {"container_name": (name, key_node, where)}
            )
        except SpecError as exc:
            # The keys it has no use for too, but for those already refused.
            errors = str(exc).splitlines()
            said = _key_paths(errors)
            try:
                extra = self._keys_without_use(reader, value_node, where, _exposure_of(value_node))
            except SpecError:  # a key given twice, already named
                extra = []
            _refuse(errors + [line for line in extra if line.split(": ", 2)[1] not in said])
            raise
        _refuse(self._keys_without_use(reader, value_node, where, service.expose))
        return service

    def _keys_without_use(
        self, reader: _Reader, node: Node, path: KeyPath, expose: str | None
    ) -> list[str]:
        """A line for each key the service has no use for, such as a worker's port, even at
        its default value (the config refuses only other values)."""
        if not isinstance(node, MappingNode):
            return []
        unused = fields_without_use(expose)
        fields_of = {key.name: key.target for key in self.service.keys}
        errors = [
            str(
                reader.error(
                    key_node,
                    (*path, key),
                    f"a service exposed {expose!r} has no use for it ({why}): leave it out",
                )
            )
            # A key given twice is named by the parse: here it is left out.
            for key, key_node, _ in reader.pairs(node, path, errors=[])
            if (why := unused.get(fields_of.get(key, ""))) is not None
        ]
        return errors

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "minProperties": 1,
            "patternProperties": {_portable(self.name.patterns[0]): self.service.schema()},
            "additionalProperties": False,
        }

    def describe(self, path: str) -> str:
        return f"mapping of names to services: see `{path}.<name>`"

    def sections(self, path: str) -> Iterator[tuple[str, _Object]]:
        return self.service.sections(path + ".<name>")

    def unknown_keys(self, reader: _Reader, node: Node, path: KeyPath) -> Iterator[SpecError]:
        yield from _each_value(self.service, reader, node, path)


def _plain_name(key_node: Node) -> str | None:
    """A mapping key that is a plain string, as written; None for anything else, which the
    parse refuses (a number, a merge key, a tagged or quoted-in-a-list key)."""
    if isinstance(key_node, ScalarNode) and key_node.tag == "tag:yaml.org,2002:str":
        return str(key_node.value)
    return None


def _each_value(kind: _Kind, reader: _Reader, node: Node, path: KeyPath) -> Iterator[SpecError]:
    """The unknown keys within each value of a mapping of the user's names."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            name = _plain_name(key_node)
            if name is not None:
                yield from kind.unknown_keys(reader, value_node, (*path, name))


# --- The table ---------------------------------------------------------------------------------


def _is(key: str, value: Any, default: Any) -> dict[str, Any]:
    """A mapping whose ``key`` is ``value``, or left out when ``value`` is its default
    (``properties`` holds for a key that is not there): a rule's "if", or its "then"."""
    schema: dict[str, Any] = {"properties": {key: {"const": value}}}
    if value != default:
        schema["required"] = [key]
    return schema


def _allowed_with(
    key: str, other: str, table: Mapping[Any, Sequence[Any]], defaults: tuple[Any, Any]
) -> tuple[dict[str, Any], ...]:
    """Rules of a mapping: with each value of ``key`` in ``table``, ``other`` is one of the
    table's values for it, and is given when its default is not one of them. ``defaults`` are
    the two keys' defaults."""
    key_default, other_default = defaults
    rules = []
    for value, allowed in table.items():
        then: dict[str, Any] = {"properties": {other: {"enum": list(allowed)}}}
        if other_default not in allowed:
            then["required"] = [other]
        rules.append({"if": _is(key, value, key_default), "then": then})
    return tuple(rules)


def _given(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A mapping whose ``key`` is given and matches ``schema`` (a rule's "if" on a value inside
    a key's mapping, such as deployment's strategy)."""
    return {"properties": {key: schema}, "required": [key]}


def _one_of_keys(*keys: str) -> dict[str, Any]:
    """A rule: exactly one of ``keys`` is given."""
    return {"oneOf": [{"required": [key]} for key in keys]}


def _any_of_keys(*keys: str) -> dict[str, Any]:
    """A rule: one of ``keys`` at least is given."""
    return {"anyOf": [{"required": [key]} for key in keys]}


def _image_partition(image: str) -> str | None:
    """The partition of the repository a sidecar's image comes from, as the type finds it
    (None for the stack's own, or for an image the sidecar refuses: its own check says why,
    at the image's line)."""
    try:
        sidecar = Sidecar("sidecar", image)
    except ConfigError:
        return None
    return _arn_partition(sidecar.repository_arn)


def _arn_partition(value: str) -> str | None:
    partition = partition_of(value) if value.startswith("arn:") else None
    return None if partition == PSEUDO_PARTITION else partition


_PORT = _Int(between=PORT)
_STRINGS = _List(_Str())
_VARIABLE = _Str(
    patterns=(ENVIRONMENT_NAME,), means="letters, digits and _, not starting with a digit"
)


def _variable(name: str, value: str) -> tuple[str, str]:
    """An environment variable, refused where Application refuses it, but with the spec's
    other variables and services in the same run (a container's problems came one at a time)."""
    credential = credential_problem(name)
    if credential:
        raise field_error("Variable", "name", name, credential)
    return (name, value)


_ENVIRONMENT = _Map(_VARIABLE, _Str(), _variable)
_CIDR = _Str(
    means="an IPv4 CIDR block such as 10.0.0.0/16",
    config_checks={"pattern": INGRESS_CIDR_PATTERN},
)
_VPC_CIDR = _Str(
    means=f"an IPv4 CIDR block of a /{VPC_PREFIX_LENGTHS[0]} to /{VPC_PREFIX_LENGTHS[1]} "
    "prefix, such as 10.0.0.0/16",
    config_checks={"pattern": CIDR_PATTERN},
)
# One per AZ: as many as max_azs at least (the network's rules), and no more than a network has.
_SUBNET_CIDRS = _List(_VPC_CIDR, config_checks={"maxItems": max(SUPPORTED_AZ_COUNTS)})

_HEALTH_CHECK = _Object(
    HealthCheck,
    (
        Key(
            "command",
            _List(
                _Str(),
                config_checks={
                    "minItems": 2,
                    "prefixItems": [{"enum": list(HEALTH_CHECK_KINDS)}, {"pattern": r"\S"}],
                },
            ),
            "command",
            "What ECS runs in the container: CMD-SHELL and the command as one string, which the "
            "container's shell runs, or CMD and each argument as its own string, run without a "
            'shell; it exits 0 when healthy, such as [CMD-SHELL, "curl -f '
            'http://localhost:8080/healthz || exit 1"] or [CMD, /healthcheck, --ready].',
            required=True,
        ),
        # HealthCheck's own limits, here too so that the JSON Schema carries them to editors.
        Key(
            "interval",
            _Int(between=HEALTH_CHECK_LIMITS["interval_seconds"], whose="ECS's"),
            "interval_seconds",
            "Seconds between checks, 5 to 300.",
        ),
        Key(
            "timeout",
            _Int(between=HEALTH_CHECK_LIMITS["timeout_seconds"], whose="ECS's"),
            "timeout_seconds",
            "Seconds a check may take, 2 to 60.",
        ),
        Key(
            "retries",
            _Int(between=HEALTH_CHECK_LIMITS["retries"], whose="ECS's"),
            "retries",
            "Failed checks in a row that make it unhealthy, 1-10.",
        ),
        Key(
            "start_period",
            _Int(between=HEALTH_CHECK_LIMITS["start_period_seconds"], whose="ECS's"),
            "start_period_seconds",
            "Seconds after start during which failed checks do not count, 0 to 300.",
        ),
    ),
)

_STATEMENT = _Object(
    PolicyStatement,
    (
        Key(
            "actions",
            _List(
                _Str(patterns=(ACTION,), means="service:Action, such as sqs:SendMessage"),
                config_checks={"minItems": 1},
            ),
            "actions",
            "The actions allowed (or denied), such as [sqs:SendMessage]. Wildcards in the action "
            "name are accepted; name the actions the application needs.",
            required=True,
        ),
        Key(
            "resources",
            _List(
                _Str(
                    patterns=(ANY_ARN, ANY_RESOURCE),
                    means="an ARN (* and ? wildcards allowed after the service), or * "
                    "written on purpose",
                    partition=_arn_partition,
                ),
                config_checks={"minItems": 1},
            ),
            "resources",
            "The ARNs the actions apply to; * only written on purpose (for actions that take "
            "no resource)." + _OWN_STACK,
            required=True,
        ),
        Key("effect", _Str(choices=EFFECTS), "effect", "Allow or Deny."),
        Key(
            "conditions",
            _Conditions(),
            "conditions",
            "When the statement applies, as IAM's Condition: operator, then each key with a "
            "value or a list of values, such as {StringEquals: {aws:SourceVpce: vpce-0abc}}; "
            "each value is taken as written, as the text IAM compares (123456789012, true, "
            "2026-01-01 and 010 need no quotes). Values may name the stack's own "
            "${AWS::Partition}, ${AWS::Region}, ${AWS::AccountId} and ${AWS::URLSuffix}, and "
            "IAM policy variables (${aws:PrincipalTag/team}).",
        ),
    ),
)

_TASK_ROLE = _Object(
    TaskRole,
    (
        Key(
            "managed_policies",
            _List(
                _Str(
                    patterns=(MANAGED_POLICY_ARN,),
                    means="an IAM managed policy ARN (arn:<partition>:iam::aws:policy/<name>, or "
                    "arn:<partition>:iam::<account>:policy/<name> for one of your own)",
                    partition=_arn_partition,
                ),
                unique=True,
                config_checks={"maxItems": MANAGED_POLICIES_PER_ROLE},
            ),
            "managed_policies",
            "Managed policies attached to the task role, by ARN (quote one that names "
            "${AWS::...} in a [list])." + _OWN_STACK,
        ),
        Key(
            "statements",
            _List(_STATEMENT),
            "statements",
            "Statements of the task role's inline policy.",
        ),
    ),
)

_EGRESS = _Object(
    EgressRule,
    (
        Key("port", _PORT, "port", "The destination port (the first of a range).", required=True),
        Key("to_port", _PORT, "to_port", "The last port of a range (default: port alone)."),
        Key("protocol", _Str(choices=PROTOCOLS), "protocol", "tcp or udp."),
        Key("cidr", _CIDR, "cidr", "Destination: an IPv4 CIDR block."),
        Key(
            "security_group",
            _Str(patterns=(SECURITY_GROUP_ID,), means="a security group ID (sg-...)"),
            "security_group",
            "Destination: a security group's ID, such as a database's.",
        ),
        Key(
            "prefix_list",
            _Str(patterns=(PREFIX_LIST_ID,), means="a prefix list ID (pl-...)"),
            "prefix_list",
            "Destination: a managed prefix list's ID.",
        ),
        Key(
            "description",
            _Str(patterns=(EC2_TEXT,), means=EC2_TEXT_RULE),
            "description",
            "What the rule is for (255 characters: EC2 takes letters, digits, spaces and "
            "._-:/()#,@[]+=;{}!$* only).",
        ),
    ),
    rules=(
        _one_of_keys("cidr", "security_group", "prefix_list"),
        # EC2 takes no & in the description of a rule that names a group or a prefix list.
        {
            "if": _any_of_keys("security_group", "prefix_list"),
            "then": {"properties": {"description": {"pattern": _portable(EC2_GROUP_RULE_TEXT)}}},
        },
    ),
)

# A container's secrets: variable name -> a secret's or a parameter's ARN.
_SECRETS = _Map(
    _VARIABLE,
    _Str(
        patterns=(SECRET_ARN, PARAMETER_ARN),
        means="a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:"
        "<account>:secret:<name>-<6 characters>, optionally :<json-key>::) or an SSM "
        "parameter ARN (arn:<partition>:ssm:<region>:<account>:parameter/<name>)",
        partition=_arn_partition,
        hint=secret_hint,
    ),
    Secret,
)

_USER = _Str(patterns=(NON_ROOT_USER,), means=NON_ROOT_USER_MEANS)

_SIDECAR = _Object(
    Sidecar,
    (
        Key(
            "name",
            _Str(
                patterns=(CONTAINER_NAME,),
                means=(
                    f"1-{MAX_CONTAINER_NAME} letters, digits, - or _, the first a letter or digit"
                ),
            ),
            "name",
            "The container's name; each sidecar and the service need their own.",
            required=True,
        ),
        Key(
            "image",
            _Str(
                patterns=(ECR_IMAGE,),
                means="a private ECR image with a tag or a digest "
                "(<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>)",
                partition=_image_partition,
                hint=pull_through_hint,
            ),
            "image",
            "A private ECR image with a tag or a digest; the execution role may pull from its "
            "repository only. ${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/... "
            "names the stack's own account and region.",
            required=True,
        ),
        Key(
            "essential",
            _Bool(),
            "essential",
            "Whether the task stops when this container stops.",
        ),
        Key("port", _PORT, "port", "A port the task's other containers reach on localhost."),
        Key(
            "environment",
            _ENVIRONMENT,
            "environment",
            "Its environment variables (strings); as the service's, never a credential.",
        ),
        Key(
            "secrets",
            _SECRETS,
            "secrets",
            "Its environment variables read from Secrets Manager or SSM Parameter Store, such as "
            "an agent's API key; the execution role may read these too, and decrypts them with "
            "the service's secrets_kms_key." + _OWN_STACK,
        ),
        Key("command", _STRINGS, "command", "Overrides the image's CMD."),
        Key("health_check", _HEALTH_CHECK, "health_check", "Its container health check."),
        Key(
            "user",
            _USER,
            "user",
            "The user it runs as (1000:1000, app), never root; without it, its image's USER.",
        ),
    ),
)


def _wildcard_hint(value: str) -> str:
    """A wildcard elsewhere than as the whole first label: the load balancer would take it,
    but neither the certificate nor a Route 53 record can name it."""
    if ("*" in value or "?" in value) and value.islower():
        return ": a wildcard is only allowed as the whole first label, such as *.example.com"
    return ""


_ROUTING = _Object(
    Routing,
    (
        Key(
            "priority",
            _Int(between=(MIN_PRIORITY, MAX_PRIORITY)),
            "priority",
            "The listener rule's priority, unique in the environment: the load balancer "
            "evaluates rules from the lowest up and takes the first that matches.",
            required=True,
        ),
        Key(
            "path",
            _OneOrMore(
                _Str(
                    patterns=(re.compile(rf"^{PATH_PATTERN}$"),),
                    means="a path pattern starting with /, such as /api/* (* and ? are wildcards)",
                    longest=MAX_PATH,
                ),
                MAX_VALUES_PER_CONDITION,
            ),
            "path",
            "The path pattern the rule matches (case sensitive), or a list of them, of which a "
            "request matches one: [/api, /api/*] (/api/* alone does not match /api).",
        ),
        Key(
            "host",
            _OneOrMore(
                _Str(
                    patterns=(re.compile(rf"^{HOST_PATTERN}$"),),
                    means="a lower-case host name such as api.example.com (or *.example.com)",
                    hint=_wildcard_hint,
                    longest=MAX_HOST,
                ),
                MAX_VALUES_PER_CONDITION,
            ),
            "host",
            "The host name the rule matches, or a list of them, of which a request matches one; "
            "with a domain, under it (the environment makes their alias records and names them "
            "in the certificate). With a path, both must match; five paths and hosts in all.",
        ),
    ),
    rules=(_any_of_keys("path", "host"),),
)


def _build_service(values: dict[str, Any]) -> ServiceConfig:
    """The service's keys set ServiceConfig's fields and its Application's (``application.*``)."""
    application = {
        target.removeprefix("application."): value
        for target, value in values.items()
        if target.startswith("application.")
    }
    service = {t: v for t, v in values.items() if not t.startswith("application.")}
    return ServiceConfig(**service, application=Application(**application))


def _default_of(parameter: str, more: str = "") -> str:
    return f"Default of the {parameter} parameter.{more}"


_SCHEDULE = _Object(
    ScheduledScaling,
    (
        Key(
            "name",
            _Str(
                patterns=(re.compile(rf"^{ACTION_NAME_PATTERN}$"),),
                means="1-256 letters, digits, . _ or -, the first a letter or digit",
            ),
            "name",
            "The scheduled action's name, unique among the service's schedules.",
            required=True,
        ),
        Key(
            "schedule",
            _Str(
                patterns=(re.compile(rf"^(?:{SCHEDULE_PATTERN})$"),),
                means="cron(...), rate(<n> minutes|hours|days) or at(yyyy-mm-ddThh:mm:ss)",
            ),
            "schedule",
            "When: cron(0 8 ? * MON-FRI *) is 08:00 each weekday (six fields, each of its "
            "values: minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, "
            "day-of-week 1-7 or SUN-SAT, year 1970-2199).",
            required=True,
        ),
        Key(
            "min",
            _Int(between=(0, MAX_TASKS)),
            "min_capacity",
            "The new minimum of tasks. Without max, the maximum stays as it is, so min may not "
            "exceed the service's max_capacity or another schedule's max.",
        ),
        Key(
            "max",
            _Int(between=(0, MAX_TASKS)),
            "max_capacity",
            "The new maximum of tasks. Without min, the minimum stays as it is, so max may not "
            "be below the service's min_capacity or another schedule's min.",
        ),
        Key(
            "timezone",
            _Str(
                patterns=(re.compile(rf"^(?:{TIMEZONE_PATTERN})$"),),
                means="UTC or an IANA zone such as Europe/Paris",
                hint=zone_hint,
            ),
            "timezone",
            "The time zone the schedule is read in.",
        ),
    ),
    rules=(_any_of_keys("min", "max"),),
)

_QUEUE_SCALING = _Object(
    QueueScaling,
    (
        Key(
            "queue",
            _Str(
                patterns=(QUEUE_NAME,),
                means="an SQS queue's name such as orders, not its URL or ARN (letters, "
                "digits, - and _, up to 80; .fifo at the end of a FIFO queue's)",
                hint=queue_name_hint,
            ),
            "queue",
            "The queue's name, in the stack's account and region.",
            required=True,
        ),
        Key(
            "messages_per_task",
            _Int(between=(1, MAX_MESSAGES_PER_TASK)),
            "messages_per_task",
            "The backlog each running task should have: how many messages one task gets "
            "through in the time a message may wait.",
            required=True,
        ),
    ),
)

_TARGET_HEALTH = _Object(
    TargetHealth,
    (
        Key(
            "interval",
            _Int(choices=HEALTH_CHECK_INTERVALS),
            "interval_seconds",
            _default_of("HealthCheckIntervalSeconds", " Seconds between checks."),
        ),
        Key(
            "timeout",
            _Int(choices=HEALTH_CHECK_TIMEOUTS),
            "timeout_seconds",
            _default_of(
                "HealthCheckTimeoutSeconds",
                " Seconds a check may take; shorter than interval. Left out: ELB's default (5 "
                "or 6 seconds), which needs an interval of 10 or more.",
            ),
        ),
        Key(
            "healthy_threshold",
            _Int(between=(MIN_THRESHOLD, MAX_THRESHOLD)),
            "healthy_threshold",
            _default_of("HealthyThresholdCount", " Checks passed in a row to be healthy."),
        ),
        Key(
            "unhealthy_threshold",
            _Int(between=(MIN_THRESHOLD, MAX_THRESHOLD)),
            "unhealthy_threshold",
            _default_of("UnhealthyThresholdCount", " Checks failed in a row to be unhealthy."),
        ),
        Key(
            "success_codes",
            _Str(
                patterns=(re.compile(rf"^{SUCCESS_CODES_PATTERN}$"),),
                means="HTTP codes or ranges from 200 to 499, such as 200 or 200-299,302",
            ),
            "success_codes",
            _default_of("HealthCheckSuccessCodes", " HTTP codes that count as healthy."),
        ),
        Key(
            "port",
            _PORT,
            "port",
            "A port of its own for the health check, such as a management port (default: the "
            "container port); the tasks admit it from the load balancer too.",
        ),
    ),
    # A timeout shorter than the interval; left out, ELB's default must be.
    rules=_allowed_with(
        "interval",
        "timeout",
        {interval: timeouts_for(interval) for interval in HEALTH_CHECK_INTERVALS},
        (
            _field_default(TargetHealth, "interval_seconds"),
            _field_default(TargetHealth, "timeout_seconds"),
        ),
    ),
)

_BAKE_MINUTES = _Int(between=(0, MAX_BAKE_MINUTES))
_DEPLOYMENT = _Object(
    DeploymentSettings,
    (
        Key(
            "strategy",
            _Str(choices=DEPLOYMENT_STRATEGIES),
            "strategy",
            _default_of(
                "DeploymentStrategy",
                " ROLLING replaces tasks in place; CANARY, LINEAR and BLUE_GREEN move the load "
                "balancer's traffic to the new revision (a public service of one listener rule "
                "only).",
            ),
        ),
        Key(
            "bake_minutes",
            _BAKE_MINUTES,
            "bake_minutes",
            _default_of(
                "DeploymentBakeTimeMinutes",
                " Minutes the old revision stays, ready to take the traffic back.",
            ),
        ),
        Key(
            "canary_percent",
            _Percent(MIN_CANARY_PERCENT),
            "canary_percent",
            _default_of("CanaryPercent", " The canary's share of traffic."),
        ),
        Key(
            "canary_bake_minutes",
            _BAKE_MINUTES,
            "canary_bake_minutes",
            _default_of("CanaryBakeTimeMinutes", " Minutes before the rest moves."),
        ),
        Key(
            "step_percent",
            _Percent(MIN_STEP_PERCENT),
            "step_percent",
            _default_of("LinearStepPercent", " The share each linear step moves."),
        ),
        Key(
            "step_bake_minutes",
            _BAKE_MINUTES,
            "step_bake_minutes",
            _default_of("LinearStepBakeTimeMinutes", " Minutes between two steps."),
        ),
    ),
)

# A regional web ACL's ARN: a service's own load balancer's, and an environment's.
_WEB_ACL = _Str(
    patterns=(re.compile(rf"^{WEB_ACL_ARN_PATTERN}$"),),
    means=(
        "a regional AWS WAF web ACL ARN (.../regional/webacl/<name>/<id>, its id a lowercase UUID)"
    ),
    partition=_arn_partition,
)

_SERVICE_KEYS = (
    Key(
        "expose",
        _Str(choices=EXPOSURES),
        "expose",
        "How the service of an environment is reached: public (behind the shared load "
        "balancer, by its routing), internal (by its name, through Service Connect, from the "
        "other services) or none (a worker). Required for every service when the spec has "
        "several services, a domain or environment settings; a spec of one service without "
        "it builds the service with a load balancer of its own.",
    ),
    Key(
        "routing",
        _OneOrList(_ROUTING),
        "routing",
        "The listener rule of a public service: a path, a host or both, and a priority. Or "
        "a list of such rules, when one rule's five paths and hosts cannot say what the "
        "service takes; a service of several rules deploys ROLLING (ECS shifts the "
        "traffic of one rule).",
    ),
    Key(
        "connect",
        _Bool(),
        "connect",
        "true: a public service is served through Service Connect as well, so the other "
        "services call it by its name (http://<name>:<port>) without going out through the "
        "load balancer. An internal service always is.",
    ),
    Key(
        "app_protocol",
        _Str(choices=APP_PROTOCOLS),
        "app_protocol",
        "The protocol the other services call it by through Service Connect (internal, or "
        "public with connect): http, http2 or grpc adds protocol-specific connection handling "
        "and telemetry to the proxy; http breaks an application that speaks HTTP/2 or gRPC. "
        "Not given: TCP. ECS cannot change it on a running service (it must be deleted and "
        "created again): choose it when the service is first deployed.",
    ),
    Key(
        "port",
        _PORT,
        "default_container_port",
        _default_of("ContainerPort", " A worker (expose: none) listens on no port and takes none."),
    ),
    Key(
        "health_check_path",
        _Str(
            means="a URL path starting with /",
            config_checks={
                "pattern": _portable(re.compile(HEALTH_CHECK_PATH_PATTERN)),
                "maxLength": HEALTH_CHECK_PATH_MAX,
            },
        ),
        "default_health_check_path",
        _default_of(
            "HealthCheckPath",
            " The load balancer's health check requests it."
            " Only a service behind a load balancer (not internal or none).",
        ),
    ),
    Key(
        "cpu",
        _Int(choices=tuple(FARGATE_TASK_SIZES)),
        "default_task_cpu",
        _default_of("TaskCpu", " CPU units (1024 is one vCPU)."),
    ),
    Key(
        "memory",
        _Int(),
        "default_task_memory",
        _default_of("TaskMemory", " MiB; must be a size Fargate takes with cpu."),
    ),
    Key(
        "desired_count",
        _Int(between=(0, MAX_TASKS)),
        "default_desired_count",
        "Default of the DesiredCount parameter.",
    ),
    Key(
        "min_capacity",
        _Int(between=(0, MAX_TASKS)),
        "default_min_capacity",
        _default_of("MinCapacity", " The fewest tasks autoscaling keeps."),
    ),
    Key(
        "max_capacity",
        _Int(between=(0, MAX_TASKS)),
        "default_max_capacity",
        _default_of("MaxCapacity", " The most tasks autoscaling starts."),
    ),
    Key(
        "cpu_target",
        _Int(between=TARGET_UTILIZATION_RANGE, off=0),
        "default_cpu_target",
        _default_of("CpuTargetUtilization", " Percent, 10 to 90; 0 turns it off."),
    ),
    Key(
        "memory_target",
        _Int(between=TARGET_UTILIZATION_RANGE, off=0),
        "default_memory_target",
        _default_of("MemoryTargetUtilization", " Percent, 10 to 90; 0 (off) by default."),
    ),
    Key(
        "requests_per_target",
        _Int(between=(0, MAX_REQUESTS_PER_TARGET)),
        "default_requests_per_target",
        _default_of(
            "RequestsPerTarget",
            " Requests per task and minute, behind an application load balancer; 0 (off) "
            "by default.",
        ),
    ),
    Key(
        "error_rate_alarm",
        _Int(between=(1, 100)),
        "default_error_rate_alarm_percent",
        _default_of(
            "ErrorRateAlarmPercent",
            " Percent of 5xx answers above which a deployment rolls back."
            " Only a service behind a load balancer (not internal or none).",
        ),
    ),
    Key(
        "alarm_topic_arn",
        _Str(
            patterns=(re.compile(rf"^{ALARM_TOPIC_ARN_PATTERN}$"),),
            means="a standard SNS topic ARN",
            partition=_arn_partition,
        ),
        "default_alarm_topic_arn",
        _default_of(
            "AlarmTopicArn",
            " A standard SNS topic of the stack's region that the rollback alarms notify."
            " Only a service behind a load balancer (not internal or none).",
        ),
    ),
    Key(
        "schedules",
        _List(_SCHEDULE, config_checks={"maxItems": SCHEDULED_ACTIONS_PER_SCALABLE_TARGET}),
        "scaling_schedules",
        "Times at which the scaling bounds change, such as more tasks in office hours. At "
        f"most {SCHEDULED_ACTIONS_PER_SCALABLE_TARGET} (Application Auto Scaling's scheduled "
        "actions per scalable target).",
    ),
    Key(
        "queue_scaling",
        _QUEUE_SCALING,
        "queue_scaling",
        "Scale on an SQS queue's messages per running task (any service; a worker's usual "
        "signal), beside the CPU, memory and, behind a load balancer, request targets. "
        "Needs min_capacity 1 or more.",
    ),
    Key(
        "capacity_provider",
        _Str(choices=CAPACITY_PROVIDERS),
        "default_capacity_provider",
        _default_of("CapacityProvider", " FARGATE_SPOT tasks may be stopped at any time."),
    ),
    Key(
        "cpu_architecture",
        _Str(choices=CPU_ARCHITECTURES),
        "default_cpu_architecture",
        _default_of("CpuArchitecture", " The image must be built for it."),
    ),
    Key(
        "load_balancer",
        _Str(choices=LOAD_BALANCER_TYPES),
        "default_load_balancer_type",
        _default_of("LoadBalancerType"),
    ),
    Key(
        "log_retention_days",
        _Int(choices=LOG_RETENTION_DAYS),
        "default_log_retention_days",
        _default_of("LogRetentionDays"),
    ),
    Key(
        "deletion_protection",
        _Bool(),
        "default_deletion_protection",
        _default_of("DeletionProtection", " Of the load balancer."),
    ),
    Key(
        "https_only",
        _Bool(),
        "default_https_only",
        _default_of(
            "HttpsOnly",
            " true closes port 80 (HTTPS on 443 only); it needs CertificateArn when deploying.",
        ),
    ),
    Key(
        "execute_command",
        _Bool(),
        "default_enable_execute_command",
        _default_of(
            "EnableExecuteCommand",
            " ECS Exec; with it on, the container's root file system is writable.",
        ),
    ),
    Key(
        "health_check_grace_period",
        _Int(between=(0, MAX_HEALTH_CHECK_GRACE_PERIOD_SECONDS)),
        "default_health_check_grace_period_seconds",
        _default_of(
            "HealthCheckGracePeriodSeconds",
            " Seconds. Only a service behind a load balancer (not internal or none).",
        ),
    ),
    Key(
        "target_health",
        _TARGET_HEALTH,
        "target_health",
        "How the load balancer checks the tasks (a public service, or one with a load "
        "balancer of its own): the defaults of its health check parameters, and a port of "
        "its own to check.",
    ),
    Key(
        "deployment",
        _DEPLOYMENT,
        "deployment",
        "How a new revision takes over (a public service, or one with a load balancer of its "
        "own): the defaults of its deployment parameters. The circuit breaker and the "
        "rollback alarms watch every strategy.",
    ),
    Key(
        "deregistration_delay",
        _Int(between=(0, MAX_DEREGISTRATION_DELAY_SECONDS)),
        "default_deregistration_delay_seconds",
        _default_of(
            "DeregistrationDelaySeconds",
            " Seconds. Only a service behind a load balancer (not internal or none).",
        ),
    ),
    Key(
        "allowed_ingress_cidr",
        _CIDR,
        "default_allowed_ingress_cidr",
        _default_of("AllowedIngressCidr", " Who may reach the load balancer."),
    ),
    Key(
        "web_acl_arn",
        _WEB_ACL,
        "default_web_acl_arn",
        _default_of("WebAclArn", " AWS WAF in front of the load balancer (an application one)."),
    ),
    Key(
        "tls_policy",
        _Str((STRONG_TLS_POLICY,), "an ELBSecurityPolicy-TLS13-1-2-... or -1-3-... policy"),
        "tls_policy",
        "The load balancer's TLS policy when a certificate is given: a TLS 1.3 policy that "
        "refuses TLS 1.0 and 1.1. A name Elastic Load Balancing does not document (a typo, "
        "which fails the listener) is warned about.",
    ),
    Key(
        "environment",
        _ENVIRONMENT,
        "application.environment",
        "Environment variables of the service's container. Values are strings: quote "
        f"numbers and booleans. {', '.join(CREDENTIAL_VARIABLES[:-1])} and "
        f"{CREDENTIAL_VARIABLES[-1]} are refused: anyone who may describe the task definition "
        "reads its environment; the task role gives the container its AWS credentials, and "
        "secrets hold other systems'.",
    ),
    Key(
        "secrets",
        _SECRETS,
        "application.secrets",
        "Environment variables read from Secrets Manager or SSM Parameter Store when the "
        "container starts; the execution role may read exactly these." + _OWN_STACK,
    ),
    Key(
        "secrets_kms_key",
        _OneOrMore(
            _Str(
                patterns=(KMS_KEY_ARN,),
                means="a KMS key ARN",
                partition=_arn_partition,
                hint=kms_key_hint,
            )
        ),
        "application.secrets_kms_key",
        "The customer managed KMS key the secrets are encrypted with, or a list of the keys "
        "when they are encrypted with several; only then may the execution role decrypt, "
        "with those keys alone." + _OWN_STACK,
    ),
    Key(
        "task_role",
        _TASK_ROLE,
        "application.task_role",
        "The application's own AWS permissions: exactly these.",
    ),
    Key(
        "egress",
        _List(_EGRESS),
        "application.egress",
        "Traffic the tasks may send beyond HTTPS (443 to anywhere stays).",
    ),
    Key(
        "sidecars",
        _List(_SIDECAR, unique_by="name", config_checks={"maxItems": CONTAINERS_PER_TASK - 1}),
        "application.sidecars",
        "Containers beside the service's, in the same task.",
    ),
    Key(
        "health_check",
        _HEALTH_CHECK,
        "application.health_check",
        "The container health check (the load balancer's stays).",
    ),
    Key("command", _STRINGS, "application.command", "Overrides the image's CMD."),
    Key("entrypoint", _STRINGS, "application.entry_point", "Overrides the image's ENTRYPOINT."),
    Key(
        "ephemeral_storage",
        _Int(between=EPHEMERAL_STORAGE_GIB),
        "application.ephemeral_storage_gib",
        "The task's ephemeral storage in GiB (Fargate gives 20 without it).",
    ),
    Key(
        "stop_timeout",
        _Int(between=STOP_TIMEOUT_SECONDS),
        "application.stop_timeout_seconds",
        "Seconds the container may take to stop after SIGTERM.",
    ),
    Key(
        "user",
        _USER,
        "application.user",
        _default_of(
            "ContainerUser",
            " The user the container runs as (1000:1000, app), never root; without it, "
            "the image's USER.",
        ),
    ),
)


def _service_rules(keys: tuple[Key, ...]) -> tuple[dict[str, Any], ...]:
    """The rules across a service's keys: the memory Fargate takes with its cpu, routing for a
    public service only, and no key a service of its exposure has no use for
    (:func:`fields_without_use`)."""
    by_field = {key.target: key.name for key in keys}
    unused = [
        {
            "if": _is("expose", expose, None),
            "then": {"propertyNames": {"not": {"enum": [by_field[f] for f in without]}}},
        }
        for expose in EXPOSURES
        if (without := fields_without_use(expose))
    ]
    return (
        *_allowed_with(
            "cpu",
            "memory",
            FARGATE_TASK_SIZES,
            (
                _field_default(ServiceConfig, "default_task_cpu"),
                _field_default(ServiceConfig, "default_task_memory"),
            ),
        ),
        # A listener rule is a public service's, and a public service has one; so is connect.
        {"if": {"required": ["routing"]}, "then": _is("expose", EXPOSE_PUBLIC, None)},
        {"if": _is("expose", EXPOSE_PUBLIC, None), "then": {"required": ["routing"]}},
        {"if": _is("connect", True, False), "then": _is("expose", EXPOSE_PUBLIC, None)},
        # An application protocol is for a service Service Connect serves (ServiceConfig.serves).
        {
            "if": {"required": ["app_protocol"]},
            "then": {
                "anyOf": [
                    _is("expose", EXPOSE_INTERNAL, None),
                    {
                        "allOf": [
                            _is("expose", EXPOSE_PUBLIC, None),
                            _is("connect", True, _field_default(ServiceConfig, "connect")),
                        ]
                    },
                ]
            },
        },
        *unused,
        *_refused_together(),
    )


def _refused_together() -> tuple[dict[str, Any], ...]:
    """Rules for what ServiceConfig and its Application refuse of keys together, each beside
    the check it says (the config's message gives the why)."""
    requests_off = _is(
        "requests_per_target", 0, _field_default(ServiceConfig, "default_requests_per_target")
    )
    return (
        # A deployment other than ROLLING moves the tasks to the other target group (scaling on
        # requests counts one) and shifts the traffic of one listener rule, through the load
        # balancer, not Service Connect too (_validate_deployment, _validate_exposure).
        {
            "if": _given(
                "deployment",
                _given("strategy", {"enum": [s for s in DEPLOYMENT_STRATEGIES if s != ROLLING]}),
            ),
            "then": {
                "allOf": [
                    requests_off,
                    {"properties": {"routing": {"not": {"type": "array", "minItems": 2}}}},
                    _is("connect", False, _field_default(ServiceConfig, "connect")),
                ]
            },
        },
        # AWS WAF protects application load balancers only, and only they count requests
        # (_validate_load_balancer, _validate_scaling).
        {
            "if": _is(
                "load_balancer",
                NETWORK_LOAD_BALANCER,
                _field_default(ServiceConfig, "default_load_balancer_type"),
            ),
            "then": {"allOf": [{"propertyNames": {"not": {"const": "web_acl_arn"}}}, requests_off]},
        },
        # Scaling on a queue divides its backlog by the running tasks: MinCapacity and each
        # schedule's bounds keep one (_validate_queue_scaling; the default minimum does).
        {
            "if": {"required": ["queue_scaling"]},
            "then": {
                "properties": {
                    "min_capacity": {"minimum": MIN_RUNNING_TASKS},
                    "schedules": {
                        "items": {
                            "properties": {
                                bound: {"minimum": MIN_RUNNING_TASKS} for bound in ("min", "max")
                            }
                        }
                    },
                }
            },
        },
        # A KMS key decrypts secrets: the service's, or a sidecar's (Application.all_secrets).
        {
            "if": {"required": ["secrets_kms_key"]},
            "then": {
                "anyOf": [
                    has_secrets := _given("secrets", {"minProperties": 1}),
                    _given("sidecars", {"contains": has_secrets}),
                ]
            },
        },
    )


_SERVICE = _Object(
    ServiceConfig, _SERVICE_KEYS, build=_build_service, rules=_service_rules(_SERVICE_KEYS)
)


def _network(values: dict[str, Any]) -> NetworkConfig:
    """The network section's config. With existing_vpc, every other key is refused, even at
    its default value (the config sees values, not keys): the build makes no network."""
    if values.get("existing_vpc") is True:
        given = [target for target in values if target != "existing_vpc"]
        if given:
            raise ConfigError(
                "\n".join(
                    f"NetworkConfig.{target}={values[target]!r}: describes a network the build "
                    "makes, and existing_vpc makes none: leave it out (the existing VPC has its "
                    "own)"
                    for target in given
                )
            )
    return NetworkConfig(**values)


_NETWORK = _Object(
    NetworkConfig,
    (
        Key(
            "max_azs",
            _Int(choices=SUPPORTED_AZ_COUNTS),
            "max_azs",
            "How many Availability Zones the template can span.",
        ),
        Key(
            "azs",
            _Int(
                config_checks={
                    "minimum": min(SUPPORTED_AZ_COUNTS),
                    "maximum": max(SUPPORTED_AZ_COUNTS),
                }
            ),
            "default_azs",
            _default_of("NumberOfAzs", " From 2 to max_azs."),
        ),
        Key("vpc_cidr", _VPC_CIDR, "vpc_cidr", _default_of("VpcCidr")),
        Key(
            "public_subnet_cidrs",
            _SUBNET_CIDRS,
            "public_subnet_cidrs",
            "Defaults of the PublicSubnet<N>Cidr parameters, one per AZ up to max_azs.",
        ),
        Key(
            "private_subnet_cidrs",
            _SUBNET_CIDRS,
            "private_subnet_cidrs",
            "Defaults of the PrivateSubnet<N>Cidr parameters, one per AZ up to max_azs.",
        ),
        Key(
            "nat_gateways",
            _Str(choices=NAT_GATEWAY_MODES),
            "default_nat_gateways",
            _default_of("NatGateways"),
        ),
        Key("vpc_endpoints", _Bool(), "default_vpc_endpoints", _default_of("VpcEndpoints")),
        Key(
            "interface_endpoints",
            _List(
                _Str(choices=KNOWN_INTERFACE_ENDPOINTS),
                unique=True,
                config_checks={
                    "allOf": [{"contains": {"const": n}} for n in REQUIRED_INTERFACE_ENDPOINTS]
                },
            ),
            "interface_endpoints",
            "The interface endpoints created when VpcEndpoints is true; "
            "ecr.api, ecr.dkr and logs are required.",
        ),
        Key(
            "gateway_endpoints",
            _List(
                _Str(choices=KNOWN_GATEWAY_ENDPOINTS),
                unique=True,
                config_checks={
                    "allOf": [{"contains": {"const": n}} for n in REQUIRED_GATEWAY_ENDPOINTS]
                },
            ),
            "gateway_endpoints",
            "The gateway endpoints, free and always created: s3 (required: image layers come "
            "through it) and dynamodb, to reach DynamoDB without a NAT gateway.",
        ),
        Key(
            "s3_endpoint_access",
            _Str(choices=S3_ENDPOINT_ACCESSES),
            "default_s3_endpoint_access",
            _default_of(
                "S3EndpointAccess",
                " AnyBucket, or ThisAccount: the S3 gateway endpoint takes requests to this "
                "account's buckets and ECR's image layers only.",
            ),
        ),
        Key(
            "restrict_default_security_group",
            _Bool(),
            "default_restrict_default_security_group",
            _default_of(
                "RestrictDefaultSecurityGroup",
                " true: a custom resource's function empties the VPC's default security group "
                "(AWS Security Hub EC2.2).",
            ),
        ),
        Key(
            "existing_vpc",
            _Bool(),
            "existing_vpc",
            "true: no network is built; the services of an environment run in a VPC of yours, "
            "whose VpcId, PublicSubnetIds (the load balancer's) and PrivateSubnetIds (the "
            "tasks') the root takes as parameters. The other network keys are then refused.",
        ),
        Key(
            "flow_log_retention_days",
            _Int(choices=LOG_RETENTION_DAYS),
            "default_flow_log_retention_days",
            _default_of("FlowLogRetentionDays"),
        ),
    ),
    build=_network,
    rules=(
        # A template of max_azs zones: NumberOfAzs up to it, a subnet CIDR for each zone.
        *(
            {
                "if": _is("max_azs", count, _field_default(NetworkConfig, "max_azs")),
                "then": {
                    "properties": {
                        "azs": {"maximum": count},
                        "public_subnet_cidrs": {"minItems": count},
                        "private_subnet_cidrs": {"minItems": count},
                    }
                },
            }
            for count in SUPPORTED_AZ_COUNTS
        ),
        # Without NAT gateways, the tasks pull their image through the endpoints.
        {
            "if": _is(
                "nat_gateways", NAT_NONE, _field_default(NetworkConfig, "default_nat_gateways")
            ),
            "then": _is(
                "vpc_endpoints", True, _field_default(NetworkConfig, "default_vpc_endpoints")
            ),
        },
        # An existing VPC: every other key describes a network the build makes.
        {
            "if": _is("existing_vpc", True, _field_default(NetworkConfig, "existing_vpc")),
            "then": {"propertyNames": {"const": "existing_vpc"}},
        },
    ),
)


def _environment_values(values: dict[str, Any]) -> dict[str, Any]:
    """An environment section's values, checked as EnvironmentConfig checks them (so an error
    points at its key), for the product to combine with the other section's."""
    EnvironmentConfig(**values)
    return values


_DOMAIN = _Object(
    EnvironmentConfig,
    (
        Key(
            "name",
            _Str(
                patterns=(re.compile(rf"^{DOMAIN_NAME_PATTERN}$"),),
                means="a lower-case domain name such as shop.example.com",
                config_checks={"maxLength": CERTIFICATE_NAME_MAX},
            ),
            "default_domain_name",
            _default_of(
                "DomainName",
                " The domain the environment serves: an ACM certificate for it and each host "
                "the services route under it, validated in the hosted zone, and alias records "
                "for it and every service's host.",
            ),
            required=True,
        ),
        Key(
            "hosted_zone_id",
            _Str(
                patterns=(re.compile(rf"^{HOSTED_ZONE_ID_PATTERN}$"),),
                means="a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ",
            ),
            "default_hosted_zone_id",
            _default_of("HostedZoneId", " The domain's public hosted zone in this account."),
            required=True,
        ),
    ),
    build=_environment_values,
)

_ENVIRONMENT_SETTINGS = _Object(
    EnvironmentConfig,
    (
        Key(
            "allowed_ingress_cidr",
            _CIDR,
            "default_allowed_ingress_cidr",
            _default_of("AllowedIngressCidr", " Who may reach the shared load balancer."),
        ),
        Key(
            "deletion_protection",
            _Bool(),
            "default_deletion_protection",
            _default_of("DeletionProtection", " Of the shared load balancer."),
        ),
        Key(
            "https_only",
            _Bool(),
            "default_https_only",
            _default_of(
                "HttpsOnly",
                " true closes port 80 (HTTPS on 443 only); it needs a certificate (the domain, "
                "or CertificateArn when deploying).",
            ),
        ),
        Key(
            "log_retention_days",
            _Int(choices=LOG_RETENTION_DAYS),
            "default_log_retention_days",
            _default_of("LogRetentionDays", " The load balancer's access logs."),
        ),
        Key(
            "web_acl_arn",
            _WEB_ACL,
            "default_web_acl_arn",
            _default_of("WebAclArn", " AWS WAF in front of the shared load balancer."),
        ),
        Key(
            "tls_policy",
            _Str((STRONG_TLS_POLICY,), "an ELBSecurityPolicy-TLS13-1-2-... or -1-3-... policy"),
            "tls_policy",
            "The HTTPS listener's TLS policy: a TLS 1.3 policy that refuses TLS 1.0 and 1.1. "
            "A name Elastic Load Balancing does not document is warned about.",
        ),
    ),
    build=_environment_values,
)


# Top-level keys that make a spec an environment, whatever its number of services.
ENVIRONMENT_KEYS = ("environment", "domain")


def _build_product(values: dict[str, Any]) -> ProductConfig:
    """One service without expose, and no domain or environment settings: the service with a
    load balancer of its own (as before 0.4.0). Anything else: an environment of services."""
    network = values.get("network", NetworkConfig())
    services: tuple[ServiceConfig, ...] = values["services"]
    environment = {
        key: value for part in ENVIRONMENT_KEYS for key, value in values.get(part, {}).items()
    }
    # A section given, even empty ({}), makes an environment, as the schema and the reference
    # say: a spec without them is one service with a load balancer of its own.
    sections = any(part in values for part in ENVIRONMENT_KEYS)
    if len(services) == 1 and services[0].expose is None and not sections:
        return ProductConfig(network=network, service=services[0])
    return ProductConfig(
        network=network, environment=EnvironmentConfig(**environment), services=services
    )


SPEC = _Object(
    ProductConfig,
    (
        Key(
            "network",
            _NETWORK,
            "network",
            "Build-time choices of the network layer and its parameters' defaults.",
        ),
        Key(
            "environment",
            _ENVIRONMENT_SETTINGS,
            "environment",
            "The shared load balancer's settings, for an environment of services.",
        ),
        Key(
            "domain",
            _DOMAIN,
            "domain",
            "The environment's custom domain and its Route 53 hosted zone.",
            sets="environment",
        ),
        Key(
            "services",
            _Services(
                _Str(
                    patterns=(CONTAINER_NAME,),
                    means=(
                        f"1-{MAX_CONTAINER_NAME} letters, digits, - or _, the first a letter or "
                        "digit"
                    ),
                ),
                _SERVICE,
            ),
            "services",
            "The services, by name; a name is its container's (and an internal service's name "
            "in the environment). Several services, a domain or environment settings make an "
            "environment: each service then says how it is reached (expose), and its name is "
            f"at most {MAX_MEMBER_NAME} characters (the root's names of its parameters start "
            "with it), and "
            "differs from the others by more than case or punctuation (each service has a "
            "template file, service-<name>.yaml, and logical IDs of its own).",
            required=True,
        ),
    ),
    build=_build_product,
)
"""The spec file's keys, from which the parser, the JSON Schema and the reference derive."""


def spec_keys() -> list[tuple[str, Key]]:
    """Every key of the table, by its path in the docs (``services.<name>.sidecars[].name``)."""
    return [
        (f"{path}.{key.name}" if path else key.name, key)
        for path, section in SPEC.sections("")
        for key in section.keys
    ]


# --- Reading a spec ----------------------------------------------------------------------------


def _refuse_load_balancer_sections(reader: _Reader, root: Node, config: ProductConfig) -> None:
    """An environment without a public service has no load balancer: its ``environment:`` and
    ``domain:`` sections, which set the load balancer's settings, are refused even when they
    only repeat the defaults (the config sees values, not keys)."""
    if not config.services or config.has_public_service or not isinstance(root, MappingNode):
        return
    for name, key_node, _ in reader.pairs(root, ()):
        if name in ENVIRONMENT_KEYS:
            raise reader.error(
                key_node,
                (name,),
                "no service is public, so the environment has no load balancer, and no use "
                "for this section (the domain, the allowed clients and the listeners are the "
                "load balancer's): leave it out, or make a service public",
            )


def parse_spec(text: str, filename: str = "<spec>") -> ProductConfig:
    """The product config a spec's text describes; a :class:`SpecError` naming ``filename``,
    the line and the key path when it is invalid."""
    _expect_text(text)
    expect(filename, str, "parse_spec(filename)")
    _refuse_line_separators(text, filename)
    loader = _loader(_json_indentation(text), filename)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = f":{mark.line + 1}" if mark else ""
            context = f" ({exc.context})" if exc.context else ""
            if exc.problem == "mapping values are not allowed here":
                context += "; quote a value that holds ': ' or ends with ':'"
            if "'\\t'" in str(exc.problem):
                context += _tab_hint(text, exc.problem_mark)
            if exc.context == "while scanning an alias":
                # *name is a YAML alias: an unquoted wildcard host is read as one.
                context += '; quote a value that begins with *, such as "*.example.com"'
            raise SpecError(f"{filename}{line}: invalid YAML: {exc.problem}{context}") from None
        except yaml.YAMLError as exc:
            raise SpecError(f"{filename}: invalid YAML: {' '.join(str(exc).split())}") from None
        if root is None or root.tag == "tag:yaml.org,2002:null":
            raise SpecError(f"{filename}:1: the spec is empty: it needs at least services:")
        reader = _Reader(filename, loader)
        unknown = list(SPEC.unknown_keys(reader, root, ()))
        if unknown:
            raise SpecError("\n".join(map(str, unknown)))
        config: ProductConfig = SPEC.parse(reader, root, ())
        _refuse_load_balancer_sections(reader, root, config)
        return config
    except RecursionError:
        raise SpecError(f"{filename}: the spec is nested too deeply to read") from None
    except ValueError as exc:
        if isinstance(exc, SpecError):
            raise
        # Python refuses to read integers of thousands of digits, for one.
        raise SpecError(f"{filename}: cannot read the spec: {' '.join(str(exc).split())}") from None
    finally:
        loader.dispose()


# Characters YAML 1.1 reads as line breaks that an editor does not (U+0085 NEL, U+2028 LINE
# SEPARATOR, U+2029 PARAGRAPH SEPARATOR): in a comment, one made the next words a line of their
# own ("mapping values are not allowed here" two lines on), in a value it moved every line
# number after it.
_LINE_SEPARATORS = {
    "\x85": "NEXT LINE",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
}


def _refuse_line_separators(text: str, filename: str) -> None:
    found = [text.find(character) for character in _LINE_SEPARATORS]
    first = min((at for at in found if at >= 0), default=-1)
    if first < 0:
        return
    line = text.count("\n", 0, first) + 1
    column = first - (text.rfind("\n", 0, first) + 1) + 1
    name = _LINE_SEPARATORS[text[first]]
    raise SpecError(
        f"{filename}:{line}: holds U+{ord(text[first]):04X} ({name}) at column {column}, which "
        "YAML reads as a line break where an editor shows none: remove it (in a value, write "
        f"it as \\u{ord(text[first]):04x} in double quotes)"
    )


def _json_indentation(text: str) -> str:
    """A JSON spec (a document that is one flow mapping) indented with tabs, as ``jq --tab``
    and ``json.dumps(indent="\\t")`` write it, with each line's leading tabs as spaces: JSON
    and YAML 1.2 take them, PyYAML refused them ("found character '\\t' that cannot start
    any token"). Nothing else changes: a flow document's lines are joined without their
    leading white space, and each tab is one space, so columns stay."""
    if not text.lstrip("\ufeff \t\r\n").startswith("{"):
        return text
    return "\n".join(_leading_tabs_as_spaces(line) for line in text.split("\n"))


def _leading_tabs_as_spaces(line: str) -> str:
    """``line`` with the tabs of its leading white space as spaces, and only those (a tab
    inside a value on an indented line is the value's: a review found it made a space)."""
    indent = len(line) - len(line.lstrip(" \t"))
    return line[:indent].replace("\t", " ") + line[indent:]


def _tab_hint(text: str, mark: yaml.Mark | None) -> str:
    """What to say of a tab YAML refused: one in a line's indentation, or one elsewhere (after
    a value: a review found "YAML indents with spaces" said of ``port: 8080<tab>``)."""
    lines = text.splitlines()
    before = lines[mark.line][: mark.column] if mark and mark.line < len(lines) else ""
    if before.strip():
        return "; YAML takes no tab there: remove it, or write spaces"
    return "; YAML indents with spaces, never tabs"


def _loader(text: str, filename: str) -> yaml.SafeLoader:
    """PyYAML's loader of ``text``, which reads every character first: a character YAML does
    not take (a NUL, a terminal's colour codes, a form feed) is a :class:`SpecError` at its
    line and column (it was a ``ReaderError`` traceback)."""
    try:
        return yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        line, column, problem = unacceptable_character(text, exc)
        raise SpecError(
            f"{filename}:{line}: invalid YAML: {problem} (column {column}; YAML takes "
            "printable characters only, in comments too: remove it)"
        ) from None


def _expect_text(text: object) -> None:
    """A ``TypeError`` for a spec's text that is no str (PyYAML read bytes and file objects
    all the same), saying how to get the text of bytes or of a path."""
    hint = (
        ": decode it, or load_spec(path) reads the file"
        if isinstance(text, bytes | bytearray)
        else ": load_spec(path) reads a spec file"
        if hasattr(text, "__fspath__")
        else ""
    )
    if not isinstance(text, str):
        got = "None" if text is None else type(text).__name__
        raise TypeError(f"parse_spec(text) takes str, not {got}{hint}")


def load_spec(path: Path | str) -> ProductConfig:
    """The product config the spec file at ``path`` describes (see :func:`parse_spec`)."""
    expect_path(path, "load_spec(path)", "spec file")
    return parse_spec(read_spec_text(path), str(path))


def read_spec_text(path: Path | str) -> str:
    """The text of the spec file at ``path``; a :class:`SpecError` naming it when it cannot
    be read or is not UTF-8."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            # Read no further than a spec can be: /dev/zero, or a disk image given by mistake,
            # was read whole, and ended in a MemoryError traceback.
            data = file.read(SPEC_BYTES + 1)
        if len(data) > SPEC_BYTES:
            raise SpecError(
                f"{path}: more than {SPEC_BYTES // 2**20} MiB: no spec is this large (a spec "
                "of 46 services, each at ECS's 64 KiB task definition, is under 3 MiB)"
            )
        for mark, encoding in _OTHER_ENCODINGS:
            if data.startswith(mark):  # PowerShell 5's > writes UTF-16, with a mark
                raise SpecError(
                    f"{path}: {encoding} text (its byte-order mark says so): save it as UTF-8"
                )
        return data.decode("utf-8")
    except FileNotFoundError:
        raise SpecError(missing_path(path)) from None  # as every command says it of a file
    except (OSError, UnicodeDecodeError) as exc:
        if path.is_dir():  # IsADirectoryError, or PermissionError on Windows
            raise SpecError(folder_given(path, "a spec file")) from None
        if isinstance(exc, UnicodeDecodeError):  # as templates and publish say it of a file
            raise SpecError(f"{path}: not a text file (it is not UTF-8)") from None
        raise SpecError(f"{path}: cannot read the spec: {exc.strerror}") from None


# The most a spec file may hold (see read_spec_text).
SPEC_BYTES = 8 * 2**20
# Byte-order marks of the encodings a spec is not in (UTF-32's first: UTF-16's begins it).
_OTHER_ENCODINGS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def key_line(text: str, dotted: str) -> int | None:
    """The line (from 1) of a spec's key, given as a warning names it (``services.api.routing``,
    ``services.web.schedules``), or of the nearest key above it that the spec has (a warning
    may be about a key left out, such as ``health_check_path``); None when the text is not a
    spec's YAML."""
    return key_lines(text, [dotted])[0]


def key_lines(text: str, dotted: Sequence[str]) -> list[int | None]:
    """:func:`key_line` of each key, the text composed once."""
    root = _composed(text)
    return [found[0] if (found := _key_at(root, key)) else None for key in dotted]


def _composed(text: str) -> Node | None:
    """The spec's YAML as nodes, which keep their lines; None when it is not YAML. Read as
    parse_spec reads it (a JSON spec's tab indentation: its warnings had no line)."""
    try:
        return yaml.compose(_json_indentation(text), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


# A part of a warning's dotted key: a key, or a key and the index of an item of its list.
_KEY_PART = re.compile(r"(.*?)(?:\[([0-9]+)\])?")


def _key_at(node: Node | None, dotted: str) -> tuple[int, str] | None:
    """The line of the key ``dotted`` names in the spec's nodes, or of the nearest key above it
    the spec has, and that key's path; None when the spec has not even the first. A part may
    name an item of a list, ``sidecars[0]``: the item's line."""
    found_at = None
    parts: list[str] = []
    for part in dotted.split("."):
        match = _KEY_PART.fullmatch(part)  # always: its key part takes any text
        assert match is not None
        name, index = match[1], match[2]
        if not isinstance(node, MappingNode):
            break
        found = next(((key, value) for key, value in node.value if key.value == name), None)
        if found is None:
            break
        key, node = found
        parts.append(name)
        found_at = (key.start_mark.line + 1, ".".join(parts))
        if index is None:
            continue
        if not isinstance(node, SequenceNode) or int(index) >= len(node.value):
            break
        node = node.value[int(index)]
        parts[-1] = part
        found_at = (node.start_mark.line + 1, ".".join(parts))
    return found_at


# The spec key each resource of a service's template comes from, when one key makes most of
# it: the execution role's inline policies grow with the secrets, the task role's managed
# policies are the task_role's. Others are the service's as a whole.
_SERVICE_RESOURCE_KEYS = {EXECUTION_ROLE: "secrets", TASK_ROLE: "task_role"}


def _problem_keys(problem: TemplateProblem, config: ProductConfig) -> tuple[str, ...]:
    """The spec keys a template problem may come from, the most precise first."""
    name = problem.filename.removesuffix(".yaml")
    service_name = None
    if name.startswith(f"{SERVICE_LAYER}-"):
        service_name = name.removeprefix(f"{SERVICE_LAYER}-")
    elif name == SERVICE_LAYER and config.service is not None:
        service_name = config.service.container_name
    if service_name is not None:
        sub = _SERVICE_RESOURCE_KEYS.get(problem.resource)
        service_key = f"services.{service_name}"
        return (f"{service_key}.{sub}", service_key) if sub else (service_key,)
    if name == ENVIRONMENT_LAYER:  # its certificate is the domain's, the rest its settings'
        keys = ("environment", "domain")
        return keys[::-1] if problem.resource == CERTIFICATE else keys
    return {NETWORK_LAYER: ("network",), ROOT_LAYER: ("services",)}.get(name, ())


def spec_build_error(
    error: TemplateChecksFailed, spec: Path | str, config: ProductConfig, text: str | None = None
) -> SpecError:
    """What the build's checks refuse of the templates a spec describes (``config``, from the
    spec file ``spec``, whose ``text`` is read again when not given), each problem at the line
    of the spec key it most likely comes from: ``app.yaml:5: services.api.secrets:
    service-api.yaml: TaskExecutionRole: ...`` (the key a limit is about, else its service's or
    section's, ``services`` for a root of too many services; the file alone when the spec has
    none of them)."""
    if text is None:
        try:
            text = read_spec_text(spec)
        except SpecError:  # the file alone, then
            text = ""
    root = _composed(text)  # once: a spec of 20,000 lines takes about a second to compose
    lines = []
    for problem in error.problems:
        keys = _problem_keys(problem, config)
        found = next((at for key in keys if (at := _key_at(root, key))), None)
        where = f"{spec}:{found[0]}: {found[1]}" if found else f"{spec}"
        lines.append(f"{where}: {problem}")
    return SpecError("\n".join(lines))


# --- Publishing the format -------------------------------------------------------------------


def spec_schema() -> dict[str, Any]:
    """The spec's JSON Schema (draft 2020-12), for editors to validate and complete it."""
    services = SPEC.keys[-1].kind
    assert isinstance(services, _Services)
    name = _portable(services.name.patterns[0])
    sections = _any_of_keys(*ENVIRONMENT_KEYS)
    several = {"properties": {"services": {"minProperties": 2}}, "required": ["services"]}
    # A service that says how it is reached makes an environment of one service too.
    exposed = {
        "properties": {
            "services": {"not": {"additionalProperties": {"not": {"required": ["expose"]}}}}
        },
        "required": ["services"],
    }
    # Anything but one service without expose, domain or environment (the parser's
    # _build_product).
    an_environment = {"anyOf": [*sections["anyOf"], several, exposed]}
    public = {
        "properties": {
            "services": {
                "not": {"additionalProperties": {"not": _is("expose", EXPOSE_PUBLIC, None)}}
            }
        },
        "required": ["services"],
    }
    existing_vpc = _is("existing_vpc", True, _field_default(NetworkConfig, "existing_vpc"))
    top = SPEC.schema()
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "troposphere-fargate application spec",
        "description": "An application for troposphere-fargate build --spec; see docs/spec.md.",
        **top,
        "allOf": [
            *top.get("allOf", []),
            # Several services, a domain or environment settings: each service says how it is
            # reached (the parser's _build_product).
            {
                "if": {"anyOf": [*sections["anyOf"], several]},
                "then": {
                    "properties": {
                        "services": {"patternProperties": {name: {"required": ["expose"]}}}
                    }
                },
            },
            # In any environment a service's name is MAX_MEMBER_NAME characters at most
            # (ProductConfig's check).
            {
                "if": an_environment,
                "then": {
                    "properties": {"services": {"propertyNames": {"maxLength": MAX_MEMBER_NAME}}}
                },
            },
            # An existing VPC is for the services of an environment: one service of its own
            # takes it as its service.yaml (ProductConfig's check).
            {"if": _given("network", existing_vpc), "then": an_environment},
            # A domain or environment settings are the shared load balancer's, which only a
            # public service makes (the parser's _refuse_load_balancer_sections).
            {"if": sections, "then": public},
        ],
    }


EXAMPLE_SPEC = """\
network:
  max_azs: 3
  azs: 2
  vpc_cidr: 10.0.0.0/16
  public_subnet_cidrs: [10.0.0.0/22, 10.0.4.0/22, 10.0.8.0/22]
  private_subnet_cidrs: [10.0.32.0/19, 10.0.64.0/19, 10.0.96.0/19]
  nat_gateways: PerAz
  vpc_endpoints: false
  interface_endpoints: [ecr.api, ecr.dkr, logs, secretsmanager, ssm]
  gateway_endpoints: [s3, dynamodb]
  s3_endpoint_access: AnyBucket
  restrict_default_security_group: true
  flow_log_retention_days: 365
  existing_vpc: false  # true, for an environment's services: no network; your VPC's ids instead
services:
  web:
    port: 8080
    health_check_path: /healthz
    cpu: 512
    memory: 1024
    desired_count: 0
    min_capacity: 2
    max_capacity: 4
    cpu_target: 70
    memory_target: 80
    requests_per_target: 0  # off; on (requests per task and minute) with ROLLING deployments
    error_rate_alarm: 5
    alarm_topic_arn: arn:aws:sns:eu-west-1:123456789012:ops-alarms  # the rollback alarms notify it
    schedules:
      - {name: office-hours, schedule: "cron(0 8 ? * MON-FRI *)", min: 4, timezone: Europe/Paris}
      - {name: evening, schedule: "cron(0 19 ? * MON-FRI *)", min: 2, max: 4, timezone: UTC}
    queue_scaling: {queue: orders, messages_per_task: 100}
    capacity_provider: FARGATE
    cpu_architecture: X86_64
    load_balancer: application
    log_retention_days: 365
    deletion_protection: true
    https_only: false  # true closes port 80 (HTTPS only), with a CertificateArn when deploying
    execute_command: false
    health_check_grace_period: 60
    deployment:
      strategy: CANARY
      bake_minutes: 10
      canary_percent: 5
      canary_bake_minutes: 10
      step_percent: 10
      step_bake_minutes: 6
    target_health:
      interval: 10
      timeout: 5
      healthy_threshold: 2
      unhealthy_threshold: 3
      success_codes: 200-399
      port: 8081
    deregistration_delay: 30
    allowed_ingress_cidr: 0.0.0.0/0
    web_acl_arn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/web/\\
      a1b2c3d4-5678-90ab-cdef-111122223333"  # AWS WAF in front of the load balancer
    tls_policy: ELBSecurityPolicy-TLS13-1-2-Res-2021-06
    environment:
      LOG_LEVEL: info
      WORKERS: "4"
    secrets:
      DATABASE_URL: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:url::"
      API_KEY: arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key
    secrets_kms_key: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    task_role:
      managed_policies: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
      statements:
        - actions: [sqs:SendMessage]
          resources: [arn:aws:sqs:eu-west-1:123456789012:orders]
          effect: Allow
          conditions:
            StringEquals: {aws:SourceVpce: vpce-0123456789abcdef0}
            Bool: {aws:SecureTransport: true}
    egress:
      - {port: 5432, security_group: sg-0123456789abcdef0, description: PostgreSQL}
      - {port: 6379, to_port: 6380, protocol: tcp, cidr: 10.1.0.0/16}
      - {port: 8125, protocol: udp, prefix_list: pl-0123456789abcdef0}
    sidecars:
      - name: otel
        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel/collector:0.98.0
        essential: false
        port: 4317
        environment: {OTEL_LOG_LEVEL: warn}
        secrets:
          OTLP_TOKEN: arn:aws:ssm:eu-west-1:123456789012:parameter/prod/otlp-token
        command: [--config=/etc/otel/config.yaml]
        user: "10001"
        health_check:
          command: [CMD, /healthcheck]
          interval: 30
          timeout: 5
          retries: 3
          start_period: 5
    health_check:
      command: [CMD-SHELL, "curl -f http://localhost:8080/healthz || exit 1"]
      interval: 30
      timeout: 5
      retries: 3
      start_period: 10
    command: [gunicorn, app:app]
    entrypoint: [/usr/bin/tini, --]
    ephemeral_storage: 40
    stop_timeout: 60
    user: "1000:1000"
"""
"""A spec of one service with a load balancer of its own that uses every key it can (the
reference shows it; a test reads it back)."""

ENVIRONMENT_EXAMPLE_SPEC = """\
environment:
  allowed_ingress_cidr: 0.0.0.0/0
  deletion_protection: true
  https_only: true  # port 443 only: the domain below gives the certificate
  log_retention_days: 365
  web_acl_arn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/\\
    a1b2c3d4-5678-90ab-cdef-111122223333"
  tls_policy: ELBSecurityPolicy-TLS13-1-2-Res-2021-06
domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}
services:
  web:
    port: 8080
    expose: public
    routing: {path: "/*", priority: 100}
  api:
    port: 9000
    expose: public
    routing:  # a list: one rule takes five paths and hosts at most
      - {path: "/v1/*", host: api.shop.example.com, priority: 10}
      - {path: [/graphql, "/graphql/*"], host: api.shop.example.com, priority: 11}
    health_check_path: /v1/health  # the check requests / otherwise, which api does not serve
    connect: true  # the other services call it as http://api:9000 too
  orders:
    port: 7000
    expose: internal
    app_protocol: http  # HTTP handling and telemetry in the proxy; chosen once, at creation
  worker:
    expose: none
"""
"""An environment of four services, with every key the other example cannot have (a test
reads it back; the README's picture of an environment draws it)."""

_MARKDOWN_HEADER = (
    "<!-- Generated by `troposphere-fargate build` from troposphere_fargate/release/spec.py: "
    "do not edit. -->\n"
)


def _cell(text: object) -> str:
    """Text for a table cell: pipes escaped, and <placeholders> outside code spans too (Markdown
    would take them for HTML tags)."""
    parts = str(text).replace("|", "\\|").replace("\n", " ").split("`")
    return "`".join(p if i % 2 else p.replace("<", "&lt;") for i, p in enumerate(parts))


def _markdown_default(key: Key, value: Any) -> str:
    if key.required:
        return "(required)"
    shown = _documented_default(key, value)
    if shown is None:
        return ""
    if isinstance(shown, bool):
        return f"`{str(shown).lower()}`"
    if isinstance(shown, list):
        return f"`[{', '.join(map(str, shown))}]`"
    return f"`{shown}`"


def spec_markdown() -> str:
    """The reference of the spec file: every key, its type, default, the field it sets."""
    lines = [
        _MARKDOWN_HEADER,
        "# Application spec\n",
        "`troposphere-fargate build --spec app.yaml --output DIR` builds the templates for the "
        "application this YAML file describes. Editors validate and complete it with "
        "[spec.schema.json](spec.schema.json): each key, its type, most of its values and "
        "the keys one value rules out or needs (such as `requests_per_target` or `connect` "
        "with a `deployment` other than ROLLING, `web_acl_arn` with a network load balancer, "
        "`min_capacity: 0` with `queue_scaling`, `secrets_kms_key` without a secret, "
        "`existing_vpc` for one service of its own, or `domain` and `environment` without a "
        "public service); the "
        "build checks more than a schema can say (values compared with each other, such as "
        "`min_capacity` against `max_capacity` or the subnets inside `vpc_cidr`; services "
        "against each other; AWS quotas on sums and sizes), so a spec the schema takes can "
        "still be refused by the build, at its lines. "
        "The image stays the `ContainerImage` parameter; "
        "keys that set a parameter's default leave the parameter for deploy time.\n",
        "A bad spec stops the build with a line for each problem: `<file>:<line>: <key path>: "
        "<what is wrong>`, such as `app.yaml:12: services.web.secrets.API_KEY: ...`, in the "
        "order of the file. Unknown keys come first, all of them at once; then every value "
        "refused, with what the checks across a service's values and across services find. "
        "What the build then refuses of the templates the spec makes (a limit no quota "
        "request raises, such as ECS's 64 KiB per task definition) is named at the line of "
        "the key it comes from too: `app.yaml:1008: services.api.secrets: service-api.yaml: "
        "TaskExecutionRole: ...`, every template's at once.\n",
        "## Layouts\n",
        "A spec of one service, without `expose`, `domain` or `environment`, builds the service "
        "with a load balancer of its own: `network.yaml`, `environment.yaml`, `service.yaml`, "
        "`root.yaml` (nesting the network and the service), `instance.yaml` (the two without "
        "nested stacks), `catalog.yaml`, `stackset.yaml` (deploying `instance.yaml`) and "
        "`bucket.yaml`, as the shipped "
        "product (its `service.yaml` can still join an environment from the console: its "
        "`ClusterName` and the other outputs of an `environment.yaml` stack). Several "
        "services, a `domain` or `environment` settings make it an environment: every service "
        "says how it is reached (`expose`), and "
        "the build writes `network.yaml`, `environment.yaml` (one cluster, one Service "
        "Connect namespace and, when a service is public, one shared load balancer), one "
        "`service-<name>.yaml` per service and a "
        "`root.yaml` that nests them all and takes each service's image as "
        "`<Name>ContainerImage` (the other settings are the spec's).\n",
        "## Example: one service, every key\n",
        "```yaml",
        EXAMPLE_SPEC.rstrip("\n"),
        "```",
        "\n## Example: an environment of four services\n",
        "Keys a service of an environment does not take ("
        + ", ".join(
            f"`{key.name}`"
            for field_ in ENVIRONMENT_LOAD_BALANCER_FIELDS
            for key in _SERVICE.keys
            if key.target == field_
        )
        + ") are the environment's, under `environment:`.\n",
        "```yaml",
        ENVIRONMENT_EXAMPLE_SPEC.rstrip("\n"),
        "```",
    ]
    for path, section in SPEC.sections(""):
        lines.append(f"\n## `{path}`\n" if path else "\n## Top level\n")
        lines.append("| key | type | default | sets | description |")
        lines.append("| --- | --- | --- | --- | --- |")
        for key in section.keys:
            where = f"{path}.{key.name}" if path else key.name
            lines.append(
                f"| `{key.name}` | {_cell(key.kind.describe(where))} | "
                f"{_cell(_markdown_default(key, _field_default(section.cls, key.config_field)))} | "
                f"`{section.cls.__name__}.{key.config_field}` | {_cell(key.description)} |"
            )
    return "\n".join(lines) + "\n"


def spec_docs() -> dict[str, str]:
    """File name (under ``docs/``) -> text of the spec's generated docs."""
    return {
        "spec.schema.json": json.dumps(spec_schema(), indent=2, sort_keys=True) + "\n",
        "spec.md": spec_markdown(),
    }


def config_field_of(key_path: str) -> str | None:
    """The config field (``ServiceConfig.default_deregistration_delay_seconds``) that the spec
    key at ``key_path`` (``services.web.deregistration_delay``, ``services.web.sidecars[0].
    health_check.command``) sets, or None for a path the spec does not have. The warnings name
    spec keys; a library user, who never wrote one, reads the field beside it."""
    parts = re.sub(r"\[\d+\]", "[]", key_path).split(".")
    if len(parts) > 1 and parts[0] == "services":
        parts[1] = "<name>"  # each service's name
    sections = dict(SPEC.sections(""))
    for cut in range(len(parts) - 1, -1, -1):
        section = sections.get(".".join(parts[:cut]))
        if section is None:
            continue
        rest = parts[cut:]
        key = next((k for k in section.keys if k.name == rest[0]), None)
        if key is None or len(rest) > 1:
            return None
        return f"{section.cls.__name__}.{key.config_field}"
    return None
