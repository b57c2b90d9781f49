"""The fixed monthly cost of what a stack deploys, line by line, from the price table shipped
with the package (``prices.json``: its date, region and the AWS pages each price comes from).

Fixed means what is billed by the hour or the month whether or not anyone uses the service:
NAT gateways, interface endpoints (per AZ), the load balancer's hours, public IPv4 addresses
(NAT gateways' Elastic IPs and an internet-facing load balancer's node in each AZ), Fargate
vCPU and memory of the running tasks, Container Insights, alarms and dashboards. What depends
on use (data processed or transferred, load balancer capacity units, logs, storage) is named as
not counted, with its unit price where the table has one.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import expect
from .dry_run import INCLUDED_EPHEMERAL_GIB, Footprint

PRICES = Path(__file__).resolve().parent / "prices.json"
# Why a task size or count given as another stack's export (or an SSM parameter's value) is
# not priced: the dry run cannot know it.
_KNOWN_AT_CREATION = "it is known only when the stack is created"
# Why what another stack decides (a cluster's default capacity provider strategy) is not priced.
_ANOTHER_STACKS = "it is another stack's"
# Why a resource of a type the table knows nothing of is not priced.
_NOT_IN_THE_TABLE = "the price table has no price for its type"
# Why the tasks of a service not on Fargate are not priced: their EC2 instances (or hosts) are.
_NOT_FARGATE = "the price table has Fargate's prices, not EC2 instances'"


@functools.cache
def price_table() -> dict[str, Any]:
    """The shipped price table (see ``prices.json`` for its date and sources)."""
    loaded: dict[str, Any] = json.loads(PRICES.read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class Line:
    """One thing paid for: what it is, how it is counted, and its monthly price.

    Attributes:
        item: what is paid for (``NAT gateways``, ``Fargate vCPU (ServiceStack/Service)``).
        quantity: how it is counted, such as ``2 x 730 h x $0.045``.
        monthly: its price a month, in the price table's currency (USD), unrounded.
    """

    item: str
    quantity: str
    monthly: float


@dataclass(frozen=True)
class Estimate:
    """A fixed monthly cost, line by line, and what it leaves out.

    Attributes:
        region: the region asked about (``us-east-1`` when none was).
        priced_region: the price table's region whose prices were used (``us-east-1`` for a
            region the table has no prices for).
        lines: what is paid for, one :class:`Line` each (item, how it is counted, monthly).
        not_counted: what the estimate leaves out, one phrase each: what it cannot know (a
            task size known only when the stack is created, a schedule it cannot average), what
            depends on use (with its unit price where the table has one), and what is another
            stack's (the NAT gateways of a VPC the stack does not make, the stacks its Service
            Catalog products launch). Empty when it leaves out nothing the table knows of.
        scaling: each autoscaled service's ceiling: (service, the most tasks it may run, the
            tasks priced: its count, or a week's average with scheduled bounds, and what each
            task more costs a month, in USD), which :attr:`at_most` adds up as if they all ran
            the most tasks all month. Default: none.

    :attr:`total` sums the lines; :meth:`report` is the table the ``cost`` command prints.
    (Until 0.4.0's release the lines were the field ``lines_`` and the table ``lines()``: a
    newcomer's trial found the two names confusing.)
    """

    region: str
    priced_region: str
    lines: tuple[Line, ...]
    not_counted: tuple[str, ...]
    scaling: tuple[tuple[str, int, float, float], ...] = ()

    @property
    def total(self) -> float:
        return round(sum(line.monthly for line in self.lines), 2)

    @property
    def at_most(self) -> float:
        """The total with every autoscaled service at its most tasks all month: the ceiling of
        the fixed cost (the total when nothing scales)."""
        more = sum(max(most - priced, 0) * each for _, most, priced, each in self.scaling)
        return round(self.total + more, 2)

    def at_most_text(self) -> str | None:
        """The ceiling in words, or None when nothing can scale above what is priced."""
        if self.at_most <= self.total:
            return None
        counts = ", ".join(f"{name} {most}" for name, most, _, _ in self.scaling)
        return (
            f"${self.at_most:,.2f} a month with the most tasks autoscaling allows all month "
            f"({counts})"
        )

    def total_text(self) -> str:
        return f"${self.total:,.2f}"

    def _why_not_counted(self) -> str:
        """Why the items are left out: use, unless one is another stack's (an existing VPC's NAT
        gateways are a fixed cost, of the stack that made the VPC) or a task size or count the
        template leaves to the stack's creation."""
        others = {i["text"] for i in price_table()["not_counted"] if not i.get("use", True)}
        why = ["it depends on use"]
        if others & set(self.not_counted) or any(
            item.endswith(_ANOTHER_STACKS) for item in self.not_counted
        ):
            why.append(_ANOTHER_STACKS)
        if any(item.endswith(_KNOWN_AT_CREATION) for item in self.not_counted):
            why.append(_KNOWN_AT_CREATION)
        if any(item.endswith(_NOT_IN_THE_TABLE) for item in self.not_counted):
            why.append(_NOT_IN_THE_TABLE)
        if any(item.endswith(_NOT_FARGATE) for item in self.not_counted):
            why.append(_NOT_FARGATE)
        return ", or ".join(why)

    def report(self) -> list[str]:
        """The estimate as the ``cost`` command prints it."""
        table = price_table()
        header = (
            f"fixed monthly cost in {self.region}, {table['currency']}, "
            f"{table['hours_per_month']} hours a month, prices of {table['date']}"
        )
        if self.priced_region != self.region:
            header += f" for {self.priced_region} (the table has no prices for {self.region})"
        width = max([len(line.item) for line in self.lines] + [5])
        count_width = max([len(line.quantity) for line in self.lines] + [1])
        rows = [
            f"  {line.item.ljust(width)}  {line.quantity.ljust(count_width)}  "
            f"{f'${line.monthly:,.2f}':>10}"
            for line in self.lines
        ]
        total = f"  {'total'.ljust(width)}  {''.ljust(count_width)}  {self.total_text():>10}"
        ceiling = self.at_most_text()
        return [
            header,
            *rows,
            total,
            *([f"at most: {ceiling}"] if ceiling else []),
            f"not counted ({self._why_not_counted()}): "
            + ("; ".join(self.not_counted) or "nothing the price table knows of"),
            "prices from " + ", ".join(sorted(set(table["sources"].values()))),
        ]


def _tasks(count: object) -> str:
    return "1 task" if count == 1 else f"{count} tasks"


def _money(value: float) -> str:
    return f"${value:g}"


def estimate(found: Footprint, region: str | None = None) -> Estimate:
    """The fixed monthly cost of ``found`` in ``region`` (default: us-east-1); a region the
    price table has no prices for is priced at the table's default region's. Raises
    ``ValueError`` for a ``region`` that is no region name."""
    from .evaluate import region_name_problem

    expect(found, Footprint, "estimate(found)")
    expect(region, (str, type(None)), "estimate(region)")
    problem = None if region is None else region_name_problem(region)
    if problem:
        raise ValueError(problem)
    table = price_table()
    region = region or "us-east-1"
    priced = region if region in table["regions"] else table["default_region"]
    price = table["regions"][priced]
    hours = table["hours_per_month"]
    lines: list[Line] = []

    def hourly(item: str, count: float, what: str, unit: float, spot: bool = False) -> None:
        if count:
            on_demand = " (on-demand: Spot's price is lower and varies)" if spot else ""
            quantity = f"{what} x {hours} h x {_money(unit)}{on_demand}"
            lines.append(Line(item, quantity, count * hours * unit))

    hourly("NAT gateways", found.nat_gateways, f"{found.nat_gateways}", price["nat_gateway_hour"])
    endpoints = len(found.interface_endpoints)
    # Each endpoint is billed in each zone it is in: "x N AZs" only when that is every one's.
    zones = [n or found.availability_zones or 1 for n in found.interface_endpoints.values()]
    interface = sum(zones)
    spread = f" x {zones[0]} AZs" if len(set(zones)) == 1 else ""
    hourly(
        "interface endpoints",
        interface,
        f"{endpoints}{spread}" if spread else f"{interface} endpoint-AZs",
        price["interface_endpoint_az_hour"],
    )
    for kind, _, _ in found.load_balancers:
        key = "network" if kind == "network" else "application"
        hourly(f"{kind} load balancer", 1, "1", price[f"{key}_load_balancer_hour"])
    # An internet-facing load balancer has a public IPv4 address in each of its subnets; one a
    # subnet mapping gives an Elastic IP (AllocationId, "the allocation ID of the Elastic IP
    # address for an internet-facing load balancer", SubnetMapping, ELB API Reference) is that
    # Elastic IP's, counted once (in elastic_ips when these stacks make it).
    public = (
        found.elastic_ips
        + sum(
            (subnets or 0)
            for _, scheme, subnets in found.load_balancers
            if scheme == "internet-facing"
        )
        - found.load_balancer_elastic_ips
    )
    hourly("public IPv4 addresses", public, f"{public}", price["public_ipv4_hour"])
    scaling = _fargate(found, price, hourly)
    # Standard Container Insights is priced as custom metrics; with enhanced observability
    # CloudWatch prices observations instead, which the table has no price for (not counted).
    standard_insights = found.container_insights - found.enhanced_insights
    if standard_insights:
        metrics = (
            standard_insights * price["container_insights_metrics_per_cluster"]
            + len(found.tasks) * price["container_insights_metrics_per_service"]
        )
        lines.append(
            Line(
                "Container Insights",
                f"about {metrics} metrics x {_money(price['custom_metric_month'])}",
                metrics * price["custom_metric_month"],
            )
        )
    metrics = found.alarms if found.alarm_metrics is None else found.alarm_metrics
    if found.alarms:
        # Amazon CloudWatch pricing: $0.10 per alarm metric a month; an alarm on a metric math
        # expression is charged for each metric it reads (the error rate reads two).
        lines.append(
            Line(
                "alarms",
                f"{found.alarms} reading {metrics} metric{'s' if metrics != 1 else ''} x "
                f"{_money(price['alarm_month'])}",
                metrics * price["alarm_month"],
            )
        )
    if found.scaling_alarms:
        # Application Auto Scaling's alarms are the account's, billed as any other.
        metrics = found.scaling_alarm_metrics
        lines.append(
            Line(
                "target tracking alarms",
                f"{found.scaling_alarms} (two per scaling policy) reading {metrics} "
                f"metric{'s' if metrics != 1 else ''} x {_money(price['alarm_month'])}",
                metrics * price["alarm_month"],
            )
        )
    for item, count, unit, note in (
        (
            "dashboards",
            found.dashboards,
            price["dashboard_month"],
            " (counted: an account's first 3 are free)",
        ),
    ):
        if count:
            lines.append(Line(item, f"{count} x {_money(unit)}{note}", count * unit))
    unknown, unpriced = _not_known(found)
    not_counted = unknown + _unknown_addresses(found, price) + unpriced + _by_use(found)
    return Estimate(region, priced, tuple(lines), not_counted, tuple(scaling))


def _unknown_addresses(found: Footprint, price: Mapping[str, float]) -> tuple[str, ...]:
    """The public IPv4 addresses of the internet-facing load balancers whose subnets are not a
    list here (another stack's export) in a stack without zones of its own: one a zone, but
    how many zones is known only at creation, so they are named rather than priced at none."""
    unzoned = sum(
        1
        for _, scheme, subnets in found.load_balancers
        if scheme == "internet-facing" and subnets is None
    )
    if not unzoned:
        return ()
    return (
        f"the public IPv4 addresses of {unzoned} internet-facing load balancer"
        f"{'s' if unzoned != 1 else ''} in subnets not known here (one a zone it is in, at "
        f"{_money(price['public_ipv4_hour'])} an hour each): {_KNOWN_AT_CREATION}",
    )


def _not_known(found: Footprint) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the estimate cannot price from ``found``, one phrase each: what it does not know (a
    size or count known at creation, Spot or not, tasks not on Fargate, a type the table has
    no price for), and the schedules it cannot average."""
    counts = {name: count for name, count, *_ in found.tasks}
    unpriced = tuple(
        f"the scheduled capacity of {name} ({why}: priced at {_tasks(counts.get(name, '?'))})"
        for name, why in found.unpriced_schedules
    )
    unknown = tuple(
        f"what {name} runs ({why}): {_KNOWN_AT_CREATION}" for name, why in found.unknown_sizes
    )
    # The default strategy of a cluster of another stack places these services' tasks (ECS
    # CreateService): on Fargate Spot or not, they are priced on demand, an upper bound.
    unknown += tuple(
        f"whether {name} runs on Fargate Spot (its cluster's default capacity provider "
        "strategy, of a cluster these stacks do not create; priced at Fargate's on-demand "
        f"rate): {_ANOTHER_STACKS}"
        for name in found.unknown_capacity
    )
    # Tasks not on Fargate run on the cluster's EC2 instances (or hosts of one's own), which
    # are paid for, not the tasks' vCPU and memory.
    unknown += tuple(
        f"what {name}'s tasks run on ({what}, not Fargate): {_NOT_FARGATE}"
        for name, what in found.not_fargate
    )
    # Types the table knows nothing of are named, not counted as free.
    kinds: dict[str, list[str]] = {}
    for name, kind in found.unknown_types:
        kinds.setdefault(kind, []).append(name)
    unknown += tuple(
        f"{kind} ({', '.join(names)}): {_NOT_IN_THE_TABLE}" for kind, names in sorted(kinds.items())
    )
    return unknown, unpriced


Hourly = Callable[..., None]  # estimate's hourly(item, count, what, unit, spot=False)


def _fargate(
    found: Footprint, price: Mapping[str, float], hourly: Hourly
) -> list[tuple[str, int, float, float]]:
    """Each service's Fargate lines (vCPU, memory, ephemeral storage above the 20 GB included),
    through ``hourly``; returns what its ceiling needs: (name, most tasks, priced, per task)."""
    hours = price_table()["hours_per_month"]
    averages = dict(found.scheduled_tasks)
    storage = dict(found.ephemeral_storage)
    bounds = dict(found.most_tasks) or {name: high for name, _, high in found.scaling}
    scaling: list[tuple[str, int, float, float]] = []
    elsewhere = dict(found.not_fargate)
    for name, count, vcpu, memory, platform in found.tasks:
        if name in elsewhere:
            continue  # named as not counted (estimate)
        arm = platform.upper() == "ARM64"
        windows = name in found.windows
        vcpu_price = price["fargate_arm_vcpu_hour" if arm else "fargate_vcpu_hour"]
        gb_price = price["fargate_arm_gb_hour" if arm else "fargate_gb_hour"]
        # Windows/X86 has prices of its own, and an OS licence fee per vCPU-hour besides.
        licence = price["fargate_windows_licence_vcpu_hour"] if windows else 0.0
        if windows:
            vcpu_price = price["fargate_windows_vcpu_hour"]
            gb_price = price["fargate_windows_gb_hour"]
        # Fargate Spot's price changes with spare capacity, and the table has none: its tasks
        # are priced on demand (an upper bound), and the line says so.
        spot = name in found.spot
        kind = "Fargate Spot" if spot else "Fargate Windows" if windows else "Fargate"
        tasks: float = count
        if name in averages:
            # Scheduled bounds: the tasks over a week, on average (cfn.weekly).
            tasks = round(averages[name], 2)
        shown = f"{tasks:g} (scheduled, a week's average)" if name in averages else f"{count}"
        cpus, gbs = f"{shown} x {vcpu:g} vCPU", f"{shown} x {memory:g} GB"
        hourly(f"{kind} vCPU ({name})", tasks * vcpu, cpus, vcpu_price, spot)
        hourly(f"{kind} memory ({name})", tasks * memory, gbs, gb_price, spot)
        hourly(f"Windows licence ({name})", tasks * vcpu if windows else 0, cpus, licence)
        # Configured above the 20 GB included: a fixed price per task, as vCPU and memory.
        extra = max(storage.get(name, 0) - INCLUDED_EPHEMERAL_GIB, 0)
        storage_price = price["fargate_ephemeral_gb_hour"]
        hourly(
            f"Fargate ephemeral storage ({name})",
            tasks * extra,
            f"{shown} x {extra} GB",
            storage_price,
        )
        # A public IPv4 address a task (AssignPublicIp ENABLED), at the hourly price of every
        # public IPv4 address, as a NAT gateway's or a load balancer's.
        address = price["public_ipv4_hour"] if name in found.public_ip else 0.0
        hourly(f"public IPv4 addresses ({name})", tasks if address else 0, shown, address)
        if name in bounds:
            each = hours * (
                vcpu * (vcpu_price + licence) + memory * gb_price + extra * storage_price + address
            )
            scaling.append((name, bounds[name], tasks, each))
    return scaling


def _by_use(found: Footprint) -> tuple[str, ...]:
    """What the price table names as priced by use, for what ``found`` (or a stack a StackSet
    of it creates) has: a bucket's storage for a bucket, a NAT gateway's data for a gateway."""
    stacks = [found] + [instance for _, _, instance in found.instances]
    return tuple(
        item["text"]
        for item in price_table()["not_counted"]
        if any(getattr(stack, what) for stack in stacks for what in item["when"])
    )


# What AWS CDK's ApplicationLoadBalancedFargateService (aws-ecs-patterns) deploys when given no
# VPC or cluster: the ECS cluster's default VPC of 2 AZs with a NAT gateway per AZ, one task of
# 256 CPU units and 512 MiB, an internet-facing application load balancer in the 2 public
# subnets, no Container Insights, no alarms or dashboard (aws-cdk-lib's aws-ecs-patterns
# application-load-balanced-service-base.ts, aws-ecs cluster.ts, aws-ec2 vpc.ts).
CDK_DEFAULT = Footprint(
    availability_zones=2,
    nat_gateways=2,
    elastic_ips=2,
    gateway_endpoints=[],
    interface_endpoints={},
    load_balancers=[("application", "internet-facing", 2)],
    listeners=["HTTP 80"],
    tasks=[("CDK default", 1, 0.25, 0.5, "X86_64")],
    scaling=[],
    container_insights=0,
    alarms=0,
    dashboards=0,
    log_groups=["never expires"],
    resources=36,
    stacks=1,
)
