//! Every problem stackwire can report, as one miette diagnostic type with stable codes.
//!
//! A `Problem` carries its own spans (byte offsets into the stack file) and help text; the source
//! text comes from the `FileReport` that groups a file's problems with `#[related]`, so each
//! problem is rendered with the file name, line and column and the offending text underlined.
//! The codes (`stackwire::<name>`) are part of the public interface: tools and people match on
//! them, so a code is never renamed or reused for another problem.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, MietteError, MietteSpanContents, Severity,
    SourceCode, SourceSpan, SpanContents,
};
use thiserror::Error;

/// One problem in a stack description.
#[derive(Debug, Clone, Error, Diagnostic, PartialEq, Eq)]
pub enum Problem {
    #[error("the file is not valid UTF-8 text")]
    #[diagnostic(code(stackwire::invalid_utf8))]
    InvalidUtf8 {
        #[label("this byte is not UTF-8")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("invalid YAML: {message}")]
    #[diagnostic(code(stackwire::yaml_syntax))]
    YamlSyntax {
        message: String,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("the stack description is empty")]
    #[diagnostic(
        code(stackwire::empty_stack),
        help(
            "a stack needs at least a `resources:` mapping, for example:\nresources:\n  Stream:\n    type: Stream"
        )
    )]
    EmptyStack {
        #[label("nothing here but comments and blank lines")]
        span: SourceSpan,
    },

    #[error("`{key}` is defined twice")]
    #[diagnostic(
        code(stackwire::duplicate_key),
        help("YAML keys must be unique in a mapping; remove or rename one of them")
    )]
    DuplicateKey {
        key: String,
        #[label("first defined here")]
        first: SourceSpan,
        #[label(primary, "defined again here")]
        span: SourceSpan,
    },

    #[error("unknown key `{key}` in {context}")]
    #[diagnostic(code(stackwire::unknown_key))]
    UnknownKey {
        key: String,
        context: String,
        #[label("not a key of {context}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{key} must be {expected}, found {found}")]
    #[diagnostic(code(stackwire::wrong_type))]
    WrongType {
        key: String,
        expected: &'static str,
        found: String,
        #[label("expected {expected}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{context} is missing the required key `{key}`")]
    #[diagnostic(code(stackwire::missing_key))]
    MissingKey {
        key: &'static str,
        context: String,
        #[label("`{key}` is missing here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("unknown resource type `{found}`")]
    #[diagnostic(code(stackwire::unknown_resource_type))]
    UnknownResourceType {
        found: String,
        #[label("not a resource type")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{found}` is not a valid value for `{key}`")]
    #[diagnostic(code(stackwire::invalid_choice))]
    InvalidChoice {
        key: String,
        found: String,
        #[label("expected one of {allowed}")]
        span: SourceSpan,
        allowed: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{key}` is {value}, outside the allowed range {range}")]
    #[diagnostic(code(stackwire::out_of_range))]
    OutOfRange {
        key: String,
        value: String,
        range: String,
        #[label("must be {range}")]
        span: SourceSpan,
    },

    #[error("`{key}` is too long: {len} bytes, at most {max} are allowed")]
    #[diagnostic(code(stackwire::too_long))]
    TooLong {
        key: String,
        len: usize,
        max: usize,
        #[label("{len} bytes")]
        span: SourceSpan,
    },

    #[error("invalid Logical ID `{id}`: {reason}")]
    #[diagnostic(
        code(stackwire::invalid_logical_id),
        help("a Logical ID is 1 to 255 letters and digits (A-Za-z0-9), unique within the stack")
    )]
    InvalidLogicalId {
        id: String,
        reason: String,
        #[label("{reason}")]
        span: SourceSpan,
    },

    #[error("Logical IDs `{id}` and `{other}` differ only in case")]
    #[diagnostic(
        code(stackwire::similar_logical_ids),
        severity(Warning),
        help(
            "CloudFormation accepts both, but people and case-insensitive file systems mix them up; rename one"
        )
    )]
    SimilarLogicalIds {
        id: String,
        other: String,
        #[label("`{other}` is defined here")]
        first: SourceSpan,
        #[label(primary, "and `{id}` here")]
        span: SourceSpan,
    },

    #[error("Logical ID `{id}` is taken twice: by {first} and by {origin}")]
    #[diagnostic(
        code(stackwire::generated_id_collision),
        help("rename a resource: generated Logical IDs are their owner's ID with a suffix")
    )]
    GeneratedIdCollision {
        id: String,
        first: String,
        origin: String,
        #[label(primary, "`{id}` is taken here")]
        span: SourceSpan,
        #[label("and generated from here")]
        owner: SourceSpan,
    },

    #[error(
        "`{id}` would generate the Logical ID `{generated}`, {len} characters long; CloudFormation allows at most 255"
    )]
    #[diagnostic(
        code(stackwire::generated_id_too_long),
        help("shorten the Logical IDs involved")
    )]
    GeneratedIdTooLong {
        id: String,
        generated: String,
        len: usize,
        #[label("owner of `{generated}`")]
        span: SourceSpan,
    },

    #[error("invalid {what}: {reason}")]
    #[diagnostic(code(stackwire::invalid_name))]
    InvalidName {
        what: &'static str,
        value: String,
        reason: String,
        #[label("{reason}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{value}` is not {what}")]
    #[diagnostic(code(stackwire::invalid_arn))]
    InvalidArn {
        what: &'static str,
        value: String,
        #[label("not {what}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{key}` cannot be set on a stream that uses an existing stream")]
    #[diagnostic(
        code(stackwire::existing_stream_conflict),
        help(
            "an existing stream is not created or changed by this stack; remove `{key}`, or use `existing: {{parameter: Name}}` to create the stream when no ARN is given"
        )
    )]
    ExistingStreamConflict {
        key: String,
        #[label(primary, "not allowed beside `existing`")]
        span: SourceSpan,
        #[label("the existing stream")]
        existing: SourceSpan,
    },

    #[error("`shardCount` cannot be set on an on-demand stream")]
    #[diagnostic(
        code(stackwire::on_demand_shard_count),
        help(
            "an on-demand stream scales its shards itself: remove `shardCount`, or use `mode: provisioned`"
        )
    )]
    OnDemandShardCount {
        #[label(primary, "not allowed with `mode: onDemand`")]
        span: SourceSpan,
        #[label("on-demand here")]
        mode: SourceSpan,
    },

    #[error("`existing: {{env: {path}}}` needs an environment name")]
    #[diagnostic(
        code(stackwire::missing_environment),
        help(
            "pass `--environment NAME` to `stackwire compile`; the parameter's default becomes `/NAME/{path}`"
        )
    )]
    MissingEnvironment {
        path: String,
        #[label("an environment parameter")]
        span: SourceSpan,
    },

    #[error("`{name}` is not a valid environment variable name")]
    #[diagnostic(
        code(stackwire::invalid_env_var),
        help(
            "Lambda environment variable names are at least 2 characters: a letter, then letters, digits and `_`"
        )
    )]
    InvalidEnvVar {
        name: String,
        #[label("invalid name")]
        span: SourceSpan,
    },

    #[error("`{name}` is reserved by AWS Lambda")]
    #[diagnostic(
        code(stackwire::reserved_env_var),
        help(
            "Lambda sets this variable itself and rejects functions that define it; choose another name"
        )
    )]
    ReservedEnvVar {
        name: String,
        #[label("reserved name")]
        span: SourceSpan,
    },

    #[error("environment variable `{name}` is defined twice on function `{function}`")]
    #[diagnostic(
        code(stackwire::env_var_collision),
        help("choose another name in the wire's `env: {{name: ..., arn: ...}}`")
    )]
    EnvVarCollision {
        name: String,
        function: String,
        #[label(primary, "`{name}` again")]
        span: SourceSpan,
        #[label("`{name}` is first set here")]
        first: SourceSpan,
    },

    #[error("unknown Lambda runtime `{runtime}`")]
    #[diagnostic(code(stackwire::unknown_runtime))]
    UnknownRuntime {
        runtime: String,
        #[label("not a Lambda runtime")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("Lambda runtime `{runtime}` is retired: Lambda no longer creates functions with it")]
    #[diagnostic(code(stackwire::retired_runtime))]
    RetiredRuntime {
        runtime: String,
        #[label("retired since {since}")]
        span: SourceSpan,
        since: &'static str,
        #[help]
        help: Option<String>,
    },

    #[error("Lambda runtime `{runtime}` is deprecated")]
    #[diagnostic(code(stackwire::deprecated_runtime), severity(Warning))]
    DeprecatedRuntime {
        runtime: String,
        #[label("deprecated")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("the wire's `{end}` end, `{name}`, names no resource")]
    #[diagnostic(code(stackwire::unknown_wire_end))]
    UnknownWireEnd {
        end: &'static str,
        name: String,
        #[label("no resource with this Logical ID")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("a wire cannot connect `{id}` to itself")]
    #[diagnostic(
        code(stackwire::self_wire),
        help(
            "a wire connects a Stream to a Function (event subscription) or a Function to a Stream (service discovery)"
        )
    )]
    SelfWire {
        id: String,
        #[label("from and to are both `{id}`")]
        span: SourceSpan,
    },

    #[error("a wire from a {from} to a {to} is not supported")]
    #[diagnostic(
        code(stackwire::unsupported_wire),
        help(
            "a wire connects a Stream to a Function (event subscription, a solid line) or a Function to a Stream (service discovery, a dashed line)"
        )
    )]
    UnsupportedWire {
        from: &'static str,
        to: &'static str,
        #[label("{from} -> {to}")]
        span: SourceSpan,
    },

    #[error("the wire from `{from}` to `{to}` is defined twice")]
    #[diagnostic(
        code(stackwire::duplicate_wire),
        help("remove one; a pair of resources is connected at most once in each direction")
    )]
    DuplicateWire {
        from: String,
        to: String,
        #[label("first defined here")]
        first: SourceSpan,
        #[label(primary, "defined again here")]
        span: SourceSpan,
    },

    #[error("two {what}s are named `{name}`")]
    #[diagnostic(
        code(stackwire::duplicate_name),
        help(
            "AWS allows one {what} of a name per account and region, so the stack could not be deployed: give each its own `name`, or remove `name` and let CloudFormation choose one"
        )
    )]
    DuplicateName {
        what: &'static str,
        name: String,
        #[label("first named here")]
        first: SourceSpan,
        #[label("named again here")]
        span: SourceSpan,
    },

    #[error("`kind: {declared}` does not match the wire's ends, which make it `{actual}`")]
    #[diagnostic(code(stackwire::wire_kind_mismatch))]
    WireKindMismatch {
        declared: &'static str,
        actual: &'static str,
        #[label("does not match")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{key}` is a key of {applies_to} wires, but this is {actual} wire")]
    #[diagnostic(code(stackwire::wire_key_kind))]
    WireKeyKind {
        key: String,
        applies_to: &'static str,
        actual: &'static str,
        #[label("not used by {actual} wire")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(stackwire::starting_position_timestamp))]
    StartingPositionTimestamp {
        message: &'static str,
        #[label("{label}")]
        span: SourceSpan,
        label: &'static str,
        #[help]
        help: Option<&'static str>,
    },

    #[error("`{value}` is not a KMS key")]
    #[diagnostic(
        code(stackwire::invalid_kms_key),
        help(
            "`encryption` is `aws`, `none`, a KMS key ARN, a key ID (a UUID or `mrk-...`), an alias (`alias/name`) or an alias ARN"
        )
    )]
    InvalidKmsKey {
        value: String,
        #[label("not a key ARN, key ID or alias")]
        span: SourceSpan,
    },

    #[error("invalid tag: {reason}")]
    #[diagnostic(
        code(stackwire::invalid_tag),
        help(
            "a tag key is 1 to 128 characters and does not start with `aws:`; a value is at most 256"
        )
    )]
    InvalidTag {
        reason: String,
        #[label("{reason}")]
        span: SourceSpan,
    },

    #[error("invalid event filter: {reason}")]
    #[diagnostic(
        code(stackwire::invalid_filter),
        help(
            "each filter is an event pattern, a mapping such as `{{data: {{kind: [order]}}}}`; see the Lambda event filtering documentation"
        )
    )]
    InvalidFilter {
        reason: String,
        #[label("{reason}")]
        span: SourceSpan,
    },

    #[error("`{value}` is not a managed policy name or policy ARN")]
    #[diagnostic(
        code(stackwire::invalid_policy),
        help(
            "use an AWS managed policy name such as `AmazonS3ReadOnlyAccess`, or an ARN such as `arn:aws:iam::123456789012:policy/my-policy`"
        )
    )]
    InvalidPolicy {
        value: String,
        #[label("not a policy")]
        span: SourceSpan,
    },

    #[error("`{value}` is not a relative path")]
    #[diagnostic(
        code(stackwire::invalid_source),
        help("`source` is a folder relative to the template, such as `src/Processor`")
    )]
    InvalidSource {
        value: String,
        #[label("{reason}")]
        span: SourceSpan,
        reason: &'static str,
    },

    #[error("the stack creates nothing: every resource is an existing stream")]
    #[diagnostic(
        code(stackwire::nothing_created),
        help(
            "a template needs at least one resource to create: add the Function that reads or writes these streams"
        )
    )]
    NothingCreated {
        #[label("only existing streams here")]
        span: SourceSpan,
    },

    #[error("the stack defines no resources")]
    #[diagnostic(
        code(stackwire::no_resources),
        help("add at least one resource, for example:\n  Stream:\n    type: Stream")
    )]
    NoResources {
        #[label("empty")]
        span: SourceSpan,
    },

    #[error("template parameter `{name}` collides with {other}")]
    #[diagnostic(
        code(stackwire::parameter_collision),
        help("parameters and resources share one namespace in CloudFormation; rename one of them")
    )]
    ParameterCollision {
        name: String,
        other: String,
        #[label(primary, "parameter `{name}`")]
        span: SourceSpan,
        #[label("{other}")]
        first: SourceSpan,
    },

    #[error(
        "the template would have {count} resources after SAM's expansion; CloudFormation allows at most 500"
    )]
    #[diagnostic(
        code(stackwire::too_many_resources),
        help(
            "each Function counts with its role and its event source mappings, each fan-out wire with its consumer; split the stack into several stacks"
        )
    )]
    TooManyResources {
        count: String,
        #[label("{count} resources")]
        span: SourceSpan,
    },

    #[error("the template would have {count} parameters; CloudFormation allows at most 200")]
    #[diagnostic(
        code(stackwire::too_many_parameters),
        help(
            "each `existing: {{env: ...}}` path and each `existing: {{parameter: ...}}` is a parameter; share paths or split the stack"
        )
    )]
    TooManyParameters {
        count: String,
        #[label("{count} parameters")]
        span: SourceSpan,
    },

    #[error("the template is {bytes} bytes; CloudFormation accepts at most 1,000,000")]
    #[diagnostic(
        code(stackwire::template_too_large),
        help("split the stack into several stacks")
    )]
    TemplateTooLarge {
        bytes: String,
        #[label("this stack")]
        span: SourceSpan,
    },

    #[error(
        "the template is {bytes} bytes, more than the 51,200 that can be sent to CloudFormation directly"
    )]
    #[diagnostic(
        code(stackwire::template_needs_s3),
        severity(Warning),
        help(
            "deploy through an S3 bucket (`sam deploy` does this with `--s3-bucket` or `--resolve-s3`)"
        )
    )]
    TemplateNeedsS3 {
        bytes: String,
        #[label("this stack")]
        span: SourceSpan,
    },
}

impl Problem {
    pub fn is_error(&self) -> bool {
        !matches!(self.severity(), Some(Severity::Warning))
    }
}

/// Every problem found in one file, with the file's text, rendered as one report.
#[derive(Debug, Error)]
#[error("{summary}")]
pub struct FileReport {
    summary: String,
    severity: Severity,
    src: IndexedSource,
    problems: Vec<Problem>,
    /// The problems as rendered: those on lines too long to show lose their snippet.
    shown: Vec<Shown>,
}

/// The most problems one report shows (it counts them all): past this many, a file is not
/// worth reading problem by problem, and the rest would only take time and screen.
pub const MAX_SHOWN_PROBLEMS: usize = 1_000;

/// The longest line (in bytes) shown in a snippet. A longer line (a minified or generated
/// file, a hostile one) would flood the terminal, and miette cannot draw an underline past
/// column 65,535; such a problem is shown with its `file:line:col` instead of the text.
const MAX_SHOWN_LINE: usize = 1_000;

/// The largest span (in bytes) underlined in a snippet; a larger one is shown by position only.
const MAX_SHOWN_SPAN: usize = 10_000;

/// A problem as one report renders it.
#[derive(Debug)]
struct Shown {
    problem: Problem,
    /// `file:line:col`, when the snippet is left out.
    at: Option<String>,
}

/// The most characters of a message, help or label shown (two 255-character IDs fit): the text
/// a user wrote (an unknown type, a runtime, a wire end) can be megabytes long, and miette wraps
/// it line by line.
const MAX_SHOWN_TEXT: usize = 1_000;

/// `text`, cut to its first and last characters when it is longer than [`MAX_SHOWN_TEXT`].
fn clipped(text: &str) -> String {
    let count = text.chars().count();
    if count <= MAX_SHOWN_TEXT {
        return text.to_owned();
    }
    let (head, tail) = (MAX_SHOWN_TEXT - 200, 100);
    let first: String = text.chars().take(head).collect();
    let last: String = text.chars().skip(count - tail).collect();
    format!(
        "{first}...({} characters left out)...{last}",
        count - head - tail
    )
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = clipped(&self.problem.to_string());
        match &self.at {
            None => write!(f, "{message}"),
            Some(at) => write!(f, "{message}\n  at {at} (the line is too long to show)"),
        }
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.problem.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.problem.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let help = self.problem.help()?.to_string();
        Some(Box::new(clipped(&help)))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if self.at.is_some() {
            return None;
        }
        let labels = self.problem.labels()?.map(|label| {
            let text = label.label().map(clipped);
            if label.primary() {
                miette::LabeledSpan::new_primary_with_span(text, *label.inner())
            } else {
                miette::LabeledSpan::new_with_span(text, *label.inner())
            }
        });
        Some(Box::new(labels))
    }
}

/// Where a problem's snippet cannot be shown, its first position as `file:line:col`.
fn unshowable_at(name: &str, text: &str, problem: &Problem) -> Option<String> {
    let bytes = text.as_bytes();
    let line_start = |at: usize| {
        bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    };
    let line_end = |at: usize| {
        bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| at + i)
    };
    let labels: Vec<miette::LabeledSpan> = problem.labels()?.collect();
    let too_big = labels.iter().any(|label| {
        let start = label.offset().min(bytes.len());
        let end = (label.offset() + label.len()).min(bytes.len());
        // The lines the snippet shows: the label's, and one line of context either side.
        let from = line_start(line_start(start).saturating_sub(1));
        let to = line_end((line_end(end) + 1).min(bytes.len()));
        label.len() > MAX_SHOWN_SPAN
            || bytes[from..to]
                .split(|&b| b == b'\n')
                .any(|l| l.len() > MAX_SHOWN_LINE)
    });
    if !too_big {
        return None;
    }
    let offset = labels.iter().map(|l| l.offset()).min()?.min(bytes.len());
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let start = line_start(offset);
    let column = String::from_utf8_lossy(&bytes[start..offset])
        .chars()
        .count()
        + 1;
    Some(format!("{name}:{line}:{column}"))
}

// By hand rather than derived: the report's severity depends on its problems.
impl Diagnostic for FileReport {
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.shown.iter().map(|p| p as &dyn Diagnostic)))
    }
}

impl FileReport {
    pub fn new(name: &str, text: String, problems: Vec<Problem>) -> Self {
        let errors = problems.iter().filter(|p| p.is_error()).count();
        let warnings = problems.len() - errors;
        let mut summary = match (errors, warnings) {
            (0, w) => format!("{name}: {}", count(w, "warning")),
            (e, 0) => format!("{name}: {}", count(e, "error")),
            (e, w) => format!("{name}: {}, {}", count(e, "error"), count(w, "warning")),
        };
        if problems.len() > MAX_SHOWN_PROBLEMS {
            summary.push_str(&format!(
                " (the first {} shown)",
                thousands(MAX_SHOWN_PROBLEMS)
            ));
        }
        let shown = problems
            .iter()
            .take(MAX_SHOWN_PROBLEMS)
            .map(|problem| Shown {
                problem: problem.clone(),
                at: unshowable_at(name, &text, problem),
            })
            .collect();
        FileReport {
            shown,
            summary,
            severity: if errors > 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            src: IndexedSource::new(name, printable(text)),
            problems,
        }
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The report as a person reads it: miette's graphical layout, with or without colour.
    pub fn render_human(&self, color: bool, width: usize) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        self.render_human_themed(theme, width)
    }

    /// The report in miette's graphical layout, drawn with `theme` (ASCII for `--plain`).
    pub fn render_human_themed(&self, theme: GraphicalTheme, width: usize) -> String {
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(width)
            .with_links(false);
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, self);
        out
    }
}

/// A file's text, named, with the start of every line indexed. miette's own `SourceCode` for a
/// string scans from the first byte to each span, so a file with many problems took quadratic
/// time to render (30,000 problems in a 1.3 MB file: 97 s); here each snippet is found by a
/// binary search, then read by miette's own code from a few lines before it, with the same
/// result as reading from the start.
#[derive(Debug)]
struct IndexedSource {
    name: String,
    text: String,
    /// The byte offset of every line's start; lines end as miette ends them (`\n`, `\r\n`, `\r`).
    line_starts: Vec<usize>,
}

impl IndexedSource {
    fn new(name: &str, text: String) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i + 1);
            }
        }
        IndexedSource {
            name: name.to_owned(),
            text,
            line_starts,
        }
    }
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // The line the span starts on, and the first context line before it.
        let line = self
            .line_starts
            .partition_point(|&start| start <= span.offset())
            .saturating_sub(1);
        let first = line.saturating_sub(context_lines_before);
        let base = self.line_starts.get(first).copied().unwrap_or(0);
        let bytes = self.text.as_bytes().get(base..).unwrap_or_default();
        let shifted = SourceSpan::new((span.offset().saturating_sub(base)).into(), span.len());
        let inner = bytes.read_span(&shifted, context_lines_before, context_lines_after)?;
        let inner_span = inner.span();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner_span.offset() + base).into(), inner_span.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

/// The text as a snippet shows it: control characters other than tab and line breaks (NULs of a
/// UTF-16 file, escape sequences) become `?`, one byte for one, so every span still fits.
fn printable(text: String) -> String {
    if !text
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F)
    {
        return text;
    }
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c.is_ascii_control() => '?',
            c => c,
        })
        .collect()
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `1447109` as `1,447,109`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
