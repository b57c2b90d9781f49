"""Policy as code: AWS Control Tower's proactive-control rules and this project's own rules
(``troposphere_fargate/policies/*.guard``), run with the cfn-guard 3 binary on templates.

A rule that cannot judge a resource is suppressed in that resource's metadata, with the reason
beside it (see :func:`troposphere_fargate.parts.suppress`)::

    Metadata:
      guard:
        SuppressedRules: [s3_bucket_logging_enabled_check]
        Reasons: {s3_bucket_logging_enabled_check: "this bucket holds access logs; ..."}

cfn-guard itself does not read that for the Control Tower rules, so :func:`run_guard` does:
a failure of a suppressed rule on that resource is reported as suppressed, with its reason.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .yaml import from_yaml

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"
_REPO_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "cfn-guard"

INSTALL_HINT = (
    "cfn-guard 3 and AWS Control Tower's rules are needed: run `python "
    "scripts/fetch_test_tools.py --guard` in a checkout of troposphere-fargate (it uses npm), "
    "or install cfn-guard 3.x and set CFN_GUARD to the binary and CONTROL_TOWER_GUARD_RULES to "
    "the rules folder (rules/control-tower/cfn-guard of the npm package "
    "@cdklabs/cdk-validator-cfnguard)"
)


class PolicyToolMissing(RuntimeError):
    """cfn-guard or the Control Tower rules are not installed."""


@dataclass(frozen=True, order=True)
class Violation:
    """A rule a template's resource (or the template, ``resource == ""``) does not meet."""

    template: str
    rule: str
    resource: str
    suppressed_because: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.suppressed_because is not None


def _cached(kind: str) -> Path:
    system = {"Linux": "ubuntu", "Darwin": "macos"}.get(platform.system(), "unknown")
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(
        platform.machine().lower(), platform.machine().lower()
    )
    package = _REPO_CACHE / "package"
    if kind == "binary":
        return package / "bin" / system / machine / "cfn-guard"
    return package / "rules" / "control-tower" / "cfn-guard"


def find_cfn_guard() -> Path:
    for candidate in (
        os.environ.get("CFN_GUARD"),
        str(_cached("binary")),
        shutil.which("cfn-guard"),
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise PolicyToolMissing(INSTALL_HINT)


def find_control_tower_rules() -> Path:
    for candidate in (os.environ.get("CONTROL_TOWER_GUARD_RULES"), str(_cached("rules"))):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise PolicyToolMissing(INSTALL_HINT)


def _json_documents(text: str) -> list[dict[str, Any]]:
    """cfn-guard prints one JSON document per template and rule file, back to back."""
    decoder = json.JSONDecoder()
    documents: list[dict[str, Any]] = []
    index = 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return documents
        document, index = decoder.raw_decode(text, index)
        documents.append(document)


def _suppressions(path: Path) -> dict[str, dict[str, str]]:
    """Resource -> {suppressed rule: reason}, from the template's metadata."""
    template = from_yaml(path.read_text())
    found: dict[str, dict[str, str]] = {}
    for name, resource in template.get("Resources", {}).items():
        guard = (resource.get("Metadata") or {}).get("guard") or {}
        reasons = guard.get("Reasons") or {}
        found[name] = {
            rule: str(reasons.get(rule, "")) for rule in guard.get("SuppressedRules", [])
        }
    return found


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
    command = [str(guard or find_cfn_guard()), "validate", "--rules", str(rules)]
    for path in paths:
        command += ["--data", str(path)]
    command += ["--show-summary", "none", "--output-format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    # 0: all pass, 19: some rule failed; anything else is cfn-guard failing.
    if result.returncode not in (0, 19):
        raise RuntimeError(f"cfn-guard failed ({result.returncode}): {result.stderr.strip()}")
    by_name = {path.resolve(): path for path in paths}
    suppressions = {path.resolve(): _suppressions(path) for path in paths}
    violations: set[Violation] = set()
    for document in _json_documents(result.stdout):
        if document.get("status") != "FAIL":
            continue
        path = Path(document["name"]).resolve()
        for failure in document.get("not_compliant", []):
            rule = failure.get("Rule", {}).get("name", "?")
            text = json.dumps(failure)
            resources = sorted(set(re.findall(r'"/Resources/([^/"]+)', text))) or [""]
            for resource in resources:
                reason = suppressions[path].get(resource, {}).get(rule) if suppressible else None
                if reason is not None and not reason.strip():
                    reason = None  # a suppression without a reason does not count
                violations.add(Violation(by_name[path].name, rule, resource, reason))
    return sorted(violations)


def rule_outcomes(
    rules: Path, templates: Iterable[Path], guard: Path | None = None
) -> dict[str, set[str]]:
    """Rule name -> the statuses (PASS, FAIL, SKIP) it had over ``templates``."""
    command = [str(guard or find_cfn_guard()), "validate", "--rules", str(rules)]
    for path in templates:
        command += ["--data", str(path)]
    command += ["--show-summary", "none", "--output-format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    outcomes: dict[str, set[str]] = {}
    for document in _json_documents(result.stdout):
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
        check=False,
    )
    if result.returncode == 0 and "FAIL Rules:" not in result.stdout:
        return None
    return (result.stdout + result.stderr).strip()


def summarise(violations: Iterable[Violation]) -> Mapping[str, tuple[int, int]]:
    """Template -> (unsuppressed, suppressed) violation counts."""
    counts: dict[str, tuple[int, int]] = {}
    for violation in violations:
        failed, suppressed = counts.get(violation.template, (0, 0))
        counts[violation.template] = (
            (failed, suppressed + 1) if violation.suppressed else (failed + 1, suppressed)
        )
    return counts
