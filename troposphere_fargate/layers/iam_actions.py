"""The IAM actions cfn-lint knows (its ``AdditionalSpecs/Policies.json``, the list its rule W3037
checks every policy's actions against): a spec's task role statement naming an action AWS does
not have is refused at the statement's own line, not as a finding in a template the build
never writes.

The list is read from the installed cfn-lint's data file without importing cfn-lint (which
generation does not need), once, and only when a statement is checked.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .regions import VARIABLE


@functools.cache
def _policies() -> Mapping[str, Any]:
    """cfn-lint's ``Policies.json``: each service prefix's actions (with the resource types
    each applies to) and resource types (with their ARN formats); empty when the installed
    cfn-lint has no such file (then nothing is refused here, and cfn-lint's own check still
    runs on the built template)."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "data" / "AdditionalSpecs" / "Policies.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {service.lower(): body for service, body in data.items() if isinstance(body, dict)}


@functools.cache
def known_actions() -> Mapping[str, frozenset[str]]:
    """Service prefix -> its action names, lower case (IAM compares them so), as cfn-lint has
    them."""
    return {
        service: frozenset(name.lower() for name in body.get("Actions", {}))
        for service, body in _policies().items()
    }


# Where cfn-lint's ARN formats are wider than the Service Authorization Reference's: it writes
# both of S3's as arn:${Partition}:s3:::.*, where a bucket is arn:${Partition}:s3:::${BucketName}
# and an object arn:${Partition}:s3:::${BucketName}/${ObjectName} (checked against the
# reference by tests/layers/test_iam_actions.py). s3:GetObject on a bucket's ARN grants nothing.
_NARROWER = {
    ("s3", "bucket"): ("arn:${Partition}:s3:::[^/]+",),
    ("s3", "object"): ("arn:${Partition}:s3:::[^/]+/.*",),
}
_PLACEHOLDER = re.compile(r"\$\{[^}]+\}|\.\*|\[\^/\]\+|\*")


def _format_pattern(arn_format: str) -> re.Pattern[str]:
    """An ARN format (``arn:${Partition}:sqs:${Region}:${Account}:.*``) as a pattern: each
    ``${...}`` one field, empty too (an AWS-owned resource's account is empty:
    ``arn:aws:ssm:eu-west-1::parameter/aws/service/...``), ``.*`` and ``*`` anything (the
    data writes both)."""
    parts, at = [], 0
    for found in _PLACEHOLDER.finditer(arn_format):
        parts.append(re.escape(arn_format[at : found.start()]))
        token = found.group(0)
        parts.append({".*": ".*", "*": ".*", "[^/]+": "[^/]+"}.get(token, "[^:]*"))
        at = found.end()
    parts.append(re.escape(arn_format[at:]))
    return re.compile("".join(parts))


@functools.cache
def _resource_types() -> Mapping[tuple[str, str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """(IAM service prefix, resource type, lower case) -> its ARN formats, as written and as
    patterns."""
    found: dict[tuple[str, str], tuple[tuple[str, re.Pattern[str]], ...]] = {}
    for service, body in _policies().items():
        for name, resource in (body.get("Resources") or {}).items():
            key = (service, name.lower())
            formats = _NARROWER.get(key) or tuple(resource.get("ARNFormats") or ())
            found[key] = tuple((f, _format_pattern(f)) for f in formats)
    return found


@functools.cache
def _formats_by_arn_service() -> Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """An ARN's service field -> every ARN format of that field (an IAM service's resources may
    name another: s3's object Lambda access points are arn:...:s3-object-lambda:...)."""
    found: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for formats in _resource_types().values():
        for written, pattern in formats:
            fields = written.split(":")
            if len(fields) > 2:
                found.setdefault(fields[2], []).append((written, pattern))
    return {service: tuple(formats) for service, formats in found.items()}


# What a resource written for any stack (``Fn::Sub``) or any principal (an IAM policy
# variable) holds, for matching it against a format; IAM's wildcards as one field, or several.
_SAMPLES = {
    "${AWS::Partition}": "aws",
    "${AWS::Region}": "us-east-1",
    "${AWS::AccountId}": "123456789012",
    "${AWS::URLSuffix}": "amazonaws.com",
}


def _substituted(resource: str, variable: str = "x") -> str:
    """``resource`` with a sample value for each pseudo parameter, and ``variable`` for each IAM
    policy variable (``${aws:username}``), IAM's wildcards kept."""
    for pseudo, value in _SAMPLES.items():
        resource = resource.replace(pseudo, value)
    return VARIABLE.sub(variable, resource)


def _samples(resource: str) -> tuple[str, ...]:
    resource = _substituted(resource).replace("?", "x")
    return (resource.replace("*", "x"), resource.replace("*", "x/x"), resource.replace("*", ""))


def _fields(resource: str) -> list[str]:
    """A resource's ARN fields, as a sample writes them (``${AWS::Region}`` has colons)."""
    return _samples(resource)[0].split(":", 5)


def _service_of(resource: str) -> str | None:
    fields = _fields(resource)
    return fields[2] if len(fields) > 5 else None


def _matches(resource: str, formats: tuple[tuple[str, re.Pattern[str]], ...]) -> bool:
    """Whether some ARN may be both ``resource`` and of one of ``formats``: a sample of the
    resource (each wildcard a word or two) of a format's form, or, for IAM's ``*`` and ``?``,
    which match colons too (``arn:aws:logs:*:*:*``), a sample of a format the resource's
    pattern takes."""
    if any(p.fullmatch(sample) for sample in _samples(resource) for _, p in formats):
        return True
    written = _substituted(resource, variable="*")
    if "*" not in written and "?" not in written:
        return False
    glob = re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in written)
    )
    fields = written.split(":", 5)
    return any(glob.fullmatch(_format_sample(f, fields)) for f, _ in formats)


def _format_sample(arn_format: str, fields: list[str]) -> str:
    """An ARN of ``arn_format``'s form, in the resource's partition, region and account where
    it writes them out, and a word for every other part."""

    def given(index: int) -> str:
        value = fields[index] if len(fields) > index else ""
        return value if value and "*" not in value and "?" not in value else "x"

    # The partition, region and account by their place (${Account}, ${AccountId}, ...).
    parts = arn_format.split(":", 5)
    for index in (1, 3, 4):
        if len(parts) > index and parts[index].startswith("${"):
            parts[index] = given(index)
    sample = VARIABLE.sub("x", ":".join(parts))
    return sample.replace("[^/]+", "x").replace(".*", "x").replace("*", "x")


def resource_problem(resource: str) -> str | None:
    """Why ``resource`` names nothing of its service: it has the form of none of the service's
    ARNs (``arn:aws:s3:eu-west-1:123456789012:assets``: a bucket's ARN has no region or
    account). None for ``*``, a form that fits, or a service cfn-lint lists no ARN of."""
    fields = _fields(resource)
    if resource == "*" or len(fields) < 6:
        return None
    formats = _formats_by_arn_service().get(fields[2])
    if not formats or _matches(resource, formats):
        return None
    shown = _shown(formats, fields[1], resource)
    more = f", or {len(shown) - 3} other forms" if len(shown) > 3 else ""
    return f"has the form of no {fields[2]} ARN: {', '.join(shown[:3])}{more}"


def _shown(
    formats: tuple[tuple[str, re.Pattern[str]], ...], partition: str, like: str = ""
) -> list[str]:
    """The formats as a person writes them: those _NARROWER corrects first, then the closest
    to ``like`` (what was written: ``log-group`` before ``anomaly-detector`` for a log group's
    ARN)."""
    import difflib  # on first use, as the data

    first = {written for narrowed in _NARROWER.values() for written in narrowed}

    def rank(written: str) -> tuple[bool, float, str]:
        closeness = difflib.SequenceMatcher(None, written, like, autojunk=False).ratio()
        return (written not in first, -closeness, written)

    readable = [
        written.replace("${Partition}", partition or "aws")
        .replace("[^/]+", "<name>")
        .replace(".*", "<...>")
        for written in sorted({w for w, _ in formats}, key=rank)
    ]
    return list(dict.fromkeys(readable))


def action_resource_problem(action: str, resources: tuple[str, ...]) -> str | None:
    """Why ``action`` grants (or denies) nothing on ``resources``: none of them is of a resource
    type it applies to, such as ``s3:GetObject`` on a bucket's ARN, which applies to objects
    (``arn:aws:s3:::assets/*``). None when one may be, for a wildcard action, or an action
    cfn-lint lists no resource type of (it applies to ``*``)."""
    service, _, name = action.partition(":")
    body = _policies().get(service.lower())
    if body is None or "*" in name or "?" in name or "*" in resources:
        return None
    actions = {key.lower(): value for key, value in (body.get("Actions") or {}).items()}
    types = [t.lower() for t in (actions.get(name.lower()) or {}).get("Resources") or ()]
    formats = tuple(f for t in types for f in _resource_types().get((service.lower(), t), ()))
    if not types or not formats or any(_matches(resource, formats) for resource in resources):
        return None
    # cfn-lint lists the resource types an action needs, not always the optional ones the
    # reference adds (ssm:DescribeAssociation on an instance): a resource of the action's own
    # service is judged only where S3 mixes up its buckets and objects.
    own_services = {
        written.split(":")[2]
        for (prefix, _), found in _resource_types().items()
        if prefix == service.lower()
        for written, _ in found
    }
    own = [r for r in resources if _service_of(r) in own_services]
    if own and not _s3_mixed_up(service.lower(), types, own):
        return None
    fields = _fields(resources[0])
    partition = fields[1] if len(fields) > 5 else "aws"
    return (
        f"applies to {' or '.join(types)} ARNs ({', '.join(_shown(formats, partition)[:3])}), "
        f"and no resource of the statement is one{_s3_hint(types, resources)}"
    )


_BUCKET = re.compile(r"arn:[^:]+:s3:::[^/*?]+")
_OBJECTS = re.compile(r"arn:[^:]+:s3:::[^/*?]+/.+")


def _s3_mixed_up(service: str, types: list[str], resources: list[str]) -> bool:
    """Whether S3 ``resources`` are all buckets for an action on objects, or all objects for an
    action on buckets (and access points)."""
    if service != "s3":
        return False
    written = [_substituted(r) for r in resources]
    if set(types) <= {"object", "accesspointobject"}:
        return all(_BUCKET.fullmatch(r) for r in written)
    if set(types) <= {"bucket", "accesspoint"}:
        return all(_OBJECTS.fullmatch(r) for r in written)
    return False


def _s3_hint(types: list[str], resources: tuple[str, ...]) -> str:
    """The fix for S3's usual mix-up: a bucket's ARN for an action on its objects, or the
    reverse."""
    buckets = [r for r in resources if _BUCKET.fullmatch(_substituted(r))]
    objects = [r for r in resources if re.fullmatch(r"arn:[^:]+:s3:::[^/]+/\*", _substituted(r))]
    if "object" in types and buckets:
        return f": for the bucket's objects, write {buckets[0]}/*"
    if "bucket" in types and objects:
        return f": for the bucket itself, write {objects[0][:-2]}"
    return ""


def action_problem(action: str) -> str | None:
    """Why cfn-lint would refuse ``service:Name`` (W3037), in words, or None."""
    import difflib  # on first use, as the list itself
    import fnmatch

    known = known_actions()
    if not known or action == "*" or ":" not in action:
        return None
    service, _, name = action.partition(":")
    service, wanted = service.lower(), name.lower()
    if service not in known:
        close = difflib.get_close_matches(service, known, 1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"{service} is not a service prefix IAM knows{hint}"
    actions = known[service]
    if "*" in wanted or "?" in wanted:
        if any(fnmatch.fnmatchcase(candidate, wanted) for candidate in actions):
            return None
        return f"{name} matches no {service} action"
    if wanted in actions:
        return None
    close = difflib.get_close_matches(wanted, actions, 1)
    hint = f" (did you mean {service}:{_cased(close[0], name)}?)" if close else ""
    return f"{service} has no action {name}{hint}"


def _cased(suggestion: str, written: str) -> str:
    """``suggestion`` (lower case, as cfn-lint lists actions) in the case of ``written`` where
    the two have the same letters: ``SendMessages`` -> ``SendMessage``, not ``sendmessage``
    (a newcomer's trial). Letters ``written`` does not have stay lower case."""
    import difflib

    cased = list(suggestion)
    matcher = difflib.SequenceMatcher(None, suggestion, written.lower(), autojunk=False)
    for at, start, size in matcher.get_matching_blocks():
        cased[at : at + size] = written[start : start + size]
    return "".join(cased)
