"""The build: committed templates in sync, cfn-lint clean, deterministic, written atomically."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from tests.support import misspelt_dns_support, section_differences, small_templates
from troposphere_fargate import __version__
from troposphere_fargate.cfn import lint, lint_shortcuts
from troposphere_fargate.cfn import yaml as render
from troposphere_fargate.cfn.lint import lint_templates
from troposphere_fargate.layers import LAYERS, regions
from troposphere_fargate.release import build
from troposphere_fargate.release.build import (
    MANIFEST,
    BuildError,
    compare_version,
    generate,
    with_manifest,
    write_version,
)

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "templates"


# Both YAML writers: libyaml's (where PyYAML has it) and the pure-Python one.
DUMPERS = [dumper for dumper in (render.LIBYAML_DUMPER, render.PYTHON_DUMPER) if dumper]


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return generate()


# --- The committed templates -------------------------------------------------------------------


def what_differs(folder: Path, names: list[str], files: Mapping[str, str]) -> list[str]:
    """One line per file ``compare_version`` named: for a template, what differs section by
    section (committed against generated); for any other file (the manifest), that it does."""
    expected = with_manifest(files)
    lines = []
    for name in names:
        path = folder / name
        if name not in expected:
            lines.append(f"{name}: committed, but the code no longer generates it")
        elif not path.is_file():
            lines.append(f"{name}: generated, but not committed")
        elif name.endswith(".yaml"):
            committed = render.from_yaml(path.read_text())
            if not isinstance(committed, dict):
                lines.append(f"{name}: the committed file is not a template")
            else:
                what = section_differences(committed, render.from_yaml(expected[name]))
                lines.append(f"{name}: {what or 'same content, other bytes (formatting)'}")
        else:
            lines.append(f"{name} differs")
    return lines


def test_committed_templates_are_byte_identical_to_what_the_code_generates(files):
    differing = compare_version(COMMITTED, files)
    assert differing == [], (
        f"templates/{__version__}/ differs from the code:\n  "
        + "\n  ".join(what_differs(COMMITTED / __version__, differing, files))
        + "\nrun `troposphere-fargate build` and commit the result"
    )


def test_section_differences_names_each_section_and_what_changed_in_it():
    committed = {
        "Description": "old",
        "Parameters": {"Image": {"Type": "String"}},
        "Resources": {
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"DesiredCount": 2}},
            "TargetGroup": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup"},
            "Cluster": {"Type": "AWS::ECS::Cluster"},
            "Old": {"Type": "AWS::SNS::Topic"},
        },
        "Outputs": {"ServiceUrl": {"Value": "http://a"}},
    }
    generated = {
        "Description": "new",
        "Parameters": {"Image": {"Type": "String"}},
        "Resources": {
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"DesiredCount": 3}},
            "TargetGroup": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Port": 80},
            "Cluster": {"Type": "AWS::ECS::Cluster"},
            "Alarm": {"Type": "AWS::CloudWatch::Alarm"},
        },
        "Outputs": {"ServiceUrl": {"Value": "https://a"}},
        "Conditions": {"HasCertificate": {"Fn::Equals": ["a", "b"]}},
    }
    assert section_differences(committed, generated) == (
        "Description differs; "
        "Conditions differ (added: HasCertificate); "
        "Resources differ (changed: Service, TargetGroup; added: Alarm; removed: Old); "
        "Outputs differ (changed: ServiceUrl)"
    )
    assert section_differences(generated, generated) == ""


def test_an_out_of_date_folder_is_described_file_by_file_and_section_by_section(tmp_path, files):
    write_version(tmp_path, files)
    folder = tmp_path / __version__
    service = render.from_yaml((folder / "service.yaml").read_text())
    dropped = next(iter(service["Outputs"]))  # from the committed file: the code adds it back
    del service["Outputs"][dropped]
    (folder / "service.yaml").write_text(render.to_yaml(service))
    (folder / "network.yaml").write_text(files["network.yaml"] + "# a comment\n")
    (folder / "extra.yaml").write_text("x")
    differing = compare_version(tmp_path, files)
    assert what_differs(folder, differing, files) == [
        "extra.yaml: committed, but the code no longer generates it",
        "network.yaml: same content, other bytes (formatting)",
        f"service.yaml: Outputs differ (added: {dropped})",
    ]
    (folder / MANIFEST).write_text("{}")
    assert what_differs(folder, [MANIFEST], files) == [f"{MANIFEST} differs"]


def test_manifest_lists_the_sha256_and_size_of_every_committed_template():
    folder = COMMITTED / __version__
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["version"] == __version__
    on_disk = {p.name for p in folder.iterdir()} - {MANIFEST}
    assert set(manifest["files"]) == on_disk
    for name, entry in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


# --- Rendering ---------------------------------------------------------------------------------


def test_text_no_template_can_hold_is_named_where_it_is_not_a_traceback():
    """A review: a library user's environment value holding half of a UTF-16 surrogate pair
    ("\\ud800", from an escape or bytes decoded with errors="surrogateescape") made generate()
    fail with UnicodeEncodeError in the task definition's size check; to_yaml failed so on a
    tag. A spec is refused at its line before (tests/release/test_spec.py)."""
    from troposphere_fargate import Application, ProductConfig, ServiceConfig

    application = Application(environment=(("GREETING", "hi \ud800"),))
    config = ProductConfig(service=ServiceConfig(application=application))
    with pytest.raises(build.TemplateChecksFailed) as raised:
        generate(config)
    (problem,) = raised.value.problems
    assert (problem.filename, problem.resource) == ("service.yaml", "TaskDefinition")
    assert problem.reason.startswith(
        "Properties.ContainerDefinitions.0.Environment.0.Value holds U+D800, half of a UTF-16 "
        "surrogate pair: no character"
    )
    # Beside it, one in a section of its own: named by the section, the problem's words whole.
    service = build.render_templates()["service"]
    service["Description"] = "x \udc80"
    definition = service["Resources"]["TaskDefinition"]["Properties"]
    definition["ContainerDefinitions"][0]["Environment"] = [{"Name": "A", "Value": "\ud800"}]
    named = [(p.resource, p.reason[:32]) for p in build.template_problems("s.yaml", service)]
    assert named == [
        ("Description", "holds U+DC80, half of a UTF-16 s"),
        ("TaskDefinition", "Properties.ContainerDefinitions."),
    ]
    tagged = {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "k", "Value": "\udc80"}]}}
    with pytest.raises(
        ValueError,
        match=r"^the template's Resources\.B\.Properties\.Tags\.0\."
        r"Value holds U\+DC80, half of a UTF-16 surrogate pair",
    ):
        render.to_yaml({"Resources": {"B": tagged}})


def test_every_template_is_stamped_with_the_version(files):
    for layer in LAYERS:
        template = render.from_yaml(files[layer.filename])
        assert template["Description"].startswith(
            f"troposphere_fargate {__version__}, {layer.name} layer. "
        )
        stamp = dict(template["Metadata"]["TroposphereFargate"])
        stamp.pop("NotOffered", None)  # stackset.yaml's: what it leaves out on purpose, and why
        stamp.pop("Merges", None)  # instance.yaml's: the templates it merges
        assert stamp == {"Layer": layer.name, "Version": __version__}
        assert template["AWSTemplateFormatVersion"] == "2010-09-09"


def test_rendered_yaml_reads_back_as_the_template_the_builder_made(files):
    built = build.render_templates()
    for layer in LAYERS:
        assert render.from_yaml(files[layer.filename]) == built[layer.name]


def test_rendered_yaml_uses_short_form_intrinsics_and_no_anchors(files):
    text = files["network.yaml"]
    assert "!Ref Vpc" in text
    assert "!GetAtt FlowLogRole.Arn" in text
    for text in files.values():
        assert not re.search(r"^\s*(- )?(Ref|Fn::\w+):", text, re.M)  # no long-form keys
    assert "&id" not in text and "*id" not in text


def test_sections_come_in_reading_order(files):
    keys = [line.split(":")[0] for line in files["network.yaml"].splitlines() if line[:1].isalpha()]
    assert keys == [
        "AWSTemplateFormatVersion",
        "Description",
        "Metadata",
        "Parameters",
        "Rules",
        "Conditions",
        "Resources",
        "Outputs",
    ]


def test_generation_is_deterministic_across_processes(files):
    # Different hash seeds change set and dict iteration orders in a careless generator.
    script = (
        "import sys, hashlib; from troposphere_fargate.release.build import generate; "
        "f = generate(); sys.stdout.write(hashlib.sha256(repr(sorted(f.items())).encode())"
        ".hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()}


@pytest.mark.skipif(render.LIBYAML_DUMPER is None, reason="PyYAML without libyaml")
def test_python_and_libyaml_emitters_write_the_same_bytes():
    for layer in LAYERS:
        made = build.render_templates()[layer.name]
        assert render.to_yaml(made, render.PYTHON_DUMPER) == render.to_yaml(
            made, render.LIBYAML_DUMPER
        ), layer.filename
    odd = {
        "Description": "multi\nline: yes\n",
        "Resources": {
            "R": {
                "Type": "T",
                "Properties": {
                    "Empty": {"Fn::GetAZs": ""},
                    "Colon": {"Fn::Sub": "a: b"},
                    "Number": {"Ref": "1"},
                    "Bool": {"Ref": "true"},
                    "Unicode": "café ☕",
                    "Star": {"Fn::Sub": "*"},
                    "Nested": {"Fn::If": ["C", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]},
                },
            }
        },
    }
    assert render.to_yaml(odd, render.PYTHON_DUMPER) == render.to_yaml(odd, render.LIBYAML_DUMPER)
    assert render.from_yaml(render.to_yaml(odd)) == odd


@pytest.mark.skipif(render.LIBYAML_DUMPER is None, reason="PyYAML without libyaml")
def test_the_libyaml_dumper_s_cached_resolver_writes_what_csafedumper_writes():
    """The default writer answers libyaml's resolver questions from a cache: the same bytes as
    PyYAML's own CSafeDumper, for every template and for scalars each rule of the resolver
    reads (the second time from the cache)."""
    odd = {"Resources": {"R": {"Type": "T", "Properties": {
        "Texts": ["yes", "1:30", "0x1F", "~", "", "=", "<<", "2020-01-01", ".inf", "a: b", "-"],
        "Values": [1, 1.5, True, None, {}, []],
    }}}}  # fmt: skip
    for template in [*build.render_templates().values(), odd, odd]:
        assert render.to_yaml(template) == render.to_yaml(template, yaml.CSafeDumper)


def test_generation_leaves_the_garbage_collector_as_it_found_it():
    """Generation pauses the collector (its passes over the YAML nodes found nothing): on
    after it when it was on, off when the caller had it off, on after an error too."""
    import gc

    assert gc.isenabled()
    try:
        generate()
        assert gc.isenabled()
        with pytest.raises(TypeError), lint.garbage_collection_paused():
            assert not gc.isenabled()
            generate("x")  # type: ignore[arg-type]
        assert gc.isenabled()
        gc.disable()  # paused by the caller: still paused after
        generate()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pauses_of_the_garbage_collector_in_two_threads_leave_it_on():
    """Each block saving and restoring the collector on its own, two threads that overlap
    (the first ends while the second runs) leave it off for good: the second saw it off."""
    import gc
    import threading

    first_in, second_in, second_may_end = (threading.Event() for _ in range(3))

    def second() -> None:
        first_in.wait()
        with lint.garbage_collection_paused():
            second_in.set()
            second_may_end.wait()

    other = threading.Thread(target=second, daemon=True)
    other.start()
    try:
        with lint.garbage_collection_paused():
            first_in.set()
            assert second_in.wait(10)  # the second thread's pause began while this one runs
        assert not gc.isenabled()  # the other thread's pause still runs
    finally:
        second_may_end.set()
        other.join(10)
    assert gc.isenabled()


def test_empty_tagged_values_are_quoted():
    text = render.to_yaml(
        {"Resources": {"R": {"Type": "T", "Properties": {"A": {"Fn::GetAZs": ""}}}}}
    )
    assert "A: !GetAZs ''" in text


def test_a_key_named_condition_holding_data_stays_a_key():
    """Condition is a function (``!Condition IsProd``) only of a condition's name: a mapping or
    list under a key of that name (an IAM-style condition block in Metadata, say) is data, and
    written as ``!Condition`` CloudFormation would read it as the function."""
    template = {
        "Resources": {
            "R": {
                "Type": "T",
                "Metadata": {"Condition": {"StringEquals": {"a": "b"}}},
                "Properties": {"A": {"Condition": ["x"]}, "B": {"Condition": "IsProd"}},
            }
        }
    }
    for dumper in DUMPERS:
        text = render.to_yaml(template, dumper)
        assert "Metadata:\n      Condition:\n        StringEquals:\n" in text
        assert "A:\n        Condition:\n        - x\n" in text
        assert "B: !Condition IsProd\n" in text
        assert render.from_yaml(text) == template


def test_a_getatt_whose_attribute_is_a_function_is_written_as_a_list():
    """With AWS::LanguageExtensions, Fn::GetAtt takes intrinsic functions as its parameters
    (User Guide, "Fn::GetAtt"): only a name and an attribute that are both text join into
    ``!GetAtt Name.Attribute``."""
    template = {
        "Transform": "AWS::LanguageExtensions",
        "Resources": {
            "R": {
                "Type": "T",
                "Properties": {
                    "A": {"Fn::GetAtt": ["Db", {"Ref": "Attribute"}]},
                    "B": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
                },
            }
        },
    }
    for dumper in DUMPERS:
        text = render.to_yaml(template, dumper)
        assert "A: !GetAtt\n      - Db\n      - !Ref Attribute\n" in text
        assert "B: !GetAtt Db.Endpoint.Address\n" in text
        assert render.from_yaml(text) == template


def test_text_past_ascii_is_written_as_itself():
    """A description in another language stays readable in the file and in a diff of it, not
    escaped (``"caf\\xE9"``)."""
    for dumper in DUMPERS:
        text = render.to_yaml({"Description": "Café ☕ für Größe", "Resources": {}}, dumper)
        assert text == "Description: Café ☕ für Größe\nResources: {}\n"


def test_multiline_strings_are_block_literals():
    text = render.to_yaml({"Description": "one\ntwo\n", "Resources": {}})
    assert "Description: |\n  one\n  two\n" in text
    assert render.from_yaml(text)["Description"] == "one\ntwo\n"


def test_a_function_whose_argument_is_one_function_keeps_its_long_form_around_the_short_one():
    """A YAML node has one tag, so ``!Base64 !Sub x`` cannot be written: the outer function
    stays long-form (as the CloudFormation user guide writes ``Fn::Base64: !Sub``). 0.4.0's
    writer put a Python object's repr there instead (and its read-back check refused it)."""
    template = {
        "Resources": {
            "R": {
                "Type": "T",
                "Properties": {
                    "UserData": {"Fn::Base64": {"Fn::Sub": "echo ${AWS::Region}"}},
                    "Name": {"Fn::Join": ["-", [{"Fn::Select": [0, {"Fn::GetAZs": ""}]}]]},
                },
            }
        }
    }
    for dumper in DUMPERS:
        text = render.to_yaml(template, dumper)
        assert "UserData:\n        Fn::Base64: !Sub echo ${AWS::Region}\n" in text
        assert "- !Select\n          - 0\n          - !GetAZs ''\n" in text
        assert render.from_yaml(text) == template


def test_numbers_of_every_kind_are_written_as_yaml_1_1_reads_them():
    """Floats as PyYAML's representer writes them (1e+20 gains a fraction so that it reads
    as a float; infinity and NaN as .inf and .nan), checked by the YAML 1.1 read-back."""
    values = {"Big": 1e20, "Small": 1.5e-7, "Inf": float("inf"), "Minus": -float("inf")}
    values |= {"Int": -12, "Zero": 0, "Float": 0.5, "True": True, "None": "x"}
    text = render.to_yaml({"Mappings": {"M": {"K": values}}, "Resources": {}})
    assert "Big: 1.0e+20\n" in text and "Inf: .inf\n" in text and "Minus: -.inf\n" in text
    assert "Small: 1.5e-07\n" in text and "'True': true\n" in text
    assert "None: x\n" in text  # "None" is no YAML 1.1 null: plain
    assert render.from_yaml(text)["Mappings"]["M"]["K"] == values
    nan = render.to_yaml({"Mappings": {"M": {"K": {"NaN": float("nan")}}}, "Resources": {}})
    assert "NaN: .nan\n" in nan


def test_a_value_yaml_cannot_hold_is_refused_by_name_and_place():
    """A library user's tuple or troposphere object was "cannot write tuple", with no key."""
    with pytest.raises(yaml.representer.RepresenterError) as refused:
        render.to_yaml({"Resources": {"R": {"Type": "T", "Properties": {"A": [1, {1, 2}]}}}})
    assert str(refused.value) == "cannot write set: {1, 2} at Resources.R.Properties.A[1]"
    # The first the writer meets, each mapping's keys sorted (a review: B's was named for A's).
    two = {
        "B": {"Type": "T", "Properties": {"TopicName": ("x",)}},
        "A": {"Type": "T", "Properties": {"Tags": {1, 2}}},
    }
    with pytest.raises(yaml.representer.RepresenterError) as refused:
        render.to_yaml({"Resources": two})
    assert str(refused.value) == "cannot write set: {1, 2} at Resources.A.Properties.Tags"


def test_a_null_cloudformation_refuses_is_not_written():
    """A library user's ``QueueName: os.environ.get(...)`` was written as ``null``, linted clean
    (cfn-lint does not look) and written by write_version; CloudFormation refuses it: "[/Resources/
    myInstance/Type/EbsOptimized] 'null' values are not allowed in templates"
    (aws-cloudformation/cfn-lint#38, by its maintainer), as read_template does."""
    queue = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": None}}
    with pytest.raises(ValueError) as refused:
        render.to_yaml({"Resources": {"Jobs": queue}}, verify=False)
    assert str(refused.value) == (
        "[/Resources/Jobs/Properties/QueueName] 'null' values are not allowed in templates, as "
        "CloudFormation says: give it a value, or leave the key out"
    )
    with pytest.raises(ValueError, match=r"\[/Mappings/M/K\] 'null' values"):
        render.to_yaml({"Mappings": {"M": {"K": None}}, "Resources": {"Jobs": queue}})
    from collections import UserDict  # a template of another Mapping: no way around it

    with pytest.raises(ValueError, match=r"\[/Resources/Jobs/Properties/QueueName\] 'null'"):
        render.to_yaml(UserDict({"Resources": {"Jobs": queue}}))
    # Inside a property's own value (a JSON document such as a state machine's Definition),
    # a null is CloudFormation's to judge, as read_template leaves it (cfn-lint#2242).
    queue["Properties"] = {"RedrivePolicy": {"deadLetterTargetArn": None}, "QueueName": "null"}
    text = render.to_yaml({"Resources": {"Jobs": queue}})
    assert "deadLetterTargetArn: null\n" in text and "QueueName: 'null'\n" in text


def test_unknown_sections_are_refused():
    with pytest.raises(ValueError, match="unknown template sections: Resource"):
        render.to_yaml({"Resource": {}})


# --- Linting -----------------------------------------------------------------------------------


@pytest.mark.lint
def test_lint_finds_a_broken_template_and_locates_the_finding():
    broken = render.to_yaml(
        {
            "Resources": {
                "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketNam": "x"}},
            }
        }
    )
    findings = lint_templates({"broken.yaml": broken})
    assert findings, "cfn-lint found nothing in a template with a misspelt property"
    assert {f.filename for f in findings} == {"broken.yaml"}
    assert any(f.rule == "E3002" and "BucketNam" in f.message for f in findings)
    assert all(f.line > 1 for f in findings)


def broken(prop: str) -> str:
    return render.to_yaml(
        {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {prop: "x"}}}}
    )


@pytest.mark.lint
def test_forked_and_serial_lint_find_the_same(files):
    # Three of the shipped templates, the quickest to lint: the others add no case of the split
    # (templates with findings and without, more templates than copies) and took 17 s of CPU.
    shipped = {name: files[name] for name in ("bucket.yaml", "catalog.yaml", "root.yaml")}
    templates = {"a.yaml": broken("Nope"), "b.yaml": broken("Nada"), **shipped}
    serial = lint_templates(templates, jobs=1)
    forked = lint_templates(templates, jobs=2)
    assert forked == serial
    assert {f.filename for f in serial} == {"a.yaml", "b.yaml"}


@pytest.mark.lint
def test_a_failing_lint_worker_is_an_error_not_a_pass(monkeypatch):
    from troposphere_fargate.cfn import lint

    real = lint._lint

    def explode(items, config, rules):
        if [name for name, *_ in items] == ["small.yaml"]:
            raise RuntimeError("worker blew up")
        return real(items, config, rules)

    monkeypatch.setattr(lint, "_lint", explode)
    templates = {"big.yaml": broken("Nope") + "#" * 1000, "small.yaml": broken("Nada")}
    for jobs in (2, 3):  # whichever copy takes small.yaml
        with pytest.raises(lint.LintError, match="worker blew up"):
            lint_templates(templates, jobs=jobs)


@pytest.mark.lint
def test_lint_workers_that_die_at_once_are_an_error_not_a_pass(monkeypatch):
    """Copies that leave before taking anything (killed, out of memory) leave the queue without
    a reader: that is a LintError naming them, never an empty list of findings."""
    from troposphere_fargate.cfn import lint

    monkeypatch.setattr(lint, "_lint_taken", lambda *arguments: os._exit(9))
    # 40,000 two-byte indexes: more than a pipe holds (64 KB on Linux), so the parent is still
    # writing the queue when the last reader has gone.
    templates = {f"t{n}.yaml": "x" for n in range(40_000)}
    with pytest.raises(lint.LintError, match="exited without a result"):
        lint_templates(templates, jobs=2)


@pytest.mark.lint
def test_the_process_with_the_slow_template_takes_nothing_else(monkeypatch):
    """Templates are taken from a queue, not dealt out in fixed shares: while one process
    lints the slow template, the other lints all the rest (with shares by size, the slow
    template shared its process with a third of the others)."""
    from troposphere_fargate.cfn import lint

    def where(items, config, rules):  # "lint" by saying which process did it
        ((name, *_),) = items
        if name == "slow.yaml":
            time.sleep(1.0)
        return [lint.Finding(name, os.getpid(), 0, "X", "")]

    monkeypatch.setattr(lint, "_lint", where)
    templates = {"slow.yaml": "x" * 1000, **{f"t{n}.yaml": "x" * 100 for n in range(6)}}
    by_process: dict[int, set[str]] = {}
    for finding in lint.lint_templates(templates, jobs=2):
        by_process.setdefault(finding.line, set()).add(finding.filename)
    assert sorted(by_process.values(), key=len) == [{"slow.yaml"}, set(templates) - {"slow.yaml"}]


@pytest.mark.lint
def test_findings_come_sorted_however_the_processes_shared_the_templates(monkeypatch):
    """While one process lints s.yaml, the other takes b.yaml then a.yaml (largest first)."""

    def found(items, config, rules):
        ((name, *_),) = items
        if name == "s.yaml":
            time.sleep(1.0)
        return [lint.Finding(name, 1, 1, "X", "")]

    monkeypatch.setattr(lint, "_lint", found)
    templates = {"s.yaml": "x" * 300, "b.yaml": "x" * 200, "a.yaml": "x" * 100}
    found_by_name = [f.filename for f in lint.lint_templates(templates, jobs=2)]
    assert found_by_name == ["a.yaml", "b.yaml", "s.yaml"]


@pytest.mark.lint
def test_cfn_lint_is_loaded_and_frozen_once_not_at_every_call():
    """Freezing what each lint allocated would keep its garbage forever (80 MB per call,
    measured); only the loaded linter is frozen, once per set of regions."""
    import gc

    templates = {"a.yaml": broken("Nope")}
    lint_templates(templates, regions=["eu-west-1"], jobs=1)
    frozen = gc.get_freeze_count()
    for jobs in (1, 2):
        assert lint_templates(templates, regions=["eu-west-1"], jobs=jobs)
    assert gc.get_freeze_count() == frozen


@pytest.mark.lint
def test_a_linter_started_ahead_finds_what_lint_templates_finds():
    templates = {"a.yaml": broken("Nope"), "b.yaml": broken("Nada")}
    with lint.StartedLinter(regions=["eu-west-1"]) as linter:
        assert linter._pid  # a copy of this process is loading cfn-lint
        found = linter.lint(templates)
    assert found == lint_templates(templates, regions=["eu-west-1"])
    assert {f.filename for f in found} == {"a.yaml", "b.yaml"}


def test_a_linter_started_ahead_and_not_used_is_stopped():
    with lint.StartedLinter() as linter:
        pid = linter._pid
    assert pid
    with pytest.raises(ChildProcessError):  # killed and reaped, not left running or a zombie
        os.waitpid(pid, os.WNOHANG)


@pytest.mark.lint
def test_a_linter_started_ahead_lints_in_the_regions_it_was_given(monkeypatch):
    """Forked ahead, or (one CPU) linting in this process: in its regions, not the
    template's own."""
    templates = {"t.yaml": portfolio(["eu-west-1"])}
    for cpus in (lint.available_cpus(), 1):
        monkeypatch.setattr(lint, "available_cpus", lambda cpus=cpus: cpus)
        with lint.StartedLinter(regions=["mx-central-1"]) as linter:
            found = linter.lint(templates)
        assert [(f.rule, f.message.rsplit("'", 2)[1]) for f in found] == [
            ("E3006", "mx-central-1")
        ], cpus


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads Linux's /proc")
def test_a_linter_started_ahead_and_not_used_leaves_no_pipe_open():
    """A library user's long-running process starts one per build: each must give back its
    pipes, used or not."""
    before = len(os.listdir("/proc/self/fd"))
    with lint.StartedLinter():
        pass
    with lint.StartedLinter() as linter:
        linter.lint({})
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_linter_started_ahead_that_died_is_an_error_not_a_pass():
    import signal

    with lint.StartedLinter() as linter:
        os.kill(linter._pid, signal.SIGKILL)
        with pytest.raises(lint.LintError, match="exited without a result"):
            linter.lint({"a.yaml": broken("Nope")})


@pytest.mark.lint
def test_a_linter_started_ahead_reports_cfn_lint_failing(monkeypatch):
    def fail(templates, regions=None, jobs=None):
        raise RuntimeError("cfn-lint blew up")

    monkeypatch.setattr(lint, "lint_templates", fail)  # the copy is forked with it
    with (
        lint.StartedLinter() as linter,
        pytest.raises(lint.LintError, match="cfn-lint blew up"),
    ):
        linter.lint({"a.yaml": broken("Nope")})


def test_with_one_cpu_nothing_starts_ahead(monkeypatch):
    monkeypatch.setattr(lint, "available_cpus", lambda: 1)
    monkeypatch.setattr(lint, "lint_templates", lambda templates, regions, jobs: ["linted here"])
    with lint.StartedLinter() as linter:
        assert not linter._pid
        assert linter.lint({"a.yaml": "x"}) == ["linted here"]


@pytest.mark.lint
def test_lint_ignores_cfnlintrc_files(tmp_path, monkeypatch):
    # A .cfnlintrc in the working directory (or the home directory) must not switch rules off.
    (tmp_path / ".cfnlintrc").write_text("ignore_checks:\n  - E3002\n  - E\n  - W\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    broken = render.to_yaml(
        {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketNam": "x"}}}}
    )
    assert any(f.rule == "E3002" for f in lint_templates({"broken.yaml": broken}))


NO_SERVICE_CATALOG = regions.NO_SERVICE_CATALOG


def test_the_claimed_regions_are_every_commercial_china_and_govcloud_region_cfn_lint_knows():
    # A region AWS opens (and cfn-lint learns) fails here until it is claimed and checked.
    from cfnlint.helpers import REGIONS

    other_partitions = ("us-iso", "eu-isoe", "eusc-")
    assert sorted(regions.CLAIMED_REGIONS) == sorted(
        r for r in REGIONS if not r.startswith(other_partitions)
    )


def from_yaml_metadata_regions(text: str) -> list[str]:
    return render.from_yaml(text)["Metadata"]["cfn-lint"]["config"]["regions"]


def test_every_template_names_the_regions_it_is_linted_for_in_its_metadata(files):
    for layer in LAYERS:
        metadata = render.from_yaml(files[layer.filename])["Metadata"]
        claimed = metadata["cfn-lint"]["config"]["regions"]
        excluded = {
            "catalog": NO_SERVICE_CATALOG,
            "stackset": regions.NO_SERVICE_MANAGED_STACKSETS,
        }.get(layer.name, ())
        assert claimed == list(regions.supported(excluded)), layer.filename
    assert "cn-north-1" not in from_yaml_metadata_regions(files["stackset.yaml"])


@pytest.mark.lint
def test_lint_checks_every_region_a_template_names_in_its_metadata():
    def portfolio(where: list[str]) -> str:
        return render.to_yaml(
            {
                "Metadata": {"cfn-lint": {"config": {"regions": where}}},
                "Resources": {
                    "P": {
                        "Type": "AWS::ServiceCatalog::Portfolio",
                        "Properties": {"DisplayName": "p", "ProviderName": "p"},
                    }
                },
            }
        )

    findings = lint_templates({"t.yaml": portfolio(["eu-west-1", "mx-central-1", "ap-east-2"])})
    assert {(f.rule, f.message.rsplit("'", 2)[1]) for f in findings} == {
        ("E3006", "mx-central-1"),
        ("E3006", "ap-east-2"),
    }
    assert lint_templates({"t.yaml": portfolio(["eu-west-1", "cn-north-1"])}) == []


@pytest.mark.lint
def test_a_plain_cfn_lint_run_lints_the_committed_templates_in_every_claimed_region():
    """Users who run cfn-lint themselves, without --regions, get the same check as the build:
    no finding, informational rules included, on every template we ship. (The build's own
    lint of them, cfn-lint in this process with its shortcuts, is check's too: see
    tests/policy/test_policy.py, test_check_command_passes_on_the_shipped_templates.)"""
    folder = COMMITTED / __version__
    cfn_lint = Path(sys.executable).parent / "cfn-lint"  # the console script, as users run it
    templates = sorted(map(str, folder.glob("*.yaml")))
    assert sorted(Path(t).name for t in templates) == sorted(layer.filename for layer in LAYERS)
    result = subprocess.run(
        [str(cfn_lint), "-c", "I", "--", *templates],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.lint
def test_committed_templates_lint_clean_in_every_region():
    from cfnlint.helpers import REGIONS

    folder = COMMITTED / __version__
    committed = {p.name: p.read_text() for p in sorted(folder.glob("*.yaml"))}
    findings = [str(f) for f in lint_templates(committed, regions=REGIONS)]
    unexpected = [
        f
        for f in findings
        if not (
            f.startswith("catalog.yaml:")
            and "E3006 Resource type 'AWS::ServiceCatalog::" in f
            and f.endswith(tuple(f"in '{region}'" for region in NO_SERVICE_CATALOG))
        )
    ]
    assert unexpected == []


@pytest.mark.lint
def test_lint_includes_informational_rules():
    # I3011: a stateful resource without DeletionPolicy/UpdateReplacePolicy, informational only.
    template = render.to_yaml(
        {"Resources": {"Table": {"Type": "AWS::Logs::LogGroup", "Properties": {}}}}
    )
    rules = {f.rule for f in lint_templates({"t.yaml": template})}
    assert any(rule.startswith("I") for rule in rules), rules


# --- Writing -----------------------------------------------------------------------------------


def test_write_version_writes_templates_and_manifest(tmp_path, files):
    folder = write_version(tmp_path, files)
    assert folder == tmp_path / __version__
    assert {p.name for p in folder.iterdir()} == set(files) | {MANIFEST}
    assert compare_version(tmp_path, files) == []
    assert [p.name for p in tmp_path.iterdir()] == [__version__]  # no staging left behind


def test_write_version_replaces_the_folder_and_drops_stale_files(tmp_path, files):
    stale = tmp_path / __version__ / "old.yaml"
    stale.parent.mkdir()
    stale.write_text("old")
    write_version(tmp_path, files)
    assert not stale.exists()
    assert compare_version(tmp_path, files) == []


def test_write_version_of_no_files_is_refused_and_keeps_the_version(tmp_path, files):
    """The folder is replaced whole: no files (a filter that kept none) left only a manifest
    where the templates were."""
    write_version(tmp_path, files)
    before = {p.name: p.read_bytes() for p in (tmp_path / __version__).iterdir()}
    with pytest.raises(BuildError) as refused:
        write_version(tmp_path, {})
    assert str(refused.value) == (
        "write_version(files) holds no templates: writing it would replace the version's "
        "folder with an empty one; pass what generate() returns"
    )
    assert {p.name: p.read_bytes() for p in (tmp_path / __version__).iterdir()} == before


def test_write_version_leaves_the_previous_folder_when_writing_fails(tmp_path, files, monkeypatch):
    write_version(tmp_path, files)
    before = {p.name: p.read_bytes() for p in (tmp_path / __version__).iterdir()}

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build.os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        write_version(tmp_path, {**files, "network.yaml": "changed"})
    after = {p.name: p.read_bytes() for p in (tmp_path / __version__).iterdir()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == [__version__]


def ctrl_c() -> None:
    """A Ctrl-C as the command-line build gets it: SIGINT to the thread that builds (the CLI's
    only one). Sent to the process, a test runner's other threads (pytest-xdist's) could take
    it while the building thread holds it back."""
    import signal
    import threading

    signal.pthread_kill(threading.get_ident(), signal.SIGINT)


def test_a_failed_swap_puts_the_previous_folder_back(tmp_path, files, monkeypatch):
    """The old folder is renamed away first: when the new one cannot be renamed into its
    place, the old one goes back, and no templates at all is never what is left."""
    write_version(tmp_path, files)
    before = {p.name: p.read_bytes() for p in (tmp_path / __version__).iterdir()}
    rename = os.rename

    def refuse_the_new_folder(source, destination):
        if Path(source).name.startswith(f".{__version__}.new-"):
            raise OSError(errno.EIO, "Input/output error")
        rename(source, destination)

    monkeypatch.setattr(build.os, "rename", refuse_the_new_folder)
    with pytest.raises(OSError, match="Input/output error"):
        write_version(tmp_path, {**files, "network.yaml": "new"})
    assert {p.name: p.read_bytes() for p in (tmp_path / __version__).iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == [__version__]


def test_a_ctrl_c_between_the_two_renames_waits_for_the_second(tmp_path, files, monkeypatch):
    """The old folder was renamed away, then a KeyboardInterrupt skipped the rename of the new
    one, and the cleanup deleted both: no templates at all (seen with a slow file system)."""

    write_version(tmp_path, files)
    renames = []
    real_rename = os.rename

    def rename_then_interrupt(source, destination):
        real_rename(source, destination)
        renames.append(Path(destination).name)
        if len(renames) == 1:  # the old folder is away: Ctrl-C now
            ctrl_c()

    monkeypatch.setattr(build.os, "rename", rename_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_version(tmp_path, {**files, "network.yaml": "new"})
    assert renames == [f".{__version__}.old-{os.getpid()}", __version__]  # both, then it stopped
    assert (tmp_path / __version__ / "network.yaml").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == [__version__]


def test_what_a_killed_build_left_beside_the_folder_is_cleared(tmp_path, files):
    """A build killed outright (SIGKILL) leaves its staging or retired folder; the next build
    removes those whose build is gone, and not one a build running now may hold."""
    dead = tmp_path / f".{__version__}.old-{2**22 + 12345}"  # above any PID Linux hands out
    old_staging = tmp_path / f".{__version__}.new-abc12345"
    fresh_staging = tmp_path / f".{__version__}.new-xyz78901"
    for folder in (dead, old_staging, fresh_staging):
        folder.mkdir()
    an_hour_ago = time.time() - 3700
    os.utime(old_staging, (an_hour_ago, an_hour_ago))
    write_version(tmp_path, files)
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh_staging.name, __version__]


def test_a_retired_folder_of_another_users_build_is_left_while_that_build_runs(
    tmp_path, files, monkeypatch
):
    """kill(pid, 0) on another user's process fails with EPERM: the process is alive, and its
    build may still need the folder it retired."""
    theirs = 2**22 + 777
    (tmp_path / f".{__version__}.old-{theirs}").mkdir()
    kill = os.kill

    def not_ours(pid: int, signal: int) -> None:
        if pid == theirs:
            raise PermissionError(1, "Operation not permitted")
        kill(pid, signal)

    monkeypatch.setattr(build.os, "kill", not_ours)
    write_version(tmp_path, files)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".{__version__}.old-{theirs}",
        __version__,
    ]


def test_the_manifest_counts_bytes_not_characters():
    text = "Description: café ☕\n"
    entry = json.loads(build.manifest({"a.yaml": text}))["files"]["a.yaml"]
    assert entry == {"bytes": 23, "sha256": hashlib.sha256(text.encode()).hexdigest()}


def test_compare_version_names_changed_missing_and_unexpected_files(tmp_path, files):
    write_version(tmp_path, files)
    folder = tmp_path / __version__
    (folder / "network.yaml").write_text("edited by hand")
    (folder / "extra.yaml").write_text("x")
    assert compare_version(tmp_path, files) == ["extra.yaml", "network.yaml"]
    (folder / MANIFEST).unlink()
    assert MANIFEST in compare_version(tmp_path, files)
    assert compare_version(tmp_path / "nowhere", files) == sorted(with_manifest(files))


def test_a_folder_where_a_file_belongs_is_named_as_differing_not_read(tmp_path, files):
    write_version(tmp_path, files)
    folder = tmp_path / __version__
    (folder / "network.yaml").unlink()
    (folder / "network.yaml").mkdir()
    (folder / "notes").mkdir()  # a folder of the user's: no file the build writes or removes
    assert compare_version(tmp_path, files) == ["network.yaml"]


def test_a_text_that_names_the_stamp_but_is_no_template_has_no_stamp(tmp_path):
    """write_version writes such a text as given."""
    text = "- TroposphereFargate\n"
    assert build.stamped_version(text) is None
    assert (write_version(tmp_path, {"a.yaml": text}, "1.0.0") / "a.yaml").read_text() == text


def _not_linted(files: Mapping[str, str], linter: object) -> tuple[list, list[str]]:
    return [], sorted(files)  # the lint is not at issue


def test_check_names_the_docs_that_are_missing_or_differ(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "lint_templates_cached", _not_linted)
    docs = tmp_path / "docs"
    report = build.build_release(tmp_path / "out", docs)
    missing, edited = sorted(name for name in report.docs if name.endswith(".md"))[:2]
    (docs / missing).unlink()
    (docs / edited).write_text("edited by hand\n")
    report = build.build_release(tmp_path / "out", docs, check=True)
    assert sorted(report.differing) == [str(docs / missing), str(docs / edited)]


def test_a_build_of_an_environment_writes_no_reference_docs(tmp_path, monkeypatch):
    """The reference docs describe the shipped product: the build of an environment (a spec
    of several services) writes none, even into a docs folder it is given."""
    from troposphere_fargate.release.spec import load_spec

    monkeypatch.setattr(build, "lint_templates_cached", _not_linted)
    (tmp_path / "app.yaml").write_text(
        "services:\n  web: {port: 8080, expose: internal}\n  api: {port: 8081, expose: internal}\n"
    )
    config = load_spec(tmp_path / "app.yaml")
    report = build.build_release(tmp_path / "out", tmp_path / "docs", config=config)
    assert report.docs == {} and list((tmp_path / "docs").glob("*")) == []


# --- Lint verdicts kept by content ---------------------------------------------------------------


@pytest.mark.lint
def test_an_unchanged_template_is_not_linted_again(tmp_path):
    templates = {"bad.yaml": broken("Nope"), "good.yaml": render.to_yaml({"Resources": {}})}
    first, linted = lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    assert linted == ["bad.yaml", "good.yaml"]
    again, linted = lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    assert linted == []
    assert again == first and any(f.rule == "E3002" for f in again)  # findings are kept too


@pytest.mark.lint
def test_a_changed_template_or_another_linter_means_linting_again(tmp_path, monkeypatch):
    templates = {"a.yaml": broken("Nope"), "b.yaml": broken("Nada")}
    lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    changed = {**templates, "b.yaml": broken("Niente")}
    findings, linted = lint.lint_templates_cached(changed, cache=tmp_path, jobs=1)
    assert linted == ["b.yaml"]
    assert any("Niente" in f.message for f in findings)
    monkeypatch.setattr(lint, "_linter_fingerprint", lambda: "cfn-lint 9.9.9 data 0")
    assert lint.lint_templates_cached(changed, cache=tmp_path, jobs=1)[1] == ["a.yaml", "b.yaml"]
    _, linted = lint.lint_templates_cached(changed, regions=["eu-west-1"], cache=tmp_path, jobs=1)
    assert linted == ["a.yaml", "b.yaml"]  # other regions asked for: another verdict


@pytest.mark.lint
def test_an_edit_of_the_lint_wrapper_means_linting_again(tmp_path, monkeypatch):
    """The wrapper's own checks (E0000 of what does not parse, the condition answers) are part
    of a verdict: a checkout whose lint.py changed, under the same version, lints again."""
    templates = {"a.yaml": broken("Nope")}
    cache = tmp_path / "cache"
    lint.lint_templates_cached(templates, cache=cache, jobs=1)
    source = Path(lint.__file__).read_text(encoding="utf-8")
    same, edited = tmp_path / "same.py", tmp_path / "edited.py"
    same.write_text(source, encoding="utf-8")
    edited.write_text(source + "# another check\n", encoding="utf-8")
    monkeypatch.setattr(lint, "__file__", str(same))
    assert lint.lint_templates_cached(templates, cache=cache, jobs=1)[1] == []
    monkeypatch.setattr(lint, "__file__", str(edited))
    assert lint.lint_templates_cached(templates, cache=cache, jobs=1)[1] == ["a.yaml"]


@pytest.mark.lint
def test_a_damaged_verdict_is_linted_again(tmp_path):
    templates = {"a.yaml": broken("Nope")}
    lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    for entry in (tmp_path / "lint").iterdir():
        entry.write_text("{not json")
    findings, linted = lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    assert linted == ["a.yaml"] and findings


def portfolio(regions_named: list[str] | None = None) -> str:
    """A Service Catalog portfolio, linted in ``regions_named`` (its metadata) or, naming none,
    in the default region: clean in eu-west-1, E3006 in mx-central-1 (no Service Catalog)."""
    template: dict = {
        "Resources": {
            "P": {
                "Type": "AWS::ServiceCatalog::Portfolio",
                "Properties": {"DisplayName": "p", "ProviderName": "p"},
            }
        }
    }
    if regions_named is not None:
        template["Metadata"] = {"cfn-lint": {"config": {"regions": regions_named}}}
    return render.to_yaml(template)


@pytest.mark.lint
def test_a_template_naming_no_region_is_linted_again_in_another_default_region(
    tmp_path, monkeypatch
):
    """cfn-lint lints a template whose metadata names no region in $AWS_REGION, else
    $AWS_DEFAULT_REGION, else us-east-1: a verdict in one says nothing of another."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    templates = {"t.yaml": portfolio()}
    assert lint.lint_templates_cached(templates, cache=tmp_path, jobs=1) == ([], ["t.yaml"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", "mx-central-1")
    findings, linted = lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    assert linted == ["t.yaml"] and [f.rule for f in findings] == ["E3006"]
    monkeypatch.setenv("AWS_REGION", "eu-west-1")  # taken before AWS_DEFAULT_REGION
    assert lint.lint_templates_cached(templates, cache=tmp_path, jobs=1) == ([], ["t.yaml"])
    assert lint.lint_templates_cached(templates, cache=tmp_path, jobs=1) == ([], [])


@pytest.mark.lint
def test_a_cached_lint_in_given_regions_finds_what_those_regions_find(tmp_path):
    templates = {"t.yaml": portfolio(["eu-west-1"])}
    findings, _ = lint.lint_templates_cached(
        templates, regions=["mx-central-1"], cache=tmp_path, jobs=1
    )
    assert [f.rule for f in findings] == ["E3006"]


@pytest.mark.lint
def test_templates_of_the_same_text_keep_verdicts_of_their_own(tmp_path):
    """Two files of one text: each one's findings name that file, linted or kept."""
    templates = {"a.yaml": broken("Nope"), "b.yaml": broken("Nope")}
    first, _ = lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    again, linted = lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    assert linted == [] and again == first
    assert sorted({f.filename for f in again}) == ["a.yaml", "b.yaml"]


@pytest.mark.lint
def test_a_verdict_of_the_wrong_shape_is_linted_again_and_counted_once(tmp_path):
    """A verdict damaged into other JSON: ``{}`` or ``""`` read as a clean verdict (the
    template's findings were lost and the build passed it), one whose second finding was
    damaged gave the first twice."""
    templates = {"a.yaml": broken("Nope")}
    first, _ = lint.lint_templates_cached(templates, cache=tmp_path, jobs=1)
    (entry,) = (tmp_path / "lint").iterdir()
    kept = json.loads(entry.read_text())
    for damaged in ({}, "", [[1]], [{}], None, [*kept, {"line": 1}]):
        entry.write_text(json.dumps(damaged))
        assert lint.lint_templates_cached(templates, cache=tmp_path, jobs=1) == (
            first,
            ["a.yaml"],
        ), damaged


@pytest.mark.lint
def test_another_cfn_lint_or_other_schemas_or_other_checks_mean_linting_again(
    tmp_path, monkeypatch
):
    """The verdict is cfn-lint's, with the schemas it reads: its own (bundled), or newer ones
    ``cfn-lint --update-specs`` keeps in $XDG_CACHE_HOME/aws/cfn-lint/schemas (cfnlint.helpers.
    get_cache_dir), and with the checks asked for."""
    import importlib.metadata
    import importlib.util
    from types import SimpleNamespace

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    templates = {"a.yaml": broken("Nope")}
    cache = tmp_path / "verdicts"

    def linted_again() -> bool:
        return lint.lint_templates_cached(templates, cache=cache, jobs=1)[1] == ["a.yaml"]

    assert linted_again() and not linted_again()
    downloaded = tmp_path / "xdg" / "aws" / "cfn-lint" / "schemas"
    downloaded.mkdir(parents=True)
    (downloaded / "version.json").write_text('{"schema_date": "2999-01-01"}')
    assert linted_again() and not linted_again()
    version = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata,
        "version",
        lambda name: "99.0.0" if name == "cfn-lint" else version(name),
    )
    assert linted_again() and not linted_again()
    bundled = tmp_path / "cfnlint" / "data" / "schemas"
    bundled.mkdir(parents=True)
    (bundled / "version.json").write_text('{"schema_date": "2998-01-01"}')
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *rest: (
            SimpleNamespace(submodule_search_locations=[str(bundled.parents[1])])
            if name == "cfnlint"
            else find_spec(name, *rest)
        ),
    )
    assert linted_again() and not linted_again()
    monkeypatch.setattr(lint, "INCLUDE_CHECKS", ("I", "W"))
    assert linted_again()


def test_lint_verdicts_are_kept_where_the_environment_says(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv(lint.CACHE_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert lint.default_cache_dir() == tmp_path / "home" / ".cache" / "troposphere-fargate"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert lint.default_cache_dir() == tmp_path / "xdg" / "troposphere-fargate"
    monkeypatch.setenv(lint.CACHE_ENV, str(tmp_path / "mine"))
    assert lint.default_cache_dir() == tmp_path / "mine"


@pytest.mark.lint
def test_the_build_says_which_templates_it_did_not_lint_again(tmp_path, monkeypatch, capsys):
    from troposphere_fargate import cli

    monkeypatch.setenv(lint.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(build, "render_templates", small_templates(build.render_templates))
    arguments = ["build", "--output", str(tmp_path / "t")]
    assert cli.main(arguments) == 0
    assert "unchanged since their last lint" not in capsys.readouterr().out
    assert cli.main(arguments) == 0
    assert f"; {len(LAYERS)} unchanged since their last lint" in capsys.readouterr().out
    assert cli.main([*arguments, "--no-lint-cache"]) == 0
    assert "unchanged since their last lint" not in capsys.readouterr().out


@pytest.mark.lint
def test_build_templates_writes_nothing_cfn_lint_finds_fault_with_cache_or_not(
    tmp_path, monkeypatch
):
    """The library's build: findings are a LintFailed with nothing written, and
    ``lint_cache=False`` neither reads nor keeps a verdict."""
    monkeypatch.setenv(lint.CACHE_ENV, str(tmp_path / "cache"))
    small = small_templates(build.render_templates)
    monkeypatch.setattr(build, "render_templates", misspelt_dns_support(small))
    says = r"finding\(s\); nothing written:\nnetwork\.yaml:\d+:\d+: E3002 .*EnableDnsSuport"
    with pytest.raises(build.LintFailed, match=says):
        build.build_templates(output=tmp_path / "out", lint_cache=False)
    assert not (tmp_path / "cache").exists()
    with pytest.raises(build.LintFailed, match=says):
        build.build_templates(output=tmp_path / "out")
    assert len(list((tmp_path / "cache" / "lint").glob("*.json"))) == len(LAYERS)
    assert not (tmp_path / "out").exists()


def test_a_missing_sat_solver_is_looked_for_once_not_on_every_condition(monkeypatch):
    # sympy (cfn-lint's condition reasoning) imports the optional pycosat on every
    # satisfiability check; without it each check searched all of sys.path.
    import importlib.util
    import sys

    monkeypatch.delitem(sys.modules, "pycosat", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    lint_shortcuts._remember_the_missing_sat_solver()
    assert sys.modules["pycosat"] is None
    with pytest.raises(ImportError):
        import pycosat  # noqa: F401
    from sympy import symbols
    from sympy.logic.inference import satisfiable

    a, b = symbols("a b")
    assert satisfiable(a & ~b) == {a: True, b: False}  # sympy still answers, with dpll2


def test_an_installed_sat_solver_is_left_alone(monkeypatch):
    import importlib.util
    import sys

    monkeypatch.delitem(sys.modules, "pycosat", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object())
    lint_shortcuts._remember_the_missing_sat_solver()
    assert "pycosat" not in sys.modules


def test_the_library_takes_str_paths_and_refuses_names_that_leave_the_version_folder(tmp_path):
    from troposphere_fargate.cfn.dry_run import dry_run
    from troposphere_fargate.cfn.yaml import read_template
    from troposphere_fargate.release.build import BuildError, write_version
    from troposphere_fargate.release.spec import load_spec

    shipped = REPO / "templates" / __version__
    assert read_template(str(shipped / "bucket.yaml"))["Resources"]
    assert dry_run(str(shipped / "bucket.yaml"), {}).template == "bucket.yaml"
    (tmp_path / "app.yaml").write_text("services:\n  web: {port: 8080}\n")
    assert load_spec(str(tmp_path / "app.yaml")).service.container_name == "web"
    assert write_version(str(tmp_path / "out"), {"a.yaml": "x: 1\n"}, "1.0.0").is_dir()
    for version, files, says in (
        ("", {"a.yaml": ""}, "version '' is not a folder name"),
        ("..", {"a.yaml": ""}, "version '..' is not a folder name"),
        ("../../evil", {"a.yaml": ""}, "version '../../evil' is not a folder name"),
        (
            "1.0.1",
            {"../escape.yaml": ""},
            "not plain file names (no folders, no leading dot): ../escape.yaml",
        ),
    ):
        with pytest.raises(BuildError, match=re.escape(says)):
            write_version(tmp_path / "out", files, version)
    (tmp_path / "afile").write_text("mine")
    with pytest.raises(BuildError, match="is a file, not a folder"):
        write_version(tmp_path / "afile" / "sub", {"a.yaml": ""}, "1.0.0")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["1.0.0"]


def test_an_empty_folder_name_is_refused_not_taken_as_the_current_directory(
    tmp_path, files, monkeypatch
):
    """An audit: ``write_version("", files)`` and ``build_templates(output="")`` wrote into the
    current directory (``Path("")`` is ``.``), as an unset variable would make them."""
    from troposphere_fargate import build_templates

    monkeypatch.chdir(tmp_path)
    for call, where in (
        (lambda: write_version("", files), "write_version(root)"),
        (lambda: build_templates(output=""), "build_templates(output)"),
    ):
        with pytest.raises(build.BuildError) as refused:
            call()
        assert str(refused.value) == (
            f"{where}: an empty path names no folder (pathlib reads it as the current "
            "directory): give '.' to write there"
        )
    assert not list(tmp_path.iterdir())
    assert write_version(".", files) == Path(__version__)  # said so, it writes there


def test_templates_stamped_for_another_version_are_not_written_as_this_one(tmp_path):
    """A library trial: ``write_version(folder, generate(config), "1.0.0")`` wrote 0.4.0's
    templates as 1.0.0/, whose root nested ``.../0.4.0/network.yaml`` once published; and a
    ``manifest.json`` among the files was silently replaced by the written one."""
    from troposphere_fargate import NetworkConfig, ProductConfig, generate

    files = generate(ProductConfig(network=NetworkConfig(max_azs=2)))
    with pytest.raises(build.BuildError) as refused:
        write_version(tmp_path, files, "1.0.0")
    assert str(refused.value) == (
        "write_version(files): stamped for another version than '1.0.0': "
        + ", ".join(f"{name} ({__version__})" for name in sorted(files))
        + "; generate(config, version='1.0.0') renders them for it"
    )
    with pytest.raises(build.BuildError, match=r"manifest\.json is the manifest write_version"):
        write_version(tmp_path, {"a.yaml": "x: 1\n", "manifest.json": "{}"}, "1.0.0")
    assert not list(tmp_path.iterdir())
    rendered = generate(ProductConfig(network=NetworkConfig(max_azs=2)), "1.0.0")
    root = (write_version(tmp_path, rendered, "1.0.0") / "root.yaml").read_text()
    assert "}1.0.0/network.yaml" in root and f"}}{__version__}/network.yaml" not in root


@pytest.mark.parametrize(
    "description",
    ["a summary on one line", "a summary\non two lines", "a summary: with a colon"],
)
def test_the_stamp_is_read_from_the_metadata_whatever_the_description(tmp_path, description):
    """The version was read off ``Description: troposphere_fargate X, ...`` with a pattern of
    its own: a description of several lines is written ``Description: |-``, and a template
    stamped for another version was written as this one, without a word."""
    from troposphere_fargate.layers.blocks import STAMP_KEY

    template = render.from_yaml((COMMITTED / __version__ / "network.yaml").read_text())
    template["Description"] = f"troposphere_fargate 0.3.0, {description}"
    text = render.to_yaml(template)
    stamped = rf"another version than '1\.0\.0': network\.yaml \({re.escape(__version__)}\)"
    with pytest.raises(build.BuildError, match=stamped):
        write_version(tmp_path, {"network.yaml": text}, "1.0.0")
    assert build.stamped_version(text) == __version__
    # The stamp after other metadata, in a text laid out otherwise, or none at all.
    template["Metadata"] = {"A": 1, STAMP_KEY: {"Layer": "x", "Version": "1.10"}, "Z": [1]}
    assert build.stamped_version(render.to_yaml(template)) == "1.10"
    assert build.stamped_version(json.dumps(template)) == "1.10"
    assert build.stamped_version("Resources: {}\n") is None
    assert not list(tmp_path.iterdir())


def test_a_folder_that_cannot_be_written_is_named_not_the_staging_folder(
    tmp_path, files, monkeypatch
):
    """A read-only output said ".0.4.0.new-69ucrebb: Read-only file system"."""

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(build, "_new_staging", read_only)
    with pytest.raises(build.BuildError) as refused:
        write_version(tmp_path / "out", files)
    assert str(refused.value) == f"cannot write into {tmp_path / 'out'}: Read-only file system"


def test_a_link_to_nothing_as_the_output_is_named_with_where_it_points(tmp_path, files):
    """It said "File exists"."""
    (tmp_path / "out").symlink_to(tmp_path / "nowhere")
    with pytest.raises(build.BuildError) as refused:
        write_version(tmp_path / "out", files)
    assert str(refused.value) == (
        f"cannot write into {tmp_path / 'out'}: it links to {tmp_path / 'nowhere'}, which is "
        "not there"
    )


def test_a_version_folder_that_is_a_link_is_refused_not_replaced(tmp_path, files):
    """The link was swapped out for a real folder and kept as a hidden .old-<pid> link, and
    the folder it pointed at was never updated."""
    (tmp_path / "real").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / __version__).symlink_to(tmp_path / "real")
    with pytest.raises(build.BuildError, match="it is a link"):
        write_version(tmp_path / "out", files)
    assert [p.name for p in (tmp_path / "out").iterdir()] == [__version__]
    assert (tmp_path / "out" / __version__).is_symlink()


def test_an_interrupt_raised_as_the_signals_are_held_leaves_them_unheld(monkeypatch):
    """Python runs a pending signal's handler when pthread_sigmask returns: a KeyboardInterrupt
    raised by the call that holds the signals back escaped before the restoring ``finally``
    was in force, and SIGINT, SIGTERM and SIGHUP stayed blocked for good (seen under a storm
    of SIGINTs)."""
    import signal

    real = signal.pthread_sigmask

    def interrupted_while_holding(how, mask):
        previous = real(how, mask)
        if how == signal.SIG_BLOCK and mask:
            raise KeyboardInterrupt
        return previous

    monkeypatch.setattr(signal, "pthread_sigmask", interrupted_while_holding)
    with pytest.raises(KeyboardInterrupt), build.deferred_signals():
        pass  # never reached
    monkeypatch.setattr(signal, "pthread_sigmask", real)
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


def test_an_interrupt_during_a_swap_is_delivered_after_it_and_says_so(monkeypatch):

    monkeypatch.setattr(build, "_held_over", False)
    with pytest.raises(KeyboardInterrupt), build.deferred_signals():
        ctrl_c()
        swapped = True  # reached: the interrupt waited
    assert swapped and build.interrupted_after_writing()
    with build.deferred_signals():  # a later swap that nothing interrupts
        pass
    assert build.interrupted_after_writing()  # the files written then are still the new ones


def test_only_a_killed_builds_own_leftovers_are_removed(tmp_path, files):
    """A user's .0.4.0.old-backup was removed, and a retired folder of a build still running
    was removed once an hour old (a rename keeps the folder's time)."""
    gone_pid = 2**22 + 12345  # above any PID Linux hands out
    kept = [
        f".{__version__}.old-backup",  # a user's
        f".{__version__}.new",
        f".{__version__}.new-mine",
        f".{__version__}.old-{os.getppid()}",  # a process that is alive, however old
    ]
    removed = [f".{__version__}.old-{gone_pid}", f".{__version__}.new-abcd1234"]
    an_hour_ago = time.time() - 3700
    for name in kept + removed:
        (tmp_path / name).mkdir()
        os.utime(tmp_path / name, (an_hour_ago, an_hour_ago))
    write_version(tmp_path, files)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, __version__])


def test_docs_staged_for_a_build_that_cannot_be_written_are_removed(tmp_path, monkeypatch):
    """The docs are staged beside theirs before the templates are written; a template write
    that failed left ten .<name>.new files in docs/."""

    def refuse(*args, **kwargs):
        raise build.BuildError("cannot write")

    monkeypatch.setattr(build, "write_version", refuse)
    monkeypatch.setattr(build, "lint_templates_cached", _not_linted)
    docs = tmp_path / "docs"
    with pytest.raises(build.BuildError, match="cannot write"):
        build.build_release(tmp_path / "out", docs)
    assert [p.name for p in docs.iterdir() if p.name.startswith(".")] == []


def test_two_builds_staging_the_same_docs_at_once_each_swap_in_their_own(tmp_path):
    """Both staged a doc as .<name>.new: the second build's write went into the file the first
    had staged, the first renamed it in (while the second still wrote it: a doc cut short), and
    the second failed with ".parameters.md.new: No such file or directory" (two `build` runs
    at once)."""
    from troposphere_fargate.release.reference import commit_docs, stage_docs

    docs = tmp_path / "docs"
    first, _ = stage_docs(docs, {"a.md": "first\n"}, [])
    second, _ = stage_docs(docs, {"a.md": "second\n"}, [])
    commit_docs(first)
    assert (docs / "a.md").read_text() == "first\n"
    commit_docs(second)
    assert [p.name for p in docs.iterdir()] == ["a.md"]
    assert (docs / "a.md").read_text() == "second\n"


def test_a_build_whose_folder_another_build_swapped_in_meanwhile_swaps_its_own_in(
    tmp_path, files, monkeypatch
):
    """Two builds at once: the other swapped its folder in between this one's two renames,
    and this one failed with ".0.4.0.new-9yvew208: Directory not empty"."""
    write_version(tmp_path, files)
    real_rename = os.rename
    others = [tmp_path / "other"]

    def the_other_build_first(source, destination):
        if Path(destination).name == __version__ and others:
            other = others.pop()  # its whole folder, swapped in with one rename
            other.mkdir()
            (other / "network.yaml").write_text("the other build's")
            real_rename(other, destination)
        real_rename(source, destination)

    monkeypatch.setattr(build.os, "rename", the_other_build_first)
    write_version(tmp_path, {**files, "network.yaml": "this build's"})
    assert [p.name for p in tmp_path.iterdir()] == [__version__]
    assert (tmp_path / __version__ / "network.yaml").read_text() == "this build's"
    assert compare_version(tmp_path, {**files, "network.yaml": "this build's"}) == []


def test_a_build_whose_folder_another_build_moved_away_meanwhile_swaps_its_own_in(
    tmp_path, files, monkeypatch
):
    """Two builds at once, the other way round: this build saw the version folder, then the
    other renamed it away (the first of its two renames) before this one could, and this one
    failed with "No such file or directory" naming the version folder."""
    write_version(tmp_path, files)
    real_rename = os.rename
    others = [tmp_path / ".0.4.0.old-4194300"]

    def the_other_build_first(source, destination):
        if Path(source).name == __version__ and others:
            real_rename(source, others.pop())  # the other build retires the folder first
        real_rename(source, destination)

    monkeypatch.setattr(build.os, "rename", the_other_build_first)
    write_version(tmp_path, {**files, "network.yaml": "this build's"})
    assert (tmp_path / __version__ / "network.yaml").read_text() == "this build's"


def test_removing_a_staging_or_retired_name_that_is_a_link_changes_nothing_it_points_at(
    tmp_path, files
):
    """A link where this build's retired folder goes (.<version>.old-<pid>): rmtree refuses a
    link, and the build, removing it, gave what it points at, outside the output folder, the link's
    own mode: 0777, writable by anyone."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    elsewhere.chmod(0o700)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f".{__version__}.old-{os.getpid()}").symlink_to(elsewhere)
    write_version(tmp_path / "out", files)
    assert elsewhere.stat().st_mode & 0o777 == 0o700
    build.remove_tree(tmp_path / "out" / f".{__version__}.old-{os.getpid()}")
    assert elsewhere.stat().st_mode & 0o777 == 0o700


def test_docs_a_killed_build_staged_are_removed_once_it_is_gone(tmp_path):
    from troposphere_fargate.release.reference import commit_docs, stage_docs

    docs = tmp_path / "docs"
    docs.mkdir()
    gone, alive = 2**22 + 12345, os.getppid()  # above any PID Linux hands out; pytest's parent
    kept = [f".a.md.{alive}-0123abcd.new", ".a.md.new-backup", "a.md"]
    for name in [*kept, f".a.md.{gone}-0123abcd.new", f".b.svg.{gone}-89abcdef.new"]:
        (docs / name).write_text("left")
    commit_docs(stage_docs(docs, {"a.md": "new\n"}, [])[0])
    assert sorted(p.name for p in docs.iterdir()) == sorted(kept)
    assert (docs / "a.md").read_text() == "new\n"


def test_a_doc_that_is_a_link_stays_one_and_a_doc_keeps_its_permissions(tmp_path):
    """A doc was replaced by a new file of 0644 whatever it was, and a link to it by a file."""
    from troposphere_fargate.release.reference import commit_docs, stage_docs

    docs, elsewhere = tmp_path / "docs", tmp_path / "kept.md"
    docs.mkdir()
    elsewhere.write_text("old")
    (docs / "a.md").symlink_to(elsewhere)
    (docs / "b.md").write_text("old")
    (docs / "b.md").chmod(0o600)
    commit_docs(stage_docs(docs, {"a.md": "new a\n", "b.md": "new b\n"}, [])[0])
    assert (docs / "a.md").is_symlink() and elsewhere.read_text() == "new a\n"
    assert (docs / "b.md").stat().st_mode & 0o777 == 0o600
    assert (docs / "b.md").read_text() == "new b\n"


def test_a_doc_that_holds_its_bytes_already_is_not_written_again(tmp_path):
    """Every build staged, flushed to disk and renamed in every doc, changed or not: 45 to
    100 ms of fsync for fifteen files on this machine's disk, in a build of 0.4 s."""
    from troposphere_fargate.release.reference import commit_docs, stage_docs

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "same.md").write_text("same\n")
    (docs / "changed.md").write_text("old\n")
    before = {name: (docs / name).stat().st_ino for name in ("same.md", "changed.md")}
    staged, _ = stage_docs(docs, {"same.md": "same\n", "changed.md": "new\n", "new.md": "n\n"}, [])
    assert sorted(path.name for _, path in staged) == ["changed.md", "new.md"]
    commit_docs(staged)
    assert (docs / "same.md").stat().st_ino == before["same.md"]
    assert (docs / "changed.md").stat().st_ino != before["changed.md"]
    assert [(docs / n).read_text() for n in ("same.md", "changed.md", "new.md")] == [
        "same\n",
        "new\n",
        "n\n",
    ]


def test_the_version_folder_gets_what_the_umask_gives_as_its_files_do(tmp_path, files):
    """The version folder was 0755 whatever the umask: 077 kept its files from other users
    but let anyone list them, and 002 (a shared group's) kept the group from writing it."""
    for mask, folder_mode, file_mode in ((0o077, 0o700, 0o600), (0o002, 0o775, 0o664)):
        umask = os.umask(mask)
        try:
            folder = write_version(tmp_path / oct(mask), files)
        finally:
            os.umask(umask)
        assert folder.stat().st_mode & 0o777 == folder_mode
        assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {file_mode}


_FULL_DISK = """\
import resource, sys
from pathlib import Path
from troposphere_fargate.release import build, reference
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # writes past 4 KiB fail: EFBIG
root = Path(sys.argv[1])
try:
    build.write_version(root / "templates", {"a.yaml": "old\\n", "b.yaml": "x" * 8192})
except OSError as exc:
    print(exc.filename, exc.strerror)
try:
    reference.stage_docs(root / "docs", {"a.md": "x" * 8192}, [])
except OSError as exc:
    print(exc.filename, exc.strerror)
"""


def test_a_full_disk_names_the_file_it_could_not_write_and_leaves_nothing(tmp_path):
    """``ulimit -f`` (RLIMIT_FSIZE; a full disk fails the same way, on the write): the build
    said "error: File too large", naming no file. Python ignores SIGXFSZ, so the write fails
    with EFBIG instead of killing the process."""
    (tmp_path / "templates" / __version__).mkdir(parents=True)
    (tmp_path / "templates" / __version__ / "a.yaml").write_text("previous\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("previous\n")
    run = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert run.stdout.splitlines() == [
        f"{tmp_path / 'templates' / __version__ / 'b.yaml'} File too large",
        f"{tmp_path / 'docs' / 'a.md'} File too large",
    ]
    assert [p.name for p in (tmp_path / "templates").iterdir()] == [__version__]
    assert [p.name for p in (tmp_path / "templates" / __version__).iterdir()] == ["a.yaml"]
    assert (tmp_path / "templates" / __version__ / "a.yaml").read_text() == "previous\n"
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["a.md"]


_READ_ONLY_REBUILD = """\
import sys
from pathlib import Path
from troposphere_fargate.release import build
root = Path(sys.argv[1])
build.write_version(root, {"a.yaml": "new\\n"})
print(sorted(p.name for p in root.iterdir()))
"""


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_read_only_version_folder_is_replaced_without_a_retired_copy_left(tmp_path, files):
    """``chmod -R a-w templates/0.4.0``, then a build: the folder was swapped out, but the
    retired copy could not be emptied (its files cannot be unlinked from a read-only folder)
    and stayed beside the new one as .0.4.0.old-<pid>, for good. Root ignores permissions:
    then the build runs without the capabilities that let it (setpriv)."""
    import shutil

    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root ignores permissions and setpriv is not there to drop that")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]
    folder = write_version(tmp_path, {"a.yaml": "old\n", "b.yaml": "old\n"})
    for path in (*folder.iterdir(), folder):
        path.chmod(0o444 if path.is_file() else 0o555)
    run = subprocess.run(
        [*prefix, sys.executable, "-c", _READ_ONLY_REBUILD, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert run.stdout == f"[{__version__!r}]\n"
    assert (folder / "a.yaml").read_text() == "new\n"


def test_a_china_build_leaves_out_the_stackset_that_cannot_run_there():
    """StackSets offer no AWS Organizations trusted access in China (CloudFormation User Guide,
    StackSets prerequisites), so stackset.yaml runs nowhere in aws-cn: a build whose ARNs are
    China's wrote it with no region to lint it in."""
    from troposphere_fargate.layers import layers_for
    from troposphere_fargate.layers.application import Application, Secret
    from troposphere_fargate.layers.config import ProductConfig, ServiceConfig

    secret = Secret("TOKEN", "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:t-AbCdEf")
    china = ProductConfig(service=ServiceConfig(application=Application(secrets=(secret,))))
    built = [layer.filename for layer in layers_for(china)]
    assert "stackset.yaml" not in built and "root.yaml" in built and "catalog.yaml" in built
    assert "stackset.yaml" in [layer.filename for layer in layers_for(ProductConfig())]
    rendered = build.render_templates(china)
    assert all(from_claimed(t) for t in rendered.values())


def from_claimed(template: dict) -> list[str]:
    regions_claimed: list[str] = template["Metadata"]["cfn-lint"]["config"]["regions"]
    return regions_claimed


def test_the_build_summary_counts_the_regions_each_template_is_linted_in(
    tmp_path, capsys, monkeypatch
):
    """A spec whose ARNs are China's is linted in China's two regions; the summary said 38."""
    from troposphere_fargate import cli

    monkeypatch.setattr(build, "render_templates", small_templates(build.render_templates))
    spec = tmp_path / "app.yaml"
    spec.write_text(
        "services:\n  web:\n    secrets:\n      TOKEN: "
        "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:tok-AbCdEf\n"
    )
    assert cli.main(["build", "--spec", str(spec), "--output", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    summary = captured.err + captured.out
    assert "network.yaml 2, " in summary and "stackset.yaml" not in summary


_STOPPED_WHILE_WRITING = """\
import os, signal, sys
from troposphere_fargate import cli
from troposphere_fargate.release import build
build.lint_templates_cached = lambda files, linter: ([], sorted(files))  # the lint is not at issue
real = os.fsync
def fsync_then_stop(fd):  # the first file written: the docs are staged, the templates not yet
    real(fd)
    os.kill(os.getpid(), signal.SIGTERM)
os.fsync = fsync_then_stop
sys.argv = ["troposphere-fargate", "build", "-q", "--output", "t", "--docs", "d"]
cli.run()
"""


def _build_stopped_as_it_writes(folder: Path, script: str) -> subprocess.CompletedProcess[str]:
    """``script`` (:data:`_STOPPED_WHILE_WRITING` or a variant) run in ``folder``."""
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )


def test_a_build_stopped_by_sigterm_as_it_writes_removes_what_it_staged(tmp_path):
    """SIGTERM (what ``kill``, systemd and CI runners send) or SIGHUP ended a build where it
    stood: one that landed as the build wrote left the docs it had staged beside the docs,
    and its staging folder for an hour. It now stops the build as a Ctrl-C does, removing what
    was staged, and the build exits 143 (128 + 15, as a shell reports it)."""
    run = _build_stopped_as_it_writes(tmp_path, _STOPPED_WHILE_WRITING)
    assert run.returncode == 143, run.stderr
    assert run.stderr == "troposphere-fargate: stopped by SIGTERM\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]  # no templates folder at all
    assert [p.name for p in (tmp_path / "d").iterdir()] == []  # no doc staged and left


def test_a_build_stopped_by_sighup_whose_terminal_is_gone_still_stops_cleanly(tmp_path):
    """SIGHUP comes when the terminal hangs up: writing "stopped by SIGHUP" to it then fails
    (EIO), and that error escaped the command's own handling of the stop (a review)."""
    gone = (
        "class Gone:\n"
        "    def write(self, text): raise OSError(5, 'Input/output error')\n"
        "    def flush(self): raise OSError(5, 'Input/output error')\n"
    )
    script = gone + _STOPPED_WHILE_WRITING.replace(
        "    os.kill(os.getpid(), signal.SIGTERM)",
        "    sys.stderr = Gone()  # the terminal hangs up: SIGHUP, and no more output\n"
        "    os.kill(os.getpid(), signal.SIGHUP)",
    )
    assert "SIGHUP" in script
    run = _build_stopped_as_it_writes(tmp_path, script)
    assert run.returncode == 129, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]
    assert [p.name for p in (tmp_path / "d").iterdir()] == []


def test_a_sigterm_the_caller_ignores_stays_ignored():
    """``nohup`` and some supervisors start a command with SIGHUP or SIGTERM ignored: the
    build's own handling must not turn an ignored signal into a stop."""
    code = (
        "import signal\n"
        "from troposphere_fargate import cli\n"
        "signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
        "cli._stop_on_termination()\n"
        "print(signal.getsignal(signal.SIGHUP) == signal.SIG_IGN,"
        " signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert run.stdout == "True True\n"
