"""The service layer, ``service.yaml``: a Fargate service in private subnets, behind a public load
balancer of its own, or joining an environment's (public, internal through Service Connect, or
with no traffic in). It deploys into any VPC: the network layer's, or an existing one.

Resources: an ECS cluster (Container Insights, FARGATE and FARGATE_SPOT capacity providers), a
task definition with one container from a private ECR image (read-only root file system with a
writable ``/tmp``), the service (no public IP, circuit breaker with rollback), a retained log
group, execution and task roles written with awacs, security groups for the load balancer and the
tasks, an internet-facing load balancer (application or network) with its target group and
listeners and an encrypted S3 bucket for its access logs (when it runs on its own), target
tracking autoscaling, a rollback alarm and a dashboard.

What the application brings (``config.application``; nothing in the shipped template): its
container's environment, secrets, health check, command, entry point and stop timeout, the task's
ephemeral storage, sidecar containers (each with its own scratch volume ``<name>-tmp``), the
execution role's grants on exactly those secrets and sidecar repositories, the task role's
managed policies and inline policy ``Application``, and egress rules on the tasks' group.

What a console user brings without a spec (parameters of every service template, each empty by
default, when nothing changes): an S3 environment file on the container, with the execution
role's inline policy ``ReadEnvironmentFile`` on exactly that object and its bucket; a Secrets
Manager secret as one more variable, with the inline policy ``ReadSecretArn`` on exactly that
secret; managed policies for the task role; and one TCP egress rule to a security group
(``TaskExtraEgressToSecurityGroup``) or a CIDR (``TaskExtraEgressToCidr``).

Parameters, by the console's groups (docs/parameters.md describes each):

- network: ``VpcId``, ``PublicSubnetIds``, ``PrivateSubnetIds``;
- environment (a service that joins one; empty, the service runs on its own): ``ClusterName``,
  ``EnvironmentSecurityGroupId``, ``NamespaceArn``, ``ListenerArn``,
  ``LoadBalancerSecurityGroupId``, ``EnvironmentUrl``, ``Expose`` (public, internal or none),
  ``ListenerRulePriority``, ``ListenerRulePath``, ``ListenerRuleHost``, ``ServiceConnectName``,
  ``ServiceConnectAppProtocol``;
- container: ``ContainerImage``, ``ContainerUser``, ``ContainerPort``, ``HealthCheckPath``,
  ``HealthCheckIntervalSeconds``, ``HealthCheckTimeoutSeconds``, ``HealthyThresholdCount``,
  ``UnhealthyThresholdCount``, ``HealthCheckSuccessCodes``, ``TaskCpu``, ``TaskMemory``,
  ``CpuArchitecture``;
- application: ``EnvironmentFileArn``, ``SecretArn``, ``SecretVariableName``,
  ``TaskRoleManagedPolicyArns``, ``ExtraEgressPort``, ``ExtraEgressSecurityGroupId``,
  ``ExtraEgressCidr``;
- capacity and scaling: ``CapacityProvider``, ``DesiredCount``, ``MinCapacity``,
  ``MaxCapacity``, ``CpuTargetUtilization``, ``MemoryTargetUtilization``, ``RequestsPerTarget``,
  ``HealthCheckGracePeriodSeconds``;
- load balancer: ``LoadBalancerType``, ``CertificateArn``, ``AllowedIngressCidr``,
  ``DeletionProtection``, ``HttpsOnly``, ``WebAclArn``, ``StrictTransportSecurityMaxAge``,
  ``DeregistrationDelaySeconds``;
- deployment: ``DeploymentStrategy``, ``DeploymentBakeTimeMinutes``, ``CanaryPercent``,
  ``CanaryBakeTimeMinutes``, ``LinearStepPercent``, ``LinearStepBakeTimeMinutes``,
  ``TestListenerPort``;
- operations: ``EnableExecuteCommand``, ``LogRetentionDays``, ``ErrorRateAlarmPercent``,
  ``AlarmTopicArn``.

Rules (what the console refuses before creating anything): ``FargateMemoryFor<N>Cpu``, one per
CPU size, refuses a memory size Fargate does not offer with it;
``HealthCheckTimeoutShorterThanInterval``; ``ExtraEgressPortNeedsOneDestination`` and
``ExtraEgressDestinationNeedsPort``; ``TaskRoleManagedPolicyArnsWithoutGaps``;
``HttpsOnlyNeedsACertificate``, ``StrictTransportSecurityNeedsHttps`` and
``WebAclNeedsAnApplicationLoadBalancer``; ``RequestScalingNeedsAnApplicationLoadBalancer``,
``RequestScalingNeedsAPublicService`` and ``RequestScalingNeedsRollingDeployments``; for a
service that joins an environment, ``ExposeNeedsAnEnvironment``,
``JoiningNeedsTheEnvironment``, ``PublicServiceNeedsAListenerRule``,
``InternalServiceNeedsAServiceConnectName``, ``OnlyPublicServicesHaveListenerRules``,
``OnlyInternalServicesHaveAServiceConnectName`` and
``ServiceConnectAppProtocolNeedsAnInternalService``; for the deployment strategies,
``DeploymentStrategyNeedsLoadBalancerTraffic``, ``TestListenerNeedsATrafficShiftingStrategy``,
``TestListenerNeedsACertificate``, ``TestListenerNeedsALoadBalancerOfItsOwn`` and
``TestListenerPortIsFree``.

Outputs (exported as ``<stack name>-<output>``): ``ServiceUrl``, ``LoadBalancerDnsName``,
``ClusterName``, ``TestUrl``, ``ServiceName``, ``TaskSecurityGroupId``, ``LogGroupName``,
``DashboardUrl``.

The load balancer, its target group and its main listener are one resource each whatever the
load balancer type and certificate, with their properties switched by conditions: the service can
always depend on "the listener", and there is no conditional ``DependsOn``.

Where each part is built: :mod:`.names` (every logical ID, parameter, condition and output key,
console group), :mod:`.parameters` (one function per console group, and the task size rules),
:mod:`.conditions`, :mod:`.containers` (log group, container definition, task definition),
:mod:`.roles`, :mod:`.security_groups`, :mod:`.access_logs` (bucket and its policy),
:mod:`.load_balancer` (load balancer, target group, listeners), :mod:`.ecs_service` (cluster and
service), :mod:`.scaling` and :mod:`.outputs`. :func:`service_template` threads what each returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Template
from troposphere import elasticloadbalancingv2 as elb

from ...cfn.buckets import ELB_LOG_DELIVERY_ACCOUNTS
from ...errors import expect
from ..config import HEALTH_CHECK_PATH_PATTERN, ConfigError, ServiceConfig
from ..exposure import (
    EXPOSE_INTERNAL,
    EXPOSE_NONE,
    EXPOSE_PUBLIC,
    SERVICE_CONNECT_NAME_RULE,
    is_service_connect_name,
)
from . import names
from .access_logs import (
    ACCESS_LOGS_BUCKET_SUPPRESSIONS,
    BUCKET_POLICY_SUPPRESSIONS,
    LOG_PREFIX,
    NEWER_REGIONS,
    SERVICE_PRINCIPAL,
    add_access_logs_bucket,
    add_access_logs_bucket_policy,
    add_log_delivery_accounts,
)
from .alarms import add_alarms
from .conditions import add_conditions
from .containers import (
    SCRATCH_VOLUME,
    TASK_DEFINITION_SUPPRESSIONS,
    add_log_group,
    add_service_connect_memory,
    add_task_definition,
    container_definition,
    sidecar_definition,
)
from .dashboard import add_dashboard
from .deployment import (
    TEST_LISTENER_CHECKOV,
    TrafficShifting,
    add_deployment_rules,
    add_traffic_shifting,
)
from .ecs_service import add_cluster, add_connect_rule, add_ecs_service, cluster_name
from .joining import add_placement_rules
from .load_balancer import (
    HTTP_LISTENER_CHECKOV,
    HTTP_PORT,
    HTTPS_LISTENER_CHECKOV,
    HTTPS_PORT,
    LOAD_BALANCER_CHECKOV,
    LOAD_BALANCER_SUPPRESSIONS,
    add_listener_rules,
    add_listeners,
    add_load_balancer,
    add_ready,
    add_target_group,
    load_balancer_full_name,
)
from .names import *  # noqa: F403 (re-exported: every name in names.__all__)
from .outputs import add_outputs
from .parameters import (
    CERTIFICATE_PATTERN,
    IMAGE_PATTERN,
    INGRESS_CIDR_PATTERN,
    add_extra_egress_rules,
    add_health_check_rule,
    add_https_only_rule,
    add_managed_policy_arns_rule,
    add_parameters,
    add_request_scaling_deployment_rule,
    add_request_scaling_rules,
    add_secret_variable_name_rule,
    add_sidecar_port_rule,
    add_strict_transport_security_rule,
    add_task_size_rules,
    add_web_acl_rule,
)
from .placement import Placement, condition_of, exists, guard
from .roles import add_roles
from .scaling import add_autoscaling, request_resource_label
from .security_groups import HTTP_INGRESS_CHECKOV, SecurityGroups, add_security_groups

__all__ = [
    *names.__all__,
    "ACCESS_LOGS_BUCKET_SUPPRESSIONS",
    "BUCKET_POLICY_SUPPRESSIONS",
    "CERTIFICATE_PATTERN",
    "ELB_LOG_DELIVERY_ACCOUNTS",
    "HEALTH_CHECK_PATH_PATTERN",
    "HTTPS_LISTENER_CHECKOV",
    "HTTPS_PORT",
    "HTTP_INGRESS_CHECKOV",
    "HTTP_LISTENER_CHECKOV",
    "HTTP_PORT",
    "IMAGE_PATTERN",
    "INGRESS_CIDR_PATTERN",
    "LOAD_BALANCER_CHECKOV",
    "LOAD_BALANCER_SUPPRESSIONS",
    "LOG_PREFIX",
    "NEWER_REGIONS",
    "SCRATCH_VOLUME",
    "SERVICE_PRINCIPAL",
    "TASK_DEFINITION_SUPPRESSIONS",
    "TEST_LISTENER_CHECKOV",
    "service_template",
]


def _expect_resolves(config: ServiceConfig, resolves: object) -> None:
    """Refuse what no service of an environment is served by: each name went into the
    deployment's nonce unchecked, where a misspelt one only changed the nonce."""
    expect(resolves, tuple, "service_template(resolves)")
    assert isinstance(resolves, tuple)  # for the type checker: expect raised otherwise
    if not all(isinstance(name, str) for name in resolves):
        raise TypeError("service_template(resolves) takes a tuple of names (str)")
    for index, name in enumerate(resolves):
        if not is_service_connect_name(name):
            why = (
                "is no name a service is served by through Service Connect (an internal "
                f"service's container_name, or a connect one's: {SERVICE_CONNECT_NAME_RULE})"
            )
        elif config.expose is not None and name == config.container_name:
            why = "is this service's own name: it resolves the environment's other services"
        elif name in resolves[:index]:
            why = "is named twice"
        else:
            continue
        raise ConfigError(f"service_template(resolves): {name!r} {why}")


def service_template(
    config: ServiceConfig | None = None, *, resolves: tuple[str, ...] = ()
) -> Template:
    """Build the service layer. Pure: the same config always gives the same template.

    ``resolves``: the names the environment's other services serve through Service Connect
    (a spec's environment passes them; never this service's own, a :class:`ConfigError`
    names one no service can have): a change in them starts a deployment of this one, whose
    tasks resolve only the names that exist when they start.

    ``config.expose`` decides the placement (:mod:`.placement`): ``None`` (the shipped
    template) has a load balancer of its own or joins an environment at deploy time; ``public``,
    ``internal`` or ``none`` is a service of an environment that holds only what that needs.
    """
    expect(config, (ServiceConfig, type(None)), "service_template(config)")
    config = config or ServiceConfig()
    _expect_resolves(config, resolves)
    placement = Placement.of(config)
    application = config.application
    t = Template(Description=_description(config))
    add_parameters(t, config, placement)
    add_task_size_rules(t)
    if exists(placement.standalone):
        add_https_only_rule(t)
        add_web_acl_rule(t)
        add_strict_transport_security_rule(t)
    if exists(placement.target_group):
        add_health_check_rule(t)
        add_request_scaling_rules(t, placement)
        add_request_scaling_deployment_rule(t)
    if placement.listens:
        add_sidecar_port_rule(t, application)
    add_extra_egress_rules(t)
    add_managed_policy_arns_rule(t)
    add_secret_variable_name_rule(t, application)
    add_placement_rules(t, placement)
    add_deployment_rules(t, placement)
    if config.connect:
        add_connect_rule(t)
    add_conditions(t, placement)

    cluster = (
        add_cluster(t, condition=condition_of(placement.standalone))
        if exists(placement.standalone)
        else None
    )
    log_group = add_log_group(t)
    roles = add_roles(t, log_group, application)
    add_service_connect_memory(t, placement)
    task_definition = add_task_definition(
        t,
        roles,
        [
            container_definition(config, log_group, placement),
            *(sidecar_definition(sidecar, log_group) for sidecar in application.sidecars),
        ],
        application.ephemeral_storage_gib,
    )
    security_groups = add_security_groups(
        t, placement, application.egress, config.target_health.port
    )
    load_balancer = _add_own_load_balancer(t, config, placement, security_groups)
    traffic = _add_load_balancer_traffic(t, config, placement, load_balancer, security_groups)
    target_group = traffic.target_group if traffic is not None else None
    cluster_name_of_service = cluster_name(placement, cluster)
    alarms = (
        add_alarms(t, placement, load_balancer, traffic.target_group, traffic.shifting.alternate)
        if traffic is not None
        else None
    )
    service = add_ecs_service(
        t,
        config,
        placement,
        cluster=cluster,
        task_definition=task_definition,
        security_group=security_groups.tasks,
        target_group=target_group,
        log_group=log_group,
        waits_for=traffic.waits_for if traffic is not None else None,
        alarms=alarms,
        shifting=traffic.shifting if traffic is not None else None,
        resolves=resolves,
    )
    add_autoscaling(
        t,
        placement,
        cluster,
        service,
        config.scaling_schedules,
        request_resource_label(placement, load_balancer, target_group)
        if target_group is not None
        else None,
        queue=config.queue_scaling,
    )
    dashboard = add_dashboard(
        t,
        placement,
        cluster=cluster,
        cluster_name=cluster_name_of_service,
        service=service,
        load_balancer=load_balancer,
        target_group=target_group,
        alarms=alarms,
        alternate=traffic.shifting.alternate if traffic is not None else None,
    )
    add_outputs(
        t,
        config,
        placement,
        load_balancer=load_balancer,
        cluster_name=cluster_name_of_service,
        service=service,
        task_security_group=security_groups.tasks,
        log_group=log_group,
        dashboard=dashboard,
    )
    return t


def _description(config: ServiceConfig) -> str:
    if config.expose is None:
        return (
            "Fargate service without public IPs in private subnets, behind an internet-facing "
            "load balancer in public subnets (its own, or an environment's)"
        )
    how = {
        EXPOSE_PUBLIC: "behind the environment's load balancer",
        EXPOSE_INTERNAL: "called by the environment's services through Service Connect",
        EXPOSE_NONE: "a worker without inbound traffic",
    }[config.expose]
    return f"Fargate service {config.container_name} of an environment, without public IPs: {how}"


@dataclass(frozen=True)
class LoadBalancerTraffic:
    target_group: elb.TargetGroup
    shifting: TrafficShifting  # its resources exist only under ShiftsTraffic
    waits_for: str  # ListenersReady: the listeners and listener rules that exist


def _add_load_balancer_traffic(
    t: Template,
    config: ServiceConfig,
    placement: Placement,
    load_balancer: elb.LoadBalancer | None,
    security_groups: SecurityGroups,
) -> LoadBalancerTraffic | None:
    """The target groups, the listeners or the environment's listener rule, and what a
    traffic-shifting strategy adds; None for a service without load balancer traffic."""
    if not exists(placement.target_group):
        return None
    target_group = add_target_group(t, config, placement)
    alternate = add_target_group(
        t, config, placement, title=names.ALTERNATE_TARGET_GROUP, condition=names.SHIFTS_TRAFFIC
    )
    rules: tuple[elb.ListenerRule, ...] = ()
    if exists(placement.listener_rule):
        rules = add_listener_rules(t, config, placement, target_group, alternate)
    listeners = None
    if load_balancer is not None:
        listeners = add_listeners(t, config, load_balancer, target_group, alternate)
    shifting = add_traffic_shifting(
        t,
        config,
        placement,
        target_group=target_group,
        alternate=alternate,
        listeners=listeners,
        load_balancer_group=(
            security_groups.load_balancer.group if security_groups.load_balancer else None
        ),
        load_balancer_full_name=load_balancer_full_name(placement, load_balancer),
    )
    waited = [
        *((listeners.http, listeners.https) if listeners is not None else ()),
        *rules,
        *shifting.waited,
    ]
    waits_for = add_ready(t, waited).title
    return LoadBalancerTraffic(target_group=target_group, shifting=shifting, waits_for=waits_for)


def _add_own_load_balancer(
    t: Template, config: ServiceConfig, placement: Placement, security_groups: SecurityGroups
) -> elb.LoadBalancer | None:
    """The load balancer of the service's own, with its access-log bucket (only while it has
    one: in the shipped template, with ClusterName empty)."""
    if security_groups.load_balancer is None:
        return None
    add_log_delivery_accounts(t)
    bucket = add_access_logs_bucket(t)
    bucket_policy = add_access_logs_bucket_policy(t, bucket)
    guard(bucket, placement.standalone)
    guard(bucket_policy, placement.standalone)
    return add_load_balancer(
        t, placement, security_groups.load_balancer.group, bucket, bucket_policy
    )
