"""Which container health check commands are almost surely a mistake, and what to write instead.

A command is Docker's ``HealthConfig.Test``, which ECS's ``healthCheck`` maps to:
``["CMD", args...]`` runs the program without a shell; ``["CMD-SHELL", command]`` runs
``/bin/sh -c`` followed by every later string (moby, daemon/health.go), so a second string is
the shell's ``$0``, not part of the command. Fargate's agent is assumed to do the same (not
verified). Only what is almost surely wrong is reported, and a replacement only when it means
what the words said: when in doubt, nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

# Characters shlex.quote leaves unquoted: a word made of them reads the same to a shell.
_PLAIN = re.compile(r"[\w@%+=:,./-]+", re.ASCII)
_OPERATORS = ("||", "&&")
# A shell command that reads its positional parameters takes the later strings on purpose.
_POSITIONAL = re.compile(r"\$\{?[0-9@*#]")
_VARIABLE = re.compile(r"\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})", re.ASCII)
_SHELLS = ("sh", "bash", "ash", "dash", "ksh", "mksh", "zsh")
_COMMAND_OPTION = re.compile(r"-[A-Za-z]*c[A-Za-z]*")
# Words that start no simple command: joined text starting with one is a syntax error.
_KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while"}
_KEYWORDS |= {"until", "for", "in", "{", "}", "!", "[["}
# Shell builtins no image has a program of: ["CMD", "exit", "0"] runs nothing.
_BUILTINS = {"exit", "cd", "export", "source", ".", "set", "unset", "ulimit", "trap", "eval"}
_BUILTINS |= {"exec", "return", "shift", "read", "wait"}

Kind = Literal["shell-pieces", "spaced-program", "operator-argument", "variable-argument"]


@dataclass(frozen=True)
class HealthCommandProblem:
    """What is wrong (``kind``, ``message``: one sentence) and, when proven, ``suggestion``."""

    kind: Kind
    message: str
    suggestion: tuple[str, ...] | None = None


def _name(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def _shell_script(args: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """The script and the strings after it when ``args`` (after CMD) run a shell with -c (the
    shell itself or ``env`` and the shell); None otherwise."""
    if args and _name(args[0]) == "env":
        args = args[1:]
    if not args or _name(args[0]) not in _SHELLS:
        return None
    options = list(args[1:])
    with_c = False
    while options and options[0][:1] in "-+" and options[0] not in ("-", "--"):
        with_c = with_c or bool(_COMMAND_OPTION.fullmatch(options.pop(0)))
    if options[:1] == ["--"]:
        options.pop(0)
    return (options[0], tuple(options[1:])) if with_c and options else None


def _joined(first: str, rest: tuple[str, ...]) -> str | None:
    """The CMD-SHELL text of ``first`` (plain words) and ``rest`` (each a plain word, || or &&,
    an operator between words), when the first word reads as a command; None otherwise."""
    words = first.split()
    if not words or not all(_PLAIN.fullmatch(w) for w in words) or words[0] in _KEYWORDS | {"exit"}:
        return None
    previous = words[-1]
    for word in rest:
        if word in _OPERATORS:
            if previous in _OPERATORS:
                return None
        elif not _PLAIN.fullmatch(word) or (previous in _OPERATORS and word in _KEYWORDS):
            return None
        previous = word
    return None if previous in _OPERATORS else " ".join((*words, *rest))


def _write(suggestion: tuple[str, ...] | None) -> str:
    return f", write {json.dumps(list(suggestion))}" if suggestion else ""


def _pieces(first: str, rest: tuple[str, ...], shell: str = "") -> HealthCommandProblem | None:
    """CMD-SHELL (or, named ``shell``, a shell run by CMD with -c) and more strings."""
    if not any(rest) or _POSITIONAL.search(first):
        return None
    text = None if shell else _joined(first, rest)
    suggestion = ("CMD-SHELL", text) if text else None
    return HealthCommandProblem(
        "shell-pieces",
        f"{f'{shell} -c' if shell else 'CMD-SHELL'} runs only the string after it "
        f"({first!r}); the others become $0, $1: put the whole command in that one string"
        + _write(suggestion),
        suggestion,
    )


def _spaced_program(program: str, rest: tuple[str, ...]) -> HealthCommandProblem | None:
    space = re.search(r"\s", program)
    if space is None or (program.startswith("/") and "/" in program[space.start() :]):
        return None  # no space, or a path with a space in a folder's name
    words = program.split()
    plain = words and all(_PLAIN.fullmatch(w) for w in words)
    command = plain and words[0] not in _BUILTINS | _KEYWORDS
    suggestion = ("CMD", *words, *rest) if command else None
    fix = "give each argument its own string" if suggestion else "use CMD-SHELL for shell text"
    return HealthCommandProblem(
        "spaced-program",
        f"CMD runs {program!r} as one program's name, spaces included (no shell splits it): "
        f"{fix}{_write(suggestion)}",
        suggestion,
    )


def health_command_problem(command: tuple[str, ...]) -> HealthCommandProblem | None:
    """What is almost surely wrong with a container health check's ``command`` (None when
    nothing is): CMD-SHELL followed by more strings, which become the shell's $0, $1 (unless
    the command reads them, or they are empty); CMD whose program's name holds a space (not a
    path with a space in a folder's name, ``/opt/My App/check``); CMD, not running a shell
    with -c, with an argument ``||``, ``&&``, ``$NAME`` or ``${NAME}``, which no shell reads;
    a shell run by CMD with -c and more strings after its script. A suggestion is given only
    when it runs the words written: plain words (and || or && between them after CMD-SHELL)."""
    kind, first, *others = command
    rest = tuple(others)
    if kind == "CMD-SHELL":
        return _pieces(first, rest)
    if problem := _spaced_program(first, rest):
        return problem
    if script := _shell_script(command[1:]):
        return _pieces(script[0], script[1], _name(first))
    for word in rest:
        if word in _OPERATORS:
            return HealthCommandProblem(
                "operator-argument",
                f"CMD runs {first!r} without a shell, so {word!r} is only an argument to it, "
                "not an operator: put the whole command in one string after CMD-SHELL",
            )
        if _VARIABLE.fullmatch(word):
            return HealthCommandProblem(
                "variable-argument",
                f"CMD runs {first!r} without a shell, so no shell expands {word!r} (it is "
                "passed as written): put the whole command in one string after CMD-SHELL",
            )
    return None
