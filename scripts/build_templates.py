#!/usr/bin/env python3
"""Thin wrapper: ``scripts/build_templates.py [OPTIONS]`` is ``troposphere-fargate build``."""

import sys

from troposphere_fargate.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
