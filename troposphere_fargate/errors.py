"""The error every build-time config raises, and the argument checks every module shares
(the bottom of the package: it imports nothing of it)."""

import re
from collections.abc import Mapping


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


# A release name: what a version folder, an S3 key segment and the templates' stamp all take.
RELEASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")


def expect_version(version: object, where: str) -> None:
    """A ``TypeError`` for a version that is not a string, a :class:`ConfigError` for one that
    is no release name (``""``, ``"../x"``): it goes into the nested templates' URLs, the
    Service Catalog artifact's name and every template's description."""
    expect(version, str, where)
    assert isinstance(version, str)  # for the type checker: expect raised otherwise
    if not RELEASE_NAME.fullmatch(version):
        raise ConfigError(
            f"{where}: {version!r} is not a release name such as 1.2.0 (letters, digits and "
            "._+-, starting with a letter or digit)"
        )


def expect_template(template: object, where: str) -> None:
    """A ``TypeError`` for anything but a template dict, saying how to get one from a
    troposphere ``Template`` (the library's builders return those)."""
    if hasattr(template, "to_dict") and not isinstance(template, Mapping):
        raise TypeError(
            f"{where} takes a template dict, not a troposphere {type(template).__name__}: "
            "pass its .to_dict()"
        )
    expect(template, Mapping, where)


def expect_texts(mapping: object, where: str, what: str = "text") -> None:
    """A ``TypeError`` unless ``mapping`` maps strings to strings, naming the first entry that
    does not (``'a.yaml' is bytes``)."""
    if isinstance(mapping, str):
        raise TypeError(f"{where} takes a mapping of names to {what}, not a single str")
    expect(mapping, Mapping, where)
    assert isinstance(mapping, Mapping)  # for the type checker: expect raised otherwise
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise TypeError(f"{where} takes names (str) as keys: {key!r} is {type(key).__name__}")
        if not isinstance(value, str):
            raise TypeError(
                f"{where} takes a mapping of names to {what} (str): {key!r} is "
                f"{type(value).__name__}"
                + (", write it as a string" if isinstance(value, (int, float)) else "")
            )


def possessive(name: str) -> str:
    """``name``'s, as a message says it: ``web's``, but ``tenants'`` (a name ending in s)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
