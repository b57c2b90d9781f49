"""The service layer's conditions: what the parameters (and the partition and region) switch on
and off. The load balancer, target group and main listener exist whatever the conditions say;
only their properties, the HTTPS listener and the port 80 rules depend on them."""

from __future__ import annotations

from troposphere import Condition, Equals, FindInMap, Not, Or, Partition, Ref, Region, Template

from ..blocks import is_true
from ..config import APPLICATION_LOAD_BALANCER
from .access_logs import SERVICE_PRINCIPAL
from .names import (
    CERTIFICATE_ARN,
    ELB_ACCOUNTS,
    ELB_LOGS_FROM_SERVICE_PRINCIPAL,
    ENABLE_EXECUTE_COMMAND,
    EXECUTE_COMMAND_ENABLED,
    HAS_CERTIFICATE,
    HTTP_LISTENER_PORT_OPEN,
    IS_APPLICATION,
    IS_CHINA,
    LOAD_BALANCER_TYPE,
)
from .parameters import NO_CERTIFICATE


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
        t.add_condition(
            ELB_LOGS_FROM_SERVICE_PRINCIPAL,
            Equals(FindInMap(ELB_ACCOUNTS, Region, "AccountId"), SERVICE_PRINCIPAL),
        ),
    )
