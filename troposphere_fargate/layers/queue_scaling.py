"""Scaling on a queue: the service's task count follows an Amazon SQS queue's backlog per task,
the messages waiting divided by the tasks running, which a worker's CPU does not show (a worker
waiting on another service idles while its queue grows). This is AWS's own example of target
tracking on metric math ("Example: Amazon SQS queue backlog per task", Application Auto Scaling
User Guide): ``ApproximateNumberOfMessagesVisible`` (``AWS/SQS``, sum) divided by
``RunningTaskCount`` (``ECS/ContainerInsights``, average; the service's cluster has Container
Insights on), kept near ``messages_per_task``.

With no task running the backlog per task has no value, and the policy could never start one:
a service scaled on its queue keeps at least one task (the build refuses a minimum of 0, and the
template's ``MinCapacity`` takes 1 at least).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ConfigError, suggest_fields
from .regions import arn_fields

# An SQS queue's name: up to 80 letters, digits, hyphens and underscores, a FIFO queue's
# ending in .fifo (CreateQueue, Amazon SQS API Reference).
QUEUE_NAME_PATTERN = r"[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo"
QUEUE_NAME = re.compile(rf"^(?:{QUEUE_NAME_PATTERN})$")
MAX_MESSAGES_PER_TASK = 100_000
# The fewest tasks a service scaled on its queue may be left with, by MinCapacity or a schedule.
MIN_RUNNING_TASKS = 1


@suggest_fields
@dataclass(frozen=True)
class QueueScaling:
    """Target tracking on an SQS queue's backlog per task.

    Attributes:
        queue: the queue's name, in the stack's account and region (CloudWatch keeps a queue's
            metrics in its own account and region), such as ``orders`` or ``orders.fifo``.
        messages_per_task: the backlog each running task should have, 1 to 100,000: how many
            messages one task gets through in the time you accept a message to wait. The
            service scales out above it and in below it.
    """

    queue: str
    messages_per_task: int

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if not isinstance(self.queue, str) or not QUEUE_NAME.fullmatch(self.queue):
            raise ConfigError(
                f"{owner}.queue={self.queue!r}: must be an SQS queue's name: up to 80 letters, "
                "digits, - and _ (a FIFO queue's ending in .fifo), not its URL or ARN"
                + queue_name_hint(self.queue)
            )
        count = self.messages_per_task
        if (
            not isinstance(count, int)
            or isinstance(count, bool)
            or not (1 <= count <= MAX_MESSAGES_PER_TASK)
        ):
            raise ConfigError(
                f"{owner}.messages_per_task={count!r}: must be 1 to {MAX_MESSAGES_PER_TASK}"
            )


def queue_name_hint(given: object) -> str:
    """``: give its name, orders`` when ``given`` is a queue's URL or ARN."""
    if isinstance(given, str) and given.startswith(("https://", "arn:")):
        name = re.split(r"[/:]", given.rstrip("/"))[-1]
        if QUEUE_NAME.fullmatch(name):
            return f": give its name, {name}"
    return ""


# What a worker needs of its queue to take messages off it (Amazon SQS Developer Guide, "Amazon
# SQS API permissions": ReceiveMessage, then DeleteMessage once processed).
RECEIVE = "sqs:ReceiveMessage"
DELETE = "sqs:DeleteMessage"


def _iam_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Whether IAM's ``*`` (any characters) and ``?`` (one) in ``pattern`` match ``value``."""
    regex = ".*".join(".".join(map(re.escape, part.split("?"))) for part in pattern.split("*"))
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def names_queue_action(
    action: str, queue: str, actions: Iterable[str], resources: Iterable[str]
) -> bool:
    """Whether a statement of these actions and resources is about ``action`` (such as
    ``sqs:ReceiveMessage``) on ``queue`` in the stack's account and region. Lenient: an action
    matches case-insensitively with IAM's wildcards, and a resource by its service and name only
    (a CloudFormation ``${...}`` in it is taken as matching anything)."""
    if not any(_iam_match(given, action, ignore_case=True) for given in actions):
        return False
    for resource in resources:
        parts = arn_fields(resource)
        if parts == ["*"]:
            return True
        if len(parts) == 6 and _iam_match(parts[2], "sqs") and _iam_match(parts[5], queue):
            return True
    return False


def grants_receive(queue: str, actions: Iterable[str], resources: Iterable[str]) -> bool:
    """Whether an Allow statement of these actions and resources may let the task role receive
    messages from ``queue`` (see :func:`names_queue_action`)."""
    return names_queue_action(RECEIVE, queue, actions, resources)
