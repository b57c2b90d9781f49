"""``python -m troposphere_fargate``: the same as the ``troposphere-fargate`` command."""

from .cli import run

run()
