"""The service layer, ``service.yaml``: a Fargate service in private subnets behind a public load
balancer. It deploys into any VPC: the network layer's, or an existing one.

Resources: an ECS cluster (Container Insights, FARGATE and FARGATE_SPOT capacity providers), a
task definition with one container from a private ECR image (read-only root file system with a
writable ``/tmp``), the service (no public IP, circuit breaker with rollback), a retained log
group, execution and task roles written with awacs, security groups for the load balancer and the
tasks, an internet-facing load balancer (application or network) with its target group and
listeners, an encrypted S3 bucket for its access logs, and CPU target-tracking autoscaling.

Parameters: ``VpcId``, ``PublicSubnetIds``, ``PrivateSubnetIds``, ``ContainerImage``,
``ContainerPort``, ``HealthCheckPath``, ``TaskCpu``, ``TaskMemory``, ``CpuArchitecture``,
``CapacityProvider``, ``DesiredCount``, ``MinCapacity``, ``MaxCapacity``,
``CpuTargetUtilization``, ``HealthCheckGracePeriodSeconds``, ``LoadBalancerType``,
``CertificateArn``, ``AllowedIngressCidr``, ``DeletionProtection``,
``DeregistrationDelaySeconds``, ``EnableExecuteCommand``, ``LogRetentionDays``. One rule per CPU
size rejects a memory size Fargate does not offer with it.

Outputs (exported as ``<stack name>-<output>``): ``ServiceUrl``, ``LoadBalancerDnsName``,
``ClusterName``, ``ServiceName``, ``TaskSecurityGroupId``, ``LogGroupName``.

The load balancer, its target group and its main listener are one resource each whatever the
load balancer type and certificate, with their properties switched by conditions: the service can
always depend on "the listener", and there is no conditional ``DependsOn``.
"""

from __future__ import annotations

from typing import Any

from awacs import ecr as awacs_ecr
from awacs import logs as awacs_logs
from awacs import s3 as awacs_s3
from awacs import ssmmessages
from awacs.aws import (
    Allow,
    ArnLike,
    Bool,
    Deny,
    PolicyDocument,
    Principal,
    Statement,
    StringEquals,
)
from awacs.aws import Condition as PolicyCondition
from troposphere import (
    AccountId,
    Condition,
    Equals,
    FindInMap,
    GetAtt,
    If,
    Join,
    Not,
    NoValue,
    Or,
    Partition,
    Ref,
    Region,
    Select,
    Split,
    Sub,
    Template,
    applicationautoscaling,
    cloudformation,
    ec2,
    ecs,
    iam,
    logs,
    s3,
)
from troposphere import elasticloadbalancingv2 as elb

from .blocks import (
    LOG_GROUP_CHECKOV,
    LOG_GROUP_SUPPRESSIONS,
    TRUE,
    add_exported_output,
    add_parameter,
    add_switch_parameter,
    is_true,
    name_tag,
    no_egress_rule,
    service_trust,
    suppress,
)
from .config import FARGATE_TASK_SIZES, LOG_RETENTION_DAYS, MAX_TASKS, ServiceConfig

LAYER = "service"
FILENAME = "service.yaml"

# --- Parameters -------------------------------------------------------------------------------
VPC_ID = "VpcId"
PUBLIC_SUBNET_IDS = "PublicSubnetIds"
PRIVATE_SUBNET_IDS = "PrivateSubnetIds"
CONTAINER_IMAGE = "ContainerImage"
CONTAINER_PORT = "ContainerPort"
HEALTH_CHECK_PATH = "HealthCheckPath"
TASK_CPU = "TaskCpu"
TASK_MEMORY = "TaskMemory"
CPU_ARCHITECTURE = "CpuArchitecture"
CAPACITY_PROVIDER = "CapacityProvider"
DESIRED_COUNT = "DesiredCount"
MIN_CAPACITY = "MinCapacity"
MAX_CAPACITY = "MaxCapacity"
CPU_TARGET_UTILIZATION = "CpuTargetUtilization"
HEALTH_CHECK_GRACE_PERIOD = "HealthCheckGracePeriodSeconds"
LOAD_BALANCER_TYPE = "LoadBalancerType"
CERTIFICATE_ARN = "CertificateArn"
ALLOWED_INGRESS_CIDR = "AllowedIngressCidr"
DELETION_PROTECTION = "DeletionProtection"
DEREGISTRATION_DELAY = "DeregistrationDelaySeconds"
ENABLE_EXECUTE_COMMAND = "EnableExecuteCommand"
LOG_RETENTION_DAYS_PARAMETER = "LogRetentionDays"

# Parameters a live service can take a new value of only with a forced new deployment.
FORCE_DEPLOYMENT_ON_CHANGE: tuple[str, ...] = (CAPACITY_PROVIDER,)

# A private ECR image: <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>, then a tag or a
# digest. Repository names may have path segments ("team/app"); ECR's own naming rules apply.
_REPOSITORY = r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"
IMAGE_PATTERN = (
    r"^[0-9]{12}\.dkr\.ecr\.[a-z]{2}(?:-[a-z]+)+-[0-9]\.amazonaws\.com(?:\.cn)?/"
    + _REPOSITORY
    + r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$"
)
# An ACM certificate ARN in any partition and region, or empty for plain HTTP/TCP.
CERTIFICATE_PATTERN = (
    r"^$|^arn:aws(?:-cn|-us-gov)?:acm:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:certificate/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
# Any IPv4 CIDR, /0 included (the load balancer may be open to the whole internet).
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
INGRESS_CIDR_PATTERN = rf"^({_OCTET}\.){{3}}{_OCTET}/([0-9]|[12][0-9]|3[0-2])$"
HEALTH_CHECK_PATH_PATTERN = r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,1023}$"

# --- Conditions -------------------------------------------------------------------------------
IS_APPLICATION = "IsApplicationLoadBalancer"
HAS_CERTIFICATE = "HasCertificate"
HTTP_LISTENER_PORT_OPEN = "HttpPortOpen"
EXECUTE_COMMAND_ENABLED = "ExecuteCommandEnabled"
IS_CHINA = "IsChinaPartition"
ELB_LOGS_FROM_SERVICE_PRINCIPAL = "ElbLogDeliveryByServicePrincipal"


def rule_task_size(cpu: int) -> str:
    return f"FargateMemoryFor{cpu}Cpu"


# --- Mappings ---------------------------------------------------------------------------------
ELB_ACCOUNTS = "ElbLogDeliveryAccounts"

# Regions opened before August 2022 deliver load balancer access logs from a regional Elastic
# Load Balancing account; newer regions use the service principal
# logdelivery.elasticloadbalancing.amazonaws.com. (Elastic Load Balancing User Guide, "Enable
# access logs": bucket policy.) Every region is in the mapping, newer ones with SERVICE_PRINCIPAL:
# CloudFormation may evaluate Fn::FindInMap even in the branch of an Fn::If it does not take, so
# a lookup must never miss. A region opened after this list fails at that lookup, by name.
SERVICE_PRINCIPAL = "service-principal"
NEWER_REGIONS: tuple[str, ...] = (
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "mx-central-1",
)
ELB_LOG_DELIVERY_ACCOUNTS: dict[str, str] = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
}

# --- Resources --------------------------------------------------------------------------------
CLUSTER = "Cluster"
LOG_GROUP = "LogGroup"
EXECUTION_ROLE = "TaskExecutionRole"
TASK_ROLE = "TaskRole"
EXECUTE_COMMAND_POLICY = "EcsExec"  # inline policy of the task role
TASK_DEFINITION = "TaskDefinition"
LOAD_BALANCER_SECURITY_GROUP = "LoadBalancerSecurityGroup"
LOAD_BALANCER_HTTP_INGRESS = "LoadBalancerHttpIngress"
LOAD_BALANCER_HTTPS_INGRESS = "LoadBalancerHttpsIngress"
LOAD_BALANCER_EGRESS_TO_TASKS = "LoadBalancerEgressToTasks"
TASK_SECURITY_GROUP = "TaskSecurityGroup"
ACCESS_LOGS_BUCKET = "AccessLogsBucket"
ACCESS_LOGS_BUCKET_POLICY = "AccessLogsBucketPolicy"
LOAD_BALANCER = "LoadBalancer"
TARGET_GROUP = "TargetGroup"
HTTP_LISTENER = "HttpListener"
HTTPS_LISTENER = "HttpsListener"
LISTENERS_READY = "ListenersReady"
SERVICE = "Service"
SCALABLE_TARGET = "ScalableTarget"
CPU_SCALING_POLICY = "CpuScalingPolicy"

# --- Outputs ----------------------------------------------------------------------------------
OUTPUT_SERVICE_URL = "ServiceUrl"
OUTPUT_LOAD_BALANCER_DNS_NAME = "LoadBalancerDnsName"
OUTPUT_CLUSTER_NAME = "ClusterName"
OUTPUT_SERVICE_NAME = "ServiceName"
OUTPUT_TASK_SECURITY_GROUP_ID = "TaskSecurityGroupId"
OUTPUT_LOG_GROUP_NAME = "LogGroupName"

# --- Policy rules that do not apply, and why (resource metadata) ------------------------------
TASK_DEFINITION_SUPPRESSIONS = {
    "ecs_containers_readonly_access_check": (
        "the root file system is read-only unless EnableExecuteCommand is true, because the "
        "ECS Exec agent writes to it; guard cannot evaluate the Fn::If"
    ),
    "ecs_task_definition_memory_hard_limit_check": (
        "the container's Memory is the TaskMemory parameter, a Fargate size from AllowedValues; "
        "guard cannot read parameter values"
    ),
    "ecs_task_definition_nonroot_user_check": (
        "the image sets its own USER; a fixed UID here would break images built for another"
    ),
}
LOAD_BALANCER_SUPPRESSIONS = {
    "elbv2_deletion_protection_enabled_check": (
        "deletion protection is the DeletionProtection parameter, true by default; guard cannot "
        "read parameter values"
    ),
}
ACCESS_LOGS_BUCKET_SUPPRESSIONS = {
    "s3_bucket_default_encryption_kms_check": (
        "load balancers write access logs only to buckets encrypted with SSE-S3"
    ),
    "s3_bucket_logging_enabled_check": (
        "this bucket holds access logs; logging its own access would need another bucket "
        "without end"
    ),
    "s3_bucket_object_lock_enabled_check": (
        "access logs expire after LogRetentionDays by lifecycle; Object Lock would keep them"
    ),
    "s3_event_notifications_enabled_check": "nothing consumes access-log object events",
}
LOAD_BALANCER_CHECKOV = {
    "CKV_AWS_91": "access logs are on for both types; checkov cannot read attributes in an Fn::If",
    "CKV_AWS_131": (
        "an application load balancer drops invalid header fields; checkov cannot read "
        "attributes in an Fn::If (a network load balancer has no such attribute)"
    ),
}
HTTP_LISTENER_CHECKOV = {
    "CKV_AWS_2": (
        "port 80 serves plain HTTP only when no certificate is given (CertificateArn empty); "
        "with one it only redirects to HTTPS"
    ),
    "CKV_AWS_103": "as CKV_AWS_2: without a certificate there is no TLS to configure",
}
HTTPS_LISTENER_CHECKOV = {
    "CKV_AWS_2": "the protocol is HTTPS (or TLS on a network load balancer), set by an Fn::If",
    "CKV_AWS_103": "the policy is ELBSecurityPolicy-TLS13-1-2-Res-2021-06 (TLS 1.2 and 1.3)",
}
HTTP_INGRESS_CHECKOV = {
    "CKV_AWS_260": (
        "an internet-facing load balancer takes port 80 from AllowedIngressCidr (everyone by "
        "default) by design; with a certificate port 80 only redirects to HTTPS"
    ),
}
BUCKET_POLICY_SUPPRESSIONS = {
    "s3_bucket_policy_ssl_requests_only_check": (
        "the policy denies every s3 action on the bucket and its objects when "
        "aws:SecureTransport is false; the rule only parses object ARNs written with Fn::Join, "
        "which cfn-lint (I1022) asks to write with Fn::Sub"
    ),
}

# --- Console groups ---------------------------------------------------------------------------
GROUP_NETWORK = "Network (where the service runs)"
GROUP_CONTAINER = "Container"
GROUP_SCALING = "Capacity and scaling"
GROUP_LOAD_BALANCER = "Load balancer"
GROUP_OPERATIONS = "Operations"

HTTP_PORT = 80
HTTPS_PORT = 443
SCRATCH_VOLUME = "tmp"
LOG_PREFIX = "AWSLogs"  # access logs land under <bucket>/AWSLogs/<account>/...

# ECS Exec needs these session-channel actions; they accept no resource narrower than "*".
_EXECUTE_COMMAND_ACTIONS = [
    ssmmessages.CreateControlChannel,
    ssmmessages.CreateDataChannel,
    ssmmessages.OpenControlChannel,
    ssmmessages.OpenDataChannel,
]


def service_template(config: ServiceConfig | None = None) -> Template:
    """Build the service layer. Pure: the same config always gives the same template."""
    config = config or ServiceConfig()
    t = Template(
        Description=(
            "Fargate service without public IPs in private subnets, behind an internet-facing "
            "load balancer in public subnets"
        )
    )
    _add_parameters(t, config)
    _add_rules(t)
    _add_conditions(t)
    accounts = {**ELB_LOG_DELIVERY_ACCOUNTS, **dict.fromkeys(NEWER_REGIONS, SERVICE_PRINCIPAL)}
    t.add_mapping(
        ELB_ACCOUNTS,
        {region: {"AccountId": account} for region, account in sorted(accounts.items())},
    )

    cluster = t.add_resource(
        ecs.Cluster(
            CLUSTER,
            ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value="enabled")],
            CapacityProviders=["FARGATE", "FARGATE_SPOT"],
            DefaultCapacityProviderStrategy=[
                ecs.CapacityProviderStrategyItem(CapacityProvider="FARGATE", Weight=1)
            ],
            Tags=name_tag("cluster"),
        )
    )
    log_group = t.add_resource(
        logs.LogGroup(
            LOG_GROUP,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            RetentionInDays=Ref(LOG_RETENTION_DAYS_PARAMETER),
        )
    )
    suppress(log_group, guard=LOG_GROUP_SUPPRESSIONS, checkov=LOG_GROUP_CHECKOV)
    _add_roles(t)
    task_definition = suppress(_add_task_definition(t, config), guard=TASK_DEFINITION_SUPPRESSIONS)
    _add_security_groups(t)
    _add_load_balancer(t, config)

    service = t.add_resource(
        ecs.Service(
            SERVICE,
            # ECS attaches the target group only once a listener ties it to the load balancer.
            DependsOn=[LISTENERS_READY],
            Cluster=Ref(cluster),
            TaskDefinition=Ref(task_definition),
            DesiredCount=Ref(DESIRED_COUNT),
            CapacityProviderStrategy=[
                ecs.CapacityProviderStrategyItem(CapacityProvider=Ref(CAPACITY_PROVIDER), Weight=1)
            ],
            PlatformVersion="LATEST",
            NetworkConfiguration=ecs.NetworkConfiguration(
                AwsvpcConfiguration=ecs.AwsvpcConfiguration(
                    AssignPublicIp="DISABLED",
                    Subnets=Ref(PRIVATE_SUBNET_IDS),
                    SecurityGroups=[Ref(TASK_SECURITY_GROUP)],
                )
            ),
            LoadBalancers=[
                ecs.LoadBalancer(
                    ContainerName=config.container_name,
                    ContainerPort=Ref(CONTAINER_PORT),
                    TargetGroupArn=Ref(TARGET_GROUP),
                )
            ],
            HealthCheckGracePeriodSeconds=Ref(HEALTH_CHECK_GRACE_PERIOD),
            DeploymentConfiguration=ecs.DeploymentConfiguration(
                DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(Enable=True, Rollback=True),
                MinimumHealthyPercent=100,
                MaximumPercent=200,
            ),
            # ECS refuses to change a live service's capacity provider strategy without a new
            # deployment ("...you must force a new deployment", aws/aws-cdk#34631). The nonce is
            # the parameters whose change needs one: it changes exactly when they do, and a
            # changed nonce is what starts the forced deployment (AWS::ECS::Service
            # ForceNewDeployment, CloudFormation User Guide).
            ForceNewDeployment=ecs.ForceNewDeployment(
                EnableForceNewDeployment=True,
                ForceNewDeploymentNonce=Join("-", [Ref(p) for p in FORCE_DEPLOYMENT_ON_CHANGE]),
            ),
            EnableExecuteCommand=If(EXECUTE_COMMAND_ENABLED, True, False),
            EnableECSManagedTags=True,
            PropagateTags="SERVICE",
            Tags=name_tag("service"),
        )
    )
    _add_autoscaling(t)
    _add_outputs(t, log_group, service)
    return t


def _add_parameters(t: Template, config: ServiceConfig) -> None:
    add_parameter(
        t,
        VPC_ID,
        group=GROUP_NETWORK,
        label="VPC",
        description="VPC to run in: the network stack's VpcId output, or an existing VPC.",
        Type="AWS::EC2::VPC::Id",
        AllowedPattern=r"^vpc-[0-9a-f]+$",
        ConstraintDescription="must be the ID of a VPC (vpc-...)",
    )
    add_parameter(
        t,
        PUBLIC_SUBNET_IDS,
        group=GROUP_NETWORK,
        label="Public subnets (load balancer)",
        description=(
            "Subnets with a route to an internet gateway, one per Availability Zone, for the "
            "internet-facing load balancer."
        ),
        Type="List<AWS::EC2::Subnet::Id>",
        AllowedPattern=r"^subnet-[0-9a-f]+$",
        ConstraintDescription="must be subnet IDs (subnet-...)",
    )
    add_parameter(
        t,
        PRIVATE_SUBNET_IDS,
        group=GROUP_NETWORK,
        label="Private subnets (tasks)",
        description=(
            "Subnets without a route from the internet, one per Availability Zone, for the "
            "tasks. They need a NAT gateway or VPC endpoints to pull the image from ECR."
        ),
        Type="List<AWS::EC2::Subnet::Id>",
        AllowedPattern=r"^subnet-[0-9a-f]+$",
        ConstraintDescription="must be subnet IDs (subnet-...)",
    )
    add_parameter(
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
    add_parameter(
        t,
        CONTAINER_PORT,
        group=GROUP_CONTAINER,
        label="Container port",
        description="TCP port the container listens on; the load balancer sends traffic here.",
        Type="Number",
        Default=str(config.default_container_port),
        MinValue=1,
        MaxValue=65535,
        ConstraintDescription="must be a port number from 1 to 65535",
    )
    add_parameter(
        t,
        HEALTH_CHECK_PATH,
        group=GROUP_CONTAINER,
        label="Health check path",
        description=(
            "HTTP path the load balancer requests to decide whether a task is healthy; any "
            "2xx or 3xx answer counts as healthy."
        ),
        Type="String",
        Default=config.default_health_check_path,
        AllowedPattern=HEALTH_CHECK_PATH_PATTERN,
        ConstraintDescription="must be a URL path starting with /",
    )
    add_parameter(
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
    add_parameter(
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
    add_parameter(
        t,
        CPU_ARCHITECTURE,
        group=GROUP_CONTAINER,
        label="CPU architecture",
        description="X86_64, or ARM64 (Graviton: cheaper per vCPU) for images built for arm64.",
        Type="String",
        Default="X86_64",
        AllowedValues=["X86_64", "ARM64"],
        ConstraintDescription="must be X86_64 or ARM64",
    )
    add_parameter(
        t,
        CAPACITY_PROVIDER,
        group=GROUP_SCALING,
        label="Capacity provider",
        description=(
            "FARGATE, or FARGATE_SPOT for interruptible tasks at a discount (a task may be "
            "stopped with two minutes' warning)."
        ),
        Type="String",
        Default="FARGATE",
        AllowedValues=["FARGATE", "FARGATE_SPOT"],
        ConstraintDescription="must be FARGATE or FARGATE_SPOT",
    )
    for name, label, description, default in (
        (
            DESIRED_COUNT,
            "Desired number of tasks",
            "Tasks to run when the stack is created or updated; autoscaling then moves it "
            "between the minimum and maximum.",
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
    ):
        add_parameter(
            t,
            name,
            group=GROUP_SCALING,
            label=label,
            description=description,
            Type="Number",
            Default=str(default),
            MinValue=0,
            MaxValue=MAX_TASKS,
            ConstraintDescription=f"must be a whole number from 0 to {MAX_TASKS}",
        )
    add_parameter(
        t,
        CPU_TARGET_UTILIZATION,
        group=GROUP_SCALING,
        label="Target CPU utilization (%)",
        description="Autoscaling adds or removes tasks to keep the service's CPU near this.",
        Type="Number",
        Default=str(config.default_cpu_target),
        MinValue=10,
        MaxValue=90,
        ConstraintDescription="must be a percentage from 10 to 90",
    )
    add_parameter(
        t,
        HEALTH_CHECK_GRACE_PERIOD,
        group=GROUP_SCALING,
        label="Health check grace period (seconds)",
        description="Seconds a new task may fail load balancer health checks while it starts.",
        Type="Number",
        Default="60",
        MinValue=0,
        MaxValue=2147483647,
        ConstraintDescription="must be a number of seconds",
    )
    add_parameter(
        t,
        LOAD_BALANCER_TYPE,
        group=GROUP_LOAD_BALANCER,
        label="Load balancer type",
        description=(
            "application: HTTP(S), layer 7 (port 80, or 443 with a certificate and a redirect "
            "from 80). network: TCP or TLS, layer 4. Changing it replaces the load balancer."
        ),
        Type="String",
        Default="application",
        AllowedValues=["application", "network"],
        ConstraintDescription="must be application or network",
    )
    add_parameter(
        t,
        CERTIFICATE_ARN,
        group=GROUP_LOAD_BALANCER,
        label="ACM certificate ARN (optional)",
        description=(
            "ACM certificate for HTTPS (application) or TLS (network) on port 443, with a TLS "
            f"1.3 policy ({config.tls_policy}). Leave empty for plain HTTP/TCP on port 80."
        ),
        Type="String",
        Default="",
        AllowedPattern=CERTIFICATE_PATTERN,
        ConstraintDescription=(
            "must be empty or an ACM certificate ARN "
            "(arn:aws:acm:<region>:<account>:certificate/<id>)"
        ),
    )
    add_parameter(
        t,
        ALLOWED_INGRESS_CIDR,
        group=GROUP_LOAD_BALANCER,
        label="Allowed client CIDR",
        description="IPv4 range allowed to reach the load balancer; 0.0.0.0/0 is everyone.",
        Type="String",
        Default="0.0.0.0/0",
        AllowedPattern=INGRESS_CIDR_PATTERN,
        ConstraintDescription="must be an IPv4 CIDR block such as 0.0.0.0/0 or 203.0.113.0/24",
    )
    add_switch_parameter(
        t,
        DELETION_PROTECTION,
        group=GROUP_LOAD_BALANCER,
        label="Load balancer deletion protection",
        description=(
            "true keeps the load balancer from being deleted, by anyone or by a stack "
            "deletion, until this is set to false."
        ),
        default=True,
    )
    add_parameter(
        t,
        DEREGISTRATION_DELAY,
        group=GROUP_LOAD_BALANCER,
        label="Deregistration delay (seconds)",
        description="Seconds a stopping task keeps serving requests already in flight.",
        Type="Number",
        Default="30",
        MinValue=0,
        MaxValue=3600,
        ConstraintDescription="must be a number of seconds from 0 to 3600",
    )
    add_switch_parameter(
        t,
        ENABLE_EXECUTE_COMMAND,
        group=GROUP_OPERATIONS,
        label="ECS Exec",
        description=(
            "true lets operators open a shell in a running task (aws ecs execute-command) and "
            "grants the task role the session permissions this needs. Without a NAT gateway it "
            "also needs an ssmmessages VPC endpoint."
        ),
        default=False,
    )
    add_parameter(
        t,
        LOG_RETENTION_DAYS_PARAMETER,
        group=GROUP_OPERATIONS,
        label="Log retention (days)",
        description=(
            "Days to keep the container logs (CloudWatch Logs) and the load balancer access "
            "logs (S3). Both are kept when the stack is deleted."
        ),
        Type="Number",
        Default=str(config.default_log_retention_days),
        AllowedValues=[str(days) for days in LOG_RETENTION_DAYS],
        ConstraintDescription=(
            "must be a retention period CloudWatch Logs accepts, of a year (365 days) or more"
        ),
    )


def _memory_choices(memory: tuple[int, ...]) -> str:
    if len(memory) <= 3:
        return ", ".join(map(str, memory[:-1])) + f" or {memory[-1]} MiB"
    return f"{memory[0]} to {memory[-1]} MiB in steps of {memory[1] - memory[0]}"


def _add_rules(t: Template) -> None:
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


def _add_conditions(t: Template) -> None:
    t.add_condition(IS_APPLICATION, Equals(Ref(LOAD_BALANCER_TYPE), "application"))
    t.add_condition(HAS_CERTIFICATE, Not(Equals(Ref(CERTIFICATE_ARN), "")))
    # Port 80 is open without a certificate, and on an ALB with one (to redirect to HTTPS).
    t.add_condition(
        HTTP_LISTENER_PORT_OPEN, Or(Not(Condition(HAS_CERTIFICATE)), Condition(IS_APPLICATION))
    )
    t.add_condition(EXECUTE_COMMAND_ENABLED, is_true(ENABLE_EXECUTE_COMMAND))
    t.add_condition(IS_CHINA, Equals(Partition, "aws-cn"))
    t.add_condition(
        ELB_LOGS_FROM_SERVICE_PRINCIPAL,
        Equals(FindInMap(ELB_ACCOUNTS, Region, "AccountId"), SERVICE_PRINCIPAL),
    )


def _ecs_tasks_trust() -> PolicyDocument:
    return service_trust(
        "ecs-tasks.amazonaws.com", "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*"
    )


def _image_repository_arn() -> Any:
    """ARN of the ECR repository named in ContainerImage, in the image's account and region."""
    host_labels = Split(".", Ref(CONTAINER_IMAGE))
    # "<host>/<repository>:<tag>" or "<host>/<repository>@sha256:<digest>": the host has no ":"
    # and no "@", so the part before the first of them is "<host>/<repository>".
    name = Select(0, Split(":", Select(0, Split("@", Ref(CONTAINER_IMAGE)))))
    repository = If(
        IS_CHINA,
        Select(1, Split(".amazonaws.com.cn/", name)),
        Select(1, Split(".amazonaws.com/", name)),
    )
    return Sub(
        "arn:${AWS::Partition}:ecr:${Region}:${Account}:repository/${Repository}",
        Region=Select(3, host_labels),
        Account=Select(0, host_labels),
        Repository=repository,
    )


def _add_roles(t: Template) -> None:
    t.add_resource(
        iam.Role(
            EXECUTION_ROLE,
            AssumeRolePolicyDocument=_ecs_tasks_trust(),
            Policies=[
                iam.Policy(
                    PolicyName="PullImageAndWriteLogs",
                    PolicyDocument=PolicyDocument(
                        Version="2012-10-17",
                        Statement=[
                            Statement(
                                Sid="EcrAuthorizationToken",
                                Effect=Allow,
                                Action=[awacs_ecr.GetAuthorizationToken],
                                # GetAuthorizationToken accepts no resource narrower than "*".
                                Resource=["*"],
                            ),
                            Statement(
                                Sid="PullTheServiceImage",
                                Effect=Allow,
                                Action=[
                                    awacs_ecr.BatchCheckLayerAvailability,
                                    awacs_ecr.BatchGetImage,
                                    awacs_ecr.GetDownloadUrlForLayer,
                                ],
                                Resource=[_image_repository_arn()],
                            ),
                            Statement(
                                Sid="WriteContainerLogs",
                                Effect=Allow,
                                Action=[awacs_logs.CreateLogStream, awacs_logs.PutLogEvents],
                                Resource=[GetAtt(LOG_GROUP, "Arn")],
                            ),
                        ],
                    ),
                )
            ],
        )
    )
    # The application's own role: no permissions until the user attaches some.
    # The application's own role: no permissions until the user attaches some. ECS Exec's are
    # inline, so tasks never start before they are attached.
    t.add_resource(
        iam.Role(
            TASK_ROLE,
            AssumeRolePolicyDocument=_ecs_tasks_trust(),
            Policies=If(
                EXECUTE_COMMAND_ENABLED,
                [
                    iam.Policy(
                        PolicyName=EXECUTE_COMMAND_POLICY,
                        PolicyDocument=PolicyDocument(
                            Version="2012-10-17",
                            Statement=[
                                Statement(
                                    Sid="EcsExecSessionChannels",
                                    Effect=Allow,
                                    Action=_EXECUTE_COMMAND_ACTIONS,
                                    # These actions accept no resource narrower than "*".
                                    Resource=["*"],
                                ),
                                Statement(
                                    Sid="EcsExecSessionLogs",
                                    Effect=Allow,
                                    # Exec sessions are logged to the container's log group.
                                    Action=[
                                        awacs_logs.CreateLogStream,
                                        awacs_logs.DescribeLogStreams,
                                        awacs_logs.PutLogEvents,
                                    ],
                                    Resource=[GetAtt(LOG_GROUP, "Arn")],
                                ),
                                Statement(
                                    Sid="EcsExecFindLogGroup",
                                    Effect=Allow,
                                    Action=[awacs_logs.DescribeLogGroups],
                                    # DescribeLogGroups lists; it accepts no narrower resource.
                                    Resource=["*"],
                                ),
                            ],
                        ),
                    )
                ],
                NoValue,
            ),
        )
    )


def _add_task_definition(t: Template, config: ServiceConfig) -> ecs.TaskDefinition:
    return t.add_resource(
        ecs.TaskDefinition(
            TASK_DEFINITION,
            RequiresCompatibilities=["FARGATE"],
            NetworkMode="awsvpc",
            Cpu=Ref(TASK_CPU),
            Memory=Ref(TASK_MEMORY),
            RuntimePlatform=ecs.RuntimePlatform(
                CpuArchitecture=Ref(CPU_ARCHITECTURE), OperatingSystemFamily="LINUX"
            ),
            ExecutionRoleArn=GetAtt(EXECUTION_ROLE, "Arn"),
            TaskRoleArn=GetAtt(TASK_ROLE, "Arn"),
            Volumes=[ecs.Volume(Name=SCRATCH_VOLUME)],
            ContainerDefinitions=[
                ecs.ContainerDefinition(
                    Name=config.container_name,
                    Image=Ref(CONTAINER_IMAGE),
                    Essential=True,
                    Memory=Ref(TASK_MEMORY),
                    PortMappings=[
                        ecs.PortMapping(ContainerPort=Ref(CONTAINER_PORT), Protocol="tcp")
                    ],
                    # ECS Exec's agent writes to the root file system: with Exec on, it is
                    # writable (Security Hub ECS.5 flags that, rightly; Exec is off by default).
                    ReadonlyRootFilesystem=If(EXECUTE_COMMAND_ENABLED, False, True),
                    Privileged=False,
                    MountPoints=[
                        ecs.MountPoint(
                            SourceVolume=SCRATCH_VOLUME, ContainerPath="/tmp", ReadOnly=False
                        )
                    ],
                    # An init process reaps zombies and forwards signals; ECS Exec wants it too.
                    LinuxParameters=ecs.LinuxParameters(InitProcessEnabled=True),
                    LogConfiguration=ecs.LogConfiguration(
                        LogDriver="awslogs",
                        Options={
                            "awslogs-group": Ref(LOG_GROUP),
                            "awslogs-region": Region,
                            "awslogs-stream-prefix": config.container_name,
                        },
                    ),
                )
            ],
        )
    )


def _add_security_groups(t: Template) -> None:
    load_balancer_group = t.add_resource(
        ec2.SecurityGroup(
            LOAD_BALANCER_SECURITY_GROUP,
            GroupDescription="Load balancer: listener ports from the allowed clients only",
            VpcId=Ref(VPC_ID),
            SecurityGroupEgress=[no_egress_rule()],
            Tags=name_tag("load-balancer"),
        )
    )
    http_ingress = t.add_resource(
        ec2.SecurityGroupIngress(
            LOAD_BALANCER_HTTP_INGRESS,
            Condition=HTTP_LISTENER_PORT_OPEN,
            GroupId=Ref(load_balancer_group),
            CidrIp=Ref(ALLOWED_INGRESS_CIDR),
            IpProtocol="tcp",
            FromPort=HTTP_PORT,
            ToPort=HTTP_PORT,
            Description=If(
                HAS_CERTIFICATE,
                "HTTP from allowed clients, redirected to HTTPS",
                "HTTP/TCP from allowed clients",
            ),
        )
    )
    suppress(http_ingress, checkov=HTTP_INGRESS_CHECKOV)
    t.add_resource(
        ec2.SecurityGroupIngress(
            LOAD_BALANCER_HTTPS_INGRESS,
            Condition=HAS_CERTIFICATE,
            GroupId=Ref(load_balancer_group),
            CidrIp=Ref(ALLOWED_INGRESS_CIDR),
            IpProtocol="tcp",
            FromPort=HTTPS_PORT,
            ToPort=HTTPS_PORT,
            Description="HTTPS/TLS from allowed clients",
        )
    )
    task_group = t.add_resource(
        ec2.SecurityGroup(
            TASK_SECURITY_GROUP,
            GroupDescription="Fargate tasks: the container port from the load balancer only",
            VpcId=Ref(VPC_ID),
            SecurityGroupIngress=[
                ec2.SecurityGroupRule(
                    SourceSecurityGroupId=Ref(load_balancer_group),
                    IpProtocol="tcp",
                    FromPort=Ref(CONTAINER_PORT),
                    ToPort=Ref(CONTAINER_PORT),
                    Description="Container port from the load balancer",
                )
            ],
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(
                    CidrIp="0.0.0.0/0",
                    IpProtocol="tcp",
                    FromPort=HTTPS_PORT,
                    ToPort=HTTPS_PORT,
                    Description="HTTPS to ECR, S3, CloudWatch Logs and other AWS APIs",
                )
            ],
            Tags=name_tag("tasks"),
        )
    )
    # A separate resource: inline, the two groups would reference each other in a cycle.
    t.add_resource(
        ec2.SecurityGroupEgress(
            LOAD_BALANCER_EGRESS_TO_TASKS,
            GroupId=Ref(load_balancer_group),
            DestinationSecurityGroupId=Ref(task_group),
            IpProtocol="tcp",
            FromPort=Ref(CONTAINER_PORT),
            ToPort=Ref(CONTAINER_PORT),
            Description="Container port of the tasks",
        )
    )


def _access_logs_bucket_policy(bucket: s3.Bucket) -> PolicyDocument:
    bucket_arn = GetAtt(bucket, "Arn")
    log_objects = Sub(f"${{{bucket.title}.Arn}}/{LOG_PREFIX}/${{AWS::AccountId}}/*")
    # Network load balancers deliver through CloudWatch Logs' delivery service.
    log_delivery_source = Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*")
    elb_principal = If(
        ELB_LOGS_FROM_SERVICE_PRINCIPAL,
        {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
        {
            "AWS": Sub(
                "arn:${AWS::Partition}:iam::${ElbAccount}:root",
                ElbAccount=FindInMap(ELB_ACCOUNTS, Region, "AccountId"),
            )
        },
    )
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="DenyInsecureTransport",
                Effect=Deny,
                Principal=Principal("*"),
                Action=[awacs_s3.Action("*")],
                Resource=[bucket_arn, Sub(f"${{{bucket.title}.Arn}}/*")],
                Condition=PolicyCondition(Bool("aws:SecureTransport", "false")),
            ),
            Statement(
                Sid="ApplicationLoadBalancerLogDelivery",
                Effect=Allow,
                Principal=elb_principal,
                Action=[awacs_s3.PutObject],
                Resource=[log_objects],
            ),
            Statement(
                Sid="NetworkLoadBalancerLogDelivery",
                Effect=Allow,
                Principal=Principal("Service", "delivery.logs.amazonaws.com"),
                Action=[awacs_s3.PutObject],
                Resource=[log_objects],
                Condition=PolicyCondition(
                    [
                        StringEquals(
                            {
                                "s3:x-amz-acl": "bucket-owner-full-control",
                                "aws:SourceAccount": AccountId,
                            }
                        ),
                        ArnLike("aws:SourceArn", log_delivery_source),
                    ]
                ),
            ),
            Statement(
                Sid="NetworkLoadBalancerLogDeliveryAclCheck",
                Effect=Allow,
                Principal=Principal("Service", "delivery.logs.amazonaws.com"),
                Action=[awacs_s3.GetBucketAcl],
                Resource=[bucket_arn],
                Condition=PolicyCondition(
                    [
                        StringEquals("aws:SourceAccount", AccountId),
                        ArnLike("aws:SourceArn", log_delivery_source),
                    ]
                ),
            ),
        ],
    )


def _add_load_balancer(t: Template, config: ServiceConfig) -> None:
    bucket = t.add_resource(
        s3.Bucket(
            ACCESS_LOGS_BUCKET,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            # Load balancers write access logs only with SSE-S3 (ALB) encryption.
            BucketEncryption=s3.BucketEncryption(
                ServerSideEncryptionConfiguration=[
                    s3.ServerSideEncryptionRule(
                        ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(
                            SSEAlgorithm="AES256"
                        )
                    )
                ]
            ),
            PublicAccessBlockConfiguration=s3.PublicAccessBlockConfiguration(
                BlockPublicAcls=True,
                BlockPublicPolicy=True,
                IgnorePublicAcls=True,
                RestrictPublicBuckets=True,
            ),
            OwnershipControls=s3.OwnershipControls(
                Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]
            ),
            VersioningConfiguration=s3.VersioningConfiguration(Status="Enabled"),
            LifecycleConfiguration=s3.LifecycleConfiguration(
                Rules=[
                    s3.LifecycleRule(
                        Id="ExpireAccessLogs",
                        Status="Enabled",
                        ExpirationInDays=Ref(LOG_RETENTION_DAYS_PARAMETER),
                        NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(
                            NoncurrentDays=1
                        ),
                        AbortIncompleteMultipartUpload=s3.AbortIncompleteMultipartUpload(
                            DaysAfterInitiation=1
                        ),
                    )
                ]
            ),
            Tags=name_tag("access-logs"),
        )
    )
    suppress(
        bucket,
        guard=ACCESS_LOGS_BUCKET_SUPPRESSIONS,
        checkov={"CKV_AWS_18": ACCESS_LOGS_BUCKET_SUPPRESSIONS["s3_bucket_logging_enabled_check"]},
    )
    bucket_policy = t.add_resource(
        s3.BucketPolicy(
            ACCESS_LOGS_BUCKET_POLICY,
            Bucket=Ref(bucket),
            PolicyDocument=_access_logs_bucket_policy(bucket),
        )
    )
    suppress(bucket_policy, guard=BUCKET_POLICY_SUPPRESSIONS)
    common_attributes = [
        elb.LoadBalancerAttributes(
            Key="deletion_protection.enabled", Value=Ref(DELETION_PROTECTION)
        ),
        elb.LoadBalancerAttributes(Key="access_logs.s3.enabled", Value=TRUE),
        elb.LoadBalancerAttributes(Key="access_logs.s3.bucket", Value=Ref(bucket)),
    ]
    application_attributes = [
        elb.LoadBalancerAttributes(
            Key="routing.http.drop_invalid_header_fields.enabled", Value=TRUE
        ),
        elb.LoadBalancerAttributes(Key="routing.http.desync_mitigation_mode", Value="defensive"),
    ]
    network_attributes = [
        elb.LoadBalancerAttributes(Key="load_balancing.cross_zone.enabled", Value=TRUE),
    ]
    load_balancer = t.add_resource(
        elb.LoadBalancer(
            LOAD_BALANCER,
            # The bucket must admit log delivery before the load balancer turns access logs on.
            DependsOn=[bucket_policy.title],
            Type=Ref(LOAD_BALANCER_TYPE),
            Scheme="internet-facing",
            Subnets=Ref(PUBLIC_SUBNET_IDS),
            SecurityGroups=[Ref(LOAD_BALANCER_SECURITY_GROUP)],
            LoadBalancerAttributes=If(
                IS_APPLICATION,
                common_attributes + application_attributes,
                common_attributes + network_attributes,
            ),
            Tags=name_tag("load-balancer"),
        )
    )
    suppress(load_balancer, guard=LOAD_BALANCER_SUPPRESSIONS, checkov=LOAD_BALANCER_CHECKOV)
    target_group = t.add_resource(
        elb.TargetGroup(
            TARGET_GROUP,
            VpcId=Ref(VPC_ID),
            TargetType="ip",
            Port=Ref(CONTAINER_PORT),
            Protocol=If(IS_APPLICATION, "HTTP", "TCP"),
            # Both types check health over HTTP, so a task that accepts TCP but fails its
            # health endpoint is taken out of service behind an NLB too.
            HealthCheckProtocol="HTTP",
            HealthCheckPath=Ref(HEALTH_CHECK_PATH),
            HealthCheckIntervalSeconds=10,
            HealthyThresholdCount=2,
            UnhealthyThresholdCount=3,
            Matcher=elb.Matcher(HttpCode="200-399"),
            TargetGroupAttributes=[
                elb.TargetGroupAttribute(
                    Key="deregistration_delay.timeout_seconds", Value=Ref(DEREGISTRATION_DELAY)
                )
            ],
            Tags=name_tag("tasks"),
        )
    )
    # One listener per port, so adding or removing a certificate creates or deletes a listener
    # instead of moving one onto a port another still holds.
    forward = elb.Action(Type="forward", TargetGroupArn=Ref(target_group))
    http = t.add_resource(
        elb.Listener(
            HTTP_LISTENER,
            Condition=HTTP_LISTENER_PORT_OPEN,
            LoadBalancerArn=Ref(load_balancer),
            Port=HTTP_PORT,
            Protocol=If(IS_APPLICATION, "HTTP", "TCP"),
            DefaultActions=[
                If(
                    HAS_CERTIFICATE,
                    elb.Action(
                        Type="redirect",
                        RedirectConfig=elb.RedirectConfig(
                            Protocol="HTTPS", Port=str(HTTPS_PORT), StatusCode="HTTP_301"
                        ),
                    ),
                    forward,
                )
            ],
        )
    )
    https = t.add_resource(
        elb.Listener(
            HTTPS_LISTENER,
            Condition=HAS_CERTIFICATE,
            LoadBalancerArn=Ref(load_balancer),
            Port=HTTPS_PORT,
            Protocol=If(IS_APPLICATION, "HTTPS", "TLS"),
            Certificates=[elb.Certificate(CertificateArn=Ref(CERTIFICATE_ARN))],
            SslPolicy=config.tls_policy,
            DefaultActions=[forward],
        )
    )
    suppress(http, checkov=HTTP_LISTENER_CHECKOV)
    suppress(https, checkov=HTTPS_LISTENER_CHECKOV)
    # DependsOn cannot name a conditional resource; a wait condition handle that refers to
    # whichever listeners exist gives the service one unconditional thing to wait for.
    t.add_resource(
        cloudformation.WaitConditionHandle(
            LISTENERS_READY,
            Metadata={
                "HttpListener": If(HTTP_LISTENER_PORT_OPEN, Ref(http), ""),
                "HttpsListener": If(HAS_CERTIFICATE, Ref(https), ""),
            },
        )
    )


def _add_autoscaling(t: Template) -> None:
    target = t.add_resource(
        applicationautoscaling.ScalableTarget(
            SCALABLE_TARGET,
            ServiceNamespace="ecs",
            ScalableDimension="ecs:service:DesiredCount",
            ResourceId=Sub(f"service/${{{CLUSTER}}}/${{{SERVICE}.Name}}"),
            MinCapacity=Ref(MIN_CAPACITY),
            MaxCapacity=Ref(MAX_CAPACITY),
        )
    )
    t.add_resource(
        applicationautoscaling.ScalingPolicy(
            CPU_SCALING_POLICY,
            PolicyName=Sub("${AWS::StackName}-cpu"),
            PolicyType="TargetTrackingScaling",
            ScalingTargetId=Ref(target),
            TargetTrackingScalingPolicyConfiguration=(
                applicationautoscaling.TargetTrackingScalingPolicyConfiguration(
                    PredefinedMetricSpecification=applicationautoscaling.PredefinedMetricSpecification(
                        PredefinedMetricType="ECSServiceAverageCPUUtilization"
                    ),
                    TargetValue=Ref(CPU_TARGET_UTILIZATION),
                    ScaleInCooldown=120,
                    ScaleOutCooldown=60,
                )
            ),
        )
    )


def _add_outputs(t: Template, log_group: logs.LogGroup, service: ecs.Service) -> None:
    add_exported_output(
        t,
        OUTPUT_SERVICE_URL,
        If(
            HAS_CERTIFICATE,
            Sub(f"https://${{{LOAD_BALANCER}.DNSName}}"),
            Sub(f"http://${{{LOAD_BALANCER}.DNSName}}"),
        ),
        "URL of the service (https:// with a certificate)",
    )
    add_exported_output(
        t,
        OUTPUT_LOAD_BALANCER_DNS_NAME,
        GetAtt(LOAD_BALANCER, "DNSName"),
        "DNS name of the load balancer, for a CNAME or alias record",
    )
    add_exported_output(t, OUTPUT_CLUSTER_NAME, Ref(CLUSTER), "Name of the ECS cluster")
    add_exported_output(t, OUTPUT_SERVICE_NAME, GetAtt(service, "Name"), "Name of the ECS service")
    add_exported_output(
        t,
        OUTPUT_TASK_SECURITY_GROUP_ID,
        GetAtt(TASK_SECURITY_GROUP, "GroupId"),
        "Security group of the tasks. They may send only HTTPS (443) today: to reach a database, "
        "add an egress rule to this group and an ingress rule from it to the database's group",
    )
    add_exported_output(
        t, OUTPUT_LOG_GROUP_NAME, Ref(log_group), "CloudWatch Logs group of the container logs"
    )
