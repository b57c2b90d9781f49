"""The ECS cluster (Container Insights, both Fargate capacity providers) and the ECS service that
keeps the tasks running in it: private subnets without public IPs, registered with the load
balancer's target group, rolled back by the circuit breaker when a deployment fails."""

from __future__ import annotations

from typing import Any

from troposphere import (
    Equals,
    GetAtt,
    If,
    Join,
    NoValue,
    Ref,
    Region,
    Template,
    ec2,
    ecs,
    logs,
    servicediscovery,
)
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import name_tag, suppress
from ..config import CAPACITY_PROVIDERS, FARGATE, ServiceConfig
from ..deployment import ROLLING
from .alarms import Alarms
from .containers import SERVICE_CONNECT_LOG_PREFIX, SERVICE_CONNECT_PORT_NAME
from .deployment import TrafficShifting, deployment_configuration
from .names import (
    CANARY_PERCENT,
    CAPACITY_PROVIDER,
    CLUSTER,
    CLUSTER_NAME,
    CONNECT_NEEDS_ROLLING,
    CONTAINER_PORT,
    DEPLOYMENT_STRATEGY,
    DESIRED_COUNT,
    ENVIRONMENT_SECURITY_GROUP_ID,
    EXECUTE_COMMAND_ENABLED,
    FORCE_DEPLOYMENT_ON_CHANGE,
    HAS_DESIRED_COUNT,
    HEALTH_CHECK_GRACE_PERIOD,
    LINEAR_STEP_PERCENT,
    NAMESPACE_ARN,
    PRIVATE_SUBNET_IDS,
    SERVICE,
    SERVICE_CONNECT_NAME,
)
from .placement import Placement, exists, pick


def add_cluster(
    t: Template,
    *,
    condition: str | None = None,
    namespace: servicediscovery.HttpNamespace | None = None,
) -> ecs.Cluster:
    """The cluster, only under ``condition`` when given; with ``namespace``, the Service
    Connect namespace its services use by default (by ARN: a namespace given by name is one ECS
    may try to create itself, aws/aws-cdk#25554)."""
    cluster = ecs.Cluster(
        CLUSTER,
        ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value="enabled")],
        CapacityProviders=list(CAPACITY_PROVIDERS),
        DefaultCapacityProviderStrategy=[
            ecs.CapacityProviderStrategyItem(CapacityProvider=FARGATE, Weight=1)
        ],
        Tags=name_tag("cluster"),
    )
    if condition is not None:
        cluster.Condition = condition
    if namespace is not None:
        cluster.ServiceConnectDefaults = ecs.ServiceConnectDefaults(
            Namespace=GetAtt(namespace, "Arn")
        )
    return t.add_resource(cluster)


def cluster_name(placement: Placement, cluster: ecs.Cluster | None) -> Any:
    """The name of the cluster the service runs in: its own, or the environment's."""
    return pick(
        placement.standalone,
        Ref(cluster) if cluster is not None else None,
        Ref(CLUSTER_NAME),
    )


def service_connect_name(config: ServiceConfig) -> Any:
    """The name the environment's services call an internal service by: a spec's service's own
    name, or the shipped template's ServiceConnectName."""
    return config.container_name if config.expose is not None else Ref(SERVICE_CONNECT_NAME)


def _service_connect(
    config: ServiceConfig, placement: Placement, log_group: logs.LogGroup
) -> ecs.ServiceConnectConfiguration:
    """Every service of an environment is a Service Connect client (it calls the others by name
    through the proxy ECS adds to its tasks); an internal one also serves, on its container
    port, as its name. The proxy logs to the service's log group."""
    name = service_connect_name(config)
    server = ecs.ServiceConnectService(
        PortName=SERVICE_CONNECT_PORT_NAME,
        DiscoveryName=name,
        ClientAliases=[ecs.ServiceConnectClientAlias(Port=Ref(CONTAINER_PORT), DnsName=name)],
    )
    connect = ecs.ServiceConnectConfiguration(
        Enabled=True,
        Namespace=Ref(NAMESPACE_ARN),
        LogConfiguration=ecs.LogConfiguration(
            LogDriver="awslogs",
            Options={
                "awslogs-group": Ref(log_group),
                "awslogs-region": Region,
                "awslogs-stream-prefix": SERVICE_CONNECT_LOG_PREFIX,
            },
        ),
    )
    if exists(placement.serves):
        connect.Services = pick(placement.serves, [server], NoValue)
    return connect


def add_connect_rule(t: Template) -> str:
    """A public service served through Service Connect as well (a spec's ``connect``) deploys
    ROLLING: ECS shifts a canary's, a linear or a blue/green deployment's traffic through a
    load balancer or Service Connect ("must use one of", ECS Developer Guide, blue/green
    deployments), and both on one service is unconfirmed. The spec refuses it; the rule keeps a
    stack of the built template from it too."""
    t.add_rule(
        CONNECT_NEEDS_ROLLING,
        {
            "Assertions": [
                {
                    "Assert": Equals(Ref(DEPLOYMENT_STRATEGY), ROLLING),
                    "AssertDescription": (
                        "This service takes traffic through the load balancer and Service "
                        "Connect, and a CANARY, LINEAR or BLUE_GREEN deployment shifts it "
                        "through one: deploy ROLLING."
                    ),
                }
            ]
        },
    )
    return CONNECT_NEEDS_ROLLING


def _resolves_nonce(names: tuple[str, ...]) -> str:
    """The names a service resolves, as a part of its nonce of fixed length: a nonce takes 255
    characters (AWS::ECS::Service ForceNewDeployment), and 25 services of 63-character names
    would take more."""
    import hashlib  # on first use: generation of the shipped templates never needs it

    digest = hashlib.sha256("+".join(sorted(names)).encode()).hexdigest()[:16]
    return f"resolves:{digest}"


def add_ecs_service(
    t: Template,
    config: ServiceConfig,
    placement: Placement,
    *,
    cluster: ecs.Cluster | None,
    task_definition: ecs.TaskDefinition,
    security_group: ec2.SecurityGroup,
    target_group: elb.TargetGroup | None,
    log_group: logs.LogGroup,
    waits_for: str | None,
    alarms: Alarms | None = None,
    shifting: TrafficShifting | None = None,
    resolves: tuple[str, ...] = (),
) -> ecs.Service:
    """The service: in the private subnets without public IPs, registered with the target group
    when it has load balancer traffic, in the environment's Service Connect namespace when it
    joins one; it waits for ``waits_for`` (its listeners or listener rule) first. A deployment
    rolls back when its tasks fail to start (the circuit breaker) or, with load balancer
    traffic, when ``alarms`` fire. With ``shifting``, the strategy may move traffic to a second
    target group instead of replacing tasks in place (:mod:`.deployment`). ``resolves``: the
    Service Connect names of the environment's other services, in its deployment's nonce."""
    properties: dict[str, Any] = {
        "Cluster": cluster_name(placement, cluster),
        "TaskDefinition": Ref(task_definition),
        # Set only when DesiredCount is above 0. Sent on every update, a desired count would
        # undo autoscaling whenever anything of the service changes; left out, "for existing
        # services ... it is omitted from the operation" (AWS::ECS::Service, DesiredCount), and
        # a new service starts with one task, which registering the scalable target raises to
        # MinCapacity ("it changes the resource's current capacity to a value that is inside of
        # this range", Application Auto Scaling, RegisterScalableTarget).
        "DesiredCount": If(HAS_DESIRED_COUNT, Ref(DESIRED_COUNT), NoValue),
        "CapacityProviderStrategy": [
            ecs.CapacityProviderStrategyItem(CapacityProvider=Ref(CAPACITY_PROVIDER), Weight=1)
        ],
        # LATEST is Linux platform version 1.4.0 (ECS Developer Guide, Fargate platform
        # versions), which FARGATE_SPOT needs for ARM64 tasks (1.3.0 for X86_64: ECS API
        # Reference, CapacityProviderStrategyItem). No parameter or config pins another.
        "PlatformVersion": "LATEST",
        "NetworkConfiguration": ecs.NetworkConfiguration(
            AwsvpcConfiguration=ecs.AwsvpcConfiguration(
                AssignPublicIp="DISABLED",
                Subnets=Ref(PRIVATE_SUBNET_IDS),
                # In an environment the tasks are members of its group too: through it the
                # load balancer reaches them and they call the other services.
                SecurityGroups=[
                    Ref(security_group),
                    *_present(pick(placement.joined, Ref(ENVIRONMENT_SECURITY_GROUP_ID), NoValue)),
                ],
            )
        ),
        "DeploymentConfiguration": ecs.DeploymentConfiguration(
            DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(Enable=True, Rollback=True),
            MinimumHealthyPercent=100,
            MaximumPercent=200,
            **_deployment_alarms(placement, alarms),
            **deployment_configuration(placement),
        ),
        # ECS refuses to change a live service's capacity provider strategy without a new
        # deployment ("...you must force a new deployment", aws/aws-cdk#34631). The nonce is
        # the parameters whose change needs one: it changes exactly when they do, and a
        # changed nonce is what starts the forced deployment (AWS::ECS::Service
        # ForceNewDeployment, CloudFormation User Guide).
        # A task resolves the Service Connect names that exist when it starts ("Existing tasks
        # can't resolve and connect to the new endpoint", ECS Developer Guide, Service Connect
        # deployments): the names of the environment's other services are in the nonce too,
        # so a service added to them, or one that turns connect on, redeploys the others
        # (after it: the root creates them after the services they call).
        "ForceNewDeployment": ecs.ForceNewDeployment(
            EnableForceNewDeployment=True,
            ForceNewDeploymentNonce=Join(
                "-",
                [
                    *(Ref(p) for p in FORCE_DEPLOYMENT_ON_CHANGE),
                    *([_resolves_nonce(resolves)] if resolves else []),
                ],
            ),
        ),
        "EnableExecuteCommand": If(EXECUTE_COMMAND_ENABLED, True, False),
        "EnableECSManagedTags": True,
        "PropagateTags": "SERVICE",
        "Tags": name_tag("service"),
    }
    if target_group is not None:
        properties["LoadBalancers"] = pick(
            placement.target_group,
            [
                ecs.LoadBalancer(
                    ContainerName=config.container_name,
                    ContainerPort=Ref(CONTAINER_PORT),
                    TargetGroupArn=Ref(target_group),
                    **(
                        {"AdvancedConfiguration": shifting.advanced_configuration()}
                        if shifting is not None
                        else {}
                    ),
                )
            ],
            NoValue,
        )
        # ECS takes a grace period only for a service with a load balancer.
        properties["HealthCheckGracePeriodSeconds"] = pick(
            placement.target_group, Ref(HEALTH_CHECK_GRACE_PERIOD), NoValue
        )
    if exists(placement.joined):
        properties["ServiceConnectConfiguration"] = pick(
            placement.joined, _service_connect(config, placement, log_group), NoValue
        )
    if waits_for is not None:
        # ECS attaches the target group only once a listener ties it to the load balancer.
        properties["DependsOn"] = [waits_for]
    service = ecs.Service(SERVICE, **properties)
    if exists(placement.target_group):  # the deployment percentages are parameters
        _suppress_misjudged_tenths(service, config)
    return t.add_resource(service)


def _suppress_misjudged_tenths(service: ecs.Service, config: ServiceConfig) -> None:
    """A cfn-lint suppression, with its reason, for percentage defaults it misjudges."""
    misjudged = _misjudged_tenths(config)
    if misjudged:
        suppress(
            service,
            cfn_lint={
                "W1030": f"{' and '.join(misjudged)} {'is' if len(misjudged) == 1 else 'are'} "
                "in tenths of a percent, as ECS takes them; cfn-lint divides floats and finds "
                "no multiple of 0.1 (0.3 / 0.1 is 2.9999999999999996: "
                "python-jsonschema/jsonschema#810)"
            },
        )


def _misjudged_tenths(config: ServiceConfig) -> tuple[str, ...]:
    """The percentage defaults cfn-lint's ``multipleOf: 0.1`` check refuses though they are in
    tenths (it tests ``int(value / 0.1) == value / 0.1`` in floats: 0.3, 3.3, 33.3 fail), each
    as ``Parameter value``."""
    found = []
    for name, value in (
        (CANARY_PERCENT, config.deployment.canary_percent),
        (LINEAR_STEP_PERCENT, config.deployment.step_percent),
    ):
        quotient = float(value) / 0.1
        if int(quotient) != quotient:
            found.append(f"{name} {float(value):g}")
    return tuple(found)


def _present(value: Any) -> list[Any]:
    """A list item that a build-time False leaves out (a deploy-time one is an Fn::If)."""
    return [] if value is NoValue else [value]


def _deployment_alarms(placement: Placement, alarms: Alarms | None) -> dict[str, Any]:
    """The alarms that roll a deployment back, where the service has them."""
    if alarms is None:
        return {}
    watched = ecs.DeploymentAlarms(AlarmNames=alarms.names(), Enable=True, Rollback=True)
    return {"Alarms": pick(placement.target_group, watched, NoValue)}
