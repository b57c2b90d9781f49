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


def test_every_file_of_the_project_a_text_names_exists():
    """.taskcat.yml's header named the taskcat test at its old place, before it moved to
    tests/release/ (a newcomer's fourth trial). Every path of this project's code, tests or
    scripts that a file of the checkout names exists (CHANGELOG.md aside: it tells what was)."""
    import re

    named = re.compile(
        r"\b(?:tests|scripts|troposphere_fargate)/[\w/]+\.(?:py|json|guard|md|ya?ml)\b"
    )
    listed = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.split()
    if not listed:
        pytest.skip("not a git checkout")
    texts = [
        name
        for name in listed
        if name != "CHANGELOG.md"
        and not name.startswith("templates/")
        and name.endswith((".py", ".md", ".yml", ".yaml", ".cfg", ".toml", ".txt", "run"))
    ]
    found = {
        (name, path)
        for name in texts
        if (REPO / name).is_file()
        for path in named.findall((REPO / name).read_text(encoding="utf-8", errors="replace"))
    }
    assert len(found) > 50  # the pattern finds them
    assert sorted((name, path) for name, path in found if not (REPO / path).exists()) == []


# Each part imports only the parts below it (README, "Development"): cli > release > layers >
# cfn > errors. An import placed inside a function counts too.
ORDER = ("errors", "cfn", "layers", "release", "cli")


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "troposphere_fargate" else None


def _imports(path: Path, package: str) -> set[str]:
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            named = [node.module] if node.module else []
            module = ".".join([*base, *named] if node.level else named)
            found.add(module.rstrip("."))
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_each_part_imports_only_the_parts_below_it():
    source = REPO / "troposphere_fargate"
    upward = []
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(REPO).with_suffix("")
        dotted = ".".join(relative.parts)
        part = _part(dotted)
        if part not in ORDER:
            continue
        package = dotted if path.name == "__init__.py" else dotted.rsplit(".", 1)[0]
        package = package.removesuffix(".__init__")
        for module in _imports(path, package):
            other = _part(module)
            if other in ORDER and ORDER.index(other) > ORDER.index(part):
                upward.append(f"{dotted} imports {module}")
    # layers/errors.py keeps the old import path of the errors module working.
    assert upward == []
    # The bottom imports nothing of the package: the standard library alone.
    assert _imports(source / "errors.py", "troposphere_fargate") <= {
        "re",
        "collections.abc",
        "collections.abc.Callable",
        "collections.abc.Iterable",
        "collections.abc.Mapping",
        "dataclasses",
        "difflib",
        "functools",
        "typing",
        "typing.Any",
        "typing.TypeVar",
    }


def test_input_is_checked_with_fullmatch_never_match():
    """``$`` also matches before a final newline: ``QUEUE_NAME.match("orders\\n")`` passed, and
    a spec's ``queue: |`` block put ``orders\\n`` in the template, a queue no metric has (its
    policy then never scaled in). Every pattern that checks input (the configs, the spec) is
    applied with ``fullmatch``; a test per type checks one such value below."""
    import ast

    found = []
    for folder in ("layers", "release"):
        for path in sorted((REPO / "troposphere_fargate" / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "match"
                ):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []
