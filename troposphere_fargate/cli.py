"""The ``troposphere-fargate`` command. The only module that prints, reads arguments or exits."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .build import MANIFEST, compare_version, generate, with_manifest, write_version
from .lint import INCLUDE_CHECKS, LINT_REGIONS, lint_templates

DEFAULT_OUTPUT = Path("templates")

EXIT_OK = 0
EXIT_FAILED = 1  # lint findings, or --check found differences


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="troposphere-fargate",
        description=(
            "Generate, validate and publish CloudFormation templates for a Fargate service "
            "without a public IP."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="render every template, validate it with cfn-lint, write templates/<version>/",
        description=(
            f"Render every template of version {__version__}, validate them all with cfn-lint "
            "(informational rules included) and write them, with a manifest.json of sha256 "
            "digests, to OUTPUT/<version>/. Nothing is written if any template has a finding: "
            "the findings are printed and the previous files stay untouched."
        ),
    )
    build.add_argument(
        "--output",
        metavar="DIR",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="folder that holds the version folders (default: %(default)s, relative to the "
        "current directory)",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and name the files whose content differs from what the "
        "code generates (use in CI to catch templates that were not rebuilt)",
    )
    build.add_argument("--quiet", "-q", action="store_true", help="print only findings and errors")
    return parser


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    files = generate()
    generated = time.perf_counter()
    findings = lint_templates(files)
    linted = time.perf_counter()
    say = (lambda *_: None) if args.quiet else print

    if findings:
        for finding in findings:
            print(finding, file=sys.stderr)
        print(
            f"cfn-lint: {len(findings)} finding(s) in {len({f.filename for f in findings})} "
            "template(s); nothing written",
            file=sys.stderr,
        )
        return EXIT_FAILED
    say(
        f"cfn-lint: 0 findings in {len(files)} template(s) "
        f"(checks {'+'.join(('E', 'W', *INCLUDE_CHECKS))}, regions {', '.join(LINT_REGIONS)})"
    )

    folder = args.output / __version__
    if args.check:
        differing = compare_version(args.output, files)
        if differing:
            print(
                f"{folder} is out of date with the code; differing files: {', '.join(differing)}\n"
                "Run `troposphere-fargate build` and commit the result.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        say(f"{folder}: {len(files) + 1} files match the code")
        return EXIT_OK

    write_version(args.output, files)
    for name, text in with_manifest(files).items():
        if name != MANIFEST:
            say(f"  {folder / name}  {len(text.encode()):>7,} bytes")
    say(f"  {folder / MANIFEST}")
    say(
        f"built {len(files)} template(s) in {time.perf_counter() - started:.2f} s "
        f"(generate {generated - started:.3f} s, lint {linted - generated:.2f} s)"
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        try:
            return _build(args)
        except OSError as exc:
            print(f"troposphere-fargate: error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    raise AssertionError(f"unhandled command {args.command}")  # argparse rejects unknown ones


def run() -> NoReturn:
    """Console entry point: :func:`main`, then leave without the interpreter's teardown.

    Everything is written and closed by then; tearing down cfn-lint's loaded rules and schemas
    object by object would add about 0.3 s to every build (measured) for nothing.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
