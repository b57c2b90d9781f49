"""cfn-lint, in-process, informational rules included, over every template of a build at once.

cfn-lint costs most of its time in its import and rule loading, so both happen once per call of
:func:`lint_templates`, however many templates it checks, and only when a build validates:
generating templates with the library never imports cfn-lint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Templates are region-agnostic. cfn-lint checks resource types and properties against the
# provider schemas of the regions it is given; these cover the schemas of the commercial
# partition's oldest and newest feature sets.
LINT_REGIONS: tuple[str, ...] = ("us-east-1",)

# "I" turns on the informational rules, which cfn-lint leaves off by default.
INCLUDE_CHECKS: tuple[str, ...] = ("I",)


@dataclass(frozen=True, order=True)
class Finding:
    """One cfn-lint finding, located in a rendered template."""

    filename: str
    line: int
    column: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.column}: {self.rule} {self.message}"


def lint_templates(
    templates: Mapping[str, str], regions: Iterable[str] = LINT_REGIONS
) -> list[Finding]:
    """Lint rendered templates (file name -> YAML text); return every finding, sorted."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.decode.decode import decode_str
    from cfnlint.runner import Runner, run_template_by_data

    config = ConfigMixIn([], include_checks=list(INCLUDE_CHECKS), regions=list(regions))
    runner = Runner(config)
    findings: list[Finding] = []
    for filename, text in templates.items():
        decoded, errors = decode_str(text)
        matches = errors or (
            list(run_template_by_data(decoded, config, runner.rules)) if decoded else []
        )
        findings.extend(
            Finding(filename, m.linenumber, m.columnnumber, m.rule.id, m.message) for m in matches
        )
    return sorted(findings)
