"""The service layer's parameters, one function per console group in the order the console shows
them, and the rules that reject a combination of their values Fargate does not offer.

Every default comes from :class:`~troposphere_fargate.layers.config.ServiceConfig`; every choice
from the tuples in :mod:`troposphere_fargate.layers.config`.
"""

from __future__ import annotations

from troposphere import And, Equals, Not, Or, Parameter, Ref, Template

from .. import blocks
from ..application import (
    ECR_REPOSITORY_PATTERN,
    ENVIRONMENT_NAME,
    MANAGED_POLICY,
    NON_ROOT_USER,
    NON_ROOT_USER_MEANS,
    SECRET_RESOURCE,
    SECURITY_GROUP_ID,
    Application,
)
from ..blocks import INGRESS_CIDR_PATTERN as INGRESS_CIDR_PATTERN  # re-exported
from ..blocks import (
    add_choice_parameter,
    add_parameter,
    add_retention_parameter,
    add_switch_parameter,
    is_true,
)
from ..config import (
    ALARM_TOPIC_ARN_PATTERN,
    APPLICATION_LOAD_BALANCER,
    CAPACITY_PROVIDERS,
    CPU_ARCHITECTURES,
    FARGATE_TASK_SIZES,
    HEALTH_CHECK_PATH_MAX,
    HEALTH_CHECK_PATH_PATTERN,
    LOAD_BALANCER_TYPES,
    LOG_RETENTION_DAYS,
    MAX_DEREGISTRATION_DELAY_SECONDS,
    MAX_HEALTH_CHECK_GRACE_PERIOD_SECONDS,
    MAX_REQUESTS_PER_TARGET,
    MAX_TASKS,
    WEB_ACL_ARN_PATTERN,
    ServiceConfig,
)
from ..deployment import ROLLING
from ..exposure import EXPOSE_PUBLIC
from ..health import (
    ELB_DEFAULT_TIMEOUT,
    ELB_LONGEST_DEFAULT_TIMEOUT,
    HEALTH_CHECK_INTERVALS,
    HEALTH_CHECK_TIMEOUTS,
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    SHORTEST_INTERVAL_WITH_DEFAULT_TIMEOUT,
    SUCCESS_CODES_PATTERN,
    timeouts_for,
)
from ..queue_scaling import MIN_RUNNING_TASKS
from ..schedules import one_sided_bounds
from .deployment import add_deployment_parameters
from .joining import add_environment_parameters
from .names import (
    ALARM_TOPIC_ARN,
    ALLOWED_INGRESS_CIDR,
    CAPACITY_PROVIDER,
    CERTIFICATE_ARN,
    CLUSTER_NAME,
    CONTAINER_IMAGE,
    CONTAINER_PORT,
    CONTAINER_PORT_NOT_A_SIDECAR_PORT,
    CONTAINER_USER,
    CPU_ARCHITECTURE,
    CPU_TARGET_UTILIZATION,
    DELETION_PROTECTION,
    DEPLOYMENT_STRATEGY,
    DEREGISTRATION_DELAY,
    DESIRED_COUNT,
    ENABLE_EXECUTE_COMMAND,
    ENVIRONMENT_FILE_ARN,
    ERROR_RATE_ALARM_PERCENT,
    EXPOSE,
    EXTRA_EGRESS_CIDR,
    EXTRA_EGRESS_DESTINATION_NEEDS_PORT,
    EXTRA_EGRESS_NEEDS_ONE_DESTINATION,
    EXTRA_EGRESS_PORT,
    EXTRA_EGRESS_SECURITY_GROUP_ID,
    GROUP_APPLICATION,
    GROUP_CONTAINER,
    GROUP_LOAD_BALANCER,
    GROUP_NETWORK,
    GROUP_OPERATIONS,
    GROUP_SCALING,
    HEALTH_CHECK_GRACE_PERIOD,
    HEALTH_CHECK_INTERVAL,
    HEALTH_CHECK_PATH,
    HEALTH_CHECK_SUCCESS_CODES,
    HEALTH_CHECK_TIMEOUT,
    HEALTH_CHECK_TIMEOUT_BELOW_INTERVAL,
    HEALTHY_THRESHOLD,
    HTTPS_ONLY,
    HTTPS_ONLY_NEEDS_A_CERTIFICATE,
    LOAD_BALANCER_TYPE,
    LOG_RETENTION_DAYS_PARAMETER,
    MANAGED_POLICY_ARNS_WITHOUT_GAPS,
    MAX_CAPACITY,
    MEMORY_TARGET_UTILIZATION,
    MIN_CAPACITY,
    NO_STRICT_TRANSPORT_SECURITY,
    PRIVATE_SUBNET_IDS,
    PUBLIC_SUBNET_IDS,
    REQUEST_SCALING_NEEDS_A_PUBLIC_SERVICE,
    REQUEST_SCALING_NEEDS_AN_APPLICATION_LOAD_BALANCER,
    REQUEST_SCALING_NEEDS_ROLLING_DEPLOYMENTS,
    REQUESTS_PER_TARGET,
    SECRET_ARN_PARAMETER,
    SECRET_VARIABLE_NAME,
    SECRET_VARIABLE_NAME_NOT_TAKEN,
    STRICT_TRANSPORT_SECURITY_MAX_AGE,
    STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS,
    TASK_CPU,
    TASK_MEMORY,
    TASK_ROLE_MANAGED_POLICY_ARNS,
    UNHEALTHY_THRESHOLD,
    VPC_ID,
    WEB_ACL_ARN,
    WEB_ACL_NEEDS_AN_APPLICATION_LOAD_BALANCER,
    rule_task_size,
)
from .placement import Placement, exists

# A private ECR image: <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>, then a tag or a
# digest. Repository names may have path segments ("team/app"); ECR's own naming rules apply.
IMAGE_PATTERN = (
    r"^[0-9]{12}\.dkr\.ecr\.[a-z]{2}(?:-[a-z]+)+-[0-9]\.amazonaws\.com(?:\.cn)?/"
    + ECR_REPOSITORY_PATTERN
    + r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$"
)
# An ACM certificate ARN in any partition and region, or empty for plain HTTP/TCP.
CERTIFICATE_PATTERN = (
    r"^$|^arn:aws(?:-cn|-us-gov)?:acm:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:certificate/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
# The CertificateArn that means "no certificate": its default, and what the conditions test.
NO_CERTIFICATE = ""
CERTIFICATE_CONSTRAINT = (
    "must be empty or an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)"
)
_SUBNET_ID_PATTERN = r"^subnet-[0-9a-f]+$"

# --- The application's console parameters: each empty (or 0) means "none" ------------------
# What the application parameters hold when nothing is given; the conditions test for it.
NOT_GIVEN = blocks.NOT_GIVEN
NO_EXTRA_EGRESS_PORT = "0"
DEFAULT_SECRET_VARIABLE_NAME = "APP_SECRET"
# An S3 object ARN of a .env file (ECS reads environment files with that extension only). The
# key takes S3's safe characters without * and ?, which IAM would read as wildcards: the
# execution role may read exactly this object.
ENVIRONMENT_FILE_PATTERN = (
    r"^$|^arn:aws(?:-cn|-us-gov)?:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/"
    r"[A-Za-z0-9!_.'()/-]*\.env$"
)
# A secret's full ARN, without a JSON key or version: IAM grants on the secret itself.
SECRET_PATTERN = rf"^$|^{SECRET_RESOURCE}$"
SECRET_VARIABLE_NAME_PATTERN = ENVIRONMENT_NAME.pattern
CONTAINER_USER_PATTERN = rf"^$|{NON_ROOT_USER.pattern}"
# CloudFormation checks a CommaDelimitedList's pattern member by member.
MANAGED_POLICY_PATTERN = rf"^$|^{MANAGED_POLICY}$"
SECURITY_GROUP_PATTERN = rf"^$|{SECURITY_GROUP_ID.pattern}"
EGRESS_CIDR_PATTERN = rf"^$|{INGRESS_CIDR_PATTERN}"


def add_parameters(
    t: Template, config: ServiceConfig, placement: Placement
) -> tuple[Parameter, ...]:
    """Add every parameter the placement needs, group by group in the console's order; return
    them in that order."""
    return (
        *add_network_parameters(t, placement),
        *add_environment_parameters(t, placement),
        *add_container_parameters(t, config, placement),
        *add_application_parameters(t),
        *add_scaling_parameters(t, config, placement),
        *add_load_balancer_parameters(t, config, placement),
        *add_deployment_parameters(t, config, placement),
        *add_operations_parameters(t, config, placement),
    )


def add_network_parameters(t: Template, placement: Placement) -> tuple[Parameter, ...]:
    """Where the service runs: the VPC and its subnets (GROUP_NETWORK); the public subnets only
    for a load balancer of its own."""
    vpc = add_parameter(
        t,
        VPC_ID,
        group=GROUP_NETWORK,
        label="VPC",
        description="VPC to run in: the network stack's VpcId output, or an existing VPC.",
        Type="AWS::EC2::VPC::Id",
        AllowedPattern=r"^vpc-[0-9a-f]+$",
        ConstraintDescription="must be the ID of a VPC (vpc-...)",
    )
    subnets = []
    if exists(placement.standalone):
        public_use = (
            " Not used when the service joins an environment (its load balancer is the "
            "environment's)."
            if placement.deploy_time
            else ""
        )
        subnets.append(
            add_parameter(
                t,
                PUBLIC_SUBNET_IDS,
                group=GROUP_NETWORK,
                label="Public subnets (load balancer)",
                description=(
                    "Subnets with a route to an internet gateway, one per Availability Zone, for "
                    "the internet-facing load balancer." + public_use
                ),
                Type="List<AWS::EC2::Subnet::Id>",
                AllowedPattern=_SUBNET_ID_PATTERN,
                ConstraintDescription="must be subnet IDs (subnet-...)",
            )
        )
    private = add_parameter(
        t,
        PRIVATE_SUBNET_IDS,
        group=GROUP_NETWORK,
        label="Private subnets (tasks)",
        description=(
            "Subnets without a route from the internet, one per Availability Zone, for the "
            "tasks. They need a NAT gateway or VPC endpoints to pull the image from ECR."
        ),
        Type="List<AWS::EC2::Subnet::Id>",
        AllowedPattern=_SUBNET_ID_PATTERN,
        ConstraintDescription="must be subnet IDs (subnet-...)",
    )
    return vpc, *subnets, private


def add_container_parameters(
    t: Template, config: ServiceConfig, placement: Placement
) -> tuple[Parameter, ...]:
    """What runs: the image, its port (unless it is a worker) and the load balancer's health
    check path (with a load balancer), the task size (GROUP_CONTAINER)."""
    image = add_parameter(
        t,
        CONTAINER_IMAGE,
        group=GROUP_CONTAINER,
        label="Container image (ECR)",
        description=(
            "Private ECR image with a tag or digest, such as "
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:1.4.2 . The task may pull only "
            "from this repository."
        ),
        Type="String",
        AllowedPattern=IMAGE_PATTERN,
        ConstraintDescription=(
            "must be a private ECR image URI: <account>.dkr.ecr.<region>.amazonaws.com/"
            "<repository>:<tag> or ...@sha256:<digest>"
        ),
    )
    user = add_parameter(
        t,
        CONTAINER_USER,
        group=GROUP_CONTAINER,
        label="Container user (optional)",
        description=(
            "The user the container runs as instead of the image's USER: uid:gid such as "
            "1000:1000 (any image; a UID alone that the image does not list gets group 0), or "
            "names the image's /etc/passwd and /etc/group know. Never root. Empty: the image's "
            "USER. Only /tmp is writable (all of it with EnableExecuteCommand), by a user other "
            "than root only if the image declares VOLUME /tmp. ECS Exec runs as root anyway."
        ),
        Type="String",
        Default=config.application.user or NOT_GIVEN,
        AllowedPattern=CONTAINER_USER_PATTERN,
        ConstraintDescription=f"must be empty or {NON_ROOT_USER_MEANS}",
    )
    declared = [image, user]
    if placement.listens:
        receives = (
            "the load balancer sends traffic here"
            if placement.target_group is True
            else "the environment's services call it here through Service Connect"
            if placement.internal is True
            else "the load balancer (or, in an environment, Service Connect) sends traffic here"
        )
        declared.append(
            add_parameter(
                t,
                CONTAINER_PORT,
                group=GROUP_CONTAINER,
                label="Container port",
                description=f"TCP port the container listens on; {receives}.",
                Type="Number",
                Default=str(config.default_container_port),
                MinValue=1,
                MaxValue=65535,
                ConstraintDescription="must be a port number from 1 to 65535",
            )
        )
    if exists(placement.target_group):
        declared.append(
            add_parameter(
                t,
                HEALTH_CHECK_PATH,
                group=GROUP_CONTAINER,
                label="Health check path",
                description=(
                    "HTTP path the load balancer requests to decide whether a task is healthy; "
                    "any 2xx or 3xx answer counts as healthy."
                ),
                Type="String",
                Default=config.default_health_check_path,
                AllowedPattern=HEALTH_CHECK_PATH_PATTERN,
                MaxLength=HEALTH_CHECK_PATH_MAX,
                ConstraintDescription=(
                    "must be a path starting with /, of letters, digits and -@:%_+.~?&/= "
                    "only, a % of two hex digits (percent-encode any other character; no # "
                    "fragment)"
                ),
            )
        )
        declared += _add_health_check_parameters(t, config)
    return *declared, *_add_task_size_parameters(t, config)


def _add_health_check_parameters(t: Template, config: ServiceConfig) -> list[Parameter]:
    """How often and how strictly the load balancer checks a task (GROUP_CONTAINER)."""
    health = config.target_health
    interval = add_parameter(
        t,
        HEALTH_CHECK_INTERVAL,
        group=GROUP_CONTAINER,
        label="Health check interval (seconds)",
        description="Seconds between two health checks of a task.",
        Type="String",
        Default=str(health.interval_seconds),
        AllowedValues=[str(seconds) for seconds in HEALTH_CHECK_INTERVALS],
        ConstraintDescription="must be one of the listed intervals",
    )
    timeout = add_parameter(
        t,
        HEALTH_CHECK_TIMEOUT,
        group=GROUP_CONTAINER,
        label="Health check timeout (seconds)",
        description=(
            "Seconds without an answer after which a check fails; shorter than the interval. "
            "0: Elastic Load Balancing's default (5 seconds behind an application load "
            f"balancer, 6 behind a network one), with an interval of "
            f"{SHORTEST_INTERVAL_WITH_DEFAULT_TIMEOUT} or more."
        ),
        Type="String",
        Default=str(health.timeout_seconds),
        AllowedValues=[str(seconds) for seconds in (ELB_DEFAULT_TIMEOUT, *HEALTH_CHECK_TIMEOUTS)],
        ConstraintDescription="must be one of the listed timeouts",
    )
    thresholds = [
        add_parameter(
            t,
            name,
            group=GROUP_CONTAINER,
            label=label,
            description=description,
            Type="Number",
            Default=str(default),
            MinValue=MIN_THRESHOLD,
            MaxValue=MAX_THRESHOLD,
            ConstraintDescription=f"must be {MIN_THRESHOLD} to {MAX_THRESHOLD}",
        )
        for name, label, description, default in (
            (
                HEALTHY_THRESHOLD,
                "Healthy threshold",
                "Checks passed in a row that make a task healthy (and so receive traffic).",
                health.healthy_threshold,
            ),
            (
                UNHEALTHY_THRESHOLD,
                "Unhealthy threshold",
                "Checks failed in a row that take a task out of service; ECS then replaces it.",
                health.unhealthy_threshold,
            ),
        )
    ]
    codes = add_parameter(
        t,
        HEALTH_CHECK_SUCCESS_CODES,
        group=GROUP_CONTAINER,
        label="Health check success codes",
        description=(
            "HTTP codes or ranges that count as healthy, comma-separated, such as 200 or "
            "200-299,302."
        ),
        Type="String",
        Default=health.success_codes,
        AllowedPattern=f"^{SUCCESS_CODES_PATTERN}$",
        ConstraintDescription="must be HTTP codes or ranges from 200 to 499, comma-separated",
    )
    return [interval, timeout, *thresholds, codes]


def add_health_check_rule(t: Template) -> str:
    """The rule that refuses a timeout not shorter than the interval ("The timeout must be
    smaller than the interval", Elastic Load Balancing; the stack would fail while creating the
    target group). CloudFormation's rules cannot compare numbers, so each interval lists the
    timeouts it allows."""
    t.add_rule(
        HEALTH_CHECK_TIMEOUT_BELOW_INTERVAL,
        {
            "Assertions": [
                {
                    "Assert": Or(
                        *(
                            And(
                                Equals(Ref(HEALTH_CHECK_INTERVAL), str(interval)),
                                {
                                    "Fn::Contains": [
                                        [str(timeout) for timeout in timeouts_for(interval)],
                                        Ref(HEALTH_CHECK_TIMEOUT),
                                    ]
                                },
                            )
                            for interval in HEALTH_CHECK_INTERVALS
                        )
                    ),
                    "AssertDescription": (
                        "HealthCheckTimeoutSeconds must be shorter than "
                        "HealthCheckIntervalSeconds, or 0 (Elastic Load Balancing's default, "
                        f"up to {ELB_LONGEST_DEFAULT_TIMEOUT} seconds) with an interval of "
                        f"{SHORTEST_INTERVAL_WITH_DEFAULT_TIMEOUT} seconds or more."
                    ),
                }
            ]
        },
    )
    return HEALTH_CHECK_TIMEOUT_BELOW_INTERVAL


def _add_task_size_parameters(t: Template, config: ServiceConfig) -> tuple[Parameter, ...]:
    cpu = add_parameter(
        t,
        TASK_CPU,
        group=GROUP_CONTAINER,
        label="Task CPU units",
        description="CPU units per task (1024 = 1 vCPU). Each size allows a range of memory.",
        Type="String",
        Default=str(config.default_task_cpu),
        AllowedValues=[str(cpu) for cpu in FARGATE_TASK_SIZES],
        ConstraintDescription="must be a Fargate CPU size",
    )
    memory = add_parameter(
        t,
        TASK_MEMORY,
        group=GROUP_CONTAINER,
        label="Task memory (MiB)",
        description=(
            "Memory per task, in MiB. Fargate pairs: 256 CPU: 512-2048; 512: 1024-4096; "
            "1024: 2048-8192; 2048: 4096-16384; 4096: 8192-30720 (steps of 1024); "
            "8192: 16384-61440 (steps of 4096); 16384: 32768-122880 (steps of 8192)."
        ),
        Type="String",
        Default=str(config.default_task_memory),
        AllowedValues=[str(m) for m in sorted({m for s in FARGATE_TASK_SIZES.values() for m in s})],
        ConstraintDescription="must be a Fargate memory size",
    )
    architecture = add_choice_parameter(
        t,
        CPU_ARCHITECTURE,
        group=GROUP_CONTAINER,
        label="CPU architecture",
        description="X86_64, or ARM64 (Graviton: cheaper per vCPU) for images built for arm64.",
        choices=CPU_ARCHITECTURES,
        default=config.default_cpu_architecture,
    )
    return cpu, memory, architecture


def add_application_parameters(t: Template) -> tuple[Parameter, ...]:
    """What a console user gives the application without a spec: an environment file, a secret,
    the task role's managed policies, one more egress rule (GROUP_APPLICATION). Each is empty
    by default, and then changes nothing."""
    environment_file = add_parameter(
        t,
        ENVIRONMENT_FILE_ARN,
        group=GROUP_APPLICATION,
        label="Environment file (S3 object ARN, optional)",
        description=(
            "A .env file in S3 whose VARIABLE=VALUE lines become the container's environment "
            "variables, such as arn:aws:s3:::my-config/shop/web.env . The execution role may "
            "read this object alone (and its bucket's location). For secrets use SecretArn. "
            "Empty: none."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=ENVIRONMENT_FILE_PATTERN,
        ConstraintDescription=(
            "must be empty or the ARN of an S3 object whose name ends in .env "
            "(arn:aws:s3:::<bucket>/<key>.env), the key of letters, digits and !_.'()/-"
        ),
    )
    secret = add_parameter(
        t,
        SECRET_ARN_PARAMETER,
        group=GROUP_APPLICATION,
        label="Secret (Secrets Manager ARN, optional)",
        description=(
            "A Secrets Manager secret the container gets, at start, as the variable "
            "SecretVariableName: its full ARN, with the six characters Secrets Manager adds to "
            "the name (...:secret:prod/db-AbCdEf). The execution role may read this secret "
            "alone; a customer managed KMS key must allow it to decrypt. Empty: none."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=SECRET_PATTERN,
        ConstraintDescription=(
            "must be empty or a secret's full ARN without a JSON key "
            "(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)"
        ),
    )
    variable = add_parameter(
        t,
        SECRET_VARIABLE_NAME,
        group=GROUP_APPLICATION,
        label="Secret's environment variable",
        description="The variable that holds SecretArn's value in the container.",
        Type="String",
        Default=DEFAULT_SECRET_VARIABLE_NAME,
        AllowedPattern=SECRET_VARIABLE_NAME_PATTERN,
        ConstraintDescription=(
            "must be a variable name: letters, digits and _, not starting with a digit"
        ),
    )
    managed_policies = add_parameter(
        t,
        TASK_ROLE_MANAGED_POLICY_ARNS,
        group=GROUP_APPLICATION,
        label="Task role managed policies (optional)",
        description=(
            "IAM managed policies the application's task role gets, comma-separated, such as "
            "arn:aws:iam::123456789012:policy/shop-web . Empty: none."
        ),
        Type="CommaDelimitedList",
        Default=NOT_GIVEN,
        AllowedPattern=MANAGED_POLICY_PATTERN,
        ConstraintDescription=(
            "must be empty or IAM policy ARNs separated by commas "
            "(arn:aws:iam::<account or aws>:policy/<name>)"
        ),
    )
    return environment_file, secret, variable, managed_policies, *_add_extra_egress_parameters(t)


def _add_extra_egress_parameters(t: Template) -> tuple[Parameter, ...]:
    port = add_parameter(
        t,
        EXTRA_EGRESS_PORT,
        group=GROUP_APPLICATION,
        label="Extra egress port (optional)",
        description=(
            "A TCP port the tasks may connect to beyond HTTPS, such as 5432 for PostgreSQL, on "
            "ExtraEgressSecurityGroupId or ExtraEgressCidr (one of them). 0: none."
        ),
        Type="Number",
        Default=NO_EXTRA_EGRESS_PORT,
        MinValue=0,
        MaxValue=65535,
        ConstraintDescription="must be a port number from 1 to 65535, or 0 for none",
    )
    security_group = add_parameter(
        t,
        EXTRA_EGRESS_SECURITY_GROUP_ID,
        group=GROUP_APPLICATION,
        label="Extra egress to a security group",
        description=(
            "The security group (sg-...) the tasks may reach on ExtraEgressPort, such as a "
            "database's; that group must admit the TaskSecurityGroupId output's group. Empty: "
            "none."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=SECURITY_GROUP_PATTERN,
        ConstraintDescription="must be empty or a security group ID (sg-...)",
    )
    cidr = add_parameter(
        t,
        EXTRA_EGRESS_CIDR,
        group=GROUP_APPLICATION,
        label="Extra egress to a CIDR",
        description=(
            "The IPv4 range the tasks may reach on ExtraEgressPort, such as 10.0.20.0/24, "
            "instead of a security group. Empty: none."
        ),
        Type="String",
        Default=NOT_GIVEN,
        AllowedPattern=EGRESS_CIDR_PATTERN,
        ConstraintDescription="must be empty or an IPv4 CIDR block such as 10.0.20.0/24",
    )
    return port, security_group, cidr


def _task_counts(t: Template, config: ServiceConfig) -> tuple[Parameter, ...]:
    """DesiredCount, MinCapacity and MaxCapacity."""
    # A service scaled on its queue keeps a task: with none running, the backlog per task has
    # no value and nothing would start one (layers/queue_scaling.py). MinValue is checked as a
    # number (a rule comparing text let 00 and 0.0 through).
    queue = config.queue_scaling
    least: dict[str, int] = {}
    most: dict[str, int] = {}
    why: dict[str, str] = {}
    if queue is not None:
        least[MIN_CAPACITY] = MIN_RUNNING_TASKS
        why[MIN_CAPACITY] = (
            f" (at least {MIN_RUNNING_TASKS}: the service scales on the messages per running "
            f"task of queue {queue.queue})"
        )
    # A schedule that sets one bound leaves the other as the parameter has it (schedules.py).
    floor, ceiling = one_sided_bounds(config.scaling_schedules)
    if floor:
        least[MAX_CAPACITY] = floor
        why[MAX_CAPACITY] = f" (a schedule sets the minimum to {floor} and leaves the maximum)"
    if ceiling is not None:
        most[MIN_CAPACITY] = ceiling
        why[MIN_CAPACITY] = (
            why.get(MIN_CAPACITY, "")
            + f" (a schedule sets the maximum to {ceiling} and leaves the minimum)"
        )
    return tuple(
        add_parameter(
            t,
            name,
            group=GROUP_SCALING,
            label=label,
            description=description,
            Type="Number",
            Default=str(default),
            MinValue=least.get(name, 0),
            MaxValue=most.get(name, MAX_TASKS),
            ConstraintDescription=(
                f"must be a whole number from {least.get(name, 0)} to "
                f"{most.get(name, MAX_TASKS)}" + why.get(name, "")
            ),
        )
        for name, label, description, default in (
            (
                DESIRED_COUNT,
                "Desired number of tasks (0: autoscaling's)",
                "0 (recommended): the task count is autoscaling's; a new service starts at "
                "MinCapacity and a stack update keeps the count autoscaling set. 1 or more: "
                "the count is set to this on creation and on every stack update, undoing "
                "autoscaling until it acts again.",
                config.default_desired_count,
            ),
            (
                MIN_CAPACITY,
                "Minimum tasks",
                "Autoscaling never runs fewer tasks. Must not exceed the maximum.",
                config.default_min_capacity,
            ),
            (
                MAX_CAPACITY,
                "Maximum tasks",
                "Autoscaling never runs more tasks.",
                config.default_max_capacity,
            ),
        )
    )


def add_scaling_parameters(
    t: Template, config: ServiceConfig, placement: Placement
) -> tuple[Parameter, ...]:
    """How many tasks, on which capacity, scaled on what, and (with a load balancer) how long
    a new task may fail its health checks (GROUP_SCALING)."""
    capacity_provider = add_choice_parameter(
        t,
        CAPACITY_PROVIDER,
        group=GROUP_SCALING,
        label="Capacity provider",
        description=(
            "FARGATE, or FARGATE_SPOT for interruptible tasks at a discount (a task may be "
            "stopped with two minutes' warning)."
        ),
        choices=CAPACITY_PROVIDERS,
        default=config.default_capacity_provider,
    )
    counts = _task_counts(t, config)
    cpu_target = add_parameter(
        t,
        CPU_TARGET_UTILIZATION,
        group=GROUP_SCALING,
        label="Target CPU utilization (%, 0: off)",
        description=(
            "Autoscaling adds or removes tasks to keep the service's average CPU near this "
            "(10 to 90). 0 turns CPU target tracking off."
        ),
        Type="Number",
        Default=str(config.default_cpu_target),
        MinValue=0,
        MaxValue=90,
        ConstraintDescription="must be a percentage up to 90, or 0 for off",
    )
    memory_target = add_parameter(
        t,
        MEMORY_TARGET_UTILIZATION,
        group=GROUP_SCALING,
        label="Target memory utilization (%, 0: off)",
        description=(
            "Autoscaling keeps the service's average memory near this too (10 to 90). 0, the "
            "default, turns memory target tracking off."
        ),
        Type="Number",
        Default=str(config.default_memory_target),
        MinValue=0,
        MaxValue=90,
        ConstraintDescription="must be a percentage up to 90, or 0 for off",
    )
    if not exists(placement.target_group):
        return capacity_provider, *counts, cpu_target, memory_target
    requests = add_parameter(
        t,
        REQUESTS_PER_TARGET,
        group=GROUP_SCALING,
        label="Target requests per task (0: off)",
        description=(
            "Behind an application load balancer: autoscaling keeps each task's requests per "
            "minute near this too. 0, the default, turns it off."
        ),
        Type="Number",
        Default=str(config.default_requests_per_target),
        MinValue=0,
        MaxValue=MAX_REQUESTS_PER_TARGET,
        ConstraintDescription=f"must be a number of requests up to {MAX_REQUESTS_PER_TARGET}",
    )
    grace_period = add_parameter(
        t,
        HEALTH_CHECK_GRACE_PERIOD,
        group=GROUP_SCALING,
        label="Health check grace period (seconds)",
        description="Seconds a new task may fail load balancer health checks while it starts.",
        Type="Number",
        Default=str(config.health_check_grace_period_default),
        MinValue=0,
        MaxValue=MAX_HEALTH_CHECK_GRACE_PERIOD_SECONDS,
        ConstraintDescription="must be a number of seconds",
    )
    return capacity_provider, *counts, cpu_target, memory_target, requests, grace_period


def add_load_balancer_parameters(
    t: Template, config: ServiceConfig, placement: Placement
) -> tuple[Parameter, ...]:
    """The load balancer's type, certificate, clients and protection (a load balancer of its
    own), and how long a stopping task drains (any load balancer) (GROUP_LOAD_BALANCER)."""
    own = _add_own_load_balancer_parameters(t, config) if exists(placement.standalone) else ()
    if not exists(placement.target_group):
        return own
    return *own, add_parameter(
        t,
        DEREGISTRATION_DELAY,
        group=GROUP_LOAD_BALANCER,
        label="Deregistration delay (seconds)",
        description="Seconds a stopping task keeps serving requests already in flight.",
        Type="Number",
        Default=str(config.default_deregistration_delay_seconds),
        MinValue=0,
        MaxValue=MAX_DEREGISTRATION_DELAY_SECONDS,
        ConstraintDescription=(
            f"must be a number of seconds from 0 to {MAX_DEREGISTRATION_DELAY_SECONDS}"
        ),
    )


def _add_own_load_balancer_parameters(t: Template, config: ServiceConfig) -> tuple[Parameter, ...]:
    kind = add_choice_parameter(
        t,
        LOAD_BALANCER_TYPE,
        group=GROUP_LOAD_BALANCER,
        label="Load balancer type",
        description=(
            "application: HTTP(S), layer 7 (port 80, or 443 with a certificate and a redirect "
            "from 80 unless HttpsOnly). network: TCP or TLS, layer 4. Changing it replaces the "
            "load balancer."
        ),
        choices=LOAD_BALANCER_TYPES,
        default=config.default_load_balancer_type,
    )
    certificate = add_parameter(
        t,
        CERTIFICATE_ARN,
        group=GROUP_LOAD_BALANCER,
        label="ACM certificate ARN (optional)",
        description=(
            "ACM certificate for HTTPS (application) or TLS (network) on port 443, with a TLS "
            f"1.3 policy ({config.tls_policy}). Leave empty for plain HTTP/TCP on port 80."
        ),
        Type="String",
        Default=NO_CERTIFICATE,
        AllowedPattern=CERTIFICATE_PATTERN,
        ConstraintDescription=CERTIFICATE_CONSTRAINT,
    )
    clients = add_allowed_ingress_parameter(t, config.default_allowed_ingress_cidr)
    deletion_protection = add_switch_parameter(
        t,
        DELETION_PROTECTION,
        group=GROUP_LOAD_BALANCER,
        label="Load balancer deletion protection",
        description=(
            "true keeps the load balancer from being deleted, by anyone or by a stack "
            "deletion, until this is set to false."
        ),
        default=config.default_deletion_protection,
    )
    https_only = add_switch_parameter(
        t,
        HTTPS_ONLY,
        group=GROUP_LOAD_BALANCER,
        label="HTTPS only (close port 80)",
        description=(
            "With CertificateArn: true closes port 80, so the load balancer listens on 443 "
            "only (Security Hub ELB.18) and http:// addresses get no answer; false, the "
            "default, keeps port 80 answering with a redirect to HTTPS. A network load "
            "balancer with a certificate listens on 443 only either way. true needs a "
            "certificate."
        ),
        default=config.default_https_only,
    )
    web_acl = add_web_acl_parameter(
        t,
        GROUP_LOAD_BALANCER,
        config.default_web_acl_arn,
        "A regional AWS WAF web ACL to associate with the application load balancer, such as "
        "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/<id>, in the stack's region. "
        "Empty: none.",
    )
    hsts = add_strict_transport_security_parameter(
        t,
        GROUP_LOAD_BALANCER,
        "With CertificateArn on an application load balancer: seconds browsers keep to HTTPS "
        "for this host once told (the HTTPS listeners add Strict-Transport-Security: "
        "max-age=<seconds> to every response, replacing the application's own). 0, the "
        "default: no header. Browsers remember it for that long: keep it short (300) until "
        "HTTPS is there to stay; 31536000 is a year.",
    )
    return kind, certificate, clients, web_acl, deletion_protection, https_only, hsts


def add_allowed_ingress_parameter(t: Template, default: str) -> Parameter:
    """``AllowedIngressCidr``: who may reach the load balancer; of a service's own load balancer
    or an environment's (the same words)."""
    return add_parameter(
        t,
        ALLOWED_INGRESS_CIDR,
        group=GROUP_LOAD_BALANCER,
        label="Allowed client CIDR",
        description="IPv4 range allowed to reach the load balancer; 0.0.0.0/0 is everyone.",
        Type="String",
        Default=default,
        AllowedPattern=INGRESS_CIDR_PATTERN,
        ConstraintDescription="must be an IPv4 CIDR block such as 0.0.0.0/0 or 203.0.113.0/24",
    )


def add_web_acl_parameter(t: Template, group: str, default: str, description: str) -> Parameter:
    """``WebAclArn``: empty, or a regional web ACL's ARN; of a service's own load balancer or
    an environment's (each its own group and words)."""
    return add_parameter(
        t,
        WEB_ACL_ARN,
        group=group,
        label="AWS WAF web ACL ARN (optional)",
        description=description,
        Type="String",
        Default=default,
        AllowedPattern=rf"^$|^{WEB_ACL_ARN_PATTERN}$",
        ConstraintDescription=(
            "must be empty or a regional web ACL ARN "
            "(arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>, its id a lowercase "
            "UUID)"
        ),
    )


# "Strict-Transport-Security: max-age=<seconds>": HSTS for this host only (no includeSubDomains,
# which would hold every name under it to HTTPS, nor preload, a browser list that is slow to
# leave). Two years at most, the longest the HSTS preload list asks for.
MAX_STRICT_TRANSPORT_SECURITY_MAX_AGE = 63072000
# A String with a pattern, not a Number: a Number takes 300.5, 1e3, 0.0 and 00, and Ref hands
# them on as written, so Fn::Sub made "max-age=300.5" (max-age is delta-seconds, digits only,
# RFC 6797 6.1.1: a browser ignores such a header) and "0.0" or "00" was not the "0" the
# conditions and rules compare with (a header "max-age=00", or a refusal saying "set it to 0").
# Whole numbers from 0 to MAX_STRICT_TRANSPORT_SECURITY_MAX_AGE, without leading zeros.
STRICT_TRANSPORT_SECURITY_MAX_AGE_PATTERN = (
    r"^(?:0|[1-9][0-9]{0,6}|[1-5][0-9]{7}|6[0-2][0-9]{6}|630[0-6][0-9]{4}|6307[01][0-9]{3}"
    r"|63072000)$"
)


def add_strict_transport_security_parameter(t: Template, group: str, description: str) -> Parameter:
    """``StrictTransportSecurityMaxAge``: 0 (no header), or the max-age in seconds of the
    Strict-Transport-Security header an application load balancer's HTTPS listeners add to
    every response; of a service's own load balancer or an environment's."""
    return add_parameter(
        t,
        STRICT_TRANSPORT_SECURITY_MAX_AGE,
        group=group,
        label="HSTS max-age (seconds, 0: none)",
        description=description,
        Type="String",
        Default=NO_STRICT_TRANSPORT_SECURITY,
        AllowedPattern=STRICT_TRANSPORT_SECURITY_MAX_AGE_PATTERN,
        ConstraintDescription=(
            f"must be a whole number of seconds from 0 (no header) to "
            f"{MAX_STRICT_TRANSPORT_SECURITY_MAX_AGE} (two years), without leading zeros"
        ),
    )


# A standard SNS topic (CloudWatch alarms do not notify FIFO topics), or nothing.
ALARM_TOPIC_PATTERN = rf"^$|^{ALARM_TOPIC_ARN_PATTERN}$"


def add_operations_parameters(
    t: Template, config: ServiceConfig, placement: Placement
) -> tuple[Parameter, ...]:
    """What operators need: ECS Exec, how long logs are kept and, with load balancer traffic,
    the rollback alarms' threshold and topic (GROUP_OPERATIONS)."""
    execute_command = add_switch_parameter(
        t,
        ENABLE_EXECUTE_COMMAND,
        group=GROUP_OPERATIONS,
        label="ECS Exec",
        description=(
            "true lets operators open a shell in a running task (aws ecs execute-command) and "
            "grants the task role the session permissions this needs. Without a NAT gateway it "
            "also needs an ssmmessages VPC endpoint."
        ),
        default=config.default_enable_execute_command,
    )
    log_retention = add_retention_parameter(
        t,
        LOG_RETENTION_DAYS_PARAMETER,
        group=GROUP_OPERATIONS,
        label="Log retention (days)",
        description=(
            "Days to keep the container logs (CloudWatch Logs) and the load balancer access "
            "logs (S3). Both are kept when the stack is deleted."
        ),
        default=config.default_log_retention_days,
        choices=LOG_RETENTION_DAYS,
    )
    if not exists(placement.target_group):
        return execute_command, log_retention
    error_rate = add_parameter(
        t,
        ERROR_RATE_ALARM_PERCENT,
        group=GROUP_OPERATIONS,
        label="Rollback on 5xx above (%)",
        description=(
            "The ErrorRateAlarm fires, and a deployment in progress rolls back, when more than "
            "this share of the requests get a 5xx from the tasks for 3 minutes in a row "
            "(application load balancer)."
        ),
        Type="Number",
        Default=str(config.default_error_rate_alarm_percent),
        MinValue=1,
        MaxValue=100,
        ConstraintDescription="must be a percentage from 1 to 100",
    )
    topic = add_parameter(
        t,
        ALARM_TOPIC_ARN,
        group=GROUP_OPERATIONS,
        label="SNS topic for alarms (optional)",
        description=(
            "A standard SNS topic of the stack's region that receives every alarm of the "
            "service and its return to OK. Empty: the alarms only roll deployments back."
        ),
        Type="String",
        Default=config.default_alarm_topic_arn,
        AllowedPattern=ALARM_TOPIC_PATTERN,
        ConstraintDescription="must be empty or a standard SNS topic ARN",
    )
    return execute_command, log_retention, error_rate, topic


def _memory_choices(memory: tuple[int, ...]) -> str:
    if len(memory) <= 3:
        return ", ".join(map(str, memory[:-1])) + f" or {memory[-1]} MiB"
    return f"{memory[0]} to {memory[-1]} MiB in steps of {memory[1] - memory[0]}"


def add_task_size_rules(t: Template) -> tuple[str, ...]:
    """One rule per Fargate CPU size: TaskMemory must be a size Fargate pairs with it. Returns
    the rule names."""
    for cpu, memory in FARGATE_TASK_SIZES.items():
        t.add_rule(
            rule_task_size(cpu),
            {
                "RuleCondition": Equals(Ref(TASK_CPU), str(cpu)),
                "Assertions": [
                    {
                        "Assert": {"Fn::Contains": [[str(m) for m in memory], Ref(TASK_MEMORY)]},
                        "AssertDescription": (
                            f"Fargate does not offer this TaskMemory with TaskCpu {cpu}: "
                            f"choose {_memory_choices(memory)}, or another TaskCpu."
                        ),
                    }
                ],
            },
        )
    return tuple(rule_task_size(cpu) for cpu in FARGATE_TASK_SIZES)


def add_https_only_rule(t: Template) -> str:
    """``HttpsOnly`` closes port 80, which leaves the load balancer a listener only with a
    certificate: without one it would listen nowhere. A service joining an environment is
    refused ``HttpsOnly`` by ``JoiningNeedsTheEnvironment`` too (the environment has its own);
    this rule does not say so, as root.yaml copies it and never joins one."""
    t.add_rule(
        HTTPS_ONLY_NEEDS_A_CERTIFICATE,
        {
            "RuleCondition": is_true(HTTPS_ONLY),
            "Assertions": [
                {
                    "Assert": Not(Equals(Ref(CERTIFICATE_ARN), NO_CERTIFICATE)),
                    "AssertDescription": (
                        "HttpsOnly true closes port 80 and leaves HTTPS on 443, which needs a "
                        "CertificateArn: give one, or set HttpsOnly to false."
                    ),
                }
            ],
        },
    )
    return HTTPS_ONLY_NEEDS_A_CERTIFICATE


def add_web_acl_rule(t: Template) -> str:
    """``WebAclArn`` on a network load balancer: AWS WAF protects application load balancers
    (and other resources), not network ones, so the association would fail after the load
    balancer was created. A service joining an environment is refused it by
    ``JoiningNeedsTheEnvironment`` (the environment has its own ``WebAclArn``)."""
    t.add_rule(
        WEB_ACL_NEEDS_AN_APPLICATION_LOAD_BALANCER,
        {
            "RuleCondition": Not(Equals(Ref(WEB_ACL_ARN), NOT_GIVEN)),
            "Assertions": [
                {
                    "Assert": Equals(Ref(LOAD_BALANCER_TYPE), APPLICATION_LOAD_BALANCER),
                    "AssertDescription": (
                        "AWS WAF protects application load balancers only: leave WebAclArn "
                        "empty with a network load balancer."
                    ),
                }
            ],
        },
    )
    return WEB_ACL_NEEDS_AN_APPLICATION_LOAD_BALANCER


def add_strict_transport_security_rule(t: Template) -> str:
    """``StrictTransportSecurityMaxAge`` without HTTPS: the header is a listener attribute of an
    application load balancer's HTTPS listener ("routing.http.response.strict_transport_security
    .header_value", ListenerAttribute, Elastic Load Balancing API Reference), so a network load
    balancer, or no certificate, would leave it unsent without a word. A service joining an
    environment is refused it by ``JoiningNeedsTheEnvironment`` (the environment has its own)."""
    t.add_rule(
        STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS,
        {
            "RuleCondition": Not(
                Equals(Ref(STRICT_TRANSPORT_SECURITY_MAX_AGE), NO_STRICT_TRANSPORT_SECURITY)
            ),
            "Assertions": [
                {
                    "Assert": And(
                        Equals(Ref(LOAD_BALANCER_TYPE), APPLICATION_LOAD_BALANCER),
                        Not(Equals(Ref(CERTIFICATE_ARN), NO_CERTIFICATE)),
                    ),
                    "AssertDescription": (
                        "StrictTransportSecurityMaxAge is sent by the HTTPS listener of an "
                        "application load balancer: give CertificateArn with LoadBalancerType "
                        "application, or set it to 0."
                    ),
                }
            ],
        },
    )
    return STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS


def add_sidecar_port_rule(t: Template, application: Application) -> str | None:
    """ContainerPort must not be a port a sidecar listens on (the containers of a task share
    one network). Returns the rule's name, or None without sidecar ports."""
    ports = sorted({sidecar.port for sidecar in application.sidecars if sidecar.port is not None})
    if not ports:
        return None
    t.add_rule(
        CONTAINER_PORT_NOT_A_SIDECAR_PORT,
        {
            "Assertions": [
                {
                    "Assert": Not({"Fn::Contains": [[str(p) for p in ports], Ref(CONTAINER_PORT)]}),
                    "AssertDescription": (
                        "ContainerPort is taken by a sidecar: choose a port other than "
                        + ", ".join(map(str, ports))
                        + "."
                    ),
                }
            ]
        },
    )
    return CONTAINER_PORT_NOT_A_SIDECAR_PORT


def add_extra_egress_rules(t: Template) -> tuple[str, ...]:
    """ExtraEgressPort needs exactly one destination, and a destination needs a port. Returns
    the rule names."""
    no_port = Equals(Ref(EXTRA_EGRESS_PORT), NO_EXTRA_EGRESS_PORT)
    no_group = Equals(Ref(EXTRA_EGRESS_SECURITY_GROUP_ID), NOT_GIVEN)
    no_cidr = Equals(Ref(EXTRA_EGRESS_CIDR), NOT_GIVEN)
    t.add_rule(
        EXTRA_EGRESS_NEEDS_ONE_DESTINATION,
        {
            "RuleCondition": Not(no_port),
            "Assertions": [
                {
                    "Assert": Or(Not(no_group), Not(no_cidr)),
                    "AssertDescription": (
                        "ExtraEgressPort needs a destination: give ExtraEgressSecurityGroupId or "
                        "ExtraEgressCidr, or set ExtraEgressPort to 0 for no extra egress."
                    ),
                },
                {
                    "Assert": Or(no_group, no_cidr),
                    "AssertDescription": (
                        "ExtraEgressPort goes to one destination: give ExtraEgressSecurityGroupId "
                        "or ExtraEgressCidr, not both."
                    ),
                },
            ],
        },
    )
    t.add_rule(
        EXTRA_EGRESS_DESTINATION_NEEDS_PORT,
        {
            "RuleCondition": no_port,
            "Assertions": [
                {
                    "Assert": And(no_group, no_cidr),
                    "AssertDescription": (
                        "ExtraEgressSecurityGroupId and ExtraEgressCidr need an ExtraEgressPort: "
                        "give the port (0 means no extra egress), or leave both empty."
                    ),
                }
            ],
        },
    )
    return EXTRA_EGRESS_NEEDS_ONE_DESTINATION, EXTRA_EGRESS_DESTINATION_NEEDS_PORT


def add_managed_policy_arns_rule(t: Template) -> str:
    """A list that names policies names no empty one (:func:`blocks.add_no_gaps_rule`)."""
    return blocks.add_no_gaps_rule(
        t, MANAGED_POLICY_ARNS_WITHOUT_GAPS, TASK_ROLE_MANAGED_POLICY_ARNS, "policy ARNs"
    )


def add_secret_variable_name_rule(t: Template, application: Application) -> str | None:
    """SecretVariableName must not be a variable the application already sets (its environment
    or its secrets). Returns the rule's name, or None when the application sets none."""
    taken = sorted(
        {name for name, _ in application.environment} | {s.name for s in application.secrets}
    )
    if not taken:
        return None
    t.add_rule(
        SECRET_VARIABLE_NAME_NOT_TAKEN,
        {
            "RuleCondition": Not(Equals(Ref(SECRET_ARN_PARAMETER), NOT_GIVEN)),
            "Assertions": [
                {
                    "Assert": Not({"Fn::Contains": [taken, Ref(SECRET_VARIABLE_NAME)]}),
                    "AssertDescription": (
                        "SecretVariableName is a variable the application already sets: choose "
                        "a name other than " + ", ".join(taken) + "."
                    ),
                }
            ],
        },
    )
    return SECRET_VARIABLE_NAME_NOT_TAKEN


def add_request_scaling_deployment_rule(t: Template) -> str:
    """RequestsPerTarget needs ROLLING deployments. The scaling policy counts the requests of
    ``TargetGroup``; a CANARY, LINEAR or BLUE_GREEN deployment ends with the live tasks in the
    alternate target group (ECS swaps the two each time), whose requests it does not count, so
    the service would scale in under load ("Target tracking scaling policy based on
    ALBRequestCountPerTarget becomes unusable in case of ECS blue green deployment",
    aws/containers-roadmap#1681)."""
    t.add_rule(
        REQUEST_SCALING_NEEDS_ROLLING_DEPLOYMENTS,
        {
            "RuleCondition": Not(Equals(Ref(REQUESTS_PER_TARGET), "0")),
            "Assertions": [
                {
                    "Assert": Equals(Ref(DEPLOYMENT_STRATEGY), ROLLING),
                    "AssertDescription": (
                        "RequestsPerTarget counts the requests of one target group, and a "
                        "CANARY, LINEAR or BLUE_GREEN deployment moves the tasks to the other: "
                        "leave RequestsPerTarget 0 with those strategies, or deploy ROLLING."
                    ),
                }
            ],
        },
    )
    return REQUEST_SCALING_NEEDS_ROLLING_DEPLOYMENTS


def add_request_scaling_rules(t: Template, placement: Placement) -> tuple[str, ...]:
    """The shipped template's rules: RequestsPerTarget scales on an application load balancer's
    request count, so it needs one (a network one has no such metric) and a service it routes
    to (a public one, in an environment). A spec's public service is always behind one; its
    config refuses the others. Two rules, so the root, which leaves ClusterName and Expose at
    their defaults, can keep the first and decide the second."""
    if not placement.deploy_time:
        return ()
    requests_given = Not(Equals(Ref(REQUESTS_PER_TARGET), "0"))
    t.add_rule(
        REQUEST_SCALING_NEEDS_AN_APPLICATION_LOAD_BALANCER,
        {
            "RuleCondition": requests_given,
            "Assertions": [
                {
                    "Assert": Equals(Ref(LOAD_BALANCER_TYPE), APPLICATION_LOAD_BALANCER),
                    "AssertDescription": (
                        "RequestsPerTarget scales on an application load balancer's request "
                        "count: leave it 0 with a network load balancer."
                    ),
                }
            ],
        },
    )
    t.add_rule(
        REQUEST_SCALING_NEEDS_A_PUBLIC_SERVICE,
        {
            "RuleCondition": And(
                Not(Equals(Ref(CLUSTER_NAME), blocks.NOT_GIVEN)),
                Not(Equals(Ref(EXPOSE), EXPOSE_PUBLIC)),
            ),
            "Assertions": [
                {
                    "Assert": Not(requests_given),
                    "AssertDescription": (
                        "RequestsPerTarget counts the load balancer's requests to the service: "
                        "leave it 0 for a service of an environment that is not public."
                    ),
                }
            ],
        },
    )
    return (
        REQUEST_SCALING_NEEDS_AN_APPLICATION_LOAD_BALANCER,
        REQUEST_SCALING_NEEDS_A_PUBLIC_SERVICE,
    )
