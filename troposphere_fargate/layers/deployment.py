"""How a new revision of a service takes over from the running one: ECS's deployment strategies.

- ``ROLLING`` (the default, and all every version before 0.4.0 did): ECS starts new tasks beside
  the old ones in the one target group and stops the old ones as the new ones pass their health
  checks.
- ``CANARY``: the new revision gets ``canary_percent`` of production traffic for
  ``canary_bake_minutes``, then all of it.
- ``LINEAR``: the new revision gets ``step_percent`` more of the traffic every
  ``step_bake_minutes`` until it has all of it.
- ``BLUE_GREEN``: the new revision gets all the traffic at once.

The last three shift traffic between two target groups through the load balancer: after the
shift, the old revision keeps running for ``bake_minutes``, and an alarm (or the circuit breaker)
in that time moves the traffic straight back (``AWS::ECS::Service DeploymentConfiguration``;
"Both methods only support rolling update deployment and blue/green deployment types", Amazon
ECS deployment failure detection).

The limits are ECS's: bake times of 0 to 1440 minutes; a canary of 0.1 to 100 percent and a
linear step of 3 to 100 percent, in multiples of 0.1 (``CanaryConfiguration``,
``LinearConfiguration``); and CloudFormation's own: it refuses a canary or linear deployment whose
bake times add up to more than 33 hours, since its operations time out after 36
(``AWS::ECS::Service CanaryConfiguration`` and ``LinearConfiguration``, CloudFormation Template
Reference).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

from ..cfn.limits import MAX_DEPLOYMENT_MINUTES, deployment_minutes
from ..errors import field_error as _fail
from ..errors import suggest_fields

DeploymentStrategy = Literal["ROLLING", "CANARY", "LINEAR", "BLUE_GREEN"]
ROLLING: Final = "ROLLING"
CANARY: Final = "CANARY"
LINEAR: Final = "LINEAR"
BLUE_GREEN: Final = "BLUE_GREEN"
DEPLOYMENT_STRATEGIES: tuple[DeploymentStrategy, ...] = (ROLLING, CANARY, LINEAR, BLUE_GREEN)
TRAFFIC_SHIFTING_STRATEGIES: tuple[DeploymentStrategy, ...] = (CANARY, LINEAR, BLUE_GREEN)

MAX_BAKE_MINUTES = 1440
MIN_CANARY_PERCENT = 0.1
MIN_STEP_PERCENT = 3.0

# A percentage in tenths: 0.1-100 for a canary, 3-100 for a linear step (CloudFormation Number
# parameters cannot say "multiples of 0.1", so the templates take these as patterned strings).
CANARY_PERCENT_PATTERN = r"^(?:100(?:\.0)?|[1-9][0-9]?(?:\.[0-9])?|0\.[1-9])$"
STEP_PERCENT_PATTERN = r"^(?:100(?:\.0)?|[1-9][0-9](?:\.[0-9])?|[3-9](?:\.[0-9])?)$"


def in_tenths(value: float, low: float) -> bool:
    """Whether ``value`` is a percentage from ``low`` to 100 in steps of 0.1."""
    return low <= value <= 100 and math.isclose(value * 10, round(value * 10), abs_tol=1e-9)


@suggest_fields
@dataclass(frozen=True)
class DeploymentSettings:
    """The defaults of the deployment parameters of a service behind a load balancer.

    Attributes:
        strategy: default of ``DeploymentStrategy``: one of :data:`DEPLOYMENT_STRATEGIES`.
            Default ``ROLLING``. The others need load balancer traffic.
        bake_minutes: default of ``DeploymentBakeTimeMinutes``: minutes the old revision keeps
            running after all traffic has moved, ready to take it back (0-1440). Default 10.
        canary_percent: default of ``CanaryPercent``: the canary's share of production traffic,
            0.1 to 100 in tenths. Default 5 (ECS's default, and ECS Express Mode's).
        canary_bake_minutes: default of ``CanaryBakeTimeMinutes``: minutes the canary serves its
            share before the rest moves (0-1440). Default 10.
        step_percent: default of ``LinearStepPercent``: the share each linear step moves, 3 to
            100 in tenths. Default 10.
        step_bake_minutes: default of ``LinearStepBakeTimeMinutes``: minutes between two linear
            steps (0-1440). Default 6.
    """

    strategy: DeploymentStrategy = ROLLING
    bake_minutes: int = 10
    canary_percent: float = 5.0
    canary_bake_minutes: int = 10
    step_percent: float = 10.0
    step_bake_minutes: int = 6

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if self.strategy not in DEPLOYMENT_STRATEGIES:
            raise _fail(
                owner,
                "strategy",
                self.strategy,
                f"must be one of {', '.join(DEPLOYMENT_STRATEGIES)}",
            )
        for name in ("bake_minutes", "canary_bake_minutes", "step_bake_minutes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise _fail(owner, name, value, "must be a whole number of minutes")
            if not 0 <= value <= MAX_BAKE_MINUTES:
                raise _fail(owner, name, value, f"must be 0-{MAX_BAKE_MINUTES} minutes")
        for name, low in (
            ("canary_percent", MIN_CANARY_PERCENT),
            ("step_percent", MIN_STEP_PERCENT),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _fail(owner, name, value, "must be a number")
            if not in_tenths(float(value), low):
                raise _fail(owner, name, value, f"must be {low:g}-100 in steps of 0.1")
        minutes = self.minutes()
        if minutes > MAX_DEPLOYMENT_MINUTES:
            raise _fail(
                owner,
                "bake_minutes",
                self.bake_minutes,
                f"a {self.strategy} deployment would wait {minutes} minutes in all; "
                f"CloudFormation refuses more than {MAX_DEPLOYMENT_MINUTES} (33 hours)",
            )

    @property
    def shifts_traffic(self) -> bool:
        """Whether the strategy moves traffic between two target groups."""
        return self.strategy in TRAFFIC_SHIFTING_STRATEGIES

    def minutes(self) -> int:
        """The minutes a deployment waits in all, as CloudFormation counts them."""
        return deployment_minutes(
            self.strategy,
            self.bake_minutes,
            self.canary_bake_minutes,
            self.step_bake_minutes,
            self.step_percent,
        )
