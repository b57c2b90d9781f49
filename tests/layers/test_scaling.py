"""Autoscaling of the service: target tracking on CPU, memory and requests per task, each
switchable, and a spec's scheduled scaling. One behaviour per test, read from what the template
deploys (``deployed``)."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

import pytest

from tests.support import IMAGE, accepted_or_refused, compute, props
from tests.support import SERVICE_REQUIRED as REQUIRED
from troposphere_fargate import ConfigWarning, ScheduledScaling, ServiceConfig
from troposphere_fargate.cfn.evaluate import Deployment, RuleError, deployed
from troposphere_fargate.layers import service as s
from troposphere_fargate.layers.errors import ConfigError
from troposphere_fargate.layers.exposure import Routing
from troposphere_fargate.layers.service import service_template
from troposphere_fargate.release.spec import SpecError, parse_spec

LISTENER = (
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/"
    "0123456789abcdef/fedcba9876543210"
)
ENVIRONMENT = {
    s.CLUSTER_NAME: "shop-Cluster-AbCdEf012345",
    s.ENVIRONMENT_SECURITY_GROUP_ID: "sg-0123456789abcdef0",
    s.NAMESPACE_ARN: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abcdef0123",
    s.LISTENER_ARN: LISTENER,
    s.LOAD_BALANCER_SECURITY_GROUP_ID: "sg-0fedcba9876543210",
    s.ENVIRONMENT_URL: "https://shop.example.com",
}
PUBLIC = {**ENVIRONMENT, s.LISTENER_RULE_PRIORITY: "10", s.LISTENER_RULE_PATH: "/*"}


def deploy(template: dict[str, Any], **parameters: str) -> Deployment:
    return deployed(template, {**REQUIRED, **parameters})


def tracking(stack: Deployment, policy: str) -> dict[str, Any]:
    configuration = props(stack.resources[policy])["TargetTrackingScalingPolicyConfiguration"]
    return dict(configuration)


def test_by_default_the_service_tracks_cpu_only(service):
    stack = deploy(service)
    assert s.CPU_SCALING_POLICY in stack.resources
    assert s.MEMORY_SCALING_POLICY not in stack.resources
    assert s.REQUEST_SCALING_POLICY not in stack.resources
    cpu = tracking(stack, s.CPU_SCALING_POLICY)
    assert cpu["PredefinedMetricSpecification"] == {
        "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
    }
    assert cpu["TargetValue"] == {"Ref": s.CPU_TARGET_UTILIZATION}


def test_zero_switches_cpu_tracking_off(service):
    assert s.CPU_SCALING_POLICY not in deploy(service, CpuTargetUtilization="0").resources


def test_memory_tracking_is_switched_on_by_a_target(service):
    stack = deploy(service, MemoryTargetUtilization="80")
    memory = tracking(stack, s.MEMORY_SCALING_POLICY)
    assert memory["PredefinedMetricSpecification"] == {
        "PredefinedMetricType": "ECSServiceAverageMemoryUtilization"
    }
    assert memory["TargetValue"] == {"Ref": s.MEMORY_TARGET_UTILIZATION}
    assert props(stack.resources[s.MEMORY_SCALING_POLICY])["ScalingTargetId"] == {
        "Ref": s.SCALABLE_TARGET
    }


def test_requests_per_task_track_the_own_load_balancers_target_group(service):
    stack = deploy(service, RequestsPerTarget="1000")
    metric = tracking(stack, s.REQUEST_SCALING_POLICY)["PredefinedMetricSpecification"]
    assert metric["PredefinedMetricType"] == "ALBRequestCountPerTarget"
    # app/<load balancer>/<id>/targetgroup/<target group>/<id>
    assert metric["ResourceLabel"] == {
        "Fn::Join": [
            "/",
            [
                {"Fn::GetAtt": [s.LOAD_BALANCER, "LoadBalancerFullName"]},
                {"Fn::GetAtt": [s.TARGET_GROUP, "TargetGroupFullName"]},
            ],
        ]
    }


def test_in_an_environment_the_request_label_comes_from_the_listener_arn(service):
    stack = deploy(service, **PUBLIC, RequestsPerTarget="500")
    label = tracking(stack, s.REQUEST_SCALING_POLICY)["PredefinedMetricSpecification"][
        "ResourceLabel"
    ]
    delimiter, (load_balancer, target_group) = label["Fn::Join"]
    assert delimiter == "/"
    assert target_group == {"Fn::GetAtt": [s.TARGET_GROUP, "TargetGroupFullName"]}
    assert compute(load_balancer, stack.parameters) == "app/shop/0123456789abcdef"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({s.LOAD_BALANCER_TYPE: "network"}, "leave it 0 with a network load balancer"),
        (
            {
                **{k: v for k, v in ENVIRONMENT.items() if k != s.LISTENER_ARN},
                s.EXPOSE: "internal",
                s.SERVICE_CONNECT_NAME: "orders",
                s.LISTENER_ARN: "",
                s.LOAD_BALANCER_SECURITY_GROUP_ID: "",
                s.ENVIRONMENT_URL: "",
            },
            "not public",
        ),
    ],
    ids=["network-load-balancer", "internal-service"],
)
def test_requests_without_an_application_load_balancer_are_refused(service, values, message):
    with pytest.raises(RuleError, match=message):
        deploy(service, RequestsPerTarget="100", **values)


@pytest.mark.parametrize(
    ("strategy", "requests", "ok"),
    [("ROLLING", "100", True), ("CANARY", "100", False), ("LINEAR", "100", False),
     ("BLUE_GREEN", "100", False), ("BLUE_GREEN", "0", True)],
)  # fmt: skip
def test_requests_per_target_needs_rolling_deployments(service, strategy, requests, ok):
    # The policy counts TargetGroup's requests; a traffic-shifting deployment ends with the
    # tasks in AlternateTargetGroup (ECS swaps the two each time), so the count would fall to
    # nothing under load: "Target tracking scaling policy based on ALBRequestCountPerTarget
    # becomes unusable in case of ECS blue green deployment" (aws/containers-roadmap#1681).
    values = {s.DEPLOYMENT_STRATEGY: strategy, s.REQUESTS_PER_TARGET: requests}
    accepted_or_refused(
        lambda: deploy(service, **values),
        ok,
        RuleError,
        r"RequestScalingNeedsRollingDeployments: .* ROLLING",
    )


def test_a_spec_service_scaling_on_requests_refuses_a_traffic_shifting_strategy():
    spec = "services:\n  web:\n    requests_per_target: 100\n    deployment: {strategy: CANARY}\n"
    with pytest.raises(
        SpecError, match=r"app\.yaml:3: services\.web\.requests_per_target: .* CANARY"
    ):
        parse_spec(spec, "app.yaml")


def test_a_spec_services_schedules_change_the_bounds():
    config = ServiceConfig(
        scaling_schedules=(
            ScheduledScaling("office-hours", "cron(0 8 ? * MON-FRI *)", 4, None, "Europe/Paris"),
            # A maximum not below office-hours' minimum, which keeps the maximum in place.
            ScheduledScaling("night", "cron(0 20 * * ? *)", 1, 4),
        )
    )
    stack = deploy(service_template(config).to_dict())
    assert props(stack.resources[s.SCALABLE_TARGET])["ScheduledActions"] == [
        {
            "ScheduledActionName": "office-hours",
            "Schedule": "cron(0 8 ? * MON-FRI *)",
            "Timezone": "Europe/Paris",
            "ScalableTargetAction": {"MinCapacity": 4},
        },
        {
            "ScheduledActionName": "night",
            "Schedule": "cron(0 20 * * ? *)",
            "Timezone": "UTC",
            "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 4},
        },
    ]


PEAK = "cron(0 8 ? * MON-FRI *)"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"scaling_schedules": (ScheduledScaling("peak", PEAK, 6),)},
            r"scaling_schedules\[0\]\.min_capacity=6: exceeds default_max_capacity \(4\), "
            r"which this schedule leaves in place: give it a maximum too",
        ),
        (
            {
                "default_max_capacity": 10,
                "scaling_schedules": (
                    ScheduledScaling("night", "cron(0 20 * * ? *)", 1, 3),
                    ScheduledScaling("peak", PEAK, 6),
                ),
            },
            r"scaling_schedules\[1\]\.min_capacity=6: exceeds the schedule night's maximum "
            r"\(3\)",
        ),
        (
            {"scaling_schedules": (ScheduledScaling("night", PEAK, None, 1),)},
            r"scaling_schedules\[0\]\.max_capacity=1: is below default_min_capacity \(2\), "
            r"which this schedule leaves in place: give it a minimum too",
        ),
        (
            {
                "default_min_capacity": 0,
                "scaling_schedules": (
                    ScheduledScaling("night", "cron(0 20 * * ? *)", None, 1),
                    ScheduledScaling("peak", PEAK, 3, 8),
                ),
            },
            r"scaling_schedules\[0\]\.max_capacity=1: is below the schedule peak's minimum "
            r"\(3\)",
        ),
    ],
)
def test_a_schedule_setting_one_bound_across_the_other_is_refused(fields, message):
    # "You must include both sizes to ensure that the new minimum capacity is not greater than
    # the maximum capacity, or the new maximum capacity is not less than the minimum capacity"
    # (Application Auto Scaling User Guide, how scheduled scaling works): the bound a schedule
    # leaves is the template's, or the last schedule's, and the clock decides which.
    with pytest.raises(ConfigError, match=message):
        ServiceConfig(**fields)


def test_schedules_that_set_both_bounds_or_stay_within_the_others_are_accepted():
    ServiceConfig(scaling_schedules=(ScheduledScaling("peak", PEAK, 4),))  # max 4: at it
    ServiceConfig(scaling_schedules=(ScheduledScaling("peak", PEAK, 6, 8),))  # both: its own
    ServiceConfig(
        default_min_capacity=1,
        scaling_schedules=(
            ScheduledScaling("peak", PEAK, 3, 8),
            ScheduledScaling("night", "cron(0 20 * * ? *)", None, 3),
        ),
    )


def test_the_template_keeps_its_own_bounds_on_the_side_of_one_sided_schedules():
    """The parameters a console user sets are held to the schedules too: MaxCapacity below a
    minimum a schedule sets alone (or MinCapacity above a maximum set alone) is refused
    before anything is created."""
    from troposphere_fargate.cfn.evaluate import ParameterError

    config = ServiceConfig(
        default_min_capacity=1,
        default_max_capacity=6,
        scaling_schedules=(
            ScheduledScaling("peak", PEAK, 5),
            ScheduledScaling("night", "cron(0 20 * * ? *)", None, 5),
        ),
    )
    template = service_template(config).to_dict()
    maximum, minimum = (template["Parameters"][n] for n in (s.MAX_CAPACITY, s.MIN_CAPACITY))
    assert (maximum["MinValue"], maximum["MaxValue"]) == (5, 1000)
    assert (minimum["MinValue"], minimum["MaxValue"]) == (0, 5)
    with pytest.raises(ParameterError, match=r"from 5 to 1000 \(a schedule sets the minimum to 5"):
        deploy(template, **{s.MAX_CAPACITY: "4"})
    with pytest.raises(ParameterError, match=r"from 0 to 5 \(a schedule sets the maximum to 5"):
        deploy(template, **{s.MIN_CAPACITY: "6"})
    assert (
        deploy(template, **{s.MAX_CAPACITY: "5", s.MIN_CAPACITY: "2"}).parameters[s.MAX_CAPACITY]
        == "5"
    )
    # Without one-sided schedules the parameters keep their usual limits.
    both = service_template(
        ServiceConfig(scaling_schedules=(ScheduledScaling("peak", PEAK, 6, 8),))
    ).to_dict()
    assert both["Parameters"][s.MAX_CAPACITY]["MinValue"] == 0
    assert both["Parameters"][s.MIN_CAPACITY]["MaxValue"] == 1000


def test_the_root_of_a_spec_holds_its_bounds_to_the_schedules_too():
    from troposphere_fargate import from_yaml
    from troposphere_fargate.release.build import generate

    spec = (
        "services:\n  web:\n    min_capacity: 1\n    max_capacity: 6\n    schedules:\n"
        '      - {name: peak, schedule: "cron(0 8 ? * MON-FRI *)", min: 5}\n'
        '      - {name: night, schedule: "cron(0 20 * * ? *)", max: 5}\n'
    )
    built = generate(parse_spec(spec, "app.yaml"))
    for name in ("root.yaml", "stackset.yaml"):
        parameters = from_yaml(built[name])["Parameters"]
        assert parameters[s.MAX_CAPACITY]["MinValue"] == 5, name
        assert parameters[s.MIN_CAPACITY]["MaxValue"] == 5, name


def test_without_schedules_the_target_has_none(service):
    assert "ScheduledActions" not in props(deploy(service).resources[s.SCALABLE_TARGET])


def test_a_public_spec_service_scales_on_requests_without_a_rule_of_its_own():
    config = ServiceConfig(
        expose="public", routing=Routing(10, "/*"), default_requests_per_target=300
    )
    template = service_template(config).to_dict()
    assert s.REQUEST_SCALING_NEEDS_AN_APPLICATION_LOAD_BALANCER not in template.get("Rules", {})
    stack = deployed(
        template,
        {
            s.VPC_ID: "vpc-0a1b2c3d",
            s.PRIVATE_SUBNET_IDS: "subnet-11,subnet-12",
            s.CONTAINER_IMAGE: IMAGE,
            **ENVIRONMENT,
        },
    )
    assert s.REQUEST_SCALING_POLICY in stack.resources
    assert stack.parameters[s.REQUESTS_PER_TARGET] == "300"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"default_memory_target": 95}, "default_memory_target=95: must be 10-90, or 0"),
        ({"default_cpu_target": 5}, "default_cpu_target=5: must be 10-90, or 0"),
        (
            {"default_requests_per_target": 100, "default_load_balancer_type": "network"},
            "needs an application load balancer",
        ),
        (
            {"default_requests_per_target": 100, "expose": "none"},
            "needs an application load balancer",
        ),
        (
            {
                "scaling_schedules": (
                    ScheduledScaling("a", "rate(1 day)", 1),
                    ScheduledScaling("a", "rate(2 days)", 2),
                )
            },
            r"scaling_schedules\[1\]\.name='a': is another schedule's name too",
        ),
        (
            {"scaling_schedules": (ScheduledScaling("a", "rate(1 day)", 1001),)},
            r"scaling_schedules\[0\]\.min_capacity=1001: must be 0-1000",
        ),
    ],
)
def test_a_scaling_the_service_cannot_have_is_refused(fields, message):
    with pytest.raises(ConfigError, match=message):
        ServiceConfig(**fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"schedule": "every day"}, "schedule='every day': must be cron"),
        ({"schedule": "rate(0 days)"}, "must be cron"),
        ({"min_capacity": None}, "give min_capacity, max_capacity or both"),
        ({"min_capacity": 5, "max_capacity": 2}, "min_capacity=5: exceeds max_capacity"),
        ({"timezone": "Paris"}, "timezone='Paris': must be UTC or an IANA zone"),
        ({"name": "a/b"}, "name='a/b'"),
        # Application Auto Scaling's cron has six fields, "[Minutes] [Hours] [Day_of_Month]
        # [Month] [Day_of_Week] [Year]" (User Guide, scheduled scaling using cron
        # expressions), and one day field is "?" (its cron expressions reference). These used
        # to build and fail only when CloudFormation created the scalable target.
        ({"schedule": "cron(0 8 * * 1-5)"}, "has 6 fields .*, not 5"),
        ({"schedule": "cron(0 8 * * MON-FRI *)"}, "one of day-of-month .* must be \\?"),
        ({"schedule": "cron(0 8 ? * ? *)"}, "one of day-of-month .* and only one"),
        # Each field's values as the cron expressions reference gives them (EventBridge User
        # Guide): minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC,
        # day-of-week 1-7 or SUN-SAT, year 1970-2199. cron(99 25 ? 13 FOO *) built, linted and
        # deployed in the emulator (an audit); Application Auto Scaling refuses an expression
        # it cannot read ("Invalid schedule expression", aws/aws-cdk#6053).
        ({"schedule": "cron(99 25 ? 13 FOO *)"}, "minutes field '99': '99' is not one of its "),
        ({"schedule": "cron(0 25 ? * * *)"}, "hours field '25': .* 0-23"),
        ({"schedule": "cron(0 8 32 * ? *)"}, "day-of-month field '32': .* 1-31"),
        ({"schedule": "cron(0 8 0 * ? *)"}, "day-of-month field '0': .* 1-31"),
        ({"schedule": "cron(0 8 ? 13 * *)"}, "month field '13': .* 1-12 or JAN-DEC"),
        ({"schedule": "cron(0 8 ? * FOO *)"}, "day-of-week field 'FOO': .* 1-7 or SUN-SAT"),
        ({"schedule": "cron(0 8 ? * 8 *)"}, "day-of-week field '8'"),
        ({"schedule": "cron(0 8 ? * MON#6 *)"}, "n#k takes k from 1 to 5"),
        ({"schedule": "cron(0 8 L-3 * ? *)"}, "has L \\(the last day\\), not L-n"),
        # The reference's wildcards: no / in day-of-week; with #, one expression ("3#1,6#3"
        # is not valid, the reference says); # only in day-of-week, W only in day-of-month.
        ({"schedule": "cron(0 8 ? * MON/2 *)"}, "day-of-week takes no /"),
        ({"schedule": "cron(0 8 ? * 3#1,6#3 *)"}, "with #, the field holds one expression"),
        ({"schedule": "cron(0 8 1#2 * ? *)"}, "day-of-month field '1#2'"),
        ({"schedule": "cron(0 8 ? * 5W *)"}, "day-of-week field '5W'"),
        ({"schedule": "cron(0 8 ? * MON-FOO *)"}, "day-of-week field 'MON-FOO': 'FOO'"),
        ({"schedule": "cron(0 8 ? * * 1900)"}, "year field '1900': .* 1970-2199"),
        ({"schedule": "cron(0/0 8 ? * * *)"}, "increment after / must be 1 or more"),
        ({"schedule": "cron(? 8 ? * * *)"}, "only the two day fields take \\?"),
        ({"schedule": "at(2025-13-45T99:00:00)"}, "a date and time that exist"),
        ({"schedule": "at(2026-02-30T08:00:00)"}, "a date and time that exist"),
    ],
)
def test_a_bad_schedule_names_the_field(fields, message):
    values: dict[str, Any] = {"name": "a", "schedule": "cron(0 8 ? * MON-FRI *)", "min_capacity": 1}
    with pytest.raises(ConfigError, match=message):
        ScheduledScaling(**{**values, **fields})


@pytest.mark.parametrize(
    "schedule",
    ["cron(0 8 ? * MON-FRI *)", "cron(0 8 1 * ? *)", "cron(30 6 ? * MON *)", "rate(5 minutes)",
     "cron(0/15 * ? * * *)", "cron(0 18 L * ? *)", "cron(0 18 ? * 6L *)", "cron(0 9 LW * ? *)",
     "cron(0 18 ? * MON#2 *)", "cron(0 18 15W * ? 2026-2030)", "cron(0 9 ? JAN-MAR SUN,SAT *)",
     "cron(59 23 31 12 ? 2199)", "cron(0 0 ? JAN MON 1970)",
     "rate(1 hour)", "at(2026-12-24T18:00:00)", "at(2028-02-29T00:00:00)"],
)  # fmt: skip
def test_schedule_expressions_application_auto_scaling_takes_are_accepted(schedule):
    ScheduledScaling("a", schedule, 1)


@pytest.mark.skipif(not zoneinfo.available_timezones(), reason="no time zone database here")
def test_a_time_zone_that_does_not_exist_is_refused():
    # "The supported time zone values are the canonical names of the IANA time zones" (the
    # Application Auto Scaling User Guide): Mars/Olympus fits the pattern and is no zone.
    with pytest.raises(ConfigError, match="timezone='Mars/Olympus': must be UTC or an IANA"):
        ScheduledScaling("a", "rate(1 day)", 1, timezone="Mars/Olympus")
    ScheduledScaling("a", "rate(1 day)", 1, timezone="America/Argentina/Buenos_Aires")


# --- Scaling on a queue (a spec's worker) -------------------------------------------------------
# "To calculate the Amazon SQS queue backlog per task, take the approximate number of messages
# available for retrieval from the queue and divide that number by the number of Amazon ECS
# tasks running in the service" (Application Auto Scaling User Guide, target tracking with
# metric math: ApproximateNumberOfMessagesVisible, Sum; RunningTaskCount, Average).

WORKER = {  # a service of an environment behind no load balancer
    s.VPC_ID: "vpc-0a1b2c3d",
    s.PRIVATE_SUBNET_IDS: "subnet-11,subnet-12",
    s.CONTAINER_IMAGE: IMAGE,
    **{
        name: ENVIRONMENT[name]
        for name in (s.CLUSTER_NAME, s.ENVIRONMENT_SECURITY_GROUP_ID, s.NAMESPACE_ARN)
    },
}


def queue_metrics(stack: Deployment) -> dict[str, Any]:
    configuration = tracking(stack, s.QUEUE_SCALING_POLICY)
    queries = configuration["CustomizedMetricSpecification"]["Metrics"]
    return {"target": configuration["TargetValue"], **{q["Id"]: q for q in queries}}


def test_a_worker_scales_on_its_queues_messages_per_running_task():
    from troposphere_fargate.layers.queue_scaling import QueueScaling

    config = ServiceConfig(expose="none", queue_scaling=QueueScaling("orders.fifo", 25))
    stack = deployed(service_template(config).to_dict(), WORKER)
    metrics = queue_metrics(stack)
    assert metrics["target"] == 25
    assert metrics["messages"]["MetricStat"] == {
        "Metric": {
            "Namespace": "AWS/SQS",
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Dimensions": [{"Name": "QueueName", "Value": "orders.fifo"}],
        },
        "Stat": "Sum",
    }
    tasks = metrics["tasks"]["MetricStat"]
    assert (tasks["Metric"]["Namespace"], tasks["Metric"]["MetricName"], tasks["Stat"]) == (
        "ECS/ContainerInsights",
        "RunningTaskCount",
        "Average",
    )
    dimensions = {d["Name"]: d["Value"] for d in tasks["Metric"]["Dimensions"]}
    assert {**dimensions, "ClusterName": compute(dimensions["ClusterName"], stack.parameters)} == {
        "ClusterName": ENVIRONMENT[s.CLUSTER_NAME],  # the environment's cluster, by name
        "ServiceName": {"Fn::GetAtt": [s.SERVICE, "Name"]},
    }
    assert metrics["backlog"] == {
        "Id": "backlog",
        "Label": "Messages waiting per task",
        "Expression": "messages / tasks",
        "ReturnData": True,
    }
    assert not metrics["messages"]["ReturnData"] and not metrics["tasks"]["ReturnData"]
    # The CPU target stays: any policy scales out, all must allow scaling in.
    assert s.CPU_SCALING_POLICY in stack.resources


def test_a_service_of_its_own_counts_the_tasks_of_its_own_cluster():
    from troposphere_fargate.layers.queue_scaling import QueueScaling

    stack = deploy(
        service_template(ServiceConfig(queue_scaling=QueueScaling("jobs", 10))).to_dict()
    )
    tasks = queue_metrics(stack)["tasks"]["MetricStat"]["Metric"]
    assert {d["Name"]: d["Value"] for d in tasks["Dimensions"]}["ClusterName"] == {"Ref": s.CLUSTER}


def test_without_a_queue_there_is_no_queue_policy_and_min_capacity_takes_0(service):
    assert s.QUEUE_SCALING_POLICY not in service["Resources"]
    assert service["Parameters"][s.MIN_CAPACITY]["MinValue"] == 0


def test_a_queue_scaled_service_refuses_a_minimum_of_no_task():
    """With no task running the backlog per task has no value, and the policy would never
    start one: MinCapacity takes 1 at least, checked as a number before anything is created
    (a rule comparing text with "0" let 00 and 0.0 through)."""
    from troposphere_fargate.cfn.evaluate import ParameterError
    from troposphere_fargate.layers.queue_scaling import QueueScaling

    template = service_template(
        ServiceConfig(expose="none", queue_scaling=QueueScaling("orders", 100))
    ).to_dict()
    for zero in ("0", "00", "0.0"):
        with pytest.raises(ParameterError, match=r"from 1 to 1000 \(at least 1: the service"):
            deployed(template, {**WORKER, s.MIN_CAPACITY: zero})
    assert deployed(template, {**WORKER, s.MIN_CAPACITY: "1"}).parameters[s.MIN_CAPACITY] == "1"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda q: q("https://sqs.eu-west-1.amazonaws.com/1/orders", 10),
            "QueueScaling.queue='https://sqs.eu-west-1.amazonaws.com/1/orders': must be an SQS",
        ),
        (
            lambda q: q("arn:aws:sqs:eu-west-1:123456789012:orders.fifo", 10),
            "not its URL or ARN: give its name, orders.fifo",
        ),
        (lambda q: q("a" * 81, 10), "must be an SQS queue's name"),
        (lambda q: q("a" * 76 + ".fifo", 10), "must be an SQS queue's name"),
        (lambda q: q("orders", 0), "QueueScaling.messages_per_task=0: must be 1 to 100000"),
        (lambda q: q("orders", True), "messages_per_task=True: must be 1 to"),
        (
            lambda q: ServiceConfig(default_min_capacity=0, queue_scaling=q("orders", 10)),
            "ServiceConfig.default_min_capacity=0: scaling on a queue needs a running task",
        ),
        (
            lambda q: ServiceConfig(
                queue_scaling=q("orders", 10),
                scaling_schedules=(ScheduledScaling("night", "cron(0 20 * * ? *)", 0, 2),),
            ),
            "scaling_schedules[0].min_capacity=0: scaling on a queue needs a running task",
        ),
        (
            lambda q: ServiceConfig(queue_scaling="orders"),  # type: ignore[arg-type]
            "ServiceConfig.queue_scaling='orders': must be a QueueScaling, or None",
        ),
    ],
)
def test_a_queue_to_scale_on_that_cannot_work_is_a_config_error(build, message):
    from troposphere_fargate.layers.queue_scaling import QueueScaling

    with pytest.raises(ConfigError, match=re.escape(message)):
        build(QueueScaling)


def test_the_roots_of_a_spec_refuse_min_capacity_0_too():
    """The bound reaches the root a spec builds (and so the console and Service Catalog)."""
    from troposphere_fargate import from_yaml
    from troposphere_fargate.release.build import generate

    spec = "services:\n  worker:\n    queue_scaling: {queue: orders, messages_per_task: 100}\n"
    with pytest.warns(ConfigWarning, match="its task role has no statement allowing sqs:Rec"):
        root = from_yaml(generate(parse_spec(spec, "app.yaml"))["root.yaml"])
    assert root["Parameters"][s.MIN_CAPACITY]["MinValue"] == 1


def _worker(*statements: Any, managed: tuple[str, ...] = ()) -> ServiceConfig:
    from troposphere_fargate import Application, TaskRole
    from troposphere_fargate.layers.queue_scaling import QueueScaling

    role = TaskRole(managed_policies=managed, statements=statements)
    return ServiceConfig(
        expose="none",
        queue_scaling=QueueScaling("orders", 100),
        application=Application(task_role=role),
    )


def _statement(actions: tuple[str, ...], resources: tuple[str, ...], effect: str = "Allow") -> Any:
    from troposphere_fargate import PolicyStatement

    return PolicyStatement(actions, resources, effect)


ORDERS = "arn:aws:sqs:eu-west-1:123456789012:orders"


def test_a_queue_scaled_services_schedule_may_not_stop_every_task():
    """A maximum of 0 alone was refused as "below min_capacity: give it a minimum too", which
    no minimum could satisfy: the queue needs a running task, so say that."""
    from troposphere_fargate.layers.queue_scaling import QueueScaling

    night = ScheduledScaling("night", "cron(0 20 * * ? *)", None, 0)
    with pytest.raises(ConfigError) as refused:
        ServiceConfig(
            expose="none",
            default_min_capacity=1,
            queue_scaling=QueueScaling("orders", 100),
            scaling_schedules=(night,),
        )
    assert "scaling_schedules[0].max_capacity=0: scaling on a queue needs a running task" in str(
        refused.value
    )


@pytest.mark.parametrize(
    "statements",
    [
        (),
        (_statement(("sqs:SendMessage",), (ORDERS,)),),  # sends, cannot receive
        (_statement(("sqs:ReceiveMessage",), ("arn:aws:sqs:eu-west-1:123456789012:payments",)),),
        (_statement(("s3:GetObject",), ("arn:aws:s3:::orders/*",)),),
    ],
    ids=["none", "send-only", "another-queue", "another-service"],
)
def test_a_queue_scaled_service_whose_role_cannot_read_the_queue_is_warned_of(statements):
    """Allowed (a queue policy may grant it), but most likely a mistake: the service would start
    tasks as the queue grows, and they would read nothing."""
    (warning,) = _worker(*statements).warnings
    assert warning.startswith(
        "queue_scaling: the service scales on the queue orders, but its task role has no "
        "statement allowing sqs:ReceiveMessage on it"
    )
    assert warning.endswith("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders")


@pytest.mark.parametrize(
    ("actions", "resource"),
    [
        (("sqs:ReceiveMessage", "sqs:DeleteMessage"), ORDERS),
        (("sqs:*",), "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders"),
        (("sqs:Receive*", "sqs:Delete*"), "arn:aws:sqs:*:*:ord*"),
        (("sqs:ReceiveMessage", "sqs:DeleteMessage"), "arn:aws:sqs:eu-west-1:123456789012:order?"),
    ],
)
def test_a_queue_scaled_service_whose_role_may_read_the_queue_is_not_warned_of(actions, resource):
    # (sqs:* gets the warning of a statement of every action of a service, not this one.)
    warnings = _worker(_statement(actions, (resource,))).warnings
    assert [w for w in warnings if w.startswith("queue_scaling")] == []


def test_a_role_that_reads_but_cannot_delete_or_is_denied_is_warned_of():
    """A task that receives but cannot delete gets every message back after its visibility
    timeout: the backlog never drains and the service scales to its maximum. A Deny wins over
    any Allow (IAM's policy evaluation logic), a managed policy's included."""
    (reads_only,) = _worker(_statement(("sqs:ReceiveMessage",), (ORDERS,))).warnings
    assert "no statement allowing sqs:DeleteMessage on it" in reads_only
    assert "the backlog never drains" in reads_only
    denied = _worker(
        _statement(("sqs:*",), (ORDERS,)),
        _statement(("sqs:ReceiveMessage",), (ORDERS,), effect="Deny"),
        managed=("arn:aws:iam::aws:policy/AmazonSQSFullAccess",),
    ).warnings
    assert tuple(w for w in denied if w.startswith("queue_scaling")) == (
        "queue_scaling: the service scales on the queue orders, but its task role denies "
        "sqs:ReceiveMessage on it: its tasks cannot read it",
    )


def test_the_receive_check_reads_actions_as_iam_does():
    from troposphere_fargate.layers.queue_scaling import grants_receive

    assert grants_receive("orders", ["SQS:receivemessage"], [ORDERS])  # case-insensitive
    assert grants_receive("orders", ["*"], ["*"])
    assert grants_receive("orders.fifo", ["sqs:ReceiveMessage"], ["arn:aws:sqs:*:*:*.fifo"])
    assert not grants_receive("orders", ["sqs:ReceiveMessages"], [ORDERS])
    assert not grants_receive("orders", ["sqs:ReceiveMessage"], [ORDERS + "-dlq"])
    assert not grants_receive("orders", ["sqs:ReceiveMessage"], ["arn:aws:sqs:eu-west-1"])


def test_a_managed_policy_may_grant_the_queue_so_it_is_not_warned_of():
    managed = ("arn:aws:iam::aws:policy/AmazonSQSFullAccess",)
    assert _worker(managed=managed).warnings == ()
    assert ServiceConfig().warnings == ()  # no queue, nothing to say


@pytest.mark.lint
def test_a_queue_scaled_service_lints_clean_in_every_partition():
    from troposphere_fargate import lint_templates, to_yaml
    from troposphere_fargate.layers.queue_scaling import QueueScaling

    template = service_template(ServiceConfig(queue_scaling=QueueScaling("orders", 100)))
    text = to_yaml(template.to_dict())
    regions = ["us-east-1", "cn-north-1", "us-gov-west-1"]
    assert lint_templates({s.FILENAME: text}, regions=regions) == []


def test_a_one_time_schedule_whose_time_has_passed_is_warned_of():
    # A scheduled action runs at its time; one at a time past would never run.
    past = ScheduledScaling("launch", "at(2001-01-01T08:00:00)", min_capacity=4)
    coming = ScheduledScaling("sale", "at(2999-11-27T08:00:00)", min_capacity=6)
    daily = ScheduledScaling("night", "cron(0 22 ? * * *)", max_capacity=8)
    service = ServiceConfig(default_max_capacity=8, scaling_schedules=(past, coming, daily))
    assert service.warnings == (
        "schedules: launch runs at(2001-01-01T08:00:00) (UTC), which has passed: it will never "
        "run. Remove it, or give it a time to come",
    )
    assert ServiceConfig(default_max_capacity=8, scaling_schedules=(coming, daily)).warnings == ()


@pytest.mark.parametrize(
    ("cron", "never"),
    [
        ("cron(0 8 31 2 ? *)", True),  # 31 February
        ("cron(0 8 30 FEB ? *)", True),
        ("cron(0 8 31 APR,jun,9,NOV ? *)", True),
        ("cron(0 8 29 2 ? *)", False),  # leap years have it
        ("cron(0 8 31 2,3 ? *)", False),  # March has it
        ("cron(0 8 30,31 2 ? *)", True),
        ("cron(0 8 1,31 2 ? *)", False),
        ("cron(0 8 31 * ? *)", False),  # a wildcard: not judged
        ("cron(0 8 31 1-2 ? *)", False),  # a range: not judged
        ("cron(0 8 L 2 ? *)", False),
        ("cron(0 8 ? 2 MON *)", False),
    ],
)
def test_a_cron_schedule_on_a_day_its_months_never_have_is_warned_of(cron, never):
    """A review: cron(0 8 31 2 ? *) is a valid expression whose scheduled action never runs,
    said nothing, where a one-time schedule in the past is warned of (above)."""
    schedule = ScheduledScaling("close", cron, max_capacity=8)
    warnings = ServiceConfig(default_max_capacity=8, scaling_schedules=(schedule,)).warnings
    assert warnings == (
        (
            f"schedules: close runs {cron}, on a day of the month its months never have: it "
            "will never run. Give it a day they have (L is the last)",
        )
        if never
        else ()
    )


def test_a_one_time_schedule_is_past_in_its_own_time_zone():
    from datetime import UTC, datetime

    from troposphere_fargate.layers.schedules import has_passed

    # 12:00 in Paris in June is 10:00 UTC.
    paris = ScheduledScaling("noon", "at(2030-06-01T12:00:00)", 2, timezone="Europe/Paris")
    assert has_passed(paris, datetime(2030, 6, 1, 10, 30, tzinfo=UTC))
    assert not has_passed(paris, datetime(2030, 6, 1, 9, 30, tzinfo=UTC))
    utc = ScheduledScaling("noon", "at(2030-06-01T12:00:00)", 2)
    assert not has_passed(utc, datetime(2030, 6, 1, 10, 30, tzinfo=UTC))
    daily = ScheduledScaling("noon", "cron(0 12 ? * * *)", 2)
    assert not has_passed(daily, datetime(2999, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("schedule", ["cron(0/² 8 ? * MON-FRI *)", "cron(٣ 8 ? * MON *)"])
def test_a_cron_field_of_characters_cron_does_not_take_is_refused(schedule):
    with pytest.raises(ConfigError, match=r"has a character cron does not take"):
        ScheduledScaling("x", schedule, min_capacity=1)


def test_a_service_takes_200_schedules_at_most():
    # "Scheduled actions per scalable target: 200", not adjustable (Quotas for Application Auto
    # Scaling, https://docs.aws.amazon.com/autoscaling/application/userguide/
    # application-auto-scaling-quotas.html). Each schedule is a scheduled action of the
    # service's one scalable target: a spec of 201 built and linted clean, for
    # the scalable target's scheduled actions to fail when the stack is created (an audit).
    schedules = tuple(ScheduledScaling(f"s{i}", "rate(1 day)", 1) for i in range(201))
    assert len(ServiceConfig(scaling_schedules=schedules[:200]).scaling_schedules) == 200
    with pytest.raises(
        ConfigError,
        match=r"^ServiceConfig\.scaling_schedules='\(201 schedules\)': at most 200: Application "
        "Auto Scaling takes 200 scheduled actions per scalable target",
    ):
        ServiceConfig(scaling_schedules=schedules)
