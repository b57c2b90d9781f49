"""Pictures drawn from what the templates deploy, and the generated reference docs."""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests import tools
from troposphere_fargate import cli
from troposphere_fargate.cfn import reach
from troposphere_fargate.cfn.yaml import to_yaml
from troposphere_fargate.layers.config import NetworkConfig, ProductConfig
from troposphere_fargate.release import diagram
from troposphere_fargate.release.build import render_templates
from troposphere_fargate.release.diagram import (
    EnvironmentPicture,
    Member,
    Scenario,
    environment_graph,
    environment_picture,
    graph,
    node_names,
    picture,
)
from troposphere_fargate.release.reference import ENVIRONMENT_PICTURE, PICTURES, generate_docs
from troposphere_fargate.release.spec import ENVIRONMENT_EXAMPLE_SPEC, parse_spec

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
    assert view.endpoints == [
        "ecr.api",
        "ecr.dkr",
        "ecs-agent",
        "logs",
        "s3",
        "secretsmanager",
        "ssm",
    ]
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


# --- An environment of several services -----------------------------------------------------

ENVIRONMENT = """
services:
  web:    {port: 8080, expose: public, routing: {path: "/*", priority: 100}}
  api:    {port: 9000, expose: public, routing: {path: "/api/*", priority: 10}}
  orders: {port: 7000, expose: internal}
  worker: {expose: none}
"""


def environment(text: str = ENVIRONMENT, scenario: Scenario | None = None) -> EnvironmentPicture:
    return environment_picture(parse_spec(text, "app.yaml"), scenario)


def test_an_environment_draws_each_service_with_how_it_is_reached():
    view = environment()
    assert view.members == [
        Member("web", "public", "8080", "/*", 100),
        Member("api", "public", "9000", "/api/*", 10),
        Member("orders", "internal", "7000", "http://orders:7000"),
        Member("worker", "none", ""),
    ]
    # Without a domain or certificate: plain HTTP that answers 404 to what no rule routes.
    assert view.listeners == ["HTTP :80 (404 unless a rule matches)"]
    assert (view.names, view.certificate, view.web_acl) == ([], False, False)


def test_one_load_balancer_routes_to_the_public_services_and_the_others_call_the_internal_one():
    source = environment_graph(environment()).source
    assert source.count("Application Load Balancer") == 1
    routed = sorted(re.findall(r"^\tlb -> service_(\w+)", source, re.M))
    assert routed == ["api", "web"]
    called = sorted(re.findall(r"^\tservice_(\w+) -> service_orders", source, re.M))
    assert called == ["api", "web", "worker"]
    assert not re.search(r"-> service_worker", source)  # a worker takes no traffic
    assert "priority 10" in source and "priority 100" in source


def test_a_domain_draws_its_records_certificate_and_https():
    view = environment(ENVIRONMENT_EXAMPLE_SPEC)
    assert view.names == ["api.shop.example.com", "shop.example.com"]
    assert view.certificate and view.web_acl
    # The example's https_only closes port 80; without it, port 80 redirects.
    assert view.listeners == ["HTTPS :443 (404 unless a rule matches)"]
    redirecting = environment(
        ENVIRONMENT_EXAMPLE_SPEC.replace("https_only: true", "https_only: false")
    )
    assert redirecting.listeners == [
        "HTTP :80 (301 to HTTPS)",
        "HTTPS :443 (404 unless a rule matches)",
    ]
    api = next(member for member in view.members if member.name == "api")
    assert (api.route, api.priority) == ("api.shop.example.com /v1/*", 10)
    assert {"dns", "certificate", "waf"} <= set(node_names(environment_graph(view)))


def test_a_rule_of_several_paths_and_hosts_is_drawn_with_all_of_them():
    spec = ENVIRONMENT_EXAMPLE_SPEC.replace(
        '- {path: "/v1/*", host: api.shop.example.com, priority: 10}',
        "- {path: [/v1, /v1/*], host: [api.shop.example.com, v1.shop.example.com], priority: 10}",
    )
    assert spec != ENVIRONMENT_EXAMPLE_SPEC
    view = environment(spec)
    api = next(member for member in view.members if member.name == "api")
    assert api.route == "{api.shop.example.com, v1.shop.example.com} {/v1, /v1/*}"
    # The example's second rule for api, drawn as an arrow of its own.
    assert api.more_routes == (("api.shop.example.com {/graphql, /graphql/*}", 11),)
    assert view.names == ["api.shop.example.com", "shop.example.com", "v1.shop.example.com"]


def test_one_nat_gateway_is_drawn_as_the_way_out_of_every_az():
    single = environment_graph(environment(scenario=Scenario(nat="Single"))).source
    assert "outbound: through the one NAT gateway" in single
    assert (
        "outbound: through the NAT gateway of the task's AZ"
        in environment_graph(environment()).source
    )


def test_an_environment_without_nat_draws_no_route_out_and_its_endpoints():
    view = environment(scenario=Scenario(nat="None", endpoints=True))
    assert view.network.nat_gateways == []
    source = environment_graph(view).source
    assert "no route to the internet" in source
    assert "interface endpoints" in source and "-> nat" not in source


def test_diagram_draws_a_specs_environment(dot, tmp_path):
    (tmp_path / "app.yaml").write_text(ENVIRONMENT)
    output = tmp_path / "env.svg"
    assert cli.main(["diagram", "--spec", str(tmp_path / "app.yaml"), "-o", str(output)]) == 0
    texts = {t.text for t in ElementTree.parse(output).getroot().iter() if t.tag.endswith("text")}
    assert {"orders", "internal: http://orders:7000", "/api/*", "priority 10"} <= texts


def test_diagram_of_a_bad_spec_is_one_line(tmp_path, capsys):
    (tmp_path / "app.yaml").write_text("services:\n  web: {expose: public}\n")
    assert cli.main(["diagram", "--spec", str(tmp_path / "app.yaml"), "-o", "x.dot"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "app.yaml" in err and "routing" in err
    assert not Path("x.dot").exists()


def test_the_readme_shows_an_environment_of_several_services():
    readme = (REPO / "README.md").read_text()
    assert f"docs/{ENVIRONMENT_PICTURE}.svg" in readme


# --- Generated docs ------------------------------------------------------------------------


def test_committed_docs_are_what_the_build_generates():
    for name, text in generate_docs(render_templates()).items():
        assert (DOCS / name).read_text() == text, f"docs/{name} is out of date: run the build"


def test_every_picture_is_committed_as_a_valid_svg_of_its_current_source():
    for name in [*PICTURES, ENVIRONMENT_PICTURE]:
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


def test_diagram_of_a_spec_draws_the_specs_own_defaults(tmp_path, capsys):
    """It drew the shipped defaults (2 AZs, a NAT gateway per AZ, an application load
    balancer) whatever the spec said."""
    from troposphere_fargate import cli

    spec = tmp_path / "s.yaml"
    spec.write_text(
        "network: {azs: 3, nat_gateways: Single, vpc_endpoints: true}\n"
        "services:\n  web: {load_balancer: network, port: 8080}\n"
    )
    drawn = {}
    for name, options in (
        ("spec", []),
        ("explicit", ["--azs", "3", "--nat", "Single", "--endpoints", "--lb", "network"]),
        ("shipped", ["--azs", "2", "--nat", "PerAz", "--lb", "application"]),
    ):
        out = tmp_path / f"{name}.dot"
        assert cli.main(["diagram", "--spec", str(spec), *options, "-o", str(out)]) == 0
        drawn[name] = out.read_text()
    assert drawn["spec"] == drawn["explicit"]
    assert drawn["spec"] != drawn["shipped"]
    assert "Network Load Balancer" in drawn["spec"]


def test_diagram_of_an_environment_refuses_options_it_cannot_draw(tmp_path, capsys):
    from troposphere_fargate import cli

    spec = tmp_path / "s.yaml"
    spec.write_text("services:\n  a: {expose: none}\n  b: {expose: none}\n")
    for option in (["--lb", "network"], ["--https"]):
        assert (
            cli.main(["diagram", "--spec", str(spec), *option, "-o", str(tmp_path / "x.dot")]) == 1
        )
        assert capsys.readouterr().err.startswith(
            "troposphere-fargate: error: --lb and --https draw a service with a load balancer of "
            "its own"
        )
    assert not (tmp_path / "x.dot").exists()


def test_a_service_that_scales_on_a_queue_or_a_schedule_says_so_in_its_box():
    # A user trial: the picture of a worker scaled on its queue looked like any worker.
    view = environment(
        ENVIRONMENT.replace(
            "  worker: {expose: none}\n",
            "  worker:\n    expose: none\n"
            "    queue_scaling: {queue: orders, messages_per_task: 100}\n"
            '    schedules: [{name: night, schedule: "cron(0 22 * * ? *)", max: 2}]\n',
        )
    )
    worker = next(member for member in view.members if member.name == "worker")
    assert worker.scaling == "scales on queue orders 100 per task; scheduled: night"
    assert all(member.scaling == "" for member in view.members if member.name != "worker")
    source = environment_graph(view).source
    assert "no inbound traffic (worker)\nscales on queue orders 100 per task; scheduled: night" in (
        source
    )


def test_the_s3_endpoint_says_what_it_lets_through_when_not_every_bucket():
    limited = "this account's buckets\nand ECR's image layers only"
    restricted = ProductConfig(network=NetworkConfig(default_s3_endpoint_access="ThisAccount"))
    assert limited in graph(picture(Scenario(), render_templates(restricted))).source
    assert limited not in graph(picture(Scenario())).source
    text = "network: {s3_endpoint_access: ThisAccount}\n" + ENVIRONMENT
    assert limited in environment_graph(environment(text)).source
    assert limited not in environment_graph(environment()).source


def test_a_gateway_endpoint_is_drawn_as_a_route_not_as_an_interface_in_each_subnet():
    # https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html: "Gateway
    # endpoints do not enable AWS PrivateLink." ... "Each subnet route table must have a route
    # that sends traffic destined for the service to the gateway endpoint using the prefix list
    # for the service." A DynamoDB gateway endpoint was drawn among the interface endpoints of
    # each private subnet, reached "through private link".
    config = ProductConfig(network=NetworkConfig(gateway_endpoints=("s3", "dynamodb")))
    view = picture(Scenario(nat="None", endpoints=True), render_templates(config))
    assert "dynamodb" in view.endpoints  # DynamoDB is reached without NAT
    source = graph(view).source
    assert "dynamodb" not in "".join(re.findall(r'endpoints1 \[label="[^"]*"', source))
    assert "DynamoDB gateway endpoint\n(private route tables)" in source
    assert "dynamodbendpoint -> aws [label=DynamoDB" in source
    text = "network: {gateway_endpoints: [s3, dynamodb], vpc_endpoints: true}\n" + ENVIRONMENT
    shared = environment_graph(environment(text, Scenario(nat="None", endpoints=True))).source
    assert "dynamodb" not in "".join(re.findall(r'endpoints \[label="[^"]*"', shared))
    assert "DynamoDB gateway endpoint" in shared


def test_a_web_acl_of_a_service_of_its_own_is_drawn_in_front_of_its_load_balancer():
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-webaclassociation.html:
    # "Use a web ACL association to define an association between a web ACL and a regional
    # application resource, to protect the resource. A regional application can be an
    # Application Load Balancer (ALB)". The environment's picture drew it; a service's own
    # load balancer with WebAclArn given was drawn without it.
    arn = (
        "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/web/"
        "a1b2c3d4-5678-90ab-cdef-111122223333"
    )
    guarded = render_templates(parse_spec(f"services:\n  web: {{web_acl_arn: '{arn}'}}\n"))
    assert graph(picture(Scenario(), guarded)).source.count("waf") == 2  # its node and edge
    assert "waf -> lb" in graph(picture(Scenario(), guarded)).source
    assert "waf" not in graph(picture(Scenario())).source


def test_the_aws_services_drawn_are_those_the_tasks_roles_name():
    # A newcomer's trial: a service reading a secret and writing to a queue was drawn reaching
    # "ECR, S3, CloudWatch Logs" only.
    assert environment().services == ["ECR", "S3", "CloudWatch Logs"]
    assert picture(Scenario()).services == ["ECR", "S3", "CloudWatch Logs"]
    text = ENVIRONMENT.replace(
        "  worker: {expose: none}\n",
        "  worker:\n    expose: none\n"
        "    secrets:\n"
        '      DB: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"\n'
        "      KEY: arn:aws:ssm:eu-west-1:123456789012:parameter/prod/key\n"
        "    task_role:\n"
        "      statements:\n"
        "        - actions: [sqs:SendMessage, bedrock:InvokeModel]\n"
        "          resources: ['*']\n",
    )
    view = environment(text)
    assert view.services == [
        "ECR",
        "S3",
        "CloudWatch Logs",
        "Bedrock",
        "Secrets Manager",
        "SQS",
        "SSM Parameter Store",
    ]
    assert (
        "AWS services\nECR, S3, CloudWatch Logs\nBedrock, Secrets Manager, SQS\n"
        "SSM Parameter Store" in environment_graph(view).source
    )


def test_the_endpoints_of_one_service_are_drawn_as_that_service():
    # bedrock:* calls six endpoints, servicediscovery:* two (tests/cfn/test_reach.py).
    endpoints = [*reach.endpoints_for("bedrock:*"), *reach.endpoints_for("servicediscovery:*")]
    assert diagram._named_services(endpoints)[len(diagram._ALWAYS) :] == [
        "Bedrock",
        "Bedrock Agents",
        "Bedrock Data Automation",
        "Cloud Map",
    ]


def test_services_reached_reads_only_the_task_and_execution_roles():
    document = {"Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "rds-db:connect"]}]}
    denied = {"Statement": [{"Effect": "Deny", "Action": "sns:Publish"}]}
    resources = {
        "Task": {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "TaskRoleArn": {"Fn::GetAtt": "TaskRole.Arn"},
                "ExecutionRoleArn": {"Fn::GetAtt": ["ExecutionRole", "Arn"]},
            },
        },
        # Secrets Manager decrypts the secrets with KMS itself: kms is not the tasks' call.
        "ExecutionRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Policies": [
                    {
                        "PolicyDocument": {
                            "Statement": [
                                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue"},
                                {"Effect": "Allow", "Action": "kms:Decrypt"},
                            ]
                        }
                    }
                ]
            },
        },
        "TaskRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {"Policies": [{"PolicyDocument": denied}]},
        },
        "Attached": {
            "Type": "AWS::IAM::Policy",
            "Properties": {"Roles": [{"Ref": "TaskRole"}], "PolicyDocument": document},
        },
        # A role no task uses (a Lambda function's): not the tasks' reach.
        "Other": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Policies": [
                    {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "ec2:*"}]}}
                ]
            },
        },
    }
    # rds-db:connect calls no AWS API (the token is signed in the task): not drawn either.
    assert diagram.services_reached(resources) == [
        "ECR",
        "S3",
        "CloudWatch Logs",
        "Secrets Manager",
        "SQS",
    ]


def test_without_nat_a_service_with_no_endpoint_is_drawn_unreachable():
    """A newcomer's trial: with --nat None and the default endpoints, the picture drew SQS
    among the services reached "through private link", with no sqs endpoint to reach it by."""
    text = ENVIRONMENT.replace(
        "  worker: {expose: none}\n",
        "  worker:\n    expose: none\n"
        "    task_role:\n      statements:\n"
        "        - actions: [sqs:ReceiveMessage, secretsmanager:GetSecretValue]\n"
        "          resources: ['*']\n",
    )
    no_nat = environment(text, Scenario(nat="None", endpoints=True))
    assert no_nat.unreachable == ["SQS"]
    assert no_nat.services == ["ECR", "S3", "CloudWatch Logs", "Secrets Manager"]
    source = environment_graph(no_nat).source
    assert "not reachable: no NAT gateway,\nno VPC endpoint\nSQS" in source
    assert re.search(r"^\tegress -> unreachable \[label=\"times out\"", source, re.M)
    # Through a NAT gateway every service is reached, and nothing is drawn apart.
    with_nat = environment(text)
    assert (with_nat.unreachable, with_nat.services[-2:]) == ([], ["Secrets Manager", "SQS"])
    assert "unreachable" not in node_names(environment_graph(with_nat))


def test_a_refusal_of_the_templates_names_the_options_that_set_what_it_names(tmp_path, capsys):
    """The rule's message names the template's parameters (VpcEndpoints); the command's options
    are --nat and --endpoints (a fourth trial)."""
    assert cli.main(["diagram", "--nat", "None", "-o", str(tmp_path / "a.dot")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("troposphere-fargate: error: the templates refuse these values: rule ")
    assert err.rstrip().endswith("(--nat sets NatGateways, --endpoints sets VpcEndpoints)")


def test_a_pdf_is_drawn_by_dot(dot, tmp_path):
    assert cli.main(["diagram", "-o", str(tmp_path / "a.pdf")]) == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_a_committed_version_is_drawn_from_its_own_templates(tmp_path, capsys, monkeypatch):
    """A fourth trial could not draw 0.1.0 or a build of its own: ``--from`` draws that
    version's (or folder's) network and service templates, with their own defaults. 0.1.0 had
    no S3 gateway endpoint (0.2.0 added it)."""
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    old, new = tmp_path / "old.dot", tmp_path / "new.dot"
    assert cli.main(["diagram", "--from", "0.1.0", "-o", str(old)]) == 0
    assert cli.main(["diagram", "--from", "0.4.0", "-o", str(new)]) == 0
    assert "s3endpoint" not in old.read_text() and "s3endpoint" in new.read_text()
    capsys.readouterr()
    # What it cannot draw, or would draw wrong, is said in one line.
    assert cli.main(["diagram", "--from", "0.1.0", "--spec", "app.yaml", "-o", str(old)]) == 1
    assert capsys.readouterr().err == (
        "troposphere-fargate: error: --from draws committed templates and --spec what a spec "
        "builds: give one\n"
    )
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "network.yaml").write_text("Resources: {V: {Type: AWS::EC2::VPC}}\n")
    assert cli.main(["diagram", "--from", str(tmp_path / "env"), "-o", str(old)]) == 1
    assert "no service.yaml there" in capsys.readouterr().err


def own_templates(folder: Path, network: dict, service: dict) -> Path:
    """A folder of a network.yaml and a service.yaml of one's own."""
    folder.mkdir()
    (folder / "network.yaml").write_text(to_yaml(network))
    (folder / "service.yaml").write_text(to_yaml(service))
    return folder


def test_templates_of_ones_own_are_drawn_with_what_the_picture_cannot_show_said(tmp_path, capsys):
    """``--from`` a folder of templates we did not make: what the picture cannot show (a type the
    product never makes, a subnet or NAT gateway it cannot place, a private default route to
    something it does not draw) is said on standard error and in the picture, and nothing is
    invented: a private subnet routed to the internet gateway is not "no route to the
    internet". Each of these raised a traceback or was left out without a word."""
    shipped = render_templates()
    network, service = copy.deepcopy(shipped["network"]), copy.deepcopy(shipped["service"])
    network["Resources"]["Child"] = {
        "Type": "AWS::CloudFormation::Stack",
        "Properties": {"TemplateURL": "https://example.com/child.yaml"},
    }
    network["Resources"]["Thing"] = {
        "Type": "Custom::Thing",
        "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:x"},
    }
    network["Resources"]["PrivateDefaultRoute1"]["Properties"] = {
        "DestinationCidrBlock": "0.0.0.0/0",
        "GatewayId": {"Ref": "InternetGateway"},
        "RouteTableId": {"Ref": "PrivateRouteTable1"},
    }
    endpoint = network["Resources"]["EcrApiEndpoint"]["Properties"]
    endpoint["ServiceName"] = "com.amazonaws.us-east-1.ecr.api"  # not the Fn::Sub we write
    service["Parameters"]["ListenPort"] = {"Type": "Number", "Default": 8081}
    service["Resources"]["HttpListener"]["Properties"]["Port"] = {"Ref": "ListenPort"}
    folder = own_templates(tmp_path / "own", network, service)
    output = tmp_path / "own.dot"
    assert cli.main(["diagram", "--from", str(folder), "--endpoints", "-o", str(output)]) == 0
    err = capsys.readouterr().err
    said = "Child (AWS::CloudFormation::Stack), Thing (Custom::Thing)"
    assert said in err and "PrivateDefaultRoute1" in err
    source = output.read_text()
    assert "not drawn" in source and "Child (AWS::CloudFormation::Stack)" in source
    assert "private subnet 1 (no route" not in source
    assert "HTTP :8081" in source  # the listener's port, from its parameter
    assert "ecr.api, ecr.dkr" in source
    # Without the load balancer every picture shows, one line says so.
    del service["Resources"]["LoadBalancer"]
    folder = own_templates(tmp_path / "nolb", network, service)
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot draw these templates" in err
    assert "creates no LoadBalancer" in err


def test_the_types_a_picture_knows_are_those_the_product_makes():
    """The picture of a template of one's own names what it cannot draw: the resources of a
    type the product's network.yaml and service.yaml never make. The types are written out
    (rendering the product to find them took 30 ms of every build); they must be the
    rendered templates' own, so that a type the product gains is drawn, not called foreign."""
    from troposphere_fargate.layers import network, service
    from troposphere_fargate.release import diagram
    from troposphere_fargate.release.build import render_templates

    own = render_templates()
    made = {
        str(body["Type"])
        for layer in (network.LAYER, service.LAYER)
        for body in own[layer]["Resources"].values()
    }
    assert made == diagram._KNOWN_TYPES


def test_ecs_templates_of_others_are_refused_in_one_line_naming_what_they_lack(tmp_path, capsys):
    """A corpus of ECS templates of others, drawn with ``--from`` a folder of their network
    and service templates (nathanpeck/aws-cloudformation-fargate, the container patterns, AWS
    Copilot's): none is this tool's, and each was refused as "the templates refuse these
    values: unknown parameter(s): NatGateways" (an option never given), or raised a traceback:
    ``KeyError: 'Parameters'`` for a template without parameters, an EvaluationError for a
    function CloudFormation refuses. Each is one line that says what the picture draws."""
    vpc = {
        "Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}
    }
    service = {
        "Parameters": {"ImageUrl": {"Type": "String", "Default": "nginx"}},
        "Resources": {"Service": {"Type": "AWS::ECS::Service", "Properties": {}}},
    }
    output = tmp_path / "x.dot"
    folder = own_templates(tmp_path / "theirs", vpc, service)
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 1
    assert capsys.readouterr().err == (
        "troposphere-fargate: error: cannot draw these templates: network.yaml declares no "
        "parameter NatGateways, VpcEndpoints, VpcCidr: the picture draws the network.yaml and "
        "service.yaml this tool builds (a version, or a build of your own); validate and cost "
        "tell what a template of your own deploys and costs\n"
    )
    shipped = render_templates()
    folder = own_templates(tmp_path / "service", shipped["network"], service)
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 1
    assert "service.yaml declares no parameter VpcId, PublicSubnetIds, " in capsys.readouterr().err
    # A build of one's own with a function CloudFormation refuses: one line, no traceback.
    bad = copy.deepcopy(shipped["service"])
    bad["Resources"]["Service"]["Properties"]["DesiredCount"] = {"Fn::Ref": "DesiredCount"}
    folder = own_templates(tmp_path / "bad", shipped["network"], bad)
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    # Named at its file (a review: the line named neither the file nor its folder).
    assert err.startswith(
        f"troposphere-fargate: error: cannot draw these templates: {folder / 'service.yaml'}: "
        "resource Service"
    )
    assert "Fn::Ref" in err


# --- What a mutation run of diagram.py found untested ---------------------------------------


def test_a_folders_own_defaults_are_what_is_drawn(tmp_path):
    """``--from`` draws the templates' own defaults: a folder whose network defaults to three
    AZs, one NAT gateway and the endpoints is drawn so, not as the shipped 2 AZs, PerAz."""
    shipped = render_templates()
    network = copy.deepcopy(shipped["network"])
    for name, value in (("NumberOfAzs", "3"), ("NatGateways", "Single"), ("VpcEndpoints", "true")):
        network["Parameters"][name]["Default"] = value
    folder = own_templates(tmp_path / "own", network, shipped["service"])
    output = tmp_path / "own.dot"
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 0
    expected = graph(picture(Scenario(azs=3, nat="Single", endpoints=True))).source
    assert output.read_text() == expected


def test_a_build_of_two_azs_refuses_to_draw_three(tmp_path, capsys):
    """A spec whose network spans two AZs at most has no NumberOfAzs: ``--azs 3`` is refused,
    not drawn as two."""
    spec = tmp_path / "s.yaml"
    spec.write_text("network: {max_azs: 2}\nservices:\n  web: {port: 8080}\n")
    output = tmp_path / "x.dot"
    assert cli.main(["diagram", "--spec", str(spec), "--azs", "3", "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "troposphere-fargate: error: the templates refuse these values: these templates offer "
        "2 Availability Zones, not 3: draw them with --azs 2, or build them with a larger "
        "max_azs\n"
    )
    assert not output.exists()


def test_the_vpc_is_drawn_with_the_spec_s_cidr():
    text = (
        "network:\n  vpc_cidr: 10.20.0.0/16\n"
        "  public_subnet_cidrs: [10.20.0.0/22, 10.20.4.0/22, 10.20.8.0/22]\n"
        "  private_subnet_cidrs: [10.20.16.0/20, 10.20.32.0/20, 10.20.48.0/20]\n"
        "services:\n  web: {port: 8080}\n"
    )
    source = graph(picture(Scenario(), render_templates(parse_spec(text, "s.yaml")))).source
    assert 'label="VPC 10.20.0.0/16"' in source


def test_only_a_private_subnet_s_default_route_is_drawn_as_its_way_out(tmp_path):
    """A private route table whose only route through a NAT gateway is for 10.1.0.0/16 has no
    way to the internet: the subnet is drawn without one, and with no 0.0.0.0/0 arrow."""
    shipped = render_templates()
    network = copy.deepcopy(shipped["network"])
    network["Resources"]["PrivateDefaultRoute1"]["Properties"]["DestinationCidrBlock"] = (
        "10.1.0.0/16"
    )
    folder = own_templates(tmp_path / "own", network, shipped["service"])
    output = tmp_path / "own.dot"
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 0
    source = output.read_text()
    assert "private subnet 1 (no route to the internet)" in source
    assert "task1 -> nat" not in source
    assert "task2 -> nat2" in source


def test_a_nat_gateway_in_a_subnet_of_ones_own_is_said_not_drawn(tmp_path, capsys):
    """NatGateway1 moved to a subnet the picture cannot place: the NAT gateway and that subnet
    are said not drawn, the other NAT gateway is drawn, and private subnet 1, routed to the NAT
    gateway not drawn, is not said to have no route to the internet."""
    shipped = render_templates()
    network = copy.deepcopy(shipped["network"])
    resources = network["Resources"]
    resources["EdgeSubnet"] = copy.deepcopy(resources["PublicSubnet1"])
    resources["NatGateway1"]["Properties"]["SubnetId"] = {"Ref": "EdgeSubnet"}
    folder = own_templates(tmp_path / "own", network, shipped["service"])
    output = tmp_path / "own.dot"
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 0
    err = capsys.readouterr().err
    assert "EdgeSubnet (AWS::EC2::Subnet)" in err
    assert "NatGateway1 (AWS::EC2::NatGateway)" in err and "NatGateway2 (" not in err
    assert "PrivateDefaultRoute1 (AWS::EC2::Route 0.0.0.0/0 of private subnet 1)" in err
    source = output.read_text()
    assert "(no route to the internet)" not in source
    assert not re.search(r"^\s*nat1 \[", source, re.M)
    assert "task2 -> nat2" in source


def test_a_network_without_one_parameter_the_picture_reads_is_refused_in_one_line(tmp_path, capsys):
    shipped = render_templates()
    network = copy.deepcopy(shipped["network"])
    del network["Parameters"]["VpcCidr"]
    network["Resources"]["Vpc"]["Properties"]["CidrBlock"] = "10.0.0.0/16"
    folder = own_templates(tmp_path / "own", network, shipped["service"])
    assert cli.main(["diagram", "--from", str(folder), "-o", str(tmp_path / "x.dot")]) == 1
    assert capsys.readouterr().err.startswith(
        "troposphere-fargate: error: cannot draw these templates: network.yaml declares no "
        "parameter VpcCidr: "
    )


def test_a_service_template_without_an_ecs_service_is_refused_in_one_line(tmp_path, capsys):
    shipped = render_templates()
    service = copy.deepcopy(shipped["service"])
    del service["Resources"]["Service"]
    folder = own_templates(tmp_path / "own", shipped["network"], service)
    assert cli.main(["diagram", "--from", str(folder), "-o", str(tmp_path / "x.dot")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "creates no Service" in err


def test_a_service_of_ones_own_is_drawn_as_its_template_makes_it(tmp_path, capsys):
    """What the service template says, not what the options ask: a load balancer whose type is
    written in, tasks given public IPs, and a resource the picture cannot draw."""
    shipped = render_templates()
    service = copy.deepcopy(shipped["service"])
    resources = service["Resources"]
    resources["LoadBalancer"]["Properties"]["Type"] = "network"
    awsvpc = resources["Service"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
    awsvpc["AssignPublicIp"] = "ENABLED"
    resources["Thing"] = {
        "Type": "Custom::Thing",
        "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:x"},
    }
    folder = own_templates(tmp_path / "own", shipped["network"], service)
    output = tmp_path / "own.dot"
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 0
    assert "Thing (Custom::Thing)" in capsys.readouterr().err
    source = output.read_text()
    assert "Network Load Balancer" in source and "Application Load Balancer" not in source
    assert "Fargate tasks\npublic IP" in source and "no public IP" not in source
    assert "Thing (Custom::Thing)" in source


SERVICE_CALLING = """\
services:
  web:
    port: 8080
    task_role:
      statements:
        - actions: [s3:GetObject, logs:PutLogEvents, sns:Publish, sqs:SendMessage, dynamodb:GetItem]
          resources: ["*"]
"""


def test_each_service_the_tasks_call_is_drawn_once_by_its_own_name():
    view = picture(Scenario(), render_templates(parse_spec(SERVICE_CALLING, "s.yaml")))
    assert view.services == ["ECR", "S3", "CloudWatch Logs", "DynamoDB", "SNS", "SQS"]


def test_a_gateway_endpoint_reaches_its_service_without_nat():
    """Without NAT, a DynamoDB gateway endpoint reaches DynamoDB: only SNS and SQS, with no
    endpoint, time out (from the first AZ's tasks, in a service's picture)."""
    text = "network: {gateway_endpoints: [s3, dynamodb]}\n" + SERVICE_CALLING
    templates = render_templates(parse_spec(text, "s.yaml"))
    view = picture(Scenario(nat="None", endpoints=True), templates)
    assert view.services == ["ECR", "S3", "CloudWatch Logs", "DynamoDB"]
    assert view.unreachable == ["SNS", "SQS"]
    source = graph(view).source
    assert re.search(r'^\ttask1 -> unreachable \[label="times out"', source, re.M)


def test_an_existing_vpc_s_routes_are_its_own():
    """In a VPC of one's own no service is drawn cut off, nor the subnets without a route out:
    the tasks go out by the VPC's own routes."""
    text = (
        "network: {existing_vpc: true}\n"
        'services:\n  web: {expose: public, routing: {path: "/*", priority: 100}}\n'
        "  worker:\n    expose: none\n    task_role:\n      statements:\n"
        "        - actions: [sqs:ReceiveMessage]\n          resources: ['*']\n"
    )
    view = environment(text)
    assert (view.unreachable, view.services[-1]) == ([], "SQS")
    source = environment_graph(view).source
    assert "no route to the internet" not in source
    assert re.search(r"^\tegress -> aws \[label=\"your VPC's routes\"", source, re.M)


def test_a_parameter_named_inside_another_word_names_no_option():
    assert diagram.options_named("NatGateways must be PerAz") == ["--nat sets NatGateways"]
    assert diagram.options_named("unknown parameter(s): NatGatewaysPerAz") == []


def test_a_source_dot_refuses_is_an_error_and_no_picture(dot, tmp_path):
    broken = graph(picture(Scenario()))
    broken.body.append("\tthis is { not dot\n")
    with pytest.raises(RuntimeError, match=r"^dot failed: "):
        diagram.render(broken, tmp_path / "a.svg")
    assert not (tmp_path / "a.svg").exists()


def test_an_az_is_drawn_only_with_both_its_subnets(tmp_path, capsys):
    """A network of one's own whose second AZ has a private subnet and no PublicSubnet2 (its
    public subnet is another name): no second column is drawn with a public subnet and a load
    balancer node the template does not make; its subnets and NAT gateway are said not drawn."""
    shipped = render_templates()
    text = json.dumps(shipped["network"]).replace('"PublicSubnet2"', '"EdgeSubnet2"')
    network = json.loads(text)
    folder = own_templates(tmp_path / "own", network, shipped["service"])
    output = tmp_path / "own.dot"
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 0
    err = capsys.readouterr().err
    for name in ("EdgeSubnet2 (AWS::EC2::Subnet)", "PrivateSubnet2 (AWS::EC2::Subnet)"):
        assert name in err
    source = output.read_text()
    assert "public subnet 1" in source and "public subnet 2" not in source
    assert "task2" not in source


def test_a_fourth_az_of_ones_own_is_drawn(tmp_path):
    """Templates of one's own with a fourth AZ (the product makes three at most): drawn as a
    column of its own, with its NAT gateway and route."""
    shipped = render_templates()
    network = copy.deepcopy(shipped["network"])
    second = r"(PublicSubnet|PrivateSubnet|PrivateRouteTable|NatGateway|PrivateDefaultRoute)2"
    fourth = {
        re.sub(second, r"\g<1>4", name): json.loads(
            re.sub(second + "(?!Cidr)", r"\g<1>4", json.dumps(body))
        )
        for name, body in network["Resources"].items()
        if re.match(second + "(Eip|RouteTableAssociation)?$", name)
    }
    network["Resources"].update(fourth)
    folder = own_templates(tmp_path / "own", network, shipped["service"])
    output = tmp_path / "own.dot"
    assert cli.main(["diagram", "--from", str(folder), "-o", str(output)]) == 0
    source = output.read_text()
    assert "Availability Zone 4" in source and "task4 -> nat4" in source
    assert "not drawn" not in source


def test_a_picture_renders_what_build_render_templates_is_at_the_time(monkeypatch):
    """diagram.py imported render_templates by name when it was first imported: a test that
    stood in for build.render_templates while a build imported diagram (for dot_available) left
    every later picture in that process drawing its stand-in (the suite failed so, by the
    order its tests ran in). The pictures call build.render_templates, as the commands do."""
    from troposphere_fargate.release import build

    real, calls = build.render_templates, []

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "render_templates", counted)
    diagram.picture(Scenario())
    diagram.environment_picture(parse_spec(ENVIRONMENT_EXAMPLE_SPEC, "app.yaml"))
    assert len(calls) == 2
