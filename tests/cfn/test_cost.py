"""``troposphere-fargate cost``: the fixed monthly cost of what a template deploys, line by line,
from the committed price table; each line's figure is the table's unit price times what the
dry run counts, so these tests check the counting and the arithmetic, and the table is checked
for its date and sources."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from tests.support import built
from troposphere_fargate import ConfigWarning, __version__, cli
from troposphere_fargate.cfn.cost import estimate, price_table
from troposphere_fargate.cfn.dry_run import DryRunFailed, Footprint, describe, dry_run, footprint

ROOT = Path(__file__).resolve().parents[2] / "templates" / __version__ / "root.yaml"
LAUNCH = {
    "ContainerImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
    "TemplateBucketName": "my-templates",
}
# A service.yaml in an existing VPC, and the environment.yaml there: their required values.
SUBNETS = "subnet-0abc1234,subnet-0def5678"
IN_A_VPC = {
    "ContainerImage": LAUNCH["ContainerImage"],
    "VpcId": "vpc-0abc1234",
    "PrivateSubnetIds": SUBNETS,
    "PublicSubnetIds": SUBNETS,
}
ENVIRONMENT = {"VpcId": "vpc-0abc1234", "PublicSubnetIds": SUBNETS}
PRICE = price_table()["regions"]["us-east-1"]
HOURS = price_table()["hours_per_month"]


def lines(values: dict[str, str], region: str | None = None) -> dict[str, float]:
    bill = estimate(footprint(dry_run(ROOT, {**LAUNCH, **values})), region)
    return {line.item: line.monthly for line in bill.lines}


def test_the_table_says_when_and_where_its_prices_come_from():
    table = price_table()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", table["date"])
    assert table["hours_per_month"] == 730  # the AWS Pricing Calculator's month
    assert all(
        url.startswith(("https://aws.amazon.com/", "https://docs.aws.amazon.com/"))
        for url in table["sources"].values()
    )
    assert table["not_counted"]


def test_nat_per_az_costs_a_gateway_and_an_address_per_az():
    per_az = lines({"NumberOfAzs": "3"})
    assert per_az["NAT gateways"] == pytest.approx(3 * HOURS * PRICE["nat_gateway_hour"])
    # 3 NAT Elastic IPs and the load balancer's node in each of the 3 public subnets
    assert per_az["public IPv4 addresses"] == pytest.approx(6 * HOURS * PRICE["public_ipv4_hour"])
    assert "interface endpoints" not in per_az


def test_a_single_nat_gateway_costs_one():
    single = lines({"NumberOfAzs": "3", "NatGateways": "Single"})
    assert single["NAT gateways"] == pytest.approx(HOURS * PRICE["nat_gateway_hour"])
    assert single["public IPv4 addresses"] == pytest.approx(4 * HOURS * PRICE["public_ipv4_hour"])


def test_endpoints_cost_per_interface_endpoint_per_az_and_the_gateway_one_nothing():
    stack = dry_run(ROOT, {**LAUNCH, "NatGateways": "None", "VpcEndpoints": "true"})
    found = footprint(stack)
    interface = len(found.interface_endpoints)
    assert interface == 6 and found.gateway_endpoints == ["s3"]
    none = {line.item: line for line in estimate(found).lines}
    assert "NAT gateways" not in none
    assert none["interface endpoints"].monthly == pytest.approx(
        interface * 2 * HOURS * PRICE["interface_endpoint_az_hour"]
    )
    assert none["interface endpoints"].quantity.startswith("6 x 2 AZs x 730 h")


def test_fargate_is_priced_for_the_running_task_count_and_size():
    bill = lines({"DesiredCount": "3", "TaskCpu": "1024", "TaskMemory": "2048"})
    assert bill["Fargate vCPU (ServiceStack/Service)"] == pytest.approx(
        3 * 1 * HOURS * PRICE["fargate_vcpu_hour"]
    )
    assert bill["Fargate memory (ServiceStack/Service)"] == pytest.approx(
        3 * 2 * HOURS * PRICE["fargate_gb_hour"]
    )


def test_a_desired_count_outside_the_scaling_bounds_is_priced_within_them():
    """An audit: DesiredCount=10 with MaxCapacity=4 was priced at 10 tasks (a total above the
    ceiling, and no ceiling line), DesiredCount=1 with MinCapacity=2 at 1. The service's
    scalable target is registered after the service, and registering it moves the count into
    the bounds: "it changes the resource's current capacity to a value that is inside of this
    range" (Application Auto Scaling API Reference, RegisterScalableTarget,
    https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
    """
    per_task = HOURS * 0.25 * PRICE["fargate_vcpu_hour"]
    above = estimate(footprint(dry_run(ROOT, {**LAUNCH, "DesiredCount": "10", "MaxCapacity": "4"})))
    vcpu = {line.item: line for line in above.lines}["Fargate vCPU (ServiceStack/Service)"]
    assert vcpu.quantity.startswith("4 x 0.25 vCPU")
    assert vcpu.monthly == pytest.approx(4 * per_task)
    assert above.at_most == above.total
    below = lines({"DesiredCount": "1", "MinCapacity": "2"})
    assert below["Fargate vCPU (ServiceStack/Service)"] == pytest.approx(2 * per_task)
    # Within the bounds, the desired count is what runs.
    assert lines({"DesiredCount": "3"})["Fargate vCPU (ServiceStack/Service)"] == pytest.approx(
        3 * per_task
    )
    # 0.1.0's DesiredCount is 2 whatever MinCapacity says (a matrix audit found it priced at 2).
    first = ROOT.parents[1] / "0.1.0" / "root.yaml"
    older = footprint(dry_run(first, {**LAUNCH, "MinCapacity": "3", "MaxCapacity": "10"}))
    assert [count for _, count, *_ in older.tasks] == [3]


def test_fargate_spot_tasks_are_named_so_and_priced_on_demand_saying_so():
    # The table has no Spot prices (they change with spare capacity): the on-demand price is
    # an upper bound, and the line says that is what it is.
    found = footprint(dry_run(ROOT, {**LAUNCH, "CapacityProvider": "FARGATE_SPOT"}))
    assert found.spot == ("ServiceStack/Service",)
    bill = {line.item: line for line in estimate(found).lines}
    vcpu = bill["Fargate Spot vCPU (ServiceStack/Service)"]
    assert vcpu.monthly == pytest.approx(2 * 0.25 * HOURS * PRICE["fargate_vcpu_hour"])
    assert vcpu.quantity.endswith("(on-demand: Spot's price is lower and varies)")
    assert "Fargate vCPU (ServiceStack/Service)" not in bill
    assert footprint(dry_run(ROOT, LAUNCH)).spot == ()
    # On demand, whatever the service is called.
    spotlight = Footprint(
        **{**vars(found), "tasks": [("Spotlight", 1, 1.0, 2.0, "X86_64")], "spot": ()}
    )
    (line,) = [line for line in estimate(spotlight).lines if "vCPU" in line.item]
    assert line.item == "Fargate vCPU (Spotlight)" and "on-demand" not in line.quantity


def test_arm64_tasks_on_fargate_spot_are_priced_as_arm64_on_demand_saying_so():
    # FARGATE_SPOT runs ARM64 tasks ("FARGATE_SPOT supports Linux tasks with the ARM64
    # architecture on platform version 1.4.0 or later", ECS API Reference,
    # https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
    # Like X86_64 Spot, the upper bound is the on-demand price of the task's own architecture.
    values = {**LAUNCH, "CapacityProvider": "FARGATE_SPOT", "CpuArchitecture": "ARM64"}
    found = footprint(dry_run(ROOT, values))
    assert found.spot == ("ServiceStack/Service",)
    bill = {line.item: line for line in estimate(found).lines}
    vcpu = bill["Fargate Spot vCPU (ServiceStack/Service)"]
    memory = bill["Fargate Spot memory (ServiceStack/Service)"]
    assert vcpu.monthly == pytest.approx(2 * 0.25 * HOURS * PRICE["fargate_arm_vcpu_hour"])
    assert memory.monthly == pytest.approx(2 * 0.5 * HOURS * PRICE["fargate_arm_gb_hour"])
    assert vcpu.quantity.endswith("(on-demand: Spot's price is lower and varies)")
    assert memory.quantity.endswith("(on-demand: Spot's price is lower and varies)")


def test_the_total_is_the_sum_of_the_lines_and_the_cli_prints_both(capsys):
    values = [f"{k}={v}" for k, v in LAUNCH.items()]
    assert cli.main(["cost", str(ROOT), *values]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("fixed monthly cost in us-east-1, USD, 730 hours a month, prices of ")
    total = float(
        next(line for line in out if line.strip().startswith("total"))
        .split("$")[1]
        .replace(",", "")
    )
    assert total == pytest.approx(sum(lines({}).values()), abs=0.01)
    assert out[-2].startswith("not counted (it depends on use): ")
    assert out[-1].startswith("prices from https://")


def test_what_is_not_counted_is_what_the_stack_has():
    """Only what the stack creates is named as priced by use: a bucket's storage for the
    bucket's template, NAT data without endpoint data, endpoint data once NAT is gone."""
    bucket = ROOT.with_name("bucket.yaml")
    found = footprint(dry_run(bucket, {"BucketName": "my-templates"}))
    assert estimate(found).not_counted == ("S3 storage and requests of its buckets",)
    nat = estimate(footprint(dry_run(ROOT, LAUNCH))).not_counted
    endpoints = estimate(
        footprint(dry_run(ROOT, {**LAUNCH, "NatGateways": "None", "VpcEndpoints": "true"}))
    ).not_counted
    assert "data processed by NAT gateways ($0.045 a GB)" in nat
    assert not any("interface endpoints" in item for item in nat)
    assert "data processed by interface endpoints ($0.01 a GB)" in endpoints
    assert not any("NAT gateways" in item for item in endpoints)
    for both in ("load balancer capacity units", "ECR storage of images", "CloudWatch Logs"):
        assert any(item.startswith(both) for item in nat)
        assert any(item.startswith(both) for item in endpoints)
    # AWS WAF only where a web ACL is associated.
    environment = ROOT.with_name("environment.yaml")
    acl = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/" + "0" * 36
    waf = "AWS WAF requests (its web ACL and rules are priced with the ACL)"
    assert waf not in estimate(footprint(dry_run(environment, ENVIRONMENT))).not_counted
    with_acl = footprint(dry_run(environment, {**ENVIRONMENT, "WebAclArn": acl}))
    assert waf in estimate(with_acl).not_counted
    assert waf not in nat
    # Secrets Manager only when a container reads a secret.
    secrets = "Secrets Manager secrets the containers read, and their API calls"
    assert secrets not in nat
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db-AbCdEf"
    with_secret = footprint(dry_run(ROOT, {**LAUNCH, "SecretArn": arn}))
    assert with_secret.secrets == 1 and secrets in estimate(with_secret).not_counted
    # Nothing priced by use at all: said so, not an empty list.
    empty = Footprint(None, 0, 0, [], {}, [], [], [], [], 0, 0, 0, [], 1, 1)
    report = estimate(empty).report()
    assert report[-2] == "not counted (it depends on use): nothing the price table knows of"


def test_a_service_in_another_stacks_cluster_names_its_container_insights():
    """An audit: a service that joins an environment (``ClusterName``) runs in the
    environment's cluster, which has Container Insights on; its per-service metrics are
    billed (standard Container Insights metrics are custom metrics, Amazon CloudWatch pricing,
    https://aws.amazon.com/cloudwatch/pricing/), but the environment's cost prices the
    cluster's alone and the service's priced nothing and named nothing. The stack cannot see
    the other cluster's setting: it names them as another stack's, at the table's count."""
    service = ROOT.with_name("service.yaml")
    joined = {
        **IN_A_VPC,
        "ClusterName": "env-cluster",
        "EnvironmentSecurityGroupId": "sg-0123456789abcdef0",
        "NamespaceArn": "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc",
        "Expose": "internal",
        "ServiceConnectName": "api",
    }
    found = footprint(dry_run(service, joined))
    assert (found.clusters, found.container_insights) == (0, 0)
    bill = estimate(found)
    (named,) = [item for item in bill.not_counted if item.startswith("Container Insights")]
    per_service = PRICE["container_insights_metrics_per_service"]
    assert f"about {per_service} metrics a service at ${PRICE['custom_metric_month']:.2f}" in named
    assert bill.report()[-2].startswith("not counted (it depends on use, or it is another stack's)")
    # Its own cluster's Container Insights is priced, not named.
    alone = estimate(footprint(dry_run(service, IN_A_VPC)))
    assert "Container Insights" in {line.item for line in alone.lines}
    assert not any(item.startswith("Container Insights") for item in alone.not_counted)
    # The environment's cost has no service to name.
    environment = ROOT.with_name("environment.yaml")
    assert not any(
        item.startswith("Container Insights")
        for item in estimate(footprint(dry_run(environment, ENVIRONMENT))).not_counted
    )


_OWN_SERVICE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: CPU
      Memory: MEMORY
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      ContainerDefinitions:
        - Name: app
          Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      DesiredCount: COUNT
      LaunchType: FARGATE
"""


def _own_service(tmp_path, cpu: str, memory: str, count: str = "2") -> Footprint:
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", cpu).replace("MEMORY", memory).replace("COUNT", count)
    template.write_text(text)
    return footprint(dry_run(template, {}))


def test_a_task_size_in_vcpu_and_gb_is_priced_as_its_units(tmp_path):
    """An audit: a template of one's own with ``Cpu: 1 vCPU`` and ``Memory: 2 GB`` was priced
    at no vCPU and no memory. A task definition takes either: "It can also be expressed as a
    string using vCPUs (for example, 1 vCPU or 1 vcpu). String values are converted to an
    integer indicating the CPU units when the task definition is registered"; "The memory
    value can be expressed in MiB or GB" (Amazon ECS API Reference, RegisterTaskDefinition,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html;
    Amazon ECS Developer Guide, "Troubleshoot Amazon ECS task definition invalid CPU or memory
    errors", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html).
    """
    for cpu, memory in (("1 vCPU", "2 GB"), ("1vcpu", "2gb"), ("1024", "2048")):
        found = _own_service(tmp_path, cpu, memory)
        assert found.tasks == [("Service", 2, 1.0, 2.0, "X86_64")], (cpu, memory)
        assert found.unknown_sizes == ()
    bill = {line.item: line.monthly for line in estimate(found).lines}
    assert bill["Fargate vCPU (Service)"] == pytest.approx(2 * HOURS * PRICE["fargate_vcpu_hour"])
    assert bill["Fargate memory (Service)"] == pytest.approx(
        2 * 2 * HOURS * PRICE["fargate_gb_hour"]
    )


def test_a_service_of_0_tasks_costs_no_task(tmp_path):
    """A review: an explicit ``DesiredCount: 0`` without autoscaling was priced as 1 task, what
    ECS starts a service with when no count is given ("when creating a service, the service is
    created and starts up with a desired count of 1", CloudFormation's behaviour as AWS CDK
    describes it in aws/aws-cdk#13130); a count of 0 runs none."""
    assert _own_service(tmp_path, "1024", "2048", "0").tasks == [("Service", 0, 1.0, 2.0, "X86_64")]
    text = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048")
    (tmp_path / "none.yaml").write_text(text.replace("      DesiredCount: COUNT\n", ""))
    # Without a DesiredCount, ECS's default: 1.
    assert [count for _, count, *_ in footprint(dry_run(tmp_path / "none.yaml", {})).tasks] == [1]


def test_a_task_size_known_only_at_creation_is_named_not_priced_at_nothing(tmp_path):
    """An audit: a ``Cpu`` that is another stack's export was priced at 0 vCPU, and a
    ``DesiredCount`` that is one at 1 task, with nothing said: the total was too low and
    looked complete."""
    found = _own_service(tmp_path, "!ImportValue shared-cpu", "2048", "!ImportValue shared-count")
    assert found.unknown_sizes == (
        ("Service", 'its DesiredCount {"Fn::ImportValue": "shared-count"}, priced as 1 task'),
        ("Service", 'its Cpu {"Fn::ImportValue": "shared-cpu"}, priced as 0 vCPU'),
    )
    bill = estimate(found)
    assert bill.not_counted[:2] == (
        'what Service runs (its DesiredCount {"Fn::ImportValue": "shared-count"}, priced as '
        "1 task): it is known only when the stack is created",
        'what Service runs (its Cpu {"Fn::ImportValue": "shared-cpu"}, priced as 0 vCPU): '
        "it is known only when the stack is created",
    )
    assert bill.report()[-2].startswith(
        "not counted (it depends on use, or it is another stack's, or it is known only when "
        "the stack is created): "
    )
    # The shipped templates' sizes are parameters: always known.
    assert footprint(dry_run(ROOT, LAUNCH)).unknown_sizes == ()


_SCALABLE_TARGET = """  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      MinCapacity: LOW
      MaxCapacity: HIGH
      ResourceId: service/cluster/service
      ScalableDimension: ecs:service:DesiredCount
      ServiceNamespace: ecs
"""


def _own_scaled_service(tmp_path, count: str, low: str, high: str) -> Footprint:
    template = tmp_path / "scaled.yaml"
    text = _OWN_SERVICE.replace("CPU", "256").replace("MEMORY", "512").replace("COUNT", count)
    template.write_text(text + _SCALABLE_TARGET.replace("LOW", low).replace("HIGH", high))
    return footprint(dry_run(template, {}))


def test_one_known_scaling_bound_holds_the_count_and_an_unknown_one_is_named(tmp_path):
    """Each bound holds the count whatever the other is (a MinCapacity above MaxCapacity is
    refused): registering the scalable target "changes the resource's current capacity to a
    value that is inside of this range" (Application Auto Scaling API Reference,
    RegisterScalableTarget,
    https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
    DesiredCount 10 under MaxCapacity 4 was priced at 10 tasks when MinCapacity was another
    stack's export, DesiredCount 1 over MinCapacity 3 at 1 when MaxCapacity was; and an
    unknown MinCapacity without a DesiredCount priced 0 tasks without a word."""
    above = _own_scaled_service(tmp_path, "10", "!ImportValue low", "4")
    assert above.tasks[0][:2] == ("Service", 4)
    assert above.unknown_sizes == (
        ("Service", 'its MinCapacity {"Fn::ImportValue": "low"}, priced as 4 tasks'),
    )
    below = _own_scaled_service(tmp_path, "1", "3", "!ImportValue high")
    assert below.tasks[0][:2] == ("Service", 3)
    assert below.unknown_sizes == (
        ("Service", 'its MaxCapacity {"Fn::ImportValue": "high"}, so no ceiling is said'),
    )
    unset = _own_scaled_service(tmp_path, "!Ref AWS::NoValue", "!ImportValue low", "4")
    assert unset.tasks[0][:2] == ("Service", 0)
    assert estimate(unset).not_counted[0] == (
        'what Service runs (its MinCapacity {"Fn::ImportValue": "low"}, priced as 0 tasks): '
        "it is known only when the stack is created"
    )


def test_windows_tasks_are_priced_at_windows_rates_and_licence(tmp_path):
    """An audit: a template of one's own whose tasks run Windows was priced at Linux/x86
    rates, less than half the bill. AWS Fargate pricing (https://aws.amazon.com/fargate/pricing/)
    has a Windows/X86 column of its own; in us-east-1, as quoted by vantage.sh's "AWS Fargate
    Pricing Explained": "Windows/X86 $0.09148 ... Note that this configuration also has an OS
    license fee of $0.046 per vCPU per hour", and $0.01005 per GB-hour."""
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048").replace("COUNT", "2")
    text = text.replace(
        "      NetworkMode: awsvpc\n",
        "      NetworkMode: awsvpc\n      RuntimePlatform:\n"
        "        OperatingSystemFamily: WINDOWS_SERVER_2022_CORE\n"
        "        CpuArchitecture: X86_64\n",
    )
    template.write_text(text)
    found = footprint(dry_run(template, {}))
    assert found.windows == ("Service",)
    bill = {line.item: line.monthly for line in estimate(found).lines}
    assert bill["Fargate Windows vCPU (Service)"] == pytest.approx(2 * HOURS * 0.09148)
    assert bill["Fargate Windows memory (Service)"] == pytest.approx(2 * 2 * HOURS * 0.01005)
    assert bill["Windows licence (Service)"] == pytest.approx(2 * HOURS * 0.046)
    assert "Fargate vCPU (Service)" not in bill
    # validate's summary says so too (a newcomer's trial: it said "(X86_64, Fargate)").
    assert "service Service: 2 tasks of 1 vCPU and 2 GB (Windows, X86_64, Fargate)" in describe(
        found
    )
    # Linux tasks pay no licence.
    linux = estimate(_own_service(tmp_path, "1024", "2048"))
    assert not any("Windows" in line.item for line in linux.lines)


_WINDOWS = (
    "      NetworkMode: awsvpc\n      RuntimePlatform:\n"
    "        OperatingSystemFamily: WINDOWS_SERVER_2022_CORE\n"
    "        CpuArchitecture: X86_64\n"
)


@pytest.mark.parametrize(
    "strategy",
    [
        "        - CapacityProvider: FARGATE_SPOT\n",
        "        - {CapacityProvider: FARGATE, Weight: 1}\n"
        "        - {CapacityProvider: FARGATE_SPOT, Weight: 3}\n",
    ],
    ids=["spot", "mixed"],
)
def test_windows_tasks_on_fargate_spot_are_refused_not_priced(tmp_path, capsys, strategy):
    """An audit: an ECS service of one's own placing Windows tasks on FARGATE_SPOT was "would
    accept", and cost priced it as "Fargate Spot" at Windows rates. "Windows containers on
    Fargate don't support the Fargate Spot capacity provider" (Amazon ECS Developer Guide,
    Fargate capacity providers,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html);
    "FARGATE_SPOT supports Linux tasks with the X86_64 architecture on platform version 1.3.0 or
    later. FARGATE_SPOT supports Linux tasks with the ARM64 architecture on platform version
    1.4.0 or later" (Amazon ECS API Reference, CapacityProviderStrategyItem,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
    """
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048").replace("COUNT", "2")
    text = text.replace("      NetworkMode: awsvpc\n", _WINDOWS)
    spot = text.replace(
        "      LaunchType: FARGATE\n", f"      CapacityProviderStrategy:\n{strategy}"
    )
    template.write_text(spot)
    problem = (
        "own.yaml: Service: the service Service places its tasks of Task "
        "(WINDOWS_SERVER_2022_CORE) on FARGATE_SPOT, which runs Linux tasks only (ECS: Windows "
        "containers on Fargate don't support the Fargate Spot capacity provider): the stack "
        "would fail creating Service; use FARGATE"
    )
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {})
    assert failed.value.problems == [problem]
    for command in ("validate", "cost"):
        assert cli.main([command, str(template)]) == 1
        assert capsys.readouterr().err == f"troposphere-fargate: error: {problem}\n"
    # On FARGATE, or beside FARGATE with no base and weight (0 when not given: no task goes
    # to Spot), the same tasks are not refused.
    unused = (
        "        - {CapacityProvider: FARGATE, Weight: 1}\n"
        "        - {CapacityProvider: FARGATE_SPOT}\n"
    )
    for placed in (text, spot.replace(strategy, unused)):
        template.write_text(placed)
        assert footprint(dry_run(template, {})).windows == ("Service",)


# A cluster of the same stack, and its service naming no capacity provider strategy and no
# launch type: the cluster's default strategy places its tasks.
_CLUSTER = """  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      CapacityProviders: [FARGATE, FARGATE_SPOT]
      DefaultCapacityProviderStrategy:
        - CapacityProvider: DEFAULT
"""
_ASSOCIATIONS = """  Associations:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties:
      Cluster: !Ref Cluster
      CapacityProviders: [FARGATE, FARGATE_SPOT]
      DefaultCapacityProviderStrategy:
        - CapacityProvider: DEFAULT
"""


def _in_a_cluster(tmp_path, cluster: str, windows: bool = False) -> Path:
    """_OWN_SERVICE without a launch type, in ``cluster`` (a ``Cluster:`` value)."""
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048").replace("COUNT", "2")
    if windows:
        text = text.replace("      NetworkMode: awsvpc\n", _WINDOWS)
    template.write_text(text.replace("      LaunchType: FARGATE\n", f"      Cluster: {cluster}\n"))
    return template


@pytest.mark.parametrize("by", ["cluster", "associations"])
def test_a_service_without_a_strategy_runs_on_its_clusters_default_one(tmp_path, capsys, by):
    """An audit: a service of one's own naming no capacity provider strategy (nor launch type)
    in a cluster of the same stack whose default strategy is FARGATE_SPOT was summed up and
    priced as "Fargate", and its Windows tasks there were not refused. "If no
    capacityProviderStrategy or launchType is specified, the defaultCapacityProviderStrategy
    for the cluster is used" (Amazon ECS API Reference, CreateService, capacityProviderStrategy,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html; Amazon
    ECS Developer Guide, service definition parameters, "If a launch type is not specified, the
    default capacityProviderStrategy is used by default",
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html).
    The cluster's is its DefaultCapacityProviderStrategy, or what an
    AWS::ECS::ClusterCapacityProviderAssociations sets: "The CapacityProviderStrategy property
    specifies the details of the default capacity provider strategy for the cluster. When
    services or tasks are run in the cluster with no launch type or capacity provider strategy
    specified, the default capacity provider strategy is used" (CloudFormation Template
    Reference, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-clustercapacityproviderassociations-capacityproviderstrategy.html).
    """
    cluster = (
        _CLUSTER.replace("DEFAULT", "FARGATE_SPOT")
        if by == "cluster"
        else _CLUSTER.replace("DEFAULT", "FARGATE")
        + _ASSOCIATIONS.replace("DEFAULT", "FARGATE_SPOT")
    )
    template = _in_a_cluster(tmp_path, "!Ref Cluster")
    template.write_text(template.read_text() + cluster)
    found = footprint(dry_run(template, {}))
    assert (found.spot, found.unknown_capacity) == (("Service",), ())
    assert "service Service: 2 tasks of 1 vCPU and 2 GB (X86_64, Fargate Spot)" in describe(found)
    assert "Fargate Spot vCPU (Service)" in {line.item for line in estimate(found).lines}
    # Windows tasks there are refused, as on a strategy of the service's own.
    source = "Cluster" if by == "cluster" else "Associations"
    windows = _in_a_cluster(tmp_path, "!Ref Cluster", windows=True)
    windows.write_text(windows.read_text() + cluster)
    with pytest.raises(DryRunFailed) as failed:
        dry_run(windows, {})
    assert failed.value.problems == [
        "own.yaml: Service: the service Service places its tasks of Task "
        "(WINDOWS_SERVER_2022_CORE) on FARGATE_SPOT by its cluster's default capacity provider "
        f"strategy ({source}'s: the service names no CapacityProviderStrategy or LaunchType of "
        "its own), which runs Linux tasks only (ECS: Windows containers on Fargate don't "
        "support the Fargate Spot capacity provider): the stack would fail creating Service; "
        "give Service a CapacityProviderStrategy of FARGATE"
    ]
    # A default of FARGATE places them on Fargate.
    on_demand = cluster.replace("FARGATE_SPOT\n", "FARGATE\n")
    windows.write_text(windows.read_text().replace(cluster, on_demand))
    found = footprint(dry_run(windows, {}))
    assert (found.spot, found.windows) == ((), ("Service",))


def test_a_cluster_and_a_task_definition_named_by_get_att_are_followed(tmp_path):
    """A service's ``Cluster`` is "the short name or full Amazon Resource Name (ARN) of the
    cluster" and its ``TaskDefinition`` "the family and revision (family:revision) or full ARN
    of the task definition" (AWS::ECS::Service, Template Reference): ``!GetAtt Cluster.Arn`` and
    ``!GetAtt Task.TaskDefinitionArn`` name them as ``!Ref`` does. Before, only a ``Ref`` was
    followed: the cluster's default strategy was "not known here", Windows tasks on its
    FARGATE_SPOT were not refused, and of two task definitions the first was priced."""
    spot = _CLUSTER.replace("DEFAULT", "FARGATE_SPOT")
    for cluster in ("!GetAtt Cluster.Arn", "!GetAtt [Cluster, Arn]"):
        template = _in_a_cluster(tmp_path, cluster)
        template.write_text(template.read_text() + spot)
        assert footprint(dry_run(template, {})).spot == ("Service",), cluster
    for cluster, task in (
        ("!GetAtt Cluster.Arn", "!Ref Task"),
        ("!Ref Cluster", "!GetAtt Task.TaskDefinitionArn"),
    ):
        windows = _in_a_cluster(tmp_path, cluster, windows=True)
        windows.write_text(windows.read_text().replace("!Ref Task\n", f"{task}\n") + spot)
        with pytest.raises(DryRunFailed) as failed:
            dry_run(windows, {})
        problem = failed.value.problems[0]
        assert "places its tasks of Task (WINDOWS_SERVER_2022_CORE) on FARGATE_SPOT" in problem
    # Two task definitions: the one the service names is priced, not the first.
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "256").replace("MEMORY", "512").replace("COUNT", "2")
    big = text[text.index("  Task:\n") : text.index("  Service:\n")].replace("Task:", "Big:")
    big = big.replace("Cpu: 256", "Cpu: 1024").replace("Memory: 512", "Memory: 2048")
    text = text.replace("  Service:\n", big + "  Service:\n")
    template.write_text(text.replace("!Ref Task\n", "!GetAtt Big.TaskDefinitionArn\n"))
    assert footprint(dry_run(template, {})).tasks == [("Service", 2, 1.0, 2.0, "X86_64")]


@pytest.mark.parametrize("cluster", ["!ImportValue shared-cluster", "shared", None])
def test_a_service_on_another_stacks_clusters_default_strategy_says_it_is_not_known(
    tmp_path, cluster
):
    """Its cluster's default strategy (see above) is another stack's, or the account's default
    cluster's: not known here, and said so rather than summed up as "Fargate"."""
    template = _in_a_cluster(tmp_path, cluster or "X")
    if cluster is None:  # no Cluster at all: the account's default cluster
        template.write_text(template.read_text().replace("      Cluster: X\n", ""))
    found = footprint(dry_run(template, {}))
    assert (found.spot, found.unknown_capacity) == ((), ("Service",))
    assert (
        "service Service: 2 tasks of 1 vCPU and 2 GB (X86_64, its cluster's default capacity "
        "provider strategy: another stack's, not known here)"
    ) in describe(found)
    bill = estimate(found)
    assert bill.not_counted[0] == (
        "whether Service runs on Fargate Spot (its cluster's default capacity provider "
        "strategy, of a cluster these stacks do not create; priced at Fargate's on-demand "
        "rate): it is another stack's"
    )
    assert "or it is another stack's" in bill.report()[-2]


def test_a_clusters_default_strategy_is_followed_into_a_sibling_stack(tmp_path):
    """The cluster of a nested stack, passed to a service's nested stack by its output (as a
    spec's root passes the environment's ClusterName): its default strategy is known."""
    (tmp_path / "cluster.yaml").write_text(
        "Resources:\n"
        + _CLUSTER.replace("DEFAULT", "FARGATE_SPOT")
        + "Outputs:\n  ClusterName:\n    Value: !Ref Cluster\n"
    )
    service = _in_a_cluster(tmp_path, "!Ref ClusterName")
    service.write_text(
        service.read_text().replace(
            "Resources:", "Parameters:\n  ClusterName:\n    Type: String\nResources:"
        )
    )
    url = "https://bucket.s3.us-east-1.amazonaws.com/"
    (tmp_path / "root.yaml").write_text(
        "Resources:\n"
        f"  ClusterStack:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
        f"      TemplateURL: {url}cluster.yaml\n"
        f"  ServiceStack:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
        f"      TemplateURL: {url}own.yaml\n"
        "      Parameters:\n        ClusterName: !GetAtt ClusterStack.Outputs.ClusterName\n"
    )
    found = footprint(dry_run(tmp_path / "root.yaml", {}))
    assert (found.spot, found.unknown_capacity) == (("ServiceStack/Service",), ())


def test_fargate_spot_of_no_base_and_weight_places_no_task(tmp_path):
    """A FARGATE_SPOT item of no base and no weight beside another provider places no task:
    "If no weight value is specified, the default value of 0 is used. When multiple capacity
    providers are specified within a capacity provider strategy, at least one of the capacity
    providers must have a weight value greater than zero and any capacity providers with a
    weight of 0 can't be used to place tasks" (Amazon ECS API Reference,
    CapacityProviderStrategyItem,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
    The Windows refusal read it so, and the summary and cost said "Fargate Spot"."""
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048").replace("COUNT", "2")
    unused = (
        "      CapacityProviderStrategy:\n"
        "        - {CapacityProvider: FARGATE, Weight: 1}\n"
        "        - {CapacityProvider: FARGATE_SPOT}\n"
    )
    template.write_text(text.replace("      LaunchType: FARGATE\n", unused))
    found = footprint(dry_run(template, {}))
    assert found.spot == ()
    assert "Fargate vCPU (Service)" in {line.item for line in estimate(found).lines}
    template.write_text(
        text.replace(
            "      LaunchType: FARGATE\n",
            unused.replace("FARGATE_SPOT}", "FARGATE_SPOT, Weight: 1}"),
        )
    )
    assert footprint(dry_run(template, {})).spot == ("Service",)


def test_a_region_without_prices_says_whose_prices_it_used():
    found = footprint(dry_run(ROOT, LAUNCH))
    bill = estimate(found, "ap-southeast-7")
    assert bill.priced_region == "us-east-1"
    assert "for us-east-1 (the table has no prices for ap-southeast-7)" in bill.report()[0]


def test_cdk_default_is_priced_from_the_same_table():
    """AWS CDK's ApplicationLoadBalancedFargateService without a VPC or cluster: the cluster's
    default VPC (2 AZs, a NAT gateway per AZ), one task of 0.25 vCPU and 0.5 GB, an
    internet-facing application load balancer, no Container Insights."""
    from troposphere_fargate.cfn.cost import CDK_DEFAULT

    assert (CDK_DEFAULT.nat_gateways, CDK_DEFAULT.availability_zones) == (2, 2)
    assert CDK_DEFAULT.tasks == [("CDK default", 1, 0.25, 0.5, "X86_64")]
    assert isinstance(CDK_DEFAULT, Footprint)


def test_a_word_that_is_no_region_is_refused_not_priced_at_us_east_1():
    found = footprint(dry_run(ROOT, LAUNCH))
    for region in ("mars-1", ""):
        with pytest.raises(ValueError, match="is not a region name"):
            estimate(found, region)
    assert estimate(found, "eu-west-1").region == "eu-west-1"


def test_an_alarm_is_priced_per_metric_it_reads():
    """CloudWatch prices alarms per alarm metric ($0.10 a month in us-east-1): the error-rate
    alarm's metric math reads two (5xx answers and requests), the unhealthy-targets alarm one.
    Priced per alarm, the two were $0.20, where the README's own rule said $0.30."""
    stack = dry_run(ROOT, LAUNCH)
    found = footprint(stack)
    assert (found.alarms, found.alarm_metrics) == (2, 3)
    assert lines({})["alarms"] == pytest.approx(3 * PRICE["alarm_month"])
    # A network load balancer counts no HTTP answers: no error-rate alarm.
    network = footprint(dry_run(ROOT, {**LAUNCH, "LoadBalancerType": "network"}))
    assert (network.alarms, network.alarm_metrics) == (1, 1)


def test_each_target_tracking_policy_costs_the_two_alarms_it_creates():
    """Application Auto Scaling creates two CloudWatch alarms (AlarmHigh and AlarmLow) for each
    target tracking policy: "the ARNs of the two CloudWatch alarms created on your behalf"
    (Application Auto Scaling User Guide, put-scaling-policy). No template lists them, and the
    cost left them out; they are billed per alarm metric as any other."""
    default = footprint(dry_run(ROOT, LAUNCH))  # CpuTargetUtilization=70: one policy
    assert (default.scaling_alarms, default.scaling_alarm_metrics) == (2, 2)
    assert lines({})["target tracking alarms"] == pytest.approx(2 * PRICE["alarm_month"])
    both = footprint(dry_run(ROOT, {**LAUNCH, "MemoryTargetUtilization": "80"}))
    assert (both.scaling_alarms, both.scaling_alarm_metrics) == (4, 4)
    off = {"CpuTargetUtilization": "0"}
    assert footprint(dry_run(ROOT, {**LAUNCH, **off})).scaling_alarms == 0
    assert "target tracking alarms" not in lines(off)


def test_a_queue_policy_costs_two_alarms_on_the_two_metrics_it_divides(tmp_path):
    """Each alarm of a metric math target reads both metrics (messages, tasks): CloudWatch
    prices it per metric."""
    spec = "services:\n  worker:\n    queue_scaling: {queue: orders, messages_per_task: 100}\n"
    with pytest.warns(ConfigWarning, match="its task role has no statement allowing sqs:Rec"):
        folder = built(tmp_path, spec)
    found = footprint(dry_run(folder / "root.yaml", LAUNCH))
    # The CPU target's two alarms read one metric each; the queue's two read two each.
    assert (found.scaling_alarms, found.scaling_alarm_metrics) == (4, 6)


# A service of 2 to 8 tasks, 6 from 8:00 and 2 from 20:00 on weekdays (Paris).
SCHEDULED = (
    "services:\n  web:\n    min_capacity: 2\n    max_capacity: 8\n    schedules:\n"
    '      - {name: peak, schedule: "cron(0 8 ? * MON-FRI *)", min: 6, '
    "timezone: Europe/Paris}\n"
    '      - {name: night, schedule: "cron(0 20 ? * MON-FRI *)", min: 2, '
    "timezone: Europe/Paris}\n"
)


def test_scheduled_capacity_is_priced_as_a_weeks_average(tmp_path):
    folder = built(tmp_path, SCHEDULED)
    found = footprint(dry_run(folder / "root.yaml", LAUNCH))
    # 60 hours of the week's 168 at 6 tasks, the rest at 2.
    ((service, average),) = found.scheduled_tasks
    assert average == pytest.approx(2 + 4 * 60 / 168)
    bill = estimate(found)
    vcpu = next(line for line in bill.lines if line.item == f"Fargate vCPU ({service})")
    assert vcpu.quantity.startswith("3.43 (scheduled, a week's average) x 0.25 vCPU x 730 h")
    assert vcpu.monthly == pytest.approx(3.43 * 0.25 * HOURS * PRICE["fargate_vcpu_hour"])
    # A schedule that is not weekly is named among what is not counted.
    rate = SCHEDULED.replace("cron(0 20 ? * MON-FRI *)", "rate(1 day)")
    folder = built(tmp_path / "rate", rate)
    bill = estimate(footprint(dry_run(folder / "root.yaml", LAUNCH)))
    assert bill.not_counted[0] == (
        f"the scheduled capacity of {service} (night runs on a rate schedule (rate(1 day)): "
        "priced at 2 tasks)"
    )
    assert f"Fargate vCPU ({service})" in {line.item for line in bill.lines}
    # One task is "1 task" (it said "1 tasks").
    one = built(tmp_path / "one", rate.replace("min_capacity: 2", "min_capacity: 1"))
    bill = estimate(footprint(dry_run(one / "root.yaml", LAUNCH)))
    assert bill.not_counted[0].endswith(": priced at 1 task)")


def test_the_ceiling_prices_every_autoscaled_service_at_its_most_tasks():
    """A spec trial: the cost was at the minimum count only, with no figure for the bill when
    the services scale out."""
    found = footprint(dry_run(ROOT, {**LAUNCH, "MinCapacity": "2", "MaxCapacity": "10"}))
    bill = estimate(found)
    per_task = HOURS * (0.25 * PRICE["fargate_vcpu_hour"] + 0.5 * PRICE["fargate_gb_hour"])
    assert bill.at_most == pytest.approx(bill.total + 8 * per_task, abs=0.01)
    assert bill.report()[len(bill.lines) + 2] == (
        f"at most: ${bill.at_most:,.2f} a month with the most tasks autoscaling allows all month "
        "(ServiceStack/Service 10)"
    )
    # Nothing to scale above: no ceiling line.
    fixed = estimate(footprint(dry_run(ROOT, {**LAUNCH, "MinCapacity": "4", "MaxCapacity": "4"})))
    assert fixed.at_most == fixed.total and fixed.at_most_text() is None
    assert not any(line.startswith("at most:") for line in fixed.report())


def test_the_ceiling_takes_a_schedule_s_higher_maximum(tmp_path):
    """A review: a schedule that raises the maximum above MaxCapacity (20 against 2) left no
    ceiling line at all; the most tasks are the highest maximum of the target and its
    scheduled actions."""
    from tests.support import built

    spec = (
        "services:\n  web:\n    min_capacity: 1\n    max_capacity: 2\n    schedules:\n"
        '      - {name: sale, schedule: "cron(0 8 ? * MON-FRI *)", min: 8, max: 20}\n'
        '      - {name: night, schedule: "cron(0 20 * * ? *)", min: 1, max: 2}\n'
    )
    found = footprint(dry_run(built(tmp_path, spec) / "root.yaml", LAUNCH))
    assert dict(found.most_tasks) == {"ServiceStack/Service": 20}
    bill = estimate(found)
    assert bill.at_most_text() is not None
    assert bill.at_most_text().endswith("(ServiceStack/Service 20)")


def test_ephemeral_storage_above_the_20_gb_included_is_a_fixed_cost(tmp_path):
    """A trial: it was listed as priced by use, but Fargate bills the storage configured above
    the 20 GB included ("you only pay for any additional storage that you configure", AWS
    Fargate pricing): 100 GB is 80 GB a task, every hour it runs."""
    from tests.support import built

    spec = "services:\n  web:\n    ephemeral_storage: 100\n"
    found = footprint(dry_run(built(tmp_path, spec) / "root.yaml", LAUNCH))
    assert found.ephemeral_storage == (("ServiceStack/Service", 100),)
    bill = estimate(found)
    line = {line.item: line for line in bill.lines}[
        "Fargate ephemeral storage (ServiceStack/Service)"
    ]
    assert line.quantity == f"2 x 80 GB x {HOURS} h x $0.000111"
    assert line.monthly == pytest.approx(2 * 80 * HOURS * PRICE["fargate_ephemeral_gb_hour"])
    assert not any("ephemeral" in item for item in bill.not_counted)
    # The ceiling prices the storage of every task more too; 20 GB (the default) costs nothing.
    per_task = HOURS * (
        0.25 * PRICE["fargate_vcpu_hour"]
        + 0.5 * PRICE["fargate_gb_hour"]
        + 80 * PRICE["fargate_ephemeral_gb_hour"]
    )
    assert bill.at_most == pytest.approx(bill.total + 2 * per_task, abs=0.01)
    assert footprint(dry_run(ROOT, LAUNCH)).ephemeral_storage == ()


def test_enhanced_container_insights_is_not_priced_as_metrics(tmp_path):
    """An audit: a cluster whose containerInsights is "enhanced" was priced as standard
    Container Insights, about 31 custom metrics at $0.30. Enhanced observability is priced
    otherwise: "Container Insights with enhanced observability uses a tiered pricing model
    based on observations" (Amazon CloudWatch pricing, https://aws.amazon.com/cloudwatch/pricing/,
    as quoted in aws-observability/observability-best-practices issue 123). The table has no
    price per observation: it is named as not counted, not priced at a wrong model."""
    service = ROOT.with_name("service.yaml").read_text()
    standard = "- Name: containerInsights\n        Value: enabled"
    assert service.count(standard) == 1
    enhanced = tmp_path / "service.yaml"
    enhanced.write_text(service.replace(standard, standard.replace("enabled", "enhanced")))
    found = footprint(dry_run(enhanced, IN_A_VPC))
    assert (found.container_insights, found.enhanced_insights) == (1, 1)
    bill = estimate(found)
    assert "Container Insights" not in {line.item for line in bill.lines}
    observations = (
        "Container Insights with enhanced observability (priced per observation: "
        "the table has no price for it)"
    )
    assert observations in bill.not_counted
    # Standard Container Insights (what the package builds) is still priced per metric.
    standard_found = footprint(dry_run(ROOT.with_name("service.yaml"), IN_A_VPC))
    assert (standard_found.container_insights, standard_found.enhanced_insights) == (1, 0)
    line = {line.item: line for line in estimate(standard_found).lines}["Container Insights"]
    assert line.monthly == pytest.approx(
        (
            PRICE["container_insights_metrics_per_cluster"]
            + PRICE["container_insights_metrics_per_service"]
        )
        * PRICE["custom_metric_month"]
    )
    assert observations not in estimate(standard_found).not_counted


def test_a_catalog_says_the_stacks_its_product_launches_are_priced_apart():
    """A matrix audit: `cost catalog.yaml` printed a total of $0.00 and "not counted (it
    depends on use): nothing the price table knows of", though validate of it says that each
    launch of its product is a stack of its own, of root.yaml."""
    catalog = ROOT.with_name("catalog.yaml")
    values = {"PrincipalArn": "arn:aws:iam::123456789012:role/Dev", "TemplateBucketName": "b-1"}
    report = estimate(footprint(dry_run(catalog, values))).report()
    assert report[-2] == (
        "not counted (it depends on use, or it is another stack's): the stacks its Service "
        "Catalog products launch, each of its own (`troposphere-fargate cost` of the template a "
        "product launches, with the values given then)"
    )


def test_every_type_the_project_makes_is_one_the_cost_knows(tmp_path):
    """Each resource type of every template shipped (each version) or built from the README's
    specs and a queue-scaled one is priced, named, or known to cost nothing by itself: the
    'no price for its type' line is never said of the project's own templates."""
    from troposphere_fargate.cfn.dry_run import KNOWN_COST_TYPES
    from troposphere_fargate.cfn.yaml import read_template

    readme = (ROOT.parents[2] / "README.md").read_text()
    specs = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("# ")]
    specs.append("services:\n  worker:\n    queue_scaling: {queue: orders, messages_per_task: 9}\n")
    folders = list(ROOT.parents[1].iterdir())
    for number, spec in enumerate(specs):
        if "services:" in spec:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                folders.append(built(tmp_path / str(number), spec))
    types = {
        body["Type"]
        for folder in folders
        for path in folder.glob("*.yaml")
        for body in read_template(path)["Resources"].values()
    }
    assert len(folders) > 6 and not types - KNOWN_COST_TYPES - {
        "Custom::DefaultSecurityGroupRestriction"
    }


def test_a_resource_the_price_table_does_not_know_is_named_not_free(tmp_path):
    """An audit: an EC2 instance and an EBS volume of a template of one's own cost $0.00 with
    "nothing the price table knows of": a type the table neither prices nor knows to be free
    is named as not priced."""
    template = tmp_path / "own.yaml"
    template.write_text(
        "Resources:\n"
        "  Web:\n    Type: AWS::EC2::Instance\n    Properties: {ImageId: ami-12345678}\n"
        "  Db:\n    Type: AWS::EC2::Instance\n    Properties: {ImageId: ami-12345678}\n"
        "  Data:\n    Type: AWS::EC2::Volume\n"
        "    Properties: {AvailabilityZone: us-east-1a, Size: 9}\n"
        "  Hook:\n    Type: Custom::Mine\n"
        "    Properties: {ServiceToken: arn:aws:sns:us-east-1:1:t}\n"
    )
    found = footprint(dry_run(template, {}))
    assert found.unknown_types == (
        ("Web", "AWS::EC2::Instance"),
        ("Db", "AWS::EC2::Instance"),
        ("Data", "AWS::EC2::Volume"),
    )
    report = estimate(found).report()
    assert report[-2] == (
        "not counted (it depends on use, or the price table has no price for its type): "
        "AWS::EC2::Instance (Web, Db): the price table has no price for its type; "
        "AWS::EC2::Volume (Data): the price table has no price for its type"
    )
    assert footprint(dry_run(ROOT, LAUNCH)).unknown_types == ()


def test_a_vpc_endpoint_neither_gateway_nor_interface_is_named_not_free(tmp_path):
    """A mutation run found a Gateway Load Balancer endpoint counted as neither a gateway nor
    an interface endpoint, so priced at nothing and named nowhere. AWS::EC2::VPCEndpoint's
    VpcEndpointType takes more kinds than the two the price table prices ("Interface |
    Gateway | GatewayLoadBalancer", EC2 API Reference, ServiceTypeDetail,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ServiceTypeDetail.html; CDK's
    VpcEndpointType adds ServiceNetwork and Resource): such an endpoint is named with its
    kind, as a type the table does not know."""
    template = tmp_path / "own.yaml"
    template.write_text(
        "Resources:\n"
        "  Inspect:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n"
        "      VpcEndpointType: GatewayLoadBalancer\n      VpcId: vpc-12345678\n"
        "      ServiceName: com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0\n"
        "      SubnetIds: [subnet-12345678]\n"
        "  Storage:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n"
        "      VpcId: vpc-12345678\n      ServiceName: com.amazonaws.us-east-1.s3\n"
        "      RouteTableIds: [rtb-12345678]\n",
        encoding="utf-8",
    )
    found = footprint(dry_run(template, {}))
    assert found.unknown_types == (
        ("Inspect", "AWS::EC2::VPCEndpoint of type GatewayLoadBalancer"),
    )
    assert found.gateway_endpoints == ["s3"] and found.interface_endpoints == {}
    assert estimate(found).report()[-2] == (
        "not counted (it depends on use, or the price table has no price for its type): "
        "AWS::EC2::VPCEndpoint of type GatewayLoadBalancer (Inspect): the price table has no "
        "price for its type"
    )


@pytest.mark.parametrize(
    ("change", "runs_on"),
    [
        (("      LaunchType: FARGATE\n", "      LaunchType: EC2\n"), "EC2 launch type"),
        (("      LaunchType: FARGATE\n", "      LaunchType: EXTERNAL\n"), "EXTERNAL launch type"),
        (
            (
                "      LaunchType: FARGATE\n",
                "      CapacityProviderStrategy:\n"
                "        - {CapacityProvider: my-asg, Weight: 1}\n",
            ),
            "capacity provider my-asg",
        ),
        # No launch type, in another stack's cluster, a task definition Fargate cannot run.
        (("      LaunchType: FARGATE\n", "      Cluster: shared\n"), "bridge network mode"),
    ],
)
def test_tasks_not_on_fargate_are_not_priced_as_fargate(tmp_path, change, runs_on):
    """A corpus of ECS templates of others (aws-cloudformation-templates' EC2LaunchType
    services, the container patterns on EC2 capacity providers): their tasks on EC2 instances
    were summed up as "Fargate" and priced at Fargate's vCPU and memory rates, on top of the
    instances that run them. A service runs on Fargate through its launch type FARGATE or a
    Fargate capacity provider: "To use a AWS Fargate capacity provider, specify either the
    FARGATE or FARGATE_SPOT capacity providers" (Amazon ECS API Reference,
    CapacityProviderStrategyItem,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html),
    and "A capacity provider strategy can only contain Auto Scaling group capacity providers or
    Fargate capacity providers" (Amazon ECS Developer Guide, capacity providers,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-capacity-providers.html).
    A task definition of no network mode is not one Fargate runs: "If no network mode is
    specified, the default is bridge. For Amazon ECS tasks on Fargate, the awsvpc network mode
    is required" (Amazon ECS API Reference, TaskDefinition networkMode,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html, as the
    AWS SDK for Kotlin's reference quotes it,
    https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ecs/aws.sdk.kotlin.services.ecs.model/-task-definition/network-mode.html).
    """
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048").replace("COUNT", "2")
    if runs_on == "bridge network mode":
        text = text.replace("      NetworkMode: awsvpc\n", "")
    template.write_text(text.replace(*change))
    found = footprint(dry_run(template, {}))
    assert (found.not_fargate, found.unknown_capacity) == ((("Service", runs_on),), ())
    assert (
        f"service Service: 2 tasks of 1 vCPU and 2 GB (X86_64, {runs_on}: not Fargate)"
        in describe(found)
    )
    bill = estimate(found)
    assert bill.lines == () and bill.at_most == 0
    assert bill.not_counted[0] == (
        f"what Service's tasks run on ({runs_on}, not Fargate): the price table has Fargate's "
        "prices, not EC2 instances'"
    )
    # The same task definition in awsvpc mode there: Fargate's (its cluster's strategy).
    if runs_on == "bridge network mode":
        fargate = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048")
        template.write_text(fargate.replace("COUNT", "2").replace(*change))
        assert footprint(dry_run(template, {})).not_fargate == ()


def test_a_fargate_service_of_a_task_definition_not_in_the_stacks_is_not_called_bridge(
    tmp_path,
):
    """A review: a service with ``LaunchType: FARGATE`` whose task definition is an ARN given
    as a parameter (or another stack's) was summed up as "bridge network mode: not Fargate",
    its network mode read as the default of a task definition the stacks do not hold. Its
    launch type says Fargate ("FARGATE" among the launch types, Amazon ECS API Reference,
    CreateService launchType,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html), and what
    the task definition holds is not known here: it stays on Fargate, sized as not known."""
    template = tmp_path / "own.yaml"
    template.write_text(
        "Parameters:\n  TaskDefinitionArn:\n    Type: String\n"
        "    Default: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1\n"
        "Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      TaskDefinition: !Ref TaskDefinitionArn\n      DesiredCount: 2\n"
        "      LaunchType: FARGATE\n"
    )
    found = footprint(dry_run(template, {}))
    assert found.not_fargate == ()
    assert not any("not Fargate" in line for line in describe(found))


def test_a_task_with_a_public_ip_costs_a_public_ipv4_address_an_hour(tmp_path):
    """A corpus of ECS templates of others (the 2018 Fargate samples' public-subnet services,
    AWS Copilot's services in public subnets): their tasks with ``AssignPublicIp: ENABLED``
    were priced without the public IPv4 address each task's network interface gets, billed
    as every other: "Effective February 1, 2024, there will be a charge of $0.005 per IP per
    hour for all public IPv4 addresses, whether attached to a service or not" (AWS News Blog,
    https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/);
    "every Amazon ECS task on Fargate is provided an elastic network interface (ENI) ... When
    using a public subnet, you can optionally assign a public IP address to the task's ENI"
    (Amazon ECS Developer Guide,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html).
    """
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "256").replace("MEMORY", "512").replace("COUNT", "3")
    public = (
        "      LaunchType: FARGATE\n      NetworkConfiguration:\n        AwsvpcConfiguration:\n"
        "          AssignPublicIp: ENABLED\n          Subnets: [subnet-0abc1234]\n"
    )
    template.write_text(text.replace("      LaunchType: FARGATE\n", public))
    found = footprint(dry_run(template, {}))
    assert found.public_ip == ("Service",)
    assert (
        "service Service: 3 tasks of 0.25 vCPU and 0.5 GB (X86_64, Fargate, a public IP each)"
        in (describe(found))
    )
    bill = {line.item: line for line in estimate(found).lines}
    line = bill["public IPv4 addresses (Service)"]
    assert line.monthly == pytest.approx(3 * HOURS * PRICE["public_ipv4_hour"])
    assert line.quantity == f"3 x {HOURS} h x ${PRICE['public_ipv4_hour']:g}"
    # Autoscaled, each task more costs its address too.
    target = _SCALABLE_TARGET.replace("LOW", "3").replace("HIGH", "10")
    template.write_text(text.replace("      LaunchType: FARGATE\n", public) + target)
    ceiling = estimate(footprint(dry_run(template, {})))
    per_task = HOURS * (
        0.25 * PRICE["fargate_vcpu_hour"]
        + 0.5 * PRICE["fargate_gb_hour"]
        + PRICE["public_ipv4_hour"]
    )
    assert ceiling.at_most == pytest.approx(ceiling.total + 7 * per_task, abs=0.01)
    # DISABLED (the product's): no address.
    template.write_text(
        text.replace("      LaunchType: FARGATE\n", public.replace("ENABLED", "DISABLED"))
    )
    found = footprint(dry_run(template, {}))
    assert found.public_ip == ()
    assert not any(line.item.startswith("public IPv4") for line in estimate(found).lines)


def test_each_service_is_priced_at_the_size_of_its_own_task_definition(tmp_path):
    """A corpus of ECS templates of others: a stack of two services, each with its task
    definition, priced (and summed up, and its containers' users read) both at the first task
    definition's size. A service runs the task definition it names: "The family and revision
    (family:revision) or full ARN of the task definition to run in your service" (Amazon ECS
    API Reference, CreateService taskDefinition, as the AWS SDK for Kotlin's reference quotes
    it, https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ecs/aws.sdk.kotlin.services.ecs.model/-create-service-request/task-definition.html);
    a ``Ref`` to an AWS::ECS::TaskDefinition gives its ARN.
    """
    text = _OWN_SERVICE.replace("CPU", "256").replace("MEMORY", "512").replace("COUNT", "1")
    worker = (
        text.split("Resources:\n", 1)[1]
        .replace("  Task:", "  WorkerTask:")
        .replace("  Service:", "  Worker:")
        .replace("!Ref Task", "!Ref WorkerTask")
        .replace("Cpu: 256", "Cpu: 2048")
        .replace("Memory: 512", "Memory: 4096")
        .replace("- Name: app", "- Name: worker\n          User: '1000'")
    )
    template = tmp_path / "two.yaml"
    template.write_text(text + worker)
    found = footprint(dry_run(template, {}))
    assert sorted(found.tasks) == [
        ("Service", 1, 0.25, 0.5, "X86_64"),
        ("Worker", 1, 2.0, 4.0, "X86_64"),
    ]
    assert sorted(found.container_users) == [("Service", "app", ""), ("Worker", "worker", "1000")]


_PUBLIC_VPC = """Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  PublicSubnetOne:
    Type: AWS::EC2::Subnet
    Properties:
      AvailabilityZone: !Select [0, !GetAZs ""]
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
  PublicSubnetTwo:
    Type: AWS::EC2::Subnet
    Properties:
      AvailabilityZone: !Select [1, !GetAZs ""]
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      # As the reference architecture passes a nested VPC stack's output: not a list here.
      Subnets: !Split [",", !ImportValue public-subnets]
"""


def test_a_vpc_of_public_subnets_alone_is_in_as_many_zones_as_its_subnets_name(tmp_path):
    """A corpus of ECS templates of others: the 2018 Fargate samples' ``public-vpc.yml`` (two
    public subnets, in the first and second zone, and no private one) was said to be in 1
    Availability Zone, and a load balancer whose subnets are not a list there was priced for
    1 public IPv4 address for its 2: an internet-facing load balancer has a node, and a public
    address, in each zone it is enabled in ("When you enable an Availability Zone for your load
    balancer, Elastic Load Balancing creates a load balancer node in the Availability Zone",
    Elastic Load Balancing User Guide, How Elastic Load Balancing works,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html).
    The zones are those the subnets name, not half the subnets."""
    template = tmp_path / "public-vpc.yaml"
    template.write_text(_PUBLIC_VPC)
    found = footprint(dry_run(template, {}))
    assert found.availability_zones == 2
    assert "Availability Zones: 2" in describe(found)
    bill = {line.item: line.monthly for line in estimate(found).lines}
    assert bill["public IPv4 addresses"] == pytest.approx(2 * HOURS * PRICE["public_ipv4_hour"])
    # A public and a private subnet in each of two zones: 2, as before.
    private = "".join(
        f"  Private{n}:\n    Type: AWS::EC2::Subnet\n    Properties:\n"
        f'      AvailabilityZone: !Select [{i}, !GetAZs ""]\n'
        f"      VpcId: !Ref Vpc\n      CidrBlock: 10.0.{i + 2}.0/24\n"
        for i, n in enumerate(("One", "Two"))
    )
    template.write_text(_PUBLIC_VPC + private)
    assert footprint(dry_run(template, {})).availability_zones == 2


def test_two_load_balancers_cost_two_and_only_the_internet_facing_one_has_public_addresses(
    tmp_path,
):
    """Copilot's environment holds a public and an internal application load balancer: each is
    billed by the hour (its "$0.0225 hourly charge" in us-east-1, Elastic Load Balancing
    pricing, https://aws.amazon.com/elasticloadbalancing/pricing/), and only an internet-facing
    one has public IPv4 addresses, one a node and zone ("When you enable an Availability Zone
    for your load balancer, Elastic Load Balancing creates a load balancer node in the
    Availability Zone", Elastic Load Balancing User Guide,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html;
    "The nodes of an internal load balancer have only private IP addresses", CreateLoadBalancer,
    Scheme, https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html).
    An application and a network load
    balancer are two lines of their own kinds."""
    template = tmp_path / "environment.yml"
    template.write_text(
        "Resources:\n"
        "  Public:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Subnets: [subnet-0aaa1111, subnet-0bbb2222]}\n"
        "  Internal:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Scheme: internal, Subnets: [subnet-0ccc3333, subnet-0ddd4444]}\n"
    )
    bill = estimate(footprint(dry_run(template, {}))).lines
    hour = HOURS * PRICE["application_load_balancer_hour"]
    assert [(line.item, line.monthly) for line in bill if "load balancer" in line.item] == [
        ("application load balancer", pytest.approx(hour)),
        ("application load balancer", pytest.approx(hour)),
    ]
    addresses = {line.item: line.monthly for line in bill}["public IPv4 addresses"]
    assert addresses == pytest.approx(2 * HOURS * PRICE["public_ipv4_hour"])
    template.write_text(template.read_text().replace("Scheme: internal,", "Type: network,"))
    kinds = [line.item for line in estimate(footprint(dry_run(template, {}))).lines]
    assert kinds.count("application load balancer") == 1
    assert kinds.count("network load balancer") == 1


def test_a_load_balancer_in_subnet_mappings_has_their_addresses_and_elastic_ips_count_once(
    tmp_path,
):
    """A mutation run found a load balancer given SubnetMappings instead of Subnets in no
    subnet, so an internet-facing one in a stack without subnets of its own had no public IPv4
    address. A load balancer takes "either subnets or subnet mappings", one subnet each
    (AWS::ElasticLoadBalancingV2::LoadBalancer,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-loadbalancer.html);
    a mapping's AllocationId is "the allocation ID of the Elastic IP address for an
    internet-facing load balancer" (SubnetMapping, ELB API Reference,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SubnetMapping.html),
    and without one "AWS default is to allocate a new IP address for internet-facing load
    balancers" (AWS CDK's SubnetMapping,
    https://docs.aws.amazon.com/cdk/api/v2/python/aws_cdk.aws_elasticloadbalancingv2/SubnetMapping.html).
    So: three mappings, one of them with this stack's Elastic IP, are three addresses, not
    four; an internal load balancer's mappings none."""
    template = tmp_path / "nlb.yaml"
    template.write_text(
        "Resources:\n"
        "  Address:\n    Type: AWS::EC2::EIP\n    Properties: {Domain: vpc}\n"
        "  Public:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties:\n      Type: network\n      SubnetMappings:\n"
        "        - {SubnetId: subnet-0aaa1111, AllocationId: !GetAtt Address.AllocationId}\n"
        "        - {SubnetId: subnet-0bbb2222}\n        - {SubnetId: subnet-0ccc3333}\n"
        "  Internal:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties:\n      Type: network\n      Scheme: internal\n"
        "      SubnetMappings: [{SubnetId: subnet-0ddd4444, PrivateIPv4Address: 10.0.0.9}]\n",
        encoding="utf-8",
    )
    found = footprint(dry_run(template, {}))
    assert found.load_balancers == [("network", "internet-facing", 3), ("network", "internal", 1)]
    assert found.elastic_ips == 1 and found.load_balancer_elastic_ips == 1
    addresses = {line.item: line.monthly for line in estimate(found).lines}
    assert addresses["public IPv4 addresses"] == pytest.approx(
        3 * HOURS * PRICE["public_ipv4_hour"]
    )
    assert "load balancer Public: network, internet-facing in 3 subnets" in describe(found)


# --- Found by a mutation run of cost.py (mutant ids in the commit messages) ---------------------

_ENDPOINTS_VPC = """Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  SubnetOne:
    Type: AWS::EC2::Subnet
    Properties: {AvailabilityZone: !Select [0, !GetAZs ""], VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
  SubnetTwo:
    Type: AWS::EC2::Subnet
    Properties: {AvailabilityZone: !Select [1, !GetAZs ""], VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  SubnetThree:
    Type: AWS::EC2::Subnet
    Properties: {AvailabilityZone: !Select [2, !GetAZs ""], VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}
"""


def _interface_endpoint(name: str, service: str, subnets: str) -> str:
    return (
        f"  {name}:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n"
        "      VpcEndpointType: Interface\n"
        f"      ServiceName: !Sub com.amazonaws.${{AWS::Region}}.{service}\n"
        f"      VpcId: !Ref Vpc\n      SubnetIds: {subnets}\n"
    )


def test_interface_endpoints_in_different_numbers_of_zones_are_counted_per_endpoint_and_zone(
    tmp_path,
):
    """An interface endpoint is billed in each zone it is in: "You will be billed for each hour
    that your VPC endpoint remains provisioned in each Availability Zone" (AWS PrivateLink
    pricing, https://aws.amazon.com/privatelink/pricing/). A mutation run: an endpoint in 3
    zones and one in 1 were said to be "2 x 2 AZs" (4 endpoint-AZs, the right price, but no
    endpoint is in 2 zones); they are 4 endpoint-AZs. An endpoint whose subnets are not a list
    here is in the stack's zones (3)."""
    template = tmp_path / "endpoints.yaml"
    three = "[!Ref SubnetOne, !Ref SubnetTwo, !Ref SubnetThree]"
    text = (
        _ENDPOINTS_VPC
        + _interface_endpoint("Ecr", "ecr.api", three)
        + _interface_endpoint("Logs", "logs", "[!Ref SubnetOne]")
    )
    template.write_text(text, encoding="utf-8")
    found = footprint(dry_run(template, {}))
    assert found.interface_endpoints == {"ecr.api": 3, "logs": 1}
    (line,) = estimate(found).lines
    assert line.quantity == f"4 endpoint-AZs x {HOURS} h x ${PRICE['interface_endpoint_az_hour']:g}"
    assert line.monthly == pytest.approx(4 * HOURS * PRICE["interface_endpoint_az_hour"])
    # Not known here: one in each of the stack's 3 zones.
    unknown = _interface_endpoint("Sts", "sts", '!Split [",", !ImportValue shared-subnets]')
    template.write_text(text + unknown, encoding="utf-8")
    found = footprint(dry_run(template, {}))
    assert (found.interface_endpoints["sts"], found.availability_zones) == (None, 3)
    (line,) = estimate(found).lines
    assert line.quantity.startswith("7 endpoint-AZs x ")
    assert line.monthly == pytest.approx(7 * HOURS * PRICE["interface_endpoint_az_hour"])
    # Every one in the same zones: endpoints x zones.
    same = _ENDPOINTS_VPC + "".join(
        _interface_endpoint(name, service, three)
        for name, service in (("Ecr", "ecr.api"), ("Logs", "logs"))
    )
    template.write_text(same, encoding="utf-8")
    (line,) = estimate(footprint(dry_run(template, {}))).lines
    assert line.quantity.startswith("2 x 3 AZs x ")


def test_the_not_counted_line_says_tasks_not_on_fargate_are_priced_by_their_instances(tmp_path):
    """The reason in the not-counted line's parentheses names each kind of item left out: a
    service on EC2 adds that the price table has Fargate's prices only (its VPC, which the
    stack does not make, is another stack's)."""
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048").replace("COUNT", "2")
    template.write_text(text.replace("LaunchType: FARGATE", "LaunchType: EC2"), encoding="utf-8")
    report = estimate(footprint(dry_run(template, {}))).report()
    assert report[-2].startswith(
        "not counted (it depends on use, or it is another stack's, or the price table has "
        "Fargate's prices, not EC2 instances'): what Service's tasks run on (EC2 launch type, "
        "not Fargate)"
    )


def test_the_report_s_amounts_are_one_right_aligned_column_with_the_total():
    bill = estimate(footprint(dry_run(ROOT, LAUNCH)))
    report = bill.report()
    rows = report[1 : len(bill.lines) + 2]
    assert rows[-1].lstrip().startswith("total")
    assert len({len(row) for row in rows}) == 1, rows
    for row, line in zip(rows, bill.lines, strict=False):
        assert row.endswith(f" ${line.monthly:,.2f}")
    assert rows[-1].endswith(f" {bill.total_text()}")


def test_the_report_names_every_source_of_the_price_table_once():
    sources = price_table()["sources"].values()
    last = estimate(footprint(dry_run(ROOT, LAUNCH))).report()[-1]
    assert last.startswith("prices from ")
    named = last.removeprefix("prices from ").split(", ")
    assert sorted(named) == sorted(set(sources))


def test_container_insights_counts_the_metrics_of_each_service_in_the_cluster(tmp_path):
    """Standard Container Insights is billed as custom metrics, a cluster's and each service's
    (Amazon CloudWatch pricing, https://aws.amazon.com/cloudwatch/pricing/): two services are
    twice the per-service metrics."""
    template = tmp_path / "two.yaml"
    text = _OWN_SERVICE.replace("CPU", "256").replace("MEMORY", "512").replace("COUNT", "1")
    second = "  Worker:\n" + text.split("  Service:\n", 1)[1]
    cluster = (
        "  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterSettings:\n"
        "        - {Name: containerInsights, Value: enabled}\n"
    )
    both = (text + second + cluster).replace(
        "      LaunchType: FARGATE\n", "      LaunchType: FARGATE\n      Cluster: !Ref Cluster\n"
    )
    template.write_text(both, encoding="utf-8")
    found = footprint(dry_run(template, {}))
    assert (found.container_insights, len(found.tasks)) == (1, 2)
    metrics = (
        PRICE["container_insights_metrics_per_cluster"]
        + 2 * PRICE["container_insights_metrics_per_service"]
    )
    line = {line.item: line for line in estimate(found).lines}["Container Insights"]
    assert line.quantity.startswith(f"about {metrics} metrics x ")
    assert line.monthly == pytest.approx(metrics * PRICE["custom_metric_month"])


def test_a_queue_policy_s_alarms_are_priced_per_metric_they_read(tmp_path):
    """CloudWatch prices an alarm per metric it reads: the queue policy's two alarms read two
    each, so the four target tracking alarms cost six alarm metrics, not four."""
    spec = "services:\n  worker:\n    queue_scaling: {queue: orders, messages_per_task: 100}\n"
    with pytest.warns(ConfigWarning, match="its task role has no statement allowing sqs:Rec"):
        folder = built(tmp_path, spec)
    bill = estimate(footprint(dry_run(folder / "root.yaml", LAUNCH)))
    line = {line.item: line for line in bill.lines}["target tracking alarms"]
    assert line.quantity.startswith("4 (two per scaling policy) reading 6 metrics x ")
    assert line.monthly == pytest.approx(6 * PRICE["alarm_month"])


def test_a_dashboard_is_priced_though_an_account_s_first_three_are_free():
    """The stack cannot know how many dashboards the account has: its own are counted in full,
    and the line says the first 3 of an account are free."""
    assert footprint(dry_run(ROOT, LAUNCH)).dashboards == 1
    line = {line.item: line for line in estimate(footprint(dry_run(ROOT, LAUNCH))).lines}[
        "dashboards"
    ]
    assert line.monthly == pytest.approx(PRICE["dashboard_month"])
    assert line.quantity.endswith("(counted: an account's first 3 are free)")


def test_a_footprint_made_by_hand_has_the_ceiling_of_its_scaling_bounds():
    """A footprint made by hand (as CDK_DEFAULT) may leave out ``most_tasks``: the most tasks
    are then its scaling's MaxCapacity."""
    from troposphere_fargate.cfn.cost import CDK_DEFAULT

    scaled = Footprint(**{**vars(CDK_DEFAULT), "scaling": [("CDK default", 1, 4)]})
    bill = estimate(scaled)
    per_task = HOURS * (0.25 * PRICE["fargate_vcpu_hour"] + 0.5 * PRICE["fargate_gb_hour"])
    assert bill.at_most == pytest.approx(bill.total + 3 * per_task, abs=0.01)
    assert bill.at_most_text().endswith("(CDK default 4)")
    assert estimate(CDK_DEFAULT).at_most_text() is None


def test_the_ceiling_of_windows_tasks_counts_their_licence(tmp_path):
    """Each Windows task more pays the OS licence fee per vCPU-hour besides its vCPU and memory
    (AWS Fargate pricing, https://aws.amazon.com/fargate/pricing/)."""
    template = tmp_path / "own.yaml"
    text = _OWN_SERVICE.replace("CPU", "1024").replace("MEMORY", "2048").replace("COUNT", "2")
    target = _SCALABLE_TARGET.replace("LOW", "2").replace("HIGH", "5")
    template.write_text(
        text.replace("      NetworkMode: awsvpc\n", _WINDOWS) + target, encoding="utf-8"
    )
    bill = estimate(footprint(dry_run(template, {})))
    per_task = HOURS * (
        PRICE["fargate_windows_vcpu_hour"]
        + PRICE["fargate_windows_licence_vcpu_hour"]
        + 2 * PRICE["fargate_windows_gb_hour"]
    )
    assert bill.at_most == pytest.approx(bill.total + 3 * per_task, abs=0.01)


def test_the_ceiling_of_scheduled_capacity_adds_the_tasks_above_the_week_s_average(tmp_path):
    """The total prices a week's average (3.43 tasks); the ceiling adds what the most tasks (8)
    cost above it, not above the count the service starts with."""
    found = footprint(dry_run(built(tmp_path, SCHEDULED) / "root.yaml", LAUNCH))
    ((service, count, vcpu, memory, _),) = found.tasks
    assert (count, dict(found.most_tasks)) == (2, {service: 8})
    per_task = HOURS * (vcpu * PRICE["fargate_vcpu_hour"] + memory * PRICE["fargate_gb_hour"])
    bill = estimate(found)
    assert bill.at_most == pytest.approx(bill.total + (8 - 3.43) * per_task, abs=0.01)


def test_a_stackset_names_what_its_stacks_pay_by_use(tmp_path):
    """The StackSet's own stack has no NAT gateway; the root it deploys in each account has:
    the not-counted line (printed once, after each account's table) names its data. (Its
    permissions self-managed: service-managed ones cannot deploy a root that nests stacks,
    tests/cfn/test_dry_run.py.)"""
    for source in ROOT.parent.glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    stackset = tmp_path / "stackset.yaml"
    text = stackset.read_text(encoding="utf-8")
    stackset.write_text(text.replace("SERVICE_MANAGED", "SELF_MANAGED"), encoding="utf-8")
    values = {
        **LAUNCH,
        "OrganizationalUnitIds": "ou-abcd-12345678",
        "DeploymentRegions": "eu-west-1",
    }
    found = footprint(dry_run(stackset, values, "eu-west-1"))
    assert (found.nat_gateways, found.tasks, len(found.instances)) == (0, [], 1)
    not_counted = estimate(found).not_counted
    assert "data processed by NAT gateways ($0.045 a GB)" in not_counted
    assert any(item.startswith("ECR storage of images") for item in not_counted)


def test_a_load_balancer_in_subnets_not_known_here_names_its_public_addresses(tmp_path):
    """A mutation run: an internet-facing load balancer whose subnets are another stack's
    export, in a stack without subnets of its own, was priced no public IPv4 address and none
    was named: the total looked complete. It has one in each zone it is in ("When you enable
    an Availability Zone for your load balancer, Elastic Load Balancing creates a load balancer
    node in the Availability Zone", Elastic Load Balancing User Guide,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html),
    each billed ("a charge of $0.005 per IP per hour for all public IPv4 addresses", AWS News
    Blog, https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/);
    how many zones is known only when the stack is created."""
    template = tmp_path / "lb.yaml"
    balancer = (
        "  LoadBalancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        '    Properties:\n      Subnets: !Split [",", !ImportValue public-subnets]\n'
    )
    template.write_text("Resources:\n" + balancer, encoding="utf-8")
    found = footprint(dry_run(template, {}))
    assert found.load_balancers == [("application", "internet-facing", None)]
    bill = estimate(found)
    assert not any(line.item.startswith("public IPv4") for line in bill.lines)
    assert bill.not_counted[0] == (
        "the public IPv4 addresses of 1 internet-facing load balancer in subnets not known here "
        f"(one a zone it is in, at ${PRICE['public_ipv4_hour']:g} an hour each): it is known "
        "only when the stack is created"
    )
    assert bill.report()[-2].startswith(
        "not counted (it depends on use, or it is known only when the stack is created): "
    )
    # Internal, it has no public address to name.
    internal = balancer.replace("    Properties:\n", "    Properties:\n      Scheme: internal\n")
    template.write_text("Resources:\n" + internal, encoding="utf-8")
    assert not any(
        "IPv4" in item for item in estimate(footprint(dry_run(template, {}))).not_counted
    )
