"""The application spec file: a spec using every key reads into the expected config, each bad
spec gets its one-line error at the right file, line and key, and the JSON Schema and reference
derived from the same table agree with the parser."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.support import small_templates
from troposphere_fargate.layers.application import (
    Application,
    EgressRule,
    HealthCheck,
    PolicyCondition,
    PolicyStatement,
    Secret,
    Sidecar,
    TaskRole,
)
from troposphere_fargate.layers.blocks import (
    CIDR_PATTERN,
    INGRESS_CIDR_PATTERN,
    PREFIX_LENGTHS,
    VPC_PREFIX_LENGTHS,
)
from troposphere_fargate.layers.config import (
    FARGATE_TASK_SIZES,
    LOAD_BALANCER_TYPES,
    EnvironmentConfig,
    NetworkConfig,
    ProductConfig,
    ServiceConfig,
)
from troposphere_fargate.layers.deployment import DEPLOYMENT_STRATEGIES, DeploymentSettings
from troposphere_fargate.layers.exposure import Routing
from troposphere_fargate.layers.health import (
    HEALTH_CHECK_INTERVALS,
    HEALTH_CHECK_TIMEOUTS,
    TargetHealth,
)
from troposphere_fargate.layers.queue_scaling import QueueScaling
from troposphere_fargate.layers.schedules import ScheduledScaling
from troposphere_fargate.release import build
from troposphere_fargate.release.spec import (
    ENVIRONMENT_EXAMPLE_SPEC,
    EXAMPLE_SPEC,
    SPEC,
    SpecError,
    key_line,
    load_spec,
    parse_spec,
    spec_docs,
    spec_keys,
    spec_markdown,
    spec_schema,
)

OTEL_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel/collector:0.98.0"
DATABASE_URL = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:url::"
API_KEY = "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key"
KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
WEB_ACL = (
    "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/web/a1b2c3d4-5678-90ab-cdef-111122223333"
)

EXPECTED = ProductConfig(
    network=NetworkConfig(
        max_azs=3,
        default_azs=2,
        vpc_cidr="10.0.0.0/16",
        public_subnet_cidrs=("10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"),
        private_subnet_cidrs=("10.0.32.0/19", "10.0.64.0/19", "10.0.96.0/19"),
        default_nat_gateways="PerAz",
        default_vpc_endpoints=False,
        interface_endpoints=("ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"),
        gateway_endpoints=("s3", "dynamodb"),
        default_flow_log_retention_days=365,
    ),
    service=ServiceConfig(
        container_name="web",
        default_container_port=8080,
        default_health_check_path="/healthz",
        default_task_cpu=512,
        default_task_memory=1024,
        default_desired_count=0,
        default_min_capacity=2,
        default_max_capacity=4,
        default_cpu_target=70,
        default_memory_target=80,
        default_requests_per_target=0,
        default_error_rate_alarm_percent=5,
        scaling_schedules=(
            ScheduledScaling(
                name="office-hours",
                schedule="cron(0 8 ? * MON-FRI *)",
                min_capacity=4,
                timezone="Europe/Paris",
            ),
            ScheduledScaling(
                name="evening",
                schedule="cron(0 19 ? * MON-FRI *)",
                min_capacity=2,
                max_capacity=4,
                timezone="UTC",
            ),
        ),
        queue_scaling=QueueScaling(queue="orders", messages_per_task=100),
        default_capacity_provider="FARGATE",
        default_cpu_architecture="X86_64",
        default_load_balancer_type="application",
        default_log_retention_days=365,
        default_deletion_protection=True,
        default_enable_execute_command=False,
        default_health_check_grace_period_seconds=60,
        default_deregistration_delay_seconds=30,
        target_health=TargetHealth(
            interval_seconds=10,
            timeout_seconds=5,
            healthy_threshold=2,
            unhealthy_threshold=3,
            success_codes="200-399",
            port=8081,
        ),
        deployment=DeploymentSettings(strategy="CANARY"),
        default_alarm_topic_arn="arn:aws:sns:eu-west-1:123456789012:ops-alarms",
        default_allowed_ingress_cidr="0.0.0.0/0",
        default_web_acl_arn=WEB_ACL,
        tls_policy="ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        application=Application(
            environment=(("LOG_LEVEL", "info"), ("WORKERS", "4")),
            secrets=(Secret("DATABASE_URL", DATABASE_URL), Secret("API_KEY", API_KEY)),
            secrets_kms_key=KMS_KEY,
            task_role=TaskRole(
                managed_policies=("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",),
                statements=(
                    PolicyStatement(
                        actions=("sqs:SendMessage",),
                        resources=("arn:aws:sqs:eu-west-1:123456789012:orders",),
                        effect="Allow",
                        conditions=(
                            PolicyCondition(
                                "StringEquals", "aws:SourceVpce", ("vpce-0123456789abcdef0",)
                            ),
                            PolicyCondition("Bool", "aws:SecureTransport", ("true",)),
                        ),
                    ),
                ),
            ),
            egress=(
                EgressRule(
                    port=5432, security_group="sg-0123456789abcdef0", description="PostgreSQL"
                ),
                EgressRule(port=6379, to_port=6380, protocol="tcp", cidr="10.1.0.0/16"),
                EgressRule(port=8125, protocol="udp", prefix_list="pl-0123456789abcdef0"),
            ),
            sidecars=(
                Sidecar(
                    name="otel",
                    image=OTEL_IMAGE,
                    essential=False,
                    port=4317,
                    environment=(("OTEL_LOG_LEVEL", "warn"),),
                    secrets=(
                        Secret(
                            "OTLP_TOKEN",
                            "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/otlp-token",
                        ),
                    ),
                    command=("--config=/etc/otel/config.yaml",),
                    health_check=HealthCheck(
                        command=("CMD", "/healthcheck"),
                        interval_seconds=30,
                        timeout_seconds=5,
                        retries=3,
                        start_period_seconds=5,
                    ),
                    user="10001",
                ),
            ),
            health_check=HealthCheck(
                command=("CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"),
                interval_seconds=30,
                timeout_seconds=5,
                retries=3,
                start_period_seconds=10,
            ),
            command=("gunicorn", "app:app"),
            entry_point=("/usr/bin/tini", "--"),
            ephemeral_storage_gib=40,
            stop_timeout_seconds=60,
            user="1000:1000",
        ),
    ),
)


def differences(actual: Any, expected: Any, path: str = "") -> list[str]:
    """Field by field, where two configs differ (so a failure names the field)."""
    if dataclasses.is_dataclass(expected) and type(actual) is type(expected):
        return [
            difference
            for f in dataclasses.fields(expected)
            for difference in differences(
                getattr(actual, f.name), getattr(expected, f.name), f"{path}.{f.name}"
            )
        ]
    if isinstance(expected, tuple) and isinstance(actual, tuple) and len(actual) == len(expected):
        return [
            difference
            for index, (a, e) in enumerate(zip(actual, expected, strict=True))
            for difference in differences(a, e, f"{path}[{index}]")
        ]
    return [] if actual == expected else [f"{path}: {actual!r} != {expected!r}"]


def yaml_key_paths(value: Any, path: str = "") -> set[str]:
    """The key paths a YAML document uses, as the table names them (``services.<name>...``)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            named = "<name>" if path == "services" else key
            child = f"{path}.{named}" if path else named
            if not path.endswith((".environment", ".secrets", ".conditions")):
                found.add(child)
                found |= yaml_key_paths(item, child)
    elif isinstance(value, list):
        for item in value:
            found |= yaml_key_paths(item, f"{path}[]")
    return {p for p in found if not p.endswith("<name>")}


# --- A good spec ---------------------------------------------------------------------------------


def test_the_two_examples_use_every_key_of_the_table():
    table = {path for path, _ in spec_keys()}
    examples = (EXAMPLE_SPEC, ENVIRONMENT_EXAMPLE_SPEC)
    used = set().union(*(yaml_key_paths(yaml.safe_load(e)) for e in examples))
    # A list of listener rules has the keys of one rule (the table shows them once).
    assert {path.replace(".routing[].", ".routing.") for path in used} == table


def test_the_environment_example_loads_into_an_environment_of_four_services():
    config = parse_spec(ENVIRONMENT_EXAMPLE_SPEC, "app.yaml")
    assert config.environment == EnvironmentConfig(
        default_domain_name="shop.example.com",
        default_hosted_zone_id="Z0123456789ABCDEFGHIJ",
        default_web_acl_arn="arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/"
        "a1b2c3d4-5678-90ab-cdef-111122223333",
        default_https_only=True,
    )
    assert [(s.container_name, s.expose, s.routing) for s in config.services] == [
        ("web", "public", Routing(priority=100, path="/*")),
        (
            "api",
            "public",
            (
                Routing(priority=10, path="/v1/*", host="api.shop.example.com"),
                Routing(priority=11, path=("/graphql", "/graphql/*"), host="api.shop.example.com"),
            ),
        ),
        ("orders", "internal", None),
        ("worker", "none", None),
    ]
    assert [s.default_container_port for s in config.services] == [8080, 9000, 7000, 8080]
    assert config.service == ServiceConfig()  # the shipped service.yaml is not the app's


def test_one_service_without_expose_keeps_a_load_balancer_of_its_own():
    config = parse_spec("services:\n  web: {port: 9000}\n")
    assert config.services == ()
    assert config.service == ServiceConfig(container_name="web", default_container_port=9000)


@pytest.mark.parametrize(
    "spec",
    [
        "services:\n  web: {expose: public, routing: {path: /*, priority: 1}}\n",
        "environment: {deletion_protection: false}\nservices:\n  web: {expose: internal}\n"
        "  api: {expose: public, routing: {path: /*, priority: 1}}\n",
        "domain: {name: a.example.com, hosted_zone_id: Z1}\nservices:\n"
        "  w: {expose: public, routing: {path: /*, priority: 1}}\n",
    ],
    ids=["expose", "environment", "domain"],
)
def test_one_service_with_expose_a_domain_or_environment_settings_is_an_environment(spec):
    config = parse_spec(spec)
    assert config.services and all(service.expose is not None for service in config.services)


def test_example_loads_into_the_expected_config():
    config = parse_spec(EXAMPLE_SPEC, "app.yaml")
    assert differences(config, EXPECTED) == []
    assert config == EXPECTED


def test_load_spec_reads_a_file(tmp_path: Path):
    spec = tmp_path / "app.yaml"
    spec.write_text(EXAMPLE_SPEC)
    assert load_spec(spec) == EXPECTED


def test_load_spec_names_the_file_it_cannot_read(tmp_path: Path):
    missing = tmp_path / "missing.yaml"
    with pytest.raises(SpecError) as raised:
        load_spec(missing)
    assert str(raised.value) == f"{missing}: the file does not exist"
    with pytest.raises(SpecError) as raised:
        load_spec(tmp_path)
    assert str(raised.value) == f"{tmp_path}: a folder, not a spec file"
    latin = tmp_path / "latin-1.yaml"
    latin.write_bytes("services: {caf\xe9: {}}\n".encode("latin-1"))
    with pytest.raises(SpecError) as raised:
        load_spec(latin)
    # One wording for it in every command (a template's, a published file's): it was "cannot
    # read the spec: not UTF-8 text" here alone.
    assert str(raised.value) == f"{latin}: not a text file (it is not UTF-8)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            bytearray(b"services: {web: {}}\n"),
            "parse_spec(text) takes str, not bytearray: decode it, or load_spec(path) reads the "
            "file",
        ),
        (
            Path("app.yaml"),
            f"parse_spec(text) takes str, not {type(Path()).__name__}: load_spec(path) reads a "
            "spec file",
        ),
    ],
    ids=["bytearray", "path"],
)
def test_parse_spec_says_how_to_get_the_text_it_takes(text: Any, message: str):
    with pytest.raises(TypeError) as raised:
        parse_spec(text)
    assert str(raised.value) == message


def test_a_minimal_spec_takes_every_default_but_the_name():
    config = parse_spec("services:\n  api: {}\n")
    assert config == ProductConfig(service=ServiceConfig(container_name="api"))


def test_strings_that_yaml_would_read_otherwise_are_kept_when_quoted():
    config = parse_spec('services:\n  web:\n    environment: {DEBUG: "true", WORKERS: "4"}\n')
    assert config.service.application.environment == (("DEBUG", "true"), ("WORKERS", "4"))


# --- Bad specs: one line, the file, the line, the key path ---------------------------------------

SIDECAR = "{name: otel, image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel:1}"
SSM = "arn:aws:ssm:eu-west-1:123456789012:parameter"
# A statement to which a case adds its conditions (at line 8).
STATEMENT = (
    "services:\n  web:\n    task_role:\n      statements:\n"
    "        - actions: [sqs:SendMessage]\n"
    "          resources: [arn:aws:sqs:eu-west-1:123456789012:orders]\n"
    "          conditions:\n"
)

# id -> (spec, the error, whether the JSON Schema refuses it too: False when it takes it, or
# YAML does not read it)
_SURROGATE_SAID = (
    "half of a UTF-16 surrogate pair without its other half: no character (write the character "
    'itself, or both halves\' escapes, as JSON writes an emoji: "\\ud83d\\ude00")'
)

BAD_SPECS: dict[str, tuple[str, str, bool]] = {
    # A review: a control character anywhere, even in a comment (a terminal's colour codes
    # pasted with a command), was a ReaderError traceback in every --spec command. PyYAML's
    # reader refuses it before reading anything; the column counts characters (é is one).
    "a-colour-code-in-a-comment": (
        "services:\n  web:\n    port: 8080  # \u00e9\x1b[31mred\n",
        "app.yaml:3: invalid YAML: unacceptable character #x001b: special characters are not "
        "allowed (column 20; YAML takes printable characters only, in comments too: remove it)",
        False,
    ),
    # A review: "\uD800" made half of a surrogate pair, which the build failed on with a
    # UnicodeEncodeError traceback (an emoji as JSON's pair of escapes is one character:
    # test_a_pair_of_escapes_is_the_character_json_means).
    "half-a-surrogate-pair": (
        'services:\n  web:\n    environment: {A: "\\uD800"}\n',
        f"app.yaml:3: services.web.environment.A: the value holds U+D800, {_SURROGATE_SAID}",
        False,
    ),
    # A spec trial: each said what was wrong and not what to write.
    "tab": (
        "services:\n  web:\n\tport: 80\n",
        "app.yaml:3: invalid YAML: found character '\\t' that cannot start any token (while "
        "scanning for the next token); YAML indents with spaces, never tabs",
        False,
    ),
    # A review: a tab after a value was said to be indentation.
    "a-tab-after-a-value": (
        "services:\n  web:\n    port: 8080\t\n",
        "app.yaml:3: invalid YAML: found character '\\t' that cannot start any token (while "
        "scanning for the next token); YAML takes no tab there: remove it, or write spaces",
        False,
    ),
    "cpu-as-text": (
        "services:\n  web:\n    cpu: 1 vCPU\n",
        "app.yaml:3: services.web.cpu: expected an integer, got a string ('1 vCPU'): one of 256, "
        "512, 1024, 2048, 4096, 8192, 16384",
        True,
    ),
    # ECR's pull through cache, under the console's prefix ("Pulling an image with a pull
    # through cache rule in Amazon ECR", ECR User Guide): Docker Hub's official images take
    # library/.
    "sidecar-of-a-public-registry": (
        "services:\n  web:\n    sidecars:\n"
        "      - {name: dd, image: public.ecr.aws/datadog/agent:7}\n",
        "app.yaml:4: services.web.sidecars[0].image: 'public.ecr.aws/datadog/agent:7' is not a "
        "private ECR image with a tag or a digest "
        "(<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>); an image of "
        "public.ecr.aws reaches tasks without a public IP through an ECR pull through cache "
        "rule: <account>.dkr.ecr.<region>.amazonaws.com/ecr-public/datadog/agent:7 (the "
        "console's prefix), once you have pulled it yourself (the execution role may pull from "
        "the cache, not import into it)",
        True,
    ),
    "sidecar-of-docker-hub": (
        'services:\n  web:\n    sidecars:\n      - {name: web2, image: "nginx:1.27"}\n',
        "app.yaml:4: services.web.sidecars[0].image: 'nginx:1.27' is not a private ECR image "
        "with a tag or a digest (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>); "
        "an image of docker.io reaches tasks without a public IP through an ECR pull through "
        "cache rule: <account>.dkr.ecr.<region>.amazonaws.com/docker-hub/library/nginx:1.27 "
        "(the console's prefix), once you have pulled it yourself (the execution role may pull "
        "from the cache, not import into it)",
        True,
    ),
    "variables-for-every-service": (
        "environment: {LOG_LEVEL: info}\nservices:\n  web: {}\n",
        "app.yaml:1: environment.LOG_LEVEL: unknown key: environment: sets the shared load "
        "balancer; environment variables are each service's own (services.<name>.environment)",
        True,
    ),
    "merge-key": (
        "services:\n  web:\n    <<: {port: 9000}\n",
        "app.yaml:3: services.web: YAML merge keys (<<) are not supported: give the keys where "
        "they apply (an alias, *name, may stand for a whole value, such as an environment: "
        "mapping)",
        False,  # a YAML library that merges hands the schema a valid service
    ),
    "unknown-key": (
        "services:\n  web:\n    port: 80\n    helth_check_path: /x\n",
        "app.yaml:4: services.web.helth_check_path: unknown key (did you mean health_check_path?)",
        True,
    ),
    "unknown-top-level-key": (
        "servces:\n  web: {}\n",
        "app.yaml:1: servces: unknown key (did you mean services?)",
        True,
    ),
    # With no key like it, the keys it may have.
    "unknown-key-like-none": (
        "services:\n  web:\n    port: 80\n    zzz: 1\n",
        "app.yaml:4: services.web.zzz: unknown key; allowed: expose, routing, connect, "
        "app_protocol, port, "
        "health_check_path, cpu, memory, desired_count, min_capacity, max_capacity, cpu_target, "
        "memory_target, requests_per_target, error_rate_alarm, alarm_topic_arn, schedules, "
        "queue_scaling, "
        "capacity_provider, cpu_architecture, load_balancer, log_retention_days, "
        "deletion_protection, https_only, execute_command, health_check_grace_period, "
        "target_health, deployment, deregistration_delay, allowed_ingress_cidr, web_acl_arn, "
        "tls_policy, "
        "environment, secrets, secrets_kms_key, task_role, egress, sidecars, health_check, "
        "command, entrypoint, ephemeral_storage, stop_timeout, user",
        True,
    ),
    "wrong-type": (
        "services:\n  web:\n    port: '8080'\n",
        "app.yaml:3: services.web.port: expected an integer, got a string ('8080'): 1 to 65535",
        True,
    ),
    "wrong-type-list": (
        "services:\n  web:\n    command: gunicorn app:app\n",
        "app.yaml:3: services.web.command: expected a list, got a string ('gunicorn app:app')",
        True,
    ),
    "malformed-arn": (
        f"services:\n  web:\n    secrets:\n      API_KEY: {SSM}\n",
        f"app.yaml:4: services.web.secrets.API_KEY: '{SSM}' is not a Secrets Manager secret ARN "
        "(arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, "
        "optionally :<json-key>::) or an SSM parameter ARN "
        "(arn:<partition>:ssm:<region>:<account>:parameter/<name>): a parameter's ARN ends "
        "with parameter/<name>, a slash after parameter",
        True,
    ),
    "malformed-policy-arn": (
        "services:\n  web:\n    task_role:\n      managed_policies:\n"
        "        - arn:aws:iam::aws:policy/A\n        - AmazonS3ReadOnlyAccess\n",
        "app.yaml:6: services.web.task_role.managed_policies[1]: 'AmazonS3ReadOnlyAccess' is not "
        "an IAM managed policy ARN (arn:<partition>:iam::aws:policy/<name>, or "
        "arn:<partition>:iam::<account>:policy/<name> for one of your own)",
        True,
    ),
    "secret-in-another-partition": (
        f"services:\n  web:\n    secrets:\n      A: {SSM}/a\n"
        "      B: arn:aws-cn:ssm:cn-north-1:123456789012:parameter/b\n",
        "app.yaml:5: services.web.secrets.B: is in partition aws-cn while the other ARNs are in "
        "aws: every ARN must be in one partition: a stack runs in one",
        False,
    ),
    "sidecar-in-another-partition": (
        f"services:\n  web:\n    secrets:\n      A: {SSM}/a\n      B: {SSM}/b\n    sidecars:\n"
        "      - {name: otel, image: 123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/otel:1}\n",
        "app.yaml:7: services.web.sidecars[0].image: is in partition aws-cn while the other ARNs "
        "are in aws: every ARN must be in one partition: a stack runs in one",
        False,
    ),
    "duplicate-sidecar-name": (
        f"services:\n  web:\n    sidecars:\n      - {SIDECAR}\n      - {SIDECAR}\n",
        "app.yaml:5: services.web.sidecars[1].name: 'otel' is given twice (first at line 4)",
        False,
    ),
    "sidecar-named-like-the-service": (
        f"services:\n  otel:\n    sidecars:\n      - {SIDECAR}\n",
        "app.yaml:4: services.otel.sidecars[0].name: the service's own container has this name: "
        "every container of a task needs its own",
        False,
    ),
    "duplicate-yaml-key": (
        "services:\n  web:\n    port: 80\n    cpu: 256\n    port: 81\n",
        "app.yaml:5: services.web.port: duplicate key (first at line 3): YAML would keep only "
        "the last",
        False,
    ),
    "condition-operator": (
        f"{STATEMENT}            StringEqual: {{aws:SourceVpce: vpce-1}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.StringEqual: must be an "
        "IAM condition operator, such as StringEquals, ArnLike, IpAddress, Bool or Null (with "
        "IfExists at its end, ForAllValues: or ForAnyValue: before it) (did you mean "
        "StringEquals?)",
        True,
    ),
    "condition-null-if-exists": (
        f"{STATEMENT}            NullIfExists: {{aws:TokenIssueTime: true}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.NullIfExists: Null takes "
        "no IfExists (IAM)",
        True,
    ),
    "condition-key-without-service": (
        f"{STATEMENT}            StringEquals: {{SourceVpce: vpce-1}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.StringEquals.SourceVpce: "
        "must be a condition key, service:key, such as aws:SourceVpce or s3:prefix",
        True,
    ),
    "condition-without-a-value": (
        f"{STATEMENT}            StringEquals:\n              aws:RequestTag/public:\n",
        "app.yaml:9: services.web.task_role.statements[0].conditions.StringEquals."
        "aws:RequestTag/public: expected a value (text, as IAM compares it; '' for the empty "
        "text), got nothing (null)",
        True,
    ),
    "condition-bad-address": (
        f"{STATEMENT}            IpAddress:\n              aws:SourceIp:\n"
        "                - 10.0.0.0/8\n                - 300.1.1.1\n",
        "app.yaml:11: services.web.task_role.statements[0].conditions.IpAddress.aws:SourceIp[1]: "
        "must be an IPv4 or IPv6 address or CIDR block, such as 203.0.113.0/24 (got '300.1.1.1')",
        False,
    ),
    "condition-value-in-a-block": (
        f"{STATEMENT}            ArnEquals:\n              aws:SourceArn: |\n"
        "                arn:aws:sns:eu-west-1:123456789012:orders\n",
        "app.yaml:9: services.web.task_role.statements[0].conditions.ArnEquals.aws:SourceArn: "
        "holds a control character (a YAML block's newline?): IAM would match nothing (got "
        "'arn:aws:sns:eu-west-1:123456789012:orders\\n')",
        False,
    ),
    "condition-arn-that-is-no-arn": (
        f"{STATEMENT}            ArnEquals: {{aws:SourceArn: orders-topic}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.ArnEquals.aws:SourceArn: "
        "must be an ARN (IAM's * and ? wildcards allowed), * or a policy variable (got "
        "'orders-topic')",
        False,
    ),
    # A newcomer's trial: YAML 1.1's yes is taken as written, and the message said so without
    # naming it.
    "condition-bool-yes": (
        f"{STATEMENT}            Bool: {{aws:SecureTransport: yes}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.Bool.aws:SecureTransport: "
        "must be true, false or an IAM policy variable (${aws:MultiFactorAuthPresent}), as "
        "written (got 'yes')",
        False,
    ),
    "condition-date-yaml-cannot-make": (
        f"{STATEMENT}            DateLessThan: {{aws:CurrentTime: 2026-02-30}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.DateLessThan."
        "aws:CurrentTime: must be a date in ISO 8601 (2026-01-01, 2026-01-01T12:00:00Z) or "
        "epoch seconds (got '2026-02-30')",
        False,
    ),
    "environment-date-yaml-cannot-make": (
        "services:\n  web:\n    environment: {LAUNCH: 2026-02-30}\n",
        "app.yaml:3: services.web.environment.LAUNCH: invalid YAML value '2026-02-30': day is "
        "out of range for month (in quotes it is text)",
        False,
    ),
    "condition-value-with-a-yaml-tag": (
        f"{STATEMENT}            StringEquals: {{aws:x: !!float 10}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.StringEquals.aws:x: takes "
        "text as written, without a YAML tag (!!int)",
        False,
    ),
    "tag-its-constructor-cannot-make": (
        "services:\n  web:\n    execute_command: !!bool public\n",
        "app.yaml:3: services.web.execute_command: invalid YAML value: its tag !!bool asks for a "
        "boolean, which 'public' is not",
        False,
    ),
    "tagged-value-yaml-cannot-make": (
        "services:\n  web:\n    port: !!int abc\n",
        "app.yaml:3: services.web.port: invalid YAML value 'abc': invalid literal for int() with "
        "base 10: 'abc'",
        False,
    ),
    "condition-no-values": (
        f"{STATEMENT}            StringEquals: {{aws:SourceVpce: []}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.StringEquals.aws:SourceVpce: "
        "expected at least one value",
        True,
    ),
    "condition-key-twice": (
        f"{STATEMENT}            StringEquals:\n"
        "              {aws:SourceVpce: vpce-1, aws:sourcevpce: vpce-2}\n",
        "app.yaml:9: services.web.task_role.statements[0].conditions.StringEquals.aws:sourcevpce: "
        "is 'aws:SourceVpce' again (IAM reads condition keys case-insensitively): give all its "
        "values once",
        False,
    ),
    "condition-arn-in-another-partition": (
        f"{STATEMENT}            ArnEquals:\n"
        "              aws:SourceArn: arn:aws-cn:sns:cn-north-1:123456789012:orders\n",
        "app.yaml:9: services.web.task_role.statements[0].conditions.ArnEquals.aws:SourceArn: is "
        "in partition aws-cn while the other ARNs are in aws: every ARN must be in one partition: "
        "a stack runs in one",
        False,
    ),
    "queue-scaling-url-for-a-name": (
        "services:\n  worker:\n    queue_scaling:\n"
        "      queue: https://sqs.eu-west-1.amazonaws.com/123456789012/orders\n"
        "      messages_per_task: 100\n",
        "app.yaml:4: services.worker.queue_scaling.queue: "
        "'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' is not an SQS queue's name "
        "such as orders, not its URL or ARN (letters, digits, - and _, up to 80; .fifo at the "
        "end of a FIFO queue's): give its name, orders",
        True,
    ),
    "queue-scaling-without-a-task": (
        "services:\n  worker:\n    min_capacity: 0\n"
        "    queue_scaling: {queue: orders, messages_per_task: 100}\n",
        "app.yaml:3: services.worker.min_capacity: scaling on a queue needs a running task (the "
        "backlog per task divides by them)",
        True,
    ),
    "queue-scaling-without-messages-per-task": (
        "services:\n  worker:\n    queue_scaling: {queue: orders}\n",
        "app.yaml:3: services.worker.queue_scaling: missing messages_per_task (required)",
        True,
    ),
    "duplicate-managed-policy": (
        "services:\n  web:\n    task_role:\n      managed_policies:\n"
        "        - arn:aws:iam::aws:policy/A\n        - arn:aws:iam::aws:policy/A\n",
        "app.yaml:6: services.web.task_role.managed_policies[1]: 'arn:aws:iam::aws:policy/A' is "
        "given twice (first at line 5)",
        True,
    ),
    "port-out-of-range": (
        "services:\n  web:\n    egress:\n      - {port: 70000, cidr: 10.0.0.0/8}\n",
        "app.yaml:4: services.web.egress[0].port: 70000 is out of range: must be 1 to 65535",
        True,
    ),
    "secret-also-an-environment-variable": (
        "services:\n  web:\n    environment: {API_KEY: x}\n"
        f"    secrets:\n      API_KEY: {SSM}/k\n",
        "app.yaml:5: services.web.secrets.API_KEY: is also an environment variable",
        False,
    ),
    "egress-without-one-destination": (
        "services:\n  web:\n    egress:\n      - {port: 80, cidr: 10.0.0.0/8, security_group: "
        "sg-01234567}\n",
        "app.yaml:4: services.web.egress[0]: give exactly one of cidr, security_group or "
        "prefix_list (destination: ['cidr', 'security_group'])",
        True,
    ),
    "sidecar-port-taken-by-the-service": (
        "services:\n  web:\n    port: 4317\n    sidecars:\n      - name: otel\n"
        "        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel:1\n        port: 4317\n",
        "app.yaml:7: services.web.sidecars[0].port: is port: the application's container listens "
        "there",
        False,
    ),
    "gateway-endpoints-without-s3": (
        "network:\n  gateway_endpoints: [dynamodb]\nservices:\n  web: {}\n",
        "app.yaml:2: network.gateway_endpoints: must include s3: image layers come through it",
        True,
    ),
    # EC2 refuses an apostrophe in a rule's description (troposphere_fargate/cfn/limits.py).
    "egress-description-ec2-refuses": (
        "services:\n  web:\n    egress:\n      - {port: 5432, cidr: 10.0.0.0/8, description: "
        '"Bob\'s db"}\n',
        'app.yaml:4: services.web.egress[0].description: "Bob\'s db" is not letters, digits, '
        "spaces and ._-:/()#,@[]+=&;{}!$* only (no & in a rule that names a security group or "
        'prefix list; EC2 refuses others, such as "\'"), at most 255 characters',
        True,
    ),
    "same-egress-twice": (
        "services:\n  web:\n    egress:\n      - {port: 5432, cidr: 10.0.0.0/8}\n"
        "      - {port: 5432, cidr: 10.0.0.0/8, description: 'again: the same'}\n",
        "app.yaml:5: services.web.egress[1]: the same traffic as egress[0]; give each rule once",
        False,
    ),
    "sidecar-in-govcloud": (
        f"services:\n  web:\n    secrets: {{A: {SSM}/a}}\n    sidecars:\n"
        "      - {name: a, image: 123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/a:1}\n",
        "app.yaml:5: services.web.sidecars[0].image: is in partition aws-us-gov while the other "
        "ARNs are in aws: every ARN must be in one partition: a stack runs in one",
        False,
    ),
    "memory-that-does-not-suit-cpu": (
        "services:\n  web:\n    cpu: 512\n    memory: 512\n",
        "app.yaml:4: services.web.memory: Fargate takes 1024-4096 MiB (in steps of 1024) with "
        "cpu=512",
        True,
    ),
    "a-default-at-odds-with-a-given-value": (
        "services:\n  web:\n    max_capacity: 1\n",
        "app.yaml:3: services.web: min_capacity (default 2): exceeds max_capacity (1)",
        False,
    ),
    "network-without-nat-or-endpoints": (
        "network:\n  nat_gateways: None\nservices:\n  web: {}\n",
        "app.yaml:2: network.nat_gateways: needs vpc_endpoints on: without NAT gateways or "
        "endpoints the tasks cannot pull their image",
        True,
    ),
    "health-check-interval-out-of-ecs-limits": (
        "services:\n  web:\n    sidecars:\n      - name: otel\n"
        "        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel:1\n"
        "        health_check: {command: [CMD, x], interval: 1}\n",
        "app.yaml:6: services.web.sidecars[0].health_check.interval: 1 is out of range: must be "
        "5 to 300 (ECS's limits)",
        True,
    ),
    "missing-required-key": (
        "services:\n  web:\n    sidecars:\n      - {name: otel}\n",
        "app.yaml:4: services.web.sidecars[0]: missing image (required)",
        True,
    ),
    "bad-environment-name": (
        "services:\n  web:\n    environment:\n      1ST: x\n",
        "app.yaml:4: services.web.environment.1ST: '1ST' is not letters, digits and _, not "
        "starting with a digit",
        True,
    ),
    "empty-file": ("", "app.yaml:1: the spec is empty: it needs at least services:", True),
    "only-comments": (
        "# an application\n",
        "app.yaml:1: the spec is empty: it needs at least services:",
        True,
    ),
    "not-a-mapping": (
        "- web\n",
        "app.yaml:1: a spec is a mapping (key: value), got a list",
        True,
    ),
    "yaml-syntax-error": (
        "services:\n  web:\n    port: [8080\n",
        "app.yaml:4: invalid YAML: expected ',' or ']', but got '<stream end>' (while parsing a "
        "flow sequence)",
        False,
    ),
    "unquoted-value-ending-with-a-colon": (
        f"services:\n  web:\n    secrets:\n      URL: {DATABASE_URL}\n",
        "app.yaml:4: invalid YAML: mapping values are not allowed here; quote a value that holds "
        "': ' or ends with ':'",
        False,
    ),
    "yaml-tag": (
        "services:\n  web:\n    port: !Ref Port\n",
        "app.yaml:3: services.web.port: YAML tags such as !Ref are not supported",
        False,
    ),
    "python-tag": (
        "services:\n  web:\n    port: !!python/object/apply:os.system [echo]\n",
        "app.yaml:3: services.web.port: YAML tags such as !!python/object/apply:os.system are not "
        "supported",
        False,
    ),
    "no-services-key": (
        "network: {max_azs: 2}\n",
        "app.yaml:1: missing services (required)",
        True,
    ),
    "no-service": (
        "services: {}\n",
        "app.yaml:1: services: no service: name one, such as web: {port: 8080}",
        True,
    ),
    "several-services-without-expose": (
        "services:\n  web: {}\n  worker: {expose: none}\n",
        "app.yaml:2: services.web: a service of an environment says how it is reached: give "
        "expose (public, internal or none). A spec with several services, a domain or "
        "environment settings describes an environment",
        True,
    ),
    "a-domain-and-a-service-without-expose": (
        "domain: {name: shop.example.com, hosted_zone_id: Z1}\nservices:\n  web: {}\n",
        "app.yaml:3: services.web: a service of an environment says how it is reached: give "
        "expose (public, internal or none). A spec with several services, a domain or "
        "environment settings describes an environment",
        True,
    ),
    "a-public-service-without-routing": (
        "services:\n  web: {expose: public}\n  worker: {expose: none}\n",
        "app.yaml:2: services.web: routing (not given): a public service needs a listener "
        "rule (routing): a priority, and a path, a host or both",
        True,
    ),
    "two-rules-with-one-priority": (
        "services:\n  web: {expose: public, routing: {path: /*, priority: 5}}\n"
        "  api: {expose: public, routing: {path: /api/*, priority: 5}}\n",
        "app.yaml:3: services.api.routing.priority: the service web has it too: each listener "
        "rule needs a priority of its own",
        False,
    ),
    "a-path-routed-twice": (
        "services:\n  web: {expose: public, routing: {path: /*, priority: 5}}\n"
        "  api: {expose: public, routing: {path: /*, priority: 6}}\n",
        "app.yaml:3: services.api.routing.priority: the service web's rule (priority 5) matches "
        "every request this one does and is evaluated first, so this service would get none: "
        "give them different paths or hosts",
        False,
    ),
    "four-paths": (
        "services:\n  web:\n    expose: public\n    routing:\n      priority: 5\n"
        "      path: [/a, /b, /c, /d]\n",
        "app.yaml:6: services.web.routing.path: give 1 to 3 values, not 4",
        True,
    ),
    "a-path-twice-in-a-list": (
        "services:\n  web:\n    expose: public\n    routing:\n      priority: 5\n"
        "      path:\n        - /a\n        - /a\n",
        "app.yaml:8: services.web.routing.path[1]: '/a' is given twice (first at line 7)",
        True,
    ),
    "a-bad-host-in-a-list": (
        "services:\n  web:\n    expose: public\n    routing:\n      priority: 5\n"
        "      host:\n        - a.example.com\n        - A.example.com\n",
        "app.yaml:8: services.web.routing.host[1]: 'A.example.com' is not a lower-case host name "
        "such as api.example.com (or *.example.com)",
        True,
    ),
    "six-paths-and-hosts": (
        "services:\n  web:\n    expose: public\n    routing:\n      priority: 5\n"
        "      path: [/a, /b, /c]\n      host: [a.example.com, b.example.com, c.example.com]\n",
        "app.yaml:6: services.web.routing.path: the rule has 6 values in its paths and hosts; "
        "the load balancer takes 5 at most",
        False,
    ),
    "a-schedules-min-alone-above-the-max": (
        "services:\n  web:\n    max_capacity: 4\n    schedules:\n"
        '      - {name: peak, schedule: "cron(0 8 ? * MON-FRI *)", min: 6}\n',
        "app.yaml:5: services.web.schedules[0].min: exceeds max_capacity (4), which this "
        "schedule leaves in place: give it a maximum too",
        False,
    ),
    "a-schedule-name-with-a-space": (
        "services:\n  web:\n    schedules:\n"
        '      - {name: office hours, schedule: "cron(0 8 ? * MON-FRI *)", min: 3}\n',
        "app.yaml:4: services.web.schedules[0].name: 'office hours' is not 1-256 letters, "
        "digits, . _ or -, the first a letter or digit",
        True,
    ),
    "more-managed-policies-than-a-role-takes": (
        "services:\n  web:\n    task_role:\n      managed_policies:\n"
        + "".join(f"        - arn:aws:iam::123456789012:policy/p{i}\n" for i in range(21)),
        "app.yaml:5: services.web.task_role.managed_policies: 21 given; IAM attaches 20 managed "
        "policies per role at most (10 unless the account's quota was raised): merge some into "
        "statements",
        True,
    ),
    "a-network-key-at-its-default-beside-existing-vpc": (
        "network:\n  existing_vpc: true\n  azs: 2\nservices:\n  worker: {expose: none}\n",
        "app.yaml:3: network.azs: describes a network the build makes, and existing_vpc makes "
        "none: leave it out (the existing VPC has its own)",
        True,
    ),
    "an-existing-vpc-for-one-service-of-its-own": (
        "network: {existing_vpc: true}\nservices:\n  web: {port: 9000}\n",
        "app.yaml:1: network.existing_vpc: is for the services of an environment (a root that "
        "nests them): one service of its own deploys into an existing VPC as its service.yaml, "
        "which takes VpcId, PublicSubnetIds and PrivateSubnetIds",
        True,
    ),
    "an-environment-section-without-a-public-service": (
        "environment: {}\nservices:\n  web: {expose: internal}\n  worker: {expose: none}\n",
        "app.yaml:1: environment: no service is public, so the environment has no load "
        "balancer, and no use for this section (the domain, the allowed clients and the "
        "listeners are the load balancer's): leave it out, or make a service public",
        True,
    ),
    "one-service-without-expose-beside-an-empty-environment-section": (
        "environment: {}\nservices:\n  web: {port: 9000}\n",
        "app.yaml:3: services.web: a service of an environment says how it is reached: give "
        "expose (public, internal or none). A spec with several services, a domain or "
        "environment settings describes an environment",
        True,
    ),
    "an-empty-list-of-kms-keys": (
        "services:\n  web:\n    secrets:\n      DB: arn:aws:secretsmanager:eu-west-1:"
        "123456789012:secret:db-AbCdEf\n    secrets_kms_key: []\n",
        "app.yaml:5: services.web.secrets_kms_key: give one value at least",
        True,
    ),
    "a-host-of-a-list-outside-the-domain": (
        "domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\nservices:\n"
        "  api:\n    expose: public\n    routing:\n      priority: 5\n      host:\n"
        "        - shop.example.com\n        - api.example.com\n",
        "app.yaml:9: services.api.routing.host[1]: is not under the environment's domain "
        "shop.example.com: its certificate and alias records are made in that domain's hosted "
        "zone",
        False,
    ),
    "a-mapping-for-a-path": (
        "services:\n  api:\n    expose: public\n    routing: {priority: 5, path: {a: /api}}\n",
        "app.yaml:4: services.api.routing.path: expected a string or a list of strings, got a "
        "mapping",
        True,
    ),
    "a-host-too-long": (
        "services:\n  api:\n    expose: public\n    routing: {priority: 5, host: ["
        + "a" * 60
        + "."
        + "b" * 60
        + ".example.com]}\n",
        "app.yaml:4: services.api.routing.host[0]: is 133 characters long: 128 at most",
        True,
    ),
    "routing-without-expose": (
        "services:\n  api: {port: 8080, routing: {path: /api/*, priority: 5}}\n"
        "  worker: {expose: none}\n",
        "app.yaml:2: services.api: expose (not given): a service with a listener rule (routing) "
        "is public: give expose: public",
        True,
    ),
    "a-wildcard-inside-a-host": (
        "services:\n  api:\n    expose: public\n    routing: {priority: 5, host: "
        '"api-*.shop.example.com"}\n',
        "app.yaml:4: services.api.routing.host: 'api-*.shop.example.com' is not a lower-case "
        "host name such as api.example.com (or *.example.com): a wildcard is only allowed as the "
        "whole first label, such as *.example.com",
        True,
    ),
    "a-rule-on-a-worker": (
        "services:\n  worker: {expose: none, routing: {path: /*, priority: 5}}\n",
        "app.yaml:2: services.worker.routing: only a public service has a listener rule "
        "(expose='none')",
        True,
    ),
    "a-host-outside-the-domain": (
        "domain: {name: shop.example.com, hosted_zone_id: Z1}\nservices:\n"
        "  api: {expose: public, routing: {host: api.example.org, priority: 5}}\n",
        "app.yaml:3: services.api.routing.host: is not under the environment's domain "
        "shop.example.com: its certificate and alias records are made in that domain's hosted "
        "zone",
        False,
    ),
    "the-load-balancer-of-a-service-of-an-environment": (
        "services:\n  web: {expose: public, load_balancer: network, routing: {path: /*, "
        "priority: 5}}\n",
        "app.yaml:2: services.web.load_balancer: a service of an environment shares the "
        "environment's load balancer: always an application load balancer",
        True,
    ),
    "an-internal-service-name-that-is-no-dns-label": (
        "services:\n  Orders: {expose: internal}\n",
        "app.yaml:2: services.Orders: an internal service is called by this name through "
        "Service Connect: it must be a DNS label of lower-case letters, digits and hyphens, up "
        "to 63 characters",
        False,
    ),
    "a-domain-without-its-zone": (
        "domain: {name: shop.example.com}\nservices:\n  web: {expose: none}\n",
        "app.yaml:1: domain: missing hosted_zone_id (required)",
        True,
    ),
    "a-priority-out-of-range": (
        "services:\n  web: {expose: public, routing: {path: /*, priority: 50001}}\n",
        "app.yaml:2: services.web.routing.priority: 50001 is out of range: must be 1 to 50000",
        True,
    ),
    "a-service-without-a-mapping": (
        "services:\n  web:\n",
        "app.yaml:2: services.web: expected a mapping ({} for all defaults), got nothing (null)",
        True,
    ),
    "a-target-utilization-above-90": (
        "services:\n  web:\n    cpu_target: 95\n",
        "app.yaml:3: services.web.cpu_target: 95 is out of range: must be 10 to 90, or 0 for off",
        True,
    ),
    "a-target-utilization-below-10-that-is-not-0": (
        "services:\n  web:\n    memory_target: 5\n",
        "app.yaml:3: services.web.memory_target: 5 is out of range: must be 10 to 90, or 0 for off",
        True,
    ),
    "a-port-on-a-worker": (
        "services:\n  worker:\n    expose: none\n    port: 9000\n",
        "app.yaml:4: services.worker.port: a service exposed 'none' has no use for it (a worker "
        "listens on no port): leave it out",
        True,
    ),
    "a-health-check-path-on-an-internal-service": (
        "services:\n  orders:\n    expose: internal\n    health_check_path: /health\n",
        "app.yaml:4: services.orders.health_check_path: a service exposed 'internal' has no use "
        "for it (it has no load balancer): leave it out",
        True,
    ),
    "a-port-on-a-worker-at-its-default": (
        "services:\n  worker:\n    expose: none\n    port: 8080\n",
        "app.yaml:4: services.worker.port: a service exposed 'none' has no use for it (a worker "
        "listens on no port): leave it out",
        True,
    ),
    "rolling-deployments-for-an-internal-service": (
        "services:\n  orders:\n    expose: internal\n    deployment: {strategy: ROLLING}\n",
        "app.yaml:4: services.orders.deployment: a service exposed 'internal' has no use for it "
        "(it has no load balancer): leave it out",
        True,
    ),
    "the-environments-load-balancer-type-on-a-public-service": (
        "services:\n  web:\n    expose: public\n    routing: {path: /*, priority: 1}\n"
        "    load_balancer: application\n",
        "app.yaml:5: services.web.load_balancer: a service exposed 'public' has no use for it (it "
        "shares the environment's load balancer): leave it out",
        True,
    ),
    # A service's name is its key: a refusal of the name is at the key's line, not at its
    # mapping's first key.
    "two-service-names-that-differ-only-in-case": (
        "services:\n  myapi:\n    expose: none\n  MyApi:\n    expose: none\n",
        "app.yaml:4: services.MyApi: the service myapi has this name but for its case: the build "
        "writes each service's template as service-<name>.yaml, and a file system that does not "
        "tell case apart (macOS's and Windows's by default) keeps one of the two files; DNS "
        "names, which Service Connect calls services by, do not either (RFC 4343)",
        False,
    ),
    # The partition check of a sidecar's image built a Sidecar, whose refusal was "cannot read
    # the spec: Sidecar.image=...", with no line or key.
    "a-sidecar-image-of-a-china-region-on-the-commercial-host": (
        "services:\n  web:\n    sidecars:\n      - name: proxy\n"
        "        image: 123456789012.dkr.ecr.cn-north-1.amazonaws.com/proxy:1\n",
        "app.yaml:5: services.web.sidecars[0].image: the China regions' ECR host ends in "
        "amazonaws.com.cn, and only theirs",
        False,
    ),
    "two-service-names-of-one-logical-id": (
        "services:\n  orders-api:\n    expose: none\n  orders_api:\n    expose: none\n",
        "app.yaml:4: services.orders_api: its logical ID OrdersApi is the service orders-api's "
        "too: two names that differ only in punctuation or in the case of their first letters "
        "cannot both be used",
        False,
    ),
    "a-key-that-is-not-a-name": (
        "services:\n  web:\n    8080: x\n",
        # In quotes it is a name (then refused as no key of a service, as any other).
        "app.yaml:3: services.web: keys must be names, got an integer (8080): write it in "
        'quotes ("8080") so YAML reads it as a name',
        True,
    ),
    # The build's refusals the schema says too: each key's own rule (its values, a list's
    # length), and the rules across a mapping's keys it can say (memory for a cpu).
    "azs-beyond-any-template": (
        "network:\n  azs: 4\nservices:\n  web: {}\n",
        "app.yaml:2: network.azs: must be between 2 and max_azs (3)",
        True,
    ),
    "azs-beyond-max-azs": (
        "network:\n  max_azs: 2\n  azs: 3\nservices:\n  web: {}\n",
        "app.yaml:3: network.azs: must be between 2 and max_azs (2)",
        True,
    ),
    "a-vpc-cidr-too-wide": (
        "network:\n  vpc_cidr: 10.0.0.0/8\nservices:\n  web: {}\n",
        "app.yaml:2: network.vpc_cidr: prefix length must be between /16 and /28",
        True,
    ),
    "a-vpc-cidr-with-a-netmask": (
        "network:\n  vpc_cidr: 10.0.0.0/255.255.0.0\nservices:\n  web: {}\n",
        "app.yaml:2: network.vpc_cidr: write it as 10.0.0.0/16",
        True,
    ),
    "a-subnet-cidr-that-is-no-cidr": (
        "network:\n  private_subnet_cidrs: [10.0.32.0/19, 10.0.64.0/19, private]\nservices:\n  "
        "web: {}\n",
        "app.yaml:2: network.private_subnet_cidrs[2]: not a valid IPv4 CIDR block (Expected "
        "4 octets in 'private')",
        True,
    ),
    "four-subnet-cidrs": (
        "network:\n  public_subnet_cidrs: [10.0.0.0/22, 10.0.4.0/22, 10.0.8.0/22, "
        "10.0.12.0/22]\nservices:\n  web: {}\n",
        "app.yaml:2: network.public_subnet_cidrs: needs one CIDR per subnet: 4 given, and a "
        "network has 3 subnets of each kind at most",
        True,
    ),
    "two-subnet-cidrs-for-three-azs": (
        "network:\n  public_subnet_cidrs: [10.0.0.0/22, 10.0.4.0/22]\nservices:\n  web: {}\n",
        "app.yaml:2: network.public_subnet_cidrs: needs one CIDR per subnet, max_azs (3), not 2",
        True,
    ),
    "interface-endpoints-without-logs": (
        "network:\n  interface_endpoints: [ecr.api, ecr.dkr]\nservices:\n  web: {}\n",
        "app.yaml:2: network.interface_endpoints: must include logs: without them a task in "
        "a subnet with no NAT gateway cannot pull its image or write its logs",
        True,
    ),
    "an-ingress-cidr-without-a-prefix": (
        "services:\n  web:\n    allowed_ingress_cidr: 203.0.113.7\n",
        "app.yaml:3: services.web.allowed_ingress_cidr: write it as 203.0.113.7/32",
        True,
    ),
    "an-egress-cidr-without-a-prefix": (
        "services:\n  web:\n    egress:\n      - {port: 5432, cidr: 10.1.2.3}\n",
        "app.yaml:4: services.web.egress[0].cidr: write it as 10.1.2.3/32",
        True,
    ),
    "a-health-check-path-with-a-space": (
        "services:\n  web:\n    health_check_path: /health check\n",
        "app.yaml:3: services.web.health_check_path: has a character ELB takes in no health "
        "check path, ' ': letters, digits and -@:%_+.~?&/= only; percent-encode it (%20)",
        True,
    ),
    "a-health-check-path-without-a-slash": (
        "services:\n  web:\n    health_check_path: healthz\n",
        "app.yaml:3: services.web.health_check_path: must be a URL path starting with /",
        True,
    ),
    "a-health-check-path-too-long": (
        "services:\n  web:\n    health_check_path: /" + "%20" * 342 + "\n",
        "app.yaml:3: services.web.health_check_path: is 1027 characters: a health check path "
        "takes 1,024 at most",
        True,
    ),
    "memory-that-does-not-suit-the-default-cpu": (
        "services:\n  web:\n    memory: 4096\n",
        "app.yaml:3: services.web.memory: Fargate takes 512-2048 MiB (in steps of 512) with "
        "cpu=256",
        True,
    ),
    "a-cpu-whose-sizes-do-not-take-the-default-memory": (
        "services:\n  web:\n    cpu: 1024\n",
        "app.yaml:3: services.web: memory (default 512): Fargate takes 2048-8192 MiB (in "
        "steps of 1024) with cpu=1024",
        True,
    ),
    "a-domain-too-long-for-a-certificate": (
        "domain: {name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.shop.example.com, "
        "hosted_zone_id: Z1}\nservices:\n  web: {expose: public, routing: {path: /*, priority: "
        "1}}\n",
        "app.yaml:1: domain.name: is 67 characters: the certificate the stack makes for it "
        "takes 64 (ACM); leave the default empty and give DomainName with CertificateArn "
        "when deploying",
        True,
    ),
    "a-timeout-not-shorter-than-the-interval": (
        "services:\n  web:\n    target_health: {interval: 5, timeout: 5}\n",
        "app.yaml:3: services.web.target_health.timeout: must be one of 2, 3, 4 (shorter than "
        "interval 5; ELB's default, up to 6 seconds, needs a longer interval)",
        True,
    ),
    # Not "or 0 for ELB's default": a spec's timeout takes no 0, it is left out (a review).
    "a-timeout-not-shorter-than-a-long-interval": (
        "services:\n  web:\n    target_health: {interval: 10, timeout: 15}\n",
        "app.yaml:3: services.web.target_health.timeout: must be one of 2, 3, 4, 5, 6 (shorter "
        "than interval 10), or left out for ELB's default (up to 6 seconds)",
        True,
    ),
    # Not "(default 0)": 0 stands for ELB's default in the config, and the docs say "Left out"
    # (a review).
    "a-short-interval-with-elbs-default-timeout": (
        "services:\n  web:\n    target_health: {interval: 5}\n",
        "app.yaml:3: services.web.target_health: timeout (not given): ELB's default (up to 6 "
        "seconds) is not shorter than interval 5: give one of 2, 3, 4",
        True,
    ),
    "ten-sidecars": (
        "services:\n  web:\n    sidecars:\n"
        + "".join(f"      - {SIDECAR.replace('otel,', f's{i},')}\n" for i in range(10)),
        "app.yaml:4: services.web.sidecars: at most 9: ECS takes 10 containers per task "
        "definition, the application's own included",
        True,
    ),
    # "Scheduled actions per scalable target: 200", not adjustable (Quotas for Application
    # Auto Scaling, https://docs.aws.amazon.com/autoscaling/application/userguide/
    # application-auto-scaling-quotas.html).
    "201-schedules": (
        "services:\n  web:\n    schedules:\n"
        + "".join(f"      - {{name: s{i}, schedule: 'rate(1 day)', min: 1}}\n" for i in range(201)),
        "app.yaml:4: services.web.schedules: at most 200: Application Auto Scaling takes 200 "
        "scheduled actions per scalable target, and no quota increase raises it",
        True,
    ),
    "a-statement-without-actions": (
        "services:\n  web:\n    task_role:\n      statements:\n        - {actions: [], "
        "resources: ['*']}\n",
        "app.yaml:5: services.web.task_role.statements[0].actions: must not be empty",
        True,
    ),
    "a-health-check-command-without-cmd": (
        "services:\n  web:\n    health_check: {command: [curl, -f, http://localhost/]}\n",
        "app.yaml:3: services.web.health_check.command: must start with CMD or CMD-SHELL and "
        "a command",
        True,
    ),
    "a-schedule-without-min-or-max": (
        'services:\n  web:\n    schedules:\n      - {name: peak, schedule: "cron(0 8 ? * '
        'MON-FRI *)"}\n',
        "app.yaml:4: services.web.schedules[0]: min (not given): give min, max or both",
        True,
    ),
    "a-rule-without-path-or-host": (
        "services:\n  web: {expose: public, routing: {priority: 5}}\n",
        "app.yaml:2: services.web.routing: path (not given): give a path, a host or both",
        True,
    ),
    "an-ampersand-in-a-rule-to-a-security-group": (
        "services:\n  web:\n    egress:\n      - {port: 5432, security_group: "
        "sg-0123456789abcdef0, description: a & b}\n",
        "app.yaml:4: services.web.egress[0].description: must be letters, digits, spaces and "
        "._-:/()#,@[]+=&;{}!$* only (no & in a rule that names a security group or prefix "
        'list; EC2 refuses others, such as "\'"), at most 255 characters',
        True,
    ),
    "connect-on-an-internal-service": (
        "services:\n  orders: {expose: internal, connect: true}\n",
        "app.yaml:2: services.orders.connect: is for a public service: an internal service "
        "is served through Service Connect always",
        True,
    ),
    # ECS serves a port by an application protocol through Service Connect only (PortMapping,
    # appProtocol: "This parameter only applies to Service Connect").
    "an-app-protocol-on-a-worker": (
        "services:\n  jobs: {expose: none, app_protocol: http}\n  b: {expose: none}\n",
        "app.yaml:2: services.jobs.app_protocol: is for a service served through Service "
        "Connect: a worker listens on no port",
        True,
    ),
    "an-app-protocol-on-a-public-service-without-connect": (
        "services:\n  web: {expose: public, routing: {path: /*, priority: 1}, "
        "app_protocol: http2}\n",
        "app.yaml:2: services.web.app_protocol: is for a service served through Service "
        "Connect: a public service is served through Service Connect only with connect: true",
        True,
    ),
    "an-app-protocol-on-a-service-of-its-own": (
        "services:\n  web: {app_protocol: grpc}\n",
        "app.yaml:2: services.web.app_protocol: is for a service served through Service "
        "Connect: a service of its own is in no environment (the shipped service.yaml takes "
        "ServiceConnectAppProtocol when it joins one)",
        True,
    ),
    "an-app-protocol-ecs-does-not-take": (
        "services:\n  orders: {expose: internal, app_protocol: tcp}\n  b: {expose: none}\n",
        "app.yaml:2: services.orders.app_protocol: 'tcp' is not one of http, http2, grpc",
        True,
    ),
    "a-service-name-too-long-for-an-environment": (
        "services:\n  " + "a" * 65 + ": {expose: none}\n  b: {expose: none}\n",
        "app.yaml:2: services."
        + "a" * 65
        + ": a service of an environment has a name of at most 64 characters: the root's names for "
        "its parameters, rules and outputs start with it, and CloudFormation takes names of "
        "255",
        True,
    ),
    # A mutation test of spec.py: each case below is the one that tells a check from its
    # absence (or from a near miss, such as a bound off by one or a hint on the wrong value).
    "a-line-break-in-a-variable-name": (
        'services:\n  web:\n    environment: {"A\\nB": x}\n',
        "app.yaml:3: services.web.environment.A B: 'A\\nB' is not letters, digits and _, not "
        "starting with a digit",
        True,
    ),
    "an-impossible-date-of-40-characters": (
        "services:\n  web:\n    port: 2026-02-30T10:00:00.12345678901234+01:00\n",
        "app.yaml:3: services.web.port: invalid YAML value "
        "'2026-02-30T10:00:00.12345678901234+01:00': day is out of range for month (in quotes "
        "it is text)",
        False,
    ),
    "a-tagged-list-of-condition-values": (
        f"{STATEMENT}            StringEquals: {{aws:SourceVpce: !!python/tuple [a, b]}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.StringEquals."
        "aws:SourceVpce: YAML tags such as !!python/tuple are not supported",
        False,
    ),
    "a-condition-value-of-tilde": (
        f"{STATEMENT}            StringEquals: {{aws:SourceVpce: ~}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.StringEquals."
        "aws:SourceVpce: expected a value (text, as IAM compares it; '' for the empty text), got "
        "nothing (null)",
        True,
    ),
    "a-condition-key-given-twice": (
        f"{STATEMENT}            StringEquals:\n"
        "              aws:SourceVpce: vpce-1\n              aws:SourceVpce: vpce-2\n",
        "app.yaml:10: services.web.task_role.statements[0].conditions.StringEquals."
        "aws:SourceVpce: duplicate key (first at line 9): YAML would keep only the last",
        False,
    ),
    "a-condition-key-in-another-case": (
        f"{STATEMENT}            StringEquals:\n"
        "              {aws:SourceVpce: vpce-1, AWS:SourceVpce: vpce-2}\n",
        "app.yaml:9: services.web.task_role.statements[0].conditions.StringEquals."
        "AWS:SourceVpce: is 'aws:SourceVpce' again (IAM reads condition keys "
        "case-insensitively): give all its values once",
        False,
    ),
    "a-condition-operator-with-text": (
        f"{STATEMENT}            StringEquals: vpce-1\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.StringEquals: expected a "
        "mapping of condition keys to values, got a string ('vpce-1')",
        True,
    ),
    "a-condition-operator-without-keys": (
        f"{STATEMENT}            StringEquals: {{}}\n",
        "app.yaml:8: services.web.task_role.statements[0].conditions.StringEquals: needs a "
        "condition key and its values",
        True,
    ),
    "a-quoted-port-with-a-leading-zero": (
        'services:\n  web:\n    port: "0700"\n',
        "app.yaml:3: services.web.port: expected an integer, got a string ('0700'): 1 to 65535",
        True,
    ),
    "a-port-of-true": (
        "services:\n  web:\n    port: true\n",
        "app.yaml:3: services.web.port: expected an integer, got a boolean (true): 1 to 65535",
        True,
    ),
    "a-canary-percent-of-true": (
        "services:\n  web:\n    deployment: {strategy: CANARY, canary_percent: true}\n",
        "app.yaml:3: services.web.deployment.canary_percent: expected a number, got a boolean "
        "(true)",
        True,
    ),
    "a-canary-percent-not-in-tenths": (
        "services:\n  web:\n    deployment: {strategy: CANARY, canary_percent: 5.05}\n",
        "app.yaml:3: services.web.deployment.canary_percent: 5.05 must be 0.1 to 100 in steps of "
        "0.1",
        False,  # the schema gives the range (0.1 to 100), not the steps
    ),
    "deletion-protection-of-1": (
        "services:\n  web:\n    deletion_protection: 1\n",
        "app.yaml:3: services.web.deletion_protection: expected true or false, got an integer (1)",
        True,
    ),
    "a-health-check-path-of-null": (
        "services:\n  web:\n    health_check_path: ~\n",
        "app.yaml:3: services.web.health_check_path: expected a string, got nothing (null)",
        True,
    ),
    "an-architecture-in-lower-case": (
        "services:\n  web:\n    cpu_architecture: x86_64\n",
        "app.yaml:3: services.web.cpu_architecture: 'x86_64' is not one of X86_64, ARM64 (did "
        "you mean X86_64?)",
        True,
    ),
    # The keys a word of expose rules out are judged for a word it takes only.
    "a-misspelt-expose-and-a-shared-key": (
        "services:\n  web:\n    expose: publik\n    load_balancer: network\n",
        "app.yaml:3: services.web.expose: 'publik' is not one of public, internal, none",
        True,
    ),
    "a-rule-path-of-null": (
        "services:\n  web:\n    expose: public\n    routing: {path: ~, priority: 1}\n",
        "app.yaml:4: services.web.routing.path: expected a string or a list of strings, got "
        "nothing (null)",
        True,
    ),
    "an-empty-list-of-rules": (
        "services:\n  web:\n    expose: public\n    routing: []\n",
        "app.yaml:4: services.web.routing: give one at least",
        True,
    ),
    "a-tagged-rule": (
        "services:\n  web:\n    expose: public\n    routing: !Ref rule\n",
        "app.yaml:4: services.web.routing: YAML tags such as !Ref are not supported",
        False,
    ),
    "a-second-rules-host-outside-the-domain": (
        "domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\n"
        "services:\n  web:\n    expose: public\n    routing:\n"
        "      - {host: a.shop.example.com, priority: 1}\n"
        "      - {host: a.other.com, priority: 2}\n",
        "app.yaml:7: services.web.routing[1].host: is not under the environment's domain "
        "shop.example.com: its certificate and alias records are made in that domain's hosted "
        "zone",
        False,
    ),
    "a-wildcard-host-in-upper-case": (
        "services:\n  web:\n    expose: public\n"
        '    routing: {host: "*.Example.com", priority: 1}\n',
        "app.yaml:4: services.web.routing.host: '*.Example.com' is not a lower-case host name "
        "such as api.example.com (or *.example.com)",
        True,
    ),
    "a-question-mark-in-a-host": (
        "services:\n  web:\n    expose: public\n"
        '    routing: {host: "a?.example.com", priority: 1}\n',
        "app.yaml:4: services.web.routing.host: 'a?.example.com' is not a lower-case host name "
        "such as api.example.com (or *.example.com): a wildcard is only allowed as the whole "
        "first label, such as *.example.com",
        True,
    ),
    "an-unquoted-wildcard-host": (
        "services:\n  web:\n    expose: public\n    routing: {host: *.example.com, priority: 1}\n",
        "app.yaml:4: invalid YAML: expected alphabetic or numeric character, but found '.' "
        '(while scanning an alias); quote a value that begins with *, such as "*.example.com"',
        False,
    ),
    "environment-variables-as-text": (
        "services:\n  web:\n    environment: LOG_LEVEL=info\n",
        "app.yaml:3: services.web.environment: expected a mapping (name: value), got a string "
        "('LOG_LEVEL=info')",
        True,
    ),
    "queue-scaling-of-null": (
        "services:\n  web:\n    queue_scaling: ~\n",
        "app.yaml:3: services.web.queue_scaling: expected a mapping, got nothing (null)",
        True,
    ),
    # A review: "did you mean command?" was said of the top level's key.
    "a-key-of-another-section": (
        "services:\n  web:\n    domain: shop.example.com\n",
        "app.yaml:3: services.web.domain: unknown key: domain is a key of the top level",
        True,
    ),
    "a-key-of-a-section-within": (
        "services:\n  web:\n    unhealthy_threshold: 3\n",
        "app.yaml:3: services.web.unhealthy_threshold: unknown key: unhealthy_threshold is a "
        "key of services.<name>.target_health",
        True,
    ),
    # A review: "write it in quotes ("no")" was said, and "no" is no choice either.
    "expose-no": (
        "services:\n  web:\n    expose: no\n",
        "app.yaml:3: services.web.expose: expected a string, got a boolean (no): one of public, "
        "internal, none",
        True,
    ),
    # A required key whose value was refused is not said to be missing too.
    "a-health-check-command-of-a-number": (
        "services:\n  web:\n    health_check: {command: [CMD, 5]}\n",
        "app.yaml:3: services.web.health_check.command[1]: expected a string, got an integer "
        '(5): write it in quotes ("5") so YAML reads it as text',
        False,
    ),
    # The domain sets the environment's fields: what the config refuses of them is at it.
    "a-domain-without-a-public-service": (
        "services:\n  worker: {expose: none}\ndomain:\n  name: shop.example.com\n"
        "  hosted_zone_id: Z0123456789ABCDEFGHIJ\n",
        "app.yaml:4: domain.name: no service is public, so the environment has no load "
        "balancer, and no use for this (the domain, the allowed clients and the listeners are "
        "the load balancer's): leave it out, or make a service public",
        True,
    ),
    # The stack's own partition is no partition of its own, and other services' ARNs are
    # theirs: the odd one out is the one of this service's usual partition.
    "an-arn-of-another-partition-among-the-stacks-own": (
        "services:\n  web:\n    secrets:\n"
        "      A: arn:${AWS::Partition}:ssm:eu-west-1:123456789012:parameter/a\n"
        "      B: arn:${AWS::Partition}:ssm:eu-west-1:123456789012:parameter/b\n"
        "      C: arn:aws:ssm:eu-west-1:123456789012:parameter/c\n"
        "      D: arn:aws-cn:ssm:cn-north-1:123456789012:parameter/d\n",
        "app.yaml:7: services.web.secrets.D: is in partition aws-cn while the other ARNs are in "
        "aws: every ARN must be in one partition: a stack runs in one",
        False,
    ),
    "an-arn-of-another-partition-in-the-second-service": (
        "services:\n  a:\n    expose: none\n    secrets:\n"
        "      A: arn:aws-cn:ssm:cn-north-1:123456789012:parameter/a\n"
        "      B: arn:aws-cn:ssm:cn-north-1:123456789012:parameter/b\n"
        "      C: arn:aws-cn:ssm:cn-north-1:123456789012:parameter/c\n"
        "  b:\n    expose: none\n    secrets:\n"
        "      D: arn:aws:ssm:eu-west-1:123456789012:parameter/d\n"
        "      E: arn:aws:ssm:eu-west-1:123456789012:parameter/e\n"
        "      F: arn:aws-cn:ssm:cn-north-1:123456789012:parameter/f\n",
        "app.yaml:13: services.b.secrets.F: is in partition aws-cn while the other ARNs are in "
        "aws: every ARN must be in one partition: a stack runs in one",
        False,
    ),
    "a-spec-of-null": ("~\n", "app.yaml:1: the spec is empty: it needs at least services:", True),
    "an-interface-endpoint-twice": (
        "network:\n  interface_endpoints: [ecr.api, ecr.dkr, logs, logs]\nservices:\n  web: {}\n",
        "app.yaml:2: network.interface_endpoints[3]: 'logs' is given twice (first at line 2)",
        True,
    ),
    "a-gateway-endpoint-twice": (
        "network:\n  gateway_endpoints: [s3, s3]\nservices:\n  web: {}\n",
        "app.yaml:2: network.gateway_endpoints[1]: 's3' is given twice (first at line 2)",
        True,
    ),
}


@pytest.mark.parametrize("case", BAD_SPECS, ids=list(BAD_SPECS))
def test_a_bad_spec_gets_one_line_naming_file_line_and_key(case: str):
    text, message, _ = BAD_SPECS[case]
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)
    assert isinstance(raised.value, ValueError)


def _spec_with_a_stray_key_in_every_section() -> tuple[str, list[str]]:
    """A spec with the key ``stray`` in every mapping of keys the spec's table has (each
    service's sidecars, health check, schedules, ...), and the key paths where it is."""
    root: dict[str, Any] = {}
    paths = []
    for section, _ in SPEC.sections(""):
        at: dict[str, Any] = root
        where = ""
        for part in section.split(".") if section else []:
            name = "web" if part == "<name>" else part.removesuffix("[]")
            if part.endswith("[]"):
                at = at.setdefault(name, [{}])[0]
                where += f".{name}[0]" if where else f"{name}[0]"
            else:
                at = at.setdefault(name, {})
                where += f".{name}" if where else name
        at["stray"] = 1
        paths.append(f"{where}.stray" if where else "stray")
    return yaml.safe_dump(root, sort_keys=False), paths


def test_every_unknown_key_is_reported_at_once_one_line_each_in_file_order():
    """Fixing a spec one typo per run is slow: every unknown key, in every section of the
    table, is named on its own line before anything else is read."""
    text, paths = _spec_with_a_stray_key_in_every_section()
    assert len(paths) >= 15  # the table's sections: top level, network, each service's
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    lines = str(raised.value).splitlines()
    unknown = re.compile(r"app\.yaml:(\d+): (\S+): unknown key( \(did you mean \w+\?\)$|; allowed)")
    found = [unknown.match(line) for line in lines]
    assert all(found), lines
    assert sorted(m.group(2) for m in found if m) == sorted(paths)
    numbers = [int(m.group(1)) for m in found if m]
    assert numbers == sorted(numbers)
    for number in numbers:
        assert text.splitlines()[number - 1].strip().startswith(("stray:", "- stray:"))


def test_unknown_keys_come_before_other_problems_and_the_command_prints_each(
    tmp_path: Path, capsys
):
    from troposphere_fargate import cli

    spec = tmp_path / "app.yaml"
    spec.write_text(
        "services:\n  web:\n    port: x\n    prot: 80\n    sidecars:\n"
        "      - {name: otel, imgae: y}\n"
    )
    output = tmp_path / "build"
    assert cli.main(["build", "--spec", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": unknown key")[0] for line in err] == [
        f"troposphere-fargate: error: {spec}:4: services.web.prot",
        f"troposphere-fargate: error: {spec}:6: services.web.sidecars[0].imgae",
    ]
    assert "did you mean port?" in err[0] and "did you mean image?" in err[1]
    assert not output.exists()
    spec.write_text("services:\n  web:\n    port: x\n")  # the keys fixed, the next problem
    assert cli.main(["build", "--spec", str(spec), "--output", str(output)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"troposphere-fargate: error: {spec}:3: services.web.port: expected an integer, "
        "got a string ('x'): 1 to 65535"
    ]


def test_every_bad_condition_and_every_name_given_twice_is_said_at_once():
    """A review: of two bad conditions in one statement, or two names each given twice, one was
    said per run (the next only once the first was mended). An operator refused is not read
    further: its keys would only repeat that it is wrong."""
    text = (
        f"{STATEMENT}            StringEquls: {{aws:SourceVpce: vpce-1}}\n"
        "            StringLike: {nokey: x, aws:userid: [], AWS:UserId: y}\n"
        "            Bool: {aws:SecureTransport: [[true]]}\n"
        "    sidecars:\n"
        f"      - {SIDECAR}\n      - {SIDECAR}\n"
        f"      - {SIDECAR.replace('otel', 'proxy')}\n      - {SIDECAR.replace('otel', 'proxy')}\n"
        f"      - {SIDECAR}\n"
    )
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    conditions = "app.yaml:{}: services.web.task_role.statements[0].conditions.{}: {}"
    assert str(raised.value).splitlines() == [
        conditions.format(
            8,
            "StringEquls",
            "must be an IAM condition operator, such as StringEquals, ArnLike, IpAddress, Bool "
            "or Null (with IfExists at its end, ForAllValues: or ForAnyValue: before it) (did "
            "you mean StringEquals?)",
        ),
        conditions.format(
            9,
            "StringLike.nokey",
            "must be a condition key, service:key, such as aws:SourceVpce or s3:prefix",
        ),
        conditions.format(9, "StringLike.aws:userid", "expected at least one value"),
        conditions.format(
            9,
            "StringLike.AWS:UserId",
            "is 'aws:userid' again (IAM reads condition keys case-insensitively): give all its "
            "values once",
        ),
        conditions.format(
            10,
            "Bool.aws:SecureTransport[0]",
            "expected a value (text, as IAM compares it; '' for the empty text), got a list",
        ),
        "app.yaml:13: services.web.sidecars[1].name: 'otel' is given twice (first at line 12)",
        "app.yaml:15: services.web.sidecars[3].name: 'proxy' is given twice (first at line 14)",
        "app.yaml:16: services.web.sidecars[4].name: 'otel' is given twice (first at line 12)",
    ]


def test_a_condition_or_a_name_given_twice_is_said_with_the_other_problems():
    """A review: an operator or a condition key written twice in the same spelling, and a
    sidecar name given twice beside a sidecar refused for another reason, each hid the other
    problems until mended."""
    text = (
        f"{STATEMENT}            StringEquls: {{aws:SourceVpce: vpce-1}}\n"
        "            Bool: {aws:SecureTransport: 'true', aws:SecureTransport: 'false'}\n"
        "            Bool: {aws:SecureTransport: 'true'}\n"
        "    sidecars:\n"
        f"      - {SIDECAR}\n      - {SIDECAR}\n      - {{name: x, image: nope}}\n"
    )
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    where = "app.yaml:{}: services.web.{}: {}"
    conditions = "task_role.statements[0].conditions"
    expected = [
        where.format(8, f"{conditions}.StringEquls", "must be an IAM condition operator"),
        where.format(9, f"{conditions}.Bool.aws:SecureTransport", "duplicate key (first at"),
        where.format(10, f"{conditions}.Bool", "duplicate key (first at line 9)"),
        where.format(13, "sidecars[1].name", "'otel' is given twice (first at line 12)"),
        where.format(14, "sidecars[2].image", "'nope' is not a private ECR image"),
    ]
    lines = str(raised.value).splitlines()
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_every_credential_in_an_environment_is_refused_at_its_line_in_one_run():
    """A security review: ``AWS_SECRET_ACCESS_KEY`` in a container's environment fails AWS
    Security Hub's ECS.8, and anyone allowed ecs:DescribeTaskDefinition reads it. A sidecar's
    and the service's are said at once (the sidecar's hid the service's until mended)."""
    text = (
        "services:\n  web:\n    environment:\n      LOG_LEVEL: info\n"
        "      AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE\n    sidecars:\n"
        f"      - {SIDECAR[:-1]}, environment: {{aws_secret_access_key: x}}}}\n"
    )
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    why = (
        "is a credential, which the task definition would show to anyone allowed "
        "ecs:DescribeTaskDefinition (AWS Security Hub ECS.8): the task role gives the container "
        "its AWS credentials (task_role); a credential of another system goes in secrets"
    )
    assert str(raised.value).splitlines() == [
        f"app.yaml:5: services.web.environment.AWS_ACCESS_KEY_ID: {why}",
        f"app.yaml:7: services.web.sidecars[0].environment.aws_secret_access_key: {why}",
    ]


def test_load_spec_names_the_file_in_errors(tmp_path: Path):
    spec = tmp_path / "app.yaml"
    spec.write_text("services:\n  web:\n    port: 0\n")
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    assert (
        str(raised.value) == f"{spec}:3: services.web.port: 0 is out of range: must be 1 to 65535"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("4", "an integer (4)"),
        ("0.5", "a number (0.5)"),
        ("yes", "a boolean (yes)"),
        ("true", "a boolean (true)"),
        ("2024-01-01", "a date (2024-01-01)"),
    ],
)
@pytest.mark.parametrize("where", ["service", "sidecar"])
def test_environment_values_that_are_not_strings_are_refused(value: str, shown: str, where: str):
    environment = f"environment: {{WORKERS: {value}}}"
    if where == "service":
        text, line, path = f"services:\n  web:\n    {environment}\n", 3, "services.web"
    else:
        text = (
            "services:\n  web:\n    sidecars:\n      - name: otel\n"
            "        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel:1\n"
            f"        {environment}\n"
        )
        line, path = 6, "services.web.sidecars[0]"
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value) == (
        f"app.yaml:{line}: {path}.environment.WORKERS: expected a string, got {shown}: write it "
        f'in quotes ("{value}") so YAML reads it as text'
    )


# --- The table, the schema and the reference agree ---------------------------------------------


def test_every_key_sets_a_field_of_its_config_and_is_required_when_the_field_is():
    for path, key in spec_keys():
        section = next(s for p, s in SPEC.sections("") if f"{p}.{key.name}".lstrip(".") == path)
        fields = {f.name: f for f in dataclasses.fields(_owner(section.cls, key.target))}
        name = key.config_field.rsplit(".", 1)[-1]
        assert name in fields, f"{path} sets {key.config_field}: no such field"
        field = fields[name]
        has_default = (
            field.default is not dataclasses.MISSING
            or field.default_factory is not dataclasses.MISSING
        )
        # services is required although ProductConfig has a default: a spec is for an
        # application; a domain needs its name and its zone.
        exceptions = ("services", "domain.name", "domain.hosted_zone_id")
        assert key.required is (not has_default or path in exceptions), path


def _owner(cls: type, target: str) -> type:
    return Application if target.startswith("application.") else cls


@pytest.mark.parametrize(
    "cls",
    [
        NetworkConfig,
        ServiceConfig,
        Application,
        TaskRole,
        PolicyStatement,
        EgressRule,
        HealthCheck,
        Sidecar,
    ],
)
def test_every_config_field_has_a_key(cls: type):
    """A field added to a config without a key in the spec would be out of users' reach."""
    set_by_keys = {
        key.field_name
        for _, section in SPEC.sections("")
        for key in section.keys
        if _owner(section.cls, key.target) is cls
    }
    if cls is ServiceConfig:
        set_by_keys |= {"container_name", "application"}  # the service's name; its keys
    assert {f.name for f in dataclasses.fields(cls)} - set_by_keys == set()


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return spec_schema()


def test_the_schema_is_a_valid_draft_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_schema_accepts_the_example(schema):
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(EXAMPLE_SPEC))


@pytest.mark.parametrize(
    ("where", "key"),
    [
        ((), "servces"),
        (("services", "web"), "helth_check"),
        (("services", "web", "sidecars", 0), "cpu"),
    ],
)
def test_the_schema_refuses_an_unknown_key(schema, where, key):
    document = yaml.safe_load(EXAMPLE_SPEC)
    target = document
    for part in where:
        target = target[part]
    target[key] = 1
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert [error.message for error in errors] == [
        f"Additional properties are not allowed ('{key}' was unexpected)"
    ]


def test_the_schema_takes_0_for_off_and_10_to_90_for_a_target_utilization(schema):
    document = yaml.safe_load(EXAMPLE_SPEC)
    validator = jsonschema.Draft202012Validator(schema)
    web = document["services"]["web"]
    for value, valid in ((0, True), (10, True), (90, True), (5, False), (91, False)):
        web["cpu_target"] = value
        assert validator.is_valid(document) is valid, value
        if valid:  # and the parser agrees (its refusals are BAD_SPECS' cases)
            parse_spec(yaml.safe_dump(document), "app.yaml")


@pytest.mark.parametrize("case", BAD_SPECS, ids=list(BAD_SPECS))
def test_the_schema_refuses_a_bad_spec_exactly_when_its_case_says_so(schema, case):
    """Both ways: a case said to be the schema's too is refused by it, and one said not to be
    is taken by it (only the build refuses it), or is no YAML a schema could judge."""
    text, _, refused = BAD_SPECS[case]
    try:
        document = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, KeyError):  # KeyError: PyYAML's, of !!bool public
        assert not refused, "YAML does not read it: there is nothing for the schema to refuse"
        return
    assert jsonschema.Draft202012Validator(schema).is_valid(document) is not refused


def _agree(validator: jsonschema.Draft202012Validator, text: str) -> tuple[bool, bool]:
    """Whether the schema takes the spec ``text``, and whether the build's parser does."""
    try:
        parse_spec(text, "app.yaml")
        parsed = True
    except SpecError:
        parsed = False
    return validator.is_valid(yaml.safe_load(text)), parsed


def _service(keys: str) -> str:
    return f"services:\n  web: {{{keys}}}\n"


DOMAIN = "{name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}"
PUBLIC = "{expose: public, routing: {path: /*, priority: 1}}"


@pytest.mark.parametrize(
    "text",
    [
        # Each size Fargate takes and others, with each cpu and with the default one (256).
        *(
            _service(f"cpu: {cpu}, memory: {memory}")
            for cpu in FARGATE_TASK_SIZES
            for memory in sorted(
                {0, 256, 500, *(m for s in FARGATE_TASK_SIZES.values() for m in s)}
            )
        ),
        *(_service(f"cpu: {cpu}") for cpu in FARGATE_TASK_SIZES),
        *(_service(f"memory: {memory}") for memory in (512, 1024, 2048, 3072)),
        # A timeout shorter than the interval, or ELB's default (the key left out) when shorter.
        *(
            _service(f"target_health: {{interval: {interval}{timeout}}}")
            for interval in HEALTH_CHECK_INTERVALS
            for timeout in ("", *(f", timeout: {t}" for t in HEALTH_CHECK_TIMEOUTS))
        ),
        # NumberOfAzs from 2 to max_azs, and a subnet CIDR for each zone.
        *(
            f"network: {{max_azs: {most}, azs: {azs}}}\nservices: {{web: {{}}}}\n"
            for most in (2, 3)
            for azs in range(5)
        ),
        "network: {max_azs: 2, public_subnet_cidrs: [10.0.0.0/22, 10.0.4.0/22]}\n"
        "services: {web: {}}\n",
        # CIDR blocks in CIDR notation only.
        *(
            _service(f"allowed_ingress_cidr: {cidr}")
            for cidr in (
                "0.0.0.0/0",
                "203.0.113.7/32",
                "203.0.113.7",
                "10.0.0.0/255.0.0.0",
                "10.0.0.0/08",
                "010.0.0.0/8",
                "256.0.0.0/8",
                "10.0.0.0/33",
            )
        ),
        *(
            f"network: {{vpc_cidr: {cidr}}}\nservices: {{web: {{}}}}\n"
            for cidr in ("10.0.0.0/16", "10.0.0.0/15", "10.0.0.0/016", "10.0.0.0/255.255.0.0")
        ),
        # ELB's health check paths.
        *(
            _service(f"health_check_path: '{path}'")
            for path in (
                "/",
                "/health-check?ready=1&x=%2F",
                "/" + "a" * 1023,
                "/" + "a" * 1024,
                "/" + "%20" * 341,
                "/" + "%20" * 342,
                "health",
                "/a b",
                "/%zz",
                "/a#b",
                "/é",
            )
        ),
        # Keys a service exposed so has no use for, and routing for a public service only.
        "services:\n  web: {expose: public, routing: {path: /*, priority: 1}, port: 9000}\n",
        "services:\n  web: {expose: public, routing: {path: /*, priority: 1}, tls_policy: x}\n",
        "services:\n  web: {expose: internal, port: 9000}\n",
        "services:\n  web: {expose: internal, target_health: {interval: 10}}\n",
        "services:\n  web: {expose: none, cpu: 512, memory: 1024}\n",
        "services:\n  web: {expose: public, connect: true, routing: {path: /*, priority: 1}}\n",
        "services:\n  web: {expose: public, connect: false, routing: {path: /*, priority: 1}}\n",
        "services:\n  web: {expose: internal, connect: false}\n",
        "services:\n  web: {connect: false}\n",
        # An application protocol for a service Service Connect serves only.
        *(
            f"services:\n  web: {{{exposure}, app_protocol: {protocol}}}\n"
            for protocol in ("http", "http2", "grpc")
            for exposure in (
                "expose: internal",
                "expose: none",
                "expose: public, connect: true, routing: {path: /*, priority: 1}",
                "expose: public, connect: false, routing: {path: /*, priority: 1}",
                "expose: public, routing: {path: /*, priority: 1}",
                "connect: false",
            )
        ),
        # Scaling on requests, Service Connect and several listener rules: with ROLLING
        # deployments only (the others move the tasks to the other target group, and shift the
        # traffic of one listener rule through the load balancer).
        *(
            _service(f"requests_per_target: {requests}, deployment: {{strategy: {strategy}}}")
            for strategy in DEPLOYMENT_STRATEGIES
            for requests in (0, 100)
        ),
        _service("requests_per_target: 100"),
        *(
            _service(
                f"expose: public, connect: {connect}, routing: {{path: /*, priority: 1}}, "
                f"deployment: {{strategy: {strategy}}}"
            )
            for strategy in DEPLOYMENT_STRATEGIES
            for connect in ("true", "false")
        ),
        *(
            _service(f"expose: public, routing: {routing}, deployment: {{strategy: {strategy}}}")
            for strategy in DEPLOYMENT_STRATEGIES
            for routing in (
                "{path: /a, priority: 1}",
                "[{path: /a, priority: 1}]",
                "[{path: /a, priority: 1}, {path: /b, priority: 2}]",
            )
        ),
        # AWS WAF, and scaling on requests, behind an application load balancer only.
        *(
            _service(f"load_balancer: {kind}{acl}")
            for kind in LOAD_BALANCER_TYPES
            for acl in ("", f", web_acl_arn: {WEB_ACL}", ", web_acl_arn: ''")
        ),
        *(
            _service(f"load_balancer: {kind}, requests_per_target: {requests}")
            for kind in LOAD_BALANCER_TYPES
            for requests in (0, 100)
        ),
        _service(f"web_acl_arn: {WEB_ACL}"),
        # A KMS key for the secrets, the service's or a sidecar's.
        *(
            _service(f"{key}{secrets}{sidecars}")
            for key in (f"secrets_kms_key: {KMS_KEY}", f"secrets_kms_key: [{KMS_KEY}]", "port: 80")
            for secrets in ("", ", secrets: {}", f", secrets: {{API_KEY: {API_KEY}}}")
            for sidecars in (
                "",
                f", sidecars: [{SIDECAR}]",
                f", sidecars: [{SIDECAR[:-1]}, secrets: {{}}}}]",
                f", sidecars: [{SIDECAR[:-1]}, secrets: {{AGENT_KEY: {API_KEY}}}}}]",
            )
        ),
        # Scaling on a queue keeps a task running: min_capacity, and each schedule's bounds.
        *(
            _service(f"min_capacity: {low}, desired_count: {low}{queue}")
            for low in (0, 1, 2)
            for queue in ("", ", queue_scaling: {queue: orders, messages_per_task: 10}")
        ),
        _service("queue_scaling: {queue: orders, messages_per_task: 10}"),
        *(
            _service(
                f"min_capacity: 1, max_capacity: 3{queue}, schedules: [{{name: night, "
                f"schedule: 'cron(0 20 * * ? *)', {bounds}}}]"
            )
            for bounds in ("min: 0", "min: 1", "min: 0, max: 0", "min: 1, max: 1", "max: 1")
            for queue in ("", ", queue_scaling: {queue: orders, messages_per_task: 10}")
        ),
        _service(
            "min_capacity: 1, queue_scaling: {queue: orders, messages_per_task: 10}, "
            "schedules: [{name: night, schedule: 'cron(0 20 * * ? *)', max: 0}]"
        ),
        # One service with expose is an environment too: its name is 64 characters at most
        # (a review: the schema held only several services or a section to it).
        f"services:\n  {'w' * 65}: {{expose: none}}\n",
        f"services:\n  {'w' * 64}: {{expose: none}}\n",
        f"services:\n  {'w' * 65}: {{}}\n",
        # An existing VPC is for the services of an environment (one service of its own takes
        # it as its service.yaml), and a domain or environment settings for a public service's
        # load balancer: the build refused them, the schema took them.
        *(
            f"{network}{section}services: {services}\n"
            for network in (
                "",
                "network: {existing_vpc: true}\n",
                "network: {existing_vpc: false}\n",
            )
            for section in (
                "",
                "environment: {}\n",
                "environment: {deletion_protection: true}\n",
                f"domain: {DOMAIN}\n",
            )
            for services in (
                "{web: {}}",
                "{web: {port: 80}, worker: {}}",
                "{web: {expose: none}}",
                "{web: {expose: internal}, worker: {expose: none}}",
                f"{{web: {PUBLIC}}}",
                f"{{web: {PUBLIC}, worker: {{expose: none}}}}",
            )
        ),
    ],
)
def test_the_schema_takes_what_the_build_takes_of_the_rules_it_says(schema, text):
    """The schema says these rules of the build's (a key's values, and across a mapping's keys
    the ones JSON Schema can say): it takes a spec exactly when the parser does, never more
    strictly."""
    in_schema, parsed = _agree(jsonschema.Draft202012Validator(schema), text)
    assert in_schema is parsed, text


@pytest.mark.parametrize("architecture", ["X86_64", "ARM64"])
def test_a_service_on_fargate_spot_may_run_either_architecture(schema, architecture):
    """Fargate Spot runs Graviton tasks: "FARGATE_SPOT supports Linux tasks with the ARM64
    architecture on platform version 1.4.0 or later" (ECS API Reference,
    CapacityProviderStrategyItem,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html;
    "Amazon ECS now supports AWS Graviton-based Spot compute with AWS Fargate", What's New,
    2024-09-06). The Developer Guide's "AWS Fargate capacity providers" bullet that says
    otherwise is stale: the schema and the build both take the pair."""
    text = _service(f"capacity_provider: FARGATE_SPOT, cpu_architecture: {architecture}")
    assert _agree(jsonschema.Draft202012Validator(schema), text) == (True, True)
    service = parse_spec(text, "app.yaml").service
    assert (service.default_capacity_provider, service.default_cpu_architecture) == (
        "FARGATE_SPOT",
        architecture,
    )


def test_the_references_examples_of_what_only_the_build_checks_are_not_the_schemas(schema):
    """docs/spec.md says what the build checks beyond the schema, by example. Memory for a cpu
    was one, until the schema said it too (an if/then for each cpu): the reference then named
    a check the editor does make. Its examples are comparisons the schema takes."""
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid(yaml.safe_load(_service("cpu: 512, memory: 512")))
    assert "`memory` for a `cpu`" not in spec_markdown()
    # The keys a value rules out or needs, which the reference says the schema does check.
    for text in (
        _service("requests_per_target: 100, deployment: {strategy: CANARY}"),
        _service(f"load_balancer: network, web_acl_arn: {WEB_ACL}"),
        _service("min_capacity: 0, queue_scaling: {queue: orders, messages_per_task: 10}"),
        _service(f"secrets_kms_key: {KMS_KEY}"),
        "network: {existing_vpc: true}\nservices: {web: {}}\n",
        f"domain: {DOMAIN}\nservices: {{web: {{expose: internal}}}}\n",
        "environment: {}\nservices: {web: {expose: none}}\n",
    ):
        assert _agree(validator, text) == (False, False), text
    for text in (
        _service("min_capacity: 3, max_capacity: 2"),  # min_capacity against max_capacity
        "network: {vpc_cidr: 10.1.0.0/16}\nservices: {web: {}}\n",  # subnets inside vpc_cidr
    ):
        assert _agree(validator, text) == (True, False), text


def test_the_cidr_patterns_take_the_prefix_lengths_the_config_takes():
    for low, high, pattern in (
        (*VPC_PREFIX_LENGTHS, CIDR_PATTERN),
        (*PREFIX_LENGTHS, INGRESS_CIDR_PATTERN),
    ):
        taken = [n for n in range(100) if re.fullmatch(pattern, f"10.0.0.0/{n}")]
        assert taken == list(range(low, high + 1))


def walk_schema(schema: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every object schema in the spec's schema, by its path in the table's terms."""
    found = []
    if schema.get("type") == "object":
        found.append((path, schema))
    for name, child in schema.get("properties", {}).items():
        found += walk_schema(child, f"{path}.{name}" if path else name)
    for child in schema.get("patternProperties", {}).values():
        found += walk_schema(child, f"{path}.<name>")
    if "items" in schema:
        found += walk_schema(schema["items"], f"{path}[]")
    for choice in schema.get("anyOf", []):
        # One value or a list of them (a service's routing): the docs show both at one path.
        found += walk_schema(choice.get("items", choice), path)
    return found


def test_every_schema_object_is_closed_and_every_property_described(schema):
    for path, obj in walk_schema(schema):
        assert obj["additionalProperties"] is False, path
        for name, prop in obj.get("properties", {}).items():
            assert prop.get("description"), f"{path}.{name}"


def test_every_default_the_schema_shows_is_a_value_the_key_takes(schema):
    """Editors offer a property's default as a value to write: target_health.timeout showed 0,
    which stands for ELB's default and which the key refuses (2 to 120)."""
    for path, obj in walk_schema(schema):
        for name, prop in obj.get("properties", {}).items():
            if "default" in prop:
                checked = {key: value for key, value in prop.items() if key != "default"}
                assert jsonschema.Draft202012Validator(checked).is_valid(prop["default"]), (
                    f"{path}.{name}"
                )


def test_the_schema_has_every_key_of_the_table_and_no_other(schema):
    in_schema = {
        f"{path}.{name}" if path else name
        for path, obj in walk_schema(schema)
        for name in obj.get("properties", {})
    }
    assert in_schema == {path for path, _ in spec_keys()}


def _patterns(schema: Any) -> list[str]:
    """Every regular expression of a schema: its patterns and its patternProperties' names."""
    if isinstance(schema, list):
        return [p for item in schema for p in _patterns(item)]
    if not isinstance(schema, dict):
        return []
    found = [schema["pattern"]] if isinstance(schema.get("pattern"), str) else []
    found += list(schema.get("patternProperties", {}))
    return found + [p for value in schema.values() for p in _patterns(value)]


def test_the_schema_takes_the_types_modules_patterns_in_a_portable_form(schema):
    text = json.dumps(schema)
    assert "(?P<" not in text  # Python's named groups; JSON Schema's regexes are ECMA-262
    # ECMA-262's unicode mode refuses an escape of a character that is not syntax, such as
    # the listener rule path's \"; Python, and ECMA-262 without it, read a quote alike.
    escaped_quote = re.compile(r'(?<!\\)(?:\\\\)*\\"')
    assert not [p for p in _patterns(schema) if escaped_quote.search(p)]
    secrets = schema["properties"]["services"]["patternProperties"]
    (service,) = secrets.values()
    pattern = service["properties"]["secrets"]["patternProperties"]
    (value,) = pattern.values()
    assert re.search(value["pattern"], DATABASE_URL)
    assert re.search(value["pattern"], API_KEY)
    assert not re.search(value["pattern"], SSM)


def test_the_reference_documents_every_key_in_its_section():
    markdown = spec_markdown()
    sections = dict(re.findall(r"\n## (.+)\n\n((?:\|.*\n)+)", markdown))
    for path, key in spec_keys():
        section = path.rsplit(".", 1)[0] if "." in path else None
        heading = f"`{section}`" if section else "Top level"
        assert f"| `{key.name}` |" in sections[heading], path
        assert key.target in sections[heading], path


def test_the_reference_shows_the_example():
    assert EXAMPLE_SPEC in spec_markdown()


def test_the_docs_are_deterministic_and_end_with_a_newline():
    docs = spec_docs()
    assert docs == spec_docs()
    assert set(docs) == {"spec.schema.json", "spec.md"}
    assert docs["spec.schema.json"] == json.dumps(spec_schema(), indent=2, sort_keys=True) + "\n"
    assert all(text.endswith("\n") and not text.endswith("\n\n") for text in docs.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "services:\n  web:\n    port: " + "9" * 5000 + "\n",
            r"app\.yaml:3: services\.web\.port: invalid YAML value '9{37}\.\.\.': Exceeds the "
            r"limit \(4300 digits\) for integer string conversion: value has 5000 digits \(in",
        ),
        ("services: " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
    ],
    ids=["a-huge-integer", "deep-nesting"],
)
def test_what_python_itself_cannot_read_is_a_one_line_spec_error(text: str, message: str):
    with pytest.raises(SpecError, match=message) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value).startswith("app.yaml") and "\n" not in str(raised.value)


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x0c", "\x7f", "\x80", "\ufffe", "\ud800"])
def test_a_character_yaml_does_not_take_is_one_line_at_its_line_and_column(character: str):
    # YAML 1.1 (what PyYAML reads), 5.1 Character Set: "c-printable" is tab, line feed,
    # carriage return, x20-x7E, x85, xA0-xD7FF, xE000-xFFFD and beyond xFFFF; a stream of
    # other characters is refused, comments included.
    text = f"services:\n  web:\n\n    port: 8080 # {character}\n"
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value).startswith(
        f"app.yaml:4: invalid YAML: unacceptable character #x{ord(character):04x}: "
    )
    assert "(column 18; YAML takes printable characters only" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_key_holding_half_a_surrogate_pair_is_named_at_its_line():
    text = 'services:\n  web:\n    environment:\n      "A\\uDC00": x\n'
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value) == (
        f"app.yaml:4: services.web.environment: the value holds U+DC00, {_SURROGATE_SAID}"
    )


@pytest.mark.parametrize("case", BAD_SPECS, ids=list(BAD_SPECS))
def test_the_command_writes_nothing_for_a_bad_spec(case: str, tmp_path: Path, capsys):
    from troposphere_fargate import cli

    (tmp_path / "app.yaml").write_text(BAD_SPECS[case][0])
    output = tmp_path / "build"
    assert cli.main(["build", "--spec", str(tmp_path / "app.yaml"), "--output", str(output)]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not output.exists()


def test_a_spec_build_never_writes_over_the_shipped_templates(tmp_path: Path, capsys, monkeypatch):
    from troposphere_fargate import cli

    monkeypatch.chdir(tmp_path)  # were it to write, it would write here, not in the checkout
    (tmp_path / "app.yaml").write_text("services:\n  web: {port: 8080}\n")
    for output in (
        [],
        ["--output", "templates"],
        ["--output", "./templates/"],
        ["--output", str(tmp_path / "templates")],
    ):
        assert cli.main(["build", "--spec", str(tmp_path / "app.yaml"), *output]) == 1, output
        assert capsys.readouterr().err.splitlines() == [
            "troposphere-fargate: error: build --spec needs --output, a folder for the "
            "application's build other than templates/ (it holds the shipped templates)"
        ]
    assert not (tmp_path / "templates").exists()


def test_a_spec_build_from_another_folder_never_writes_over_the_checkouts_templates(
    tmp_path: Path, capsys, monkeypatch
):
    """From the checkout's docs/, ``--output ../templates`` wrote the spec's templates over
    the shipped ones: only templates/ of the current folder was refused."""
    from troposphere_fargate import cli
    from troposphere_fargate.release import build

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build ran")

    monkeypatch.setattr(build, "build_release", never)  # were the guard to fail: no writing
    (tmp_path / "app.yaml").write_text("services:\n  web: {port: 8080}\n")
    repo = Path(cli.__file__).resolve().parent.parent
    monkeypatch.chdir(repo / "docs")
    assert (
        cli.main(["build", "--spec", str(tmp_path / "app.yaml"), "--output", "../templates"]) == 1
    )
    assert "it holds the shipped templates" in capsys.readouterr().err


def test_a_service_name_too_long_for_the_roots_names_is_one_line(tmp_path: Path, capsys):
    """A 250-character name made troposphere raise a traceback (parameter titles of 255 at
    most) and a 240-character one failed cfn-lint's E6011 (output names of 255)."""
    from troposphere_fargate import cli
    from troposphere_fargate.layers.config import MAX_MEMBER_NAME
    from troposphere_fargate.release.build import render_templates

    longest = "a" * MAX_MEMBER_NAME
    templates = render_templates(
        parse_spec(f"services:\n  {longest}: {{expose: none}}\n  b: {{expose: none}}\n")
    )
    names = [
        n
        for t in templates.values()
        for s in ("Parameters", "Rules", "Outputs")
        for n in t.get(s, {})
    ]
    assert max(len(n) for n in names) <= 255
    spec = tmp_path / "app.yaml"
    spec.write_text(f"services:\n  {longest}a: {{expose: none}}\n  b: {{expose: none}}\n")
    for command in (
        ["build", "--output", str(tmp_path / "out")],
        ["diagram", "-o", str(tmp_path / "out" / "x.dot")],
    ):
        assert cli.main([*command, "--spec", str(spec)]) == 1
        assert capsys.readouterr().err.splitlines() == [
            f"troposphere-fargate: error: {spec}:2: services.{longest}a: a service of an "
            f"environment has a name of at most {MAX_MEMBER_NAME} characters: the root's names "
            "for its parameters, rules and outputs start with it, and CloudFormation takes "
            "names of 255"
        ]
    assert not (tmp_path / "out").exists()


PORTABLE_SPEC = """\
services:
  web:
    secrets:
      DB_PASSWORD: >-
        arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db-AbCdEf
    task_role:
      managed_policies: ["arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/shop-web"]
      statements:
        - actions: [sqs:SendMessage]
          resources: ["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders"]
    sidecars:
      - {name: agent, image: "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/a:1"}
"""


def test_a_spec_may_name_the_stacks_own_partition_region_and_account(schema):
    # One spec for every account and region: the template substitutes them per stack
    # (tests/layers/test_application.py checks the substitution).
    config = parse_spec(PORTABLE_SPEC, "app.yaml")
    (secret,) = config.service.application.secrets
    assert secret.value_from.startswith("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:")
    assert config.partitions == frozenset()  # built for every partition's regions
    assert jsonschema.Draft202012Validator(schema).is_valid(yaml.safe_load(PORTABLE_SPEC))
    # Another pseudo parameter is not one the services' ARNs may name.
    other = PORTABLE_SPEC.replace("${AWS::AccountId}:secret", "${AWS::StackName}:secret")
    with pytest.raises(SpecError, match=r"app\.yaml:4: services\.web\.secrets\.DB_PASSWORD"):
        parse_spec(other, "app.yaml")


def test_condition_values_are_taken_as_written_not_as_yaml_reads_them():
    """IAM compares text: an account ID, true, a date or 010 unquoted is what it says. Read as
    YAML 1.1 values they were refused, or 010 became 8 and 1:30 became 90."""
    spec = (
        f"{STATEMENT}            StringEquals:\n"
        "              aws:ResourceAccount: [123456789012, 012345678901]\n"
        "              aws:RequestTag/public: yes\n"
        "            NumericLessThanEquals: {s3:max-keys: 010}\n"
        "            DateLessThan: {aws:CurrentTime: 2027-01-01}\n"
        "            DateGreaterThan: {aws:EpochTime: 1700000000}\n"
        "            Bool: {aws:SecureTransport: true}\n"
        "            StringLike: {s3:prefix: ['', 'home/']}\n"
    )
    (statement,) = parse_spec(spec, "app.yaml").service.application.task_role.statements
    assert [(c.operator, c.key, c.values) for c in statement.conditions] == [
        ("StringEquals", "aws:ResourceAccount", ("123456789012", "012345678901")),
        ("StringEquals", "aws:RequestTag/public", ("yes",)),
        ("NumericLessThanEquals", "s3:max-keys", ("010",)),
        ("DateLessThan", "aws:CurrentTime", ("2027-01-01",)),
        ("DateGreaterThan", "aws:EpochTime", ("1700000000",)),
        ("Bool", "aws:SecureTransport", ("true",)),
        ("StringLike", "s3:prefix", ("", "home/")),
    ]
    tagged = parse_spec(f"{STATEMENT}            StringEquals: {{aws:x: !!str 010}}\n", "app.yaml")
    (text,) = tagged.service.application.task_role.statements[0].conditions
    assert text.values == ("010",)  # a !!str is text
    # Null is YAML 1.1's null: as an operator, it is the text written.
    nulls = parse_spec(f"{STATEMENT}            Null: {{aws:TokenIssueTime: true}}\n", "app.yaml")
    (null,) = nulls.service.application.task_role.statements[0].conditions
    assert (null.operator, null.values) == ("Null", ("true",))
    with pytest.raises(SpecError, match=r"app\.yaml:8: .*NumericEquals\.s3:max-keys: must be a"):
        parse_spec(f"{STATEMENT}            NumericEquals: {{s3:max-keys: 1:30}}\n", "app.yaml")


def test_the_reference_names_every_file_a_spec_of_each_layout_builds():
    """docs/spec.md listed five files for a one-service spec; the build writes seven."""
    from troposphere_fargate.layers import layers_for

    layouts = next(
        part for part in spec_docs()["spec.md"].split("## ") if part.startswith("Layouts")
    )
    one, several = layouts.split("Several services", 1)
    for text, spec in (
        (one, "services:\n  web: {port: 8080}\n"),
        (several, 'services:\n  web: {expose: public, routing: {path: "/*", priority: 1}}\n'),
    ):
        for layer in layers_for(parse_spec(spec)):
            shown = (
                "service-<name>.yaml" if layer.filename.startswith("service-") else layer.filename
            )
            assert f"`{shown}`" in text, shown


@pytest.mark.lint
def test_the_warnings_of_a_spec_are_said_in_the_files_order(tmp_path: Path, capsys):
    # A review: the environment's warning (line 8) came before the service's (line 6): the
    # config lists the spec's own first. The errors come in the file's order.
    from troposphere_fargate import cli

    spec = tmp_path / "app.yaml"
    spec.write_text(
        "services:\n  web:\n    expose: public\n    routing: {path: /*, priority: 1}\n"
        "    health_check:\n      command: [CMD-SHELL, curl, -f, 'http://localhost:8080/']\n"
        "environment:\n  tls_policy: ELBSecurityPolicy-TLS13-1-2-Res-2021-07\n"
    )
    cli.main(["validate", "--spec", str(spec)])  # it lists the parameters it needs after them
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert [line.split(": ")[1] for line in warnings] == [f"{spec}:6", f"{spec}:8"]


def _lint_the_service_alone_as_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spec's service.yaml is built and linted as it is; the other templates, cut small
    (tests/support.py, small_templates), are not the test's question."""
    small = small_templates(build.render_templates, keep=("service",))
    monkeypatch.setattr(build, "render_templates", small)


def test_the_build_warns_of_a_worker_that_cannot_read_its_queue_and_builds_it(
    tmp_path: Path, capsys, monkeypatch
):
    from troposphere_fargate import __version__, cli

    _lint_the_service_alone_as_built(monkeypatch)
    spec = tmp_path / "app.yaml"
    worker = "services:\n  worker:\n    queue_scaling: {queue: orders, messages_per_task: 100}\n"
    spec.write_text(worker)
    output = tmp_path / "build"
    assert cli.main(["build", "--spec", str(spec), "--output", str(output), "-q"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {spec}:3: services.worker.queue_scaling: the service scales on the queue "
        "orders, but its task role has no statement allowing sqs:ReceiveMessage on it: unless "
        "the queue's own policy, or a managed policy (task_role.managed_policies, or the "
        "shipped service template's TaskRoleManagedPolicyArns), allows it, its tasks cannot "
        "read it. Add a statement to the "
        "task role with "
        "sqs:ReceiveMessage and sqs:DeleteMessage on "
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders"
    ]
    assert (output / __version__ / "service.yaml").is_file()  # said, not refused
    # With the statement it asks for, nothing to say (every command prints the warnings of the
    # spec's config, at their lines: cli._spec_config).
    allowed = parse_spec(
        worker + "    task_role:\n      statements:\n"
        "        - actions: [sqs:ReceiveMessage, sqs:DeleteMessage]\n"
        "          resources:\n"
        "            - arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders\n"
    )
    assert allowed.service.queue_scaling is not None and allowed.warnings == ()


def test_the_build_warns_of_a_tls_policy_elb_does_not_document_at_its_line(
    tmp_path: Path, capsys, schema, monkeypatch
):
    # A name of the shape of ELB's TLS 1.3 policies that ELB has no policy of: CreateListener
    # refuses it ("SSLPolicyNotFound: The specified SSL policy does not exist", Elastic Load
    # Balancing API Reference, CreateListener); it built without a word. Said, not refused: a
    # policy AWS adds later is taken (tests/layers/test_config.py), and so does the schema.
    from troposphere_fargate import __version__, cli

    _lint_the_service_alone_as_built(monkeypatch)
    spec = tmp_path / "app.yaml"
    text = "services:\n  web:\n    tls_policy: ELBSecurityPolicy-TLS13-1-2-Res-2021-07\n"
    spec.write_text(text)
    output = tmp_path / "build"
    assert cli.main(["build", "--spec", str(spec), "--output", str(output), "-q"]) == 0
    (warning,) = capsys.readouterr().err.splitlines()
    assert warning.startswith(
        f"warning: {spec}:3: services.web.tls_policy: ELBSecurityPolicy-TLS13-1-2-Res-2021-07 is "
        "none of the TLS 1.3 policies Elastic Load Balancing documented when this version was "
        "made (did you mean ELBSecurityPolicy-TLS13-1-2-Res-2021-06?)"
    )
    assert (output / __version__ / "service.yaml").is_file()
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))


def test_the_build_warns_of_a_health_check_command_that_most_likely_fails_at_its_line(
    tmp_path: Path, capsys, schema, monkeypatch
):
    # [CMD-SHELL, curl, -f, URL]: Docker runs /bin/sh -c curl -f URL, so curl runs without its
    # URL; [CMD, curl, ..., "||", ...]: curl gets || as an argument (the AWS and Docker
    # documentation: tests/layers/test_health_command.py, at its top). Valid
    # commands all the same: said at the key's line (a sidecar's by its index), built, and the
    # JSON Schema takes them.
    from troposphere_fargate import __version__, cli

    _lint_the_service_alone_as_built(monkeypatch)
    spec = tmp_path / "app.yaml"
    text = (
        "services:\n  web:\n    health_check:\n"
        "      command: [CMD-SHELL, curl, -f, 'http://localhost:8080/']\n"
        "    sidecars:\n"
        "      - name: otel\n"
        "        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel:1\n"
        "      - name: proxy\n"
        "        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/proxy:1\n"
        "        health_check:\n"
        "          command: [CMD, curl, -f, 'http://localhost:9901/', '||', exit, '1']\n"
    )
    spec.write_text(text)
    output = tmp_path / "build"
    assert cli.main(["build", "--spec", str(spec), "--output", str(output), "-q"]) == 0
    shell, operator = capsys.readouterr().err.splitlines()
    assert shell.startswith(
        f"warning: {spec}:4: services.web.health_check.command: CMD-SHELL runs only the string "
        "after it ('curl')"
    )
    assert shell.endswith(', write ["CMD-SHELL", "curl -f http://localhost:8080/"]')
    assert operator == (
        f"warning: {spec}:11: services.web.sidecars[1].health_check.command: CMD runs 'curl' "
        "without a shell, so '||' is only an argument to it, not an operator: put the whole "
        "command in one string after CMD-SHELL"
    )
    assert (output / __version__ / "service.yaml").is_file()
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("[CMD-SHELL, 'test -f \"$0\"', /tmp/ready]", False),
        ("[CMD, /bin/check, '&&']", True),
        ("[CMD, /opt/My App/check]", False),
        ("[CMD-SHELL, curl -f http://localhost/, '|| exit 1']", True),
    ],
)
def test_the_schema_takes_every_health_check_command_of_cmd_or_cmd_shell(command, warned, schema):
    # The schema refused these (maxItems 2 after CMD-SHELL, no space in CMD's program, no || or
    # && after CMD): valid commands; the build warns of the second and the last only.
    text = f"services:\n  web:\n    health_check: {{command: {command}}}\n"
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))
    service = parse_spec(text, "app.yaml").service
    assert service.application.health_check is not None
    warnings = [w for w in service.warnings if w.startswith("health_check.command: ")]
    assert len(warnings) == warned


def test_secrets_of_several_kms_keys_are_a_list_of_keys(schema):
    key = "arn:aws:kms:eu-west-1:123456789012:key/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
    other = key.replace("0b7a5e8c", "1c8b6f9d")
    text = (
        "services:\n  web:\n    secrets:\n      DB: arn:aws:secretsmanager:eu-west-1:"
        f"123456789012:secret:db-AbCdEf\n    secrets_kms_key: [{key}, {other}]\n"
    )
    config = parse_spec(text, "app.yaml")
    assert config.service.application.secrets_kms_keys == (key, other)
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))


@pytest.mark.parametrize(
    ("dotted", "line"),
    [
        ("services.web.schedules", 4),
        ("services.web.health_check_path", 3),  # left out: the service's line
        ("services.api", 6),
        ("domain", 1),
        ("environment", None),  # not in the spec at all
        ("services.web.schedules[0]", 5),  # an item of a list: its line
        ("services.web.schedules[0].min", 5),
        ("services.web.schedules[1].min", 4),  # no such item: the list's key
    ],
)
def test_a_warning_is_placed_at_its_keys_line_or_the_nearest_above(dotted, line):
    from troposphere_fargate.release.spec import key_line

    text = (
        "domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\n"
        "services:\n  web:\n    schedules:\n      - {name: a, schedule: 'cron(0 8 ? * * *)', "
        "min: 1}\n  api: {expose: internal}\n"
    )
    assert key_line(text, dotted) == line
    assert key_line("- a list\n", dotted) is None
    assert key_line("a: [\n", dotted) is None


def _refused(text: str) -> str:
    """The message of the SpecError a spec's text gets (as app.yaml)."""
    with pytest.raises(SpecError) as refused:
        parse_spec(text, "app.yaml")
    return str(refused.value)


def _places(message: str) -> list[list[str]]:
    """Where each line of a SpecError's message points: [file:line, key path]."""
    return [line.split(": ")[:2] for line in message.splitlines()]


def test_every_value_the_spec_refuses_is_named_in_one_run():
    # A user trial fixed one error per run. Keys, services, list items and map entries are
    # read on after one is refused; each line names its own place.
    text = (
        "services:\n"
        "  web:\n"
        "    port: 99999\n"
        "    cpu: 3\n"
        "    environment: {1BAD: x, ALSO-BAD: y}\n"
        "    schedules:\n"
        '      - {name: a, schedule: "cron(0 8 ? * * *)", min: -1}\n'
        '      - {name: b, schedule: "nightly", min: 1}\n'
        "  api:\n"
        "    memory: x\n"
    )
    assert _places(_refused(text)) == [
        ["app.yaml:3", "services.web.port"],
        ["app.yaml:4", "services.web.cpu"],
        ["app.yaml:5", "services.web.environment.1BAD"],
        ["app.yaml:5", "services.web.environment.ALSO-BAD"],
        ["app.yaml:7", "services.web.schedules[0].min"],
        ["app.yaml:8", "services.web.schedules[1].schedule"],
        ["app.yaml:10", "services.api.memory"],
    ]


def test_what_needs_the_whole_config_is_judged_once_every_value_reads():
    # Two services with one priority: a judgement of the environment, made only when each
    # service's own values are good (else it would judge values that are not the user's).
    clash = (
        "services:\n  web: {expose: public, routing: {path: /*, priority: 1}}\n"
        "  api: {expose: public, routing: {path: /api/*, priority: 1}}\n"
    )
    with pytest.raises(SpecError, match=r"^app\.yaml:3: services\.api\.routing\.priority"):
        parse_spec(clash, "app.yaml")
    assert _refused(clash.replace("/api/*", "api")).splitlines() == [
        "app.yaml:3: services.api.routing.path: 'api' is not a path pattern starting with /, "
        "such as /api/* (* and ? are wildcards)"
    ]


def test_the_checks_across_a_services_values_and_across_services_name_everything_at_once():
    # A user trial took four builds for four errors of one worker, in no order, and three for
    # four routing conflicts.
    worker = (
        "services:\n"
        "  web: {port: 8080}\n"
        "  worker:\n"
        "    expose: none\n"
        "    port: 9000\n"
        "    health_check_path: /h\n"
        "    cpu: 512\n"
        "    memory: 512\n"
        "    min_capacity: 0\n"
        "    queue_scaling: {queue: orders, messages_per_task: 10}\n"
    )
    refused = _refused(worker)
    assert _places(refused) == [
        ["app.yaml:5", "services.worker.port"],
        ["app.yaml:6", "services.worker.health_check_path"],
        ["app.yaml:8", "services.worker.memory"],
        ["app.yaml:9", "services.worker.min_capacity"],
    ]
    rules = (
        "services:\n"
        "  a: {expose: public, routing: {path: /*, priority: 1}, health_check_path: /h}\n"
        "  b: {expose: public, routing: {path: /b/*, priority: 1}, health_check_path: /h}\n"
        "  c: {expose: public, routing: {path: /c/*, priority: 3}, health_check_path: /h}\n"
        "  d: {expose: public, routing: {path: /d/*, priority: 4}, health_check_path: /h}\n"
    )
    refused = _refused(rules)
    assert _places(refused) == [
        ["app.yaml:3", "services.b.routing.priority"],
        ["app.yaml:4", "services.c.routing.priority"],
        ["app.yaml:5", "services.d.routing.priority"],
    ]
    assert refused.splitlines()[0].endswith(
        "the service a has it too: each listener rule needs a priority of its own"
    )
    # A consequence of a value refused is not another error: without expose, whether the
    # domain has a public service to serve is not known.
    domain = "domain: {name: shop.example.com, hosted_zone_id: Z1}\nservices:\n  web: {}\n"
    assert len(_refused(domain).splitlines()) == 1


def test_a_library_config_names_every_value_it_refuses():
    from troposphere_fargate import ConfigError, ServiceConfig

    with pytest.raises(ConfigError) as refused:
        ServiceConfig(default_task_cpu=3, default_container_port=0)
    assert [line.split("=")[0] for line in str(refused.value).splitlines()] == [
        "ServiceConfig.default_container_port",
        "ServiceConfig.default_task_cpu",
    ]


def test_a_review_of_everything_at_once_found_these_gaps_closed():
    # Two load balancer keys of an environment's service: each named (the loop stopped at the
    # first).
    shared = (
        "services:\n  web:\n    expose: public\n    routing: {priority: 10, path: /api/*}\n"
        "    health_check_path: /h\n    allowed_ingress_cidr: 10.0.0.0/8\n"
        "    deletion_protection: false\n"
    )
    refused = _refused(shared)
    assert _places(refused) == [
        ["app.yaml:6", "services.web.allowed_ingress_cidr"],
        ["app.yaml:7", "services.web.deletion_protection"],
    ]
    # A key without use at its default value, beside one the config refuses: both named.
    worker = (
        "services:\n  web: {expose: public, routing: {priority: 10, path: /*}, "
        "health_check_path: /h}\n  worker:\n    expose: none\n    port: 8080\n"
        "    health_check_path: /x\n"
    )
    refused = _refused(worker)
    assert _places(refused) == [
        ["app.yaml:5", "services.worker.port"],
        ["app.yaml:6", "services.worker.health_check_path"],
    ]
    # A missing required key beside a refused value: both named.
    sidecar = "services:\n  web:\n    secrets: {A: x}\n    sidecars:\n      - {image: x}\n"
    refused = _refused(sidecar)
    assert _places(refused) == [
        ["app.yaml:3", "services.web.secrets.A"],
        ["app.yaml:5", "services.web.sidecars[0].image"],
        ["app.yaml:5", "services.web.sidecars[0]"],
    ]
    assert refused.endswith("services.web.sidecars[0]: missing name (required)")


def test_a_key_given_twice_in_a_service_keeps_what_was_refused_before_it():
    text = (
        "services:\n  web:\n    expose: public\n    routing: {path: /*, priority: 1}\n"
        "    health_check_path: /h\n    cpu: 3\n    cpu: 256\n"
    )
    refused = _refused(text)
    assert _places(refused) == [
        ["app.yaml:6", "services.web.cpu"],
        ["app.yaml:7", "services.web.cpu"],
    ]
    assert refused.endswith("duplicate key (first at line 6): YAML would keep only the last")


def test_a_key_a_service_has_no_use_for_is_named_beside_a_key_given_twice():
    refused = _refused("services:\n  job: {expose: none, cpu: 256, cpu: 256, port: 8080}\n")
    assert _places(refused) == [
        ["app.yaml:2", "services.job.cpu"],
        ["app.yaml:2", "services.job.port"],
    ]
    assert "has no use for it" in refused


def test_an_unknown_key_given_twice_is_named_once():
    text = (
        "services:\n  api:\n    expose: public\n    routing: {paths: /a, paths: /b, priority: 1}\n"
    )
    refused = _refused(text)
    assert _places(refused) == [["app.yaml:4", "services.api.routing.paths"]]


def test_the_keys_after_a_key_given_twice_are_read_on():
    # The reader stopped at the duplicate: a refused port after it needed a second run.
    text = "services:\n  web:\n    cpu: 256\n    cpu: 512\n    port: 0\n  web:\n    cpu: 1\n"
    refused = _refused(text)
    assert _places(refused) == [
        ["app.yaml:4", "services.web.cpu"],
        ["app.yaml:5", "services.web.port"],
        ["app.yaml:6", "services.web"],
    ]


def test_a_spec_keeps_the_default_security_group_as_ec2_made_it_when_told():
    spec = parse_spec("network: {restrict_default_security_group: false}\nservices:\n  web: {}\n")
    assert spec.network.default_restrict_default_security_group is False
    assert parse_spec("services:\n  web: {}\n").network.default_restrict_default_security_group
    with pytest.raises(SpecError, match=r"network\.restrict_default_security_group"):
        parse_spec("network: {restrict_default_security_group: 'no'}\nservices:\n  web: {}\n")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("0700", "448"),  # YAML 1.1: octal (it used to build port 448 without a word)
        ("08080", "text"),  # not octal, so a string: the message said only "got a string"
        ("0x1F90", "8080"),
        ("1_000", "1000"),
        ("1:30", "90"),  # base 60
    ],
)
def test_an_integer_yaml_1_1_reads_otherwise_than_written_is_refused(written, read):
    with pytest.raises(SpecError) as refused:
        parse_spec(f"services:\n  web:\n    port: {written}\n", "app.yaml")
    assert str(refused.value) == (
        f"app.yaml:3: services.web.port: write {written} as a plain decimal number: YAML 1.1 "
        f"reads it as {read} (a leading 0 is octal, 0x hexadecimal, and _ or : join digits)"
    )


@pytest.mark.parametrize("written", ["8080", "0", "-5", "10"])
def test_a_plain_decimal_is_read_as_written(written):
    try:
        config = parse_spec(f"services:\n  web:\n    port: {written}\n", "app.yaml")
    except SpecError as refused:  # 0 and -5: out of range, said so, not "write it as..."
        assert "is out of range" in str(refused)
    else:
        assert config.service.default_container_port == int(written)


def test_a_spec_errors_problems_are_its_lines_as_a_list():
    """A newcomer's trial: a CI wrapper had to split SpecError's message, while DryRunFailed
    has ``problems``."""
    with pytest.raises(SpecError) as raised:
        parse_spec("services:\n  web:\n    port: 0\n    cpu: 500\n", "app.yaml")
    assert raised.value.problems == str(raised.value).splitlines()
    assert len(raised.value.problems) == 2
    assert [line.split(": ")[1] for line in raised.value.problems] == [
        "services.web.port",
        "services.web.cpu",
    ]


# --- What the build refuses of a spec's templates, at the spec's lines -------------------------


def _over_the_limits() -> str:
    """A spec of two services: web's 1,000 variables make a task definition of about 100 KB
    (ECS takes 64 KiB), api's 150 secrets an execution role of about 11,500 characters of
    inline policy (IAM takes 10,240)."""
    lines = ["services:", "  web:", "    expose: public", "    routing: {priority: 1, path: /*}"]
    lines += ["    health_check_path: /health", "    environment:"]
    lines += [f"      VARIABLE_NUMBER_{i}: {'x' * 60}" for i in range(1000)]
    lines += ["  api:", "    expose: internal", "    port: 8080", "    secrets:"]
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/key-{}-AbCdEf"
    lines += [f"      KEY_{i}: {arn.format(i)}" for i in range(150)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["build", "validate", "cost", "diagram"])
def test_what_the_build_refuses_of_a_spec_is_named_at_the_spec_s_lines(
    tmp_path: Path, capsys, command: str
):
    """A fuzzing trial: a limit the build refuses was named by template and resource
    (``service-web.yaml: TaskDefinition: ...``), a file the user never wrote, and only the
    first of them. Every command that builds a spec names each at the line of the key it
    comes from: the key a limit is about (api's secrets), else the service."""
    from troposphere_fargate import cli

    spec = tmp_path / "app.yaml"
    text = _over_the_limits()
    spec.write_text(text)
    output = tmp_path / "out"
    arguments = {
        "build": ["build", "--spec", str(spec), "--output", str(output)],
        "validate": ["validate", "--spec", str(spec)],
        "cost": ["cost", "--spec", str(spec)],
        "diagram": ["diagram", "--spec", str(spec), "-o", str(tmp_path / "d.dot")],
    }[command]
    assert cli.main(arguments) == 1
    err = capsys.readouterr().err.splitlines()
    secrets = text.splitlines().index("    secrets:") + 1
    assert [line.split(": a task definition")[0].split(": inline policies")[0] for line in err] == [
        f"troposphere-fargate: error: {spec}:2: services.web: service-web.yaml: TaskDefinition",
        f"troposphere-fargate: error: {spec}:{secrets}: services.api.secrets: service-api.yaml: "
        "TaskExecutionRole",
    ]
    assert "ECS takes 64 KiB at most" in err[0] and "IAM takes 10,240 per role" in err[1]
    assert not output.exists() and not (tmp_path / "d.dot").exists()


def test_a_one_service_spec_s_refusal_is_at_its_service(tmp_path: Path, capsys):
    """One service without expose builds service.yaml: its problems are the service's."""
    from troposphere_fargate import cli

    spec = tmp_path / "app.yaml"
    many = [f"      VARIABLE_NUMBER_{i}: {'x' * 60}" for i in range(1000)]
    spec.write_text("\n".join(["services:", "  shop:", "    environment:", *many]) + "\n")
    assert cli.main(["validate", "--spec", str(spec)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        f"troposphere-fargate: error: {spec}:2: services.shop: service.yaml: TaskDefinition: "
        "a task definition of at least"
    )


def test_a_problem_no_key_of_the_spec_makes_names_the_file_alone(tmp_path: Path):
    """An environment problem in a spec without environment or domain sections: the file."""
    from troposphere_fargate.release.build import TemplateChecksFailed, TemplateProblem
    from troposphere_fargate.release.spec import parse_spec, spec_build_error

    spec = tmp_path / "app.yaml"
    spec.write_text("services:\n  web:\n    expose: internal\n")
    config = parse_spec(spec.read_text())
    network = TemplateProblem("network.yaml", "Vpc", "why")
    failed = TemplateChecksFailed([TemplateProblem("environment.yaml", "Cluster", "why"), network])
    assert spec_build_error(failed, spec, config).problems == [
        f"{spec}: environment.yaml: Cluster: why",
        f"{spec}: network.yaml: Vpc: why",
    ]
    spec.write_text("network:\n  azs: 2\nservices:\n  web:\n    expose: internal\n")
    assert spec_build_error(TemplateChecksFailed([network]), spec, config).problems == [
        f"{spec}:1: network: network.yaml: Vpc: why"
    ]


@pytest.mark.parametrize("command", ["validate", "cost", "diagram"])
def test_a_spec_s_warnings_are_said_at_their_lines_by_every_command(
    tmp_path: Path, capsys, command: str
):
    """``validate --spec`` printed a spec's warnings as Python warnings naming a line of
    cli.py (``cli.py:712: ConfigWarning: ...`` and the source line); ``diagram --spec`` did
    not say them. Each command says them as ``build --spec`` does: at the spec's line."""
    from troposphere_fargate import cli

    spec = tmp_path / "app.yaml"
    spec.write_text(
        "services:\n  web:\n    expose: public\n    routing: {priority: 1, path: /web/*}\n"
        "  api:\n    expose: internal\n"
    )
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/{}:1"
    values = [
        f"WebContainerImage={image.format('web')}",
        f"ApiContainerImage={image.format('api')}",
        "TemplateBucketName=my-templates",
    ]
    arguments = {
        "validate": ["validate", "--spec", str(spec), *values],
        "cost": ["cost", "--spec", str(spec), *values],
        "diagram": ["diagram", "--spec", str(spec), "-o", str(tmp_path / "d.dot")],
    }[command]
    import warnings

    from troposphere_fargate.errors import ConfigWarning

    # pytest collects Python warnings itself, off standard error: record them (a review).
    with warnings.catch_warnings(record=True) as issued:
        warnings.simplefilter("always")
        assert cli.main(arguments) == 0
    assert [w for w in issued if issubclass(w.category, ConfigWarning)] == []
    err = capsys.readouterr().err
    (warning,) = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warning.startswith(f"warning: {spec}:2: services.web.health_check_path: ")


def test_a_spec_is_read_once(tmp_path: Path, capsys, monkeypatch):
    """``validate --spec <(cat app.yaml)``: the spec was read three times (parsed, for its
    warnings' lines, for its refusals' lines), and a pipe gives its text once, so the
    refusals named no line (a review). Here the file gives its text once, as a pipe does."""
    from troposphere_fargate import cli

    spec = tmp_path / "app.yaml"
    text = _over_the_limits()
    spec.write_text(text)
    reads = []
    read_text = Path.read_text

    def once(self: Path, *args: Any, **kwargs: Any) -> str:
        if self == spec:
            reads.append(self)
            return text if len(reads) == 1 else ""
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", once)
    opened = Path.open

    def open_once(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == spec:
            reads.append(self)
            return io.BytesIO(text.encode() if len(reads) == 1 else b"")
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_once)
    assert cli.main(["validate", "--spec", str(spec)]) == 1
    assert len(reads) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": service-")[0] for line in err if "error:" in line] == [
        f"troposphere-fargate: error: {spec}:2: services.web",
        f"troposphere-fargate: error: {spec}:{text.splitlines().index('    secrets:') + 1}: "
        "services.api.secrets",
    ]


# Each integer key's range, as ECS, ELB and Application Auto Scaling give it (the limits the
# types module checks too): a value one past either end is the spec's to refuse, at its key.
# (key path under services.web, the service's keys with the value put at VALUE, range)
INTEGER_RANGES = [
    ("port", "port: VALUE", (1, 65535)),
    ("egress[0].to_port", "egress: [{port: 1, to_port: VALUE, cidr: 10.0.0.0/16}]", (1, 65535)),
    ("desired_count", "max_capacity: 1000, desired_count: VALUE", (0, 1000)),
    (
        "schedules[0].min",
        "schedules: [{name: a, schedule: rate(1 hours), min: VALUE, max: 1000}]",
        (0, 1000),
    ),
    (
        "queue_scaling.messages_per_task",
        "queue_scaling: {queue: q, messages_per_task: VALUE}",
        (1, 100000),
    ),
    ("error_rate_alarm", "error_rate_alarm: VALUE", (1, 100)),
    ("requests_per_target", "requests_per_target: VALUE", (0, 100000)),
    ("ephemeral_storage", "ephemeral_storage: VALUE", (21, 200)),
    ("stop_timeout", "stop_timeout: VALUE", (2, 120)),
    ("target_health.healthy_threshold", "target_health: {healthy_threshold: VALUE}", (2, 10)),
    ("deployment.bake_minutes", "deployment: {bake_minutes: VALUE}", (0, 1440)),
    ("health_check_grace_period", "health_check_grace_period: VALUE", (0, 2147483647)),
    ("deregistration_delay", "deregistration_delay: VALUE", (0, 3600)),
    ("routing.priority", "expose: public, routing: {path: /x, priority: VALUE}", (1, 50000)),
]


@pytest.mark.parametrize(
    ("key", "keys", "bounds"), INTEGER_RANGES, ids=[key for key, _, _ in INTEGER_RANGES]
)
def test_an_integer_one_past_either_end_of_its_range_is_refused_at_its_key(key, keys, bounds):
    low, high = bounds
    for value in (low, high):
        parse_spec(_service(keys.replace("VALUE", str(value))), "app.yaml")
    for value in (low - 1, high + 1):
        if value < 0:  # a negative number is no count either: the same message
            continue
        with pytest.raises(SpecError) as raised:
            parse_spec(_service(keys.replace("VALUE", str(value))), "app.yaml")
        assert str(raised.value) == (
            f"app.yaml:2: services.web.{key}: {value} is out of range: must be {low} to {high}"
        )


def test_a_value_ending_in_a_line_break_is_refused():
    """A pattern's ``$`` matches before a final line break too: a value is matched whole."""
    with pytest.raises(SpecError) as raised:
        parse_spec(_service('schedules: [{name: "x\\n", schedule: rate(1 hours), min: 1}]'))
    assert str(raised.value) == (
        "<spec>:2: services.web.schedules[0].name: 'x\\n' is not 1-256 letters, digits, . _ or "
        "-, the first a letter or digit"
    )


def test_a_host_of_128_characters_is_taken_and_one_of_129_refused():
    host = "a" * 57 + "." + "b" * 58 + ".example.com"
    assert len(host) == 128
    parse_spec(_service(f"expose: public, routing: {{host: {host}, priority: 1}}"))
    with pytest.raises(SpecError) as raised:
        parse_spec(_service(f"expose: public, routing: {{host: a{host}, priority: 1}}"))
    assert str(raised.value) == (
        "<spec>:2: services.web.routing.host: is 129 characters long: 128 at most"
    )


def test_each_template_problem_is_at_the_key_it_comes_from(tmp_path: Path):
    """The certificate is the domain's, the rest of environment.yaml the environment
    section's; a task role's problem is the task_role's, an execution role's the secrets',
    a root's the services'."""
    from troposphere_fargate.release.build import TemplateChecksFailed, TemplateProblem
    from troposphere_fargate.release.spec import spec_build_error

    spec = tmp_path / "app.yaml"
    spec.write_text(
        "environment: {deletion_protection: false}\n"
        f"domain: {DOMAIN}\n"
        "services:\n"
        "  web:\n"
        "    expose: public\n"
        "    routing: {path: /*, priority: 1}\n"
        "    task_role:\n"
        "      managed_policies: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]\n"
    )
    config = parse_spec(spec.read_text())
    problems = [
        ("environment.yaml", "Certificate"),
        ("environment.yaml", "LoadBalancer"),
        ("service-web.yaml", "TaskRole"),
        ("service-web.yaml", "TaskExecutionRole"),
        ("root.yaml", "Parameters"),
    ]
    failed = TemplateChecksFailed([TemplateProblem(f, r, "why") for f, r in problems])
    assert spec_build_error(failed, spec, config).problems == [
        f"{spec}:2: domain: environment.yaml: Certificate: why",
        f"{spec}:1: environment: environment.yaml: LoadBalancer: why",
        f"{spec}:7: services.web.task_role: service-web.yaml: TaskRole: why",
        f"{spec}:4: services.web: service-web.yaml: TaskExecutionRole: why",
        f"{spec}:3: services: root.yaml: Parameters: why",
    ]


def test_success_codes_of_a_range_written_high_to_low_are_refused_at_their_line():
    """A review: the pattern passes 299-200, which Elastic Load Balancing documents as no
    range ("a range of values (for example, "200-299")", Elastic Load Balancing API Reference,
    Matcher); the build wrote it as the template's default."""
    text = 'services:\n  web:\n    target_health: {success_codes: "299-200"}\n'
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value) == (
        "app.yaml:3: services.web.target_health.success_codes: 299-200 is a range from high to "
        "low: Elastic Load Balancing takes a range low-high (200-299)"
    )


def test_a_routing_path_over_128_characters_is_refused_for_its_length():
    """A review: a 141-character path was "not a path pattern starting with /" (the pattern
    holds the length), where a long host says how long it is."""
    text = f"services:\n  web:\n    routing: {{path: /{'a' * 140}, priority: 1}}\n"
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value) == (
        "app.yaml:3: services.web.routing.path: is 141 characters long: 128 at most"
    )
    routing = f"{{path: /{'a' * 127}, priority: 1}}"
    parse_spec(f"services:\n  web:\n    expose: public\n    routing: {routing}\n", "a.yaml")


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("services.app.deregistration_delay", "ServiceConfig.default_deregistration_delay_seconds"),
        ("services.web.sidecars[2].health_check.command", "HealthCheck.command"),
        ("services.app.task_role", "ServiceConfig.application.task_role"),
        ("services.app.schedules", "ServiceConfig.scaling_schedules"),
        ("network.private_subnet_cidrs", "NetworkConfig.private_subnet_cidrs"),
        ("services", "ProductConfig.services"),
        ("domain.name", "EnvironmentConfig.default_domain_name"),
        ("services.app.nope", None),
        ("nowhere", None),
        ("services.app.routing.path.deeper", None),
    ],
)
def test_a_warnings_spec_key_names_the_config_field_it_sets(key, field):
    from troposphere_fargate.release.spec import config_field_of

    assert config_field_of(key) == field


def test_a_pair_of_escapes_is_the_character_json_means(tmp_path: Path):
    """JSON writes a character beyond U+FFFF as a pair of escapes (Python's json.dumps:
    "\\ud83d\\udc4b"), and RFC 8259 reads the pair as that one character: the spec refused each
    half, with advice JSON cannot follow (an escape of eight hex digits)."""
    spec = {"services": {"web": {"port": 8080, "environment": {"GREETING": "hi \U0001f44b"}}}}
    (tmp_path / "app.json").write_text(json.dumps(spec))
    assert "\\ud83d\\udc4b" in (tmp_path / "app.json").read_text()
    config = load_spec(tmp_path / "app.json")
    assert dict(config.service.application.environment) == {"GREETING": "hi \U0001f44b"}


def test_a_json_spec_indented_with_tabs_is_read(tmp_path: Path):
    """``jq --tab`` and ``json.dumps(indent="\\t")`` indent JSON with tabs, which JSON and YAML
    1.2 take and PyYAML refused ("found character '\\t' that cannot start any token")."""
    spec = {"services": {"web": {"port": 8080, "environment": {"A": "tab\tinside"}}}}
    (tmp_path / "app.json").write_text(json.dumps(spec, indent="\t"))
    config = load_spec(tmp_path / "app.json")
    assert config.service.default_container_port == 8080
    assert dict(config.service.application.environment) == {"A": "tab\tinside"}
    # A tab inside a value of a line indented with spaces is the value's (a review: the first
    # tabs of the line, wherever they were, became spaces).
    text = '{\n  "services": {"web": {"port": 8080, "environment": {"SEP": "a\tb"}}}\n}\n'
    (tmp_path / "inside.json").write_text(text)
    environment = load_spec(tmp_path / "inside.json").service.application.environment
    assert dict(environment) == {"SEP": "a\tb"}
    # Its keys' lines, for warnings and refusals, are found in the tabbed text too.
    tabbed = (tmp_path / "app.json").read_text()
    assert key_line(tabbed, "services.web.environment") == 5
    # A YAML spec's tab is refused as before.
    with pytest.raises(SpecError, match="YAML indents with spaces, never tabs"):
        parse_spec("services:\n  web:\n\tport: 80\n", "app.yaml")


@pytest.mark.parametrize(
    ("character", "name"),
    [("\u2028", "LINE SEPARATOR"), ("\u2029", "PARAGRAPH SEPARATOR"), ("\x85", "NEXT LINE")],
)
def test_a_character_yaml_reads_as_a_line_break_is_named_at_its_line(character, name):
    """YAML 1.1 breaks lines at U+2028, U+2029 and NEL, which editors show inline: in a
    comment, the words after it became a line of their own ("mapping values are not allowed
    here" two lines on)."""
    text = f"services:\n  web:  # note{character}more: x\n    port: 8080\n"
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value) == (
        f"app.yaml:2: holds U+{ord(character):04X} ({name}) at column 15, which YAML reads as a "
        "line break where an editor shows none: remove it (in a value, write it as "
        f"\\u{ord(character):04x} in double quotes)"
    )


@pytest.mark.parametrize(("encoding", "said"), [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_a_spec_in_utf_16_or_32_says_so(tmp_path: Path, encoding: str, said: str):
    """PowerShell 5's > writes UTF-16, with a byte-order mark: "not a text file" said nothing
    of what to do."""
    (tmp_path / "app.yaml").write_bytes("services:\n  web:\n    port: 8080\n".encode(encoding))
    with pytest.raises(SpecError) as raised:
        load_spec(tmp_path / "app.yaml")
    assert str(raised.value) == (
        f"{tmp_path / 'app.yaml'}: {said} text (its byte-order mark says so): save it as UTF-8"
    )


def test_a_spec_file_larger_than_any_spec_is_refused_without_reading_it_whole(tmp_path: Path):
    """``--spec /dev/zero``, or a disk image given by mistake, was read whole and ended in a
    MemoryError traceback: no more than the limit and a byte is read."""
    from troposphere_fargate.release import spec as spec_module

    big = tmp_path / "app.yaml"
    with big.open("wb") as file:
        file.truncate(spec_module.SPEC_BYTES + 1)  # sparse: no disk used
    with pytest.raises(SpecError, match="more than 8 MiB: no spec is this large"):
        load_spec(big)
    if Path("/dev/zero").exists():
        with pytest.raises(SpecError, match="/dev/zero: more than 8 MiB"):
            load_spec("/dev/zero")


def test_a_service_key_another_tool_writes_says_where_it_goes():
    """A compose file's image: was "image is a key of services.<name>.sidecars[]"; CPU had
    no suggestion, the keys being lower case."""
    text = "services:\n  web:\n    port: 8080\n    image: nginx\n    CPU: 512\n    env_file: x\n"
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value).splitlines() == [
        "app.yaml:4: services.web.image: unknown key: the image is given when the stack is "
        "launched or updated, as the parameter ContainerImage (a service of an environment: "
        "<Name>ContainerImage, such as WebContainerImage)",
        "app.yaml:5: services.web.CPU: unknown key (did you mean cpu?)",
        "app.yaml:6: services.web.env_file: unknown key: a service's variables are its "
        "environment (its secrets, secrets); an S3 .env file is the shipped service.yaml's "
        "EnvironmentFileArn parameter, which a spec's services do not take",
    ]


def test_a_spec_file_of_exactly_the_most_a_spec_may_hold_is_read(tmp_path: Path):
    """The limit is what a spec may hold: a file of that many bytes is read, one more is not."""
    from troposphere_fargate.release import spec as spec_module

    head = "services:\n  web: {port: 8080}\n# "
    text = head + "x" * (spec_module.SPEC_BYTES - len(head) - 1) + "\n"
    (tmp_path / "app.yaml").write_text(text)
    assert spec_module.read_spec_text(tmp_path / "app.yaml") == text


@pytest.mark.parametrize(("encoding", "said"), [("utf-16-be", "UTF-16"), ("utf-32-be", "UTF-32")])
def test_a_spec_in_big_endian_utf_16_or_32_says_so(tmp_path: Path, encoding: str, said: str):
    """The byte-order mark of either byte order (utf-16 and utf-32 write the machine's, most
    often little-endian): the big-endian ones said "not a text file"."""
    text = "\ufeffservices:\n  web:\n    port: 8080\n"
    (tmp_path / "app.yaml").write_bytes(text.encode(encoding))
    with pytest.raises(SpecError) as raised:
        load_spec(tmp_path / "app.yaml")
    assert str(raised.value) == (
        f"{tmp_path / 'app.yaml'}: {said} text (its byte-order mark says so): save it as UTF-8"
    )


def test_a_line_break_character_is_named_at_its_first_place_even_the_very_first():
    """Of several, the first is named; one that is the spec's first character is named too
    (at line 1, column 1)."""
    with pytest.raises(
        SpecError, match=r"^app\.yaml:1: holds U\+2028 \(LINE SEPARATOR\) at column 1,"
    ):
        parse_spec("\u2028services:\n  web: {}\n", "app.yaml")
    text = "services:\n  web: {}  # a\u2029b\n# c\u2028d\n"
    with pytest.raises(
        SpecError, match=r"^app\.yaml:2: holds U\+2029 \(PARAGRAPH SEPARATOR\) at column 15,"
    ):
        parse_spec(text, "app.yaml")


def test_a_json_spec_indented_with_tabs_after_a_byte_order_mark_or_spaces_is_read():
    """PowerShell's UTF-8 begins with a byte-order mark, which the text keeps; an editor may
    indent a line with a space and then tabs: each is a JSON spec indented with tabs still."""
    text = json.dumps({"services": {"web": {"port": 8080}}}, indent="\t")
    for written in ("\ufeff" + text, "\n" + text, text.replace("\n\t", "\n \t")):
        assert parse_spec(written, "app.json").service.default_container_port == 8080


def test_a_bad_character_in_a_json_spec_indented_with_tabs_is_named_at_its_column_in_the_file():
    """Each leading tab is read as one space, so that the columns stay the file's: the form
    feed is the 15th character of its line, after three tabs."""
    text = json.dumps({"services": {"web": {"port": 8080}}}, indent="\t")
    text = text.replace("8080", '"80\f80"')  # written as is, not as JSON's escape
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.json")
    assert str(raised.value) == (
        "app.json:4: invalid YAML: unacceptable character #x000c: special characters are not "
        "allowed (column 15; YAML takes printable characters only, in comments too: remove it)"
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # A key of two sections: each named.
        (
            "services:\n  web: {}\ntls_policy: x\n",
            "app.yaml:3: tls_policy: unknown key: tls_policy is a key of environment and of "
            "services.<name>",
        ),
        # A key of four: the key it looks like, not a list of four places.
        (
            "services:\n  web: {}\ncommand: [x]\n",
            "app.yaml:3: command: unknown key (did you mean domain?)",
        ),
        # A compose file's image deeper in a service: it is a sidecar's key there.
        (
            "services:\n  web:\n    target_health:\n      image: x\n",
            "app.yaml:4: services.web.target_health.image: unknown key: image is a key of "
            "services.<name>.sidecars[]",
        ),
    ],
    ids=["two-sections", "four-sections", "image-deeper"],
)
def test_an_unknown_key_of_another_section_says_where_it_goes(text: str, said: str):
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "app.yaml")
    assert str(raised.value) == said


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("Image", "the image is given when the stack is launched or updated, as the parameter"),
        ("container_image", "the image is given when the stack is launched or updated, as the"),
        ("environment_file", "a service's variables are its environment (its secrets, secrets)"),
        ("environment_files", "a service's variables are its environment (its secrets, secrets)"),
    ],
)
def test_each_service_key_another_tool_writes_says_where_it_goes(key: str, hint: str):
    with pytest.raises(SpecError) as raised:
        parse_spec(f"services:\n  web:\n    {key}: x\n", "app.yaml")
    assert str(raised.value).startswith(f"app.yaml:3: services.web.{key}: unknown key: {hint}")


def test_a_tagged_key_in_quotes_is_not_told_to_be_quoted():
    """!!int "5" is in quotes already: its tag is what makes it no name."""
    with pytest.raises(SpecError) as raised:
        parse_spec('services:\n  web:\n    environment: {!!int "5": x}\n', "app.yaml")
    assert str(raised.value) == (
        "app.yaml:3: services.web.environment: keys must be names, got an integer (5)"
    )


def test_a_spec_in_the_version_folder_the_build_replaces_is_refused_not_deleted(
    tmp_path: Path, capsys
):
    """``build --spec out/0.4.0/app.yaml --output out`` swapped the version folder for the
    new templates and said "built 8 template(s)": the spec was gone (a review)."""
    from troposphere_fargate import __version__, cli

    folder = tmp_path / "out" / __version__
    folder.mkdir(parents=True)
    spec = folder / "app.yaml"
    spec.write_text(EXAMPLE_SPEC)
    assert cli.main(["build", "--spec", str(spec), "--output", str(tmp_path / "out")]) != 0
    assert f"--spec {spec} is in {folder}, which the build replaces" in capsys.readouterr().err
    assert spec.read_text() == EXAMPLE_SPEC
    # A spec named like the version folder was renamed aside (.0.4.0.old-<pid>), hidden.
    spec.unlink()
    folder.rmdir()
    folder.write_text(EXAMPLE_SPEC)
    assert cli.main(["build", "--spec", str(folder), "--output", str(tmp_path / "out")]) != 0
    assert f"--spec {folder} is {folder}, which the build replaces" in capsys.readouterr().err
    assert folder.read_text() == EXAMPLE_SPEC


def test_a_key_yaml_reads_as_a_boolean_says_to_quote_it():
    """``ON: "1"`` in an environment: values YAML reads as booleans said to write them in
    quotes, keys did not (a review)."""
    with pytest.raises(SpecError) as raised:
        parse_spec('services:\n  web:\n    environment: {ON: "1"}\n', "app.yaml")
    assert str(raised.value) == (
        "app.yaml:3: services.web.environment: keys must be names, got a boolean (ON): write "
        'it in quotes ("ON") so YAML reads it as a name'
    )
