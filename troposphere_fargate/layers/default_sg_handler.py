"""Empties a VPC's default security group; on delete, gives it back its two default rules.

network.yaml's custom resource runs this file, inline in the template (ZipFile, as index.py).
Create and Update refuse a group some network interface uses (its rules may carry its traffic)."""

import json
import time
import urllib.request
from typing import Any

import boto3
from botocore.exceptions import ClientError

GONE = ("InvalidGroup.NotFound", "InvalidPermission.Duplicate")


class Refused(ValueError):
    """A check before any rule is touched: the group is as it was."""


def handler(event: dict[str, Any], context: Any) -> None:
    kind = event["RequestType"]
    group = event["ResourceProperties"]["GroupId"]
    # The group's ID names a group this may have changed. A Create refused before any rule was
    # touched answers another name, so the Delete of its rollback gives nothing back (a Create
    # that failed later answers the group's ID: the rollback gives EC2's rules back); a failed
    # Update keeps the old name.
    physical = group
    status, reason = "SUCCESS", ""
    try:
        ec2 = boto3.client("ec2")
        if kind != "Delete":
            patiently(lambda: empty(ec2, group))
        elif event.get("PhysicalResourceId") == group:
            account = event["StackId"].split(":")[4]
            patiently(lambda: restore(ec2, group, account))
        else:
            print(f"{group} was never emptied here: nothing to give back")
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        print(reason)
        # A failed delete would keep the stack from being deleted.
        if kind != "Delete":
            status = "FAILED"
            untouched = "not-emptied-" + group if isinstance(error, Refused) else group
            physical = event.get("PhysicalResourceId", untouched)
    respond(event, context, status, reason, physical)


def patiently(act: Any) -> None:
    # The role is new: its policy can take seconds to reach EC2 (IAM is eventually consistent).
    for attempt in range(6):
        try:
            act()
            return
        except ClientError as error:
            if attempt == 5 or error.response["Error"]["Code"] != "UnauthorizedOperation":
                raise
            print(f"{error}; trying again in 5 seconds")
            time.sleep(5)


def empty(ec2: Any, group: str) -> None:
    (found,) = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"]
    if found["GroupName"] != "default":
        raise Refused(f"{group} is not a VPC's default security group")
    pages = ec2.get_paginator("describe_security_group_rules").paginate(
        Filters=[{"Name": "group-id", "Values": [group]}]
    )
    rules = [rule for page in pages for rule in page["SecurityGroupRules"]]
    if not rules:
        print(f"{group} has no rule: nothing to remove")
        return
    users = ec2.describe_network_interfaces(Filters=[{"Name": "group-id", "Values": [group]}])
    used = sorted(i["NetworkInterfaceId"] for i in users["NetworkInterfaces"])
    if used:
        raise Refused(
            f"the VPC's default security group {group} is used by {', '.join(used[:5])}"
            f"{' and more' if len(used) > 5 else ''}, whose traffic its rules may allow: give "
            "them security groups of their own, or set RestrictDefaultSecurityGroup to false"
        )
    # Each rule by its ID, one peer each: DescribeSecurityGroups groups the peers of a protocol
    # and port range, which RevokeSecurityGroupIngress can refuse back ("exactly one of
    # remote-security-group, remote-ip-range, remote-ipv6-range, or prefix-list-id").
    for egress, revoke in (
        (False, ec2.revoke_security_group_ingress),
        (True, ec2.revoke_security_group_egress),
    ):
        ids = [rule["SecurityGroupRuleId"] for rule in rules if rule["IsEgress"] is egress]
        if ids:
            revoke(GroupId=group, SecurityGroupRuleIds=ids)
    print(f"removed every rule of {group}")


def restore(ec2: Any, group: str, account: str) -> None:
    rules = (
        (
            ec2.authorize_security_group_ingress,
            {"UserIdGroupPairs": [{"GroupId": group, "UserId": account}]},
        ),
        (ec2.authorize_security_group_egress, {"IpRanges": [{"CidrIp": "0.0.0.0/0"}]}),
    )
    for authorize, peer in rules:
        try:
            authorize(GroupId=group, IpPermissions=[{"IpProtocol": "-1", **peer}])
        except ClientError as error:
            if error.response["Error"]["Code"] not in GONE:
                raise
    print(f"gave {group} back its default rules")


def respond(event: dict[str, Any], context: Any, status: str, reason: str, physical: str) -> None:
    body = {
        "Status": status,
        "Reason": (reason or "See log stream " + context.log_stream_name)[:1000],
        "PhysicalResourceId": physical,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
    }
    request = urllib.request.Request(
        event["ResponseURL"], data=json.dumps(body).encode(), method="PUT"
    )
    request.add_header("Content-Type", "")  # as AWS's cfn-response module sends it
    with urllib.request.urlopen(request, timeout=30) as response:
        print(f"CloudFormation answered {response.status}")
