"""What moto 5.2.5 lacks, filled in before its server starts. Each shim does what
CloudFormation or the Kinesis/Lambda API does, through moto's own backends; none of them reads
what stackwire wrote to decide what to answer.

1. `AWS::Kinesis::StreamConsumer`: moto's CloudFormation has no such resource type (it warns and
   creates nothing, so `!GetAtt X.ConsumerARN` would resolve to nothing). The shim registers
   the consumer with moto's Kinesis backend (`RegisterStreamConsumer`, in the stream's account
   and Region), as CloudFormation does; `Ref` and `ConsumerARN` are the consumer's ARN.
2. `AWS::Kinesis::Stream`: moto's CloudFormation reads only `Name`, `ShardCount`,
   `RetentionPeriodHours` and `Tags`, and drops `StreamModeDetails` and `StreamEncryption`.
   The shim passes the mode to `CreateStream` and starts the encryption
   (`StartStreamEncryption`), as CloudFormation does.
4. `AWS::IAM::Role`: moto's CloudFormation drops `ManagedPolicyArns` (the role gets none of
   them) and keeps an inline `PolicyDocument` as Python's text for the mapping. The shim
   attaches the managed policies (`AttachRolePolicy`) and hands IAM the documents as JSON, as
   CloudFormation does.
5. `CreateEventSourceMapping`: moto finds a Kinesis source only among the streams of the
   function's own account and Region, and never a fan-out consumer's ARN. The shim accepts a
   stream in any account and Region, and a registered consumer of one, as Lambda does; any
   other ARN is still refused.
3. `GetEventSourceMapping`/`ListEventSourceMappings`: moto keeps `StartingPositionTimestamp`
   but leaves it out of the answer, which the real API gives. The shim adds it.
6. Numbers given as text (a parameter of type `AWS::SSM::Parameter::Value<String>` resolves to
   text): CloudFormation converts a property to the type its schema gives; moto passes the
   text on (Kinesis fails dividing by it, Lambda answers `"512"` for `MemorySize`). The shim
   converts `ShardCount` and `RetentionPeriodHours` of a stream, `MemorySize`, `Timeout` and
   `ReservedConcurrentExecutions` of a function, to integers, as CloudFormation does.
7. `AWS::ApiGateway::RestApi` with a `Body` (the OpenAPI 2.0 definition SAM writes for an `Api`
   event) and no `Name`: moto requires `Name` and ignores `Body`. CloudFormation names the API
   by the definition's `info.title` and imports its paths; the shim does both (each path's
   resources and methods, with the method's `x-amazon-apigateway-integration`).
8. `AWS::ApiGateway::Stage`: moto's CloudFormation has no such resource type. The shim creates
   the stage on its API and deployment (`CreateStage`); `Ref` is the stage's name.
"""

from typing import Any

import copy
import json

from moto.apigateway.models import RestAPI, apigateway_backends
from moto.awslambda.models import EventSourceMapping, LambdaBackend, LambdaFunction
from moto.awslambda.models import RESTError  # as moto raises it there
from moto.iam.models import Role, iam_backends
from moto.core.common_models import CloudFormationModel
from moto.kinesis.models import Stream, kinesis_backends


def _arn_parts(arn: str) -> tuple[str, str]:
    """(account, Region) of an ARN."""
    parts = arn.split(":")
    return parts[4], parts[3]


class StreamConsumer(CloudFormationModel):
    # moto's model metaclass files a model under the service its module names.
    __module__ = "moto.kinesis.models"

    def __init__(self, consumer: Any, account_id: str, region_name: str):
        self.consumer = consumer
        self.account_id = account_id
        self.region_name = region_name

    @staticmethod
    def cloudformation_name_type() -> str:
        return "ConsumerName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Kinesis::StreamConsumer"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in (
            "ConsumerARN",
            "ConsumerName",
            "ConsumerStatus",
            "ConsumerCreationTimestamp",
            "StreamARN",
        )

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        c = self.consumer
        return {
            "ConsumerARN": c.consumer_arn,
            "ConsumerName": c.consumer_name,
            "ConsumerStatus": "ACTIVE",
            "ConsumerCreationTimestamp": c.created.isoformat(),
            "StreamARN": c.stream_arn,
        }[attribute_name]

    @property
    def physical_resource_id(self) -> str:
        return self.consumer.consumer_arn

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> "StreamConsumer":
        props = cloudformation_json["Properties"]
        stream_arn = props["StreamARN"]
        account, region = _arn_parts(stream_arn)
        backend = kinesis_backends[account][region]
        consumer = backend.register_stream_consumer(stream_arn, props["ConsumerName"])
        return cls(consumer, account, region)

    @classmethod
    def delete_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        props = cloudformation_json["Properties"]
        account, region = _arn_parts(props["StreamARN"])
        kinesis_backends[account][region].deregister_stream_consumer(
            stream_arn=props["StreamARN"], consumer_name=props["ConsumerName"], consumer_arn=None
        )


def _create_stream(
    cls: Any,
    resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> Stream:
    properties = cloudformation_json.get("Properties", {})
    backend = kinesis_backends[account_id][region_name]
    retention = properties.get("RetentionPeriodHours")
    stream = backend.create_stream(
        resource_name,
        int(properties.get("ShardCount", 1)),
        stream_mode=properties.get("StreamModeDetails"),
        retention_period_hours=None if retention is None else int(retention),
    )
    tags = {t["Key"]: t["Value"] for t in properties.get("Tags", [])}
    if tags:
        backend.add_tags_to_stream(stream_arn=None, stream_name=stream.stream_name, tags=tags)
    encryption = properties.get("StreamEncryption")
    if encryption:
        backend.start_stream_encryption(
            stream_arn=None,
            stream_name=stream.stream_name,
            encryption_type=encryption["EncryptionType"],
            key_id=encryption["KeyId"],
        )
    return stream


_configuration = EventSourceMapping.get_configuration


def _mapping_configuration(self: EventSourceMapping) -> dict[str, Any]:
    config = _configuration(self)
    if self.starting_position_timestamp is not None:
        config["StartingPositionTimestamp"] = self.starting_position_timestamp
    return config


_create_role = Role.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]


def _role(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str,
          region_name: str, **kwargs: Any) -> Role:
    cloudformation_json = copy.deepcopy(cloudformation_json)
    properties = cloudformation_json["Properties"]
    for p in properties.get("Policies", []):
        if not isinstance(p["PolicyDocument"], str):
            p["PolicyDocument"] = json.dumps(p["PolicyDocument"])
    role = _create_role(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    backend = iam_backends[account_id][role.partition if hasattr(role, "partition") else "aws"]
    for arn in properties.get("ManagedPolicyArns", []):
        backend.attach_role_policy(arn, role.name)
    return role


_create_mapping = LambdaBackend.create_event_source_mapping


def _mapping(self: LambdaBackend, spec: dict[str, Any]) -> EventSourceMapping:
    arn = spec.get("EventSourceArn", "")
    if ":kinesis:" not in arn:
        return _create_mapping(self, spec)
    account, region = _arn_parts(arn)
    stream_arn = arn.split("/consumer/")[0]
    own = account == self.account_id and region == self.region_name and stream_arn == arn
    if own:
        return _create_mapping(self, spec)
    for stream in kinesis_backends[account][region].streams.values():
        if stream.arn == stream_arn and (stream_arn == arn or stream.get_consumer_by_arn(arn)):
            func = self._lambdas.get_function_by_name_or_arn_with_qualifier(
                spec.get("FunctionName", "")
            )
            spec.update({"FunctionArn": func.function_arn})
            spec.setdefault("RegionName", self.region_name)
            spec.setdefault("AccountId", self.account_id)
            esm = EventSourceMapping(spec)
            self._event_source_mappings[esm.uuid] = esm
            return esm
    raise RESTError("ResourceNotFoundException", "Invalid EventSourceArn")


_create_function = LambdaFunction.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]


def _function(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str,
              region_name: str, **kwargs: Any) -> LambdaFunction:
    cloudformation_json = copy.deepcopy(cloudformation_json)
    properties = cloudformation_json["Properties"]
    for key in ("MemorySize", "Timeout", "ReservedConcurrentExecutions"):
        if key in properties:
            properties[key] = int(properties[key])
    return _create_function(cls, resource_name, cloudformation_json, account_id, region_name,
                            **kwargs)


_create_rest_api = RestAPI.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]
_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"}


def _rest_api(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str,
              region_name: str, **kwargs: Any) -> RestAPI:
    properties = cloudformation_json["Properties"]
    body = properties.get("Body")
    if "Name" in properties or not isinstance(body, dict):
        return _create_rest_api(cls, resource_name, cloudformation_json, account_id,
                                region_name, **kwargs)
    backend = apigateway_backends[account_id][region_name]
    api = backend.create_rest_api(
        name=str(body["info"]["title"]),
        description=properties.get("Description", ""),
        endpoint_configuration=properties.get("EndpointConfiguration"),
    )
    for path, operations in sorted(body.get("paths", {}).items()):
        parent = api.get_resource_for_path("/")
        for i, part in enumerate(p for p in path.split("/") if p):
            sub = "/" + "/".join([p for p in path.split("/") if p][: i + 1])
            parent = api.get_resource_for_path(sub) or backend.create_resource(
                function_id=api.id, parent_resource_id=parent.id, path_part=part)
        for method, operation in operations.items():
            if method.lower() not in _METHODS:
                continue
            http = "ANY" if method.lower() == "x-amazon-apigateway-any-method" else method.upper()
            backend.put_method(api.id, parent.id, http, authorization_type="NONE")
            integration = operation.get("x-amazon-apigateway-integration")
            if integration:
                backend.put_integration(
                    api.id, parent.id, http, integration_type=integration["type"].upper(),
                    uri=integration.get("uri"), integration_method=integration.get("httpMethod"))
    return api


class ApiStage(CloudFormationModel):
    __module__ = "moto.apigateway.models"

    def __init__(self, api_id: str, name: str):
        self.api_id = api_id
        self.name = name

    @staticmethod
    def cloudformation_name_type() -> str:
        return "StageName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::Stage"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> "ApiStage":
        props = cloudformation_json["Properties"]
        backend = apigateway_backends[account_id][region_name]
        backend.create_stage(
            function_id=props["RestApiId"],
            stage_name=props["StageName"],
            deploymentId=props["DeploymentId"],
            variables=props.get("Variables"),
            description=props.get("Description", ""),
            tracing_enabled=props.get("TracingEnabled"),
        )
        return cls(props["RestApiId"], props["StageName"])


def install() -> None:
    # moto finds CloudFormation models as CloudFormationModel's subclasses (defining the class
    # above is what registers it); the map is cached on first use, so this runs before the
    # server takes a request.
    assert StreamConsumer in CloudFormationModel.__subclasses__()
    assert ApiStage in CloudFormationModel.__subclasses__()
    LambdaFunction.create_from_cloudformation_json = classmethod(_function)  # type: ignore[assignment]
    RestAPI.create_from_cloudformation_json = classmethod(_rest_api)  # type: ignore[assignment]
    Stream.create_from_cloudformation_json = classmethod(_create_stream)  # type: ignore[assignment]
    EventSourceMapping.get_configuration = _mapping_configuration  # type: ignore[method-assign]
    Role.create_from_cloudformation_json = classmethod(_role)  # type: ignore[assignment]
    LambdaBackend.create_event_source_mapping = _mapping  # type: ignore[method-assign]
