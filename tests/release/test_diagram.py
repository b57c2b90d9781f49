"""Pictures drawn from what the templates deploy, and the generated reference docs."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests import tools
from troposphere_fargate import cli
from troposphere_fargate.layers.config import NetworkConfig, ProductConfig
from troposphere_fargate.release import diagram
from troposphere_fargate.release.build import render_templates
from troposphere_fargate.release.diagram import Scenario, graph, node_names, picture
from troposphere_fargate.release.reference import PICTURES, generate_docs

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


@pytest.fixture(scope="session")
def dot() -> Path:
    """Graphviz's dot, from the system's packages (.ci/run installs it in CI)."""
    return tools.dot()


def nodes(scenario: Scenario) -> list[str]:
    return node_names(graph(picture(scenario)))


def test_three_azs_per_az_draws_three_nat_gateways_each_serving_its_own_az():
    view = picture(Scenario(azs=3, nat="PerAz"))
    assert view.nat_gateways == [1, 2, 3]
    assert view.routes == {1: 1, 2: 2, 3: 3}
    assert [n for n in nodes(Scenario(azs=3, nat="PerAz")) if n.startswith("nat")] == [
        "nat1",
        "nat2",
        "nat3",
    ]


def test_single_draws_one_nat_gateway_serving_every_az():
    source = graph(picture(Scenario(azs=3, nat="Single"))).source
    for az in (1, 2, 3):
        assert f"task{az} -> nat1 [" in source  # each AZ's route, drawn to the single NAT
    assert "task2 -> nat2" not in source
    view = picture(Scenario(azs=3, nat="Single"))
    assert view.nat_gateways == [1]
    assert view.routes == {1: 1, 2: 1, 3: 1}
    assert [n for n in nodes(Scenario(azs=3, nat="Single")) if n.startswith("nat")] == ["nat1"]


def test_no_nat_with_endpoints_draws_endpoints_and_no_route_out():
    scenario = Scenario(azs=2, nat="None", endpoints=True)
    view = picture(scenario)
    assert view.nat_gateways == []
    assert view.routes == {1: None, 2: None}
    assert view.endpoints == ["ecr.api", "ecr.dkr", "logs", "s3", "secretsmanager", "ssm"]
    drawn = nodes(scenario)
    assert not [n for n in drawn if n.startswith("nat")]
    assert {"endpoints1", "endpoints2", "s3endpoint"} <= set(drawn)
    assert "no route to the internet" in graph(view).source


def test_listeners_follow_the_load_balancer_type_and_certificate():
    assert picture(Scenario(https=True)).listeners == ["HTTP :80 (301 to HTTPS)", "HTTPS :443"]
    assert not picture(Scenario()).public_ip  # from the service's AssignPublicIp
    assert "no public IP" in graph(picture(Scenario())).source
    assert picture(Scenario()).listeners == ["HTTP :80"]
    network = picture(Scenario(load_balancer="network", https=True))
    assert (network.load_balancer, network.listeners) == ("network", ["TLS :443"])
    assert "Network Load Balancer" in graph(network).source


def test_the_templates_decide_what_is_drawn():
    # A build with other endpoints and two AZs at most draws those, not a hard-coded picture.
    config = ProductConfig(
        network=NetworkConfig(max_azs=2, interface_endpoints=("ecr.api", "ecr.dkr", "logs"))
    )
    view = picture(Scenario(nat="None", endpoints=True), render_templates(config))
    assert view.endpoints == ["ecr.api", "ecr.dkr", "logs", "s3"]
    assert view.azs == [1, 2]


def test_values_the_templates_refuse_are_refused(capsys):
    assert cli.main(["diagram", "--nat", "None", "-o", "x.svg"]) == 1
    assert "VpcEndpoints to true" in capsys.readouterr().err


def test_rendering_gives_a_valid_svg(dot, tmp_path):
    output = tmp_path / "a.svg"
    assert cli.main(["diagram", "--azs", "3", "--https", "-o", str(output)]) == 0
    root = ElementTree.parse(output).getroot()
    assert root.tag.endswith("svg")
    texts = {t.text for t in root.iter() if t.tag.endswith("text")}
    assert {"NAT gateway 3", "Internet gateway", "HTTPS :443"} <= texts


def test_without_dot_the_source_is_written_and_the_fix_explained(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(diagram, "dot_available", lambda: False)
    assert cli.main(["diagram", "-o", str(tmp_path / "a.svg")]) == 1
    assert (tmp_path / "a.dot").read_text().startswith("digraph architecture {")
    assert "apt-get install graphviz" in capsys.readouterr().err


# --- Generated docs ------------------------------------------------------------------------


def test_committed_docs_are_what_the_build_generates():
    for name, text in generate_docs(render_templates()).items():
        assert (DOCS / name).read_text() == text, f"docs/{name} is out of date: run the build"


def test_every_picture_is_committed_as_a_valid_svg_of_its_current_source():
    for name in PICTURES:
        root = ElementTree.parse(DOCS / f"{name}.svg").getroot()
        assert root.tag.endswith("svg"), name
        source = (DOCS / f"{name}.dot").read_text()
        assert diagram.source_stamp(source) in (DOCS / f"{name}.svg").read_text(), (
            f"docs/{name}.svg was drawn from another source: run the build where dot is installed"
        )


def test_parameter_reference_lists_every_parameter_of_every_template():
    text = (DOCS / "parameters.md").read_text()
    for layer, template in render_templates().items():
        section = text.split(f"## {layer}.yaml", 1)[1].split("\n## ", 1)[0]
        for name in template["Parameters"]:
            assert f"| `{name}` |" in section, (layer, name)


def test_output_reference_lists_every_output_of_every_template():
    text = (DOCS / "outputs.md").read_text()
    for layer, template in render_templates().items():
        section = text.split(f"## {layer}.yaml", 1)[1].split("\n## ", 1)[0]
        for name in template.get("Outputs", {}):
            assert f"| `{name}` |" in section, (layer, name)


def test_readme_shows_the_default_picture_near_the_top():
    readme = (REPO / "README.md").read_text()
    assert "![" in readme.split("## Quick start")[0]
    assert "docs/architecture.svg" in readme.split("## Quick start")[0]
