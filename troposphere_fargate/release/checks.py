"""The gates a template must pass, run together: cfn-lint (informational rules on, in every
region the template names), AWS Control Tower's proactive-control rules and this project's own
guard rules (cfn-guard 3). ``troposphere-fargate check`` prints what :func:`check_templates`
finds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..cfn.guard import POLICY_DIR, Violation, find_cfn_guard, find_control_tower_rules, run_guard
from ..cfn.lint import Finding, lint_templates

CONTROL_TOWER = "control-tower"
OWN_RULES = "own rules"


class CheckError(ValueError):
    """The templates cannot be checked as given (the message is one line for the user)."""


@dataclass(frozen=True)
class CheckReport:
    """What the gates found in a set of templates."""

    paths: list[Path]
    lint: list[Finding]
    violations: dict[str, list[Violation]]  # gate -> violations, suppressed ones included

    @property
    def failed(self) -> bool:
        return bool(self.lint) or any(
            not v.suppressed for found in self.violations.values() for v in found
        )

    def header(self) -> tuple[str, ...]:
        return ("template", "cfn-lint", *self.violations, "suppressed")

    def rows(self) -> list[tuple[str, ...]]:
        """One row per template: findings per gate, then the suppressed violations."""
        rows = []
        for path in self.paths:
            mine = {
                gate: [v for v in found if v.template == path.name]
                for gate, found in self.violations.items()
            }
            rows.append(
                (
                    path.name,
                    str(sum(f.filename == path.name for f in self.lint)),
                    *(str(sum(not v.suppressed for v in mine[gate])) for gate in mine),
                    str(sum(v.suppressed for found in mine.values() for v in found)),
                )
            )
        return rows


def check_templates(paths: Sequence[Path]) -> CheckReport:
    """Run every gate on ``paths``. Raises :class:`CheckError` for templates that cannot be
    checked together, and the guard tools' errors when they are missing or fail."""
    paths = list(paths)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise CheckError(f"no such template: {', '.join(missing)}")
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise CheckError("check templates with different file names, one folder at a time")
    guard = find_cfn_guard()
    rules = {CONTROL_TOWER: find_control_tower_rules(), OWN_RULES: POLICY_DIR}
    lint = lint_templates({p.name: p.read_text() for p in paths})
    try:
        violations = {
            gate: run_guard(folder, paths, guard, suppressible=gate == CONTROL_TOWER)
            for gate, folder in rules.items()
        }
    except RuntimeError as exc:
        raise CheckError(str(exc).splitlines()[0]) from None
    return CheckReport(paths, lint, violations)
