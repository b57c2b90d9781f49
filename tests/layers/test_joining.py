"""The shipped service.yaml joining an environment from the console: one behaviour per test,
read from what the template deploys for the environment's outputs and the exposure chosen
(``deployed`` evaluates its constraints, rules and conditions). On its own (ClusterName empty,
the default) it deploys exactly what 0.3.0 deployed: tests/layers/test_console_application.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import SERVICE_REQUIRED as REQUIRED
from tests.support import WEB_ACL, compute, dangling_refs, memory_left, props
from troposphere_fargate import __version__
from troposphere_fargate.cfn.dry_run import DryRunFailed, dry_run
from troposphere_fargate.cfn.evaluate import Deployment, ParameterError, RuleError, deployed
from troposphere_fargate.cfn.yaml import read_template
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.config import ServiceConfig
from troposphere_fargate.layers.environment import names as e
from troposphere_fargate.layers.exposure import Routing
from troposphere_fargate.layers.service import service_template

# The environment stack's outputs, as a console user copies them.
ENVIRONMENT = {
    s.CLUSTER_NAME: "shop-Cluster-AbCdEf012345",
    s.ENVIRONMENT_SECURITY_GROUP_ID: "sg-0123456789abcdef0",
    s.NAMESPACE_ARN: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abcdef0123",
}
LISTENER = {
    s.LISTENER_ARN: (
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/"
        "0123456789abcdef/fedcba9876543210"
    ),
    s.LOAD_BALANCER_SECURITY_GROUP_ID: "sg-0fedcba9876543210",
    s.ENVIRONMENT_URL: "https://shop.example.com",
}
PUBLIC = {**ENVIRONMENT, **LISTENER, s.EXPOSE: "public", s.LISTENER_RULE_PRIORITY: "10"}
INTERNAL = {**ENVIRONMENT, s.EXPOSE: "internal", s.SERVICE_CONNECT_NAME: "orders"}
WORKER = {**ENVIRONMENT, s.EXPOSE: "none"}

# What the service has only on its own: its cluster, load balancer, listeners and their logs.
ITS_OWN = {
    s.CLUSTER,
    s.LOAD_BALANCER,
    s.LOAD_BALANCER_SECURITY_GROUP,
    s.LOAD_BALANCER_HTTP_INGRESS,
    s.LOAD_BALANCER_EGRESS_TO_TASKS,
    s.HTTP_LISTENER,
    s.ACCESS_LOGS_BUCKET,
    s.ACCESS_LOGS_BUCKET_POLICY,
}


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**REQUIRED, **parameters})


def ingress(stack: Deployment) -> list[dict[str, Any]]:
    return list(props(stack.resources[s.TASK_SECURITY_GROUP]).get("SecurityGroupIngress", []))


def aws_vpc(stack: Deployment) -> dict[str, Any]:
    configuration = props(stack.resources[s.SERVICE])["NetworkConfiguration"]
    return dict(configuration["AwsvpcConfiguration"])


# --- Parameters --------------------------------------------------------------------------------


def test_the_join_parameters_are_the_environments_outputs_and_empty_by_default(service):
    parameters = service["Parameters"]
    assert set(e.JOIN_OUTPUTS) <= set(parameters)
    assert {name: parameters[name]["Default"] for name in s.JOIN_PARAMETERS} == dict.fromkeys(
        s.JOIN_PARAMETERS, ""
    )
    defaults = {name: parameters[name]["Default"] for name in s.ROUTING_PARAMETERS}
    assert defaults == {
        s.EXPOSE: "public",
        s.LISTENER_RULE_PRIORITY: "0",
        s.LISTENER_RULE_PATH: "",
        s.LISTENER_RULE_HOST: "",
        s.SERVICE_CONNECT_NAME: "",
        s.SERVICE_CONNECT_APP_PROTOCOL: "",
    }
    assert parameters[s.EXPOSE]["AllowedValues"] == ["public", "internal", "none"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (s.CLUSTER_NAME, "a cluster"),
        (s.LISTENER_ARN, "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x"),
        (s.ENVIRONMENT_SECURITY_GROUP_ID, "sg-123"),
        (s.NAMESPACE_ARN, "ns-abcdef0123"),
        (s.ENVIRONMENT_URL, "shop.example.com"),
        (s.LISTENER_RULE_PRIORITY, "50001"),
        (s.LISTENER_RULE_PATH, "api/*"),
        # "Condition wildcards per rule: 5", not adjustable (Elastic Load Balancing, quotas
        # for your Application Load Balancers): six took the pattern and moto (an audit).
        (s.LISTENER_RULE_PATH, "/a*/b*/c*/d*/e*/f*"),
        (s.LISTENER_RULE_PATH, "/??????"),
        (s.LISTENER_RULE_HOST, "API.example.com"),
        (s.SERVICE_CONNECT_NAME, "Orders"),
        # A DNS label: "labels 63 octets or less" (RFC 1035); the other services resolve it.
        (s.SERVICE_CONNECT_NAME, "o" * 64),
        # ECS takes http, http2 and grpc (PortMapping, appProtocol); TCP is no value at all.
        (s.SERVICE_CONNECT_APP_PROTOCOL, "tcp"),
        (s.SERVICE_CONNECT_APP_PROTOCOL, "HTTP"),
    ],
)
def test_a_malformed_value_is_refused_by_its_parameter(service, name, value):
    with pytest.raises(ParameterError, match=name):
        deploy(service, **{**PUBLIC, name: value})


def test_a_service_connect_name_is_refused_in_the_same_words_everywhere(service):
    """The rule was written out three times, the parameter's in words of its own ("a DNS
    label: lower-case letters, digits and hyphens, up to 63")."""
    from troposphere_fargate.errors import ConfigError
    from troposphere_fargate.layers.exposure import SERVICE_CONNECT_NAME_RULE as RULE

    with pytest.raises(ParameterError, match=f"must be empty or {RULE}"):
        deploy(service, **{**PUBLIC, s.SERVICE_CONNECT_NAME: "Orders"})
    with pytest.raises(ConfigError, match=f"it must be {RULE}"):
        ServiceConfig(expose="internal", container_name="Orders")
    with pytest.raises(ConfigError, match=rf"a connect one's: {RULE}\)"):
        service_template(ServiceConfig(), resolves=("Orders",))


# --- Public: a listener rule on the environment's listener -------------------------------------


def test_a_public_service_has_nothing_of_its_own_but_its_target_group_and_rule(service):
    stack = deploy(service, **PUBLIC, **{s.LISTENER_RULE_PATH: "/api/*"})
    assert not ITS_OWN & set(stack.resources)
    assert s.TARGET_GROUP in stack.resources and s.LISTENER_RULE in stack.resources
    assert props(stack.resources[s.SERVICE])["Cluster"] == {"Ref": s.CLUSTER_NAME}
    assert dangling_refs(stack) == set()


@pytest.mark.parametrize(
    ("path", "host", "conditions"),
    [
        ("/api/*", "", [("path-pattern", "PathPatternConfig", s.LISTENER_RULE_PATH)]),
        ("", "api.shop.example.com", [("host-header", "HostHeaderConfig", s.LISTENER_RULE_HOST)]),
        (
            "/v1/*",
            "api.shop.example.com",
            [
                ("path-pattern", "PathPatternConfig", s.LISTENER_RULE_PATH),
                ("host-header", "HostHeaderConfig", s.LISTENER_RULE_HOST),
            ],
        ),
    ],
    ids=["path", "host", "both"],
)
def test_the_rule_matches_the_path_and_host_given(service, path, host, conditions):
    stack = deploy(service, **PUBLIC, **{s.LISTENER_RULE_PATH: path, s.LISTENER_RULE_HOST: host})
    rule = props(stack.resources[s.LISTENER_RULE])
    assert rule["ListenerArn"] == {"Ref": s.LISTENER_ARN}
    assert rule["Priority"] == {"Ref": s.LISTENER_RULE_PRIORITY}
    assert [
        (c["Field"], key, c[key]["Values"])
        for c in rule["Conditions"]
        for key in c
        if key != "Field"
    ] == [(field, key, [{"Ref": parameter}]) for field, key, parameter in conditions]
    assert rule["Actions"] == [{"Type": "forward", "TargetGroupArn": {"Ref": s.TARGET_GROUP}}]


def test_validate_counts_the_hosts_wildcard_with_the_paths():
    """ELB takes five wildcards per rule, its conditions together: "You can include wildcard
    characters in the match evaluations for the http-header, host-header, path-pattern, and
    query-string conditions. There is a limit of five wildcard characters per rule" (Condition
    types for listener rules,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html;
    "Condition wildcards per rule: 5", not adjustable, Quotas for your Application Load
    Balancers,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html).
    ListenerRulePath's pattern holds five, and a ListenerRuleHost of *.shop.example.com adds a
    sixth that no parameter pattern can count: validate said "would accept"."""
    subnets = {
        s.PUBLIC_SUBNET_IDS: "subnet-0a000001,subnet-0a000002",
        s.PRIVATE_SUBNET_IDS: "subnet-0b000001,subnet-0b000002",
    }
    public = {**REQUIRED, **subnets, **PUBLIC, s.LISTENER_RULE_HOST: "*.shop.example.com"}
    with pytest.raises(DryRunFailed) as failed:
        dry_run(SHIPPED_SERVICE, {**public, s.LISTENER_RULE_PATH: "/a*/b*/c*/d*/e?"})
    assert failed.value.problems == [
        f"service.yaml: parameters {s.LISTENER_RULE_HOST} and {s.LISTENER_RULE_PATH}: the "
        f"listener rule {s.LISTENER_RULE} has 6 wildcards (* and ?) in its conditions "
        "(/a*/b*/c*/d*/e?, *.shop.example.com); Elastic Load Balancing takes 5 per rule, all "
        f"conditions together: the stack would fail creating {s.LISTENER_RULE}"
    ]
    # Five in all, or five in the path without a wildcard host, are what ELB takes.
    dry_run(SHIPPED_SERVICE, {**public, s.LISTENER_RULE_PATH: "/a*/b*/c*/d*"})
    dry_run(
        SHIPPED_SERVICE,
        {**public, s.LISTENER_RULE_PATH: "/a*/b*/c*/d*/e?", s.LISTENER_RULE_HOST: "api.x.com"},
    )


def test_a_public_service_admits_its_port_from_the_environments_load_balancer_only(service):
    stack = deploy(service, **PUBLIC, **{s.LISTENER_RULE_PATH: "/*"})
    assert ingress(stack) == [
        {
            "SourceSecurityGroupId": {"Ref": s.LOAD_BALANCER_SECURITY_GROUP_ID},
            "IpProtocol": "tcp",
            "FromPort": {"Ref": s.CONTAINER_PORT},
            "ToPort": {"Ref": s.CONTAINER_PORT},
            "Description": "Container port from the load balancer",
        }
    ]
    target_group = props(stack.resources[s.TARGET_GROUP])
    assert (target_group["Protocol"], target_group["TargetType"]) == ("HTTP", "ip")


def test_the_service_waits_for_its_rule_before_registering_with_the_target_group(service):
    stack = deploy(service, **PUBLIC, **{s.LISTENER_RULE_PATH: "/*"})
    assert stack.resources[s.SERVICE]["DependsOn"] == [s.LISTENERS_READY]
    waited = stack.resources[s.LISTENERS_READY]["Metadata"]
    assert waited[s.LISTENER_RULE] == {"Ref": s.LISTENER_RULE}


@pytest.mark.parametrize(
    ("path", "host", "url"),
    [
        ("/api/*", "", "https://shop.example.com/api/"),
        ("/*", "", "https://shop.example.com/"),
        ("", "api.shop.example.com", "https://api.shop.example.com"),
        ("/v1/*", "api.shop.example.com", "https://api.shop.example.com/v1/"),
    ],
)
def test_the_service_url_is_the_environments_with_the_rules_host_and_path(service, path, host, url):
    stack = deploy(service, **PUBLIC, **{s.LISTENER_RULE_PATH: path, s.LISTENER_RULE_HOST: host})
    conditions = stack.conditions
    assert (
        compute(stack.outputs[s.OUTPUT_SERVICE_URL]["Value"], stack.parameters, conditions) == url
    )


# --- Internal: Service Connect, no load balancer -----------------------------------------------


def test_an_internal_service_has_no_load_balancer_target_group_or_rule(service):
    stack = deploy(service, **INTERNAL)
    assert not (ITS_OWN | {s.TARGET_GROUP, s.LISTENER_RULE}) & set(stack.resources)
    assert "LoadBalancers" not in props(stack.resources[s.SERVICE])
    assert "HealthCheckGracePeriodSeconds" not in props(stack.resources[s.SERVICE])
    assert dangling_refs(stack) == set()


def test_an_internal_service_is_served_by_its_name_on_its_port_through_service_connect(service):
    stack = deploy(service, **INTERNAL)
    connect = props(stack.resources[s.SERVICE])["ServiceConnectConfiguration"]
    assert connect["Enabled"] is True
    assert connect["Namespace"] == {"Ref": s.NAMESPACE_ARN}
    (served,) = connect["Services"]
    (container,) = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    (port,) = container["PortMappings"]
    # Service Connect's PortName must be the name of one of the container's port mappings.
    assert served["PortName"] == port["Name"]
    assert served["DiscoveryName"] == {"Ref": s.SERVICE_CONNECT_NAME}
    assert served["ClientAliases"] == [
        {"Port": {"Ref": s.CONTAINER_PORT}, "DnsName": {"Ref": s.SERVICE_CONNECT_NAME}}
    ]
    url = compute(stack.outputs[s.OUTPUT_SERVICE_URL]["Value"], stack.parameters)
    assert url == "http://orders:8080"  # ContainerPort's default


def test_an_internal_service_admits_its_port_from_the_environments_services_only(service):
    (rule,) = ingress(deploy(service, **INTERNAL))
    assert rule["SourceSecurityGroupId"] == {"Ref": s.ENVIRONMENT_SECURITY_GROUP_ID}
    assert rule["FromPort"] == rule["ToPort"] == {"Ref": s.CONTAINER_PORT}


def test_the_service_connect_proxy_logs_to_the_services_log_group(service):
    connect = props(deploy(service, **INTERNAL).resources[s.SERVICE])["ServiceConnectConfiguration"]
    options = connect["LogConfiguration"]["Options"]
    assert connect["LogConfiguration"]["LogDriver"] == "awslogs"
    assert options["awslogs-group"] == {"Ref": s.LOG_GROUP}


def app_port(stack: Deployment) -> dict[str, Any]:
    (container,) = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    (port,) = container["PortMappings"]
    return dict(port)


# "If you don't set a value for this parameter, then TCP is used" and "appProtocol is immutable
# in a Service Connect service. Updating this field requires a service deletion and
# redeployment" (ECS API Reference, PortMapping:
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html): chosen at
# creation, and left out unless chosen, so a running stack's port mapping does not change.
@pytest.mark.parametrize("protocol", ["http", "http2", "grpc"])
def test_an_internal_service_is_served_by_the_app_protocol_chosen(service, protocol):
    port = app_port(deploy(service, **INTERNAL, **{s.SERVICE_CONNECT_APP_PROTOCOL: protocol}))
    assert port["AppProtocol"] == {"Ref": s.SERVICE_CONNECT_APP_PROTOCOL}
    assert port["Name"] == "app"


@pytest.mark.parametrize(
    "values",
    [{}, INTERNAL, WORKER, {**PUBLIC, s.LISTENER_RULE_PATH: "/*"}],
    ids=["own", "internal", "none", "public"],
)
def test_without_an_app_protocol_service_connect_serves_tcp_as_before(service, values):
    assert "AppProtocol" not in app_port(deploy(service, **values))


def test_the_app_protocol_parameter_says_what_it_adds_breaks_and_that_it_cannot_change(service):
    parameter = service["Parameters"][s.SERVICE_CONNECT_APP_PROTOCOL]
    assert parameter["AllowedValues"] == ["", "http", "http2", "grpc"]
    assert parameter["Default"] == ""
    for words in ("telemetry", "http breaks", "HTTP/2 or gRPC", "deleted and created again"):
        assert words in parameter["Description"]
    groups = service["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"]
    (group,) = [g for g in groups if s.SERVICE_CONNECT_NAME in g["Parameters"]]
    assert s.SERVICE_CONNECT_APP_PROTOCOL in group["Parameters"]


# --- None: a worker ----------------------------------------------------------------------------


def test_a_worker_admits_nothing_and_calls_the_others_through_service_connect(service):
    stack = deploy(service, **WORKER)
    assert ingress(stack) == []
    assert not (ITS_OWN | {s.TARGET_GROUP, s.LISTENER_RULE}) & set(stack.resources)
    connect = props(stack.resources[s.SERVICE])["ServiceConnectConfiguration"]
    assert "Services" not in connect  # a client only
    assert connect["Namespace"] == {"Ref": s.NAMESPACE_ARN}


# --- Every service of an environment -----------------------------------------------------------


def test_changing_how_a_service_is_exposed_keeps_its_task_security_group(service):
    # GroupDescription: "Update requires: Replacement" (AWS::EC2::SecurityGroup). A description
    # that named the exposure replaced the group when Expose changed: a database's rule that
    # admits TaskSecurityGroupId stopped matching, and an import of it blocked the update.
    def description(**values: str) -> Any:
        return props(deploy(service, **values).resources[s.TASK_SECURITY_GROUP])["GroupDescription"]

    public = {**PUBLIC, s.LISTENER_RULE_PATH: "/*"}
    joined = {description(**values) for values in (public, INTERNAL, WORKER)}
    assert len(joined) == 1
    # On its own the service keeps the description every version before 0.4.0 had.
    assert description() == "Fargate tasks: the container port from the load balancer only"
    spec_built = {
        props(
            service_template(ServiceConfig(expose=expose, routing=routing)).to_dict()["Resources"][
                s.TASK_SECURITY_GROUP
            ]
        )["GroupDescription"]
        for expose, routing in (
            ("public", Routing(10, "/*")),
            ("internal", None),
            ("none", None),
        )
    }
    assert spec_built == joined


@pytest.mark.parametrize("joined", [PUBLIC, INTERNAL, WORKER], ids=["public", "internal", "none"])
def test_tasks_join_the_environments_group_in_the_private_subnets_without_public_ips(
    service, joined
):
    extra = {s.LISTENER_RULE_PATH: "/*"} if joined is PUBLIC else {}
    vpc = aws_vpc(deploy(service, **joined, **extra))
    assert vpc["AssignPublicIp"] == "DISABLED"
    assert vpc["Subnets"] == {"Ref": s.PRIVATE_SUBNET_IDS}
    assert vpc["SecurityGroups"] == [
        {"Ref": s.TASK_SECURITY_GROUP},
        {"Ref": s.ENVIRONMENT_SECURITY_GROUP_ID},
    ]


# "you must set the task memory limit to a number greater than the sum of the container memory
# limits. The additional CPU and memory in the task limits that aren't allocated in the container
# limits are used by the Service Connect proxy container"; "We recommend adding ... at least 64
# MiB of memory to your task ... for the Service Connect proxy container" (Amazon ECS Developer
# Guide, Service Connect components, Considerations and Proxy resources:
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html).
@pytest.mark.parametrize("joined", [PUBLIC, INTERNAL, WORKER], ids=["public", "internal", "none"])
@pytest.mark.parametrize(("cpu", "memory"), [("256", "512"), ("1024", "8192"), ("16384", "122880")])
def test_the_service_connect_proxy_has_memory_no_container_limit_takes(
    service, joined, cpu, memory
):
    extra = {s.LISTENER_RULE_PATH: "/*"} if joined is PUBLIC else {}
    stack = deploy(service, **joined, **extra, TaskCpu=cpu, TaskMemory=memory)
    assert memory_left(service, stack) >= 64


def test_on_its_own_the_application_container_may_use_all_the_task_memory(service):
    # No proxy: the task definition of a service on its own stays what 0.3.0 deployed.
    stack = deploy(service, TaskMemory="1024")
    (container,) = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    assert container["Memory"] == {"Ref": s.TASK_MEMORY}


def test_on_its_own_the_service_is_in_no_namespace_and_no_group_but_its_own(service):
    stack = deploy(service)
    assert "ServiceConnectConfiguration" not in props(stack.resources[s.SERVICE])
    assert aws_vpc(stack)["SecurityGroups"] == [{"Ref": s.TASK_SECURITY_GROUP}]


# --- What the template's rules refuse before anything is created -------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({s.EXPOSE: "internal"}, "Expose is internal or none, which needs an environment"),
        ({s.SERVICE_CONNECT_NAME: "orders"}, "are for joining an environment"),
        ({s.LISTENER_RULE_PRIORITY: "5"}, "A listener rule .* is for joining an environment"),
        (
            {**ENVIRONMENT, s.NAMESPACE_ARN: "", s.EXPOSE: "none"},
            "needs its EnvironmentSecurityGroupId and NamespaceArn outputs",
        ),
        (
            {**WORKER, s.LOAD_BALANCER_TYPE: "network"},
            "the load balancer, its certificate, its port 80, its web ACL and its HSTS header are "
            "the environment's",
        ),
        (
            {**WORKER, s.WEB_ACL_ARN: WEB_ACL},
            "leave LoadBalancerType application, CertificateArn and WebAclArn empty",
        ),
        ({**PUBLIC, s.LISTENER_ARN: "", s.LISTENER_RULE_PATH: "/*"}, "needs its ListenerArn"),
        ({**PUBLIC, s.LISTENER_RULE_PRIORITY: "0", s.LISTENER_RULE_PATH: "/*"}, "Priority"),
        ({**PUBLIC}, "needs ListenerRulePath, ListenerRuleHost or both"),
        ({**INTERNAL, s.SERVICE_CONNECT_NAME: ""}, "An internal service needs a ServiceConnect"),
        ({**INTERNAL, s.LISTENER_RULE_PATH: "/*"}, "Only a public service has a listener rule"),
        (
            {**PUBLIC, s.LISTENER_RULE_PATH: "/*", s.SERVICE_CONNECT_NAME: "web"},
            "Only an internal service has a ServiceConnectName",
        ),
        ({**WORKER, s.SERVICE_CONNECT_NAME: "jobs"}, "leave it empty, or set Expose to internal"),
        ({s.SERVICE_CONNECT_APP_PROTOCOL: "http"}, "ServiceConnectAppProtocol is for an internal"),
        (
            {**WORKER, s.SERVICE_CONNECT_APP_PROTOCOL: "grpc"},
            "ServiceConnectAppProtocol is for an internal service",
        ),
        (
            {**PUBLIC, s.LISTENER_RULE_PATH: "/*", s.SERVICE_CONNECT_APP_PROTOCOL: "http2"},
            "set Expose to internal, or leave ServiceConnectAppProtocol empty",
        ),
        (
            {**ENVIRONMENT, s.EXPOSE: "internal", s.SERVICE_CONNECT_APP_PROTOCOL: "http"},
            "An internal service needs a ServiceConnect",
        ),
    ],
    ids=[
        "internal-alone",
        "name-alone",
        "rule-alone",
        "no-namespace",
        "own-load-balancer-type",
        "own-web-acl",
        "public-without-listener",
        "public-without-priority",
        "public-without-path-or-host",
        "internal-without-name",
        "rule-on-internal",
        "name-on-a-public-service",
        "name-on-a-worker",
        "app-protocol-alone",
        "app-protocol-on-a-worker",
        "app-protocol-on-a-public-service",
        "app-protocol-without-a-name",
    ],
)
def test_a_combination_that_cannot_deploy_is_refused_by_a_rule(service, values, message):
    with pytest.raises(RuleError, match=message):
        deploy(service, **values)


SHIPPED_SERVICE = Path(__file__).resolve().parents[2] / "templates" / __version__ / "service.yaml"


def test_validate_refuses_an_app_protocol_for_a_worker_in_the_templates_words():
    # The shipped file, as `troposphere-fargate validate` reads it: a worker is served by no
    # Service Connect name, so a protocol for it would be taken without a word.
    rule = s.APP_PROTOCOL_NEEDS_AN_INTERNAL_SERVICE
    subnets = {
        s.PUBLIC_SUBNET_IDS: "subnet-0a000001,subnet-0a000002",
        s.PRIVATE_SUBNET_IDS: "subnet-0b000001,subnet-0b000002",
    }
    assertions = read_template(SHIPPED_SERVICE)["Rules"][rule]["Assertions"]
    with pytest.raises(DryRunFailed) as failed:
        dry_run(
            SHIPPED_SERVICE,
            {**REQUIRED, **subnets, **WORKER, s.SERVICE_CONNECT_APP_PROTOCOL: "grpc"},
        )
    assert failed.value.problems == [
        f"service.yaml: rule {rule}: {assertion['AssertDescription']}" for assertion in assertions
    ]
    assert "set Expose to internal" in failed.value.problems[0]
    internal = {**REQUIRED, **subnets, **INTERNAL, s.SERVICE_CONNECT_APP_PROTOCOL: "grpc"}
    # Without its name, the internal service's own rule says so, once (a review: the
    # protocol's rule said it a second time, in other words).
    with pytest.raises(DryRunFailed) as failed:
        dry_run(SHIPPED_SERVICE, {**internal, s.SERVICE_CONNECT_NAME: ""})
    assert [p.split(":")[1] for p in failed.value.problems] == [
        f" rule {s.INTERNAL_SERVICE_NEEDS_A_NAME}"
    ]
    planned = dry_run(SHIPPED_SERVICE, internal)
    (definition,) = planned.of_type("AWS::ECS::TaskDefinition").values()
    (container,) = props(definition)["ContainerDefinitions"]
    assert container["PortMappings"][0]["AppProtocol"] == "grpc"


def test_every_placement_rule_is_there(service):
    assert {
        s.EXPOSE_NEEDS_AN_ENVIRONMENT,
        s.JOINING_NEEDS_THE_ENVIRONMENT,
        s.PUBLIC_SERVICE_NEEDS_A_RULE,
        s.INTERNAL_SERVICE_NEEDS_A_NAME,
        s.ONLY_PUBLIC_SERVICES_HAVE_RULES,
        s.ONLY_INTERNAL_SERVICES_HAVE_A_NAME,
        s.APP_PROTOCOL_NEEDS_AN_INTERNAL_SERVICE,
    } <= set(service["Rules"])


def test_every_task_memory_has_its_application_limit_the_proxy_s_64_mib_less():
    """The shipped service.yaml, read as CloudFormation reads it: each TaskMemory the
    parameter allows is a key of ServiceConnectTaskMemory (a FindInMap of a missing key fails
    the stack), and each limit is that size less 64 MiB, "at least 64 MiB of memory ... for the
    Service Connect proxy container" (ECS Developer Guide, Service Connect components,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html).
    Three sizes were checked; a review asked for all."""
    template = read_template(SHIPPED_SERVICE)
    allowed = template["Parameters"][s.TASK_MEMORY]["AllowedValues"]
    mapping = template["Mappings"][s.SERVICE_CONNECT_TASK_MEMORY]
    assert sorted(mapping, key=int) == sorted(map(str, allowed), key=int)
    assert {size: [*limit.values()] for size, limit in mapping.items()} == {
        size: [int(size) - 64] for size in mapping
    }
