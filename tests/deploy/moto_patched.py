"""moto's server with the few fixes our deploy tests need, for moto 5.2 only.

Run as ``python -m tests.deploy.moto_patched -H 127.0.0.1 -p PORT`` (aws.py beside it does).
Each patch fixes the emulator, never the templates: what the product emits stays what real
CloudFormation gets. Each patch names the moto code it replaces and has a test in
test_moto_patched.py beside it; if
moto changes, :func:`apply` refuses to run rather than patch the wrong thing.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from typing import Any

SUPPORTED_MOTO = "5.2."
_MODELS: list[type] = []


def _int_properties(original: Any, *names: str) -> Any:
    """moto passes a property that takes a number on as it came from the template: a string
    when it is a ``Number`` parameter (CloudFormation hands the service a number). Then
    moto/ecs/models.py, ``Service.create_from_cloudformation_json``, subtracts an int from
    ``DesiredCount``, and moto/elbv2/models.py, ``FakeTargetGroup``'s, compares
    ``HealthCheckIntervalSeconds`` with ``HealthCheckTimeoutSeconds`` (TypeError, HTTP 500).
    This turns the named properties into ints first."""

    def patched(cls: Any, *args: Any, **kwargs: Any) -> Any:
        json = args[1] if len(args) > 1 else kwargs["cloudformation_json"]
        properties = json.get("Properties", {})
        for name in names:
            if isinstance(properties.get(name), str):
                properties[name] = int(properties[name])
        return original.__func__(cls, *args, **kwargs)

    return classmethod(patched)


def _load_balancer_from_cloudformation(
    cls: Any,
    resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> Any:
    """moto/elbv2/models.py, ``FakeLoadBalancer.create_from_cloudformation_json``: moto drops
    ``Type`` (every load balancer becomes an application load balancer, and a TCP listener on it
    is then refused) and ``LoadBalancerAttributes``. This passes both on, through the same
    backend calls the ELBv2 API uses."""
    from moto.elbv2.models import elbv2_backends

    properties = cloudformation_json["Properties"]
    backend = elbv2_backends[account_id][region_name]
    load_balancer = backend.create_load_balancer(
        resource_name,
        properties.get("SecurityGroups"),
        properties.get("Subnets"),
        scheme=properties.get("Scheme", "internet-facing"),
        loadbalancer_type=properties.get("Type", "application"),
    )
    attributes = {a["Key"]: a["Value"] for a in properties.get("LoadBalancerAttributes", [])}
    if attributes:
        backend.modify_load_balancer_attributes(load_balancer.arn, attributes)
    return load_balancer


def _load_balancer_attribute(original: Any) -> Any:
    """moto/elbv2/models.py, ``FakeLoadBalancer.get_cfn_attribute``: ``CanonicalHostedZoneID``
    and ``LoadBalancerFullName`` raise NotImplementedError, and the ``Fn::GetAtt`` is then left
    unresolved (an alias record gets the function as its zone, an output fails with HTTP 500).
    These answer the zone moto gives every load balancer (``DescribeLoadBalancers``'
    ``CanonicalHostedZoneId``) and ``app/<name>/<id>``, the end of the ARN, as ELB does."""

    def patched(self: Any, attribute_name: str) -> Any:
        if attribute_name == "CanonicalHostedZoneID":
            return self.canonical_hosted_zone_id
        if attribute_name == "LoadBalancerFullName":
            return self.arn.split(":loadbalancer/", 1)[1]
        return original(self, attribute_name)

    return patched


def _weighted(action: Any) -> bool:
    return (
        isinstance(action, dict) and action.get("Type") == "forward" and "ForwardConfig" in action
    )


def _listener_forward_config(original: Any) -> Any:
    """moto/elbv2/models.py, ``ELBv2Backend.convert_and_validate_properties`` (the default actions
    of ``AWS::ElasticLoadBalancingV2::Listener``, on create and on update): moto rewrites each
    forward action to ``{Type, TargetGroupArn}``, so one that forwards by ``ForwardConfig`` alone
    (weighted target groups, no ``TargetGroupArn``) fails the stack (KeyError 'TargetGroupArn',
    HTTP 500), and one with both loses its ``ForwardConfig``. CloudFormation passes it on
    ("Information for creating an action that distributes requests among multiple target
    groups", AWS::ElasticLoadBalancingV2::Listener ForwardConfig), and Network Load Balancers
    take weighted target groups (weights 0 to 999: "Network Load Balancers now support Weighted
    Target Groups", AWS Networking & Content Delivery Blog; ECS, "Network Load Balancer
    resources for Amazon ECS blue/green, linear and canary deployments"). This passes such an
    action on as given, as moto's CreateListener and ModifyListener take ``DefaultActions``
    (they keep every target group and its weight, and refuse one that does not exist); any
    other action goes through moto as before. What the template emits is unchanged: the
    listener holds the action it was given, and reads back through DescribeListeners."""

    def patched(self: Any, properties: dict[str, Any]) -> list[dict[str, Any]]:
        actions = properties["DefaultActions"]
        # moto converts each action in turn (one out for one in), so its refusals keep their
        # positions; a weighted action stands in as a plain forward.
        stand_ins = [
            {"Type": "forward", "TargetGroupArn": None} if _weighted(a) else a for a in actions
        ]
        converted = original(self, {**properties, "DefaultActions": stand_ins})
        return [
            copy.deepcopy(a) if _weighted(a) else c for a, c in zip(actions, converted, strict=True)
        ]

    return patched


def _target_group_attribute(self: Any, attribute_name: str) -> Any:
    """moto/elbv2/models.py, ``FakeTargetGroup``: it has no ``get_cfn_attribute``, so
    ``Fn::GetAtt [TargetGroup, TargetGroupFullName]`` (a metric's dimension) fails (HTTP 500).
    This answers ``targetgroup/<name>/<id>``, the end of the ARN, as ELB does, and the ARN's
    ``TargetGroupArn``."""
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

    if attribute_name == "TargetGroupFullName":
        return self.arn.rsplit(":", 1)[1]
    if attribute_name == "TargetGroupArn":
        return self.arn
    raise UnformattedGetAttTemplateException()


def _stack_output(self: Any, attribute_name: str) -> Any:
    """moto/cloudformation/models.py, ``Stack``: a nested stack has no ``get_cfn_attribute``, so
    ``Fn::GetAtt [Child, Outputs.X]`` in the parent fails (AttributeError, HTTP 500). This reads
    the child's output ``X``, as CloudFormation does."""
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

    kind, _, key = attribute_name.partition(".")
    if kind == "Outputs":
        for output in self.output_map.values():
            if output and output.key == key:
                return output.value
    raise UnformattedGetAttTemplateException()


def _yaml_tag_constructor(original: Any) -> Any:
    """moto/cloudformation/utils.py, ``yaml_tag_constructor``, two short forms:

    - ``!GetAtt Child.Outputs.X``: moto splits at every dot, so a nested stack's output reaches
      the stack as the attribute ``Outputs``; CloudFormation splits at the first dot only.
    - ``!Condition Name``: moto reads it as ``Fn::Condition``, which its condition evaluator does
      not know, so ``!And [!Condition A, !Condition B]`` is always false; it is ``Condition``.
    """

    def constructor(loader: Any, tag: Any, node: Any) -> Any:
        if tag == "!GetAtt" and isinstance(node.value, str):
            return {"Fn::GetAtt": node.value.split(".", 1)}
        if tag == "!Condition":
            return {"Condition": node.value}
        return original(loader, tag, node)

    return constructor


def _associate_route_table(original: Any) -> Any:
    """moto/ec2/models/subnets.py, ``SubnetRouteTableAssociation.create_from_cloudformation_json``:
    moto records the association apart from the route table, so ``DescribeRouteTables`` (and its
    ``association.subnet-id`` filter) never shows it. This also associates the subnet with the
    route table, as the EC2 API's ``AssociateRouteTable`` does."""

    def patched(
        cls: Any,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        from moto.ec2.models import ec2_backends

        association = original.__func__(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        properties = cloudformation_json["Properties"]
        ec2_backends[account_id][region_name].associate_route_table(
            properties["RouteTableId"], subnet_id=properties["SubnetId"]
        )
        return association

    return classmethod(patched)


def _clean_json_drops_no_value_items(original: Any) -> Any:
    """moto/cloudformation/parsing.py, ``clean_json``: moto resolves ``AWS::NoValue`` to None and
    drops it as a property value, but keeps it as a list item, so ``Policies: [P, !If [C, Q,
    !Ref AWS::NoValue]]`` reaches ``Role.create_from_cloudformation_json`` with a None policy
    (TypeError, HTTP 500). CloudFormation removes such an item from the list. ``clean_json``
    calls itself through the module, so this applies at every depth."""

    def patched(resource_json: Any, resources_map: Any) -> Any:
        if isinstance(resource_json, list):
            items = (patched(item, resources_map) for item in resource_json)
            return [item for item in items if item is not None]
        return original(resource_json, resources_map)

    return patched


def _exports_of_outputs_that_exist(self: Any) -> list[Any]:
    """moto/cloudformation/parsing.py, ``OutputMap.exports``: moto evaluates the export of every
    output, even one whose ``Condition`` is false, so a conditional output that refers to a
    resource its condition left out fails the stack ("Fn::GetAtt references undefined
    resource"). CloudFormation creates (and exports) an output only when its condition holds."""
    from moto.cloudformation.parsing import Export, clean_json

    exports = []
    for value in (self._output_json_map or {}).values():
        condition = value.get("Condition")
        if condition and not self._resource_map.lazy_condition_map.get(condition):
            continue
        if value.get("Export"):
            name = clean_json(value["Export"].get("Name"), self._resource_map)
            exported = clean_json(value.get("Value"), self._resource_map)
            exports.append(Export(self._stack_id, name, exported))
    return exports


def _nested_stack_update(
    cls: Any,
    original_resource: Any,
    new_resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
) -> Any:
    """moto/cloudformation/models.py, ``Stack.update_from_cloudformation_json``: moto deletes a
    nested stack and creates another on every update of its parent, where CloudFormation
    updates it in place (AWS::CloudFormation::Stack has no create-only property). A listener
    rule the deleted stack left behind (moto cannot delete one from CloudFormation) made the
    new stack's rule "PriorityInUse", so no update of an environment got through. This updates
    the nested stack in place, as update-stack updates a stack."""
    from moto.cloudformation.utils import get_stack_from_s3_url
    from moto.utilities.utils import get_partition

    properties = cloudformation_json["Properties"]
    template = get_stack_from_s3_url(
        properties["TemplateURL"], account_id=account_id, partition=get_partition(region_name)
    )
    original_resource.update(template, parameters=properties.get("Parameters", {}))
    return original_resource


def _resource_diff_with_conditions(original: Any) -> Any:
    """moto/cloudformation/parsing.py, ``ResourceMap.build_resource_diff``: moto lists for
    update only the resources whose text (or a parameter they name) changed, so a resource whose
    Condition turns true on an update is never created, nor one turning false deleted. This
    lists every resource with a Condition too; :func:`_conditional_update` decides what each
    becomes (one whose properties resolve as before is left as it is)."""

    def patched(self: Any, other_template: Any, parameters: Any = None) -> Any:
        found = original(self, other_template, parameters)
        old, new = self._resource_json_map, other_template["Resources"]
        found["Modify"] += sorted(
            name
            for name in new
            if name in old and "Condition" in new[name] and name not in found["Modify"]
        )
        return found

    return patched


def _resolutions_recorded(original: Any) -> Any:
    """moto/cloudformation/parsing.py, ``parse_resource_and_generate_name``, which resolves a
    resource's template for its creation and its updates: each resolution is kept, by logical
    ID, on the stack's resource map, so that an update can tell what changed."""

    def patched(logical_id: str, resource_json: Any, resources_map: Any) -> Any:
        parsed = original(logical_id, resource_json, resources_map)
        if parsed:
            resolved = resources_map.__dict__.setdefault("resolved_properties", {})
            resolved[logical_id] = copy.deepcopy(parsed[1].get("Properties") or {})
        return parsed

    return patched


def _route_in_place(existing: Any, given: dict[str, Any], account_id: str, region: str) -> Any:
    """AWS::EC2::Route: a new target (NatGatewayId, GatewayId) is updated in place ("Update
    requires: No interruption"), as the ReplaceRoute API does."""
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region].replace_route(
        route_table_id=given["RouteTableId"],
        destination_cidr_block=given.get("DestinationCidrBlock"),
        nat_gateway_id=given.get("NatGatewayId"),
        gateway_id=given.get("GatewayId"),
    )


def _endpoint_in_place(existing: Any, given: dict[str, Any], account_id: str, region: str) -> Any:
    """AWS::EC2::VPCEndpoint: a new PolicyDocument is updated in place ("Update requires: No
    interruption"), as the ModifyVpcEndpoint API does."""
    from moto.ec2.models import ec2_backends

    policy = given.get("PolicyDocument")
    document = json.dumps(policy) if isinstance(policy, dict) else policy
    backend = ec2_backends[account_id][region]
    backend.modify_vpc_endpoint(existing.id, document, None, None, None, None, None, None)
    return existing


# Updates moto has no model for, made in place as CloudFormation makes them: the type, the
# properties its function takes, and the function. Any other change fails (NotEmulated).
_IN_PLACE: dict[str, tuple[frozenset[str], Any]] = {
    "AWS::EC2::Route": (frozenset({"NatGatewayId", "GatewayId"}), _route_in_place),
    "AWS::EC2::VPCEndpoint": (frozenset({"PolicyDocument"}), _endpoint_in_place),
}


def _as_text(value: Any) -> Any:
    """``value`` with each number and boolean as CloudFormation passes it on, as text: a
    property written 15 and one given by a Number parameter ("15") are the same."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return value


class NotEmulated(RuntimeError):
    """An update this emulator does not model: the update fails, rather than pass unseen."""


def _conditional_update() -> Any:
    """moto/cloudformation/parsing.py, ``parse_and_update_resource``: moto updates a resource
    whatever its Condition, as if it existed: an update from a version that had no Condition on
    a listener to one that has (0.3.0 to 0.4.0's HttpsListener, without a certificate) resolved
    a Ref to nothing and failed (KeyError 'TargetGroupArn', HTTP 500); a resource of a type moto
    cannot update became nothing; and a name CloudFormation generated was generated again and
    taken for a rename (an ECS cluster without ClusterName, a task definition without a Family,
    remade on any change). "At stack creation or stack update, AWS CloudFormation evaluates all
    the conditions in your template before creating any resources. Any resources that are
    associated with a true condition are created" (CloudFormation User Guide, Conditions), and
    it "updates only the changed resources" (Stack updates). So this creates a resource whose
    condition became true, deletes one whose condition is false, leaves one whose properties
    resolve as before as it is, keeps a generated name that stays generated, and fails the
    update (:class:`NotEmulated`) where moto has no update for a type whose properties changed.
    moto's own updates apply part of a resource's properties (a cluster's name only, a role's
    description only; a security group is made again): what they drop is asserted on the
    templates, and what an update replaces is diff's to say (the upgrade tests assert both)."""
    from moto.cloudformation import parsing

    def patched(
        logical_id: str, resource_json: Any, resources_map: Any, account_id: str, region_name: str
    ) -> Any:
        condition = resource_json.get("Condition")
        existing = resources_map._parsed_resources.get(logical_id)
        if condition and not resources_map.lazy_condition_map[condition]:
            if existing is not None:
                resources_map._delete_resource(existing, resource_json)
            resources_map._parsed_resources.pop(logical_id, None)
            return None
        if existing is None:
            return parsing.parse_and_create_resource(
                logical_id, resource_json, resources_map, account_id, region_name
            )
        before = resources_map.__dict__.get("resolved_properties", {}).get(logical_id)
        parsed = parsing.parse_resource_and_generate_name(logical_id, resource_json, resources_map)
        if not parsed:
            raise NotEmulated(
                f"moto has no model to update {resource_json.get('Type')} {logical_id}"
            )
        resource_class, resolved, name = parsed
        if getattr(existing, "cf_resource_type", resolved["Type"]) != resolved["Type"]:
            raise NotEmulated(f"moto cannot change the type of {logical_id}")
        given = resolved.setdefault("Properties", {})
        if before is not None and _as_text(given) == _as_text(before):
            return existing  # nothing of it changed (15 and a Number parameter's "15" alike)
        resolution = copy.deepcopy(given)  # recorded as the template gives it, without names
        name_property = resource_class.cloudformation_name_type()
        unnamed = before is not None and name_property and name_property not in before
        if unnamed and name_property not in given and hasattr(existing, "name"):
            name = existing.name  # generated, and still generated: the same name
        # moto reads these names from the properties: a task definition's family (it drew a
        # random one, and registered again), a bucket's name (it tagged by it: KeyError).
        read = {
            "AWS::ECS::TaskDefinition": ("Family", "family"),
            "AWS::S3::Bucket": ("BucketName", "name"),
        }
        if resolved["Type"] in read and before is not None:
            key, attribute = read[resolved["Type"]]
            if key not in given and key not in before:
                given[key] = getattr(existing, attribute)
        recorded = resources_map.__dict__["resolved_properties"]
        if before is None:
            recorded.pop(logical_id, None)  # until the update is made (moto tries again)
        else:
            recorded[logical_id] = before
        if hasattr(resource_class.update_from_cloudformation_json, "__isabstractmethod__"):
            was = before or {}
            changed = sorted(
                k for k in set(given) | set(was) if _as_text(given.get(k)) != _as_text(was.get(k))
            )
            handled, update = _IN_PLACE.get(resolved["Type"], (frozenset(), None))
            if update is None or not set(changed) <= handled:
                raise NotEmulated(
                    f"moto cannot update {resolved['Type']} {logical_id}: "
                    f"{', '.join(changed)} changed"
                )
            made = update(existing, given, account_id, region_name)
            made.cf_resource_type = resolved["Type"]
            made.logical_resource_id = logical_id
            recorded[logical_id] = resolution
            return made
        updated = resource_class.update_from_cloudformation_json(
            original_resource=existing,
            new_resource_name=name,
            cloudformation_json=resolved,
            account_id=account_id,
            region_name=region_name,
        )
        updated.cf_resource_type = resolved["Type"]
        updated.logical_resource_id = logical_id
        recorded[logical_id] = resolution
        return updated

    return patched


def _an_update_stays_an_update(original: Any) -> Any:
    """moto/cloudformation/models.py, ``Stack.mark_creation_complete``: a custom resource's
    answer marks its stack ``CREATE_COMPLETE``, also when an update added the resource (0.4.0's
    network adds one that empties the default security group), so ``aws cloudformation wait
    stack-update-complete`` never returned. An updated stack keeps its update's status."""

    def patched(self: Any) -> None:
        if not str(self.status).startswith("UPDATE"):
            original(self)

    return patched


def _cloudformation_models() -> list[type]:
    """moto/servicediscovery, moto/acm and moto/cloudwatch have backends, but no CloudFormation
    model, so ``AWS::ServiceDiscovery::HttpNamespace``, ``AWS::CertificateManager::Certificate``
    and ``AWS::CloudWatch::Alarm`` are skipped, and ``Fn::GetAtt`` or ``Ref`` on them fails
    (HTTP 400 or 500). These create them through the same backend calls as the
    CreateHttpNamespace, RequestCertificate and PutMetricAlarm APIs, and answer ``Ref`` (the
    namespace's ID, the certificate's ARN, the alarm's name) and the namespace's ``Arn`` and
    ``Id``, as CloudFormation does. They must exist before moto first lists its models (an
    lru_cache)."""
    from moto.acm.models import acm_backends
    from moto.core.common_models import CloudFormationModel
    from moto.servicediscovery.models import servicediscovery_backends

    # moto files each model under the service its module names (InstanceTrackerMeta).
    class CloudFormationHttpNamespace(CloudFormationModel):  # type: ignore[misc]
        __module__ = "moto.servicediscovery.models"

        def __init__(self, namespace: Any) -> None:
            self.namespace = namespace

        @staticmethod
        def cloudformation_name_type() -> str:
            return "Name"

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::ServiceDiscovery::HttpNamespace"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr in ("Arn", "Id")

        @property
        def physical_resource_id(self) -> str:
            return str(self.namespace.id)

        def get_cfn_attribute(self, attribute_name: str) -> Any:
            return {"Arn": self.namespace.arn, "Id": self.namespace.id}[attribute_name]

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Any:
            backend = servicediscovery_backends[account_id][region_name]
            properties = cloudformation_json["Properties"]
            backend.create_http_namespace(
                name=properties["Name"],
                creator_request_id=resource_name,
                description=properties.get("Description", ""),
                tags=properties.get("Tags", []),
            )
            (namespace,) = [n for n in backend.namespaces.values() if n.name == properties["Name"]]
            return cls(namespace)

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls, original_resource: Any, *args: Any, **kwargs: Any
        ) -> Any:
            return original_resource

        @classmethod
        def delete_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
        ) -> None:
            backend = servicediscovery_backends[account_id][region_name]
            for namespace in list(backend.namespaces.values()):
                if namespace.name == cloudformation_json["Properties"]["Name"]:
                    backend.delete_namespace(namespace.id)

    class CloudFormationCertificate(CloudFormationModel):  # type: ignore[misc]
        __module__ = "moto.acm.models"

        def __init__(self, arn: str) -> None:
            self.arn = arn

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::CertificateManager::Certificate"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False

        @property
        def physical_resource_id(self) -> str:
            return self.arn

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Any:
            properties = cloudformation_json["Properties"]
            arn = acm_backends[account_id][region_name].request_certificate(
                domain_name=properties["DomainName"],
                idempotency_token=None,
                subject_alt_names=properties.get("SubjectAlternativeNames", []),
                tags=[],
            )
            return cls(arn)

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls, original_resource: Any, *args: Any, **kwargs: Any
        ) -> Any:
            return original_resource

        @classmethod
        def delete_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
        ) -> None:
            return None

    class CloudFormationAlarm(CloudFormationModel):  # type: ignore[misc]
        """``AWS::CloudWatch::Alarm`` through the PutMetricAlarm backend call (moto has the
        API, no CloudFormation model); ``Ref`` is the alarm's name, as CloudFormation's. A
        metric math alarm (``Metrics``) is kept with its threshold, operator and actions,
        without its queries (moto evaluates no alarm either way)."""

        __module__ = "moto.cloudwatch.models"

        def __init__(self, name: str) -> None:
            self.name = name

        @staticmethod
        def cloudformation_name_type() -> str:
            return "AlarmName"

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::CloudWatch::Alarm"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr == "Arn"

        @property
        def physical_resource_id(self) -> str:
            return self.name

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Any:
            from moto.cloudwatch.models import cloudwatch_backends

            properties = cloudformation_json["Properties"]
            cloudwatch_backends[account_id][region_name].put_metric_alarm(
                name=resource_name,
                namespace=properties.get("Namespace", ""),
                metric_name=properties.get("MetricName", ""),
                comparison_operator=properties["ComparisonOperator"],
                evaluation_periods=int(properties["EvaluationPeriods"]),
                period=int(properties.get("Period", 60)),
                threshold=float(properties["Threshold"]),
                statistic=properties.get("Statistic", ""),
                description=properties.get("AlarmDescription", ""),
                dimensions=properties.get("Dimensions", []),
                alarm_actions=properties.get("AlarmActions", []),
                ok_actions=properties.get("OKActions", []),
                treat_missing_data=properties.get("TreatMissingData"),
            )
            return cls(resource_name)

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> Any:
            return cls.create_from_cloudformation_json(
                original_resource.name, cloudformation_json, account_id, region_name
            )

        @classmethod
        def delete_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
        ) -> None:
            from moto.cloudwatch.models import cloudwatch_backends

            cloudwatch_backends[account_id][region_name].delete_alarms([resource_name])

    return [CloudFormationHttpNamespace, CloudFormationCertificate, CloudFormationAlarm]


def _nat_gateway_without_security_group(original: Any) -> Any:
    """moto/ec2/models/nat_gateways.py, ``NatGateway.__init__``: moto gives a NAT gateway's
    network interface the VPC's default security group, as it gives any interface created
    without one. A NAT gateway takes none ("Security groups: Cannot be associated with a NAT
    gateway", Amazon VPC User Guide, "Compare NAT gateways and NAT instances"), and its interface
    is of type ``nat_gateway``. This takes the group off and sets that type."""

    def patched(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self._eni._group_set.clear()
        self._eni.interface_type = "nat_gateway"

    return patched


def _endpoint_interfaces_in_its_groups(original: Any) -> Any:
    """moto/ec2/models/vpcs.py, ``VPCBackend.create_vpc_endpoint``: moto creates an interface
    endpoint's network interfaces without its ``SecurityGroupIds``, so they land in the VPC's
    default security group. AWS puts them in the endpoint's groups ("The security groups to
    associate with the endpoint network interfaces", AWS::EC2::VPCEndpoint SecurityGroupIds),
    and their type is ``vpc_endpoint``. This moves them there."""

    def patched(self: Any, *args: Any, **kwargs: Any) -> Any:
        endpoint = original(self, *args, **kwargs)
        groups = kwargs.get("security_group_ids") or []
        for eni_id in endpoint.network_interface_ids or []:
            eni = self.get_network_interface(eni_id)
            if groups:
                eni._group_set[:] = [self.get_security_group_from_id(g) for g in groups]
            eni.interface_type = "vpc_endpoint"
        return endpoint

    return patched


def _failed_custom_resource_fails_its_stack(original: Any) -> Any:
    """moto/cloudformation/responses.py, ``process_cfn_response``: moto reads a custom
    resource's SUCCESS and ignores a FAILED answer, so the stack stayed CREATE_IN_PROGRESS and a
    test waited until it timed out. CloudFormation fails the resource with "Received response
    status [FAILED] from custom resource. Message returned: <Reason>" and rolls the stack back.
    This records that reason and leaves the stack ROLLBACK_COMPLETE (UPDATE_ROLLBACK_COMPLETE
    when an update added the resource), which ends a waiter."""

    def patched(self: Any) -> Any:
        if self._get_param("Status") != "FAILED":
            return original(self)
        stack = self.cloudformation_backend.get_stack(self._get_param("StackId"))
        reason = "Received response status [FAILED] from custom resource. Message returned: " + str(
            self._get_param("Reason")
        )
        status = (
            "UPDATE_ROLLBACK_COMPLETE"
            if str(stack.status).startswith("UPDATE")
            else "ROLLBACK_COMPLETE"
        )
        stack.status = status  # before its event: a poll that sees the event sees the status
        stack._add_stack_event(status, resource_status_reason=reason)
        return 200, {"status": 200}, json.dumps("{}")

    return patched


def _run_inline_python(original: Any) -> Any:
    """moto/awslambda/models.py, ``LambdaFunction._invoke_lambda``: moto runs a function in a
    Docker container, and this machine has none, so a custom resource's function never ran and
    its stack waited forever. This runs a Python function whose code is inline (CloudFormation's
    ``ZipFile``, which moto stores as ``index.py``) in this process, with boto3 pointed at this
    emulator. Any other function goes to moto as before. (Its answer reaches this server: see
    :func:`apply`, which gives moto this server's address for the response URL.)"""
    import io
    import traceback
    import types
    import zipfile

    def patched(self: Any, event: Any = None) -> tuple[str, bool, str]:
        module_name, _, function_name = (self.handler or "").rpartition(".")
        if not (self.run_time or "").startswith("python") or module_name != "index":
            return original(self, event)  # type: ignore[no-any-return]
        with zipfile.ZipFile(io.BytesIO(self.code_bytes)) as archive:
            source = archive.read("index.py").decode()
        request = json.loads(event) if isinstance(event, str) else dict(event or {})
        # Every AWS call of the function goes to this server, whatever the environment says.
        for key in [k for k in os.environ if k.startswith("AWS_ENDPOINT_URL_")]:
            del os.environ[key]
        os.environ.update(
            AWS_ENDPOINT_URL=f"http://127.0.0.1:{os.environ['MOTO_PORT']}",
            AWS_REGION=self.region,
            AWS_DEFAULT_REGION=self.region,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_SESSION_TOKEN="testing",
            AWS_EC2_METADATA_DISABLED="true",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        )
        index = types.ModuleType("index")
        context = types.SimpleNamespace(
            function_name=self.function_name, log_stream_name="moto/inline", aws_request_id="1"
        )
        try:
            exec(compile(source, "index.py", "exec"), index.__dict__)
            result = getattr(index, function_name)(request, context)
        except Exception:
            failure = traceback.format_exc()
            print(failure, file=sys.stderr)  # into the server's log
            return "", True, failure
        return json.dumps(result), False, ""

    return patched


def apply() -> None:
    import moto
    from moto import settings
    from moto.awslambda import models as awslambda
    from moto.cloudformation import models as cloudformation
    from moto.cloudformation import parsing as cloudformation_parsing
    from moto.cloudformation import responses as cloudformation_responses
    from moto.cloudformation import utils as cloudformation_utils
    from moto.ec2.models import nat_gateways, subnets, vpcs
    from moto.ecs import models as ecs
    from moto.elbv2 import models as elbv2

    if not moto.__version__.startswith(SUPPORTED_MOTO):
        raise RuntimeError(
            f"tests/deploy/moto_patched.py is for moto {SUPPORTED_MOTO}x, not {moto.__version__}"
        )
    service = ecs.Service
    for name in ("create_from_cloudformation_json", "update_from_cloudformation_json"):
        setattr(service, name, _int_properties(service.__dict__[name], "DesiredCount"))
    target_group = elbv2.FakeTargetGroup
    health_check = (
        "HealthCheckIntervalSeconds",
        "HealthCheckTimeoutSeconds",
        "HealthyThresholdCount",
        "UnhealthyThresholdCount",
    )
    for name in ("create_from_cloudformation_json", "update_from_cloudformation_json"):
        if name in target_group.__dict__:
            setattr(target_group, name, _int_properties(target_group.__dict__[name], *health_check))
    elbv2.FakeLoadBalancer.create_from_cloudformation_json = classmethod(  # type: ignore[method-assign]
        _load_balancer_from_cloudformation
    )
    elbv2.FakeLoadBalancer.get_cfn_attribute = _load_balancer_attribute(  # type: ignore[method-assign]
        elbv2.FakeLoadBalancer.get_cfn_attribute
    )
    backend = elbv2.ELBv2Backend
    backend.convert_and_validate_properties = _listener_forward_config(  # type: ignore[method-assign]
        backend.convert_and_validate_properties
    )
    cloudformation.Stack.get_cfn_attribute = _stack_output  # type: ignore[attr-defined]
    cloudformation.Stack.update_from_cloudformation_json = classmethod(  # type: ignore[method-assign,assignment]
        _nested_stack_update
    )
    elbv2.FakeTargetGroup.get_cfn_attribute = _target_group_attribute  # type: ignore[attr-defined]
    association = subnets.SubnetRouteTableAssociation
    association.create_from_cloudformation_json = _associate_route_table(  # type: ignore[method-assign]
        association.__dict__["create_from_cloudformation_json"]
    )
    resource_map = cloudformation_parsing.ResourceMap
    resource_map.build_resource_diff = _resource_diff_with_conditions(  # type: ignore[method-assign]
        resource_map.build_resource_diff
    )
    cloudformation_parsing.parse_resource_and_generate_name = _resolutions_recorded(
        cloudformation_parsing.parse_resource_and_generate_name
    )
    cloudformation_parsing.parse_and_update_resource = _conditional_update()
    cloudformation.Stack.mark_creation_complete = _an_update_stays_an_update(  # type: ignore[method-assign]
        cloudformation.Stack.mark_creation_complete
    )
    cloudformation_parsing.OutputMap.exports = property(_exports_of_outputs_that_exist)  # type: ignore[method-assign,assignment]
    cloudformation_parsing.clean_json = _clean_json_drops_no_value_items(
        cloudformation_parsing.clean_json
    )
    # moto/settings.py, ``moto_server_host``: the host a custom resource's response URL names.
    # moto asks Docker for its container's address (curl on Docker's socket) and falls back to
    # host.docker.internal; the function runs here, and this server is on 127.0.0.1.
    settings.moto_server_host = lambda: "http://127.0.0.1"
    nat_gateways.NatGateway.__init__ = _nat_gateway_without_security_group(  # type: ignore[method-assign]
        nat_gateways.NatGateway.__init__
    )
    vpcs.VPCBackend.create_vpc_endpoint = _endpoint_interfaces_in_its_groups(  # type: ignore[method-assign]
        vpcs.VPCBackend.create_vpc_endpoint
    )
    responses = cloudformation_responses.CloudFormationResponse
    responses.process_cfn_response = _failed_custom_resource_fails_its_stack(  # type: ignore[method-assign]
        responses.process_cfn_response
    )
    awslambda.LambdaFunction._invoke_lambda = _run_inline_python(  # type: ignore[method-assign]
        awslambda.LambdaFunction._invoke_lambda
    )
    # Held here: a class is one of CloudFormationModel.__subclasses__() only while it lives.
    _MODELS.extend(_cloudformation_models())
    cloudformation_parsing.get_model_list.cache_clear()
    cloudformation_parsing.get_model_map.cache_clear()
    constructor = _yaml_tag_constructor(cloudformation_utils.yaml_tag_constructor)
    for module in (cloudformation_utils, cloudformation, cloudformation_responses):
        module.yaml_tag_constructor = constructor  # type: ignore[attr-defined]


def main(argv: list[str]) -> None:
    # The port this server listens on, where an inline function's answer goes.
    os.environ["MOTO_PORT"] = argv[argv.index("-p") + 1]
    apply()
    from moto.server import main as serve

    serve(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
