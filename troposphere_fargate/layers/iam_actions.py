"""The IAM actions cfn-lint knows (its ``AdditionalSpecs/Policies.json``, the list its rule W3037
checks every policy's actions against): a spec's task role statement naming an action AWS does
not have is refused at the statement's own line, not as a finding in a template the build
never writes.

The list is read from the installed cfn-lint's data file without importing cfn-lint (which
generation does not need), once, and only when a statement is checked.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Mapping
from pathlib import Path


@functools.cache
def known_actions() -> Mapping[str, frozenset[str]]:
    """Service prefix -> its action names, lower case (IAM compares them so), as cfn-lint has
    them; empty when the installed cfn-lint has no such file (then nothing is refused here, and
    cfn-lint's own check still runs on the built template)."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "data" / "AdditionalSpecs" / "Policies.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        service.lower(): frozenset(name.lower() for name in body.get("Actions", {}))
        for service, body in data.items()
        if isinstance(body, dict)
    }


def action_problem(action: str) -> str | None:
    """Why cfn-lint would refuse ``service:Name`` (W3037), in words, or None."""
    import difflib  # on first use, as the list itself
    import fnmatch

    known = known_actions()
    if not known or action == "*" or ":" not in action:
        return None
    service, _, name = action.partition(":")
    service, wanted = service.lower(), name.lower()
    if service not in known:
        close = difflib.get_close_matches(service, known, 1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"{service} is not a service prefix IAM knows{hint}"
    actions = known[service]
    if "*" in wanted or "?" in wanted:
        if any(fnmatch.fnmatchcase(candidate, wanted) for candidate in actions):
            return None
        return f"{name} matches no {service} action"
    if wanted in actions:
        return None
    close = difflib.get_close_matches(wanted, actions, 1)
    hint = f" (did you mean {service}:{_cased(close[0], name)}?)" if close else ""
    return f"{service} has no action {name}{hint}"


def _cased(suggestion: str, written: str) -> str:
    """``suggestion`` (lower case, as cfn-lint lists actions) in the case of ``written`` where
    the two have the same letters: ``SendMessages`` -> ``SendMessage``, not ``sendmessage``
    (a newcomer's trial). Letters ``written`` does not have stay lower case."""
    import difflib

    cased = list(suggestion)
    matcher = difflib.SequenceMatcher(None, suggestion, written.lower(), autojunk=False)
    for at, start, size in matcher.get_matching_blocks():
        cased[at : at + size] = written[start : start + size]
    return "".join(cased)
