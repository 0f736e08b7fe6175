"""Deploys stackwire's templates in moto (server mode, 127.0.0.1, a free port) and checks what
was created through the AWS APIs.

usage: deploy.py STACKWIRE ROOT all|init|update[,...]|selftest

`all`: every `fixtures/ok` stack. `init`: the project `stackwire init` writes, deployed, its
handlers run. `update`: one stack deployed, changed (`shardCount`, a wire's `batchSize`) and
updated. Several, comma-separated, share one emulator. `selftest`: the policy evaluator's own
tests.

What is real and what is simulated:
- real (moto's implementation of the AWS APIs): S3 (the code zips), SSM (the parameters an
  `existing: {env: ...}` stream reads), CloudFormation (create and update, parameters of type
  `AWS::SSM::Parameter::Value<String>`, conditions, intrinsics), Kinesis, Lambda (functions,
  their resolved environment, event source mappings), IAM (roles and their policies); the SAM
  translation is AWS's own `aws-sam-translator`. Gaps in moto are filled by `shim.py`.
- pass-through content (`template:`, `properties:`, intrinsic functions): the stack is created
  with a value for each parameter without a default (`PARAMETER_VALUES`, by type; a VPC and
  subnets made in the emulator), Parameter Store holds what an SSM-typed parameter reads
  (`SSM_VALUES`), code the stack places in S3 is uploaded there. What the description's
  intrinsics evaluate to (`intrinsics.py`: parameters, conditions, `Ref` by physical ID,
  `GetAtt` asked of each type's API) is what the Streams, Functions and mappings must have;
  each `template:` resource is created with its Logical ID and type (or not, by its condition)
  and one fact of it is asked of its API (SQS, SNS, DynamoDB, EC2 security groups); the
  Outputs and exports are compared; a Function's own SAM events (`Schedule`, `Api`) are found
  as SAM expands them; its own `policies` are on its role. A stack with Conditions is
  deployed twice, its text parameters differing, so each condition is taken both ways.
  Not verified: `Layers` (moto's CloudFormation drops them; a layer of another account does
  not exist in the emulator).
- simulated: Lambda cannot run the code (moto runs it in Docker, and there is no Docker engine
  here). The Python handler, the product documentation's boto3 example, runs in this process
  with the function's resolved environment, against the emulator; every API call it makes is
  recorded, and each must be allowed on its stream's ARN by the role's policy documents, as
  `policy.py` evaluates them (moto does not enforce IAM on resources). The event source
  mapping's reading is done here too, from the mapping's starting position, with the calls a
  mapping makes checked against the reading function's role the same way.
"""

import logging
import traceback
import io
import json
import os
import re
import sys
import threading
import time
import types
import zipfile

import boto3
import botocore.config
from ruamel.yaml import YAML

import intrinsics
import policy

REGION = "us-east-1"
ACCOUNT = "123456789012"
BUCKET = "stackwire-code"
# The value a parameter without a default is created with, by its type (the VPC and subnets
# are ones the harness creates in the emulator first).
PARAMETER_VALUES = {
    "String": "production",
    "Number": "1",
    "AWS::EC2::VPC::Id": lambda vpc: vpc["VpcId"],
    "AWS::EC2::Subnet::Id": lambda vpc: vpc["Subnets"][0],
    "List<AWS::EC2::Subnet::Id>": lambda vpc: ",".join(vpc["Subnets"]),
}
# What the harness stores in Parameter Store for a parameter of type
# `AWS::SSM::Parameter::Value<String>` whose path is not there yet, by the stack key that
# reads it.
SSM_VALUES = {"shardCount": "2", "retentionHours": "48", "memory": "512", "timeout": "30"}
# SAM's policy templates: one action each grants, on what (from the template's arguments).
POLICY_TEMPLATES = {
    "DynamoDBCrudPolicy": ("dynamodb:PutItem",
                           lambda a: f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{a['TableName']}"),
    "SQSSendMessagePolicy": ("sqs:SendMessage",
                             lambda a: f"arn:aws:sqs:{REGION}:{ACCOUNT}:{a['QueueName']}"),
    "SNSPublishMessagePolicy": ("sns:Publish",
                                lambda a: f"arn:aws:sns:{REGION}:{ACCOUNT}:{a['TopicName']}"),
}
# SAM event types that become an event source mapping.
MAPPED_EVENTS = {"Kinesis", "DynamoDB", "SQS", "MSK", "MQ", "SelfManagedKafka", "DocumentDB"}
PY_EXAMPLE = '''import boto3
import os
# Create an Kinesis client
kinesis = boto3.client('kinesis')
stream_name = os.environ['{var}'] # Supplied by Function service-discovery wire
def handler(message, context):
    # Publish a sample record to the specified Kinesis stream
    response = kinesis.put_record(
        StreamName=stream_name,
        Data='Sample Record',
        PartitionKey='123'
    )
    return response
'''
# The product documentation's Node example (written for the AWS SDK v2, `require("aws-sdk")`)
# with the AWS SDK for JavaScript v3, which the nodejs22.x runtime ships (v2 is not in it).
JS_EXAMPLE = '''// Load the AWS SDK's Kinesis client and create a client
const {{ KinesisClient, PutRecordCommand }} = require("@aws-sdk/client-kinesis");
const kinesis = new KinesisClient({{}});
const streamName = process.env.{var} // supplied by Function service-discovery wire
exports.handler = async message => {{
  const testRecord = "Sample Record";
  const params = {{ Data: Buffer.from(testRecord), PartitionKey: '123', StreamName: streamName }};
  const response = await kinesis.send(new PutRecordCommand(params));
  console.log('Record added to ' + streamName);
  return response;
}}
'''
# What no `read` or `write` wire may allow on its stream: create, delete, reshard, re-tag,
# retention, encryption, mode, consumers, resource policies.
FORBIDDEN = [
    "kinesis:CreateStream", "kinesis:DeleteStream", "kinesis:UpdateShardCount",
    "kinesis:MergeShards", "kinesis:SplitShard", "kinesis:AddTagsToStream",
    "kinesis:RemoveTagsFromStream", "kinesis:TagResource", "kinesis:UntagResource",
    "kinesis:IncreaseStreamRetentionPeriod", "kinesis:DecreaseStreamRetentionPeriod",
    "kinesis:StartStreamEncryption", "kinesis:StopStreamEncryption", "kinesis:UpdateStreamMode",
    "kinesis:RegisterStreamConsumer", "kinesis:DeregisterStreamConsumer",
    "kinesis:PutResourcePolicy", "kinesis:DeleteResourcePolicy",
    "kinesis:EnableEnhancedMonitoring", "kinesis:DisableEnhancedMonitoring",
]
READS = ["kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator",
         "kinesis:GetRecords", "kinesis:DescribeStream"]
WRITES = ["kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:PutRecord",
          "kinesis:PutRecords", "kinesis:DescribeStream"]
READ_WRITE = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
              "kinesis:GetShardIterator", "kinesis:PutRecord", "kinesis:PutRecords"]
MAPPING_CALLS = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards",
                 "kinesis:GetShardIterator", "kinesis:GetRecords"]


class Failures:
    def __init__(self):
        self.items: list[str] = []
        self.checks = 0

    def check(self, ok: bool, what: str) -> None:
        self.checks += 1
        if not ok:
            self.items.append(what)

    def equal(self, got, want, what: str) -> None:
        self.check(got == want, f"{what}: got {got!r}, expected {want!r}")


def start_server():
    import shim
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    shim.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    assert host == "127.0.0.1", host
    return server, f"http://127.0.0.1:{port}"


class Aws:
    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.config = botocore.config.Config(retries={"max_attempts": 1})
        self.clients: dict[tuple[str, str, str], object] = {}

    def vpc(self) -> dict:
        """A VPC with two subnets, made in the emulator the first time a stack asks for one."""
        if not hasattr(self, "_vpc"):
            ec2 = self.client("ec2")
            vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
            subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24")["Subnet"]["SubnetId"]
                       for i in range(2)]
            self._vpc = {"VpcId": vpc, "Subnets": subnets}
        return self._vpc

    def client(self, service: str, account: str = ACCOUNT, region: str = REGION):
        """A client acting in `account` and `region` (made once each: making one costs more
        than most calls)."""
        key = (service, account, region)
        if key not in self.clients:
            self.clients[key] = self.new_client(service, account, region)
        return self.clients[key]

    def new_client(self, service: str, account: str, region: str):
        client = boto3.client(
            service, region_name=region, endpoint_url=self.endpoint, config=self.config,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )
        # moto's way to say which account a call acts in.
        client.meta.events.register(
            "before-sign", lambda request, **kw: request.headers.__setitem__("x-moto-account-id", account))
        return client


def yaml_load(path: str):
    """The stack description as YAML 1.2, intrinsic functions in CloudFormation's long form."""
    return intrinsics.load(path)


def args_of(path: str) -> list[str]:
    first = open(path, encoding="utf-8").readline()
    return first[len("# args:"):].split() if first.startswith("# args:") else []


def compile_stack(stackwire: str, path: str, args: list[str]) -> str:
    import subprocess

    out = subprocess.run([stackwire, "compile", path, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"stackwire compile {path} failed:\n{out.stderr}")
    return out.stdout


def translate(template_text: str, name: str, code: dict[str, str]) -> dict:
    """AWS's SAM translator, as `sam deploy` runs it, with CodeUri pointing at the zips (a
    function not in `code` keeps the S3 location stackwire wrote)."""
    import tempfile

    from cfnlint.decode import cfn_yaml
    from samtranslator.translator.transform import transform

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
        f.write(template_text)
    template = cfn_yaml.load(f.name)
    os.unlink(f.name)
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function" and logical_id in code:
            resource["Properties"]["CodeUri"] = f"s3://{BUCKET}/{code[logical_id]}"

    class Loader:
        def load(self):
            return {}

    return json.loads(json.dumps(transform(template, {}, Loader()), default=str))


class Model:
    """The stack description, read independently of stackwire: what must exist once deployed."""

    def __init__(self, path: str):
        doc = yaml_load(path)
        self.template = doc.get("template") or {}
        self.resources = doc["resources"]
        self.wires = doc.get("wires") or []
        self.streams = {k: v for k, v in self.resources.items() if v["type"] == "Stream"}
        self.functions = {k: v for k, v in self.resources.items() if v["type"] == "Function"}

    def events(self, function: str):
        return [w for w in self.wires if w["to"] == function and w["from"] in self.streams]

    def other_events(self, function: str) -> dict:
        """The function's own SAM events (`properties: Events`), by name."""
        return ((self.functions[function].get("properties") or {}).get("Events")) or {}

    def s3_code(self, function: str):
        """The S3 location the stack gives for the function's code (`source: s3://...` or
        `{Bucket, Key}`), or None when the code is a local folder."""
        source = self.functions[function].get("source")
        if isinstance(source, str) and source.startswith("s3://"):
            bucket, key = source[len("s3://"):].split("/", 1)
            return bucket, key
        if isinstance(source, dict):
            return source["Bucket"], source["Key"]
        return None

    def uses(self, parameter: str) -> list[str]:
        """The Stream and Function keys whose value refers to `parameter`."""
        return sorted({k for r in self.resources.values() for k, v in r.items()
                       if parameter in intrinsics.refs(v)})

    def discoveries(self, function: str):
        """Each dashed wire of `function` with its variable names, as the specification gives
        them: `env`, or the first free `_2`, `_3`, ... suffix on both."""
        taken = set((self.functions[function].get("environment") or {}).keys())
        for w in self.wires:
            if w["from"] == function and w["to"] in self.streams and "env" in w:
                taken |= {w["env"]["name"], w["env"]["arn"]}
        out = []
        for w in self.wires:
            if not (w["from"] == function and w["to"] in self.streams):
                continue
            if "env" in w:
                names = (w["env"]["name"], w["env"]["arn"])
            else:
                n = 1
                while True:
                    suffix = "" if n == 1 else f"_{n}"
                    names = (f"STREAM_NAME{suffix}", f"STREAM_ARN{suffix}")
                    if not (set(names) & taken):
                        break
                    n += 1
                taken |= set(names)
            out.append((w, names[0], names[1]))
        return out


def handler_files(runtime: str, handler: str, variables: list[str]) -> dict[str, str]:
    """The code zip: the product documentation's SDK example for each variable a dashed wire
    gave (one module per variable when there are several), or a handler that counts records."""
    if runtime.startswith("python"):
        module = handler.rsplit(".", 1)[0].replace(".", "/")
        body = PY_EXAMPLE.format(var=variables[0]) if variables else (
            "def handler(event, context):\n    return len(event.get('Records', []))\n")
        files = {module + ".py": body}
        for i, var in enumerate(variables[1:], 2):
            files[f"{module}_{i}.py"] = PY_EXAMPLE.format(var=var)
        return files
    if runtime.startswith("nodejs"):
        module = handler.rsplit(".", 1)[0]
        body = JS_EXAMPLE.format(var=variables[0]) if variables else (
            "exports.handler = async event => (event.Records || []).length;\n")
        files = {module + ".js": body}
        for i, var in enumerate(variables[1:], 2):
            files[f"{module}_{i}.js"] = JS_EXAMPLE.format(var=var)
        return files
    return {"README": f"{runtime} handler {handler}: not run by this test\n"}


def zip_bytes(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            z.writestr(info, text)
    return buf.getvalue()


def arn_account_region(arn: str) -> tuple[str, str]:
    p = arn.split(":")
    return p[4], p[3]


class Deployment:
    def __init__(self, aws: Aws, stackwire: str, root: str, name: str, path: str, fails: Failures,
                 values: dict | None = None):
        self.aws, self.stackwire, self.root = aws, stackwire, root
        self.values = values or PARAMETER_VALUES
        self.name, self.path, self.fails = name, path, fails
        self.model = Model(path)
        self.args = args_of(path)
        env = self.args[self.args.index("--environment") + 1] if "--environment" in self.args else None
        self.environment = env
        self.code_files: dict[str, dict[str, str]] = {}
        self.translated: dict | None = None
        self.parameters: dict[str, object] = {}  # what the stack is created with
        self.resolved: dict[str, object] = {}  # every parameter's value, as CloudFormation has it
        self.resolver = intrinsics.Resolver(name, ACCOUNT, REGION, self.resolved,
                                            self.model.template.get("Conditions") or {})

    # -- before the stack: the account as the stack expects it ---------------------------
    def prepare(self) -> None:
        s3 = self.aws.client("s3")
        for sid, s in self.model.streams.items():
            existing = s.get("existing")
            if isinstance(existing, str):
                account, region = arn_account_region(existing)
                kinesis = self.aws.client("kinesis", account, region)
                name = existing.split("/", 1)[1]
                if name not in kinesis.list_streams()["StreamNames"]:
                    kinesis.create_stream(StreamName=name, ShardCount=1)
            elif isinstance(existing, dict) and "env" in existing:
                name = f"{self.name}-{sid}-existing"
                kinesis = self.aws.client("kinesis")
                kinesis.create_stream(StreamName=name, ShardCount=1)
                arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
                self.aws.client("ssm").put_parameter(
                    Name=f"/{self.environment}/{existing['env']}", Value=arn, Type="String", Overwrite=True)
        self.translated = self.template()
        self.prepare_parameters(self.translated.get("Parameters") or {})
        iam = self.aws.client("iam")
        for fid, f in self.model.functions.items():
            for p in f.get("policies") or []:
                # A customer managed policy the stack attaches: the account has it (granting
                # nothing on Kinesis).
                m = re.fullmatch(r"arn:aws:iam::(\d{12}):policy/(.+)", p) if isinstance(p, str) else None
                if m and m.group(1) == ACCOUNT:
                    try:
                        iam.create_policy(PolicyName=m.group(2), PolicyDocument=json.dumps({
                            "Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                            "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}))
                    except iam.exceptions.EntityAlreadyExistsException:
                        pass
            variables = [n for w, n, _ in self.model.discoveries(fid)
                         if w.get("access", "readWrite") != "read"]
            files = handler_files(f["runtime"], f["handler"], variables)
            self.code_files[fid] = files
            location = self.model.s3_code(fid)
            if location is None:
                s3.put_object(Bucket=BUCKET, Key=f"{self.name}/{fid}.zip", Body=zip_bytes(files))
                continue
            # Code already in S3, where the stack says: the harness puts it there.
            bucket, key = (str(self.resolver.value(x)) for x in location)
            try:
                s3.create_bucket(Bucket=bucket)
            except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
                pass
            s3.put_object(Bucket=bucket, Key=key, Body=zip_bytes(files))

    def prepare_parameters(self, parameters: dict) -> None:
        """A value for each template parameter without a default (`PARAMETER_VALUES`, by type),
        and, for each `AWS::SSM::Parameter::Value<String>` whose path Parameter Store does not
        hold yet, a value there (`SSM_VALUES`, by the key that reads it)."""
        ssm = self.aws.client("ssm")
        for pid, spec in parameters.items():
            kind = spec.get("Type", "String")
            if "Default" not in spec:
                given = self.values.get(kind)
                if given is None:
                    raise RuntimeError(f"{self.name}: no value for parameter {pid} of type {kind}")
                value = given(self.aws.vpc()) if callable(given) else given
                self.parameters[pid] = value
            else:
                value = spec["Default"]
            if kind == "AWS::SSM::Parameter::Value<String>":
                try:
                    value = ssm.get_parameter(Name=value)["Parameter"]["Value"]
                except ssm.exceptions.ParameterNotFound:
                    uses = self.model.uses(pid)
                    known = [SSM_VALUES[u] for u in uses if u in SSM_VALUES]
                    if len(known) != 1:
                        raise RuntimeError(f"{self.name}: no value to store at {value} for "
                                           f"{pid} (read by {uses})")
                    ssm.put_parameter(Name=value, Value=known[0], Type="String")
                    value = known[0]
            self.resolved[pid] = value.split(",") if kind.startswith("List<") else value

    def template(self, path: str | None = None) -> dict:
        text = compile_stack(self.stackwire, path or self.path, self.args)
        code = {fid: f"{self.name}/{fid}.zip" for fid in self.model.functions
                if self.model.s3_code(fid) is None}
        return translate(text, self.name, code)

    def create(self) -> bool:
        cfn = self.aws.client("cloudformation")
        template = self.translated or self.template()
        cfn.create_stack(StackName=self.name, TemplateBody=json.dumps(template),
                         Parameters=[{"ParameterKey": k, "ParameterValue": str(v)}
                                     for k, v in sorted(self.parameters.items())],
                         Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
        return self.wait("CREATE_COMPLETE")

    def wait(self, want: str) -> bool:
        cfn = self.aws.client("cloudformation")
        for _ in range(100):
            status = cfn.describe_stacks(StackName=self.name)["Stacks"][0]["StackStatus"]
            if not status.endswith("IN_PROGRESS"):
                break
            time.sleep(0.05)
        events = cfn.describe_stack_events(StackName=self.name)["StackEvents"]
        failed = [f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}" for e in events
                  if e["ResourceStatus"].endswith("FAILED")]
        self.fails.check(status == want and not failed, f"{self.name}: stack {status}, {failed}")
        return status == want

    def physical(self) -> dict[str, str]:
        cfn = self.aws.client("cloudformation")
        res = cfn.describe_stack_resources(StackName=self.name)["StackResources"]
        # moto lists a resource its condition left out as an entry without ID or type (AWS
        # lists none): left out here too.
        res = [r for r in res if "LogicalResourceId" in r]
        self.types = {r["LogicalResourceId"]: r["ResourceType"] for r in res}
        # moto gives no physical ID to some types (a Lambda permission, an API deployment).
        physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in res}
        self.resolver.physical = physical
        self.resolver.attribute = self.attribute
        return physical

    def attribute(self, logical_id: str, name: str):
        """`!GetAtt logical_id.name`, asked of the API of the resource's type."""
        kind = self.types.get(logical_id)
        pid = self.resolver.physical.get(logical_id)
        if kind == "AWS::Kinesis::Stream" and name == "Arn":
            return self.aws.client("kinesis").describe_stream_summary(StreamName=pid)[
                "StreamDescriptionSummary"]["StreamARN"]
        if kind == "AWS::IAM::Role" and name == "Arn":
            return self.aws.client("iam").get_role(RoleName=pid)["Role"]["Arn"]
        if kind == "AWS::Lambda::Function" and name == "Arn":
            return self.aws.client("lambda").get_function_configuration(FunctionName=pid)["FunctionArn"]
        if kind == "AWS::DynamoDB::Table" and name in ("Arn", "StreamArn"):
            table = self.aws.client("dynamodb").describe_table(TableName=pid)["Table"]
            return table["TableArn" if name == "Arn" else "LatestStreamArn"]
        if kind == "AWS::SNS::Topic" and name in ("TopicName", "TopicArn"):
            arn = self.aws.client("sns").get_topic_attributes(TopicArn=pid)["Attributes"]["TopicArn"]
            return arn if name == "TopicArn" else arn.rsplit(":", 1)[1]
        if kind == "AWS::SQS::Queue" and name in ("QueueName", "Arn", "QueueUrl"):
            if name == "QueueUrl":
                return pid
            arn = self.aws.client("sqs").get_queue_attributes(
                QueueUrl=pid, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            return arn if name == "Arn" else arn.rsplit(":", 1)[1]
        if kind == "AWS::EC2::SecurityGroup" and name in ("GroupId", "VpcId"):
            group = self.aws.client("ec2").describe_security_groups(GroupIds=[pid])["SecurityGroups"][0]
            return group[name]
        raise LookupError(f"GetAtt {logical_id}.{name} ({kind}): not asked by this harness")

    # -- after: what was created --------------------------------------------------------
    def stream_arn(self, sid: str, physical: dict[str, str]) -> str:
        """The real ARN of the stream `sid` names, asked of Kinesis."""
        s = self.model.streams[sid]
        existing = s.get("existing")
        if isinstance(existing, str):
            return existing
        if isinstance(existing, dict) and "env" in existing:
            name = f"{self.name}-{sid}-existing"
        else:
            name = physical[sid]
        return self.aws.client("kinesis").describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"]["StreamARN"]

    def verify(self) -> dict:
        f, name = self.fails, self.name
        physical = self.physical()
        kinesis = self.aws.client("kinesis")
        arns = {sid: self.stream_arn(sid, physical) for sid in self.model.streams}
        facts = {"arns": arns, "physical": physical, "mappings": {}}
        for sid, s in self.model.streams.items():
            existing = s.get("existing")
            if isinstance(existing, (str,)) or (isinstance(existing, dict) and "env" in existing):
                f.check(sid not in physical, f"{name}: existing stream {sid} was created")
                continue
            summary = kinesis.describe_stream_summary(StreamName=physical[sid])["StreamDescriptionSummary"]
            what = f"{name}: stream {sid}"
            if "name" in s:
                f.equal(physical[sid], self.resolver.name(s["name"]), f"{what} name")
            mode = "ON_DEMAND" if s.get("mode") == "onDemand" else "PROVISIONED"
            f.equal(summary["StreamModeDetails"]["StreamMode"], mode, f"{what} mode")
            if mode == "PROVISIONED":
                f.equal(summary["OpenShardCount"], int(self.resolver.value(s.get("shardCount", 1))),
                        f"{what} shards")
            f.equal(summary["RetentionPeriodHours"], int(self.resolver.value(s.get("retentionHours", 24))),
                    f"{what} retention")
            enc = s.get("encryption", "aws")
            want = ("NONE", None) if enc == "none" else ("KMS", "alias/aws/kinesis" if enc == "aws" else enc)
            f.equal((summary.get("EncryptionType"), summary.get("KeyId")), want, f"{what} encryption")
            tags = kinesis.list_tags_for_stream(StreamName=physical[sid])["Tags"]
            f.equal({t["Key"]: t["Value"] for t in tags}, dict(s.get("tags") or {}), f"{what} tags")
        lam, iam = self.aws.client("lambda"), self.aws.client("iam")
        for fid, fn in self.model.functions.items():
            what = f"{name}: function {fid}"
            conf = lam.get_function_configuration(FunctionName=physical[fid])
            if "name" in fn:
                f.equal(conf["FunctionName"], self.resolver.name(fn["name"]), f"{what} name")
            f.equal(conf["Runtime"], fn["runtime"], f"{what} runtime")
            f.equal(conf["Handler"], fn["handler"], f"{what} handler")
            for key, conf_key in (("memory", "MemorySize"), ("timeout", "Timeout")):
                if key in fn:
                    f.equal(conf[conf_key], int(self.resolver.value(fn[key])), f"{what} {conf_key}")
            if "description" in fn:
                f.equal(conf.get("Description"), self.resolver.value(fn["description"]), f"{what} description")
            self.verify_function_properties(fid, fn, conf, what)
            variables = (conf.get("Environment") or {}).get("Variables") or {}
            want = {k: self.resolver.value(v) if intrinsics.is_intrinsic(v) else v
                    for k, v in (fn.get("environment") or {}).items()}
            want = {k: v for k, v in want.items() if v is not intrinsics.NO_VALUE}
            discoveries = self.model.discoveries(fid)
            for w, name_var, arn_var in discoveries:
                arn = arns[w["to"]]
                want[name_var] = arn.split("/", 1)[1]
                want[arn_var] = arn
            f.equal(variables, want, f"{what} environment (resolved)")
            # The role: every policy document attached to it.
            role = conf["Role"].rsplit("/", 1)[1]
            docs = role_documents(iam, role)
            # What IAM accepts (its default quotas): at most 10 managed policies on a role, and
            # at most 10,240 characters of inline policy, whitespace not counted.
            attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
            f.check(len(attached) <= 10, f"{what}: {len(attached)} managed policies on the role")
            inline = sum(len(re.sub(r"\s", "", json.dumps(iam.get_role_policy(
                RoleName=role, PolicyName=p)["PolicyDocument"]))) for p in
                iam.list_role_policies(RoleName=role)["PolicyNames"])
            f.check(inline <= 10240, f"{what}: {inline} characters of inline policy on the role")
            facts.setdefault("roles", {})[fid] = docs
            self.verify_policies(fn, docs, [a["PolicyName"] for a in attached], what)
            for w, _, _ in discoveries:
                access = w.get("access", "readWrite")
                arn = arns[w["to"]]
                need = {"read": READS, "write": WRITES, "readWrite": READ_WRITE}[access]
                for action in need:
                    got = policy.evaluate(docs, action, arn)
                    f.check(got == policy.ALLOWED, f"{what}: {action} on {arn} is {got} ({access})")
                if access != "readWrite":
                    for action in FORBIDDEN:
                        got = policy.evaluate(docs, action, arn)
                        f.check(got == policy.DENIED, f"{what}: {action} on {arn} is {got} ({access})")
                others = [x.get("access", "readWrite") for x, _, _ in discoveries
                          if x["to"] == w["to"] and x is not w]
                if access == "read" and not any(a != "read" for a in others):
                    for action in ("kinesis:PutRecord", "kinesis:PutRecords"):
                        got = policy.evaluate(docs, action, arn)
                        f.check(got == policy.DENIED, f"{what}: {action} on {arn} is {got} (read)")
            # Solid wires: the mappings, every knob.
            mappings = lam.list_event_source_mappings(FunctionName=physical[fid])["EventSourceMappings"]
            events = self.model.events(fid)
            mapped = [e for e in self.model.other_events(fid).values() if e.get("Type") in MAPPED_EVENTS]
            f.equal(len(mappings), len(events) + len(mapped), f"{what} mappings")
            self.verify_other_events(fid, physical, what)
            for w in events:
                sid = w["from"]
                fan_out = w.get("fanOut", False)
                if fan_out:
                    owner = self.aws.client("kinesis", *arn_account_region(arns[sid]))
                    consumers = owner.list_stream_consumers(StreamARN=arns[sid])["Consumers"]
                    mine = [c for c in consumers if c["ConsumerName"] == f"{name}-{fid}"]
                    f.equal(len(mine), 1, f"{what}: consumer on {sid}")
                    source = mine[0]["ConsumerARN"] if mine else None
                    if mine:
                        for action in ("kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"):
                            got = policy.evaluate(docs, action, source)
                            f.check(got == policy.ALLOWED, f"{what}: {action} on {source} is {got}")
                else:
                    source = arns[sid]
                m = [m for m in mappings if m["EventSourceArn"] == source]
                f.equal(len(m), 1, f"{what}: mapping from {source}")
                if not m:
                    continue
                m = m[0]
                facts["mappings"][(fid, sid)] = m
                mw = f"{what}: mapping from {sid}"
                # SAM's Logical ID for it: the function's and the event's (`event`, or the stream's).
                lid = fid + w.get("event", sid)
                f.equal((self.types.get(lid), physical.get(lid)),
                        ("AWS::Lambda::EventSourceMapping", m["UUID"]), f"{mw}: Logical ID {lid}")
                for key, value in (w.get("properties") or {}).items():
                    f.equal(m.get(key), to_json(self.resolver.value(value)), f"{mw} {key}")
                expected = {
                    "BatchSize": w.get("batchSize", 1),
                    "StartingPosition": w.get("startingPosition", "TRIM_HORIZON"),
                    "MaximumBatchingWindowInSeconds": w.get("batchWindow"),
                    "ParallelizationFactor": w.get("parallelization"),
                    "MaximumRetryAttempts": w.get("retries"),
                    "MaximumRecordAgeInSeconds": w.get("maxRecordAge"),
                    "BisectBatchOnFunctionError": w.get("bisectOnError"),
                    "TumblingWindowInSeconds": w.get("tumblingWindow"),
                    "FunctionResponseTypes": ["ReportBatchItemFailures"] if w.get("reportBatchItemFailures") else None,
                    "State": "Disabled" if w.get("enabled") is False else "Enabled",
                }
                for key, value in expected.items():
                    f.equal(m.get(key), value, f"{mw} {key}")
                ts = m.get("StartingPositionTimestamp")
                ts = ts.timestamp() if hasattr(ts, "timestamp") else ts
                f.equal(ts, w.get("startingPositionTimestamp"), f"{mw} StartingPositionTimestamp")
                dest = ((m.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
                f.equal(dest, w.get("onFailure"), f"{mw} OnFailure.Destination")
                patterns = [json.loads(x["Pattern"]) for x in ((m.get("FilterCriteria") or {}).get("Filters") or [])]
                f.equal(patterns, [to_json(p) for p in (w.get("filters") or [])], f"{mw} filters")
                # What the mapping calls to read, allowed by the reading function's role.
                calls = ["kinesis:SubscribeToShard"] if fan_out else MAPPING_CALLS
                for action in calls:
                    got = policy.evaluate(docs, action, source)
                    f.check(got == policy.ALLOWED, f"{mw}: {action} on {source} is {got}")
        self.verify_template(physical)
        return facts

    # -- after: what the stack holds beyond Streams and Functions ------------------------
    def verify_function_properties(self, fid: str, fn: dict, conf: dict, what: str) -> None:
        """The function's own `properties` the Lambda API answers for."""
        f = self.fails
        props = fn.get("properties") or {}
        if "VpcConfig" in props:
            want = self.resolver.value(props["VpcConfig"])
            got = conf.get("VpcConfig") or {}
            f.equal({k: got.get(k) for k in want}, want, f"{what} VpcConfig")
        if "ReservedConcurrentExecutions" in props:
            got = self.aws.client("lambda").get_function_concurrency(
                FunctionName=conf["FunctionName"]).get("ReservedConcurrentExecutions")
            f.equal(got, int(self.resolver.value(props["ReservedConcurrentExecutions"])),
                    f"{what} ReservedConcurrentExecutions")

    def verify_policies(self, fn: dict, docs: list, attached: list[str], what: str) -> None:
        """Each of the function's own `policies` is on its role: a managed policy attached, a
        policy template's and an inline document's grant allowed by the role's documents."""
        for p in fn.get("policies") or []:
            if isinstance(p, str):
                self.fails.check(p.rsplit("/", 1)[-1] in attached, f"{what}: policy {p} not attached ({attached})")
            elif isinstance(p, dict) and "Statement" in p:
                for st in intrinsics_list(self.resolver.value(p["Statement"])):
                    for action in intrinsics_list(st.get("Action")):
                        for res in intrinsics_list(st.get("Resource")):
                            got = policy.evaluate(docs, action, res)
                            self.fails.check(got == policy.ALLOWED, f"{what}: {action} on {res} is {got}")
            elif isinstance(p, dict) and len(p) == 1:
                (template, args), = p.items()
                if template not in POLICY_TEMPLATES:
                    self.fails.check(False, f"{what}: policy template {template} not modelled by this harness")
                    continue
                action, resource = POLICY_TEMPLATES[template]
                arn = resource(self.resolver.value(args))
                got = policy.evaluate(docs, action, arn)
                self.fails.check(got == policy.ALLOWED, f"{what}: {template}: {action} on {arn} is {got}")

    def verify_other_events(self, fid: str, physical: dict, what: str) -> None:
        """The function's own SAM events: each as SAM expands it, created with its Logical ID."""
        for event, spec in self.model.other_events(fid).items():
            kind, props = spec.get("Type"), self.resolver.value(spec.get("Properties") or {})
            ew = f"{what}: event {event} ({kind})"
            if kind == "Schedule":
                lid = fid + event
                self.fails.equal(self.types.get(lid), "AWS::Events::Rule", f"{ew}: Logical ID {lid}")
                if lid in physical:
                    events = self.aws.client("events")
                    rule = events.describe_rule(Name=physical[lid])
                    self.fails.equal(rule.get("ScheduleExpression"), props.get("Schedule"), f"{ew} schedule")
                    targets = [t["Arn"] for t in events.list_targets_by_rule(Rule=physical[lid])["Targets"]]
                    self.fails.equal(targets, [self.attribute(fid, "Arn")], f"{ew} targets")
                self.fails.equal(self.types.get(lid + "Permission"), "AWS::Lambda::Permission",
                                 f"{ew}: Logical ID {lid}Permission")
            elif kind == "Api":
                api = props.get("RestApiId")
                lid = api["Ref"] if isinstance(api, dict) else "ServerlessRestApi"
                self.fails.equal(self.types.get(lid), "AWS::ApiGateway::RestApi", f"{ew}: Logical ID {lid}")
                if lid in physical:
                    items = self.aws.client("apigateway").get_resources(
                        restApiId=physical[lid], embed=["methods"])["items"]
                    methods = {m for r in items if r.get("path") == props["Path"]
                               for m in (r.get("resourceMethods") or {})}
                    self.fails.check(props["Method"].upper() in methods,
                                     f"{ew}: {props['Method'].upper()} {props['Path']} not on the API ({items})")
                perms = [k for k, t in self.types.items()
                         if t == "AWS::Lambda::Permission" and k.startswith(fid + event + "Permission")]
                self.fails.check(len(perms) == 1, f"{ew}: permission {perms}")
            elif kind not in MAPPED_EVENTS:
                self.fails.check(False, f"{ew}: event type not modelled by this harness")

    def verify_template(self, physical: dict) -> None:
        """The stack's `template:` content: each resource created (or not, by its condition)
        with its Logical ID and type, and one fact of it asked of its API; the Outputs."""
        f, name, r = self.fails, self.name, self.resolver
        for lid, spec in (self.model.template.get("Resources") or {}).items():
            what = f"{name}: resource {lid}"
            if "Condition" in spec and not r.condition(spec["Condition"]):
                f.check(lid not in physical, f"{what}: created, though {spec['Condition']} is false")
                continue
            f.equal(self.types.get(lid), spec["Type"], f"{what} type")
            if lid not in physical:
                continue
            props = r.value(spec.get("Properties") or {})
            kind, pid = spec["Type"], physical[lid]
            if kind == "AWS::SQS::Queue":
                attrs = self.aws.client("sqs").get_queue_attributes(QueueUrl=pid, AttributeNames=["All"])["Attributes"]
                if "QueueName" in props:
                    f.equal(attrs["QueueArn"].rsplit(":", 1)[1], props["QueueName"], f"{what} QueueName")
                if "MessageRetentionPeriod" in props:
                    f.equal(int(attrs["MessageRetentionPeriod"]), int(props["MessageRetentionPeriod"]),
                            f"{what} MessageRetentionPeriod")
            elif kind == "AWS::SNS::Topic":
                arn = self.aws.client("sns").get_topic_attributes(TopicArn=pid)["Attributes"]["TopicArn"]
                f.equal(arn, pid, f"{what} TopicArn")
                if "TopicName" in props:
                    f.equal(arn.rsplit(":", 1)[1], props["TopicName"], f"{what} TopicName")
            elif kind == "AWS::DynamoDB::Table":
                table = self.aws.client("dynamodb").describe_table(TableName=pid)["Table"]
                f.equal(table["KeySchema"], props.get("KeySchema"), f"{what} KeySchema")
                view = (props.get("StreamSpecification") or {}).get("StreamViewType")
                f.equal((table.get("StreamSpecification") or {}).get("StreamViewType"), view,
                        f"{what} StreamViewType")
            elif kind == "AWS::EC2::SecurityGroup":
                group = self.aws.client("ec2").describe_security_groups(GroupIds=[pid])["SecurityGroups"][0]
                f.equal((group.get("VpcId"), group.get("Description")),
                        (props.get("VpcId"), props.get("GroupDescription")), f"{what} VPC and description")
            else:
                f.check(False, f"{what}: type {kind} not asked by this harness")
        outputs = self.model.template.get("Outputs") or {}
        stack = self.aws.client("cloudformation").describe_stacks(StackName=name)["Stacks"][0]
        got = {o["OutputKey"]: (o["OutputValue"], o.get("ExportName")) for o in stack.get("Outputs") or []}
        want = {}
        for key, spec in outputs.items():
            if "Condition" in spec and not r.condition(spec["Condition"]):
                continue
            export = spec.get("Export", {}).get("Name")
            want[key] = (str(r.value(spec["Value"])), None if export is None else r.value(export))
        f.equal(got, want, f"{name}: outputs")
        if any(e for _, e in want.values()):
            exports = {}
            for page in self.aws.client("cloudformation").get_paginator("list_exports").paginate():
                exports.update({e["Name"]: e["Value"] for e in page["Exports"]})
            for key, (value, export) in want.items():
                if export is not None:
                    f.equal(exports.get(export), value, f"{name}: export {export}")

    # -- the SDK example ------------------------------------------------------------------
    def run_examples(self, facts: dict) -> int:
        """Runs each Python handler that writes (the product documentation's example) with its
        function's resolved environment; every call it makes must be allowed by its role; the
        record is read back from the starting position of a mapping that reads that stream."""
        ran = 0
        lam = self.aws.client("lambda")
        for fid, fn in self.model.functions.items():
            node = fn["runtime"].startswith("nodejs")
            if not (fn["runtime"].startswith("python") or node):
                continue
            writes = [d for d in self.model.discoveries(fid) if d[0].get("access", "readWrite") != "read"]
            if not writes:
                continue
            conf = lam.get_function_configuration(FunctionName=facts["physical"][fid])
            env = conf["Environment"]["Variables"]
            module = fn["handler"].rsplit(".", 1)[0]
            if not node:
                module = module.replace(".", "/")
            modules = [module] + [f"{module}_{i}" for i in range(2, len(writes) + 1)]
            for (w, name_var, _), mod in zip(writes, modules):
                sid = w["to"]
                arn = facts["arns"][sid]
                what = f"{self.name}: {fid}'s SDK example ({name_var})"
                account, region = arn_account_region(arn)
                reader = self.aws.client("kinesis", account, region)
                before = {s["ShardId"]: reader.get_shard_iterator(StreamName=arn.split("/", 1)[1], ShardId=s["ShardId"],
                          ShardIteratorType="LATEST")["ShardIterator"]
                          for s in reader.list_shards(StreamARN=arn)["Shards"]}
                calls = []
                if node:
                    result = run_node(self.code_files[fid], mod + ".js", "handler", {}, env,
                                      self.aws, account, region, calls)
                else:
                    result = run_handler(self.code_files[fid][mod + ".py"], env, self.aws, account,
                                         region, calls)
                ran += 1
                self.fails.check(isinstance(result, dict) and "SequenceNumber" in result,
                                 f"{what}: put_record answered {result!r}")
                for op, params in calls:
                    target = params.get("StreamARN") or stream_arn_by_name(params.get("StreamName"), account, region)
                    got = policy.evaluate(facts["roles"][fid], f"kinesis:{op}", target)
                    self.fails.check(got == policy.ALLOWED, f"{what}: kinesis:{op} on {target} is {got}")
                self.fails.check([op for op, _ in calls] == ["PutRecord"], f"{what}: calls {calls}")
                self.fails.equal(calls[0][1].get("StreamName") if calls else None, arn.split("/", 1)[1],
                                 f"{what}: stream written")
                # Read back as the mapping would, from its starting position.
                mapping = next((m for (f2, s2), m in facts["mappings"].items() if s2 == sid), None)
                position = mapping["StartingPosition"] if mapping else "TRIM_HORIZON"
                found = read_back(reader, arn, position, before, mapping)
                self.fails.check(("123", b"Sample Record") in found,
                                 f"{what}: record not read back from {position}: {found}")
        return ran


def intrinsics_list(value) -> list:
    """A policy element (one value or a list) as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def to_json(node):
    if isinstance(node, dict):
        return {str(k): to_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_json(v) for v in node]
    return node


def stream_arn_by_name(name, account, region):
    return f"arn:aws:kinesis:{region}:{account}:stream/{name}"


def role_documents(iam, role: str) -> list[dict]:
    docs = []
    for p in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        docs.append(iam.get_role_policy(RoleName=role, PolicyName=p)["PolicyDocument"])
    for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        meta = iam.get_policy(PolicyArn=p["PolicyArn"])["Policy"]
        version = iam.get_policy_version(PolicyArn=p["PolicyArn"], VersionId=meta["DefaultVersionId"])
        docs.append(version["PolicyVersion"]["Document"])
    return [document(d) for d in docs]


def document(d):
    """A policy document as IAM returns it: JSON text, or already parsed by boto."""
    return json.loads(d) if isinstance(d, str) else d


def run_handler(source: str, env: dict, aws: Aws, account: str, region: str, calls: list,
                export: str = "handler", event=None):
    """The handler module, imported fresh with the function's environment (as Lambda sets it)
    and the emulator as endpoint; records each API call it makes."""
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        os.environ.update({"AWS_ENDPOINT_URL": aws.endpoint, "AWS_DEFAULT_REGION": region,
                           "AWS_REGION": region, "AWS_ACCESS_KEY_ID": account,
                           "AWS_SECRET_ACCESS_KEY": "secret"})
        boto3.setup_default_session()
        boto3.DEFAULT_SESSION.events.register(
            "before-parameter-build.kinesis",
            lambda model, params, **kw: calls.append((model.name, dict(params))))
        module = types.ModuleType("handler_under_test")
        exec(compile(source, "handler.py", "exec"), module.__dict__)
        return getattr(module, export)({} if event is None else event, None)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        boto3.DEFAULT_SESSION = None


def run_node(files: dict, module_file: str, export: str, event, env: dict, aws: Aws, account: str,
             region: str, calls: list):
    """The Node handler, run for real by `node` (`run_node.js`) with the function's environment,
    the AWS SDK for JavaScript v3 from `NODE_PATH` (what the test installed, pinned), and the
    emulator as endpoint through the SDK's own variables. Records each Kinesis call it makes."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_node.js")
        child_env = {"PATH": os.environ.get("PATH", ""), "NODE_PATH": os.environ["NODE_PATH"],
                     **env, "AWS_ENDPOINT_URL": aws.endpoint, "AWS_REGION": region,
                     "AWS_DEFAULT_REGION": region, "AWS_ACCESS_KEY_ID": account,
                     "AWS_SECRET_ACCESS_KEY": "secret"}
        out = subprocess.run(["node", runner, os.path.join(tmp, module_file), export],
                             input=json.dumps(event), capture_output=True, text=True, env=child_env,
                             timeout=60)
    lines = out.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"node {module_file} printed nothing ({out.returncode}): {out.stderr}")
    answer = json.loads(lines[-1])
    calls.extend((op, params) for op, params in answer["calls"])
    if "error" in answer:
        raise RuntimeError(f"node {module_file}: {answer['error']}")
    return answer["result"]


def read_back(kinesis, arn: str, position: str, latest: dict, mapping) -> list:
    found = []
    name = arn.split("/", 1)[1]
    for shard in kinesis.list_shards(StreamARN=arn)["Shards"]:
        sid = shard["ShardId"]
        if position == "LATEST":
            it = latest.get(sid)
        elif position == "AT_TIMESTAMP":
            it = kinesis.get_shard_iterator(StreamName=name, ShardId=sid, ShardIteratorType="AT_TIMESTAMP",
                                            Timestamp=mapping["StartingPositionTimestamp"])["ShardIterator"]
        else:
            it = kinesis.get_shard_iterator(StreamName=name, ShardId=sid,
                                            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        if it:
            for r in kinesis.get_records(ShardIterator=it)["Records"]:
                found.append((r["PartitionKey"], r["Data"]))
    return found


def deploy_init(aws: Aws, stackwire: str, root: str, fails: Failures) -> str:
    """`stackwire init`'s project, deployed as it is, its handlers run: each producer (Python in
    the harness, Node by `node`) puts a record with the variable its wire gave, the record is read
    back from the mapping's starting position, and the consumer reading that stream is run on
    that record as its Kinesis event and must answer it decoded."""
    import base64
    import subprocess
    import tempfile

    tmp = tempfile.mkdtemp(prefix="stackwire-init-")
    out = subprocess.run([stackwire, "init", tmp], capture_output=True, text=True)
    if out.returncode != 0:
        fails.check(False, f"stackwire init failed ({out.returncode}): {out.stderr}")
        return "init: failed"
    d = Deployment(aws, stackwire, root, "init-project", os.path.join(tmp, "stack.yaml"), fails)
    d.prepare()
    s3 = aws.client("s3")
    for fid in d.model.functions:
        src = os.path.join(tmp, "src", fid)
        files = {}
        for base, _, names in os.walk(src):
            for n in names:
                full = os.path.join(base, n)
                files[os.path.relpath(full, src)] = open(full, encoding="utf-8").read()
        d.code_files[fid] = files
        s3.put_object(Bucket=BUCKET, Key=f"{d.name}/{fid}.zip", Body=zip_bytes(files))
    if not d.create():
        return "init: create failed"
    facts = d.verify()
    lam = aws.client("lambda")
    ran = 0

    def invoke(fid, event):
        fn = d.model.functions[fid]
        env = lam.get_function_configuration(FunctionName=facts["physical"][fid])["Environment"]["Variables"] \
            if d.model.discoveries(fid) else {}
        module, export = fn["handler"].rsplit(".", 1)
        calls = []
        if fn["runtime"].startswith("nodejs"):
            result = run_node(d.code_files[fid], module + ".js", export, event, env, aws, ACCOUNT, REGION, calls)
        else:
            source = d.code_files[fid][module.replace(".", "/") + ".py"]
            result = run_handler(source, env, aws, ACCOUNT, REGION, calls, export, event)
        return result, calls

    for fid in d.model.functions:
        writes = [x for x in d.model.discoveries(fid) if x[0].get("access", "readWrite") != "read"]
        for w, name_var, _ in writes:
            sid = w["to"]
            arn = facts["arns"][sid]
            what = f"init: {fid} ({name_var})"
            kinesis = aws.client("kinesis")
            latest = {sh["ShardId"]: kinesis.get_shard_iterator(StreamARN=arn, ShardId=sh["ShardId"],
                      ShardIteratorType="LATEST")["ShardIterator"]
                      for sh in kinesis.list_shards(StreamARN=arn)["Shards"]}
            result, calls = invoke(fid, {})
            ran += 1
            fails.equal([op for op, _ in calls], ["PutRecord"], f"{what}: calls")
            for op, params in calls:
                target = params.get("StreamARN") or stream_arn_by_name(params.get("StreamName"), ACCOUNT, REGION)
                fails.equal(target, arn, f"{what}: {op} addresses")
                got = policy.evaluate(facts["roles"][fid], f"kinesis:{op}", target)
                fails.check(got == policy.ALLOWED, f"{what}: kinesis:{op} on {target} is {got}")
            fails.check(isinstance(result, dict) and len(result) == 1, f"{what}: answered {result!r}")
            want = {"hello": f"from {d.model.functions[fid]['handler'].rsplit('.', 1)[1]}"}

            def decoded(v):
                try:
                    return json.loads(v)
                except ValueError:
                    return None
            for (reader, source), m in facts["mappings"].items():
                if source != sid:
                    continue
                found = read_back(kinesis, arn, m["StartingPosition"], latest, m)
                mine = [(k, v) for k, v in found if decoded(v) == want]
                fails.check(len(mine) == 1, f"{what}: record not read back from {m['StartingPosition']}: {found}")
                event = {"Records": [{"eventSource": "aws:kinesis", "eventSourceARN": arn, "kinesis": {
                    "partitionKey": k, "data": base64.b64encode(v).decode(), "kinesisSchemaVersion": "1.0"}}
                    for k, v in mine]}
                answer, calls = invoke(reader, event)
                ran += 1
                fails.equal(calls, [], f"init: {reader}: calls")
                got = [(r.get("partitionKey"), decoded(r.get("data"))) for r in (answer or {}).get("records") or []]
                fails.equal(got, [("init", want)],
                            f"init: {reader} decoded")
    fails.check(ran >= 2, f"init: ran {ran} handlers")
    return f"init project deployed, {ran} handlers run"


def deploy_all(aws: Aws, stackwire: str, root: str, fails: Failures) -> str:
    ok = os.path.join(root, "fixtures", "ok")
    names = sorted(p[:-5] for p in os.listdir(ok) if p.endswith(".yaml"))
    only = os.environ.get("STACKWIRE_EMULATOR_ONLY")  # a prefix, to run some stacks by hand
    if only:
        names = [n for n in names if n.startswith(only)]
    stacks = examples = 0
    for name in names:
        started = time.monotonic()
        try:
            d = Deployment(aws, stackwire, root, name, os.path.join(ok, name + ".yaml"), fails)
            d.prepare()
            if not d.create():
                continue
            stacks += 1
            facts = d.verify()
            examples += d.run_examples(facts)
            print(f"{name}: {len(facts['physical'])} resources, {time.monotonic() - started:.1f} s")
        except Exception:  # one stack's error is its failure; the others still run
            fails.check(False, f"{name}: {traceback.format_exc()}")
    # A stack with conditions again, its text parameters other than the first time, so each
    # condition is verified both ways.
    again = 0
    for name in names:
        path = os.path.join(ok, name + ".yaml")
        if not (Model(path).template.get("Conditions")):
            continue
        started = time.monotonic()
        try:
            d = Deployment(aws, stackwire, root, f"{name}-other", path, fails,
                           {**PARAMETER_VALUES, "String": "staging"})
            d.prepare()
            if not d.create():
                continue
            again += 1
            facts = d.verify()
            examples += d.run_examples(facts)
            print(f"{name} (text parameters 'staging'): {len(facts['physical'])} resources, "
                  f"{time.monotonic() - started:.1f} s")
        except Exception:
            fails.check(False, f"{name} (again): {traceback.format_exc()}")
    if stacks == 0 or examples == 0:
        fails.check(False, f"deployed {stacks} stacks, ran {examples} SDK examples")
    return (f"{stacks}/{len(names)} stacks deployed ({again} again with other parameter values), "
            f"{examples} SDK examples run")


def update(aws: Aws, stackwire: str, root: str, fails: Failures) -> str:
    """Deploy, put records, change shardCount and a wire's batchSize, update."""
    import tempfile

    source = os.path.join(root, "fixtures", "ok", "orders-pipeline.yaml")
    d = Deployment(aws, stackwire, root, "update-test", source, fails)
    d.prepare()
    if not d.create():
        return "create failed"
    facts = d.verify()
    sid = next(k for k, s in d.model.streams.items() if "existing" not in s)
    fid, wire = next((w["to"], w) for w in d.model.wires if w["from"] == sid and w["to"] in d.model.functions)
    kinesis, lam = aws.client("kinesis"), aws.client("lambda")
    arn = facts["arns"][sid]
    before_map = facts["mappings"][(fid, sid)]
    for i in range(20):
        kinesis.put_record(StreamARN=arn, Data=f"record {i}".encode(), PartitionKey=f"k{i}")
    shards = d.model.streams[sid].get("shardCount", 1)
    batch = wire.get("batchSize", 1)
    text = open(source, encoding="utf-8").read()
    doc = YAML(typ="rt", pure=True)
    data = doc.load(text)
    data["resources"][sid]["shardCount"] = shards * 2
    for w in data["wires"]:
        if w["from"] == sid and w["to"] == fid:
            w["batchSize"] = batch + 7
    with tempfile.TemporaryDirectory() as tmp:
        changed = os.path.join(tmp, "orders-pipeline.yaml")
        with open(changed, "w", encoding="utf-8") as f:
            doc.dump(data, f)
        template = d.template(changed)
    aws.client("cloudformation").update_stack(
        StackName=d.name, TemplateBody=json.dumps(template),
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    if not d.wait("UPDATE_COMPLETE"):
        return "update failed"
    after_arn = kinesis.describe_stream_summary(StreamName=facts["physical"][sid])["StreamDescriptionSummary"]
    fails.equal(after_arn["StreamARN"], arn, "update: stream ARN")
    fails.equal(after_arn["OpenShardCount"], shards * 2, "update: open shards")
    records = set()
    for shard in kinesis.list_shards(StreamARN=arn)["Shards"]:
        it = kinesis.get_shard_iterator(StreamName=facts["physical"][sid], ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records |= {r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]}
    fails.check({f"record {i}".encode() for i in range(20)} <= records,
                f"update: records after resharding: {sorted(records)}")
    mappings = lam.list_event_source_mappings(FunctionName=facts["physical"][fid])["EventSourceMappings"]
    m = [m for m in mappings if m["EventSourceArn"] == arn]
    fails.equal([x["UUID"] for x in m], [before_map["UUID"]], "update: mapping UUID")
    fails.equal([x["BatchSize"] for x in m], [batch + 7], "update: BatchSize")
    return f"{sid}: {shards} -> {shards * 2} shards, {fid} batch {batch} -> {batch + 7}, 20 records kept"


def watch_parent() -> None:
    """Standard input is the test's pipe: when it closes (the test ended or was killed), stop,
    so the emulator never outlives the test."""
    def watch():
        sys.stdin.buffer.read()
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def main() -> int:
    stackwire, root, what = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if what == "selftest":
        print(f"policy evaluator: {policy.selftest()} cases")
        return 0
    watch_parent()
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        del os.environ[key]
    os.environ["AWS_DEFAULT_REGION"] = REGION  # the SAM translator asks boto for one
    # IAM with AWS's managed policies (AWSLambdaBasicExecutionRole, ...), as in a real account.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    start = time.monotonic()
    server, endpoint = start_server()
    try:
        aws = Aws(endpoint)
        aws.client("s3").create_bucket(Bucket=BUCKET)
        fails = Failures()
        parts = {"all": deploy_all, "init": deploy_init, "update": update}
        summary = "; ".join(parts[w](aws, stackwire, root, fails) for w in what.split(","))
    finally:
        server.stop()
    print(f"{summary}; {fails.checks} checks, {len(fails.items)} failed, "
          f"{time.monotonic() - start:.1f} s (emulator at {endpoint})")
    for item in fails.items:
        print("FAILED:", item)
    return 1 if fails.items or fails.checks == 0 else 0


def run(main):
    """Runs a harness's `main` and exits with its code, printing what it raised."""
    try:
        code = main()
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # not sys.exit: the thread blocked reading standard input would hang it


if __name__ == "__main__":
    run(main)
