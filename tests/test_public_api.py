"""What users depend on, pinned: the templates' logical IDs, parameters and outputs, and the
Python API (every exported name, each function's signature, each config's fields). Changing one
fails here until its pin changes in the same commit, on purpose; and the README's library
examples must produce templates that cfn-lint passes."""

from __future__ import annotations

import dataclasses
import inspect
import io
import json
import re
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import troposphere_fargate
from troposphere_fargate import (
    NetworkConfig,
    build_templates,
    deployed,
    describe,
    dry_run,
    environment_template,
    estimate,
    footprint,
    from_yaml,
    generate,
    layers_for,
    lint_templates,
    load_spec,
    network_template,
    parse_spec,
    read_template,
    render_templates,
    service_template,
    to_yaml,
    write_version,
)
from troposphere_fargate.cfn.diff import diff, diff_stacks, diff_template
from troposphere_fargate.layers.instance import instance_template
from troposphere_fargate.layers.root import root_template
from troposphere_fargate.layers.stackset import stackset_template

TESTS = Path(__file__).resolve().parent
README = (TESTS.parent / "README.md").read_text()
TEMPLATE_PINS = TESTS / "public_api.json"
PYTHON_PINS = TESTS / "public_python_api.json"


def test_template_names_are_pinned():
    """Logical IDs, parameter names and output names are public API: changing one replaces a
    resource or breaks users. Update tests/public_api.json in the same commit, on purpose."""
    current = {
        layer: {
            "resources": sorted(template["Resources"]),
            "parameters": sorted(template.get("Parameters", {})),
            "outputs": sorted(template.get("Outputs", {})),
        }
        for layer, template in render_templates().items()
    }
    assert current == json.loads(TEMPLATE_PINS.read_text())


def python_api() -> dict[str, Any]:
    """Every exported name: a function's signature, a config's fields and defaults, a class."""
    described: dict[str, Any] = {}
    for name in sorted(troposphere_fargate.__all__):
        value = getattr(troposphere_fargate, name)
        if typing.get_origin(value) is typing.Literal:  # a field's words: changing one breaks
            described[name] = f"Literal{list(typing.get_args(value))}"
        elif dataclasses.is_dataclass(value) and isinstance(value, type):
            described[name] = {
                field.name: repr(field.default)
                if field.default is not dataclasses.MISSING
                else "(factory)"
                if field.default_factory is not dataclasses.MISSING
                else "(required)"
                for field in dataclasses.fields(value)
            }
        elif inspect.isclass(value):
            described[name] = f"class({', '.join(b.__name__ for b in value.__bases__)})"
        elif callable(value):
            signature = str(inspect.signature(value))
            described[name] = "def" + signature.replace(
                repr(troposphere_fargate.__version__), "__version__"
            )
        else:
            described[name] = type(value).__name__
    return described


def test_the_python_api_is_pinned():
    """The names ``troposphere_fargate`` exports, with their signatures and config fields.
    Regenerate tests/public_python_api.json only for a change made on purpose."""
    assert python_api() == json.loads(PYTHON_PINS.read_text())


# "Default 30", "default: none", "None (the default)"; not "default of ``TaskCpu``", which
# names the parameter whose default a field sets, nor "the defaults of the ... parameters".
STATES_A_DEFAULT = re.compile(r"\bdefault\b(?! of\b)", re.IGNORECASE)


def _attributes(cls: type) -> dict[str, str]:
    """The fields the ``Attributes:`` section of a class's docstring names, each with what its
    entry says (one entry may name several: ``command, entry_point: ...``)."""
    found: dict[str, str] = {}
    names: list[str] = []
    inside = False
    for line in (inspect.getdoc(cls) or "").splitlines():
        entry = re.fullmatch(r"    (\w+(?:, \w+)*): (\S.*)", line)
        if line == "Attributes:":
            inside = True
        elif inside and entry:
            names = entry.group(1).split(", ")
            found.update(dict.fromkeys(names, entry.group(2)))
        elif inside and names and line.startswith("        "):
            found.update({name: f"{found[name]} {line.strip()}" for name in names})
        elif inside and line.strip():
            break  # the text after the section
    return found


def _api_dataclasses() -> dict[str, type]:
    """The exported dataclasses, and those their fields hold (``Estimate.lines``' ``Line``)."""
    found: dict[str, type] = {}
    waiting = [getattr(troposphere_fargate, name) for name in troposphere_fargate.__all__]
    while waiting:
        cls = waiting.pop()
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)) or cls in found.values():
            continue
        found[cls.__qualname__] = cls
        waiting += [c for hint in typing.get_type_hints(cls).values() for c in _classes(hint)]
    return found


def test_everything_exported_exists_and_is_documented():
    """An audit of the library: ``help(Footprint)`` said nothing of its 44 fields (nor did
    ``Deployment``, ``Finding``, ``Layer``, ``PlannedStack`` or ``TemplateProblem`` of theirs;
    ``Layer``'s were told in code comments only), and ``ServiceConfig.target_health``, whose
    default comes from a factory, did not say what it was. Every field of a dataclass of the
    API is an entry of its docstring's ``Attributes``, and a factory's default is stated."""
    for name in troposphere_fargate.__all__:
        value = getattr(troposphere_fargate, name)
        if typing.get_origin(value) is typing.Literal:
            continue  # a type alias has no docstring; the README and the fields' docs say it
        if callable(value):
            assert inspect.getdoc(value), f"{name} has no docstring"
    classes = _api_dataclasses()
    assert {"Footprint", "ServiceConfig", "Line"} <= set(classes)  # results, inputs, held
    undocumented, unknown, factory_defaults = [], [], []
    for name, cls in sorted(classes.items()):
        documented = _attributes(cls)
        fields = {field.name: field for field in dataclasses.fields(cls)}
        undocumented += [f"{name}.{field}" for field in fields if field not in documented]
        unknown += [f"{name}.{entry}" for entry in documented if entry not in fields]
        factory_defaults += [
            f"{name}.{field}"
            for field, spec in fields.items()
            if spec.default_factory is not dataclasses.MISSING
            and field in documented
            and not STATES_A_DEFAULT.search(documented[field])
        ]
    assert not undocumented, f"no entry of the docstring's Attributes names {undocumented}"
    assert not unknown, f"entries of a docstring's Attributes that name no field: {unknown}"
    assert not factory_defaults, f"a default from a factory, not stated: {factory_defaults}"


@pytest.mark.lint
def test_the_readmes_library_examples_produce_templates_cfn_lint_passes(monkeypatch):
    monkeypatch.chdir(TESTS.parent)  # the examples name templates/ as a user's checkout has it
    blocks = [b for b in re.findall(r"```python\n(.*?)```", README, re.S) if "print(" in b]
    assert blocks, "the README has no library example that prints a template"
    printed: list[str] = []
    for block in blocks:
        exec(block, {"print": printed.append})
    templates = {f"example{i}.yaml": t for i, t in enumerate(printed) if "Resources:" in t}
    assert templates, "no example printed a template"
    assert [str(f) for f in lint_templates(templates)] == []


def test_a_template_the_library_builds_can_be_written_and_read_back():
    from troposphere_fargate import NetworkConfig, from_yaml, network_template

    template = network_template(NetworkConfig(max_azs=2)).to_dict()
    assert from_yaml(to_yaml(template)) == template


# A wrong argument to each library call, and the TypeError naming the call: they raised
# AttributeError or TypeError from deep inside (``'str' object has no attribute 'max_azs'``).
# Each call takes the test's empty folder.
WRONG_ARGUMENTS = [
    (
        lambda tmp_path: network_template("x"),
        "network_template(config) takes NetworkConfig or None, not str",
    ),
    (
        lambda tmp_path: service_template(NetworkConfig()),
        "service_template(config) takes ServiceConfig or None, not NetworkConfig",
    ),
    (
        lambda tmp_path: environment_template(1),
        "environment_template(config) takes EnvironmentConfig or None, not int",
    ),
    (lambda tmp_path: layers_for(None), "layers_for(config) takes ProductConfig, not None"),
    (
        lambda tmp_path: render_templates("x"),
        "render_templates(config) takes ProductConfig or None, not str",
    ),
    (lambda tmp_path: generate(version=1), "generate(version) takes str, not int"),
    (
        lambda tmp_path: build_templates(None, None),  # type: ignore[arg-type]
        "build_templates(output) takes str or Path, not None",
    ),
    (lambda tmp_path: footprint({}), "footprint(stack) takes PlannedStack, not dict"),
    (lambda tmp_path: describe(None), "describe(found) takes Footprint, not None"),
    (lambda tmp_path: estimate(None), "estimate(found) takes Footprint, not None"),
    (
        lambda tmp_path: dry_run(tmp_path / "t.yaml", None),
        "dry_run(given) takes Mapping, not None",
    ),
    # From a newcomer's programs: each failed deep inside (AttributeError, a troposphere
    # TypeError, or a bare KeyError).
    (
        lambda tmp_path: dry_run(tmp_path / "t.yaml", {"NumberOfAzs": 3}),
        "dry_run(given) takes a mapping of names to parameter values (str): 'NumberOfAzs' "
        "is int, write it as a string",
    ),
    (
        lambda tmp_path: to_yaml(network_template()),
        "to_yaml(template) takes a template dict, not a troposphere Template: pass its .to_dict()",
    ),
    # An audit: dumper=str failed deep inside ("str() takes at most 3 arguments"), and
    # verify="no" was taken as true.
    (
        lambda tmp_path: to_yaml({}, dumper=str),  # type: ignore[arg-type]
        "to_yaml(dumper) takes a PyYAML dumper class (yaml.SafeDumper, yaml.CSafeDumper) or "
        "None, not the class str",
    ),
    # A dumper made where its class goes: each method is there, and the message says to pass
    # its class.
    (
        lambda tmp_path: to_yaml({}, dumper=yaml.SafeDumper(io.StringIO())),  # type: ignore[arg-type]
        "to_yaml(dumper) takes a PyYAML dumper class (yaml.SafeDumper, yaml.CSafeDumper) or "
        "None, not SafeDumper: pass its class",
    ),
    (
        lambda tmp_path: to_yaml({}, verify="no"),  # type: ignore[arg-type]
        "to_yaml(verify) takes bool, not str",
    ),
    (
        lambda tmp_path: deployed(network_template()),
        "deployed(template) takes a template dict, not a troposphere Template: pass its .to_dict()",
    ),
    (
        lambda tmp_path: write_version(tmp_path, {"a.yaml": b"x"}),  # type: ignore[dict-item]
        "write_version(files) takes a mapping of names to YAML text (str): 'a.yaml' is bytes",
    ),
    (  # it said "is NoneType"
        lambda tmp_path: dry_run(tmp_path / "t.yaml", {"NumberOfAzs": None}),  # type: ignore[dict-item]
        "dry_run(given) takes a mapping of names to parameter values (str): 'NumberOfAzs' is None",
    ),
    (
        lambda tmp_path: write_version(tmp_path, {5: "x"}),  # type: ignore[dict-item]
        "write_version(files) takes names (str) as keys: 5 is int",
    ),
    # A fourth trial swapped them (build_templates takes the config first, the folder
    # second): "write_version(files) takes Mapping, not PosixPath" did not say so.
    (
        lambda tmp_path: write_version({"a.yaml": "x"}, tmp_path),  # type: ignore[arg-type]
        "write_version(root, files): the folder comes first, then the files, as in "
        "write_version('templates', generate())",
    ),
    (
        lambda tmp_path: lint_templates("Resources: {}"),  # type: ignore[arg-type]
        "lint_templates(templates) takes a mapping of names to YAML text, not a single str",
    ),
    (
        lambda tmp_path: lint_templates({"a.yaml": "x"}, jobs="2"),  # type: ignore[arg-type]
        "lint_templates(jobs) takes a whole number, or None, not '2'",
    ),
    (
        lambda tmp_path: render_templates(version=None),  # type: ignore[arg-type]
        "render_templates(version) takes str, not None",
    ),
    (
        lambda tmp_path: root_template(render_templates(), None),  # type: ignore[arg-type]
        "root_template(version) takes str, not None",
    ),
    (
        lambda tmp_path: environment_template(hosts="api.example.com"),
        "environment_template(hosts) takes list or tuple or None, not str",
    ),
    # A platform engineer's trial, nesting the layers in a root of their own: each failed
    # deep inside ('Template' object has no attribute 'get', 'str' object has no
    # attribute 'layer'), or left the root without a Description.
    (
        lambda tmp_path: root_template(
            {"network": network_template(), "service": service_template()}, "1.0.0"
        ),
        "root_template(children)['network'] takes a template dict, not a troposphere "
        "Template: pass its .to_dict()",
    ),
    (
        lambda tmp_path: root_template([network_template().to_dict()], "1.0.0"),  # type: ignore[arg-type]
        "root_template(children) takes Mapping, not list",
    ),
    (
        lambda tmp_path: root_template(render_templates(), "1.0.0", nested="network"),  # type: ignore[arg-type]
        "root_template(nested) takes a sequence of Child (a list or a tuple), not str",
    ),
    (
        lambda tmp_path: root_template(render_templates(), "1.0.0", nested=["network"]),  # type: ignore[list-item]
        "root_template(nested) item takes Child, not str",
    ),
    (
        lambda tmp_path: root_template(render_templates(), "1.0.0", description=3),  # type: ignore[arg-type]
        "root_template(description) takes str, not int",
    ),
    (
        lambda tmp_path: stackset_template({"instance": root_template}, "1.0.0"),  # type: ignore[dict-item]
        "stackset_template(built)['instance'] takes Mapping, not function",
    ),
    (
        lambda tmp_path: instance_template({"network": root_template}, "1.0.0"),  # type: ignore[dict-item]
        "instance_template(built)['network'] takes Mapping, not function",
    ),
    # pathlib's "expected str, bytes or os.PathLike object, not dict" named neither the
    # call nor the argument; a template dict is the likely mistake.
    (
        lambda tmp_path: dry_run(network_template().to_dict(), {}),  # type: ignore[arg-type]
        "dry_run(path) takes the path of a template file, not a dict: write it to a file "
        "first (to_yaml gives its text)",
    ),
    (
        lambda tmp_path: read_template(3),  # type: ignore[arg-type]
        "read_template(path) takes str or PathLike, not int",
    ),
    (lambda tmp_path: load_spec(None), "load_spec(path) takes str or PathLike, not None"),  # type: ignore[arg-type]
    # An audit of the library: PyYAML's "a string or stream input is required" named neither.
    (lambda tmp_path: from_yaml(None), "from_yaml(text) takes str, not None"),  # type: ignore[arg-type]
    (
        lambda tmp_path: from_yaml(b"Resources: {}"),  # type: ignore[arg-type]
        "from_yaml(text) takes str, not bytes: decode it, or read_template(path) reads the file",
    ),
    # An audit: parse_spec read bytes, and named a None filename "None" in its errors.
    (
        lambda tmp_path: parse_spec(b"services:\n  web: {port: 8080}\n"),  # type: ignore[arg-type]
        "parse_spec(text) takes str, not bytes: decode it, or load_spec(path) reads the file",
    ),
    (
        lambda tmp_path: parse_spec("services:\n  web: {port: 8080}\n", None),  # type: ignore[arg-type]
        "parse_spec(filename) takes str, not None",
    ),
    (
        lambda tmp_path: estimate(
            footprint(
                dry_run(
                    TESTS.parent / "templates" / troposphere_fargate.__version__ / "network.yaml",
                    {},
                )
            ),
            1,
        ),  # type: ignore[arg-type]
        "estimate(region) takes str or None, not int",
    ),
]


@pytest.mark.parametrize(
    ("call", "says"),
    WRONG_ARGUMENTS,
    ids=[says.split(" ", 1)[0] for _, says in WRONG_ARGUMENTS],
)
def test_a_wrong_argument_to_the_library_is_a_type_error_naming_the_call(tmp_path, call, says):
    with pytest.raises(TypeError) as wrong:
        call(tmp_path)
    assert str(wrong.value) == says
    assert not list(tmp_path.iterdir())  # write_version wrote nothing


# Template dicts of another shape than CloudFormation takes, as a caller of the library might
# pass them, and what each call says: each was an AttributeError or a TypeError from deep
# inside ('NoneType' object has no attribute 'get', 'list' object has no attribute 'items'),
# while read_template refused the same file in one line.
TOPIC = {"Type": "AWS::SNS::Topic"}
MISSHAPEN = [
    ({"Resources": None}, "its Resources section is nothing, not a mapping"),
    ({"Resources": [TOPIC]}, "its Resources section is a list, not a mapping"),
    ({"Resources": {"Topic": None}}, "resource Topic is nothing, not a mapping"),
    ({"Resources": {"Topic": {}}}, "resource Topic has no Type (such as AWS::S3::Bucket)"),
    (
        {"Resources": {"Topic": {**TOPIC, "Properties": []}}},
        "resource Topic: its Properties is a list, not a mapping",
    ),
    (
        {"Parameters": [], "Resources": {"Topic": TOPIC}},
        "its Parameters section is a list, not a mapping",
    ),
    (
        {"Resources": {"Topic": TOPIC}, "Outputs": {"Arn": None}},
        "output Arn is nothing, not a mapping",
    ),
]
TAKING_A_TEMPLATE = {
    "deployed": lambda t: deployed(t),
    "diff_template": lambda t: diff_template("x.yaml", {"Resources": {"Topic": TOPIC}}, t),
    "diff": lambda t: diff({"x.yaml": {"Resources": {"Topic": TOPIC}}}, {"x.yaml": t}),
    "diff_stacks": lambda t: diff_stacks({"x.yaml": t}, {"x.yaml": {"Resources": {}}}),
    "root_template": lambda t: root_template({**render_templates(), "network": t}, "1.0.0"),
    "stackset_template": lambda t: stackset_template({"instance": t}, "1.0.0"),
    "instance_template": lambda t: instance_template({**render_templates(), "network": t}, "1.0.0"),
}
SAYS = {
    "deployed": "deployed(template): not a CloudFormation template: {}",
    "diff_template": "diff_template(new): x.yaml: not a CloudFormation template: {}",
    "diff": "diff(new): x.yaml: not a CloudFormation template: {}",
    "diff_stacks": "diff_stacks(old): x.yaml: not a CloudFormation template: {}",
    "root_template": "root_template(children)['network']: not a CloudFormation template: {}",
    "stackset_template": "stackset_template(built)['instance']: not a CloudFormation template: {}",
    "instance_template": "instance_template(built)['network']: not a CloudFormation template: {}",
}


@pytest.mark.parametrize("call", sorted(TAKING_A_TEMPLATE))
@pytest.mark.parametrize(("template", "problem"), MISSHAPEN, ids=[p for _, p in MISSHAPEN])
def test_a_template_dict_of_another_shape_is_one_value_error_naming_the_call(
    call, template, problem
):
    with pytest.raises(ValueError) as refused:
        TAKING_A_TEMPLATE[call](template)
    assert str(refused.value) == SAYS[call].format(problem)


def test_a_fragment_without_resources_is_still_evaluated_and_compared():
    """Parameters and rules alone, as the tests and a library user evaluate them: no Resources
    section is read as one that creates nothing (read_template refuses such a file)."""
    fragment = {"Parameters": {"Size": {"Type": "Number", "Default": "2"}}}
    assert deployed(fragment).parameters == {"Size": "2"}
    assert diff({"x.yaml": fragment}, {"x.yaml": fragment}) == []


def test_a_stackset_of_a_template_that_declares_the_stackset_s_own_parameters_says_so():
    """The StackSet declares where its template is (TemplateBucketName, TemplateKeyPrefix) and
    how it rolls out: a template of one's own declaring one of them was troposphere's bare
    ValueError about a duplicate parameter."""
    built = render_templates()
    declared = {**built["instance"]["Parameters"], "CallAs": {"Type": "String", "Default": "x"}}
    with pytest.raises(ValueError) as refused:
        stackset_template({"instance": {**built["instance"], "Parameters": declared}}, "0.4.0")
    assert str(refused.value) == (
        "stackset_template(built): the instance template declares CallAs, which the StackSet "
        "declares for itself"
    )


@pytest.mark.parametrize("version", ["", "../x", "1.0/evil", " 1.0"])
def test_a_version_that_is_no_release_name_is_refused_by_every_renderer(version):
    """It goes into the nested templates' URLs, the catalog artifact's name and every
    description: ``generate(version="")`` rendered ``${TemplateKeyPrefix}/network.yaml``."""
    from troposphere_fargate import ConfigError, catalog_template, generate, render_templates
    from troposphere_fargate.layers.instance import instance_template
    from troposphere_fargate.layers.root import root_template
    from troposphere_fargate.layers.stackset import stackset_template

    built = render_templates()
    for call, where in (
        (lambda: generate(version=version), "generate(version)"),
        (lambda: render_templates(version=version), "render_templates(version)"),
        (lambda: root_template(built, version), "root_template(version)"),
        (lambda: catalog_template(version), "catalog_template(version)"),
        (lambda: stackset_template(built, version), "stackset_template(version)"),
        (lambda: instance_template(built, version), "instance_template(version)"),
    ):
        with pytest.raises(ConfigError) as refused:
            call()
        assert str(refused.value) == (
            f"{where}: {version!r} is not a release name such as 1.2.0 (letters, digits and "
            "._+-, starting with a letter or digit)"
        )


@pytest.mark.parametrize("description", ["", "  "])
def test_a_root_without_a_description_is_refused(description):
    """An audit: ``root_template(..., description="")`` built a root without a Description,
    saying nothing, where ``description=None`` is refused."""
    from troposphere_fargate import ConfigError
    from troposphere_fargate.layers.root import root_template

    with pytest.raises(ConfigError) as refused:
        root_template(render_templates(), "1.0.0", description=description)
    assert str(refused.value) == (
        f"root_template(description): {description!r} is empty: say what the stack deploys, "
        "or leave it out for the shipped root's"
    )


@pytest.mark.parametrize("description", ["x" * 1025, "é" * 513])
def test_a_root_description_over_1024_bytes_is_refused(description):
    """An audit of the library: a longer description built, and cfn-lint (E1003, which counts
    characters) or CloudFormation refused the template later; 513 two-byte characters pass
    cfn-lint. "The value for the description declaration must be a literal string that is
    between 0 and 1024 bytes in length"
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-description-structure.html).
    """
    from troposphere_fargate import ConfigError
    from troposphere_fargate.layers.root import root_template

    with pytest.raises(ConfigError) as refused:
        root_template(render_templates(), "1.0.0", description=description)
    size = len(description.encode())
    assert size in (1025, 1026)
    assert str(refused.value) == (
        f"root_template(description): {size} bytes (UTF-8); CloudFormation takes 1024 at most: "
        f"{description[:40]!r}..."
    )
    built = render_templates(version="1.0.0")
    fits = root_template(built, "1.0.0", description="é" * 512).to_dict()
    assert fits["Description"] == "é" * 512


def test_the_root_of_a_config_with_services_says_to_nest_its_own_layers():
    """An audit of the library: ``root_template(render_templates(shop), version)`` said to
    "pass what render_templates() returns", which it was given: the default nests the
    shipped layers (network and service), and an environment's root nests its own."""
    from troposphere_fargate import ProductConfig, ServiceConfig, layers_for
    from troposphere_fargate.layers.root import WiringError, root_template

    shop = ProductConfig(services=(ServiceConfig(container_name="worker", expose="none"),))
    built = render_templates(shop, version="1.0.0")
    with pytest.raises(WiringError) as refused:
        root_template(built, "1.0.0")
    assert str(refused.value) == (
        "root_template(children): no rendered service template (it holds environment, network, "
        "root, service-worker): nest the config's own layers: nested=[layer.nested_as for "
        "layer in layers_for(config) if layer.nested_as]"
    )
    nested = [layer.nested_as for layer in layers_for(shop) if layer.nested_as]
    assert "WorkerServiceStack" in root_template(built, "1.0.0", nested).to_dict()["Resources"]
    # Given the config's own layers, a template they nest is missing from what was rendered.
    del built["environment"]
    with pytest.raises(WiringError) as refused:
        root_template(built, "1.0.0", nested)
    assert str(refused.value) == (
        "root_template(children): no rendered environment template (it holds network, root, "
        "service-worker): pass what render_templates() returns"
    )


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (
            lambda: root_template({}, "1.0"),
            "root_template(children): no rendered network or service template (it holds none)",
        ),
        # The shipped service's template is no service of a config ("service-<name>").
        (
            lambda: root_template({"service": render_templates()["service"]}, "1.0"),
            "root_template(children): no rendered network template (it holds service)",
        ),
        (
            lambda: stackset_template({}, "1.0"),
            "stackset_template(built): no rendered instance template (it holds none)",
        ),
        (
            lambda: instance_template({"service": render_templates()["service"]}, "1.0"),
            "instance_template(built): no rendered network template (it holds service)",
        ),
    ],
)
def test_templates_to_nest_that_are_missing_are_named(call, said):
    from troposphere_fargate.layers.root import WiringError

    with pytest.raises(WiringError) as refused:
        call()
    assert str(refused.value) == f"{said}: pass what render_templates() returns"


# A config field that takes one of a few words is typed as a Literal of exactly those words,
# which its runtime check also takes: a type checker catches a misspelt one at once.
CHOICES = [
    ("NetworkConfig", "default_nat_gateways", "layers.config", "NAT_GATEWAY_MODES"),
    ("ServiceConfig", "default_cpu_architecture", "layers.config", "CPU_ARCHITECTURES"),
    ("ServiceConfig", "default_capacity_provider", "layers.config", "CAPACITY_PROVIDERS"),
    ("ServiceConfig", "default_load_balancer_type", "layers.config", "LOAD_BALANCER_TYPES"),
    ("ServiceConfig", "expose", "layers.exposure", "EXPOSURES"),
    ("DeploymentSettings", "strategy", "layers.deployment", "DEPLOYMENT_STRATEGIES"),
    ("PolicyStatement", "effect", "layers.application", "EFFECTS"),
    ("EgressRule", "protocol", "layers.application", "PROTOCOLS"),
    ("NetworkConfig", "default_s3_endpoint_access", "layers.config", "S3_ENDPOINT_ACCESSES"),
    ("ServiceConfig", "app_protocol", "layers.exposure", "APP_PROTOCOLS"),
]


def _literals(hint: Any) -> list[Any]:
    """The Literal types in a field's type (``expose``'s in ``Exposure | None``)."""
    if typing.get_origin(hint) is typing.Literal:
        return [hint]
    return [found for arg in typing.get_args(hint) for found in _literals(arg)]


def test_every_field_of_a_few_words_is_checked_and_its_literal_exported():
    """An audit of the library: ``ServiceConfig.app_protocol`` is a ``Literal`` whose alias,
    ``AppProtocol``, was not exported, so code holding the word as a plain ``str`` could not
    ``cast`` it as the README says, and no test held the field's words to its check. Every
    such field of an exported type is in CHOICES, and its alias is exported."""
    exported = {
        typing.get_args(value)
        for name in troposphere_fargate.__all__
        if typing.get_origin(value := getattr(troposphere_fargate, name)) is typing.Literal
    }
    found = set()
    for name in troposphere_fargate.__all__:
        value = getattr(troposphere_fargate, name)
        if not dataclasses.is_dataclass(value):
            continue
        hints = typing.get_type_hints(value)
        for field in dataclasses.fields(value):
            for literal in _literals(hints[field.name]):
                found.add((name, field.name))
                assert typing.get_args(literal) in exported, (name, field.name)
    assert found == {(config, name) for config, name, _, _ in CHOICES}


@pytest.mark.parametrize(("config", "name", "module", "choices"), CHOICES)
def test_a_field_of_a_few_words_is_a_literal_of_the_words_its_check_takes(
    config, name, module, choices
):
    import importlib
    import typing

    cls = getattr(troposphere_fargate, config)
    hint = typing.get_type_hints(cls)[name]
    words = [a for a in typing.get_args(hint) if a is not type(None)]  # expose: or None
    if len(words) == 1 and typing.get_origin(words[0]) is typing.Literal:
        words = list(typing.get_args(words[0]))
    allowed = getattr(importlib.import_module(f"troposphere_fargate.{module}"), choices)
    assert words == list(allowed)
    bad = {name: "nope"}
    with pytest.raises(troposphere_fargate.ConfigError):
        if config == "PolicyStatement":
            cls(("sqs:SendMessage",), ("*",), **bad)
        elif config == "EgressRule":
            cls(5432, cidr="10.0.0.0/16", **bad)
        else:
            cls(**bad)


def _mypy(snippet: Path, code: str) -> subprocess.CompletedProcess[str]:
    """mypy on ``code``, from the checkout (its setup.cfg, and the package as source)."""
    snippet.write_text(code)
    return subprocess.run(
        [sys.executable, "-m", "mypy", str(snippet)],
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
    )


def test_a_type_checker_catches_a_misspelt_choice(tmp_path):
    snippet = tmp_path / "app.py"
    result = _mypy(
        snippet,
        "from troposphere_fargate import NetworkConfig, ServiceConfig\n\n"
        'NetworkConfig(default_nat_gateways="Single")\n'
        'ServiceConfig(default_capacity_provider="FARGATE_SPOTT", expose="public")\n',
    )
    assert result.returncode == 1, result.stdout + result.stderr
    (error,) = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert f'{snippet.name}:4: error: Argument "default_capacity_provider"' in error
    assert "expected \"Literal['FARGATE', 'FARGATE_SPOT']\"" in error
    # A value held as a plain str passes with a cast to the exported alias (the README's way).
    result = _mypy(
        snippet,
        "import os\nfrom typing import cast\n\n"
        "from troposphere_fargate import CapacityProvider, ServiceConfig\n\n"
        'raw = os.environ.get("PROVIDER", "FARGATE")\n'
        "ServiceConfig(default_capacity_provider=cast(CapacityProvider, raw))\n",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_type_checker_catches_a_misspelt_name_of_the_package(tmp_path):
    """A library trial: the package's lazy ``__getattr__`` made mypy --strict take any name,
    ``from troposphere_fargate import build_template`` included, as Any; it failed only when
    run. The lazily imported names keep their types."""
    snippet = tmp_path / "app.py"
    result = _mypy(
        snippet,
        "import troposphere_fargate as tf\n"
        "from troposphere_fargate import build_template, dry_run\n\n"
        "tf.estimat\n"
        "reveal_type(dry_run)\n",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(
        f'{snippet.name}:2: error: Module "troposphere_fargate" has no attribute '
        '"build_template"' in line
        for line in lines
    ), result.stdout
    assert any(
        f'{snippet.name}:4: error: Module has no attribute "estimat"' in line for line in lines
    ), result.stdout
    revealed = [line for line in lines if ":5: note: Revealed type is" in line]
    assert revealed[0].endswith('-> troposphere_fargate.cfn.dry_run.PlannedStack"'), revealed


# The public dataclasses the library hands back rather than takes: no one constructs them.
RESULTS = {"Deployment", "Estimate", "Finding", "Footprint", "Layer", "PlannedStack"}
INPUTS = sorted(
    name
    for name in troposphere_fargate.__all__
    if dataclasses.is_dataclass(getattr(troposphere_fargate, name)) and name not in RESULTS
)


def _classes(hint: Any) -> Iterator[type]:
    """The classes a type hint names (``Sequence[Child] | None``: Sequence, Child)."""
    if typing.get_origin(hint) is typing.Literal:
        return
    if isinstance(hint, type) and typing.get_origin(hint) is None:
        yield hint
    for argument in typing.get_args(hint):
        yield from _classes(argument)


def test_every_type_a_user_passes_in_is_exported():
    """An audit: ``root_template(nested: Sequence[Child])`` took a type the package did not
    export. What an exported function takes, and a config's fields, a user can import."""
    exported = {id(getattr(troposphere_fargate, name)) for name in troposphere_fargate.__all__}
    taken = [
        (name, value)
        for name in sorted(troposphere_fargate.__all__)
        if typing.get_origin(value := getattr(troposphere_fargate, name)) is not typing.Literal
        and (name in INPUTS or (callable(value) and not inspect.isclass(value)))
    ]
    unexported = sorted(
        f"{name}({argument}): {cls.__qualname__}"
        for name, value in taken
        for argument, hint in typing.get_type_hints(value).items()
        if argument != "return"
        for cls in _classes(hint)
        if cls.__module__.startswith("troposphere_fargate") and id(cls) not in exported
    )
    assert unexported == []


@pytest.mark.parametrize("name", INPUTS)
def test_a_misspelt_keyword_names_the_field_it_looks_like(name):
    """A newcomer's trial: ``Application(enviroment=...)`` said only "unexpected keyword
    argument". Every field of every config a user builds, misspelt, names the field."""
    cls = getattr(troposphere_fargate, name)
    fields = [field.name for field in dataclasses.fields(cls) if field.init]
    assert fields
    for field in fields:
        with pytest.raises(TypeError) as refused:
            cls(**{f"{field}x": None})
        assert str(refused.value) == (
            f"{name}() got an unexpected keyword argument '{field}x' (did you mean {field}?)"
        )


def test_an_unknown_keyword_without_a_close_field_says_where_the_fields_are():
    from troposphere_fargate import Application, ServiceConfig

    with pytest.raises(TypeError) as refused:
        ServiceConfig(port=8080)  # the spec's key; the config's field says what it sets
    assert str(refused.value) == (
        "ServiceConfig() got an unexpected keyword argument 'port' (its fields with port in "
        "their name: default_container_port)"
    )
    with pytest.raises(TypeError) as refused:
        Application(zzz=1)
    assert str(refused.value) == (
        "Application() got an unexpected keyword argument 'zzz': help(Application) lists its fields"
    )
    # The signature editors and help() show is the dataclass's own.
    assert list(inspect.signature(Application).parameters)[:2] == ["environment", "secrets"]


def test_a_list_or_dict_where_a_tuple_goes_says_how_to_write_it():
    """A newcomer's trial: ``Application(environment={...})`` was refused without a word on what
    to write instead."""
    from troposphere_fargate import (
        Application,
        ConfigError,
        NetworkConfig,
        ProductConfig,
        ServiceConfig,
        TaskRole,
    )

    secret = troposphere_fargate.Secret("KEY", "arn:aws:ssm:eu-west-1:123456789012:parameter/k")
    for build, says in (
        (
            lambda: Application(environment={"A": "b"}),  # type: ignore[arg-type]
            "Application.environment={'A': 'b'}: must be a tuple of (name, value) string pairs, "
            "not a dict: tuple(the_dict.items()) converts it",
        ),
        (
            lambda: Application(secrets=[secret]),  # type: ignore[arg-type]
            f"Application.secrets=[{secret!r}]: must be a tuple of Secret, not a list: "
            "tuple(the_list) converts it",
        ),
        (
            lambda: Application(secrets=secret),  # type: ignore[arg-type]
            f"Application.secrets={secret!r}: must be a tuple of Secret, not a Secret: a tuple "
            "of one is written (item,)",
        ),
        (
            lambda: TaskRole(statements=None),  # type: ignore[arg-type]
            "TaskRole.statements=None: must be a tuple of PolicyStatement, not None: () is none",
        ),
        (
            lambda: Application(command=["python", "app.py"]),  # type: ignore[arg-type]
            "Application.command=['python', 'app.py']: must be a tuple of strings, not a list: "
            "tuple(the_list) converts it",
        ),
        (
            lambda: NetworkConfig(interface_endpoints=["ecr.api", "ecr.dkr", "logs"]),  # type: ignore[arg-type]
            "NetworkConfig.interface_endpoints=['ecr.api', 'ecr.dkr', 'logs']: must be a tuple, "
            "not a list: tuple(the_list) converts it",
        ),
        (
            lambda: ProductConfig(services=[ServiceConfig()]),  # type: ignore[arg-type]
            "ProductConfig.services: must be a tuple of ServiceConfig, not a list of "
            "ServiceConfig: tuple(the_list) converts it",
        ),
    ):
        with pytest.raises(ConfigError) as refused:
            build()
        assert str(refused.value) == says


def _routed_only_under_api() -> Any:
    from troposphere_fargate import ProductConfig, Routing, ServiceConfig

    return ProductConfig(
        services=(
            ServiceConfig(
                container_name="api", expose="public", routing=Routing(priority=10, path="/api/*")
            ),
        )
    )


def test_a_library_build_issues_the_configs_warnings_at_the_callers_line():
    """A newcomer's trial: ``build --spec`` warned that every task of a service routed only
    under /api/* would fail its health check at /, and the same config built from Python said
    nothing."""
    import warnings

    from troposphere_fargate import ConfigWarning, generate

    shop = _routed_only_under_api()
    assert len(shop.warnings) == 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = generate(shop)  # builds all the same
    assert "service-api.yaml" in files
    # The field a library user set comes first (a review: "services.app.deregistration_delay"
    # named a spec key the user never wrote), then the spec key, as build --spec says it.
    key, rest = shop.warnings[0].split(": ", 1)
    assert key == "services.api.health_check_path"
    assert [(w.category, str(w.message)) for w in caught] == [
        (ConfigWarning, f"ServiceConfig.default_health_check_path ({key}): {rest}")
    ]
    assert caught[0].filename == __file__  # this line, not the library's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        generate()  # the shipped product warns about nothing
    assert caught == []


def test_a_ci_job_can_refuse_the_warnings_and_nothing_is_written(tmp_path):
    import warnings

    from troposphere_fargate import ConfigWarning, build_templates

    with warnings.catch_warnings():
        warnings.simplefilter("error", ConfigWarning)
        with pytest.raises(ConfigWarning) as refused:
            build_templates(_routed_only_under_api(), tmp_path / "out")
    assert "health_check_path" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_a_set_a_generator_or_text_where_a_tuple_goes_says_how_to_write_it():
    """The review of the hints: a set was told "a tuple of one is written (item,)", and text
    for pairs a tuple of one, which is no pair either."""
    from troposphere_fargate import Application, ConfigError, NetworkConfig, PolicyStatement

    for build, says in (
        (
            lambda: PolicyStatement(actions={"sqs:SendMessage"}, resources=("*",)),  # type: ignore[arg-type]
            "PolicyStatement.actions={'sqs:SendMessage'}: must be a tuple of strings, not a set: "
            "tuple(sorted(the_set)) converts it",
        ),
        (
            lambda: Application(environment="A=b"),  # type: ignore[arg-type]
            "Application.environment='A=b': must be a tuple of (name, value) string pairs, not a "
            'str: (("NAME", "value"),) is one pair',
        ),
        (
            lambda: NetworkConfig(interface_endpoints=1),  # type: ignore[arg-type]
            "NetworkConfig.interface_endpoints=1: must be a tuple, not an int: a tuple of one is "
            "written (item,)",
        ),
    ):
        with pytest.raises(ConfigError) as refused:
            build()
        assert str(refused.value) == says
    with pytest.raises(ConfigError) as refused:
        PolicyStatement(actions=(a for a in ["sqs:SendMessage"]), resources=("*",))  # type: ignore[arg-type]
    assert str(refused.value).endswith("not a generator: tuple(...) of it converts it")


def test_a_subclass_is_named_as_itself_and_other_binding_errors_are_pythons():
    from troposphere_fargate import Routing, ServiceConfig

    class Mine(ServiceConfig):
        pass

    with pytest.raises(TypeError) as refused:
        Mine(desired_count=1)
    assert str(refused.value) == (
        "Mine() got an unexpected keyword argument 'desired_count' (did you mean "
        "default_desired_count?)"
    )
    # Another binding error beside an unknown keyword: Python's own words stay.
    with pytest.raises(TypeError) as refused:
        Routing(1, priority=2, zzz=1)  # type: ignore[call-arg,misc]
    assert str(refused.value) == "Routing.__init__() got multiple values for argument 'priority'"
