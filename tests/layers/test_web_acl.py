"""WebAclArn: an AWS WAF web ACL in front of a service's own application load balancer.

The environment had one (``environment.yaml``'s WebAclArn); a service on its own, and the root
and StackSet that nest it, had none, so a team that puts WAF in front of every public load
balancer (checkov's CKV2_AWS_28, Security Hub's WAF.* controls) could not use them. AWS WAF
associates a regional web ACL with "an Application Load Balancer (ALB), an Amazon API Gateway
REST API, ..." (AWS WAF API Reference, AssociateWebACL), not a network load balancer, and "the
web ACL must be in the same region as your resource" (AWS WAF Developer Guide, "Associating or
disassociating a web ACL with an AWS resource"): the rule WebAclNeedsAnApplicationLoadBalancer
refuses the first before anything is created, and ``validate`` the second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import SERVICE_REQUIRED, WEB_ACL, built
from troposphere_fargate.cfn.cost import estimate
from troposphere_fargate.cfn.dry_run import DryRunFailed, describe, dry_run, footprint
from troposphere_fargate.cfn.evaluate import RuleError, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.config import ServiceConfig
from troposphere_fargate.layers.errors import ConfigError
from troposphere_fargate.layers.service import service_template
from troposphere_fargate.release.spec import SpecError, parse_spec

SHIPPED = Path(__file__).resolve().parents[2] / "templates" / "0.4.0"
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"
LAUNCH = {"ContainerImage": IMAGE, "TemplateBucketName": "my-templates"}
WAF_NOT_COUNTED = "AWS WAF requests (its web ACL and rules are priced with the ACL)"


@pytest.fixture(scope="module")
def service() -> dict[str, Any]:
    return service_template().to_dict()


def test_a_web_acl_is_associated_with_the_load_balancer_only_when_given(service):
    assert s.WEB_ACL_ASSOCIATION not in deployed(service, SERVICE_REQUIRED).resources
    stack = deployed(service, {**SERVICE_REQUIRED, s.WEB_ACL_ARN: WEB_ACL})
    assert stack.resources[s.WEB_ACL_ASSOCIATION]["Properties"] == {
        "ResourceArn": {"Ref": s.LOAD_BALANCER},  # an ELBv2 load balancer's Ref is its ARN
        "WebACLArn": {"Ref": s.WEB_ACL_ARN},
    }
    assert service["Resources"][s.WEB_ACL_ASSOCIATION]["Condition"] == s.HAS_WEB_ACL


def test_a_network_load_balancer_is_refused_a_web_acl_by_a_rule(service):
    values = {**SERVICE_REQUIRED, s.WEB_ACL_ARN: WEB_ACL, s.LOAD_BALANCER_TYPE: "network"}
    with pytest.raises(RuleError, match=s.WEB_ACL_NEEDS_AN_APPLICATION_LOAD_BALANCER) as refused:
        deployed(service, values)
    assert "AWS WAF protects application load balancers only" in str(refused.value)
    # The condition agrees, so no rule-less copy of the template could associate one either.
    assert service["Conditions"][s.HAS_WEB_ACL] == {
        "Fn::And": [
            {"Condition": s.STANDALONE},
            {"Condition": s.IS_APPLICATION},
            {"Fn::Not": [{"Fn::Equals": [{"Ref": s.WEB_ACL_ARN}, ""]}]},
        ]
    }


def test_the_parameter_refuses_what_is_not_a_regional_web_acl(service):
    from troposphere_fargate.cfn.evaluate import ParameterError

    global_acl = WEB_ACL.replace(":regional/", ":global/")  # CloudFront's scope
    with pytest.raises(ParameterError, match="must be empty or a regional web ACL ARN"):
        deployed(service, {**SERVICE_REQUIRED, s.WEB_ACL_ARN: global_acl})
    # An id in capitals, as AWS's examples write their placeholder (a1b2c3d4-...-EXAMPLE11111):
    # WAF's ids are lowercase UUIDs (AWS::WAFv2::WebACL's EntityId pattern), and the messages
    # say so (a library trial was refused without knowing why).
    upper = WEB_ACL[:-36] + WEB_ACL[-36:].upper()
    assert upper != WEB_ACL
    with pytest.raises(ParameterError, match="its id a lowercase UUID"):
        deployed(service, {**SERVICE_REQUIRED, s.WEB_ACL_ARN: upper})
    with pytest.raises(ConfigError, match="its id a lowercase UUID"):
        ServiceConfig(default_web_acl_arn=upper)


def test_the_root_passes_it_to_the_service():
    assert "WebAclArn: !Ref WebAclArn" in (SHIPPED / "root.yaml").read_text()
    # The StackSet offers none (tests/layers/test_stackset.py): a web ACL is one account's.
    assert "- ParameterKey: WebAclArn\n        ParameterValue: ''" in (
        (SHIPPED / "stackset.yaml").read_text()
    )
    found = footprint(dry_run(SHIPPED / "root.yaml", {**LAUNCH, "WebAclArn": WEB_ACL}, "eu-west-1"))
    assert found.web_acls == 1
    assert "AWS WAF: a web ACL in front of 1 load balancer" in describe(found)
    assert WAF_NOT_COUNTED in estimate(found).not_counted
    plain = footprint(dry_run(SHIPPED / "root.yaml", LAUNCH, "eu-west-1"))
    assert plain.web_acls == 0
    assert WAF_NOT_COUNTED not in estimate(plain).not_counted


def test_a_web_acl_of_another_region_is_refused_by_validate():
    with pytest.raises(DryRunFailed) as refused:
        dry_run(SHIPPED / "root.yaml", {**LAUNCH, "WebAclArn": WEB_ACL}, "us-east-1")
    assert refused.value.problems == [
        "root.yaml > ServiceStack (service.yaml): parameter WebAclArn: the web ACL is in "
        "eu-west-1, not us-east-1, the stack's region: AWS WAF associates a web ACL with a load "
        "balancer of its own region only (create one in us-east-1)"
    ]


def test_the_config_sets_its_default_and_refuses_what_cannot_deploy():
    template = service_template(ServiceConfig(default_web_acl_arn=WEB_ACL)).to_dict()
    assert template["Parameters"][s.WEB_ACL_ARN]["Default"] == WEB_ACL
    for wrong, says in (
        ({"default_web_acl_arn": "arn:aws:wafv2:x"}, "must be a regional AWS WAF web ACL ARN"),
        (
            {"default_web_acl_arn": WEB_ACL, "default_load_balancer_type": "network"},
            "AWS WAF protects application load balancers only: leave it empty with "
            "default_load_balancer_type 'network'",
        ),
        (
            {"default_web_acl_arn": WEB_ACL, "expose": "internal"},
            "a service of an environment shares the environment's load balancer: set this on "
            "the environment",
        ),
    ):
        with pytest.raises(ConfigError, match="default_web_acl_arn") as refused:
            ServiceConfig(**wrong)  # type: ignore[arg-type]
        assert says in str(refused.value)


def test_a_spec_gives_its_service_a_web_acl_and_the_environment_s_services_none(tmp_path):
    config = parse_spec(f'services:\n  web:\n    web_acl_arn: "{WEB_ACL}"\n', "app.yaml")
    assert config.service.default_web_acl_arn == WEB_ACL
    folder = built(tmp_path, f'services:\n  web:\n    web_acl_arn: "{WEB_ACL}"\n')
    found = footprint(dry_run(folder / "root.yaml", LAUNCH, "eu-west-1"))
    assert found.web_acls == 1  # the spec's default, taken when nothing is given
    with pytest.raises(SpecError, match=r"services\.web\.web_acl_arn") as refused:
        parse_spec(
            "services:\n  web:\n    expose: public\n    routing: {path: /*, priority: 1}\n"
            f'    web_acl_arn: "{WEB_ACL}"\n',
            "app.yaml",
        )
    assert "a service of an environment shares the environment's load balancer" in str(
        refused.value
    )


def test_the_catalog_s_launch_role_may_associate_only_the_account_s_web_acls():
    from troposphere_fargate.layers.catalog import catalog_template

    policy = catalog_template("0.4.0").to_dict()["Resources"]["LaunchRole"]["Properties"]
    (statement,) = [
        st
        for document in policy["Policies"]
        for st in document["PolicyDocument"]["Statement"]
        if st.get("Sid") == "AssociateWebAclsWithTheProductsLoadBalancers"
    ]
    assert statement["Action"] == [
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:GetWebACL",
    ]
    assert statement["Resource"] == [
        {
            "Fn::Sub": "arn:${AWS::Partition}:wafv2:${AWS::Region}:${AWS::AccountId}:"
            "regional/webacl/*"
        },
        {
            "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:"
            "${AWS::AccountId}:loadbalancer/app/*"
        },
    ]


def test_a_spec_whose_web_acl_and_alarm_topic_are_of_two_regions_is_warned_of():
    """A review: each default is a good ARN, and a stack takes both of its own region only
    (validate refuses either of another): one fails wherever the stack is deployed."""
    topic = "arn:aws:sns:us-east-1:123456789012:ops"
    config = parse_spec(
        f'services:\n  web:\n    web_acl_arn: "{WEB_ACL}"\n    alarm_topic_arn: {topic}\n',
        "app.yaml",
    )
    assert config.warnings == (
        "services.web.alarm_topic_arn: is in us-east-1, and services.web.web_acl_arn in "
        "eu-west-1: a stack takes a web ACL and an alarm topic of its own region only, so one "
        "of them fails wherever it is deployed",
    )
    same = topic.replace("us-east-1", "eu-west-1")
    both = f'services:\n  web:\n    web_acl_arn: "{WEB_ACL}"\n    alarm_topic_arn: {same}\n'
    assert parse_spec(both, "app.yaml").warnings == ()
