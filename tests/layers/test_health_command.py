"""Which container health check commands are warned of, and whether a suggestion does what the
words said (troposphere_fargate.layers.health_command).

ECS's healthCheck "maps to HealthCheck in the docker container create command" (ECS API
Reference, ContainerDefinition, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/
API_ContainerDefinition.html), and HealthCheck.command "must start with CMD to run the command
arguments directly, or CMD-SHELL to run the command with the container's default shell", such
as [ "CMD-SHELL", "curl -f http://localhost/ || exit 1" ] (ECS API Reference, HealthCheck,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html). Docker's forms
are '["CMD", args...]: exec arguments directly' and '["CMD-SHELL", command]: run command with
system's default shell' (Docker Engine API, HealthConfig, https://docs.docker.com/reference/api/
engine/version/v1.57/schemas/HealthConfig/), and its daemon runs CMD-SHELL as /bin/sh -c
followed by every other string (moby, daemon/health.go: append(getShell(cntr), cmdSlice...)):
a second string is the shell's $0. Without a shell, "normal shell processing does not happen.
For example, CMD [ "echo", "$HOME" ] will not do variable substitution on $HOME" (Dockerfile
reference, exec form, https://docs.docker.com/reference/dockerfile/#exec-form). POSIX sh -c
command_string [command_name [argument...]]: "command_name: A string assigned to special
parameter 0 when executing the commands in command_string"; "The positional parameters ($1, $2,
and so on) shall be set to arguments, if any" (sh, Operands,
https://pubs.opengroup.org/onlinepubs/9799919799/utilities/sh.html). Fargate runs
containers with its own agent, assumed (not verified) to do as Docker does.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from troposphere_fargate.layers.health_command import health_command_problem

SH = shutil.which("sh")
needs_sh = pytest.mark.skipif(SH is None, reason="no sh to run the suggested text")

URL = "http://localhost:8080/"
WARNED = [
    # (a) CMD-SHELL and more strings: curl would run without its URL.
    (("CMD-SHELL", "curl", "-f", URL), "shell-pieces", ("CMD-SHELL", f"curl -f {URL}")),
    (
        ("CMD-SHELL", f"curl -f {URL}", "||", "exit", "1"),
        "shell-pieces",
        ("CMD-SHELL", f"curl -f {URL} || exit 1"),
    ),
    (
        ("CMD-SHELL", "grep", "-q", "ready", "/tmp/state", "&&", "curl", URL),
        "shell-pieces",
        ("CMD-SHELL", f"grep -q ready /tmp/state && curl {URL}"),
    ),
    (
        ("CMD-SHELL", "grep -q ready /tmp/state", "||", "curl", URL),
        "shell-pieces",
        ("CMD-SHELL", f"grep -q ready /tmp/state || curl {URL}"),
    ),
    # Not provable: a string of several words after the first (one argument or shell text?),
    # an operator last or in the first string, &, a keyword or exit first, a $.
    (("CMD-SHELL", f"curl -f {URL}", "|| exit 1"), "shell-pieces", None),
    (("CMD-SHELL", "grep", "-q", "ready now", "/tmp/state"), "shell-pieces", None),
    (("CMD-SHELL", "/bin/check", "&&"), "shell-pieces", None),
    (("CMD-SHELL", "/bin/check || exit 1", "--verbose"), "shell-pieces", None),
    (("CMD-SHELL", "/bin/check", "&"), "shell-pieces", None),
    (("CMD-SHELL", "if", "test", "-f", "/tmp/up"), "shell-pieces", None),
    (("CMD-SHELL", "while", "true"), "shell-pieces", None),
    (("CMD-SHELL", "{", "/bin/check"), "shell-pieces", None),
    (("CMD-SHELL", "exit", "0"), "shell-pieces", None),
    (("CMD-SHELL", "curl", "x", "||", "if"), "shell-pieces", None),
    (("CMD-SHELL", "echo", "${HOME"), "shell-pieces", None),
    # (b) CMD whose program's name holds a space: no program has that name.
    (("CMD", "/bin/check --ready"), "spaced-program", ("CMD", "/bin/check", "--ready")),
    (("CMD", f"curl -f {URL}"), "spaced-program", ("CMD", "curl", "-f", URL)),
    (
        ("CMD", "/usr/local/bin/node healthcheck.js"),
        "spaced-program",
        ("CMD", "/usr/local/bin/node", "healthcheck.js"),
    ),
    (
        ("CMD", "/app/server healthcheck", "--quiet"),
        "spaced-program",
        ("CMD", "/app/server", "healthcheck", "--quiet"),
    ),
    (("CMD", f"curl -f {URL} || exit 1"), "spaced-program", None),
    (("CMD", f"curl -f {URL}health?a=1&b=2"), "spaced-program", None),
    (("CMD", "grep -q 'ready now' /tmp/state"), "spaced-program", None),
    (("CMD", "pg_isready -U $POSTGRES_USER"), "spaced-program", None),
    (("CMD", "exit 0"), "spaced-program", None),  # a shell builtin, no program
    (("CMD", "cd /app"), "spaced-program", None),
    # (c) || or && after CMD: no shell reads them.
    (("CMD", "curl", "-f", URL, "||", "exit", "1"), "operator-argument", None),
    (("CMD", "/bin/check", "&&", "/bin/ready"), "operator-argument", None),
    # (d) a whole argument $NAME or ${NAME} after CMD: no shell expands it.
    (("CMD", "pg_isready", "-U", "$POSTGRES_USER"), "variable-argument", None),
    (("CMD", "pg_isready", "-U", "${POSTGRES_USER}"), "variable-argument", None),
    # (e) a shell run by CMD with -c and more strings after its script.
    (("CMD", "/bin/sh", "-c", "curl", "-f", URL), "shell-pieces", None),
    (("CMD", "sh", "-c", f"curl -f {URL}", "||", "exit", "1"), "shell-pieces", None),
    (("CMD", "/usr/bin/env", "bash", "-ec", f"curl -f {URL}", "|| exit 1"), "shell-pieces", None),
]
NOT_WARNED = [
    ("CMD-SHELL", f"curl -f {URL} || exit 1"),
    ("CMD", "/bin/check", "--ready"),
    ("CMD", "curl", "-f", f"{URL}health?a=1&b=2"),
    # The review's false positives: each a correct check, or one that means what it says.
    ("CMD", "grep", "-q", ">", "/tmp/x"),  # looks for the character >
    ("CMD", "find", "/srv", "-name", "ready", "-exec", "test", "-s", "{}", ";"),
    ("CMD", "jq", "-e", "$ENV.READY", "/tmp/state.json"),  # jq's $ENV
    ("CMD", "sqlcmd", "-P", "Pa$sw0rd", "-Q", "SELECT 1"),  # a password with a $
    ("CMD", "awk", "{print $NF}", "/tmp/state"),
    ("CMD", "php", "-r", "exit(getenv('READY') ? 0 : 1);"),
    ("CMD", "perl", "-e", "exit($ENV{READY} ? 0 : 1)"),
    ("CMD", "node", "-e", "console.log(`${process.pid}`)"),
    ("CMD", "/bin/check", "|"),
    ("CMD", "/bin/check", ";"),
    ("CMD", "curl", URL, ">/dev/null", "2>&1"),
    ("CMD", "$APP_HOME/bin/check"),
    # A shell run with -c reads its script as shell text, on purpose.
    ("CMD", "/bin/sh", "-c", f"curl -f {URL} || exit 1"),
    ("CMD", "sh", "-c", "pg_isready -U $POSTGRES_USER"),
    ("CMD", "/usr/bin/env", "bash", "-ec", "curl -sf localhost:8080 > /dev/null"),
    ("CMD", "sh", "-c", 'test -f "$1"', "sh", "/tmp/ready"),
    # Strings after a command that reads $0, $1...: its arguments, on purpose; empty ones.
    ("CMD-SHELL", 'test -f "$0"', "/tmp/ready"),
    ("CMD-SHELL", 'test -f "${1}"', "unused", "/tmp/ready"),
    ("CMD-SHELL", f"curl -f {URL}", ""),
    # A path with a space in a folder's name: a / after the first space.
    ("CMD", "/opt/My App/check"),
    ("CMD", "/opt/My App/bin/check --ready"),
    ("CMD", "/usr/bin/env python3 /app/check.py"),
]


@pytest.mark.parametrize(("command", "kind", "suggestion"), WARNED)
def test_a_command_that_almost_surely_fails_is_warned_of(command, kind, suggestion):
    problem = health_command_problem(command)
    assert problem is not None
    assert (problem.kind, problem.suggestion) == (kind, suggestion)
    assert len(problem.message) < 230 and problem.message.count(". ") == 0  # one sentence
    written = f", write {json.dumps(list(suggestion))}" if suggestion else ""
    assert problem.message.endswith(written)
    if kind == "operator-argument":
        assert "not an operator" in problem.message
    if kind == "variable-argument":
        assert "no shell expands" in problem.message


@pytest.mark.parametrize("command", NOT_WARNED)
def test_a_command_that_may_be_right_is_not_warned_of(command):
    assert health_command_problem(command) is None


def test_the_message_names_the_problem_and_the_fix():
    problem = health_command_problem(("CMD-SHELL", "curl", "-f", "http://localhost/"))
    assert problem is not None
    assert problem.message == (
        "CMD-SHELL runs only the string after it ('curl'); the others become $0, $1: put the "
        'whole command in that one string, write ["CMD-SHELL", "curl -f http://localhost/"]'
    )


SUGGESTED = [(c, s) for c, _, s in WARNED if s]


@pytest.mark.parametrize(("command", "suggestion"), [x for x in SUGGESTED if x[1][0] == "CMD"])
def test_a_suggested_cmd_is_the_words_of_the_program_string(command, suggestion):
    assert suggestion == ("CMD", *shlex.split(command[1]), *command[2:])


def _stubs(folder: Path) -> dict[str, str]:
    """Programs that print their name and arguments, one a line, on a PATH of their own (grep
    then fails, so both sides of || and && are run)."""
    for name, status in (("curl", 0), ("grep", 1)):
        stub = folder / name
        stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "${{0##*/}}" "$@"\nexit {status}\n')
        stub.chmod(0o755)
    return {"PATH": str(folder)}


def _exec_words(words: list[str], env: dict[str, str]) -> str:
    """What the intended words give, each command run without a shell, || and && in between
    as their results decide (exit N ends the list)."""
    out, status = "", 0
    commands: list[list[str]] = [[]]
    operators = [""]
    for word in words:
        if word in ("||", "&&"):
            commands.append([])
            operators.append(word)
        else:
            commands[-1].append(word)
    for operator, command in zip(operators, commands, strict=True):
        if operator and (operator == "&&") != (status == 0):
            continue
        if command[0] == "exit":
            return out
        path = shutil.which(command[0], path=env["PATH"])
        assert path is not None, command
        done = subprocess.run([path, *command[1:]], env=env, capture_output=True, text=True)
        out, status = out + done.stdout, done.returncode
    return out


@needs_sh
@pytest.mark.parametrize(("command", "suggestion"), [x for x in SUGGESTED if x[1][0] != "CMD"])
def test_a_suggested_cmd_shell_text_parses_and_runs_the_words_written(
    command, suggestion, tmp_path: Path
):
    assert SH is not None
    text = suggestion[1]
    assert subprocess.run([SH, "-n", "-c", text]).returncode == 0
    env = _stubs(tmp_path)
    ran = subprocess.run([SH, "-c", text], env=env, capture_output=True, text=True)
    words = [*command[1].split(), *command[2:]]
    assert ran.stdout == _exec_words(words, env)
