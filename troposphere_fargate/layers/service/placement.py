"""Where a service runs and how it is reached, as its template decides it.

The shipped ``service.yaml`` decides at deploy time: with ``ClusterName`` empty it creates its
own cluster and load balancer (as every version before 0.4.0 did); with the name of an
environment's cluster it joins that environment, reached as ``Expose`` says. Its resources and
properties switch on the conditions named here.

A service of an environment built from a spec decides at build time: it always joins, its
exposure is fixed, and its template holds only what that exposure needs (no conditions for it).

Each switch is True or False (decided when the template is built) or the name of a condition
(decided when it is deployed); :func:`pick` and :func:`when` turn a switch into a value or a
resource's ``Condition``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from troposphere import AWSObject, If

from ..config import ServiceConfig
from ..exposure import EXPOSE_INTERNAL, EXPOSE_NONE, EXPOSE_PUBLIC
from .names import (
    HAS_TARGET_GROUP,
    INTERNAL_IN_ENVIRONMENT,
    JOINS_ENVIRONMENT,
    PUBLIC_IN_ENVIRONMENT,
    STANDALONE,
)

Switch = bool | str  # decided when built (True, False) or when deployed (a condition's name)


def pick(switch: Switch, yes: Any, no: Any) -> Any:
    """``yes`` or ``no`` as the switch says: the value itself, or an ``Fn::If``."""
    if switch is True:
        return yes
    if switch is False:
        return no
    return If(switch, yes, no)


def exists(switch: Switch) -> bool:
    """Whether the template holds what the switch guards at all."""
    return switch is not False


def when(switch: Switch) -> dict[str, str]:
    """A resource's ``Condition`` for the switch (nothing when it always exists)."""
    return {"Condition": switch} if isinstance(switch, str) else {}


def condition_of(switch: Switch) -> str | None:
    """The condition a resource is created under, or None when it always exists."""
    return switch if isinstance(switch, str) else None


R = TypeVar("R", bound=AWSObject)


def guard(resource: R, switch: Switch) -> R:
    """``resource``, created only under the switch's condition (when it has one)."""
    if isinstance(switch, str):
        resource.Condition = switch
    return resource


@dataclass(frozen=True)
class Placement:
    """What the template holds and what decides it.

    Attributes:
        standalone: its own cluster, load balancer, listeners and access-log bucket.
        joined: in an environment (its cluster, its Service Connect namespace).
        target_group: load balancer traffic: standalone, or public in an environment.
        listener_rule: a rule on the environment's listener: public in an environment.
        internal: reached by name through Service Connect only, in an environment.
        serves: served through Service Connect (internal, or public with ``connect``).
        listens: whether the container has a port at all (False for a built worker).
        deploy_time: whether a console user picks (the shipped template's parameters).
    """

    standalone: Switch
    joined: Switch
    target_group: Switch
    listener_rule: Switch
    internal: Switch
    serves: Switch
    listens: bool
    deploy_time: bool

    @classmethod
    def of(cls, config: ServiceConfig) -> Placement:
        if config.expose is None:
            return cls(
                standalone=STANDALONE,
                joined=JOINS_ENVIRONMENT,
                target_group=HAS_TARGET_GROUP,
                listener_rule=PUBLIC_IN_ENVIRONMENT,
                internal=INTERNAL_IN_ENVIRONMENT,
                serves=INTERNAL_IN_ENVIRONMENT,
                listens=True,
                deploy_time=True,
            )
        return cls(
            standalone=False,
            joined=True,
            target_group=config.expose == EXPOSE_PUBLIC,
            listener_rule=config.expose == EXPOSE_PUBLIC,
            internal=config.expose == EXPOSE_INTERNAL,
            serves=config.serves,
            listens=config.expose != EXPOSE_NONE,
            deploy_time=False,
        )
