"""The real-AWS test kit: ``.taskcat.yml`` is valid for taskcat (its own JSON Schema, from the
pinned taskcat wheel) and for our root template (every value passes the template's parameter
constraints and rules in every region it names), and it covers the modes that matter."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests import tools
from troposphere_fargate import __version__
from troposphere_fargate.cfn.evaluate import deployed
from troposphere_fargate.layers import network as n
from troposphere_fargate.layers import regions, root
from troposphere_fargate.layers import service as s
from troposphere_fargate.release.build import render_templates

REPO = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((REPO / ".taskcat.yml").read_text())


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """taskcat's own config schema (taskcat/cfg/config_schema.json in its wheel)."""
    with zipfile.ZipFile(tools.taskcat_wheel()) as wheel:
        return dict(json.loads(wheel.read("taskcat/cfg/config_schema.json")))


def test_the_config_is_valid_for_taskcat(schema):
    jsonschema.Draft6Validator(schema).validate(CONFIG)


def test_taskcats_schema_catches_a_misspelt_key(schema):
    broken = {**CONFIG, "tests": {"t": {"regoins": ["us-east-1"]}}}
    with pytest.raises(jsonschema.ValidationError, match="regoins"):
        jsonschema.Draft6Validator(schema).validate(broken)


def test_it_launches_this_versions_root_from_where_taskcat_uploads_it():
    project = CONFIG["project"]
    assert project["template"] == f"templates/{__version__}/{root.FILENAME}"
    assert project["s3_regional_buckets"] is True  # the root fetches from its own region
    parameters = project["parameters"]
    assert parameters[root.TEMPLATE_BUCKET_NAME] == "$[taskcat_autobucket]"
    # taskcat uploads the checkout under <project name>/ in its bucket.
    assert parameters[root.TEMPLATE_KEY_PREFIX] == f"{project['name']}/templates/"
    assert parameters[s.DELETION_PROTECTION] == "false"  # so that taskcat can delete the stack


def _value(value: str, region: str) -> str:
    """What taskcat puts in place of its pseudo parameters, for the constraint check."""
    account = "123456789012"
    suffix = ".cn" if region.startswith("cn-") else ""
    replacements = {
        "$[taskcat_autobucket]": f"tcat-troposphere-fargate-{region}-0a1b2c3d",
        "$[taskcat_genaz_3]": f"{region}a,{region}b,{region}c",
        "$[taskcat_genaz_2]": f"{region}a,{region}b",
    }
    if value.startswith("$[taskcat_ssm_"):
        return f"{account}.dkr.ecr.{region}.amazonaws.com{suffix}/shop/web:1.0.0"
    assert not value.startswith("$[") or value in replacements, value
    return replacements.get(value, value)


def cases() -> list[tuple[str, str]]:
    return [(name, region) for name, test in CONFIG["tests"].items() for region in test["regions"]]


@pytest.mark.parametrize(("test", "region"), cases())
def test_every_value_passes_the_root_templates_own_constraints(test, region):
    assert region in regions.CLAIMED_REGIONS
    merged = {**CONFIG["project"]["parameters"], **CONFIG["tests"][test].get("parameters", {})}
    values = {key: _value(str(value), region) for key, value in merged.items()}
    partition = (
        "aws-cn" if region.startswith("cn-") else "aws-us-gov" if "-gov-" in region else "aws"
    )
    stack = deployed(
        render_templates()[root.LAYER],
        values,
        {"AWS::Region": region, "AWS::Partition": partition},
    )
    assert stack.resources  # the template accepts them: nothing raised


def test_the_tests_cover_every_nat_mode_endpoints_both_load_balancers_and_each_partition():
    tests = [
        {**CONFIG["project"]["parameters"], **t.get("parameters", {})}
        for t in CONFIG["tests"].values()
    ]
    assert {t.get(n.NAT_GATEWAYS, "PerAz") for t in tests} == {"PerAz", "Single", "None"}
    assert any(t.get(n.VPC_ENDPOINTS) == "true" for t in tests)
    assert {t.get(s.LOAD_BALANCER_TYPE, "application") for t in tests} == {"application", "network"}
    assert any(n.AVAILABILITY_ZONES in t for t in tests)
    all_regions = {r for t in CONFIG["tests"].values() for r in t["regions"]}
    assert {"us-east-2", "cn-north-1", "us-gov-west-1"} <= all_regions
    for name, test in CONFIG["tests"].items():
        for region in test["regions"]:
            if region in regions.CHINA + regions.GOVCLOUD:  # another partition's credentials
                assert region in test.get("auth", {}), f"{name}: {region} needs a profile"
