//! Every problem stackwire can report: one miette diagnostic type with stable codes, its
//! messages, labels, help and severities.
//!
//! A `Problem` carries its own spans (byte offsets into the stack file) and help text; the source
//! text comes from the report that groups a file's problems (see `render::human`), so each
//! problem is rendered with the file name, line and column and the offending text underlined.
//! The codes (`stackwire::<name>`) are part of the public interface: tools and people match on
//! them, so a code is never renamed or reused for another problem. [`Problem::CODES`] lists them
//! all; it is made with the enum (see `define`), so it cannot miss one.
//!
//! A limit a message names is printed from the constant the check compares against
//! ([`crate::limits`]), so the two cannot disagree.

use std::sync::Arc;

use miette::{Diagnostic, Severity, SourceSpan};
use thiserror::Error;

use super::define::define_problems;
use super::thousands;
use crate::limits::{
    DEFAULT_MANAGED_POLICIES_PER_ROLE, MAX_DIRECT_TEMPLATE_BYTES, MAX_ENVIRONMENT_BYTES,
    MAX_INLINE_POLICY_CHARS, MAX_LOGICAL_ID, MAX_MANAGED_POLICIES_PER_ROLE, MAX_PARAMETERS,
    MAX_RESOURCES, MAX_TAG_KEY, MAX_TAG_VALUE, MAX_TAGS, MAX_TEMPLATE_BYTES, MIN_ENV_VAR_NAME,
};

define_problems! {
    /// One problem in a stack description.
    #[derive(Debug, Clone, Error, Diagnostic, PartialEq, Eq)]
    pub enum Problem {
        #[error("the file is not valid UTF-8 text")]
        InvalidUtf8 = invalid_utf8 {
            #[label("this byte is not UTF-8")]
            span: SourceSpan,
            #[help]
            help: String,
        },

        #[error("invalid YAML: {message}")]
        YamlSyntax = yaml_syntax {
            message: String,
            #[label("here")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("the stack description is empty")]
        #[diagnostic(
            help(
                "a stack needs at least a `resources:` mapping, for example:\nresources:\n  Stream:\n    type: Stream"
            )
        )]
        EmptyStack = empty_stack {
            #[label("nothing here but comments and blank lines")]
            span: SourceSpan,
        },

        #[error("`{key}` is defined twice")]
        #[diagnostic(help("YAML keys must be unique in a mapping; remove or rename one of them"))]
        DuplicateKey = duplicate_key {
            key: String,
            #[label("first defined here")]
            first: SourceSpan,
            #[label(primary, "defined again here")]
            span: SourceSpan,
        },

        #[error("unknown key `{key}` in {context}")]
        UnknownKey = unknown_key {
            key: String,
            context: String,
            #[label("not a key of {context}")]
            span: SourceSpan,
            /// Shared: the unknown keys of one mapping mostly get the same help (the list of
            /// the keys it takes), and a file can hold 200,000 of them.
            #[help]
            help: Option<Arc<str>>,
        },

        #[error("{key} must be {expected}, found {found}")]
        WrongType = wrong_type {
            key: String,
            expected: &'static str,
            found: String,
            #[label("expected {expected}")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("{context} is missing the required key `{key}`")]
        MissingKey = missing_key {
            key: &'static str,
            context: String,
            #[label("`{key}` is missing here")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("unknown resource type `{found}`")]
        UnknownResourceType = unknown_resource_type {
            found: String,
            #[label("not a resource type")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("`{found}` is not a valid value for `{key}`")]
        InvalidChoice = invalid_choice {
            key: String,
            found: String,
            #[label("expected one of {allowed}")]
            span: SourceSpan,
            allowed: String,
            #[help]
            help: Option<String>,
        },

        #[error("`{key}` is {value}, outside the allowed range {range}")]
        OutOfRange = out_of_range {
            key: String,
            value: String,
            range: String,
            #[label("must be {range}")]
            span: SourceSpan,
        },

        #[error("`{key}` is too long: {len} bytes, at most {max} are allowed")]
        TooLong = too_long {
            key: String,
            len: usize,
            max: usize,
            #[label("{len} bytes")]
            span: SourceSpan,
        },

        #[error("invalid Logical ID `{id}`: {reason}")]
        #[diagnostic(
            help(
                "a Logical ID is 1 to {max} letters and digits (A-Za-z0-9), unique within the stack",
                max = MAX_LOGICAL_ID
            )
        )]
        InvalidLogicalId = invalid_logical_id {
            id: String,
            reason: String,
            #[label("{reason}")]
            span: SourceSpan,
        },

        #[error("Logical IDs `{id}` and `{other}` differ only in case")]
        #[diagnostic(
            severity(Warning),
            help(
                "CloudFormation accepts both, but people and case-insensitive file systems mix them up; rename one"
            )
        )]
        SimilarLogicalIds = similar_logical_ids {
            id: String,
            other: String,
            #[label("`{other}` is defined here")]
            first: SourceSpan,
            #[label(primary, "and `{id}` here")]
            span: SourceSpan,
        },

        #[error("Logical ID `{id}` is taken twice: by {first} and by {origin}")]
        #[diagnostic(
            help("rename a resource: generated Logical IDs are their owner's ID with a suffix")
        )]
        GeneratedIdCollision = generated_id_collision {
            id: String,
            first: String,
            origin: String,
            #[label(primary, "`{id}` is taken here")]
            span: SourceSpan,
            #[label("and generated from here")]
            owner: SourceSpan,
        },

        #[error(
            "`{id}` would generate the Logical ID `{generated}`, {len} characters long; CloudFormation allows at most {max}",
            max = MAX_LOGICAL_ID
        )]
        #[diagnostic(help("shorten the Logical IDs involved"))]
        GeneratedIdTooLong = generated_id_too_long {
            id: String,
            generated: String,
            len: usize,
            #[label("owner of `{generated}`")]
            span: SourceSpan,
        },

        #[error("invalid {what}: {reason}")]
        InvalidName = invalid_name {
            what: &'static str,
            value: String,
            reason: String,
            #[label("{reason}")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("`{value}` is not {what}")]
        InvalidArn = invalid_arn {
            what: &'static str,
            value: String,
            #[label("not {what}")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("`{key}` cannot be set on a stream that uses an existing stream")]
        #[diagnostic(
            help(
                "an existing stream is not created or changed by this stack; remove `{key}`, or use `existing: {{parameter: Name}}` to create the stream when no ARN is given"
            )
        )]
        ExistingStreamConflict = existing_stream_conflict {
            key: String,
            #[label(primary, "not allowed beside `existing`")]
            span: SourceSpan,
            #[label("the existing stream")]
            existing: SourceSpan,
        },

        #[error("`shardCount` cannot be set on an on-demand stream")]
        #[diagnostic(
            help(
                "an on-demand stream scales its shards itself: remove `shardCount`, or use `mode: provisioned`"
            )
        )]
        OnDemandShardCount = on_demand_shard_count {
            #[label(primary, "not allowed with `mode: onDemand`")]
            span: SourceSpan,
            #[label("on-demand here")]
            mode: SourceSpan,
        },

        #[error("`existing: {{env: {path}}}` needs an environment name")]
        #[diagnostic(
            help(
                "pass `--environment NAME` to `stackwire compile`; the parameter's default becomes `/NAME/{path}`"
            )
        )]
        MissingEnvironment = missing_environment {
            path: String,
            #[label("an environment parameter")]
            span: SourceSpan,
        },

        #[error("`{name}` is not a valid environment variable name")]
        #[diagnostic(
            help(
                "Lambda environment variable names are at least {min} characters: a letter, then letters, digits and `_`",
                min = MIN_ENV_VAR_NAME
            )
        )]
        InvalidEnvVar = invalid_env_var {
            name: String,
            #[label("invalid name")]
            span: SourceSpan,
        },

        #[error("`{name}` is reserved by AWS Lambda")]
        #[diagnostic(
            help(
                "Lambda sets this variable itself and rejects functions that define it; choose another name"
            )
        )]
        ReservedEnvVar = reserved_env_var {
            name: String,
            #[label("reserved name")]
            span: SourceSpan,
        },

        #[error("environment variable `{name}` is defined twice on function `{function}`")]
        #[diagnostic(help("choose another name in the wire's `env: {{name: ..., arn: ...}}`"))]
        EnvVarCollision = env_var_collision {
            name: String,
            function: String,
            #[label(primary, "`{name}` again")]
            span: SourceSpan,
            #[label("`{name}` is first set here")]
            first: SourceSpan,
        },

        #[error("unknown Lambda runtime `{runtime}`")]
        UnknownRuntime = unknown_runtime {
            runtime: String,
            #[label("not a Lambda runtime")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("Lambda runtime `{runtime}` is retired: Lambda no longer creates functions with it")]
        RetiredRuntime = retired_runtime {
            runtime: String,
            #[label("retired since {since}")]
            span: SourceSpan,
            since: &'static str,
            #[help]
            help: Option<String>,
        },

        #[error("Lambda runtime `{runtime}` is deprecated")]
        #[diagnostic(severity(Warning))]
        DeprecatedRuntime = deprecated_runtime {
            runtime: String,
            #[label("deprecated")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("the wire's `{end}` end, `{name}`, names no resource")]
        UnknownWireEnd = unknown_wire_end {
            end: &'static str,
            name: String,
            #[label("no resource with this Logical ID")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("a wire cannot connect `{id}` to itself")]
        #[diagnostic(
            help(
                "a wire connects a Stream to a Function (event subscription) or a Function to a Stream (service discovery)"
            )
        )]
        SelfWire = self_wire {
            id: String,
            #[label("from and to are both `{id}`")]
            span: SourceSpan,
        },

        #[error("a wire from a {from} to a {to} is not supported")]
        #[diagnostic(
            help(
                "a wire connects a Stream to a Function (event subscription, a solid line) or a Function to a Stream (service discovery, a dashed line)"
            )
        )]
        UnsupportedWire = unsupported_wire {
            from: &'static str,
            to: &'static str,
            #[label("{from} -> {to}")]
            span: SourceSpan,
        },

        #[error("the wire from `{from}` to `{to}` is defined twice")]
        #[diagnostic(
            help("remove one; a pair of resources is connected at most once in each direction")
        )]
        DuplicateWire = duplicate_wire {
            from: String,
            to: String,
            #[label("first defined here")]
            first: SourceSpan,
            #[label(primary, "defined again here")]
            span: SourceSpan,
        },

        #[error("two {what}s are named `{name}`")]
        #[diagnostic(
            help(
                "AWS allows one {what} of a name per account and region, so the stack could not be deployed: give each its own `name`, or remove `name` and let CloudFormation choose one"
            )
        )]
        DuplicateName = duplicate_name {
            what: &'static str,
            name: String,
            #[label("first named here")]
            first: SourceSpan,
            #[label("named again here")]
            span: SourceSpan,
        },

        #[error("`kind: {declared}` does not match the wire's ends, which make it `{actual}`")]
        WireKindMismatch = wire_kind_mismatch {
            declared: &'static str,
            actual: &'static str,
            #[label("does not match")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("`{key}` is a key of {applies_to} wires, but this is {actual} wire")]
        WireKeyKind = wire_key_kind {
            key: String,
            applies_to: &'static str,
            actual: &'static str,
            #[label("not used by {actual} wire")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("{message}")]
        StartingPositionTimestamp = starting_position_timestamp {
            message: &'static str,
            #[label("{label}")]
            span: SourceSpan,
            label: &'static str,
            #[help]
            help: Option<&'static str>,
        },

        #[error("`{value}` is not a KMS key")]
        #[diagnostic(
            help(
                "`encryption` is `aws`, `none`, a KMS key ARN, a key ID (a UUID or `mrk-...`), an alias (`alias/name`) or an alias ARN"
            )
        )]
        InvalidKmsKey = invalid_kms_key {
            value: String,
            #[label("not a key ARN, key ID or alias")]
            span: SourceSpan,
        },

        #[error("invalid tag: {reason}")]
        #[diagnostic(
            help(
                "a tag key is 1 to {key} characters and does not start with `aws:`; a value is at most {value}",
                key = MAX_TAG_KEY,
                value = MAX_TAG_VALUE
            )
        )]
        InvalidTag = invalid_tag {
            reason: String,
            #[label("{reason}")]
            span: SourceSpan,
        },

        #[error("{count} tags on one stream; a Kinesis stream has at most {max}", max = MAX_TAGS)]
        #[diagnostic(help("remove tags, or keep the rest outside the template (the Kinesis API's `AddTagsToStream`)"))]
        TooManyTags = too_many_tags {
            count: String,
            #[label("more than {} tags", MAX_TAGS)]
            span: SourceSpan,
        },

        #[error("{what} cannot hold a `{{{{resolve:ssm-secure:...}}}}` dynamic reference")]
        #[diagnostic(
            help(
                "CloudFormation resolves SecureString parameters only in a few resource properties, none of those stackwire writes; read the parameter at run time (the SSM API), or keep the secret in Secrets Manager and write `{{{{resolve:secretsmanager:...}}}}`"
            )
        )]
        SecureDynamicReference = secure_dynamic_reference {
            what: &'static str,
            #[label("`{{{{resolve:ssm-secure:` is not resolved here")]
            span: SourceSpan,
        },

        #[error("invalid event filter: {reason}")]
        #[diagnostic(
            help(
                "each filter is an event pattern, a mapping such as `{{data: {{kind: [order]}}}}`; see the Lambda event filtering documentation"
            )
        )]
        InvalidFilter = invalid_filter {
            reason: String,
            #[label("{reason}")]
            span: SourceSpan,
        },

        #[error("`{value}` is not a managed policy name or policy ARN")]
        #[diagnostic(
            help(
                "use an AWS managed policy name such as `AmazonS3ReadOnlyAccess`, or an ARN such as `arn:aws:iam::123456789012:policy/my-policy`"
            )
        )]
        InvalidPolicy = invalid_policy {
            value: String,
            #[label("not a policy")]
            span: SourceSpan,
        },

        #[error("`{value}` is not a relative path")]
        #[diagnostic(
            help("`source` is a folder relative to the template, such as `src/Processor`")
        )]
        InvalidSource = invalid_source {
            value: String,
            #[label("{reason}")]
            span: SourceSpan,
            reason: &'static str,
        },

        #[error("the stack creates nothing: every resource is an existing stream")]
        #[diagnostic(
            help(
                "a template needs at least one resource to create: add the Function that reads or writes these streams"
            )
        )]
        NothingCreated = nothing_created {
            #[label("only existing streams here")]
            span: SourceSpan,
        },

        #[error("the stack defines no resources")]
        #[diagnostic(help("add at least one resource, for example:\n  Stream:\n    type: Stream"))]
        NoResources = no_resources {
            #[label("empty")]
            span: SourceSpan,
        },

        #[error("template parameter `{name}` collides with {other}")]
        #[diagnostic(
            help("parameters and resources share one namespace in CloudFormation; rename one of them")
        )]
        ParameterCollision = parameter_collision {
            name: String,
            other: String,
            #[label(primary, "parameter `{name}`")]
            span: SourceSpan,
            #[label("{other}")]
            first: SourceSpan,
        },

        #[error("`{tag}` cannot stand in {key}")]
        IntrinsicNotAllowed = intrinsic_not_allowed {
            tag: String,
            key: String,
            #[label("an intrinsic function here")]
            span: SourceSpan,
            #[help]
            help: String,
        },

        #[error("unknown tag `{tag}`")]
        UnknownTag = unknown_tag {
            tag: String,
            #[label("not one of CloudFormation's intrinsic functions")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("`{name}` is not one of SAM's policy templates")]
        UnknownPolicyTemplate = unknown_policy_template {
            name: String,
            #[label("not a policy template")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("`{value}` is not an AWS account ID")]
        #[diagnostic(help("an account ID is 12 digits, quoted so it stays text: `account: '123456789012'`"))]
        InvalidAccount = invalid_account {
            value: String,
            #[label("not 12 digits")]
            span: SourceSpan,
        },

        #[error("`{name_var}` does not address stream `{stream}`: it is in account {theirs}, not the one the stack deploys to")]
        #[diagnostic(severity(Warning))]
        CrossAccountStreamName = cross_account_stream_name {
            name_var: String,
            stream: String,
            theirs: String,
            #[label("a discovery wire to a stream in another account")]
            span: SourceSpan,
            #[help]
            help: String,
        },

        #[error("`{path}` needs SAM's transform, which `--target {target}` does not run")]
        #[diagnostic(help(
            "compile with `--target sam`, or write it as the plain CloudFormation SAM would make of it (in `template:`)"
        ))]
        NeedsTransform = needs_transform {
            path: String,
            reason: String,
            target: String,
            #[label("{reason}")]
            span: SourceSpan,
        },

        #[error("unknown template section `{name}` in `template`")]
        UnknownSection = unknown_template_section {
            name: String,
            #[label("not a section `template` takes")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("`{property}` in the `properties` of {context} is written by stackwire")]
        #[diagnostic(help("use the `{key}` key instead; stackwire writes `{property}` from it"))]
        OwnedProperty = owned_property {
            property: String,
            context: String,
            key: String,
            #[label("stackwire writes this from `{key}`")]
            span: SourceSpan,
        },

        #[error("`{name}` is defined twice: {what} and {other}")]
        #[diagnostic(help("rename one of them; CloudFormation needs each name once"))]
        DefinedTwice = defined_twice {
            name: String,
            what: String,
            other: String,
            #[label(primary, "{what}")]
            span: SourceSpan,
            #[label("{other}")]
            first: SourceSpan,
        },

        #[error("the event `{name}` of Function `{function}` is defined twice")]
        #[diagnostic(
            help(
                "give one of them another name (`event: <Name>` on the wire, or another key under `properties.Events`)"
            )
        )]
        DuplicateEventName = duplicate_event_name {
            name: String,
            function: String,
            #[label(primary, "defined again here")]
            span: SourceSpan,
            #[label("first defined here")]
            first: SourceSpan,
        },

        #[error("`{name}` names nothing in the template")]
        UnknownReference = unknown_reference {
            name: String,
            #[label("{expected}")]
            span: SourceSpan,
            expected: &'static str,
            #[help]
            help: Option<String>,
        },

        #[error("`{resource}` ({resource_type}) has no attribute `{attribute}`")]
        UnknownAttribute = unknown_attribute {
            resource_type: &'static str,
            attribute: String,
            #[label("not an attribute of `{resource}`")]
            span: SourceSpan,
            resource: String,
            #[help]
            help: Option<String>,
        },

        #[error(
            "the template would have {count}{bound} resources after SAM's expansion; CloudFormation allows at most {max}",
            max = thousands(MAX_RESOURCES)
        )]
        #[diagnostic(
            help(
                "each Function counts with its role and its event source mappings, each fan-out wire with its consumer; split the stack into several stacks"
            )
        )]
        TooManyResources = too_many_resources {
            count: String,
            /// Empty, or ` or more` when the count is a lower bound (pass-through resources
            /// whose expansion is not known).
            bound: &'static str,
            #[label("{count} resources")]
            span: SourceSpan,
        },

        #[error(
            "the template would have {count} parameters; CloudFormation allows at most {max}",
            max = thousands(MAX_PARAMETERS)
        )]
        #[diagnostic(
            help(
                "each `existing: {{env: ...}}` path and each `existing: {{parameter: ...}}` is a parameter; share paths or split the stack"
            )
        )]
        TooManyParameters = too_many_parameters {
            count: String,
            #[label("{count} parameters")]
            span: SourceSpan,
        },

        #[error(
            "the template is {bytes} bytes; CloudFormation accepts at most {max}",
            max = thousands(MAX_TEMPLATE_BYTES)
        )]
        #[diagnostic(help("split the stack into several stacks"))]
        TemplateTooLarge = template_too_large {
            bytes: String,
            #[label("this stack")]
            span: SourceSpan,
        },

        #[error(
            "the template is {bytes} bytes, more than the {max} that can be sent to CloudFormation directly",
            max = thousands(MAX_DIRECT_TEMPLATE_BYTES)
        )]
        #[diagnostic(
            severity(Warning),
            help(
                "deploy through an S3 bucket (`sam deploy` does this with `--s3-bucket` or `--resolve-s3`)"
            )
        )]
        TemplateNeedsS3 = template_needs_s3 {
            bytes: String,
            #[label("this stack")]
            span: SourceSpan,
        },

        // `stackwire import` (SPEC 7): why a template cannot be imported, and what it carries
        // over inexactly (warnings, each with the change to the deployed stack).
        #[error("not a template stackwire can import: {why}")]
        ImportNotTemplate = import_not_template {
            why: String,
            label: String,
            #[label("{label}")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("the template uses the transform `{transform}`; stackwire imports SAM templates (`AWS::Serverless-2016-10-31`) and plain CloudFormation")]
        #[diagnostic(help("expand the template first (for example `aws cloudformation get-template --template-stage Processed`), or import it without that transform"))]
        ImportTransform = import_transform {
            transform: String,
            #[label("not SAM's transform")]
            span: SourceSpan,
        },

        #[error("nothing to import: the template has no Kinesis stream or SAM function stackwire can write as it is")]
        #[diagnostic(help("the warnings above say what kept each one out"))]
        ImportNothingModelled = import_nothing_modelled {
            #[label("no stream or function here stackwire models")]
            span: SourceSpan,
        },

        #[error("Function `{function}` runs `{runtime}`, retired on {since}; the stack uses `{successor}`, its successor")]
        #[diagnostic(severity(Warning), help("{updates}; stackwire does not write a retired runtime. Test the code on `{successor}` before deploying"))]
        ImportRetiredRuntime = import_retired_runtime {
            function: String,
            runtime: &'static str,
            successor: &'static str,
            since: &'static str,
            updates: String,
            #[label("retired")]
            span: SourceSpan,
        },

        #[error("Stream `{stream}` is now always the existing stream whose ARN `{parameter}` reads")]
        #[diagnostic(severity(Warning), help("in Stackery's template the value `false` in Parameter Store meant \"create the stream\"; stackwire reads the value as an ARN in every environment. Where it is `false`, put the ARN of the stream there, or give the stack its own Stream"))]
        ImportFalseCreates = import_env_false_creates {
            stream: String,
            parameter: String,
            #[label("`false` here created the stream")]
            span: SourceSpan,
        },

        #[error("`{id}` is Stackery's existing resource of {kind}; it is kept as it is in `template:`")]
        #[diagnostic(severity(Warning), help("it runs on Stackery's agent Lambda `stackery-agent-commander`, which must stay deployed in the account; stackwire models existing streams only"))]
        ImportExistingOtherType = import_existing_other_type {
            id: String,
            kind: String,
            #[label("not a stream")]
            span: SourceSpan,
        },

        #[error("{what}")]
        #[diagnostic(severity(Warning))]
        ImportCouldModel = import_could_model {
            what: String,
            #[label("passed through")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },

        #[error("`{id}` (Stackery's \"Use Existing\" machinery) is removed: Stream `{stream}` references the existing stream itself")]
        #[diagnostic(severity(Warning), help("safe: the custom resource's Delete, run by Stackery's agent, does nothing to the stream, and the definition of `{stream}` its condition kept out of the deployed stack goes with it. What read it changes text, not value: `stackwire diff` may show `may replace` there; accept with `--allow {id}`"))]
        ImportUseExisting = import_use_existing {
            id: String,
            stream: String,
            #[label("removed")]
            span: SourceSpan,
        },

        #[error("Stream `{stream}` gets `DeletionPolicy: Retain` and `UpdateReplacePolicy: Retain`")]
        #[diagnostic(severity(Warning), help("a stream holds data: stackwire keeps it when it leaves the stack (this changes no resource). Write `retain: false` to delete it with the stack, as Stackery's template did"))]
        ImportRetainAdded = import_retain_added {
            stream: String,
            #[label("no deletion policy here")]
            span: SourceSpan,
        },

        #[error("{what}")]
        #[diagnostic(severity(Warning))]
        ImportChanged = import_changed {
            what: String,
            #[label("here")]
            span: SourceSpan,
            #[help]
            help: Option<String>,
        },
        #[error(
            "Function `{function}`'s role would have {count} managed policies, more than IAM's default quota of {max} per role",
            max = DEFAULT_MANAGED_POLICIES_PER_ROLE
        )]
        #[diagnostic(
            severity(Warning),
            help(
                "the deployment fails unless the account's quota \"Managed policies per role\" (Service Quotas, IAM) was raised (at most to {hard}); or combine policies. SAM attaches AWSLambdaBasicExecutionRole, AWSLambdaKinesisExecutionRole with a Kinesis event and AWSXrayWriteOnlyAccess with tracing",
                hard = MAX_MANAGED_POLICIES_PER_ROLE
            )
        )]
        ManyManagedPolicies = many_managed_policies {
            function: String,
            count: usize,
            #[label("{count} managed policies on this Function's role")]
            span: SourceSpan,
        },

        #[error(
            "Function `{function}`'s role would have {count} managed policies; IAM attaches at most {max} to a role",
            max = MAX_MANAGED_POLICIES_PER_ROLE
        )]
        #[diagnostic(help(
            "combine managed policies, or move their statements into fewer policies; SAM attaches AWSLambdaBasicExecutionRole, AWSLambdaKinesisExecutionRole with a Kinesis event and AWSXrayWriteOnlyAccess with tracing"
        ))]
        ManagedPoliciesOverLimit = managed_policies_over_limit {
            function: String,
            count: usize,
            #[label("{count} managed policies on this Function's role")]
            span: SourceSpan,
        },

        #[error(
            "Function `{function}`'s role would have about {chars} characters of inline policies; IAM accepts at most {max} per role",
            max = thousands(MAX_INLINE_POLICY_CHARS)
        )]
        #[diagnostic(help(
            "IAM counts every inline policy of the role together, whitespace not counted; wire fewer streams to this Function, or grant some of it through a managed policy in `policies`"
        ))]
        InlinePoliciesTooLarge = inline_policies_too_large {
            function: String,
            chars: String,
            #[label("this Function's role")]
            span: SourceSpan,
        },

        #[error(
            "Function `{function}`'s environment variables would be about {bytes} bytes; Lambda accepts at most {max}",
            max = thousands(MAX_ENVIRONMENT_BYTES)
        )]
        #[diagnostic(help(
            "names and values count together, with each stream's `STREAM_NAME`/`STREAM_ARN` as the deployed name and ARN; keep large settings in Parameter Store or a file in the code"
        ))]
        EnvironmentTooLarge = environment_too_large {
            function: String,
            bytes: String,
            #[label("this Function's environment")]
            span: SourceSpan,
        },
    }
}

impl Problem {
    pub fn is_error(&self) -> bool {
        !matches!(self.severity(), Some(Severity::Warning))
    }
}
