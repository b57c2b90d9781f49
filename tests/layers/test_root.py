"""Root and catalog layers: the root is derived from its children and wired to them correctly;
the catalog offers the published root with a scoped launch role."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from tests.support import compute, dangling_refs, props, refs_in
from troposphere_fargate import __version__
from troposphere_fargate.cfn.evaluate import ParameterError, RuleError, check_rules, deployed
from troposphere_fargate.layers import catalog, network, root, service
from troposphere_fargate.release.build import render_templates
from troposphere_fargate.release.publish import Destination
from troposphere_fargate.release.spec import ENVIRONMENT_EXAMPLE_SPEC, EXAMPLE_SPEC, parse_spec


@pytest.fixture(scope="module")
def built() -> dict[str, dict[str, Any]]:
    return render_templates()


@pytest.fixture(scope="module")
def root_template(built) -> dict[str, Any]:
    return built["root"]


def stack_parameters(root_template: dict[str, Any], stack: str) -> dict[str, Any]:
    return props(root_template["Resources"][stack])["Parameters"]


CHILDREN = [(root.NETWORK_STACK, "network"), (root.SERVICE_STACK, "service")]


# --- Wiring ------------------------------------------------------------------------------------


# What the shipped root leaves at the service's defaults: joining an environment, which a
# service in the root's new VPC cannot (the environment's load balancer is in another VPC).
LEFT_AT_DEFAULTS = {
    "network": set(),
    "service": {*service.JOIN_PARAMETERS, *service.ROUTING_PARAMETERS},
}


@pytest.mark.parametrize(("stack", "layer"), CHILDREN)
def test_every_child_parameter_is_supplied_but_those_left_at_their_defaults(
    built, root_template, stack, layer
):
    supplied = stack_parameters(root_template, stack)
    assert sorted(supplied) == sorted(set(built[layer]["Parameters"]) - LEFT_AT_DEFAULTS[layer])
    assert all("Default" in built[layer]["Parameters"][name] for name in LEFT_AT_DEFAULTS[layer])


def test_the_service_of_the_root_runs_on_its_own(built, root_template):
    defaults = {
        name: built["service"]["Parameters"][name]["Default"]
        for name in LEFT_AT_DEFAULTS["service"]
    }
    assert defaults[service.CLUSTER_NAME] == ""  # no cluster of an environment: its own
    assert defaults[service.EXPOSE] == "public"


@pytest.mark.parametrize(("stack", "layer"), CHILDREN)
def test_every_output_the_root_reads_is_declared_unconditionally_by_its_child(
    built, root_template, stack, layer
):
    reads: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            attribute = node.get("Fn::GetAtt")
            if attribute and attribute[0] == stack:
                reads.append(attribute[1])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(root_template)
    assert reads, f"the root reads nothing from {stack}"
    for attribute in reads:
        kind, _, name = attribute.partition(".")
        assert kind == "Outputs"
        assert name in built[layer]["Outputs"], attribute
        assert "Condition" not in built[layer]["Outputs"][name], attribute


def test_network_outputs_feed_the_service(root_template):
    supplied = stack_parameters(root_template, root.SERVICE_STACK)
    assert supplied[service.VPC_ID] == {"Fn::GetAtt": [root.NETWORK_STACK, "Outputs.VpcId"]}
    assert supplied[service.PUBLIC_SUBNET_IDS] == {
        "Fn::GetAtt": [root.NETWORK_STACK, "Outputs.PublicSubnetIds"]
    }
    assert supplied[service.PRIVATE_SUBNET_IDS] == {
        "Fn::GetAtt": [root.NETWORK_STACK, "Outputs.PrivateSubnetIds"]
    }


def test_every_other_child_parameter_is_passed_through_from_the_root(built, root_template):
    for stack, _ in CHILDREN:
        for name, value in stack_parameters(root_template, stack).items():
            if name not in root.WIRING:
                assert name in root_template["Parameters"]
                if root_template["Parameters"][name]["Type"] == "CommaDelimitedList":
                    # A nested stack takes strings only: "you can't pass values that are of type
                    # CommaDelimitedList to nested stacks" (AWS::CloudFormation::Stack docs).
                    assert value == {"Fn::Join": [",", {"Ref": name}]}, name
                else:
                    assert value == {"Ref": name}, name


# --- Parameters derived from the children ------------------------------------------------------


@pytest.mark.parametrize("layer", ["network", "service"])
def test_root_parameters_have_the_childs_type_default_and_constraints(built, root_template, layer):
    for name, declaration in built[layer]["Parameters"].items():
        if name in root.WIRING or name in LEFT_AT_DEFAULTS[layer]:
            assert name not in root_template["Parameters"]
        else:
            assert root_template["Parameters"][name] == declaration, name


def test_root_adds_only_the_template_location(built, root_template):
    children = set(built["network"]["Parameters"]) | set(built["service"]["Parameters"])
    own = set(root_template["Parameters"]) - children
    assert own == {
        root.TEMPLATE_BUCKET_NAME,
        root.TEMPLATE_KEY_PREFIX,
        root.TEMPLATE_BUCKET_PER_REGION,
    }


def test_root_has_the_childrens_rules_but_those_its_defaults_decide(built, root_template):
    placement = {
        service.EXPOSE_NEEDS_AN_ENVIRONMENT,
        service.JOINING_NEEDS_THE_ENVIRONMENT,
        service.PUBLIC_SERVICE_NEEDS_A_RULE,
        service.INTERNAL_SERVICE_NEEDS_A_NAME,
        service.ONLY_PUBLIC_SERVICES_HAVE_RULES,
        service.ONLY_INTERNAL_SERVICES_HAVE_A_NAME,
        service.APP_PROTOCOL_NEEDS_AN_INTERNAL_SERVICE,
        service.REQUEST_SCALING_NEEDS_A_PUBLIC_SERVICE,
        service.STRATEGY_NEEDS_LOAD_BALANCER_TRAFFIC,
        service.TEST_LISTENER_NEEDS_OWN_LOAD_BALANCER,
    }
    kept = {name: rule for name, rule in built["service"]["Rules"].items() if name not in placement}
    assert root_template["Rules"] == {**built["network"]["Rules"], **kept}
    # Each rule left out holds for the defaults the root leaves (or does not apply to them).
    service_defaults = {
        name: spec.get("Default", "x") for name, spec in built["service"]["Parameters"].items()
    }
    check_rules(
        {
            "Parameters": built["service"]["Parameters"],
            "Rules": {n: built["service"]["Rules"][n] for n in placement},
        },
        {
            **service_defaults,
            service.CONTAINER_IMAGE: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1",
        },
    )


def test_a_bad_value_is_refused_at_the_root_before_any_nested_stack_exists(root_template):
    required = {
        root.TEMPLATE_BUCKET_NAME: "team-templates",
        "ContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1",
    }
    assert len(deployed(root_template, required).resources) == 2
    with pytest.raises(RuleError, match="NatGateways is None"):
        deployed(root_template, {**required, "NatGateways": "None"})
    with pytest.raises(RuleError, match="TaskCpu 256"):
        deployed(root_template, {**required, "TaskMemory": "8192"})
    with pytest.raises(ParameterError, match="VpcCidr"):
        deployed(root_template, {**required, "VpcCidr": "10.0.0.0/33"})


def test_every_root_parameter_is_labelled_and_grouped(root_template):
    interface = root_template["Metadata"]["AWS::CloudFormation::Interface"]
    grouped = [p for group in interface["ParameterGroups"] for p in group["Parameters"]]
    assert sorted(grouped) == sorted(root_template["Parameters"])
    assert sorted(interface["ParameterLabels"]) == sorted(root_template["Parameters"])
    assert interface["ParameterGroups"][0]["Parameters"] == [
        root.TEMPLATE_BUCKET_NAME,
        root.TEMPLATE_KEY_PREFIX,
        root.TEMPLATE_BUCKET_PER_REGION,
    ]


@pytest.mark.parametrize("value", ["team-templates", "abc", "a1-b2"])
def test_bucket_name_pattern_accepts(root_template, value):
    assert re.fullmatch(
        root_template["Parameters"][root.TEMPLATE_BUCKET_NAME]["AllowedPattern"], value
    )


@pytest.mark.parametrize("value", ["my.bucket", "Team", "ab", "-abc", "abc-", "a" * 64])
def test_bucket_name_pattern_rejects(root_template, value):
    assert not re.fullmatch(
        root_template["Parameters"][root.TEMPLATE_BUCKET_NAME]["AllowedPattern"], value
    )


@pytest.mark.parametrize(
    ("value", "ok"), [("", True), ("a/", True), ("a/b-c_d/", True), ("a", False), ("/a/", False)]
)
def test_key_prefix_pattern(root_template, value, ok):
    pattern = root_template["Parameters"][root.TEMPLATE_KEY_PREFIX]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is ok


# --- Nested stacks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stack", "filename"),
    [(root.NETWORK_STACK, "network.yaml"), (root.SERVICE_STACK, "service.yaml")],
)
def test_nested_template_urls_point_at_this_version_in_the_template_bucket(
    root_template, stack, filename
):
    url = props(root_template["Resources"][stack])["TemplateURL"]
    values = {
        root.TEMPLATE_BUCKET_NAME: "team-templates",
        root.TEMPLATE_KEY_PREFIX: "tf/",
        "AWS::Region": "eu-west-1",
        "AWS::URLSuffix": "amazonaws.com",
    }
    expected = f"https://team-templates.s3.eu-west-1.amazonaws.com/tf/{__version__}/{filename}"
    assert compute(url, values, {root.BUCKET_PER_REGION: False}) == expected
    # One bucket per region (publish --bucket team-templates-{region} --regions ...), the same
    # parameter values in every region, as a StackSet's instances get them:
    per_region = f"https://team-templates-eu-west-1.s3.eu-west-1.amazonaws.com/tf/{__version__}/"
    assert compute(url, values, {root.BUCKET_PER_REGION: True}) == per_region + filename


def test_one_bucket_per_region_is_off_unless_asked(root_template):
    spec = root_template["Parameters"][root.TEMPLATE_BUCKET_PER_REGION]
    assert (spec["Default"], spec["AllowedValues"]) == ("false", ["true", "false"])
    assert root_template["Conditions"][root.BUCKET_PER_REGION] == {
        "Fn::Equals": [{"Ref": root.TEMPLATE_BUCKET_PER_REGION}, "true"]
    }


def test_nested_stacks_are_deleted_with_the_root_but_kept_if_replaced(root_template):
    for stack, _ in CHILDREN:
        resource = root_template["Resources"][stack]
        assert resource["Type"] == "AWS::CloudFormation::Stack"
        assert resource["DeletionPolicy"] == "Delete"
        assert resource["UpdateReplacePolicy"] == "Retain"


def test_root_surfaces_every_unconditional_child_output(built, root_template):
    expected = {
        name: (stack, output)
        for stack, layer in CHILDREN
        for name, output in built[layer]["Outputs"].items()
        if "Condition" not in output
    }
    assert sorted(root_template["Outputs"]) == sorted(expected)
    for name, (stack, _) in expected.items():
        output = root_template["Outputs"][name]
        assert output["Value"] == {"Fn::GetAtt": [stack, f"Outputs.{name}"]}
        assert output["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-" + name}}


def test_references_resolve(root_template):
    required = {
        root.TEMPLATE_BUCKET_NAME: "team-templates",
        "ContainerImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1",
    }
    assert dangling_refs(deployed(root_template, required)) == set()


def test_children_that_clash_cannot_be_nested(built):
    children = copy.deepcopy({"network": built["network"], "service": built["service"]})
    children["service"]["Parameters"]["VpcCidr"] = {"Type": "String", "Description": "x"}
    with pytest.raises(root.WiringError, match="parameter VpcCidr is declared by both"):
        root.root_template(children, __version__)


def test_a_wire_to_a_missing_output_is_refused(built):
    children = copy.deepcopy({"network": built["network"], "service": built["service"]})
    del children["network"]["Outputs"][network.OUTPUT_PRIVATE_SUBNET_IDS]
    with pytest.raises(root.WiringError, match="no unconditional output PrivateSubnetIds"):
        root.root_template(children, __version__)


# --- A library's own children: what root_template refuses ------------------------------------


def a_child(
    parameters: dict[str, Any] | None = None,
    outputs: dict[str, Any] | None = None,
    rules: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A child template as a layer renders it: each parameter labelled and grouped."""
    parameters = parameters or {}
    interface = {
        "ParameterGroups": [{"Label": {"default": "Settings"}, "Parameters": list(parameters)}],
        "ParameterLabels": {name: {"default": name} for name in parameters},
    }
    return {
        "Parameters": parameters,
        "Metadata": {"AWS::CloudFormation::Interface": interface},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": outputs or {},
        "Rules": rules or {},
    }


TEXT = {"Type": "String", "Description": "a name"}
VPC_OUTPUT = {"VpcId": {"Value": "vpc-0a1b2c3d"}}
A = root.Child("A", "a", "a.yaml")
ON_A = root.Child("B", "b", "b.yaml", wires=(("VpcId", "A", "VpcId"),))


def refused(children: dict[str, Any], nested: list[root.Child]) -> str:
    with pytest.raises(root.WiringError) as error:
        root.root_template(children, "1.0.0", nested)
    return str(error.value)


def test_a_child_that_declares_none_of_its_wired_parameters_is_refused():
    children = {"a": a_child(outputs=VPC_OUTPUT), "b": a_child({"Name": TEXT})}
    assert refused(children, [A, ON_A]) == "the b template has none of the parameters to wire"


def test_two_children_of_one_logical_id_are_refused_by_name():
    """A library user's second Child named like the first was a bare KeyError: 'ContainerImage'."""
    children = {"a": a_child({"Name": TEXT}), "b": a_child({"Size": TEXT})}
    twin = root.Child("A", "b", "b.yaml")
    assert refused(children, [A, twin]) == "two nested stacks are both A: give each its own ID"


def test_a_child_that_takes_or_keeps_a_parameter_its_template_lacks_is_refused():
    """``takes=frozenset({"Nope"})`` was passed over: a misspelt name left its parameter taken
    (keeps_defaults) or not taken (takes) without a word."""
    children = {"a": a_child({"Name": TEXT, "Size": {**TEXT, "Default": "1"}})}
    takes = root.Child("A", "a", "a.yaml", takes=frozenset({"Name", "Nope"}))
    assert refused(children, [takes]) == (
        "the a template declares no parameter Nope (named in its Child's takes or keeps_defaults)"
    )
    keeps = root.Child("A", "a", "a.yaml", keeps_defaults=frozenset({"Sise"}))
    assert refused(children, [keeps]).startswith("the a template declares no parameter Sise ")


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("prefix", 3, "Child.prefix takes str, not int"),
        ("prefix", "my-", "Child.prefix='my-': must be letters and digits only"),
        ("logical_id", "Service-Stack", "Child.logical_id='Service-Stack': must be letters"),
        ("logical_id", 7, "Child.logical_id takes str, not int"),
        ("filename", None, "Child.filename takes str, not None"),
        ("filename", "my service.yaml", "Child.filename='my service.yaml': must be a template"),
        ("filename", "../x.yaml", "Child.filename='../x.yaml': must be a template"),
        ("layer", "", "Child.layer='': must name the child's layer"),
        ("wires", (("VpcId", "A"),), "Child.wires=(('VpcId', 'A'),): must be a tuple of ("),
        (
            "takes",
            "ContainerImage",
            "Child.takes='ContainerImage': must be a frozenset of parameter names: "
            "frozenset({'ContainerImage'}) is one",
        ),
        ("keeps_defaults", None, "Child.keeps_defaults=None: must be a frozenset"),
        ("after", "A", "Child.after='A': must be a tuple of stacks' logical IDs"),
    ],
)
def test_a_child_of_a_wrong_field_is_refused_by_name(field, value, said):
    """An audit of the library: Child took anything, and the root failed deep inside
    (``prefix=3``: "unsupported operand type(s) for +"; ``wires`` of pairs: "not enough values
    to unpack"; ``filename=None``: a TemplateURL ending in /None)."""
    with pytest.raises((TypeError, ValueError)) as error:
        root.Child(**{"logical_id": "A", "layer": "a", "filename": "a.yaml", field: value})
    assert str(error.value).startswith(said)
    assert root.Child("A", "a", "a.yaml", prefix="", takes=None).prefix == ""  # both allowed


def test_a_child_takes_sets_and_lists_where_frozensets_and_tuples_go():
    """A review: ``takes={"ContainerImage"}``, ``after=["NetworkStack"]``, ``wires=[...]``,
    a filename in a folder or of an upper-case extension each built a root before Child
    checked its fields, and were refused after."""
    child = root.Child(
        "B",
        "b",
        "svc/b.YAML",
        wires=[["VpcId", "A", "VpcId"]],
        takes={"Name"},
        keeps_defaults={"Size"},
        after=["A"],
    )
    assert child.wires == (("VpcId", "A", "VpcId"),) and child.after == ("A",)
    assert child.takes == frozenset({"Name"}) and child.keeps_defaults == frozenset({"Size"})
    assert hash(child)  # still a frozen, hashable dataclass
    with pytest.raises(ValueError, match="must be a template file's path"):
        root.Child("B", "b", "svc//b.yaml")


def test_a_root_stackset_or_instance_of_another_version_than_its_children_is_refused(built):
    """``root_template(render_templates(version="1.0.0"), "0.4.0")`` nested the 1.0.0 children
    under .../0.4.0/, where other files (or none) are published; the root carries no stamp of
    its own for write_version to catch."""
    other = render_templates(version="1.0.0")
    with pytest.raises(root.WiringError) as error:
        root.root_template(other, __version__)
    assert str(error.value) == (
        f"root_template(version): {__version__!r}, but the templates it nests are stamped for "
        "another version: network (1.0.0), service (1.0.0); the root would nest them under "
        f".../{__version__}/: render them for it (render_templates(config, version="
        f"{__version__!r}))"
    )
    assert root.root_template(other, "1.0.0").to_dict()["Resources"]  # its own version: built
    from troposphere_fargate.layers.stackset import stackset_template

    with pytest.raises(root.WiringError) as error:
        stackset_template(other, __version__)
    assert str(error.value) == (
        f"stackset_template(version): {__version__!r}, but the instance template is stamped "
        f"for another version: instance (1.0.0): render it for {__version__!r}"
    )
    assert stackset_template(built, __version__).to_dict()["Resources"]
    from troposphere_fargate.layers.instance import instance_template

    with pytest.raises(root.WiringError) as error:
        instance_template(other, __version__)
    assert str(error.value) == (
        f"instance_template(version): {__version__!r}, but the templates it merges are "
        "stamped for another version: network (1.0.0), service (1.0.0)"
    )


def test_a_wire_to_a_conditional_output_is_refused_naming_the_template():
    """CloudFormation cannot GetAtt an output its condition left out; the message names the
    layer whose template lacks it, not its stack's logical ID."""
    conditional = {"VpcId": {"Value": "vpc-0a1b2c3d", "Condition": "MakesAVpc"}}
    children = {"a": a_child(outputs=conditional), "b": a_child({"VpcId": TEXT})}
    assert refused(children, [A, ON_A]) == "the a template has no unconditional output VpcId"
    children["a"] = a_child(outputs=VPC_OUTPUT)
    stacks = root.root_template(children, "1.0.0", [A, ON_A]).to_dict()["Resources"]
    assert props(stacks["B"])["Parameters"] == {"VpcId": {"Fn::GetAtt": ["A", "Outputs.VpcId"]}}


@pytest.mark.parametrize(
    ("nested", "source"),
    [
        ([ON_A, A], "A"),
        ([A, root.Child("B", "b", "b.yaml", wires=(("VpcId", "C", "VpcId"),))], "C"),
        # A wire names the stack (its logical ID), not the layer.
        ([A, root.Child("B", "b", "b.yaml", wires=(("VpcId", "a", "VpcId"),))], "a"),
    ],
    ids=["created-later", "not-nested", "a-layer-name"],
)
def test_a_wire_to_a_stack_not_created_before_is_refused_naming_it(nested, source):
    """The nested stacks are created in the order given, and a GetAtt needs its stack first.
    The message named the stack as a template that lacked the output ("the A template has no
    unconditional output VpcId"), which template a had (found by a mutation run of root.py)."""
    children = {"a": a_child(outputs=VPC_OUTPUT), "b": a_child({"VpcId": TEXT})}
    assert refused(children, nested) == (
        f"the b template's VpcId is wired to {source}, which is not a stack the root creates "
        "before it (nested lists them in creation order)"
    )


def test_a_parameter_the_root_neither_takes_nor_wires_needs_a_default():
    kept = root.Child("A", "a", "a.yaml", keeps_defaults=frozenset({"Name"}))
    assert refused({"a": a_child({"Name": TEXT})}, [kept]) == (
        "the root neither takes nor wires the a template's parameter Name, which has no default"
    )
    defaulted = a_child({"Name": {**TEXT, "Default": "web"}})
    stacks = root.root_template({"a": defaulted}, "1.0.0", [kept]).to_dict()["Resources"]
    assert props(stacks["A"])["Parameters"] == {}


@pytest.mark.parametrize(
    ("section", "declared"),
    [("Outputs", {"Id": {"Value": "x"}}), ("Rules", {"Id": {"Assertions": []}})],
)
def test_children_that_declare_the_same_output_or_rule_cannot_be_nested(section, declared):
    children = {"a": a_child(**{section.lower(): declared}), "b": a_child()}
    children["b"][section] = declared
    assert refused(children, [A, root.Child("B", "b", "b.yaml")]) == (
        f"{section[:-1].lower()} Id is declared by both the a and the b templates"
    )
    # A prefix names the second child's own.
    prefixed = root.Child("B", "b", "b.yaml", prefix="Web")
    root.root_template(children, "1.0.0", [A, prefixed])


@pytest.mark.parametrize("after", ["A", "Elsewhere"])
def test_a_stack_is_created_after_another_stack_of_the_root_only(after):
    waits = root.Child("A", "a", "a.yaml", after=(after,))
    assert refused({"a": a_child()}, [waits]) == (
        f"the a stack is to be created after {after}, which is not another stack the root nests"
    )


@pytest.mark.parametrize("section", ["Parameters", "Outputs"])
def test_a_root_of_more_than_200_parameters_or_outputs_is_a_quota_error(section):
    """CloudFormation says "You can have a maximum of 200 parameters in a CloudFormation
    template" (User Guide, Parameters syntax,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html),
    and 200 outputs ("Understand CloudFormation quotas"). The root declares TemplateBucketName,
    TemplateKeyPrefix and TemplateBucketPerRegion, and each parameter the children give it and
    output they export. troposphere refuses a 201st parameter with a bare ValueError ("Maximum
    parameters 200 reached"): a root of children with too many parameters failed so, not with
    the QuotaError that build reports (found by a mutation run of root.py)."""

    def child(count: int, letter: str) -> dict[str, Any]:
        names = [f"{letter}{i}" for i in range(count)]
        if section == "Parameters":
            return a_child({name: TEXT for name in names})
        return a_child(outputs={name: {"Value": "x"} for name in names})

    own = len(root.root_template({"a": child(0, "A")}, "1.0.0", [A]).to_dict().get(section, {}))
    first = 200 // 2
    second = 200 - own - first
    nested = [A, root.Child("B", "b", "b.yaml")]
    fits = root.root_template({"a": child(first, "A"), "b": child(second, "B")}, "1.0.0", nested)
    assert len(fits.to_dict()[section]) == 200
    with pytest.raises(root.QuotaError) as refused:
        root.root_template({"a": child(first, "A"), "b": child(second + 1, "B")}, "1.0.0", nested)
    assert refused.value.section == section
    assert str(refused.value) == (
        f"the root would have 201 {section.lower()} for its 2 nested stacks; CloudFormation "
        "takes 200 at most: split the services between environments (a spec each)"
    )


def test_a_childs_rule_is_the_roots_about_the_parameters_as_the_root_names_them():
    """With a prefix, the rule, its references and the parameter names in its message are
    renamed; a longer word that only contains a name (ContainerPort) is not."""
    port = {"Type": "Number", "Description": "the port", "Default": "8080"}
    rule = {
        "Assertions": [
            {
                "Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Port"}, "80"]}]},
                "AssertDescription": "Port is not 80 (nor is the ContainerPort)",
            }
        ]
    }
    web = root.Child("A", "a", "a.yaml", prefix="Web", label="web")
    children = {"a": a_child({"Port": port}, rules={"PortIsHigh": rule})}
    rules = root.root_template(children, "1.0.0", [web]).to_dict()["Rules"]
    assert rules == {
        "WebPortIsHigh": {
            "Assertions": [
                {
                    "Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "WebPort"}, "80"]}]},
                    "AssertDescription": "WebPort is not 80 (nor is the ContainerPort)",
                }
            ]
        }
    }


def test_a_labelled_childs_parameters_groups_and_outputs_start_with_its_label():
    """The console shows each service's parameters under its own name: a child's label comes
    before its parameters' labels and groups and its outputs' descriptions."""
    port = {"Type": "Number", "Description": "the port", "Default": "8080"}
    outputs = {"Url": {"Value": "https://example.com", "Description": "the service's URL"}}
    web = root.Child("A", "a", "a.yaml", prefix="Web", label="web")
    template = root.root_template(
        {"a": a_child({"Port": port}, outputs=outputs)}, "1.0.0", [web]
    ).to_dict()
    interface = template["Metadata"]["AWS::CloudFormation::Interface"]
    assert interface["ParameterLabels"]["WebPort"] == {"default": "web: Port"}
    groups = {
        group["Label"]["default"]: group["Parameters"] for group in interface["ParameterGroups"]
    }
    assert groups["web: Settings"] == ["WebPort"]
    assert template["Outputs"]["WebUrl"]["Description"] == "web: the service's URL"
    assert template["Outputs"]["WebUrl"]["Value"] == {"Fn::GetAtt": ["A", "Outputs.Url"]}


def test_a_childs_parameter_without_console_metadata_takes_its_name_in_its_files_group():
    """AWS::CloudFormation::Interface is optional: a child of one's own without it was a
    KeyError. Each parameter it takes is labelled with its name, in a group named after the
    child's file (with the child's label before both)."""
    port = {"Type": "Number", "Description": "the port", "Default": "8080"}
    bare = {**a_child({"Port": port}), "Metadata": {"Owner": "me"}}
    web = root.Child("A", "a", "a.yaml", prefix="Web", label="web")
    for child in (root.Child("A", "a", "a.yaml"), web):
        template = root.root_template({"a": bare}, "1.0.0", [child]).to_dict()
        interface = template["Metadata"]["AWS::CloudFormation::Interface"]
        name, label = ("WebPort", "web: ") if child.label else ("Port", "")
        assert interface["ParameterLabels"][name] == {"default": f"{label}Port"}
        assert {"Label": {"default": f"{label}a.yaml"}, "Parameters": [name]} in (
            interface["ParameterGroups"]
        )


@pytest.mark.parametrize("description", [None, "", "  "], ids=["none", "empty", "blank"])
def test_a_childs_parameter_without_a_description_is_refused(description):
    """The root explains every parameter it takes in the console: one without a Description
    was a KeyError: 'Description'."""
    port = {"Type": "Number", "Default": "8080"}
    if description is not None:
        port["Description"] = description
    assert refused({"a": a_child({"Port": port})}, [A]) == (
        "the a template's parameter Port has no Description: the root shows each parameter it "
        "takes with its description; give it one"
    )


def _equals(name: str, value: str) -> dict[str, Any]:
    return {"Fn::Equals": [{"Ref": name}, value]}


@pytest.mark.parametrize(
    ("condition", "assertions", "says"),
    [
        # About the parameter the root takes: the root's.
        (None, [_equals("Port", "80")], None),
        # About the one it leaves at its default (off): decided here.
        (None, [_equals("Mode", "off")], ""),
        (None, [_equals("Mode", "on")], "the defaults the root leaves break rule R: checked"),
        (_equals("Mode", "on"), [_equals("Port", "80")], ""),  # does not apply to off
        (
            _equals("Mode", "off"),
            [_equals("Port", "80")],
            "rule R of the a template depends on parameters the root takes",
        ),
        # About both.
        (
            None,
            [_equals("Mode", "off"), _equals("Port", "80")],
            "rule R of the a template is about parameters the root both takes and leaves at "
            "their defaults",
        ),
        (
            _equals("Port", "80"),
            [_equals("Mode", "off")],
            "rule R of the a template is about parameters the root both takes and leaves at "
            "their defaults",
        ),
    ],
)
def test_a_rule_about_a_parameter_the_root_leaves_at_its_default_is_decided_by_the_root(
    condition, assertions, says
):
    """The root takes Port and leaves Mode at its default, off. A rule about Mode alone is
    decided for off (it must hold, or not apply); one that needs Port too cannot be."""
    rule: dict[str, Any] = {
        "Assertions": [{"Assert": check, "AssertDescription": "checked"} for check in assertions]
    }
    if condition is not None:
        rule["RuleCondition"] = condition
    parameters = {
        "Mode": {"Type": "String", "Description": "a mode", "Default": "off"},
        "Port": {"Type": "Number", "Description": "the port", "Default": "8080"},
    }
    children = {"a": a_child(parameters, rules={"R": rule})}
    port_only = root.Child("A", "a", "a.yaml", takes=frozenset({"Port"}))
    if says:
        assert refused(children, [port_only]) == says
        return
    rules = root.root_template(children, "1.0.0", [port_only]).to_dict().get("Rules", {})
    assert rules == ({"R": rule} if says is None else {})


def test_a_child_that_takes_nothing_keeps_every_default():
    """``takes=frozenset()``: the root takes none of its parameters (None: every one)."""
    children = {"a": a_child({"Name": {**TEXT, "Default": "web"}})}
    nothing = root.Child("A", "a", "a.yaml", takes=frozenset())
    template = root.root_template(children, "1.0.0", [nothing]).to_dict()
    assert "Name" not in template["Parameters"]
    assert props(template["Resources"]["A"])["Parameters"] == {}


# --- Every root, not only the shipped one ------------------------------------------------------


PRIVATE_ENVIRONMENT_SPEC = """\
services:
  orders: {expose: internal, app_protocol: grpc}
  jobs: {expose: none}
"""
SPECS = {
    "one service, every key": EXAMPLE_SPEC,
    "an environment": ENVIRONMENT_EXAMPLE_SPEC,
    "an environment in an existing VPC": ENVIRONMENT_EXAMPLE_SPEC.replace(
        "services:", "network: {existing_vpc: true}\nservices:", 1
    ),
    "an environment without a public service": PRIVATE_ENVIRONMENT_SPEC,
}


def nested_layer(stack: dict[str, Any]) -> str:
    """The layer whose template a nested stack of the root loads (<layer>.yaml)."""
    (filename,) = set(re.findall(r"/([\w-]+)\.yaml", json.dumps(props(stack)["TemplateURL"])))
    return str(filename)


@pytest.mark.parametrize("spec", sorted(SPECS))
def test_every_root_a_spec_builds_is_derived_from_its_children(spec):
    """What the tests above check of the shipped root, for the roots a spec builds (an
    environment's, whose parameters for a service start with its name; an existing VPC's,
    whose ids are the root's own): each nested stack's parameter is wired to an unconditional
    output of a stack created before it, passed through from a root parameter declared exactly
    as the child declares it, or left at the child's default; each child rule about passed
    parameters only is the root's (renamed with them); each root parameter is grouped and
    labelled for the console."""
    built = render_templates(parse_spec(SPECS[spec], "app.yaml"))
    top = built[root.LAYER]
    stacks = top["Resources"]
    created: set[str] = set()
    for logical_id, stack in stacks.items():
        child = built[nested_layer(stack)]
        passed = props(stack)["Parameters"]
        renames: dict[str, str] = {}
        for name, declaration in child["Parameters"].items():
            where = (logical_id, name)
            if name not in passed:
                assert "Default" in declaration, where
            elif "Fn::GetAtt" in passed[name]:
                source, output = passed[name]["Fn::GetAtt"]
                assert source in created, where
                outputs = built[nested_layer(stacks[source])]["Outputs"]
                assert "Condition" not in outputs[output.removeprefix("Outputs.")], where
            else:
                (taken,) = refs_in(passed[name])
                given = dict(top["Parameters"][taken])
                if taken in root.WIRING:  # an existing VPC's id, described as its first child does
                    given["Description"] = declaration["Description"]
                assert given == declaration, where
                listed = declaration["Type"] == "CommaDelimitedList" or declaration[
                    "Type"
                ].startswith("List<")
                # "You can't pass values of type CommaDelimitedList to a nested stack. Instead,
                # use the Fn::Join intrinsic function" (AWS Knowledge Center,
                # https://repost.aws/knowledge-center/cloudformation-parameters-nested-stacks).
                joined = {"Fn::Join": [",", {"Ref": taken}]}
                assert passed[name] == (joined if listed else {"Ref": taken}), where
                renames[name] = taken
        prefixes = {taken.removesuffix(name) for name, taken in renames.items()}
        for name, rule in child.get("Rules", {}).items():
            if refs_in(rule) <= set(renames):
                # Shared parameters (an existing VPC's ids) have no prefix: rules are not
                # about them alone.
                (prefix,) = prefixes - {""} or {""}
                expected = root._renamed(rule, {n: t for n, t in renames.items() if n != t})
                assert top["Rules"][prefix + name] == expected, (logical_id, name)
        created.add(logical_id)
    interface = top["Metadata"]["AWS::CloudFormation::Interface"]
    grouped = [p for group in interface["ParameterGroups"] for p in group["Parameters"]]
    assert sorted(grouped) == sorted(top["Parameters"])
    assert sorted(interface["ParameterLabels"]) == sorted(top["Parameters"])


# --- Catalog -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog_template(built) -> dict[str, Any]:
    return built["catalog"]


def test_product_loads_the_published_root_template(catalog_template):
    product = props(catalog_template["Resources"][catalog.PRODUCT])
    (artifact,) = product["ProvisioningArtifactParameters"]
    assert artifact["Name"] == __version__
    assert artifact["Type"] == "CLOUD_FORMATION_TEMPLATE"
    values = {
        root.TEMPLATE_BUCKET_NAME: "team-templates",
        root.TEMPLATE_KEY_PREFIX: "tf/",
        "AWS::Region": "eu-west-1",
        "AWS::URLSuffix": "amazonaws.com",
    }
    url = compute(artifact["Info"]["LoadTemplateFromURL"], values)
    assert url == Destination("team-templates", "tf/", __version__, "eu-west-1").url("root.yaml")


def test_product_is_in_the_portfolio_and_launches_with_the_launch_role(catalog_template):
    resources = catalog_template["Resources"]
    association = props(resources[catalog.PORTFOLIO_PRODUCT_ASSOCIATION])
    assert association == {
        "PortfolioId": {"Ref": catalog.PORTFOLIO},
        "ProductId": {"Ref": catalog.PRODUCT},
    }
    constraint = resources[catalog.LAUNCH_ROLE_CONSTRAINT]
    assert props(constraint)["RoleArn"] == {"Fn::GetAtt": [catalog.LAUNCH_ROLE, "Arn"]}
    assert constraint["DependsOn"] == [catalog.PORTFOLIO_PRODUCT_ASSOCIATION]


def test_the_portfolio_is_named_after_the_stack_or_as_given(catalog_template):
    """A portfolio's DisplayName takes 100 characters at most (AWS::ServiceCatalog::Portfolio,
    CloudFormation Template Reference), a stack's name 128: the default, the stack's name and
    " Fargate services", fits stack names of up to 83; a longer one needs a name of its own."""
    pseudo = {"AWS::StackName": "s" * 83}
    values = {
        catalog.PRINCIPAL_ARN: "arn:aws:iam::123456789012:role/developers",
        root.TEMPLATE_BUCKET_NAME: "my-templates",
    }
    stack = deployed(catalog_template, values, pseudo)
    name = compute(props(stack.resources[catalog.PORTFOLIO])["DisplayName"], pseudo)
    assert len(name) == catalog.MAX_DISPLAY_NAME
    given = {**values, catalog.PORTFOLIO_DISPLAY_NAME: "Platform services"}
    stack = deployed(catalog_template, given, pseudo)
    assert props(stack.resources[catalog.PORTFOLIO])["DisplayName"] == {
        "Ref": catalog.PORTFOLIO_DISPLAY_NAME
    }
    with pytest.raises(ParameterError, match="must be up to 100 printable characters"):
        deployed(catalog_template, {**values, catalog.PORTFOLIO_DISPLAY_NAME: "x" * 101}, pseudo)


def test_the_principal_given_may_launch(catalog_template):
    association = props(catalog_template["Resources"][catalog.PRINCIPAL_ASSOCIATION])
    assert association["PrincipalARN"] == {"Ref": catalog.PRINCIPAL_ARN}
    assert association["PrincipalType"] == "IAM"
    pattern = catalog_template["Parameters"][catalog.PRINCIPAL_ARN]["AllowedPattern"]
    assert re.fullmatch(pattern, "arn:aws:iam::123456789012:role/developers")
    assert not re.fullmatch(pattern, "arn:aws:iam::123456789012:policy/developers")
    assert not re.fullmatch(pattern, "developers")


def launch_statements(catalog_template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (policy,) = props(catalog_template["Resources"][catalog.LAUNCH_ROLE])["Policies"]
    return {st["Sid"]: st for st in policy["PolicyDocument"]["Statement"]}


def test_launch_role_is_trusted_by_service_catalog_of_this_account(catalog_template):
    trust = props(catalog_template["Resources"][catalog.LAUNCH_ROLE])["AssumeRolePolicyDocument"]
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "servicecatalog.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole"]


def test_launch_role_reads_templates_only_from_the_template_bucket(catalog_template):
    statements = launch_statements(catalog_template)
    reads = [st for st in statements.values() if "s3:GetObject" in st["Action"]]
    unconditional = [st["Resource"] for st in reads if "Condition" not in st]
    assert unconditional == [
        [{"Fn::Sub": "arn:${AWS::Partition}:s3:::${TemplateBucketName}/${TemplateKeyPrefix}*"}]
    ]


def test_launch_role_manages_only_the_roles_log_groups_and_buckets_of_launched_stacks(
    catalog_template,
):
    statements = launch_statements(catalog_template)
    assert statements["ManageTheProductsRoles"]["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/SC-*"}
    ]
    assert statements["ManageTheProductsLogGroups"]["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:SC-*"}
    ]
    assert statements["ManageTheProductsBuckets"]["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:s3:::sc-*"}
    ]
    assert statements["ManageLaunchedStacks"]["Resource"] == [
        {
            "Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:"
            "${AWS::AccountId}:stack/SC-*"
        }
    ]


# How the CKV_AWS_111 reason calls each service whose actions the launch role may take on any
# resource ("Resource": "*", no condition) beyond reading.
UNSCOPED_SERVICE_NAMES = {
    "ec2": "EC2",
    "ecs": "ECS",
    "elasticloadbalancing": "Elastic Load Balancing",
    "application-autoscaling": "Application Auto Scaling",
    "cloudwatch": "CloudWatch",
    "route53": "Route 53",
    "logs": "log deliveries",
}


def test_launch_role_s_suppression_names_every_service_it_grants_on_any_resource(
    catalog_template,
):
    """checkov's CKV_AWS_111 (write access without constraints) is skipped on the launch role
    with a reason naming the services concerned; it named EC2, ECS, Elastic Load Balancing and
    Application Auto Scaling but not CloudWatch (alarms, dashboard) nor Route 53, and said logs
    were scoped to SC- names although log deliveries are granted on every resource."""
    unscoped = set()
    for statement in launch_statements(catalog_template).values():
        if statement["Resource"] != ["*"] or "Condition" in statement:
            continue
        for action in statement["Action"]:
            service, verb = action.split(":")
            if not verb.startswith(("Describe", "Get", "List", "Validate")):
                unscoped.add(service)
    assert unscoped == set(UNSCOPED_SERVICE_NAMES)  # a new one: name it in the reason
    metadata = catalog_template["Resources"][catalog.LAUNCH_ROLE]["Metadata"]
    (skip,) = metadata["checkov"]["skip"]
    assert skip["id"] == "CKV_AWS_111"
    assert [n for n in UNSCOPED_SERVICE_NAMES.values() if n not in skip["comment"]] == []


def test_launch_role_can_roll_back_and_plan_the_stacks_it_launches(catalog_template):
    """The product nests stacks: "make sure that you have cancel update stack permissions,
    which are required if an update rolls back" (AWS::CloudFormation::Stack, CloudFormation
    Template Reference); a rollback that fails is continued with ContinueUpdateRollback; a
    provisioned product plan is a change set. Only on the stacks Service Catalog launches."""
    actions = set(launch_statements(catalog_template)["ManageLaunchedStacks"]["Action"])
    assert {
        f"cloudformation:{name}"
        for name in [
            "CreateStack",
            "UpdateStack",
            "DeleteStack",
            "CancelUpdateStack",
            "ContinueUpdateRollback",
            "CreateChangeSet",
            "DescribeChangeSet",
            "ExecuteChangeSet",
            "DeleteChangeSet",
        ]
    } <= actions


def test_launch_role_passes_roles_only_to_ecs_tasks_ecs_lambda_and_flow_logs(catalog_template):
    """ecs.amazonaws.com: a canary, linear or blue/green service's DeploymentRole, which ECS
    assumes to shift traffic (AdvancedConfiguration.RoleArn); lambda.amazonaws.com: the role of
    network.yaml's function that empties the default security group."""
    passing = launch_statements(catalog_template)["PassTheProductsRolesToTheirServices"]
    assert passing["Action"] == ["iam:PassRole"]
    assert passing["Condition"] == {
        "StringEquals": {
            "iam:PassedToService": [
                "ecs-tasks.amazonaws.com",
                "ecs.amazonaws.com",
                "lambda.amazonaws.com",
                "vpc-flow-logs.amazonaws.com",
            ]
        }
    }


def test_launch_role_may_invoke_only_the_products_own_functions(catalog_template):
    """CloudFormation invokes a custom resource's function as the stack's execution role, which
    for a launched product is the launch role (aws-solutions/centralized-logging-with-opensearch
    #216: "is not authorized to perform: lambda:InvokeFunction" from a custom resource)."""
    functions = launch_statements(catalog_template)["ManageTheProductsFunctions"]
    assert "lambda:InvokeFunction" in functions["Action"]
    assert functions["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:SC-*"}
    ]


# Actions CloudFormation's handlers may call for the resource types the product uses, that the
# launch role deliberately lacks: they serve properties and features the templates never set.
NOT_NEEDED = {
    "cloudformation:UpdateTerminationProtection": "nested stacks set no termination protection",
    "cognito-idp:DescribeUserPoolClient": "no Cognito authentication on listeners",
    "firehose:TagDeliveryStream": "log groups deliver to no Firehose stream",
    # TaskRoleManagedPolicyArns fails the launch in Service Catalog, on purpose.
    "iam:AttachRolePolicy": "it would let a launching user give the task role any policy",
    "iam:DeleteRolePermissionsBoundary": "no permissions boundaries",
    "iam:PutRolePermissionsBoundary": "no permissions boundaries",
    "kms:DescribeKey": "no customer managed keys",
    "ecs:PutAccountSetting": "account-wide ECS settings are not the product's to change",
    "ecs:PutAccountSettingDefault": "account-wide ECS settings are not the product's to change",
    "elasticloadbalancing:ModifyCapacityReservation": "no capacity reservations",
    # The launch creates listener rules only for a canary, linear or blue/green deployment
    # (ProductionListenerRule, TestListenerRule), each at the constant priority 1.
    "elasticloadbalancing:SetRulePriorities": "the rules a launch creates never change priority",
    "elasticloadbalancing:ModifyIpPools": "no IPAM pools",
    "s3:DeleteObject": "the access-log bucket is retained, never emptied",
    "s3:PutBucketAcl": "ACLs are disabled (BucketOwnerEnforced)",
    "s3:PutObjectAcl": "ACLs are disabled (BucketOwnerEnforced)",
    "s3:REST.PUT.OBJECT": "not an IAM action",
    "vpce:AllowMultiRegion": "endpoints are in the stack's own region",
    # network.yaml's one function (it empties the default security group): inline code, a
    # managed runtime, nothing scaled, reserved, signed, layered, versioned or mounted.
    "elasticfilesystem:DescribeMountTargets": "the function mounts no file system",
    "s3files:ListMountTargets": "the function mounts no file system",
    "kms:CreateGrant": "no customer managed keys",
    "kms:Decrypt": "no customer managed keys",
    "kms:Encrypt": "no customer managed keys",
    "kms:GenerateDataKey": "no customer managed keys",
    "s3:GetObjectVersion": "the function's code is inline (ZipFile), not in a bucket",
    "lambda:AssociateRuntimeAlias": "the function runs a managed runtime as it is",
    "lambda:GetCodeSigningConfig": "no code signing",
    "lambda:PutFunctionCodeSigningConfig": "no code signing",
    "lambda:DeleteFunctionCodeSigningConfig": "no code signing",
    "lambda:PutFunctionConcurrency": "no reserved concurrency (see docs/suppressions.md)",
    "lambda:DeleteFunctionConcurrency": "no reserved concurrency",
    "lambda:GetProvisionedConcurrencyConfig": "no Lambda function is scaled",
    "lambda:PutProvisionedConcurrencyConfig": "no Lambda function is scaled",
    "lambda:DeleteProvisionedConcurrencyConfig": "no Lambda function is scaled",
    "lambda:GetLayerVersion": "no layers",
    "lambda:PassCapacityProvider": "no Lambda Managed Instances",
    "lambda:PutFunctionScalingConfig": "no Lambda Managed Instances",
    "lambda:PublishVersion": "no versions are published",
}
NOT_NEEDED_PREFIXES = {
    # AWS::WAFv2::WebACLAssociation's handlers list what every protected resource type needs;
    # the launch associates a web ACL with an application load balancer only.
    **{
        prefix: "the web ACL protects an application load balancer only"
        for prefix in (
            "amplify:",
            "apigateway:",
            "apprunner:",
            "appsync:",
            "bedrock-agentcore:",
            "cognito-idp:AssociateWebACL",
            "cognito-idp:DisassociateWebACL",
            "cognito-idp:GetWebACLForResource",
            "ec2:AssociateVerifiedAccessInstanceWebAcl",
            "ec2:DisassociateVerifiedAccessInstanceWebAcl",
            "ec2:DescribeVerifiedAccessInstanceWebAclAssociations",
            "ec2:GetVerifiedAccessInstanceWebAcl",
        )
    },
    "wafv2:GetPermissionPolicy": "permission policies share rule groups; the launch shares none",
    "wafv2:PutPermissionPolicy": "as above",
    "s3tables:": "no S3 table buckets",
    "vpc-lattice:": "no VPC Lattice",
    "logs:PutDataProtectionPolicy": "no log data protection, index, resource or KMS policies",
    "logs:DeleteDataProtectionPolicy": "as above",
    "logs:PutIndexPolicy": "as above",
    "logs:DeleteIndexPolicy": "as above",
    "logs:PutResourcePolicy": "as above",
    "logs:DeleteResourcePolicy": "as above",
    "logs:AssociateKmsKey": "as above",
    "logs:DisassociateKmsKey": "as above",
    "logs:PutBearerTokenAuthentication": "as above",
    "logs:PutLogGroupDeletionProtection": "log groups are retained by DeletionPolicy instead",
    "ec2:AcceptAddressTransfer": "no Elastic IP transfers",
    "ec2:AssignPrivateNatGatewayAddress": "NAT gateways have one address",
    "ec2:UnassignPrivateNatGatewayAddress": "as above",
    "ec2:AssociateNatGatewayAddress": "as above",
    "ec2:DisassociateNatGatewayAddress": "as above",
    "ec2:AssociateSubnetCidrBlock": "no IPv6 or secondary subnet CIDRs",
    "ec2:DisassociateSubnetCidrBlock": "as above",
    "ec2:AttachVpnGateway": "no VPN gateways",
    "ec2:DetachVpnGateway": "as above",
    "ec2:DescribeVpnGateways": "as above",
    "ec2:CreateVpcEncryptionControl": "no VPC encryption controls",
    "ec2:ModifyVpcTenancy": "default tenancy",
    "s3:CreateBucketMetadataTableConfiguration": "no S3 features beyond what the bucket sets",
    "s3:DeleteBucketAnalyticsConfiguration": "as above",
    "s3:DeleteBucketCors": "as above",
    "s3:DeleteBucketEncryption": "as above",
    "s3:DeleteBucketLifecycle": "as above",
    "s3:DeleteBucketMetadataTableConfiguration": "as above",
    "s3:DeleteBucketMetricsConfiguration": "as above",
    "s3:DeleteBucketReplication": "as above",
    "s3:DeleteBucketWebsite": "as above",
    "s3:PutAccelerateConfiguration": "as above",
    "s3:PutAnalyticsConfiguration": "as above",
    "s3:PutBucketAbac": "as above",
    "s3:PutBucketCORS": "as above",
    "s3:PutBucketLogging": "as above",
    "s3:PutBucketNotification": "as above",
    "s3:PutBucketObjectLockConfiguration": "as above",
    "s3:PutBucketReplication": "as above",
    "s3:PutBucketWebsite": "as above",
    "s3:PutIntelligentTieringConfiguration": "as above",
    "s3:PutInventoryConfiguration": "as above",
    "s3:PutMetricsConfiguration": "as above",
    "s3:PutObjectLockConfiguration": "as above",
    "s3:PutReplicationConfiguration": "as above",
    "s3:UpdateBucketMetadata": "as above",
}


def handler_permissions(resource_type: str) -> set[str]:
    """What CloudFormation's create, read, update and delete handlers of a type may call, from
    the resource provider schema cfn-lint ships. The read handler too: "CloudFormation invokes
    this handler as part of a stack update operation when detailed information about the
    resource's current state is required" (CloudFormation CLI User Guide, "Developing resource
    types"); a review found 19 of its actions missing from the launch role."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    handlers = schema.get("handlers", {})
    return {
        permission
        for handler in ("create", "read", "update", "delete")
        for permission in handlers.get(handler, {}).get("permissions", [])
    }


def test_launch_role_may_call_what_cloudformation_needs_for_every_resource_type(
    built, catalog_template
):
    # IAM compares action names without case: the handlers write SetWebACL, awacs SetWebAcl.
    allowed = {
        a.lower() for st in launch_statements(catalog_template).values() for a in st["Action"]
    }
    used = {
        resource["Type"]
        for layer in ("network", "service", "root")
        for resource in built[layer]["Resources"].values()
    }
    needed = set().union(*(handler_permissions(t) for t in used))
    missing = sorted(
        action
        for action in needed
        if action.lower() not in allowed
        and action not in NOT_NEEDED
        and not action.startswith(tuple(NOT_NEEDED_PREFIXES))
    )
    assert missing == []
    # The exclusions are exactly what is left out, so a stale one is noticed too.
    assert set(NOT_NEEDED) <= needed


def test_launch_role_can_read_service_catalogs_copy_of_the_template(catalog_template):
    statement = launch_statements(catalog_template)["ReadServiceCatalogsCopyOfTheTemplate"]
    assert statement["Action"] == ["s3:GetObject"]
    assert statement["Condition"] == {
        "StringEquals": {"s3:ExistingObjectTag/servicecatalog:provisioning": "true"}
    }


ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess"


def launch_template(constraint: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """A template with the root's parameters the constraint's rules read, and those rules."""
    rules = json.loads(compute(props(constraint)["Rules"], values))
    return {
        "Parameters": {
            **{name: {"Type": "String"} for name in values},
            root.TEMPLATE_BUCKET_PER_REGION: {"Type": "String", "Default": "false"},
            service.ENVIRONMENT_FILE_ARN: {"Type": "String", "Default": ""},
            service.SECRET_ARN_PARAMETER: {"Type": "String", "Default": ""},
            service.TASK_ROLE_MANAGED_POLICY_ARNS: {"Type": "CommaDelimitedList", "Default": ""},
        },
        "Rules": rules,
    }


def test_launches_may_only_use_the_catalogs_template_location(catalog_template):
    constraint = catalog_template["Resources"][catalog.TEMPLATE_LOCATION_CONSTRAINT]
    assert constraint["DependsOn"] == [catalog.PORTFOLIO_PRODUCT_ASSOCIATION]
    values = {root.TEMPLATE_BUCKET_NAME: "team-templates", root.TEMPLATE_KEY_PREFIX: "tf/"}
    launch = launch_template(constraint, values)
    deployed(launch, values)  # the catalog's own location passes
    with pytest.raises(RuleError, match="TemplateBucketName is set by the catalog"):
        deployed(launch, {**values, root.TEMPLATE_BUCKET_NAME: "someone-elses"})
    with pytest.raises(RuleError, match="TemplateKeyPrefix is set by the catalog"):
        deployed(launch, {**values, root.TEMPLATE_KEY_PREFIX: "other/"})
    # With one bucket per region, the nested templates would come from
    # team-templates-<region>: a bucket nobody reserved, which the launching user could create
    # and fill with templates the launch role runs.
    with pytest.raises(RuleError, match="TemplateBucketPerRegion is set by the catalog"):
        deployed(launch, {**values, root.TEMPLATE_BUCKET_PER_REGION: "true"})


def test_the_catalog_fixes_every_template_location_parameter_of_the_root(
    root_template, catalog_template
):
    """Each parameter of the root's "Template location" group decides where the nested
    templates come from: the template constraint must fix all of them, a new one included."""
    groups = root_template["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"]
    (location,) = [g for g in groups if g["Label"]["default"] == root.GROUP_TEMPLATES]
    constraint = catalog_template["Resources"][catalog.TEMPLATE_LOCATION_CONSTRAINT]
    rules = json.loads(props(constraint)["Rules"]["Fn::Sub"])
    fixed = {
        a["Assert"]["Fn::Contains"][1]["Ref"]
        for a in rules["TemplateLocationIsTheCatalogs"]["Assertions"]
    }
    assert fixed == set(location["Parameters"]) == set(catalog.CATALOG_TEMPLATE_LOCATION)


def test_a_catalog_launch_cannot_name_a_secret_an_environment_file_or_managed_policies(
    catalog_template,
):
    """The launch role writes the roles the product creates: a launching user who could name a
    secret would grant their own image what they may not read. The template constraint
    refuses these parameters unless empty (the spec build is where a product's secrets go)."""
    constraint = catalog_template["Resources"][catalog.TEMPLATE_LOCATION_CONSTRAINT]
    values = {root.TEMPLATE_BUCKET_NAME: "team-templates", root.TEMPLATE_KEY_PREFIX: "tf/"}
    launch = launch_template(constraint, values)
    deployed(launch, values)  # left empty: launches
    secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
    with pytest.raises(RuleError, match="SecretArn is not offered in the catalog"):
        deployed(launch, {**values, service.SECRET_ARN_PARAMETER: secret})
    with pytest.raises(RuleError, match="EnvironmentFileArn is not offered in the catalog"):
        deployed(launch, {**values, service.ENVIRONMENT_FILE_ARN: "arn:aws:s3:::b/app.env"})
    with pytest.raises(RuleError, match="TaskRoleManagedPolicyArns is not offered"):
        deployed(
            launch,
            {**values, service.TASK_ROLE_MANAGED_POLICY_ARNS: ADMINISTRATOR},
        )


def test_a_root_of_other_children_is_described_by_what_it_nests():
    """A review: root_template(children, version, nested=...) of an environment's children kept
    the shipped root's description ("in a new VPC: nests the network and service templates")
    unless one was given; the console and describe-stacks showed it."""
    from troposphere_fargate import layers_for, parse_spec

    config = parse_spec(
        'services:\n  web: {expose: public, routing: {path: "/*", priority: 1}}\n'
        "  api: {expose: internal}\n"
    )
    nested = [layer.nested_as for layer in layers_for(config) if layer.nested_as]
    built = render_templates(config)
    assert root.root_template(built, __version__, nested).to_dict()["Description"] == (
        "Nests network.yaml, environment.yaml, service-web.yaml and service-api.yaml, each "
        "created after the stacks whose outputs it takes"
    )
    # The shipped root's without nested; a given one as given; the count where names are long.
    shipped = root.root_template(render_templates(), __version__).to_dict()
    assert shipped["Description"] == root.SHIPPED_DESCRIPTION
    given = root.root_template(built, __version__, nested, "Shop").to_dict()
    assert given["Description"] == "Shop"
    many = [root.Child(f"S{i}", "x", f"{'n' * 100}{i}.yaml") for i in range(12)]
    assert root.nesting_description(many) == (
        "Nests 12 templates, each created after the stacks whose outputs it takes"
    )
