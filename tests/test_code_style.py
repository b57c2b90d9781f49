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


def _text_without_an_encoding(tree: object) -> list[tuple[int, str]]:
    """The calls in ``tree`` that read or write text in the locale's encoding: ``read_text``
    and ``write_text`` without an encoding, ``open`` in text mode without one, and
    ``subprocess`` with ``text=True`` (or ``universal_newlines``) without one."""
    import ast

    found = []
    for node in ast.walk(tree):  # type: ignore[arg-type]
        if not isinstance(node, ast.Call) or any(k.arg == "encoding" for k in node.keywords):
            continue
        call, given = node.func, len(node.args)
        if isinstance(call, ast.Attribute) and call.attr in ("read_text", "write_text"):
            if given < (1 if call.attr == "read_text" else 2):  # encoding is positional next
                found.append((node.lineno, call.attr))
        elif isinstance(call, ast.Name) and call.id == "open":
            mode = node.args[1] if given > 1 else None
            mode = next((k.value for k in node.keywords if k.arg == "mode"), mode)
            if not (isinstance(mode, ast.Constant) and "b" in str(mode.value)) and given < 4:
                found.append((node.lineno, "open"))
        elif any(
            k.arg in ("text", "universal_newlines")
            and isinstance(k.value, ast.Constant)
            and k.value.value is True
            for k in node.keywords
        ):
            found.append((node.lineno, "text=True"))
    return found


def test_text_is_read_and_written_as_utf_8_never_in_the_locales_encoding():
    """Python reads and writes text in the locale's encoding unless told otherwise (PEP 597):
    under ``LC_ALL=C`` (a container's usual locale) without UTF-8 mode, ``build --check``
    compared each doc with what the code generates read as ASCII, and the cost table, the
    lint verdicts and the tools' reports likewise. Every text the package and its scripts
    read or write, files and processes' output, names UTF-8."""
    import ast

    sample = ast.parse(
        "p.read_text()\np.read_text('utf-8')\np.write_text(s)\nopen(f, 'w')\nopen(f, 'rb')\n"
        "run(c, text=True)\nrun(c, text=True, encoding='utf-8')\n"
    )
    assert [line for line, _ in _text_without_an_encoding(sample)] == [1, 3, 4, 6]
    found = [
        f"{path.relative_to(REPO)}:{line}: {what}"
        for path in sorted(
            [*(REPO / "troposphere_fargate").rglob("*.py"), *(REPO / "scripts").glob("*.py")]
        )
        for line, what in _text_without_an_encoding(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


@pytest.mark.parametrize("layer", ["network", "environment", "service"])
def test_a_layer_module_docstring_names_every_parameter_rule_and_output(layer):
    """A library user reads the layer's module docstring for its parameters: the service's
    listed 30 of its 61, and network's and the environment's missed the newest ones."""
    import re

    from troposphere_fargate.layers import environment, network, service
    from troposphere_fargate.release.build import render_templates

    doc = {"network": network, "environment": environment, "service": service}[layer].__doc__
    named = set(re.findall(r"``([A-Za-z0-9<>]+)``", doc or ""))
    patterns = [re.compile(name.replace("<N>", r"\d+")) for name in named if "<N>" in name]
    template = render_templates()[layer]
    missing = [
        f"{section} {name}"
        for section in ("Parameters", "Rules", "Outputs")
        for name in template.get(section, {})
        if name not in named and not any(p.fullmatch(name) for p in patterns)
    ]
    assert missing == []
