"""The environment layer's names: logical IDs, parameter keys, condition and rule names, output
keys and console groups. They are a contract (the services that join an environment take its
outputs as parameters of the same names; users' scripts read them): each is written here once."""

from __future__ import annotations

from ..exposure import logical_name

# --- The template -----------------------------------------------------------------------------
LAYER = "environment"
FILENAME = "environment.yaml"

# --- Parameters -------------------------------------------------------------------------------
VPC_ID = "VpcId"
PUBLIC_SUBNET_IDS = "PublicSubnetIds"
DOMAIN_NAME = "DomainName"
HOSTED_ZONE_ID = "HostedZoneId"
CERTIFICATE_ARN = "CertificateArn"
ALLOWED_INGRESS_CIDR = "AllowedIngressCidr"
DELETION_PROTECTION = "DeletionProtection"
WEB_ACL_ARN = "WebAclArn"
LOG_RETENTION_DAYS_PARAMETER = "LogRetentionDays"
HTTPS_ONLY = "HttpsOnly"
# 0: no Strict-Transport-Security header; else its max-age, added by the HTTPS listener
STRICT_TRANSPORT_SECURITY_MAX_AGE = "StrictTransportSecurityMaxAge"

# --- Conditions -------------------------------------------------------------------------------
HAS_DOMAIN = "HasDomain"
HAS_CERTIFICATE_ARN = "HasCertificateArn"
CREATES_CERTIFICATE = "CreatesCertificate"  # a domain, and no certificate brought
HAS_HTTPS = "HasHttps"  # a certificate, brought or made
HAS_WEB_ACL = "HasWebAcl"
HAS_STRICT_TRANSPORT_SECURITY = "HasStrictTransportSecurity"
HTTP_PORT_OPEN = "HttpPortOpen"  # no certificate, or one and HttpsOnly false

# --- Rules ------------------------------------------------------------------------------------
DOMAIN_NEEDS_HOSTED_ZONE = "DomainNameNeedsHostedZoneId"
HTTPS_ONLY_NEEDS_A_CERTIFICATE = "HttpsOnlyNeedsACertificate"
STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS = "StrictTransportSecurityNeedsHttps"
# Only in a spec build whose services route host names under the spec's domain.
DOMAIN_OF_THE_HOSTS = "DomainNameOfTheServicesHosts"

# --- Resources --------------------------------------------------------------------------------
CLUSTER = "Cluster"
NAMESPACE = "Namespace"
LOAD_BALANCER_SECURITY_GROUP = "LoadBalancerSecurityGroup"
LOAD_BALANCER_HTTP_INGRESS = "LoadBalancerHttpIngress"
LOAD_BALANCER_HTTPS_INGRESS = "LoadBalancerHttpsIngress"
LOAD_BALANCER_EGRESS_TO_SERVICES = "LoadBalancerEgressToServices"
ENVIRONMENT_SECURITY_GROUP = "EnvironmentSecurityGroup"
SERVICE_TO_SERVICE_EGRESS = "ServiceToServiceEgress"
ACCESS_LOGS_BUCKET = "AccessLogsBucket"
ACCESS_LOGS_BUCKET_POLICY = "AccessLogsBucketPolicy"
LOAD_BALANCER = "LoadBalancer"
HTTP_LISTENER = "HttpListener"
HTTPS_LISTENER = "HttpsListener"
CERTIFICATE = "Certificate"
DOMAIN_RECORD = "DomainRecord"
WEB_ACL_ASSOCIATION = "WebAclAssociation"


def host_record(relative: str) -> str:
    """The alias record of a service's host, by its name under the domain: ``api`` ->
    ``ApiHostRecord``, ``*`` -> ``WildcardHostRecord``."""
    return f"{logical_name(relative)}HostRecord"


# --- Outputs (a joining service takes the first six as parameters of the same names) ----------
OUTPUT_CLUSTER_NAME = "ClusterName"
OUTPUT_LISTENER_ARN = "ListenerArn"
OUTPUT_LOAD_BALANCER_SECURITY_GROUP_ID = "LoadBalancerSecurityGroupId"
OUTPUT_ENVIRONMENT_SECURITY_GROUP_ID = "EnvironmentSecurityGroupId"
OUTPUT_NAMESPACE_ARN = "NamespaceArn"
OUTPUT_ENVIRONMENT_URL = "EnvironmentUrl"
OUTPUT_CLUSTER_ARN = "ClusterArn"
OUTPUT_LOAD_BALANCER_ARN = "LoadBalancerArn"
OUTPUT_LOAD_BALANCER_FULL_NAME = "LoadBalancerFullName"
OUTPUT_LOAD_BALANCER_DNS_NAME = "LoadBalancerDnsName"
OUTPUT_LOAD_BALANCER_HOSTED_ZONE_ID = "LoadBalancerCanonicalHostedZoneId"
OUTPUT_NAMESPACE_NAME = "NamespaceName"

# What a service of the environment is given, output -> the service's parameter of that name.
JOIN_OUTPUTS: tuple[str, ...] = (
    OUTPUT_CLUSTER_NAME,
    OUTPUT_LISTENER_ARN,
    OUTPUT_LOAD_BALANCER_SECURITY_GROUP_ID,
    OUTPUT_ENVIRONMENT_SECURITY_GROUP_ID,
    OUTPUT_NAMESPACE_ARN,
    OUTPUT_ENVIRONMENT_URL,
)

# --- Console groups ---------------------------------------------------------------------------
GROUP_NETWORK = "Network (where the load balancer runs)"
GROUP_PRIVATE_NETWORK = "Network (where the services run)"  # no public service, no balancer
GROUP_DOMAIN = "Domain and HTTPS"
GROUP_LOAD_BALANCER = "Load balancer"
