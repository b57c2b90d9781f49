"""Small building blocks every layer repeats: console-ready parameters, exported outputs, tags,
and the version stamp. Layers compose these instead of copying blocks of troposphere code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from awacs import sts
from awacs.aws import Allow, ArnLike, PolicyDocument, Principal, Statement, StringEquals
from awacs.aws import Condition as PolicyCondition
from troposphere import (
    AccountId,
    AWSObject,
    Equals,
    Export,
    Not,
    Output,
    Parameter,
    Ref,
    Sub,
    Tags,
    Template,
    ec2,
    iam,
    s3,
)

R = TypeVar("R", bound=AWSObject)


def _two_digits_from(low: int, high: int) -> str:
    """A regular expression, without anchors, for the integers ``low`` to ``high`` (0 to 99)
    written without leading zeros: ``1[6-9]|2[0-8]`` for 16 to 28."""
    parts: list[str] = []
    whole: list[str] = []  # tens digits whose units run 0-9, written as one class

    def flush() -> None:
        if whole:
            tens = whole[0] if len(whole) == 1 else f"[{''.join(whole)}]"
            parts.append(f"{tens}[0-9]")
            whole.clear()

    for tens in range(low // 10, high // 10 + 1):
        first, last = max(low, tens * 10) % 10, min(high, tens * 10 + 9) % 10
        units = str(first) if first == last else f"[{first}-{last}]"
        if tens == 0:
            parts.append(units)
        elif (first, last) == (0, 9):
            whole.append(str(tens))
        else:
            flush()
            parts.append(f"{tens}{units}")
    flush()
    return "|".join(parts)


# The prefix lengths VPCs and subnets accept, and those of any IPv4 CIDR block (a security
# group rule's: /0 included, the load balancer may be open to the whole internet).
VPC_PREFIX_LENGTHS = (16, 28)
PREFIX_LENGTHS = (0, 32)
# CloudFormation AllowedPatterns (and the spec's JSON Schema patterns) for an IPv4 CIDR block
# as written canonically: no leading zeros, a prefix length (not a netmask). CloudFormation
# matches a pattern against the whole value.
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
CIDR_PATTERN = rf"^({_OCTET}\.){{3}}{_OCTET}/({_two_digits_from(*VPC_PREFIX_LENGTHS)})$"
INGRESS_CIDR_PATTERN = rf"^({_OCTET}\.){{3}}{_OCTET}/({_two_digits_from(*PREFIX_LENGTHS)})$"
CIDR_CONSTRAINT = (
    "must be an IPv4 CIDR block with a prefix from /{} to /{}, such as 10.0.0.0/16".format(
        *VPC_PREFIX_LENGTHS
    )
)

# Outputs are exported as "<stack name>-<output name>" (ARCHITECTURE.md).
EXPORT_NAME_FORMAT = "${AWS::StackName}-%s"

# Values of the yes/no parameters, as the console shows them.
TRUE = "true"
FALSE = "false"
# What an optional text parameter holds when nothing is given; conditions test for it.
NOT_GIVEN = ""

# cfn-guard rules that cannot see what a log group's parameters guarantee.
LOG_GROUP_SUPPRESSIONS = {
    "cloudwatch_log_group_retention_period_check": (
        "RetentionInDays is a parameter whose AllowedValues are all 365 days or more; guard "
        "cannot read parameter values"
    ),
    "cloudwatch_log_group_encrypted_check": (
        "CloudWatch Logs encrypts log data at rest by default; a customer managed key would add "
        "a key, its policy and its cost to every stack"
    ),
}

# checkov's checks that cannot see the same.
LOG_GROUP_CHECKOV = {
    "CKV_AWS_158": LOG_GROUP_SUPPRESSIONS["cloudwatch_log_group_encrypted_check"],
}

# Key under the template's Metadata that records which generator and version made it.
STAMP_KEY = "TroposphereFargate"
# The key of the generator's version in that mapping (release.build.stamp writes it).
STAMP_VERSION = "Version"


def stamped_otherwise(templates: Mapping[str, Mapping[str, Any]], version: str) -> list[str]:
    """The templates of ``templates`` (name -> template dict) stamped for another version than
    ``version``, each as ``name (VERSION)``: a root built for 0.4.0 from children rendered for
    1.0.0 nested them under .../0.4.0/, where no such files are published."""
    found = []
    for name, template in templates.items():
        metadata = template.get("Metadata")
        mark = metadata.get(STAMP_KEY) if isinstance(metadata, Mapping) else None
        stamped = mark.get(STAMP_VERSION) if isinstance(mark, Mapping) else None
        if isinstance(stamped, str) and stamped != version:
            found.append(f"{name} ({stamped})")
    return found


def add_parameter(
    template: Template,
    name: str,
    *,
    group: str,
    label: str,
    description: str,
    **properties: Any,
) -> Parameter:
    """Add a parameter with its console label and group (``AWS::CloudFormation::Interface``).

    Every parameter we ship goes through here, so none can lack a description, a label or a group.
    """
    parameter = template.add_parameter(Parameter(name, Description=description, **properties))
    template.set_parameter_label(parameter, label)
    template.add_parameter_to_group(parameter, group)
    return parameter


def add_switch_parameter(
    template: Template,
    name: str,
    *,
    group: str,
    label: str,
    description: str,
    default: bool,
) -> Parameter:
    """Add a ``true``/``false`` parameter."""
    return add_choice_parameter(
        template,
        name,
        group=group,
        label=label,
        description=description,
        choices=(TRUE, FALSE),
        default=TRUE if default else FALSE,
    )


def add_choice_parameter(
    template: Template,
    name: str,
    *,
    group: str,
    label: str,
    description: str,
    choices: tuple[str, ...],
    default: str,
) -> Parameter:
    """Add a parameter that takes one of ``choices`` ("must be A, B or C" otherwise)."""
    return add_parameter(
        template,
        name,
        group=group,
        label=label,
        description=description,
        Type="String",
        Default=default,
        AllowedValues=list(choices),
        ConstraintDescription=f"must be {', '.join(choices[:-1])} or {choices[-1]}",
    )


# What CloudWatch Logs accepts as a retention period and the templates offer: a year or more.
RETENTION_CONSTRAINT = (
    "must be a retention period CloudWatch Logs accepts, of a year (365 days) or more"
)


def add_retention_parameter(
    template: Template,
    name: str,
    *,
    group: str,
    label: str,
    description: str,
    default: int,
    choices: tuple[int, ...],
) -> Parameter:
    """Add a number of days to keep logs, one of ``choices`` (the retention periods of a year or
    more, :data:`troposphere_fargate.layers.config.LOG_RETENTION_DAYS`)."""
    return add_parameter(
        template,
        name,
        group=group,
        label=label,
        description=description,
        Type="Number",
        Default=str(default),
        AllowedValues=[str(days) for days in choices],
        ConstraintDescription=RETENTION_CONSTRAINT,
    )


def add_no_gaps_rule(t: Template, name: str, parameter: str, items: str) -> str:
    """A rule named ``name``: the comma-delimited list ``parameter``, when it names anything,
    names no empty item. Each item's AllowedPattern admits "" (the list left empty is one
    empty item), so "a,,b" or ",a,b" would pass it: an empty policy ARN fails in IAM
    mid-deploy, an empty zone leaves the subnet's zone to EC2. ``items`` says what the list
    holds, in the rule's message."""
    given = Ref(parameter)
    t.add_rule(
        name,
        {
            "RuleCondition": Not({"Fn::EachMemberEquals": [given, NOT_GIVEN]}),
            "Assertions": [
                {
                    "Assert": Not({"Fn::Contains": [given, NOT_GIVEN]}),
                    "AssertDescription": (
                        f"{parameter} has an empty entry (two commas in a row, or one at an "
                        f"end): give {items} separated by single commas."
                    ),
                }
            ],
        },
    )
    return name


def is_true(parameter: str) -> Equals:
    """Condition expression: the switch parameter is ``true``."""
    return Equals(Ref(parameter), TRUE)


def service_trust(service: str, source_arn: str) -> PolicyDocument:
    """A role trust policy for an AWS service acting for this account only.

    ``aws:SourceAccount`` and ``aws:SourceArn`` (``source_arn`` is an ``Fn::Sub`` pattern) keep
    the service from assuming the role on behalf of someone else (the confused deputy).
    """
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Effect=Allow,
                Principal=Principal("Service", service),
                Action=[sts.AssumeRole],
                Condition=PolicyCondition(
                    [
                        StringEquals("aws:SourceAccount", AccountId),
                        ArnLike("aws:SourceArn", Sub(source_arn)),
                    ]
                ),
            )
        ],
    )


def plain_service_trust(service: str) -> PolicyDocument:
    """A role trust policy for an AWS service, without conditions: for the roles whose documented
    trust policy has none (a key the service does not send would make every assume fail)."""
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Effect=Allow, Principal=Principal("Service", service), Action=[sts.AssumeRole]
            )
        ],
    )


def no_egress_rule() -> ec2.SecurityGroupRule:
    """An egress rule that matches no traffic.

    A security group declared without egress rules gets an allow-all rule; one with only this rule
    sends nothing. CDK's ``allowAllOutbound: false`` uses the same placeholder.
    """
    return ec2.SecurityGroupRule(
        CidrIp="255.255.255.255/32",
        Description="Disallow all traffic",
        FromPort=252,
        IpProtocol="icmp",
        ToPort=86,
    )


def inline_policy(name: str, statements: list[Statement]) -> iam.Policy:
    """An inline policy of a role: ``name`` and a policy document of ``statements``."""
    return iam.Policy(
        PolicyName=name,
        PolicyDocument=PolicyDocument(Version="2012-10-17", Statement=statements),
    )


def add_exported_output(
    template: Template,
    name: str,
    value: object,
    description: str,
    condition: str | None = None,
) -> Output:
    """Add an output exported as ``<stack name>-<name>``."""
    output = Output(
        name,
        Description=description,
        Value=value,
        Export=Export(Sub(EXPORT_NAME_FORMAT % name)),
    )
    if condition is not None:
        output.Condition = condition
    return template.add_output(output)


def private_bucket_properties() -> dict[str, Any]:
    """What every bucket we create has: versioning, SSE-S3 encryption (the only kind load
    balancers write access logs to, and one member accounts can read without a key policy),
    every public access blocked, and ACLs off (the bucket owner owns every object)."""
    return {
        "VersioningConfiguration": s3.VersioningConfiguration(Status="Enabled"),
        "BucketEncryption": s3.BucketEncryption(
            ServerSideEncryptionConfiguration=[
                s3.ServerSideEncryptionRule(
                    ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(
                        SSEAlgorithm="AES256"
                    )
                )
            ]
        ),
        "PublicAccessBlockConfiguration": s3.PublicAccessBlockConfiguration(
            BlockPublicAcls=True,
            BlockPublicPolicy=True,
            IgnorePublicAcls=True,
            RestrictPublicBuckets=True,
        ),
        "OwnershipControls": s3.OwnershipControls(
            Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]
        ),
    }


def name_tag(suffix: str, **extra: str) -> Tags:
    """``Name`` tag ``<stack name>-<suffix>``, so resources are recognisable in the console."""
    return Tags(Name=Sub(f"${{AWS::StackName}}-{suffix}"), **extra)


def suppress(
    resource: R,
    *,
    guard: Mapping[str, str] | None = None,
    checkov: Mapping[str, str] | None = None,
    cfn_lint: Mapping[str, str] | None = None,
) -> R:
    """Record, in the resource's metadata, policy rules that do not apply to it and why.

    ``guard`` maps cfn-guard rule names, ``checkov`` checkov check IDs and ``cfn_lint`` cfn-lint
    rule IDs to a one-line reason. cfn-guard rules are suppressed under
    ``Metadata.guard.SuppressedRules`` (the reasons beside them, under ``Reasons``); checkov
    reads ``Metadata.checkov.skip`` with a comment each; cfn-lint reads
    ``Metadata.cfn-lint.config.ignore_checks`` (the reasons beside it, under ``reasons``).
    """
    metadata: dict[str, Any] = dict(getattr(resource, "Metadata", None) or {})
    if cfn_lint:
        metadata["cfn-lint"] = {
            "config": {"ignore_checks": sorted(cfn_lint)},
            "reasons": dict(sorted(cfn_lint.items())),
        }
    if guard:
        metadata["guard"] = {
            "SuppressedRules": sorted(guard),
            "Reasons": dict(sorted(guard.items())),
        }
    if checkov:
        metadata["checkov"] = {
            "skip": [{"id": check, "comment": why} for check, why in sorted(checkov.items())]
        }
    resource.Metadata = metadata
    return resource
