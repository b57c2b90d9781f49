"""The error every build-time config raises."""


class ConfigError(ValueError):
    """A build-time configuration value is invalid. The message names the field and the value."""


def expect(value: object, kind: type | tuple[type, ...], where: str) -> None:
    """Raise a ``TypeError`` naming ``where`` (such as ``network_template(config)``) and both
    types when ``value`` is not a ``kind``: a wrong argument to the library says so at the
    call, not as an AttributeError deep inside."""
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        wanted = " or ".join("None" if k is type(None) else k.__name__ for k in kinds)
        got = "None" if value is None else type(value).__name__
        raise TypeError(f"{where} takes {wanted}, not {got}")
