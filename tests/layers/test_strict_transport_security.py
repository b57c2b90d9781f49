"""StrictTransportSecurityMaxAge: an HSTS header from the HTTPS listeners of an application load
balancer, off by default.

The templates served HTTPS with a certificate and redirected port 80 to it, and sent no
Strict-Transport-Security header, so a browser that typed or followed an ``http://`` address
asked over plain HTTP again every time (the first request is the one a network attacker can
answer instead of the redirect). An application load balancer adds the header itself since
November 2024: the listener attribute
``routing.http.response.strict_transport_security.header_value`` "informs browsers that the
site should only be accessed using HTTPS"
(https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ListenerAttribute.html),
set in CloudFormation through ``AWS::ElasticLoadBalancingV2::Listener``'s ``ListenerAttributes``
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-listener-listenerattribute.html).
The load balancer adds it "to all responses" and, when the target's response has the header,
"updates the header value to the configured value"
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html,
Add response headers): so it replaces an application's own, and a browser keeps it for its
max-age, so turning HTTPS off later locks those browsers out. Off by default (0) on purpose;
max-age only (no includeSubDomains, no preload), for the host the browser asked.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import PUBLIC_IN_ENVIRONMENT, SERVICE_REQUIRED
from troposphere_fargate.cfn.evaluate import ParameterError, RuleError, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.environment import environment_template
from troposphere_fargate.layers.environment import names as e
from troposphere_fargate.layers.service import service_template
from troposphere_fargate.layers.service.load_balancer import STRICT_TRANSPORT_SECURITY_ATTRIBUTE

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
ENVIRONMENT_REQUIRED = {e.VPC_ID: "vpc-0a1b2c3d", e.PUBLIC_SUBNET_IDS: "subnet-01,subnet-02"}
YEAR = "31536000"


@pytest.fixture(scope="module")
def service() -> dict[str, Any]:
    return service_template().to_dict()


@pytest.fixture(scope="module")
def environment() -> dict[str, Any]:
    return environment_template().to_dict()


def _attributes(stack: Any, listener: str) -> Any:
    return stack.resources[listener]["Properties"].get("ListenerAttributes")


def test_the_attribute_key_is_the_one_elastic_load_balancing_documents():
    assert STRICT_TRANSPORT_SECURITY_ATTRIBUTE == (
        "routing.http.response.strict_transport_security.header_value"
    )


def test_a_service_sends_no_header_by_default(service):
    stack = deployed(service, {**SERVICE_REQUIRED, s.CERTIFICATE_ARN: CERTIFICATE})
    assert stack.parameters[s.STRICT_TRANSPORT_SECURITY_MAX_AGE] == "0"
    assert _attributes(stack, s.HTTPS_LISTENER) is None


def test_a_services_https_listeners_send_it_when_given(service):
    values = {
        **SERVICE_REQUIRED,
        s.CERTIFICATE_ARN: CERTIFICATE,
        s.STRICT_TRANSPORT_SECURITY_MAX_AGE: YEAR,
        # the test listener of a blue/green deployment speaks HTTPS to browsers too
        s.DEPLOYMENT_STRATEGY: "BLUE_GREEN",
        s.TEST_LISTENER_PORT: "8443",
    }
    stack = deployed(service, values)
    expected = [
        {
            "Key": STRICT_TRANSPORT_SECURITY_ATTRIBUTE,
            "Value": {"Fn::Sub": f"max-age=${{{s.STRICT_TRANSPORT_SECURITY_MAX_AGE}}}"},
        }
    ]
    for listener in (s.HTTPS_LISTENER, s.TEST_LISTENER):
        assert _attributes(stack, listener) == expected, listener
    # port 80 only redirects: a header over plain HTTP is ignored by browsers (RFC 6797 8.1)
    assert _attributes(stack, s.HTTP_LISTENER) is None


@pytest.mark.parametrize(
    "values",
    [
        {},  # no certificate: no HTTPS listener to send it
        {s.CERTIFICATE_ARN: CERTIFICATE, s.LOAD_BALANCER_TYPE: "network"},  # TLS, not HTTP
    ],
)
def test_a_service_without_an_https_listener_is_refused_it(service, values):
    given = {**SERVICE_REQUIRED, **values, s.STRICT_TRANSPORT_SECURITY_MAX_AGE: YEAR}
    with pytest.raises(RuleError, match=s.STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS):
        deployed(service, given)


def test_a_joined_service_leaves_it_to_the_environment(service):
    values = {**SERVICE_REQUIRED, **PUBLIC_IN_ENVIRONMENT}
    deployed(service, values)
    with pytest.raises(RuleError, match="StrictTransportSecurityMaxAge 0"):
        deployed(service, {**values, s.STRICT_TRANSPORT_SECURITY_MAX_AGE: YEAR})


def test_the_max_age_is_bounded(service):
    with pytest.raises(ParameterError, match="63072000"):
        deployed(
            service,
            {
                **SERVICE_REQUIRED,
                s.CERTIFICATE_ARN: CERTIFICATE,
                s.STRICT_TRANSPORT_SECURITY_MAX_AGE: "63072001",
            },
        )


@pytest.mark.parametrize("value", ["300.5", "1e3", "0.0", "00", "0300"])
@pytest.mark.parametrize("layer", ["service", "environment"])
def test_the_max_age_is_a_whole_number_as_written(service, environment, layer, value):
    """max-age is delta-seconds, digits only (RFC 6797 6.1.1): a Number parameter took 300.5
    and 1e3 and Fn::Sub wrote them into the header as given ("max-age=300.5", which a browser
    ignores), and took 0.0 and 00, which are not the "0" the conditions and rules compare with
    (a header "max-age=00" with a certificate, a refusal saying "set it to 0" without one)."""
    template, required, certificate = {
        "service": (service, SERVICE_REQUIRED, s.CERTIFICATE_ARN),
        "environment": (environment, ENVIRONMENT_REQUIRED, e.CERTIFICATE_ARN),
    }[layer]
    values = {**required, certificate: CERTIFICATE, s.STRICT_TRANSPORT_SECURITY_MAX_AGE: value}
    with pytest.raises(ParameterError, match="whole number of seconds"):
        deployed(template, values)


def test_an_environment_sends_it_from_its_https_listener_when_given(environment):
    with_certificate = {**ENVIRONMENT_REQUIRED, e.CERTIFICATE_ARN: CERTIFICATE}
    assert _attributes(deployed(environment, with_certificate), e.HTTPS_LISTENER) is None
    stack = deployed(environment, {**with_certificate, e.STRICT_TRANSPORT_SECURITY_MAX_AGE: "300"})
    assert _attributes(stack, e.HTTPS_LISTENER) == [
        {
            "Key": STRICT_TRANSPORT_SECURITY_ATTRIBUTE,
            "Value": {"Fn::Sub": f"max-age=${{{e.STRICT_TRANSPORT_SECURITY_MAX_AGE}}}"},
        }
    ]
    assert _attributes(stack, e.HTTP_LISTENER) is None
    with pytest.raises(RuleError, match=e.STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS):
        deployed(environment, {**ENVIRONMENT_REQUIRED, e.STRICT_TRANSPORT_SECURITY_MAX_AGE: "300"})
