"""The ``troposphere-fargate`` command. The only module that prints, reads arguments or exits."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .cfn.diff import DiffError
from .cfn.guard import PolicyToolMissing
from .cfn.lint import INCLUDE_CHECKS, lint_templates, lint_templates_cached
from .layers.root import DEFAULT_KEY_PREFIX
from .release.build import MANIFEST, compare_version, with_manifest, write_version
from .release.publish import (
    Destination,
    PublishError,
    _s3_error,
    add_to_catalog,
    deploy_command,
    publish,
    read_version,
)

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
        "--docs",
        metavar="DIR",
        type=Path,
        default=Path("docs"),
        help="folder for the generated reference docs and pictures (default: %(default)s)",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and name the files whose content differs from what the "
        "code generates (use in CI to catch templates that were not rebuilt)",
    )
    build.add_argument("--quiet", "-q", action="store_true", help="print only findings and errors")
    build.add_argument(
        "--no-lint-cache",
        action="store_true",
        help="lint every template, even one whose exact text cfn-lint (same version, checks and "
        "regions) already passed; verdicts are kept under $TROPOSPHERE_FARGATE_CACHE or "
        "~/.cache/troposphere-fargate",
    )

    publish = commands.add_parser(
        "publish",
        help="upload templates/<version>/ to S3, print launch links, update Service Catalog",
        description=(
            "Upload a built version to s3://BUCKET/PREFIX<version>/ after checking the files "
            "against their manifest.json. Objects already there must be identical: a published "
            "version is never changed (unless --force); publishing identical content again is a "
            "no-op. root.yaml is uploaded last. Prints the console Launch Stack URL and an "
            "`aws cloudformation deploy` command. Needs boto3 (pip install "
            "'troposphere-fargate[publish]') and AWS credentials."
        ),
    )
    publish.add_argument("--bucket", required=True, help="S3 bucket, in the region to launch in")
    publish.add_argument(
        "--prefix",
        default=DEFAULT_KEY_PREFIX,
        help="key prefix, empty or ending with / (default: %(default)s)",
    )
    publish.add_argument(
        "--region", help="AWS region of the bucket (default: the profile's, or the bucket's)"
    )
    publish.add_argument("--profile", help="AWS named profile to use (default: the usual chain)")
    publish.add_argument(
        "--version",
        default=__version__,
        help="version folder to publish (default: %(default)s, this package's version)",
    )
    publish.add_argument(
        "--templates",
        metavar="DIR",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="folder holding the version folders (default: %(default)s)",
    )
    publish.add_argument(
        "--force",
        action="store_true",
        help="overwrite published objects that differ: stacks already launched fetch the new "
        "nested templates on their next update, and Service Catalog keeps its own copy of the "
        "old root.yaml, so only do this to repair a broken publish",
    )
    publish.add_argument(
        "--catalog-product-id",
        metavar="ID",
        help="also add the version to this Service Catalog product as a provisioning artifact "
        "(skipped when the product already has it)",
    )
    check = commands.add_parser(
        "check",
        help="run cfn-lint, AWS Control Tower's guard rules and our own on templates",
        description=(
            "Check CloudFormation templates (default: this version's under templates/) with "
            "cfn-lint (informational rules included), AWS Control Tower's proactive-control "
            "rules and this project's own rules (cfn-guard 3). Prints a table per template and "
            "exits 1 if anything fails. A guard rule suppressed in a resource's metadata "
            "(Metadata.guard.SuppressedRules, reason under Metadata.guard.Reasons) counts as "
            "suppressed, not failed; --verbose lists each with its reason."
        ),
    )
    check.add_argument("templates", nargs="*", type=Path, metavar="TEMPLATE")

    draw = commands.add_parser(
        "diagram",
        help="draw the architecture the templates deploy for given parameter values",
        description=(
            "Draw the architecture that the network and service templates deploy for these "
            "parameter values, worked out from the templates' own conditions: AZ columns, "
            "public and private subnets, NAT gateways and routes, VPC endpoints, the load "
            "balancer and its listeners. Needs Graphviz's dot for .svg and .png; without it the "
            ".dot source is written and the command says how to install dot."
        ),
    )
    draw.add_argument("--azs", type=int, choices=[2, 3], default=2, help="NumberOfAzs")
    draw.add_argument(
        "--nat", choices=["PerAz", "Single", "None"], default="PerAz", help="NatGateways"
    )
    draw.add_argument("--endpoints", action="store_true", help="VpcEndpoints=true")
    draw.add_argument(
        "--lb", choices=["application", "network"], default="application", help="LoadBalancerType"
    )
    draw.add_argument("--https", action="store_true", help="with a CertificateArn")
    draw.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("architecture.svg"),
        metavar="FILE",
        help="FILE.svg, FILE.png or FILE.dot (default: %(default)s)",
    )

    compare = commands.add_parser(
        "diff",
        help="predict what updating stacks from OLD to NEW templates replaces or breaks",
        description=(
            "Compare two sets of templates, each a version under templates/ or a folder, "
            "offline. Reports resources added, removed or modified (with whether a change "
            "replaces the resource, from CloudFormation's resource schemas), renamed logical "
            "IDs, parameter and output changes, and DeletionPolicy/UpdateReplacePolicy changes. "
            "Each finding is destructive, breaking or safe; exits 1 when any destructive or "
            "breaking finding is not allowed with --allow."
        ),
    )
    compare.add_argument("old", help="version (such as 0.1.0) or folder of the current templates")
    compare.add_argument("new", help="version or folder of the templates to update to")
    compare.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )
    compare.add_argument(
        "--allow",
        default="",
        metavar="SEVERITIES",
        help="comma-separated severities that do not fail the command: destructive,breaking",
    )
    compare.add_argument(
        "--templates",
        metavar="DIR",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="folder holding the version folders (default: %(default)s)",
    )
    compare.add_argument(
        "--parameters",
        nargs="+",
        action="extend",
        default=[],
        metavar="KEY=VALUE",
        help="the running stack's parameter values (default: each parameter's default); with "
        "this, --set or --region the templates are compared as the stacks they deploy, so "
        "conditions and parameter values decide what is replaced",
    )
    compare.add_argument(
        "--set",
        nargs="+",
        action="extend",
        default=[],
        metavar="KEY=VALUE",
        help="parameter values the update changes (the others keep their current value), "
        "such as --set LoadBalancerType=network",
    )
    compare.add_argument(
        "--region",
        help="the stacks' region, for what depends on it (default: us-east-1, as a stack there)",
    )
    check.add_argument(
        "--verbose", "-v", action="store_true", help="list every violation and suppression"
    )
    return parser


def _diagram(args: argparse.Namespace) -> int:
    from .cfn.evaluate import ParameterError, RuleError
    from .release.diagram import INSTALL_DOT, Scenario, dot_available, graph, picture, render

    scenario = Scenario(args.azs, args.nat, args.endpoints, args.lb, args.https)
    try:
        dot = graph(picture(scenario))
    except (ParameterError, RuleError) as exc:
        raise PublishError(f"the templates refuse these values: {exc}") from None
    if args.output.suffix.lower() in (".svg", ".png") and not dot_available():
        source = render(dot, args.output.with_suffix(".dot"))
        print(f"troposphere-fargate: {INSTALL_DOT}; wrote the source to {source}", file=sys.stderr)
        return EXIT_FAILED
    try:
        written = render(dot, args.output)
    except ValueError as exc:
        raise PublishError(str(exc)) from None
    print(f"wrote {written}")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from .cfn.diff import (
        BREAKING,
        DESTRUCTIVE,
        blocking,
        diff,
        diff_stacks,
        load_side,
        render_table,
    )

    allow = [a for a in args.allow.split(",") if a]
    unknown = sorted(set(allow) - {DESTRUCTIVE, BREAKING})
    if unknown:
        raise PublishError(f"--allow takes destructive and breaking, not {', '.join(unknown)}")
    old, new = load_side(args.old, args.templates), load_side(args.new, args.templates)
    if args.parameters or args.set or args.region:
        findings = diff_stacks(
            old, new, _key_values(args.parameters), _key_values(args.set), args.region
        )
    else:
        findings = diff(old, new)
    if args.format == "json":
        print(json.dumps([f.to_json() for f in findings], indent=2))
    else:
        print(render_table(findings))
    return EXIT_FAILED if blocking(findings, allow) else EXIT_OK


def _key_values(pairs: Sequence[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise DiffError(f"{pair!r} is not KEY=VALUE")
        values[key] = value
    return values


def _check(args: argparse.Namespace) -> int:
    from .cfn.guard import POLICY_DIR, find_cfn_guard, find_control_tower_rules, run_guard

    paths = list(args.templates) or sorted((DEFAULT_OUTPUT / __version__).glob("*.yaml"))
    if not paths:
        raise PublishError(f"no templates to check in {DEFAULT_OUTPUT / __version__}")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise PublishError(f"no such template: {', '.join(missing)}")
    guard = find_cfn_guard()
    rules = {"control-tower": find_control_tower_rules(), "own rules": POLICY_DIR}
    lint = lint_templates({p.name: p.read_text() for p in paths})
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise PublishError("check templates with different file names, one folder at a time")
    try:
        violations = {
            kind: run_guard(folder, paths, guard, suppressible=kind == "control-tower")
            for kind, folder in rules.items()
        }
    except RuntimeError as exc:
        raise PublishError(str(exc).splitlines()[0]) from None

    header = ("template", "cfn-lint", *rules, "suppressed")
    rows = []
    for path in paths:
        found = [v for kind in rules for v in violations[kind] if v.template == path.name]
        rows.append(
            (
                path.name,
                str(sum(f.filename == path.name for f in lint)),
                *(
                    str(sum(not v.suppressed for v in violations[k] if v.template == path.name))
                    for k in rules
                ),
                str(sum(v.suppressed for v in found)),
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())

    failed = bool(lint) or any(not v.suppressed for k in rules for v in violations[k])
    for finding in lint:
        print(f"cfn-lint: {finding}", file=sys.stderr)
    for kind in rules:
        for v in violations[kind]:
            where = f"{v.template} {v.resource or '(template)'}"
            if not v.suppressed:
                print(f"{kind}: {where}: {v.rule} FAILED", file=sys.stderr)
            elif args.verbose:
                print(f"{kind}: {where}: {v.rule} suppressed: {v.suppressed_because}")
    print("FAILED" if failed else "all checks passed")
    return EXIT_FAILED if failed else EXIT_OK


def _start_pictures(docs: dict[str, str], folder: Path) -> list[tuple[Path, Any, str]]:
    """Render every picture's source with Graphviz's dot, in the background (while cfn-lint
    runs); nothing when dot is not installed."""
    from .release.diagram import dot_available, source_stamp

    if not dot_available():
        return []
    jobs = []
    for name, source in docs.items():
        if not name.endswith(".dot"):
            continue
        svg = folder / name.replace(".dot", ".svg")
        if svg.is_file() and source_stamp(source) in svg.read_text(errors="replace"):
            continue  # the picture already shows this very source
        process = subprocess.Popen(
            ["dot", "-Tsvg"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None
        process.stdin.write(source.encode())
        process.stdin.close()
        jobs.append((svg, process, source))
    return jobs


def _write_docs(folder: Path, docs: dict[str, str], pictures: list[tuple[Path, Any, str]]) -> None:
    from .release.diagram import source_stamp

    folder.mkdir(parents=True, exist_ok=True)
    outputs = {folder / name: text.encode() for name, text in docs.items()}
    for path, process, source in pictures:
        svg = process.stdout.read()
        if process.wait() == 0:
            outputs[path] = svg.rstrip() + f"\n{source_stamp(source)}\n".encode()
        else:
            print(f"troposphere-fargate: dot could not render {path.name}", file=sys.stderr)
    for path, data in outputs.items():
        staging = path.with_name(f".{path.name}.new")
        staging.write_bytes(data)
        os.replace(staging, path)


def _build(args: argparse.Namespace) -> int:
    from .cfn import yaml as cfn_yaml
    from .layers import LAYERS
    from .release.build import render_templates
    from .release.diagram import dot_available
    from .release.reference import generate_docs

    started = time.perf_counter()
    built = render_templates()
    files = {layer.filename: cfn_yaml.to_yaml(built[layer.name]) for layer in LAYERS}
    docs = generate_docs(built)
    generated = time.perf_counter()
    pictures = [] if args.check else _start_pictures(docs, args.docs)
    if args.no_lint_cache:
        findings, fresh = lint_templates(files), sorted(files)
    else:
        findings, fresh = lint_templates_cached(files)
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
        f"(checks {'+'.join(('E', 'W', *INCLUDE_CHECKS))}, each in every region it claims: "
        + ", ".join(f"{layer.filename} {len(layer.regions)}" for layer in LAYERS)
        + ")"
        + (
            f"; {len(files) - len(fresh)} unchanged since their last lint"
            if len(fresh) < len(files)
            else ""
        )
    )

    folder = args.output / __version__
    if args.check:
        differing = compare_version(args.output, files)
        differing += [
            str(args.docs / name)
            for name, text in docs.items()
            if not (args.docs / name).is_file() or (args.docs / name).read_text() != text
        ]
        if differing:
            print(
                f"{folder} is out of date with the code; differing files: {', '.join(differing)}\n"
                "Run `troposphere-fargate build` and commit the result.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        say(f"{folder} and {args.docs}/: {len(files) + 1 + len(docs)} files match the code")
        return EXIT_OK

    write_version(args.output, files)
    _write_docs(args.docs, docs, pictures)
    for name, text in with_manifest(files).items():
        if name != MANIFEST:
            say(f"  {folder / name}  {len(text.encode()):>7,} bytes")
    say(f"  {folder / MANIFEST}")
    say(f"  {args.docs}/: {', '.join(sorted(docs))}, and their pictures")
    if not pictures and not dot_available():
        say("  (pictures not rendered: Graphviz's dot is not installed; the .dot sources are)")
    say(
        f"built {len(files)} template(s) in {time.perf_counter() - started:.2f} s "
        f"(generate {generated - started:.3f} s, lint {linted - generated:.2f} s)"
    )
    return EXIT_OK


def _bucket_region(s3: object, bucket: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        response = s3.head_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    except ClientError as exc:
        headers = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        region = headers.get("x-amz-bucket-region")
        if region:
            return str(region)
        raise
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    region = response.get("BucketRegion") or headers.get("x-amz-bucket-region")
    return str(region) if region else None


def _publish(args: argparse.Namespace) -> int:
    try:
        import boto3
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            NoCredentialsError,
            NoRegionError,
            ProfileNotFound,
        )
    except ImportError:
        raise PublishError(
            "publishing needs boto3: pip install 'troposphere-fargate[publish]'"
        ) from None

    files = read_version(args.templates, args.version)
    try:
        session = boto3.Session(profile_name=args.profile, region_name=args.region)
        s3 = session.client("s3", region_name=args.region or session.region_name or "us-east-1")
        try:
            bucket_region = _bucket_region(s3, args.bucket)
        except ClientError as exc:
            probe = Destination(args.bucket, args.prefix, args.version, args.region or "us-east-1")
            raise _s3_error(exc, probe) from None
        region = args.region or bucket_region or session.region_name or "us-east-1"
        if bucket_region and bucket_region != region:
            raise PublishError(
                f"bucket {args.bucket} is in {bucket_region}, not {region}: stacks fetch nested "
                "templates from the bucket in their own region; publish to a bucket there"
            )
        destination = Destination(args.bucket, args.prefix, args.version, region)
        if region != s3.meta.region_name:
            s3 = session.client("s3", region_name=region)
        result = publish(s3, files, destination, force=args.force, progress=print)
        if result.uploaded:
            print(
                f"published {len(result.uploaded)} file(s) to s3://{args.bucket}/{destination.key('')}"
            )
        else:
            print(
                f"s3://{args.bucket}/{destination.key('')} already holds this exact version; "
                "nothing to upload"
            )
        if args.catalog_product_id:
            catalog = session.client("servicecatalog", region_name=region)
            outcome = add_to_catalog(catalog, args.catalog_product_id, destination)
            print(
                f"Service Catalog product {args.catalog_product_id}: version {args.version} "
                + ("added" if outcome == "added" else "already there, left as it is")
            )
    except NoCredentialsError:
        raise PublishError(
            "no AWS credentials found: run `aws configure`, pass --profile, or set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        ) from None
    except ProfileNotFound:
        raise PublishError(f"AWS profile {args.profile!r} is not configured") from None
    except NoRegionError:
        raise PublishError("no AWS region: pass --region") from None
    except BotoCoreError as exc:
        raise PublishError(f"AWS request failed: {exc}") from None
    print(f"\nLaunch Stack ({region}):\n  {result.launch_url}")
    command = deploy_command(destination, templates=args.templates)
    print(f"\nDeploy with the AWS CLI:\n  {command}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "publish":
            return _publish(args)
        if args.command == "check":
            return _check(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "diagram":
            return _diagram(args)
    except (OSError, PublishError, PolicyToolMissing, DiffError) as exc:
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
