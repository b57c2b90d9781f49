"""How many tasks a service runs on average over a week when scheduled actions move its
scaling bounds, for the fixed monthly cost.

A scheduled action sets the scalable target's minimum, maximum or both at its time; "if the
current capacity is below the minimum capacity, Application Auto Scaling scales out to the
minimum capacity. If the current capacity is above the maximum capacity, Application Auto
Scaling scales in to the maximum capacity" (PutScheduledAction, Application Auto Scaling API
Reference). Between them the service runs its desired count held within the bounds last set,
or, with none (autoscaling decides), the minimum last set: the fixed part of the bill. Only
weekly cron expressions are worked out ("[Minutes] [Hours] [Day_of_Month] [Month]
[Day_of_Week] [Year]", day of week 1-7 or SUN-SAT, Application Auto Scaling User Guide,
scheduled scaling using cron expressions) over a fixed reference fortnight of January 2026 in
each action's time zone (so at January's UTC offsets: actions in two zones whose daylight
saving differs are an hour nearer or further apart in summer); anything else (a rate, a
one-time ``at()``, a day of the month, a start or end time) is named, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # 1-7 in Application Auto Scaling
_WEEK = 7 * 24 * 60  # minutes
# Two weeks from a Monday: the first sets the bounds the second starts with.
_START = datetime(2026, 1, 5, tzinfo=UTC)


class NotWeekly(ValueError):
    """A scheduled action this module does not work out; the message says why."""


def _values(field: str, low: int, high: int, names: Sequence[str] = ()) -> set[int]:
    """The numbers a cron field takes: ``*``, ``5``, ``1-5``, ``MON-FRI``, ``0/15``, ``*/2``
    and lists of them."""

    def number(text: str) -> int:
        if text.upper() in names:
            return names.index(text.upper()) + low
        if not re.fullmatch(r"[0-9]{1,2}", text) or not low <= int(text) <= high:
            raise NotWeekly(f"the cron field {field!r} is not one this estimate reads")
        return int(text)

    found: set[int] = set()
    for part in field.split(","):
        part, _, step_text = part.partition("/")
        digits = re.fullmatch(r"[0-9]{1,2}", step_text)
        step = int(step_text) if digits and int(step_text) > 0 else None
        if step_text and step is None:
            raise NotWeekly(f"the cron field {field!r} is not one this estimate reads")
        if part in ("*", "?"):
            first, last = low, high
        elif "-" in part:
            first, last = (number(x) for x in part.split("-", 1))
        else:
            first = number(part)
            last = high if step else first
        if first > last:
            raise NotWeekly(f"the cron field {field!r} is not one this estimate reads")
        found |= set(range(first, last + 1, step or 1))
    return found


def _fire_times(action: Mapping[str, Any]) -> list[int]:
    """The minutes from the reference Monday (UTC) at which a weekly cron action runs, over
    two weeks."""
    import zoneinfo

    schedule = str(action.get("Schedule", ""))
    name = action.get("ScheduledActionName", "?")
    if "StartTime" in action or "EndTime" in action:
        raise NotWeekly(f"{name} has a start or end time")
    match = re.fullmatch(r"cron\((.*)\)", schedule)
    if not match:
        kind = "a rate" if schedule.startswith("rate(") else "a one-time" if schedule else "no"
        raise NotWeekly(f"{name} runs on {kind} schedule ({schedule})")
    fields = match.group(1).split()
    if len(fields) != 6:
        raise NotWeekly(f"{name}'s cron expression has {len(fields)} fields")
    minutes_field, hours_field, month_day, month, week_day, year = fields
    if month_day not in ("?", "*") or month != "*" or year != "*":
        raise NotWeekly(f"{name} runs on days of the month or of the year ({schedule})")
    try:
        minutes = _values(minutes_field, 0, 59)
        hours = _values(hours_field, 0, 23)
        days = _values(week_day, 1, 7, _DAYS) if week_day != "?" else set(range(1, 8))
    except NotWeekly as exc:
        raise NotWeekly(f"{name}: {exc}") from None
    zone_name = str(action.get("Timezone") or "UTC")
    try:
        zone = UTC if zone_name == "UTC" else zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise NotWeekly(f"{name}'s time zone {zone_name} is not known here") from None
    times = []
    for offset in range(-1, 15):  # a day either side: a zone may move the time across midnight
        day = (_START + timedelta(days=offset)).date()
        if (day.isoweekday() % 7) + 1 not in days:  # Monday is 2, Sunday 1
            continue
        for hour in sorted(hours):
            for minute in sorted(minutes):
                local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
                at = int((local - _START).total_seconds() // 60)
                if 0 <= at < 2 * _WEEK:
                    times.append(at)
    return times


def week_average(
    baseline: int | None, low: int, high: int, actions: Iterable[Mapping[str, Any]]
) -> float:
    """The tasks a service runs on average over a week: ``baseline`` (a fixed desired count)
    held within the bounds its scheduled ``actions`` set over time, starting from ``low`` and
    ``high`` (the scalable target's); with no baseline, the minimum in force (autoscaling's
    floor, which a schedule may lower at weekends). Raises :class:`NotWeekly` for an action it
    does not work out."""
    events: list[tuple[int, int, int | None, int | None]] = []
    unread: list[str] = []  # every action not worked out is named, not the first alone
    for order, action in enumerate(actions):
        bounds = action.get("ScalableTargetAction") or {}
        new_low, new_high = bounds.get("MinCapacity"), bounds.get("MaxCapacity")
        try:
            times = _fire_times(action)
        except NotWeekly as exc:
            unread.append(str(exc))
            continue
        events += [
            (
                at,
                order,
                None if new_low is None else int(new_low),
                None if new_high is None else int(new_high),
            )
            for at in times
        ]
    if unread:
        raise NotWeekly("; ".join(unread))
    events.sort(key=lambda event: (event[0], event[1]))
    total, previous = 0, 0
    for at, _, new_low, new_high in [*events, (2 * _WEEK, -1, None, None)]:
        start = max(previous, _WEEK)  # the first week sets the bounds the second starts with
        if at > start:
            count = low if baseline is None else max(min(baseline, high), low)
            total += count * (at - start)
        previous = max(previous, at)
        low = low if new_low is None else new_low
        high = high if new_high is None else new_high
    return total / _WEEK
