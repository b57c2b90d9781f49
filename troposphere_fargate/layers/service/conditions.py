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
from .access_logs import add_log_delivery_condition
from .names import (
    CERTIFICATE_ARN,
    ENABLE_EXECUTE_COMMAND,
    ENVIRONMENT_FILE_ARN,
    EXECUTE_COMMAND_ENABLED,
    EXTRA_EGRESS_CIDR,
    EXTRA_EGRESS_PORT,
    EXTRA_EGRESS_SECURITY_GROUP_ID,
    EXTRA_EGRESS_TO_CIDR,
    EXTRA_EGRESS_TO_SECURITY_GROUP,
    HAS_CERTIFICATE,
    HAS_ENVIRONMENT_FILE,
    HAS_EXTRA_EGRESS_PORT,
    HAS_SECRET,
    HAS_TASK_ROLE_MANAGED_POLICIES,
    HTTP_LISTENER_PORT_OPEN,
    IS_APPLICATION,
    IS_CHINA,
    LOAD_BALANCER_TYPE,
    SECRET_ARN_PARAMETER,
    TASK_ROLE_MANAGED_POLICY_ARNS,
)
from .parameters import NO_CERTIFICATE, NO_EXTRA_EGRESS_PORT, NOT_GIVEN


def _given(parameter: str) -> Not:
    return Not(Equals(Ref(parameter), NOT_GIVEN))


def add_conditions(t: Template) -> tuple[str, ...]:
    """Add every condition; return their names."""
    return (
        t.add_condition(IS_APPLICATION, Equals(Ref(LOAD_BALANCER_TYPE), APPLICATION_LOAD_BALANCER)),
        t.add_condition(HAS_CERTIFICATE, Not(Equals(Ref(CERTIFICATE_ARN), NO_CERTIFICATE))),
        # Port 80 is open without a certificate, and on an ALB with one (to redirect to HTTPS).
        t.add_condition(
            HTTP_LISTENER_PORT_OPEN,
            Or(Not(Condition(HAS_CERTIFICATE)), Condition(IS_APPLICATION)),
        ),
        t.add_condition(EXECUTE_COMMAND_ENABLED, is_true(ENABLE_EXECUTE_COMMAND)),
        t.add_condition(IS_CHINA, Equals(Partition, "aws-cn")),
        add_log_delivery_condition(t),
        *add_application_conditions(t),
    )


def add_application_conditions(t: Template) -> tuple[str, ...]:
    """What the application parameters switch on; return the conditions' names."""
    return (
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
