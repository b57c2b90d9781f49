"""ruff and mypy (strict) pass on the code; they are test extras, so this runs everywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_passes(command):
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _resolves(dotted: str) -> bool:
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_every_full_name_a_docstring_points_at_exists():
    """Docstrings named troposphere_fargate.endpoints.INTERFACE_SERVICES and
    troposphere_fargate.parts.suppress, which moved long ago: a reader who followed them
    found nothing."""
    import re

    reference = re.compile(
        r":(?:func|data|class|meth|attr|exc|mod):`~?(troposphere_fargate\.[\w.]+)`"
    )
    found = [
        (str(path.relative_to(REPO)), match.group(1))
        for path in sorted((REPO / "troposphere_fargate").rglob("*.py"))
        for match in reference.finditer(path.read_text(encoding="utf-8"))
    ]
    assert len(found) > 30  # the pattern finds them
    assert [(path, name) for path, name in found if not _resolves(name)] == []
