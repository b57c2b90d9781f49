"""Scheduled scaling: at set times the service's scaling bounds change, such as more tasks during
office hours. Each schedule becomes a scheduled action of the service's scalable target
(``AWS::ApplicationAutoScaling::ScalableTarget`` ``ScheduledActions``): "At the scheduled time,
if the current capacity is below the minimum capacity, Application Auto Scaling scales out to
the minimum capacity. If the current capacity is above the maximum capacity, Application Auto
Scaling scales in to the maximum capacity" (PutScheduledAction, Application Auto Scaling API
Reference). Between the schedules, target tracking moves the count within the bounds last set.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import field_error as _fail
from ..errors import suggest_fields

if TYPE_CHECKING:
    from datetime import datetime

# Application Auto Scaling's schedule expressions: at(yyyy-mm-ddThh:mm:ss), rate(value unit),
# cron(fields): "cron(0 8 ? * MON-FRI *)" is 08:00 each weekday.
SCHEDULE_PATTERN = (
    r"at\([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\)"
    r"|rate\([1-9][0-9]* (?:minute|minutes|hour|hours|day|days)\)"
    r"|cron\([^()]{9,256}\)"
)
ACTION_NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,255}"
TIMEZONE_PATTERN = r"UTC|[A-Z][A-Za-z_]+(?:/[A-Za-z0-9_+-]+){1,2}"
_SCHEDULE = re.compile(rf"^(?:{SCHEDULE_PATTERN})$")
_ACTION_NAME = re.compile(rf"^{ACTION_NAME_PATTERN}$")
_TIMEZONE = re.compile(rf"^(?:{TIMEZONE_PATTERN})$")


@functools.cache
def _time_zones() -> frozenset[str]:
    """The IANA time zones this machine knows (none when it has no time zone database: then a
    zone is only checked against TIMEZONE_PATTERN)."""
    import zoneinfo  # on first use: generation of the shipped templates never needs it

    return frozenset(zoneinfo.available_timezones())


def zone_hint(name: object) -> str:
    """`` (did you mean Europe/Paris?)`` for the known zone a misspelt one most looks like."""
    import difflib

    if not isinstance(name, str):
        return ""
    # Only zones the pattern takes: GMT and Japan are zones, but not of Area/Location's form.
    zones = {zone for zone in _time_zones() if _TIMEZONE.fullmatch(zone)} | {"UTC"}
    if f"Etc/{name}" in zones:
        return f" (did you mean Etc/{name}?)"
    by_case = {zone.lower(): zone for zone in zones}
    close = difflib.get_close_matches(name.lower(), list(by_case), n=1, cutoff=0.8)
    return f" (did you mean {by_case[close[0]]}?)" if close else ""


def schedule_problem(schedule: str) -> str | None:
    """Why Application Auto Scaling would refuse a schedule its pattern lets through, or None.

    A cron expression has six fields, "[Minutes] [Hours] [Day_of_Month] [Month] [Day_of_Week]
    [Year]" (Application Auto Scaling User Guide, scheduled scaling using cron expressions), and
    one of the two day fields is ``?``: "If you specify a value or a * (asterisk) in one of the
    fields, you must use a ? (question mark) in the other" (the cron expressions reference it
    points to). An ``at()`` is a date and time that exist."""
    if schedule.startswith("cron("):
        fields = schedule[len("cron(") : -1].split()
        if len(fields) != 6:
            return (
                f"a cron expression has 6 fields (minutes hours day-of-month month day-of-week "
                f"year), not {len(fields)}: such as cron(0 8 ? * MON-FRI *)"
            )
        odd = next((f for f in fields if not re.fullmatch(r"[0-9A-Za-z,*?/#-]+", f)), None)
        if odd is not None:
            return (
                f"the cron field {odd!r} has a character cron does not take: digits 0-9, "
                "names such as MON, and , - * ? / L W #"
            )
        if (fields[2] == "?") == (fields[4] == "?"):
            return (
                "one of day-of-month (3rd field) and day-of-week (5th) must be ?, and only one: "
                "such as cron(0 8 ? * MON-FRI *) or cron(0 8 1 * ? *)"
            )
        for field, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
            problem = _cron_field_problem(field, name, low, high, names)
            if problem:
                return problem
    if schedule.startswith("at("):
        from datetime import datetime

        try:
            datetime.strptime(schedule[len("at(") : -1], "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return "at(...) must be a date and time that exist, such as at(2026-12-24T18:00:00)"
    return None


_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {month: number for number, month in enumerate(_MONTH_NAMES, 1)}
_DAYS = {
    day: number for number, day in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 1)
}
# Each field's values, as the cron expressions reference Application Auto Scaling points to
# gives them (Amazon EventBridge User Guide): minutes 0-59, hours 0-23, day-of-month 1-31,
# month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199; its wildcards: , - * in
# every field, / in all but day-of-week, ? and L in the two day fields, W in day-of-month, #
# in day-of-week. Application Auto Scaling refuses an expression it cannot read ("Invalid
# schedule expression", aws/aws-cdk#6053) when the stack is created; the emulator took
# cron(99 25 ? 13 FOO *) (an audit).
_CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minutes", 0, 59, {}),
    ("hours", 0, 23, {}),
    ("day-of-month", 1, 31, {}),
    ("month", 1, 12, _MONTHS),
    ("day-of-week", 1, 7, _DAYS),
    ("year", 1970, 2199, {}),
)
# What a day field takes besides values and ranges: L (last), W (nearest weekday), LW; n#k
# (the k-th such day of the month) and nL (the last such day) in day-of-week.
# Letters in any case, as the names (MON, JAN) are taken.
_DAY_OF_MONTH_SPECIAL = re.compile(r"L|LW|(\d+)W", re.IGNORECASE)
_DAY_OF_WEEK_SPECIAL = re.compile(r"L|([0-9A-Za-z]+?)(?:#([1-5])|L)", re.IGNORECASE)
_SPECIAL = {"day-of-month": _DAY_OF_MONTH_SPECIAL, "day-of-week": _DAY_OF_WEEK_SPECIAL}


def _cron_field_problem(
    field: str, name: str, low: int, high: int, names: dict[str, int]
) -> str | None:
    """Why a cron field holds a value out of its range or a name it does not take, or None."""
    # The reference's wildcards per field: day-of-week takes no / (increments), and "#" only in
    # a field of one expression ("3#1,6#3" is not valid: two expressions).
    if name == "day-of-week" and "/" in field:
        return f"the cron {name} field {field!r}: day-of-week takes no / (increments)"
    if "#" in field and "," in field:
        return f"the cron {name} field {field!r}: with #, the field holds one expression only"
    for item in field.split(","):
        base, slash, step = item.partition("/")
        if slash and not (step.isdigit() and int(step) > 0):
            return f"the cron {name} field {field!r}: the increment after / must be 1 or more"
        special = _SPECIAL.get(name)
        match = special.fullmatch(base) if special else None
        if base in ("*", "?"):
            if base == "?" and name not in ("day-of-month", "day-of-week"):
                return f"the cron {name} field {field!r}: only the two day fields take ?"
            continue
        if "#" in base and not match:
            return f"the cron {name} field {field!r}: n#k takes k from 1 to 5 (the k-th such day)"
        if base.upper().startswith("L-"):
            return (
                f"the cron {name} field {field!r}: the cron reference has L (the last day), not L-n"
            )
        values = ([match.group(1)] if match.group(1) else []) if match else base.split("-", 1)
        for value in values:
            number = int(value) if value.isdigit() else names.get(value.upper())
            if number is None or not low <= number <= high:
                # The names in their order: JAN-DEC, SUN-SAT.
                spelled = f" or {next(iter(names))}-{next(reversed(names))}" if names else ""
                return (
                    f"the cron {name} field {field!r}: {value!r} is not one of its values, "
                    f"{low}-{high}{spelled}"
                )
    return None


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@suggest_fields
@dataclass(frozen=True)
class ScheduledScaling:
    """New scaling bounds from a given time on.

    Attributes:
        name: the scheduled action's name, unique for the service.
        schedule: when, as Application Auto Scaling writes it: ``cron(0 8 ? * MON-FRI *)``,
            ``rate(1 day)`` or ``at(2026-12-24T18:00:00)``.
        min_capacity: the new minimum number of tasks (None: unchanged).
        max_capacity: the new maximum number of tasks (None: unchanged). At least one of the
            two; with both, the minimum is not above the maximum. With one, the other stays as
            it is: the service's ``ServiceConfig`` refuses a minimum alone above its maximum or
            another schedule's, and a maximum alone below a minimum.
        timezone: the IANA time zone the schedule is read in, such as ``Europe/Paris``.
            Default ``UTC``.
    """

    name: str
    schedule: str
    min_capacity: int | None = None
    max_capacity: int | None = None
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if not isinstance(self.name, str) or not _ACTION_NAME.fullmatch(self.name):
            raise _fail(
                owner,
                "name",
                self.name,
                "must be 1-256 letters, digits, '.', '_' or '-', the first a letter or digit",
            )
        if not isinstance(self.schedule, str) or not _SCHEDULE.fullmatch(self.schedule):
            raise _fail(
                owner,
                "schedule",
                self.schedule,
                "must be cron(...), rate(<n> minutes|hours|days) or at(yyyy-mm-ddThh:mm:ss), "
                "such as cron(0 8 ? * MON-FRI *)",
            )
        problem = schedule_problem(self.schedule)
        if problem is not None:
            raise _fail(owner, "schedule", self.schedule, problem)
        if self.min_capacity is None and self.max_capacity is None:
            raise _fail(owner, "min_capacity", None, "give min_capacity, max_capacity or both")
        for field_name in ("min_capacity", "max_capacity"):
            value = getattr(self, field_name)
            if value is not None and not _count(value):
                raise _fail(owner, field_name, value, "must be a number of tasks, 0 or more")
        if (
            self.min_capacity is not None
            and self.max_capacity is not None
            and self.min_capacity > self.max_capacity
        ):
            raise _fail(
                owner,
                "min_capacity",
                self.min_capacity,
                f"exceeds max_capacity ({self.max_capacity})",
            )
        zones = _time_zones()
        if (
            not isinstance(self.timezone, str)
            or not _TIMEZONE.fullmatch(self.timezone)
            or (zones and self.timezone != "UTC" and self.timezone not in zones)
        ):
            raise _fail(
                owner,
                "timezone",
                self.timezone,
                "must be UTC or an IANA zone such as Europe/Paris" + zone_hint(self.timezone),
            )


def has_passed(schedule: ScheduledScaling, now: datetime | None = None) -> bool:
    """Whether a one-time schedule (``at(...)``) names a time already past in its time zone
    (``now``: the current time, with its zone): its scheduled action would never run. False
    for a recurring one, and when this machine has no time zone database for its zone."""
    import zoneinfo
    from datetime import UTC, datetime

    if not schedule.schedule.startswith("at("):
        return False
    try:
        zone = UTC if schedule.timezone == "UTC" else zoneinfo.ZoneInfo(schedule.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    when = datetime.strptime(schedule.schedule[len("at(") : -1], "%Y-%m-%dT%H:%M:%S")
    return when.replace(tzinfo=zone) <= (now or datetime.now(UTC))


# The longest each month can be (February of a leap year).
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def never_runs(schedule: str) -> bool:
    """Whether a cron expression names days of the month only in months that never have them
    (``cron(0 8 31 2 ? *)``, ``cron(0 8 31 APR,JUN ? *)``): a valid expression whose scheduled
    action never runs. Judged only where both fields are plain values (``31``, ``2,FEB``): a
    range, a wildcard or ``L`` leaves it to run."""
    if not schedule.startswith("cron("):
        return False
    fields = schedule[len("cron(") : -1].split()
    if len(fields) != len(_CRON_FIELDS):
        return False
    days, months = fields[2].split(","), fields[3].upper().split(",")
    if not all(day.isdecimal() for day in days):
        return False
    numbers = [int(m) if m.isdecimal() else _MONTHS.get(m) for m in months]
    if any(number is None or not 1 <= number <= 12 for number in numbers):
        return False
    return all(int(day) > _MONTH_DAYS[number - 1] for day in days for number in numbers if number)


def one_sided_bounds(schedules: tuple[ScheduledScaling, ...]) -> tuple[int, int | None]:
    """What the schedules that set one bound alone ask of the template's own bounds: the
    largest minimum set without a maximum (``MaxCapacity`` may not be below it), and the
    smallest maximum set without a minimum (``MinCapacity`` may not be above it; None without
    such a schedule). The scheduled action keeps the other bound as it is, and Application Auto
    Scaling cannot set a minimum above the maximum."""
    alone_min = [s.min_capacity for s in schedules if s.max_capacity is None]
    alone_max = [s.max_capacity for s in schedules if s.min_capacity is None]
    floor = max((m for m in alone_min if m is not None), default=0)
    ceiling = min((m for m in alone_max if m is not None), default=None)
    return floor, ceiling
