"""Bad build-time configuration fails when the config is built, naming the field and the value."""

from __future__ import annotations

import dataclasses
import re

import pytest

from troposphere_fargate.layers.config import (
    ConfigError,
    NetworkConfig,
    ProductConfig,
    ServiceConfig,
)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"max_azs": 4}, r"NetworkConfig\.max_azs=4: must be 2 or 3"),
        ({"max_azs": 1}, r"NetworkConfig\.max_azs=1"),
        ({"max_azs": True}, r"NetworkConfig\.max_azs=True"),
        ({"max_azs": 3.0}, r"NetworkConfig\.max_azs=3\.0: must be 2 or 3"),
        ({"default_azs": 2.0}, r"NetworkConfig\.default_azs=2\.0"),
        ({"max_azs": 2, "default_azs": 3}, r"NetworkConfig\.default_azs=3: .*max_azs \(2\)"),
        ({"vpc_cidr": "10.0.0.0/33"}, r"NetworkConfig\.vpc_cidr='10\.0\.0\.0/33': not a valid"),
        ({"vpc_cidr": "10.0.0.1/16"}, r"NetworkConfig\.vpc_cidr='10\.0\.0\.1/16': not a valid"),
        ({"vpc_cidr": "10.0.0.0/8"}, r"NetworkConfig\.vpc_cidr='10\.0\.0\.0/8': prefix length"),
        ({"vpc_cidr": 10}, r"NetworkConfig\.vpc_cidr=10: expected an IPv4 CIDR"),
        # ipaddress reads a netmask and a zero-padded prefix; the template's pattern, and cfn-lint
        # after it, did not (E2015: the default is not allowed by AllowedPattern).
        (
            {"vpc_cidr": "10.0.0.0/016"},
            r"NetworkConfig\.vpc_cidr='10\.0\.0\.0/016': write it as "
            r"10\.0\.0\.0/16",
        ),
        (
            {"public_subnet_cidrs": ("10.0.0.0/255.255.252.0", "10.0.4.0/22", "10.0.8.0/22")},
            r"NetworkConfig\.public_subnet_cidrs\[0\]='10\.0\.0\.0/255\.255\.252\.0': write "
            r"it as 10\.0\.0\.0/22",
        ),
        (
            {"public_subnet_cidrs": ("10.0.0.0/22", "10.0.4.0/22", "10.1.0.0/22")},
            r"NetworkConfig\.public_subnet_cidrs\[2\]='10\.1\.0\.0/22': is not inside vpc_cidr",
        ),
        (
            {"private_subnet_cidrs": ("10.0.32.0/19", "10.0.64.0/19", "10.0.0.0/24")},
            r"NetworkConfig\.private_subnet_cidrs\[2\]='10\.0\.0\.0/24': overlaps "
            r"public_subnet_cidrs\[0\]",
        ),
        (
            {"public_subnet_cidrs": ("10.0.0.0/22", "10.0.4.0/22")},
            r"NetworkConfig\.public_subnet_cidrs=.*one CIDR per subnet, max_azs \(3\), not 2",
        ),
        (
            # A third CIDR for a template of two zones has no subnet, but was silently kept
            # whatever it held.
            {"max_azs": 2, "public_subnet_cidrs": ("10.0.0.0/22", "10.0.4.0/22", "garbage")},
            r"NetworkConfig\.public_subnet_cidrs\[2\]='garbage': not a valid",
        ),
        (
            # A fourth CIDR has no subnet in any template: it was silently dropped.
            {
                "private_subnet_cidrs": (
                    "10.0.32.0/19",
                    "10.0.64.0/19",
                    "10.0.96.0/19",
                    "10.0.128.0/19",
                )
            },
            r"NetworkConfig\.private_subnet_cidrs=.*4 given, and a network has 3 subnets of each "
            r"kind at most",
        ),
        (
            {"public_subnet_cidrs": ["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"]},
            r"NetworkConfig\.public_subnet_cidrs=\[.*must be a tuple of max_azs \(3\)",
        ),
        (
            {"default_nat_gateways": "Two"},
            r"NetworkConfig\.default_nat_gateways='Two': must be one of PerAz, Single, None",
        ),
        (
            {"default_nat_gateways": "None"},
            r"NetworkConfig\.default_nat_gateways='None': needs default_vpc_endpoints on",
        ),
        ({"default_vpc_endpoints": "yes"}, r"NetworkConfig\.default_vpc_endpoints='yes'"),
        (
            {"interface_endpoints": ("ecr.api", "ecr.dkr", "s4")},
            r"NetworkConfig\.interface_endpoints='s4': unknown service",
        ),
        (
            {"interface_endpoints": ("ecr.api", "logs")},
            r"NetworkConfig\.interface_endpoints=\('ecr\.api', 'logs'\): must include ecr\.dkr",
        ),
        (
            {"interface_endpoints": ("ecr.api", "ecr.dkr")},
            r"NetworkConfig\.interface_endpoints=.*must include logs:.*write its logs",
        ),
        ({"interface_endpoints": ()}, r"NetworkConfig\.interface_endpoints=\(\)"),
        (
            {"interface_endpoints": ("ecr.api", "ecr.dkr", "ecr.api")},
            r"NetworkConfig\.interface_endpoints=.*has duplicates",
        ),
        (
            {"default_flow_log_retention_days": True},
            r"NetworkConfig\.default_flow_log_retention_days=True: must be a CloudWatch Logs",
        ),
        (
            {"default_flow_log_retention_days": 90},
            r"NetworkConfig\.default_flow_log_retention_days=90: must be a CloudWatch Logs "
            r"retention period of a year or more",
        ),
    ],
)
def test_bad_network_config_names_the_field_and_value(changes, message):
    with pytest.raises(ConfigError, match=message):
        NetworkConfig(**changes)


def test_a_valid_network_config_builds():
    config = NetworkConfig(
        max_azs=2,
        public_subnet_cidrs=("10.0.0.0/24", "10.0.1.0/24"),
        private_subnet_cidrs=("10.0.16.0/20", "10.0.32.0/20"),
        default_nat_gateways="None",
        default_vpc_endpoints=True,
    )
    assert config.max_azs == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"container_name": "my app"}, r"ServiceConfig\.container_name='my app'"),
        (
            {"default_container_port": 0},
            r"ServiceConfig\.default_container_port=0: must be 1-65535",
        ),
        (
            {"default_container_port": "8080"},  # the type, not the range, is wrong
            r"ServiceConfig\.default_container_port='8080': must be an int from 1 to 65535",
        ),
        (
            # One error: it also said target_health.port=None "is the container port".
            {"default_container_port": None},
            r"^ServiceConfig\.default_container_port=None: must be an int from 1 to 65535$",
        ),
        (
            {"default_health_check_path": "health"},
            r"ServiceConfig\.default_health_check_path='health': must be a URL path starting "
            r"with /$",
        ),
        (
            # It starts with /: what is wrong is the space (it said "starting with /").
            {"default_health_check_path": "/health z"},
            r"ServiceConfig\.default_health_check_path='/health z': has a character ELB takes "
            r"in no health check path, ' ': letters, digits and -@:%_\+\.~\?&/= only; "
            r"percent-encode it \(%20\)",
        ),
        (
            # A spec trial: told to percent-encode a query's ?, which ELB takes. What it
            # refuses (ELB's error, apollographql/router#1852) the pattern took.
            {"default_health_check_path": "/health(full)"},
            r"has a character ELB takes in no health check path, '\(': .*percent-encode it "
            r"\(%28\)",
        ),
        (
            {"default_health_check_path": "/" + "a" * 1024},
            r"is 1025 characters: a health check path takes 1,024 at most",
        ),
        ({"default_task_cpu": 300}, r"ServiceConfig\.default_task_cpu=300: must be one of 256"),
        (
            {"default_task_cpu": 256, "default_task_memory": 4096},
            r"ServiceConfig\.default_task_memory=4096: Fargate takes 512-2048 MiB .* with "
            r"default_task_cpu=256",
        ),
        (
            {"default_cpu_architecture": "arm64"},
            r"ServiceConfig\.default_cpu_architecture='arm64': must be one of X86_64, ARM64",
        ),
        (
            {"default_capacity_provider": "EC2"},
            r"ServiceConfig\.default_capacity_provider='EC2': must be one of FARGATE, "
            r"FARGATE_SPOT",
        ),
        ({"default_desired_count": -1}, r"ServiceConfig\.default_desired_count=-1: must be 0-1000"),
        (
            {"default_min_capacity": 5, "default_max_capacity": 4},
            r"ServiceConfig\.default_min_capacity=5: exceeds default_max_capacity \(4\)",
        ),
        (
            {"default_desired_count": 10, "default_max_capacity": 4},
            r"ServiceConfig\.default_desired_count=10: is outside default_min_capacity\.\."
            r"default_max_capacity \(2\.\.4\), where autoscaling would move it at once",
        ),
        ({"default_desired_count": 1}, r"default_desired_count=1: is outside .* \(2\.\.4\)"),
        ({"default_cpu_target": 95}, r"ServiceConfig\.default_cpu_target=95: must be 10-90"),
        (
            {"default_health_check_grace_period_seconds": -1},
            r"ServiceConfig\.default_health_check_grace_period_seconds=-1: must be a whole "
            r"number of seconds from 0 to 2147483647",
        ),
        (
            {"default_health_check_grace_period_seconds": True},
            r"ServiceConfig\.default_health_check_grace_period_seconds=True",
        ),
        (
            {"default_load_balancer_type": "gateway"},
            r"ServiceConfig\.default_load_balancer_type='gateway': must be one of application, "
            r"network",
        ),
        (
            {"default_allowed_ingress_cidr": "10.0.0.1/8"},
            r"ServiceConfig\.default_allowed_ingress_cidr='10\.0\.0\.1/8': not a valid IPv4",
        ),
        (
            {"default_allowed_ingress_cidr": "203.0.113.7"},
            r"ServiceConfig\.default_allowed_ingress_cidr='203\.0\.113\.7': write it as "
            r"203\.0\.113\.7/32",
        ),
        (
            {"default_allowed_ingress_cidr": "10.0.0.0/255.0.0.0"},
            r"ServiceConfig\.default_allowed_ingress_cidr='10\.0\.0\.0/255\.0\.0\.0': write "
            r"it as 10\.0\.0\.0/8",
        ),
        (
            {"default_allowed_ingress_cidr": None},
            r"ServiceConfig\.default_allowed_ingress_cidr=None: expected an IPv4 CIDR string",
        ),
        (
            {"default_deletion_protection": "true"},
            r"ServiceConfig\.default_deletion_protection='true': must be a bool",
        ),
        (
            {"default_deregistration_delay_seconds": 3601},
            r"ServiceConfig\.default_deregistration_delay_seconds=3601: must be a whole number "
            r"of seconds from 0 to 3600",
        ),
        (
            {"default_deregistration_delay_seconds": 30.0},
            r"ServiceConfig\.default_deregistration_delay_seconds=30\.0",
        ),
        (
            {"default_enable_execute_command": 1},
            r"ServiceConfig\.default_enable_execute_command=1: must be a bool",
        ),
        ({"default_log_retention_days": 10}, r"ServiceConfig\.default_log_retention_days=10"),
        # The share of 5xx answers above which the error rate alarm fires: percent, 1-100.
        (
            {"default_error_rate_alarm_percent": 0},
            r"ServiceConfig\.default_error_rate_alarm_percent=0: must be 1-100",
        ),
        (
            {"default_error_rate_alarm_percent": 101},
            r"ServiceConfig\.default_error_rate_alarm_percent=101: must be 1-100",
        ),
        ({"tls_policy": "ELBSecurityPolicy-2016-08"}, r"ServiceConfig\.tls_policy=.*TLS 1\.3"),
    ],
)
def test_bad_service_config_names_the_field_and_value(changes, message):
    with pytest.raises(ConfigError, match=message):
        ServiceConfig(**changes)


def test_a_valid_service_config_builds():
    config = ServiceConfig(
        default_cpu_architecture="X86_64",
        default_capacity_provider="FARGATE_SPOT",
        default_health_check_grace_period_seconds=0,
        default_load_balancer_type="network",
        default_allowed_ingress_cidr="203.0.113.0/24",
        default_deletion_protection=False,
        default_deregistration_delay_seconds=3600,
        default_enable_execute_command=True,
    )
    assert config.default_load_balancer_type == "network"


def test_configs_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        NetworkConfig().max_azs = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ServiceConfig().default_load_balancer_type = "network"  # type: ignore[misc]


def test_product_config_checks_its_layers():
    with pytest.raises(ConfigError) as raised:
        ProductConfig(network="small")  # type: ignore[arg-type]
    assert str(raised.value) == "ProductConfig.network: must be a NetworkConfig, not a str"
    # Named by type, not by a repr of hundreds of characters.
    with pytest.raises(ConfigError) as raised:
        ProductConfig(network=ServiceConfig())  # type: ignore[arg-type]
    assert (
        str(raised.value) == "ProductConfig.network: must be a NetworkConfig, not a ServiceConfig"
    )
    with pytest.raises(ConfigError, match="must be an EnvironmentConfig, not None"):
        ProductConfig(environment=None)  # type: ignore[arg-type]


def test_a_product_with_services_refuses_options_for_the_service_it_does_not_build():
    """With services, the build writes service-<name>.yaml per service and no service.yaml:
    options given for that one were silently dropped (its TaskCpu stayed 256)."""
    from troposphere_fargate.layers.exposure import Routing

    web = ServiceConfig(
        container_name="web", expose="public", routing=Routing(priority=1, path="/*")
    )
    with pytest.raises(ConfigError, match=r"ProductConfig\.service: the options of the shipped"):
        ProductConfig(
            service=ServiceConfig(default_task_cpu=512, default_task_memory=1024), services=(web,)
        )
    assert ProductConfig(services=(web,)).services == (web,)
    assert ProductConfig(service=ServiceConfig(default_task_cpu=512, default_task_memory=1024))


@pytest.mark.parametrize("expose", ["public", "internal", "none"])
def test_the_shipped_service_with_an_exposure_is_refused_when_the_config_is_built(expose):
    """A newcomer's trial: ``ProductConfig(service=ServiceConfig(expose="none"))`` was accepted,
    then rendering said "the root neither takes nor wires the service template's parameter
    ClusterName, which has no default". An exposure is an environment's service's."""
    from troposphere_fargate.layers.exposure import Routing

    routing = Routing(priority=1, path="/*") if expose == "public" else None
    service = ServiceConfig(container_name="web", expose=expose, routing=routing)
    with pytest.raises(ConfigError) as refused:
        ProductConfig(service=service)
    assert str(refused.value) == (
        f"ProductConfig.service.expose={expose!r}: is for a service of an environment, which "
        "the shipped service.yaml is not (it has a load balancer of its own, or joins an "
        "environment at deploy time): give services=(ServiceConfig(container_name=..., "
        f"expose={expose!r}, ...),) instead, and an environment is built for it"
    )
    # What the message says to do builds.
    from troposphere_fargate.release.build import render_templates

    assert render_templates(ProductConfig(services=(service,)))


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


def test_services_of_the_wrong_kind_are_named_by_type_in_a_short_message():
    from troposphere_fargate.layers.config import ProductConfig, ServiceConfig

    for services, says in (
        ([ServiceConfig()], "not a list of ServiceConfig: tuple(the_list) converts it"),
        ((ServiceConfig(), "web"), "not a tuple of ServiceConfig, str"),
        ("web", "not a str"),
    ):
        with pytest.raises(ConfigError) as refused:
            ProductConfig(services=services)
        message = str(refused.value)
        assert message == f"ProductConfig.services: must be a tuple of ServiceConfig, {says}"


# --- Every setting counts: it changes the service's template, or it is refused ------------------

# A valid value other than the default for each field of ServiceConfig. ``application``,
# ``expose`` and ``routing`` say what the service is rather than set a default, and are tested
# with the exposures themselves (tests/layers/test_services_of_an_environment.py).
_OTHER_VALUE: dict[str, object] = {
    "container_name": "web",
    "default_container_port": 9000,
    "default_health_check_path": "/healthz",
    "default_task_cpu": 512,
    "default_task_memory": 1024,
    "default_cpu_architecture": "ARM64",
    "default_capacity_provider": "FARGATE_SPOT",
    "default_desired_count": 3,
    "default_min_capacity": 1,
    "default_max_capacity": 6,
    "default_cpu_target": 50,
    "default_memory_target": 60,
    "default_requests_per_target": 100,
    "default_error_rate_alarm_percent": 10,
    "default_alarm_topic_arn": "arn:aws:sns:eu-west-1:123456789012:ops",
    "scaling_schedules": "office hours",  # made below: it needs the class
    "queue_scaling": "a queue",  # made below
    "default_health_check_grace_period_seconds": 120,
    "default_load_balancer_type": "network",
    "default_allowed_ingress_cidr": "10.0.0.0/8",
    "default_deletion_protection": False,
    "default_https_only": True,
    "connect": True,
    "app_protocol": "grpc",
    "default_web_acl_arn": (
        "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/"
        "a1b2c3d4-5678-90ab-cdef-111122223333"
    ),
    "default_deregistration_delay_seconds": 5,
    "default_enable_execute_command": True,
    "default_log_retention_days": 731,
    "tls_policy": "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "target_health": "a health check port",
    "deployment": "blue/green",
}
_WHAT_THE_SERVICE_IS = {"application", "expose", "routing"}


def _other_value(name: str) -> object:
    from troposphere_fargate.layers.deployment import BLUE_GREEN, DeploymentSettings
    from troposphere_fargate.layers.health import TargetHealth
    from troposphere_fargate.layers.queue_scaling import QueueScaling
    from troposphere_fargate.layers.schedules import ScheduledScaling

    made = {
        "queue_scaling": QueueScaling("orders", 10),
        "scaling_schedules": (
            ScheduledScaling(name="office", schedule="cron(0 8 ? * MON-FRI *)", min_capacity=3),
        ),
        "target_health": TargetHealth(port=9100),
        "deployment": DeploymentSettings(strategy=BLUE_GREEN),
    }
    return made.get(name, _OTHER_VALUE[name])


def _exposures() -> dict[str, ServiceConfig]:
    from troposphere_fargate.layers.exposure import Routing

    return {
        "shipped": ServiceConfig(),
        "public": ServiceConfig(expose="public", routing=Routing(priority=10, path="/*")),
        "internal": ServiceConfig(expose="internal"),
        "none": ServiceConfig(expose="none"),
    }


def test_every_service_setting_has_another_value_to_try():
    names = {field.name for field in dataclasses.fields(ServiceConfig)}
    assert set(_OTHER_VALUE) == names - _WHAT_THE_SERVICE_IS


@pytest.mark.parametrize("exposure", ["shipped", "public", "internal", "none"])
def test_every_service_setting_changes_the_template_or_is_refused(exposure):
    # A setting a service's template has no use for (a worker's port, an internal service's
    # health check path) used to be taken without a word and change nothing.
    from troposphere_fargate.layers.service import service_template

    base = _exposures()[exposure]
    before = service_template(base).to_dict()
    silent = []
    for name in _OTHER_VALUE:
        changes = {name: _other_value(name)}
        if name == "default_task_cpu":
            changes["default_task_memory"] = 1024  # 512 CPU units take 1-4 GB
        try:
            config = dataclasses.replace(base, **changes)
        except ConfigError:
            continue
        if service_template(config).to_dict() == before:
            silent.append(name)
    assert silent == []


@pytest.mark.parametrize(
    ("exposure", "name", "says"),
    [
        ("none", "default_container_port", "a worker listens on no port"),
        ("none", "default_health_check_path", "it has no load balancer"),
        ("internal", "default_health_check_path", "it has no load balancer"),
        ("internal", "default_deregistration_delay_seconds", "it has no load balancer"),
        (
            "internal",
            "default_health_check_grace_period_seconds",
            "its template sets a grace period only with a load balancer; a container "
            "health_check's start_period covers a slow start",
        ),
        ("internal", "default_error_rate_alarm_percent", "it has no load balancer"),
    ],
)
def test_a_setting_a_service_has_no_use_for_is_refused_in_words(exposure, name, says):
    with pytest.raises(ConfigError) as refused:
        dataclasses.replace(_exposures()[exposure], **{name: _other_value(name)})
    assert str(refused.value).startswith(f"ServiceConfig.{name}=")
    assert f"a service exposed {exposure!r} has no use for it ({says}): leave it out" in str(
        refused.value
    )


def test_a_workers_sidecar_may_take_the_port_a_worker_does_not_listen_on():
    from troposphere_fargate.layers.application import Application, Sidecar

    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:1.0"
    sidecar = Sidecar(name="agent", image=image, port=8080)
    ServiceConfig(expose="none", application=Application(sidecars=(sidecar,)))
    with pytest.raises(ConfigError, match="is default_container_port"):
        ServiceConfig(expose="internal", application=Application(sidecars=(sidecar,)))


@pytest.mark.parametrize(
    ("policy", "strong"),
    [
        ("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", True),
        ("ELBSecurityPolicy-TLS13-1-3-2021-06", True),
        ("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", True),
        # "TLS13" in the name, but it still takes TLS 1.0 or 1.1: the name after TLS13- is the
        # oldest version it accepts (Elastic Load Balancing, "Security policies for your
        # Application Load Balancer"). The suppression of checkov's CKV_AWS_103 says so.
        ("ELBSecurityPolicy-TLS13-1-0-2021-06", False),
        ("ELBSecurityPolicy-TLS13-1-1-2021-06", False),
        ("ELBSecurityPolicy-2016-08", False),
        ("elbsecuritypolicy-tls13-1-2-res-2021-06", False),
    ],
)
def test_a_tls_policy_must_refuse_tls_1_0_and_1_1(policy, strong):
    from troposphere_fargate.layers.config import EnvironmentConfig

    for config in (ServiceConfig, EnvironmentConfig):
        if strong:
            assert config(tls_policy=policy).tls_policy == policy
        else:
            with pytest.raises(ConfigError, match=r"refuses TLS 1\.0 and 1\.1"):
                config(tls_policy=policy)


@pytest.mark.parametrize(
    ("policy", "meant"),
    [
        ("ELBSecurityPolicy-TLS13-1-2-Res-2021-07", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"),
        (
            "ELBSecurityPolicy-TLS13-1-2-Restricted-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        ),
        ("ELBSecurityPolicy-TLS13-1-3-PQ-2025-9", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09"),
        # Ext0 is a FIPS policy's only: difflib's nearest is Ext2.
        ("ELBSecurityPolicy-TLS13-1-2-Ext0-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06"),
        ("ELBSecurityPolicy-TLS13-1-3-Future-2027-01", None),
    ],
)
def test_a_tls_policy_elb_does_not_document_is_warned_about(policy, meant):
    """A name of the right shape that Elastic Load Balancing has no policy of: a load balancer
    takes a predefined policy only ("Application Load Balancers do not support custom security
    policies", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/
    describe-ssl-policies.html), and CreateListener refuses another name ("SSLPolicyNotFound:
    The specified SSL policy does not exist", Elastic Load Balancing API Reference,
    CreateListener, Errors): a typo passed the build without a word and failed the deploy. It
    is warned about, not refused, since AWS adds policies (the PQ ones in 2025) that a closed
    list would refuse until a release named them."""
    from troposphere_fargate.layers.config import EnvironmentConfig, ProductConfig
    from troposphere_fargate.layers.exposure import Routing

    (warning,) = ServiceConfig(tls_policy=policy).warnings
    assert warning.startswith(f"tls_policy: {policy} is none of the TLS 1.3 policies")
    assert ("did you mean" in warning) == (meant is not None)
    if meant:
        assert f"(did you mean {meant}?)" in warning
    assert f"aws elbv2 describe-ssl-policies --names {policy}" in warning
    assert ServiceConfig().warnings == ()
    web = ServiceConfig(container_name="web", expose="public", routing=Routing(1, path="/*"))
    product = ProductConfig(services=(web,), environment=EnvironmentConfig(tls_policy=policy))
    assert [w for w in product.warnings if "tls_policy" in w] == [f"environment.{warning}"]


def test_every_tls_policy_taken_is_one_elb_documents():
    # The hybrid post-quantum policies, by their names in the Application Load Balancer guide
    # ("AWS recommends implementing the new post-quantum TLS (PQ-TLS) based security policy
    # ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 or ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/application/
    # describe-ssl-policies.html), the 2021-06 TLS 1.3 ones and their FIPS twins (2023-04): none
    # that takes TLS 1.0 or 1.1 (TLS13-1-0-*, TLS13-1-1-*), and each name once.
    from troposphere_fargate.layers.config import DEFAULT_TLS_POLICY, TLS_POLICIES

    assert DEFAULT_TLS_POLICY in TLS_POLICIES
    assert "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" in TLS_POLICIES
    assert "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09" in TLS_POLICIES
    assert len(set(TLS_POLICIES)) == len(TLS_POLICIES) == 22
    shape = re.compile(
        r"ELBSecurityPolicy-TLS13-1-(?:2-(?:Res-|Ext1-|Ext2-)?|3-)(?:2021-06|PQ-2025-09)"
        r"|ELBSecurityPolicy-TLS13-1-(?:2-(?:Res-|Ext0-|Ext1-|Ext2-)?|3-)FIPS-(?:2023-04|PQ-2025-09)"
    )
    assert [policy for policy in TLS_POLICIES if not shape.fullmatch(policy)] == []


def test_a_health_check_path_with_a_query_is_taken_as_elb_takes_it():
    # ELB takes ?, & and = in a health check path ("a-z, A-Z, 0-9, and @:%_+.~#?&/=",
    # apollographql/router#1852); a spec trial was told to percent-encode the ?.
    from tests.support import SERVICE_REQUIRED
    from troposphere_fargate.cfn.evaluate import ParameterError, deployed
    from troposphere_fargate.layers.service import service_template

    config = ServiceConfig(default_health_check_path="/health?full=1&x=a-b")
    template = service_template(config).to_dict()
    deployed(template, SERVICE_REQUIRED)
    with pytest.raises(ParameterError, match="HealthCheckPath"):
        deployed(template, {**SERVICE_REQUIRED, "HealthCheckPath": "/health;full"})
    # A fragment is never sent (RFC 9110, 4.2.4): ELB takes #, the config says to leave it out.
    with pytest.raises(ConfigError, match="which an HTTP request never carries: leave it out"):
        ServiceConfig(default_health_check_path="/health#ready")
    # A % starts two hex digits (a trial's /h%zz built); the parameter refuses it too.
    with pytest.raises(ConfigError, match="a % starts a percent-encoding of two hex digits"):
        ServiceConfig(default_health_check_path="/h%zz")
    with pytest.raises(ParameterError, match="HealthCheckPath"):
        deployed(template, {**SERVICE_REQUIRED, "HealthCheckPath": "/h%zz"})
    deployed(template, {**SERVICE_REQUIRED, "HealthCheckPath": "/h%20z"})
    with pytest.raises(ParameterError, match="HealthCheckPath"):
        deployed(template, {**SERVICE_REQUIRED, "HealthCheckPath": "/" + "%20" * 400})
    # A URL's percent-encoding is of the UTF-8 bytes (a trial was told %E9 for é).
    with pytest.raises(ConfigError, match=r"percent-encode it \(%C3%A9\)"):
        ServiceConfig(default_health_check_path="/héalth")


def test_a_deregistration_delay_longer_than_fargate_spot_s_warning_is_warned_about():
    """On Fargate Spot "your tasks are interrupted with a two-minute warning" (ECS Developer
    Guide, Fargate capacity providers, https://docs.aws.amazon.com/AmazonECS/latest/
    developerguide/fargate-capacity-providers.html), and ECS "will now deregister your task
    running on Fargate Spot, if it receives a spot termination notice, before issuing a SIGTERM"
    (What's New, 13 February 2023, "Amazon ECS improves accuracy of service load balancing"):
    a deregistration delay past those two minutes never drains, and the connections still open
    when the task stops are cut. AWS's knowledge center asks for a stopTimeout of 120 s or less
    on Spot for the same reason ("How do I handle Spot termination notices in AWS Fargate Spot
    tasks?"). Allowed (it works on FARGATE), so said, not refused."""
    from troposphere_fargate.layers.exposure import Routing

    spot = {"default_capacity_provider": "FARGATE_SPOT"}
    (warning,) = ServiceConfig(**spot, default_deregistration_delay_seconds=300).warnings
    assert warning == (
        "deregistration_delay: 300 s with FARGATE_SPOT, whose tasks stop 120 s "
        "after their interruption notice, so the connections still open then are cut: keep it "
        "at 120 or less"
    )
    public = ServiceConfig(
        **spot,
        default_deregistration_delay_seconds=121,
        container_name="web",
        expose="public",
        routing=Routing(1, path="/*"),
    )
    assert [w.split(":")[0] for w in public.warnings] == ["deregistration_delay"]
    assert ServiceConfig(**spot, default_deregistration_delay_seconds=120).warnings == ()
    assert ServiceConfig(default_deregistration_delay_seconds=300).warnings == ()
    # A worker has no target group, and no deregistration delay to set.
    assert ServiceConfig(**spot, container_name="jobs", expose="none").warnings == ()


def test_a_service_of_a_fixed_size_takes_equal_scaling_bounds():
    # MinCapacity equal to MaxCapacity holds the task count where it is: a fixed-size service,
    # which Application Auto Scaling takes (a minimum above the maximum is what it refuses).
    from troposphere_fargate.layers import service as s
    from troposphere_fargate.layers.service import service_template

    config = ServiceConfig(default_min_capacity=3, default_max_capacity=3, default_desired_count=3)
    parameters = service_template(config).to_dict()["Parameters"]
    assert parameters[s.MIN_CAPACITY]["Default"] == parameters[s.MAX_CAPACITY]["Default"] == "3"
    with pytest.raises(ConfigError, match=r"default_min_capacity=4: exceeds default_max_capacity"):
        ServiceConfig(default_min_capacity=4, default_max_capacity=3)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("default_alarm_topic_arn", "arn:aws:sns:cn-north-1:123456789012:ops", "aws-cn"),
        ("default_alarm_topic_arn", "arn:aws-us-gov:sns:eu-west-1:123456789012:ops", "aws"),
        (
            "default_web_acl_arn",
            "arn:aws-cn:wafv2:us-east-1:123456789012:regional/webacl/web/"
            "a1b2c3d4-5678-90ab-cdef-111122223333",
            "aws",
        ),
    ],
)
def test_an_optional_arn_of_a_region_of_another_partition_is_refused(field, value, says):
    # A review: such a topic or web ACL was taken as a default no stack can use (an ARN's
    # partition is its region's), where the same mismatch in a secret's ARN was refused.
    from troposphere_fargate.layers.config import EnvironmentConfig

    region = value.split(":")[3]
    expected = f"{region} is a region of partition {says}: its ARNs start arn:{says}:"
    for config in (ServiceConfig, EnvironmentConfig):
        if field not in {f.name for f in dataclasses.fields(config)}:
            continue
        with pytest.raises(ConfigError) as refused:
            config(**{field: value})
        assert str(refused.value) == f"{config.__name__}.{field}={value!r}: {expected}"


@pytest.mark.parametrize("value", [None, 5])
def test_an_optional_arn_that_is_not_a_string_is_refused_naming_the_field(value):
    # Empty means none; None, or a number, is no ARN: it was taken (None), or failed with a
    # TypeError from the regular expression instead of a ConfigError naming the field (5).
    from troposphere_fargate.layers.config import EnvironmentConfig

    with pytest.raises(ConfigError) as refused:
        ServiceConfig(default_alarm_topic_arn=value)  # type: ignore[arg-type]
    assert str(refused.value).startswith(
        f"ServiceConfig.default_alarm_topic_arn={value!r}: must be a standard SNS topic ARN"
    )
    for config in (ServiceConfig, EnvironmentConfig):
        with pytest.raises(ConfigError) as refused:
            config(default_web_acl_arn=value)  # type: ignore[arg-type]
        assert str(refused.value).startswith(
            f"{config.__name__}.default_web_acl_arn={value!r}: must be a regional AWS WAF web ACL"
        )


SMALL_PUBLIC = ("10.0.0.0/28", "10.0.0.16/28", "10.0.0.32/28")


def test_private_subnets_their_interface_endpoints_fill_are_refused():
    """A review built 16 interface endpoints into /28 private subnets (11 addresses: AWS
    reserves 5 of each subnet, Amazon VPC User Guide, "Subnet CIDR blocks"): each endpoint takes
    one in every private subnet, and no task found one."""
    endpoints = (
        "ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "ssmmessages", "kms", "sts",
        "monitoring", "xray", "elasticloadbalancing",
    )  # fmt: skip
    small = {
        "vpc_cidr": "10.0.0.0/24",
        "public_subnet_cidrs": SMALL_PUBLIC,
        "private_subnet_cidrs": ("10.0.0.64/28", "10.0.0.80/28", "10.0.0.96/28"),
        "interface_endpoints": endpoints,
    }
    with pytest.raises(ConfigError) as refused:
        NetworkConfig(**small, default_vpc_endpoints=True)
    assert str(refused.value) == (
        "NetworkConfig.private_subnet_cidrs[0]='10.0.0.64/28': holds 11 addresses a resource "
        "can take (AWS reserves 5), and the 11 interface endpoints (default_vpc_endpoints) take "
        "one each in every private subnet: no task would find one. Give the private subnets "
        "more room (a /24 holds 251), or fewer interface_endpoints"
    )
    NetworkConfig(**{**small, "interface_endpoints": endpoints[:10]}, default_vpc_endpoints=True)
    # Endpoints off by default: a warning (a console user may turn them on), not a refusal.
    (warning,) = [
        w for w in ProductConfig(network=NetworkConfig(**small)).warnings if "private" in w
    ]
    assert "11 for the interface endpoints (with VpcEndpoints on)" in warning


def test_subnets_that_may_run_out_of_addresses_are_warned_about():
    """A load balancer's subnets: "verify that each subnet for your load balancer has a CIDR
    block with at least a /27 bitmask (for example, 10.0.0.0/27) and has at least 8 free IP
    addresses" (Elastic Load Balancing, "Subnets for your load balancer"); each task takes an
    address in a private subnet, twice over while a deployment replaces them (MaximumPercent
    200), and a task without one is not placed."""
    from troposphere_fargate.layers.exposure import Routing

    network = NetworkConfig(
        vpc_cidr="10.0.0.0/24",
        public_subnet_cidrs=SMALL_PUBLIC,
        private_subnet_cidrs=("10.0.0.64/27", "10.0.0.96/27", "10.0.0.128/27"),
        default_vpc_endpoints=True,
        default_nat_gateways="None",
    )
    public = ServiceConfig(
        container_name="web",
        expose="public",
        routing=Routing(priority=1, path="/"),
        default_max_capacity=20,
    )
    warnings = ProductConfig(network=network, services=(public,)).warnings
    assert warnings == (
        "network.public_subnet_cidrs: 10.0.0.0/28, 10.0.0.16/28, 10.0.0.32/28 are smaller than "
        "the /27 Elastic Load Balancing asks of a load balancer's subnets, with 8 addresses free "
        "to scale (a /28 holds 11): give them a /27 or larger",
    )  # 6 endpoints and 20 tasks in a /27's 27 addresses: room
    busy = dataclasses.replace(public, default_max_capacity=30)
    (_, crowded) = ProductConfig(network=network, services=(busy,)).warnings
    assert crowded == (
        "network.private_subnet_cidrs: 10.0.0.64/27, 10.0.0.96/27, 10.0.0.128/27 may need 36 "
        "addresses each, and a /27 holds 27: 6 for the interface endpoints, 30 for tasks (the "
        "services' max_capacity of 30 in all, twice over during a deployment, spread over 2 "
        "Availability Zones); a task without an address is not placed: give the private "
        "subnets more room"
    )
    internal = dataclasses.replace(busy, expose="internal", routing=None, default_max_capacity=4)
    assert ProductConfig(network=network, services=(internal,)).warnings == ()  # no balancer
    # The shipped service, one of its own: its load balancer is in the public subnets (a
    # review: the warning never fired without services).
    (alone,) = ProductConfig(network=network).warnings
    assert alone.startswith("network.public_subnet_cidrs: 10.0.0.0/28, ")
    assert ProductConfig().warnings == ()  # the shipped network: /22 and /19 blocks
