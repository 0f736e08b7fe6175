//! Stage 1: YAML text -> spanned model.
//!
//! serde-saphyr turns the text into a `Node` tree (this is where YAML syntax, duplicate-free
//! parsing limits and alias bombs are handled); the decoder here walks the tree and builds the
//! typed `model::Stack`, collecting every structural problem (unknown keys, wrong types, missing
//! keys, duplicate keys) instead of stopping at the first. Values are range-checked in `check`.

use miette::SourceSpan;

use crate::diagnostic::Problem;
use crate::model::{
    Access, Architecture, Body, DiscoveryOptions, Encryption, EventOptions, Existing, Function,
    Resource, Sp, Stack, StartingPosition, Stream, StreamMode, Wire, WireKind,
};
use crate::node::{Node, Value};
use crate::suggest;

pub const STACK_KEYS: &[&str] = &["stack", "description", "resources", "wires"];
pub const RESOURCE_TYPES: &[&str] = &["Stream", "Function"];
pub const STREAM_KEYS: &[&str] = &[
    "type",
    "name",
    "shardCount",
    "mode",
    "retentionHours",
    "encryption",
    "retain",
    "tags",
    "existing",
];
pub const FUNCTION_KEYS: &[&str] = &[
    "type",
    "runtime",
    "handler",
    "source",
    "name",
    "memory",
    "timeout",
    "architecture",
    "tracing",
    "description",
    "environment",
    "policies",
];
pub const WIRE_END_KEYS: &[&str] = &["from", "to", "kind"];
pub const EVENT_KEYS: &[&str] = &[
    "batchSize",
    "startingPosition",
    "startingPositionTimestamp",
    "batchWindow",
    "parallelization",
    "retries",
    "maxRecordAge",
    "bisectOnError",
    "tumblingWindow",
    "reportBatchItemFailures",
    "onFailure",
    "filters",
    "enabled",
    "fanOut",
];
pub const DISCOVERY_KEYS: &[&str] = &["access", "env"];

/// The most YAML events (scalars, starts and ends of collections) a stack description may have.
pub const MAX_EVENTS: usize = 250_000;
/// The most bytes of text in all scalars together, aliases expanded.
pub const MAX_SCALAR_BYTES: usize = 8 * 1024 * 1024;
/// The most values aliases may expand to, all together.
pub const MAX_REPLAYED: usize = 100_000;
/// The deepest nesting of mappings and lists.
pub const MAX_DEPTH: usize = 64;

/// Limits on the YAML itself, far above any real stack and far below what would hurt: a
/// pre-commit hook must answer an alias bomb or a 10,000-deep nesting with an error, quickly.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        reject_unsupported_tags: true,
        non_finite_float_policy: serde_saphyr::options::NonFiniteFloatPolicy::AsString,
        budget: serde_saphyr::budget! {
            // Anchors reused many times are ordinary; alias bombs are stopped by the replay limit.
            enforce_alias_anchor_ratio: false,
            max_depth: MAX_DEPTH,
            max_documents: 1,
            max_aliases: 10_000,
            max_anchors: 10_000,
            // A stack of 500 resources is a few tens of thousands of events and nodes.
            max_events: MAX_EVENTS,
            max_nodes: MAX_EVENTS,
            // Counts text replayed through aliases too: a long string aliased many times over.
            max_total_scalar_bytes: MAX_SCALAR_BYTES,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED,
            max_replay_stack_depth: 16,
        },
    }
}

/// Reads a stack description. Returns the model (as complete as the input allows) and every
/// problem found; `None` when the text is not YAML at all.
pub fn parse(text: &str) -> (Option<Stack>, Vec<Problem>) {
    let root = match serde_saphyr::from_str_with_options::<Option<Node>>(text, options()) {
        Ok(Some(root)) => root,
        Ok(None) => {
            let problem = Problem::EmptyStack {
                span: SourceSpan::new(0.into(), 0),
            };
            return (None, vec![problem]);
        }
        Err(error) => return (None, vec![yaml_error(text, &error)]),
    };
    let mut decoder = Decoder {
        text,
        problems: Vec::new(),
    };
    let stack = decoder.stack(&root);
    (Some(stack), decoder.problems)
}

fn yaml_error(text: &str, error: &serde_saphyr::Error) -> Problem {
    use serde_saphyr::budget::BudgetBreach;
    let located = error.without_snippet();
    let offset = located.location().map_or(0, |l| {
        let by_byte = l.span().byte_offset().and_then(|o| usize::try_from(o).ok());
        by_byte.unwrap_or_else(|| offset_of(text, l.line(), l.column()))
    });
    let offset = offset.min(text.len());
    // The error itself, out of the wrappers that say where an alias was used or defined.
    let mut inner = located;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = inner
    {
        inner = error;
    }
    const ALIAS_HELP: &str = "write the values out instead of expanding aliases many times over";
    const DEPTH_HELP: &str = "a stack description is only a few levels deep; check the indentation";
    const SIZE_HELP: &str =
        "a stack description of 500 resources is far smaller; split the file into several stacks";
    let (message, help) = match inner {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Documents { .. } => (
                "the file holds more than one YAML document".to_owned(),
                Some(
                    "a stack description is one YAML document: remove the `---` separator and merge the documents, or split them into files",
                ),
            ),
            BudgetBreach::Depth { depth } => (
                format!(
                    "the file is nested {depth} levels deep; stackwire reads at most {MAX_DEPTH}"
                ),
                Some(DEPTH_HELP),
            ),
            BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } => (
                format!(
                    "the file has more than {} YAML values; stackwire reads at most that many",
                    crate::diagnostic::thousands(MAX_EVENTS)
                ),
                Some(SIZE_HELP),
            ),
            BudgetBreach::ScalarBytes { .. } => (
                format!(
                    "the text in the file, aliases expanded, is more than {} bytes; stackwire reads at most that much",
                    crate::diagnostic::thousands(MAX_SCALAR_BYTES)
                ),
                Some(ALIAS_HELP),
            ),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => (
                "the file uses more anchors and aliases than stackwire allows".to_owned(),
                Some(ALIAS_HELP),
            ),
            _ => (
                "the file exceeds stackwire's limits on YAML".to_owned(),
                Some(SIZE_HELP),
            ),
        },
        _ => {
            let mut message = inner.to_string();
            // The label shows the location; drop serde-saphyr's own "at line X column Y".
            if let Some(cut) = message.find(" at line ") {
                message.truncate(cut);
            }
            let help = if message.contains("tab") {
                Some("YAML indentation uses spaces; replace the tab with spaces")
            } else if message.contains("unsupported tag") {
                Some(
                    "a stack description has no YAML tags: write plain values (stackwire writes `!Ref` and `!GetAtt` into the template itself)",
                )
            } else if message.contains("recursion limit") {
                // The parser's own bound on nested flow collections (`[[[...`, `{a: {a: ...`).
                message = format!("the file is nested more than {MAX_DEPTH} levels deep");
                Some(DEPTH_HELP)
            } else if message.contains("replay limit") {
                // serde-saphyr's own words are `alias replay limit exceeded: total_replayed_events=...`.
                message = format!(
                    "the file's aliases expand to more than {} values; stackwire expands at most that many",
                    crate::diagnostic::thousands(MAX_REPLAYED)
                );
                Some(ALIAS_HELP)
            } else if message.contains("alias") || message.contains("replay") {
                Some(ALIAS_HELP)
            } else {
                None
            };
            (message, help)
        }
    };
    Problem::YamlSyntax {
        message,
        span: SourceSpan::new(offset.into(), 0),
        help: help.map(str::to_owned),
    }
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
            return offset + l.char_indices().nth(skip).map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    offset
}

/// One `key: value` entry of a mapping, with the key as text.
struct Entry<'n> {
    key: Sp<String>,
    value: &'n Node,
}

struct Decoder<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl Decoder<'_> {
    /// The text a scalar node was written as.
    fn source(&self, node: &Node) -> &str {
        let start = node.span.offset();
        self.text.get(start..start + node.span.len()).unwrap_or("")
    }

    /// A scalar as written, at most 40 characters; through an alias, its value.
    fn scalar_text(&self, node: &Node) -> String {
        let source = self.source(node);
        let text = if source.starts_with('*') || source.is_empty() {
            match &node.value {
                Value::Str(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => String::new(),
            }
        } else {
            source.to_owned()
        };
        text.chars().take(40).collect()
    }

    /// What a node is, for "expected X, found Y" messages.
    fn found(&self, node: &Node) -> String {
        match &node.value {
            Value::Map(m) if m.is_empty() => "an empty mapping".to_owned(),
            Value::Seq(_) | Value::Map(_) | Value::Null => node.value.kind().to_owned(),
            _ => {
                let shown = self.scalar_text(node);
                if shown.is_empty() {
                    node.value.kind().to_owned()
                } else {
                    format!("{} (`{shown}`)", node.value.kind())
                }
            }
        }
    }

    fn wrong_type(&mut self, node: &Node, key: &str, expected: &'static str, help: Option<String>) {
        let found = self.found(node);
        // A key is shown in backticks; a phrase ("the stack description") as it is.
        let key = if key.contains(' ') {
            key.to_owned()
        } else {
            format!("`{key}`")
        };
        self.problems.push(Problem::WrongType {
            key,
            expected,
            found,
            span: node.span,
            help,
        });
    }

    /// The entries of a mapping, keys as text, duplicates reported and dropped.
    fn entries<'n>(&mut self, node: &'n Node, key: &str) -> Option<Vec<Entry<'n>>> {
        let Value::Map(pairs) = &node.value else {
            self.wrong_type(node, key, "a mapping", None);
            return None;
        };
        let mut entries: Vec<Entry<'n>> = Vec::with_capacity(pairs.len());
        // Where each key is in `entries`: a linear search per key made a mapping of 30,000
        // resources take a second.
        let mut seen: std::collections::HashMap<String, usize> =
            std::collections::HashMap::with_capacity(pairs.len());
        for (k, value) in pairs {
            let text = match &k.value {
                Value::Str(s) => s.clone(),
                Value::Int(_) | Value::Float(_) | Value::Bool(_) => self.source(k).to_owned(),
                _ => {
                    self.wrong_type(k, &format!("a key in `{key}`"), "a plain name", None);
                    continue;
                }
            };
            if let Some(first) = seen.get(&text).and_then(|&i| entries.get(i)) {
                self.problems.push(Problem::DuplicateKey {
                    key: text,
                    first: first.key.span,
                    span: k.span,
                });
                continue;
            }
            seen.insert(text.clone(), entries.len());
            entries.push(Entry {
                key: Sp::new(text, k.span),
                value,
            });
        }
        Some(entries)
    }

    fn unknown_key(
        &mut self,
        key: &Sp<String>,
        context: &str,
        valid: &[&str],
        hint: Option<String>,
    ) {
        let help = hint.or_else(|| suggest::help(&key.value, valid));
        self.problems.push(Problem::UnknownKey {
            key: key.value.clone(),
            context: context.to_owned(),
            span: key.span,
            help,
        });
    }

    fn string(&mut self, node: &Node, key: &str) -> Option<Sp<String>> {
        match &node.value {
            Value::Str(s) => Some(Sp::new(s.clone(), node.span)),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let text = self.scalar_text(node);
                let bare = key.rsplit('.').next().unwrap_or(key);
                let help = format!("quote it to make it a string: `{bare}: '{text}'`");
                self.wrong_type(node, key, "a string", Some(help));
                None
            }
            _ => {
                self.wrong_type(node, key, "a string", None);
                None
            }
        }
    }

    fn int(&mut self, node: &Node, key: &str) -> Option<Sp<i128>> {
        match &node.value {
            Value::Int(i) => Some(Sp::new(*i, node.span)),
            Value::Float(_) if is_digits(self.source(node)) => {
                let source = self.source(node);
                let digits = source.trim_start_matches(['-', '+']);
                if digits.len() > 1 && digits.starts_with('0') {
                    // `010`: octal 8 to a YAML 1.1 reader, 10 to YAML 1.2 (serde-saphyr reads
                    // it as a decimal number). Say so rather than guess.
                    let plain = digits.trim_start_matches('0');
                    let plain = if plain.is_empty() { "0" } else { plain };
                    let help = format!(
                        "a leading zero makes it octal to YAML 1.1 readers: write `{key}: {plain}` (or the octal value you meant)"
                    );
                    self.problems.push(Problem::WrongType {
                        key: format!("`{key}`"),
                        expected: "a whole number",
                        found: format!("`{source}`, a number with a leading zero"),
                        span: node.span,
                        help: Some(help),
                    });
                    return None;
                }
                // An integer too large for any key: keep it out of range, `check` says so.
                Some(Sp::new(i128::MAX, node.span))
            }
            Value::Str(s) if s.trim().parse::<i128>().is_ok() => {
                let help = format!("remove the quotes: `{key}: {}`", s.trim());
                self.wrong_type(node, key, "a whole number", Some(help));
                None
            }
            _ => {
                self.wrong_type(node, key, "a whole number", None);
                None
            }
        }
    }

    fn bool(&mut self, node: &Node, key: &str) -> Option<Sp<bool>> {
        match &node.value {
            Value::Bool(b) => Some(Sp::new(*b, node.span)),
            Value::Str(s) => {
                let meant = match s.to_lowercase().as_str() {
                    "yes" | "on" | "y" => Some("true"),
                    "no" | "off" | "n" => Some("false"),
                    "true" | "false" => Some(if s.eq_ignore_ascii_case("true") {
                        "true"
                    } else {
                        "false"
                    }),
                    _ => None,
                };
                let help = meant.map(|b| {
                    format!("YAML 1.2 reads `{s}` as a string, not a boolean: write `{key}: {b}`")
                });
                self.wrong_type(node, key, "a boolean (true or false)", help);
                None
            }
            _ => {
                self.wrong_type(node, key, "a boolean (true or false)", None);
                None
            }
        }
    }

    fn choice<T: Copy>(&mut self, node: &Node, key: &str, options: &[(&str, T)]) -> Option<Sp<T>> {
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            _ => {
                let expected = "one of the listed words";
                let help = Some(format!("use one of {}", quoted_list(&names)));
                self.wrong_type(node, key, expected, help);
                return None;
            }
        };
        if let Some((_, value)) = options.iter().find(|(name, _)| *name == text) {
            return Some(Sp::new(*value, node.span));
        }
        let help = suggest::did_you_mean(&text, names.iter().copied());
        self.problems.push(Problem::InvalidChoice {
            key: key.to_owned(),
            found: text,
            span: node.span,
            allowed: quoted_list(&names),
            help,
        });
        None
    }

    /// A mapping of names to strings (`tags`, `environment`), in source order.
    fn string_map(&mut self, node: &Node, key: &str) -> Vec<(Sp<String>, Sp<String>)> {
        if !matches!(node.value, Value::Map(_)) {
            let help = format!("write `NAME: value` pairs under `{key}:`");
            self.wrong_type(node, key, "a mapping", Some(help));
            return Vec::new();
        }
        let Some(entries) = self.entries(node, key) else {
            return Vec::new();
        };
        entries
            .into_iter()
            .filter_map(|e| {
                let label = format!("{key}.{}", e.key.value);
                self.string(e.value, &label).map(|v| (e.key, v))
            })
            .collect()
    }

    fn list<'n>(&mut self, node: &'n Node, key: &str) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            _ => {
                self.wrong_type(node, key, "a list", None);
                None
            }
        }
    }

    fn stack(&mut self, root: &Node) -> Stack {
        let mut stack = Stack::default();
        let Some(entries) = self.entries(root, "the stack description") else {
            return stack;
        };
        let mut resources = None;
        for e in entries {
            match e.key.value.as_str() {
                "stack" => stack.name = self.string(e.value, "stack"),
                "description" => stack.description = self.string(e.value, "description"),
                "resources" => resources = Some((e.key.span, e.value)),
                "wires" => {
                    if let Some(items) = self.list(e.value, "wires") {
                        stack.wires = items.iter().filter_map(|w| self.wire(w)).collect();
                    }
                }
                _ => self.unknown_key(&e.key, "the stack description", STACK_KEYS, None),
            }
        }
        match resources {
            Some((key_span, node)) => {
                stack.resources_key = key_span;
                stack.resources = self.resources(node, key_span);
            }
            None => self.problems.push(Problem::MissingKey {
                key: "resources",
                context: "the stack description".to_owned(),
                span: SourceSpan::new(root.span.offset().into(), 0),
                help: Some(
                    "list the stack's resources, for example:\nresources:\n  Stream:\n    type: Stream"
                        .to_owned(),
                ),
            }),
        }
        stack
    }

    fn resources(&mut self, node: &Node, key_span: SourceSpan) -> Vec<Resource> {
        let Some(entries) = self.entries(node, "resources") else {
            return Vec::new();
        };
        if matches!(&node.value, Value::Map(pairs) if pairs.is_empty()) {
            self.problems.push(Problem::NoResources { span: key_span });
        }
        entries.into_iter().map(|e| self.resource(e)).collect()
    }

    fn resource(&mut self, entry: Entry<'_>) -> Resource {
        let id = entry.key;
        let context = format!("resource `{}`", id.value);
        let Some(entries) = self.entries(entry.value, &id.value) else {
            return Resource {
                id,
                body: Body::Unknown,
            };
        };
        let type_entry = entries.iter().find(|e| e.key.value == "type");
        let body = match type_entry {
            None => {
                self.problems.push(Problem::MissingKey {
                    key: "type",
                    context: context.clone(),
                    span: id.span,
                    help: Some("add `type: Stream` or `type: Function`".to_owned()),
                });
                Body::Unknown
            }
            Some(t) => match &t.value.value {
                Value::Str(s) if s == "Stream" => {
                    Body::Stream(Box::new(self.stream(&entries, &id)))
                }
                Value::Str(s) if s == "Function" => {
                    Body::Function(Box::new(self.function(&entries, &id)))
                }
                Value::Str(s) => {
                    let help = suggest::help(s, RESOURCE_TYPES);
                    self.problems.push(Problem::UnknownResourceType {
                        found: s.clone(),
                        span: t.value.span,
                        help,
                    });
                    Body::Unknown
                }
                _ => {
                    let help = Some("write `type: Stream` or `type: Function`".to_owned());
                    self.wrong_type(t.value, "type", "a resource type", help);
                    Body::Unknown
                }
            },
        };
        Resource { id, body }
    }

    fn stream(&mut self, entries: &[Entry<'_>], id: &Sp<String>) -> Stream {
        let context = format!("Stream `{}`", id.value);
        let mut s = Stream::default();
        for e in entries {
            let v = e.value;
            match e.key.value.as_str() {
                "type" => continue,
                "name" => s.name = self.string(v, "name"),
                "shardCount" => s.shard_count = self.int(v, "shardCount"),
                "mode" => {
                    let modes = [
                        ("provisioned", StreamMode::Provisioned),
                        ("onDemand", StreamMode::OnDemand),
                    ];
                    s.mode = self.choice(v, "mode", &modes);
                }
                "retentionHours" => s.retention_hours = self.int(v, "retentionHours"),
                "encryption" => {
                    s.encryption = self.string(v, "encryption").map(|e| {
                        let value = match e.value.as_str() {
                            "aws" => Encryption::Aws,
                            "none" => Encryption::None,
                            _ => Encryption::Key(e.value.clone()),
                        };
                        Sp::new(value, e.span)
                    });
                }
                "retain" => s.retain = self.bool(v, "retain"),
                "tags" => s.tags = self.string_map(v, "tags"),
                "existing" => s.existing = self.existing(v),
                _ => {
                    let hint = FUNCTION_KEYS.contains(&e.key.value.as_str()).then(|| {
                        format!(
                            "`{}` is a key of a Function; this resource is a Stream",
                            e.key.value
                        )
                    });
                    self.unknown_key(&e.key, &context, STREAM_KEYS, hint);
                    continue;
                }
            }
            s.keys.push(e.key.clone());
        }
        s
    }

    fn existing(&mut self, node: &Node) -> Option<Sp<Existing>> {
        if let Value::Str(arn) = &node.value {
            return Some(Sp::new(Existing::Arn(arn.clone()), node.span));
        }
        let help =
            "write a stream ARN, `{env: path/in/parameter/store}` or `{parameter: ParameterName}`";
        if !matches!(node.value, Value::Map(_)) {
            self.wrong_type(
                node,
                "existing",
                "an ARN or a mapping",
                Some(help.to_owned()),
            );
            return None;
        }
        let entries = self.entries(node, "existing")?;
        let mut found: Option<Sp<Existing>> = None;
        for e in &entries {
            let value = match e.key.value.as_str() {
                "env" => self.string(e.value, "existing.env").map(Existing::Env),
                "parameter" => self
                    .string(e.value, "existing.parameter")
                    .map(Existing::Parameter),
                _ => {
                    self.unknown_key(&e.key, "`existing`", &["env", "parameter"], None);
                    continue;
                }
            };
            if found.is_some() {
                self.wrong_type(
                    node,
                    "existing",
                    "one of `env` or `parameter`",
                    Some(help.to_owned()),
                );
                return None;
            }
            found = value.map(|v| Sp::new(v, node.span));
        }
        if entries.is_empty() {
            self.wrong_type(
                node,
                "existing",
                "an ARN or a mapping with one key",
                Some(help.to_owned()),
            );
        }
        found
    }

    fn function(&mut self, entries: &[Entry<'_>], id: &Sp<String>) -> Function {
        let context = format!("Function `{}`", id.value);
        let mut f = Function::default();
        for e in entries {
            let v = e.value;
            match e.key.value.as_str() {
                "type" => {}
                "runtime" => f.runtime = self.string(v, "runtime"),
                "handler" => f.handler = self.string(v, "handler"),
                "source" => f.source = self.string(v, "source"),
                "name" => f.name = self.string(v, "name"),
                "memory" => f.memory = self.int(v, "memory"),
                "timeout" => f.timeout = self.int(v, "timeout"),
                "architecture" => {
                    let archs = [
                        ("x86_64", Architecture::X86_64),
                        ("arm64", Architecture::Arm64),
                    ];
                    f.architecture = self.choice(v, "architecture", &archs);
                }
                "tracing" => f.tracing = self.bool(v, "tracing"),
                "description" => f.description = self.string(v, "description"),
                "environment" => f.environment = self.string_map(v, "environment"),
                "policies" => {
                    if let Some(items) = self.list(v, "policies") {
                        f.policies = items
                            .iter()
                            .filter_map(|p| self.string(p, "policies"))
                            .collect();
                    }
                }
                _ => {
                    let hint = STREAM_KEYS.contains(&e.key.value.as_str()).then(|| {
                        format!(
                            "`{}` is a key of a Stream; this resource is a Function",
                            e.key.value
                        )
                    });
                    self.unknown_key(&e.key, &context, FUNCTION_KEYS, hint);
                }
            }
        }
        for (key, value) in [("runtime", &f.runtime), ("handler", &f.handler)] {
            let present = entries.iter().any(|e| e.key.value == key);
            if value.is_none() && !present {
                let example = if key == "runtime" {
                    "runtime: nodejs22.x"
                } else {
                    "handler: index.handler"
                };
                self.problems.push(Problem::MissingKey {
                    key,
                    context: context.clone(),
                    span: id.span,
                    help: Some(format!("add, for example, `{example}`")),
                });
            }
        }
        f
    }

    fn wire(&mut self, node: &Node) -> Option<Wire> {
        let entries = self.entries(node, "a wire")?;
        let mut w = Wire {
            span: node.span,
            from: None,
            to: None,
            kind: None,
            event: EventOptions::default(),
            discovery: DiscoveryOptions::default(),
            keys: Vec::new(),
        };
        let all_keys: Vec<&str> = WIRE_END_KEYS
            .iter()
            .chain(EVENT_KEYS)
            .chain(DISCOVERY_KEYS)
            .copied()
            .collect();
        for e in &entries {
            let v = e.value;
            let k = e.key.value.as_str();
            match k {
                "from" => w.from = self.string(v, "from"),
                "to" => w.to = self.string(v, "to"),
                "kind" => {
                    let kinds = [
                        ("event", WireKind::Event),
                        ("discovery", WireKind::Discovery),
                    ];
                    w.kind = self.choice(v, "kind", &kinds);
                }
                "batchSize" => w.event.batch_size = self.int(v, k),
                "startingPosition" => {
                    let positions = [
                        ("TRIM_HORIZON", StartingPosition::TrimHorizon),
                        ("LATEST", StartingPosition::Latest),
                        ("AT_TIMESTAMP", StartingPosition::AtTimestamp),
                    ];
                    w.event.starting_position = self.choice(v, k, &positions);
                }
                "startingPositionTimestamp" => w.event.starting_position_timestamp = self.int(v, k),
                "batchWindow" => w.event.batch_window = self.int(v, k),
                "parallelization" => w.event.parallelization = self.int(v, k),
                "retries" => w.event.retries = self.int(v, k),
                "maxRecordAge" => w.event.max_record_age = self.int(v, k),
                "bisectOnError" => w.event.bisect_on_error = self.bool(v, k),
                "tumblingWindow" => w.event.tumbling_window = self.int(v, k),
                "reportBatchItemFailures" => w.event.report_batch_item_failures = self.bool(v, k),
                "onFailure" => w.event.on_failure = self.string(v, k),
                "filters" => {
                    if let Some(items) = self.list(v, k) {
                        w.event.filters = Some(Sp::new(items.to_vec(), v.span));
                    }
                }
                "enabled" => w.event.enabled = self.bool(v, k),
                "fanOut" => w.event.fan_out = self.bool(v, k),
                "access" => {
                    let levels = [
                        ("readWrite", Access::ReadWrite),
                        ("read", Access::Read),
                        ("write", Access::Write),
                    ];
                    w.discovery.access = self.choice(v, k, &levels);
                }
                "env" => self.wire_env(v, &mut w.discovery),
                _ => {
                    self.unknown_key(&e.key, "a wire", &all_keys, None);
                    continue;
                }
            }
            w.keys.push(e.key.clone());
        }
        for key in ["from", "to"] {
            if !entries.iter().any(|e| e.key.value == key) {
                self.problems.push(Problem::MissingKey {
                    key: if key == "from" { "from" } else { "to" },
                    context: "a wire".to_owned(),
                    span: node.span,
                    help: Some("a wire names both ends: `{from: Stream, to: Function}`".to_owned()),
                });
            }
        }
        Some(w)
    }

    fn wire_env(&mut self, node: &Node, d: &mut DiscoveryOptions) {
        let Some(entries) = self.entries(node, "env") else {
            return;
        };
        for e in entries {
            match e.key.value.as_str() {
                "name" => d.env_name = self.string(e.value, "env.name"),
                "arn" => d.env_arn = self.string(e.value, "env.arn"),
                _ => self.unknown_key(&e.key, "the wire's `env`", &["name", "arn"], None),
            }
        }
    }
}

fn is_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
