"""The templates of an environment of several services, as a spec builds them
(:func:`troposphere_fargate.layers_for`): one behaviour per test, read from the rendered
templates and what they deploy (``deployed``)."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

from tests.support import IMAGE, JOINED, dangling_refs, memory_left, props, small_templates
from troposphere_fargate import layers_for
from troposphere_fargate.cfn.evaluate import Deployment, RuleError, deployed
from troposphere_fargate.layers import root
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.config import ConfigError, ProductConfig, ServiceConfig
from troposphere_fargate.layers.environment import names as e
from troposphere_fargate.layers.exposure import Routing
from troposphere_fargate.layers.health import TargetHealth
from troposphere_fargate.layers.service import service_template
from troposphere_fargate.release.build import render_templates
from troposphere_fargate.release.spec import SpecError, parse_spec

SPEC = """
domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}
services:
  web:    {port: 8080, expose: public, routing: {path: "/*", priority: 100}}
  api:
    port: 9000
    expose: public
    routing: {path: "/api/*", host: api.shop.example.com, priority: 10}
  orders: {port: 7000, expose: internal}
  worker: {expose: none}
"""
NAMES = ["web", "api", "orders", "worker"]


@pytest.fixture(scope="module")
def config() -> ProductConfig:
    return parse_spec(SPEC, "app.yaml")


@pytest.fixture(scope="module")
def built(config: ProductConfig) -> dict[str, dict[str, Any]]:
    return render_templates(config)


def member(built: dict[str, dict[str, Any]], name: str) -> Deployment:
    template = built[f"service-{name}"]
    declared = template["Parameters"]
    return deployed(template, {k: v for k, v in JOINED.items() if k in declared})


def of_type(built: dict[str, dict[str, Any]], resource_type: str) -> list[tuple[str, str]]:
    return [
        (layer, name)
        for layer, template in built.items()
        for name, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    ]


# --- What the build writes ---------------------------------------------------------------------


def test_the_build_writes_the_network_the_environment_each_service_and_a_root(config, built):
    assert [layer.filename for layer in layers_for(config)] == [
        "network.yaml",
        "environment.yaml",
        *(f"service-{name}.yaml" for name in NAMES),
        "root.yaml",
    ]
    assert list(built) == [layer.name for layer in layers_for(config)]


def test_one_load_balancer_one_cluster_and_one_namespace_for_all_services(built):
    for resource_type in (
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ECS::Cluster",
        "AWS::ServiceDiscovery::HttpNamespace",
    ):
        assert len(of_type(built, resource_type)) == 1, resource_type
        ((layer, _),) = of_type(built, resource_type)
        assert layer == "environment"
    assert len(of_type(built, "AWS::ECS::Service")) == 4


# --- Public services: a listener rule each -----------------------------------------------------


def test_a_listener_rule_per_public_service_with_its_conditions_and_priority(built):
    rules = {name: member(built, name).resources.get(s.LISTENER_RULE) for name in NAMES}
    assert rules["orders"] is None and rules["worker"] is None
    assert props(rules["web"]) == {
        "ListenerArn": {"Ref": s.LISTENER_ARN},
        "Priority": 100,
        "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}],
        "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": s.TARGET_GROUP}}],
    }
    assert props(rules["api"])["Priority"] == 10
    assert props(rules["api"])["Conditions"] == [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}},
        {"Field": "host-header", "HostHeaderConfig": {"Values": ["api.shop.example.com"]}},
    ]


def test_a_public_service_registers_its_task_ips_and_admits_the_load_balancer_only(built):
    stack = member(built, "api")
    target_group = props(stack.resources[s.TARGET_GROUP])
    assert (target_group["TargetType"], target_group["Protocol"]) == ("ip", "HTTP")
    (balanced,) = props(stack.resources[s.SERVICE])["LoadBalancers"]
    assert balanced["ContainerName"] == "api"
    (rule,) = props(stack.resources[s.TASK_SECURITY_GROUP])["SecurityGroupIngress"]
    assert rule["SourceSecurityGroupId"] == {"Ref": s.LOAD_BALANCER_SECURITY_GROUP_ID}
    url = stack.outputs[s.OUTPUT_SERVICE_URL]["Value"]
    assert url == {
        "Fn::Sub": [
            "${Scheme}://api.shop.example.com/api/",
            {"Scheme": {"Fn::Select": [0, {"Fn::Split": [":", {"Ref": s.ENVIRONMENT_URL}]}]}},
        ]
    }


# --- Internal and worker services: no load balancer --------------------------------------------


@pytest.mark.parametrize("name", ["orders", "worker"])
def test_internal_and_worker_services_have_no_load_balancer_target_group_or_rule(built, name):
    stack = member(built, name)
    assert not {
        s.LOAD_BALANCER,
        s.TARGET_GROUP,
        s.LISTENER_RULE,
        s.HTTP_LISTENER,
        s.HTTPS_LISTENER,
        s.CLUSTER,
        s.ACCESS_LOGS_BUCKET,
    } & set(stack.resources)
    assert "LoadBalancers" not in props(stack.resources[s.SERVICE])
    # The template has no parameter for what it does not use.
    assert s.LISTENER_ARN not in built[f"service-{name}"]["Parameters"]
    assert dangling_refs(stack) == set()


def test_the_internal_service_is_served_through_service_connect_by_its_name(built):
    stack = member(built, "orders")
    connect = props(stack.resources[s.SERVICE])["ServiceConnectConfiguration"]
    assert connect["Namespace"] == {"Ref": s.NAMESPACE_ARN}
    (served,) = connect["Services"]
    assert served["DiscoveryName"] == "orders"
    assert served["ClientAliases"] == [{"Port": {"Ref": s.CONTAINER_PORT}, "DnsName": "orders"}]
    (container,) = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    assert served["PortName"] == container["PortMappings"][0]["Name"]
    (rule,) = props(stack.resources[s.TASK_SECURITY_GROUP])["SecurityGroupIngress"]
    assert rule["SourceSecurityGroupId"] == {"Ref": s.ENVIRONMENT_SECURITY_GROUP_ID}


@pytest.mark.parametrize("name", ["web", "api", "worker"])
def test_the_other_services_are_service_connect_clients_only(built, name):
    connect = props(member(built, name).resources[s.SERVICE])["ServiceConnectConfiguration"]
    assert connect["Enabled"] is True and connect["Namespace"] == {"Ref": s.NAMESPACE_ARN}
    assert "Services" not in connect


def test_a_worker_has_no_port_and_admits_nothing(built):
    stack = member(built, "worker")
    (container,) = props(stack.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    assert "PortMappings" not in container
    assert "SecurityGroupIngress" not in props(stack.resources[s.TASK_SECURITY_GROUP])
    assert s.OUTPUT_SERVICE_URL not in stack.outputs


@pytest.mark.parametrize("name", NAMES)
def test_every_task_is_private_and_a_member_of_the_environments_group(built, name):
    vpc = props(member(built, name).resources[s.SERVICE])["NetworkConfiguration"][
        "AwsvpcConfiguration"
    ]
    assert vpc["AssignPublicIp"] == "DISABLED"
    assert vpc["SecurityGroups"] == [
        {"Ref": s.TASK_SECURITY_GROUP},
        {"Ref": s.ENVIRONMENT_SECURITY_GROUP_ID},
    ]


@pytest.mark.parametrize("name", NAMES)
def test_each_task_leaves_the_service_connect_proxy_memory_no_container_limit_takes(built, name):
    # "you must set the task memory limit to a number greater than the sum of the container
    # memory limits ... used by the Service Connect proxy container"; "at least 64 MiB" for it
    # (Amazon ECS Developer Guide, Service Connect components:
    # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html).
    template = built[f"service-{name}"]
    values = {k: v for k, v in JOINED.items() if k in template["Parameters"]}
    for cpu, memory in (("256", "512"), ("4096", "30720")):
        stack = deployed(template, {**values, s.TASK_CPU: cpu, s.TASK_MEMORY: memory})
        assert memory_left(template, stack) >= 64


# --- The domain --------------------------------------------------------------------------------


def test_the_domain_gets_a_certificate_for_it_and_the_routed_host_and_their_alias_records(built):
    stack = deployed(
        built["environment"], {e.VPC_ID: "vpc-0a1b2c3d", e.PUBLIC_SUBNET_IDS: "subnet-1,subnet-2"}
    )
    certificate = props(stack.resources[e.CERTIFICATE])
    assert certificate["DomainName"] == {"Ref": e.DOMAIN_NAME}
    assert certificate["SubjectAlternativeNames"] == [{"Fn::Sub": "api.${DomainName}"}]
    assert certificate["ValidationMethod"] == "DNS"
    records = sorted(stack.of_type("AWS::Route53::RecordSet"))
    assert records == sorted([e.DOMAIN_RECORD, e.host_record("api")])
    assert stack.parameters[e.DOMAIN_NAME] == "shop.example.com"


# --- The root ----------------------------------------------------------------------------------


def test_the_root_nests_every_template_and_wires_the_environment_into_each_service(built):
    stacks = built["root"]["Resources"]
    words = ["Web", "Api", "Orders", "Worker"]
    assert sorted(stacks) == sorted(
        [root.NETWORK_STACK, root.ENVIRONMENT_STACK, *map(root.service_stack, words)]
    )
    orders = props(stacks[root.service_stack("Orders")])["Parameters"]
    assert orders[s.CLUSTER_NAME] == {
        "Fn::GetAtt": [root.ENVIRONMENT_STACK, f"Outputs.{e.OUTPUT_CLUSTER_NAME}"]
    }
    assert orders[s.PRIVATE_SUBNET_IDS] == {
        "Fn::GetAtt": [root.NETWORK_STACK, "Outputs.PrivateSubnetIds"]
    }
    assert orders[s.CONTAINER_IMAGE] == {"Ref": "OrdersContainerImage"}
    # The root takes each service's image; the rest are the spec's.
    taken = {name for name in built["root"]["Parameters"] if name.endswith(s.CONTAINER_IMAGE)}
    assert taken == {f"{word}{s.CONTAINER_IMAGE}" for word in words}


def test_clients_are_created_after_the_internal_services_they_call(built):
    """A task resolves only the Service Connect names that exist when it starts (ECS Developer
    Guide, "Amazon ECS Service Connect components": "you must use dependsOn")."""
    stacks = built["root"]["Resources"]
    after = {name: stacks[name].get("DependsOn", []) for name in stacks}
    for word in ("Web", "Api", "Worker"):
        assert after[root.service_stack(word)] == [root.service_stack("Orders")]
    assert after[root.service_stack("Orders")] == []


def test_internal_services_are_created_in_the_order_the_spec_lists_them():
    spec = (
        "services:\n  a: {expose: internal, port: 7001}\n  b: {expose: internal, port: 7002}\n"
        "  c: {expose: none}\n"
    )
    stacks = render_templates(parse_spec(spec))["root"]["Resources"]
    assert "DependsOn" not in stacks[root.service_stack("A")]
    assert stacks[root.service_stack("B")]["DependsOn"] == [root.service_stack("A")]
    assert stacks[root.service_stack("C")]["DependsOn"] == [
        root.service_stack("A"),
        root.service_stack("B"),
    ]


CONNECTED = """
services:
  web: {port: 8080, expose: public, routing: {path: "/*", priority: 100}}
  api: {port: 9000, expose: public, connect: true, routing: {path: "/api/*", priority: 10}}
  orders: {port: 7000, expose: internal}
"""


def test_a_public_service_with_connect_is_served_through_service_connect_too():
    """A spec trial: web could reach api, another public service, only out through the
    internet-facing load balancer. With ``connect`` api also serves as "api" on its port, and
    admits the environment's services there (Copilot's ``network.connect``)."""
    built = render_templates(parse_spec(CONNECTED, "app.yaml"))
    api = member(built, "api")
    connect = props(api.resources[s.SERVICE])["ServiceConnectConfiguration"]
    (served,) = connect["Services"]
    assert served["DiscoveryName"] == "api"
    assert served["ClientAliases"] == [{"DnsName": "api", "Port": {"Ref": s.CONTAINER_PORT}}]
    (definition,) = props(api.resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    assert definition["PortMappings"][0]["Name"] == served["PortName"]
    ingress = props(api.resources[s.TASK_SECURITY_GROUP])["SecurityGroupIngress"]
    assert {rule["SourceSecurityGroupId"]["Ref"] for rule in ingress} == {
        s.LOAD_BALANCER_SECURITY_GROUP_ID,
        s.ENVIRONMENT_SECURITY_GROUP_ID,
    }
    # Still public: its listener rule stays; and web, without connect, serves nothing.
    assert s.LISTENER_RULE in api.resources
    web = props(member(built, "web").resources[s.SERVICE])["ServiceConnectConfiguration"]
    assert "Services" not in web
    # Created after the internal services it may call, before the clients that call it.
    stacks = built["root"]["Resources"]
    assert stacks[root.service_stack("Api")]["DependsOn"] == [root.service_stack("Orders")]
    assert stacks[root.service_stack("Web")]["DependsOn"] == [
        root.service_stack("Orders"),
        root.service_stack("Api"),
    ]


@pytest.mark.parametrize(
    ("service", "says"),
    [
        ("{expose: internal, connect: true}", "an internal service is served through Service"),
        ("{expose: none, connect: true}", "a worker listens on no port"),
        (
            '{expose: public, connect: true, routing: {path: "/*", priority: 1}}',
            None,
        ),
    ],
)
def test_connect_is_for_a_public_service(service, says):
    spec = f"services:\n  a: {service}\n  b: {{expose: none}}\n"
    if says is None:
        parse_spec(spec, "app.yaml")
        return
    with pytest.raises(SpecError, match=r"services\.a\.connect") as refused:
        parse_spec(spec, "app.yaml")
    assert f"is for a public service: {says}" in str(refused.value)
    with pytest.raises(ConfigError, match="a service of its own is in no environment"):
        ServiceConfig(connect=True)
    with pytest.raises(ConfigError, match=r"it \(connect\) is called by this name"):
        ServiceConfig(container_name="Api", expose="public", connect=True, routing=Routing(1, "/*"))


def _app_port(built: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    (definition,) = props(member(built, name).resources[s.TASK_DEFINITION])["ContainerDefinitions"]
    (port,) = definition["PortMappings"]
    return dict(port)


# "If you don't set a value for this parameter, then TCP is used" (ECS API Reference,
# PortMapping, appProtocol: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html).
def test_a_service_served_through_service_connect_has_the_app_protocol_its_spec_gives():
    spec = CONNECTED.replace("connect: true,", "connect: true, app_protocol: grpc,").replace(
        "expose: internal}", "expose: internal, app_protocol: http2}"
    )
    built = render_templates(parse_spec(spec, "app.yaml"))
    assert _app_port(built, "api")["AppProtocol"] == "grpc"
    assert _app_port(built, "orders")["AppProtocol"] == "http2"
    assert "AppProtocol" not in _app_port(built, "web")
    assert s.SERVICE_CONNECT_APP_PROTOCOL not in built["service-orders"]["Parameters"]
    # Without one, TCP: no AppProtocol, as before.
    before = render_templates(parse_spec(CONNECTED, "app.yaml"))
    assert "AppProtocol" not in _app_port(before, "api")
    assert "AppProtocol" not in _app_port(before, "orders")


def test_an_app_protocol_is_for_a_service_service_connect_serves():
    for kwargs in ({}, {"expose": "none"}, {"expose": "public", "routing": Routing(1, "/*")}):
        with pytest.raises(ConfigError, match=r"app_protocol.*served through Service Connect"):
            ServiceConfig(**kwargs, app_protocol="http")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="must be one of http, http2, grpc, or left out for TCP"):
        ServiceConfig(expose="internal", app_protocol="tcp")  # type: ignore[arg-type]


def test_a_service_added_to_service_connect_redeploys_the_services_created_after_it():
    """A task resolves the Service Connect names that exist when it starts ("Existing tasks
    can't resolve and connect to the new endpoint", ECS Developer Guide): a review found that
    turning connect on (or adding an internal service) left the running callers unable to
    call it. The names of the services a service is created after are in its deployment nonce,
    so a change in them starts a deployment of it, after theirs (the root's order); a service
    created before them would redeploy too early, and its nonce leaves them out."""

    def nonces(spec: str) -> dict[str, Any]:
        built = render_templates(parse_spec(spec, "app.yaml"))
        return {
            name: props(member(built, name).resources[s.SERVICE])["ForceNewDeployment"][
                "ForceNewDeploymentNonce"
            ]["Fn::Join"][1]
            for name in ("web", "api", "orders")
        }

    before = nonces(CONNECTED.replace(" connect: true,", ""))
    after = nonces(CONNECTED)
    assert before["web"] != after["web"]  # web now resolves api too, and redeploys
    assert before["api"] == after["api"]  # api resolves orders either way
    # orders is created before api: it resolves nothing, and an update does not touch it.
    assert before["orders"] == after["orders"] == [{"Ref": s.CAPACITY_PROVIDER}]
    resolves = after["web"][1]
    assert re.fullmatch(r"resolves:[0-9a-f]{16}", resolves)
    # The shipped service.yaml names no other service: its nonce is the capacity provider's.
    shipped = service_template().to_dict()["Resources"][s.SERVICE]["Properties"]
    assert shipped["ForceNewDeployment"]["ForceNewDeploymentNonce"] == {
        "Fn::Join": ["-", [{"Ref": s.CAPACITY_PROVIDER}]]
    }
    with pytest.raises(TypeError, match="takes a tuple of names"):
        service_template(ServiceConfig(), resolves=(1,))  # type: ignore[arg-type]


def test_the_nonce_stays_within_its_255_characters_with_many_long_names():
    """A review: 25 internal services of 63-character names made the nonce of the service
    created after them longer than AWS::ECS::Service's ForceNewDeploymentNonce takes (255,
    cfn-lint W1032). The names are in it as a digest of fixed length."""
    names = [f"s{i:02d}-" + "x" * 59 for i in range(25)]
    spec = "services:\n  web: {expose: none}\n" + "".join(
        f"  {name}: {{expose: internal, port: 7000}}\n" for name in names
    )
    built = render_templates(parse_spec(spec, "app.yaml"))
    nonce = props(member(built, "web").resources[s.SERVICE])["ForceNewDeployment"][
        "ForceNewDeploymentNonce"
    ]["Fn::Join"][1]
    assert len("FARGATE_SPOT-" + nonce[1]) < 255


@pytest.mark.parametrize(
    ("resolves", "says"),
    [
        (
            ("Orders",),
            "'Orders' is no name a service is served by through Service Connect (an internal "
            "service's container_name, or a connect one's: a DNS label of lower-case letters, "
            "digits and hyphens, up to 63 characters)",
        ),
        (("orders", "orders"), "'orders' is named twice"),
        (
            ("api",),
            "'api' is this service's own name: it resolves the environment's other services",
        ),
    ],
)
def test_what_a_service_resolves_is_a_name_another_service_is_served_by(resolves, says):
    """An audit: ``service_template(resolves=...)`` put any name into the deployment's nonce
    unchecked. Which services the environment has only the product knows (a spec's build
    passes them); a name none can have, a name twice or the service's own is refused."""
    with pytest.raises(ConfigError) as refused:
        service_template(ServiceConfig(container_name="api", expose="internal"), resolves=resolves)
    assert str(refused.value) == f"service_template(resolves): {says}"


def test_connect_deploys_rolling_only():
    """ECS shifts a canary's, a linear or a blue/green deployment's traffic through a load
    balancer or Service Connect ("must use one of", ECS Developer Guide, blue/green
    deployments); a service with both is unconfirmed, so it is refused (a review)."""
    from troposphere_fargate.layers.deployment import DeploymentSettings

    with pytest.raises(ConfigError) as refused:
        ServiceConfig(
            container_name="api",
            expose="public",
            connect=True,
            routing=Routing(1, "/*"),
            deployment=DeploymentSettings(strategy="CANARY"),
        )
    assert str(refused.value) == (
        "ServiceConfig.connect=True: a CANARY deployment shifts traffic through the load "
        "balancer or Service Connect, not both: deploy a service with connect ROLLING"
    )
    # And a stack of the built template, whose DeploymentStrategy a console user picks.
    built = render_templates(parse_spec(CONNECTED, "app.yaml"))
    api = built["service-api"]
    assert s.CONNECT_NEEDS_ROLLING in api["Rules"]
    declared = {k: v for k, v in JOINED.items() if k in api["Parameters"]}
    with pytest.raises(RuleError, match=s.CONNECT_NEEDS_ROLLING):
        deployed(api, {**declared, s.DEPLOYMENT_STRATEGY: "CANARY"})
    assert s.CONNECT_NEEDS_ROLLING not in built["service-web"].get("Rules", {})


def test_the_picture_draws_service_connect_to_a_public_service_with_connect():
    from troposphere_fargate.release.diagram import environment_graph, environment_picture

    view = environment_picture(parse_spec(CONNECTED, "app.yaml"))
    api = next(m for m in view.members if m.name == "api")
    assert (api.exposure, api.serves) == ("public", "http://api:9000")
    source = environment_graph(view).source
    assert 'service_web -> service_api [label="Service Connect"' in source
    assert "and http://api:9000" in source


# --- What an environment refuses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("services", "message"),
    [
        (
            (ServiceConfig(container_name="web"),),
            r"services\[0\]\.expose=None: a service of an environment says how it is reached",
        ),
        (
            (
                ServiceConfig(container_name="a", expose="public", routing=Routing(5, "/a/*")),
                ServiceConfig(container_name="b", expose="public", routing=Routing(5, "/b/*")),
            ),
            r"services\[1\]\.routing\.priority=5: the service a has it too",
        ),
        (
            (
                ServiceConfig(container_name="a", expose="public", routing=Routing(5, "/*")),
                ServiceConfig(container_name="b", expose="public", routing=Routing(6, "/*")),
            ),
            r"services\[1\]\.routing\.priority=6: the service a's rule \(priority 5\) matches "
            r"every request this one does and is evaluated first, so this service would get "
            r"none: give them different paths or hosts",
        ),
        (
            (
                ServiceConfig(container_name="orders-api", expose="none"),
                ServiceConfig(container_name="orders_api", expose="none"),
            ),
            "its logical ID OrdersApi is the service orders-api's too",
        ),
        (
            (
                ServiceConfig(container_name="myapi", expose="none"),
                ServiceConfig(container_name="MyApi", expose="none"),
            ),
            # Their logical IDs differ (Myapi, MyApi), their templates' file names only by case:
            # service-myapi.yaml and service-MyApi.yaml are one file on macOS or Windows.
            r"services\[1\]\.container_name='MyApi': the service myapi has this name but for "
            "its case",
        ),
    ],
    ids=[
        "no-expose",
        "one-priority-twice",
        "one-path-twice",
        "one-logical-id-twice",
        "one-name-but-for-case",
    ],
)
def test_a_conflicting_environment_is_refused_naming_the_service(services, message):
    with pytest.raises(ConfigError, match=message):
        ProductConfig(services=services)


def routed(*rules: Routing) -> tuple[ServiceConfig, ...]:
    return tuple(
        ServiceConfig(container_name=f"s{index}", expose="public", routing=rule)
        for index, rule in enumerate(rules)
    )


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (Routing(1, "/*"), Routing(10, "/api/*")),
        (Routing(1, "/api/*"), Routing(10, "/api/v1/*")),
        (Routing(1, "/*"), Routing(10, host="admin.example.com")),
        (Routing(1, host="a.example.com"), Routing(10, "/x", "a.example.com")),
        (Routing(1, "/api/*", "a.example.com"), Routing(10, "/api/x", "a.example.com")),
        # Several values: a request matches one of each condition's.
        (Routing(1, ("/api/*", "/web/*")), Routing(10, ("/api/x", "/web/y"))),
        (Routing(1, ("/api", "/api/*")), Routing(10, "/api/v1")),
        (
            Routing(1, host=("a.example.com", "b.example.com")),
            Routing(10, "/x", ("b.example.com", "a.example.com")),
        ),
        # The load balancer's * matches any characters, dots included.
        (Routing(1, host="*.example.com"), Routing(10, host="api.example.com")),
        (
            Routing(1, host="*.example.com"),
            Routing(10, "/x", ("a.b.example.com", "*.c.example.com")),
        ),
    ],
)
def test_a_rule_that_an_earlier_rule_covers_is_refused(first, then):
    # "Rules are evaluated in priority order, from the lowest value to the highest value" and
    # the first that matches takes the request (Elastic Load Balancing, listener rules): the
    # second service would never get one. Either order in the spec.
    message = (
        r"services\[\d\]\.routing\.priority=10: the service s\d's rule \(priority 1\) matches "
        r"every request this one does and is evaluated first"
    )
    for services in (routed(first, then), routed(then, first)):
        with pytest.raises(ConfigError, match=message):
            ProductConfig(services=services)


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (Routing(1, "/api/*"), Routing(10, "/*")),  # the usual order: specific first
        (Routing(1, "/*", "a.example.com"), Routing(10, "/x")),  # other hosts reach the second
        (Routing(1, "/a?/*"), Routing(10, "/ab/x")),  # not sure: left to the user
        (Routing(1, "/api/*"), Routing(10, host="b.example.com")),
        # One path or host of the second rule that the first does not match is enough.
        (Routing(1, "/api/*"), Routing(10, ("/api/x", "/other"))),
        (Routing(1, "/a/*", ("a.example.com", "b.example.com")), Routing(10, "/a/b")),
    ],
)
def test_rules_that_each_get_requests_are_accepted(first, then):
    ProductConfig(services=routed(first, then))


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (Routing(1, ("/a", "/b")), Routing(10, ("/b", "/c"))),  # /c still reaches the second
        (Routing(1, host="a.example.com"), Routing(10, host=("a.example.com", "b.example.com"))),
        # A carve-out: checkout takes one host's /checkout/* from a rule of two hosts and two
        # paths, which keeps the three other pairs. One rule per service cannot say it
        # otherwise.
        (
            Routing(5, "/checkout/*", "shop.example.com"),
            Routing(50, ("/checkout/*", "/cart/*"), ("shop.example.com", "www.shop.example.com")),
        ),
        (Routing(5, "/checkout/*"), Routing(50, ("/checkout/*", "/cart/*"))),
        (Routing(1, host="*.a.example.com"), Routing(10, host="*.example.com")),
        (Routing(1, host="*.example.com"), Routing(10, host=("example.com", "a.example.com"))),
    ],
)
def test_a_rule_that_takes_part_of_anothers_requests_is_accepted(first, then):
    ProductConfig(services=routed(first, then))


@pytest.mark.parametrize(
    ("firsts", "then"),
    [
        # Each host of the third rule is another's: together they take all its requests.
        (
            (Routing(1, host="a.example.com"), Routing(2, host="b.example.com")),
            Routing(10, "/x/*", ("a.example.com", "b.example.com")),
        ),
        # Each path likewise.
        ((Routing(1, "/a/*"), Routing(2, "/b/*")), Routing(10, ("/a/x", "/b/*"))),
        # Each pair of host and path.
        (
            (Routing(1, "/a/*", "a.example.com"), Routing(2, host="b.example.com")),
            Routing(10, "/a/*", ("a.example.com", "b.example.com")),
        ),
    ],
)
def test_a_rule_that_earlier_rules_cover_together_is_refused(firsts, then):
    # Pairs alone were checked: a rule shadowed by two others was built, and never matched.
    message = (
        r"services\[2\]\.routing\.priority=10: the rules of s0 \(priority 1\) and s1 "
        r"\(priority 2\) together match every request this one does"
    )
    with pytest.raises(ConfigError, match=message):
        ProductConfig(services=routed(*firsts, then))
    # One of them alone leaves it requests.
    ProductConfig(services=routed(firsts[0], then))
    ProductConfig(services=routed(firsts[1], then))


def test_a_rule_that_covers_each_of_those_that_cover_it_together_is_told_no_order_helps():
    # r takes each host's requests, and the two hosts' rules take all of r's: whichever order,
    # one of them gets none. "Give this rule the lower priority number" sent the user back and
    # forth.
    firsts = (Routing(1, host="a.example.com"), Routing(2, host="b.example.com"))
    then = Routing(10, host=("a.example.com", "b.example.com"))
    with pytest.raises(
        ConfigError,
        match=r"so this service would get none: give them different "
        r"paths or hosts$",
    ):
        ProductConfig(services=routed(*firsts, then))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"path": ["/a", "/b"]},
            r"path=\['/a', '/b'\]: must be a path pattern .*, or a tuple of them, not a list",
        ),
        (
            {"host": ("a.example.com", "A.example.com")},
            r"host\[1\]='A.example.com': must be a lower-case host name",
        ),
        (
            {"path": ()},
            r"path=\(\): give 1 to 3 values \(the load balancer's limit for a condition\)",
        ),
        ({"path": ("/a", "/b", "/c", "/d")}, r"give 1 to 3 values"),
        ({"path": ("/a", "/a")}, r"path\[1\]='/a': is given twice"),
        ({"path": (1,)}, r"path\[0\]=1: must be a path pattern"),
        (
            {
                "path": ("/a", "/b", "/c"),
                "host": ("a.example.com", "b.example.com", "c.example.com"),
            },
            r"the rule has 6 values in its paths and hosts; the load balancer takes 5 at most",
        ),
        (
            {"path": ("/a*?", "/b*", "/c*"), "host": ("*.a.example.com", "*.b.example.com")},
            r"the rule has 6 wildcards \(\* and \?\) in its path and host; the load balancer "
            r"takes 5 at most",
        ),
    ],
)
def test_a_rule_past_the_load_balancers_limits_is_refused(arguments, message):
    # "Condition types for listener rules" (Application Load Balancers guide), condition
    # basics: up to three match evaluations per condition, five per rule, five wildcards.
    with pytest.raises(ConfigError, match=message):
        Routing(1, **arguments)


def test_a_rule_at_the_load_balancers_limits_is_accepted():
    at_limits = Routing(1, ("/a*", "/b*", "/c*"), ("*.a.example.com", "*.b.example.com"))
    assert at_limits.paths == ("/a*", "/b*", "/c*")
    assert at_limits.hosts == ("*.a.example.com", "*.b.example.com")
    assert Routing(1, "/a").paths == ("/a",) and Routing(1, "/a").hosts == ()


def _members(kinds: str) -> tuple[ServiceConfig, ...]:
    """A service per letter: p public, i internal, n none."""
    exposures = {"p": "public", "i": "internal", "n": "none"}
    return tuple(
        ServiceConfig(
            container_name=f"s{i}",
            expose=exposures[kind],  # type: ignore[arg-type]
            **(
                {"routing": Routing(i + 1, f"/s{i}/*"), "default_health_check_path": f"/s{i}/"}
                if kind == "p"
                else {}
            ),
        )
        for i, kind in enumerate(kinds)
    )


@pytest.mark.parametrize("kinds", ["n", "i", "p", "pin", "ii", "pp"])
@pytest.mark.parametrize("existing_vpc", [False, True], ids=["network", "existing-vpc"])
def test_the_outputs_a_config_plans_for_its_root_are_those_the_root_has(kinds, existing_vpc):
    """ProductConfig counts the root's outputs from the config (root.planned_outputs), so that
    it refuses too many services when it is made: the count is the rendered root's."""
    from troposphere_fargate.layers.config import NetworkConfig

    networks = (
        [NetworkConfig(existing_vpc=True)]
        if existing_vpc
        else [NetworkConfig(max_azs=2), NetworkConfig(max_azs=3)]
    )
    for network in networks:
        config = ProductConfig(network=network, services=_members(kinds))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a spec's advice, beside the point here
            rendered = render_templates(config)["root"]
        assert root.planned_outputs(config) == len(rendered["Outputs"]), (kinds, network)


@pytest.mark.parametrize(
    ("kinds", "outputs"),
    [("p" * 37, 205), ("i" * 38, 203), ("n" * 47, 201), ("p" + "n" * 44, 201)],
)
def test_more_services_than_the_roots_outputs_hold_are_refused_when_the_config_is_made(
    kinds, outputs
):
    """The root re-exports every output of the network, the environment and each service, and
    CloudFormation takes "Outputs: The maximum number of outputs that you can declare in your
    CloudFormation template. 200 outputs" (CloudFormation User Guide, Understand CloudFormation
    quotas, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
    A ProductConfig of 60 services was made, and refused only when its root was rendered
    (every other config check is made when the config is)."""
    with pytest.raises(ConfigError) as refused:
        ProductConfig(services=_members(kinds))
    assert str(refused.value) == (
        f"ProductConfig.services={len(kinds)}: {len(kinds)} services: the root that nests "
        f"them would have {outputs} outputs (it re-exports each of the network's, the "
        "environment's and the services'), and CloudFormation takes 200 per template: split "
        "the services between environments (a spec each)"
    )
    # One service fewer is a root of at most 200 outputs: made, and rendered.
    fewer = ProductConfig(services=_members(kinds[:-1]))
    assert root.planned_outputs(fewer) <= 200


SEVERAL = """
domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}
services:
  api:
    expose: public
    routing:
      path: [/api, /api/*]
      host: ["*.shop.example.com", api.shop.example.com]
      priority: 10
"""


def test_a_rule_of_several_paths_and_hosts_matches_any_of_each_and_names_every_host():
    built = render_templates(parse_spec(SEVERAL, "app.yaml"))
    stack = member(built, "api")
    assert props(stack.resources[s.LISTENER_RULE])["Conditions"] == [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api", "/api/*"]}},
        {
            "Field": "host-header",
            "HostHeaderConfig": {"Values": ["*.shop.example.com", "api.shop.example.com"]},
        },
    ]
    # The service's URL: its first path, at its first host a browser can open.
    assert stack.outputs[s.OUTPUT_SERVICE_URL]["Value"]["Fn::Sub"][0] == (
        "${Scheme}://api.shop.example.com/api"
    )
    environment = deployed(
        built["environment"], {e.VPC_ID: "vpc-0a1b2c3d", e.PUBLIC_SUBNET_IDS: "subnet-1,subnet-2"}
    )
    certificate = props(environment.resources[e.CERTIFICATE])
    assert certificate["SubjectAlternativeNames"] == [
        {"Fn::Sub": "*.${DomainName}"},
        {"Fn::Sub": "api.${DomainName}"},
    ]
    assert sorted(environment.of_type("AWS::Route53::RecordSet")) == sorted(
        [e.DOMAIN_RECORD, e.host_record("*"), e.host_record("api")]
    )


def test_a_public_service_without_routing_is_refused():
    with pytest.raises(ConfigError, match="a public service needs a listener rule"):
        ServiceConfig(container_name="web", expose="public")


def test_services_naming_arns_of_two_partitions_are_refused():
    # Each application keeps to one partition; an environment is one stack, so all of its
    # services do too.
    from troposphere_fargate.layers.application import Application, Secret

    def naming(name: str, partition: str, region: str) -> ServiceConfig:
        arn = f"arn:{partition}:secretsmanager:{region}:123456789012:secret:db-AbCdEf"
        application = Application(secrets=(Secret("DB", arn),))
        # Public: an environment's settings (its web ACL, below) need a load balancer.
        routing = Routing(priority=len(name) + ord(name[0]), host=f"{name}.example.com")
        return ServiceConfig(
            container_name=name, expose="public", routing=routing, application=application
        )

    both = (naming("a", "aws", "eu-west-1"), naming("b", "aws-cn", "cn-north-1"))
    with pytest.raises(ConfigError) as refused:
        ProductConfig(services=both)
    assert str(refused.value) == (
        "ProductConfig.services=['aws', 'aws-cn']: the services name ARNs of several partitions "
        "(aws: a; aws-cn: b): an environment runs in one"
    )
    # The environment's web ACL counts too.
    from troposphere_fargate.layers.config import EnvironmentConfig

    acl = (
        "arn:aws-cn:wafv2:cn-north-1:123456789012:regional/webacl/shop/"
        "0123abcd-0123-4567-89ab-0123456789ab"
    )
    environment = EnvironmentConfig(default_web_acl_arn=acl)
    with pytest.raises(ConfigError, match=r"\(aws: a; aws-cn: the environment\)"):
        ProductConfig(services=both[:1], environment=environment)
    assert ProductConfig(services=both[1:], environment=environment).partitions == {"aws-cn"}
    assert ProductConfig(services=both[:1]).partitions == {"aws"}
    assert ProductConfig().partitions == frozenset()


# --- An environment without a public service -----------------------------------------------------

PRIVATE_SPEC = """
services:
  orders: {port: 7000, expose: internal}
  worker: {expose: none}
"""


@pytest.fixture(scope="module")
def private() -> dict[str, dict[str, Any]]:
    return render_templates(parse_spec(PRIVATE_SPEC, "app.yaml"))


def test_without_a_public_service_the_environment_has_nothing_internet_facing(private):
    # "Nothing public that need not be": the load balancer answered 404 to the internet, and
    # cost its hours, public addresses and access-log bucket, for services nobody could reach.
    environment = private[e.LAYER]
    kinds = sorted({r["Type"] for r in environment["Resources"].values()})
    assert kinds == [
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::ECS::Cluster",
        "AWS::ServiceDiscovery::HttpNamespace",
    ]
    assert list(environment["Parameters"]) == [e.VPC_ID]
    assert sorted(environment["Outputs"]) == sorted(
        [
            e.OUTPUT_CLUSTER_NAME,
            e.OUTPUT_ENVIRONMENT_SECURITY_GROUP_ID,
            e.OUTPUT_NAMESPACE_ARN,
            e.OUTPUT_CLUSTER_ARN,
            e.OUTPUT_NAMESPACE_NAME,
        ]
    )
    # The services get what they join with, and the root is whole.
    images = {f"{n}ContainerImage": IMAGE for n in ("Orders", "Worker")}
    stack = deployed(private["root"], {**images, root.TEMPLATE_BUCKET_NAME: "my-templates"})
    assert dangling_refs(stack) == set()
    for name in ("Orders", "Worker"):
        wired = props(stack.resources[root.service_stack(name)])["Parameters"]
        assert wired[s.CLUSTER_NAME] == {
            "Fn::GetAtt": [root.ENVIRONMENT_STACK, f"Outputs.{e.OUTPUT_CLUSTER_NAME}"]
        }


def test_with_a_public_service_the_environment_keeps_its_load_balancer(built):
    kinds = {r["Type"] for r in built[e.LAYER]["Resources"].values()}
    assert "AWS::ElasticLoadBalancingV2::LoadBalancer" in kinds


@pytest.mark.parametrize(
    ("section", "says"),
    [
        (
            "environment: {deletion_protection: false}\n",
            "app.yaml:1: environment.deletion_protection: no service is public, so the "
            "environment has no load balancer, and no use for this (the domain, the allowed "
            "clients and the listeners are the load balancer's): leave it out, or make a service "
            "public",
        ),
        (
            # Its line, not the file's first: domain: sets the environment's fields.
            "\ndomain: {name: a.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\n",
            "app.yaml:2: domain.name: no service is public, so the environment has no load "
            "balancer, and no use for this (the domain, the allowed clients and the listeners "
            "are the load balancer's): leave it out, or make a service public",
        ),
        (
            "environment: {deletion_protection: true}\n",  # the default, written out
            "app.yaml:1: environment: no service is public, so the environment has no load "
            "balancer, and no use for this section (the domain, the allowed clients and the "
            "listeners are the load balancer's): leave it out, or make a service public",
        ),
    ],
    ids=["a-setting", "a-domain", "the-default"],
)
def test_environment_settings_without_a_public_service_are_refused(section, says):
    with pytest.raises(SpecError) as refused:
        parse_spec(section + PRIVATE_SPEC, "app.yaml")
    assert str(refused.value) == says


def test_a_private_environment_template_refuses_a_load_balancers_settings():
    from troposphere_fargate.layers.config import EnvironmentConfig
    from troposphere_fargate.layers.environment import environment_template

    environment_template(public=False)
    for config, hosts in (
        (EnvironmentConfig(default_deletion_protection=False), None),
        (None, ["api.example.com"]),
    ):
        with pytest.raises(ConfigError, match=r"environment_template\(public=False\)"):
            environment_template(config, hosts, public=False)


def test_a_private_environment_is_drawn_without_a_load_balancer():
    from troposphere_fargate.release.diagram import (
        environment_graph,
        environment_picture,
        node_names,
    )

    view = environment_picture(parse_spec(PRIVATE_SPEC, "app.yaml"))
    assert view.listeners == []
    assert "lb" not in node_names(environment_graph(view))
    public = environment_picture(parse_spec(SPEC, "app.yaml"))
    assert "lb" in node_names(environment_graph(public))


@pytest.mark.lint
def test_cfn_lint_finds_nothing_in_an_environment_without_a_public_service(private):
    from troposphere_fargate import lint_templates, to_yaml

    files = {f"{name}.yaml": to_yaml(template) for name, template in private.items()}
    assert lint_templates(files, regions=["us-east-1"]) == []


@pytest.mark.lint
def test_cfn_lint_finds_nothing_in_a_rule_of_several_paths_and_hosts():
    from troposphere_fargate import lint_templates, to_yaml

    built = render_templates(parse_spec(SEVERAL, "app.yaml"))
    files = {f"{name}.yaml": to_yaml(built[name]) for name in ("environment", "service-api")}
    assert lint_templates(files, regions=["us-east-1"]) == []


def test_a_rule_of_wildcard_hosts_only_gives_the_pattern_of_its_addresses():
    """``https://*.shop.example.com/api/`` is no address anyone can open, and the environment's
    URL (the bare domain) is one the rule does not match."""
    text = SEVERAL.replace(
        'host: ["*.shop.example.com", api.shop.example.com]', 'host: "*.shop.example.com"'
    )
    assert text != SEVERAL
    stack = member(render_templates(parse_spec(text, "app.yaml")), "api")
    url = stack.outputs[s.OUTPUT_SERVICE_URL]["Value"]["Fn::Sub"][0]
    assert url == "${Scheme}://<name>.shop.example.com/api"


@pytest.mark.parametrize(
    ("fields", "warned"),
    [
        ({"routing": Routing(priority=1, path="/api/*")}, "/api/*"),
        ({"routing": Routing(priority=1, path=("/api", "/api/*"))}, "/api, /api/*"),
        # ? is one character: /?* takes every path but / itself.
        ({"routing": Routing(priority=1, path="/?*", host="a.example.com")}, "/?*"),
        ({"routing": Routing(priority=1, path="/*")}, None),
        ({"routing": Routing(priority=1, path=("/", "/x/*"))}, None),
        ({"routing": Routing(priority=1, host="api.example.com")}, None),  # every path
        ({"routing": Routing(priority=1, path="/API/*")}, "/API/*"),
        (
            {
                "routing": Routing(priority=1, path="/api/*"),
                "default_health_check_path": "/api/health",
            },
            None,
        ),
        (
            {
                "routing": Routing(priority=1, path="/api/*"),
                "target_health": TargetHealth(success_codes="200-299,404"),
            },
            None,
        ),
        (
            {
                "routing": Routing(priority=1, path="/api/*"),
                "target_health": TargetHealth(success_codes="200,400-499"),
            },
            None,
        ),
        (
            {"routing": Routing(priority=1, path="/api/*"), "target_health": TargetHealth(port=9)},
            None,
        ),
    ],
)
def test_a_service_routed_away_from_slash_whose_health_check_requests_it_is_warned_of(
    fields, warned
):
    # The health check goes to the task directly at HealthCheckPath, / by default; an
    # application that serves only under its routed paths answers 404 there ("Health checks
    # failed with these codes: [404]": AWS Knowledge Center, failed health checks for ALBs).
    service = ServiceConfig(container_name="api", expose="public", **fields)
    if warned is None:
        assert service.warnings == ()
    else:
        (warning,) = service.warnings
        assert warning.startswith(
            f"health_check_path: the load balancer sends the service only {warned}, but its "
            "health check requests / (health_check_path)"
        )
        success = fields.get("target_health", TargetHealth()).success_codes
        assert f"answers with {success}, such as its health endpoint" in warning


@pytest.mark.lint
def test_the_build_of_a_spec_prints_the_health_check_warning_and_builds(
    tmp_path, capsys, monkeypatch
):
    from troposphere_fargate import __version__, cli
    from troposphere_fargate.release import build

    # The service is built and linted as it is; the other templates are not the question here.
    small = small_templates(build.render_templates, keep=("service-api",))
    monkeypatch.setattr(build, "render_templates", small)
    spec = tmp_path / "app.yaml"
    spec.write_text("services:\n  api: {expose: public, routing: {path: /api/*, priority: 1}}\n")
    output = tmp_path / "build"
    arguments = ["build", "--spec", str(spec), "--output", str(output), "-q"]
    assert cli.main(arguments) == 0
    (line,) = capsys.readouterr().err.splitlines()
    # At the service's line: the key the warning is about, health_check_path, is left out.
    assert line.startswith(f"warning: {spec}:2: services.api.health_check_path: the load balancer")
    assert (output / __version__ / "service-api.yaml").is_file()


@pytest.mark.parametrize(("hosts", "warned"), [(9, False), (10, True)])
def test_a_certificate_of_more_names_than_acms_default_quota_is_warned_of(hosts, warned):
    # "The default quota is 10 domain names for each ACM certificate ... You can request up to
    # 100 domain names" (ACM User Guide, Quotas): the domain and 9 hosts fit, 10 hosts do not.
    lines = ["domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}"]
    lines += ["services:"]
    for i in range(hosts):
        lines.append(
            f"  s{i}: {{expose: public, routing: {{host: s{i}.shop.example.com, "
            f"priority: {i + 1}}}}}"
        )
    config = parse_spec("\n".join(lines) + "\n", "app.yaml")
    if not warned:
        assert config.warnings == ()
        return
    assert config.warnings == (
        "domain: the certificate names 11 domain names (shop.example.com and the 10 hosts under "
        "it); ACM takes 10 per certificate unless the account's quota was raised: raise "
        '"Domain names per ACM certificate" in Service Quotas (up to 100) before deploying, or '
        "pass a certificate of your own as CertificateArn",
    )
    names = props(render_templates(config)["environment"]["Resources"]["Certificate"])
    assert 1 + len(names["SubjectAlternativeNames"]) == 11  # what the warning counts


def test_a_product_configs_warnings_hold_each_services_under_its_name():
    config = parse_spec(
        "services:\n  api: {expose: public, routing: {path: /api/*, priority: 1}}\n"
        "  web: {expose: public, routing: {path: /*, priority: 2}}\n",
        "app.yaml",
    )
    (api,) = config.services[0].warnings
    assert config.warnings == (f"services.api.{api}",)


@pytest.mark.parametrize(("policies", "rules"), [(10, 59), (11, 60)])
def test_more_managed_policies_or_outbound_rules_than_the_default_quotas_are_warned_of(
    policies, rules
):
    """A fuzzing trial built 71 outbound rules and 11 managed policies without a word: "Inbound
    or outbound rules per security group: 60" (Amazon VPC quotas) and "Managed policies
    attached to an IAM role: 10" (IAM and AWS STS quotas) are defaults an account may have
    raised, so they are warned of, not refused; the group's HTTPS rule counts."""
    from troposphere_fargate import Application, EgressRule, TaskRole

    arns = tuple(f"arn:aws:iam::aws:policy/P{i}" for i in range(policies))
    egress = tuple(EgressRule(1000 + i, cidr="10.1.0.0/16") for i in range(rules))
    application = Application(task_role=TaskRole(managed_policies=arns), egress=egress)
    warnings = ServiceConfig(application=application).warnings
    if policies == 10:
        assert warnings == ()
        return
    assert warnings == (
        "task_role: 11 managed policies; IAM attaches 10 per role unless the account's quota "
        'was raised: raise "Managed policies per role" in Service Quotas (up to 20) before '
        "deploying, or merge some into statements",
        "egress: the tasks' security group has at least 61 outbound rules (HTTPS and these; a "
        "rule to a prefix list counts as the list's maximum entries, and the console's extra "
        "egress rule as one more); a group takes 60 unless the account's quota was raised: "
        'raise "Inbound or outbound rules per security group" in Service Quotas before '
        "deploying, or use fewer, wider rules",
    )
    group = render_templates(ProductConfig(service=ServiceConfig(application=application)))
    rules_made = props(group["service"]["Resources"][s.TASK_SECURITY_GROUP])["SecurityGroupEgress"]
    assert len(rules_made) == 61  # what the warning counts


def test_two_hosts_of_one_alias_record_logical_id_are_refused_saying_why():
    """api-v2 and api.v2 both make ApiV2HostRecord; the message said they differ "in no more than
    punctuation", which * and wildcard (WildcardHostRecord both) do not (a fuzzing trial)."""
    spec = (
        "domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\n"
        "services:\n"
        "  a: {expose: public, routing: {host: api-v2.shop.example.com, priority: 1}}\n"
        "  b: {expose: public, routing: {host: api.v2.shop.example.com, priority: 2}}\n"
    )
    with pytest.raises(SpecError) as refused:
        parse_spec(spec, "app.yaml")
    assert str(refused.value) == (
        "app.yaml:4: services.b.routing.host: its alias record's logical ID would be "
        "api-v2.shop.example.com's too (ApiV2HostRecord: a logical ID keeps letters and digits, "
        "and writes * as Wildcard): choose host names that differ in more than that"
    )


def test_a_host_that_only_ends_in_the_domain_s_letters_is_not_under_it():
    # myshop.example.com ends in shop.example.com's letters but is no name of that domain: its
    # certificate and alias records are made in shop.example.com's hosted zone, where the
    # other has no place.
    from troposphere_fargate.layers.config import EnvironmentConfig

    environment = EnvironmentConfig(
        default_domain_name="shop.example.com", default_hosted_zone_id="Z1"
    )

    def routed(host: str) -> ProductConfig:
        web = ServiceConfig(container_name="web", expose="public", routing=Routing(1, host=host))
        return ProductConfig(environment=environment, services=(web,))

    with pytest.raises(ConfigError) as refused:
        routed("myshop.example.com")
    assert str(refused.value).startswith(
        "ProductConfig.services[0].routing.host='myshop.example.com': is not under the "
        "environment's domain shop.example.com"
    )
    assert routed("api.shop.example.com").routed_hosts == ("api.shop.example.com",)
    assert routed("shop.example.com").routed_hosts == ("shop.example.com",)
