"""The lines of ``validate``'s summary (:func:`describe`) for what a template of one's own, or a
footprint made by hand, holds: each decision the summary makes, one behaviour a test (found by
mutation testing dry_run.py: each of these lines could change without a test saying so)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from troposphere_fargate import __version__
from troposphere_fargate.cfn.dry_run import (
    DryRunFailed,
    Footprint,
    describe,
    dry_run,
    endpoint_limits,
    endpoint_service,
    footprint,
)

# A footprint of nothing: one stack of one resource.
NOTHING = Footprint(None, 0, 0, [], {}, [], [], [], [], 0, 0, 0, [], 1, 1)


def _summary(path: Path, text: str) -> list[str]:
    path.write_text(text)
    return describe(footprint(dry_run(path, {})))


VPC = """Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1b}
"""


def _interface(name: str, service: str, subnets: str) -> str:
    return (
        f"  {name}:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n"
        f"      VpcId: !Ref Vpc\n      VpcEndpointType: Interface\n"
        f"      ServiceName: com.amazonaws.us-east-1.{service}\n      SubnetIds: {subnets}\n"
    )


def test_a_network_of_interface_endpoints_alone_says_it_has_no_nat_gateway(tmp_path):
    """Without a gateway endpoint the NAT line was still said: interface endpoints are a
    network of its own as much as a gateway one."""
    lines = _summary(tmp_path / "t.yaml", VPC + _interface("Logs", "logs", "[!Ref A, !Ref B]"))
    assert "NAT: no NAT gateway: the private subnets have no route to the internet" in lines
    assert "VPC endpoints: gateway none; interface logs, each in 2 subnets" in lines


def test_interface_endpoints_in_different_numbers_of_subnets_each_say_their_own(tmp_path):
    """Of interface endpoints in 1 and in 2 subnets, the summary said "each in 2 subnets"
    (the most of them): one of them is in 1."""
    text = (
        VPC
        + _interface("Logs", "logs", "[!Ref A]")
        + _interface("Api", "ecr.api", "[!Ref A, !Ref B]")
    )
    lines = _summary(tmp_path / "t.yaml", text)
    assert "VPC endpoints: gateway none; interface logs (1 subnet), ecr.api (2 subnets)" in lines


def test_a_private_nat_gateway_is_counted_without_an_elastic_ip(tmp_path):
    """The NAT gateways are counted as such, not by the Elastic IPs: a private NAT gateway has
    none ("ConnectivityType: Indicates whether the NAT gateway supports public or private
    connectivity", AWS::EC2::NatGateway; a private one takes no AllocationId)."""
    nat = (
        "  Nat:\n    Type: AWS::EC2::NatGateway\n"
        "    Properties: {ConnectivityType: private, SubnetId: !Ref A}\n"
    )
    assert "NAT: 1 NAT gateway (0 Elastic IPs)" in _summary(tmp_path / "t.yaml", VPC + nat)


def test_the_default_security_group_is_emptied_only_when_each_vpc_s_is(tmp_path):
    """Two VPCs and one DefaultSecurityGroupRestriction: the other VPC's group keeps EC2's
    rules, so the summary does not say the group is emptied, nor that both keep them."""
    text = (
        VPC + "  Other: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}\n"
        "  Restrict:\n    Type: Custom::DefaultSecurityGroupRestriction\n"
        "    Properties: {ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:f}\n"
    )
    lines = _summary(tmp_path / "t.yaml", text)
    assert (
        "default security groups: 1 of 2 emptied (no rule in or out), the other keeps EC2's "
        "rules (its members talk to each other, all outbound)"
    ) in lines
    third = "  Third: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.2.0.0/16}}\n"
    assert (
        "default security groups: 1 of 3 emptied (no rule in or out), the other 2 keep EC2's "
        "rules (their members talk to each other, all outbound)"
    ) in _summary(tmp_path / "t.yaml", text + third)


def test_a_stack_of_log_groups_alone_has_a_monitoring_line(tmp_path):
    text = "Resources:\n  Logs: {Type: AWS::Logs::LogGroup}\n"
    assert _summary(tmp_path / "t.yaml", text) == [
        "monitoring: 0 alarms, 0 dashboards, 1 log group (retention in days: never expires)",
        "1 resource in 1 stack",
    ]


def test_the_alarms_target_tracking_creates_are_monitoring_of_their_own():
    found = replace(NOTHING, scaling_alarms=2)
    assert describe(found)[0] == (
        "monitoring: 0 alarms (and 2 that target tracking scaling creates), 0 dashboards, "
        "0 log groups"
    )


def test_a_stackset_without_regions_says_so(tmp_path):
    (tmp_path / "child.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    text = (
        "Resources:\n  Set:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n"
        "      StackSetName: s\n      PermissionModel: SELF_MANAGED\n"
        "      TemplateURL: https://b.s3.amazonaws.com/child.yaml\n"
    )
    assert _summary(tmp_path / "set.yaml", text)[0] == (
        "StackSet Set: child.yaml (not beside this template: not checked or counted) to no "
        "account named, in no region"
    )


def test_a_footprint_made_by_hand_of_two_load_balancers_without_names_lists_each():
    """load_balancer_names may be left out of a footprint made by hand: each load balancer's
    line is then said without a name (not an IndexError)."""
    balancer = ("application", "internet-facing", 2)
    found = replace(NOTHING, load_balancers=[balancer, balancer])
    assert describe(found)[:2] == ["load balancer: application, internet-facing in 2 subnets"] * 2


def test_each_service_s_notes_are_under_that_service_alone():
    """Two services, one of them with a DesiredCount outside its bounds, a call it cannot
    make and tasks in both public load balancers' subnet: each note is said once, under it."""
    balancer = ("application", "internet-facing", 2)
    found = replace(
        NOTHING,
        tasks=[("A", 1, 0.25, 0.5, "X86_64"), ("B", 4, 0.25, 0.5, "X86_64")],
        scaling=[("A", 1, 2), ("B", 1, 4)],
        desired_outside_bounds=(("B", 9),),
        unreachable=(("B", "sqs", "queue"),),
        shared_subnets=(("B", ("subnet-0aaa1111",), ("Web", "Api")),),
        load_balancers=[balancer, balancer],
        load_balancer_names=("Web", "Api"),
    )
    lines = describe(found)
    service_b = lines.index(
        "service B: 4 tasks of 0.25 vCPU and 0.5 GB (X86_64, Fargate), autoscaling 1 to 4"
    )
    notes = [line for line in lines if line.startswith(("  note: ", "unreachable from "))]
    assert len(notes) == 3
    assert lines[service_b + 1 : service_b + 4] == notes
    assert notes[0].startswith("  note: B asks for 9 tasks (DesiredCount), above its MaxCapacity 4")
    assert notes[1].startswith("unreachable from B: sqs (its queue), with no NAT gateway")
    assert notes[2].startswith(
        "  note: B runs its tasks in subnet-0aaa1111, where the internet-facing load balancers "
        "Web and Api are too: "
    )


def test_an_endpoint_that_names_no_type_is_a_gateway_endpoint(tmp_path):
    """An S3 endpoint that leaves out VpcEndpointType (not required, AWS::EC2::VPCEndpoint) is
    counted as a gateway endpoint, as is_gateway_endpoint takes the type's default."""
    s3 = (
        "  S3:\n    Type: AWS::EC2::VPCEndpoint\n"
        "    Properties: {VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.s3}\n"
    )
    assert "VPC endpoints: gateway s3; interface none" in _summary(tmp_path / "t.yaml", VPC + s3)


def _nests(child: str) -> str:
    return (
        "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n"
        f"    Properties: {{TemplateURL: 'https://b.s3.amazonaws.com/{child}'}}\n"
    )


def test_a_nested_stack_s_own_nested_stacks_are_counted(tmp_path):
    (tmp_path / "grand.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    (tmp_path / "child.yaml").write_text(_nests("grand.yaml"))
    assert _summary(tmp_path / "parent.yaml", _nests("child.yaml"))[-1] == (
        "3 resources in 3 stacks"
    )


def _subnets(*zones: str) -> str:
    """Subnets of a VPC, each in its zone as written (``AvailabilityZone: a``), or in none."""
    text = "Resources:\n  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
    for index, zone in enumerate(zones):
        where = f", {zone}" if zone else ""
        text += (
            f"  S{index}:\n    Type: AWS::EC2::Subnet\n"
            f"    Properties: {{VpcId: !Ref Vpc, CidrBlock: 10.0.{index}.0/24{where}}}\n"
        )
    return text


def test_the_zones_are_those_the_subnets_name_else_half_of_the_subnets(tmp_path):
    """Subnets that each name a zone (by name or by id) are in as many zones as they name;
    when one names none, the subnets are a public and a private one per zone (and one alone
    is in one)."""
    cases = [
        (("AvailabilityZone: us-east-1a", "AvailabilityZone: us-east-1b"), 2),
        (("AvailabilityZoneId: use1-az1", "AvailabilityZoneId: use1-az2"), 2),
        (("AvailabilityZone: us-east-1a", "AvailabilityZone: us-east-1b", "", ""), 2),
        (("", "", "", ""), 2),
        (("",), 1),
    ]
    for zones, counted in cases:
        path = tmp_path / "t.yaml"
        path.write_text(_subnets(*zones))
        assert footprint(dry_run(path, {})).availability_zones == counted, zones


def test_a_custom_resource_is_not_named_as_a_type_not_priced(tmp_path):
    """A custom resource costs what its function does (a resource of its own): neither type
    of custom resource is named as not priced."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  Generic:\n    Type: AWS::CloudFormation::CustomResource\n"
        "    Properties: {ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:f}\n"
        "  Named:\n    Type: Custom::Mine\n"
        "    Properties: {ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:f}\n"
        "  Queue: {Type: AWS::SQS::Queue}\n"
    )
    assert footprint(dry_run(path, {})).unknown_types == (("Queue", "AWS::SQS::Queue"),)


def test_a_public_ip_is_counted_for_tasks_on_fargate_only(tmp_path):
    """public_ip holds the services on Fargate whose tasks get a public IPv4 address; a
    service on EC2 instances is priced by its instances (not_fargate), not per task address."""
    path = tmp_path / "t.yaml"
    service = (
        "Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      LaunchType: LAUNCH\n      NetworkConfiguration:\n"
        "        AwsvpcConfiguration: {Subnets: [subnet-0aaa1111], AssignPublicIp: ENABLED}\n"
    )
    path.write_text(service.replace("LAUNCH", "FARGATE"))
    assert footprint(dry_run(path, {})).public_ip == ("Service",)
    path.write_text(service.replace("LAUNCH", "EC2"))
    found = footprint(dry_run(path, {}))
    assert (found.public_ip, found.not_fargate) == ((), (("Service", "EC2 launch type"),))


def test_a_desired_count_above_a_known_maximum_is_not_noted_when_the_minimum_is_unknown(tmp_path):
    """The note names both bounds: with MinCapacity another stack's export, it is not said.
    The count is still held to the known MaxCapacity: registering the scalable target "changes
    the resource's current capacity to a value that is inside of this range"
    (RegisterScalableTarget, Application Auto Scaling API Reference,
    https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html)."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  Service:\n    Type: AWS::ECS::Service\n    Properties: {DesiredCount: 9}\n"
        "  Target:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n"
        "      MinCapacity: !ImportValue shared-min\n      MaxCapacity: 4\n"
        "      ResourceId: service/c/s\n      ScalableDimension: ecs:service:DesiredCount\n"
        "      ServiceNamespace: ecs\n"
    )
    found = footprint(dry_run(path, {}))
    assert (found.tasks[0][1], found.desired_outside_bounds) == (4, ())


def test_a_bucket_per_region_is_said_only_when_each_region_s_stack_reads_one(tmp_path):
    """Of a StackSet's stacks alike in two regions, one reading its nested template from the
    bucket of its region and the other from elsewhere: the bucket is named as it is, not as
    "a bucket per region" (``b-<region>``) that the other region would need."""
    (tmp_path / "child.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    (tmp_path / "deployed.yaml").write_text(
        "Conditions:\n  InEu: !Equals [!Ref AWS::Region, eu-west-1]\n"
        "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
        "      TemplateURL: !If [InEu, 'https://b-eu-west-1.s3.eu-west-1.amazonaws.com/"
        "child.yaml', 'https://templates.example.com/child.yaml']\n"
    )
    text = (
        "Resources:\n  Set:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n"
        # Self-managed: a service-managed StackSet deploys no nested stacks.
        "      StackSetName: s\n      PermissionModel: SELF_MANAGED\n"
        "      TemplateURL: https://b.s3.amazonaws.com/deployed.yaml\n"
        "      StackInstancesGroup:\n"
        "        - DeploymentTargets: {Accounts: ['123456789012']}\n"
        "          Regions: [eu-west-1, us-east-1]\n"
    )
    assert (
        "Set's stack in each account, in eu-west-1 and us-east-1 (deployed.yaml, templates from "
        "b-eu-west-1):"
    ) in _summary(tmp_path / "set.yaml", text)


def _service(strategy: str, cpu: str = "256", memory: str = "512") -> str:
    return (
        "Resources:\n"
        "  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
        f"      NetworkMode: awsvpc\n      Cpu: '{cpu}'\n      Memory: '{memory}'\n"
        "      ContainerDefinitions: [{Name: app, Image: nginx}]\n"
        "  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        f"      TaskDefinition: !Ref Task\n      CapacityProviderStrategy: {strategy}\n"
    )


def test_a_fargate_spot_base_alone_places_tasks_on_spot(tmp_path):
    """ "base: The base value designates how many tasks, at a minimum, to run on the specified
    capacity provider" (ECS API Reference, CapacityProviderStrategyItem): a FARGATE_SPOT item
    of base 2 and no weight beside FARGATE's runs two tasks on Spot."""
    path = tmp_path / "t.yaml"
    spot = "{CapacityProvider: FARGATE_SPOT, Base: 2}"
    path.write_text(_service(f"[{{CapacityProvider: FARGATE, Weight: 1}}, {spot}]"))
    assert footprint(dry_run(path, {})).spot == ("Service",)


def test_a_task_size_in_units_is_read_in_the_unit_of_its_field(tmp_path):
    """A Cpu of "1 vCPU" and a Memory of "2 GB" are 1 vCPU and 2 GB; a Memory in vCPU is no
    size of memory: unknown (priced as 0), not 1 GB."""
    path = tmp_path / "t.yaml"
    fargate = "[{CapacityProvider: FARGATE, Weight: 1}]"
    path.write_text(_service(fargate, "1 vCPU", "2 GB"))
    assert footprint(dry_run(path, {})).tasks == [("Service", 1, 1.0, 2.0, "X86_64")]
    path.write_text(_service(fargate, "1 vCPU", "1 vCPU"))
    found = footprint(dry_run(path, {}))
    assert found.tasks == [("Service", 1, 1.0, 0, "X86_64")]
    assert found.unknown_sizes == (("Service", 'its Memory "1 vCPU", priced as 0 GB'),)


def _scaled(desired: int, extra: str = "") -> str:
    """A Fargate service of ``desired`` tasks, autoscaled from 1 to 10; ``extra``: more of its
    scalable target's properties (indented six spaces) and further resources."""
    return (
        _service("[{CapacityProvider: FARGATE, Weight: 1}]")
        + f"      DesiredCount: {desired}\n"
        + "  Target:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n"
        + "      MinCapacity: 1\n      MaxCapacity: 10\n      ResourceId: service/c/s\n"
        + "      ScalableDimension: ecs:service:DesiredCount\n      ServiceNamespace: ecs\n"
        + extra
    )


def test_a_scheduled_week_holds_the_desired_count_not_autoscaling_s_minimum(tmp_path):
    """A DesiredCount of 5 (autoscaling 1 to 10) runs 5 tasks by day and 2 under the night's
    MaxCapacity of 2: 3.5 on average over the week, not the minimum's 1 (as without one)."""
    night = (
        "      ScheduledActions:\n"
        "        - {ScheduledActionName: night, Schedule: 'cron(0 20 * * ? *)',"
        " ScalableTargetAction: {MaxCapacity: 2}}\n"
        "        - {ScheduledActionName: day, Schedule: 'cron(0 8 * * ? *)',"
        " ScalableTargetAction: {MaxCapacity: 10}}\n"
    )
    path = tmp_path / "t.yaml"
    path.write_text(_scaled(5, night))
    assert footprint(dry_run(path, {})).scheduled_tasks == (("Service", 3.5),)


def test_each_service_says_the_target_tracking_policies_of_its_own_stack(tmp_path):
    """Two nested stacks, each a service and its target tracking policy: each service is
    scaled on its own policy's metric, not on both."""
    for name, metric, value in (("cpu", "CPU", 70), ("memory", "Memory", 80)):
        policy = (
            "  Policy:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n"
            "    Properties:\n      PolicyName: p\n      PolicyType: TargetTrackingScaling\n"
            "      ScalingTargetId: !Ref Target\n"
            "      TargetTrackingScalingPolicyConfiguration:\n"
            f"        TargetValue: {value}\n        PredefinedMetricSpecification:\n"
            f"          PredefinedMetricType: ECSServiceAverage{metric}Utilization\n"
        )
        (tmp_path / f"{name}.yaml").write_text(_scaled(2, policy))
    stacks = "".join(
        f"  {name}:\n    Type: AWS::CloudFormation::Stack\n"
        f"    Properties: {{TemplateURL: 'https://b.s3.us-east-1.amazonaws.com/{name}.yaml'}}\n"
        for name in ("cpu", "memory")
    )
    lines = _summary(tmp_path / "parent.yaml", "Resources:\n" + stacks)
    autoscaled = [line for line in lines if line.startswith("service ")]
    assert [line.rpartition("autoscaling 1 to 10")[2] for line in autoscaled] == [
        " on CPU 70 %",
        " on memory 80 %",
    ]


def test_a_response_header_of_no_value_is_not_said_as_sent(tmp_path):
    """A listener's response header attribute with an empty value inserts nothing to say: the
    summary says the headers given a value (as "sends Name: value") and no "sends X-Frame-
    Options: " of nothing."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  LoadBalancer: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: "
        "{Subnets: [subnet-1, subnet-2]}}\n"
        "  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n"
        "      LoadBalancerArn: !Ref LoadBalancer\n      Port: 80\n      Protocol: HTTP\n"
        "      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]\n"
        "      ListenerAttributes:\n"
        "        - {Key: routing.http.response.x_frame_options.header_value, Value: ''}\n"
        "        - {Key: routing.http.response.x_content_type_options.header_value,"
        " Value: nosniff}\n"
    )
    assert footprint(dry_run(path, {})).listeners == [
        "HTTP 80 (sends X-Content-Type-Options: nosniff)"
    ]


def test_a_tls_listener_of_one_of_two_load_balancers_is_named_and_routes_connections(tmp_path):
    """Of two load balancers, the listener of one alone still says whose it is (the other has
    none: "TLS 443" did not say which); a network load balancer's TLS listener, as a TCP one,
    takes connections, not requests."""
    path = tmp_path / "t.yaml"
    subnets = "Subnets: [subnet-1, subnet-2]"
    path.write_text(
        "Resources:\n"
        f"  Web: {{Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {{{subnets}}}}}\n"
        "  Stream:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        f"    Properties: {{Type: network, {subnets}}}\n"
        "  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n"
        "      LoadBalancerArn: !Ref Stream\n      Port: 443\n      Protocol: TLS\n"
        "      Certificates: [{CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/"
        "0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c}]\n"
        "      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Group}]\n"
        "  Group:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n"
        "    Properties: {Protocol: TCP, Port: 8080, TargetType: ip, VpcId: vpc-1}\n"
    )
    lines = describe(footprint(dry_run(path, {})))
    assert "listeners: TLS 443 of Stream" in lines
    assert (
        "route: TLS 443 of Stream, every connection: to target group Group (no ECS service) "
        "(Listener's default action)"
    ) in lines


RULES = """Resources:
  Web:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-1, subnet-2]}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Web
      Port: 443
      Protocol: HTTPS
      Certificates:
        - CertificateArn: >-
            arn:aws:acm:us-east-1:123456789012:certificate/0b7a5e8c-1d2f-4e3a-9b8c-7d6e5f4a3b2c
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '404'}}]
  Group:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: HTTP, Port: 8080, TargetType: ip, VpcId: vpc-1}
  SignIn:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Listener
      Priority: !ImportValue shared-priority
      Conditions: [{Field: path-pattern, PathPatternConfig: {Values: [/app/*]}}]
      Actions:
        - Type: authenticate-oidc
          Order: 1
          AuthenticateOidcConfig:
            Issuer: https://id.example.com
            AuthorizationEndpoint: https://id.example.com/a
            TokenEndpoint: https://id.example.com/t
            UserInfoEndpoint: https://id.example.com/u
            ClientId: c
            ClientSecret: s
        - {Type: forward, Order: 2, TargetGroupArn: !Ref Group}
  Moved:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Listener
      Priority: 5
      Conditions: [{Field: path-pattern, PathPatternConfig: {Values: [/old/*]}}]
      Actions:
        - Type: redirect
          RedirectConfig: {Protocol: HTTPS, Host: "#{host}", Port: "443", StatusCode: HTTP_301}
"""


def test_routes_say_sign_in_redirects_kept_parts_and_an_unknown_priority_last(tmp_path):
    """A rule signing in first says so before where it sends; a redirect keeping a part of the
    request ("#{host}") says the parts it sets alone; a rule whose priority is known only when
    the stack is created comes after those of known priorities, not before them."""
    routes = [line for line in _summary(tmp_path / "t.yaml", RULES) if line.startswith("route:")]
    assert routes == [
        "route: HTTPS 443, priority 5: path /old/* redirected to HTTPS 443 (listener rule Moved)",
        'route: HTTPS 443, priority {"Fn::ImportValue": "shared-priority"}: path /app/* after '
        "sign-in (authenticate-oidc), to target group Group (no ECS service) (listener rule "
        "SignIn)",
        "route: HTTPS 443, any other request: answered 404 (Listener's default action)",
    ]


def test_a_switch_given_as_the_string_true_is_on(tmp_path):
    """CloudFormation takes a Boolean property as the string "true" as well (a parameter's
    value is a string): a StackSet's AutoDeployment so enabled still deploys to each account
    that joins its unit, and a service's Service Connect so enabled still answers to its
    name."""
    (tmp_path / "child.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    text = (
        "Parameters:\n  Switch: {Type: String, Default: 'true'}\n"
        "Resources:\n  Set:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n"
        "      StackSetName: s\n      PermissionModel: SERVICE_MANAGED\n"
        "      AutoDeployment: {Enabled: !Ref Switch, RetainStacksOnAccountRemoval: false}\n"
        "      TemplateURL: https://b.s3.amazonaws.com/child.yaml\n"
        "      StackInstancesGroup:\n"
        "        - DeploymentTargets: {OrganizationalUnitIds: [ou-abcd-12345678]}\n"
        "          Regions: [us-east-1]\n"
    )
    assert _summary(tmp_path / "set.yaml", text)[0] == (
        "StackSet Set: child.yaml to each account of ou-abcd-12345678 (and each that joins "
        "it), in us-east-1"
    )
    connect = (
        "      ServiceConnectConfiguration:\n        Enabled: !Ref Switch\n"
        "        Namespace: ns\n        Services:\n"
        "          - {PortName: web, DiscoveryName: orders, ClientAliases: [{Port: 7000}]}\n"
    )
    fargate = "[{CapacityProvider: FARGATE, Weight: 1}]"
    service = _service(fargate).replace(
        "Resources:\n", "Parameters:\n  Switch: {Type: String}\nResources:\n"
    )
    path = tmp_path / "service.yaml"
    path.write_text(service + connect)
    lines = describe(footprint(dry_run(path, {"Switch": "true"})))
    assert "route: orders:7000 through Service Connect: to Service" in lines


def test_each_stackset_says_its_own_accounts_and_whether_its_template_is_read(tmp_path):
    """Of two StackSets, the one whose template is not read says so though the other's is;
    two accounts are "the accounts"."""
    (tmp_path / "child.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    stack_set = (
        "  {name}:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n"
        "      StackSetName: {name}\n      PermissionModel: SELF_MANAGED\n"
        "      TemplateURL: https://b.s3.amazonaws.com/{file}\n"
        "      StackInstancesGroup:\n"
        "        - DeploymentTargets: {{Accounts: ['111111111111', '222222222222']}}\n"
        "          Regions: [us-east-1]\n"
    )
    text = (
        "Resources:\n"
        + stack_set.format(name="Read", file="child.yaml")
        + stack_set.format(name="Unread", file="elsewhere.yaml")
    )
    lines = _summary(tmp_path / "set.yaml", text)
    assert lines[:4] == [
        "StackSet Read: child.yaml to the accounts 111111111111 and 222222222222, in us-east-1",
        "  read from https://b.s3.amazonaws.com/child.yaml when the StackSet is created or "
        "updated (publish it there first)",
        "StackSet Unread: elsewhere.yaml (not beside this template: not checked or counted) to "
        "the accounts 111111111111 and 222222222222, in us-east-1",
        "  read from https://b.s3.amazonaws.com/elsewhere.yaml when the StackSet is created or "
        "updated (publish it there first)",
    ]


def test_a_template_bucket_is_read_from_a_dash_region_url(tmp_path):
    """A nested stack's TemplateURL in the older dash form (my-templates.s3-us-west-2...:
    "Some Regions support legacy endpoints", Amazon S3 endpoints and quotas,
    https://docs.aws.amazon.com/general/latest/gr/s3.html) names its bucket as the dot form
    does."""
    (tmp_path / "child.yaml").write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n")
    path = tmp_path / "parent.yaml"
    for url in (
        "https://my-templates.s3-us-west-2.amazonaws.com/child.yaml",
        "https://my-templates.s3.us-west-2.amazonaws.com/child.yaml",
    ):
        path.write_text(
            "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n"
            f"    Properties: {{TemplateURL: '{url}'}}\n"
        )
        assert footprint(dry_run(path, {})).template_buckets == ("my-templates",)


def test_calls_are_unreachable_only_from_a_network_of_the_stack_without_its_endpoint(tmp_path):
    """Without a VPC of its own (a service joining another stack's network) the dry run does
    not know the network's NAT gateways or endpoints, and names no call as unreachable; with a
    VPC and no NAT gateway, an image in another region's ECR is unreachable unless the network
    has an endpoint to that region."""
    role = (
        "  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: queue\n          PolicyDocument:\n"
        "            Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: '*'}]\n"
    )
    fargate = "[{CapacityProvider: FARGATE, Weight: 1}]"
    service = _service(fargate).replace(
        "      NetworkMode: awsvpc\n",
        "      NetworkMode: awsvpc\n      TaskRoleArn: !GetAtt Role.Arn\n",
    )
    path = tmp_path / "t.yaml"
    path.write_text(service + role)
    assert footprint(dry_run(path, {})).unreachable == ()
    vpc = "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
    path.write_text(service + role + vpc)
    assert footprint(dry_run(path, {})).unreachable == (("Service", "sqs", "task role"),)
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"
    elsewhere = _service(fargate).replace("Image: nginx", f"Image: {image}") + vpc
    path.write_text(elsewhere)
    assert footprint(dry_run(path, {}, "us-east-1")).unreachable == (
        ("Service", "ecr in eu-west-1", "image"),
    )
    path.write_text(
        elsewhere + "  Ecr:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n"
        "      VpcId: !Ref Vpc\n      VpcEndpointType: Interface\n"
        "      ServiceName: com.amazonaws.eu-west-1.ecr.dkr\n      SubnetIds: [subnet-1]\n"
    )
    assert footprint(dry_run(path, {}, "us-east-1")).unreachable == ()


def test_an_image_or_secret_of_the_stack_s_own_region_is_not_another_region_s(tmp_path):
    """Without NAT, an ECR image and a secret of the stack's region are the network's own
    endpoints' business (none here: not said as another region's); a secret in another region
    is."""
    vpc = "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
    fargate = "[{CapacityProvider: FARGATE, Weight: 1}]"
    secret = "arn:aws:secretsmanager:{}:123456789012:secret:db"
    path = tmp_path / "t.yaml"
    for region, found in (
        ("us-east-1", ()),
        ("eu-west-1", (("Service", "secretsmanager in eu-west-1", "secrets"),)),
    ):
        container = (
            "{Name: app, Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1, "
            f"Secrets: [{{Name: DB, ValueFrom: '{secret.format(region)}'}}]}}"
        )
        path.write_text(_service(fargate).replace("{Name: app, Image: nginx}", container) + vpc)
        assert footprint(dry_run(path, {}, "us-east-1")).unreachable == found


def test_only_secrets_manager_secrets_are_counted_as_secrets(tmp_path):
    """A container's secrets from Secrets Manager are counted (each a secret to pay for, once
    however many containers read it); one from SSM Parameter Store is no Secrets Manager
    secret."""
    fargate = "[{CapacityProvider: FARGATE, Weight: 1}]"
    secrets = (
        "{Name: app, Image: nginx, Secrets: ["
        "{Name: A, ValueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db'}, "
        "{Name: B, ValueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db'}, "
        "{Name: C, ValueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/token'}]}"
    )
    path = tmp_path / "t.yaml"
    path.write_text(_service(fargate).replace("{Name: app, Image: nginx}", secrets))
    assert footprint(dry_run(path, {})).secrets == 1


def test_tasks_share_a_subnet_only_with_an_internet_facing_load_balancer_without_public_ips(
    tmp_path,
):
    """Tasks in an internet-facing load balancer's subnet are noted; in an internal one's they
    are not (that subnet may be private), nor are tasks given public IPs (a choice)."""
    fargate = "[{CapacityProvider: FARGATE, Weight: 1}]"
    path = tmp_path / "t.yaml"
    for scheme, public_ip, found in (
        ("internet-facing", "DISABLED", (("Service", ("subnet-1",), ("Web",)),)),
        ("internal", "DISABLED", ()),
        ("internet-facing", "ENABLED", ()),
    ):
        path.write_text(
            _service(fargate)
            + "      NetworkConfiguration:\n        AwsvpcConfiguration:\n"
            + f"          Subnets: [subnet-1]\n          AssignPublicIp: {public_ip}\n"
            + "  Web:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
            + f"    Properties: {{Scheme: {scheme}, Subnets: [subnet-1, subnet-2]}}\n"
        )
        assert footprint(dry_run(path, {})).shared_subnets == found


def test_tasks_sharing_subnets_with_several_load_balancers_name_every_one(tmp_path):
    """Tasks in subnet-1 and subnet-2, where Web and Api are (each in its own of the two):
    both load balancers are named, not those of the first subnet alone."""
    fargate = "[{CapacityProvider: FARGATE, Weight: 1}]"
    path = tmp_path / "t.yaml"
    path.write_text(
        _service(fargate)
        + "      NetworkConfiguration:\n        AwsvpcConfiguration:\n"
        + "          Subnets: [subnet-1, subnet-2]\n"
        + "  Web:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        + "    Properties: {Scheme: internet-facing, Subnets: [subnet-1, subnet-3]}\n"
        + "  Api:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        + "    Properties: {Scheme: internet-facing, Subnets: [subnet-2, subnet-3]}\n"
    )
    assert footprint(dry_run(path, {})).shared_subnets == (
        ("Service", ("subnet-1", "subnet-2"), ("Api", "Web")),
    )


def test_a_gateway_endpoint_policy_is_everything_only_when_it_allows_all_unconditionally():
    """AWS's default policy (every action on every resource, no condition) is no limit; a
    condition or a resource narrows it, and a condition on s3:ResourceAccount keeps to this
    account's buckets."""
    allow = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    assert endpoint_limits({"PolicyDocument": {"Statement": [allow]}}) is None
    condition = {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}
    narrowed = [{**allow, "Condition": condition}, {**allow, "Resource": "arn:aws:s3:::b/*"}]
    for statement in narrowed:
        policy = {"PolicyDocument": {"Statement": [statement]}}
        assert endpoint_limits(policy) == "limited by its policy"
    owned = {**allow, "Condition": {"StringEquals": {"s3:ResourceAccount": "123456789012"}}}
    assert endpoint_limits({"PolicyDocument": {"Statement": [owned]}}) == (
        "this account's buckets and ECR's image layers only"
    )


def test_a_china_region_endpoint_service_is_named_as_elsewhere():
    """ECR's endpoint services in China are named cn.com.amazonaws.<region>.<service>."""
    for name in ("cn.com.amazonaws.cn-north-1.ecr.api", "com.amazonaws.us-east-1.ecr.api"):
        assert endpoint_service({"ServiceName": name}) == "ecr.api"


def test_certificates_clusters_and_policies_counted_by_what_they_are(tmp_path):
    """A certificate's alternative names are among its names; Container Insights "enhanced"
    is on as "enabled" is; a step scaling policy creates no target tracking alarms."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  Certificate:\n    Type: AWS::CertificateManager::Certificate\n    Properties:\n"
        "      DomainName: a.example.com\n      SubjectAlternativeNames: [b.example.com]\n"
        "  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n"
        "      ClusterSettings: [{Name: containerInsights, Value: enhanced}]\n"
        "  Step:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n"
        "      PolicyName: step\n      PolicyType: StepScaling\n      ScalingTargetId: t\n"
        "      StepScalingPolicyConfiguration: {AdjustmentType: ChangeInCapacity}\n"
    )
    found = footprint(dry_run(path, {}))
    assert found.certificate_names == ("a.example.com", "b.example.com")
    assert (found.container_insights, found.scaling_alarms) == (1, 0)


# --- Subnets the tasks may fill ------------------------------------------------------------------
# Each Fargate task takes an address of its subnet ("every Amazon ECS task on Fargate is provided
# an elastic network interface (ENI) with a primary private IP address", ECS Developer Guide,
# "Amazon ECS task networking options for Fargate"), twice over while a rolling deployment runs
# at the default MaximumPercent of 200 ("The default maximumPercent value for a service using
# the REPLICA service scheduler is 200%", ECS API Reference, DeploymentConfiguration).


def _in_subnets(subnets: str, service: str = "", most: str = "10", cidr: str = "28") -> str:
    """Two subnets of /``cidr`` (11 addresses each at /28) and a Fargate service whose tasks
    run in ``subnets``, autoscaled up to ``most`` tasks; ``service``: more of its properties
    (indented six spaces)."""
    return (
        VPC.replace("0/24", f"0/{cidr}")
        + _service("[{CapacityProvider: FARGATE, Weight: 1}]").removeprefix("Resources:\n")
        + f"      NetworkConfiguration: {{AwsvpcConfiguration: {{Subnets: {subnets}}}}}\n"
        + service
        + "  Target:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n"
        + f"      MinCapacity: 1\n      MaxCapacity: {most}\n      ResourceId: service/c/s\n"
        + "      ScalableDimension: ecs:service:DesiredCount\n      ServiceNamespace: ecs\n"
    )


def _crowded(tmp_path: Path, text: str) -> list[str]:
    return [line for line in _summary(tmp_path / "t.yaml", text) if "note: the subnet" in line]


def test_tasks_at_their_most_twice_over_in_a_deployment_may_fill_their_subnets(tmp_path):
    """Autoscaled to 12 tasks, 24 while a deployment replaces them, 12 in each of two /28s of
    11 addresses: each subnet is said to be short. At 11 tasks, 11 each fit: nothing said."""
    assert _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", most="11")) == []
    assert _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", most="12")) == [
        f"note: the subnet {name} ({cidr}) holds 11 addresses (AWS reserves 5) and may need "
        "12: 12 for Service's tasks (at most 12, 200 % of them while a deployment replaces "
        "them, over 2 subnets); ECS places no task without an address, so a scale-out or "
        "deployment stalls there: give the subnet a larger block, or its services fewer tasks"
        for name, cidr in (("A", "10.0.0.0/28"), ("B", "10.0.1.0/28"))
    ]


def test_what_else_takes_a_subnet_s_addresses_is_counted_with_the_tasks(tmp_path):
    """An interface endpoint in A takes one of its addresses: 10 tasks there (20 in a
    deployment, over two subnets) and the endpoint need 11 of A's 11, and a second endpoint
    needs 12; B, without one, has room."""
    one = _in_subnets("[!Ref A, !Ref B]") + _interface("Logs", "logs", "[!Ref A]")
    assert _crowded(tmp_path, one) == []
    two = one + _interface("Ecr", "ecr.api", "[!Ref A]")
    (line,) = _crowded(tmp_path, two)
    assert line.startswith(
        "note: the subnet A (10.0.0.0/28) holds 11 addresses (AWS reserves 5) and may need 12: "
        "2 for the interface endpoints and 10 for Service's tasks (at most 10, "
    )


def test_a_deployment_s_maximum_percent_and_strategy_set_how_many_tasks_it_adds(tmp_path):
    """At MaximumPercent 150, 14 tasks are at most 21 in a deployment: 11 in each /28, which
    holds them (at the default 200, 14 each, it does not). A blue/green deployment runs both
    revisions at full size, whatever its MaximumPercent."""
    default = _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", most="14"))
    assert [line.split(": ")[1] for line in default] == ["the subnet A (10.0.0.0/28) holds 11 "
        "addresses (AWS reserves 5) and may need 14", "the subnet B (10.0.1.0/28) holds 11 "
        "addresses (AWS reserves 5) and may need 14"]  # fmt: skip
    percent = "      DeploymentConfiguration: {MaximumPercent: 150}\n"
    assert _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", percent, most="14")) == []
    for blue_green in (
        "      DeploymentConfiguration: {MaximumPercent: 100, Strategy: BLUE_GREEN}\n",
        "      DeploymentConfiguration: {MaximumPercent: 100}\n"
        "      DeploymentController: {Type: CODE_DEPLOY}\n",
    ):
        lines = _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", blue_green, most="14"))
        assert len(lines) == 2
        assert "14 for Service's tasks (at most 14, 200 % of them" in lines[0]


def test_tasks_in_subnets_the_stack_does_not_make_or_of_no_known_ceiling_are_not_counted(
    tmp_path,
):
    """Subnet IDs given (another stack's subnets: their size is not known here), or a
    MaxCapacity of another stack's export: nothing said. The subnets' IDs joined and split
    again are still the stack's own."""
    assert _crowded(tmp_path, _in_subnets("[subnet-0aaa1111, subnet-0bbb2222]", most="50")) == []
    unknown = _in_subnets("[!Ref A, !Ref B]", most="!ImportValue most")
    assert _crowded(tmp_path, unknown) == []
    joined = "!Split [',', !Join [',', [!Ref A, !Ref B]]]"
    assert len(_crowded(tmp_path, _in_subnets(joined, most="50"))) == 2


def test_the_shipped_root_and_instance_say_which_private_subnet_the_tasks_may_fill(tmp_path):
    """root.yaml's service reads its subnets from the network stack's output, through the
    root: the note names the network stack's subnet and the service stack's service. Its
    defaults (/19 private subnets) hold MaxCapacity's 1,000 tasks."""
    values = {
        "ContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1",
        "PrivateSubnet2Cidr": "10.0.64.0/28",
        "MaxCapacity": "20",
    }
    folder = Path(__file__).resolve().parents[2] / "templates" / __version__
    for name, prefix in (("root.yaml", "NetworkStack/"), ("instance.yaml", "")):
        given = {**values, **({"TemplateBucketName": "templates"} if prefix else {})}
        (line,) = [
            line
            for line in describe(footprint(dry_run(folder / name, given, "eu-west-1")))
            if "note: the subnet" in line
        ]
        service = "ServiceStack/Service" if prefix else "Service"
        assert line.startswith(
            f"note: the subnet {prefix}PrivateSubnet2 (10.0.64.0/28) holds 11 addresses (AWS "
            f"reserves 5) and may need 20: 20 for {service}'s tasks (at most 20, 200 % of them "
            "while a deployment replaces them, over 2 subnets)"
        )
        most = {**given, "MaxCapacity": "1000"}
        del most["PrivateSubnet2Cidr"]
        found = footprint(dry_run(folder / name, most, "eu-west-1"))
        assert found.crowded_subnets == ()


def test_the_tasks_of_several_services_in_one_subnet_are_added_up(tmp_path):
    """Two services of 6 tasks each (no autoscaling: their DesiredCount), in A and B: 6 each
    in a subnet during a deployment, 12 in all, one more than a /28 holds (each said in the
    template's order). Each alone fits."""
    service = _service("[{CapacityProvider: FARGATE, Weight: 1}]").removeprefix("Resources:\n")
    service += "      DesiredCount: 6\n"
    service += "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref A, !Ref B]}}\n"
    other = service.replace("  Task:", "  OtherTask:").replace("  Service:", "  Other:")
    other = other.replace("!Ref Task", "!Ref OtherTask")
    assert _crowded(tmp_path, VPC.replace("0/24", "0/28") + service) == []
    lines = _crowded(tmp_path, VPC.replace("0/24", "0/28") + service + other)
    assert [line.partition("; ECS")[0] for line in lines] == [
        f"note: the subnet {name} ({cidr}) holds 11 addresses (AWS reserves 5) and may need "
        "12: 6 for Service's tasks (the count of 6, 200 % of them while a deployment replaces "
        "them, over 2 subnets) and 6 for Other's tasks (the count of 6, 200 % of them while "
        "a deployment replaces them, over 2 subnets)"
        for name, cidr in (("A", "10.0.0.0/28"), ("B", "10.0.1.0/28"))
    ]


def test_a_deployment_s_percent_is_rounded_down_and_never_below_the_count(tmp_path):
    """ECS's MaximumPercent is "a percentage of the desiredCount (rounded down to the nearest
    integer)" (ECS API Reference, DeploymentConfiguration): 7 tasks at 160 % are 11, which a
    /28 holds (rounded up, 12 would not). Below 100 % a deployment stops tasks before it
    starts others: 23 tasks at 50 % still need 23, 12 in the busier of two /28s."""
    at_160 = "      DeploymentConfiguration: {MaximumPercent: 160}\n"
    assert _crowded(tmp_path, _in_subnets("[!Ref A]", at_160, most="7")) == []
    assert _crowded(tmp_path, _in_subnets("[!Ref A]", at_160, most="8")) != []
    at_50 = "      DeploymentConfiguration: {MaximumPercent: 50}\n"
    (line, _) = _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", at_50, most="23"))
    assert "12 for Service's tasks (at most 23, 100 % of them while" in line


def _nat(subnet: str) -> str:
    return (
        "  Ip: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}\n"
        "  Nat:\n    Type: AWS::EC2::NatGateway\n"
        f"    Properties: {{SubnetId: !Ref {subnet}, AllocationId: !GetAtt Ip.AllocationId}}\n"
    )


def _balancer(name: str) -> str:
    return (
        f"  {name}:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
        "    Properties: {Scheme: internal, Subnets: [!Ref A, !Ref B]}\n"
    )


def test_nat_gateways_and_load_balancers_in_a_subnet_are_counted_with_its_tasks(tmp_path):
    """A NAT gateway takes an address of its subnet, and a load balancer wants 8 free in each
    of its (once, as the refusal of a subnet too small counts them: two want 8 too)."""
    nat = _in_subnets("[!Ref A, !Ref B]") + _nat("A") + _interface("Logs", "logs", "[!Ref A]")
    (line,) = _crowded(tmp_path, nat)
    assert ": 1 for the interface endpoints, 1 for the NAT gateway and 10 for Service's" in line
    assert _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", most="1") + _balancer("L")) == []
    balanced = _in_subnets("[!Ref A, !Ref B]", most="4") + _balancer("L") + _balancer("M")
    lines = _crowded(tmp_path, balanced)
    assert [line.split("; ECS")[0].split(": ", 2)[2] for line in lines] == [
        "8 free for the load balancers and 4 for Service's tasks (at most 4, 200 % of them "
        "while a deployment replaces them, over 2 subnets)"
    ] * 2
    assert "may need 12" in lines[0]


def test_a_subnet_the_tasks_add_nothing_to_is_left_to_the_refusal(tmp_path):
    """No tasks (DesiredCount 0, no autoscaling) in subnets a load balancer wants 8 free in
    (named through Fn::Split, which the refusal of a subnet too small does not follow), with 4
    endpoints: the note blamed the tasks ("0 for Service's tasks ... or its services fewer
    tasks") for the load balancer and the endpoints."""
    service = _service("[{CapacityProvider: FARGATE, Weight: 1}]").removeprefix("Resources:\n")
    service += "      DesiredCount: 0\n"
    service += "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref A, !Ref B]}}\n"
    endpoints = "".join(_interface(f"E{n}", f"s{n}", "[!Ref A, !Ref B]") for n in range(4))
    split = "!Split [',', !Join [',', [!Ref A, !Ref B]]]"
    balancer = _balancer("L").replace("[!Ref A, !Ref B]", split)
    text = VPC.replace("0/24", "0/28") + service + balancer + endpoints
    assert _summary(tmp_path / "t.yaml", text)  # validated: the refusal lets it through
    assert _crowded(tmp_path, text) == []
    assert _crowded(tmp_path, text.replace("DesiredCount: 0", "DesiredCount: 1")) != []


@pytest.mark.parametrize(
    "subnets",
    [
        "[!Ref A, subnet-0bbb2222]",  # one of another stack's: its size not known
        "!Split [';', !Join [';', [!Ref A, !Ref B]]]",  # not a list of IDs
    ],
)
def test_subnets_not_all_known_to_be_the_stack_s_own_are_not_counted(tmp_path, subnets):
    assert _crowded(tmp_path, _in_subnets(subnets, most="50")) == []


def test_a_subnet_named_twice_is_counted_once(tmp_path):
    (line,) = _crowded(tmp_path, _in_subnets("[!Ref A, !Ref A]", most="12"))
    assert "may need 24: 24 for Service's tasks (at most 12, 200 % of them while a " in line
    assert "over 1 subnet)" in line


@pytest.mark.parametrize(
    "deployment", ["{Strategy: !ImportValue strategy}", "{Strategy: [BLUE_GREEN]}"]
)
def test_a_deployment_of_a_strategy_not_known_here_is_not_counted(tmp_path, deployment):
    """A TypeError (a mapping looked up in a set of strategies): validate and cost failed on
    a template CloudFormation takes (a review). A MaximumPercent of NaN is refused, as any
    integer property of NaN (test_dry_run)."""
    text = _in_subnets(
        "[!Ref A, !Ref B]", f"      DeploymentConfiguration: {deployment}\n", most="50"
    )
    assert _crowded(tmp_path, text) == []
    nan = _in_subnets("[!Ref A]", "      DeploymentConfiguration: {MaximumPercent: .nan}\n")
    (tmp_path / "nan.yaml").write_text(nan)
    with pytest.raises(DryRunFailed, match="MaximumPercent is nan, not written as a whole"):
        dry_run(tmp_path / "nan.yaml", {})


@pytest.mark.parametrize("strategy", ["LINEAR", "CANARY"])
def test_a_linear_or_canary_deployment_runs_both_revisions_at_full_size(tmp_path, strategy):
    """ECS's linear and canary deployments, as its blue/green one, run the new revision beside
    the old until the traffic has moved: 14 tasks are 28 whatever MaximumPercent says, 14 in
    each /28 of 11 addresses."""
    deployment = f"      DeploymentConfiguration: {{MaximumPercent: 100, Strategy: {strategy}}}\n"
    lines = _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", deployment, most="14"))
    assert [line.partition("; ECS")[0] for line in lines] == [
        f"note: the subnet {name} ({cidr}) holds 11 addresses (AWS reserves 5) and may need "
        "14: 14 for Service's tasks (at most 14, 200 % of them while a deployment replaces "
        "them, over 2 subnets)"
        for name, cidr in (("A", "10.0.0.0/28"), ("B", "10.0.1.0/28"))
    ]


def test_a_maximum_percent_not_known_here_is_not_counted(tmp_path):
    """Another stack's MaximumPercent (an import) is known only when the stack is created: the
    service is left out of what its subnets may need, not read as a number."""
    deployment = "      DeploymentConfiguration: {MaximumPercent: !ImportValue most}\n"
    assert _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", deployment, most="50")) == []


def test_one_nat_gateway_or_load_balancer_is_named_in_the_singular_several_in_the_plural(
    tmp_path,
):
    two_nat = _nat("A") + _nat("A").replace("Ip", "Ip2").replace("  Nat:", "  Nat2:")
    (line,) = _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]") + two_nat)
    assert "may need 12: 2 for the NAT gateways and 10 for Service's tasks" in line
    lines = _crowded(tmp_path, _in_subnets("[!Ref A, !Ref B]", most="8") + _balancer("L"))
    assert [line.split("; ECS")[0].split(": ", 2)[2] for line in lines] == [
        "8 free for the load balancer and 8 for Service's tasks (at most 8, 200 % of them "
        "while a deployment replaces them, over 2 subnets)"
    ] * 2


def test_crowded_subnets_are_said_in_the_order_of_their_names_not_of_the_service_s_list(
    tmp_path,
):
    lines = _crowded(tmp_path, _in_subnets("[!Ref B, !Ref A]", most="12"))
    assert [line.split(" (")[0] for line in lines] == [
        "note: the subnet A",
        "note: the subnet B",
    ]


def test_tasks_given_what_is_no_subnet_are_not_counted(tmp_path):
    """A VPC has a CidrBlock too: a service whose Subnets name it was noted as filling "the
    subnet Vpc". Only a subnet's block holds its tasks."""
    service = _service("[{CapacityProvider: FARGATE, Weight: 1}]").removeprefix("Resources:\n")
    service += "      DesiredCount: 12\n"
    service += "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref Vpc]}}\n"
    vpc = VPC.replace("10.0.0.0/16", "10.0.0.0/28").replace("0/24", "0/28")
    assert _crowded(tmp_path, vpc + service) == []


def test_a_subnet_block_that_is_no_network_is_left_to_ec2(tmp_path):
    """10.0.0.1/28 has host bits set: no block to count the addresses of, and no traceback.
    EC2 names it when the stack is created; B, a block, is still noted."""
    text = _in_subnets("[!Ref A, !Ref B]", most="12").replace("10.0.0.0/28", "10.0.0.1/28")
    lines = _crowded(tmp_path, text)
    assert [line.split(" holds")[0] for line in lines] == ["note: the subnet B (10.0.1.0/28)"]
