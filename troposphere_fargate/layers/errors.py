"""The error every build-time config raises."""


class ConfigError(ValueError):
    """A build-time configuration value is invalid. The message names the field and the value."""
