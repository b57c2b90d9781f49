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
``A-Z a-z 0-9 - .`` with ``*`` and ``?`` wildcards; priorities 1 to 50000, unique per listener).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ConfigError

EXPOSE_PUBLIC = "public"
EXPOSE_INTERNAL = "internal"
EXPOSE_NONE = "none"
EXPOSURES: tuple[str, ...] = (EXPOSE_PUBLIC, EXPOSE_INTERNAL, EXPOSE_NONE)

# A listener rule's priority (AWS::ElasticLoadBalancingV2::ListenerRule, Priority).
MIN_PRIORITY = 1
MAX_PRIORITY = 50000

# Plain expressions (no anchors, no named groups), so CloudFormation's AllowedPattern takes them.
PATH_PATTERN = r"/[A-Za-z0-9_.$/~\"'@:+&*?-]{0,127}"
# A host name: DNS labels, the first of which may be the wildcard "*". No "?": a host the
# environment also makes an alias record for must be a name Route 53 takes.
HOST_PATTERN = r"(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]"
MAX_HOST = 128
# ELB counts "*" and "?" in a rule's conditions: five at most.
MAX_WILDCARDS = 5

# What ECS Service Connect takes as a discovery name and a client alias of an internal service:
# a DNS label (lower case, 63 characters at most: RFC 1035, "labels 63 octets or less"), so
# the other services call it at http://<name>:<port>.
SERVICE_CONNECT_NAME = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"

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


def _fail(owner: str, name: str, value: object, why: str) -> ConfigError:
    return ConfigError(f"{owner}.{name}={value!r}: {why}")


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


@dataclass(frozen=True)
class Routing:
    """The listener rule that sends a public service its requests.

    Attributes:
        priority: the rule's priority, 1 to 50000, unique among the environment's services; the
            load balancer evaluates rules from the lowest priority up and takes the first match.
        path: a path pattern such as ``/api/*`` (case sensitive; ``*`` and ``?`` wildcards).
        host: a host name such as ``api.example.com`` (``*.example.com`` matches one level).
            At least one of ``path`` and ``host``; with both, a request must match both.
    """

    priority: int
    path: str | None = None
    host: str | None = None

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if (
            not isinstance(self.priority, int)
            or isinstance(self.priority, bool)
            or not MIN_PRIORITY <= self.priority <= MAX_PRIORITY
        ):
            raise _fail(
                owner, "priority", self.priority, f"must be {MIN_PRIORITY} to {MAX_PRIORITY}"
            )
        if self.path is None and self.host is None:
            raise _fail(owner, "path", self.path, "give a path, a host or both")
        if self.path is not None and (
            not isinstance(self.path, str) or not _PATH.fullmatch(self.path)
        ):
            raise _fail(
                owner,
                "path",
                self.path,
                "must be a path pattern starting with /, up to 128 characters of letters, "
                "digits and _-.$/~\"'@:+&, with * and ? as wildcards",
            )
        if self.host is not None and not is_host_name(self.host):
            raise _fail(owner, "host", self.host, HOST_RULE)
        wildcards = sum(
            (value or "").count("*") + (value or "").count("?") for value in (self.path, self.host)
        )
        if wildcards > MAX_WILDCARDS:
            raise _fail(
                owner,
                "path",
                self.path,
                f"the rule has {wildcards} wildcards (* and ?) in its path and host; the load "
                f"balancer takes {MAX_WILDCARDS} at most",
            )

    def covers(self, other: Routing) -> bool:
        """Whether every request ``other`` matches, this rule matches too (so with a lower
        priority it would take them all). Only the sure cases: the same host or none, and a
        path that is the same, none, or a prefix ending in ``*`` that ``other``'s path starts
        with."""
        if self.host is not None and self.host != other.host:
            return False
        if self.path is None or self.path == other.path:
            return True
        prefix = self.path[:-1]
        if not self.path.endswith("*") or "*" in prefix or "?" in prefix:
            return False
        return (other.path or "/").startswith(prefix) and (other.path is not None or prefix == "/")

    @property
    def matches(self) -> tuple[str | None, str | None]:
        """What the rule matches: (host, path); two services may not match the same."""
        return (self.host, self.path)
