"""Helpers for the template tests: reading properties, finding references, evaluating the few
intrinsic functions that compute values (Select, Split, Sub, If, Join) for given parameters,
and saying what differs between two templates, section by section."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest

from troposphere_fargate.cfn.yaml import SECTION_ORDER
from troposphere_fargate.layers import service as s

T = TypeVar("T")

# What the shipped service.yaml needs on its own, and what it joins an environment with.
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2"
SERVICE_REQUIRED = {
    s.VPC_ID: "vpc-0a1b2c3d",
    s.PUBLIC_SUBNET_IDS: "subnet-01,subnet-02",
    s.PRIVATE_SUBNET_IDS: "subnet-11,subnet-12",
    s.CONTAINER_IMAGE: IMAGE,
}
# A regional AWS WAF web ACL (WebAclArn), as the console's ARNs are written.
WEB_ACL = (
    "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/a1b2c3d4-5678-90ab-cdef-111122223333"
)
IN_ENVIRONMENT = {
    s.CLUSTER_NAME: "shop-Cluster-AbCdEf012345",
    s.ENVIRONMENT_SECURITY_GROUP_ID: "sg-0123456789abcdef0",
    s.NAMESPACE_ARN: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abcdef0123",
}
PUBLIC_IN_ENVIRONMENT = {
    **IN_ENVIRONMENT,
    s.LISTENER_ARN: (
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/"
        "0123456789abcdef/fedcba9876543210"
    ),
    s.LOAD_BALANCER_SECURITY_GROUP_ID: "sg-0fedcba9876543210",
    s.ENVIRONMENT_URL: "https://shop.example.com",
    s.LISTENER_RULE_PRIORITY: "10",
    s.LISTENER_RULE_PATH: "/*",
}
# What a root passes a spec's service of an environment: the network's and the environment's
# outputs (its routing is built in, so no ListenerRule* parameters).
JOINED = {
    s.VPC_ID: SERVICE_REQUIRED[s.VPC_ID],
    s.PRIVATE_SUBNET_IDS: SERVICE_REQUIRED[s.PRIVATE_SUBNET_IDS],
    s.CONTAINER_IMAGE: IMAGE,
    **{k: v for k, v in PUBLIC_IN_ENVIRONMENT.items() if not k.startswith("ListenerRule")},
}

PSEUDO_PARAMETERS = {
    "AWS::AccountId",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackName",
    "AWS::URLSuffix",
}


def misspelt_dns_support(render: Callable[..., Any]) -> Callable[..., Any]:
    """``render`` (``build.render_templates``) with the network's ``EnableDnsSupport``
    misspelt ``EnableDnsSuport``: templates cfn-lint finds fault with (E3002)."""

    def broken_templates(*args: Any, **kwargs: Any) -> Any:
        built = render(*args, **kwargs)
        vpc = built["network"]["Resources"]["Vpc"]["Properties"]
        vpc["EnableDnsSuport"] = vpc.pop("EnableDnsSupport")
        return built

    return broken_templates


def small_templates(render: Callable[..., Any], keep: tuple[str, ...] = ()) -> Callable[..., Any]:
    """``render`` (``build.render_templates``) with each template, but those of the layers
    ``keep`` names, cut to its description, its metadata (the version stamp, the regions it
    claims) and one small resource: the build's own steps on texts cfn-lint reads in a moment.

    For tests of what a build does with cfn-lint's verdicts, or of a spec's one template: the
    shipped templates take cfn-lint 15 to 20 s of CPU in their regions, and their verdicts are
    test_a_plain_cfn_lint_run_lints_the_committed_templates_in_every_claimed_region's. The
    network's one resource is a VPC, so that ``misspelt_dns_support`` around this finds its
    ``EnableDnsSupport``."""

    def small(*args: Any, **kwargs: Any) -> Any:
        built = render(*args, **kwargs)
        return {name: t if name in keep else _small(name, t) for name, t in built.items()}

    return small


def _small(layer: str, template: Mapping[str, Any]) -> dict[str, Any]:
    properties = {"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": True}
    vpc = {"Type": "AWS::EC2::VPC", "Properties": properties}
    handle = {"Type": "AWS::CloudFormation::WaitConditionHandle"}
    metadata = template["Metadata"]
    return {
        "Description": template["Description"],
        # Without the console's parameter groups: they name parameters the cut template lacks.
        "Metadata": {k: v for k, v in metadata.items() if k != "AWS::CloudFormation::Interface"},
        "Resources": {"Vpc": vpc} if layer == "network" else {"Handle": handle},
    }


def props(resource: Mapping[str, Any]) -> dict[str, Any]:
    return dict(resource.get("Properties", {}))


def of_type(template: Mapping[str, Any], resource_type: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def refs_in(node: Any) -> set[str]:
    """Every logical ID referenced by Ref, GetAtt, DependsOn or a ${Name} in Sub."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= refs_in(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref":
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0])
            elif key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else value
                names = {m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text)}
                found |= (names - set(variables)) | refs_in(variables)
            elif key == "DependsOn":
                found |= {value} if isinstance(value, str) else set(value)
            else:
                found |= refs_in(value)
    return found


def dangling_refs(stack: Any) -> set[str]:
    """References in a deployment (troposphere_fargate.evaluate.Deployment) to nothing."""
    known = set(stack.resources) | set(stack.parameters) | PSEUDO_PARAMETERS
    return (refs_in(stack.resources) | refs_in(stack.outputs)) - known


def compute(node: Any, values: Mapping[str, str], conditions: Mapping[str, bool] = {}) -> Any:
    """Evaluate Ref (to parameters and pseudo parameters), Fn::Select, Fn::Split, Fn::Join,
    Fn::Sub, Fn::If, Fn::GetAtt and Fn::GetAZs, the way CloudFormation would, with ``values``
    for the references (``values["Fn::GetAZs"]``: the zones Fn::GetAZs returns;
    ``values["Vpc.DefaultSecurityGroup"]``: an attribute)."""
    if isinstance(node, list):
        return [compute(item, values, conditions) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) != 1 or not next(iter(node)).startswith(("Fn::", "Ref")):
        return {key: compute(value, values, conditions) for key, value in node.items()}
    ((fn, arg),) = node.items()
    if fn == "Ref":
        return values[arg]
    if fn == "Fn::GetAZs":
        return values["Fn::GetAZs"]  # the zones the test says the region lists
    if fn == "Fn::Select":
        index, items = compute(arg, values, conditions)
        return items[int(index)]
    if fn == "Fn::Split":
        delimiter, text = compute(arg, values, conditions)
        return text.split(delimiter)
    if fn == "Fn::Join":
        delimiter, items = compute(arg, values, conditions)
        return delimiter.join(items)
    if fn == "Fn::If":
        name, then, otherwise = arg
        return compute(then if conditions[name] else otherwise, values, conditions)
    if fn == "Fn::GetAtt":  # given as "Resource.Attribute" in values
        return values[".".join(arg)]
    if fn == "Fn::Sub":
        text, variables = (arg, {}) if isinstance(arg, str) else arg
        scope = {**values, **{k: compute(v, values, conditions) for k, v in variables.items()}}
        filled = re.sub(r"\$\{([^}!]+)\}", lambda m: scope[m.group(1)], text)
        return filled.replace("${!", "${")  # ${!Literal} is the text ${Literal}
    raise NotImplementedError(fn)


def memory_left(template: Mapping[str, Any], stack: Any) -> int:
    """The MiB of a deployment's task memory that no container's hard limit (``Memory``: a
    number, a ``Ref`` to a parameter or an ``Fn::FindInMap`` of them) takes."""

    def value(node: Any) -> Any:
        if isinstance(node, dict) and "Ref" in node:
            return stack.parameters[node["Ref"]]
        if isinstance(node, dict) and "Fn::FindInMap" in node:
            mapping, key, attribute = (value(part) for part in node["Fn::FindInMap"])
            return template["Mappings"][mapping][key][attribute]
        return node

    task = props(stack.resources[s.TASK_DEFINITION])
    limits = [value(c["Memory"]) for c in task["ContainerDefinitions"] if "Memory" in c]
    return int(value(task["Memory"])) - sum(int(limit) for limit in limits)


def section_differences(committed: Mapping[str, Any], generated: Mapping[str, Any]) -> str:
    """What differs between two templates, one clause per section, in reading order, e.g.
    ``Resources differ (changed: Service; added: Alarm; removed: Old); Description differs``.
    "added" is in ``generated`` only, "removed" in ``committed`` only. Empty when they are equal.
    """
    sections = [name for name in SECTION_ORDER if name in committed or name in generated]
    sections += sorted((committed.keys() | generated.keys()) - set(SECTION_ORDER))
    clauses = []
    for section in sections:
        old, new = committed.get(section), generated.get(section)
        if old == new:
            continue
        verb = "differ" if section.endswith("s") else "differs"  # Outputs differ, Metadata differs
        if not all(isinstance(value, Mapping) or value is None for value in (old, new)):
            clauses.append(f"{section} {verb}")
            continue
        old, new = old or {}, new or {}
        names = {
            "changed": [key for key in old.keys() & new.keys() if old[key] != new[key]],
            "added": new.keys() - old.keys(),
            "removed": old.keys() - new.keys(),
        }
        details = "; ".join(
            f"{how}: {', '.join(sorted(keys))}" for how, keys in names.items() if keys
        )
        clauses.append(f"{section} {verb} ({details})")
    return "; ".join(clauses)


def accepted_or_refused(
    call: Callable[[], object], ok: bool, error: type[Exception], match: str
) -> None:
    """``call`` succeeds when ``ok``, and otherwise raises ``error`` matching ``match``: for the
    tables of values a template rule or a config accepts or refuses."""
    if ok:
        call()
    else:
        with pytest.raises(error, match=match):
            call()


def built(folder: Path, spec: str) -> Path:
    """The version folder of ``spec`` (a spec's text) generated and written under ``folder``,
    unlinted, for the dry run and the cost to read."""
    from troposphere_fargate import generate, parse_spec, write_version

    return write_version(folder, generate(parse_spec(spec, "app.yaml")))


# Templates of a shape CloudFormation takes once a transform has expanded them: read_template
# refused the first two ("resource Fn::Transform has no Type", "resource Fn::ForEach::Topics
# is a list, not a mapping"), and with it every command (check: tests/policy/). cfn-lint finds
# nothing in include.yaml, foreach.yaml and included-body.yaml.
EXPANDED = {
    # AWS::Include, embedded in a section: the file's entries are inserted in its place.
    "include.yaml": "".join(
        f"{section}:\n{entries}  Fn::Transform:\n    Name: AWS::Include\n"
        f"    Parameters: {{Location: 's3://bucket/{section}.yaml'}}\n"
        for section, entries in (
            ("Mappings", ""),
            ("Resources", "  Topic: {Type: AWS::SNS::Topic}\n"),
            ("Outputs", ""),
        )
    ),
    # Fn::ForEach (AWS::LanguageExtensions): a loop that makes resources.
    "foreach.yaml": (
        "Transform: AWS::LanguageExtensions\n"
        "Resources:\n  Fn::ForEach::Topics:\n  - TopicName\n  - [Success, Failure]\n"
        "  - SnsTopic${TopicName}:\n      Type: AWS::SNS::Topic\n"
        "      Properties: {TopicName: !Ref TopicName}\n"
    ),
    # ... and conditions and outputs (the loop's name may be the same in each section).
    "foreach-in-every-section.yaml": (
        "Transform: AWS::LanguageExtensions\n"
        "Conditions:\n  Fn::ForEach::Stages:\n  - Stage\n  - [Dev, Prod]\n"
        "  - Is${Stage}: !Equals [!Ref AWS::StackName, '${Stage}']\n"
        "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n"
        "Outputs:\n  Fn::ForEach::Stages:\n  - Stage\n  - [Dev, Prod]\n"
        "  - ${Stage}Stage: {Value: '${Stage}'}\n"
    ),
    # A resource whose body a file gives: no Type of its own.
    "included-body.yaml": (
        "Resources:\n  Topic:\n    Fn::Transform:\n      Name: AWS::Include\n"
        "      Parameters: {Location: 's3://bucket/topic.yaml'}\n"
    ),
    # A macro of the account's is handed the whole template and returns what CloudFormation
    # checks (cfn-lint checks it as written): neither entry need be a resource yet.
    "macro.yaml": "Transform: Expand\nResources:\n  Queues: {Items: [a, b]}\n  Bucket: [1]\n",
}


def once_per_session(
    tmp_path_factory: pytest.TempPathFactory, name: str, run: Callable[[], T]
) -> T:
    """``run()`` once in a test session, however many pytest-xdist workers ask: the first to ask
    runs it and pickles its result into the session's shared temporary folder; the others wait
    for it (a file lock) and read that. A session fixture runs once per worker, and a costly
    one (a tool's run of seconds) ran in each worker that had a test using it."""
    import fcntl
    import os
    import pickle

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # every worker's own folder is in the session's
    result = shared / f"{name}.pickle"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if result.exists():
            value: T = pickle.loads(result.read_bytes())
            return value
        value = run()
        result.write_bytes(pickle.dumps(value))
        return value
