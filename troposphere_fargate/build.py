"""The build: every layer rendered, validated by cfn-lint, written as ``templates/<version>/``.

    generate(config)           -> {file name: YAML text}, deterministic
    lint_templates(files)      -> cfn-lint findings (see :mod:`troposphere_fargate.lint`)
    write_version(root, files) -> templates/<version>/*.yaml + manifest.json, swapped in atomically
    compare_version(root, files) -> names of the files that differ from what is committed

Nothing is written unless the whole set lints clean, and a version folder is replaced in one
rename, so an interrupted or failed build leaves the previous files exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from troposphere import Template

from . import __version__, catalog, endpoints, network, regions, render, root, service
from .config import ProductConfig

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Layer:
    """One template the product ships: its file name, its name in the stamp, its builder.

    A builder gets the product config, the version being built, and the templates (as dicts)
    of the layers before it, which the root layer nests.
    """

    filename: str
    name: str
    builder: Callable[[ProductConfig, str, Mapping[str, dict[str, Any]]], Template]
    # Where the template works: stamped into its cfn-lint metadata, so every lint checks them.
    regions: tuple[str, ...] = regions.CLAIMED_REGIONS


LAYERS: tuple[Layer, ...] = (
    Layer(
        network.FILENAME,
        network.LAYER,
        lambda config, version, built: network.network_template(config.network),
    ),
    Layer(
        service.FILENAME,
        service.LAYER,
        lambda config, version, built: service.service_template(config.service),
    ),
    Layer(
        root.FILENAME, root.LAYER, lambda config, version, built: root.root_template(built, version)
    ),
    Layer(
        catalog.FILENAME,
        catalog.LAYER,
        lambda config, version, built: catalog.catalog_template(version),
        regions.supported(excluding=regions.NO_SERVICE_CATALOG),
    ),
)


class BuildError(ValueError):
    """A generated template breaks one of the build's own checks."""


def check_template(filename: str, template: Mapping[str, Any]) -> None:
    """The checks every template the project writes must pass before it is rendered: VPC
    endpoint service names as the per-partition endpoint table gives them."""
    problems = endpoints.check_template(template)
    if problems:
        raise BuildError(f"{filename}: " + "; ".join(problems))


def build_templates(
    config: ProductConfig | None = None, version: str = __version__
) -> dict[str, dict[str, Any]]:
    """Every layer's template as a dict (layer name -> template), stamped with ``version`` and
    checked (:func:`check_template`)."""
    config = config or ProductConfig()
    built: dict[str, dict[str, Any]] = {}
    for layer in LAYERS:
        template = layer.builder(config, version, built).to_dict()
        check_template(layer.filename, template)
        built[layer.name] = render.stamp(
            template, layer=layer.name, version=version, regions=layer.regions
        )
    return built


def generate(config: ProductConfig | None = None, version: str = __version__) -> dict[str, str]:
    """Render every layer: file name -> YAML text, stamped with ``version``."""
    built = build_templates(config, version)
    return {layer.filename: render.to_yaml(built[layer.name]) for layer in LAYERS}


def manifest(files: Mapping[str, str], version: str = __version__) -> str:
    """``manifest.json``: the sha256 and size of every file in a version folder."""
    entries = {}
    for name in sorted(files):
        data = files[name].encode()
        entries[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    document = {"generator": "troposphere_fargate", "version": version, "files": entries}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def with_manifest(files: Mapping[str, str], version: str = __version__) -> dict[str, str]:
    """The full content of a version folder: the templates and their manifest."""
    return {**files, MANIFEST: manifest(files, version)}


def write_version(root: Path, files: Mapping[str, str], version: str = __version__) -> Path:
    """Write ``files`` and their manifest as ``root/<version>/``, replacing it in one swap.

    The new folder is written and flushed beside the old one, then renamed into place; files
    that the code no longer generates disappear with the old folder. On any error the previous
    folder is left (or put back) as it was.
    """
    root.mkdir(parents=True, exist_ok=True)
    target = root / version
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.new-", dir=root))
    retired = root / f".{version}.old-{os.getpid()}"
    try:
        for name, text in with_manifest(files, version).items():
            path = staging / name
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        staging.chmod(0o755)
        if target.exists():
            os.rename(target, retired)
        try:
            os.rename(staging, target)
        except BaseException:
            if retired.exists() and not target.exists():
                os.rename(retired, target)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)
    return target


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
