"""moto's server, with what its CloudFormation lacks for the platform's templates (moto 5.2).

Every workaround the deploy test needs is in this file, and docs/deploy.md lists them:

1. Resource types moto's CloudFormation has no handler for, although moto's APIs have the service
   (Cognito user pools, clients, groups and domains; API Gateway v2 APIs, authorizers, integrations, routes and stages;
   CloudWatch alarms; SNS subscriptions and topic policies; SQS queue and S3 bucket policies; EventBridge
   Scheduler schedules; Secrets Manager secrets; Lambda event invoke configs; CloudWatch Logs metric filters).
   Each is created through moto's own API, the way CloudFormation would call the service, from the resource's
   properties after CloudFormation has resolved them: a property the API refuses fails the stack.
2. Resource types moto has no usable API for (CloudFront distributions, functions, origin access controls and
   response headers policies): accepted without being created, with made-up attributes so references resolve.
   The template tests check their properties.
3. Custom resources (`Custom::S3AutoDeleteObjects` in dev): moto would run their Lambda in Docker; they are
   marked created without running (they only matter when the stack is deleted or web content is deployed).
4. `Fn::GetStackOutput`, CloudFormation's intrinsic for weak cross-stack references, which moto does not know:
   resolved from the named stack's outputs.
5. moto's own KMS key handler, which reads the template's `Key`/`Value` tags as the API's `TagKey`/`TagValue`.

Usage: python3 cfn_server.py <port>
"""

import json
import secrets
import string
import sys
from typing import Any, Callable

import boto3
from moto.cloudformation import cloudformation_backends, parsing
from moto.core.common_models import CloudFormationModel
from moto.kms.models import Key as KmsKey
from moto.server import main

PORT = int(sys.argv[1])
ENDPOINT = f"http://127.0.0.1:{PORT}"


def client(service: str, region: str) -> Any:
    # moto's own API, over HTTP, as CloudFormation would call each service.
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def call(service: str, operation: str, region: str, props: dict, rename: dict | None = None, **extra: Any) -> dict:
    """Calls `operation` with the properties its input takes (CloudFormation and the API share most names)."""
    api = client(service, region)
    members = api.meta.service_model.operation_model(
        api.meta.method_to_api_mapping[operation]
    ).input_shape.members
    renamed = {(rename or {}).get(k, k): v for k, v in props.items()}
    params = {k: v for k, v in renamed.items() if k in members}
    params.update(extra)
    return getattr(api, operation)(**params)


class Created(CloudFormationModel):
    """A resource created through moto's API: its Ref and its GetAtt attributes."""

    # moto files its models by the service named in their module's path.
    __module__ = "moto.cloudformation"

    def __init__(self, ref: str, attributes: dict[str, Any]):
        self.ref = ref
        self.attributes = attributes

    @property
    def physical_resource_id(self) -> str:
        return self.ref

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.attributes:
            raise NotImplementedError(f"{type(self).__name__} has no attribute {attribute_name}")
        return self.attributes[attribute_name]

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""


Creator = Callable[[str, dict, str, str], tuple[str, dict[str, Any]]]

# moto finds handlers through CloudFormationModel.__subclasses__(), which holds them weakly: keep them here.
HANDLERS: list[type] = []


def handler(cfn_type: str) -> Callable[[Creator], Creator]:
    """Registers `create(logical_id, properties, account, region) -> (ref, attributes)` for `cfn_type`."""

    def register(create: Creator) -> Creator:
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            ref, attributes = create(kwargs.get("LogicalId", resource_name), cloudformation_json.get("Properties", {}), account_id, region_name)
            return cls(ref, attributes)

        # A direct subclass too: moto looks handlers up in CloudFormationModel.__subclasses__().
        cls = type(
            cfn_type.replace("::", ""),
            (Created, CloudFormationModel),
            {
                "__module__": "moto.cloudformation",
                "cloudformation_type": staticmethod(lambda: cfn_type),
                "create_from_cloudformation_json": classmethod(create_from_cloudformation_json),
            },
        )
        HANDLERS.append(cls)
        return create

    return register


# 1. Types moto's APIs serve but its CloudFormation does not.


@handler("AWS::Cognito::UserPool")
def user_pool(_id, p, account, region):
    pool = call("cognito-idp", "create_user_pool", region, p, {"UserPoolName": "PoolName"})["UserPool"]
    provider = f"cognito-idp.{region}.amazonaws.com/{pool['Id']}"
    return pool["Id"], {"Arn": pool["Arn"], "ProviderName": provider, "ProviderURL": f"https://{provider}"}


@handler("AWS::Cognito::UserPoolClient")
def user_pool_client(_id, p, account, region):
    created = call("cognito-idp", "create_user_pool_client", region, p)["UserPoolClient"]
    return created["ClientId"], {"ClientSecret": created.get("ClientSecret", "")}


@handler("AWS::Cognito::UserPoolGroup")
def user_pool_group(_id, p, account, region):
    return call("cognito-idp", "create_group", region, p)["Group"]["GroupName"], {}


@handler("AWS::Cognito::UserPoolDomain")
def user_pool_domain(_id, p, account, region):
    call("cognito-idp", "create_user_pool_domain", region, p)
    return p["Domain"], {"CloudFrontDistribution": f"{p['Domain']}.auth.{region}.amazoncognito.com"}


@handler("AWS::ApiGatewayV2::Api")
def http_api(_id, p, account, region):
    api = call("apigatewayv2", "create_api", region, p)
    return api["ApiId"], {"ApiEndpoint": api["ApiEndpoint"], "ApiId": api["ApiId"]}


@handler("AWS::ApiGatewayV2::Authorizer")
def authorizer(_id, p, account, region):
    return call("apigatewayv2", "create_authorizer", region, p)["AuthorizerId"], {}


@handler("AWS::ApiGatewayV2::Integration")
def integration(_id, p, account, region):
    return call("apigatewayv2", "create_integration", region, p)["IntegrationId"], {}


@handler("AWS::ApiGatewayV2::Route")
def route(_id, p, account, region):
    return call("apigatewayv2", "create_route", region, p)["RouteId"], {}


@handler("AWS::ApiGatewayV2::Stage")
def stage(_id, p, account, region):
    return call("apigatewayv2", "create_stage", region, p)["StageName"], {}


@handler("AWS::CloudWatch::Alarm")
def alarm(_id, p, account, region):
    call("cloudwatch", "put_metric_alarm", region, p)
    arn = f"arn:aws:cloudwatch:{region}:{account}:alarm:{p['AlarmName']}"
    return p["AlarmName"], {"Arn": arn}


@handler("AWS::SNS::Subscription")
def subscription(_id, p, account, region):
    attributes = {}
    for name in ("FilterPolicy", "RedrivePolicy", "DeliveryPolicy"):
        if name in p:
            attributes[name] = p[name] if isinstance(p[name], str) else json.dumps(p[name])
    if "RawMessageDelivery" in p:
        attributes["RawMessageDelivery"] = str(p["RawMessageDelivery"]).lower()
    arn = call("sns", "subscribe", region, p, Attributes=attributes, ReturnSubscriptionArn=True)["SubscriptionArn"]
    return arn, {"Arn": arn}


@handler("AWS::SNS::TopicPolicy")
def topic_policy(logical_id, p, account, region):
    for topic in p["Topics"]:
        client("sns", region).set_topic_attributes(
            TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(p["PolicyDocument"])
        )
    return logical_id, {}


@handler("AWS::SQS::QueuePolicy")
def queue_policy(logical_id, p, account, region):
    for queue_url in p["Queues"]:
        client("sqs", region).set_queue_attributes(
            QueueUrl=queue_url, Attributes={"Policy": json.dumps(p["PolicyDocument"])}
        )
    return logical_id, {}


@handler("AWS::S3::BucketPolicy")
def bucket_policy(logical_id, p, account, region):
    client("s3", region).put_bucket_policy(Bucket=p["Bucket"], Policy=json.dumps(p["PolicyDocument"]))
    return logical_id, {}


@handler("AWS::Scheduler::Schedule")
def schedule(logical_id, p, account, region):
    arn = call("scheduler", "create_schedule", region, p)["ScheduleArn"]
    return p["Name"], {"Arn": arn}


@handler("AWS::SecretsManager::Secret")
def secret(logical_id, p, account, region):
    value = p.get("SecretString")
    generate = p.get("GenerateSecretString")
    if value is None and generate:
        alphabet = string.ascii_letters + string.digits
        generated = "".join(secrets.choice(alphabet) for _ in range(int(generate.get("PasswordLength", 32))))
        value = json.dumps({**json.loads(generate["SecretStringTemplate"]), generate["GenerateStringKey"]: generated})
    arn = call("secretsmanager", "create_secret", region, p, SecretString=value)["ARN"]
    return arn, {"Id": arn}


@handler("AWS::Lambda::EventInvokeConfig")
def event_invoke_config(logical_id, p, account, region):
    call("lambda", "put_function_event_invoke_config", region, p)
    return logical_id, {}


@handler("AWS::Logs::MetricFilter")
def metric_filter(logical_id, p, account, region):
    transformations = [
        {"metricName": t["MetricName"], "metricNamespace": t["MetricNamespace"], "metricValue": t["MetricValue"]}
        for t in p["MetricTransformations"]
    ]
    client("logs", region).put_metric_filter(
        logGroupName=p["LogGroupName"],
        filterName=logical_id,
        filterPattern=p["FilterPattern"],
        metricTransformations=transformations,
    )
    return logical_id, {}


# 2. Types moto has no usable API for: accepted, not created.

NOT_CREATED = {
    "AWS::CloudFront::Distribution": {"DomainName": "d111111abcdef8.cloudfront.net", "Id": "E2MOTOFAKEDIST"},
    "AWS::CloudFront::Function": {"FunctionARN": "arn:aws:cloudfront::123456789012:function/moto-not-created"},
    "AWS::CloudFront::OriginAccessControl": {"Id": "E2MOTOFAKEOAC"},
    "AWS::CloudFront::ResponseHeadersPolicy": {"Id": "moto-not-created"},
}
for _type, _attributes in NOT_CREATED.items():
    handler(_type)(lambda logical_id, p, account, region, _a=_attributes: (logical_id, dict(_a)))


# 3. Custom resources: marked created without running their Lambda.


class CustomResourceNotRun(Created):
    __module__ = "moto.cloudformation"
    @staticmethod
    def cloudformation_type() -> str:
        return "Custom::"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return cls(kwargs.get("LogicalId", resource_name), {})


_resource_class_from_type = parsing.resource_class_from_type
parsing.resource_class_from_type = lambda t: (
    CustomResourceNotRun if t.startswith("Custom::") else _resource_class_from_type(t)
)


# 5. moto's own handlers where they misread a template.

_kms_key_create = KmsKey.create_from_cloudformation_json.__func__


def kms_key_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    # moto's KMS tagger expects the API's TagKey/TagValue; CloudFormation writes Key/Value.
    properties = cloudformation_json.get("Properties", {})
    properties["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in properties.get("Tags", [])]
    return _kms_key_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


KmsKey.create_from_cloudformation_json = classmethod(kms_key_create)


# 4. Fn::GetStackOutput.

_clean_json = parsing.clean_json


def clean_json(resource_json: Any, resources_map: Any) -> Any:
    if isinstance(resource_json, dict) and "Fn::GetStackOutput" in resource_json:
        ref = {k: clean_json(v, resources_map) for k, v in resource_json["Fn::GetStackOutput"].items()}
        backend = cloudformation_backends[resources_map._account_id][ref.get("Region", resources_map._region_name)]
        stack = next(s for s in backend.stacks.values() if s.name == ref["StackName"] and s.status == "CREATE_COMPLETE")
        return next(o["OutputValue"] for o in stack.outputs or [] if o["OutputKey"] == ref["OutputName"])
    return _clean_json(resource_json, resources_map)


parsing.clean_json = clean_json

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", str(PORT)])
