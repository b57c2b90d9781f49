"""Where the load balancer's access logs go: an encrypted, private, versioned S3 bucket that
expires them after ``LogRetentionDays``, its policy (TLS only; log delivery by Elastic Load
Balancing for an application load balancer, by CloudWatch Logs' delivery service for a network
one), and the mapping of the regional Elastic Load Balancing accounts that policy names."""

from __future__ import annotations

from awacs import s3 as awacs_s3
from awacs.aws import (
    Allow,
    ArnLike,
    Bool,
    Deny,
    PolicyDocument,
    Principal,
    Statement,
    StringEquals,
)
from awacs.aws import Condition as PolicyCondition
from troposphere import AccountId, Equals, FindInMap, GetAtt, If, Ref, Region, Sub, Template, s3

from ...cfn.buckets import ELB_LOG_DELIVERY_ACCOUNTS
from ..blocks import name_tag, private_bucket_properties, suppress
from .names import (
    ACCESS_LOGS_BUCKET,
    ACCESS_LOGS_BUCKET_POLICY,
    ELB_ACCOUNTS,
    ELB_LOGS_FROM_SERVICE_PRINCIPAL,
    LOG_RETENTION_DAYS_PARAMETER,
)

LOG_PREFIX = "AWSLogs"  # access logs land under <bucket>/AWSLogs/<account>/...

# Regions opened before August 2022 deliver load balancer access logs from a regional Elastic
# Load Balancing account (ELB_LOG_DELIVERY_ACCOUNTS, in cfn.buckets: the dry run names them);
# newer regions use the service principal logdelivery.elasticloadbalancing.amazonaws.com.
# (Elastic Load Balancing User Guide, "Enable access logs": bucket policy.) Every region is in
# the mapping, newer ones with SERVICE_PRINCIPAL:
# CloudFormation may evaluate Fn::FindInMap even in the branch of an Fn::If it does not take, so
# a lookup must never miss. A region opened after this list fails at that lookup, by name.
SERVICE_PRINCIPAL = "service-principal"
NEWER_REGIONS: tuple[str, ...] = (
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "mx-central-1",
)

# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
ACCESS_LOGS_BUCKET_SUPPRESSIONS = {
    "s3_bucket_default_encryption_kms_check": (
        "an application load balancer writes access logs only to a bucket encrypted with "
        "SSE-S3, and this bucket serves either type of load balancer"
    ),
    "s3_bucket_logging_enabled_check": (
        "this bucket holds access logs; logging its own access would need another bucket "
        "without end"
    ),
    "s3_bucket_object_lock_enabled_check": (
        "access logs expire after LogRetentionDays by lifecycle; Object Lock, which cannot be "
        "turned off once on, would keep each version for a retention of its own besides, and a "
        "log deleted by hand stays one day as a noncurrent version: for immutable logs, "
        "replicate them to a locked bucket of your own"
    ),
    "s3_event_notifications_enabled_check": "nothing consumes access-log object events",
}
BUCKET_POLICY_SUPPRESSIONS = {
    "s3_bucket_policy_ssl_requests_only_check": (
        "the policy denies every s3 action on the bucket and its objects when "
        "aws:SecureTransport is false; the rule only parses object ARNs written with Fn::Join, "
        "which cfn-lint (I1022) asks to write with Fn::Sub"
    ),
}


def add_log_delivery_accounts(t: Template) -> dict[str, dict[str, str]]:
    """Add the mapping of every region to its Elastic Load Balancing account (or
    SERVICE_PRINCIPAL); return it."""
    accounts = {**ELB_LOG_DELIVERY_ACCOUNTS, **dict.fromkeys(NEWER_REGIONS, SERVICE_PRINCIPAL)}
    mapping = {region: {"AccountId": account} for region, account in sorted(accounts.items())}
    t.add_mapping(ELB_ACCOUNTS, mapping)
    return mapping


def add_access_logs_bucket(t: Template) -> s3.Bucket:
    bucket = t.add_resource(
        s3.Bucket(
            ACCESS_LOGS_BUCKET,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            # Load balancers write access logs only with SSE-S3 (ALB) encryption.
            **private_bucket_properties(),
            LifecycleConfiguration=s3.LifecycleConfiguration(
                Rules=[
                    s3.LifecycleRule(
                        Id="ExpireAccessLogs",
                        Status="Enabled",
                        ExpirationInDays=Ref(LOG_RETENTION_DAYS_PARAMETER),
                        NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(
                            NoncurrentDays=1
                        ),
                        AbortIncompleteMultipartUpload=s3.AbortIncompleteMultipartUpload(
                            DaysAfterInitiation=1
                        ),
                    )
                ]
            ),
            Tags=name_tag("access-logs"),
        )
    )
    return suppress(
        bucket,
        guard=ACCESS_LOGS_BUCKET_SUPPRESSIONS,
        checkov={"CKV_AWS_18": ACCESS_LOGS_BUCKET_SUPPRESSIONS["s3_bucket_logging_enabled_check"]},
    )


def add_log_delivery_condition(t: Template) -> str:
    """The condition that the region delivers access logs by the service principal (newer
    regions) rather than its Elastic Load Balancing account."""
    t.add_condition(
        ELB_LOGS_FROM_SERVICE_PRINCIPAL,
        Equals(FindInMap(ELB_ACCOUNTS, Region, "AccountId"), SERVICE_PRINCIPAL),
    )
    return ELB_LOGS_FROM_SERVICE_PRINCIPAL


def add_access_logs_bucket_policy(
    t: Template, bucket: s3.Bucket, *, network_load_balancer: bool = True
) -> s3.BucketPolicy:
    """The bucket's policy: TLS only, and log delivery for an application load balancer and,
    with ``network_load_balancer``, for a network one (an environment's is an application one)."""
    policy = t.add_resource(
        s3.BucketPolicy(
            ACCESS_LOGS_BUCKET_POLICY,
            Bucket=Ref(bucket),
            PolicyDocument=_access_logs_bucket_policy(bucket, network_load_balancer),
        )
    )
    return suppress(policy, guard=BUCKET_POLICY_SUPPRESSIONS)


def _access_logs_bucket_policy(bucket: s3.Bucket, network_load_balancer: bool) -> PolicyDocument:
    bucket_arn = GetAtt(bucket, "Arn")
    log_objects = Sub(f"${{{bucket.title}.Arn}}/{LOG_PREFIX}/${{AWS::AccountId}}/*")
    # Network load balancers deliver through CloudWatch Logs' delivery service.
    log_delivery_source = Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*")
    elb_principal = If(
        ELB_LOGS_FROM_SERVICE_PRINCIPAL,
        {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
        {
            "AWS": Sub(
                "arn:${AWS::Partition}:iam::${ElbAccount}:root",
                ElbAccount=FindInMap(ELB_ACCOUNTS, Region, "AccountId"),
            )
        },
    )
    statements = [
        Statement(
            Sid="DenyInsecureTransport",
            Effect=Deny,
            Principal=Principal("*"),
            Action=[awacs_s3.Action("*")],
            Resource=[bucket_arn, Sub(f"${{{bucket.title}.Arn}}/*")],
            Condition=PolicyCondition(Bool("aws:SecureTransport", "false")),
        ),
        Statement(
            Sid="ApplicationLoadBalancerLogDelivery",
            Effect=Allow,
            Principal=elb_principal,
            Action=[awacs_s3.PutObject],
            Resource=[log_objects],
        ),
    ]
    if not network_load_balancer:
        return PolicyDocument(Version="2012-10-17", Statement=statements)
    statements += [
        Statement(
            Sid="NetworkLoadBalancerLogDelivery",
            Effect=Allow,
            Principal=Principal("Service", "delivery.logs.amazonaws.com"),
            Action=[awacs_s3.PutObject],
            Resource=[log_objects],
            Condition=PolicyCondition(
                [
                    StringEquals(
                        {
                            "s3:x-amz-acl": "bucket-owner-full-control",
                            "aws:SourceAccount": AccountId,
                        }
                    ),
                    ArnLike("aws:SourceArn", log_delivery_source),
                ]
            ),
        ),
        Statement(
            Sid="NetworkLoadBalancerLogDeliveryAclCheck",
            Effect=Allow,
            Principal=Principal("Service", "delivery.logs.amazonaws.com"),
            Action=[awacs_s3.GetBucketAcl],
            Resource=[bucket_arn],
            Condition=PolicyCondition(
                [
                    StringEquals("aws:SourceAccount", AccountId),
                    ArnLike("aws:SourceArn", log_delivery_source),
                ]
            ),
        ),
    ]
    return PolicyDocument(Version="2012-10-17", Statement=statements)
