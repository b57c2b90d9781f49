"""How a service of an environment is reached: its exposure, and for a public service the
listener rule of the shared load balancer that routes to it.

- ``public``: behind the environment's load balancer, by a listener rule on a path pattern
  and/or a host name, with a priority (lower is evaluated first);
- ``internal``: no load balancer; the environment's other services call it by its name through
  ECS Service Connect;
- ``none``: a worker that takes no inbound traffic.

The patterns follow Elastic Load Balancing's listener rule conditions (Application Load
Balancers guide, "Listener rules": path patterns are case sensitive, up to 128 characters of
``A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ?``; host names up to 128 characters of
``A-Z a-z 0-9 - .`` with ``*`` and ``?`` wildcards; priorities 1 to 50000, unique per listener)
and their limits ("Condition types for listener rules", condition basics: "up to three match
evaluations per condition", "up to five match evaluations per rule", five wildcards per rule).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from ..cfn.limits import WILDCARDS_PER_RULE
from ..errors import field_error as _fail
from ..errors import suggest_fields

Exposure = Literal["public", "internal", "none"]
EXPOSE_PUBLIC: Final = "public"
EXPOSE_INTERNAL: Final = "internal"
EXPOSE_NONE: Final = "none"
EXPOSURES: tuple[Exposure, ...] = (EXPOSE_PUBLIC, EXPOSE_INTERNAL, EXPOSE_NONE)

# The application protocols ECS Service Connect serves a service's port by (ECS API Reference,
# PortMapping, appProtocol): with one, "Amazon ECS adds protocol-specific connection handling to
# the Service Connect proxy" and protocol-specific telemetry; without one, "TCP is used". It "is
# immutable in a Service Connect service. Updating this field requires a service deletion and
# redeployment", so it is chosen when the service is created.
AppProtocol = Literal["http", "http2", "grpc"]
APP_PROTOCOLS: tuple[AppProtocol, ...] = ("http", "http2", "grpc")

# A listener rule's priority (AWS::ElasticLoadBalancingV2::ListenerRule, Priority).
MIN_PRIORITY = 1
MAX_PRIORITY = 50000

# Plain expressions (no anchors, no named groups), so CloudFormation's AllowedPattern takes them.
PATH_PATTERN = r"/[A-Za-z0-9_.$/~\"'@:+&*?-]{0,127}"
MAX_PATH = 128  # characters, as the pattern takes them
# A host name: DNS labels, the first of which may be the wildcard "*". No "?": a host the
# environment also makes an alias record for must be a name Route 53 takes.
HOST_PATTERN = r"(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]"
MAX_HOST = 128
# ELB counts "*" and "?" in a rule's conditions: five at most. A condition takes three values at
# most (a request matches one of them), a rule five in all.
MAX_WILDCARDS = WILDCARDS_PER_RULE
MAX_VALUES_PER_CONDITION = 3
MAX_VALUES_PER_RULE = 5
# One path of at most MAX_WILDCARDS wildcards: the shipped service's ListenerRulePath (a
# lookahead, which CloudFormation's Java regex takes). A "*." host adds one, which no pattern of
# one parameter can count: its description says so.
PATH_WITH_WILDCARDS_PATTERN = rf"(?=(?:[^*?]*[*?]){{0,{MAX_WILDCARDS}}}[^*?]*$){PATH_PATTERN}"

# What ECS Service Connect takes as a discovery name and a client alias of an internal service:
# a DNS label (lower case, 63 characters at most: RFC 1035, "labels 63 octets or less"), so
# the other services call it at http://<name>:<port>.
SERVICE_CONNECT_NAME = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# The rule in words, for every message that refuses a name (config, service_template's
# resolves, the ServiceConnectName parameter's ConstraintDescription).
SERVICE_CONNECT_NAME_RULE = (
    "a DNS label of lower-case letters, digits and hyphens, up to 63 characters"
)

_PATH = re.compile(rf"^{PATH_PATTERN}$")
_HOST = re.compile(rf"^{HOST_PATTERN}$")
_SERVICE_CONNECT_NAME = re.compile(rf"^{SERVICE_CONNECT_NAME}$")
_NAME_PART = re.compile(r"[A-Za-z0-9]+")
HOST_RULE = (
    "must be a lower-case host name such as api.example.com (or *.example.com), up to "
    f"{MAX_HOST} characters"
)


def is_host_name(value: object) -> bool:
    """Whether ``value`` is a host name a listener rule and an alias record both take."""
    return isinstance(value, str) and len(value) <= MAX_HOST and bool(_HOST.fullmatch(value))


def is_service_connect_name(name: str) -> bool:
    return bool(_SERVICE_CONNECT_NAME.fullmatch(name))


def logical_name(name: str) -> str:
    """A service's name as it appears in logical IDs and root parameter names:
    ``orders-api`` -> ``OrdersApi``, ``web`` -> ``Web``, ``*.shop`` -> ``WildcardShop``."""
    parts = ["Wildcard" if part == "*" else part for part in re.split(r"[^A-Za-z0-9*]+", name)]
    words = [
        w for part in parts for w in ([part] if part == "Wildcard" else _NAME_PART.findall(part))
    ]
    return "".join(word[:1].upper() + word[1:] for word in words)


def path_prefix(path: str) -> str:
    """Where a path pattern's URLs begin, for the service's URL: up to its first wildcard
    (``/api/*`` -> ``/api/``, ``/*`` -> ``/``)."""
    return re.split(r"[*?]", path, maxsplit=1)[0] or "/"


def _values(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


def _covers_host(pattern: str, host: str) -> bool:
    """Whether every host ``host`` matches, ``pattern`` matches too: the same name, or
    ``*.`` and a suffix ``host`` ends with (the load balancer's ``*`` matches any characters,
    dots included, so ``*.example.com`` matches ``a.b.example.com``)."""
    if pattern == host:
        return True
    suffix = pattern[1:]
    return pattern.startswith("*.") and "*" not in suffix and host.endswith(suffix)


def _covers_path(pattern: str, path: str | None) -> bool:
    """Whether every request path ``path`` matches (None: any), ``pattern`` matches too: the
    same pattern, or a prefix ending in ``*`` (no other wildcard) that ``path`` starts with."""
    if pattern == path:
        return True
    prefix = pattern[:-1]
    if not pattern.endswith("*") or "*" in prefix or "?" in prefix:
        return False
    return prefix == "/" if path is None else path.startswith(prefix)


@suggest_fields
@dataclass(frozen=True)
class Routing:
    """The listener rule that sends a public service its requests.

    Attributes:
        priority: the rule's priority, 1 to 50000, unique among the environment's services; the
            load balancer evaluates rules from the lowest priority up and takes the first match.
        path: a path pattern such as ``/api/*`` (case sensitive; ``*`` and ``?`` wildcards),
            or a tuple of up to three, of which a request matches one, such as
            ``("/api", "/api/*")`` (``/api/*`` alone does not match ``/api``).
        host: a host name such as ``api.example.com`` (``*.example.com`` matches any host
            ending in ``.example.com``), or a tuple of up to three, of which a request
            matches one. At least one of ``path`` and ``host``; with both, a request must match
            both. Five values in all at most, with five wildcards (``*`` and ``?``) at most.
    """

    priority: int
    path: str | tuple[str, ...] | None = None
    host: str | tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if (
            not isinstance(self.priority, int)
            or isinstance(self.priority, bool)
            or not MIN_PRIORITY <= self.priority <= MAX_PRIORITY
        ):
            whole = isinstance(self.priority, int) and not isinstance(self.priority, bool)
            kind = "" if whole else "an integer, "
            raise _fail(
                owner, "priority", self.priority, f"must be {kind}{MIN_PRIORITY} to {MAX_PRIORITY}"
            )
        if self.path is None and self.host is None:
            raise _fail(owner, "path", self.path, "give a path, a host or both")
        path_rule = (
            "must be a path pattern starting with /, up to 128 characters of letters, "
            "digits and _-.$/~\"'@:+&, with * and ? as wildcards"
        )
        self._check_values("path", path_rule, lambda value: bool(_PATH.fullmatch(value)))
        self._check_values("host", HOST_RULE, is_host_name)
        values = len(self.paths) + len(self.hosts)
        if values > MAX_VALUES_PER_RULE:
            raise _fail(
                owner,
                "path",
                self.path,
                f"the rule has {values} values in its paths and hosts; the load balancer takes "
                f"{MAX_VALUES_PER_RULE} at most",
            )
        wildcards = sum(value.count("*") + value.count("?") for value in self.paths + self.hosts)
        if wildcards > MAX_WILDCARDS:
            raise _fail(
                owner,
                "path",
                self.path,
                f"the rule has {wildcards} wildcards (* and ?) in its path and host; the load "
                f"balancer takes {MAX_WILDCARDS} at most",
            )

    def _check_values(self, name: str, rule: str, valid: Callable[[str], bool]) -> None:
        """``path`` or ``host``: None, one value, or a tuple of 1 to 3 different values."""
        owner = type(self).__name__
        value = getattr(self, name)
        if value is None:
            return
        if isinstance(value, tuple):
            if not 1 <= len(value) <= MAX_VALUES_PER_CONDITION:
                raise _fail(
                    owner,
                    name,
                    value,
                    f"give 1 to {MAX_VALUES_PER_CONDITION} values (the load balancer's limit "
                    "for a condition)",
                )
            for index, item in enumerate(value):
                if not isinstance(item, str) or not valid(item):
                    raise _fail(owner, f"{name}[{index}]", item, rule)
                if item in value[:index]:
                    raise _fail(owner, f"{name}[{index}]", item, "is given twice")
        elif not isinstance(value, str):
            kind = ", not a list" if isinstance(value, list) else ""
            raise _fail(owner, name, value, f"{rule}, or a tuple of them{kind}")
        elif not valid(value):
            raise _fail(owner, name, value, rule)

    def __eq__(self, other: object) -> bool:
        # The same rule whether a value is written alone or as a tuple of one ("/api" and
        # ("/api",)): a review found the two configs unequal, though they build the same rule.
        if not isinstance(other, Routing):
            return NotImplemented
        return (self.priority, self.paths, self.hosts) == (other.priority, other.paths, other.hosts)

    def __hash__(self) -> int:
        return hash((self.priority, self.paths, self.hosts))

    @property
    def paths(self) -> tuple[str, ...]:
        """The path patterns, of which a request matches one (none: any path)."""
        return _values(self.path)

    @property
    def hosts(self) -> tuple[str, ...]:
        """The host names, of which a request matches one (none: any host)."""
        return _values(self.host)

    def matches_every(self, host: str | None, path: str | None) -> bool:
        """Whether this rule matches every request whose host matches the host pattern
        ``host`` and whose path matches the path pattern ``path`` (None: any), in the sure cases
        :meth:`covers` takes."""
        if self.hosts and (host is None or not any(_covers_host(p, host) for p in self.hosts)):
            return False
        return not self.paths or any(_covers_path(pattern, path) for pattern in self.paths)

    def covers(self, other: Routing) -> bool:
        """Whether every request ``other`` matches, this rule matches too (so with a lower
        priority it would take them all). Only the sure cases: this rule has no host, or for
        each host of ``other`` the same one or a ``*.`` wildcard it ends under; and no path, or
        for each path of ``other`` the same one or a prefix ending in ``*`` that it starts
        with. A rule that takes only some of another's requests (a carve-out, such as
        ``/checkout/*`` of one host before a rule of two hosts) is left alone."""
        if self.hosts and not (
            other.hosts
            and all(any(_covers_host(p, host) for p in self.hosts) for host in other.hosts)
        ):
            return False
        if not self.paths:
            return True
        return all(
            any(_covers_path(pattern, path) for pattern in self.paths)
            for path in other.paths or (None,)
        )
