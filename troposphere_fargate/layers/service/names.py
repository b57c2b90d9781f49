"""The service layer's names: its logical IDs, parameter keys, condition and rule names, mapping
and output keys, and its console groups. They are a contract (stacks, the root template, users'
imports and policies refer to them): each is written here once and referred to everywhere else.
"""

from __future__ import annotations

__all__ = [
    "ACCESS_LOGS_BUCKET",
    "ACCESS_LOGS_BUCKET_POLICY",
    "ALARM_TOPIC_ARN",
    "ALLOWED_INGRESS_CIDR",
    "ALTERNATE_ERROR_RATE_ALARM",
    "ALTERNATE_TARGET_GROUP",
    "ALTERNATE_UNHEALTHY_TARGETS_ALARM",
    "APPLICATION_POLICY",
    "APP_PROTOCOL_NEEDS_AN_INTERNAL_SERVICE",
    "CANARY_BAKE_TIME",
    "CANARY_PERCENT",
    "CAPACITY_PROVIDER",
    "CERTIFICATE_ARN",
    "CLUSTER",
    "CLUSTER_NAME",
    "CONNECT_NEEDS_ROLLING",
    "CONSOLE_HOSTS",
    "CONTAINER_IMAGE",
    "CONTAINER_PORT",
    "CONTAINER_PORT_NOT_A_SIDECAR_PORT",
    "CONTAINER_USER",
    "CPU_ARCHITECTURE",
    "CPU_SCALING_POLICY",
    "CPU_TARGET_UTILIZATION",
    "DASHBOARD",
    "DELETION_PROTECTION",
    "DEPLOYMENT_BAKE_TIME",
    "DEPLOYMENT_ROLE",
    "DEPLOYMENT_STRATEGY",
    "DEREGISTRATION_DELAY",
    "DESIRED_COUNT",
    "ELB_ACCOUNTS",
    "ELB_LOGS_FROM_SERVICE_PRINCIPAL",
    "ENABLE_EXECUTE_COMMAND",
    "ENVIRONMENT_FILE_ARN",
    "ENVIRONMENT_FILE_POLICY",
    "ENVIRONMENT_SECURITY_GROUP_ID",
    "ENVIRONMENT_URL",
    "ERROR_RATE_ALARM",
    "ERROR_RATE_ALARM_PERCENT",
    "EXECUTE_COMMAND_ENABLED",
    "EXECUTE_COMMAND_POLICY",
    "EXECUTION_ROLE",
    "EXPOSE",
    "EXPOSE_NEEDS_AN_ENVIRONMENT",
    "EXTRA_EGRESS_CIDR",
    "EXTRA_EGRESS_DESTINATION_NEEDS_PORT",
    "EXTRA_EGRESS_NEEDS_ONE_DESTINATION",
    "EXTRA_EGRESS_PORT",
    "EXTRA_EGRESS_SECURITY_GROUP_ID",
    "EXTRA_EGRESS_TO_CIDR",
    "EXTRA_EGRESS_TO_SECURITY_GROUP",
    "FILENAME",
    "FORCE_DEPLOYMENT_ON_CHANGE",
    "GROUP_APPLICATION",
    "GROUP_CONTAINER",
    "GROUP_DEPLOYMENT",
    "GROUP_ENVIRONMENT",
    "GROUP_LOAD_BALANCER",
    "GROUP_NETWORK",
    "GROUP_OPERATIONS",
    "GROUP_SCALING",
    "HAS_ALARM_TOPIC",
    "HAS_ALTERNATE_ERROR_RATE_ALARM",
    "HAS_CERTIFICATE",
    "HAS_CONTAINER_USER",
    "HAS_CPU_SCALING",
    "HAS_DESIRED_COUNT",
    "HAS_ENVIRONMENT_FILE",
    "HAS_ERROR_RATE_ALARM",
    "HAS_EXTRA_EGRESS_PORT",
    "HAS_HEALTH_CHECK_TIMEOUT",
    "HAS_LISTENER_RULE_HOST",
    "HAS_LISTENER_RULE_PATH",
    "HAS_MEMORY_SCALING",
    "HAS_PRODUCTION_LISTENER_RULE",
    "HAS_REQUEST_SCALING",
    "HAS_SECRET",
    "HAS_SERVICE_CONNECT_APP_PROTOCOL",
    "HAS_STRICT_TRANSPORT_SECURITY",
    "HAS_TARGET_GROUP",
    "HAS_TASK_ROLE_MANAGED_POLICIES",
    "HAS_TEST_LISTENER",
    "HAS_TEST_LISTENER_RULE",
    "HAS_WEB_ACL",
    "HEALTHY_THRESHOLD",
    "HEALTH_CHECK_GRACE_PERIOD",
    "HEALTH_CHECK_INTERVAL",
    "HEALTH_CHECK_PATH",
    "HEALTH_CHECK_SUCCESS_CODES",
    "HEALTH_CHECK_TIMEOUT",
    "HEALTH_CHECK_TIMEOUT_BELOW_INTERVAL",
    "HTTPS_LISTENER",
    "HTTPS_ONLY",
    "HTTPS_ONLY_NEEDS_A_CERTIFICATE",
    "HTTP_LISTENER",
    "HTTP_LISTENER_PORT_OPEN",
    "INTERNAL_IN_ENVIRONMENT",
    "INTERNAL_SERVICE_NEEDS_A_NAME",
    "IS_APPLICATION",
    "IS_CANARY",
    "IS_CHINA",
    "IS_LINEAR",
    "JOINING_NEEDS_THE_ENVIRONMENT",
    "JOINS_ENVIRONMENT",
    "JOIN_PARAMETERS",
    "LAYER",
    "LINEAR_STEP_BAKE_TIME",
    "LINEAR_STEP_PERCENT",
    "LISTENERS_READY",
    "LISTENER_ARN",
    "LISTENER_RULE",
    "LISTENER_RULE_HOST",
    "LISTENER_RULE_PATH",
    "LISTENER_RULE_PRIORITY",
    "LOAD_BALANCER",
    "LOAD_BALANCER_EGRESS_TO_HEALTH_CHECK",
    "LOAD_BALANCER_EGRESS_TO_TASKS",
    "LOAD_BALANCER_HTTPS_INGRESS",
    "LOAD_BALANCER_HTTP_INGRESS",
    "LOAD_BALANCER_SECURITY_GROUP",
    "LOAD_BALANCER_SECURITY_GROUP_ID",
    "LOAD_BALANCER_TEST_INGRESS",
    "LOAD_BALANCER_TYPE",
    "LOG_GROUP",
    "LOG_RETENTION_DAYS_PARAMETER",
    "MANAGED_POLICY_ARNS_WITHOUT_GAPS",
    "MAX_CAPACITY",
    "MEMORY_SCALING_POLICY",
    "MEMORY_TARGET_UTILIZATION",
    "MIN_CAPACITY",
    "NAMESPACE_ARN",
    "NO_STRICT_TRANSPORT_SECURITY",
    "ONLY_INTERNAL_SERVICES_HAVE_A_NAME",
    "ONLY_PUBLIC_SERVICES_HAVE_RULES",
    "OUTPUT_CLUSTER_NAME",
    "OUTPUT_DASHBOARD_URL",
    "OUTPUT_LOAD_BALANCER_DNS_NAME",
    "OUTPUT_LOG_GROUP_NAME",
    "OUTPUT_SERVICE_NAME",
    "OUTPUT_SERVICE_URL",
    "OUTPUT_TASK_SECURITY_GROUP_ID",
    "OUTPUT_TEST_URL",
    "PRIVATE_SUBNET_IDS",
    "PRODUCTION_LISTENER_RULE",
    "PUBLIC_IN_ENVIRONMENT",
    "PUBLIC_SERVICE_NEEDS_A_RULE",
    "PUBLIC_SUBNET_IDS",
    "QUEUE_SCALING_POLICY",
    "REQUESTS_PER_TARGET",
    "REQUEST_SCALING_NEEDS_AN_APPLICATION_LOAD_BALANCER",
    "REQUEST_SCALING_NEEDS_A_PUBLIC_SERVICE",
    "REQUEST_SCALING_NEEDS_ROLLING_DEPLOYMENTS",
    "REQUEST_SCALING_POLICY",
    "ROUTING_PARAMETERS",
    "SCALABLE_TARGET",
    "SECRET_ARN_PARAMETER",
    "SECRET_ARN_POLICY",
    "SECRET_VARIABLE_NAME",
    "SECRET_VARIABLE_NAME_NOT_TAKEN",
    "SERVICE",
    "SERVICE_CONNECT_APP_PROTOCOL",
    "SERVICE_CONNECT_NAME",
    "SERVICE_CONNECT_TASK_MEMORY",
    "SEVERAL_RULES_NEED_ROLLING",
    "SHIFTS_TRAFFIC",
    "STANDALONE",
    "STRATEGY_NEEDS_LOAD_BALANCER_TRAFFIC",
    "STRICT_TRANSPORT_SECURITY_MAX_AGE",
    "STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS",
    "TARGET_GROUP",
    "TASK_CPU",
    "TASK_DEFINITION",
    "TASK_EXTRA_EGRESS_TO_CIDR",
    "TASK_EXTRA_EGRESS_TO_SECURITY_GROUP",
    "TASK_MEMORY",
    "TASK_ROLE",
    "TASK_ROLE_MANAGED_POLICY_ARNS",
    "TASK_SECURITY_GROUP",
    "TEST_LISTENER",
    "TEST_LISTENER_NEEDS_A_CERTIFICATE",
    "TEST_LISTENER_NEEDS_OWN_LOAD_BALANCER",
    "TEST_LISTENER_NEEDS_TRAFFIC_SHIFTING",
    "TEST_LISTENER_PORT",
    "TEST_LISTENER_PORT_IS_FREE",
    "TEST_LISTENER_RULE",
    "UNHEALTHY_TARGETS_ALARM",
    "UNHEALTHY_THRESHOLD",
    "VPC_ID",
    "WEB_ACL_ARN",
    "WEB_ACL_ASSOCIATION",
    "WEB_ACL_NEEDS_AN_APPLICATION_LOAD_BALANCER",
    "is_listener_rule_title",
    "listener_rule_title",
    "rule_task_size",
]

# --- The template -----------------------------------------------------------------------------
LAYER = "service"
FILENAME = "service.yaml"

# --- Parameters -------------------------------------------------------------------------------
VPC_ID = "VpcId"
PUBLIC_SUBNET_IDS = "PublicSubnetIds"
PRIVATE_SUBNET_IDS = "PrivateSubnetIds"
CONTAINER_IMAGE = "ContainerImage"
CONTAINER_USER = "ContainerUser"
CONTAINER_PORT = "ContainerPort"
HEALTH_CHECK_PATH = "HealthCheckPath"
HEALTH_CHECK_INTERVAL = "HealthCheckIntervalSeconds"
HEALTH_CHECK_TIMEOUT = "HealthCheckTimeoutSeconds"
HEALTHY_THRESHOLD = "HealthyThresholdCount"
UNHEALTHY_THRESHOLD = "UnhealthyThresholdCount"
HEALTH_CHECK_SUCCESS_CODES = "HealthCheckSuccessCodes"
TASK_CPU = "TaskCpu"
TASK_MEMORY = "TaskMemory"
CPU_ARCHITECTURE = "CpuArchitecture"
CAPACITY_PROVIDER = "CapacityProvider"
DESIRED_COUNT = "DesiredCount"
MIN_CAPACITY = "MinCapacity"
MAX_CAPACITY = "MaxCapacity"
CPU_TARGET_UTILIZATION = "CpuTargetUtilization"  # 0: no CPU target tracking
MEMORY_TARGET_UTILIZATION = "MemoryTargetUtilization"  # 0: no memory target tracking
REQUESTS_PER_TARGET = "RequestsPerTarget"  # 0: none; only with a target group
# The rollback alarms' (GROUP_OPERATIONS; only with a target group).
ALARM_TOPIC_ARN = "AlarmTopicArn"  # empty: no notification
ERROR_RATE_ALARM_PERCENT = "ErrorRateAlarmPercent"
HEALTH_CHECK_GRACE_PERIOD = "HealthCheckGracePeriodSeconds"
LOAD_BALANCER_TYPE = "LoadBalancerType"
CERTIFICATE_ARN = "CertificateArn"
ALLOWED_INGRESS_CIDR = "AllowedIngressCidr"
DELETION_PROTECTION = "DeletionProtection"
HTTPS_ONLY = "HttpsOnly"
WEB_ACL_ARN = "WebAclArn"  # empty: no AWS WAF web ACL
# 0: no Strict-Transport-Security header; else its max-age, added by the HTTPS listener
STRICT_TRANSPORT_SECURITY_MAX_AGE = "StrictTransportSecurityMaxAge"
NO_STRICT_TRANSPORT_SECURITY = "0"  # its value for no header, which conditions and rules test
DEREGISTRATION_DELAY = "DeregistrationDelaySeconds"
ENABLE_EXECUTE_COMMAND = "EnableExecuteCommand"
LOG_RETENTION_DAYS_PARAMETER = "LogRetentionDays"
# What a console user gives the application (GROUP_APPLICATION): each optional, nothing by default.
ENVIRONMENT_FILE_ARN = "EnvironmentFileArn"
SECRET_ARN_PARAMETER = "SecretArn"
SECRET_VARIABLE_NAME = "SecretVariableName"
TASK_ROLE_MANAGED_POLICY_ARNS = "TaskRoleManagedPolicyArns"
EXTRA_EGRESS_PORT = "ExtraEgressPort"
EXTRA_EGRESS_SECURITY_GROUP_ID = "ExtraEgressSecurityGroupId"
EXTRA_EGRESS_CIDR = "ExtraEgressCidr"
# How a new revision takes over (GROUP_DEPLOYMENT; only with a target group).
DEPLOYMENT_STRATEGY = "DeploymentStrategy"
DEPLOYMENT_BAKE_TIME = "DeploymentBakeTimeMinutes"
CANARY_PERCENT = "CanaryPercent"
CANARY_BAKE_TIME = "CanaryBakeTimeMinutes"
LINEAR_STEP_PERCENT = "LinearStepPercent"
LINEAR_STEP_BAKE_TIME = "LinearStepBakeTimeMinutes"
TEST_LISTENER_PORT = "TestListenerPort"  # 0: none; only with a load balancer of its own

# Joining an environment (GROUP_ENVIRONMENT): the environment's outputs of the same names, each
# empty by default (ClusterName empty: the service's own cluster and load balancer, as before).
CLUSTER_NAME = "ClusterName"
LISTENER_ARN = "ListenerArn"
LOAD_BALANCER_SECURITY_GROUP_ID = "LoadBalancerSecurityGroupId"
ENVIRONMENT_SECURITY_GROUP_ID = "EnvironmentSecurityGroupId"
NAMESPACE_ARN = "NamespaceArn"
ENVIRONMENT_URL = "EnvironmentUrl"
JOIN_PARAMETERS: tuple[str, ...] = (
    CLUSTER_NAME,
    LISTENER_ARN,
    LOAD_BALANCER_SECURITY_GROUP_ID,
    ENVIRONMENT_SECURITY_GROUP_ID,
    NAMESPACE_ARN,
    ENVIRONMENT_URL,
)
# How the shipped service is reached in an environment (a spec's services have these built in).
EXPOSE = "Expose"
LISTENER_RULE_PRIORITY = "ListenerRulePriority"
LISTENER_RULE_PATH = "ListenerRulePath"
LISTENER_RULE_HOST = "ListenerRuleHost"
SERVICE_CONNECT_NAME = "ServiceConnectName"
# The application protocol Service Connect serves an internal service by (empty: TCP).
SERVICE_CONNECT_APP_PROTOCOL = "ServiceConnectAppProtocol"
ROUTING_PARAMETERS: tuple[str, ...] = (
    EXPOSE,
    LISTENER_RULE_PRIORITY,
    LISTENER_RULE_PATH,
    LISTENER_RULE_HOST,
    SERVICE_CONNECT_NAME,
    SERVICE_CONNECT_APP_PROTOCOL,
)

# Parameters a live service can take a new value of only with a forced new deployment.
FORCE_DEPLOYMENT_ON_CHANGE: tuple[str, ...] = (CAPACITY_PROVIDER,)

# --- Conditions -------------------------------------------------------------------------------
IS_APPLICATION = "IsApplicationLoadBalancer"
HAS_CERTIFICATE = "HasCertificate"
HTTP_LISTENER_PORT_OPEN = "HttpPortOpen"
EXECUTE_COMMAND_ENABLED = "ExecuteCommandEnabled"
HAS_HEALTH_CHECK_TIMEOUT = "HasHealthCheckTimeout"  # not 0: ELB's default
HAS_DESIRED_COUNT = "HasDesiredCount"
HAS_CPU_SCALING = "HasCpuScaling"
HAS_ALARM_TOPIC = "HasAlarmTopic"
HAS_ERROR_RATE_ALARM = "HasErrorRateAlarm"  # behind an application load balancer
HAS_MEMORY_SCALING = "HasMemoryScaling"
HAS_REQUEST_SCALING = "HasRequestScaling"  # DesiredCount above 0: set on every create and update
IS_CHINA = "IsChinaPartition"
ELB_LOGS_FROM_SERVICE_PRINCIPAL = "ElbLogDeliveryByServicePrincipal"
HAS_CONTAINER_USER = "HasContainerUser"
HAS_ENVIRONMENT_FILE = "HasEnvironmentFile"
HAS_SECRET = "HasSecret"
HAS_TASK_ROLE_MANAGED_POLICIES = "HasTaskRoleManagedPolicies"
HAS_WEB_ACL = "HasWebAcl"  # a web ACL in front of a load balancer of its own (application)
# the HTTPS listeners of an application load balancer of its own add Strict-Transport-Security
HAS_STRICT_TRANSPORT_SECURITY = "HasStrictTransportSecurity"
HAS_EXTRA_EGRESS_PORT = "HasExtraEgressPort"
EXTRA_EGRESS_TO_SECURITY_GROUP = "ExtraEgressToSecurityGroup"
EXTRA_EGRESS_TO_CIDR = "ExtraEgressToCidr"
# Where the shipped service runs (placement.py): on its own, or in an environment.
STANDALONE = "Standalone"
JOINS_ENVIRONMENT = "JoinsEnvironment"
PUBLIC_IN_ENVIRONMENT = "PublicInEnvironment"
INTERNAL_IN_ENVIRONMENT = "InternalInEnvironment"
HAS_TARGET_GROUP = "HasTargetGroup"
# An internal service in an environment with a ServiceConnectAppProtocol: its port mapping's.
HAS_SERVICE_CONNECT_APP_PROTOCOL = "HasServiceConnectAppProtocol"
HAS_LISTENER_RULE_PATH = "HasListenerRulePath"
HAS_LISTENER_RULE_HOST = "HasListenerRuleHost"
# The deployment strategy (deployment.py): traffic shifting needs a second target group.
SHIFTS_TRAFFIC = "ShiftsTraffic"
IS_CANARY = "IsCanaryDeployment"
IS_LINEAR = "IsLinearDeployment"
HAS_PRODUCTION_LISTENER_RULE = "HasProductionListenerRule"  # its own application LB
HAS_TEST_LISTENER = "HasTestListener"
HAS_TEST_LISTENER_RULE = "HasTestListenerRule"  # its own application LB
HAS_ALTERNATE_ERROR_RATE_ALARM = "HasAlternateErrorRateAlarm"


# --- Rules ------------------------------------------------------------------------------------
def rule_task_size(cpu: int) -> str:
    return f"FargateMemoryFor{cpu}Cpu"


CONTAINER_PORT_NOT_A_SIDECAR_PORT = "ContainerPortNotASidecarPort"  # only with sidecar ports
HTTPS_ONLY_NEEDS_A_CERTIFICATE = "HttpsOnlyNeedsACertificate"
# AWS WAF protects application load balancers, not network ones.
WEB_ACL_NEEDS_AN_APPLICATION_LOAD_BALANCER = "WebAclNeedsAnApplicationLoadBalancer"
STRICT_TRANSPORT_SECURITY_NEEDS_HTTPS = "StrictTransportSecurityNeedsHttps"
EXTRA_EGRESS_NEEDS_ONE_DESTINATION = "ExtraEgressPortNeedsOneDestination"
MANAGED_POLICY_ARNS_WITHOUT_GAPS = "TaskRoleManagedPolicyArnsWithoutGaps"
EXTRA_EGRESS_DESTINATION_NEEDS_PORT = "ExtraEgressDestinationNeedsPort"
# The shipped template's placement: what joining an environment needs, and what it refuses.
EXPOSE_NEEDS_AN_ENVIRONMENT = "ExposeNeedsAnEnvironment"
JOINING_NEEDS_THE_ENVIRONMENT = "JoiningNeedsTheEnvironment"
PUBLIC_SERVICE_NEEDS_A_RULE = "PublicServiceNeedsAListenerRule"
INTERNAL_SERVICE_NEEDS_A_NAME = "InternalServiceNeedsAServiceConnectName"
ONLY_PUBLIC_SERVICES_HAVE_RULES = "OnlyPublicServicesHaveListenerRules"
ONLY_INTERNAL_SERVICES_HAVE_A_NAME = "OnlyInternalServicesHaveAServiceConnectName"
APP_PROTOCOL_NEEDS_AN_INTERNAL_SERVICE = "ServiceConnectAppProtocolNeedsAnInternalService"
# Only for a spec's service of several listener rules.
SEVERAL_RULES_NEED_ROLLING = "SeveralListenerRulesNeedRollingDeployments"
# Only for a spec's public service served through Service Connect as well (connect).
CONNECT_NEEDS_ROLLING = "ConnectNeedsRollingDeployments"
# Only when the application names environment variables or secrets of its own.
SECRET_VARIABLE_NAME_NOT_TAKEN = "SecretVariableNameNotTaken"
# Only with a target group: CloudFormation's rules cannot compare two numbers, so one assertion
# lists the timeouts each interval allows.
HEALTH_CHECK_TIMEOUT_BELOW_INTERVAL = "HealthCheckTimeoutShorterThanInterval"
# The shipped template: RequestsPerTarget needs an application load balancer's target group.
REQUEST_SCALING_NEEDS_AN_APPLICATION_LOAD_BALANCER = "RequestScalingNeedsAnApplicationLoadBalancer"
REQUEST_SCALING_NEEDS_A_PUBLIC_SERVICE = "RequestScalingNeedsAPublicService"
# Every template with a target group: a traffic-shifting deployment moves the live tasks to the
# alternate target group, whose requests the policy does not count.
REQUEST_SCALING_NEEDS_ROLLING_DEPLOYMENTS = "RequestScalingNeedsRollingDeployments"
# The shipped template: a traffic-shifting strategy needs load balancer traffic; a test listener
# needs such a strategy, a certificate, a load balancer of its own, and a port its listeners
# leave free.
STRATEGY_NEEDS_LOAD_BALANCER_TRAFFIC = "DeploymentStrategyNeedsLoadBalancerTraffic"
TEST_LISTENER_NEEDS_TRAFFIC_SHIFTING = "TestListenerNeedsATrafficShiftingStrategy"
TEST_LISTENER_NEEDS_A_CERTIFICATE = "TestListenerNeedsACertificate"
TEST_LISTENER_NEEDS_OWN_LOAD_BALANCER = "TestListenerNeedsALoadBalancerOfItsOwn"
TEST_LISTENER_PORT_IS_FREE = "TestListenerPortIsFree"


# --- Mappings ---------------------------------------------------------------------------------
ELB_ACCOUNTS = "ElbLogDeliveryAccounts"
CONSOLE_HOSTS = "ConsoleHosts"  # the AWS console's host per partition (the dashboard's link)
# Per TaskMemory, the application container's hard limit beside the Service Connect proxy.
SERVICE_CONNECT_TASK_MEMORY = "ServiceConnectTaskMemory"

# --- Resources --------------------------------------------------------------------------------
CLUSTER = "Cluster"
LOG_GROUP = "LogGroup"
EXECUTION_ROLE = "TaskExecutionRole"
TASK_ROLE = "TaskRole"
EXECUTE_COMMAND_POLICY = "EcsExec"  # inline policy of the task role
APPLICATION_POLICY = "Application"  # inline policy of the task role: the application's statements
ENVIRONMENT_FILE_POLICY = "ReadEnvironmentFile"  # inline policies of the execution role, each
SECRET_ARN_POLICY = "ReadSecretArn"  # only when its parameter is given
TASK_DEFINITION = "TaskDefinition"
LOAD_BALANCER_SECURITY_GROUP = "LoadBalancerSecurityGroup"
LOAD_BALANCER_HTTP_INGRESS = "LoadBalancerHttpIngress"
LOAD_BALANCER_HTTPS_INGRESS = "LoadBalancerHttpsIngress"
LOAD_BALANCER_EGRESS_TO_TASKS = "LoadBalancerEgressToTasks"
# Only with a health check port of its own (a spec's target_health.port).
LOAD_BALANCER_EGRESS_TO_HEALTH_CHECK = "LoadBalancerEgressToHealthCheckPort"
TASK_SECURITY_GROUP = "TaskSecurityGroup"
TASK_EXTRA_EGRESS_TO_SECURITY_GROUP = "TaskExtraEgressToSecurityGroup"
TASK_EXTRA_EGRESS_TO_CIDR = "TaskExtraEgressToCidr"
ACCESS_LOGS_BUCKET = "AccessLogsBucket"
ACCESS_LOGS_BUCKET_POLICY = "AccessLogsBucketPolicy"
LOAD_BALANCER = "LoadBalancer"
TARGET_GROUP = "TargetGroup"
HTTP_LISTENER = "HttpListener"
HTTPS_LISTENER = "HttpsListener"
WEB_ACL_ASSOCIATION = "WebAclAssociation"  # only with WebAclArn
LISTENER_RULE = "ListenerRule"  # on the environment's listener


def listener_rule_title(number: int, priority: int) -> str:
    """The logical ID of a spec's service's listener rule ``number`` (from 0) of ``priority``:
    ``ListenerRule`` for the first, the service's main rule (its URL's); the others by their
    priority, ``ListenerRule11``, so that adding, removing or reordering them leaves the others
    as they are (a position would move every rule after it, and the load balancer refuses a
    priority another rule still holds)."""
    return LISTENER_RULE if number == 0 else f"{LISTENER_RULE}{priority}"


def is_listener_rule_title(title: str) -> bool:
    """Whether ``title`` is the logical ID of a rule :func:`listener_rule_title` names."""
    rest = title.removeprefix(LISTENER_RULE)
    return title.startswith(LISTENER_RULE) and (rest == "" or rest.isdigit())


LISTENERS_READY = "ListenersReady"
SERVICE = "Service"
SCALABLE_TARGET = "ScalableTarget"
CPU_SCALING_POLICY = "CpuScalingPolicy"
MEMORY_SCALING_POLICY = "MemoryScalingPolicy"
UNHEALTHY_TARGETS_ALARM = "UnhealthyTargetsAlarm"
DASHBOARD = "Dashboard"
ERROR_RATE_ALARM = "ErrorRateAlarm"
REQUEST_SCALING_POLICY = "RequestScalingPolicy"
QUEUE_SCALING_POLICY = "QueueScalingPolicy"  # only with a queue to scale on (a spec's)
# Only under a traffic-shifting strategy (deployment.py).
ALTERNATE_TARGET_GROUP = "AlternateTargetGroup"
PRODUCTION_LISTENER_RULE = "ProductionListenerRule"  # on its own application LB's listener
TEST_LISTENER = "TestListener"
TEST_LISTENER_RULE = "TestListenerRule"
LOAD_BALANCER_TEST_INGRESS = "LoadBalancerTestIngress"
DEPLOYMENT_ROLE = "DeploymentRole"  # ECS's infrastructure role for the load balancer
ALTERNATE_UNHEALTHY_TARGETS_ALARM = "AlternateUnhealthyTargetsAlarm"
ALTERNATE_ERROR_RATE_ALARM = "AlternateErrorRateAlarm"

# --- Outputs ----------------------------------------------------------------------------------
OUTPUT_SERVICE_URL = "ServiceUrl"
OUTPUT_LOAD_BALANCER_DNS_NAME = "LoadBalancerDnsName"
OUTPUT_CLUSTER_NAME = "ClusterName"
OUTPUT_SERVICE_NAME = "ServiceName"
OUTPUT_TASK_SECURITY_GROUP_ID = "TaskSecurityGroupId"
OUTPUT_LOG_GROUP_NAME = "LogGroupName"
OUTPUT_DASHBOARD_URL = "DashboardUrl"
OUTPUT_TEST_URL = "TestUrl"  # only with a test listener

# --- Console groups ---------------------------------------------------------------------------
GROUP_NETWORK = "Network (where the service runs)"
GROUP_ENVIRONMENT = "Environment (join a shared load balancer and cluster)"
GROUP_CONTAINER = "Container"
GROUP_APPLICATION = "Application (configuration, secrets, permissions)"
GROUP_SCALING = "Capacity and scaling"
GROUP_LOAD_BALANCER = "Load balancer"
GROUP_DEPLOYMENT = "Deployment (rolling, canary, linear, blue/green)"
GROUP_OPERATIONS = "Operations"
