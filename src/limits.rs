//! Every limit stackwire enforces, in one place: the checks compare against these constants and
//! the messages that report a limit print the same constants, so the two cannot disagree.

/// CloudFormation: resources in one template (after SAM's expansion).
pub const MAX_RESOURCES: usize = 500;
/// CloudFormation: parameters in one template.
pub const MAX_PARAMETERS: usize = 200;
/// CloudFormation: the largest template body, uploaded through S3.
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;
/// CloudFormation: the largest template body sent directly (without S3).
pub const MAX_DIRECT_TEMPLATE_BYTES: usize = 51_200;
/// How long `${AWS::StackName}` counts in a physical name: the stack's name is not known until
/// deployment (it may be up to 128 characters); a name must fit with one of this length.
pub const STACK_NAME_ROOM: usize = 32;
/// Kinesis: the longest name of a stream consumer.
pub const MAX_CONSUMER_NAME: usize = 128;
/// CloudFormation: the longest Logical ID, and the longest template parameter name.
pub const MAX_LOGICAL_ID: usize = 255;
/// Kinesis: the longest stream name.
pub const MAX_STREAM_NAME: usize = 128;
/// Lambda: the longest function name.
pub const MAX_FUNCTION_NAME: usize = 64;
/// Kinesis: the longest tag key, in characters.
pub const MAX_TAG_KEY: usize = 128;
/// Kinesis: the longest tag value, in characters, as CloudFormation's resource schema for
/// `AWS::Kinesis::Stream` has it (the Kinesis API takes 256; cfn-lint, by the schema, 255).
pub const MAX_TAG_VALUE: usize = 255;
/// Kinesis: the most tags on one stream (`AWS::Kinesis::Stream`'s `Tags`, at most 50 items).
pub const MAX_TAGS: usize = 50;
/// Lambda: the largest event filter pattern, in bytes as JSON.
pub const MAX_FILTER_PATTERN_BYTES: usize = 4096;
/// Lambda: the shortest environment variable name (`[a-zA-Z]([a-zA-Z0-9_])+`).
pub const MIN_ENV_VAR_NAME: usize = 2;
/// The longest `--environment` name (the first segment of the Parameter Store paths it names).
pub const MAX_ENVIRONMENT_NAME: usize = 128;

/// The largest stack description stackwire reads: far above any real stack (a template is at
/// most 1,000,000 bytes), small enough that reading and parsing it stays well under a second.
pub const MAX_STACK_BYTES: usize = 4 * 1024 * 1024;
/// The most YAML events (scalars, starts and ends of collections) a stack description may have.
pub const MAX_EVENTS: usize = 500_000;
/// The most bytes of text in all scalars together, aliases expanded.
pub const MAX_SCALAR_BYTES: usize = 8 * 1024 * 1024;
/// The most values aliases may expand to, all together.
pub const MAX_REPLAYED: usize = 100_000;
/// The deepest nesting of mappings and lists.
pub const MAX_DEPTH: usize = 64;

/// Managed policies on one IAM role: IAM's default quota (adjustable) ...
pub const DEFAULT_MANAGED_POLICIES_PER_ROLE: usize = 10;
/// ... and the most that quota can be raised to.
pub const MAX_MANAGED_POLICIES_PER_ROLE: usize = 20;
/// Characters of inline policy on one IAM role, all its inline policies together, whitespace not
/// counted.
pub const MAX_INLINE_POLICY_CHARS: usize = 10_240;
/// Bytes of a Lambda function's environment variables, names and values together.
pub const MAX_ENVIRONMENT_BYTES: usize = 4096;
