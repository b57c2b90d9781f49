"""How the load balancer decides that a task is healthy: its target group's health check.

The limits are Elastic Load Balancing's for a target group of ``ip`` targets checked over HTTP
(``AWS::ElasticLoadBalancingV2::TargetGroup``): an interval of 5 to 300 seconds, a timeout of 2
to 120 seconds and shorter than the interval ("The timeout must be smaller than the interval"),
2 to 10 checks in a row to change a target's state, and success codes from 200 to 499 for an
application load balancer (200 to 599 for a network one: the codes here suit both).

The templates offer the interval and the timeout as lists of values, because CloudFormation's
rules cannot compare two numbers: a rule then refuses a timeout that is not shorter than the
interval before anything is created. A timeout of 0 leaves ELB's default, which is what every
version before 0.4.0 had. The checks here are HTTP checks, whose default is 5 seconds behind an
application load balancer and 6 behind a network one ("the default values are 6 seconds for
HTTP and 10 seconds for TCP and HTTPS health checks", Network Load Balancers' guide; the API
reference says 6 for a target group of protocol HTTP). ELB compares the default with the
interval too: an interval of 5 with the default timeout fails ("Health check interval must be
greater than the timeout", terraform-linters/tflint-ruleset-aws#404), so 0 needs an interval
longer than :data:`ELB_LONGEST_DEFAULT_TIMEOUT`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cfn.limits import reversed_ranges_problem
from ..errors import field_error as _fail
from ..errors import suggest_fields

HEALTH_CHECK_INTERVALS: tuple[int, ...] = (5, 10, 15, 20, 30, 60, 120, 300)
HEALTH_CHECK_TIMEOUTS: tuple[int, ...] = (2, 3, 4, 5, 6, 10, 15, 20, 30, 60, 120)
ELB_DEFAULT_TIMEOUT = 0  # no HealthCheckTimeoutSeconds: ELB's default for the protocol
ELB_LONGEST_DEFAULT_TIMEOUT = 6  # of an HTTP health check, whichever the load balancer
# How a refusal offers ELB's default: a spec says "left out" instead (it has no 0).
ELB_DEFAULT_TIMEOUT_CHOICE = "or 0 for"
MIN_THRESHOLD = 2
MAX_THRESHOLD = 10
# HTTP codes or ranges, comma-separated ("200", "200-299", "200,204"), 200 to 499.
_CODE = r"[2-4][0-9]{2}"
SUCCESS_CODES_PATTERN = rf"{_CODE}(?:-{_CODE})?(?:,{_CODE}(?:-{_CODE})?)*"
_SUCCESS_CODES = re.compile(rf"^{SUCCESS_CODES_PATTERN}$")


def timeouts_below(interval: int) -> tuple[int, ...]:
    """The timeouts a check every ``interval`` seconds may have."""
    return tuple(timeout for timeout in HEALTH_CHECK_TIMEOUTS if timeout < interval)


def timeouts_for(interval: int) -> tuple[int, ...]:
    """The values ``HealthCheckTimeoutSeconds`` may take with a check every ``interval``
    seconds: the timeouts below it, and 0 (ELB's default) when that default is below it too."""
    default = (ELB_DEFAULT_TIMEOUT,) if interval > ELB_LONGEST_DEFAULT_TIMEOUT else ()
    return (*default, *timeouts_below(interval))


# 10: the shortest interval ELB's default timeout is shorter than.
SHORTEST_INTERVAL_WITH_DEFAULT_TIMEOUT = min(
    interval for interval in HEALTH_CHECK_INTERVALS if ELB_DEFAULT_TIMEOUT in timeouts_for(interval)
)


@suggest_fields
@dataclass(frozen=True)
class TargetHealth:
    """The defaults of the target group's health check parameters, and where it checks.

    Attributes:
        interval_seconds: default of ``HealthCheckIntervalSeconds``, one of
            :data:`HEALTH_CHECK_INTERVALS`. Default 10.
        timeout_seconds: default of ``HealthCheckTimeoutSeconds``: 0 for ELB's default (5
            seconds behind an application load balancer, 6 behind a network one; only with an
            interval of 10 or more: :func:`timeouts_for`), or one of
            :data:`HEALTH_CHECK_TIMEOUTS` shorter than the interval. Default 0.
        healthy_threshold: default of ``HealthyThresholdCount``: checks passed in a row that
            make a task healthy, 2 to 10. Default 2.
        unhealthy_threshold: default of ``UnhealthyThresholdCount``: checks failed in a row that
            make it unhealthy, 2 to 10. Default 3.
        success_codes: default of ``HealthCheckSuccessCodes``: HTTP codes or ranges that count
            as healthy, 200 to 499, such as ``200`` or ``200-299,302``. Default ``200-399``.
        port: a port of its own the health check requests, such as a management port; None (the
            default) checks the container port. The tasks then admit it from the load balancer
            too. Build-time only.
    """

    interval_seconds: int = 10
    timeout_seconds: int = ELB_DEFAULT_TIMEOUT
    healthy_threshold: int = 2
    unhealthy_threshold: int = 3
    success_codes: str = "200-399"
    port: int | None = None

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if self.interval_seconds not in HEALTH_CHECK_INTERVALS or isinstance(
            self.interval_seconds, bool
        ):
            raise _fail(
                owner,
                "interval_seconds",
                self.interval_seconds,
                f"must be one of {', '.join(map(str, HEALTH_CHECK_INTERVALS))}",
            )
        allowed = timeouts_for(self.interval_seconds)
        default = self.timeout_seconds == 0 and not isinstance(self.timeout_seconds, bool)
        if default and 0 not in allowed:  # the default, often not written
            raise _fail(
                owner,
                "timeout_seconds",
                self.timeout_seconds,
                f"ELB's default (up to {ELB_LONGEST_DEFAULT_TIMEOUT} seconds) is not shorter "
                f"than interval_seconds {self.interval_seconds}: give one of "
                f"{', '.join(map(str, allowed))}",
            )
        if self.timeout_seconds not in allowed or isinstance(self.timeout_seconds, bool):
            shorter = ", ".join(str(t) for t in allowed if t != ELB_DEFAULT_TIMEOUT)
            up_to = f"up to {ELB_LONGEST_DEFAULT_TIMEOUT} seconds"
            raise _fail(
                owner,
                "timeout_seconds",
                self.timeout_seconds,
                f"must be one of {shorter} (shorter than interval_seconds "
                f"{self.interval_seconds}), {ELB_DEFAULT_TIMEOUT_CHOICE} ELB's default ({up_to})"
                if ELB_DEFAULT_TIMEOUT in allowed
                else f"must be one of {shorter} (shorter than interval_seconds "
                f"{self.interval_seconds}; ELB's default, {up_to}, needs a longer interval)",
            )
        for name in ("healthy_threshold", "unhealthy_threshold"):
            value = getattr(self, name)
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not MIN_THRESHOLD <= value <= MAX_THRESHOLD
            ):
                raise _fail(owner, name, value, f"must be {MIN_THRESHOLD} to {MAX_THRESHOLD}")
        if not isinstance(self.success_codes, str) or not _SUCCESS_CODES.fullmatch(
            self.success_codes
        ):
            raise _fail(
                owner,
                "success_codes",
                self.success_codes,
                "must be HTTP codes or ranges from 200 to 499, comma-separated, such as 200 or "
                "200-299,302",
            )
        backwards = reversed_ranges_problem(self.success_codes)
        if backwards:
            raise _fail(owner, "success_codes", self.success_codes, backwards)
        if self.port is not None and (
            not isinstance(self.port, int)
            or isinstance(self.port, bool)
            or not 1 <= self.port <= 65535
        ):
            raise _fail(owner, "port", self.port, "must be None or a port from 1 to 65535")
