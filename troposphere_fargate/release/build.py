"""The build: every layer rendered, validated by cfn-lint, written as ``templates/<version>/``.

    render_templates(config)   -> {layer name: template dict}, stamped and checked
    generate(config)           -> {file name: YAML text}, deterministic
    lint_templates(files)      -> cfn-lint findings (see :mod:`troposphere_fargate.cfn.lint`)
    build_templates(config, output) -> all of it: render, check, lint, write
    write_version(root, files) -> templates/<version>/*.yaml + manifest.json, swapped in atomically
    compare_version(root, files) -> names of the files that differ from what is committed

Nothing is written unless the whole set lints clean, and a version folder is replaced in one
rename, so an interrupted or failed build leaves the previous files exactly as they were.
"""

from __future__ import annotations

import errno
import json
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from troposphere import Template

from .. import __version__
from ..cfn import limits
from ..cfn import yaml as cfn_yaml
from ..cfn.lint import Finding, StartedLinter, garbage_collection_paused, lint_templates_cached
from ..cfn.lint import lint_templates as lint_templates  # part of this module's API (see above)
from ..errors import (
    RELEASE_NAME,
    ConfigWarning,
    expect,
    expect_texts,
    expect_version,
    suggest_fields,
)
from ..layers import endpoints, layers_for
from ..layers import regions as regions_
from ..layers.blocks import STAMP_KEY, STAMP_VERSION
from ..layers.config import ProductConfig
from ..layers.root import QuotaError

MANIFEST = "manifest.json"

# That mapping as ``to_yaml`` writes it: the Metadata section at the start of a line, its keys
# two spaces in (sorted: the stamp's key may follow others), the stamp's entries further in.
_STAMP_BLOCK = re.compile(
    rf"^Metadata:\n(?:(?:  .*)?\n)*?(  {re.escape(STAMP_KEY)}:\n(?:(?:   .*)?\n)*)", re.M
)


def stamp(
    template: Mapping[str, Any],
    *,
    layer: str,
    version: str,
    regions: Iterable[str] | None = None,
) -> dict[str, Any]:
    """A copy of ``template`` with the format version and the generator version stamped in,
    and, given ``regions``, cfn-lint's per-template configuration to lint it in each of them."""
    stamped = dict(template)
    stamped["AWSTemplateFormatVersion"] = cfn_yaml.TEMPLATE_FORMAT_VERSION
    summary = stamped.get("Description", "")
    stamped["Description"] = f"troposphere_fargate {version}, {layer} layer. {summary}".strip()
    metadata = dict(stamped.get("Metadata", {}))
    metadata[STAMP_KEY] = {**metadata.get(STAMP_KEY, {}), "Layer": layer, STAMP_VERSION: version}
    # Metadata.cfn-lint, beside any suppression the template carries: config.regions (cfn-lint,
    # run on the template with no --regions, checks these), and for a quota the template keeps
    # but approaches, cfn-lint's informational "approaching the limit" suppressed, with its
    # reason beside it as every other.
    lint = dict(metadata.get(regions_.CFN_LINT_METADATA, {}))
    lint_config = dict(lint.get("config", {}))
    if regions is not None:
        lint_config["regions"] = list(regions)
    approaching = limits.approaching_quotas(template)
    if approaching:
        lint_config["ignore_checks"] = sorted({*lint_config.get("ignore_checks", []), *approaching})
        lint["reasons"] = dict(sorted({**lint.get("reasons", {}), **approaching}.items()))
    if regions is not None or approaching:
        metadata[regions_.CFN_LINT_METADATA] = {**lint, "config": lint_config}
    stamped["Metadata"] = metadata
    return stamped


class BuildError(ValueError):
    """A generated template breaks one of the build's own checks, or the build cannot be
    written where and as it was asked (a version or file name that is no plain name, a file
    where a folder goes)."""


@suggest_fields
@dataclass(frozen=True)
class TemplateProblem:
    """One of the build's own checks a generated template fails (:func:`template_problems`),
    one of :attr:`TemplateChecksFailed.problems`; ``str()`` gives
    ``service-web.yaml: TaskDefinition: ...``.

    Attributes:
        filename: the template's file name (``service-web.yaml``).
        resource: the logical ID of the resource that fails it, or the section that does
            (``Parameters`` or ``Outputs``, for a root of more services than CloudFormation
            takes parameters or outputs for in one template).
        reason: what is wrong, in words.
    """

    filename: str
    resource: str
    reason: str

    def __str__(self) -> str:
        return f"{self.filename}: {self.resource}: {self.reason}"


class TemplateChecksFailed(BuildError):
    """Generated templates fail the build's own checks (:func:`template_problems`): one line per
    problem, every template's at once; :attr:`problems` gives them one by one (``build
    --spec`` names the spec's line of each)."""

    def __init__(self, problems: Sequence[TemplateProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


def template_problems(filename: str, template: Mapping[str, Any]) -> list[TemplateProblem]:
    """The checks every template the project writes must pass before it is rendered, failed
    by ``template``: VPC endpoint service names as the per-partition endpoint table gives them,
    and the service limits of :mod:`troposphere_fargate.cfn.limits` (what cfn-lint and the
    emulator accept and a real account refuses)."""
    try:
        lines = endpoints.check_template(template) + limits.problems(template)
    except UnicodeEncodeError:  # a size in UTF-8 bytes, of text holding a lone surrogate
        unwritable = [
            (path.removeprefix("Resources.").partition("."), problem)
            for path, problem in cfn_yaml.surrogates(template)
        ]
        if not unwritable:
            raise
        return [
            TemplateProblem(filename, resource, f"{inner} {problem}".lstrip())
            for (resource, _, inner), problem in unwritable
        ]
    found = []
    for line in lines:
        resource, _, reason = line.partition(": ")
        found.append(TemplateProblem(filename, resource, reason))
    return found


def render_templates(
    config: ProductConfig | None = None, version: str = __version__
) -> dict[str, dict[str, Any]]:
    """Every layer's template as a dict (layer name -> template), stamped with ``version`` and
    checked: :class:`TemplateChecksFailed` names what every template fails
    (:func:`template_problems`), all of them at once."""
    expect(config, (ProductConfig, type(None)), "render_templates(config)")
    expect_version(version, "render_templates(version)")
    config = config or ProductConfig()
    built: dict[str, dict[str, Any]] = {}
    # Templates that name ARNs of one partition are claimed (and linted) for its regions.
    partitions = config.partitions
    problems: list[TemplateProblem] = []
    for layer in layers_for(config):
        try:
            made = layer.builder(config, version, built)
            template = made.to_dict() if isinstance(made, Template) else made
        except QuotaError as exc:
            # A root of too many services: named with what the other templates fail (the
            # templates after it need it, so the build stops there).
            problems.append(TemplateProblem(layer.filename, exc.section, str(exc)))
            break
        found = template_problems(layer.filename, template)
        merged = cfn_yaml.merged_from(template)
        if merged:  # said for the templates it merges (instance.yaml: the service's, say),
            # whose resources it holds; its own copy may count a few bytes less (folded).
            said = {p.resource for p in problems if p.filename in merged}
            found = [p for p in found if p.resource not in said]
        problems += found
        claimed = regions_.in_partitions(layer.regions, partitions)
        built[layer.name] = stamp(template, layer=layer.name, version=version, regions=claimed)
    if problems:
        raise TemplateChecksFailed(problems)
    return built


def generate(config: ProductConfig | None = None, version: str = __version__) -> dict[str, str]:
    """Render every layer: file name -> YAML text, stamped with ``version``. Each of the
    config's :attr:`~troposphere_fargate.layers.config.ProductConfig.warnings` is issued as a
    :class:`~troposphere_fargate.errors.ConfigWarning` first (it builds all the same)."""
    expect(config, (ProductConfig, type(None)), "generate(config)")
    expect_version(version, "generate(version)")
    config = config or ProductConfig()
    _warn(config)
    return _generated(config, version)


def _warn(config: ProductConfig) -> None:
    """Issue the config's warnings, as the line that called ``generate`` or
    ``build_templates`` (a newcomer's trial: a library build said nothing of what ``build
    --spec`` warns about, such as a health check every task would fail)."""
    if config.warnings:
        import warnings

        from .spec import config_field_of

        for warning in config.warnings:
            # Each names the spec key it is about (services.web.deregistration_delay): the
            # field that key sets goes first, as a library user wrote it.
            key, _, rest = warning.partition(": ")
            field = config_field_of(key)
            said = f"{field} ({key}): {rest}" if field and rest else warning
            warnings.warn(said, ConfigWarning, stacklevel=3)


def _generated(config: ProductConfig, version: str) -> dict[str, str]:
    # Rendering and writing make and drop hundreds of thousands of objects, without a cycle
    # (each tree of YAML nodes is freed by reference counting): the collector's passes over
    # them, and the full passes they set off, were about 25 ms of a 0.3 s cold generation.
    with garbage_collection_paused():
        built = render_templates(config, version)
        return {layer.filename: cfn_yaml.to_yaml(built[layer.name]) for layer in layers_for(config)}


def manifest(files: Mapping[str, str], version: str = __version__) -> str:
    """``manifest.json``: the sha256 and size of every file in a version folder."""
    import hashlib  # imported here (as shutil and secrets below): generation never needs them

    entries = {}
    for name in sorted(files):
        data = files[name].encode()
        entries[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    document = {"generator": "troposphere_fargate", "version": version, "files": entries}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def with_manifest(files: Mapping[str, str], version: str = __version__) -> dict[str, str]:
    """The full content of a version folder: the templates and their manifest."""
    return {**files, MANIFEST: manifest(files, version)}


def _refuse_empty_folder(folder: object, where: str) -> None:
    """A :class:`BuildError` for ``""``: ``Path("")`` is ``.``, so a folder name left empty
    (an unset variable, say) wrote into the current directory without a word."""
    if folder == "":
        raise BuildError(
            f"{where}: an empty path names no folder (pathlib reads it as the current "
            "directory): give '.' to write there"
        )


def file_in_the_way(folder: Path) -> Path | None:
    """The file that stands where ``folder`` or one of its parents must be a folder, if any."""
    return next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)


# A version or a file name written: one path segment, not hidden, nothing a shell would mind.
_PLAIN_NAME = RELEASE_NAME


@contextmanager
def deferred_signals() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held back until the block is done, then delivered: a Ctrl-C
    in the middle of swapping folders and files in waits until every one is swapped, instead
    of leaving the old folder renamed away and the new one not yet in place. The mask is the
    calling thread's (pthread_sigmask): in a process of several threads (a library user's
    server) the kernel may hand a signal sent to the process to another thread, and Python
    then raises it in the main thread at once."""
    import signal

    global _held_over
    if not hasattr(signal, "pthread_sigmask"):  # not on Windows: the swaps are as they are
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    # The mask is read first, unchanged: Python runs a pending signal's handler when
    # pthread_sigmask returns, so a KeyboardInterrupt raised by the call that blocks must find
    # the restoring ``finally`` already in force, or the signals would stay blocked for good.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
        yield
    finally:
        _held_over = _held_over or bool(held & signal.sigpending())
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_held_over = False  # a signal arrived during a swap and was delivered after it


def interrupted_after_writing() -> bool:
    """Whether an interrupt waited for a swap in this process: it was delivered once every file
    was in place, so the files are the new ones."""
    return _held_over


# A staging or retired folder older than this was left by a build that was killed outright
# (SIGKILL, a power cut): no build holds one that long.
_STALE_SECONDS = 3600


def _remove_leftovers(root: Path, version: str) -> None:
    """Folders a killed build left beside the version folder, by their exact shapes only (a
    user's ``.1.2.0.old-backup`` is no build's): a staging folder (``.<version>.new-`` and
    mkdtemp's eight characters) untouched for an hour, a retired one (``.<version>.old-<pid>``)
    once the process of that build is gone."""
    import re

    shape = re.compile(rf"\.{re.escape(version)}\.(?:new-[a-z0-9_]{{8}}|old-([0-9]+))")
    for path in root.iterdir():
        found = shape.fullmatch(path.name)
        if found is None or not path.is_dir() or path.is_symlink():
            continue
        try:
            if found.group(1) is None:
                gone = time.time() - path.stat().st_mtime > _STALE_SECONDS
            else:
                gone = process_gone(int(found.group(1)))
        except OSError:
            continue
        if gone:
            remove_tree(path)


def process_gone(pid: int) -> bool:
    """Whether the process ``pid``, which named a file it staged or retired after itself, has
    ended (this process never has; one of another user's is alive)."""
    if pid <= 0 or pid == os.getpid():  # 0 would ask about this process's whole group
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def remove_tree(path: Path) -> None:
    """Remove a staging or retired folder, as far as possible. A version folder the user had
    made read-only (``chmod -R a-w``) kept its files once retired: shutil.rmtree could not
    unlink what it held, and the old copy stayed beside the new one for good. A folder inside
    ``path`` that refuses is given its owner's rights (what this process may do to what it
    owns) and removed again; what still refuses is left for a later build."""
    import shutil
    import stat

    if not os.path.lexists(path):
        return

    def inside(name: str) -> bool:
        return Path(name) == path or path in Path(name).parents

    def writable_and_again(function: Any, name: str, _: Any) -> None:
        # os.unlink or os.rmdir failed: the folder holding ``name`` is read-only; anything
        # else (os.open, os.scandir, os.lstat): ``name`` is a folder that cannot be read.
        folder = os.path.dirname(name) if function in (os.unlink, os.rmdir) else name
        if not inside(folder) or os.path.islink(folder):
            # rmtree refuses a link (os.path.islink): chmod would follow it and give what it
            # points at, outside ``path``, the link's own mode, 0777.
            return
        try:
            os.chmod(folder, stat.S_IMODE(os.lstat(folder).st_mode) | stat.S_IRWXU)
            if folder == name:
                shutil.rmtree(name, ignore_errors=True)
            else:
                function(name)
        except OSError:
            pass

    shutil.rmtree(path, onerror=writable_and_again)


def write_version(root: Path | str, files: Mapping[str, str], version: str = __version__) -> Path:
    """Write ``files`` and their manifest as ``root/<version>/``, replacing it in one swap.

    The new folder is written and flushed beside the old one, then renamed into place; files
    that the code no longer generates disappear with the old folder. On any error the previous
    folder is left (or put back) as it was. Raises :class:`BuildError`, writing nothing, for a
    version or file name that is not a plain name (it would write outside the version folder),
    for a ``root`` that is a file or ``""`` (pathlib's current directory: give ``"."``), for a
    template stamped for another version (render it with ``generate(config, version)``: its
    root would nest the other version's files), for a ``manifest.json`` among ``files`` and for
    no files at all.
    """
    if isinstance(root, Mapping) and isinstance(files, str | Path):
        raise TypeError(
            "write_version(root, files): the folder comes first, then the files, as in "
            "write_version('templates', generate())"
        )
    expect_texts(files, "write_version(files)", "YAML text")
    if not files:
        # The version folder is replaced whole: an empty mapping (a filter that kept nothing)
        # left only a manifest where the templates were.
        raise BuildError(
            "write_version(files) holds no templates: writing it would replace the version's "
            "folder with an empty one; pass what generate() returns"
        )
    _refuse_empty_folder(root, "write_version(root)")
    root = Path(root)
    if not isinstance(version, str) or not _PLAIN_NAME.fullmatch(version):
        raise BuildError(f"version {version!r} is not a folder name such as 1.2.0")
    odd = sorted(name for name in files if not _PLAIN_NAME.fullmatch(name))
    if odd:
        raise BuildError(f"not plain file names (no folders, no leading dot): {', '.join(odd)}")
    _check_stamps(files, version)
    in_the_way = file_in_the_way(root)
    if in_the_way is not None:
        raise BuildError(f"cannot write into {root}: {in_the_way} is a file, not a folder")
    if root.is_symlink() and not root.exists():
        raise BuildError(
            f"cannot write into {root}: it links to {os.readlink(root)}, which is not there"
        )
    root.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(root, version)
    target = root / version
    if target.is_symlink():  # swapped, the link would be replaced and what it points at kept
        raise BuildError(
            f"cannot replace {target}: it is a link (to {os.readlink(target)}); write into "
            "the folder it points into instead"
        )
    try:
        staging = _new_staging(root, version)
    except OSError as exc:  # named by the folder asked for, not the staging folder's name
        raise BuildError(f"cannot write into {root}: {exc.strerror or exc}") from None
    retired = root / f".{version}.old-{os.getpid()}"
    try:
        for name, text in with_manifest(files, version).items():
            try:
                with open(staging / name, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:  # a full disk named no file: name the one being written
                raise OSError(exc.errno, exc.strerror or str(exc), str(target / name)) from None
        # Two renames, with signals held back between them: an interrupt lands before the
        # first or after the second, never with the old folder moved away and the new one not
        # in place. A rename that fails puts the old folder back.
        with deferred_signals():
            _swap(staging, target, retired)
    finally:
        remove_tree(staging)
        remove_tree(retired)
    return target


def _swap(staging: Path, target: Path, retired: Path) -> None:
    """Rename ``target`` away to ``retired`` and ``staging`` into its place. A rename that
    fails puts the old folder back. Another build that swapped its folder in between the two
    renames (two builds at once) made the second fail, "Directory not empty", naming the
    staging folder: then its folder is retired in turn and this one swapped in, whole."""
    for attempt in range(5):
        moved = False
        try:
            if target.exists():
                os.rename(target, retired)
                moved = True
            os.rename(staging, target)
            return
        except OSError as exc:
            if moved and not target.exists():
                os.rename(retired, target)
            # The other build renamed the folder away between target.exists() and the first
            # rename (FileNotFoundError): look again.
            vanished = exc.errno == errno.ENOENT and not moved and staging.exists()
            if not (vanished or exc.errno in (errno.ENOTEMPTY, errno.EEXIST)) or attempt == 4:
                raise
            remove_tree(retired)  # the other build's folder is in place: ours replaces it
        except BaseException:
            if moved and not target.exists():
                os.rename(retired, target)
            raise


def _new_staging(root: Path, version: str) -> Path:
    """A new folder in ``root`` to write the version into, ``.<version>.new-`` and eight
    characters as mkdtemp names them. Made with 0777 less the umask, as any new folder: mkdtemp's
    0700, set to 0755 once written, gave the version folder 0755 whatever the umask (077 or 027
    let anyone list it)."""
    import secrets

    for _ in range(100):
        name = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in range(8))
        staging = root / f".{version}.new-{name}"
        try:
            os.mkdir(staging, 0o777)
        except FileExistsError:
            continue
        return staging
    raise FileExistsError(errno.EEXIST, "no free staging name", str(root))


def _check_stamps(files: Mapping[str, str], version: str) -> None:
    """Refuse what would write a folder that is not ``version``'s: a template stamped for
    another version (its root nests that version's files, and its description and catalog
    artifact name it), or a ``manifest.json`` of the caller's, which the written one replaces."""
    if MANIFEST in files:
        raise BuildError(
            f"write_version(files): {MANIFEST} is the manifest write_version writes itself; "
            "leave it out of the files"
        )
    others = []
    for name in sorted(files):
        found = stamped_version(files[name])
        if found is not None and found != version:
            others.append(f"{name} ({found})")
    if others:
        raise BuildError(
            f"write_version(files): stamped for another version than {version!r}: "
            f"{', '.join(others)}; generate(config, version={version!r}) renders them for it"
        )


def stamped_version(text: str) -> str | None:
    """The generator's version :func:`stamp` wrote into a template's text
    (``Metadata.<STAMP_KEY>.Version``), or None for a template without one.

    Only the stamp's mapping is parsed, found where ``to_yaml`` writes it: parsing every
    template whole with PyYAML would add some 60 ms to each build, this well under one. A text
    laid out otherwise (flow style, JSON) that names the stamp's key is parsed whole."""
    block = _STAMP_BLOCK.search(text)
    stamped: Any
    try:
        if block is not None:
            stamped = cfn_yaml.from_yaml(block.group(1))
        elif STAMP_KEY in text:
            stamped = cfn_yaml.from_yaml(text).get("Metadata")
        else:
            return None
    except (yaml.YAMLError, ValueError):
        return None  # not YAML: no stamp to read (write_version writes the text as given)
    found = stamped.get(STAMP_KEY) if isinstance(stamped, dict) else None
    version = found.get(STAMP_VERSION) if isinstance(found, dict) else None
    return None if version is None else str(version)


def compare_version(root: Path, files: Mapping[str, str], version: str = __version__) -> list[str]:
    """Names of the files in ``root/<version>/`` that differ from ``files`` plus manifest.

    A file is listed when its bytes differ, when it is missing, or when it is there but the code
    no longer generates it.
    """
    expected = with_manifest(files, version)
    folder = root / version
    present = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
    differing = [
        name
        for name, text in expected.items()
        if name not in present or (folder / name).read_bytes() != text.encode()
    ]
    differing.extend(present - set(expected))
    return sorted(differing)


class LintFailed(BuildError):
    """cfn-lint found something in a generated template; nothing was written."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        super().__init__(
            f"cfn-lint: {len(self.findings)} finding(s); nothing written:\n"
            + "\n".join(map(str, self.findings))
        )


def build_templates(
    config: ProductConfig | None = None,
    output: Path | str = Path("templates"),
    version: str = __version__,
    *,
    lint_cache: bool = True,
) -> Path:
    """Render every layer for ``config``, check it, lint it with cfn-lint (informational rules
    on, every region each template claims) and write ``output/<version>/`` with its manifest.

    Raises :class:`BuildError` (a failed check) or :class:`LintFailed` (cfn-lint findings)
    before anything is written; returns the version folder. The config's warnings are issued
    as :class:`~troposphere_fargate.errors.ConfigWarning`, as ``generate`` does.
    ``lint_cache`` reuses the verdict on a template whose exact text passed before
    (:func:`~troposphere_fargate.cfn.lint.lint_templates_cached`).
    """
    expect(config, (ProductConfig, type(None)), "build_templates(config)")
    expect(output, (str, Path), "build_templates(output)")
    _refuse_empty_folder(output, "build_templates(output)")
    expect_version(version, "build_templates(version)")
    config = config or ProductConfig()
    _warn(config)
    with StartedLinter() as linter:  # cfn-lint loads in a forked copy while this renders
        files = _generated(config, version)
        if lint_cache:
            findings = lint_templates_cached(files, linter=linter)[0]
        else:
            findings = linter.lint(files)
    if findings:
        raise LintFailed(findings)
    return write_version(output, files, version)


@dataclass
class BuildReport:
    """What :func:`build_release` did, for the command to print."""

    files: dict[str, str]  # template file name -> YAML
    docs: dict[str, str]  # doc file name -> text
    findings: list[Finding]  # cfn-lint's; nothing is written when there are any
    linted: list[str]  # the templates cfn-lint actually ran on (the others passed unchanged)
    differing: list[str] = field(default_factory=list)  # with check: files out of date
    failed_pictures: list[str] = field(default_factory=list)  # pictures dot could not render
    pictures_rendered: bool = False  # whether dot was there to render them
    seconds: dict[str, float] = field(default_factory=dict)  # generate, lint, total
    regions: dict[str, int] = field(default_factory=dict)  # template -> regions it is linted in


def build_release(
    output: Path,
    docs_folder: Path | None,
    *,
    config: ProductConfig | None = None,
    check: bool = False,
    lint_cache: bool = True,
    version: str = __version__,
) -> BuildReport:
    """The product build: render and check every layer for ``config`` (default: the shipped
    product), generate the reference docs and the pictures' sources (not without a
    ``docs_folder``), lint every template (pictures render meanwhile), then write
    ``output/<version>/`` and the docs, or, with ``check``, write nothing and list the files
    that differ from what the code generates."""
    from .diagram import dot_available
    from .reference import commit_docs, generate_docs, stage_docs, start_pictures

    started = time.perf_counter()
    # cfn-lint loads in a forked copy while the templates and docs are rendered here.
    with StartedLinter() as linter:
        config = config or ProductConfig()
        built = render_templates(config, version=version)
        layers = layers_for(config)
        files = {layer.filename: cfn_yaml.to_yaml(built[layer.name]) for layer in layers}
        # The reference docs describe the shipped product; an environment build has none.
        docs = generate_docs(built) if docs_folder is not None and not config.services else {}
        generated = time.perf_counter()
        pictures = [] if check or docs_folder is None else start_pictures(docs, docs_folder)
        if lint_cache:
            findings, linted = lint_templates_cached(files, linter=linter)
        else:
            findings, linted = linter.lint(files), sorted(files)
    report = BuildReport(files, docs, findings, linted, pictures_rendered=dot_available())
    # The regions each template is stamped with and linted for: its own, in the config's
    # partitions.
    report.regions = {
        layer.filename: len(regions_.in_partitions(layer.regions, config.partitions))
        for layer in layers
    }
    report.seconds = {"generate": generated - started, "lint": time.perf_counter() - generated}
    if findings:
        return report
    if check:
        report.differing = compare_version(output, files, version)
        if docs_folder is not None:
            report.differing += [
                str(docs_folder / name)
                for name, text in docs.items()
                if not (docs_folder / name).is_file()
                or (docs_folder / name).read_bytes() != text.encode()
            ]
    else:
        staged, failed = stage_docs(docs_folder, docs, pictures) if docs_folder else ([], [])
        # The templates and the docs are swapped in together: an interrupt waits for both.
        try:
            with deferred_signals():
                write_version(output, files, version)
                commit_docs(staged)
        except BaseException:
            for staging, _ in staged:  # nothing half-written: the docs staged go too
                staging.unlink(missing_ok=True)
            raise
        report.failed_pictures = failed
    report.seconds["total"] = time.perf_counter() - started
    return report
