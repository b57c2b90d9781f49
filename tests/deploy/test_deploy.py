"""Deploy the generated templates with the real ``aws`` CLI into a local AWS emulator (moto, on
127.0.0.1) and read back what was created.

The stacks are created and updated with ``aws cloudformation create-stack`` / ``update-stack``:
moto 5.2 runs the change sets of ``aws cloudformation deploy`` as an update of an empty stack,
which loses the outputs and evaluates conditions on the defaults, so ``deploy`` would test moto,
not the templates. moto_patched.py (beside this file) fixes smaller emulator gaps, each documented
there.

What moto does not model through CloudFormation is asserted on the rendered template in the same
test, with the reason in a comment:
- the ECS service's network configuration, load balancers and deployment settings (moto keeps
  only the cluster, task definition and desired count);
- ``AWS::EC2::SecurityGroupEgress``, ``AWS::S3::BucketPolicy`` and Application Auto Scaling
  (moto has no CloudFormation support for them);
- parameter ``AllowedPattern``/``AllowedValues`` and template ``Rules`` (moto does not enforce
  them: they are proved with the template's own regex and assertions instead).
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from tests.deploy.aws import REGION, MotoServer
from troposphere_fargate import __version__, from_yaml
from troposphere_fargate.cfn.evaluate import ParameterError, RuleError, deployed
from troposphere_fargate.layers import network as n
from troposphere_fargate.layers import root
from troposphere_fargate.layers import service as s
from troposphere_fargate.release.build import render_templates
from troposphere_fargate.release.publish import INLINE_TEMPLATE_BYTES

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates" / __version__
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4.2"
STAGING_BUCKET = "deploy-staging"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    with MotoServer(tmp_path_factory.mktemp("moto-deploy"), patched=True) as server:
        yield server


# The aws CLI's data loader, made by the first command in the CLI's own environment (Aws.cli).
_CLI_DATA: list[Any] = []


class Aws:
    """The aws CLI and boto3 clients, both bound to the emulator."""

    def __init__(self, emulator: MotoServer) -> None:
        self.env = {"PATH": "/usr/bin:/bin", **emulator.env()}
        self.emulator = emulator
        self.url = emulator.url

    def client(self, service: str) -> Any:
        return self.emulator.client(service)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``aws ARGS --output json``: the aws CLI's own driver (what the ``aws`` script runs),
        in this process, with the emulator's environment alone and its output captured. A
        process per command spent 0.35 s importing awscli, some 190 times in this module.

        Each command gets a driver and session of its own, as each ``aws`` process does, but
        they share one data loader: it only reads the CLI's service models and lists its
        services, as it does for every client of one ``aws`` process, and reading them again
        for each command took 3.5 s of a test of 17 commands (botocore's Loader caches what it
        reads on itself)."""
        import awscli  # the test extras'
        from awscli.clidriver import create_clidriver

        command = [*args, "--output", "json"]
        # What importing awscli sets in an `aws` process: where the CLI's own data is.
        env = {**self.env, "AWS_DATA_PATH": str(Path(awscli.__file__).parent / "data")}
        out, err = io.StringIO(), io.StringIO()
        with (
            mock.patch.dict(os.environ, env, clear=True),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            driver = create_clidriver()
            if _CLI_DATA:
                driver.session.register_component("data_loader", _CLI_DATA[0])
            else:
                _CLI_DATA.append(driver.session.get_component("data_loader"))
            code = driver.main(command)
        result = subprocess.CompletedProcess(
            ["aws", *command], code, out.getvalue(), err.getvalue()
        )
        if check and result.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed:\n{result.stderr}")
        return result

    def create_stack(self, name: str, template: str | Path, **parameters: str) -> dict[str, str]:
        """Create a stack the way a user would with the CLI; return its outputs.

        A template over CloudFormation's 51,200-byte inline quota goes through S3, as it must
        in a real account (moto would take it inline: see INLINE_TEMPLATE_BYTES)."""
        if isinstance(template, Path) and template.stat().st_size > INLINE_TEMPLATE_BYTES:
            template = self.staged(template)
        source = (
            ["--template-url", template]
            if isinstance(template, str)
            else ["--template-body", f"file://{template}"]
        )
        self.cli(
            "cloudformation",
            "create-stack",
            "--stack-name",
            name,
            *source,
            "--capabilities",
            "CAPABILITY_IAM",
            *_parameters(parameters),
        )
        self.settled(name)
        self.cli("cloudformation", "wait", "stack-create-complete", "--stack-name", name)
        return self.outputs(name)

    def settled(self, name: str) -> None:
        """Return once the stack is no longer ``*_IN_PROGRESS`` (polled every 0.1 s); the CLI's
        waiter, run after this, still judges the outcome. The waiter polls every 30 s
        (https://docs.aws.amazon.com/cli/v1/reference/cloudformation/wait/stack-create-complete.html:
        "It will poll every 30 seconds until a successful state has been reached"), and moto
        runs a custom resource's function in a thread of its own (moto/cloudformation/
        custom_model.py), so a stack still in progress at the waiter's first poll cost 30 s."""
        cloudformation = self.client("cloudformation")
        deadline = time.monotonic() + 120  # the time a CLI command was given, as a process
        while True:
            (stack,) = cloudformation.describe_stacks(StackName=name)["Stacks"]
            if not str(stack["StackStatus"]).endswith("_IN_PROGRESS"):
                return
            if time.monotonic() > deadline:  # the waiter would wait an hour
                raise AssertionError(f"stack {name} is still {stack['StackStatus']} after 120 s")
            time.sleep(0.1)

    def staged(self, template: Path) -> str:
        """The template uploaded to a staging bucket in the emulator; its HTTPS URL."""
        s3 = self.client("s3")
        s3.create_bucket(Bucket=STAGING_BUCKET)  # idempotent in us-east-1
        s3.put_object(Bucket=STAGING_BUCKET, Key=template.name, Body=template.read_bytes())
        return f"https://{STAGING_BUCKET}.s3.{REGION}.amazonaws.com/{template.name}"

    def update_stack(
        self,
        name: str,
        keep: list[str],
        template: Path | None = None,
        template_url: str | None = None,
        **parameters: str,
    ) -> dict[str, str]:
        """Update a stack, to ``template`` or ``template_url`` (else its own), keeping the
        values of ``keep``."""
        if template_url is not None:
            source = ["--template-url", template_url]
        elif template is None:
            source = ["--use-previous-template"]
        elif template.stat().st_size > INLINE_TEMPLATE_BYTES:
            source = ["--template-url", self.staged(template)]
        else:
            source = ["--template-body", f"file://{template}"]
        self.cli(
            "cloudformation",
            "update-stack",
            "--stack-name",
            name,
            *source,
            "--capabilities",
            "CAPABILITY_IAM",
            "--parameters",
            json.dumps(
                [{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()]
                + [{"ParameterKey": key, "UsePreviousValue": True} for key in keep]
            ),
        )
        self.settled(name)
        self.cli("cloudformation", "wait", "stack-update-complete", "--stack-name", name)
        return self.outputs(name)

    def stack(self, name: str) -> dict[str, Any]:
        result = self.cli("cloudformation", "describe-stacks", "--stack-name", name)
        (stack,) = json.loads(result.stdout)["Stacks"]
        return dict(stack)

    def outputs(self, name: str) -> dict[str, str]:
        return {o["OutputKey"]: o["OutputValue"] for o in self.stack(name).get("Outputs", [])}


def _parameters(values: dict[str, str]) -> list[str]:
    if not values:
        return []
    # The shorthand syntax splits on commas; a list value goes in as JSON.
    return [
        "--parameters",
        json.dumps([{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]),
    ]


def publish(
    aws: Aws,
    emulator: MotoServer,
    templates: Path,
    prefix: str | None = None,
    version: str | None = None,
) -> str:
    """``templates`` published to the emulator's bucket "team-templates" (made here) as a user
    would, with ``troposphere-fargate publish``; its standard output."""
    aws.client("s3").create_bucket(Bucket="team-templates")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "troposphere_fargate",
            "publish",
            "--bucket",
            "team-templates",
            *(["--prefix", prefix] if prefix else []),
            "--templates",
            str(templates),
            *(["--version", version] if version else []),
        ],
        env={"PATH": "/usr/bin:/bin", **emulator.env()},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def network_ids(outputs: dict[str, str]) -> dict[str, str]:
    """The service's network parameters, from the network stack's outputs."""
    return {
        s.VPC_ID: outputs[n.OUTPUT_VPC_ID],
        s.PUBLIC_SUBNET_IDS: outputs[n.OUTPUT_PUBLIC_SUBNET_IDS],
        s.PRIVATE_SUBNET_IDS: outputs[n.OUTPUT_PRIVATE_SUBNET_IDS],
    }


# What an internal service or a worker needs of an environment beyond its cluster.
ENVIRONMENT_MEMBERSHIP = (s.ENVIRONMENT_SECURITY_GROUP_ID, s.NAMESPACE_ARN)


@pytest.fixture
def aws(emulator: MotoServer) -> Aws:
    emulator.reset()  # a fresh backend for every test
    return Aws(emulator)


# --- 1. The network, every NAT mode and AZ count ----------------------------------------------


@pytest.mark.parametrize("azs", ["2", "3"])
@pytest.mark.parametrize("nat", ["PerAz", "Single", "None"])
def test_network_topology(aws, nat, azs):
    endpoints = "true" if nat == "None" else "false"
    out = aws.create_stack(
        "net", TEMPLATES / "network.yaml", NatGateways=nat, NumberOfAzs=azs, VpcEndpoints=endpoints
    )
    ec2 = aws.client("ec2")
    public = out[n.OUTPUT_PUBLIC_SUBNET_IDS].split(",")
    private = out[n.OUTPUT_PRIVATE_SUBNET_IDS].split(",")
    assert len(public) == len(private) == int(azs)

    subnets = {
        x["SubnetId"]: x for x in ec2.describe_subnets(SubnetIds=public + private)["Subnets"]
    }
    zone = {subnet: subnets[subnet]["AvailabilityZone"] for subnet in subnets}
    assert len({zone[x] for x in public}) == int(azs)  # distinct AZs
    assert [zone[x] for x in public] == [zone[x] for x in private]  # AZ i holds both tiers' i
    assert all(subnets[x]["VpcId"] == out[n.OUTPUT_VPC_ID] for x in subnets)
    assert not any(subnets[x]["MapPublicIpOnLaunch"] for x in subnets)

    def route_table(subnet: str) -> dict[str, Any]:
        (table,) = ec2.describe_route_tables(
            Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
        )["RouteTables"]
        return dict(table)

    def default_route(subnet: str) -> dict[str, Any] | None:
        routes = [
            r for r in route_table(subnet)["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"
        ]
        return routes[0] if routes else None

    (igw,) = ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [out[n.OUTPUT_VPC_ID]]}]
    )["InternetGateways"]
    for subnet in public:
        assert default_route(subnet)["GatewayId"] == igw["InternetGatewayId"]

    nats = {
        x["NatGatewayId"]: x
        for x in ec2.describe_nat_gateways(
            Filter=[{"Name": "vpc-id", "Values": [out[n.OUTPUT_VPC_ID]]}]
        )["NatGateways"]
    }
    assert all(x["SubnetId"] in public for x in nats.values())  # NATs sit in public subnets
    targets = {subnet: (default_route(subnet) or {}).get("NatGatewayId") for subnet in private}
    if nat == "PerAz":
        assert len(nats) == int(azs)
        for subnet, target in targets.items():
            assert zone[nats[target]["SubnetId"]] == zone[subnet]  # its own AZ's NAT
    elif nat == "Single":
        assert len(nats) == 1
        assert set(targets.values()) == set(nats)
    else:
        assert nats == {}
        assert targets == dict.fromkeys(private)  # no route to the internet at all

    services = {
        e["ServiceName"]
        for e in ec2.describe_vpc_endpoints(
            Filters=[{"Name": "vpc-id", "Values": [out[n.OUTPUT_VPC_ID]]}]
        )["VpcEndpoints"]
    }
    expected = {
        f"com.amazonaws.{REGION}.{x}"
        for x in ("s3", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "ecs-agent")
    }
    # The S3 gateway endpoint exists in every mode: it is free and carries the image layers.
    assert services == (expected if endpoints == "true" else {f"com.amazonaws.{REGION}.s3"})


def test_the_s3_endpoint_of_this_account_takes_its_buckets_and_ecrs_image_layers(aws):
    out = aws.create_stack("net", TEMPLATES / "network.yaml", S3EndpointAccess="ThisAccount")
    (endpoint,) = aws.client("ec2").describe_vpc_endpoints(
        Filters=[{"Name": "vpc-id", "Values": [out[n.OUTPUT_VPC_ID]]}]
    )["VpcEndpoints"]
    text = endpoint["PolicyDocument"]
    # AWS returns the policy as JSON; moto keeps the str() of the dict CloudFormation gave it.
    policy = json.loads(text) if text.startswith('{"') else ast.literal_eval(text)
    account = aws.client("sts").get_caller_identity()["Account"]
    conditions = [x.get("Condition") for x in policy["Statement"]]
    assert conditions[0] == {"StringEquals": {"s3:ResourceAccount": account}}
    assert policy["Statement"][1]["Resource"] == [
        f"arn:aws:s3:::prod-{REGION}-starport-layer-bucket/*"
    ]


def test_the_default_security_group_is_emptied_unless_the_stack_says_false(aws):
    """The custom resource's function runs (moto_patched.py runs inline Python functions in the
    emulator) against the VPC the stack creates, and CloudFormation waits for its answer."""
    emptied = aws.create_stack("net", TEMPLATES / "network.yaml")
    kept = aws.create_stack(
        "kept", TEMPLATES / "network.yaml", RestrictDefaultSecurityGroup="false"
    )
    assert _default_group_rules(aws, emptied[n.OUTPUT_VPC_ID]) == ([], [])
    # moto gives a default group its outbound rule only (AWS adds one inbound from itself).
    assert _default_group_rules(aws, kept[n.OUTPUT_VPC_ID])[1] != []


def _default_group_rules(aws: Aws, vpc: str) -> tuple[list[Any], list[Any]]:
    """The inbound and outbound rules of ``vpc``'s default security group."""
    (group,) = aws.client("ec2").describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"]
    return group["IpPermissions"], group["IpPermissionsEgress"]


def test_pinned_zones_are_used_in_order_and_kept_by_updates(aws):
    pinned = ["us-east-1c", "us-east-1a", "us-east-1b"]
    before = aws.create_stack(
        "net", TEMPLATES / "network.yaml", NumberOfAzs="3", AvailabilityZones=",".join(pinned)
    )
    ec2 = aws.client("ec2")

    def placed(outputs: dict[str, str]) -> list[str]:
        ids = outputs[n.OUTPUT_PUBLIC_SUBNET_IDS].split(",")
        ids += outputs[n.OUTPUT_PRIVATE_SUBNET_IDS].split(",")
        found = {x["SubnetId"]: x for x in ec2.describe_subnets(SubnetIds=ids)["Subnets"]}
        return [found[x]["AvailabilityZone"] for x in ids]

    assert placed(before) == pinned * 2
    after = aws.update_stack(
        "net", keep=[n.NUMBER_OF_AZS, n.AVAILABILITY_ZONES], NatGateways="Single"
    )
    assert after[n.OUTPUT_PRIVATE_SUBNET_IDS] == before[n.OUTPUT_PRIVATE_SUBNET_IDS]
    assert placed(after) == pinned * 2


# --- 2. The service on the network's outputs --------------------------------------------------


@pytest.mark.parametrize("kind", ["application", "network"])
@pytest.mark.parametrize("tls", [False, True], ids=["plain", "tls"])
def test_service_on_the_network(aws, kind, tls):
    net = aws.create_stack("net", TEMPLATES / "network.yaml")
    certificate = ""
    if tls:
        certificate = aws.client("acm").request_certificate(DomainName="shop.example.com")[
            "CertificateArn"
        ]
    out = aws.create_stack(
        "svc",
        TEMPLATES / "service.yaml",
        **network_ids(net),
        ContainerImage=IMAGE,
        LoadBalancerType=kind,
        CertificateArn=certificate,
    )
    elb = aws.client("elbv2")
    (balancer,) = elb.describe_load_balancers()["LoadBalancers"]
    assert balancer["Type"] == kind
    assert balancer["Scheme"] == "internet-facing"
    assert balancer["DNSName"] == out[s.OUTPUT_LOAD_BALANCER_DNS_NAME]
    assert sorted(z["SubnetId"] for z in balancer["AvailabilityZones"]) == sorted(
        net[n.OUTPUT_PUBLIC_SUBNET_IDS].split(",")
    )
    attributes = {
        a["Key"]: a["Value"]
        for a in elb.describe_load_balancer_attributes(LoadBalancerArn=balancer["LoadBalancerArn"])[
            "Attributes"
        ]
    }
    assert attributes["deletion_protection.enabled"] == "true"
    assert out[s.OUTPUT_SERVICE_URL].startswith("https://" if tls else "http://")

    listeners = {
        x["Port"]: x
        for x in elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    }
    (group,) = elb.describe_target_groups()["TargetGroups"]
    assert group["TargetType"] == "ip"
    if kind == "application" and tls:
        assert sorted(listeners) == [80, 443]
        redirect = listeners[80]["DefaultActions"][0]
        assert redirect["Type"] == "redirect"
        assert redirect["RedirectConfig"]["Protocol"] == "HTTPS"
        assert redirect["RedirectConfig"]["StatusCode"] == "HTTP_301"
    else:
        assert sorted(listeners) == ([443] if tls else [80])
    served = listeners[443 if tls else 80]
    assert (
        served["Protocol"]
        == {
            ("application", False): "HTTP",
            ("application", True): "HTTPS",
            ("network", False): "TCP",
            ("network", True): "TLS",
        }[(kind, tls)]
    )
    assert served["DefaultActions"][0]["TargetGroupArn"] == group["TargetGroupArn"]
    if tls:
        assert served["Certificates"][0]["CertificateArn"] == certificate
        assert served["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"

    ec2 = aws.client("ec2")
    (balancer_group,) = balancer["SecurityGroups"]
    tasks = ec2.describe_security_groups(GroupIds=[out[s.OUTPUT_TASK_SECURITY_GROUP_ID]])
    (permission,) = tasks["SecurityGroups"][0]["IpPermissions"]
    assert permission["IpRanges"] == []  # no CIDR: only the load balancer's group
    assert [pair["GroupId"] for pair in permission["UserIdGroupPairs"]] == [balancer_group]
    assert permission["FromPort"] == permission["ToPort"] == 8080
    front = ec2.describe_security_groups(GroupIds=[balancer_group])["SecurityGroups"][0]
    assert sorted(p["FromPort"] for p in front["IpPermissions"]) == (
        [80, 443] if kind == "application" and tls else [443] if tls else [80]
    )

    ecs = aws.client("ecs")
    (service,) = ecs.describe_services(
        cluster=out[s.OUTPUT_CLUSTER_NAME], services=[out[s.OUTPUT_SERVICE_NAME]]
    )["services"]
    # DesiredCount 0 (the default) leaves the count to autoscaling: the service has none. moto
    # starts such a service with 0 tasks and does not run Application Auto Scaling; ECS starts
    # it with one, which the scalable target raises to MinCapacity (asserted on the template:
    # tests/layers/test_service.py, test_an_update_leaves_the_task_count_to_autoscaling).
    assert service["desiredCount"] == 0

    # The deployment's rollback alarms watch this load balancer's target group.
    alarms = {
        a["AlarmName"].split("-")[1]: a
        for a in aws.client("cloudwatch").describe_alarms()["MetricAlarms"]
    }
    assert sorted(alarms) == (
        [s.ERROR_RATE_ALARM, s.UNHEALTHY_TARGETS_ALARM]
        if kind == "application"
        else [s.UNHEALTHY_TARGETS_ALARM]
    )
    dimensions = {d["Name"]: d["Value"] for d in alarms[s.UNHEALTHY_TARGETS_ALARM]["Dimensions"]}
    assert balancer["LoadBalancerArn"].endswith(":loadbalancer/" + dimensions["LoadBalancer"])
    assert dimensions["TargetGroup"].startswith("targetgroup/")
    # moto keeps none of the service's network configuration when CloudFormation creates it
    # (moto/ecs/models.py, Service.create_from_cloudformation_json): assert it on the template.
    template = render_templates()["service"]
    network = template["Resources"][s.SERVICE]["Properties"]["NetworkConfiguration"]
    assert network["AwsvpcConfiguration"]["AssignPublicIp"] == "DISABLED"
    assert network["AwsvpcConfiguration"]["Subnets"] == {"Ref": s.PRIVATE_SUBNET_IDS}


# --- 3. The root, published to the emulator's S3 and launched from its URL --------------------


def test_root_published_and_launched_from_s3_nests_both_stacks_wired_together(aws, emulator):
    stdout = publish(aws, emulator, REPO / "templates")
    url = f"https://team-templates.s3.{REGION}.amazonaws.com/{root.DEFAULT_KEY_PREFIX}{__version__}/root.yaml"
    assert url.replace(":", "%3A").replace("/", "%2F") in stdout  # the Launch Stack link

    out = aws.create_stack(
        "shop", url, TemplateBucketName="team-templates", ContainerImage=IMAGE, NatGateways="Single"
    )
    resources = json.loads(
        aws.cli("cloudformation", "list-stack-resources", "--stack-name", "shop").stdout
    )["StackResourceSummaries"]
    nested = {
        r["LogicalResourceId"]: aws.stack(r["PhysicalResourceId"])
        for r in resources
        if r["ResourceType"] == "AWS::CloudFormation::Stack"
    }
    assert sorted(nested) == sorted([root.NETWORK_STACK, root.SERVICE_STACK])
    assert all(x["StackStatus"] == "CREATE_COMPLETE" for x in nested.values())
    network_outputs = {
        o["OutputKey"]: o["OutputValue"] for o in nested[root.NETWORK_STACK]["Outputs"]
    }
    service_outputs = {
        o["OutputKey"]: o["OutputValue"] for o in nested[root.SERVICE_STACK]["Outputs"]
    }
    assert out[n.OUTPUT_VPC_ID] == network_outputs[n.OUTPUT_VPC_ID]
    assert out[s.OUTPUT_SERVICE_URL] == service_outputs[s.OUTPUT_SERVICE_URL]

    # The service was given the network's subnets: its load balancer sits in them.
    (balancer,) = aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
    assert balancer["VpcId"] == out[n.OUTPUT_VPC_ID]
    assert sorted(z["SubnetId"] for z in balancer["AvailabilityZones"]) == sorted(
        network_outputs[n.OUTPUT_PUBLIC_SUBNET_IDS].split(",")
    )
    assert len(aws.client("ec2").describe_nat_gateways()["NatGateways"]) == 1


def test_instance_published_and_launched_from_s3_makes_the_network_and_service_in_one_stack(
    aws, emulator
):
    """What stackset.yaml deploys to each account: instance.yaml, root.yaml's two stacks in one
    (a service-managed StackSet deploys no nested stacks). The emulator proves the wiring:
    the service's load balancer in the network's public subnets, one NAT gateway."""
    publish(aws, emulator, REPO / "templates")
    prefix = f"{root.DEFAULT_KEY_PREFIX}{__version__}"
    url = f"https://team-templates.s3.{REGION}.amazonaws.com/{prefix}/instance.yaml"
    out = aws.create_stack("member", url, ContainerImage=IMAGE, NatGateways="Single")
    resources = json.loads(
        aws.cli("cloudformation", "list-stack-resources", "--stack-name", "member").stdout
    )["StackResourceSummaries"]
    types = {r["LogicalResourceId"]: r["ResourceType"] for r in resources}
    assert "AWS::CloudFormation::Stack" not in types.values()
    # Resources of both templates, in one stack, as the evaluator says these values make them
    # (moto leaves some types out of the list, and the wait condition handle's logical ID).
    template = from_yaml((TEMPLATES / "instance.yaml").read_text())
    expected = deployed(template, {"ContainerImage": IMAGE, "NatGateways": "Single"}).resources
    assert set(types) - {""} <= set(expected)
    assert {"Vpc", "NatGateway1", "PrivateSubnet2", "LoadBalancer", "Service"} <= set(types)
    (balancer,) = aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
    assert balancer["VpcId"] == out[n.OUTPUT_VPC_ID]
    assert sorted(z["SubnetId"] for z in balancer["AvailabilityZones"]) == sorted(
        out[n.OUTPUT_PUBLIC_SUBNET_IDS].split(",")
    )
    assert len(aws.client("ec2").describe_nat_gateways()["NatGateways"]) == 1
    assert out[s.OUTPUT_SERVICE_URL].startswith("http://")
    # An update that adds conditional network resources changes only NetworkReady's metadata
    # among its own attributes (the emulator proves the update runs, not a real account).
    after = aws.update_stack("member", ["ContainerImage"], NatGateways="PerAz")
    assert after[n.OUTPUT_VPC_ID] == out[n.OUTPUT_VPC_ID]
    nat = aws.client("ec2").describe_nat_gateways()["NatGateways"]
    assert len([g for g in nat if g["State"] != "deleted"]) == 2


# --- 4. Updates in place ----------------------------------------------------------------------


def test_updates_keep_the_vpc_subnets_and_service(aws):
    before = aws.create_stack("net", TEMPLATES / "network.yaml", NatGateways="Single")
    ec2 = aws.client("ec2")
    first_gateway = [g["NatGatewayId"] for g in ec2.describe_nat_gateways()["NatGateways"]]
    assert len(first_gateway) == 1
    after = aws.update_stack(
        "net",
        keep=[],
        NatGateways="PerAz",
    )
    assert aws.stack("net")["StackStatus"] == "UPDATE_COMPLETE"
    for output in (n.OUTPUT_VPC_ID, n.OUTPUT_PUBLIC_SUBNET_IDS, n.OUTPUT_PRIVATE_SUBNET_IDS):
        assert after[output] == before[output]  # same VPC, same subnets: updated in place
    # The second NAT gateway, whose condition the update turns true, is made (moto made none
    # until tests/deploy/moto_patched.py followed conditions on updates); the first is kept.
    gateways = {
        g["NatGatewayId"]: g["SubnetId"] for g in ec2.describe_nat_gateways()["NatGateways"]
    }
    assert len(gateways) == 2 and set(first_gateway) <= set(gateways)
    assert set(gateways.values()) == set(after[n.OUTPUT_PUBLIC_SUBNET_IDS].split(","))
    stack = deployed(render_templates()["network"], {"NatGateways": "PerAz"})
    assert sorted(stack.of_type("AWS::EC2::NatGateway")) == [n.nat_gateway(1), n.nat_gateway(2)]

    wired = network_ids(after)
    first = aws.create_stack("svc", TEMPLATES / "service.yaml", ContainerImage=IMAGE, **wired)
    second = aws.update_stack("svc", keep=[*wired, s.CONTAINER_IMAGE], DesiredCount="3")
    assert second[s.OUTPUT_SERVICE_NAME] == first[s.OUTPUT_SERVICE_NAME]
    assert second[s.OUTPUT_LOAD_BALANCER_DNS_NAME] == first[s.OUTPUT_LOAD_BALANCER_DNS_NAME]
    (service,) = aws.client("ecs").describe_services(
        cluster=second[s.OUTPUT_CLUSTER_NAME], services=[second[s.OUTPUT_SERVICE_NAME]]
    )["services"]
    assert service["desiredCount"] == 3

    # FARGATE to FARGATE_SPOT on the live service: ECS wants a forced new deployment for that
    # (aws/aws-cdk#34631), which the changed ForceNewDeploymentNonce asks for. moto neither
    # requires nor records it, so the update is proved to complete here and the nonce's change
    # is asserted on what the template deploys for each value.
    third = aws.update_stack(
        "svc", keep=[*wired, s.CONTAINER_IMAGE, s.DESIRED_COUNT], CapacityProvider="FARGATE_SPOT"
    )
    assert aws.stack("svc")["StackStatus"] == "UPDATE_COMPLETE"
    assert third[s.OUTPUT_SERVICE_NAME] == first[s.OUTPUT_SERVICE_NAME]
    # moto keeps no capacity provider strategy for a service made through CloudFormation (it
    # reports launchType EC2), so the nonce that changes with this update is asserted on the
    # template: tests/layers/test_service.py, test_the_deployment_nonce_changes_with_...


# The release before this one, as its users run it: the upgrade the CHANGELOG describes.
PREVIOUS = REPO / "templates" / "0.3.0"


def _stack_resources(aws: Aws, stack: str) -> dict[str, str]:
    """Each resource of ``stack``, by logical ID, with its physical ID."""
    summaries = aws.client("cloudformation").list_stack_resources(StackName=stack)
    return {
        r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries["StackResourceSummaries"]
    }


def _physical_ids(aws: Aws, *stacks: str) -> dict[str, str]:
    """Each resource of ``stacks`` (``stack/LogicalId``) with its physical ID."""
    return {
        f"{stack}/{logical}": physical
        for stack in stacks
        for logical, physical in _stack_resources(aws, stack).items()
    }


# What 0.4.0 adds to a stack of 0.3.0 that leaves the new parameters at their defaults: the
# custom resource that empties the default security group, the dashboard, the rollback alarms.
ADDED_BY_THE_UPGRADE = {
    "network": [
        "DefaultSecurityGroupFunction",
        "DefaultSecurityGroupFunctionLogGroup",
        "DefaultSecurityGroupFunctionRole",
        "DefaultSecurityGroupRestriction",
    ],
    "service": ["Dashboard", "ErrorRateAlarm", "UnhealthyTargetsAlarm"],
}


def _upgraded(before: dict[str, str], after: dict[str, str], stacks: dict[str, str]) -> None:
    """Every resource of ``before`` is the same one in ``after``, and ``after`` adds what
    ADDED_BY_THE_UPGRADE names (``stacks``: the layer of each stack name). The emulator updates
    a resource only where its properties resolve otherwise, and fails an update it cannot make
    (tests/deploy/moto_patched.py, NotEmulated): a kept ID is not a change it skipped."""
    assert {k: after.get(k) for k in before} == before  # every resource kept, none removed
    added = sorted(set(after) - set(before))
    assert added == sorted(
        f"{stack}/{name}" for stack, layer in stacks.items() for name in ADDED_BY_THE_UPGRADE[layer]
    )


def _wait_for(done: Any, seconds: float = 30) -> None:
    """Until ``done()`` (a custom resource's function answers in the emulator's thread, after
    moto has marked the update complete)."""
    import time

    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.1)


def test_stacks_of_the_previous_version_update_to_this_one_in_place(aws):
    """A network and a service of 0.3.0 updated to this version's templates with the values
    they were created with, as `aws cloudformation deploy` does: both updates complete, every
    resource of 0.3.0 is the same resource afterwards (the VPC, subnets, NAT gateway, load
    balancer, target group, cluster, service, log group and buckets keep their IDs, and every
    output its value), and what the CHANGELOG says 0.4.0 adds is added. moto failed this update
    until tests/deploy/moto_patched.py followed conditions on updates (a day-2 trial);
    CloudFormation's own verdict on what the update replaces is `diff`'s, asserted here for the
    same values."""
    from troposphere_fargate.cfn.diff import DESTRUCTIVE, diff_stacks, load_side

    net = aws.create_stack("net", PREVIOUS / "network.yaml", NatGateways="Single")
    wired = network_ids(net)
    svc = aws.create_stack("svc", PREVIOUS / "service.yaml", ContainerImage=IMAGE, **wired)
    assert _default_group_rules(aws, net[n.OUTPUT_VPC_ID])[1] != []  # 0.3.0 leaves it
    before = _physical_ids(aws, "net", "svc")
    net_after = aws.update_stack("net", keep=["NatGateways"], template=TEMPLATES / "network.yaml")
    svc_after = aws.update_stack(
        "svc", keep=[s.CONTAINER_IMAGE, *wired], template=TEMPLATES / "service.yaml"
    )
    assert [aws.stack(x)["StackStatus"] for x in ("net", "svc")] == ["UPDATE_COMPLETE"] * 2
    _upgraded(before, _physical_ids(aws, "net", "svc"), {"net": "network", "svc": "service"})
    # The custom resource the update adds ran: the running VPC's default group is emptied.
    _wait_for(lambda: _default_group_rules(aws, net[n.OUTPUT_VPC_ID]) == ([], []))
    assert {k: net_after[k] for k in net} == net and {k: svc_after[k] for k in svc} == svc
    # CloudFormation's verdict for the same stacks: nothing replaced or deleted.
    old, new = load_side("0.3.0", REPO / "templates"), load_side(__version__, REPO / "templates")
    for name, values in (
        ("network.yaml", {"NatGateways": "Single"}),
        ("service.yaml", {s.CONTAINER_IMAGE: IMAGE, **wired}),
    ):
        findings = diff_stacks({name: old[name]}, {name: new[name]}, values, region=REGION)
        assert [f for f in findings if f.severity == DESTRUCTIVE] == [], name


def test_a_root_of_the_previous_version_updates_to_this_one_in_place(aws, emulator):
    """The README's upgrade: both versions published, a root of 0.3.0 launched from its URL,
    then updated to this version's root.yaml with the values it was launched with. The nested
    stacks are updated in place with their parent, and keep every resource and output."""
    for version in ("0.3.0", __version__):
        publish(aws, emulator, REPO / "templates", version=version)
    base = f"https://team-templates.s3.{REGION}.amazonaws.com/{root.DEFAULT_KEY_PREFIX}"
    values = {"TemplateBucketName": "team-templates", "NatGateways": "Single"}
    out = aws.create_stack("shop", f"{base}0.3.0/root.yaml", ContainerImage=IMAGE, **values)
    nested = _physical_ids(aws, "shop")
    layers = {
        nested[f"shop/{root.NETWORK_STACK}"]: "network",
        nested[f"shop/{root.SERVICE_STACK}"]: "service",
    }
    assert _default_group_rules(aws, out[n.OUTPUT_VPC_ID])[1] != []  # 0.3.0 leaves it
    before = _physical_ids(aws, "shop", *layers)
    after_outputs = aws.update_stack(
        "shop",
        keep=[*values, "ContainerImage"],
        template_url=f"{base}{__version__}/root.yaml",
    )
    assert aws.stack("shop")["StackStatus"] == "UPDATE_COMPLETE"
    _upgraded(before, _physical_ids(aws, "shop", *layers), layers)
    assert {k: after_outputs[k] for k in out} == out
    _wait_for(lambda: _default_group_rules(aws, out[n.OUTPUT_VPC_ID]) == ([], []))


# --- 5. Bad parameters ------------------------------------------------------------------------


def test_a_malformed_cidr_is_refused_and_creates_nothing(aws):
    result = aws.cli(
        "cloudformation",
        "create-stack",
        "--stack-name",
        "bad",
        "--template-body",
        f"file://{TEMPLATES / 'network.yaml'}",
        "--capabilities",
        "CAPABILITY_IAM",
        *_parameters({"VpcCidr": "10.0.0.0/33"}),
        check=False,
    )
    assert result.returncode != 0
    # moto does not check AllowedPattern (EC2 refuses the CIDR here); the template's own
    # pattern is what refuses it in CloudFormation, before anything is created:
    with pytest.raises(ParameterError, match="VpcCidr"):
        deployed(render_templates()["network"], {"VpcCidr": "10.0.0.0/33"})


@pytest.mark.parametrize(
    ("layer", "values", "error", "message"),
    [
        ("network", {"NatGateways": "None", "VpcEndpoints": "false"}, RuleError, "pull"),
        ("service", {"ContainerImage": "nginx:latest"}, ParameterError, "ContainerImage"),
        ("service", {"TaskCpu": "256", "TaskMemory": "4096"}, RuleError, "TaskCpu 256"),
        ("root", {"NatGateways": "None", "VpcEndpoints": "false"}, RuleError, "pull"),
    ],
)
def test_bad_parameters_are_refused_by_the_templates_own_constraints(layer, values, error, message):
    # moto 5.2 enforces neither AllowedPattern/AllowedValues nor Rules, so the emulator would
    # create these stacks; CloudFormation evaluates the template's own constraints, as here.
    required = {
        "service": {
            s.VPC_ID: "vpc-0a1b2c3d",
            s.PUBLIC_SUBNET_IDS: "subnet-01,subnet-02",
            s.PRIVATE_SUBNET_IDS: "subnet-11,subnet-12",
            s.CONTAINER_IMAGE: IMAGE,
        },
        "root": {root.TEMPLATE_BUCKET_NAME: "team-templates", s.CONTAINER_IMAGE: IMAGE},
    }.get(layer, {})
    with pytest.raises(error, match=message):
        deployed(render_templates()[layer], {**required, **values})


# --- 6. A service built from an application spec ------------------------------------------


SPEC = """
services:
  web:
    port: 8080
    environment: {LOG_LEVEL: info}
    secrets:
      DATABASE_URL: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:url::"
      API_KEY: arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key
    task_role:
      managed_policies: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
      statements:
        - actions: [sqs:SendMessage]
          resources: [arn:aws:sqs:us-east-1:123456789012:orders]
          conditions:
            StringEquals: {aws:ResourceAccount: "123456789012"}
            Bool: {aws:SecureTransport: true}
    egress:
      - {port: 5432, security_group: sg-0123456789abcdef0}
    sidecars:
      - name: otel
        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/otel/collector:0.98.0
        user: "10001"
    queue_scaling: {queue: orders, messages_per_task: 100}
    user: "1000:1000"
"""


def test_a_service_built_from_a_spec_deploys_with_its_environment_secrets_sidecars_and_grants(
    aws, tmp_path
):
    from troposphere_fargate import from_yaml, generate, parse_spec, write_version

    folder = write_version(tmp_path, generate(parse_spec(SPEC, "app.yaml")))
    net = aws.create_stack("net", TEMPLATES / "network.yaml")
    out = aws.create_stack(
        "svc",
        folder / "service.yaml",
        **network_ids(net),
        ContainerImage=IMAGE,
    )
    resources = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in json.loads(
            aws.cli("cloudformation", "list-stack-resources", "--stack-name", "svc").stdout
        )["StackResourceSummaries"]
    }
    ecs = aws.client("ecs")
    definition = ecs.describe_task_definition(taskDefinition=resources[s.TASK_DEFINITION])
    containers = {c["name"]: c for c in definition["taskDefinition"]["containerDefinitions"]}
    assert sorted(containers) == ["otel", "web"]
    web = containers["web"]
    assert web["environment"] == [{"name": "LOG_LEVEL", "value": "info"}]
    assert {x["name"]: x["valueFrom"] for x in web["secrets"]} == {
        "API_KEY": "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key",
        "DATABASE_URL": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:url::",
    }
    otel = containers["otel"]
    assert otel["image"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/otel/collector:0.98.0"
    assert otel["readonlyRootFilesystem"] is True and otel["privileged"] is False
    # Each runs as its spec's user (the application's through ContainerUser's default).
    assert (web["user"], otel["user"]) == ("1000:1000", "10001")

    iam = aws.client("iam")
    execution = _document(
        iam.get_role_policy(
            RoleName=resources[s.EXECUTION_ROLE], PolicyName="PullImageAndWriteLogs"
        )["PolicyDocument"]
    )
    granted = {statement.get("Sid"): statement["Resource"] for statement in execution["Statement"]}
    assert granted["ReadTheServiceSecrets"] == [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"  # no JSON key
    ]
    assert granted["ReadTheServiceParameters"] == [
        "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key"
    ]
    assert (
        "arn:aws:ecr:us-east-1:123456789012:repository/otel/collector"
        in (granted["PullTheServiceImage"])
    )
    task_role = resources[s.TASK_ROLE]
    # moto 5.2 attaches no ManagedPolicyArns to a role CloudFormation creates (the list comes
    # back empty), so the attachment is asserted on what the deployed template holds for the
    # same parameter values.
    assert iam.list_attached_role_policies(RoleName=task_role)["AttachedPolicies"] == []
    deployed_service = deployed(
        from_yaml((folder / "service.yaml").read_text()),
        {
            s.VPC_ID: net[n.OUTPUT_VPC_ID],
            s.PUBLIC_SUBNET_IDS: net[n.OUTPUT_PUBLIC_SUBNET_IDS],
            s.PRIVATE_SUBNET_IDS: net[n.OUTPUT_PRIVATE_SUBNET_IDS],
            s.CONTAINER_IMAGE: IMAGE,
        },
    )
    assert deployed_service.resources[s.TASK_ROLE]["Properties"]["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    ]
    (statement,) = _document(
        iam.get_role_policy(RoleName=task_role, PolicyName="Application")["PolicyDocument"]
    )["Statement"]
    assert statement["Action"] in (["sqs:SendMessage"], "sqs:SendMessage")
    assert statement["Resource"] in (
        ["arn:aws:sqs:us-east-1:123456789012:orders"],
        "arn:aws:sqs:us-east-1:123456789012:orders",
    )
    assert statement["Condition"] == {
        "StringEquals": {"aws:ResourceAccount": ["123456789012"]},  # a string, not a number
        "Bool": {"aws:SecureTransport": ["true"]},
    }
    # The spec's queue_scaling is in the stack too, which completes; moto 5.2 does not model
    # scaling policies made by CloudFormation (nor lists them): tests/layers/test_scaling.py
    # checks what the policy tracks, and cfn-lint its schema.
    assert out[s.OUTPUT_SERVICE_NAME]


def _document(document: Any) -> dict[str, Any]:
    """A policy document as a dict. AWS hands back JSON (boto3 decodes it); moto 5.2 keeps a
    policy that CloudFormation created as the Python text of the dict, so that is read too."""
    if isinstance(document, str):
        text = urllib.parse.unquote(document)
        try:
            return dict(json.loads(text))
        except ValueError:
            return dict(ast.literal_eval(text))
    return dict(document)


# --- 7. The shipped service with the application's console parameters ----------------------


ENVIRONMENT_FILE = "arn:aws:s3:::shop-config/web/production.env"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"


def test_the_shipped_service_takes_an_environment_file_a_secret_and_extra_egress(aws):
    net = aws.create_stack("net", TEMPLATES / "network.yaml")
    aws.create_stack(
        "svc",
        TEMPLATES / "service.yaml",
        **network_ids(net),
        ContainerImage=IMAGE,
        EnvironmentFileArn=ENVIRONMENT_FILE,
        SecretArn=SECRET,
        SecretVariableName="DATABASE_URL",
        ExtraEgressPort="5432",
        ExtraEgressCidr="10.20.0.0/16",
    )
    resources = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in json.loads(
            aws.cli("cloudformation", "list-stack-resources", "--stack-name", "svc").stdout
        )["StackResourceSummaries"]
    }
    definition = aws.client("ecs").describe_task_definition(
        taskDefinition=resources[s.TASK_DEFINITION]
    )
    (web,) = definition["taskDefinition"]["containerDefinitions"]
    assert web["environmentFiles"] == [{"value": ENVIRONMENT_FILE, "type": "s3"}]
    assert web["secrets"] == [{"name": "DATABASE_URL", "valueFrom": SECRET}]

    iam = aws.client("iam")
    role = resources[s.EXECUTION_ROLE]
    read_file = _document(
        iam.get_role_policy(RoleName=role, PolicyName=s.ENVIRONMENT_FILE_POLICY)["PolicyDocument"]
    )
    granted = {st["Sid"]: st["Resource"] for st in read_file["Statement"]}
    assert granted == {
        "ReadTheEnvironmentFile": [ENVIRONMENT_FILE],
        "LocateTheEnvironmentFileBucket": ["arn:aws:s3:::shop-config"],
    }
    (read_secret,) = _document(
        iam.get_role_policy(RoleName=role, PolicyName=s.SECRET_ARN_POLICY)["PolicyDocument"]
    )["Statement"]
    assert read_secret["Resource"] == [SECRET]

    # moto 5.2 has no CloudFormation support for AWS::EC2::SecurityGroupEgress (the stack
    # completes without the rule, and lists no such resource): the egress rule is asserted on
    # what the template deploys for the same values.
    stack = deployed(
        render_templates()["service"],
        {
            s.VPC_ID: net[n.OUTPUT_VPC_ID],
            s.PUBLIC_SUBNET_IDS: net[n.OUTPUT_PUBLIC_SUBNET_IDS],
            s.PRIVATE_SUBNET_IDS: net[n.OUTPUT_PRIVATE_SUBNET_IDS],
            s.CONTAINER_IMAGE: IMAGE,
            s.EXTRA_EGRESS_PORT: "5432",
            s.EXTRA_EGRESS_CIDR: "10.20.0.0/16",
        },
    )
    egress = stack.resources[s.TASK_EXTRA_EGRESS_TO_CIDR]["Properties"]
    assert egress["CidrIp"] == {"Ref": s.EXTRA_EGRESS_CIDR}
    assert egress["GroupId"] == {"Ref": s.TASK_SECURITY_GROUP}
    assert s.TASK_EXTRA_EGRESS_TO_SECURITY_GROUP not in stack.resources


def _as_given(value: str) -> str:
    """A parameter's value as DescribeStacks gives it: moto stores a list parameter split
    (moto/cloudformation/parsing.py, ``value.split(",")``) and prints the Python list, where
    CloudFormation prints the comma-separated text it was given."""
    if value.startswith("["):
        return ",".join(ast.literal_eval(value))
    return value


EXISTING_VPC_SPEC = """
network: {existing_vpc: true}
services:
  web: {port: 8080, expose: public, routing: {path: "/*", priority: 100}}
  orders: {port: 7000, expose: internal}
"""


def test_an_environment_in_an_existing_vpc_takes_its_ids_and_makes_no_network(
    aws, emulator, tmp_path
):
    """The VPC is another stack's (the shipped network.yaml, as a team's own VPC would be): the
    spec's root makes none, and runs the load balancer and the tasks in the subnets given."""
    from troposphere_fargate import generate, parse_spec, write_version

    vpc = aws.create_stack("their-vpc", TEMPLATES / "network.yaml", NatGateways="Single")
    write_version(tmp_path, generate(parse_spec(EXISTING_VPC_SPEC, "app.yaml")))
    publish(aws, emulator, tmp_path, "shop/")
    vpcs_before = aws.client("ec2").describe_vpcs()["Vpcs"]
    url = f"https://team-templates.s3.{REGION}.amazonaws.com/shop/{__version__}/root.yaml"
    aws.create_stack(
        "shop",
        url,
        TemplateBucketName="team-templates",
        TemplateKeyPrefix="shop/",
        VpcId=vpc["VpcId"],
        PublicSubnetIds=vpc["PublicSubnetIds"],
        PrivateSubnetIds=vpc["PrivateSubnetIds"],
        **{f"{name}ContainerImage": IMAGE for name in ("Web", "Orders")},
    )
    assert aws.client("ec2").describe_vpcs()["Vpcs"] == vpcs_before  # no VPC made
    (balancer,) = aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
    assert balancer["VpcId"] == vpc["VpcId"]
    assert sorted(zone["SubnetId"] for zone in balancer["AvailabilityZones"]) == sorted(
        vpc["PublicSubnetIds"].split(",")
    )
    ecs = aws.client("ecs")
    (cluster,) = ecs.list_clusters()["clusterArns"]
    assert len(ecs.list_services(cluster=cluster)["serviceArns"]) == 2
    # moto keeps no service's network configuration (see the test of four services): what each
    # nested stack was given is, and the environment's and both services' are the VPC's ids.
    resources = json.loads(
        aws.cli("cloudformation", "list-stack-resources", "--stack-name", "shop").stdout
    )["StackResourceSummaries"]
    given = {
        r["LogicalResourceId"]: {
            p["ParameterKey"]: _as_given(p["ParameterValue"])
            for p in aws.stack(r["PhysicalResourceId"])["Parameters"]
        }
        for r in resources
        if r["ResourceType"] == "AWS::CloudFormation::Stack"
    }
    assert sorted(given) == ["EnvironmentStack", "OrdersServiceStack", "WebServiceStack"]
    assert given["EnvironmentStack"]["PublicSubnetIds"] == vpc["PublicSubnetIds"]
    for name in ("OrdersServiceStack", "WebServiceStack"):
        assert given[name]["PrivateSubnetIds"] == vpc["PrivateSubnetIds"]
    assert {values["VpcId"] for values in given.values()} == {vpc["VpcId"]}


# --- 8. An environment of four services, with a domain, launched from S3 ----------------------


ENVIRONMENT_SPEC = """
domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}
services:
  web:    {port: 8080, expose: public, routing: {path: "/*", priority: 100}}
  api:
    port: 9000
    expose: public
    # Two paths (/api/* alone does not match /api) and two hosts: one rule, a request matches
    # one value of each condition (ELB, "Condition types for listener rules"). A second rule
    # for what the first's five values cannot add (ListenerRule11, to the same target group).
    routing:
      - path: [/api, "/api/*"]
        host: [api.shop.example.com, rest.shop.example.com]
        priority: 10
      - {path: [/graphql, "/graphql/*"], host: api.shop.example.com, priority: 11}
  orders: {port: 7000, expose: internal}
  worker: {expose: none}
"""


SHOP_SERVICES = ("Web", "Api", "Orders", "Worker")


def launch_shop(aws: Aws, emulator: MotoServer, tmp_path: Path) -> tuple[Path, dict[str, str], str]:
    """ENVIRONMENT_SPEC built, published to S3 and launched as the stack "shop"; its folder,
    the root's outputs and the hosted zone's ID."""
    from troposphere_fargate import ConfigWarning, generate, parse_spec, write_version

    # api keeps the health check at / on purpose: the emulator's targets answer anything.
    with pytest.warns(ConfigWarning, match="services.api.health_check_path"):
        files = generate(parse_spec(ENVIRONMENT_SPEC, "app.yaml"))
    folder = write_version(tmp_path, files)
    publish(aws, emulator, tmp_path, "shop/")
    zone = (
        aws.client("route53")
        .create_hosted_zone(Name="shop.example.com", CallerReference="shop")["HostedZone"]["Id"]
        .rsplit("/", 1)[-1]
    )
    url = f"https://team-templates.s3.{REGION}.amazonaws.com/shop/{__version__}/root.yaml"
    out = aws.create_stack(
        "shop",
        url,
        TemplateBucketName="team-templates",
        TemplateKeyPrefix="shop/",
        HostedZoneId=zone,
        **{f"{name}ContainerImage": IMAGE for name in SHOP_SERVICES},
    )
    return folder, out, zone


def test_an_environment_of_four_services_launches_from_s3_with_one_load_balancer(
    aws, emulator, tmp_path
):
    from troposphere_fargate import from_yaml
    from troposphere_fargate.layers.environment import names as e

    folder, out, zone = launch_shop(aws, emulator, tmp_path)
    nested = {
        r["LogicalResourceId"]: r
        for r in json.loads(
            aws.cli("cloudformation", "list-stack-resources", "--stack-name", "shop").stdout
        )["StackResourceSummaries"]
    }
    services = ["Web", "Api", "Orders", "Worker"]
    assert sorted(nested) == sorted(
        [root.NETWORK_STACK, root.ENVIRONMENT_STACK, *map(root.service_stack, services)]
    )
    assert {r["ResourceStatus"] for r in nested.values()} == {"CREATE_COMPLETE"}

    # One cluster, and the four services in it.
    ecs = aws.client("ecs")
    (cluster,) = ecs.list_clusters()["clusterArns"]
    assert cluster == out[e.OUTPUT_CLUSTER_ARN]
    running = ecs.list_services(cluster=cluster)["serviceArns"]
    assert sorted(arn.rsplit("/", 1)[1] for arn in running) == sorted(
        out[f"{name}{s.OUTPUT_SERVICE_NAME}"] for name in services
    )

    # One load balancer: port 80 redirects, 443 serves with the certificate the stack made and
    # answers 404 to what no rule routes; one rule per public service, with its conditions.
    elbv2 = aws.client("elbv2")
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    assert balancer["Scheme"] == "internet-facing"
    listeners = {
        x["Port"]: x
        for x in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    }
    assert sorted(listeners) == [80, 443]
    assert listeners[80]["DefaultActions"][0]["Type"] == "redirect"
    assert listeners[443]["DefaultActions"][0]["FixedResponseConfig"]["StatusCode"] == "404"
    assert out[e.OUTPUT_LISTENER_ARN] == listeners[443]["ListenerArn"]
    acm = aws.client("acm")
    (certificate,) = acm.list_certificates()["CertificateSummaryList"]
    assert listeners[443]["Certificates"] == [{"CertificateArn": certificate["CertificateArn"]}]
    names = acm.describe_certificate(CertificateArn=certificate["CertificateArn"])["Certificate"]
    assert names["DomainName"] == "shop.example.com"
    assert sorted(names["SubjectAlternativeNames"]) == [
        "api.shop.example.com",
        "rest.shop.example.com",
        "shop.example.com",
    ]
    rules = {
        rule["Priority"]: rule
        for rule in elbv2.describe_rules(ListenerArn=listeners[443]["ListenerArn"])["Rules"]
        if not rule["IsDefault"]
    }
    assert sorted(rules) == ["10", "100", "11"]
    config = {"path-pattern": "PathPatternConfig", "host-header": "HostHeaderConfig"}
    conditions = {
        priority: {c["Field"]: c[config[c["Field"]]]["Values"] for c in rule["Conditions"]}
        for priority, rule in rules.items()
    }
    assert conditions == {
        "10": {
            "path-pattern": ["/api", "/api/*"],
            "host-header": ["api.shop.example.com", "rest.shop.example.com"],
        },
        "11": {"path-pattern": ["/graphql", "/graphql/*"], "host-header": ["api.shop.example.com"]},
        "100": {"path-pattern": ["/*"]},
    }
    groups = elbv2.describe_target_groups()["TargetGroups"]
    assert len(groups) == 2  # the public services only
    assert {g["TargetType"] for g in groups} == {"ip"}
    routed = {rule["Actions"][0]["TargetGroupArn"] for rule in rules.values()}
    assert routed == {g["TargetGroupArn"] for g in groups}
    # Both of api's rules forward to its one target group.
    assert rules["10"]["Actions"] == rules["11"]["Actions"] != rules["100"]["Actions"]

    # The domain and the api hosts are aliases of the load balancer.
    records = aws.client("route53").list_resource_record_sets(HostedZoneId=zone)[
        "ResourceRecordSets"
    ]
    # (Route 53 answers names with the final dot, moto without.)
    aliases = {
        r["Name"].rstrip("."): r["AliasTarget"]["DNSName"] for r in records if r["Type"] == "A"
    }
    assert aliases == {
        "shop.example.com": balancer["DNSName"],
        "api.shop.example.com": balancer["DNSName"],
        "rest.shop.example.com": balancer["DNSName"],
    }
    assert out["WebServiceUrl"] == "https://shop.example.com/"
    assert out["ApiServiceUrl"] == "https://api.shop.example.com/api"  # the first path
    assert out["OrdersServiceUrl"] == "http://orders:7000"

    # The Service Connect namespace the cluster's services share.
    (namespace,) = aws.client("servicediscovery").list_namespaces()["Namespaces"]
    assert namespace["Arn"] == out[e.OUTPUT_NAMESPACE_ARN]
    assert namespace["Type"] == "HTTP"

    # Each service's tasks admit what their exposure needs: a public one its port from the load
    # balancer, the internal one its port from the environment's services, the worker nothing.
    ec2 = aws.client("ec2")

    def ingress(name: str) -> list[tuple[int, str]]:
        (group,) = ec2.describe_security_groups(
            GroupIds=[out[f"{name}{s.OUTPUT_TASK_SECURITY_GROUP_ID}"]]
        )["SecurityGroups"]
        return sorted(
            (rule["FromPort"], pair["GroupId"])
            for rule in group["IpPermissions"]
            for pair in rule["UserIdGroupPairs"]
        ) + [(rule["FromPort"], "cidr") for rule in group["IpPermissions"] if rule["IpRanges"]]

    balancer_group = out[e.OUTPUT_LOAD_BALANCER_SECURITY_GROUP_ID]
    assert ingress("Web") == [(8080, balancer_group)]
    assert ingress("Api") == [(9000, balancer_group)]
    assert ingress("Orders") == [(7000, out[e.OUTPUT_ENVIRONMENT_SECURITY_GROUP_ID])]
    assert ingress("Worker") == []

    # moto keeps no network or Service Connect configuration of a service CloudFormation makes
    # (moto/ecs/models.py, Service.create_from_cloudformation_json): on the templates instead,
    # every task is in the private subnets without a public IP and a member of the environment's
    # group, and the internal service is served as "orders" on its port.
    for name in services:
        template = from_yaml((folder / f"service-{name.lower()}.yaml").read_text())
        properties = template["Resources"][s.SERVICE]["Properties"]
        vpc = properties["NetworkConfiguration"]["AwsvpcConfiguration"]
        assert vpc["AssignPublicIp"] == "DISABLED"
        assert vpc["SecurityGroups"][1] == {"Ref": s.ENVIRONMENT_SECURITY_GROUP_ID}
        connect = properties["ServiceConnectConfiguration"]
        assert connect["Namespace"] == {"Ref": s.NAMESPACE_ARN}
        if name == "Orders":
            (served,) = connect["Services"]
            assert served["DiscoveryName"] == "orders"
        else:
            assert "Services" not in connect


def test_an_environment_updates_in_place(aws, emulator, tmp_path):
    """A new image for one service of a running environment goes through: CloudFormation
    updates the nested stacks in place (AWS::CloudFormation::Stack has no create-only
    property), so every nested stack keeps its ID and each listener rule its ARN and priority.
    moto replaced nested stacks on every update, and the listener rules of the old ones made the
    update fail (tests/deploy/moto_patched.py, _nested_stack_update). moto changes a resource
    only when its template text changes, not for a new parameter value: what the new image
    replaces is `diff`'s to say (tests/cfn/test_diff.py), not this test's."""
    launch_shop(aws, emulator, tmp_path)
    cloudformation, ecs, elbv2 = (aws.client(x) for x in ("cloudformation", "ecs", "elbv2"))

    def state() -> tuple[dict[str, str], list[tuple[str, str]], dict[str, str]]:
        nested = {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cloudformation.list_stack_resources(StackName="shop")["StackResourceSummaries"]
        }
        (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
        rules = sorted(
            (rule["RuleArn"], rule["Priority"])
            for listener in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])[
                "Listeners"
            ]
            for rule in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
        )
        (cluster,) = ecs.list_clusters()["clusterArns"]
        arns = ecs.list_services(cluster=cluster)["serviceArns"]
        services = {
            x["serviceName"]: x["taskDefinition"]
            for x in ecs.describe_services(cluster=cluster, services=arns)["services"]
        }
        return nested, rules, services

    before = state()
    image = IMAGE.rsplit(":", 1)[0] + ":2"
    aws.update_stack(
        "shop",
        keep=[
            "TemplateBucketName",
            "TemplateKeyPrefix",
            "HostedZoneId",
            *(f"{name}ContainerImage" for name in SHOP_SERVICES if name != "Web"),
        ],
        WebContainerImage=image,
    )
    after = state()
    assert aws.stack("shop")["StackStatus"] == "UPDATE_COMPLETE"
    assert after[0] == before[0]  # the same nested stacks
    assert after[1] == before[1] and len(after[1]) >= 3  # the same rules, the same priorities
    assert set(after[2]) == set(before[2])  # the same four services


# --- 9. The shipped environment, joined one service stack at a time, as from the console -------


PRIVATE_ENVIRONMENT_SPEC = """
services:
  orders: {port: 7000, expose: internal}
  worker: {expose: none}
"""


def test_an_environment_without_a_public_service_launches_with_no_load_balancer(
    aws, emulator, tmp_path
):
    from troposphere_fargate import generate, parse_spec, write_version

    write_version(tmp_path, generate(parse_spec(PRIVATE_ENVIRONMENT_SPEC, "app.yaml")))
    publish(aws, emulator, tmp_path, "jobs/")
    url = f"https://team-templates.s3.{REGION}.amazonaws.com/jobs/{__version__}/root.yaml"
    aws.create_stack(
        "jobs",
        url,
        TemplateBucketName="team-templates",
        TemplateKeyPrefix="jobs/",
        **{f"{name}ContainerImage": IMAGE for name in ("Orders", "Worker")},
    )
    # Both services run in the environment's cluster, and nothing is internet-facing: no load
    # balancer, listener or access-log bucket anywhere in the account.
    ecs = aws.client("ecs")
    (cluster,) = ecs.list_clusters()["clusterArns"]
    assert len(ecs.list_services(cluster=cluster)["serviceArns"]) == 2
    assert aws.client("elbv2").describe_load_balancers()["LoadBalancers"] == []
    buckets = [b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]]
    assert buckets == ["team-templates"]


def test_an_https_only_environment_listens_on_443_alone(aws):
    from troposphere_fargate.layers.environment import names as e

    net = aws.create_stack("net", TEMPLATES / "network.yaml")
    certificate = aws.client("acm").request_certificate(DomainName="shop.example.com")
    env = aws.create_stack(
        "env",
        TEMPLATES / "environment.yaml",
        **{
            e.VPC_ID: net[n.OUTPUT_VPC_ID],
            e.PUBLIC_SUBNET_IDS: net[n.OUTPUT_PUBLIC_SUBNET_IDS],
            e.CERTIFICATE_ARN: certificate["CertificateArn"],
            e.HTTPS_ONLY: "true",
        },
    )
    elbv2 = aws.client("elbv2")
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    (listener,) = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    assert (listener["Port"], listener["Protocol"]) == (443, "HTTPS")
    assert env[e.OUTPUT_LISTENER_ARN] == listener["ListenerArn"]  # what services join
    (front,) = balancer["SecurityGroups"]
    admitted = aws.client("ec2").describe_security_groups(GroupIds=[front])["SecurityGroups"][0]
    assert [p["FromPort"] for p in admitted["IpPermissions"]] == [443]


def test_shipped_services_join_the_shipped_environment_one_stack_at_a_time(aws):
    from troposphere_fargate.layers.environment import names as e

    net = aws.create_stack("net", TEMPLATES / "network.yaml")
    env = aws.create_stack(
        "env",
        TEMPLATES / "environment.yaml",
        **{e.VPC_ID: net[n.OUTPUT_VPC_ID], e.PUBLIC_SUBNET_IDS: net[n.OUTPUT_PUBLIC_SUBNET_IDS]},
    )
    joined = {name: env[name] for name in s.JOIN_PARAMETERS}
    common = {**network_ids(net), s.CONTAINER_IMAGE: IMAGE}
    api = aws.create_stack(
        "api",
        TEMPLATES / "service.yaml",
        **common,
        **joined,
        **{
            s.CONTAINER_PORT: "9000",
            s.EXPOSE: "public",
            s.LISTENER_RULE_PRIORITY: "10",
            s.LISTENER_RULE_PATH: "/api/*",
        },
    )
    orders = aws.create_stack(
        "orders",
        TEMPLATES / "service.yaml",
        **common,
        **{name: env[name] for name in (s.CLUSTER_NAME, *ENVIRONMENT_MEMBERSHIP)},
        **{
            s.CONTAINER_PORT: "7000",
            s.EXPOSE: "internal",
            s.SERVICE_CONNECT_NAME: "orders",
            s.SERVICE_CONNECT_APP_PROTOCOL: "http",
        },
    )

    # One load balancer (the environment's) and one cluster, holding both services.
    elbv2 = aws.client("elbv2")
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    assert balancer["LoadBalancerArn"] == env[e.OUTPUT_LOAD_BALANCER_ARN]
    (cluster,) = aws.client("ecs").list_clusters()["clusterArns"]
    running = aws.client("ecs").list_services(cluster=cluster)["serviceArns"]
    assert sorted(arn.rsplit("/", 1)[1] for arn in running) == sorted(
        [api[s.OUTPUT_SERVICE_NAME], orders[s.OUTPUT_SERVICE_NAME]]
    )
    assert api[s.OUTPUT_CLUSTER_NAME] == orders[s.OUTPUT_CLUSTER_NAME] == env[e.OUTPUT_CLUSTER_NAME]

    # The public one's rule sits on the environment's listener (HTTP: no certificate here).
    (rule,) = [
        r
        for r in elbv2.describe_rules(ListenerArn=env[e.OUTPUT_LISTENER_ARN])["Rules"]
        if not r["IsDefault"]
    ]
    assert rule["Priority"] == "10"
    assert rule["Conditions"][0]["PathPatternConfig"]["Values"] == ["/api/*"]
    (group,) = elbv2.describe_target_groups(TargetGroupArns=[rule["Actions"][0]["TargetGroupArn"]])[
        "TargetGroups"
    ]
    assert (group["Port"], group["TargetType"]) == (9000, "ip")
    assert api[s.OUTPUT_SERVICE_URL] == env[e.OUTPUT_ENVIRONMENT_URL] + "/api/"
    assert orders[s.OUTPUT_SERVICE_URL] == "http://orders:7000"

    # Neither created a load balancer, a listener or an access-log bucket of its own.
    for stack in ("api", "orders"):
        types = {
            r["ResourceType"]
            for r in json.loads(
                aws.cli("cloudformation", "list-stack-resources", "--stack-name", stack).stdout
            )["StackResourceSummaries"]
        }
        assert not types & {
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ECS::Cluster",
            "AWS::S3::Bucket",
        }, stack

    # The internal one admits its port from the environment's services, the public one from
    # the environment's load balancer.
    ec2 = aws.client("ec2")

    def sources(outputs: dict[str, str]) -> list[tuple[int, str]]:
        (described,) = ec2.describe_security_groups(
            GroupIds=[outputs[s.OUTPUT_TASK_SECURITY_GROUP_ID]]
        )["SecurityGroups"]
        return [
            (rule["FromPort"], pair["GroupId"])
            for rule in described["IpPermissions"]
            for pair in rule["UserIdGroupPairs"]
        ]

    assert sources(api) == [(9000, env[e.OUTPUT_LOAD_BALANCER_SECURITY_GROUP_ID])]
    assert sources(orders) == [(7000, env[e.OUTPUT_ENVIRONMENT_SECURITY_GROUP_ID])]

    # The internal one's port mapping carries the application protocol Service Connect
    # serves it by; the public one's, none (TCP).
    ecs = aws.client("ecs")

    def mappings(outputs: dict[str, str]) -> list[dict[str, object]]:
        (described,) = ecs.describe_services(
            cluster=outputs[s.OUTPUT_CLUSTER_NAME], services=[outputs[s.OUTPUT_SERVICE_NAME]]
        )["services"]
        definition = ecs.describe_task_definition(taskDefinition=described["taskDefinition"])
        return definition["taskDefinition"]["containerDefinitions"][0]["portMappings"]

    assert [m.get("appProtocol") for m in mappings(orders)] == ["http"]
    assert [m.get("appProtocol") for m in mappings(api)] == [None]


# --- 10. A stack update leaves the task count to autoscaling ------------------------------------


def test_a_stack_update_keeps_the_task_count_autoscaling_set(aws):
    net = aws.create_stack("net", TEMPLATES / "network.yaml")
    wired = network_ids(net)
    first = aws.create_stack("svc", TEMPLATES / "service.yaml", ContainerImage=IMAGE, **wired)
    ecs = aws.client("ecs")
    cluster, name = first[s.OUTPUT_CLUSTER_NAME], first[s.OUTPUT_SERVICE_NAME]

    def desired() -> int:
        (described,) = ecs.describe_services(cluster=cluster, services=[name])["services"]
        return int(described["desiredCount"])

    # What target tracking does under load: Application Auto Scaling sets the service's count.
    ecs.update_service(cluster=cluster, service=name, desiredCount=5)
    # A release: a new image, so a new task definition and an update of the service.
    aws.update_stack("svc", keep=list(wired), ContainerImage=IMAGE.replace(":1.4.2", ":1.4.3"))
    assert aws.stack("svc")["StackStatus"] == "UPDATE_COMPLETE"
    assert desired() == 5  # DesiredCount=0 (the default): the service has none to send
    # A DesiredCount given is set, by this update and every later one.
    aws.update_stack("svc", keep=[*wired, s.CONTAINER_IMAGE], DesiredCount="3")
    assert desired() == 3
    # moto creates a service without DesiredCount with 0 tasks and registers scalable targets
    # without touching the service; ECS starts it with one task, which registering the target
    # raises into MinCapacity..MaxCapacity. That part is asserted on the template:
    # tests/layers/test_service.py, test_an_update_leaves_the_task_count_to_autoscaling.


# --- Deployment strategies ------------------------------------------------------------------------


def _listener_rules(aws: Aws, load_balancer_dns: str) -> list[dict[str, Any]]:
    elb = aws.client("elbv2")
    (balancer,) = [
        b
        for b in elb.describe_load_balancers()["LoadBalancers"]
        if b["DNSName"] == load_balancer_dns
    ]
    rules = []
    for listener in elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])[
        "Listeners"
    ]:
        for rule in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]:
            if not rule.get("IsDefault"):
                rules.append({"Port": listener["Port"], **rule})
    return rules


def _resources(aws: Aws, stack: str) -> set[str]:
    return set(_stack_resources(aws, stack))


# Blue/green with HttpsOnly, the others with port 80 redirecting (the default): both deploy.
@pytest.mark.parametrize(
    ("strategy", "https_only"), [("CANARY", "false"), ("LINEAR", "false"), ("BLUE_GREEN", "true")]
)
def test_each_strategy_deploys_its_second_target_group_rule_and_role(aws, strategy, https_only):
    """moto does not model ECS's deployment strategies: it accepts the service's Strategy,
    BakeTimeInMinutes, CanaryConfiguration, LinearConfiguration and AdvancedConfiguration and
    keeps none of them, so what the service receives is asserted on the template
    (tests/layers/test_deployment_strategies.py); here, that the stack with every resource a
    strategy adds deploys, wired, through the aws CLI."""
    wired = network_ids(aws.create_stack("net", TEMPLATES / "network.yaml"))
    acm = aws.client("acm")
    certificate = acm.request_certificate(DomainName="shop.example.com")["CertificateArn"]
    outputs = aws.create_stack(
        "svc",
        TEMPLATES / "service.yaml",
        ContainerImage=IMAGE,
        DeploymentStrategy=strategy,
        CertificateArn=certificate,
        TestListenerPort="8443",
        HttpsOnly=https_only,
        **wired,
    )
    assert {
        s.ALTERNATE_TARGET_GROUP,
        s.PRODUCTION_LISTENER_RULE,
        s.TEST_LISTENER,
        s.TEST_LISTENER_RULE,
        s.DEPLOYMENT_ROLE,
        s.ALTERNATE_UNHEALTHY_TARGETS_ALARM,
        s.ALTERNATE_ERROR_RATE_ALARM,
    } <= _resources(aws, "svc")
    rules = _listener_rules(aws, outputs[s.OUTPUT_LOAD_BALANCER_DNS_NAME])
    assert sorted(rule["Port"] for rule in rules) == [443, 8443]  # production and test rules
    # HttpsOnly: no port 80, every listener HTTPS (Security Hub ELB.18; tests/layers/
    # test_https_only.py cites the AWS Config rule behind it). Without it, 80 redirects.
    # (moto keeps a resource whose condition turns false on update, so what flipping it on a
    # running stack does is asserted on the template, in that test.)
    elbv2 = aws.client("elbv2")
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    port_80 = [] if https_only == "true" else [(80, "HTTP")]
    assert sorted((x["Port"], x["Protocol"]) for x in listeners) == [
        *port_80,
        (443, "HTTPS"),
        (8443, "HTTPS"),
    ]
    if port_80:
        (http,) = [x for x in listeners if x["Port"] == 80]
        assert http["DefaultActions"][0]["Type"] == "redirect"
    (front,) = balancer["SecurityGroups"]
    admitted = aws.client("ec2").describe_security_groups(GroupIds=[front])["SecurityGroups"][0]
    assert sorted(p["FromPort"] for p in admitted["IpPermissions"]) == sorted(
        port for port, _ in [*port_80, (443, ""), (8443, "")]
    )
    for rule in rules:
        (action,) = rule["Actions"]
        weights = [group["Weight"] for group in action["ForwardConfig"]["TargetGroups"]]
        assert weights == [100, 0]  # all to the running revision until ECS shifts it
    assert outputs[s.OUTPUT_TEST_URL].startswith("https://") and outputs[
        s.OUTPUT_TEST_URL
    ].endswith(":8443")
    role = aws.client("iam").get_role(RoleName=_physical(aws, "svc", s.DEPLOYMENT_ROLE))["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "ecs.amazonaws.com"
    }


def test_a_strategy_on_a_network_load_balancer_forwards_by_weight_from_its_listener(aws):
    """A network load balancer has no listener rules: under a traffic-shifting strategy the
    listener's default action forwards to both target groups by weight, which ECS shifts.
    Without a certificate that is HttpListener (TCP 80), with one HttpsListener (TLS 443): one
    network, a stack for each. (moto needed a patch to create such a listener from a template:
    moto_patched.py, _listener_forward_config.)"""
    wired = network_ids(aws.create_stack("net", TEMPLATES / "network.yaml"))
    certificate = aws.client("acm").request_certificate(DomainName="shop.example.com")[
        "CertificateArn"
    ]
    elbv2, ecs = aws.client("elbv2"), aws.client("ecs")
    for stack, strategy, given, served in [
        ("canary", "CANARY", "", (80, "TCP")),
        ("bluegreen", "BLUE_GREEN", certificate, (443, "TLS")),
    ]:
        outputs = aws.create_stack(
            stack,
            TEMPLATES / "service.yaml",
            ContainerImage=IMAGE,
            LoadBalancerType="network",
            DeploymentStrategy=strategy,
            CertificateArn=given,
            **wired,
        )
        resources = _stack_resources(aws, stack)
        assert {s.ALTERNATE_TARGET_GROUP, s.DEPLOYMENT_ROLE, s.DASHBOARD} <= set(resources)
        (balancer,) = elbv2.describe_load_balancers(LoadBalancerArns=[resources[s.LOAD_BALANCER]])[
            "LoadBalancers"
        ]
        assert balancer["Type"] == "network"
        (listener,) = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])[
            "Listeners"
        ]
        assert (listener["Port"], listener["Protocol"]) == served
        (action,) = listener["DefaultActions"]
        assert action["Type"] == "forward"
        # All to the running revision until ECS shifts it.
        assert [
            (g["TargetGroupArn"], g["Weight"]) for g in action["ForwardConfig"]["TargetGroups"]
        ] == [
            (resources[s.TARGET_GROUP], 100),
            (resources[s.ALTERNATE_TARGET_GROUP], 0),
        ]
        (service,) = ecs.describe_services(
            cluster=outputs[s.OUTPUT_CLUSTER_NAME], services=[outputs[s.OUTPUT_SERVICE_NAME]]
        )["services"]
        assert service["serviceArn"] == resources[s.SERVICE]
        assert service["status"] == "ACTIVE"


def _physical(aws: Aws, stack: str, logical: str) -> str:
    return _stack_resources(aws, stack)[logical]


def test_a_running_stack_moves_from_rolling_to_canary_and_back(aws):
    """The update a team makes to adopt canaries, and to leave them. The emulator shows that the
    resources come and go and the service stays (same ARN); that ECS then shifts traffic through
    them it cannot show (see the README's canary timeline, and its note on leaving a
    traffic-shifting strategy after a deployment)."""
    wired = network_ids(aws.create_stack("net", TEMPLATES / "network.yaml"))
    first = aws.create_stack("svc", TEMPLATES / "service.yaml", ContainerImage=IMAGE, **wired)
    service_arn = _physical(aws, "svc", s.SERVICE)
    assert s.ALTERNATE_TARGET_GROUP not in _resources(aws, "svc")
    keep = [*wired, s.CONTAINER_IMAGE]
    aws.update_stack("svc", keep=keep, DeploymentStrategy="CANARY", CanaryPercent="10")
    assert aws.stack("svc")["StackStatus"] == "UPDATE_COMPLETE"
    assert {s.ALTERNATE_TARGET_GROUP, s.PRODUCTION_LISTENER_RULE, s.DEPLOYMENT_ROLE} <= _resources(
        aws, "svc"
    )
    assert len(_listener_rules(aws, first[s.OUTPUT_LOAD_BALANCER_DNS_NAME])) == 1
    aws.update_stack("svc", keep=[*keep, s.CANARY_PERCENT], DeploymentStrategy="ROLLING")
    assert aws.stack("svc")["StackStatus"] == "UPDATE_COMPLETE"
    assert _physical(aws, "svc", s.SERVICE) == service_arn  # the same service throughout
    # moto 5.2 leaves a resource in place when an update turns its condition false (the known
    # gap of deletes, ARCHITECTURE.md); CloudFormation deletes it. What the stack holds after
    # the move back is asserted on the template: nothing of the three under ROLLING.
    back = deployed(
        from_yaml((TEMPLATES / "service.yaml").read_text()),
        {s.CONTAINER_IMAGE: IMAGE, **wired, s.DEPLOYMENT_STRATEGY: "ROLLING"},
    )
    assert {s.ALTERNATE_TARGET_GROUP, s.PRODUCTION_LISTENER_RULE, s.DEPLOYMENT_ROLE} & set(
        back.resources
    ) == set()


# --- The template bucket --------------------------------------------------------------------


def test_the_template_bucket_deploys_with_its_name_and_region(aws):
    """moto creates the bucket and its encryption through CloudFormation, but not its
    versioning, public access block, ownership controls, lifecycle or policy (no CloudFormation
    support for AWS::S3::BucketPolicy): those are asserted on the template in
    tests/layers/test_template_bucket.py."""
    out = aws.create_stack(
        "templates",
        TEMPLATES / "bucket.yaml",
        BucketName="team-templates-us-east-1",
        OrganizationId="o-a1b2c3d4e5",
    )
    assert out == {"BucketName": "team-templates-us-east-1", "BucketRegion": REGION}
    s3 = aws.client("s3")
    (rule,) = s3.get_bucket_encryption(Bucket=out["BucketName"])[
        "ServerSideEncryptionConfiguration"
    ]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    unnamed = aws.create_stack("templates-2", TEMPLATES / "bucket.yaml")
    assert unnamed["BucketName"].startswith("templates-2-templatebucket-")
