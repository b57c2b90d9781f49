"""Publishing a built version: ``templates/<version>/`` to ``s3://<bucket>/<prefix><version>/``.

The order of events guarantees that what is in S3 is either the previous state or a complete,
verified version, as far as anyone launching it can tell:

1. the local files are checked against their ``manifest.json`` (names, sizes, sha256);
2. the bucket is checked, and every object already at the destination is compared with the local
   file (by the sha256 recorded in the object's metadata, or by its content); a different object
   stops the publish unless ``force`` is set: a published version is immutable; when the version
   is to go into a Service Catalog product, a version of that name from another bucket or prefix
   there stops it too (:func:`check_catalog_version`), before anything is uploaded;
3. the missing (or, forced, different) files are uploaded with a SHA-256 checksum that S3
   verifies before storing them, and read back and hashed again, ``root.yaml`` last: until it is
   there, nothing is launchable;
4. the console quick-create URL and the ``aws cloudformation deploy`` command are returned, and,
   on request, the version is added to a Service Catalog product as a provisioning artifact.

Only this module and the CLI talk to AWS; clients are passed in, so tests give it clients bound
to a local emulator or stubbed with botocore's ``Stubber``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from .. import __version__
from ..cfn.yaml import not_a_regular_file
from ..layers.root import (
    BUCKET_NAME_PATTERN,
    KEY_PREFIX_PATTERN,
    TEMPLATE_BUCKET_NAME,
    TEMPLATE_KEY_PREFIX,
    version_in_url,
)
from ..layers.root import (
    FILENAME as ROOT_FILENAME,
)
from .build import MANIFEST

DEFAULT_STACK_NAME = "fargate-service"
SHA256_METADATA = "sha256"  # x-amz-meta-sha256 on every object we upload
CONTENT_TYPES = {".yaml": "application/x-yaml", ".json": "application/json"}


class PublishError(Exception):
    """Publishing cannot go on; the message is one line for the user."""


@dataclass(frozen=True)
class Destination:
    bucket: str
    prefix: str
    version: str
    region: str

    def __post_init__(self) -> None:
        if not re.fullmatch(BUCKET_NAME_PATTERN, self.bucket):
            raise PublishError(
                f"bucket name {self.bucket!r} is not one the templates accept: 3-63 lower-case "
                "letters, digits and hyphens, no dots (CloudFormation fetches nested templates "
                "over HTTPS from <bucket>.s3.<region>.amazonaws.com)"
            )
        if not re.fullmatch(KEY_PREFIX_PATTERN, self.prefix):
            raise PublishError(
                f"prefix {self.prefix!r} must be empty or folder names each ending with / "
                "(such as team/templates/): no / first, no empty folder (//), only letters, "
                "digits and !_.*'()- in a name"
            )

    def key(self, filename: str) -> str:
        return f"{self.prefix}{self.version}/{filename}"

    @property
    def url_suffix(self) -> str:
        return "amazonaws.com.cn" if self.region.startswith("cn-") else "amazonaws.com"

    def url(self, filename: str, *, encoded: bool = True) -> str:
        """The HTTPS URL of a published template; as the root template builds it for a nested
        template (its TemplateURL: the prefix as given, the version's ``+`` as ``%2B``, see
        version_in_url) when not ``encoded``."""
        path = (
            quote(self.key(filename))
            if encoded
            else f"{self.prefix}{version_in_url(self.version)}/{filename}"
        )
        return f"https://{self.bucket}.s3.{self.region}.{self.url_suffix}/{path}"


class _Links:
    """The launch link and deploy command of a version published (or to be) at
    ``destination`` from the folder ``templates``."""

    destination: Destination
    templates: Path | str

    @property
    def launch_url(self) -> str:
        return launch_url(self.destination)

    @property
    def deploy_command(self) -> str:
        return deploy_command(self.destination, templates=self.templates)


@dataclass
class PublishResult(_Links):
    destination: Destination
    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    templates: Path | str = "templates"  # the folder published from, whose root it launches


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_version(templates: Path, version: str) -> dict[str, bytes]:
    """The files of ``templates/<version>/``, checked against their manifest."""
    from ..cfn.diff import file_given_for_versions  # the line check and diff say too

    folder = templates / version
    if (templates / MANIFEST).is_file():  # ".": its name and parent are the resolved path's
        templates = templates.resolve()
    given_a_file = file_given_for_versions(templates)
    if given_a_file:
        raise PublishError(given_a_file)
    if (templates / MANIFEST).is_file() and not folder.is_dir():
        other = f" --version {templates.name}" if templates.name != version else ""
        raise PublishError(
            f"--templates {templates} is a version folder itself: give the folder that holds "
            f"it (--templates {templates.parent}{other})"
        )
    if not folder.is_dir():
        built = (
            sorted(p.name for p in templates.iterdir() if p.is_dir()) if templates.is_dir() else []
        )
        how = (
            "; run `troposphere-fargate build` first"
            if version == __version__
            else f"; `troposphere-fargate build` writes this package's version, {__version__}, "
            f"only: a {version} folder comes from troposphere-fargate {version}"
        )
        raise PublishError(
            f"no templates for version {version} in {templates}/"
            + (f" (found: {', '.join(built)})" if built else "")
            + how
        )
    manifest = _read_manifest(folder / MANIFEST)
    entries: Mapping[str, Mapping[str, Any]] = manifest["files"]
    if manifest.get("version") != version:
        raise PublishError(
            f"{folder / MANIFEST} is for version {manifest.get('version')!r}, not {version}"
        )
    # Every entry but a folder: a link that leads nowhere is named, not passed over.
    present = {p.name for p in folder.iterdir() if not p.is_dir()} - {MANIFEST}
    problems = [f"{name} is not in the manifest" for name in sorted(present - set(entries))]
    problems += [f"{name} is missing" for name in sorted(set(entries) - present)]
    files: dict[str, bytes] = {}
    for name in sorted(set(entries) & present):
        special = not_a_regular_file(folder / name)
        if special is not None:
            problems.append(f"{name}: {special.removeprefix(f'{folder / name}: ')}")
            continue
        data = (folder / name).read_bytes()
        if _sha256(data) != entries[name].get("sha256") or len(data) != entries[name].get("bytes"):
            problems.append(f"{name} does not match its sha256 in the manifest")
        files[name] = data
    if problems:
        # A build writes the files and their manifest together: a difference is an edit since.
        again = (
            "build it again rather than edit it (`troposphere-fargate build`, with the --spec "
            "and --output it was built with)"
            if version == __version__
            else f"restore it as troposphere-fargate {version}'s build wrote it"
        )
        raise PublishError(
            f"{folder} does not match {MANIFEST}: " + "; ".join(problems) + f": {again}"
        )
    if ROOT_FILENAME not in files:
        raise PublishError(f"{folder} has no {ROOT_FILENAME} to publish")
    files[MANIFEST] = (folder / MANIFEST).read_bytes()
    return files


def _read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``, as a build writes it: ``files`` maps each name to its
    ``bytes`` and ``sha256`` (anything else is one line naming the file, not a traceback)."""
    try:
        manifest: Any = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise PublishError(f"{path} is missing or unreadable: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PublishError(f"{path}: not a text file (it is not UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise PublishError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # an integer of 5,000 digits; [[[...]]]
        why = str(exc).split(":")[0]
        raise PublishError(
            f"{path} is not a manifest `troposphere-fargate build` writes: {why}"
        ) from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and type(entry.get("bytes")) is int
        for entry in files.values()
    ):
        raise PublishError(
            f"{path} is not a manifest `troposphere-fargate build` writes: it needs files, "
            "each file's name with its bytes (a number) and sha256 (a string)"
        )
    return dict(manifest)


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _error_text(exc: Exception) -> str:
    """An AWS error as the user needs it: its code and AWS's own message (a code alone, such
    as InvalidParametersException, does not say which parameter)."""
    code = _error_code(exc)
    response = getattr(exc, "response", None) or {}
    message = str(response.get("Error", {}).get("Message", "")).strip()
    if code and message and message != code:
        return f"{code}: {message}"
    return code or message or str(exc)


def _published_sha256(
    s3: Any, bucket: str, key: str, owned: Mapping[str, str] | None = None
) -> str | None:
    """The sha256 of the object at ``key`` (of its content, read back), or None if there is none.

    Metadata is not trusted for this: anyone who can write the object can write its metadata.
    """
    try:
        body = s3.get_object(Bucket=bucket, Key=key, **(owned or {}))["Body"].read()
    except Exception as exc:
        if _error_code(exc) in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return _sha256(body)


def _upload_order(names: list[str]) -> list[str]:
    """Everything else first, then the manifest, then root.yaml: the last to make it launchable."""
    last = [MANIFEST, ROOT_FILENAME]
    return sorted(n for n in names if n not in last) + [n for n in last if n in names]


def publish(
    s3: Any,
    files: Mapping[str, bytes],
    destination: Destination,
    *,
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
    owner: str | None = None,
) -> PublishResult:
    """Upload ``files`` (from :func:`read_version`) to ``destination`` with the S3 client ``s3``.

    ``owner``, an account ID, is sent with every request as ``ExpectedBucketOwner``: S3 refuses
    each one (403) when another account owns the bucket. Bucket names are global, and one named
    like ours in a region where we made none (``<bucket>-<region>``) may be someone else's:
    stacks there would run the templates it serves (S3 User Guide, "Verifying bucket ownership
    with bucket owner condition")."""
    from botocore.exceptions import ClientError

    result = PublishResult(destination)
    owned = {"ExpectedBucketOwner": owner} if owner else {}
    try:
        s3.head_bucket(Bucket=destination.bucket, **owned)
        published = {
            name: _published_sha256(s3, destination.bucket, destination.key(name), owned)
            for name in files
        }
    except ClientError as exc:
        raise _s3_error(exc, destination) from None

    differing = sorted(
        name for name, digest in published.items() if digest and digest != _sha256(files[name])
    )
    if differing and not force:
        raise PublishError(
            f"s3://{destination.bucket}/{destination.key('')} already holds a different "
            f"{', '.join(differing)}: a published version is never changed in place. Publish "
            "the new build under a prefix of its own (an application's release, such as "
            "--prefix shop/1.5.0/) or bump the version, or pass --force to overwrite it"
        )
    for name in _upload_order(list(files)):
        data = files[name]
        if published[name] == _sha256(data):
            result.unchanged.append(name)
            continue
        progress(
            f"uploading {name} ({len(data):,} bytes) to s3://{destination.bucket}/{destination.key(name)}"
        )
        try:
            if not _put(s3, destination, name, data, force=force, owned=owned):
                result.unchanged.append(name)
                continue
        except ClientError as exc:
            raise _s3_error(exc, destination, name) from None
        result.uploaded.append(name)
    return result


# What S3 answers a write with If-None-Match when the key exists (412 Precondition Failed) or
# another write to it is under way (409 ConditionalRequestConflict).
CONDITIONAL_REFUSALS = ("412", "PreconditionFailed", "409", "ConditionalRequestConflict")


def _put(
    s3: Any,
    destination: Destination,
    name: str,
    data: bytes,
    *,
    force: bool,
    owned: Mapping[str, str],
) -> bool:
    """Upload ``data`` as ``name`` and read it back: True, or False when S3 refused a
    conditional write because the object is there already with this very content (an identical
    publish at the same time, or this request retried by botocore after S3 had stored it)."""
    from botocore.exceptions import BotoCoreError, ClientError

    key = destination.key(name)
    # Unless forced, S3 itself refuses to overwrite: a publish running at the same time
    # cannot slip a file in between our check and our upload.
    only_if_absent = {} if force else {"IfNoneMatch": "*"}
    try:
        s3.put_object(
            Bucket=destination.bucket,
            Key=key,
            Body=data,
            ContentType=CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream"),
            ChecksumSHA256=base64.b64encode(hashlib.sha256(data).digest()).decode(),
            Metadata={SHA256_METADATA: _sha256(data)},
            **only_if_absent,
            **owned,
        )
    except ClientError as exc:
        if force or _error_code(exc) not in CONDITIONAL_REFUSALS:
            raise
        try:
            there = _published_sha256(s3, destination.bucket, key, owned)
        except (ClientError, BotoCoreError) as unread:
            # The refusal is why the publish stops; the failed read, why it cannot tell whether
            # the object there is this very file: the user needs both.
            raise PublishError(
                f"S3 refused the conditional upload of s3://{destination.bucket}/{key} "
                f"({_error_text(exc)}: someone else wrote it while publishing) and reading it "
                f"back to compare failed ({_error_text(unread)}): check that object (comparing "
                "needs s3:GetObject on it) and publish again"
            ) from None
        if there is None and _error_code(exc) in ("409", "ConditionalRequestConflict"):
            # "If a conflicting operation occurs during the upload S3 returns a 409
            # ConditionalRequestConflict response. On a 409 failure you should retry the
            # upload" (PutObject, If-None-Match): nothing was written, by anyone, yet.
            raise PublishError(
                f"S3 refused the upload of s3://{destination.bucket}/{key} while another write "
                "of it was under way (409 ConditionalRequestConflict), and nothing is there: "
                "publish again"
            ) from None
        if there != _sha256(data):
            raise
        return False
    # S3 checks the checksum on receipt; reading the object back checks the whole trip.
    stored = s3.get_object(Bucket=destination.bucket, Key=key, **owned)
    if _sha256(stored["Body"].read()) != _sha256(data):
        raise PublishError(
            f"s3://{destination.bucket}/{key} does not read back as uploaded; publish again"
        )
    return True


def _s3_error(exc: Exception, destination: Destination, name: str = "") -> PublishError:
    """An S3 error as one line for the user; ``name``: the file whose upload failed."""
    code = _error_code(exc)
    where = f"s3://{destination.bucket}/{destination.key('')}"
    what = f"s3://{destination.bucket}/{destination.key(name)}" if name else where
    if code in ("404", "NoSuchBucket", "NotFound"):
        return PublishError(f"bucket {destination.bucket} does not exist (or is not visible here)")
    if code in ("403", "AccessDenied", "Forbidden", "AllAccessDisabled"):
        return PublishError(
            f"access denied to {where}: publishing needs s3:ListBucket, s3:GetObject and "
            "s3:PutObject there, in a bucket of the expected account (--bucket-owner; by "
            "default the account publishing)"
        )
    if code in CONDITIONAL_REFUSALS:
        return PublishError(
            f"{what} was written by someone else while publishing; check it and publish again"
        )
    if code in ("BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"):
        return PublishError(f"S3 refused an upload to {what}: its checksum did not match ({code})")
    return PublishError(f"S3 error on {where}: {_error_text(exc)}")


def launch_url(destination: Destination, stack_name: str = DEFAULT_STACK_NAME) -> str:
    """The console's quick-create ("Launch Stack") URL, with bucket and prefix filled in."""
    console = {
        "cn-": "https://console.amazonaws.cn",
        "us-gov-": "https://console.amazonaws-us-gov.com",
    }
    host = next(
        (url for start, url in console.items() if destination.region.startswith(start)),
        "https://console.aws.amazon.com",
    )
    query = urlencode(
        {
            "templateURL": destination.url(ROOT_FILENAME),
            "stackName": stack_name,
            f"param_{TEMPLATE_BUCKET_NAME}": destination.bucket,
            f"param_{TEMPLATE_KEY_PREFIX}": destination.prefix,
        },
        quote_via=quote,
    )
    return f"{host}/cloudformation/home?region={destination.region}#/stacks/quickcreate?{query}"


# CloudFormation takes a template body of at most 51,200 bytes inline ("AWS CloudFormation
# quotas": template body size in a request); `aws cloudformation deploy --template-file` refuses a
# larger file unless --s3-bucket lets it stage the template in S3 first (awscli's
# customizations/cloudformation/deploy.py: "Templates with a size greater than 51,200 bytes
# must be deployed via an S3 Bucket"). The emulator accepts larger bodies.
INLINE_TEMPLATE_BYTES = 51_200


# What a container image parameter takes, written so that it pastes into a shell as it is.
IMAGE_PLACEHOLDER = "ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG"


def _required_parameters(root: Path) -> list[str]:
    """The root template's parameters without a default, other than the template bucket and
    prefix (the shipped root needs ``ContainerImage``; an application's, one image per
    service, such as ``WebContainerImage``). ``ContainerImage`` when the file is not there."""
    from ..cfn.yaml import TemplateFileError, read_template

    try:
        declared = read_template(root).get("Parameters", {})
    except (OSError, TemplateFileError):
        return ["ContainerImage"]
    return [
        name
        for name, spec in declared.items()
        if isinstance(spec, Mapping)
        and "Default" not in spec
        and name not in (TEMPLATE_BUCKET_NAME, TEMPLATE_KEY_PREFIX)
    ]


def deploy_command(
    destination: Destination,
    stack_name: str = DEFAULT_STACK_NAME,
    templates: Path | str = "templates",
) -> str:
    """An ``aws cloudformation deploy`` command that launches the published version (staging
    ``root.yaml`` in the bucket when it is too large to be sent inline), with a placeholder
    for each parameter of the root that has no default."""
    # Each value one shell word, pasted as it is: a folder with a space in its name, or a
    # prefix with a quote or a parenthesis (the prefix pattern takes them), split the command
    # or broke its syntax.
    quote = shlex.quote
    root = Path(templates) / destination.version / ROOT_FILENAME
    staged = (
        f"--s3-bucket {quote(destination.bucket)} "
        f"--s3-prefix {quote(destination.prefix + 'deploy')} "
        if root.is_file() and root.stat().st_size > INLINE_TEMPLATE_BYTES
        else ""
    )
    placeholders = " ".join(
        f"{name}={IMAGE_PLACEHOLDER if name.endswith('ContainerImage') else name.upper()}"
        for name in _required_parameters(root)
    )
    prefix = (  # an empty prefix written as one, as the README does
        quote(f"{TEMPLATE_KEY_PREFIX}={destination.prefix}")
        if destination.prefix
        else f'{TEMPLATE_KEY_PREFIX}=""'
    )
    return (
        f"aws cloudformation deploy --region {quote(destination.region)} "
        f"--stack-name {quote(stack_name)} "
        f"--template-file {quote(f'{templates}/{destination.version}/{ROOT_FILENAME}')} {staged}"
        "--capabilities CAPABILITY_IAM --parameter-overrides "
        f"{quote(f'{TEMPLATE_BUCKET_NAME}={destination.bucket}')} "
        f"{prefix} {placeholders}"
    ).rstrip()


def idempotency_token(product_id: str, destination: Destination) -> str:
    seed = f"{product_id}|{destination.version}|{destination.url(ROOT_FILENAME)}"
    return hashlib.sha256(seed.encode()).hexdigest()[:64]


def artifact_description(destination: Destination) -> str:
    """The description of the version's provisioning artifact, as ``catalog.yaml`` writes it
    too: where its ``root.yaml`` is."""
    from ..layers import catalog

    return catalog.ARTIFACT_DESCRIPTION.format(
        version=destination.version,
        bucket=destination.bucket,
        prefix=destination.prefix,
        file=ROOT_FILENAME,
    )


def _product_has_version(catalog: Any, product_id: str, destination: Destination) -> bool:
    """Whether the product has this version from this template location already; a version of
    the same name from another bucket or prefix is :class:`PublishError`. Read-only
    (ListProvisioningArtifacts): :func:`publish_release` asks before it uploads anything."""
    description = artifact_description(destination)
    existing = catalog.list_provisioning_artifacts(ProductId=product_id)
    named = [
        a
        for a in existing.get("ProvisioningArtifactDetails", [])
        if a.get("Name") == destination.version
    ]
    if any(a.get("Description") == description for a in named):
        return True
    if named:
        raise PublishError(
            f"Service Catalog product {product_id} already has a version "
            f"{destination.version} of other templates "
            f"({named[0].get('Description') or 'no description'!r}), not {description}: "
            "a product's versions are named by troposphere-fargate's version, and its "
            "catalog's template constraint launches them from one TemplateBucketName and "
            "TemplateKeyPrefix. Publish to those, or offer a build under another prefix "
            "(an application's next release) with a catalog.yaml stack of its own"
        )
    return False


def _product_error(exc: Exception, product_id: str) -> PublishError:
    code = _error_code(exc)
    if code == "ResourceNotFoundException":
        return PublishError(f"Service Catalog has no product {product_id}")
    if code in ("AccessDeniedException", "AccessDenied"):
        return PublishError(
            f"access denied to Service Catalog product {product_id}: needs "
            "servicecatalog:ListProvisioningArtifacts and CreateProvisioningArtifact"
        )
    return _catalog_error(exc, f"product {product_id}")


def check_catalog_version(catalog: Any, product_id: str, destination: Destination) -> str:
    """What :func:`add_to_catalog` would do, asked without changing anything: ``"exists"`` or
    ``"new"``; :class:`PublishError` when it would refuse (a version of the same name from
    another bucket or prefix, no such product, no access)."""
    from botocore.exceptions import ClientError

    try:
        return "exists" if _product_has_version(catalog, product_id, destination) else "new"
    except ClientError as exc:
        raise _product_error(exc, product_id) from None


def add_to_catalog(catalog: Any, product_id: str, destination: Destination) -> str:
    """Add the version as a provisioning artifact of a Service Catalog product, once.

    Returns ``"added"`` or ``"exists"`` (this version, from this template location, is already
    there and is left as it is). A version of the same name from another bucket or prefix is
    another build (a spec's next release, under a prefix of its own): :class:`PublishError`,
    rather than a second version of that name or a silent skip.
    """
    from botocore.exceptions import ClientError

    try:
        if _product_has_version(catalog, product_id, destination):
            return "exists"
        catalog.create_provisioning_artifact(
            ProductId=product_id,
            Parameters={
                "Name": destination.version,
                "Description": artifact_description(destination),
                "Info": {"LoadTemplateFromURL": destination.url(ROOT_FILENAME)},
                "Type": "CLOUD_FORMATION_TEMPLATE",
            },
            # The same product, version and URL always give the same token, so a retried call
            # does not create a second artifact (the API allows [a-zA-Z0-9][a-zA-Z0-9_-]*).
            IdempotencyToken=idempotency_token(product_id, destination),
        )
    except ClientError as exc:
        raise _product_error(exc, product_id) from None
    return "added"


# Service Catalog shares a portfolio with an organization, an organizational unit or an account
# (CreatePortfolioShare's OrganizationNode); the id says which.
SHARE_TARGETS = (
    ("ORGANIZATION", re.compile(r"o-[a-z0-9]{10,32}")),
    ("ORGANIZATIONAL_UNIT", re.compile(r"ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}")),
    ("ACCOUNT", re.compile(r"[0-9]{12}")),
)
SHARE_KINDS = {
    "ORGANIZATION": "the organization",
    "ORGANIZATIONAL_UNIT": "the organizational unit",
    "ACCOUNT": "the account",
}


def share_target(identifier: str) -> tuple[str, str]:
    """(OrganizationNode type, id) for an organization ``o-...``, an organizational unit
    ``ou-...-...`` or a 12-digit account id; :class:`PublishError` for anything else."""
    for kind, pattern in SHARE_TARGETS:
        if pattern.fullmatch(identifier):
            return kind, identifier
    raise PublishError(
        f"{identifier!r} is not an organization id (o-...), an organizational unit id "
        "(ou-...-...) or a 12-digit account id"
    )


def catalog_portfolio(catalog: Any, product_id: str) -> str:
    """The one portfolio that holds the product (catalog.yaml makes one); :class:`PublishError`
    when it is in none or in several."""
    from botocore.exceptions import ClientError

    try:
        found: list[str] = []
        for page in catalog.get_paginator("list_portfolios_for_product").paginate(
            ProductId=product_id
        ):
            found += [p["Id"] for p in page.get("PortfolioDetails", [])]
    except ClientError as exc:
        raise _catalog_error(exc, f"product {product_id}") from None
    if len(found) != 1:
        raise PublishError(
            f"Service Catalog product {product_id} is in {len(found)} portfolios "
            f"({', '.join(found) or 'none'}): one portfolio is shared, so it must be in exactly one"
        )
    return found[0]


def share_portfolio(catalog: Any, portfolio_id: str, identifier: str) -> str:
    """Share the portfolio with an organization, organizational unit or account, once.

    Returns ``"shared"`` (the share was started: Service Catalog completes an organization share
    in the background) or ``"exists"`` (already shared with it: nothing is changed). Sharing
    with an organization or unit needs Service Catalog's access to AWS Organizations, enabled
    once from the management account (``aws servicecatalog enable-aws-organizations-access``),
    and runs from the management account or a delegated administrator.
    """
    from botocore.exceptions import ClientError

    kind, value = share_target(identifier)
    try:
        token: dict[str, str] = {}
        while True:  # DescribePortfolioShares pages by PageToken; boto3 has no paginator for it
            page = catalog.describe_portfolio_shares(PortfolioId=portfolio_id, Type=kind, **token)
            if any(d.get("PrincipalId") == value for d in page.get("PortfolioShareDetails", [])):
                return "exists"
            if not page.get("NextPageToken"):
                break
            token = {"PageToken": page["NextPageToken"]}
        if kind == "ACCOUNT":
            catalog.create_portfolio_share(PortfolioId=portfolio_id, AccountId=value)
        else:
            catalog.create_portfolio_share(
                PortfolioId=portfolio_id, OrganizationNode={"Type": kind, "Value": value}
            )
    except ClientError as exc:
        if _error_code(exc) == "InvalidStateException":
            raise PublishError(
                f"Service Catalog cannot share portfolio {portfolio_id} with {value}: "
                "organization sharing is off (run `aws servicecatalog "
                "enable-aws-organizations-access` once in the management account) or this is "
                "not the management account or a delegated administrator"
            ) from None
        raise _catalog_error(exc, f"portfolio {portfolio_id}") from None
    return "shared"


def _catalog_error(exc: Exception, what: str) -> PublishError:
    code = _error_code(exc)
    if code == "ResourceNotFoundException":
        return PublishError(f"Service Catalog has no {what}")
    if code in ("AccessDeniedException", "AccessDenied"):
        return PublishError(f"access denied to Service Catalog {what}")
    return PublishError(f"Service Catalog error for {what}: {_error_text(exc)}")


def bucket_region(s3: Any, bucket: str) -> str | None:
    """The region a bucket lives in, as S3 reports it (None when it does not say)."""
    from botocore.exceptions import ClientError

    try:
        response = s3.head_bucket(Bucket=bucket)
    except ClientError as exc:
        headers = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        region = headers.get("x-amz-bucket-region")
        if region:
            return str(region)
        raise
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    region = response.get("BucketRegion") or headers.get("x-amz-bucket-region")
    return str(region) if region else None


@dataclass
class Release:
    """What :func:`publish_release` did."""

    destination: Destination
    result: PublishResult
    catalog: str | None = None  # "added" or "exists" when a catalog product was given
    portfolio: str | None = None  # the product's portfolio, when it was shared
    shares: dict[str, str] = field(default_factory=dict)  # target -> "shared" or "exists"


def _refuse_unmade_region(
    folder: Path, files: Mapping[str, bytes], filename: str, region: str, advice: str
) -> None:
    """Refuse ``region`` when the version's ``filename`` is not made for it (its
    ``Metadata.cfn-lint.config.regions``), saying ``advice``; nothing when the version has no
    such file."""
    from ..cfn.evaluate import region_problem
    from ..cfn.yaml import TemplateFileError, read_template

    if filename not in files:
        return
    try:
        problem = region_problem(read_template(folder / filename), region)
    except TemplateFileError as exc:
        raise PublishError(str(exc)) from None
    if problem:
        raise PublishError(f"{filename}: {problem}{advice}")


def _refuse_catalog_region(folder: Path, files: Mapping[str, bytes], region: str) -> None:
    """A product added in a region the version's ``catalog.yaml`` is not made for: its
    portfolio and product cannot be there (the regions without Service Catalog are left out of
    the template's ``Metadata.cfn-lint.config.regions``)."""
    from ..layers import catalog

    _refuse_unmade_region(
        folder,
        files,
        catalog.FILENAME,
        region,
        ", so no Service Catalog product of it is there: publish without "
        "--catalog-product-id and --share-with in that region",
    )


def _refuse_unclaimed_region(folder: Path, files: Mapping[str, bytes], region: str) -> None:
    """Stacks launch the published root in the bucket's region: it must claim it
    (``Metadata.cfn-lint.config.regions``; a spec that names ARNs of one partition builds
    templates for that partition's regions only). The catalog's template is not checked: a
    region without Service Catalog still runs the root."""
    from ..layers import root

    _refuse_unmade_region(
        folder, files, root.FILENAME, region, ": publish to a bucket in one of them"
    )


# A nested stack's TemplateURL takes 1,024 characters (the AWS::CloudFormation::Stack resource
# schema, maxLength 1024, as cfn-lint ships it); S3 keys take 1,024 bytes themselves, so a long
# prefix makes URLs the root cannot nest (an audit: 1,087 characters, uploaded without a word).
MAX_TEMPLATE_URL = 1024


def _refuse_regions(
    folder: Path,
    files: Mapping[str, bytes],
    catalog_product_id: str | None,
    destination: Destination,
) -> None:
    """A region the version's root is not made for, or, when a product is to get the version,
    its catalog; a destination whose template URLs are longer than a nested stack takes."""
    region = destination.region
    _refuse_unclaimed_region(folder, files, region)
    if catalog_product_id:
        _refuse_catalog_region(folder, files, region)
    # The URLs the root builds for its nested stacks, as written (the root's Fn::Sub joins the
    # bucket, the region and the prefix as they are given, the version as version_in_url).
    root_text = files.get(ROOT_FILENAME, b"").decode("utf-8", "replace")
    version = re.escape(version_in_url(destination.version))
    nested = sorted(set(re.findall(rf"}}{version}/([A-Za-z0-9_.-]+\.yaml)", root_text)))
    longest = max(nested, key=len, default=None)
    if longest is not None:
        url = destination.url(longest, encoded=False)
        if len(url) > MAX_TEMPLATE_URL:
            raise PublishError(
                f"the URL of {longest}, which root.yaml nests, would be {len(url):,} "
                f"characters; a nested stack's TemplateURL takes {MAX_TEMPLATE_URL:,}: give "
                "a shorter --prefix"
            )


def _account_of(session: Any, region: str) -> str:
    """The account the session's credentials are of: the owner a bucket is expected to have."""
    from botocore.exceptions import ClientError

    try:
        return str(session.client("sts", region_name=region).get_caller_identity()["Account"])
    except ClientError as exc:
        raise PublishError(
            f"cannot tell which account the credentials are of ({_error_code(exc) or exc}): pass "
            "--bucket-owner, the account that owns the bucket"
        ) from None


def _checked_options(
    bucket: str,
    prefix: str,
    version: str,
    region: str | None,
    share_with: Sequence[str],
    bucket_owner: str | None,
    catalog_product_id: str | None,
) -> list[tuple[str, str]]:
    """The share targets, once every option that cannot work is refused, before any call."""
    targets = [share_target(target) for target in share_with]
    if bucket_owner is not None and not re.fullmatch(r"[0-9]{12}", bucket_owner):
        raise PublishError(f"--bucket-owner {bucket_owner!r} is not an account ID (12 digits)")
    if targets and not catalog_product_id:
        raise PublishError("sharing a portfolio needs --catalog-product-id: the product it holds")
    Destination(bucket, prefix, version, region or "us-east-1")  # a bad bucket or prefix too
    return targets


@dataclass(frozen=True)
class Plan(_Links):
    """What :func:`publish_release` would do, worked out offline (:func:`plan_release`)."""

    destination: Destination
    files: dict[str, bytes]  # in the order they would be uploaded, root.yaml last
    templates: Path
    bucket_owner: str | None = None  # None: the account of the credentials that publish
    catalog_product_id: str | None = None
    shares: tuple[tuple[str, str], ...] = ()  # (OrganizationNode type, id), as share_target


def plan_release(
    templates: Path,
    version: str,
    bucket: str,
    prefix: str,
    *,
    region: str | None,
    catalog_product_id: str | None = None,
    share_with: Sequence[str] = (),
    bucket_owner: str | None = None,
) -> Plan:
    """What :func:`publish_release` would upload, where, and what it would print, with no AWS
    call, no credentials and no boto3: every check it makes before its first call (the options,
    the manifest, the region the root is made for). What only AWS knows is not known here: that
    the bucket exists, is in ``region`` and is the expected account's, what it already holds
    (an identical file is not uploaded again, a different one stops the publish), and the
    Service Catalog product. Raises :class:`PublishError` as a publish would."""
    if not region:
        raise PublishError(
            "a dry run makes no AWS call, so it cannot ask S3 which region the bucket is in: "
            "give --region (or --regions)"
        )
    targets = _checked_options(
        bucket, prefix, version, region, share_with, bucket_owner, catalog_product_id
    )
    from ..cfn.evaluate import region_name_problem

    problem = region_name_problem(region)
    if problem:
        raise PublishError(problem)
    files = read_version(templates, version)
    destination = Destination(bucket, prefix, version, region)
    _refuse_regions(templates / version, files, catalog_product_id, destination)
    return Plan(
        destination,
        {name: files[name] for name in _upload_order(list(files))},
        templates,
        bucket_owner,
        catalog_product_id,
        tuple(targets),
    )


def publish_release(
    templates: Path,
    version: str,
    bucket: str,
    prefix: str,
    *,
    region: str | None = None,
    profile: str | None = None,
    force: bool = False,
    catalog_product_id: str | None = None,
    share_with: Sequence[str] = (),
    progress: Callable[[str], None] = lambda message: None,
    bucket_owner: str | None = None,
) -> Release:
    """Publish ``templates/<version>/`` with an AWS session of its own (``profile``), to the
    bucket in its own region, and add it to a Service Catalog product if one is given, sharing
    the product's portfolio with each organization, organizational unit or account of
    ``share_with``. The bucket must belong to ``bucket_owner`` (default: the account the
    credentials are of; see :func:`publish`). Every failure is a :class:`PublishError` with one
    line for the user."""
    targets = _checked_options(
        bucket, prefix, version, region, share_with, bucket_owner, catalog_product_id
    )
    try:
        import boto3
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            NoCredentialsError,
            NoRegionError,
            ProfileNotFound,
        )
    except ImportError:
        raise PublishError(
            "publishing needs boto3: pip install 'boto3>=1.34,<2' (in a checkout of "
            "troposphere-fargate, python -m pip install -c constraints.txt '.[publish]' "
            "installs the versions it was tested with, as the README does)"
        ) from None

    files = read_version(templates, version)
    if region:  # before any AWS call
        destination = Destination(bucket, prefix, version, region)
        _refuse_regions(templates / version, files, catalog_product_id, destination)
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
        s3 = session.client("s3", region_name=region or session.region_name or "us-east-1")
        try:
            found = bucket_region(s3, bucket)
        except ClientError as exc:
            probe = Destination(bucket, prefix, version, region or "us-east-1")
            raise _s3_error(exc, probe) from None
        chosen = region or found or session.region_name or "us-east-1"
        if found and found != chosen:
            raise PublishError(
                f"bucket {bucket} is in {found}, not {chosen}: stacks fetch nested "
                "templates from the bucket in their own region; publish to a bucket there"
            )
        destination = Destination(bucket, prefix, version, chosen)
        if not region:
            _refuse_regions(templates / version, files, catalog_product_id, destination)
        if chosen != s3.meta.region_name:
            s3 = session.client("s3", region_name=chosen)
        owner = bucket_owner or _account_of(session, chosen)
        catalog = None
        if catalog_product_id:
            catalog = session.client("servicecatalog", region_name=chosen)
            # Before any upload: a version the product refuses would leave a launchable
            # root.yaml under a prefix the publish then reports as failed.
            check_catalog_version(catalog, catalog_product_id, destination)
        result = publish(s3, files, destination, force=force, progress=progress, owner=owner)
        result.templates = templates
        release = Release(destination, result)
        if catalog_product_id:
            release.catalog = add_to_catalog(catalog, catalog_product_id, destination)
            if targets:
                release.portfolio = catalog_portfolio(catalog, catalog_product_id)
                for _, target in targets:
                    release.shares[target] = share_portfolio(catalog, release.portfolio, target)
    except NoCredentialsError:
        raise PublishError(
            "no AWS credentials found: run `aws configure`, pass --profile, or set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        ) from None
    except ProfileNotFound:
        raise PublishError(f"AWS profile {profile!r} is not configured") from None
    except NoRegionError:
        raise PublishError("no AWS region: pass --region") from None
    except BotoCoreError as exc:
        raise PublishError(f"AWS request failed: {exc}") from None
    return release
