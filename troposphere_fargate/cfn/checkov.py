"""checkov's CloudFormation checks, run on templates as one of ``check``'s gates.

checkov reads its suppressions from each resource's ``Metadata.checkov.skip`` (an ``id`` and a
``comment`` each); a skipped check is reported as suppressed with that comment as its reason, a
skip without a comment as a failure (checkov reports one with the comment "No comment
provided", :data:`NO_COMMENT`, which is no reason). checkov pins an old boto3, so it lives in
a virtual environment of its own (``scripts/fetch_test_tools.py --checkov``); see
:func:`troposphere_fargate.cfn.policy_tools.find_checkov`.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .background import Background
from .guard import Violation, staged

# checkov's comment for a skip that gives none (``skip.get("comment", "No comment provided")``
# in checkov/cloudformation/context_parser.py; the same for a ``checkov:skip=ID`` comment in
# the file without ``:reason``): a skipped check with it, or with a blank comment, failed.
NO_COMMENT = "No comment provided"

# No network: no Bridgecrew platform mapping, no package scan, no download of extra checks.
_OFFLINE = {"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}

# checkov's script, run by its own interpreter with ply's parser tables kept for the run.
# checkov renders each JSONPath of its graph with bc_jsonpath_ng, which asks ply to build the
# same LALR tables again for each one (``ply.yacc.yacc(..., write_tables=0)``): 142 times,
# 4.2 of checkov's 8.4 s on the shipped templates (checkov 3.3.30, bc-jsonpath-ng 1.6.1,
# ply 3.11). ply's own cache of them (``picklefile``) is a file it reads back only when the
# grammar's signature is the one the tables were built from, else builds them again; a file
# per process, in the staged copies' folder, written one call at a time. Without ply, or
# with other arguments, yacc is called as it was. sys.path[0] is the script's folder, as
# when the script runs itself, before anything is imported.
_KEEP_PARSER_TABLES = """
import os, runpy, sys, threading
tables, script = sys.argv[1], sys.argv[2]
sys.argv, sys.path[0] = sys.argv[2:], os.path.dirname(os.path.realpath(script))
try:
    import ply.yacc
except ImportError:
    pass
else:
    build, one_at_a_time = ply.yacc.yacc, threading.Lock()

    def yacc(*args, **kwargs):
        module = kwargs.get("module")
        if args or module is None or kwargs.get("write_tables") != 0 or kwargs.get("picklefile"):
            return build(*args, **kwargs)
        kind = type(module)
        name = f"{os.getpid()}-{kind.__module__}.{kind.__qualname__}-{kwargs.get('start')}"
        with one_at_a_time:
            return build(*args, picklefile=os.path.join(tables, f"{name}.pickle"), **kwargs)

    ply.yacc.yacc = yacc
runpy.run_path(script, run_name="__main__")
"""


def _interpreter(checkov: Path) -> Path | None:
    """The Python that runs the ``checkov`` script (its ``#!`` line's only word), or None
    when it is not a Python script run so (a binary, ``#!/usr/bin/env``, a shell wrapper)."""
    try:
        with checkov.open("rb") as script:
            first = script.readline(4096)
    except OSError:
        return None
    words = first.removeprefix(b"#!").decode(errors="replace").split()
    if not first.startswith(b"#!") or len(words) != 1:
        return None
    interpreter = Path(words[0])
    return interpreter if interpreter.name.startswith("python") and interpreter.is_file() else None


def _reports(output: str) -> list[dict[str, Any]]:
    """checkov prints one report, or a list of them when several frameworks answered."""
    loaded = json.loads(output)
    return loaded if isinstance(loaded, list) else [loaded]


def start_checkov(copies: Mapping[Path, Path], checkov: Path) -> Background:
    """checkov checking the staged ``copies`` (see :func:`~troposphere_fargate.cfn.guard.
    staged`), in the background, offline; :func:`checkov_violations` reads its report. A
    ``checkov`` script of Python runs with its parser tables kept (see _KEEP_PARSER_TABLES)."""
    interpreter = _interpreter(checkov)
    command = [str(checkov)]
    if interpreter is not None and copies:
        tables = next(iter(copies)).parent
        command = [str(interpreter), "-c", _KEEP_PARSER_TABLES, str(tables), str(checkov)]
    for copy in copies:
        command += ["-f", str(copy)]
    command += ["--framework", "cloudformation", "--skip-download", "--output", "json"]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    return Background(command, env={**env, **_OFFLINE})


def checkov_violations(running: Background, copies: Mapping[Path, Path]) -> list[Violation]:
    """Every failed and skipped check :func:`start_checkov` found (skips as suppressed, with
    their comment). Raises RuntimeError when checkov fails or cannot parse a template."""
    return report_violations(running.wait(), copies)


def report_violations(
    result: subprocess.CompletedProcess[str], copies: Mapping[Path, Path]
) -> list[Violation]:
    """:func:`checkov_violations` of a finished run of :func:`start_checkov` (its ``wait()``)."""
    try:
        reports = _reports(result.stdout)
    except ValueError:
        why = (result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[-1]
        raise RuntimeError(f"checkov failed: {why}") from None
    violations = set()
    for report in reports:
        results = report.get("results", {})
        for parsed in results.get("parsing_errors", []):
            original = copies.get(Path(parsed).resolve(), Path(parsed))
            raise RuntimeError(f"checkov could not parse {original}")
        for kind in ("failed_checks", "skipped_checks"):
            for found in results.get(kind, []):
                path = copies[Path(found["file_abs_path"]).resolve()]
                resource = str(found["resource"]).split(".", 1)[-1]
                reason = (found.get("check_result") or {}).get("suppress_comment")
                commented = isinstance(reason, str) and reason.strip() not in ("", NO_COMMENT)
                reason = reason if kind == "skipped_checks" and commented else None
                line = (found.get("file_line_range") or [None])[0]
                name = str(found.get("check_name") or "")
                violations.add(
                    Violation(path.name, found["check_id"], resource, reason, line, name)
                )
    return sorted(violations)


def run_checkov(templates: Iterable[Path], checkov: Path) -> list[Violation]:
    """Every failed and skipped checkov check in ``templates`` (skips as suppressed, with their
    comment). Raises RuntimeError when checkov fails or cannot parse a template."""
    paths = list(templates)
    if not paths:
        return []
    with staged(paths) as copies, start_checkov(copies, checkov) as running:
        return checkov_violations(running, copies)
