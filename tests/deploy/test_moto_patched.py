"""Each fix in moto_patched.py does what it says, in a moto of its own (a subprocess, so the
patches never leak into this test process)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.aws import MotoServer

REPO = Path(__file__).resolve().parents[2]

SCENARIO = textwrap.dedent(
    """
    import json, warnings
    warnings.simplefilter("ignore")
    import boto3
    from moto import mock_aws
    import tests.deploy.moto_patched as patched
    patched.apply()

    CHILD = '''
    Resources:
      Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
    Outputs:
      VpcId: {Value: !Ref Vpc}
    '''
    PARENT = '''
    Parameters:
      Count: {Type: Number, Default: "2"}
      Interval: {Type: Number, Default: "15"}
      Mode: {Type: String, Default: a}
    Conditions:
      IsA: !Equals [!Ref Mode, a]
      Always: !Equals [x, x]
      Both: !And [!Condition IsA, !Condition Always]
      Never: !Equals [x, y]
    Resources:
      Child:
        Type: AWS::CloudFormation::Stack
        Properties: {TemplateURL: https://b-1.s3.us-east-1.amazonaws.com/child.yaml}
      Subnet:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !GetAtt Child.Outputs.VpcId
          CidrBlock: 10.1.0.0/24
          AvailabilityZone: us-east-1a
      Subnet2:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !GetAtt Child.Outputs.VpcId
          CidrBlock: 10.1.1.0/24
          AvailabilityZone: us-east-1b
      Routes:
        Type: AWS::EC2::RouteTable
        Properties: {VpcId: !GetAtt Child.Outputs.VpcId}
      Association:
        Type: AWS::EC2::SubnetRouteTableAssociation
        Properties: {RouteTableId: !Ref Routes, SubnetId: !Ref Subnet}
      OnlyIfBoth:
        Type: AWS::EC2::RouteTable
        Condition: Both
        Properties: {VpcId: !GetAtt Child.Outputs.VpcId}
      NeverMade:
        Type: AWS::EC2::RouteTable
        Condition: Never
        Properties: {VpcId: !GetAtt Child.Outputs.VpcId}
      Balancer:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties:
          Type: network
          Subnets: [!Ref Subnet, !Ref Subnet2]
          LoadBalancerAttributes: [{Key: deletion_protection.enabled, Value: "true"}]
      Cluster: {Type: AWS::ECS::Cluster}
      Task:
        Type: AWS::ECS::TaskDefinition
        Properties:
          ContainerDefinitions: [{Name: app, Image: nginx, Memory: 512}]
      Service:
        Type: AWS::ECS::Service
        Properties: {Cluster: !Ref Cluster, TaskDefinition: !Ref Task, DesiredCount: !Ref Count}
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument: {Statement: []}
          Policies:
            - {PolicyName: Kept, PolicyDocument: {Statement: []}}
            - !If [IsA, !Ref AWS::NoValue, {PolicyName: Other, PolicyDocument: {Statement: []}}]
      Namespace:
        Type: AWS::ServiceDiscovery::HttpNamespace
        Properties: {Name: shop}
      Certificate:
        Type: AWS::CertificateManager::Certificate
        Properties:
          DomainName: shop.example.com
          SubjectAlternativeNames: [api.shop.example.com]
          ValidationMethod: DNS
      Group:
        Type: AWS::ElasticLoadBalancingV2::TargetGroup
        Properties:
          VpcId: !GetAtt Child.Outputs.VpcId
          Protocol: HTTP
          Port: 80
          TargetType: ip
          HealthCheckIntervalSeconds: !Ref Interval
          HealthyThresholdCount: !Ref Count
      Eip: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
      Nat:
        Type: AWS::EC2::NatGateway
        Properties: {AllocationId: !GetAtt Eip.AllocationId, SubnetId: !Ref Subnet}
      EndpointGroup:
        Type: AWS::EC2::SecurityGroup
        Properties: {GroupDescription: endpoints, VpcId: !GetAtt Child.Outputs.VpcId}
      Endpoint:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: !GetAtt Child.Outputs.VpcId
          VpcEndpointType: Interface
          ServiceName: com.amazonaws.us-east-1.logs
          SubnetIds: [!Ref Subnet]
          SecurityGroupIds: [!Ref EndpointGroup]
      Alarm:
        Type: AWS::CloudWatch::Alarm
        Properties:
          Namespace: AWS/ApplicationELB
          MetricName: UnHealthyHostCount
          Dimensions: [{Name: TargetGroup, Value: !GetAtt Group.TargetGroupFullName}]
          Statistic: Maximum
          Period: 60
          EvaluationPeriods: 3
          Threshold: 1
          ComparisonOperator: GreaterThanOrEqualToThreshold
    Outputs:
      AlarmName: {Value: !Ref Alarm}
      NamespaceArn: {Value: !GetAtt Namespace.Arn}
      NamespaceId: {Value: !Ref Namespace}
      CertificateArn: {Value: !Ref Certificate}
      BalancerZone: {Value: !GetAtt Balancer.CanonicalHostedZoneID}
      BalancerFullName: {Value: !GetAtt Balancer.LoadBalancerFullName}
      NeverExported:
        Condition: Never
        Value: !Sub "${NeverMade.RouteTableId}"
        Export: {Name: never-exported}
    '''
    LABELLED = '''
    Parameters:
      Label: {Type: String}
    Resources:
      Topic: {Type: AWS::SNS::Topic}
    Outputs:
      Label: {Value: !Ref Label}
    '''
    HOLDER = '''
    Parameters:
      Label: {Type: String, Default: one}
    Resources:
      Nested:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: https://b-1.s3.us-east-1.amazonaws.com/labelled.yaml
          Parameters: {Label: !Ref Label}
    '''
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="b-1")
        s3.put_object(Bucket="b-1", Key="child.yaml", Body=CHILD)
        cf = boto3.client("cloudformation", region_name="us-east-1")
        cf.create_stack(StackName="p", TemplateBody=PARENT)
        ec2 = boto3.client("ec2", region_name="us-east-1")
        elb = boto3.client("elbv2", region_name="us-east-1")
        ecs = boto3.client("ecs", region_name="us-east-1")
        resources = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                     for r in cf.list_stack_resources(StackName="p")["StackResourceSummaries"]}
        child_vpc = {o["OutputKey"]: o["OutputValue"] for o in cf.describe_stacks(
            StackName=resources["Child"])["Stacks"][0]["Outputs"]}["VpcId"]
        subnet = ec2.describe_subnets(SubnetIds=[resources["Subnet"]])["Subnets"][0]
        by_subnet = [{"Name": "association.subnet-id", "Values": [resources["Subnet"]]}]
        tables = ec2.describe_route_tables(Filters=by_subnet)["RouteTables"]
        (balancer,) = elb.describe_load_balancers()["LoadBalancers"]
        attributes = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(
            LoadBalancerArn=balancer["LoadBalancerArn"])["Attributes"]}
        cluster = ecs.list_clusters()["clusterArns"][0]
        arns = ecs.list_services(cluster=cluster)["serviceArns"]
        service = ecs.describe_services(cluster=cluster, services=arns)["services"][0]
        iam = boto3.client("iam", region_name="us-east-1")
        policies = iam.list_role_policies(RoleName=resources["Role"])["PolicyNames"]
        outputs = {o["OutputKey"]: o["OutputValue"]
                   for o in cf.describe_stacks(StackName="p")["Stacks"][0]["Outputs"]}
        (namespace,) = boto3.client(
            "servicediscovery", region_name="us-east-1").list_namespaces()["Namespaces"]
        acm = boto3.client("acm", region_name="us-east-1")
        (certificate,) = acm.list_certificates()["CertificateSummaryList"]
        (alarm,) = boto3.client("cloudwatch", region_name="us-east-1").describe_alarms()[
            "MetricAlarms"]
        (group,) = elb.describe_target_groups()["TargetGroups"]
        names = acm.describe_certificate(
            CertificateArn=certificate["CertificateArn"])["Certificate"]
        s3.put_object(Bucket="b-1", Key="labelled.yaml", Body=LABELLED)
        cf.create_stack(StackName="h", TemplateBody=HOLDER)
        def nested_stack():
            (found,) = cf.list_stack_resources(StackName="h")["StackResourceSummaries"]
            inner = cf.describe_stacks(StackName=found["PhysicalResourceId"])["Stacks"][0]
            return inner["StackId"], inner["Outputs"][0]["OutputValue"]
        before = nested_stack()
        cf.update_stack(StackName="h", UsePreviousTemplate=True,
                        Parameters=[{"ParameterKey": "Label", "ParameterValue": "two"}])
        after = nested_stack()
        (nat,) = ec2.describe_nat_gateways()["NatGateways"]
        nat_eni = nat["NatGatewayAddresses"][0]["NetworkInterfaceId"]
        (endpoint,) = ec2.describe_vpc_endpoints(
            Filters=[{"Name": "vpc-endpoint-type", "Values": ["Interface"]}])["VpcEndpoints"]
        interfaces = {i["NetworkInterfaceId"]: i for i in ec2.describe_network_interfaces(
            NetworkInterfaceIds=[nat_eni, *endpoint["NetworkInterfaceIds"]])["NetworkInterfaces"]}
        print(json.dumps({
            "nat_interface": [interfaces[nat_eni]["Groups"], interfaces[nat_eni]["InterfaceType"]],
            "endpoint_interfaces": [
                ([g["GroupId"] for g in i["Groups"]] == [resources["EndpointGroup"]],
                 i["InterfaceType"])
                for eni_id, i in interfaces.items() if eni_id != nat_eni],
            "nested_update": [before[0] == after[0], before[1], after[1]],
            "nested_output": subnet["VpcId"] == child_vpc,
            "association": [t["RouteTableId"] for t in tables] == [resources["Routes"]],
            "condition": "OnlyIfBoth" in resources,
            "balancer_type": balancer["Type"],
            "deletion_protection": attributes.get("deletion_protection.enabled"),
            "desired_count": service["desiredCount"],
            "role_policies": policies,
            "namespace": [namespace["Name"], namespace["Type"],
                          outputs["NamespaceArn"] == namespace["Arn"],
                          outputs["NamespaceId"] == namespace["Id"]],
            "certificate": [outputs["CertificateArn"] == certificate["CertificateArn"],
                            names["DomainName"], sorted(names["SubjectAlternativeNames"])],
            "balancer_zone": outputs["BalancerZone"] == balancer["CanonicalHostedZoneId"],
            "alarm": [outputs["AlarmName"] == alarm["AlarmName"], alarm["Dimensions"][0]["Value"],
                      group["TargetGroupArn"]],
            "health_check_interval": group["HealthCheckIntervalSeconds"],
            "conditional_export": ["NeverExported" in outputs, [
                e["Name"] for e in cf.list_exports()["Exports"]]],
            "balancer_full_name": [outputs["BalancerFullName"],
                                   balancer["LoadBalancerArn"].endswith(
                                       ":loadbalancer/" + outputs["BalancerFullName"])],
        }))
    """
)


UPDATES = textwrap.dedent(
    """
    import json, warnings
    warnings.simplefilter("ignore")
    import boto3
    from moto import mock_aws
    import tests.deploy.moto_patched as patched
    patched.apply()

    V1 = '''
    Parameters:
      Mode: {Type: String, Default: a}
    Conditions:
      IsA: !Equals [!Ref Mode, a]
      IsB: !Equals [!Ref Mode, b]
    Resources:
      Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.2.0.0/16}}
      OnlyA: {Type: AWS::SQS::Queue, Condition: IsA}
      OnlyB: {Type: AWS::SQS::Queue, Condition: IsB}
      Cluster: {Type: AWS::ECS::Cluster}
      Named: {Type: AWS::ECS::Cluster, Properties: {ClusterName: named}}
      Task:
        Type: AWS::ECS::TaskDefinition
        Properties: {ContainerDefinitions: [{Name: app, Image: "nginx:1", Memory: 512}]}
      Group:
        Type: AWS::EC2::SecurityGroup
        Properties: {GroupDescription: tasks, VpcId: !Ref Vpc}
      Bucket: {Type: AWS::S3::Bucket}
    '''
    # What a new version changes: a condition on the cluster, a rule in the group, tags on the
    # bucket, a setting of a queue whose condition is false.
    V2 = (
        V1.replace("Cluster: {Type: AWS::ECS::Cluster}",
                   "Cluster: {Type: AWS::ECS::Cluster, Condition: IsB}")
        .replace('Image: "nginx:1"', 'Image: "nginx:2"')
        .replace("Properties: {ClusterName: named}", "Properties: {}")
        .replace("Properties: {GroupDescription: tasks, VpcId: !Ref Vpc}",
                 "Properties: {GroupDescription: !Sub tasks, VpcId: !Ref Vpc}")
        .replace("Bucket: {Type: AWS::S3::Bucket}",
                 "Bucket: {Type: AWS::S3::Bucket, Properties: {Tags: [{Key: k, Value: v}]}}")
        .replace("Condition: IsA}", "Condition: IsA, Properties: {VisibilityTimeout: 40}}")
    )
    assert "VisibilityTimeout" in V2 and "!Sub tasks" in V2 and "Tags" in V2
    # A change moto cannot make (a VPC's block: moto has no update for a VPC).
    V3 = V2.replace("CidrBlock: 10.2.0.0/16", "CidrBlock: 10.3.0.0/16")
    with mock_aws():
        cf = boto3.client("cloudformation", region_name="us-east-1")
        sqs = boto3.client("sqs", region_name="us-east-1")
        def physical():
            return {r["LogicalResourceId"]: r["PhysicalResourceId"]
                    for r in cf.list_stack_resources(StackName="u")["StackResourceSummaries"]}
        def queues():  # the queues that exist
            return sorted(sqs.list_queues().get("QueueUrls", []))
        cf.create_stack(StackName="u", TemplateBody=V1)
        first = physical()
        first_queues = queues()
        cf.update_stack(StackName="u", UsePreviousTemplate=True,
                        Parameters=[{"ParameterKey": "Mode", "ParameterValue": "b"}])
        second = physical()
        second_queues = queues()
        cf.update_stack(StackName="u", TemplateBody=V2,
                        Parameters=[{"ParameterKey": "Mode", "UsePreviousValue": True}])
        third = physical()
        # Once more: the bucket's generated name was recorded as its template's (a review).
        cf.update_stack(StackName="u", TemplateBody=V2.replace("Value: v}", "Value: w}"),
                        Parameters=[{"ParameterKey": "Mode", "UsePreviousValue": True}])
        again = physical()["Bucket"] == third["Bucket"]
        try:
            cf.update_stack(StackName="u", TemplateBody=V3,
                            Parameters=[{"ParameterKey": "Mode", "UsePreviousValue": True}])
            refused = ""
        except Exception as exc:
            refused = str(exc)
        print(json.dumps({
            "not_emulated": refused,
            "status": cf.describe_stacks(StackName="u")["Stacks"][0]["StackStatus"],
            "condition_flip": [first_queues == [first["OnlyA"]], "OnlyB" in first,
                               second_queues == [second["OnlyB"]], "OnlyA" in second],
            "false_condition_changed": ["OnlyA" in third, queues() == [second["OnlyB"]]],
            "kept": {name: first[name] == third[name] for name in ("Cluster", "Group", "Bucket")},
            "renamed": [first["Named"] == "named", third["Named"] != "named"],
            "family": [third["Task"] != first["Task"],
                       third["Task"].rsplit(":", 1)[0] == first["Task"].rsplit(":", 1)[0]],
            "bucket_updated_again": again,
        }))
    """
)


def _run(scenario: str) -> dict[str, object]:
    """What ``scenario`` prints last, as JSON, run in a Python of its own."""
    result = subprocess.run(
        [sys.executable, "-c", scenario], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def updates() -> dict[str, object]:
    return _run(UPDATES)


def test_an_update_creates_and_deletes_what_a_changed_condition_says(updates):
    """moto updated only the resources whose text changed, whatever their Condition: one whose
    condition turned true was never made, one turned false stayed, and one under a false
    condition whose text changed was updated as if it existed (0.3.0 to 0.4.0 failed so)."""
    assert updates["status"] == "UPDATE_COMPLETE"
    assert updates["condition_flip"] == [True, False, True, False]
    assert updates["false_condition_changed"] == [False, True]


def test_an_update_keeps_a_generated_name_and_what_resolves_as_before(updates):
    """moto made an unnamed ECS cluster again whenever its template text changed (it compared
    a fresh random name), failed tagging a bucket without a BucketName (KeyError), registered a
    task definition under a new random family, and made a security group again whose template
    text changed though its value did not (!Sub tasks is tasks): CloudFormation "updates only
    the changed resources", and keeps a generated name."""
    assert updates["kept"] == {"Cluster": True, "Group": True, "Bucket": True}
    assert updates["bucket_updated_again"] is True
    # A new image registers a new revision of the same family (moto drew a new family).
    assert updates["family"] == [True, True]


def test_a_cluster_that_loses_its_name_is_made_again(updates):
    """ClusterName is create-only: without it CloudFormation makes a cluster of a generated name
    (a review: the generated-name fix kept "named")."""
    assert updates["renamed"] == [True, True]


def test_an_update_moto_cannot_make_fails_rather_than_passing_unseen(updates):
    """A VPC's new block (moto has no update for a VPC: it left the old one, or nothing) fails
    the update, naming what changed: a deploy test never passes on what the emulator skipped."""
    assert "moto cannot update AWS::EC2::VPC Vpc: CidrBlock changed" in updates["not_emulated"]


@pytest.fixture(scope="module")
def outcome() -> dict[str, object]:
    return _run(SCENARIO)


def test_a_nested_stack_is_updated_in_place_with_its_parent(outcome):
    """CloudFormation updates a nested stack in place; moto deleted it and made another (a new
    stack ID), and the listener rule the old one left made every update of an environment fail
    with PriorityInUse."""
    assert outcome["nested_update"] == [True, "one", "two"]


def test_a_parent_reads_a_nested_stacks_output_through_the_short_form_getatt(outcome):
    assert outcome["nested_output"] is True


def test_condition_short_form_references_another_condition(outcome):
    assert outcome["condition"] is True


def test_a_route_table_association_shows_on_the_route_table(outcome):
    assert outcome["association"] is True


def test_a_load_balancer_keeps_its_type_and_attributes(outcome):
    assert outcome["balancer_type"] == "network"
    assert outcome["deletion_protection"] == "true"


def test_an_ecs_service_takes_its_desired_count_from_a_number_parameter(outcome):
    assert outcome["desired_count"] == 2


def test_no_value_removes_a_list_item(outcome):
    assert outcome["role_policies"] == ["Kept"]


def test_an_http_namespace_is_created_with_its_ref_and_arn(outcome):
    assert outcome["namespace"] == ["shop", "HTTP", True, True]


def test_a_certificate_is_requested_with_its_names_and_ref_is_its_arn(outcome):
    assert outcome["certificate"] == [
        True,
        "shop.example.com",
        ["api.shop.example.com", "shop.example.com"],
    ]


def test_a_load_balancer_answers_its_zone_and_full_name(outcome):
    assert outcome["balancer_zone"] is True
    full_name, is_the_arns_end = outcome["balancer_full_name"]
    # <type>/<name>/<id>, the end of the ARN (moto writes app/ even for a network one).
    assert str(full_name).count("/") == 2 and is_the_arns_end is True


def test_an_alarm_is_created_and_ref_is_its_name(outcome):
    ref_is_the_name, dimension, group_arn = outcome["alarm"]
    assert ref_is_the_name is True
    # TargetGroupFullName: targetgroup/<name>/<id>, the end of the target group's ARN.
    assert dimension.startswith("targetgroup/") and group_arn.endswith(":" + dimension)


def test_a_target_group_takes_its_health_check_numbers_from_number_parameters(outcome):
    assert outcome["health_check_interval"] == 15


def test_an_output_whose_condition_is_false_is_neither_evaluated_nor_exported(outcome):
    """CloudFormation creates an output only when its Condition holds ("Outputs ... Condition",
    CloudFormation User Guide); moto evaluated every exported value, failing the stack on a
    reference to a resource its condition left out."""
    assert outcome["conditional_export"] == [False, []]


def test_a_nat_gateways_interface_has_no_security_group(outcome):
    """ "Security groups: Cannot be associated with a NAT gateway" (Amazon VPC User Guide,
    "Compare NAT gateways and NAT instances"); moto gave it the VPC's default group."""
    assert outcome["nat_interface"] == [[], "nat_gateway"]


def test_an_interface_endpoints_interfaces_are_in_its_security_groups(outcome):
    """AWS::EC2::VPCEndpoint SecurityGroupIds: "The IDs of the security groups to associate with
    the endpoint network interfaces"; moto left them in the VPC's default group."""
    assert outcome["endpoint_interfaces"] == [[True, "vpc_endpoint"]]


WEIGHTED_LISTENER = textwrap.dedent(
    """
    import json, warnings
    warnings.simplefilter("ignore")
    import boto3
    from moto import mock_aws
    import tests.deploy.moto_patched as patched
    patched.apply()

    TEMPLATE = '''
    Parameters:
      Shifts: {Type: String}
    Conditions:
      ShiftsTraffic: !Equals [!Ref Shifts, "true"]
      Always: !Equals [x, x]
    Resources:
      Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.4.0.0/16}}
      Subnet:
        Type: AWS::EC2::Subnet
        Properties: {VpcId: !Ref Vpc, CidrBlock: 10.4.0.0/24, AvailabilityZone: us-east-1a}
      Subnet2:
        Type: AWS::EC2::Subnet
        Properties: {VpcId: !Ref Vpc, CidrBlock: 10.4.1.0/24, AvailabilityZone: us-east-1b}
      Balancer:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties: {Type: network, Subnets: [!Ref Subnet, !Ref Subnet2]}
      Blue:
        Type: AWS::ElasticLoadBalancingV2::TargetGroup
        Properties: {VpcId: !Ref Vpc, Protocol: TCP, Port: 8080, TargetType: ip}
      Green:
        Type: AWS::ElasticLoadBalancingV2::TargetGroup
        Properties: {VpcId: !Ref Vpc, Protocol: TCP, Port: 8080, TargetType: ip}
      Listener:
        Type: AWS::ElasticLoadBalancingV2::Listener
        # A Condition, as the product's listeners have (HttpPortOpen, HasCertificate): moto
        # lists for update only a resource with one (or whose text or Refs changed), and the
        # Fn::If below names its condition, not the parameter.
        Condition: Always
        Properties:
          LoadBalancerArn: !Ref Balancer
          Port: 80
          Protocol: TCP
          DefaultActions:
            - !If
              - ShiftsTraffic
              - Type: forward
                ForwardConfig:
                  TargetGroups:
                    - {TargetGroupArn: !Ref Blue, Weight: 100}
                    - {TargetGroupArn: !Ref Green, Weight: 0}
              - {Type: forward, TargetGroupArn: !Ref Blue}
    '''
    with mock_aws():
        cf = boto3.client("cloudformation", region_name="us-east-1")
        elb = boto3.client("elbv2", region_name="us-east-1")
        def given(shifts):
            return [{"ParameterKey": "Shifts", "ParameterValue": shifts}]
        def stack(name):
            resources = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in
                         cf.list_stack_resources(StackName=name)["StackResourceSummaries"]}
            (listener,) = elb.describe_listeners(ListenerArns=[resources["Listener"]])["Listeners"]
            return resources, listener
        def forwards_to(listener):
            (action,) = listener["DefaultActions"]
            return [[g["TargetGroupArn"], g["Weight"]]
                    for g in action.get("ForwardConfig", {}).get("TargetGroups", [])]
        # Created weighted (what a traffic-shifting strategy on an NLB emits).
        cf.create_stack(StackName="weighted", TemplateBody=TEMPLATE, Parameters=given("true"))
        resources, created = stack("weighted")
        groups = {g["TargetGroupArn"]: g for g in elb.describe_target_groups()["TargetGroups"]}
        # The same action through the ELBv2 API, on another port of the same load balancer.
        (through_api,) = elb.create_listener(
            LoadBalancerArn=resources["Balancer"], Protocol="TCP", Port=81,
            DefaultActions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": [
                {"TargetGroupArn": resources["Blue"], "Weight": 100},
                {"TargetGroupArn": resources["Green"], "Weight": 0}]}}])["Listeners"]
        # Created plain, then updated to weighted (ROLLING to CANARY on a running stack).
        cf.create_stack(StackName="moved", TemplateBody=TEMPLATE, Parameters=given("false"))
        moved, before = stack("moved")
        cf.update_stack(StackName="moved", UsePreviousTemplate=True, Parameters=given("true"))
        _, after = stack("moved")
        print(json.dumps({
            "status": [cf.describe_stacks(StackName=n)["Stacks"][0]["StackStatus"]
                       for n in ("weighted", "moved")],
            "created": forwards_to(created) == [[resources["Blue"], 100],
                                                [resources["Green"], 0]],
            "as_the_api": created["DefaultActions"] == through_api["DefaultActions"],
            "balancer_on_both": [groups[resources[g]]["LoadBalancerArns"]
                                 == [resources["Balancer"]] for g in ("Blue", "Green")],
            "before_update": [before["DefaultActions"][0].get("TargetGroupArn") == moved["Blue"],
                              forwards_to(before)],
            "after_update": [after["ListenerArn"] == before["ListenerArn"],
                             forwards_to(after) == [[moved["Blue"], 100], [moved["Green"], 0]]],
        }))
    """
)


def test_a_listener_forwards_by_weight_to_two_target_groups():
    """A traffic-shifting strategy on a network load balancer gives its listener a forward action
    with a ForwardConfig alone (weights 100 and 0): moto read a TargetGroupArn (KeyError, the
    stack failed). It is created, and updated to, as the ELBv2 API creates it."""
    weighted = _run(WEIGHTED_LISTENER)
    assert weighted["status"] == ["CREATE_COMPLETE", "UPDATE_COMPLETE"]
    assert weighted["created"] is True
    assert weighted["as_the_api"] is True
    assert weighted["balancer_on_both"] == [True, True]
    assert weighted["before_update"] == [True, []]  # a plain forward stays as moto made it
    assert weighted["after_update"] == [True, True]  # the same listener, now weighted


INLINE_FUNCTION = textwrap.dedent(
    """
    Parameters:
      Answer: {Type: String}
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com},
                         Action: sts:AssumeRole}]
      Function:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.14
          Handler: index.handler
          Role: !GetAtt Role.Arn
          Code:
            ZipFile: |
              import json, urllib.request
              import boto3
              def handler(event, context):
                  topic = boto3.client("sns").create_topic(Name="made-by-the-function")
                  body = {"Status": event["ResourceProperties"]["Answer"],
                          "Reason": "asked to " + event["ResourceProperties"]["Answer"],
                          "PhysicalResourceId": topic["TopicArn"],
                          "StackId": event["StackId"], "RequestId": event["RequestId"],
                          "LogicalResourceId": event["LogicalResourceId"]}
                  request = urllib.request.Request(event["ResponseURL"], method="PUT",
                                                   data=json.dumps(body).encode())
                  # An empty Content-Type, as AWS's cfn-response module sends it.
                  request.add_header("Content-Type", "")
                  urllib.request.urlopen(request).close()
      Custom:
        Type: Custom::Answer
        Properties: {ServiceToken: !GetAtt Function.Arn, Answer: !Ref Answer}
    """
)


@pytest.fixture(scope="module")
def patched_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """One patched emulator for the custom resource tests (each start takes 3 to 4 s)."""
    with MotoServer(tmp_path_factory.mktemp("moto-custom"), patched=True) as server:
        yield server


@pytest.fixture
def server(patched_server: MotoServer) -> MotoServer:
    """The patched emulator with every resource forgotten: each test starts from nothing."""
    patched_server.reset()
    return patched_server


@pytest.mark.parametrize(
    ("answer", "status"), [("SUCCESS", "CREATE_COMPLETE"), ("FAILED", "ROLLBACK_COMPLETE")]
)
def test_an_inline_python_function_answers_its_custom_resource(server, answer, status):
    """The function runs in the emulator, its boto3 calls reach the emulator, and its answer
    completes the stack, or fails it with CloudFormation's message."""
    import time

    cloudformation = server.client("cloudformation")
    cloudformation.create_stack(
        StackName="s",
        TemplateBody=INLINE_FUNCTION,
        Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": "Answer", "ParameterValue": answer}],
    )
    deadline = time.monotonic() + 30
    while (stack := cloudformation.describe_stacks(StackName="s")["Stacks"][0])[
        "StackStatus"
    ].endswith("IN_PROGRESS") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stack["StackStatus"] == status
    topics = server.client("sns").list_topics()["Topics"]
    assert [t["TopicArn"].rsplit(":", 1)[1] for t in topics] == ["made-by-the-function"]
    reasons = [
        e.get("ResourceStatusReason", "")
        for e in cloudformation.describe_stack_events(StackName="s")["StackEvents"]
    ]
    failed = "Received response status [FAILED] from custom resource. Message returned: "
    assert (failed + "asked to FAILED" in reasons) == (answer == "FAILED")


@pytest.mark.parametrize(
    ("answer", "status"), [("SUCCESS", "UPDATE_COMPLETE"), ("FAILED", "UPDATE_ROLLBACK_COMPLETE")]
)
def test_a_custom_resource_an_update_adds_leaves_the_stack_updated(server, answer, status):
    """The function's answer marked the stack CREATE_COMPLETE after its update had completed,
    so `aws cloudformation wait stack-update-complete` ran out of time (0.4.0's network adds a
    custom resource to a 0.3.0 stack); a FAILED answer made it ROLLBACK_COMPLETE, a status of
    failed creations, where CloudFormation rolls an update back to UPDATE_ROLLBACK_COMPLETE."""
    import time

    before = INLINE_FUNCTION.split("\n  Custom:")[0] + "\n"
    assert "Custom::Answer" not in before and "Custom::Answer" in INLINE_FUNCTION
    cloudformation = server.client("cloudformation")
    given = [{"ParameterKey": "Answer", "ParameterValue": answer}]
    cloudformation.create_stack(
        StackName="s", TemplateBody=before, Capabilities=["CAPABILITY_IAM"], Parameters=given
    )
    cloudformation.update_stack(
        StackName="s",
        TemplateBody=INLINE_FUNCTION,
        Capabilities=["CAPABILITY_IAM"],
        Parameters=given,
    )
    sns = server.client("sns")

    def answered() -> bool:
        if answer == "FAILED":  # its reason is among the stack's events once it is read
            events = cloudformation.describe_stack_events(StackName="s")["StackEvents"]
            return any("asked to FAILED" in e.get("ResourceStatusReason", "") for e in events)
        return bool(sns.list_topics()["Topics"])  # made just before the answer is sent

    deadline = time.monotonic() + 30
    while not answered():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    # The answer is read within milliseconds of being sent: the status must hold for 2 s.
    for _ in range(20):
        stack = cloudformation.describe_stacks(StackName="s")["Stacks"][0]
        assert stack["StackStatus"] == status
        time.sleep(0.1)


def test_the_patches_refuse_another_moto_version():
    script = (
        "import moto; moto.__version__ = '6.0.0'\n"
        "import tests.deploy.moto_patched as p\n"
        "try:\n    p.apply()\nexcept RuntimeError as e:\n    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert "is for moto 5.2.x, not 6.0.0" in result.stdout
