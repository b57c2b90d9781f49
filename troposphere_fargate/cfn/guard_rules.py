"""Which guard rule files can find anything in a set of templates: the rest only skip.

Each of AWS Control Tower's 237 rule files is about one or a few resource types. Its rules run
``when`` the template has a resource of one of them (``%resources not empty``, where
``resources`` is a ``Resources.*[ Type == ... ]`` selection), or when the input is a hook's
resource of that type (``is_cfn_hook``); otherwise they are not evaluated and report SKIP
("If rule_name_A evaluates to FAIL, the Guard rules encapsulated by rule_name_B are not
evaluated. rule_name_B evaluates to SKIP", AWS CloudFormation Guard User Guide, "Composing
named-rule blocks": https://docs.aws.amazon.com/cfn-guard/latest/ug/named-rule-block-composition.html).
A file whose types no template names can only skip, so ``check`` runs the others alone and finds
the same violations: on the shipped templates, 41 files of 237, 7.35 s of cfn-guard -> 2.41 s.

A file is left out only when every one of its top-level rules has one of those two shapes, read
here from its text; a file of any other shape (a bare clause, a rule without ``when``, a
condition with ``or``, a helper rule of another body, a ``let`` of anything but one value, a
string or regular expression over two lines) always runs. A file left out is not run: a mistake
inside one of its rules is not reported on that run. Types are read from every key
and string of each template, wherever they are (a ``Fn::ForEach`` body, a hook's input), so a
template keeps every rule about a type it names anywhere.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TYPE_NAME = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")

# What is not code, read left to right as cfn-guard reads it: a custom message, a string, a
# regular expression, a comment.
_NOT_CODE = re.compile(
    r"(?P<message><<.*?>>)"
    r"|(?P<string>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
    r"|(?P<regex>/(?:[^/\\\n]|\\.)+/)"
    r"|(?P<comment>#[^\n]*)",
    re.DOTALL,
)
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_LET = re.compile(rf"let\s+({_NAME})\s*:?=\s*(.*)", re.DOTALL)  # = and := both assign
# What a let may hold here, strings and regexes read as @ tokens: the document, a scalar, a
# list of scalars or a selection of resources by type (every let of the 237 files is one).
_SCALAR = r"(?:@\d+|@r|-?\d+(?:\.\d+)?|true|false)"
_VALUE = re.compile(rf"this|{_SCALAR}|\[\s*(?:{_SCALAR}(?:\s*,\s*{_SCALAR})*)?\s*\]")
_SELECTION = re.compile(
    rf"Resources(?:\.\*)?\[\s*Type\s*==\s*(%{_NAME}|@\d+)"
    rf"(?:\s+or\s+Type\s*==\s*(?:%{_NAME}|@\d+))*\s*\]"
)
_TEMPLATE_RULE = re.compile(
    rf"rule\s+{_NAME}\s+when\s+is_cfn_template\(\s*(?:%INPUT_DOCUMENT|this)\s*\)"
    rf"\s+%({_NAME})\s+not\s+empty\s*\{{\}}"
)
_HOOK_RULE = re.compile(
    rf"rule\s+{_NAME}\s+when\s+is_cfn_hook\(\s*%INPUT_DOCUMENT\s*,\s*%({_NAME})\s*\)\s*\{{\}}"
)
_HELPER_RULE = re.compile(rf"rule\s+({_NAME})\s*\([^()]*\)\s*\{{\}}")
# The two helpers the conditions call, as Control Tower writes them (strings and comments out).
_HELPERS = {
    "is_cfn_template": re.compile(
        rf"rule\s+is_cfn_template\(\s*({_NAME})\s*\)\s*\{{\s*%\1\s*\{{\s*AWSTemplateFormatVersion"
        r"\s+exists\s+or\s+Resources\s+exists\s*\}\s*\}"
    ),
    "is_cfn_hook": re.compile(
        rf"rule\s+is_cfn_hook\(\s*({_NAME})\s*,\s*({_NAME})\s*\)\s*\{{\s*%\1\.%\2\."
        r"resourceProperties\s+exists\s*\}"
    ),
}


def template_types(templates: Iterable[Any]) -> set[str]:
    """Every resource type named anywhere in the parsed ``templates``: in a key or a string,
    at any depth."""
    found: set[str] = set()
    stack = list(templates)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and "::" in node:
            found.update(TYPE_NAME.findall(node))
    return found


def _collapse_blocks(text: str) -> str | None:
    """``text`` with every ``{...}`` at the top level emptied to ``{}``; None when its brackets
    do not balance."""
    out: list[str] = []
    depth = 0
    pairs = {"}": "{", ")": "(", "]": "["}
    opened: list[str] = []
    for char in text:
        if char in "{([":
            opened.append(char)
            if char == "{":
                depth += 1
                if depth == 1:
                    out.append("{")
                continue
        elif char in pairs:
            if not opened or opened.pop() != pairs[char]:
                return None
            if char == "}":
                depth -= 1
                if depth == 0:
                    out.append("}")
                continue
        if depth == 0:
            out.append(char)
    return "".join(out) if not opened else None


def _statements(top: str) -> list[str] | None:
    """The top-level statements of collapsed rule text: each ``let`` (to the end of its line,
    or of its brackets) and each ``rule`` (to its ``{}``); None when anything else is there."""
    statements: list[str] = []
    at = 0
    while True:
        while at < len(top) and top[at].isspace():
            at += 1
        if at == len(top):
            return statements
        if top.startswith("rule", at) and top[at + 4 : at + 5].isspace():
            end = top.find("{}", at)
            if end < 0:
                return None
            statements.append(top[at : end + 2])
            at = end + 2
        elif top.startswith("let", at) and top[at + 3 : at + 4].isspace():
            end, depth = at, 0
            while end < len(top) and (depth or top[end] != "\n"):
                depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(top[end], 0)
                end += 1
            statements.append(top[at:end])
            at = end
        else:
            return None


@functools.lru_cache(maxsize=1024)
def _guarded_types(text: str) -> frozenset[str] | None:
    """The resource types a rule file's top-level rules are about, when each of them only runs
    on a template with a resource of one of those types or a hook's input of one; None for a
    file of another shape (it may find something in any template)."""
    literals: list[str] = []

    def code(match: re.Match[str]) -> str:
        if match.group("string"):
            literals.append(match.group()[1:-1])
            return f"@{len(literals) - 1}"  # a string, as a token that names it
        return "@r" if match.group("regex") else " "

    text = _NOT_CODE.sub(code, text)
    if re.search(r"[\"'/]|<<|>>", text):
        return None  # a string, regex or message that spans lines, as cfn-guard's may
    top = _collapse_blocks(text)
    statements = None if top is None else _statements(top)
    if statements is None:
        return None
    bound: dict[str, str] = {}
    for statement in statements:
        if not statement.startswith("let"):
            continue
        let = _LET.fullmatch(statement)
        value = "" if let is None else let.group(2).strip()
        if let is None or not (_VALUE.fullmatch(value) or _SELECTION.fullmatch(value)):
            return None  # a let of another form, or more on its line than one value
        if let.group(1) in bound:
            return None  # bound twice: which binding a rule reads is not clear here
        bound[let.group(1)] = value

    def type_of(token: str) -> str | None:
        value = bound.get(token[1:], "") if token.startswith("%") else token
        if re.fullmatch(r"@\d+", value) and TYPE_NAME.fullmatch(literals[int(value[1:])]):
            return literals[int(value[1:])]
        return None

    types: set[str] = set()
    helpers: set[str] = set()  # the parameterized rules defined
    if "%INPUT_DOCUMENT" in text and bound.get("INPUT_DOCUMENT") != "this":
        return None  # the conditions read it: it must be the document
    for statement in statements:
        if statement.startswith("let"):
            continue
        if helper := _HELPER_RULE.fullmatch(statement):
            helpers.add(helper.group(1))
            continue
        if rule := _TEMPLATE_RULE.fullmatch(statement):
            selection = _SELECTION.fullmatch(bound.get(rule.group(1), ""))
            if selection is None:
                return None
            tokens = re.findall(rf"%{_NAME}|@\d+", selection.group())
            named = [type_of(token) for token in tokens]
            if None in named:
                return None
            types.update(name for name in named if name)
        elif rule := _HOOK_RULE.fullmatch(statement):
            hooked = type_of(f"%{rule.group(1)}")
            if hooked is None:
                return None
            types.add(hooked)
        else:
            return None
    return frozenset(types) if _helpers_as_written(text, helpers) else None


def _helpers_as_written(text: str, defined: set[str]) -> bool:
    """Whether the helpers the conditions call are Control Tower's own, once each."""
    for name, shape in _HELPERS.items():
        bodies = shape.findall(text)
        if name in defined and len(bodies) != 1:
            return False
        if name not in defined and re.search(rf"\b{name}\b", text):
            return False  # called, but defined nowhere or in another form
        if len(re.findall(rf"rule\s+{name}\b", text)) > 1:
            return False
    return True


def rule_files(rules: Path) -> list[Path]:
    """The rule files cfn-guard reads in ``rules`` (a file, or a folder and its subfolders:
    ``.guard`` and ``.ruleset`` files, as its ``--rules`` help says)."""
    if rules.is_file():
        return [rules]
    return sorted(p for p in rules.rglob("*") if p.suffix in (".guard", ".ruleset"))


def applicable_rules(files: Iterable[Path], templates: Iterable[Any]) -> list[Path]:
    """The rule ``files`` (see :func:`rule_files`) that may find something in the parsed
    ``templates``: every file but those whose every rule is about types none of them names (see
    above)."""
    named = template_types(templates)
    kept = []
    for path in files:
        guarded = _guarded_types(path.read_text(encoding="utf-8", errors="replace"))
        if guarded is None or guarded & named:
            kept.append(path)
    return kept
