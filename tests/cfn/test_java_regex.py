"""Every parameter pattern means the same to CloudFormation as to the dry run.

"All regular expressions in CloudFormation conform to the Java regex syntax ...
java.util.regex.Pattern" (CloudFormation User Guide, "Using regular expressions in
CloudFormation templates"), and a parameter's value must match its AllowedPattern whole; the
dry run (``validate``, ``diff --set``, the tests' ``deployed``) reads the same pattern with
Python's ``re.fullmatch``. The two engines differ at the edges (lookaround, Unicode classes,
``$`` before a final newline, what fails to compile), so each AllowedPattern of every shipped
template is compiled by Java here, and both engines judge the same values: its default, the
empty string, variations of them, and for ``ContainerUser`` the candidates of
tests/layers/test_container_user.py up to four characters long. Needs a JDK (``java`` runs
RegexParity.java from source).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.layers.test_container_user import candidates
from tests.layers.test_template_bucket import ORDINARY_BUCKET_NAMES, RESERVED_BUCKET_NAMES
from troposphere_fargate.layers.service import names as s
from troposphere_fargate.layers.template_bucket import BUCKET_NAME
from troposphere_fargate.release.build import render_templates

JAVA = shutil.which("java")
pytestmark = pytest.mark.skipif(JAVA is None, reason="no java: CloudFormation's regex is Java's")
PARITY = Path(__file__).with_name("RegexParity.java")


def java_judges(cases: list[tuple[str, list[str]]]) -> list[tuple[str, list[bool]]]:
    """For each (pattern, values): Java's compile result ("ok" or its error) and, for each
    value, whether ``Pattern.compile(pattern).matcher(value).matches()``."""
    lines = []
    for pattern, values in cases:
        lines.append("P " + pattern.encode().hex())
        lines += ["V " + value.encode().hex() for value in values]
    assert JAVA is not None
    result = subprocess.run(
        [JAVA, str(PARITY)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answers = iter(result.stdout.splitlines())
    return [(next(answers), [next(answers) == "1" for _ in values]) for _, values in cases]


def probes(default: str | None) -> list[str]:
    base = [default] if default else []
    varied = [v for d in base for v in (d + "\n", "\n" + d, d + " ", d.upper(), d[:-1], d + "0")]
    return [*base, *varied, "", "\n", "0", "a", "-", "\u0661\u0662", "é"]


def shipped_patterns() -> dict[str, tuple[str, list[str]]]:
    """``template/parameter`` -> (AllowedPattern, the values both engines judge)."""
    found = {}
    for template, body in render_templates().items():
        for name, spec in body.get("Parameters", {}).items():
            if "AllowedPattern" in spec:
                values = probes(spec.get("Default"))
                if name == s.CONTAINER_USER:
                    values += candidates(longest=4)
                if name == BUCKET_NAME:  # its lookaheads: the names S3 reserves, and near ones
                    values += [*RESERVED_BUCKET_NAMES, *ORDINARY_BUCKET_NAMES]
                if name == s.LISTENER_RULE_PATH:  # its lookahead: five wildcards, and six
                    values += ["/a*/b*/c*/d*/e*", "/a*/b*/c*/d*/e*/f*", "/?????", "/??????"]
                found[f"{template}/{name}"] = (str(spec["AllowedPattern"]), values)
    return found


def test_every_allowed_pattern_compiles_and_judges_alike_in_java_and_python():
    shipped = shipped_patterns()
    assert f"service/{s.CONTAINER_USER}" in shipped and len(shipped) > 50
    judged = java_judges(list(shipped.values()))
    not_compiled = {k: c for k, (c, _) in zip(shipped, judged, strict=True) if c != "ok"}
    assert not_compiled == {}
    differing = {
        where: [
            v
            for v, java in zip(values, matches, strict=True)
            if java != bool(re.fullmatch(pattern, v))
        ]
        for (where, (pattern, values)), (_, matches) in zip(shipped.items(), judged, strict=True)
    }
    assert {where: values[:5] for where, values in differing.items() if values} == {}


def test_the_parity_check_sees_where_the_engines_differ():
    # Python's \d takes any Unicode digit, Java's only 0-9; Java refuses a lookbehind of no
    # fixed length, which Python's re refuses too; an unclosed group compiles in neither.
    (compiled, (arabic,)), (broken, _) = java_judges([(r"\d+", ["\u0661\u0662"]), ("(a", [])])
    assert compiled == "ok" and arabic is False and re.fullmatch(r"\d+", "\u0661\u0662")
    assert broken.startswith("error")
