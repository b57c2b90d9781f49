"""AWS Control Tower's proactive controls as a real account runs them: as hooks.

Proactive controls "are implemented as preCreate and preUpdate hook handlers" (AWS Control
Tower Controls Reference, "Proactive controls"): the hook judges each resource's properties as
CloudFormation is about to create them, parameter values filled in, conditions decided, other
resources' physical IDs known, and no template metadata can suppress its verdict. The static
check (`check`, tests/policy/test_policy.py) reads the template instead, and passes a rule that
cannot see into an ``Fn::If``: an empty ``ContainerUser`` passes CT.ECS.PR.3 there, and its
hook refuses the stack. So each shipped template is resolved here for its default values (and
the few values a template cannot do without), each resource handed to the Control Tower rules
in the hook's own form (``{Type: {resourceProperties: ...}}``, the form each rule's
``is_cfn_hook`` branch reads), and what a hook would refuse is held to what the template says:
a suppression with its reason, or one of HOOK_ONLY, each named in the README with the value
that meets it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests import tools
from tests.support import SERVICE_REQUIRED
from troposphere_fargate.cfn import guard as policy
from troposphere_fargate.cfn.evaluate import resolved
from troposphere_fargate.release.build import render_templates

REPO = Path(__file__).resolve().parents[2]
# What each template cannot do without (no default); everything else keeps its default.
NEEDED = {
    **SERVICE_REQUIRED,
    "TemplateBucketName": "my-templates",
    "PrincipalArn": "arn:aws:iam::123456789012:role/Admin",
    "OrganizationalUnitIds": "ou-ab12-cdef3456",
    "DeploymentRegions": "eu-west-1",
}
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
# What a hook refuses with the defaults that the template cannot suppress, with the parameter
# that meets it (README, "Policy and guardrails"): plain HTTP without a certificate (ELB.1), and
# a container that runs as its image's USER (ECS.20).
HOOK_ONLY = {
    ("service", "HttpListener", "alb_http_to_https_redirection_check"): "CertificateArn",
    ("service", "TaskDefinition", "ecs_task_definition_nonroot_user_check"): "ContainerUser",
    # instance.yaml holds the same service (what the StackSet deploys).
    ("instance", "HttpListener", "alb_http_to_https_redirection_check"): "CertificateArn",
    ("instance", "TaskDefinition", "ecs_task_definition_nonroot_user_check"): "ContainerUser",
}


@pytest.fixture(scope="module")
def guard() -> Path:
    return tools.cfn_guard()


def physical(node: Any) -> Any:
    """What a hook sees where the template refers to another resource: its physical ID (Ref)
    or an ARN (Fn::GetAtt), known once that resource exists; and a string for any function
    whose value only CloudFormation computes."""
    if isinstance(node, list):
        return [physical(item) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, value),) = node.items()
        if key == "Ref":
            return f"{str(value).lower()}-0123456789abcdef"
        if key == "Fn::GetAtt":
            return f"arn:aws:example:us-east-1:123456789012:{value[0]}/{value[1]}"
        if key.startswith("Fn::"):
            return "computed-by-cloudformation"
    return {key: physical(value) for key, value in node.items()}


def refusals(
    guard: Path, folder: Path, values: dict[str, str] | None = None
) -> set[tuple[str, str, str]]:
    """(template, resource, rule) for each Control Tower rule a hook would refuse, each shipped
    template resolved for ``values`` (NEEDED, then the defaults)."""
    where: dict[str, tuple[str, str]] = {}
    for template, body in render_templates().items():
        given = {k: v for k, v in {**NEEDED, **(values or {})}.items() if k in body["Parameters"]}
        for name, resource in resolved(body, given)["Resources"].items():
            path = folder / f"{template}-{name}.json"
            properties = physical(resource.get("Properties", {}))
            path.write_text(json.dumps({resource["Type"]: {"resourceProperties": properties}}))
            where[path.name] = (template, name)
    command = [str(guard), "validate", "--rules", str(policy.find_control_tower_rules())]
    for path in sorted(folder.iterdir()):
        command += ["--data", str(path)]
    # --structured: one document per data file, in half the time (troposphere_fargate.cfn.guard.
    # start_guard; tests/policy/test_policy.py checks it reports what the per-rule-file form does).
    command += ["--structured", "--show-summary", "none", "--output-format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode in (0, 19), result.stderr  # 19: some rule failed
    found = set()
    reports = policy._json_documents(result.stdout)
    for report in reports:
        for failure in report["not_compliant"]:
            found.add((*where[Path(report["name"]).name], failure["Rule"]["name"]))
    # every resource was judged, each in a document of its own
    assert sorted(Path(report["name"]).name for report in reports) == sorted(where)
    assert len(where) > 50
    return found


def suppressed() -> set[tuple[str, str, str]]:
    return {
        (template, name, rule)
        for template, body in render_templates().items()
        for name, resource in body["Resources"].items()
        for rule in ((resource.get("Metadata") or {}).get("guard") or {}).get("SuppressedRules", [])
    }


def test_with_the_defaults_a_hook_refuses_only_what_is_suppressed_or_named(guard, tmp_path):
    assert refusals(guard, tmp_path) - suppressed() == set(HOOK_ONLY)


def test_the_values_the_readme_names_meet_what_only_a_hook_refuses(guard, tmp_path):
    given = {"ContainerUser": "1000:1000", "CertificateArn": CERTIFICATE}
    assert set(HOOK_ONLY) == {key for key in HOOK_ONLY if HOOK_ONLY[key] in given}
    assert not (refusals(guard, tmp_path, given) & set(HOOK_ONLY))


def test_closing_port_80_adds_no_refusal(guard, tmp_path):
    """HttpsOnly (Security Hub ELB.18) with the values above: every resource left, in every
    shipped template, is one a hook accepts or a declared suppression."""
    given = {"ContainerUser": "1000:1000", "CertificateArn": CERTIFICATE, "HttpsOnly": "true"}
    assert refusals(guard, tmp_path, given) <= suppressed()


def test_the_readme_names_each_with_its_remedy():
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("Control Tower's proactive controls") :][:2500]
    for (_, _, rule), parameter in HOOK_ONLY.items():
        assert rule in section and parameter in section, rule
