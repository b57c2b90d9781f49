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
RegexParity.java from source): without one these tests skip, and fail under CI, whose .ci/run
installs one.

The dry run reads patterns through :func:`troposphere_fargate.cfn.java_regex.python_pattern`,
which rewrites a Java pattern for Python construct by construct and refuses what it cannot
rewrite alike: the tests below hold it to Java's verdicts, written out (checked by Java when a
JDK is here) and, with a JDK, on thousands of generated patterns and values.
"""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest

from tests import tools
from tests.layers.test_container_user import candidates
from tests.layers.test_template_bucket import ORDINARY_BUCKET_NAMES, RESERVED_BUCKET_NAMES
from troposphere_fargate.cfn.java_regex import NotReadable, python_pattern
from troposphere_fargate.layers.service import names as s
from troposphere_fargate.layers.template_bucket import BUCKET_NAME
from troposphere_fargate.release.build import render_templates

PARITY = Path(__file__).with_name("RegexParity.java")


def java_judges(cases: list[tuple[str, list[str]]]) -> list[tuple[str, list[bool]]]:
    """For each (pattern, values): Java's compile result ("ok" or its error) and, for each
    value, whether ``Pattern.compile(pattern).matcher(value).matches()``."""
    lines = []
    for pattern, values in cases:
        lines.append("P " + pattern.encode().hex())
        lines += ["V " + value.encode().hex() for value in values]
    result = subprocess.run(
        [str(tools.java()), str(PARITY)],
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
    # Python's re as written, and as the dry run reads it (the shipped patterns need no rewrite).
    for judge in (lambda p, v: re.fullmatch(p, v), lambda p, v: python_pattern(p).fullmatch(v)):
        differing = {
            where: [
                v
                for v, java in zip(values, matches, strict=True)
                if java != bool(judge(pattern, v))
            ]
            for (where, (pattern, values)), (_, matches) in zip(
                shipped.items(), judged, strict=True
            )
        }
        assert {where: values[:5] for where, values in differing.items() if values} == {}


def test_the_dry_run_reads_every_shipped_pattern():
    """Not one shipped parameter goes unchecked by ``validate``."""
    unread = {}
    for where, (pattern, _) in shipped_patterns().items():
        try:
            python_pattern(pattern)
        except NotReadable as exc:
            unread[where] = str(exc)
    assert unread == {}


def test_the_parity_check_sees_where_the_engines_differ():
    # Python's \d takes any Unicode digit, Java's only 0-9; Java refuses a lookbehind of no
    # fixed length, which Python's re refuses too; an unclosed group compiles in neither.
    (compiled, (arabic,)), (broken, _) = java_judges([(r"\d+", ["\u0661\u0662"]), ("(a", [])])
    assert compiled == "ok" and arabic is False and re.fullmatch(r"\d+", "\u0661\u0662")
    assert broken.startswith("error")


# Java's verdicts (``Pattern.compile(pattern).matcher(value).matches()``, OpenJDK 17), where
# Python's re as written judges otherwise or cannot compile the pattern. Checked by Java in
# test_the_written_out_verdicts_are_javas.
JAVA_VERDICTS = [
    (r"\d{3}", "\u0661\u0662\u0663", False),  # Arabic-Indic digits: re's \d takes them
    (r"\d{3}", "\uff11\uff12\uff13", False),  # full-width digits
    (r"\d{3}", "123", True),
    (r"\w+", "caf\u00e9", False),
    (r"\s", "\u00a0", False),
    (r"\s", "\x0b", True),
    (r".", "\r", False),  # Java's . stops at every line terminator, re's at \n alone
    (r".", "\x85", False),
    (r".", "\u2028", False),
    (r".", "\x0b", True),
    (r".", "\U0001f600", True),
    (r"abc$\r", "abc\r", True),  # $ before a final terminator: re knows \n alone
    (r"abc$\r\n", "abc\r\n", True),
    (r"abc\r$\n", "abc\r\n", False),  # not between the \r and \n of a final \r\n
    (r"abc$", "abc\n", False),
    (r"^$|^a$", "\n", False),  # a $ that ends the pattern or an alternative of it: the end
    (r"(a)$", "a\r", False),
    (r"(a$)", "a\r", False),
    (r"\p{Alpha}+", "abc", True),  # Java's POSIX classes: errors in re
    (r"\p{Alpha}+", "\u00e9", False),  # US-ASCII only
    (r"\P{Alpha}", "1", True),
    (r"[\p{Digit}x]", "x", True),
    (r"\p{Punct}", "`", True),
    (r"\p{Graph}", " ", False),
    (r"\Q.*\E", ".*", True),  # a quotation: an error in re
    (r"\Q.*\E", "ab", False),
    (r"a\Q.*", "a.*", True),  # a quotation without \E: to the end of the pattern
    (r"a\z", "a", True),  # \z: an error in re
    (r"\x{41}\e\cA", "A\x1b\x01", True),
    (r"\x{0000041}", "A", True),  # any number of digits in \x{...}: not only six
    (r"\x{10FFFF}", "\U0010ffff", True),  # the last code point: one past it is refused
    (r"\0101", "A", True),  # octal: re reads \01 and a 0
    (r"(?<name>a)b", "ab", True),  # a named group: re wants (?P<name>...)
    (r"(?i)abc", "ABC", True),
    (r"^(?i)abc$", "ABC", True),
    (r"(?i)\u00e9", "\u00c9", False),  # Java folds case in US-ASCII only
    (r"(?i)k", "\u212a", False),  # the Kelvin sign, which re folds to k
    (r"(?i:a)b", "AB", False),
    (r"[]a]", "]", True),
    (r"[a-]", "-", True),
    (r"a++", "aa", True),
    (r"a*+a", "aa", False),
    (r"(?>a|ab)c", "abc", False),
    (r".", "\u2029", False),  # the paragraph separator: a line terminator too
    (r"a$\x85", "a\x85", True),  # $ before a final \x85 or \u2029, each a line terminator
    (r"a$\u2029", "a\u2029", True),
    (r"(a$|b)\n", "a\n", True),  # a $ in a group, before a final terminator the pattern takes
    (r"\a\f", "\x07\x0c", True),  # the bell and form feed escapes
    (r"(?<!a)b", "b", True),  # a negative lookbehind
    ("\\\u00e9", "\u00e9", True),  # a backslash before a letter past ASCII: the letter
    (r"\0400", " 0", True),  # octal up to \0377: \040 and a 0
    (r"[a-a]", "a", True),  # a range of one character
    (r"[]-a]", "^", True),  # a "]" first starts a range
    (r"[\--/]", ".", True),  # an escaped character, a control escape or \c starts a range
    (r"[\t-\r]", "\x0b", True),
    (r"[\cA-\cC]", "\x02", True),
    ("\\c\u00e9", "\u00a9", True),  # \c of a letter past ASCII: its code point ^ 64
    (r"[--/]", ".", True),  # a "-" first starts a range too
]

# Patterns Java reads in a way not rewritten here, or refuses: the dry run says so, unchecked.
NOT_READ = [
    (r"\p{L}+", r"\p{L} at 0: a Unicode property"),
    (r"\pL+", r"\p{L} at 0: a Unicode property"),  # a one-letter name without braces
    (r"\bword\b", r"\b at 0: a word boundary"),
    (r"(a)\1", r"\1 at 3: a backreference"),
    (r"[a-z&&[^aeiou]]", "&& at 4: a union or intersection of classes"),
    (r"[[:alpha:]]+", "[ at 1: a union or intersection of classes"),
    (r"(?s).", "(? at 0: a flag other than a leading i"),
    (r"a(?i)b", "(? at 1: a flag other than a leading i"),
    (r"\v", r"\v at 0: a Unicode class of Java's"),
    (r"\Z", r"\Z at 0: the end but for a final line terminator"),
    (r"a{,5}", "{ at 1: Java refuses a { that starts no repetition"),
    (r"a{2147483648}", "{ at 1: Java refuses a bound past 2147483647"),  # re takes it
    (r"a{0,3000000000}", "{ at 1: Java refuses a bound past 2147483647"),
    (r"{a}", "{ at 0: Java refuses"),
    (r"[c-a]", "- at 2: Java refuses a range"),
    (r"[a-\d]", "- at 2: Java refuses a range"),
    (r"[\w-z]", "- at 3: after a class or a range inside a class"),
    (r"a[", "[ at 1: Java refuses a class that is never closed"),
    (r"\y", r"\y at 0: Java refuses an escape it does not define"),
    (r"\u00", r"\u at 0: Java refuses it without four hexadecimal digits"),
    ("a\\", r"\ at 1: Java refuses a pattern that ends in a backslash"),
    (r"(?<=a+)b", "Python cannot compile it as Java reads it: look-behind requires fixed-width"),
    (r"(?<1a>x)", "(? at 0: a flag other than a leading i, or no group Java has"),  # Java refuses
    (r"[\z]", r"\z at 1: Java refuses an escape it does not define"),  # \A, \z: not in a class
    (r"[\Qab\E]", r"\Q at 1: a quotation inside a class"),
    (r"\x4", r"\x at 0: Java refuses it without two hexadecimal digits"),
    (r"\u041", r"\u at 0: Java refuses it without four hexadecimal digits"),
    (r"a\c", r"\c at 1: Java refuses an escape it does not define"),
    # Java reads \uD83D\uDE00 as one character (U+1F600), Python as two: neither is read.
    (r"\uD800\uDFFF", r"\u at 0: a surrogate, or past U+10FFFF"),
    (r"[\uDFFF]", r"\u at 1: a surrogate, or past U+10FFFF"),
    (r"[\P{Alpha}]", r"\P{Alpha} at 1: a negated class inside a class"),
    (r"[a-c-e]", "- at 4: after a class or a range inside a class"),  # Java: a-c, "-" and e
]


@pytest.mark.parametrize(("pattern", "value", "java"), JAVA_VERDICTS)
def test_the_dry_run_judges_a_pattern_as_java_does(pattern, value, java):
    assert bool(python_pattern(pattern).fullmatch(value)) is java


@pytest.mark.parametrize(("pattern", "says"), NOT_READ)
def test_a_pattern_not_read_as_java_reads_it_is_not_read_at_all(pattern, says):
    with pytest.raises(NotReadable) as refused:
        python_pattern(pattern)
    assert str(refused.value).startswith(says)


def test_the_written_out_verdicts_are_javas():
    judged = java_judges([(pattern, [value]) for pattern, value, _ in JAVA_VERDICTS])
    assert [(c, m[0]) for c, m in judged] == [("ok", java) for _, _, java in JAVA_VERDICTS]
    differing_in_re = 0
    for pattern, value, java in JAVA_VERDICTS:
        try:
            differing_in_re += bool(re.fullmatch(pattern, value)) != java
        except re.error:
            differing_in_re += 1
    assert differing_in_re >= len(JAVA_VERDICTS) // 2  # the table is of where the engines differ


def test_a_final_dollar_is_read_as_the_end_of_input():
    """Under ``matches()`` a ``$`` that ends the pattern, or one of its alternatives, holds at
    the end of input alone (the verdicts above), so it is ``\\Z``: the lookarounds that read a
    ``$`` standing before a final line terminator cost more to compile than the rest of a
    pattern (validate compiles some 30 AllowedPatterns for root.yaml)."""
    assert python_pattern(r"^[a-z]+$").pattern == r"^[a-z]+\Z"
    assert python_pattern(r"^$|^(a|b)$").pattern == r"^\Z|^(a|b)\Z"
    assert python_pattern(r"(a$)").pattern != r"(a\Z)"
    assert python_pattern(r"(?i)a$").pattern == r"a\Z"  # a leading (?i) opens no group


def test_the_dry_run_reads_what_java_compiles_at_the_edges_of_its_syntax():
    """Java reads a repetition's bounds as ints ("Illegal repetition range" past 2147483647,
    where Python's re takes up to 4294967294) and any number of digits in \\x{...}: the
    rewrite reads a pattern exactly when Java compiles it."""
    patterns = [r"a{2147483647}", r"a{2147483648}", r"a{0,3000000000}", r"\x{0000041}"]
    patterns += [r"\x{110000}", r"\x{41}"]
    judged = java_judges([(pattern, []) for pattern in patterns])
    java = {
        pattern: compiled == "ok" for pattern, (compiled, _) in zip(patterns, judged, strict=True)
    }
    read = {}
    for pattern in patterns:
        try:
            read[pattern] = python_pattern(pattern) is not None
        except NotReadable:
            read[pattern] = False
    assert read == java
    assert list(java.values()) == [True, False, False, True, False, True]


def test_every_posix_class_takes_the_characters_java_s_does():
    """Java's POSIX classes (\\p{Alpha}, \\P{Alpha} and in a class), US-ASCII only: each judged
    by both on every ASCII character and a few past it."""
    names = ["Lower", "Upper", "ASCII", "Alpha", "Digit", "Alnum", "Punct", "Graph", "Print"]
    names += ["Blank", "Cntrl", "XDigit", "Space"]
    values = [chr(code) for code in range(128)] + ["\x85", "\xa0", "\u00e9", "\u0663", "\u2028"]
    patterns = [p for n in names for p in (f"\\p{{{n}}}", f"\\P{{{n}}}", f"[\\p{{{n}}}]")]
    judged = java_judges([(pattern, values) for pattern in patterns])
    differing = {
        pattern: [
            v for v, java in zip(values, matches, strict=True) if java != bool(python.fullmatch(v))
        ]
        for pattern, (_, matches) in zip(patterns, judged, strict=True)
        for python in [python_pattern(pattern)]
    }
    assert {pattern: found for pattern, found in differing.items() if found} == {}


# Pieces of generated patterns: what each construct the rewrite reads looks like in a pattern.
_ATOMS = [
    *("a", "b", "A", "k", "s", "\u00e9", "\U0001f600", r"\.", r"\-", r"\\", r"\$", "."),
    *(r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", r"\x41", r"\u00e9", r"\x{1F600}", r"\0101"),
    *(r"\t", r"\n", r"\r", r"\e", r"\cI", r"\Q.*\E", r"\p{Alpha}", r"\p{Punct}", r"\P{Digit}"),
    *("[a-z]", "[^a-z]", "[A-Za-z0-9_-]", "[]a]", "[^]]", "[-a]", "[a-]", "[.$^]", r"[\s\S]"),
    *(r"[^\s]", r"[\w.]", "[\U0001f600\u00e9]", r"[\\]", r"[\]]", r"[\p{Lower}0-9]"),
    *(r"[\x00-\x1f]", r"[^\x00-\x1f]", r"[\u2028]", "^", "$", r"\A", r"\z"),
]
_QUANTIFIERS = ["", "", "", "*", "+", "?", "{2}", "{0,3}", "{1,}", "*?", "+?", "*+", "{1,2}+"]
_GROUPS = ["(", "(?:", "(?=", "(?!", "(?>", "(?<g>", "(?i:"]
_CHARACTERS = [*"abAZk09-_./: *$^][\\", *"\n\r\t\x0b\x85\u2028\x00\x7f", *"\u00e9\u00c9\u0663"]
_CHARACTERS += ["\uff13", "\U0001f600", "\u212a", "\u017f"]


def _generated(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.65 or depth > 2:
            parts.append(rng.choice(_ATOMS) + rng.choice(_QUANTIFIERS))
            continue
        inner = _generated(rng, depth + 1)
        if rng.random() < 0.4:
            inner += "|" + _generated(rng, depth + 1)
        group = rng.choice(_GROUPS).replace("<g>", f"<g{len(parts)}x{depth}>")
        parts.append(group + inner + ")" + rng.choice(_QUANTIFIERS))
    pattern = "".join(parts)
    if depth == 0 and rng.random() < 0.15:
        pattern = "(?i)" + pattern
    return "^" + pattern + "$" if depth == 0 and rng.random() < 0.2 else pattern


def test_generated_patterns_and_values_get_javas_verdicts():
    """1,500 patterns of the constructs the rewrite reads, nested, quantified and alternated,
    each judged on 12 values of characters where Java and re differ (line terminators,
    non-ASCII digits and letters, the Kelvin sign, an emoji): the rewrite takes or refuses
    exactly what Java does, or does not read the pattern (a quantified anchor, which Java
    takes and re does not compile, for one), and never reads one Java refuses."""
    rng = random.Random(20261206)
    cases = [
        (
            _generated(rng),
            ["".join(rng.choice(_CHARACTERS) for _ in range(rng.randint(0, 5))) for _ in range(12)],
        )
        for _ in range(1500)
    ]
    judged = java_judges(cases)
    read = differing = 0
    for (pattern, values), (compiled, matches) in zip(cases, judged, strict=True):
        try:
            python = python_pattern(pattern)
        except NotReadable:
            continue
        assert compiled == "ok", pattern
        read += 1
        differing += sum(
            bool(python.fullmatch(v)) != java for v, java in zip(values, matches, strict=True)
        )
    assert differing == 0
    assert read > 1000  # most of them are read: the rewrite does not dodge by refusing
