"""``troposphere-fargate validate``: the checks CloudFormation makes before it creates anything,
every failure at once, in the template's own words; then what the stack would hold, nested
stacks included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import built
from troposphere_fargate import ConfigWarning, SpecError, __version__, cli, parse_spec
from troposphere_fargate.cfn.dry_run import (
    DryRunFailed,
    _unresolved,
    describe,
    dry_run,
    footprint,
)
from troposphere_fargate.cfn.evaluate import parameter_problems
from troposphere_fargate.cfn.yaml import read_template

SHIPPED = Path(__file__).resolve().parents[2] / "templates" / __version__
ROOT = SHIPPED / "root.yaml"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"
LAUNCH = {"ContainerImage": IMAGE, "TemplateBucketName": "my-templates"}


def test_every_refusal_is_reported_at_once_in_the_templates_own_words():
    template = read_template(ROOT)
    with pytest.raises(DryRunFailed) as failed:
        dry_run(ROOT, {"NatGateways": "none", "DesiredCount": "-1", "Foo": "1"})
    nat = template["Parameters"]["NatGateways"]["ConstraintDescription"]
    count = template["Parameters"]["DesiredCount"]["ConstraintDescription"]
    assert failed.value.problems == [
        "root.yaml: unknown parameter Foo",
        "root.yaml: parameter ContainerImage needs a value (it has no default)",
        f"root.yaml: parameter DesiredCount='-1' is below the minimum 0: {count}",
        f"root.yaml: parameter NatGateways='none' is not one of the allowed values: {nat}",
        "root.yaml: parameter TemplateBucketName needs a value (it has no default)",
    ]


def test_a_failing_rule_says_its_assert_description():
    template = read_template(ROOT)
    (assertion,) = template["Rules"]["NoNatGatewaysRequireVpcEndpoints"]["Assertions"]
    with pytest.raises(DryRunFailed) as failed:
        dry_run(ROOT, {**LAUNCH, "NatGateways": "None"})
    assert failed.value.problems == [
        f"root.yaml: rule NoNatGatewaysRequireVpcEndpoints: {assertion['AssertDescription']}"
    ]


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("AWS::EC2::VPC::Id", "vpc-0123456789abcdef0", True),
        ("AWS::EC2::VPC::Id", "vpc-01234567", True),
        ("AWS::EC2::VPC::Id", "vpc-1", False),
        ("AWS::EC2::VPC::Id", "subnet-01234567", False),
        ("List<AWS::EC2::Subnet::Id>", "subnet-01234567, subnet-89abcdef", True),
        ("List<AWS::EC2::Subnet::Id>", "subnet-01234567,sg-89abcdef", False),
        ("AWS::EC2::SecurityGroup::Id", "sg-0123456789abcdef0", True),
        ("List<AWS::EC2::AvailabilityZone::Name>", "us-east-1a,eu-west-1b", True),
        ("List<AWS::EC2::AvailabilityZone::Name>", "us-east-1", False),
    ],
)
def test_aws_specific_types_take_ids_of_their_kind(kind, value, ok):
    """CloudFormation's AWS-specific parameter types must be ids of that kind ("Supported
    AWS-specific parameter types", AWS CloudFormation User Guide); whether they exist is checked
    in the account."""
    problems = parameter_problems({"Parameters": {"P": {"Type": kind}}}, {"P": value})
    assert (problems == []) is ok, problems


def test_an_id_of_the_wrong_form_is_refused_with_the_form_it_takes():
    template = {"Parameters": {"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}}}
    assert parameter_problems(template, {"Subnets": "subnet-0abc1234,subnet-0a"}) == [
        "parameter Subnets='subnet-0abc1234,subnet-0a' is not a List<AWS::EC2::Subnet::Id>: "
        "'subnet-0a' is not such an id (subnet- and 8 or 17 hexadecimal digits, such as "
        "subnet-0123abcd)"
    ]
    template = {"Parameters": {"Vpc": {"Type": "AWS::EC2::VPC::Id"}}}
    assert parameter_problems(template, {"Vpc": "vpc-0abc"}) == [
        "parameter Vpc='vpc-0abc' is not an AWS::EC2::VPC::Id: 'vpc-0abc' is not such an id "
        "(vpc- and 8 or 17 hexadecimal digits, such as vpc-0123456789abcdef0)"
    ]


def test_nested_stacks_are_evaluated_with_the_values_passed_to_them():
    stack = dry_run(ROOT, {**LAUNCH, "NumberOfAzs": "3", "NatGateways": "Single"})
    assert sorted(stack.nested) == ["NetworkStack", "ServiceStack"]
    network = stack.nested["NetworkStack"]
    assert network.parameters["NatGateways"] == "Single"
    assert len(network.of_type("AWS::EC2::NatGateway")) == 1
    # The VPC and subnets come from the network stack's outputs: known only at launch.
    assert "VpcId" not in stack.nested["ServiceStack"].parameters
    found = footprint(stack)
    assert (found.availability_zones, found.nat_gateways, found.elastic_ips) == (3, 1, 1)


def test_a_child_s_condition_on_a_value_known_once_deployed_is_not_asked_of_the_user(tmp_path):
    """A parent passing its child a resource's ``Ref`` (or its ``AWS::StackId``) that a
    condition of the child compares: the dry run said "parameter ParentId needs a value", a
    value no one could give (a review). A nested stack's parameters are "passed to
    CloudFormation when this nested stack is created" (the CDK reference's NestedStackProps,
    https://docs.amazonaws.cn/cdk/api/v1/dotnet/api/Amazon.CDK.AWS.CloudFormation.
    NestedStackProps.html), a resource's value or another nested stack's output among them
    ("Pass the output value
    from NestedStackA as the parameter value for NestedStackB", https://repost.aws/
    knowledge-center/cloudformation-nested-stacks-values): the dry run cannot decide what the
    child creates, and says that instead. A value the user could give keeps its words."""
    (tmp_path / "child.yaml").write_text(
        "Parameters:\n  ParentId: {Type: String}\n"
        "Conditions:\n  East: !Equals [!Select [3, !Split [':', !Ref ParentId]], us-east-1]\n"
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Condition: East\n"
    )
    url = "https://b.s3.us-east-1.amazonaws.com/child.yaml"
    for passed in ("!Ref Topic", "!Ref AWS::StackId"):
        (tmp_path / "parent.yaml").write_text(
            "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n  Child:\n"
            "    Type: AWS::CloudFormation::Stack\n"
            f"    Properties:\n      TemplateURL: {url}\n"
            f"      Parameters:\n        ParentId: {passed}\n"
        )
        with pytest.raises(DryRunFailed) as failed:
            dry_run(tmp_path / "parent.yaml", {})
        assert failed.value.problems == [
            "parent.yaml > Child (child.yaml): condition East depends on parameter ParentId, "
            "whose value the parent stack passes only once it is deployed: the dry run cannot "
            "decide which resources this stack creates (CloudFormation decides it at creation)"
        ]
    with pytest.raises(DryRunFailed) as failed:
        dry_run(tmp_path / "child.yaml", {})
    assert failed.value.problems == [
        "child.yaml: parameter ParentId needs a value (it has no default)"
    ]


def test_nested_templates_refusing_values_are_each_reported_with_their_path(tmp_path):
    """The root may pass a value its child's own constraints refuse: the child's stack would
    fail to create, after the root's had started. Every child that would is named."""
    for name in ("root.yaml", "network.yaml", "service.yaml"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    network = (tmp_path / "network.yaml").read_text()
    (tmp_path / "network.yaml").write_text(
        network.replace("    - PerAz\n    - Single\n    - None\n", "    - PerAz\n    - None\n", 1)
    )
    service = (tmp_path / "service.yaml").read_text()
    declared = "  LoadBalancerType:\n    AllowedValues:\n    - application\n    - network\n"
    assert declared in service
    (tmp_path / "service.yaml").write_text(
        service.replace(declared, "  LoadBalancerType:\n    AllowedValues:\n    - network\n", 1)
    )
    with pytest.raises(DryRunFailed) as failed:
        dry_run(tmp_path / "root.yaml", {**LAUNCH, "NatGateways": "Single"})
    network_problem, service_problem = failed.value.problems
    assert network_problem.startswith(
        "root.yaml > NetworkStack (network.yaml): parameter NatGateways='Single' is not one of"
    )
    assert service_problem.startswith(
        "root.yaml > ServiceStack (service.yaml): parameter LoadBalancerType='application'"
    )


def test_the_summary_names_what_each_nat_mode_deploys():
    per_az = describe(footprint(dry_run(ROOT, LAUNCH)))
    assert "NAT: 2 NAT gateways (2 Elastic IPs)" in per_az
    none = describe(
        footprint(dry_run(ROOT, {**LAUNCH, "NatGateways": "None", "VpcEndpoints": "true"}))
    )
    assert "NAT: no NAT gateway: the private subnets have no route to the internet" in none
    (endpoints,) = [line for line in none if line.startswith("VPC endpoints:")]
    assert endpoints.startswith("VPC endpoints: gateway s3; interface ecr.api, ecr.dkr,")
    assert endpoints.endswith(", each in 2 subnets")


def test_the_summary_counts_tasks_from_autoscaling_unless_a_count_is_set():
    template = read_template(SHIPPED / "service.yaml")
    low = template["Parameters"]["MinCapacity"]["Default"]
    (service,) = footprint(dry_run(ROOT, LAUNCH)).tasks
    assert service[:2] == ("ServiceStack/Service", int(low))
    # A count within the bounds (MaxCapacity 4 would hold 5 to 4: test_cost).
    (service,) = footprint(dry_run(ROOT, {**LAUNCH, "DesiredCount": "5", "MaxCapacity": "6"})).tasks
    assert service[1] == 5


@pytest.mark.parametrize(
    ("values", "runs", "side"),
    [
        (
            {"DesiredCount": "9", "MaxCapacity": "4"},
            4,
            "9 tasks (DesiredCount), above its MaxCapacity 4",
        ),
        (
            {"DesiredCount": "1", "MinCapacity": "3"},
            3,
            "1 task (DesiredCount), below its MinCapacity 3",
        ),
    ],
)
def test_validate_notes_a_desired_count_outside_the_autoscaling_bounds(capsys, values, runs, side):
    """An audit: ``validate root.yaml ... DesiredCount=9 MaxCapacity=4`` counted 4 tasks and said
    nothing of the 9 asked for. A rule cannot compare two numbers, and ServiceConfig
    (tests/layers/test_config.py) and the spec (below) refuse the pair, so the template's
    parameters are the one way to it: the summary notes it.
    The service is created with DesiredCount; then RegisterScalableTarget "changes the
    resource's current capacity to a value that is inside of this range" (Application Auto
    Scaling API Reference,
    https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html),
    which is what runs and what the summary counts."""
    argv = ["validate", str(ROOT), *(f"{k}={v}" for k, v in {**LAUNCH, **values}.items())]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    (service,) = [i for i, line in enumerate(out) if line.startswith("  service ")]
    assert f": {runs} tasks of " in out[service]
    (note,) = [line for line in out if line.startswith("    note: ServiceStack/Service asks")]
    assert note == (
        f"    note: ServiceStack/Service asks for {side}: the service is created with "
        f"{values['DesiredCount']}, then registering its scalable target sets the count to "
        f"{runs}, which is what runs (and is counted here). A DesiredCount from "
        f"{values.get('MinCapacity', 2)} to {values.get('MaxCapacity', 4)}, or 0 for "
        "autoscaling's, says what will run"
    )
    spec = "services:\n  web:\n    desired_count: 9\n    max_capacity: 4\n"
    with pytest.raises(SpecError, match=r"desired_count: is outside min_capacity\.\.max_cap"):
        parse_spec(spec, "app.yaml")
    # Within the bounds, or left to autoscaling (0), there is nothing to say.
    for count in ("0", "3"):
        found = footprint(dry_run(ROOT, {**LAUNCH, "DesiredCount": count}))
        assert found.desired_outside_bounds == ()
        assert not [line for line in describe(found) if "(DesiredCount)" in line]


@pytest.mark.parametrize(
    ("values", "on"),
    [
        ({}, "on CPU 70 %"),
        ({"MemoryTargetUtilization": "80"}, "on CPU 70 %, memory 80 %"),
        (
            {"CpuTargetUtilization": "0", "RequestsPerTarget": "300"},
            "on requests 300 per task and minute",
        ),
        ({"CpuTargetUtilization": "0"}, "autoscaling 2 to 4"),
    ],
)
def test_the_summary_says_what_autoscaling_follows(values, on):
    (line,) = [
        line
        for line in describe(footprint(dry_run(ROOT, {**LAUNCH, **values})))
        if line.startswith("service ")
    ]
    assert line.endswith(on)


def test_the_summary_names_the_queue_a_worker_scales_on(tmp_path):
    spec = "services:\n  worker:\n    queue_scaling: {queue: orders, messages_per_task: 50}\n"
    with pytest.warns(ConfigWarning, match="its task role has no statement allowing sqs:Rec"):
        folder = built(tmp_path, spec)
    (line,) = [
        line
        for line in describe(footprint(dry_run(folder / "root.yaml", LAUNCH)))
        if line.startswith("service ")
    ]
    assert line.endswith("autoscaling 2 to 4 on CPU 70 %, queue orders 50 per task")


def test_the_summary_names_each_schedule_and_the_bounds_it_sets(tmp_path):
    spec = (
        "services:\n  web:\n    min_capacity: 1\n    max_capacity: 6\n    schedules:\n"
        '      - {name: peak, schedule: "cron(0 8 ? * MON-FRI *)", min: 4}\n'
        '      - {name: night, schedule: "cron(0 20 * * ? *)", min: 1, max: 4}\n'
    )
    folder = built(tmp_path, spec)
    found = footprint(dry_run(folder / "root.yaml", LAUNCH))
    (line,) = [line for line in describe(found) if line.startswith("service ")]
    assert line.endswith(
        "autoscaling 1 to 6 on CPU 70 %; scheduled: peak (min 4), night (min 1, max 4)"
    )
    assert [label for _, label in found.scaling_schedules] == [
        "peak (min 4)",
        "night (min 1, max 4)",
    ]
    assert footprint(dry_run(ROOT, LAUNCH)).scaling_schedules == ()


def test_the_summary_says_which_tasks_run_on_fargate_spot():
    on_demand = describe(footprint(dry_run(ROOT, LAUNCH)))
    spot = describe(footprint(dry_run(ROOT, {**LAUNCH, "CapacityProvider": "FARGATE_SPOT"})))
    assert any("(X86_64, Fargate), autoscaling" in line for line in on_demand)
    assert any("(X86_64, Fargate Spot), autoscaling" in line for line in spot)


def test_validate_takes_arm64_tasks_on_fargate_spot(capsys):
    """FARGATE_SPOT runs Graviton tasks: "FARGATE_SPOT supports Linux tasks with the ARM64
    architecture on platform version 1.4.0 or later" (ECS API Reference,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html),
    since "Amazon ECS now supports AWS Graviton-based Spot compute with AWS Fargate" (What's New,
    2024-09-06). The Developer Guide's "AWS Fargate capacity providers" bullet that refuses it is
    stale. root.yaml's rules, and service.yaml's nested in it, take the pair."""
    values = {**LAUNCH, "CapacityProvider": "FARGATE_SPOT", "CpuArchitecture": "ARM64"}
    assert cli.main(["validate", str(ROOT), *(f"{k}={v}" for k, v in values.items())]) == 0
    assert "would accept these values" in capsys.readouterr().out
    summary = describe(footprint(dry_run(ROOT, values)))
    assert any("(ARM64, Fargate Spot), autoscaling" in line for line in summary)


def test_validate_prints_the_summary_and_the_fixed_cost(capsys):
    values = [f"{k}={v}" for k, v in LAUNCH.items()]
    assert cli.main(["validate", str(ROOT), *values]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "root.yaml: CloudFormation would accept these values (2 given, 61 default)"
    assert "  listeners: HTTP 80" in out
    assert "  default security group: emptied (no rule in or out)" in out
    assert out[-1].startswith("fixed cost: about $") and "a month in us-east-1" in out[-1]


def test_validate_exits_1_with_a_line_per_refusal(capsys):
    assert cli.main(["validate", str(ROOT), "NatGateways=none"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(
        line.startswith("troposphere-fargate: error: root.yaml:") for line in err
    )


@pytest.mark.parametrize(
    ("values", "says"),
    [
        (["NatGateways"], "'NatGateways' is not KEY=VALUE"),
        (["A=1", "A=2"], "A is given twice: '1' and '2'"),
        (["=Single"], "'=Single' is not KEY=VALUE"),  # no key: not a parameter named ""
    ],
)
def test_validate_refuses_malformed_values(capsys, values, says):
    assert cli.main(["validate", str(ROOT), *values]) == 1
    assert capsys.readouterr().err == f"troposphere-fargate: error: {says}\n"


# "All regular expressions in CloudFormation conform to the Java regex syntax ...
# java.util.regex.Pattern" (CloudFormation User Guide, "Using regular expressions in
# CloudFormation templates", https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/
# cfn-regexes.html); Java's verdicts on these are in tests/cfn/test_java_regex.py.
JAVA_PATTERNS = """\
Parameters:
  Account: {Type: String, AllowedPattern: '^\\d{12}$', Default: '123456789012'}
  Letters: {Type: String, AllowedPattern: '\\p{Alpha}+', Default: abc}
  Word: {Type: String, AllowedPattern: '\\p{L}+', Default: abc}
  Kind: {Type: String, AllowedPattern: '[[:alpha:]]+', Default: abc}
Resources:
  Topic: {Type: AWS::SNS::Topic}
"""


@pytest.mark.parametrize(
    ("values", "refused"),
    [
        # Full-width digits: Python's \d takes them, Java's (0-9) does not.
        (["Account=" + "".join(chr(0xFF10 + int(d)) for d in "123456789012")], "Account"),
        # Java's POSIX class, an error to Python's re (a traceback before).
        (["Letters=ab1"], "Letters"),
    ],
)
def test_a_pattern_is_read_as_java_reads_it(tmp_path, capsys, values, refused):
    template = _write(tmp_path / "own.yaml", JAVA_PATTERNS)
    assert cli.main(["validate", str(template), *values]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"troposphere-fargate: error: own.yaml: parameter {refused}=")
    assert "does not match" in err and err.count("\n") == 1


def test_a_pattern_java_reads_otherwise_than_the_dry_run_is_named_not_checked(tmp_path, capsys):
    """``\\p{L}`` (a Unicode property) and ``[[:alpha:]]`` (a union of classes to Java, a POSIX
    class to others) cannot be read here as Java reads them: their values are not checked,
    and ``validate`` says so, instead of a traceback (``re.error: bad escape \\p``) or a
    verdict of another engine."""
    template = _write(tmp_path / "own.yaml", JAVA_PATTERNS)
    assert cli.main(["validate", str(template), "Word=\u00e9t\u00e9", "Kind=abc"]) == 0
    err = capsys.readouterr().err
    assert err == (
        "troposphere-fargate: values not checked against these patterns, which CloudFormation "
        "reads as Java regular expressions and the dry run cannot read alike: own.yaml Word "
        "(\\p{L} at 0: a Unicode property (of the \\p classes, only the POSIX ones such as "
        "\\p{Alpha} are read)); own.yaml Kind ([ at 1: a union or intersection of classes)\n"
    )
    stack = dry_run(template, {})
    assert list(stack.unchecked_patterns) == ["Word", "Kind"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_region_missing_from_a_mapping_is_refused_in_cloudformations_words(tmp_path):
    """CloudFormation refuses a stack whose Fn::FindInMap finds nothing, naming the keys as it
    resolved them: "Template error: Unable to get mapping for AWSAMIRegionMap::me-south-1::
    WS2012R2" (https://github.com/aws-quickstart/quickstart-tableau-server/issues/77). The
    dry run says the same, with the region, not the unresolved ``{'Ref': 'AWS::Region'}``."""
    template = _write(
        tmp_path / "t.yaml",
        "Mappings:\n  Logs:\n    eu-west-1:\n      Account: '156460612806'\n"
        "Conditions:\n"
        "  ByAccount: !Not [!Equals [!FindInMap [Logs, !Ref AWS::Region, Account], '']]\n"
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Condition: ByAccount\n",
    )
    assert set(dry_run(template, {}, "eu-west-1").resources) == {"Topic"}
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {}, "ap-south-2")
    assert failed.value.problems == ["t.yaml: Unable to get mapping for Logs::ap-south-2::Account"]


def test_a_region_the_template_is_not_made_for_is_refused_before_anything_else(capsys):
    # catalog.yaml leaves out the regions without Service Catalog (layers/regions.py), and its
    # Metadata.cfn-lint says so: the dry run reads the same list.
    catalog = SHIPPED / "catalog.yaml"
    claimed = read_template(catalog)["Metadata"]["cfn-lint"]["config"]["regions"]
    assert "ap-east-2" not in claimed and "eu-west-1" in claimed
    assert cli.main(["validate", str(catalog), "--region", "ap-east-2"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: catalog.yaml: the template is made for {len(claimed)} "
        "regions (Metadata.cfn-lint.config.regions) and ap-east-2 is not one of them"
    ]


@pytest.mark.parametrize("command", ["validate", "cost"])
def test_a_word_that_is_no_region_name_is_refused(capsys, command):
    assert cli.main([command, str(ROOT), "--region", "mars-1", f"ContainerImage={IMAGE}"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "troposphere-fargate: error: root.yaml: 'mars-1' is not a region name (such as eu-west-1)"
    ]


def test_an_empty_region_is_refused_not_taken_for_the_default():
    """A library trial: ``dry_run(path, values, "")`` evaluated the stack in us-east-1, as
    if no region were given, where ``estimate(found, "")`` refused the same word."""
    with pytest.raises(DryRunFailed) as refused:
        dry_run(ROOT, {"ContainerImage": IMAGE, "TemplateBucketName": "b"}, "")
    assert refused.value.problems == ["root.yaml: '' is not a region name (such as eu-west-1)"]


def test_a_stack_in_china_or_govcloud_has_that_partitions_pseudo_parameters(tmp_path):
    # AWS::Partition is aws-cn in the China regions and aws-us-gov in GovCloud (the ARN
    # reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
    template = _write(
        tmp_path / "t.yaml",
        "Conditions:\n  China: !Equals [!Ref AWS::Partition, aws-cn]\n"
        "  Gov: !Equals [!Ref AWS::Partition, aws-us-gov]\n"
        "Resources:\n  InChina:\n    Type: AWS::SNS::Topic\n    Condition: China\n"
        "  InGov:\n    Type: AWS::SNS::Topic\n    Condition: Gov\n"
        "  Always:\n    Type: AWS::SNS::Topic\n",
    )
    assert set(dry_run(template, {}, "cn-north-1").resources) == {"InChina", "Always"}
    assert set(dry_run(template, {}, "us-gov-west-1").resources) == {"InGov", "Always"}
    assert set(dry_run(template, {}, "eu-west-1").resources) == {"Always"}


def test_key_value_pairs_may_come_after_an_option(capsys):
    before = cli.main(["validate", "--region", "eu-west-1", str(ROOT), *_pairs(LAUNCH)])
    expected = capsys.readouterr()
    after = cli.main(["validate", str(ROOT), "--region", "eu-west-1", *_pairs(LAUNCH)])
    assert (before, after) == (0, 0)
    assert capsys.readouterr() == expected
    assert "(the price table has none for eu-west-1);" in expected.out


def _pairs(values: dict[str, str]) -> list[str]:
    return [f"{k}={v}" for k, v in values.items()]


@pytest.mark.parametrize(
    "argv, says",
    [
        (
            ["validate"],
            "validate: error: the following arguments are required: TEMPLATE (or --spec FILE)",
        ),
        (["validate", str(ROOT), "--bogus"], "validate: error: unrecognized arguments: --bogus"),
        (["cost", str(ROOT), "--region", "eu-west-1", "-x"], "error: unrecognized arguments: -x"),
    ],
)
def test_what_is_still_wrong_after_parsing_gets_the_commands_usage(capsys, argv, says):
    with pytest.raises(SystemExit) as usage:
        cli.main(argv)
    assert usage.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: troposphere-fargate {argv[0]} ")
    assert err.splitlines()[-1].endswith(says)


def test_availability_zones_of_another_region_are_refused():
    # An Availability Zone belongs to one region and is named after it (eu-west-1a):
    # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html
    network = SHIPPED / "network.yaml"
    zones = {"AvailabilityZones": "eu-west-1a,eu-west-1b"}
    planned = dry_run(network, zones, "eu-west-1")
    assert planned.parameters["AvailabilityZones"] == "eu-west-1a,eu-west-1b"
    with pytest.raises(DryRunFailed) as failed:
        dry_run(network, zones)  # us-east-1 when no region is given
    assert failed.value.problems == [
        "network.yaml: parameter AvailabilityZones: eu-west-1a, eu-west-1b are not Availability "
        "Zones of us-east-1, the stack's region (no region was given: us-east-1 is the default)"
    ]


def test_too_few_zones_for_the_number_of_azs_names_the_parameter():
    with pytest.raises(DryRunFailed) as failed:
        dry_run(SHIPPED / "network.yaml", {"AvailabilityZones": "us-east-1a"})
    assert failed.value.problems == [
        "network.yaml: Fn::Select picks item 2 of parameter AvailabilityZones, ['us-east-1a'], "
        "which has 1: CloudFormation would fail the stack here (give AvailabilityZones at "
        "least 2 items)"
    ]


def test_only_availability_zone_parameters_are_held_to_the_region(tmp_path):
    template = _write(
        tmp_path / "t.yaml",
        "Parameters:\n  Label: {Type: String}\n  Zone: {Type: 'AWS::EC2::AvailabilityZone::Name'}\n"
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
    )
    assert dry_run(template, {"Label": "eu-west-1a", "Zone": "us-east-1b"}).parameters == {
        "Label": "eu-west-1a",
        "Zone": "us-east-1b",
    }
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {"Label": "x", "Zone": "eu-west-1a"})
    assert failed.value.problems == [
        "t.yaml: parameter Zone: eu-west-1a is not an Availability Zone of us-east-1, the stack's "
        "region (no region was given: us-east-1 is the default)"
    ]


def test_availability_zone_ids_are_not_read_as_zone_names_of_another_region(tmp_path):
    # An AZ ID is no zone name: "An AZ ID consists of the first three letters of the Region
    # code, followed by the number at the end of the Region code, followed by -az, followed by
    # a number. For example, euw1-az1, euw1-az2, and euw1-az3 are the AZ IDs for the
    # Availability Zones in the eu-west-1 Region"
    # (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
    # Only a zone's name says its region; eu-west-1's own AZ IDs are not refused as another's.
    template = _write(
        tmp_path / "t.yaml",
        "Parameters:\n  AvailabilityZoneIds: {Type: CommaDelimitedList}\n"
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
    )
    ids = {"AvailabilityZoneIds": "euw1-az1,euw1-az2"}
    assert dry_run(template, ids, "eu-west-1").parameters == ids


def _made_for(tmp_path: Path, regions: str) -> Path:
    return _write(
        tmp_path / "t.yaml",
        f"Metadata:\n  cfn-lint:\n    config:\n      regions: {regions}\n"
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
    )


def test_a_template_made_for_one_region_is_held_to_it_even_by_default(tmp_path):
    template = _made_for(tmp_path, "[eu-west-1]")
    assert set(dry_run(template, {}, "eu-west-1").resources) == {"Topic"}
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {})
    assert failed.value.problems == [
        "t.yaml: the template is made for 1 region (Metadata.cfn-lint.config.regions) and "
        "us-east-1 is not one of them (no region was given: us-east-1 is the default)"
    ]


def test_cfn_lints_all_regions_holds_a_template_to_no_region(tmp_path):
    template = _made_for(tmp_path, "[ALL_REGIONS]")
    assert set(dry_run(template, {}, "ap-southeast-7").resources) == {"Topic"}


def test_an_isolated_partitions_region_is_refused_not_guessed(tmp_path):
    # Only the aws, aws-cn and aws-us-gov partitions' pseudo parameters are known here.
    template = _made_for(tmp_path, "[ALL_REGIONS]")
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {}, "us-isob-east-1")
    assert failed.value.problems == [
        "t.yaml: us-isob-east-1 is in an isolated partition, which these templates are not made for"
    ]


# --- One partition -------------------------------------------------------------------------

SPEC_IN_AWS = """\
services:
  web:
    expose: public
    routing: {path: "/*", priority: 100}
    secrets:
      DB_PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf
"""


def test_an_image_of_another_partition_is_refused():
    # A stack runs in one partition: the shipped root took a commercial ECR image in China
    # (its pull policy's Fn::Select would have failed at deploy time).
    with pytest.raises(DryRunFailed) as refused:
        dry_run(ROOT, {**LAUNCH, "ContainerImage": IMAGE}, "cn-north-1")
    assert refused.value.problems == [
        f"root.yaml: parameter ContainerImage: {IMAGE} is in the aws partition, and cn-north-1 "
        "is in aws-cn: a stack names and pulls from its own partition only"
    ]
    china = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1"
    dry_run(ROOT, {**LAUNCH, "ContainerImage": china}, "cn-north-1")
    with pytest.raises(DryRunFailed, match="is in the aws-cn partition, and us-gov-west-1"):
        dry_run(ROOT, {**LAUNCH, "ContainerImage": china}, "us-gov-west-1")


def test_a_template_naming_many_arns_of_another_partition_shows_three_and_counts_the_rest(
    tmp_path,
):
    # "A partition is a group of AWS Regions. Each AWS account is scoped to one partition"; an
    # ARN's partition is its second field, aws-cn for the China Regions
    # (https://docs.aws.amazon.com/general/latest/gr/aws-arns-and-namespaces.html).
    keys = [f"arn:aws-cn:kms:cn-north-1:123456789012:key/{n}" for n in range(1, 5)]
    template = _write(
        tmp_path / "t.yaml",
        "Resources:\n"
        + "".join(
            f"  Topic{n}:\n    Type: AWS::SNS::Topic\n    Properties:\n"
            f"      KmsMasterKeyId: {key}\n"
            for n, key in enumerate(keys, 1)
        ),
    )
    assert set(dry_run(template, {}, "cn-north-1").resources) == {f"Topic{n}" for n in range(1, 5)}
    with pytest.raises(DryRunFailed) as refused:
        dry_run(template, {}, "eu-west-1")
    assert refused.value.problems == [
        f"t.yaml: the template names {keys[0]} (aws-cn), {keys[1]} (aws-cn), {keys[2]} (aws-cn) "
        "and 1 more, of another partition than eu-west-1's (aws): build it for that partition's "
        "regions"
    ]


def test_a_spec_that_names_arns_of_one_partition_is_built_and_checked_for_its_regions(tmp_path):
    from troposphere_fargate.cfn.yaml import to_yaml
    from troposphere_fargate.layers import regions
    from troposphere_fargate.release.build import render_templates
    from troposphere_fargate.release.spec import parse_spec

    built = render_templates(parse_spec(SPEC_IN_AWS, "shop.yaml"))
    for name, template in built.items():
        assert template["Metadata"]["cfn-lint"]["config"]["regions"] == list(regions.COMMERCIAL), (
            name
        )
        (tmp_path / f"{name}.yaml").write_text(to_yaml(template))
    image = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1"
    launch = {"WebContainerImage": image, "TemplateBucketName": "my-templates"}
    with pytest.raises(DryRunFailed, match="cn-north-1 is not one of them"):
        dry_run(tmp_path / "root.yaml", launch, "cn-north-1")
    # The service's own template names the secret: refused even where the root is not read.
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "service-web.yaml", {}, "cn-north-1")
    assert "cn-north-1 is not one of them" in refused.value.problems[0]
    # The shipped templates name no ARN: they claim every partition.
    assert "cn-north-1" in read_template(ROOT)["Metadata"]["cfn-lint"]["config"]["regions"]


def test_a_minimum_above_the_maximum_is_refused_before_anything_is_created():
    """The template cannot compare MinCapacity with MaxCapacity (a rule has no numeric
    comparison); Application Auto Scaling refuses the pair ("Maximum capacity cannot be less
    than minimum capacity") once the stack has got that far."""
    with pytest.raises(DryRunFailed) as refused:
        dry_run(ROOT, {**LAUNCH, "MinCapacity": "5", "MaxCapacity": "3"})
    assert any(
        "ScalableTarget: MinCapacity 5 is above MaxCapacity 3: Application Auto Scaling refuses it"
        in problem
        for problem in refused.value.problems
    ), refused.value.problems
    dry_run(ROOT, {**LAUNCH, "MinCapacity": "3", "MaxCapacity": "3"})  # equal: fine


def test_the_summary_names_the_certificate_and_the_records_a_domain_makes(tmp_path):
    # A user trial: validate said "listeners: HTTP 80, HTTPS 443" and nothing of the
    # certificate it would request or the Route 53 records it would write.
    spec = (
        "domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\n"
        "services:\n  web: {expose: public, routing: {path: /*, priority: 1, "
        "host: [shop.example.com, www.shop.example.com]}}\n"
    )
    folder = built(tmp_path, spec)
    values = {
        "WebContainerImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1",
        "TemplateBucketName": "my-templates",
    }
    lines = describe(footprint(dry_run(folder / "root.yaml", values)))
    assert (
        "certificate: requested for shop.example.com, www.shop.example.com (ACM: the stack "
        "waits until it is validated)"
    ) in lines
    assert "DNS records: shop.example.com, www.shop.example.com (Route 53)" in lines
    # A certificate of one's own: none requested, the records still made.
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
    own = describe(footprint(dry_run(folder / "root.yaml", {**values, "CertificateArn": arn})))
    assert not [line for line in own if line.startswith("certificate:")]
    assert "DNS records: shop.example.com, www.shop.example.com (Route 53)" in own


def test_the_summary_says_who_each_container_runs_as(tmp_path):
    """Security Hub ECS.20 wants a non-root user named on every container: the summary shows,
    before anything is created, which ones run as whatever their image says."""
    lines = describe(footprint(dry_run(ROOT, {**LAUNCH, "ContainerUser": "1000:1000"})))
    assert "containers of ServiceStack/Service: app as 1000:1000" in lines
    lines = describe(footprint(dry_run(ROOT, LAUNCH)))
    assert "containers of ServiceStack/Service: app as its image's USER" in lines
    spec = (
        "services:\n  web:\n    user: app\n    sidecars:\n"
        "      - {name: otel, image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/otel:1}\n"
    )
    found = footprint(dry_run(built(tmp_path, spec) / "root.yaml", LAUNCH))
    assert found.container_users == (
        ("ServiceStack/Service", "web", "app"),
        ("ServiceStack/Service", "otel", ""),
    )
    assert "containers of ServiceStack/Service: web as app, otel as its image's USER" in (
        describe(found)
    )


def test_the_summary_says_whether_the_default_security_group_is_emptied():
    network = SHIPPED / "network.yaml"
    emptied = describe(footprint(dry_run(network, {})))
    kept = describe(footprint(dry_run(network, {"RestrictDefaultSecurityGroup": "false"})))
    assert "default security group: emptied (no rule in or out)" in emptied
    assert (
        "default security group: keeps EC2's rules (its members talk to each other, all outbound)"
        in kept
    )
    # A template without a VPC says nothing about it.
    values = {
        "VpcId": "vpc-0a1b2c3d",
        "PublicSubnetIds": "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
        "PrivateSubnetIds": "subnet-0123456789abcdef2,subnet-0123456789abcdef3",
        "ContainerImage": IMAGE,
    }
    service = describe(footprint(dry_run(SHIPPED / "service.yaml", values)))
    assert not any(line.startswith("default security group") for line in service)


STANDALONE = {
    "VpcId": "vpc-0a1b2c3d",
    "PublicSubnetIds": "subnet-0aaa1111,subnet-0bbb2222",
    "PrivateSubnetIds": "subnet-0ccc3333,subnet-0ddd4444",
    "ContainerImage": IMAGE,
}


def test_load_balancer_subnets_elb_refuses_are_refused():
    """ELB's CreateLoadBalancer: "You can specify only one subnet per Availability Zone" and
    "[Application Load Balancers] You must specify subnets from at least two Availability
    Zones" (Elastic Load Balancing API Reference). Both were accepted, "Availability Zones: 1"."""
    service = SHIPPED / "service.yaml"
    with pytest.raises(DryRunFailed) as one:
        dry_run(service, {**STANDALONE, "PublicSubnetIds": "subnet-0aaa1111"})
    assert one.value.problems == [
        "service.yaml: parameter PublicSubnetIds: an application load balancer needs subnets in "
        "at least two Availability Zones (1 given)"
    ]
    with pytest.raises(DryRunFailed) as twice:
        dry_run(service, {**STANDALONE, "PublicSubnetIds": "subnet-0aaa1111,subnet-0aaa1111"})
    assert twice.value.problems == [
        "service.yaml: parameter PublicSubnetIds: subnet-0aaa1111 is given twice: a load "
        "balancer takes one subnet per Availability Zone"
    ]
    # The parameter named is the one the load balancer takes, not another of the same value.
    with pytest.raises(DryRunFailed) as same:
        one_subnet = {"PrivateSubnetIds": "subnet-0aaa1111", "PublicSubnetIds": "subnet-0aaa1111"}
        dry_run(service, {**one_subnet, **STANDALONE, **one_subnet})
    assert same.value.problems[0].startswith("service.yaml: parameter PublicSubnetIds: ")
    # A network load balancer may have one zone.
    network = {**STANDALONE, "PublicSubnetIds": "subnet-0aaa1111", "LoadBalancerType": "network"}
    assert footprint(dry_run(service, network)).load_balancers == [
        ("network", "internet-facing", 1)
    ]


def test_a_load_balancer_of_no_type_is_held_to_an_application_load_balancers_two_zones(
    tmp_path,
):
    # CreateLoadBalancer's Type: "The type of load balancer. The default is application."
    # (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/elasticloadbalancingv2/aws.sdk.kotlin.services.elasticloadbalancingv2.model/-create-load-balancer-request/type.html)
    template = _write(
        tmp_path / "t.yaml",
        "Resources:\n  Edge:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties:\n      Subnets: [subnet-0aaa1111]\n",
    )
    with pytest.raises(DryRunFailed) as one:
        dry_run(template, {})
    assert one.value.problems == [
        "t.yaml: Edge's subnets: an application load balancer needs subnets in at least two "
        "Availability Zones (1 given)"
    ]


def test_load_balancer_subnets_two_parameters_may_give_are_named_by_both(tmp_path):
    # Which of the two an Fn::If took cannot be told from the subnets alone: both are named.
    template = _write(
        tmp_path / "t.yaml",
        "Parameters:\n  UseFirst: {Type: String, AllowedValues: ['true', 'false']}\n"
        "  FirstSubnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n"
        "  SecondSubnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n"
        "Conditions:\n  First: !Equals [!Ref UseFirst, 'true']\n"
        "Resources:\n  Edge:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties:\n      Subnets: !If [First, !Ref FirstSubnets, !Ref SecondSubnets]\n",
    )
    same = {"FirstSubnets": "subnet-0aaa1111", "SecondSubnets": "subnet-0aaa1111"}
    with pytest.raises(DryRunFailed) as one:
        dry_run(template, {"UseFirst": "true", **same})
    assert one.value.problems == [
        "t.yaml: Edge's subnets (FirstSubnets or SecondSubnets, the same subnets): an "
        "application load balancer needs subnets in at least two Availability Zones (1 given)"
    ]


def test_wildcards_of_an_http_header_condition_count_toward_the_rules_five(tmp_path):
    # "You can include wildcard characters in the match evaluations for the http-header,
    # host-header, path-pattern, and query-string conditions. There is a limit of five wildcard
    # characters per rule"
    # (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html).
    template = _write(
        tmp_path / "t.yaml",
        "Resources:\n  Rule:\n    Type: AWS::ElasticLoadBalancingV2::ListenerRule\n"
        "    Properties:\n"
        "      ListenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/"
        "web/50dc6c495c0c9188/f2f7dc8efc522ab2\n"
        "      Priority: 1\n"
        "      Actions:\n        - Type: fixed-response\n"
        "          FixedResponseConfig: {StatusCode: '404'}\n"
        "      Conditions:\n        - Field: http-header\n"
        "          HttpHeaderConfig:\n            HttpHeaderName: User-Agent\n"
        "            Values: ['*Chrome*', '*Firefox*', '*Safari*']\n",
    )
    with pytest.raises(DryRunFailed) as refused:
        dry_run(template, {})
    assert refused.value.problems == [
        "t.yaml: Rule: the listener rule Rule has 6 wildcards (* and ?) in its conditions "
        "(*Chrome*, *Firefox*, *Safari*); Elastic Load Balancing takes 5 per rule, all conditions "
        "together: the stack would fail creating Rule"
    ]


def test_load_balancer_subnet_mappings_are_judged_as_its_subnets(tmp_path):
    """A load balancer takes "either subnets or subnet mappings"
    (AWS::ElasticLoadBalancingV2::LoadBalancer,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-loadbalancer.html):
    each mapping's SubnetId is one of its subnets, so one given twice is one zone twice ("You
    can specify only one subnet per Availability Zone", CreateLoadBalancer), and tasks in one
    of an internet-facing one's mapped subnets are noted as they are for its Subnets."""
    template = tmp_path / "own.yaml"
    template.write_text(
        "Resources:\n"
        "  Edge:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties:\n      Type: network\n      SubnetMappings:\n"
        "        - {SubnetId: subnet-0aaa1111}\n        - {SubnetId: subnet-0aaa1111}\n"
        "  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      LaunchType: FARGATE\n"
        "      TaskDefinition: arn:aws:ecs:us-east-1:1:task-definition/t:1\n"
        "      NetworkConfiguration:\n        AwsvpcConfiguration:\n"
        "          Subnets: [subnet-0aaa1111]\n",
        encoding="utf-8",
    )
    with pytest.raises(DryRunFailed) as twice:
        dry_run(template, {})
    assert twice.value.problems == [
        "own.yaml: Edge's subnets: subnet-0aaa1111 is given twice: a load balancer takes one "
        "subnet per Availability Zone"
    ]
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "        - {SubnetId: subnet-0aaa1111}\n        - {SubnetId: subnet-0aaa1111}\n",
            "        - {SubnetId: subnet-0aaa1111}\n        - {SubnetId: subnet-0bbb2222}\n",
        ),
        encoding="utf-8",
    )
    assert footprint(dry_run(template, {})).shared_subnets == (
        ("Service", ("subnet-0aaa1111",), ("Edge",)),
    )


def test_subnets_with_subnet_mappings_and_an_application_load_balancer_s_elastic_ip_are_refused(
    tmp_path,
):
    """ELB's CreateLoadBalancer, SubnetMappings: "You must specify either subnets or subnet
    mappings, but not both", and "[Application Load Balancers] You must specify subnets from at
    least two Availability Zones. You can't specify Elastic IP addresses for your subnets"
    (Elastic Load Balancing API Reference,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html).
    A network load balancer's Elastic IPs are its to take."""
    template = tmp_path / "own.yaml"
    mappings = (
        "      SubnetMappings:\n"
        "        - {SubnetId: subnet-0aaa1111, AllocationId: eipalloc-0a1b2c3d}\n"
        "        - {SubnetId: subnet-0bbb2222, AllocationId: eipalloc-0d4e5f6a}\n"
    )
    template.write_text(
        "Resources:\n  Edge:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties:\n" + mappings,
        encoding="utf-8",
    )
    with pytest.raises(DryRunFailed) as application:
        dry_run(template, {})
    assert application.value.problems == [
        "own.yaml: Edge: an application load balancer takes no Elastic IP (AllocationId) in its "
        "subnet mappings; a network load balancer does"
    ]
    template.write_text(
        "Resources:\n  Edge:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties:\n      Type: network\n" + mappings,
        encoding="utf-8",
    )
    assert footprint(dry_run(template, {})).load_balancer_elastic_ips == 2
    template.write_text(
        template.read_text(encoding="utf-8") + "      Subnets: [subnet-0ccc3333]\n",
        encoding="utf-8",
    )
    with pytest.raises(DryRunFailed) as both:
        dry_run(template, {})
    assert both.value.problems == [
        "own.yaml: Edge: both Subnets and SubnetMappings are given: a load balancer takes one "
        "or the other"
    ]


def test_tasks_in_the_public_load_balancer_s_subnet_are_noted(tmp_path):
    service = SHIPPED / "service.yaml"
    assert footprint(dry_run(service, STANDALONE)).shared_subnets == ()
    mixed = {**STANDALONE, "PrivateSubnetIds": "subnet-0bbb2222,subnet-0ccc3333"}
    found = footprint(dry_run(service, mixed))
    assert found.shared_subnets == (("Service", ("subnet-0bbb2222",), ("LoadBalancer",)),)
    assert (
        "  note: Service runs its tasks in subnet-0bbb2222, where the internet-facing load "
        "balancer is too: the load balancer needs public subnets, the tasks private ones (a "
        "task without a public IP in a public subnet reaches nothing outside the VPC, its image "
        "registry included, but through VPC endpoints)"
    ) in describe(found)
    # An internal load balancer is in private subnets on purpose.
    template = tmp_path / "t.yaml"
    template.write_text(
        "Parameters:\n  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n"
        "Resources:\n"
        "  Balancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Scheme: internal, Subnets: !Ref Subnets}\n"
        "  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: !Ref Subnets}}\n"
    )
    subnets = {"Subnets": "subnet-0aaa1111,subnet-0bbb2222"}
    assert footprint(dry_run(template, subnets)).shared_subnets == ()
    public = template.read_text().replace("internal", "internet-facing")
    template.write_text(public)
    assert footprint(dry_run(template, subnets)).shared_subnets == (
        ("Service", ("subnet-0aaa1111", "subnet-0bbb2222"), ("Balancer",)),
    )
    # Tasks given public IPs there are a choice, not a slip.
    template.write_text(
        public.replace(
            "Subnets: !Ref Subnets}}", "Subnets: !Ref Subnets, AssignPublicIp: ENABLED}}"
        )
    )
    assert footprint(dry_run(template, subnets)).shared_subnets == ()


def test_the_dry_run_knows_the_custom_resource_type_network_yaml_uses():
    from troposphere_fargate.cfn.dry_run import DEFAULT_SECURITY_GROUP_RESTRICTION_TYPE
    from troposphere_fargate.layers import network

    resource = network.network_template().to_dict()["Resources"][
        network.DEFAULT_SECURITY_GROUP_RESTRICTION
    ]
    assert resource["Type"] == DEFAULT_SECURITY_GROUP_RESTRICTION_TYPE


@pytest.mark.parametrize(
    ("values", "refused"),
    [
        (
            {"DesiredCount": "2.5"},
            ["Service: DesiredCount is 2.5, not written as a whole number: AWS::ECS::Service"],
        ),
        (
            {"ContainerPort": "8080.5"},
            [
                "LoadBalancerEgressToTasks: FromPort is 8080.5",
                "LoadBalancerEgressToTasks: ToPort is 8080.5",
                "Service: LoadBalancers.0.ContainerPort is 8080.5",
            ],
        ),
        ({"ContainerPort": "1e3"}, ["Service: LoadBalancers.0.ContainerPort is 1e3"]),
    ],
)
def test_a_fraction_where_a_resource_takes_an_integer_is_refused(values, refused):
    """A Number parameter takes 2.5 (CloudFormation User Guide, Parameters: Number, "An integer
    or float"), and its MinValue and MaxValue hold; the resource it feeds takes an integer, and
    CloudFormation checks each property against the type's schema when it creates the
    resource ("#/...: expected type: Integer", aws-cloudformation/cloudformation-coverage-
    roadmap#2097): the stack would fail half-created. The dry run used to say "would accept"
    and print 2 tasks for DesiredCount=2.5 (a newcomer's trial)."""
    with pytest.raises(DryRunFailed) as failed:
        dry_run(ROOT, {**LAUNCH, **values})
    problems = failed.value.problems
    assert all(p.startswith("root.yaml > ServiceStack (service.yaml): ") for p in problems)
    for expected in refused:
        assert any(expected in p for p in problems), (expected, problems)
    assert all("and the stack would fail creating" in p for p in problems)


def test_only_a_fraction_where_the_schema_takes_an_integer_is_refused():
    from troposphere_fargate.cfn.dry_run import _whole_number_problems

    resources = {
        "Service": {"Type": "AWS::ECS::Service", "Properties": {"DesiredCount": "2"}},
        "Setting": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Type": "String", "Value": "1.5"},
        },
        "Group": {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {"SecurityGroupIngress": [{"FromPort": 443, "ToPort": "443.0"}]},
        },
    }
    assert _whole_number_problems(resources, "eu-west-1") == [
        "Group: SecurityGroupIngress.0.ToPort is 443.0, not written as a whole number: "
        "AWS::EC2::SecurityGroup takes an integer there, and the stack would fail creating Group"
    ]
    # Whole numbers, as text or not, and text where text is taken: nothing to say.
    del resources["Group"]
    assert _whole_number_problems(resources, "eu-west-1") == []
    # A type cfn-lint does not know: nothing to compare with, nothing said.
    unknown = {"X": {"Type": "Custom::Thing", "Properties": {"Count": "2.5"}}}
    assert _whole_number_problems(unknown, "eu-west-1") == []


def test_a_fraction_where_the_schema_takes_a_number_is_accepted():
    # A target tracking policy's TargetValue: "Although this property accepts numbers of type
    # Double, it won't accept values that are either too small or too large"
    # (https://docs.aws.amazon.com/sdk-for-sap-abap/v1/api/latest/aas/model/_AWS1_CL_AASTGTTRKSCAPLYCONF.html):
    # a CPU target of 70.5 is no whole-number problem.
    planned = dry_run(ROOT, {**LAUNCH, "CpuTargetUtilization": "70.5"})
    policy = planned.nested["ServiceStack"].resources["CpuScalingPolicy"]["Properties"]
    assert policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == "70.5"


def test_a_reference_to_nothing_is_refused_as_cloudformation_refuses_the_template(tmp_path):
    """CloudFormation refuses a template whose Ref, GetAtt or Sub names neither a parameter, a
    resource nor a pseudo parameter ("Template format error: Unresolved resource dependencies
    [...] in the Resources block of the template"). validate said "would accept" of one (a
    newcomer's trial); only `check` (cfn-lint E1020) found it."""
    template = tmp_path / "min.yaml"
    template.write_text(
        "Parameters:\n  Name: {Type: String, Default: x}\n"
        "Resources:\n"
        "  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        "      BucketName: !Ref Missing\n"
        "      Tags:\n"
        "        - {Key: a, Value: !Sub '${AWS::Region}-${Name}-${Other.Arn}-${!Literal}'}\n"
        "  Topic:\n    Type: AWS::SNS::Topic\n    DependsOn: [Bucket, Later]\n    Properties:\n"
        "      TopicName: !Sub ['${Own}-${Bucket}', {Own: !GetAtt Ghost.Arn}]\n"
        "Outputs:\n  Arn: {Value: !GetAtt Bucket.Arn}\n  Gone: {Value: !Ref Nope}\n"
    )
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {})
    assert failed.value.problems == [
        "min.yaml: Template format error: Unresolved resource dependencies [Ghost, Later, "
        "Missing, Other] in the Resources block of the template",
        "min.yaml: Template format error: Unresolved resource dependencies [Nope] in the "
        "Outputs block of the template",
    ]
    # Every shipped template refers only to what it declares.
    for path in sorted(SHIPPED.glob("*.yaml")):
        assert _unresolved(read_template(path)) == [], path.name


WORKER_CALLING_AWS = (
    "services:\n  worker:\n"
    "    secrets:\n"
    '      DB: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"\n'
    "    task_role:\n      statements:\n"
    "        - actions: [sqs:ReceiveMessage, dynamodb:GetItem, rds-db:connect]\n"
    "          resources: ['*']\n"
)


def test_without_nat_the_summary_names_each_call_with_no_endpoint(tmp_path):
    """A newcomer's trial: ``validate NatGateways=None VpcEndpoints=true`` said "would accept"
    of a worker whose task role calls SQS, which it could not reach: without a NAT gateway a
    task reaches an AWS API only through a VPC endpoint (Amazon ECS Developer Guide, "Amazon
    ECS interface VPC endpoints (AWS PrivateLink)"). rds-db:connect calls no endpoint (the
    token is signed in the task); the secrets' endpoint is among the defaults."""
    folder = built(tmp_path / "a", WORKER_CALLING_AWS)
    no_nat = {**LAUNCH, "NatGateways": "None", "VpcEndpoints": "true"}
    found = footprint(dry_run(folder / "root.yaml", no_nat))
    service = "ServiceStack/Service"
    assert found.unreachable == (
        (service, "dynamodb", "task role"),
        (service, "sqs", "task role"),
    )
    lines = [line for line in describe(found) if line.startswith("unreachable")]
    assert lines == [
        f"unreachable from {service}: dynamodb (its task role), with no NAT gateway and no "
        "dynamodb VPC endpoint: those calls time out. Add the endpoint to the network's gateway "
        "endpoints, or use a NAT gateway",
        f"unreachable from {service}: sqs (its task role), with no NAT gateway and no sqs VPC "
        "endpoint: those calls time out. Add the endpoint to the network's interface endpoints, "
        "or use a NAT gateway",
    ]
    # With a NAT gateway, or with the endpoints, nothing is unreachable.
    assert footprint(dry_run(folder / "root.yaml", LAUNCH)).unreachable == ()
    endpoints = (
        "network:\n  interface_endpoints: [ecr.api, ecr.dkr, logs, secretsmanager, sqs]\n"
        "  gateway_endpoints: [s3, dynamodb]\n"
    )
    with_endpoints = built(tmp_path / "b", endpoints + WORKER_CALLING_AWS)
    assert footprint(dry_run(with_endpoints / "root.yaml", no_nat)).unreachable == ()
    # China's endpoint services are cn.com.amazonaws.<region>.<service> (sqs among them): the
    # review found them taken for none, so sqs was called unreachable there.
    queue_only = (
        "services:\n  worker:\n    task_role:\n      statements:\n"
        "        - {actions: [sqs:ReceiveMessage], resources: ['*']}\n"
    )
    in_china = built(tmp_path / "d", endpoints + queue_only)
    image = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1"
    china = footprint(
        dry_run(in_china / "root.yaml", {**no_nat, "ContainerImage": image}, region="cn-north-1")
    )
    assert (china.unreachable, "sqs" in china.interface_endpoints) == ((), True)
    # Without the secrets' endpoint, the secrets are named as what calls it.
    no_secrets_endpoint = built(
        tmp_path / "c",
        endpoints.replace("secretsmanager, ", "") + WORKER_CALLING_AWS,
    )
    assert footprint(dry_run(no_secrets_endpoint / "root.yaml", no_nat)).unreachable == (
        (service, "secretsmanager", "secrets"),
    )


def test_a_nested_stacks_own_parameter_given_to_the_root_says_whose_it_is(tmp_path):
    """A newcomer's trial: ``MinCapacity=5`` on an environment's root said only "unknown
    parameter": it is each service's, and the root sets it from the spec."""
    spec = (
        "services:\n"
        "  web: {port: 8080, expose: public, routing: {path: '/*', priority: 100}}\n"
        "  worker: {expose: none}\n"
    )
    folder = built(tmp_path, spec)
    given = {
        "TemplateBucketName": "my-templates",
        "WebContainerImage": IMAGE,
        "WorkerContainerImage": IMAGE,
        "MinCapacity": "5",
        "ClusterName": "mine",
        "Nonsense": "1",
    }
    with pytest.raises(DryRunFailed) as failed:
        dry_run(folder / "root.yaml", given)
    owners = "WebServiceStack (service-web.yaml) and WorkerServiceStack (service-worker.yaml)"
    advice = (
        "change it where the templates are built, such as a spec's service keys, or launch "
        "that template on its own)"
    )
    # The root passes the environment's cluster to each service, and leaves MinCapacity at
    # each service template's default (the spec's min_capacity).
    assert failed.value.problems == [
        f"root.yaml: unknown parameter ClusterName (it is a parameter of {owners}, which this "
        f"template sets: {advice}",
        f"root.yaml: unknown parameter MinCapacity (it is a parameter of {owners}, which this "
        f"template leaves at the nested template's default: {advice}",
        "root.yaml: unknown parameter Nonsense",
    ]


def test_a_call_to_a_service_the_network_has_no_endpoint_for_is_told_to_use_nat(tmp_path):
    """The review: "Add the endpoint to the network's interface endpoints" of bedrock was advice
    the network refuses (it makes no bedrock endpoint). A model invocation calls bedrock-runtime
    (tests/cfn/test_reach.py cites the Bedrock guide)."""
    spec = (
        "services:\n  worker:\n    task_role:\n      statements:\n"
        "        - {actions: [bedrock:InvokeModel], resources: ['*']}\n"
    )
    folder = built(tmp_path, spec)
    found = footprint(
        dry_run(folder / "root.yaml", {**LAUNCH, "NatGateways": "None", "VpcEndpoints": "true"})
    )
    assert [line for line in describe(found) if line.startswith("unreachable")] == [
        "unreachable from ServiceStack/Service: bedrock-runtime (its task role), with no NAT "
        "gateway and no VPC endpoint for it (the network template makes none): those calls time "
        "out. Use a NAT gateway"
    ]


def test_a_call_to_an_opensearch_domain_is_unreachable_only_for_a_public_domain(tmp_path):
    """es:ESHttp* reaches the domain's endpoint, in the VPC for a VPC domain: "unreachable"
    alone was a false alarm for those."""
    spec = (
        "services:\n  worker:\n    task_role:\n      statements:\n"
        "        - {actions: [es:ESHttpGet], resources: "
        "['arn:aws:es:us-east-1:123456789012:domain/search/*']}\n"
    )
    folder = built(tmp_path, spec)
    values = {**LAUNCH, "NatGateways": "None", "VpcEndpoints": "true"}
    found = footprint(dry_run(folder / "root.yaml", values))
    assert [line for line in describe(found) if line.startswith("unreachable")] == [
        "unreachable from ServiceStack/Service: es (its task role), with no NAT gateway and no "
        "es VPC endpoint, unless the domain is in this VPC: calls to a public OpenSearch domain, "
        "and to its configuration API, time out. Use a NAT gateway for a public domain"
    ]


# --- A StackSet: the stack it creates in each account, per region -----------------------------

SHIPPED_STACKSET = SHIPPED / "stackset.yaml"


INSTANCE = SHIPPED / "instance.yaml"


@pytest.fixture(scope="module")
def stackset() -> Path:
    return SHIPPED_STACKSET


def test_a_service_managed_stackset_of_a_root_that_nests_stacks_is_refused(tmp_path):
    """A review of real-AWS acceptance: the StackSet resource's handler refuses a template with
    nested stacks under service-managed permissions ("Nested AWS::CloudFormation::Stack is not
    supported in service managed AWS::CloudFormation::StackSet",
    aws-cloudformation/aws-cloudformation-resource-providers-cloudformation#104), as StackSets
    do ("You can't provision nested stacks, transforms, or macros with the default execution
    role", CloudFormation User Guide; cloudformation-coverage-roadmap#1797). The first
    stackset.yaml of 0.4.0 deployed root.yaml, which nests the network and the service:
    validate said CloudFormation would accept it, and the emulator created it. The shipped one
    deploys instance.yaml, which nests nothing."""
    assert footprint(dry_run(SHIPPED_STACKSET, ROLLOUT, "eu-west-1")).stack_sets[0][1] == (
        "instance.yaml"
    )
    for source in SHIPPED.glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    text = SHIPPED_STACKSET.read_text(encoding="utf-8")
    assert text.count("/instance.yaml") == 1
    (tmp_path / "stackset.yaml").write_text(text.replace("/instance.yaml", "/root.yaml"))
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "stackset.yaml", ROLLOUT, "eu-west-1")
    assert refused.value.problems == [
        "stackset.yaml > StackSet: a StackSet with service-managed permissions cannot deploy "
        "root.yaml, which nests stacks (NetworkStack, ServiceStack): StackSets' default "
        "execution role takes neither nested stacks nor transforms, and the StackSet resource "
        'refuses nested stacks ("Nested AWS::CloudFormation::Stack is not supported in service '
        'managed AWS::CloudFormation::StackSet"); give it a template without them, or '
        "self-managed permissions"
    ]


def test_a_service_managed_stackset_of_a_template_with_a_transform_is_refused(tmp_path):
    """A review: a SAM template (a transform, a macro CloudFormation hosts) passed. "You can't
    provision nested stacks, transforms, or macros with the default execution role"
    (CloudFormation User Guide, "Configure a custom execution role template for
    StackSets"). A template named with an upper-case extension is read too."""
    (tmp_path / "app.YAML").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n"
    )
    text = SET.format(template="app.YAML", accounts="1")
    assert "PermissionModel: SERVICE_MANAGED" in text
    (tmp_path / "set.yaml").write_text(text)
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "set.yaml", {}, "eu-west-1")
    (problem,) = refused.value.problems
    assert problem.startswith(
        "set.yaml > Set: a StackSet with service-managed permissions cannot deploy app.YAML, "
        "which uses AWS::Serverless-2016-10-31: "
    )


ROLLOUT = {
    **LAUNCH,
    "OrganizationalUnitIds": "ou-abcd-12345678",
    "DeploymentRegions": "eu-west-1,us-east-1",
}


def test_a_stackset_is_evaluated_in_each_region_as_the_template_it_deploys(stackset):
    """validate stackset.yaml said "1 resource in 1 stack" and $0.00: what each account gets
    was neither checked nor counted. Each region's stack is instance.yaml with the StackSet's
    values, in that region; none is counted in the StackSet's."""
    stack = dry_run(stackset, ROLLOUT, "eu-west-1")
    assert list(stack.instances) == [("StackSet", "eu-west-1"), ("StackSet", "us-east-1")]
    found = footprint(stack)
    assert (found.resources, found.stacks, found.tasks) == (1, 1, [])
    for (_, region), instance in stack.instances.items():
        alone = dry_run(INSTANCE, {"ContainerImage": IMAGE}, region)
        assert instance.parameters == alone.parameters
        assert footprint(instance) == footprint(alone)
        assert footprint(instance).template_buckets == ()
    assert found.stack_sets == (
        (
            "StackSet",
            "instance.yaml",
            "each account of ou-abcd-12345678 (and each that joins it)",
            ("eu-west-1", "us-east-1"),
        ),
    )


def test_availability_zones_of_one_region_are_refused_for_the_stackset_s_others(stackset):
    """Accepted before: the StackSet's values were checked in its own region only, and its
    stacks in us-east-1 would fail to create subnets in eu-west-1's zones."""
    values = {**ROLLOUT, "AvailabilityZones": "eu-west-1a,eu-west-1b"}
    with pytest.raises(DryRunFailed) as refused:
        dry_run(stackset, values, "eu-west-1")
    assert refused.value.problems == [
        "stackset.yaml > StackSet in us-east-1 (instance.yaml): parameter AvailabilityZones: "
        "eu-west-1a, eu-west-1b are not Availability Zones of us-east-1, the stack's region"
    ]


def test_a_stackset_s_stack_is_described_once_for_the_regions_where_it_is_the_same(stackset):
    lines = describe(footprint(dry_run(stackset, ROLLOUT, "eu-west-1")))
    alone = describe(footprint(dry_run(INSTANCE, {"ContainerImage": IMAGE})))
    start = lines.index(
        "StackSet's stack in each account, in eu-west-1 and us-east-1 (instance.yaml):"
    )
    assert lines[:start] == [
        "StackSet StackSet: instance.yaml to each account of ou-abcd-12345678 (and each that joins "
        "it), in eu-west-1 and us-east-1",
        # Where to publish it (a user's review: validate never said which URL it reads).
        "  read from https://my-templates.s3.eu-west-1.amazonaws.com/troposphere-fargate/"
        f"{__version__}/instance.yaml when the StackSet is created or updated (publish it there "
        "first)",
        "1 resource in 1 stack",
    ]
    assert lines[start + 1 :] == [f"  {line}" for line in alone]


PER_REGION_SET = """Parameters:
  TemplateBucketName: {Type: String}
Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: s
      PermissionModel: SELF_MANAGED
      TemplateURL: https://b.s3.amazonaws.com/child.yaml
      Parameters:
        - {ParameterKey: Bucket, ParameterValue: !Ref TemplateBucketName}
      StackInstancesGroup:
        - DeploymentTargets: {Accounts: ["111122223333"]}
          Regions: [eu-west-1, us-east-1]
"""
PER_REGION_CHILD = """Parameters:
  Bucket: {Type: String}
Resources:
  Inner:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub https://${Bucket}-${AWS::Region}.s3.${AWS::Region}.amazonaws.com/inner.yaml
"""


def test_a_template_bucket_name_with_the_region_in_it_is_noted(tmp_path):
    """A StackSet whose stacks nest templates from <TemplateBucketName>-<region> (a
    self-managed one of root.yaml with TemplateBucketPerRegion, say): given
    my-templates-eu-west-1, the stacks read my-templates-eu-west-1-eu-west-1."""
    (tmp_path / "set.yaml").write_text(PER_REGION_SET)
    (tmp_path / "child.yaml").write_text(PER_REGION_CHILD)
    (tmp_path / "inner.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    values = {"TemplateBucketName": "my-templates-eu-west-1"}
    lines = describe(footprint(dry_run(tmp_path / "set.yaml", values, "eu-west-1")))
    assert lines[-1] == (
        "  note: the bucket name my-templates-eu-west-1-<region> has a region in it twice: if "
        "the buckets are my-templates-<region>, the name to give is my-templates"
    )
    # A name that ends in GovCloud's region is read as one too; a plain name is not noted.
    values["TemplateBucketName"] = "my-templates-us-gov-west-1"
    assert (
        "the name to give is my-templates"
        in describe(footprint(dry_run(tmp_path / "set.yaml", values, "eu-west-1")))[-1]
    )
    plain = describe(footprint(dry_run(tmp_path / "set.yaml", {"TemplateBucketName": "b"})))
    assert any("(child.yaml, templates from bucket b-<region>):" in line for line in plain)
    assert not any("note:" in line for line in plain)


def test_validate_and_cost_count_each_account_s_stack_apart(stackset, capsys):
    argv = [str(stackset), *(f"{k}={v}" for k, v in ROLLOUT.items()), "--region", "us-east-1"]
    assert cli.main(["validate", *argv]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        "fixed cost: a month per account the StackSet deploys to, about $127.55 in eu-west-1 at "
        "us-east-1 prices, $127.55 in us-east-1; the StackSet's own stack, about $0.00 a month "
        "in us-east-1; `troposphere-fargate cost` shows it line by line"
    )
    assert cli.main(["cost", *argv]) == 0
    out = capsys.readouterr().out.splitlines()
    # A user's review: the StackSet's own $0.00 table came first, without a heading.
    assert out[0] == "stackset.yaml's own stack:"
    heads = [line for line in out if line.startswith("StackSet's stack")]
    assert heads == [
        "StackSet's stack (instance.yaml) in each account, in eu-west-1:",
        "StackSet's stack (instance.yaml) in each account, in us-east-1:",
    ]
    totals = [line.split()[-1] for line in out if line.split()[:1] == ["total"]]
    assert totals == ["$0.00", "$127.55", "$127.55"]
    assert out[-2].startswith("not counted") and out[-1].startswith("prices from")
    assert sum(line.startswith("not counted") for line in out) == 1
    # This stack creates nothing priced by use; the accounts' stacks do, and are named.
    assert "data processed by NAT gateways" in out[-2] and "ECR storage" in out[-2]


def test_a_stackset_whose_template_is_not_beside_it_is_named_but_not_counted(stackset, tmp_path):
    """A StackSet may deploy another team's template from its own bucket: it is said, not
    refused (a nested stack's template must be beside it: a version's folder)."""
    (tmp_path / "stackset.yaml").write_text(stackset.read_text())
    found = footprint(dry_run(tmp_path / "stackset.yaml", ROLLOUT))
    assert found.instances == ()
    assert describe(found)[0] == (
        "StackSet StackSet: instance.yaml (not beside this template: not checked or counted) to "
        "each account of ou-abcd-12345678 (and each that joins it), in eu-west-1 and us-east-1"
    )


SET = """Resources:
  Topic: {{Type: AWS::SNS::Topic}}
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: s
      PermissionModel: SERVICE_MANAGED
      TemplateURL: https://b.s3.amazonaws.com/{template}
      Parameters:
        - {{ParameterKey: TopicArn, ParameterValue: !Ref Topic}}
      StackInstancesGroup:
        - DeploymentTargets: {{Accounts: "{accounts}"}}
          Regions: [eu-west-1, eu-west-1]
"""
CHILD = """Parameters:
  TopicArn: {Type: String}
Resources:
  Queue: {Type: AWS::SQS::Queue}
"""


def test_a_stackset_value_from_its_own_resources_is_known_when_it_deploys(tmp_path):
    """The review: a value passed by Ref was dropped, and the child said it "needs a value"."""
    (tmp_path / "set.yaml").write_text(SET.format(template="child.yaml", accounts="123456789012"))
    (tmp_path / "child.yaml").write_text(CHILD)
    found = footprint(dry_run(tmp_path / "set.yaml", {}, "eu-west-1"))
    assert [(name, region) for name, region, _ in found.instances] == [("Set", "eu-west-1")]
    # Accounts written as one string is no list of accounts: none is named.
    assert found.stack_sets == (("Set", "child.yaml", "no account named", ("eu-west-1",)),)


def test_a_template_that_contains_itself_is_refused_not_followed_forever(tmp_path):
    (tmp_path / "self.yaml").write_text(SET.format(template="self.yaml", accounts="1"))
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "self.yaml", {}, "eu-west-1")
    assert refused.value.problems == [
        "self.yaml > Set: self.yaml is a template this stack is already in: a stack that "
        "contains itself never finishes creating"
    ]


def test_a_stackset_in_a_nested_stack_is_described_and_counted(tmp_path):
    (tmp_path / "set.yaml").write_text(SET.format(template="child.yaml", accounts="1"))
    (tmp_path / "child.yaml").write_text(CHILD)
    (tmp_path / "parent.yaml").write_text(
        "Resources:\n  Rollout:\n    Type: AWS::CloudFormation::Stack\n"
        "    Properties: {TemplateURL: https://b.s3.amazonaws.com/set.yaml}\n"
    )
    found = footprint(dry_run(tmp_path / "parent.yaml", {}, "eu-west-1"))
    assert [(name, region) for name, region, _ in found.instances] == [("Rollout/Set", "eu-west-1")]
    assert [s[0] for s in found.stack_sets] == ["Rollout/Set"]


def test_one_bucket_for_every_region_is_named_once(tmp_path):
    (tmp_path / "set.yaml").write_text(
        SET.format(template="child.yaml", accounts="1")
        .replace("[eu-west-1, eu-west-1]", "[eu-west-1, us-east-1]")
        # Self-managed: a service-managed StackSet deploys no nested stacks (refused above).
        .replace("SERVICE_MANAGED", "SELF_MANAGED")
    )
    (tmp_path / "child.yaml").write_text(
        CHILD
        + "  Inner:\n    Type: AWS::CloudFormation::Stack\n"
        + "    Properties: {TemplateURL: https://one-bucket.s3.amazonaws.com/inner.yaml}\n"
    )
    (tmp_path / "inner.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    lines = describe(footprint(dry_run(tmp_path / "set.yaml", {}, "eu-west-1")))
    assert (
        "Set's stack in each account, in eu-west-1 and us-east-1 (child.yaml, templates from "
        "one-bucket):"
    ) in lines


def test_a_nested_stack_of_its_own_template_is_refused(tmp_path):
    """Before the review it recursed until Python gave up (RecursionError)."""
    (tmp_path / "loop.yaml").write_text(
        "Resources:\n  Again:\n    Type: AWS::CloudFormation::Stack\n"
        "    Properties: {TemplateURL: https://b.s3.amazonaws.com/loop.yaml}\n"
    )
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "loop.yaml", {})
    assert refused.value.problems == [
        "loop.yaml > Again: loop.yaml is a template this stack is already in: a stack that "
        "contains itself never finishes creating"
    ]


def test_a_catalog_product_says_what_it_launches_and_that_it_is_not_counted():
    """validate catalog.yaml said $0.00 a month and nothing of the stacks users launch."""
    values = {"PrincipalArn": "arn:aws:iam::123456789012:role/dev", "TemplateBucketName": "bkt"}
    found = footprint(dry_run(SHIPPED / "catalog.yaml", values))
    assert found.catalog_products == (("Product", "root.yaml"),)
    assert describe(found)[0] == (
        "Service Catalog product Product: launches root.yaml, a stack of its own each time, with "
        "the values given then (not counted here: validate that template with them)"
    )


CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def test_a_certificate_of_another_region_is_refused():
    """A newcomer's trial: accepted, and the listener would fail to create (ACM certificates
    are regional: ACM User Guide, "Supported Regions")."""
    with pytest.raises(DryRunFailed) as refused:
        dry_run(ROOT, {**LAUNCH, "CertificateArn": CERTIFICATE})
    assert refused.value.problems == [
        "root.yaml > ServiceStack (service.yaml): parameter CertificateArn: the certificate is "
        "in eu-west-1, not us-east-1, the stack's region: a load balancer takes an ACM "
        "certificate of its own region (request or import one in us-east-1) (no region was "
        "given: us-east-1 is the default)"
    ]
    dry_run(ROOT, {**LAUNCH, "CertificateArn": CERTIFICATE}, "eu-west-1")  # its own region


def test_an_alarm_topic_of_another_region_is_refused():
    """A review: accepted, and CloudWatch refuses the alarm when the stack creates it
    ("ValidationError: Invalid region ca-central-1 specified. Only us-west-2 is supported.",
    cds-snc/notification-terraform#128; "Cloudwatch alarms cannot communicate across regions",
    cds-snc/covid-alert-portal#333)."""
    topic = "arn:aws:sns:eu-west-1:123456789012:ops"
    with pytest.raises(DryRunFailed) as refused:
        dry_run(ROOT, {**LAUNCH, "AlarmTopicArn": topic}, "us-west-2")
    assert refused.value.problems == [
        "root.yaml > ServiceStack (service.yaml): parameter AlarmTopicArn: the topic is in "
        "eu-west-1, not us-west-2, the stack's region: CloudWatch alarms notify a topic of their "
        "own region only (create one in us-west-2; it may deliver to queues and functions of "
        "other regions)"
    ]
    dry_run(ROOT, {**LAUNCH, "AlarmTopicArn": topic}, "eu-west-1")  # its own region


CANARY = {"DeploymentStrategy": "CANARY"}
LINEAR_3 = {"DeploymentStrategy": "LINEAR", "LinearStepPercent": "3"}


@pytest.mark.parametrize(
    ("values", "refused"),
    [
        ({**CANARY, "CanaryBakeTimeMinutes": "1440"}, None),  # 10 + 1440
        ({**CANARY, "DeploymentBakeTimeMinutes": "1440", "CanaryBakeTimeMinutes": "540"}, None),
        (
            {**CANARY, "DeploymentBakeTimeMinutes": "1440", "CanaryBakeTimeMinutes": "541"},
            "parameters DeploymentBakeTimeMinutes, CanaryBakeTimeMinutes: a CANARY deployment "
            "would wait 1981 minutes",
        ),
        # 3 % steps: 33 shifts, each followed by a bake (limits.linear_steps): 10 + 33 * 60.
        (
            {**LINEAR_3, "LinearStepBakeTimeMinutes": "60"},
            "parameters DeploymentBakeTimeMinutes, LinearStepBakeTimeMinutes, LinearStepPercent: "
            "a LINEAR deployment would wait 1990 minutes",
        ),
        ({**LINEAR_3, "LinearStepBakeTimeMinutes": "59"}, None),  # 1957
        ({"DeploymentStrategy": "BLUE_GREEN", "DeploymentBakeTimeMinutes": "1440"}, None),
    ],
)
def test_a_deployment_longer_than_33_hours_is_refused(values, refused):
    """A review: each bake time is within ECS's 0-1440, and their sum is not checked by any rule
    (rules cannot add): "CloudFormation rejects deployments when the calculated deployment time
    exceeds 33 hours" (AWS::ECS::Service CanaryConfiguration and LinearConfiguration,
    CloudFormation Template Reference). The build checks a spec's defaults the same way."""
    if refused is None:
        dry_run(ROOT, {**LAUNCH, **values})
        return
    with pytest.raises(DryRunFailed) as failed:
        dry_run(ROOT, {**LAUNCH, **values})
    assert failed.value.problems == [
        f"root.yaml > ServiceStack (service.yaml): {refused} in all; CloudFormation refuses one "
        "longer than 1980 minutes (33 hours) when it creates or updates the service: shorten "
        "the bake times"
    ]


def test_a_linear_deployment_without_a_step_percent_is_not_counted_in_one_percent_steps(
    tmp_path,
):
    # LinearConfiguration's stepPercent: "Valid values are multiples of 0.1 from 3.0 to 100.0.
    # The default value is 10.0"
    # (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html):
    # 9 steps of 200 minutes wait 1800, under the 33 hours (1980 minutes) CloudFormation takes.
    template = _write(
        tmp_path / "t.yaml",
        "Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      DeploymentConfiguration:\n        Strategy: LINEAR\n"
        "        BakeTimeInMinutes: 0\n"
        "        LinearConfiguration: {StepBakeTimeInMinutes: 200}\n",
    )
    assert set(dry_run(template, {}).resources) == {"Service"}


def test_a_linear_deployment_without_a_step_percent_is_counted_in_ecs_default_steps(tmp_path):
    """ECS shifts 10 % a step when the template gives no StepPercent ("The default value is
    10.0", https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html):
    9 steps of 300 minutes wait 2700, past the 33 hours CloudFormation takes and the 36 hours
    after which its operations "time out" (AWS::ECS::Service LinearConfiguration, Template
    Reference). Counted as one step of 100 %, it passed."""
    template = _write(
        tmp_path / "t.yaml",
        "Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      DeploymentConfiguration:\n        Strategy: LINEAR\n"
        "        BakeTimeInMinutes: 0\n"
        "        LinearConfiguration: {StepBakeTimeInMinutes: 300}\n",
    )
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {})
    assert failed.value.problems == [
        "t.yaml: Service: a LINEAR deployment would wait 2700 minutes in all (with the "
        "defaults for what the template leaves out: StepPercent 10); CloudFormation refuses one "
        "longer than 1980 minutes (33 hours) when it creates or updates the service, or gives up "
        "on it after 36 hours: shorten the bake times"
    ]
    # 9 steps of 230 wait 2070: past the 33 hours, not the 36 at which CloudFormation's
    # operations "time out", so the refusal hangs on its count taking ECS's default.
    _write(template, template.read_text(encoding="utf-8").replace(": 300}", ": 230}"))
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {})
    assert failed.value.problems == [
        "t.yaml: Service: a LINEAR deployment would wait 2070 minutes in all (with the "
        "defaults for what the template leaves out: StepPercent 10); CloudFormation refuses one "
        "longer than 1980 minutes (33 hours) when it creates or updates the service, if its "
        "count takes ECS's defaults: shorten the bake times"
    ]
    _write(template, template.read_text(encoding="utf-8").replace(": 230}", ": 300}"))
    # A StepPercent given is the one counted: 4 steps of 300 (20 %) wait 1200.
    _write(
        template,
        template.read_text(encoding="utf-8").replace(
            "{StepBakeTimeInMinutes: 300}", "{StepBakeTimeInMinutes: 300, StepPercent: 20}"
        ),
    )
    assert set(dry_run(template, {}).resources) == {"Service"}


def test_a_deployment_without_a_bake_time_is_counted_with_the_15_minutes_cloudformation_sets(
    tmp_path,
):
    """BakeTimeInMinutes left out is not 0: "The following rules apply when you don't specify a
    value: For blue/green, linear, and canary deployments, the value is set to 15 minutes"
    (AWS::ECS::Service DeploymentConfiguration, BakeTimeInMinutes,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-deploymentconfiguration.html).
    9 steps of 220 minutes (StepPercent 10) wait 1980, and 15 more: 1995, past the 33 hours
    (1980 minutes). Counted as 0, it passed."""
    template = _write(
        tmp_path / "t.yaml",
        "Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      DeploymentConfiguration:\n        Strategy: LINEAR\n"
        "        LinearConfiguration: {StepBakeTimeInMinutes: 220, StepPercent: 10}\n",
    )
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, {})
    (problem,) = failed.value.problems
    assert problem.startswith(
        "t.yaml: Service: a LINEAR deployment would wait 1995 minutes in all (with the "
        "defaults for what the template leaves out: BakeTimeInMinutes 15); CloudFormation "
        "refuses one longer than 1980 minutes (33 hours) when it creates or updates the "
        "service: shorten the bake times"
    ), problem
    # A bake time given is the one counted: 0 and 9 steps of 220 are 1980, which it takes.
    _write(
        template,
        template.read_text(encoding="utf-8").replace(
            "        LinearConfiguration:",
            "        BakeTimeInMinutes: 0\n        LinearConfiguration:",
        ),
    )
    assert set(dry_run(template, {}).resources) == {"Service"}


_LISTENER = """\
Parameters:
  Proto: {Type: String, Default: HTTP, AllowedValues: [HTTP, HTTPS]}
  Cert: {Type: String, Default: ""}
Conditions:
  HasCert: !Not [!Equals [!Ref Cert, ""]]
Resources:
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]}
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Port: 80, Protocol: HTTP, VpcId: vpc-0123456789abcdef0, TargetType: ip}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Lb
      Port: 443
      Protocol: !Ref Proto
      Certificates: CERTIFICATES
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]
"""
_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/1"


@pytest.mark.parametrize(
    ("certificates", "values", "refused"),
    [
        ("[]", {}, None),  # HTTP: no certificate needed
        ("[]", {"Proto": "HTTPS"}, "parameter Proto: the HTTPS listener Listener has no"),
        ("[{CertificateArn: !Ref Cert}]", {"Proto": "HTTPS", "Cert": _ARN}, None),
        (
            "[{CertificateArn: !Ref Cert}]",
            {"Proto": "HTTPS", "Cert": ""},
            "parameters Proto and Cert: the HTTPS listener Listener has no",
        ),
        (
            f"[{{CertificateArn: {_ARN}}}, {{CertificateArn: {_ARN}2}}]",
            {"Proto": "HTTPS"},
            "parameter Proto: the HTTPS listener Listener has 2",
        ),
        # A certificate without its ARN is none ("Set CertificateArn to the certificate ARN"):
        # written so, or left so by an Fn::If's AWS::NoValue.
        ("[{}]", {"Proto": "HTTPS"}, "parameter Proto: the HTTPS listener Listener has no"),
        (
            "[{CertificateArn: !If [HasCert, !Ref Cert, !Ref AWS::NoValue]}]",
            {"Proto": "HTTPS"},
            "parameters Proto and Cert: the HTTPS listener Listener has no",
        ),
        # Two certificates besides an empty one: the empty one is not why there are two.
        (
            f"[{{CertificateArn: !Ref Cert}}, {{CertificateArn: {_ARN}}}, "
            f"{{CertificateArn: {_ARN}2}}]",
            {"Proto": "HTTPS", "Cert": ""},
            "parameter Proto: the HTTPS listener Listener has 2",
        ),
    ],
)
def test_an_https_listener_needs_exactly_one_certificate(tmp_path, certificates, values, refused):
    """ "You must provide exactly one certificate if the listener protocol is HTTPS or TLS"
    (AWS::ElasticLoadBalancingV2::Listener, Certificates,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listener.html),
    and a certificate is its ARN: "You must provide exactly one certificate. Set CertificateArn
    to the certificate ARN" (Elastic Load Balancing API, ModifyListener's Certificates, as
    CreateListener's;
    https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/elasticloadbalancingv2/aws.sdk.kotlin.services.elasticloadbalancingv2.model/-modify-listener-request/certificates.html).
    cfn-lint's E3676 asks only for a Certificates key, of a Protocol written in the template
    (cfn-lint passes a written HTTPS with [] or with two); one a parameter gives passed
    validate ("CloudFormation would accept these values") and failed the stack."""
    template = _write(tmp_path / "t.yaml", _LISTENER.replace("CERTIFICATES", certificates))
    if refused is None:
        assert "Listener" in dry_run(template, values).resources
        return
    with pytest.raises(DryRunFailed) as failed:
        dry_run(template, values)
    (problem,) = failed.value.problems
    assert problem.startswith(f"t.yaml: {refused} certificate" + "s" * ("2" in refused) + ";")
    assert problem.endswith(
        "; Elastic Load Balancing takes exactly one for an HTTPS or TLS listener"
        + " (more go in an AWS::ElasticLoadBalancingV2::ListenerCertificate)" * ("2" in refused)
        + ": the stack would fail creating Listener"
    ), problem


def test_a_resource_type_the_region_does_not_have_is_refused(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  B: {Type: AWS::S3::Buckett}\n"
        "  P: {Type: AWS::ServiceCatalog::Portfolio,\n"
        "      Properties: {DisplayName: x, ProviderName: y}}\n"
        "  C: {Type: Custom::Mine, Properties: {ServiceToken: arn}}\n"
    )
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "t.yaml", {}, "mx-central-1")
    assert refused.value.problems == [
        "t.yaml: B: AWS::S3::Buckett is no resource type (did you mean AWS::S3::Bucket?): "
        'CloudFormation refuses the template ("Unrecognized resource types")',
        "t.yaml: P: AWS::ServiceCatalog::Portfolio is not available in mx-central-1: "
        'CloudFormation refuses the template ("Unrecognized resource types")',
    ]


def test_without_nat_an_image_or_secret_of_another_region_is_unreachable(tmp_path):
    """A newcomer's trial: an image in eu-west-1's ECR for a stack in us-east-1 with VPC
    endpoints only got no note; the endpoints are the stack's own region's."""
    folder = built(tmp_path, WORKER_CALLING_AWS)  # its secret is in eu-west-1
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"
    no_nat = {**LAUNCH, "NatGateways": "None", "VpcEndpoints": "true", "ContainerImage": image}
    found = footprint(dry_run(folder / "root.yaml", no_nat, "us-east-1"))
    others = [u for u in found.unreachable if " in " in u[1]]
    assert others == [
        ("ServiceStack/Service", "ecr in eu-west-1", "image"),
        ("ServiceStack/Service", "secretsmanager in eu-west-1", "secrets"),
    ]
    assert (
        "unreachable from ServiceStack/Service: ecr in eu-west-1 (its image), with no NAT "
        "gateway and no VPC endpoint to that region (the network's are its own region's): those "
        "calls time out. Use a NAT gateway, or keep the image in the stack's region"
    ) in describe(found)
    # In the image's own region, or with a NAT gateway, or with no region given: no note.
    assert not [
        u for u in footprint(dry_run(folder / "root.yaml", no_nat)).unreachable if " in " in u[1]
    ]
    assert not [
        u
        for u in footprint(dry_run(folder / "root.yaml", no_nat, "eu-west-1")).unreachable
        if " in " in u[1]
    ]
    nat = {**no_nat, "NatGateways": "Single"}
    assert footprint(dry_run(folder / "root.yaml", nat, "us-east-1")).unreachable == ()


# What every S3 bucket of the shipped templates is, the same in each: "If you don't specify a
# name, AWS CloudFormation generates a unique ID and uses that ID for the bucket name"
# (AWS::S3::Bucket, BucketName,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html).
PRIVATE_BUCKET = (
    "named by CloudFormation, versioned, encrypted (SSE-S3), public access blocked, TLS only"
)


def test_the_summary_describes_the_template_bucket(capsys):
    """An audit: ``validate bucket.yaml`` printed only "2 resources in 1 stack", nothing of the
    bucket it creates, where other templates get a line per thing they deploy. Its line says
    what the bucket and its policy say: who reads (this account, and with OrganizationId the
    organization's accounts, through aws:PrincipalOrgID), who writes (with PublisherArn that
    principal alone: every other is denied), and its name (generated when BucketName is
    empty)."""
    assert cli.main(["validate", str(SHIPPED / "bucket.yaml")]) == 0
    assert capsys.readouterr().out.splitlines()[1:3] == [
        f"  S3 bucket TemplateBucket: {PRIVATE_BUCKET}; read and written by this account; "
        "replaced versions deleted after 365 days; kept when the stack is deleted",
        "  2 resources in 1 stack",
    ]
    values = {
        "BucketName": "my-templates-eu-west-1",
        "OrganizationId": "o-abcdefghij",
        "PublisherArn": "arn:aws:iam::123456789012:role/template-publisher",
        "NoncurrentVersionDays": "30",
    }
    found = footprint(dry_run(SHIPPED / "bucket.yaml", values))
    assert found.bucket_settings == (
        (
            "TemplateBucket",
            "named my-templates-eu-west-1, versioned, encrypted (SSE-S3), public access "
            "blocked, TLS only; read by this account and the accounts of organization "
            "o-abcdefghij; written by arn:aws:iam::123456789012:role/template-publisher alone; "
            "replaced versions deleted after 30 days; kept when the stack is deleted",
        ),
    )
    assert f"S3 bucket TemplateBucket: {found.bucket_settings[0][1]}" in describe(found)


@pytest.mark.parametrize("region", ["us-east-1", "il-central-1"])
def test_the_summary_describes_an_access_log_bucket_as_it_does_the_template_bucket(region):
    """The access-log bucket of a service that makes its own load balancer gets the same line
    (an environment's too): Elastic Load Balancing writes the logs, from a regional account in
    regions opened before August 2022 and as logdelivery.elasticloadbalancing.amazonaws.com
    in newer ones (Elastic Load Balancing User Guide, "Enable access logs for your Application
    Load Balancer", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html),
    named alike in both so that a StackSet's regions are described once; a network load
    balancer's come through delivery.logs.amazonaws.com."""
    stack = dry_run(ROOT, LAUNCH, region)
    assert dict(footprint(stack).bucket_settings) == {
        "ServiceStack/AccessLogsBucket": f"{PRIVATE_BUCKET}; read by this account; written by "
        "this account, Elastic Load Balancing and AWS log delivery; objects deleted after 365 "
        "days, replaced versions deleted after 1 day; kept when the stack is deleted"
    }
    longer = footprint(dry_run(ROOT, {**LAUNCH, "LogRetentionDays": "731"}, region))
    assert "objects deleted after 731 days" in longer.bucket_settings[0][1]
    # An environment's load balancer is an application one: Elastic Load Balancing alone.
    subnets = "subnet-0123456789abcdef0,subnet-0123456789abcdef1"
    values = {"VpcId": "vpc-0123456789abcdef0", "PublicSubnetIds": subnets}
    environment = footprint(dry_run(SHIPPED / "environment.yaml", values, region))
    assert dict(environment.bucket_settings) == {
        "AccessLogsBucket": f"{PRIVATE_BUCKET}; read by this account; written by this account "
        "and Elastic Load Balancing; objects deleted after 365 days, replaced versions deleted "
        "after 1 day; kept when the stack is deleted"
    }


def test_a_bucket_of_your_own_is_described_by_what_its_template_leaves_to_s3(tmp_path):
    """A bucket that sets nothing: S3 encrypts it ("Amazon S3 now applies server-side
    encryption with Amazon S3 managed keys (SSE-S3) as the base level of encryption for every
    bucket", Amazon S3 User Guide,
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html) and
    blocks public access ("all newly created buckets in the Region will by default have S3
    Block Public Access enabled", also from "AWS CloudFormation templates": AWS News Blog,
    https://aws.amazon.com/blogs/aws/heads-up-amazon-s3-security-changes-are-coming-in-april-of-2023/).
    A policy that lets anyone read, or turns a block off, is said as it is."""
    template = tmp_path / "own.yaml"
    template.write_text(
        "Resources:\n"
        "  Plain:\n    Type: AWS::S3::Bucket\n"
        "  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        "      BucketName: my-site\n"
        "      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n"
        "          - ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms'}\n"
        "      PublicAccessBlockConfiguration: {BlockPublicPolicy: false,"
        " RestrictPublicBuckets: false, BlockPublicAcls: true, IgnorePublicAcls: true}\n"
        "  SitePolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n"
        "      Bucket: !Ref Site\n      PolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: '*', Action: 's3:GetObject',"
        " Resource: !Sub '${Site.Arn}/*'}\n"
    )
    assert dict(footprint(dry_run(template, {})).bucket_settings) == {
        "Plain": "named by CloudFormation, not versioned, encrypted (SSE-S3, S3's default), "
        "public access blocked (S3's default); read and written by this account",
        "Site": "named my-site, not versioned, encrypted (SSE-KMS), public access not blocked "
        "(BlockPublicPolicy, RestrictPublicBuckets off); read by this account and anyone; "
        "written by this account",
    }


def test_a_bucket_named_by_another_resource_is_not_said_to_be_named_by_cloudformation(tmp_path):
    """A review: a BucketName of another resource's attribute (known only when the stack is
    created) was said to be "named by CloudFormation", which only an absent name is."""
    template = tmp_path / "own.yaml"
    template.write_text(
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
        "  Named:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        "      BucketName: !Join ['-', [logs, !GetAtt Topic.TopicName]]\n"
    )
    (line,) = dict(footprint(dry_run(template, {})).bucket_settings).values()
    assert line.startswith("named when the stack is created (by the template), not versioned")


def test_a_stack_without_monitoring_has_no_monitoring_line():
    """A newcomer's trial: bucket.yaml's summary said "monitoring: 0 alarms, 0 dashboards, 0 log
    groups", noise for a stack that has none."""
    lines = describe(footprint(dry_run(SHIPPED / "bucket.yaml", {"BucketName": "my-templates"})))
    # Its bucket's line: test_the_summary_describes_the_template_bucket.
    assert [line for line in lines if not line.startswith("S3 bucket ")] == [
        "2 resources in 1 stack"
    ]


def test_a_transform_s_types_are_not_checked_and_a_serverless_type_without_it_is_told(tmp_path):
    body = "Resources:\n  F: {Type: AWS::Serverless::Function, Properties: {}}\n"
    (tmp_path / "sam.yaml").write_text("Transform: AWS::Serverless-2016-10-31\n" + body)
    dry_run(tmp_path / "sam.yaml", {}, "eu-west-1")  # the transform makes its own types
    (tmp_path / "plain.yaml").write_text(body)
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "plain.yaml", {}, "eu-west-1")
    assert refused.value.problems == [
        "plain.yaml: F: AWS::Serverless::Function needs the template's Transform: "
        'AWS::Serverless-2016-10-31: CloudFormation refuses the template ("Unrecognized '
        'resource types")'
    ]


def test_a_name_a_transform_makes_is_no_unresolved_dependency(tmp_path):
    """A user's SAM template: validate refused it with "Unresolved resource dependencies
    [ServerlessHttpApi] in the Outputs block", the implicit HTTP API SAM makes of a function's
    HttpApi event. "SAM will collect all implicit HTTP APIs from all Functions in the template
    ... and create an implicit AWS::Serverless::HttpApi" (aws/serverless-application-model,
    docs/internals/generated_resources.rst), whose logical ID is ServerlessHttpApi
    (samtranslator's GeneratedLogicalId.implicit_http_api); and "Referenceable property:
    <httpapi-LogicalId>.Stage"
    (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-httpapi.html)."""
    sam = tmp_path / "sam.yaml"
    sam.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  F:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Events: {Api: {Type: HttpApi, Properties: {Path: /, Method: get}}}\n"
        "Outputs:\n"
        "  Url: {Value: !Sub 'https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com/'}\n"
        "  Role: {Value: !GetAtt FRole.Arn}\n"
    )
    assert list(dry_run(sam, {}, "eu-west-1").resources) == ["F"]
    # Without the transform, the same names are unresolved, as CloudFormation says.
    (tmp_path / "plain.yaml").write_text(
        "Resources:\n  T: {Type: AWS::SNS::Topic}\n"
        "Outputs:\n  Url: {Value: !Ref ServerlessHttpApi}\n"
    )
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "plain.yaml", {}, "eu-west-1")
    assert refused.value.problems == [
        "plain.yaml: Template format error: Unresolved resource dependencies "
        "[ServerlessHttpApi] in the Outputs block of the template"
    ]


def test_a_type_of_other_regions_only_is_said_to_be_unavailable_here(tmp_path):
    """The review: a type absent from us-east-1 but present elsewhere was called no type."""
    from troposphere_fargate.cfn.dry_run import _resource_types

    everywhere, here = _resource_types("*"), _resource_types("us-east-1")
    assert everywhere and here
    kind = sorted(k for k in everywhere - here if k.startswith("AWS::"))[0]
    (tmp_path / "t.yaml").write_text(f"Resources:\n  R: {{Type: {kind}}}\n")
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "t.yaml", {}, "us-east-1")
    assert refused.value.problems[0].startswith(f"t.yaml: R: {kind} is not available in us-east-1")


def test_validate_and_cost_take_a_spec_instead_of_a_template(tmp_path, capsys):
    """A spec trial: `cost --spec` was an unrecognized argument, and a price meant a build
    first. The spec's root is built in a temporary folder and dry-run as it is."""
    spec = tmp_path / "app.yaml"
    spec.write_text("services:\n  web:\n    cpu: 512\n    memory: 1024\n")
    values = [f"{k}={v}" for k, v in LAUNCH.items()]
    assert cli.main(["cost", "--spec", str(spec), *values]) == 0
    out = capsys.readouterr().out
    assert "Fargate vCPU (ServiceStack/Service)    2 x 0.5 vCPU" in out
    # A pair before the option is a value, not a template.
    assert cli.main(["validate", values[0], "--spec", str(spec), *values[1:]]) == 0
    assert capsys.readouterr().out.startswith("root.yaml: CloudFormation would accept")
    assert list(tmp_path.iterdir()) == [spec]  # nothing left where the spec is
    for argv, says in (
        (["validate"], "the following arguments are required: TEMPLATE (or --spec FILE)"),
        (["cost", str(ROOT), "--spec", str(spec)], "give a TEMPLATE or --spec, not both"),
    ):
        with pytest.raises(SystemExit):
            cli.main(argv)
        assert says in capsys.readouterr().err


def test_a_template_whose_name_has_an_equals_sign_is_a_template_not_a_value(tmp_path, capsys):
    """A word with "=" that names a file is the template: with --spec too, that is one too
    many (it was taken for a value and the spec's root checked without a word about it)."""
    template = tmp_path / "web=1.yaml"
    template.write_bytes(ROOT.read_bytes())
    spec = tmp_path / "app.yaml"
    spec.write_text("services:\n  web: {port: 8080}\n")
    with pytest.raises(SystemExit):
        cli.main(["validate", "--spec", str(spec), str(template)])
    assert f"give a TEMPLATE or --spec, not both ({template} and --spec {spec})" in (
        capsys.readouterr().err
    )


def test_validate_refuses_a_domain_longer_than_acm_takes_for_the_certificate_it_requests():
    """The shipped environment.yaml takes a DomainName of any length (with CertificateArn a
    longer one is fine: no certificate is requested), and requests a certificate for it
    otherwise; "The length of the domain name ... cannot exceed 64 octets (characters),
    including periods" (ACM API Reference, RequestCertificate,
    https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html), so the
    stack failed at the certificate while validate had said it would be accepted."""
    environment = SHIPPED / "environment.yaml"
    required = {"VpcId": "vpc-0123abcd", "PublicSubnetIds": "subnet-0aaa1111,subnet-0bbb2222"}
    long = "a" * 40 + "." + "b" * 20 + ".example.com"  # 73 characters
    domain = {**required, "DomainName": long, "HostedZoneId": "Z0123456789ABCDEFGHIJ"}
    with pytest.raises(DryRunFailed) as refused:
        dry_run(environment, domain)
    assert refused.value.problems == [
        f"environment.yaml: parameter DomainName: {long} is 73 characters, and ACM takes a "
        "certificate's domain name of 64 at most: the stack would fail creating Certificate; "
        "give CertificateArn (a certificate of your own that covers it) or a shorter domain"
    ]
    certificate = (
        "arn:aws:acm:us-east-1:123456789012:certificate/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
    )
    dry_run(environment, {**domain, "CertificateArn": certificate})  # none is requested
    dry_run(environment, {**domain, "DomainName": "a" * 52 + ".example.com"})  # 64: taken


def test_the_summary_says_what_each_listener_does_besides_forwarding():
    """With a certificate, port 80 only redirects, and with StrictTransportSecurityMaxAge above
    0 the HTTPS listeners send Strict-Transport-Security: the summary said "HTTP 80, HTTPS 443"
    either way, so whether browsers would be told to keep to HTTPS (for max-age seconds) showed
    nowhere before launching. The header comes from the listener attribute
    "routing.http.response.strict_transport_security.header_value" (Elastic Load Balancing User
    Guide, "HTTP header modification for your Application Load Balancer",
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html)."""
    certificate = (
        "arn:aws:acm:us-east-1:123456789012:certificate/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
    )
    https = {**LAUNCH, "CertificateArn": certificate}
    assert footprint(dry_run(ROOT, LAUNCH)).listeners == ["HTTP 80"]
    assert footprint(dry_run(ROOT, https)).listeners == [
        "HTTP 80 (redirects to HTTPS)",
        "HTTPS 443",
    ]
    hsts = {**https, "StrictTransportSecurityMaxAge": "31536000"}
    assert (
        "listeners: HTTP 80 (redirects to HTTPS), HTTPS 443 (sends Strict-Transport-Security: "
        "max-age=31536000)"
    ) in describe(footprint(dry_run(ROOT, hsts)))
    environment = {
        "VpcId": "vpc-0123abcd",
        "PublicSubnetIds": "subnet-0aaa1111,subnet-0bbb2222",
        "CertificateArn": certificate,
        "StrictTransportSecurityMaxAge": "300",
    }
    assert footprint(dry_run(SHIPPED / "environment.yaml", environment)).listeners == [
        "HTTP 80 (redirects to HTTPS)",
        "HTTPS 443 (sends Strict-Transport-Security: max-age=300)",
    ]


def test_a_listener_attribute_that_is_no_mapping_is_left_out_of_the_summary(tmp_path):
    """A review: ``ListenerAttributes: [routing.http.response.server.enabled]`` was an
    AttributeError traceback in validate's summary."""
    template = tmp_path / "odd.yaml"
    template.write_text(
        "Resources:\n"
        "  LoadBalancer: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: "
        "{Subnets: [subnet-1, subnet-2]}}\n"
        "  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n"
        "      LoadBalancerArn: !Ref LoadBalancer\n      Port: 80\n      Protocol: HTTP\n"
        "      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]\n"
        "      ListenerAttributes: [routing.http.response.server.enabled]\n"
    )
    assert footprint(dry_run(template, {})).listeners == ["HTTP 80"]


def test_a_condition_on_a_stored_parameter_s_value_is_not_decided_offline(tmp_path):
    """A review: a condition comparing an AWS::SSM::Parameter::Value<String> parameter was
    decided on the Parameter Store name given (/app/env is not prod), and the summary and the
    cost left out the NAT gateway under it. CloudFormation compares the value stored under
    the name, resolved as the stack is created (API Reference, Parameter, ResolvedValue), as
    the rules above: the dry run says it cannot decide, in one line."""
    template = _write(
        tmp_path / "ssm.yaml",
        "Parameters:\n  Env:\n    Type: AWS::SSM::Parameter::Value<String>\n"
        "    Default: /app/env\n"
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
        "Resources:\n  Eip:\n    Type: AWS::EC2::EIP\n    Condition: IsProd\n"
        "  Topic: {Type: AWS::SNS::Topic}\n",
    )
    with pytest.raises(DryRunFailed) as refused:
        dry_run(template, {})
    assert refused.value.problems == [
        "ssm.yaml: condition IsProd depends on parameter Env, of type "
        "AWS::SSM::Parameter::Value<String>: CloudFormation reads the value stored under the "
        "name given only as it creates the stack, so the dry run cannot decide which resources "
        "this stack creates"
    ]
    with pytest.raises(DryRunFailed):  # the name given is no value either
        dry_run(template, {"Env": "prod"})


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("Service", "NetworkConfiguration"), "s"),
        (("Service", "NetworkConfiguration", "AwsvpcConfiguration"), "s"),
        (("TaskDefinition", "ContainerDefinitions"), 5),
        (("Listener", "DefaultActions", 0, "FixedResponseConfig"), "s"),
        (("Bucket", "BucketEncryption"), "s"),
        (("Bucket", "BucketEncryption", "ServerSideEncryptionConfiguration"), 5),
        (("Bucket", "LifecycleConfiguration", "Rules"), 5),
        (("Bucket", "PublicAccessBlockConfiguration"), "s"),
        (("Bucket", "VersioningConfiguration"), "s"),
        (("BucketPolicy", "PolicyDocument"), "s"),
        (("BucketPolicy", "PolicyDocument", "Statement"), "s"),
        (("Cluster", "ClusterSettings"), "s"),
        (("Cluster", "ClusterSettings"), 5),
        (
            (
                "Scaling",
                "TargetTrackingScalingPolicyConfiguration",
                "PredefinedMetricSpecification",
                "PredefinedMetricType",
            ),
            ["x"],
        ),
    ],
)
def test_a_property_of_another_shape_than_its_schema_is_read_as_nothing(tmp_path, path, value):
    """A review's fuzzing put a text, a number or a list where a property's schema has a
    mapping or a list: validate and cost ended in AttributeError or TypeError tracebacks.
    cfn-lint and CloudFormation refuse such a template (`check` says where); the summary reads
    the value as nothing, and the dry run still runs."""
    resources: dict = {
        "Cluster": {
            "Type": "AWS::ECS::Cluster",
            "Properties": {"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]},
        },
        "Target": {
            "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
            "Properties": {
                "MinCapacity": 1,
                "MaxCapacity": 2,
                "ResourceId": "service/x/y",
                "ScalableDimension": "ecs:service:DesiredCount",
                "ServiceNamespace": "ecs",
            },
        },
        "Scaling": {
            "Type": "AWS::ApplicationAutoScaling::ScalingPolicy",
            "Properties": {
                "PolicyName": "cpu",
                "PolicyType": "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration": {
                    "TargetValue": 70,
                    "PredefinedMetricSpecification": {
                        "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
                    },
                },
            },
        },
        "TaskDefinition": {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "Cpu": "256",
                "Memory": "512",
                "ContainerDefinitions": [{"Name": "app", "Image": IMAGE}],
            },
        },
        "Service": {
            "Type": "AWS::ECS::Service",
            "Properties": {
                "Cluster": {"Ref": "Cluster"},
                "TaskDefinition": {"Ref": "TaskDefinition"},
                "DesiredCount": 1,
                "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-0123abcd"]}},
            },
        },
        "Balancer": {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {"Subnets": ["subnet-0123abcd", "subnet-4567abcd"]},
        },
        "Listener": {
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "LoadBalancerArn": {"Ref": "Balancer"},
                "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [
                    {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}
                ],
            },
        },
        "Bucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                },
                "LifecycleConfiguration": {
                    "Rules": [{"Status": "Enabled", "ExpirationInDays": 30}]
                },
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": True},
                "VersioningConfiguration": {"Status": "Enabled"},
            },
        },
        "BucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "Bucket"},
                "PolicyDocument": {
                    "Statement": [
                        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
                    ]
                },
            },
        },
    }
    node = resources[path[0]]["Properties"]
    for step in path[1:-1]:
        node = node[step]
    node[path[-1]] = value
    template = _write(tmp_path / "odd.json", json.dumps({"Resources": resources}))
    assert cli.main(["validate", str(template)]) == 0
    assert cli.main(["cost", str(template)]) == 0


def test_a_rule_on_a_stored_parameter_s_value_is_not_decided_offline(tmp_path):
    """An audit of templates of one's own: AWS CDK's CheckBootstrapVersion rule was judged on
    the Parameter Store name /cdk-bootstrap/hnb659fds/version as if it were the version, and a
    rule asserting the value ("6") refused the launch. A parameter of type
    AWS::SSM::Parameter::Value<...> takes a Parameter Store key, and CloudFormation resolves
    it to the stored value when the stack is created (its ResolvedValue: "The value that
    corresponds to a Systems Manager parameter key. This field is returned only for Systems
    Manager parameter types in the template", CloudFormation API Reference, Parameter,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html): a
    rule that reads it waits for the launch."""
    template = tmp_path / "cdk.yaml"
    template.write_text(
        "Parameters:\n  BootstrapVersion:\n    Type: AWS::SSM::Parameter::Value<String>\n"
        "    Default: /cdk-bootstrap/hnb659fds/version\n  Stage: {Type: String, Default: dev}\n"
        "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n"
        "Rules:\n"
        "  CheckBootstrapVersion:\n    Assertions:\n"
        "      - Assert: !Not [!Contains [['1', '2', '3', '4', '5'], !Ref BootstrapVersion]]\n"
        "        AssertDescription: CDK bootstrap stack version 6 required.\n"
        "  IsSix:\n    Assertions:\n      - Assert: !Equals [!Ref BootstrapVersion, '6']\n"
        "        AssertDescription: needs six\n"
        "  StageIsProd:\n    Assertions:\n      - Assert: !Equals [!Ref Stage, prod]\n"
        "        AssertDescription: only prod\n"
    )
    with pytest.raises(DryRunFailed) as refused:
        dry_run(template, {})
    # The rule on a plain parameter is still decided; those on the stored value wait.
    assert refused.value.problems == ["cdk.yaml: rule StageIsProd: only prod"]
    planned = dry_run(template, {"Stage": "prod"})
    assert planned.unchecked_rules == ["CheckBootstrapVersion", "IsSix"]


# Elastic Load Balancing evaluates a listener's rules "in priority order, from the lowest value
# to the highest value. The default rule is evaluated last" (Application Load Balancers guide,
# listener rules, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html);
# a condition's values are alternatives: "If you specify multiple strings, the condition is
# satisfied if one of the strings matches" (CloudFormation Template Reference,
# AWS::ElasticLoadBalancingV2::ListenerRule HostHeaderConfig,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-listenerrule-hostheaderconfig.html).
def _routes(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("route: ")]


def test_the_summary_says_how_requests_reach_each_service_of_an_environment(tmp_path):
    """A user trial: validate listed "listeners: HTTPS 443" and the services, and nothing of
    which path, host and priority reach which service: the values users choose."""
    spec = (
        "domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\n"
        "services:\n"
        "  web: {port: 8080, expose: public, routing: {path: /*, priority: 100}}\n"
        "  api:\n    port: 9000\n    expose: public\n    health_check_path: /v1/health\n"
        "    routing:\n"
        "      - {path: /v1/*, host: api.shop.example.com, priority: 10}\n"
        "      - {path: [/graphql, /graphql/*], host: api.shop.example.com, priority: 11}\n"
        "  orders: {port: 7000, expose: internal}\n"
        "  worker: {expose: none}\n"
    )
    folder = built(tmp_path, spec)
    values = {f"{name}ContainerImage": IMAGE for name in ("Web", "Api", "Orders", "Worker")}
    found = footprint(dry_run(folder / "root.yaml", {**values, "TemplateBucketName": "b-1"}))
    assert _routes(describe(found)) == [
        "route: HTTP 80, every request: redirected to HTTPS 443 (EnvironmentStack/HttpListener's "
        "default action)",
        "route: HTTPS 443, priority 10: path /v1/* and host api.shop.example.com to "
        "ApiServiceStack/Service (listener rule ApiServiceStack/ListenerRule)",
        "route: HTTPS 443, priority 11: path /graphql or /graphql/* and host "
        "api.shop.example.com to ApiServiceStack/Service (listener rule "
        "ApiServiceStack/ListenerRule11)",
        "route: HTTPS 443, priority 100: path /* to WebServiceStack/Service (listener rule "
        "WebServiceStack/ListenerRule)",
        "route: HTTPS 443, any other request: answered 404 (EnvironmentStack/HttpsListener's "
        "default action)",
        "route: orders:7000 through Service Connect: to OrdersServiceStack/Service",
    ]


def test_the_summary_routes_a_shipped_service_by_the_values_given():
    """service.yaml joining an environment: its listener rule as ListenerRulePath,
    ListenerRuleHost and ListenerRulePriority make it, on the listener of ListenerArn (another
    stack's: its port is not known here); a condition whose parameter is empty is not there,
    and an internal service is reached by its Service Connect name."""
    listener = (
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/env/"
        "0123456789abcdef/0123456789abcdef"
    )
    joining = {
        **STANDALONE,
        "ClusterName": "env-cluster",
        "EnvironmentSecurityGroupId": "sg-0def5678",
        "NamespaceArn": "arn:aws:servicediscovery:us-east-1:123456789012:namespace/"
        "ns-abcdefghijklmnop",
    }
    public = {
        **joining,
        "ListenerArn": listener,
        "LoadBalancerSecurityGroupId": "sg-0abc1234",
        "EnvironmentUrl": "https://shop.example.com",
        "ListenerRulePriority": "7",
        "ListenerRulePath": "/api/*",
    }
    service = SHIPPED / "service.yaml"
    assert _routes(describe(footprint(dry_run(service, public)))) == [
        f"route: the listener {listener} (another stack's), priority 7: path /api/* to Service "
        "(listener rule ListenerRule)"
    ]
    hosted = {**public, "ListenerRuleHost": "api.example.com"}
    assert _routes(describe(footprint(dry_run(service, hosted)))) == [
        f"route: the listener {listener} (another stack's), priority 7: path /api/* and host "
        "api.example.com to Service (listener rule ListenerRule)"
    ]
    internal = {**joining, "Expose": "internal", "ServiceConnectName": "orders"}
    assert _routes(describe(footprint(dry_run(service, internal)))) == [
        "route: orders:8080 through Service Connect: to Service"
    ]


def test_the_summary_routes_a_service_that_owns_its_listener():
    """root.yaml: the service's own load balancer forwards every request to it (the listener's
    default action); blue/green adds its production and test rules."""
    assert _routes(describe(footprint(dry_run(ROOT, LAUNCH)))) == [
        "route: HTTP 80, every request: to ServiceStack/Service (ServiceStack/HttpListener's "
        "default action)"
    ]
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
    blue_green = {**LAUNCH, "DeploymentStrategy": "BLUE_GREEN", "CertificateArn": arn}
    assert _routes(describe(footprint(dry_run(ROOT, blue_green)))) == [
        "route: HTTP 80, every request: redirected to HTTPS 443 (ServiceStack/HttpListener's "
        "default action)",
        "route: HTTPS 443, priority 1: path /* to ServiceStack/Service (weights: TargetGroup "
        "100, AlternateTargetGroup 0) (listener rule ServiceStack/ProductionListenerRule)",
        "route: HTTPS 443, any other request: to ServiceStack/Service "
        "(ServiceStack/HttpsListener's default action)",
    ]


# Copilot's environment (copilot/internal/pkg/deploy/cloudformation/stack/testdata/
# environments), cut down: a public and an internal application load balancer, each with an
# HTTP 80 and an HTTPS 443 listener, a listener rule on each HTTPS one.
TWO_LOAD_BALANCERS = """\
Parameters:
  PublicSubnets: {Type: 'List<AWS::EC2::Subnet::Id>'}
  PrivateSubnets: {Type: 'List<AWS::EC2::Subnet::Id>'}
Resources:
  PublicLoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internet-facing, Subnets: !Ref PublicSubnets}
  InternalLoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Subnets: !Ref PrivateSubnets}
  HTTPListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref PublicLoadBalancer
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: '443'}}]
  HTTPSListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref PublicLoadBalancer
      Port: 443
      Protocol: HTTPS
      Certificates: [{CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc}]
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '404'}}]
  InternalHTTPListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !GetAtt InternalLoadBalancer.LoadBalancerArn
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '404'}}]
  InternalHTTPSListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref InternalLoadBalancer
      Port: 443
      Protocol: HTTPS
      Certificates: [{CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/def}]
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '404'}}]
  PublicRule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref HTTPSListener
      Priority: 10
      Conditions: [{Field: path-pattern, Values: [/web/*]}]
      Actions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]
  InternalRule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref InternalHTTPSListener
      Priority: 10
      Conditions: [{Field: path-pattern, Values: [/api/*]}]
      Actions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]
"""
TWO_SUBNETS_EACH = {
    "PublicSubnets": "subnet-0aaa1111,subnet-0bbb2222",
    "PrivateSubnets": "subnet-0ccc3333,subnet-0ddd4444",
}


def test_of_several_load_balancers_each_listener_and_route_names_its_own(tmp_path):
    """A listener is its load balancer's, the one its LoadBalancerArn names ("A listener is a
    process that checks for connection requests, using the protocol and port that you
    configure", Elastic Load Balancing, Listeners for your Application Load Balancers,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html;
    "LoadBalancerArn: The Amazon Resource Name (ARN) of the load balancer",
    AWS::ElasticLoadBalancingV2::Listener). Of two load balancers with the same ports, the
    summary said "listeners: HTTP 80, HTTP 80 (redirects to HTTPS), HTTPS 443, HTTPS 443" and
    "route: HTTPS 443, priority 10" twice, without saying which load balancer."""
    template = _write(tmp_path / "environment.yml", TWO_LOAD_BALANCERS)
    lines = describe(footprint(dry_run(template, TWO_SUBNETS_EACH)))
    assert [line for line in lines if line.startswith(("load balancer", "listeners"))] == [
        "load balancer PublicLoadBalancer: application, internet-facing in 2 subnets",
        "load balancer InternalLoadBalancer: application, internal in 2 subnets",
        "listeners: HTTP 80 of InternalLoadBalancer, HTTP 80 of PublicLoadBalancer (redirects "
        "to HTTPS), HTTPS 443 of InternalLoadBalancer, HTTPS 443 of PublicLoadBalancer",
    ]
    assert _routes(lines) == [
        "route: HTTP 80 of PublicLoadBalancer, every request: redirected to HTTPS 443 "
        "(HTTPListener's default action)",
        "route: HTTPS 443 of PublicLoadBalancer, priority 10: path /web/* answered 200 "
        "(listener rule PublicRule)",
        "route: HTTPS 443 of PublicLoadBalancer, any other request: answered 404 "
        "(HTTPSListener's default action)",
        "route: HTTP 80 of InternalLoadBalancer, every request: answered 404 "
        "(InternalHTTPListener's default action)",
        "route: HTTPS 443 of InternalLoadBalancer, priority 10: path /api/* answered 200 "
        "(listener rule InternalRule)",
        "route: HTTPS 443 of InternalLoadBalancer, any other request: answered 404 "
        "(InternalHTTPSListener's default action)",
    ]
    # One load balancer's listeners need no name (the shipped templates' lines are unchanged).
    one = footprint(dry_run(SHIPPED / "service.yaml", STANDALONE))
    assert one.listeners == ["HTTP 80"]
    assert one.load_balancer_names == ("LoadBalancer",)
    assert "load balancer: application, internet-facing in 2 subnets" in describe(one)


def test_a_listener_of_another_stacks_load_balancer_beside_ones_own_names_it(tmp_path):
    """A listener on a load balancer given by ARN, beside the stack's own: two load balancers,
    the other one named by the name in its ARN (loadbalancer/app/<name>/<id>)."""
    other = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shared/0123abcd"
    template = _write(
        tmp_path / "own.yaml",
        "Resources:\n"
        "  Own:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Subnets: [subnet-0aaa1111, subnet-0bbb2222]}\n"
        "  OwnHttp:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n"
        "      {LoadBalancerArn: !Ref Own, Port: 80, Protocol: HTTP, DefaultActions: "
        "[{Type: fixed-response, FixedResponseConfig: {StatusCode: '404'}}]}\n"
        "  SharedHttp:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n"
        f"      {{LoadBalancerArn: '{other}', Port: 80, Protocol: HTTP, DefaultActions: "
        "[{Type: fixed-response, FixedResponseConfig: {StatusCode: '404'}}]}\n",
    )
    assert footprint(dry_run(template, {})).listeners == [
        "HTTP 80 of Own",
        "HTTP 80 of shared (another stack's)",
    ]


def test_zones_given_to_load_balancers_are_those_of_the_one_in_the_most_subnets(tmp_path):
    """ "You can specify only one subnet per Availability Zone" (Elastic Load Balancing API
    Reference, CreateLoadBalancer, Subnets,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html):
    a load balancer in 3 subnets is in 3 zones, so stacks with one are in 3 at least. The
    first load balancer's subnets were counted: a network load balancer in 1 subnet made it 1,
    an application load balancer in 3 beside it."""
    template = _write(
        tmp_path / "own.yaml",
        "Parameters:\n  Three: {Type: 'List<AWS::EC2::Subnet::Id>'}\n"
        "Resources:\n"
        "  Stream:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Type: network, Subnets: [subnet-0aaa1111]}\n"
        "  Web:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Subnets: !Ref Three}\n",
    )
    three = {"Three": "subnet-0bbb2222,subnet-0ccc3333,subnet-0ddd4444"}
    found = footprint(dry_run(template, three))
    assert found.availability_zones == 3
    assert "Availability Zones: 3 (one per load balancer subnet given)" in describe(found)


def test_zones_of_subnets_a_stack_creates_are_not_said_to_be_a_load_balancer_s(tmp_path):
    """A review: a stack of subnets without a VPC or a load balancer was said to be in
    "Availability Zones: 2 (one per load balancer subnet given)"; the count is its subnets'
    zones."""
    template = _write(
        tmp_path / "subnets.yaml",
        "Resources:\n"
        "  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-0123abcd, CidrBlock: 10.0.0.0/24, "
        "AvailabilityZone: eu-west-1a}}\n"
        "  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-0123abcd, CidrBlock: 10.0.1.0/24, "
        "AvailabilityZone: eu-west-1b}}\n",
    )
    found = footprint(dry_run(template, {}, "eu-west-1"))
    assert (found.availability_zones, found.subnets, found.vpcs) == (2, 2, 0)
    assert describe(found)[0] == "Availability Zones: 2"


@pytest.mark.parametrize(
    ("region", "values", "noted"),
    [
        ("us-west-1", {"NumberOfAzs": "3"}, True),
        ("sa-east-1", {"NumberOfAzs": "3"}, True),
        ("us-west-1", {"NumberOfAzs": "2"}, False),
        ("eu-west-1", {"NumberOfAzs": "3"}, False),
        (
            "us-west-1",
            {"NumberOfAzs": "3", "AvailabilityZones": "us-west-1a,us-west-1b,us-west-1c"},
            False,
        ),
    ],
)
def test_a_third_zone_from_get_azs_is_noted_where_accounts_may_see_two(region, values, noted):
    """Newer accounts "can be restricted in congested regions like us-west-1, sa-east-1,
    cn-north-1" (PatMyron/cloud#16): a third subnet from Fn::GetAZs failed there with
    "Fn::Select cannot select nonexistent value at index 2"
    (buildkite/elastic-ci-stack-for-aws#157). NumberOfAzs' description says to choose 2 in
    us-west-1; validate said nothing of 3 (a review). Pinned zones are the account's own."""
    image = f"123456789012.dkr.ecr.{region}.amazonaws.com/app:1"
    launch = {**LAUNCH, "ContainerImage": image, **values}
    lines = describe(footprint(dry_run(ROOT, launch, region)))
    note = (
        f"  note: the subnets take zone 3 of the zones Fn::GetAZs lists in {region}, where newer "
        'accounts may see two: the stack then fails ("Fn::Select cannot select nonexistent '
        'value at index 2"); choose 2 zones, or pin zones your account has'
    )
    assert (note in lines) is noted
    if noted:
        assert lines[lines.index(note) - 1] == "Availability Zones: 3"


def test_tasks_in_a_public_subnet_name_the_load_balancer_there_of_several(tmp_path):
    """Of two internet-facing load balancers, the note names the one whose subnet the tasks
    are in; it said "the internet-facing load balancer" of either."""
    template = _write(
        tmp_path / "own.yaml",
        "Parameters:\n  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n"
        "Resources:\n"
        "  Web:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Subnets: [subnet-0aaa1111, subnet-0bbb2222]}\n"
        "  Api:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Subnets: !Ref Subnets}\n"
        "  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-0ccc3333]}}\n",
    )
    found = footprint(dry_run(template, {"Subnets": "subnet-0ccc3333,subnet-0ddd4444"}))
    assert found.shared_subnets == (("Service", ("subnet-0ccc3333",), ("Api",)),)
    assert (
        "  note: Service runs its tasks in subnet-0ccc3333, where the internet-facing load "
        "balancer Api is too: the load balancer needs public subnets, the tasks private ones (a "
        "task without a public IP in a public subnet reaches nothing outside the VPC, its image "
        "registry included, but through VPC endpoints)"
    ) in describe(found)


def test_a_forward_to_other_stacks_groups_names_them_short_and_a_weight_not_given(tmp_path):
    """A forward to two groups of another stack printed each group's whole ARN, and a
    TargetGroupTuple without its optional Weight ("Required: No", AWS::ElasticLoadBalancingV2::
    ListenerRule TargetGroupTuple) printed "None"."""
    blue = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/0123456789abcdef"
    green = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/fedcba9876543210"
    template = _write(
        tmp_path / "own.yaml",
        "Resources:\n"
        "  Rule:\n    Type: AWS::ElasticLoadBalancingV2::ListenerRule\n    Properties:\n"
        "      ListenerArn: !ImportValue shared-listener\n      Priority: 5\n"
        "      Conditions: [{Field: path-pattern, Values: [/a/*]}]\n"
        "      Actions:\n        - Type: forward\n          ForwardConfig:\n"
        f"            TargetGroups: [{{TargetGroupArn: '{blue}', Weight: 90}}, "
        f"{{TargetGroupArn: '{green}'}}]\n",
    )
    [line] = _routes(describe(footprint(dry_run(template, {}))))
    assert line.endswith("(weights: blue 90, green not given) (listener rule Rule)"), line


def test_the_summary_routes_a_template_of_ones_own(tmp_path):
    """A rule whose Condition is false is not there; a listener and a target group known only
    when the stack is created are named as such, as the other lines name such values."""
    template = _write(
        tmp_path / "own.yaml",
        "Parameters:\n  Canary: {Type: String, Default: 'no'}\n"
        "Conditions:\n  HasCanary: !Equals [!Ref Canary, 'yes']\n"
        "Resources:\n"
        "  Rule:\n    Type: AWS::ElasticLoadBalancingV2::ListenerRule\n    Properties:\n"
        "      ListenerArn: !ImportValue shared-listener\n      Priority: 5\n"
        "      Conditions:\n"
        "        - {Field: http-header, HttpHeaderConfig: {HttpHeaderName: X-Team, "
        "Values: [a, b]}}\n"
        "        - {Field: http-request-method, HttpRequestMethodConfig: {Values: [GET]}}\n"
        "      Actions:\n        - {Type: forward, TargetGroupArn: !ImportValue shared-group}\n"
        "  CanaryRule:\n    Type: AWS::ElasticLoadBalancingV2::ListenerRule\n"
        "    Condition: HasCanary\n    Properties:\n"
        "      ListenerArn: !ImportValue shared-listener\n      Priority: 4\n"
        "      Conditions: [{Field: path-pattern, Values: [/canary/*]}]\n"
        "      Actions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '503'}}]\n",
    )
    unknown = (
        'a listener known only when the stack is created ({"Fn::ImportValue": "shared-listener"})'
    )
    rule = (
        f"route: {unknown}, priority 5: header X-Team a or b and method GET to a target group "
        'known only when the stack is created ({"Fn::ImportValue": "shared-group"}) (listener '
        "rule Rule)"
    )
    assert _routes(describe(footprint(dry_run(template, {})))) == [rule]
    canary = f"route: {unknown}, priority 4: path /canary/* answered 503 (listener rule CanaryRule)"
    assert _routes(describe(footprint(dry_run(template, {"Canary": "yes"})))) == [canary, rule]


def test_a_nested_template_url_longer_than_cloudformation_takes_is_refused():
    """ "TemplateURL ... Maximum: 1024" (AWS::CloudFormation::Stack, CloudFormation Template
    Reference, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stack.html;
    maxLength 1024 in its resource schema): the URL the root's Fn::Sub makes of the bucket,
    the region and TemplateKeyPrefix. Every folder name of a long prefix matched the
    parameter's pattern, so the dry run took it and the nested stacks failed at creation."""
    fixed = f"https://my-templates.s3.eu-west-1.amazonaws.com/{__version__}/network.yaml"
    room = 1024 - len(fixed)  # what a prefix of a 1,024-character URL has
    prefix = ("a" * 99 + "/") * (room // 100) + "b" * (room % 100 - 1) + "/"
    assert len(prefix) == room
    dry_run(ROOT, {**LAUNCH, "TemplateKeyPrefix": prefix}, "eu-west-1")  # 1,024: taken
    with pytest.raises(DryRunFailed) as refused:
        dry_run(ROOT, {**LAUNCH, "TemplateKeyPrefix": "c" + prefix}, "eu-west-1")
    assert refused.value.problems == [
        f"root.yaml: {stack}: its TemplateURL would be 1,025 characters, and CloudFormation "
        "takes 1,024 at most: give a shorter TemplateKeyPrefix"
        for stack in ("NetworkStack", "ServiceStack")
    ]


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("AllowedValues: [true, false]\n    Default: false", {}),
        ("AllowedValues: [true, false]\n    Default: false", {"Encrypted": "true"}),
        # YAML 1.1, as CloudFormation reads YAML: Yes and No are booleans, true and false.
        ("AllowedValues: [Yes, No]\n    Default: Yes", {}),
        ("AllowedValues: [Yes, No]\n    Default: Yes", {"Encrypted": "false"}),
    ],
)
def test_allowed_values_written_as_booleans_take_true_and_false(tmp_path, text, given):
    """A boolean in AllowedValues is its text, "true" or "false", as a boolean Default is: "the
    AllowedValues ... are actual YAML bool values. They are being coerced to strings in the
    context of the parameter" (Boolean parameters in CloudFormation,
    https://awholenother.com/2020/06/20/boolean-parameters-in-cloudformation.html); AWS's own
    samples launch so (aws-cloudformation/aws-cloudformation-templates, NeptuneDB/Neptune.json:
    "AllowedValues": [true, false], "Default": false). The dry run compared "false" with
    Python's "False" and refused every such template, its own default included."""
    template = tmp_path / "flags.yaml"
    template.write_text(
        "Parameters:\n  Encrypted:\n    Type: String\n    " + text + "\n"
        "Conditions:\n  IsEncrypted: !Equals [!Ref Encrypted, true]\n"
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
    )
    assert dry_run(template, given).parameters["Encrypted"] in ("true", "false")


def test_a_value_outside_allowed_booleans_is_still_refused(tmp_path):
    template = tmp_path / "flags.yaml"
    template.write_text(
        "Parameters:\n  Encrypted:\n    Type: String\n    AllowedValues: [true, false]\n"
        "    Default: false\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
    )
    with pytest.raises(DryRunFailed, match="Encrypted='True' is not one of the allowed values"):
        dry_run(template, {"Encrypted": "True"})


def test_a_sub_variable_with_spaces_inside_its_braces_is_the_name_without_them(tmp_path):
    """CloudFormation drops the spaces around a name in ``${ Name }``: "When the whitespace is
    removed this works perfectly fine in cfn-lint (and always works in CloudFormation)", and
    cfn-lint's maintainers have read such names stripped since (cfn-lint issue #236,
    https://github.com/aws-cloudformation/cfn-lint/issues/236; its good template
    test/fixtures/templates/good/generic.yaml writes ``${ Package}`` and ``${ AWS::Region}``).
    The dry run refused the template: "Unresolved resource dependencies [ AWS::Region,
    Package]"."""
    template = tmp_path / "spaced.yaml"
    template.write_text(
        "Parameters:\n  Package:\n    Type: String\n"
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n"
        "      DisplayName: !Sub 'install ${ Package} in ${ AWS::Region }'\n"
        "      TopicName: !Sub ['${ Name }-${Package}', {Name: topic}]\n"
    )
    stack = dry_run(template, {"Package": "git"}, "eu-west-1")
    assert stack.resources["Topic"]["Properties"] == {
        "DisplayName": "install git in eu-west-1",
        "TopicName": "topic-git",
    }


@pytest.mark.parametrize("command", ["validate", "cost"])
def test_a_module_is_named_as_not_read(tmp_path, capsys, command):
    """A module is expanded by CloudFormation from its schema in the account's registry: the
    summary and the cost leave out what it holds, and say so."""
    template = tmp_path / "module.yaml"
    template.write_text(
        "Resources:\n  MyBucket:\n    Type: My::S3::SampleBucket::MODULE\n"
        "  Queue:\n    Type: AWS::SQS::Queue\n"
    )
    assert cli.main([command, str(template)]) == 0
    assert capsys.readouterr().err == (
        "troposphere-fargate: not read: MyBucket (My::S3::SampleBucket::MODULE): a module, "
        "which CloudFormation expands from its registry when it creates the stack; what it "
        "holds is neither described nor priced\n"
    )


def test_a_module_s_resources_are_named_by_its_logical_id_and_theirs(tmp_path):
    """ "if the module's logical name is MyModule and the resource's logical name is MyBucket,
    you can refer to that resource as either MyModule.MyBucket or MyModuleMyBucket" (User
    Guide, Reference module resources in CloudFormation templates,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/module-ref-resources.html;
    its example template, as here). Which resources a module holds its schema in the account's
    registry says: the dry run refused such names as "Unresolved resource dependencies"."""
    template = tmp_path / "module.yaml"
    template.write_text(
        "Parameters:\n  BucketName:\n    Type: String\n"
        "Resources:\n  MyBucket:\n    Type: My::S3::SampleBucket::MODULE\n"
        "    Properties:\n      BucketName: !Ref BucketName\n"
        "  exampleQueue:\n    Type: AWS::SQS::Queue\n"
        "    Properties:\n      QueueName: !Ref MyBucket.S3Bucket\n"
        "Outputs:\n  BucketArn:\n    Value: !GetAtt MyBucket.S3Bucket.Arn\n"
        "  BucketName:\n    Value: !Ref MyBucketS3Bucket\n"
    )
    assert "exampleQueue" in dry_run(template, {"BucketName": "b"}).resources
    # A name no module or resource starts is still refused.
    assert _unresolved(read_template(template)) == []
    template.write_text(template.read_text() + "  Other:\n    Value: !Ref Missing\n")
    with pytest.raises(DryRunFailed, match=r"Unresolved resource dependencies \[Missing\]"):
        dry_run(template, {"BucketName": "b"})


def test_a_nested_template_kept_in_the_folders_of_its_key_is_read_there(tmp_path):
    """A corpus of ECS templates of others: AWS's ECS reference architectures nest
    ``https://s3.amazonaws.com/ecs-refarch-cloudformation/infrastructure/vpc.yaml`` (and
    ``!Sub https://s3.amazonaws.com/${TemplateBucket}/templates/vpc.yaml``) and keep that file
    in the folder ``infrastructure`` (``templates``) beside ``master.yaml``, as the bucket does:
    their repositories were refused as "nests vpc.yaml, which is not beside master.yaml". A
    nested stack's template is the object its URL names, its key's folders included: "The
    URL must point to a template (max size: 1 MB) that's located in an Amazon S3 bucket or a
    Systems Manager document" (CloudFormation API Reference, TemplateURL, as the AWS SDK for
    Kotlin's reference quotes it,
    https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudformation/aws.sdk.kotlin.services.cloudformation.model/-get-template-summary-request/template-url.html).
    """
    (tmp_path / "infrastructure").mkdir()
    (tmp_path / "infrastructure" / "vpc.yaml").write_text(
        "Resources:\n  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
    )
    (tmp_path / "master.yaml").write_text(
        "Parameters:\n  TemplateBucket: {Type: String, Default: my-bucket}\n"
        "Resources:\n"
        "  Vpc:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
        "      TemplateURL: https://s3.amazonaws.com/refarch/infrastructure/vpc.yaml\n"
        "  Again:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
        "      TemplateURL: !Sub https://s3.amazonaws.com/${TemplateBucket}/infrastructure/vpc.yaml\n"
    )
    stack = dry_run(tmp_path / "master.yaml", {})
    assert sorted(stack.nested) == ["Again", "Vpc"]
    assert footprint(stack).vpcs == 2
    # Named nowhere under the folder: refused as before, by the file's name.
    (tmp_path / "infrastructure" / "vpc.yaml").rename(tmp_path / "other.yaml")
    with pytest.raises(DryRunFailed) as refused:
        dry_run(tmp_path / "master.yaml", {})
    assert refused.value.problems[0] == (
        "master.yaml > Vpc: nests vpc.yaml, which is not beside master.yaml: keep the templates "
        "of a version together (its folder)"
    )


def test_a_route_condition_known_only_later_is_shown_as_written_not_as_none():
    """Copilot's listener rule matches a host it joins from an ImportValue (known only when
    the stack is created): its route line said ``host None`` (the value was read as a query
    string's Key=Value pair)."""
    from troposphere_fargate.cfn.dry_run import _condition

    later = {"Fn::Join": [".", ["fe", {"Fn::ImportValue": "my-app-dev-SubDomain"}]]}
    host = {"Field": "host-header", "HostHeaderConfig": {"Values": [later]}}
    assert _condition(host) == (
        'host {"Fn::Join": [".", ["fe", {"Fn::ImportValue": "my-app-dev-SubDomain"}]]}'
    )
    query = {
        "Field": "query-string",
        "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2"}, {"Value": "beta"}]},
    }
    assert _condition(query) == "query v=2 or beta"


# Every interface endpoint the network layer knows: 16 and more, where a /28 holds 11.
MANY_ENDPOINTS = (
    "ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "ssmmessages", "kms", "sts",
    "monitoring", "xray", "elasticloadbalancing", "sqs", "sns", "ecs", "ecs-agent",
    "ecs-telemetry",
)  # fmt: skip


def test_a_subnet_its_interface_endpoints_overfill_is_refused(tmp_path):
    """A review: 16 interface endpoints in /28 private subnets (11 addresses: "The first four
    IP addresses and the last IP address in each subnet CIDR block are not available for you to
    use", Amazon VPC User Guide, "Subnet CIDR blocks") was "CloudFormation would accept these
    values"; each endpoint takes an address in each of its subnets, and EC2 fails creating the
    endpoints past the subnet's addresses."""
    from troposphere_fargate import NetworkConfig, network_template, to_yaml

    config = NetworkConfig(interface_endpoints=MANY_ENDPOINTS)
    template = _write(tmp_path / "network.yaml", to_yaml(network_template(config).to_dict()))
    values = {"VpcEndpoints": "true", "NatGateways": "None"}
    with pytest.raises(DryRunFailed) as refused:
        dry_run(template, {**values, "PrivateSubnet2Cidr": "10.0.64.0/28"})
    (problem,) = refused.value.problems
    assert problem.startswith(
        "network.yaml: parameter PrivateSubnet2Cidr: the subnet PrivateSubnet2 (10.0.64.0/28) "
        "holds 11 addresses (AWS reserves 5), and 16 take an address each in it (EcrApiEndpoint, "
    )
    assert problem.endswith(": the stack would fail creating them; give it a larger block")
    dry_run(template, {**values, "PrivateSubnet2Cidr": "10.0.64.0/27"})  # 27 addresses: room
    dry_run(template, {"PrivateSubnet2Cidr": "10.0.64.0/28"})  # no endpoints: room


def test_a_load_balancer_subnet_without_8_free_addresses_is_refused(tmp_path):
    """Elastic Load Balancing: "verify that each subnet for your load balancer has a CIDR block
    with at least a /27 bitmask (for example, 10.0.0.0/27) and has at least 8 free IP
    addresses"; a subnet of a /28 (11) with a NAT gateway and 3 endpoints in it has 7."""
    subnet = {
        "Type": "AWS::EC2::Subnet",
        "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/28"},
    }
    endpoint = {
        "Type": "AWS::EC2::VPCEndpoint",
        "Properties": {
            "VpcId": "vpc-1",
            "ServiceName": "com.amazonaws.eu-west-1.logs",
            "VpcEndpointType": "Interface",
            "SubnetIds": [{"Ref": "Public"}],
        },
    }
    resources = {
        "Public": subnet,
        "Other": {**subnet, "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.16/28"}},
        "Nat": {
            "Type": "AWS::EC2::NatGateway",
            "Properties": {"SubnetId": {"Ref": "Public"}, "ConnectivityType": "private"},
        },
        **{f"Endpoint{i}": endpoint for i in range(3)},
        "Balancer": {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {"Subnets": [{"Ref": "Public"}, {"Ref": "Other"}]},
        },
    }
    template = _write(tmp_path / "lb.yaml", json.dumps({"Resources": resources}))
    with pytest.raises(DryRunFailed) as refused:
        dry_run(template, {})
    assert refused.value.problems == [
        "lb.yaml: Public: the subnet Public (10.0.0.0/28) holds 11 addresses (AWS reserves 5), "
        "and 4 take an address each in it (Nat, Endpoint0, Endpoint1, Endpoint2) and a load "
        "balancer needs 8 free in it (Elastic Load Balancing: each of its subnets needs at "
        "least 8 free addresses): the stack would fail creating them; give it a larger block"
    ]
    # Subnet mappings too (a network load balancer's, often).
    balancer = resources["Balancer"]["Properties"]
    balancer["SubnetMappings"] = [{"SubnetId": s} for s in balancer.pop("Subnets")]
    with pytest.raises(DryRunFailed):
        dry_run(_write(tmp_path / "lb.yaml", json.dumps({"Resources": resources})), {})
    del resources["Endpoint2"]  # 3 taken, 8 free: room
    dry_run(_write(tmp_path / "lb.yaml", json.dumps({"Resources": resources})), {})
    # A Gateway Load Balancer endpoint takes an address too ("For each subnet that you specify
    # from your VPC, we create an endpoint network interface in the subnet and assign it a
    # private IP address", AWS PrivateLink guide); a gateway endpoint none (it is a route).
    for kind, refused_too in (("GatewayLoadBalancer", True), ("Gateway", False)):
        resources["Endpoint2"] = {
            **endpoint,
            "Properties": {**endpoint["Properties"], "VpcEndpointType": kind},
        }
        written = _write(tmp_path / "lb.yaml", json.dumps({"Resources": resources}))
        if refused_too:
            with pytest.raises(DryRunFailed, match=r"4 take an address each in it \(Nat, E"):
                dry_run(written, {})
        else:
            dry_run(written, {})
    del resources["Endpoint2"]
    # A block EC2 takes for no subnet (/31): refused as such ("holds -3 addresses" was said;
    # "The allowed block size is between a /28 netmask and /16 netmask", Amazon VPC User Guide).
    resources["Public"]["Properties"]["CidrBlock"] = "10.0.0.0/31"
    with pytest.raises(DryRunFailed) as refused:
        dry_run(_write(tmp_path / "lb.yaml", json.dumps({"Resources": resources})), {})
    assert refused.value.problems == [
        "lb.yaml: Public: the subnet Public (10.0.0.0/31) is a /31; EC2 takes a subnet block "
        "from /16 to /28"
    ]


def test_a_template_bucket_named_for_another_region_is_noted():
    """A nested stack or StackSet reads its template at the regional endpoint of the stack's
    region: a bucket of another region fails it ("S3 error: The bucket you are attempting to
    access must be addressed using the specified endpoint", a nested stack's CREATE_FAILED in
    awslabs/aws-service-catalog-factory#167). stackset.yaml's TemplateBucketName is the
    bucket of the StackSet's own region; a name ending in another region is noted, with the
    region given (without one the URLs are read in us-east-1, which says nothing)."""
    values = {**ROLLOUT, "TemplateBucketName": "my-templates-us-east-1"}
    lines = describe(footprint(dry_run(SHIPPED_STACKSET, values, "eu-west-1")))
    assert (
        "note: StackSet reads its template from the bucket my-templates-us-east-1, named for "
        "us-east-1, in eu-west-1: S3 refuses a bucket of another region there; give the bucket "
        "in eu-west-1"
    ) in lines
    for region, bucket in (("us-east-1", "my-templates-us-east-1"), ("eu-west-1", "shared")):
        given = {**ROLLOUT, "TemplateBucketName": bucket}
        assert not any(
            "note:" in line
            for line in describe(footprint(dry_run(SHIPPED_STACKSET, given, region)))
        )
    assert not any(
        "note:" in line for line in describe(footprint(dry_run(SHIPPED_STACKSET, values)))
    )
    # The root's nested stacks alike, each named.
    given = {**LAUNCH, "TemplateBucketName": "my-templates-us-east-1"}
    root = describe(footprint(dry_run(ROOT, given, "eu-west-1")))
    assert [line.split(" reads")[0] for line in root if line.startswith("note:")] == [
        "note: NetworkStack",
        "note: ServiceStack",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://tpl-us-east-1.s3.eu-west-1.amazonaws.com/child.yaml",
        "https://s3.eu-west-1.amazonaws.com/tpl-us-east-1/child.yaml",
        "https://s3-eu-west-1.amazonaws.com/tpl-us-east-1/child.yaml",
    ],
)
def test_a_bucket_named_for_another_region_in_a_written_url_is_noted_without_a_region(
    tmp_path, url
):
    """A review: a URL written with its region (virtual-hosted or path style) does not depend
    on the region given, and was noted only with --region."""
    (tmp_path / "child.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    (tmp_path / "root.yaml").write_text(
        "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n"
        f"    Properties: {{TemplateURL: '{url}'}}\n"
    )
    lines = describe(footprint(dry_run(tmp_path / "root.yaml", {})))
    assert lines[-1] == (
        "note: Child reads its template from the bucket tpl-us-east-1, named for us-east-1, in "
        "eu-west-1: S3 refuses a bucket of another region there; give the bucket in eu-west-1"
    )


@pytest.mark.parametrize("value", [float("nan"), "NaN", "Infinity", float("-inf")])
def test_nan_or_an_infinity_where_a_resource_takes_an_integer_is_refused(value):
    """A literal DesiredCount of NaN (YAML's .nan, or the text 'NaN') passed the whole-number
    check, which reads digits, and then failed validate and cost with "cannot convert float NaN
    to integer" (a review); an integer property takes neither, as it takes no 2.5."""
    from troposphere_fargate.cfn.dry_run import _whole_number_problems

    resources = {"Service": {"Type": "AWS::ECS::Service", "Properties": {"DesiredCount": value}}}
    assert _whole_number_problems(resources, "eu-west-1") == [
        f"Service: DesiredCount is {value}, not written as a whole number: AWS::ECS::Service "
        "takes an integer there, and the stack would fail creating Service"
    ]


def test_a_count_of_nan_in_a_template_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  Service:\n    Type: AWS::ECS::Service\n"
        "    Properties: {TaskDefinition: td, DesiredCount: .nan}\n"
    )
    with pytest.raises(DryRunFailed, match="DesiredCount is nan, not written as a whole"):
        dry_run(path, {})


@pytest.mark.parametrize(
    ("kind", "properties", "said"),
    [
        (
            "AWS::CloudWatch::Alarm",
            {"Threshold": float("inf")},
            "Threshold is inf, which is no number: AWS::CloudWatch::Alarm takes a number",
        ),
        (
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            {"TargetTrackingScalingPolicyConfiguration": {"TargetValue": "NaN"}},
            "TargetTrackingScalingPolicyConfiguration.TargetValue is NaN, which is no number",
        ),
        # Text in the schema, a count of CPU units to ECS: priced as $nan before, then as
        # 0 vCPU "known only when the stack is created" (a review).
        (
            "AWS::ECS::TaskDefinition",
            {"Cpu": float("nan")},
            "Cpu is nan, which is no number: AWS::ECS::TaskDefinition takes a number there",
        ),
        # Memory too: text in the schema, a size in MiB to ECS.
        (
            "AWS::ECS::TaskDefinition",
            {"Memory": "Infinity"},
            "Memory is Infinity, which is no number: AWS::ECS::TaskDefinition takes a number",
        ),
    ],
)
def test_nan_or_an_infinity_where_a_resource_takes_a_number_is_refused(kind, properties, said):
    from troposphere_fargate.cfn.dry_run import _whole_number_problems

    (problem,) = _whole_number_problems(
        {"R": {"Type": kind, "Properties": properties}}, "eu-west-1"
    )
    assert problem.startswith(f"R: {said}")


def test_a_whole_number_too_large_for_a_float_is_no_crash(tmp_path):
    """float() of a 401-digit integer raises OverflowError, which the count's reading let
    through (a review): such a count is not known here, and not "not whole"."""
    from troposphere_fargate.cfn.dry_run import _whole_number_problems

    big = 10**400
    resources = {"S": {"Type": "AWS::ECS::Service", "Properties": {"DesiredCount": str(big)}}}
    assert _whole_number_problems(resources, "eu-west-1") == []
    # Written with white space around it, as int() reads it, it is still a whole number.
    resources["S"]["Properties"]["DesiredCount"] = f" {big} "
    assert _whole_number_problems(resources, "eu-west-1") == []
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  Service:\n    Type: AWS::ECS::Service\n"
        f"    Properties: {{TaskDefinition: td, DesiredCount: {big}}}\n"
    )
    assert footprint(dry_run(path, {})).tasks[0][:2] == ("Service", 1)
