"""The error every build-time config raises, and the argument checks every module shares
(the bottom of the package: it imports nothing of it)."""

import dataclasses
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

_Class = TypeVar("_Class", bound=type)


class ConfigError(ValueError):
    """A build-time configuration value is invalid. The message names the field and the value."""


class ConfigWarning(UserWarning):
    """What a config allows but is most likely a mistake (``ProductConfig.warnings``), said by
    the library's builds (``generate``, ``build_templates``) as ``build --spec`` says it:
    ``warnings.simplefilter("error", ConfigWarning)`` makes it refuse them."""


def field_error(owner: str, name: str, value: object, why: str) -> ConfigError:
    """``Owner.name=value: why``; when ``why`` asks for a tuple and ``value`` is not one, what
    it is and how to write it (a list, a set, a dict of pairs, a single item)."""
    if why.startswith("must be a tuple") and not isinstance(value, tuple):
        why = f"{why}, not {_kind(value)}: {_tuple_hint(value, why)}"
    return ConfigError(f"{owner}.{name}={value!r}: {why}")


def _kind(value: object) -> str:
    if value is None:
        return "None"
    kind = type(value).__name__
    return f"{'an' if kind[0] in 'aeiouAEIOU' else 'a'} {kind}"


def _tuple_hint(value: object, why: str) -> str:
    pairs = "pairs" in why
    if value is None:
        return "() is none"
    if isinstance(value, Mapping):
        return "tuple(the_dict.items()) converts it" if pairs else "give its values as a tuple"
    if isinstance(value, str):
        return '(("NAME", "value"),) is one pair' if pairs else "a tuple of one is written (item,)"
    if isinstance(value, (set, frozenset)):
        # Sorted: a set's order changes from run to run, and the templates must not.
        return "tuple(sorted(the_set)) converts it"
    if isinstance(value, list):
        return "tuple(the_list) converts it"
    if hasattr(value, "__iter__"):
        return "tuple(...) of it converts it"
    return "a tuple of one is written (item,)"


def suggest_fields(cls: _Class) -> _Class:
    """Make a keyword argument the dataclass ``cls`` does not take name the field it most looks
    like (``ServiceConfig(desired_count=2)``: did you mean default_desired_count?), where
    Python says only that the keyword is unexpected. Decorate the dataclass with it."""
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    init: Callable[..., None] = cls.__init__  # type: ignore[misc]

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            init(self, *args, **kwargs)
        except TypeError as error:
            unknown = [name for name in kwargs if name not in names]
            # Only Python's own refusal of the keyword is said again, with the hint: another
            # binding error (too many positional arguments) is left as Python says it.
            if not unknown or "unexpected keyword argument" not in str(error):
                raise
            owner = type(self).__name__  # a subclass is named as itself
            raise TypeError(
                f"{owner}() got an unexpected keyword argument {unknown[0]!r}"
                + _field_hint(unknown[0], names, owner)
            ) from None

    cls.__init__ = __init__  # type: ignore[misc]
    return cls


def close_match(name: str, known: Iterable[str]) -> str | None:
    """The one of ``known`` that ``name`` most looks like, case aside (``Strin``: String;
    ``aws::region``: AWS::Region), for a "did you mean" hint; None when none is close."""
    by_case = {each.lower(): each for each in sorted(known)}
    close = difflib.get_close_matches(name.lower(), list(by_case), n=1, cutoff=0.75)
    return by_case[close[0]] if close else None


def _field_hint(name: str, names: list[str], owner: str) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
    if close:
        return f" (did you mean {close[0]}?)"
    words = set(name.lower().split("_"))
    sharing = [field for field in names if words & set(field.split("_"))]
    if 0 < len(sharing) <= 4:
        return (
            f" (its fields with {' or '.join(sorted(words))} in their name: {', '.join(sharing)})"
        )
    return f": help({owner}) lists its fields"


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


def expect_templates(mapping: object, where: str) -> None:
    """A ``TypeError`` unless ``mapping`` maps layer names to template dicts (what
    ``render_templates`` returns), naming the first entry that is not one and, for a
    troposphere ``Template``, how to get its dict."""
    if hasattr(mapping, "to_dict") and not isinstance(mapping, Mapping):
        raise TypeError(
            f"{where} takes template dicts by layer name, as render_templates() returns them, "
            f"not a single troposphere {type(mapping).__name__}"
        )
    expect(mapping, Mapping, where)
    assert isinstance(mapping, Mapping)  # for the type checker: expect raised otherwise
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise TypeError(
                f"{where} takes layer names (str) as keys: {key!r} is {type(key).__name__}"
            )
        expect_template(value, f"{where}[{key!r}]")


def expect_path(path: object, where: str, what: str = "file") -> None:
    """A ``TypeError`` unless ``path`` is a path (``str`` or ``os.PathLike``), saying for a
    template (a dict, or a troposphere ``Template``) that this call reads a file: pathlib's own
    refusal names neither the call nor the argument."""
    if isinstance(path, str) or hasattr(path, "__fspath__"):  # os.PathLike's protocol
        return
    if isinstance(path, Mapping) or hasattr(path, "to_dict"):
        raise TypeError(
            f"{where} takes the path of a {what}, not a {type(path).__name__}: write it to a "
            "file first (to_yaml gives its text)"
        )
    got = "None" if path is None else type(path).__name__
    raise TypeError(f"{where} takes str or PathLike, not {got}")


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
                f"{'None' if value is None else type(value).__name__}"
                + (", write it as a string" if isinstance(value, (int, float)) else "")
            )


def possessive(name: str) -> str:
    """``name``'s, as a message says it: ``web's``, but ``tenants'`` (a name ending in s)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
