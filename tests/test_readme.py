"""The README documents what the code does: its tables and examples are checked against the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from troposphere_fargate import ConfigError, NetworkConfig

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def section(title: str) -> str:
    """The README text under a heading, up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(title)}$", README, re.M)
    assert match, f"README has no section {title!r}"
    body = README[match.end() :]
    end = re.search(rf"^#{{1,{len(match.group(1))}}} ", body, re.M)
    return body[: end.start()] if end else body


LAYER_FILES = ("network.yaml", "service.yaml", "root.yaml", "catalog.yaml")


def test_the_readme_points_at_the_generated_reference_instead_of_copying_it():
    """Parameter and output tables are generated (docs/*.md, kept in sync by the build's
    --check); the README links them rather than keep a hand-written copy that can drift."""
    repo = Path(__file__).resolve().parent.parent
    for doc in ("parameters.md", "outputs.md"):
        headings = (repo / "docs" / doc).read_text()
        for filename in ("network.yaml", "service.yaml"):
            anchor = filename.replace(".", "")
            assert f"(docs/{doc}#{anchor})" in README, (doc, filename)
            assert f"## {filename}" in headings
    assert not re.search(r"^\| parameter \| default \|", README, re.M)


def test_library_example_runs():
    (example,) = [
        block
        for block in re.findall(r"```python\n(.*?)```", README, re.S)
        if "network_template(config)" in block
    ]
    printed: list[str] = []
    exec(example, {"print": printed.append})
    assert "172.20.0.0/20" in printed[0]
    assert "PublicSubnet3" not in printed[0]  # max_azs=2


def test_config_error_example_is_what_the_code_says():
    match = re.search(r">>> (NetworkConfig\(.*\))\nConfigError: (.*)\n", README)
    assert match
    with pytest.raises(ConfigError) as error:
        eval(match.group(1), {"NetworkConfig": NetworkConfig})
    assert str(error.value) == match.group(2)


def test_readme_commands_are_the_ci_commands():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    test_command = (
        'python -m pip install -c constraints.txt -e ".[test]" '
        "&& python scripts/fetch_test_tools.py && python -m pytest"
    )
    assert test_command in README
    assert test_command in ci
    assert "python -m pip install -c constraints.txt . && troposphere-fargate build" in README
    assert "python -m pip install --quiet -c constraints.txt . && troposphere-fargate build" in ci


def test_publish_example_output_is_what_publish_prints():
    from troposphere_fargate import __version__
    from troposphere_fargate.release.publish import Destination, deploy_command, launch_url

    destination = Destination(
        "my-templates-eu-west-1", "troposphere-fargate/", __version__, "eu-west-1"
    )
    assert f"Launch Stack (eu-west-1):\n  {launch_url(destination)}\n" in README
    assert f"Deploy with the AWS CLI:\n  {deploy_command(destination)}\n" in README


def test_readme_lists_every_suppression_with_its_reason():
    from troposphere_fargate import __version__
    from troposphere_fargate.cfn import yaml as render

    folder = Path(__file__).resolve().parent.parent / "templates" / __version__
    expected = set()
    for path in sorted(folder.glob("*.yaml")):
        for name, resource in render.from_yaml(path.read_text())["Resources"].items():
            metadata = resource.get("Metadata") or {}
            for rule, why in (metadata.get("guard") or {}).get("Reasons", {}).items():
                expected.add(f"| {path.name} | {name} | `{rule}` (cfn-guard) | {why} |")
            for skip in (metadata.get("checkov") or {}).get("skip", []):
                expected.add(
                    f"| {path.name} | {name} | `{skip['id']}` (checkov) | {skip['comment']} |"
                )
    listed = {
        line for line in README.splitlines() if "(cfn-guard) |" in line or "(checkov) |" in line
    }
    assert listed == expected


def test_diff_example_is_what_the_command_prints(tmp_path, capsys):
    from troposphere_fargate import __version__, cli
    from troposphere_fargate.layers.config import ProductConfig
    from troposphere_fargate.release.build import generate, write_version

    match = re.search(
        rf"\$ troposphere-fargate diff {re.escape(__version__)} /tmp/alt/two-azs\n(.*?)```",
        README,
        re.S,
    )
    assert match
    write_version(tmp_path, generate(ProductConfig(network=NetworkConfig(max_azs=2))), "two-azs")
    repo = Path(__file__).resolve().parent.parent
    arguments = [__version__, str(tmp_path / "two-azs"), "--templates", str(repo / "templates")]
    assert cli.main(["diff", *arguments]) == 1
    assert capsys.readouterr().out == match.group(1)


def test_running_stack_diff_examples_are_what_the_command_prints(capsys, monkeypatch):
    from troposphere_fargate import cli

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    examples = re.findall(
        r"\$ troposphere-fargate (diff [^\n]*--(?:set|parameters)[^\n]*)\n(.*?)```", README, re.S
    )
    assert len(examples) == 2
    for command, printed in examples:
        cli.main(command.split())
        assert capsys.readouterr().out == printed, command


def test_where_it_works_lists_every_claimed_region():
    from troposphere_fargate.layers import regions

    text = section("Where it works")
    for label, claimed in (
        ("Commercial", regions.COMMERCIAL),
        ("China", regions.CHINA),
        ("AWS GovCloud (US)", regions.GOVCLOUD),
    ):
        line = next(x for x in text.splitlines() if x.startswith(f"- {label} ("))
        assert re.findall(r"`([^`]+)`", line) == list(claimed), label
    catalog = next(x for x in text.split("\n\n") if x.startswith("`catalog.yaml` works"))
    assert re.findall(r"`([a-z]{2}-[a-z]+-\d)`", catalog) == list(regions.NO_SERVICE_CATALOG)


def test_troubleshooting_gives_the_service_linked_role_command():
    text = section("Troubleshooting")
    assert "aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com" in text
    assert "cloudformation-coverage-roadmap#818" in text


def readme_spec() -> str:
    (spec,) = [
        b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if b.startswith("# app.yaml")
    ]
    return spec


def test_the_readmes_application_spec_builds_templates_that_carry_it(tmp_path, capsys):
    from troposphere_fargate import __version__, cli, deployed, from_yaml

    (tmp_path / "app.yaml").write_text(readme_spec())
    output = tmp_path / "build"
    arguments = ["build", "--spec", str(tmp_path / "app.yaml"), "--output", str(output)]
    assert cli.main(arguments) == 0, capsys.readouterr().err
    folder = output / __version__
    assert sorted(p.name for p in folder.iterdir()) == [
        "catalog.yaml",
        "environment.yaml",  # the shipped product's layers, with this service
        "manifest.json",
        "network.yaml",
        "root.yaml",
        "service.yaml",
    ]
    assert not (tmp_path / "docs").exists()  # a spec build writes docs only when asked
    service = from_yaml((folder / "service.yaml").read_text())
    required = {
        "VpcId": "vpc-0a1b2c3d",
        "PublicSubnetIds": "subnet-01,subnet-02",
        "PrivateSubnetIds": "subnet-11,subnet-12",
        "ContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2",
    }
    task = deployed(service, required).resources["TaskDefinition"]
    containers = task["Properties"]["ContainerDefinitions"]
    assert [c["Name"] for c in containers] == ["web", "otel"]
    assert {"Name": "LOG_LEVEL", "Value": "info"} in containers[0]["Environment"]
    assert [s["Name"] for s in containers[0]["Secrets"]] == ["API_KEY", "DATABASE_URL"]
    # The walkthrough publishes and deploys what this build wrote.
    assert "publish --templates build" in README
    assert f"--template-file build/{__version__}/root.yaml" in README


def test_a_bad_spec_is_one_line_and_writes_nothing(tmp_path, capsys):
    from troposphere_fargate import cli

    spec = readme_spec().replace("health_check_path:", "helth_check_path:")
    (tmp_path / "app.yaml").write_text(spec)
    output = tmp_path / "build"
    assert cli.main(["build", "--spec", str(tmp_path / "app.yaml"), "--output", str(output)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    line = 1 + spec.splitlines().index("    helth_check_path: /healthz")
    assert err.startswith(f"troposphere-fargate: error: {tmp_path / 'app.yaml'}:{line}: ")
    assert "services.web.helth_check_path: unknown key (did you mean health_check_path?)" in err
    assert not output.exists()
