"""Where the templates work: the regions of the partitions we claim (commercial, China,
GovCloud), each template's exceptions, and the cfn-lint metadata that makes every lint of a
template, ours or a user's plain ``cfn-lint``, check all of them.

A region added to AWS (and to cfn-lint) fails a test until it is added here and the templates
are checked there: the Elastic Load Balancing log-delivery mapping, for one, must know it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

COMMERCIAL: tuple[str, ...] = (
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
)
CHINA: tuple[str, ...] = ("cn-north-1", "cn-northwest-1")
GOVCLOUD: tuple[str, ...] = ("us-gov-east-1", "us-gov-west-1")

# The regions of each partition (an ARN's second field).
PARTITION_REGIONS: dict[str, tuple[str, ...]] = {
    "aws": COMMERCIAL,
    "aws-cn": CHINA,
    "aws-us-gov": GOVCLOUD,
}

# Every region a template we ship is linted for and documented to work in.
CLAIMED_REGIONS: tuple[str, ...] = COMMERCIAL + CHINA + GOVCLOUD

# AWS Service Catalog does not exist in these regions (cfn-lint E3006 for every
# AWS::ServiceCatalog type): catalog.yaml cannot be deployed there.
NO_SERVICE_CATALOG: tuple[str, ...] = (
    "ap-east-2",
    "ap-southeast-5",
    "ap-southeast-7",
    "mx-central-1",
)

# stackset.yaml's StackSet has service-managed permissions (AWS Organizations' trusted access),
# which StackSets do not offer in China: "Activating trusted access with AWS Organizations for
# CloudFormation StackSets isn't currently supported in the China (Beijing) and China (Ningxia)
# Regions" (CloudFormation User Guide, StackSets prerequisites).
NO_SERVICE_MANAGED_STACKSETS: tuple[str, ...] = CHINA

# Regions where a resource type of an environment (ACM, Route 53, AWS Cloud Map, AWS WAF) is
# missing from CloudFormation (cfn-lint E3006): environment.yaml cannot be deployed there.
NO_ENVIRONMENT: tuple[str, ...] = ()

# Metadata key cfn-lint reads its per-template configuration from.
CFN_LINT_METADATA = "cfn-lint"


# A CloudFormation ${...} (a pseudo parameter, an Fn::Sub variable) or an IAM policy variable
# in an ARN: ${AWS::Region} holds colons, which are no field's end.
VARIABLE = re.compile(r"\$\{[^}]*\}")


def arn_fields(arn: str, variable: str = "*") -> list[str]:
    """An ARN's fields, "arn" and the partition, service, region, account and resource (the
    last with its own colons), each variable in it written as ``variable``."""
    return VARIABLE.sub(variable, arn).split(":", 5)


def arn_region_problem(arn: str) -> str | None:
    """Why an ARN cannot exist: its region is one of another partition's
    (``arn:aws:secretsmanager:cn-north-1:...``), or it names a pseudo parameter such as
    ``${AWS::Region}`` with a fixed partition; None when it can, or when its partition or
    region is not one this project knows (a pseudo parameter, a wildcard, a new region)."""
    parts = arn.split(":", 4)
    if len(parts) < 5:
        return None
    partition, region = parts[1], parts[3]
    if partition not in PARTITION_REGIONS:
        return None
    if "${AWS::" in arn:
        # Written for any stack's region or account, it is an Fn::Sub: cfn-lint (I3042) wants
        # its partition to be the stack's too, and a fixed one is wrong in the other partitions.
        pseudo = re.search(r"\$\{AWS::\w+\}", arn)
        return (
            f"names {pseudo.group(0) if pseudo else 'a pseudo parameter'} with the fixed "
            f"partition {partition}: write arn:${{AWS::Partition}}: so it holds in every partition"
        )
    for other, regions in PARTITION_REGIONS.items():
        if region in regions and other != partition:
            return f"{region} is a region of partition {other}: its ARNs start arn:{other}:"
    return None


def supported(excluding: Iterable[str] = ()) -> tuple[str, ...]:
    """The claimed regions, less ``excluding``."""
    left_out = set(excluding)
    return tuple(region for region in CLAIMED_REGIONS if region not in left_out)


def in_partitions(regions: Iterable[str], partitions: Iterable[str]) -> tuple[str, ...]:
    """``regions`` less those outside ``partitions`` (all of them when ``partitions`` is
    empty): a template that names an ARN of one partition runs in that partition only."""
    wanted = set(partitions)
    if not wanted:
        return tuple(regions)
    inside = {region for p in wanted for region in PARTITION_REGIONS.get(p, ())}
    return tuple(region for region in regions if region in inside)


# Where environment.yaml and the templates of an environment's services work.
ENVIRONMENT_REGIONS: tuple[str, ...] = supported(excluding=NO_ENVIRONMENT)
