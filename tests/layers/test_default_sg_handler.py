"""The function behind network.yaml's DefaultSecurityGroupRestriction, run as Lambda would run
it: the text network.yaml ships, executed as ``index.py``, against moto's EC2 API in this
process, answering CloudFormation on a local HTTP server that records each answer.

What it relies on, from AWS's documentation:
- A VPC's default security group "allows inbound traffic from network interfaces (and their
  associated instances) that are assigned to the same security group" and "allows all outbound
  IPv4 traffic" (Amazon VPC User Guide, "Default security groups for your VPCs"); those are the
  two rules a Delete puts back. moto creates the outbound rule only, so the tests add the other.
- The answer is a PUT of a JSON body to the pre-signed ``ResponseURL`` with ``Status``,
  ``PhysicalResourceId``, ``StackId``, ``RequestId`` and ``LogicalResourceId`` (CloudFormation
  User Guide, "Custom resource response objects"); a FAILED answer's ``Reason`` is shown in the
  stack's events.
"""

from __future__ import annotations

import json
import threading
import types
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest

from troposphere_fargate.layers import network as n

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")

REGION = "eu-west-1"
ACCOUNT = "123456789012"
STACK_ID = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/net/1f2e3d4c"


class _Answers(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_PUT(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def _server() -> Iterator[None]:
    """A local stand-in for the pre-signed response URL."""
    server = HTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    _Answers.url = f"http://127.0.0.1:{server.server_address[1]}/answer"  # type: ignore[attr-defined]
    yield
    server.shutdown()
    server.server_close()


@pytest.fixture
def cloudformation(_server: None) -> list[dict[str, Any]]:
    """The answers of one test, in order."""
    _Answers.received = []
    return _Answers.received


@pytest.fixture(scope="module")
def ec2() -> Iterator[Any]:
    """moto's EC2 for the module (each test makes its own VPC)."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        }.items():
            patch.setenv(key, value)
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        with moto.mock_aws():
            yield boto3.client("ec2", region_name=REGION)


def _shipped_function() -> types.ModuleType:
    """The code as network.yaml carries it (``Code.ZipFile``), loaded as Lambda loads index.py."""
    template = n.network_template().to_dict()
    function = template["Resources"][n.DEFAULT_SECURITY_GROUP_FUNCTION]["Properties"]
    assert function["Handler"] == "index.handler"
    index = types.ModuleType("index")
    exec(compile(function["Code"]["ZipFile"], "index.py", "exec"), index.__dict__)
    return index


def _vpc_with_aws_default_group(ec2: Any) -> tuple[str, str]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    (group,) = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"]
    group_id = group["GroupId"]
    if not group["IpPermissions"]:  # what AWS creates and moto does not
        ec2.authorize_security_group_ingress(
            GroupId=group_id,
            IpPermissions=[
                {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group_id, "UserId": ACCOUNT}]}
            ],
        )
    return vpc, group_id


def _rules(ec2: Any, group: str) -> tuple[list[Any], list[Any]]:
    (found,) = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"]
    return found["IpPermissions"], found["IpPermissionsEgress"]


def _event(kind: str, group: str, request_id: str = "req-1") -> dict[str, Any]:
    event = {
        "RequestType": kind,
        "ResponseURL": _Answers.url,  # type: ignore[attr-defined]
        "StackId": STACK_ID,
        "RequestId": request_id,
        "LogicalResourceId": n.DEFAULT_SECURITY_GROUP_RESTRICTION,
        "ResourceType": "Custom::DefaultSecurityGroupRestriction",
        "ResourceProperties": {"ServiceToken": "arn:fn", "GroupId": group},
    }
    if kind != "Create":
        event["PhysicalResourceId"] = group
    return event


CONTEXT = types.SimpleNamespace(log_stream_name="2026/12/05/[$LATEST]abc")


def _run(kind: str, group: str) -> None:
    _shipped_function().handler(_event(kind, group), CONTEXT)


def _with_calls(monkeypatch: pytest.MonkeyPatch, index: Any, **wrap: Any) -> None:
    """The function's EC2 clients call ``wrap[name](the real method)`` for each named method."""
    real_client = index.boto3.client

    def client(*args: Any, **kwargs: Any) -> Any:
        ec2_client = real_client(*args, **kwargs)
        for name, wrapper in wrap.items():
            setattr(ec2_client, name, wrapper(getattr(ec2_client, name)))
        return ec2_client

    monkeypatch.setattr(index.boto3, "client", client)


def _client_error(index: Any, code: str, operation: str) -> Exception:
    return index.ClientError({"Error": {"Code": code, "Message": code}}, operation)


def test_create_removes_both_default_rules_and_answers_success(ec2, cloudformation):
    _, group = _vpc_with_aws_default_group(ec2)
    ingress, egress = _rules(ec2, group)
    assert ingress and egress  # the starting point is AWS's default group

    _run("Create", group)

    assert _rules(ec2, group) == ([], [])
    (answer,) = cloudformation
    assert answer["Status"] == "SUCCESS"
    assert answer["PhysicalResourceId"] == group
    assert answer["StackId"] == STACK_ID
    assert answer["RequestId"] == "req-1"
    assert answer["LogicalResourceId"] == n.DEFAULT_SECURITY_GROUP_RESTRICTION


def test_an_update_of_an_already_empty_group_succeeds(ec2, cloudformation):
    _, group = _vpc_with_aws_default_group(ec2)
    _run("Create", group)
    _run("Update", group)
    assert [a["Status"] for a in cloudformation] == ["SUCCESS", "SUCCESS"]
    assert _rules(ec2, group) == ([], [])


def test_a_group_a_network_interface_uses_is_refused_and_left_as_it_is(ec2, cloudformation):
    vpc, group = _vpc_with_aws_default_group(ec2)
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    interface = ec2.create_network_interface(SubnetId=subnet, Groups=[group])
    before = _rules(ec2, group)

    _run("Create", group)

    assert _rules(ec2, group) == before
    (answer,) = cloudformation
    assert answer["Status"] == "FAILED"
    assert interface["NetworkInterface"]["NetworkInterfaceId"] in answer["Reason"]
    assert "RestrictDefaultSecurityGroup to false" in answer["Reason"]


def test_a_group_that_is_not_a_default_group_is_refused(ec2, cloudformation):
    vpc, _ = _vpc_with_aws_default_group(ec2)
    other = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    before = _rules(ec2, other)

    _run("Create", other)

    assert _rules(ec2, other) == before
    (answer,) = cloudformation
    assert answer["Status"] == "FAILED"
    assert "is not a VPC's default security group" in answer["Reason"]


def test_delete_gives_back_the_two_rules_aws_creates(ec2, cloudformation):
    _, group = _vpc_with_aws_default_group(ec2)
    original = _rules(ec2, group)
    _run("Create", group)

    _run("Delete", group)

    assert _rules(ec2, group) == original
    assert [a["Status"] for a in cloudformation] == ["SUCCESS", "SUCCESS"]


def test_delete_of_a_group_that_has_its_rules_or_is_gone_still_succeeds(ec2, cloudformation):
    vpc, group = _vpc_with_aws_default_group(ec2)
    _run("Delete", group)  # rules already there: InvalidPermission.Duplicate
    ec2.delete_vpc(VpcId=vpc)
    _run("Delete", group)  # group gone with its VPC: InvalidGroup.NotFound
    assert [a["Status"] for a in cloudformation] == ["SUCCESS", "SUCCESS"]
    # Both errors were expected ones, not caught failures (a Delete answers SUCCESS either way).
    assert all(a["Reason"].startswith("See log stream") for a in cloudformation)


def test_any_other_failure_of_a_delete_is_told_but_never_blocks_the_stack(
    ec2, cloudformation, monkeypatch
):
    _, group = _vpc_with_aws_default_group(ec2)
    index = _shipped_function()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("not allowed")

    monkeypatch.setattr(index, "restore", refuse)
    index.handler(_event("Delete", group, "req-2"), CONTEXT)
    (answer,) = cloudformation
    assert answer["Status"] == "SUCCESS"
    assert answer["Reason"] == "RuntimeError: not allowed"


def test_a_denial_while_the_new_role_reaches_ec2_is_tried_again(ec2, cloudformation, monkeypatch):
    """IAM is eventually consistent: "changes that you make are not always immediately visible"
    (IAM User Guide, "Troubleshoot IAM", changes that I make are not always immediately
    visible). A role's policy created seconds earlier may not reach EC2 yet."""
    _, group = _vpc_with_aws_default_group(ec2)
    index = _shipped_function()
    waits: list[float] = []
    monkeypatch.setattr(index.time, "sleep", waits.append)
    denials = iter([True, True])

    def maybe_denied(describe: Any) -> Any:
        def call(**kwargs: Any) -> Any:
            if next(denials, False):
                raise _client_error(index, "UnauthorizedOperation", "DescribeSecurityGroups")
            return describe(**kwargs)

        return call

    _with_calls(monkeypatch, index, describe_security_groups=maybe_denied)
    index.handler(_event("Create", group, "req-3"), CONTEXT)
    assert waits == [5, 5]
    assert [a["Status"] for a in cloudformation] == ["SUCCESS"]
    assert _rules(ec2, group) == ([], [])


def test_rules_of_several_peers_are_revoked_by_their_rule_ids(ec2, cloudformation, monkeypatch):
    """DescribeSecurityGroups lists the rules of one protocol and port range as one permission
    with several peers; passed back as they are, RevokeSecurityGroupIngress can answer "missing
    mandatory parameter: exactly one of remote-security-group, remote-ip-range,
    remote-ipv6-range, or prefix-list-id must be present" (aws/aws-sdk-ruby#1716). The function
    revokes rules by their IDs (DescribeSecurityGroupRules: one peer each)."""
    vpc, group = _vpc_with_aws_default_group(ec2)
    other = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "UserIdGroupPairs": [{"GroupId": other, "Description": "the database"}],
                "IpRanges": [
                    {"CidrIp": "10.0.0.0/8", "Description": "the office"},
                    {"CidrIp": "192.168.0.0/16"},
                ],
            }
        ],
    )
    rule_ids = {
        rule["SecurityGroupRuleId"]: rule["IsEgress"]
        for rule in ec2.describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": [group]}]
        )["SecurityGroupRules"]
    }
    index = _shipped_function()
    sent: list[tuple[str, dict[str, Any]]] = []

    def spy(name: str) -> Any:
        def wrapper(real: Any) -> Any:
            def call(**kwargs: Any) -> Any:
                sent.append((name, kwargs))
                return real(**kwargs)

            return call

        return wrapper

    names = ("revoke_security_group_ingress", "revoke_security_group_egress")
    _with_calls(monkeypatch, index, **{name: spy(name) for name in names})
    index.handler(_event("Create", group, "req-4"), CONTEXT)

    assert [a["Status"] for a in cloudformation] == ["SUCCESS"]
    assert _rules(ec2, group) == ([], [])
    # The self-reference, the database group and two CIDRs in; the outbound rule out.
    assert len(rule_ids) == 5
    assert sent == [
        (
            "revoke_security_group_ingress",
            {"GroupId": group, "SecurityGroupRuleIds": [i for i, e in rule_ids.items() if not e]},
        ),
        (
            "revoke_security_group_egress",
            {"GroupId": group, "SecurityGroupRuleIds": [i for i, e in rule_ids.items() if e]},
        ),
    ]


def test_the_rollback_of_a_refused_create_gives_nothing_back(ec2, cloudformation):
    """ "When a CREATE operation fails, CloudFormation will automatically issue a DELETE operation
    with the PhysicalResourceId submitted by the FAILED response" (aws/aws-cdk#5525, whose
    provider framework marks that ID the same way). The group was never emptied, so its rules
    stay as they were, even where they differ from EC2's two."""
    vpc, group = _vpc_with_aws_default_group(ec2)
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ec2.create_network_interface(SubnetId=subnet, Groups=[group])
    ec2.revoke_security_group_egress(
        GroupId=group, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )  # the user's own choice: no outbound rule
    before = _rules(ec2, group)

    _run("Create", group)
    (refused,) = cloudformation
    assert refused["Status"] == "FAILED"
    assert refused["PhysicalResourceId"] == f"not-emptied-{group}"

    event = _event("Delete", group, "req-5")
    event["PhysicalResourceId"] = refused["PhysicalResourceId"]
    _shipped_function().handler(event, CONTEXT)
    assert cloudformation[1]["Status"] == "SUCCESS"
    assert _rules(ec2, group) == before


def test_a_refused_update_keeps_the_resources_name(ec2, cloudformation):
    vpc, group = _vpc_with_aws_default_group(ec2)
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
    ec2.create_network_interface(SubnetId=subnet, Groups=[group])
    event = _event("Update", group, "req-6")
    event["PhysicalResourceId"] = "sg-0123456789abcdef0"  # the group of the VPC it replaces
    _shipped_function().handler(event, CONTEXT)
    (answer,) = cloudformation
    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == "sg-0123456789abcdef0"


def test_a_create_that_fails_after_touching_a_rule_is_rolled_back_to_ec2s_rules(
    ec2, cloudformation, monkeypatch
):
    """Only a refusal before any rule is touched answers not-emptied-<group>; a Create that
    fails halfway (its ingress rules gone, the egress revoke refused) answers the group's ID,
    so the Delete of the rollback gives EC2's two rules back."""
    _, group = _vpc_with_aws_default_group(ec2)
    before = _rules(ec2, group)
    index = _shipped_function()

    def refuse(real: Any) -> Any:
        def call(**kwargs: Any) -> Any:
            raise _client_error(index, "RequestLimitExceeded", "RevokeSecurityGroupEgress")

        return call

    _with_calls(monkeypatch, index, revoke_security_group_egress=refuse)
    index.handler(_event("Create", group, "req-7"), CONTEXT)
    (failed,) = cloudformation
    assert failed["Status"] == "FAILED"
    assert failed["PhysicalResourceId"] == group
    assert _rules(ec2, group)[0] == []  # halfway: no inbound rule left

    monkeypatch.undo()
    rollback = _event("Delete", group, "req-8")
    rollback["PhysicalResourceId"] = failed["PhysicalResourceId"]
    _shipped_function().handler(rollback, CONTEXT)
    assert _rules(ec2, group) == before


def test_an_empty_group_is_left_alone_whatever_uses_it(ec2, cloudformation):
    """An empty group carries no traffic: an Update (a replaced VPC, a later property) does not
    fail because an interface has since landed in it."""
    vpc, group = _vpc_with_aws_default_group(ec2)
    _run("Create", group)
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.3.0/24")["Subnet"]["SubnetId"]
    ec2.create_network_interface(SubnetId=subnet, Groups=[group])
    _run("Update", group)
    assert [a["Status"] for a in cloudformation] == ["SUCCESS", "SUCCESS"]
