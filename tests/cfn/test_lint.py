"""The build's in-process cfn-lint gives the same findings as the cfn-lint command, with the
build's shortcuts (troposphere_fargate.cfn.lint_shortcuts, forked workers) on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from troposphere_fargate import __version__
from troposphere_fargate.cfn.lint import INCLUDE_CHECKS, lint_templates

pytestmark = pytest.mark.lint

HERE = Path(__file__).resolve().parent
# A template whose findings depend on which conditions can hold with which parameter values:
# Port resolves to 70000 only where IsBig holds (W1030 on Group, none on Other, whose Ref is in
# the branch where Port cannot be 70000), and an Fn::If branch no stack can take (W1028).
CONDITIONAL = HERE / "conditions_and_values.yaml"
# A template whose findings go through every shortcut of lint_shortcuts (its Description says
# which finding comes from where).
KEYWORD_RULES = HERE / "keyword_rules.yaml"
SHIPPED = HERE.parents[1] / "templates" / __version__


def command_findings(*paths: Path) -> list[tuple[str, int, int, str, str]]:
    """The cfn-lint command's own findings (a separate process: none of the build's shortcuts)."""
    command = shutil.which("cfn-lint", path=str(Path(sys.executable).parent))
    assert command, "cfn-lint is installed with the package"
    checks = ",".join(INCLUDE_CHECKS)
    result = subprocess.run(
        [command, "-c", checks, "--format", "parseable", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = []
    for line in result.stdout.splitlines():
        path, line_number, column, _, _, rule, message = line.split(":", 6)
        found.append((Path(path).name, int(line_number), int(column), rule, message))
    return sorted(found)


def build_findings(*paths: Path) -> list[tuple[str, int, int, str, str]]:
    findings = lint_templates({p.name: p.read_text() for p in paths})
    return sorted((f.filename, f.line, f.column, f.rule, f.message) for f in findings)


def test_findings_that_depend_on_conditions_are_the_commands():
    expected = command_findings(CONDITIONAL)
    assert [(rule, line) for _, line, _, rule, _ in expected] == [("W1030", 6), ("W1028", 35)]
    assert "Resources/Group/Properties/Port" in expected[0][4]  # not Other's
    assert build_findings(CONDITIONAL) == expected


def test_findings_through_every_lint_shortcut_are_the_commands():
    expected = command_findings(KEYWORD_RULES)
    assert [(rule, line) for _, line, _, rule, _ in expected] == [
        ("E3048", 25),  # run by E1101 for the task's properties: the keyword table
        ("E3012", 31),
        ("E3030", 34),
        ("E3030", 39),
        ("W1028", 39),  # an Fn::If branch no stack can take: the clauses' answers
        ("E3034", 43),
        ("W1028", 43),
        ("W1001", 47),
        ("E6101", 53),  # Group has no Shape; TargetGroupName, line 50, goes through the table
    ]
    assert build_findings(KEYWORD_RULES) == expected


def test_answers_about_conditions_follow_the_order_the_values_come_in():
    path = HERE / "equals_of_two_refs.yaml"
    expected = command_findings(path)
    assert [(rule, line) for _, line, _, rule, _ in expected] == [
        ("E1020", 16),
        ("E1017", 25),
        ("E1020", 31),  # the second time, in the other order
    ]
    assert build_findings(path) == expected


def test_every_lint_shortcut_is_in_place_with_the_pinned_cfn_lint():
    """A cfn-lint release that changes a function a shortcut replaces turns that shortcut off
    (its digest no longer matches); this fails until it is checked against the new code and its
    digest updated, so an upgrade never makes the build slower unnoticed."""
    from troposphere_fargate.cfn.lint import _linter
    from troposphere_fargate.cfn.lint_shortcuts import applied

    _, rules = _linter(None)
    assert applied(rules) == {
        "missing SAT solver": True,
        "satisfiability": True,
        "cnf answers": True,
        "keywords": True,
        "valid getatts": True,
    }


def test_a_cfn_lint_whose_functions_changed_runs_its_own_code_with_the_same_findings():
    """Every digest made to differ, as after a cfn-lint release that changed each function:
    no shortcut is applied (but the missing SAT solver's, which replaces no function), and the
    findings are the command's."""
    script = f"""
import json
from troposphere_fargate.cfn import lint, lint_shortcuts as s
s.CFN_LINT_KEYWORDS_SOURCE = s.SATISFIABLE_SOURCE = s.VALID_GETATTS_SOURCE = "changed"
s.CNF_CALLERS_SOURCE = ("changed", "changed")
_, rules = lint._linter(None)
found = lint.lint_templates({{"keyword_rules.yaml": open({str(KEYWORD_RULES)!r}).read()}}, jobs=1)
print(json.dumps([s.applied(rules), [[f.filename, f.line, f.column, f.rule, f.message]
    for f in found]]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    applied, found = json.loads(result.stdout)
    assert applied == {
        "missing SAT solver": True,
        "satisfiability": False,
        "cnf answers": False,
        "keywords": False,
        "valid getatts": False,
    }
    assert sorted(map(tuple, found)) == command_findings(KEYWORD_RULES)


def test_a_keyword_rule_of_other_code_keeps_its_own():
    from troposphere_fargate.cfn.lint_shortcuts import _index_cfn_lint_keywords

    class CfnLint:
        id = "E1101"
        child_rules: ClassVar[dict[str, object]] = {}

        def cfnLint(self, validator, keywords, instance, schema):
            yield from ()

    rule = CfnLint()
    _index_cfn_lint_keywords({"E1101": rule})
    assert "cfnLint" not in vars(rule)


def test_a_function_without_source_has_no_digest_and_so_no_shortcut():
    from troposphere_fargate.cfn.lint_shortcuts import source_digest

    compiled = compile("def cfnLint(self): pass", "<no file>", "exec")
    namespace: dict[str, object] = {}
    exec(compiled, namespace)  # as a .pyc-only install: no source file to read
    assert source_digest(namespace["cfnLint"]) == ""
    assert source_digest(len) == ""  # a builtin has no source either


def test_the_keyword_table_runs_what_the_walk_runs_in_its_order():
    """Rules that check the same keyword, a rule that lists it twice, a disabled (None) child
    and one without an id: the table runs the same rules, as often and in the same order, as
    E1101's own walk; and it follows the child rules when cfn-lint assigns other ones."""
    from troposphere_fargate.cfn.lint import _linter
    from troposphere_fargate.cfn.lint_shortcuts import _keyword_rule

    _, rules = _linter(None)
    rule = _keyword_rule(rules)
    ran: list[tuple[str, str]] = []

    class Child:
        def __init__(self, id: str, *keywords: str) -> None:
            self.id, self.keywords = id, list(keywords)

        def validate(self, validator, keyword, instance, schema):
            ran.append((self.id, keyword))
            yield from ()

    class Filter:
        def evolve(self, **changes):
            return self

    class Validator:
        function_filter = Filter()

        def evolve(self, **changes):
            return self

    children = {
        "A": Child("A", "x", "y"),
        "B": None,
        "C": Child("", "x"),
        "D": Child("D", "y", "x", "y"),
        "E": Child("E", "x"),
    }
    saved = rule.child_rules
    try:
        for kids in (children, {**children, "E": Child("F", "y")}):
            rule.child_rules = kids
            for keywords in (["x", "y"], ["y"], ["z"], []):
                ran.clear()
                list(type(rule).cfnLint(rule, Validator(), keywords, {}, {}))
                walked = list(ran)
                ran.clear()
                list(rule.cfnLint(Validator(), keywords, {}, {}))
                assert ran == walked, keywords
    finally:
        rule.child_rules = saved


def test_clauses_answered_once_are_the_same_answer_and_other_questions_go_to_sympy():
    import importlib

    from sympy import Not, Symbol
    from sympy.assumptions.cnf import EncodedCNF

    from troposphere_fargate.cfn.lint import _linter

    _linter(None)
    satisfiable = importlib.import_module("cfnlint.context.conditions._conditions").satisfiable
    assert satisfiable.remembers

    def clauses(*props):
        cnf = EncodedCNF()
        for prop in props:
            cnf.add_prop(prop)
        return cnf

    a, b = Symbol("a"), Symbol("b")
    first = satisfiable(clauses(a, Not(b)))
    assert first == {a: True, b: False}
    assert satisfiable(clauses(a, Not(b))) is first  # the same clauses: the answer kept
    assert satisfiable(clauses(b, Not(a))) == {a: False, b: True}  # other symbols, same numbers
    assert satisfiable(clauses(a, Not(a))) is False
    models = satisfiable(clauses(a), all_models=True)  # anything else: sympy's own
    assert list(models) == [{a: True}]


def test_a_templates_valid_getatts_are_built_once_for_its_context_and_regions():
    from cfnlint.decode.decode import decode_str
    from cfnlint.template.template import Template

    from troposphere_fargate.cfn.lint import _linter

    _linter(None)
    assert Template.get_valid_getatts.remembers
    decoded, _ = decode_str(KEYWORD_RULES.read_text())
    template = Template("t.yaml", decoded, ["us-east-1", "cn-north-1"])
    table = template.get_valid_getatts()
    assert template.get_valid_getatts() is table
    assert table.match("cn-north-1", "Group.TargetGroupName") == "/properties/TargetGroupName"
    template.regions = ["us-east-1", "eu-west-1"]
    other = template.get_valid_getatts()
    assert other is not table
    assert other.match("eu-west-1", "Group.TargetGroupName") == "/properties/TargetGroupName"
    template.context = template.context.evolve(resources={})
    with pytest.raises(ValueError):
        template.get_valid_getatts().match("eu-west-1", "Group.TargetGroupName")


def test_a_shipped_template_with_conditions_is_clean_both_ways():
    assert (
        command_findings(SHIPPED / "network.yaml") == [] == build_findings(SHIPPED / "network.yaml")
    )


def test_regions_may_be_one_string_and_an_unknown_one_is_a_lint_error():
    from troposphere_fargate.cfn.lint import LintError

    text = (SHIPPED / "bucket.yaml").read_text()
    # A string was iterated character by character ("Regions ['t', 'e', ...]").
    assert lint_templates({"bucket.yaml": text}, regions="eu-west-1") == []
    with pytest.raises(LintError, match="cfn-lint knows no region mars-1"):
        lint_templates({"bucket.yaml": text}, regions=["eu-west-1", "mars-1"])


def test_templates_linted_together_keep_their_own_answers_about_their_conditions(tmp_path):
    """The answers are remembered per template: two templates whose conditions have the same
    names but compare another value (b.yaml), or another parameter (c.yaml), each get the
    cfn-lint command's findings when one process lints them one after the other."""
    text = CONDITIONAL.read_text()
    paths = [tmp_path / name for name in ("a.yaml", "b.yaml", "c.yaml")]
    paths[0].write_text(text)
    paths[1].write_text(
        text.replace('IsBig: !Equals [!Ref Port, "70000"]', 'IsBig: !Equals [!Ref Port, "80"]')
    )
    paths[2].write_text(
        text.replace("!Ref Port", "!Ref Size").replace(
            "Parameters:\n  Port:", "Parameters:\n  Size:"
        )
    )
    expected = command_findings(*paths)
    assert [(name, rule) for name, _, _, rule, _ in expected] == [
        ("a.yaml", "W1030"),
        ("a.yaml", "W1028"),
        ("b.yaml", "W1030"),
        ("b.yaml", "W1028"),
        ("c.yaml", "W1030"),
        ("c.yaml", "W1028"),
    ]
    found = lint_templates({p.name: p.read_text() for p in paths}, jobs=1)
    assert sorted((f.filename, f.line, f.column, f.rule, f.message) for f in found) == expected


def test_regions_given_override_those_the_template_names():
    def portfolio(regions: list[str]) -> str:
        return (
            f"Metadata:\n  cfn-lint:\n    config:\n      regions: {regions}\n"
            "Resources:\n  P:\n    Type: AWS::ServiceCatalog::Portfolio\n"
            "    Properties: {DisplayName: p, ProviderName: p}\n"
        )

    # Service Catalog is in eu-west-1, not in mx-central-1 (E3006).
    (finding,) = lint_templates({"t.yaml": portfolio(["eu-west-1"])}, regions=["mx-central-1"])
    assert finding.rule == "E3006" and "'mx-central-1'" in finding.message
    assert lint_templates({"t.yaml": portfolio(["mx-central-1"])}, regions=["eu-west-1"]) == []


def test_lint_leaves_the_garbage_collector_as_it_found_it():
    """Paused while cfn-lint runs, on again after (a library user's process would otherwise
    never collect a cycle again), and left off where the caller had turned it off."""
    import gc

    text = (SHIPPED / "bucket.yaml").read_text()
    assert gc.isenabled()
    lint_templates({"bucket.yaml": text}, jobs=1)
    assert gc.isenabled()
    gc.disable()
    try:
        lint_templates({"bucket.yaml": text}, jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_jobs_is_a_whole_number_of_processes_at_least_one():
    # Refused before cfn-lint loads: 0 linted with every CPU, True with one.
    with pytest.raises(ValueError, match=r"a number of processes, at least 1, not 0"):
        lint_templates({"a.yaml": "x"}, jobs=0)
    with pytest.raises(TypeError, match=r"takes a whole number, or None, not True"):
        lint_templates({"a.yaml": "x"}, jobs=True)


def test_a_template_that_is_not_yaml_is_a_finding_not_a_pass():
    (finding,) = lint_templates({"bad.yaml": "Resources: [\n"}, jobs=1)
    assert (finding.filename, finding.rule) == ("bad.yaml", "E0000"), finding


@pytest.mark.parametrize(
    ("resources", "local"),
    [
        (
            {"S": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "c.yaml"}}},
            True,
        ),
        (
            {
                "S": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": "../c.yaml"},
                }
            },
            True,
        ),
        (
            {"A": {"Type": "AWS::Serverless::Application", "Properties": {"Location": "app.yaml"}}},
            True,
        ),
        (
            {
                "S": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": "https://b.s3.amazonaws.com/c.yaml"},
                }
            },
            False,
        ),
        (
            {
                "S": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": "s3://b/c.yaml"},
                }
            },
            False,
        ),
        (
            {
                "S": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": "/abs/c.yaml"},
                }
            },
            False,
        ),
        (
            {
                "S": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": {"Fn::Sub": "c.yaml"}},
                }
            },
            False,
        ),
        (
            {
                "A": {
                    "Type": "AWS::Serverless::Application",
                    "Properties": {"Location": {"ApplicationId": "x"}},
                }
            },
            False,
        ),
        ({"Q": {"Type": "AWS::SQS::Queue", "Properties": {"TemplateURL": "c.yaml"}}}, False),
        (
            {
                "S": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": "/abs.yaml"},
                },
                "T": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": "t.yaml"},
                },
            },
            True,  # the second one
        ),
        ({"S": ["not", "a", "resource"]}, False),
        ([], False),
    ],
)
def test_a_template_names_a_local_template_as_cfn_lint_reads_one(resources, local):
    from troposphere_fargate.cfn.lint import names_local_templates

    assert names_local_templates({"Resources": resources}) is local


def test_paths_name_only_templates_given():
    with pytest.raises(ValueError, match=r"paths names templates not given to lint: b\.yaml"):
        lint_templates({"a.yaml": "Resources: {}\n"}, paths={"b.yaml": "b.yaml"})


def sized_template(size: int, filler: str = "x") -> str:
    """A template of exactly ``size`` bytes of UTF-8: one topic and a note of ``filler``s."""
    head = 'Metadata:\n  Notes: "'
    tail = '"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n'
    room = size - len((head + tail).encode("utf-8"))
    width = len(filler.encode("utf-8"))
    text = head + filler * (room // width) + "x" * (room % width) + tail
    assert len(text.encode("utf-8")) == size
    return text


def test_a_template_near_the_size_limit_gets_the_size_rules_linted_by_its_text(tmp_path):
    """E1002 and I1002 read the size of the file cfn-lint is given (``os.stat``); the build
    lints text, so until the text went to a file of its own they never ran there.
    CloudFormation takes at most 1,000,000 bytes from S3 ("Template body size in an Amazon S3
    object", Understand CloudFormation quotas); cfn-lint's I1002 speaks from 90 % of it."""
    sizes = {
        "under.yaml": sized_template(900_000),  # I1002 is "more than 90 %"
        "near.yaml": sized_template(900_001),
        "at.yaml": sized_template(1_000_000),  # still taken
        "over.yaml": sized_template(1_000_001),
        "accents.yaml": sized_template(1_000_002, "é"),  # 500,000 characters: bytes count
    }
    for name, text in sizes.items():
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    expected = command_findings(*(tmp_path / name for name in sizes))
    assert [(name, rule) for name, _, _, rule, _ in expected] == [
        ("accents.yaml", "E1002"),
        ("at.yaml", "I1002"),
        ("near.yaml", "I1002"),
        ("over.yaml", "E1002"),
    ]
    findings = lint_templates(sizes)
    assert sorted((f.filename, f.line, f.column, f.rule, f.message) for f in findings) == expected
