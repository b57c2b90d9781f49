"""The README documents what the code does: its tables and examples are checked against the code."""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from tests.support import refs_in
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


def python_examples() -> list[tuple[str, str]]:
    """Every ``python`` code block of the README and docs/*.md, as (file name, block)."""
    repo = Path(__file__).resolve().parent.parent
    found = []
    for path in (repo / "README.md", *sorted((repo / "docs").glob("*.md"))):
        blocks = re.findall(r"^```python\n(.*?)^```", path.read_text(), re.M | re.S)
        found += [(path.name, block) for block in blocks]
    return found


def test_every_python_example_of_the_docs_is_one_a_test_runs():
    """An audit of the library: the README's ``build_templates`` example was run by no test.
    Each block is either a session of ``>>>`` calls, each followed by the error it shows
    (test_every_error_the_readme_shows_is_what_the_code_says), or a README program a test
    runs: one that prints (run here and below, and linted by
    test_the_readmes_library_examples_produce_templates_cfn_lint_passes), or the build's."""
    examples = python_examples()
    assert len(examples) >= 7
    for where, block in examples:
        assert where == "README.md", f"{where}: a python example no test runs"
        if block.startswith(">>> "):
            lines = block.splitlines()
            assert [line.startswith(">>> ") for line in lines] == [True, False] * (len(lines) // 2)
            assert all(re.match(r"(ConfigError|TypeError): ", line) for line in lines[1::2])
        else:
            assert "print(" in block or "build_templates(" in block, block


@pytest.mark.lint
def test_the_build_templates_example_writes_the_product_and_its_manifest(tmp_path, monkeypatch):
    """The README: "The whole product for your own configs, rendered, checked (...), linted
    with cfn-lint (...), and written with its manifest"; ``max_azs=2`` offers two AZs."""
    from troposphere_fargate import __version__, from_yaml

    (example,) = [block for _, block in python_examples() if "build_templates(" in block]
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {}
    exec(example, scope)
    folder = scope["folder"]
    assert folder == Path("out") / __version__
    written = {path.name for path in folder.iterdir()}
    assert {"manifest.json", "network.yaml", "service.yaml", "root.yaml"} <= written
    network = from_yaml((folder / "network.yaml").read_text())
    assert "PublicSubnet2" in network["Resources"]
    assert "PublicSubnet3" not in network["Resources"]


def test_the_library_examples_of_an_environment_and_a_resource_of_ones_own_do_what_they_say():
    """The README's examples of an environment of two services (``layers_for`` lists "the
    network, the environment, one per service, the root") and of a queue of one's own that the
    task role may send to, run without cfn-lint (the lint-marked test lints what they print)."""
    from troposphere_fargate import from_yaml
    from troposphere_fargate.layers.service import TASK_ROLE

    (shop,) = [block for _, block in python_examples() if "layers_for(shop)" in block]
    printed: list[Any] = []
    exec(shop, {"print": printed.append})
    assert printed[0] == [
        "network.yaml",
        "environment.yaml",
        "service-api.yaml",
        "service-orders.yaml",
        "root.yaml",
    ]
    api = from_yaml(printed[1])
    assert api["Parameters"]["ContainerPort"]["Default"] == "9000"
    assert api["Parameters"]["HealthCheckPath"]["Default"] == "/api/health"
    (own,) = [block for _, block in python_examples() if "JobsQueueAccess" in block]
    printed.clear()
    exec(own, {"print": printed.append})
    resources = from_yaml(printed[0])["Resources"]
    assert resources["JobsQueue"]["Type"] == "AWS::SQS::Queue"
    access = resources["JobsQueueAccess"]["Properties"]
    assert access["Roles"] == [{"Ref": TASK_ROLE}]
    (statement,) = access["PolicyDocument"]["Statement"]
    assert statement["Action"] == ["sqs:SendMessage"]
    assert statement["Resource"] == [{"Fn::GetAtt": ["JobsQueue", "Arn"]}]


def test_the_dry_run_example_prints_what_validate_and_cost_print(monkeypatch):
    """A newcomer's trial: the README named dry_run, footprint, describe and estimate without
    showing how they chain. The example prints validate's summary and cost's total, as the
    README's own validate and cost examples show them."""
    (example,) = [
        block for block in re.findall(r"```python\n(.*?)```", README, re.S) if "dry_run(" in block
    ]
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    printed: list[str] = []
    exec(example, {"print": printed.append})
    summary, total = printed
    shown = README.split("CloudFormation would accept these values (3 given, 60 default)\n")[1]
    validate_lines = shown.split("\nfixed cost:")[0].splitlines()
    assert summary.splitlines() == [line.removeprefix("  ") for line in validate_lines]
    assert total.startswith(re.search(r"fixed cost: about (\$[\d.]+) a month", shown)[1] + " a")
    assert "NAT gateways, application load balancer" in total


def test_every_error_the_readme_shows_is_what_the_code_says():
    import troposphere_fargate

    examples = re.findall(r">>> (.*)\n(ConfigError|TypeError): (.*)\n", README)
    assert len(examples) >= 3
    names = {name: getattr(troposphere_fargate, name) for name in troposphere_fargate.__all__}
    for call, kind, says in examples:
        with pytest.raises((ConfigError, TypeError)) as error:
            eval(call, names)
        assert (type(error.value).__name__, str(error.value)) == (kind, says)


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


def test_every_command_that_installs_from_the_checkout_pins_with_the_constraints():
    """constraints.txt pins what the templates were built and tested with; the first hour's
    step 3 installed boto3 unpinned (``pip install boto3``) where "Publish, launch" installs the
    pinned extra (a newcomer's trial)."""
    installs = re.findall(r"^python -m pip install .*$", README, re.M)
    assert len(installs) >= 3
    assert [line for line in installs if "-c constraints.txt" not in line] == []


def test_what_cost_prices_by_platform_is_what_the_readme_says(tmp_path):
    """The cost section named none of Windows' rates and licence fee, Spot's on-demand upper
    bound or ephemeral storage, which cost prices (a newcomer's trial). "Windows OS license fee
    per vCPU per hour" and "20 GB of ephemeral storage by default" at no charge, AWS Fargate
    pricing, https://aws.amazon.com/fargate/pricing/."""
    import json

    from troposphere_fargate import dry_run, estimate, footprint

    text = " ".join(section("Before you launch: validate and cost, offline").split())
    for said in (
        "Windows (a template of your own whose `RuntimePlatform` names a `WINDOWS_SERVER_...` "
        "family) at Windows' rates plus its licence fee per vCPU",
        "ephemeral storage above the 20 GB included",
        "priced at the on-demand rate, an upper bound",
    ):
        assert said in text
    task = {
        "RequiresCompatibilities": ["FARGATE"],
        "NetworkMode": "awsvpc",
        "Cpu": "1024",
        "Memory": "2048",
        "EphemeralStorage": {"SizeInGiB": 50},
        "RuntimePlatform": {"OperatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
        "ContainerDefinitions": [{"Name": "app", "Image": "example/app:1"}],
    }
    service = {
        "LaunchType": "FARGATE",
        "DesiredCount": 1,
        "TaskDefinition": {"Ref": "Task"},
        "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-0aaa1111"]}},
    }
    template = {
        "Resources": {
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": task},
            "Service": {"Type": "AWS::ECS::Service", "Properties": service},
        }
    }
    path = tmp_path / "windows.json"
    path.write_text(json.dumps(template))
    items = [line.item for line in estimate(footprint(dry_run(path, {})), "us-east-1").lines]
    assert items == [
        "Fargate Windows vCPU (Service)",
        "Fargate Windows memory (Service)",
        "Windows licence (Service)",
        "Fargate ephemeral storage (Service)",
    ]


def test_publish_example_output_is_what_publish_prints():
    from troposphere_fargate import __version__
    from troposphere_fargate.release.publish import Destination, deploy_command, launch_url

    destination = Destination(
        "my-templates-eu-west-1", "troposphere-fargate/", __version__, "eu-west-1"
    )
    assert f"Launch Stack (eu-west-1):\n  {launch_url(destination)}\n" in README
    assert f"Deploy with the AWS CLI:\n  {deploy_command(destination)}\n" in README


def test_the_suppressions_reference_lists_every_suppression_with_its_reason():
    """docs/suppressions.md (generated by the build, linked from the README) against the
    templates' metadata, read here independently of the generator."""
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
            for rule, why in (metadata.get("cfn-lint") or {}).get("reasons", {}).items():
                expected.add(f"| {path.name} | {name} | `{rule}` (cfn-lint) | {why} |")
    reference = (folder.parent.parent / "docs" / "suppressions.md").read_text()
    listed = {
        line
        for line in reference.splitlines()
        if any(f"({tool}) |" in line for tool in ("cfn-guard", "checkov", "cfn-lint"))
    }
    assert listed == expected
    assert "[docs/suppressions.md](docs/suppressions.md)" in README


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
    two = ProductConfig(network=NetworkConfig(max_azs=2))
    write_version(tmp_path, generate(two, "two-azs"), "two-azs")
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
    assert len(examples) == 3
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
    paragraph = next(x for x in text.split("\n\n") if x.startswith("`catalog.yaml` works"))
    catalog, stackset = paragraph.split("`stackset.yaml` works", 1)
    assert re.findall(r"`([a-z]{2}-[a-z]+-\d)`", catalog) == list(regions.NO_SERVICE_CATALOG)
    stackset = stackset.split(".\n", 1)[0]
    assert re.findall(r"`([a-z]{2}-[a-z]+-\d)`", stackset) == list(
        regions.NO_SERVICE_MANAGED_STACKSETS
    )


def test_troubleshooting_gives_the_service_linked_role_command():
    text = section("Troubleshooting")
    assert "aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com" in text
    assert "cloudformation-coverage-roadmap#818" in text


def test_when_something_goes_wrong_says_what_guardduty_leaves_in_the_vpc():
    """GuardDuty Runtime Monitoring's automated agent for Fargate creates a VPC endpoint and a
    security group (tagged GuardDutyManaged: true) in every VPC whose tasks it watches, outside
    the stack, and deletes them only when Runtime Monitoring is turned off: the network stack's
    subnets and VPC then refuse deletion ("has dependencies and cannot be deleted").
    https://docs.aws.amazon.com/guardduty/latest/ug/using-iac-with-gdu-automated-agents-runtime-monitoring.html
    https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring-agent-resource-clean-up.html
    """
    text = section("When something goes wrong")
    assert "has\n  dependencies and cannot be deleted" in text
    assert "Name=tag:GuardDutyManaged,Values=true" in text
    assert "aws ec2 delete-vpc-endpoints" in text
    assert "aws ec2 delete-security-group" in text


def _shipped(name: str) -> dict[str, Any]:
    from troposphere_fargate import __version__, from_yaml

    folder = Path(__file__).resolve().parent.parent / "templates" / __version__
    template: dict[str, Any] = from_yaml((folder / name).read_text())
    return template


def test_a_new_secret_file_or_image_under_its_tag_is_rolled_out_by_a_forced_deployment():
    """A task reads its secrets and its environment file when it starts: "If the secret is
    subsequently updated or rotated, the container will not receive the updated value
    automatically. You must either launch a new task or ... use the Force new deployment
    option" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html,
    the same for SSM parameters: .../secrets-envvar-ssm-paramstore.html); "Each task that uses
    an environment variables file causes a copy of the file to be downloaded"
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/use-environment-file.html).
    An image tag is resolved once per deployment: "After the container image digest has been
    established, Amazon ECS uses the digest to start any other desired tasks"
    (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerImage.html), and a
    forced deployment is how "a newer Docker image with the same image/tag combination" reaches
    the tasks (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-forcenewdeployment.html).
    Nothing said any of it: a user who rotated a secret waited for tasks that never came. The
    README's "no stack update restarts the tasks" holds while the template's nonce is
    CapacityProvider alone; a nonce of more would make it wrong, and this test says so."""
    text = section("Changes that are not a stack update")
    forced = "aws ecs update-service --cluster CLUSTER --service SERVICE --force-new-deployment"
    assert forced in text
    assert "aws ecs wait services-stable --cluster CLUSTER --services SERVICE" in text
    assert "forces a deployment only when `CapacityProvider` changes" in text
    service = _shipped("service.yaml")["Resources"]["Service"]["Properties"]
    assert refs_in(service["ForceNewDeployment"]) == {"CapacityProvider"}
    # A rollback restarts the previous revision, which reads the secret again: the old value
    # comes back only by moving AWSCURRENT ("Roll back a secret to a previous version",
    # https://docs.aws.amazon.com/secretsmanager/latest/userguide/roll-back-secret.html).
    assert "update-secret-version-stage --secret-id SECRET --version-stage AWSCURRENT" in text
    assert "an image pushed again under the same tag" in text.lower()
    assert "`CannotPullContainerError` (`not found`)" in text


def test_scaling_by_hand_says_what_autoscaling_and_the_next_update_do_with_it():
    """Target tracking "adds and removes capacity as required to keep the metric at, or close
    to, the specified target value"
    (https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html):
    a count set by hand is scaled back. Updating the scalable target's bounds moves the count
    inside them: "If it's below the minimum capacity or above the maximum capacity, Application
    Auto Scaling adjusts the capacity of the scalable target to place it within these bounds"
    (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
    So the README raises MinCapacity through the stack, whose scalable target takes it."""
    text = section("Changes that are not a stack update")
    assert "aws ecs update-service --desired-count" in text
    assert "--parameter-overrides MinCapacity=4" in text
    root = _shipped("root.yaml")
    assert "MinCapacity" in root["Parameters"]
    target = _shipped("service.yaml")["Resources"]["ScalableTarget"]["Properties"]
    assert target["MinCapacity"] == {"Ref": "MinCapacity"}


def test_a_stuck_rollback_is_continued_from_the_root_naming_the_nested_stack_by_its_name():
    """ContinueUpdateRollback: "Don't specify the name of a nested stack ... use this operation
    on the parent stack"; "To skip resources that are part of nested stacks, use the following
    format: NestedStackName.ResourceLogicalID", the nested stack's own name, read from its ARN,
    not its logical ID in the parent ("Don't confuse a child stack's name with its
    corresponding logical ID defined in the parent stack"; the user guide's example skips
    WebInfra-Compute-Asg.myAsg;
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ContinueUpdateRollback.html,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-continueupdaterollback.html).
    A stack ARN is arn:...:stack/NAME/ID, so the second /-field is the name. Nothing said how to
    leave UPDATE_ROLLBACK_FAILED, and ServiceStack.Service is the guess that fails."""
    text = section("Changes that are not a stack update")
    assert "aws cloudformation continue-update-rollback --stack-name hello\n" in text
    assert "aws cloudformation wait stack-rollback-complete --stack-name hello" in text
    nested = "--logical-resource-id ServiceStack --query StackResourceDetail.PhysicalResourceId"
    assert nested in text
    assert "--output text | cut -d/ -f2)" in text
    assert '--resources-to-skip "$NESTED.Service"' in text
    assert "ServiceStack.Service" not in text
    assert _shipped("root.yaml")["Resources"]["ServiceStack"]["Type"] == (
        "AWS::CloudFormation::Stack"
    )
    assert _shipped("service.yaml")["Resources"]["Service"]["Type"] == "AWS::ECS::Service"


def test_changes_by_hand_in_the_console_are_said_to_last_until_the_resource_is_updated():
    """ "Traditional change sets provide a comparison of your new template with the previous
    template for a stack, but do not account for stack drift"
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/drift-aware-change-sets.html);
    an alarm's update "completely overwrites the previous configuration of the alarm"
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html);
    "When detecting drift on a stack, CloudFormation does not detect drift on any nested stacks
    belonging to that stack. Perform DetectStackDrift directly on the nested stack itself"
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DetectStackDrift.html).
    Each parameter the README names instead of a change by hand is one the stack has."""
    text = section("Changes that are not a stack update")
    assert 'detect-stack-drift --stack-name "$NESTED"' in text
    assert 'describe-stack-resource-drifts --stack-name "$NESTED"' in text
    parameters = _shipped("root.yaml")["Parameters"]
    named = ("LogRetentionDays", "ErrorRateAlarmPercent", "MinCapacity", "MaxCapacity")
    for name in named:
        assert f"`{name}`" in text
        assert name in parameters, name


def test_the_teardown_reads_the_cluster_name_before_the_stack_goes():
    """Container Insights' log group outlives the stack, named for the cluster
    ("/aws/ecs/containerinsights/{{CLUSTER_NAME}}/performance", CloudWatch User Guide,
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-reference-performance-logs-ECS.html),
    and the cluster's name is CloudFormation's (the template gives none): the teardown named
    it by the ClusterName output, which a deleted stack no longer has (a newcomer's trial)."""
    from troposphere_fargate import __version__

    text = section("Your first hour: from an image to a URL, and back")
    teardown = text[text.index("**7. Tear down.**") :]
    read = teardown.index("OutputKey=='ClusterName'")
    assert read < teardown.index("aws cloudformation delete-stack --stack-name hello")
    assert '--log-group-name "/aws/ecs/containerinsights/$CLUSTER/performance"' in teardown
    shipped = Path(__file__).resolve().parent.parent / "templates" / __version__
    cluster = (shipped / "service.yaml").read_text()
    cluster = cluster[cluster.index("\n  Cluster:\n") :]
    assert "ClusterName:" not in cluster[: cluster.index("Type: AWS::ECS::Cluster")]


def test_the_organization_rollout_says_to_create_the_ecs_service_linked_role_first():
    """A StackSet rolls the product out to accounts that may never have had an ECS cluster, and
    to new accounts as they join: CreateCluster there can fail with "Unable to assume the service
    linked role" (aws-cloudformation/cloudformation-coverage-roadmap#818,
    https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/818; open for
    ECS as https://github.com/aws/containers-roadmap/issues/2614), which stops the region with
    no failure tolerated. The Troubleshooting item covers one stack; the rollout must say so too.
    """
    text = section("Roll out to an organization")
    assert "aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com" in text
    assert "cloudformation-coverage-roadmap#818" in text
    assert "containers-roadmap#2614" in text


# fmt: off
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)
# fmt: on


def test_the_root_section_counts_what_the_root_leaves_and_adds_and_lists_its_outputs():
    """`root.yaml`'s section counts the parameters of service.yaml the root leaves at their
    defaults and those it adds, and lists every output it exports. ServiceConnectAppProtocol
    made those it leaves twelve while the README still said eleven (an audit)."""
    from troposphere_fargate.layers import root
    from troposphere_fargate.release.build import render_templates

    built = render_templates()
    top = built[root.LAYER]
    passed = top["Resources"][root.SERVICE_STACK]["Properties"]["Parameters"]
    left = set(built["service"]["Parameters"]) - set(passed)
    children = set(built["network"]["Parameters"]) | set(built["service"]["Parameters"])
    own = set(top["Parameters"]) - children
    text = " ".join(section("`root.yaml`: everything in one stack").split())
    assert f"but the {NUMBER_WORDS[len(left)]} with which `service.yaml` joins" in text
    assert f"plus {NUMBER_WORDS[len(own)]} of its own" in text
    listed = text.split("exported as `<root stack name>-<output>`: ", 1)[1].split(". ", 1)[0]
    assert sorted(re.findall(r"`(\w+)`", listed)) == sorted(top["Outputs"])


def test_the_console_environment_section_names_what_the_placement_rules_refuse():
    """Where the README lists what service.yaml's rules refuse of a service joining an
    environment, it names every parameter those rules (the ones about ClusterName or Expose)
    check; the list stopped at LoadBalancerType and CertificateArn, though the rules refuse
    HttpsOnly, WebAclArn, StrictTransportSecurityMaxAge, TestListenerPort, RequestsPerTarget,
    DeploymentStrategy and ServiceConnectAppProtocol too (an audit)."""
    from troposphere_fargate.layers import service as s
    from troposphere_fargate.release.build import render_templates

    rules = render_templates()["service"]["Rules"]
    placement = {
        name: rule for name, rule in rules.items() if refs_in(rule) & {s.CLUSTER_NAME, s.EXPOSE}
    }
    assert s.JOINING_NEEDS_THE_ENVIRONMENT in placement
    text = " ".join(section("One stack at a time, from the console").split())
    refused = text.split("The template's rules refuse, before anything is created: ", 1)[1]
    refused = refused.split(". What a console user", 1)[0]
    named = set(re.findall(r"`(\w+)(?:=[^`]*)?`", refused))
    checked = set().union(*(refs_in(rule["Assertions"]) for rule in placement.values()))
    # The listener rule's parameters are "a listener rule", "a priority or a path or host".
    rule_parameters = {s.LISTENER_RULE_PRIORITY, s.LISTENER_RULE_PATH, s.LISTENER_RULE_HOST}
    assert "a priority or a path or host" in refused
    assert sorted(checked - named - rule_parameters) == []


def readme_spec() -> str:
    (spec,) = [
        b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if b.startswith("# app.yaml")
    ]
    return spec


def test_the_readmes_environment_spec_reads_as_it_says():
    from troposphere_fargate import parse_spec

    (spec,) = [
        b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if b.startswith("# shop.yaml")
    ]
    config = parse_spec(spec, "shop.yaml")
    routes = {s.container_name: s.routing for s in config.services if s.routing}
    assert routes["api"].paths == ("/api", "/api/*")  # the list the text explains
    assert routes["web"].paths == ("/*",)
    assert [s.container_name for s in config.services] == ["web", "api", "orders", "worker"]


def test_the_readmes_service_of_several_rules_builds_a_rule_for_each():
    from troposphere_fargate import parse_spec
    from troposphere_fargate.layers import service as s
    from troposphere_fargate.release.build import render_templates

    (spec,) = [
        b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if b.startswith("# api.yaml")
    ]
    config = parse_spec(spec, "api.yaml")
    assert config.warnings == ()
    (api,) = config.services
    # Five paths and two hosts: more values than one rule takes (five).
    assert sum(len(r.paths) + len(r.hosts) for r in api.routing_rules) > 5
    resources = render_templates(config)["service-api"]["Resources"]
    rules = [name for name in resources if name.startswith(s.LISTENER_RULE)]
    assert sorted(rules) == ["ListenerRule", "ListenerRule11"]


def test_the_readmes_application_spec_builds_templates_that_carry_it(tmp_path, capsys):
    from troposphere_fargate import __version__, cli, deployed, from_yaml

    (tmp_path / "app.yaml").write_text(readme_spec())
    output = tmp_path / "build"
    arguments = ["build", "--spec", str(tmp_path / "app.yaml"), "--output", str(output)]
    assert cli.main(arguments) == 0, capsys.readouterr().err
    folder = output / __version__
    assert sorted(p.name for p in folder.iterdir()) == [
        "bucket.yaml",
        "catalog.yaml",
        "environment.yaml",  # the shipped product's layers, with this service
        "instance.yaml",
        "manifest.json",
        "network.yaml",
        "root.yaml",
        "service.yaml",
        "stackset.yaml",
    ]
    assert not (tmp_path / "docs").exists()  # a spec build writes docs only when asked
    service = from_yaml((folder / "service.yaml").read_text())
    # The StackSet's template carries the application as the service does.
    merged = from_yaml((folder / "instance.yaml").read_text())["Resources"]
    for own, theirs in zip(
        merged["TaskDefinition"]["Properties"]["ContainerDefinitions"],
        service["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"],
        strict=True,
    ):
        for key in ("Environment", "Secrets", "Image", "Command"):
            assert own.get(key) == theirs.get(key), key
    assert merged["TaskRole"] == {**service["Resources"]["TaskRole"], "DependsOn": ["NetworkReady"]}
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


def test_every_deploy_of_a_large_template_stages_it_in_s3():
    """CloudFormation takes at most 51,200 bytes of template inline, and `aws cloudformation
    deploy --template-file` refuses a larger file without --s3-bucket (awscli's
    customizations/cloudformation/deploy.py; "AWS CloudFormation quotas"). The emulator takes
    any size, so only this test stands between a README command and that refusal."""
    from troposphere_fargate.release.publish import INLINE_TEMPLATE_BYTES

    repo = Path(__file__).resolve().parent.parent
    found = list(re.finditer(r"aws cloudformation deploy (?:[^\n]*\\\n)*[^\n]*", README))
    assert len(found) >= 8
    large = 0
    for match in found:
        command = match.group(0)
        template_file = re.search(r"--template-file (\S+)", command)
        if template_file is None:
            assert "..." in command, command  # only an elided command names no template
            continue
        name = template_file.group(1)
        if name.startswith("build/"):  # what the README's spec build before it writes there
            size = len(_built_from_readme(name, match.start()).encode())
        else:
            size = (repo / name).stat().st_size  # a file that does not exist fails here
        if size > INLINE_TEMPLATE_BYTES:
            large += 1
            assert "--s3-bucket" in command, command
    assert large >= 5  # service.yaml, 105 KB, on its own four times; a spec's root.yaml


def _built_from_readme(name: str, before: int, also: str = "") -> str:
    """The text of ``build/<version>/<file>`` as the README's last ``build --spec F --output
    build`` before ``before`` writes it, from the README's YAML block that starts ``# F``, with
    the lines ``also`` added to it."""
    from troposphere_fargate import generate, parse_spec

    (*_, spec_name) = re.findall(r"build --spec (\S+) --output build\b", README[:before])
    (spec,) = re.findall(rf"```yaml\n(# {re.escape(spec_name)}\n.*?)```", README, re.S)
    return generate(parse_spec(spec + also, spec_name))[name.rsplit("/", 1)[1]]


def cost_table() -> str:
    """The README's table of each network mode's fixed monthly cost beside AWS CDK's default,
    computed from the templates (dry run) and the shipped price table."""
    from troposphere_fargate import __version__
    from troposphere_fargate.cfn.cost import CDK_DEFAULT, estimate
    from troposphere_fargate.cfn.dry_run import dry_run, footprint

    root = Path(__file__).resolve().parent.parent / "templates" / __version__ / "root.yaml"
    same = {
        "ContainerImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/hello:1",
        "TemplateBucketName": "my-templates",
        "MinCapacity": "1",
    }
    modes = {
        "`PerAz` (the default)": {},
        "`Single`": {"NatGateways": "Single"},
        "`None` with `VpcEndpoints=true`": {"NatGateways": "None", "VpcEndpoints": "true"},
        "`Single` with `VpcEndpoints=true`": {"NatGateways": "Single", "VpcEndpoints": "true"},
    }
    columns = ("NAT gateways", "interface endpoints", "public IPv4", "load balancer", "Fargate")
    rows = [
        "| network | " + " | ".join(columns) + " | monitoring | total |",
        "| --- |" + " ---: |" * (len(columns) + 2),
    ]
    bills = {name: estimate(footprint(dry_run(root, {**same, **v}))) for name, v in modes.items()}
    bills["AWS CDK's default"] = estimate(CDK_DEFAULT)
    for name, bill in bills.items():
        sums = dict.fromkeys((*columns, "monitoring"), 0.0)
        for line in bill.lines:
            column = next(
                (c for c in columns if c.split()[0].lower() in line.item.lower()), "monitoring"
            )
            sums[column] += line.monthly
        cells = [f"${value:,.2f}" if value else "-" for value in sums.values()]
        rows.append(f"| {name} | " + " | ".join(cells) + f" | **{bill.total_text()}** |")
    return "\n".join(rows) + "\n"


def test_the_cost_table_is_what_the_code_computes():
    assert cost_table() in README


def test_the_validate_and_cost_examples_are_what_the_commands_print(capsys):
    from troposphere_fargate import cli

    blocks = re.findall(r"```\n\$ troposphere-fargate ((?:validate|cost) .*?)```", README, re.S)
    examples = []
    for block in blocks:
        lines = block.splitlines()
        taken = next(i for i, line in enumerate(lines) if not line.endswith("\\")) + 1
        command = " ".join(line.rstrip("\\") for line in lines[:taken])
        examples.append((command, "\n".join(lines[taken:])))
    assert len(examples) == 3
    repo = Path(__file__).resolve().parent.parent
    for command, printed in examples:
        argv = command.split()
        argv[1] = str(repo / argv[1])
        cli.main(argv)
        out, err = capsys.readouterr()
        shown = (out + err).splitlines()
        assert printed.splitlines() == shown[: len(printed.splitlines())], command


def test_the_readmes_and_the_references_environments_build_without_a_warning():
    from troposphere_fargate import parse_spec
    from troposphere_fargate.release.spec import ENVIRONMENT_EXAMPLE_SPEC

    (spec,) = [
        b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if b.startswith("# shop.yaml")
    ]
    for text in (spec, ENVIRONMENT_EXAMPLE_SPEC):
        config = parse_spec(text, "shop.yaml")
        assert [s.warnings for s in config.services] == [()] * len(config.services)


def test_the_development_tree_names_every_module():
    """A docs trial: the tree left out three of the seven template builders and half of
    ``cfn/``. Every module is named: a file by its name, a module of ``layers/service/`` or
    ``layers/environment/`` by its stem on its folder's lines."""
    tree = section("Development").split("```")[1]
    package = Path(__file__).resolve().parent.parent / "troposphere_fargate"
    folders = {"service", "environment"}
    missing = []
    for module in sorted(package.rglob("*.py")):
        relative = module.relative_to(package)
        if relative.parent.name in folders:
            # The folder's line and the lines that continue it (indented past the names).
            match = re.search(rf"^    {relative.parent.name}/ .*(?:\n {{10,}}\S.*)*", tree, re.M)
            lines = match.group(0) if match else ""
            named = module.stem == "__init__" or re.search(rf"\b{module.stem}\b", lines)
        else:
            named = re.search(rf"^\s+{re.escape(module.name)} ", tree, re.M)
        if not named:
            missing.append(str(relative))
    assert missing == []


def test_the_load_balancer_cost_table_is_what_the_prices_give():
    """A docs trial: the rows multiplied the rounded $23.73 ($94.92 for 4, not $94.90)."""
    import json

    prices = json.loads(
        (
            Path(__file__).resolve().parent.parent / "troposphere_fargate" / "cfn" / "prices.json"
        ).read_text()
    )
    hours = prices["hours_per_month"]
    us = prices["regions"]["us-east-1"]
    # One load balancer and its nodes' public IPv4 addresses, one per AZ, in two AZs.
    month = (us["application_load_balancer_hour"] + 2 * us["public_ipv4_hour"]) * hours
    for count in (1, 4, 10, 50):
        row = f"| {count} | ${month * count:,.2f}"
        assert row in README, row


# Every `aws ...` command the README and docs/*.md show, against the AWS CLI's own command
# table (awscli, a test extra, in-process and offline: nothing is called). The CLI is v1; what
# only v2 has is listed here, with why, and the text must say it needs v2 where it uses it.
AWS_CLI_V2_ONLY = {
    ("logs", "tail"): "a customization of the AWS CLI v2: awscli v1's logs commands are the "
    "CloudWatch Logs API's operations only (filter-log-events reads the same events, without "
    "--follow)",
}
# And what v1 has that v2 took away: the README asks for v2, so these are refused.
AWS_CLI_V1_ONLY = {
    ("ecr", "get-login"): "removed in the AWS CLI v2 (its migration guide): get-login-password "
    "piped to docker login --password-stdin works in both",
}
DOCS = (
    Path(__file__).resolve().parent.parent / "README.md",
    *sorted((Path(__file__).resolve().parent.parent / "docs").glob("*.md")),
)
SHELL_LANGUAGES = ("sh", "bash", "shell", "")  # "": a block of what a command prints


def _closing_parenthesis(text: str, start: int) -> int:
    """The index of the ``)`` that closes the ``$(`` or ``(`` just before ``start``."""
    depth, quote, i = 1, "", start
    while i < len(text):
        char = text[i]
        if quote == "'":
            quote = "" if char == "'" else quote
        elif char == "\\":
            i += 1
        elif char == quote == '"':
            quote = ""
        elif char in "'\"" and not quote:
            quote = char
        elif char == "(" and (not quote or text[i - 1] == "$"):
            depth += 1
        elif char == ")" and not quote:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise AssertionError(f"no closing parenthesis in {text[start - 2 :]!r}")


def shell_commands(text: str, offset: int = 0) -> list[list[tuple[str, int]]]:
    """The simple commands of a shell script, each a list of (word, offset of the word): lines
    joined at a trailing backslash, comments dropped, split at newlines, ``;``, ``|``, ``&&``
    and parentheses, quotes removed, and each ``$(...)`` read as commands of its own (its word
    keeps the text ``$(...)``). Leading ``{``, ``do``, ``then`` and ``NAME=value`` words go."""
    commands: list[list[tuple[str, int]]] = [[]]
    substituted: list[list[tuple[str, int]]] = []
    word, at, quote, i = "", -1, "", 0

    def end_word() -> None:
        nonlocal word, at
        if at >= 0:
            commands[-1].append((word, offset + at))
        word, at = "", -1

    while i < len(text):
        char = text[i]
        if quote == "'" and char != "'":
            word += char
        elif char == "\\" and text[i + 1 : i + 2] == "\n":
            i += 1  # a line continuation
        elif char == "\\":
            at = i if at < 0 else at
            word += text[i + 1 : i + 2]
            i += 1
        elif text.startswith("$(", i):
            close = _closing_parenthesis(text, i + 2)
            substituted += shell_commands(text[i + 2 : close], offset + i + 2)
            at = i if at < 0 else at
            word += "$(...)"
            i = close
        elif char in "'\"" and (not quote or char == quote):
            at = i if at < 0 else at
            quote = "" if quote else char
        elif quote:
            word += char
        elif char == "#" and at < 0:  # a comment, up to the newline
            newline = text.find("\n", i)
            i = (len(text) if newline < 0 else newline) - 1
        elif char.isspace() and char != "\n":
            end_word()
        elif char in "\n;|&()":
            end_word()
            commands.append([])
        else:
            at = i if at < 0 else at
            word += char
        i += 1
    end_word()
    simple = []
    for command in commands + substituted:
        while command and (
            command[0][0] in {"{", "}", "do", "then", "else", "!"}
            or re.fullmatch(r"[A-Za-z_]\w*=.*", command[0][0])
        ):
            command = command[1:]
        if command:
            simple.append(command)
    return simple


def doc_commands(path: Path) -> list[tuple[int, list[str], str]]:
    """Every command of a doc's shell code blocks (and of the blocks of what a command prints)
    and of its inline code that starts with ``aws`` or ``troposphere-fargate``, in the order of
    the file: (offset of its first word, its words, the text that says what the command needs:
    its paragraph or list item, or for a code block the one before it and the block)."""
    found = []
    text = path.read_text()
    block = re.compile(r"^( *)```(\w*)\n(.*?)^\1```", re.M | re.S)
    for match in block.finditer(text):
        if match.group(2) not in SHELL_LANGUAGES:
            continue
        before = len(text[: match.start()].rstrip())
        context = _paragraph(text, before, before) + match.group(3)
        for command in shell_commands(match.group(3), match.start(3)):
            found.append((command[0][1], [w for w, _ in command], context))
    # Inline code, in the prose and in the shell blocks' comments (the rest blanked).
    prose = block.sub(_comments_only, text)
    for match in re.finditer(r"`((?:aws|troposphere-fargate) [^`]*)`", prose):
        context = _paragraph(prose, match.start(), match.end())
        for command in shell_commands(match.group(1).replace("\n", " "), match.start(1)):
            found.append((command[0][1], [w for w, _ in command], context))
    return sorted(found, key=lambda item: item[0])


def aws_commands() -> list[tuple[str, list[str], str]]:
    """Every ``aws`` command of the README and docs/*.md (:func:`doc_commands`): (file:line,
    the words after ``aws``, the text that says what the command needs)."""
    found = []
    for path in DOCS:
        text = path.read_text()
        for at, words, context in doc_commands(path):
            if words[0] == "aws":
                found.append((f"{path.name}:{text.count(chr(10), 0, at) + 1}", words[1:], context))
    return found


def _paragraph(text: str, start: int, end: int) -> str:
    """The paragraph or list item around ``text[start:end]``."""
    boundary = re.compile(r"\n\s*\n|\n *(?:[-*]|\d+\.) ")
    starts = [0] + [m.end() for m in boundary.finditer(text, 0, start)]
    after = boundary.search(text, end)
    return text[starts[-1] : after.start() if after else len(text)]


def _comments_only(block: re.Match[str]) -> str:
    """A code block blanked but for a shell block's comments, "#" and all, each in its place."""
    lines = []
    for line in block.group(0).split("\n"):
        comment = re.search(r"(?:^|\s)# ?", line) if block.group(2) in SHELL_LANGUAGES else None
        start = comment.end() if comment else len(line)
        lines.append(" " * start + line[start:])
    return "\n".join(lines)


@functools.cache
def _aws_cli() -> Any:
    from awscli.clidriver import create_clidriver

    return create_clidriver()


def aws_cli(monkeypatch: pytest.MonkeyPatch) -> Any:
    """awscli's driver, in-process: its command table only is read, nothing is called. The
    user's AWS config (a profile, pinned api_versions) stays out of its names."""
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_PROFILE", raising=False)
    return _aws_cli()


def _subcommands(command: Any) -> dict[str, Any]:
    """The driver's services, a service's operations, a customization's subcommands
    (``wait``'s waiters, ``s3``'s commands), or nothing for an operation."""
    if hasattr(command, "subcommand_table"):
        return dict(command.subcommand_table)
    if hasattr(command, "_get_command_table"):
        return dict(command._get_command_table())
    return {}


def _unknown(kind: str, name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), 1)
    return f"no {kind} {name}" + (f" (did you mean {close[0]}?)" if close else "")


def aws_cli_reading(driver: Any, words: list[str]) -> tuple[tuple[str, ...], str]:
    """The command ``aws <words>`` names (its service, operation and any subcommand, such as a
    waiter), and why the AWS CLI's command table refuses it: "" when it has the command and
    every ``--option`` given (the command's or a global one). Values, shorthand and JSON are
    not read, nor ``...``, a command elided. A command of AWS_CLI_V2_ONLY is named, not
    checked; one of AWS_CLI_V1_ONLY is refused."""
    global_options = driver._get_argument_table()
    words = [word for word in words if word != "..."]
    while words and words[0].startswith("--"):  # global options before the service
        name = words.pop(0)[2:]
        if name.split("=")[0] not in global_options:
            return (), _unknown("global option", f"--{name}", map("--{}".format, global_options))
        if "=" not in name and global_options[name].cli_type_name != "boolean" and words:
            words.pop(0)
    path: tuple[str, ...] = ()
    command, table = driver, _subcommands(driver)
    while table:
        if words and not words[0].startswith("-"):
            path += (words.pop(0),)
            if path in AWS_CLI_V2_ONLY:
                return path, ""
            if path in AWS_CLI_V1_ONLY:
                return path, AWS_CLI_V1_ONLY[path]
            if path[-1] not in table:
                kind = ("service", "operation")[len(path) - 1] if len(path) < 3 else "subcommand"
                return path[:-1], _unknown(kind, path[-1], table)
            command, table = table[path[-1]], _subcommands(table[path[-1]])
        elif command is driver or not command.arg_table:  # a service, wait, s3
            return path, "needs one of " + ", ".join(sorted(table)[:4]) + ", ..."
        else:  # cloudformation deploy: awscli gives it codedeploy's subcommands, unused here
            break
    options = {
        name for name, argument in command.arg_table.items() if not argument.positional_arg
    } | set(global_options)
    for word in words:
        if word.startswith("--") and word[2:].split("=")[0] not in options:
            return path, _unknown("option", word.split("=")[0], map("--{}".format, options))
    return path, ""


def test_every_aws_command_the_docs_show_is_one_the_aws_cli_has(monkeypatch):
    """Nothing ran the README's ~90 aws commands (walkthrough, troubleshooting, StackSets,
    publish, tear-down): a misspelt operation or option (`describe-stack-event`, `--stack-names`)
    would reach the reader as an error of the AWS CLI. Each is read against the CLI's own
    command table: the service, the operation or customization (deploy, wait's waiters, s3 rb),
    and every option, the command's or a global one."""
    driver = aws_cli(monkeypatch)
    commands = aws_commands()
    assert len(commands) >= 85  # the extraction finds them: about 60 in code blocks, 30 inline
    refused = []
    for where, words, _ in commands:
        path, why = aws_cli_reading(driver, words)
        if why:
            refused.append(f"{where}: aws {' '.join(path)}: {why}")
    # A command or option only the AWS CLI v2 has goes into AWS_CLI_V2_ONLY, with the reason.
    assert refused == []


@pytest.mark.parametrize(
    ("command", "refused"),
    [
        ("cloudfromation deploy", "no service cloudfromation (did you mean cloudformation?)"),
        (
            "cloudformation describe-stack-event --stack-name hello",
            "no operation describe-stack-event (did you mean describe-stack-events?)",
        ),
        (
            "cloudformation describe-stacks --stack-names hello",
            "no option --stack-names (did you mean --stack-name?)",
        ),
        (
            "cloudformation deploy --stack-name hello --no-execute-changset",
            "no option --no-execute-changset (did you mean --no-execute-changeset?)",
        ),
        ("cloudformation wait stack-deleted --stack-name hello", "no subcommand stack-deleted"),
        ("cloudformation wait --stack-name hello", "needs one of change-set-create-complete"),
        ("s3 rb s3://BUCKET --forse", "no option --forse (did you mean --force?)"),
        ("--regoin eu-west-1 ecs list-tasks", "no global option --regoin"),
        ("ecr get-login --no-include-email", "removed in the AWS CLI v2"),
        ("ecs", "needs one of"),
    ],
)
def test_the_aws_cli_check_refuses_a_misspelt_name(monkeypatch, command, refused):
    """What the check above would say of a typo at each level of a command."""
    assert aws_cli_reading(aws_cli(monkeypatch), command.split())[1].startswith(refused)


def test_the_aws_cli_check_takes_values_placeholders_and_global_options(monkeypatch):
    """Only names are read: a placeholder, a shorthand or JSON value, an elided ``...`` and the
    global options (before the service or after the operation) are not refused."""
    driver = aws_cli(monkeypatch)
    for command in (
        "--region eu-west-1 ecs list-tasks --cluster CLUSTER --desired-status STOPPED",
        "ecs describe-tasks --tasks TASK_ARN --query 'tasks[].[a,b]' --output text --no-paginate",
        "cloudformation deploy ... --parameter-overrides Name=Value --profile p",
        "cloudformation create-change-set --include-nested-stacks --parameters $keep",
        "ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=VPC",
        "s3 rb s3://BUCKET --force",
        "ecr get-login-password",
    ):
        assert aws_cli_reading(driver, command.split())[1] == "", command


def test_the_aws_command_extraction_reads_a_script_as_the_shell_does():
    """Continued lines, pipes, ``$(...)`` (a command of its own), comments, function bodies,
    loops and assignments: each aws command is found once, with its own words."""
    script = (
        "ORG=$(aws organizations describe-organization --query Organization.Id --output text)\n"
        "for region in us-east-1 eu-west-1; do\n"
        '  aws cloudformation deploy --region "$region" \\\n'
        "    --stack-name s  # a comment (with parentheses) --not-an-option\n"
        "done\n"
        "out() { aws cloudformation describe-stacks --stack-name n \\\n"
        "  --query \"Stacks[0].Outputs[?OutputKey=='$1'].OutputValue\" --output text; }\n"
        'aws s3api delete-objects --bucket LOGS --delete "$(aws s3api list-object-versions \\\n'
        '  --bucket LOGS --output json)"\n'
        "aws s3 ls | grep -i hello\n"
    )
    commands = [[word for word, _ in c] for c in shell_commands(script) if c[0][0] == "aws"]
    assert commands == [
        ["aws", "cloudformation", "deploy", "--region", "$region", "--stack-name", "s"],
        ["aws", "cloudformation", "describe-stacks", "--stack-name", "n", "--query",
         "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue", "--output", "text"],
        ["aws", "s3api", "delete-objects", "--bucket", "LOGS", "--delete", "$(...)"],
        ["aws", "s3", "ls"],
        ["aws", "organizations", "describe-organization", "--query", "Organization.Id",
         "--output", "text"],
        ["aws", "s3api", "list-object-versions", "--bucket", "LOGS", "--output", "json"],
    ]  # fmt: skip
    offsets = [c[0][1] for c in shell_commands(script) if c[0][0] == "aws"]
    assert all(script.startswith("aws ", at) for at in offsets)
    assert [script.count("\n", 0, at) + 1 for at in offsets] == [3, 6, 8, 10, 1, 8]  # lines


def test_a_command_only_the_aws_cli_v2_has_is_said_to_need_it(monkeypatch):
    """The CLI the tests read is v1 (awscli, a test extra); `aws logs tail` is v2's alone. Where
    the README uses such a command it says so (its paragraph names the AWS CLI v2), and the
    table stays true: v1 still lacks each command of it, and the docs still use each."""
    driver = aws_cli(monkeypatch)
    used = {}
    for where, words, context in aws_commands():
        path, _ = aws_cli_reading(driver, words)
        if path in AWS_CLI_V2_ONLY:
            used.setdefault(path, []).append(where)
            assert "AWS CLI v2" in " ".join(context.split()), where
    assert sorted(used) == sorted(AWS_CLI_V2_ONLY)
    for path in AWS_CLI_V2_ONLY:
        command = driver
        for name in path[:-1]:
            command = _subcommands(command)[name]
        assert path[-1] not in _subcommands(command), f"awscli v1 has aws {' '.join(path)} now"


def test_the_library_section_asks_a_type_ignore_only_of_the_untyped_import():
    """A library trial: the README said awacs ships no type hints and to put
    ``# type: ignore[import-untyped]`` on its import; awacs ships ``py.typed``, and
    ``mypy --strict`` failed that comment as unused."""
    import importlib.util

    def typed(package: str) -> bool:
        spec = importlib.util.find_spec(package)
        assert spec and spec.origin
        return (Path(spec.origin).parent / "py.typed").is_file()

    text = " ".join(section("Use it as a library").split())
    assert typed("awacs") and not typed("troposphere")
    assert "imports troposphere (to add a resource) needs `# type: ignore[import-untyped]`" in text
    assert "awacs does (`py.typed`): an import of it needs nothing" in text


S3_TEMPLATE_URL = re.compile(r"https://[a-z0-9-]+\.s3\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/\S*")


def test_every_template_url_the_docs_show_is_where_the_publish_before_it_put_the_template():
    """An audit of the docs' commands: the step-by-step update's change set took its
    ``--template-url`` from ``https://my-templates.s3.eu-west-1.amazonaws.com/0.4.0/root.yaml``,
    while the publish the step before names (``--bucket my-templates --region eu-west-1``, the
    default ``--prefix troposphere-fargate/``) puts it under ``troposphere-fargate/0.4.0/``:
    CloudFormation would find no template there. Each S3 URL of a command is the one
    ``publish`` gives for the last publish command before it in the same file."""
    from troposphere_fargate import cli
    from troposphere_fargate.release.publish import Destination

    checked = []
    for path in DOCS:
        published = None
        for _, words, _ in doc_commands(path):
            # A publish that names its bucket; not a synopsis (``[--prefix P]``) or a mention.
            synopsis = any(word.startswith("[") for word in words)
            if words[:2] == ["troposphere-fargate", "publish"] and "--bucket" in words:
                published = None if synopsis else cli._parser().parse_args(words[1:])
            for url in filter(S3_TEMPLATE_URL.fullmatch, words):
                assert published, f"{path.name}: {url}: no publish command before it"
                destination = Destination(
                    published.bucket, published.prefix, published.version, published.region
                )
                checked.append(url)
                assert url == destination.url(url.rsplit("/", 1)[1]), " ".join(words)
    assert len(checked) >= 1  # the change set's; the launch links are checked apart


def test_every_shell_function_the_docs_call_is_defined_before_and_shadows_no_command():
    """An audit of the docs' commands, run in the order a reader meets them: the environment's
    console commands called ``out`` (the network stack's outputs) "as above", but the README
    defines it a section later, so the first paste ran ``VpcId=""``; and they defined ``env``,
    which then shadows the ``env`` command in the reader's shell (a function is looked up
    before the PATH). Every function a command calls is defined in that file before the call,
    and its name is no command's."""
    import shutil

    definition = re.compile(r"^ *([A-Za-z_]\w*)\(\) *\{", re.M)
    called = []
    for path in DOCS:
        text = path.read_text()
        defined = {m.group(1): m.start(1) for m in reversed(list(definition.finditer(text)))}
        for name in defined:
            assert shutil.which(name) is None, f"{path.name}: function {name} shadows a command"
        for at, words, _ in doc_commands(path):
            if words[0] in defined:
                called.append(words[0])
                assert defined[words[0]] <= at, f"{path.name}:{text.count(chr(10), 0, at) + 1}"
    assert len(called) >= 10


def _anchors(text: str) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings (code blocks' ``#`` lines are none):
    lower case, punctuation but ``-`` and ``_`` dropped, spaces to ``-``, and ``-1``, ``-2``
    after a repeated one."""
    anchors: set[str] = set()
    blocks = re.sub(r"^( *)```.*?^\1```", "", text, flags=re.M | re.S)
    for heading in re.findall(r"^#{1,6} (.+)$", blocks, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchor, repeat = slug, 0
        while anchor in anchors:
            repeat += 1
            anchor = f"{slug}-{repeat}"
        anchors.add(anchor)
    return anchors


def _without_code(text: str) -> str:
    """A Markdown text without its code blocks and inline code (a pattern's ``](`` is no link)."""
    text = re.sub(r"^( *)```.*?^\1```", "", text, flags=re.M | re.S)
    return re.sub(r"`[^`]*`", "", text)


def test_every_relative_link_and_anchor_of_the_docs_resolves():
    """An audit of the docs: nothing checked the README's and docs/*.md's ~40 relative links
    (pictures, templates/0.4.0/*.yaml, the generated references and their #anchors), which a
    renamed heading, file or version folder breaks without a word. Each names a file of the
    repository, and each #anchor a heading of the Markdown file it points into."""
    repo = Path(__file__).resolve().parent.parent
    checked = []
    for path in DOCS:
        for target in re.findall(r"\]\(([^)\s]+)\)", _without_code(path.read_text())):
            if re.match(r"[a-z]+:", target):  # https:, mailto:
                continue
            name, _, anchor = target.partition("#")
            linked = (path.parent / name).resolve() if name else path
            assert linked.is_relative_to(repo) and linked.exists(), f"{path.name}: {target}"
            if anchor:
                assert linked.suffix == ".md", f"{path.name}: {target}"
                assert anchor in _anchors(linked.read_text()), f"{path.name}: {target}"
            checked.append(target)
    assert len(checked) >= 40


def _cli_options() -> dict[str, list[tuple[str, ...]]]:
    """The option strings of each of the command's options, by subcommand (``""``: the
    command's own, such as ``--version``), ``--help`` left out."""
    import argparse

    from troposphere_fargate import cli

    def options(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
        return [
            tuple(action.option_strings)
            for action in parser._actions
            if action.option_strings and not isinstance(action, argparse._HelpAction)
        ]

    parser = cli._parser()
    found = {"": options(parser)}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update((name, options(sub)) for name, sub in action.choices.items())
    return found


OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")


def test_the_commands_synopsis_names_every_option_of_every_subcommand():
    """An audit of the command's options against its docs: the synopsis under "The command",
    where a user looks first, names every option each subcommand's ``--help`` lists (by one of
    its spellings, ``-o`` or ``--output``), and the command's own ``--version``, which it left
    out."""
    (synopsis,) = re.findall(r"```\n(.*?)```", section("The command"), re.S)[:1]
    lines: dict[str, set[str]] = {}
    for line in synopsis.splitlines():
        words = line.split()
        assert words[0] == "troposphere-fargate", line
        subcommand = "" if words[1].startswith("-") else words[1]
        lines.setdefault(subcommand, set()).update(OPTION.findall(line))
    missing = [
        f"{subcommand or 'troposphere-fargate'} {'/'.join(spellings)}"
        for subcommand, options in _cli_options().items()
        for spellings in options
        if not lines.get(subcommand, set()) & set(spellings)
    ]
    assert missing == []


def test_every_option_the_docs_give_a_subcommand_is_one_it_has():
    """The other way round: an option the README or docs/*.md give ``troposphere-fargate X`` (a
    command, a synopsis, or inline code such as ``diff --set ...``) is one of X's."""
    known = {name: {s for spellings in o for s in spellings} for name, o in _cli_options().items()}
    subcommand = "|".join(name for name in known if name)
    given = []
    for path in DOCS:
        text = re.sub(r"\\\n\s*", " ", path.read_text())  # continued lines
        uses = re.finditer(rf"(?:troposphere-fargate |`)({subcommand})((?: [^`\n]*)?)", text)
        for use in uses:
            for option in OPTION.findall(use.group(2)):
                given.append(option)
                assert option in known[use.group(1)], f"{path.name}: {use.group(0)}"
    assert len(given) >= 120


def test_every_parameter_a_deploy_command_gives_is_one_of_its_template():
    """``aws cloudformation deploy`` passes CloudFormation the template's parameters only: an
    override of a name the template has not (``NatGateway=Single``) is dropped without a word,
    and the stack gets the default (awscli's customizations/cloudformation/deploy.py,
    ``merge_parameters``: "for key, value in template_dict["Parameters"].items(): ... if key in
    parameter_overrides"). The emulator cannot catch it either: each name the docs' deploy
    commands give is one of the template the command names (a build's, from the spec the README
    builds it from; in a VPC of one's own, with its ``network: {existing_vpc: true}``)."""
    from troposphere_fargate import from_yaml

    repo = Path(__file__).resolve().parent.parent
    given = 0
    for at, words, context in doc_commands(repo / "README.md"):
        if words[:3] != ["aws", "cloudformation", "deploy"] or "--template-file" not in words:
            continue
        name = words[words.index("--template-file") + 1]
        if name.startswith("build/"):
            existing_vpc = "`network: {existing_vpc: true}`" in context
            also = "network: {existing_vpc: true}\n" if existing_vpc else ""
            template = from_yaml(_built_from_readme(name, at, also))
        else:
            template = from_yaml((repo / name).read_text())
        overrides = " ".join(words).partition(" --parameter-overrides ")[2]
        for override in re.split(r" (?=--)", overrides, maxsplit=1)[0].split():
            given += 1
            key = override.split("=", 1)[0]
            assert key in template["Parameters"], f"{name}: {override} ({' '.join(words)})"
    assert given >= 60


def _unknown_fields(node: dict[str, Any], shape: Any) -> tuple[Any, list[str]]:
    """The shape a JMESPath expression's node gives, read from ``shape`` (a botocore shape, or
    None where it is not followed), and the fields it names that the shape has not."""
    kind, children = node["type"], node.get("children", [])
    if kind == "field":
        if shape is None:
            return None, []
        members = shape.members if shape.type_name == "structure" else {}
        return members.get(node["value"]), [] if node["value"] in members else [node["value"]]
    if kind == "subexpression":  # a.b.c
        unknown = []
        for child in children:
            shape, more = _unknown_fields(child, shape)
            unknown += more
        return shape, unknown
    if kind in ("index_expression", "projection", "filter_projection", "pipe"):
        left, unknown = _unknown_fields(children[0], shape)
        # The right side reads the list's items (after a pipe: its result, not followed).
        listed = left is not None and left.type_name == "list" and kind != "pipe"
        left = left.member if listed else None
        for condition in children[2:]:  # a filter's condition
            unknown += _unknown_fields(condition, left)[1]
        right, more = _unknown_fields(children[1], left) if len(children) > 1 else (left, [])
        return right, unknown + more
    if kind == "flatten":
        return _unknown_fields(children[0], shape)
    if kind in ("identity", "current", "index", "slice"):
        return shape, []
    unknown = []  # multi-select lists and hashes, comparisons, functions: their arguments
    for child in children:
        child = child["children"][0] if child["type"] == "key_val_pair" else child
        unknown += _unknown_fields(child, shape)[1]
    return None, unknown


def test_every_query_of_the_docs_names_fields_the_command_returns(monkeypatch):
    """A ``--query`` that names a field the response has not prints ``None`` (or nothing), and
    the reader passes that on (``CLUSTER=$(...)``): each field of each query is one of the
    operation's output shape in the AWS CLI's own model (botocore), a filter's included, as far
    as the expression keeps the shape (not through a multi-select list's items)."""
    from jmespath import parser

    driver = aws_cli(monkeypatch)
    checked = []
    for where, words, _ in aws_commands():
        if "--query" not in words:
            continue
        command = driver
        for name in aws_cli_reading(driver, words)[0]:
            command = _subcommands(command)[name]
        query = words[words.index("--query") + 1]
        output = command._operation_model.output_shape
        unknown = _unknown_fields(parser.Parser().parse(query).parsed, output)[1]
        assert unknown == [], f"{where}: {query}"
        checked.append(query)
    assert len(checked) >= 20


def test_launch_role_example_is_what_diff_of_the_two_versions_prints(capsys, monkeypatch):
    """The README's launch role line (its explanation cut to "(...)") is the one `diff 0.3.0
    0.4.0` prints: a review found it said 39 actions where the role gains 58."""
    from troposphere_fargate import cli

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    match = re.search(
        r"\(`troposphere-fargate diff (\S+) (\S+)`\):\n\n```\ncatalog.yaml\n(  safe +resource "
        r"LaunchRole: [^\n]*) \(\.\.\.\)\n```",
        README,
    )
    assert match
    cli.main(["diff", match.group(1), match.group(2)])
    printed = capsys.readouterr().out.splitlines()
    (line,) = [x for x in printed if "resource LaunchRole:" in x]
    assert line.startswith(match.group(3) + " (")


def test_the_library_example_of_the_templates_built_from_others_does_what_it_says():
    """The README's example rebuilds the root, the merged instance and the StackSet from a
    changed service: it prints the queue and the wait handle, as the text says."""
    (example,) = [block for _, block in python_examples() if "instance_template(built" in block]
    printed: list[Any] = []
    exec(example, {"print": printed.append})
    assert printed == [["JobsQueue", "NetworkReady"]]
    assert "This prints `['JobsQueue', 'NetworkReady']`" in README
