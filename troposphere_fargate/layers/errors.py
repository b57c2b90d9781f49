"""Where :mod:`troposphere_fargate.errors` was: its names, importable from here as before."""

from ..errors import (
    RELEASE_NAME,
    ConfigError,
    expect,
    expect_template,
    expect_texts,
    expect_version,
)

__all__ = [
    "RELEASE_NAME",
    "ConfigError",
    "expect",
    "expect_template",
    "expect_texts",
    "expect_version",
]
