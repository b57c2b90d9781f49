"""Environment layer: one behaviour per test, read from what the template deploys for given
parameter values (``deployed`` evaluates its constraints, rules and conditions)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import compute, dangling_refs, props
from troposphere_fargate.cfn.evaluate import Deployment, ParameterError, RuleError, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.config import EnvironmentConfig
from troposphere_fargate.layers.config import EnvironmentConfig as Config
from troposphere_fargate.layers.environment import environment_template
from troposphere_fargate.layers.environment import names as e
from troposphere_fargate.layers.errors import ConfigError

REQUIRED = {e.VPC_ID: "vpc-0a1b2c3d", e.PUBLIC_SUBNET_IDS: "subnet-01,subnet-02"}
DOMAIN = {e.DOMAIN_NAME: "shop.example.com", e.HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ"}
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
WEB_ACL = (
    "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/a1b2c3d4-5678-90ab-cdef-111122223333"
)


@pytest.fixture(scope="module")
def environment() -> dict[str, Any]:
    return environment_template().to_dict()


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**REQUIRED, **parameters})


def listeners(stack: Deployment) -> dict[int, dict[str, Any]]:
    return {
        int(props(r)["Port"]): props(r)
        for r in stack.of_type("AWS::ElasticLoadBalancingV2::Listener").values()
    }


NOT_FOUND = {
    "Type": "fixed-response",
    "FixedResponseConfig": {
        "StatusCode": "404",
        "ContentType": "text/plain",
        "MessageBody": "Not found",
    },
}


# --- What every environment has ----------------------------------------------------------------


def test_one_cluster_one_load_balancer_one_namespace(environment):
    stack = deploy(environment)
    assert list(stack.of_type("AWS::ECS::Cluster")) == [e.CLUSTER]
    assert list(stack.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer")) == [e.LOAD_BALANCER]
    assert list(stack.of_type("AWS::ServiceDiscovery::HttpNamespace")) == [e.NAMESPACE]
    assert dangling_refs(stack) == set()


def test_the_cluster_uses_the_namespace_by_arn_for_service_connect(environment):
    # By ARN: given a name, ECS may try to create the namespace itself (aws/aws-cdk#25554).
    cluster = props(environment["Resources"][e.CLUSTER])
    assert cluster["ServiceConnectDefaults"] == {"Namespace": {"Fn::GetAtt": [e.NAMESPACE, "Arn"]}}
    assert cluster["ClusterSettings"] == [{"Name": "containerInsights", "Value": "enabled"}]


def test_the_load_balancer_is_an_internet_facing_application_one_in_the_public_subnets(environment):
    balancer = props(deploy(environment).resources[e.LOAD_BALANCER])
    assert balancer["Type"] == "application"
    assert balancer["Scheme"] == "internet-facing"
    assert balancer["Subnets"] == {"Ref": e.PUBLIC_SUBNET_IDS}
    attributes = {a["Key"]: a["Value"] for a in balancer["LoadBalancerAttributes"]}
    assert attributes["deletion_protection.enabled"] == {"Ref": e.DELETION_PROTECTION}
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"


def test_without_a_certificate_port_80_answers_404_to_what_no_service_routes(environment):
    stack = deploy(environment)
    assert sorted(listeners(stack)) == [80]
    assert listeners(stack)[80]["Protocol"] == "HTTP"
    assert listeners(stack)[80]["DefaultActions"] == [NOT_FOUND]
    assert stack.outputs[e.OUTPUT_LISTENER_ARN]["Value"] == {"Ref": e.HTTP_LISTENER}


@pytest.mark.parametrize("given", [DOMAIN, {e.CERTIFICATE_ARN: CERTIFICATE}], ids=["domain", "arn"])
def test_with_a_certificate_443_serves_and_404s_and_80_redirects(environment, given):
    stack = deploy(environment, **given)
    served = listeners(stack)
    assert sorted(served) == [80, 443]
    assert served[443]["Protocol"] == "HTTPS"
    assert served[443]["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert served[443]["DefaultActions"] == [NOT_FOUND]
    (redirect,) = served[80]["DefaultActions"]
    assert redirect["Type"] == "redirect"
    assert redirect["RedirectConfig"] == {
        "Protocol": "HTTPS",
        "Port": "443",
        "StatusCode": "HTTP_301",
    }
    # Services add their rules where requests are served.
    assert stack.outputs[e.OUTPUT_LISTENER_ARN]["Value"] == {"Ref": e.HTTPS_LISTENER}


def test_security_groups_do_not_grow_with_the_services(environment):
    stack = deploy(environment, **DOMAIN)
    egress = stack.of_type("AWS::EC2::SecurityGroupEgress")
    # The load balancer sends to members of the environment's group, and members to members:
    # one rule each; every service's own group says which port it takes from whom.
    assert {
        name: (props(r)["GroupId"], props(r)["DestinationSecurityGroupId"])
        for name, r in egress.items()
    } == {
        e.LOAD_BALANCER_EGRESS_TO_SERVICES: (
            {"Ref": e.LOAD_BALANCER_SECURITY_GROUP},
            {"Ref": e.ENVIRONMENT_SECURITY_GROUP},
        ),
        e.SERVICE_TO_SERVICE_EGRESS: (
            {"Ref": e.ENVIRONMENT_SECURITY_GROUP},
            {"Ref": e.ENVIRONMENT_SECURITY_GROUP},
        ),
    }
    ingress = {
        props(r)["FromPort"]: props(r)
        for r in stack.of_type("AWS::EC2::SecurityGroupIngress").values()
    }
    assert sorted(ingress) == [80, 443]
    assert all(rule["CidrIp"] == {"Ref": e.ALLOWED_INGRESS_CIDR} for rule in ingress.values())
    assert all(
        rule["GroupId"] == {"Ref": e.LOAD_BALANCER_SECURITY_GROUP} for rule in ingress.values()
    )
    # The environment's group takes nothing itself.
    assert "SecurityGroupIngress" not in props(stack.resources[e.ENVIRONMENT_SECURITY_GROUP])


def test_port_443_is_open_only_with_a_certificate(environment):
    assert e.LOAD_BALANCER_HTTPS_INGRESS not in deploy(environment).resources
    assert e.LOAD_BALANCER_HTTPS_INGRESS in deploy(environment, **DOMAIN).resources


# --- A custom domain ---------------------------------------------------------------------------


def test_a_domain_gets_a_certificate_validated_through_dns_in_its_zone(environment):
    certificate = props(deploy(environment, **DOMAIN).resources[e.CERTIFICATE])
    assert certificate["DomainName"] == {"Ref": e.DOMAIN_NAME}
    assert certificate["ValidationMethod"] == "DNS"
    # With the hosted zone, CloudFormation has ACM write the validation records and waits for
    # the certificate (AWS::CertificateManager::Certificate, DomainValidationOptions).
    assert certificate["DomainValidationOptions"] == [
        {"DomainName": {"Ref": e.DOMAIN_NAME}, "HostedZoneId": {"Ref": e.HOSTED_ZONE_ID}}
    ]
    # Services joined from the console route hosts under the domain: one level is covered.
    assert certificate["SubjectAlternativeNames"] == [{"Fn::Sub": "*.${DomainName}"}]
    https = listeners(deploy(environment, **DOMAIN))[443]
    assert https["Certificates"] == [{"CertificateArn": {"Ref": e.CERTIFICATE}}]


def test_a_certificate_brought_is_used_and_none_is_made(environment):
    stack = deploy(environment, **DOMAIN, **{e.CERTIFICATE_ARN: CERTIFICATE})
    assert e.CERTIFICATE not in stack.resources
    assert listeners(stack)[443]["Certificates"] == [{"CertificateArn": {"Ref": e.CERTIFICATE_ARN}}]
    assert e.DOMAIN_RECORD in stack.resources  # the domain still points at the load balancer


def test_the_domain_is_an_alias_of_the_load_balancer(environment):
    record = props(deploy(environment, **DOMAIN).resources[e.DOMAIN_RECORD])
    assert record == {
        "HostedZoneId": {"Ref": e.HOSTED_ZONE_ID},
        "Name": {"Ref": e.DOMAIN_NAME},
        "Type": "A",
        "AliasTarget": {
            "DNSName": {"Fn::GetAtt": [e.LOAD_BALANCER, "DNSName"]},
            "HostedZoneId": {"Fn::GetAtt": [e.LOAD_BALANCER, "CanonicalHostedZoneID"]},
            "EvaluateTargetHealth": False,
        },
    }


def test_without_a_domain_nothing_of_route_53_or_acm_exists(environment):
    stack = deploy(environment)
    assert not stack.of_type("AWS::Route53::RecordSet")
    assert not stack.of_type("AWS::CertificateManager::Certificate")


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ({}, "http://${LoadBalancer.DNSName}"),
        ({e.CERTIFICATE_ARN: CERTIFICATE}, "https://${LoadBalancer.DNSName}"),
        (DOMAIN, "https://${DomainName}"),
    ],
    ids=["plain", "certificate", "domain"],
)
def test_the_environment_url_uses_the_domain_when_there_is_one(environment, given, url):
    assert deploy(environment, **given).outputs[e.OUTPUT_ENVIRONMENT_URL]["Value"] == {
        "Fn::Sub": url
    }


@pytest.mark.parametrize(
    "given",
    [{e.DOMAIN_NAME: "shop.example.com"}, {e.HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ"}],
    ids=["domain-alone", "zone-alone"],
)
def test_a_domain_and_its_zone_go_together(environment, given):
    with pytest.raises(RuleError, match="DomainName and HostedZoneId go together"):
        deploy(environment, **given)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (e.DOMAIN_NAME, "Shop.Example.com"),
        (e.DOMAIN_NAME, "localhost"),
        (e.HOSTED_ZONE_ID, "/hostedzone/Z0123456789ABCDEFGHIJ"),
        (e.WEB_ACL_ARN, "arn:aws:wafv2:eu-west-1:123456789012:global/webacl/x/y"),
        (e.CERTIFICATE_ARN, "arn:aws:acm:eu-west-1:123456789012:certificate/nope"),
    ],
)
def test_malformed_values_are_refused_by_their_parameters(environment, name, value):
    with pytest.raises(ParameterError, match=name):
        deploy(environment, **{**DOMAIN, name: value})


# "Each label can be up to 63 bytes long. The total length of a domain name cannot exceed 255
# bytes, including the dots" (Route 53 Developer Guide, "DNS domain name format",
# https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html): 255 octets
# on the wire, 253 characters written out. A longer DomainName, taken with CertificateArn (ACM's
# 64 are then no limit), failed the alias record DomainRecord after the load balancer was made.
@pytest.mark.parametrize("last_label", [61, 62], ids=["253-characters", "254-characters"])
def test_a_domain_name_is_253_characters_at_most(environment, last_label):
    domain = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * last_label])
    given = {**DOMAIN, e.DOMAIN_NAME: domain, e.CERTIFICATE_ARN: CERTIFICATE}
    if len(domain) <= 253:
        assert e.DOMAIN_RECORD in deploy(environment, **given).resources
    else:
        with pytest.raises(ParameterError, match=e.DOMAIN_NAME):
            deploy(environment, **given)


# --- The hosts of a spec's services ------------------------------------------------------------

SPEC_DOMAIN = EnvironmentConfig(
    default_domain_name="shop.example.com", default_hosted_zone_id="Z0123456789ABCDEFGHIJ"
)


def test_a_specs_hosts_get_their_records_and_are_the_certificates_names_without_a_wildcard():
    hosts = ["api.shop.example.com", "a.b.shop.example.com", "shop.example.com", "x.other.org"]
    template = environment_template(SPEC_DOMAIN, hosts).to_dict()
    stack = deployed(template, REQUIRED)
    records = {
        name: compute(props(r)["Name"], {e.DOMAIN_NAME: "shop.example.com"})
        for name, r in stack.of_type("AWS::Route53::RecordSet").items()
    }
    assert records == {
        e.DOMAIN_RECORD: "shop.example.com",
        e.host_record("api"): "api.shop.example.com",
        e.host_record("a.b"): "a.b.shop.example.com",
        # x.other.org is the user's to point (ProductConfig refuses it with a domain).
    }
    certificate = props(stack.resources[e.CERTIFICATE])
    names = [
        compute(n, {e.DOMAIN_NAME: "shop.example.com"})
        for n in certificate["SubjectAlternativeNames"]
    ]
    assert names == ["a.b.shop.example.com", "api.shop.example.com"]  # exactly, no *.
    assert "Metadata" not in stack.resources[e.CERTIFICATE]  # no wildcard to excuse
    validated = [
        compute(o["DomainName"], {e.DOMAIN_NAME: "shop.example.com"})
        for o in certificate["DomainValidationOptions"]
    ]
    assert validated == ["shop.example.com", "a.b.shop.example.com", "api.shop.example.com"]


def test_a_wildcard_host_is_validated_with_its_base_names_record():
    template = environment_template(SPEC_DOMAIN, ["*.shop.example.com", "*.api.shop.example.com"])
    certificate = props(template.to_dict()["Resources"][e.CERTIFICATE])
    validated = [o["DomainName"] for o in certificate["DomainValidationOptions"]]
    # *.shop.example.com is validated with shop.example.com's record; *.api needs its own.
    assert validated == [{"Ref": e.DOMAIN_NAME}, {"Fn::Sub": "*.api.${DomainName}"}]


def test_a_specs_hosts_keep_the_domain_they_were_built_for():
    template = environment_template(SPEC_DOMAIN, ["api.shop.example.com"]).to_dict()
    deployed(template, REQUIRED)  # the spec's domain is the default
    with pytest.raises(RuleError, match=r"DomainName must stay shop\.example\.com"):
        deployed(template, {**REQUIRED, e.DOMAIN_NAME: "other.example.com"})


# --- AWS WAF -----------------------------------------------------------------------------------


def test_a_web_acl_is_associated_with_the_load_balancer_only_when_given(environment):
    assert e.WEB_ACL_ASSOCIATION not in deploy(environment).resources
    association = props(
        deploy(environment, **{e.WEB_ACL_ARN: WEB_ACL}).resources[e.WEB_ACL_ASSOCIATION]
    )
    assert association == {
        "ResourceArn": {"Ref": e.LOAD_BALANCER},
        "WebACLArn": {"Ref": e.WEB_ACL_ARN},
    }


# --- What a service joins with -----------------------------------------------------------------


def test_the_outputs_a_service_joins_with_are_its_parameters_of_the_same_names(environment):
    outputs = environment["Outputs"]
    assert all(name in outputs and "Condition" not in outputs[name] for name in e.JOIN_OUTPUTS)
    assert tuple(e.JOIN_OUTPUTS) == tuple(s.JOIN_PARAMETERS)
    for name, output in outputs.items():
        assert output["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-" + name}}


def test_access_logs_are_kept_and_delivered_by_elastic_load_balancing_only(environment):
    bucket = environment["Resources"][e.ACCESS_LOGS_BUCKET]
    assert bucket["DeletionPolicy"] == bucket["UpdateReplacePolicy"] == "Retain"
    policy = props(environment["Resources"][e.ACCESS_LOGS_BUCKET_POLICY])["PolicyDocument"]
    sids = [statement["Sid"] for statement in policy["Statement"]]
    # An application load balancer's; no network load balancer's delivery to allow.
    assert sids == ["DenyInsecureTransport", "ApplicationLoadBalancerLogDelivery"]


# --- Config ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"default_domain_name": "shop.example.com"}, "default_hosted_zone_id=''.*give both"),
        ({"default_hosted_zone_id": "Z1"}, "default_domain_name=''.*give both"),
        ({"default_domain_name": "Shop.com", "default_hosted_zone_id": "Z1"}, "lower-case"),
        # The ID as Route 53's API returns it (/hostedzone/...), and lower case: the HostedZoneId
        # parameter's pattern takes neither, so such a default could not be deployed.
        (
            {"default_domain_name": "shop.example.com", "default_hosted_zone_id": "/hostedzone/Z1"},
            r"default_hosted_zone_id='/hostedzone/Z1': must be a Route 53 hosted zone ID",
        ),
        (
            {"default_domain_name": "shop.example.com", "default_hosted_zone_id": "z1"},
            r"default_hosted_zone_id='z1': must be a Route 53 hosted zone ID",
        ),
        ({"default_web_acl_arn": "arn:aws:wafv2:x"}, "regional AWS WAF web ACL ARN"),
        ({"default_log_retention_days": 30}, "a year or more"),
        ({"tls_policy": "ELBSecurityPolicy-2016-08"}, "TLS 1.3"),
        ({"default_allowed_ingress_cidr": "10.0.0.1/8"}, "not a valid IPv4 CIDR"),
        # "The length of the domain name (technically, the Common Name) that you provide cannot
        # exceed 64 octets (characters), including periods" (ACM RequestCertificate).
        (
            {"default_domain_name": "a" * 55 + ".example.com", "default_hosted_zone_id": "Z1"},
            "is 67 characters: the certificate the stack makes for it takes 64",
        ),
    ],
)
def test_a_bad_environment_config_names_the_field(fields, message):
    with pytest.raises(ConfigError, match=message):
        Config(**fields)


def test_every_parameter_default_comes_from_the_config():
    config = Config(
        default_domain_name="shop.example.com",
        default_hosted_zone_id="Z0123456789ABCDEFGHIJ",
        default_allowed_ingress_cidr="203.0.113.0/24",
        default_deletion_protection=False,
        default_log_retention_days=731,
        default_web_acl_arn=WEB_ACL,
        default_https_only=True,
    )
    parameters = environment_template(config).to_dict()["Parameters"]
    defaults = {k: v.get("Default") for k, v in parameters.items()}
    assert defaults == {
        e.VPC_ID: None,
        e.PUBLIC_SUBNET_IDS: None,
        e.DOMAIN_NAME: "shop.example.com",
        e.HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ",
        e.CERTIFICATE_ARN: "",
        e.ALLOWED_INGRESS_CIDR: "203.0.113.0/24",
        e.WEB_ACL_ARN: WEB_ACL,
        e.DELETION_PROTECTION: "false",
        e.HTTPS_ONLY: "true",
        # no header unless given at deploy (tests/layers/test_strict_transport_security.py)
        e.STRICT_TRANSPORT_SECURITY_MAX_AGE: "0",
        e.LOG_RETENTION_DAYS_PARAMETER: "731",
    }
    deploy(environment_template(config).to_dict())  # each default is one its parameter takes


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        # A string is a sequence of one-letter hosts, none under the domain: the certificate
        # named no host and no alias record was made, silently.
        ({"hosts": "api.example.com"}, TypeError, "hosts) takes list or tuple or None, not str"),
        ({"hosts": [5]}, ConfigError, "hosts): 5 must be a lower-case host name"),
        ({"hosts": ["API.example.com"]}, ConfigError, "'API.example.com' must be a lower-case"),
        ({"public": "no"}, TypeError, "public) takes bool, not str"),  # built one, it was truthy
        ({"public": None}, TypeError, "public) takes bool, not None"),  # built none
    ],
    ids=["a-string", "not-a-string", "upper-case", "a-truthy-string", "none"],
)
def test_the_environment_refuses_hosts_and_public_it_cannot_use(arguments, error, message):
    config = Config(
        default_domain_name="example.com", default_hosted_zone_id="Z0123456789ABCDEFGHIJ"
    )
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        environment_template(config, **arguments)
    assert "ApiHostRecord" in environment_template(config, ["api.example.com"]).resources


def test_a_domain_of_64_characters_is_the_longest_a_certificate_takes():
    # "the length of the domain name (technically, the Common Name) that you provide cannot
    # exceed 64 octets (characters), including periods" (ACM API Reference, RequestCertificate,
    # https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html): 64 is
    # taken, 65 is not.
    longest = "a" * 52 + ".example.com"
    assert len(longest) == 64
    assert Config(default_domain_name=longest, default_hosted_zone_id="Z1").default_domain_name
    with pytest.raises(ConfigError, match="is 65 characters: the certificate"):
        Config(default_domain_name="a" + longest, default_hosted_zone_id="Z1")
