"""YAML as CloudFormation reads it: every scalar we write keeps the type the generator meant.

CloudFormation parses YAML with YAML 1.1 rules ("AWS CloudFormation supports the YAML Version 1.1
specification", CloudFormation User Guide, template formats). Its parser reads a plain
digit run with a leading zero as a number: an account ID such as 012345678901 becomes
1.2345678901E10, and one made of digits 0-7 only an octal integer
(aws-cloudformation/cloudformation-coverage-roadmap#745: 012345670123 "will be read as the number
1402433619"). aws-cloudformation/cfn-language-discussion#31 asks for a YAML that "doesn't treat
AWS Account ID strings" as numbers, and awslabs/aws-cfn-template-flip#41 shows a YAML writer
dropping the quotes of exactly the Elastic Load Balancing account IDs that 0.1.0 shipped
unquoted (033677994240, us-east-2). PyYAML, cfn-lint and moto read them as strings, so only a
reader with YAML 1.1's own rules sees the problem.
"""

from __future__ import annotations

import re._constants as sre
import re._parser as sre_parse
from pathlib import Path

import pytest

from troposphere_fargate.cfn import yaml as render
from troposphere_fargate.cfn import yaml11
from troposphere_fargate.layers import LAYERS
from troposphere_fargate.layers.config import NetworkConfig, ProductConfig, ServiceConfig
from troposphere_fargate.release import build
from troposphere_fargate.release.build import render_templates

REPO = Path(__file__).resolve().parents[2]

# Strings that a YAML 1.1 reader takes for something else when they are written plain.
NOT_STRINGS = {
    "098369216593": "float",  # digits with a leading zero and an 8 or 9 (SnakeYAML)
    "054676820928": "float",
    "0777": "int",  # octal
    "0x1F": "int",
    "0b101": "int",
    # A base whose digits are all "_": "[-+]?0b[0-1_]+ # (base 2) |[-+]?0[0-7_]+ # (base 8)
    # |[-+]?(0|[1-9][0-9_]*) # (base 10) |[-+]?0x[0-9a-fA-F_]+ # (base 16)" (YAML 1.1 type
    # repository, https://yaml.org/type/int.html), and SnakeYAML's Resolver.INT alike
    # ("[-+]?0b[0-1_]+|[-+]?0[0-7_]+|...|[-+]?0x[0-9a-fA-F_]+", INT tried before FLOAT).
    "0x_": "int",
    "-0b__": "int",
    "0_": "int",
    # "_" anywhere among a base's digits, and hex digits of either case (the same patterns).
    "0b_1": "int",
    "0_7": "int",
    "07_": "int",
    "0xFF": "int",
    "0xab_cd": "int",
    "1:5": "int",  # "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+ # (base 60)" (the same page)
    # SnakeYAML's Resolver.FLOAT: "[-+]?(\.[0-9]+|[0-9_]+(\.[0-9_]*)?)([eE][-+]?[0-9]+)?":
    # a leading or trailing dot with an exponent, and a capital E.
    ".5e5": "float",
    "5.e5": "float",
    "1E5": "float",
    # "[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)? (base 10) ... |[-+]?\.(inf|Inf|INF)
    # # (infinity) |\.(nan|NaN|NAN) # (not a number)" (https://yaml.org/type/float.html).
    "1.2.3e+5": "float",
    ".INF": "float",
    ".NAN": "float",
    "1:30": "int",  # sexagesimal
    "-12": "int",
    "1_000": "int",
    "1e5": "float",  # an exponent without a sign (SnakeYAML)
    ".5": "float",
    "5.": "float",
    "1.2.3": "float",  # the YAML 1.1 float pattern allows several dots
    "190:20:30.15": "float",
    ".inf": "float",
    "-.Inf": "float",
    ".NaN": "float",
    "yes": "bool",
    "No": "bool",
    "on": "bool",
    "OFF": "bool",
    "y": "bool",
    "N": "bool",
    "true": "bool",
    "~": "null",
    "null": "null",
    "": "null",
    "2010-09-09": "timestamp",
    "2001-12-14t21:59:43.10-05:00": "timestamp",
    "<<": "merge",
    "=": "value",
}
# A base prefix alone has no digit: "0b[0-1_]+", "0x[0-9a-fA-F_]+" (https://yaml.org/type/int.html).
STRINGS = [
    "vpc-0a1b", "sg-098369216593", "0.0.0.0/0", "arn:aws:iam::098369216593:root", "yesno", "0b",
    "0x",
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind"), sorted(NOT_STRINGS.items()))
def test_yaml11_reads_these_plain_scalars_as_another_type(text, kind):
    assert yaml11.implicit_tag(text).rsplit(":", 1)[1] == kind


@pytest.mark.parametrize("text", STRINGS)
def test_yaml11_reads_these_plain_scalars_as_strings(text):
    assert yaml11.implicit_tag(text) == yaml11.STR


def _first_characters(items: list) -> tuple[set[str], bool]:
    """The characters a match of a parsed regular expression can begin with, and whether it
    can match the empty text: enough of ``re``'s syntax tree for the YAML 1.1 patterns."""
    chars: set[str] = set()
    for op, arg in items:
        if op is sre.LITERAL:
            return chars | {chr(arg)}, False
        if op is sre.IN:
            for kind, value in arg:
                assert kind in (sre.LITERAL, sre.RANGE), kind
                low, high = (value, value) if kind is sre.LITERAL else value
                chars |= {chr(code) for code in range(low, high + 1)}
            return chars, False
        if op is sre.AT:  # ^ and $ consume nothing
            continue
        if op is sre.SUBPATTERN:
            inner, empty = _first_characters(arg[3])
        elif op is sre.BRANCH:
            branches = [_first_characters(branch) for branch in arg[1]]
            inner = set().union(*(found for found, _ in branches))
            empty = any(can for _, can in branches)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            inner, empty = _first_characters(arg[2])
            empty = empty or arg[0] == 0
        else:
            raise AssertionError(f"a pattern construct this walk does not know: {op}")
        chars |= inner
        if not empty:
            return chars, False
    return chars, True


def test_a_plain_scalar_beginning_with_another_character_is_a_string_under_every_rule():
    """implicit_tag answers STR at once for text whose first character no rule can begin with:
    the set is derived here from the patterns themselves, so a rule added later that begins
    with another character fails this test instead of being skipped by the shortcut."""
    for tag, pattern in yaml11._COMPILED:
        begins, empty = _first_characters(sre_parse.parse(pattern.pattern).data)
        assert begins <= yaml11.FIRST_CHARACTERS, (tag, sorted(begins - yaml11.FIRST_CHARACTERS))
        assert not empty or tag == yaml11.NULL  # only null matches the empty scalar
    for text in ["Yes", "no", "0x1F", "-.5", "_1", "<<", "=", "~", ""]:  # inside the set
        assert yaml11.implicit_tag(text) != yaml11.STR, text
    for text in ["Yesterday", "Vpc", "arn:aws:s3:::b", "!x", " 1", "\t1"]:
        assert yaml11.implicit_tag(text) == yaml11.STR, text


def test_the_0_1_0_service_template_has_the_account_ids_cloudformation_misreads():
    """The check finds the defect in what 0.1.0 shipped: six account IDs read as floats."""
    text = (REPO / "templates" / "0.1.0" / "service.yaml").read_text()
    found = [str(m) for m in yaml11.type_mismatches(text, render.from_yaml(text))]
    accounts = [m for m in found if m.startswith("Mappings.")]
    assert accounts == [
        f"Mappings.ElbLogDeliveryAccounts.{region}.AccountId: meant str, YAML 1.1 reads float"
        for region in (
            "af-south-1",
            "eu-central-1",
            "eu-west-3",
            "us-east-2",
            "us-gov-west-1",
            "us-west-1",
        )
    ]


def test_the_writer_quotes_every_string_yaml11_would_read_as_something_else():
    values = {f"K{index}": text for index, text in enumerate([*NOT_STRINGS, *STRINGS])}
    template = {"Mappings": {"M": {"Key": values}}, "Resources": {}}
    for dumper in filter(None, (render.LIBYAML_DUMPER, render.PYTHON_DUMPER)):
        text = render.to_yaml(template, dumper)
        assert yaml11.type_mismatches(text, template) == []
        lines = dict(line.strip().split(": ", 1) for line in text.splitlines() if ": " in line)
        assert lines["K0"] == "'098369216593'"
        assert lines[f"K{len(NOT_STRINGS)}"] == "vpc-0a1b"  # strings stay plain


def test_keys_are_quoted_and_tagged_values_are_strings_by_their_tag():
    # A tag (!Sub) makes its scalar a string whatever it looks like, so the check reads every
    # tagged scalar as a string; the writer leaves it plain or quotes it as the emitter likes.
    template = {
        "Mappings": {"M": {"yes": {"0777": "x"}}},
        "Resources": {"R": {"Type": "T", "Properties": {"A": {"Fn::Sub": "098369216593"}}}},
    }
    text = render.to_yaml(template)
    assert "'yes':" in text and "'0777':" in text
    assert "!Sub '098369216593'" in text or "!Sub 098369216593" in text
    assert yaml11.type_mismatches(text, template) == []
    unquoted = text.replace("'yes':", "yes:")
    assert [str(m) for m in yaml11.type_mismatches(unquoted, template)] == [
        "Mappings.M.yes (key): meant str, YAML 1.1 reads bool"
    ]


def test_a_writer_that_forgot_to_quote_is_caught_before_anything_is_written(monkeypatch):
    monkeypatch.setattr(yaml11, "implicit_tag", lambda text: yaml11.STR)
    template = {"Mappings": {"Accounts": {"us-east-2": {"AccountId": "033677994240"}}}}
    with pytest.raises(render.YamlTypeError, match=r"us-east-2\.AccountId: meant str"):
        render.to_yaml(template)


def test_every_value_a_writer_left_unquoted_is_named_in_the_one_error(monkeypatch):
    monkeypatch.setattr(yaml11, "implicit_tag", lambda text: yaml11.STR)
    accounts = {
        "us-east-2": {"AccountId": "033677994240"},
        "us-west-1": {"AccountId": "098369216593"},
    }
    with pytest.raises(render.YamlTypeError) as refused:
        render.to_yaml({"Mappings": {"Accounts": accounts}})
    assert str(refused.value) == (
        "CloudFormation would read these values as another type: "
        "Mappings.Accounts.us-east-2.AccountId: meant str, YAML 1.1 reads float; "
        "Mappings.Accounts.us-west-1.AccountId: meant str, YAML 1.1 reads float"
    )


def test_numbers_and_booleans_the_generator_meant_stay_what_they_are():
    template = {"Resources": {"R": {"Type": "T", "Properties": {"Port": 443, "Enabled": True}}}}
    text = render.to_yaml(template)
    assert "Port: 443" in text and "Enabled: true" in text
    assert yaml11.type_mismatches(text, template) == []
    assert [str(m) for m in yaml11.type_mismatches(text.replace("443", "'443'"), template)] == [
        "Resources.R.Properties.Port: meant int, YAML 1.1 reads str"
    ]


CONFIGS = {
    "shipped": ProductConfig(),
    "two-azs": ProductConfig(network=NetworkConfig(max_azs=2)),
    "endpoints": ProductConfig(
        network=NetworkConfig(default_nat_gateways="None", default_vpc_endpoints=True)
    ),
    "service": ProductConfig(
        service=ServiceConfig(
            container_name="web",
            default_container_port=80,
            default_task_cpu=1024,
            default_task_memory=2048,
        )
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_template_the_build_writes_reads_back_as_generated(name):
    built = render_templates(CONFIGS[name])
    files = build.generate(CONFIGS[name])  # to_yaml verifies as it writes; this says so too
    for layer in LAYERS:
        assert yaml11.type_mismatches(files[layer.filename], built[layer.name]) == []


def test_the_committed_templates_of_this_version_read_back_as_generated():
    built = render_templates()
    from troposphere_fargate import __version__

    for layer in LAYERS:
        text = (REPO / "templates" / __version__ / layer.filename).read_text()
        assert yaml11.type_mismatches(text, built[layer.name]) == [], layer.filename


# --- Reading a file someone else wrote: what `check` fails ---------------------------------------

# A plain scalar and what CloudFormation makes of it, where that is not the text written.
# YES/NO: a tag's value became "true"/"false" in a real stack (ASFHyP3/hyp3#2061, "the
# CloudFormation yaml parser interprets yes/no as boolean"); on/off the same
# (alienplatform/alien#302, reproduced against CloudFormation); 012345670123 "will be read as the
# number 1402433619" (aws-cloudformation/cloudformation-coverage-roadmap#745).
MISREAD = {
    "YES": ("the boolean true", False),
    "Off": ("the boolean false", False),
    "012345670123": ("the integer 1402433619", False),
    "1.10": ("the number 1.1", False),
    "1:30": ("the integer 90", False),
    "0x1F": ("the integer 31", False),
    "1_000": ("the integer 1000", False),
    "+5": ("the integer 5", False),
    # The YAML 1.1 type repository's true (https://yaml.org/type/bool.html: "y|Y|yes|Yes|YES|
    # true|True|TRUE|on|On|ON"), binary, "_" ignored ("Any "_" characters in the number are
    # ignored", https://yaml.org/type/int.html), infinity of any of its cases (float.html).
    "on": ("the boolean true", False),
    "0b101": ("the integer 5", False),
    "1__000": ("the integer 1000", False),
    ".Inf": ("the number Infinity", False),
    "-.INF": ("the number -Infinity", False),
    ".5": ("the number 0.5", False),
    "12345678.0": ("the number 1.2345678E7", False),  # Java writes 10^7 and up so
    "0.0001": ("the number 1.0E-4", False),  # and below 10^-3
    # PyYAML (so cfn-lint and checkov) reads these as text: the gates checked another value.
    "098369216593": ("the number 9.8369216593E10", True),
    "1e3": ("the number 1000.0", True),
}
# Read back as written, or not a boolean or number to CloudFormation's reader (y and 1.2.3 are
# only to the YAML 1.1 type repository), or a date or null, or quoted, or tagged.
READ_AS_WRITTEN = [
    "true", "True", "FALSE", "80", "-12", "0", "1.5", "1.0", "2010-09-09", "~", "y", "N",
    "1.2.3", ".", "'0123'", '"YES"', "!Ref 0123", "!!str 0777", "vpc-0a1b",
]  # fmt: skip


@pytest.mark.parametrize(("text", "reading"), sorted(MISREAD.items()))
def test_check_finds_a_scalar_cloudformation_reads_as_another_value(text, reading):
    ((found,),) = [yaml11.misreadings(f"Value: {text}\n")]
    assert (found.line, found.column, found.text, found.key) == (1, 8, text, False)
    assert (found.reads_as, found.linters_read_text) == reading


@pytest.mark.parametrize("text", READ_AS_WRITTEN)
def test_check_leaves_a_scalar_read_as_written(text):
    assert yaml11.misreadings(f"Value: {text}\nList: [{text}]\n") == []


def test_a_misreading_says_where_what_and_how_to_write_it():
    found = yaml11.misreadings(
        "Resources:\n  B:\n    Tags:\n      - {Key: Public, Value: NO}\n"
        "Mappings:\n  M:\n    0123: {Id: 098369216593}\n"
    )
    assert [str(m) for m in found] == [
        "4:30: NO is the boolean false to CloudFormation (YAML 1.1): write false if a boolean "
        "is meant, 'NO' if the text",
        "7:5: key 0123 is the integer 83 to CloudFormation (YAML 1.1): quote it ('0123') if "
        "the text is meant",
        "7:16: 098369216593 is the number 9.8369216593E10 to CloudFormation (YAML 1.1) but text "
        "to cfn-lint and checkov: quote it ('098369216593') if the text is meant",
    ]


@pytest.mark.parametrize(
    ("number", "text"),
    [
        # Java's Double.toString (its API documentation): a decimal with at least one fraction
        # digit from 10^-3 up to 10^7, else "computerized scientific notation", d.dddE<n>; the
        # 0.1.0 account IDs became 9.8369216593E10 this way (aws-cfn-template-flip#41).
        (98369216593.0, "9.8369216593E10"),
        (1.5, "1.5"),
        (100.0, "100.0"),
        (0.001, "0.001"),
        (9999999.0, "9999999.0"),
        (1e7, "1.0E7"),
        (12345678.0, "1.2345678E7"),
        (0.0001, "1.0E-4"),
        (-2.5e10, "-2.5E10"),
        (0.0, "0.0"),
        # "negative zero produces the result "-0.0" and positive zero produces the result
        # "0.0"" (the same documentation).
        (-0.0, "-0.0"),
        (float("inf"), "Infinity"),
    ],
)
def test_a_float_reads_back_as_java_writes_it(number, text):
    assert yaml11.java_double(number) == text


def test_a_scalar_an_alias_repeats_is_found_once_at_its_anchor():
    found = yaml11.misreadings("A: &id 0777\nB: *id\nC: [*id, *id]\n")
    assert [(m.line, m.text) for m in found] == [(1, "0777")]


def test_check_finds_in_0_1_0_the_account_ids_the_build_check_finds():
    """The same six account IDs as the build's read-back check (above), by line, from the
    file alone: no generator to say what was meant."""
    text = (REPO / "templates" / "0.1.0" / "service.yaml").read_text()
    found = yaml11.misreadings(text)
    lines = text.splitlines()
    assert [lines[m.line - 1].split(": ")[1] for m in found] == [m.text for m in found]
    assert [m.text for m in found] == [
        "098369216593",
        "054676820928",
        "009996457667",
        "033677994240",
        "048591011584",
        "027434742980",
    ]
    assert all(m.linters_read_text for m in found)
    assert len(found) == len(
        [m for m in yaml11.type_mismatches(text, render.from_yaml(text)) if "AccountId" in m.path]
    )


def test_every_version_since_0_1_0_reads_as_written():
    shipped = sorted((REPO / "templates").glob("*/*.yaml"))
    assert len(shipped) >= 19  # 0.1.0 to 0.3.0: four each; 0.4.0: seven
    found = {
        str(path.relative_to(REPO)): yaml11.misreadings(path.read_text())
        for path in shipped
        if path.parent.name != "0.1.0"
    }
    assert not any(found.values()), found


def test_the_read_back_check_compares_values_and_shapes():
    """What the generator meant against what YAML 1.1 reads: ``on`` is true (bool.html above),
    NaN is NaN; a 1 is no boolean, false no true, ``=`` no null, and a sequence or mapping of
    another length or other keys another structure."""
    assert yaml11.type_mismatches("A: on\nB: .nan\n", {"A": True, "B": float("nan")}) == []
    text = "A: 1\nB: false\nC: =\nD: [1, 2]\nE: {F: 1, G: 2}\n"
    meant = {"A": True, "B": True, "C": None, "D": [1], "E": {"F": 1}}
    assert [str(m) for m in yaml11.type_mismatches(text, meant)] == [
        "A: meant bool, YAML 1.1 reads int",
        "B: meant bool True, YAML 1.1 reads bool 'false'",
        "C: meant null, YAML 1.1 reads value",
        "D: meant a sequence, YAML 1.1 reads another structure",
        "E: meant a mapping, YAML 1.1 reads another structure",
    ]
