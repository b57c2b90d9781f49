"""What each S3 bucket a stack creates is, for the dry run's summary: its name, versioning,
encryption and public access, who may read and write its objects (the account, and whom its
bucket policy lets in or keeps out), how long objects stay, and whether it outlives the stack.
Read from the resolved resources, whatever template made them (``bucket.yaml``'s template
bucket, a load balancer's access-log bucket, a template of your own).

It also holds the regional Elastic Load Balancing accounts that deliver access logs (the
service layer's access-log bucket policy names them), so that the summary names them as that.
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from .intrinsics import as_list, as_mapping, get_in

BUCKET = "AWS::S3::Bucket"
BUCKET_POLICY = "AWS::S3::BucketPolicy"

# Regions opened before August 2022 deliver load balancer access logs from a regional Elastic
# Load Balancing account; newer regions use the service principal
# logdelivery.elasticloadbalancing.amazonaws.com (Elastic Load Balancing User Guide, "Enable
# access logs": bucket policy).
ELB_LOG_DELIVERY_ACCOUNTS: dict[str, str] = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
}

# Service principals a bucket policy lets write, by the name the summary gives them.
_SERVICES = {
    "logdelivery.elasticloadbalancing.amazonaws.com": "Elastic Load Balancing",
    # A network load balancer's access logs come through the log delivery service (Elastic Load
    # Balancing, "Access logs for your Network Load Balancer").
    "delivery.logs.amazonaws.com": "AWS log delivery",
}

# The action of reading an object and of writing one: a statement's action pattern (s3:*,
# s3:Get*) covers them as IAM matches it, case-insensitively.
_READ, _WRITE = "s3:getobject", "s3:putobject"

# The condition operators that keep a Deny from one principal: "deny everyone but X".
_ALL_BUT = ("ArnNotEquals", "ArnNotLike", "StringNotEquals", "StringNotLike")
# The operators under which an organization's ID lets in its accounts alone (under
# StringNotEquals it lets in everyone else; with IfExists, whoever has no organization too).
_MATCHING = ("StringEquals", "StringLike", "StringEqualsIgnoreCase")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _covers(statement: Mapping[str, Any], action: str) -> bool:
    return any(
        isinstance(pattern, str) and fnmatchcase(action, pattern.lower())
        for pattern in _listed(statement.get("Action"))
    )


def _context(test: Mapping[str, Any], key: str) -> Any:
    """A condition's value for a context key, named in any case: "Context key names are not
    case-sensitive" (IAM User Guide, "IAM JSON policy elements: Condition")."""
    return next((value for name, value in test.items() if str(name).lower() == key), None)


def _everyone(principal: Any) -> bool:
    """Whether a statement's principal is everyone: ``"*"``, or ``"*"`` among its ``AWS``
    principals (one item of a list as alone: whoever the others are, everyone is in)."""
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in _listed(principal.get("AWS"))


def _principals(statement: Mapping[str, Any]) -> list[str]:
    """Whom an Allow lets in, as the summary names them."""
    principal = statement.get("Principal")
    condition = as_mapping(statement.get("Condition"))
    if _everyone(principal):
        organizations = [
            str(org)
            for operator, test in condition.items()
            if operator in _MATCHING and isinstance(test, Mapping)
            for org in _listed(_context(test, "aws:principalorgid"))
            if org is not None
        ]
        if organizations:
            return [f"the accounts of organization {org}" for org in organizations]
        return ["anyone its policy's conditions let in" if condition else "anyone"]
    if not isinstance(principal, Mapping):
        return [str(principal)]
    services = [name for name in _listed(principal.get("Service")) if name is not None]
    found = [_SERVICES.get(str(name), str(name)) for name in services]
    for arn in [arn for arn in _listed(principal.get("AWS")) if arn is not None]:
        account = str(arn).removesuffix(":root").rpartition(":")[2]
        if account in ELB_LOG_DELIVERY_ACCOUNTS.values():
            # Named as the service principal of newer regions is: the same in every region.
            found.append(_SERVICES["logdelivery.elasticloadbalancing.amazonaws.com"])
        elif account.isdigit():
            found.append(f"account {account}")
        else:
            found.append(str(arn))
    return found


def _only(statement: Mapping[str, Any]) -> list[str]:
    """The principals a Deny of everyone spares (``ArnNotEquals aws:PrincipalArn X``)."""
    if not _everyone(statement.get("Principal")):
        return []
    return [
        str(arn)
        for operator, test in as_mapping(statement.get("Condition")).items()
        if operator in _ALL_BUT and isinstance(test, Mapping)
        for arn in _listed(_context(test, "aws:principalarn"))
    ]


def _tls_only(statement: Mapping[str, Any]) -> bool:
    secure = _context(as_mapping(get_in(statement.get("Condition"), "Bool")), "aws:securetransport")
    return statement.get("Effect") == "Deny" and str(secure).lower() == "false"


def _and(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _access(statements: list[Mapping[str, Any]]) -> tuple[str, bool]:
    """Who reads and who writes the objects, and whether only TLS is let through."""
    readers, writers = ["this account"], ["this account"]
    read_only: list[str] = []
    write_only: list[str] = []
    for statement in statements:
        allows = statement.get("Effect") == "Allow"
        if _covers(statement, _READ):
            readers += _principals(statement) if allows else []
            read_only += [] if allows else _only(statement)
        if _covers(statement, _WRITE):
            writers += _principals(statement) if allows else []
            write_only += [] if allows else _only(statement)
    read = f"{_and(read_only)} alone" if read_only else _and(readers)
    written = f"{_and(write_only)} alone" if write_only else _and(writers)
    tls = any(map(_tls_only, statements))
    if read == written:
        return f"read and written by {written}", tls
    return f"read by {read}; written by {written}", tls


def _encryption(properties: Mapping[str, Any]) -> str:
    """How objects are encrypted at rest. Without a configuration, as S3 does for every bucket:
    "Amazon S3 now applies server-side encryption with Amazon S3 managed keys (SSE-S3) as the
    base level of encryption for every bucket" (Amazon S3 User Guide, "Using server-side
    encryption with Amazon S3 managed keys (SSE-S3)")."""
    rules = get_in(properties.get("BucketEncryption"), "ServerSideEncryptionConfiguration")
    default = next(
        (
            as_mapping(get_in(rule, "ServerSideEncryptionByDefault"))
            for rule in as_list(rules)
            if isinstance(rule, Mapping)
        ),
        {},
    )
    algorithm = default.get("SSEAlgorithm")
    if algorithm is None:
        return "encrypted (SSE-S3, S3's default)"
    kinds = {"AES256": "SSE-S3", "aws:kms": "SSE-KMS", "aws:kms:dsse": "DSSE-KMS"}
    key = default.get("KMSMasterKeyID")
    with_key = f" with key {key}" if isinstance(key, str) else ""
    return f"encrypted ({kinds.get(str(algorithm), str(algorithm))}{with_key})"


def _public_access(properties: Mapping[str, Any]) -> str:
    """Whether public access is blocked. Without a configuration, S3's default since April
    2023: "all newly created buckets in the Region will by default have S3 Block Public Access
    enabled", created "using the S3 API, S3 CLI, the AWS SDKs, or AWS CloudFormation templates"
    alike (AWS News Blog, "Heads-Up: Amazon S3 Security Changes Are Coming in April of
    2023")."""
    if properties.get("PublicAccessBlockConfiguration") is None:
        return "public access blocked (S3's default)"
    block = as_mapping(properties.get("PublicAccessBlockConfiguration"))
    settings = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    off = [name for name in settings if str(block.get(name)).lower() != "true"]
    return f"public access not blocked ({', '.join(off)} off)" if off else "public access blocked"


def _lifetimes(properties: Mapping[str, Any]) -> list[str]:
    """How long objects and their replaced versions stay, by each enabled lifecycle rule."""
    found = []
    for rule in as_list(get_in(properties.get("LifecycleConfiguration"), "Rules")):
        if not isinstance(rule, Mapping) or rule.get("Status") != "Enabled":
            continue
        some = " (some)" if rule.get("Prefix") or rule.get("Filter") else ""
        days = rule.get("ExpirationInDays")
        if days is not None:
            found.append(f"objects{some} deleted after {_days(days)}")
        replaced = get_in(rule.get("NoncurrentVersionExpiration"), "NoncurrentDays")
        if replaced is not None:
            found.append(f"replaced versions{some} deleted after {_days(replaced)}")
    return found


def _days(value: Any) -> str:
    return f"{value} day" if str(value) == "1" else f"{value} days"


def bucket_lines(every: Mapping[str, dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    """Each S3 bucket of ``every`` (the resources of a stack and its nested stacks, by logical
    ID after the nested stacks': ``ServiceStack/AccessLogsBucket``) with what it is."""
    policies: dict[str, list[Mapping[str, Any]]] = {}
    for name, body in every.items():
        properties = body.get("Properties") or {}
        if body.get("Type") != BUCKET_POLICY:
            continue
        bucket = properties.get("Bucket")
        target = bucket.get("Ref") if isinstance(bucket, Mapping) else None
        statements = get_in(properties.get("PolicyDocument"), "Statement")
        if isinstance(target, str):
            stack = name.rpartition("/")[0]
            full = f"{stack}/{target}" if stack else target
            policies.setdefault(full, []).extend(
                s for s in _listed(statements) if isinstance(s, Mapping)
            )
    found = []
    for name, body in every.items():
        if body.get("Type") != BUCKET:
            continue
        properties = body.get("Properties") or {}
        given = properties.get("BucketName")
        # "If you don't specify a name, AWS CloudFormation generates a unique ID and uses that
        # ID for the bucket name" (AWS::S3::Bucket, BucketName).
        # A name of another resource's attribute (Fn::GetAtt, Fn::ImportValue) is known only
        # when the stack is created.
        parts = [
            f"named {given}"
            if isinstance(given, str)
            else "named by CloudFormation"
            if given is None
            else "named when the stack is created (by the template)"
        ]
        status = get_in(properties.get("VersioningConfiguration"), "Status")
        parts.append(
            {"Enabled": "versioned", "Suspended": "versioning suspended"}.get(
                str(status), "not versioned"
            )
        )
        parts += [_encryption(properties), _public_access(properties)]
        access, tls = _access(policies.get(name, []))
        if tls:
            parts.append("TLS only")
        text = f"{', '.join(parts)}; {access}"
        lifetimes = _lifetimes(properties)
        if lifetimes:
            text += f"; {', '.join(lifetimes)}"
        if body.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate"):
            text += "; kept when the stack is deleted"
        found.append((name, text))
    return tuple(found)
