"""Exact shortcuts inside cfn-lint: the same findings, sooner.

Each shortcut answers a question cfn-lint asks again and again with the answer it would have
computed, remembered or looked up instead of worked out anew. None of them decides anything:
a finding, its message and its order are cfn-lint's own, which tests/cfn/test_lint.py checks
against the ``cfn-lint`` command (a separate process, without any of them) on templates whose
findings go through every shortcut.

Each shortcut that replaces or remembers a cfn-lint function is applied only when that
function (for the cnf answers, the functions that read them) is, line for line, the one it was
written against (a digest of its source), so a cfn-lint release that changes one gets its own
code, and tests/cfn/test_lint.py fails on the pinned version until the shortcut is checked
again. (setup.cfg admits any cfn-lint 1.x; constraints.txt pins the one checked.)

Measured on service.yaml (38 regions, cfn-lint 1.58, the slow machine of 2026-12-07), fresh
processes alternated with the commit before the keyword table and the cnf answers (and a
remembering of dataclass fields, since dropped: cfn-lint makes a Validator class per
``extend()``, and the cache kept every one): 5.7 s of lint before, 4.5 s after (medians of 6);
the valid GetAtts, later, about 0.2 s more. docs/performance.md has the rest.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

# sha256 of the source of cfnlint.rules.jsonschema.CfnLint.CfnLint.cfnLint (cfn-lint 1.58.0),
# the function _index_cfn_lint_keywords replaces.
CFN_LINT_KEYWORDS_SOURCE = "23947c8987cd5a17a598e63b579c6826d57ec83fbad47c0f21953fe5c39dcb63"

# sha256 of the source of cfnlint.conditions.conditions.Conditions.satisfiable (cfn-lint
# 1.58.0), whose answers _remember_satisfiability keeps.
SATISFIABLE_SOURCE = "58bf2836e144dffc39c6ea8f3f93e8a7c7197f03134a6a9035f6d484cadd8235"

# sha256 of the sources of cfnlint.context.conditions._conditions.Conditions.evolve and
# .is_reachable (cfn-lint 1.58.0), the callers whose sympy answers _remember_cnf_answers keeps.
CNF_CALLERS_SOURCE = (
    "ecea991996ba1d2304228ee5ec5fa2840c6cf82d4f2bab57210b0671809cdd9c",
    "74199eb6ea7af65b5502908fb56b4064977728f021cfbbbbab7f1c4af6ae7d1d",
)

# sha256 of the source of cfnlint.template.template.Template.get_valid_getatts (cfn-lint 1.58.0),
# the function _remember_valid_getatts wraps.
VALID_GETATTS_SOURCE = "cda8f0a10040d13e5bec60f54aa83e18313f4ac4a673c898d5a300dc823f6aa8"

# How many cnf answers to keep per process: service.yaml asks 657 questions, 347 of them
# different; a process that lints template after template must not grow without end.
_CNF_ANSWERS_KEPT = 4096


def before_loading() -> None:
    """The shortcuts that must be in place before cfn-lint's rules load."""
    _remember_the_missing_sat_solver()
    _remember_satisfiability()
    _remember_cnf_answers()
    _remember_valid_getatts()


def after_loading(rules: Any) -> None:
    """The shortcuts on the loaded rules themselves."""
    _index_cfn_lint_keywords(rules)


def applied(rules: Any) -> dict[str, bool]:
    """Which shortcuts are in place for these loaded rules (for the tests, and for anyone
    wondering why a lint is slower after a cfn-lint upgrade)."""
    from cfnlint.conditions.conditions import Conditions
    from cfnlint.template.template import Template

    conditions = importlib.import_module("cfnlint.context.conditions._conditions")
    keywords = _keyword_rule(rules)
    return {
        "missing SAT solver": _sat_solver_settled(),
        "satisfiability": getattr(Conditions.satisfiable, "remembers", False),
        "cnf answers": getattr(conditions.satisfiable, "remembers", False),
        "keywords": keywords is not None and "cfnLint" in vars(keywords),
        "valid getatts": getattr(Template.get_valid_getatts, "remembers", False),
    }


def _sat_solver_settled() -> bool:
    """pycosat is recorded (as missing, or imported), or is there to be found."""
    return "pycosat" in sys.modules or importlib.util.find_spec("pycosat") is not None


def source_digest(function: Any) -> str:
    """sha256 of a function's source text, as :mod:`inspect` reads it from its file; "" when
    there is no source to read (an install of compiled files only): no shortcut then."""
    import hashlib
    import inspect  # here: 14 ms to import, and only a lint needs it

    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _remember_the_missing_sat_solver() -> None:
    """sympy, which cfn-lint uses to reason about conditions, looks for the optional SAT solver
    ``pycosat`` on every satisfiability check (``sympy.logic.inference.satisfiable``). Where it
    is not installed, each look is a failed import: a search of every ``sys.path`` entry, 2,260
    of them for 0.3.0's service.yaml, about 0.25 s. Python answers an import of a name recorded
    as None in ``sys.modules`` with ImportError at once, so sympy falls back to its own dpll2
    solver exactly as before, without the search."""
    if "pycosat" not in sys.modules and importlib.util.find_spec("pycosat") is None:
        sys.modules["pycosat"] = None  # type: ignore[assignment]


def _remember_satisfiability() -> None:
    """Answer cfn-lint's question "can these conditions hold together with these parameter
    values?" once per template, instead of once per region.

    When cfn-lint resolves a ``Ref`` or an ``Fn::If`` to check the values it can take, it asks
    ``Conditions.satisfiable(conditions, parameter_values)`` for every combination, in every
    region the template is linted in, and each answer is a fresh SAT problem for sympy: 7,806
    questions for service.yaml in its 38 regions, about 4 s of a 7 s lint, with 76 distinct
    answers. The answer depends only on the template's conditions and rules (fixed for one
    ``Conditions`` object), on the conditions asked about, on whether any parameter value is
    given at all, and on the values of the parameters those conditions compare (the others,
    ``AWS::Region`` among them when no condition reads it, are read and ignored): that is the
    key, with the values in the order given (the function keeps the last of two parameters an
    ``Fn::Equals`` compares; a review found a finding lost when the key sorted them). Each
    template's cache lives on its own ``Conditions`` object. Findings are the same, as
    tests/cfn/test_lint.py checks on templates whose findings depend on the answers.
    """
    from cfnlint.conditions._utils import get_hash
    from cfnlint.conditions.conditions import Conditions

    original = Conditions.satisfiable
    if getattr(original, "remembers", False):
        return
    if source_digest(original) != SATISFIABLE_SOURCE:
        return  # not the function this was written against: cfn-lint's own runs

    def satisfiable(
        self: Any, conditions: dict[str, bool], parameter_values: dict[str, Any]
    ) -> bool:
        compared: dict[str, frozenset[str]] = self.__dict__.setdefault("_compared_refs", {})
        relevant: set[str] = set()
        for name in conditions:
            if name not in compared:
                condition = self._conditions.get(name)
                equals = condition.equals if condition is not None else []
                compared[name] = frozenset(p.hash for e in equals for p in e.parameters)
            relevant |= compared[name]
        key = (
            tuple(sorted(conditions.items())),
            bool(parameter_values),
            # In the caller's order: for an Equals of two Refs, the last one given counts. With
            # the type: a list and cfn-lint's list_node print alike and fail differently.
            tuple(
                (name, type(value), repr(value))
                for name, value in parameter_values.items()
                if get_hash({"Ref": name}) in relevant
            ),
        )
        answers: dict[Any, bool] = self.__dict__.setdefault("_answers", {})
        if key not in answers:
            answers[key] = original(self, conditions, parameter_values)  # may raise: not kept
        return answers[key]

    satisfiable.remembers = True  # type: ignore[attr-defined]
    Conditions.satisfiable = satisfiable


def _remember_cnf_answers() -> None:
    """Answer "is this set of clauses satisfiable?" once per set of clauses.

    cfn-lint's scenario enumeration (``cfnlint.context.conditions._conditions``, each time it
    pins conditions to follow an ``Fn::If`` or a resource's ``Condition``) hands sympy the
    template's clauses plus one clause per pinned condition, and sympy's dpll2 solver starts
    from nothing each time: 657 questions for service.yaml, 347 of them different, about 0.4 s
    spent answering one already answered. sympy's answer (a model, or False) depends only on
    the clauses and on which symbol each literal stands for, so both are the key, in the order
    they were written (the same clauses in another order are merely asked again). A call with
    any other argument than the clauses goes to sympy untouched. The answer kept is the object
    sympy returned. Its two callers only test whether it is true (a model found for clauses
    whose literals were written in another order may differ, and is as true), so it applies
    only while their source is the one read.
    """
    module = importlib.import_module("cfnlint.context.conditions._conditions")
    original = module.satisfiable
    if getattr(original, "remembers", False):
        return
    callers = (module.Conditions.evolve, module.Conditions.is_reachable)
    if tuple(map(source_digest, callers)) != CNF_CALLERS_SOURCE:
        return  # callers that may read more of the answer than whether it is true
    answers: dict[Any, Any] = {}
    # Each clause kept once: the questions about one template share most of their clauses
    # (about 150 for service.yaml), so the kept keys hold references, not copies.
    clauses: dict[frozenset[int], frozenset[int]] = {}

    def satisfiable(expr: Any, *args: Any, **kwargs: Any) -> Any:
        data = getattr(expr, "data", None)
        encoding = getattr(expr, "encoding", None)
        if args or kwargs or not isinstance(data, list) or not isinstance(encoding, dict):
            return original(expr, *args, **kwargs)
        key = (tuple(map(frozenset, data)), tuple(encoding.items()))
        if key in answers:
            return answers[key]
        answer = original(expr)  # may raise: not kept
        if len(answers) >= _CNF_ANSWERS_KEPT:
            answers.clear()
            clauses.clear()
        answers[tuple(clauses.setdefault(c, c) for c in key[0]), key[1]] = answer
        return answer

    satisfiable.remembers = True  # type: ignore[attr-defined]
    module.satisfiable = satisfiable  # type: ignore[attr-defined]


def _remember_valid_getatts() -> None:
    """A template's table of valid ``Fn::GetAtt`` targets, built once per template.

    ``Template.get_valid_getatts`` builds, from the template's resources and for each of its
    regions, which attributes each resource has; rule E1010 asks for it again for each
    ``Fn::GetAtt`` it checks in each set of regions: 67 times for service.yaml (and E1029
    once), each time 37 resources in 38 regions, 95,608 entries in all. The table depends
    only on the template's context (its resources, made once when the template is read: a
    frozen dataclass) and its regions, so it is kept on the template for that context and
    those regions, and built again if either is another. Callers only read it (``match``).
    Measured: 0.64 to 0.72 s in those 68 calls, 0.46 to 0.52 s now, nearly all of it the
    first call's loading of each region's resource schemas, which the lint needs anyway.
    """
    from cfnlint.template.template import Template

    original = Template.get_valid_getatts
    if getattr(original, "remembers", False):
        return
    if source_digest(original) != VALID_GETATTS_SOURCE:
        return  # not the function this was written against: cfn-lint's own runs

    def get_valid_getatts(self: Any) -> Any:
        kept = self.__dict__.get("_valid_getatts")
        regions = tuple(self.regions)
        # The context itself is kept with the table: its id cannot be another's while kept.
        if kept is None or kept[0] is not self.context or kept[1] != regions:
            kept = (self.context, regions, original(self))
            self.__dict__["_valid_getatts"] = kept
        return kept[2]

    get_valid_getatts.remembers = True  # type: ignore[attr-defined]
    Template.get_valid_getatts = get_valid_getatts


def _keyword_rule(rules: Any) -> Any:
    """The loaded rule E1101 (``CfnLint``), or None."""
    return next((rule for rule in rules.values() if rule.id == "E1101"), None)


def _index_cfn_lint_keywords(rules: Any) -> None:
    """Find the rules that check a keyword in a table, instead of asking each rule.

    E1101's ``cfnLint`` runs the rules that check a given keyword of a resource's properties
    (``Resources/AWS::ECS::Service/Properties``, say): for each keyword, it walked all of its
    205 child rules and each of their keywords, 8,367 times for service.yaml (0.64 s measured
    of a 5 s lint). The same rules, in the same order and as many times as the walk finds them,
    now come from a table of keyword -> rules. The table is built from the rules it was asked
    for and built again whenever the child rules are not those objects any more (cfn-lint
    assigns them again on each run, and a rule's keywords are set when it is made).
    """
    rule = _keyword_rule(rules)
    if rule is None or "cfnLint" in vars(rule):
        return
    original = type(rule).cfnLint
    if source_digest(original) != CFN_LINT_KEYWORDS_SOURCE:
        return  # not the function this was written against: cfn-lint's own runs
    unset = importlib.import_module("cfnlint.jsonschema._utils").Unset
    table: dict[str, list[Any]] = {}
    indexed: tuple[int, ...] = ()

    def cfn_lint(validator: Any, keywords: Any, instance: Any, schema: Any) -> Any:
        nonlocal indexed
        # By identity: rules compare equal by id, and the table must hold these very objects
        # (which it keeps alive, so no other object can take one of their ids).
        children = tuple(map(id, rule.child_rules.values()))
        if children != indexed:
            table.clear()
            for child in rule.child_rules.values():
                if child is None or not child.id:
                    continue
                for keyword in child.keywords:
                    table.setdefault(keyword, []).append(child)
            indexed = children
        validator = validator.evolve(
            function_filter=validator.function_filter.evolve(add_cfn_lint_keyword=False)
        )
        for keyword in keywords:
            for child in table.get(keyword, ()):
                for err in child.validate(validator, keyword, instance, schema):
                    if err.rule is None and isinstance(err.validator, unset):
                        err.rule = child
                    yield err

    rule.cfnLint = cfn_lint
