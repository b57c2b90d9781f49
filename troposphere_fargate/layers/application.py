"""What a real application brings to the service layer, as build-time config: configuration
(environment variables), secrets, its own permissions (the task role), network egress beyond
HTTPS, sidecar containers, and its container's health check, command and limits.

Everything here is frozen and validated when built; an error names the field and the value
(``Application.secrets[1].value_from='...': ...``). ``Application()`` is the empty application
of the shipped templates: it adds nothing. The application spec file
(:mod:`troposphere_fargate.release.spec`) is read into these types.
"""

from __future__ import annotations

import calendar
import difflib
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Literal

from awacs.aws import Action as AwacsAction
from awacs.aws import BaseARN, Statement

from ..cfn.limits import (
    CONTAINERS_PER_TASK,
    EC2_TEXT_RULE,
    LOG_STREAM_NAME_MAX,
    MANAGED_POLICIES_PER_ROLE,
    TASK_ID_LENGTH,
    ec2_text_problem,
)
from ..errors import ConfigError, expect, suggest_fields
from ..errors import field_error as _fail
from .iam_actions import action_problem, action_resource_problem, resource_problem
from .regions import arn_fields, arn_region_problem

# --- What ARNs and names look like ----------------------------------------------------------

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
_PARTITION = r"(?:aws|aws-cn|aws-us-gov)"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-[0-9]"
_ACCOUNT = r"[0-9]{12}"

# Plain regular expressions without anchors or named groups, which CloudFormation's
# AllowedPattern (Java's regex) takes too: the shipped template's console parameters use them.
# A Secrets Manager secret's full ARN: its name, then a hyphen and six random characters.
SECRET_RESOURCE = (
    rf"arn:{_PARTITION}:secretsmanager:{_REGION}:{_ACCOUNT}:secret:"
    r"[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}"
)
MANAGED_POLICY = rf"arn:{_PARTITION}:iam::(?:aws|{_ACCOUNT}):policy/[A-Za-z0-9+=,.@_/-]{{1,512}}"

# An application's ARNs and images may name the stack's own partition, region and account with
# CloudFormation's pseudo parameters, so one spec serves every account and region: the template
# writes such a string as an Fn::Sub (:func:`cfn_string`). The console parameters' patterns
# above take literal values only: a parameter's value is never substituted.
PSEUDO_PARTITION, PSEUDO_REGION, PSEUDO_ACCOUNT, PSEUDO_URL_SUFFIX = (
    "${AWS::Partition}",
    "${AWS::Region}",
    "${AWS::AccountId}",
    "${AWS::URLSuffix}",
)
_ANY_PARTITION = rf"(?:aws|aws-cn|aws-us-gov|{re.escape(PSEUDO_PARTITION)})"
_ANY_REGION = rf"(?:{_REGION}|{re.escape(PSEUDO_REGION)})"
_ANY_ACCOUNT = rf"(?:{_ACCOUNT}|{re.escape(PSEUDO_ACCOUNT)})"

# Secrets Manager: the secret's full ARN, then optionally :json-key:version-stage:version-id as
# ECS takes it in valueFrom, a version stage or a version ID but not both: "If a version
# staging label is specified, you cannot specify a version ID" (ECS Developer Guide, "Pass
# Secrets Manager secrets through Amazon ECS environment variables").
SECRET_ARN = re.compile(
    rf"^(?P<secret>arn:{_ANY_PARTITION}:secretsmanager:{_ANY_REGION}:{_ANY_ACCOUNT}:secret:"
    r"[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6})"
    r"(?::(?P<json_key>[^:]*):(?:(?P<stage>[^:]+):|:(?P<version>[^:]*)))?$"
)
# SSM Parameter Store: a parameter's ARN is parameter/ and its name without the leading slash
# (/prod/api-key is parameter/prod/api-key; a parameter//prod/api-key grant is denied, aws-cdk
# #4803), its levels separated by single slashes, fifteen at most; the name is "a-zA-Z0-9_.-"
# and can't be "prefixed with "aws" or "ssm" (case-insensitive)", up to 1011 characters
# (Systems Manager User Guide, "Parameter name requirements and constraints"). That limit counts
# "the characters in the ARN that precede the name" too (API Reference, PutParameter, Name),
# which a spec's ARN may give as pseudo parameters: the name alone is held to 1011 here, which
# refuses no name Parameter Store takes. Written without lookbehind, so that JSON Schema reads
# it as Python does.
PARAMETER_ARN = re.compile(
    rf"^arn:{_ANY_PARTITION}:ssm:{_ANY_REGION}:{_ANY_ACCOUNT}:parameter/"
    r"(?![Aa][Ww][Ss]|[Ss][Ss][Mm])(?=[A-Za-z0-9/_.-]{1,1011}$)"
    r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+){0,14}$"
)
# A key's ID is a UUID, or mrk- and 32 hex digits for a multi-Region key ("Key ARN:
# arn:aws:kms:us-east-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", AWS KMS API
# Reference, ReplicateKey).
KMS_KEY_ARN = re.compile(
    rf"^arn:{_ANY_PARTITION}:kms:{_ANY_REGION}:{_ANY_ACCOUNT}:key/(?:[0-9a-f]{{8}}-[0-9a-f]{{4}}-"
    r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$"
)


# The fields of an ARN as a hint reads them: a pseudo parameter whole (it holds colons), or
# anything up to the next colon.
_PARTITION_TEXT = rf"(?:{re.escape(PSEUDO_PARTITION)}|[^:]*)"
_REGION_TEXT = rf"(?:{re.escape(PSEUDO_REGION)}|[^:]*)"
_ACCOUNT_TEXT = rf"(?:{re.escape(PSEUDO_ACCOUNT)}|[^:]*)"


def secret_hint(value: str) -> str:
    """What is wrong in a value that looks like a secret's or a parameter's ARN but is not
    one: the part to fix, where it can be told ("" otherwise)."""
    known = (PSEUDO_PARTITION, PSEUDO_REGION, PSEUDO_ACCOUNT)
    for token in re.findall(r"\$\{[^}]*\}", value):
        if token not in known:
            close = [k for k in known if k.lower() == token.lower()]
            if close:
                return f": {token} is no pseudo parameter (did you mean {close[0]}?)"
            return (
                f": {token} is not taken here: an ARN may name {PSEUDO_PARTITION}, "
                f"{PSEUDO_REGION} and {PSEUDO_ACCOUNT}"
            )
    parts = re.fullmatch(
        rf"arn:({_PARTITION_TEXT}):([^:]*):({_REGION_TEXT}):({_ACCOUNT_TEXT}):(.*)", value
    )
    if not parts:
        return ""
    partition, service, region, account, rest = parts.groups()
    if service not in ("secretsmanager", "ssm"):
        return f": the service is secretsmanager or ssm, not {service!r}"
    if not re.fullmatch(_ANY_PARTITION, partition):
        return f": the partition is aws, aws-cn or aws-us-gov, not {partition!r}"
    if not re.fullmatch(_ANY_REGION, region):
        return f": {region!r} is no region name (such as eu-west-1)"
    if not re.fullmatch(_ANY_ACCOUNT, account):
        return f": the account is 12 digits, not {account!r}"
    if service == "ssm":
        return _parameter_hint(rest)
    # The name up to its JSON key, a ${...} taken whole.
    split = re.fullmatch(r"((?:\$\{[^}]*\}|[^:])*)(?::.*)?", rest.removeprefix("secret:"), re.S)
    name = split.group(1) if split else rest
    if (
        service == "secretsmanager"
        and rest.startswith("secret:")
        and not re.search(r"-[A-Za-z0-9]{6}$", name)
    ):
        return (
            ": a secret's full ARN ends with - and the 6 characters Secrets Manager adds to its "
            f"name (aws secretsmanager describe-secret --secret-id {name} --query ARN)"
        )
    fields = rest.removeprefix("secret:")[len(name) :].split(":")
    if service == "secretsmanager" and len(fields) not in (1, 4):
        # "These parameters are optional, but if you do not use them, you must include the
        # colons" (ECS Developer Guide, as above); the agent refuses any other count.
        return (
            ": after the name come three fields, :<json-key>:<version-stage>:<version-id>, "
            "with the colons of those left out (:<json-key>:: for a JSON key alone)"
        )
    if service == "secretsmanager" and len(fields) == 4 and all(fields[2:]):
        return (
            ": a version stage or a version ID, not both (ECS takes :<json-key>:<version-stage>: "
            "or :<json-key>::<version-id>)"
        )
    return ""


def _parameter_hint(rest: str) -> str:
    """What is wrong in the part of a parameter's ARN after its account ("" when it cannot be
    told)."""
    if not rest.startswith("parameter/"):
        return ": a parameter's ARN ends with parameter/<name>, a slash after parameter"
    name = rest.removeprefix("parameter/")
    if name.lower().startswith("aws/reference/secretsmanager/"):
        # "Parameter Store honors IAM policies attached to Secrets Manager secrets" (Systems
        # Manager User Guide, "Referencing AWS Secrets Manager secrets from Parameter Store
        # parameters"): ECS would need secretsmanager:GetSecretValue on the secret as well.
        return (
            ": a Secrets Manager secret read through Parameter Store; give the secret's own ARN "
            "(arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), "
            "which the execution role may read: through Parameter Store it would need the "
            "secret too"
        )
    if name.lower().startswith(("aws", "ssm")):
        return (
            f': a parameter\'s name can\'t begin with "aws" or "ssm" (any case), not {name!r}: '
            "Parameter Store keeps those prefixes"
        )
    if "//" in name or name.startswith("/") or name.endswith("/"):
        example = "/".join(part for part in name.split("/") if part)
        return (
            f": one slash between levels and none at either end: the ARN of /{example} is "
            f"...:parameter/{example} (an IAM grant of another spelling is denied)"
        )
    if len(name) > 1011:
        return (
            f": a parameter's name has fewer than 1011 characters (its ARN up to the name has "
            f"1011 at most), not {len(name)}"
        )
    if name.count("/") > 14:
        return f": a parameter's name has fifteen levels at most, not {name.count('/') + 1}"
    return ""


def kms_key_hint(value: str) -> str:
    """Why a value is not a KMS key ARN, when it is another way to name a key. "To specify a
    KMS key in an IAM policy statement, you must use its key ARN. You cannot use a key id,
    alias name, or alias ARN" (AWS KMS Developer Guide, "Specifying KMS keys in IAM policy
    statements"): the execution role's decrypt grant names the key."""
    how = (
        "give the key ARN (aws kms describe-key --key-id {} --query KeyMetadata.Arn): the "
        "execution role's policy can name a key by its ARN only"
    )
    partition = rf"(?:{re.escape(PSEUDO_PARTITION)}|[^:]+)"
    region, account = _REGION_TEXT, _ACCOUNT_TEXT
    if value.startswith("alias/") or re.fullmatch(
        rf"arn:{partition}:kms:{region}:{account}:alias/.+", value
    ):
        return f": an alias; {how.format(value)}"
    key_id = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}"
    lower = "" if value == value.lower() else " (in lower case)"
    if re.fullmatch(key_id, value.lower()):
        return f": a key ID{lower}; {how.format(value.lower())}"
    arn = re.fullmatch(rf"arn:{partition}:kms:{region}:{account}:key/(.*)", value)
    if arn and not re.fullmatch(
        rf"arn:{_ANY_PARTITION}:kms:{_ANY_REGION}:{_ANY_ACCOUNT}:key/.*", value
    ):
        return (
            ": its partition, region or account is not valid (arn:<aws, aws-cn or "
            "aws-us-gov>:kms:<region>:<12-digit account>:key/<key ID>)"
        )
    if arn:
        return (
            ": its key ID must be a UUID (1234abcd-12ab-34cd-56ef-1234567890ab) or mrk- and 32 "
            "hex digits, in lower case"
        )
    return ", such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


MANAGED_POLICY_ARN = re.compile(
    rf"^arn:{_ANY_PARTITION}:iam::(?:aws|{_ANY_ACCOUNT}):policy/[A-Za-z0-9+=,.@_/-]{{1,512}}$"
)
# Any ARN (a statement's resource), or "*" only where written on purpose. IAM takes the * and
# ? wildcards in any field but the partition and the service ("arn:aws:sqs:*:*:orders").
ANY_ARN = re.compile(
    rf"^arn:{_ANY_PARTITION}:[a-z0-9-]+:(?:{_ANY_REGION}|[a-z0-9-]*[*?][a-z0-9*?-]*)?:"
    rf"(?:{_ANY_ACCOUNT}|aws|[0-9]*[*?][0-9*?]*)?:.+$"
)
# "The prefix and the action name are case insensitive. For example, iam:ListAccessKeys is
# the same as IAM:listaccesskeys", and either may hold the wildcards * and ? (IAM User Guide,
# IAM JSON policy elements: Action).
ACTION = re.compile(r"^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$")
# An ECR repository's name: parts of lower-case letters and digits joined by ".", "_", "__" or a
# run of hyphens, in path segments ("team/app"): "[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+
# ((\.|_|__|-+)[a-z0-9]+)*)*" (Amazon ECR API Reference, CreateRepository, repositoryName). No
# anchors or named groups: the ContainerImage parameter's AllowedPattern has it too.
_REPOSITORY_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
ECR_REPOSITORY_PATTERN = rf"(?:{_REPOSITORY_PART}/)*{_REPOSITORY_PART}"
# A private ECR image with a tag or a digest, as a literal (sidecars; the application's own
# image stays the ContainerImage parameter).
ECR_IMAGE = re.compile(
    rf"^(?P<account>{_ANY_ACCOUNT})\.dkr\.ecr\.(?P<region>{_ANY_REGION})\."
    rf"(?:amazonaws\.com(?P<china>\.cn)?|(?P<suffix>{re.escape(PSEUDO_URL_SUFFIX)}))/"
    rf"(?P<repository>{ECR_REPOSITORY_PATTERN})"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$"
)
ENVIRONMENT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")
# ECS takes 255 characters in a container's name, but its awslogs streams are named
# "<prefix>/<name>/<task ID>" (the prefix is the name here), and CloudWatch Logs takes 512
# (cfn.limits, which checks any template for it): 239 at most. A sidecar's scratch volume,
# <name>-tmp, stays within ECS's 255 too.
MAX_CONTAINER_NAME = (LOG_STREAM_NAME_MAX - TASK_ID_LENGTH - 2) // 2
CONTAINER_NAME = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_-]{{0,{MAX_CONTAINER_NAME - 1}}}$")
CONTAINER_NAME_RULE = (
    f"must be 1-{MAX_CONTAINER_NAME} letters, digits, - or _, the first a letter or digit "
    "(its log streams are named <name>/<name>/<task ID>: CloudWatch Logs takes "
    f"{LOG_STREAM_NAME_MAX} characters)"
)
# The user a container runs as, as ECS takes it (ContainerDefinition ``user``: user, user:group,
# uid, uid:gid, user:gid or uid:group; "a UID or GID ... as a positive integer"), and never
# root: not ``root`` or UID 0, with or without a group, which AWS Config's
# ecs-task-definition-linux-user-non-root (Security Hub ECS.20) and Control Tower's CT.ECS.PR.3
# refuse. An ID is at most 2147483647, the container runtimes' limit ("uids and gids must be in
# range 0-2147483647", runc and moby). A UID needs no entry in the image's /etc/passwd (without
# one its group is 0: give uid:gid), a name does, and a group name needs one in /etc/group.
# Written without lookaround, so that CloudFormation's AllowedPattern (java.util.regex), JSON
# Schema and Python read it alike: a name that is not "root" is one of another length, or one
# that differs from it at its first, second, third or fourth character.
MAX_CONTAINER_ID = 2**31 - 1


def positive_up_to(highest: int) -> str:
    """A regular expression, without anchors or lookaround, for the integers 1 to ``highest``
    written without leading zeros."""
    digits = str(highest)
    shorter = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same_length = []
    for index, digit in enumerate(digits):
        low = 1 if index == 0 else 0
        if int(digit) > low:
            rest = len(digits) - index - 1
            tail = "" if not rest else "[0-9]" if rest == 1 else f"[0-9]{{{rest}}}"
            below = str(low) if int(digit) - 1 == low else f"[{low}-{int(digit) - 1}]"
            same_length.append(f"{digits[:index]}{below}{tail}")
    return "|".join([*shorter, *same_length, digits])


_ID = positive_up_to(MAX_CONTAINER_ID)
_NAME_CHARACTER = "[A-Za-z0-9_.-]"
_NAME = f"[A-Za-z_]{_NAME_CHARACTER}{{0,31}}"
_NOT_ROOT_NAME = (
    rf"[A-Za-z_]{_NAME_CHARACTER}{{0,2}}|[A-Za-z_]{_NAME_CHARACTER}{{4,31}}"
    rf"|[A-Za-qs-z_]{_NAME_CHARACTER}{{3}}|r[A-Za-np-z0-9_.-]{_NAME_CHARACTER}{{2}}"
    rf"|ro[A-Za-np-z0-9_.-]{_NAME_CHARACTER}|roo[A-Za-su-z0-9_.-]"
)
NON_ROOT_USER = re.compile(rf"^(?:{_ID}|{_NOT_ROOT_NAME})(?::(?:{_ID}|{_NAME}))?$")
NON_ROOT_USER_MEANS = (
    "a user other than root: a UID from 1 to 2147483647 or a user name (letters, digits, "
    "_ . -), optionally with :<gid> (1 to 2147483647 too) or :<group>, such as 1000:1000 or app"
)
SECURITY_GROUP_ID = re.compile(r"^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
PREFIX_LIST_ID = re.compile(r"^pl-[0-9a-f]{8}(?:[0-9a-f]{9})?$")

EgressProtocol = Literal["tcp", "udp"]
PROTOCOLS: tuple[EgressProtocol, ...] = ("tcp", "udp")
PolicyEffect = Literal["Allow", "Deny"]
EFFECTS: tuple[PolicyEffect, ...] = ("Allow", "Deny")
# Fargate's limits: ephemeral storage 21-200 GiB; a container's stop timeout up to 120 s.
EPHEMERAL_STORAGE_GIB = (21, 200)
STOP_TIMEOUT_SECONDS = (2, 120)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(owner: str, name: str, value: object, *, allow_empty: bool = True) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        raise _fail(owner, name, value, "must be a tuple of strings")
    if not allow_empty and not value:
        raise _fail(owner, name, value, "must not be empty")


# The pseudo parameters an Fn::Sub substitutes in a text (AWS::NotificationARNs is a list and
# AWS::NoValue no value: CloudFormation User Guide, Pseudo parameters reference).
_SUBSTITUTED_PSEUDO = tuple(
    f"${{AWS::{name}}}"
    for name in ("AccountId", "Partition", "Region", "StackId", "StackName", "URLSuffix")
)


# Variables that hold credentials: the ones AWS Security Hub's ECS.8 looks for in a task
# definition's environment (Security Hub controls for Amazon ECS, "[ECS.8] Secrets should not
# be passed as container environment variables"), and the session token that goes with a key.
# Anyone allowed ecs:DescribeTaskDefinition reads an environment value; a secret is not there.
CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",  # botocore's older name of the session token
    "AWS_ACCESS_KEY",  # the Java SDK v1's names of the key
    "AWS_SECRET_KEY",
    "ECS_ENGINE_AUTH_DATA",
)


def credential_problem(variable: str) -> str | None:
    """Why no environment variable may be named ``variable`` (a credential's name, in any
    case), or None."""
    if variable.upper() not in CREDENTIAL_VARIABLES:
        return None
    return (
        "is a credential, which the task definition would show to anyone allowed "
        "ecs:DescribeTaskDefinition (AWS Security Hub ECS.8): the task role gives the container "
        "its AWS credentials (task_role); a credential of another system goes in secrets"
    )


def _environment(owner: str, name: str, value: object) -> None:
    if isinstance(value, tuple):
        for pair in value:  # the pair that is not two strings, named (a library trial)
            if (
                isinstance(pair, tuple)
                and len(pair) == 2
                and isinstance(pair[0], str)
                and not isinstance(pair[1], str)
            ):
                number = isinstance(pair[1], int | float) and not isinstance(pair[1], bool)
                raise _fail(
                    owner,
                    f"{name}[{pair[0]!r}]",
                    pair[1],
                    f"must be a string, not {type(pair[1]).__name__}"
                    + (f" (write {str(pair[1])!r})" if number else ""),
                )
    if not isinstance(value, tuple) or not all(
        isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        for pair in value
    ):
        raise _fail(owner, name, value, "must be a tuple of (name, value) string pairs")
    seen: set[str] = set()
    for key, text in value:
        for token in re.findall(r"\$\{AWS::[^}]*\}", text, flags=re.IGNORECASE):
            if token not in _SUBSTITUTED_PSEUDO:
                close = [p for p in _SUBSTITUTED_PSEUDO if p.lower() == token.lower()]
                raise _fail(
                    owner,
                    f"{name}[{key!r}]",
                    text,
                    f"{token} is no pseudo parameter "
                    + (
                        f"(did you mean {close[0]}?)"
                        if close
                        else f"CloudFormation substitutes: {', '.join(_SUBSTITUTED_PSEUDO)}"
                    ),
                )
        if not ENVIRONMENT_NAME.fullmatch(key):
            raise _fail(
                owner, f"{name}[{key!r}]", key, "must be a variable name: letters, digits, _"
            )
        credential = credential_problem(key)
        if credential:  # its value is not repeated: it may be the credential
            raise ConfigError(f"{owner}.{name}[{key!r}]: {credential}")
        if key in seen:
            raise ConfigError(f"{owner}.{name}: {key!r} is set twice")
        seen.add(key)


def _secrets(owner: str, secrets: object, environment: tuple[tuple[str, str], ...]) -> None:
    """A container's secrets: Secrets, each name once and not an environment variable too."""
    if not isinstance(secrets, tuple) or not all(isinstance(s, Secret) for s in secrets):
        raise _fail(owner, "secrets", secrets, "must be a tuple of Secret")
    names = [s.name for s in secrets]
    for index, secret in enumerate(secrets):
        if names.count(secret.name) > 1:
            raise _fail(owner, f"secrets[{index}].name", secret.name, "is used twice")
        if secret.name in dict(environment):
            raise _fail(
                owner, f"secrets[{index}].name", secret.name, "is also an environment variable"
            )


# The registries an ECR pull through cache rule takes, with the console's default prefix for
# each ("Pulling an image with a pull through cache rule in Amazon ECR", ECR User Guide).
_UPSTREAM_PREFIXES = {
    "public.ecr.aws": "ecr-public",
    "registry-1.docker.io": "docker-hub",
    "docker.io": "docker-hub",
    "quay.io": "quay",
    "ghcr.io": "github",
    "registry.k8s.io": "kubernetes",
    "registry.gitlab.com": "gitlab",
}


def pull_through_hint(image: str) -> str:
    """How an image of a public registry reaches tasks without a public IP: through a pull
    through cache rule of the account's ECR, under its prefix."""
    first, _, rest = image.partition("/")
    named = rest and ("." in first or ":" in first)  # a registry's host comes before a /
    registry, path = (first, rest) if named else ("docker.io", image)
    prefix = _UPSTREAM_PREFIXES.get(registry)
    if prefix is None and registry.endswith(".azurecr.io"):
        prefix = "azure"
    if prefix is None or not path:
        return ""
    if prefix == "docker-hub" and "/" not in path:
        path = f"library/{path}"  # Docker Hub's official images
    return (
        f"; an image of {registry} reaches tasks without a public IP through an ECR pull "
        f"through cache rule: <account>.dkr.ecr.<region>.amazonaws.com/{prefix}/{path} (the "
        "console's prefix), once you have pulled it yourself (the execution role may pull "
        "from the cache, not import into it)"
    )


# A task role statement on a resource of the template it is in: the statement's ARNs are text,
# checked when it is made, so such a grant is a policy of the template's own.
_YOUR_OWN = (
    "a resource of your own template is granted with a policy of your own on the task role "
    "(iam.PolicyType with Roles=[Ref(troposphere_fargate.layers.service.TASK_ROLE)], README: "
    "Use it as a library)"
)


def partition_of(arn: str) -> str:
    """The partition an ARN is in (``arn:<partition>:...``): ``${AWS::Partition}`` for the
    stack's own."""
    if arn.startswith(f"arn:{PSEUDO_PARTITION}:"):
        return PSEUDO_PARTITION
    return arn.split(":", 2)[1]


def cfn_string(text: str) -> object:
    """``text`` as a template value: an ``Fn::Sub`` when it names a pseudo parameter (the
    stack's partition, region, account or URL suffix), else the string itself. In the
    ``Fn::Sub``, any other ``${...}`` (an IAM policy variable such as
    ``${aws:PrincipalTag/team}``) is written ``${!...}``, which CloudFormation turns back into
    ``${...}``: unescaped, it would be a variable CloudFormation cannot resolve, and the stack
    would fail to create."""
    if "${AWS::" not in text:
        return text
    from troposphere import Sub

    return Sub(re.sub(r"\$\{(?!AWS::)", "${!", text))


# --- The types --------------------------------------------------------------------------------


def _user(owner: str, value: object) -> None:
    """A container's ``user``: None (the image's USER), or a non-root user."""
    if value is not None and not _matches(NON_ROOT_USER, value):
        raise _fail(owner, "user", value, f"must be {NON_ROOT_USER_MEANS}")


def _matches(pattern: re.Pattern[str], value: object) -> bool:
    """Whether ``value`` is a string ``pattern`` matches (a regular expression given an
    integer raises a bare TypeError)."""
    return isinstance(value, str) and pattern.fullmatch(value) is not None


@suggest_fields
@dataclass(frozen=True)
class Secret:
    """A secret the container reads as an environment variable at start.

    Attributes:
        name: the environment variable's name.
        value_from: a Secrets Manager secret's full ARN, optionally followed by
            ``:json-key:version-stage:version-id`` (ECS's valueFrom; a stage or an ID, not
            both), or an SSM parameter ARN.
    """

    name: str
    value_from: str

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if not isinstance(self.name, str) or not ENVIRONMENT_NAME.fullmatch(self.name):
            raise _fail(owner, "name", self.name, "must be a variable name: letters, digits, _")
        if not isinstance(self.value_from, str) or not (
            SECRET_ARN.fullmatch(self.value_from) or PARAMETER_ARN.fullmatch(self.value_from)
        ):
            raise _fail(
                owner,
                "value_from",
                self.value_from,
                "must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:"
                "secret:<name>-<6 characters>, optionally :<json-key>:<stage>: or "
                ":<json-key>::<version>) or an SSM parameter ARN "
                "(arn:aws:ssm:<region>:<account>:parameter/<name>)"
                + (secret_hint(self.value_from) if isinstance(self.value_from, str) else ""),
            )
        problem = arn_region_problem(self.value_from)
        if problem:
            raise _fail(owner, "value_from", self.value_from, problem)

    @property
    def is_parameter(self) -> bool:
        return PARAMETER_ARN.fullmatch(self.value_from) is not None

    @property
    def resource_arn(self) -> str:
        """What the execution role may read: the secret's ARN without the JSON key or version
        (IAM matches the secret, not a key in it), or the parameter's ARN."""
        match = SECRET_ARN.fullmatch(self.value_from)
        return match.group("secret") if match else self.value_from


# IAM's condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators"),
# each of which takes IfExists at its end except Null, and ForAllValues: or ForAnyValue: before
# it for a key with several values ("Creating a condition with multiple keys or values").
CONDITION_OPERATORS = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
)
CONDITION_OPERATOR = re.compile(
    # Null takes no IfExists: refused here too, so that the spec's JSON Schema refuses it.
    r"^(?!(?:ForAllValues:|ForAnyValue:)?NullIfExists$)"
    r"(?P<qualifier>ForAllValues:|ForAnyValue:)?"
    rf"(?P<operator>{'|'.join(sorted(CONDITION_OPERATORS, key=len, reverse=True))})"
    r"(?P<if_exists>IfExists)?$"
)
# A condition key: a service's prefix, a colon and the key (aws:SourceVpce, s3:prefix,
# aws:ResourceTag/team, kms:EncryptionContext:aws:pi:service).
CONDITION_KEY = re.compile(r"^[A-Za-z0-9-]+:\S(?:.*\S)?$")
# The values each kind of operator compares with (the same page): a number; a date in one of
# the W3C forms of ISO 8601 or epoch seconds; true or false; base64; an IPv4 or IPv6 address
# or CIDR block. Strings and ARNs take anything, policy variables (${aws:PrincipalTag/team}) and the
# stack's own ${AWS::Partition}, ${AWS::Region}, ${AWS::AccountId} and ${AWS::URLSuffix}
# included; Bool takes a policy variable too; numbers, dates, binary values, addresses and Null
# take no variable ("You can not use a policy variable with the ... condition operator").
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
# The W3C profiles of ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD, then Thh:mm, :ss and .s, and a time
# zone), as leniently as IAM's parser takes them (moto's copy of it, checked against AWS: one
# digit months and days, no time zone, lower-case t and z); the fields are checked for range.
_DATE = re.compile(
    r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{1,2})(?:-(?P<day>[0-9]{1,2})"
    r"(?:[Tt](?P<hour>[0-9]{2})(?::(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:\.[0-9]{1,9})?)?)?"
    r"(?:[Zz]|[+-](?P<zone_hour>[0-9]{2})(?::?(?P<zone_minute>[0-9]{2}))?)?)?)?)?$"
)
_EPOCH = re.compile(r"^[0-9]{1,19}$")
_TRUE_OR_FALSE = re.compile(r"^(?:true|false)$")
_BOOL = re.compile(r"^(?:true|false|\$\{(?!AWS::)[^}]+\})$")  # or an IAM policy variable
_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
# An address or a CIDR block in the standard form (ipaddress alone also takes a netmask, or an
# IPv6 zone, which IAM does not).
_ADDRESS = re.compile(r"^[0-9A-Fa-f:.]+(?:/[0-9]{1,3})?$")
_DATE_RULE = "must be a date in ISO 8601 (2026-01-01, 2026-01-01T12:00:00Z) or epoch seconds"
_CONDITION_VALUES: dict[str, tuple[re.Pattern[str], str]] = {
    "Numeric": (_NUMBER, "must be a number, such as 10 or 2.5"),
    "Bool": (
        _BOOL,
        "must be true, false or an IAM policy variable (${aws:MultiFactorAuthPresent}), as written",
    ),
    "Null": (_TRUE_OR_FALSE, "must be true (the key is absent) or false (it is present)"),
    "BinaryEquals": (_BASE64, "must be base64"),
}
# The stack's own values a condition may name; any other ${...} is an IAM policy variable.
_PSEUDO_PARAMETER = re.compile(r"\$\{AWS::(\w+)\}")
_OWN_STACK_PARAMETERS = ("Partition", "Region", "AccountId", "URLSuffix")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPED_VARIABLE = (
    "holds ${!...}: write an IAM policy variable as IAM does (${aws:PrincipalTag/team}); the "
    "template escapes it where CloudFormation would read it"
)


def condition_operator_problem(operator: object) -> str | None:
    """Why ``operator`` is not an IAM condition operator, or None."""
    if isinstance(operator, str) and operator.endswith("NullIfExists"):
        return "Null takes no IfExists (IAM)"
    if not (isinstance(operator, str) and CONDITION_OPERATOR.fullmatch(operator)):
        hint = ""
        if isinstance(operator, str):
            qualifier, _, base = operator.rpartition(":")
            if_exists = base.endswith("IfExists")
            base = base.removesuffix("IfExists")
            close = difflib.get_close_matches(base, CONDITION_OPERATORS, n=1)
            if close:
                known = f"{qualifier}:" if qualifier else ""
                hint = f" (did you mean {known}{close[0]}{'IfExists' if if_exists else ''}?)"
        return (
            f"must be an IAM condition operator, such as StringEquals, ArnLike, IpAddress, Bool "
            f"or Null (with IfExists at its end, ForAllValues: or ForAnyValue: before it){hint}"
        )
    return None


def _is_date(value: str) -> bool:
    """Whether IAM's date operators take ``value``: a real date and time, or epoch seconds."""
    if _EPOCH.fullmatch(value):
        return int(value) <= 2**63 - 1
    match = _DATE.fullmatch(value)
    if not match:
        return False
    fields = {name: int(text) for name, text in match.groupdict().items() if text is not None}
    month, day = fields.get("month", 1), fields.get("day", 1)
    return (
        1 <= month <= 12
        and 1 <= day <= calendar.monthrange(fields["year"], month)[1]
        and fields.get("hour", 0) <= 23
        and fields.get("minute", 0) <= 59
        and fields.get("second", 0) <= 59
        and fields.get("zone_hour", 0) <= 23
        and fields.get("zone_minute", 0) <= 59
    )


def _condition_value_problem(operator: str, value: str) -> str | None:
    """Why ``value`` cannot be compared by ``operator`` (its base name), or None."""
    if _CONTROL.search(value):
        return "holds a control character (a YAML block's newline?): IAM would match nothing"
    if "${!" in value:
        return _ESCAPED_VARIABLE
    for pseudo in _PSEUDO_PARAMETER.findall(value):
        if pseudo not in _OWN_STACK_PARAMETERS:
            return (
                f"names ${{AWS::{pseudo}}}: a condition may name the stack's own "
                "${AWS::Partition}, ${AWS::Region}, ${AWS::AccountId} and ${AWS::URLSuffix}"
            )
    if operator.startswith("Date"):
        return None if _is_date(value) else _DATE_RULE
    kind = next((k for k in _CONDITION_VALUES if operator.startswith(k)), None)
    if kind:
        pattern, why = _CONDITION_VALUES[kind]
        return None if pattern.fullmatch(value) else why
    if operator.endswith("IpAddress"):
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            pass
        else:
            if _ADDRESS.fullmatch(value):
                return None
        return "must be an IPv4 or IPv6 address or CIDR block, such as 203.0.113.0/24"
    if operator.startswith("Arn") and not (
        value.startswith(("arn:", "${")) or value == "*"
    ):  # an ArnEquals of orders-topic would match no ARN, and the statement nothing
        return "must be an ARN (IAM's * and ? wildcards allowed), * or a policy variable"
    if operator.startswith("Arn") and value.startswith("arn:"):
        return arn_region_problem(value)
    return None


@suggest_fields
@dataclass(frozen=True)
class PolicyCondition:
    """One condition of a task role statement: IAM's ``Condition: {operator: {key: values}}``.

    Attributes:
        operator: an IAM condition operator, such as ``StringEquals``, ``ArnLike``,
            ``IpAddress`` or ``Bool``; ``IfExists`` at its end (not ``Null``'s), and
            ``ForAllValues:`` or ``ForAnyValue:`` before it for a key with several values.
        key: the condition key, such as ``aws:SourceVpce``, ``s3:prefix`` or
            ``aws:ResourceTag/team``.
        values: what the key is compared with (any one may match), as IAM writes them: text,
            ``"true"``/``"false"`` for ``Bool`` and ``Null``, numbers as ``"10"``. Strings and
            ARNs may hold IAM policy variables (``${aws:PrincipalTag/team}``) and the stack's own
            ``${AWS::Partition}``, ``${AWS::Region}``, ``${AWS::AccountId}`` and
            ``${AWS::URLSuffix}``.
    """

    operator: str
    key: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        owner = type(self).__name__
        problem = condition_operator_problem(self.operator)
        if problem:
            raise _fail(owner, "operator", self.operator, problem)
        match = CONDITION_OPERATOR.fullmatch(self.operator)
        assert match is not None  # no problem: it is one
        if not _matches(CONDITION_KEY, self.key):
            raise _fail(
                owner,
                "key",
                self.key,
                "must be a condition key, service:key, such as aws:SourceVpce or s3:prefix",
            )
        if _CONTROL.search(self.key):
            raise _fail(owner, "key", self.key, "holds a control character")
        if "${" in self.key:
            raise _fail(
                owner,
                "key",
                self.key,
                "holds ${...}: IAM takes policy variables in values, and CloudFormation "
                "substitutes values, not keys",
            )
        _strings(owner, "values", self.values, allow_empty=False)
        for index, value in enumerate(self.values):
            problem = _condition_value_problem(match.group("operator"), value)
            if problem:
                raise _fail(owner, f"values[{index}]", value, problem)

    @property
    def arns(self) -> tuple[str, ...]:
        """The ARNs an ARN operator compares with (those that begin ``arn:``)."""
        match = CONDITION_OPERATOR.fullmatch(self.operator)
        if match is None or not match.group("operator").startswith("Arn"):
            return ()
        return tuple(value for value in self.values if value.startswith("arn:"))


@suggest_fields
@dataclass(frozen=True)
class PolicyStatement:
    """One statement of the task role's inline policy.

    Attributes:
        actions: IAM actions, ``service:Action`` (``sqs:SendMessage``, ``s3:Get*``), each one
            IAM knows (checked against cfn-lint's list of actions).
        resources: the ARNs they apply to (IAM's ``*`` and ``?`` wildcards allowed after the
            service), or ``"*"`` written on purpose.
        effect: ``Allow`` (the default) or ``Deny``.
        conditions: when the statement applies (IAM's ``Condition``), one
            :class:`PolicyCondition` each, all of which must hold; none by default.

    A statement built with awacs converts with :meth:`from_awacs`.
    """

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    effect: PolicyEffect = "Allow"
    conditions: tuple[PolicyCondition, ...] = ()

    @classmethod
    def from_awacs(cls, statement: Statement) -> PolicyStatement:
        """The statement an awacs ``Statement`` holds: its ``Effect``, ``Action`` (awacs
        actions, such as ``awacs.sqs.SendMessage``), ``Resource`` and ``Condition`` (awacs
        conditions, such as ``StringEquals("aws:SourceVpce", "vpce-...")``). Anything else
        (``NotAction``, ``Principal``, ``Sid``) is refused: the task role's policy takes only
        these four."""
        expect(statement, Statement, "PolicyStatement.from_awacs(statement)")
        given = dict(statement.properties)
        extra = sorted(set(given) - {"Effect", "Action", "Resource", "Condition"})
        if extra:
            raise ConfigError(
                f"PolicyStatement.from_awacs: the task role's statements take Effect, Action, "
                f"Resource and Condition only, not {', '.join(extra)}"
            )
        actions = tuple(action.JSONrepr() for action in given.get("Action", []))
        resources = tuple(
            r.JSONrepr() if isinstance(r, BaseARN) else r for r in given.get("Resource", [])
        )  # awacs ARNs (awacs.s3.ARN("my-bucket/*")) or strings
        conditions = _conditions_of(given["Condition"]) if "Condition" in given else ()
        return cls(actions, resources, given.get("Effect", "Allow"), conditions)

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if isinstance(self.actions, tuple) and any(
            isinstance(a, AwacsAction) for a in self.actions
        ):
            shown = tuple(a.JSONrepr() if isinstance(a, AwacsAction) else a for a in self.actions)
            raise _fail(
                owner,
                "actions",
                shown,
                "must be a tuple of strings, not awacs actions: write them as strings, or "
                "convert an awacs Statement with PolicyStatement.from_awacs",
            )
        _strings(owner, "actions", self.actions, allow_empty=False)
        if isinstance(self.resources, tuple):
            for index, resource in enumerate(self.resources):
                if not isinstance(resource, str):
                    shown = resource.to_dict() if hasattr(resource, "to_dict") else resource
                    raise _fail(
                        owner,
                        f"resources[{index}]",
                        shown,
                        f"must be an ARN as text, not {type(resource).__name__}: {_YOUR_OWN}",
                    )
        _strings(owner, "resources", self.resources, allow_empty=False)
        for index, action in enumerate(self.actions):
            if not ACTION.fullmatch(action):
                raise _fail(
                    owner,
                    f"actions[{index}]",
                    action,
                    "must be service:Action, such as sqs:SendMessage",
                )
            problem = action_problem(action)
            if problem:
                raise _fail(owner, f"actions[{index}]", action, problem)
        for index, resource in enumerate(self.resources):
            if resource != "*" and not ANY_ARN.fullmatch(resource):
                raise _fail(
                    owner,
                    f"resources[{index}]",
                    resource,
                    "must be an ARN (IAM's * and ? wildcards allowed after the service), or * "
                    "written on purpose" + (f"; {_YOUR_OWN}" if resource.startswith("${") else ""),
                )
            problem = arn_region_problem(resource) or resource_problem(resource)
            if problem:
                raise _fail(owner, f"resources[{index}]", resource, problem)
            if "${!" in resource:
                raise _fail(owner, f"resources[{index}]", resource, _ESCAPED_VARIABLE)
        for index, action in enumerate(self.actions):
            problem = action_resource_problem(action, self.resources)
            if problem:
                raise _fail(owner, f"actions[{index}]", action, problem)
        if self.effect not in EFFECTS:
            raise _fail(owner, "effect", self.effect, "must be Allow or Deny")
        if not isinstance(self.conditions, tuple) or not all(
            isinstance(c, PolicyCondition) for c in self.conditions
        ):
            raise _fail(owner, "conditions", self.conditions, "must be a tuple of PolicyCondition")
        seen: set[tuple[str, str]] = set()
        for index, condition in enumerate(self.conditions):
            # IAM matches condition keys case-insensitively; one key twice under one operator
            # would be a duplicate JSON key, of which IAM keeps one.
            pair = (condition.operator, condition.key.lower())
            if pair in seen:
                raise _fail(
                    owner,
                    f"conditions[{index}]",
                    f"{condition.operator} {condition.key}",
                    "is given twice: give all its values in one condition",
                )
            seen.add(pair)


def _arn_region(arn: str) -> str | None:
    """An ARN's region as written; None for one the stack substitutes (``${AWS::Region}``)
    or none."""
    fields = arn_fields(arn, "$")
    region = fields[3] if len(fields) > 4 else ""
    return region if region and "$" not in region and "*" not in region else None


def _conditions_of(condition: object) -> tuple[PolicyCondition, ...]:
    """The conditions an awacs ``Condition`` holds, each operator's keys in order (read from
    its elements: its JSONrepr keeps one element of each operator)."""
    from awacs.aws import Condition

    expect(condition, Condition, "PolicyStatement.from_awacs(statement): its Condition")
    found = []
    for element in condition.conditions:  # type: ignore[attr-defined]
        for key, given in element.get_dict().items():
            items = given if isinstance(given, list | tuple) else [given]
            values = tuple(_awacs_condition_text(item) for item in items)
            if None in values:
                raise ConfigError(
                    f"PolicyStatement.from_awacs: condition {element.condition} {key}={given!r}: "
                    "its values must be strings, booleans, numbers or awacs ARNs (write the "
                    "stack's own values as ${AWS::Region} and the like, in a string)"
                )
            found.append(PolicyCondition(element.condition, key, values))  # type: ignore[arg-type]
    return tuple(found)


def _awacs_condition_text(value: object) -> str | None:
    """A value of an awacs condition as IAM writes it: a string as it is, an awacs ARN's text,
    ``true``/``false`` for a boolean, a number's digits; None for anything else (a troposphere
    function, say)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, BaseARN):
        return str(value.JSONrepr())
    return value if isinstance(value, str) else None


@suggest_fields
@dataclass(frozen=True)
class TaskRole:
    """The application's own permissions: exactly these managed policies and statements.

    Attributes:
        managed_policies: IAM managed policy ARNs attached to the task role (AWS's or yours).
        statements: the task role's inline policy, one :class:`PolicyStatement` each.
    """

    managed_policies: tuple[str, ...] = ()
    statements: tuple[PolicyStatement, ...] = ()

    def __post_init__(self) -> None:
        owner = type(self).__name__
        _strings(owner, "managed_policies", self.managed_policies)
        for index, arn in enumerate(self.managed_policies):
            if not MANAGED_POLICY_ARN.fullmatch(arn):
                raise _fail(owner, f"managed_policies[{index}]", arn, "must be an IAM policy ARN")
        if len(set(self.managed_policies)) != len(self.managed_policies):
            raise _fail(owner, "managed_policies", self.managed_policies, "has duplicates")
        if len(self.managed_policies) > MANAGED_POLICIES_PER_ROLE:
            # The build's own check said so (cfn.limits), but only for what it renders: a
            # template composed from service_template reached cfn-lint, which does not count.
            raise _fail(
                owner,
                "managed_policies",
                self.managed_policies,
                f"{len(self.managed_policies)} given; IAM attaches {MANAGED_POLICIES_PER_ROLE} "
                "managed policies per role at most (10 unless the account's quota was raised): "
                "merge some into statements",
            )
        if not isinstance(self.statements, tuple) or not all(
            isinstance(s, PolicyStatement) for s in self.statements
        ):
            raise _fail(owner, "statements", self.statements, "must be a tuple of PolicyStatement")


@suggest_fields
@dataclass(frozen=True)
class EgressRule:
    """Traffic the tasks may send beyond HTTPS: a port (or range) to exactly one destination.

    Attributes:
        port: the destination port, 1 to 65535 (the first of a range).
        to_port: the last port of a range; default: ``port`` alone.
        protocol: ``tcp`` (the default) or ``udp``.
        cidr: an IPv4 CIDR block, such as ``10.20.0.0/16``; or
        security_group: a security group ID (``sg-...``), such as a database's; or
        prefix_list: a managed prefix list ID (``pl-...``), such as S3's. Exactly one of the
            three destinations.
        description: the rule's description, up to 255 characters (default: one that names the
            port and the destination).
    """

    port: int
    to_port: int | None = None  # the end of a range; default: the same port
    protocol: EgressProtocol = "tcp"
    cidr: str | None = None
    security_group: str | None = None
    prefix_list: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        owner = type(self).__name__
        for name in ("port", "to_port"):
            value = getattr(self, name)
            if value is None and name == "to_port":
                continue
            if not _is_int(value) or not 1 <= value <= 65535:
                raise _fail(owner, name, value, "must be a port from 1 to 65535")
        if self.to_port is not None and self.to_port < self.port:
            raise _fail(owner, "to_port", self.to_port, f"must not be below port ({self.port})")
        if self.protocol not in PROTOCOLS:
            raise _fail(owner, "protocol", self.protocol, "must be tcp or udp")
        destinations = [
            name for name in ("cidr", "security_group", "prefix_list") if getattr(self, name)
        ]
        if len(destinations) != 1:
            raise _fail(
                owner,
                "destination",
                destinations,
                "give exactly one of cidr, security_group or prefix_list",
            )
        if self.cidr is not None:
            if not isinstance(self.cidr, str):  # IPv4Network takes an integer as an address
                raise _fail(
                    owner, "cidr", self.cidr, "must be an IPv4 CIDR block such as 10.0.0.0/16"
                )
            try:
                net = ipaddress.IPv4Network(self.cidr, strict=True)
            except ValueError as exc:
                raise _fail(owner, "cidr", self.cidr, f"not an IPv4 CIDR block ({exc})") from None
            # ipaddress reads 10.0.0.0/255.0.0.0 and 10.1.2.3 (a /32) too; EC2's CidrIp is
            # CIDR notation, as the spec's schema says (INGRESS_CIDR_PATTERN).
            if str(net) != self.cidr:
                raise _fail(owner, "cidr", self.cidr, f"write it as {net}")
        if self.security_group is not None and not _matches(SECURITY_GROUP_ID, self.security_group):
            raise _fail(owner, "security_group", self.security_group, "must be sg-...")
        if self.prefix_list is not None and not _matches(PREFIX_LIST_ID, self.prefix_list):
            raise _fail(owner, "prefix_list", self.prefix_list, "must be pl-...")
        if not isinstance(self.description, str):
            raise _fail(owner, "description", self.description, "must be a string")
        names_a_group = self.security_group is not None or self.prefix_list is not None
        if ec2_text_problem(self.description, names_a_group):
            raise _fail(owner, "description", self.description, f"must be {EC2_TEXT_RULE}")

    @property
    def last_port(self) -> int:
        return self.port if self.to_port is None else self.to_port


# How ECS runs a container health check's command: directly, or in the container's shell.
HEALTH_CHECK_KINDS = ("CMD", "CMD-SHELL")
# ECS's limits on a container health check's numbers (HealthCheck in the task definition).
HEALTH_CHECK_LIMITS: dict[str, tuple[int, int]] = {
    "interval_seconds": (5, 300),
    "timeout_seconds": (2, 60),
    "retries": (1, 10),
    "start_period_seconds": (0, 300),
}
# The forms a container health check's command takes, ["CMD", args...] and ["CMD-SHELL",
# command], are Docker's HealthConfig.Test, which ECS's healthCheck maps to. None is refused:
# what almost surely fails is warned of (health_command.health_command_problem).


@suggest_fields
@dataclass(frozen=True)
class HealthCheck:
    """A container health check (ECS runs ``command`` in the container).

    Attributes:
        command: ``("CMD-SHELL", "curl -f http://localhost:8080/ || exit 1")`` (one string,
            run by the container's shell) or ``("CMD", "/bin/check", "--ready")`` (each
            argument its own string, run directly); a form that most likely fails is
            warned of (:func:`~troposphere_fargate.layers.health_command.health_command_problem`,
            ``ServiceConfig.warnings``).
        interval_seconds: between checks, 5 to 300 (ECS's limits); default 30.
        timeout_seconds: for one check, 2 to 60; default 5.
        retries: failures in a row before the container is unhealthy, 1 to 10; default 3.
        start_period_seconds: failures that do not count after the container starts, 0 to 300;
            default 0.
    """

    command: tuple[str, ...]  # ("CMD-SHELL", "curl -f http://localhost:8080/ || exit 1")
    interval_seconds: int = 30
    timeout_seconds: int = 5
    retries: int = 3
    start_period_seconds: int = 0

    def __post_init__(self) -> None:
        owner = type(self).__name__
        _strings(owner, "command", self.command, allow_empty=False)
        if (
            self.command[0] not in HEALTH_CHECK_KINDS
            or len(self.command) < 2
            or not self.command[1].strip()
        ):
            raise _fail(
                owner, "command", self.command, "must start with CMD or CMD-SHELL and a command"
            )
        for name, (low, high) in HEALTH_CHECK_LIMITS.items():
            value = getattr(self, name)
            if not _is_int(value) or not low <= value <= high:
                raise _fail(owner, name, value, f"must be {low} to {high} (ECS's limits)")


@suggest_fields
@dataclass(frozen=True)
class Sidecar:
    """A container beside the application's: it pulls only from its own repository, logs to the
    stack's log group, has a read-only root file system with its own scratch space, and is never
    privileged.

    Attributes:
        name: the container's name (letters, digits, ``-`` and ``_``), other than the
            application's.
        image: a private ECR image with a tag or a digest
            (``<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>``).
        essential: whether the task stops when it stops; default False.
        port: a port the task's other containers reach on localhost, if any.
        environment: its environment variables, as (name, value).
        command: overrides the image's CMD.
        health_check: its container health check, if any.
        secrets: secrets it reads at start, such as an agent's API key.
        user: the user it runs as (``1000:1000``, ``app``), never root; None: its image's USER.
    """

    name: str
    image: str  # a private ECR image with a tag or a digest
    essential: bool = False
    port: int | None = None  # a port other containers of the task reach on localhost
    environment: tuple[tuple[str, str], ...] = ()
    command: tuple[str, ...] = ()
    health_check: HealthCheck | None = None
    # Secrets it reads at start, such as an agent's API key; the execution role may read these
    # too, and decrypts them with the application's secrets_kms_key when one is given.
    secrets: tuple[Secret, ...] = ()
    user: str | None = None

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if not isinstance(self.name, str) or not CONTAINER_NAME.fullmatch(self.name):
            raise _fail(owner, "name", self.name, CONTAINER_NAME_RULE)
        if not isinstance(self.image, str) or not ECR_IMAGE.fullmatch(self.image):
            raise _fail(
                owner,
                "image",
                self.image,
                "must be a private ECR image with a tag or digest: <account>.dkr.ecr.<region>."
                "amazonaws.com/<repository>:<tag>"
                + (pull_through_hint(self.image) if isinstance(self.image, str) else ""),
            )
        match = ECR_IMAGE.fullmatch(self.image)
        if (
            match
            and not match.group("suffix")
            and match.group("region").startswith("cn-") != bool(match.group("china"))
        ):
            raise _fail(
                owner,
                "image",
                self.image,
                "the China regions' ECR host ends in amazonaws.com.cn, and only theirs",
            )
        if not isinstance(self.essential, bool):
            raise _fail(owner, "essential", self.essential, "must be true or false")
        if self.port is not None and (not _is_int(self.port) or not 1 <= self.port <= 65535):
            raise _fail(owner, "port", self.port, "must be a port from 1 to 65535")
        _environment(owner, "environment", self.environment)
        _strings(owner, "command", self.command)
        if self.health_check is not None and not isinstance(self.health_check, HealthCheck):
            raise _fail(owner, "health_check", self.health_check, "must be a HealthCheck")
        _secrets(owner, self.secrets, self.environment)
        _user(owner, self.user)

    @property
    def repository_arn(self) -> str:
        """The ECR repository its image comes from (the execution role pulls from it only)."""
        match = ECR_IMAGE.fullmatch(self.image)
        assert match is not None
        region = match.group("region")
        # ECR's hosts end in .amazonaws.com.cn in China; GovCloud's are plain .amazonaws.com.
        # An image named with the stack's region (or URL suffix) is in the stack's partition.
        partition = (
            PSEUDO_PARTITION
            if match.group("suffix") or region == PSEUDO_REGION
            else "aws-cn"
            if match.group("china")
            else "aws-us-gov"
            if region.startswith("us-gov-")
            else "aws"
        )
        return (
            f"arn:{partition}:ecr:{region}:{match.group('account')}:repository/"
            f"{match.group('repository')}"
        )


@suggest_fields
@dataclass(frozen=True)
class Application:
    """Everything the application brings to the service layer. Each field defaults to nothing.

    Attributes:
        environment: environment variables of the application's container, as (name, value).
        secrets: secrets it reads at start; the execution role may read exactly these.
        secrets_kms_key: the customer managed KMS key the secrets are encrypted with, if any,
            or a tuple of the keys when they are encrypted with several; only then does the
            execution role get ``kms:Decrypt``, on those keys alone.
        task_role: the application's own permissions (:class:`TaskRole`). Default
            ``TaskRole()``: no managed policy and no statement.
        egress: traffic the tasks may send beyond HTTPS (443 to anywhere stays).
        sidecars: containers beside the application's.
        health_check: the container health check (the load balancer's stays).
        command, entry_point: override the image's CMD and ENTRYPOINT.
        ephemeral_storage_gib: the task's ephemeral storage, 21 to 200 GiB (Fargate's default
            is 20 GiB).
        stop_timeout_seconds: how long the container may take to stop after SIGTERM, 2 to 120.
        user: the user the container runs as (``1000:1000``, ``app``), never root: the default
            of the ``ContainerUser`` parameter. None: the image's USER.
    """

    environment: tuple[tuple[str, str], ...] = ()
    secrets: tuple[Secret, ...] = ()
    secrets_kms_key: str | tuple[str, ...] | None = None
    task_role: TaskRole = field(default_factory=TaskRole)
    egress: tuple[EgressRule, ...] = ()
    sidecars: tuple[Sidecar, ...] = ()
    health_check: HealthCheck | None = None
    command: tuple[str, ...] = ()
    entry_point: tuple[str, ...] = ()
    ephemeral_storage_gib: int | None = None
    stop_timeout_seconds: int | None = None
    user: str | None = None

    def __post_init__(self) -> None:
        owner = type(self).__name__
        _environment(owner, "environment", self.environment)
        for name, kind in (
            ("secrets", Secret),
            ("egress", EgressRule),
            ("sidecars", Sidecar),
        ):
            value = getattr(self, name)
            if not isinstance(value, tuple) or not all(isinstance(v, kind) for v in value):
                raise _fail(owner, name, value, f"must be a tuple of {kind.__name__}")
        _secrets(owner, self.secrets, self.environment)
        self._check_kms_keys(owner)
        if self.secrets_kms_key is not None and not self.all_secrets:
            raise _fail(
                owner, "secrets_kms_key", self.secrets_kms_key, "names a key but no secret uses it"
            )
        if not isinstance(self.task_role, TaskRole):
            raise _fail(owner, "task_role", self.task_role, "must be a TaskRole")
        if len(self.sidecars) >= CONTAINERS_PER_TASK:
            raise _fail(
                owner,
                "sidecars",
                f"({len(self.sidecars)} sidecars)",
                f"at most {CONTAINERS_PER_TASK - 1}: ECS takes {CONTAINERS_PER_TASK} containers "
                "per task definition, the application's own included",
            )
        sidecar_names = [s.name for s in self.sidecars]
        if len(set(sidecar_names)) != len(sidecar_names):
            raise _fail(owner, "sidecars", sidecar_names, "two sidecars have the same name")
        if self.health_check is not None and not isinstance(self.health_check, HealthCheck):
            raise _fail(owner, "health_check", self.health_check, "must be a HealthCheck")
        _strings(owner, "command", self.command)
        _strings(owner, "entry_point", self.entry_point)
        for name, (low, high) in (
            ("ephemeral_storage_gib", EPHEMERAL_STORAGE_GIB),
            ("stop_timeout_seconds", STOP_TIMEOUT_SECONDS),
        ):
            value = getattr(self, name)
            if value is not None and (not _is_int(value) or not low <= value <= high):
                raise _fail(owner, name, value, f"must be {low} to {high}")
        _user(owner, self.user)
        partitions = {partition_of(arn) for arn in self.arns()} - {PSEUDO_PARTITION}
        if len(partitions) > 1:
            raise _fail(
                owner,
                "partition",
                sorted(partitions),
                "every ARN must be in one partition: a stack runs in one",
            )

    @property
    def all_secrets(self) -> tuple[Secret, ...]:
        """The application's secrets, then each sidecar's: what the execution role may read."""
        return self.secrets + tuple(s for sidecar in self.sidecars for s in sidecar.secrets)

    def _check_kms_keys(self, owner: str) -> None:
        keys = self.secrets_kms_key
        if keys is None:
            return
        if isinstance(keys, tuple):
            if not keys:
                raise _fail(owner, "secrets_kms_key", keys, "give one key at least, or None")
            named = [(f"secrets_kms_key[{index}]", key) for index, key in enumerate(keys)]
        elif isinstance(keys, str):
            named = [("secrets_kms_key", keys)]
        else:
            kind = ", not a list" if isinstance(keys, list) else ""
            raise _fail(
                owner, "secrets_kms_key", keys, f"must be a KMS key ARN, or a tuple of them{kind}"
            )
        for index, (name, key) in enumerate(named):
            if not _matches(KMS_KEY_ARN, key):
                hint = kms_key_hint(key) if isinstance(key, str) else kms_key_hint("")
                raise _fail(owner, name, key, "must be a KMS key ARN" + hint)
            problem = arn_region_problem(key)
            if problem:
                raise _fail(owner, name, key, problem)
            if key in keys[:index]:
                raise _fail(owner, name, key, "is given twice")
        # KMS keys are regional, and a secret or parameter is encrypted with a key of its own
        # region ("You can't use a KMS key in a different Region", Secrets Manager User Guide,
        # "Secret encryption and decryption"): a key of a region no secret is in decrypts none.
        written = [_arn_region(s.value_from) for s in self.all_secrets]
        # A secret in the stack's own region (${AWS::Region}) may be in any: then no key is.
        regions = set() if None in written else {r for r in written if r is not None}
        for name, key in named:
            region = _arn_region(key)
            if region is not None and regions and region not in regions:
                raise _fail(
                    owner,
                    name,
                    key,
                    f"is in {region}, and the secrets are in {', '.join(sorted(regions))}: a "
                    "secret is encrypted with a KMS key of its own region (a multi-Region "
                    "key's replica there has an ARN of that region)",
                )

    @property
    def secrets_kms_keys(self) -> tuple[str, ...]:
        """The KMS keys the secrets are encrypted with: ``secrets_kms_key`` as a tuple."""
        key = self.secrets_kms_key
        if key is None:
            return ()
        return (key,) if isinstance(key, str) else key

    def arns(self) -> list[str]:
        """Every ARN the application names (and each sidecar's repository's)."""
        found = [s.value_from for s in self.all_secrets] + list(self.task_role.managed_policies)
        found += [r for s in self.task_role.statements for r in s.resources if r != "*"]
        found += [a for s in self.task_role.statements for c in s.conditions for a in c.arns]
        found += [s.repository_arn for s in self.sidecars]
        found += self.secrets_kms_keys
        return found

    @property
    def container_names(self) -> list[str]:
        return [s.name for s in self.sidecars]
