"""bucket.yaml: the bucket publish uploads to, one per region, readable across one AWS
Organization and by nobody else."""

from __future__ import annotations

import pytest

from troposphere_fargate.cfn.evaluate import ParameterError, deployed
from troposphere_fargate.layers import template_bucket as b

ORG = "o-a1b2c3d4e5"


@pytest.fixture(scope="module")
def template() -> dict:
    return b.template_bucket_template().to_dict()


def bucket(template, **values) -> dict:
    return deployed(template, values).resources[b.TEMPLATE_BUCKET]


def statements(template, **values) -> list[dict]:
    policy = deployed(template, values).resources[b.TEMPLATE_BUCKET_POLICY]
    return policy["Properties"]["PolicyDocument"]["Statement"]


def test_the_bucket_is_versioned_encrypted_private_and_kept(template):
    found = bucket(template)
    properties = found["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert set(properties["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(properties["PublicAccessBlockConfiguration"]) == 4
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert (found["DeletionPolicy"], found["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_replaced_versions_expire_after_the_days_given(template):
    (rule,) = bucket(template, NoncurrentVersionDays="30")["Properties"]["LifecycleConfiguration"][
        "Rules"
    ]
    assert rule["NoncurrentVersionExpiration"] == {
        "NoncurrentDays": {"Ref": b.NONCURRENT_VERSION_DAYS}
    }
    assert (
        deployed(template, {"NoncurrentVersionDays": "30"}).parameters[b.NONCURRENT_VERSION_DAYS]
        == "30"
    )


def test_without_an_organization_only_tls_is_said_and_nobody_else_reads(template):
    (tls,) = statements(template)
    assert tls["Effect"] == "Deny" and tls["Condition"] == {"Bool": {"aws:SecureTransport": False}}


def test_the_organizations_accounts_read_the_templates_and_nothing_else(template):
    """Principal "*" with a fixed aws:PrincipalOrgID is not public to S3 ("The meaning of
    'public'", Amazon S3 User Guide: a policy that grants only to fixed values of
    aws:PrincipalOrgID is non-public), so BlockPublicPolicy allows it."""
    tls, reads = statements(template, OrganizationId=ORG)
    assert tls["Sid"] == "TlsOnly"
    assert reads["Action"] == ["s3:GetObject", "s3:GetObjectVersion"]
    assert reads["Condition"] == {
        "StringEquals": {"aws:PrincipalOrgID": {"Ref": b.ORGANIZATION_ID}}
    }
    assert reads["Resource"] == [{"Fn::Sub": "${TemplateBucket.Arn}/*"}]  # objects, not listing


PUBLISHER = "arn:aws:iam::123456789012:role/platform/template-publisher"


def test_with_a_publisher_nobody_else_writes_deletes_or_tags_a_template(template):
    """The catalog's launch role runs the templates of this bucket, so whoever writes there
    can have it create roles (README, "Service Catalog"). With PublisherArn, every other
    principal is denied the writes, in this account and any other."""
    for values in ({"PublisherArn": PUBLISHER}, {"PublisherArn": PUBLISHER, "OrganizationId": ORG}):
        found = {st["Sid"]: st for st in statements(template, **values)}
        deny = found["OnlyThePublisherWrites"]
        assert deny["Effect"] == "Deny" and deny["Principal"] == "*"
        assert set(deny["Action"]) == {
            "s3:PutObject",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:PutObjectTagging",
            "s3:DeleteObjectTagging",
            "s3:PutObjectVersionTagging",
            "s3:DeleteObjectVersionTagging",
            # Replication into the bucket writes objects without s3:PutObject (Amazon S3 User
            # Guide, "Setting up permissions for live replication"; a security review).
            "s3:ReplicateObject",
            "s3:ReplicateDelete",
            "s3:ReplicateTags",
        }
        assert deny["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": {"Ref": b.PUBLISHER_ARN}}}
        assert set(found) == {"TlsOnly", "OnlyThePublisherWrites"} | (
            {"OrganizationReadsTemplates"} if "OrganizationId" in values else set()
        )
    assert "OnlyThePublisherWrites" not in {st["Sid"] for st in statements(template)}
    with pytest.raises(ParameterError, match=b.PUBLISHER_ARN):
        deployed(template, {"PublisherArn": "arn:aws:iam::123456789012:role/*"})


def test_the_name_is_cloudformations_unless_given(template):
    assert "BucketName" not in bucket(template)["Properties"]
    named = bucket(template, BucketName="my-templates-eu-west-1")["Properties"]["BucketName"]
    assert named == {"Ref": b.BUCKET_NAME}


# "Bucket names must not start with the prefix xn--", "sthree-", "amzn-s3-demo-", and "must not
# end with the suffix -s3alias", "--ol-s3", "--x-s3" (S3 User Guide, general purpose bucket
# naming rules): cfn-lint and the emulator took them (an audit), S3 refuses to create them.
RESERVED_BUCKET_NAMES = [
    "xn--templates-eu-west-1",
    "sthree-templates",
    "sthree-configurator-x",
    "amzn-s3-demo-templates",
    "templates-s3alias",
    "templates--ol-s3",
    "templates--usw2-az1--x-s3",
]
ORDINARY_BUCKET_NAMES = [
    "my-templates-eu-west-1",
    "xn-templates",
    "sthree",
    "amzn-s3-demo",
    "templates-s3alias-1",
    "templates-ol-s3",
    "templates-x-s3",
]


@pytest.mark.parametrize("name", RESERVED_BUCKET_NAMES)
def test_a_name_s3_reserves_is_refused_before_anything_is_created(template, name):
    with pytest.raises(ParameterError, match=f"{b.BUCKET_NAME}.*reserved by S3"):
        deployed(template, {b.BUCKET_NAME: name})


@pytest.mark.parametrize("name", ORDINARY_BUCKET_NAMES)
def test_a_name_near_a_reserved_one_is_taken(template, name):
    properties = bucket(template, BucketName=name)["Properties"]
    assert properties["BucketName"] == {"Ref": b.BUCKET_NAME}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (b.ORGANIZATION_ID, "o-short"),
        (b.ORGANIZATION_ID, "ou-ab12-cdef3456"),
        (b.BUCKET_NAME, "my.templates"),
        (b.NONCURRENT_VERSION_DAYS, "0"),
    ],
)
def test_bad_values_are_refused_before_anything_is_created(template, name, value):
    with pytest.raises(ParameterError, match=name):
        deployed(template, {name: value})


def _documents(node):
    """Every value ``node`` can take, one per choice of its Fn::Ifs (unevaluated otherwise)."""
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            _, yes, no = node["Fn::If"]
            return _documents(yes) + _documents(no)
        choices = [{}]
        for key, value in node.items():
            choices = [{**c, key: v} for c in choices for v in _documents(value)]
        return choices
    if isinstance(node, list):
        choices = [[]]
        for item in node:
            choices = [[*c, v] for c in choices for v in _documents(item)]
        return choices
    return [node]


def test_every_document_the_policy_chooses_denies_requests_without_tls(template):
    """The cfn-guard suppression (POLICY_SUPPRESSIONS) says the policy denies every request
    without TLS "in each of the four documents its Fn::Ifs choose from": a third Fn::If, or a
    branch without the deny, would leave it untrue without a word (a review)."""
    policy = template["Resources"][b.TEMPLATE_BUCKET_POLICY]["Properties"]["PolicyDocument"]
    documents = _documents(policy)
    assert len(documents) == 4
    assert "four documents" in b.POLICY_SUPPRESSIONS["s3_bucket_policy_ssl_requests_only_check"]
    for document in documents:
        (tls,) = [s for s in document["Statement"] if s["Sid"] == "TlsOnly"]
        assert (tls["Effect"], tls["Principal"], tls["Action"]) == ("Deny", "*", ["s3:*"])
        assert tls["Resource"] == [
            {"Fn::GetAtt": [b.TEMPLATE_BUCKET, "Arn"]},
            {"Fn::Sub": f"${{{b.TEMPLATE_BUCKET}.Arn}}/*"},
        ]
        assert tls["Condition"] == {"Bool": {"aws:SecureTransport": False}}
