"""cfn-lint, in-process, informational rules included, over every template of a build at once.

cfn-lint spends about 0.4 s importing itself and 0.2 s loading its rules; both happen once per
call of :func:`lint_templates`, however many templates it checks, and only when a build
validates: generating templates with the library never imports cfn-lint. Linting the templates
themselves is the rest (0.1 s for bucket.yaml, 2 s for service.yaml in its 38 regions). Where
the machine has more than one CPU and can fork, the loaded linter is forked and the templates
are linted side by side, each process taking the next one as soon as it is free. cfn-lint runs
with the exact shortcuts of :mod:`.lint_shortcuts` (answers it would compute again, remembered or
looked up): its own findings, sooner.

Python's cyclic garbage collector is paused while cfn-lint loads and runs: it would otherwise
walk cfn-lint's millions of freshly created schema objects again and again for nothing (a
quarter of a second per build, measured), and the few megabytes it could free do not matter
for the length of a lint.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NoReturn

from ..errors import expect_texts
from . import lint_shortcuts

# Regions come from each template's own metadata (Metadata.cfn-lint.config.regions, stamped by
# the build with every region the template claims), so the build, `check` and a plain
# `cfn-lint -c I` all lint a template in the same regions. A template without that metadata is
# linted in cfn-lint's default region (AWS_REGION, else us-east-1).

# "I" turns on the informational rules, which cfn-lint leaves off by default.
INCLUDE_CHECKS: tuple[str, ...] = ("I",)


@dataclass(frozen=True, order=True)
class Finding:
    """One cfn-lint finding, located in a rendered template. Findings sort by file, line,
    column, rule and message; ``str()`` gives ``file:line:column: rule message``.

    Attributes:
        filename: the template's name, as the key of the mapping given to
            :func:`lint_templates` (``service.yaml``).
        line: the line it is on, counted from 1.
        column: the column it starts at, counted from 1.
        rule: cfn-lint's rule ID: ``E...`` an error, ``W...`` a warning, ``I...``
            informational; ``E0000`` for a template cfn-lint cannot read (YAML that does not
            parse, or cfn-lint's own settings in the template's or a resource's ``Metadata``
            of a shape it cannot use).
        message: what cfn-lint says is wrong.
    """

    filename: str
    line: int
    column: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.column}: {self.rule} {self.message}"


class LintError(RuntimeError):
    """cfn-lint itself failed (not a finding in a template)."""


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_PAUSES_LOCK = threading.Lock()
_pauses = 0  # how many garbage_collection_paused blocks are running, in any thread
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block, for work that makes many
    objects and no cycles (loading cfn-lint, writing templates): its passes over them find
    nothing. Blocks may nest, or run in several threads at once: the collector is on again
    after the last of them ends if it was on before the first (each saving and restoring it
    on its own, two threads could leave it off for good)."""
    global _pauses, _resume
    with _PAUSES_LOCK:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _PAUSES_LOCK:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


@functools.lru_cache(maxsize=8)
def _linter(regions: tuple[str, ...] | None) -> tuple[Any, Any]:
    """cfn-lint's configuration and rules for these regions (None: each template's own), loaded
    once per process and kept.

    What loading creates (cfn-lint's modules, rules and schemas, about 700,000 objects) lives as
    long as the process, so it is frozen out of the cyclic garbage collector's reach
    (``gc.freeze``): otherwise the first collection after a lint walks all of it again, 0.3 to
    0.4 s measured right after a build's lint, and so does the one at exit.
    """
    with garbage_collection_paused():
        lint_shortcuts.before_loading()
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner import Runner

        chosen = {} if regions is None else {"regions": list(regions)}
        config = ConfigMixIn([], include_checks=list(INCLUDE_CHECKS), **chosen)
        # cfn-lint also reads ~/.cfnlintrc and ./.cfnlintrc, which could switch rules off: the
        # build's verdict must not depend on who runs it, or where. Suppressions belong in the
        # template's own metadata, next to their reason. (The default region, for a template
        # that names none, is read from the environment at each use, not here.)
        config.file_args = {}
        rules = Runner(config).rules
        lint_shortcuts.after_loading(rules)
        gc.freeze()
    return config, rules


def _check_arguments(templates: object, jobs: object) -> None:
    """A ``TypeError`` for templates that are not file names mapped to YAML text, or a
    ``jobs`` that is not a whole number, a ``ValueError`` for one below 1 (they failed deep
    inside, or in each forked copy)."""
    expect_texts(templates, "lint_templates(templates)", "YAML text")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool)):
        raise TypeError(f"lint_templates(jobs) takes a whole number, or None, not {jobs!r}")
    if jobs is not None and jobs < 1:
        raise ValueError(f"lint_templates(jobs) is a number of processes, at least 1, not {jobs}")


def lint_templates(
    templates: Mapping[str, str],
    regions: Iterable[str] | None = None,
    jobs: int | None = None,
    *,
    paths: Mapping[str, Path | str] | None = None,
) -> list[Finding]:
    """Lint rendered templates (file name -> YAML text); return every finding, sorted.

    ``regions`` overrides the regions each template names in its metadata (one region may be
    given as a string); a name cfn-lint does not know is a :class:`LintError`. ``jobs`` caps the
    number of processes (default: the CPUs this process may use). cfn-lint stays loaded for the
    next call; the first call with given ``regions`` moves every object alive at that point out
    of the cyclic garbage collector's reach (``gc.freeze``), later calls add nothing to it.

    ``paths`` names the file a template's text was read from (by file name): cfn-lint is then
    given that file, as the ``cfn-lint`` command is, and reads what it reads beside a template
    (a nested stack's local ``TemplateURL``: the parameters it takes and the outputs it has)
    and the file's size. Without it, cfn-lint sees the text alone, except that a text larger
    than 90 % of CloudFormation's 1,000,000-byte limit and naming no local template is linted
    as a file of those bytes, alone in a folder, so that cfn-lint's size rules (E1002, I1002)
    judge it as they judge the file.
    """
    _check_arguments(templates, jobs)
    strays = sorted(set(paths or {}) - set(templates))
    if strays:
        raise ValueError(f"paths names templates not given to lint: {', '.join(strays)}")
    chosen = None if regions is None else (regions,) if isinstance(regions, str) else tuple(regions)
    if chosen is not None:
        from cfnlint.helpers import REGIONS

        unknown = sorted(set(chosen) - set(REGIONS))
        if unknown:  # cfn-lint would raise it in every forked copy, as a traceback
            raise LintError(f"cfn-lint knows no region {', '.join(unknown)}")
    config, rules = _linter(chosen)
    files = {} if paths is None else {name: str(path) for name, path in paths.items()}
    items = sorted((name, text, files.get(name)) for name, text in templates.items())
    jobs = min(jobs or available_cpus(), len(items))
    with garbage_collection_paused():
        if jobs > 1 and hasattr(os, "fork"):
            return sorted(_lint_forked(items, jobs, config, rules))
        return sorted(_lint(items, config, rules))


def _answer(out: int, work: Callable[[], list[Finding]]) -> NoReturn:
    """In a forked copy: do ``work`` and send back through ``out`` its findings, or the
    traceback of what went wrong; then leave at once (no atexit handlers, no second run of the
    parent's cleanup, nothing collected or torn down)."""
    import pickle
    import traceback

    code = 0
    try:
        try:
            result: tuple[str, Any] = ("ok", work())
        except BaseException:
            result, code = ("error", traceback.format_exc()), 1
        with os.fdopen(out, "wb") as pipe:
            pipe.write(pickle.dumps(result))
    finally:
        os._exit(code)


def _answer_of(pid: int, answers: int) -> list[Finding] | str:
    """What the copy ``pid`` sent through ``answers`` (see :func:`_answer`): its findings, or
    why it failed; the copy is reaped."""
    return _decoded(pid, _read_all(answers))


def _read_all(answers: int) -> bytes:
    """Everything a copy sent through ``answers``, which is closed after."""
    with os.fdopen(answers, "rb") as pipe:
        return pipe.read()


def _decoded(pid: int, data: bytes) -> list[Finding] | str:
    """The copy ``pid`` reaped, and what it sent: its findings, or why it failed."""
    import pickle

    os.waitpid(pid, 0)
    if not data:
        return f"cfn-lint worker {pid} exited without a result"
    kind, payload = pickle.loads(data)  # our own copy's answer
    return list(payload) if kind == "ok" else str(payload)


def _stop(pid: int) -> None:
    """Stop and reap a forked copy, whatever it is doing (it may still be loading cfn-lint:
    no need to wait for that), and whether or not it has already gone. The copies it forked
    die with it where :func:`_die_with_parent` can arrange it."""
    import signal

    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """In a forked copy, on Linux: be killed when the process that forked it ends, however it
    ends. A build stopped by a Ctrl-C sent to it alone (``kill -INT``), by SIGTERM or SIGKILL,
    left its copies linting for seconds, holding its stdout and stderr open (prctl(2),
    PR_SET_PDEATHSIG). Elsewhere nothing changes: a copy finishes its lint and leaves."""
    import signal

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent:  # it ended before the request took effect
        os._exit(1)


class StartedLinter:
    """cfn-lint loading in a forked copy of this process while this one goes on (rendering the
    templates it will check, say): :meth:`lint` hands the copy the templates and returns what
    :func:`lint_templates` would. Loading cfn-lint takes about half a second; a build renders
    its templates and docs in about a quarter, which this takes off the build's time.

    Use it as a context manager: leaving without :meth:`lint` stops the copy. Where the process
    cannot fork or may use only one CPU, nothing starts ahead and :meth:`lint` is
    :func:`lint_templates`.
    """

    def __init__(self, regions: Iterable[str] | None = None, jobs: int | None = None) -> None:
        self.regions = None if regions is None else tuple(regions)
        self.jobs = jobs
        self._pid = 0
        self._send = self._receive = -1
        if not hasattr(os, "fork") or available_cpus() < 2:
            return
        templates_in, self._send = os.pipe()
        self._receive, findings_out = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the copy: load, wait for the templates, lint them, answer, leave
            try:
                _die_with_parent(parent)
                os.close(self._send)
                os.close(self._receive)
                self._serve(templates_in, findings_out)
            finally:  # an interrupt before _serve answers: never go on as the parent would
                os._exit(1)
        os.close(templates_in)
        os.close(findings_out)
        self._pid = pid

    def _serve(self, templates_in: int, findings_out: int) -> NoReturn:
        def work() -> list[Finding]:
            import pickle

            _linter(self.regions)
            with os.fdopen(templates_in, "rb") as pipe:
                data = pipe.read()
            if not data:  # the build needed no lint after all
                os._exit(0)
            templates = pickle.loads(data)  # from the process that forked this one
            return lint_templates(templates, self.regions, self.jobs)

        _answer(findings_out, work)

    def lint(self, templates: Mapping[str, str]) -> list[Finding]:
        """Lint ``templates`` (file name -> YAML text): every finding, sorted. Once only."""
        if not self._pid:
            return lint_templates(templates, self.regions, self.jobs)
        import pickle

        # The pipes are this call's from here on (an interrupted read closes its end itself, so
        # close() must not close it again), and so is the copy: stopped if this call is.
        pid, self._pid = self._pid, 0
        send, self._send = self._send, -1
        receive, self._receive = self._receive, -1
        try:
            try:
                with os.fdopen(send, "wb") as pipe:
                    pipe.write(pickle.dumps(dict(templates)))
            except BrokenPipeError:
                pass  # the copy has gone: its answer, or the lack of one, says why
            except BaseException:
                os.close(receive)
                raise
            data = _read_all(receive)
        except BaseException:
            _stop(pid)  # not reaped yet: its PID is still its own
            raise
        answer = _decoded(pid, data)
        if isinstance(answer, str):
            raise LintError("cfn-lint failed:\n" + answer)
        return answer

    def close(self) -> None:
        """Stop the copy if it was never asked to lint."""
        for fd in (self._send, self._receive):
            if fd != -1:
                os.close(fd)
        self._send = self._receive = -1
        if self._pid:
            pid, self._pid = self._pid, 0
            _stop(pid)

    def __enter__(self) -> StartedLinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Where cfn-lint reads another file, given a template's path: a nested stack's template
# (TemplateURL), a SAM application's (Location), when it is a relative path (cfnlint.context's
# _nested_stack_get_atts, rules E3043 NestedStackParameters).
_LOCAL_TEMPLATE_KEYS = {
    "AWS::CloudFormation::Stack": "TemplateURL",
    "AWS::Serverless::Application": "Location",
}


def names_local_templates(template: Mapping[str, Any]) -> bool:
    """Whether ``template`` names another template by a relative path, which cfn-lint reads
    (its parameters and outputs) when it is given the template's file: its verdict then
    depends on more than the template's text."""
    resources = template.get("Resources")
    if not isinstance(resources, Mapping):
        return False
    for resource in resources.values():
        if not isinstance(resource, Mapping):
            continue
        key = _LOCAL_TEMPLATE_KEYS.get(str(resource.get("Type")))
        properties = resource.get("Properties")
        if key and isinstance(properties, Mapping):
            where = properties.get(key)
            if (
                isinstance(where, str)
                and not where.startswith(("http://", "https://", "s3://"))
                and not os.path.isabs(where)
            ):
                return True
    return False


# What is linted: a template's file name, its text, and the file it was read from (or None).
_Item = tuple[str, str, "str | None"]


def _lint(items: Sequence[_Item], config: Any, rules: Any) -> list[Finding]:
    from cfnlint.decode.decode import decode_str
    from cfnlint.runner import run_template_by_data, run_template_by_file_path

    findings: list[Finding] = []
    for filename, text, path in items:
        decoded, errors = decode_str(text)
        unreadable = _unreadable_config(decoded) if isinstance(decoded, dict) else None
        if unreadable is not None:
            # cfn-lint reads its own config there and fails with an AttributeError or a
            # TypeError: the file fails in its place, at the value, as cfn-lint says a
            # template it cannot read.
            value, message = unreadable
            mark = getattr(value, "start_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            findings.append(Finding(filename, line, column, "E0000", message))
            continue
        if errors or not decoded:
            matches = errors
        elif path is not None:  # cfn-lint reads the file (the text read from it) itself
            matches = list(run_template_by_file_path(path, config, rules, False))
        elif _size_rules_may_fire(text) and not names_local_templates(decoded):
            matches = _lint_as_a_file(filename, text, config, rules)
        else:
            matches = list(run_template_by_data(decoded, config, rules))
        findings.extend(
            Finding(filename, m.linenumber, m.columnnumber, m.rule.id, m.message) for m in matches
        )
    return findings


def _size_rules_may_fire(text: str) -> bool:
    """Whether cfn-lint's template-size rules could report ``text`` as a file: E1002 (larger
    than the 1,000,000 bytes CloudFormation takes from S3) and I1002 (within 90 % of it). They
    read the size of the file they are given (``os.stat``), so a template linted by its text
    alone escaped them."""
    from cfnlint.helpers import LIMITS

    threshold: float = LIMITS["threshold"] * LIMITS["template"]["body"]
    return len(text.encode("utf-8")) > threshold


def _lint_as_a_file(filename: str, text: str, config: Any, rules: Any) -> list[Any]:
    """cfn-lint's findings on ``text`` written to a file of its own, as the ``cfn-lint``
    command lints a file of those bytes: with the size rules. Only for a template that names
    no local template (its folder holds nothing else)."""
    import tempfile

    from cfnlint.runner import run_template_by_file_path

    with tempfile.TemporaryDirectory(prefix="troposphere-fargate-lint-") as folder:
        file = Path(folder) / (Path(filename).name or "template.yaml")
        file.write_bytes(text.encode("utf-8"))
        return list(run_template_by_file_path(str(file), config, rules, False))


_CANNOT_READ = "cfn-lint cannot read the template otherwise"

# What cfn-lint reads of its own configuration, with .get at each step (cfnlint.config's
# TemplateArgs for the template's Metadata, cfnlint.template's get_directives for each
# resource's, which iterates ignore_checks), and what each must be for that to work.
_TEMPLATE_CONFIG: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("Metadata", dict),
    ("cfn-lint", dict),
)
_RESOURCE_CONFIG = (
    ("Metadata", dict),
    ("cfn-lint", dict),
    ("config", dict),
    # Iterated: a string reads (as characters, none a rule's id: it suppresses nothing, and
    # cfn-lint says nothing of it either), a number or null does not.
    ("ignore_checks", (list, str, dict)),
)


def _unreadable_config(template: dict[str, Any]) -> tuple[Any, str] | None:
    """Where cfn-lint fails reading its configuration from ``template``'s metadata or a
    resource's (``Metadata: [1]``, ``cfn-lint: null``): the value (or, for a null, its key,
    which has a line and column), and what it must be; None when cfn-lint can read it."""
    places: list[tuple[str, Any, tuple[tuple[str, type | tuple[type, ...]], ...]]] = [
        ("", template, _TEMPLATE_CONFIG)
    ]
    resources = template.get("Resources")
    if isinstance(resources, dict):
        places += [
            (f"Resources.{name}", resource, _RESOURCE_CONFIG)
            for name, resource in resources.items()
            if isinstance(resource, dict)
        ]
    for path, node, steps in places:
        for key, kind in steps:
            if not isinstance(node, dict) or key not in node:
                break
            parent, node, path = node, node[key], f"{path}.{key}".lstrip(".")
            if not isinstance(node, kind):
                where = node if hasattr(node, "start_mark") else next(k for k in parent if k == key)
                what = "a mapping" if kind is dict else "a list"
                return where, f"{path} must be {what}: {_CANNOT_READ}"
    return None


_TASK_BYTES = 2  # a template's index in the task pipe; one os.write each, atomic (PIPE_BUF)


def _lint_forked(items: Sequence[_Item], jobs: int, config: Any, rules: Any) -> list[Finding]:
    """Lint in ``jobs`` forked copies of this process, each taking the next template from a
    shared queue as soon as it is free, largest first; this process only hands out the work
    and gathers the findings.

    A queue, not fixed shares, because templates differ in cost far more than in size:
    service.yaml is two fifths of the bytes and three fifths of cfn-lint's time, so one copy
    lints it while the others take everything else (with shares balanced by size the build
    waited 1.5 s on the copy that had service.yaml and two more). The queue is a pipe: each
    template's index goes in with one atomic write of two bytes once the copies exist, so a
    read of two bytes returns one whole index, and an empty read means the queue is done.
    The copies leave with ``os._exit``: what they allocated is never collected or torn down,
    and this process, which linted nothing, has nothing new to collect either.
    """
    order = sorted(range(len(items)), key=lambda index: (-len(items[index][1]), index))
    tasks, queue = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    children = []
    parent = os.getpid()
    try:
        try:
            for _ in range(jobs):
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:  # a copy: lint what it takes, send the findings (or error) back
                    try:
                        _die_with_parent(parent)
                        os.close(queue)
                        os.close(read_end)
                        _answer(write_end, lambda: _lint_taken(tasks, items, config, rules))
                    finally:  # an interrupt before _answer: never go on as the parent would
                        os._exit(1)
                children.append((pid, read_end))  # first: an interrupt now still stops it
                os.close(write_end)
        finally:
            # Only the copies read the queue: once they have all gone, a write fails at once
            # (BrokenPipeError) instead of waiting for a reader that will never come.
            os.close(tasks)
        for index in order:
            os.write(queue, index.to_bytes(_TASK_BYTES, "big"))
    except BrokenPipeError:
        pass  # every copy has gone already: each one's result (or its absence) says why
    except BaseException:  # a fork failed, or an interrupt: the copies are stopped
        os.close(queue)
        for pid, read_end in children:
            os.close(read_end)
            _stop(pid)
        raise
    os.close(queue)  # the copies see the end of the queue and finish

    findings: list[Finding] = []
    failures: list[str] = []
    for done, (pid, read_end) in enumerate(children):
        try:
            answer = _answer_of(pid, read_end)  # closes read_end, even when interrupted
        except BaseException:  # an interrupt: stop this copy and those not read yet
            for other, unread in children[done + 1 :]:
                os.close(unread)
                _stop(other)
            _stop(pid)
            raise
        if isinstance(answer, str):
            failures.append(answer)
        else:
            findings.extend(answer)
    if failures:
        raise LintError("cfn-lint failed:\n" + "\n".join(failures))
    return findings


def _lint_taken(tasks: int, items: Sequence[_Item], config: Any, rules: Any) -> list[Finding]:
    """Lint templates taken from the task pipe until it is empty and closed."""
    findings: list[Finding] = []
    while record := os.read(tasks, _TASK_BYTES):
        findings.extend(_lint([items[int.from_bytes(record, "big")]], config, rules))
    return findings


# --- Verdicts kept by content ------------------------------------------------------------------
#
# cfn-lint's verdict on a template depends on the template's text, cfn-lint's version and data,
# the checks and regions asked for, and (for a template that names no regions) the default region
# from the environment. A verdict is kept under a digest of exactly those, so a build whose
# templates did not change since the last lint does not import cfn-lint at all, and a template
# that changed is linted in full. Nothing else is cached: the build still renders, checks and
# compares every file.

CACHE_ENV = "TROPOSPHERE_FARGATE_CACHE"


def default_cache_dir() -> Path:
    """``$TROPOSPHERE_FARGATE_CACHE``, else ``$XDG_CACHE_HOME/troposphere-fargate``, else
    ``~/.cache/troposphere-fargate``; the verdicts live in its ``lint`` folder."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "troposphere-fargate"


def _schema_cache_dir() -> Path:
    """Where ``cfn-lint --update-specs`` keeps newer resource schemas (cfnlint.helpers.
    get_cache_dir, which cfn-lint prefers to its bundled ones when their schema_date is newer)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", os.path.expanduser("~\\AppData\\Local"))
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "aws" / "cfn-lint" / "schemas"


def _linter_fingerprint() -> str:
    """cfn-lint's version and the dates of both schema sets it may read (the bundled one and
    the one ``cfn-lint --update-specs`` downloads), without importing cfn-lint; and a digest of
    this module and of lint_shortcuts, whose own checks, answers and shortcuts are part of each
    verdict (a checkout's edit of them, which no version number says, is a new linter too)."""
    import hashlib
    from importlib import metadata, util

    spec = util.find_spec("cfnlint")
    locations = list(spec.submodule_search_locations or []) if spec else []
    schema_sets = [_schema_cache_dir()]
    if locations:
        schema_sets.insert(0, Path(locations[0]) / "data" / "schemas")
    dates = []
    for folder in schema_sets:
        try:
            dates.append((folder / "version.json").read_text(encoding="utf-8").strip())
        except OSError:
            dates.append("-")
    wrapper = hashlib.sha256()
    for module in (__file__, lint_shortcuts.__file__):
        wrapper.update(Path(module).read_bytes())
    digest = wrapper.hexdigest()[:16]
    return f"cfn-lint {metadata.version('cfn-lint')} schemas {' | '.join(dates)} {digest}"


def _verdict_key(filename: str, text: str, regions: Sequence[str] | None, fingerprint: str) -> str:
    import hashlib  # here, like pickle and traceback above: not a cost of importing the package

    default_region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or ""
    parts = [
        fingerprint,
        ",".join(INCLUDE_CHECKS),
        "regions " + (",".join(regions) if regions is not None else f"template/{default_region}"),
        filename,
        text,
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _kept_verdict(path: Path, filename: str) -> list[Finding] | None:
    """The findings on ``filename`` kept in ``path``, or None for no verdict to trust: none
    kept, or one damaged into anything but a list of that file's findings (``{}`` and ``""``
    read as a clean verdict, a list damaged after its first finding gave that one twice)."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        kept = [Finding(**entry) for entry in stored] if isinstance(stored, list) else None
    except (OSError, ValueError, TypeError):
        return None
    return kept if kept is not None and all(f.filename == filename for f in kept) else None


def lint_templates_cached(
    templates: Mapping[str, str],
    regions: Iterable[str] | None = None,
    jobs: int | None = None,
    cache: Path | None = None,
    linter: StartedLinter | None = None,
) -> tuple[list[Finding], list[str]]:
    """:func:`lint_templates`, reusing the verdict on any template linted before with the same
    inputs (see above). Returns the findings and the names of the templates actually linted.
    ``linter``, started with the same ``regions`` and ``jobs``, lints what must be linted."""
    _check_arguments(templates, jobs)
    folder = (cache or default_cache_dir()) / "lint"
    chosen = None if regions is None else list(regions)
    fingerprint = _linter_fingerprint()
    keys = {name: _verdict_key(name, text, chosen, fingerprint) for name, text in templates.items()}
    findings: list[Finding] = []
    missing = {}
    for name, text in templates.items():
        kept = _kept_verdict(folder / f"{keys[name]}.json", name)
        if kept is None:
            missing[name] = text
        else:
            findings.extend(kept)
    if missing:
        fresh = linter.lint(missing) if linter else lint_templates(missing, chosen, jobs)
        findings.extend(fresh)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name in missing:
                entries = [asdict(f) for f in fresh if f.filename == name]
                staging = folder / f".{keys[name]}.{os.getpid()}.tmp"
                staging.write_text(json.dumps(entries), encoding="utf-8")
                os.replace(staging, folder / f"{keys[name]}.json")
        except OSError:
            pass  # a cache that cannot be written only means linting again next time
    return sorted(findings), sorted(missing)
