"""The environment's domain: an ACM certificate validated through DNS in the domain's Route 53
hosted zone, and alias records that point the domain, and each host a service routes under it,
at the load balancer.

The certificate names the domain and, for an environment built from a spec, exactly the hosts
its services route; the shipped template, which services join from the console with hosts it
cannot know, names ``*.<domain>`` instead (every host one level below). With ``HostedZoneId``
in its validation options, CloudFormation has ACM write the validation records into the zone
and waits until the certificate is issued ("domain validation is handled automatically if ...
the certificate domain is hosted in Amazon Route 53, the domain resides in your AWS account,
and you are using DNS validation", AWS::CertificateManager::Certificate). A wildcard name needs
no validation entry of its own when its base name has one: ACM validates both with the same
record (AWS CDK leaves them out for that reason, aws-certificatemanager/lib/certificate.ts).
"""

from __future__ import annotations

from collections.abc import Sequence

from troposphere import GetAtt, Ref, Sub, Template, certificatemanager, route53
from troposphere import elasticloadbalancingv2 as elb

from ..blocks import name_tag, suppress
from .names import (
    CERTIFICATE,
    CREATES_CERTIFICATE,
    DOMAIN_NAME,
    DOMAIN_RECORD,
    HAS_DOMAIN,
    HOSTED_ZONE_ID,
    host_record,
)


def _under_domain(relative: str) -> Sub:
    return Sub(f"{relative}.${{{DOMAIN_NAME}}}")


# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
WILDCARD_CHECKOV = {
    "CKV2_AWS_71": (
        "services that join from the console route host names under the domain that this stack "
        "cannot know; *.<domain> covers one level of them (an environment built from a spec "
        "names its hosts and has no wildcard)"
    ),
}


def certificate_names(hosts: Sequence[str] | None) -> list[str]:
    """The names (relative to the domain) the certificate holds beside the domain itself: the
    wildcard ``*`` (one level of any name) when the hosts are not known (the shipped template,
    which services join from the console), else exactly the hosts."""
    if hosts is None:
        return ["*"]
    return sorted(set(hosts) - {""})


def add_certificate(t: Template, hosts: Sequence[str] | None) -> certificatemanager.Certificate:
    """The certificate, for the domain and ``hosts`` (relative to it; None: not known)."""
    names = certificate_names(hosts)
    # A wildcard is validated with its base name's record: leave it out when its base is there.
    validated = [""] + [
        name for name in names if not (name.startswith("*") and name[2:] in ("", *names))
    ]
    certificate = t.add_resource(
        certificatemanager.Certificate(
            CERTIFICATE,
            Condition=CREATES_CERTIFICATE,
            DomainName=Ref(DOMAIN_NAME),
            ValidationMethod="DNS",
            DomainValidationOptions=[
                certificatemanager.DomainValidationOption(
                    DomainName=_under_domain(name) if name else Ref(DOMAIN_NAME),
                    HostedZoneId=Ref(HOSTED_ZONE_ID),
                )
                for name in validated
            ],
            Tags=name_tag("certificate"),
        )
    )
    if names:
        certificate.SubjectAlternativeNames = [_under_domain(name) for name in names]
    return suppress(certificate, checkov=WILDCARD_CHECKOV) if "*" in names else certificate


def _alias(title: str, name: object, load_balancer: elb.LoadBalancer) -> route53.RecordSetType:
    return route53.RecordSetType(
        title,
        Condition=HAS_DOMAIN,
        HostedZoneId=Ref(HOSTED_ZONE_ID),
        Name=name,
        Type="A",
        AliasTarget=route53.AliasTarget(
            DNSName=GetAtt(load_balancer, "DNSName"),
            HostedZoneId=GetAtt(load_balancer, "CanonicalHostedZoneID"),
            # With target health evaluated, a load balancer whose only target group is
            # unhealthy would take the whole domain out of DNS (Route 53 AliasTarget,
            # EvaluateTargetHealth); the listeners answer 404 or 503 instead.
            EvaluateTargetHealth=False,
        ),
    )


def add_alias_records(
    t: Template, load_balancer: elb.LoadBalancer, hosts: Sequence[str]
) -> list[route53.RecordSetType]:
    """The domain's alias record, and one per host (relative to the domain) a service routes."""
    records = [t.add_resource(_alias(DOMAIN_RECORD, Ref(DOMAIN_NAME), load_balancer))]
    for host in sorted(set(hosts) - {""}):
        records.append(
            t.add_resource(_alias(host_record(host), _under_domain(host), load_balancer))
        )
    return records
