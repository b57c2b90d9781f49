"""``python -m troposphere_fargate``: the same as the ``troposphere-fargate`` command."""

import sys

from .cli import main

sys.exit(main())
