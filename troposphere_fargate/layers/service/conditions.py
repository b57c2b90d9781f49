"""The service layer's conditions: what the parameters (and the partition and region) switch on
and off. The load balancer, target group and main listener exist whatever the conditions say;
only their properties, the HTTPS listener and the port 80 rules depend on them. The application
parameters each switch on what they add: the environment file, the secret, the task role's
managed policies, and the extra egress rule to a security group or to a CIDR."""

from __future__ import annotations

from troposphere import (
    And,
    Condition,
    Equals,
    Join,
    Not,
    Or,
    Partition,
    Ref,
    Template,
)

from ..blocks import is_true
from ..config import APPLICATION_LOAD_BALANCER
from ..exposure import EXPOSE_INTERNAL, EXPOSE_PUBLIC
from ..health import ELB_DEFAULT_TIMEOUT
from .access_logs import add_log_delivery_condition
from .deployment import add_deployment_conditions
from .joining import NO_LISTENER_RULE_PRIORITY
from .names import (
    ALARM_TOPIC_ARN,
    CERTIFICATE_ARN,
    CLUSTER_NAME,
    CONTAINER_USER,
    CPU_TARGET_UTILIZATION,
    DESIRED_COUNT,
    ENABLE_EXECUTE_COMMAND,
    ENVIRONMENT_FILE_ARN,
    ENVIRONMENT_SECURITY_GROUP_ID,
    ENVIRONMENT_URL,
    EXECUTE_COMMAND_ENABLED,
    EXPOSE,
    EXTRA_EGRESS_CIDR,
    EXTRA_EGRESS_PORT,
    EXTRA_EGRESS_SECURITY_GROUP_ID,
    EXTRA_EGRESS_TO_CIDR,
    EXTRA_EGRESS_TO_SECURITY_GROUP,
    HAS_ALARM_TOPIC,
    HAS_CERTIFICATE,
    HAS_CONTAINER_USER,
    HAS_CPU_SCALING,
    HAS_DESIRED_COUNT,
    HAS_ENVIRONMENT_FILE,
    HAS_ERROR_RATE_ALARM,
    HAS_EXTRA_EGRESS_PORT,
    HAS_HEALTH_CHECK_TIMEOUT,
    HAS_LISTENER_RULE_HOST,
    HAS_LISTENER_RULE_PATH,
    HAS_MEMORY_SCALING,
    HAS_REQUEST_SCALING,
    HAS_SECRET,
    HAS_SERVICE_CONNECT_APP_PROTOCOL,
    HAS_STRICT_TRANSPORT_SECURITY,
    HAS_TARGET_GROUP,
    HAS_TASK_ROLE_MANAGED_POLICIES,
    HAS_WEB_ACL,
    HEALTH_CHECK_TIMEOUT,
    HTTP_LISTENER_PORT_OPEN,
    HTTPS_ONLY,
    INTERNAL_IN_ENVIRONMENT,
    IS_APPLICATION,
    IS_CHINA,
    JOINS_ENVIRONMENT,
    LISTENER_ARN,
    LISTENER_RULE_HOST,
    LISTENER_RULE_PATH,
    LISTENER_RULE_PRIORITY,
    LOAD_BALANCER_SECURITY_GROUP_ID,
    LOAD_BALANCER_TYPE,
    MEMORY_TARGET_UTILIZATION,
    NAMESPACE_ARN,
    NO_STRICT_TRANSPORT_SECURITY,
    PUBLIC_IN_ENVIRONMENT,
    REQUESTS_PER_TARGET,
    SECRET_ARN_PARAMETER,
    SERVICE_CONNECT_APP_PROTOCOL,
    SERVICE_CONNECT_NAME,
    STANDALONE,
    STRICT_TRANSPORT_SECURITY_MAX_AGE,
    TASK_ROLE_MANAGED_POLICY_ARNS,
    WEB_ACL_ARN,
)
from .parameters import (
    NO_CERTIFICATE,
    NO_EXTRA_EGRESS_PORT,
    NOT_GIVEN,
)
from .placement import Placement, exists


def _given(parameter: str) -> Not:
    return Not(Equals(Ref(parameter), NOT_GIVEN))


def add_conditions(t: Template, placement: Placement) -> tuple[str, ...]:
    """Add every condition the placement needs; return their names."""
    names = [
        *add_placement_conditions(t, placement),
        *add_load_balancer_conditions(t, placement),
        t.add_condition(EXECUTE_COMMAND_ENABLED, is_true(ENABLE_EXECUTE_COMMAND)),
        t.add_condition(HAS_DESIRED_COUNT, Not(Equals(Ref(DESIRED_COUNT), "0"))),
        t.add_condition(IS_CHINA, Equals(Partition, "aws-cn")),
    ]
    names += [
        t.add_condition(HAS_CPU_SCALING, Not(Equals(Ref(CPU_TARGET_UTILIZATION), "0"))),
        t.add_condition(HAS_MEMORY_SCALING, Not(Equals(Ref(MEMORY_TARGET_UTILIZATION), "0"))),
    ]
    if exists(placement.target_group):
        names.append(
            t.add_condition(
                HAS_HEALTH_CHECK_TIMEOUT,
                Not(Equals(Ref(HEALTH_CHECK_TIMEOUT), str(ELB_DEFAULT_TIMEOUT))),
            )
        )
        names.append(t.add_condition(HAS_ALARM_TOPIC, _given(ALARM_TOPIC_ARN)))
        if isinstance(placement.target_group, str):  # the shipped template
            names.append(
                t.add_condition(
                    HAS_ERROR_RATE_ALARM,
                    Or(
                        And(Condition(STANDALONE), Condition(IS_APPLICATION)),
                        Condition(PUBLIC_IN_ENVIRONMENT),
                    ),
                )
            )
        # The rule RequestScalingNeedsAnApplicationLoadBalancer refuses a network one first.
        requests = Not(Equals(Ref(REQUESTS_PER_TARGET), "0"))
        names.append(
            t.add_condition(
                HAS_REQUEST_SCALING,
                And(requests, Condition(placement.target_group))
                if isinstance(placement.target_group, str)
                else requests,
            )
        )
    names += add_deployment_conditions(t, placement)
    return (*names, *add_application_conditions(t))


def add_placement_conditions(t: Template, placement: Placement) -> tuple[str, ...]:
    """Where the shipped service runs (placement.py): on its own while ClusterName is empty,
    else in that environment, reached as Expose says. None for a spec's service."""
    if not placement.deploy_time:
        return ()
    # Each condition also names the parameters what it guards refers to, so that a Ref to one
    # of them is never resolved to its empty default under it (which cfn-lint checks, W1030).
    # The rules (joining.py) refuse a joined service without them before anything is created,
    # so JoinsEnvironment is exactly "ClusterName is given".
    return (
        t.add_condition(STANDALONE, Equals(Ref(CLUSTER_NAME), NOT_GIVEN)),
        t.add_condition(
            JOINS_ENVIRONMENT,
            And(
                Not(Condition(STANDALONE)),
                _given(ENVIRONMENT_SECURITY_GROUP_ID),
                _given(NAMESPACE_ARN),
            ),
        ),
        t.add_condition(
            PUBLIC_IN_ENVIRONMENT,
            And(
                Condition(JOINS_ENVIRONMENT),
                Equals(Ref(EXPOSE), EXPOSE_PUBLIC),
                _given(LISTENER_ARN),
                _given(LOAD_BALANCER_SECURITY_GROUP_ID),
                _given(ENVIRONMENT_URL),
                Not(Equals(Ref(LISTENER_RULE_PRIORITY), NO_LISTENER_RULE_PRIORITY)),
            ),
        ),
        t.add_condition(
            INTERNAL_IN_ENVIRONMENT,
            And(
                Condition(JOINS_ENVIRONMENT),
                Equals(Ref(EXPOSE), EXPOSE_INTERNAL),
                _given(SERVICE_CONNECT_NAME),
            ),
        ),
        t.add_condition(
            HAS_TARGET_GROUP, Or(Condition(STANDALONE), Condition(PUBLIC_IN_ENVIRONMENT))
        ),
        t.add_condition(
            HAS_SERVICE_CONNECT_APP_PROTOCOL,
            And(Condition(INTERNAL_IN_ENVIRONMENT), _given(SERVICE_CONNECT_APP_PROTOCOL)),
        ),
        t.add_condition(HAS_LISTENER_RULE_PATH, _given(LISTENER_RULE_PATH)),
        t.add_condition(HAS_LISTENER_RULE_HOST, _given(LISTENER_RULE_HOST)),
    )


def add_load_balancer_conditions(t: Template, placement: Placement) -> tuple[str, ...]:
    """What the parameters of a load balancer of its own switch (none without one)."""
    if not exists(placement.standalone):
        return ()
    # A certificate of its own; port 80 is open without one, and on an ALB with one (to
    # redirect to HTTPS) unless HttpsOnly closes it. In the shipped template both only with a
    # load balancer of its own.
    certificate: object = Not(Equals(Ref(CERTIFICATE_ARN), NO_CERTIFICATE))
    port_open: object = Or(
        Not(Condition(HAS_CERTIFICATE)),
        And(Condition(IS_APPLICATION), Not(is_true(HTTPS_ONLY))),
    )
    if isinstance(placement.standalone, str):
        certificate = And(Condition(placement.standalone), certificate)
        port_open = And(Condition(placement.standalone), port_open)
    # A web ACL only on an application load balancer of its own (the rules refuse it on a
    # network one, and in an environment, whose load balancer has its own).
    web_acl: object = And(Condition(IS_APPLICATION), _given(WEB_ACL_ARN))
    if isinstance(placement.standalone, str):
        web_acl = And(
            Condition(placement.standalone), Condition(IS_APPLICATION), _given(WEB_ACL_ARN)
        )
    # Strict-Transport-Security only from the HTTPS listeners of an application load balancer
    # (the rules refuse it on a network one, without a certificate and in an environment).
    hsts = And(
        Condition(HAS_CERTIFICATE),
        Condition(IS_APPLICATION),
        Not(Equals(Ref(STRICT_TRANSPORT_SECURITY_MAX_AGE), NO_STRICT_TRANSPORT_SECURITY)),
    )
    return (
        t.add_condition(IS_APPLICATION, Equals(Ref(LOAD_BALANCER_TYPE), APPLICATION_LOAD_BALANCER)),
        t.add_condition(HAS_CERTIFICATE, certificate),
        t.add_condition(HTTP_LISTENER_PORT_OPEN, port_open),
        t.add_condition(HAS_WEB_ACL, web_acl),
        t.add_condition(HAS_STRICT_TRANSPORT_SECURITY, hsts),
        add_log_delivery_condition(t),
    )


def add_application_conditions(t: Template) -> tuple[str, ...]:
    """What the application parameters switch on; return the conditions' names."""
    return (
        t.add_condition(HAS_CONTAINER_USER, _given(CONTAINER_USER)),
        t.add_condition(HAS_ENVIRONMENT_FILE, _given(ENVIRONMENT_FILE_ARN)),
        t.add_condition(HAS_SECRET, _given(SECRET_ARN_PARAMETER)),
        # An empty list joins to "" (a list parameter cannot be compared with Equals itself).
        t.add_condition(
            HAS_TASK_ROLE_MANAGED_POLICIES,
            Not(Equals(Join("", Ref(TASK_ROLE_MANAGED_POLICY_ARNS)), NOT_GIVEN)),
        ),
        t.add_condition(
            HAS_EXTRA_EGRESS_PORT, Not(Equals(Ref(EXTRA_EGRESS_PORT), NO_EXTRA_EGRESS_PORT))
        ),
        # The rules let a port have one destination at most.
        t.add_condition(
            EXTRA_EGRESS_TO_SECURITY_GROUP,
            And(Condition(HAS_EXTRA_EGRESS_PORT), _given(EXTRA_EGRESS_SECURITY_GROUP_ID)),
        ),
        t.add_condition(
            EXTRA_EGRESS_TO_CIDR,
            And(Condition(HAS_EXTRA_EGRESS_PORT), _given(EXTRA_EGRESS_CIDR)),
        ),
    )
