"""The catalog layer, ``catalog.yaml``: an AWS Service Catalog portfolio with one product whose
provisioning artifact is the published ``root.yaml``.

Resources: the portfolio, the product (its first provisioning artifact loads
``https://<bucket>.s3.<region>.<url suffix>/<prefix><version>/root.yaml``), their association, a
launch role that Service Catalog assumes to create, update and delete what the product deploys,
the launch-role constraint, and the association of one IAM principal (who may launch it).

The launch role reads templates only from the template bucket and prefix. Service Catalog names
the stacks it launches ``SC-<account>-pp-<id>``, and CloudFormation derives the names of the
roles, log groups and buckets of those stacks from the stack name, so the role may create and
delete IAM roles, log groups and buckets with those prefixes only. EC2, ECS, Elastic Load
Balancing and Application Auto Scaling do not support narrower resources for creating the
resources the product needs; the role gets exactly the actions the templates use.

Parameters: ``TemplateBucketName``, ``TemplateKeyPrefix``, ``PrincipalArn``, ``ProviderName``.
Outputs: ``PortfolioId``, ``ProductId``, ``LaunchRoleArn``.
"""

from __future__ import annotations

import json
from types import ModuleType

from awacs import (
    application_autoscaling,
    autoscaling,
    awslambda,
    cloudformation,
    cloudwatch,
    ec2,
    ecs,
    elasticloadbalancing,
    iam,
    logs,
    route53,
    s3,
    wafv2,
)
from awacs.aws import (
    Action,
    Allow,
    PolicyDocument,
    Statement,
    StringEquals,
    StringLike,
)
from awacs.aws import Condition as PolicyCondition
from troposphere import Equals, GetAtt, If, Not, Parameter, Ref, Sub, Template, servicecatalog
from troposphere import iam as iam_resources

from ..errors import expect_version
from . import service
from .blocks import add_exported_output, add_parameter, plain_service_trust, suppress
from .root import FILENAME as ROOT_FILENAME
from .root import (
    TEMPLATE_BUCKET_NAME,
    TEMPLATE_BUCKET_PER_REGION,
    TEMPLATE_KEY_PREFIX,
    add_template_location_parameters,
    template_url,
)

LAYER = "catalog"
FILENAME = "catalog.yaml"

# --- Parameters -------------------------------------------------------------------------------
PRINCIPAL_ARN = "PrincipalArn"
PROVIDER_NAME = "ProviderName"
PORTFOLIO_DISPLAY_NAME = "PortfolioDisplayName"

# "DisplayName ... Maximum: 100" (AWS::ServiceCatalog::Portfolio): the default display name,
# the stack's name and PORTFOLIO_SUFFIX, fits a stack name of 83 characters (they take 128).
MAX_DISPLAY_NAME = 100
PORTFOLIO_SUFFIX = " Fargate services"

# --- Conditions -------------------------------------------------------------------------------
HAS_PORTFOLIO_DISPLAY_NAME = "HasPortfolioDisplayName"

PRINCIPAL_PATTERN = (
    r"^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(role|user|group)/[A-Za-z0-9+=,.@_/-]{1,512}$"
)

# --- Resources --------------------------------------------------------------------------------
PORTFOLIO = "Portfolio"
PRODUCT = "Product"
PORTFOLIO_PRODUCT_ASSOCIATION = "PortfolioProductAssociation"
LAUNCH_ROLE = "LaunchRole"
LAUNCH_ROLE_CONSTRAINT = "LaunchRoleConstraint"
TEMPLATE_LOCATION_CONSTRAINT = "TemplateLocationConstraint"
PRINCIPAL_ASSOCIATION = "PrincipalAssociation"

# --- Outputs ----------------------------------------------------------------------------------
OUTPUT_PORTFOLIO_ID = "PortfolioId"
OUTPUT_PRODUCT_ID = "ProductId"
OUTPUT_LAUNCH_ROLE_ARN = "LaunchRoleArn"

GROUP_CATALOG = "Service Catalog"

# A version's (provisioning artifact's) description: where its root.yaml is. Service Catalog
# lists a product's versions by name and description, not by template URL, and a spec build
# carries the package's version under a prefix of each release's own: by this, publish
# --catalog-product-id tells the version a product has from another build of the same name.
ARTIFACT_DESCRIPTION = "troposphere_fargate {version} from s3://{bucket}/{prefix}{version}/{file}"

# Names CloudFormation gives what a Service Catalog launch creates: stacks SC-<account>-pp-<id>,
# and roles, log groups ("<stack name>-<logical id>-<suffix>") and buckets (the same, in lower
# case) derived from them.
LAUNCHED_NAME_PREFIX = "SC-"


def _actions(module: ModuleType, names: str) -> list[Action]:
    """awacs actions by name; a misspelt name fails when this module is imported."""
    return [getattr(module, name) for name in names.split()]


# A stack update that fails rolls back: "make sure that you have cancel update stack
# permissions, which are required if an update rolls back" (AWS::CloudFormation::Stack,
# CloudFormation Template Reference), and a rollback that fails continues with
# ContinueUpdateRollback. A provisioned product plan is a change set of the launched stack.
STACK_ACTIONS = _actions(
    cloudformation,
    "CreateStack DeleteStack UpdateStack DescribeStacks DescribeStackEvents "
    "DescribeStackResource DescribeStackResources ListStackResources GetTemplate "
    "SetStackPolicy TagResource UntagResource CancelUpdateStack ContinueUpdateRollback "
    "CreateChangeSet DescribeChangeSet ExecuteChangeSet DeleteChangeSet ListChangeSets "
    # Each resource type's read handler, which an update calls ("CloudFormation invokes this
    # handler as part of a stack update operation when detailed information about the
    # resource's current state is required", CloudFormation CLI User Guide, "Developing
    # resource types"): here and in the lists below.
    "GetStackPolicy",
)
TEMPLATE_INSPECTION_ACTIONS = _actions(cloudformation, "GetTemplateSummary ValidateTemplate")
NETWORK_ACTIONS = _actions(
    ec2,
    "CreateVpc DeleteVpc ModifyVpcAttribute DescribeVpcs DescribeVpcAttribute "
    "CreateSubnet DeleteSubnet ModifySubnetAttribute DescribeSubnets "
    "CreateInternetGateway DeleteInternetGateway AttachInternetGateway DetachInternetGateway "
    "DescribeInternetGateways CreateRouteTable DeleteRouteTable AssociateRouteTable "
    "DisassociateRouteTable DescribeRouteTables CreateRoute DeleteRoute ReplaceRoute "
    "AllocateAddress ReleaseAddress DescribeAddresses CreateNatGateway DeleteNatGateway "
    "DescribeNatGateways CreateVpcEndpoint DeleteVpcEndpoints ModifyVpcEndpoint "
    "DescribeVpcEndpoints DescribePrefixLists CreateSecurityGroup DeleteSecurityGroup "
    "DescribeSecurityGroups AuthorizeSecurityGroupIngress RevokeSecurityGroupIngress "
    "AuthorizeSecurityGroupEgress RevokeSecurityGroupEgress CreateFlowLogs DeleteFlowLogs "
    "DescribeFlowLogs CreateTags DeleteTags DescribeAvailabilityZones "
    "DescribeAccountAttributes DescribeNetworkInterfaces AssociateAddress DisassociateAddress "
    "DescribeSecurityGroupRules UpdateSecurityGroupRuleDescriptionsIngress "
    "UpdateSecurityGroupRuleDescriptionsEgress ReplaceRouteTableAssociation DescribeTags "
    "DescribeInstances DescribeIpamPools DescribeNetworkAcls DescribeVpcEncryptionControls",
) + _actions(
    route53,
    # An interface endpoint with private DNS associates the VPC with the private hosted zone
    # that answers for the service's name: ec2:CreateVpcEndpoint's dependent action in the
    # Service Authorization Reference (tests/layers/test_iam_actions.py).
    "AssociateVPCWithHostedZone",
)
CONTAINER_ACTIONS = _actions(
    ecs,
    "CreateCluster DeleteCluster DescribeClusters UpdateCluster UpdateClusterSettings "
    "PutClusterCapacityProviders RegisterTaskDefinition DeregisterTaskDefinition "
    "DescribeTaskDefinition CreateService UpdateService DeleteService DescribeServices "
    "TagResource UntagResource ListTagsForResource DescribeServiceDeployments "
    "ListServiceDeployments StopServiceDeployment",
)
LOAD_BALANCER_ACTIONS = _actions(
    elasticloadbalancing,
    "CreateLoadBalancer DeleteLoadBalancer DescribeLoadBalancers "
    "ModifyLoadBalancerAttributes DescribeLoadBalancerAttributes SetSecurityGroups "
    "CreateTargetGroup DeleteTargetGroup DescribeTargetGroups ModifyTargetGroup "
    "ModifyTargetGroupAttributes DescribeTargetGroupAttributes CreateListener DeleteListener "
    "DescribeListeners ModifyListener AddTags RemoveTags DescribeTags DescribeListenerAttributes "
    "ModifyListenerAttributes DescribeTargetHealth RegisterTargets DeregisterTargets SetSubnets "
    "SetIpAddressType DescribeCapacityReservation "
    # The production and test listener rules of a canary, linear or blue/green deployment.
    "CreateRule DeleteRule ModifyRule DescribeRules "
    # WebAclArn: what AWS WAF calls on the load balancer's side to associate a web ACL (the
    # dependent actions of wafv2:AssociateWebACL and DisassociateWebACL); SetWebAcl accepts
    # no narrower resource.
    "SetWebAcl CreateWebACLAssociation DeleteWebACLAssociation GetLoadBalancerWebACL",
)
# WebAclArn: associating the account's web ACL with the launch's application load balancer.
WEB_ACL_ACTIONS = _actions(
    wafv2, "AssociateWebACL DisassociateWebACL GetWebACLForResource GetWebACL"
)
SCALING_ACTIONS = _actions(
    application_autoscaling,
    "RegisterScalableTarget DeregisterScalableTarget DescribeScalableTargets "
    "PutScalingPolicy DeleteScalingPolicy DescribeScalingPolicies TagResource UntagResource "
    "ListTagsForResource DescribeScheduledActions PutScheduledAction DeleteScheduledAction",
) + _actions(
    cloudwatch,
    # The service's rollback alarms and dashboard, and the scaling policies' own alarms.
    "PutMetricAlarm DeleteAlarms DescribeAlarms GetMetricData TagResource UntagResource "
    "ListTagsForResource PutDashboard DeleteDashboards GetDashboard",
)
# Reads that CloudFormation's handlers make and that accept no narrower resource.
LOOKUP_ACTIONS = (
    _actions(logs, "DescribeLogGroups DescribeResourcePolicies DescribeIndexPolicies")
    + _actions(logs, "CreateLogDelivery DeleteLogDelivery")
    + [autoscaling.DescribeTags]
)
ROLE_ACTIONS = _actions(
    iam,
    "CreateRole DeleteRole GetRole TagRole UntagRole UpdateAssumeRolePolicy PutRolePolicy "
    "DeleteRolePolicy GetRolePolicy ListRolePolicies ListAttachedRolePolicies DetachRolePolicy "
    "UpdateRole UpdateRoleDescription",
)
# network.yaml's function that empties the VPC's default security group, and the custom resource
# CloudFormation answers by invoking it "as the stack's execution role": the launch role.
FUNCTION_ACTIONS = _actions(
    awslambda,
    "CreateFunction DeleteFunction GetFunction UpdateFunctionCode UpdateFunctionConfiguration "
    "TagResource UntagResource GetFunctionCodeSigningConfig GetFunctionRecursionConfig "
    "PutFunctionRecursionConfig GetRuntimeManagementConfig PutRuntimeManagementConfig "
    "InvokeFunction GetFunctionScalingConfig",
)
LOG_GROUP_ACTIONS = _actions(
    logs,
    "CreateLogGroup DeleteLogGroup PutRetentionPolicy DeleteRetentionPolicy TagResource "
    "UntagResource TagLogGroup ListTagsForResource GetDataProtectionPolicy",
)
BUCKET_ACTIONS = _actions(
    s3,
    "CreateBucket DeleteBucket PutBucketPolicy DeleteBucketPolicy GetBucketPolicy "
    "PutEncryptionConfiguration GetEncryptionConfiguration PutBucketPublicAccessBlock "
    "GetBucketPublicAccessBlock PutBucketOwnershipControls GetBucketOwnershipControls "
    "PutBucketVersioning GetBucketVersioning PutLifecycleConfiguration "
    "GetLifecycleConfiguration PutBucketTagging GetBucketTagging ListBucket GetBucketAcl "
    "TagResource UntagResource "
    # The bucket's read handler reads every configuration a bucket can have, set or not.
    "GetAccelerateConfiguration GetAnalyticsConfiguration GetBucketCORS "
    "GetInventoryConfiguration GetBucketLogging GetMetricsConfiguration GetBucketNotification "
    "GetReplicationConfiguration GetBucketWebsite GetBucketObjectLockConfiguration "
    "ListTagsForResource GetBucketAbac GetIntelligentTieringConfiguration "
    "GetBucketMetadataTableConfiguration",
)


def catalog_template(version: str) -> Template:
    """Build the catalog layer for the root template published under ``version``."""
    expect_version(version, "catalog_template(version)")
    t = Template(
        Description=(
            "Service Catalog portfolio and product that launch the Fargate service template "
            "(root.yaml) with a least-privilege launch role"
        )
    )
    add_template_location_parameters(t, version)
    principal, provider = _add_parameters(t)
    portfolio, product, association = _add_portfolio_and_product(t, version, provider)
    launch_role = _add_launch_role(t)
    _add_constraints(t, portfolio, product, association, launch_role)
    t.add_resource(
        servicecatalog.PortfolioPrincipalAssociation(
            PRINCIPAL_ASSOCIATION,
            PortfolioId=Ref(portfolio),
            PrincipalARN=Ref(principal),
            PrincipalType="IAM",
        )
    )
    _add_outputs(t, portfolio, product, launch_role)
    return t


def _add_parameters(t: Template) -> tuple[Parameter, Parameter]:
    """Who may launch the product, and the provider name users see."""
    principal = add_parameter(
        t,
        PRINCIPAL_ARN,
        group=GROUP_CATALOG,
        label="Who may launch it (IAM role, user or group ARN)",
        description="IAM principal given access to the portfolio, such as a developers' role.",
        Type="String",
        AllowedPattern=PRINCIPAL_PATTERN,
        ConstraintDescription="must be the ARN of an IAM role, user or group",
    )
    provider = add_parameter(
        t,
        PROVIDER_NAME,
        group=GROUP_CATALOG,
        label="Provider name",
        description="Shown to users as the portfolio's provider and the product's owner.",
        Type="String",
        Default="Platform team",
        MinLength=1,
        MaxLength=50,
        AllowedPattern=r"^[^\x00-\x1f]+$",
        ConstraintDescription="must be 1-50 printable characters",
    )

    return principal, provider


def _add_portfolio_and_product(
    t: Template, version: str, provider: Parameter
) -> tuple[
    servicecatalog.Portfolio,
    servicecatalog.CloudFormationProduct,
    servicecatalog.PortfolioProductAssociation,
]:
    """The portfolio, the product whose first provisioning artifact is this version's root."""
    add_parameter(
        t,
        PORTFOLIO_DISPLAY_NAME,
        group=GROUP_CATALOG,
        label="Portfolio name (optional)",
        description=(
            f"The portfolio's name in the Service Catalog console. Empty: the stack's name and "
            f"'{PORTFOLIO_SUFFIX.strip()}', which a portfolio takes for stack names of up to "
            f"{MAX_DISPLAY_NAME - len(PORTFOLIO_SUFFIX)} characters: give one for a longer "
            "stack name."
        ),
        Type="String",
        Default="",
        MaxLength=MAX_DISPLAY_NAME,
        AllowedPattern=r"^[^\x00-\x1f]*$",
        ConstraintDescription=f"must be up to {MAX_DISPLAY_NAME} printable characters",
    )
    t.add_condition(HAS_PORTFOLIO_DISPLAY_NAME, Not(Equals(Ref(PORTFOLIO_DISPLAY_NAME), "")))
    portfolio = t.add_resource(
        servicecatalog.Portfolio(
            PORTFOLIO,
            DisplayName=If(
                HAS_PORTFOLIO_DISPLAY_NAME,
                Ref(PORTFOLIO_DISPLAY_NAME),
                Sub("${AWS::StackName}" + PORTFOLIO_SUFFIX),
            ),
            ProviderName=Ref(provider),
            Description="Containers on AWS Fargate in private subnets, behind a load balancer",
        )
    )
    product = t.add_resource(
        servicecatalog.CloudFormationProduct(
            PRODUCT,
            Name=Sub("${AWS::StackName} Fargate service"),
            Owner=Ref(provider),
            Description=(
                "A container image from ECR run as a Fargate service without public IPs, in a "
                "new VPC, behind an internet-facing load balancer"
            ),
            ProvisioningArtifactParameters=[
                servicecatalog.ProvisioningArtifactProperties(
                    Name=version,
                    Description=Sub(
                        ARTIFACT_DESCRIPTION.format(
                            version=version,
                            bucket=f"${{{TEMPLATE_BUCKET_NAME}}}",
                            prefix=f"${{{TEMPLATE_KEY_PREFIX}}}",
                            file=ROOT_FILENAME,
                        )
                    ),
                    Type="CLOUD_FORMATION_TEMPLATE",
                    Info=servicecatalog.Info(
                        LoadTemplateFromURL=template_url(version, ROOT_FILENAME)
                    ),
                )
            ],
        )
    )
    association = t.add_resource(
        servicecatalog.PortfolioProductAssociation(
            PORTFOLIO_PRODUCT_ASSOCIATION, PortfolioId=Ref(portfolio), ProductId=Ref(product)
        )
    )
    return portfolio, product, association


def _add_launch_role(t: Template) -> iam_resources.Role:
    """The role Service Catalog launches with: the product's own, least-privilege."""
    launch_role = t.add_resource(
        iam_resources.Role(
            LAUNCH_ROLE,
            # No aws:SourceAccount condition: Service Catalog's documented launch role trust has
            # none, and a key it does not send would fail launches.
            AssumeRolePolicyDocument=plain_service_trust("servicecatalog.amazonaws.com"),
            Policies=[
                iam_resources.Policy(
                    PolicyName="LaunchFargateService", PolicyDocument=_launch_policy()
                )
            ],
        )
    )
    suppress(
        launch_role,
        checkov={
            "CKV_AWS_111": (
                "the role creates, changes and deletes the launch's EC2, ECS, Elastic Load "
                "Balancing, Application Auto Scaling and CloudWatch (alarms, dashboard) "
                "resources, whose IDs or names are made at creation, associates its VPC with "
                "the Route 53 zones of interface endpoints AWS makes, and manages log "
                "deliveries, which take no narrower resource: no ARN can name them beforehand "
                "(nor are they scoped by tag); every action is listed by name, and roles, "
                "functions, log groups, buckets and stacks are scoped to the SC- names Service "
                "Catalog launches"
            )
        },
    )
    return launch_role


# Every parameter of the root's "Template location" group, with the one value a launch may give
# it (the rules go through Fn::Sub: ${...} is the catalog's own parameter). TemplateBucketName
# names the catalog's bucket in its region, so no "-<region>" may be added to it: with
# TemplateBucketPerRegion a user would name a bucket nobody reserved, which they could create
# and fill with templates the launch role runs.
CATALOG_TEMPLATE_LOCATION = {
    TEMPLATE_BUCKET_NAME: f"${{{TEMPLATE_BUCKET_NAME}}}",
    TEMPLATE_KEY_PREFIX: f"${{{TEMPLATE_KEY_PREFIX}}}",
    TEMPLATE_BUCKET_PER_REGION: "false",
}


def _add_constraints(
    t: Template,
    portfolio: servicecatalog.Portfolio,
    product: servicecatalog.CloudFormationProduct,
    association: servicecatalog.PortfolioProductAssociation,
    launch_role: iam_resources.Role,
) -> None:
    """Launch with the launch role, and from the catalog's own template location only."""
    t.add_resource(
        servicecatalog.LaunchRoleConstraint(
            LAUNCH_ROLE_CONSTRAINT,
            # The constraint applies to a product in a portfolio: the association comes first.
            DependsOn=[association.title],
            PortfolioId=Ref(portfolio),
            ProductId=Ref(product),
            RoleArn=GetAtt(launch_role, "Arn"),
            Description="Launch with the product's own least-privilege role",
        )
    )
    # Users must not point the launch role at templates of their own: each of the root's
    # template location parameters may only take this catalog's value (the console shows it
    # as a one-item choice).
    location_rules = {
        "TemplateLocationIsTheCatalogs": {
            "Assertions": [
                {
                    "Assert": {"Fn::Contains": [[value], {"Ref": name}]},
                    "AssertDescription": f"{name} is set by the catalog",
                }
                for name, value in sorted(CATALOG_TEMPLATE_LOCATION.items())
            ]
        },
        # The launch role may write the roles it creates, so a launching user who could name
        # a secret, an environment file or managed policies would grant their own image what
        # they may not read themselves. In a catalog those come from the platform team's
        # build (an application spec), not from the user.
        "NothingTheLaunchRoleWouldGrant": {
            "Assertions": [
                {
                    "Assert": {"Fn::Equals": [{"Ref": name}, ""]},
                    "AssertDescription": f"{name} is not offered in the catalog: the product's "
                    "secrets come from its build",
                }
                for name in (service.ENVIRONMENT_FILE_ARN, service.SECRET_ARN_PARAMETER)
            ]
            + [
                {
                    "Assert": {
                        "Fn::EachMemberEquals": [{"Ref": service.TASK_ROLE_MANAGED_POLICY_ARNS}, ""]
                    },
                    "AssertDescription": f"{service.TASK_ROLE_MANAGED_POLICY_ARNS} is not "
                    "offered in the catalog: the product's permissions come from its build",
                }
            ],
        },
    }
    t.add_resource(
        servicecatalog.LaunchTemplateConstraint(
            TEMPLATE_LOCATION_CONSTRAINT,
            DependsOn=[association.title],
            PortfolioId=Ref(portfolio),
            ProductId=Ref(product),
            Rules=Sub(json.dumps(location_rules, sort_keys=True)),
            Description=(
                "Nested templates come from the catalog's template bucket only; no secret, "
                "environment file or managed policy is chosen at launch"
            ),
        )
    )


def _add_outputs(
    t: Template,
    portfolio: servicecatalog.Portfolio,
    product: servicecatalog.CloudFormationProduct,
    launch_role: iam_resources.Role,
) -> None:
    add_exported_output(t, OUTPUT_PORTFOLIO_ID, Ref(portfolio), "ID of the portfolio")
    add_exported_output(
        t,
        OUTPUT_PRODUCT_ID,
        Ref(product),
        "ID of the product (troposphere-fargate publish --catalog-product-id adds versions)",
    )
    add_exported_output(
        t, OUTPUT_LAUNCH_ROLE_ARN, GetAtt(launch_role, "Arn"), "Role Service Catalog launches with"
    )


def _launch_policy() -> PolicyDocument:
    account = "${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}"
    launched = LAUNCHED_NAME_PREFIX
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="ReadPublishedTemplates",
                Effect=Allow,
                Action=[s3.GetObject],
                Resource=[
                    Sub("arn:${AWS::Partition}:s3:::${TemplateBucketName}/${TemplateKeyPrefix}*")
                ],
            ),
            Statement(
                Sid="ReadServiceCatalogsCopyOfTheTemplate",
                Effect=Allow,
                Action=[s3.GetObject],
                # Service Catalog stores the provisioning artifact's template in a bucket of its
                # own and tags it; this is the grant its admin guide prescribes, word for word.
                Resource=["*"],
                Condition=PolicyCondition(
                    StringEquals("s3:ExistingObjectTag/servicecatalog:provisioning", "true")
                ),
            ),
            Statement(
                Sid="ManageLaunchedStacks",
                Effect=Allow,
                Action=STACK_ACTIONS,
                Resource=[Sub(f"arn:{account % 'cloudformation'}:stack/{launched}*")],
            ),
            Statement(
                Sid="InspectTemplates",
                Effect=Allow,
                Action=TEMPLATE_INSPECTION_ACTIONS,
                # These read a template, not a resource: they accept no narrower resource.
                Resource=["*"],
            ),
            Statement(
                Sid="CreateTheProductsResources",
                Effect=Allow,
                Action=NETWORK_ACTIONS
                + CONTAINER_ACTIONS
                + LOAD_BALANCER_ACTIONS
                + SCALING_ACTIONS,
                # EC2, ECS, Elastic Load Balancing and Application Auto Scaling create these
                # resources before they have an ARN to scope to.
                Resource=["*"],
            ),
            *_product_resource_statements(),
        ],
    )


def _product_resource_statements() -> list[Statement]:
    """The launch role's statements on the roles, functions, log groups and buckets a launch
    creates, each scoped to the names CloudFormation gives them under the launched stack."""
    account = "${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}"
    launched = LAUNCHED_NAME_PREFIX
    roles = f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{launched}*"
    return [
        Statement(
            Sid="ManageTheProductsRoles",
            Effect=Allow,
            Action=ROLE_ACTIONS,
            Resource=[Sub(roles)],
        ),
        Statement(
            # ecs.amazonaws.com: the role a canary, linear or blue/green deployment shifts
            # traffic with (the service's AdvancedConfiguration.RoleArn); lambda: the role of
            # the function that empties the VPC's default security group.
            Sid="PassTheProductsRolesToTheirServices",
            Effect=Allow,
            Action=[iam.PassRole],
            Resource=[Sub(roles)],
            Condition=PolicyCondition(
                StringEquals(
                    "iam:PassedToService",
                    [
                        "ecs-tasks.amazonaws.com",
                        "ecs.amazonaws.com",
                        "lambda.amazonaws.com",
                        "vpc-flow-logs.amazonaws.com",
                    ],
                )
            ),
        ),
        Statement(
            Sid="CreateServiceLinkedRoles",
            Effect=Allow,
            Action=[iam.CreateServiceLinkedRole],
            Resource=["*"],
            Condition=PolicyCondition(
                StringLike(
                    "iam:AWSServiceName",
                    [
                        "ecs.amazonaws.com",
                        "elasticloadbalancing.amazonaws.com",
                        "ecs.application-autoscaling.amazonaws.com",
                    ],
                )
            ),
        ),
        Statement(
            Sid="ManageTheProductsFunctions",
            Effect=Allow,
            Action=FUNCTION_ACTIONS,
            Resource=[Sub(f"arn:{account % 'lambda'}:function:{launched}*")],
        ),
        Statement(
            Sid="ManageTheProductsLogGroups",
            Effect=Allow,
            Action=LOG_GROUP_ACTIONS,
            Resource=[Sub(f"arn:{account % 'logs'}:log-group:{launched}*")],
        ),
        Statement(
            Sid="LookUpLogsAndTags",
            Effect=Allow,
            Action=LOOKUP_ACTIONS,
            # These list or describe across the account; they accept no narrower resource.
            Resource=["*"],
        ),
        Statement(
            # A launch associates a web ACL of the account (WebAclArn) with its own application
            # load balancer; CloudFormation names the load balancer, so its ARN has no prefix.
            Sid="AssociateWebAclsWithTheProductsLoadBalancers",
            Effect=Allow,
            Action=WEB_ACL_ACTIONS,
            Resource=[
                Sub(f"arn:{account % 'wafv2'}:regional/webacl/*"),
                Sub(f"arn:{account % 'elasticloadbalancing'}:loadbalancer/app/*"),
            ],
        ),
        Statement(
            Sid="ManageTheProductsBuckets",
            Effect=Allow,
            Action=BUCKET_ACTIONS,
            Resource=[Sub(f"arn:${{AWS::Partition}}:s3:::{launched.lower()}*")],
        ),
    ]
