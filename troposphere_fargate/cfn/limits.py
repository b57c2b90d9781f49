"""Service limits a template can break that neither cfn-lint nor the emulator knows: each
deploys there and fails in a real account, at create time, after other resources were made.

Each branch of an ``Fn::If`` is a stack the template may make, so a limit one of them breaks is
a problem; within it, the checks count only what is certainly there: an ``Fn::Sub``'s text
without what it substitutes, a list's items without those that may be nothing, and nothing for
a list a parameter gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .yaml import shortened

# EC2's characters for a security group's description and its rules' descriptions: "a-z, A-Z,
# 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*" (CreateSecurityGroup, IpRange), without the "&"
# for a rule naming a security group or a prefix list ("._-:/()#,@[]+=;{}!$*",
# UserIdGroupPair and PrefixListId in the EC2 API Reference). CloudFormation reports "Invalid
# rule description" for an apostrophe (aws-cloudformation/cfn-lint#173).
EC2_TEXT_MAX = 255
_EC2_CHARACTERS = r"a-zA-Z0-9 ._\-:/()#,@\[\]+=;{}!$*"
EC2_TEXT = re.compile(rf"^[{_EC2_CHARACTERS}&]{{0,{EC2_TEXT_MAX}}}$")
EC2_GROUP_RULE_TEXT = re.compile(rf"^[{_EC2_CHARACTERS}]{{0,{EC2_TEXT_MAX}}}$")
EC2_TEXT_RULE = (
    "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only (no & in a rule that names a "
    f'security group or prefix list; EC2 refuses others, such as "\'"), at most {EC2_TEXT_MAX} '
    "characters"
)
# A rule names a security group or a prefix list with one of these.
_GROUP_OR_LIST = (
    "SourceSecurityGroupId",
    "SourceSecurityGroupName",
    "DestinationSecurityGroupId",
    "SourcePrefixListId",
    "DestinationPrefixListId",
)

# Limits no quota increase lifts, each as its source states it. Adjustable quotas (10 names per
# certificate by default, 10 managed policies per role, 60 rules per security group) are the
# README's to list ("Operating at scale"): an account may have more.
CONTAINERS_PER_TASK = 10  # "Containers per task definition: 10", not adjustable (ECS quotas)
# "The default quota is 10 domain names for each ACM certificate ... You can request up to 100
# domain names" (ACM quotas).
NAMES_PER_CERTIFICATE = 100
# "Managed policies attached to an IAM role: 10", adjustable "up to 20" (IAM and AWS STS quotas).
MANAGED_POLICIES_PER_ROLE = 20
# "Task definition size limit: The maximum size, in KiB, of a task definition", not adjustable:
# 32 in the ECS Developer Guide's quota table as awsdocs/amazon-ecs-developer-guide last has it;
# ECS "supports new task definition sizes" since 2022 (AWS SDK changelog, 2022-09-15), 64 KiB
# by later sources. Only a task definition larger than the larger figure is refused: above it,
# RegisterTaskDefinition fails either way.
TASK_DEFINITION_BYTES = 64 * 1024
# "You can include wildcard characters in the match evaluations for the http-header,
# host-header, path-pattern, and query-string conditions. There is a limit of five wildcard
# characters per rule" (Condition types for listener rules): * and ? of every value together.
# "Condition Wildcards per Rule", not adjustable (Quotas for your Application Load Balancers),
# was 5 there too; later copies of that table say 6. The smaller, which both pages once said,
# is the one a rule is held to.
WILDCARDS_PER_RULE = 5
# "Scheduled actions per scalable target: 200", not adjustable (Quotas for Application Auto
# Scaling, Application Auto Scaling User Guide).
SCHEDULED_ACTIONS_PER_SCALABLE_TARGET = 200
# "Role policy size cannot exceed 10,240 characters" for a role's inline policies together ("the
# total aggregate policy size (the sum size of all inline policies)"), and "IAM doesn't count
# white space when calculating the size of a policy" (IAM and AWS STS quotas); not adjustable.
# Characters, not bytes: an é is one. Whether IAM counts a JSON escape (\" for a quote) as
# written or as the character it stands for is not documented: as the character, the smaller.
INLINE_POLICY_CHARACTERS = 10_240
# "Policy documents can contain only the following Unicode characters: horizontal tab (U+0009),
# linefeed (U+000A), carriage return (U+000D), and characters in the range U+0020 to U+00FF"
# (IAM and AWS STS quotas, IAM name requirements).
POLICY_CHARACTERS = re.compile(r"[\t\n\r\x20-\xff]*")

# "Log stream names can be between 1 and 512 characters long" (CloudWatch Logs API Reference,
# CreateLogStream); the awslogs driver names a task's stream
# "prefix-name/container-name/ecs-task-id" (ECS, awslogs-stream-prefix), the task ID of 32
# characters (the last field of a task's ARN). The driver cannot make a longer one.
LOG_STREAM_NAME_MAX = 512
TASK_ID_LENGTH = 32

# "The value for the description declaration must be a literal string that is between 0 and
# 1024 bytes in length" (CloudFormation User Guide, "CloudFormation template Description
# syntax"): bytes, so UTF-8's; cfn-lint's E1003 counts characters.
DESCRIPTION_BYTES = 1024

# Declarations per template ("Understand CloudFormation quotas", User Guide), not adjustable,
# with the cfn-lint rule that reports a template approaching each (more than 90 %: its
# MaxProperties threshold). More cannot be built: troposphere refuses a 201st output or
# parameter and a 501st resource (the root says so first: root.QuotaError), and cfn-lint's
# E2010, E3010, E6010 and E7010 find them in a template written by hand.
SECTION_QUOTAS = {
    "Parameters": (200, "I2010"),
    "Resources": (500, "I3010"),
    "Outputs": (200, "I6010"),
    "Mappings": (200, "I7010"),
}
APPROACHING = 0.9
# "Template body size in an Amazon S3 object: 1 MB" (1,000,000 bytes, as cfn-lint's E1002
# counts them) and "Template body size in a request: 51,200 bytes" (Understand CloudFormation
# quotas): the console and `aws cloudformation deploy --s3-bucket` upload the template to S3.
TEMPLATE_BYTES = 1_000_000


def template_quota_problems(template: Mapping[str, Any], size: int) -> list[str]:
    """What CloudFormation refuses in a template of ``size`` bytes before it creates anything:
    more declarations in a section than :data:`SECTION_QUOTAS` allows, or more bytes than
    :data:`TEMPLATE_BYTES`."""
    problems = [
        f"{len(section)} {name.lower()}: CloudFormation takes at most {quota} in a template"
        for name, (quota, _) in SECTION_QUOTAS.items()
        if isinstance(section := template.get(name), Mapping) and len(section) > quota
    ]
    if size > TEMPLATE_BYTES:
        problems.append(
            f"{size:,} bytes: CloudFormation takes a template of at most {TEMPLATE_BYTES:,} "
            "bytes (from S3; 51,200 given in the request)"
        )
    return problems


def approaching_quotas(template: Mapping[str, Any]) -> dict[str, str]:
    """The cfn-lint rules reporting ``template`` as approaching a per-template quota it keeps,
    each with why that is no defect: a root nesting 36 services re-exports 185 outputs, which
    cfn-lint's I6010 reported and the build refused, though CloudFormation takes it."""
    reasons = {}
    for section, (quota, rule) in SECTION_QUOTAS.items():
        count = len(template.get(section) or {})
        if APPROACHING * quota < count <= quota:
            reasons[rule] = (
                f"{count} {section.lower()} of the {quota} CloudFormation takes per template: "
                f"cfn-lint reports more than {APPROACHING:.0%} as approaching the quota, which "
                "the template keeps (the build refuses more)"
            )
    return reasons


# "CloudFormation rejects deployments when the calculated deployment time exceeds 33 hours"
# (AWS::ECS::Service CanaryConfiguration and LinearConfiguration, CloudFormation Template
# Reference): its operations time out after 36.
MAX_DEPLOYMENT_MINUTES = 33 * 60


def linear_steps(step_percent: float) -> int:
    """The traffic shifts after which a linear deployment waits its step bake time: CloudFormation
    counts ``100 / step - 1`` when the step divides 100, else ``floor(100 / step)``."""
    tenths = round(step_percent * 10)
    return 1000 // tenths - 1 if 1000 % tenths == 0 else 1000 // tenths


def deployment_minutes(
    strategy: str, bake: int, canary_bake: int, step_bake: int, step_percent: float
) -> int:
    """The minutes an ECS deployment of ``strategy`` waits in all, as CloudFormation counts them
    (BakeTimeInMinutes plus the canary's bake time, or each linear step's)."""
    if strategy == "CANARY":
        return bake + canary_bake
    if strategy == "LINEAR":
        return bake + step_bake * linear_steps(step_percent)
    return bake if strategy == "BLUE_GREEN" else 0


_SUBSTITUTED = re.compile(r"\$\{[^}]*\}")
_WHITE_SPACE = re.compile(r"\s+")


def ec2_text_problem(text: str, names_a_group: bool = False) -> str | None:
    """Why EC2 refuses ``text`` as a security group's or a rule's description (one that names
    a security group or a prefix list when ``names_a_group``), or None."""
    pattern = EC2_GROUP_RULE_TEXT if names_a_group else EC2_TEXT
    if not isinstance(text, str) or not pattern.fullmatch(text):
        return f"{text!r}: {EC2_TEXT_RULE}"
    return None


def problems(template: Mapping[str, Any]) -> list[str]:
    """One line per limit a resource of ``template`` breaks, naming it."""
    resources: Mapping[str, Any] = template.get("Resources", {})
    found = []
    for name, resource in sorted(resources.items()):
        kind = resource.get("Type") if isinstance(resource, Mapping) else None
        properties = resource.get("Properties", {}) if isinstance(resource, Mapping) else {}
        if not isinstance(properties, Mapping):
            continue
        for text, names_a_group in _descriptions(kind, properties):
            problem = ec2_text_problem(text, names_a_group)
            if problem:
                found.append(f"{name}: description {problem}")
        found += [f"{name}: {line}" for line in _quota_problems(kind, properties)]
    return found


def branches(value: Any) -> Iterator[Any]:
    """Each value ``value`` may be: both sides of an ``Fn::If``, recursively."""
    if (
        isinstance(value, Mapping)
        and set(value) == {"Fn::If"}
        and isinstance(value["Fn::If"], list)
        and len(value["Fn::If"]) == 3
    ):
        yield from branches(value["Fn::If"][1])
        yield from branches(value["Fn::If"][2])
    else:
        yield value


def _texts(value: Any) -> Iterator[str]:
    """The literal text a value may be: a string, or an ``Fn::Sub``'s text without what it
    substitutes."""
    for branch in branches(value):
        if isinstance(branch, str):
            yield branch
        elif isinstance(branch, Mapping) and set(branch) == {"Fn::Sub"}:
            inner = branch["Fn::Sub"]
            text = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(text, str):
                yield _SUBSTITUTED.sub("", text)


def _items(value: Any) -> Iterator[Any]:
    """The items of each list a value may be (an ``Fn::If`` item counts once)."""
    for branch in branches(value):
        if isinstance(branch, list):
            yield branch


def _largest(value: Any) -> int:
    """The longest list a value may be, not counting items that may be nothing."""
    return max(
        (sum(1 for item in items if not _may_be_nothing(item)) for items in _items(value)),
        default=0,
    )


def _may_be_nothing(item: Any) -> bool:
    return item == {"Ref": "AWS::NoValue"} or (
        isinstance(item, Mapping)
        and set(item) == {"Fn::If"}
        and any(branch == {"Ref": "AWS::NoValue"} for branch in branches(item))
    )


def _descriptions(kind: Any, properties: Mapping[str, Any]) -> Iterator[tuple[str, bool]]:
    """The descriptions EC2 holds to its characters, each with whether it is a rule's that
    names a security group or a prefix list."""
    if kind == "AWS::EC2::SecurityGroup":
        yield from ((text, False) for text in _texts(properties.get("GroupDescription")))
        for key in ("SecurityGroupIngress", "SecurityGroupEgress"):
            for rules in _items(properties.get(key)):
                for rule in rules:
                    for branch in branches(rule):
                        if isinstance(branch, Mapping):
                            yield from _rule_descriptions(branch)
    elif kind in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
        yield from _rule_descriptions(properties)


def _rule_descriptions(rule: Mapping[str, Any]) -> Iterator[tuple[str, bool]]:
    names_a_group = any(key in rule for key in _GROUP_OR_LIST)
    yield from ((text, names_a_group) for text in _texts(rule.get("Description")))


def _quota_problems(kind: Any, properties: Mapping[str, Any]) -> Iterator[str]:
    if kind == "AWS::ECS::TaskDefinition":
        count = _largest(properties.get("ContainerDefinitions"))
        if count > CONTAINERS_PER_TASK:
            yield f"{count} containers; ECS takes {CONTAINERS_PER_TASK} per task definition"
        yield from _log_stream_problems(properties.get("ContainerDefinitions"))
        size = _json_bytes(_smallest(dict(properties), _json_bytes))
        if size > TASK_DEFINITION_BYTES:
            yield (
                f"a task definition of at least {size:,} bytes; ECS takes "
                f"{TASK_DEFINITION_BYTES // 1024} KiB at most (fewer environment variables: "
                "an environment file, or secrets, hold more)"
            )
    elif kind == "AWS::CertificateManager::Certificate":
        count = 1 + _largest(properties.get("SubjectAlternativeNames"))
        if count > NAMES_PER_CERTIFICATE:
            yield (
                f"{count} domain names; ACM takes {NAMES_PER_CERTIFICATE} per certificate at "
                "most (10 unless the account's quota was raised)"
            )
    elif kind == "AWS::ApplicationAutoScaling::ScalableTarget":
        count = _largest(properties.get("ScheduledActions"))
        if count > SCHEDULED_ACTIONS_PER_SCALABLE_TARGET:
            yield (
                f"{count} scheduled actions; Application Auto Scaling takes "
                f"{SCHEDULED_ACTIONS_PER_SCALABLE_TARGET} per scalable target"
            )
    elif kind == "AWS::IAM::Role":
        count = _largest(properties.get("ManagedPolicyArns"))
        if count > MANAGED_POLICIES_PER_ROLE:
            yield (
                f"{count} managed policies; IAM attaches {MANAGED_POLICIES_PER_ROLE} per role at "
                "most (10 unless the account's quota was raised)"
            )
        size = _policy_characters(properties.get("Policies"))
        if size > INLINE_POLICY_CHARACTERS:
            yield (
                f"inline policies of at least {size:,} characters; IAM takes "
                f"{INLINE_POLICY_CHARACTERS:,} per role"
            )
        yield from _policy_text_problems(properties)


def _log_stream_problems(containers: Any) -> Iterator[str]:
    """Each container whose awslogs stream names are certainly longer than CloudWatch Logs
    takes (its name and stream prefix as written; a function in either is not counted)."""
    for items in _items(containers):
        for item in items:
            for container in branches(item):
                if not isinstance(container, Mapping):
                    continue
                logging = container.get("LogConfiguration")
                if not isinstance(logging, Mapping) or logging.get("LogDriver") != "awslogs":
                    continue
                options = logging.get("Options")
                if not isinstance(options, Mapping):
                    continue
                name, prefix = container.get("Name"), options.get("awslogs-stream-prefix")
                if not (isinstance(name, str) and isinstance(prefix, str)):
                    continue
                length = len(prefix) + 1 + len(name) + 1 + TASK_ID_LENGTH
                if length > LOG_STREAM_NAME_MAX:
                    shown = shortened(name)
                    yield (
                        f"container {shown!r} ({len(name)} characters): its log streams are "
                        f"named {length} characters (stream prefix/container name/task ID); "
                        f"CloudWatch Logs takes {LOG_STREAM_NAME_MAX} (a shorter name)"
                    )


def _policy_documents(policies: Any) -> list[Any]:
    return [
        policy.get("PolicyDocument")
        for items in _items(policies)
        for policy in items
        if isinstance(policy, Mapping)
    ]


def _policy_characters(policies: Any) -> int:
    """The fewest characters a role's inline policy documents may count together, as IAM
    counts them (each document's JSON without white space): the smaller branch of each
    ``Fn::If``, an ``Fn::Sub``'s text without what it substitutes, any other function as
    nothing."""
    return sum(
        _json_characters(_smallest(document, _json_characters))
        for document in _policy_documents(policies)
    )


def _json_characters(value: Any) -> int:
    """The characters of ``value`` written as JSON, white space left out and each escape
    counted as the one character it stands for (so an é is one, not the six of \\u00e9)."""
    if isinstance(value, Mapping):  # {"key":value,...}: the braces and a comma between two
        pairs = [_json_characters(str(key)) + 1 + _json_characters(v) for key, v in value.items()]
        return 1 + max(len(pairs), 1) + sum(pairs)
    if isinstance(value, list):
        return 1 + max(len(value), 1) + sum(_json_characters(item) for item in value)
    if isinstance(value, str):
        return 2 + len(_WHITE_SPACE.sub("", value))
    return len(_WHITE_SPACE.sub("", json.dumps(value)))


def _json_bytes(value: Any) -> int:
    """The bytes of ``value`` as compact JSON in UTF-8 (an é is two)."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def _policy_text_problems(properties: Mapping[str, Any]) -> Iterator[str]:
    """The characters IAM refuses in a role's policy documents (its trust policy and its
    inline policies), in any branch a stack may take."""
    documents = [
        properties.get("AssumeRolePolicyDocument"),
        *_policy_documents(properties.get("Policies")),
    ]
    refused = sorted(
        {
            character
            for document in documents
            for text in _literal_strings(document)
            if not POLICY_CHARACTERS.fullmatch(text)  # one match a text, most of them clean
            for character in text
            if not POLICY_CHARACTERS.fullmatch(character)
        }
    )
    if refused:
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in refused[:5])
        yield (
            f"a policy document holds {shown}: IAM takes only tab, line feed, carriage return "
            "and U+0020 to U+00FF in a policy"
        )


def _literal_strings(value: Any) -> Iterator[str]:
    """Every text ``value`` certainly writes in some branch: its strings and keys, both sides
    of each ``Fn::If``, an ``Fn::Sub``'s text without what it substitutes; not what another
    function's arguments are (a ``Fn::Select`` keeps one of them)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _literal_strings(item)
    elif isinstance(value, Mapping):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key == "Fn::If" and isinstance(inner, list) and len(inner) == 3:
                yield from _literal_strings(inner[1:])
                return
            if key == "Fn::Sub":
                yield from _texts(value)
                return
            if key == "Ref" or key.startswith("Fn::"):
                return
        for key, item in value.items():
            yield str(key)
            yield from _literal_strings(item)


def _smallest(value: Any, size: Callable[[Any], int]) -> Any:
    """``value`` at its shortest: each ``Fn::If`` its shorter branch (by ``size``, the unit of
    the limit: an é is two bytes and one character), each ``Fn::Sub`` its text without what it
    substitutes, any other function (a ``Ref``, an ``Fn::GetAtt``, an ``Fn::Join``) nothing."""
    if isinstance(value, list):
        return [_smallest(item, size) for item in value]
    if not isinstance(value, Mapping):
        return value
    if len(value) == 1:
        ((key, inner),) = value.items()
        if key == "Fn::If" and isinstance(inner, list) and len(inner) == 3:
            options = [_smallest(inner[1], size), _smallest(inner[2], size)]
            return min(options, key=size)
        if key == "Fn::Sub":
            text = inner[0] if isinstance(inner, list) and inner else inner
            return _SUBSTITUTED.sub("", text) if isinstance(text, str) else ""
        if key == "Ref" or key.startswith("Fn::"):
            return ""
    return {key: _smallest(item, size) for key, item in value.items()}


def reversed_ranges(codes: str) -> list[str]:
    """The ranges of ``codes`` (HTTP success codes as ``HealthCheckSuccessCodes`` takes them)
    written high to low (``299-200``): the pattern passes them, no template rule can compare
    two numbers, and Elastic Load Balancing documents a range as low-high ("a range of values
    (for example, "200-299")", Elastic Load Balancing API Reference, Matcher)."""
    found = []
    for part in codes.split(","):
        bounds = _CODE_RANGE.fullmatch(part)
        if bounds and int(bounds[1]) > int(bounds[2]):
            found.append(part)
    return found


_CODE_RANGE = re.compile(r"([0-9]+)-([0-9]+)")


def reversed_ranges_problem(codes: str) -> str | None:
    """What to say of ``codes`` with a range written high to low, or None."""
    found = reversed_ranges(codes)
    if not found:
        return None
    fixed = ", ".join("-".join(part.split("-")[::-1]) for part in found)
    return (
        f"{', '.join(found)} {'is a range' if len(found) == 1 else 'are ranges'} from high to "
        f"low: Elastic Load Balancing takes a range low-high ({fixed})"
    )


# Addresses in a subnet: "The first four IP addresses and the last IP address in each subnet
# CIDR block are not available for you to use, and they cannot be assigned to a resource"
# (Amazon VPC User Guide, "Subnet CIDR blocks"). Each interface endpoint takes one in each of its
# subnets (an endpoint network interface), a NAT gateway one, a Fargate task one (awsvpc).
SUBNET_RESERVED_ADDRESSES = 5
# "The allowed block size is between a /28 netmask and /16 netmask" (Amazon VPC User Guide).
SUBNET_PREFIXES = (16, 28)
# A load balancer's subnets: "verify that each subnet for your load balancer has a CIDR block
# with at least a /27 bitmask (for example, 10.0.0.0/27) and has at least 8 free IP addresses.
# Your load balancer uses these IP addresses to establish connections with the targets"
# (Elastic Load Balancing, "Subnets for your load balancer"); with fewer free, creating it fails.
LOAD_BALANCER_FREE_ADDRESSES = 8
LOAD_BALANCER_SUBNET_PREFIX = 27


def usable_addresses(prefix_length: int) -> int:
    """The addresses a resource can take in a subnet of ``prefix_length`` (/28: 11)."""
    return (1 << (32 - prefix_length)) - SUBNET_RESERVED_ADDRESSES
