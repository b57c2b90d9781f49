"""An environment of services in a VPC that exists (``network: {existing_vpc: true}``).

A spec trial: the spec could not use an existing VPC (``network.vpc_id: unknown key``), so the
only way in was to deploy environment.yaml and then each service by hand, in order, with six of
the environment's outputs each. Now the build makes no network, and the root takes the VPC's
ids as its own parameters and hands them to the environment and every service (a root
parameter wired to children, ``root.ROOT``), as a Copilot environment manifest's
``network.vpc.id`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import built
from troposphere_fargate import layers_for
from troposphere_fargate.cfn.cost import estimate
from troposphere_fargate.cfn.dry_run import DryRunFailed, dry_run, footprint
from troposphere_fargate.layers import network as n
from troposphere_fargate.layers import root
from troposphere_fargate.layers.config import ConfigError, NetworkConfig, ProductConfig
from troposphere_fargate.release.build import render_templates
from troposphere_fargate.release.spec import parse_spec

SPEC = """\
network: {existing_vpc: true}
services:
  web: {expose: public, routing: {path: "/*", priority: 100}}
  orders: {expose: internal}
"""
IDS = {
    "VpcId": "vpc-0a1b2c3d",
    "PublicSubnetIds": "subnet-0a1b2c3d,subnet-1a1b2c3d",
    "PrivateSubnetIds": "subnet-2a1b2c3d,subnet-3a1b2c3d",
}
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/{}:1"
LAUNCH = {
    "TemplateBucketName": "my-templates",
    "WebContainerImage": IMAGE.format("web"),
    "OrdersContainerImage": IMAGE.format("orders"),
}


@pytest.fixture(scope="module")
def templates() -> dict[str, Any]:
    return render_templates(parse_spec(SPEC, "app.yaml"))


def test_no_network_is_built_and_the_root_takes_the_vpc_s_ids_once(templates):
    assert n.LAYER not in templates
    assert [layer.name for layer in layers_for(parse_spec(SPEC, "app.yaml"))] == [
        "environment",
        "service-web",
        "service-orders",
        "root",
    ]
    top = templates["root"]
    assert root.NETWORK_STACK not in top["Resources"]
    assert {name: top["Parameters"][name]["Type"] for name in IDS} == {
        "VpcId": "AWS::EC2::VPC::Id",
        "PublicSubnetIds": "List<AWS::EC2::Subnet::Id>",
        "PrivateSubnetIds": "List<AWS::EC2::Subnet::Id>",
    }
    assert "in a VPC of yours: nests the environment" in top["Description"]


def test_the_environment_and_each_service_take_the_root_s_ids(templates):
    def given(stack: str) -> dict[str, Any]:
        passed = templates["root"]["Resources"][stack]["Properties"]["Parameters"]
        return {name: value for name, value in passed.items() if name in IDS}

    joined = {"Fn::Join": [",", {"Ref": "PublicSubnetIds"}]}  # nested stacks take strings
    assert given(root.ENVIRONMENT_STACK) == {"VpcId": {"Ref": "VpcId"}, "PublicSubnetIds": joined}
    private = {"Fn::Join": [",", {"Ref": "PrivateSubnetIds"}]}
    for stack in (root.service_stack("Web"), root.service_stack("Orders")):
        assert given(stack) == {"VpcId": {"Ref": "VpcId"}, "PrivateSubnetIds": private}


def test_validate_takes_the_ids_and_cost_says_the_vpc_s_own_costs_are_not_counted(tmp_path):
    folder = built(tmp_path, SPEC)
    found = footprint(dry_run(folder / "root.yaml", {**LAUNCH, **IDS}, "eu-west-1"))
    assert found.vpcs == 0 and found.nat_gateways == 0
    assert len(found.tasks) == 2
    from troposphere_fargate.cfn.dry_run import describe

    # The zones are counted from the subnets given: the account alone knows theirs.
    assert describe(found)[0] == "Availability Zones: 2 (one per load balancer subnet given)"
    assert (
        "the NAT gateways, VPC endpoints and public IPv4 addresses of the VPC the tasks run in, "
        "which this stack does not make"
    ) in estimate(found).not_counted
    # Those are fixed costs, of the stack that made the VPC: not "it depends on use" alone.
    assert (
        estimate(found)
        .report()[-2]
        .startswith("not counted (it depends on use, or it is another stack's): ")
    )
    with pytest.raises(DryRunFailed) as refused:
        dry_run(folder / "root.yaml", LAUNCH, "eu-west-1")
    assert sorted(p.split(":")[1].strip() for p in refused.value.problems) == sorted(
        f"parameter {name} needs a value (it has no default)" for name in IDS
    )
    # A VPC the root makes is counted as before: its NAT gateways are this stack's.
    made = built(tmp_path / "made", SPEC.replace("network: {existing_vpc: true}\n", ""))
    own = estimate(footprint(dry_run(made / "root.yaml", LAUNCH, "eu-west-1")))
    assert "which this stack does not make" not in " ".join(own.not_counted)
    assert own.report()[-2].startswith("not counted (it depends on use): ")


def test_a_private_environment_takes_no_public_subnets(tmp_path):
    private = SPEC.replace('web: {expose: public, routing: {path: "/*", priority: 100}}', "web: {}")
    templates = render_templates(parse_spec(private.replace("web: {}", "web: {expose: none}")))
    assert "PublicSubnetIds" not in templates["root"]["Parameters"]
    assert {"VpcId", "PrivateSubnetIds"} <= set(templates["root"]["Parameters"])


@pytest.mark.parametrize(
    ("config", "says"),
    [
        (
            lambda: NetworkConfig(existing_vpc=True, default_nat_gateways="Single"),
            "NetworkConfig.default_nat_gateways='Single': describes a network the build makes, "
            "and existing_vpc makes none: leave default_nat_gateways out",
        ),
        (
            lambda: ProductConfig(network=NetworkConfig(existing_vpc=True)),
            "ProductConfig.network.existing_vpc=True: is for the services of an environment",
        ),
        (lambda: NetworkConfig(existing_vpc="yes"), "NetworkConfig.existing_vpc='yes': must be"),
    ],
)
def test_what_an_existing_vpc_cannot_take_is_refused(config, says):
    with pytest.raises(ConfigError) as refused:
        config()
    assert str(refused.value).startswith(says)


def test_the_spec_says_which_network_key_an_existing_vpc_refuses():
    from troposphere_fargate.release.spec import SpecError

    with pytest.raises(SpecError) as refused:
        parse_spec(SPEC.replace("{existing_vpc: true}", "{existing_vpc: true, azs: 3}"), "a.yaml")
    assert str(refused.value).startswith("a.yaml:1: network.azs: describes a network the build")


def test_a_root_parameter_wired_to_two_types_is_refused():
    child = {"Parameters": {"VpcId": {"Type": "String", "Description": "x"}}}
    other = {"Parameters": {"VpcId": {"Type": "AWS::EC2::VPC::Id", "Description": "x"}}}
    nested = [
        root.Child("A", "a", "a.yaml", wires=(("VpcId", root.ROOT, "VpcId"),)),
        root.Child("B", "b", "b.yaml", wires=(("VpcId", root.ROOT, "VpcId"),)),
    ]
    with pytest.raises(root.WiringError, match="the root's parameter VpcId is a String for the a"):
        root.root_template({"a": child, "b": other}, "0.4.0", nested)


@pytest.mark.parametrize(
    ("other", "says"),
    [
        ({"AllowedPattern": "^vpc-[0-9a-f]{17}$"}, "has another AllowedPattern"),
        ({"ConstraintDescription": "a VPC"}, "has another ConstraintDescription"),
        ({"Default": "vpc-0a1b2c3d"}, "has another Default"),
        (
            {"AllowedPattern": "^vpc-[0-9a-f]{17}$", "Default": "vpc-0a1b2c3d"},
            "has another AllowedPattern and Default: declare them alike",
        ),
    ],
)
def test_a_root_parameter_wired_to_two_declarations_is_refused(other, says):
    """The root declares a parameter wired to several children (an existing VPC's ids) as the
    first child does, and CloudFormation checks each nested stack's parameters against that
    stack's own declaration ("AllowedPattern: A regular expression that represents the
    patterns to allow for String or CommaDelimitedList types"; "Default: A value of the
    appropriate type for the template to use if no value is specified", CloudFormation User
    Guide, Parameters syntax,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
    a stricter pattern in the second child would refuse, at its nested stack, after the first
    was created, a value the root took; another default would change the second child's
    value. Only the type was compared (an audit)."""
    declaration = {"Type": "String", "Description": "x", "AllowedPattern": "^vpc-[0-9a-f]+$"}
    nested = [
        root.Child("A", "a", "a.yaml", wires=(("VpcId", root.ROOT, "VpcId"),)),
        root.Child("B", "b", "b.yaml", wires=(("VpcId", root.ROOT, "VpcId"),)),
    ]

    def child(vpc: dict[str, str]) -> dict[str, Any]:
        group = {"Label": {"default": "Network"}, "Parameters": ["VpcId"]}
        interface = {"ParameterGroups": [group], "ParameterLabels": {"VpcId": {"default": "VPC"}}}
        return {
            "Parameters": {"VpcId": vpc},
            "Metadata": {"AWS::CloudFormation::Interface": interface},
        }

    children = {"a": child(declaration), "b": child({**declaration, "Description": "y"})}
    root.root_template(children, "0.4.0", nested)  # alike but in words: taken
    children["b"] = child({**declaration, **other})
    with pytest.raises(root.WiringError) as refused:
        root.root_template(children, "0.4.0", nested)
    assert str(refused.value).startswith(
        "the root's parameter VpcId takes its declaration from the a template, and the b "
        f"template's VpcId, wired to it, {says}"
    )


@pytest.mark.parametrize("with_vpc", [True, False], ids=["vpc", "no-vpc"])
def test_the_subnets_rule_names_the_roots_subnet_parameters_and_needs_its_vpc(with_vpc):
    """The rule that the subnets are the VPC's names each root parameter of subnets (not one of
    security groups, another List<> type), and a root that takes no VPC id has none: it would
    refer to a VpcId the root does not declare."""
    declared = {
        "VpcId": {"Type": "AWS::EC2::VPC::Id", "Description": "VPC"},
        "AppSubnets": {"Type": "List<AWS::EC2::Subnet::Id>", "Description": "subnets"},
        "AppSecurityGroups": {"Type": "List<AWS::EC2::SecurityGroup::Id>", "Description": "SGs"},
    }
    if not with_vpc:
        del declared["VpcId"]
    group = {"Label": {"default": "Network"}, "Parameters": list(declared)}
    interface = {
        "ParameterGroups": [group],
        "ParameterLabels": {name: {"default": name} for name in declared},
    }
    child = {"Parameters": declared, "Metadata": {"AWS::CloudFormation::Interface": interface}}
    wired = root.Child("A", "a", "a.yaml", wires=tuple((n, root.ROOT, n) for n in declared))
    rules = root.root_template({"a": child}, "0.4.0", [wired]).to_dict().get("Rules", {})
    if not with_vpc:
        assert rules == {}
        return
    (assertion,) = rules[root.SUBNETS_IN_THE_VPC]["Assertions"]
    assert assertion["AssertDescription"] == (
        "The subnets (AppSubnets) must be subnets of the VPC VpcId names."
    )


def test_the_picture_draws_the_vpc_as_yours(tmp_path: Path):
    from troposphere_fargate.release.diagram import environment_graph, environment_picture

    view = environment_picture(parse_spec(SPEC, "app.yaml"))
    assert view.network.existing and view.unreachable == []
    source = environment_graph(view).source
    assert "VPC of yours (VpcId)" in source
    assert "your private subnets (PrivateSubnetIds)" in source
    assert "NAT gateway" not in source


@pytest.mark.lint
def test_cfn_lint_reports_zero_findings_on_the_templates_of_an_existing_vpc(templates):
    from troposphere_fargate import lint_templates, to_yaml

    rendered = {f"{name}.yaml": to_yaml(template) for name, template in templates.items()}
    assert [str(finding) for finding in lint_templates(rendered)] == []


def test_diagram_refuses_the_network_options_of_an_existing_vpc(tmp_path, capsys):
    from troposphere_fargate import cli

    spec = tmp_path / "app.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "x.dot"
    assert cli.main(["diagram", "--spec", str(spec), "--nat", "Single", "-o", str(out)]) == 1
    assert capsys.readouterr().err.startswith(
        "troposphere-fargate: error: --nat draws the network the build makes, and the spec's "
        "network is existing_vpc"
    )
    assert not out.exists()
    assert cli.main(["diagram", "--spec", str(spec), "-o", str(out)]) == 0
    assert "VPC of yours" in out.read_text()


def test_the_root_checks_the_subnets_are_the_vpc_s_before_creating_anything(templates, tmp_path):
    """A review: subnets of another VPC failed late, at the load balancer or the service.
    CloudFormation checks a rule of Fn::ValueOfAll before it creates anything ("All subnets
    must be in the VPC", CloudFormation User Guide, Rules); the dry run cannot (it needs the
    account's subnets) and says it left it unchecked."""
    rule = templates["root"]["Rules"][root.SUBNETS_IN_THE_VPC]
    (assertion,) = rule["Assertions"]
    assert assertion["Assert"] == {
        "Fn::EachMemberEquals": [
            {"Fn::ValueOfAll": ["AWS::EC2::Subnet::Id", "VpcId"]},
            {"Ref": "VpcId"},
        ]
    }
    assert "(PublicSubnetIds, PrivateSubnetIds)" in assertion["AssertDescription"]
    folder = built(tmp_path, SPEC)
    stack = dry_run(folder / "root.yaml", {**LAUNCH, **IDS}, "eu-west-1")
    assert stack.unchecked_rules == [root.SUBNETS_IN_THE_VPC]
    # A root that makes its VPC has no such rule: its subnets are its network stack's.
    made = render_templates(parse_spec(SPEC.replace("network: {existing_vpc: true}\n", "")))
    assert root.SUBNETS_IN_THE_VPC not in made["root"].get("Rules", {})
