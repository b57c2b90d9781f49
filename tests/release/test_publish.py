"""``troposphere-fargate publish`` against a moto S3 server on 127.0.0.1, with the real boto3
client; Service Catalog calls (which moto does not support) with botocore's Stubber, which checks
every request against AWS's API model."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shlex
import shutil
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
import pytest
from botocore.stub import Stubber

from tests.support import compute, props
from troposphere_fargate import __version__, cli
from troposphere_fargate.layers import catalog as catalog_layer
from troposphere_fargate.layers.root import (
    NETWORK_STACK,
    SERVICE_STACK,
    TEMPLATE_BUCKET_NAME,
    TEMPLATE_KEY_PREFIX,
)
from troposphere_fargate.release import publish as publish_module
from troposphere_fargate.release.build import MANIFEST, render_templates
from troposphere_fargate.release.publish import (
    Destination,
    PublishError,
    add_to_catalog,
    artifact_description,
    deploy_command,
    idempotency_token,
    launch_url,
    publish,
    publish_release,
    read_version,
)

REPO = Path(__file__).resolve().parents[2]
BUCKET = "team-templates"
PREFIX = "troposphere-fargate/"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A copy of the committed templates folder, which tests may damage."""
    folder = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / __version__, folder / __version__)
    return folder


@pytest.fixture
def s3(aws_env: dict[str, str]):
    client = boto3.client("s3")
    for bucket in client.list_buckets().get("Buckets", []):
        listing = client.list_objects_v2(Bucket=bucket["Name"]).get("Contents", [])
        for item in listing:
            client.delete_object(Bucket=bucket["Name"], Key=item["Key"])
        client.delete_bucket(Bucket=bucket["Name"])
    client.create_bucket(Bucket=BUCKET)
    return client


def run(templates: Path, *extra: str) -> int:
    return cli.main(["publish", "--bucket", BUCKET, "--templates", str(templates), *extra])


def published(s3) -> dict[str, bytes]:
    listing = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listing
    }


def test_publish_uploads_every_file_of_the_version_root_last(s3, templates, capsys):
    assert run(templates) == 0
    out = capsys.readouterr().out
    local = {p.name: p.read_bytes() for p in (templates / __version__).iterdir()}
    assert published(s3) == {f"{PREFIX}{__version__}/{name}": data for name, data in local.items()}
    uploads = [line.split()[1] for line in out.splitlines() if line.startswith("uploading ")]
    assert sorted(uploads) == sorted(local)
    assert uploads[-1] == "root.yaml"  # until it is there, nothing is launchable
    assert uploads[-2] == MANIFEST


def test_uploads_ask_s3_to_verify_a_sha256_and_are_read_back(s3, templates, monkeypatch):
    calls: list[tuple[str, dict]] = []
    monkeypatch.setattr(boto3.Session, "client", _wrap(boto3.Session.client, calls))
    assert run(templates) == 0
    puts = [params for name, params in calls if name == "PutObject"]
    # every template and the manifest: network, environment, service, root, instance, catalog,
    # stackset, bucket
    assert len(puts) == len(list((templates / __version__).iterdir()))
    assert len(puts) == 9
    for params in puts:
        name = params["url_path"].rsplit("/", 1)[1]
        data = (templates / __version__ / name).read_bytes()
        digest = hashlib.sha256(data).digest()
        assert params["headers"]["x-amz-checksum-sha256"] == base64.b64encode(digest).decode()
        assert params["headers"]["x-amz-meta-sha256"] == digest.hex()
    for index, (name, params) in enumerate(calls):
        if name == "PutObject":  # each upload is read back after it is written
            assert ("GetObject", params["url_path"]) in [
                (later, p["url_path"]) for later, p in calls[index + 1 :]
            ]


def _wrap(method, calls):
    def client(self, *args, **kwargs):
        made = method(self, *args, **kwargs)
        for operation in ("PutObject", "GetObject"):
            made.meta.events.register(
                f"before-call.{made.meta.service_model.endpoint_prefix}.{operation}",
                lambda params, model, **_: calls.append((model.name, params)),
            )
        return made

    return client


def test_publish_prints_the_launch_url_and_the_deploy_command(s3, templates, capsys):
    assert run(templates) == 0
    out = capsys.readouterr().out
    destination = Destination(BUCKET, PREFIX, __version__, "us-east-1")
    assert launch_url(destination) in out
    assert deploy_command(destination, templates=templates) in out


def test_republishing_identical_content_is_a_no_op(s3, templates, capsys):
    assert run(templates) == 0
    before = {k: v["LastModified"] for k, v in _heads(s3).items()}
    capsys.readouterr()
    assert run(templates) == 0
    out = capsys.readouterr().out
    assert "already holds this exact version; nothing to upload" in out
    assert "uploading" not in out
    assert {k: v["LastModified"] for k, v in _heads(s3).items()} == before


def _heads(s3) -> dict[str, dict]:
    return {
        item["Key"]: s3.head_object(Bucket=BUCKET, Key=item["Key"])
        for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }


def test_a_half_finished_publish_is_completed_without_touching_what_is_there(s3, templates, capsys):
    key = f"{PREFIX}{__version__}/network.yaml"
    s3.put_object(
        Bucket=BUCKET, Key=key, Body=(templates / __version__ / "network.yaml").read_bytes()
    )
    assert run(templates) == 0
    uploads = [
        line.split()[1] for line in capsys.readouterr().out.splitlines() if "uploading" in line
    ]
    assert "network.yaml" not in uploads  # same content, recognised by hashing it
    assert uploads[-1] == "root.yaml"


def _written_meanwhile(monkeypatch, name: str, body: bytes) -> None:
    """Another publish writes ``name`` between this one's check of the bucket and its upload."""
    real = publish_module._published_sha256

    def checked_then_written(client, bucket, key, owned=None):
        found = real(client, bucket, key, owned)
        if key.endswith(f"/{name}"):
            client.put_object(Bucket=bucket, Key=key, Body=body)
        return found

    monkeypatch.setattr(publish_module, "_published_sha256", checked_then_written)


def test_an_identical_file_written_meanwhile_is_no_failure(s3, templates, capsys, monkeypatch):
    """S3 refuses the conditional upload of a key that exists: "Uploads the object only if the
    object key name does not already exist in the bucket specified. Otherwise, Amazon S3
    returns a 412 Precondition Failed error. If a conflicting operation occurs during the
    upload S3 returns a 409 ConditionalRequestConflict response" (the S3 API's If-None-Match,
    https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/s3/aws.sdk.kotlin.services.s3.model/-complete-multipart-upload-request/if-none-match.html;
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). When what
    is there is this very file (an identical publish at the same time, or this upload retried
    by botocore after S3 stored it), the publish said "written by someone else" and stopped
    before root.yaml."""
    local = (templates / __version__ / "service.yaml").read_bytes()
    _written_meanwhile(monkeypatch, "service.yaml", local)
    assert run(templates) == 0
    out = capsys.readouterr().out
    files = {p.name: p.read_bytes() for p in (templates / __version__).iterdir()}
    assert published(s3) == {f"{PREFIX}{__version__}/{n}": data for n, data in files.items()}
    assert "published 8 file(s)" in out  # the ninth was there, as uploaded


def test_publish_returns_what_it_uploaded_and_what_was_there_already(s3, templates, monkeypatch):
    """The Python API's account of a publish: ``uploaded`` in upload order, ``unchanged`` what
    the bucket held already (found before the upload, or written meanwhile as uploaded)."""
    files = read_version(templates, __version__)
    destination = Destination(BUCKET, PREFIX, __version__, "us-east-1")
    first = publish(s3, files, destination)
    assert first.uploaded[-2:] == [MANIFEST, "root.yaml"]
    assert sorted(first.uploaded) == sorted(files) and first.unchanged == []
    again = publish(s3, files, destination)
    assert again.uploaded == [] and sorted(again.unchanged) == sorted(files)

    _written_meanwhile(monkeypatch, "service.yaml", files["service.yaml"])
    meanwhile = publish(s3, files, Destination(BUCKET, "other/", __version__, "us-east-1"))
    assert meanwhile.unchanged == ["service.yaml"]
    assert sorted(meanwhile.uploaded) == sorted(set(files) - {"service.yaml"})


def test_templates_are_uploaded_with_their_content_type(s3, templates):
    assert run(templates) == 0
    types = {key.rsplit("/", 1)[1]: head["ContentType"] for key, head in _heads(s3).items()}
    assert types == {
        name: "application/json" if name.endswith(".json") else "application/x-yaml"
        for name in read_version(templates, __version__)
    }


def test_a_different_file_written_meanwhile_stops_the_publish(s3, templates, capsys, monkeypatch):
    _written_meanwhile(monkeypatch, "service.yaml", b"somebody else's template")
    assert run(templates) == 1
    assert "was written by someone else while publishing" in capsys.readouterr().err
    key = f"{PREFIX}{__version__}/"
    assert published(s3)[f"{key}service.yaml"] == b"somebody else's template"
    assert f"{key}root.yaml" not in published(s3)  # nothing launchable


@pytest.fixture
def stubbed_s3():
    """An S3 client whose answers are given one by one (botocore's Stubber), for the answers
    the emulator never gives: a 409 to a conditional upload, a 403 to one read."""
    client = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def _refused_upload(stub, code: str, status: int, message: str) -> None:
    """A bucket that holds nothing yet, then refuses the conditional upload of root.yaml."""
    stub.add_response("head_bucket", {}, {"Bucket": BUCKET})
    stub.add_client_error("get_object", "NoSuchKey", "The specified key does not exist.", 404)
    stub.add_client_error("put_object", code, message, status)


def _refusal(client) -> str:
    """What publishing root.yaml to the stubbed bucket is refused with."""
    with pytest.raises(PublishError) as refused:
        publish(
            client, {"root.yaml": b"ours"}, Destination(BUCKET, PREFIX, __version__, "us-east-1")
        )
    return str(refused.value)


def _body(data: bytes) -> dict:
    from botocore.response import StreamingBody

    return {"Body": StreamingBody(io.BytesIO(data), len(data))}


@pytest.mark.parametrize(
    ("code", "status"),
    [("409", 409), ("ConditionalRequestConflict", 409), ("412", 412), ("PreconditionFailed", 412)],
)
def test_a_conditional_refusal_of_other_content_names_the_file(stubbed_s3, code, status):
    """S3 answers a conditional upload with 412 when the key exists and with 409 when "a
    conflicting operation occurs during the upload" (PutObject's If-None-Match,
    https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/s3/aws.sdk.kotlin.services.s3.model/-put-object-request/if-none-match.html:
    "Otherwise, Amazon S3 returns a 412 Precondition Failed error. If a conflicting operation
    occurs during the upload S3 returns a 409 ConditionalRequestConflict response. On a 409
    failure you should retry the upload."). botocore names an error with no body by its HTTP
    status, so "409" is a code too: it said "S3 error on ...: 409", not what happened."""
    client, stub = stubbed_s3
    _refused_upload(stub, code, status, "refused")
    stub.add_response("get_object", _body(b"somebody else's template"))
    assert _refusal(client) == (
        f"s3://{BUCKET}/{PREFIX}{__version__}/root.yaml was written by someone else while "
        "publishing; check it and publish again"
    )


@pytest.mark.parametrize("code", ["409", "ConditionalRequestConflict"])
def test_a_conflict_that_left_nothing_says_to_publish_again(stubbed_s3, code):
    """A 409 is "a conflicting operation ... during the upload", after which "you should retry
    the upload" (If-None-Match, as above): when nothing is there afterwards, nobody wrote the
    file, and "written by someone else" said what had not happened (a review)."""
    client, stub = stubbed_s3
    _refused_upload(stub, code, 409, "conflict")
    stub.add_client_error("get_object", "NoSuchKey", "The specified key does not exist.", 404)
    assert _refusal(client) == (
        f"S3 refused the upload of s3://{BUCKET}/{PREFIX}{__version__}/root.yaml while another "
        "write of it was under way (409 ConditionalRequestConflict), and nothing is there: "
        "publish again"
    )


@pytest.mark.parametrize("code", ["412", "PreconditionFailed"])
def test_a_key_that_existed_then_went_is_no_conflict_to_retry(stubbed_s3, code):
    """A 412 says the key existed ("Uploads the object only if the object key name does not
    already exist", If-None-Match, as above): gone when read back, somebody else wrote (and
    removed) it; only a 409 is the conflict after which nothing was written."""
    client, stub = stubbed_s3
    _refused_upload(stub, code, 412, "precondition")
    stub.add_client_error("get_object", "NoSuchKey", "The specified key does not exist.", 404)
    assert _refusal(client) == (
        f"s3://{BUCKET}/{PREFIX}{__version__}/root.yaml was written by someone else while "
        "publishing; check it and publish again"
    )


def test_an_upload_refused_for_another_reason_is_not_read_back(stubbed_s3):
    """Only a conditional refusal means the key may hold this very file; any other error (here
    no s3:PutObject) is the publish's error, without a read the Stubber was not given."""
    client, stub = stubbed_s3
    _refused_upload(stub, "AccessDenied", 403, "Access Denied")
    assert _refusal(client) == (
        f"access denied to s3://{BUCKET}/{PREFIX}{__version__}/: publishing needs s3:ListBucket, "
        "s3:GetObject and s3:PutObject there, in a bucket of the expected account "
        "(--bucket-owner; by default the account publishing)"
    )


@pytest.mark.parametrize(
    ("code", "message", "says"),
    [
        ("BadDigest", "checksum", "its checksum did not match (BadDigest)"),
        (
            "XAmzContentSHA256Mismatch",
            "checksum",
            "its checksum did not match (XAmzContentSHA256Mismatch)",
        ),
        ("InternalError", "We encountered an internal error. Please try again.", None),
    ],
)
def test_an_upload_s3_refuses_says_what_s3_said(stubbed_s3, code, message, says):
    client, stub = stubbed_s3
    _refused_upload(stub, code, 400, message)
    where = f"s3://{BUCKET}/{PREFIX}{__version__}/"
    assert _refusal(client) == (
        f"S3 refused an upload to {where}root.yaml: {says}"
        if says
        else f"S3 error on {where}: {code}: {message}"
    )


def test_a_bucket_gone_after_its_check_is_said_to_be_gone(stubbed_s3):
    """HEAD answers a missing bucket with a bare 404; a GET in it names NoSuchBucket."""
    client, stub = stubbed_s3
    stub.add_response("head_bucket", {}, {"Bucket": BUCKET})
    stub.add_client_error("get_object", "NoSuchBucket", "The specified bucket does not exist", 404)
    assert _refusal(client) == f"bucket {BUCKET} does not exist (or is not visible here)"


def test_a_refused_upload_whose_read_back_cannot_connect_says_both(stubbed_s3, monkeypatch):
    """The read after a refusal may fail without an answer from S3 (a BotoCoreError such as a
    lost connection): still one line naming the refusal, not the connection error alone."""
    from botocore.exceptions import EndpointConnectionError

    client, stub = stubbed_s3
    _refused_upload(stub, "PreconditionFailed", 412, "precondition")
    reads = []
    stubbed_get = client.get_object

    def get_object(**kwargs):
        reads.append(kwargs["Key"])
        if len(reads) > 1:  # the read back, after the refused upload
            raise EndpointConnectionError(endpoint_url="https://s3.amazonaws.com")
        return stubbed_get(**kwargs)

    monkeypatch.setattr(client, "get_object", get_object)
    refusal = _refusal(client)
    assert refusal.startswith(f"S3 refused the conditional upload of s3://{BUCKET}/")
    assert "reading it back to compare failed (Could not connect to the endpoint URL" in refusal


def test_an_upload_that_reads_back_otherwise_stops_the_publish(stubbed_s3):
    """S3 checks the SHA-256 on receipt; the read back checks the rest of the trip (a proxy, a
    bucket that transforms what it stores): root.yaml is not reported as published."""
    client, stub = stubbed_s3
    stub.add_response("head_bucket", {}, {"Bucket": BUCKET})
    stub.add_client_error("get_object", "NoSuchKey", "The specified key does not exist.", 404)
    stub.add_response("put_object", {})
    stub.add_response("get_object", _body(b"not ours"))
    assert _refusal(client) == (
        f"s3://{BUCKET}/{PREFIX}{__version__}/root.yaml does not read back as uploaded; "
        "publish again"
    )


def test_a_refused_upload_that_cannot_be_read_back_says_both(stubbed_s3):
    """After a 412 (the key exists: If-None-Match, as above), the object is read to tell this
    very file from another. That read can be refused when the refusal was not: GetObject needs
    s3:GetObject, and "If you don't have the s3:ListBucket permission, Amazon S3 will return an
    HTTP status code 403 ("access denied") error" for a key that is gone
    (https://docs.aws.amazon.com/AWSJavaScriptSDK/latest/AWS/S3.html#getObject-property). The
    user was told "access denied to s3://...", not that S3 had refused the upload."""
    client, stub = stubbed_s3
    _refused_upload(
        stub,
        "PreconditionFailed",
        412,
        "At least one of the pre-conditions you specified did not hold",
    )
    stub.add_client_error("get_object", "AccessDenied", "Access Denied", 403)
    assert _refusal(client) == (
        f"S3 refused the conditional upload of s3://{BUCKET}/{PREFIX}{__version__}/root.yaml "
        "(PreconditionFailed: At least one of the pre-conditions you specified did not hold: "
        "someone else wrote it while publishing) and reading it back to compare failed "
        "(AccessDenied: Access Denied): check that object (comparing needs s3:GetObject on it) "
        "and publish again"
    )


def test_a_published_version_is_never_overwritten_unless_forced(s3, templates, capsys):
    key = f"{PREFIX}{__version__}/service.yaml"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"somebody else's template")
    assert run(templates) == 1
    err = capsys.readouterr().err
    assert "already holds a different service.yaml" in err and "--force" in err
    assert len(err.strip().splitlines()) == 1
    assert published(s3) == {key: b"somebody else's template"}  # nothing uploaded

    assert run(templates, "--force") == 0
    local = (templates / __version__ / "service.yaml").read_bytes()
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == local


def test_files_that_do_not_match_the_manifest_are_not_published(s3, templates, capsys):
    path = templates / __version__ / "service.yaml"
    path.write_text(path.read_text() + "# edited by hand\n")
    assert run(templates) == 1
    err = capsys.readouterr().err
    assert "does not match manifest.json: service.yaml does not match its sha256" in err
    assert published(s3) == {}


def test_a_file_missing_from_the_folder_or_the_manifest_is_reported(templates):
    folder = templates / __version__
    (folder / "catalog.yaml").unlink()
    (folder / "extra.yaml").write_text("x")
    with pytest.raises(
        PublishError, match=r"extra\.yaml is not in the manifest; catalog\.yaml is missing"
    ):
        read_version(templates, __version__)


def test_a_link_that_leads_nowhere_in_the_folder_is_reported(templates):
    """Publish read a folder's regular files only: a link that leads nowhere beside them was
    passed over, and one in the manifest's place said only that the file is missing."""
    folder = templates / __version__
    (folder / "extra.yaml").symlink_to(folder / "nowhere.yaml")
    (folder / "catalog.yaml").unlink()
    (folder / "catalog.yaml").symlink_to(folder / "gone.yaml")
    with pytest.raises(
        PublishError,
        match=r"extra\.yaml is not in the manifest; catalog\.yaml: a symbolic link to "
        r".*gone\.yaml, which does not exist: build it again",
    ):
        read_version(templates, __version__)


def test_a_manifest_python_cannot_read_is_one_line(templates):
    """An integer of 5,000 digits was a ValueError traceback."""
    manifest = templates / __version__ / MANIFEST
    manifest.write_text('{"files": {"root.yaml": {"bytes": ' + "1" * 5000 + "}}}")
    with pytest.raises(PublishError, match=r"manifest\.json is not a manifest .*: Exceeds the"):
        read_version(templates, __version__)


def test_a_file_whose_size_differs_from_the_manifest_is_reported(templates):
    """The manifest records each file's size as well as its sha256: a manifest whose size is
    another file's is not the one the build wrote with it."""
    manifest = templates / __version__ / MANIFEST
    document = json.loads(manifest.read_text())
    document["files"]["network.yaml"]["bytes"] += 1
    manifest.write_text(json.dumps(document))
    with pytest.raises(PublishError, match=r"network\.yaml does not match its sha256"):
        read_version(templates, __version__)


def test_a_version_without_a_root_template_is_not_published(templates):
    """Nothing launches a version without its root.yaml: refused, even when the manifest
    agrees that it has none."""
    folder = templates / __version__
    document = json.loads((folder / MANIFEST).read_text())
    del document["files"]["root.yaml"]
    (folder / MANIFEST).write_text(json.dumps(document))
    (folder / "root.yaml").unlink()
    with pytest.raises(PublishError, match=rf"^{re.escape(str(folder))} has no root\.yaml"):
        read_version(templates, __version__)


def test_templates_that_are_another_versions_folder_say_which_version_to_give(
    templates, offline, capsys
):
    older = templates / "0.3.0"
    shutil.copytree(REPO / "templates" / "0.3.0", older)
    assert run(older, "--region", "eu-west-1", "--dry-run") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: --templates {older} is a version folder itself: give "
        f"the folder that holds it (--templates {templates} --version 0.3.0)"
    ]


def test_an_older_version_that_does_not_match_is_not_told_to_build_again(templates):
    """This package's build writes its own version only: 0.1.0 comes from 0.1.0's build."""
    shutil.copytree(REPO / "templates" / "0.1.0", templates / "0.1.0")
    (templates / "0.1.0" / "root.yaml").write_text("Resources: {}\n")
    with pytest.raises(PublishError) as refused:
        read_version(templates, "0.1.0")
    assert str(refused.value).endswith(
        "root.yaml does not match its sha256 in the manifest: restore it as "
        "troposphere-fargate 0.1.0's build wrote it"
    )


def test_missing_bucket_is_a_one_line_error(s3, templates, capsys):
    assert cli.main(["publish", "--bucket", "no-such-bucket", "--templates", str(templates)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "troposphere-fargate: error: bucket no-such-bucket does not exist "
        "(or is not visible here)\n"
    )


def test_unknown_version_is_a_one_line_error(s3, templates, capsys):
    assert run(templates, "--version", "9.9.9") == 1
    err = capsys.readouterr().err
    assert f"no templates for version 9.9.9 in {templates}/ (found: {__version__})" in err


def test_no_credentials_is_a_one_line_error(aws_env, templates, capsys, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    assert run(templates) == 1
    err = capsys.readouterr().err
    assert err.startswith("troposphere-fargate: error: no AWS credentials found")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("bucket", "prefix", "message"),
    [
        ("my.bucket", PREFIX, "no dots"),
        (BUCKET, "no-slash", "must be empty or folder names each ending with /"),
        # A newcomer's trial: these end with / and were told they must.
        (BUCKET, "/abs/", r"no / first, no empty folder \(//\)"),
        (BUCKET, "a//b/", r"no / first, no empty folder \(//\)"),
    ],
)
def test_bucket_and_prefix_must_suit_the_templates(bucket, prefix, message, templates, monkeypatch):
    with pytest.raises(PublishError, match=message):
        Destination(bucket, prefix, __version__, "us-east-1")

    # ...and publish says so before it sends anything (it asked S3 for the bucket's region
    # first, and an unreachable endpoint hid the real mistake behind a connection error).
    def no_session(*args, **kwargs):
        raise AssertionError("publish called AWS before checking its arguments")

    monkeypatch.setattr(boto3, "Session", no_session)
    with pytest.raises(PublishError, match=message):
        publish_release(templates, __version__, bucket, prefix, region="eu-west-1")
    # without a region too: refused before S3 is asked which region the bucket is in
    with pytest.raises(PublishError, match=message):
        publish_release(templates, __version__, bucket, prefix)


def test_access_denied_is_a_one_line_error(templates):
    client = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stub:
        stub.add_client_error(
            "head_bucket", "403", "Forbidden", 403, expected_params={"Bucket": BUCKET}
        )
        with pytest.raises(PublishError, match=r"^access denied to s3://team-templates/"):
            publish(
                client,
                read_version(templates, __version__),
                Destination(BUCKET, PREFIX, __version__, "us-east-1"),
            )


def test_publish_urls_are_the_urls_the_root_template_builds():
    root = render_templates()["root"]
    destination = Destination(BUCKET, PREFIX, __version__, "eu-west-1")
    values = {
        "TemplateBucketName": BUCKET,
        "TemplateKeyPrefix": PREFIX,
        "AWS::Region": "eu-west-1",
        "AWS::URLSuffix": "amazonaws.com",
    }
    for stack, filename in ((NETWORK_STACK, "network.yaml"), (SERVICE_STACK, "service.yaml")):
        url = root["Resources"][stack]["Properties"]["TemplateURL"]
        assert compute(url, values, {"BucketPerRegion": False}) == destination.url(filename)
        regional = Destination(f"{BUCKET}-eu-west-1", PREFIX, __version__, "eu-west-1")
        assert compute(url, values, {"BucketPerRegion": True}) == regional.url(filename)


def test_launch_url_prefills_bucket_and_prefix():
    url = launch_url(Destination(BUCKET, PREFIX, __version__, "eu-west-1"))
    parts = urlsplit(url)
    assert parts.netloc == "console.aws.amazon.com"
    assert parse_qs(parts.query) == {"region": ["eu-west-1"]}
    route, query = parts.fragment.split("?", 1)
    assert route == "/stacks/quickcreate"
    assert parse_qs(query) == {
        "templateURL": [
            f"https://{BUCKET}.s3.eu-west-1.amazonaws.com/{PREFIX}{__version__}/root.yaml"
        ],
        "stackName": ["fargate-service"],
        "param_TemplateBucketName": [BUCKET],
        "param_TemplateKeyPrefix": [PREFIX],
    }


def test_a_plus_in_the_version_is_percent_encoded_in_the_urls_given_to_aws():
    """A version folder may be named 1.0.0+shop (a release name takes "+"), and "Plus ("+")"
    is among the key name characters that "might require additional code handling and will
    likely need to be URL encoded" (S3 User Guide, object key naming guidelines,
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). The console link
    and the Service Catalog artifact get the encoded URL."""
    destination = Destination(BUCKET, PREFIX, "1.0.0+shop", "eu-west-1")
    encoded = f"https://{BUCKET}.s3.eu-west-1.amazonaws.com/{PREFIX}1.0.0%2Bshop/root.yaml"
    assert destination.url("root.yaml") == encoded
    query = parse_qs(urlsplit(launch_url(destination)).fragment.split("?", 1)[1])
    assert query["templateURL"] == [encoded]


def test_a_plus_in_the_version_is_percent_encoded_in_the_templates_urls_too():
    """The root's nested stacks, the StackSet's template and the Service Catalog artifact
    are fetched from URLs the templates build themselves: S3 reads a "+" in a URL's path as a
    space ("Amazon S3 has a bug wherein it treats the + character in the path component of all
    URLs as a space", https://github.com/dnbert/prm/pull/46; the User Guide's "will likely need
    to be URL encoded", above), so 1.0.0+shop's nested stacks were not found. Each URL has
    1.0.0%2Bshop, and the length publish checks is of that URL."""
    from troposphere_fargate.release.build import generate

    files = generate(version="1.0.0+shop")
    for name in ("root.yaml", "stackset.yaml", "catalog.yaml"):
        text = files[name]
        assert "}1.0.0%2Bshop/" in text, name
        # (a description may say 1.0.0+shop/, and an s3:// URI name the key as it is)
        assert not [url for url in re.findall(r"https://\S+", text) if "+shop" in url], name
    nested = set(re.findall(r"}1\.0\.0%2Bshop/([a-z]+\.yaml)", files["root.yaml"]))
    assert nested == {"network.yaml", "service.yaml"}
    destination = Destination(BUCKET, PREFIX, "1.0.0+shop", "eu-west-1")
    assert destination.url("network.yaml", encoded=False) == (
        f"https://{BUCKET}.s3.eu-west-1.amazonaws.com/{PREFIX}1.0.0%2Bshop/network.yaml"
    )
    assert destination.key("network.yaml") == f"{PREFIX}1.0.0+shop/network.yaml"  # S3's key


def test_launch_url_uses_the_partitions_console():
    china = launch_url(Destination(BUCKET, PREFIX, __version__, "cn-north-1"))
    assert china.startswith("https://console.amazonaws.cn/")
    assert "amazonaws.com.cn" in china
    assert launch_url(Destination(BUCKET, PREFIX, __version__, "us-gov-west-1")).startswith(
        "https://console.amazonaws-us-gov.com/"
    )


def test_deploy_command_passes_bucket_and_prefix():
    command = deploy_command(Destination(BUCKET, "", __version__, "eu-west-1"))
    assert command.startswith("aws cloudformation deploy --region eu-west-1 ")
    assert f"--template-file templates/{__version__}/root.yaml" in command
    assert "--capabilities CAPABILITY_IAM" in command
    assert "<" not in command and ">" not in command  # pastes into a shell as it is
    assert f'TemplateBucketName={BUCKET} TemplateKeyPrefix=""' in command


def test_deploy_command_is_the_words_it_names_when_pasted_into_a_shell(tmp_path):
    """A folder with a space in its name split --template-file in two, and a prefix with a
    quote or a parenthesis (KEY_PREFIX_PATTERN takes both) was a shell syntax error: each
    value is one word (shlex.split reads the command as a POSIX shell does)."""
    from troposphere_fargate.layers.root import KEY_PREFIX_PATTERN

    templates = tmp_path / "my builds"
    shutil.copytree(REPO / "templates" / __version__, templates / __version__)
    prefix = "it's(x)/"
    assert re.fullmatch(KEY_PREFIX_PATTERN, prefix)
    words = shlex.split(
        deploy_command(Destination(BUCKET, prefix, __version__, "eu-west-1"), templates=templates)
    )
    assert words[words.index("--template-file") + 1] == f"{templates}/{__version__}/root.yaml"
    assert words[words.index("--s3-prefix") + 1] == f"{prefix}deploy"
    overrides = words[words.index("--parameter-overrides") + 1 :]
    assert overrides[:2] == [f"TemplateBucketName={BUCKET}", f"TemplateKeyPrefix={prefix}"]
    empty = deploy_command(Destination(BUCKET, "", __version__, "eu-west-1"))
    assert "TemplateKeyPrefix=" in shlex.split(empty)


# --- Service Catalog (Stubber: moto has no Service Catalog) ------------------------------------


@pytest.fixture
def catalog():
    client = boto3.client(
        "servicecatalog", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


DESTINATION = Destination(BUCKET, PREFIX, __version__, "eu-west-1")


@pytest.fixture(scope="module")
def built_catalog() -> dict:
    return catalog_layer.catalog_template(__version__).to_dict()


def _creates_version(stub, destination: Destination, description: str) -> None:
    """prod-abc is asked to add this package's version, of ``description``, from
    ``destination``."""
    stub.add_response(
        "create_provisioning_artifact",
        {"ProvisioningArtifactDetail": {"Id": "pa-new", "Name": __version__}},
        {
            "ProductId": "prod-abc",
            "Parameters": {
                "Name": __version__,
                "Description": description,
                "Info": {"LoadTemplateFromURL": destination.url("root.yaml")},
                "Type": "CLOUD_FORMATION_TEMPLATE",
            },
            "IdempotencyToken": idempotency_token("prod-abc", destination),
        },
    )


def test_a_new_version_becomes_a_provisioning_artifact(catalog):
    client, stub = catalog
    stub.add_response(
        "list_provisioning_artifacts",
        {"ProvisioningArtifactDetails": [{"Id": "pa-old", "Name": "0.0.9"}]},
        {"ProductId": "prod-abc"},
    )
    _creates_version(
        stub,
        DESTINATION,
        f"troposphere_fargate {__version__} from s3://{BUCKET}/{PREFIX}{__version__}/root.yaml",
    )
    assert add_to_catalog(client, "prod-abc", DESTINATION) == "added"


def _has_version_from(stub, destination: Destination) -> None:
    """A product prod-abc whose one version is this package's, published to ``destination``."""
    stub.add_response(
        "list_provisioning_artifacts",
        {
            "ProvisioningArtifactDetails": [
                {
                    "Id": "pa-1",
                    "Name": __version__,
                    "Description": artifact_description(destination),
                }
            ]
        },
        {"ProductId": "prod-abc"},
    )


def test_a_version_the_product_has_is_skipped(catalog):
    client, stub = catalog
    _has_version_from(stub, DESTINATION)
    assert add_to_catalog(client, "prod-abc", DESTINATION) == "exists"


def test_a_version_of_that_name_from_another_prefix_is_refused_not_skipped(catalog):
    """A spec build carries the package's version and each release goes under a prefix of its
    own (README): a product that has shop/1.4.0/'s 0.4.0 was told its 1.5.0 was "already there,
    left as it is", and never offered it. A second version of the same name is no answer:
    "InvalidParametersException: Multiple Provisioning Artifact with name ... found" when a
    launch names it (hashicorp/terraform-provider-aws#24362). ListProvisioningArtifacts gives
    each version's Name and Description, not its template URL
    (https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ListProvisioningArtifacts.html:
    "ProvisioningArtifactDetails ... Description ... Id ... Name"), so the description says
    where its root.yaml is."""
    client, stub = catalog
    _has_version_from(stub, Destination(BUCKET, "shop/1.4.0/", __version__, "eu-west-1"))
    later = Destination(BUCKET, "shop/1.5.0/", __version__, "eu-west-1")
    with pytest.raises(PublishError) as refused:
        add_to_catalog(client, "prod-abc", later)
    message = str(refused.value)
    assert message.startswith(
        f"Service Catalog product prod-abc already has a version {__version__} of other "
        f"templates ('troposphere_fargate {__version__} from s3://{BUCKET}/shop/1.4.0/"
    )
    assert f"not troposphere_fargate {__version__} from s3://{BUCKET}/shop/1.5.0/" in message
    assert "catalog.yaml stack of its own" in message


def test_catalog_yaml_describes_its_version_as_publish_does(built_catalog):
    """The version catalog.yaml creates is the one publish finds there (same name and
    description), so adding it again is a no-op, not a refusal."""
    product = props(built_catalog["Resources"][catalog_layer.PRODUCT])
    (artifact,) = product["ProvisioningArtifactParameters"]
    values = {TEMPLATE_BUCKET_NAME: BUCKET, TEMPLATE_KEY_PREFIX: PREFIX}
    assert artifact["Name"] == DESTINATION.version
    assert compute(artifact["Description"], values) == artifact_description(DESTINATION)


def _publish_to_product(monkeypatch, catalog, templates, *extra: str) -> tuple[int, list[str]]:
    """``publish --catalog-product-id prod-abc`` against the emulator's S3 and the stubbed
    Service Catalog: its exit code, and the calls made, in order."""
    client, _ = catalog
    calls: list[str] = []
    # provide-client-params comes before the Stubber answers (at before-call) and stops the call
    client.meta.events.register(
        "provide-client-params.servicecatalog.*", lambda model, **_: calls.append(model.name)
    )
    real_client = boto3.session.Session.client

    def made(self, name, *args, **kwargs):
        if name == "servicecatalog":
            return client
        made = real_client(self, name, *args, **kwargs)
        if name == "s3":
            made.meta.events.register(
                "before-call.s3.PutObject", lambda model, **_: calls.append(model.name)
            )
        return made

    monkeypatch.setattr(boto3.session.Session, "client", made)
    argv = ["--region", "us-east-1", "--catalog-product-id", "prod-abc", *extra]
    return run(templates, *argv), calls


def test_a_version_the_product_refuses_stops_the_publish_before_any_upload(
    s3, templates, catalog, capsys, monkeypatch
):
    """The product's versions are asked first, with ListProvisioningArtifacts, which changes
    nothing ("Lists all provisioning artifacts (also known as versions) for the specified
    product", https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ListProvisioningArtifacts.html):
    the refusal came after every upload, leaving a launchable root.yaml under the prefix the
    publish reported as failed."""
    _, stub = catalog
    _has_version_from(stub, Destination(BUCKET, "shop/1.4.0/", __version__, "us-east-1"))
    code, calls = _publish_to_product(monkeypatch, catalog, templates)
    assert code == 1
    assert calls == ["ListProvisioningArtifacts"]  # no PutObject
    assert published(s3) == {}
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        "troposphere-fargate: error: Service Catalog product prod-abc already has a version "
        f"{__version__} of other templates ('troposphere_fargate {__version__} from "
        f"s3://{BUCKET}/shop/1.4.0/"
    )


def test_a_new_version_is_checked_before_the_uploads_and_added_after_them(
    s3, templates, catalog, capsys, monkeypatch
):
    _, stub = catalog
    destination = Destination(BUCKET, PREFIX, __version__, "us-east-1")
    for _ in range(2):  # before the uploads, and again as it is added
        stub.add_response("list_provisioning_artifacts", {}, {"ProductId": "prod-abc"})
    _creates_version(stub, destination, artifact_description(destination))
    code, calls = _publish_to_product(monkeypatch, catalog, templates)
    assert code == 0
    files = len(list((templates / __version__).iterdir()))
    assert calls == [
        "ListProvisioningArtifacts",
        *["PutObject"] * files,
        "ListProvisioningArtifacts",
        "CreateProvisioningArtifact",
    ]
    assert f"Service Catalog product prod-abc: version {__version__} added" in (
        capsys.readouterr().out
    )


def test_a_publish_shares_the_products_portfolio_with_each_target(
    s3, templates, catalog, capsys, monkeypatch
):
    _, stub = catalog
    destination = Destination(BUCKET, PREFIX, __version__, "us-east-1")
    for _ in range(2):
        stub.add_response("list_provisioning_artifacts", {}, {"ProductId": "prod-abc"})
    _creates_version(stub, destination, artifact_description(destination))
    stub.add_response(
        "list_portfolios_for_product", {"PortfolioDetails": [{"Id": "port-1"}]},
        {"ProductId": "prod-abc"},
    )  # fmt: skip
    for target, kind in ((ORG, "ORGANIZATION"), ("123456789012", "ACCOUNT")):
        stub.add_response(
            "describe_portfolio_shares", {"PortfolioShareDetails": []},
            {"PortfolioId": "port-1", "Type": kind},
        )  # fmt: skip
        node = (
            {"AccountId": target}
            if kind == "ACCOUNT"
            else {"OrganizationNode": {"Type": kind, "Value": target}}
        )
        stub.add_response("create_portfolio_share", {}, {"PortfolioId": "port-1", **node})
    sharing = ["--share-with", ORG, "--share-with", "123456789012"]
    code, _ = _publish_to_product(monkeypatch, catalog, templates, *sharing)
    assert code == 0
    out = capsys.readouterr().out
    assert f"Service Catalog portfolio port-1: shared with {ORG} (" in out
    assert "Service Catalog portfolio port-1: shared with 123456789012 (" in out


@pytest.mark.parametrize("call", ["add_to_catalog", "check_catalog_version"])
def test_an_unknown_product_is_a_one_line_error(catalog, call):
    """Both when the version is added and in the check before the uploads."""
    client, stub = catalog
    stub.add_client_error(
        "list_provisioning_artifacts", "ResourceNotFoundException", "no such product"
    )
    with pytest.raises(PublishError, match=r"^Service Catalog has no product prod-nope$"):
        getattr(publish_module, call)(client, "prod-nope", DESTINATION)


def test_no_access_to_the_product_names_the_permissions_a_publish_needs(catalog):
    client, stub = catalog
    stub.add_client_error("list_provisioning_artifacts", "AccessDeniedException", "denied")
    with pytest.raises(PublishError) as refused:
        add_to_catalog(client, "prod-abc", DESTINATION)
    assert str(refused.value) == (
        "access denied to Service Catalog product prod-abc: needs "
        "servicecatalog:ListProvisioningArtifacts and CreateProvisioningArtifact"
    )


def test_a_service_catalog_error_says_what_aws_said(catalog):
    """Against the emulator the error said "InvalidParametersException" and no more: AWS's
    message names the parameter."""
    client, stub = catalog
    stub.add_response("list_provisioning_artifacts", {}, {"ProductId": "prod-abc"})
    stub.add_client_error(
        "create_provisioning_artifact",
        "InvalidParametersException",
        "Unable to fetch the template from the URL",
    )
    with pytest.raises(PublishError) as refused:
        add_to_catalog(client, "prod-abc", DESTINATION)
    assert str(refused.value) == (
        "Service Catalog error for product prod-abc: InvalidParametersException: Unable to "
        "fetch the template from the URL"
    )


@pytest.mark.parametrize(
    ("code", "message", "says"),
    [
        ("ThrottlingException", "ThrottlingException", "ThrottlingException"),  # said once
        ("", "Rate exceeded", "Rate exceeded"),  # a message without a code
    ],
)
def test_a_service_catalog_error_says_each_thing_aws_said_once(catalog, code, message, says):
    client, stub = catalog
    stub.add_client_error("list_provisioning_artifacts", code, message)
    with pytest.raises(PublishError) as refused:
        add_to_catalog(client, "prod-abc", DESTINATION)
    assert str(refused.value) == f"Service Catalog error for product prod-abc: {says}"


def test_manifest_of_another_version_is_refused(templates):
    manifest = templates / __version__ / MANIFEST
    document = json.loads(manifest.read_text())
    document["version"] = "0.0.1"
    manifest.write_text(json.dumps(document))
    with pytest.raises(PublishError, match=r"is for version '0\.0\.1'"):
        read_version(templates, __version__)


@pytest.mark.parametrize(
    "content",
    [
        {"version": __version__, "files": 3},
        {"version": __version__, "files": {"network.yaml": 3}},
        {"version": __version__, "files": {"network.yaml": {"bytes": "1", "sha256": "ab"}}},
        {"version": __version__, "files": {"network.yaml": {"bytes": 1, "sha256": 1}}},
        {"version": __version__, "files": {"network.yaml": {"bytes": True, "sha256": "ab"}}},
        [],
        "files",
    ],
)
def test_a_manifest_of_another_shape_is_one_line_not_a_traceback(templates, capsys, content):
    """A newcomer's trial: ``files`` as a number or an entry as a number stopped a dry run with
    a TypeError or an AttributeError; a list said "list indices must be integers"."""
    manifest = templates / __version__ / MANIFEST
    manifest.write_text(json.dumps(content))
    assert run(templates, "--dry-run", "--region", "eu-west-1") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: {manifest} is not a manifest `troposphere-fargate build` "
        "writes: it needs files, each file's name with its bytes (a number) and sha256 (a string)"
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"{bad", ":1:2: not valid JSON: Expecting property name enclosed in double quotes"),
        (b"\xff\xfe", ": not a text file (it is not UTF-8)"),
    ],
)
def test_a_manifest_that_does_not_read_says_why_in_words(templates, capsys, content, says):
    manifest = templates / __version__ / MANIFEST
    manifest.write_bytes(content)
    assert run(templates, "--dry-run", "--region", "eu-west-1") == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"troposphere-fargate: error: {manifest}{says}")


def test_idempotency_token_is_one_the_api_accepts_and_differs_per_product():
    client = boto3.client(
        "servicecatalog", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    shape = client.meta.service_model.shape_for("IdempotencyToken")
    token = idempotency_token("prod-abc", DESTINATION)
    assert re.fullmatch(shape.metadata["pattern"], token)
    assert shape.metadata["min"] <= len(token) <= shape.metadata["max"]
    assert token != idempotency_token("prod-xyz", DESTINATION)
    # ...and per template location: the same version from another prefix is another artifact
    elsewhere = Destination(BUCKET, "shop/", __version__, DESTINATION.region)
    assert token != idempotency_token("prod-abc", elsewhere)


def test_an_object_whose_metadata_lies_is_still_recognised_as_different(s3, templates, capsys):
    key = f"{PREFIX}{__version__}/network.yaml"
    real = (templates / __version__ / "network.yaml").read_bytes()
    s3.put_object(
        Bucket=BUCKET,
        Key=key,
        Body=b"tampered",
        Metadata={"sha256": hashlib.sha256(real).hexdigest()},
    )
    assert run(templates) == 1
    assert "already holds a different network.yaml" in capsys.readouterr().err


# --- Sharing the portfolio across the organization (Stubber: checked against the API model) ----

ORG = "o-abcdef1234"
OU = "ou-ab12-cdef3456"


def test_the_portfolio_is_the_one_that_holds_the_product(catalog):
    from troposphere_fargate.release.publish import catalog_portfolio

    client, stub = catalog
    stub.add_response(
        "list_portfolios_for_product",
        {"PortfolioDetails": [{"Id": "port-1", "DisplayName": "Fargate"}]},
        {"ProductId": "prod-abc"},
    )
    assert catalog_portfolio(client, "prod-abc") == "port-1"
    stub.add_response(
        "list_portfolios_for_product",
        {"PortfolioDetails": [{"Id": "port-1"}, {"Id": "port-2"}]},
        {"ProductId": "prod-abc"},
    )
    with pytest.raises(PublishError, match=r"is in 2 portfolios \(port-1, port-2\)"):
        catalog_portfolio(client, "prod-abc")


def test_a_product_in_no_portfolio_or_none_at_all_is_one_line(catalog):
    from troposphere_fargate.release.publish import catalog_portfolio

    client, stub = catalog
    stub.add_response("list_portfolios_for_product", {}, {"ProductId": "prod-abc"})
    with pytest.raises(
        PublishError, match=r"^Service Catalog product prod-abc is in 0 portfolios \(none\)"
    ):
        catalog_portfolio(client, "prod-abc")
    stub.add_client_error("list_portfolios_for_product", "ResourceNotFoundException", "gone")
    with pytest.raises(PublishError, match=r"^Service Catalog has no product prod-abc$"):
        catalog_portfolio(client, "prod-abc")


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("ResourceNotFoundException", "Service Catalog has no portfolio port-1"),
        ("AccessDeniedException", "access denied to Service Catalog portfolio port-1"),
    ],
)
def test_a_portfolio_that_cannot_be_shared_is_one_line(catalog, code, says):
    from troposphere_fargate.release.publish import share_portfolio

    client, stub = catalog
    stub.add_client_error("describe_portfolio_shares", code, "refused")
    with pytest.raises(PublishError) as refused:
        share_portfolio(client, "port-1", ORG)
    assert str(refused.value) == says


@pytest.mark.parametrize(
    ("target", "node"),
    [
        (ORG, {"Type": "ORGANIZATION", "Value": ORG}),
        (OU, {"Type": "ORGANIZATIONAL_UNIT", "Value": OU}),
    ],
)
def test_a_new_organization_share_is_created(catalog, target, node):
    from troposphere_fargate.release.publish import share_portfolio

    client, stub = catalog
    stub.add_response(
        "describe_portfolio_shares",
        {"PortfolioShareDetails": [{"PrincipalId": "o-other12345", "Type": "ORGANIZATION"}]},
        {"PortfolioId": "port-1", "Type": node["Type"]},
    )
    stub.add_response(
        "create_portfolio_share",
        {"PortfolioShareToken": "share-token"},
        {"PortfolioId": "port-1", "OrganizationNode": node},
    )
    assert share_portfolio(client, "port-1", target) == "shared"


def test_an_existing_share_is_left_as_it_is_even_on_a_later_page(catalog):
    from troposphere_fargate.release.publish import share_portfolio

    client, stub = catalog
    stub.add_response(
        "describe_portfolio_shares",
        {"PortfolioShareDetails": [], "NextPageToken": "page-2"},
        {"PortfolioId": "port-1", "Type": "ORGANIZATION"},
    )
    stub.add_response(
        "describe_portfolio_shares",
        {"PortfolioShareDetails": [{"PrincipalId": ORG, "Type": "ORGANIZATION", "Accepted": True}]},
        {"PortfolioId": "port-1", "Type": "ORGANIZATION", "PageToken": "page-2"},
    )
    assert share_portfolio(client, "port-1", ORG) == "exists"  # no create_portfolio_share


def test_an_account_share_names_the_account(catalog):
    from troposphere_fargate.release.publish import share_portfolio

    client, stub = catalog
    stub.add_response(
        "describe_portfolio_shares",
        {"PortfolioShareDetails": []},
        {"PortfolioId": "port-1", "Type": "ACCOUNT"},
    )
    stub.add_response(
        "create_portfolio_share", {}, {"PortfolioId": "port-1", "AccountId": "123456789012"}
    )
    assert share_portfolio(client, "port-1", "123456789012") == "shared"


def test_organization_sharing_off_says_how_to_turn_it_on(catalog):
    from troposphere_fargate.release.publish import share_portfolio

    client, stub = catalog
    stub.add_response(
        "describe_portfolio_shares",
        {"PortfolioShareDetails": []},
        {"PortfolioId": "port-1", "Type": "ORGANIZATION"},
    )
    stub.add_client_error("create_portfolio_share", "InvalidStateException", "not enabled")
    with pytest.raises(PublishError, match="enable-aws-organizations-access"):
        share_portfolio(client, "port-1", ORG)


# AWS Organizations' ID patterns: an account is "exactly 12 digits"; an OU "begins with "ou-"
# followed by from 4 to 32 lowercase letters or digits ... followed by a second "-" dash and from
# 8 to 32 additional lowercase letters or digits"
# (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Child.html); an
# organization ID "requires "o-" followed by from 10 to 32 lowercase letters or digits" (the
# Organizations API model's Organization.Id, as its SDKs document it).
LONGEST_IDS = [
    ("o-" + "a" * 32, "ORGANIZATION"),
    ("ou-" + "a" * 32 + "-" + "b" * 32, "ORGANIZATIONAL_UNIT"),
]
SHORTEST_IDS = [("o-" + "a" * 10, "ORGANIZATION"), ("ou-abcd-" + "b" * 8, "ORGANIZATIONAL_UNIT")]


@pytest.mark.parametrize(("target", "kind"), LONGEST_IDS + SHORTEST_IDS)
def test_the_shortest_and_longest_ids_organizations_gives_are_share_targets(target, kind):
    from troposphere_fargate.release.publish import share_target

    assert share_target(target) == (kind, target)


@pytest.mark.parametrize(
    "target",
    [
        "o-short",
        "ou-1",
        "12345678901",
        "org-abcdef1234",
        "",
        "1234567890123",  # 13 digits: an account id and one more
        *(target + "a" for target, _ in LONGEST_IDS),
    ],
)
def test_a_share_target_that_is_no_id_is_refused_before_any_call(target):
    from troposphere_fargate.release.publish import share_target

    with pytest.raises(PublishError, match="is not an organization id"):
        share_target(target)


# --- One version to several regions, one bucket each -------------------------------------------

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")


def regional_buckets(s3, regions) -> None:
    for region in regions:
        client = boto3.client("s3", region_name=region)
        config = (
            {}
            if region == "us-east-1"
            else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        client.create_bucket(Bucket=f"{BUCKET}-{region}", **config)


def test_a_version_is_published_to_a_bucket_in_each_region(s3, templates, capsys):
    regional_buckets(s3, REGIONS)
    # a region named twice is published to once
    regions = ",".join((*REGIONS, REGIONS[0]))
    argv = ["publish", "--bucket", BUCKET + "-{region}", "--regions", regions]
    assert cli.main([*argv, "--templates", str(templates)]) == 0
    out = capsys.readouterr().out
    expected = {name for name in read_version(templates, __version__)}
    for region in REGIONS:
        client = boto3.client("s3", region_name=region)
        listing = client.list_objects_v2(Bucket=f"{BUCKET}-{region}")["Contents"]
        assert {item["Key"].rsplit("/", 1)[1] for item in listing} == expected
        assert f"  {region}: ok" in out
        # each region's launch link and deploy command name that region's bucket
        assert f"Launch Stack ({region}):" in out
        assert f"param_TemplateBucketName={BUCKET}-{region}" in out
    assert "3 of 3 regions published" in out


def test_without_a_region_the_version_is_published_for_the_buckets_region(
    s3, templates, capsys, monkeypatch
):
    """The profile's region is us-east-1 (the emulator's environment), the bucket's eu-west-1:
    each upload is sent to eu-west-1 (a request's region is what policies such as
    aws:RequestedRegion see)."""
    regional_buckets(s3, ["eu-west-1"])
    regions: list[str] = []
    real_client = boto3.session.Session.client

    def made(self, name, *args, **kwargs):
        client = real_client(self, name, *args, **kwargs)
        region = client.meta.region_name
        client.meta.events.register("before-call.s3.PutObject", lambda **_: regions.append(region))
        return client

    monkeypatch.setattr(boto3.session.Session, "client", made)
    argv = ["publish", "--bucket", f"{BUCKET}-eu-west-1", "--templates", str(templates)]
    assert cli.main(argv) == 0
    assert regions and set(regions) == {"eu-west-1"}
    out = capsys.readouterr().out
    assert "Launch Stack (eu-west-1):" in out
    assert f"https://{BUCKET}-eu-west-1.s3.eu-west-1.amazonaws.com/" in unquote(out)
    client = boto3.client("s3", region_name="eu-west-1")
    listing = client.list_objects_v2(Bucket=f"{BUCKET}-eu-west-1")["Contents"]
    assert f"{PREFIX}{__version__}/root.yaml" in {item["Key"] for item in listing}


@pytest.mark.parametrize(
    ("answer", "region"),
    [
        ({"BucketRegion": "eu-west-1"}, "eu-west-1"),
        ({"ResponseMetadata": {"HTTPHeaders": {"x-amz-bucket-region": "eu-west-2"}}}, "eu-west-2"),
        ({}, None),
    ],
)
def test_the_buckets_region_is_what_s3_answers(stubbed_s3, answer, region):
    from troposphere_fargate.release.publish import bucket_region

    client, stub = stubbed_s3
    stub.add_response("head_bucket", answer, {"Bucket": BUCKET})
    assert bucket_region(client, BUCKET) == region


@pytest.mark.parametrize(
    ("region", "configured", "asked"),
    [("cn-north-1", "us-east-1", "cn-north-1"), (None, "us-gov-west-1", "us-gov-west-1")],
)
def test_the_bucket_is_first_asked_for_in_the_partition_of_the_region(
    templates, monkeypatch, region, configured, asked
):
    """ "You can make a HeadBucket call on any bucket name to any Region in the partition"
    (https://docs.aws.amazon.com/sdkfornet/v4/apidocs/items/S3/MIS3HeadBucketHeadBucketRequest.html):
    in the partition, so the first S3 client is the given region's, or the profile's."""
    from botocore.exceptions import NoCredentialsError

    clients = []

    class Session:
        region_name = configured

        def __init__(self, **kwargs):
            pass

        def client(self, service, region_name=None):
            clients.append((service, region_name))
            raise NoCredentialsError()

    monkeypatch.setattr(boto3, "Session", Session)
    with pytest.raises(PublishError, match=r"^no AWS credentials found"):
        publish_release(templates, __version__, BUCKET, PREFIX, region=region)
    assert clients == [("s3", asked)]


def test_a_bucket_in_another_region_than_the_one_given_is_refused(s3, templates, capsys):
    regional_buckets(s3, ["eu-west-1"])
    argv = ["--bucket", f"{BUCKET}-eu-west-1", "--region", "us-east-1"]
    assert cli.main(["publish", *argv, "--templates", str(templates)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: bucket {BUCKET}-eu-west-1 is in eu-west-1, not us-east-1: "
        "stacks fetch nested templates from the bucket in their own region; publish to a "
        "bucket there"
    ]
    client = boto3.client("s3", region_name="eu-west-1")
    assert "Contents" not in client.list_objects_v2(Bucket=f"{BUCKET}-eu-west-1")


def test_a_bucket_whose_region_s3_does_not_say_is_published_to_in_the_region_given(
    templates, monkeypatch
):
    """An S3 that names no region (no BucketRegion, no x-amz-bucket-region) is taken to be in
    the region given, not refused as "in None"."""
    from types import SimpleNamespace

    from botocore.exceptions import ClientError

    class Bucket:
        meta = SimpleNamespace(region_name="eu-west-1")

        def __init__(self):
            self.objects: dict[str, bytes] = {}

        def head_bucket(self, **kwargs):
            return {}

        def get_object(self, Key, **kwargs):
            if Key not in self.objects:
                raise ClientError({"Error": {"Code": "NoSuchKey"}}, "GetObject")
            return {"Body": io.BytesIO(self.objects[Key])}

        def put_object(self, Key, Body, **kwargs):
            self.objects[Key] = Body

    bucket = Bucket()
    session = SimpleNamespace(region_name=None, client=lambda service, region_name: bucket)
    monkeypatch.setattr(boto3, "Session", lambda **kwargs: session)
    owner = "111122223333"
    release = publish_release(
        templates, __version__, BUCKET, PREFIX, region="eu-west-1", bucket_owner=owner
    )
    assert release.destination.region == "eu-west-1"
    assert f"{PREFIX}{__version__}/root.yaml" in bucket.objects


def test_without_a_region_the_buckets_region_must_be_one_the_root_is_made_for(
    tmp_path, monkeypatch
):
    """Without --region the region is the bucket's, known only once S3 is asked: it is checked
    then, before any upload, as a given one is before any call."""
    from types import SimpleNamespace

    from troposphere_fargate.release.build import generate, write_version
    from troposphere_fargate.release.spec import parse_spec

    spec = (
        "services:\n  web:\n    expose: public\n    routing: {path: /*, priority: 100}\n"
        "    secrets:\n"
        "      DB: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf\n"
    )
    write_version(tmp_path, generate(parse_spec(spec, "shop.yaml")))
    calls: list[str] = []

    class Bucket:
        meta = SimpleNamespace(region_name="cn-north-1")

        def head_bucket(self, **kwargs):
            return {"BucketRegion": "cn-north-1"}

        def __getattr__(self, name):
            calls.append(name)
            raise AssertionError(f"{name} called")

    session = SimpleNamespace(region_name=None, client=lambda service, region_name: Bucket())
    monkeypatch.setattr(boto3, "Session", lambda **kwargs: session)
    with pytest.raises(PublishError) as refused:
        publish_release(tmp_path, __version__, "my-bucket", "shop/", bucket_owner="111122223333")
    assert str(refused.value).endswith(
        "and cn-north-1 is not one of them: publish to a bucket in one of them"
    )
    assert calls == []


def test_a_request_that_gets_no_answer_is_one_line(templates, monkeypatch):
    from types import SimpleNamespace

    from botocore.exceptions import EndpointConnectionError

    def client(service, region_name):
        raise EndpointConnectionError(endpoint_url=f"https://s3.{region_name}.amazonaws.com")

    session = SimpleNamespace(region_name=None, client=client)
    monkeypatch.setattr(boto3, "Session", lambda **kwargs: session)
    with pytest.raises(PublishError) as refused:
        publish_release(templates, __version__, BUCKET, PREFIX, region="eu-west-1")
    assert str(refused.value) == (
        "AWS request failed: Could not connect to the endpoint URL: "
        '"https://s3.eu-west-1.amazonaws.com"'
    )


def test_the_buckets_region_is_read_from_a_refusal_too(stubbed_s3):
    """HeadBucket: "regardless of the permissions on the bucket, you will receive a response
    header with the correct bucket location" (x-amz-bucket-region;
    https://docs.aws.amazon.com/sdkfornet/v4/apidocs/items/S3/MIS3HeadBucketHeadBucketRequest.html):
    a refused HEAD still tells the region, so "the bucket is in X, not Y" can be said."""
    from botocore.exceptions import ClientError

    from troposphere_fargate.release.publish import bucket_region

    client, stub = stubbed_s3
    headers = {"HTTPHeaders": {"x-amz-bucket-region": "ap-southeast-2"}}
    stub.add_client_error("head_bucket", "403", "Forbidden", 403, response_meta=headers)
    assert bucket_region(client, BUCKET) == "ap-southeast-2"
    stub.add_client_error("head_bucket", "403", "Forbidden", 403)
    with pytest.raises(ClientError):
        bucket_region(client, BUCKET)


def test_a_failing_region_does_not_stop_the_others_and_fails_the_command(s3, templates, capsys):
    regional_buckets(s3, REGIONS[:2])  # no bucket in ap-southeast-2
    argv = ["publish", "--bucket", BUCKET + "-{region}", "--regions", ",".join(REGIONS)]
    assert cli.main([*argv, "--templates", str(templates)]) == 1
    out, err = capsys.readouterr()
    assert "2 of 3 regions published" in out
    assert "  us-east-1: ok" in out and "  eu-west-1: ok" in out
    assert "  ap-southeast-2: FAILED: " in out
    assert (
        "troposphere-fargate: error: ap-southeast-2: " in err and f"{BUCKET}-ap-southeast-2" in err
    )
    for region in REGIONS[:2]:
        client = boto3.client("s3", region_name=region)
        keys = [i["Key"] for i in client.list_objects_v2(Bucket=f"{BUCKET}-{region}")["Contents"]]
        assert f"{PREFIX}{__version__}/root.yaml" in keys  # complete: root.yaml goes last


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--regions", "us-east-1,eu-west-1"], "name it with {region} in it"),
        (["--bucket", "b-{region}"], "give the regions with --regions"),
        (
            [
                "--bucket",
                "b-{region}",
                "--regions",
                "us-east-1,eu-west-1",
                "--catalog-product-id",
                "prod-1",
            ],
            "publish with --catalog-product-id or --share-with to one region at a time",
        ),
        (["--bucket", "b-{region}", "--regions", " , "], "--regions needs at least one region"),
        (
            ["--bucket", "b-{region}", "--regions", "eu-west-1,eu-wst,EU-WEST-2"],
            "not a region name: eu-wst, EU-WEST-2 (such as eu-west-1)",
        ),
        (["--bucket", "b-{region}", "--regions", "eu-west-1", "--region", "eu-west-1"], "not both"),
        (["--share-with", "o-abcdef1234"], "sharing a portfolio needs --catalog-product-id"),
    ],
)
def test_regions_and_shares_that_cannot_work_are_refused_before_any_call(
    templates, capsys, extra, message
):
    argv = ["publish", "--bucket", "b", "--templates", str(templates), *extra]
    assert cli.main(argv) == 1
    assert message in capsys.readouterr().err


def test_deploy_command_stages_a_root_only_when_it_is_too_large_to_send_inline(tmp_path):
    """A template body is sent inline up to "a maximum length of 51,200 bytes"
    (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudformation/aws.sdk.kotlin.services.cloudformation.model/-validate-template-request/template-body.html):
    a root of exactly that size needs no --s3-bucket, one byte more does."""
    from troposphere_fargate.release.publish import INLINE_TEMPLATE_BYTES

    assert INLINE_TEMPLATE_BYTES == 51_200
    root = tmp_path / __version__ / "root.yaml"
    root.parent.mkdir()
    destination = Destination(BUCKET, PREFIX, __version__, "eu-west-1")
    head = "Parameters:\n  ContainerImage:\n    Type: String\n"
    for size, staged in ((INLINE_TEMPLATE_BYTES, False), (INLINE_TEMPLATE_BYTES + 1, True)):
        root.write_text(head + "#" * (size - len(head) - 1) + "\n")
        assert root.stat().st_size == size
        command = deploy_command(destination, templates=tmp_path)
        assert (f"--s3-bucket {BUCKET} --s3-prefix {PREFIX}deploy " in command) is staged
        assert command.endswith(
            " ContainerImage=ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG"
        )


def test_deploy_command_names_each_parameter_the_root_needs(tmp_path):
    """An application's root takes one image per service (WebContainerImage, ...), not the
    shipped root's ContainerImage: the printed command must be one CloudFormation accepts."""
    from troposphere_fargate.cfn.yaml import to_yaml
    from troposphere_fargate.release.build import render_templates
    from troposphere_fargate.release.spec import parse_spec

    config = parse_spec(
        'services:\n  web: {port: 8080, expose: public, routing: {path: "/*", priority: 100}}\n'
        "  api: {port: 9000, expose: internal}\n"
    )
    root = render_templates(config)["root"]
    (tmp_path / __version__).mkdir()
    (tmp_path / __version__ / "root.yaml").write_text(to_yaml(root))
    command = deploy_command(
        Destination(BUCKET, PREFIX, __version__, "eu-west-1"), templates=tmp_path
    )
    required = sorted(
        name
        for name, spec in root["Parameters"].items()
        if "Default" not in spec and name not in ("TemplateBucketName", "TemplateKeyPrefix")
    )
    assert required == ["ApiContainerImage", "WebContainerImage"]
    overrides = command.split("--parameter-overrides ")[1].split()
    assert sorted(o.split("=")[0] for o in overrides) == sorted(
        ["TemplateBucketName", "TemplateKeyPrefix", *required]
    )
    assert "WebContainerImage=ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG" in overrides
    # The shipped root, and a root that is not there yet, still need ContainerImage only.
    for templates in (REPO / "templates", tmp_path / "none"):
        shipped = deploy_command(
            Destination(BUCKET, PREFIX, __version__, "eu-west-1"), templates=templates
        )
        assert shipped.endswith(
            " ContainerImage=ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG"
        )


def test_a_region_the_root_is_not_made_for_is_refused_before_any_call(tmp_path, monkeypatch):
    # A spec that names ARNs of the aws partition builds templates for its regions only
    # (Metadata.cfn-lint.config.regions); publishing them to China used to report "ok".
    from troposphere_fargate.release.build import generate, write_version
    from troposphere_fargate.release.spec import parse_spec

    spec = (
        "services:\n  web:\n    expose: public\n    routing: {path: /*, priority: 100}\n"
        "    secrets:\n"
        "      DB: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf\n"
    )
    write_version(tmp_path, generate(parse_spec(spec, "shop.yaml")))
    monkeypatch.setattr(boto3, "Session", lambda **_: pytest.fail("an AWS call was made"))
    with pytest.raises(PublishError) as refused:
        publish_release(tmp_path, __version__, "my-bucket", "shop/", region="cn-north-1")
    assert str(refused.value) == (
        "root.yaml: the template is made for 34 regions (Metadata.cfn-lint.config.regions) and "
        "cn-north-1 is not one of them: publish to a bucket in one of them"
    )


def test_every_request_says_which_account_must_own_the_bucket(s3, templates, monkeypatch):
    """Bucket names are global: a <bucket>-<region> in a region where we made none may be
    someone else's, and stacks there would run what it serves. With ExpectedBucketOwner, S3
    refuses each request to a bucket of another account ("Verifying bucket ownership with
    bucket owner condition", S3 User Guide). The emulator does not enforce it, so what is sent
    is checked: the account publishing by default, --bucket-owner when given."""
    sent: list[tuple[str, str | None]] = []
    real_client = boto3.session.Session.client

    def client(self, name, *args, **kwargs):
        made = real_client(self, name, *args, **kwargs)
        if name == "s3":

            def note(params, model, **_):
                if model.name in ("HeadBucket", "GetObject", "PutObject"):
                    sent.append((model.name, params.get("ExpectedBucketOwner")))

            made.meta.events.register("provide-client-params.s3.*", note)
        return made

    monkeypatch.setattr(boto3.session.Session, "client", client)
    assert run(templates) == 0
    account = boto3.client("sts").get_caller_identity()["Account"]
    kinds = {kind for kind, _ in sent}
    assert {"GetObject", "PutObject"} <= kinds
    # bucket_region's HeadBucket asks where the bucket is, before the owner is known
    assert [owner for _, owner in sent[1:]] == [account] * (len(sent) - 1)
    sent.clear()
    assert run(templates, "--bucket-owner", "111122223333") == 0  # republished: reads only
    assert {owner for _, owner in sent[1:]} == {"111122223333"}


@pytest.mark.parametrize("owner", ["me", ""])
def test_a_bucket_owner_that_is_no_account_is_refused_before_any_call(templates, capsys, owner):
    """An empty one too (``--bucket-owner "$OWNER"`` with OWNER unset): it is not taken as
    "the account publishing", whose bucket may not be the one meant."""
    assert run(templates, "--bucket-owner", owner) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: --bucket-owner {owner!r} is not an account ID (12 digits)"
    ]


def test_a_dry_run_to_a_region_that_is_no_region_name_says_so(templates, offline, capsys):
    assert run(templates, "--region", "eu-wst", "--dry-run") == 1
    assert capsys.readouterr().err.splitlines() == [
        "troposphere-fargate: error: 'eu-wst' is not a region name (such as eu-west-1)"
    ]


def test_credentials_whose_account_cannot_be_told_say_to_name_the_owner(
    s3, templates, capsys, monkeypatch
):
    """An STS error escaped as a ClientError traceback."""
    from botocore.exceptions import ClientError

    real_client = boto3.session.Session.client

    class NoIdentity:
        def get_caller_identity(self):
            raise ClientError(
                {"Error": {"Code": "RegionDisabledException", "Message": "off"}},
                "GetCallerIdentity",
            )

    def client(self, name, *args, **kwargs):
        return NoIdentity() if name == "sts" else real_client(self, name, *args, **kwargs)

    monkeypatch.setattr(boto3.session.Session, "client", client)
    assert run(templates) == 1
    assert capsys.readouterr().err.splitlines() == [
        "troposphere-fargate: error: cannot tell which account the credentials are of "
        "(RegionDisabledException): pass --bucket-owner, the account that owns the bucket"
    ]
    assert run(templates, "--bucket-owner", "123456789012") == 0  # no need to ask then


# --- publish --dry-run: the same checks and links, offline ------------------------------------


@pytest.fixture
def offline(monkeypatch):
    """No boto3 and no botocore to import: a dry run must not need them, nor call AWS."""
    import sys

    for name in ("boto3", "botocore", "botocore.exceptions"):
        monkeypatch.setitem(sys.modules, name, None)


@pytest.mark.parametrize("where", [["--region", "eu-west-1"], ["--regions", "eu-west-1"]])
def test_a_publish_to_one_region_that_fails_is_the_command_s_error(
    templates, offline, capsys, where
):
    """With one region, however given, its failure is the command's one error: no region
    before it and no summary of regions, as with several."""
    (templates / __version__ / "root.yaml").unlink()
    assert run(templates, *where, "--dry-run") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"troposphere-fargate: error: {templates / __version__} does not match manifest.json: "
        "root.yaml is missing: build it again rather than edit it (`troposphere-fargate build`, "
        "with the --spec and --output it was built with)\n"
    )


def test_a_dry_run_lists_the_uploads_and_prints_the_links_without_aws(templates, offline, capsys):
    argv = ["--region", "eu-west-1", "--dry-run", "--bucket-owner", "111122223333"]
    assert run(templates, *argv) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == (
        f"dry run, no AWS call made: s3://{BUCKET}/{PREFIX}{__version__}/ would get each of "
        "these 9 files it does not already hold, in this order (one it holds with other content "
        "stops the publish, unless --force):"
    )
    listed = [line.split() for line in lines[1:10]]
    manifest = json.loads((templates / __version__ / MANIFEST).read_text())["files"]
    assert [row[0] for row in listed[-2:]] == [MANIFEST, "root.yaml"]  # as publish uploads
    for name, size, _, _, digest in listed:
        if name != MANIFEST:  # the manifest is not in itself
            assert (int(size.replace(",", "")), digest) == (
                manifest[name]["bytes"],
                manifest[name]["sha256"],
            )
    assert sorted(row[0] for row in listed) == sorted(
        p.name for p in (templates / __version__).iterdir()
    )
    assert lines[10] == "S3 would refuse every request if the bucket is not owned by 111122223333"
    destination = Destination(BUCKET, PREFIX, __version__, "eu-west-1")
    assert out.endswith(
        f"\nLaunch Stack (eu-west-1):\n  {launch_url(destination)}\n\n"
        f"Deploy with the AWS CLI:\n  {deploy_command(destination, templates=templates)}\n"
    )


def test_a_dry_run_says_what_it_would_do_in_service_catalog(templates, offline, capsys):
    extra = ["--catalog-product-id", "prod-abcdefghijklm", "--share-with", "o-abcdefghij"]
    assert run(templates, "--region", "eu-west-1", "--dry-run", "--force", *extra) == 0
    out = capsys.readouterr().out
    assert "(one it holds with other content is overwritten (--force)):" in out
    root = f"https://{BUCKET}.s3.eu-west-1.amazonaws.com/{PREFIX}{__version__}/root.yaml"
    assert (
        f"\nService Catalog product prod-abcdefghijklm (eu-west-1): version {__version__} would "
        f"be added, from {root}, unless the product has it from there (one of that name from "
        "another bucket or prefix stops the publish before any upload)\n"
        "its portfolio would be shared with the organization o-abcdefghij, unless it is\n"
    ) in out


def test_a_dry_run_to_several_regions_names_each_bucket(templates, offline, capsys):
    argv = ["publish", "--bucket", BUCKET + "-{region}", "--regions", ",".join(REGIONS)]
    assert cli.main([*argv, "--templates", str(templates), "--dry-run"]) == 0
    out = capsys.readouterr().out
    for region in REGIONS:
        assert f"s3://{BUCKET}-{region}/{PREFIX}{__version__}/ would get" in out
        assert f"Launch Stack ({region}):" in out
    assert out.endswith(
        "\n3 of 3 regions would publish (dry run)\n"
        + "".join(f"  {region}: ok\n" for region in REGIONS)
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "a dry run makes no AWS call, so it cannot ask S3 which region the bucket is in: "
         "give --region (or --regions)"),
        (["--region", "eu-wst"], "'eu-wst' is not a region name (such as eu-west-1)"),
        (["--region", "eu-west-1", "--version", "9.9.9"], "no templates for version 9.9.9 in "),
        (["--region", "eu-west-1", "--share-with", "o-abcdefghij"],
         "sharing a portfolio needs --catalog-product-id: the product it holds"),
    ],
)  # fmt: skip
def test_a_dry_run_refuses_what_a_publish_would(templates, offline, capsys, extra, message):
    assert run(templates, "--dry-run", *extra) == 1
    assert message in capsys.readouterr().err


def test_a_prefix_that_makes_template_urls_too_long_for_a_nested_stack_is_refused(
    templates, offline, capsys
):
    """A nested stack's TemplateURL takes 1,024 characters (the AWS::CloudFormation::Stack
    resource schema, as cfn-lint ships it: maxLength 1024); S3 takes keys of 1,024 bytes, so a
    long prefix made URLs no root can nest, published without a word (an audit: 1,087). The
    URLs counted are those the root builds: its nested templates only (the shipped root nests
    network.yaml and service.yaml; environment.yaml is longer), written as given, without
    percent-encoding (a review: "(" counted 3)."""
    # network.yaml and service.yaml: the longest names the root nests, of the same length.
    fixed = len(f"https://{BUCKET}.s3.eu-west-1.amazonaws.com/{__version__}/network.yaml")
    fits = "(" * (1024 - fixed - 1) + "/"  # their URLs are 1,024 characters
    assert run(templates, "--dry-run", "--region", "eu-west-1", "--prefix", fits) == 0
    capsys.readouterr()
    over = "(" + fits
    assert run(templates, "--dry-run", "--region", "eu-west-1", "--prefix", over) == 1
    assert capsys.readouterr().err.splitlines() == [
        "troposphere-fargate: error: the URL of network.yaml, which root.yaml nests, would be "
        "1,025 characters; a nested stack's TemplateURL takes 1,024: give a shorter --prefix"
    ]


def test_a_dry_run_checks_the_files_against_their_manifest(templates, offline, capsys):
    (templates / __version__ / "network.yaml").write_text("Resources: {}\n")
    assert run(templates, "--dry-run", "--region", "eu-west-1") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: {templates / __version__} does not match {MANIFEST}: "
        "network.yaml does not match its sha256 in the manifest: build it again rather than "
        "edit it (`troposphere-fargate build`, with the --spec and --output it was built with)"
    ]


def test_a_product_in_a_region_without_service_catalog_is_refused(templates, offline, capsys):
    """A newcomer's trial: the dry run promised a product version in mx-central-1, where the
    version's catalog.yaml is not made for (no Service Catalog there); a publish would have
    uploaded, then failed at the product."""
    extra = ["--catalog-product-id", "prod-abcdefghijklm", "--dry-run"]
    assert run(templates, "--region", "mx-central-1", *extra) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith(
        "and mx-central-1 is not one of them, so no Service Catalog product of it is there: "
        "publish without --catalog-product-id and --share-with in that region"
    )
    assert run(templates, "--region", "mx-central-1", "--dry-run") == 0  # the templates are


def test_templates_that_are_a_file_or_a_version_folder_say_what_to_give(templates, offline, capsys):
    """A newcomer's trial: --templates templates/0.4.0 said "no templates for version 0.4.0 in
    templates/0.4.0/; run build first"."""
    version = templates / __version__
    assert run(version, "--region", "eu-west-1", "--dry-run") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: --templates {version} is a version folder itself: give "
        f"the folder that holds it (--templates {templates})"
    ]
    readme = templates / "README.md"
    readme.write_text("x")
    assert run(readme, "--region", "eu-west-1", "--dry-run") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: --templates {readme} is a file: give the folder of versions"
    ]


def test_a_version_without_catalog_yaml_goes_into_a_product_unchecked(templates, offline, capsys):
    """An application's build has no catalog.yaml (its root joins a product made elsewhere):
    the region its catalog would claim is not asked for, and nothing refuses it."""
    folder = templates / __version__
    document = json.loads((folder / MANIFEST).read_text())
    del document["files"]["catalog.yaml"]
    (folder / MANIFEST).write_text(json.dumps(document))
    (folder / "catalog.yaml").unlink()
    extra = ["--catalog-product-id", "prod-abcdefghijklm", "--dry-run"]
    assert run(templates, "--region", "eu-west-1", *extra) == 0, capsys.readouterr().err


def test_a_publish_to_a_region_without_service_catalog_is_refused_before_any_call(
    templates, monkeypatch
):
    monkeypatch.setattr(boto3, "Session", lambda **_: pytest.fail("an AWS call was made"))
    with pytest.raises(PublishError, match="no Service Catalog product of it is there"):
        publish_release(
            templates, __version__, BUCKET, PREFIX, region="mx-central-1",
            catalog_product_id="prod-abcdefghijklm",
        )  # fmt: skip


def test_templates_dot_inside_a_version_folder_names_its_parent(
    templates, offline, capsys, monkeypatch
):
    monkeypatch.chdir(templates / __version__)
    assert run(Path("."), "--region", "eu-west-1", "--dry-run") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: --templates {(templates / __version__).resolve()} is a "
        f"version folder itself: give the folder that holds it (--templates {templates.resolve()})"
    ]
