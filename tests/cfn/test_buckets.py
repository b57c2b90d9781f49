"""Who a bucket policy lets read and write (``cfn.buckets``), statement by statement: the
summary's words for each form of principal and condition a policy may use."""

from __future__ import annotations

from typing import Any

from troposphere_fargate.cfn.buckets import bucket_lines

READER = "arn:aws:iam::123456789012:role/reader"


def access(*statements: dict[str, Any]) -> str:
    """The access part of the line of a bucket whose policy has ``statements``."""
    resources = {
        "Logs": {"Type": "AWS::S3::Bucket", "Properties": {}},
        "LogsPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "Logs"},
                "PolicyDocument": {"Statement": list(statements)},
            },
        },
    }
    ((_, line),) = bucket_lines(resources)
    settings, _, rest = line.partition("; ")
    return f"{rest} ({settings.rpartition(', ')[2]})"


def allow(principal: Any, action: str = "s3:GetObject", **condition: Any) -> dict[str, Any]:
    found = {"Effect": "Allow", "Principal": principal, "Action": action}
    return {**found, "Condition": condition} if condition else found


def test_anyone_is_said_in_either_form_and_with_conditions_as_conditional():
    # "To grant permission to everyone, also referred as anonymous access, you set the
    # wildcard ("*") as the Principal value ... "Principal":"*" "Principal":{"AWS":"*"}"
    # (Amazon S3 User Guide, "Principals",
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-bucket-user-policy-specifying-principal-intro.html).
    read_by_anyone = "read by this account and anyone; written by this account"
    assert access(allow({"AWS": "*"})).startswith(read_by_anyone)
    assert access(allow("*")).startswith(read_by_anyone)
    # A list is its items, each a principal ("Principal":{"AWS":["arn:...:root", ...]}, the
    # same page): "*" among them is everyone, whoever else is named.
    assert access(allow({"AWS": ["*"]})).startswith(read_by_anyone)
    assert access(allow({"AWS": [READER, "*"]})).startswith(read_by_anyone)
    # A condition other than the organization's: whoever it lets in, not anyone.
    vpce = {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
    assert access(allow("*", **vpce)).startswith(
        "read by this account and anyone its policy's conditions let in; written by"
    )
    # The same organization in two statements is named once.
    org = {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}
    assert access(allow("*", **org), allow({"AWS": "*"}, "s3:Get*", **org)).startswith(
        "read by this account and the accounts of organization o-abcdefghij; written by"
    )
    # Under a negated operator the organization is whom the Allow leaves out: everyone else
    # its conditions let in, not the organization's accounts ("StringNotEquals: Negated
    # matching", IAM User Guide, "IAM JSON policy elements: Condition operators",
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
    others = {"StringNotEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}
    assert access(allow("*", **others)).startswith(
        "read by this account and anyone its policy's conditions let in; written by"
    )


def test_an_account_is_said_by_its_id_in_either_form_and_another_principal_by_its_arn():
    # "you can use the account ARN (arn:aws:iam::account-ID:root), or a shortened form that
    # consists of the "AWS": prefix followed by the account ID ... The account ARN and the
    # shortened account ID behave the same way" (IAM User Guide, "AWS JSON policy elements:
    # Principal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
    principal = {"AWS": ["123456789012", "arn:aws:iam::210987654321:root", READER]}
    assert access(allow(principal)).startswith(
        "read by this account, account 123456789012, account 210987654321 and "
        f"{READER}; written by this account"
    )


def test_a_deny_of_everyone_but_some_names_them_alone():
    # "deny everyone but": a Deny of {"AWS": "*"} unless the principal's ARN is like the
    # readers' (StringNotLike aws:PrincipalArn) leaves the readers alone to read.
    deny = {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:GetObject",
        "Condition": {"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/reader-*"}},
    }
    assert access(deny).startswith(
        "read by arn:aws:iam::*:role/reader-* alone; written by this account"
    )
    deny["Principal"] = {"AWS": ["*"]}
    assert access(deny).startswith(
        "read by arn:aws:iam::*:role/reader-* alone; written by this account"
    )


def test_only_a_deny_of_insecure_transport_makes_a_bucket_tls_only():
    insecure = {"Bool": {"aws:SecureTransport": "false"}}
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": insecure}
    assert access(deny).endswith("(TLS only)")
    # An Allow on the same condition keeps no one out.
    assert not access(allow("*", **insecure)).endswith("(TLS only)")


def line_of(properties: dict[str, Any]) -> str:
    ((_, line),) = bucket_lines({"B": {"Type": "AWS::S3::Bucket", "Properties": properties}})
    return line


def test_encryption_names_its_kind_and_its_key():
    # KMSMasterKeyID: "This parameter is allowed if and only if SSEAlgorithm is set to aws:kms
    # or aws:kms:dsse. You can specify the key ID, key alias, or the Amazon Resource Name (ARN)
    # of the KMS key" (AWS::S3::Bucket ServerSideEncryptionByDefault,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-serversideencryptionbydefault.html).
    def encrypted(**default: str) -> str:
        rules = [{"ServerSideEncryptionByDefault": default}]
        line = line_of({"BucketEncryption": {"ServerSideEncryptionConfiguration": rules}})
        return line.split(", ")[2]

    assert encrypted(SSEAlgorithm="aws:kms:dsse") == "encrypted (DSSE-KMS)"
    assert encrypted(SSEAlgorithm="aws:kms", KMSMasterKeyID="alias/logs") == (
        "encrypted (SSE-KMS with key alias/logs)"
    )
    assert encrypted(SSEAlgorithm="AES256") == "encrypted (SSE-S3)"


def test_a_disabled_lifecycle_rule_deletes_nothing():
    # Status: "If 'Enabled', the rule is currently being applied. If 'Disabled', the rule is
    # not currently being applied" (Amazon S3 API Reference, LifecycleRule,
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html).
    rules = [
        {"Status": "Disabled", "ExpirationInDays": 7},
        {"Status": "Enabled", "Prefix": "tmp/", "ExpirationInDays": 1},
        {"Status": "Enabled", "Filter": {"Prefix": "cache/"}, "ExpirationInDays": 2},
    ]
    line = line_of({"LifecycleConfiguration": {"Rules": rules}})
    # A rule of a Prefix or a Filter deletes some objects only.
    assert line.endswith(
        "; objects (some) deleted after 1 day, objects (some) deleted after 2 days"
    )


def test_versioning_suspended_a_day_as_a_parameter_gives_it_and_retain_except_on_create():
    # VersioningConfiguration Status, "Valid Values: Enabled | Suspended" (Amazon S3 API
    # Reference, VersioningConfiguration,
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_VersioningConfiguration.html).
    # A number of days from a parameter is text in the resolved template ("1").
    # "RetainExceptOnCreate behaves like Retain for stack operations, except for the stack
    # operation that initially created the resource" (DeletionPolicy attribute,
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
    properties = {
        "VersioningConfiguration": {"Status": "Suspended"},
        "LifecycleConfiguration": {"Rules": [{"Status": "Enabled", "ExpirationInDays": "1"}]},
    }
    body = {"Type": "AWS::S3::Bucket", "Properties": properties}
    ((_, line),) = bucket_lines({"B": {**body, "DeletionPolicy": "RetainExceptOnCreate"}})
    assert line.split(", ")[1] == "versioning suspended"
    assert line.endswith("; objects deleted after 1 day; kept when the stack is deleted")


def test_a_condition_s_key_is_read_in_any_case():
    # "Context key names are not case-sensitive. For example, including the aws:SourceIP
    # context key is equivalent to testing for AWS:SourceIp" (IAM User Guide, "IAM JSON policy
    # elements: Condition",
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
    org = {"StringEquals": {"aws:principalorgid": "o-abcdefghij"}}
    deny_others = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Condition": {"ArnNotEquals": {"AWS:PrincipalARN": READER}},
    }
    insecure = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Condition": {"Bool": {"AWS:SecureTransport": "false"}},
    }
    assert access(allow("*", **org), deny_others, insecure) == (
        "read by this account and the accounts of organization o-abcdefghij; written by "
        f"{READER} alone (TLS only)"
    )
