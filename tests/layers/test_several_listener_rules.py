"""A public service of several listener rules (``routing`` a list in a spec, a tuple of
:class:`Routing` in Python): one rule takes five paths and hosts at most ("Condition values per
rule: 5", Elastic Load Balancing, Quotas for your Application Load Balancers), so a service that
needs more gets a rule more to its one target group: the first is ``ListenerRule``, the others are
named by their priority (``ListenerRule11``).
ECS's traffic-shifting deployments move the weights of one production listener rule
(``AdvancedConfiguration.ProductionListenerRule``, ``AWS::ECS::Service``), so such a service
deploys ROLLING."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import JOINED, props
from troposphere_fargate.cfn.diff import BREAKING, SAFE, diff
from troposphere_fargate.cfn.evaluate import RuleError, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.config import (
    ConfigError,
    EnvironmentConfig,
    ProductConfig,
    ServiceConfig,
)
from troposphere_fargate.layers.deployment import DeploymentSettings
from troposphere_fargate.layers.exposure import Routing
from troposphere_fargate.release.build import render_templates
from troposphere_fargate.release.diagram import environment_graph, environment_picture
from troposphere_fargate.release.spec import SpecError, parse_spec

SPEC = """\
domain: {name: shop.example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ}
services:
  web: {expose: public, routing: {path: "/*", priority: 100}}
  api:
    expose: public
    health_check_path: /health
    routing:
      - path: [/v1/*, /v2/*, /auth/*]
        host: [api.shop.example.com, shop.example.com]
        priority: 10
      - {path: [/graphql, /graphql/*], host: api.shop.example.com, priority: 11}
"""


@pytest.fixture(scope="module")
def built() -> dict[str, dict[str, Any]]:
    return render_templates(parse_spec(SPEC, "app.yaml"))


def api(routing: Routing | tuple[Routing, ...], **fields: Any) -> ServiceConfig:
    return ServiceConfig(container_name="api", expose="public", routing=routing, **fields)


# --- The template ------------------------------------------------------------------------------


def test_each_rule_is_a_listener_rule_of_its_own_forwarding_to_the_one_target_group(built):
    stack = deployed(built["service-api"], JOINED)
    rules = {k: props(v) for k, v in stack.resources.items() if k.startswith(s.LISTENER_RULE)}
    forward = [{"Type": "forward", "TargetGroupArn": {"Ref": s.TARGET_GROUP}}]
    assert rules == {
        "ListenerRule": {
            "ListenerArn": {"Ref": s.LISTENER_ARN},
            "Priority": 10,
            "Conditions": [
                {
                    "Field": "path-pattern",
                    "PathPatternConfig": {"Values": ["/v1/*", "/v2/*", "/auth/*"]},
                },
                {
                    "Field": "host-header",
                    "HostHeaderConfig": {"Values": ["api.shop.example.com", "shop.example.com"]},
                },
            ],
            "Actions": forward,
        },
        "ListenerRule11": {
            "ListenerArn": {"Ref": s.LISTENER_ARN},
            "Priority": 11,
            "Conditions": [
                {
                    "Field": "path-pattern",
                    "PathPatternConfig": {"Values": ["/graphql", "/graphql/*"]},
                },
                {"Field": "host-header", "HostHeaderConfig": {"Values": ["api.shop.example.com"]}},
            ],
            "Actions": forward,
        },
    }
    # The service waits for every rule: its target group is behind the load balancer then.
    ready = stack.resources[s.LISTENERS_READY]["Metadata"]
    assert {"ListenerRule", "ListenerRule11"} <= set(ready)
    # The first rule's host and path make the service's URL.
    url = built["service-api"]["Outputs"][s.OUTPUT_SERVICE_URL]["Value"]["Fn::Sub"][0]
    assert url == "${Scheme}://api.shop.example.com/v1/"


def test_a_tuple_of_one_rule_builds_what_the_rule_alone_builds():
    # Same logical IDs, same traffic shifting: a list of one is no breaking change.
    rule = Routing(10, "/api/*")
    one = render_templates(ProductConfig(services=(api(rule),)))
    listed = render_templates(ProductConfig(services=(api((rule,)),)))
    assert one == listed
    assert "SeveralListenerRulesNeedRollingDeployments" not in one["service-api"].get("Rules", {})


def test_the_template_refuses_a_traffic_shifting_strategy_before_anything_is_created(built):
    template = built["service-api"]
    assert s.SEVERAL_RULES_NEED_ROLLING in template["Rules"]
    deployed(template, {**JOINED, s.DEPLOYMENT_STRATEGY: "ROLLING"})
    for strategy in ("CANARY", "LINEAR", "BLUE_GREEN"):
        with pytest.raises(RuleError, match="This service has 2 listener rules, and a CANARY"):
            deployed(template, {**JOINED, s.DEPLOYMENT_STRATEGY: strategy})


@pytest.mark.lint
def test_cfn_lint_finds_nothing_in_a_service_of_several_rules(built):
    from troposphere_fargate import lint_templates, to_yaml

    files = {"service-api.yaml": to_yaml(built["service-api"])}
    assert lint_templates(files, regions=["us-east-1"]) == []


# --- What the config refuses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {
                "routing": (Routing(10, "/a/*"), Routing(11, "/b/*")),
                "deployment": DeploymentSettings(strategy="CANARY"),
            },
            r"ServiceConfig\.deployment\.strategy='CANARY': a CANARY deployment shifts the traffic "
            r"of one listener rule .* and this service has 2",
        ),
        (
            {"routing": (Routing(10, "/a/*"), Routing(10, "/b/*"))},
            r"routing\[1\]\.priority=10: the service's rule routing\[0\] has it too",
        ),
        ({"routing": ()}, r"routing=\(\): give one rule at least"),
        ({"routing": (Routing(10, "/a/*"), "/b/*")}, r"routing\[1\]='/b/\*': must be a Routing"),
        ({"routing": [Routing(10, "/a/*")]}, r"must be a Routing or a tuple of them"),
    ],
)
def test_a_service_refuses_rules_it_cannot_deploy(fields, message):
    with pytest.raises(ConfigError, match=message):
        ServiceConfig(container_name="api", expose="public", **fields)


def test_a_rule_the_services_own_earlier_rule_covers_is_refused():
    service = api((Routing(10, "/api/*"), Routing(11, "/api/users")))
    with pytest.raises(
        ConfigError,
        match=r"services\[0\]\.routing\[1\]\.priority=11: the service's own rule \(priority 10\) "
        r"matches every request this one does and is evaluated first, so this rule would get "
        r"none: remove it, or give this rule a priority number below 10, or that rule one "
        r"above 11$",
    ):
        ProductConfig(services=(service,))


def test_a_rule_another_services_rule_covers_is_refused_as_a_rule_not_the_service():
    web = ServiceConfig(container_name="web", expose="public", routing=Routing(5, "/*"))
    with pytest.raises(
        ConfigError,
        match=r"services\[1\]\.routing\[0\]\.priority=10: the service web's rule \(priority 5\) "
        r"matches every request this one does and is evaluated first, so this rule would get none",
    ):
        ProductConfig(services=(web, api((Routing(10, "/a/*"), Routing(11, "/b/*")))))


def test_a_rule_that_the_services_own_rules_cover_with_anothers_is_refused():
    web = ServiceConfig(container_name="web", expose="public", routing=Routing(2, "/b/*"))
    service = api((Routing(1, "/a/*"), Routing(10, ("/a/x", "/b/y"))))
    with pytest.raises(
        ConfigError,
        match=r"routing\[1\]\.priority=10: the rules of this service \(priority 1\) and web "
        r"\(priority 2\) together match every request this one does",
    ):
        ProductConfig(services=(web, service))


def test_every_rule_of_every_service_is_checked_and_each_problem_named_at_once():
    web = ServiceConfig(container_name="web", expose="public", routing=Routing(100, "/*"))
    service = api(
        (
            Routing(10, "/v1/*", "api.shop.example.com"),
            Routing(12, "/v2/*", "api.other.example.org"),  # not under the domain
            Routing(100, "/x"),  # web's priority
        )
    )
    with pytest.raises(ConfigError) as refused:
        ProductConfig(
            environment=EnvironmentConfig(
                default_domain_name="shop.example.com", default_hosted_zone_id="Z0123456789ABCDEF"
            ),
            services=(web, service),
        )
    lines = str(refused.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "ProductConfig.services[1].routing[1].host='api.other.example.org': is not under the "
        "environment's domain shop.example.com"
    )
    assert lines[1].startswith(
        "ProductConfig.services[1].routing[2].priority=100: the service web has it too"
    )


@pytest.mark.parametrize(
    ("rules", "warned"),
    [
        ((Routing(1, "/api/*"), Routing(2, "/graphql")), "/api/*, /graphql"),
        ((Routing(1, "/api/*"), Routing(2, host="api.example.com")), None),  # every path
        ((Routing(1, "/api/*"), Routing(2, "/*", "api.example.com")), None),
    ],
)
def test_the_health_check_warning_reads_every_rule(rules, warned):
    warnings = api(rules).warnings
    if warned is None:
        assert warnings == ()
    else:
        (warning,) = warnings
        assert warning.startswith(
            f"health_check_path: the load balancer sends the service only {warned}, "
        )


@pytest.mark.parametrize(("rules", "warned"), [(100, False), (101, True)])
def test_more_rules_than_the_load_balancers_default_quota_are_warned_of(rules, warned):
    # "Rules per Application Load Balancer (not counting default rules): 100", adjustable
    # (Elastic Load Balancing, Quotas for your Application Load Balancers).
    service = api(tuple(Routing(n + 1, f"/p{n}") for n in range(rules)))
    config = ProductConfig(services=(service,))
    quota = [w for w in config.warnings if "listener rules" in w]
    assert quota == (
        [
            "services: the services have 101 listener rules; an application load balancer "
            "takes 100 unless the account's quota was raised: raise \"Rules per Application "
            'Load Balancer" in Service Quotas before deploying'
        ]
        if warned
        else []
    )


# --- The spec ----------------------------------------------------------------------------------


def test_a_spec_gives_a_list_of_rules_as_a_tuple_and_one_rule_as_a_routing():
    config = parse_spec(SPEC, "app.yaml")
    web, service = config.services
    assert web.routing == Routing(100, "/*")
    assert service.routing == (
        Routing(10, ("/v1/*", "/v2/*", "/auth/*"), ("api.shop.example.com", "shop.example.com")),
        Routing(11, ("/graphql", "/graphql/*"), "api.shop.example.com"),
    )


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        # A rule's own key, at its line.
        (
            ("priority: 11}", "priority: 11, paths: /x}"),
            "app.yaml:11: services.api.routing[1].paths: unknown key (did you mean path?)",
        ),
        # What the config refuses, at the rule's key.
        (
            ("priority: 11}", "priority: 10}"),
            "app.yaml:11: services.api.routing[1].priority: the service's rule routing[0] has it "
            "too",
        ),
        (
            ("priority: 11}", "priority: 100}"),
            "app.yaml:11: services.api.routing[1].priority: the service web has it too",
        ),
        (
            ("host: api.shop.example.com, priority", "host: api.example.org, priority"),
            "app.yaml:11: services.api.routing[1].host: is not under the environment's domain",
        ),
        (
            (
                "health_check_path: /health\n",
                "health_check_path: /health\n    deployment: {strategy: LINEAR}\n",
            ),
            "app.yaml:7: services.api.deployment.strategy: a LINEAR deployment shifts the traffic "
            "of one listener rule",
        ),
        (
            (SPEC[SPEC.index("    routing:\n      - ") :], "    routing: []\n"),
            "app.yaml:7: services.api.routing: give one at least",
        ),
    ],
)
def test_a_spec_names_the_rule_and_line_of_each_refused_value(edit, said):
    text = SPEC.replace(*edit)
    assert text != SPEC
    with pytest.raises(SpecError) as refused:
        parse_spec(text, "app.yaml")
    assert any(line.startswith(said) for line in str(refused.value).splitlines()), str(
        refused.value
    )


def test_the_specs_schema_takes_one_rule_or_a_list_of_them():
    import jsonschema
    import yaml

    from troposphere_fargate.release.spec import spec_schema

    validator = jsonschema.Draft202012Validator(spec_schema())
    spec = yaml.safe_load(SPEC)
    assert list(validator.iter_errors(spec)) == []
    spec["services"]["api"]["routing"] = []
    assert list(validator.iter_errors(spec)) != []
    spec["services"]["api"]["routing"] = [{"path": "/x", "priority": 1, "paths": "/y"}]
    assert list(validator.iter_errors(spec)) != []


# --- The picture and the diff ------------------------------------------------------------------


def test_the_picture_draws_an_arrow_per_rule(built):
    config = parse_spec(SPEC, "app.yaml")
    picture = environment_picture(config, templates=built)
    member = next(m for m in picture.members if m.name == "api")
    assert (member.route, member.priority) == (
        "{api.shop.example.com, shop.example.com} {/v1/*, /v2/*, /auth/*}",
        10,
    )
    assert member.more_routes == (("api.shop.example.com {/graphql, /graphql/*}", 11),)
    arrows = [line for line in environment_graph(picture).body if "lb -> service_api" in line]
    assert len(arrows) == 2


def _files(spec: str) -> dict[str, dict[str, Any]]:
    return {f"{n}.yaml": t for n, t in render_templates(parse_spec(spec, "app.yaml")).items()}


THREE = SPEC + "      - {path: /ws/*, host: api.shop.example.com, priority: 12}\n"


def test_a_rule_added_is_safe_and_a_main_rule_that_swaps_numbers_fails_the_update():
    old = _files(SPEC)
    (finding,) = diff(old, _files(THREE))
    assert (finding.severity, finding.subject) == (SAFE, "resource ListenerRule12")
    # The load balancer refuses a priority another rule still holds (PriorityInUse:
    # aws/copilot-cli#4532): the main rule cannot take the number of another in one update.
    swapped = _files(
        SPEC.replace("priority: 10", "priority: 1X")
        .replace("priority: 11", "priority: 10")
        .replace("1X", "11")
    )
    priority = {f.subject: f.severity for f in diff(old, swapped) if "PriorityInUse" in f.change}
    assert priority == {"resource ListenerRule": BREAKING, "resource ListenerRule10": BREAKING}


def test_the_other_rules_keep_their_names_when_one_is_removed_or_they_are_reordered():
    # Named by position, removing the second rule moved the third onto the second's logical ID
    # and priority while the second still held it: PriorityInUse, in a routine change.
    old = _files(THREE)
    lines = THREE.splitlines(keepends=True)
    graphql, ws = lines[-2], lines[-1]
    removed = _files("".join(lines[:-2]) + ws)
    (finding,) = diff(old, removed)
    assert (finding.severity, finding.subject) == (SAFE, "resource ListenerRule11")
    assert finding.change.startswith("removed")
    assert diff(old, _files("".join(lines[:-2]) + ws + graphql)) == []  # reordered
    # Two of them that swap numbers keep theirs: each changes its conditions in place.
    swapped = _files("".join(lines[:-2]) + graphql.replace("11}", "12}") + ws.replace("12}", "11}"))
    assert {f.severity for f in diff(old, swapped)} == {SAFE}


# --- Messages that fit the case ----------------------------------------------------------------


def test_a_service_without_load_balancer_traffic_is_told_that_not_about_its_rules():
    with pytest.raises(ConfigError) as refused:
        ServiceConfig(
            container_name="worker",
            expose="none",
            routing=(Routing(10, "/a/*"), Routing(11, "/b/*")),
            deployment=DeploymentSettings(strategy="CANARY"),
        )
    said = str(refused.value)
    assert "has no load balancer traffic to shift" in said
    assert "shifts the traffic of one listener rule" not in said


def test_rules_of_one_owner_that_cover_a_rule_together_are_named_once_with_their_priorities():
    own = api((Routing(10, "/a/*"), Routing(11, "/b/*"), Routing(12, ("/a/x", "/b/y"))))
    with pytest.raises(
        ConfigError,
        match=r"routing\[2\]\.priority=12: the rules of this service \(priorities 10, 11\) "
        r"together match every request this one does and are evaluated first, so this rule "
        r"would get none: remove it, or give this rule a priority number below 10, or paths or "
        r"hosts of its own",
    ):
        ProductConfig(services=(own,))
    web = ServiceConfig(
        container_name="web", expose="public", routing=(Routing(1, "/a/*"), Routing(2, "/b/*"))
    )
    with pytest.raises(
        ConfigError,
        match=r"the rules of web \(priorities 1, 2\) together match every request this one "
        r"does and are evaluated first, so this service would get none: give this rule",
    ):
        ProductConfig(services=(web, api(Routing(10, ("/a/x", "/b/y")))))


def test_a_list_of_one_covered_rule_leaves_the_service_without_requests():
    web = ServiceConfig(container_name="web", expose="public", routing=Routing(1, "/*"))
    with pytest.raises(ConfigError, match=r"routing\[0\]\.priority=10: .* so this service would "):
        ProductConfig(services=(web, api((Routing(10, "/a/*"),))))


@pytest.mark.parametrize(
    ("routing", "said"),
    [
        ("5", "services.api.routing: expected a mapping or a list of mappings, got an integer (5)"),
        ("", "services.api.routing: expected a mapping or a list of mappings, got nothing (null)"),
        # No "{} for all defaults": a rule has a required priority.
        (
            "[{path: /a, priority: 1}, null]",
            "services.api.routing[1]: expected a mapping, got nothing (null)",
        ),
    ],
)
def test_a_routing_of_the_wrong_shape_is_told_what_it_takes(routing, said):
    with pytest.raises(SpecError) as refused:
        parse_spec(f"services:\n  api:\n    expose: public\n    routing: {routing}\n", "app.yaml")
    assert str(refused.value) == f"app.yaml:4: {said}"


def test_the_running_stacks_diff_refuses_a_traffic_shifting_strategy_as_cloudformation_does(built):
    from troposphere_fargate.cfn.diff import DiffError, diff_stacks

    side = {"service-api.yaml": built["service-api"]}
    with pytest.raises(DiffError, match="rule SeveralListenerRulesNeedRollingDeployments: This"):
        diff_stacks(side, side, running=JOINED, changes={s.DEPLOYMENT_STRATEGY: "CANARY"})
    assert diff_stacks(side, side, running=JOINED, changes={s.DEPLOYMENT_STRATEGY: "ROLLING"}) == []


@pytest.mark.parametrize(
    ("first", "then", "fix"),
    [
        # No number below 1 (it read "that rule one above 10" in a sentence of its own).
        (1, 10, "give that rule a priority number above 10"),
        (5, 50000, "give this rule a priority number below 5"),  # none above 50000
        (5, 10, "give this rule a priority number below 5, or that rule one above 10"),
    ],
)
def test_a_shadowed_rule_is_told_only_the_numbers_a_priority_takes(first, then, fix):
    web = ServiceConfig(container_name="web", expose="public", routing=Routing(first, "/*"))
    with pytest.raises(ConfigError, match=f"so this service would get none: {fix}$"):
        ProductConfig(services=(web, api(Routing(then, "/api/*"))))


def test_a_value_alone_and_a_tuple_of_it_are_the_same_rule():
    """A review: Routing(path="/a") != Routing(path=("/a",)), though both build the same
    listener rule; configs holding them compared unequal."""
    alone, one = (
        Routing(7, path="/a", host="a.example.com"),
        Routing(7, ("/a",), ("a.example.com",)),
    )
    assert alone == one and hash(alone) == hash(one) and len({alone, one}) == 1
    assert alone != Routing(8, path="/a", host="a.example.com")
    assert Routing(7, ("/a", "/b")) != Routing(7, ("/b", "/a"))  # the rule's order is written
    assert alone != "Routing(7, '/a')"
