"""The template bucket layer, ``bucket.yaml``: the S3 bucket, one per region, that ``publish``
puts the templates in and that stacks, StackSet instances and Service Catalog launch from.

Resources: the bucket (versioned, encrypted with S3-managed keys, every public access blocked,
objects owned by the bucket owner, noncurrent versions expired, kept on stack deletion) and its
policy: TLS only, and, with ``OrganizationId``, read access to the templates for every
principal of that AWS Organization (``aws:PrincipalOrgID``), so that stacks in member accounts
fetch the nested templates. Nothing is public.

Parameters: ``BucketName`` (optional; the Quick Start convention is one bucket per region, such
as ``my-templates-<region>``), ``OrganizationId``, ``PublisherArn`` (optional: the only
principal that may write objects), ``NoncurrentVersionDays``.
Outputs: ``BucketName``, ``BucketRegion``.
"""

from __future__ import annotations

from awacs import s3 as awacs_s3
from awacs.aws import (
    Allow,
    ArnNotEquals,
    Bool,
    Deny,
    PolicyDocument,
    Principal,
    Statement,
    StringEquals,
)
from awacs.aws import Condition as PolicyCondition
from troposphere import Equals, If, Not, NoValue, Ref, Region, Sub, Template, s3

from .blocks import (
    NOT_GIVEN,
    add_exported_output,
    add_parameter,
    name_tag,
    private_bucket_properties,
    suppress,
)
from .root import NEW_BUCKET_NAME_PATTERN

LAYER = "bucket"
FILENAME = "bucket.yaml"

# --- Parameters -------------------------------------------------------------------------------
BUCKET_NAME = "BucketName"
ORGANIZATION_ID = "OrganizationId"
NONCURRENT_VERSION_DAYS = "NoncurrentVersionDays"
PUBLISHER_ARN = "PublisherArn"

ORGANIZATION_ID_PATTERN = r"^$|^o-[a-z0-9]{10,32}$"
# The role or user that publishes: an IAM principal ARN, without wildcards.
PUBLISHER_ARN_PATTERN = (
    r"^$|^arn:aws(?:-cn|-us-gov)?:iam::[0-9]{12}:(?:role|user)/[A-Za-z0-9+=,.@_/-]{1,512}$"
)
GROUP_BUCKET = "Template bucket"

# --- Conditions -------------------------------------------------------------------------------
HAS_BUCKET_NAME = "HasBucketName"
HAS_ORGANIZATION = "HasOrganization"
HAS_PUBLISHER = "HasPublisher"

# --- Resources --------------------------------------------------------------------------------
TEMPLATE_BUCKET = "TemplateBucket"
TEMPLATE_BUCKET_POLICY = "TemplateBucketPolicy"

# --- Outputs ----------------------------------------------------------------------------------
OUTPUT_BUCKET_NAME = "BucketName"
OUTPUT_BUCKET_REGION = "BucketRegion"

# Control Tower rules that do not fit a bucket of published templates, and why.
BUCKET_SUPPRESSIONS = {
    "s3_bucket_default_encryption_kms_check": (
        "stacks in member accounts read these templates; an AWS managed key cannot be used "
        "from another account, and S3-managed keys (SSE-S3) need no key policy per reader"
    ),
    "s3_bucket_logging_enabled_check": (
        "the objects are published templates that CloudFormation reads; server access logs "
        "would need a second bucket per region: CloudTrail data events on this bucket record "
        "who reads and writes them (README, Service Catalog)"
    ),
    "s3_bucket_object_lock_enabled_check": (
        "publish --force must be able to repair a broken publish; versioning keeps every "
        "earlier object, and a published version is never overwritten without --force"
    ),
    "s3_event_notifications_enabled_check": "nothing consumes object events of the template bucket",
}
POLICY_SUPPRESSIONS = {
    "s3_bucket_policy_ssl_requests_only_check": (
        "the policy denies every s3 action on the bucket and its objects when "
        "aws:SecureTransport is false, in each of the four documents its Fn::Ifs choose "
        "from; the rule parses neither Fn::If nor object ARNs written with Fn::Sub (which "
        "cfn-lint's I1022 asks for)"
    ),
}
BUCKET_CHECKOV = {
    "CKV_AWS_18": BUCKET_SUPPRESSIONS["s3_bucket_logging_enabled_check"],
}


def _add_parameters(t: Template) -> None:
    add_parameter(
        t,
        BUCKET_NAME,
        group=GROUP_BUCKET,
        label="Bucket name (optional)",
        description=(
            "Name of the bucket, such as my-templates-<region> (one per region, the name "
            "publish --bucket NAME-{region} --regions expects); empty lets CloudFormation "
            "name it. No dots: stacks fetch templates over HTTPS from <bucket>.s3.<region>."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=f"^$|{NEW_BUCKET_NAME_PATTERN}",
        ConstraintDescription=(
            "must be empty or an S3 bucket name of 3-63 lower-case letters, digits and "
            "hyphens (no dots), not starting with xn--, sthree- or amzn-s3-demo- nor ending "
            "with -s3alias, --ol-s3 or --x-s3 (reserved by S3)"
        ),
    )
    add_parameter(
        t,
        ORGANIZATION_ID,
        group=GROUP_BUCKET,
        label="AWS Organization that may read the templates (optional)",
        description=(
            "ID of the AWS Organization (o-...) whose accounts may read the published templates "
            "(aws:PrincipalOrgID), so that StackSet instances and Service Catalog launches in "
            "member accounts fetch the nested templates. Empty: only this account."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=ORGANIZATION_ID_PATTERN,
        ConstraintDescription=(
            "must be empty or an AWS Organizations ID: o- then 10-32 letters or digits"
        ),
    )
    add_parameter(
        t,
        PUBLISHER_ARN,
        group=GROUP_BUCKET,
        label="The only principal that may publish (optional)",
        description=(
            "ARN of the IAM role or user that runs troposphere-fargate publish: every other "
            "principal of any account is denied writing, deleting or tagging objects (the "
            "Service Catalog launch role runs the templates here). Empty: whoever this "
            "account's IAM policies allow."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=PUBLISHER_ARN_PATTERN,
        ConstraintDescription=(
            "must be empty or an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)"
        ),
    )
    add_parameter(
        t,
        NONCURRENT_VERSION_DAYS,
        group=GROUP_BUCKET,
        label="Days to keep replaced object versions",
        description=(
            "Days an object version stays after it is replaced or deleted (publish --force); "
            "a published version is never replaced otherwise."
        ),
        Type="Number",
        Default="365",
        MinValue=1,
        MaxValue=3650,
        ConstraintDescription="must be a whole number of days from 1 to 3650",
    )


def _add_bucket(t: Template) -> s3.Bucket:
    bucket = s3.Bucket(
        TEMPLATE_BUCKET,
        BucketName=If(HAS_BUCKET_NAME, Ref(BUCKET_NAME), NoValue),
        **private_bucket_properties(),
        LifecycleConfiguration=s3.LifecycleConfiguration(
            Rules=[
                s3.LifecycleRule(
                    Id="ExpireReplacedVersions",
                    Status="Enabled",
                    NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(
                        NoncurrentDays=Ref(NONCURRENT_VERSION_DAYS)
                    ),
                    AbortIncompleteMultipartUpload=s3.AbortIncompleteMultipartUpload(
                        DaysAfterInitiation=7
                    ),
                )
            ]
        ),
        Tags=name_tag("templates"),
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    return t.add_resource(suppress(bucket, guard=BUCKET_SUPPRESSIONS, checkov=BUCKET_CHECKOV))


def _add_policy(t: Template, bucket: s3.Bucket) -> s3.BucketPolicy:
    objects = Sub(f"${{{TEMPLATE_BUCKET}.Arn}}/*")
    tls_only = Statement(
        Sid="TlsOnly",
        Effect=Deny,
        Principal=Principal("*"),
        Action=[awacs_s3.Action("*")],
        Resource=[bucket.get_att("Arn"), objects],
        Condition=PolicyCondition(Bool("aws:SecureTransport", False)),
    )
    organization_reads = Statement(
        Sid="OrganizationReadsTemplates",
        Effect=Allow,
        Principal=Principal("*"),
        Action=[awacs_s3.GetObject, awacs_s3.GetObjectVersion],
        Resource=[objects],
        Condition=PolicyCondition(StringEquals("aws:PrincipalOrgID", Ref(ORGANIZATION_ID))),
    )
    # The launch role runs what is here: only the publisher may change it. For a role's
    # sessions aws:PrincipalArn is the role's ARN ("For IAM roles, the request context returns
    # the ARN of the role, not the ARN of the user that assumed the role", IAM User Guide,
    # global condition context keys). Replication writes objects too, with the replication
    # role's s3:ReplicateObject, s3:ReplicateDelete and s3:ReplicateTags on the destination
    # (Amazon S3 User Guide, "Setting up permissions for live replication"): denied as well,
    # or a bucket replicating into this one would write templates without s3:PutObject.
    only_the_publisher_writes = Statement(
        Sid="OnlyThePublisherWrites",
        Effect=Deny,
        Principal=Principal("*"),
        Action=[
            awacs_s3.PutObject,
            awacs_s3.DeleteObject,
            awacs_s3.DeleteObjectVersion,
            awacs_s3.PutObjectTagging,
            awacs_s3.DeleteObjectTagging,
            awacs_s3.PutObjectVersionTagging,
            awacs_s3.DeleteObjectVersionTagging,
            awacs_s3.ReplicateObject,
            awacs_s3.ReplicateDelete,
            awacs_s3.ReplicateTags,
        ],
        Resource=[objects],
        Condition=PolicyCondition(ArnNotEquals("aws:PrincipalArn", Ref(PUBLISHER_ARN))),
    )

    def document(*statements: Statement) -> PolicyDocument:
        return PolicyDocument(Version="2012-10-17", Statement=[tls_only, *statements])

    # awacs takes no Fn::If inside a statement list: one document per case.
    return t.add_resource(
        suppress(
            s3.BucketPolicy(
                TEMPLATE_BUCKET_POLICY,
                Bucket=Ref(bucket),
                PolicyDocument=If(
                    HAS_ORGANIZATION,
                    If(
                        HAS_PUBLISHER,
                        document(organization_reads, only_the_publisher_writes),
                        document(organization_reads),
                    ),
                    If(HAS_PUBLISHER, document(only_the_publisher_writes), document()),
                ),
            ),
            guard=POLICY_SUPPRESSIONS,
        )
    )


def template_bucket_template() -> Template:
    """``bucket.yaml``: the bucket publish uploads to, readable across one AWS Organization."""
    t = Template(
        Description=(
            "S3 bucket for published troposphere-fargate templates: versioned, encrypted, "
            "private, TLS only, readable by the accounts of one AWS Organization"
        )
    )
    _add_parameters(t)
    t.add_condition(HAS_BUCKET_NAME, Not(Equals(Ref(BUCKET_NAME), NOT_GIVEN)))
    t.add_condition(HAS_ORGANIZATION, Not(Equals(Ref(ORGANIZATION_ID), NOT_GIVEN)))
    t.add_condition(HAS_PUBLISHER, Not(Equals(Ref(PUBLISHER_ARN), NOT_GIVEN)))
    bucket = _add_bucket(t)
    _add_policy(t, bucket)
    add_exported_output(
        t, OUTPUT_BUCKET_NAME, Ref(bucket), "Bucket to publish to (publish --bucket)."
    )
    add_exported_output(
        t, OUTPUT_BUCKET_REGION, Region, "Region of the bucket: stacks here launch from it."
    )
    return t
