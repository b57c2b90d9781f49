#!/usr/bin/env python3
"""Thin wrapper: ``scripts/build_templates.py [OPTIONS]`` is ``troposphere-fargate build``.

Works from a checkout whose dependencies are installed but whose package is not.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from troposphere_fargate import cli

if __name__ == "__main__":
    sys.argv[1:1] = ["build"]
    cli.run()
