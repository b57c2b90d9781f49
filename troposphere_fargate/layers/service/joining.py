"""Joining an environment: the service's parameters that take the environment's outputs of the
same names (``ClusterName``, ``ListenerArn``, ``LoadBalancerSecurityGroupId``,
``EnvironmentSecurityGroupId``, ``NamespaceArn``, ``EnvironmentUrl``), the shipped template's
choice of how it is reached there (``Expose``, ``ListenerRulePriority``, ``ListenerRulePath``,
``ListenerRuleHost``, ``ServiceConnectName``, ``ServiceConnectAppProtocol``), and the rules that
refuse what cannot deploy.

In the shipped template each is optional (empty: the service runs on its own, as before); a
spec's service of an environment requires the outputs its exposure uses and has its routing
built in.
"""

from __future__ import annotations

from typing import Any

from troposphere import And, Equals, Not, Or, Parameter, Ref, Template

from ..blocks import FALSE, NOT_GIVEN, add_choice_parameter, add_parameter
from ..config import APPLICATION_LOAD_BALANCER
from ..exposure import (
    APP_PROTOCOLS,
    EXPOSE_INTERNAL,
    EXPOSE_PUBLIC,
    EXPOSURES,
    HOST_PATTERN,
    MAX_HOST,
    MAX_PRIORITY,
    MAX_WILDCARDS,
    PATH_WITH_WILDCARDS_PATTERN,
    SERVICE_CONNECT_NAME_RULE,
)
from ..exposure import SERVICE_CONNECT_NAME as SERVICE_CONNECT_NAME_PATTERN
from .names import (
    APP_PROTOCOL_NEEDS_AN_INTERNAL_SERVICE,
    CERTIFICATE_ARN,
    CLUSTER_NAME,
    ENVIRONMENT_SECURITY_GROUP_ID,
    ENVIRONMENT_URL,
    EXPOSE,
    EXPOSE_NEEDS_AN_ENVIRONMENT,
    GROUP_ENVIRONMENT,
    HTTPS_ONLY,
    INTERNAL_SERVICE_NEEDS_A_NAME,
    JOIN_PARAMETERS,
    JOINING_NEEDS_THE_ENVIRONMENT,
    LISTENER_ARN,
    LISTENER_RULE_HOST,
    LISTENER_RULE_PATH,
    LISTENER_RULE_PRIORITY,
    LOAD_BALANCER_SECURITY_GROUP_ID,
    LOAD_BALANCER_TYPE,
    NAMESPACE_ARN,
    NO_STRICT_TRANSPORT_SECURITY,
    ONLY_INTERNAL_SERVICES_HAVE_A_NAME,
    ONLY_PUBLIC_SERVICES_HAVE_RULES,
    PUBLIC_SERVICE_NEEDS_A_RULE,
    SERVICE_CONNECT_APP_PROTOCOL,
    SERVICE_CONNECT_NAME,
    STRICT_TRANSPORT_SECURITY_MAX_AGE,
    WEB_ACL_ARN,
)
from .placement import Placement, exists

# The environment's outputs a service joins with (the environment layer's names).
CLUSTER_NAME_PATTERN = r"[A-Za-z0-9_-]{1,255}"
LISTENER_ARN_PATTERN = (
    r"arn:aws(?:-cn|-us-gov)?:elasticloadbalancing:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:"
    r"listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}"
)
SECURITY_GROUP_ID_PATTERN = r"sg-[0-9a-f]{8}(?:[0-9a-f]{9})?"
NAMESPACE_ARN_PATTERN = (
    r"arn:aws(?:-cn|-us-gov)?:servicediscovery:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:"
    r"namespace/ns-[a-z0-9]{1,64}"
)
ENVIRONMENT_URL_PATTERN = r"https?://[A-Za-z0-9.-]{1,253}"
NO_LISTENER_RULE_PRIORITY = "0"


def _pattern(pattern: str, optional: bool) -> str:
    """A whole-value AllowedPattern, admitting "" too when the parameter is optional."""
    return rf"^$|^{pattern}$" if optional else rf"^{pattern}$"


def add_environment_parameters(t: Template, placement: Placement) -> tuple[Parameter, ...]:
    """The environment the service joins, by its outputs of the same names (GROUP_ENVIRONMENT),
    and, in the shipped template, how the service is reached there. In the shipped template each
    is empty by default: ClusterName empty means a cluster and load balancer of its own."""
    if not exists(placement.joined):
        return ()
    optional = placement.deploy_time
    empty = {"Default": NOT_GIVEN} if optional else {}
    ours = (
        " Empty: the service runs on its own (its own cluster and load balancer)."
        if optional
        else ""
    )
    declared = [
        add_parameter(
            t,
            CLUSTER_NAME,
            group=GROUP_ENVIRONMENT,
            label="Environment's cluster (ClusterName output)",
            description=(
                "The ClusterName output of the environment stack (environment.yaml) to join: "
                "the service runs in that cluster, and the environment's other outputs below "
                "say how it is reached." + ours
            ),
            Type="String",
            AllowedPattern=_pattern(CLUSTER_NAME_PATTERN, optional),
            ConstraintDescription="must be an ECS cluster name"
            + (", or empty" if optional else ""),
            **empty,
        ),
        *(
            add_parameter(
                t,
                name,
                group=GROUP_ENVIRONMENT,
                label=f"Environment's {name} output",
                description=f"The {name} output of the environment stack: {what}",
                Type="String",
                AllowedPattern=_pattern(pattern, optional),
                ConstraintDescription=f"must be {shape}" + (", or empty" if optional else ""),
                **empty,
            )
            for name, pattern, shape, what, needed in (
                (
                    ENVIRONMENT_SECURITY_GROUP_ID,
                    SECURITY_GROUP_ID_PATTERN,
                    "a security group ID (sg-...)",
                    "the tasks are members of it, so the load balancer reaches them and they "
                    "call the environment's other services.",
                    placement.joined,
                ),
                (
                    NAMESPACE_ARN,
                    NAMESPACE_ARN_PATTERN,
                    "an AWS Cloud Map namespace ARN",
                    "the Service Connect namespace the service calls the others (and is called) "
                    "through.",
                    placement.joined,
                ),
                (
                    LISTENER_ARN,
                    LISTENER_ARN_PATTERN,
                    "an application load balancer listener ARN",
                    "a public service adds its listener rule there.",
                    placement.listener_rule,
                ),
                (
                    LOAD_BALANCER_SECURITY_GROUP_ID,
                    SECURITY_GROUP_ID_PATTERN,
                    "a security group ID (sg-...)",
                    "a public service admits its container port from it.",
                    placement.listener_rule,
                ),
                (
                    ENVIRONMENT_URL,
                    ENVIRONMENT_URL_PATTERN,
                    "an http:// or https:// URL without a path",
                    "the start of a public service's URL (its ServiceUrl output).",
                    placement.listener_rule,
                ),
            )
            if exists(needed)
        ),
    ]
    if placement.deploy_time:
        declared += _add_routing_parameters(t)
    return tuple(declared)


def _add_routing_parameters(t: Template) -> list[Parameter]:
    """How the shipped service is reached in an environment (GROUP_ENVIRONMENT)."""
    expose = add_choice_parameter(
        t,
        EXPOSE,
        group=GROUP_ENVIRONMENT,
        label="Exposure in the environment",
        description=(
            "public: behind the environment's load balancer, by the listener rule below. "
            "internal: no load balancer; the environment's services call it at "
            "http://<ServiceConnectName>:<ContainerPort>. none: a worker, no inbound traffic. "
            "On its own (ClusterName empty) a service is public."
        ),
        choices=EXPOSURES,
        default=EXPOSE_PUBLIC,
    )
    priority = add_parameter(
        t,
        LISTENER_RULE_PRIORITY,
        group=GROUP_ENVIRONMENT,
        label="Listener rule priority (public)",
        description=(
            "1-50000, unique on the environment's listener: the load balancer evaluates rules "
            "from the lowest priority up and takes the first match. 0: no rule."
        ),
        Type="Number",
        Default=NO_LISTENER_RULE_PRIORITY,
        MinValue=0,
        MaxValue=MAX_PRIORITY,
        ConstraintDescription=f"must be a whole number from 1 to {MAX_PRIORITY}, or 0 for none",
    )
    path = add_parameter(
        t,
        LISTENER_RULE_PATH,
        group=GROUP_ENVIRONMENT,
        label="Listener rule path (public)",
        description=(
            "Path pattern the rule matches, such as /api/* (case sensitive; * and ? are "
            "wildcards, 5 at most with the host's: the load balancer takes 5 per rule). "
            "Empty: any path of ListenerRuleHost."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=_pattern(PATH_WITH_WILDCARDS_PATTERN, True),
        ConstraintDescription=(
            "must be empty or a path pattern starting with /, up to 128 characters, with at "
            f"most {MAX_WILDCARDS} wildcards (* and ?)"
        ),
    )
    host = add_parameter(
        t,
        LISTENER_RULE_HOST,
        group=GROUP_ENVIRONMENT,
        label="Listener rule host (public)",
        description=(
            "Host name the rule matches, such as api.shop.example.com (*.shop.example.com for "
            "one level of any name). With a path, a request must match both. Empty: any host. "
            "Its DNS record is yours to make (an alias of the environment's load balancer), "
            "and the environment's certificate must cover it."
        ),
        Type="String",
        Default=NOT_GIVEN,
        MaxLength=MAX_HOST,
        AllowedPattern=_pattern(HOST_PATTERN, True),
        ConstraintDescription="must be empty or a lower-case host name such as api.example.com",
    )
    name = add_parameter(
        t,
        SERVICE_CONNECT_NAME,
        group=GROUP_ENVIRONMENT,
        label="Service Connect name (internal)",
        description=(
            "The name the environment's services call an internal service by: "
            "http://<name>:<ContainerPort>. Unique in the environment."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=_pattern(SERVICE_CONNECT_NAME_PATTERN, True),
        ConstraintDescription=f"must be empty or {SERVICE_CONNECT_NAME_RULE}",
    )
    protocol = add_parameter(
        t,
        SERVICE_CONNECT_APP_PROTOCOL,
        group=GROUP_ENVIRONMENT,
        label="Service Connect application protocol (internal)",
        description=(
            "The protocol the environment's services call an internal service by: http, http2 "
            "or grpc adds protocol-specific connection handling and telemetry to the Service "
            "Connect proxy; http breaks an application that speaks HTTP/2 or gRPC. Empty: TCP, "
            "without them. ECS cannot change it on a running service (the service must be "
            "deleted and created again): choose it when the service is created."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedValues=[NOT_GIVEN, *APP_PROTOCOLS],
        ConstraintDescription=f"must be empty (TCP), {', '.join(APP_PROTOCOLS[:-1])} or "
        f"{APP_PROTOCOLS[-1]}",
    )
    return [expose, priority, path, host, name, protocol]


def _empty(parameter: str) -> Equals:
    return Equals(Ref(parameter), NOT_GIVEN)


def _assertion(test: Any, description: str) -> dict[str, Any]:
    return {"Assert": test, "AssertDescription": description}


def add_placement_rules(t: Template, placement: Placement) -> tuple[str, ...]:
    """What the shipped template refuses before anything is created: the environment's outputs
    without its cluster (or an exposure other than public on its own), a joined service without
    the outputs it needs or with a load balancer setting of its own, a public one without a
    listener rule, an internal one without a name, a rule on a service that is not public, a
    name on one that is not internal, an application protocol for a service Service Connect
    does not serve. Returns the rule names (none for a spec's service: its placement is built
    in)."""
    if not placement.deploy_time:
        return ()
    standalone = _empty(CLUSTER_NAME)
    public = Equals(Ref(EXPOSE), EXPOSE_PUBLIC)
    no_rule = And(
        Equals(Ref(LISTENER_RULE_PRIORITY), NO_LISTENER_RULE_PRIORITY),
        _empty(LISTENER_RULE_PATH),
        _empty(LISTENER_RULE_HOST),
    )
    joined_only = [name for name in JOIN_PARAMETERS if name != CLUSTER_NAME]
    rules: dict[str, dict[str, Any]] = {
        EXPOSE_NEEDS_AN_ENVIRONMENT: {
            "RuleCondition": standalone,
            "Assertions": [
                _assertion(
                    public,
                    "Expose is internal or none, which needs an environment: give its "
                    "ClusterName output (and its other outputs), or set Expose to public.",
                ),
                _assertion(
                    And(*(_empty(name) for name in joined_only), _empty(SERVICE_CONNECT_NAME)),
                    f"{', '.join(joined_only)} and {SERVICE_CONNECT_NAME} are for joining an "
                    "environment: give its ClusterName output too, or leave them empty.",
                ),
                _assertion(
                    no_rule,
                    "A listener rule (ListenerRulePriority, ListenerRulePath, ListenerRuleHost) "
                    "is for joining an environment: give its ClusterName output too, or leave "
                    "them at 0 and empty.",
                ),
            ],
        },
        JOINING_NEEDS_THE_ENVIRONMENT: {
            "RuleCondition": Not(standalone),
            "Assertions": [
                _assertion(
                    Not(Or(_empty(ENVIRONMENT_SECURITY_GROUP_ID), _empty(NAMESPACE_ARN))),
                    "Joining an environment needs its EnvironmentSecurityGroupId and "
                    "NamespaceArn outputs too.",
                ),
                _assertion(
                    And(
                        Equals(Ref(LOAD_BALANCER_TYPE), APPLICATION_LOAD_BALANCER),
                        _empty(CERTIFICATE_ARN),
                        Equals(Ref(HTTPS_ONLY), FALSE),
                        _empty(WEB_ACL_ARN),
                        Equals(
                            Ref(STRICT_TRANSPORT_SECURITY_MAX_AGE), NO_STRICT_TRANSPORT_SECURITY
                        ),
                    ),
                    "In an environment the load balancer, its certificate, its port 80, its "
                    "web ACL and its HSTS header are the environment's: leave LoadBalancerType "
                    "application, CertificateArn and WebAclArn empty, HttpsOnly false and "
                    "StrictTransportSecurityMaxAge 0 (set the environment's HttpsOnly, "
                    "WebAclArn and StrictTransportSecurityMaxAge).",
                ),
            ],
        },
        PUBLIC_SERVICE_NEEDS_A_RULE: _public_rule(And(Not(standalone), public)),
        INTERNAL_SERVICE_NEEDS_A_NAME: {
            "RuleCondition": And(Not(standalone), Equals(Ref(EXPOSE), EXPOSE_INTERNAL)),
            "Assertions": [
                _assertion(
                    Not(_empty(SERVICE_CONNECT_NAME)),
                    "An internal service needs a ServiceConnectName: the name the "
                    "environment's services call it by.",
                )
            ],
        },
        ONLY_PUBLIC_SERVICES_HAVE_RULES: {
            "RuleCondition": And(Not(standalone), Not(public)),
            "Assertions": [
                _assertion(
                    no_rule,
                    "Only a public service has a listener rule: leave ListenerRulePriority at 0 "
                    "and ListenerRulePath and ListenerRuleHost empty, or set Expose to public.",
                )
            ],
        },
        ONLY_INTERNAL_SERVICES_HAVE_A_NAME: _name_rule(standalone),
        APP_PROTOCOL_NEEDS_AN_INTERNAL_SERVICE: _app_protocol_rule(),
    }
    for name, rule in rules.items():
        t.add_rule(name, rule)
    return tuple(rules)


def _public_rule(condition: And) -> dict[str, Any]:
    """What a public service of an environment needs: the environment's listener outputs, a
    priority, and a path or host for its listener rule."""
    return {
        "RuleCondition": condition,
        "Assertions": [
            _assertion(
                Not(
                    Or(
                        _empty(LISTENER_ARN),
                        _empty(LOAD_BALANCER_SECURITY_GROUP_ID),
                        _empty(ENVIRONMENT_URL),
                    )
                ),
                "A public service of an environment needs its ListenerArn, "
                "LoadBalancerSecurityGroupId and EnvironmentUrl outputs.",
            ),
            _assertion(
                Not(Equals(Ref(LISTENER_RULE_PRIORITY), NO_LISTENER_RULE_PRIORITY)),
                "A public service of an environment needs a ListenerRulePriority (1-50000, "
                "unique on the environment's listener).",
            ),
            _assertion(
                Not(And(_empty(LISTENER_RULE_PATH), _empty(LISTENER_RULE_HOST))),
                "A public service of an environment needs ListenerRulePath, "
                "ListenerRuleHost or both: what its listener rule matches.",
            ),
        ],
    }


def _name_rule(standalone: Equals) -> dict[str, Any]:
    """ServiceConnectName only for an internal service of an environment: a public service or
    a worker of the shipped template is served by no Service Connect name
    (InternalInEnvironment), so a name given for it was taken without a word. On its own,
    ExposeNeedsAnEnvironment refuses the name already."""
    return {
        "RuleCondition": And(Not(standalone), Not(Equals(Ref(EXPOSE), EXPOSE_INTERNAL))),
        "Assertions": [
            _assertion(
                _empty(SERVICE_CONNECT_NAME),
                "Only an internal service has a ServiceConnectName (a public service is "
                "reached through the load balancer, a worker not at all): leave it empty, or "
                "set Expose to internal.",
            )
        ],
    }


def _app_protocol_rule() -> dict[str, Any]:
    """ServiceConnectAppProtocol only for the service Service Connect serves: internal (a
    public or worker service of the shipped template serves nothing through it, and would take
    the protocol without a word). An internal service without its ServiceConnectName is
    InternalServiceNeedsAServiceConnectName's to refuse: a second message for it here only
    repeated that one (a review)."""
    return {
        "RuleCondition": Not(_empty(SERVICE_CONNECT_APP_PROTOCOL)),
        "Assertions": [
            _assertion(
                Equals(Ref(EXPOSE), EXPOSE_INTERNAL),
                "ServiceConnectAppProtocol is for an internal service, the one Service "
                "Connect serves: set Expose to internal, or leave ServiceConnectAppProtocol "
                "empty.",
            ),
        ],
    }
