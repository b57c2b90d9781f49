"""Scheduled scaling in the fixed monthly cost: a week of scheduled actions worked out minute
by minute (``cfn.weekly``), each expectation counted by hand in its comment."""

from __future__ import annotations

import re
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


# The fields and values of a cron expression: "Minutes 0-59, Hours 0-23, Day-of-month 1-31,
# Month 1-12 or JAN-DEC, Day-of-week 1-7 or SUN-SAT, Year 1970-2199"; "Cron expressions have six
# required fields" (Amazon EventBridge User Guide, "Cron expressions reference",
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html, to which
# the Application Auto Scaling User Guide sends for its cron syntax).
@pytest.mark.parametrize(
    ("schedule", "why"),
    [
        ("cron(0 24 ? * MON *)", "x: the cron field '24' is not one this estimate reads"),
        ("cron(60 8 ? * MON *)", "x: the cron field '60' is not one this estimate reads"),
        ("cron(0 8 ? * 8 *)", "x: the cron field '8' is not one this estimate reads"),
        ("cron(0 8 ? * 0 *)", "x: the cron field '0' is not one this estimate reads"),
        ("cron(0/0 8 ? * MON *)", "x: the cron field '0/0' is not one this estimate reads"),
        ("cron(0 8 ? * 2-3-4 *)", "x: the cron field '2-3-4' is not one this estimate reads"),
        ("cron(0 8 ? * FRI-MON *)", "x: the cron field 'FRI-MON' is not one this estimate reads"),
        ("cron(0 8 ? * MON * 2027)", "x's cron expression has 7 fields"),
        ("cron(0 8 ? * MON)", "x's cron expression has 5 fields"),
        ("cron(0 8 ? 1 MON *)", "x runs on days of the month or of the year (cron(0 8 ? 1 MON *))"),
        (
            "cron(0 8 ? * MON 2027)",
            "x runs on days of the month or of the year (cron(0 8 ? * MON 2027))",
        ),
    ],
)
def test_a_field_out_of_its_range_or_a_month_or_year_is_named_not_guessed(schedule, why):
    with pytest.raises(NotWeekly) as refused:
        week_average(2, 2, 8, [action("x", schedule, low=3)])
    assert str(refused.value) == why


def test_an_end_time_alone_is_named_too():
    # "If you specify an end time, the action stops repeating after this time" (Application
    # Auto Scaling User Guide, "Schedule recurring scaling actions using cron expressions",
    # https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html):
    # not every week alike.
    ends = {**PEAK, "EndTime": "2027-01-01T00:00:00Z"}
    with pytest.raises(NotWeekly, match=r"^peak has a start or end time$"):
        week_average(2, 2, 8, [ends, NIGHT])


def test_the_last_minute_of_the_hour_and_a_step_from_a_start():
    # Minutes run 0-59 (the reference above): 23:59 on Saturday raises the minimum to 3 until
    # 00:00 on Sunday, one minute of the week's 10080.
    late = action("late", "cron(59 23 ? * SAT *)", low=3)
    midnight = action("midnight", "cron(0 0 ? * SUN *)", low=1)
    assert week_average(None, 1, 8, [late, midnight]) == pytest.approx(1 + 2 / 10080)
    # "1/10 to specify every tenth minute, starting from the first minute of the hour (for
    # example, the 11th, 21st, and 31st minute ...)" (the reference above): 0/30 is 09:00 and
    # 09:30, each raising the minimum to 4; 09:15 and 10:15 lower it to 1. 15 + 45 minutes at 4.
    up = action("up", "cron(0/30 9 ? * MON *)", low=4)
    down = action("down", "cron(15 9,10 ? * MON *)", low=1)
    assert week_average(None, 1, 8, [up, down]) == pytest.approx(1 + 3 * 60 / 10080)


def test_a_zone_far_from_utc_moves_an_action_across_midnight():
    # "The supported time zone values are the canonical names of the IANA time zones"
    # (Application Auto Scaling User Guide, the page above). Los Angeles (UTC-8 in January):
    # Sunday 17:00 and 20:00 there are Monday 01:00 and 04:00 UTC. The bounds at the start of
    # the counted week are those of Sunday 20:00 of the week before: 4 tasks, then 1 from 01:00
    # to 04:00, then 4 again: 3 hours of 168 at 1.
    down = action("down", "cron(0 17 ? * SUN *)", "America/Los_Angeles", low=1)
    up = action("up", "cron(0 20 ? * SUN *)", "America/Los_Angeles", low=4)
    assert week_average(None, 1, 8, [down, up]) == pytest.approx(4 - 3 * 3 / HOURS_A_WEEK)
    # Tokyo (UTC+9): Monday 08:00 and 09:00 there are Sunday 23:00 and Monday 00:00 UTC, the
    # last hour of the counted week at 4.
    up = action("up", "cron(0 8 ? * MON *)", "Asia/Tokyo", low=4)
    down = action("down", "cron(0 9 ? * MON *)", "Asia/Tokyo", low=1)
    assert week_average(None, 1, 8, [up, down]) == pytest.approx(1 + 3 / HOURS_A_WEEK)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../Europe/Paris", "/etc/localtime"])
def test_a_time_zone_that_is_not_one_is_named(zone):
    with pytest.raises(NotWeekly, match=rf"^x's time zone {re.escape(zone)} is not known here$"):
        week_average(2, 2, 8, [action("x", "cron(0 8 ? * MON *)", zone, low=3)])


def test_a_minimum_of_zero_is_a_bound_like_any_other():
    # "For certain resources, the minimum value allowed is 0. This includes Lambda provisioned
    # concurrency, Spot Fleet, ECS services, ..." (Application Auto Scaling API Reference,
    # RegisterScalableTarget, MinCapacity,
    # https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html):
    # a weekend at 0 tasks, 48 hours of 168, is no minimum left unset.
    weekend = action("weekend", "cron(0 0 ? * SAT *)", low=0, high=2)
    monday = action("monday", "cron(0 0 ? * MON *)", low=2, high=8)
    assert week_average(None, 2, 8, [weekend, monday]) == pytest.approx(2 - 2 * 48 / HOURS_A_WEEK)
