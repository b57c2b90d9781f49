"""The user the containers run as: the console's ``ContainerUser`` (the application's container),
a spec's ``user`` (its default) and a sidecar's ``user``; never root.

What each rule encodes, and where AWS says it:
- ECS takes ``user`` as user, user:group, uid, uid:gid, user:gid or uid:group (Amazon ECS
  Developer Guide, task definition parameters, "user"); a UID needs no entry in the image's
  /etc/passwd, a name does.
- AWS Config's ``ecs-task-definition-linux-user-non-root`` (Security Hub ECS.20) is NON_COMPLIANT
  "if root user is specified or user configuration is absent for any container"; Control
  Tower's CT.ECS.PR.3 (cfn-guard ``ecs_task_definition_nonroot_user_check``) refuses ``0``,
  ``root``, ``0:*`` and ``root:*``. So the pattern refuses those, and an empty ContainerUser
  (the image's USER) leaves the check to the image.
- CloudFormation's AllowedPattern is not Python's ``re``: the pattern avoids lookaround, which
  not every regular expression engine reads alike, so one test keeps it out.
- CloudFormation reads templates as YAML 1.1, where ``1000:59`` is a base-60 integer: a user
  given as a default must be written as a string.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from tests.support import SERVICE_REQUIRED, accepted_or_refused, props
from troposphere_fargate import Application, ServiceConfig, Sidecar, from_yaml, to_yaml
from troposphere_fargate.cfn.evaluate import ParameterError, deployed, resolved
from troposphere_fargate.layers.application import NON_ROOT_USER, positive_up_to
from troposphere_fargate.layers.errors import ConfigError
from troposphere_fargate.layers.service import names as s
from troposphere_fargate.layers.service import service_template
from troposphere_fargate.layers.service.containers import SIDECAR_USER_REASON

AGENT = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:2"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,31}")


def _an_id(text: str) -> bool:
    """A UID or GID as ECS takes one ("a positive integer") and the container runtimes do (at
    most 2147483647), written without leading zeros."""
    return text.isdigit() and text.isascii() and not text.startswith("0") and int(text) < 2**31


def non_root(value: str) -> bool:
    """What the pattern must mean, written the plain way: a UID or a name other than root,
    then optionally a group (a GID or a name)."""
    user, colon, group = value.partition(":")
    user_ok = _an_id(user) or (bool(_NAME.fullmatch(user)) and user != "root")
    if not colon:
        return user_ok
    return user_ok and (_an_id(group) or bool(_NAME.fullmatch(group)))


def candidates(longest: int = 5) -> list[str]:
    """Every string of up to ``longest`` characters over an alphabet that reaches each branch of
    the pattern (root's letters and their neighbours, digits, the separators), and longer ones:
    names and IDs at and past their limits."""
    alphabet = "0129nopqrstu_.-:R"
    short = [
        "".join(p) for n in range(1, longest + 1) for p in itertools.product(alphabet, repeat=n)
    ]
    longer = ["a" * 32, "a" * 33, "root:" + "g" * 32, "app:" + "g" * 33]
    for limit in (2**31 - 1, 2**31, 10**9 - 1, 10**9, 2 * 10**9, 10**10, 2**32):
        longer += [str(limit), f"1000:{limit}", f"{limit}:1000", f"0{limit}"]
    return short + longer


def test_the_pattern_means_a_user_other_than_root():
    mismatched = [v for v in candidates() if bool(NON_ROOT_USER.fullmatch(v)) != non_root(v)]
    assert mismatched == []


def test_no_value_the_pattern_takes_is_one_control_tower_calls_root():
    # cfn-guard's ROOT_USER_PATTERNS in CT.ECS.PR.3: [0, "0", "root", /^0:.*$/, /^root:.*$/]
    guard_root = re.compile(r"^(?:0|root)(?::.*)?$")
    taken = [v for v in candidates() if NON_ROOT_USER.fullmatch(v)]
    assert taken and not [v for v in taken if guard_root.fullmatch(v)]


@pytest.mark.parametrize("highest", [1, 9, 10, 11, 20, 99, 100, 305, 1000, 2**31 - 1])
def test_positive_up_to_takes_exactly_one_to_the_highest(highest):
    pattern = re.compile(rf"^(?:{positive_up_to(highest)})$")
    samples = [*range(0, 2100), highest - 1, highest, highest + 1, 10 * highest]
    assert [i for i in samples if bool(pattern.match(str(i))) != (1 <= i <= highest)] == []
    assert not pattern.match(f"0{highest}")


def test_the_pattern_has_no_lookaround():
    assert not re.search(r"\(\?<?[=!]", NON_ROOT_USER.pattern)


@pytest.mark.parametrize(
    ("user", "ok"),
    [
        ("1000", True),
        ("1000:1000", True),
        ("app", True),
        ("app:staff", True),
        ("65534", True),
        ("2147483647:2147483647", True),
        ("2147483648", False),
        ("1000:0", False),
        ("1000:00", False),
        ("root", False),
        ("0", False),
        ("0:0", False),
        ("root:root", False),
        ("", False),
        (1000, False),
    ],
)
def test_the_library_takes_a_non_root_user_only(user, ok):
    accepted_or_refused(
        lambda: Application(user=user), ok, ConfigError, r"Application\.user=.*a user other"
    )
    accepted_or_refused(
        lambda: Sidecar(name="agent", image=AGENT, user=user),
        ok,
        ConfigError,
        r"Sidecar\.user=.*a user other than root",
    )


# --- The console parameter ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    return service_template(ServiceConfig()).to_dict()


def container(template: dict[str, Any], **values: str) -> dict[str, Any]:
    stack = resolved(template, {**SERVICE_REQUIRED, **values})
    (first, *_) = props(stack["Resources"][s.TASK_DEFINITION])["ContainerDefinitions"]
    return dict(first)


def test_by_default_the_container_runs_as_its_images_user(shipped):
    assert shipped["Parameters"][s.CONTAINER_USER]["Default"] == ""
    assert "User" not in container(shipped)


def test_the_container_runs_as_the_user_given(shipped):
    assert container(shipped, **{s.CONTAINER_USER: "1000:1000"})["User"] == "1000:1000"


@pytest.mark.parametrize("user", ["root", "0", "0:0", "root:wheel", "app user", "-1"])
def test_the_console_refuses_root_with_the_parameters_own_message(shipped, user):
    with pytest.raises(ParameterError, match=r"ContainerUser.*must be empty or a user other"):
        deployed(shipped, {**SERVICE_REQUIRED, s.CONTAINER_USER: user})


def test_a_specs_user_is_the_parameters_default_written_as_a_string():
    template = service_template(ServiceConfig(application=Application(user="1000:59"))).to_dict()
    assert template["Parameters"][s.CONTAINER_USER]["Default"] == "1000:59"
    # YAML 1.1 reads a bare 1000:59 as the integer 60059: the text must quote it.
    text = to_yaml(template)
    assert "Default: '1000:59'" in text
    assert from_yaml(text)["Parameters"][s.CONTAINER_USER]["Default"] == "1000:59"
    assert container(template)["User"] == "1000:59"


def test_a_sidecar_runs_as_its_own_user_whatever_the_parameter():
    application = Application(
        sidecars=(
            Sidecar(name="agent", image=AGENT, user="10001"),
            Sidecar(name="plain", image=AGENT),
        )
    )
    template = service_template(ServiceConfig(application=application)).to_dict()
    stack = resolved(template, {**SERVICE_REQUIRED, s.CONTAINER_USER: "1000"})
    definitions = props(stack["Resources"][s.TASK_DEFINITION])["ContainerDefinitions"]
    users = {d["Name"]: d.get("User") for d in definitions}
    assert users == {"app": "1000", "agent": "10001", "plain": None}


def suppressed(template: dict[str, Any]) -> list[str]:
    metadata = template["Resources"][s.TASK_DEFINITION].get("Metadata", {})
    return list(metadata.get("guard", {}).get("SuppressedRules", []))


def test_the_control_tower_check_needs_no_suppression_when_every_container_names_a_user(shipped):
    # The application's container always names one (ContainerUser's Fn::If), which guard takes;
    # tests/policy/test_policy.py runs guard and refuses a suppression nothing needs.
    assert "ecs_task_definition_nonroot_user_check" not in suppressed(shipped)
    named = Application(sidecars=(Sidecar(name="agent", image=AGENT, user="10001"),))
    template = service_template(ServiceConfig(application=named)).to_dict()
    assert "ecs_task_definition_nonroot_user_check" not in suppressed(template)


def test_a_sidecar_without_a_user_is_suppressed_with_its_reason():
    unnamed = Application(sidecars=(Sidecar(name="agent", image=AGENT),))
    template = service_template(ServiceConfig(application=unnamed)).to_dict()
    guard = template["Resources"][s.TASK_DEFINITION]["Metadata"]["guard"]
    assert "ecs_task_definition_nonroot_user_check" in guard["SuppressedRules"]
    assert guard["Reasons"]["ecs_task_definition_nonroot_user_check"] == SIDECAR_USER_REASON


def test_a_group_of_0_is_refused_with_the_range_a_gid_takes():
    """A review: ``1000:0`` was "not a user other than root", whose user is 1000; a GID is "a
    positive integer" (ECS Developer Guide, task definition parameters, user), which the
    message now says of the group too."""
    with pytest.raises(ConfigError) as refused:
        Application(user="1000:0")
    assert ":<gid> (1 to 2147483647 too) or :<group>" in str(refused.value)
