"""HttpsOnly: port 80 closed, so that every listener terminates HTTPS or TLS.

Security Hub's ELB.18 ("Application and Network Load Balancer listeners should use secure
protocols to encrypt data in transit") is AWS Config's elbv2-listener-encryption-in-transit,
which "Checks if listeners for the load balancers are configured with HTTPS or TLS termination.
The rule is NON_COMPLIANT if listeners are not configured with HTTPS or TLS termination"
(AWS Config Developer Guide, elbv2-listener-encryption-in-transit; resource type
AWS::ElasticLoadBalancingV2::Listener). A listener on port 80 that only redirects to HTTPS is
still an HTTP listener to it, so the control is met only when port 80 is closed, which is what
HttpsOnly does, in the shipped service.yaml and environment.yaml, and in every template derived
from them (root.yaml, stackset.yaml, a spec's build).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import PUBLIC_IN_ENVIRONMENT, SERVICE_REQUIRED, compute, props, refs_in
from troposphere_fargate.cfn.evaluate import (
    Deployment,
    RuleError,
    deployed,
    parameter_values,
    rule_problems,
)
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.config import EnvironmentConfig, ServiceConfig
from troposphere_fargate.layers.environment import environment_template
from troposphere_fargate.layers.environment import names as e
from troposphere_fargate.layers.errors import ConfigError
from troposphere_fargate.layers.service import service_template

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
ENVIRONMENT_REQUIRED = {e.VPC_ID: "vpc-0a1b2c3d", e.PUBLIC_SUBNET_IDS: "subnet-01,subnet-02"}
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
INGRESS = "AWS::EC2::SecurityGroupIngress"
# What elbv2-listener-encryption-in-transit counts as HTTPS or TLS termination.
ENCRYPTED = {"HTTPS", "TLS"}


@pytest.fixture(scope="module")
def service() -> dict[str, Any]:
    return service_template().to_dict()


@pytest.fixture(scope="module")
def environment() -> dict[str, Any]:
    return environment_template().to_dict()


def listening(stack: Deployment) -> dict[int, str]:
    """Each listener's port and protocol (a port given by a parameter, resolved)."""
    return {
        int(compute(props(x)["Port"], stack.parameters)): props(x)["Protocol"]
        for x in stack.of_type(LISTENER).values()
    }


def admitted_ports(stack: Deployment, group: str) -> list[int]:
    """The ports the load balancer's group admits from AllowedIngressCidr."""
    rules = stack.of_type(INGRESS).values()
    return sorted(
        props(x)["FromPort"]
        for x in rules
        if props(x)["GroupId"] == {"Ref": group} and "CidrIp" in props(x)
    )


@pytest.mark.parametrize(
    ("kind", "https_only", "expected"),
    [
        ("application", "false", {80: "HTTP", 443: "HTTPS"}),  # 80 redirects (the default)
        ("application", "true", {443: "HTTPS"}),
        ("network", "false", {443: "TLS"}),  # a network load balancer cannot redirect
        ("network", "true", {443: "TLS"}),
    ],
)
def test_https_only_closes_port_80_of_a_load_balancer_with_a_certificate(
    service, kind, https_only, expected
):
    stack = deployed(
        service,
        {
            **SERVICE_REQUIRED,
            s.LOAD_BALANCER_TYPE: kind,
            s.CERTIFICATE_ARN: CERTIFICATE,
            s.HTTPS_ONLY: https_only,
        },
    )
    assert listening(stack) == expected
    # The security group admits exactly the ports that listen.
    assert admitted_ports(stack, s.LOAD_BALANCER_SECURITY_GROUP) == sorted(expected)


@pytest.mark.parametrize("strategy", ["ROLLING", "CANARY", "LINEAR", "BLUE_GREEN"])
def test_with_https_only_every_listener_terminates_tls_as_elb_18_requires(service, strategy):
    # The deployment strategies' test listener, too: it serves HTTPS with the certificate.
    values = {
        **SERVICE_REQUIRED,
        s.CERTIFICATE_ARN: CERTIFICATE,
        s.HTTPS_ONLY: "true",
        s.DEPLOYMENT_STRATEGY: strategy,
    }
    if strategy != "ROLLING":
        values[s.TEST_LISTENER_PORT] = "8443"
    stack = deployed(service, values)
    protocols = listening(stack)
    assert set(protocols.values()) <= ENCRYPTED, protocols
    assert 80 not in protocols
    # Nothing refers to the closed listener: its rules and the wait handle follow HTTPS.
    assert s.HTTP_LISTENER not in refs_in(stack.resources)
    assert s.HTTPS_LISTENER in refs_in(stack.resources)


def test_https_only_without_a_certificate_is_refused_with_the_templates_own_message(service):
    with pytest.raises(RuleError, match=s.HTTPS_ONLY_NEEDS_A_CERTIFICATE) as refused:
        deployed(service, {**SERVICE_REQUIRED, s.HTTPS_ONLY: "true"})
    assert "needs a CertificateArn" in str(refused.value)


def test_a_service_joining_an_environment_takes_the_environments_https_only(service):
    values = {**SERVICE_REQUIRED, **PUBLIC_IN_ENVIRONMENT}
    deployed(service, values)  # joins
    # Both rules fail, and validate prints both: no certificate, and not one's own to close.
    failed, unknown = rule_problems(
        service, parameter_values(service, {**values, s.HTTPS_ONLY: "true"})
    )
    assert unknown == []
    assert [line.split(":")[0] for line in failed] == [
        f"rule {s.HTTPS_ONLY_NEEDS_A_CERTIFICATE}",
        f"rule {s.JOINING_NEEDS_THE_ENVIRONMENT}",
    ]
    assert failed[1].endswith(
        "HttpsOnly false and StrictTransportSecurityMaxAge 0 (set the environment's HttpsOnly, "
        "WebAclArn and StrictTransportSecurityMaxAge)."
    )
    # The shipped root never joins one: its copy of the rule says nothing of environments.
    message = service["Rules"][s.HTTPS_ONLY_NEEDS_A_CERTIFICATE]["Assertions"][0]
    assert "environment" not in message["AssertDescription"]


def test_flipping_it_on_a_running_stack_removes_port_80_and_changes_nothing_else(service):
    """What an update from HttpsOnly false to true does, resource by resource (moto keeps a
    resource whose condition turns false on update, so the deploy tests cannot show it):
    HttpListener and its security group rule are deleted; every other resource is the same,
    so none is updated or replaced. The diff tool calls it breaking (tests/cfn/test_diff.py)."""
    values = {**SERVICE_REQUIRED, s.CERTIFICATE_ARN: CERTIFICATE}
    before = deployed(service, {**values, s.HTTPS_ONLY: "false"}).resources
    after = deployed(service, {**values, s.HTTPS_ONLY: "true"}).resources
    assert set(before) - set(after) == {s.HTTP_LISTENER, s.LOAD_BALANCER_HTTP_INGRESS}
    assert set(after) <= set(before)
    changed = {name for name in after if after[name] != before[name]}
    # The wait handle's metadata names the listeners that exist: a metadata update, which
    # interrupts nothing.
    assert changed == {s.LISTENERS_READY}
    assert after[s.LISTENERS_READY]["Metadata"][s.HTTP_LISTENER] == ""


def test_the_default_keeps_port_80_as_before(service):
    # Running stacks updated to this version keep their port 80 listener and its redirect.
    assert service["Parameters"][s.HTTPS_ONLY]["Default"] == "false"
    stack = deployed(service, {**SERVICE_REQUIRED, s.CERTIFICATE_ARN: CERTIFICATE})
    assert listening(stack) == {80: "HTTP", 443: "HTTPS"}
    plain = deployed(service, SERVICE_REQUIRED)
    assert listening(plain) == {80: "HTTP"}


@pytest.mark.parametrize(
    ("certificate", "https_only", "expected", "listener_arn"),
    [
        ({}, "false", {80: "HTTP"}, e.HTTP_LISTENER),
        ({e.CERTIFICATE_ARN: CERTIFICATE}, "false", {80: "HTTP", 443: "HTTPS"}, e.HTTPS_LISTENER),
        ({e.CERTIFICATE_ARN: CERTIFICATE}, "true", {443: "HTTPS"}, e.HTTPS_LISTENER),
        (
            {e.DOMAIN_NAME: "shop.example.com", e.HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ"},
            "true",
            {443: "HTTPS"},
            e.HTTPS_LISTENER,
        ),
    ],
)
def test_the_environments_https_only_closes_its_port_80(
    environment, certificate, https_only, expected, listener_arn
):
    stack = deployed(environment, {**ENVIRONMENT_REQUIRED, **certificate, e.HTTPS_ONLY: https_only})
    assert listening(stack) == expected
    assert admitted_ports(stack, e.LOAD_BALANCER_SECURITY_GROUP) == sorted(expected)
    # The services join the listener that is left.
    assert stack.outputs[e.OUTPUT_LISTENER_ARN]["Value"] == {"Ref": listener_arn}


def test_the_environments_https_only_needs_a_certificate(environment):
    with pytest.raises(RuleError, match=e.HTTPS_ONLY_NEEDS_A_CERTIFICATE) as refused:
        deployed(environment, {**ENVIRONMENT_REQUIRED, e.HTTPS_ONLY: "true"})
    assert "give DomainName (and HostedZoneId) or CertificateArn" in str(refused.value)


def test_the_config_sets_the_default_and_checks_its_type():
    assert (
        service_template(ServiceConfig(default_https_only=True)).to_dict()["Parameters"][
            s.HTTPS_ONLY
        ]["Default"]
        == "true"
    )
    assert (
        environment_template(EnvironmentConfig(default_https_only=True)).to_dict()["Parameters"][
            e.HTTPS_ONLY
        ]["Default"]
        == "true"
    )
    with pytest.raises(ConfigError, match="default_https_only"):
        ServiceConfig(default_https_only="true")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="default_https_only"):
        EnvironmentConfig(default_https_only=1)  # type: ignore[arg-type]
    # In an environment, the load balancer is the environment's: a service cannot set it.
    with pytest.raises(ConfigError, match="default_https_only"):
        ServiceConfig(expose="internal", default_https_only=True)


def test_a_spec_sets_it_for_its_own_load_balancer_or_the_environments():
    from troposphere_fargate.release.build import render_templates
    from troposphere_fargate.release.spec import SpecError, parse_spec

    alone = render_templates(
        parse_spec("services:\n  web:\n    port: 8080\n    https_only: true\n", "app.yaml")
    )
    assert alone["service"]["Parameters"][s.HTTPS_ONLY]["Default"] == "true"
    # The root refuses the default without a certificate before any nested stack is created.
    root = alone["root"]
    assert root["Parameters"][s.HTTPS_ONLY]["Default"] == "true"
    required = {
        "TemplateBucketName": "my-templates",
        s.CONTAINER_IMAGE: SERVICE_REQUIRED[s.CONTAINER_IMAGE],
    }
    with pytest.raises(RuleError, match=s.HTTPS_ONLY_NEEDS_A_CERTIFICATE):
        deployed(root, required)
    deployed(root, {**required, s.CERTIFICATE_ARN: CERTIFICATE})

    shop = render_templates(
        parse_spec(
            "environment: {https_only: true}\n"
            "domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}\n"
            "services:\n  web: {port: 8080, expose: public, routing: {path: /*, priority: 1}}\n",
            "app.yaml",
        )
    )
    assert shop["environment"]["Parameters"][e.HTTPS_ONLY]["Default"] == "true"
    assert s.HTTPS_ONLY not in shop["service-web"]["Parameters"]  # the environment's, not its own

    with pytest.raises(SpecError) as refused:
        parse_spec(
            "services:\n  web:\n    port: 8080\n    expose: public\n"
            "    routing: {path: /*, priority: 1}\n    https_only: true\n",
            "app.yaml",
        )
    assert str(refused.value).startswith("app.yaml:6: services.web.https_only: a service of an")
    assert "set this on the environment" in str(refused.value)
