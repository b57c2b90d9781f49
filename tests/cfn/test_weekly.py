"""Scheduled scaling in the fixed monthly cost: a week of scheduled actions worked out minute
by minute (``cfn.weekly``), each expectation counted by hand in its comment."""

from __future__ import annotations

from typing import Any

import pytest

from troposphere_fargate.cfn.weekly import NotWeekly, week_average

HOURS_A_WEEK = 168


def action(name: str, schedule: str, timezone: str | None = None, **bounds: int) -> dict[str, Any]:
    found: dict[str, Any] = {
        "ScheduledActionName": name,
        "Schedule": schedule,
        "ScalableTargetAction": {
            {"low": "MinCapacity", "high": "MaxCapacity"}[k]: v for k, v in bounds.items()
        },
    }
    if timezone:
        found["Timezone"] = timezone
    return found


PEAK = action("peak", "cron(0 8 ? * MON-FRI *)", "Europe/Paris", low=6)
NIGHT = action("night", "cron(0 20 ? * MON-FRI *)", "Europe/Paris", low=2)


def test_office_hours_raise_the_average_by_their_share_of_the_week():
    # 08:00 to 20:00 on five days: 60 hours at 6 tasks, the rest of the week at 2.
    assert week_average(2, 2, 8, [PEAK, NIGHT]) == pytest.approx(2 + 4 * 60 / HOURS_A_WEEK)
    # The order of the actions is no matter; without them, the baseline.
    assert week_average(2, 2, 8, [NIGHT, PEAK]) == pytest.approx(2 + 4 * 60 / HOURS_A_WEEK)
    assert week_average(2, 2, 8, []) == 2


def test_each_action_is_read_in_its_own_time_zone():
    # 08:00 in Paris is 07:00 UTC in January: 13 hours a day to 20:00 UTC.
    night_utc = action("night", "cron(0 20 ? * MON-FRI *)", "UTC", low=2)
    assert week_average(2, 2, 8, [PEAK, night_utc]) == pytest.approx(2 + 4 * 65 / HOURS_A_WEEK)


def test_a_maximum_holds_the_baseline_down():
    # Every night from 22:00 to 06:00 at most 2 of the 5 tasks: 8 hours of 24 at 2.
    night = action("night", "cron(0 22 * * ? *)", high=2)
    day = action("day", "cron(0 6 * * ? *)", high=10)
    assert week_average(5, 2, 10, [night, day]) == pytest.approx(5 - 3 * 8 / 24)


def test_steps_ranges_and_lists_of_cron_fields():
    # Every 30 minutes from 09:00 to 09:30 on Saturday and Sunday sets 4 (1 = SUN, 7 = SAT);
    # at 10:00 on those days 1: an hour at 4 on two days.
    up = action("up", "cron(0/30 9 ? * 1,7 *)", low=4)
    down = action("down", "cron(0 10 ? * SAT,SUN *)", low=1)
    assert week_average(1, 1, 8, [up, down]) == pytest.approx(1 + 3 * 2 / HOURS_A_WEEK)


@pytest.mark.parametrize(
    ("schedule", "why"),
    [
        ("rate(1 day)", "x runs on a rate schedule (rate(1 day))"),
        ("at(2027-01-01T00:00:00)", "x runs on a one-time schedule (at(2027-01-01T00:00:00))"),
        ("cron(0 8 1 * ? *)", "x runs on days of the month or of the year (cron(0 8 1 * ? *))"),
        ("cron(0 8 ? * 2#1 *)", "x: the cron field '2#1' is not one this estimate reads"),
        ("cron(0 8 ? * 6L *)", "x: the cron field '6L' is not one this estimate reads"),
    ],
)
def test_an_action_that_is_not_weekly_is_named_not_guessed(schedule, why):
    with pytest.raises(NotWeekly) as refused:
        week_average(2, 2, 8, [action("x", schedule, low=3)])
    assert str(refused.value) == why


def test_every_action_that_is_not_weekly_is_named():
    """A fuzzing trial: with several, only the first was named among what cost does not count."""
    actions = [
        action("a", "cron(0 8 1 * ? *)", low=3),
        PEAK,
        action("b", "rate(1 day)", low=2),
    ]
    with pytest.raises(NotWeekly) as refused:
        week_average(2, 2, 8, actions)
    assert str(refused.value) == (
        "a runs on days of the month or of the year (cron(0 8 1 * ? *)); b runs on a rate "
        "schedule (rate(1 day))"
    )


def test_a_field_of_other_digits_is_named_with_its_action():
    # "²".isdigit() is true and int("²") fails: cost and validate stopped with a traceback.
    for schedule in ("cron(0/² 8 ? * MON-FRI *)", "cron(² 8 ? * MON-FRI *)"):
        with pytest.raises(NotWeekly, match=r"^x: the cron field '.*²' is not one this"):
            week_average(2, 2, 8, [action("x", schedule, low=3)])


def test_without_a_desired_count_the_minimum_in_force_is_the_count():
    # A user trial: a weekend schedule lowering the minimum to 1 was priced at the template's
    # minimum of 2. With no desired count, autoscaling's floor is the minimum last set.
    weekend = action("weekend", "cron(0 0 ? * SAT *)", low=1, high=2)
    monday = action("monday", "cron(0 0 ? * MON *)", low=2, high=8)
    # Saturday and Sunday, 48 hours of the week's 168, at 1; the rest at 2.
    assert week_average(None, 2, 8, [weekend, monday]) == pytest.approx(2 - 48 / HOURS_A_WEEK)
    # A fixed desired count of 2 stays 2 within 1 to 2.
    assert week_average(2, 2, 8, [weekend, monday]) == 2
    assert week_average(None, 3, 8, []) == 3
