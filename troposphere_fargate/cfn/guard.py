"""Policy as code: AWS Control Tower's proactive-control rules and this project's own rules
(``troposphere_fargate/policies/*.guard``), run with the cfn-guard 3 binary on templates.

A rule that cannot judge a resource is suppressed in that resource's metadata, with the reason
beside it (see :func:`troposphere_fargate.layers.blocks.suppress`)::

    Metadata:
      guard:
        SuppressedRules: [s3_bucket_logging_enabled_check]
        Reasons: {s3_bucket_logging_enabled_check: "this bucket holds access logs; ..."}

cfn-guard itself does not read that for the Control Tower rules, so :func:`run_guard` does:
a failure of a suppressed rule on that resource is reported as suppressed, with its reason.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import policy_tools
from .background import Background
from .yaml import is_json, read_template

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"

INSTALL_HINT = (
    "cfn-guard 3 and AWS Control Tower's rules are needed: `troposphere-fargate check` fetches "
    f"them from PyPI ({policy_tools.GUARD_DISTRIBUTION}), {policy_tools.MANUAL_GUARD}"
)


class PolicyToolMissing(RuntimeError):
    """cfn-guard or the Control Tower rules are not installed."""


@dataclass(frozen=True, order=True)
class Violation:
    """A rule a template's resource (or the template, ``resource == ""``) does not meet: where
    (the resource's line in the file, when known) and the rule's own words (a Control Tower
    rule's control ID, what it requires and how to fix it; a checkov check's name)."""

    template: str
    rule: str
    resource: str
    suppressed_because: str | None = None
    line: int | None = None
    message: str = ""

    @property
    def suppressed(self) -> bool:
        return self.suppressed_because is not None


def find_cfn_guard() -> Path:
    """The cfn-guard 3 binary (see :mod:`troposphere_fargate.cfn.policy_tools` for where it is
    looked for); raises :class:`PolicyToolMissing` when there is none."""
    found = policy_tools.find_guard()
    if found is None:
        raise PolicyToolMissing(INSTALL_HINT)
    return found[0]


def find_control_tower_rules() -> Path:
    """The folder of AWS Control Tower's guard rules that came with :func:`find_cfn_guard`."""
    found = policy_tools.find_guard()
    if found is None:
        raise PolicyToolMissing(INSTALL_HINT)
    return found[1]


def _json_documents(text: str) -> list[dict[str, Any]]:
    """The documents of cfn-guard's JSON report. With ``--structured`` (see
    :func:`start_guard`) it prints one list, a document per template with every rule file's
    results in it; without, a document per template and rule file, back to back. Either reads
    here, and nothing printed is no document."""
    decoder = json.JSONDecoder()
    documents: list[dict[str, Any]] = []
    index = 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return documents
        document, index = decoder.raw_decode(text, index)
        documents += document if isinstance(document, list) else [document]


def resource_lines(path: Path) -> dict[str, int]:
    """Each resource's line in the template file (its logical ID's), for a report to point at;
    empty for a file it cannot compose. Composed, not constructed: any tag reads."""
    try:
        text = path.read_text(encoding="utf-8")
        # JSON is YAML but for tabs, which JSON allows between tokens and YAML does not
        # indent with; inside a JSON string a tab is written \t, so none is lost.
        if is_json(path, text):
            text = text.replace("\t", " ")
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    lines: dict[str, int] = {}
    for key, value in document.value if isinstance(document, yaml.MappingNode) else []:
        if key.value == "Resources" and isinstance(value, yaml.MappingNode):
            lines.update({str(k.value): k.start_mark.line + 1 for k, _ in value.value})
    return lines


def _messages(node: Any) -> list[str]:
    """The rule's own messages in a cfn-guard failure (``custom_message``), whitespace made
    single, in the order found."""
    found: list[str] = []
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "custom_message" and isinstance(value, str) and value.strip():
                found.append(" ".join(value.split()))
            else:
                found += _messages(value)
    elif isinstance(node, list):
        for item in node:
            found += _messages(item)
    return found


def _suppressions(path: Path) -> dict[str, dict[str, str]]:
    """Resource -> {suppressed rule: reason}, from the template's metadata.

    Metadata is free-form to CloudFormation, so another tool's or a person's ``guard`` key may
    hold anything: only a list of rule names (``SuppressedRules``) with a mapping of them to
    text (``Reasons``) is read; any other shape suppresses nothing, and a reason that is not
    text (``null``, a list) is no reason."""
    template = read_template(path)
    found: dict[str, dict[str, str]] = {}
    for name, resource in template.get("Resources", {}).items():
        if not isinstance(resource, dict):  # Fn::ForEach::Name: a loop, no resource of its own
            continue
        guard = (resource.get("Metadata") or {}).get("guard")
        guard = guard if isinstance(guard, dict) else {}
        rules, reasons = guard.get("SuppressedRules"), guard.get("Reasons")
        rules = [rule for rule in rules if isinstance(rule, str)] if isinstance(rules, list) else []
        reasons = reasons if isinstance(reasons, dict) else {}
        found[name] = {
            rule: reason if isinstance(reason := reasons.get(rule), str) else "" for rule in rules
        }
    return found


@contextlib.contextmanager
def staged(templates: Iterable[Path]) -> Iterator[dict[Path, Path]]:
    """Copies of ``templates`` under names cfn-guard reads, mapped back to the originals.

    cfn-guard silently skips a data file whose extension it does not know (``.txt``,
    ``.cfn``): it would report "all passed" for a template it never read (checkov too picks
    templates by extension). Each copy is
    ``NNN.json`` or ``NNN.yaml`` (by the original's suffix; JSON reads as YAML too), in a
    temporary folder, so the extension is always one it reads.

    A UTF-8 byte-order mark that starts a template is left out of its copy: on a template
    marked so (``AWSTemplateFormatVersion`` first), cfn-guard 3.1.1 skipped every rule and
    reported no failure. YAML parsers drop the mark (YAML 1.2, 5.2 "Character Encodings";
    PyYAML, so cfn-lint), and the copy's lines are the template's. So are a JSON template's
    (one that starts with ``{``, whatever its extension), whose tabs before that ``{`` are
    spaces in its copy: cfn-guard 3.1.1 failed to parse the file ("data beginning with", cut
    short), though JSON takes tabs there (RFC 8259, section 2: whitespace is space, tab, line
    feed or carriage return).
    """
    with tempfile.TemporaryDirectory(prefix="troposphere-fargate-guard-") as scratch:
        copies = {}
        for index, path in enumerate(templates):
            suffix = ".json" if path.suffix.lower() == ".json" else ".yaml"
            copy = Path(scratch) / f"{index:03d}{suffix}"
            data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
            body = data.lstrip(b" \t\r\n")
            if body.startswith(b"{"):  # JSON (whatever its extension): a tab before its "{"
                data = data[: len(data) - len(body)].replace(b"\t", b" ") + body
            copy.write_bytes(data)
            copies[copy.resolve()] = path
        yield copies


def start_guard(
    rules: Path | Sequence[Path], copies: Mapping[Path, Path], guard: Path | None = None
) -> Background:
    """cfn-guard validating the staged ``copies`` (see :func:`staged`) against ``rules`` (a rule
    file or folder, or several), in the background; :func:`guard_violations` reads its report.

    ``--structured`` reports the same rules, checks and messages, in a document per template
    instead of one per template and rule file, in half the time (measured with cfn-guard
    3.1.1, the 237 Control Tower rules on the shipped templates: 9.3 s, 4.6 s structured)."""
    command = [str(guard or find_cfn_guard()), "validate"]
    for rule in [rules] if isinstance(rules, Path) else rules:
        command += ["--rules", str(rule)]
    for copy in copies:
        command += ["--data", str(copy)]
    command += ["--structured", "--show-summary", "none", "--output-format", "json"]
    return Background(command)


def _documents(running: Background, copies: Mapping[Path, Path]) -> list[dict[str, Any]]:
    """cfn-guard's report on every staged copy; raises RuntimeError when cfn-guard fails or
    leaves a template out (a gate never passes a file it did not check)."""
    result = running.wait()
    # 0: all pass, 19: some rule failed; anything else is cfn-guard failing.
    if result.returncode not in (0, 19):
        message = result.stderr.strip()
        for copy, path in copies.items():
            message = message.replace(str(copy), str(path))
        raise RuntimeError(f"cfn-guard failed ({result.returncode}): {message}")
    documents = _json_documents(result.stdout)
    seen = {Path(document["name"]).resolve() for document in documents}
    unchecked = [str(path) for copy, path in copies.items() if copy not in seen]
    if unchecked:
        raise RuntimeError(f"cfn-guard did not check {', '.join(unchecked)}")
    return documents


def guard_violations(
    running: Background,
    copies: Mapping[Path, Path],
    *,
    suppressible: bool = True,
    lines: Mapping[Path, Mapping[str, int]] | None = None,
) -> list[Violation]:
    """Every rule violation :func:`start_guard` found (suppressed ones included, marked).
    ``lines``: each template's :func:`resource_lines`, when the caller has them already (they
    take 0.4 s to read for the shipped templates; ``check`` reads them once for two runs)."""
    return _violations(_documents(running, copies), copies, suppressible, lines)


def _violations(
    documents: list[dict[str, Any]],
    copies: Mapping[Path, Path],
    suppressible: bool = True,
    lines: Mapping[Path, Mapping[str, int]] | None = None,
) -> list[Violation]:
    """The violations in cfn-guard's ``documents`` on the staged ``copies`` (see
    :func:`guard_violations`)."""
    suppressions = {path: _suppressions(path) for path in copies.values()} if suppressible else {}
    if lines is None:
        lines = {path: resource_lines(path) for path in copies.values()}
    # (file, rule, resource) -> the rule's messages; one violation each, however many checks.
    found: dict[tuple[Path, str, str], list[str]] = {}
    for document in documents:
        if document.get("status") != "FAIL":
            continue
        path = copies[Path(document["name"]).resolve()]
        for failure in document.get("not_compliant", []):
            rule = failure.get("Rule", {}).get("name", "?")
            text = json.dumps(failure)
            for resource in sorted(set(re.findall(r'"/Resources/([^/"\[]+)', text))) or [""]:
                found.setdefault((path, rule, resource), []).extend(_messages(failure))
    violations = []
    for (path, rule, resource), messages in found.items():
        reason = suppressions[path].get(resource, {}).get(rule) if suppressible else None
        if reason is not None and not reason.strip():
            reason = None  # a suppression without a reason does not count
        message = " ".join(dict.fromkeys(messages))
        line = lines[path].get(resource)
        violations.append(Violation(path.name, rule, resource, reason, line, message))
    return sorted(violations)


def run_guard(
    rules: Path,
    templates: Iterable[Path],
    guard: Path | None = None,
    *,
    suppressible: bool = True,
) -> list[Violation]:
    """Every rule violation in ``templates`` (suppressed ones included, marked as such).

    A violation counts as suppressed only when the resource's metadata names the rule with a
    non-blank reason; ``suppressible=False`` (our own rules) ignores suppressions altogether.
    """
    paths = list(templates)
    if not paths:
        return []
    with staged(paths) as copies, start_guard(rules, copies, guard) as running:
        return guard_violations(running, copies, suppressible=suppressible)


def rule_outcomes(
    rules: Path, templates: Iterable[Path], guard: Path | None = None
) -> dict[str, set[str]]:
    """Rule name -> the statuses (PASS, FAIL, SKIP) it had over ``templates``."""
    with staged(templates) as copies, start_guard(rules, copies, guard) as running:
        documents = _documents(running, copies)
    outcomes: dict[str, set[str]] = {}
    for document in documents:
        for status, key in (("PASS", "compliant"), ("SKIP", "not_applicable")):
            for rule in document.get(key, []):
                outcomes.setdefault(str(rule), set()).add(status)
        for failure in document.get("not_compliant", []):
            outcomes.setdefault(failure.get("Rule", {}).get("name", "?"), set()).add("FAIL")
    return outcomes


def run_guard_tests(rule_file: Path, test_file: Path, guard: Path | None = None) -> str | None:
    """Run ``cfn-guard test`` on one rule file; None when every expectation holds, else why."""
    result = subprocess.run(
        [
            str(guard or find_cfn_guard()),
            "test",
            "--rules-file",
            str(rule_file),
            "--test-data",
            str(test_file),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    if result.returncode == 0 and "FAIL Rules:" not in result.stdout:
        return None
    return (result.stdout + result.stderr).strip()
